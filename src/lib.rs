//! fixbook compiles a folder of Markdown troubleshooting sections into a
//! static site. The pipeline runs in one direction:
//!
//! load (loader) → front matter + model (frontmatter, symptoms, config, model,
//! markdown) → check → indexes → render pages (theme, views, render) → write.
//!
//! Only `loader` reads and only `writer` writes; everything between is pure.

pub mod check;
pub mod checklist;
pub mod config;
pub mod diagnostics;
pub mod escape;
pub mod filter;
pub mod freshness;
pub mod frontmatter;
pub mod highlight;
pub mod indexes;
pub mod init;
pub mod lint;
pub mod loader;
pub mod markdown;
pub mod model;
pub mod next_steps;
pub mod paths;
pub mod render;
pub mod search;
pub mod serve;
pub mod settings;
pub mod slug;
pub mod structured_data;
pub mod symptoms;
pub mod theme;
pub mod timings;
pub mod views;
pub mod writer;

use std::path::{Path, PathBuf};

use diagnostics::{Diagnostic, SourceMap};
use render::OutputFile;

/// What `compile` produced: the site's files (when there were no errors), all
/// diagnostics sorted, and the sources they point into.
pub struct Compiled {
    pub files: Option<Vec<OutputFile>>,
    pub guide: Option<model::Guide>,
    pub diagnostics: Vec<Diagnostic>,
    pub sources: SourceMap,
}

impl Compiled {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

#[derive(Debug, Clone, Default)]
pub struct CompileOptions {
    pub include_drafts: bool,
    /// Render pages even when only checking? `check` says no.
    pub render: bool,
    /// Paths inside the guide to skip (the output folder).
    pub exclude: Vec<PathBuf>,
}

/// Runs the pipeline up to (not including) writing. Reads the guide once.
pub fn compile(guide_dir: &Path, options: &CompileOptions) -> std::io::Result<Compiled> {
    compile_with(guide_dir, options, &model::parse_section)
}

/// `compile` with the per-file section parser supplied by the caller, so that
/// `serve` can reuse the parse of every section file that did not change.
pub fn compile_with(guide_dir: &Path, options: &CompileOptions, parse_section: &model::SectionParser<'_>) -> std::io::Result<Compiled> {
    let (files, mut diagnostics) = timings::time("load", || loader::load(guide_dir, &options.exclude))?;
    let mut sources = SourceMap::default();
    for f in files.sections.iter().chain(&files.config).chain(&files.symptoms).chain(&files.intro).chain(&files.unreadable) {
        sources.insert(f.path.clone(), f.text.clone());
    }
    let (guide, model_problems) = timings::time("model", || model::build_with(files, options.include_drafts, parse_section));
    diagnostics.extend(model_problems);
    let mut output = None;
    if let Some(guide) = &guide {
        diagnostics.extend(timings::time("check", || check::check(guide)));
        diagnostics.extend(next_steps::check_escalation(guide));
        diagnostics.extend(lint::lint(guide));
        let has_errors = diagnostics.iter().any(Diagnostic::is_error);
        if options.render && !has_errors {
            match render_guide(guide) {
                Ok(files) => output = Some(files),
                Err(problems) => diagnostics.extend(problems),
            }
        }
    }
    diagnostics::sort(&mut diagnostics);
    diagnostics.dedup();
    Ok(Compiled { files: output, guide, diagnostics, sources })
}

/// Renders every output file of a checked guide: the part of `compile` after
/// the checks, for `serve`, which checks first and renders later.
pub fn render_guide(guide: &model::Guide) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    let indexes = timings::time("indexes", || indexes::build(guide));
    let theme = theme::load(&guide.theme)?;
    let site = render::Site::new(guide, &indexes, &theme);
    timings::time("render", || render::render_site(&site))
}

/// Summary of a successful build.
#[derive(Debug, Clone)]
pub struct BuildSummary {
    pub sections: usize,
    pub pages: usize,
    pub files_written: usize,
}

/// Writes a compiled site to `out` (atomically; see `writer`).
pub fn write(compiled: &Compiled, out: &Path) -> Result<BuildSummary, writer::WriteError> {
    let files = compiled.files.as_deref().unwrap_or_default();
    let guide = compiled.guide.as_ref();
    let assets = guide.map(|g| g.assets.as_slice()).unwrap_or_default();
    let written = timings::time("write", || writer::write_site(out, files, assets))?;
    Ok(BuildSummary {
        sections: guide.map_or(0, |g| g.sections.len()),
        pages: files.iter().filter(|f| f.path.ends_with(".html")).count(),
        files_written: written,
    })
}
