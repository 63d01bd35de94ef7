//! Golden tests: build each fixture guide through the library and compare
//! what fixbook made of it (the page list, every section's rendered body, its
//! steps, and the diagnostics) with the committed snapshots in
//! tests/snapshots/. Run `INSTA_UPDATE=always cargo test --test golden` (or
//! `cargo insta review`) after an intended change, and review the diff.

use std::fmt::Write;
use std::path::Path;

use fixbook::{CompileOptions, compile, diagnostics};

fn digest(fixture: &str) -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(fixture);
    let compiled = compile(&dir, &CompileOptions { render: true, ..CompileOptions::default() }).unwrap();
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
