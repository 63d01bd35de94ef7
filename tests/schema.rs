//! The JSON Schemas `fixbook schema` prints agree with fixbook's parsers,
//! checked with a real JSON Schema validator (the `jsonschema` crate, draft
//! 2020-12):
//!
//! - over every guide in the repository (`guide/`, `tests/fixtures/*`,
//!   `tests/broken/*`, `tests/corpora/*` when present): each front matter,
//!   symptoms.yml and guide.toml the parser accepts validates, and each one
//!   it rejects fails (unknown keys, wrong types, empty titles and labels,
//!   bad dates, ids, settings paths and URLs);
//! - over mutations: every key of each file given values of every kind, and
//!   keys the parser does not know, so agreement does not rest on what the
//!   fixtures happen to contain;
//! - with a guide's catalog (`--guide`), a section validates exactly when
//!   `check` finds no unknown symptom in it.
//!
//! The few places where a schema cannot say what the parser does are listed
//! in `documented_differences` and asserted there, so they stay few and known.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use fixbook::content::model::parse_section;
use fixbook::diagnostics::{Code, Diagnostic};
use fixbook::source::loader::{self, SourceFile};
use fixbook::source::symptoms::SymptomId;
use fixbook::source::{config, date, frontmatter, symptoms};
use serde_json::Value;

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn validator(schema: &Value) -> jsonschema::Validator {
    jsonschema::draft202012::new(schema).expect("the schema compiles under draft 2020-12")
}

fn errors(validator: &jsonschema::Validator, value: &Value) -> Vec<String> {
    validator.iter_errors(value).map(|e| format!("{} at {}", e, e.instance_path())).collect()
}

/// YAML as an editor's YAML server sees it (YAML 1.2 core types), read by
/// the parser fixbook uses, with the same strict booleans. `None` when it is
/// not YAML a schema can judge (a syntax error, a duplicate key): those are
/// the YAML parser's to report, in the editor and in fixbook alike.
fn yaml_value(text: &str) -> Option<Value> {
    serde_saphyr::from_str_with_options::<Value>(text, serde_saphyr::options! { strict_booleans: true }).ok()
}

/// TOML as Taplo validates it: dates and times become their text.
fn toml_value(text: &str) -> Option<Value> {
    fn convert(value: toml::Value) -> Value {
        match value {
            toml::Value::String(s) => Value::from(s),
            toml::Value::Integer(i) => Value::from(i),
            toml::Value::Float(f) => serde_json::json!(f),
            toml::Value::Boolean(b) => Value::from(b),
            toml::Value::Datetime(d) => Value::from(d.to_string()),
            toml::Value::Array(items) => Value::Array(items.into_iter().map(convert).collect()),
            toml::Value::Table(table) => Value::Object(table.into_iter().map(|(k, v)| (k, convert(v))).collect()),
        }
    }
    toml::from_str::<toml::Table>(text).ok().map(|t| convert(toml::Value::Table(t)))
}

/// Diagnostics about a section's front matter (not its Markdown body).
const FRONT_MATTER_CODES: &[Code] = &[
    Code::UnknownKey,
    Code::InvalidType,
    Code::FrontMatterSyntax,
    Code::DuplicateKey,
    Code::MissingTitle,
    Code::EmptyTitle,
    Code::InvalidDate,
    Code::MalformedSettingsPath,
];

/// What fixbook says of one section's front matter: the front-matter
/// errors, plus one for each symptom id that no catalog can hold (ids are
/// checked against the catalog later, by `check`, but an id that is not of
/// the catalog's syntax is an error whatever the catalog says).
fn front_matter_problems(path: &str, text: &str) -> Vec<String> {
    let (section, diagnostics) = parse_section(&SourceFile { path: path.to_string(), text: Arc::from(text) });
    let mut problems: Vec<String> =
        diagnostics.iter().filter(|d| d.is_error() && FRONT_MATTER_CODES.contains(&d.code)).map(|d| format!("{}: {}", d.code.as_str(), d.message)).collect();
    if let Some(section) = section {
        for id in section.symptom_ids() {
            if SymptomId::parse(id.as_str()).is_none() {
                problems.push(format!("unknown-symptom: `{id}` is not of the catalog's id syntax"));
            }
        }
    }
    problems
}

/// The front matter of a section as a JSON value, or why there is none to judge.
enum FrontMatter {
    Yaml(Value),
    Toml(Value),
    /// No front matter, an unclosed one, or text neither YAML nor TOML reads.
    NotJudged,
}

fn front_matter_value(text: &str) -> FrontMatter {
    let Ok(split) = frontmatter::split(text) else { return FrontMatter::NotJudged };
    let inner = &text[split.inner.clone()];
    let value = match split.format {
        frontmatter::Format::Yaml => yaml_value(inner).map(FrontMatter::Yaml),
        frontmatter::Format::Toml => toml_value(inner).map(FrontMatter::Toml),
    };
    value.unwrap_or(FrontMatter::NotJudged)
}

/// Every guide in the repository: the bundled one, the fixtures, the broken
/// guides, and the real-documentation corpora when they are present.
fn all_guides() -> Vec<PathBuf> {
    let mut guides = vec![repo("guide")];
    for parent in ["tests/fixtures", "tests/broken", "tests/corpora"] {
        let Ok(entries) = std::fs::read_dir(repo(parent)) else { continue };
        let mut dirs: Vec<PathBuf> = entries.map(|e| e.unwrap().path()).filter(|p| p.is_dir()).collect();
        dirs.sort();
        guides.extend(dirs);
    }
    guides
}

#[derive(Default)]
struct Tally {
    accepted: usize,
    rejected: usize,
    not_judged: usize,
    mismatches: Vec<String>,
}

impl Tally {
    /// Records one comparison: `problems` from the parser, `errors` from the schema.
    fn compare(&mut self, what: &str, problems: &[String], errors: &[String]) {
        match (problems.is_empty(), errors.is_empty()) {
            (true, true) => self.accepted += 1,
            (false, false) => self.rejected += 1,
            (true, false) => self.mismatches.push(format!("{what}: fixbook accepts it, the schema does not: {errors:?}")),
            (false, true) => self.mismatches.push(format!("{what}: fixbook rejects it ({problems:?}), the schema accepts it")),
        }
    }

    fn assert_agreed(&self, what: &str) {
        eprintln!(
            "{what}: {} accepted by both, {} rejected by both, {} not judged (not YAML/TOML a schema can read)",
            self.accepted, self.rejected, self.not_judged
        );
        assert!(self.mismatches.is_empty(), "{what}: {} disagreement(s):\n{}", self.mismatches.len(), self.mismatches.join("\n"));
    }
}

#[test]
fn front_matter_schema_agrees_with_the_parser_on_every_guide() {
    let schema = validator(&frontmatter::schema(None));
    let date_shape = validator(&serde_json::json!({ "type": "string", "pattern": date::PATTERN }));
    let mut tally = Tally::default();
    let mut toml_files = 0;
    for guide in all_guides() {
        let (files, _) = loader::load(&guide, &[]).unwrap();
        for file in &files.sections {
            let what = format!("{}/{}", guide.strip_prefix(repo("")).unwrap().display(), file.path);
            let mut problems = front_matter_problems(&file.path, &file.text);
            // A date of the right shape that is not in the calendar: see `documented_differences`.
            problems.retain(|p| !(p.starts_with("invalid-date") && p.split('`').nth(1).is_some_and(|d| date_shape.is_valid(&Value::from(d)))));
            match front_matter_value(&file.text) {
                FrontMatter::NotJudged => tally.not_judged += 1,
                FrontMatter::Yaml(value) => tally.compare(&what, &problems, &errors(&schema, &value)),
                // TOML front matter: TOML has real types, so a number where
                // text belongs is an error to fixbook and fine to the schema
                // (which is YAML's); what fixbook accepts must still validate.
                FrontMatter::Toml(value) => {
                    toml_files += 1;
                    let errs = errors(&schema, &value);
                    if problems.is_empty() || !errs.is_empty() || problems.iter().any(|p| p.starts_with("unknown-key")) {
                        tally.compare(&what, &problems, &errs);
                    }
                }
            }
        }
    }
    tally.assert_agreed("front matter");
    assert!(
        tally.accepted >= 30 && tally.rejected >= 5 && toml_files >= 1,
        "too little was compared: {} accepted, {} rejected",
        tally.accepted,
        tally.rejected
    );
}

#[test]
fn symptoms_and_guide_toml_schemas_agree_with_the_parsers_on_every_guide() {
    let catalog_schema = validator(&symptoms::schema());
    let config_schema = validator(&config::schema());
    let (mut catalogs, mut configs) = (Tally::default(), Tally::default());
    for guide in all_guides() {
        let (files, _) = loader::load(&guide, &[]).unwrap();
        let name = guide.file_name().unwrap().to_string_lossy().into_owned();
        if let Some(file) = files.symptoms.as_ref().filter(|f| !f.text.trim().is_empty()) {
            let (_, diagnostics) = symptoms::parse(&file.text);
            // Uniqueness of ids and labels is not a schema's to judge.
            let problems = messages(diagnostics.iter().filter(|d| d.is_error() && !matches!(d.code, Code::DuplicateSymptom | Code::DuplicateLabel)));
            match yaml_value(&file.text) {
                Some(value) => catalogs.compare(&format!("{name}/symptoms.yml"), &problems, &errors(&catalog_schema, &value)),
                None => catalogs.not_judged += 1,
            }
        }
        if let Some(file) = &files.config {
            let problems = match config::parse(&file.text) {
                Ok(_) => Vec::new(),
                Err(diagnostics) => messages(diagnostics.iter()),
            };
            match toml_value(&file.text) {
                Some(value) => configs.compare(&format!("{name}/guide.toml"), &problems, &errors(&config_schema, &value)),
                None => configs.not_judged += 1,
            }
        }
    }
    catalogs.assert_agreed("symptoms.yml");
    configs.assert_agreed("guide.toml");
    assert!(catalogs.accepted >= 10 && catalogs.rejected >= 1, "symptoms.yml: {} accepted, {} rejected", catalogs.accepted, catalogs.rejected);
    assert!(configs.accepted >= 10 && configs.rejected >= 3, "guide.toml: {} accepted, {} rejected", configs.accepted, configs.rejected);
}

fn messages<'a>(diagnostics: impl Iterator<Item = &'a Diagnostic>) -> Vec<String> {
    diagnostics.map(|d| format!("{}: {}", d.code.as_str(), d.message)).collect()
}

/// With `--guide`, the schema lists the catalog's ids: a section validates
/// exactly when `check` finds no unknown symptom in it.
#[test]
fn a_guide_schema_accepts_exactly_the_catalog_ids() {
    let mut tally = Tally::default();
    for guide in all_guides() {
        let (files, _) = loader::load(&guide, &[]).unwrap();
        let Some(catalog) = &files.symptoms else { continue };
        let (entries, problems) = symptoms::parse(&catalog.text);
        if problems.iter().any(Diagnostic::is_error) {
            continue;
        }
        let ids: Vec<&str> = entries.iter().map(|s| s.id.as_str()).collect();
        let schema = validator(&frontmatter::schema(Some(&ids)));
        let compiled = fixbook::compile(&guide, &fixbook::CompileOptions { include_drafts: true, ..Default::default() }).unwrap();
        for file in &files.sections {
            if !front_matter_problems(&file.path, &file.text).is_empty() {
                continue;
            }
            let FrontMatter::Yaml(value) = front_matter_value(&file.text) else { continue };
            let unknown = messages(compiled.diagnostics.iter().filter(|d| d.file == file.path && d.code == Code::UnknownSymptom));
            let what = format!("{}/{}", guide.file_name().unwrap().to_string_lossy(), file.path);
            tally.compare(&what, &unknown, &errors(&schema, &value));
        }
    }
    tally.assert_agreed("front matter with the catalog");
    assert!(tally.accepted >= 20 && tally.rejected >= 1, "{} accepted, {} rejected", tally.accepted, tally.rejected);
}

/// Values of every kind, written as YAML and as TOML.
const YAML_VALUES: &[&str] = &[
    "7",
    "-3",
    "1.5",
    "true",
    "false",
    "plain words",
    "\"quoted words\"",
    "\"\"",
    "\"   \"",
    "null",
    "2026-01-31",
    "2026-13-01",
    "[]",
    "[a, b]",
    "[wifi-drops]",
    "[Wi Fi]",
    "[1, 2]",
    "[1.5]",
    "[true]",
    "[[a]]",
    "[{a: b}]",
    "[null]",
    "[\"Settings > Wi-Fi\"]",
    "[\"Settings >> Wi-Fi\"]",
    "[\"> Wi-Fi\"]",
    "{a: b}",
    "99999999999999999999",
    "-9223372036854775808",
];

/// Each key of the front matter (and keys fixbook does not know) with each
/// value: the parser and the schema give the same verdict.
#[test]
fn front_matter_mutations_get_the_same_verdict_from_parser_and_schema() {
    let schema = validator(&frontmatter::schema(None));
    let mut tally = Tally::default();
    let unknown = ["titel", "Title", "symptom", "sidebar_position", "layout", "tags"];
    for key in frontmatter::KNOWN_KEYS.iter().chain(&unknown) {
        for value in YAML_VALUES {
            let base = if *key == "title" { String::new() } else { "title: Restart the router\n".to_string() };
            let text = format!("---\n{base}{key}: {value}\n---\n1. **Do it** — now.\n");
            let problems = front_matter_problems("s.md", &text);
            let FrontMatter::Yaml(json) = front_matter_value(&text) else { panic!("{text}") };
            tally.compare(&format!("`{key}: {value}`"), &problems, &errors(&schema, &json));
        }
    }
    tally.assert_agreed("front-matter mutations");
    assert!(tally.accepted > 40 && tally.rejected > 150, "{} accepted, {} rejected", tally.accepted, tally.rejected);
}

#[test]
fn symptoms_mutations_get_the_same_verdict_from_parser_and_schema() {
    let schema = validator(&symptoms::schema());
    let mut tally = Tally::default();
    for key in ["id", "label", "group", "aliases", "description", "alias", "name", "symptoms"] {
        for value in YAML_VALUES {
            let mut entry = serde_json::Map::new();
            let base = [("id", "wifi-drops"), ("label", "Wi-Fi keeps dropping")];
            let mut text = String::from("symptoms:\n");
            let mut first = true;
            for (k, v) in base.iter().filter(|(k, _)| *k != key) {
                text.push_str(&format!("  {} {k}: {v}\n", if first { "-" } else { " " }));
                first = false;
                entry.insert(k.to_string(), Value::from(*v));
            }
            text.push_str(&format!("  {} {key}: {value}\n", if first { "-" } else { " " }));
            let (_, diagnostics) = symptoms::parse(&text);
            let problems = messages(diagnostics.iter().filter(|d| d.is_error()));
            let Some(json) = yaml_value(&text) else { panic!("{text}") };
            tally.compare(&format!("`{key}: {value}`"), &problems, &errors(&schema, &json));
        }
    }
    // The catalog's own shapes.
    for text in
        ["symptoms: []\n", "symptoms: {}\n", "symptoms: wifi\n", "- id: a\n  label: A\n", "symptoms:\n  - wifi\n", "symptoms:\n  - id: a\n", "other: 1\n"]
    {
        let (_, diagnostics) = symptoms::parse(text);
        let problems = messages(diagnostics.iter().filter(|d| d.is_error()));
        tally.compare(&format!("{text:?}"), &problems, &errors(&schema, &yaml_value(text).unwrap()));
    }
    tally.assert_agreed("symptoms.yml mutations");
    assert!(tally.accepted > 40 && tally.rejected > 100, "{} accepted, {} rejected", tally.accepted, tally.rejected);
}

const TOML_VALUES: &[&str] = &[
    "7",
    "-1",
    "1.5",
    "true",
    "\"words\"",
    "\"\"",
    "\"  \"",
    "\"en\"",
    "\"pt-BR\"",
    "\"e n\"",
    "[\"a\"]",
    "{ a = 1 }",
    "1979-05-27",
    "\"https://help.example.com/router/\"",
    "\"http://localhost:8000\"",
    "\"ftp://files.example.com/\"",
    "\"https://\"",
    "\"https://h.example/a b/\"",
    "\"https://h.example/?v=1\"",
    "\"https://user@h.example/\"",
    "\"https://git.example.com/edit/main/{path}\"",
    "\"javascript:alert(1)//{path}\"",
    "\"../src/{path}\"",
    "\"{path}:alert(1)\"",
    "\"https:{path}\"",
    "\"HTTPS://git.example.com/{path}\"",
    "\"/docs/\"",
];

#[test]
fn guide_toml_mutations_get_the_same_verdict_from_parser_and_schema() {
    let schema = validator(&config::schema());
    let mut tally = Tally::default();
    let top = ["title", "description", "language", "base_url", "edit_url", "lint", "titel", "baseURL", "theme"];
    let lint = ["no_steps", "long_step", "max_step_words", "draft_only_fix", "settings_mismatch", "body_h1", "no_step", "max_words"];
    for value in TOML_VALUES {
        for key in top {
            if *value == "1979-05-27" && matches!(key, "title" | "description" | "language") {
                continue; // a TOML date where text belongs: see `documented_differences`
            }
            let base = if key == "title" { "" } else { "title = \"Router help\"\n" };
            let text = format!("{base}{key} = {value}\n");
            compare_config(&schema, &mut tally, &text);
        }
        for key in lint {
            compare_config(&schema, &mut tally, &format!("title = \"Router help\"\n[lint]\n{key} = {value}\n"));
        }
    }
    compare_config(&schema, &mut tally, "description = \"no title\"\n");
    compare_config(&schema, &mut tally, "title = \"x\"\n[lint]\n");
    tally.assert_agreed("guide.toml mutations");
    assert!(tally.accepted > 40 && tally.rejected > 200, "{} accepted, {} rejected", tally.accepted, tally.rejected);
}

fn compare_config(schema: &jsonschema::Validator, tally: &mut Tally, text: &str) {
    let problems = match config::parse(text) {
        Ok(_) => Vec::new(),
        Err(diagnostics) => messages(diagnostics.iter()),
    };
    let json = toml_value(text).unwrap_or_else(|| panic!("{text}"));
    tally.compare(&format!("{text:?}"), &problems, &errors(schema, &json));
}

/// Where a schema cannot say what the parser does. Each case is asserted, so
/// a change on either side shows up here.
#[test]
fn documented_differences() {
    let front_matter = validator(&frontmatter::schema(None));
    let fm = |yaml: &str| yaml_value(yaml).unwrap();
    // 1. A date of the right shape that is not in the calendar: the schema
    //    checks the shape, `check` the calendar.
    assert!(front_matter.is_valid(&fm("title: T\nreviewed: 2026-02-30\n")));
    assert!(!front_matter_problems("s.md", "---\ntitle: T\nreviewed: 2026-02-30\n---\n").is_empty());
    // 2. serde-saphyr also reads a quoted number or boolean into a number or
    //    boolean field; the schema asks for the plain spelling.
    for (yaml, written) in [("weight: \"3\"", "---\ntitle: T\nweight: \"3\"\n---\n"), ("draft: \"true\"", "---\ntitle: T\ndraft: \"true\"\n---\n")] {
        assert!(front_matter_problems("s.md", written).is_empty(), "{yaml}");
        assert!(!front_matter.is_valid(&fm(&format!("title: T\n{yaml}\n"))), "{yaml}");
    }
    // 3. `check` trims a quoted id (`" wifi "`); the schema takes it as written.
    assert!(front_matter_problems("s.md", "---\ntitle: T\nsymptoms: [\" wifi \"]\n---\n").is_empty());
    assert!(!front_matter.is_valid(&fm("title: T\nsymptoms: [\" wifi \"]\n")));
    // 4. Ids and labels used twice in symptoms.yml are `check`'s to report.
    let twice = "symptoms:\n  - id: a\n    label: A\n  - id: a\n    label: B\n";
    assert!(validator(&symptoms::schema()).is_valid(&yaml_value(twice).unwrap()));
    assert_eq!(symptoms::parse(twice).1[0].code, Code::DuplicateSymptom);
    // 5. A TOML date is its text to a schema validator (Taplo's too), but
    //    not text to fixbook: `title = 1979-05-27` needs quotes.
    let date_title = "title = 1979-05-27\n";
    assert!(validator(&config::schema()).is_valid(&toml_value(date_title).unwrap()));
    assert!(config::parse(date_title).is_err());
    // 6. The symptom id `index` is of the id syntax but reserved
    //    (`symptoms/index.html` lists every symptom): `check` refuses it.
    let index = "symptoms:\n  - id: index\n    label: A\n";
    assert!(validator(&symptoms::schema()).is_valid(&yaml_value(index).unwrap()));
    assert_eq!(symptoms::parse(index).1[0].code, Code::InvalidSymptomId);
}

#[test]
fn date_pattern_and_date_parser_agree_on_shapes() {
    let schema = validator(&serde_json::json!({ "type": "string", "pattern": date::PATTERN }));
    for text in [
        "2026-01-31",
        " 2026-01-31 ",
        "2024-02-29",
        "1999-12-01",
        "2026-1-31",
        "2026-13-01",
        "2026-00-10",
        "2026-01-32",
        "26-01-31",
        "2026/01/31",
        "2026-01-31T10:00:00Z",
        "",
    ] {
        assert_eq!(schema.is_valid(&Value::from(text)), date::Date::parse(text).is_some(), "{text:?}");
    }
}

#[test]
fn base_url_pattern_and_parse_base_url_agree() {
    let schema = validator(&serde_json::json!({ "type": "string", "pattern": config::BASE_URL_PATTERN }));
    for url in [
        "https://help.example.com/router/",
        "http://localhost:8000",
        "https://h.example/a/b",
        "https://[::1]:8080/",
        "https://h.example/a@b/",
        "ftp://h.example/",
        "HTTPS://h.example/",
        "https://",
        "https:///x",
        "https://:80/",
        "https://user@h.example/",
        "https://h.example/a b",
        "https://h.example/\t",
        "https://h.example/\u{85}",
        "https://h.example/\u{a0}",
        "https://h.example/?q",
        "https://h.example/#top",
        "javascript:alert(1)//",
        "/docs/",
    ] {
        assert_eq!(schema.is_valid(&Value::from(url)), config::parse_base_url(url).is_ok(), "{url:?}");
    }
}

fn fixbook() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("fixbook").unwrap();
    cmd.env("NO_COLOR", "1");
    cmd
}

fn run(args: &[&str]) -> (i32, String, String) {
    let output = fixbook().args(args).output().unwrap();
    (output.status.code().unwrap_or(-1), String::from_utf8(output.stdout).unwrap(), String::from_utf8_lossy(&output.stderr).into_owned())
}

/// `fixbook schema` prints the library's schemas; the snapshots make every
/// change to what editors are told visible in review.
#[test]
fn the_schema_command_prints_each_schema() {
    for (kind, schema) in [("front-matter", frontmatter::schema(None)), ("symptoms", symptoms::schema()), ("guide", config::schema())] {
        let (code, stdout, stderr) = run(&["schema", kind]);
        assert_eq!(code, 0, "{stderr}");
        assert_eq!(stdout, fixbook::source::schema::to_text(&schema));
        let parsed: Value = serde_json::from_str(&stdout).unwrap();
        assert!(jsonschema::meta::is_valid(&parsed), "{kind}: not a valid JSON Schema");
        insta::assert_snapshot!(format!("schema-{kind}"), stdout);
    }
}

#[test]
fn the_front_matter_schema_of_a_guide_lists_its_catalog() {
    let guide = repo("tests/fixtures/router");
    let (code, stdout, stderr) = run(&["schema", "front-matter", "--guide", guide.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    let schema: Value = serde_json::from_str(&stdout).unwrap();
    let ids = &schema["properties"]["symptoms"]["items"]["enum"];
    let (catalog, _) = symptoms::parse(&std::fs::read_to_string(guide.join("symptoms.yml")).unwrap());
    assert_eq!(ids.as_array().unwrap().len(), catalog.len());
    for symptom in &catalog {
        assert!(ids.as_array().unwrap().contains(&Value::from(symptom.id.as_str())), "{} missing from {ids}", symptom.id);
    }
    let validator = validator(&schema);
    assert!(validator.is_valid(&serde_json::json!({ "title": "T", "symptoms": ["wifi-drops"] })));
    assert!(!validator.is_valid(&serde_json::json!({ "title": "T", "symptoms": ["wifi-drop"] })));

    // No catalog, a broken catalog, or --guide with another schema: refused, with the reason.
    let tmp = tempfile::tempdir().unwrap();
    let (code, stdout, stderr) = run(&["schema", "front-matter", "--guide", tmp.path().to_str().unwrap()]);
    assert_eq!((code, stdout.as_str()), (1, ""), "{stderr}");
    assert!(stderr.contains("has no symptoms.yml"), "{stderr}");
    let broken = repo("tests/broken/invalid-symptom-entries");
    let (code, stdout, stderr) = run(&["schema", "front-matter", "--guide", broken.to_str().unwrap()]);
    assert_eq!((code, stdout.as_str()), (1, ""), "{stderr}");
    assert!(stderr.contains("--> symptoms.yml:") && stderr.contains("fix symptoms.yml first"), "{stderr}");
    let (code, _, stderr) = run(&["schema", "symptoms", "--guide", guide.to_str().unwrap()]);
    assert_eq!(code, 2, "{stderr}");
    let (code, _, stderr) = run(&["schema", "markdown"]);
    assert_eq!(code, 2, "{stderr}");
}

/// `fixbook init` writes the schemas and the settings that point editors at
/// them, and every file it writes validates against the schemas it wrote.
#[test]
fn init_writes_the_schemas_and_its_files_validate_against_them() {
    let tmp = tempfile::tempdir().unwrap();
    let guide = tmp.path().join("wifi-help");
    let (code, _, stderr) = run(&["init", guide.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    let read = |path: &str| std::fs::read_to_string(guide.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
    let schema_at = |path: &str| -> Value { serde_json::from_str(&read(path)).unwrap() };
    for (path, kind) in
        [(".fixbook/schema/front-matter.json", "front-matter"), (".fixbook/schema/symptoms.json", "symptoms"), (".fixbook/schema/guide.json", "guide")]
    {
        assert_eq!(read(path), run(&["schema", kind]).1, "{path} is what `fixbook schema {kind}` prints");
    }

    // The pointers: a Taplo directive atop guide.toml, a yaml-language-server
    // modeline atop symptoms.yml (both relative to the file), VS Code's map.
    let config_text = read("guide.toml");
    let directive = config_text.lines().next().unwrap().strip_prefix("#:schema ").expect("guide.toml starts with a Taplo #:schema directive");
    assert!(guide.join(directive).is_file(), "{directive}");
    let catalog_text = read("symptoms.yml");
    let modeline = catalog_text.lines().next().unwrap().strip_prefix("# yaml-language-server: $schema=").expect("symptoms.yml starts with a modeline");
    assert!(guide.join(modeline).is_file(), "{modeline}");
    let settings: Value = serde_json::from_str(&read(".vscode/settings.json")).unwrap();
    let mapped = settings["yaml.schemas"].as_object().unwrap();
    assert_eq!(mapped.len(), 1);
    let (schema_path, glob) = mapped.iter().next().unwrap();
    assert!(guide.join(schema_path).is_file() && glob == "symptoms.yml", "{settings}");
    assert!(serde_json::from_str::<Value>(&read(".vscode/extensions.json")).unwrap()["recommendations"].as_array().unwrap().len() == 2);

    // Every file validates against the schema init wrote for it.
    let config_schema = validator(&schema_at(directive));
    assert_eq!(errors(&config_schema, &toml_value(&config_text).unwrap()), Vec::<String>::new());
    let catalog_schema = validator(&schema_at(modeline));
    assert_eq!(errors(&catalog_schema, &yaml_value(&catalog_text).unwrap()), Vec::<String>::new());
    let front_matter_schema = validator(&schema_at(".fixbook/schema/front-matter.json"));
    let (files, _) = loader::load(&guide, &[]).unwrap();
    assert_eq!(files.sections.len(), 2, "the hidden folders are not part of the guide");
    assert!(files.assets.is_empty(), "{:?}", files.assets);
    for section in &files.sections {
        let FrontMatter::Yaml(value) = front_matter_value(&section.text) else { panic!("{}", section.path) };
        assert_eq!(errors(&front_matter_schema, &value), Vec::<String>::new(), "{}", section.path);
    }
    // And they stay a guide `check` finds clean.
    let (code, _, stderr) = run(&["check", guide.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("0 errors and 0 warnings"), "{stderr}");
}
