//! The theme: Tera templates and static files. The default theme is embedded
//! in the binary (see build.rs); a guide overrides any file by putting one with
//! the same relative path under its own `theme/` folder.

use std::collections::BTreeMap;

use tera::Tera;

use crate::diagnostics::{Code, Diagnostic};

include!(concat!(env!("OUT_DIR"), "/theme_files.rs"));

const TEMPLATE_DIR: &str = "templates/";
const STATIC_DIR: &str = "static/";
/// Where theme static files land in the output.
pub const OUTPUT_DIR: &str = "_fixbook";

/// Compiled templates plus the static files to copy, overrides applied.
pub struct Theme {
    pub tera: Tera,
    /// (output path, bytes), sorted by path.
    pub static_files: Vec<(String, Vec<u8>)>,
}

/// Merges the guide's overrides over the default theme and compiles the
/// templates once. Template errors name the template file.
pub fn load(overrides: &[(String, Vec<u8>)]) -> Result<Theme, Vec<Diagnostic>> {
    let mut files: BTreeMap<String, (Vec<u8>, bool)> = DEFAULT_THEME.iter().map(|(path, bytes)| (path.to_string(), (bytes.to_vec(), false))).collect();
    for (path, bytes) in overrides {
        files.insert(path.clone(), (bytes.clone(), true));
    }
    let mut tera = Tera::default();
    let mut problems = Vec::new();
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
    if problems.is_empty() { Ok(Theme { tera, static_files }) } else { Err(problems) }
}

/// Paths of all default theme files, for `fixbook init` and docs.
pub fn default_files() -> impl Iterator<Item = &'static str> {
    DEFAULT_THEME.iter().map(|(p, _)| *p)
}
