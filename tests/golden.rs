//! Golden tests: build each fixture guide through the library and compare
//! what fixbook made of it (the page list, every section's rendered body, its
//! steps, and the diagnostics) with the committed snapshots in
//! tests/snapshots/, and the whole output of the templates for one page of
//! every kind (home, section, symptom, settings map, checklists, print, 404,
//! sitemap, data scripts). Run `INSTA_UPDATE=always cargo test --test golden` (or
//! `cargo insta review`) after an intended change, and review the diff.

use std::fmt::Write;
use std::path::Path;

use fixbook::{CompileOptions, compile, diagnostics};

fn compiled(fixture: &str) -> fixbook::Compiled {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(fixture);
    compile(&dir, &CompileOptions { render: true, ..CompileOptions::default() }).unwrap()
}

fn digest(fixture: &str) -> String {
    let compiled = compiled(fixture);
    let mut out = String::new();
    writeln!(out, "== diagnostics").unwrap();
    out.push_str(&diagnostics::render_json(&compiled.diagnostics, &compiled.sources));
    let guide = compiled.guide.as_ref().expect("fixture has a guide.toml");
    writeln!(out, "== pages").unwrap();
    let mut pages: Vec<&str> = compiled
        .files
        .as_ref()
        .expect("fixture builds")
        .iter()
        .map(|f| f.path.as_str())
        .filter(|p| p.ends_with(".html") && !p.starts_with("checklists/") && !p.starts_with("_fixbook/"))
        .collect();
    pages.sort();
    for p in pages {
        writeln!(out, "{p}").unwrap();
    }
    for section in &guide.sections {
        writeln!(out, "== section {} -> {}", section.source, section.page).unwrap();
        writeln!(out, "title: {}", section.title).unwrap();
        writeln!(out, "symptoms: {:?}", section.symptom_ids().map(|id| id.as_str()).collect::<Vec<_>>()).unwrap();
        writeln!(out, "settings: {:?}", section.settings.iter().map(|s| s.value.as_str()).collect::<Vec<_>>()).unwrap();
        for step in &section.body.steps {
            writeln!(out, "step #{} {:?}: {}", step.anchor, step.title, step.text).unwrap();
        }
        writeln!(out, "-- body").unwrap();
        out.push_str(&section.body.html);
    }
    out
}

#[test]
fn golden_router() {
    insta::assert_snapshot!("router", digest("router"));
}

#[test]
fn golden_multilingual() {
    insta::assert_snapshot!("multilingual", digest("multilingual"));
}

#[test]
fn golden_hostile() {
    insta::assert_snapshot!("hostile", digest("hostile"));
}

#[test]
fn golden_minimal() {
    insta::assert_snapshot!("minimal", digest("minimal"));
}

#[test]
fn golden_markdown() {
    insta::assert_snapshot!("markdown", digest("markdown"));
}

/// One rendered file of a fixture, as the build writes it.
fn page(compiled: &fixbook::Compiled, path: &str) -> String {
    let files = compiled.files.as_ref().expect("fixture builds");
    let file = files.iter().find(|f| f.path == path).unwrap_or_else(|| panic!("no {path} in the build"));
    String::from_utf8(file.bytes.clone()).expect("pages are UTF-8")
}

/// The templates' whole output for one page of every kind: a change to a
/// template, a view or the page assembly shows here as a diff to review.
#[test]
fn golden_pages_of_every_kind() {
    let router = compiled("router");
    assert!(router.diagnostics.is_empty(), "the router fixture builds clean");
    for (name, path) in [
        ("home", "index.html"),
        ("section", "network/wifi/drops.html"),
        ("article-without-steps", "about/how-routers-work.html"),
        ("symptom", "symptoms/wifi-drops.html"),
        ("settings-map", "settings.html"),
        ("checklist", "checklists/network/wifi/drops.html"),
        ("combined-checklist", "checklists/combined.html"),
        ("guided", "guided.html"),
        ("print", "print.html"),
        ("not-found", "404.html"),
        ("sitemap", "sitemap.xml"),
        ("filter-data", "_fixbook/data/filter.js"),
        ("checklist-section-data", "checklists/data/sections/network/wifi/drops.js"),
        ("checklist-symptom-data", "checklists/data/symptoms/wifi-drops.js"),
    ] {
        insta::assert_snapshot!(format!("page-router-{name}"), page(&router, path));
    }
    // Pages whose templates take other branches: a guide without symptoms or
    // an introduction, and non-ASCII paths with a space.
    let minimal = compiled("minimal");
    insta::assert_snapshot!("page-minimal-home", page(&minimal, "index.html"));
    insta::assert_snapshot!("page-minimal-section", page(&minimal, "only-section.html"));
    let multilingual = compiled("multilingual");
    insta::assert_snapshot!("page-multilingual-section", page(&multilingual, "ネットワーク/再起動 手順.html"));
}

/// The one ranking rule (`index::ranking::rank`) on fixture symptom sets:
/// every symptom alone, every pair, and all at once, with each matching
/// section's page and step count. `tests/browser/ranking.test.mjs` reads this
/// snapshot and holds the symptom filter (`filter.js`) and the combined
/// checklist (`checklist.js`) to the same order.
#[test]
fn golden_ranking() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    // JSON, one symptom set a line.
    let mut guides: Vec<String> = Vec::new();
    for (name, dir) in [
        ("guide", root.join("guide")),
        ("router", root.join("tests/fixtures/router")),
        ("multilingual", root.join("tests/fixtures/multilingual")),
        ("hostile", root.join("tests/fixtures/hostile")),
    ] {
        let compiled = compile(&dir, &CompileOptions::default()).unwrap();
        assert!(!compiled.has_errors(), "{name} builds");
        let guide = compiled.guide.as_ref().unwrap();
        let indexes = fixbook::index::build(guide);
        let ids: Vec<&fixbook::source::symptoms::SymptomId> = guide.symptoms.iter().map(|s| &s.id).collect();
        let mut sets: Vec<Vec<&fixbook::source::symptoms::SymptomId>> = ids.iter().map(|id| vec![*id]).collect();
        for (i, a) in ids.iter().enumerate() {
            for b in &ids[i + 1..] {
                sets.push(vec![*a, *b]);
            }
        }
        // All at once, in reverse catalog order: the order chosen must not matter.
        sets.push(ids.iter().rev().copied().collect());
        let sets: Vec<String> = sets
            .into_iter()
            .map(|set| {
                let ranked = fixbook::index::ranking::rank(&indexes, set.iter().copied(), |_| false);
                // Each ranked section as [page, symptoms matched, steps].
                let ranked: Vec<serde_json::Value> = ranked
                    .iter()
                    .map(|r| {
                        let s = guide.section(r.section);
                        serde_json::json!([s.page.as_str(), r.matched.len(), s.body.steps.len()])
                    })
                    .collect();
                let symptoms: Vec<&str> = set.iter().map(|id| id.as_str()).collect();
                format!("    {}", serde_json::json!({ "symptoms": symptoms, "ranked": ranked }))
            })
            .collect();
        guides.push(format!("  {}: [\n{}\n  ]", serde_json::json!(name), sets.join(",\n")));
    }
    let json = format!("{{\n{}\n}}", guides.join(",\n"));
    serde_json::from_str::<serde_json::Value>(&json).expect("valid JSON");
    insta::assert_snapshot!("ranking", json);
}
