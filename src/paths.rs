//! Page paths and the relative URLs between pages. Every link fixbook writes is
//! relative so that a site works from `file://` and under any sub-path. Also
//! the one rule for "does this URL leave the site?" (`is_external`), which
//! the Markdown renderer and every HTML rebaser share.

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

/// Characters escaped in a URL path segment (RFC 3986 pchar minus a few
/// that browsers would misread in a relative URL).
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'\\')
    .add(b'^')
    .add(b'|')
    .add(b'[')
    .add(b']')
    .add(b'\'')
    .add(b':')
    .add(b';')
    .add(b'&')
    .add(b'=')
    .add(b'+')
    .add(b'$')
    .add(b',');

/// Characters that may never appear raw in a URL (RFC 3986); reserved
/// characters and `%` are kept, so an already valid URL is unchanged.
const URL_ILLEGAL: &AsciiSet = &CONTROLS.add(b' ').add(b'"').add(b'<').add(b'>').add(b'`').add(b'{').add(b'}').add(b'|').add(b'\\').add(b'^');

/// Makes an author-written URL valid in an `href` without changing its meaning.
pub fn encode_url(url: &str) -> String {
    utf8_percent_encode(url, URL_ILLEGAL).to_string()
}

/// Percent-encodes each `/`-separated segment of a relative page path.
pub fn encode_url_path(path: &str) -> String {
    path.split('/').map(|seg| utf8_percent_encode(seg, SEGMENT).to_string()).collect::<Vec<_>>().join("/")
}

/// A page of the generated site: its path relative to the site root, with
/// `/` separators (`router/firmware.html`), not URL-encoded.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default, serde::Serialize)]
#[serde(transparent)]
pub struct PagePath(String);

impl PagePath {
    pub fn new(path: impl Into<String>) -> PagePath {
        PagePath(path.into())
    }

    /// The output page of a section source: `router/firmware.md` → `router/firmware.html`.
    pub fn for_source(source: &str) -> PagePath {
        let stem = source.strip_suffix(".md").unwrap_or(source);
        PagePath(format!("{stem}.html"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for PagePath {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl std::borrow::Borrow<str> for PagePath {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for PagePath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Does `url` leave the site: a scheme (`https:`, `mailto:`, `C:`) or a
/// network path (`//host/x`)? Everything else is relative to the page.
pub fn is_external(url: &str) -> bool {
    if url.starts_with("//") {
        return true;
    }
    match url.find(':') {
        Some(i) => {
            let scheme = &url[..i];
            scheme.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                && scheme.chars().all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '-' || c == '.')
        }
        None => false,
    }
}

/// The prefix that leads from a page back to the site root (`""`, `"../"`, ...).
pub fn root_prefix(page: &str) -> String {
    "../".repeat(page.matches('/').count())
}

/// The folder part of a `/`-separated path (`a/b/c.md` → `a/b`, `c.md` → ``).
pub fn parent(path: &str) -> &str {
    path.rfind('/').map_or("", |i| &path[..i])
}

/// Joins a relative reference onto a folder and normalises `.`/`..`.
/// Returns `None` when the reference climbs above the guide root.
pub fn join(folder: &str, reference: &str) -> Option<String> {
    let mut parts: Vec<&str> = if reference.starts_with('/') || folder.is_empty() { Vec::new() } else { folder.split('/').collect() };
    for seg in reference.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// A relative, encoded URL from page `from` to page `to` (both root-relative).
pub fn relative_url(from: &str, to: &str) -> String {
    format!("{}{}", root_prefix(from), encode_url_path(to))
}

/// Percent-encodes an anchor for use after `#` in a URL.
pub fn encode_fragment(fragment: &str) -> String {
    utf8_percent_encode(fragment, SEGMENT).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_maps_to_page() {
        assert_eq!(PagePath::for_source("router/firmware.md").as_str(), "router/firmware.html");
        assert_eq!(PagePath::for_source("a.md").as_str(), "a.html");
    }

    #[test]
    fn external_urls_have_a_scheme_or_a_host() {
        for url in ["https://x.example/a", "mailto:a@b.example", "tel:+1", "//cdn.example/x", "C:\\x", "x-y.z+w:rest"] {
            assert!(is_external(url), "{url}");
        }
        for url in ["a.html", "../b/c.html#x", "#frag", "a/b:c", "", ":x", "1a:b", "a b:c"] {
            assert!(!is_external(url), "{url}");
        }
    }

    #[test]
    fn root_prefix_climbs_one_level_per_folder() {
        assert_eq!(root_prefix("index.html"), "");
        assert_eq!(root_prefix("a/b/c.html"), "../../");
    }

    #[test]
    fn join_normalises_and_refuses_to_escape() {
        assert_eq!(join("a/b", "../c.md").as_deref(), Some("a/c.md"));
        assert_eq!(join("a", "./x/./y.md").as_deref(), Some("a/x/y.md"));
        assert_eq!(join("", "../x.md"), None);
    }

    #[test]
    fn author_urls_are_made_valid_but_keep_their_meaning() {
        assert_eq!(encode_url("https://x.example/a b?q=\"{c}\"&d=%20"), "https://x.example/a%20b?q=%22%7Bc%7D%22&d=%20");
    }

    #[test]
    fn urls_encode_spaces_and_non_ascii() {
        assert_eq!(relative_url("a/b.html", "ネット/再起動 手順.html"), "../%E3%83%8D%E3%83%83%E3%83%88/%E5%86%8D%E8%B5%B7%E5%8B%95%20%E6%89%8B%E9%A0%86.html");
        assert_eq!(encode_url_path("a&b \"q\".html"), "a%26b%20%22q%22.html");
    }
}
