//! Procedure lint: warnings about sections that will not help a reader even
//! though they parse and link fine. A section that claims symptoms but has no
//! steps, a step too long to follow at the device, a symptom only a draft
//! fixes, settings paths that the front matter and the body disagree on, and
//! body h1s (shown one level down).
//! Each lint can be switched off in guide.toml `[lint]` (see
//! `config::LintConfig`). Pure: the model in, diagnostics out.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use crate::content::model::{Guide, Section};
use crate::diagnostics::{Code, Diagnostic};
use crate::source::settings::SettingsPath;

/// Runs every lint that `[lint]` leaves on, over the sections being published.
pub fn lint(guide: &Guide) -> Vec<Diagnostic> {
    let config = &guide.config.lint;
    let mut out = Vec::new();
    for section in &guide.sections {
        if config.no_steps {
            no_steps(section, &mut out);
        }
        if config.long_step {
            long_steps(section, config.max_step_words, &mut out);
        }
        if config.settings_mismatch {
            settings_mismatch(section, &mut out);
        }
        if config.body_h1 {
            body_h1(section, &mut out);
        }
    }
    if config.draft_only_fix {
        draft_only_fixes(guide, &mut out);
    }
    out
}

fn no_steps(section: &Section, out: &mut Vec<Diagnostic>) {
    // An empty body is already reported as `empty-section`.
    if section.symptoms.is_empty() || !section.body.steps.is_empty() || section.body.word_count == 0 {
        return;
    }
    let n = section.symptoms.len();
    out.push(
        Diagnostic::warning(
            Code::NoSteps,
            &section.source,
            section.keys.line_or_fence("symptoms"),
            format!("`{}` claims to fix {} but has no steps", section.title, if n == 1 { "a symptom".to_string() } else { format!("{n} symptoms") }),
        )
        .with_help(
            "write the fix as a numbered list (`1. **Restart the router** — ...`), or turn this lint off with `no_steps = false` under [lint] in guide.toml",
        ),
    );
}

fn body_h1(section: &Section, out: &mut Vec<Diagnostic>) {
    for span in &section.body.demoted_h1 {
        out.push(
            Diagnostic::warning(Code::BodyH1, &section.source, first_line(&section.text, span.clone()), "this `#` heading is shown as a `##`: the page's only h1 is its title")
                .with_help(format!("write it as `## …`, or, if it repeats the title, make it the first line of the body with the same words as `title: {}`; `body_h1 = false` under [lint] in guide.toml turns this off", section.title)),
        );
    }
}

fn long_steps(section: &Section, max_words: usize, out: &mut Vec<Diagnostic>) {
    for step in &section.body.steps {
        let words = step.title.as_deref().map_or(0, |t| t.split_whitespace().count()) + step.text.split_whitespace().count();
        // The text counts code too; a long one is measured again without it
        // (what Markdown counted as the step's prose).
        let words = if words > max_words { step.prose_words } else { words };
        if words > max_words {
            out.push(
                Diagnostic::warning(
                    Code::LongStep,
                    &section.source,
                    first_line(&section.text, step.span.clone()),
                    format!("step {} has {words} words; steps over {max_words} words are hard to follow at the device", step.number),
                )
                .with_help("split it into several steps, or move background into a paragraph after the list; set `max_step_words` or `long_step = false` under [lint] in guide.toml to change this"),
            );
        }
    }
}

/// The first line of a span, so a long step is underlined once, not whole.
fn first_line(text: &str, span: Range<usize>) -> Range<usize> {
    let start = span.start.min(text.len());
    let end = span.end.min(text.len()).max(start);
    let line_end = text[start..end].find('\n').map_or(end, |i| start + i);
    start..text[start..line_end].trim_end().len() + start
}

fn settings_mismatch(section: &Section, out: &mut Vec<Diagnostic>) {
    let listed: BTreeSet<&SettingsPath> = section.settings.iter().map(|p| &p.value).collect();
    let used: BTreeSet<&SettingsPath> = section.body.settings.iter().map(|(p, _)| p).collect();
    let mut reported = BTreeSet::new();
    for (path, span) in &section.body.settings {
        if !listed.contains(path) && reported.insert(path) {
            out.push(
                Diagnostic::warning(Code::SettingsNotListed, &section.source, span.clone(), format!("`{path}` is used here but not listed under `settings:`"))
                    .with_help(format!("add \"{path}\" to `settings:` in the front matter so the settings map shows this section; `settings_mismatch = false` under [lint] turns this off")),
            );
        }
    }
    for p in &section.settings {
        if !used.contains(&p.value) && reported.insert(&p.value) {
            // Written as plain or bold text, the path is there for readers but
            // gets no breadcrumb and no place on the settings map: say so.
            let as_text = section.body.chunks.iter().any(|c| c.text.contains(p.value.as_str()));
            let d = if as_text {
                Diagnostic::warning(
                    Code::SettingsNotUsed,
                    &section.source,
                    p.span.clone(),
                    format!("`{}` is listed under `settings:` but the text writes it as plain text", p.value),
                )
                .with_help(format!("write it in backticks, `{}`, so it shows as a breadcrumb linked to the settings map", p.value))
            } else {
                Diagnostic::warning(
                    Code::SettingsNotUsed,
                    &section.source,
                    p.span.clone(),
                    format!("`{}` is listed under `settings:` but the text never mentions it", p.value),
                )
                .with_help(format!("write it in the steps as `{}` so readers know when to open it, or remove it from `settings:`", p.value))
            };
            out.push(d);
        }
    }
}

/// A symptom fixed only by drafts: a reader who ticks it finds no published
/// fix. (With `--drafts` the drafts are published, so nothing is reported.)
fn draft_only_fixes(guide: &Guide, out: &mut Vec<Diagnostic>) {
    let known: BTreeSet<&str> = guide.symptoms.iter().map(|s| s.id.as_str()).collect();
    #[derive(Default)]
    struct Fixes<'a> {
        published: usize,
        /// The first draft that fixes the symptom, and where it names it.
        draft: Option<(&'a Section, Range<usize>)>,
    }
    let mut fixes: BTreeMap<&str, Fixes> = BTreeMap::new();
    let published = guide.sections.iter().map(|s| (s, false));
    for (section, is_draft) in published.chain(guide.drafts.iter().map(|s| (s, true))) {
        for id in &section.symptoms {
            if !known.contains(id.value.as_str()) {
                continue;
            }
            let entry = fixes.entry(id.value.as_str()).or_default();
            if is_draft {
                entry.draft.get_or_insert((section, id.span.clone()));
            } else {
                entry.published += 1;
            }
        }
    }
    for (id, Fixes { published, draft }) in fixes {
        let Some((section, span)) = draft.filter(|_| published == 0) else { continue };
        out.push(
            Diagnostic::warning(Code::DraftOnlyFix, &section.source, span, format!("symptom `{id}` is fixed only by this draft, so the published site offers no fix for it"))
                .with_help("publish this section (remove `draft: true`), or have a published section fix the symptom; `draft_only_fix = false` under [lint] turns this off"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::loader::{GuideFiles, SourceFile};
    use std::sync::Arc;

    const CATALOG: &str = "symptoms:\n  - id: a\n    label: A\n  - id: b\n    label: B\n";

    fn guide(config: &str, sections: &[(&str, &str)]) -> Guide {
        let mut gf = GuideFiles {
            config: Some(SourceFile { path: "guide.toml".into(), text: Arc::from(format!("title = 'g'\n{config}").as_str()) }),
            symptoms: Some(SourceFile { path: "symptoms.yml".into(), text: Arc::from(CATALOG) }),
            ..GuideFiles::default()
        };
        for (path, text) in sections {
            gf.sections.push(SourceFile { path: path.to_string(), text: Arc::from(*text) });
        }
        let (g, d) = crate::content::model::build(gf, false);
        assert!(d.iter().all(|d| !d.is_error()), "{d:?}");
        g.unwrap()
    }

    fn codes(d: &[Diagnostic]) -> Vec<&'static str> {
        d.iter().map(|d| d.code.as_str()).collect()
    }

    #[test]
    fn a_section_with_symptoms_but_no_steps_warns_at_its_symptoms_line() {
        let text = "---\ntitle: T\nsymptoms: [a, b]\n---\nJust prose, and a list:\n\n- not a step\n";
        let g = guide("", &[("t.md", text), ("ok.md", "---\ntitle: Ok\n---\nNo symptoms, no steps: fine.\n")]);
        let d = lint(&g);
        assert_eq!(codes(&d), ["no-steps"]);
        assert_eq!(&text[d[0].span.clone()], "symptoms: [a, b]");
        assert!(d[0].message.contains("2 symptoms"), "{}", d[0].message);
        let g = guide("[lint]\nno_steps = false\n", &[("t.md", text)]);
        assert!(lint(&g).is_empty());
    }

    #[test]
    fn long_steps_warn_at_their_first_line_with_a_configurable_limit() {
        let long = vec!["word"; 61].join(" ");
        let text = format!("---\ntitle: T\n---\n1. **Two words** — short\n2. {long}\n   more\n");
        let g = guide("", &[("t.md", &text)]);
        let d = lint(&g);
        assert_eq!(codes(&d), ["long-step"]);
        assert!(d[0].message.starts_with("step 2 has 62 words"), "{}", d[0].message);
        assert_eq!(&text[d[0].span.clone()], format!("2. {long}"));
        let g = guide("[lint]\nmax_step_words = 62\n", &[("t.md", &text)]);
        assert!(lint(&g).is_empty());
        // Step 1 is a two-word title and one word of text: the title counts.
        let g = guide("[lint]\nmax_step_words = 3\n", &[("t.md", &text)]);
        assert_eq!(codes(&lint(&g)), ["long-step"]);
        let g = guide("[lint]\nmax_step_words = 2\n", &[("t.md", &text)]);
        assert_eq!(codes(&lint(&g)), ["long-step", "long-step"]);
        let g = guide("[lint]\nlong_step = false\n", &[("t.md", &text)]);
        assert!(lint(&g).is_empty());
    }

    #[test]
    fn code_blocks_in_a_step_do_not_count_as_words() {
        let config = vec!["option value"; 40].join("\n   ");
        let text = format!("---\ntitle: T\n---\n1. **Paste the config** — into the file:\n\n   ```\n   {config}\n   ```\n");
        let g = guide("", &[("t.md", &text)]);
        assert!(g.sections[0].body.steps[0].text.split_whitespace().count() > 60, "the step's text includes the code");
        assert!(lint(&g).is_empty(), "{:?}", lint(&g));
    }

    #[test]
    fn settings_paths_must_agree_between_front_matter_and_body() {
        let text = "---\ntitle: T\nsettings: [\"Settings > Wi-Fi\", \"Settings > Unused\"]\n---\n1. Open `Settings > Wi-Fi`, then `Settings > Bluetooth`, then `Settings > Bluetooth` again.\n";
        let g = guide("", &[("t.md", text)]);
        let d = lint(&g);
        assert_eq!(codes(&d), ["settings-not-listed", "settings-not-used"]);
        assert_eq!(&text[d[0].span.clone()], "`Settings > Bluetooth`");
        assert_eq!(&text[d[1].span.clone()], "Settings > Unused");
        let g = guide("[lint]\nsettings_mismatch = false\n", &[("t.md", text)]);
        assert!(lint(&g).is_empty());
    }

    #[test]
    fn a_listed_path_written_as_bold_text_gets_advice_to_use_backticks() {
        let text = "---\ntitle: T\nsettings: [\"Settings > Wi-Fi\"]\n---\n1. Go to **Settings > Wi-Fi**.\n";
        let d = lint(&guide("", &[("t.md", text)]));
        assert_eq!(codes(&d), ["settings-not-used"]);
        assert_eq!(d[0].message, "`Settings > Wi-Fi` is listed under `settings:` but the text writes it as plain text");
        assert_eq!(d[0].help.as_deref(), Some("write it in backticks, `Settings > Wi-Fi`, so it shows as a breadcrumb linked to the settings map"));
    }

    #[test]
    fn a_symptom_only_a_draft_fixes_warns_at_the_draft() {
        let draft = "---\ntitle: D\ndraft: true\nsymptoms: [a, b]\n---\n1. step\n";
        let published = "---\ntitle: P\nsymptoms: [b]\n---\n1. step\n";
        let g = guide("", &[("d.md", draft), ("p.md", published)]);
        let d = lint(&g);
        assert_eq!(codes(&d), ["draft-only-fix"]);
        assert_eq!(d[0].file, "d.md");
        assert!(d[0].message.contains("`a`"), "{}", d[0].message);
        assert_eq!(&draft[d[0].span.clone()], "a");
        let g = guide("[lint]\ndraft_only_fix = false\n", &[("d.md", draft), ("p.md", published)]);
        assert!(lint(&g).is_empty());
    }
}
