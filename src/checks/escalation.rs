//! One escalation section at most (`escalation: true`, e.g. "Get help from
//! Apple"): every page links to it under "Still not fixed?", so two would
//! leave readers to guess which one applies.

use crate::content::model::Guide;
use crate::diagnostics::{Code, Diagnostic};

/// Reports every escalation section after the first, at its `escalation` line.
pub(super) fn check_escalation(guide: &Guide, out: &mut Vec<Diagnostic>) {
    let mut escalations = guide.sections.iter().filter(|s| s.escalation);
    let Some(first) = escalations.next() else { return };
    for s in escalations {
        out.push(
            Diagnostic::error(
                Code::DuplicateEscalation,
                &s.source,
                s.keys.line_or_fence("escalation"),
                format!("`{}` and `{}` both say `escalation: true`", first.source, s.source),
            )
            .with_help("a guide has one escalation section, linked from every page under \"Still not fixed?\"; remove `escalation: true` from all but one"),
        );
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::source::loader::{GuideFiles, SourceFile};

    fn guide(sections: &[(&str, &str)]) -> Guide {
        let mut gf = GuideFiles { config: Some(SourceFile { path: "guide.toml".into(), text: Arc::from("title = 'g'") }), ..GuideFiles::default() };
        for (path, fm) in sections {
            let text = format!("---\n{fm}\n---\n1. step\n");
            gf.sections.push(SourceFile { path: path.to_string(), text: Arc::from(text.as_str()) });
        }
        let (g, d) = crate::content::model::build(gf, false);
        assert!(d.iter().all(|d| !d.is_error()), "{d:?}");
        g.unwrap()
    }

    fn check_escalation(guide: &Guide) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        super::check_escalation(guide, &mut out);
        out
    }

    #[test]
    fn two_escalation_sections_are_an_error_at_the_second() {
        let g = guide(&[("a.md", "title: A\nescalation: true"), ("b.md", "title: B\nweight: 5\nescalation: true"), ("c.md", "title: C\nescalation: false")]);
        let d = check_escalation(&g);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].code, Code::DuplicateEscalation);
        assert_eq!(d[0].file, "b.md");
        let text = &g.sections.iter().find(|s| s.source == "b.md").unwrap().text;
        assert_eq!(&text[d[0].span.clone()], "escalation: true");
        assert!(check_escalation(&guide(&[("a.md", "title: A\nescalation: true")])).is_empty());
    }
}
