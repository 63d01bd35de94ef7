//! What `fixbook build` does to the output folder, on the real binary: a
//! failed build (guide error, template error) leaves the previous site
//! byte-identical; a non-empty folder without the marker is refused and left
//! untouched; the same guide gives byte-identical files whatever the thread
//! count and the output folder.

#[path = "support/tree.rs"]
mod tree_support;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;
use tree_support::read_tree;

use assert_cmd::Command;

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn build(guide: &Path, out: &Path, threads: &str) -> (i32, String) {
    let output = Command::cargo_bin("fixbook")
        .unwrap()
        .env("NO_COLOR", "1")
        .env("RAYON_NUM_THREADS", threads)
        .arg("build")
        .arg(guide)
        .arg("-o")
        .arg(out)
        .timeout(Duration::from_secs(120))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (output.status.code().unwrap_or(-1), stderr)
}

/// A copy of `src` (a fixture guide) that a test may edit.
fn copy_guide(src: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(src).into_iter().map(|e| e.unwrap()) {
        let target = to.join(entry.path().strip_prefix(src).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

#[test]
fn a_build_that_fails_leaves_the_previous_site_byte_identical() {
    let tmp = tempfile::tempdir().unwrap();
    let guide = tmp.path().join("guide");
    copy_guide(&repo("tests/fixtures/router"), &guide);
    let out = tmp.path().join("site");
    let (code, stderr) = build(&guide, &out, "2");
    assert_eq!(code, 0, "{stderr}");
    let before = read_tree(&out);
    assert!(before.len() > 10);

    // 1. An error in the guide.
    std::fs::write(guide.join("about/broken.md"), "---\ntitle: [unclosed\n---\n").unwrap();
    let (code, stderr) = build(&guide, &out, "2");
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("error[front-matter-syntax]: about/broken.md:2:8"), "{stderr}");
    assert_eq!(read_tree(&out), before, "guide error: the previous site is untouched");
    std::fs::remove_file(guide.join("about/broken.md")).unwrap();

    // 2. A template override that does not compile.
    std::fs::create_dir_all(guide.join("theme/templates")).unwrap();
    std::fs::write(guide.join("theme/templates/section.html"), "{% extends \"base.html\" %}{% block main %}{{ page.title | nope_filter }{% endblock %}")
        .unwrap();
    let (code, stderr) = build(&guide, &out, "2");
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("error[template-error]"), "{stderr}");
    assert_eq!(read_tree(&out), before, "template error: the previous site is untouched");

    // 3. A template that compiles but fails while rendering.
    std::fs::write(guide.join("theme/templates/section.html"), "{% extends \"base.html\" %}{% block main %}{{ no_such_variable.field }}{% endblock %}")
        .unwrap();
    let (code, stderr) = build(&guide, &out, "2");
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(read_tree(&out), before, "render error: the previous site is untouched");

    // No staging folder is left next to the output by a failed build.
    let names: Vec<String> = std::fs::read_dir(tmp.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert!(!names.iter().any(|n| n.contains("fixbook-new") || n.contains("fixbook-old")), "{names:?}");

    // And once fixed, the new site replaces the old one.
    std::fs::remove_dir_all(guide.join("theme")).unwrap();
    std::fs::write(guide.join("about/new.md"), "---\ntitle: New page\n---\nHello\n").unwrap();
    let (code, stderr) = build(&guide, &out, "2");
    assert_eq!(code, 0, "{stderr}");
    assert!(out.join("about/new.html").is_file());
}

#[test]
fn a_folder_fixbook_did_not_create_is_refused_and_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("docs");
    std::fs::create_dir_all(out.join("sub")).unwrap();
    std::fs::write(out.join("thesis.tex"), "years of work").unwrap();
    std::fs::write(out.join("sub/notes.txt"), "more").unwrap();
    let before = read_tree(&out);
    let (code, stderr) = build(&repo("tests/fixtures/minimal"), &out, "2");
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains(&format!("error: refusing to replace {}: it is not empty and was not created by fixbook (no .fixbook-output file)", out.display())),
        "{stderr}"
    );
    assert_eq!(read_tree(&out), before);
    let names: Vec<String> = std::fs::read_dir(tmp.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert_eq!(names, vec!["docs".to_string()], "nothing created next to it either");

    // A file where the output folder should be is refused too.
    let file = tmp.path().join("file-out");
    std::fs::write(&file, "keep").unwrap();
    let (code, stderr) = build(&repo("tests/fixtures/minimal"), &file, "2");
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("exists and is not a folder"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep");

    // An empty folder is fine to fill.
    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let (code, stderr) = build(&repo("tests/fixtures/minimal"), &empty, "2");
    assert_eq!(code, 0, "{stderr}");
    assert!(empty.join(".fixbook-output").is_file());
}

#[cfg(unix)]
#[test]
fn a_symlinked_output_folder_is_not_followed_into_someone_elses_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let precious = tmp.path().join("precious");
    std::fs::create_dir(&precious).unwrap();
    std::fs::write(precious.join("data.txt"), "mine").unwrap();
    let link = tmp.path().join("site");
    std::os::unix::fs::symlink(&precious, &link).unwrap();
    let (code, stderr) = build(&repo("tests/fixtures/minimal"), &link, "2");
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(read_tree(&precious), BTreeMap::from([("data.txt".to_string(), b"mine".to_vec())]));
}

/// Builds `guide` with 1 and 2 threads into different folders and compares
/// every output file byte for byte.
fn assert_deterministic(guide: &Path) {
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("one-thread/site");
    let b = tmp.path().join("two/threads/elsewhere");
    let (code, stderr) = build(guide, &a, "1");
    assert_eq!(code, 0, "{stderr}");
    let (code, stderr) = build(guide, &b, "2");
    assert_eq!(code, 0, "{stderr}");
    let (ta, tb) = (read_tree(&a), read_tree(&b));
    assert_eq!(ta.keys().collect::<Vec<_>>(), tb.keys().collect::<Vec<_>>(), "same file list");
    for (path, bytes) in &ta {
        assert!(bytes == &tb[path], "{} differs between RAYON_NUM_THREADS=1 and =2 builds of {}", path, guide.display());
    }
    // A rebuild over the existing output (the writer reuses its scratch
    // folder) gives the same bytes again.
    let (code, stderr) = build(guide, &b, "2");
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(read_tree(&b), tb, "rebuild over the previous output");
}

#[test]
fn router_fixture_output_is_identical_for_any_thread_count() {
    assert_deterministic(&repo("tests/fixtures/router"));
}

#[test]
fn bundled_guide_output_is_identical_for_any_thread_count() {
    assert_deterministic(&repo("guide"));
}

#[test]
fn hostile_and_multilingual_output_is_identical_for_any_thread_count() {
    assert_deterministic(&repo("tests/fixtures/hostile"));
    assert_deterministic(&repo("tests/fixtures/multilingual"));
}

/// Kills `fixbook build` at points spread over its run: the output folder is
/// always exactly the previous site or exactly the new one, never a mix.
#[cfg(unix)]
#[test]
fn a_build_killed_at_any_moment_leaves_a_whole_site() {
    let tmp = tempfile::tempdir().unwrap();
    let guide = tmp.path().join("guide");
    copy_guide(&repo("tests/fixtures/router"), &guide);
    // A long section makes the build last long enough to be interrupted.
    let mut long = String::from("---\ntitle: Long\n---\n");
    for n in 0..4000 {
        long.push_str(&format!("## Part {n}\n\n1. **Open** the page {n}\n2. Check it\n\n"));
    }
    std::fs::write(guide.join("about/long.md"), &long).unwrap();
    let out = tmp.path().join("site");
    let (code, stderr) = build(&guide, &out, "2");
    assert_eq!(code, 0, "{stderr}");
    let old = read_tree(&out);
    std::fs::write(guide.join("about/long.md"), long.replace("title: Long", "title: Longer")).unwrap();
    let new_out = tmp.path().join("reference");
    let (code, stderr) = build(&guide, &new_out, "2");
    assert_eq!(code, 0, "{stderr}");
    let new = read_tree(&new_out);
    assert_ne!(old, new);

    let started = std::time::Instant::now();
    let (code, _) = build(&guide, &tmp.path().join("timing"), "2");
    assert_eq!(code, 0);
    let full = started.elapsed();
    let mut outcomes = Vec::new();
    // From early in the run to past its usual end (the last kills often come too late: a whole new site).
    for step in 1..=11u32 {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_fixbook"))
            .env("NO_COLOR", "1")
            .arg("build")
            .arg(&guide)
            .arg("-o")
            .arg(&out)
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(full * step / 8);
        let _ = child.kill();
        let status = child.wait().unwrap();
        let now = read_tree(&out);
        let which = if now == old {
            "old"
        } else if now == new {
            "new"
        } else {
            panic!("after a kill at {}/8 of a build the output is neither the old nor the new site", step)
        };
        outcomes.push(format!("{step}/8: {which} ({status})"));
        if which == "new" {
            // Put the old site back for the next round.
            std::fs::write(guide.join("about/long.md"), &long).unwrap();
            assert_eq!(build(&guide, &out, "2").0, 0);
            assert_eq!(read_tree(&out), old);
            std::fs::write(guide.join("about/long.md"), long.replace("title: Long", "title: Longer")).unwrap();
        }
    }
    eprintln!("{}", outcomes.join("\n"));
    assert!(outcomes.iter().any(|o| o.contains(": old (signal")), "at least one build was killed before it finished: {outcomes:?}");
    // A later build over whatever a killed build left behind works.
    assert_eq!(build(&guide, &out, "2").0, 0);
    assert_eq!(read_tree(&out), new);
}
