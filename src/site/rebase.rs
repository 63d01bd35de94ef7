//! Moving rendered HTML onto another page: the one URL rebaser, used by
//! print.html (every section body) and by the checklists (every step). Ids
//! get a prefix so they stay unique on the new page, links to something that
//! is also on the new page become in-page links, other relative URLs are
//! re-based, and links that leave the page can carry their absolute URL for
//! paper (`data-print-url`). URLs are classified by `paths::is_external`,
//! the rule the Markdown renderer used when it wrote them.

use crate::escape;
use crate::paths::{self, relative_url};
use crate::source::config::GuideConfig;

/// Where a link to `(page, fragment)` lands on the new page when its
/// target is there too: the id on the new page (not URL-encoded).
pub type Local<'a> = dyn Fn(&str, Option<&str>) -> Option<String> + 'a;

/// How HTML rendered for one section page moves to another page.
pub struct Move<'a> {
    /// The section page the HTML was rendered for.
    pub from: &'a str,
    /// The page it moves to.
    pub to: &'a str,
    /// Put before every id (`p3-`, `c-`).
    pub id_prefix: &'a str,
    /// Targets that are on `to` as well.
    pub local: &'a Local<'a>,
    /// With a guide whose `base_url` is set, links leaving `to` get
    /// `data-print-url` with their absolute URL (breadcrumbs excepted: they
    /// say where they lead already).
    pub print_urls: Option<&'a GuideConfig>,
}

impl Move<'_> {
    /// The HTML, moved.
    pub fn apply(&self, html: &str) -> String {
        let folder = paths::parent(self.from);
        rewrite_attributes(html, |name, value, out| {
            // The tag's start is in `out` already.
            let tag_start = out.rfind('<').unwrap_or(0);
            // `<a name>` is a link target like `id` (raw HTML of older pages).
            let is_anchor_name = name == "name" && out[tag_start..].get(..3).is_some_and(|t| t.eq_ignore_ascii_case("<a "));
            if name == "id" || is_anchor_name {
                out.push_str(&escape::html(self.id_prefix));
                out.push_str(value);
                return;
            }
            if name == "name" {
                out.push_str(value);
                return;
            }
            let is_crumb = out[tag_start..].contains("class=\"settings-path\"");
            let (url, print_url) = match self.url(&unescape(value), folder) {
                Some(moved) => moved,
                None => {
                    out.push_str(value);
                    return;
                }
            };
            out.push_str(&escape::html(&url));
            if name == "href"
                && !is_crumb
                && let Some(p) = print_url
            {
                out.push_str("\" data-print-url=\"");
                out.push_str(&escape::html(&p));
            }
        })
    }

    /// The new URL of a link and its absolute URL for paper, or `None` when
    /// the URL stays as it is and needs no print URL.
    fn url(&self, url: &str, folder: &str) -> Option<(String, Option<String>)> {
        let (path, frag) = match url.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (url, None),
        };
        if paths::is_external(path) {
            // Web links name themselves on paper; other schemes stay as written.
            let web = url.starts_with("http://") || url.starts_with("https://");
            return (web && self.print_urls.is_some()).then(|| (url.to_string(), Some(url.to_string())));
        }
        // A query (`index.html?symptoms=wifi`) is not part of the page's path:
        // it is kept as written after the re-based path, and the link goes to
        // the page itself even when that page is also on the new one.
        let (path, query) = match path.split_once('?') {
            Some((p, q)) => (p, Some(q)),
            None => (path, None),
        };
        let target = if path.is_empty() {
            self.from.to_string()
        } else {
            let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
            paths::join(folder, &decoded)?
        };
        let frag_decoded = frag.map(|f| percent_encoding::percent_decode_str(f).decode_utf8_lossy().into_owned());
        if query.is_none()
            && let Some(id) = (self.local)(&target, frag_decoded.as_deref())
        {
            return Some((format!("#{}", paths::encode_fragment(&id)), None));
        }
        let mut new = relative_url(self.to, &target);
        let mut print = self.print_urls.and_then(|config| config.absolute_url(&target));
        if let Some(q) = query {
            new.push('?');
            new.push_str(q);
            if let Some(p) = print.as_mut() {
                p.push('?');
                p.push_str(q);
            }
        }
        if let Some(f) = frag {
            new.push('#');
            new.push_str(f);
            if let Some(p) = print.as_mut() {
                p.push('#');
                p.push_str(f);
            }
        }
        Some((new, print))
    }
}

/// Copies fixbook's own rendered HTML, handing the value of every `id`,
/// `name`, `href` and `src` attribute to `rewrite`, which appends its replacement to
/// the output (everything before the value is already there).
pub fn rewrite_attributes(html: &str, mut rewrite: impl FnMut(&'static str, &str, &mut String)) -> String {
    const NAMES: [(&str, &str); 4] = [(" id", "id"), (" name", "name"), (" href", "href"), (" src", "src")];
    let mut out = String::with_capacity(html.len() + 64);
    let mut rest = html;
    loop {
        // One forward search for `="` per attribute keeps this linear: searching
        // for each attribute name separately rescanned the rest of the page
        // every time one of them was absent (minutes for a 50 MB section).
        let Some(eq) = rest.find("=\"") else {
            out.push_str(rest);
            break;
        };
        let name = NAMES.iter().find(|(pattern, _)| rest[..eq].ends_with(pattern)).map(|(_, name)| *name);
        out.push_str(&rest[..eq + 2]);
        rest = &rest[eq + 2..];
        let Some(name) = name else { continue };
        let end = rest.find('"').unwrap_or(rest.len());
        rewrite(name, &rest[..end], &mut out);
        rest = &rest[end..];
    }
    out
}

/// Reverses the escaping pulldown-cmark and `escape::html` apply to attributes.
fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    s.replace("&quot;", "\"").replace("&#39;", "'").replace("&#x27;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn config(base: Option<&str>) -> GuideConfig {
        let text = match base {
            Some(b) => format!("title = \"T\"\nbase_url = \"{b}\"\n"),
            None => "title = \"T\"\n".to_string(),
        };
        crate::source::config::parse(&text).expect("valid config")
    }

    #[test]
    fn print_rebasing_prefixes_ids_and_links_inside_the_document() {
        let anchors: HashMap<&str, &str> = [("net/a.html", "p1"), ("b.html", "p2")].into_iter().collect();
        let local = |page: &str, frag: Option<&str>| anchors.get(page).map(|a| frag.map_or(a.to_string(), |f| format!("{a}-{f}")));
        let html = r##"<h2 id="x">X<a href="#x">#</a></h2><a href="../b.html#y">b</a><img src="../assets/i.png"><a href="https://e.example/">e</a><a href="mailto:a@b.example">m</a>"##;
        let moved = Move { from: "net/a.html", to: "print.html", id_prefix: "p1-", local: &local, print_urls: None }.apply(html);
        assert_eq!(
            moved,
            r##"<h2 id="p1-x">X<a href="#p1-x">#</a></h2><a href="#p2-y">b</a><img src="assets/i.png"><a href="https://e.example/">e</a><a href="mailto:a@b.example">m</a>"##
        );
    }

    #[test]
    fn step_links_are_rebased_for_the_checklist_page() {
        let steps: HashMap<&str, String> = [("fix-step-5", "fix-step-5".to_string())].into_iter().collect();
        let local = |page: &str, frag: Option<&str>| if page == "net/a.html" { frag.and_then(|f| steps.get(f).cloned()) } else { None };
        let html = r##"<strong class="step-title">Go</strong> see <a href="#fix-step-5">step 5</a>, <a href="#other">that</a>, <a href="../b.html#x">b</a>, <a href="https://e.example/?a=1&amp;b=2">e</a> <img src="../assets/i.png" alt=""><sup id="fn1">1</sup> <a class="settings-path" href="../settings.html#s-a-b">A</a>"##;
        let config = config(Some("https://h.example/g/"));
        let moved = Move { from: "net/a.html", to: "checklists/net/a.html", id_prefix: "c-", local: &local, print_urls: Some(&config) }.apply(html);
        assert_eq!(
            moved,
            r##"<strong class="step-title">Go</strong> see <a href="#fix-step-5">step 5</a>, <a href="../../net/a.html#other" data-print-url="https://h.example/g/net/a.html#other">that</a>, <a href="../../b.html#x" data-print-url="https://h.example/g/b.html#x">b</a>, <a href="https://e.example/?a=1&amp;b=2" data-print-url="https://e.example/?a=1&amp;b=2">e</a> <img src="../../assets/i.png" alt=""><sup id="c-fn1">1</sup> <a class="settings-path" href="../../settings.html#s-a-b">A</a>"##
        );
    }

    #[test]
    fn queries_stay_queries_when_links_move() {
        let local = |page: &str, frag: Option<&str>| (page == "b.html").then(|| format!("p2-{}", frag.unwrap_or_default()));
        let html = r##"<a href="../index.html?symptoms=wifi&amp;x=%20#sections">f</a><a href="../b.html?v=2#y">b</a><a href="?tab=1">s</a><a href="../b.html#y">in</a>"##;
        let config = config(Some("https://h.example/g/"));
        let moved = Move { from: "net/a.html", to: "print.html", id_prefix: "p1-", local: &local, print_urls: Some(&config) }.apply(html);
        assert_eq!(
            moved,
            concat!(
                r##"<a href="index.html?symptoms=wifi&amp;x=%20#sections" data-print-url="https://h.example/g/index.html?symptoms=wifi&amp;x=%20#sections">f</a>"##,
                r##"<a href="b.html?v=2#y" data-print-url="https://h.example/g/b.html?v=2#y">b</a>"##,
                r##"<a href="net/a.html?tab=1" data-print-url="https://h.example/g/net/a.html?tab=1">s</a>"##,
                r##"<a href="#p2-y">in</a>"##
            )
        );
    }

    #[test]
    fn raw_html_anchors_move_with_their_page() {
        let local = |page: &str, frag: Option<&str>| (page == "a.html").then(|| format!("p1-{}", frag.unwrap_or_default()));
        let html = r##"<h2 id="x"><a id="old"></a><a name="older"></a>X</h2><input name="q"><a href="#older">o</a>"##;
        let moved = Move { from: "a.html", to: "print.html", id_prefix: "p1-", local: &local, print_urls: None }.apply(html);
        assert_eq!(moved, r##"<h2 id="p1-x"><a id="p1-old"></a><a name="p1-older"></a>X</h2><input name="q"><a href="#p1-older">o</a>"##);
    }

    #[test]
    fn without_base_url_links_carry_no_print_url() {
        let local = |_: &str, _: Option<&str>| None;
        let config = config(None);
        let moved = Move { from: "a.html", to: "checklists/combined.html", id_prefix: "s1-", local: &local, print_urls: Some(&config) }
            .apply(r#"<a href="b.html">b</a>"#);
        assert_eq!(moved, r#"<a href="../b.html">b</a>"#);
    }

    #[test]
    fn urls_that_cannot_move_stay_as_written() {
        let local = |_: &str, _: Option<&str>| None;
        let html = r#"<a href="../../outside.html">o</a><a href="tel:+1&#x27;">t</a>"#;
        let moved = Move { from: "a.html", to: "print.html", id_prefix: "p1-", local: &local, print_urls: None }.apply(html);
        assert_eq!(moved, html);
    }
}
