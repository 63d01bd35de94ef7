//! The search index, built at build time and read by `search.js` in the
//! browser. It must work from `file://`, where only classic `<script>`
//! elements can load data (no fetch, XHR, modules, workers or WASM), and a
//! reader must not download the whole index of a 10,000-section guide for one
//! query. So the index is split:
//!
//! - `_fixbook/search/index.js`: the manifest, i.e. the list of term-prefix
//!   shard keys (a few KB);
//! - `_fixbook/search/terms/<n>.js`: one shard per key, mapping every term that
//!   starts with the key to its best postings (section, passage, score);
//! - `_fixbook/search/docs/<i>.js`: one file per section with its title, URL,
//!   anchors and the text passages used for excerpts.
//!
//! A query loads the manifest, the shard of each query term and the doc files
//! of the results it shows. Shards are keyed by the first two characters of a
//! term and split further while they exceed [`SHARD_BUDGET`], so a shard stays
//! small on any guide; the browser does prefix and typo matching inside the
//! shard (typos after the key prefix are found). `site::data` writes each
//! part as a classic script that calls a global function (JSONP style).
//!
//! Why not an existing engine: pagefind cannot run from `file://` (ES modules,
//! fetch and WASM), and MiniSearch or elasticlunr need the whole index in the
//! browser (megabytes at 10,000 sections); see ARCHITECTURE.md.
//!
//! Tokenising must match `themes/default/static/text.js` exactly: words are
//! runs of letters, digits and marks; each word is folded with NFKD, accents
//! (U+0300–U+036F) removed, NFC and lowercase; Han and kana characters are one
//! term each (CJK text has no spaces); words joined by punctuation without a
//! space (`Wi-Fi`, `/flushdns`, `com.apple.x`) also give the joined term.

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use serde::Serialize;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::content::model::{Guide, Section};
use crate::paths;

/// Where the index files go in the output.
pub const DIR: &str = "_fixbook/search";
/// Upper bound (bytes, before compression) a shard grows to before it is
/// split by a longer key. Small enough that a two-word query stays well under
/// 150 KB at 10,000 sections, large enough to keep the manifest short.
pub const SHARD_BUDGET: usize = 16 * 1024;
/// Postings kept per term: the best-scoring sections only. A term found in
/// thousands of sections ranks nothing by itself; its best hits are enough.
pub const MAX_POSTINGS: usize = 24;
/// Target length of a text passage (an excerpt shown under a result).
const PASSAGE_CHARS: usize = 220;

/// How much a match in each field counts. Titles, symptoms and settings paths
/// rank above headings and step titles, which rank above body text.
#[derive(Debug, Clone, Copy)]
enum Field {
    Title,
    Symptom,
    Alias,
    Settings,
    Heading,
    StepTitle,
    Summary,
    Body,
}

impl Field {
    fn weight(self) -> f64 {
        match self {
            Field::Title => 12.0,
            Field::Symptom => 9.0,
            Field::Settings => 9.0,
            Field::Alias => 7.0,
            Field::Heading => 5.0,
            Field::StepTitle => 4.0,
            Field::Summary => 3.0,
            Field::Body => 1.0,
        }
    }
}

/// Is `c` written without spaces between words (Han, kana, CJK marks)?
/// Must match `CJK` in text.js.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3005..=0x3007 | 0x3040..=0x30FF | 0x31F0..=0x31FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0xFF66..=0xFF9F | 0x20000..=0x2FA1F)
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c)
}

/// Punctuation that joins two words into one compound when written without
/// spaces (`Wi-Fi`, `com.apple.mail`, `C:\Windows`, `don't`).
fn is_joiner(c: char) -> bool {
    matches!(c, '-' | '.' | '/' | '\\' | '_' | '\'' | '’' | ':' | '@' | '+' | '#')
}

/// Folds one word to its index form.
pub fn normalize(word: &str) -> String {
    let folded: String = word.nfkd().filter(|&c| !('\u{300}'..='\u{36f}').contains(&c)).nfc().collect();
    folded.to_lowercase().replace('ς', "σ")
}

/// Is a term worth indexing? Single Latin letters are noise ("t" of "don't").
fn keep(term: &str) -> bool {
    let mut chars = term.chars();
    match (chars.next(), chars.next()) {
        (None, _) => false,
        (Some(c), None) => c.is_numeric() || is_cjk(c),
        _ => true,
    }
}

/// Every term of `text`, in order, with compounds after their parts.
pub fn tokenize(text: &str) -> Vec<String> {
    let mut terms = Vec::new();
    // The words of the compound being read, and whether the last thing seen
    // was a joiner directly after a word.
    let mut compound: Vec<String> = Vec::new();
    let mut word = String::new();
    let mut after_joiner = false;
    let flush_compound = |compound: &mut Vec<String>, terms: &mut Vec<String>| {
        if compound.len() > 1 {
            let joined = compound.concat();
            if keep(&joined) {
                terms.push(joined);
            }
        }
        compound.clear();
    };
    for c in text.chars().chain(std::iter::once(' ')) {
        if is_cjk(c) {
            if !word.is_empty() {
                push_word(&mut word, &mut compound, &mut terms);
            }
            flush_compound(&mut compound, &mut terms);
            let t = normalize(c.encode_utf8(&mut [0; 4]));
            if keep(&t) {
                terms.push(t);
            }
            after_joiner = false;
        } else if is_word_char(c) {
            if word.is_empty() && !after_joiner {
                flush_compound(&mut compound, &mut terms);
            }
            word.push(c);
            after_joiner = false;
        } else {
            let had_word = !word.is_empty();
            if had_word {
                push_word(&mut word, &mut compound, &mut terms);
            }
            if is_joiner(c) && had_word {
                after_joiner = true;
            } else {
                after_joiner = false;
                flush_compound(&mut compound, &mut terms);
            }
        }
    }
    terms
}

fn push_word(word: &mut String, compound: &mut Vec<String>, terms: &mut Vec<String>) {
    let t = normalize(word);
    word.clear();
    if keep(&t) {
        terms.push(t.clone());
    }
    if !t.is_empty() {
        compound.push(t);
    }
}

/// One passage of a section: the anchor it links to and its text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Passage(pub usize, pub String);

/// What the browser shows for a section result (`docs/<i>.js`).
#[derive(Debug, Clone, Serialize)]
pub struct SectionDoc {
    /// Title.
    pub t: String,
    /// Page URL relative to the site root, percent-encoded.
    pub u: String,
    /// Anchors: (fragment, label). Index 0 is the page itself (`""`).
    pub a: Vec<(String, String)>,
    /// Passages: (anchor index, text).
    pub p: Vec<Passage>,
}

/// The built index: shards keyed by term prefix, and the section docs.
#[derive(Debug, Clone)]
pub struct SearchIndex {
    /// Shard keys in file order (shard `n` is `terms/<n>.js`).
    pub keys: Vec<String>,
    /// Per shard: term → flat postings `[section delta, passage, score, ...]`.
    pub shards: Vec<BTreeMap<String, Vec<u32>>>,
    pub docs: Vec<SectionDoc>,
}

/// Splits text into passages of about [`PASSAGE_CHARS`] at sentence ends.
fn passages(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let words: Vec<&str> = text.split_whitespace().collect();
    for w in words {
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(w);
        let n = cur.chars().count();
        let sentence_end = w.ends_with(['.', '!', '?', '。', '！', '？', ':']);
        if (n >= PASSAGE_CHARS && sentence_end) || n >= PASSAGE_CHARS * 3 / 2 {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// One section's passages with the terms of each, weighted by field.
struct Analysed {
    doc: SectionDoc,
    /// term → (score, passage) of the best passage for that term.
    terms: HashMap<String, (f64, u32)>,
}

fn analyse(guide: &Guide, section: &Section) -> Analysed {
    let mut doc = SectionDoc { t: section.title.clone(), u: paths::encode_url_path(&section.page), a: vec![(String::new(), String::new())], p: Vec::new() };
    // Per passage: term → (max field weight, count).
    let mut per_passage: Vec<HashMap<String, (f64, u32)>> = Vec::new();
    let mut add = |doc: &mut SectionDoc, anchor: usize, text: String, fields: &[(Field, &str)]| {
        let mut terms: HashMap<String, (f64, u32)> = HashMap::new();
        for (field, source) in fields {
            for t in tokenize(source) {
                let e = terms.entry(t).or_insert((0.0, 0));
                e.0 = e.0.max(field.weight());
                e.1 += 1;
            }
        }
        doc.p.push(Passage(anchor, text));
        per_passage.push(terms);
    };

    let summary = section.summary.clone().unwrap_or_default();
    add(&mut doc, 0, summary.clone(), &[(Field::Title, &section.title), (Field::Summary, &summary)]);
    let symptoms: Vec<&crate::source::symptoms::Symptom> = section.symptom_ids().filter_map(|id| guide.symptoms.iter().find(|s| s.id == *id)).collect();
    if !symptoms.is_empty() {
        let labels = symptoms.iter().map(|s| s.label.as_str()).collect::<Vec<_>>().join("; ");
        let aliases = symptoms.iter().flat_map(|s| s.aliases.iter().map(String::as_str)).collect::<Vec<_>>().join("; ");
        let text = if aliases.is_empty() { format!("Fixes: {labels}") } else { format!("Fixes: {labels} ({aliases})") };
        add(&mut doc, 0, text, &[(Field::Symptom, &labels), (Field::Alias, &aliases)]);
    }
    let mut settings: Vec<&str> = section.settings.iter().map(|p| p.value.as_str()).collect();
    settings.extend(section.body.settings.iter().map(|(p, _)| p.as_str()));
    let mut seen = std::collections::HashSet::new();
    settings.retain(|p| seen.insert(*p));
    if !settings.is_empty() {
        let joined = settings.join("; ");
        add(&mut doc, 0, format!("Settings: {joined}"), &[(Field::Settings, &joined)]);
    }
    for chunk in &section.body.chunks {
        let anchor = match &chunk.heading {
            Some(h) => {
                doc.a.push((h.id.clone(), h.text.clone()));
                doc.a.len() - 1
            }
            None => 0,
        };
        let heading = chunk.heading.as_ref().map(|h| h.text.as_str()).unwrap_or("");
        let mut parts = passages(&chunk.text);
        if parts.is_empty() {
            parts.push(String::new());
        }
        for (k, part) in parts.into_iter().enumerate() {
            let fields: Vec<(Field, &str)> = if k == 0 { vec![(Field::Heading, heading), (Field::Body, &part)] } else { vec![(Field::Body, &part)] };
            add(&mut doc, anchor, part.clone(), &fields);
        }
    }
    for step in &section.body.steps {
        let Some(title) = &step.title else { continue };
        doc.a.push((step.anchor.clone(), format!("Step {}: {}", step.number, title.trim())));
        let anchor = doc.a.len() - 1;
        let text = passages(&step.text).into_iter().next().unwrap_or_default();
        add(&mut doc, anchor, text.clone(), &[(Field::StepTitle, title), (Field::Body, &text)]);
    }

    let mut terms: HashMap<String, (f64, u32)> = HashMap::new();
    for (i, passage_terms) in per_passage.into_iter().enumerate() {
        for (term, (weight, count)) in passage_terms {
            // Repeats add a little; the field decides most of the score.
            let score = weight + 0.5 * (count as f64).ln_1p();
            let e = terms.entry(term).or_insert((0.0, i as u32));
            if score > e.0 {
                *e = (score, i as u32);
            }
        }
    }
    Analysed { doc, terms }
}

/// Builds the index over every section of the guide. Pure and deterministic.
pub fn build(guide: &Guide) -> SearchIndex {
    let analysed: Vec<Analysed> = guide.sections.par_iter().map(|s| analyse(guide, s)).collect();
    let n = analysed.len().max(1) as f64;
    // term → [(score, section, passage)]
    let mut postings: BTreeMap<String, Vec<(u32, u32, u32)>> = BTreeMap::new();
    for (i, a) in analysed.iter().enumerate() {
        for (term, &(score, passage)) in &a.terms {
            postings.entry(term.clone()).or_default().push(((score * 100.0) as u32, i as u32, passage));
        }
    }
    let mut terms: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    // Passages some kept posting points at: only these are ever shown.
    let mut shown: std::collections::HashSet<(u32, u32)> = std::collections::HashSet::new();
    for (term, mut list) in postings {
        let idf = (1.0 + n / list.len() as f64).ln();
        list.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        list.truncate(MAX_POSTINGS);
        list.sort_by_key(|p| p.1);
        let mut flat = Vec::with_capacity(list.len() * 3);
        let mut prev = 0;
        for (raw, section, passage) in list {
            shown.insert((section, passage));
            let score = ((raw as f64 / 100.0) * idf * 10.0).round().max(1.0) as u32;
            flat.extend([section - prev, passage, score]);
            prev = section;
        }
        terms.insert(term, flat);
    }
    let (keys, shards) = shard(terms);
    let mut docs: Vec<SectionDoc> = analysed.into_iter().map(|a| a.doc).collect();
    // A passage no posting leads to is never an excerpt: drop its text (keep
    // the slot so passage numbers stay valid). At 10,000 sections most body
    // passages lose every posting to better ones, so doc files shrink a lot.
    for (i, doc) in docs.iter_mut().enumerate() {
        for (j, passage) in doc.p.iter_mut().enumerate().skip(1) {
            if !shown.contains(&(i as u32, j as u32)) {
                passage.1.clear();
            }
        }
    }
    SearchIndex { keys, shards, docs }
}

/// Approximate serialized size of one term's entry.
fn entry_size(term: &str, postings: &[u32]) -> usize {
    term.len() + 6 + postings.iter().map(|p| p.to_string().len() + 1).sum::<usize>()
}

fn prefix(term: &str, chars: usize) -> String {
    term.chars().take(chars).collect()
}

/// Groups terms by a prefix key: two characters, lengthened where a group
/// would exceed the budget. Terms no longer than a key stay in that key's
/// shard, so every term has exactly one shard: the longest key it starts with.
fn shard(terms: BTreeMap<String, Vec<u32>>) -> (Vec<String>, Vec<BTreeMap<String, Vec<u32>>>) {
    let mut out: Vec<(String, BTreeMap<String, Vec<u32>>)> = Vec::new();
    let mut groups: BTreeMap<String, BTreeMap<String, Vec<u32>>> = BTreeMap::new();
    for (term, p) in terms {
        groups.entry(prefix(&term, 2)).or_default().insert(term, p);
    }
    let mut stack: Vec<(String, BTreeMap<String, Vec<u32>>)> = groups.into_iter().collect();
    while let Some((key, group)) = stack.pop() {
        let size: usize = group.iter().map(|(t, p)| entry_size(t, p)).sum();
        let key_len = key.chars().count();
        let longer = group.keys().any(|t| t.chars().count() > key_len);
        if size <= SHARD_BUDGET || !longer {
            out.push((key, group));
            continue;
        }
        let mut own = BTreeMap::new();
        let mut children: BTreeMap<String, BTreeMap<String, Vec<u32>>> = BTreeMap::new();
        for (t, p) in group {
            if t.chars().count() <= key_len {
                own.insert(t, p);
            } else {
                children.entry(prefix(&t, key_len + 1)).or_default().insert(t, p);
            }
        }
        if !own.is_empty() {
            out.push((key, own));
        }
        stack.extend(children);
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out.into_iter().unzip()
}

/// The manifest the browser loads first (`index.js`).
#[derive(Debug, Serialize)]
pub struct Manifest<'a> {
    /// Format version, bumped when the layout changes.
    pub v: u32,
    /// Number of sections.
    pub n: usize,
    /// Shard keys; shard `i` is `terms/<i>.js`.
    pub k: &'a [String],
}

impl SearchIndex {
    pub fn manifest(&self) -> Manifest<'_> {
        Manifest { v: 1, n: self.docs.len(), k: &self.keys }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_fold_case_accents_and_join_compounds() {
        assert_eq!(tokenize("Turn Wi-Fi off"), ["turn", "wi", "fi", "wifi", "off"]);
        assert_eq!(tokenize("run ipconfig /flushdns."), ["run", "ipconfig", "flushdns"]);
        assert_eq!(tokenize("Café ÉTÉ"), ["cafe", "ete"]);
        assert_eq!(tokenize("don't"), ["don", "dont"]);
        assert_eq!(tokenize("ΟΔΟΣ"), ["οδοσ"]);
        assert_eq!(tokenize("com.apple.mail"), ["com", "apple", "mail", "comapplemail"]);
    }

    #[test]
    fn cjk_characters_are_terms_of_their_own() {
        assert_eq!(tokenize("ルーターを再起動"), ["ル", "ー", "タ", "ー", "を", "再", "起", "動"]);
        assert_eq!(tokenize("Wi-Fiが遅い"), ["wi", "fi", "wifi", "が", "遅", "い"]);
        // Full-width Latin folds to ASCII.
        assert_eq!(tokenize("ＤＮＳ"), ["dns"]);
    }

    #[test]
    fn passages_split_long_text_at_sentences() {
        let text = "One two three four five six. ".repeat(30);
        let parts = passages(&text);
        assert!(parts.len() > 3);
        assert!(parts.iter().all(|p| p.ends_with('.') && p.chars().count() <= PASSAGE_CHARS * 3 / 2 + 10), "{parts:?}");
        assert_eq!(parts.join(" "), text.trim());
    }

    fn guide(sections: &[(&str, &str)], symptoms: &str) -> Guide {
        let files = sections.iter().map(|(path, text)| crate::source::loader::SourceFile { path: path.to_string(), text: std::sync::Arc::from(*text) });
        let mut sections: Vec<Section> = files.map(|f| crate::content::model::parse_section(&f).0.expect("valid section")).collect();
        crate::content::model::sort_sections(&mut sections);
        Guide {
            config: crate::source::config::parse("title = \"T\"\n").expect("valid config"),
            symptoms: crate::source::symptoms::parse(symptoms).0,
            intro: None,
            folders: Vec::new(),
            sections,
            drafts: Vec::new(),
            unparsed: Vec::new(),
            assets: Vec::new(),
            theme: Vec::new(),
        }
    }

    /// (section, passage, score) postings of `term`, decoded.
    fn postings(index: &SearchIndex, term: &str) -> Vec<(u32, u32, u32)> {
        let shard = index.keys.iter().enumerate().filter(|(_, k)| term.starts_with(k.as_str())).max_by_key(|(_, k)| k.len()).unwrap().0;
        let flat = &index.shards[shard][term];
        let mut section = 0;
        flat.chunks(3)
            .map(|c| {
                section += c[0];
                (section, c[1], c[2])
            })
            .collect()
    }

    #[test]
    fn titles_symptoms_and_settings_outrank_body_text() {
        let g = guide(
            &[
                ("a.md", "---\ntitle: Router notes\n---\nThe channel matters a lot here.\n"),
                ("b.md", "---\ntitle: Pick a channel\n---\nSome text.\n"),
                ("c.md", "---\ntitle: Other\nsymptoms: [x]\nsettings: [\"Wireless > Channel\"]\n---\nBody.\n"),
            ],
            "symptoms:\n  - id: x\n    label: Dead zone\n    aliases: [no signal]\n",
        );
        let index = build(&g);
        let titles: Vec<&str> = index.docs.iter().map(|d| d.t.as_str()).collect();
        let score = |term: &str, title: &str| {
            let i = titles.iter().position(|t| *t == title).unwrap() as u32;
            postings(&index, term).into_iter().find(|p| p.0 == i).map(|p| p.2).unwrap_or(0)
        };
        assert!(score("channel", "Pick a channel") > 3 * score("channel", "Router notes"));
        assert!(score("channel", "Other") > 3 * score("channel", "Router notes"), "settings path");
        assert!(score("dead", "Other") > 0 && score("signal", "Other") > 0, "symptom label and alias");
        // The body match points at the passage holding it, with the page as anchor.
        let i = titles.iter().position(|t| *t == "Router notes").unwrap();
        let (_, passage, _) = postings(&index, "channel").into_iter().find(|p| p.0 == i as u32).unwrap();
        assert!(index.docs[i].p[passage as usize].1.contains("channel matters"));
    }

    #[test]
    fn shards_split_by_longer_keys_and_every_term_has_one_home() {
        let mut terms = BTreeMap::new();
        for i in 0..3000 {
            terms.insert(format!("st{}", i), vec![1, 0, 5]);
        }
        terms.insert("st".to_string(), vec![2, 0, 1]);
        terms.insert("ab".to_string(), vec![2, 0, 1]);
        let (keys, shards) = shard(terms);
        assert!(keys.len() > 3, "{keys:?}");
        for (key, shard) in keys.iter().zip(&shards) {
            let size: usize = shard.iter().map(|(t, p)| entry_size(t, p)).sum();
            assert!(size <= SHARD_BUDGET || shard.keys().all(|t| t.chars().count() <= key.chars().count() + 1));
            for t in shard.keys() {
                let longest = keys.iter().filter(|k| t.starts_with(k.as_str())).max_by_key(|k| k.len()).unwrap();
                assert_eq!(longest, key, "{t} is in the shard of the longest key it starts with");
            }
        }
        assert!(keys.contains(&"st".to_string()) && keys.contains(&"ab".to_string()));
    }
}
