//! Stage 4, indexes computed once over the checked model: which sections
//! fix each symptom (`Indexes`), the settings map tree (`settings`), the
//! search index (`search`), the symptom filter's data (`filter`), "Still not
//! fixed?" (`next_steps`) and the guided walk (`walk`), all ranked by the one
//! rule in `ranking`. Pure functions over the model; `site` turns them into
//! pages and data scripts.

pub mod filter;
pub mod next_steps;
pub mod ranking;
pub mod search;
pub mod settings;
pub mod walk;

use std::collections::HashMap;

use crate::content::model::{Guide, SectionIndex};
use crate::source::symptoms::SymptomId;
use settings::SettingsNode;

#[derive(Debug, Default)]
pub struct Indexes {
    /// Symptom id → the sections that fix it, in reading order.
    pub sections_by_symptom: HashMap<SymptomId, Vec<SectionIndex>>,
    /// Every settings path (front matter and body) as a tree.
    pub settings: SettingsNode,
}

impl Indexes {
    /// The sections that fix symptom `id`, in reading order.
    pub fn fixes(&self, id: &str) -> &[SectionIndex] {
        self.sections_by_symptom.get(id).map(Vec::as_slice).unwrap_or_default()
    }
}

pub fn build(guide: &Guide) -> Indexes {
    let mut indexes = Indexes::default();
    for s in &guide.symptoms {
        indexes.sections_by_symptom.insert(s.id.clone(), Vec::new());
    }
    for (i, section) in guide.indexed_sections() {
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
