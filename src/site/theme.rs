//! The theme: Tera templates and static files. The default theme is embedded
//! in the binary (see build.rs); a guide overrides any file by putting one with
//! the same relative path under its own `theme/` folder. `strings.toml` is
//! the theme's table of UI text (`Theme::strings`): a guide's
//! `theme/strings.toml` replaces any of its keys, for a translation.

use std::collections::BTreeMap;

use tera::Tera;

use crate::diagnostics::{Code, Diagnostic};

include!(concat!(env!("OUT_DIR"), "/theme_files.rs"));

const TEMPLATE_DIR: &str = "templates/";
const STATIC_DIR: &str = "static/";
/// The theme's table of UI text.
pub const STRINGS_FILE: &str = "strings.toml";
/// Where theme static files land in the output.
pub const OUTPUT_DIR: &str = "_fixbook";

/// Compiled templates plus the static files to copy, overrides applied.
pub struct Theme {
    pub tera: Tera,
    /// (output path, bytes), sorted by path.
    pub static_files: Vec<(String, Vec<u8>)>,
    /// The UI text: key → text (`strings.toml`, the guide's keys over the
    /// default theme's). Every template sees it as `strings`.
    pub strings: BTreeMap<String, String>,
}

/// Merges the guide's overrides over the default theme and compiles the
/// templates once. Template errors name the template file.
pub fn load(overrides: &[(String, Vec<u8>)]) -> Result<Theme, Vec<Diagnostic>> {
    let mut files: BTreeMap<String, (Vec<u8>, bool)> = DEFAULT_THEME.iter().map(|(path, bytes)| (path.to_string(), (bytes.to_vec(), false))).collect();
    let mut strings_override = None;
    for (path, bytes) in overrides {
        if path == STRINGS_FILE {
            strings_override = Some(bytes.as_slice());
        } else {
            files.insert(path.clone(), (bytes.clone(), true));
        }
    }
    let mut tera = Tera::default();
    let mut problems = Vec::new();
    let default_strings = DEFAULT_THEME.iter().find(|(p, _)| *p == STRINGS_FILE).map(|(_, b)| *b).unwrap_or_default();
    let strings = match strings(default_strings, strings_override) {
        Ok(strings) => strings,
        Err(found) => {
            problems.extend(found);
            BTreeMap::new()
        }
    };
    let mut templates = Vec::new();
    let mut static_files = Vec::new();
    for (path, (bytes, overridden)) in files {
        let shown = if overridden { format!("{}/{path}", crate::source::loader::THEME_DIR) } else { format!("themes/default/{path}") };
        if let Some(name) = path.strip_prefix(TEMPLATE_DIR) {
            match String::from_utf8(bytes) {
                Ok(text) => templates.push((name.to_string(), text)),
                Err(_) => problems.push(Diagnostic::error(Code::InvalidUtf8, shown, 0..0, "template is not valid UTF-8")),
            }
        } else if let Some(rest) = path.strip_prefix(STATIC_DIR) {
            static_files.push((format!("{OUTPUT_DIR}/{rest}"), bytes));
        }
    }
    if let Err(e) = tera.add_raw_templates(templates.iter().map(|(n, t)| (n.as_str(), t.as_str()))) {
        problems.push(
            Diagnostic::error(Code::TemplateError, "theme", 0..0, format!("the theme's templates do not compile: {e}"))
                .with_help("fix the template named above (overrides live in the guide's theme/templates/)"),
        );
    }
    static_files.push((format!("{OUTPUT_DIR}/highlight.css"), crate::content::highlight::stylesheet().into_bytes()));
    static_files.sort();
    if problems.is_empty() { Ok(Theme { tera, static_files, strings }) } else { Err(problems) }
}

/// The theme's strings: the default table, then the guide's override's
/// values. A key the default theme does not have, a value that is not text or
/// a TOML mistake in the override is an error at its place.
pub fn strings(default: &[u8], guide: Option<&[u8]>) -> Result<BTreeMap<String, String>, Vec<Diagnostic>> {
    let default = std::str::from_utf8(default).expect("the default theme's strings are UTF-8");
    let mut strings: BTreeMap<String, String> = toml::from_str(default).expect("the default theme's strings parse");
    let Some(bytes) = guide else { return Ok(strings) };
    let file = format!("{}/{STRINGS_FILE}", crate::source::loader::THEME_DIR);
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Err(vec![Diagnostic::error(Code::InvalidUtf8, file, 0..0, "the theme's strings are not valid UTF-8")]);
    };
    let table: toml::Table = match toml::from_str(text) {
        Ok(table) => table,
        Err(e) => {
            let span = e.span().unwrap_or(0..0);
            return Err(vec![
                Diagnostic::error(Code::TemplateError, file, span, format!("the theme's strings do not parse: {}", e.message()))
                    .with_help("write one `key = \"text\"` a line, with the keys of the default theme's strings.toml"),
            ]);
        }
    };
    let known: Vec<String> = strings.keys().cloned().collect();
    let mut problems = Vec::new();
    for (key, value) in table {
        let at = text.find(key.as_str()).map(|i| i..i + key.len()).unwrap_or(0..0);
        if !strings.contains_key(&key) {
            let help = match crate::diagnostics::closest(&key, known.iter().map(String::as_str)) {
                Some(near) => format!("did you mean `{near}`? The theme's keys are those of its default strings.toml"),
                None => "the theme's keys are those of its default strings.toml".to_string(),
            };
            problems.push(Diagnostic::error(Code::TemplateError, file.clone(), at, format!("unknown theme string `{key}`")).with_help(help));
            continue;
        }
        match value {
            toml::Value::String(text) => {
                strings.insert(key, text);
            }
            other => problems.push(
                Diagnostic::error(Code::TemplateError, file.clone(), at, format!("theme string `{key}` is not text (a TOML {})", other.type_str()))
                    .with_help("write it in quotes: key = \"text\""),
            ),
        }
    }
    if problems.is_empty() { Ok(strings) } else { Err(problems) }
}

/// Paths of all default theme files, for `fixbook init` and docs.
pub fn default_files() -> impl Iterator<Item = &'static str> {
    DEFAULT_THEME.iter().map(|(p, _)| *p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn default() -> &'static [u8] {
        DEFAULT_THEME.iter().find(|(p, _)| *p == STRINGS_FILE).map(|(_, b)| *b).unwrap()
    }

    #[test]
    fn a_guide_replaces_the_default_strings_key_by_key() {
        let base = strings(default(), None).unwrap();
        assert_eq!(base["walk_fixed"], "This fixed it");
        let mine = strings(default(), Some("walk_fixed = \"Das hat geholfen\"\n".as_bytes())).unwrap();
        assert_eq!(mine["walk_fixed"], "Das hat geholfen");
        assert_eq!(mine["walk_not_fixed"], base["walk_not_fixed"]);
        assert_eq!(mine.len(), base.len());
    }

    #[test]
    fn unknown_keys_values_that_are_not_text_and_syntax_errors_are_reported_where_written() {
        let text = "walk_fixd = \"x\"\nwalk_skip = 3\n";
        let problems = strings(default(), Some(text.as_bytes())).unwrap_err();
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert_eq!(problems[0].span, 0..9);
        assert!(problems[0].message.contains("unknown theme string `walk_fixd`"), "{}", problems[0].message);
        assert!(problems[0].help.as_deref().unwrap_or("").contains("did you mean `walk_fixed`"), "{:?}", problems[0].help);
        assert!(problems[1].message.contains("`walk_skip` is not text (a TOML integer)"), "{}", problems[1].message);
        let problems = strings(default(), Some(b"walk_skip = \"x")).unwrap_err();
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].file, "theme/strings.toml");
        assert!(problems[0].message.contains("do not parse"), "{}", problems[0].message);
    }
}
