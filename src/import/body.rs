//! Extension syntax of other tools, rewritten into Markdown fixbook renders:
//! MkDocs admonitions (`!!! warning "Title"`, collapsible `???`) and
//! Docusaurus admonitions (`:::tip Title` … `:::`) become GitHub alerts
//! (callouts); MkDocs content tabs (`=== "Tab"`) become a bold label and
//! their content; `{: #id }` heading ids become `{#id}`; DocFX
//! `[!INCLUDE […](file)]`, MkDocs snippets (`--8<-- "file"`) and MDX partials
//! (`import X from './_x.mdx'` + `<X />`) are inlined when the file is in
//! SRC, else dropped; `:::image …:::` becomes an image; DocFX `[!div]` lines
//! and MDX `import`/`export` lines go. Fenced code is left alone.

use std::collections::HashMap;

use super::Report;

fn text_of<'a>(src: &'a [(String, Vec<u8>)], path: &str) -> Option<&'a str> {
    src.iter().find(|(p, _)| p == path).and_then(|(_, b)| std::str::from_utf8(b).ok())
}

/// Joins a relative path onto a folder (`..` climbs; `None` above the root).
pub(super) fn join(folder: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = if rel.starts_with('/') { Vec::new() } else { folder.split('/').filter(|p| !p.is_empty()).collect() };
    for part in rel.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(f, _)| f)
}

/// GitHub alert kind for an admonition type of MkDocs/Docusaurus.
fn alert_kind(kind: &str) -> &'static str {
    match kind.to_ascii_lowercase().as_str() {
        "tip" | "hint" | "success" | "check" | "done" => "TIP",
        "important" => "IMPORTANT",
        "warning" | "caution" | "attention" => "WARNING",
        "danger" | "error" | "failure" | "fail" | "missing" | "bug" => "CAUTION",
        _ => "NOTE",
    }
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches([' ', '\t']).len()
}

fn strip_front_matter(text: &str) -> &str {
    match crate::source::frontmatter::split(text) {
        Ok(split) => &text[split.body_start..],
        Err(_) => text,
    }
}

/// Converts one page body. `source_path` is the page's path in SRC.
pub(super) fn convert(body: &str, source_path: &str, src: &[(String, Vec<u8>)], _includes_root: &str, report: &mut Report) -> String {
    convert_depth(body, source_path, src, report, 0)
}

fn convert_depth(body: &str, source_path: &str, src: &[(String, Vec<u8>)], report: &mut Report, depth: usize) -> String {
    let folder = parent(source_path);
    let lines: Vec<&str> = body.lines().collect();
    let mut out: Vec<String> = Vec::with_capacity(lines.len());
    let mut fence: Option<(String, usize)> = None;
    // MDX components imported from partial files: name → SRC path.
    let mut partials: HashMap<String, String> = HashMap::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let trimmed = line.trim_start();
        let indent = indent_of(line);
        if let Some((marker, _)) = &fence {
            if trimmed.starts_with(marker.as_str()) && trimmed.trim_end().chars().all(|c| c == marker.chars().next().unwrap_or('`')) {
                fence = None;
            }
            out.push(line.to_string());
            i += 1;
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            let c = trimmed.chars().next().unwrap_or('`');
            let n = trimmed.chars().take_while(|x| *x == c).count();
            fence = Some((c.to_string().repeat(n), indent));
            out.push(line.to_string());
            i += 1;
            continue;
        }
        // MkDocs admonitions and content tabs: a marker line, then content
        // indented four more spaces.
        let pad = " ".repeat(indent);
        if let Some((kind, title)) = mkdocs_admonition(trimmed) {
            let (content, next) = indented_block(&lines, i + 1, indent + 4);
            let inner = convert_depth(&content, source_path, src, report, depth);
            out.push(format!("{pad}> [!{}]", alert_kind(&kind)));
            if let Some(t) = title.filter(|t| !t.is_empty()) {
                out.push(format!("{pad}> **{t}**"));
                out.push(format!("{pad}>"));
            }
            out.extend(inner.lines().map(|l| if l.is_empty() { format!("{pad}>") } else { format!("{pad}> {l}") }));
            out.push(String::new());
            report.admonitions += 1;
            i = next;
            continue;
        }
        if let Some(tab) = trimmed.strip_prefix("===").and_then(|r| r.trim_start_matches('+').trim().strip_prefix('"')).and_then(|r| r.strip_suffix('"')) {
            let (content, next) = indented_block(&lines, i + 1, indent + 4);
            out.push(format!("{pad}**{tab}**"));
            out.push(String::new());
            out.extend(
                convert_depth(&content, source_path, src, report, depth).lines().map(|l| if l.is_empty() { String::new() } else { format!("{pad}{l}") }),
            );
            i = next;
            continue;
        }
        // Docusaurus admonitions: `:::kind[ title]` … `:::`.
        if let Some(rest) = trimmed.strip_prefix(":::")
            && let Some(kind) = rest.split([' ', '[', '{']).next().filter(|k| !k.is_empty() && k.chars().all(|c| c.is_ascii_alphabetic()))
            && !rest.starts_with("image")
        {
            let title = rest[kind.len()..].trim().trim_start_matches('[').trim_end_matches(']').trim().to_string();
            let mut j = i + 1;
            let mut content = Vec::new();
            while j < lines.len() && lines[j].trim() != ":::" {
                content.push(lines[j].get(indent.min(indent_of(lines[j]))..).unwrap_or(lines[j]));
                j += 1;
            }
            let inner = convert_depth(&content.join("\n"), source_path, src, report, depth);
            out.push(format!("{pad}> [!{}]", alert_kind(kind)));
            if !title.is_empty() {
                out.push(format!("{pad}> **{title}**"));
                out.push(format!("{pad}>"));
            }
            out.extend(inner.lines().map(|l| if l.is_empty() { format!("{pad}>") } else { format!("{pad}> {l}") }));
            out.push(String::new());
            report.admonitions += 1;
            i = j + 1;
            continue;
        }
        // DocFX image extension.
        if let Some(rest) = trimmed.strip_prefix(":::image ") {
            let attr = |name: &str| rest.split(&format!("{name}=\"")).nth(1).and_then(|r| r.split('"').next()).unwrap_or("").to_string();
            out.push(format!("{pad}![{}]({})", attr("alt-text").replace(['[', ']'], ""), attr("source")));
            i += 1;
            continue;
        }
        if trimmed.starts_with(":::image-end:::") || trimmed.starts_with("> [!div") || trimmed.starts_with(">[!div") {
            i += 1;
            continue;
        }
        // Includes: DocFX, MkDocs snippets, Markdown-include.
        if let Some(target) = include_target(trimmed) {
            let candidates = [super::body::join(folder, &target), Some(target.trim_start_matches('/').to_string())];
            match candidates.iter().flatten().find_map(|p| text_of(src, p).map(|t| (p.clone(), t))) {
                Some((path, text)) if depth < 4 => {
                    let inner = convert_depth(strip_front_matter(text), &path, src, report, depth + 1);
                    out.extend(inner.lines().map(|l| format!("{pad}{l}")));
                    report.includes_inlined += 1;
                }
                _ => report.includes_dropped += 1,
            }
            i += 1;
            continue;
        }
        // MDX: imports of partials, other imports and exports go.
        if indent == 0 && (trimmed.starts_with("import ") || trimmed.starts_with("export ")) && depth < 8 {
            if let Some((name, from)) = mdx_import(trimmed)
                && let Some(path) = join(folder, &from)
                && text_of(src, &path).is_some()
            {
                partials.insert(name, path);
            }
            i += 1;
            continue;
        }
        if let Some(name) = trimmed.strip_prefix('<').and_then(|r| r.trim_end().strip_suffix("/>")).map(str::trim)
            && let Some(path) = partials.get(name)
            && let Some(text) = text_of(src, path)
        {
            let inner = convert_depth(strip_front_matter(text), path, src, report, depth + 1);
            out.extend(inner.lines().map(|l| format!("{pad}{l}")));
            report.includes_inlined += 1;
            i += 1;
            continue;
        }
        out.push(attr_list_ids(line));
        i += 1;
    }
    let mut text = out.join("\n");
    text.push('\n');
    text
}

/// `!!! warning "Title"`, `??? note`, `???+ tip ""` → (kind, title).
fn mkdocs_admonition(line: &str) -> Option<(String, Option<String>)> {
    let rest = line.strip_prefix("!!!").or_else(|| line.strip_prefix("???+")).or_else(|| line.strip_prefix("???"))?;
    if !rest.starts_with(' ') {
        return None;
    }
    let rest = rest.trim();
    let kind: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect();
    if kind.is_empty() {
        return None;
    }
    let after = rest[kind.len()..].trim();
    let title = after.strip_prefix('"').and_then(|t| t.strip_suffix('"')).map(str::to_string);
    Some((kind, title))
}

/// Lines from `start` indented at least `min` (blank lines inside kept),
/// dedented; and the index after the block.
fn indented_block(lines: &[&str], start: usize, min: usize) -> (String, usize) {
    let mut j = start;
    let mut content = Vec::new();
    while j < lines.len() {
        let l = lines[j];
        if l.trim().is_empty() {
            content.push("");
            j += 1;
            continue;
        }
        if indent_of(l) < min {
            break;
        }
        content.push(&l[min.min(l.len())..]);
        j += 1;
    }
    while content.last() == Some(&"") {
        content.pop();
        j -= 1;
    }
    (content.join("\n"), j)
}

/// The file of an include line.
fn include_target(line: &str) -> Option<String> {
    let t = line.trim();
    if let Some(rest) = t.strip_prefix("[!INCLUDE").or_else(|| t.strip_prefix("[!include")) {
        let start = rest.find("](")? + 2;
        let end = rest[start..].find(')')? + start;
        return Some(rest[start..end].trim().to_string());
    }
    if let Some(rest) = t.strip_prefix("--8<--") {
        let r = rest.trim().trim_matches(['"', '\'']);
        return Some(r.to_string()).filter(|r| !r.is_empty());
    }
    if let Some(rest) = t.strip_prefix("{!").and_then(|r| r.strip_suffix("!}")) {
        return Some(rest.trim().to_string());
    }
    None
}

/// `import Name from './_x.mdx';` → (Name, ./_x.mdx), for Markdown partials only.
fn mdx_import(line: &str) -> Option<(String, String)> {
    let rest = line.strip_prefix("import ")?;
    let (name, from) = rest.split_once(" from ")?;
    let from = from.trim().trim_end_matches(';').trim_matches(['"', '\'']);
    let name = name.trim();
    (name.chars().all(|c| c.is_alphanumeric() || c == '_') && (from.ends_with(".md") || from.ends_with(".mdx"))).then(|| (name.to_string(), from.to_string()))
}

/// `## Title {: #id }` (attr_list) → `## Title {#id}`.
fn attr_list_ids(line: &str) -> String {
    if line.trim_start().starts_with('#')
        && let Some(open) = line.rfind("{:")
        && line.trim_end().ends_with('}')
    {
        let inner = &line[open + 2..line.trim_end().len() - 1];
        if let Some(id) = inner.split_whitespace().find_map(|p| p.strip_prefix('#')) {
            return format!("{}{{#{id}}}", &line[..open]);
        }
        return line[..open].trim_end().to_string();
    }
    line.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conv(body: &str, src: &[(&str, &str)]) -> (String, Report) {
        let src: Vec<(String, Vec<u8>)> = src.iter().map(|(p, t)| (p.to_string(), t.as_bytes().to_vec())).collect();
        let mut report = Report::default();
        (convert(body, "docs/a.md", &src, "", &mut report), report)
    }

    #[test]
    fn mkdocs_and_docusaurus_admonitions_become_alerts() {
        let (out, r) = conv(
            "!!! warning \"Back up first\"\n    Data is lost.\n\n    More.\n\nAfter.\n\n:::tip Quick way\nPress **F5**.\n:::\n\n??? info\n    Folded.\n",
            &[],
        );
        assert!(out.contains("> [!WARNING]\n> **Back up first**\n>\n> Data is lost.\n>\n> More.\n\n\nAfter."), "{out}");
        assert!(out.contains("> [!TIP]\n> **Quick way**\n>\n> Press **F5**."), "{out}");
        assert!(out.contains("> [!NOTE]\n> Folded."), "{out}");
        assert_eq!(r.admonitions, 3);
    }

    #[test]
    fn code_fences_are_left_alone_and_includes_inlined_or_dropped() {
        let (out, r) = conv(
            "```\n!!! note\n    x\n```\n[!INCLUDE [t](inc/x.md)]\n[!INCLUDE [t](../../missing.md)]\n",
            &[("docs/inc/x.md", "---\ntitle: x\n---\nIncluded text.\n")],
        );
        assert!(out.contains("```\n!!! note\n    x\n```"), "{out}");
        assert!(out.contains("Included text.") && !out.contains("title: x"), "{out}");
        assert_eq!((r.includes_inlined, r.includes_dropped), (1, 1));
    }

    #[test]
    fn mdx_partials_images_tabs_and_heading_ids() {
        let (out, _) = conv(
            "import Steps from './_steps.mdx';\nimport Link from '@site/src/x';\n\n<Steps />\n\n:::image type=\"content\" source=\"media/a.png\" alt-text=\"The dialog\":::\n\n=== \"Linux\"\n    apt install x\n\n## Setup {: #setup-id }\n",
            &[("docs/_steps.mdx", "Partial step.\n")],
        );
        assert!(out.contains("Partial step.") && !out.contains("import"), "{out}");
        assert!(out.contains("![The dialog](media/a.png)"), "{out}");
        assert!(out.contains("**Linux**\n\napt install x"), "{out}");
        assert!(out.contains("## Setup {#setup-id}"), "{out}");
    }
}
