//! The printable guide. While the whole guide stays small (its section
//! bodies under `WHOLE_GUIDE_LIMIT` bytes) it is one document, `print.html`;
//! past that, `print.html` is a print index and the sections are printed one
//! folder at a time, in pages of at most `PAGE_LIMIT` bytes of section HTML
//! (`_fixbook/print/<folder>/<n>.html`, `_fixbook/print/<n>.html` for the
//! guide's top folder), so the header's "Print" link never opens a page a
//! phone cannot load. Every section body moves onto its print page with
//! `rebase` (ids prefixed `p<n>-`, links to sections on the same page become
//! links inside it; links to other sections go to their pages).

use std::collections::HashMap;

use super::rebase::Move;
use super::views::{PrintPart, PrintSection, PrintView};
use super::{Site, settings_uses};
use crate::content::highlight;
use crate::content::model::SectionIndex;
use crate::diagnostics::Diagnostic;
use crate::output::OutputFile;
use crate::paths::relative_url;

const INDEX: &str = "print.html";

/// Section HTML up to which the whole guide is one print.html: about 150
/// sections of a typical size, a page a phone opens in a second or two.
pub const WHOLE_GUIDE_LIMIT: usize = 2 * 1024 * 1024;

/// Section HTML per print page of a large guide (one section larger than
/// this gets a page of its own).
pub const PAGE_LIMIT: usize = 2 * 1024 * 1024;

/// What a section adds to a print page besides its body (heading, meta).
const SECTION_OVERHEAD: usize = 400;

/// One print page: where it goes, its title, the sections on it.
struct Part {
    path: String,
    title: String,
    sections: Vec<SectionIndex>,
}

fn cost(site: &Site, i: SectionIndex) -> usize {
    site.guide.sections[i.0].body.html.len() + SECTION_OVERHEAD
}

/// The print pages of a guide too large for one: each folder (in the order
/// its first section is read) cut into pages of at most `PAGE_LIMIT`.
/// Empty when the whole guide fits in print.html.
fn parts(site: &Site) -> Vec<Part> {
    let guide = site.guide;
    if guide.indexed_sections().map(|(i, _)| cost(site, i)).sum::<usize>() <= WHOLE_GUIDE_LIMIT {
        return Vec::new();
    }
    let mut folders: Vec<(&str, &Vec<SectionIndex>)> = site.folders.iter().map(|(f, s)| (*f, s)).collect();
    folders.sort_by_key(|(_, sections)| sections.first().map(|i| i.0));
    let mut parts = Vec::new();
    for (folder, sections) in folders {
        let mut pages: Vec<Vec<SectionIndex>> = vec![Vec::new()];
        let mut size = 0;
        for &i in sections {
            let c = cost(site, i);
            if size + c > PAGE_LIMIT && !pages.last().is_some_and(Vec::is_empty) {
                pages.push(Vec::new());
                size = 0;
            }
            size += c;
            pages.last_mut().expect("one page at least").push(i);
        }
        let count = pages.len();
        let label = match site.tree.get(folder) {
            Some(node) if !folder.is_empty() => node.title.clone(),
            _ => site.guide.config.title.clone(),
        };
        for (n, sections) in pages.into_iter().enumerate() {
            let dir = if folder.is_empty() { "_fixbook/print".to_string() } else { format!("_fixbook/print/{folder}") };
            let title = if count == 1 { label.clone() } else { format!("{label}, part {} of {count}", n + 1) };
            parts.push(Part { path: format!("{dir}/{}.html", n + 1), title, sections });
        }
    }
    parts
}

/// The sections of one print page, rebased onto `page`. Anchors number
/// sections by reading order, so they are the same on any page.
fn sections(site: &Site, page: &str, on_page: &[SectionIndex]) -> Vec<PrintSection> {
    let guide = site.guide;
    let anchors: HashMap<&str, String> = on_page.iter().map(|i| (guide.sections[i.0].page.as_str(), format!("p{}", i.0 + 1))).collect();
    // A link to a section on this page (or an anchor in it) stays on it.
    let local = |target: &str, frag: Option<&str>| anchors.get(target).map(|a| frag.map_or_else(|| a.clone(), |f| format!("{a}-{f}")));
    on_page
        .iter()
        .map(|&i| {
            let s = &guide.sections[i.0];
            let anchor = anchors[s.page.as_str()].clone();
            let id_prefix = format!("{anchor}-");
            let moved = Move { from: &s.page, to: page, id_prefix: &id_prefix, local: &local, print_urls: None };
            PrintSection {
                title: s.title.clone(),
                title_html: s.title_html.clone(),
                summary: s.summary.clone().unwrap_or_default(),
                summary_html: s.summary_html.clone().unwrap_or_default(),
                body_html: moved.apply(&s.body.html),
                symptoms: site.symptom_labels(s),
                settings: settings_uses(page, s.settings.iter().map(|p| &p.value)),
                anchor,
            }
        })
        .collect()
}

fn empty_view(intro_html: String) -> PrintView {
    PrintView {
        intro_html,
        sections: Vec::new(),
        parts: Vec::new(),
        part_title: String::new(),
        index_url: String::new(),
        previous_url: String::new(),
        next_url: String::new(),
    }
}

fn render_view(site: &Site, path: &str, title: &str, view: &PrintView) -> Result<OutputFile, Diagnostic> {
    let mut page = site.page(path, title, "", "print");
    page.has_code = view.sections.iter().any(|s| highlight::is_highlighted(&s.body_html));
    site.render("print.html", page, "print", view)
}

fn intro(site: &Site) -> String {
    site.guide.intro.as_ref().map(|i| i.body.html.clone()).unwrap_or_default()
}

/// Every print page: print.html (the whole guide, or the print index) and,
/// for a large guide, its print pages. Each is handed to `each` as made.
pub(super) fn render_each(site: &Site, each: &(dyn Fn(Result<OutputFile, Diagnostic>) + Sync)) {
    use rayon::prelude::*;
    let title = format!("{} (printable)", site.guide.config.title);
    let parts = parts(site);
    if parts.is_empty() {
        let all: Vec<SectionIndex> = site.guide.indexed_sections().map(|(i, _)| i).collect();
        let mut view = empty_view(intro(site));
        view.sections = sections(site, INDEX, &all);
        return each(render_view(site, INDEX, &title, &view));
    }
    let mut index = empty_view(intro(site));
    index.parts = parts
        .iter()
        .map(|p| {
            let (first, last) = (p.sections.first(), p.sections.last());
            let name = |i: Option<&SectionIndex>| i.map(|i| site.guide.sections[i.0].title.clone()).unwrap_or_default();
            PrintPart { title: p.title.clone(), url: relative_url(INDEX, &p.path), sections: p.sections.len(), first: name(first), last: name(last) }
        })
        .collect();
    each(render_view(site, INDEX, &title, &index));
    parts.par_iter().enumerate().for_each(|(n, part)| {
        let mut view = empty_view(String::new());
        view.sections = sections(site, &part.path, &part.sections);
        view.part_title = part.title.clone();
        view.index_url = relative_url(&part.path, INDEX);
        view.previous_url = n.checked_sub(1).map(|p| relative_url(&part.path, &parts[p].path)).unwrap_or_default();
        view.next_url = parts.get(n + 1).map(|p| relative_url(&part.path, &p.path)).unwrap_or_default();
        each(render_view(site, &part.path, &format!("{} (printable)", part.title), &view));
    });
}

/// print.html with the first section only, for `check`'s sample, and a
/// print page of a large guide's kind (the same template, other fields).
pub(super) fn render_sample(site: &Site) -> Result<OutputFile, Diagnostic> {
    let first: Vec<SectionIndex> = site.guide.indexed_sections().map(|(i, _)| i).take(1).collect();
    let mut view = empty_view(intro(site));
    view.sections = sections(site, INDEX, &first);
    render_view(site, INDEX, &format!("{} (printable)", site.guide.config.title), &view)?;
    let mut index = empty_view(String::new());
    index.parts =
        vec![PrintPart { title: "part".into(), url: "_fixbook/print/1.html".into(), sections: first.len(), first: String::new(), last: String::new() }];
    render_view(site, INDEX, "sample", &index)?;
    let path = "_fixbook/print/1.html";
    let mut part = empty_view(String::new());
    part.sections = sections(site, path, &first);
    part.part_title = "sample".into();
    part.index_url = "../../print.html".into();
    render_view(site, path, "sample", &part)
}
