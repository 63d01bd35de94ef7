//! Where a build's memory goes (the measurement behind the scale work in
//! `bench/`): the library's own functions, run under a counting global
//! allocator, so every byte on the heap is counted without a profiler.
//!
//! `cargo run --release --example alloc_profile -- GUIDE OUT [--sample-ms 100] [--parts 1,2,3]`
//!
//! Part 1 runs the stages one at a time and prints, per stage, the heap it
//! keeps afterwards ("retained") and the most it held at once while running
//! ("peak", over what was live before it): the sources, the model, the
//! diagnostics, the indexes, the search index and its files, the filter data.
//! Part 2 runs `fixbook::build GUIDE -o OUT` as the CLI does, with
//! `FIXBOOK_TIMINGS=1`, while a thread prints the live heap and the process's
//! RSS every `--sample-ms`, so the stage lines and the samples interleave into
//! a timeline; it ends with the build's peak heap. Part 3 renders the site
//! again on one thread, dropping each file as it comes, and reports for each
//! output file the most heap that making it added over what was live when the
//! previous file came out: which page or data file costs how much at once,
//! grouped by kind (print.html, checklists/, search data, section pages…).
//! Heap is what Rust allocated (requested sizes); RSS adds the allocator's
//! slack, stacks and code.

use std::alloc::{GlobalAlloc, Layout, System};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);
static ALLOCATED: AtomicU64 = AtomicU64::new(0);

fn grew(by: usize) {
    let now = LIVE.fetch_add(by, Ordering::Relaxed) + by;
    PEAK.fetch_max(now, Ordering::Relaxed);
    ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
    ALLOCATED.fetch_add(by as u64, Ordering::Relaxed);
}

// SAFETY: every call goes straight to the system allocator; the counters
// only observe sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
            grew(new_size);
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn mib(bytes: usize) -> String {
    format!("{:.1} MiB", bytes as f64 / (1u64 << 20) as f64)
}

fn rss() -> String {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| status.lines().find(|l| l.starts_with(name)).map(|l| l[name.len()..].trim().to_string()).unwrap_or_default();
    format!("RSS {} (peak {})", field("VmRSS:"), field("VmHWM:"))
}

/// Runs `f` alone and reports the heap it keeps and the most it held at once.
fn stage<T>(name: &str, f: impl FnOnce() -> T) -> T {
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let start = Instant::now();
    let value = f();
    let after = LIVE.load(Ordering::Relaxed);
    let peak = PEAK.load(Ordering::Relaxed);
    eprintln!(
        "stage {name:<24} {:>8.2?}  retained {:>11}  peak {:>11} over what was live before",
        start.elapsed(),
        mib(after.saturating_sub(before)),
        mib(peak - before)
    );
    value
}

/// Drops `value` and reports how much heap it held.
fn held<T>(name: &str, value: T) {
    let before = LIVE.load(Ordering::Relaxed);
    drop(value);
    eprintln!("held  {name:<24} {:>11}", mib(before.saturating_sub(LIVE.load(Ordering::Relaxed))));
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        eprintln!("usage: alloc_profile GUIDE OUT [--sample-ms N]");
        std::process::exit(2);
    }
    let guide_dir = Path::new(&args[1]);
    let out = Path::new(&args[2]);
    let sample_ms: u64 = args.iter().position(|a| a == "--sample-ms").and_then(|i| args.get(i + 1)).and_then(|v| v.parse().ok()).unwrap_or(100);

    // Stage lines from the library too (it reads the variable once, on first use).
    // SAFETY: no other thread is running yet.
    unsafe { std::env::set_var("FIXBOOK_TIMINGS", "1") };
    let parts: Vec<u32> = args
        .iter()
        .position(|a| a == "--parts")
        .and_then(|i| args.get(i + 1))
        .map_or_else(|| vec![1, 2, 3], |v| v.split(',').filter_map(|p| p.parse().ok()).collect());
    if parts.contains(&1) {
        part_stages(guide_dir, out);
    }
    if parts.contains(&2) {
        part_build(guide_dir, out, sample_ms);
    }
    if parts.contains(&3) {
        part_files(guide_dir, out);
    }
}

fn part_stages(guide_dir: &Path, out: &Path) {
    eprintln!("== part 1: stages one at a time (heap counted by the global allocator)");
    let options = fixbook::CompileOptions { render: false, exclude: vec![out.to_path_buf()], ..Default::default() };
    let compiled = stage("load+model+check", || fixbook::compile(guide_dir, &options)).expect("readable guide");
    let Some(guide) = compiled.guide.as_ref() else {
        eprintln!("the guide has errors; run `fixbook check`");
        std::process::exit(1);
    };
    let indexes = stage("index::build", || fixbook::index::build(guide));
    let search = stage("index::search::build", || fixbook::index::search::build(guide));
    let search_files = stage("site::data::search_files", || fixbook::site::data::search_files(&search));
    let search_bytes: usize = search_files.iter().map(|f| f.bytes.len()).sum();
    eprintln!("      search files: {} files, {}", search_files.len(), mib(search_bytes));
    let filter = stage("index::filter::build", || fixbook::index::filter::build(guide));
    let filter_file = stage("site::data::filter_file", || fixbook::site::data::filter_file(&filter));
    eprintln!("      filter file: {}", mib(filter_file.bytes.len()));
    held("filter file", filter_file);
    held("filter data", filter);
    held("search files", search_files);
    held("search index", search);
    held("indexes", indexes);
    let fixbook::Compiled { guide, theme, diagnostics, sources, .. } = compiled;
    eprintln!("      {} diagnostics", diagnostics.len());
    held("diagnostics", diagnostics);
    held("theme (compiled templates)", theme);
    // Section text the model shares with the SourceMap (`Arc<str>`) counts
    // under the one dropped last: the sources.
    held("model (Guide)", guide);
    held("sources (SourceMap)", sources);
    eprintln!("      live heap now {}; {}", mib(LIVE.load(Ordering::Relaxed)), rss());
}

fn part_build(guide_dir: &Path, out: &Path, sample_ms: u64) {
    eprintln!("\n== part 2: fixbook::build, as the CLI runs it, with FIXBOOK_TIMINGS=1 and heap samples every {sample_ms} ms");
    PEAK.store(LIVE.load(Ordering::Relaxed), Ordering::Relaxed);
    let allocations_before = ALLOCATIONS.load(Ordering::Relaxed);
    let allocated_before = ALLOCATED.load(Ordering::Relaxed);
    let done = std::sync::Arc::new(AtomicBool::new(false));
    let start = Instant::now();
    let sampler = {
        let done = done.clone();
        std::thread::spawn(move || {
            while !done.load(Ordering::Relaxed) {
                eprintln!(
                    "  heap at {:>6.2}s: live {:>11}, peak so far {:>11}, {}",
                    start.elapsed().as_secs_f64(),
                    mib(LIVE.load(Ordering::Relaxed)),
                    mib(PEAK.load(Ordering::Relaxed)),
                    rss()
                );
                std::thread::sleep(Duration::from_millis(sample_ms));
            }
        })
    };
    let options = fixbook::CompileOptions { render: true, exclude: vec![out.to_path_buf()], ..Default::default() };
    let (compiled, outcome) = fixbook::build(guide_dir, out, &options).expect("readable guide");
    done.store(true, Ordering::Relaxed);
    sampler.join().expect("sampler thread");
    match outcome {
        Some(Ok(summary)) => {
            eprintln!("built {} sections: {} pages, {} files in {:.2?}", summary.sections, summary.pages, summary.files_written, start.elapsed())
        }
        Some(Err(e)) => eprintln!("write failed: {e}"),
        None => eprintln!("not built: {} diagnostics", compiled.diagnostics.len()),
    }
    eprintln!(
        "build: peak live heap {}, {} allocations, {} allocated in total; {}",
        mib(PEAK.load(Ordering::Relaxed)),
        ALLOCATIONS.load(Ordering::Relaxed) - allocations_before,
        mib((ALLOCATED.load(Ordering::Relaxed) - allocated_before) as usize),
        rss()
    );
}

/// What kind of output file a path is, for the part 3 summary.
fn kind(path: &str) -> &'static str {
    if path == "print.html" {
        "print.html"
    } else if path == "index.html" {
        "index.html"
    } else if path == "settings.html" {
        "settings.html"
    } else if path.starts_with("checklists/data/") {
        "checklists/data/ (scripts)"
    } else if path.starts_with("checklists/") {
        "checklists/ (pages)"
    } else if path.starts_with("_fixbook/search/") {
        "_fixbook/search/"
    } else if path.starts_with("_fixbook/") {
        "_fixbook/ (other)"
    } else if path.starts_with("symptoms/") {
        "symptoms/"
    } else if path.ends_with(".html") {
        "section and other pages"
    } else {
        "other files"
    }
}

#[derive(Default)]
struct Kind {
    files: usize,
    bytes: usize,
    /// The most heap making one file of this kind added (over what was live when the previous file came out).
    max_extra: usize,
    max_extra_file: String,
}

fn part_files(guide_dir: &Path, out: &Path) {
    eprintln!("\n== part 3: render on one thread, each file dropped as it comes; heap each file costs while it is made");
    let options = fixbook::CompileOptions { render: false, exclude: vec![out.to_path_buf()], ..Default::default() };
    let compiled = fixbook::compile(guide_dir, &options).expect("readable guide");
    let Some(guide) = compiled.guide.as_ref() else {
        eprintln!("the guide has errors; run `fixbook check`");
        std::process::exit(1);
    };
    let Some(theme) = compiled.theme.as_ref() else {
        eprintln!("the theme does not load; run `fixbook check`");
        std::process::exit(1);
    };
    let base = LIVE.load(Ordering::Relaxed);
    eprintln!("live before rendering (model, sources, diagnostics, theme): {}", mib(base));
    let kinds: std::sync::Mutex<std::collections::BTreeMap<&'static str, Kind>> = std::sync::Mutex::new(Default::default());
    let mark = AtomicUsize::new(base);
    PEAK.store(base, Ordering::Relaxed);
    let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build().expect("one-thread pool");
    let start = Instant::now();
    pool.install(|| {
        let problems = fixbook::pipeline::render(guide, theme, &|file| {
            let extra = PEAK.load(Ordering::Relaxed).saturating_sub(mark.load(Ordering::Relaxed));
            let bytes = file.bytes.len();
            let path = file.path;
            drop(file.bytes);
            let mut kinds = kinds.lock().expect("kinds lock");
            let k = kinds.entry(kind(&path)).or_default();
            k.files += 1;
            k.bytes += bytes;
            if extra > k.max_extra {
                k.max_extra = extra;
                k.max_extra_file = path;
            }
            drop(kinds);
            let now = LIVE.load(Ordering::Relaxed);
            mark.store(now, Ordering::Relaxed);
            PEAK.store(now, Ordering::Relaxed);
        });
        assert!(problems.is_empty(), "the site renders");
    });
    eprintln!("rendered in {:.2?} on one thread; live after: {}", start.elapsed(), mib(LIVE.load(Ordering::Relaxed)));
    eprintln!("{:<28} {:>7} {:>12} {:>14}  file that cost the most", "kind", "files", "bytes", "most at once");
    let kinds = kinds.into_inner().expect("kinds lock");
    let mut rows: Vec<_> = kinds.iter().collect();
    rows.sort_by_key(|(_, k)| std::cmp::Reverse(k.max_extra));
    for (name, k) in rows {
        eprintln!("{name:<28} {:>7} {:>12} {:>14}  {}", k.files, mib(k.bytes), mib(k.max_extra), k.max_extra_file);
    }
}
