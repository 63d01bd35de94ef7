//! Diagnostics are data: every stage returns `Diagnostic`s (severity, a
//! stable `Code`, file, byte span, message, help), and the edge of the
//! program (`pipeline::finish`) sorts them once; `main.rs` and `serve`
//! render them, for a terminal, as JSON or as GitHub Actions annotations.

mod code;
mod github;
mod log;
mod render;
mod sources;

use std::ops::Range;

use serde::Serialize;

pub use code::Code;
pub use github::render_github;
pub use log::{WARNINGS_SHOWN, render_build_log};
pub use render::{JsonDiagnostic, render_human, render_json};
pub use sources::{LineCol, SourceMap, line_col, offset_of};

/// How bad a problem is. Errors stop a build; warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem in a guide, pointing at a byte range of one source file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// What kind of problem; its text is part of the JSON contract.
    pub code: Code,
    pub message: String,
    /// Path relative to the guide folder, with `/` separators.
    pub file: String,
    /// Byte range in the file's text; empty ranges point at a position.
    pub span: Range<usize>,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(code: Code, file: impl Into<String>, span: Range<usize>, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Error, code, message: message.into(), file: file.into(), span, help: None }
    }

    pub fn warning(code: Code, file: impl Into<String>, span: Range<usize>, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, code, message: message.into(), file: file.into(), span, help: None }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_help_opt(mut self, help: Option<String>) -> Self {
        self.help = help;
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Puts diagnostics in their one reader-friendly order (by file, position,
/// code, message) and drops exact repeats. Called once, at the edge.
pub fn sort_and_dedup(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by(|a, b| (&a.file, a.span.start, a.code.as_str(), &a.message).cmp(&(&b.file, b.span.start, b.code.as_str(), &b.message)));
    diagnostics.dedup();
}

/// "did you mean" helper: the candidate closest to `input`, if close enough.
pub fn closest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let input_lower = input.to_lowercase();
    let mut best: Option<(f64, &str)> = None;
    for cand in candidates {
        let score = strsim::jaro_winkler(&input_lower, &cand.to_lowercase());
        if score >= 0.8 && best.is_none_or(|(s, c)| score > s || (score == s && cand < c)) {
            best = Some((score, cand));
        }
    }
    best.map(|(_, c)| c)
}

/// serde reports unknown keys as "unknown field `x`, expected one of ...".
/// Returns the unknown key and a "did you mean" help naming the closest known key.
pub fn unknown_field_help(message: &str, known: &[&str]) -> Option<(String, String)> {
    let rest = message.split("unknown field `").nth(1)?;
    let field = &rest[..rest.find('`')?];
    let help = match closest(field, known.iter().copied()) {
        Some(best) => format!("did you mean `{best}`?"),
        None => format!("known keys are: {}", known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")),
    };
    Some((field.to_string(), help))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_suggests_near_misses_only() {
        assert_eq!(closest("symptom", ["symptoms", "settings", "title"]), Some("symptoms"));
        assert_eq!(closest("zzz", ["symptoms", "settings"]), None);
    }

    #[test]
    fn diagnostics_sort_by_file_then_position_and_repeats_go() {
        let d = |file: &str, at: usize, code: Code| Diagnostic::warning(code, file, at..at, "m");
        let mut list = vec![d("b.md", 0, Code::EmptySection), d("a.md", 9, Code::BrokenLink), d("a.md", 9, Code::BrokenLink), d("a.md", 2, Code::UnsafeLink)];
        sort_and_dedup(&mut list);
        let got: Vec<_> = list.iter().map(|d| (d.file.as_str(), d.span.start)).collect();
        assert_eq!(got, [("a.md", 2), ("a.md", 9), ("b.md", 0)]);
    }
}
