//! `fixbook import` on the real binary: every real corpus in tests/corpora
//! (MS Learn, MkDocs, Docusaurus, mdBook) and a small project per format in
//! tests/import/ becomes a guide that `fixbook build` builds with zero
//! errors, with callouts for every alert, one h1 per page and no literal
//! `[!`; import refuses a non-empty GUIDE and never touches SRC.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn fixbook() -> Command {
    let mut cmd = Command::cargo_bin("fixbook").unwrap();
    cmd.env("NO_COLOR", "1");
    cmd
}

/// Imports `src`, builds the guide, returns (import log, build log, site folder, guide folder).
fn import_and_build(src: &Path, tmp: &Path) -> (String, String, PathBuf, PathBuf) {
    let guide = tmp.join("guide");
    let out = fixbook().arg("import").arg(src).arg("-o").arg(&guide).output().unwrap();
    let import_log = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "import {}: {import_log}", src.display());
    let site = tmp.join("site");
    let out = fixbook().arg("build").arg(&guide).arg("-o").arg(&site).output().unwrap();
    let build_log = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "build of imported {}: {build_log}", src.display());
    assert!(build_log.contains("built ") && !build_log.contains("error["), "{build_log}");
    (import_log, build_log, site, guide)
}

fn pages(site: &Path) -> Vec<(String, String)> {
    walkdir::WalkDir::new(site)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html") && !e.path().starts_with(site.join("checklists")))
        .map(|e| (e.path().strip_prefix(site).unwrap().to_string_lossy().into_owned(), std::fs::read_to_string(e.path()).unwrap()))
        .collect()
}

fn assert_clean_pages(site: &Path, name: &str) {
    for (path, html) in pages(site) {
        if path == "print.html" {
            continue;
        }
        assert!(html.matches("<h1").count() <= 1, "{name}/{path}: two h1s");
        let main = html.split("<main").nth(1).unwrap_or("");
        assert!(
            !main.contains("[!NOTE]") && !main.contains("[!WARNING]") && !main.contains("[!IMPORTANT]") && !main.contains("[!TIP]"),
            "{name}/{path}: literal alert"
        );
    }
}

#[test]
fn every_real_corpus_imports_and_builds_with_zero_errors() {
    for (name, src, callouts) in [
        ("learn", "tests/corpora/learn-windows-networking/support/windows-server/networking", 300),
        ("mkdocs", "tests/corpora/mkdocs-pihole", 100),
        ("docusaurus", "tests/corpora/docusaurus-espanso", 40),
        ("mdbook", "tests/corpora/mdbook-rustup", 0),
    ] {
        let tmp = tempfile::tempdir().unwrap();
        let (import_log, _, site, _) = import_and_build(&repo(src), tmp.path());
        assert!(import_log.contains("sections"), "{import_log}");
        let found: usize = pages(&site).iter().filter(|(p, _)| p != "print.html").map(|(_, h)| h.matches("class=\"callout callout-").count()).sum();
        assert!(found >= callouts, "{name}: {found} callouts, expected at least {callouts}");
        assert_clean_pages(&site, name);
    }
}

#[test]
fn each_format_fixture_keeps_titles_order_links_and_anchors() {
    let tmp = tempfile::tempdir().unwrap();
    let (log, _, site, guide) = import_and_build(&repo("tests/import/mkdocs"), &tmp.path().join("mkdocs"));
    assert!(log.contains("MkDocs") && log.contains("1 admonitions"), "{log}");
    let wifi = std::fs::read_to_string(guide.join("net/wifi.md")).unwrap();
    assert!(wifi.contains("title: \"Wi-Fi drops\"") && wifi.contains("weight: 20"), "{wifi}");
    assert!(wifi.contains("> [!WARNING]\n> **Before you start**") && wifi.contains("**Windows**"), "{wifi}");
    assert!(wifi.contains("(#prio)"), "Python-Markdown slug rewritten to the heading's id: {wifi}");
    assert!(std::fs::read_to_string(site.join("index.html")).unwrap().contains("Start with"), "the root index.md is the home page");

    let (log, _, _, guide) = import_and_build(&repo("tests/import/docusaurus"), &tmp.path().join("docusaurus"));
    assert!(log.contains("Docusaurus") && log.contains("1 includes inlined") && log.contains("layout 1"), "{log}");
    let install = std::fs::read_to_string(guide.join("setup/install.md")).unwrap();
    assert!(install.contains("After installing, restart.") && !install.contains("import "), "{install}");
    assert!(install.contains("(options.md)") && install.contains("(start.md#first-run)") && install.contains("(../img/logo.png)"), "{install}");
    assert!(guide.join("img/logo.png").is_file());

    let (log, _, _, guide) = import_and_build(&repo("tests/import/mdbook"), &tmp.path().join("mdbook"));
    assert!(log.contains("mdBook"), "{log}");
    let install = std::fs::read_to_string(guide.join("install.md")).unwrap();
    assert!(install.contains("weight: 20") && install.contains("[p]: proxy.md#set-https_proxy"), "{install}");

    let (log, _, site, guide) = import_and_build(&repo("tests/import/learn"), &tmp.path().join("learn"));
    assert!(log.contains("Learn") && log.contains("1 dropped"), "{log}");
    let drive = std::fs::read_to_string(guide.join("mapped-drive.md")).unwrap();
    assert!(drive.contains("title: \"A mapped network drive appears disconnected\""), "{drive}");
    assert!(drive.contains("summary: \"A mapped drive shows a red X.\"") && drive.contains("reviewed: 2023-12-26"), "{drive}");
    assert!(drive.contains("applies_to: [\"Windows Server 2019\", \"Windows 10\"]") && !drive.contains("Applies to"), "{drive}");
    assert!(
        drive.contains("](https://learn.microsoft.com/en-us/windows-server/networking/overview)") && drive.contains("![The drive list](media/x.png)"),
        "{drive}"
    );
    let catalog = std::fs::read_to_string(guide.join("symptoms.yml")).unwrap();
    for id in ["error-0x80070035", "event-id-2213", "the-network-path-was-not-found"] {
        assert!(catalog.contains(&format!("- id: {id}")) && drive.contains(id), "{id}: {catalog}");
    }
    assert!(catalog.contains("# from: mapped-drive.md"), "{catalog}");
    let page = std::fs::read_to_string(site.join("mapped-drive.html")).unwrap();
    assert_eq!(page.matches("<h1").count(), 1);
    assert!(page.contains("callout-note") && page.contains("id=\"fix\""), "{page}");
}

#[test]
fn import_refuses_a_non_empty_guide_and_leaves_src_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let guide = tmp.path().join("guide");
    std::fs::create_dir_all(&guide).unwrap();
    std::fs::write(guide.join("keep.md"), "mine").unwrap();
    let out = fixbook().arg("import").arg(repo("tests/import/learn")).arg("-o").arg(&guide).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not empty"));
    assert_eq!(std::fs::read_to_string(guide.join("keep.md")).unwrap(), "mine");
    assert_eq!(std::fs::read_dir(&guide).unwrap().count(), 1);
}
