//! Section front matter: splitting it off the Markdown body (YAML between
//! `---` lines or TOML between `+++` lines) and parsing it into a typed struct,
//! with every error located at its true line and column in the `.md` file,
//! and the spans of the keys written there (`KeySpans`), found once so later
//! stages can point at a key without reading the front matter again.

use std::ops::Range;

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer};

use crate::diagnostics::{Code, Diagnostic, offset_of, unknown_field_help};

use super::schema::{self, Id, Text};
use super::{date, indent, settings, symptoms};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Yaml,
    Toml,
}

/// Where the front matter and the body lie in a section's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    pub format: Format,
    /// The front matter between the fences (exclusive of both fence lines).
    pub inner: Range<usize>,
    /// Where the Markdown body starts (just after the closing fence line).
    pub body_start: usize,
}

/// Why the front matter could not even be found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitError {
    /// The text does not start with `---` or `+++`.
    Missing,
    /// An opening fence without its closing fence; the span is the opening fence.
    Unclosed { format: Format, fence: Range<usize> },
}

/// Finds the front matter at the very top of `text` (a BOM must already be gone).
pub fn split(text: &str) -> Result<Split, SplitError> {
    let first_line_end = text.find('\n').unwrap_or(text.len());
    let first_line = text[..first_line_end].trim_end_matches('\r').trim_end();
    let format = match first_line {
        "---" => Format::Yaml,
        "+++" => Format::Toml,
        _ => return Err(SplitError::Missing),
    };
    let fence = first_line;
    let inner_start = (first_line_end + 1).min(text.len());
    let mut offset = inner_start;
    for line in text[inner_start..].split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']).trim_end();
        if content == fence || (format == Format::Yaml && content == "...") {
            return Ok(Split { format, inner: inner_start..offset, body_start: offset + line.len() });
        }
        offset += line.len();
    }
    Err(SplitError::Unclosed { format, fence: 0..fence.len() })
}

/// Whether `text` breaks its lines with CR alone (old Mac OS): its first
/// line would be a fence if CR ended lines, and no LF follows the first CR.
/// fixbook reads LF and CRLF; `split` then finds no front matter, and the
/// diagnostic should say why.
pub fn cr_only_line_breaks(text: &str) -> bool {
    let Some(cr) = text.find('\r') else { return false };
    let first = text[..cr].trim_end();
    (first == "---" || first == "+++") && !text[..cr].contains('\n') && text.as_bytes().get(cr + 1) != Some(&b'\n')
}

/// Where the top-level keys of a section's front matter are written, found
/// once when the section is parsed, so that later stages (lint, freshness,
/// the escalation check) can point at a key without reading the front matter
/// again. A key is a line that starts with it and goes on with `:` or `=`
/// (YAML and TOML alike); the first line wins.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeySpans {
    /// (key, byte span of its line without the line break and trailing blanks).
    lines: Vec<(String, Range<usize>)>,
    /// The opening fence (`---`), pointed at for a key that is not written.
    fence: Range<usize>,
}

impl KeySpans {
    /// Finds the keys in the front matter `split` located in `text`.
    pub fn find(text: &str, split: &Split) -> KeySpans {
        let mut lines: Vec<(String, Range<usize>)> = Vec::new();
        let mut offset = split.inner.start;
        for line in text[split.inner.clone()].split_inclusive('\n') {
            let end = line.find(|c: char| c == ':' || c == '=' || c.is_whitespace()).unwrap_or(line.len());
            let key = &line[..end];
            if !key.is_empty() && line[end..].trim_start().starts_with([':', '=']) && !lines.iter().any(|(k, _)| k == key) {
                lines.push((key.to_string(), offset..offset + line.trim_end().len()));
            }
            offset += line.len();
        }
        KeySpans { lines, fence: 0..split.inner.start.saturating_sub(1) }
    }

    /// The span of the name of `key` (`title` in `title: x`), if it is written.
    pub fn key(&self, key: &str) -> Option<Range<usize>> {
        self.lines.iter().find(|(k, _)| k == key).map(|(_, line)| line.start..line.start + key.len())
    }

    /// The span of the whole `key: value` line, or of the opening fence when
    /// the key is not written.
    pub fn line_or_fence(&self, key: &str) -> Range<usize> {
        self.lines.iter().find(|(k, _)| k == key).map_or(self.fence.clone(), |(_, line)| line.clone())
    }
}

/// A date field accepts a YAML string (`2026-11-01`) or a TOML local date.
fn deserialize_date<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    struct DateVisitor;
    impl<'de> serde::de::Visitor<'de> for DateVisitor {
        type Value = Option<String>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a date written YYYY-MM-DD")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(DateVisitor)
        }
        // toml hands dates over as a one-entry map holding the date's text.
        fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let entry: Option<(String, String)> = map.next_entry()?;
            Ok(entry.map(|(_, v)| v))
        }
    }
    deserializer.deserialize_any(DateVisitor)
}

/// Front matter exactly as written; `parse` turns it into checked data.
/// The fields' doc comments are what editors show for each key (`fixbook
/// schema front-matter`, see `schema`).
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawFrontMatter {
    /// The section's title: what it fixes, in the reader's words (`Restart the router`). Required.
    // No `serde(default)`: a missing `Option` is `None` all the same, and the schema says the key is required.
    #[schemars(required, with = "Text", pattern(schema::NOT_BLANK))]
    pub title: Option<String>,
    /// One sentence under the title on the section's card and page, and in search results.
    #[serde(default)]
    #[schemars(with = "Option<Text>")]
    pub summary: Option<String>,
    /// Reading order: lower comes first (default 0; equal weights sort by title, then path).
    #[serde(default)]
    #[schemars(range(min = i64::MIN, max = i64::MAX))]
    pub weight: Option<i64>,
    /// Ids of the symptoms this section fixes, from `symptoms.yml` (`[wifi-keeps-dropping]`).
    #[serde(default)]
    #[schemars(with = "Vec<Id>", inner(pattern(symptoms::ID_PATTERN)))]
    pub symptoms: Vec<String>,
    /// Settings paths the section touches, segments joined by ` > ` (`Settings > Wi-Fi > Advanced`).
    #[serde(default)]
    #[schemars(with = "Vec<Text>", inner(pattern(settings::PATTERN)))]
    pub settings: Vec<String>,
    /// `true` keeps the section out of the site unless built with `--drafts`.
    #[serde(default)]
    pub draft: bool,
    /// Devices, versions or plans the section is for (`[iOS 17, iPadOS 17]`), shown on the page.
    #[serde(default)]
    #[schemars(with = "Vec<Text>")]
    pub applies_to: Vec<String>,
    /// When the steps were last checked against the real device, written YYYY-MM-DD (`check --stale-after` uses it).
    #[serde(default, deserialize_with = "deserialize_date")]
    #[schemars(with = "Option<String>", pattern(date::PATTERN))]
    pub reviewed: Option<String>,
    /// `true` marks the section to try when nothing else worked (at most one per guide); every "Still not fixed?" list ends with it.
    #[serde(default)]
    pub escalation: bool,
}

/// The JSON Schema of YAML front matter. With `symptom_ids` (the guide's
/// catalog), `symptoms:` takes exactly those ids, so editors complete them;
/// without, any id of the catalog's syntax. TOML front matter (`+++`) is
/// parsed by the same type but is stricter: a TOML number is not text.
pub fn schema(symptom_ids: Option<&[&str]>) -> serde_json::Value {
    let mut schema = schema::root_schema::<RawFrontMatter>(
        "fixbook section front matter",
        "The YAML between the `---` lines at the top of a section's .md file. `fixbook check` reports the same mistakes with file, line and column.",
    );
    if let Some(ids) = symptom_ids
        && let Some(items) = schema.pointer_mut("/properties/symptoms/items")
    {
        let spellings: Vec<serde_json::Value> = ids.iter().flat_map(|id| schema::yaml_spellings(id)).collect();
        *items = serde_json::json!({ "description": "A symptom id from this guide's symptoms.yml.", "enum": spellings });
    }
    schema
}

pub const KNOWN_KEYS: &[&str] = &["title", "summary", "weight", "symptoms", "settings", "draft", "applies_to", "reviewed", "escalation"];

/// Parses the front matter found by `split`. `file` names the section for
/// diagnostics; spans are byte ranges in the whole `.md` text.
pub fn parse(file: &str, text: &str, split: &Split) -> Result<RawFrontMatter, Diagnostic> {
    match split.format {
        Format::Yaml => parse_yaml(file, text, split),
        Format::Toml => parse_toml(file, text, split),
    }
}

fn parse_yaml(file: &str, text: &str, split: &Split) -> Result<RawFrontMatter, Diagnostic> {
    let inner = &text[split.inner.clone()];
    if inner.trim().is_empty() {
        return Ok(RawFrontMatter::default());
    }
    // Hand the parser the file from byte 0 (the opening `---` is a valid YAML
    // document marker), so the lines it reports are the `.md` file's own lines.
    let block = &text[..split.inner.end];
    let options = serde_saphyr::options! { strict_booleans: true };
    serde_saphyr::from_str_with_options::<RawFrontMatter>(block, options).map_err(|e| {
        let e = e.without_snippet();
        let (line, column) = e.location().map_or((1, 1), |l| (l.line() as usize, l.column() as usize));
        let mut start = if line == 0 { split.inner.start } else { offset_of(text, line, column) };
        let message = plain_yaml_message(&e.to_string());
        // One space too many or too few gets the parser's words about
        // mappings, often a line off: name the slip and the fix instead.
        if unknown_field_help(&message, KNOWN_KEYS).is_none()
            && let Some(slip) = indent::find_slip(text, split.inner.clone(), line.max(1), 5)
        {
            return Diagnostic::error(Code::FrontMatterSyntax, file, slip.span.clone(), slip.message()).with_help(slip.help());
        }
        // The scanner reports a tab at the start of the scalar it was reading,
        // often the line before; point at the tab itself.
        if message.contains("found a tab")
            && let Some(tab) = text[start.min(split.inner.end)..split.inner.end].find('\t')
        {
            start += tab;
        }
        yaml_or_toml_diagnostic(file, text, start, message)
    })
}

fn parse_toml(file: &str, text: &str, split: &Split) -> Result<RawFrontMatter, Diagnostic> {
    let inner = &text[split.inner.clone()];
    toml::from_str::<RawFrontMatter>(inner).map_err(|e| {
        let start = split.inner.start + e.span().map_or(0, |s| s.start);
        yaml_or_toml_diagnostic(file, text, start, e.message().trim().to_string())
    })
}

/// serde-saphyr appends " at line L column C" to its messages; the diagnostic
/// shows the position itself, so drop it.
fn plain_yaml_message(message: &str) -> String {
    let first = message.lines().next().unwrap_or(message);
    match first.rfind(" at line ") {
        Some(i) => first[..i].to_string(),
        None => first.to_string(),
    }
    .trim_end_matches(':')
    .to_string()
}

fn yaml_or_toml_diagnostic(file: &str, text: &str, start: usize, message: String) -> Diagnostic {
    let start = start.min(text.len());
    let token_end = text[start..].find(['\n', ':', '=', ',', ']']).map_or(text.len(), |i| start + i);
    let end = if token_end == start { (start + 1).min(text.len()) } else { token_end };
    let span = start..end.max(start);
    if let Some((field, help)) = unknown_field_help(&message, KNOWN_KEYS) {
        // Point at the key itself.
        // A complex (`? ...`) key spans lines and is not found verbatim: fall back to the reported spot.
        let key_span = find_key(text, start, &field).map_or(span, |k| k..k + field.len());
        return Diagnostic::error(Code::UnknownKey, file, key_span, format!("unknown front-matter key `{field}`")).with_help(help);
    }
    let (code, help) = classify(&message);
    let message = friendlier(&message, &text[span.clone()]);
    // serde-saphyr: "duplicate mapping key: title, set DuplicateKeyPolicy in Options if acceptable".
    let message = match message.strip_prefix("duplicate mapping key: ") {
        Some(rest) => format!("duplicate key `{}`", rest.split(',').next().unwrap_or(rest).trim()),
        None => message,
    };
    Diagnostic::error(code, file, span, message).with_help_opt(help)
}

/// serde-saphyr says "invalid i64" for `weight: high`; say what was expected.
fn friendlier(message: &str, found: &str) -> String {
    let found = found.trim();
    let digits = found.strip_prefix(['-', '+']).unwrap_or(found);
    let is_integer = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
    let integer_message = message.starts_with("invalid i") || message.starts_with("invalid u") || message.contains("as i128");
    if integer_message && is_integer {
        return format!("`{found}` is too large: a whole number here lies between {} and {}", i64::MIN, i64::MAX);
    }
    let expected = match message {
        "invalid i64" | "invalid u64" | "invalid i32" => "a whole number",
        "invalid bool" => "`true` or `false`",
        _ => return message.to_string(),
    };
    format!("expected {expected}, found `{found}`")
}

fn find_key(text: &str, near: usize, field: &str) -> Option<usize> {
    let line_start = text[..near.min(text.len())].rfind('\n').map_or(0, |i| i + 1);
    text[line_start..].find(field).map(|i| line_start + i)
}

fn classify(message: &str) -> (Code, Option<String>) {
    let m = message.to_lowercase();
    if m.starts_with("invalid i")
        || m.starts_with("invalid u")
        || m == "invalid bool"
        || m.contains("invalid type")
        || m.contains("invalid value")
        || m.contains("expected") && m.contains("found")
    {
        let help = if m.contains("i64") || m.contains("integer") || m.contains("u64") {
            Some("`weight` takes a whole number, e.g. `weight: 10`".to_string())
        } else if m.contains("struct rawfrontmatter") || m.contains("a map") || m.contains("map") {
            Some("front matter must be a set of `key: value` lines, e.g. `title: Restart the router`".to_string())
        } else if m.contains("sequence") {
            Some("lists are written `[a, b]` or one `- item` per line".to_string())
        } else if m.contains("bool") {
            Some("use `true` or `false`".to_string())
        } else {
            None
        };
        (Code::InvalidType, help)
    } else if m.contains("expected mapping") || m.contains("expected a map") {
        (
            Code::FrontMatterSyntax,
            Some("front matter must be a set of `key: value` lines, e.g. `title: Restart the router`; a list or a single value is not allowed".to_string()),
        )
    } else if m.contains("duplicate") {
        (Code::DuplicateKey, Some("each key may appear once; remove one of them".to_string()))
    } else if m.contains("tab") {
        (Code::FrontMatterSyntax, Some("YAML indentation must use spaces, not tabs".to_string()))
    } else {
        (
            Code::FrontMatterSyntax,
            Some(
                "front matter between `---` lines is YAML (`key: value`), between `+++` lines TOML (`key = \"value\"`); close every quote and bracket"
                    .to_string(),
            ),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::line_col;

    #[test]
    fn splits_yaml_and_toml() {
        let text = "---\ntitle: A\n---\nBody\n";
        let s = split(text).unwrap();
        assert_eq!(s.format, Format::Yaml);
        assert_eq!(&text[s.inner.clone()], "title: A\n");
        assert_eq!(&text[s.body_start..], "Body\n");
        let text = "+++\r\ntitle = \"A\"\r\n+++\r\nBody";
        let s = split(text).unwrap();
        assert_eq!(s.format, Format::Toml);
        assert_eq!(&text[s.body_start..], "Body");
    }

    #[test]
    fn unclosed_and_missing_front_matter_are_told_apart() {
        assert_eq!(split("# Hello\n"), Err(SplitError::Missing));
        assert_eq!(split("---\ntitle: x\n"), Err(SplitError::Unclosed { format: Format::Yaml, fence: 0..3 }));
        assert_eq!(split(""), Err(SplitError::Missing));
        assert_eq!(split("---\rtitle: x\r---\rBody\r"), Err(SplitError::Missing));
        assert!(cr_only_line_breaks("---\rtitle: x\r---\rBody\r"));
        assert!(cr_only_line_breaks("+++ \rtitle = 'x'\r+++\r"));
        assert!(!cr_only_line_breaks("---\r\ntitle: x\r\n---\r\n"));
        assert!(!cr_only_line_breaks("# Hello\rworld"));
        assert!(!cr_only_line_breaks("# Hello\n"));
    }

    fn parse_str(text: &str) -> Result<RawFrontMatter, Diagnostic> {
        parse("s.md", text, &split(text).unwrap())
    }

    #[test]
    fn yaml_errors_point_at_the_md_line() {
        let text = "---\ntitle: A\nweight: high\n---\n";
        let d = parse_str(text).unwrap_err();
        assert_eq!(d.code, Code::InvalidType);
        assert_eq!(line_col(text, d.span.start).line, 3);
    }

    #[test]
    fn unknown_key_gets_did_you_mean() {
        let text = "---\ntitle: A\nsymptom: [x]\n---\n";
        let d = parse_str(text).unwrap_err();
        assert_eq!(d.code, Code::UnknownKey);
        assert_eq!(d.help.as_deref(), Some("did you mean `symptoms`?"));
        assert_eq!(&text[d.span.clone()], "symptom");
    }

    #[test]
    fn toml_errors_point_at_the_md_line() {
        let text = "+++\ntitle = \"A\"\nweight = \"x\"\n+++\n";
        let d = parse_str(text).unwrap_err();
        assert_eq!(line_col(text, d.span.start).line, 3, "{d:?}");
    }

    #[test]
    fn dates_come_from_yaml_strings_and_toml_dates() {
        let y = parse_str("---\ntitle: A\nreviewed: 2026-03-01\n---\n").unwrap();
        assert_eq!(y.reviewed.as_deref(), Some("2026-03-01"));
        let t = parse_str("+++\ntitle = \"A\"\nreviewed = 2026-03-01\n+++\n").unwrap();
        assert_eq!(t.reviewed.as_deref(), Some("2026-03-01"));
    }

    #[test]
    fn key_spans_name_the_key_and_its_line() {
        for text in ["---\ntitle: A\nweight : 3\nsymptoms:\n  - title: nested\n---\n", "+++\r\ntitle = \"A\"\r\nweight = 3\r\n+++\r\n"] {
            let keys = KeySpans::find(text, &split(text).unwrap());
            assert_eq!(&text[keys.key("title").unwrap()], "title");
            assert!(text[keys.line_or_fence("title")].starts_with("title") && text[keys.line_or_fence("title")].ends_with(['A', '"']));
            assert!(text[keys.line_or_fence("weight")].ends_with('3'), "{text:?}");
            assert_eq!(keys.key("summary"), None);
            // A key that is not written points at the opening fence.
            assert_eq!(text[keys.line_or_fence("summary")].trim_end(), &text[..3]);
        }
    }

    #[test]
    fn yaml_booleans_are_strict() {
        let fm = parse_str("---\ntitle: No\n---\n").unwrap();
        assert_eq!(fm.title.as_deref(), Some("No"));
    }
}
