//! The guided walk's page, `guided.html` ("walk me through it"): one step at
//! a time, for the symptoms in `?symptoms=a,b` or the section in
//! `?section=<page path without .html>`. The page holds no step: `guided.js`
//! loads the combined checklist's data scripts (`data::checklist_symptom`,
//! `data::checklist_section`) for the sections it walks, one section at a
//! time, and orders them by the walk's rule (`index::walk`). What the build
//! puts on the page is what every walk shares: the escalation section (title,
//! summary, where its steps' script is) and the theme's strings.

use super::Site;
use super::checklists::{COMBINED_PAGE, section_script_for};
use super::views::{GuidedEscalationView, GuidedView};
use crate::diagnostics::Diagnostic;
use crate::escape;
use crate::output::OutputFile;
use crate::paths::relative_url;

/// The walk's page, at the site root.
pub const PAGE: &str = "guided.html";

/// The address of section `section_page`'s walk from page `from`:
/// `guided.html?section=<page path without .html>`, percent-encoded.
pub fn walk_url_for(from: &str, section_page: &str) -> String {
    let stem = section_page.strip_suffix(".html").unwrap_or(section_page);
    format!("{}?section={}", relative_url(from, PAGE), percent_encoding::utf8_percent_encode(stem, QUERY_VALUE))
}

/// What a query value must encode: everything but unreserved characters and `/`.
const QUERY_VALUE: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~').remove(b'/');

pub(super) fn render(site: &Site) -> Result<OutputFile, Diagnostic> {
    let guide = site.guide;
    let escalation = guide.escalation_section().map(|i| {
        let s = guide.section(i);
        GuidedEscalationView {
            order: i.0,
            title_html: s.title_html.clone(),
            url: relative_url(PAGE, &s.page),
            summary_html: s.summary_html.clone().unwrap_or_default(),
            // Relative to the combined checklist, like every other src in the data.
            src: (!s.body.steps.is_empty()).then(|| relative_url(COMBINED_PAGE, &section_script_for(&s.page))),
        }
    });
    let strings_json = escape::script_json(&site.theme.strings);
    let view = GuidedView { escalation, strings_json, url: guide.config.absolute_url(PAGE) };
    let strings = &site.theme.strings;
    let title = strings.get("walk_eyebrow").map(String::as_str).unwrap_or("Walk me through it");
    let lede = strings.get("walk_title").map(String::as_str).unwrap_or("");
    let page = site.page(PAGE, title, lede, "guided");
    site.render("guided.html", page, "guided", &view)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_section_walk_is_addressed_by_its_page_path_without_html() {
        assert_eq!(walk_url_for("net/wifi/drops.html", "net/wifi/drops.html"), "../../guided.html?section=net/wifi/drops");
        assert_eq!(walk_url_for("index.html", "a b/c&d?.html"), "guided.html?section=a%20b/c%26d%3F");
        assert_eq!(walk_url_for("x.html", "ネット.html"), "guided.html?section=%E3%83%8D%E3%83%83%E3%83%88");
    }
}
