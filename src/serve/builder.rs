//! Incremental builds for `serve`, through `pipeline` like every build:
//! section files are parsed (and their code highlighted) only when their text
//! changed, and an edited section's page can be rendered on its own first,
//! so it shows before the whole site is re-rendered.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::content::model::{self, Guide, Section};
use crate::diagnostics::Diagnostic;
use crate::output::OutputFile;
use crate::pipeline::{self, CompileOptions, Compiled};
use crate::site::theme::Theme;
use crate::source::loader::{self, SourceFile};

/// An edit to at most this many section files is previewed page by page
/// before the whole site is re-rendered.
const QUICK_PREVIEW_MAX: usize = 16;

/// The state kept between builds.
pub struct Builder {
    dir: PathBuf,
    options: CompileOptions,
    cache: HashMap<String, (Arc<str>, ParsedSection)>,
    /// The guide and theme of the last build without errors: edits are
    /// previewed on them.
    last_good: Option<(Guide, Theme)>,
    /// The diagnostics last printed, so an unchanged list is not printed again.
    pub(super) printed: Vec<Diagnostic>,
}

type ParsedSection = (Option<Section>, Vec<Diagnostic>);

/// What one pass found.
pub struct Checked {
    /// What `pipeline::compile` returned (`files` only from `build`).
    pub compiled: Compiled,
    /// Section files parsed afresh; the rest came from the cache.
    pub reparsed: Vec<String>,
    pub elapsed: Duration,
}

impl Builder {
    pub fn new(dir: &Path, drafts: bool) -> Builder {
        Builder::with_options(dir, CompileOptions { include_drafts: drafts, ..CompileOptions::default() })
    }

    /// A builder that compiles with `options` (drafts, `--base-url`);
    /// whether to render is decided per call.
    pub fn with_options(dir: &Path, options: CompileOptions) -> Builder {
        Builder { dir: dir.to_path_buf(), options, cache: HashMap::new(), last_good: None, printed: Vec::new() }
    }

    /// Loads and checks the guide (all of `compile` but rendering).
    pub fn check(&mut self) -> std::io::Result<Checked> {
        self.compile(false)
    }

    /// Loads, checks and renders the guide.
    pub fn build(&mut self) -> std::io::Result<Checked> {
        self.compile(true)
    }

    fn compile(&mut self, render: bool) -> std::io::Result<Checked> {
        let started = Instant::now();
        let old = &self.cache;
        let fresh: Mutex<Vec<(String, Arc<str>, ParsedSection)>> = Mutex::new(Vec::new());
        let parse = |file: &SourceFile| -> ParsedSection {
            if let Some((text, parsed)) = old.get(&file.path)
                && **text == *file.text
            {
                return parsed.clone();
            }
            let parsed = model::parse_section(file);
            fresh.lock().unwrap_or_else(|e| e.into_inner()).push((file.path.clone(), file.text.clone(), parsed.clone()));
            parsed
        };
        let compiled = pipeline::compile_with(&self.dir, &CompileOptions { render, ..self.options.clone() }, &parse)?;
        let mut fresh = fresh.into_inner().unwrap_or_else(|e| e.into_inner());
        fresh.sort_by(|a, b| a.0.cmp(&b.0));
        // Keep only entries for files that still exist with the same text.
        self.cache.retain(|path, (text, _)| compiled.sources.get(path) == Some(&**text));
        let reparsed = fresh.iter().map(|(path, _, _)| path.clone()).collect();
        for (path, text, parsed) in fresh {
            self.cache.insert(path, (text, parsed));
        }
        Ok(Checked { compiled, reparsed, elapsed: started.elapsed() })
    }

    /// The pages of edited sections, rendered at once against the last good
    /// guide with just those files re-read and re-parsed: what a contributor
    /// looks at, before the whole guide is checked and re-rendered. `None`
    /// when that is not possible or not safe (a new, removed or broken file,
    /// a draft), and the full rebuild alone decides.
    pub fn preview_edits(&mut self, edited: &[String]) -> Option<Vec<OutputFile>> {
        if edited.is_empty() || edited.len() > QUICK_PREVIEW_MAX {
            return None;
        }
        // Edited in place, not cloned: copying a large guide would cost more
        // than the rest of the preview. The full rebuild replaces it anyway.
        let (mut guide, theme) = self.last_good.take()?;
        let pages = self.preview_in(&mut guide, &theme, edited);
        self.last_good = Some((guide, theme));
        pages
    }

    fn preview_in(&mut self, guide: &mut Guide, theme: &Theme, edited: &[String]) -> Option<Vec<OutputFile>> {
        let mut parsed = Vec::with_capacity(edited.len());
        for rel in edited {
            let file = loader::read_section(&self.dir, rel)?;
            let (section, problems) = model::parse_section(&file);
            if problems.iter().any(Diagnostic::is_error) {
                return None;
            }
            let section = section?;
            if section.draft && !self.options.include_drafts {
                return None;
            }
            parsed.push((file, section, problems));
        }
        // All or nothing: every edited file must be a published section.
        if !parsed.iter().all(|(_, section, _)| guide.sections.iter().any(|s| s.source == section.source)) {
            return None;
        }
        for (_, section, _) in &parsed {
            if let Some(slot) = guide.sections.iter_mut().find(|s| s.source == section.source) {
                *slot = section.clone();
            }
        }
        model::sort_sections(&mut guide.sections);
        let pages = pipeline::render_section_pages(guide, theme, edited)?;
        // The full check that follows reuses these parses.
        for (file, section, problems) in parsed {
            self.cache.insert(file.path, (file.text, (Some(section), problems)));
        }
        Some(pages)
    }

    /// Remembers the guide and theme of a build without errors (takes them
    /// out of `compiled`), or forgets them after a failed one, for
    /// `preview_edits`.
    pub fn set_last_good(&mut self, compiled: &mut Compiled) {
        self.last_good = match (compiled.has_errors(), compiled.guide.take(), compiled.theme.take()) {
            (false, Some(guide), Some(theme)) => Some((guide, theme)),
            _ => None,
        };
    }
}
