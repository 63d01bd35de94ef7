//! The pipeline, assembled in this one place: load → model → checks (and
//! the theme) → indexes → site → output. `fixbook check`, `build` and
//! `serve` all run through it, so `build` refuses exactly what `check`
//! reports as an error, and diagnostics are sorted once, here, at the edge
//! (`finish`).

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::checks::freshness::MaxAge;
use crate::content::model::{self, Guide, SectionParser};
use crate::diagnostics::{self, Diagnostic, SourceMap};
use crate::index::{self, filter, search};
use crate::output::OutputFile;
use crate::output::writer::{self, SiteWriter, WriteError, Written};
use crate::site::theme::{self, Theme};
use crate::site::{self, Site};
use crate::source::date::Date;
use crate::source::loader;
use crate::timings;

#[derive(Debug, Clone, Default)]
pub struct CompileOptions {
    pub include_drafts: bool,
    /// Render the pages into `Compiled::files`? `check` says no.
    pub render: bool,
    /// Paths inside the guide to skip (the output folder).
    pub exclude: Vec<PathBuf>,
    /// `check --stale-after`: warn about reviews older than this.
    pub stale: Option<Staleness>,
    /// `--base-url`: replaces guide.toml's `base_url` (a preview deploy at
    /// another address). Already checked by `config::parse_base_url`.
    pub base_url: Option<String>,
    /// `build --cache-dir`: where the writer keeps the previous site to
    /// rewrite in place next time (else `.fixbook/cache` when the guide has
    /// `.fixbook/`, else nowhere).
    pub cache_dir: Option<PathBuf>,
}

/// How old a section's review may be on a given day.
#[derive(Debug, Clone, Copy)]
pub struct Staleness {
    pub today: Date,
    pub max_age: MaxAge,
}

/// What `compile` produced: the site's files (when asked for and there were
/// no errors), the model and the compiled theme, all diagnostics sorted, and
/// the sources they point into.
pub struct Compiled {
    pub files: Option<Vec<OutputFile>>,
    pub guide: Option<Guide>,
    pub theme: Option<Theme>,
    pub diagnostics: Vec<Diagnostic>,
    pub sources: SourceMap,
}

impl Compiled {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Summary of a successful build.
#[derive(Debug, Clone)]
pub struct BuildSummary {
    pub sections: usize,
    pub pages: usize,
    pub files_written: usize,
    /// What the writer did with files in OUT it had not written, and what
    /// it could not clean up.
    pub output: Written,
}

/// Loads, checks and (with `options.render`) renders the guide in `dir`;
/// writes nothing. Reads the guide once.
pub fn compile(dir: &Path, options: &CompileOptions) -> std::io::Result<Compiled> {
    compile_with(dir, options, &model::parse_section)
}

/// `compile` with the per-file section parser supplied by the caller, so that
/// `serve` can reuse the parse of every section file that did not change.
pub fn compile_with(dir: &Path, options: &CompileOptions, parse_section: &SectionParser<'_>) -> std::io::Result<Compiled> {
    let mut compiled = check(dir, options, parse_section)?;
    render_into(&mut compiled, options);
    Ok(finish(compiled))
}

/// With `options.render` and no errors, the site in memory.
fn render_into(compiled: &mut Compiled, options: &CompileOptions) {
    if options.render
        && !compiled.has_errors()
        && let (Some(guide), Some(theme)) = (&compiled.guide, &compiled.theme)
    {
        match render_files(guide, theme) {
            Ok(files) => compiled.files = Some(files),
            Err(problems) => compiled.diagnostics.extend(problems),
        }
    }
}

/// `compile` and writing in one pass that never holds the whole site in
/// memory: each file goes to the writer as soon as it is rendered, and the
/// new site replaces `out` only when every file rendered and was written.
/// Returns what `compile` would (without `files`) and, when the guide had no
/// errors, the outcome of writing.
pub fn build(dir: &Path, out: &Path, options: &CompileOptions) -> std::io::Result<(Compiled, Option<Result<BuildSummary, WriteError>>)> {
    if let Err(e) = writer::check_outside_guide(out, dir) {
        let nothing = Compiled { files: None, guide: None, theme: None, diagnostics: Vec::new(), sources: SourceMap::default() };
        return Ok((nothing, Some(Err(e))));
    }
    let mut compiled = check(dir, options, &model::parse_section)?;
    let (Some(guide), Some(theme)) = (compiled.guide.as_ref(), compiled.theme.as_ref()) else {
        return Ok((finish(compiled), None));
    };
    if compiled.has_errors() {
        return Ok((finish(compiled), None));
    }
    let cache_dir = options.cache_dir.clone().or_else(|| writer::default_cache_dir(dir));
    let writer = match SiteWriter::begin_with(out, cache_dir.as_deref()) {
        Ok(writer) => writer,
        Err(e) => return Ok((finish(compiled), Some(Err(e)))),
    };
    let pages = AtomicUsize::new(0);
    let failed: Mutex<Option<WriteError>> = Mutex::new(None);
    let problems = timings::time("render+write", || {
        render(guide, theme, &|file| {
            if failed.lock().expect("write error lock").is_some() {
                return;
            }
            if file.path.ends_with(".html") {
                pages.fetch_add(1, Ordering::Relaxed);
            }
            if let Err(e) = writer.write(&file.path, &file.bytes) {
                failed.lock().expect("write error lock").get_or_insert(e);
            }
        })
    });
    if !problems.is_empty() {
        compiled.diagnostics.extend(problems);
        return Ok((finish(compiled), None));
    }
    if let Some(e) = failed.into_inner().expect("write error lock") {
        return Ok((finish(compiled), Some(Err(e))));
    }
    let finished = guide
        .assets
        .par_iter()
        .try_for_each(|asset| writer.copy_asset(asset))
        .and_then(|()| timings::time("finish", || writer.finish()))
        .map(|output| BuildSummary { sections: guide.sections.len(), pages: pages.into_inner(), files_written: output.files, output });
    Ok((finish(compiled), Some(finished)))
}

/// Load, model, checks and the theme: everything `check` reports. The theme
/// is compiled and one page of each template rendered, so a broken template
/// override is a `check` error too.
fn check(dir: &Path, options: &CompileOptions, parse_section: &SectionParser<'_>) -> std::io::Result<Compiled> {
    let (files, diagnostics) = timings::time("load", || loader::load(dir, &options.exclude))?;
    Ok(check_files(files, diagnostics, options, parse_section))
}

/// `compile` of a guide already in memory (`loader::from_memory`: the
/// fuzzer's whole-guide target), with the loader's diagnostics.
pub fn compile_files(files: loader::GuideFiles, diagnostics: Vec<Diagnostic>, options: &CompileOptions) -> Compiled {
    let mut compiled = check_files(files, diagnostics, options, &model::parse_section);
    render_into(&mut compiled, options);
    finish(compiled)
}

/// Everything `check` does after the loader.
fn check_files(files: loader::GuideFiles, mut diagnostics: Vec<Diagnostic>, options: &CompileOptions, parse_section: &SectionParser<'_>) -> Compiled {
    let mut sources = SourceMap::default();
    for f in files.sections.iter().chain(&files.config).chain(&files.symptoms).chain(&files.intro).chain(&files.folder_indexes).chain(&files.unreadable) {
        sources.insert(f.path.clone(), f.text.clone());
    }
    let (mut guide, model_problems) = timings::time("model", || model::build_with(files, options.include_drafts, parse_section));
    diagnostics.extend(model_problems);
    if let (Some(guide), Some(base_url)) = (&mut guide, &options.base_url) {
        guide.config.base_url = Some(base_url.clone());
    }
    let mut theme = None;
    if let Some(guide) = &guide {
        diagnostics.extend(timings::time("check", || check_model(guide, options.stale)));
        match timings::time("theme", || theme::load(&guide.theme)) {
            Ok(loaded) => {
                let indexes = index::build(guide);
                diagnostics.extend(site::render_samples(&Site::new(guide, &indexes, &loaded)));
                theme = Some(loaded);
            }
            Err(problems) => diagnostics.extend(problems),
        }
    }
    Compiled { files: None, guide, theme, diagnostics, sources }
}

/// The checks over a built model: the cross-file checks, procedure lint and,
/// when asked for, review freshness.
pub fn check_model(guide: &Guide, stale: Option<Staleness>) -> Vec<Diagnostic> {
    let mut diagnostics = crate::checks::check(guide);
    diagnostics.extend(crate::checks::lint::lint(guide));
    if let Some(stale) = stale {
        diagnostics.extend(crate::checks::freshness::check(guide, stale.today, stale.max_age));
    }
    diagnostics
}

/// The edge: diagnostics sorted (and exact repeats dropped) once.
fn finish(mut compiled: Compiled) -> Compiled {
    diagnostics::sort_and_dedup(&mut compiled.diagnostics);
    compiled
}

/// Indexes, then every file of the site, handed to `emit` as soon as it is
/// made (from several threads). The search index and the filter data are
/// built beside the pages, so both cores stay busy. Returns the template
/// failures, one per template.
pub fn render(guide: &Guide, theme: &Theme, emit: &(dyn Fn(OutputFile) + Sync)) -> Vec<Diagnostic> {
    let indexes = timings::time("indexes", || index::build(guide));
    let site = Site::new(guide, &indexes, theme);
    let ((), problems) = rayon::join(
        || {
            site::data::search_files(&timings::time("search index", || search::build(guide))).into_iter().for_each(emit);
            emit(site::data::filter_file(&filter::build(guide)));
        },
        || timings::time("render", || site::render_each(&site, emit)),
    );
    one_per_template(problems)
}

/// Every file of the site, sorted by path (threads emit them in any order).
pub fn render_files(guide: &Guide, theme: &Theme) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    let files = Mutex::new(Vec::new());
    let problems = render(guide, theme, &|file| files.lock().expect("collector lock").push(file));
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut files = files.into_inner().expect("collector lock");
    files.sort_unstable_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// Only the pages of the sections at `sources` (`serve`'s quick preview of
/// an edit); `None` when any of them is not published or fails to render.
pub fn render_section_pages(guide: &Guide, theme: &Theme, sources: &[String]) -> Option<Vec<OutputFile>> {
    let indexes = index::build(guide);
    let site = Site::new(guide, &indexes, theme);
    sources.iter().map(|source| site::render_section_page(&site, source)?.ok()).collect()
}

/// A broken template fails on every page that uses it: report it once, the
/// failure that sorts first.
fn one_per_template(problems: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut first: std::collections::BTreeMap<String, Diagnostic> = std::collections::BTreeMap::new();
    for d in problems {
        match first.get(&d.file) {
            Some(kept) if (kept.span.start, kept.code.as_str(), &kept.message) <= (d.span.start, d.code.as_str(), &d.message) => {}
            _ => {
                first.insert(d.file.clone(), d);
            }
        }
    }
    first.into_values().collect()
}
