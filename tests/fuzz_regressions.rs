//! Replays every input the fuzzer (`examples/fuzz_section.rs`) ever crashed
//! on, saved under tests/fuzz-regressions/ (`<kind>-<hash>.md` with a `.txt`
//! note naming the section path and the panic), through the same target:
//! front matter → Markdown → checks → render. Each must now run cleanly.

#[path = "support/fuzz_files.rs"]
mod fuzz_files;
#[path = "support/fuzz_target.rs"]
mod fuzz_target;

use std::path::Path;

#[test]
fn saved_fuzz_crashes_no_longer_crash() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions");
    let mut inputs: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/fuzz-regressions exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    inputs.sort();
    assert!(!inputs.is_empty(), "the saved crash inputs are in {}", dir.display());
    let target = fuzz_target::Target::new();
    for input in &inputs {
        let text = std::fs::read_to_string(input).unwrap();
        let note = std::fs::read_to_string(input.with_extension("txt")).unwrap_or_default();
        let path = note.lines().find_map(|l| l.strip_prefix("path: ")).unwrap_or("s.md");
        // Spans are checked inside `run`; a panic here fails the test with the input's name.
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| target.run(path, &text, true)))
            .unwrap_or_else(|_| panic!("{} still crashes (as {path})", input.display()));
        assert!(outcome.diagnostics > 0 || outcome.rendered_files > 0, "{}: neither diagnosed nor rendered", input.display());
    }
}

/// The file targets' saved crash inputs (`.yml` symptoms.yml, `.toml`
/// guide.toml, `.guide` a whole guide as `=== path` sections), replayed
/// through the same targets; none may crash. The folder may hold none yet.
#[test]
fn saved_file_target_crashes_no_longer_crash() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions");
    let mut inputs: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/fuzz-regressions exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yml" || e == "toml" || e == "guide"))
        .collect();
    inputs.sort();
    for input in &inputs {
        let text = std::fs::read_to_string(input).unwrap();
        let ext = input.extension().unwrap().to_string_lossy().into_owned();
        std::panic::catch_unwind(|| match ext.as_str() {
            "yml" => fuzz_target::run_symptoms(&text),
            "toml" => fuzz_target::run_config(&text),
            _ => fuzz_target::run_guide(&fuzz_files::guide_from_text(&text)),
        })
        .unwrap_or_else(|_| panic!("{} still crashes", input.display()));
    }
}

/// A guide saved as text reads back as the same files.
#[test]
fn a_saved_guide_reads_back_as_its_files() {
    let files =
        vec![("guide.toml".to_string(), "title = \"x\"\n".to_string()), ("a b/ü.md".to_string(), "---\ntitle: A\n---\n=== 3 not a header\n".to_string())];
    assert_eq!(fuzz_files::guide_from_text(&fuzz_files::guide_to_text(&files)), files);
}
