//! Inputs for the fuzzer's file targets (`examples/fuzz_section.rs --target
//! symptoms|config|guide`): symptoms.yml and guide.toml texts, and whole
//! small guides (file names included), each a pure function of (seed,
//! index). Structure-aware generation (valid keys, wrong types, hostile
//! strings, indentation slips, odd file names) plus byte-level mutations.
//! Also the text form a saved guide input takes (`=== path` headers), which
//! `tests/fuzz_regressions.rs` reads back.

#![allow(dead_code)]

/// SplitMix64: tiny, fast and good enough to pick fragments; reproducible from a seed.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64, index: u64) -> Rng {
        let mut r = Rng(seed ^ index.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        r.next();
        r
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 { 0 } else { (self.next() % n as u64) as usize }
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

const TEXTS: &[&str] = &[
    "Wi-Fi keeps dropping",
    "Internet is slow",
    "<script>alert(1)</script>",
    "\"quoted\"",
    "'single'",
    "{{ config }}",
    "javascript:alert(1)",
    "設定 > 一般",
    "Ελληνικά",
    "😀",
    "\u{202E}rtl",
    "\u{0}",
    "\u{FEFF}",
    "",
    " ",
    "~",
    "null",
    "yes",
    "no",
    "true",
    "404",
    "1e999",
    "-0",
    "0x1F",
    "a: b",
    "- x",
    "[a, b]",
    "{a: 1}",
    "&anchor x",
    "*anchor",
    "!!str 5",
    "|\n  block",
    ">-\n  folded",
    "\"unterminated",
    "[unclosed",
    "# comment",
    "%TAG",
    "---",
    "...",
    "\t",
    "\r",
    "x\ny",
];

const IDS: &[&str] = &["wifi-drops", "slow", "x", "x-1", "x-n", "Wifi", "wifi drops", "wifi_drops", "-", "", "a--b", "sym-x", "404", "true", "ü"];

/// symptoms.yml: a catalog with entries of every shape, indentation slips,
/// unknown keys, duplicate ids and labels, then byte mutations.
pub fn symptoms_text(rng: &mut Rng) -> String {
    let mut s = String::new();
    if rng.chance(5) {
        s.push_str("# yaml-language-server: $schema=x\n");
    }
    if !rng.chance(4) {
        s.push_str(rng.pick(&["symptoms:\n", "symptoms:\n", "symptoms: []\n", "symptom:\n", "symptoms: x\n", "- id: a\n"]));
    }
    let base = rng.pick(&[2usize, 2, 2, 0, 4]);
    for _ in 0..rng.below(8) {
        let slip = |rng: &mut Rng| if rng.chance(6) { rng.pick(&[1usize, 3, 5]) } else { 0 };
        let indent = base + slip(rng);
        s.push_str(&" ".repeat(indent));
        s.push_str("- ");
        let keys = ["id", "label", "group", "aliases", "description", "Id", "lable", "", "id"];
        for k in 0..1 + rng.below(5) {
            let key = if k == 0 { "id" } else { rng.pick(&keys) };
            if k > 0 {
                s.push_str(&" ".repeat(base + 2 + slip(rng)));
            }
            s.push_str(key);
            s.push_str(rng.pick(&[": ", ": ", ":", " : ", ":\t"]));
            match (key, rng.below(6)) {
                ("id", 0..=3) => s.push_str(rng.pick(IDS)),
                ("aliases", 0..=2) => {
                    s.push('[');
                    for i in 0..rng.below(4) {
                        if i > 0 {
                            s.push_str(", ");
                        }
                        s.push_str(rng.pick(TEXTS));
                    }
                    s.push(']');
                }
                ("aliases", 3) => {
                    for _ in 0..rng.below(3) {
                        s.push('\n');
                        s.push_str(&" ".repeat(base + 4 + slip(rng)));
                        s.push_str("- ");
                        s.push_str(rng.pick(TEXTS));
                    }
                }
                (_, 0) => s.push_str(&serde_json::to_string(rng.pick(TEXTS)).unwrap_or_default()),
                _ => s.push_str(rng.pick(TEXTS)),
            }
            s.push('\n');
        }
    }
    mutate_maybe(rng, s)
}

/// guide.toml: every key with values of every kind (URLs that run code,
/// relative and protocol-relative ones), tables, unknown keys.
pub fn config_text(rng: &mut Rng) -> String {
    const KEYS: &[&str] = &["title", "title", "description", "language", "base_url", "edit_url", "titel", "baseurl", "[lint]", "\"title\"", "title.x", ""];
    const LINT: &[&str] = &["no_steps", "long_step", "max_step_words", "draft_only_fix", "settings_mismatch", "body_h1", "unknown"];
    const URLS: &[&str] = &[
        "https://example.org/docs/",
        "http://example.org",
        "https://example.org/edit/{path}",
        "javascript:alert(1)//{path}",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "//evil.example/{path}",
        "/edit/{path}",
        "../edit/{path}",
        "edit/{path}",
        "{path}",
        "https://",
        "https://exa mple.org",
        "https://example.org/?q=\"><script>",
        "mailto:a@b",
        "",
        "vbscript:x",
        "\u{0}https://x",
    ];
    let mut s = String::new();
    let mut in_lint = false;
    for _ in 0..rng.below(9) {
        let key = rng.pick(KEYS);
        if key == "[lint]" {
            s.push_str("[lint]\n");
            in_lint = true;
            continue;
        }
        let key = if in_lint && rng.chance(70) { rng.pick(LINT) } else { key };
        s.push_str(key);
        s.push_str(" = ");
        match rng.below(8) {
            0 | 1 if key.ends_with("url") => s.push_str(&toml_string(rng.pick(URLS))),
            0 => s.push_str(rng.pick(&["true", "false", "0", "-1", "18446744073709551616", "1.5", "nan", "inf", "1979-05-27", "[]", "{}"])),
            1 => s.push_str(&toml_string(rng.pick(URLS))),
            2 => s.push_str(&format!("[{}]", toml_string(rng.pick(TEXTS)))),
            3 => s.push_str(&format!("\"\"\"{}\"\"\"", rng.pick(TEXTS).replace('"', ""))),
            4 => s.push_str(&format!("'{}'", rng.pick(TEXTS).replace(['\'', '\n', '\r'], ""))),
            5 => s.push_str(rng.pick(&["\"en\"", "\"de-CH\"", "\"x\"", "\"en_US\"", "\"\"", "\"zh-Hant-TW\""])),
            _ => s.push_str(&toml_string(rng.pick(TEXTS))),
        }
        s.push('\n');
    }
    if !s.contains("title") || rng.chance(10) {
        s.insert_str(0, &format!("title = {}\n", toml_string(rng.pick(TEXTS))));
    }
    mutate_maybe(rng, s)
}

fn toml_string(text: &str) -> String {
    // A TOML basic string: JSON escapes are TOML escapes, except `\/`, which serde_json never writes.
    serde_json::to_string(text).unwrap_or_default()
}

/// A whole small guide: (path, text) files, names included — nested folders,
/// spaces and non-ASCII, case-only differences, reserved and generated page
/// names, folders named like pages, hidden files, `.MD`, theme overrides.
pub fn guide_files(rng: &mut Rng, sections: &[String]) -> Vec<(String, String)> {
    const NAMES: &[&str] = &[
        "reset.md",
        "net/wifi.md",
        "net/index.md",
        "Net/Wifi.md",
        "a b/ü ñ.md",
        "deep/er/still/x.md",
        "index.md",
        "Index.md",
        "print.md",
        "settings.md",
        "symptoms/x.md",
        "checklists/a.md",
        "_fixbook/style.css",
        "index.html/b.md",
        "reset.html/c.md",
        "guided.md",
        "search.md",
        "404.md",
        "all-fixes/1.md",
        "wifi.MD",
        "notes.markdown",
        ".hidden.md",
        ".git/config",
        "net/.draft.md",
        "img/logo.png",
        "img/x.svg",
        "files/manual.pdf",
        "theme/section.html",
        "theme/static/style.css",
        "theme/strings.toml",
        "theme/base.html",
        "net/wifi/index.md",
        "x.md/y.md",
        "caf\u{e9}.md",
        "cafe\u{301}.md",
        "a%20b.md",
        "a#b.md",
        "a?b.md",
        "con.md",
        "\u{202E}evil.md",
    ];
    let mut files: Vec<(String, String)> = Vec::new();
    if !rng.chance(5) {
        let config = if rng.chance(70) { "title = \"Fuzz guide\"\nbase_url = \"https://example.org/docs/\"\n".to_string() } else { config_text(rng) };
        files.push(("guide.toml".into(), config));
    }
    if rng.chance(70) {
        let catalog = if rng.chance(60) {
            "symptoms:\n  - id: wifi-drops\n    label: Wi-Fi keeps dropping\n    aliases: [wifi disconnects]\n  - id: slow\n    label: Internet is slow\n"
                .to_string()
        } else {
            symptoms_text(rng)
        };
        files.push(("symptoms.yml".into(), catalog));
    }
    for _ in 0..1 + rng.below(6) {
        let name = if rng.chance(15) { random_name(rng) } else { rng.pick(NAMES).to_string() };
        let text = if name.starts_with("theme/") {
            rng.pick(&[
                "{{ page.title }}",
                "{% extends \"base.html\" %}",
                "{{ undefined_thing }}",
                "{% block x %}",
                "body{}",
                "[home]\ntitle = \"x\"\n",
                "unknown_key = \"x\"\n",
            ])
            .to_string()
        } else if name.ends_with(".md") || name.ends_with(".MD") || name.ends_with(".markdown") {
            if !sections.is_empty() && rng.chance(70) {
                sections[rng.below(sections.len())].clone()
            } else {
                "---\ntitle: T\n---\n1. **Do** — it\n".to_string()
            }
        } else {
            rng.pick(&["\u{89}PNG", "<svg onload=alert(1)></svg>", "plain", ""]).to_string()
        };
        files.push((name, mutate_maybe(rng, text)));
    }
    files
}

const LONG: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

/// A file name from pieces: separators, dots, case, Unicode, length.
fn random_name(rng: &mut Rng) -> String {
    let pieces = ["a", "B", "..", ".", "", " ", "é", "設定", "index", "print", "html", "md", "-", "_", "%2e", "\\", ":", "\u{0}", "\u{7}", LONG];
    let mut name = String::new();
    for i in 0..1 + rng.below(4) {
        if i > 0 {
            name.push('/');
        }
        for _ in 0..1 + rng.below(3) {
            name.push_str(rng.pick(&pieces));
        }
    }
    name.push_str(rng.pick(&[".md", ".md", ".png", ".html", ".MD", ""]));
    name
}

/// Byte-level mutations a quarter of the time (kept UTF-8: the loader's
/// invalid-UTF-8 path is covered by tests/bad_input.rs).
pub fn mutate_maybe(rng: &mut Rng, text: String) -> String {
    if !rng.chance(25) {
        return text;
    }
    let mut bytes = text.into_bytes();
    for _ in 0..1 + rng.below(6) {
        let len = bytes.len();
        match rng.below(5) {
            0 if len > 0 => {
                let i = rng.below(len);
                bytes[i] ^= 1 << rng.below(7);
            }
            1 => {
                let at = rng.below(len + 1);
                let b = rng.pick(b"\n\r \t-:#[]{}\"'=>|&*!");
                bytes.insert(at, b);
            }
            2 if len > 0 => {
                let i = rng.below(len);
                let n = rng.below((len - i).min(32) + 1);
                bytes.drain(i..i + n);
            }
            3 if len > 0 => {
                let i = rng.below(len);
                let n = rng.below((len - i).min(48) + 1);
                let chunk = bytes[i..i + n].to_vec();
                let at = rng.below(len + 1);
                bytes.splice(at..at, chunk);
            }
            _ if len > 0 => bytes.truncate(rng.below(len)),
            _ => {}
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// A guide as one text: `=== <bytes> <path>` before each file's text (its
/// length in bytes, so a text may hold anything; paths hold no line break).
pub fn guide_to_text(files: &[(String, String)]) -> String {
    files.iter().map(|(path, text)| format!("=== {} {}\n{text}\n", text.len(), path.replace(['\n', '\r'], " "))).collect()
}

/// `guide_to_text` read back (a malformed text gives the files read so far).
pub fn guide_from_text(text: &str) -> Vec<(String, String)> {
    let mut files = Vec::new();
    let mut rest = text;
    while let Some(header) = rest.strip_prefix("=== ") {
        let Some((line, after)) = header.split_once('\n') else { break };
        let Some((len, path)) = line.split_once(' ') else { break };
        let Some(body) = len.parse::<usize>().ok().and_then(|n| after.get(..n)) else { break };
        files.push((path.to_string(), body.to_string()));
        rest = after[body.len()..].strip_prefix('\n').unwrap_or(&after[body.len()..]);
    }
    files
}
