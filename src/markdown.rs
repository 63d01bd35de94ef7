//! Markdown bodies → HTML, in one pass over pulldown-cmark's event stream.
//! The same pass collects what later stages need: headings and their ids,
//! steps (every top-level ordered list), links to check, settings paths used
//! in the text, and plain text for search. Pure: text in, data out.

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

use crate::diagnostics::Diagnostic;
use crate::paths;
use crate::settings::SettingsPath;
use crate::slug::{UniqueIds, slugify};

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
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// One step of a procedure: an item of a top-level ordered list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// Anchor id on the page: `<heading-id>-step-<n>` or `step-<n>`.
    pub anchor: String,
    pub number: u64,
    /// The bold text the step starts with, if any.
    pub title: Option<String>,
    /// Plain text of the step without its title.
    pub text: String,
    /// Inner HTML of the step (title included), for checklists and print.
    pub html: String,
    /// Id of the heading the step sits under.
    pub heading: Option<String>,
    pub span: Range<usize>,
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
    /// Every id on the page (headings, steps, footnotes), for anchor checks.
    pub ids: Vec<String>,
    pub diagnostics: Vec<Diagnostic>,
    /// Number of words of text in the body (0 means the section is empty).
    pub word_count: usize,
}

pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Schemes that run code when a link is followed; such links are neutralised.
fn is_unsafe_url(url: &str, is_image: bool) -> bool {
    let cleaned: String = url.chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect::<String>().to_ascii_lowercase();
    cleaned.starts_with("javascript:")
        || cleaned.starts_with("vbscript:")
        || (cleaned.starts_with("data:") && !(is_image && cleaned.starts_with("data:image/") && !cleaned.starts_with("data:image/svg")))
}

fn has_scheme(url: &str) -> bool {
    if url.starts_with("//") {
        return true;
    }
    match url.find(':') {
        Some(i) => {
            let scheme = &url[..i];
            !scheme.is_empty()
                && scheme.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                && scheme.chars().all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '-' || c == '.')
                && !url[..i].contains('/')
        }
        None => false,
    }
}

/// Inline code is taken as a settings path when it reads like one:
/// `Settings > General`, `設定 > 一般`, `iTunes > Help`; not shell like
/// `echo a > b` (a lowercase first word is a command unless it has a capital
/// inside, as product names like iTunes or macOS do).
fn is_settings_candidate(code: &str) -> bool {
    let first = code.trim_start().chars().next();
    let first_word = code.trim_start().split(|c: char| c.is_whitespace() || c == '>').next().unwrap_or("");
    code.contains('>')
        && first.is_some_and(|c| c.is_alphabetic() && (!c.is_ascii_lowercase() || first_word.chars().any(char::is_uppercase)))
        && !code.contains(['$', '|', ';', '=', '(', ')', '{', '}', '\\', '<', '*', '`', '"'])
        && !code.contains("->")
}

fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned()
}

struct StepBuilder {
    anchor: String,
    number: u64,
    title: Option<String>,
    text: String,
    heading: Option<String>,
    events_start: usize,
    span: Range<usize>,
    /// 0: expecting the first inline; 1: inside the title; 2: just after it; 3: body.
    phase: u8,
}

/// Renders one section body. Never fails: problems become diagnostics.
pub fn render(input: &BodyInput) -> RenderedBody {
    let body = &input.text[input.body_start..];
    let base = input.body_start;
    let folder = paths::parent(input.file);
    let root = paths::root_prefix(input.page);
    let parser = Parser::new_ext(body, options()).into_offset_iter();

    let mut out = RenderedBody::default();
    let mut events: Vec<Event> = Vec::new();
    let mut ids = UniqueIds::default();
    let mut current_heading: Option<Heading> = None;
    let mut chunk = TextChunk::default();

    // Heading being collected: (level, custom id, classes, events start index, text).
    let mut heading: Option<(HeadingLevel, Option<String>, Vec<String>, usize, String, Range<usize>)> = None;
    let mut code_block: Option<(String, String)> = None;
    // One entry per open list: is it a step list?
    let mut lists: Vec<bool> = Vec::new();
    let mut list_start_numbers: Vec<u64> = Vec::new();
    let mut item_depth = 0usize;
    let mut quote_depth = 0usize;
    let mut step: Option<StepBuilder> = None;
    let mut step_html_ranges: Vec<Range<usize>> = Vec::new();
    let mut blocked_link = false;
    // Links whose fragment is a step anchor: they get a class and the step
    // number once all steps are known (a link may point forward).
    let mut step_refs: Vec<StepRef> = Vec::new();
    let mut open_step_ref: Option<usize> = None;
    let mut footnotes: HashMap<String, usize> = HashMap::new();
    let mut words = 0usize;

    let footnote_number = |name: &str, footnotes: &mut HashMap<String, usize>| -> usize {
        let next = footnotes.len() + 1;
        *footnotes.entry(name.to_string()).or_insert(next)
    };

    for (event, range) in parser {
        let span = (range.start + base)..(range.end + base);
        // Plain text collection for steps, search and the empty-section check.
        if let Event::Text(t) | Event::Code(t) = &event {
            if code_block.is_none() {
                words += t.split_whitespace().count();
            }
            if let Some(r) = open_step_ref {
                step_refs[r].text.push_str(t);
            }
            // Code is searchable too (readers type commands like `flushdns`).
            if heading.is_none() {
                push_text(&mut chunk.text, t);
            }
            if let Some(s) = step.as_mut() {
                match s.phase {
                    1 => {
                        s.title.get_or_insert_with(String::new).push_str(t);
                    }
                    2 => push_text(&mut s.text, strip_title_separator(t)),
                    _ => push_text(&mut s.text, t),
                }
            }
        }
        // Keep words of separate lines and blocks apart in the search text.
        if heading.is_none()
            && matches!(
                event,
                Event::SoftBreak
                    | Event::HardBreak
                    | Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell | TagEnd::CodeBlock | TagEnd::BlockQuote(_))
            )
        {
            chunk.text.push(' ');
        }
        if let Some(s) = step.as_mut()
            && matches!(event, Event::SoftBreak | Event::HardBreak)
            && s.phase != 1
        {
            push_text(&mut s.text, " ");
        }

        match event {
            Event::Start(Tag::Heading { level, id, classes, .. }) => {
                heading = Some((level, id.map(|i| i.to_string()), classes.iter().map(|c| c.to_string()).collect(), events.len(), String::new(), span));
            }
            Event::End(TagEnd::Heading(_)) => {
                let Some((level, custom, classes, start, _, hspan)) = heading.take() else { continue };
                let text = heading_text(&events[start..]);
                let id = match custom {
                    Some(custom) => {
                        if !ids.reserve(&custom) {
                            out.diagnostics.push(
                                Diagnostic::error("duplicate-id", input.file, hspan.clone(), format!("the id `{custom}` is used twice on this page"))
                                    .with_help("give each heading a different `{#id}`"),
                            );
                        }
                        custom
                    }
                    None => ids.unique(&slugify(&text)),
                };
                let n = level as u8;
                let class_attr = if classes.is_empty() { String::new() } else { format!(" class=\"{}\"", escape_attr(&classes.join(" "))) };
                let id_attr = escape_attr(&id);
                events.insert(start, Event::Html(CowStr::from(format!("<h{n} id=\"{id_attr}\"{class_attr}>"))));
                events.push(Event::Html(CowStr::from(format!(
                    "<a class=\"anchor\" href=\"#{}\" aria-label=\"Link to this heading\">#</a></h{n}>\n",
                    escape_attr(&paths::encode_fragment(&id))
                ))));
                let h = Heading { level: n, id, text };
                if !chunk.text.trim().is_empty() || chunk.heading.is_some() {
                    out.chunks.push(std::mem::take(&mut chunk));
                }
                chunk.heading = Some(h.clone());
                out.headings.push(h.clone());
                current_heading = Some(h);
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info.split([' ', ',', '{']).next().unwrap_or("").to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                code_block = Some((lang, String::new()));
            }
            Event::Text(t) if code_block.is_some() => {
                if let Some((_, code)) = code_block.as_mut() {
                    code.push_str(&t);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                let (lang, code) = code_block.take().unwrap_or_default();
                events.push(Event::Html(CowStr::from(code_block_html(&lang, &code))));
            }
            Event::Start(Tag::List(start)) => {
                let is_steps = start.is_some() && lists.is_empty() && quote_depth == 0 && item_depth == 0;
                lists.push(is_steps);
                let first = start.unwrap_or(1);
                list_start_numbers.push(first);
                if is_steps {
                    // The step numbers are drawn by CSS counters; carry the list's start over.
                    let start_attr = if first == 1 { String::new() } else { format!(" start=\"{first}\" style=\"counter-reset: step {}\"", first - 1) };
                    events.push(Event::Html(CowStr::from(format!("<ol class=\"steps\"{start_attr}>\n"))));
                } else {
                    events.push(Event::Start(Tag::List(start)));
                }
            }
            Event::End(TagEnd::List(ordered)) => {
                let is_steps = lists.pop().unwrap_or(false);
                list_start_numbers.pop();
                if is_steps {
                    events.push(Event::Html(CowStr::from("</ol>\n")));
                } else {
                    events.push(Event::End(TagEnd::List(ordered)));
                }
            }
            Event::Start(Tag::Item) => {
                item_depth += 1;
                if lists.len() == 1 && lists[0] && item_depth == 1 {
                    let number = list_start_numbers.last_mut().map(|n| {
                        let v = *n;
                        *n += 1;
                        v
                    });
                    let number = number.unwrap_or(1);
                    let base_id = match &current_heading {
                        Some(h) => format!("{}-step-{number}", h.id),
                        None => format!("step-{number}"),
                    };
                    let anchor = ids.unique(&base_id);
                    let a = escape_attr(&anchor);
                    let frag = escape_attr(&paths::encode_fragment(&anchor));
                    events.push(Event::Html(CowStr::from(format!(
                        "<li class=\"step\" id=\"{a}\"><a class=\"step-link\" href=\"#{frag}\" aria-label=\"Link to step {number}\">#</a>"
                    ))));
                    step = Some(StepBuilder {
                        anchor,
                        number,
                        title: None,
                        text: String::new(),
                        heading: current_heading.as_ref().map(|h| h.id.clone()),
                        events_start: events.len(),
                        span: span.clone(),
                        phase: 0,
                    });
                } else {
                    events.push(Event::Start(Tag::Item));
                }
            }
            Event::End(TagEnd::Item) => {
                item_depth -= 1;
                if item_depth == 0
                    && let Some(s) = step.take()
                {
                    step_html_ranges.push(s.events_start..events.len());
                    events.push(Event::Html(CowStr::from("</li>\n")));
                    out.steps.push(Step {
                        anchor: s.anchor,
                        number: s.number,
                        title: s.title.map(|t| t.trim().to_string()).filter(|t| !t.is_empty()),
                        text: s.text.trim().to_string(),
                        html: String::new(),
                        heading: s.heading,
                        span: s.span,
                    });
                } else {
                    events.push(Event::End(TagEnd::Item));
                }
            }
            Event::Start(Tag::Strong) if step.as_ref().is_some_and(|s| s.phase == 0) => {
                if let Some(s) = step.as_mut() {
                    s.phase = 1;
                }
                events.push(Event::Html(CowStr::from("<strong class=\"step-title\">")));
            }
            Event::End(TagEnd::Strong) if step.as_ref().is_some_and(|s| s.phase == 1) => {
                if let Some(s) = step.as_mut() {
                    s.phase = 2;
                }
                events.push(Event::Html(CowStr::from("</strong>")));
            }
            Event::Start(Tag::BlockQuote(kind)) => {
                quote_depth += 1;
                events.push(Event::Start(Tag::BlockQuote(kind)));
            }
            Event::End(TagEnd::BlockQuote(kind)) => {
                quote_depth -= 1;
                events.push(Event::End(TagEnd::BlockQuote(kind)));
            }
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                let dest = resolve_link(input, folder, &root, &dest_url, false, span.clone(), &mut out);
                match dest {
                    Some(dest) => {
                        let fragment = match out.links.last() {
                            Some(Link { target: LinkTarget::Fragment(f), span: s, .. }) if *s == span => Some((f.clone(), true)),
                            Some(Link { target: LinkTarget::Section { fragment: Some(f), .. }, span: s, .. }) if *s == span => Some((f.clone(), false)),
                            _ => None,
                        };
                        if let Some((fragment, same_page)) = fragment.filter(|(f, _)| step_number_in(f).is_some()) {
                            open_step_ref = Some(step_refs.len());
                            step_refs.push(StepRef { event: events.len(), fragment, same_page, text: String::new() });
                        }
                        events.push(Event::Start(Tag::Link { link_type, dest_url: CowStr::from(dest), title, id }));
                    }
                    None => {
                        blocked_link = true;
                        events.push(Event::Html(CowStr::from("<span class=\"blocked-link\" title=\"Link removed: unsafe address\">")));
                    }
                }
            }
            Event::End(TagEnd::Link) => {
                open_step_ref = None;
                if std::mem::take(&mut blocked_link) {
                    events.push(Event::Html(CowStr::from("</span>")));
                } else {
                    events.push(Event::End(TagEnd::Link));
                }
            }
            Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
                let dest = resolve_link(input, folder, &root, &dest_url, true, span.clone(), &mut out).unwrap_or_default();
                events.push(Event::Start(Tag::Image { link_type, dest_url: CowStr::from(dest), title, id }));
            }
            Event::Code(code) if is_settings_candidate(&code) => match SettingsPath::parse(&code) {
                Ok(path) => {
                    events.push(Event::Html(CowStr::from(settings_breadcrumb(&root, &path))));
                    out.settings.push((path, span));
                }
                Err(err) => {
                    out.diagnostics
                        .push(Diagnostic::error("malformed-settings-path", input.file, span, format!("{} in `{}`", err.message, code)).with_help(err.help));
                    events.push(Event::Code(code));
                }
            },
            Event::Text(t) if step.as_ref().is_some_and(|s| s.phase == 2) => {
                if let Some(s) = step.as_mut() {
                    s.phase = 3;
                }
                let rest = strip_title_separator(&t);
                events.push(Event::Html(CowStr::from(" ")));
                events.push(Event::Text(CowStr::from(rest.to_string())));
            }
            Event::FootnoteReference(name) => {
                let n = footnote_number(&name, &mut footnotes);
                let slug = escape_attr(&paths::encode_fragment(&slugify(&name)));
                ids.reserve(&format!("fnref-{}", slugify(&name)));
                events.push(Event::Html(CowStr::from(format!(
                    "<sup class=\"footnote-ref\" id=\"fnref-{slug}\"><a href=\"#fn-{slug}\" aria-label=\"Footnote {n}\">{n}</a></sup>"
                ))));
            }
            Event::Start(Tag::FootnoteDefinition(name)) => {
                let n = footnote_number(&name, &mut footnotes);
                let slug = slugify(&name);
                ids.reserve(&format!("fn-{slug}"));
                let s = escape_attr(&paths::encode_fragment(&slug));
                events.push(Event::Html(CowStr::from(format!(
                    "<div class=\"footnote\" id=\"fn-{s}\"><a class=\"footnote-back\" href=\"#fnref-{s}\" aria-label=\"Back to reference {n}\">{n}.</a>"
                ))));
            }
            Event::End(TagEnd::FootnoteDefinition) => events.push(Event::Html(CowStr::from("</div>\n"))),
            Event::TaskListMarker(done) => {
                let (mark, label) = if done { ("☑", "done") } else { ("☐", "to do") };
                events.push(Event::Html(CowStr::from(format!("<span class=\"task\" role=\"img\" aria-label=\"{label}\">{mark}</span> "))));
            }
            Event::Start(Tag::Table(align)) => {
                events.push(Event::Html(CowStr::from("<div class=\"table-wrap\" tabindex=\"0\">")));
                events.push(Event::Start(Tag::Table(align)));
            }
            Event::End(TagEnd::Table) => {
                events.push(Event::End(TagEnd::Table));
                events.push(Event::Html(CowStr::from("</div>\n")));
            }
            other => {
                if let Some(s) = step.as_mut()
                    && s.phase == 0
                    && !matches!(other, Event::Start(Tag::Paragraph))
                {
                    s.phase = 3;
                }
                if let Some(s) = step.as_mut()
                    && s.phase == 2
                {
                    s.phase = 3;
                }
                events.push(other);
            }
        }
    }
    if !chunk.text.trim().is_empty() || chunk.heading.is_some() {
        out.chunks.push(chunk);
    }
    for r in step_refs {
        mark_step_ref(&mut events, &r, &out.steps);
    }
    for (step, range) in out.steps.iter_mut().zip(step_html_ranges) {
        let mut step_html = String::new();
        html::push_html(&mut step_html, events[range].iter().cloned());
        step.html = step_html.trim().to_string();
    }
    let mut body_html = String::with_capacity(body.len() * 3 / 2);
    html::push_html(&mut body_html, events.into_iter());
    out.html = body_html;
    out.word_count = words;
    out.ids = ids.into_sorted();
    out
}

/// A link to a step anchor, waiting for its step number.
struct StepRef {
    /// Index of the link's start event.
    event: usize,
    fragment: String,
    same_page: bool,
    /// The link's plain text.
    text: String,
}

/// The step number a step anchor names: `fix-step-6` and `step-6` → 6.
pub fn step_number_in(fragment: &str) -> Option<u64> {
    let (before, number) = fragment.rsplit_once("step-")?;
    if !(before.is_empty() || before.ends_with('-')) || number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    number.parse().ok()
}

/// Rewrites a step link's start tag to carry `class="step-ref"` and
/// `data-step`, so print CSS can show "→ step 6" where paper cannot follow
/// links. The tag itself is written by pulldown-cmark, so its escaping of the
/// URL and title stays the stock one. A link whose text already says
/// "step 6" is marked `named` and needs no arrow.
fn mark_step_ref(events: &mut [Event], r: &StepRef, steps: &[Step]) {
    // On this page the anchor is known exactly (even a de-duplicated one like
    // `fix-step-2-1`); on another page, trust the anchor's own number.
    let number = if r.same_page { steps.iter().find(|s| s.anchor == r.fragment).map(|s| s.number) } else { step_number_in(&r.fragment) };
    let Some(number) = number else { return };
    let Some(event) = events.get_mut(r.event) else { return };
    let mut tag = String::new();
    html::push_html(&mut tag, std::iter::once(event.clone()));
    let Some(open) = tag.strip_suffix('>') else { return };
    let text = r.text.to_lowercase();
    let named = ["step ", "step\u{a0}"].iter().any(|word| {
        let needle = format!("{word}{number}");
        text.match_indices(&needle).any(|(i, _)| !text[i + needle.len()..].starts_with(|c: char| c.is_ascii_digit()))
    });
    let class = if named { "step-ref named" } else { "step-ref" };
    *event = Event::Html(CowStr::from(format!("{open} class=\"{class}\" data-step=\"{number}\">")));
}

fn push_text(buf: &mut String, t: &str) {
    buf.push_str(t);
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

/// The separator authors put after a step title: ` — `, ` – `, ` - `, `: `.
fn strip_title_separator(text: &str) -> &str {
    let t = text.trim_start();
    for sep in ['—', '–', '-', ':', '.'] {
        if let Some(rest) = t.strip_prefix(sep) {
            return rest.trim_start();
        }
    }
    t
}

use crate::escape::html as escape_attr;
use crate::escape::html as escape_text;

/// A settings path as breadcrumbs linking to its place on the settings map.
pub fn settings_breadcrumb(root: &str, path: &SettingsPath) -> String {
    let mut html = format!("<a class=\"settings-path\" href=\"{}settings.html#{}\">", escape_attr(root), escape_attr(&paths::encode_fragment(&path.anchor())));
    for (i, seg) in path.segments().enumerate() {
        if i > 0 {
            html.push_str("<span class=\"sep\" aria-hidden=\"true\">›</span><span class=\"visually-hidden\"> &gt; </span>");
        }
        html.push_str("<span class=\"seg\">");
        html.push_str(&escape_text(seg));
        html.push_str("</span>");
    }
    html.push_str("</a>");
    html
}

fn code_block_html(lang: &str, code: &str) -> String {
    let label = if lang.is_empty() { String::new() } else { format!("<span class=\"code-lang\">{}</span>", escape_text(lang)) };
    let class = if lang.is_empty() { String::new() } else { format!(" class=\"language-{}\"", escape_attr(lang)) };
    let inner = if lang.is_empty() { None } else { crate::highlight::highlight(code, lang) };
    let inner = inner.unwrap_or_else(|| escape_text(code));
    format!("<div class=\"code-block\">{label}<pre tabindex=\"0\"><code{class}>{inner}</code></pre></div>\n")
}

/// Classifies a link, records it for checking, and returns the URL to write,
/// or `None` when the link must be neutralised.
fn resolve_link(input: &BodyInput, folder: &str, root: &str, dest: &str, is_image: bool, span: Range<usize>, out: &mut RenderedBody) -> Option<String> {
    if is_unsafe_url(dest, is_image) {
        out.diagnostics.push(
            Diagnostic::warning("unsafe-link", input.file, span, format!("link to `{}` was removed", truncate(dest, 60)))
                .with_help("links that run code (javascript:, vbscript:, data:) are not allowed in guide text"),
        );
        return None;
    }
    if has_scheme(dest) || dest.is_empty() {
        return Some(dest.to_string());
    }
    if let Some(fragment) = dest.strip_prefix('#') {
        let fragment = percent_decode(fragment);
        out.links.push(Link { target: LinkTarget::Fragment(fragment), is_image, span });
        return Some(dest.to_string());
    }
    let (path_part, fragment) = match dest.split_once('#') {
        Some((p, f)) => (p, Some(percent_decode(f))),
        None => (dest, None),
    };
    let path_part = path_part.split('?').next().unwrap_or(path_part);
    let decoded = percent_decode(path_part);
    let Some(resolved) = paths::join(folder, &decoded) else {
        out.links.push(Link { target: LinkTarget::OutsideGuide(dest.to_string()), is_image, span });
        return Some(dest.to_string());
    };
    if !is_image && resolved.ends_with(".md") {
        let target_page = if resolved == "index.md" { "index.html".to_string() } else { paths::page_for_source(&resolved) };
        let mut url = format!("{root}{}", paths::encode_url_path(&target_page));
        if let Some(f) = &fragment {
            url.push('#');
            url.push_str(&paths::encode_fragment(f));
        }
        out.links.push(Link { target: LinkTarget::Section { source: resolved, fragment }, is_image, span });
        return Some(url);
    }
    out.links.push(Link { target: LinkTarget::File(resolved), is_image, span });
    Some(dest.to_string())
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max { s.to_string() } else { format!("{}…", s.chars().take(max).collect::<String>()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render_str(body: &str) -> RenderedBody {
        render(&BodyInput { file: "net/wifi.md", text: body, body_start: 0, page: "net/wifi.html" })
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
        assert_eq!(r.diagnostics[0].code, "malformed-settings-path");
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
    fn footnotes_get_prefixed_ids() {
        let r = render_str("Text[^1].\n\n[^1]: Note.\n");
        assert!(r.html.contains("id=\"fnref-1\""), "{}", r.html);
        assert!(r.html.contains("id=\"fn-1\""), "{}", r.html);
        assert!(!r.html.contains("id=\"1\""), "{}", r.html);
    }
}
