//! What kind of documentation folder SRC is, where its pages are, and each
//! page's title, order and front matter: mdBook (`book.toml`, `SUMMARY.md`
//! order and titles), MkDocs (`mkdocs.yml` `nav`; `!!python/…` tags are
//! tolerated), Docusaurus (`sidebar_position`, `_category_.json`, `static/`),
//! Microsoft Learn/DocFX front matter (`title`, `description` → `summary`,
//! `ms.date` → `reviewed`), or a plain folder of `.md` files.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use serde_json::Value;

use super::yaml_string;
use crate::slug::slugify;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Plain,
    MdBook,
    MkDocs,
    Docusaurus,
    Learn,
}

impl Format {
    pub fn label(self) -> &'static str {
        match self {
            Format::Plain => "plain Markdown folder",
            Format::MdBook => "mdBook",
            Format::MkDocs => "MkDocs",
            Format::Docusaurus => "Docusaurus",
            Format::Learn => "Microsoft Learn/DocFX articles",
        }
    }

    pub fn parse(s: &str) -> Option<Format> {
        Some(match s {
            "plain" => Format::Plain,
            "mdbook" => Format::MdBook,
            "mkdocs" => Format::MkDocs,
            "docusaurus" => Format::Docusaurus,
            "learn" | "docfx" => Format::Learn,
            _ => return None,
        })
    }
}

/// One page of the guide being made.
#[derive(Debug, Clone, Default)]
pub(super) struct Page {
    /// Path in SRC.
    pub source_path: String,
    /// Path in GUIDE (`.md`).
    pub guide_path: String,
    pub title: String,
    pub summary: Option<String>,
    pub weight: Option<i64>,
    pub reviewed: Option<String>,
    pub applies_to: Vec<String>,
    pub symptoms: Vec<String>,
    pub draft: bool,
    pub body: String,
    /// Front-matter keys not carried over.
    pub dropped: Vec<String>,
    /// The root `index.md`: the home page's introduction, no front matter of ours.
    pub is_intro: bool,
}

impl Page {
    pub fn render(&self) -> String {
        if self.is_intro {
            return self.body.clone();
        }
        let mut fm = format!("---\ntitle: {}\n", yaml_string(&self.title));
        if let Some(s) = &self.summary {
            let _ = writeln!(fm, "summary: {}", yaml_string(s));
        }
        if let Some(w) = self.weight {
            let _ = writeln!(fm, "weight: {w}");
        }
        if !self.symptoms.is_empty() {
            let _ = writeln!(fm, "symptoms: [{}]", self.symptoms.join(", "));
        }
        if !self.applies_to.is_empty() {
            let list: Vec<String> = self.applies_to.iter().map(|a| yaml_string(a)).collect();
            let _ = writeln!(fm, "applies_to: [{}]", list.join(", "));
        }
        if let Some(r) = &self.reviewed {
            let _ = writeln!(fm, "reviewed: {r}");
        }
        if self.draft {
            fm.push_str("draft: true\n");
        }
        fm.push_str("---\n\n");
        fm.push_str(self.body.trim_start_matches(['\n', '\r']));
        if !fm.ends_with('\n') {
            fm.push('\n');
        }
        fm
    }
}

pub(super) struct Project {
    pub format: Option<Format>,
    /// The content folder inside SRC (`docs`, `src`; empty for SRC itself).
    pub root: String,
    pub title: Option<String>,
    pub description: Option<String>,
    pub pages: Vec<Page>,
    /// Other files to copy: (guide path, bytes).
    pub assets: Vec<(String, Vec<u8>)>,
    /// Where DocFX/MkDocs includes are looked up (SRC paths are used as is).
    pub includes_root: String,
    /// URL-like names of pages and assets → guide path, for links written as
    /// site URLs (`/docs/get-started`, `../options/`, `/img/x.png`).
    pub url_map: HashMap<String, String>,
}

fn text_of<'a>(src: &'a [(String, Vec<u8>)], path: &str) -> Option<&'a str> {
    src.iter().find(|(p, _)| p == path).and_then(|(_, b)| std::str::from_utf8(b).ok())
}

fn is_markdown(path: &str) -> bool {
    path.ends_with(".md") || path.ends_with(".mdx") || path.ends_with(".markdown")
}

/// Parses YAML into JSON values, tolerating tags YAML readers do not know
/// (MkDocs' `!!python/name:…`, `!ENV`, `!relative`): the tag is dropped.
pub(super) fn parse_yaml(text: &str) -> Option<Value> {
    let untagged: String = text
        .lines()
        .map(|line| {
            let mut out = String::with_capacity(line.len());
            let mut rest = line;
            while let Some(i) = rest.find('!') {
                let before = &rest[..i];
                let after = &rest[i..];
                let tag_len = after.find(|c: char| c.is_whitespace() || c == ',' || c == ']' || c == '}').unwrap_or(after.len());
                let at_value = before.trim_end().ends_with(':') || before.trim_end().ends_with('-') || before.trim().is_empty();
                if at_value && tag_len > 1 && !before.contains(['"', '\'', '#']) {
                    out.push_str(before);
                    let tag = &after[..tag_len];
                    // `!!python/name:x` has its value inside the tag: keep it as text.
                    let value = tag.split_once(':').map(|(_, v)| v).filter(|v| !v.is_empty());
                    if let Some(v) = value {
                        out.push_str(&yaml_string(v));
                    }
                    rest = &after[tag_len..];
                } else {
                    out.push_str(&rest[..=i]);
                    rest = &rest[i + 1..];
                }
            }
            out.push_str(rest);
            out
        })
        .collect::<Vec<_>>()
        .join("\n");
    serde_saphyr::from_str::<Value>(&untagged).ok()
}

/// Splits a leading `---` YAML block off; (front matter, body).
fn front_matter(text: &str) -> (Option<Value>, &str) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if let Ok(split) = crate::source::frontmatter::split(text)
        && split.format == crate::source::frontmatter::Format::Yaml
    {
        return (parse_yaml(&text[split.inner.clone()]), &text[split.body_start..]);
    }
    (None, text)
}

fn as_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A nav label as text: tags and `&nbsp` removed.
fn plain_label(label: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in label.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    let out = out.replace("&nbsp;", " ").replace("&nbsp", " ").replace("&amp;", "&");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn detect(src: &[(String, Vec<u8>)]) -> Format {
    let has = |p: &str| src.iter().any(|(f, _)| f == p);
    if has("book.toml") {
        Format::MdBook
    } else if has("mkdocs.yml") || has("mkdocs.yaml") {
        Format::MkDocs
    } else if src.iter().any(|(f, _)| f.ends_with("_category_.json") || f.starts_with("docusaurus.config")) {
        Format::Docusaurus
    } else if src.iter().filter(|(f, _)| is_markdown(f)).any(|(_, b)| {
        let t = String::from_utf8_lossy(&b[..b.len().min(4096)]).into_owned();
        t.starts_with("---") && t.lines().take(40).any(|l| l.starts_with("ms.date:") || l.starts_with("ms.topic:"))
    }) {
        Format::Learn
    } else {
        Format::Plain
    }
}

/// mdBook: `[book] src`, titles and order from SUMMARY.md.
fn mdbook(src: &[(String, Vec<u8>)]) -> (String, Option<String>, NavOrder) {
    let book: Option<toml::Value> = text_of(src, "book.toml").and_then(|t| toml::from_str(t).ok());
    let book = book.as_ref().and_then(|b| b.get("book"));
    let root = book.and_then(|b| b.get("src")).and_then(|s| s.as_str()).unwrap_or("src").trim_matches('/').to_string();
    let title = book.and_then(|b| b.get("title")).and_then(|s| s.as_str()).map(str::to_string);
    let mut order = Vec::new();
    if let Some(summary) = text_of(src, &format!("{root}/SUMMARY.md")) {
        for (event, _) in pulldown_cmark::Parser::new(summary).into_offset_iter() {
            if let pulldown_cmark::Event::Start(pulldown_cmark::Tag::Link { dest_url, .. }) = event
                && is_markdown(&dest_url)
            {
                order.push((dest_url.trim_start_matches("./").to_string(), String::new()));
            }
        }
        // Titles: the link texts, read again with their positions.
        let mut titles = Vec::new();
        let mut current: Option<String> = None;
        for event in pulldown_cmark::Parser::new(summary) {
            match event {
                pulldown_cmark::Event::Start(pulldown_cmark::Tag::Link { dest_url, .. }) if is_markdown(&dest_url) => current = Some(String::new()),
                pulldown_cmark::Event::Text(t) | pulldown_cmark::Event::Code(t) => {
                    if let Some(c) = current.as_mut() {
                        c.push_str(&t);
                    }
                }
                pulldown_cmark::Event::End(pulldown_cmark::TagEnd::Link) => {
                    if let Some(c) = current.take() {
                        titles.push(c);
                    }
                }
                _ => {}
            }
        }
        for (entry, title) in order.iter_mut().zip(titles) {
            entry.1 = title;
        }
    }
    (root, title, order)
}

/// Pages in reading order: (path relative to the content root, nav label).
type NavOrder = Vec<(String, String)>;

/// MkDocs: `docs_dir`, `site_name`, `site_description`, and the `nav` in order with its labels.
fn mkdocs(src: &[(String, Vec<u8>)]) -> (String, Option<String>, Option<String>, NavOrder) {
    let config = text_of(src, "mkdocs.yml").or_else(|| text_of(src, "mkdocs.yaml")).and_then(parse_yaml).unwrap_or(Value::Null);
    let root = config.get("docs_dir").and_then(Value::as_str).unwrap_or("docs").trim_matches('/').to_string();
    let mut order = Vec::new();
    fn walk(v: &Value, label: Option<&str>, out: &mut Vec<(String, String)>) {
        match v {
            Value::String(path) if is_markdown(path) => out.push((path.trim_start_matches('/').to_string(), label.map(plain_label).unwrap_or_default())),
            Value::Array(items) => items.iter().for_each(|i| walk(i, None, out)),
            Value::Object(map) => map.iter().for_each(|(k, v)| walk(v, Some(k), out)),
            _ => {}
        }
    }
    if let Some(nav) = config.get("nav") {
        walk(nav, None, &mut order);
    }
    let name = config.get("site_name").and_then(Value::as_str).map(str::to_string);
    let description = config.get("site_description").and_then(Value::as_str).map(str::to_string);
    (root, name, description, order)
}

/// The first `# Heading` of a body when nothing but blank lines, comments
/// and import lines come before it: the title the original site shows.
fn leading_h1(body: &str) -> Option<String> {
    for line in body.lines() {
        let t = line.trim();
        if t.is_empty() || t.starts_with("<!--") || t.starts_with("import ") {
            continue;
        }
        let rest = t.strip_prefix("# ")?;
        let rest = rest.split(" {").next().unwrap_or(rest).trim_end_matches('#').trim();
        let label = plain_label(rest);
        return Some(label).filter(|l| !l.is_empty());
    }
    None
}

/// `MM/DD/YYYY` (DocFX) or `YYYY-MM-DD` → `YYYY-MM-DD`.
fn date(s: &str) -> Option<String> {
    let s = s.trim();
    let parts: Vec<&str> = s.split(['/', '-']).collect();
    let n = |p: &str| p.parse::<u32>().ok();
    let (y, m, d) = match parts.as_slice() {
        [m, d, y] if y.len() == 4 => (n(y)?, n(m)?, n(d)?),
        [y, m, d] if y.len() == 4 => (n(y)?, n(m)?, n(d.get(..2).unwrap_or(d))?),
        _ => return None,
    };
    let text = format!("{y:04}-{m:02}-{d:02}");
    crate::source::date::Date::parse(&text).map(|_| text)
}

/// `_Applies to:_ &nbsp; Windows Server 2012 R2, Windows 10` near the top → list.
fn applies_to(body: &mut String) -> Vec<String> {
    let mut found = Vec::new();
    let mut offset = 0;
    for (i, line) in body.lines().enumerate() {
        if i > 20 {
            break;
        }
        let t = line.trim().trim_start_matches(['_', '*']);
        let lower = t.to_ascii_lowercase();
        if let Some(rest) = lower.strip_prefix("applies to") {
            let cut = t.len() - rest.len();
            let value = t[cut..].trim_start_matches([':', '_', '*']).replace("&nbsp;", " ");
            let value = value.trim().trim_start_matches([':', '_', '*']).trim();
            found = value.split(',').map(|v| v.trim().trim_matches(['_', '*']).to_string()).filter(|v| !v.is_empty()).collect();
            if !found.is_empty() {
                body.replace_range(offset..offset + line.len(), "");
            }
            break;
        }
        offset += line.len() + 1;
    }
    found
}

pub(super) fn read(src: &[(String, Vec<u8>)], forced: Option<Format>) -> Project {
    let format = forced.unwrap_or_else(|| detect(src));
    let mut title = None;
    let mut description = None;
    let mut order: Vec<(String, String)> = Vec::new();
    let root = match format {
        Format::MdBook => {
            let (root, t, o) = mdbook(src);
            title = t;
            order = o;
            root
        }
        Format::MkDocs => {
            let (root, t, d, o) = mkdocs(src);
            title = t;
            description = d;
            order = o;
            root
        }
        Format::Docusaurus if src.iter().any(|(p, _)| p.starts_with("docs/")) => "docs".to_string(),
        _ => String::new(),
    };
    let prefix = if root.is_empty() { String::new() } else { format!("{root}/") };
    let nav: HashMap<&str, (usize, &str)> = order.iter().enumerate().map(|(i, (p, t))| (p.as_str(), (i, t.as_str()))).collect();
    let categories = categories(src, &prefix);

    let mut pages = Vec::new();
    let mut assets = Vec::new();
    let mut url_map = HashMap::new();
    for (path, bytes) in src {
        let Some(rel) = path.strip_prefix(&prefix) else {
            // Docusaurus serves `static/` at the site root.
            if format == Format::Docusaurus
                && let Some(rel) = path.strip_prefix("static/")
            {
                url_map.insert(rel.to_string(), rel.to_string());
                assets.push((rel.to_string(), bytes.clone()));
            }
            continue;
        };
        let name = rel.rsplit('/').next().unwrap_or(rel);
        let special = matches!(rel, "SUMMARY.md" | "guide.toml" | "symptoms.yml") || name == "_category_.json" || name.starts_with('_');
        if !is_markdown(rel) {
            if !special {
                assets.push((rel.to_string(), bytes.clone()));
                url_map.insert(rel.to_string(), rel.to_string());
            }
            continue;
        }
        if special {
            continue; // partials (`_x.mdx`) are included where they are used, not pages
        }
        let Ok(text) = std::str::from_utf8(bytes) else { continue };
        let stem = rel.rsplit_once('.').map_or(rel, |(s, _)| s);
        let is_root_index = matches!(stem, "index" | "README" | "readme") && !pages.iter().any(|p: &Page| p.is_intro);
        let guide_path = if is_root_index { "index.md".to_string() } else { format!("{stem}.md") };
        let (fm, body) = front_matter(text);
        let mut page = Page { source_path: path.clone(), guide_path: guide_path.clone(), body: body.to_string(), is_intro: is_root_index, ..Page::default() };
        let fm = fm.and_then(|v| v.as_object().cloned()).unwrap_or_default();
        let mut fm_title = None;
        let mut position = None;
        for (key, value) in &fm {
            match key.as_str() {
                "title" => fm_title = as_text(value),
                "description" | "summary" => page.summary = as_text(value),
                "ms.date" | "date" => page.reviewed = as_text(value).and_then(|d| date(&d)),
                "sidebar_position" | "weight" | "nav_order" => position = value.as_f64(),
                "draft" => page.draft = value.as_bool().unwrap_or(false),
                _ => page.dropped.push(key.clone()),
            }
        }
        page.applies_to = applies_to(&mut page.body);
        let nav_entry = nav.get(rel);
        page.title = leading_h1(&page.body)
            .or(fm_title)
            .or_else(|| nav_entry.map(|(_, t)| t.to_string()).filter(|t| !t.is_empty()))
            .unwrap_or_else(|| humanise(name.rsplit_once('.').map_or(name, |(s, _)| s)));
        page.weight = match (nav_entry, position) {
            (Some((i, _)), _) => Some((*i as i64 + 1) * 10),
            (None, _) if !nav.is_empty() => Some(100_000),
            (None, Some(p)) => Some(folder_weight(&categories, rel) + (p * 10.0) as i64),
            (None, None) if !categories.is_empty() => Some(folder_weight(&categories, rel) + 9_990),
            _ => None,
        };
        for key in url_keys(stem, &fm) {
            url_map.entry(key).or_insert_with(|| guide_path.clone());
        }
        pages.push(page);
    }
    let includes_root = String::new();
    Project { format: Some(format).filter(|f| *f != Format::Plain), root, title, description, pages, assets, includes_root, url_map }
}

/// The names a page answers to as a URL: its path without extension, the
/// folder for an index page, a Docusaurus `id` or `slug`.
fn url_keys(stem: &str, fm: &serde_json::Map<String, Value>) -> Vec<String> {
    let mut keys = vec![stem.to_string()];
    for index in ["/index", "/README", "/readme"] {
        if let Some(folder) = stem.strip_suffix(index) {
            keys.push(folder.to_string());
        }
    }
    let folder = stem.rsplit_once('/').map_or("", |(f, _)| f);
    if let Some(id) = fm.get("id").and_then(Value::as_str) {
        keys.push(if folder.is_empty() { id.to_string() } else { format!("{folder}/{id}") });
    }
    if let Some(slug) = fm.get("slug").and_then(Value::as_str) {
        keys.push(slug.trim_matches('/').to_string());
    }
    keys
}

/// Docusaurus `_category_.json` positions by folder (relative to the content root).
fn categories(src: &[(String, Vec<u8>)], prefix: &str) -> BTreeMap<String, f64> {
    let mut out = BTreeMap::new();
    for (path, bytes) in src {
        let Some(rel) = path.strip_prefix(prefix) else { continue };
        let Some(folder) = rel.strip_suffix("/_category_.json") else { continue };
        let position = serde_json::from_slice::<Value>(bytes).ok().and_then(|v| v.get("position").and_then(Value::as_f64)).unwrap_or(99.0);
        out.insert(folder.to_string(), position);
    }
    out
}

/// Reading order of a file's folders: each level's category position, most
/// significant first (top folder × 100,000, the next × 1,000).
fn folder_weight(categories: &BTreeMap<String, f64>, rel: &str) -> i64 {
    let parts: Vec<&str> = rel.split('/').collect();
    let mut weight = 0;
    for depth in 1..parts.len() {
        let folder = parts[..depth].join("/");
        let position = categories.get(&folder).copied().unwrap_or(99.0).clamp(0.0, 99.0) as i64;
        let scale = match depth {
            1 => 100_000,
            2 => 1_000,
            _ => 0,
        };
        weight += (position + 1) * scale;
    }
    weight
}

/// `dhcp-client-fail` → "Dhcp client fail".
fn humanise(stem: &str) -> String {
    let words = stem.replace(['-', '_'], " ");
    let mut c = words.trim().chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => slugify(stem),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_tags_in_mkdocs_yml_are_tolerated() {
        let v = parse_yaml("site_name: Pi\nmarkdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\nnav:\n  - Home: index.md\n").unwrap();
        assert_eq!(v["site_name"], "Pi");
        assert_eq!(v["nav"][0]["Home"], "index.md");
    }

    #[test]
    fn dates_and_applies_to_lines_are_read() {
        assert_eq!(date("12/26/2023").as_deref(), Some("2023-12-26"));
        assert_eq!(date("2024-02-30"), None);
        let mut body = "\n_Applies to:_ &nbsp; Windows Server 2012 R2, Windows 10\n\nText\n".to_string();
        assert_eq!(applies_to(&mut body), ["Windows Server 2012 R2", "Windows 10"]);
        assert!(!body.contains("Applies"), "{body}");
    }

    #[test]
    fn nav_labels_lose_their_html() {
        assert_eq!(plain_label("The &nbsp<samp>pihole</samp>&nbsp Command"), "The pihole Command");
    }
}
