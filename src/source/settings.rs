//! Settings paths (`Settings > General > Software Update`): parsing with
//! precise errors. The tree of all of them is `index::settings`.

use std::fmt;

use serde::Serialize;

use crate::slug::slugify;

/// The separator between segments, with its surrounding spaces.
pub const SEPARATOR: &str = " > ";

/// What `SettingsPath::parse` accepts, for schemas: segments separated by
/// `>`, each with something other than white space.
pub const PATTERN: &str = r"^[^>]*[^>\s][^>]*(>[^>]*[^>\s][^>]*)*$";

/// A validated settings path: at least one non-empty, trimmed segment.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct SettingsPath(String);

/// Why a settings path was rejected, with the byte range (within the raw
/// text) that is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingsPathError {
    pub message: String,
    pub span: std::ops::Range<usize>,
    pub help: String,
}

impl SettingsPath {
    /// Parses `raw`; segments are separated by `>` and trimmed. Rejects empty
    /// paths, empty segments (`A > > B`, `A >> B`) and a leading/trailing `>`.
    pub fn parse(raw: &str) -> Result<SettingsPath, SettingsPathError> {
        if raw.trim().is_empty() {
            return Err(SettingsPathError {
                message: "settings path is empty".into(),
                span: 0..raw.len(),
                help: "write the path as segments joined by ` > `, e.g. `Settings > General`".into(),
            });
        }
        let mut segments = Vec::new();
        let mut start = 0;
        for (i, part) in raw.split('>').enumerate() {
            let end = start + part.len();
            if part.trim().is_empty() {
                let (message, span) = if i == 0 {
                    ("settings path starts with `>`".to_string(), start..(end + 1).min(raw.len()))
                } else if end == raw.len() {
                    ("settings path ends with `>`".to_string(), start.saturating_sub(1)..end)
                } else {
                    ("settings path has an empty segment".to_string(), start.saturating_sub(1)..end + 1)
                };
                let corrected: Vec<&str> = raw.split('>').map(str::trim).filter(|s| !s.is_empty()).collect();
                let help = match corrected.len() {
                    0 => "each segment between ` > ` must name a screen or setting".to_string(),
                    _ => format!("did you mean `{}`? Each segment between ` > ` names a screen or setting", corrected.join(SEPARATOR)),
                };
                return Err(SettingsPathError { message, span, help });
            }
            segments.push(part.trim());
            start = end + 1;
        }
        Ok(SettingsPath(segments.join(SEPARATOR)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn segments(&self) -> impl Iterator<Item = &str> {
        self.0.split(SEPARATOR)
    }

    /// The anchor of this path on the settings map.
    pub fn anchor(&self) -> String {
        format!("s-{}", slugify(&self.0))
    }
}

impl fmt::Display for SettingsPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_normalises_spacing() {
        let p = SettingsPath::parse("Settings >General>  Software Update ").unwrap();
        assert_eq!(p.as_str(), "Settings > General > Software Update");
        assert_eq!(p.segments().collect::<Vec<_>>(), ["Settings", "General", "Software Update"]);
    }

    #[test]
    fn rejects_empty_segments_with_a_span_on_the_problem() {
        let raw = "Settings >> General";
        let err = SettingsPath::parse(raw).unwrap_err();
        assert_eq!(err.message, "settings path has an empty segment");
        assert_eq!(&raw[err.span.clone()], ">>");
        assert_eq!(err.help, "did you mean `Settings > General`? Each segment between ` > ` names a screen or setting");
        assert!(SettingsPath::parse("Settings > > Wi-Fi >").unwrap_err().help.starts_with("did you mean `Settings > Wi-Fi`?"));
        let err = SettingsPath::parse("Settings > General >").unwrap_err();
        assert_eq!(err.message, "settings path ends with `>`");
        let err = SettingsPath::parse("> General").unwrap_err();
        assert_eq!(err.message, "settings path starts with `>`");
        assert!(SettingsPath::parse("  ").is_err());
    }
}
