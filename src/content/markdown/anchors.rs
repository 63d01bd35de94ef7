//! Link targets the author wrote in raw HTML (`<a id="x"></a>`, `<a name="x">`,
//! any element's `id`) and the GitHub-style slug of each heading, so links
//! that work on GitHub and on the original site work here too. Ids found in
//! raw HTML are reserved on the page (the checker sees them; print.html
//! re-bases them); a heading whose GitHub slug differs from its id carries
//! that slug as an extra, empty target inside the heading.

use super::Renderer;
use crate::slug::github_slug;

impl Renderer<'_, '_> {
    /// Reserves every id a piece of raw HTML declares.
    pub(super) fn raw_html_ids(&mut self, html: &str) {
        for id in html_ids(html) {
            self.ids.reserve(&id);
        }
    }

    /// The extra target of a heading, `<span id="…"></span>`, when its GitHub
    /// slug differs from `id` and is free on the page.
    pub(super) fn github_alias(&mut self, text: &str, id: &str) -> Option<String> {
        let alias = github_slug(text);
        // A theme id stays out of `ids`: the checker must not see a target the page lacks.
        (!alias.is_empty() && alias != id && self.ids.is_free(&alias) && self.ids.reserve(&alias)).then_some(alias)
    }
}

/// The values of `id` attributes (any element) and of `name` on `<a>`, in a
/// piece of raw HTML, as written (entities `&amp;` `&quot;` decoded).
pub fn html_ids(html: &str) -> Vec<String> {
    let mut ids = Vec::new();
    let bytes = html.as_bytes();
    let mut i = 0;
    while let Some(lt) = html[i..].find('<') {
        let start = i + lt + 1;
        let tag_len = html[start..].bytes().take_while(|b| b.is_ascii_alphanumeric()).count();
        if tag_len == 0 {
            i = start;
            continue;
        }
        let tag = html[start..start + tag_len].to_ascii_lowercase();
        let mut j = start + tag_len;
        // Attributes up to the end of the tag.
        loop {
            while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            if j >= bytes.len() || bytes[j] == b'>' || bytes[j] == b'<' {
                break;
            }
            if bytes[j] == b'/' {
                j += 1;
                continue;
            }
            let name_start = j;
            while j < bytes.len() && !bytes[j].is_ascii_whitespace() && !matches!(bytes[j], b'=' | b'>' | b'/' | b'<') {
                j += 1;
            }
            let name = html[name_start..j].to_ascii_lowercase();
            while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                j += 1;
            }
            let mut value = None;
            if j < bytes.len() && bytes[j] == b'=' {
                j += 1;
                while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                    j += 1;
                }
                if j < bytes.len() && (bytes[j] == b'"' || bytes[j] == b'\'') {
                    let quote = bytes[j] as char;
                    let v_start = j + 1;
                    let v_end = html[v_start..].find(quote).map_or(html.len(), |e| v_start + e);
                    value = Some(&html[v_start..v_end]);
                    j = (v_end + 1).min(html.len());
                } else {
                    let v_start = j;
                    while j < bytes.len() && !bytes[j].is_ascii_whitespace() && bytes[j] != b'>' {
                        j += 1;
                    }
                    value = Some(&html[v_start..j]);
                }
            }
            if let Some(v) = value
                && (name == "id" || (name == "name" && tag == "a"))
                && !v.trim().is_empty()
            {
                ids.push(v.trim().replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&"));
            }
        }
        i = j.max(start);
    }
    ids
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_anchor_names_are_found_in_every_quoting() {
        assert_eq!(html_ids(r#"<a id="commandline"></a>"#), ["commandline"]);
        assert_eq!(html_ids("<a name='old-style'>x</a><div ID=box class=\"c\">"), ["old-style", "box"]);
        assert_eq!(html_ids(r#"<input name="q"><p data-id="no" id = "yes">"#), ["yes"]);
        assert_eq!(html_ids("a < b and <3 <br/>"), Vec::<String>::new());
        assert_eq!(html_ids(r#"<span id="a&amp;b"/>"#), ["a&b"]);
    }
}
