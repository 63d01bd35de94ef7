//! Builds tests/fixtures/hostile (attack strings in every field a guide
//! controls) with the real binary and reads every output file the way a
//! browser would: HTML through an HTML5 tokenizer (html5gum), generated
//! JavaScript as JSON arguments, JSON as JSON. Nothing the guide wrote may
//! become markup, an attribute, an event handler, a `javascript:` URL or
//! code; every string must come back out of the data unchanged.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use html5gum::{Token, Tokenizer};

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// The hostile fixture's site: relative path → bytes.
fn hostile_site() -> (tempfile::TempDir, BTreeMap<String, Vec<u8>>) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    let output =
        Command::cargo_bin("fixbook").unwrap().env("NO_COLOR", "1").arg("build").arg(repo("tests/fixtures/hostile")).arg("-o").arg(&out).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let files = walkdir::WalkDir::new(&out)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(&out).unwrap().to_string_lossy().replace('\\', "/"), std::fs::read(e.path()).unwrap()))
        .collect();
    (tmp, files)
}

/// Theme files copied verbatim (code we wrote, not guide data).
fn is_theme_file(path: &str, bytes: &[u8]) -> bool {
    path.strip_prefix("_fixbook/").is_some_and(|name| std::fs::read(repo("themes/default/static").join(name)).is_ok_and(|theme| theme == bytes))
}

/// What a browser would treat as the URL scheme: ASCII whitespace and
/// control characters are dropped, case is ignored.
fn scheme_of(url: &str) -> String {
    let cleaned: String = url.chars().filter(|c| !c.is_ascii_whitespace() && !c.is_control()).collect::<String>().to_ascii_lowercase();
    cleaned.split_once(':').map(|(scheme, _)| scheme.to_string()).unwrap_or_default()
}

/// The default theme's templates, concatenated: first-party markup.
fn theme_templates() -> &'static str {
    static TEXT: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    TEXT.get_or_init(|| {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(repo("themes/default/templates")).unwrap().map(|e| e.unwrap().path()).collect();
        paths.sort();
        paths.iter().map(|p| std::fs::read_to_string(p).unwrap()).collect()
    })
}

const URL_ATTRIBUTES: &[&str] = &["href", "src", "action", "formaction", "xlink:href", "poster", "data", "cite", "background", "ping"];

/// Problems found in one HTML page, plus the JSON data blocks it carries and its text.
struct PageReport {
    problems: Vec<String>,
    json_blocks: Vec<serde_json::Value>,
    text: String,
}

fn inspect_html(path: &str, html: &str) -> PageReport {
    let mut report = PageReport { problems: Vec::new(), json_blocks: Vec::new(), text: String::new() };
    let mut emitter = html5gum::emitters::default::DefaultEmitter::default();
    // Switches to raw-text states for <script>, <style>, <title> and the like, as a browser does.
    emitter.naively_switch_states(true);
    let mut script: Option<(Option<String>, bool, String)> = None; // (type, has src, content)
    for token in Tokenizer::new_with_emitter(html, emitter).flatten() {
        match token {
            Token::StartTag(tag) => {
                let name = String::from_utf8_lossy(&tag.name).to_ascii_lowercase();
                for (attr, value) in &tag.attributes {
                    let attr = String::from_utf8_lossy(attr).to_ascii_lowercase();
                    let value = String::from_utf8_lossy(value);
                    // Event handlers are allowed only verbatim from the theme's own templates.
                    let first_party = attr.starts_with("on") && theme_templates().contains(&format!("{attr}=\"{value}\""));
                    if (attr.starts_with("on") && !first_party) || attr.contains("alert") || attr.contains('"') || attr.contains('\'') {
                        report.problems.push(format!("{path}: <{name}> has attribute `{attr}`=`{value}` (a broken-out attribute)"));
                    }
                    if URL_ATTRIBUTES.contains(&attr.as_str()) {
                        let scheme = scheme_of(&value);
                        let data_image = scheme == "data" && value.trim().to_ascii_lowercase().starts_with("data:image/");
                        if scheme == "javascript" || scheme == "vbscript" || (scheme == "data" && !data_image) {
                            report.problems.push(format!("{path}: <{name} {attr}=\"{value}\"> is an executable URL"));
                        }
                    }
                    if attr == "style" && value.to_ascii_lowercase().contains("expression(") {
                        report.problems.push(format!("{path}: <{name}> has a scripted style"));
                    }
                }
                if name == "script" {
                    let kind = tag.attributes.get(b"type".as_slice()).map(|v| String::from_utf8_lossy(v).to_ascii_lowercase());
                    script = Some((kind, tag.attributes.contains_key(b"src".as_slice()), String::new()));
                }
                if matches!(name.as_str(), "iframe" | "object" | "embed" | "base" | "meta") {
                    let refresh = tag.attributes.get(b"http-equiv".as_slice()).is_some_and(|v| v.eq_ignore_ascii_case(b"refresh"));
                    if name != "meta" || refresh {
                        report.problems.push(format!("{path}: unexpected <{name}> element"));
                    }
                }
            }
            Token::String(text) => {
                let text = String::from_utf8_lossy(&text).into_owned();
                match &mut script {
                    Some((_, _, content)) => content.push_str(&text),
                    None => report.text.push_str(&text),
                }
            }
            Token::EndTag(tag) if tag.name.eq_ignore_ascii_case(b"script") => {
                let Some((kind, has_src, content)) = script.take() else { continue };
                match kind.as_deref() {
                    Some("application/json") | Some("application/ld+json") => match serde_json::from_str::<serde_json::Value>(&content) {
                        Ok(value) => report.json_blocks.push(value),
                        Err(e) => report.problems.push(format!("{path}: a JSON data block does not parse ({e}): {content}")),
                    },
                    _ if has_src && !content.trim().is_empty() => report.problems.push(format!("{path}: <script src> with a body: {content}")),
                    _ if content.contains("alert(") => report.problems.push(format!("{path}: guide text runs as script: {content}")),
                    _ => {}
                }
            }
            _ => {}
        }
    }
    report
}

/// Parses a generated data script: each statement is `callee(args...);` or
/// `target = value;` with JSON arguments. Returns the JSON values.
fn parse_data_script(path: &str, js: &str) -> Result<Vec<serde_json::Value>, String> {
    let mut values = Vec::new();
    for line in js.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let statement = line.strip_suffix(';').unwrap_or(line);
        let callee_end = statement.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '$' || c == '.')).unwrap_or(statement.len());
        let rest = statement[callee_end..].trim_start();
        let json = if let Some(args) = rest.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
            format!("[{args}]")
        } else if let Some(value) = rest.strip_prefix('=') {
            value.trim().to_string()
        } else {
            return Err(format!("{path}: not a data statement: {}", &line[..line.len().min(200)]));
        };
        values.push(serde_json::from_str(&json).map_err(|e| format!("{path}: data does not parse as JSON ({e})"))?);
    }
    Ok(values)
}

fn collect_strings(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(items) => items.iter().for_each(|v| collect_strings(v, out)),
        serde_json::Value::Object(map) => {
            for (k, v) in map {
                out.push(k.clone());
                collect_strings(v, out);
            }
        }
        _ => {}
    }
}

#[test]
fn hostile_guide_text_never_becomes_markup_attributes_urls_or_code() {
    let (_tmp, files) = hostile_site();
    let mut problems = Vec::new();
    let mut html_pages = 0;
    let mut data_scripts = 0;
    let mut json_strings = Vec::new();
    let mut page_text = String::new();
    for (path, bytes) in &files {
        let Ok(text) = std::str::from_utf8(bytes) else { continue };
        // Raw markup from the guide, whatever the file type. (Quotes need no
        // escaping in text and JSON strings; attributes are checked by tokenizing.)
        for raw in ["<script>alert", "<img src=x onerror", "<svg onload", "</script><script>"] {
            if text.contains(raw) && !path.ends_with(".svg") {
                problems.push(format!("{path}: contains raw `{raw}`"));
            }
        }
        if path.ends_with(".html") {
            html_pages += 1;
            let report = inspect_html(path, text);
            problems.extend(report.problems);
            for value in &report.json_blocks {
                collect_strings(value, &mut json_strings);
            }
            page_text.push_str(&report.text);
        } else if path.ends_with(".js") && !is_theme_file(path, bytes) {
            data_scripts += 1;
            if text.to_ascii_lowercase().contains("</script") || text.contains("<!--") {
                problems.push(format!("{path}: data script contains `</script` or `<!--`"));
            }
            match parse_data_script(path, text) {
                Ok(values) => values.iter().for_each(|v| collect_strings(v, &mut json_strings)),
                Err(e) => problems.push(e),
            }
        } else if path.ends_with(".json") {
            match serde_json::from_slice::<serde_json::Value>(bytes) {
                Ok(value) => collect_strings(&value, &mut json_strings),
                Err(e) => problems.push(format!("{path}: invalid JSON ({e})")),
            }
        }
    }
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
    assert!(html_pages >= 10 && data_scripts >= 5, "{html_pages} pages, {data_scripts} data scripts");

    // The attack strings survive as text: shown literally on pages, and
    // unchanged after a JSON round trip in the data the scripts read.
    let title = "<script>alert(1)</script> a&b \"q\" &amp;";
    assert!(page_text.contains(title), "the section title shows literally (entities decoded once)");
    assert!(page_text.contains("{{ config }}") && page_text.contains("{% raw %}"), "template syntax from the guide is text, not evaluated");
    assert!(json_strings.iter().any(|s| s == title), "the section title round-trips through the JSON data unchanged");
    assert!(json_strings.iter().any(|s| s.contains("</script><script>alert(2)</script>")), "`</script>` inside data round-trips");
    for s in &json_strings {
        assert!(!s.contains("&lt;script") || s.contains("class="), "double-escaped text in data: {s}");
    }
}

#[test]
fn the_checker_catches_what_it_looks_for() {
    // The same inspection on pages that do inject: each must be reported.
    let bad = [
        "<p><script>alert(1)</script></p>",
        "<a href=\"x\" onmouseover=\"alert(1)\">x</a>",
        "<a href=\" JaVa&#x53;cript:alert(1)\">x</a>",
        "<img src=\"x\" \"onload=\"alert(1)\">",
        "<a href=\"vbscript:x\">x</a>",
        "<iframe src=\"data:text/html,x\"></iframe>",
        "<script type=\"application/json\">{\"a\": </script>",
    ];
    for html in bad {
        assert!(!inspect_html("t.html", html).problems.is_empty(), "not caught: {html}");
    }
    let good = "<p title=\"&quot;onload=&quot;alert(1)\">&lt;script&gt;alert(1)&lt;/script&gt;</p><a href=\"a%20b.html\">x</a><script src=\"s.js\" defer></script><script type=\"application/ld+json\">{\"name\":\"\\u003cscript\\u003e\"}</script>";
    let report = inspect_html("t.html", good);
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert!(report.text.contains("<script>alert(1)</script>"));
    assert_eq!(parse_data_script("d.js", "f(0,{\"t\":\"\\u003c/script\\u003e\"});\nwindow.x = [1];\n").unwrap().len(), 2);
    assert!(parse_data_script("d.js", "alert(1)//").is_err());
}
