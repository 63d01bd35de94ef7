//! Links and images: classification (another section, an anchor here, a
//! file of the guide, outside the guide, external), rewriting `.md` links to
//! page URLs, neutralising code-running schemes, and marking links to steps
//! with the step number so paper can say "→ step 6".

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd, html};

use super::steps::step_number_in;
use super::{Link, LinkTarget, Renderer};
use crate::diagnostics::{Code, Diagnostic};
use crate::paths::{self, PagePath};

/// The link state of one body.
#[derive(Default)]
pub(super) struct Links {
    /// The open link was unsafe: it was written as a `<span>`.
    blocked: bool,
    /// Links whose fragment is a step anchor: they get a class and the step
    /// number once all steps are known (a link may point forward).
    step_refs: Vec<StepRef>,
    open_step_ref: Option<usize>,
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

impl Links {
    /// The text of a link to a step ("step 3" needs no arrow on paper).
    pub(super) fn collect_text(&mut self, text: &str) {
        if let Some(r) = self.open_step_ref {
            self.step_refs[r].text.push_str(text);
        }
    }
}

impl<'e> Renderer<'_, 'e> {
    pub(super) fn open_link(&mut self, link_type: LinkType, dest_url: CowStr<'e>, title: CowStr<'e>, id: CowStr<'e>, span: Range<usize>) {
        let Some(dest) = self.resolve_link(&dest_url, false, span.clone()) else {
            self.links.blocked = true;
            self.push_html("<span class=\"blocked-link\" title=\"Link removed: unsafe address\">");
            return;
        };
        let fragment = match self.out.links.last() {
            Some(Link { target: LinkTarget::Fragment(f), span: s, .. }) if *s == span => Some((f.clone(), true)),
            Some(Link { target: LinkTarget::Section { fragment: Some(f), .. }, span: s, .. }) if *s == span => Some((f.clone(), false)),
            _ => None,
        };
        if let Some((fragment, same_page)) = fragment.filter(|(f, _)| step_number_in(f).is_some()) {
            self.links.open_step_ref = Some(self.links.step_refs.len());
            self.links.step_refs.push(StepRef { event: self.events.len(), fragment, same_page, text: String::new() });
        }
        self.events.push(Event::Start(Tag::Link { link_type, dest_url: CowStr::from(dest), title, id }));
    }

    pub(super) fn close_link(&mut self) {
        self.links.open_step_ref = None;
        if std::mem::take(&mut self.links.blocked) {
            self.push_html("</span>");
        } else {
            self.events.push(Event::End(TagEnd::Link));
        }
    }

    pub(super) fn image(&mut self, link_type: LinkType, dest_url: CowStr<'e>, title: CowStr<'e>, id: CowStr<'e>, span: Range<usize>) {
        let dest = self.resolve_link(&dest_url, true, span).unwrap_or_default();
        self.events.push(Event::Start(Tag::Image { link_type, dest_url: CowStr::from(dest), title, id }));
    }

    /// Classifies a link, records it for checking, and returns the URL to
    /// write, or `None` when the link must be neutralised.
    fn resolve_link(&mut self, dest: &str, is_image: bool, span: Range<usize>) -> Option<String> {
        let file = self.input.file;
        if is_unsafe_url(dest, is_image) {
            self.out.diagnostics.push(
                Diagnostic::warning(Code::UnsafeLink, file, span, format!("link to `{}` was removed", truncate(dest, 60)))
                    .with_help("links that run code (javascript:, vbscript:, data:) are not allowed in guide text"),
            );
            return None;
        }
        if paths::is_external(dest) || dest.is_empty() {
            return Some(dest.to_string());
        }
        let mut record = |target| self.out.links.push(Link { target, is_image, span: span.clone() });
        if let Some(fragment) = dest.strip_prefix('#') {
            record(LinkTarget::Fragment(percent_decode(fragment)));
            return Some(dest.to_string());
        }
        let (path_part, fragment) = match dest.split_once('#') {
            Some((p, f)) => (p, Some(percent_decode(f))),
            None => (dest, None),
        };
        let path_part = path_part.split('?').next().unwrap_or(path_part);
        let Some(resolved) = paths::join(self.folder, &percent_decode(path_part)) else {
            record(LinkTarget::OutsideGuide(dest.to_string()));
            return Some(dest.to_string());
        };
        if !is_image && resolved.ends_with(".md") {
            let target_page = if resolved == "index.md" { PagePath::new("index.html") } else { PagePath::for_source(&resolved) };
            let mut url = format!("{}{}", self.root, paths::encode_url_path(&target_page));
            if let Some(f) = &fragment {
                url.push('#');
                url.push_str(&paths::encode_fragment(f));
            }
            record(LinkTarget::Section { source: resolved, fragment });
            return Some(url);
        }
        record(LinkTarget::File(resolved));
        Some(dest.to_string())
    }

    /// Rewrites each step link's start tag to carry `class="step-ref"` and
    /// `data-step`, so print CSS can show "→ step 6" where paper cannot
    /// follow links. The tag itself is written by pulldown-cmark, so its
    /// escaping of the URL and title stays the stock one. A link whose text
    /// already says "step 6" is marked `named` and needs no arrow.
    pub(super) fn mark_step_refs(&mut self) {
        let numbers: HashMap<&str, u64> = self.out.steps.iter().rev().map(|s| (s.anchor.as_str(), s.number)).collect();
        for r in std::mem::take(&mut self.links.step_refs) {
            // On this page the anchor is known exactly (even a de-duplicated one like
            // `fix-step-2-1`); on another page, trust the anchor's own number.
            let number = if r.same_page { numbers.get(r.fragment.as_str()).copied() } else { step_number_in(&r.fragment) };
            let Some(number) = number else { continue };
            let Some(event) = self.events.get_mut(r.event) else { continue };
            let mut tag = String::new();
            html::push_html(&mut tag, std::iter::once(event.clone()));
            let Some(open) = tag.strip_suffix('>') else { continue };
            let text = r.text.to_lowercase();
            let named = ["step ", "step\u{a0}"].iter().any(|word| {
                let needle = format!("{word}{number}");
                text.match_indices(&needle).any(|(i, _)| !text[i + needle.len()..].starts_with(|c: char| c.is_ascii_digit()))
            });
            let class = if named { "step-ref named" } else { "step-ref" };
            *event = Event::Html(CowStr::from(format!("{open} class=\"{class}\" data-step=\"{number}\">")));
        }
    }
}

/// Schemes that run code when a link is followed; such links are neutralised.
fn is_unsafe_url(url: &str, is_image: bool) -> bool {
    let cleaned: String = url.chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect::<String>().to_ascii_lowercase();
    cleaned.starts_with("javascript:")
        || cleaned.starts_with("vbscript:")
        || (cleaned.starts_with("data:") && !(is_image && cleaned.starts_with("data:image/") && !cleaned.starts_with("data:image/svg")))
}

fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned()
}

fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max { s.to_string() } else { format!("{}…", s.chars().take(max).collect::<String>()) }
}
