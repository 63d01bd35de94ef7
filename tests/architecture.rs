//! The shape of `src/`, checked: every file is read, its `crate::…` and
//! `super::…` paths (use trees and paths in code alike) are turned into
//! arrows between top-level modules, and the test fails on
//!
//! - a module that has no place in `STAGES` (the map must stay complete);
//! - an arrow to the crate root (`lib.rs` is the face, not a module to lean on);
//! - an arrow that does not go to an earlier stage (lower pipeline stages
//!   never import later ones, and modules of one stage do not import each
//!   other), which also rules out every cycle between top-level modules;
//! - a cycle between the files of one folder (`mod.rs` aside, which declares
//!   its files and holds what they share).
//!
//! The checker's own unit tests feed it fake sources and graphs, so a
//! checker that cannot fail would fail them.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The pipeline's stages in order; a module may import modules of earlier
/// stages only. `lib.rs` and `main.rs` are the crate's face and not listed.
const STAGES: &[&[&str]] = &[
    // Primitives.
    &["escape", "paths", "slug", "timings"],
    &["diagnostics"],
    // load, config, front matter, catalog
    &["source"],
    // model, Markdown
    &["content"],
    &["checks"],
    &["index"],
    // OutputFile and the writer: below `site` so pages need no upward import.
    &["output"],
    &["site"],
    // The one place the stages are assembled.
    &["pipeline"],
    &["serve", "init", "import"],
];

/// A source file: its module path (`["site", "pages"]`; `mod.rs` is its
/// folder's module) and its text.
struct SourceFile {
    module: Vec<String>,
    text: String,
}

fn read_src(root: &Path) -> Vec<SourceFile> {
    let mut files = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel: Vec<String> = path.strip_prefix(root).unwrap().components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
                let mut module: Vec<String> = rel.clone();
                let last = module.pop().unwrap();
                let stem = last.trim_end_matches(".rs").to_string();
                if stem != "mod" {
                    module.push(stem);
                }
                files.push(SourceFile { module, text: std::fs::read_to_string(&path).unwrap() });
            }
        }
    }
    files.sort_by(|a, b| a.module.cmp(&b.module));
    files
}

/// The text with comments, string and char literals blanked out, so paths
/// named in docs or messages are not taken for imports.
fn code_only(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            out.push(' ');
        } else if c == 'r' && (next == Some('#') || next == Some('"')) && !chars.get(i.wrapping_sub(1)).is_some_and(|p| p.is_alphanumeric() || *p == '_') {
            // Raw string: r"…", r#"…"#.
            let mut j = i + 1;
            let mut hashes = 0;
            while chars.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if chars.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            j += 1;
            loop {
                if j >= chars.len() {
                    break;
                }
                if chars[j] == '"' && (0..hashes).all(|k| chars.get(j + 1 + k) == Some(&'#')) {
                    j += 1 + hashes;
                    break;
                }
                j += 1;
            }
            out.push_str("\"\"");
            i = j;
        } else if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
            out.push_str("\"\"");
        } else if c == '\'' && (chars.get(i + 2) == Some(&'\'') || (next == Some('\\') && chars.get(i + 3) == Some(&'\''))) {
            // A char literal (not a lifetime).
            i += if next == Some('\\') { 4 } else { 3 };
            out.push_str("' '");
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// Every path that starts with `crate::` or `super::` in `code`, resolved to
/// absolute module paths from `module` (the file's own module path; inline
/// `mod name { … }` blocks, such as tests, add to it). Use trees
/// (`crate::{a::b, c}`) are expanded.
fn references(module: &[String], code: &str) -> Vec<Vec<String>> {
    let chars: Vec<char> = code.chars().collect();
    let mut found = Vec::new();
    let mut depth = 0usize;
    // Inline modules open at this point: (name, brace depth inside them).
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let at_word_start = i == 0 || !(chars[i - 1].is_alphanumeric() || chars[i - 1] == '_' || chars[i - 1] == ':');
        let rest: String = chars[i..chars.len().min(i + 7)].iter().collect();
        match chars[i] {
            '{' => depth += 1,
            '}' => {
                depth = depth.saturating_sub(1);
                inline.retain(|(_, d)| *d <= depth);
            }
            _ => {}
        }
        if at_word_start && rest.starts_with("mod ") {
            let start = skip_space(&chars, i + 3);
            let mut end = start;
            while end < chars.len() && (chars[end].is_alphanumeric() || chars[end] == '_') {
                end += 1;
            }
            let brace = skip_space(&chars, end);
            if end > start && chars.get(brace) == Some(&'{') {
                inline.push((chars[start..end].iter().collect(), depth + 1));
                i = brace;
                continue;
            }
        }
        if at_word_start && (rest.starts_with("crate::") || rest.starts_with("super::")) {
            let here: Vec<String> = module.iter().cloned().chain(inline.iter().map(|(n, _)| n.clone())).collect();
            // `super` of module a::b is a; of a (`a/mod.rs` or `a.rs`) the root.
            let mut base = if rest.starts_with("crate::") { Vec::new() } else { here[..here.len().saturating_sub(1)].to_vec() };
            let mut j = i + 7;
            while chars[j..].iter().collect::<String>().starts_with("super::") {
                base.pop();
                j += 7;
            }
            let mut paths = Vec::new();
            let end = use_tree(&chars, j, base, &mut paths);
            found.extend(paths);
            // A use tree's braces are its own; skip them.
            i = end.max(i + 1);
        } else {
            i += 1;
        }
    }
    found
}

fn skip_space(chars: &[char], mut i: usize) -> usize {
    while i < chars.len() && chars[i].is_whitespace() {
        i += 1;
    }
    i
}

/// Reads a use tree (or a plain path) at `i` under `prefix`; pushes every
/// path it names; returns where it ends.
fn use_tree(chars: &[char], mut i: usize, prefix: Vec<String>, out: &mut Vec<Vec<String>>) -> usize {
    let mut path = prefix;
    loop {
        i = skip_space(chars, i);
        if chars.get(i) == Some(&'{') {
            i += 1;
            loop {
                i = skip_space(chars, i);
                match chars.get(i) {
                    Some('}') => return i + 1,
                    Some(',') => i += 1,
                    None => return i,
                    _ => i = use_tree(chars, i, path.clone(), out),
                }
            }
        }
        let start = i;
        while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
            i += 1;
        }
        if i == start {
            // `*` or something that is not a name: the path so far.
            if chars.get(i) == Some(&'*') {
                i += 1;
            }
            if !path.is_empty() {
                out.push(path);
            }
            return i;
        }
        let name: String = chars[start..i].iter().collect();
        if name != "self" {
            path.push(name);
        }
        if chars[i..].starts_with(&[':', ':']) {
            i += 2;
            continue;
        }
        // `as alias` ends the path.
        out.push(path);
        let after = skip_space(chars, i);
        if chars[after..].starts_with(&['a', 's', ' ']) {
            i = skip_space(chars, after + 2);
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
        }
        return i;
    }
}

/// Arrows between top-level modules, and between sibling files of a folder
/// (keyed by folder), with the files they come from.
#[derive(Default, Debug)]
struct Graph {
    top: BTreeMap<String, BTreeSet<String>>,
    /// An arrow to an item of the crate root: (from module, item).
    to_root: Vec<(String, String)>,
    siblings: BTreeMap<String, BTreeMap<String, BTreeSet<String>>>,
}

fn graph(files: &[SourceFile]) -> Graph {
    let top_modules: BTreeSet<String> = files.iter().filter_map(|f| f.module.first().cloned()).filter(|m| m != "lib" && m != "main").collect();
    // Per folder (`site`, `content/markdown`), the names of its files' modules.
    let mut folder_modules: BTreeMap<Vec<String>, BTreeSet<String>> = BTreeMap::new();
    for f in files.iter().filter(|f| f.module.len() >= 2) {
        let (name, folder) = f.module.split_last().unwrap();
        folder_modules.entry(folder.to_vec()).or_default().insert(name.clone());
    }
    let mut g = Graph::default();
    for f in files {
        let Some(from) = f.module.first() else { continue };
        // The crate's face: `lib.rs` declares the modules, `main.rs` is the CLI.
        if f.module.len() == 1 && (from == "lib" || from == "main") {
            continue;
        }
        g.top.entry(from.clone()).or_default();
        for path in references(&f.module, &code_only(&f.text)) {
            let Some(to) = path.first() else { continue };
            if !top_modules.contains(to) {
                g.to_root.push((f.module.join("::"), path.join("::")));
                continue;
            }
            if to != from {
                g.top.entry(from.clone()).or_default().insert(to.clone());
                continue;
            }
            // An arrow between two files of one folder.
            let Some((name, folder)) = f.module.split_last().filter(|_| f.module.len() >= 2) else { continue };
            let siblings = &folder_modules[folder];
            if path.len() > folder.len() && path.starts_with(folder) && siblings.contains(&path[folder.len()]) && path[folder.len()] != *name {
                g.siblings.entry(folder.join("/")).or_default().entry(name.clone()).or_default().insert(path[folder.len()].clone());
            }
        }
    }
    g
}

/// A cycle in `graph`, if any, as the list of nodes on it.
fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(node: &str, graph: &BTreeMap<String, BTreeSet<String>>, state: &mut BTreeMap<String, u8>, stack: &mut Vec<String>) -> Option<Vec<String>> {
        state.insert(node.to_string(), 1);
        stack.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            match state.get(next.as_str()).copied().unwrap_or(0) {
                1 => {
                    let at = stack.iter().position(|n| n == next).unwrap();
                    let mut cycle = stack[at..].to_vec();
                    cycle.push(next.clone());
                    return Some(cycle);
                }
                0 => {
                    if let Some(c) = visit(next, graph, state, stack) {
                        return Some(c);
                    }
                }
                _ => {}
            }
        }
        stack.pop();
        state.insert(node.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for node in graph.keys() {
        if state.get(node.as_str()).copied().unwrap_or(0) == 0
            && let Some(c) = visit(node, graph, &mut state, &mut Vec::new())
        {
            return Some(c);
        }
    }
    None
}

/// Everything wrong with `g` under `stages`, one line each.
fn violations(g: &Graph, stages: &[&[&str]]) -> Vec<String> {
    let stage_of = |m: &str| stages.iter().position(|s| s.contains(&m));
    let mut out = Vec::new();
    for (from, item) in &g.to_root {
        out.push(format!("`{from}` uses `crate::{item}` from the crate root; import it from its module"));
    }
    for (from, tos) in &g.top {
        let Some(from_stage) = stage_of(from) else {
            out.push(format!("module `{from}` has no stage in STAGES"));
            continue;
        };
        for to in tos {
            match stage_of(to) {
                None => out.push(format!("module `{to}` has no stage in STAGES")),
                Some(to_stage) if to_stage >= from_stage => {
                    out.push(format!("`{from}` (stage {from_stage}) imports `{to}` (stage {to_stage}): arrows go to earlier stages only"))
                }
                Some(_) => {}
            }
        }
    }
    if let Some(cycle) = find_cycle(&g.top) {
        out.push(format!("import cycle: {}", cycle.join(" → ")));
    }
    for (folder, graph) in &g.siblings {
        if let Some(cycle) = find_cycle(graph) {
            out.push(format!("import cycle in {folder}/: {}", cycle.join(" → ")));
        }
    }
    out
}

fn src_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

#[test]
fn src_has_no_cycle_and_no_upward_arrow() {
    let files = read_src(&src_dir());
    assert!(files.len() > 30, "read {} files", files.len());
    let g = graph(&files);
    let problems = violations(&g, STAGES);
    let picture: Vec<String> = g.top.iter().map(|(from, tos)| format!("{from} → {}", tos.iter().cloned().collect::<Vec<_>>().join(", "))).collect();
    assert!(problems.is_empty(), "{}\n\nthe graph:\n{}", problems.join("\n"), picture.join("\n"));
    // The stages named are the modules there are (no stale entries).
    let listed: BTreeSet<&str> = STAGES.iter().flat_map(|s| s.iter().copied()).collect();
    let present: BTreeSet<&str> = g.top.keys().map(String::as_str).collect();
    assert_eq!(listed, present, "STAGES and src/ disagree");
    println!("{}", picture.join("\n"));
}

#[test]
fn every_source_file_says_what_it_is_for() {
    for f in read_src(&src_dir()) {
        assert!(f.text.starts_with("//!"), "src/{} does not start with a `//!` comment", f.module.join("/"));
    }
}

// The checker itself.

fn module(path: &str) -> Vec<String> {
    path.split("::").filter(|s| !s.is_empty()).map(str::to_string).collect()
}

#[test]
fn paths_are_found_in_use_trees_and_code_but_not_in_comments_or_strings() {
    let code = code_only(
        "use crate::{a::b, c::{self, D}, e::*};\nuse super::{x, y as z};\n// crate::nope\nlet s = \"crate::nope\";\nlet c = '\"'; crate::f::g(1); super::super::h::I;\n/* crate::nope */ let r = r#\"crate::nope\"#;\n#[cfg(test)]\nmod tests {\n    use super::*;\n    fn t() { super::w(); }\n}\nsuper::v();",
    );
    let refs: Vec<String> = references(&module("site::pages"), &code).iter().map(|p| p.join("::")).collect();
    assert_eq!(refs, ["a::b", "c", "c::D", "e", "site::x", "site::y", "f::g", "h::I", "site::pages", "site::pages::w", "site::v"]);
}

#[test]
fn the_checker_reports_cycles_upward_arrows_unknown_modules_and_the_root() {
    let file = |m: &str, text: &str| SourceFile { module: module(m), text: text.to_string() };
    let stages: &[&[&str]] = &[&["low"], &["mid"], &["high"]];
    // A healthy graph: arrows to earlier stages only.
    let ok = [file("low", ""), file("mid", "use crate::low::X;"), file("high", "use crate::{mid, low::Y};")];
    assert_eq!(violations(&graph(&ok), stages), Vec::<String>::new());
    // An upward arrow, which closes a cycle.
    let bad = [file("low", "fn f() { crate::high::g() }"), file("mid", "use crate::low::X;"), file("high", "use crate::mid::Z;")];
    let found = violations(&graph(&bad), stages);
    assert!(found.iter().any(|v| v.contains("`low` (stage 0) imports `high` (stage 2)")), "{found:?}");
    assert!(found.iter().any(|v| v.starts_with("import cycle: ")), "{found:?}");
    // Same stage, unknown module, crate root.
    let odd = [file("low", ""), file("mid", "use crate::mid2::A;"), file("mid2", "use crate::compile;"), file("high", "")];
    let found = violations(&graph(&odd), &[&["low"], &["mid", "mid2"], &["high"]]);
    assert!(found.iter().any(|v| v.contains("`mid` (stage 1) imports `mid2` (stage 1)")), "{found:?}");
    assert!(found.iter().any(|v| v.contains("`mid2` uses `crate::compile` from the crate root")), "{found:?}");
    let found = violations(&graph(&ok), &[&["low"], &["mid"]]);
    assert_eq!(found, ["module `high` has no stage in STAGES"]);
}

#[test]
fn cycles_between_files_of_a_folder_are_reported() {
    let file = |m: &str, text: &str| SourceFile { module: module(m), text: text.to_string() };
    let files = [file("site", "mod a; mod b;"), file("site::a", "use super::b::X; use super::Shared;"), file("site::b", "use crate::site::a::Y;")];
    let found = violations(&graph(&files), &[&["site"]]);
    assert!(found.iter().any(|v| v.starts_with("import cycle in site/: a → b → a")), "{found:?}");
    let fine = [file("site", "mod a; mod b;"), file("site::a", "use super::b::X; use super::Shared;"), file("site::b", "")];
    assert_eq!(violations(&graph(&fine), &[&["site"]]), Vec::<String>::new());
}
