//! The one ranking rule of fixbook: sections that match more of what the
//! reader has (ticked symptoms, or the symptoms of the page that did not
//! help) come first; ties go in reading order (weight, title, path), which is
//! the order of `Guide::sections`. "Still not fixed?" ranks with it here;
//! the symptom filter (`filter.js`) and the combined checklist
//! (`checklist.js`) apply the same rule in the browser (`compareRanked` in
//! `common.js`), and `tests/browser/ranking.test.mjs` holds them to `rank`'s
//! order on the fixtures (`tests/golden.rs` writes it down).

use std::cmp::Ordering;
use std::collections::HashMap;

use super::Indexes;
use crate::content::model::SectionIndex;
use crate::source::symptoms::SymptomId;

/// Orders two candidates: `(matches, section)` with more matches first, then
/// the earlier section.
pub fn compare(a: (usize, SectionIndex), b: (usize, SectionIndex)) -> Ordering {
    b.0.cmp(&a.0).then(a.1.cmp(&b.1))
}

/// A section that fixes some of the chosen symptoms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ranked {
    pub section: SectionIndex,
    /// The chosen ids it fixes, in the order chosen.
    pub matched: Vec<SymptomId>,
}

/// The sections that fix any of `chosen` (an id chosen twice counts once),
/// but not those `skip` leaves out, best first by `compare`.
pub fn rank<'a>(indexes: &Indexes, chosen: impl IntoIterator<Item = &'a SymptomId>, skip: impl Fn(SectionIndex) -> bool) -> Vec<Ranked> {
    let mut matched: HashMap<SectionIndex, Vec<SymptomId>> = HashMap::new();
    let mut seen: Vec<&SymptomId> = Vec::new();
    for id in chosen {
        if seen.contains(&id) {
            continue;
        }
        seen.push(id);
        for &section in indexes.fixes(id.as_str()) {
            if !skip(section) {
                matched.entry(section).or_default().push(id.clone());
            }
        }
    }
    let mut ranked: Vec<Ranked> = matched.into_iter().map(|(section, matched)| Ranked { section, matched }).collect();
    ranked.sort_by(|a, b| compare((a.matched.len(), a.section), (b.matched.len(), b.section)));
    ranked
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn more_matches_first_then_reading_order() {
        let mut list = vec![(1, SectionIndex(0)), (2, SectionIndex(5)), (2, SectionIndex(3)), (1, SectionIndex(1))];
        list.sort_by(|a, b| compare(*a, *b));
        assert_eq!(list, [(2, SectionIndex(3)), (2, SectionIndex(5)), (1, SectionIndex(0)), (1, SectionIndex(1))]);
    }
}
