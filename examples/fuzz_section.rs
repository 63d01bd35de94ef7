//! A stable-Rust fuzzer for "one section file → check + render" (cargo-fuzz
//! needs nightly). Inputs are structure-aware: random front matter (YAML or
//! TOML, valid keys, wrong types, hostile strings) plus a Markdown body
//! assembled from a corpus of fragments, then byte-level mutations; a fifth
//! of the inputs mutate real sections from tests/fixtures and guide/.
//!
//! Every input is a pure function of (seed, index), so a run is reproducible
//! and a crash can be re-created from its index. Panics are caught with
//! `catch_unwind`; crashes that kill the process (stack overflow, abort) are
//! caught by running the work in a child process and re-running the failing
//! chunk one input at a time. Crash inputs are saved to tests/fuzz-regressions/,
//! which `cargo test --test fuzz_regressions` replays.
//!
//! `--target` picks what is fuzzed: `section` (the default, above),
//! `symptoms` (symptoms.yml), `config` (guide.toml) or `guide` (a whole
//! small guide, file names included, through the pipeline from the loader's
//! sorting on); their inputs come from tests/support/fuzz_files.rs. Crash
//! inputs are saved as `.md`, `.yml`, `.toml` or `.guide` files.
//!
//! Run (release, about 1M inputs):
//!   cargo run --release --example fuzz_section -- --execs 1000000
//! Options: --target T, --seed N (default 1), --chunk N (inputs per child,
//! default 20000), --render-every N (section: render the whole site for
//! every Nth parsed input; default 1).

#[path = "../tests/support/fuzz_files.rs"]
mod fuzz_files;
#[path = "../tests/support/fuzz_target.rs"]
mod fuzz_target;

use std::io::{BufRead, BufReader, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::Instant;

use fuzz_target::Target;

/// SplitMix64: tiny, fast and good enough to pick fragments; reproducible from a seed.
struct Rng(u64);

impl Rng {
    fn new(seed: u64, index: u64) -> Rng {
        let mut r = Rng(seed ^ index.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        r.next();
        r
    }
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { (self.next() % n as u64) as usize }
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

const KEYS: &[&str] = &[
    "title",
    "title",
    "title",
    "summary",
    "weight",
    "symptoms",
    "settings",
    "draft",
    "applies_to",
    "reviewed",
    "escalation",
    "titel",
    "tags",
    "",
    "Title",
    "symptoms.x",
    "\"title\"",
    "? title",
];

const STRINGS: &[&str] = &[
    "Restart the router",
    "<script>alert(1)</script>",
    "\"onload=\"alert(1)",
    "</script><script>alert(2)</script>",
    "{{ config }}",
    "{% raw %}",
    "' OR 1=1 --",
    "&amp;",
    "javascript:alert(1)",
    "設定 > 一般",
    "Ελληνικά Βήματα",
    "😀 emoji",
    "\u{202E}rtl override",
    "a\u{0}nul",
    "\u{FEFF}bom",
    "x\ty",
    "",
    " ",
    "~",
    "null",
    "yes",
    "no",
    "0x1F",
    "1e999",
    "-0",
    "2026-02-30",
    "2026-13-01",
    "2024-02-29",
    "9999-12-31",
    "a > b",
    "Settings > > Wi-Fi",
    "> x",
    "x >",
    "Settings>>General",
    "wifi-drops",
    "slow",
    "WIFI",
    "wifi drops",
    "..",
    "../x",
    "%2e%2e",
    "\\",
    "\r",
    "line\nbreak",
];

const SCALARS: &[&str] = &[
    "0",
    "-1",
    "10",
    "99999999999999999999",
    "-9223372036854775808",
    "9223372036854775807",
    "9223372036854775808",
    "1.5",
    "true",
    "false",
    "yes",
    "no",
    "on",
    "~",
    "null",
    "",
    ".inf",
    ".nan",
    "0o17",
    "0x1F",
    "2026-11-01",
    "2026-11-01T10:00:00Z",
    "[]",
    "{}",
    "[a, b]",
    "{a: 1}",
    "!!str 5",
    "!!binary aGVsbG8=",
    "&anchor x",
    "*anchor",
    "|\n  block\n  text",
    ">-\n  folded",
    "'single ''quoted'''",
    "\"esc \\u0041 \\x41 \\\" \\q\"",
    "\"unterminated",
    "[unclosed",
    "{unclosed",
    "- a\n- b",
    "\n  - wifi-drops\n  - slow",
    "\n  - \"Settings > Wi-Fi\"\n  - Settings >> X",
    "a: b: c",
    "@reserved",
    "`tick",
    "%TAG",
    "---",
    "...",
    "# comment",
    "\t1",
];

const MD: &[&str] = &[
    "# Heading\n",
    "## Steps\n",
    "### Sub {#custom-id}\n",
    "## Sub {#custom-id}\n",
    "#### \n",
    "####### seven\n",
    "1. **Restart** the router\n",
    "2. Unplug it\n",
    "1) Paren step\n",
    "10. Ten\n",
    "   1. nested step\n",
    "- bullet\n",
    "  - nested bullet\n",
    "* [ ] task\n",
    "* [x] done\n",
    "> quote\n",
    "> > > deep quote\n",
    "```bash\nping 1.1.1.1\n```\n",
    "```\nno lang\n```\n",
    "```routeros\n/ip print\n```\n",
    "```\nunterminated fence\n",
    "~~~ {.rust}\nfn main(){}\n~~~\n",
    "    indented code\n",
    "`Settings > Wi-Fi > Advanced`",
    "`Settings >> X`",
    "`>`",
    "[other](other.md)",
    "[other](../net/other.md#steps)",
    "[anchor](#steps)",
    "[missing](nope.md)",
    "[bad](#nope)",
    "[js](javascript:alert(1))",
    "[js2](JaVaScRiPt:alert(1))",
    "[vb](vbscript:x)",
    "[data](data:text/html,<script>alert(1)</script>)",
    "[ws]( javascript:alert(1) )",
    "[ent](&#106;avascript:alert(1))",
    "[tab](java\tscript:x)",
    "<javascript:alert(1)>",
    "![img](../assets/x.png)",
    "![alt <b>](x.svg \"t\")",
    "[ref]\n\n[ref]: other.md",
    "[^1]\n\n[^1]: note [l](other.md)\n",
    "| a | b |\n|---|---|\n| 1 | 2 |\n",
    "| a |\n|---|\n| `x|y` |\n",
    "<script>alert(1)</script>\n",
    "<div onload=alert(1)>\n",
    "<!-- comment -->\n",
    "<a href=\"javascript:alert(1)\">x</a>",
    "**bold** _em_ ~~strike~~",
    "***",
    "---\n",
    "+++\n",
    "\\",
    "&amp; &lt; &#0; &#xFFFFFF;",
    "😀",
    "設定",
    "\u{0}",
    "\r\n",
    "\t",
    "\u{200B}",
    "\u{FEFF}",
    "\u{202E}",
    "https://example.org/<script>",
    "www.example.org",
    "<https://example.org>",
    "[[wiki]]",
    "{{ config }}",
    "{% raw %}",
    "$$ math $$",
    "Term\n: definition\n",
    "Setext\n===\n",
    "Setext2\n---\n",
    "1. **Step with title** — and text\n",
    "1. **Open** `Settings > General`\n   - sub\n   ```\n   code\n   ```\n",
    "\n\n",
    " ",
    "<details><summary>s</summary>x</details>\n",
];

fn push_value(rng: &mut Rng, out: &mut String, toml: bool) {
    if toml {
        match rng.below(6) {
            0 => out.push_str(rng.pick(SCALARS)),
            1 => {
                out.push('[');
                for i in 0..rng.below(4) {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    out.push_str(&format!("{:?}", rng.pick(STRINGS)));
                }
                out.push(']');
            }
            _ => out.push_str(&format!("{:?}", rng.pick(STRINGS))),
        }
    } else {
        match rng.below(7) {
            0 | 1 => out.push_str(rng.pick(SCALARS)),
            2 => out.push_str(&format!("{:?}", rng.pick(STRINGS))),
            3 => {
                out.push('[');
                for i in 0..rng.below(4) {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    out.push_str(rng.pick(STRINGS));
                }
                out.push(']');
            }
            4 => {
                for _ in 0..rng.below(4) {
                    out.push_str("\n  - ");
                    out.push_str(rng.pick(STRINGS));
                }
            }
            _ => out.push_str(rng.pick(STRINGS)),
        }
    }
}

/// Strings that are valid where a string is expected, hostile to escaping.
const SAFE_STRINGS: &[&str] = &[
    "Restart the router",
    "<script>alert(1)</script>",
    "\"onload=\"alert(1)",
    "</script><script>alert(2)</script>",
    "{{ config }}",
    "{% raw %}",
    "' OR 1=1 --",
    "&amp;",
    "javascript:alert(1)",
    "設定 一般",
    "Ελληνικά Βήματα",
    "😀 emoji",
    "\u{202E}rtl",
    "a\\b",
    "<!--",
    "]]>",
    "\u{2028}",
];
const SAFE_PATHS: &[&str] = &["Settings > Wi-Fi", "Settings > Wi-Fi > Advanced", "設定 > 一般", "<b> > </script>", "A > B > C > D > E > F > G > H > I"];
/// Body fragments that do not make the section invalid (no broken links).
const SAFE_MD: &[usize] = &[0, 1, 2, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 22, 23, 26, 27, 28, 31, 32, 33, 34, 35];

/// A section that is valid apart from what the body fragments do: exercises
/// the renderer and the checks on the success path.
fn generate_sane(rng: &mut Rng) -> String {
    let toml = rng.chance(20);
    let q = |v: &str| serde_json::to_string(v).expect("a string serializes");
    let list = |rng: &mut Rng, items: &[&str]| (0..rng.below(3)).map(|_| q(rng.pick(items))).collect::<Vec<_>>().join(", ");
    let mut fm = vec![format!("title{}{}", if toml { " = " } else { ": " }, q(rng.pick(SAFE_STRINGS)))];
    let sep = if toml { " = " } else { ": " };
    if rng.chance(50) {
        fm.push(format!("summary{sep}{}", q(rng.pick(SAFE_STRINGS))));
    }
    if rng.chance(50) {
        fm.push(format!("weight{sep}{}", rng.pick(&["0", "-5", "10", "9223372036854775807"])));
    }
    if rng.chance(60) {
        fm.push(format!("symptoms{sep}[{}]", list(rng, &["wifi-drops", "slow"])));
    }
    if rng.chance(60) {
        fm.push(format!("settings{sep}[{}]", list(rng, SAFE_PATHS)));
    }
    if rng.chance(30) {
        fm.push(format!("applies_to{sep}[{}]", list(rng, SAFE_STRINGS)));
    }
    if rng.chance(20) {
        fm.push(format!("draft{sep}{}", rng.pick(&["true", "false"])));
    }
    if rng.chance(20) {
        fm.push(format!("escalation{sep}{}", rng.pick(&["true", "false"])));
    }
    if rng.chance(20) {
        fm.push(format!("reviewed{sep}{}", if toml { "2026-11-01" } else { "2024-02-29" }));
    }
    let fence = if toml { "+++" } else { "---" };
    let mut s = format!("{fence}\n{}\n{fence}\n", fm.join("\n"));
    for _ in 0..rng.below(25) {
        let depth = if rng.chance(5) { rng.below(40) } else { 0 };
        for _ in 0..depth {
            s.push_str(rng.pick(&["  ", "- ", "> ", "1. "]));
        }
        s.push_str(MD[rng.pick(SAFE_MD)]);
        if rng.chance(60) {
            s.push('\n');
        }
    }
    s
}

fn generate(rng: &mut Rng) -> String {
    if rng.chance(55) {
        return generate_sane(rng);
    }
    let mut s = String::new();
    let toml = rng.chance(20);
    let fence = if toml { "+++" } else { "---" };
    if !rng.chance(3) {
        s.push_str(fence);
        s.push_str(if rng.chance(10) { "\r\n" } else { "\n" });
        for _ in 0..rng.below(8) {
            let key = rng.pick(KEYS);
            if rng.chance(5) {
                s.push_str(rng.pick(&["  ", "\t", "- ", "# "]));
            }
            s.push_str(key);
            s.push_str(if toml { " = " } else { ": " });
            push_value(rng, &mut s, toml);
            s.push('\n');
        }
        if !rng.chance(3) {
            s.push_str(if rng.chance(3) && !toml { "..." } else { fence });
            s.push('\n');
        }
    }
    let fragments = rng.below(30);
    for _ in 0..fragments {
        let depth = if rng.chance(3) { rng.below(60) } else { 0 };
        for _ in 0..depth {
            s.push_str(rng.pick(&["  ", "- ", "> ", "1. ", "   "]));
        }
        s.push_str(rng.pick(MD));
        if rng.chance(50) {
            s.push(if rng.chance(80) { '\n' } else { ' ' });
        }
    }
    s
}

fn mutate(rng: &mut Rng, bytes: &mut Vec<u8>) {
    for _ in 0..1 + rng.below(8) {
        let len = bytes.len();
        match rng.below(7) {
            0 if len > 0 => {
                let i = rng.below(len);
                bytes[i] ^= 1 << rng.below(8);
            }
            1 => {
                let i = rng.below(len + 1);
                let b = rng.pick(&[b'\n', b'\r', b'-', b'+', b'>', b':', b'#', b'`', b'[', b']', b'\t', b' ', 0, 0xFF, 0xC3]);
                bytes.insert(i, b);
            }
            2 if len > 0 => {
                let i = rng.below(len);
                let n = rng.below((len - i).min(64) + 1);
                bytes.drain(i..i + n);
            }
            3 if len > 0 => {
                let i = rng.below(len);
                let n = rng.below((len - i).min(64) + 1);
                let chunk = bytes[i..i + n].to_vec();
                let at = rng.below(len + 1);
                bytes.splice(at..at, chunk);
            }
            4 => {
                let at = rng.below(len + 1);
                let frag = rng.pick(MD).as_bytes();
                bytes.splice(at..at, frag.iter().copied());
            }
            5 if len > 0 => bytes.truncate(rng.below(len)),
            _ => {
                let at = rng.below(len + 1);
                let frag = rng.pick(SCALARS).as_bytes();
                bytes.splice(at..at, frag.iter().copied());
            }
        }
    }
}

/// Seed sections: every `.md` under tests/fixtures and guide/, sorted.
fn load_corpus(root: &Path) -> Vec<String> {
    let mut found = Vec::new();
    for dir in ["tests/fixtures", "guide"] {
        for entry in walkdir::WalkDir::new(root.join(dir)).sort_by_file_name().into_iter().flatten() {
            if entry.file_type().is_file()
                && entry.path().extension().is_some_and(|e| e == "md")
                && let Ok(text) = std::fs::read_to_string(entry.path())
            {
                found.push(text);
            }
        }
    }
    found
}

/// The input for (seed, index): a file path and its text.
fn input(seed: u64, index: u64, corpus: &[String]) -> (String, String) {
    let mut rng = Rng::new(seed, index);
    let base = if !corpus.is_empty() && rng.chance(20) { corpus[rng.below(corpus.len())].clone() } else { generate(&mut rng) };
    let mut bytes = base.into_bytes();
    if rng.chance(25) {
        mutate(&mut rng, &mut bytes);
    }
    let path = if rng.chance(90) {
        rng.pick(&["s.md", "net/s.md", "a b/ü ñ.md", "deep/er/still/x.md"])
    } else {
        // Names that collide with the sibling or with generated pages.
        rng.pick(&["net/other.md", "NET/OTHER.md", "print.md", "symptoms/x.md", "_fixbook/style.md", "index.md"])
    }
    .to_string();
    (path, String::from_utf8_lossy(&bytes).into_owned())
}

fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ b as u64).wrapping_mul(0x100_0000_01b3))
}

/// The input of a file target for (seed, index): its text (a guide as
/// `fuzz_files::guide_to_text`).
fn file_input(target: &str, seed: u64, index: u64, corpus: &[String]) -> String {
    let mut rng = fuzz_files::Rng::new(seed, index);
    match target {
        "symptoms" => fuzz_files::symptoms_text(&mut rng),
        "config" => fuzz_files::config_text(&mut rng),
        _ => fuzz_files::guide_to_text(&fuzz_files::guide_files(&mut rng, corpus)),
    }
}

/// Runs one input of any target.
fn run_one(args: &Args, target: &Target, index: u64, corpus: &[String]) -> (String, String, fuzz_target::Outcome) {
    match args.target.as_str() {
        "section" => {
            let (path, text) = input(args.seed, index, corpus);
            let outcome = target.run(&path, &text, index.is_multiple_of(args.render_every));
            (path, text, outcome)
        }
        kind => {
            let text = file_input(kind, args.seed, index, corpus);
            let outcome = match kind {
                "symptoms" => fuzz_target::run_symptoms(&text),
                "config" => fuzz_target::run_config(&text),
                _ => fuzz_target::run_guide(&fuzz_files::guide_from_text(&text)),
            };
            (kind.to_string(), text, outcome)
        }
    }
}

/// The saved input's extension for a target.
fn extension(target: &str) -> &'static str {
    match target {
        "symptoms" => "yml",
        "config" => "toml",
        "guide" => "guide",
        _ => "md",
    }
}

/// The (path, text) of input `index` again, for saving.
fn replay_input(args: &Args, index: u64, corpus: &[String]) -> (String, String) {
    match args.target.as_str() {
        "section" => input(args.seed, index, corpus),
        kind => (kind.to_string(), file_input(kind, args.seed, index, corpus)),
    }
}

fn save_crash(dir: &Path, kind: &str, ext: &str, path: &str, text: &str, why: &str) -> PathBuf {
    std::fs::create_dir_all(dir).expect("create tests/fuzz-regressions");
    let file = dir.join(format!("{kind}-{:016x}.{ext}", fnv(text)));
    std::fs::write(&file, text).expect("save crash input");
    std::fs::write(file.with_extension("txt"), format!("path: {path}\n{why}\n")).expect("save crash note");
    file
}

struct Args {
    target: String,
    execs: u64,
    seed: u64,
    chunk: u64,
    render_every: u64,
    worker: Option<(u64, u64)>,
    trace: bool,
    stats: bool,
}

fn parse_args() -> Args {
    let mut a = Args { target: "section".to_string(), execs: 1_000_000, seed: 1, chunk: 20_000, render_every: 1, worker: None, trace: false, stats: false };
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    let num = |i: usize| -> u64 { args.get(i + 1).and_then(|v| v.parse().ok()).unwrap_or_else(|| panic!("{} needs a number", args[i])) };
    while i < args.len() {
        i += match args[i].as_str() {
            "--execs" => (a.execs = num(i), 2).1,
            "--target" => {
                a.target = args.get(i + 1).cloned().unwrap_or_default();
                assert!(["section", "symptoms", "config", "guide"].contains(&a.target.as_str()), "--target section|symptoms|config|guide");
                2
            }
            "--seed" => (a.seed = num(i), 2).1,
            "--chunk" => (a.chunk = num(i).max(1), 2).1,
            "--render-every" => (a.render_every = num(i).max(1), 2).1,
            "--worker" => {
                a.worker = Some((num(i), args.get(i + 2).and_then(|v| v.parse().ok()).expect("--worker START COUNT")));
                3
            }
            "--trace" => (a.trace = true, 1).1,
            "--stats" => (a.stats = true, 1).1,
            other => panic!("unknown argument {other}"),
        };
    }
    a
}

static LAST_PANIC: Mutex<Option<String>> = Mutex::new(None);

/// Child process: runs inputs [start, start+count), catching panics, and
/// reports `done <parsed> <rendered> <panics>` on stdout.
fn worker(args: &Args, start: u64, count: u64, root: &Path, crash_dir: &Path) {
    std::panic::set_hook(Box::new(|info| {
        *LAST_PANIC.lock().unwrap_or_else(|e| e.into_inner()) = Some(info.to_string());
    }));
    let corpus = load_corpus(root);
    let target = Target::new();
    let (mut parsed, mut rendered, mut panics) = (0u64, 0u64, 0u64);
    let mut codes: std::collections::BTreeMap<&'static str, u64> = Default::default();
    let stderr = std::io::stderr();
    for index in start..start + count {
        if args.trace {
            let _ = writeln!(stderr.lock(), "index {index}");
        }
        match catch_unwind(AssertUnwindSafe(|| run_one(args, &target, index, &corpus).2)) {
            Ok(outcome) => {
                parsed += outcome.parsed as u64;
                rendered += (outcome.rendered_files > 0) as u64;
                *codes.entry(outcome.first_error.unwrap_or("(no error)")).or_default() += 1;
            }
            Err(_) => {
                panics += 1;
                let why = LAST_PANIC.lock().unwrap_or_else(|e| e.into_inner()).take().unwrap_or_default();
                let (path, text) = replay_input(args, index, &corpus);
                let file = save_crash(crash_dir, "panic", extension(&args.target), &path, &text, &format!("seed {} index {index}\n{why}", args.seed));
                eprintln!("PANIC at index {index}: {why}\n  saved {}", file.display());
            }
        }
    }
    if args.stats {
        let mut by_count: Vec<_> = codes.into_iter().collect();
        by_count.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
        for (code, n) in by_count {
            eprintln!("{n:>8}  {code}");
        }
    }
    println!("done {parsed} {rendered} {panics}");
}

fn main() {
    let args = parse_args();
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let crash_dir = root.join("tests/fuzz-regressions");
    if let Some((start, count)) = args.worker {
        worker(&args, start, count, &root, &crash_dir);
        return;
    }
    let exe = std::env::current_exe().expect("own path");
    let corpus = load_corpus(&root);
    let started = Instant::now();
    let (mut done, mut parsed, mut rendered, mut panics, mut aborts) = (0u64, 0u64, 0u64, 0u64, 0u64);
    let mut next = 0u64;
    eprintln!(
        "fuzz_section: target {} · seed {} · {} inputs · corpus of {} sections · chunks of {}",
        args.target,
        args.seed,
        args.execs,
        corpus.len(),
        args.chunk
    );
    while next < args.execs {
        let count = args.chunk.min(args.execs - next);
        let common = |c: &mut Command| {
            c.args(["--target", &args.target, "--seed", &args.seed.to_string(), "--render-every", &args.render_every.to_string()]);
        };
        let mut cmd = Command::new(&exe);
        common(&mut cmd);
        cmd.args(["--worker", &next.to_string(), &count.to_string()]).stdout(Stdio::piped());
        let output = cmd.output().expect("run worker");
        let stdout = String::from_utf8_lossy(&output.stdout);
        if output.status.success()
            && let Some(line) = stdout.lines().find(|l| l.starts_with("done "))
        {
            let n: Vec<u64> = line.split_whitespace().skip(1).filter_map(|v| v.parse().ok()).collect();
            parsed += n[0];
            rendered += n[1];
            panics += n[2];
            done += count;
            next += count;
        } else {
            // The child died without unwinding: find the input one by one.
            let mut cmd = Command::new(&exe);
            common(&mut cmd);
            cmd.args(["--worker", &next.to_string(), &count.to_string(), "--trace"]).stdout(Stdio::null()).stderr(Stdio::piped());
            let mut child = cmd.spawn().expect("run tracing worker");
            let mut last = next;
            for line in BufReader::new(child.stderr.take().expect("stderr")).lines().map_while(Result::ok) {
                if let Some(i) = line.strip_prefix("index ").and_then(|v| v.parse().ok()) {
                    last = i;
                }
            }
            let status = child.wait().expect("wait");
            let (path, text) = replay_input(&args, last, &corpus);
            let file =
                save_crash(&crash_dir, "abort", extension(&args.target), &path, &text, &format!("seed {} index {last}\nchild exited with {status}", args.seed));
            eprintln!("ABORT at index {last} ({status}); saved {}", file.display());
            aborts += 1;
            done += last + 1 - next;
            next = last + 1;
        }
        let secs = started.elapsed().as_secs_f64();
        eprintln!("{done} execs · {parsed} parsed · {rendered} rendered · {panics} panics · {aborts} aborts · {:.0}s · {:.0}/s", secs, done as f64 / secs);
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "fuzz_section finished: target {} · {done} executions, {parsed} parsed sections, {rendered} full-site renders, {panics} panics, {aborts} aborts, {secs:.1}s",
        args.target
    );
    if panics + aborts > 0 {
        std::process::exit(1);
    }
}
