//! The pages of the site: home (with the symptom filter's markup and the
//! list of all sections), one per section, one per symptom, the settings map,
//! 404 and the sitemap. Each builds its view and runs its template.

use super::views::*;
use super::{Site, checklists, folders, listing, settings_uses};
use crate::content::highlight;
use crate::content::model::SectionIndex;
use crate::diagnostics::Diagnostic;
use crate::escape;
use crate::index::filter;
use crate::index::settings::SettingsNode;
use crate::output::OutputFile;
use crate::paths::{self, relative_url};

/// With more symptoms than this, the filter's groups start collapsed and the
/// symptoms most sections fix come first.
const COLLAPSE_AFTER: usize = 30;
/// How many symptoms lead the filter when the groups are collapsed.
const POPULAR: usize = 8;

/// How many neighbours of a section the side navigation lists on each side:
/// bounded, so section pages do not grow with the size of the guide.
const NEARBY_WINDOW: usize = 6;

/// The list of every symptom, by group, for readers without JavaScript:
/// written for a large catalog only (`index::filter::large_catalog`), whose
/// home page lists the "Most common" symptoms and links here. The symptom id
/// `index` is refused by the catalog parser, so no symptom page is here.
pub const SYMPTOM_INDEX: &str = "symptoms/index.html";

/// The page of symptom `id` (ids are `[a-z0-9-]+`, safe as file names).
pub fn symptom_page(id: &str) -> String {
    format!("symptoms/{id}.html")
}

fn symptom_groups_view(site: &Site, from: &str) -> Vec<SymptomGroupView> {
    let guide = site.guide;
    filter::symptom_groups(guide)
        .into_iter()
        .map(|(name, members)| SymptomGroupView {
            name: name.to_string(),
            symptoms: members.into_iter().map(|i| site.symptom_link_of(from, &guide.symptoms[i])).collect(),
        })
        .collect()
}

fn index_view(site: &Site) -> IndexView {
    let guide = site.guide;
    let from = "index.html";
    let groups = symptom_groups_view(site, from);
    let collapse_groups = guide.symptoms.len() > COLLAPSE_AFTER;
    let mut popular: Vec<SymptomLink> = if collapse_groups { groups.iter().flat_map(|g| g.symptoms.iter().cloned()).collect() } else { Vec::new() };
    // Most fixes first; catalog order breaks ties (the sort is stable).
    popular.sort_by_key(|s| std::cmp::Reverse(s.count));
    popular.truncate(POPULAR);
    let root = &site.tree.root().sections;
    let home_sections = if site.tree.overflow_pages() == 0 { root.iter().map(|&i| site.card(from, guide.section(i))).collect() } else { Vec::new() };
    let rows_in_script = filter::large_catalog(guide);
    IndexView {
        intro_html: guide.intro.as_ref().map(|i| i.body.html.clone()).unwrap_or_default(),
        row_groups: if rows_in_script { Vec::new() } else { groups.clone() },
        groups,
        collapse_groups,
        popular,
        rows_in_script,
        all_symptoms_url: if rows_in_script { relative_url(from, SYMPTOM_INDEX) } else { String::new() },
        way_on: listing::way_on(site, from),
        home_sections,
        section_count: guide.sections.len(),
        symptom_count: guide.symptoms.len(),
    }
}

pub(super) fn render_index(site: &Site) -> Result<OutputFile, Diagnostic> {
    render_index_view(site, &index_view(site))
}

/// The home page with one section card, for `check`'s sample.
pub(super) fn render_index_sample(site: &Site) -> Result<OutputFile, Diagnostic> {
    let mut view = index_view(site);
    view.home_sections.truncate(1);
    render_index_view(site, &view)
}

fn render_index_view(site: &Site, view: &IndexView) -> Result<OutputFile, Diagnostic> {
    site.render("index.html", site.page("index.html", &site.guide.config.title, "", "index"), "index", view)
}

pub(super) fn render_section(site: &Site, i: SectionIndex) -> Result<OutputFile, Diagnostic> {
    let guide = site.guide;
    let section = guide.section(i);
    let from = section.page.as_str();
    let folder = paths::parent(&section.source);
    let siblings = &site.folders[folder];
    // `siblings` is in reading order, i.e. ascending indexes.
    let pos = siblings.binary_search(&i).unwrap_or(0);
    let lo = pos.saturating_sub(NEARBY_WINDOW);
    let hi = (pos + NEARBY_WINDOW + 1).min(siblings.len());
    let nearby = siblings[lo..hi]
        .iter()
        .map(|&j| NavItem { title: guide.section(j).title.clone(), url: relative_url(from, &guide.section(j).page), current: j == i })
        .collect();
    let link = |j: usize| LinkView { title: guide.sections[j].title.clone(), url: relative_url(from, &guide.sections[j].page) };
    let headings = &section.body.headings;
    let toc = if headings.iter().filter(|h| h.level <= 3 && h.level >= 2).count() >= 3 {
        headings.iter().filter(|h| (2..=3).contains(&h.level)).map(|h| TocItem { title: h.text.clone(), id: h.id.clone(), level: h.level }).collect()
    } else {
        Vec::new()
    };
    let mut crumbs = listing::crumbs(site, from, folder, true);
    crumbs.push(LinkView { title: section.title.clone(), url: relative_url(from, from) });
    let view = SectionView {
        crumbs,
        toc,
        title: section.title.clone(),
        title_html: section.title_html.clone(),
        summary: section.summary.clone().unwrap_or_default(),
        summary_html: section.summary_html.clone().unwrap_or_default(),
        body_html: section.body.html.clone(),
        symptoms: section.symptom_ids().filter_map(|id| site.symptom_link(from, id.as_str())).collect(),
        settings: settings_uses(from, section.settings.iter().map(|p| &p.value)),
        steps: section.body.steps.len(),
        prev: i.0.checked_sub(1).map(link),
        next: (i.0 + 1 < guide.sections.len()).then(|| link(i.0 + 1)),
        edit_url: guide.config.edit_link(&section.source),
        nearby,
        nearby_more: lo > 0 || hi < siblings.len(),
        folder: site.tree.get(folder).map(|n| n.title.clone()).unwrap_or_default(),
        folder_url: (!folder.is_empty()).then(|| relative_url(from, &folders::landing_page(folder))),
        applies_to: section.applies_to.clone(),
        reviewed: section.reviewed.map(|d| format!("{} {}", d.month_name(), d.year)),
        reviewed_iso: section.reviewed.map(|d| d.iso()),
        checklist_url: (!section.body.steps.is_empty()).then(|| relative_url(from, &checklists::page_for(&section.page))),
        walk_url: super::guided::walk_url_for(from, &section.page),
        still_not_fixed: still_not_fixed(site, i),
        json_ld: {
            let url = guide.config.absolute_url(from).unwrap_or_else(|| relative_url(from, from));
            super::json_ld::howto(section, &url, &guide.config.language)
        },
    };
    let description = section.summary.clone().unwrap_or_default();
    let mut page = site.page(from, &section.title, &description, "section");
    page.has_code = highlight::is_highlighted(&section.body.html);
    site.render("section.html", page, "section", &view)
}

fn still_not_fixed(site: &Site, i: SectionIndex) -> StillNotFixedView {
    let guide = site.guide;
    let from = guide.section(i).page.as_str();
    let plan = site.next_steps.for_section(i);
    let tries = plan
        .tries
        .iter()
        .map(|t| {
            let s = guide.section(t.section);
            NextTryView {
                title: s.title.clone(),
                title_html: s.title_html.clone(),
                url: relative_url(from, &s.page),
                summary: s.summary.clone().unwrap_or_default(),
                summary_html: s.summary_html.clone().unwrap_or_default(),
                shared: t.shared.iter().filter_map(|id| site.symptom_labels.get(id.as_str()).map(|l| l.to_string())).collect(),
            }
        })
        .collect();
    StillNotFixedView {
        tries,
        escalation: plan.escalation.map(|e| site.card(from, guide.section(e))),
        all_fixes_url: plan.is_dead_end().then(|| format!("{}index.html#sections", paths::root_prefix(from))),
    }
}

pub(super) fn render_symptom(site: &Site, id: &str) -> Result<OutputFile, Diagnostic> {
    let guide = site.guide;
    let symptom = guide.symptoms.iter().find(|s| s.id.as_str() == id).expect("symptom exists");
    let from = symptom_page(id);
    let sections = site.indexes.fixes(id);
    let view = SymptomView {
        label: symptom.label.clone(),
        description: symptom.description.clone().unwrap_or_default(),
        aliases: symptom.aliases.clone(),
        group: symptom.group.clone().unwrap_or_default(),
        sections: sections.iter().map(|&j| site.card(&from, guide.section(j))).collect(),
        checklist_url: sections
            .iter()
            .any(|&j| !guide.section(j).body.steps.is_empty())
            .then(|| format!("{}?symptoms={id}", relative_url(&from, checklists::COMBINED_PAGE))),
    };
    let description = symptom.description.clone().unwrap_or_default();
    site.render("symptom.html", site.page(&from, &symptom.label, &description, "symptom"), "symptom", &view)
}

/// `symptoms/index.html` (`SYMPTOM_INDEX`): every symptom by group, with a
/// jump list of the groups; `None` unless the catalog is large.
pub(super) fn render_symptom_index(site: &Site) -> Option<Result<OutputFile, Diagnostic>> {
    if !filter::large_catalog(site.guide) {
        return None;
    }
    let from = SYMPTOM_INDEX;
    let view = SymptomIndexView {
        crumbs: listing::crumbs(site, from, "", false),
        groups: symptom_groups_view(site, from),
        count: site.guide.symptoms.len(),
        filter_url: relative_url(from, "index.html") + "#symptoms",
    };
    let page = site.page(from, "All symptoms", "Every symptom this guide has fixes for, by group.", "symptoms");
    Some(site.render("all-symptoms.html", page, "symptoms", &view))
}

pub(super) fn render_settings(site: &Site) -> Result<OutputFile, Diagnostic> {
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
                let s = site.guide.section(j);
                out.push_str(&format!("<li><a href=\"{}\">{}</a></li>", escape::html(&relative_url(from, &s.page)), escape::html(&s.title)));
            }
            out.push_str("</ul>");
        }
        settings_tree_html(site, child, from, out, count);
        out.push_str("</li>");
    }
    out.push_str("</ul>");
}

pub(super) fn render_404(site: &Site) -> Result<OutputFile, Diagnostic> {
    // 404.html is served for any missing URL, at any depth: its links must not
    // be relative, so it links to the root via the base URL when known.
    let mut page = site.page("404.html", "Page not found", "", "404");
    if let Some(base) = &site.guide.config.base_url {
        page.root = base.clone();
    }
    let view = listing::way_on(site, "index.html");
    site.render("404.html", page, "missing", &view)
}

/// `search.html`: every search result, page by page (`?q=…&page=…`); the
/// page is filled by `search.js` from the search index, so it also works
/// from `file://`.
pub(super) fn render_search(site: &Site) -> Result<OutputFile, Diagnostic> {
    let page = site.page("search.html", "Search", "", "search");
    site.render("search.html", page, "search", &())
}

/// `sitemap.xml`, when the guide has a `base_url` (a sitemap needs absolute URLs).
pub(super) fn sitemap(site: &Site) -> Option<OutputFile> {
    let config = &site.guide.config;
    config.base_url.as_ref()?;
    let mut pages = vec!["index.html".to_string(), "settings.html".to_string()];
    pages.extend(site.guide.sections.iter().map(|s| s.page.to_string()));
    pages.extend(site.guide.symptoms.iter().map(|s| symptom_page(s.id.as_str())));
    if filter::large_catalog(site.guide) {
        pages.push(SYMPTOM_INDEX.to_string());
    }
    pages.extend(site.tree.folders().map(|f| folders::landing_page(&f.path)));
    pages.extend((1..=site.tree.overflow_pages()).map(folders::overflow_page));
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for p in pages {
        let url = config.absolute_url(&p).expect("base_url is set");
        xml.push_str(&format!("  <url><loc>{}</loc></url>\n", escape::html(&url)));
    }
    xml.push_str("</urlset>\n");
    Some(OutputFile { path: "sitemap.xml".into(), bytes: xml.into_bytes() })
}
