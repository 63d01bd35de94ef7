//! The symptom catalog (`symptoms.yml`): what readers can tick in the filter.
//! Ids are slugs used in URLs; labels are what readers see.

use std::collections::HashMap;
use std::ops::Range;

use schemars::JsonSchema;
use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::diagnostics::{Code, Diagnostic, offset_of, unknown_field_help};

use super::indent;
use super::schema::{self, Id, Text};

pub const FILE_NAME: &str = "symptoms.yml";

/// What `SymptomId::parse` accepts, for schemas.
pub const ID_PATTERN: &str = "^[a-z0-9-]+$";

/// The one id the catalog refuses: `symptoms/index.html` lists every symptom
/// (with a large catalog), so no symptom page may take that name.
pub const RESERVED_ID: &str = "index";

/// A symptom id: `[a-z0-9-]+`, so it is safe in file names and URLs.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct SymptomId(String);

impl SymptomId {
    pub fn parse(raw: &str) -> Option<SymptomId> {
        let valid = !raw.is_empty() && raw.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        valid.then(|| SymptomId(raw.to_string()))
    }

    /// A symptom named in a section's front matter, as written (trimmed). It
    /// is not validated here: `checks` reports an id the catalog lacks.
    pub fn reference(written: &str) -> SymptomId {
        SymptomId(written.trim().to_string())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::borrow::Borrow<str> for SymptomId {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for SymptomId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// One entry of the catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Symptom {
    pub id: SymptomId,
    pub label: String,
    pub group: Option<String>,
    pub aliases: Vec<String>,
    pub description: Option<String>,
    /// Where the id is written in symptoms.yml (for "unused symptom" warnings).
    pub span: Range<usize>,
}

/// symptoms.yml as written. The fields' doc comments are what editors show
/// (`fixbook schema symptoms`, see `schema`).
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawCatalog {
    /// Every symptom readers can tick, in the order the filter shows them.
    #[serde(default)]
    symptoms: Vec<RawSymptom>,
}

/// One symptom: what a reader sees happen, in their words.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(inline)]
struct RawSymptom {
    /// The id sections list under `symptoms:`; also the symptom page's URL. Lowercase letters, digits and `-` only (`wifi-keeps-dropping`).
    #[schemars(with = "Id", pattern(ID_PATTERN))]
    id: Spanned<String>,
    /// What readers tick, as they would say it (`Wi-Fi keeps dropping`). Labels must differ.
    #[schemars(with = "Text", pattern(schema::NOT_BLANK))]
    label: Spanned<String>,
    /// The heading the symptom is listed under in the filter (`Connection`).
    #[serde(default)]
    #[schemars(with = "Option<Text>")]
    group: Option<String>,
    /// Other words readers use for it; search and the filter find the symptom by these too.
    #[serde(default)]
    #[schemars(with = "Vec<Text>")]
    aliases: Vec<String>,
    /// A longer explanation shown on the symptom's page.
    #[serde(default)]
    #[schemars(with = "Option<Text>")]
    description: Option<String>,
}

/// The JSON Schema of symptoms.yml. Two rules stay with `fixbook check`:
/// ids and labels must be unique.
pub fn schema() -> serde_json::Value {
    schema::root_schema::<RawCatalog>(
        "fixbook symptoms.yml",
        "The symptom catalog of a fixbook guide: what readers can tick in the symptom filter. `fixbook check` reports the same mistakes with line and column, and also ids or labels used twice.",
    )
}

const ENTRY_KEYS: &[&str] = &["id", "label", "group", "aliases", "description"];

/// Parses the catalog; all problems are returned together, and the valid
/// symptoms are kept so that later checks still run.
pub fn parse(text: &str) -> (Vec<Symptom>, Vec<Diagnostic>) {
    if text.trim().is_empty() {
        return (Vec::new(), Vec::new());
    }
    let raw: RawCatalog = match serde_saphyr::from_str_with_options(text, serde_saphyr::options! { strict_booleans: true }) {
        Ok(raw) => raw,
        Err(e) => {
            let e = e.without_snippet();
            let start = e.location().map_or(0, |l| offset_of(text, l.line() as usize, l.column() as usize));
            let message = e.to_string();
            let message = message.lines().next().unwrap_or("").to_string();
            let message = message.rfind(" at line ").map_or(message.clone(), |i| message[..i].to_string());
            let end = text[start..].find('\n').map_or(text.len(), |i| start + i).max(start);
            let error_line = e.location().map_or(1, |l| (l.line() as usize).max(1));
            let slip = indent::find_slip(text, 0..text.len(), error_line, 5);
            let d = match (unknown_field_help(&message, ENTRY_KEYS), slip) {
                // One space too many or too few: name it, not the parser's words.
                (None, Some(slip)) => Diagnostic::error(Code::SymptomsSyntax, FILE_NAME, slip.span.clone(), slip.message()).with_help(slip.help()),
                (Some((field, help)), _) => {
                    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
                    // The parser's field may not be written verbatim on that line (a
                    // flow or complex key): then point where the parser did.
                    let key = text[line_start..].find(&field).map_or(start..end, |i| line_start + i..line_start + i + field.len());
                    Diagnostic::error(Code::UnknownKey, FILE_NAME, key, format!("unknown symptom key `{field}`")).with_help(help)
                }
                (None, None) => Diagnostic::error(Code::SymptomsSyntax, FILE_NAME, start..end, message)
                    .with_help("symptoms.yml holds `symptoms:` followed by entries like `- id: wifi-drops` / `  label: Wi-Fi keeps dropping`"),
            };
            return (Vec::new(), vec![d]);
        }
    };
    let mut symptoms = Vec::new();
    let mut problems = Vec::new();
    let mut by_id: HashMap<String, usize> = HashMap::new();
    let mut by_label: HashMap<String, usize> = HashMap::new();
    let lines = LineStarts::new(text);
    for entry in raw.symptoms {
        let id_span = lines.span_of(&entry.id);
        let label_span = lines.span_of(&entry.label);
        let Some(id) = SymptomId::parse(&entry.id.value) else {
            let suggestion = crate::slug::slugify(&entry.id.value);
            problems.push(
                Diagnostic::error(Code::InvalidSymptomId, FILE_NAME, id_span, format!("symptom id `{}` is not a lowercase slug", entry.id.value))
                    .with_help(format!("ids use only a-z, 0-9 and `-`; try `{}`", suggestion.to_ascii_lowercase())),
            );
            continue;
        };
        if id.as_str() == RESERVED_ID {
            problems.push(
                Diagnostic::error(Code::InvalidSymptomId, FILE_NAME, id_span.clone(), format!("symptom id `{RESERVED_ID}` is reserved"))
                    .with_help("`symptoms/index.html` is the page that lists every symptom; choose another id (it names the page `symptoms/<id>.html`)"),
            );
        }
        if entry.label.value.trim().is_empty() {
            problems.push(
                Diagnostic::error(Code::EmptyLabel, FILE_NAME, label_span.clone(), format!("symptom `{}` has an empty label", id.as_str()))
                    .with_help("the label is what readers tick, e.g. `Wi-Fi keeps dropping`"),
            );
        }
        if let Some(&first) = by_id.get(id.as_str()) {
            problems.push(
                Diagnostic::error(Code::DuplicateSymptom, FILE_NAME, id_span.clone(), format!("symptom id `{}` is defined twice", id.as_str()))
                    .with_help(format!("the first definition is on line {}; rename or remove one", lines.line_of(first))),
            );
            continue;
        }
        let label_key = entry.label.value.trim().to_lowercase();
        if let Some(&first) = by_label.get(&label_key) {
            problems.push(
                Diagnostic::error(Code::DuplicateLabel, FILE_NAME, label_span.clone(), format!("symptom label `{}` is used twice", entry.label.value.trim()))
                    .with_help(format!("readers could not tell them apart; the first is on line {}", lines.line_of(first))),
            );
        } else {
            by_label.insert(label_key, label_span.start);
        }
        by_id.insert(id.as_str().to_string(), id_span.start);
        symptoms.push(Symptom {
            id,
            label: entry.label.value.trim().to_string(),
            group: entry.group.map(|g| g.trim().to_string()).filter(|g| !g.is_empty()),
            aliases: entry.aliases.into_iter().map(|a| a.trim().to_string()).filter(|a| !a.is_empty()).collect(),
            description: entry.description.map(|d| d.trim().to_string()).filter(|d| !d.is_empty()),
            span: id_span,
        });
    }
    (symptoms, problems)
}

/// Where each line of symptoms.yml starts, found once, so turning the
/// parser's line/column of each of N entries into a byte span costs the
/// length of that line, not of the file before it (20,000 symptoms took 9.4 s).
struct LineStarts<'t> {
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> LineStarts<'t> {
    fn new(text: &'t str) -> Self {
        let starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        LineStarts { text, starts }
    }

    /// Byte offset of a 1-based line and character column, clamped to the text.
    fn offset(&self, line: usize, column: usize) -> usize {
        let Some(&start) = self.starts.get(line.max(1) - 1) else { return self.text.len() };
        let end = self.starts.get(line.max(1)).map_or(self.text.len(), |next| next - 1);
        self.text[start..end].char_indices().nth(column.saturating_sub(1)).map_or(end, |(i, _)| start + i)
    }

    /// 1-based line of a byte offset.
    fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset).max(1)
    }

    fn span_of(&self, spanned: &Spanned<String>) -> Range<usize> {
        let loc = spanned.referenced;
        if loc.line() == 0 {
            return 0..0;
        }
        let start = self.offset(loc.line() as usize, loc.column() as usize);
        let len = loc.span().byte_len().map_or(spanned.value.len(), |l| l as usize);
        start..(start + len).min(self.text.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "symptoms:\n  - id: wifi-drops\n    label: Wi-Fi keeps dropping\n    group: Wi-Fi\n    aliases: [disconnects]\n  - id: slow\n    label: Slow internet\n";

    #[test]
    fn spans_and_lines_are_right_deep_into_a_large_catalog() {
        let n = 20_000;
        let mut text = String::from("symptoms:\n");
        for i in 0..n {
            text.push_str(&format!("  - id: s-{i}\n    label: \"Symptom ü {i}\"\n"));
        }
        text.push_str("  - id: s-19999\n    label: Again\n");
        let (s, d) = parse(&text);
        assert_eq!(s.len(), n);
        assert_eq!(&text[s[n - 1].span.clone()], "s-19999");
        assert_eq!(crate::diagnostics::line_col(&text, s[n - 1].span.start).line, 2 + 2 * (n - 1));
        assert_eq!(d.len(), 1);
        assert_eq!(&text[d[0].span.clone()], "s-19999");
        assert_eq!(d[0].help.as_deref(), Some(format!("the first definition is on line {}; rename or remove one", 2 + 2 * (n - 1)).as_str()));
    }

    #[test]
    fn parses_a_catalog() {
        let (s, d) = parse(GOOD);
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].id.as_str(), "wifi-drops");
        assert_eq!(s[0].aliases, ["disconnects"]);
        assert_eq!(&GOOD[s[1].span.clone()], "slow");
    }

    #[test]
    fn reports_every_bad_entry() {
        let text = "symptoms:\n  - id: Wifi Drops\n    label: A\n  - id: a\n    label: B\n  - id: a\n    label: C\n  - id: c\n    label: b\n";
        let (s, d) = parse(text);
        let codes: Vec<_> = d.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(codes, ["invalid-symptom-id", "duplicate-symptom", "duplicate-label"]);
        assert_eq!(&text[d[0].span.clone()], "Wifi Drops");
        assert_eq!(d[0].help.as_deref(), Some("ids use only a-z, 0-9 and `-`; try `wifi-drops`"));
        assert_eq!(s.len(), 2);
    }

    #[test]
    fn the_id_index_is_reserved_for_the_list_of_symptoms() {
        let text = "symptoms:\n  - id: index\n    label: The index is wrong\n  - id: index-wrong\n    label: B\n";
        let (s, d) = parse(text);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].code, Code::InvalidSymptomId);
        assert_eq!(d[0].message, "symptom id `index` is reserved");
        assert_eq!(&text[d[0].span.clone()], "index");
        // Kept, so sections naming it are not reported as unknown too.
        assert_eq!(s.len(), 2);
    }

    #[test]
    fn unknown_entry_key_suggests() {
        let text = "symptoms:\n  - id: a\n    label: A\n    alias: [x]\n";
        let (_, d) = parse(text);
        assert_eq!(d[0].code, Code::UnknownKey);
        assert_eq!(d[0].help.as_deref(), Some("did you mean `aliases`?"));
        assert_eq!(&text[d[0].span.clone()], "alias");
    }
}
