//! Output pages: a section or file that would land on a page fixbook
//! generates, pages that differ only in case (they collide on macOS and
//! Windows hosts), and sections with no content at all.

use std::collections::HashMap;

use crate::content::model::{Guide, Section};
use crate::diagnostics::{Code, Diagnostic};

/// Output pages that fixbook itself generates at the root; a section may not use them.
pub const RESERVED_PAGES: &[&str] = &["index.html", "404.html", "print.html", "settings.html", "search.html", "guided.html", "sitemap.xml"];
/// Folders fixbook generates; sections inside them would collide.
pub const RESERVED_FOLDERS: &[&str] = &["symptoms/", "checklists/", "_fixbook/"];
/// The pages of top-level sections the home page links to when there are many
/// (`all-fixes/<n>.html`, `site::folders`): a section or file there would collide.
fn is_all_fixes_page(page: &str) -> bool {
    page.strip_prefix("all-fixes/").and_then(|p| p.strip_suffix(".html")).is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// The longest file name most file systems accept (ext4, APFS, NTFS), in bytes.
pub const NAME_MAX: usize = 255;

/// Is `path` (an output path) one fixbook generates? Compared without case,
/// since `Index.html` and `index.html` are one file on macOS and Windows hosts.
fn is_reserved(path: &str) -> bool {
    let lower = path.to_lowercase();
    RESERVED_PAGES.contains(&lower.as_str()) || RESERVED_FOLDERS.iter().any(|f| lower.starts_with(f)) || is_all_fixes_page(&lower)
}

pub(super) fn check_pages(guide: &Guide, out: &mut Vec<Diagnostic>) {
    let mut by_page: HashMap<String, &Section> = HashMap::new();
    for section in guide.sections.iter().chain(&guide.drafts) {
        // `.md` becomes `.html`: a name that fits the file system as a source may not as a page.
        if let Some(name) = section.page.rsplit('/').next().filter(|n| n.len() > NAME_MAX) {
            out.push(
                Diagnostic::error(
                    Code::NameTooLong,
                    &section.source,
                    0..0,
                    format!("the page of this section, `{name}`, would be {} bytes long; file systems allow {NAME_MAX}", name.len()),
                )
                .with_help(format!("shorten the file name by at least {} bytes", name.len() - NAME_MAX)),
            );
        }
        if is_reserved(&section.page) {
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
        let reserved = is_reserved(&asset.path) || landing;
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
    check_folders_named_like_files(guide, &by_page, out);
}

/// A folder named like a file of the site (`index.html/b.md`, `a.html/c.md`
/// beside `a.md`, `x.html/img.png` beside `x.md`): the file and the folder
/// cannot both exist in the output, and which one won changed between runs.
fn check_folders_named_like_files(guide: &Guide, by_page: &HashMap<String, &Section>, out: &mut Vec<Diagnostic>) {
    let mut files: HashMap<String, String> = RESERVED_PAGES.iter().map(|p| (p.to_string(), "the page fixbook generates".to_string())).collect();
    for (page, section) in by_page {
        files.entry(page.clone()).or_insert_with(|| format!("the page of `{}`", section.source));
    }
    for asset in &guide.assets {
        files.entry(asset.path.to_lowercase()).or_insert_with(|| format!("the file `{}`", asset.path));
    }
    let outputs = guide
        .sections
        .iter()
        .chain(&guide.drafts)
        .map(|s| (s.source.as_str(), s.page.as_str()))
        .chain(guide.assets.iter().map(|a| (a.path.as_str(), a.path.as_str())));
    for (source, path) in outputs {
        let lower = path.to_lowercase();
        let folder = lower.match_indices('/').map(|(i, _)| &lower[..i]).find(|folder| files.contains_key(*folder));
        if let Some(folder) = folder {
            let written = &path[..folder.len()];
            out.push(
                Diagnostic::error(
                    Code::PageCollision,
                    source,
                    0..0,
                    format!("the folder `{written}` of `{source}` has the name of {} in the site", files[folder]),
                )
                .with_help("rename the folder; a file and a folder cannot share a name"),
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
