//! `fixbook check --format github` on the real binary: GitHub Actions
//! workflow commands, golden, with paths relative to the repository root
//! (the nearest folder with a `.git` above the guide), escaping that no file
//! name or message can break out of (read back with the runner's own
//! unescaping rules), the rule outside a repository, and the exit codes.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn broken(case: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/broken").join(case)
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// `fixbook check DIR --format github` run in `cwd`: exit code, stdout, stderr.
fn check_github(cwd: &Path, dir: &Path) -> (i32, String, String) {
    let output =
        Command::cargo_bin("fixbook").unwrap().current_dir(cwd).env("NO_COLOR", "1").arg("check").arg(dir).args(["--format", "github"]).output().unwrap();
    (output.status.code().unwrap_or(-1), String::from_utf8(output.stdout).unwrap(), String::from_utf8_lossy(&output.stderr).into_owned())
}

/// A workflow command as the runner reads it (actions/runner
/// `ActionCommand.TryParseV2`): `::name k=v,k=v::message`, properties split
/// on `,` then at the first `=`, values and message unescaped.
struct Command_ {
    name: String,
    properties: Vec<(String, String)>,
    message: String,
}

fn parse_command(line: &str) -> Command_ {
    let rest = line.strip_prefix("::").unwrap_or_else(|| panic!("not a command: {line}"));
    let end = rest.find("::").unwrap_or_else(|| panic!("no message separator: {line}"));
    let (head, message) = (&rest[..end], &rest[end + 2..]);
    let (name, properties) = head.split_once(' ').unwrap_or((head, ""));
    let unescape_data = |s: &str| s.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%");
    let unescape_property = |s: &str| s.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",").replace("%25", "%");
    let properties = properties
        .split(',')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or_else(|| panic!("property without `=` in {line}"));
            (k.to_string(), unescape_property(v))
        })
        .collect();
    Command_ { name: name.to_string(), properties, message: unescape_data(message) }
}

fn property<'a>(command: &'a Command_, key: &str) -> &'a str {
    command.properties.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str()).unwrap_or_else(|| panic!("no `{key}`"))
}

#[test]
fn broken_guides_become_annotations_with_repository_paths() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    let mut report = String::new();
    for (case, exit) in [("unknown-symptom", 1), ("broken-config-reports-everything", 1), ("procedure-lint", 0), ("malformed-settings-path", 1)] {
        let guide = repo.join("docs").join(case);
        copy_dir(&broken(case), &guide);
        // Run from elsewhere: the paths depend on the repository, not on the current folder.
        let (code, stdout, stderr) = check_github(tmp.path(), &guide);
        assert_eq!(code, exit, "{case}: {stderr}");
        assert!(stderr.contains(&format!("checked {}:", guide.display())), "the summary stays on stderr: {stderr}");
        assert!(!stdout.is_empty(), "{case}");
        for line in stdout.lines() {
            let command = parse_command(line);
            assert!(command.name == "error" || command.name == "warning", "{line}");
            assert!(property(&command, "file").starts_with(&format!("docs/{case}/")), "{line}");
            let keys: Vec<&str> = command.properties.iter().map(|(k, _)| k.as_str()).collect();
            assert_eq!(keys, ["file", "line", "endLine", "col", "endColumn", "title"], "{line}");
            assert!(property(&command, "line").parse::<usize>().unwrap() >= 1);
        }
        report.push_str(&format!("--- {case} (exit {code}) ---\n{stdout}"));
    }
    insta::assert_snapshot!("github-format", report);
}

#[test]
fn no_file_name_or_message_escapes_its_command() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("site");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    let guide = repo.join("guides/a,b:c%d");
    std::fs::create_dir_all(&guide).unwrap();
    std::fs::write(guide.join("guide.toml"), "title = \"Odd names\"\n").unwrap();
    std::fs::write(guide.join("symptoms.yml"), "symptoms:\n  - id: wifi-drops\n    label: Wi-Fi drops\n").unwrap();
    let name = "x,y:z%25 ::error file=forged.md::owned.md";
    std::fs::write(guide.join(name), "---\ntitle: T\nsymptoms: [wifi-drops, \"100%,::warning::x\"]\n---\n1. **Do** — it.\n").unwrap();
    let (code, stdout, stderr) = check_github(tmp.path(), &guide);
    assert_eq!(code, 1, "{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1, "one problem, one line: {stdout}");
    let command = parse_command(lines[0]);
    assert_eq!(command.name, "error");
    assert_eq!(property(&command, "file"), format!("guides/a,b:c%d/{name}"));
    assert_eq!(property(&command, "title"), "unknown-symptom");
    assert!(command.message.starts_with("unknown symptom `100%,::warning::x`"), "{:?}", command.message);
    assert_eq!(command.properties.len(), 6, "{}", lines[0]);
}

#[test]
fn outside_a_repository_paths_are_relative_to_the_current_folder() {
    let tmp = tempfile::tempdir().unwrap();
    // A temporary folder is in no repository (unless the machine's /tmp is, which it is not meant to be).
    assert!(tmp.path().ancestors().all(|a| !a.join(".git").exists()), "the temporary folder is inside a git repository");
    let guide = tmp.path().join("work/guide");
    copy_dir(&broken("empty-title"), &guide);
    let (_, stdout, _) = check_github(&tmp.path().join("work"), Path::new("guide"));
    assert!(stdout.starts_with("::error file=guide/reset.md,line=2,"), "{stdout}");
    let (_, stdout, _) = check_github(&guide, Path::new("."));
    assert!(stdout.starts_with("::error file=reset.md,line=2,"), "{stdout}");
    let elsewhere = tempfile::tempdir().unwrap();
    let (_, stdout, _) = check_github(elsewhere.path(), &guide);
    let absolute = guide.canonicalize().unwrap();
    assert!(stdout.starts_with(&format!("::error file={}/reset.md,", absolute.display().to_string().replace(':', "%3A").replace(',', "%2C"))), "{stdout}");
}

#[test]
fn a_clean_guide_prints_nothing_and_exits_zero() {
    let guide = Path::new(env!("CARGO_MANIFEST_DIR")).join("guide");
    let (code, stdout, stderr) = check_github(&guide, &guide);
    assert_eq!((code, stdout.as_str()), (0, ""), "{stderr}");
    assert!(stderr.contains("0 errors and 0 warnings"), "{stderr}");
}
