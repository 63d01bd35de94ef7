//! `fixbook check` on the real binary, one small broken guide per diagnostic
//! (tests/broken/<case>/), with golden output for both formats: the human
//! report (plain, as with NO_COLOR or a pipe) and the JSON Lines report.
//! Snapshots live in tests/snapshots/check_cli__<case>.snap. Also: `build`
//! refuses every guide with errors and writes nothing, and `fixbook init`.

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

fn broken_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/broken")
}

/// Runs `fixbook ARGS` in tests/broken, so paths in the output are the
/// case's relative folder name.
fn fixbook(args: &[&str]) -> Output {
    Command::cargo_bin("fixbook").unwrap().current_dir(broken_dir()).env("NO_COLOR", "1").args(args).output().unwrap()
}

/// Human and JSON reports of one case, with exit codes, for one snapshot.
fn check_case(case: &str) -> (i32, String) {
    check_case_with(case, &[])
}

/// `check_case` with more arguments for `fixbook check` (`FIXBOOK_TODAY` is
/// fixed, so `--stale-after` reports the same ages every day).
fn check_case_with(case: &str, args: &[&str]) -> (i32, String) {
    let run = |format: &[&str]| {
        let mut all = vec!["check", case];
        all.extend(args);
        all.extend(format);
        Command::cargo_bin("fixbook").unwrap().current_dir(broken_dir()).env("NO_COLOR", "1").env("FIXBOOK_TODAY", "2026-11-01").args(&all).output().unwrap()
    };
    report(run(&[]), run(&["--format", "json"]))
}

/// The report of a human and a JSON run of `fixbook check`.
fn report(human: Output, json: Output) -> (i32, String) {
    assert!(human.stdout.is_empty(), "human output goes to stderr");
    assert_eq!(human.status.code(), json.status.code());
    let stderr = String::from_utf8(human.stderr).unwrap();
    let stdout = String::from_utf8(json.stdout).unwrap();
    assert!(!stderr.contains('\u{1b}'), "no colour codes with NO_COLOR or a pipe:\n{stderr}");
    assert!(!stderr.contains("panicked") && !stderr.contains("RUST_BACKTRACE"), "{stderr}");
    // Every JSON line is an object with the stable fields.
    for line in stdout.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        for field in ["severity", "code", "message", "file", "line", "column", "end_line", "end_column", "byte_start", "byte_end", "source_line", "help"] {
            assert!(v.get(field).is_some(), "JSON lacks `{field}`: {line}");
        }
    }
    let code = human.status.code().unwrap_or(-1);
    (code, format!("exit code: {code}\n\n--- human (stderr) ---\n{stderr}\n--- json (stdout) ---\n{stdout}"))
}

/// Checks one case: exit code, golden output, the codes it must contain, and
/// that `build` refuses it (errors) or builds it (warnings only).
fn case(name: &str, expected_exit: i32, codes: &[&str]) {
    case_with(name, &[], expected_exit, codes);
}

/// `case` with more arguments for `fixbook check`.
fn case_with(name: &str, args: &[&str], expected_exit: i32, codes: &[&str]) {
    let (code, report) = check_case_with(name, args);
    assert_eq!(code, expected_exit, "{report}");
    for c in codes {
        assert!(report.contains(&format!("[{c}]: ")), "missing `{c}` in:\n{report}");
        assert!(report.contains(&format!("\"code\":\"{c}\"")), "missing `{c}` in JSON:\n{report}");
    }
    insta::assert_snapshot!(name, report);

    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    let build = fixbook(&["build", name, "-o", site.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&build.stderr);
    if expected_exit == 0 {
        assert!(build.status.success(), "{stderr}");
    } else {
        assert_eq!(build.status.code(), Some(1), "{stderr}");
        assert!(stderr.contains("nothing was written"), "{stderr}");
        assert!(!site.exists(), "a guide with errors must not produce a site");
    }
}

#[test]
fn yaml_syntax_error_is_at_the_line_of_the_md_file() {
    case("yaml-syntax", 1, &["front-matter-syntax"]);
}

#[test]
fn toml_front_matter_syntax_error_is_at_the_line_of_the_md_file() {
    case("toml-syntax", 1, &["front-matter-syntax"]);
}

#[test]
fn guide_toml_syntax_error() {
    case("guide-toml-syntax", 1, &["config-syntax"]);
}

#[test]
fn unclosed_front_matter() {
    case("unclosed-front-matter", 1, &["unclosed-front-matter"]);
}

#[test]
fn missing_title() {
    case("missing-title", 1, &["missing-title"]);
}

#[test]
fn empty_title() {
    case("empty-title", 1, &["empty-title"]);
}

#[test]
fn wrong_type() {
    case("wrong-type", 1, &["invalid-type"]);
}

#[test]
fn unknown_front_matter_key_suggests_the_known_one() {
    case("unknown-front-matter-key", 1, &["unknown-key"]);
    // The section cannot be parsed; that alone is reported, not a broken
    // link from update.md nor an unused symptom it probably lists.
    let (_, report) = check_case("unknown-front-matter-key");
    assert!(!report.contains("broken-link") && !report.contains("unused-symptom"), "{report}");
}

#[test]
fn unknown_guide_toml_key_suggests_the_known_one() {
    case("unknown-guide-key", 1, &["unknown-key"]);
}

#[test]
fn unknown_symptoms_are_matched_against_ids_labels_and_aliases() {
    case("unknown-symptom", 1, &["unknown-symptom"]);
    let (_, report) = check_case("unknown-symptom");
    // `wifi-drop` (an id typo), `pages-load-slowly` (a label), `disconnect` (an alias).
    assert!(report.contains("unknown symptom `wifi-drop`\n"), "{report}");
    assert_eq!(report.matches("help: did you mean `wifi-drops`?").count(), 2, "{report}");
    assert!(report.contains("help: did you mean `slow-internet`?"), "{report}");
}

#[test]
fn duplicate_symptom_ids_and_labels() {
    case("duplicate-symptom", 1, &["duplicate-symptom", "duplicate-label"]);
}

#[test]
fn unused_symptom_is_a_warning() {
    case("unused-symptom", 0, &["unused-symptom"]);
}

#[test]
fn malformed_settings_paths() {
    case("malformed-settings-path", 1, &["malformed-settings-path"]);
    let (_, report) = check_case("malformed-settings-path");
    assert_eq!(report.matches("error[malformed-settings-path]").count(), 3, "{report}");
    // Issue 19.20: each comes with the path corrected.
    for fixed in ["Admin > System", "Admin > Reboot", "Admin > Wireless"] {
        assert!(report.contains(&format!("help: did you mean `{fixed}`?")), "{fixed}: {report}");
    }
}

#[test]
fn settings_path_near_duplicates_are_probable_typos() {
    case("settings-path-typo", 0, &["settings-path-typo"]);
}

#[test]
fn section_keys_in_a_folder_index_are_warned_about() {
    case("folder-index-key", 0, &["folder-index-key"]);
}

#[test]
fn broken_link_to_a_section() {
    case("broken-link", 1, &["broken-link"]);
}

#[test]
fn missing_anchor() {
    case("missing-anchor", 1, &["missing-anchor"]);
}

#[test]
fn missing_image_and_file() {
    case("missing-file", 1, &["missing-file"]);
}

#[test]
fn two_files_for_one_page_and_reserved_names() {
    case("page-collision", 1, &["page-collision"]);
}

#[test]
fn empty_section_is_a_warning() {
    case("empty-section", 0, &["empty-section"]);
}

#[test]
fn invalid_utf8_names_the_byte_offset() {
    case("invalid-utf8", 1, &["invalid-utf8"]);
    let (_, report) = check_case("invalid-utf8");
    let bytes = std::fs::read(broken_dir().join("invalid-utf8/reset.md")).unwrap();
    let offset = std::str::from_utf8(&bytes).unwrap_err().valid_up_to();
    assert!(report.contains(&format!("bad byte at offset {offset})")), "{report}");
    assert!(report.contains(&format!("\"byte_start\":{offset}")), "{report}");
}

#[test]
fn a_broken_guide_toml_does_not_hide_the_other_problems() {
    case("broken-config-reports-everything", 1, &["unknown-key", "unknown-symptom", "broken-link"]);
}

#[test]
fn no_config() {
    case("missing-config", 1, &["missing-config"]);
}

#[test]
fn config_values_are_all_checked() {
    case("invalid-config-values", 1, &["invalid-language", "invalid-base-url", "invalid-edit-url"]);
}

#[test]
fn a_file_name_too_long_for_its_page() {
    case("name-too-long", 1, &["name-too-long"]);
}

#[test]
fn a_link_setting_that_runs_code_is_refused() {
    case("unsafe-edit-url", 1, &["invalid-edit-url"]);
}

#[test]
fn symptom_catalog_syntax_error() {
    case("symptoms-syntax", 1, &["symptoms-syntax"]);
}

#[test]
fn symptom_ids_must_be_slugs_and_labels_not_empty() {
    case("invalid-symptom-entries", 1, &["invalid-symptom-id", "empty-label"]);
}

#[test]
fn no_front_matter() {
    case("missing-front-matter", 1, &["missing-front-matter"]);
}

#[test]
fn a_front_matter_key_written_twice() {
    case("duplicate-key", 1, &["duplicate-key"]);
}

#[test]
fn a_review_date_that_is_not_a_day() {
    case("invalid-date", 1, &["invalid-date"]);
}

#[test]
fn two_headings_with_one_custom_id() {
    case("duplicate-id", 1, &["duplicate-id"]);
}

#[test]
fn code_running_links_are_removed_with_a_warning() {
    case("unsafe-link", 0, &["unsafe-link"]);
    let (_, report) = check_case("unsafe-link");
    assert!(report.contains("link to `javascript:alert(document.cookie)` was removed"), "{report}");
}

#[test]
fn a_symptom_listed_twice_in_one_section() {
    case("duplicate-symptom-ref", 0, &["duplicate-symptom-ref"]);
}

#[test]
fn a_link_to_a_draft() {
    case("link-to-draft", 0, &["link-to-draft"]);
}

#[test]
fn a_link_that_climbs_out_of_the_guide() {
    case("link-outside-guide", 1, &["link-outside-guide"]);
}

#[test]
fn two_escalation_sections() {
    case("duplicate-escalation", 1, &["duplicate-escalation"]);
}

#[test]
fn body_h1s_other_than_the_title_go_one_level_down_with_a_warning() {
    case("body-h1", 0, &["body-h1"]);
}

#[test]
fn procedure_lint_warns_about_sections_that_will_not_help() {
    case("procedure-lint", 0, &["no-steps", "long-step", "draft-only-fix", "settings-not-listed", "settings-not-used"]);
}

#[test]
fn stale_and_missing_reviews_with_stale_after() {
    case_with("stale-review", &["--stale-after", "365d"], 0, &["stale-review", "missing-review"]);
    // Without the flag nothing is said about reviews.
    assert_eq!(check_case("stale-review").0, 0);
    assert!(!check_case("stale-review").1.contains("review]"));
}

#[test]
fn a_template_override_that_does_not_compile_fails_check_as_it_fails_build() {
    case("template-error", 1, &["template-error"]);
    let (_, report) = check_case("template-error");
    assert!(report.contains("section.html:3:39"), "the template and the place in it are named: {report}");
}

#[test]
fn a_template_override_that_fails_while_rendering_fails_check_as_it_fails_build() {
    case("template-render-error", 1, &["template-error"]);
    let (_, report) = check_case("template-render-error");
    assert!(report.contains("Field `headline` is not defined"), "{report}");
}

#[test]
fn markdown_not_named_md_is_neither_a_section_nor_published() {
    case("markdown-extension", 0, &["markdown-extension"]);
}

/// Issue 19.20: CR-only line endings were "no front matter".
#[test]
fn cr_only_line_endings_are_named_as_the_cause() {
    case("cr-only-line-endings", 1, &["missing-front-matter"]);
    let (_, report) = check_case("cr-only-line-endings");
    assert!(report.contains("line breaks are CR alone") && report.contains("save the file with LF"), "{report}");
    assert!(!report.contains("section has no front matter"), "{report}");
}

/// Issue 19.20: a link to a folder that has an index.md was "missing".
#[test]
fn a_link_to_a_folder_names_its_page() {
    case("link-to-folder", 1, &["broken-link"]);
    let (_, report) = check_case("link-to-folder");
    assert!(report.contains("`wifi` is a folder, not a page of the guide"), "{report}");
    assert!(report.contains("help: link to the folder's page instead: `wifi/index.md`"), "{report}");
    assert!(report.contains("help: link to the folder's page instead: `index.md`"), "from inside the folder: {report}");
    assert!(!report.contains("does not exist"), "{report}");
}

/// Issue 19.20: a YAML indentation slip in front matter got the parser's words.
#[test]
fn an_indentation_slip_in_front_matter_is_named_with_the_fix() {
    case("front-matter-indentation", 1, &["front-matter-syntax"]);
    let (_, report) = check_case("front-matter-indentation");
    assert!(report.contains("reset.md:4:3: indentation slip: `weight:` is indented by 2 spaces"), "{report}");
    assert!(report.contains("help: start `weight:` at the beginning of the line, like line 3"), "{report}");
    assert!(report.contains("wifi.md:5:2: indentation slip: this list item is indented by 1 space"), "{report}");
    assert!(report.contains("help: indent this list item by 2 spaces, like line 4"), "{report}");
    assert!(!report.contains("mapping values") && !report.contains("block mapping"), "{report}");
}

/// Issue 19.20: a mis-indented symptoms.yml cascaded into unknown-symptom
/// errors whose help said the catalog defines no symptoms.
#[test]
fn an_indentation_slip_in_symptoms_yml_is_named_and_does_not_cascade() {
    case("symptoms-indentation", 1, &["symptoms-syntax"]);
    let (_, report) = check_case("symptoms-indentation");
    assert!(report.contains("symptoms.yml:5:4: indentation slip: `label:` is indented by 3 spaces, the lines it belongs with by 4"), "{report}");
    assert!(report.contains("help: indent `label:` by 4 spaces, like line 4"), "{report}");
    assert!(!report.contains("unknown-symptom") && !report.contains("defines no symptoms"), "{report}");
}

#[test]
fn symbolic_links_that_are_not_followed() {
    case("symlink-skipped", 0, &["symlink-skipped"]);
    let (_, report) = check_case("symlink-skipped");
    for what in ["points outside the guide", "to a folder is not followed", "points to a hidden file", "broken symbolic link"] {
        assert!(report.contains(what), "{what}: {report}");
    }
}

/// A file the user may not read (created here: git cannot store one). As
/// root, permissions do not stop reading, so `check` then runs as `nobody`.
#[test]
fn a_file_that_cannot_be_read() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let guide = tmp.path().join("unreadable-file");
    std::fs::create_dir(&guide).unwrap();
    std::fs::write(guide.join("guide.toml"), "title = \"Broken guide\"\n").unwrap();
    std::fs::write(guide.join("reset.md"), "---\ntitle: Reset the router\n---\n\n1. **Hold reset** — for ten seconds.\n").unwrap();
    for dir in [tmp.path(), guide.as_path()] {
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    std::fs::set_permissions(guide.join("reset.md"), std::fs::Permissions::from_mode(0o000)).unwrap();
    let as_root = std::fs::read(guide.join("reset.md")).is_ok();
    let bin = assert_cmd::cargo::cargo_bin("fixbook");
    let run = |format: &[&str]| {
        let mut cmd = if as_root {
            let mut c = std::process::Command::new("setpriv");
            c.args(["--reuid=65534", "--regid=65534", "--clear-groups"]).arg(&bin);
            c
        } else {
            std::process::Command::new(&bin)
        };
        cmd.current_dir(tmp.path()).env("NO_COLOR", "1").args(["check", "unreadable-file"]).args(format).output().unwrap()
    };
    let (code, report) = report(run(&[]), run(&["--format", "json"]));
    assert_eq!(code, 1, "{report}");
    assert!(report.contains("error[unreadable-file]: reset.md:1:1: cannot read file: Permission denied"), "{report}");
    assert!(report.contains("\"code\":\"unreadable-file\""), "{report}");
    insta::assert_snapshot!("unreadable-file", report);
}

/// Every diagnostic code fixbook has is shown by some broken guide above.
#[test]
fn every_diagnostic_code_has_a_broken_guide() {
    let snapshots = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    let mut shown = String::new();
    for entry in std::fs::read_dir(&snapshots).unwrap() {
        let path = entry.unwrap().path();
        if path.file_name().unwrap().to_string_lossy().starts_with("check_cli__") {
            shown.push_str(&std::fs::read_to_string(&path).unwrap());
        }
    }
    let missing: Vec<&str> = fixbook::diagnostics::Code::ALL.iter().map(|c| c.as_str()).filter(|c| !shown.contains(&format!("\"code\":\"{c}\""))).collect();
    assert!(missing.is_empty(), "no broken guide in tests/broken shows: {missing:?}");
}

#[test]
fn every_case_folder_has_a_test() {
    let source = include_str!("check_cli.rs");
    for entry in std::fs::read_dir(broken_dir()).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        assert!(source.contains(&format!("case(\"{name}\"")) || source.contains(&format!("case_with(\"{name}\"")), "tests/broken/{name} has no test");
    }
}

#[test]
fn a_clean_guide_checks_with_exit_code_0_and_no_json_lines() {
    let tmp = tempfile::tempdir().unwrap();
    let guide = tmp.path().join("g");
    assert!(fixbook(&["init", guide.to_str().unwrap()]).status.success());
    let human = fixbook(&["check", guide.to_str().unwrap()]);
    assert!(human.status.success());
    assert!(String::from_utf8_lossy(&human.stderr).ends_with(": 0 errors and 0 warnings\n"), "{}", String::from_utf8_lossy(&human.stderr));
    let json = fixbook(&["check", guide.to_str().unwrap(), "--format", "json"]);
    assert!(json.status.success());
    assert!(json.stdout.is_empty());
}

#[test]
fn check_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let guide = tmp.path().join("g");
    assert!(fixbook(&["init", guide.to_str().unwrap()]).status.success());
    let before = listing(tmp.path());
    let out = Command::cargo_bin("fixbook").unwrap().current_dir(tmp.path()).args(["check", "g"]).output().unwrap();
    assert!(out.status.success());
    assert_eq!(listing(tmp.path()), before);
}

fn listing(dir: &Path) -> Vec<String> {
    let mut all: Vec<String> = walkdir::WalkDir::new(dir).into_iter().map(|e| e.unwrap().path().display().to_string()).collect();
    all.sort();
    all
}

#[test]
fn init_creates_a_guide_that_builds_with_zero_warnings() {
    let tmp = tempfile::tempdir().unwrap();
    let guide = tmp.path().join("home-wifi");
    let init = fixbook(&["init", guide.to_str().unwrap()]);
    assert!(init.status.success(), "{}", String::from_utf8_lossy(&init.stderr));
    for file in ["guide.toml", "symptoms.yml", "index.md", "restart-router.md", "wifi/interference.md"] {
        assert!(guide.join(file).is_file(), "{file}");
    }
    let toml = std::fs::read_to_string(guide.join("guide.toml")).unwrap();
    assert!(toml.contains("title = \"Home wifi\""), "{toml}");
    let site = tmp.path().join("site");
    let build = fixbook(&["build", guide.to_str().unwrap(), "-o", site.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&build.stderr);
    assert!(build.status.success(), "{stderr}");
    assert!(stderr.contains(", 0 warnings in "), "{stderr}");
    assert!(!stderr.contains("warning["), "{stderr}");
    let page = std::fs::read_to_string(site.join("restart-router.html")).unwrap();
    assert!(page.contains("Restart the router the right way"));
    assert!(site.join("wifi/interference.html").is_file());
}

#[test]
fn init_refuses_a_folder_that_is_not_empty() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("notes");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("mine.txt"), "keep me").unwrap();
    let init = fixbook(&["init", dir.to_str().unwrap()]);
    assert_eq!(init.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&init.stderr).contains("is not empty"), "{}", String::from_utf8_lossy(&init.stderr));
    assert_eq!(std::fs::read_to_string(dir.join("mine.txt")).unwrap(), "keep me");
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1, "nothing was added");
    // An existing empty folder is fine.
    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    assert!(fixbook(&["init", empty.to_str().unwrap()]).status.success());
    assert!(empty.join("guide.toml").is_file());
}

#[test]
fn colour_on_a_terminal_unless_no_color_is_set() {
    // `script` (util-linux) gives the command a pseudo-terminal.
    if !Path::new("/usr/bin/script").exists() {
        eprintln!("skipped: /usr/bin/script is not installed");
        return;
    }
    let bin = assert_cmd::cargo::cargo_bin("fixbook");
    let run = |no_color: Option<&str>| {
        let mut cmd = std::process::Command::new("/usr/bin/script");
        cmd.current_dir(broken_dir()).args(["-qec", &format!("{} check yaml-syntax", bin.display()), "/dev/null"]).env_remove("NO_COLOR");
        if let Some(v) = no_color {
            cmd.env("NO_COLOR", v);
        }
        let out = cmd.output().unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let coloured = run(None);
    assert!(coloured.contains("\u{1b}[") && coloured.contains("front-matter-syntax"), "{coloured:?}");
    let plain = run(Some("1"));
    assert!(!plain.contains('\u{1b}') && plain.contains("error[front-matter-syntax]: reset.md:3:10: unclosed quote"), "{plain:?}");
}
