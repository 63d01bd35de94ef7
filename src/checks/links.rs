//! Links between files: sections that do not exist (or are drafts),
//! anchors that are on no heading or step, files missing from the guide, and
//! relative links that climb out of it. Markdown recorded every link with its
//! span; nothing is parsed here.

use std::collections::{HashMap, HashSet};

use crate::content::markdown::LinkTarget;
use crate::content::model::{Guide, Section};
use crate::diagnostics::{Code, Diagnostic, closest};

pub(super) fn check_links(guide: &Guide, out: &mut Vec<Diagnostic>) {
    let sections: HashMap<&str, &Section> = guide.sections.iter().map(|s| (s.source.as_str(), s)).collect();
    let drafts: HashSet<&str> = guide.drafts.iter().map(|s| s.source.as_str()).collect();
    let assets: HashSet<&str> = guide.assets.iter().map(|a| a.path.as_str()).collect();
    let intro = guide.intro.as_ref().map(|i| &i.body);
    let folders: HashSet<&str> = guide.folders.iter().map(|f| f.source.as_str()).collect();
    let folder_paths: HashSet<&str> = guide.folders.iter().map(|f| f.path.as_str()).collect();
    let checked = guide
        .sections
        .iter()
        .map(|s| (s.source.as_str(), &s.body))
        .chain(intro.map(|b| ("index.md", b)))
        .chain(guide.folders.iter().map(|f| (f.source.as_str(), &f.intro)));
    for (file, body) in checked {
        for link in &body.links {
            let span = link.span.clone();
            match &link.target {
                LinkTarget::Fragment(id) => {
                    if !body.ids.iter().any(|i| i == id) {
                        out.push(missing_anchor(file, span, id, "this page", &body.ids));
                    }
                }
                LinkTarget::Section { source, fragment } => {
                    if source == "index.md" || folders.contains(source.as_str()) {
                        continue;
                    }
                    match sections.get(source.as_str()) {
                        Some(target) => {
                            if let Some(id) = fragment
                                && !target.body.ids.iter().any(|i| i == id)
                            {
                                out.push(missing_anchor(file, span, id, &format!("`{source}`"), &target.body.ids));
                            }
                        }
                        // The target's own errors are reported already.
                        None if guide.unparsed.iter().any(|u| u == source) => {}
                        None if drafts.contains(source.as_str()) => out.push(
                            Diagnostic::warning(Code::LinkToDraft, file, span, format!("`{source}` is a draft and will not be published"))
                                .with_help("publish the target (remove `draft: true`) or remove the link"),
                        ),
                        None => {
                            let suggestion = closest(source, sections.keys().copied().filter(|s| *s != file));
                            out.push(
                                Diagnostic::error(Code::BrokenLink, file, span, format!("link to `{source}`, which does not exist"))
                                    .with_help_opt(suggestion.map(|s| format!("did you mean `{}`?", relative_from(file, s)))),
                            );
                        }
                    }
                }
                LinkTarget::File(path) => {
                    let generated = path.strip_suffix(".html").is_some_and(|stem| sections.contains_key(format!("{stem}.md").as_str()));
                    if folder_paths.contains(path.as_str()) {
                        // A folder with an `index.md` has a page, but `wifi` is not its address from `file://`.
                        let page = relative_from(file, &format!("{path}/index.md"));
                        out.push(
                            Diagnostic::error(Code::BrokenLink, file, span, format!("`{path}` is a folder, not a page of the guide"))
                                .with_help(format!("link to the folder's page instead: `{page}`")),
                        );
                    } else if !assets.contains(path.as_str()) && !generated && !path.ends_with('/') {
                        let what = if link.is_image { "image" } else { "file" };
                        out.push(
                            Diagnostic::error(Code::MissingFile, file, span, format!("{what} `{path}` does not exist in the guide"))
                                .with_help_opt(closest(path, assets.iter().copied()).map(|s| format!("did you mean `{}`?", relative_from(file, s)))),
                        );
                    }
                }
                LinkTarget::OutsideGuide(raw) => out.push(
                    Diagnostic::error(Code::LinkOutsideGuide, file, span, format!("`{raw}` points outside the guide folder"))
                        .with_help("the published site only contains files inside the guide; copy the file in or use a full https:// link"),
                ),
            }
        }
    }
}

fn missing_anchor(file: &str, span: std::ops::Range<usize>, id: &str, page: &str, ids: &[String]) -> Diagnostic {
    Diagnostic::error(Code::MissingAnchor, file, span, format!("no heading or step with id `#{id}` on {page}"))
        .with_help_opt(closest(id, ids.iter().map(String::as_str)).map(|s| format!("did you mean `#{s}`?")))
}

/// How `target` (guide-relative) is written from a file in another folder.
fn relative_from(file: &str, target: &str) -> String {
    let from: Vec<&str> = crate::paths::parent(file).split('/').filter(|s| !s.is_empty()).collect();
    let to: Vec<&str> = target.split('/').collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<&str> = vec![".."; from.len() - common];
    parts.extend(&to[common..]);
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_suggestions_are_written_from_the_linking_file() {
        assert_eq!(relative_from("a/b/c.md", "a/d.md"), "../d.md");
        assert_eq!(relative_from("x.md", "a/d.md"), "a/d.md");
    }
}
