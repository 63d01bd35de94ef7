//! "Still not fixed?": what a reader should try after a section did not
//! help. The other sections that fix the same symptoms, ranked by the one
//! rule (`ranking`: most shared symptoms first, then reading order),
//! and the guide's escalation section (`escalation: true`, e.g. "Get help
//! from Apple"). The page never ends in a dead end: with neither, it points at
//! the list of all fixes. Pure: the model and the symptom index in, section
//! indexes out.

use super::{Indexes, ranking};
use crate::content::model::{Guide, Section, SectionIndex};
use crate::source::symptoms::SymptomId;

/// How many other sections "Still not fixed?" lists: enough to keep going,
/// few enough to choose from (and pages do not grow with the guide).
pub const MAX_TRIES: usize = 5;

/// One section to try next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Try {
    pub section: SectionIndex,
    /// The symptom ids it shares with the current section, in the current
    /// section's order.
    pub shared: Vec<SymptomId>,
}

/// What "Still not fixed?" offers on one section page.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NextSteps {
    pub tries: Vec<Try>,
    /// The escalation section, unless this page is it.
    pub escalation: Option<SectionIndex>,
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
    indexes: &'a Indexes,
    escalation: Option<SectionIndex>,
}

impl<'a> Planner<'a> {
    pub fn new(guide: &'a Guide, indexes: &'a Indexes) -> Self {
        Planner { sections: &guide.sections, indexes, escalation: guide.escalation_section() }
    }

    /// The next steps for section `i`, at most `MAX_TRIES` tries.
    pub fn for_section(&self, i: SectionIndex) -> NextSteps {
        let current = &self.sections[i.0];
        // Shared symptom ids per candidate, in the current section's order;
        // the escalation section has its own place below the list.
        let ranked = ranking::rank(self.indexes, current.symptom_ids(), |j| j == i || Some(j) == self.escalation);
        let tries: Vec<Try> = ranked.into_iter().take(MAX_TRIES).map(|r| Try { section: r.section, shared: r.matched }).collect();
        NextSteps { tries, escalation: self.escalation.filter(|&e| e != i) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::loader::{GuideFiles, SourceFile};
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
        let (g, d) = crate::content::model::build(gf, false);
        assert!(d.iter().all(|d| !d.is_error()), "{d:?}");
        g.unwrap()
    }

    fn titles(g: &Guide, n: &NextSteps) -> Vec<String> {
        n.tries.iter().map(|t| g.section(t.section).title.clone()).collect()
    }

    fn plan(g: &Guide, title: &str) -> NextSteps {
        let indexes = crate::index::build(g);
        let i = g.sections.iter().position(|s| s.title == title).unwrap();
        Planner::new(g, &indexes).for_section(SectionIndex(i))
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
        assert_eq!(n.tries[0].shared.iter().map(SymptomId::as_str).collect::<Vec<_>>(), ["a", "c"], "shared ids follow the current section's order");
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
        assert_eq!(n.escalation.map(|e| g.section(e).title.as_str()), Some("Get help"));
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
}
