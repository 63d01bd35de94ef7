//! `fixbook import SRC -o GUIDE`: an existing documentation folder (plain
//! Markdown, mdBook, MkDocs, Docusaurus, Microsoft Learn/DocFX articles)
//! becomes a fixbook guide. Pure: the files of SRC in (read by
//! `source::loader::read_folder`), the files of GUIDE and a report out
//! (written by `output::writer::create_new_folder`, which refuses a non-empty
//! GUIDE). SRC is never touched.
//!
//! `project.rs` finds the format, the content folder, titles and order;
//! `body.rs` rewrites extension syntax (admonitions, includes, tabs) into
//! what fixbook renders; `links.rs` makes every link and anchor resolve in
//! the guide; `mine.rs` suggests symptoms.

mod body;
mod links;
mod mine;
mod project;

use std::collections::BTreeMap;
use std::fmt::Write as _;

pub use project::Format;

/// What `import` made of SRC.
pub struct Imported {
    /// Files of the new guide: (path, bytes), sorted.
    pub files: Vec<(String, Vec<u8>)>,
    pub report: Report,
}

/// Counts for the user, printed by `main.rs`.
#[derive(Debug, Default, Clone)]
pub struct Report {
    pub format: Option<Format>,
    pub content_root: String,
    pub sections: usize,
    pub assets: usize,
    /// Front-matter keys dropped, by key.
    pub dropped_keys: BTreeMap<String, usize>,
    pub admonitions: usize,
    pub includes_inlined: usize,
    pub includes_dropped: usize,
    pub links_rewritten: usize,
    pub links_unlinked: usize,
    /// Site-absolute links to the original site (Learn: learn.microsoft.com).
    pub links_to_site: usize,
    pub anchors_rewritten: usize,
    pub anchors_dropped: usize,
    pub symptoms: usize,
}

impl Report {
    /// The lines `fixbook import` prints.
    pub fn render(&self, src: &str, guide: &str) -> String {
        let mut out = String::new();
        let format = self.format.map_or("plain Markdown folder", Format::label);
        let root = if self.content_root.is_empty() { String::new() } else { format!(" (content in `{}/`)", self.content_root) };
        let _ = writeln!(out, "imported {src} ({format}{root}) into {guide}: {} sections, {} other files", self.sections, self.assets);
        let _ = writeln!(
            out,
            "  {} admonitions became callouts; {} includes inlined, {} dropped (target outside SRC)",
            self.admonitions, self.includes_inlined, self.includes_dropped
        );
        let _ = writeln!(
            out,
            "  links: {} rewritten to guide files, {} to the original site, {} kept as text (no such file in SRC); anchors: {} rewritten, {} dropped (no such heading)",
            self.links_rewritten, self.links_to_site, self.links_unlinked, self.anchors_rewritten, self.anchors_dropped
        );
        if self.dropped_keys.is_empty() {
            let _ = writeln!(out, "  front matter: no key dropped");
        } else {
            let total: usize = self.dropped_keys.values().sum();
            let keys: Vec<String> = self.dropped_keys.iter().map(|(k, n)| format!("{k} {n}")).collect();
            let _ = writeln!(out, "  front matter: {total} unknown keys dropped ({})", keys.join(", "));
        }
        let _ = writeln!(out, "  symptoms.yml: {} suggested symptoms mined from the articles — review them before publishing", self.symptoms);
        out
    }
}

/// Converts the files of SRC (`format` forces a format; `None` detects it).
pub fn import(src: &[(String, Vec<u8>)], format: Option<Format>, site_name: &str) -> Imported {
    let mut report = Report::default();
    let project = project::read(src, format);
    report.format = project.format;
    report.content_root = project.root.clone();
    let mut pages = project.pages;
    for page in &pages {
        for key in &page.dropped {
            *report.dropped_keys.entry(key.clone()).or_default() += 1;
        }
    }
    // Bodies: extension syntax first (admonitions, includes), then links,
    // which need every page's final headings.
    for page in &mut pages {
        let converted = body::convert(&page.body, &page.source_path, src, &project.includes_root, &mut report);
        page.body = converted;
    }
    let assets = project.assets;
    // Learn articles link to other Learn pages by site path.
    let site_url = (project.format == Some(Format::Learn)).then_some("https://learn.microsoft.com/en-us");
    links::resolve(&mut pages, &assets, &project.url_map, site_url, &mut report);
    let symptoms = mine::mine(&mut pages);
    report.symptoms = symptoms.len();
    report.sections = pages.len();
    report.assets = assets.len();

    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let description = project.description.unwrap_or_default();
    let title = project.title.unwrap_or_else(|| site_name.to_string());
    files.push(("guide.toml".into(), guide_toml(&title, &description).into_bytes()));
    files.push(("symptoms.yml".into(), mine::catalog(&symptoms).into_bytes()));
    for page in &pages {
        files.push((page.guide_path.clone(), page.render().into_bytes()));
    }
    for (path, bytes) in assets {
        files.push((path, bytes));
    }
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files.dedup_by(|a, b| a.0 == b.0);
    Imported { files, report }
}

fn guide_toml(title: &str, description: &str) -> String {
    let mut out = format!("title = {}\n", toml_string(title));
    if !description.is_empty() {
        let _ = writeln!(out, "description = {}", toml_string(description));
    }
    out.push_str("language = \"en\"\n");
    out
}

/// A TOML basic string (JSON's escapes are TOML's).
fn toml_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

/// A YAML double-quoted scalar (JSON strings are valid YAML).
fn yaml_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(list: &[(&str, &str)]) -> Vec<(String, Vec<u8>)> {
        list.iter().map(|(p, t)| (p.to_string(), t.as_bytes().to_vec())).collect()
    }

    fn text<'a>(out: &'a Imported, path: &str) -> &'a str {
        std::str::from_utf8(
            &out.files.iter().find(|(p, _)| p == path).unwrap_or_else(|| panic!("no {path}: {:?}", out.files.iter().map(|f| &f.0).collect::<Vec<_>>())).1,
        )
        .unwrap()
    }

    #[test]
    fn a_plain_folder_gets_titles_from_h1s_and_keeps_links() {
        let out =
            import(&files(&[("a.md", "# Fix the printer\n\nSee [b](b.md#step-one).\n"), ("b.md", "# B\n\n## Step one\n"), ("img/x.png", "png")]), None, "Docs");
        let a = text(&out, "a.md");
        assert!(a.starts_with("---\ntitle: \"Fix the printer\"\n"), "{a}");
        assert!(a.contains("[b](b.md#step-one)"), "{a}");
        assert!(text(&out, "guide.toml").contains("title = \"Docs\""));
        assert_eq!(out.report.sections, 2);
        assert_eq!(out.report.assets, 1);
    }
}
