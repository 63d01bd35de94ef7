//! CLI tests for `fixbook build`: the real binary on the bundled guide and the
//! fixture guides, exit codes, error output, escaping and determinism.

#[path = "support/tree.rs"]
mod tree_support;
use std::path::{Path, PathBuf};
use tree_support::read_tree;

use assert_cmd::Command;

fn fixbook() -> Command {
    let mut cmd = Command::cargo_bin("fixbook").unwrap();
    cmd.env("NO_COLOR", "1");
    cmd
}

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn build(guide: &Path, out: &Path) -> (i32, String) {
    let output = fixbook().arg("build").arg(guide).arg("-o").arg(out).output().unwrap();
    (output.status.code().unwrap_or(-1), String::from_utf8_lossy(&output.stderr).into_owned())
}

#[test]
fn bundled_guide_builds_with_zero_warnings_and_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let (code, stderr) = build(&repo("guide"), &out);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains(", 0 warnings in"), "{stderr}");
    for page in ["index.html", "settings.html", "print.html", "404.html", "_fixbook/style.css"] {
        assert!(out.join(page).is_file(), "missing {page}");
    }
    let home = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(home.contains("<html lang=\"en\">"));
    assert!(home.contains("symptoms/stuck-on-backing-up.html"), "home links every symptom page");
}

#[test]
fn every_fixture_guide_builds_without_warnings() {
    for fixture in ["router", "multilingual", "minimal", "markdown"] {
        let tmp = tempfile::tempdir().unwrap();
        let (code, stderr) = build(&repo(&format!("tests/fixtures/{fixture}")), &tmp.path().join("site"));
        assert_eq!(code, 0, "{fixture}: {stderr}");
        assert!(stderr.contains(", 0 warnings in"), "{fixture}: {stderr}");
    }
}

#[test]
fn inline_markdown_in_titles_is_html_on_pages_and_plain_text_in_metadata() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let (code, stderr) = build(&repo("tests/fixtures/markdown"), &out);
    assert_eq!(code, 0, "{stderr}");
    // Cards are on the folder's landing page (the home page lists folders, issue 14).
    let folder = std::fs::read_to_string(out.join("files/index.html")).unwrap();
    assert!(folder.contains(">Restart the print <code>spooler</code></a>"), "card title: {folder}");
    assert!(folder.contains("The spooler holds <em>every</em> job: run <code>net stop spooler</code>."), "card summary");
    let page = std::fs::read_to_string(out.join("files/spooler.html")).unwrap();
    assert!(page.contains("<h1>Restart the print <code>spooler</code></h1>"), "header");
    assert!(page.contains("<title>Restart the print spooler · Printer help</title>"), "plain <title>");
    assert!(page.contains("content=\"The spooler holds every job: run net stop spooler.\""), "plain meta description");
    assert!(!page.contains('`'), "no backtick is left anywhere on the page");
    assert_eq!(page.matches("<h1").count(), 1);
}

#[test]
fn sections_map_to_pages_by_path_and_nested_folders_work() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let (code, stderr) = build(&repo("tests/fixtures/router"), &out);
    assert_eq!(code, 0, "{stderr}");
    assert!(out.join("network/wifi/channels.html").is_file());
    assert!(out.join("sitemap.xml").is_file(), "base_url is set, so a sitemap is written");
    assert!(out.join("assets").is_dir(), "plain files are copied");
    let page = std::fs::read_to_string(out.join("network/wifi/channels.html")).unwrap();
    assert!(page.contains("href=\"../../_fixbook/style.css\""), "relative URLs");
    assert!(!page.contains("href=\"/"), "no root-absolute URLs");
    assert!(!page.contains("http://") || page.contains("rel=\"canonical\""), "no external requests");
}

#[test]
fn non_ascii_file_names_get_encoded_links() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let (code, stderr) = build(&repo("tests/fixtures/multilingual"), &out);
    assert_eq!(code, 0, "{stderr}");
    assert!(out.join("ネットワーク/再起動 手順.html").is_file());
    let home = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(home.contains("lang=\"ja\""));
    assert!(home.contains("%E5%86%8D%E8%B5%B7%E5%8B%95%20%E6%89%8B%E9%A0%86.html"), "encoded link to the spaced file name");
}

#[test]
fn guide_text_is_escaped_everywhere() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let (code, stderr) = build(&repo("tests/fixtures/hostile"), &out);
    assert_eq!(code, 0, "{stderr}");
    for (path, bytes) in read_tree(&out) {
        if !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        assert!(!html.contains("<script>alert(1)</script>"), "{path} has a live script");
        assert!(!html.contains("<img src=x onerror"), "{path} has a live img");
        assert!(!html.to_lowercase().contains("href=\"javascript:"), "{path} has a javascript: link");
    }
    let home = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(home.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "the title shows as text");
}

#[test]
fn building_twice_gives_byte_identical_output() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    assert_eq!(build(&repo("tests/fixtures/router"), &a).0, 0);
    assert_eq!(build(&repo("tests/fixtures/router"), &b).0, 0);
    let (ta, tb) = (read_tree(&a), read_tree(&b));
    assert_eq!(ta.keys().collect::<Vec<_>>(), tb.keys().collect::<Vec<_>>());
    for (path, bytes) in &ta {
        assert!(bytes == &tb[path], "{path} differs between builds");
    }
}

#[test]
fn errors_exit_1_with_path_line_col_and_the_line() {
    let tmp = tempfile::tempdir().unwrap();
    let guide = tmp.path().join("g");
    std::fs::create_dir_all(guide.join("net")).unwrap();
    std::fs::write(guide.join("guide.toml"), "title = \"G\"\n").unwrap();
    std::fs::write(guide.join("symptoms.yml"), "symptoms:\n  - id: wifi-drops\n    label: Wi-Fi drops\n").unwrap();
    std::fs::write(guide.join("net/a.md"), "---\ntitle: A\nsymptoms: [wifi-drop]\n---\ntext\n").unwrap();
    let out = tmp.path().join("site");
    let (code, stderr) = build(&guide, &out);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("net/a.md:3:12: unknown symptom `wifi-drop`"), "{stderr}");
    assert!(stderr.contains("symptoms: [wifi-drop]"), "{stderr}");
    assert!(stderr.contains("did you mean `wifi-drops`?"), "{stderr}");
    assert!(!out.exists(), "a failed build writes nothing");
}

#[test]
fn usage_errors_exit_2_and_help_exists_for_every_subcommand() {
    fixbook().arg("build").arg("--nope").assert().code(2);
    fixbook().arg("--version").assert().success().stdout(predicates::str::contains("fixbook"));
    for sub in ["build", "check"] {
        fixbook().arg(sub).arg("--help").assert().success().stdout(predicates::str::contains("Usage"));
    }
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    assert_eq!(build(&repo("tests/fixtures/router"), &out).0, 0);
    assert!(!out.join("internet/isp-outage.html").exists());
    let out2 = tmp.path().join("site2");
    let status = fixbook().arg("build").arg(repo("tests/fixtures/router")).arg("-o").arg(&out2).arg("--drafts").output().unwrap();
    assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
    assert!(out2.join("internet/isp-outage.html").exists());
}

/// `build --base-url` publishes the site at another address (a preview
/// deploy): every absolute URL the site carries follows it, none is left of
/// guide.toml's, and what a base URL must look like is the config's rule.
#[test]
fn base_url_flag_moves_sitemap_canonical_links_404_and_qr_codes() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let preview = "https://pr-42--router.pages.example.org/preview";
    let output = fixbook().arg("build").arg(repo("tests/fixtures/router")).arg("-o").arg(&out).args(["--base-url", preview]).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let base = format!("{preview}/");
    let site = read_tree(&out);
    for (path, bytes) in &site {
        let text = String::from_utf8_lossy(bytes);
        assert!(!text.contains("router-help.example.net"), "{path} still names guide.toml's base_url");
    }
    let text = |path: &str| String::from_utf8_lossy(&site[path]).into_owned();
    let sitemap = text("sitemap.xml");
    let locs: Vec<&str> = sitemap.split("<loc>").skip(1).map(|l| &l[..l.find("</loc>").unwrap()]).collect();
    assert!(locs.len() > 5, "{sitemap}");
    assert!(locs.iter().all(|l| l.starts_with(&base)), "{sitemap}");
    assert!(locs.contains(&format!("{base}network/wifi/channels.html").as_str()), "{sitemap}");
    assert!(text("network/wifi/channels.html").contains(&format!("<link rel=\"canonical\" href=\"{base}network/wifi/channels.html\">")));
    assert!(text("404.html").contains(&format!("href=\"{base}index.html\"")), "404.html links home through the base URL");
    let checklist = text("checklists/network/wifi/channels.html");
    let url = format!("{base}network/wifi/channels.html");
    let qr = fixbook::site::checklists::qr_svg(&url, "QR code of this page’s web address").unwrap();
    assert!(checklist.contains(&qr), "the checklist's QR code encodes the preview URL");

    // A guide without base_url gets a sitemap once the flag gives one.
    let out = tmp.path().join("minimal");
    let output = fixbook().arg("build").arg(repo("tests/fixtures/minimal")).arg("-o").arg(&out).args(["--base-url", "http://localhost:8000"]).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(std::fs::read_to_string(out.join("sitemap.xml")).unwrap().contains("<loc>http://localhost:8000/index.html</loc>"));

    // The flag follows guide.toml's rule: a usage error, and nothing is built.
    for bad in ["ftp://files.example.org/", "/docs/", "javascript:alert(1)//x", "https://h.example/a b", "https://h.example/?v=2"] {
        let out = tmp.path().join("refused");
        let output = fixbook().arg("build").arg(repo("tests/fixtures/minimal")).arg("-o").arg(&out).args(["--base-url", bad]).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{bad}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("--base-url") && stderr.contains("https://help.example.com/router/"), "{bad}: {stderr}");
        assert!(!out.exists(), "{bad}");
    }
}

/// Issue 19.20: `fixbook build -o my-guide` (the guide given to -o) said "the
/// guide has no guide.toml"; it now says -o was given the guide, and how to
/// write the command.
#[test]
fn the_guide_given_to_dash_o_is_named_as_the_mistake() {
    let tmp = tempfile::tempdir().unwrap();
    assert!(fixbook().arg("init").arg(tmp.path().join("my-guide")).output().unwrap().status.success());
    let output = fixbook().current_dir(tmp.path()).args(["build", "-o", "my-guide"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("error: my-guide is a guide (it has guide.toml), but -o names the folder the site is written to"), "{stderr}");
    assert!(stderr.contains("fixbook build my-guide -o public"), "{stderr}");
    assert!(!stderr.contains("has no guide.toml"), "{stderr}");
    assert!(tmp.path().join("my-guide/guide.toml").is_file());
}

/// Issue 19.20: `-o link/` said "Not a directory" and `-o link` "exists and
/// is not a folder"; both now say OUT is a symbolic link that fixbook does
/// not write through, and name the folder to give instead.
#[cfg(unix)]
#[test]
fn an_output_that_is_a_link_is_named_as_a_link() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join("real")).unwrap();
    std::os::unix::fs::symlink("real", tmp.path().join("link")).unwrap();
    std::os::unix::fs::symlink("nowhere", tmp.path().join("dangling")).unwrap();
    for (out, target) in [("link/", "real"), ("link", "real"), ("dangling/", "nowhere")] {
        let output = fixbook().current_dir(tmp.path()).arg("build").arg(repo("tests/fixtures/router")).args(["-o", out]).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{out}: {stderr}");
        assert!(
            stderr.contains(&format!("it is a symbolic link (to {target}), and fixbook never writes through a link; give the folder itself with -o {target}")),
            "{out}: {stderr}"
        );
        assert!(!stderr.contains("Not a directory") && !stderr.contains("is not a folder"), "{out}: {stderr}");
    }
    assert_eq!(std::fs::read_dir(tmp.path().join("real")).unwrap().count(), 0);
}
