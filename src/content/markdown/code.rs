//! Code: fenced and indented code blocks (highlighted when the language is
//! known), and inline code that reads like a settings path, which becomes
//! breadcrumbs linked to the settings map.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, CowStr, Event};

use super::{Renderer, escape_attr, escape_text};
use crate::content::highlight;
use crate::diagnostics::{Code, Diagnostic};
use crate::paths;
use crate::source::settings::SettingsPath;

/// The code block being read: its language and text so far.
#[derive(Default)]
pub(super) struct CodeBlocks {
    open: Option<(String, String)>,
}

impl CodeBlocks {
    pub(super) fn is_open(&self) -> bool {
        self.open.is_some()
    }

    pub(super) fn open(&mut self, kind: CodeBlockKind) {
        let lang = match kind {
            CodeBlockKind::Fenced(info) => info.split([' ', ',', '{']).next().unwrap_or("").to_string(),
            CodeBlockKind::Indented => String::new(),
        };
        self.open = Some((lang, String::new()));
    }

    pub(super) fn text(&mut self, text: &str) {
        if let Some((_, code)) = self.open.as_mut() {
            code.push_str(text);
        }
    }

    /// Ends the block and returns its HTML.
    fn close(&mut self) -> String {
        let (lang, code) = self.open.take().unwrap_or_default();
        code_block_html(&lang, &code)
    }
}

impl<'e> Renderer<'_, 'e> {
    pub(super) fn close_code_block(&mut self) {
        let html = self.code.close();
        if let Some(step) = self.steps.code_after.and_then(|i| self.out.steps.get_mut(i)) {
            step.code_after.get_or_insert_with(String::new).push_str(&html);
        }
        self.push_html(html);
    }

    /// Code blocks right after a step list go with its last step; anything
    /// else in between ends that.
    pub(super) fn code_after_steps(&mut self, event: &Event) {
        let code_event = matches!(event, Event::Start(pulldown_cmark::Tag::CodeBlock(_)) | Event::End(pulldown_cmark::TagEnd::CodeBlock));
        if !code_event && !self.code.is_open() {
            self.steps.code_after = None;
        }
    }

    pub(super) fn settings_code(&mut self, code: CowStr<'e>, span: Range<usize>) {
        match SettingsPath::parse(&code) {
            Ok(path) => {
                self.push_html(settings_breadcrumb(&self.root, &path));
                self.out.settings.push((path, span));
            }
            Err(err) => {
                self.out
                    .diagnostics
                    .push(Diagnostic::error(Code::MalformedSettingsPath, self.input.file, span, format!("{} in `{}`", err.message, code)).with_help(err.help));
                self.events.push(Event::Code(code));
            }
        }
    }
}

/// Inline code is taken as a settings path when it reads like one:
/// `Settings > General`, `設定 > 一般`, `iTunes > Help`; not shell like
/// `echo a > b` (a lowercase first word is a command unless it has a capital
/// inside, as product names like iTunes or macOS do).
pub(super) fn is_settings_candidate(code: &str) -> bool {
    let first = code.trim_start().chars().next();
    let first_word = code.trim_start().split(|c: char| c.is_whitespace() || c == '>').next().unwrap_or("");
    code.contains('>')
        && first.is_some_and(|c| c.is_alphabetic() && (!c.is_ascii_lowercase() || first_word.chars().any(char::is_uppercase)))
        && !code.contains(['$', '|', ';', '=', '(', ')', '{', '}', '\\', '<', '*', '`', '"'])
        && !code.contains("->")
}

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
    let inner = if lang.is_empty() { None } else { highlight::highlight(code, lang) };
    let inner = inner.unwrap_or_else(|| escape_text(code));
    format!("<div class=\"code-block\">{label}<pre tabindex=\"0\"><code{class}>{inner}</code></pre></div>\n")
}
