//! Inline Markdown in one-line front-matter text (titles, summaries): code
//! spans, emphasis, strong and strikethrough become inline HTML for cards and
//! headers; the same text without marks is the plain text for `<title>`,
//! meta descriptions, JSON-LD and search. Anything else (links, images, raw
//! HTML, entities, block syntax) stays literal text, so a title never nests a
//! link inside a card's link and `&amp;` in front matter still reads `&amp;`.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use crate::escape::html as escape;

/// A one-line text as inline HTML and as plain text.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Inline {
    pub html: String,
    pub plain: String,
}

/// Renders `text` (one line of front matter).
pub fn inline(text: &str) -> Inline {
    // Only the marks this renders; a leading `#`, `-` or `1.` is not a block here.
    if !text.contains(['`', '*', '_', '~']) {
        return Inline { html: escape(text), plain: text.to_string() };
    }
    let mut out = Inline::default();
    // A paragraph of its own: block syntax at the start is shielded by a
    // zero-width prefix the output does not keep.
    let shielded = format!("\u{200B}{text}");
    let prefix = '\u{200B}'.len_utf8();
    let mut marks_ok = true;
    for (event, range) in Parser::new_ext(&shielded, Options::ENABLE_STRIKETHROUGH).into_offset_iter() {
        match event {
            Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph) => {}
            Event::Start(Tag::Emphasis) => out.html.push_str("<em>"),
            Event::End(TagEnd::Emphasis) => out.html.push_str("</em>"),
            Event::Start(Tag::Strong) => out.html.push_str("<strong>"),
            Event::End(TagEnd::Strong) => out.html.push_str("</strong>"),
            Event::Start(Tag::Strikethrough) => out.html.push_str("<del>"),
            Event::End(TagEnd::Strikethrough) => out.html.push_str("</del>"),
            Event::Code(code) => {
                out.html.push_str("<code>");
                out.html.push_str(&escape(&code));
                out.html.push_str("</code>");
                out.plain.push_str(&code);
            }
            Event::Text(t) => {
                let t = t.strip_prefix('\u{200B}').unwrap_or(&t);
                // An entity or a backslash escape was decoded: keep the text as written.
                if shielded[range.start.max(prefix)..range.end.max(prefix)] != *t {
                    marks_ok = false;
                    break;
                }
                out.html.push_str(&escape(t));
                out.plain.push_str(t);
            }
            Event::SoftBreak | Event::HardBreak => {
                out.html.push(' ');
                out.plain.push(' ');
            }
            // Links, images, raw HTML, entities…: not rendered, so not inline.
            _ => {
                marks_ok = false;
                break;
            }
        }
    }
    if !marks_ok || out.plain.trim().is_empty() {
        return Inline { html: escape(text), plain: text.to_string() };
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_and_emphasis_render_and_plain_text_drops_the_marks() {
        let r = inline("Run `ipconfig /flushdns` *now* or **later** ~~never~~");
        assert_eq!(r.html, "Run <code>ipconfig /flushdns</code> <em>now</em> or <strong>later</strong> <del>never</del>");
        assert_eq!(r.plain, "Run ipconfig /flushdns now or later never");
    }

    #[test]
    fn everything_else_stays_literal_and_escaped() {
        for text in ["AT&amp;T <b>x</b> [link](https://e.example)", "# not a heading", "1. not a list", "<script>alert(1)</script> `x`", "a_b_c"] {
            let r = inline(text);
            assert!(!r.html.contains("<b>") && !r.html.contains("<script") && !r.html.contains("<a ") && !r.html.contains("<h1"), "{text}: {}", r.html);
        }
        assert_eq!(inline("AT&amp;T `x`").plain, "AT&amp;T `x`", "an entity keeps the whole text literal");
        assert_eq!(inline("# Title `x`").html, "# Title <code>x</code>");
        assert_eq!(inline("a_b_c").plain, "a_b_c");
        assert_eq!(inline("").plain, "");
    }
}
