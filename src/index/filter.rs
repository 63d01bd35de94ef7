//! Data for the home page's symptom filter (`site::data` writes it to
//! `_fixbook/data/filter.js`): the symptom catalog (ids, labels, aliases for
//! narrowing the list) and, per section in reading order, the catalog
//! positions of the symptoms it fixes.
//! Titles, summaries and step counts are not repeated here: `filter.js`
//! reuses the home page's own list of section cards, which is in the same
//! order, so the file stays small (about 15 bytes a section).

use std::collections::HashMap;

use serde::Serialize;

use crate::content::model::Guide;

#[derive(Debug, Serialize)]
pub struct FilterData {
    /// Number of sections (checked against the page's list of cards).
    pub n: usize,
    /// Symptoms in catalog order: (id, label, aliases).
    pub y: Vec<(String, String, Vec<String>)>,
    /// Per section: positions in `y` of the symptoms it fixes.
    pub s: Vec<Vec<u32>>,
}

pub fn build(guide: &Guide) -> FilterData {
    let position: HashMap<&str, u32> = guide.symptoms.iter().enumerate().map(|(i, s)| (s.id.as_str(), i as u32)).collect();
    let s = guide
        .sections
        .iter()
        .map(|section| {
            let mut ids: Vec<u32> = section.symptom_ids().filter_map(|id| position.get(id.as_str()).copied()).collect();
            ids.sort_unstable();
            ids.dedup();
            ids
        })
        .collect();
    FilterData { n: guide.sections.len(), y: guide.symptoms.iter().map(|s| (s.id.as_str().to_string(), s.label.clone(), s.aliases.clone())).collect(), s }
}
