//! Printable checklists. For every section with steps, a page
//! `checklists/<section page>` with a tick box per step, the settings paths,
//! a notes area and (with `base_url`) the page's URL and a QR code of it, so a
//! printed sheet leads back to the site.
//!
//! The combined checklist (`checklists/combined.html?symptoms=a,b`) is put
//! together in the browser from build-time data in classic scripts: per
//! symptom, the list of sections that fix it (`checklists/data/symptoms/<id>.js`),
//! and per section, its steps (`checklists/data/sections/<page>.js`). The page
//! loads only the scripts of the chosen symptoms and then of their sections
//! through `<script src>` (which works from `file://`, unlike fetch/XHR), ranks
//! the sections by how many chosen symptoms they fix (then reading order) and
//! lists a step repeated in two sections once. Pre-building a page per
//! combination is impossible (2^n of them); these scripts keep what a reader
//! loads proportional to what they chose, and store each section's steps once
//! (at 10,000 sections, one file per symptom with the steps inside was 189 MB).
//!
//! Pure: builds views and file contents; `render` runs the templates.

use std::collections::HashMap;

use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};
use serde::Serialize;

use crate::config::GuideConfig;
use crate::diagnostics::Diagnostic;
use crate::escape;
use crate::markdown::{Step, settings_breadcrumb};
use crate::model::{Guide, Section};
use crate::paths::{self, relative_url};
use crate::render::{OutputFile, Site};
use crate::views::{ChecklistGroupView, ChecklistStepView, ChecklistSymptomView, ChecklistView, CombinedView, SettingsUse};

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
pub fn data_script_for(symptom_id: &str) -> String {
    format!("{DIR}/data/symptoms/{symptom_id}.js")
}

/// The data script of one section's steps: `a/b.html` → `checklists/data/sections/a/b.js`.
/// One per section, so a section fixing many symptoms is stored once.
pub fn section_script_for(section_page: &str) -> String {
    let stem = section_page.strip_suffix(".html").unwrap_or(section_page);
    format!("{DIR}/data/sections/{stem}.js")
}

/// Renders every checklist page and data script of the site, handing each
/// to `take` as soon as it is made (from several threads), so a large guide
/// is written while it renders and never held in memory whole.
pub fn render_each(site: &Site, take: &(dyn Fn(Result<OutputFile, Diagnostic>) + Sync)) {
    use rayon::prelude::*;
    let guide = site.guide;
    let labels: HashMap<&str, &str> = guide.symptoms.iter().map(|s| (s.id.as_str(), s.label.as_str())).collect();
    guide.sections.par_iter().enumerate().filter(|(_, s)| !s.body.steps.is_empty()).for_each(|(i, section)| {
        let path = page_for(&section.page);
        let view = checklist_view(&guide.config, section, &labels);
        let title = format!("Checklist: {}", section.title);
        let page = site.page(&path, &title, section.summary.as_deref().unwrap_or(""), "checklist");
        take(site.render("checklist.html", page, "checklist", &view));
        take(Ok(OutputFile { path: section_script_for(&section.page), bytes: section_data_js(guide, i).into_bytes() }));
    });
    take(render_combined(site));
    guide.symptoms.par_iter().for_each(|symptom| {
        let id = symptom.id.as_str();
        let sections = site.indexes.sections_by_symptom.get(id).map(Vec::as_slice).unwrap_or_default();
        take(Ok(OutputFile { path: data_script_for(id), bytes: symptom_data_js(guide, id, sections).into_bytes() }));
    });
}

fn render_combined(site: &Site) -> Result<OutputFile, Diagnostic> {
    let guide = site.guide;
    let symptoms: Vec<ChecklistSymptomView> = guide
        .symptoms
        .iter()
        .map(|s| ChecklistSymptomView {
            id: s.id.as_str().to_string(),
            label: s.label.clone(),
            data_url: relative_url(COMBINED_PAGE, &data_script_for(s.id.as_str())),
        })
        .collect();
    let view = CombinedView { symptoms_json: escape::script_json(&symptoms), symptoms, url: guide.config.absolute_url(COMBINED_PAGE) };
    let page = site.page(COMBINED_PAGE, "Combined checklist", "One printable checklist for the symptoms you chose.", "checklist");
    site.render("combined.html", page, "combined", &view)
}

/// The view of one section's checklist page. Pure.
pub fn checklist_view(config: &GuideConfig, section: &Section, labels: &HashMap<&str, &str>) -> ChecklistView {
    let to = page_for(&section.page);
    // Step anchors keep their ids, so "go to step 5" links stay on the sheet.
    let local: HashMap<&str, String> = section.body.steps.iter().map(|s| (s.anchor.as_str(), s.anchor.clone())).collect();
    let after = trailing_code_blocks(&section.body.html);
    let headings = heading_index(section);
    let mut groups: Vec<ChecklistGroupView> = Vec::new();
    let mut last_heading = None;
    for (i, step) in section.body.steps.iter().enumerate() {
        let html = rebase_step_html(&step_html(step, &after), &section.page, &to, "c-", &local, config);
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
        symptoms: section.symptom_ids().filter_map(|id| labels.get(id).map(|l| l.to_string())).collect(),
        applies_to: section.applies_to.clone(),
        groups,
        settings: settings_uses(&to, section),
        qr_svg: url.as_deref().and_then(|u| qr_svg(u, "QR code of this page’s web address")),
        url,
        reviewed: section.reviewed.map(|d| format!("{} {}", d.month_name(), d.year)),
        reviewed_iso: section.reviewed.map(|d| d.iso()),
    }
}

/// The text of the heading a step sits under.
fn heading_text(headings: &HashMap<&str, &str>, step: &Step) -> Option<String> {
    let id = step.heading.as_deref()?;
    headings.get(id).map(|text| text.to_string())
}

/// Heading id → text, so looking up each step's heading stays linear in
/// sections with thousands of headings and steps.
fn heading_index(section: &Section) -> HashMap<&str, &str> {
    section.body.headings.iter().map(|h| (h.id.as_str(), h.text.as_str())).collect()
}

/// A step's HTML plus any code block written right after its list.
fn step_html(step: &Step, after: &HashMap<String, String>) -> String {
    match after.get(&step.anchor) {
        Some(code) => format!("{}\n{code}", step.html),
        None => step.html.clone(),
    }
}

/// Code blocks written right after a step list ("run the command below"),
/// keyed by the anchor of the list's last step: on a checklist they belong
/// to that step, or the sheet would say "below" and show nothing. Works on
/// the body HTML fixbook itself renders (`<ol class="steps">`, code blocks
/// as `<div class="code-block">…</pre></div>`; code text is escaped, so
/// these markers cannot come from the guide).
pub fn trailing_code_blocks(body_html: &str) -> HashMap<String, String> {
    const LIST: &str = "<ol class=\"steps\"";
    const STEP: &str = "<li class=\"step\" id=\"";
    const CODE: &str = "<div class=\"code-block\">";
    const CODE_END: &str = "</pre></div>";
    let mut found = HashMap::new();
    let mut from = 0;
    while let Some(start) = body_html[from..].find(LIST).map(|i| from + i) {
        // The list's end: the `</ol>` that balances it (steps may hold lists).
        // Every tag is looked at once, so this stays linear in the body.
        let mut depth = 0usize;
        let mut pos = start;
        let end = loop {
            let Some(lt) = body_html[pos..].find('<').map(|i| pos + i) else { break None };
            let tag = &body_html[lt..];
            if tag.starts_with("<ol") {
                depth += 1;
            } else if tag.starts_with("</ol>") {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    break Some(lt);
                }
            }
            pos = lt + 1;
        };
        let Some(end) = end else { break };
        from = end + 5;
        let list = &body_html[start..end];
        let Some(last) = list.rfind(STEP) else { continue };
        let anchor = &list[last + STEP.len()..];
        let Some(anchor) = anchor.find('"').map(|q| &anchor[..q]) else { continue };
        let mut code = String::new();
        let mut rest = &body_html[from..];
        while let Some(block) = rest.trim_start().strip_prefix(CODE) {
            let Some(close) = block.find(CODE_END) else { break };
            code.push_str(CODE);
            code.push_str(&block[..close + CODE_END.len()]);
            code.push('\n');
            rest = &block[close + CODE_END.len()..];
        }
        if !code.is_empty() {
            // Anchors are written escaped; keys are the raw anchor.
            found.insert(unescape(anchor), code);
        }
    }
    found
}

/// Front-matter settings paths, deduplicated, as breadcrumbs for page `from`.
fn settings_uses(from: &str, section: &Section) -> Vec<SettingsUse> {
    let root = paths::root_prefix(from);
    let mut seen = std::collections::BTreeSet::new();
    section
        .settings
        .iter()
        .map(|p| &p.value)
        .filter(|p| seen.insert(p.as_str().to_string()))
        .map(|p| SettingsUse { path: p.as_str().to_string(), crumbs_html: settings_breadcrumb(&root, p) })
        .collect()
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

/// What makes two steps "the same" in a combined checklist: the words the
/// reader sees (title and text), whitespace-normalised.
pub fn dedupe_key(step: &Step) -> String {
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    format!("{}\u{1f}{}", norm(step.title.as_deref().unwrap_or("")), norm(&step.text))
}

#[derive(Serialize)]
struct DataStep {
    id: String,
    n: u64,
    /// The heading the step sits under, when the section has several.
    heading: Option<String>,
    title: Option<String>,
    html: String,
    key: String,
}

#[derive(Serialize)]
struct DataSection {
    /// Position in reading order (weight, title, path): the tie-break of the ranking.
    order: usize,
    title: String,
    url: String,
    checklist: String,
    symptoms: Vec<String>,
    settings: Vec<String>,
    steps: Vec<DataStep>,
}

/// The data script of one symptom: where to find the sections (with
/// steps) that fix it, with their reading order. JSON is script-safe.
pub fn symptom_data_js(guide: &Guide, symptom_id: &str, sections: &[usize]) -> String {
    #[derive(Serialize)]
    struct Entry {
        order: usize,
        src: String,
    }
    let entries: Vec<Entry> = sections
        .iter()
        .filter(|&&i| !guide.sections[i].body.steps.is_empty())
        .map(|&i| Entry { order: i, src: relative_url(COMBINED_PAGE, &section_script_for(&guide.sections[i].page)) })
        .collect();
    format!("fixbookChecklistSymptom({}, {});\n", escape::script_json(symptom_id), escape::script_json(&entries))
}

/// The data script of section `i`: its steps re-based for the combined page
/// (ids prefixed `s<i+1>-` so two sections cannot clash). JSON is script-safe.
pub fn section_data_js(guide: &Guide, i: usize) -> String {
    let section = &guide.sections[i];
    let prefix = format!("s{}-", i + 1);
    let local: HashMap<&str, String> = section.body.steps.iter().map(|s| (s.anchor.as_str(), format!("{prefix}{}", s.anchor))).collect();
    let after = trailing_code_blocks(&section.body.html);
    let several_headings = section.body.steps.windows(2).any(|w| w[0].heading != w[1].heading);
    let headings = heading_index(section);
    let data = DataSection {
        order: i,
        title: section.title.clone(),
        url: relative_url(COMBINED_PAGE, &section.page),
        checklist: relative_url(COMBINED_PAGE, &page_for(&section.page)),
        symptoms: section.symptom_ids().map(str::to_string).collect(),
        settings: settings_uses(COMBINED_PAGE, section).into_iter().map(|u| u.crumbs_html).collect(),
        steps: section
            .body
            .steps
            .iter()
            .map(|s| DataStep {
                id: local[s.anchor.as_str()].clone(),
                n: s.number,
                title: s.title.clone(),
                heading: if several_headings { heading_text(&headings, s) } else { None },
                html: rebase_step_html(&step_html(s, &after), &section.page, COMBINED_PAGE, &prefix, &local, &guide.config),
                key: dedupe_key(s),
            })
            .collect(),
    };
    format!("fixbookChecklistSection({i}, {});\n", escape::script_json(&data))
}

/// Moves a step's HTML from its section page to page `to`: ids get `prefix`
/// (so they cannot clash with the checklist's own), links to steps present
/// on `to` (`local`: section anchor → id on `to`) stay on the page, other
/// relative links are re-based, and links leaving the page carry
/// `data-print-url` with their absolute URL (when `base_url` is set) so paper
/// shows where they lead.
pub fn rebase_step_html(html: &str, section_page: &str, to: &str, prefix: &str, local: &HashMap<&str, String>, config: &GuideConfig) -> String {
    let folder = paths::parent(section_page);
    crate::render::rewrite_attributes(html, |name, value, out| {
        if name == "id" {
            out.push_str(&escape::html(prefix));
            out.push_str(value);
            return;
        }
        // Breadcrumbs already say where they lead; printing their URL is noise.
        // (The tag's start is in `out` already.)
        let tag_start = out.rfind('<').unwrap_or(0);
        let is_crumb = out[tag_start..].contains("class=\"settings-path\"");
        let (url, print_url) = rebase_link(&unescape(value), folder, section_page, to, local, config);
        out.push_str(&escape::html(&url));
        if name == "href"
            && !is_crumb
            && let Some(p) = print_url
        {
            out.push_str("\" data-print-url=\"");
            out.push_str(&escape::html(&p));
        }
    })
}

/// The new URL of a link, and its absolute URL for paper if it leaves the page.
fn rebase_link(url: &str, folder: &str, section_page: &str, to: &str, local: &HashMap<&str, String>, config: &GuideConfig) -> (String, Option<String>) {
    let (path, frag) = match url.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (url, None),
    };
    let is_external = path.starts_with("//") || path.split('/').next().is_some_and(|first| first.contains(':'));
    if is_external {
        let print = (url.starts_with("http://") || url.starts_with("https://")).then(|| url.to_string());
        return (url.to_string(), print);
    }
    let target = if path.is_empty() {
        Some(section_page.to_string())
    } else {
        let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy().into_owned();
        paths::join(folder, &decoded)
    };
    let Some(target) = target else { return (url.to_string(), None) };
    let frag_decoded = frag.map(|f| percent_encoding::percent_decode_str(f).decode_utf8_lossy().into_owned());
    if target == section_page
        && let Some(id) = frag_decoded.as_deref().and_then(|f| local.get(f))
    {
        return (format!("#{}", paths::encode_fragment(id)), None);
    }
    let mut new = relative_url(to, &target);
    let mut print = config.absolute_url(&target);
    if let Some(f) = frag {
        new.push('#');
        new.push_str(f);
        if let Some(p) = print.as_mut() {
            p.push('#');
            p.push_str(f);
        }
    }
    (new, print)
}

/// Reverses the escaping pulldown-cmark and `escape::html` apply to attributes.
fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    s.replace("&quot;", "\"").replace("&#39;", "'").replace("&#x27;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(base: Option<&str>) -> GuideConfig {
        let text = match base {
            Some(b) => format!("title = \"T\"\nbase_url = \"{b}\"\n"),
            None => "title = \"T\"\n".to_string(),
        };
        crate::config::parse(&text).expect("valid config")
    }

    #[test]
    fn checklist_pages_mirror_section_pages() {
        assert_eq!(page_for("network/wifi/channels.html"), "checklists/network/wifi/channels.html");
        assert_eq!(data_script_for("wifi-drops"), "checklists/data/symptoms/wifi-drops.js");
        assert_eq!(section_script_for("a b/c.html"), "checklists/data/sections/a b/c.js");
    }

    #[test]
    fn step_links_are_rebased_for_the_checklist_page() {
        let local: HashMap<&str, String> = [("fix-step-5", "fix-step-5".to_string())].into_iter().collect();
        let html = r##"<strong class="step-title">Go</strong> see <a href="#fix-step-5">step 5</a>, <a href="#other">that</a>, <a href="../b.html#x">b</a>, <a href="https://e.example/?a=1&amp;b=2">e</a> <img src="../assets/i.png" alt=""><sup id="fn1">1</sup> <a class="settings-path" href="../settings.html#s-a-b">A</a>"##;
        let out = rebase_step_html(html, "net/a.html", "checklists/net/a.html", "c-", &local, &config(Some("https://h.example/g/")));
        assert_eq!(
            out,
            r##"<strong class="step-title">Go</strong> see <a href="#fix-step-5">step 5</a>, <a href="../../net/a.html#other" data-print-url="https://h.example/g/net/a.html#other">that</a>, <a href="../../b.html#x" data-print-url="https://h.example/g/b.html#x">b</a>, <a href="https://e.example/?a=1&amp;b=2" data-print-url="https://e.example/?a=1&amp;b=2">e</a> <img src="../../assets/i.png" alt=""><sup id="c-fn1">1</sup> <a class="settings-path" href="../../settings.html#s-a-b">A</a>"##
        );
    }

    #[test]
    fn without_base_url_links_carry_no_print_url() {
        let local = HashMap::new();
        let out = rebase_step_html(r#"<a href="b.html">b</a>"#, "a.html", COMBINED_PAGE, "s1-", &local, &config(None));
        assert_eq!(out, r#"<a href="../b.html">b</a>"#);
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
        use crate::loader::{GuideFiles, SourceFile};
        let file = |path: &str, text: &str| SourceFile { path: path.into(), text: std::sync::Arc::from(text) };
        let files = GuideFiles {
            config: Some(file("guide.toml", &format!("title = \"T\"\n{base}"))),
            symptoms: Some(file("symptoms.yml", "symptoms:\n  - id: slow\n    label: Slow </script>\n  - id: off\n    label: Off\n")),
            sections: sections.iter().map(|(p, t)| file(p, t)).collect(),
            ..Default::default()
        };
        let (guide, problems) = crate::model::build(files, false);
        assert!(problems.is_empty(), "{problems:?}");
        guide.expect("guide builds")
    }

    #[test]
    fn symptom_data_is_script_safe_and_rebased_for_the_combined_page() {
        let g = guide(
            "",
            &[
                (
                    "net/a.md",
                    "---\ntitle: A </script><b>\nsymptoms: [slow]\n---\n1. **Go** — see [b](../b.md) and [step 2](#step-2).\n2. **Two** — `Settings > Wi-Fi`.\n",
                ),
                ("b.md", "---\ntitle: B\nweight: -1\nsymptoms: [slow]\n---\nNo steps here.\n"),
            ],
        );
        let a = g.sections.iter().position(|s| s.title.starts_with('A')).unwrap();
        let b = g.sections.iter().position(|s| s.title == "B").unwrap();
        let js = symptom_data_js(&g, "slow", &[b, a]);
        // B has no steps, so only A is listed; its order is its reading position.
        assert_eq!(js, format!("fixbookChecklistSymptom(\"slow\", [{{\"order\":{a},\"src\":\"../checklists/data/sections/net/a.js\"}}]);\n"));
        let js = section_data_js(&g, a);
        assert!(js.starts_with(&format!("fixbookChecklistSection({a}, {{")), "{js}");
        assert!(!js.contains("</script>") && !js.contains("<b>"), "not script-safe: {js}");
        let json = js.trim_start_matches(&format!("fixbookChecklistSection({a}, ")).trim_end_matches(");\n");
        let s: serde_json::Value = serde_json::from_str(json).unwrap();
        assert_eq!(s["order"], a);
        assert_eq!(s["title"], "A </script><b>");
        assert_eq!(s["url"], "../net/a.html");
        assert_eq!(s["checklist"], "../checklists/net/a.html");
        let prefix = format!("s{}-", a + 1);
        assert_eq!(s["steps"][0]["id"], format!("{prefix}step-1"));
        let html = s["steps"][0]["html"].as_str().unwrap();
        assert!(html.contains("href=\"../b.html\""), "{html}");
        assert!(html.contains(&format!("href=\"#{prefix}step-2\"")), "{html}");
        assert_eq!(s["steps"][1]["key"], "Two\u{1f}Settings > Wi-Fi.");
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
    fn code_right_after_a_step_list_goes_with_its_last_step() {
        let html = concat!(
            "<ol class=\"steps\">\n<li class=\"step\" id=\"a-step-1\">One<ol><li>x</li></ol></li>\n<li class=\"step\" id=\"a-step-2\">Two</li>\n</ol>\n",
            "<div class=\"code-block\"><pre tabindex=\"0\"><code>run &lt;/pre&gt;&lt;/div&gt;\n</code></pre></div>\n",
            "<div class=\"code-block\"><pre tabindex=\"0\"><code>more\n</code></pre></div>\n",
            "<p>Then</p>\n<div class=\"code-block\"><pre><code>not this</code></pre></div>\n",
            "<ol class=\"steps\" start=\"3\">\n<li class=\"step\" id=\"b-step-3\">Three</li>\n</ol>\n<p>No code</p>\n",
        );
        let found = trailing_code_blocks(html);
        assert_eq!(found.len(), 1, "{found:?}");
        let code = &found["a-step-2"];
        assert!(code.contains("run &lt;/pre&gt;") && code.contains("more"), "{code}");
        assert!(!code.contains("not this"));
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
            span: 0..0,
        };
        assert_eq!(dedupe_key(&step(Some("Restart"), "Hold  the\nbutton.")), dedupe_key(&step(Some("Restart"), "Hold the button.")));
        assert_ne!(dedupe_key(&step(Some("Restart"), "Hold the button.")), dedupe_key(&step(None, "Restart Hold the button.")));
    }
}
