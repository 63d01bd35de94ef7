//! `fixbook completions SHELL` and `fixbook man` on the real binary: the
//! scripts are loaded by the real shells and asked to complete (bash always;
//! zsh and fish when installed, which `tests/run-all.sh` makes sure of), and
//! the manual pages are rendered by groff.

use std::path::PathBuf;
use std::process::Command;

fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_fixbook"))
}

fn fixbook(args: &[&str]) -> String {
    let output = Command::new(bin()).args(args).output().unwrap();
    assert!(output.status.success(), "fixbook {args:?}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

fn has(program: &str) -> bool {
    Command::new("sh").args(["-c", &format!("command -v {program}")]).output().is_ok_and(|o| o.status.success())
}

/// Runs a shell script; returns stdout, failing on a non-zero exit or anything on stderr.
fn shell(program: &str, script: &str) -> String {
    let output = Command::new(program).args(["-c", script]).env("FIXBOOK", bin()).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success() && stderr.trim().is_empty(), "{program} failed:\n{stderr}\n--- script ---\n{script}");
    String::from_utf8(output.stdout).unwrap()
}

fn words(text: &str) -> Vec<&str> {
    text.split_whitespace().collect()
}

#[test]
fn bash_loads_the_completions_and_completes_commands_formats_and_schemas() {
    let registered = shell("bash", r#"source <("$FIXBOOK" completions bash); complete -p fixbook"#);
    assert!(registered.contains("-F _fixbook") && registered.trim_end().ends_with(" fixbook"), "{registered}");
    // Ask the completion function itself, as bash does on Tab.
    let complete = |line: &str| {
        let script = format!(
            r#"source <("$FIXBOOK" completions bash)
COMP_LINE='{line}'; COMP_POINT=${{#COMP_LINE}}
read -ra COMP_WORDS <<< "$COMP_LINE"; [[ "$COMP_LINE" == *' ' ]] && COMP_WORDS+=('')
COMP_CWORD=$(( ${{#COMP_WORDS[@]}} - 1 ))
_fixbook fixbook "${{COMP_WORDS[COMP_CWORD]}}" "${{COMP_WORDS[COMP_CWORD-1]}}"
printf '%s\n' "${{COMPREPLY[@]}}""#
        );
        shell("bash", &script)
    };
    let commands = complete("fixbook ");
    for command in ["build", "check", "serve", "init", "schema", "completions", "man"] {
        assert!(words(&commands).contains(&command), "`{command}` missing from {commands:?}");
    }
    assert_eq!(words(&complete("fixbook ch")), ["check"]);
    assert_eq!(words(&complete("fixbook check --format ")), ["human", "json", "github"]);
    let schemas = complete("fixbook schema ");
    assert!(["front-matter", "symptoms", "guide"].iter().all(|k| words(&schemas).contains(k)), "{schemas:?}");
    let shells = complete("fixbook completions ");
    assert!(["bash", "zsh", "fish", "powershell"].iter().all(|k| words(&shells).contains(k)), "{shells:?}");
    assert!(words(&complete("fixbook build --")).contains(&"--base-url"));
}

#[test]
fn zsh_registers_the_completion_function() {
    if !has("zsh") {
        eprintln!("zsh is not installed; tests/run-all.sh installs it");
        return;
    }
    let script = fixbook(&["completions", "zsh"]);
    assert!(script.starts_with("#compdef fixbook"), "{}", &script[..80]);
    let registered = shell("zsh", r#"autoload -Uz compinit && compinit -u -D; source <("$FIXBOOK" completions zsh); print -r -- $_comps[fixbook]"#);
    assert_eq!(registered.trim(), "_fixbook");
}

#[test]
fn fish_completes_commands_and_values() {
    if !has("fish") {
        eprintln!("fish is not installed; tests/run-all.sh installs it");
        return;
    }
    let complete = |line: &str| shell("fish", &format!(r#""$FIXBOOK" completions fish | source; complete -C '{line}'"#));
    let commands = complete("fixbook ");
    for command in ["build", "check", "serve", "init", "schema", "completions", "man"] {
        assert!(commands.lines().any(|l| l.split('\t').next() == Some(command)), "`{command}` missing from {commands:?}");
    }
    let formats = complete("fixbook check --format ");
    let formats: Vec<&str> = formats.lines().map(|l| l.split('\t').next().unwrap()).collect();
    assert_eq!(formats, ["github", "human", "json"]);
}

#[test]
fn powershell_gets_a_native_argument_completer() {
    let script = fixbook(&["completions", "powershell"]);
    assert!(script.contains("Register-ArgumentCompleter -Native -CommandName 'fixbook'"), "{script}");
    for command in ["'build'", "'check'", "'schema'", "'completions'"] {
        assert!(script.contains(command), "{command}");
    }
}

#[test]
fn man_pages_render_for_fixbook_and_every_command() {
    let root = fixbook(&["man"]);
    assert!(root.contains(".TH fixbook 1"), "{root}");
    for command in ["build", "check", "serve", "init", "schema", "completions", "man"] {
        let page = fixbook(&["man", command]);
        assert!(page.contains(&format!(".TH fixbook-{command} 1")), "{command}: {page}");
        if has("groff") {
            let mut child = Command::new("groff")
                .args(["-man", "-Tutf8", "-ww", "-P-cbou"])
                .stdin(std::process::Stdio::piped())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap();
            use std::io::Write;
            child.stdin.take().unwrap().write_all(page.as_bytes()).unwrap();
            let output = child.wait_with_output().unwrap();
            let text = String::from_utf8_lossy(&output.stdout);
            assert!(output.status.success() && output.stderr.is_empty(), "{command}: {}", String::from_utf8_lossy(&output.stderr));
            // groff justifies lines, so words may be set apart by several spaces.
            let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(words.contains(&format!("fixbook {command}")), "{command}: the synopsis shows `fixbook {command}`:\n{text}");
        }
    }
    let build = fixbook(&["man", "build"]);
    assert!(build.contains("base\\-url"), "options are documented: {build}");
    let output = Command::new(bin()).args(["man", "deploy"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no command `deploy`"));
}
