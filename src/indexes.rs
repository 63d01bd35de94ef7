//! Indexes computed once over the model: which sections fix each symptom,
//! and the settings map tree. Pure functions over the model.

use std::collections::HashMap;

use crate::model::Guide;
use crate::settings::SettingsNode;

#[derive(Debug, Default)]
pub struct Indexes {
    /// Symptom id → indexes into `guide.sections`, in reading order.
    pub sections_by_symptom: HashMap<String, Vec<usize>>,
    /// Every settings path (front matter and body) as a tree.
    pub settings: SettingsNode,
}

pub fn build(guide: &Guide) -> Indexes {
    let mut indexes = Indexes::default();
    for s in &guide.symptoms {
        indexes.sections_by_symptom.insert(s.id.as_str().to_string(), Vec::new());
    }
    for (i, section) in guide.sections.iter().enumerate() {
        for id in section.symptom_ids() {
            if let Some(list) = indexes.sections_by_symptom.get_mut(id)
                && list.last() != Some(&i)
            {
                list.push(i);
            }
        }
        for p in &section.settings {
            indexes.settings.insert(&p.value, i);
        }
        for (p, _) in &section.body.settings {
            indexes.settings.insert(p, i);
        }
    }
    indexes
}
