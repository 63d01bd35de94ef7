//! Data for the home page's symptom filter (`_fixbook/data/filter.js`): the
//! symptom catalog (ids, labels, aliases for narrowing the list) and, per
//! section in reading order, the catalog positions of the symptoms it fixes.
//! Titles, summaries and step counts are not repeated here: `filter.js`
//! reuses the home page's own list of section cards, which is in the same
//! order, so the file stays small (about 15 bytes a section).

use std::collections::HashMap;

use serde::Serialize;

use crate::escape;
use crate::model::Guide;
use crate::render::OutputFile;

/// Where the data file goes in the output.
pub const PATH: &str = "_fixbook/data/filter.js";

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
            let mut ids: Vec<u32> = section.symptom_ids().filter_map(|id| position.get(id).copied()).collect();
            ids.sort_unstable();
            ids.dedup();
            ids
        })
        .collect();
    FilterData { n: guide.sections.len(), y: guide.symptoms.iter().map(|s| (s.id.as_str().to_string(), s.label.clone(), s.aliases.clone())).collect(), s }
}

/// The data as a classic script, so it loads from `file://` too.
pub fn file(data: &FilterData) -> OutputFile {
    OutputFile { path: PATH.to_string(), bytes: format!("window.fixbookFilterData = {};\n", escape::script_json(data)).into_bytes() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_labels_cannot_close_the_script() {
        let data = FilterData { n: 1, y: vec![("x".into(), "</script><script>alert(1)</script>".into(), vec!["<!--".into()])], s: vec![vec![0]] };
        let text = String::from_utf8(file(&data).bytes).unwrap();
        assert!(!text.contains("</script") && !text.contains("<!--"), "{text}");
        assert!(text.starts_with("window.fixbookFilterData = {\"n\":1,"));
    }
}
