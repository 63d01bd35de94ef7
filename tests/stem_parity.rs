//! The index builder (Rust, rust-stemmers) and the browser (text.js) must
//! turn every word into the same term, or a query misses what the index
//! holds. Both run here on one shared word list (tests/data/stem-words.txt),
//! the JS through node.

use std::io::Write;
use std::process::{Command, Stdio};

use fixbook::index::search::text::Analyzer;

const JS: &str = r#"
global.window = {};
require(process.argv[1]);
const t = window.fixbookText;
let input = '';
process.stdin.on('data', (d) => (input += d));
process.stdin.on('end', () => {
  const out = input.split('\n').filter(Boolean).map((w) => {
    const terms = t.tokenize(w).map((tok) => t.term(tok.t, 'en')).filter((x) => x !== null);
    return terms.join(' ');
  });
  process.stdout.write(out.join('\n') + '\n');
});
"#;

fn words() -> Vec<String> {
    let list = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/stem-words.txt")).expect("word list");
    list.lines().filter(|l| !l.starts_with('#') && !l.is_empty()).map(str::to_string).collect()
}

fn js_terms(inputs: &[String]) -> Vec<String> {
    let text_js = concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/static/text.js");
    let mut child = Command::new("node")
        .args(["-e", JS, text_js])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("node is needed for this test (apt-get install nodejs)");
    child.stdin.take().unwrap().write_all(inputs.join("\n").as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "node failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().lines().map(str::to_string).collect()
}

fn compare(inputs: &[String]) {
    let en = Analyzer::for_language("en");
    let rust: Vec<String> = inputs.iter().map(|w| en.terms(w).join(" ")).collect();
    let js = js_terms(inputs);
    assert_eq!(rust.len(), js.len());
    let diffs: Vec<String> =
        inputs.iter().zip(rust.iter().zip(&js)).filter(|(_, (r, j))| r != j).map(|(w, (r, j))| format!("{w}: rust {r:?}, js {j:?}")).collect();
    assert!(diffs.is_empty(), "{} of {} differ:\n{}", diffs.len(), inputs.len(), diffs.join("\n"));
}

#[test]
fn rust_and_js_stem_every_word_of_the_shared_list_alike() {
    let words = words();
    assert!(words.len() > 5000);
    compare(&words);
}

#[test]
fn rust_and_js_agree_on_stop_words_compounds_and_other_scripts() {
    let phrases: Vec<String> = [
        "Clients are not getting an IP address",
        "can't resolve names",
        "Wi-Fi keeps dropping",
        "ipconfig /flushdns",
        "Error 0x80070005 in C:\\Windows\\System32",
        "Café résumé naïve",
        "ルーターを再起動",
        "ΟΔΟΣ Straße",
        "The printer's queue is stuck",
        "YES yes Yelling you're",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    compare(&phrases);
}
