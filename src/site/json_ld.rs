//! JSON-LD for section pages: a schema.org `HowTo` whose `step`s are
//! `HowToStep`s (name, text, url with the step's anchor), so assistants and
//! other tools reading the page get the procedure as data. Built from serde
//! structs and serialised with `escape::script_json`, so guide text can
//! neither break the JSON nor close the `<script type="application/ld+json">`.
//! Pure: a section in, a string out.

use serde::Serialize;

use crate::content::model::Section;
use crate::paths;

/// How long a step's `name` may be when the step has no bold title and its
/// text has to stand in for one.
const NAME_WORDS: usize = 12;

#[derive(Debug, Serialize)]
struct HowTo<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(rename = "inLanguage")]
    in_language: &'a str,
    url: String,
    step: Vec<HowToStep>,
}

#[derive(Debug, Serialize)]
struct HowToStep {
    #[serde(rename = "@type")]
    kind: &'static str,
    position: u64,
    name: String,
    text: String,
    url: String,
}

/// The JSON-LD of a section page, ready to sit inside
/// `<script type="application/ld+json">`; `None` for a section without
/// steps (a `HowTo` needs at least one). `page_url` is the page's absolute
/// URL when the guide has a `base_url`, else its relative URL from itself.
pub fn howto(section: &Section, page_url: &str, language: &str) -> Option<String> {
    if section.body.steps.is_empty() {
        return None;
    }
    let steps = section
        .body
        .steps
        .iter()
        .map(|s| {
            let text = if s.text.is_empty() { s.title.clone().unwrap_or_default() } else { s.text.clone() };
            let name = s.title.clone().unwrap_or_else(|| first_words(&s.text, NAME_WORDS));
            HowToStep { kind: "HowToStep", position: s.number, name, text, url: format!("{page_url}#{}", paths::encode_fragment(&s.anchor)) }
        })
        .collect();
    let howto = HowTo {
        context: "https://schema.org",
        kind: "HowTo",
        name: &section.title,
        description: section.summary.as_deref(),
        in_language: language,
        url: page_url.to_string(),
        step: steps,
    };
    Some(crate::escape::script_json(&howto))
}

fn first_words(text: &str, n: usize) -> String {
    let mut words = text.split_whitespace();
    let mut out: Vec<&str> = words.by_ref().take(n).collect();
    if words.next().is_some() {
        if let Some(last) = out.last_mut() {
            *last = last.trim_end_matches([',', ';', ':', '.']);
        }
        return format!("{}…", out.join(" "));
    }
    out.join(" ").trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::loader::SourceFile;
    use std::sync::Arc;

    fn section(text: &str) -> Section {
        let (s, d) = crate::content::model::parse_section(&SourceFile { path: "net/fix.md".into(), text: Arc::from(text) });
        assert!(d.is_empty(), "{d:?}");
        s.unwrap()
    }

    #[test]
    fn steps_become_howto_steps_with_anchored_urls() {
        let s = section(
            "---\ntitle: Fix it\nsummary: Quick fix.\n---\n## Do it\n\n1. **Restart** — Hold the button.\n2. Plain text step that is long enough to need a shorter name than the whole of it.\n",
        );
        let json = howto(&s, "https://h.example/g/net/fix.html", "en").unwrap();
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["@context"], "https://schema.org");
        assert_eq!(v["@type"], "HowTo");
        assert_eq!(v["name"], "Fix it");
        assert_eq!(v["description"], "Quick fix.");
        assert_eq!(v["step"][0]["@type"], "HowToStep");
        assert_eq!(v["step"][0]["name"], "Restart");
        assert_eq!(v["step"][0]["text"], "Hold the button.");
        assert_eq!(v["step"][0]["url"], "https://h.example/g/net/fix.html#do-it-step-1");
        assert_eq!(v["step"][1]["name"], "Plain text step that is long enough to need a shorter name…");
        assert_eq!(v["step"][1]["position"], 2);
    }

    #[test]
    fn hostile_text_cannot_close_the_script_and_survives_the_round_trip() {
        let s = section("---\ntitle: \"</script><script>alert(1)</script>\"\n---\n1. **<b>x</b> & \"y\"** — `</script>`\n");
        let json = howto(&s, "fix.html", "en").unwrap();
        assert!(!json.contains('<') && !json.contains('>'), "{json}");
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["name"], "</script><script>alert(1)</script>");
        assert_eq!(v["step"][0]["text"], "</script>");
        assert_eq!(v["step"][0]["url"], "fix.html#step-1");
    }

    #[test]
    fn a_section_without_steps_has_no_howto() {
        assert_eq!(howto(&section("---\ntitle: T\n---\nProse only.\n"), "t.html", "en"), None);
    }
}
