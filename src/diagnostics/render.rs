//! Rendering diagnostics at the edge of the program: rustc-style snippets for
//! a terminal (annotate-snippets) and JSON Lines for editors and CI.

use std::fmt::Write as _;
use std::ops::Range;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde::Serialize;

use super::{Code, Diagnostic, Severity, SourceMap};
use crate::escape::{json_for_terminal, terminal};

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
        // Everything from the guide is shown, never obeyed (`escape::terminal`).
        let file = terminal(&d.file, "");
        let title = format!("{}:{}:{}: {}", file, lc.line, lc.column, terminal(&d.message, "\n"));
        let mut report: Vec<Group> = Vec::new();
        let primary = level.primary_title(title).id(d.code.as_str());
        if let Some(text) = sources.get(&d.file) {
            let (snippet_text, window_start, span) = snippet_window(text, d.span.clone());
            let line_start = sources.line_col(&d.file, window_start).line;
            let (snippet_text, span) = terminal_snippet(snippet_text, span);
            report
                .push(primary.element(Snippet::source(snippet_text).line_start(line_start).path(file.clone()).annotation(AnnotationKind::Primary.span(span))));
        } else {
            report.push(Group::with_title(primary));
        }
        if let Some(help) = &d.help {
            report.push(Group::with_title(Level::HELP.secondary_title(terminal(help, "\n"))));
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

/// The snippet's lines made safe for a terminal (line breaks and tabs kept),
/// with the span moved onto the new text.
fn terminal_snippet(text: &str, span: Range<usize>) -> (std::borrow::Cow<'_, str>, Range<usize>) {
    let safe = terminal(text, "\n\t");
    if let std::borrow::Cow::Borrowed(_) = safe {
        return (safe, span);
    }
    let moved = |at: usize| at + terminal(&text[..at], "\n\t").len() - at;
    let span = moved(span.start)..moved(span.end);
    (safe, span)
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
        out.push_str(&json_for_terminal(serde_json::to_string(&json).expect("diagnostic serializes")));
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

    /// A hostile file name, message, help and source line, as a terminal would receive them.
    fn hostile() -> (Vec<Diagnostic>, SourceMap) {
        let mut sources = SourceMap::default();
        let file = "a\u{1b}]52;c;aGk=\u{7}b\u{9b}2J\u{202e}.md";
        sources.insert(file, Arc::from("x\u{1b}[31my\u{7}z\u{9b}q\u{7f}\u{202e}w\r\nnext\n"));
        let d = Diagnostic::warning(Code::EmptySection, file, 1..14, "in `a\u{1b}]0;title\u{7}`\u{9b}").with_help("h\u{1b}]0;t\u{7}\u{85}");
        (vec![d], sources)
    }

    #[test]
    fn nothing_from_a_guide_reaches_the_terminal_as_a_control() {
        let (d, sources) = hostile();
        let plain = render_human(&d, &sources, false);
        assert!(!plain.chars().any(|c| crate::escape::is_terminal_unsafe(c) && c != '\n'), "{plain:?}");
        assert!(plain.contains(" --> a\u{241b}]52;c;aGk=\u{2407}b\\u{9b}2J\\u{202e}.md:1:2"), "{plain}");
        // With colour, the only escapes are the renderer's own SGR sequences.
        let styled = render_human(&d, &sources, true);
        let mut rest = styled.as_str();
        while let Some(i) = rest.find('\u{1b}') {
            let seq = &rest[i + 1..];
            let end = seq.find('m').unwrap_or_else(|| panic!("unterminated escape in {styled:?}"));
            assert!(seq.starts_with('[') && seq[1..end].bytes().all(|b| b.is_ascii_digit() || b == b';'), "not SGR: {:?}", &seq[..end.min(20)]);
            rest = &seq[end..];
        }
        assert!(!styled.chars().any(|c| crate::escape::is_terminal_unsafe(c) && !matches!(c, '\n' | '\u{1b}')), "{styled:?}");
        // The JSON says the same text with every such character escaped.
        let json = render_json(&d, &sources);
        assert!(!json.trim_end().chars().any(crate::escape::is_terminal_unsafe), "{json:?}");
        let v: serde_json::Value = serde_json::from_str(json.trim_end()).unwrap();
        assert_eq!(v["file"], d[0].file);
        assert_eq!(v["message"], d[0].message);
    }
}
