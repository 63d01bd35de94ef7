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

/// `compile` and `write` in one pass that never holds the whole site in
/// memory: each file goes to the writer as soon as it is rendered, and the
/// new site replaces `out` only when every file rendered and was written.
/// Returns what `compile` would (without `files`) and, when the guide had no
/// errors, the outcome of writing.
pub fn build(guide_dir: &Path, out: &Path, options: &CompileOptions) -> std::io::Result<(Compiled, Option<Result<BuildSummary, writer::WriteError>>)> {
    let mut compiled = compile(guide_dir, &CompileOptions { render: false, ..options.clone() })?;
    let Some(guide) = compiled.guide.as_ref().filter(|_| !compiled.has_errors()) else {
        return Ok((compiled, None));
    };
    let indexes = timings::time("indexes", || indexes::build(guide));
    let theme = match theme::load(&guide.theme) {
        Ok(theme) => theme,
        Err(problems) => {
            compiled.diagnostics.extend(problems);
            diagnostics::sort(&mut compiled.diagnostics);
            return Ok((compiled, None));
        }
    };
    let writer = match writer::SiteWriter::begin(out) {
        Ok(writer) => writer,
        Err(e) => return Ok((compiled, Some(Err(e)))),
    };
    let site = render::Site::new(guide, &indexes, &theme);
    let pages = std::sync::atomic::AtomicUsize::new(0);
    let failed: std::sync::Mutex<Option<writer::WriteError>> = std::sync::Mutex::new(None);
    let rendered = timings::time("render+write", || {
        render::render_site_each(&site, &|file| {
            if failed.lock().expect("write error lock").is_some() {
                return;
            }
            if file.path.ends_with(".html") {
                pages.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
            if let Err(e) = writer.write(&file.path, &file.bytes) {
                failed.lock().expect("write error lock").get_or_insert(e);
            }
        })
    });
    if let Err(problems) = rendered {
        compiled.diagnostics.extend(problems);
        diagnostics::sort(&mut compiled.diagnostics);
        compiled.diagnostics.dedup();
        return Ok((compiled, None));
    }
    if let Some(e) = failed.into_inner().expect("write error lock") {
        return Ok((compiled, Some(Err(e))));
    }
    use rayon::prelude::*;
    let finished = guide
        .assets
        .par_iter()
        .try_for_each(|asset| writer.copy_asset(asset))
        .and_then(|()| timings::time("finish", || writer.finish()))
        .map(|files_written| BuildSummary { sections: guide.sections.len(), pages: pages.into_inner(), files_written });
    Ok((compiled, Some(finished)))
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
