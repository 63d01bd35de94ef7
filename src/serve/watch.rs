//! Watching the guide folder: debounced file events become rebuilds; each
//! rebuild is published and the open pages it changed are told to reload.

use std::path::Path;
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use notify_debouncer_full::DebounceEventResult;

use super::{Builder, Shared, Snapshot, next_snapshot};
use crate::diagnostics;
use crate::escape::terminal;
use crate::source::{config, symptoms};

/// File events closer together than this are one change (editors write a
/// file in several steps, or save to a temporary file and rename it).
pub const DEBOUNCE: Duration = Duration::from_millis(15);

/// Rebuilds after every batch of file events until the watcher stops.
pub(super) fn rebuild_on_changes(rx: &mpsc::Receiver<DebounceEventResult>, dir: &Path, builder: &mut Builder, shared: &Shared, color: bool) {
    while let Ok(first) = rx.recv() {
        let mut results = vec![first];
        results.extend(rx.try_iter());
        let mut relevant = false;
        let mut everything = false;
        let mut edited: Vec<String> = Vec::new();
        let mut others: Vec<String> = Vec::new();
        for result in results {
            match result {
                Ok(events) => {
                    for event in events {
                        if matches!(event.kind, notify_debouncer_full::notify::EventKind::Access(_)) {
                            continue;
                        }
                        for path in &event.paths {
                            match classify(dir, path) {
                                Change::Ignored => {}
                                Change::Source(rel) => {
                                    relevant = true;
                                    if !edited.contains(&rel) {
                                        edited.push(rel);
                                    }
                                }
                                Change::Other(rel) => {
                                    relevant = true;
                                    everything = true;
                                    if !others.contains(&rel) {
                                        others.push(rel);
                                    }
                                }
                            }
                        }
                    }
                }
                Err(errors) => {
                    for e in errors {
                        eprintln!("warning: file watching: {e}");
                    }
                    relevant = true;
                }
            }
        }
        if relevant {
            edited.sort();
            others.sort();
            rebuild(builder, shared, color, everything, &edited, &others);
        }
    }
}

enum Change {
    /// Hidden files, editor backups and swap files: not part of the guide.
    Ignored,
    /// Markdown, guide.toml, symptoms.yml (path relative to the guide): pages
    /// that change say so themselves.
    Source(String),
    /// Theme overrides and assets (path relative to the guide): any page may
    /// show them.
    Other(String),
}

fn classify(root: &Path, path: &Path) -> Change {
    let Ok(rel) = path.strip_prefix(root) else { return Change::Ignored };
    let parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    let Some(name) = parts.last() else { return Change::Source(String::new()) };
    if parts.iter().any(|p| p.starts_with('.')) || name.ends_with('~') || name == "4913" || name.ends_with(".swp") {
        return Change::Ignored;
    }
    let rel = parts.join("/");
    if rel.ends_with(".md") || rel == config::FILE_NAME || rel == symptoms::FILE_NAME { Change::Source(rel) } else { Change::Other(rel) }
}

/// Rebuilds, publishes the result and tells open pages; reports on stderr
/// what changed, what was rebuilt and how long it took.
/// An edit to a few sections is published twice: first those sections' own
/// pages (`Builder::preview_edits`), then the whole checked and re-rendered
/// site (pages that list the section, search data, print page, or the error
/// overlay); each time only the open pages whose bytes changed reload.
pub(super) fn rebuild(builder: &mut Builder, shared: &Shared, color: bool, everything: bool, edited: &[String], others: &[String]) {
    let started = Instant::now();
    let previous = shared.current();
    let first = previous.generation == 0;
    // Files parsed afresh for this change: by the preview, then by the build.
    let mut reparsed: Vec<String> = Vec::new();
    if !first
        && !everything
        && previous.errors.is_none()
        && let Some(pages) = builder.preview_edits(edited)
    {
        let mut files = (*previous.files).clone();
        for page in pages {
            files.insert(page.path, Arc::from(page.bytes));
        }
        shared.publish(Snapshot { generation: previous.generation + 1, files: Arc::new(files), assets: previous.assets.clone(), errors: None });
        let told = shared.notify(false);
        eprintln!("updated {} in {} ({told} open page(s) reloaded)", terminal(&edited.join(", "), ""), millis(started.elapsed()));
        reparsed.extend(edited.iter().cloned());
    }
    let checked = match builder.build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot read guide folder: {}", terminal(&e.to_string(), ""));
            return;
        }
    };
    let mut compiled = checked.compiled;
    let next = next_snapshot(&shared.current(), &compiled);
    let failed = next.errors.is_some();
    // Against the snapshot before this change, so a page the preview already
    // published counts as changed.
    let pages_changed = changed_pages(&previous, &next);
    shared.publish(next);
    let told = shared.notify(everything);
    let ms = millis(started.elapsed());
    let warnings = compiled.diagnostics.iter().filter(|d| !d.is_error()).count();
    // The same warnings after every save would bury what changed.
    if compiled.diagnostics != builder.printed {
        if !compiled.diagnostics.is_empty() {
            eprint!("{}", diagnostics::render_human(&compiled.diagnostics, &compiled.sources, color));
        }
        builder.printed = compiled.diagnostics.clone();
    }
    if failed {
        let errors = compiled.diagnostics.len() - warnings;
        eprintln!(
            "build has {errors} error(s) and {warnings} warning(s) ({ms}); {}",
            if first { "nothing to serve until they are fixed" } else { "still serving the last good build" }
        );
    } else if first {
        eprintln!("built {} pages in {ms} ({warnings} warning(s))", next_pages(&compiled));
    } else {
        let mut changed: Vec<String> = edited.iter().chain(others).cloned().collect();
        changed.sort();
        let cause = if changed.is_empty() { "the guide folder".to_string() } else { names(&changed) };
        reparsed.extend(checked.reparsed.iter().cloned());
        reparsed.sort();
        reparsed.dedup();
        let reparsed = match reparsed.len() {
            0 => "no file re-parsed".to_string(),
            n => format!("{n} file(s) re-parsed ({})", names(&reparsed)),
        };
        eprintln!(
            "rebuilt in {ms} after {} changed: {}, {pages_changed} of {} page(s) changed, {told} open page(s) reloaded ({warnings} warning(s))",
            terminal(&cause, ""),
            terminal(&reparsed, ""),
            next_pages(&compiled),
        );
    }
    builder.set_last_good(&mut compiled);
}

/// Pages (`.html`) of `next` that are new or differ from `before`'s.
fn changed_pages(before: &Snapshot, next: &Snapshot) -> usize {
    next.files.iter().filter(|&(key, bytes)| key.ends_with(".html") && before.files.get(key) != Some(bytes)).count()
}

/// `a.md, b.md`: at most five names, then how many more.
fn names(files: &[String]) -> String {
    match files.len() {
        0..=5 => files.join(", "),
        n => format!("{} and {} more", files[..5].join(", "), n - 5),
    }
}

fn next_pages(compiled: &crate::pipeline::Compiled) -> usize {
    compiled.files.as_ref().map_or(0, |f| f.iter().filter(|f| f.path.ends_with(".html")).count())
}

fn millis(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lists_of_names_are_cut_after_five() {
        let files: Vec<String> = (1..=7).map(|i| format!("s{i}.md")).collect();
        assert_eq!(names(&files[..2]), "s1.md, s2.md");
        assert_eq!(names(&files), "s1.md, s2.md, s3.md, s4.md, s5.md and 2 more");
    }

    #[test]
    fn editor_droppings_are_ignored_and_theme_changes_reload_everything() {
        let root = Path::new("/g");
        assert!(matches!(classify(root, Path::new("/g/a/b.md")), Change::Source(p) if p == "a/b.md"));
        assert!(matches!(classify(root, Path::new("/g/.a.md.swp")), Change::Ignored));
        assert!(matches!(classify(root, Path::new("/g/.git/index")), Change::Ignored));
        assert!(matches!(classify(root, Path::new("/g/a.md~")), Change::Ignored));
        assert!(matches!(classify(root, Path::new("/g/theme/static/style.css")), Change::Other(p) if p == "theme/static/style.css"));
        assert!(matches!(classify(root, Path::new("/elsewhere/a.md")), Change::Ignored));
    }
}
