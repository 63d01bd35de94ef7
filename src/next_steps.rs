//! "Still not fixed?": what a reader should try after a section did not
//! help. The other sections that fix the same symptoms, ranked as the symptom
//! filter ranks them (most shared symptoms first, then weight, then title),
//! and the guide's escalation section (`escalation: true`, e.g. "Get help
//! from Apple"). The page never ends in a dead end: with neither, it points at
//! the list of all fixes. Pure: the model and the symptom index in, indexes
//! into `guide.sections` out.

use std::collections::HashMap;

use crate::diagnostics::Diagnostic;
use crate::model::{Guide, Section};

/// How many other sections "Still not fixed?" lists: enough to keep going,
/// few enough to choose from (and pages do not grow with the guide).
pub const MAX_TRIES: usize = 5;

/// One section to try next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Try {
    /// Index into `guide.sections`.
    pub section: usize,
    /// The symptom ids it shares with the current section, in the current
    /// section's order.
    pub shared: Vec<String>,
}

/// What "Still not fixed?" offers on one section page.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NextSteps {
    pub tries: Vec<Try>,
    /// The escalation section, unless this page is it.
    pub escalation: Option<usize>,
}

impl NextSteps {
    /// True when neither another fix nor the escalation section is offered:
    /// the page must then point at the list of all fixes.
    pub fn is_dead_end(&self) -> bool {
        self.tries.is_empty() && self.escalation.is_none()
    }
}

/// Computes "Still not fixed?" for every section; built once per site.
pub struct Planner<'a> {
    sections: &'a [Section],
    sections_by_symptom: &'a HashMap<String, Vec<usize>>,
    escalation: Option<usize>,
}

impl<'a> Planner<'a> {
    /// `sections_by_symptom` is `indexes::Indexes::sections_by_symptom`:
    /// symptom id → indexes into `guide.sections`.
    pub fn new(guide: &'a Guide, sections_by_symptom: &'a HashMap<String, Vec<usize>>) -> Self {
        Planner { sections: &guide.sections, sections_by_symptom, escalation: escalation_section(&guide.sections) }
    }

    /// The next steps for section `i`, at most `MAX_TRIES` tries.
    pub fn for_section(&self, i: usize) -> NextSteps {
        let current = &self.sections[i];
        // Shared symptom ids per candidate, in the current section's order.
        let mut shared: HashMap<usize, Vec<String>> = HashMap::new();
        let mut seen_ids = Vec::new();
        for id in current.symptom_ids() {
            if seen_ids.contains(&id) {
                continue;
            }
            seen_ids.push(id);
            for &j in self.sections_by_symptom.get(id).map(Vec::as_slice).unwrap_or_default() {
                // The escalation section has its own place below the list.
                if j != i && Some(j) != self.escalation {
                    shared.entry(j).or_default().push(id.to_string());
                }
            }
        }
        let mut tries: Vec<Try> = shared.into_iter().map(|(section, shared)| Try { section, shared }).collect();
        // `guide.sections` is in reading order (weight, title, path), so the
        // index breaks ties exactly as the symptom filter (filter.js) does.
        tries.sort_by(|a, b| b.shared.len().cmp(&a.shared.len()).then(a.section.cmp(&b.section)));
        tries.truncate(MAX_TRIES);
        NextSteps { tries, escalation: self.escalation.filter(|&e| e != i) }
    }
}

/// The published escalation section; with several (an error reported by
/// `check_escalation`), the first in reading order.
fn escalation_section(sections: &[Section]) -> Option<usize> {
    sections.iter().position(|s| s.escalation)
}

/// A guide has at most one escalation section: every page links to it, so
/// two would leave readers to guess which one applies.
pub fn check_escalation(guide: &Guide) -> Vec<Diagnostic> {
    let mut escalations = guide.sections.iter().filter(|s| s.escalation);
    let Some(first) = escalations.next() else { return Vec::new() };
    escalations
        .map(|s| {
            Diagnostic::error(
                "duplicate-escalation",
                &s.source,
                front_matter_key_span(&s.text, "escalation"),
                format!("`{}` and `{}` both say `escalation: true`", first.source, s.source),
            )
            .with_help("a guide has one escalation section, linked from every page under \"Still not fixed?\"; remove `escalation: true` from all but one")
        })
        .collect()
}

/// Span of a top-level `key:` / `key =` line inside a section's front matter,
/// or of the opening fence when the key is not written there.
pub fn front_matter_key_span(text: &str, key: &str) -> std::ops::Range<usize> {
    let Ok(split) = crate::frontmatter::split(text) else { return 0..0 };
    let mut offset = split.inner.start;
    for line in text[split.inner.clone()].split_inclusive('\n') {
        if let Some(rest) = line.strip_prefix(key)
            && rest.trim_start().starts_with([':', '='])
        {
            return offset..offset + line.trim_end().len();
        }
        offset += line.len();
    }
    0..split.inner.start.saturating_sub(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loader::{GuideFiles, SourceFile};
    use std::sync::Arc;

    const CATALOG: &str = "symptoms:\n  - id: a\n    label: A\n  - id: b\n    label: B\n  - id: c\n    label: C\n";

    fn guide(sections: &[(&str, &str)]) -> Guide {
        let mut gf = GuideFiles {
            config: Some(SourceFile { path: "guide.toml".into(), text: Arc::from("title = 'g'") }),
            symptoms: Some(SourceFile { path: "symptoms.yml".into(), text: Arc::from(CATALOG) }),
            ..GuideFiles::default()
        };
        for (path, fm) in sections {
            let text = format!("---\n{fm}\n---\n1. step\n");
            gf.sections.push(SourceFile { path: path.to_string(), text: Arc::from(text.as_str()) });
        }
        let (g, d) = crate::model::build(gf, false);
        assert!(d.iter().all(|d| !d.is_error()), "{d:?}");
        g.unwrap()
    }

    fn titles(g: &Guide, n: &NextSteps) -> Vec<String> {
        n.tries.iter().map(|t| g.sections[t.section].title.clone()).collect()
    }

    fn plan(g: &Guide, title: &str) -> NextSteps {
        let indexes = crate::indexes::build(g);
        let i = g.sections.iter().position(|s| s.title == title).unwrap();
        Planner::new(g, &indexes.sections_by_symptom).for_section(i)
    }

    #[test]
    fn more_shared_symptoms_rank_first_then_weight_then_title() {
        let g = guide(&[
            ("cur.md", "title: Current\nsymptoms: [a, b, c]"),
            ("one-light.md", "title: One light\nweight: 1\nsymptoms: [a]"),
            ("one-heavy.md", "title: One heavy\nweight: 9\nsymptoms: [b]"),
            ("two.md", "title: Two\nweight: 50\nsymptoms: [c, a]"),
            ("one-b.md", "title: B same weight\nweight: 1\nsymptoms: [c]"),
            ("none.md", "title: Unrelated\nweight: -5"),
        ]);
        let n = plan(&g, "Current");
        assert_eq!(titles(&g, &n), ["Two", "B same weight", "One light", "One heavy"]);
        assert_eq!(n.tries[0].shared, ["a", "c"], "shared ids follow the current section's order");
        assert!(!n.is_dead_end());
    }

    #[test]
    fn the_list_is_capped_and_excludes_the_current_section() {
        let mut files = vec![("cur.md".to_string(), "title: Current\nsymptoms: [a]".to_string())];
        for k in 0..8 {
            files.push((format!("s{k}.md"), format!("title: S{k}\nweight: {}\nsymptoms: [a]", 8 - k)));
        }
        let refs: Vec<(&str, &str)> = files.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        let g = guide(&refs);
        let n = plan(&g, "Current");
        assert_eq!(titles(&g, &n), ["S7", "S6", "S5", "S4", "S3"]);
        assert_eq!(n.tries.len(), MAX_TRIES);
    }

    #[test]
    fn escalation_is_offered_separately_and_not_on_its_own_page() {
        let g = guide(&[
            ("cur.md", "title: Current\nsymptoms: [a]"),
            ("help.md", "title: Get help\nweight: 99\nsymptoms: [a]\nescalation: true"),
            ("other.md", "title: Other\nsymptoms: [a]"),
        ]);
        let n = plan(&g, "Current");
        assert_eq!(titles(&g, &n), ["Other"]);
        assert_eq!(n.escalation.map(|e| g.sections[e].title.as_str()), Some("Get help"));
        let on_help = plan(&g, "Get help");
        assert_eq!(on_help.escalation, None);
        assert_eq!(titles(&g, &on_help), ["Current", "Other"]);
    }

    #[test]
    fn a_section_without_symptoms_still_gets_the_escalation_link() {
        let g = guide(&[("cur.md", "title: Current"), ("help.md", "title: Get help\nescalation: true")]);
        let n = plan(&g, "Current");
        assert!(n.tries.is_empty());
        assert!(n.escalation.is_some());
        assert!(plan(&g, "Get help").is_dead_end(), "the escalation page alone must fall back to all fixes");
    }

    #[test]
    fn without_escalation_and_shared_symptoms_it_is_a_dead_end() {
        let g = guide(&[("cur.md", "title: Current\nsymptoms: [a]"), ("x.md", "title: X\nsymptoms: [b]")]);
        assert!(plan(&g, "Current").is_dead_end());
    }

    #[test]
    fn two_escalation_sections_are_an_error_at_the_second() {
        let g = guide(&[("a.md", "title: A\nescalation: true"), ("b.md", "title: B\nweight: 5\nescalation: true"), ("c.md", "title: C\nescalation: false")]);
        let d = check_escalation(&g);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].code, "duplicate-escalation");
        assert_eq!(d[0].file, "b.md");
        let text = &g.sections.iter().find(|s| s.source == "b.md").unwrap().text;
        assert_eq!(&text[d[0].span.clone()], "escalation: true");
        assert!(check_escalation(&guide(&[("a.md", "title: A\nescalation: true")])).is_empty());
    }
}
