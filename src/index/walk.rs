//! The guided walk ("walk me through it", `guided.html`): which steps a
//! reader is asked, one at a time, and in what order. The sections that fix
//! the chosen symptoms in the one ranking order (`ranking::rank`; the
//! escalation section is not among them), or one section; within a section
//! its steps in order; a step the reader already met in an earlier section of
//! the walk is not asked again; a step's branch link ("if the prompt never
//! appears, go to step 5") leads to that step of the same section; after the
//! last section, the escalation section. `guided.js` applies the same rule in
//! the browser to the combined checklist's data scripts, and
//! `tests/browser/guided.test.mjs` holds it to `plan`'s order on the
//! fixtures (`tests/golden.rs` writes it down). Pure.

use std::collections::HashMap;

use super::{Indexes, ranking};
use crate::content::markdown::{LinkTarget, Step};
use crate::content::model::{Guide, Section, SectionIndex};
use crate::source::symptoms::SymptomId;

/// What a walk starts from (`guided.html?symptoms=a,b` or `?section=<page>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Start<'a> {
    /// The symptoms the reader ticked, in the order ticked.
    Symptoms(Vec<&'a SymptomId>),
    /// One section.
    Section(SectionIndex),
}

/// One step of a walk's section.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalkStep {
    /// Index into the section's `body.steps`.
    pub step: usize,
    /// The earlier place of the walk (section position, step index) where the
    /// reader already met this step: such a step is not asked again.
    pub repeat_of: Option<(usize, usize)>,
    /// The steps of the same section that this step's branch links lead to
    /// (indexes into `body.steps`), in the order the links are written.
    pub branches: Vec<usize>,
}

/// One section of a walk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WalkSection {
    pub section: SectionIndex,
    /// The chosen symptoms it fixes, in the order chosen: why it is in the
    /// walk at this place (empty for a one-section walk).
    pub matched: Vec<SymptomId>,
    pub steps: Vec<WalkStep>,
}

/// A whole walk: sections in the order they are walked, then the escalation
/// section (the guide's "get help" page, when it has one and is not already
/// the only section walked).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Walk {
    pub sections: Vec<WalkSection>,
    pub escalation: Option<SectionIndex>,
}

impl Walk {
    /// The places (section position, step index) a reader who answers
    /// "Still not fixed" to every step is asked, in order.
    pub fn asked(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.sections.iter().enumerate().flat_map(|(k, s)| s.steps.iter().filter(|w| w.repeat_of.is_none()).map(move |w| (k, w.step)))
    }
}

/// What makes two steps "the same step" (in the walk and in the combined
/// checklist): the words the reader sees, title and text, each with its
/// white space collapsed. Case, numbering, the section and the heading the
/// step sits under do not count; the text includes the step's code, so two
/// "Run this command" steps with different commands stay two steps.
pub fn same_step_key(step: &Step) -> String {
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    format!("{}\u{1f}{}", norm(step.title.as_deref().unwrap_or("")), norm(&step.text))
}

/// The walk for `start`. Sections without steps have nothing to ask and are
/// left out (as on the combined checklist); the escalation section comes
/// last whether or not it has steps.
pub fn plan(guide: &Guide, indexes: &Indexes, start: &Start) -> Walk {
    let escalation = guide.escalation_section();
    let has_steps = |i: SectionIndex| !guide.section(i).body.steps.is_empty();
    let chosen: Vec<(SectionIndex, Vec<SymptomId>)> = match start {
        Start::Symptoms(ids) => {
            ranking::rank(indexes, ids.iter().copied(), |i| Some(i) == escalation || !has_steps(i)).into_iter().map(|r| (r.section, r.matched)).collect()
        }
        Start::Section(i) => {
            if has_steps(*i) {
                vec![(*i, Vec::new())]
            } else {
                Vec::new()
            }
        }
    };
    let mut seen: HashMap<String, (usize, usize)> = HashMap::new();
    let mut sections = Vec::with_capacity(chosen.len());
    for (k, (i, matched)) in chosen.into_iter().enumerate() {
        let section = guide.section(i);
        let mut own: Vec<(String, usize)> = Vec::new();
        let steps = section
            .body
            .steps
            .iter()
            .enumerate()
            .map(|(n, step)| {
                let key = same_step_key(step);
                // Only earlier sections count: a section may repeat a step of
                // its own on purpose ("restart the router again").
                let repeat_of = seen.get(&key).copied();
                own.push((key, n));
                WalkStep { step: n, repeat_of, branches: branches(section, step) }
            })
            .collect();
        for (key, n) in own {
            seen.entry(key).or_insert((k, n));
        }
        sections.push(WalkSection { section: i, matched, steps });
    }
    let only = match start {
        Start::Section(i) => Some(*i),
        Start::Symptoms(_) => None,
    };
    Walk { sections, escalation: escalation.filter(|&e| Some(e) != only) }
}

/// The steps of `section` that links inside `step` lead to (by anchor, on the
/// section's own page), as indexes into `body.steps`.
fn branches(section: &Section, step: &Step) -> Vec<usize> {
    let anchors: HashMap<&str, usize> = section.body.steps.iter().enumerate().map(|(n, s)| (s.anchor.as_str(), n)).collect();
    section
        .body
        .links
        .iter()
        .filter(|l| !l.is_image && l.span.start >= step.span.start && l.span.end <= step.span.end)
        .filter_map(|l| match &l.target {
            LinkTarget::Fragment(f) => anchors.get(f.as_str()).copied(),
            LinkTarget::Section { source, fragment: Some(f) } if *source == section.source => anchors.get(f.as_str()).copied(),
            _ => None,
        })
        .collect()
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
        for (path, text) in sections {
            gf.sections.push(SourceFile { path: path.to_string(), text: Arc::from(*text) });
        }
        let (g, d) = crate::content::model::build(gf, false);
        assert!(d.iter().all(|d| !d.is_error()), "{d:?}");
        g.unwrap()
    }

    fn titles(g: &Guide, w: &Walk) -> Vec<String> {
        w.sections.iter().map(|s| g.section(s.section).title.clone()).collect()
    }

    fn index_of(g: &Guide, title: &str) -> SectionIndex {
        SectionIndex(g.sections.iter().position(|s| s.title == title).unwrap())
    }

    /// Every asked step as "Section title: step title".
    fn asked(g: &Guide, w: &Walk) -> Vec<String> {
        w.asked()
            .map(|(k, n)| {
                let s = g.section(w.sections[k].section);
                format!("{}: {}", s.title, s.body.steps[n].title.as_deref().unwrap_or(&s.body.steps[n].text))
            })
            .collect()
    }

    fn ids(list: &[&str]) -> Vec<SymptomId> {
        list.iter().map(|s| SymptomId::reference(s)).collect()
    }

    #[test]
    fn sections_go_in_rank_order_and_say_what_they_share() {
        let g = guide(&[
            ("one.md", "---\ntitle: One\nweight: 1\nsymptoms: [a]\n---\n1. **Uno** — x.\n"),
            ("both.md", "---\ntitle: Both\nweight: 9\nsymptoms: [b, a]\n---\n1. **Dos** — y.\n"),
            ("other.md", "---\ntitle: Other\nweight: 0\nsymptoms: [b]\n---\n1. **Tres** — z.\n"),
            ("none.md", "---\ntitle: Unrelated\nweight: -5\nsymptoms: [c]\n---\n1. **Cuatro** — w.\n"),
            ("empty.md", "---\ntitle: No steps\nweight: -9\nsymptoms: [a, b]\n---\nJust prose.\n"),
        ]);
        let indexes = crate::index::build(&g);
        let chosen = ids(&["a", "b"]);
        let w = plan(&g, &indexes, &Start::Symptoms(chosen.iter().collect()));
        // Most chosen symptoms first, then reading order (weight); a section without steps has nothing to ask.
        assert_eq!(titles(&g, &w), ["Both", "Other", "One"]);
        assert_eq!(w.sections[0].matched, ids(&["a", "b"]), "matched ids follow the order chosen");
        assert_eq!(w.sections[1].matched, ids(&["b"]));
        assert_eq!(w.escalation, None);
        // The order chosen does not change the walk, only how the matches are listed.
        let reversed = ids(&["b", "a"]);
        let w2 = plan(&g, &indexes, &Start::Symptoms(reversed.iter().collect()));
        assert_eq!(titles(&g, &w2), titles(&g, &w));
        assert_eq!(w2.sections[0].matched, ids(&["b", "a"]));
    }

    #[test]
    fn a_step_met_in_an_earlier_section_is_not_asked_again() {
        let g = guide(&[
            (
                "first.md",
                "---\ntitle: First\nweight: 1\nsymptoms: [a, b]\n---\n1. **Restart the box** — Hold the power\n   button for ten seconds.\n2. **First only** — x.\n",
            ),
            (
                "second.md",
                "---\ntitle: Second\nweight: 2\nsymptoms: [a]\n---\n1. **Second only** — y.\n2. **Restart the box** — Hold the power button for ten seconds.\n3. **Restart the box** — Hold the power button for twenty seconds.\n4. **Second only** — y.\n",
            ),
        ]);
        let indexes = crate::index::build(&g);
        let chosen = ids(&["a"]);
        let w = plan(&g, &indexes, &Start::Symptoms(chosen.iter().collect()));
        assert_eq!(titles(&g, &w), ["First", "Second"]);
        // Same title and words (white space aside) is the same step; other words are another step.
        assert_eq!(w.sections[1].steps[1].repeat_of, Some((0, 0)));
        assert_eq!(w.sections[1].steps[2].repeat_of, None);
        // A section repeating its own step is asked both times: that is its procedure.
        assert_eq!(w.sections[1].steps[3].repeat_of, None);
        assert_eq!(asked(&g, &w), ["First: Restart the box", "First: First only", "Second: Second only", "Second: Restart the box", "Second: Second only"]);
        assert_eq!(w.asked().count(), 5);
    }

    #[test]
    fn branch_links_lead_to_steps_of_the_same_section() {
        let g = guide(&[
            (
                "fix.md",
                "---\ntitle: Fix\nsymptoms: [a]\n---\n## Try it\n\n1. **Open it** — If the prompt never appears, go to [step 3](#try-it-step-3).\n2. **Middle** — See [the other page](other.md#step-1) or [later](fix.md#try-it-step-3).\n3. **Last** — Back to [the start](#try-it-step-1) or [the top](#try-it).\n",
            ),
            ("other.md", "---\ntitle: Other\n---\n1. One.\n"),
        ]);
        let indexes = crate::index::build(&g);
        let w = plan(&g, &indexes, &Start::Section(index_of(&g, "Fix")));
        let branches: Vec<&[usize]> = w.sections[0].steps.iter().map(|s| s.branches.as_slice()).collect();
        // A heading link is no step; a link to another page's step leaves the walk.
        assert_eq!(branches, [&[2][..], &[2][..], &[0][..]]);
    }

    #[test]
    fn the_escalation_section_comes_last_and_is_not_ranked() {
        let g = guide(&[
            ("fix.md", "---\ntitle: Fix\nweight: 5\nsymptoms: [a]\n---\n1. **Try** — x.\n"),
            ("help.md", "---\ntitle: Get help\nweight: 0\nsymptoms: [a]\nescalation: true\n---\n1. **Call** — y.\n"),
        ]);
        let indexes = crate::index::build(&g);
        let chosen = ids(&["a"]);
        let help = index_of(&g, "Get help");
        let w = plan(&g, &indexes, &Start::Symptoms(chosen.iter().collect()));
        assert_eq!(titles(&g, &w), ["Fix"]);
        assert_eq!(w.escalation, Some(help));
        // A symptom only the escalation section fixes: straight to it.
        let chosen = ids(&["c"]);
        let w = plan(&g, &indexes, &Start::Symptoms(chosen.iter().collect()));
        assert!(w.sections.is_empty());
        assert_eq!(w.escalation, Some(help));
        // One section walks that section, then escalation; the escalation section's own walk ends with it.
        let w = plan(&g, &indexes, &Start::Section(index_of(&g, "Fix")));
        assert_eq!((titles(&g, &w), w.escalation), (vec!["Fix".to_string()], Some(help)));
        assert_eq!(w.sections[0].matched, Vec::<SymptomId>::new());
        let w = plan(&g, &indexes, &Start::Section(help));
        assert_eq!((titles(&g, &w), w.escalation), (vec!["Get help".to_string()], None));
    }

    #[test]
    fn a_section_without_steps_walks_nothing_but_still_escalates() {
        let g = guide(&[("prose.md", "---\ntitle: Prose\n---\nNo list.\n"), ("help.md", "---\ntitle: Help\nescalation: true\n---\nCall us.\n")]);
        let indexes = crate::index::build(&g);
        let w = plan(&g, &indexes, &Start::Section(index_of(&g, "Prose")));
        assert!(w.sections.is_empty());
        assert_eq!(w.escalation, Some(index_of(&g, "Help")));
    }

    #[test]
    fn same_step_key_ignores_white_space_only() {
        let step = |title: Option<&str>, text: &str| Step { title: title.map(str::to_string), text: text.into(), ..Step::default() };
        assert_eq!(same_step_key(&step(Some("Restart"), "Hold  the\nbutton.")), same_step_key(&step(Some("Restart"), "Hold the button.")));
        assert_ne!(same_step_key(&step(Some("Restart"), "Hold the button.")), same_step_key(&step(None, "Restart Hold the button.")));
        assert_ne!(same_step_key(&step(Some("Restart"), "Hold the button.")), same_step_key(&step(Some("restart"), "Hold the button.")));
    }
}
