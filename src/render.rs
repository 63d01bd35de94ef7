//! Page rendering: builds each page's view structs from the model and indexes
//! and runs the theme's templates, pages in parallel. Pure: returns the
//! files to write; the writer puts them on disk.

use std::collections::HashMap;

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use crate::diagnostics::Diagnostic;
use crate::escape;
use crate::indexes::Indexes;
use crate::markdown::settings_breadcrumb;
use crate::model::{Guide, Section};
use crate::paths::{self, relative_url};
use crate::settings::{SettingsNode, SettingsPath};
use crate::theme::Theme;
use crate::views::*;

/// One file of the generated site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// How many neighbours of a section the side navigation lists: bounded, so
/// pages do not grow with the size of the guide.
const NEARBY_WINDOW: usize = 6;

/// Everything the page builders share.
pub struct Site<'a> {
    pub guide: &'a Guide,
    pub indexes: &'a Indexes,
    pub theme: &'a Theme,
    site: SiteView,
    symptom_labels: HashMap<&'a str, &'a str>,
    /// Section indexes grouped by folder, in reading order.
    folders: HashMap<&'a str, Vec<usize>>,
    /// "Still not fixed?" for each section page.
    next_steps: crate::next_steps::Planner<'a>,
}

impl<'a> Site<'a> {
    pub fn new(guide: &'a Guide, indexes: &'a Indexes, theme: &'a Theme) -> Self {
        let mut folders: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, s) in guide.sections.iter().enumerate() {
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
            next_steps: crate::next_steps::Planner::new(guide, &indexes.sections_by_symptom),
        }
    }

    pub(crate) fn page(&self, path: &str, title: &str, description: &str, kind: &'static str) -> PageView {
        PageView {
            root: paths::root_prefix(path),
            path: path.to_string(),
            title: title.to_string(),
            description: if description.is_empty() { self.guide.config.description.clone() } else { description.to_string() },
            canonical: self.guide.config.absolute_url(path),
            kind,
        }
    }

    pub(crate) fn render(&self, template: &str, page: PageView, key: &'static str, view: &impl Serialize) -> Result<OutputFile, Diagnostic> {
        let mut ctx = Context::new();
        ctx.insert("site", &self.site);
        ctx.insert("page", &page);
        ctx.insert(key, view);
        let html = self.theme.tera.render(template, &ctx).map_err(|e| {
            Diagnostic::error("template-error", format!("templates/{template}"), 0..0, format!("rendering `{}` failed: {e}", page.path))
                .with_help("check the template override in the guide's theme/templates/ folder")
        })?;
        Ok(OutputFile { path: page.path, bytes: html.into_bytes() })
    }

    fn card(&self, from: &str, section: &Section) -> SectionCard {
        SectionCard {
            title: section.title.clone(),
            url: relative_url(from, &section.page),
            summary: section.summary.clone().unwrap_or_default(),
            steps: section.body.steps.len(),
            folder: folder_label(paths::parent(&section.source)),
        }
    }

    fn symptom_link(&self, from: &str, id: &str) -> Option<SymptomLink> {
        let symptom = self.guide.symptoms.iter().find(|s| s.id.as_str() == id)?;
        Some(SymptomLink {
            id: id.to_string(),
            label: symptom.label.clone(),
            url: relative_url(from, &format!("symptoms/{id}.html")),
            count: self.indexes.sections_by_symptom.get(id).map_or(0, Vec::len),
            description: symptom.description.clone().unwrap_or_default(),
            aliases: symptom.aliases.clone(),
        })
    }

    fn settings_uses(&self, from: &str, paths_used: impl Iterator<Item = &'a SettingsPath>) -> Vec<SettingsUse> {
        let root = paths::root_prefix(from);
        let mut seen = std::collections::BTreeSet::new();
        paths_used
            .filter(|p| seen.insert(p.as_str().to_string()))
            .map(|p| SettingsUse { path: p.as_str().to_string(), crumbs_html: settings_breadcrumb(&root, p) })
            .collect()
    }
}

/// Renders every page of the site. Errors are template failures only.
pub fn render_site(site: &Site) -> Result<Vec<OutputFile>, Vec<Diagnostic>> {
    let files = std::sync::Mutex::new(Vec::new());
    render_site_each(site, &|file| files.lock().expect("collector lock").push(file))?;
    let mut files = files.into_inner().expect("collector lock");
    // Pages arrive from several threads; sort them so the list is stable.
    files.sort_unstable_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// Renders every file of the site and hands each one to `emit` as soon as it
/// is made, from several threads at once, so that `fixbook build` writes a
/// page while others render and never holds the whole site in memory.
/// Errors are template failures only; `emit` may have seen some files then.
pub fn render_site_each(site: &Site, emit: &(dyn Fn(OutputFile) + Sync)) -> Result<(), Vec<Diagnostic>> {
    let guide = site.guide;
    let problems = std::sync::Mutex::new(Vec::new());
    let take = |result: Result<OutputFile, Diagnostic>| match result {
        Ok(file) => emit(file),
        Err(d) => problems.lock().expect("problems lock").push(d),
    };
    let mut jobs: Vec<Box<dyn Fn() -> Result<OutputFile, Diagnostic> + Send + Sync + '_>> = Vec::new();
    jobs.push(Box::new(|| render_index(site)));
    jobs.push(Box::new(|| render_settings(site)));
    jobs.push(Box::new(|| render_print(site)));
    jobs.push(Box::new(|| render_404(site)));
    // The single-threaded pieces (search index, filter data, print and index
    // pages) run beside the per-page work instead of after it, so both cores
    // stay busy until the end. Emission order does not matter: every file
    // has its own path, and `render_site` sorts what it collects.
    rayon::scope(|scope| {
        // Data for the home page filter and the search box (classic scripts,
        // so they load from file:// too).
        scope.spawn(|_| crate::search::files(&crate::search::build(guide)).into_iter().for_each(emit));
        scope.spawn(|_| emit(crate::filter::file(&crate::filter::build(guide))));
        for job in &jobs {
            scope.spawn(|_| take(job()));
        }
        (0..guide.sections.len()).into_par_iter().for_each(|i| take(render_section(site, i)));
        guide.symptoms.par_iter().for_each(|s| take(render_symptom(site, s.id.as_str())));
        crate::timings::time("render checklists", || crate::checklist::render_each(site, &take));
    });
    if let Some(sitemap) = render_sitemap(site) {
        emit(sitemap);
    }
    for (path, bytes) in &site.theme.static_files {
        emit(OutputFile { path: path.clone(), bytes: bytes.clone() });
    }
    let mut problems = problems.into_inner().expect("problems lock");
    if problems.is_empty() {
        Ok(())
    } else {
        crate::diagnostics::sort(&mut problems);
        problems.dedup_by(|a, b| a.file == b.file);
        Err(problems)
    }
}

/// Renders the page of one section, by source path (`None` when it is not
/// published). `serve` shows an edited section with this at once, before
/// the whole site is re-rendered.
pub fn render_section_page(site: &Site, source: &str) -> Option<Result<OutputFile, Diagnostic>> {
    let i = site.guide.sections.iter().position(|s| s.source == source)?;
    Some(render_section(site, i))
}

fn folder_label(folder: &str) -> String {
    folder.rsplit('/').next().unwrap_or("").replace(['-', '_'], " ")
}

fn render_index(site: &Site) -> Result<OutputFile, Diagnostic> {
    let guide = site.guide;
    let from = "index.html";
    let mut groups: Vec<SymptomGroupView> = Vec::new();
    for s in &guide.symptoms {
        let name = s.group.clone().unwrap_or_else(|| "Other symptoms".to_string());
        let link = site.symptom_link(from, s.id.as_str()).expect("symptom exists");
        match groups.iter_mut().find(|g| g.name == name) {
            Some(g) => g.symptoms.push(link),
            None => groups.push(SymptomGroupView { name, symptoms: vec![link] }),
        }
    }
    let view = IndexView {
        intro_html: guide.intro.as_ref().map(|i| i.html.clone()).unwrap_or_default(),
        groups,
        sections: guide.sections.iter().map(|s| site.card(from, s)).collect(),
        symptom_count: guide.symptoms.len(),
    };
    site.render("index.html", site.page(from, &guide.config.title, "", "index"), "index", &view)
}

fn render_section(site: &Site, i: usize) -> Result<OutputFile, Diagnostic> {
    let guide = site.guide;
    let section = &guide.sections[i];
    let from = section.page.as_str();
    let folder = paths::parent(&section.source);
    let siblings = &site.folders[folder];
    // `siblings` is in reading order, i.e. ascending indexes.
    let pos = siblings.binary_search(&i).unwrap_or(0);
    let lo = pos.saturating_sub(NEARBY_WINDOW);
    let hi = (pos + NEARBY_WINDOW + 1).min(siblings.len());
    let nearby = siblings[lo..hi]
        .iter()
        .map(|&j| NavItem { title: guide.sections[j].title.clone(), url: relative_url(from, &guide.sections[j].page), current: j == i })
        .collect();
    let link = |j: usize| LinkView { title: guide.sections[j].title.clone(), url: relative_url(from, &guide.sections[j].page) };
    let view = SectionView {
        title: section.title.clone(),
        summary: section.summary.clone().unwrap_or_default(),
        body_html: section.body.html.clone(),
        symptoms: section.symptom_ids().filter_map(|id| site.symptom_link(from, id)).collect(),
        settings: site.settings_uses(from, section.settings.iter().map(|p| &p.value)),
        steps: section.body.steps.len(),
        prev: i.checked_sub(1).map(link),
        next: (i + 1 < guide.sections.len()).then(|| link(i + 1)),
        edit_url: guide.config.edit_link(&section.source),
        nearby,
        nearby_more: lo > 0 || hi < siblings.len(),
        folder: folder_label(folder),
        applies_to: section.applies_to.clone(),
        reviewed: section.reviewed.map(|d| format!("{} {}", d.month_name(), d.year)),
        reviewed_iso: section.reviewed.map(|d| d.iso()),
        checklist_url: (!section.body.steps.is_empty()).then(|| relative_url(from, &crate::checklist::page_for(&section.page))),
        still_not_fixed: still_not_fixed(site, i),
        json_ld: {
            let url = guide.config.absolute_url(from).unwrap_or_else(|| relative_url(from, from));
            crate::structured_data::howto(section, &url, &guide.config.language)
        },
    };
    let description = section.summary.clone().unwrap_or_default();
    site.render("section.html", site.page(from, &section.title, &description, "section"), "section", &view)
}

fn still_not_fixed(site: &Site, i: usize) -> StillNotFixedView {
    let guide = site.guide;
    let from = guide.sections[i].page.as_str();
    let plan = site.next_steps.for_section(i);
    let tries = plan
        .tries
        .iter()
        .map(|t| {
            let s = &guide.sections[t.section];
            NextTryView {
                title: s.title.clone(),
                url: relative_url(from, &s.page),
                summary: s.summary.clone().unwrap_or_default(),
                shared: t.shared.iter().filter_map(|id| site.symptom_labels.get(id.as_str()).map(|l| l.to_string())).collect(),
            }
        })
        .collect();
    StillNotFixedView {
        tries,
        escalation: plan.escalation.map(|e| site.card(from, &guide.sections[e])),
        all_fixes_url: plan.is_dead_end().then(|| format!("{}index.html#sections", paths::root_prefix(from))),
    }
}

fn render_symptom(site: &Site, id: &str) -> Result<OutputFile, Diagnostic> {
    let guide = site.guide;
    let symptom = guide.symptoms.iter().find(|s| s.id.as_str() == id).expect("symptom exists");
    let from = format!("symptoms/{id}.html");
    let sections = site.indexes.sections_by_symptom.get(id).map(Vec::as_slice).unwrap_or_default();
    let view = SymptomView {
        label: symptom.label.clone(),
        description: symptom.description.clone().unwrap_or_default(),
        aliases: symptom.aliases.clone(),
        group: symptom.group.clone().unwrap_or_default(),
        sections: sections.iter().map(|&j| site.card(&from, &guide.sections[j])).collect(),
        checklist_url: sections
            .iter()
            .any(|&j| !guide.sections[j].body.steps.is_empty())
            .then(|| format!("{}?symptoms={id}", relative_url(&from, crate::checklist::COMBINED_PAGE))),
    };
    let description = symptom.description.clone().unwrap_or_default();
    site.render("symptom.html", site.page(&from, &symptom.label, &description, "symptom"), "symptom", &view)
}

fn render_settings(site: &Site) -> Result<OutputFile, Diagnostic> {
    let from = "settings.html";
    let mut html = String::new();
    let mut count = 0;
    settings_tree_html(site, &site.indexes.settings, from, &mut html, &mut count);
    let view = SettingsMapView { tree_html: html, path_count: count };
    site.render(
        "settings.html",
        site.page(from, "Settings map", "Every settings screen this guide uses, and the sections that use it.", "settings"),
        "settings",
        &view,
    )
}

/// Nested lists for the settings tree; every segment is escaped.
fn settings_tree_html(site: &Site, node: &SettingsNode, from: &str, out: &mut String, count: &mut usize) {
    if node.children.is_empty() {
        return;
    }
    out.push_str("<ul class=\"settings-tree\">");
    for (segment, child) in &node.children {
        out.push_str("<li");
        if let Some(path) = &child.path {
            *count += 1;
            out.push_str(&format!(" id=\"{}\" class=\"settings-leaf\"", escape::html(&path.anchor())));
        }
        out.push_str("><span class=\"settings-seg\">");
        out.push_str(&escape::html(segment));
        out.push_str("</span>");
        if !child.sections.is_empty() {
            out.push_str("<ul class=\"settings-uses\">");
            for &j in &child.sections {
                let s = &site.guide.sections[j];
                out.push_str(&format!("<li><a href=\"{}\">{}</a></li>", escape::html(&relative_url(from, &s.page)), escape::html(&s.title)));
            }
            out.push_str("</ul>");
        }
        settings_tree_html(site, child, from, out, count);
        out.push_str("</li>");
    }
    out.push_str("</ul>");
}

fn render_print(site: &Site) -> Result<OutputFile, Diagnostic> {
    let guide = site.guide;
    let from = "print.html";
    let anchors: HashMap<&str, String> = guide.sections.iter().enumerate().map(|(i, s)| (s.page.as_str(), format!("p{}", i + 1))).collect();
    let sections = guide
        .sections
        .iter()
        .map(|s| {
            let anchor = anchors[s.page.as_str()].clone();
            PrintSection {
                title: s.title.clone(),
                summary: s.summary.clone().unwrap_or_default(),
                body_html: rebase_for_print(&s.body.html, &s.page, &anchor, &anchors),
                symptoms: s.symptom_ids().filter_map(|id| site.symptom_labels.get(id).map(|l| l.to_string())).collect(),
                settings: site.settings_uses(from, s.settings.iter().map(|p| &p.value)),
                anchor,
            }
        })
        .collect();
    let view = PrintView { intro_html: guide.intro.as_ref().map(|i| i.html.clone()).unwrap_or_default(), sections };
    site.render("print.html", site.page(from, &format!("{} (printable)", guide.config.title), "", "print"), "print", &view)
}

/// Moves a section body into print.html: ids get the section's prefix so they
/// stay unique, links to other sections become links inside the document,
/// and relative URLs are re-based on the site root.
pub fn rebase_for_print(html: &str, page: &str, prefix: &str, anchors: &HashMap<&str, String>) -> String {
    let folder = paths::parent(page);
    rewrite_attributes(html, |name, value, out| match name {
        "id" => {
            out.push_str(prefix);
            out.push('-');
            out.push_str(value);
        }
        _ => out.push_str(&rebase_url(value, folder, prefix, anchors)),
    })
}

/// Copies fixbook's own rendered HTML, handing the value of every `id`,
/// `href` and `src` attribute to `rewrite`, which appends its replacement to
/// the output (everything before the value is already there). Used to move a
/// body onto another page (print, checklists).
pub(crate) fn rewrite_attributes(html: &str, mut rewrite: impl FnMut(&'static str, &str, &mut String)) -> String {
    const NAMES: [(&str, &str); 3] = [(" id", "id"), (" href", "href"), (" src", "src")];
    let mut out = String::with_capacity(html.len() + 64);
    let mut rest = html;
    loop {
        // One forward search for `="` per attribute keeps this linear: searching
        // for each attribute name separately rescanned the rest of the page
        // every time one of them was absent (minutes for a 50 MB section).
        let Some(eq) = rest.find("=\"") else {
            out.push_str(rest);
            break;
        };
        let name = NAMES.iter().find(|(pattern, _)| rest[..eq].ends_with(pattern)).map(|(_, name)| *name);
        out.push_str(&rest[..eq + 2]);
        rest = &rest[eq + 2..];
        let Some(name) = name else { continue };
        let end = rest.find('"').unwrap_or(rest.len());
        rewrite(name, &rest[..end], &mut out);
        rest = &rest[end..];
    }
    out
}

fn rebase_url(value: &str, folder: &str, prefix: &str, anchors: &HashMap<&str, String>) -> String {
    if let Some(frag) = value.strip_prefix('#') {
        return format!("#{prefix}-{frag}");
    }
    let unescaped = value.replace("&amp;", "&");
    if unescaped.contains("://")
        || unescaped.starts_with("mailto:")
        || unescaped.starts_with("tel:")
        || unescaped.starts_with("//")
        || unescaped.contains(':') && !unescaped.contains('/')
    {
        return value.to_string();
    }
    let (path, frag) = match unescaped.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (unescaped.as_str(), None),
    };
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy().into_owned();
    let Some(resolved) = paths::join(folder, &decoded) else { return value.to_string() };
    if let Some(anchor) = anchors.get(resolved.as_str()) {
        return match frag {
            Some(f) => format!("#{anchor}-{}", escape::html(f)),
            None => format!("#{anchor}"),
        };
    }
    let mut url = paths::encode_url_path(&resolved);
    if let Some(f) = frag {
        url.push('#');
        url.push_str(&escape::html(f));
    }
    url
}

fn render_404(site: &Site) -> Result<OutputFile, Diagnostic> {
    // 404.html is served for any missing URL, at any depth: its links must not
    // be relative, so it links to the root via the base URL when known.
    let mut page = site.page("404.html", "Page not found", "", "404");
    if let Some(base) = &site.guide.config.base_url {
        page.root = base.clone();
    }
    site.render("404.html", page, "missing", &())
}

fn render_sitemap(site: &Site) -> Option<OutputFile> {
    let config = &site.guide.config;
    config.base_url.as_ref()?;
    let mut pages = vec!["index.html".to_string(), "settings.html".to_string()];
    pages.extend(site.guide.sections.iter().map(|s| s.page.clone()));
    pages.extend(site.guide.symptoms.iter().map(|s| format!("symptoms/{}.html", s.id.as_str())));
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for p in pages {
        let url = config.absolute_url(&p).expect("base_url is set");
        xml.push_str(&format!("  <url><loc>{}</loc></url>\n", escape::html(&url)));
    }
    xml.push_str("</urlset>\n");
    Some(OutputFile { path: "sitemap.xml".into(), bytes: xml.into_bytes() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn print_rebasing_prefixes_ids_and_links_inside_the_document() {
        let anchors: HashMap<&str, String> = [("net/a.html", "p1".to_string()), ("b.html", "p2".to_string())].into_iter().collect();
        let html = r##"<h2 id="x">X<a href="#x">#</a></h2><a href="../b.html#y">b</a><img src="../assets/i.png"><a href="https://e.example/">e</a>"##;
        let out = rebase_for_print(html, "net/a.html", "p1", &anchors);
        assert_eq!(out, r##"<h2 id="p1-x">X<a href="#p1-x">#</a></h2><a href="#p2-y">b</a><img src="assets/i.png"><a href="https://e.example/">e</a>"##);
    }
}
