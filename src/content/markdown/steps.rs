//! Steps: every item of a top-level ordered list is a step, with an anchor
//! (`<heading-id>-step-<n>`), a number (CSS counters carry the list's
//! start), an optional bold title and its plain text. Where a step is in its
//! reading (`Phase`) decides whether text is title or body and whether the
//! separator after the title (` — `) is dropped.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use super::{Renderer, Step, escape_attr};
use crate::paths;

/// How far into a step the renderer is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Nothing read yet but the paragraph start: a `**bold**` now is the title.
    BeforeTitle,
    /// Inside the bold title.
    InTitle,
    /// Just after the title: a separator (` — `, `: `) may follow.
    AfterTitle,
    /// The rest of the step.
    Body,
}

/// The list and step state of one body.
#[derive(Default)]
pub(super) struct Steps {
    /// One entry per open list: is it a step list?
    lists: Vec<bool>,
    /// The next item number of each open list.
    numbers: Vec<u64>,
    item_depth: usize,
    quote_depth: usize,
    open: Option<OpenStep>,
    /// Per finished step, the events of its inner HTML.
    pub(super) html_ranges: Vec<Range<usize>>,
    /// Set just after a step list closes: the index of its last step, which
    /// takes the code blocks that follow the list directly.
    pub(super) code_after: Option<usize>,
}

struct OpenStep {
    anchor: String,
    number: u64,
    title: Option<String>,
    text: String,
    heading: Option<String>,
    /// Index of the first event of the step's inner HTML.
    events_start: usize,
    span: Range<usize>,
    phase: Phase,
    prose_words: usize,
}

impl Steps {
    fn phase(&self) -> Option<Phase> {
        self.open.as_ref().map(|s| s.phase)
    }

    pub(super) fn expects_title(&self) -> bool {
        self.phase() == Some(Phase::BeforeTitle)
    }

    pub(super) fn in_title(&self) -> bool {
        self.phase() == Some(Phase::InTitle)
    }

    pub(super) fn after_title(&self) -> bool {
        self.phase() == Some(Phase::AfterTitle)
    }

    pub(super) fn enter_quote(&mut self) {
        self.quote_depth += 1;
    }

    pub(super) fn leave_quote(&mut self) {
        self.quote_depth -= 1;
    }

    /// A step's text: into its title or its body, by phase.
    pub(super) fn collect_text(&mut self, text: &str, in_code: bool) {
        let Some(step) = self.open.as_mut() else { return };
        if !in_code {
            step.prose_words += text.split_whitespace().count();
        }
        match step.phase {
            Phase::InTitle => step.title.get_or_insert_with(String::new).push_str(text),
            Phase::AfterTitle => step.text.push_str(strip_title_separator(text)),
            Phase::BeforeTitle | Phase::Body => step.text.push_str(text),
        }
    }

    /// Line breaks separate words of the step's text (not of its title).
    pub(super) fn collect_break(&mut self, event: &Event) {
        if let Some(step) = self.open.as_mut()
            && matches!(event, Event::SoftBreak | Event::HardBreak)
            && step.phase != Phase::InTitle
        {
            step.text.push(' ');
        }
    }

    /// Any other event: the step is past its title (a paragraph start does
    /// not count: the title is the paragraph's first inline).
    pub(super) fn other_event(&mut self, event: &Event) {
        let Some(step) = self.open.as_mut() else { return };
        if (step.phase == Phase::BeforeTitle && !matches!(event, Event::Start(Tag::Paragraph))) || step.phase == Phase::AfterTitle {
            step.phase = Phase::Body;
        }
    }

    fn set_phase(&mut self, phase: Phase) {
        if let Some(step) = self.open.as_mut() {
            step.phase = phase;
        }
    }
}

impl<'e> Renderer<'_, 'e> {
    pub(super) fn open_list(&mut self, start: Option<u64>) {
        let steps = &mut self.steps;
        let is_steps = start.is_some() && steps.lists.is_empty() && steps.quote_depth == 0 && steps.item_depth == 0;
        steps.lists.push(is_steps);
        let first = start.unwrap_or(1);
        steps.numbers.push(first);
        if is_steps {
            // The step numbers are drawn by CSS counters; carry the list's start over.
            // `0.` is a valid start: the counter is reset to -1 (signed, never `first - 1` on a u64).
            let start_attr = if first == 1 { String::new() } else { format!(" start=\"{first}\" style=\"counter-reset: step {}\"", i128::from(first) - 1) };
            self.push_html(format!("<ol class=\"steps\"{start_attr}>\n"));
        } else {
            self.events.push(Event::Start(Tag::List(start)));
        }
    }

    pub(super) fn close_list(&mut self, ordered: bool) {
        let is_steps = self.steps.lists.pop().unwrap_or(false);
        self.steps.numbers.pop();
        if is_steps {
            self.push_html("</ol>\n");
            self.steps.code_after = self.out.steps.len().checked_sub(1);
        } else {
            self.events.push(Event::End(TagEnd::List(ordered)));
        }
    }

    pub(super) fn open_item(&mut self, span: Range<usize>) {
        let steps = &mut self.steps;
        steps.item_depth += 1;
        if !(steps.lists.len() == 1 && steps.lists[0] && steps.item_depth == 1) {
            self.events.push(Event::Start(Tag::Item));
            return;
        }
        let number = steps.numbers.last_mut().map_or(1, |n| {
            let v = *n;
            *n = n.saturating_add(1);
            v
        });
        let heading = self.headings.current_id().map(str::to_string);
        let base_id = match &heading {
            Some(h) => format!("{h}-step-{number}"),
            None => format!("step-{number}"),
        };
        let anchor = self.ids.unique(&base_id);
        let a = escape_attr(&anchor);
        let frag = escape_attr(&paths::encode_fragment(&anchor));
        self.push_html(format!("<li class=\"step\" id=\"{a}\"><a class=\"step-link\" href=\"#{frag}\" aria-label=\"Link to step {number}\">#</a>"));
        self.steps.open = Some(OpenStep {
            anchor,
            number,
            title: None,
            text: String::new(),
            heading,
            events_start: self.events.len(),
            span,
            phase: Phase::BeforeTitle,
            prose_words: 0,
        });
    }

    pub(super) fn close_item(&mut self) {
        self.steps.item_depth -= 1;
        let depth = self.steps.item_depth;
        let Some(step) = self.steps.open.take_if(|_| depth == 0) else {
            self.events.push(Event::End(TagEnd::Item));
            return;
        };
        self.steps.html_ranges.push(step.events_start..self.events.len());
        self.push_html("</li>\n");
        self.out.steps.push(Step {
            anchor: step.anchor,
            number: step.number,
            title: step.title.map(|t| t.trim().to_string()).filter(|t| !t.is_empty()),
            text: step.text.trim().to_string(),
            html: String::new(),
            heading: step.heading,
            span: step.span,
            prose_words: step.prose_words,
            code_after: None,
        });
    }

    pub(super) fn open_step_title(&mut self) {
        self.steps.set_phase(Phase::InTitle);
        self.push_html("<strong class=\"step-title\">");
    }

    pub(super) fn close_step_title(&mut self) {
        self.steps.set_phase(Phase::AfterTitle);
        self.push_html("</strong>");
    }

    /// The first text after a title: its separator is dropped.
    pub(super) fn text_after_step_title(&mut self, text: &str) {
        self.steps.set_phase(Phase::Body);
        self.push_html(" ");
        self.events.push(Event::Text(CowStr::from(strip_title_separator(text).to_string())));
    }
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

/// The step number a step anchor names: `fix-step-6` and `step-6` → 6.
pub fn step_number_in(fragment: &str) -> Option<u64> {
    let (before, number) = fragment.rsplit_once("step-")?;
    if !(before.is_empty() || before.ends_with('-')) || number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    number.parse().ok()
}
