//! The build log people read: `fixbook build` prints every error in full (they
//! stop the build) and warnings as a summary — the first few with their
//! location, message and help (the source excerpt is left to `check`), then
//! a count per code and how many were not shown. `fixbook check` and
//! `build --verbose` print everything in full (`render_human`).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::{Diagnostic, Severity, SourceMap, render_human};

/// Warnings shown by name (with location and help) before the summary.
pub const WARNINGS_SHOWN: usize = 10;

/// The build log of `diagnostics` (sorted already).
pub fn render_build_log(diagnostics: &[Diagnostic], sources: &SourceMap, color: bool) -> String {
    let (errors, warnings): (Vec<&Diagnostic>, Vec<&Diagnostic>) = diagnostics.iter().partition(|d| d.severity == Severity::Error);
    let errors: Vec<Diagnostic> = errors.into_iter().cloned().collect();
    let mut out = render_human(&errors, sources, color);
    if warnings.is_empty() {
        return out;
    }
    for d in warnings.iter().take(WARNINGS_SHOWN) {
        let lc = sources.line_col(&d.file, d.span.start);
        let _ = writeln!(out, "warning[{}]: {}:{}:{}: {}", d.code.as_str(), d.file, lc.line, lc.column, d.message);
        if let Some(help) = &d.help {
            let _ = writeln!(out, "  help: {help}");
        }
    }
    if warnings.len() > WARNINGS_SHOWN {
        let mut by_code: BTreeMap<&str, usize> = BTreeMap::new();
        for d in &warnings {
            *by_code.entry(d.code.as_str()).or_default() += 1;
        }
        let mut by_code: Vec<(&str, usize)> = by_code.into_iter().collect();
        // Most frequent first; equal counts by code, so the log is deterministic.
        by_code.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let _ = writeln!(out, "warnings by code:");
        for (code, n) in by_code {
            let _ = writeln!(out, "  {n:>6}  {code}");
        }
        let more = warnings.len() - WARNINGS_SHOWN;
        let _ = writeln!(out, "{more} more {} — run `fixbook check` to see all", if more == 1 { "warning" } else { "warnings" });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Code;

    #[test]
    fn errors_in_full_then_the_first_warnings_and_counts_per_code() {
        let mut sources = SourceMap::default();
        sources.insert("a.md", "line one\nline two\n".into());
        let mut d = vec![Diagnostic::error(Code::BrokenLink, "a.md", 9..13, "link to `b.md`, which does not exist")];
        for i in 0..13 {
            let code = if i % 3 == 0 { Code::BodyH1 } else { Code::LongStep };
            d.push(Diagnostic::warning(code, "a.md", 0..4, format!("w{i}")).with_help("fix it"));
        }
        let log = render_build_log(&d, &sources, false);
        assert!(log.contains("a.md:2:1: link to `b.md`") && log.contains("2 | line two"), "the error has its snippet: {log}");
        assert_eq!(log.matches("warning[").count(), 10, "{log}");
        assert!(log.contains("warning[body-h1]: a.md:1:1: w0\n  help: fix it\n"), "{log}");
        assert!(log.contains("warnings by code:\n       8  long-step\n       5  body-h1\n3 more warnings — run `fixbook check` to see all\n"), "{log}");
        assert!(!log.contains("w10"), "{log}");
        // Few warnings: no summary needed.
        let few = render_build_log(&d[..3], &sources, false);
        assert!(!few.contains("more") && !few.contains("by code"), "{few}");
    }
}
