//! Slugs: the ids of headings, settings paths and steps. A slug keeps Unicode
//! letters and digits (so Japanese headings get readable ids), lowercases them,
//! and joins everything else into single `-`.

use std::collections::HashSet;

/// Turns text into an id: lowercase letters/digits joined by `-`; never empty.
pub fn slugify(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let mut slug = String::with_capacity(text.len());
    let mut pending_dash = false;
    // NFC first, so a decomposed `é` (e + U+0301) stays one letter instead of
    // `e-`; lowercase letters only, so `İ` (→ i + U+0307) gives `i` and a
    // slug of a slug is the slug itself.
    for c in text.nfc() {
        if c.is_alphanumeric() {
            if pending_dash && !slug.is_empty() {
                slug.push('-');
            }
            pending_dash = false;
            slug.extend(c.to_lowercase().filter(|l| l.is_alphanumeric()));
        } else if c == '\'' || c == '’' {
            // "Don't" reads better as "dont" than "don-t".
        } else {
            pending_dash = true;
        }
    }
    if slug.is_empty() { "section".to_string() } else { slug }
}

/// The id GitHub gives a heading (github-slugger): lowercase, every
/// character that is not a letter, digit, `-`, `_` or space removed, each
/// space becomes `-`; runs of `-` are kept ("Step 1 - Check" →
/// `step-1---check`). Empty for a heading of punctuation only.
pub fn github_slug(text: &str) -> String {
    text.trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// Hands out ids that are unique within one page: the second "Overview"
/// becomes `overview-1`, the third `overview-2`.
#[derive(Debug, Default, Clone)]
pub struct UniqueIds {
    taken: HashSet<String>,
}

impl UniqueIds {
    /// Reserves an id exactly as given (custom `{#id}`s); false if already taken.
    pub fn reserve(&mut self, id: &str) -> bool {
        self.taken.insert(id.to_string())
    }

    /// All ids handed out, sorted.
    pub fn into_sorted(self) -> Vec<String> {
        let mut ids: Vec<String> = self.taken.into_iter().collect();
        ids.sort();
        ids
    }

    pub fn contains(&self, id: &str) -> bool {
        self.taken.contains(id)
    }

    /// Returns `base`, or `base-N` with the smallest free N.
    pub fn unique(&mut self, base: &str) -> String {
        if self.taken.insert(base.to_string()) {
            return base.to_string();
        }
        let id = (1..).map(|n| format!("{base}-{n}")).find(|candidate| !self.taken.contains(candidate)).expect("an unbounded range always yields a free id");
        self.taken.insert(id.clone());
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lowercase_and_dash_joined() {
        assert_eq!(slugify("Check Wi-Fi & Power"), "check-wi-fi-power");
        assert_eq!(slugify("  Don't panic!  "), "dont-panic");
        assert_eq!(slugify("/flushdns"), "flushdns");
        assert_eq!(slugify("***"), "section");
    }

    #[test]
    fn slugs_keep_non_latin_letters() {
        assert_eq!(slugify("設定 > 一般"), "設定-一般");
        assert_eq!(slugify("Ελληνικά Βήματα"), "ελληνικά-βήματα");
    }

    #[test]
    fn decomposed_and_case_expanding_letters_stay_letters() {
        assert_eq!(slugify("Cafe\u{301} Menu"), "café-menu");
        assert_eq!(slugify("İstanbul"), "istanbul");
        assert_eq!(slugify(&slugify("İ e\u{301}")), slugify("İ e\u{301}"));
    }

    #[test]
    fn github_slugs_keep_dashes_and_underscores() {
        assert_eq!(github_slug("Step 1 - Evaluate the state"), "step-1---evaluate-the-state");
        assert_eq!(github_slug("Use `max_retries`!"), "use-max_retries");
        assert_eq!(github_slug("Qu'est-ce que c'est ?"), "quest-ce-que-cest-");
        assert_eq!(github_slug("設定 一般"), "設定-一般");
        assert_eq!(github_slug("???"), "");
    }

    #[test]
    fn unique_ids_number_repeats() {
        let mut ids = UniqueIds::default();
        assert_eq!(ids.unique("a"), "a");
        assert_eq!(ids.unique("a"), "a-1");
        assert!(ids.reserve("a-2"));
        assert_eq!(ids.unique("a"), "a-3");
    }
}
