//! Markdown bodies → HTML, in one pass over pulldown-cmark's event stream.
//! The same pass records what later stages need, so none of them parses
//! Markdown or scans the HTML again: headings and their ids, steps (every
//! top-level ordered list; with each step's own HTML, its prose word count and
//! the code blocks written right after its list), links to check, settings
//! paths used in the text, word counts and plain text for search.
//!
//! `Renderer` is a small state machine: `render` feeds it one event at a time
//! and each concern keeps its own state in its own file (`headings`, `steps`,
//! `links`, `code`). Pure: text in, data out.

mod anchors;
mod callouts;
mod code;
mod headings;
mod inline;
mod links;
mod steps;

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, html};

use crate::diagnostics::Diagnostic;
use crate::paths;
use crate::slug::{UniqueIds, slugify};
use crate::source::settings::SettingsPath;

pub use anchors::html_ids;
pub use code::settings_breadcrumb;
pub use inline::{Inline, inline};
pub use steps::step_number_in;

/// What a body is rendered from.
pub struct BodyInput<'a> {
    /// Path of the source file relative to the guide (for links and diagnostics).
    pub file: &'a str,
    /// The whole file text; spans are reported against it.
    pub text: &'a str,
    /// Where the Markdown body starts in `text`.
    pub body_start: usize,
    /// The output page this body is rendered into.
    pub page: &'a str,
    /// The page's title (front matter), shown as its h1: a body that opens
    /// with the same `# Title` does not show it twice.
    pub title: Option<&'a str>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// One step of a procedure: an item of a top-level ordered list.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Step {
    /// Anchor id on the page: `<heading-id>-step-<n>` or `step-<n>`.
    pub anchor: String,
    pub number: u64,
    /// The bold text the step starts with, if any.
    pub title: Option<String>,
    /// Plain text of the step without its title (code included).
    pub text: String,
    /// Inner HTML of the step (title included), for checklists and print.
    pub html: String,
    /// Id of the heading the step sits under.
    pub heading: Option<String>,
    pub span: Range<usize>,
    /// Words a reader reads in the step, title included: code blocks (a
    /// config to paste, a log to compare) are not prose and do not count.
    pub prose_words: usize,
    /// Code blocks written right after the step's list ("run the command
    /// below"), when this is the list's last step: on a checklist they belong
    /// to it, or the sheet would say "below" and show nothing.
    pub code_after: Option<String>,
}

/// Where a link in the body leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkTarget {
    /// Another section (guide-relative source path) and an optional anchor.
    Section { source: String, fragment: Option<String> },
    /// An anchor on this same page.
    Fragment(String),
    /// A file of the guide (guide-relative path), e.g. an image.
    File(String),
    /// A relative link that climbs out of the guide folder.
    OutsideGuide(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub target: LinkTarget,
    pub is_image: bool,
    pub span: Range<usize>,
}

/// Plain text under one heading, for the search index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextChunk {
    pub heading: Option<Heading>,
    pub text: String,
}

#[derive(Debug, Clone, Default)]
pub struct RenderedBody {
    pub html: String,
    pub headings: Vec<Heading>,
    pub steps: Vec<Step>,
    pub links: Vec<Link>,
    /// Settings paths written in inline code, with their spans.
    pub settings: Vec<(SettingsPath, Range<usize>)>,
    pub chunks: Vec<TextChunk>,
    /// Every id on the page (headings, their GitHub-style aliases, steps,
    /// footnotes, ids in raw HTML), for anchor checks.
    pub ids: Vec<String>,
    pub diagnostics: Vec<Diagnostic>,
    /// Number of words of text in the body (0 means the section is empty).
    pub word_count: usize,
    /// Spans of body h1s rendered one level down (the page's h1 is its
    /// title), for the `body-h1` lint.
    pub demoted_h1: Vec<Range<usize>>,
}

pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

/// Renders one section body. Never fails: problems become diagnostics.
pub fn render(input: &BodyInput) -> RenderedBody {
    let body = &input.text[input.body_start..];
    let mut renderer = Renderer::new(input);
    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        let span = (range.start + input.body_start)..(range.end + input.body_start);
        renderer.collect_text(&event);
        renderer.event(event, span);
    }
    renderer.finish(body.len())
}

/// The state of one body's rendering. Each concern's state is a field of
/// its own type, changed only by that concern's methods (in its own file).
struct Renderer<'i, 'e> {
    input: &'i BodyInput<'i>,
    /// Folder of the source file, for resolving relative links.
    folder: &'i str,
    /// Prefix from the output page back to the site root.
    root: String,
    out: RenderedBody,
    /// The output, as events; fixbook's own markup is `Event::Html`.
    events: Vec<Event<'e>>,
    ids: UniqueIds,
    headings: headings::Headings,
    code: code::CodeBlocks,
    steps: steps::Steps,
    links: links::Links,
    footnotes: HashMap<String, usize>,
}

impl<'i, 'e> Renderer<'i, 'e> {
    fn new(input: &'i BodyInput<'i>) -> Self {
        Renderer {
            input,
            folder: paths::parent(input.file),
            root: paths::root_prefix(input.page),
            out: RenderedBody::default(),
            events: Vec::new(),
            ids: UniqueIds::for_page(input.page),
            headings: headings::Headings::default(),
            code: code::CodeBlocks::default(),
            steps: steps::Steps::default(),
            links: links::Links::default(),
            footnotes: HashMap::new(),
        }
    }

    fn push_html(&mut self, html: impl Into<CowStr<'e>>) {
        self.events.push(Event::Html(html.into()));
    }

    /// Plain text for steps, search, word counts and step-link labels; runs
    /// before `event` sees the event.
    fn collect_text(&mut self, event: &Event<'e>) {
        if let Event::Text(t) | Event::Code(t) = event {
            let in_code = self.code.is_open();
            if !in_code {
                self.out.word_count += t.split_whitespace().count();
            }
            self.links.collect_text(t);
            // Code is searchable too (readers type commands like `flushdns`).
            self.headings.collect_text(t);
            self.steps.collect_text(t, in_code);
        }
        self.headings.collect_break(event);
        self.steps.collect_break(event);
    }

    fn event(&mut self, event: Event<'e>, span: Range<usize>) {
        self.code_after_steps(&event);
        match event {
            Event::Start(Tag::Heading { level, id, classes, .. }) => self.open_heading(level, id, classes, span),
            Event::End(TagEnd::Heading(_)) => self.close_heading(),
            Event::Start(Tag::CodeBlock(kind)) => self.code.open(kind),
            Event::Text(t) if self.code.is_open() => self.code.text(&t),
            Event::End(TagEnd::CodeBlock) => self.close_code_block(),
            Event::Start(Tag::List(start)) => self.open_list(start),
            Event::End(TagEnd::List(ordered)) => self.close_list(ordered),
            Event::Start(Tag::Item) => self.open_item(span),
            Event::End(TagEnd::Item) => self.close_item(),
            Event::Start(Tag::Strong) if self.steps.expects_title() => self.open_step_title(),
            Event::End(TagEnd::Strong) if self.steps.in_title() => self.close_step_title(),
            Event::Start(Tag::BlockQuote(kind)) => {
                self.steps.enter_quote();
                match kind {
                    Some(kind) => self.open_callout(kind),
                    None => self.events.push(Event::Start(Tag::BlockQuote(None))),
                }
            }
            Event::End(TagEnd::BlockQuote(kind)) => {
                self.steps.leave_quote();
                match kind {
                    Some(_) => self.close_callout(),
                    None => self.events.push(Event::End(TagEnd::BlockQuote(None))),
                }
            }
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => self.open_link(link_type, dest_url, title, id, span),
            Event::End(TagEnd::Link) => self.close_link(),
            Event::Start(Tag::Image { link_type, dest_url, title, id }) => self.image(link_type, dest_url, title, id, span),
            Event::Code(code) if code::is_settings_candidate(&code) => self.settings_code(code, span),
            Event::Text(t) if self.steps.after_title() => self.text_after_step_title(&t),
            Event::FootnoteReference(name) => {
                let n = self.footnote_number(&name);
                let slug = slugify(&name);
                self.ids.reserve(&format!("fnref-{slug}"));
                let s = escape_attr(&paths::encode_fragment(&slug));
                self.push_html(format!("<sup class=\"footnote-ref\" id=\"fnref-{s}\"><a href=\"#fn-{s}\" aria-label=\"Footnote {n}\">{n}</a></sup>"));
            }
            Event::Start(Tag::FootnoteDefinition(name)) => {
                let n = self.footnote_number(&name);
                let slug = slugify(&name);
                self.ids.reserve(&format!("fn-{slug}"));
                let s = escape_attr(&paths::encode_fragment(&slug));
                self.push_html(format!(
                    "<div class=\"footnote\" id=\"fn-{s}\"><a class=\"footnote-back\" href=\"#fnref-{s}\" aria-label=\"Back to reference {n}\">{n}.</a>"
                ));
            }
            Event::End(TagEnd::FootnoteDefinition) => self.push_html("</div>\n"),
            Event::TaskListMarker(done) => {
                let (mark, label) = if done { ("☑", "done") } else { ("☐", "to do") };
                self.push_html(format!("<span class=\"task\" role=\"img\" aria-label=\"{label}\">{mark}</span> "));
            }
            Event::Start(Tag::Table(align)) => {
                self.push_html("<div class=\"table-wrap\" tabindex=\"0\">");
                self.events.push(Event::Start(Tag::Table(align)));
            }
            Event::End(TagEnd::Table) => {
                self.events.push(Event::End(TagEnd::Table));
                self.push_html("</div>\n");
            }
            Event::Html(ref raw) | Event::InlineHtml(ref raw) => {
                self.raw_html_ids(raw);
                self.steps.other_event(&event);
                self.events.push(event);
            }
            other => {
                self.steps.other_event(&other);
                self.events.push(other);
            }
        }
    }

    /// A footnote's number: its place among the footnotes, first use first.
    fn footnote_number(&mut self, name: &str) -> usize {
        let next = self.footnotes.len() + 1;
        *self.footnotes.entry(name.to_string()).or_insert(next)
    }

    fn finish(mut self, body_len: usize) -> RenderedBody {
        self.headings.finish(&mut self.out);
        self.mark_step_refs();
        let ranges = std::mem::take(&mut self.steps.html_ranges);
        for (step, range) in self.out.steps.iter_mut().zip(ranges) {
            let mut step_html = String::new();
            html::push_html(&mut step_html, self.events[range].iter().cloned());
            step.html = step_html.trim().to_string();
        }
        let mut body_html = String::with_capacity(body_len * 3 / 2);
        html::push_html(&mut body_html, self.events.into_iter());
        self.out.html = body_html;
        self.out.ids = self.ids.into_sorted();
        self.out
    }
}

use crate::escape::html as escape_attr;
use crate::escape::html as escape_text;
#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Code;

    fn render_str(body: &str) -> RenderedBody {
        render(&BodyInput { file: "net/wifi.md", text: body, body_start: 0, page: "net/wifi.html", title: Some("Wi-Fi drops") })
    }

    #[test]
    fn headings_get_unique_ids_and_self_links() {
        let r = render_str("## Check\n\n## Check\n\n## Mine {#custom}\n");
        let ids: Vec<_> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["check", "check-1", "custom"]);
        assert!(r.html.contains("<h2 id=\"check-1\">Check<a class=\"anchor\" href=\"#check-1\""), "{}", r.html);
    }

    #[test]
    fn ordered_lists_become_steps_with_titles_and_anchors() {
        let r = render_str("1. **Restart** — Hold the button.\n2. Plain step\n\n## Later\n\n3. **Third**: text\n");
        assert_eq!(r.steps.len(), 3);
        assert_eq!(r.steps[0].title.as_deref(), Some("Restart"));
        assert_eq!(r.steps[0].text, "Hold the button.");
        assert_eq!(r.steps[0].anchor, "step-1");
        assert_eq!(r.steps[1].title, None);
        assert_eq!(r.steps[1].text, "Plain step");
        assert_eq!(r.steps[2].anchor, "later-step-3");
        assert_eq!(r.steps[2].number, 3);
        assert!(r.html.contains("<ol class=\"steps\">"), "{}", r.html);
        assert!(r.html.contains("<ol class=\"steps\" start=\"3\" style=\"counter-reset: step 2\">"), "{}", r.html);
        assert!(!r.html.contains("— Hold"), "separator is dropped: {}", r.html);
        assert!(r.steps[0].html.contains("<strong class=\"step-title\">Restart</strong>"), "{}", r.steps[0].html);
    }

    #[test]
    fn step_lists_may_start_at_zero_or_the_largest_number_markdown_allows() {
        let r = render_str("0. **Unplug** — wait.\n1. Plug in\n");
        assert_eq!(r.steps.iter().map(|s| s.number).collect::<Vec<_>>(), [0, 1]);
        assert_eq!(r.steps[0].anchor, "step-0");
        assert!(r.html.contains("<ol class=\"steps\" start=\"0\" style=\"counter-reset: step -1\">"), "{}", r.html);
        // CommonMark allows nine digits; the counter stays in CSS's 32-bit range.
        let r = render_str("999999999. a\n1. b\n");
        assert_eq!(r.steps.iter().map(|s| s.number).collect::<Vec<_>>(), [999_999_999, 1_000_000_000]);
        assert!(r.html.contains("counter-reset: step 999999998\""), "{}", r.html);
    }

    #[test]
    fn nested_ordered_lists_are_not_steps() {
        let r = render_str("1. **A** — do\n   1. sub one\n   2. sub two\n2. **B** — done\n");
        assert_eq!(r.steps.len(), 2);
        assert!(r.steps[0].text.contains("sub one"));
    }

    #[test]
    fn md_links_point_at_pages_and_are_recorded() {
        let r = render_str("[a](../router/reboot.md#power) [b](#top) [c](img/x.png) [d](https://x.example)");
        assert!(r.html.contains("href=\"../router/reboot.html#power\""), "{}", r.html);
        assert_eq!(r.links[0].target, LinkTarget::Section { source: "router/reboot.md".into(), fragment: Some("power".into()) });
        assert_eq!(r.links[1].target, LinkTarget::Fragment("top".into()));
        assert_eq!(r.links[2].target, LinkTarget::File("net/img/x.png".into()));
        assert_eq!(r.links.len(), 3);
    }

    #[test]
    fn javascript_links_are_neutralised() {
        let r = render_str("[x](javascript:alert(1)) [y](JaVaScRiPt:alert(2)) [z](&#106;avascript:alert(3))");
        assert!(!r.html.to_lowercase().contains("javascript:"), "{}", r.html);
        assert_eq!(r.diagnostics.len(), 3);
    }

    #[test]
    fn settings_paths_in_code_become_breadcrumbs() {
        let r = render_str("Open `Settings > General > About` then run `echo a > b`.");
        assert_eq!(r.settings.len(), 1);
        let brand = render_str("Run `iTunes > Help > Check for Updates`, not `cat x > Out.txt` or `ls>File`.");
        assert_eq!(brand.settings.iter().map(|(p, _)| p.as_str()).collect::<Vec<_>>(), ["iTunes > Help > Check for Updates"]);
        assert_eq!(r.settings[0].0.as_str(), "Settings > General > About");
        assert!(r.html.contains("href=\"../settings.html#s-settings-general-about\""), "{}", r.html);
        assert!(r.html.contains("<code>echo a &gt; b</code>"), "{}", r.html);
    }

    #[test]
    fn malformed_settings_path_in_body_is_an_error_at_its_span() {
        let text = "Open `Settings >> General`.";
        let r = render_str(text);
        assert_eq!(r.diagnostics[0].code, Code::MalformedSettingsPath);
        assert_eq!(&text[r.diagnostics[0].span.clone()], "`Settings >> General`");
    }

    #[test]
    fn code_is_highlighted_or_escaped() {
        let r = render_str("```bash\necho hi\n```\n\n```routeros\n<b>\n```\n");
        assert!(r.html.contains("hl-"), "{}", r.html);
        assert!(r.html.contains("&lt;b&gt;"), "{}", r.html);
    }

    #[test]
    fn step_links_are_marked_with_their_step_number() {
        let r = render_str(
            "## Fix\n\n1. If it works, [skip ahead](#fix-step-3).\n2. Then go to [step 3](#fix-step-3).\n3. Done, see [other](other.md#net-step-12) or [top](#fix).\n",
        );
        assert!(r.html.contains("<a href=\"#fix-step-3\" class=\"step-ref\" data-step=\"3\">skip ahead</a>"), "{}", r.html);
        assert!(r.html.contains("<a href=\"#fix-step-3\" class=\"step-ref named\" data-step=\"3\">step 3</a>"), "{}", r.html);
        assert!(r.html.contains("<a href=\"../net/other.html#net-step-12\" class=\"step-ref\" data-step=\"12\">other</a>"), "{}", r.html);
        assert!(r.html.contains("<a href=\"#fix\">top</a>"), "{}", r.html);
        assert!(r.steps[0].html.contains("class=\"step-ref\""), "step html keeps the mark: {}", r.steps[0].html);
    }

    #[test]
    fn step_link_keeps_title_and_escaping_and_ignores_non_step_anchors() {
        let r = render_str("1. a\n\n[x](#step-1 \"a \\\"q\\\" <b>\") [y](#missing-step-2) [z](#stepping-stone) [w](#mystep-1)\n");
        assert!(r.html.contains("<a href=\"#step-1\" title=\"a &quot;q&quot; &lt;b&gt;\" class=\"step-ref\" data-step=\"1\">x</a>"), "{}", r.html);
        // Same-page links to steps that do not exist are left to `check`.
        assert!(r.html.contains("<a href=\"#missing-step-2\">y</a>"), "{}", r.html);
        assert!(r.html.contains("<a href=\"#stepping-stone\">z</a>"), "{}", r.html);
        assert!(r.html.contains("<a href=\"#mystep-1\">w</a>"), "{}", r.html);
        assert_eq!(step_number_in("a-step-10"), Some(10));
        assert_eq!(step_number_in("step-2"), Some(2));
        assert_eq!(step_number_in("step-"), None);
        assert_eq!(step_number_in("a-step-2x"), None);
    }

    #[test]
    fn raw_html_ids_and_github_slugs_are_link_targets() {
        let r = render_str(
            "## <a id=\"commandline\"></a>Using PortQry\n\n### Step 1 - Evaluate the state\n\n<div id='box'></div>\n\nText <a name=\"old\"></a>.\n\n## Plain\n",
        );
        for id in ["commandline", "using-portqry", "step-1-evaluate-the-state", "step-1---evaluate-the-state", "box", "old", "plain"] {
            assert!(r.ids.iter().any(|i| i == id), "{id} in {:?}", r.ids);
        }
        assert!(r.html.contains("<h3 id=\"step-1-evaluate-the-state\"><span class=\"anchor-alias\" id=\"step-1---evaluate-the-state\"></span>"), "{}", r.html);
        // No alias where GitHub's slug is the id already.
        assert!(r.html.contains("<h2 id=\"plain\">Plain"), "{}", r.html);
        assert_eq!(r.headings[1].id, "step-1-evaluate-the-state");
    }

    #[test]
    fn github_alerts_become_callouts_and_plain_quotes_stay() {
        let r = render_str("> [!NOTE]\n> Restart first.\n\n1. Step\n\n   > [!WARNING]\n   > Data is lost.\n\n> plain [!TIP]\n");
        assert!(r.html.contains("<div class=\"callout callout-note\" role=\"note\">\n<p class=\"callout-title\"><span class=\"callout-icon\" aria-hidden=\"true\">ⓘ</span> Note</p>\n<p>Restart first.</p>\n</div>"), "{}", r.html);
        assert!(r.steps[0].html.contains("callout-warning"), "{}", r.steps[0].html);
        assert!(r.html.contains("<blockquote>\n<p>plain [!TIP]</p>\n</blockquote>"), "{}", r.html);
        assert!(!r.html.contains("[!NOTE]") && !r.html.contains("[!WARNING]"), "{}", r.html);
    }

    #[test]
    fn a_leading_h1_equal_to_the_title_is_dropped_and_other_h1s_go_one_level_down() {
        let r = render_str("# Wi-Fi Drops!\n\nText.\n\n# Another top heading\n");
        assert!(!r.html.contains("Wi-Fi Drops!"), "{}", r.html);
        assert!(r.html.contains("<h2 id=\"another-top-heading\">"), "{}", r.html);
        assert!(!r.html.contains("<h1"), "{}", r.html);
        assert_eq!(r.demoted_h1.len(), 1);
        assert_eq!(r.headings.iter().map(|h| (h.level, h.id.as_str())).collect::<Vec<_>>(), [(2, "another-top-heading")]);
        // Not first, or not the title: kept, one level down.
        let later = render_str("Intro.\n\n# Wi-Fi drops\n");
        assert!(later.html.contains("<h2 id=\"wi-fi-drops\">"), "{}", later.html);
        assert_eq!(later.demoted_h1.len(), 1);
        let other = render_str("# A longer article title\n\n## Fix\n");
        assert!(other.html.contains("<h2 id=\"a-longer-article-title\">") && other.html.contains("<h2 id=\"fix\">"), "{}", other.html);
    }

    #[test]
    fn footnotes_get_prefixed_ids() {
        let r = render_str("Text[^1].\n\n[^1]: Note.\n");
        assert!(r.html.contains("id=\"fnref-1\""), "{}", r.html);
        assert!(r.html.contains("id=\"fn-1\""), "{}", r.html);
        assert!(!r.html.contains("id=\"1\""), "{}", r.html);
    }
}
