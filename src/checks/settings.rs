//! Settings paths that are probably typos of each other (`Genral` /
//! `General`), found by bucketing paths that differ in one segment, so the
//! check is not quadratic in the number of paths.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::content::model::Guide;
use crate::diagnostics::{Code, Diagnostic};
use crate::source::settings::SettingsPath;

/// Two settings paths that differ in one segment whose spellings are close
/// (`Genral` / `General`) are probably a typo: warn at the rarer one.
pub(super) fn check_settings_typos(guide: &Guide, out: &mut Vec<Diagnostic>) {
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
                        Diagnostic::warning(Code::SettingsPathTypo, *file, span.clone(), format!("`{rare}` looks like a typo of `{common}`"))
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
