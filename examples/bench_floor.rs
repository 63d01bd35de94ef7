//! Lower bounds for the build benchmark (`bench/run.sh`): how fast can the
//! work fixbook must do possibly go on this machine?
//!
//! `bench_floor render DIR` reads every `.md` file under DIR and renders its
//! body with pulldown-cmark and fixbook's Markdown options, on all cores,
//! with nothing else (no front-matter parsing, templates, highlighting).
//!
//! `bench_floor write MANIFEST OUT` writes a tree of files with the sizes and
//! paths listed in MANIFEST (`<bytes>\t<path>` per line, taken from a real
//! fixbook output) into OUT, on all cores: the file-system cost of emitting
//! the same bytes, without producing them. OUT must not exist.

use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("render") if args.len() == 3 => render(Path::new(&args[2])),
        Some("write") if args.len() == 4 => write(Path::new(&args[2]), Path::new(&args[3])),
        _ => {
            eprintln!("usage: bench_floor render DIR | bench_floor write MANIFEST OUT");
            std::process::exit(2);
        }
    }
}

/// The Markdown after a leading `---`/`+++` front-matter block, if any.
fn body(text: &str) -> &str {
    for fence in ["---", "+++"] {
        if let Some(rest) = text.strip_prefix(fence).and_then(|r| r.strip_prefix('\n'))
            && let Some(end) = rest.find(&format!("\n{fence}\n"))
        {
            return &rest[end + fence.len() + 2..];
        }
    }
    text
}

fn render(dir: &Path) {
    let start = Instant::now();
    let paths: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect();
    let (files, md_bytes, html_bytes) = paths
        .par_iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).expect("readable UTF-8 Markdown");
            let mut html = String::with_capacity(text.len() * 3 / 2);
            pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new_ext(body(&text), fixbook::content::markdown::options()));
            (1usize, text.len(), html.len())
        })
        .reduce(|| (0, 0, 0), |a, b| (a.0 + b.0, a.1 + b.1, a.2 + b.2));
    eprintln!("rendered {files} files, {md_bytes} bytes of Markdown -> {html_bytes} bytes of HTML in {:.1?}", start.elapsed());
}

fn write(manifest: &Path, out: &Path) {
    let start = Instant::now();
    let text = std::fs::read_to_string(manifest).expect("readable manifest");
    let entries: Vec<(usize, &str)> = text
        .lines()
        .filter(|l| !l.is_empty())
        .map(|l| {
            let (size, path) = l.split_once('\t').expect("<bytes>\\t<path>");
            (size.parse().expect("size in bytes"), path)
        })
        .collect();
    assert!(!out.exists(), "{} must not exist", out.display());
    let mut dirs: Vec<&str> = entries.iter().map(|(_, p)| p.rsplit_once('/').map_or("", |(d, _)| d)).collect();
    dirs.sort_unstable();
    dirs.dedup();
    std::fs::create_dir_all(out).expect("create OUT");
    for d in dirs.iter().filter(|d| !d.is_empty()) {
        std::fs::create_dir_all(out.join(d)).expect("create folder");
    }
    let largest = entries.iter().map(|(s, _)| *s).max().unwrap_or(0);
    let filler = vec![b'x'; largest];
    let total: usize = entries
        .par_iter()
        .map(|(size, path)| {
            std::fs::write(out.join(path), &filler[..*size]).expect("write file");
            *size
        })
        .sum();
    eprintln!("wrote {} files, {total} bytes in {:.1?}", entries.len(), start.elapsed());
}
