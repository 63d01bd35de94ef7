//! Silent collisions (issue 19, items 9–14): guides whose names or ids
//! collide with what fixbook generates. Each must either build with every
//! id and page distinct, or be refused by `check` with a diagnostic naming
//! both sides. Guides are written into temporary folders by the tests.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use html5gum::{Token, Tokenizer};

/// A guide in a temporary folder; `out` is beside it.
struct Guide {
    tmp: tempfile::TempDir,
}

impl Guide {
    fn new(files: &[(&str, &str)]) -> Guide {
        let tmp = tempfile::tempdir().unwrap();
        let guide = Guide { tmp };
        guide.write("guide.toml", "title = \"Collisions\"\n");
        for (path, text) in files {
            guide.write(path, text);
        }
        guide
    }

    fn dir(&self) -> PathBuf {
        self.tmp.path().join("g")
    }

    fn out(&self) -> PathBuf {
        self.tmp.path().join("out")
    }

    fn write(&self, path: &str, text: &str) {
        let path = self.dir().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::cargo_bin("fixbook").unwrap().env("NO_COLOR", "1").args(args).output().unwrap()
    }

    /// `fixbook build`; panics unless it succeeds. Returns every output file.
    fn build(&self) -> BTreeMap<String, Vec<u8>> {
        let out = self.run(&["build", self.dir().to_str().unwrap(), "-o", self.out().to_str().unwrap()]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        files(&self.out())
    }

    /// `fixbook check --format json`: (exit code, the JSON lines).
    fn check(&self) -> (i32, Vec<serde_json::Value>) {
        let out = self.run(&["check", "--format", "json", self.dir().to_str().unwrap()]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{stderr}");
        let lines = String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        (out.status.code().unwrap(), lines)
    }
}

fn files(root: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(root).unwrap().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap()))
        .collect()
}

/// Every `id` attribute of an HTML page, as a browser's tokenizer reads it.
fn ids(html: &[u8]) -> Vec<String> {
    let mut ids = Vec::new();
    let html = String::from_utf8_lossy(html);
    let mut emitter = html5gum::emitters::default::DefaultEmitter::default();
    emitter.naively_switch_states(true);
    for token in Tokenizer::new_with_emitter(&*html, emitter).flatten() {
        if let Token::StartTag(tag) = token
            && let Some(id) = tag.attributes.get(b"id".as_slice())
        {
            ids.push(String::from_utf8_lossy(id).into_owned());
        }
    }
    ids
}

#[track_caller]
fn assert_ids_unique(site: &BTreeMap<String, Vec<u8>>) {
    for (path, bytes) in site.iter().filter(|(p, _)| p.ends_with(".html")) {
        let mut seen = std::collections::HashSet::new();
        for id in ids(bytes) {
            assert!(seen.insert(id.clone()), "{path}: the id `{id}` is on two elements");
        }
    }
}

const SYMPTOMS: &str = "symptoms:\n  - id: x\n    label: X happens\n  - id: x-n\n    label: X-n happens\n  - id: filter\n    label: Filter\n";

#[test]
fn headings_named_like_the_themes_own_elements_keep_the_theme_working() {
    // Every id the default theme gives its own elements, as a heading of the
    // home page's intro and of a section.
    let theme_ids =
        ["All sections", "Filter results", "Filter summary", "Symptom filter", "Sections", "Results", "Main", "Site search", "Site search q", "Symptoms"];
    let mut intro = String::new();
    for h in theme_ids {
        intro.push_str(&format!("## {h}\n\ntext\n\n"));
    }
    intro.push_str("## Sym x\n\n## Sym x-n\n\n## Toc heading\n");
    let section = format!("---\ntitle: Fix x\nsymptoms: [x, x-n, filter]\n---\n{intro}\n1. **Do** — it\n");
    let g = Guide::new(&[("symptoms.yml", SYMPTOMS), ("index.md", &intro), ("fix.md", &section)]);
    let site = g.build();
    assert_ids_unique(&site);
    // The filter's checkboxes keep their ids and the theme's elements theirs.
    let home = ids(&site["index.html"]);
    // (The home page no longer lists every section, so `all-sections` is not on it; a heading still never takes it.)
    for id in ["sections", "results", "symptom-filter"] {
        assert_eq!(home.iter().filter(|i| *i == id).count(), 1, "{id}");
    }
    assert!(home.contains(&"all-sections-1".to_string()) && home.contains(&"filter-results-1".to_string()), "{home:?}");
}

#[test]
fn symptom_ids_x_and_x_n_get_distinct_html_ids() {
    let section = "---\ntitle: Fix x\nsymptoms: [x, x-n]\n---\n1. **Do** — it\n";
    let g = Guide::new(&[("symptoms.yml", SYMPTOMS), ("fix.md", section)]);
    let site = g.build();
    assert_ids_unique(&site);
}

#[test]
fn a_custom_id_taken_by_the_theme_is_an_error_naming_it() {
    let g = Guide::new(&[("fix.md", "---\ntitle: Fix\n---\n## Results {#filter-results}\n\n## Mine {#main}\n")]);
    let (code, lines) = g.check();
    assert_eq!(code, 1, "{lines:?}");
    let ids: Vec<_> = lines.iter().filter(|l| l["code"] == "duplicate-id").map(|l| l["message"].as_str().unwrap().to_string()).collect();
    assert_eq!(ids.len(), 2, "{lines:?}");
    assert!(ids[0].contains("`filter-results`") && ids[0].contains("theme"), "{ids:?}");
}

const SECTION: &str = "---\ntitle: A section\n---\n1. **Do** — it\n";

#[test]
fn reserved_names_are_compared_without_case() {
    for (path, text) in
        [("Index.md", SECTION), ("Settings.md", SECTION), ("Symptoms/x.md", SECTION), ("CheckLists/y.md", SECTION), ("_Fixbook/style.css", "x{}")]
    {
        let g = Guide::new(&[("ok.md", SECTION), (path, text)]);
        let (code, lines) = g.check();
        assert_eq!(code, 1, "{path}: {lines:?}");
        assert!(lines.iter().any(|l| l["code"] == "page-collision" && l["file"] == path), "{path}: {lines:?}");
    }
}

#[test]
fn a_file_name_too_long_for_its_page_is_refused_by_check() {
    // 255 bytes is the longest name most file systems take; `.md` → `.html` adds 2.
    let name = format!("{}.md", "a".repeat(252));
    let g = Guide::new(&[(&name, SECTION)]);
    let (code, lines) = g.check();
    assert_eq!(code, 1, "{lines:?}");
    assert!(lines.iter().any(|l| l["code"] == "name-too-long" && l["file"] == name.as_str()), "{lines:?}");
    // 253 bytes leaves room for `.html`.
    let g = Guide::new(&[(&format!("{}.md", "a".repeat(250)), SECTION)]);
    assert_eq!(g.check().0, 0);
    g.build();
}

#[test]
fn a_folder_named_like_a_page_of_the_site_is_refused_by_check() {
    for (folder_file, beside) in
        [("index.html/b.md", None), ("print.html/c.md", None), ("a.html/c.md", Some("a.md")), ("A.HTML/c.md", Some("a.md")), ("x.html/img.png", Some("x.md"))]
    {
        let mut files = vec![("ok.md", SECTION), (folder_file, SECTION)];
        if let Some(b) = beside {
            files.push((b, if b.ends_with(".md") { SECTION } else { "png" }));
        }
        let g = Guide::new(&files);
        let (code, lines) = g.check();
        assert_eq!(code, 1, "{folder_file}: {lines:?}");
        let hit = lines.iter().find(|l| l["code"] == "page-collision" && l["file"] == folder_file).unwrap_or_else(|| panic!("{folder_file}: {lines:?}"));
        assert!(hit["message"].as_str().unwrap().contains("folder"), "{hit}");
    }
}

/// Issue 19.10: a Markdown file whose name does not end in `.md` (lower
/// case) — `wifi.MD`, `notes.markdown` — was published as a raw file. It
/// is a `markdown-extension` warning naming the rename, and nothing of it
/// reaches the site; `.md` files and other plain files are as before.
#[test]
fn markdown_not_named_md_is_warned_about_and_not_published_raw() {
    let g = Guide::new(&[
        ("ok.md", SECTION),
        ("wifi.MD", "---\ntitle: Wi-Fi draft\n---\nsecret draft text\n"),
        ("net/notes.markdown", "# Notes\nsecret notes\n"),
        ("net/Old.Md", "x"),
        ("net/readme.txt", "plain"),
        ("theme/static/x.markdown", "theme file"),
    ]);
    let (code, lines) = g.check();
    assert_eq!(code, 0, "{lines:?}");
    let warned: Vec<(&str, &str)> =
        lines.iter().filter(|l| l["code"] == "markdown-extension").map(|l| (l["file"].as_str().unwrap(), l["help"].as_str().unwrap())).collect();
    assert_eq!(
        warned,
        vec![
            ("net/Old.Md", "rename it to `net/Old.md` to make it a section"),
            ("net/notes.markdown", "rename it to `net/notes.md` to make it a section"),
            ("wifi.MD", "rename it to `wifi.md` to make it a section"),
        ],
        "{lines:?}"
    );
    let site = g.build();
    assert!(site.contains_key("ok.html") && site.contains_key("net/readme.txt"), "{:?}", site.keys());
    // (The theme's own static files, under _fixbook/, are the theme's to name.)
    for (path, bytes) in site.iter().filter(|(p, _)| !p.starts_with("_fixbook/")) {
        let lower = path.to_lowercase();
        assert!(!lower.ends_with(".md") && !lower.ends_with(".markdown"), "{path} published raw");
        assert!(!String::from_utf8_lossy(bytes).contains("secret"), "{path} holds the raw Markdown");
    }
}

/// Issue 19.11: two file names that are not UTF-8 and become the same name
/// when read lossily (`a\xFF.md`, `a\xFE.md` → `a\u{FFFD}.md`) silently
/// overwrote each other. `check` refuses them with a page-collision naming
/// both as written on disk; a folder pair collides the same way.
#[cfg(unix)]
#[test]
fn names_that_are_not_utf8_and_become_one_name_are_a_collision_naming_both() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let g = Guide::new(&[("ok.md", SECTION)]);
    for (name, title) in [(&b"a\xFF.md"[..], "First"), (b"a\xFE.md", "Second"), (b"d\xFF", ""), (b"d\xFE", "")] {
        let path = g.dir().join(OsStr::from_bytes(name));
        if title.is_empty() {
            std::fs::create_dir(&path).unwrap();
            std::fs::write(path.join("img.png"), name).unwrap();
        } else {
            std::fs::write(&path, format!("---\ntitle: {title}\n---\n1. **Do** — it\n")).unwrap();
        }
    }
    let (code, lines) = g.check();
    assert_eq!(code, 1, "{lines:?}");
    let hits: Vec<&str> = lines.iter().filter(|l| l["code"] == "page-collision").map(|l| l["message"].as_str().unwrap()).collect();
    assert_eq!(hits.len(), 2, "{lines:?}");
    assert!(hits.iter().any(|m| m.contains("`a\\xFE.md` and `a\\xFF.md`") && m.contains("`a\u{FFFD}.md`")), "{hits:?}");
    assert!(hits.iter().any(|m| m.contains("`d\\xFE/img.png` and `d\\xFF/img.png`")), "{hits:?}");
    let human = g.run(&["check", g.dir().to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&human.stderr).contains("error[page-collision]"), "{}", String::from_utf8_lossy(&human.stderr));
}
