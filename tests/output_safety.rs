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
    // A rebuild over the existing output gives the same bytes again.
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
    // A later build over whatever a killed build left behind works, and
    // removes what the killed builds left beside OUT.
    assert_eq!(build(&guide, &out, "2").0, 0);
    assert_eq!(read_tree(&out), new);
    assert_eq!(beside(tmp.path()), vec!["guide".to_string(), "reference".into(), "site".into(), "timing".into()]);
}

/// What sits next to `out` in its parent folder, sorted.
fn beside(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

#[test]
fn nothing_is_left_beside_the_output_after_rebuilds() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    for _ in 0..3 {
        let (code, stderr) = build(&repo("tests/fixtures/router"), &out, "2");
        assert_eq!(code, 0, "{stderr}");
    }
    assert_eq!(beside(tmp.path()), vec!["site".to_string()], "no scratch copy of a site beside OUT");

    // With --cache-dir the previous site is kept there, and only there.
    let cache = tmp.path().join("cache");
    for _ in 0..3 {
        let output = Command::cargo_bin("fixbook")
            .unwrap()
            .arg("build")
            .arg(repo("tests/fixtures/router"))
            .arg("-o")
            .arg(&out)
            .arg("--cache-dir")
            .arg(&cache)
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    }
    assert_eq!(beside(tmp.path()), vec!["cache".to_string(), "site".to_string()]);
    assert!(cache.join("site/.fixbook-output").is_file());
    let (code, stderr) = build(&repo("tests/fixtures/router"), &tmp.path().join("fresh"), "2");
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(read_tree(&out), read_tree(&tmp.path().join("fresh")), "a site rewritten in the cache is byte-identical to a fresh one");
}

/// Issue 19.4: `build site/src -o site` would move the guide out of the way
/// with the old site and delete it on the next build.
#[test]
fn an_output_folder_that_contains_the_guide_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let (code, stderr) = build(&repo("tests/fixtures/router"), &site, "2");
    assert_eq!(code, 0, "{stderr}");
    // The user then keeps the guide's sources inside the published folder.
    let guide = site.join("src");
    copy_guide(&repo("tests/fixtures/router"), &guide);
    let sources = read_tree(&guide);
    for _ in 0..2 {
        let (code, stderr) = build(&guide, &site, "2");
        assert_eq!(code, 1, "{stderr}");
        assert!(stderr.contains(&format!("error: refusing to build into {}: it contains the guide ({})", site.display(), guide.display())), "{stderr}");
        assert_eq!(read_tree(&guide), sources, "the guide is untouched");
    }
    let (code, stderr) = build(&guide, &guide, "2");
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("it contains the guide"), "{stderr}");
    assert_eq!(read_tree(&guide), sources);
}

/// Issue 19.4, the other way round: a fixbook output inside the guide (an
/// old `public/` from `-o public` elsewhere) is not published as plain files.
#[test]
fn an_old_output_inside_the_guide_is_not_read_as_part_of_it() {
    let tmp = tempfile::tempdir().unwrap();
    let guide = tmp.path().join("guide");
    copy_guide(&repo("tests/fixtures/router"), &guide);
    let (code, stderr) = build(&guide, &guide.join("old-public"), "2");
    assert_eq!(code, 0, "{stderr}");
    let out = tmp.path().join("site");
    let (code, stderr) = build(&guide, &out, "2");
    assert_eq!(code, 0, "{stderr}");
    assert!(!out.join("old-public").exists(), "{:?}", beside(&out));
    let check = Command::cargo_bin("fixbook").unwrap().env("NO_COLOR", "1").arg("check").arg(&guide).output().unwrap();
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stderr));
}

/// Issue 19.5: a `CNAME` added to OUT for GitHub Pages survives rebuilds and
/// is named; a forged marker on a folder of precious files deletes nothing
/// and names what it replaces.
#[test]
fn files_the_user_added_to_the_output_are_kept_and_named() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let (code, stderr) = build(&repo("tests/fixtures/router"), &out, "2");
    assert_eq!(code, 0, "{stderr}");
    std::fs::write(out.join("CNAME"), "help.example.com\n").unwrap();
    for _ in 0..3 {
        let (code, stderr) = build(&repo("tests/fixtures/router"), &out, "2");
        assert_eq!(code, 0, "{stderr}");
        assert!(stderr.contains(&format!("warning: kept 1 file in {} that the guide does not make: CNAME", out.display())), "{stderr}");
        assert_eq!(std::fs::read_to_string(out.join("CNAME")).unwrap(), "help.example.com\n");
    }

    let precious = tmp.path().join("precious");
    std::fs::create_dir_all(precious.join("notes")).unwrap();
    std::fs::write(precious.join("notes/plan.txt"), "years of work").unwrap();
    std::fs::write(precious.join("index.html"), "my page").unwrap();
    std::fs::write(precious.join(".fixbook-output"), "").unwrap();
    let (code, stderr) = build(&repo("tests/fixtures/router"), &precious, "2");
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("warning: kept 1 file in") && stderr.contains(": notes/plan.txt"), "{stderr}");
    assert!(stderr.contains("warning: replaced 1 file in") && stderr.contains(": index.html"), "{stderr}");
    assert_eq!(std::fs::read_to_string(precious.join("notes/plan.txt")).unwrap(), "years of work");
}

/// Issue 19.3: links inside OUT (`_fixbook -> ../shared`, `404.html -> ../x`)
/// are never written through, with or without a cache folder.
#[cfg(unix)]
#[test]
fn links_inside_the_output_are_never_written_through() {
    for cache in [None, Some("cache")] {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("site");
        let shared = tmp.path().join("shared");
        std::fs::create_dir(&shared).unwrap();
        std::fs::write(shared.join("style.css"), "shared").unwrap();
        std::fs::write(tmp.path().join("x"), "outside").unwrap();
        let run = || {
            let mut command = Command::cargo_bin("fixbook").unwrap();
            command.env("NO_COLOR", "1").arg("build").arg(repo("tests/fixtures/router")).arg("-o").arg(&out);
            if let Some(cache) = cache {
                command.arg("--cache-dir").arg(tmp.path().join(cache));
            }
            let output = command.output().unwrap();
            assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
            String::from_utf8_lossy(&output.stderr).into_owned()
        };
        run();
        run();
        std::fs::remove_dir_all(out.join("_fixbook")).unwrap();
        std::os::unix::fs::symlink("../shared", out.join("_fixbook")).unwrap();
        std::fs::remove_file(out.join("404.html")).unwrap();
        std::os::unix::fs::symlink("../x", out.join("404.html")).unwrap();
        let stderr = run();
        for _ in 0..3 {
            run();
        }
        let shared_files: Vec<String> = read_tree(&shared).into_keys().collect();
        assert_eq!(shared_files, vec!["style.css".to_string()], "nothing written into the linked folder ({cache:?})");
        assert_eq!(std::fs::read_to_string(shared.join("style.css")).unwrap(), "shared");
        assert_eq!(std::fs::read_to_string(tmp.path().join("x")).unwrap(), "outside");
        assert!(stderr.contains("(a link to ../x)") && stderr.contains("(a link to ../shared)"), "{stderr}");
        assert!(!out.join("404.html").is_symlink() && out.join("_fixbook").is_dir() && !out.join("_fixbook").is_symlink());
    }
}

/// Issue 19.6: a previous site another user built (root, then a user) no
/// longer makes every later build fail; the new site is swapped in and what
/// cannot be deleted is named. As root the second user is `nobody`.
#[cfg(unix)]
#[test]
fn a_read_only_previous_site_does_not_stop_later_builds() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let guide = tmp.path().join("guide");
    copy_guide(&repo("tests/fixtures/router"), &guide);
    let out = tmp.path().join("site");
    for _ in 0..2 {
        let (code, stderr) = build(&guide, &out, "2");
        assert_eq!(code, 0, "{stderr}");
    }
    let is_root = std::process::Command::new("id").arg("-u").output().unwrap().stdout == b"0\n";
    let mut command = if is_root {
        let mut c = std::process::Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"]).arg(env!("CARGO_BIN_EXE_fixbook"));
        c
    } else {
        for entry in walkdir::WalkDir::new(&out).into_iter().map(|e| e.unwrap()) {
            let mode = if entry.file_type().is_dir() { 0o555 } else { 0o444 };
            std::fs::set_permissions(entry.path(), std::fs::Permissions::from_mode(mode)).unwrap();
        }
        std::process::Command::new(env!("CARGO_BIN_EXE_fixbook"))
    };
    std::fs::write(guide.join("about/new.md"), "---\ntitle: New page\n---\nHello\n").unwrap();
    let output = command.env("NO_COLOR", "1").arg("build").arg(&guide).arg("-o").arg(&out).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(out.join("about/new.html").is_file());
    if is_root {
        // nobody cannot delete root's files: the old site is named, once.
        assert!(stderr.contains("warning: cannot delete") && stderr.contains("delete it yourself"), "{stderr}");
    } else {
        assert_eq!(beside(tmp.path()), vec!["guide".to_string(), "site".into()]);
    }
}

/// Issue 19.2: the writer copies the file the loader checked, or nothing. An
/// asset swapped for a link to a file outside the guide after the walk (a
/// race `build` lost in 3 of 5 runs), or whose folder was swapped for a link,
/// is an error naming it, and nothing from outside reaches the site. The
/// swap is made between the library's own load and copy, so the test is
/// deterministic.
#[cfg(unix)]
#[test]
fn an_asset_swapped_for_a_link_after_the_walk_is_not_copied_from_outside() {
    use fixbook::output::writer::SiteWriter;
    use fixbook::source::loader;
    for swap in ["file", "folder"] {
        let tmp = tempfile::tempdir().unwrap();
        let guide = tmp.path().join("guide");
        copy_guide(&repo("tests/fixtures/router"), &guide);
        std::fs::create_dir_all(guide.join("files")).unwrap();
        std::fs::write(guide.join("files/manual.txt"), "inside").unwrap();
        let outside = tmp.path().join("outside");
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(outside.join("manual.txt"), "SECRET").unwrap();

        let (files, _) = loader::load(&guide, &[]).unwrap();
        let asset = files.assets.iter().find(|a| a.path == "files/manual.txt").expect("the asset was listed").clone();
        match swap {
            "file" => {
                std::fs::remove_file(guide.join("files/manual.txt")).unwrap();
                std::os::unix::fs::symlink(outside.join("manual.txt"), guide.join("files/manual.txt")).unwrap();
            }
            _ => {
                std::fs::rename(guide.join("files"), tmp.path().join("files-moved")).unwrap();
                std::os::unix::fs::symlink(&outside, guide.join("files")).unwrap();
            }
        }
        let out = tmp.path().join("site");
        let writer = SiteWriter::begin(&out).unwrap();
        let err = writer.copy_asset(&asset).expect_err("a swapped asset must not be copied").to_string();
        assert!(err.contains("cannot copy files/manual.txt from the guide") && err.contains("replaced"), "{swap}: {err}");
        writer.write("index.html", b"home").unwrap();
        writer.finish().unwrap();
        let site = read_tree(&out);
        assert!(!site.contains_key("files/manual.txt"), "{swap}: {:?}", site.keys());
        assert!(site.values().all(|bytes| !String::from_utf8_lossy(bytes).contains("SECRET")), "{swap}");
    }
}

/// Issue 19.2, end to end: builds racing a swapper that keeps replacing an
/// asset by a link to a file outside the guide never publish the outside
/// file; each build either copies the guide's file or fails naming it.
#[cfg(unix)]
#[test]
fn a_build_racing_an_asset_swap_never_publishes_the_outside_file() {
    use std::sync::atomic::{AtomicBool, Ordering};
    let tmp = tempfile::tempdir().unwrap();
    let guide = tmp.path().join("guide");
    copy_guide(&repo("tests/fixtures/router"), &guide);
    std::fs::create_dir_all(guide.join("files")).unwrap();
    let asset = guide.join("files/manual.txt");
    std::fs::write(&asset, "inside").unwrap();
    let outside = tmp.path().join("secret.txt");
    std::fs::write(&outside, "SECRET").unwrap();
    let stop = AtomicBool::new(false);
    let outcomes = std::thread::scope(|scope| {
        scope.spawn(|| {
            let (real, link) = (guide.join("files/.real"), guide.join("files/.link"));
            while !stop.load(Ordering::Relaxed) {
                let _ = std::fs::write(&real, "inside").and_then(|()| std::fs::rename(&real, &asset));
                std::thread::sleep(Duration::from_micros(300));
                let _ = std::fs::remove_file(&link);
                let _ = std::os::unix::fs::symlink(&outside, &link).and_then(|()| std::fs::rename(&link, &asset));
                std::thread::sleep(Duration::from_micros(300));
            }
        });
        // The swapper stops whatever the builds show, so a failure is reported, not a hang.
        let outcomes: Vec<(i32, String, Option<String>, Vec<String>)> = (0..5)
            .map(|round| {
                let out = tmp.path().join(format!("site-{round}"));
                let (code, stderr) = build(&guide, &out, "2");
                let site = if out.exists() { read_tree(&out) } else { BTreeMap::new() };
                let leaked = site.iter().filter(|(_, bytes)| String::from_utf8_lossy(bytes).contains("SECRET")).map(|(p, _)| p.clone()).collect();
                let copied = site.get("files/manual.txt").map(|b| String::from_utf8_lossy(b).into_owned());
                (code, stderr, copied, leaked)
            })
            .collect();
        stop.store(true, Ordering::Relaxed);
        outcomes
    });
    for (round, (code, stderr, copied, leaked)) in outcomes.iter().enumerate() {
        assert!(leaked.is_empty(), "round {round}: the file outside the guide was published as {leaked:?}");
        if *code == 0 {
            assert!(copied.is_none() || copied.as_deref() == Some("inside"), "round {round}: {copied:?}");
        } else {
            assert!(stderr.contains("files/manual.txt"), "round {round}: {stderr}");
        }
    }
}
