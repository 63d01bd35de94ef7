//! The search index, built at build time and read by `search.js` in the
//! browser. It must work from `file://`, where only classic `<script>`
//! elements can load data (no fetch, XHR, modules, workers or WASM), and a
//! reader must not download the whole index of a 10,000-section guide for one
//! query. So the index is split:
//!
//! - `_fixbook/search/index.js`: the manifest: section count, analyser,
//!   term-shard keys and vocabulary-shard keys (a few KB);
//! - `_fixbook/search/terms/<n>.js`: one shard per key, mapping every term that
//!   starts with the key to its postings (section, passage, score and fields);
//! - `_fixbook/search/vocab/<n>.js`: terms grouped by their 2nd and 3rd
//!   characters, with document frequency and the word as written, so a query
//!   with a wrong first letter still finds its term, and for "did you mean";
//! - `_fixbook/search/docs/<i>.js`: one file per section with its title, URL,
//!   folder, anchors and the text passages used for excerpts.
//!
//! Ranking is BM25F, computed here since every statistic it needs (field
//! lengths, document frequencies) is known at build time: each posting's
//! score is the term's whole contribution to its section, so the browser only
//! adds scores. Recall: a section whose title, symptom label or alias,
//! settings path, heading or step title holds a term is always in that term's
//! postings; only body/summary-only postings are pruned, by score, beyond
//! [`BODY_POSTINGS`] per term, to keep the bytes of a query bounded.
//!
//! Terms are made by [`text`] (tokens, stop words, Snowball stems), which
//! `static/text.js` mirrors. Why not an existing engine: pagefind cannot run
//! from `file://` (ES modules, fetch and WASM), and MiniSearch or elasticlunr
//! need the whole index in the browser (megabytes at 10,000 sections); see
//! ARCHITECTURE.md.
//!
//! Memory: sections are analysed in parallel batches; each batch's term
//! strings are interned into one vocabulary at once and dropped, so what is
//! held for the whole guide is one compact [`Posting`] per (term, section).

pub mod text;

use std::collections::{BTreeMap, HashMap};

use rayon::prelude::*;
use serde::Serialize;

use crate::content::model::{Guide, Section};
use crate::paths;
pub use text::{Analyzer, is_cjk, normalize, tokenize};

/// Where the index files go in the output.
pub const DIR: &str = "_fixbook/search";
/// Upper bound (bytes, before compression) a shard grows to before it is
/// split by a longer key. Small enough that a query typed key by key stays
/// under 150 KB at 10,000 sections, large enough to keep the manifest short.
pub const SHARD_BUDGET: usize = 12 * 1024;
/// Body-only postings kept per term, the best-scoring first. Postings from
/// titles, symptoms, settings paths and headings are never dropped.
pub const BODY_POSTINGS: usize = 100;
/// Target length of a text passage (an excerpt shown under a result).
const PASSAGE_CHARS: usize = 200;
/// Text passages a section's doc file keeps besides passage 0.
const PASSAGES: usize = 3;
/// Sections analysed per batch before their terms are interned.
const BATCH: usize = 256;

/// The fields of a section, in posting order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Title = 0,
    Symptom = 1,
    Alias = 2,
    Settings = 3,
    Heading = 4,
    Summary = 5,
    Body = 6,
}
const FIELDS: usize = 7;

/// BM25F weight and length-normalisation strength (b) per field. Titles and
/// symptom labels count most; body text least, and its length is normalised
/// hardest so a long page does not win by saying a word often.
const WEIGHT: [f64; FIELDS] = [8.0, 6.0, 4.0, 4.0, 3.0, 2.0, 1.0];
const B: [f64; FIELDS] = [0.5, 0.4, 0.4, 0.3, 0.5, 0.5, 0.75];
/// BM25 term-frequency saturation.
const K1: f64 = 1.2;

/// Flag bits of a posting's last value (`score * 4 + flags`).
pub const FLAG_TITLE: u32 = 1;
pub const FLAG_LABEL: u32 = 2;

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
    /// Folder label ("" at the top level).
    pub f: String,
    /// Anchors: (fragment, label). Index 0 is the page itself (`""`).
    pub a: Vec<(String, String)>,
    /// Passages of text (never metadata): (anchor index, text). Passage 0 is
    /// the summary or the first text, shown when only the title matched.
    pub p: Vec<Passage>,
}

/// A vocabulary entry: term, document frequency, the word as first written.
#[derive(Debug, Clone, Serialize)]
pub struct VocabEntry(pub String, pub u32, pub String);

/// The built index: shards keyed by term prefix, vocabulary shards, docs.
#[derive(Debug, Clone)]
pub struct SearchIndex {
    pub analyzer: Analyzer,
    /// Shard keys in file order (shard `n` is `terms/<n>.js`).
    pub keys: Vec<String>,
    /// Per shard: term → flat postings `[section delta, passage, score*4+flags, ...]`.
    pub shards: Vec<BTreeMap<String, Vec<u32>>>,
    /// Vocabulary shard keys (2nd and 3rd characters) in file order.
    pub vocab_keys: Vec<String>,
    pub vocab: Vec<Vec<VocabEntry>>,
    pub docs: Vec<SectionDoc>,
}

/// Splits text into passages of about [`PASSAGE_CHARS`] at sentence ends.
fn passages(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for w in text.split_whitespace() {
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

/// What one section contributes to one term.
#[derive(Clone)]
struct Hit {
    tf: [u16; FIELDS],
    /// Best text passage for the term, and how good it is.
    passage: u32,
    passage_rank: u32,
    /// The word as written where first seen.
    surface: String,
}

/// One section, analysed: its doc, field lengths and terms.
struct Analysed {
    doc: SectionDoc,
    lengths: [u32; FIELDS],
    hits: HashMap<String, Hit>,
}

struct Analysis {
    analyzer: Analyzer,
    doc: SectionDoc,
    lengths: [u32; FIELDS],
    hits: HashMap<String, Hit>,
}

impl Analysis {
    /// Counts the terms of `source` in `field`; `passage` is the text
    /// passage they belong to (None for metadata), `rank` how well a match
    /// there shows the term (heading above body).
    fn add(&mut self, field: Field, source: &str, passage: Option<u32>, rank: u32) {
        for token in tokenize(source) {
            let Some(term) = self.analyzer.term(&token) else { continue };
            self.lengths[field as usize] += 1;
            let hit = self.hits.entry(term).or_insert_with(|| Hit { tf: [0; FIELDS], passage: 0, passage_rank: 0, surface: token });
            hit.tf[field as usize] = hit.tf[field as usize].saturating_add(1);
            if let Some(p) = passage
                && rank > hit.passage_rank
            {
                hit.passage = p;
                hit.passage_rank = rank;
            }
        }
    }

    fn passage(&mut self, anchor: usize, text: String) -> u32 {
        self.doc.p.push(Passage(anchor, text));
        (self.doc.p.len() - 1) as u32
    }
}

fn folder_label(source: &str) -> String {
    let folder = source.rsplit_once('/').map(|(f, _)| f).unwrap_or("");
    folder.rsplit('/').next().unwrap_or("").replace(['-', '_'], " ")
}

fn analyse(guide: &Guide, analyzer: Analyzer, section: &Section) -> Analysed {
    let doc = SectionDoc {
        t: section.title.clone(),
        u: paths::encode_url_path(&section.page),
        f: folder_label(&section.source),
        a: vec![(String::new(), String::new())],
        p: Vec::new(),
    };
    let mut an = Analysis { analyzer, doc, lengths: [0; FIELDS], hits: HashMap::new() };

    // Passage 0: the summary, else the first text (filled in below).
    let summary = section.summary.clone().unwrap_or_default();
    let first = an.passage(0, summary.clone());
    an.add(Field::Title, &section.title, None, 0);
    an.add(Field::Summary, &summary, Some(first), 2);
    for id in section.symptom_ids() {
        if let Some(s) = guide.symptoms.iter().find(|s| s.id == *id) {
            an.add(Field::Symptom, &s.label, None, 0);
            for alias in &s.aliases {
                an.add(Field::Alias, alias, None, 0);
            }
        }
    }
    let mut seen = std::collections::HashSet::new();
    for path in section.settings.iter().map(|p| p.value.as_str()).chain(section.body.settings.iter().map(|(p, _)| p.as_str())) {
        if seen.insert(path) {
            an.add(Field::Settings, path, None, 0);
        }
    }
    for chunk in &section.body.chunks {
        let anchor = match &chunk.heading {
            Some(h) => {
                an.doc.a.push((h.id.clone(), h.text.clone()));
                an.doc.a.len() - 1
            }
            None => 0,
        };
        let first_of_chunk = an.doc.p.len() as u32;
        for (k, part) in passages(&chunk.text).into_iter().enumerate() {
            let p = if an.doc.p[0].1.is_empty() && anchor == 0 && k == 0 && summary.is_empty() {
                an.doc.p[0].1 = part.clone();
                0
            } else {
                an.passage(anchor, part.clone())
            };
            an.add(Field::Body, &part, Some(p), 1);
        }
        if let Some(h) = &chunk.heading {
            // A heading match shows the heading's first passage.
            let p = (an.doc.p.len() as u32 > first_of_chunk).then_some(first_of_chunk);
            an.add(Field::Heading, &h.text, p, 3);
        }
    }
    for step in &section.body.steps {
        let Some(title) = &step.title else { continue };
        an.doc.a.push((step.anchor.clone(), format!("Step {}: {}", step.number, title.trim())));
        let anchor = an.doc.a.len() - 1;
        let text = passages(&step.text).into_iter().next().unwrap_or_default();
        let p = an.passage(anchor, text.clone());
        an.add(Field::Heading, title, Some(p), 3);
        an.add(Field::Body, &text, Some(p), 1);
    }
    if an.doc.p[0].1.is_empty()
        && let Some(i) = an.doc.p.iter().position(|p| !p.1.is_empty())
    {
        an.doc.p[0].1 = an.doc.p[i].1.clone();
    }
    Analysed { doc: an.doc, lengths: an.lengths, hits: an.hits }
}

/// One (term, section) pair, compact: what is held for the whole guide.
#[derive(Clone, Copy)]
struct Posting {
    term: u32,
    section: u32,
    passage: u32,
    tf: [u16; FIELDS],
}

/// Builds the index over every section of the guide. Pure and deterministic.
pub fn build(guide: &Guide) -> SearchIndex {
    let analyzer = Analyzer::for_language(&guide.config.language);
    let n = guide.sections.len();
    let mut ids: HashMap<String, u32> = HashMap::new();
    // Per term id: the term, its surface form, and the rank of that form's
    // section (first section in reading order wins, so output is stable).
    let mut vocab: Vec<(String, String)> = Vec::new();
    let mut postings: Vec<Posting> = Vec::new();
    let mut lengths: Vec<[u32; FIELDS]> = Vec::with_capacity(n);
    let mut docs: Vec<SectionDoc> = Vec::with_capacity(n);
    for (b, batch) in guide.sections.chunks(BATCH).enumerate() {
        let analysed: Vec<Analysed> = batch.par_iter().map(|s| analyse(guide, analyzer, s)).collect();
        for (k, a) in analysed.into_iter().enumerate() {
            let section = (b * BATCH + k) as u32;
            let mut hits: Vec<(String, Hit)> = a.hits.into_iter().collect();
            hits.sort_unstable_by(|x, y| x.0.cmp(&y.0));
            for (term, hit) in hits {
                let id = match ids.get(&term) {
                    Some(&id) => id,
                    None => {
                        let id = vocab.len() as u32;
                        vocab.push((term.clone(), hit.surface));
                        ids.insert(term, id);
                        id
                    }
                };
                // A title match links to the page itself, not a heading.
                let passage = if hit.tf[Field::Title as usize] > 0 { 0 } else { hit.passage };
                postings.push(Posting { term: id, section, passage, tf: hit.tf });
            }
            lengths.push(a.lengths);
            docs.push(a.doc);
        }
    }
    drop(ids);
    let avg: Vec<f64> = (0..FIELDS).map(|f| (lengths.iter().map(|l| l[f] as f64).sum::<f64>() / n.max(1) as f64).max(1.0)).collect();
    postings.sort_unstable_by_key(|p| (p.term, p.section));

    let mut terms: BTreeMap<String, Vec<u32>> = BTreeMap::new();
    // Per term id: its kept (section, passage, value) postings.
    type Kept = Vec<(u32, u32, u32)>;
    let mut kept: Vec<(u32, Kept)> = Vec::new();
    let mut vocab_groups: BTreeMap<String, Vec<VocabEntry>> = BTreeMap::new();
    // Per section, the passages kept postings point at, with the best score
    // pointing there: the [`PASSAGES`] best are shown, the rest fall back to
    // passage 0, so a doc file stays small whatever the section's length.
    let mut shown: Vec<Vec<(u32, u32)>> = vec![Vec::new(); n];
    for run in postings.chunk_by(|a, b| a.term == b.term) {
        let (term, surface) = &vocab[run[0].term as usize];
        let df = run.len() as f64;
        // Never zero: a word every section has still ranks by field.
        let idf = (1.0 + n as f64 / df).ln();
        let mut scored: Vec<(u32, u32, u32, bool)> = run
            .iter()
            .map(|p| {
                let l = &lengths[p.section as usize];
                let tf: f64 = (0..FIELDS).map(|f| WEIGHT[f] * p.tf[f] as f64 / (1.0 - B[f] + B[f] * l[f] as f64 / avg[f])).sum();
                let score = idf * tf * (K1 + 1.0) / (K1 + tf);
                let mut flags = 0;
                if p.tf[Field::Title as usize] > 0 {
                    flags |= FLAG_TITLE;
                }
                if p.tf[Field::Symptom as usize] > 0 || p.tf[Field::Alias as usize] > 0 {
                    flags |= FLAG_LABEL;
                }
                let meta = (0..=Field::Heading as usize).any(|f| p.tf[f] > 0);
                (p.section, p.passage, ((score * 20.0).round().max(1.0) as u32) * 4 + flags, meta)
            })
            .collect();
        let body_only = scored.iter().filter(|p| !p.3).count();
        if body_only > BODY_POSTINGS {
            let mut body: Vec<u32> = scored.iter().filter(|p| !p.3).map(|p| p.2).collect();
            body.sort_unstable_by(|a, b| b.cmp(a));
            let threshold = body[BODY_POSTINGS - 1];
            // Ties at the threshold: keep the first in reading order.
            let mut at_threshold = BODY_POSTINGS - body.iter().take(BODY_POSTINGS).filter(|&&s| s > threshold).count();
            scored.retain(|p| {
                if p.3 || p.2 > threshold {
                    return true;
                }
                if p.2 == threshold && at_threshold > 0 {
                    at_threshold -= 1;
                    return true;
                }
                false
            });
        }
        for &(section, passage, value, _) in &scored {
            shown[section as usize].push((passage, value >> 2));
        }
        kept.push((run[0].term, scored.into_iter().map(|(s, p, v, _)| (s, p, v)).collect()));
        if term.chars().count() >= 3 {
            let key: String = term.chars().skip(1).take(2).collect();
            let written = if surface == term { String::new() } else { surface.clone() };
            vocab_groups.entry(key).or_default().push(VocabEntry(term.clone(), run.len() as u32, written));
        }
    }
    drop(postings);
    // Which passages each section shows: 0 and the best others.
    let keep: Vec<Vec<u32>> = shown
        .into_iter()
        .map(|mut list| {
            list.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
            list.dedup_by_key(|p| p.0);
            list.retain(|p| p.0 != 0);
            list.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            let mut ids: Vec<u32> = list.into_iter().take(PASSAGES).map(|p| p.0).collect();
            ids.sort_unstable();
            ids
        })
        .collect();
    for (term, list) in kept {
        let mut flat = Vec::with_capacity(list.len() * 3);
        let mut prev = 0;
        for (section, passage, value) in list {
            let passage = if keep[section as usize].binary_search(&passage).is_ok() { passage } else { 0 };
            flat.extend([section - prev, passage, value]);
            prev = section;
        }
        terms.insert(vocab[term as usize].0.clone(), flat);
    }
    // A passage no posting leads to is never an excerpt: drop its text (keep
    // the slot so passage numbers stay valid). Passage 0 is always kept.
    for (doc, keep) in docs.iter_mut().zip(&keep) {
        for (j, passage) in doc.p.iter_mut().enumerate().skip(1) {
            if keep.binary_search(&(j as u32)).is_err() {
                passage.1.clear();
            }
        }
        let p0 = &mut doc.p[0].1;
        if p0.chars().count() > PASSAGE_CHARS {
            *p0 = p0.chars().take(PASSAGE_CHARS).collect::<String>() + "…";
        }
    }
    let (keys, shards) = shard(terms);
    let (vocab_keys, vocab): (Vec<String>, Vec<Vec<VocabEntry>>) = vocab_groups.into_iter().unzip();
    SearchIndex { analyzer, keys, shards, vocab_keys, vocab, docs }
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
    /// Analyser: `"en"` (stop words and English stems) or `""` (neither).
    pub s: &'static str,
    /// Shard keys; shard `i` is `terms/<i>.js`.
    pub k: &'a [String],
    /// Vocabulary keys (2nd and 3rd characters); shard `i` is `vocab/<i>.js`.
    pub w: &'a [String],
}

impl SearchIndex {
    pub fn manifest(&self) -> Manifest<'_> {
        Manifest { v: 2, n: self.docs.len(), s: self.analyzer.name(), k: &self.keys, w: &self.vocab_keys }
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

    /// (section, passage, score, flags) postings of `term`, decoded.
    fn postings(index: &SearchIndex, term: &str) -> Vec<(u32, u32, u32, u32)> {
        let shard = index.keys.iter().enumerate().filter(|(_, k)| term.starts_with(k.as_str())).max_by_key(|(_, k)| k.len()).unwrap().0;
        let Some(flat) = index.shards[shard].get(term) else { return Vec::new() };
        let mut section = 0;
        flat.chunks(3)
            .map(|c| {
                section += c[0];
                (section, c[1], c[2] >> 2, c[2] & 3)
            })
            .collect()
    }

    fn score(index: &SearchIndex, term: &str, title: &str) -> u32 {
        let i = index.docs.iter().position(|d| d.t == title).unwrap() as u32;
        postings(index, term).into_iter().find(|p| p.0 == i).map(|p| p.2).unwrap_or(0)
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
        assert!(score(&index, "channel", "Pick a channel") > score(&index, "channel", "Router notes") * 3 / 2);
        assert!(score(&index, "channel", "Other") > score(&index, "channel", "Router notes"), "settings path");
        assert!(score(&index, "dead", "Other") > 0 && score(&index, "signal", "Other") > 0, "symptom label and alias");
        let other = index.docs.iter().position(|d| d.t == "Other").unwrap() as u32;
        assert_eq!(postings(&index, "dead").iter().find(|p| p.0 == other).unwrap().3, FLAG_LABEL);
        let pick = index.docs.iter().position(|d| d.t == "Pick a channel").unwrap() as u32;
        assert_eq!(postings(&index, "channel").iter().find(|p| p.0 == pick).unwrap().3, FLAG_TITLE);
        // The body match points at the passage holding it, with the page as anchor.
        let i = index.docs.iter().position(|d| d.t == "Router notes").unwrap();
        let (_, passage, _, _) = postings(&index, "channel").into_iter().find(|p| p.0 == i as u32).unwrap();
        assert!(index.docs[i].p[passage as usize].1.contains("channel matters"));
        // Metadata is never a passage: no "Settings:" or "Fixes:" text to show.
        assert!(index.docs.iter().all(|d| d.p.iter().all(|p| !p.1.contains("Wireless") && !p.1.contains("Dead zone"))));
    }

    #[test]
    fn stop_words_are_not_terms_and_words_are_stemmed() {
        let g = guide(&[("a.md", "---\ntitle: Clients are not getting addresses\n---\nRestarting the routers.\n")], "");
        let index = build(&g);
        let all: Vec<&String> = index.shards.iter().flat_map(|s| s.keys()).collect();
        for t in ["client", "get", "address", "restart", "router"] {
            assert!(all.contains(&&t.to_string()), "{t} in {all:?}");
        }
        for t in ["are", "not", "the", "clients", "getting"] {
            assert!(!all.contains(&&t.to_string()), "{t} in {all:?}");
        }
        // A guide in another language keeps every word as written.
        let mut g = g;
        g.config.language = "de".into();
        let index = build(&g);
        for t in ["clients", "not"] {
            assert!(index.shards.iter().any(|s| s.contains_key(t)), "{t}");
        }
    }

    #[test]
    fn no_cap_drops_a_title_match() {
        // 300 sections say "dns" in their body, many times; the one with DNS
        // in its title comes last in reading order and says it once.
        let mut files: Vec<(String, String)> =
            (0..300).map(|i| (format!("a{i:03}.md"), format!("---\ntitle: Page {i}\n---\ndns dns dns dns server setup {i}.\n"))).collect();
        files.push(("z.md".into(), "---\ntitle: Troubleshoot DNS resolution\n---\nSome text.\n".into()));
        files.push(("y.md".into(), "---\ntitle: Zone\n---\n## DNS records\n\nText.\n".into()));
        let refs: Vec<(&str, &str)> = files.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        let index = build(&guide(&refs, ""));
        let dns = postings(&index, "dns");
        assert!(dns.len() < 300, "body postings are pruned: {}", dns.len());
        assert!(score(&index, "dns", "Troubleshoot DNS resolution") > 0, "title match kept");
        assert!(score(&index, "dns", "Zone") > 0, "heading match kept");
        let best_body = (0..300).map(|i| score(&index, "dns", &format!("Page {i}"))).max().unwrap();
        assert!(score(&index, "dns", "Troubleshoot DNS resolution") > best_body, "{} vs {best_body}", score(&index, "dns", "Troubleshoot DNS resolution"));
    }

    #[test]
    fn long_pages_do_not_win_by_length() {
        let filler = "Other words about cables and lights here. ".repeat(400);
        let long = format!("---\ntitle: Everything\n---\n{}\n", format!("{filler} The firmware matters. ").repeat(6));
        let short = "---\ntitle: Update notes\n---\nUpdate the firmware, then check the firmware version.\n";
        let others: Vec<String> = (0..20).map(|i| format!("---\ntitle: Page {i}\n---\nShort text about something else {i}.\n")).collect();
        let mut files = vec![("long.md", long.as_str()), ("short.md", short)];
        let names: Vec<String> = (0..20).map(|i| format!("p{i}.md")).collect();
        files.extend(names.iter().map(String::as_str).zip(others.iter().map(String::as_str)));
        let index = build(&guide(&files, ""));
        assert!(score(&index, &text::stem("firmware"), "Update notes") > score(&index, &text::stem("firmware"), "Everything"));
    }

    #[test]
    fn vocabulary_groups_terms_by_their_second_and_third_letters() {
        let g = guide(&[("a.md", "---\ntitle: Printers\n---\nThe printer is offline.\n")], "");
        let index = build(&g);
        let i = index.vocab_keys.iter().position(|k| k == "ri").unwrap();
        let e = index.vocab[i].iter().find(|e| e.0 == "printer").unwrap();
        assert_eq!((e.1, e.2.as_str()), (1, "printers"), "df and the word as first written");
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
