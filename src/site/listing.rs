//! Pages that list sections for browsing without JavaScript: each folder's
//! landing page (`<folder>/index.html`: its sections and those of its
//! sub-folders, with summaries and the symptoms they fix) and, when the top
//! of the guide holds more sections than the home page lists, the pages
//! `all-fixes/<n>.html`. With the home page's list of folders, every section
//! is two clicks from home. Also the "where to go on" links that dead ends
//! (the 404 page, "No matches") offer.

use super::Site;
use super::folders::{self, FolderTree, PAGE_SECTIONS};
use super::views::*;
use crate::diagnostics::Diagnostic;
use crate::output::OutputFile;
use crate::paths::relative_url;

/// The top-level folders as links from page `from`.
pub(super) fn topics(site: &Site, from: &str, folder: &str) -> Vec<TopicView> {
    let tree: &FolderTree = &site.tree;
    let Some(node) = tree.get(folder) else { return Vec::new() };
    node.children
        .iter()
        .filter_map(|c| tree.get(c))
        .map(|c| TopicView { title: c.title.clone(), url: relative_url(from, &folders::landing_page(&c.path)), summary: c.summary.clone(), count: c.total })
        .collect()
}

/// Links to the pages of top-level sections (none when they fit on the home page).
pub(super) fn fix_pages(site: &Site, from: &str) -> Vec<FixPageLink> {
    let root = &site.tree.root().sections;
    (1..=site.tree.overflow_pages())
        .map(|n| {
            let chunk = &root[(n - 1) * PAGE_SECTIONS..(n * PAGE_SECTIONS).min(root.len())];
            FixPageLink {
                url: relative_url(from, &folders::overflow_page(n)),
                label: format!("Fixes {}–{}", (n - 1) * PAGE_SECTIONS + 1, (n - 1) * PAGE_SECTIONS + chunk.len()),
                first: site.guide.section(chunk[0]).title.clone(),
                last: site.guide.section(chunk[chunk.len() - 1]).title.clone(),
            }
        })
        .collect()
}

/// Where a reader can go on from page `from`: folders, pages of fixes, the escalation section.
pub(super) fn way_on(site: &Site, from: &str) -> WayOnView {
    WayOnView {
        topics: topics(site, from, ""),
        fix_pages: fix_pages(site, from),
        escalation: site.guide.escalation_section().map(|e| site.card(from, site.guide.section(e))),
    }
}

/// Home, then every folder down to `folder` (excluded when `include_self` is false).
pub(super) fn crumbs(site: &Site, from: &str, folder: &str, include_self: bool) -> Vec<LinkView> {
    let mut out = vec![LinkView { title: "Home".to_string(), url: relative_url(from, "index.html") }];
    for node in site.tree.ancestry(folder) {
        if node.path == folder && !include_self {
            continue;
        }
        out.push(LinkView { title: node.title.clone(), url: relative_url(from, &folders::landing_page(&node.path)) });
    }
    out
}

pub(super) fn render_folder(site: &Site, folder: &str) -> Result<OutputFile, Diagnostic> {
    let from = folders::landing_page(folder);
    let node = site.tree.get(folder).expect("folder exists");
    let card = |i| site.card(&from, site.guide.section(i));
    // The folder's own sections, then each folder below (so a top-level
    // folder's page reaches every section under it).
    let groups: Vec<FolderGroupView> = site
        .tree
        .subtree(folder)
        .into_iter()
        .filter(|n| !n.sections.is_empty())
        .map(|n| FolderGroupView {
            title: if n.path == folder { String::new() } else { n.title.clone() },
            url: (n.path != folder).then(|| relative_url(&from, &folders::landing_page(&n.path))),
            summary: if n.path == folder { String::new() } else { n.summary.clone() },
            sections: n.sections.iter().map(|&i| card(i)).collect(),
        })
        .collect();
    let view = FolderView {
        title: node.title.clone(),
        summary: node.summary.clone(),
        intro_html: node.intro_html.clone(),
        crumbs: crumbs(site, &from, folder, false),
        subfolders: topics(site, &from, folder),
        count: node.total,
        groups,
        prev: None,
        next: None,
    };
    site.render("folder.html", site.page(&from, &node.title, &node.summary, "folder"), "folder", &view)
}

/// Page `n` (from 1) of the sections at the top of the guide.
pub(super) fn render_overflow(site: &Site, n: usize) -> Result<OutputFile, Diagnostic> {
    let from = folders::overflow_page(n);
    let pages = site.tree.overflow_pages();
    let root = &site.tree.root().sections;
    let chunk = &root[(n - 1) * PAGE_SECTIONS..(n * PAGE_SECTIONS).min(root.len())];
    let link = |k: usize| LinkView { title: format!("Page {k} of {pages}"), url: relative_url(&from, &folders::overflow_page(k)) };
    let title = format!("All fixes, page {n} of {pages}");
    let view = FolderView {
        title: title.clone(),
        summary: String::new(),
        intro_html: String::new(),
        crumbs: crumbs(site, &from, "", false),
        subfolders: Vec::new(),
        count: chunk.len(),
        groups: vec![FolderGroupView {
            title: String::new(),
            url: None,
            summary: String::new(),
            sections: chunk.iter().map(|&i| site.card(&from, site.guide.section(i))).collect(),
        }],
        prev: (n > 1).then(|| link(n - 1)),
        next: (n < pages).then(|| link(n + 1)),
    };
    site.render("folder.html", site.page(&from, &title, "", "folder"), "folder", &view)
}
