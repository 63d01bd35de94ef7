//! Suggested symptoms, mined from the imported articles for a person to
//! review: error codes (`0x80070035`, `Error 720`, `Event ID 2213`, `STOP
//! 0x0000007B`), quoted error messages (a quoted sentence on a line that
//! speaks of an error, or a quoted/indented message under a "Symptoms"
//! heading), and the headings under a "Symptoms" heading. Each becomes a
//! catalog entry (id `[a-z0-9-]+`) with the sections it came from written
//! above it, and those sections list it in their front matter.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::project::Page;
use super::yaml_string;
use crate::slug::slugify;

pub(super) struct Suggestion {
    pub id: String,
    pub label: String,
    pub group: &'static str,
    /// Guide paths of the sections it came from.
    pub sections: Vec<String>,
}

/// Codes in one line of text: (label, id).
fn codes(line: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let words: Vec<&str> =
        line.split(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | ',' | ';' | '`' | '*' | '"' | '“' | '”')).filter(|w| !w.is_empty()).collect();
    for (i, w) in words.iter().enumerate() {
        let w = w.trim_end_matches(['.', ':']);
        let prev = |n: usize| i.checked_sub(n).map(|j| words[j].to_ascii_lowercase());
        if let Some(hex) = w.strip_prefix("0x").or_else(|| w.strip_prefix("0X"))
            && hex.len() == 8
            && hex.chars().all(|c| c.is_ascii_hexdigit())
        {
            let label = if prev(1).as_deref() == Some("stop") { format!("STOP 0x{}", hex.to_uppercase()) } else { format!("Error 0x{}", hex.to_uppercase()) };
            let id = slugify(&label);
            out.push((label, id));
        } else if w.len() >= 3 && w.len() <= 5 && w.chars().all(|c| c.is_ascii_digit()) {
            match (prev(2).as_deref(), prev(1).as_deref()) {
                (Some("event"), Some("id")) => out.push((format!("Event ID {w}"), format!("event-id-{w}"))),
                (_, Some("error")) | (Some("error"), Some("code")) => out.push((format!("Error {w}"), format!("error-{w}"))),
                _ => {}
            }
        }
    }
    out
}

/// Quoted messages on a line that speaks of an error.
fn messages(line: &str, under_symptoms: bool) -> Vec<String> {
    let lower = line.to_lowercase();
    if !under_symptoms && !["error", "fail", "cannot", "can't", "unable", "not found", "denied"].iter().any(|w| lower.contains(w)) {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (open, close) in [('"', '"'), ('“', '”')] {
        let mut rest = line;
        while let Some(a) = rest.find(open) {
            let after = &rest[a + open.len_utf8()..];
            let Some(b) = after.find(close) else { break };
            let quoted = after[..b].trim().trim_end_matches(['.', ',']);
            let words = quoted.split_whitespace().count();
            let looks_like_message =
                (4..=16).contains(&words) && !quoted.contains(['<', '>', '{', '}', '=', '\\', '/']) && quoted.chars().next().is_some_and(char::is_alphabetic);
            if looks_like_message {
                out.push(quoted.to_string());
            }
            rest = &after[b + close.len_utf8()..];
        }
    }
    out
}

pub(super) fn mine(pages: &mut [Page]) -> Vec<Suggestion> {
    let mut found: BTreeMap<String, Suggestion> = BTreeMap::new();
    let mut add = |id: String, label: String, group: &'static str, page: &str| {
        let id = id.chars().take(60).collect::<String>().trim_end_matches('-').to_string();
        if id.is_empty() || !id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
            return;
        }
        let entry = found.entry(id.clone()).or_insert_with(|| Suggestion { id, label, group, sections: Vec::new() });
        if !entry.sections.iter().any(|s| s == page) {
            entry.sections.push(page.to_string());
        }
    };
    for page in pages.iter().filter(|p| !p.is_intro) {
        let mut fence = false;
        let mut symptoms_level: Option<usize> = None;
        for line in std::iter::once(page.title.as_str()).chain(page.body.lines()) {
            let t = line.trim();
            if t.starts_with("```") || t.starts_with("~~~") {
                fence = !fence;
                continue;
            }
            if fence {
                continue;
            }
            let level = t.chars().take_while(|c| *c == '#').count();
            if level > 0 && t[level..].starts_with(' ') {
                let heading = t[level..].trim().trim_end_matches('#').trim();
                match symptoms_level {
                    Some(l) if level > l => {
                        add(slugify(heading), heading.to_string(), "Symptoms (headings)", &page.guide_path);
                    }
                    _ => symptoms_level = None,
                }
                let lower = heading.to_lowercase();
                if lower == "symptoms" || lower == "symptom" {
                    symptoms_level = Some(level);
                }
            }
            for (label, id) in codes(t) {
                add(id, label, "Error codes", &page.guide_path);
            }
            for message in messages(t, symptoms_level.is_some()) {
                add(slugify(&message), message, "Error messages", &page.guide_path);
            }
        }
    }
    let suggestions: Vec<Suggestion> = found.into_values().collect();
    for page in pages.iter_mut() {
        page.symptoms = suggestions.iter().filter(|s| s.sections.contains(&page.guide_path)).map(|s| s.id.clone()).collect();
    }
    suggestions
}

/// symptoms.yml with every suggestion and where it came from.
pub(super) fn catalog(suggestions: &[Suggestion]) -> String {
    let mut out = String::from(
        "# Suggested by `fixbook import`: symptoms mined from the articles (error codes, quoted\n# error messages, headings under \"Symptoms\"). Review them: keep, merge or rename what a\n# reader would say, remove the rest (and the ids from the sections that list them).\nsymptoms:\n",
    );
    if suggestions.is_empty() {
        return out.replace("symptoms:\n", "symptoms: []\n");
    }
    for s in suggestions {
        let _ = writeln!(out, "  # from: {}", s.sections.join(", "));
        let _ = writeln!(out, "  - id: {}\n    label: {}\n    group: {}", s.id, yaml_string(&s.label), yaml_string(s.group));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_messages_and_symptom_headings_are_found() {
        assert_eq!(
            codes("fails with error 0x80070035 (Event ID 2213), Error 720.").into_iter().map(|c| c.1).collect::<Vec<_>>(),
            ["error-0x80070035", "event-id-2213", "error-720"]
        );
        assert_eq!(messages("You receive the error \"The network path was not found.\"", false), ["The network path was not found"]);
        assert!(messages("Set \"a\" to \"b\"", false).is_empty());
        let mut pages = vec![Page {
            guide_path: "a.md".into(),
            title: "Drive".into(),
            body: "## Symptoms\n\n### Drive shows a red X\n\nSTOP 0x0000007B\n\n## Cause\n\n### Not a symptom\n".into(),
            ..Page::default()
        }];
        let s = mine(&mut pages);
        let ids: Vec<&str> = s.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["drive-shows-a-red-x", "stop-0x0000007b"]);
        assert_eq!(pages[0].symptoms, ["drive-shows-a-red-x", "stop-0x0000007b"]);
        assert!(catalog(&s).contains("  # from: a.md\n  - id: drive-shows-a-red-x\n    label: \"Drive shows a red X\""));
    }
}
