//! YAML indentation slips: a key or list item indented unlike the lines it
//! belongs with. YAML reads structure from indentation, so one space too many
//! or too few makes the parser fail with words about mappings and block
//! keys ("mapping values are not allowed in this context", "did not find
//! expected key", "missing field `label`"), often at another line. When a
//! parse of front matter or symptoms.yml fails, this finds the slip near the
//! reported line so the diagnostic can name the real cause and the fix.

use std::ops::Range;

/// A line indented unlike its siblings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slip {
    /// 1-based line of the slipped line.
    pub line: usize,
    /// The line's text from its first non-blank byte to its end (trailing
    /// blanks dropped), in bytes of the whole text.
    pub span: Range<usize>,
    /// Its indentation, in spaces.
    pub found: usize,
    /// The indentation of the lines it belongs with.
    pub expected: usize,
    /// 1-based line of the nearest earlier line indented by `expected`.
    pub like_line: Option<usize>,
    /// `key:` or `- item`: what the line starts with, for the message.
    pub what: String,
}

impl Slip {
    /// The diagnostic's message.
    pub fn message(&self) -> String {
        format!(
            "indentation slip: {} is indented by {}, the lines it belongs with by {}, so YAML cannot tell where it belongs",
            self.what,
            spaces(self.found),
            spaces(self.expected)
        )
    }

    /// The diagnostic's help: how to indent it.
    pub fn help(&self) -> String {
        let like = self.like_line.map(|l| format!(", like line {l}")).unwrap_or_default();
        match self.expected {
            0 => format!("start {} at the beginning of the line{like}", self.what),
            n => format!("indent {} by {}{like}", self.what, spaces(n)),
        }
    }
}

fn spaces(n: usize) -> String {
    if n == 1 { "1 space".to_string() } else { format!("{n} spaces") }
}

/// Finds the indentation slip in `text[region]` nearest to `error_line`
/// (1-based, a line of the whole `text`), at most `reach` lines away;
/// one on the error line itself, or before it, wins a tie.
pub fn find_slip(text: &str, region: Range<usize>, error_line: usize, reach: usize) -> Option<Slip> {
    let slips = slips(text, region);
    slips.into_iter().filter(|s| s.line.abs_diff(error_line) <= reach).min_by_key(|s| (s.line.abs_diff(error_line), s.line > error_line))
}

/// Every line of `text[region]` that is indented where no block of the
/// lines before it could continue.
fn slips(text: &str, region: Range<usize>) -> Vec<Slip> {
    let region = region.start.min(text.len())..region.end.min(text.len());
    let first_line = 1 + text.as_bytes()[..region.start].iter().filter(|&&b| b == b'\n').count();
    // Indentation levels of the open blocks, innermost last.
    let mut levels: Vec<usize> = vec![0];
    // Indentation and line of the last line at each level seen (for "like line N").
    let mut seen_at: Vec<(usize, usize)> = Vec::new();
    let mut opens = false;
    // A block scalar (`|`, `>`) or a multi-line flow collection or quote in progress.
    let mut scalar_above: Option<usize> = None;
    let mut open_brackets = 0i64;
    let mut out = Vec::new();
    let mut offset = region.start;
    for (i, raw_line) in text[region.clone()].split_inclusive('\n').enumerate() {
        let line_no = first_line + i;
        let start = offset;
        offset += raw_line.len();
        let line = raw_line.trim_end_matches(['\n', '\r']);
        let content = line.trim_start_matches(' ');
        let indent = line.len() - content.len();
        if content.trim().is_empty() || content.starts_with('#') || content.starts_with('\t') || matches!(content.trim_end(), "---" | "..." | "+++") {
            continue;
        }
        if let Some(key_indent) = scalar_above {
            if indent > key_indent {
                continue;
            }
            scalar_above = None;
        }
        if open_brackets > 0 {
            open_brackets += bracket_balance(content);
            continue;
        }
        let top = *levels.last().unwrap_or(&0);
        let shape = Shape::of(content);
        if opens && indent > top {
            levels.push(indent);
        } else if indent > top && shape == Shape::Other {
            // A plain scalar going on over more lines.
            continue;
        } else {
            let before = levels.clone();
            while levels.len() > 1 && *levels.last().unwrap_or(&0) > indent {
                levels.pop();
            }
            let top = *levels.last().unwrap_or(&0);
            if top != indent {
                // The nearest level it might have meant; the deeper one on a tie.
                let expected = before.iter().copied().min_by_key(|&l| (l.abs_diff(indent), usize::MAX - l)).unwrap_or(0);
                let like_line = seen_at.iter().rev().find(|(ind, _)| *ind == expected).map(|(_, l)| *l);
                let what = match shape {
                    Shape::Item => "this list item".to_string(),
                    Shape::Key(ref key) => format!("`{key}:`"),
                    Shape::Other => "this line".to_string(),
                };
                let end = start + line.trim_end().len();
                out.push(Slip { line: line_no, span: start + indent..end, found: indent, expected, like_line, what });
                // Read on as if the line were not there.
                levels = before;
                opens = false;
                continue;
            }
        }
        seen_at.push((indent, line_no));
        // What the line opens for the lines after it.
        let (rest, rest_indent) = match shape {
            Shape::Item => {
                let after = &content[1..];
                let inner = after.trim_start_matches(' ');
                let inner_indent = indent + 1 + (after.len() - inner.len());
                if matches!(Shape::of(inner), Shape::Key(_)) {
                    // `- id: x`: the item's other keys line up with `id`.
                    levels.push(inner_indent);
                    seen_at.push((inner_indent, line_no));
                }
                (inner, inner_indent)
            }
            _ => (content, indent),
        };
        let value = match Shape::of(rest) {
            Shape::Key(ref key) => rest[key.len()..].trim_start().strip_prefix(':').unwrap_or("").trim(),
            _ => rest.trim(),
        };
        let value = value.split(" #").next().unwrap_or(value).trim();
        opens = matches!(Shape::of(rest), Shape::Key(_)) && value.is_empty() || rest.trim() == "-";
        if value.starts_with('|') || value.starts_with('>') {
            scalar_above = Some(rest_indent);
        }
        if value.starts_with('[') || value.starts_with('{') {
            open_brackets = bracket_balance(value).max(0);
        }
    }
    out
}

/// `[`/`{` opened minus closed (quotes not looked into).
fn bracket_balance(text: &str) -> i64 {
    text.chars()
        .map(|c| match c {
            '[' | '{' => 1,
            ']' | '}' => -1,
            _ => 0,
        })
        .sum()
}

#[derive(Debug, PartialEq, Eq)]
enum Shape {
    /// `- …`
    Item,
    /// `key: …` (a plain key of letters, digits, `_` and `-`).
    Key(String),
    Other,
}

impl Shape {
    fn of(content: &str) -> Shape {
        if content == "-" || content.starts_with("- ") {
            return Shape::Item;
        }
        let key_len = content.find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-')).unwrap_or(content.len());
        let key = &content[..key_len];
        let after = &content[key_len..];
        if !key.is_empty() && (after.starts_with(": ") || after == ":" || after.starts_with(":\t")) {
            return Shape::Key(key.to_string());
        }
        Shape::Other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slip(text: &str, line: usize) -> Option<Slip> {
        find_slip(text, 0..text.len(), line, 5)
    }

    #[test]
    fn a_key_indented_under_a_key_with_a_value() {
        let text = "---\ntitle: A\nsummary: B\n  weight: 10\n---\n";
        let s = slip(text, 4).unwrap();
        assert_eq!((s.line, s.found, s.expected, s.like_line), (4, 2, 0, Some(3)));
        assert_eq!(&text[s.span.clone()], "weight: 10");
        assert_eq!(s.help(), "start `weight:` at the beginning of the line, like line 3");
        assert!(s.message().contains("`weight:` is indented by 2 spaces, the lines it belongs with by 0"), "{}", s.message());
    }

    #[test]
    fn a_list_item_one_space_short() {
        let text = "---\ntitle: A\nsettings:\n  - Admin > System\n - Admin > Wireless\n---\n";
        let s = slip(text, 5).unwrap();
        assert_eq!((s.line, s.found, s.expected, s.like_line), (5, 1, 2, Some(4)));
        assert_eq!(s.help(), "indent this list item by 2 spaces, like line 4");
    }

    #[test]
    fn a_key_of_a_catalog_entry_out_of_line() {
        let text = "symptoms:\n  - id: a\n    label: A\n  - id: b\n   label: B\n";
        let s = slip(text, 4).unwrap();
        assert_eq!((s.line, s.found, s.expected), (5, 3, 4));
        assert_eq!(s.help(), "indent `label:` by 4 spaces, like line 4");
        let text = "symptoms:\n  - id: a\n    label: A\n      group: G\n";
        assert_eq!(slip(text, 4).map(|s| (s.line, s.found, s.expected)), Some((4, 6, 4)));
        let text = "symptoms:\n  - id: a\n    label: A\n - id: b\n   label: B\n";
        assert_eq!(slip(text, 4).map(|s| (s.line, s.found, s.expected)), Some((4, 1, 2)));
    }

    #[test]
    fn valid_yaml_has_no_slip() {
        for text in [
            "---\ntitle: A\nsettings:\n  - a\n  - b\nsymptoms:\n- x\n- y\n---\n",
            "---\ntitle: A\nsummary: a plain scalar\n  going on over lines\nweight: 1\n---\n",
            "---\ntitle: A\nsummary: |\n  block\n    deeper\n  text\nweight: 1\n---\n",
            "---\ntitle: A\nsymptoms: [a,\n   b]\nweight: 1\n---\n",
            "symptoms:\n  - id: a\n    label: A\n    aliases:\n      - x\n      - y\n    description: >\n      folded\n  - id: b\n    label: B\n",
            "symptoms:\n- id: a\n  label: A\n# comment\n   # indented comment\n- id: b\n  label: B\n",
        ] {
            assert_eq!(slips(text, 0..text.len()), Vec::new(), "{text}");
        }
    }

    #[test]
    fn only_a_slip_near_the_error_counts() {
        let text = "---\ntitle: A\nsummary: B\n  weight: 10\n---\n";
        assert!(find_slip(text, 0..text.len(), 40, 5).is_none());
    }
}
