//! Output pages: a section or file that would land on a page fixbook
//! generates, pages that differ only in case (they collide on macOS and
//! Windows hosts), and sections with no content at all.

use std::collections::HashMap;

use crate::content::model::{Guide, Section};
use crate::diagnostics::{Code, Diagnostic};

/// Output pages that fixbook itself generates at the root; a section may not use them.
pub const RESERVED_PAGES: &[&str] = &["index.html", "404.html", "print.html", "settings.html", "search.html", "sitemap.xml"];
/// Folders fixbook generates; sections inside them would collide.
pub const RESERVED_FOLDERS: &[&str] = &["symptoms/", "checklists/", "_fixbook/"];
/// The pages of top-level sections the home page links to when there are many
/// (`all-fixes/<n>.html`, `site::folders`): a section or file there would collide.
fn is_all_fixes_page(page: &str) -> bool {
    page.strip_prefix("all-fixes/").and_then(|p| p.strip_suffix(".html")).is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

pub(super) fn check_pages(guide: &Guide, out: &mut Vec<Diagnostic>) {
    let mut by_page: HashMap<String, &Section> = HashMap::new();
    for section in guide.sections.iter().chain(&guide.drafts) {
        if RESERVED_PAGES.contains(&section.page.as_str()) || RESERVED_FOLDERS.iter().any(|f| section.page.starts_with(f)) || is_all_fixes_page(&section.page) {
            out.push(
                Diagnostic::error(
                    Code::PageCollision,
                    &section.source,
                    0..0,
                    format!("`{}` would overwrite the page fixbook generates at `{}`", section.source, section.page),
                )
                .with_help("rename the file"),
            );
        }
        // Pages that differ only in case collide on macOS and Windows hosts.
        let key = section.page.to_lowercase();
        if let Some(first) = by_page.get(&key) {
            out.push(
                Diagnostic::error(
                    Code::PageCollision,
                    &section.source,
                    0..0,
                    format!("`{}` and `{}` map to the same page `{}`", first.source, section.source, section.page),
                )
                .with_help("page names are compared without case, as on macOS and Windows; rename one file"),
            );
        } else {
            by_page.insert(key, section);
        }
    }
    // A copied file would silently replace the page written at the same path.
    // A folder's landing page is `<folder>/index.html`, for every folder above a section.
    let mut folders = std::collections::HashSet::new();
    for s in &guide.sections {
        let mut at = crate::paths::parent(&s.source);
        while !at.is_empty() && folders.insert(at) {
            at = crate::paths::parent(at);
        }
    }
    for asset in &guide.assets {
        let landing = asset.path.strip_suffix("/index.html").is_some_and(|folder| folders.contains(folder));
        let reserved = RESERVED_PAGES.contains(&asset.path.as_str())
            || RESERVED_FOLDERS.iter().any(|f| asset.path.starts_with(f))
            || is_all_fixes_page(&asset.path)
            || landing;
        let section = by_page.get(&asset.path.to_lowercase());
        if reserved || section.is_some() {
            let owner = section.map_or_else(|| "fixbook generates".to_string(), |s| format!("`{}` becomes", s.source));
            out.push(
                Diagnostic::error(
                    Code::PageCollision,
                    &asset.path,
                    0..0,
                    format!("the file `{}` would overwrite the page {owner} at the same path", asset.path),
                )
                .with_help("rename or move the file"),
            );
        }
    }
}

pub(super) fn check_empty(guide: &Guide, out: &mut Vec<Diagnostic>) {
    for section in &guide.sections {
        if section.body.word_count == 0 && section.body.html.trim().is_empty() {
            let end = section.text.len();
            out.push(
                Diagnostic::warning(Code::EmptySection, &section.source, end..end, format!("section `{}` has no content", section.title))
                    .with_help("write the steps that fix the problem, or mark the section `draft: true`"),
            );
        }
    }
}
