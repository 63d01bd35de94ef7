//! The stable codes of diagnostics. Their kebab-case text is part of the
//! public contract (`check --format json`, `[code]` in the terminal report),
//! so a variant may be added but its text never changes.

/// Declares `Code` with the text of each variant and the list of all of them.
macro_rules! codes {
    ($($(#[$doc:meta])* $variant:ident = $text:literal,)*) => {
        /// What kind of problem a diagnostic reports.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code {
            $($(#[$doc])* $variant,)*
        }

        impl Code {
            /// Every code, in declaration order (tests check each one has a broken guide).
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The stable text of the code, e.g. `unknown-symptom`.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $text,)*
                }
            }
        }
    };
}

codes! {
    // The guide folder and its files (loader).
    /// A file or folder could not be read.
    UnreadableFile = "unreadable-file",
    /// A text file is not UTF-8.
    InvalidUtf8 = "invalid-utf8",
    /// A symbolic link is not followed.
    SymlinkSkipped = "symlink-skipped",
    /// A Markdown file not named `.md` (`wifi.MD`, `notes.markdown`) is
    /// neither a section nor published raw.
    MarkdownExtension = "markdown-extension",

    // guide.toml.
    MissingConfig = "missing-config",
    ConfigSyntax = "config-syntax",
    UnknownKey = "unknown-key",
    MissingTitle = "missing-title",
    InvalidLanguage = "invalid-language",
    InvalidBaseUrl = "invalid-base-url",
    InvalidEditUrl = "invalid-edit-url",

    // symptoms.yml.
    SymptomsSyntax = "symptoms-syntax",
    InvalidSymptomId = "invalid-symptom-id",
    EmptyLabel = "empty-label",
    DuplicateSymptom = "duplicate-symptom",
    DuplicateLabel = "duplicate-label",

    // Section front matter.
    MissingFrontMatter = "missing-front-matter",
    UnclosedFrontMatter = "unclosed-front-matter",
    FrontMatterSyntax = "front-matter-syntax",
    InvalidType = "invalid-type",
    DuplicateKey = "duplicate-key",
    EmptyTitle = "empty-title",
    InvalidDate = "invalid-date",
    MalformedSettingsPath = "malformed-settings-path",
    /// A folder's `index.md` sets a key only sections use (it is ignored).
    FolderIndexKey = "folder-index-key",

    // Markdown bodies.
    DuplicateId = "duplicate-id",
    UnsafeLink = "unsafe-link",

    // Guide-wide checks.
    UnknownSymptom = "unknown-symptom",
    DuplicateSymptomRef = "duplicate-symptom-ref",
    UnusedSymptom = "unused-symptom",
    PageCollision = "page-collision",
    /// A section's page name would be longer than file systems allow.
    NameTooLong = "name-too-long",
    BrokenLink = "broken-link",
    LinkToDraft = "link-to-draft",
    MissingAnchor = "missing-anchor",
    MissingFile = "missing-file",
    LinkOutsideGuide = "link-outside-guide",
    SettingsPathTypo = "settings-path-typo",
    EmptySection = "empty-section",
    DuplicateEscalation = "duplicate-escalation",

    // Procedure lint (`[lint]` in guide.toml).
    NoSteps = "no-steps",
    LongStep = "long-step",
    DraftOnlyFix = "draft-only-fix",
    SettingsNotListed = "settings-not-listed",
    SettingsNotUsed = "settings-not-used",
    BodyH1 = "body-h1",

    // `check --stale-after`.
    StaleReview = "stale-review",
    MissingReview = "missing-review",

    // The theme.
    TemplateError = "template-error",
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_unique_kebab_case() {
        let mut seen = std::collections::HashSet::new();
        for code in Code::ALL {
            let text = code.as_str();
            assert!(seen.insert(text), "{text} twice");
            assert!(text.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') && !text.starts_with('-'), "{text}");
        }
        assert_eq!(serde_json::to_string(&Code::UnknownSymptom).unwrap(), "\"unknown-symptom\"");
    }
}
