//! Rendering diagnostics at the edge of the program: rustc-style snippets for
//! a terminal (annotate-snippets) and JSON Lines for editors and CI.

use std::fmt::Write as _;
use std::ops::Range;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde::Serialize;

use super::{Code, Diagnostic, Severity, SourceMap};

/// Renders diagnostics for a human: rustc-style snippets, coloured when `color`.
/// Every diagnostic starts with a `path:line:col: severity[code]: message` line
/// so that editors and `grep` can pick it up even without the snippet.
pub fn render_human(diagnostics: &[Diagnostic], sources: &SourceMap, color: bool) -> String {
    let renderer = if color { Renderer::styled() } else { Renderer::plain() };
    let mut out = String::new();
    for d in diagnostics {
        let lc = sources.line_col(&d.file, d.span.start);
        let level = match d.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let title = format!("{}:{}:{}: {}", d.file, lc.line, lc.column, d.message);
        let mut report: Vec<Group> = Vec::new();
        let primary = level.primary_title(title).id(d.code.as_str());
        if let Some(text) = sources.get(&d.file) {
            let (snippet_text, window_start, span) = snippet_window(text, d.span.clone());
            let line_start = sources.line_col(&d.file, window_start).line;
            report.push(
                primary.element(Snippet::source(snippet_text).line_start(line_start).path(d.file.as_str()).annotation(AnnotationKind::Primary.span(span))),
            );
        } else {
            report.push(Group::with_title(primary));
        }
        if let Some(help) = &d.help {
            report.push(Group::with_title(Level::HELP.secondary_title(help.as_str())));
        }
        let _ = writeln!(out, "{}\n", renderer.render(&report));
    }
    out
}

/// Cuts the lines around a span out of a file so that huge files render fast;
/// returns the window, its byte offset and the span relative to it.
fn snippet_window(text: &str, span: Range<usize>) -> (&str, usize, Range<usize>) {
    let mut start = span.start.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = span.end.clamp(start, text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    let window_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    // Show at most a few lines of a multi-line span.
    let mut window_end = text[end..].find('\n').map_or(text.len(), |i| end + i);
    let max_end = text[window_start..].match_indices('\n').nth(4).map_or(text.len(), |(i, _)| window_start + i);
    window_end = window_end.min(max_end).max(start);
    let end = end.min(window_end);
    (&text[window_start..window_end], window_start, (start - window_start)..(end - window_start))
}

/// One diagnostic in the JSON output; field names are a stable contract.
#[derive(Debug, Serialize)]
pub struct JsonDiagnostic<'a> {
    pub severity: Severity,
    pub code: Code,
    pub message: &'a str,
    pub file: &'a str,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub byte_start: usize,
    pub byte_end: usize,
    pub source_line: Option<&'a str>,
    pub help: Option<&'a str>,
}

/// Renders diagnostics as JSON Lines: one object per diagnostic.
pub fn render_json(diagnostics: &[Diagnostic], sources: &SourceMap) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let start = sources.line_col(&d.file, d.span.start);
        let end = sources.line_col(&d.file, d.span.end);
        let source_line = sources.get(&d.file).map(|_| sources.line_text(&d.file, start.line).unwrap_or(""));
        let json = JsonDiagnostic {
            severity: d.severity,
            code: d.code,
            message: &d.message,
            file: &d.file,
            line: start.line,
            column: start.column,
            end_line: end.line,
            end_column: end.column,
            byte_start: d.span.start,
            byte_end: d.span.end,
            source_line,
            help: d.help.as_deref(),
        };
        out.push_str(&serde_json::to_string(&json).expect("diagnostic serializes"));
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    #[test]
    fn human_output_names_file_line_col_and_shows_the_line() {
        let mut sources = SourceMap::default();
        sources.insert("a.md", Arc::from("---\ntitle: x\nsymptoms: [wifi-drop]\n---\n"));
        let text = sources.get("a.md").unwrap();
        let start = text.find("wifi-drop").unwrap();
        let d = Diagnostic::error(Code::UnknownSymptom, "a.md", start..start + 9, "unknown symptom `wifi-drop`").with_help("did you mean `wifi-drops`?");
        let out = render_human(&[d], &sources, false);
        assert!(out.contains("a.md:3:12: unknown symptom `wifi-drop`"), "{out}");
        assert!(out.contains("symptoms: [wifi-drop]"), "{out}");
        assert!(out.contains("^^^^^^^^^"), "{out}");
        assert!(out.contains("help: did you mean `wifi-drops`?"), "{out}");
    }

    #[test]
    fn json_output_is_one_object_per_line() {
        let mut sources = SourceMap::default();
        sources.insert("a.md", Arc::from("x\nyz\n"));
        let d = Diagnostic::warning(Code::EmptySection, "a.md", 2..3, "m");
        let out = render_json(&[d.clone(), d], &sources);
        let lines: Vec<serde_json::Value> = out.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0]["line"], 2);
        assert_eq!(lines[0]["column"], 1);
        assert_eq!(lines[0]["source_line"], "yz");
        assert_eq!(lines[0]["severity"], "warning");
        assert_eq!(lines[0]["code"], "empty-section");
    }
}
