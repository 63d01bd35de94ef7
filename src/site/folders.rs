//! The guide's folders as readers browse them: every folder that holds a
//! section (directly or below) gets a title (its `index.md`'s, else its name),
//! a summary, an order among its siblings (the `index.md`'s weight, then where
//! its first section comes in reading order) and a landing page
//! (`<folder>/index.html`). Sections at the top of the guide that do not fit
//! on the home page are listed on pages `all-fixes/<n>.html`.

use std::collections::BTreeMap;

use crate::content::model::{Guide, SectionIndex};
use crate::paths;

/// At most this many top-level sections are listed on the home page itself;
/// more go to `all-fixes/<n>.html`, so the home page stays small at any size.
pub const HOME_SECTIONS: usize = 48;
/// Sections per `all-fixes/<n>.html` page.
pub const PAGE_SECTIONS: usize = 250;
/// The folder of the overflow pages (a section page inside it is reported as a collision).
pub const ALL_FIXES_DIR: &str = "all-fixes/";

#[derive(Debug, Clone)]
pub struct FolderNode {
    /// Path relative to the guide (`""` for the top of the guide).
    pub path: String,
    pub title: String,
    pub summary: String,
    /// The body of the folder's `index.md`, rendered for its landing page.
    pub intro_html: String,
    /// Sub-folders that hold sections, in order.
    pub children: Vec<String>,
    /// Sections directly in this folder, in reading order.
    pub sections: Vec<SectionIndex>,
    /// Sections in this folder and below.
    pub total: usize,
    weight: i64,
    first: SectionIndex,
}

/// Every folder holding a section, with the top of the guide as `""`.
#[derive(Debug, Clone, Default)]
pub struct FolderTree {
    nodes: BTreeMap<String, FolderNode>,
}

impl FolderTree {
    pub fn new(guide: &Guide) -> Self {
        let mut nodes: BTreeMap<String, FolderNode> = BTreeMap::new();
        let described: BTreeMap<&str, &crate::content::model::Folder> = guide.folders.iter().map(|f| (f.path.as_str(), f)).collect();
        fn node<'n>(
            nodes: &'n mut BTreeMap<String, FolderNode>,
            described: &BTreeMap<&str, &crate::content::model::Folder>,
            path: &str,
            first: SectionIndex,
        ) -> &'n mut FolderNode {
            nodes.entry(path.to_string()).or_insert_with(|| {
                let d = described.get(path);
                FolderNode {
                    path: path.to_string(),
                    title: d.and_then(|d| d.title.clone()).unwrap_or_else(|| label(path)),
                    summary: d.and_then(|d| d.summary.clone()).unwrap_or_default(),
                    intro_html: d.map(|d| d.intro.html.clone()).unwrap_or_default(),
                    children: Vec::new(),
                    sections: Vec::new(),
                    total: 0,
                    weight: d.map_or(0, |d| d.weight),
                    first,
                }
            })
        }
        for (i, s) in guide.indexed_sections() {
            let folder = paths::parent(&s.source);
            node(&mut nodes, &described, folder, i).sections.push(i);
            // Count the section in every folder up to the top, creating them.
            let mut at = folder;
            loop {
                node(&mut nodes, &described, at, i).total += 1;
                if at.is_empty() {
                    break;
                }
                at = paths::parent(at);
            }
        }
        if nodes.is_empty() {
            nodes.insert(
                String::new(),
                FolderNode {
                    path: String::new(),
                    title: String::new(),
                    summary: String::new(),
                    intro_html: String::new(),
                    children: Vec::new(),
                    sections: Vec::new(),
                    total: 0,
                    weight: 0,
                    first: SectionIndex(0),
                },
            );
        }
        let mut children: BTreeMap<String, Vec<(i64, SectionIndex, String)>> = BTreeMap::new();
        for n in nodes.values().filter(|n| !n.path.is_empty()) {
            children.entry(paths::parent(&n.path).to_string()).or_default().push((n.weight, n.first, n.path.clone()));
        }
        for (parent, mut kids) in children {
            kids.sort();
            if let Some(p) = nodes.get_mut(&parent) {
                p.children = kids.into_iter().map(|(_, _, path)| path).collect();
            }
        }
        FolderTree { nodes }
    }

    pub fn get(&self, path: &str) -> Option<&FolderNode> {
        self.nodes.get(path)
    }

    pub fn root(&self) -> &FolderNode {
        &self.nodes[""]
    }

    /// Folders other than the top, in path order.
    pub fn folders(&self) -> impl Iterator<Item = &FolderNode> {
        self.nodes.values().filter(|n| !n.path.is_empty())
    }

    /// The title of the folder a section file is in (`""` at the top).
    pub fn title_of_section(&self, source: &str) -> &str {
        self.get(paths::parent(source)).map_or("", |n| n.title.as_str())
    }

    /// The folders from the top down to `path` (the top itself left out).
    pub fn ancestry(&self, path: &str) -> Vec<&FolderNode> {
        let mut out = Vec::new();
        let mut at = path;
        while !at.is_empty() {
            if let Some(n) = self.get(at) {
                out.push(n);
            }
            at = paths::parent(at);
        }
        out.reverse();
        out
    }

    /// `path` and every folder below it, depth first, in order.
    pub fn subtree(&self, path: &str) -> Vec<&FolderNode> {
        let mut out = Vec::new();
        let mut stack = vec![path];
        while let Some(p) = stack.pop() {
            if let Some(n) = self.get(p) {
                out.push(n);
                stack.extend(n.children.iter().rev().map(String::as_str));
            }
        }
        out
    }

    /// The pages listing the top-level sections when they do not fit on the home page.
    pub fn overflow_pages(&self) -> usize {
        let n = self.root().sections.len();
        if n <= HOME_SECTIONS { 0 } else { n.div_ceil(PAGE_SECTIONS) }
    }
}

/// A folder's landing page.
pub fn landing_page(path: &str) -> String {
    format!("{path}/index.html")
}

/// Page `n` (from 1) of the top-level sections.
pub fn overflow_page(n: usize) -> String {
    format!("{ALL_FIXES_DIR}{n}.html")
}

/// A folder's name as a title, when it has no `index.md` title: `file-shares` → `File shares`.
pub fn label(path: &str) -> String {
    let name = path.rsplit('/').next().unwrap_or("").replace(['-', '_'], " ");
    let mut chars = name.trim().chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::loader::{GuideFiles, SourceFile};
    use std::sync::Arc;

    fn guide(files: &[(&str, &str)]) -> Guide {
        let src = |(p, t): &(&str, &str)| SourceFile { path: p.to_string(), text: Arc::from(*t) };
        let gf = GuideFiles {
            config: Some(SourceFile { path: "guide.toml".into(), text: Arc::from("title = 'g'") }),
            sections: files.iter().filter(|(p, _)| !p.ends_with("index.md")).map(src).collect(),
            folder_indexes: files.iter().filter(|(p, _)| p.ends_with("/index.md")).map(src).collect(),
            ..GuideFiles::default()
        };
        crate::content::model::build(gf, false).0.unwrap()
    }

    #[test]
    fn folders_get_titles_order_and_counts() {
        let g = guide(&[
            ("a/one.md", "---\ntitle: One\nweight: 1\n---\nx\n"),
            ("b/two.md", "---\ntitle: Two\nweight: 2\n---\nx\n"),
            ("b/deep/three.md", "---\ntitle: Three\nweight: 3\n---\nx\n"),
            ("top.md", "---\ntitle: Top\nweight: 4\n---\nx\n"),
            ("b/index.md", "---\ntitle: Bee things\nsummary: All of B.\nweight: -1\n---\nIntro of *B*.\n"),
        ]);
        let t = FolderTree::new(&g);
        // b's index.md weight puts it before a.
        assert_eq!(t.root().children, ["b", "a"]);
        assert_eq!(t.root().total, 4);
        assert_eq!(t.root().sections.len(), 1);
        let b = t.get("b").unwrap();
        assert_eq!((b.title.as_str(), b.summary.as_str(), b.total, b.children.as_slice()), ("Bee things", "All of B.", 2, &["b/deep".to_string()][..]));
        assert!(b.intro_html.contains("<em>B</em>"));
        assert_eq!(t.get("b/deep").unwrap().title, "Deep");
        assert_eq!(t.ancestry("b/deep").iter().map(|n| n.path.as_str()).collect::<Vec<_>>(), ["b", "b/deep"]);
        assert_eq!(t.subtree("b").iter().map(|n| n.path.as_str()).collect::<Vec<_>>(), ["b", "b/deep"]);
        assert_eq!(t.title_of_section("b/deep/three.md"), "Deep");
        assert_eq!(t.overflow_pages(), 0);
        assert_eq!(label("file-shares"), "File shares");
    }

    #[test]
    fn many_top_level_sections_overflow_to_pages() {
        let files: Vec<(String, String)> = (0..HOME_SECTIONS + 1).map(|i| (format!("s{i}.md"), format!("---\ntitle: S{i}\n---\nx\n"))).collect();
        let refs: Vec<(&str, &str)> = files.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        let t = FolderTree::new(&guide(&refs));
        assert_eq!(t.overflow_pages(), 1);
        assert_eq!(overflow_page(1), "all-fixes/1.html");
    }
}
