//! Search terms: the tokeniser, stop words and stemming shared by the index
//! builder and the browser. Everything here must match
//! `themes/default/static/text.js` exactly (`tests/stem_parity.rs` and
//! `tests/browser/text.test.mjs` hold both to one word list):
//!
//! - words are runs of letters, digits and marks; each word is folded with
//!   NFKD, accents (U+0300–U+036F) removed, NFC and lowercase; Han and kana
//!   characters are one term each (CJK text has no spaces); words joined by
//!   punctuation without a space (`Wi-Fi`, `/flushdns`, `com.apple.x`) also
//!   give the joined term;
//! - for an English guide, stop words ([`STOP_WORDS`]) are not terms, and a
//!   term of ASCII letters only is reduced to its Snowball English (Porter2)
//!   stem (`rust-stemmers` here, the same algorithm in text.js).

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Words too common to search by in English. Negations are here on purpose:
/// "dns not working" means "dns working" to an index. Same list as text.js.
pub const STOP_WORDS: &[&str] = &[
    "a",
    "about",
    "after",
    "again",
    "against",
    "all",
    "also",
    "am",
    "an",
    "and",
    "any",
    "are",
    "aren",
    "arent",
    "as",
    "at",
    "be",
    "because",
    "been",
    "before",
    "being",
    "both",
    "but",
    "by",
    "can",
    "cannot",
    "cant",
    "could",
    "couldnt",
    "did",
    "didnt",
    "do",
    "does",
    "doesnt",
    "doing",
    "dont",
    "during",
    "each",
    "either",
    "even",
    "ever",
    "for",
    "from",
    "further",
    "had",
    "hadnt",
    "has",
    "hasnt",
    "have",
    "havent",
    "having",
    "he",
    "her",
    "here",
    "hers",
    "herself",
    "him",
    "himself",
    "his",
    "how",
    "i",
    "if",
    "im",
    "in",
    "into",
    "is",
    "isnt",
    "it",
    "its",
    "itself",
    "ive",
    "just",
    "may",
    "me",
    "might",
    "must",
    "my",
    "myself",
    "neither",
    "no",
    "nor",
    "not",
    "of",
    "once",
    "onto",
    "or",
    "our",
    "ours",
    "own",
    "same",
    "shall",
    "she",
    "should",
    "so",
    "some",
    "such",
    "than",
    "that",
    "the",
    "their",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "too",
    "until",
    "upon",
    "very",
    "was",
    "wasnt",
    "we",
    "were",
    "werent",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "whose",
    "why",
    "will",
    "with",
    "wont",
    "would",
    "wouldnt",
    "yet",
    "you",
    "your",
    "youre",
    "yours",
    "yourself",
];

/// How a guide's words become terms: stemming and stop words are on for
/// English guides (language `en` or `en-…`), off for every other language.
#[derive(Debug, Clone, Copy)]
pub struct Analyzer {
    english: bool,
}

thread_local! {
    static STEMMER: Stemmer = Stemmer::create(Algorithm::English);
}

impl Analyzer {
    pub fn for_language(language: &str) -> Analyzer {
        let lang = language.to_ascii_lowercase();
        Analyzer { english: lang == "en" || lang.starts_with("en-") }
    }

    /// The manifest's name for this analyser (`"en"` or `""`), read by text.js.
    pub fn name(self) -> &'static str {
        if self.english { "en" } else { "" }
    }

    /// The index term of one token, or `None` for a stop word.
    pub fn term(self, token: &str) -> Option<String> {
        if !self.english {
            return Some(token.to_string());
        }
        if STOP_WORDS.binary_search(&token).is_ok() {
            return None;
        }
        Some(if stemmable(token) { stem(token) } else { token.to_string() })
    }

    /// Every index term of `text`, in order (stop words left out).
    pub fn terms(self, text: &str) -> Vec<String> {
        tokenize(text).into_iter().filter_map(|t| self.term(&t)).collect()
    }
}

/// Is a token stemmed? ASCII letters only, so numbers, codes and other
/// scripts stay as written.
fn stemmable(token: &str) -> bool {
    token.len() > 2 && token.bytes().all(|b| b.is_ascii_lowercase())
}

/// The Snowball English stem of a lowercase ASCII word.
pub fn stem(word: &str) -> String {
    STEMMER.with(|s| s.stem(word).into_owned())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stop_words_are_sorted_for_binary_search() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn english_terms_drop_stop_words_and_stem() {
        let en = Analyzer::for_language("en-GB");
        assert_eq!(en.terms("Clients are not getting an IP address"), ["client", "get", "ip", "address"]);
        assert_eq!(en.terms("Wi-Fi 0x80070005 ルーター"), ["wi", "fi", "wifi", "0x80070005", "ル", "ー", "タ", "ー"]);
        assert_eq!(Analyzer::for_language("ja").terms("the routers"), ["the", "routers"]);
    }
}
