//! Headings: ids (custom `{#id}` or a unique slug), the self-link, and the
//! plain text under each heading that the search index reads.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, HeadingLevel, TagEnd};

use super::{Heading, RenderedBody, Renderer, TextChunk, escape_attr};
use crate::diagnostics::{Code, Diagnostic};
use crate::paths;
use crate::slug::slugify;

/// The heading state of one body.
#[derive(Default)]
pub(super) struct Headings {
    /// The heading being read, between its start and end events.
    open: Option<OpenHeading>,
    /// The last heading closed: steps under it take its id.
    current: Option<Heading>,
    /// Text since the last heading, for search.
    chunk: TextChunk,
}

struct OpenHeading {
    level: HeadingLevel,
    /// Nothing was rendered before this heading (a `# Title` opening the body).
    first: bool,
    custom_id: Option<String>,
    classes: Vec<String>,
    /// Index of the placeholder event that becomes the opening tag.
    start: usize,
    span: Range<usize>,
}

impl Headings {
    /// The id of the heading the body is under now.
    pub(super) fn current_id(&self) -> Option<&str> {
        self.current.as_ref().map(|h| h.id.as_str())
    }

    /// Text outside headings goes to the search chunk.
    pub(super) fn collect_text(&mut self, text: &str) {
        if self.open.is_none() {
            self.chunk.text.push_str(text);
        }
    }

    /// Keeps words of separate lines and blocks apart in the search text.
    pub(super) fn collect_break(&mut self, event: &Event) {
        if self.open.is_none()
            && matches!(
                event,
                Event::SoftBreak
                    | Event::HardBreak
                    | Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell | TagEnd::CodeBlock | TagEnd::BlockQuote(_))
            )
        {
            self.chunk.text.push(' ');
        }
    }

    fn start_chunk(&mut self, heading: Heading, out: &mut RenderedBody) {
        if !self.chunk.text.trim().is_empty() || self.chunk.heading.is_some() {
            out.chunks.push(std::mem::take(&mut self.chunk));
        }
        self.chunk.heading = Some(heading);
    }

    pub(super) fn finish(&mut self, out: &mut RenderedBody) {
        let chunk = std::mem::take(&mut self.chunk);
        if !chunk.text.trim().is_empty() || chunk.heading.is_some() {
            out.chunks.push(chunk);
        }
    }
}

impl<'e> Renderer<'_, 'e> {
    pub(super) fn open_heading(&mut self, level: HeadingLevel, id: Option<CowStr<'e>>, classes: Vec<CowStr<'e>>, span: Range<usize>) {
        let start = self.events.len();
        let first = start == 0;
        // Replaced by the opening tag once the id is known (it may come from the text).
        self.push_html("");
        self.headings.open =
            Some(OpenHeading { level, first, custom_id: id.map(|i| i.to_string()), classes: classes.iter().map(|c| c.to_string()).collect(), start, span });
    }

    pub(super) fn close_heading(&mut self) {
        let Some(open) = self.headings.open.take() else { return };
        let text = heading_text(&self.events[open.start..]);
        if open.level == HeadingLevel::H1 {
            // The page's h1 is its title: the same title opening the body is
            // not shown twice; any other h1 goes one level down (and is linted).
            if open.first && self.input.title.is_some_and(|title| same_title(title, &text)) {
                self.events.truncate(open.start);
                return;
            }
            self.out.demoted_h1.push(open.span.clone());
        }
        let id = match open.custom_id {
            Some(custom) => {
                if !self.ids.reserve(&custom) {
                    let (message, help) = if self.ids.is_theme(&custom) {
                        (
                            format!("the id `{custom}` belongs to one of the theme's own elements"),
                            "pick another `{#id}`; the theme's script finds its elements by id",
                        )
                    } else {
                        (format!("the id `{custom}` is used twice on this page"), "give each heading a different `{#id}`")
                    };
                    self.out.diagnostics.push(Diagnostic::error(Code::DuplicateId, self.input.file, open.span, message).with_help(help));
                }
                custom
            }
            None => self.ids.unique(&slugify(&text)),
        };
        let n = (open.level as u8).max(2);
        let class_attr = if open.classes.is_empty() { String::new() } else { format!(" class=\"{}\"", escape_attr(&open.classes.join(" "))) };
        let alias = match self.github_alias(&text, &id) {
            Some(alias) => format!("<span class=\"anchor-alias\" id=\"{}\"></span>", escape_attr(&alias)),
            None => String::new(),
        };
        self.events[open.start] = Event::Html(CowStr::from(format!("<h{n} id=\"{}\"{class_attr}>{alias}", escape_attr(&id))));
        self.push_html(format!(
            "<a class=\"anchor\" href=\"#{}\" aria-label=\"Link to this heading\">#</a></h{n}>\n",
            escape_attr(&paths::encode_fragment(&id))
        ));
        let heading = Heading { level: n, id, text };
        self.headings.start_chunk(heading.clone(), &mut self.out);
        self.out.headings.push(heading.clone());
        self.headings.current = Some(heading);
    }
}

/// Plain text of a heading's collected inline events.
fn heading_text(events: &[Event]) -> String {
    let mut text = String::new();
    for e in events {
        if let Event::Text(t) | Event::Code(t) = e {
            text.push_str(t);
        }
    }
    text.trim().to_string()
}

/// Two titles are the same when their words are, case and punctuation aside.
fn same_title(a: &str, b: &str) -> bool {
    slugify(a) == slugify(b)
}
