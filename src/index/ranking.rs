//! The one ranking rule of fixbook: sections that match more of what the
//! reader has (ticked symptoms, or the symptoms of the page that did not
//! help) come first; ties go in reading order (weight, title, path), which is
//! the order of `Guide::sections`. "Still not fixed?" ranks with it here;
//! the symptom filter (`filter.js`) and the combined checklist
//! (`checklist.js`) apply the same rule in the browser.

use std::cmp::Ordering;

use crate::content::model::SectionIndex;

/// Orders two candidates: `(matches, section)` with more matches first, then
/// the earlier section.
pub fn compare(a: (usize, SectionIndex), b: (usize, SectionIndex)) -> Ordering {
    b.0.cmp(&a.0).then(a.1.cmp(&b.1))
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
