//! Stage 3, checks over the whole model: the cross-file checks (symptoms
//! against the catalog, links and anchors, page collisions, settings-path
//! typos, empty sections, one escalation section), procedure `lint` and
//! review `freshness`. Pure: the model in, diagnostics out; nothing here
//! changes the model or parses a source again.

mod escalation;
pub mod freshness;
mod links;
pub mod lint;
mod pages;
mod settings;
mod symptoms;

use crate::content::model::Guide;
use crate::diagnostics::Diagnostic;

pub use pages::{RESERVED_FOLDERS, RESERVED_PAGES};

/// The cross-file checks.
pub fn check(guide: &Guide) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    symptoms::check_symptoms(guide, &mut out);
    pages::check_pages(guide, &mut out);
    links::check_links(guide, &mut out);
    settings::check_settings_typos(guide, &mut out);
    pages::check_empty(guide, &mut out);
    escalation::check_escalation(guide, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::loader::{GuideFiles, SourceFile};
    use std::sync::Arc;

    fn guide(files: &[(&str, &str)]) -> Guide {
        let mut gf = GuideFiles::default();
        for (path, text) in files {
            let f = SourceFile { path: path.to_string(), text: Arc::from(*text) };
            match *path {
                "guide.toml" => gf.config = Some(f),
                "symptoms.yml" => gf.symptoms = Some(f),
                _ => gf.sections.push(f),
            }
        }
        let (g, d) = crate::content::model::build(gf, false);
        assert!(d.iter().all(|d| !d.is_error()), "{d:?}");
        g.unwrap()
    }

    const CATALOG: &str =
        "symptoms:\n  - id: wifi-drops\n    label: Wi-Fi keeps dropping\n    aliases: [disconnects]\n  - id: slow\n    label: Slow internet\n";

    fn codes(d: &[Diagnostic]) -> Vec<&'static str> {
        d.iter().map(|d| d.code.as_str()).collect()
    }

    #[test]
    fn unknown_symptom_suggests_the_closest_id() {
        let g = guide(&[("guide.toml", "title='g'"), ("symptoms.yml", CATALOG), ("a.md", "---\ntitle: A\nsymptoms: [wifi-drop, slow]\n---\ntext\n")]);
        let d = check(&g);
        assert_eq!(codes(&d), ["unknown-symptom", "unused-symptom"]);
        assert_eq!(d[0].help.as_deref(), Some("did you mean `wifi-drops`?"));
    }

    #[test]
    fn unknown_symptom_matches_aliases_too() {
        let g =
            guide(&[("guide.toml", "title='g'"), ("symptoms.yml", CATALOG), ("a.md", "---\ntitle: A\nsymptoms: [disconnect, slow, wifi-drops]\n---\ntext\n")]);
        let d = check(&g);
        assert_eq!(d[0].help.as_deref(), Some("did you mean `wifi-drops`?"));
    }

    #[test]
    fn links_and_anchors_are_checked() {
        let g = guide(&[
            ("guide.toml", "title='g'"),
            ("net/a.md", "---\ntitle: A\n---\n## Power\n[ok](b.md#reset) [bad](c.md) [anchor](b.md#rest) [img](x.png) [self](#powr)\n"),
            ("net/b.md", "---\ntitle: B\n---\n## Reset\ntext\n"),
        ]);
        let d = check(&g);
        assert_eq!(codes(&d), ["broken-link", "missing-anchor", "missing-file", "missing-anchor"]);
        assert_eq!(d[0].help.as_deref(), Some("did you mean `b.md`?"));
        assert_eq!(d[1].help.as_deref(), Some("did you mean `#reset`?"));
        assert_eq!(d[3].help.as_deref(), Some("did you mean `#power`?"));
    }

    #[test]
    fn step_anchors_can_be_linked() {
        let g = guide(&[("guide.toml", "title='g'"), ("a.md", "---\ntitle: A\n---\n## Fix\n1. one [go](#fix-step-2)\n2. two\n")]);
        assert!(check(&g).is_empty());
    }

    #[test]
    fn settings_typos_are_flagged_at_the_rare_spelling() {
        let g = guide(&[
            ("guide.toml", "title='g'"),
            ("a.md", "---\ntitle: A\nsettings: [\"Settings > General > About\"]\n---\n`Settings > General > About`\n"),
            ("b.md", "---\ntitle: B\nsettings: [\"Settings > Genral > About\"]\n---\n`Settings > General > About`\n"),
        ]);
        let d = check(&g);
        assert_eq!(codes(&d), ["settings-path-typo"]);
        assert_eq!(d[0].file, "b.md");
    }

    #[test]
    fn reserved_and_case_colliding_pages_are_errors() {
        let g = guide(&[
            ("guide.toml", "title='g'"),
            ("print.md", "---\ntitle: P\n---\nx\n"),
            ("A.md", "---\ntitle: A\n---\nx\n"),
            ("a.md", "---\ntitle: a\n---\nx\n"),
        ]);
        assert_eq!(codes(&check(&g)), ["page-collision", "page-collision"]);
    }

    #[test]
    fn empty_sections_warn() {
        let g = guide(&[("guide.toml", "title='g'"), ("a.md", "---\ntitle: A\n---\n\n")]);
        assert_eq!(codes(&check(&g)), ["empty-section"]);
    }
}
