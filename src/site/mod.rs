//! Stage 5, the site: every page and data script, from the checked model
//! and the indexes, through the theme's templates (`theme`) and the view
//! structs they see (`views`). `pages` builds the home, section, symptom,
//! settings and 404 pages and the sitemap; `folders` the folder tree
//! (titles, order) and `listing` its landing pages and the pages of
//! top-level sections; `print` the printable guide;
//! `checklists` the printable checklists; `guided` the guided walk's page;
//! `data` every data script (the one
//! JSONP writer); `json_ld` the schema.org data of section pages; `rebase`
//! moves rendered HTML onto another page. Pure: files are handed to the
//! caller as they are made; `output::writer` puts them on disk.

pub mod checklists;
pub mod data;
pub mod folders;
pub mod guided;
pub mod json_ld;
pub mod listing;
pub mod pages;
pub mod print;
pub mod rebase;
pub mod theme;
pub mod views;

use std::collections::HashMap;

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use crate::content::markdown::settings_breadcrumb;
use crate::content::model::{Guide, Section, SectionIndex};
use crate::diagnostics::{Code, Diagnostic};
use crate::index::Indexes;
use crate::index::next_steps::Planner;
use crate::output::OutputFile;
use crate::paths::{self, relative_url};
use crate::source::settings::SettingsPath;
use crate::source::symptoms::Symptom;
use theme::Theme;
use views::{PageView, SectionCard, SettingsUse, SiteView, SymptomLink};

/// Everything the page builders share.
pub struct Site<'a> {
    pub guide: &'a Guide,
    pub indexes: &'a Indexes,
    pub theme: &'a Theme,
    site: SiteView,
    symptom_labels: HashMap<&'a str, &'a str>,
    /// Section indexes grouped by folder, in reading order.
    folders: HashMap<&'a str, Vec<SectionIndex>>,
    /// "Still not fixed?" for each section page.
    next_steps: Planner<'a>,
    /// Folder titles, order and landing pages.
    pub tree: folders::FolderTree,
}

impl<'a> Site<'a> {
    pub fn new(guide: &'a Guide, indexes: &'a Indexes, theme: &'a Theme) -> Self {
        let mut folders: HashMap<&str, Vec<SectionIndex>> = HashMap::new();
        for (i, s) in guide.indexed_sections() {
            folders.entry(paths::parent(&s.source)).or_default().push(i);
        }
        Site {
            guide,
            indexes,
            theme,
            site: SiteView {
                title: guide.config.title.clone(),
                description: guide.config.description.clone(),
                language: guide.config.language.clone(),
                has_symptoms: !guide.symptoms.is_empty(),
            },
            symptom_labels: guide.symptoms.iter().map(|s| (s.id.as_str(), s.label.as_str())).collect(),
            folders,
            next_steps: Planner::new(guide, indexes),
            tree: folders::FolderTree::new(guide),
        }
    }

    fn page(&self, path: &str, title: &str, description: &str, kind: &'static str) -> PageView {
        PageView {
            root: paths::root_prefix(path),
            path: path.to_string(),
            title: title.to_string(),
            description: if description.is_empty() { self.guide.config.description.clone() } else { description.to_string() },
            canonical: self.guide.config.absolute_url(path),
            kind,
            has_code: false,
        }
    }

    fn render(&self, template: &str, page: PageView, key: &'static str, view: &impl Serialize) -> Result<OutputFile, Diagnostic> {
        let mut ctx = Context::new();
        ctx.insert("site", &self.site);
        ctx.insert("page", &page);
        ctx.insert("strings", &self.theme.strings);
        ctx.insert(key, view);
        let html = self.theme.tera.render(template, &ctx).map_err(|e| {
            Diagnostic::error(Code::TemplateError, format!("templates/{template}"), 0..0, format!("rendering `{}` failed: {e}", page.path))
                .with_help("check the template override in the guide's theme/templates/ folder")
        })?;
        Ok(OutputFile { path: page.path, bytes: html.into_bytes() })
    }

    fn card(&self, from: &str, section: &Section) -> SectionCard {
        SectionCard {
            title: section.title.clone(),
            title_html: section.title_html.clone(),
            url: relative_url(from, &section.page),
            summary: section.summary.clone().unwrap_or_default(),
            summary_html: section.summary_html.clone().unwrap_or_default(),
            steps: section.body.steps.len(),
            folder: self.tree.title_of_section(&section.source).to_string(),
            symptoms: self.symptom_labels(section),
        }
    }

    fn symptom_link(&self, from: &str, id: &str) -> Option<SymptomLink> {
        let symptom = self.guide.symptoms.iter().find(|s| s.id.as_str() == id)?;
        Some(self.symptom_link_of(from, symptom))
    }

    fn symptom_link_of(&self, from: &str, symptom: &Symptom) -> SymptomLink {
        let id = symptom.id.as_str();
        SymptomLink {
            id: id.to_string(),
            label: symptom.label.clone(),
            url: relative_url(from, &pages::symptom_page(id)),
            count: self.indexes.fixes(id).len(),
            description: symptom.description.clone().unwrap_or_default(),
            aliases: symptom.aliases.clone(),
        }
    }

    /// The labels of a section's symptoms that are in the catalog.
    fn symptom_labels(&self, section: &Section) -> Vec<String> {
        section.symptom_ids().filter_map(|id| self.symptom_labels.get(id.as_str()).map(|l| l.to_string())).collect()
    }
}

/// A section's front-matter settings paths, deduplicated, as breadcrumbs for page `from`.
fn settings_uses<'p>(from: &str, paths_used: impl Iterator<Item = &'p SettingsPath>) -> Vec<SettingsUse> {
    let root = paths::root_prefix(from);
    let mut seen = std::collections::BTreeSet::new();
    paths_used
        .filter(|p| seen.insert(p.as_str().to_string()))
        .map(|p| SettingsUse { path: p.as_str().to_string(), crumbs_html: settings_breadcrumb(&root, p) })
        .collect()
}

/// Renders every page and checklist data script of the site and hands each
/// file to `emit` as soon as it is made, from several threads at once, so
/// that `fixbook build` writes a page while others render and never holds the
/// whole site in memory. Returns the template failures (`emit` may have seen
/// some files then). The search index and the filter data are the index
/// stage's; `pipeline` runs them beside this.
pub fn render_each(site: &Site, emit: &(dyn Fn(OutputFile) + Sync)) -> Vec<Diagnostic> {
    let guide = site.guide;
    let problems = std::sync::Mutex::new(Vec::new());
    let take = |result: Result<OutputFile, Diagnostic>| match result {
        Ok(file) => emit(file),
        Err(d) => problems.lock().expect("problems lock").push(d),
    };
    type Job<'s> = Box<dyn Fn() -> Result<OutputFile, Diagnostic> + Send + Sync + 's>;
    let jobs: Vec<Job> = vec![
        Box::new(|| pages::render_index(site)),
        Box::new(|| pages::render_settings(site)),
        Box::new(|| pages::render_404(site)),
        Box::new(|| pages::render_search(site)),
        Box::new(|| checklists::render_combined(site)),
        Box::new(|| guided::render(site)),
        Box::new(|| Ok(data::filter_cards_file(site))),
    ];
    if let Some(page) = pages::render_symptom_index(site) {
        take(page);
    }
    // The single-threaded pieces (print and index pages) run beside the
    // per-page work instead of after it, so both cores stay busy until the
    // end. Emission order does not matter: every file has its own path.
    rayon::scope(|scope| {
        for job in &jobs {
            scope.spawn(|_| take(job()));
        }
        scope.spawn(|_| print::render_each(site, &take));
        (0..guide.sections.len()).into_par_iter().for_each(|i| take(pages::render_section(site, SectionIndex(i))));
        guide.symptoms.par_iter().for_each(|s| take(pages::render_symptom(site, s.id.as_str())));
        site.tree.folders().collect::<Vec<_>>().par_iter().for_each(|f| take(listing::render_folder(site, &f.path)));
        (1..=site.tree.overflow_pages()).into_par_iter().for_each(|n| take(listing::render_overflow(site, n)));
        crate::timings::time("render checklists", || {
            guide.sections.par_iter().enumerate().filter(|(_, s)| !s.body.steps.is_empty()).for_each(|(i, _)| {
                take(checklists::render_section(site, SectionIndex(i)));
                emit(data::checklist_section(guide, SectionIndex(i)));
            });
            guide.symptoms.par_iter().for_each(|symptom| emit(data::checklist_symptom(guide, &symptom.id, site.indexes.fixes(symptom.id.as_str()))));
        });
    });
    if let Some(sitemap) = pages::sitemap(site) {
        emit(sitemap);
    }
    for (path, bytes) in &site.theme.static_files {
        emit(OutputFile { path: path.clone(), bytes: bytes.clone() });
    }
    problems.into_inner().expect("problems lock")
}

/// Renders one page of each template, for `check`: a template that fails
/// to render fails here the way it would fail `build` (a failure that shows
/// on some pages of a kind only is left to `build`). Lists that grow with
/// the guide are cut to one entry, so this costs little at any size.
pub fn render_samples(site: &Site) -> Vec<Diagnostic> {
    let guide = site.guide;
    let first_with_steps = guide.indexed_sections().find(|(_, s)| !s.body.steps.is_empty()).map(|(i, _)| i);
    let results = [
        Some(pages::render_index_sample(site)),
        Some(pages::render_settings(site)),
        Some(print::render_sample(site)),
        Some(pages::render_404(site)),
        Some(pages::render_search(site)),
        Some(checklists::render_combined(site)),
        Some(guided::render(site)),
        site.tree.folders().next().map(|f| listing::render_folder(site, &f.path)),
        (site.tree.overflow_pages() > 0).then(|| listing::render_overflow(site, 1)),
        (!guide.sections.is_empty()).then(|| pages::render_section(site, SectionIndex(0))),
        guide.symptoms.first().map(|s| pages::render_symptom(site, s.id.as_str())),
        pages::render_symptom_index(site),
        first_with_steps.map(|i| checklists::render_section(site, i)),
    ];
    results.into_iter().flatten().filter_map(Result::err).collect()
}

/// Renders the page of one section, by source path (`None` when it is not
/// published). `serve` shows an edited section with this at once, before
/// the whole site is re-rendered.
pub fn render_section_page(site: &Site, source: &str) -> Option<Result<OutputFile, Diagnostic>> {
    let i = site.guide.sections.iter().position(|s| s.source == source)?;
    Some(pages::render_section(site, SectionIndex(i)))
}
