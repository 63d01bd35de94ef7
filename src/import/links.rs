//! Every link of the imported pages made to resolve in the guide: `.md`/`.mdx`
//! links to the page's new path, site URLs (`/docs/get-started`,
//! `../options/`, `/img/x.png`, `/troubleshoot/…/<article>`) to the file they
//! name, anchors to the id fixbook gives the heading (matched by fixbook's,
//! GitHub's and Python-Markdown's slug rules). A link whose file is not in SRC
//! keeps its text without the link; an anchor with no heading is dropped
//! from the link. Code is never rewritten.

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{Event, LinkType, Parser, Tag, TagEnd};

use super::Report;
use super::body::join;
use super::project::Page;
use crate::content::markdown::{self, BodyInput};
use crate::slug::{github_slug, slugify};

/// A page's link targets: its ids, and other spellings of its headings' ids.
struct Targets {
    ids: HashSet<String>,
    alias: HashMap<String, String>,
}

fn targets(page: &Page) -> Targets {
    let page_path = format!("{}.html", page.guide_path.trim_end_matches(".md"));
    let rendered = markdown::render(&BodyInput { file: &page.guide_path, text: &page.body, body_start: 0, page: &page_path, title: Some(&page.title) });
    let ids: HashSet<String> = rendered.ids.into_iter().collect();
    let mut alias = HashMap::new();
    for h in &rendered.headings {
        for other in [python_markdown_slug(&h.text), github_slug(&h.text), slugify(&h.text), h.text.to_lowercase()] {
            alias.entry(other).or_insert_with(|| h.id.clone());
        }
    }
    Targets { ids, alias }
}

/// Python-Markdown's `toc` slug (MkDocs): NFKD, ASCII only, lowercase, word
/// characters, spaces and `-` kept, runs of spaces and `-` become one `-`.
fn python_markdown_slug(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let ascii: String = text.nfkd().filter(|c| c.is_ascii()).collect();
    let kept: String =
        ascii.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-' || c.is_whitespace()).collect::<String>().trim().to_lowercase();
    let mut out = String::new();
    for c in kept.chars() {
        if c == '-' || c.is_whitespace() {
            if !out.ends_with('-') {
                out.push('-');
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(f, _)| f)
}

/// How `target` (guide path) is written from a page at `from`.
fn relative(from: &str, target: &str) -> String {
    let from: Vec<&str> = parent(from).split('/').filter(|s| !s.is_empty()).collect();
    let to: Vec<&str> = target.split('/').collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = vec!["..".to_string(); from.len() - common];
    parts.extend(to[common..].iter().map(|p| p.to_string()));
    parts.join("/")
}

/// What a link becomes.
enum Resolved {
    Keep,
    /// New destination.
    Dest(String),
    /// No such file: keep the text only.
    Unlink,
}

struct Ctx<'a> {
    /// Guide path of every page, by SRC path and by guide path.
    by_source: HashMap<&'a str, &'a str>,
    guide_pages: HashSet<&'a str>,
    assets: HashSet<&'a str>,
    url_map: &'a HashMap<String, String>,
    /// Path suffix (`a/b`) → guide path, for site-absolute links.
    suffixes: HashMap<String, Option<String>>,
    targets: HashMap<&'a str, Targets>,
    /// Where site-absolute links that name no file of SRC lead (Learn articles: learn.microsoft.com).
    site_url: Option<&'a str>,
}

impl Ctx<'_> {
    fn fragment(&self, page: &str, frag: &str, report: &mut Report) -> Option<String> {
        let decoded = percent_encoding::percent_decode_str(frag).decode_utf8_lossy().into_owned();
        let t = self.targets.get(page)?;
        if t.ids.contains(&decoded) {
            return Some(frag.to_string());
        }
        let found = t.alias.get(&decoded).or_else(|| t.alias.get(&decoded.to_lowercase()));
        match found {
            Some(id) => {
                report.anchors_rewritten += 1;
                Some(crate::paths::encode_fragment(id))
            }
            None => {
                report.anchors_dropped += 1;
                None
            }
        }
    }

    /// The guide path a written path names, from a page at `from` (guide path).
    fn find(&self, from: &str, source_from: &str, path: &str) -> Option<String> {
        let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy().into_owned();
        let path = decoded.trim_end_matches('/');
        let md = |p: String| -> Option<String> {
            if let Some(g) = self.by_source.get(p.as_str()) {
                return Some(g.to_string());
            }
            None
        };
        // A file of SRC, relative to the page's SRC folder.
        if let Some(p) = join(parent(source_from), path) {
            if let Some(g) = md(p.clone()) {
                return Some(g);
            }
            for ext in [".md", ".mdx"] {
                if let Some(g) = md(format!("{p}{ext}")) {
                    return Some(g);
                }
            }
        }
        // Relative to the guide folder of the page (assets, pages by URL).
        let bases = [parent(from).to_string(), from.trim_end_matches(".md").to_string()];
        for base in bases.iter() {
            if let Some(p) = join(base, path) {
                for key in [p.clone(), p.trim_end_matches(".md").to_string(), p.trim_end_matches(".html").to_string()] {
                    if self.assets.contains(key.as_str()) || self.guide_pages.contains(key.as_str()) {
                        return Some(key);
                    }
                    if let Some(g) = self.url_map.get(&key) {
                        return Some(g.clone());
                    }
                }
            }
            if path.starts_with('/') {
                break;
            }
        }
        // Site-absolute: drop leading segments until a page or file answers.
        if path.starts_with('/') {
            let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
            for start in 0..segments.len() {
                let key = segments[start..].join("/");
                if let Some(g) = self.url_map.get(&key) {
                    return Some(g.clone());
                }
                if let Some(Some(g)) = self.suffixes.get(&key)
                    && start + 1 >= segments.len().saturating_sub(3)
                {
                    return Some(g.clone());
                }
            }
        }
        None
    }

    fn resolve(&self, from: &str, source_from: &str, dest: &str, report: &mut Report) -> Resolved {
        if crate::paths::is_external(dest) || dest.is_empty() {
            return Resolved::Keep;
        }
        let (path, frag) = match dest.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (dest, None),
        };
        if path.is_empty() {
            let f = frag.unwrap_or_default();
            return match self.fragment(from, f, report) {
                Some(new) if new == f => Resolved::Keep,
                Some(new) => Resolved::Dest(format!("#{new}")),
                // An anchor that matches nothing on its own page: the link goes, its text stays.
                None => Resolved::Unlink,
            };
        }
        let Some(target) = self.find(from, source_from, path) else {
            return match self.site_url {
                Some(site) if dest.starts_with('/') && !dest.starts_with("//") => {
                    report.links_to_site += 1;
                    Resolved::Dest(format!("{site}{dest}"))
                }
                _ => Resolved::Unlink,
            };
        };
        let mut new = relative(from, &target);
        new = crate::paths::encode_url_path(&new);
        if let Some(f) = frag
            && let Some(nf) = self.fragment(&target, f, report)
        {
            new.push('#');
            new.push_str(&nf);
        }
        if new == dest {
            Resolved::Keep
        } else {
            report.links_rewritten += 1;
            Resolved::Dest(new)
        }
    }
}

pub(super) fn resolve(pages: &mut [Page], assets: &[(String, Vec<u8>)], url_map: &HashMap<String, String>, site_url: Option<&str>, report: &mut Report) {
    let snapshot: Vec<Page> = pages.to_vec();
    let mut suffixes: HashMap<String, Option<String>> = HashMap::new();
    for p in &snapshot {
        let stem = p.guide_path.trim_end_matches(".md");
        let segs: Vec<&str> = stem.split('/').collect();
        for i in 0..segs.len() {
            let key = segs[i..].join("/");
            suffixes.entry(key).and_modify(|v| *v = None).or_insert_with(|| Some(p.guide_path.clone()));
        }
    }
    let ctx = Ctx {
        by_source: snapshot.iter().map(|p| (p.source_path.as_str(), p.guide_path.as_str())).collect(),
        guide_pages: snapshot.iter().map(|p| p.guide_path.as_str()).collect(),
        assets: assets.iter().map(|(p, _)| p.as_str()).collect(),
        url_map,
        suffixes,
        targets: snapshot.iter().map(|p| (p.guide_path.as_str(), targets(p))).collect(),
        site_url,
    };
    for page in pages.iter_mut() {
        page.body = rewrite(&page.body, &page.guide_path, &page.source_path, &ctx, report);
    }
}

/// Rewrites the destinations of inline links, images and reference
/// definitions in `body`.
fn rewrite(body: &str, from: &str, source_from: &str, ctx: &Ctx, report: &mut Report) -> String {
    // (range of the whole link, range of its destination in the source, text range)
    let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    let mut open: Vec<(usize, String, LinkType, bool)> = Vec::new();
    let mut text_start = Vec::new();
    for (event, range) in Parser::new_ext(body, markdown::options()).into_offset_iter() {
        match event {
            Event::Start(Tag::Link { link_type, dest_url, .. }) => {
                open.push((range.start, dest_url.to_string(), link_type, false));
                text_start.push(range.clone());
            }
            Event::Start(Tag::Image { link_type, dest_url, .. }) => {
                open.push((range.start, dest_url.to_string(), link_type, true));
                text_start.push(range.clone());
            }
            Event::End(TagEnd::Link) | Event::End(TagEnd::Image) => {
                let Some((_, dest, link_type, is_image)) = open.pop() else { continue };
                let Some(whole) = text_start.pop() else { continue };
                if !matches!(link_type, LinkType::Inline) {
                    continue; // reference links: their definitions are rewritten below
                }
                match ctx.resolve(from, source_from, &dest, report) {
                    Resolved::Keep => {}
                    Resolved::Dest(new) => {
                        let src = &body[whole.clone()];
                        if let Some(pos) = src.rfind(&dest).filter(|p| *p > src.find("](").unwrap_or(0)) {
                            edits.push((whole.start + pos..whole.start + pos + dest.len(), new));
                        }
                    }
                    Resolved::Unlink => {
                        report.links_unlinked += 1;
                        let src = &body[whole.clone()];
                        let open_len = if is_image { 2 } else { 1 };
                        if let Some(close) = src.rfind("](") {
                            let label = &src[open_len..close];
                            edits.push((whole.clone(), if is_image { label.replace('\n', " ") } else { label.to_string() }));
                        }
                    }
                }
            }
            _ => {}
        }
    }
    // Reference definitions: `[ref]: destination "title"`, outside code.
    let mut offset = 0;
    let mut in_fence = false;
    for line in body.split_inclusive('\n') {
        let t = line.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            in_fence = !in_fence;
        }
        if !in_fence
            && t.starts_with('[')
            && !t.starts_with("[!")
            && let Some(close) = t.find("]:")
        {
            let after = &t[close + 2..];
            let dest = after.split_whitespace().next().unwrap_or("").trim_matches(['<', '>']);
            let lead = line.len() - t.len() + close + 2 + (after.len() - after.trim_start().len());
            if !dest.is_empty() {
                match ctx.resolve(from, source_from, dest, report) {
                    Resolved::Dest(new) => edits.push((offset + lead..offset + lead + dest.len(), new)),
                    Resolved::Unlink => {
                        report.links_unlinked += 1;
                        edits.push((offset + lead..offset + lead + dest.len(), "#".to_string()));
                    }
                    Resolved::Keep => {}
                }
            }
        }
        offset += line.len();
    }
    edits.sort_by_key(|(r, _)| (r.start, std::cmp::Reverse(r.end)));
    let mut out = String::with_capacity(body.len());
    let mut at = 0;
    for (range, new) in edits {
        if range.start < at {
            continue; // inside an edit already made (a link in an image label)
        }
        out.push_str(&body[at..range.start]);
        out.push_str(&new);
        at = range.end;
    }
    out.push_str(&body[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_of_other_tools() {
        assert_eq!(python_markdown_slug("Optional: Erhöhung der Priorität"), "optional-erhohung-der-prioritat");
        assert_eq!(relative("a/b.md", "c/d.md"), "../c/d.md");
        assert_eq!(relative("a.md", "img/x.png"), "img/x.png");
    }
}
