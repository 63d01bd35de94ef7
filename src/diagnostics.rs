//! Diagnostics are data: every stage pushes `Diagnostic`s into a list, and the
//! edge of the program renders them once, for a terminal (annotate-snippets) or
//! as JSON for editors and CI.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::ops::Range;
use std::sync::Arc;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use serde::Serialize;

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
    /// Stable kebab-case code, e.g. `unknown-symptom`; part of the JSON contract.
    pub code: &'static str,
    pub message: String,
    /// Path relative to the guide folder, with `/` separators.
    pub file: String,
    /// Byte range in the file's text; empty ranges point at a position.
    pub span: Range<usize>,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(code: &'static str, file: impl Into<String>, span: Range<usize>, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Error, code, message: message.into(), file: file.into(), span, help: None }
    }

    pub fn warning(code: &'static str, file: impl Into<String>, span: Range<usize>, message: impl Into<String>) -> Self {
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

/// The text of every file a diagnostic may point into, keyed by relative path.
/// Files that are not text (or could not be read) are simply absent; their
/// diagnostics then render without a snippet.
#[derive(Debug, Default, Clone)]
pub struct SourceMap {
    files: BTreeMap<String, Arc<str>>,
    /// Byte offset of each line start per file, built on first use so that
    /// locating many diagnostics in a huge file stays linear overall.
    line_starts: BTreeMap<String, std::sync::OnceLock<Vec<usize>>>,
}

/// A 1-based line and column (in characters) of a byte offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

impl SourceMap {
    pub fn insert(&mut self, path: impl Into<String>, text: Arc<str>) {
        let path = path.into();
        self.line_starts.insert(path.clone(), std::sync::OnceLock::new());
        self.files.insert(path, text);
    }

    fn starts(&self, path: &str, text: &str) -> Option<&[usize]> {
        let cell = self.line_starts.get(path)?;
        Some(cell.get_or_init(|| std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect()))
    }

    /// The text of 1-based `line` in `path`, without its line break.
    pub fn line_text(&self, path: &str, line: usize) -> Option<&str> {
        let text = self.get(path)?;
        let starts = self.starts(path, text)?;
        let start = *starts.get(line.checked_sub(1)?)?;
        let end = starts.get(line).map_or(text.len(), |next| next - 1);
        Some(text[start..end].trim_end_matches('\r'))
    }

    pub fn get(&self, path: &str) -> Option<&str> {
        self.files.get(path).map(|t| &**t)
    }

    /// Line and column of `offset` in `path`; 1:1 when the file is unknown.
    pub fn line_col(&self, path: &str, offset: usize) -> LineCol {
        let Some(text) = self.get(path) else { return LineCol { line: 1, column: 1 } };
        let Some(starts) = self.starts(path, text) else { return line_col(text, offset) };
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = starts.partition_point(|&start| start <= offset);
        let column = text[starts[line - 1]..offset].chars().count() + 1;
        LineCol { line, column }
    }
}

/// 1-based line and character column of a byte offset (clamped to the text,
/// and to the previous char boundary so a bad offset never panics).
pub fn line_col(text: &str, offset: usize) -> LineCol {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = text[line_start..offset].chars().count() + 1;
    LineCol { line, column }
}

/// Byte offset of a 1-based line and column (in characters); clamped.
pub fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line.max(1) {
        match text[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let line_text = &text[start..];
    let line_end = line_text.find('\n').unwrap_or(line_text.len());
    let col_bytes = line_text[..line_end].char_indices().nth(column.saturating_sub(1)).map_or(line_end, |(i, _)| i);
    start + col_bytes
}

/// Sorts diagnostics into a stable, reader-friendly order: by file, position, code.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| (&a.file, a.span.start, a.code, &a.message).cmp(&(&b.file, b.span.start, b.code, &b.message)));
}

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
        let primary = level.primary_title(title).id(d.code);
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
    pub code: &'a str,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_chars_not_bytes() {
        let text = "ab\nçé x\n";
        assert_eq!(line_col(text, 0), LineCol { line: 1, column: 1 });
        let x = text.find('x').unwrap();
        assert_eq!(line_col(text, x), LineCol { line: 2, column: 4 });
        assert_eq!(offset_of(text, 2, 4), x);
    }

    #[test]
    fn line_col_survives_offsets_inside_a_char_or_past_the_end() {
        let text = "é";
        assert_eq!(line_col(text, 1), LineCol { line: 1, column: 1 });
        assert_eq!(line_col(text, 99), LineCol { line: 1, column: 2 });
    }

    #[test]
    fn closest_suggests_near_misses_only() {
        assert_eq!(closest("symptom", ["symptoms", "settings", "title"]), Some("symptoms"));
        assert_eq!(closest("zzz", ["symptoms", "settings"]), None);
    }

    #[test]
    fn human_output_names_file_line_col_and_shows_the_line() {
        let mut sources = SourceMap::default();
        sources.insert("a.md", Arc::from("---\ntitle: x\nsymptoms: [wifi-drop]\n---\n"));
        let text = sources.get("a.md").unwrap();
        let start = text.find("wifi-drop").unwrap();
        let d = Diagnostic::error("unknown-symptom", "a.md", start..start + 9, "unknown symptom `wifi-drop`").with_help("did you mean `wifi-drops`?");
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
        let d = Diagnostic::warning("empty-section", "a.md", 2..3, "m");
        let out = render_json(&[d.clone(), d], &sources);
        let lines: Vec<serde_json::Value> = out.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0]["line"], 2);
        assert_eq!(lines[0]["column"], 1);
        assert_eq!(lines[0]["source_line"], "yz");
        assert_eq!(lines[0]["severity"], "warning");
    }
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
