//! The fuzz targets shared by `examples/fuzz_section.rs` (the long generated
//! run) and `tests/fuzz_regressions.rs` (replays saved crash inputs under
//! `cargo test`): one section file goes through front matter, Markdown,
//! the guide-wide checks and the renderer of a small guide, exactly as
//! `fixbook build` would handle it, minus the disk; symptoms.yml and
//! guide.toml go through their parsers; a whole small guide (file names
//! included) goes through the pipeline from the loader's sorting on
//! (`loader::from_memory`, `pipeline::compile_files`) and renders when it
//! has no errors. Every diagnostic must point inside the file it names.

#![allow(dead_code)]

use std::sync::Arc;

use fixbook::content::model::{self, Guide, Section};
use fixbook::diagnostics::{Diagnostic, SourceMap};
use fixbook::site::theme::Theme;
use fixbook::source::config::GuideConfig;
use fixbook::source::loader::SourceFile;
use fixbook::source::symptoms::Symptom;

const CONFIG: &str = "title = \"Fuzz guide\"\nbase_url = \"https://example.org/docs/\"\nedit_url = \"https://example.org/edit/{path}\"\n";
const SYMPTOMS: &str = "symptoms:\n  - id: wifi-drops\n    label: Wi-Fi keeps dropping\n    group: Wi-Fi\n    aliases: [wifi disconnects]\n  - id: slow\n    label: Internet is slow\n";
/// A second section the fuzzed one can link to (and collide with).
const SIBLING: &str = "---\ntitle: Other\nsymptoms: [slow]\nsettings: [\"Settings > Wi-Fi\"]\n---\n## Steps\n\n1. **Restart** the router\n2. Open `Settings > Wi-Fi > Advanced`\n";

/// Everything that does not depend on the input, built once.
pub struct Target {
    config: GuideConfig,
    symptoms: Vec<Symptom>,
    theme: Theme,
    sibling: Section,
}

/// What one run produced, so the caller can count it.
#[derive(Debug, Default, Clone, Copy)]
pub struct Outcome {
    /// The first error's code, if any (for `--stats`).
    pub first_error: Option<&'static str>,
    pub parsed: bool,
    pub diagnostics: usize,
    pub rendered_files: usize,
}

impl Target {
    pub fn new() -> Target {
        let config = fixbook::source::config::parse(CONFIG).expect("the fuzz guide.toml is valid");
        let (symptoms, problems) = fixbook::source::symptoms::parse(SYMPTOMS);
        assert!(problems.is_empty(), "the fuzz symptoms.yml is valid: {problems:?}");
        let theme = fixbook::site::theme::load(&[]).unwrap_or_else(|p| panic!("default theme loads: {p:?}"));
        let (sibling, problems) = model::parse_section(&SourceFile { path: "net/other.md".into(), text: Arc::from(SIBLING) });
        assert!(problems.is_empty(), "the sibling section is valid: {problems:?}");
        Target { config, symptoms, theme, sibling: sibling.expect("sibling parses") }
    }

    /// Runs one section text through parse → check → (render). `path` is its
    /// guide-relative file name. Panics propagate: the caller catches them.
    pub fn run(&self, path: &str, text: &str, render: bool) -> Outcome {
        let mut outcome = Outcome::default();
        let file = SourceFile { path: path.to_string(), text: Arc::from(text) };
        let (section, mut diagnostics) = model::parse_section(&file);
        // Every diagnostic must point inside the file it names: the terminal
        // renderer slices the source with these spans.
        for d in &diagnostics {
            assert!(d.span.start <= d.span.end && d.span.end <= text.len(), "span {:?} outside a {}-byte file: {d:?}", d.span, text.len());
            assert!(text.is_char_boundary(d.span.start) && text.is_char_boundary(d.span.end), "span {:?} splits a character: {d:?}", d.span);
        }
        outcome.first_error = diagnostics.iter().find(|d| d.is_error()).map(|d| d.code.as_str());
        let Some(section) = section else {
            outcome.diagnostics = diagnostics.len();
            return outcome;
        };
        outcome.parsed = true;
        let mut sections = vec![section, self.sibling.clone()];
        model::sort_sections(&mut sections);
        let (drafts, sections): (Vec<Section>, Vec<Section>) = sections.into_iter().partition(|s| s.draft);
        let guide = Guide {
            config: self.config.clone(),
            symptoms: self.symptoms.clone(),
            intro: None,
            folders: Vec::new(),
            sections,
            drafts,
            unparsed: Vec::new(),
            assets: Vec::new(),
            theme: Vec::new(),
        };
        diagnostics.extend(fixbook::pipeline::check_model(&guide, None));
        let mut sources = fixbook::diagnostics::SourceMap::default();
        sources.insert(path, Arc::from(text));
        sources.insert("net/other.md", Arc::from(SIBLING));
        // The terminal and JSON renderers run on every diagnostic a user could see.
        let human = fixbook::diagnostics::render_human(&diagnostics, &sources, false);
        let _ = fixbook::diagnostics::render_json(&diagnostics, &sources);
        assert!(diagnostics.is_empty() || !human.is_empty());
        outcome.diagnostics = diagnostics.len();
        outcome.first_error = diagnostics.iter().find(|d| d.is_error()).map(|d| d.code.as_str());
        if render && !diagnostics.iter().any(|d| d.is_error()) {
            match fixbook::pipeline::render_files(&guide, &self.theme) {
                Ok(files) => outcome.rendered_files = files.len(),
                Err(problems) => panic!("the default theme failed to render a valid section: {problems:?}"),
            }
        }
        outcome
    }
}

/// Every diagnostic's span lies inside the text of the file it names, on
/// character boundaries (the terminal renderer slices with them), and the
/// renderers run on all of them.
fn check_spans(diagnostics: &[Diagnostic], sources: &SourceMap) {
    for d in diagnostics {
        if let Some(text) = sources.get(&d.file) {
            assert!(d.span.start <= d.span.end && d.span.end <= text.len(), "span {:?} outside a {}-byte {}: {d:?}", d.span, text.len(), d.file);
            assert!(text.is_char_boundary(d.span.start) && text.is_char_boundary(d.span.end), "span {:?} splits a character: {d:?}", d.span);
        }
    }
    let human = fixbook::diagnostics::render_human(diagnostics, sources, false);
    let _ = fixbook::diagnostics::render_json(diagnostics, sources);
    assert!(diagnostics.is_empty() || !human.is_empty());
}

/// symptoms.yml through its parser.
pub fn run_symptoms(text: &str) -> Outcome {
    let (symptoms, problems) = fixbook::source::symptoms::parse(text);
    let mut sources = SourceMap::default();
    sources.insert("symptoms.yml", Arc::from(text));
    check_spans(&problems, &sources);
    Outcome {
        first_error: problems.iter().find(|d| d.is_error()).map(|d| d.code.as_str()),
        parsed: !symptoms.is_empty(),
        diagnostics: problems.len(),
        rendered_files: 0,
    }
}

/// guide.toml through its parser.
pub fn run_config(text: &str) -> Outcome {
    let problems = fixbook::source::config::parse(text).err().unwrap_or_default();
    let mut sources = SourceMap::default();
    sources.insert("guide.toml", Arc::from(text));
    check_spans(&problems, &sources);
    Outcome {
        first_error: problems.iter().find(|d| d.is_error()).map(|d| d.code.as_str()),
        parsed: problems.is_empty(),
        diagnostics: problems.len(),
        rendered_files: 0,
    }
}

/// A whole guide of (path, text) files through the pipeline, rendered when
/// it has no errors.
pub fn run_guide(files: &[(String, String)]) -> Outcome {
    let given: Vec<(String, Vec<u8>)> = files.iter().map(|(p, t)| (p.clone(), t.clone().into_bytes())).collect();
    let (loaded, diagnostics) = fixbook::source::loader::from_memory(&given);
    let options = fixbook::CompileOptions { render: true, ..fixbook::CompileOptions::default() };
    let compiled = fixbook::pipeline::compile_files(loaded, diagnostics, &options);
    check_spans(&compiled.diagnostics, &compiled.sources);
    Outcome {
        first_error: compiled.diagnostics.iter().find(|d| d.is_error()).map(|d| d.code.as_str()),
        parsed: compiled.guide.is_some(),
        diagnostics: compiled.diagnostics.len(),
        rendered_files: compiled.files.as_ref().map_or(0, Vec::len),
    }
}

impl Default for Target {
    fn default() -> Self {
        Target::new()
    }
}
