//! Symptoms named in front matter against the catalog: unknown ids (with a
//! "did you mean" over ids, labels and aliases), ids listed twice, and
//! catalog entries no section fixes.

use std::collections::HashSet;

use crate::content::model::Guide;
use crate::diagnostics::{Code, Diagnostic, closest};
use crate::source::symptoms::FILE_NAME;

pub(super) fn check_symptoms(guide: &Guide, out: &mut Vec<Diagnostic>) {
    let known: HashSet<&str> = guide.symptoms.iter().map(|s| s.id.as_str()).collect();
    let mut used: HashSet<&str> = HashSet::new();
    // symptoms.yml did not parse: its own error says why; every id would be "unknown".
    let catalog_unread = guide.unparsed.iter().any(|u| u == FILE_NAME);
    for section in guide.sections.iter().chain(&guide.drafts) {
        let mut seen_here = HashSet::new();
        for id in &section.symptoms {
            used.insert(id.value.as_str());
            if !seen_here.insert(id.value.as_str()) {
                out.push(
                    Diagnostic::warning(Code::DuplicateSymptomRef, &section.source, id.span.clone(), format!("symptom `{}` is listed twice", id.value))
                        .with_help("remove the repeated id"),
                );
            }
            if !catalog_unread && !known.contains(id.value.as_str()) {
                out.push(
                    Diagnostic::error(Code::UnknownSymptom, &section.source, id.span.clone(), format!("unknown symptom `{}`", id.value))
                        .with_help_opt(suggest_symptom(guide, id.value.as_str())),
                );
            }
        }
    }
    // A section that could not be parsed may well list the symptom.
    let all_sections_parsed = guide.unparsed.is_empty();
    for symptom in &guide.symptoms {
        if all_sections_parsed && !used.contains(symptom.id.as_str()) {
            out.push(
                Diagnostic::warning(Code::UnusedSymptom, FILE_NAME, symptom.span.clone(), format!("no section fixes symptom `{}`", symptom.id.as_str()))
                    .with_help("list it under `symptoms:` in the sections that fix it, or remove it from symptoms.yml"),
            );
        }
    }
}

/// "did you mean" for a symptom id: against ids, labels and aliases.
fn suggest_symptom(guide: &Guide, input: &str) -> Option<String> {
    if guide.symptoms.is_empty() {
        return Some("symptoms.yml defines no symptoms; add this one there".to_string());
    }
    let mut candidates: Vec<(&str, &str)> = Vec::new();
    for s in &guide.symptoms {
        candidates.push((s.id.as_str(), s.id.as_str()));
        candidates.push((s.label.as_str(), s.id.as_str()));
        for alias in &s.aliases {
            candidates.push((alias.as_str(), s.id.as_str()));
        }
    }
    let spaced = input.replace('-', " ");
    let best = closest(input, candidates.iter().map(|(text, _)| *text)).or_else(|| closest(&spaced, candidates.iter().map(|(t, _)| *t)))?;
    let id = candidates.iter().find(|(text, _)| *text == best).map(|(_, id)| *id)?;
    Some(format!("did you mean `{id}`?"))
}
