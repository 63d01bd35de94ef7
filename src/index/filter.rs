//! Data for the home page's symptom filter (`site::data` writes it to
//! `_fixbook/data/filter.js`): the symptom catalog (ids, labels, aliases for
//! narrowing the list) and, per section in reading order, the catalog
//! positions of the symptoms it fixes. Titles, summaries and step counts are
//! in a file of their own (`filter-cards.js`), loaded on the first tick.
//! With a large catalog (more than `ROWS_IN_PAGE` symptoms) the data also
//! carries the groups, and `filter.js` builds the tick-box rows from them
//! instead of the home page carrying every row (and `symptom_groups` is the
//! one grouping rule for both).

use std::collections::HashMap;

use serde::Serialize;

use crate::content::model::Guide;

/// Up to this many symptoms, the home page holds a tick box and a link for
/// every symptom. Above it (a large catalog), the page holds only the "Most
/// common" ones: `filter.js` renders the other rows from the filter data, and
/// the no-JavaScript list of every symptom is `symptoms/index.html`.
pub const ROWS_IN_PAGE: usize = 200;

/// The group of symptoms listed without one.
pub const OTHER_GROUP: &str = "Other symptoms";

#[derive(Debug, Serialize)]
pub struct FilterData {
    /// Number of sections.
    pub n: usize,
    /// Symptoms in catalog order: (id, label, aliases).
    pub y: Vec<(String, String, Vec<String>)>,
    /// Per section: positions in `y` of the symptoms it fixes.
    pub s: Vec<Vec<u32>>,
    /// Only with a large catalog (the page does not hold the rows): the
    /// groups in the order they are shown, each with the positions in `y` of
    /// its symptoms.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub g: Vec<(String, Vec<u32>)>,
}

/// Whether the guide's catalog is past `ROWS_IN_PAGE`.
pub fn large_catalog(guide: &Guide) -> bool {
    guide.symptoms.len() > ROWS_IN_PAGE
}

/// The symptom groups in the order the filter shows them (by each group's
/// first symptom in the catalog; symptoms without a group in `OTHER_GROUP`),
/// each with the catalog positions of its symptoms, in catalog order.
pub fn symptom_groups(guide: &Guide) -> Vec<(&str, Vec<usize>)> {
    let mut groups: Vec<(&str, Vec<usize>)> = Vec::new();
    let mut at: HashMap<&str, usize> = HashMap::new();
    for (i, s) in guide.symptoms.iter().enumerate() {
        let name = s.group.as_deref().unwrap_or(OTHER_GROUP);
        let k = *at.entry(name).or_insert_with(|| {
            groups.push((name, Vec::new()));
            groups.len() - 1
        });
        groups[k].1.push(i);
    }
    groups
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
    let g = if large_catalog(guide) {
        symptom_groups(guide).into_iter().map(|(name, members)| (name.to_string(), members.into_iter().map(|i| i as u32).collect())).collect()
    } else {
        Vec::new()
    };
    FilterData { n: guide.sections.len(), y: guide.symptoms.iter().map(|s| (s.id.as_str().to_string(), s.label.clone(), s.aliases.clone())).collect(), s, g }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::loader::{GuideFiles, SourceFile};

    fn guide(symptoms: usize) -> Guide {
        let file = |path: &str, text: String| SourceFile { path: path.into(), text: std::sync::Arc::from(text.as_str()) };
        let mut catalog = String::from("symptoms:\n");
        for i in 0..symptoms {
            // Every third symptom has no group; the groups interleave.
            let group = if i % 3 == 2 { String::new() } else { format!("    group: G{}\n", i % 3) };
            catalog.push_str(&format!("  - id: s{i}\n    label: Symptom {i}\n{group}"));
        }
        let files = GuideFiles {
            config: Some(file("guide.toml", "title = \"T\"\n".into())),
            symptoms: Some(file("symptoms.yml", catalog)),
            sections: vec![file("a.md", "---\ntitle: A\nsymptoms: [s2, s0, s0]\n---\nText\n".into())],
            ..Default::default()
        };
        let (guide, problems) = crate::content::model::build(files, false);
        assert!(problems.is_empty(), "{problems:?}");
        guide.expect("guide builds")
    }

    #[test]
    fn groups_in_order_of_first_symptom_with_the_ungrouped_in_other() {
        let g = guide(7);
        let groups = symptom_groups(&g);
        assert_eq!(groups, vec![("G0", vec![0, 3, 6]), ("G1", vec![1, 4]), (OTHER_GROUP, vec![2, 5])]);
    }

    #[test]
    fn groups_are_in_the_data_only_past_the_threshold() {
        let small = build(&guide(ROWS_IN_PAGE));
        assert!(small.g.is_empty());
        assert_eq!(small.s, vec![vec![0, 2]]);
        let json = serde_json::to_string(&small).unwrap();
        assert!(!json.contains("\"g\""), "a small catalog's data is as before: {}", &json[..80]);
        let large = build(&guide(ROWS_IN_PAGE + 1));
        assert_eq!(large.g.len(), 3);
        assert_eq!(large.g.iter().map(|(_, m)| m.len()).sum::<usize>(), ROWS_IN_PAGE + 1);
        assert_eq!(large.g[2].0, OTHER_GROUP);
        assert_eq!(&large.g[0].1[..3], &[0, 3, 6]);
    }
}
