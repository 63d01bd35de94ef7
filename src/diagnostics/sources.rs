//! The text of the files diagnostics point into, and byte offset ↔
//! line/column conversion (lines 1-based, columns in characters).

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;

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
    fn the_map_agrees_with_line_col_and_gives_line_text() {
        let mut sources = SourceMap::default();
        sources.insert("a.md", Arc::from("one\r\ntwo é\nthree"));
        let text = sources.get("a.md").unwrap().to_string();
        for offset in 0..=text.len() + 2 {
            assert_eq!(sources.line_col("a.md", offset), line_col(&text, offset), "{offset}");
        }
        assert_eq!(sources.line_text("a.md", 1), Some("one"));
        assert_eq!(sources.line_text("a.md", 3), Some("three"));
        assert_eq!(sources.line_text("a.md", 4), None);
        assert_eq!(sources.line_col("missing.md", 10), LineCol { line: 1, column: 1 });
    }
}
