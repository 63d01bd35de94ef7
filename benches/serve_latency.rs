//! How long a contributor waits in `fixbook serve`: a one-section edit in a
//! large guide, from saving the file to the open page receiving its reload
//! event (and then fetching the new page), measured on the real binary.
//!
//! `cargo bench --bench serve_latency` (env: SECTIONS=1000, RUNS=20,
//! CORPUS=<existing fixbook guide folder> to skip generating one). The corpus
//! comes from `shared/bench/gen_corpus.py` beside the repository.
//! Also measures the stages in-process (no server, no debounce): the check
//! pass with cached parses, the edited page alone, and the whole re-render.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const TIMEOUT: Duration = Duration::from_secs(60);

fn main() {
    // `cargo bench` passes `--bench`; nothing else is expected.
    let sections: usize = std::env::var("SECTIONS").ok().and_then(|s| s.parse().ok()).unwrap_or(1000);
    let runs: usize = std::env::var("RUNS").ok().and_then(|s| s.parse().ok()).unwrap_or(20);
    let tmp = tempfile::tempdir().unwrap();
    let guide = match std::env::var_os("CORPUS") {
        Some(dir) => {
            let copy = tmp.path().join("guide");
            copy_dir(Path::new(&dir), &copy);
            copy
        }
        None => generate(sections, tmp.path()),
    };
    let md: Vec<PathBuf> = walkdir::WalkDir::new(&guide)
        .sort_by_file_name()
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md") && e.file_name() != "index.md")
        .map(|e| e.into_path())
        .collect();
    println!("guide: {} section files in {}", md.len(), guide.display());
    println!("machine: {} CPUs, load average {}", std::thread::available_parallelism().map_or(0, |n| n.get()), load_average());

    in_process(&guide, &md, runs);
    end_to_end(&guide, &md, runs);
}

/// The stages a rebuild runs, timed in this process.
fn in_process(guide: &Path, md: &[PathBuf], runs: usize) {
    let mut builder = fixbook::serve::Builder::new(guide, false);
    let t = Instant::now();
    let mut first = builder.check().unwrap();
    let check_ms = ms(t.elapsed());
    let t = Instant::now();
    let full = fixbook::pipeline::render_files(first.compiled.guide.as_ref().unwrap(), first.compiled.theme.as_ref().unwrap()).unwrap();
    println!("first build: check {check_ms:.1} ms, render {:.1} ms ({} files)", ms(t.elapsed()), full.len());
    builder.set_last_good(&mut first.compiled);

    let (mut previews, mut checks, mut renders) = (Vec::new(), Vec::new(), Vec::new());
    for run in 0..runs {
        let file = &md[(run * 37) % md.len()];
        let rel = file.strip_prefix(guide).unwrap().to_string_lossy().replace('\\', "/");
        edit(file, run);
        let t = Instant::now();
        let page = builder.preview_edits(std::slice::from_ref(&rel)).expect("the edited page renders");
        previews.push(ms(t.elapsed()));
        assert_eq!(page.len(), 1);
        let t = Instant::now();
        let mut checked = builder.check().unwrap();
        checks.push(ms(t.elapsed()));
        let t = Instant::now();
        fixbook::pipeline::render_files(checked.compiled.guide.as_ref().unwrap(), checked.compiled.theme.as_ref().unwrap()).unwrap();
        renders.push(ms(t.elapsed()));
        builder.set_last_good(&mut checked.compiled);
    }
    report("in-process preview of the edited page (re-read, parse, render it)", &mut previews);
    report("in-process check of the whole guide (load, cached parses, checks, theme)", &mut checks);
    report("in-process re-render of the whole site", &mut renders);
}

/// The real server: save → `event: reload` on the open page → new page fetched.
fn end_to_end(guide: &Path, md: &[PathBuf], runs: usize) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_fixbook"))
        .args(["serve", "--port", "0"])
        .arg(guide)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let stderr = child.stderr.take().unwrap();
    let (log_tx, log_rx) = mpsc::channel::<String>();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if line.starts_with("updated ") || line.starts_with("rebuilt in") || line.starts_with("built ") {
                let _ = log_tx.send(line);
            }
        }
    });
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    let addr: SocketAddr = first.split("http://").nth(1).and_then(|r| r.split('/').next()).unwrap().parse().unwrap();
    println!("server: {}", log_rx.recv_timeout(TIMEOUT).unwrap_or_default());

    let (mut reloads, mut fetched, mut full) = (Vec::new(), Vec::new(), Vec::new());
    for run in 0..runs {
        let file = &md[(run * 53 + 11) % md.len()];
        let rel = file.strip_prefix(guide).unwrap().to_string_lossy().replace('\\', "/");
        let page = format!("{}.html", rel.strip_suffix(".md").unwrap());
        let html = get(addr, &format!("/{}", encode(&page)));
        let token = token_of(&html);
        let mut events = open_events(addr, &page, &token);
        assert_eq!(next_event(&mut events), "ready");
        let marker = edit(file, 1000 + run);
        let t = Instant::now();
        assert_eq!(next_event(&mut events), "reload");
        reloads.push(ms(t.elapsed()));
        let html = get(addr, &format!("/{}", encode(&page)));
        fetched.push(ms(t.elapsed()));
        assert!(html.contains(&marker), "the reloaded page shows the edit");
        // Wait for the whole-site re-render before the next edit.
        loop {
            let line = log_rx.recv_timeout(TIMEOUT).expect("the server finished the rebuild");
            if line.starts_with("rebuilt in") {
                full.push(ms(t.elapsed()));
                break;
            }
        }
        // Let any late file event of this edit settle before the next one.
        while log_rx.recv_timeout(Duration::from_millis(300)).is_ok() {}
    }
    println!("save → reload samples (ms): {}", reloads.iter().map(|v| format!("{v:.1}")).collect::<Vec<_>>().join(" "));
    let _ = child.kill();
    let _ = child.wait();
    report("save → reload event on the open page (end to end, incl. 15 ms debounce)", &mut reloads);
    report("save → edited page fetched", &mut fetched);
    report("save → whole site re-rendered and published", &mut full);
}

/// Appends a sentence to a section's body; returns the text to look for.
fn edit(file: &Path, n: usize) -> String {
    let marker = format!("Latency probe sentence number {n}.");
    let mut text = std::fs::read_to_string(file).unwrap();
    text.push_str(&format!("\n{marker}\n"));
    std::fs::write(file, text).unwrap();
    marker
}

fn report(what: &str, values: &mut [f64]) {
    values.sort_by(f64::total_cmp);
    let pick = |q: f64| values[((values.len() - 1) as f64 * q).round() as usize];
    println!(
        "{what}: median {:.1} ms, p90 {:.1} ms, min {:.1} ms, max {:.1} ms (n={})",
        pick(0.5),
        pick(0.9),
        values[0],
        values[values.len() - 1],
        values.len()
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg").map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" ")).unwrap_or_else(|_| "?".into())
}

fn generate(sections: usize, dir: &Path) -> PathBuf {
    let script = [Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench/gen_corpus.py"), PathBuf::from("/work/shared/bench/gen_corpus.py")]
        .into_iter()
        .find(|p| p.is_file())
        .expect("shared/bench/gen_corpus.py beside the repository (or set CORPUS)");
    let out = dir.join("corpus");
    let status = Command::new("python3")
        .arg(&script)
        .args(["--sections", &sections.to_string(), "--layouts", "fixbook", "--out"])
        .arg(&out)
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let guide = out.join("fixbook/guide");
    if !guide.join("guide.toml").exists() {
        std::fs::write(guide.join("guide.toml"), format!("title = \"Benchmark guide ({sections} sections)\"\n")).unwrap();
    }
    guide
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).into_iter().map(Result::unwrap) {
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn encode(path: &str) -> String {
    percent_encoding::utf8_percent_encode(path, percent_encoding::NON_ALPHANUMERIC)
        .to_string()
        .replace("%2F", "/")
        .replace("%2E", ".")
        .replace("%2D", "-")
        .replace("%5F", "_")
}

fn get(addr: SocketAddr, target: &str) -> String {
    let mut stream = TcpStream::connect_timeout(&addr, TIMEOUT).unwrap();
    stream.set_read_timeout(Some(TIMEOUT)).unwrap();
    write!(stream, "GET {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").unwrap();
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).unwrap();
    let text = String::from_utf8_lossy(&bytes).into_owned();
    assert!(text.starts_with("HTTP/1.1 200"), "{target}: {}", &text[..text.len().min(200)]);
    text
}

fn token_of(html: &str) -> String {
    let start = html.find("data-token=\"").unwrap() + "data-token=\"".len();
    html[start..start + html[start..].find('"').unwrap()].to_string()
}

fn open_events(addr: SocketAddr, page: &str, token: &str) -> BufReader<TcpStream> {
    let mut stream = TcpStream::connect_timeout(&addr, TIMEOUT).unwrap();
    stream.set_read_timeout(Some(TIMEOUT)).unwrap();
    write!(stream, "GET /__fixbook/events?page={}&token={token} HTTP/1.1\r\nHost: localhost\r\n\r\n", encode(page)).unwrap();
    BufReader::new(stream)
}

fn next_event(reader: &mut BufReader<TcpStream>) -> String {
    loop {
        let mut line = String::new();
        assert!(reader.read_line(&mut line).unwrap() > 0, "event stream closed");
        if let Some(name) = line.strip_prefix("event: ") {
            return name.trim().to_string();
        }
    }
}
