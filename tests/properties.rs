//! Property tests (proptest) for the small parsers everything else trusts:
//! slugs are always valid ids and unique within a page, settings paths
//! round-trip through parse → display → parse, and front-matter splitting
//! never panics, stays on character boundaries and finds the body.

use fixbook::content::markdown::{self, BodyInput};
use fixbook::slug::{UniqueIds, slugify};
use fixbook::source::frontmatter::{self, Format, SplitError};
use fixbook::source::settings::SettingsPath;
use proptest::prelude::*;

/// Text mixing ASCII punctuation, spaces, Latin, Greek, CJK, emoji,
/// combining marks and case-changing letters (İ, ẞ, Σ).
fn messy_text() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            "[a-zA-Z0-9]{1,6}",
            "[ \\t\\-_.,:;!?'’\"/\\\\#>&<{}()*`~|]{1,3}",
            Just("İ".to_string()),
            Just("ẞ".to_string()),
            Just("Σ".to_string()),
            Just("e\u{301}".to_string()),
            Just("\u{307}".to_string()),
            "[α-ωΑ-Ω]{1,4}",
            "[ぁ-ゖ一-龥]{1,3}",
            Just("😀".to_string()),
            Just("\u{200B}".to_string()),
            Just("Ⅻ".to_string()),
            any::<char>().prop_map(|c| c.to_string()),
        ],
        0..12,
    )
    .prop_map(|parts| parts.concat())
}

/// A slug is a valid, readable id: non-empty, lowercase letters and digits
/// joined by single dashes, no dash at either end.
fn assert_valid_slug(slug: &str, from: &str) {
    assert!(!slug.is_empty(), "empty slug for {from:?}");
    assert!(!slug.starts_with('-') && !slug.ends_with('-') && !slug.contains("--"), "bad dashes in {slug:?} from {from:?}");
    assert!(slug.chars().all(|c| c == '-' || c.is_alphanumeric()), "{slug:?} from {from:?} has a character that is neither a letter, a digit nor `-`");
    // Lowercase as far as Unicode goes (🄰 is uppercase but has no lowercase form).
    assert_eq!(slug, slug.to_lowercase(), "{slug:?} from {from:?} is not lowercase");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn slugs_are_always_valid_ids(text in messy_text()) {
        let slug = slugify(&text);
        assert_valid_slug(&slug, &text);
        // A slug is its own slug, so an id written by hand as `{#slug}` matches.
        prop_assert_eq!(slugify(&slug), slug);
    }

    #[test]
    fn unique_ids_never_repeat_within_a_page(bases in proptest::collection::vec(prop_oneof!["[ab]{1,2}", "[ab]{1,2}-[1-3]", messy_text()], 1..40), reserve_first in any::<bool>()) {
        let mut ids = UniqueIds::default();
        let mut handed_out = std::collections::HashSet::new();
        if reserve_first {
            for id in ["a-1", "b", "section"] {
                ids.reserve(id);
                handed_out.insert(id.to_string());
            }
        }
        for base in &bases {
            let base = slugify(base);
            let id = ids.unique(&base);
            assert_valid_slug(&id, &base);
            prop_assert!(id == base || id.strip_prefix(&format!("{base}-")).is_some_and(|n| n.parse::<u32>().is_ok()), "{} from {}", id, base);
            prop_assert!(handed_out.insert(id.clone()), "{} handed out twice", id);
        }
    }

    #[test]
    fn settings_paths_round_trip(segments in proptest::collection::vec("[^>\\s]([^>\\n]{0,10}[^>\\s])?", 1..8), spaces in proptest::collection::vec(("[ \\t]{0,2}", "[ \\t]{0,2}"), 8)) {
        let raw: String = segments.iter().enumerate().map(|(i, seg)| {
            let (before, after) = &spaces[i];
            if i == 0 { format!("{before}{seg}{after}") } else { format!(">{before}{seg}{after}") }
        }).collect();
        let path = SettingsPath::parse(&raw).map_err(|e| TestCaseError::fail(format!("{raw:?}: {}", e.message)))?;
        let parsed: Vec<&str> = path.segments().collect();
        let expected: Vec<&str> = segments.iter().map(|s| s.trim()).collect();
        prop_assert_eq!(&parsed, &expected);
        prop_assert_eq!(path.as_str(), expected.join(" > "));
        // Display → parse gives the same path: the canonical form is stable.
        let again = SettingsPath::parse(&path.to_string()).unwrap();
        prop_assert_eq!(&again, &path);
        prop_assert!(!path.anchor().is_empty());
    }

    #[test]
    fn settings_path_errors_point_inside_the_text(raw in prop_oneof!["[a >\\t]{0,12}", messy_text(), "(>|[a-c ]{0,3}){0,8}"]) {
        match SettingsPath::parse(&raw) {
            Ok(path) => {
                prop_assert!(path.segments().all(|s| !s.is_empty() && s == s.trim() && !s.contains('>')));
                prop_assert_eq!(SettingsPath::parse(path.as_str()).unwrap(), path);
            }
            Err(err) => {
                prop_assert!(err.span.start <= err.span.end && err.span.end <= raw.len(), "{:?} outside {:?}", err.span, raw);
                prop_assert!(raw.is_char_boundary(err.span.start) && raw.is_char_boundary(err.span.end), "{:?} splits a character of {:?}", err.span, raw);
                prop_assert!(!err.message.is_empty() && !err.help.is_empty());
            }
        }
    }

    #[test]
    fn front_matter_splitting_never_panics_and_stays_in_bounds(text in prop_oneof![
        any::<String>(),
        "(---|\\+\\+\\+|\\.\\.\\.|[a-z]+: [a-z]*|\r|\n| |\t){0,12}",
        messy_text().prop_map(|t| format!("---\n{t}")),
    ]) {
        match frontmatter::split(&text) {
            Ok(split) => {
                prop_assert!(split.inner.start <= split.inner.end && split.inner.end <= split.body_start && split.body_start <= text.len(), "{:?} in {:?}", split, text);
                for i in [split.inner.start, split.inner.end, split.body_start] {
                    prop_assert!(text.is_char_boundary(i));
                }
                // Parsing whatever was found never panics, and errors point into the file.
                if let Err(d) = frontmatter::parse("s.md", &text, &split) {
                    prop_assert!(d.span.start <= d.span.end && d.span.end <= text.len(), "{:?} outside {:?}", d.span, text);
                    prop_assert!(text.is_char_boundary(d.span.start) && text.is_char_boundary(d.span.end), "{:?} splits a character", d.span);
                }
            }
            Err(SplitError::Unclosed { fence, .. }) => prop_assert!(fence.end <= text.len()),
            Err(SplitError::Missing) => {}
        }
    }

    #[test]
    fn front_matter_splitting_finds_the_body(
        keys in proptest::collection::vec(("[a-z]{1,8}", "[a-zA-Z0-9 ]{0,12}"), 0..6),
        body in "([a-zA-Z0-9 #>*`-]{0,20}\n){0,6}",
        toml in any::<bool>(),
        crlf in any::<bool>(),
    ) {
        let nl = if crlf { "\r\n" } else { "\n" };
        let fence = if toml { "+++" } else { "---" };
        let sep = if toml { " = " } else { ": " };
        let fm: String = keys.iter().map(|(k, v)| format!("{k}{sep}{v}{nl}")).collect();
        let text = format!("{fence}{nl}{fm}{fence}{nl}{body}");
        let split = frontmatter::split(&text).unwrap();
        prop_assert_eq!(split.format, if toml { Format::Toml } else { Format::Yaml });
        prop_assert_eq!(&text[split.inner.clone()], fm.as_str());
        prop_assert_eq!(&text[split.body_start..], body.as_str());
    }
}

proptest! {
    // Rendering Markdown is slower than the pure parsers: fewer cases.
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn heading_ids_are_unique_on_a_rendered_page(headings in proptest::collection::vec((1..4usize, prop_oneof!["[ab ]{0,3}", messy_text(), Just("Steps".to_string())], any::<bool>()), 1..25)) {
        let mut text = String::from("---\ntitle: T\n---\n");
        let body_start = text.len();
        for (level, title, steps) in &headings {
            let title = title.replace(['\n', '\r', '{', '}', '#', '<', '\\', '`', '*', '_', '[', ']', '&'], " ");
            text.push_str(&format!("{} {}\n\n", "#".repeat(*level), title));
            if *steps {
                text.push_str("1. **One** first\n2. Two\n\n");
            }
        }
        let body = markdown::render(&BodyInput { file: "s.md", text: &text, body_start, page: "s.html", title: Some("S") });
        let mut seen = std::collections::HashSet::new();
        for heading in &body.headings {
            assert_valid_slug(&heading.id, &heading.text);
            prop_assert!(seen.insert(heading.id.clone()), "heading id {} repeats", heading.id);
        }
        for step in &body.steps {
            prop_assert!(seen.insert(step.anchor.clone()), "step anchor {} repeats", step.anchor);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

    /// Whatever a client sends, the dev server only ever looks up a key
    /// inside the site: no `..`/`.`/empty segment, not absolute, no
    /// backslash, NUL or control character, however it was encoded.
    #[test]
    fn dev_server_paths_never_leave_the_site(target in prop_oneof![
        any::<String>(),
        "(/|\\.|\\.\\.|%2e|%2E|%2f|%2F|%5c|%00|%25|\\\\|a|b\\.html|C:|%c3%a9|\\?|#){0,10}",
        proptest::collection::vec(prop_oneof!["[a-z]{1,3}", Just("..".to_string()), Just("%2e%2e".to_string()), Just(".".to_string()), Just("".to_string())], 0..6)
            .prop_map(|segs| format!("/{}", segs.join("/"))),
    ]) {
        if let Some(key) = fixbook::serve::resolve_request_path(&target) {
            prop_assert!(!key.starts_with('/') && !key.is_empty(), "{:?} -> {:?}", target, key);
            prop_assert!(key.split('/').all(|s| !s.is_empty() && s != "." && s != ".."), "{:?} -> {:?}", target, key);
            prop_assert!(!key.chars().any(|c| c.is_control() || c == '\\'), "{:?} -> {:?}", target, key);
            let first = key.split('/').next().unwrap_or("");
            prop_assert!(!(first.len() == 2 && first.as_bytes()[0].is_ascii_alphabetic() && first.ends_with(':')), "{:?} -> drive path {:?}", target, key);
        }
    }

    /// Every page path fixbook writes is reachable: its encoded URL resolves back to it.
    #[test]
    fn dev_server_resolves_every_encoded_page_url(segments in proptest::collection::vec("[a-zA-Z0-9 &\"'<>{}%éа-я設定😀-]{1,8}", 1..4)) {
        prop_assume!(segments.iter().all(|s| s != "." && s != ".."));
        let page = format!("{}.html", segments.join("/"));
        let url = format!("/{}", fixbook::paths::encode_url_path(&page));
        prop_assert_eq!(fixbook::serve::resolve_request_path(&url), Some(page));
    }
}
