//! `fixbook check --format github`: diagnostics as GitHub Actions workflow
//! commands (`::error file=…,line=…,col=…,title=<code>::message`), which the
//! runner turns into annotations on the pull request's changed lines.
//! Escaping follows the runner (actions/toolkit `command.ts`): in the
//! message `%`, CR and LF become `%25`, `%0D`, `%0A`; in a property `:` and
//! `,` become `%3A`, `%2C` as well, so no text from a guide can end a
//! property, start another command or forge a line of the log.

use super::{Diagnostic, Severity, SourceMap};

/// One workflow command per diagnostic. `path_prefix` turns a path relative
/// to the guide into one relative to the repository root (`docs/guide/`, or
/// empty when the guide is the root), which is what annotations need.
pub fn render_github(diagnostics: &[Diagnostic], sources: &SourceMap, path_prefix: &str) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let start = sources.line_col(&d.file, d.span.start);
        let end = sources.line_col(&d.file, d.span.end);
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let file = format!("{path_prefix}{}", d.file);
        let message = match &d.help {
            Some(help) => format!("{}\nhelp: {help}", d.message),
            None => d.message.clone(),
        };
        out.push_str(&format!(
            "::{command} file={},line={},endLine={},col={},endColumn={},title={}::{}\n",
            escape_property(&file),
            start.line,
            end.line,
            start.column,
            end.column,
            escape_property(d.code.as_str()),
            escape_data(&message)
        ));
    }
    out
}

/// The message of a command: `%`, CR and LF escaped as the runner expects;
/// other control characters (an escape sequence in a file name) are written
/// as `%XX` too, which the runner shows as it is instead of passing to the log,
/// and so are bidirectional formatting characters (byte by byte).
pub fn escape_data(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c if c.is_control() && c != '\t' => out.push_str(&format!("%{:02X}", c as u32)),
            // Bidirectional formatting (`escape::is_terminal_unsafe`): its UTF-8 bytes, shown as written.
            c if c != '\t' && crate::escape::is_terminal_unsafe(c) => c.encode_utf8(&mut [0; 4]).bytes().for_each(|b| out.push_str(&format!("%{b:02X}"))),
            c => out.push(c),
        }
    }
    out
}

/// A property value (`file=`, `title=`): the message escapes plus `:` and `,`.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::super::Code;
    use super::*;

    #[test]
    fn escapes_follow_the_runner() {
        assert_eq!(escape_data("100% done\r\nnext: a, b"), "100%25 done%0D%0Anext: a, b");
        assert_eq!(escape_property("100% done\r\nnext: a, b"), "100%25 done%0D%0Anext%3A a%2C b");
        assert_eq!(escape_data("tab\tstays, \u{1b}]0;title\u{7}"), "tab\tstays, %1B]0;title%07");
        assert_eq!(escape_property("::error file=x::forged"), "%3A%3Aerror file=x%3A%3Aforged");
    }

    #[test]
    fn one_command_per_diagnostic_with_the_repository_path() {
        let mut sources = SourceMap::default();
        sources.insert("wifi/drops.md", Arc::from("---\ntitle: x\nsymptoms: [wifi-drop]\n---\n"));
        let start = "---\ntitle: x\nsymptoms: [".len();
        let diagnostics = [
            Diagnostic::error(Code::UnknownSymptom, "wifi/drops.md", start..start + 9, "unknown symptom `wifi-drop`").with_help("did you mean `wifi-drops`?"),
            Diagnostic::warning(Code::EmptySection, "a,b:c%.md", 0..0, "section has no text"),
        ];
        let out = render_github(&diagnostics, &sources, "docs/guide/");
        assert_eq!(
            out,
            "::error file=docs/guide/wifi/drops.md,line=3,endLine=3,col=12,endColumn=21,title=unknown-symptom::unknown symptom `wifi-drop`%0Ahelp: did you mean `wifi-drops`?\n\
             ::warning file=docs/guide/a%2Cb%3Ac%25.md,line=1,endLine=1,col=1,endColumn=1,title=empty-section::section has no text\n"
        );
    }
}
