//! Guide-wide checks that need more than one file: symptom ids against the
//! catalog, links and anchors between sections, files that are missing,
//! output pages that collide, settings paths that are probably typos.
//! Pure: the model in, diagnostics out.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::diagnostics::{Diagnostic, closest};
use crate::markdown::LinkTarget;
use crate::model::{Guide, Section};
use crate::settings::SettingsPath;

/// Output pages that fixbook itself generates at the root; a section may not use them.
pub const RESERVED_PAGES: &[&str] = &["index.html", "404.html", "print.html", "settings.html", "sitemap.xml"];
/// Folders fixbook generates; sections inside them would collide.
pub const RESERVED_FOLDERS: &[&str] = &["symptoms/", "checklists/", "_fixbook/"];

pub fn check(guide: &Guide) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    check_symptoms(guide, &mut out);
    check_pages(guide, &mut out);
    check_links(guide, &mut out);
    check_settings_typos(guide, &mut out);
    check_empty(guide, &mut out);
    out
}

fn check_symptoms(guide: &Guide, out: &mut Vec<Diagnostic>) {
    let known: HashSet<&str> = guide.symptoms.iter().map(|s| s.id.as_str()).collect();
    let mut used: HashSet<&str> = HashSet::new();
    for section in guide.sections.iter().chain(&guide.drafts) {
        let mut seen_here = HashSet::new();
        for id in &section.symptoms {
            used.insert(id.value.as_str());
            if !seen_here.insert(id.value.as_str()) {
                out.push(
                    Diagnostic::warning("duplicate-symptom-ref", &section.source, id.span.clone(), format!("symptom `{}` is listed twice", id.value))
                        .with_help("remove the repeated id"),
                );
            }
            if !known.contains(id.value.as_str()) {
                out.push(
                    Diagnostic::error("unknown-symptom", &section.source, id.span.clone(), format!("unknown symptom `{}`", id.value))
                        .with_help_opt(suggest_symptom(guide, &id.value)),
                );
            }
        }
    }
    // A section that could not be parsed may well list the symptom.
    let all_sections_parsed = guide.unparsed.is_empty();
    for symptom in &guide.symptoms {
        if all_sections_parsed && !used.contains(symptom.id.as_str()) {
            out.push(
                Diagnostic::warning(
                    "unused-symptom",
                    crate::symptoms::FILE_NAME,
                    symptom.span.clone(),
                    format!("no section fixes symptom `{}`", symptom.id.as_str()),
                )
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

fn check_pages(guide: &Guide, out: &mut Vec<Diagnostic>) {
    let mut by_page: HashMap<String, &Section> = HashMap::new();
    for section in guide.sections.iter().chain(&guide.drafts) {
        if RESERVED_PAGES.contains(&section.page.as_str()) || RESERVED_FOLDERS.iter().any(|f| section.page.starts_with(f)) {
            out.push(
                Diagnostic::error(
                    "page-collision",
                    &section.source,
                    0..0,
                    format!("`{}` would overwrite the page fixbook generates at `{}`", section.source, section.page),
                )
                .with_help("rename the file"),
            );
        }
        // Pages that differ only in case collide on macOS and Windows hosts.
        let key = section.page.to_lowercase();
        if let Some(first) = by_page.get(&key) {
            out.push(
                Diagnostic::error(
                    "page-collision",
                    &section.source,
                    0..0,
                    format!("`{}` and `{}` map to the same page `{}`", first.source, section.source, section.page),
                )
                .with_help("page names are compared without case, as on macOS and Windows; rename one file"),
            );
        } else {
            by_page.insert(key, section);
        }
    }
    // A copied file would silently replace the page written at the same path.
    for asset in &guide.assets {
        let reserved = RESERVED_PAGES.contains(&asset.path.as_str()) || RESERVED_FOLDERS.iter().any(|f| asset.path.starts_with(f));
        let section = by_page.get(&asset.path.to_lowercase());
        if reserved || section.is_some() {
            let owner = section.map_or_else(|| "fixbook generates".to_string(), |s| format!("`{}` becomes", s.source));
            out.push(
                Diagnostic::error("page-collision", &asset.path, 0..0, format!("the file `{}` would overwrite the page {owner} at the same path", asset.path))
                    .with_help("rename or move the file"),
            );
        }
    }
}

fn check_links(guide: &Guide, out: &mut Vec<Diagnostic>) {
    let sections: HashMap<&str, &Section> = guide.sections.iter().map(|s| (s.source.as_str(), s)).collect();
    let drafts: HashSet<&str> = guide.drafts.iter().map(|s| s.source.as_str()).collect();
    let assets: HashSet<&str> = guide.assets.iter().map(|a| a.path.as_str()).collect();
    let intro = guide.intro.as_ref().map(|i| &i.body);
    let checked = guide.sections.iter().map(|s| (s.source.as_str(), &s.body)).chain(intro.map(|b| ("index.md", b)));
    for (file, body) in checked {
        for link in &body.links {
            let span = link.span.clone();
            match &link.target {
                LinkTarget::Fragment(id) => {
                    if !body.ids.iter().any(|i| i == id) {
                        out.push(missing_anchor(file, span, id, "this page", &body.ids));
                    }
                }
                LinkTarget::Section { source, fragment } => {
                    if source == "index.md" {
                        continue;
                    }
                    match sections.get(source.as_str()) {
                        Some(target) => {
                            if let Some(id) = fragment
                                && !target.body.ids.iter().any(|i| i == id)
                            {
                                out.push(missing_anchor(file, span, id, &format!("`{source}`"), &target.body.ids));
                            }
                        }
                        // The target's own errors are reported already.
                        None if guide.unparsed.iter().any(|u| u == source) => {}
                        None if drafts.contains(source.as_str()) => out.push(
                            Diagnostic::warning("link-to-draft", file, span, format!("`{source}` is a draft and will not be published"))
                                .with_help("publish the target (remove `draft: true`) or remove the link"),
                        ),
                        None => {
                            let suggestion = closest(source, sections.keys().copied().filter(|s| *s != file));
                            out.push(
                                Diagnostic::error("broken-link", file, span, format!("link to `{source}`, which does not exist"))
                                    .with_help_opt(suggestion.map(|s| format!("did you mean `{}`?", relative_from(file, s)))),
                            );
                        }
                    }
                }
                LinkTarget::File(path) => {
                    let generated = path.strip_suffix(".html").is_some_and(|stem| sections.contains_key(format!("{stem}.md").as_str()));
                    if !assets.contains(path.as_str()) && !generated && !path.ends_with('/') {
                        let what = if link.is_image { "image" } else { "file" };
                        out.push(
                            Diagnostic::error("missing-file", file, span, format!("{what} `{path}` does not exist in the guide"))
                                .with_help_opt(closest(path, assets.iter().copied()).map(|s| format!("did you mean `{}`?", relative_from(file, s)))),
                        );
                    }
                }
                LinkTarget::OutsideGuide(raw) => out.push(
                    Diagnostic::error("link-outside-guide", file, span, format!("`{raw}` points outside the guide folder"))
                        .with_help("the published site only contains files inside the guide; copy the file in or use a full https:// link"),
                ),
            }
        }
    }
}

fn missing_anchor(file: &str, span: std::ops::Range<usize>, id: &str, page: &str, ids: &[String]) -> Diagnostic {
    Diagnostic::error("missing-anchor", file, span, format!("no heading or step with id `#{id}` on {page}"))
        .with_help_opt(closest(id, ids.iter().map(String::as_str)).map(|s| format!("did you mean `#{s}`?")))
}

/// How `target` (guide-relative) is written from a file in another folder.
fn relative_from(file: &str, target: &str) -> String {
    let from: Vec<&str> = crate::paths::parent(file).split('/').filter(|s| !s.is_empty()).collect();
    let to: Vec<&str> = target.split('/').collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<&str> = vec![".."; from.len() - common];
    parts.extend(&to[common..]);
    parts.join("/")
}

/// Two settings paths that differ in one segment whose spellings are close
/// (`Genral` / `General`) are probably a typo: warn at the rarer one.
fn check_settings_typos(guide: &Guide, out: &mut Vec<Diagnostic>) {
    // Every use of every path, in guide order.
    let mut uses: BTreeMap<&SettingsPath, Vec<(&str, std::ops::Range<usize>)>> = BTreeMap::new();
    for section in guide.sections.iter().chain(&guide.drafts) {
        for p in &section.settings {
            uses.entry(&p.value).or_default().push((&section.source, p.span.clone()));
        }
        for (p, span) in &section.body.settings {
            uses.entry(p).or_default().push((&section.source, span.clone()));
        }
    }
    // Bucket paths by "all segments but one": paths in a bucket differ only there.
    let mut buckets: HashMap<(usize, String), Vec<&SettingsPath>> = HashMap::new();
    for path in uses.keys() {
        let segs: Vec<&str> = path.segments().collect();
        for i in 0..segs.len() {
            let mut key = segs.clone();
            key[i] = "\u{0}";
            buckets.entry((i, key.join("\u{1}"))).or_default().push(path);
        }
    }
    let mut reported = HashSet::new();
    let mut keys: Vec<_> = buckets.keys().cloned().collect();
    keys.sort();
    for key in keys {
        let paths = &buckets[&key];
        if paths.len() < 2 || paths.len() > 200 {
            continue;
        }
        let i = key.0;
        for a in paths {
            for b in paths {
                if a >= b {
                    continue;
                }
                let sa = a.segments().nth(i).unwrap_or("");
                let sb = b.segments().nth(i).unwrap_or("");
                if !probably_same(sa, sb) {
                    continue;
                }
                let (rare, common) = if uses[a].len() < uses[b].len() || (uses[a].len() == uses[b].len() && a > b) { (a, b) } else { (b, a) };
                if !reported.insert((*rare).clone()) {
                    continue;
                }
                for (file, span) in &uses[rare] {
                    out.push(
                        Diagnostic::warning("settings-path-typo", *file, span.clone(), format!("`{rare}` looks like a typo of `{common}`"))
                            .with_help(format!("`{common}` is used {} time(s) elsewhere in the guide; use one spelling", uses[common].len())),
                    );
                }
            }
        }
    }
}

fn probably_same(a: &str, b: &str) -> bool {
    let (la, lb) = (a.to_lowercase(), b.to_lowercase());
    let squash = |s: &str| s.chars().filter(|c| c.is_alphanumeric()).collect::<String>();
    if la == lb || squash(&la) == squash(&lb) {
        return true;
    }
    let shorter = la.chars().count().min(lb.chars().count());
    shorter >= 4 && strsim::damerau_levenshtein(&la, &lb) <= if shorter >= 8 { 2 } else { 1 }
}

fn check_empty(guide: &Guide, out: &mut Vec<Diagnostic>) {
    for section in &guide.sections {
        if section.body.word_count == 0 && section.body.html.trim().is_empty() {
            let end = section.text.len();
            out.push(
                Diagnostic::warning("empty-section", &section.source, end..end, format!("section `{}` has no content", section.title))
                    .with_help("write the steps that fix the problem, or mark the section `draft: true`"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::loader::{GuideFiles, SourceFile};
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
        let (g, d) = crate::model::build(gf, false);
        assert!(d.iter().all(|d| !d.is_error()), "{d:?}");
        g.unwrap()
    }

    const CATALOG: &str =
        "symptoms:\n  - id: wifi-drops\n    label: Wi-Fi keeps dropping\n    aliases: [disconnects]\n  - id: slow\n    label: Slow internet\n";

    fn codes(d: &[Diagnostic]) -> Vec<&'static str> {
        d.iter().map(|d| d.code).collect()
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

    #[test]
    fn relative_suggestions_are_written_from_the_linking_file() {
        assert_eq!(relative_from("a/b/c.md", "a/d.md"), "../d.md");
        assert_eq!(relative_from("x.md", "a/d.md"), "a/d.md");
    }
}
