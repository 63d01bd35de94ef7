//! Data scripts: build-time data for the browser as classic scripts (a
//! `<script src>` loads from `file://`, where fetch, modules and workers do
//! not): the search index, the symptom filter's data and the combined
//! checklist's per-symptom and per-section data. `script` is the one writer:
//! every value goes through `escape::script_json`, so guide text can neither
//! break the JSON nor close the script.

use serde::Serialize;

use super::checklists::{self, COMBINED_PAGE, StepMover, heading_index, heading_text, section_script_for, symptom_script_for};
use super::settings_uses;
use crate::content::model::{Guide, SectionIndex};
use crate::escape;
use crate::index::filter::FilterData;
use crate::index::search::{self, SearchIndex};
use crate::output::OutputFile;
use crate::paths::relative_url;
use crate::source::symptoms::SymptomId;

/// Where the filter data goes in the output.
pub const FILTER_PATH: &str = "_fixbook/data/filter.js";
/// The filter's result cards, loaded by `filter.js` when the first symptom is ticked.
pub const FILTER_CARDS_PATH: &str = "_fixbook/data/filter-cards.js";

/// How a data script hands its value to the page.
pub enum Receiver<'a> {
    /// `<name> = <value>;`
    Global(&'a str),
    /// `<function>(<value>);`, or with a key first, `<function>(<key><separator><value>);`.
    Call { function: &'a str, key: Option<String>, separator: &'a str },
}

/// A data script at `path` handing `value` (as script-safe JSON) to the page.
pub fn script(path: String, receiver: Receiver, value: &(impl Serialize + ?Sized)) -> OutputFile {
    let json = escape::script_json(value);
    let text = match receiver {
        Receiver::Global(name) => format!("{name} = {json};\n"),
        Receiver::Call { function, key: None, .. } => format!("{function}({json});\n"),
        Receiver::Call { function, key: Some(key), separator } => format!("{function}({key}{separator}{json});\n"),
    };
    OutputFile { path, bytes: text.into_bytes() }
}

/// The search index: `index.js` (the manifest), one file per shard and one
/// per section doc, each calling `fixbookSearch.<part>(...)`.
pub fn search_files(index: &SearchIndex) -> Vec<OutputFile> {
    let dir = search::DIR;
    let call = |part: &'static str, n: Option<usize>| Receiver::Call { function: part, key: n.map(|n| n.to_string()), separator: "," };
    let mut files = Vec::with_capacity(index.docs.len() + index.shards.len() + index.vocab.len() + 1);
    files.push(script(format!("{dir}/index.js"), call("fixbookSearch.manifest", None), &index.manifest()));
    for (i, shard) in index.shards.iter().enumerate() {
        files.push(script(format!("{dir}/terms/{i}.js"), call("fixbookSearch.shard", Some(i)), shard));
    }
    for (i, words) in index.vocab.iter().enumerate() {
        files.push(script(format!("{dir}/vocab/{i}.js"), call("fixbookSearch.vocab", Some(i)), words));
    }
    for (i, doc) in index.docs.iter().enumerate() {
        files.push(script(format!("{dir}/docs/{i}.js"), call("fixbookSearch.doc", Some(i)), doc));
    }
    files
}

/// The symptom filter's data (`window.fixbookFilterData`).
pub fn filter_file(data: &FilterData) -> OutputFile {
    script(FILTER_PATH.to_string(), Receiver::Global("window.fixbookFilterData"), data)
}

/// The cards the filter shows as results (`window.fixbookFilterCards`), in
/// reading order like the filter data: `f` the folder titles, `c` per section
/// `[title, url from the home page, summary, steps, position in f]`. A file of
/// its own, loaded on the first tick, so the home page stays light.
pub fn filter_cards_file(site: &super::Site) -> OutputFile {
    #[derive(Serialize)]
    struct Cards<'a> {
        f: Vec<&'a str>,
        c: Vec<(&'a str, String, &'a str, usize, usize)>,
    }
    let mut f: Vec<&str> = Vec::new();
    let mut position = std::collections::HashMap::new();
    let c = site
        .guide
        .sections
        .iter()
        .map(|s| {
            let title = site.tree.title_of_section(&s.source);
            let k = *position.entry(title).or_insert_with(|| {
                f.push(title);
                f.len() - 1
            });
            (s.title.as_str(), relative_url("index.html", &s.page), s.summary.as_deref().unwrap_or(""), s.body.steps.len(), k)
        })
        .collect();
    script(FILTER_CARDS_PATH.to_string(), Receiver::Global("window.fixbookFilterCards"), &Cards { f, c })
}

/// The data script of one symptom for the combined checklist and the guided
/// walk: its label and where to find the sections (with steps) that fix it,
/// with their reading order.
pub fn checklist_symptom(guide: &Guide, id: &SymptomId, sections: &[SectionIndex]) -> OutputFile {
    #[derive(Serialize)]
    struct Entry {
        order: SectionIndex,
        src: String,
    }
    #[derive(Serialize)]
    struct Data<'a> {
        label: &'a str,
        sections: Vec<Entry>,
    }
    let label = guide.symptoms.iter().find(|s| s.id == *id).map(|s| s.label.as_str()).unwrap_or(id.as_str());
    let entries: Vec<Entry> = sections
        .iter()
        .filter(|&&i| !guide.section(i).body.steps.is_empty())
        .map(|&i| Entry { order: i, src: relative_url(COMBINED_PAGE, &section_script_for(&guide.section(i).page)) })
        .collect();
    let receiver = Receiver::Call { function: "fixbookChecklistSymptom", key: Some(escape::script_json(id)), separator: ", " };
    script(symptom_script_for(id.as_str()), receiver, &Data { label, sections: entries })
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
    order: SectionIndex,
    title: String,
    url: String,
    checklist: String,
    symptoms: Vec<SymptomId>,
    settings: Vec<String>,
    steps: Vec<DataStep>,
}

/// The data script of section `i`: its steps moved onto the combined page
/// (ids prefixed `s<i+1>-` so two sections cannot clash).
pub fn checklist_section(guide: &Guide, i: SectionIndex) -> OutputFile {
    let section = guide.section(i);
    let prefix = format!("s{}-", i.0 + 1);
    let mover = StepMover::new(section, COMBINED_PAGE, &prefix, &guide.config);
    let several_headings = section.body.steps.windows(2).any(|w| w[0].heading != w[1].heading);
    let headings = heading_index(section);
    let data = DataSection {
        order: i,
        title: section.title.clone(),
        url: relative_url(COMBINED_PAGE, &section.page),
        checklist: relative_url(COMBINED_PAGE, &checklists::page_for(&section.page)),
        symptoms: section.symptom_ids().cloned().collect(),
        settings: settings_uses(COMBINED_PAGE, section.settings.iter().map(|p| &p.value)).into_iter().map(|u| u.crumbs_html).collect(),
        steps: section
            .body
            .steps
            .iter()
            .map(|s| DataStep {
                id: mover.id(s).to_string(),
                n: s.number,
                title: s.title.clone(),
                heading: if several_headings { heading_text(&headings, s) } else { None },
                html: mover.html(s),
                key: checklists::dedupe_key(s),
            })
            .collect(),
    };
    let receiver = Receiver::Call { function: "fixbookChecklistSection", key: Some(i.0.to_string()), separator: ", " };
    script(section_script_for(&section.page), receiver, &data)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(file: OutputFile) -> String {
        String::from_utf8(file.bytes).unwrap()
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
        let js = text(checklist_symptom(&g, &SymptomId::reference("slow"), &[SectionIndex(b), SectionIndex(a)]));
        // B has no steps, so only A is listed; its order is its reading position.
        assert_eq!(
            js,
            format!(
                "fixbookChecklistSymptom(\"slow\", {{\"label\":\"Slow \\u003c/script\\u003e\",\"sections\":[{{\"order\":{a},\"src\":\"../checklists/data/sections/net/a.js\"}}]}});\n"
            )
        );
        let js = text(checklist_section(&g, SectionIndex(a)));
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
    fn code_right_after_a_step_list_goes_with_its_last_step() {
        let g = guide(
            "",
            &[(
                "a.md",
                "---\ntitle: A\n---\n1. One\n   1. x\n2. Two\n\n```\nrun </pre></div>\n```\n\n    more\n\nThen\n\n```\nnot this\n```\n\n3. Three\n\nNo code\n",
            )],
        );
        let steps = &g.sections[0].body.steps;
        assert_eq!(steps.iter().map(|s| s.code_after.is_some()).collect::<Vec<_>>(), [false, true, false]);
        let code = steps[1].code_after.as_deref().unwrap();
        assert!(code.contains("run &lt;/pre&gt;&lt;/div&gt;") && code.contains("more"), "{code}");
        assert!(!code.contains("not this"));
        let json = text(checklist_section(&g, SectionIndex(0)));
        assert!(json.contains("run \\u0026lt;/pre\\u0026gt;"), "the code goes with step 2 onto the combined page: {json}");
    }

    #[test]
    fn files_are_deterministic_jsonp_and_escaped() {
        let g = guide("", &[("a.md", "---\ntitle: \"</script><script>alert(1)</script>\"\n---\n## Héading\n\nText <!-- x -->\n")]);
        let a = search_files(&search::build(&g));
        let b = search_files(&search::build(&g));
        assert_eq!(a, b);
        for f in &a {
            let text = String::from_utf8(f.bytes.clone()).unwrap();
            assert!(text.starts_with("fixbookSearch."), "{}", f.path);
            assert!(!text.contains('<'), "{}: {text}", f.path);
        }
        assert!(a.iter().any(|f| f.path == "_fixbook/search/docs/0.js"));
        assert!(a.iter().any(|f| f.path == "_fixbook/search/index.js"));
    }

    #[test]
    fn hostile_labels_cannot_close_the_script() {
        let data = FilterData {
            n: 1,
            y: vec![("x".into(), "</script><script>alert(1)</script>".into(), vec!["<!--".into()])],
            s: vec![vec![0]],
            g: vec![("</script><!--".into(), vec![0])],
        };
        let text = String::from_utf8(filter_file(&data).bytes).unwrap();
        assert!(!text.contains("</script") && !text.contains("<!--"), "{text}");
        assert!(text.starts_with("window.fixbookFilterData = {\"n\":1,"));
    }
}
