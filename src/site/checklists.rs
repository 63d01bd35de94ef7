//! Printable checklists. For every section with steps, a page
//! `checklists/<section page>` with a tick box per step, the settings paths,
//! a notes area and (with `base_url`) the page's URL and a QR code of it, so a
//! printed sheet leads back to the site.
//!
//! The combined checklist (`checklists/combined.html?symptoms=a,b`) is put
//! together in the browser from build-time data in classic scripts (written by
//! `data`): per symptom, the list of sections that fix it
//! (`checklists/data/symptoms/<id>.js`), and per section, its steps
//! (`checklists/data/sections/<page>.js`). The page loads only the scripts of
//! the chosen symptoms and then of their sections through `<script src>`
//! (which works from `file://`, unlike fetch/XHR), ranks the sections by the
//! one ranking rule (`index::ranking`) and lists a step repeated in two
//! sections once. Pre-building a page per combination is impossible (2^n of
//! them); these scripts keep what a reader loads proportional to what they
//! chose, and store each section's steps once (at 10,000 sections, one file
//! per symptom with the steps inside was 189 MB).

use std::collections::HashMap;

use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

use super::rebase::Move;
use super::views::{ChecklistGroupView, ChecklistStepView, ChecklistSymptomView, ChecklistView, CombinedView};
use super::{Site, settings_uses};
use crate::content::highlight;
use crate::content::markdown::Step;
use crate::content::model::{Section, SectionIndex};
use crate::diagnostics::Diagnostic;
use crate::escape;
use crate::output::OutputFile;
use crate::paths::relative_url;
use crate::source::config::GuideConfig;

/// Folder of all checklist pages in the output.
pub const DIR: &str = "checklists";
/// The combined checklist page.
pub const COMBINED_PAGE: &str = "checklists/combined.html";

/// The checklist page of a section page: `a/b.html` → `checklists/a/b.html`.
pub fn page_for(section_page: &str) -> String {
    format!("{DIR}/{section_page}")
}

/// The data script of one symptom for the combined checklist: which
/// sections fix it (symptom ids are `[a-z0-9-]+`, safe as file names).
pub fn symptom_script_for(symptom_id: &str) -> String {
    format!("{DIR}/data/symptoms/{symptom_id}.js")
}

/// The data script of one section's steps: `a/b.html` → `checklists/data/sections/a/b.js`.
/// One per section, so a section fixing many symptoms is stored once.
pub fn section_script_for(section_page: &str) -> String {
    let stem = section_page.strip_suffix(".html").unwrap_or(section_page);
    format!("{DIR}/data/sections/{stem}.js")
}

/// The checklist page of section `i` (which has steps).
pub(super) fn render_section(site: &Site, i: SectionIndex) -> Result<OutputFile, Diagnostic> {
    let section = site.guide.section(i);
    let path = page_for(&section.page);
    let view = checklist_view(&site.guide.config, section, &site.symptom_labels);
    let title = format!("Checklist: {}", section.title);
    let mut page = site.page(&path, &title, section.summary.as_deref().unwrap_or(""), "checklist");
    page.has_code = highlight::is_highlighted(&section.body.html);
    site.render("checklist.html", page, "checklist", &view)
}

pub(super) fn render_combined(site: &Site) -> Result<OutputFile, Diagnostic> {
    let guide = site.guide;
    let symptoms: Vec<ChecklistSymptomView> = guide
        .symptoms
        .iter()
        .map(|s| ChecklistSymptomView {
            id: s.id.as_str().to_string(),
            label: s.label.clone(),
            data_url: relative_url(COMBINED_PAGE, &symptom_script_for(s.id.as_str())),
        })
        .collect();
    let view = CombinedView { symptoms_json: escape::script_json(&symptoms), symptoms, url: guide.config.absolute_url(COMBINED_PAGE) };
    let page = site.page(COMBINED_PAGE, "Combined checklist", "One printable checklist for the symptoms you chose.", "checklist");
    site.render("combined.html", page, "combined", &view)
}

/// The view of one section's checklist page. Pure.
pub fn checklist_view(config: &GuideConfig, section: &Section, labels: &HashMap<&str, &str>) -> ChecklistView {
    let to = page_for(&section.page);
    let headings = heading_index(section);
    // Step anchors keep their ids, so "go to step 5" links stay on the sheet.
    let mover = StepMover::new(section, &to, "c-", config).keeping_anchors();
    let mut groups: Vec<ChecklistGroupView> = Vec::new();
    let mut last_heading = None;
    for (i, step) in section.body.steps.iter().enumerate() {
        let html = mover.html(step);
        let view = ChecklistStepView { number: step.number, tick: i + 1, id: step.anchor.clone(), title: step.title.clone(), html };
        match groups.last_mut() {
            Some(g) if last_heading == Some(&step.heading) => g.steps.push(view),
            _ => groups.push(ChecklistGroupView { heading: heading_text(&headings, step), steps: vec![view] }),
        }
        last_heading = Some(&step.heading);
    }
    if groups.len() < 2 {
        groups.iter_mut().for_each(|g| g.heading = None);
    }
    let url = config.absolute_url(&section.page);
    ChecklistView {
        title: section.title.clone(),
        summary: section.summary.clone().unwrap_or_default(),
        section_url: relative_url(&to, &section.page),
        symptoms: section.symptom_ids().filter_map(|id| labels.get(id.as_str()).map(|l| l.to_string())).collect(),
        applies_to: section.applies_to.clone(),
        groups,
        settings: settings_uses(&to, section.settings.iter().map(|p| &p.value)),
        qr_svg: url.as_deref().and_then(|u| qr_svg(u, "QR code of this page’s web address")),
        url,
        reviewed: section.reviewed.map(|d| format!("{} {}", d.month_name(), d.year)),
        reviewed_iso: section.reviewed.map(|d| d.iso()),
    }
}

/// Moves the steps of one section from its page to page `to`: ids get
/// `id_prefix` (so they cannot clash with the page's own), links to the
/// section's steps go to those steps on `to`, other relative links are
/// re-based, and links leaving the page carry their absolute URL for paper.
pub(super) struct StepMover<'a> {
    section: &'a Section,
    to: &'a str,
    id_prefix: &'a str,
    /// Step anchor → the step's id on `to`.
    ids: HashMap<&'a str, String>,
    config: &'a GuideConfig,
}

impl<'a> StepMover<'a> {
    pub(super) fn new(section: &'a Section, to: &'a str, id_prefix: &'a str, config: &'a GuideConfig) -> Self {
        let ids = section.body.steps.iter().map(|s| (s.anchor.as_str(), format!("{id_prefix}{}", s.anchor))).collect();
        StepMover { section, to, id_prefix, ids, config }
    }

    /// Links to steps keep the step's own anchor (the sheet's ids match the
    /// section page's).
    fn keeping_anchors(mut self) -> Self {
        self.ids = self.section.body.steps.iter().map(|s| (s.anchor.as_str(), s.anchor.clone())).collect();
        self
    }

    /// The step's id on `to`.
    pub(super) fn id(&self, step: &Step) -> &str {
        &self.ids[step.anchor.as_str()]
    }

    /// The step's HTML, with the code written right after its list, moved.
    pub(super) fn html(&self, step: &Step) -> String {
        let page = self.section.page.as_str();
        let local = |target: &str, frag: Option<&str>| if target == page { frag.and_then(|f| self.ids.get(f).cloned()) } else { None };
        let html = match &step.code_after {
            Some(code) => format!("{}\n{code}", step.html),
            None => step.html.clone(),
        };
        Move { from: page, to: self.to, id_prefix: self.id_prefix, local: &local, print_urls: Some(self.config) }.apply(&html)
    }
}

/// The text of the heading a step sits under.
pub(super) fn heading_text(headings: &HashMap<&str, &str>, step: &Step) -> Option<String> {
    let id = step.heading.as_deref()?;
    headings.get(id).map(|text| text.to_string())
}

/// Heading id → text, so looking up each step's heading stays linear in
/// sections with thousands of headings and steps.
pub(super) fn heading_index(section: &Section) -> HashMap<&str, &str> {
    section.body.headings.iter().map(|h| (h.id.as_str(), h.text.as_str())).collect()
}

/// A QR code of `text` as an inline SVG element (black on white, with its
/// quiet zone), or `None` when the text is too long for a QR code.
pub fn qr_svg(text: &str, label: &str) -> Option<String> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).ok()?;
    let rendered = code.render::<svg::Color>().module_dimensions(1, 1).quiet_zone(true).build();
    // The crate writes a standalone document; inline SVG in HTML needs only
    // the path, so take it and write the element with an accessible name.
    let size = attr_value(&rendered, "width")?;
    let start = rendered.find(" d=\"")? + 4;
    let path = &rendered[start..];
    let path = &path[..path.find('"')?];
    if !path.bytes().all(|b| b.is_ascii_alphanumeric() || b == b' ') {
        return None;
    }
    Some(format!(
        "<svg class=\"qr\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" role=\"img\" aria-label=\"{}\" shape-rendering=\"crispEdges\"><rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/><path fill=\"#000\" d=\"{path}\"/></svg>",
        escape::html(label)
    ))
}

fn attr_value<'a>(text: &'a str, name: &str) -> Option<&'a str> {
    let pat = format!(" {name}=\"");
    let start = text.find(&pat)? + pat.len();
    let value = &text[start..];
    let value = &value[..value.find('"')?];
    value.bytes().all(|b| b.is_ascii_digit()).then_some(value)
}

/// What makes two steps "the same" in a combined checklist: the rule of
/// the guided walk (`index::walk::same_step_key`).
pub fn dedupe_key(step: &Step) -> String {
    crate::index::walk::same_step_key(step)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::model::Guide;

    #[test]
    fn checklist_pages_mirror_section_pages() {
        assert_eq!(page_for("network/wifi/channels.html"), "checklists/network/wifi/channels.html");
        assert_eq!(symptom_script_for("wifi-drops"), "checklists/data/symptoms/wifi-drops.js");
        assert_eq!(section_script_for("a b/c.html"), "checklists/data/sections/a b/c.js");
    }

    #[test]
    fn qr_code_is_an_inline_svg_with_a_name() {
        let svg = qr_svg("https://router-help.example.net/guide/network/wifi.html", "QR \"code\"").expect("fits");
        assert!(svg.starts_with("<svg class=\"qr\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 "), "{svg}");
        assert!(svg.contains("aria-label=\"QR &quot;code&quot;\""), "{svg}");
        assert!(svg.contains("<path fill=\"#000\" d=\"M"), "{svg}");
        assert!(!svg.contains("<?xml"));
        // Same input, same bytes: the build stays deterministic.
        assert_eq!(svg, qr_svg("https://router-help.example.net/guide/network/wifi.html", "QR \"code\"").unwrap());
        assert!(qr_svg(&"x".repeat(5000), "too long").is_none());
    }

    fn guide(base: &str, sections: &[(&str, &str)]) -> Guide {
        use crate::source::loader::{GuideFiles, SourceFile};
        let file = |path: &str, text: &str| SourceFile { path: path.into(), text: std::sync::Arc::from(text) };
        let files = GuideFiles {
            config: Some(file("guide.toml", &format!("title = \"T\"\n{base}"))),
            symptoms: Some(file("symptoms.yml", "symptoms:\n  - id: slow\n    label: Slow </script>\n  - id: off\n    label: Off\n")),
            sections: sections.iter().map(|(p, t)| file(p, t)).collect(),
            ..Default::default()
        };
        let (guide, problems) = crate::content::model::build(files, false);
        assert!(problems.is_empty(), "{problems:?}");
        guide.expect("guide builds")
    }

    #[test]
    fn checklist_view_has_url_and_qr_only_with_a_base_url() {
        let src = [("a.md", "---\ntitle: A\nsymptoms: [off, slow]\nreviewed: 2026-03-04\n---\n1. **Go** — now.\n")];
        let labels: HashMap<&str, &str> = [("slow", "Slow"), ("off", "Off")].into_iter().collect();
        let g = guide("", &src);
        let v = checklist_view(&g.config, &g.sections[0], &labels);
        assert_eq!((v.url, v.qr_svg), (None, None));
        assert_eq!(v.symptoms, ["Off", "Slow"]);
        assert_eq!(v.section_url, "../a.html");
        assert_eq!(v.reviewed.as_deref(), Some("March 2026"));
        assert_eq!(v.groups.len(), 1);
        assert_eq!(v.groups[0].heading, None);
        assert_eq!(v.groups[0].steps[0].id, "step-1");
        let g = guide("base_url = \"https://h.example/x/\"\n", &src);
        let v = checklist_view(&g.config, &g.sections[0], &labels);
        assert_eq!(v.url.as_deref(), Some("https://h.example/x/a.html"));
        assert!(v.qr_svg.unwrap().starts_with("<svg class=\"qr\""));
    }

    #[test]
    fn steps_under_several_headings_are_grouped_by_heading() {
        let src = [("a.md", "---\ntitle: A\n---\n## First\n\n1. **Go** — now.\n\n```\nping\n```\n\n## Second\n\n1. **Again** — later.\n")];
        let g = guide("", &src);
        let v = checklist_view(&g.config, &g.sections[0], &HashMap::new());
        let heads: Vec<_> = v.groups.iter().map(|g| g.heading.as_deref()).collect();
        assert_eq!(heads, [Some("First"), Some("Second")]);
        assert_eq!(v.groups[1].steps[0].tick, 2);
        assert!(v.groups[0].steps[0].html.contains("ping"), "{}", v.groups[0].steps[0].html);
    }

    #[test]
    fn identical_steps_share_a_dedupe_key() {
        let step = |title: Option<&str>, text: &str| Step {
            anchor: "a".into(),
            number: 1,
            title: title.map(str::to_string),
            text: text.into(),
            html: String::new(),
            heading: None,
            ..Step::default()
        };
        assert_eq!(dedupe_key(&step(Some("Restart"), "Hold  the\nbutton.")), dedupe_key(&step(Some("Restart"), "Hold the button.")));
        assert_ne!(dedupe_key(&step(Some("Restart"), "Hold the button.")), dedupe_key(&step(None, "Restart Hold the button.")));
    }
}
