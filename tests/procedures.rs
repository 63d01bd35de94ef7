//! Troubleshooting-native features on the real binary, with small guides
//! written to temporary folders: step anchors and the links that branch to
//! them, "Still not fixed?", procedure lint and its `[lint]` switches,
//! `check --stale-after`, and the HowTo JSON-LD on section pages.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

const SYMPTOMS: &str = "symptoms:
  - id: no-power
    label: No power
  - id: no-wifi
    label: No Wi-Fi
  - id: slow
    label: Slow internet
";

/// A guide in a temporary folder; files are (path, text). A `guide.toml`
/// is added unless given; `symptoms.yml` only when given (pass `SYMPTOMS`).
struct Guide {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
}

fn guide(files: &[(&str, &str)]) -> Guide {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("guide");
    for (path, text) in files {
        let p = dir.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    if !files.iter().any(|(p, _)| *p == "guide.toml") {
        std::fs::write(dir.join("guide.toml"), "title = \"Test guide\"\n").unwrap();
    }
    Guide { _tmp: tmp, dir }
}

fn fixbook() -> Command {
    let mut cmd = Command::cargo_bin("fixbook").unwrap();
    cmd.env("NO_COLOR", "1").env_remove("FIXBOOK_TODAY");
    cmd
}

/// `check --format json` (plus `extra` arguments): exit code and diagnostics.
fn check(g: &Guide, extra: &[&str], today: Option<&str>) -> (i32, Vec<Value>) {
    let mut cmd = fixbook();
    cmd.arg("check").arg(&g.dir).args(["--format", "json"]).args(extra);
    if let Some(today) = today {
        cmd.env("FIXBOOK_TODAY", today);
    }
    let out = cmd.output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let diagnostics = stdout.lines().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"))).collect();
    (out.status.code().unwrap_or(-1), diagnostics)
}

fn codes(diagnostics: &[Value]) -> Vec<&str> {
    diagnostics.iter().map(|d| d["code"].as_str().unwrap()).collect()
}

/// Builds the guide; returns the output folder (panics with stderr on failure).
fn build(g: &Guide) -> PathBuf {
    let out = g.dir.parent().unwrap().join("site");
    let result = fixbook().arg("build").arg(&g.dir).arg("-o").arg(&out).output().unwrap();
    assert!(result.status.success(), "{}", String::from_utf8_lossy(&result.stderr));
    out
}

fn page(out: &Path, path: &str) -> String {
    std::fs::read_to_string(out.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The text between `start` (inclusive) and the next `end` after it.
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let i = html.find(start).unwrap_or_else(|| panic!("no `{start}` in page"));
    let j = html[i..].find(end).map_or(html.len(), |j| i + j + end.len());
    &html[i..j]
}

/// Every `href="..."` value in order.
fn hrefs(html: &str) -> Vec<&str> {
    html.match_indices("href=\"")
        .map(|(i, m)| {
            let rest = &html[i + m.len()..];
            &rest[..rest.find('"').unwrap()]
        })
        .collect()
}

fn section(title: &str, extra: &str, body: &str) -> String {
    format!("---\ntitle: {title}\n{extra}---\n{body}")
}

const THREE_STEPS: &str = "## Fix\n\n1. **Unplug** — Take the plug out.\n2. **Wait** — If the light is off, [skip ahead](#fix-step-3).\n3. **Plug in** — Put it back; see [step 1](#fix-step-1) again if needed.\n";

#[test]
fn every_step_gets_an_anchor_a_self_link_and_branch_links_are_marked() {
    let body = format!("1. Before any heading.\n\n{THREE_STEPS}");
    let g = guide(&[("power/restart.md", &section("Restart", "", &body))]);
    let out = build(&g);
    let html = page(&out, "power/restart.html");
    assert!(html.contains("<li class=\"step\" id=\"step-1\"><a class=\"step-link\" href=\"#step-1\" aria-label=\"Link to step 1\">#</a>"), "{html}");
    for n in 1..=3 {
        assert!(html.contains(&format!("<li class=\"step\" id=\"fix-step-{n}\"><a class=\"step-link\" href=\"#fix-step-{n}\"")), "step {n}: {html}");
    }
    // A branch whose text does not name the step prints "→ step 3"; one that does is marked `named`.
    assert!(html.contains("<a href=\"#fix-step-3\" class=\"step-ref\" data-step=\"3\">skip ahead</a>"), "{html}");
    assert!(html.contains("<a href=\"#fix-step-1\" class=\"step-ref named\" data-step=\"1\">step 1</a>"), "{html}");
    let css = page(&out, "_fixbook/style.css");
    assert!(css.contains("a.step-ref:not(.named)::after { content: \" → step \" attr(data-step); }"), "print rule present");
}

#[test]
fn a_link_to_a_missing_step_is_an_error_with_did_you_mean() {
    let g = guide(&[
        ("power/restart.md", &section("Restart", "", &format!("{THREE_STEPS}\nStill dark? Go to [the last step](#fix-step-9).\n"))),
        ("power/other.md", &section("Other", "", "See [restart step 2](restart.md#fix-step-2) and [step 7](restart.md#fix-step-7).\n")),
    ]);
    let (code, d) = check(&g, &[], None);
    assert_eq!(code, 1);
    assert_eq!(codes(&d), ["missing-anchor", "missing-anchor"], "{d:?}");
    let (other, restart) = (&d[0], &d[1]);
    assert_eq!(other["file"], "power/other.md");
    assert_eq!(other["message"], "no heading or step with id `#fix-step-7` on `power/restart.md`");
    assert_eq!(restart["file"], "power/restart.md");
    assert_eq!(restart["message"], "no heading or step with id `#fix-step-9` on this page");
    assert_eq!(restart["line"], 10);
    for diag in &d {
        let help = diag["help"].as_str().unwrap();
        assert!(help.starts_with("did you mean `#fix-step-"), "{help}");
    }
    let out = g.dir.parent().unwrap().join("site");
    let result = fixbook().arg("build").arg(&g.dir).arg("-o").arg(&out).output().unwrap();
    assert_eq!(result.status.code(), Some(1), "build refuses broken step links");
    assert!(!out.exists());
}

fn still_not_fixed(html: &str) -> &str {
    between(html, "<section class=\"still-not-fixed\"", "</section>")
}

#[test]
fn still_not_fixed_ranks_by_shared_symptoms_then_weight_then_title_and_ends_with_escalation() {
    let g = guide(&[
        ("symptoms.yml", SYMPTOMS),
        ("current.md", &section("Current", "symptoms: [no-power, no-wifi, slow]\n", "1. step\n")),
        ("a/one-symptom-light.md", &section("Light", "weight: 1\nsymptoms: [slow]\n", "1. step\n")),
        ("a/one-symptom-heavy.md", &section("Heavy", "weight: 9\nsymptoms: [no-power]\n", "1. step\n")),
        ("b/two-symptoms.md", &section("Two", "weight: 50\nsymptoms: [no-wifi, no-power]\n", "1. step\n")),
        ("b/also-light.md", &section("Also light", "weight: 1\nsymptoms: [no-wifi]\n", "1. step\n")),
        ("unrelated.md", &section("Unrelated", "weight: -9\n", "1. step\n")),
        ("help/contact.md", &section("Contact support", "weight: 99\nsymptoms: [slow]\nescalation: true\nsummary: Call us.\n", "1. **Call** — the number.\n")),
    ]);
    let out = build(&g);
    let html = page(&out, "current.html");
    let block = still_not_fixed(&html);
    let tries = between(block, "<ol class=\"next-tries\">", "</ol>");
    assert_eq!(hrefs(tries), ["b/two-symptoms.html", "b/also-light.html", "a/one-symptom-light.html", "a/one-symptom-heavy.html"]);
    assert!(tries.contains("For: No power; No Wi-Fi"), "shared symptoms in this page's order: {tries}");
    let escalation = between(block, "<p class=\"escalation\">", "</p>");
    assert_eq!(hrefs(escalation), ["help/contact.html"]);
    assert!(!block.contains("Browse all fixes"));

    // A section without symptoms still gets the escalation link.
    let unrelated = page(&out, "unrelated.html");
    let block = still_not_fixed(&unrelated);
    assert!(!block.contains("next-tries"));
    assert_eq!(hrefs(block), ["help/contact.html"]);

    // The escalation section does not link to itself; it lists the other fixes.
    let contact = page(&out, "help/contact.html");
    let block = still_not_fixed(&contact);
    assert!(!block.contains("class=\"escalation\""), "{block}");
    assert_eq!(hrefs(block), ["../current.html", "../a/one-symptom-light.html"]);
}

#[test]
fn without_escalation_or_shared_symptoms_the_page_points_at_all_fixes() {
    let g = guide(&[
        ("symptoms.yml", SYMPTOMS),
        ("net/lonely.md", &section("Lonely", "symptoms: [slow]\n", "1. step\n")),
        ("other.md", &section("Other", "", "1. step\n")),
    ]);
    let out = build(&g);
    let block = still_not_fixed(&page(&out, "net/lonely.html")).to_string();
    assert_eq!(hrefs(&block), ["../index.html#sections"]);
    assert!(page(&out, "index.html").contains("id=\"sections\""), "the target exists");
}

#[test]
fn two_escalation_sections_are_an_error() {
    let g = guide(&[("a.md", &section("A", "escalation: true\n", "1. step\n")), ("b.md", &section("B", "weight: 2\nescalation: true\n", "1. step\n"))]);
    let (code, d) = check(&g, &[], None);
    assert_eq!(code, 1);
    assert_eq!(codes(&d), ["duplicate-escalation"]);
    assert_eq!(d[0]["file"], "b.md");
    assert_eq!(d[0]["line"], 4);
}

/// One section per lint, plus a draft-only symptom.
fn linty_guide(lint: &str) -> Guide {
    let long = vec!["word"; 61].join(" ");
    let config = format!("title = \"Lint\"\n{lint}");
    guide(&[
        ("guide.toml", &config),
        ("symptoms.yml", SYMPTOMS),
        ("prose.md", &section("Prose only", "symptoms: [no-power]\n", "Some advice, but no numbered steps.\n")),
        ("long.md", &section("Long", "symptoms: [slow]\n", &format!("1. **Short** — fine.\n2. {long}\n"))),
        ("draft.md", &section("Draft", "draft: true\nsymptoms: [no-wifi]\n", "1. step\n")),
        (
            "prefs.md",
            &section("Settings", "settings: [\"Settings > Unused\", \"Settings > Wi-Fi\"]\n", "1. Open `Settings > Wi-Fi` and `Settings > Not Listed`.\n"),
        ),
    ])
}

#[test]
fn each_procedure_lint_warns_with_a_location() {
    let (code, d) = check(&linty_guide(""), &[], None);
    assert_eq!(code, 0, "lints are warnings: {d:?}");
    let found: Vec<(&str, &str, i64)> = d.iter().map(|d| (d["code"].as_str().unwrap(), d["file"].as_str().unwrap(), d["line"].as_i64().unwrap())).collect();
    assert_eq!(
        found,
        [
            ("draft-only-fix", "draft.md", 4),
            ("long-step", "long.md", 6),
            ("settings-not-used", "prefs.md", 3),
            ("settings-not-listed", "prefs.md", 5),
            ("no-steps", "prose.md", 3),
        ]
    );
    assert!(d.iter().all(|d| d["severity"] == "warning" && d["help"].is_string()));
    assert_eq!(d[1]["message"], "step 2 has 61 words; steps over 60 words are hard to follow at the device");
}

#[test]
fn each_lint_can_be_switched_off_in_guide_toml() {
    for (switch, code) in [
        ("no_steps = false", "no-steps"),
        ("long_step = false", "long-step"),
        ("max_step_words = 61", "long-step"),
        ("draft_only_fix = false", "draft-only-fix"),
        ("settings_mismatch = false", "settings-not-used"),
        ("settings_mismatch = false", "settings-not-listed"),
    ] {
        let (status, d) = check(&linty_guide(&format!("[lint]\n{switch}\n")), &[], None);
        assert_eq!(status, 0);
        let codes = codes(&d);
        assert!(!codes.contains(&code), "{switch} leaves {code}: {codes:?}");
        assert_eq!(codes.len(), if switch.starts_with("settings") { 3 } else { 4 }, "{switch} turns off only its own lint: {codes:?}");
    }
    let all_off = "[lint]\nno_steps = false\nlong_step = false\ndraft_only_fix = false\nsettings_mismatch = false\n";
    assert_eq!(check(&linty_guide(all_off), &[], None), (0, vec![]));
    // With --drafts the draft is published, so its symptom has a fix.
    let (_, d) = check(&linty_guide(""), &["--drafts"], None);
    assert!(!codes(&d).contains(&"draft-only-fix"), "{d:?}");
}

#[test]
fn an_unknown_lint_key_is_an_error_with_did_you_mean() {
    let (code, d) = check(&linty_guide("[lint]\nmax_step_word = 80\n"), &[], None);
    assert_eq!(code, 1);
    let errors: Vec<&Value> = d.iter().filter(|d| d["severity"] == "error").collect();
    assert_eq!(errors.len(), 1, "{d:?}");
    assert_eq!(errors[0]["code"], "unknown-key");
    assert_eq!(errors[0]["file"], "guide.toml");
    assert_eq!(errors[0]["line"], 3);
    assert_eq!(errors[0]["message"], "unknown key `max_step_word` in [lint] of guide.toml");
    assert_eq!(errors[0]["help"], "did you mean `max_step_words`?");
}

#[test]
fn stale_after_warns_about_old_and_missing_reviews_against_today() {
    let g = guide(&[
        ("old.md", &section("Old", "reviewed: 2025-01-10\n", "1. step\n")),
        ("recent.md", &section("Recent", "reviewed: 2025-12-01\n", "1. step\n")),
        ("toml.md", "+++\ntitle = \"Toml\"\nreviewed = 2024-06-30\n+++\n1. step\n"),
        ("never.md", &section("Never", "", "1. step\n")),
    ]);
    let (code, d) = check(&g, &["--stale-after", "365d"], Some("2026-01-15"));
    assert_eq!(code, 0);
    let found: Vec<(&str, &str)> = d.iter().map(|d| (d["code"].as_str().unwrap(), d["file"].as_str().unwrap())).collect();
    assert_eq!(found, [("missing-review", "never.md"), ("stale-review", "old.md"), ("stale-review", "toml.md")]);
    assert_eq!(d[1]["message"], "`Old` was last reviewed on 2025-01-10 (370 days ago)");
    assert_eq!(d[1]["source_line"], "reviewed: 2025-01-10");

    // Weeks and months work; the boundary day is still fresh.
    let (_, d) = check(&g, &["--stale-after", "12m"], Some("2026-01-10"));
    assert_eq!(codes(&d), ["missing-review", "stale-review"]);
    let (_, d) = check(&g, &["--stale-after", "2w"], Some("2025-12-15"));
    assert_eq!(codes(&d), ["missing-review", "stale-review", "stale-review"], "2025-12-01 is exactly 14 days old");
    // Without the flag, nothing about reviews.
    assert_eq!(check(&g, &[], Some("2030-01-01")), (0, vec![]));

    let bad = fixbook().arg("check").arg(&g.dir).args(["--stale-after", "365"]).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("has no unit"));
}

#[test]
fn build_output_does_not_depend_on_today() {
    let g = guide(&[("a.md", &section("A", "reviewed: 2025-01-10\napplies_to: [\"Windows\"]\n", "1. step\n"))]);
    let run = |today: &str| {
        let out = g.dir.parent().unwrap().join(format!("site-{today}"));
        let r = fixbook().env("FIXBOOK_TODAY", today).arg("build").arg(&g.dir).arg("-o").arg(&out).output().unwrap();
        assert!(r.status.success());
        page(&out, "a.html")
    };
    let first = run("2025-02-01");
    assert_eq!(first, run("2031-12-31"));
    assert!(first.contains("Reviewed <time datetime=\"2025-01-10\">January 2025</time>"), "{first}");
}

fn json_ld(html: &str) -> Value {
    let script = between(html, "<script type=\"application/ld+json\">", "</script>");
    let json = script.trim_start_matches("<script type=\"application/ld+json\">").trim_end_matches("</script>");
    serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {json}"))
}

#[test]
fn section_pages_carry_howto_json_ld_with_anchored_step_urls() {
    let body = "Intro.\n\n## Get it back\n\n1. **Unplug the router** — Wait ten seconds.\n2. Plug it back in and wait for the light.\n";
    let g = guide(&[
        ("guide.toml", "title = \"Net\"\nbase_url = \"https://help.example.com/net\"\nlanguage = \"en-GB\"\n"),
        ("router/restart it.md", &section("Restart the router", "summary: Power-cycle it.\n", body)),
        ("prose.md", &section("Prose", "", "No steps here.\n")),
    ]);
    let out = build(&g);
    let v = json_ld(&page(&out, "router/restart it.html"));
    assert_eq!(v["@context"], "https://schema.org");
    assert_eq!(v["@type"], "HowTo");
    assert_eq!(v["name"], "Restart the router");
    assert_eq!(v["description"], "Power-cycle it.");
    assert_eq!(v["inLanguage"], "en-GB");
    assert_eq!(v["url"], "https://help.example.com/net/router/restart%20it.html");
    let steps = v["step"].as_array().unwrap();
    assert_eq!(steps.len(), 2);
    assert_eq!(steps[0]["@type"], "HowToStep");
    assert_eq!(steps[0]["name"], "Unplug the router");
    assert_eq!(steps[0]["text"], "Wait ten seconds.");
    assert_eq!(steps[0]["url"], "https://help.example.com/net/router/restart%20it.html#get-it-back-step-1");
    assert_eq!(steps[1]["name"], "Plug it back in and wait for the light");
    assert_eq!(steps[1]["url"], "https://help.example.com/net/router/restart%20it.html#get-it-back-step-2");
    assert!(!page(&out, "prose.html").contains("application/ld+json"), "no HowTo without steps");
}

#[test]
fn json_ld_urls_are_relative_without_base_url_and_hostile_text_stays_inside_the_script() {
    let g = guide(&[("x.md", &section("'\"</script><script>alert(1)</script>'", "", "1. **<!-- & -->** — `</script>` and \u{2028} line separator\n"))]);
    let out = build(&g);
    let html = page(&out, "x.html");
    let v = json_ld(&html);
    assert_eq!(v["name"], "\"</script><script>alert(1)</script>");
    assert_eq!(v["url"], "x.html");
    assert_eq!(v["step"][0]["url"], "x.html#step-1");
    assert!(v["step"][0]["text"].as_str().unwrap().starts_with("</script> and"), "{v}");
    assert_eq!(html.matches("<script").count(), html.matches("</script>").count(), "no script element was opened or closed by guide text");
}
