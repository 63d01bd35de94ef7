//! The settings map's tree: every settings path the guide uses (front
//! matter and body), by segment, with the sections that use each one.

use std::collections::BTreeMap;

use crate::content::model::SectionIndex;
use crate::source::settings::SettingsPath;

/// A node of the settings map: one segment, the sections that use exactly this
/// path, and the deeper segments below it.
#[derive(Debug, Default, Clone)]
pub struct SettingsNode {
    pub children: BTreeMap<String, SettingsNode>,
    /// The full path when some section uses this node as a complete path.
    pub path: Option<SettingsPath>,
    /// Indexes of the sections using this exact path, in guide order.
    pub sections: Vec<SectionIndex>,
}

impl SettingsNode {
    /// Adds a section's use of `path` to the tree.
    pub fn insert(&mut self, path: &SettingsPath, section: SectionIndex) {
        let mut node = self;
        for segment in path.segments() {
            node = node.children.entry(segment.to_string()).or_default();
        }
        node.path = Some(path.clone());
        if !node.sections.contains(&section) {
            node.sections.push(section);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tree_groups_shared_prefixes() {
        let mut root = SettingsNode::default();
        root.insert(&SettingsPath::parse("Settings > General > About").unwrap(), SectionIndex(0));
        root.insert(&SettingsPath::parse("Settings > General").unwrap(), SectionIndex(1));
        root.insert(&SettingsPath::parse("Settings > General > About").unwrap(), SectionIndex(2));
        let general = &root.children["Settings"].children["General"];
        assert_eq!(general.sections, vec![SectionIndex(1)]);
        assert_eq!(general.children["About"].sections, vec![SectionIndex(0), SectionIndex(2)]);
    }
}
