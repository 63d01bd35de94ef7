//! The guide model: parsed config, symptom catalog and sections with their
//! rendered bodies. `build` turns the loader's files into this model; it is
//! pure (no I/O) and parses every file exactly once, sections in parallel.

use std::ops::Range;
use std::sync::Arc;

use rayon::prelude::*;

use crate::diagnostics::{Code, Diagnostic};
use crate::paths::PagePath;
use crate::source::config::{self, GuideConfig};
use crate::source::date::Date;
use crate::source::frontmatter::{self, KeySpans, SplitError};
use crate::source::loader::{AssetFile, GuideFiles, SourceFile};
use crate::source::settings::SettingsPath;
use crate::source::symptoms::{self, Symptom, SymptomId};

use super::markdown::{self, BodyInput, RenderedBody};

/// The position of a section in `Guide::sections`, i.e. in reading order.
/// Comparing two indexes compares reading order (the ranking tie-break).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct SectionIndex(pub usize);

/// A symptom or settings path named in front matter, with where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located<T> {
    pub value: T,
    pub span: Range<usize>,
}

#[derive(Debug, Clone)]
pub struct Section {
    /// Source path relative to the guide, e.g. `router/firmware.md`.
    pub source: String,
    /// Output page, e.g. `router/firmware.html`.
    pub page: PagePath,
    pub text: Arc<str>,
    /// The title as plain text (inline Markdown marks removed): `<title>`,
    /// JSON-LD, search, reading order.
    pub title: String,
    /// The title as inline HTML (`code`, emphasis), escaped: cards and headers.
    pub title_html: String,
    /// The summary as plain text, like `title`.
    pub summary: Option<String>,
    /// The summary as inline HTML, like `title_html`.
    pub summary_html: Option<String>,
    pub weight: i64,
    /// Symptom ids as written (not yet checked against the catalog).
    pub symptoms: Vec<Located<SymptomId>>,
    pub settings: Vec<Located<SettingsPath>>,
    pub draft: bool,
    pub applies_to: Vec<String>,
    pub reviewed: Option<Date>,
    pub escalation: bool,
    /// Where each front-matter key is written, for diagnostics about it.
    pub keys: KeySpans,
    pub body: RenderedBody,
}

impl Section {
    pub fn symptom_ids(&self) -> impl Iterator<Item = &SymptomId> {
        self.symptoms.iter().map(|s| &s.value)
    }
}

#[derive(Debug, Clone, Default)]
pub struct Intro {
    pub html: String,
    pub body: RenderedBody,
}

/// A sub-folder of the guide, described by its optional `index.md`: a title,
/// a summary and a weight (its place among its sibling folders), and the
/// body as the introduction of the folder's landing page.
#[derive(Debug, Clone)]
pub struct Folder {
    /// The folder's path relative to the guide, e.g. `router/wifi`.
    pub path: String,
    /// The `index.md` it comes from.
    pub source: String,
    pub title: Option<String>,
    pub summary: Option<String>,
    pub weight: i64,
    pub intro: RenderedBody,
}

/// The whole guide as later stages see it. Sections are in reading order
/// (weight, then title, then path), drafts removed unless asked for.
#[derive(Debug, Clone)]
pub struct Guide {
    pub config: GuideConfig,
    pub symptoms: Vec<Symptom>,
    pub intro: Option<Intro>,
    /// Folders with an `index.md`, sorted by path.
    pub folders: Vec<Folder>,
    pub sections: Vec<Section>,
    /// Sections left out because they are drafts (kept for link checks).
    pub drafts: Vec<Section>,
    /// Section files that could not be parsed, and symptoms.yml when it
    /// could not be read at all (their errors are reported). Later checks
    /// count them as present, so that one mistake in a file's front matter
    /// does not also turn every link to it into an error, nor one slip in
    /// the catalog every symptom a section names.
    pub unparsed: Vec<String>,
    pub assets: Vec<AssetFile>,
    /// Files the guide provides to override the default theme.
    pub theme: Vec<(String, Vec<u8>)>,
}

impl Guide {
    pub fn section(&self, i: SectionIndex) -> &Section {
        &self.sections[i.0]
    }

    /// Every published section with its index, in reading order.
    pub fn indexed_sections(&self) -> impl Iterator<Item = (SectionIndex, &Section)> {
        self.sections.iter().enumerate().map(|(i, s)| (SectionIndex(i), s))
    }

    /// The published escalation section (`escalation: true`); with several
    /// (an error `checks` reports), the first in reading order.
    pub fn escalation_section(&self) -> Option<SectionIndex> {
        self.sections.iter().position(|s| s.escalation).map(SectionIndex)
    }
}

/// Builds the model. Every problem is a diagnostic and the model is still
/// built (with a stand-in config when `guide.toml` is missing or broken) so
/// that `check` can report everything in one run.
pub fn build(files: GuideFiles, include_drafts: bool) -> (Option<Guide>, Vec<Diagnostic>) {
    build_with(files, include_drafts, &parse_section)
}

/// Parses one section file; `parse_section` or a caching wrapper around it.
pub type SectionParser<'a> = dyn Fn(&SourceFile) -> (Option<Section>, Vec<Diagnostic>) + Sync + 'a;

/// `build` with the section parser supplied by the caller (see `SectionParser`).
pub fn build_with(files: GuideFiles, include_drafts: bool, parse_section: &SectionParser<'_>) -> (Option<Guide>, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    let config = match &files.config {
        None => {
            diagnostics.push(
                Diagnostic::error(Code::MissingConfig, config::FILE_NAME, 0..0, "the guide has no guide.toml")
                    .with_help("create guide.toml with at least `title = \"My guide\"`, or run `fixbook init`"),
            );
            None
        }
        Some(file) => match config::parse(&file.text) {
            Ok(config) => Some(config),
            Err(problems) => {
                diagnostics.extend(problems);
                None
            }
        },
    };
    let (symptoms, catalog_problems) = match &files.symptoms {
        Some(file) => symptoms::parse(&file.text),
        None => (Vec::new(), Vec::new()),
    };
    // A catalog that did not parse at all (a syntax error, an indentation
    // slip) is counted as present but unread, like a section that did not
    // parse: its error is the cause, not every symptom a section names.
    let catalog_unread = files.symptoms.is_some() && symptoms.is_empty() && catalog_problems.iter().any(|d| d.is_error());
    diagnostics.extend(catalog_problems);

    let parsed: Vec<(Option<Section>, Vec<Diagnostic>)> = files.sections.par_iter().map(parse_section).collect();
    let mut sections = Vec::with_capacity(parsed.len());
    let mut unparsed = Vec::new();
    for ((section, problems), file) in parsed.into_iter().zip(&files.sections) {
        diagnostics.extend(problems);
        match section {
            Some(section) => sections.push(section),
            None => unparsed.push(file.path.clone()),
        }
    }
    sort_sections(&mut sections);
    if catalog_unread {
        unparsed.push(symptoms::FILE_NAME.to_string());
    }
    let (drafts, sections): (Vec<Section>, Vec<Section>) = sections.into_iter().partition(|s| s.draft && !include_drafts);

    let intro = files.intro.as_ref().map(|file| {
        // index.md may carry front matter; only its body is the introduction.
        let body_start = frontmatter::split(&file.text).map_or(0, |s| s.body_start);
        let body = markdown::render(&BodyInput { file: &file.path, text: &file.text, body_start, page: "index.html", title: None });
        diagnostics.extend(body.diagnostics.iter().cloned());
        Intro { html: body.html.clone(), body }
    });

    let folders = files
        .folder_indexes
        .iter()
        .filter_map(|file| {
            let (folder, problems) = parse_folder(file);
            diagnostics.extend(problems);
            folder
        })
        .collect();

    // A broken or missing guide.toml must not hide the problems in every
    // other file: check them against a stand-in config. The config errors
    // already recorded keep the site from being written.
    let config = config.or_else(|| config::parse("title = \"untitled guide\"").ok());
    let guide = config.map(|config| Guide { config, symptoms, intro, folders, sections, drafts, unparsed, assets: files.assets, theme: files.theme });
    (guide, diagnostics)
}

/// Reading order: weight, then title, then path (so equal titles stay stable).
pub fn sort_sections(sections: &mut [Section]) {
    sections.sort_by(|a, b| (a.weight, &a.title, &a.source).cmp(&(b.weight, &b.title, &b.source)));
}

/// Parses one section file: front matter, its validation, and the body.
pub fn parse_section(file: &SourceFile) -> (Option<Section>, Vec<Diagnostic>) {
    let text = &file.text;
    let path = file.path.as_str();
    let mut problems = Vec::new();
    let split = match frontmatter::split(text) {
        Ok(split) => split,
        Err(SplitError::Missing) if frontmatter::cr_only_line_breaks(text) => {
            let first_line = text.find('\r').unwrap_or(text.len());
            problems.push(
                Diagnostic::error(
                    Code::MissingFrontMatter,
                    path,
                    0..first_line,
                    "the file's line breaks are CR alone (old Mac OS style), so its front matter cannot be found",
                )
                .with_help("save the file with LF (Unix) or CRLF (Windows) line endings; most editors offer it in the status bar or the Save dialog"),
            );
            return (None, problems);
        }
        Err(SplitError::Missing) => {
            let first_line = text.find('\n').unwrap_or(text.len());
            problems.push(
                Diagnostic::error(Code::MissingFrontMatter, path, 0..first_line, "section has no front matter")
                    .with_help("start the file with a `---` line, `title: ...`, and another `---` line"),
            );
            return (None, problems);
        }
        Err(SplitError::Unclosed { format, fence }) => {
            let closing = if format == frontmatter::Format::Yaml { "---" } else { "+++" };
            problems.push(
                Diagnostic::error(Code::UnclosedFrontMatter, path, fence, "front matter is never closed")
                    .with_help(format!("add a line with just `{closing}` after the last front-matter key")),
            );
            return (None, problems);
        }
    };
    let raw = match frontmatter::parse(path, text, &split) {
        Ok(raw) => raw,
        Err(d) => {
            problems.push(d);
            return (None, problems);
        }
    };
    let fm_text = &text[..split.body_start];
    let keys = KeySpans::find(text, &split);
    let title = match raw.title.as_deref().map(str::trim) {
        Some(t) if !t.is_empty() => t.to_string(),
        Some(_) => {
            problems.push(
                Diagnostic::error(Code::EmptyTitle, path, keys.key("title").unwrap_or(0..0), "`title` is empty")
                    .with_help("give the section a title that says what it fixes"),
            );
            return (None, problems);
        }
        None => {
            let span = keys.key("title").unwrap_or(split.inner.start..split.inner.start);
            problems.push(
                Diagnostic::error(Code::MissingTitle, path, span, "section has no `title`")
                    .with_help("add a line such as `title: Restart the router` to the front matter"),
            );
            return (None, problems);
        }
    };
    let title_inline = markdown::inline(&title);
    let title = title_inline.plain;
    let summary_inline = raw.summary.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(markdown::inline);
    let mut settings = Vec::new();
    for raw_path in &raw.settings {
        let span = locate_value(fm_text, &keys, "settings", raw_path);
        match SettingsPath::parse(raw_path) {
            Ok(p) => settings.push(Located { value: p, span }),
            Err(err) => {
                let inner = span.start + err.span.start..(span.start + err.span.end).min(span.end.max(span.start + err.span.end));
                let use_inner = fm_text.get(span.clone()) == Some(raw_path.as_str());
                problems.push(
                    Diagnostic::error(Code::MalformedSettingsPath, path, if use_inner { inner } else { span }, format!("{}: `{raw_path}`", err.message))
                        .with_help(err.help),
                );
            }
        }
    }
    let symptoms = raw.symptoms.iter().map(|id| Located { value: SymptomId::reference(id), span: locate_value(fm_text, &keys, "symptoms", id) }).collect();
    let reviewed = match &raw.reviewed {
        None => None,
        Some(s) => match Date::parse(s) {
            Some(d) => Some(d),
            None => {
                problems.push(
                    Diagnostic::error(Code::InvalidDate, path, locate_value(fm_text, &keys, "reviewed", s), format!("`{s}` is not a date"))
                        .with_help("write dates as YYYY-MM-DD, e.g. `reviewed: 2026-11-01`"),
                );
                None
            }
        },
    };
    let page = PagePath::for_source(path);
    let body = markdown::render(&BodyInput { file: path, text, body_start: split.body_start, page: &page, title: Some(&title) });
    problems.extend(body.diagnostics.iter().cloned());
    let section = Section {
        source: path.to_string(),
        page,
        text: text.clone(),
        title,
        title_html: title_inline.html,
        summary: summary_inline.as_ref().map(|s| s.plain.clone()),
        summary_html: summary_inline.map(|s| s.html),
        weight: raw.weight.unwrap_or(0),
        symptoms,
        settings,
        draft: raw.draft,
        applies_to: raw.applies_to.into_iter().map(|a| a.trim().to_string()).filter(|a| !a.is_empty()).collect(),
        reviewed,
        escalation: raw.escalation,
        keys,
        body,
    };
    (Some(section), problems)
}

/// Parses a folder's `index.md`: front matter is optional; `title`,
/// `summary` and `weight` describe the folder, the body introduces its
/// landing page (`<folder>/index.html`). Keys only a section uses are
/// reported (warnings) and ignored. `None` when the front matter is broken.
pub fn parse_folder(file: &SourceFile) -> (Option<Folder>, Vec<Diagnostic>) {
    let text = &file.text;
    let path = file.path.as_str();
    let folder = path.strip_suffix("/index.md").unwrap_or(path).to_string();
    let mut problems = Vec::new();
    let (raw, keys, body_start) = match frontmatter::split(text) {
        Err(SplitError::Missing) => (frontmatter::RawFrontMatter::default(), KeySpans::default(), 0),
        Err(SplitError::Unclosed { format, fence }) => {
            let closing = if format == frontmatter::Format::Yaml { "---" } else { "+++" };
            problems.push(
                Diagnostic::error(Code::UnclosedFrontMatter, path, fence, "front matter is never closed")
                    .with_help(format!("add a line with just `{closing}` after the last front-matter key")),
            );
            return (None, problems);
        }
        Ok(split) => match frontmatter::parse(path, text, &split) {
            Ok(raw) => (raw, KeySpans::find(text, &split), split.body_start),
            Err(d) => {
                problems.push(d);
                return (None, problems);
            }
        },
    };
    let section_only = [
        ("symptoms", !raw.symptoms.is_empty()),
        ("settings", !raw.settings.is_empty()),
        ("draft", raw.draft),
        ("applies_to", !raw.applies_to.is_empty()),
        ("reviewed", raw.reviewed.is_some()),
        ("escalation", raw.escalation),
    ];
    for (key, set) in section_only {
        if set {
            problems.push(
                Diagnostic::warning(Code::FolderIndexKey, path, keys.line_or_fence(key), format!("`{key}` has no effect in a folder's index.md"))
                    .with_help("a folder's index.md takes `title`, `summary` and `weight`; move the rest into a section of the folder"),
            );
        }
    }
    let page = format!("{folder}/index.html");
    let title = raw.title.as_deref().map(str::trim).filter(|t| !t.is_empty());
    let intro = markdown::render(&BodyInput { file: path, text, body_start, page: &page, title });
    problems.extend(intro.diagnostics.iter().cloned());
    let clean = |s: Option<String>| s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    (
        Some(Folder { path: folder, source: path.to_string(), title: clean(raw.title), summary: clean(raw.summary), weight: raw.weight.unwrap_or(0), intro }),
        problems,
    )
}

/// Span of `value` written after `key` in a front-matter block (works for
/// YAML and TOML, flow and block lists); falls back to the key.
fn locate_value(fm: &str, keys: &KeySpans, key: &str, value: &str) -> Range<usize> {
    let key_span = keys.key(key).unwrap_or(0..0);
    let from = key_span.end;
    match fm[from..].find(value) {
        Some(i) if !value.is_empty() => from + i..from + i + value.len(),
        _ => key_span,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> SourceFile {
        SourceFile { path: path.into(), text: Arc::from(text) }
    }

    #[test]
    fn parses_a_complete_section() {
        let (s, d) = parse_section(&file(
            "a/b.md",
            "---\ntitle: Fix it\nweight: 3\nsymptoms: [x]\nsettings: [\"Settings > Wi-Fi\"]\nreviewed: 2026-01-02\n---\n1. **Go** — now\n",
        ));
        assert!(d.is_empty(), "{d:?}");
        let s = s.unwrap();
        assert_eq!(s.page.as_str(), "a/b.html");
        assert_eq!(s.weight, 3);
        assert_eq!(s.symptoms[0].value.as_str(), "x");
        assert_eq!(s.settings[0].value.as_str(), "Settings > Wi-Fi");
        assert_eq!(s.body.steps.len(), 1);
        assert_eq!(s.reviewed.unwrap().iso(), "2026-01-02");
    }

    #[test]
    fn folder_index_gives_title_summary_weight_and_warns_about_section_keys() {
        let (f, d) = parse_folder(&file("wifi/index.md", "---\ntitle: Wi-Fi\nsummary: \" Drops \"\nweight: -2\nsymptoms: [x]\n---\nAll about **Wi-Fi**.\n"));
        let f = f.unwrap();
        assert_eq!((f.path.as_str(), f.title.as_deref(), f.summary.as_deref(), f.weight), ("wifi", Some("Wi-Fi"), Some("Drops"), -2));
        assert!(f.intro.html.contains("<strong>Wi-Fi</strong>"), "{}", f.intro.html);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].code, Code::FolderIndexKey);
        let (f, d) = parse_folder(&file("a/b/index.md", "Just a body.\n"));
        assert!(d.is_empty());
        let f = f.unwrap();
        assert_eq!((f.path.as_str(), f.title), ("a/b", None));
        let (f, d) = parse_folder(&file("a/index.md", "---\ntitel: x\n---\n"));
        assert!(f.is_none());
        assert_eq!(d[0].code, Code::UnknownKey);
    }

    #[test]
    fn title_problems_are_told_apart() {
        let (_, d) = parse_section(&file("a.md", "---\nsummary: x\n---\n"));
        assert_eq!(d[0].code, Code::MissingTitle);
        let (_, d) = parse_section(&file("a.md", "---\ntitle: ~\n---\n"));
        assert_eq!(d[0].code, Code::MissingTitle);
        let (_, d) = parse_section(&file("a.md", "---\ntitle: \"  \"\n---\n"));
        assert_eq!(d[0].code, Code::EmptyTitle);
        let (_, d) = parse_section(&file("a.md", "# Hi\n"));
        assert_eq!(d[0].code, Code::MissingFrontMatter);
        let (_, d) = parse_section(&file("a.md", "---\ntitle: x\n"));
        assert_eq!(d[0].code, Code::UnclosedFrontMatter);
    }

    #[test]
    fn symptom_spans_point_at_the_id() {
        let text = "---\ntitle: T\nsymptoms:\n  - wifi\n  - dns-slow\n---\n";
        let (s, _) = parse_section(&file("a.md", text));
        let s = s.unwrap();
        assert_eq!(&text[s.symptoms[1].span.clone()], "dns-slow");
    }

    #[test]
    fn malformed_front_matter_settings_path_is_reported() {
        let text = "---\ntitle: T\nsettings: [\"Settings >> Wi-Fi\"]\n---\n";
        let (_, d) = parse_section(&file("a.md", text));
        assert_eq!(d[0].code, Code::MalformedSettingsPath);
        assert_eq!(&text[d[0].span.clone()], ">>");
    }
}
