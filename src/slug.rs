//! Slugs: the ids of headings, settings paths and steps. A slug keeps Unicode
//! letters and digits (so Japanese headings get readable ids), lowercases them,
//! and joins everything else into single `-`.

use std::collections::{HashMap, HashSet};

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

/// The ids the default theme gives its own elements on the pages a guide's
/// Markdown appears on (base.html, index.html, section.html…), sorted. No
/// heading is given one (`## Filter results` becomes `filter-results-1`), and
/// a `{#id}` that asks for one is a `duplicate-id` error; a test reads the
/// templates so the list stays complete.
pub const THEME_IDS: &[&str] = &[
    "all-sections",
    "checklist-symptoms",
    "checklist-title",
    "filter-bar",
    "filter-bar-show",
    "filter-bar-text",
    "filter-checklist",
    "filter-jump",
    "filter-list",
    "filter-more",
    "filter-results",
    "filter-status",
    "filter-summary",
    "filter-walk",
    "main",
    "notes-title",
    "results",
    "results-heading",
    "search-close",
    "search-page",
    "search-page-form",
    "search-page-pager",
    "search-page-q",
    "search-page-results",
    "search-page-status",
    "search-page-suggest",
    "search-toggle",
    "sections",
    "sections-heading",
    "site-search",
    "site-search-empty",
    "site-search-help",
    "site-search-more",
    "site-search-panel",
    "site-search-q",
    "site-search-results",
    "site-search-status",
    "site-search-suggest",
    "symptom-clear",
    "symptom-filter",
    "symptom-find",
    "symptom-find-count",
    "symptom-find-none",
    "symptom-links",
    "symptom-links-hint",
    "symptom-rows",
    "symptoms",
    "symptoms-heading",
    "toc-heading",
    "walk-end-title",
    "walk-overall-text",
    "walk-status",
    "walk-step-title",
    "walk-strings",
    "walk-summary-title",
    "walk-title",
];

/// Ids the theme makes from data (the symptom filter's `sym_<id>` boxes, their `sym_<id>_pop` copies and
/// `sym_<id>_n` counts, the groups `sym_group_<n>` of `symptoms/index.html`) contain `_`, which no slug and no symptom id has,
/// so they can collide neither with headings nor with each other.
pub const THEME_DATA_ID_PREFIX: &str = "sym_";

/// The ids of `THEME_IDS` that only the home page's own elements carry
/// (index.html's filter and lists), sorted. A section page has none of them,
/// so a section's `## Symptoms` keeps the id `symptoms` its links ask for; a
/// test holds this list to index.html and the other templates.
pub const HOME_PAGE_IDS: &[&str] = &[
    "filter-bar",
    "filter-bar-show",
    "filter-bar-text",
    "filter-checklist",
    "filter-list",
    "filter-more",
    "filter-status",
    "filter-summary",
    "filter-walk",
    "results",
    "results-heading",
    "sections",
    "sections-heading",
    "symptom-clear",
    "symptom-filter",
    "symptom-find",
    "symptom-find-count",
    "symptom-find-none",
    "symptom-links",
    "symptom-links-hint",
    "symptom-rows",
    "symptoms",
    "symptoms-heading",
];

/// Is `id` the theme's on some page: one of `THEME_IDS` or in its data namespace?
pub fn is_theme_id(id: &str) -> bool {
    id.starts_with(THEME_DATA_ID_PREFIX) || THEME_IDS.binary_search(&id).is_ok()
}

/// Is `id` the theme's on `page` (an output path)? The home page's own ids
/// count only on `index.html`, where the guide's intro is shown.
pub fn is_theme_id_on(id: &str, page: &str) -> bool {
    is_theme_id(id) && (page == "index.html" || HOME_PAGE_IDS.binary_search(&id).is_err())
}

/// Hands out ids that are unique within one page: the second "Overview"
/// becomes `overview-1`, the third `overview-2`.
///
/// Linear: each base remembers the next suffix to try, so the n-th repeat
/// of a heading costs one probe, not n (40,000 identical headings took 74 s).
#[derive(Debug, Default, Clone)]
pub struct UniqueIds {
    taken: HashSet<String>,
    /// Whether the ids are for the home page, where `HOME_PAGE_IDS` are the theme's.
    home: bool,
    /// Per base id, the smallest suffix not yet known to be taken.
    next: HashMap<String, u64>,
    /// Candidate ids looked at by `unique` (for the linearity test).
    probes: u64,
}

impl UniqueIds {
    /// Reserves an id exactly as given (custom `{#id}`s); false if already
    /// taken, on this page or by the theme (`is_theme_id`).
    pub fn reserve(&mut self, id: &str) -> bool {
        self.taken.insert(id.to_string()) && !self.is_theme(id)
    }

    /// Ids for the page at `page` (an output path): the theme's ids that
    /// page carries are never handed out.
    pub fn for_page(page: &str) -> Self {
        UniqueIds { home: page == "index.html", ..UniqueIds::default() }
    }

    /// Is `id` one of the theme's own on this page?
    pub fn is_theme(&self, id: &str) -> bool {
        is_theme_id_on(id, if self.home { "index.html" } else { "" })
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

    /// Neither taken on this page nor the theme's.
    pub fn is_free(&self, id: &str) -> bool {
        !self.taken.contains(id) && !self.is_theme(id)
    }

    /// Returns `base`, or `base-N` with the smallest free N.
    pub fn unique(&mut self, base: &str) -> String {
        // No suffix takes an id out of the theme's data namespace: step ids
        // under a heading with a refused `{#sym_x}` move out of it first.
        let moved;
        let base = if base.starts_with(THEME_DATA_ID_PREFIX) {
            moved = format!("h-{base}");
            moved.as_str()
        } else {
            base
        };
        if self.is_free(base) {
            self.taken.insert(base.to_string());
            return base.to_string();
        }
        // Every suffix below `next` was taken when last tried, and ids are never released.
        let mut n = self.next.get(base).copied().unwrap_or(1);
        let id = loop {
            self.probes += 1;
            let candidate = format!("{base}-{n}");
            n += 1;
            if self.is_free(&candidate) {
                break candidate;
            }
        };
        self.next.insert(base.to_string(), n);
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

    #[test]
    fn headings_never_get_the_themes_ids() {
        let mut ids = UniqueIds::default();
        assert_eq!(ids.unique("filter-results"), "filter-results-1");
        assert_eq!(ids.unique("main"), "main-1");
        assert!(!ids.reserve("all-sections"));
        assert!(!ids.reserve("sym_wifi"));
        assert!(ids.reserve("sym-wifi"));
        assert_eq!(ids.unique("sym_x-step-1"), "h-sym_x-step-1");
        assert!(THEME_IDS.windows(2).all(|w| w[0] < w[1]), "THEME_IDS is sorted (binary search)");
    }

    /// Every literal `id="…"` in the default theme's templates is in
    /// `THEME_IDS`, and every id made from data is in the `sym_` namespace or
    /// made from an id fixbook already made unique (a section's, a step's).
    #[test]
    fn theme_ids_list_every_id_the_templates_write() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates");
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            for (i, _) in text.match_indices(" id=\"") {
                let value = &text[i + 5..];
                let value = &value[..value.find('"').unwrap()];
                if value.contains("{{") {
                    let data = [
                        "{{ s.id }}",
                        "{{ s.id }}-body",
                        "{{ s.anchor }}",
                        "{{ s.anchor }}-title",
                        "tick-{{ s.tick }}",
                        "sym_{{ s.id }}",
                        "sym_{{ s.id }}_n",
                        "sym_{{ s.id }}_pop",
                        "sym_{{ s.id }}_pop_n",
                        "sym_group_{{ loop.index }}",
                    ];
                    assert!(data.contains(&value), "{}: `{value}` is made from data; keep it out of reach of headings", path.display());
                } else {
                    assert!(THEME_IDS.contains(&value), "{}: add `{value}` to THEME_IDS", path.display());
                }
            }
        }
    }

    /// `HOME_PAGE_IDS` are exactly the literal ids of index.html that no
    /// other template writes, and the theme's everywhere else still are.
    #[test]
    fn home_page_ids_are_index_html_s_own() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates");
        let literal_ids = |name: &str| -> std::collections::BTreeSet<String> {
            let text = std::fs::read_to_string(dir.join(name)).unwrap();
            text.match_indices(" id=\"").map(|(i, _)| text[i + 5..].split('"').next().unwrap().to_string()).filter(|v| !v.contains("{{")).collect()
        };
        let home = literal_ids("index.html");
        let mut elsewhere = std::collections::BTreeSet::new();
        for entry in std::fs::read_dir(&dir).unwrap() {
            let name = entry.unwrap().file_name().into_string().unwrap();
            if name != "index.html" {
                elsewhere.extend(literal_ids(&name));
            }
        }
        let own: Vec<&str> = home.iter().filter(|id| !elsewhere.contains(*id)).map(String::as_str).collect();
        assert_eq!(HOME_PAGE_IDS, own.as_slice());
        assert!(is_theme_id_on("symptoms", "index.html") && !is_theme_id_on("symptoms", "wifi/drops.html"));
        assert!(is_theme_id_on("main", "wifi/drops.html") && is_theme_id_on("sym_x", "a.html"));
        let mut section = UniqueIds::for_page("wifi/drops.html");
        assert_eq!(section.unique("symptoms"), "symptoms");
        let mut home_ids = UniqueIds::for_page("index.html");
        assert_eq!(home_ids.unique("symptoms"), "symptoms-1");
    }

    #[test]
    fn repeated_headings_cost_one_probe_each() {
        let mut ids = UniqueIds::default();
        let n = 40_000;
        for i in 0..n {
            let id = ids.unique("same-heading");
            assert_eq!(id, if i == 0 { "same-heading".to_string() } else { format!("same-heading-{i}") });
        }
        assert_eq!(ids.probes, n - 1, "one probe per repeat, not one per earlier repeat");
        // Ids taken another way are still skipped, each at most once.
        let mut ids = UniqueIds::default();
        for i in 1..=1000 {
            ids.reserve(&format!("a-{i}"));
        }
        assert_eq!(ids.unique("a"), "a");
        assert_eq!(ids.unique("a"), "a-1001");
        assert_eq!(ids.unique("a"), "a-1002");
        assert_eq!(ids.probes, 1002);
    }
}
