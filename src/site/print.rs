//! `print.html`: the whole guide as one document to print or save as PDF.
//! Every section body moves onto it with `rebase` (ids prefixed `p<n>-` so
//! they stay unique, links between sections become links inside the
//! document).

use std::collections::HashMap;

use super::rebase::Move;
use super::views::{PrintSection, PrintView};
use super::{Site, settings_uses};
use crate::diagnostics::Diagnostic;
use crate::output::OutputFile;

const PAGE: &str = "print.html";

fn view(site: &Site, sections: usize) -> PrintView {
    let guide = site.guide;
    let anchors: HashMap<&str, String> = guide.sections.iter().enumerate().map(|(i, s)| (s.page.as_str(), format!("p{}", i + 1))).collect();
    // A link to another section (or an anchor in it) stays inside the document.
    let local = |page: &str, frag: Option<&str>| anchors.get(page).map(|a| frag.map_or_else(|| a.clone(), |f| format!("{a}-{f}")));
    let sections = guide
        .sections
        .iter()
        .take(sections)
        .map(|s| {
            let anchor = anchors[s.page.as_str()].clone();
            let id_prefix = format!("{anchor}-");
            let moved = Move { from: &s.page, to: PAGE, id_prefix: &id_prefix, local: &local, print_urls: None };
            PrintSection {
                title: s.title.clone(),
                title_html: s.title_html.clone(),
                summary: s.summary.clone().unwrap_or_default(),
                summary_html: s.summary_html.clone().unwrap_or_default(),
                body_html: moved.apply(&s.body.html),
                symptoms: site.symptom_labels(s),
                settings: settings_uses(PAGE, s.settings.iter().map(|p| &p.value)),
                anchor,
            }
        })
        .collect();
    PrintView { intro_html: guide.intro.as_ref().map(|i| i.body.html.clone()).unwrap_or_default(), sections }
}

fn render_view(site: &Site, view: &PrintView) -> Result<OutputFile, Diagnostic> {
    site.render("print.html", site.page(PAGE, &format!("{} (printable)", site.guide.config.title), "", "print"), "print", view)
}

pub(super) fn render(site: &Site) -> Result<OutputFile, Diagnostic> {
    render_view(site, &view(site, usize::MAX))
}

/// print.html with the first section only, for `check`'s sample.
pub(super) fn render_sample(site: &Site) -> Result<OutputFile, Diagnostic> {
    render_view(site, &view(site, 1))
}
