//! `guide.toml`: the guide's title, language, URLs and lint switches.
//! Unknown keys are errors with a "did you mean" suggestion.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::diagnostics::{Code, Diagnostic, unknown_field_help};

use super::schema;

pub const FILE_NAME: &str = "guide.toml";

/// Everything `guide.toml` may say, validated. The fields' doc comments are
/// what editors show for each key (`fixbook schema guide`, see `schema`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GuideConfig {
    /// The guide's name, at the top of every page and in the browser tab.
    #[schemars(pattern(schema::NOT_BLANK))]
    pub title: String,
    /// One or two sentences about the guide, on the home page and for search engines.
    #[serde(default)]
    pub description: String,
    /// The guide's language as a BCP 47 tag (`en`, `ja`, `pt-BR`), for `<html lang>`.
    #[serde(default = "default_language")]
    #[schemars(pattern(LANGUAGE_PATTERN))]
    pub language: String,
    /// The address the site is published at (`https://help.example.com/router/`): used by sitemap.xml, canonical links, 404.html and checklist QR codes. `build --base-url` replaces it. Always ends in `/` once parsed.
    #[serde(default)]
    #[schemars(with = "String", pattern(BASE_URL_PATTERN))]
    pub base_url: Option<String>,
    /// Where each section's "Edit this page" link points; `{path}` becomes the section's file (`https://github.com/me/guide/edit/main/{path}`).
    #[serde(default)]
    #[schemars(with = "String", pattern(EDIT_URL_PATTERN))]
    pub edit_url: Option<String>,
    /// Procedure lint: each warning `check` and `build` give about procedures can be switched off.
    #[serde(default)]
    pub lint: LintConfig,
}

/// What `parse` accepts as `language`, for the schema.
pub const LANGUAGE_PATTERN: &str = "^[A-Za-z0-9-]+$";

/// What `parse_base_url` accepts, for the schema: http(s), a host that does
/// not start with `:` and holds no `@`, an optional path, no query or
/// fragment, no white space or control character anywhere.
pub const BASE_URL_PATTERN: &str = r"^https?://[^/:@?#\s\x00-\x1f\x7f-\x9f][^/@?#\s\x00-\x1f\x7f-\x9f]*(/[^?#\s\x00-\x1f\x7f-\x9f]*)?$";

/// What `parse` accepts as `edit_url`, for the schema: `{path}` somewhere,
/// and `check_link_url`'s rule (an http(s) address with a host, or no scheme).
pub const EDIT_URL_PATTERN: &str = concat!(
    r"^(?=.*\{path\})(?:[Hh][Tt][Tt][Pp][Ss]?://[^/?#:@\s\x00-\x1f\x7f-\x9f][^/?#@\s\x00-\x1f\x7f-\x9f]*(?:[/?#][^\s\x00-\x1f\x7f-\x9f]*)?",
    r"|(?!(?:[A-Za-z]|\{path\})(?:[A-Za-z0-9+.-]|\{path\})*:)[^\s\x00-\x1f\x7f-\x9f]*)$"
);

const KNOWN_KEYS: &[&str] = &["title", "description", "language", "base_url", "edit_url", "lint"];

/// `[lint]` in guide.toml: each procedure lint can be switched off.
// Serialize gives the schema its defaults.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
#[schemars(inline)]
pub struct LintConfig {
    /// Warn about a section that claims symptoms but has no steps.
    pub no_steps: bool,
    /// Warn about a step longer than `max_step_words` words.
    pub long_step: bool,
    /// How many words a step may have before `long_step` warns (the bold title included).
    pub max_step_words: usize,
    /// Warn about a symptom that only drafts fix.
    pub draft_only_fix: bool,
    /// Warn about settings paths used in the body but not in front matter, or the reverse.
    pub settings_mismatch: bool,
    /// Warn about an h1 in the body (shown one level down: the page's h1 is its title), except a first `# Title` equal to the title, which is not shown twice.
    pub body_h1: bool,
}

impl Default for LintConfig {
    fn default() -> Self {
        LintConfig { no_steps: true, long_step: true, max_step_words: 60, draft_only_fix: true, settings_mismatch: true, body_h1: true }
    }
}

const LINT_KEYS: &[&str] = &["no_steps", "long_step", "max_step_words", "draft_only_fix", "settings_mismatch", "body_h1"];

/// The JSON Schema of guide.toml.
pub fn schema() -> serde_json::Value {
    schema::root_schema::<GuideConfig>("fixbook guide.toml", "The settings of a fixbook guide. `fixbook check` reports the same mistakes with line and column.")
}

fn default_language() -> String {
    "en".to_string()
}

impl GuideConfig {
    /// The edit link for a section at `path` (relative to the guide folder).
    pub fn edit_link(&self, path: &str) -> Option<String> {
        self.edit_url.as_ref().map(|t| crate::paths::encode_url(&t.replace("{path}", &crate::paths::encode_url_path(path))))
    }

    /// The absolute URL of an output page, when `base_url` is set.
    pub fn absolute_url(&self, page: &str) -> Option<String> {
        self.base_url.as_ref().map(|base| format!("{}{}", crate::paths::encode_url(base), crate::paths::encode_url_path(page)))
    }
}

/// Parses and validates `guide.toml`; every problem becomes a diagnostic.
pub fn parse(text: &str) -> Result<GuideConfig, Vec<Diagnostic>> {
    let mut config: GuideConfig = toml::from_str(text).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        let message = e.message().trim().to_string();
        let mut d = Diagnostic::error(Code::ConfigSyntax, FILE_NAME, span.clone(), message.clone())
            .with_help("guide.toml is TOML: one `key = \"value\"` per line, strings in double quotes, e.g. `title = \"Fix my router\"`");
        if in_lint_table(text, span.start)
            && let Some((field, help)) = unknown_field_help(&message, LINT_KEYS)
        {
            d = Diagnostic::error(Code::UnknownKey, FILE_NAME, span, format!("unknown key `{field}` in [lint] of {FILE_NAME}")).with_help(help);
        } else if let Some((field, help)) = unknown_field_help(&message, KNOWN_KEYS) {
            d = Diagnostic::error(Code::UnknownKey, FILE_NAME, span, format!("unknown key `{field}` in {FILE_NAME}")).with_help(help);
        } else if message.contains("missing field `title`") {
            d = Diagnostic::error(Code::MissingTitle, FILE_NAME, 0..0, "guide.toml has no `title`").with_help("add a line such as `title = \"Fix my router\"`");
        }
        vec![d]
    })?;
    let mut problems = Vec::new();
    let span_of = |key: &str| key_span(text, key);
    if config.title.trim().is_empty() {
        problems.push(
            Diagnostic::error(Code::MissingTitle, FILE_NAME, span_of("title"), "the guide's `title` is empty")
                .with_help("give the guide a title readers will recognise"),
        );
    }
    if config.language.is_empty() || !config.language.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        problems.push(
            Diagnostic::error(Code::InvalidLanguage, FILE_NAME, span_of("language"), format!("`{}` is not a language tag", config.language))
                .with_help("use a BCP 47 tag such as `en`, `ja` or `pt-BR`"),
        );
    }
    if let Some(base) = &mut config.base_url {
        match parse_base_url(base) {
            Ok(parsed) => *base = parsed,
            Err(why) => problems
                .push(Diagnostic::error(Code::InvalidBaseUrl, FILE_NAME, span_of("base_url"), format!("base_url `{base}` {why}")).with_help(BASE_URL_HELP)),
        }
    }
    if let Some(edit) = &config.edit_url {
        // `{path}` stands for an encoded file path; `x` is the most a path could add to a scheme.
        if let Err(why) = check_link_url(&edit.replace("{path}", "x")) {
            problems.push(
                Diagnostic::error(Code::InvalidEditUrl, FILE_NAME, value_span(text, "edit_url"), format!("edit_url {why}"))
                    .with_help("an edit link is an http(s) address or a relative URL, e.g. `https://github.com/me/guide/edit/main/{path}`"),
            );
        } else if !edit.contains("{path}") {
            problems.push(
                Diagnostic::error(Code::InvalidEditUrl, FILE_NAME, span_of("edit_url"), "edit_url does not contain `{path}`")
                    .with_help("e.g. `https://github.com/me/guide/edit/main/{path}`"),
            );
        }
    }
    if problems.is_empty() { Ok(config) } else { Err(problems) }
}

/// What a base URL looks like, for the help of a rejected one.
pub const BASE_URL_HELP: &str = "write the full address, e.g. `https://help.example.com/router/`";

/// Checks a base URL (`base_url` in guide.toml, `build --base-url`) and
/// returns it ending in `/`. The site's absolute URLs (sitemap, canonical
/// links, 404.html, checklist QR codes) are this text followed by a page's
/// path, so it must be an `http(s)://host/…` address with nothing after the
/// path. The error completes the sentence "base_url `…` …".
pub fn parse_base_url(raw: &str) -> Result<String, String> {
    let Some(rest) = raw.strip_prefix("https://").or_else(|| raw.strip_prefix("http://")) else {
        return Err("is not an http(s) URL".to_string());
    };
    if let Some(c) = raw.chars().find(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!("contains {}", if c == ' ' { "a space".to_string() } else { format!("the character {c:?}") }));
    }
    let host = rest.split('/').next().unwrap_or("");
    if host.is_empty() || host.starts_with(':') || host.contains('@') {
        return Err("has no host name after `://`".to_string());
    }
    if raw.contains(['?', '#']) {
        return Err("has a query or fragment (`?`, `#`); page paths are added after it".to_string());
    }
    let mut url = raw.to_string();
    if !url.ends_with('/') {
        url.push('/');
    }
    Ok(url)
}

/// The one rule for a URL from guide.toml that becomes a link in pages
/// (`edit_url`, and any later link setting): an `http(s)://host…` address or
/// a relative URL (no scheme at all, as a browser reads it: a letter, then
/// letters, digits, `+`, `-`, `.` up to a `:`). White space and control
/// characters are refused anywhere, since browsers drop some of them
/// (`java\tscript:`). The error completes the sentence "edit_url …".
pub fn check_link_url(raw: &str) -> Result<(), String> {
    if let Some(c) = raw.chars().find(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!("contains {}", if c == ' ' { "a space".to_string() } else { format!("the character {c:?}") }));
    }
    let Some(colon) = raw.find(':') else { return Ok(()) };
    let scheme = &raw[..colon];
    let is_scheme = scheme.starts_with(|c: char| c.is_ascii_alphabetic()) && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !is_scheme {
        return Ok(()); // `a/b:c`, `?q=a:b`: the colon is in a path or query
    }
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return Err(format!("uses the `{scheme}:` scheme; only http(s) and relative URLs are allowed"));
    }
    let host = raw[colon + 1..].strip_prefix("//").map(|rest| rest.split(['/', '?', '#']).next().unwrap_or(""));
    match host {
        Some(host) if !host.is_empty() && !host.starts_with(':') && !host.contains('@') => Ok(()),
        _ => Err("has no host name after `://`".to_string()),
    }
}

/// Byte span of the value of top-level `key` (after `key =`), for diagnostics.
fn value_span(text: &str, key: &str) -> std::ops::Range<usize> {
    let line = key_span(text, key);
    let Some(eq) = text[line.clone()].find('=') else { return line };
    let value = &text[line.start + eq + 1..line.end];
    let start = line.end - value.trim_start().len();
    start..line.end
}

/// Is `offset` inside the `[lint]` table (or a `lint.key = ...` line)?
fn in_lint_table(text: &str, offset: usize) -> bool {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    if before[line_start..].trim_start().starts_with("lint.") {
        return true;
    }
    let header = before[..line_start].lines().rev().map(str::trim).find(|l| l.starts_with('['));
    header.is_some_and(|h| h.split('#').next().unwrap_or("").trim().trim_start_matches('[').trim_end_matches(']').trim() == "lint")
}

/// Byte span of the line that sets `key` at top level (best effort, for diagnostics).
fn key_span(text: &str, key: &str) -> std::ops::Range<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix(key)
            && rest.trim_start().starts_with('=')
        {
            let start = offset + (line.len() - trimmed.len());
            return start..offset + line.trim_end().len();
        }
        offset += line.len();
    }
    0..0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimal_config_gets_defaults() {
        let c = parse("title = \"Router help\"\n").unwrap();
        assert_eq!(c.language, "en");
        assert_eq!(c.base_url, None);
    }

    #[test]
    fn base_url_gains_a_trailing_slash() {
        let c = parse("title = \"x\"\nbase_url = \"https://h.example/g\"\n").unwrap();
        assert_eq!(c.base_url.as_deref(), Some("https://h.example/g/"));
        assert_eq!(c.absolute_url("a b.html").as_deref(), Some("https://h.example/g/a%20b.html"));
    }

    #[test]
    fn base_urls_are_http_addresses_with_a_host_and_nothing_after_the_path() {
        assert_eq!(parse_base_url("https://h.example").as_deref(), Ok("https://h.example/"));
        assert_eq!(parse_base_url("http://localhost:8080/a/b/").as_deref(), Ok("http://localhost:8080/a/b/"));
        assert_eq!(parse_base_url("https://pr-12--site.netlify.app/docs").as_deref(), Ok("https://pr-12--site.netlify.app/docs/"));
        for (bad, why) in [
            ("ftp://h.example/", "is not an http(s) URL"),
            ("h.example/", "is not an http(s) URL"),
            ("/docs/", "is not an http(s) URL"),
            ("javascript:alert(1)//", "is not an http(s) URL"),
            ("HTTPS://h.example/", "is not an http(s) URL"),
            ("https://", "has no host name after `://`"),
            ("https:///path", "has no host name after `://`"),
            ("https://user@h.example/", "has no host name after `://`"),
            ("https://h.example/a b/", "contains a space"),
            ("https://h.example/\n", "contains the character '\\n'"),
            ("https://h.example/?x=1", "has a query or fragment (`?`, `#`); page paths are added after it"),
            ("https://h.example/#top", "has a query or fragment (`?`, `#`); page paths are added after it"),
        ] {
            assert_eq!(parse_base_url(bad), Err(why.to_string()), "{bad}");
        }
    }

    #[test]
    fn edit_links_encode_the_path_and_the_template() {
        let c = parse("title = \"x\"\nedit_url = \"https://g.example/edit?f={path}&x=\\\"q\\\"\"\n").unwrap();
        assert_eq!(c.edit_link("a&b \"q\".md").as_deref(), Some("https://g.example/edit?f=a%26b%20%22q%22.md&x=%22q%22"));
    }

    #[test]
    fn link_settings_must_be_http_or_relative() {
        for good in ["https://g.example/edit/{path}", "HTTP://g.example/{path}", "../src/{path}", "{path}", "//g.example/{path}", "/edit?f={path}"] {
            let text = format!("title = \"x\"\nedit_url = \"{good}\"\n");
            assert!(parse(&text).is_ok(), "{good}");
        }
        for (bad, why) in [
            ("javascript:alert(document.domain)//{path}", "uses the `javascript:` scheme; only http(s) and relative URLs are allowed"),
            ("JavaScript:alert(1)//{path}", "uses the `JavaScript:` scheme; only http(s) and relative URLs are allowed"),
            ("data:text/html,{path}", "uses the `data:` scheme; only http(s) and relative URLs are allowed"),
            ("vbscript:x{path}", "uses the `vbscript:` scheme; only http(s) and relative URLs are allowed"),
            ("{path}:alert(1)", "uses the `x:` scheme; only http(s) and relative URLs are allowed"),
            ("java\tscript:alert(1)//{path}", "contains the character '\\t'"),
            (" javascript:alert(1)//{path}", "contains a space"),
            ("https:{path}", "has no host name after `://`"),
            ("https:///{path}", "has no host name after `://`"),
        ] {
            let text = format!("title = \"x\"\nedit_url = \"{bad}\"\n");
            let errs = parse(&text).unwrap_err();
            assert_eq!(errs.len(), 1, "{bad}: {errs:?}");
            assert_eq!(errs[0].code, Code::InvalidEditUrl, "{bad}");
            assert!(errs[0].message.ends_with(why), "{bad}: {}", errs[0].message);
            assert!(errs[0].help.as_deref().unwrap().contains("https://"), "{bad}");
            // The span is the value, so the report points at it (line 2, after `edit_url = `).
            assert!(text[errs[0].span.clone()].starts_with('"'), "{bad}: {:?}", &text[errs[0].span.clone()]);
        }
    }

    #[test]
    fn unknown_key_suggests_the_right_one() {
        let text = "title = \"x\"\ntitel = \"y\"\n";
        let errs = parse(text).unwrap_err();
        assert_eq!(errs[0].code, Code::UnknownKey);
        assert_eq!(errs[0].help.as_deref(), Some("did you mean `title`?"));
        assert_eq!(&text[errs[0].span.clone()], "titel");
    }

    #[test]
    fn lint_switches_default_on_and_can_be_turned_off() {
        assert_eq!(parse("title = \"x\"\n").unwrap().lint, LintConfig::default());
        let c = parse("title = \"x\"\n[lint]\nno_steps = false\nmax_step_words = 80\n").unwrap();
        assert!(!c.lint.no_steps);
        assert!(c.lint.long_step);
        assert_eq!(c.lint.max_step_words, 80);
    }

    #[test]
    fn unknown_lint_key_suggests_a_lint_key() {
        let text = "title = \"x\"\n[lint]\nno_step = false\n";
        let errs = parse(text).unwrap_err();
        assert_eq!(errs[0].code, Code::UnknownKey);
        assert_eq!(errs[0].message, "unknown key `no_step` in [lint] of guide.toml");
        assert_eq!(errs[0].help.as_deref(), Some("did you mean `no_steps`?"));
        assert_eq!(&text[errs[0].span.clone()], "no_step");
        let errs = parse("title = \"x\"\n[lint] # procedure lint\ndraft_only = false\n").unwrap_err();
        assert_eq!(errs[0].help.as_deref(), Some("did you mean `draft_only_fix`?"));
        let errs = parse("title = \"x\"\nlint.long_stpe = false\n").unwrap_err();
        assert_eq!(errs[0].help.as_deref(), Some("did you mean `long_step`?"));
    }

    #[test]
    fn all_value_problems_are_reported_together() {
        let errs = parse("title = \" \"\nlanguage = \"e n\"\nedit_url = \"https://x\"\nbase_url = \"ftp://x\"\n").unwrap_err();
        let codes: Vec<_> = errs.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(codes, ["missing-title", "invalid-language", "invalid-base-url", "invalid-edit-url"]);
    }
}
