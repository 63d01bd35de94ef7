//! The writer: the only part of fixbook that writes to disk. It builds the
//! whole site in a staging folder and swaps it in only when every file is
//! written, so a failed or killed build leaves the previous site intact, and
//! after the swap it deletes the previous site: once `build` returns, no copy
//! of a site exists beside OUT. It refuses to replace a folder that fixbook
//! did not create, and an OUT that contains the guide.
//!
//! The staging folder is fresh, next to OUT (`staging.rs`), unless a cache
//! folder is named (`--cache-dir`, or `.fixbook/cache` inside a guide that
//! has `.fixbook/`): there the previous site is kept and rewritten in place,
//! which reuses inodes (deleting and creating thousands of files is what
//! costs most on ext4). Nothing is ever written through a symlink: staging
//! is fresh, or the cached copy is stripped of links first.
//!
//! Files in OUT that fixbook did not write (listed in the marker's manifest)
//! are the user's: carried into the new site and named in the summary
//! (`previous.rs`).

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

pub use super::error::WriteError;
use super::error::io;
use super::previous::{self, Foreign, MARKER_HEAD};
use super::staging::{self, Staging, overwrite};
use crate::source::loader::{self, AssetFile};

/// Marks a folder as fixbook output; only such folders are ever replaced,
/// and the loader never reads one as part of a guide.
pub const MARKER: &str = loader::OUTPUT_MARKER;

/// True when `out` may be replaced: missing, empty, or marked as ours. A
/// symbolic link (`-o link` or `-o link/`, which would resolve it) is
/// refused: fixbook never writes through one.
pub fn may_replace(out: &Path) -> Result<bool, WriteError> {
    // `link/` names what the link points to; look at the link itself.
    let itself: PathBuf = out.components().collect();
    if let Ok(meta) = std::fs::symlink_metadata(&itself)
        && meta.file_type().is_symlink()
    {
        let target = std::fs::read_link(&itself).unwrap_or_default();
        return Err(WriteError::Link { out: out.to_path_buf(), target });
    }
    match std::fs::symlink_metadata(out) {
        Err(_) => Ok(true),
        Ok(meta) if !meta.is_dir() => Err(WriteError::NotADirectory(out.to_path_buf())),
        Ok(_) => {
            if out.join(MARKER).is_file() {
                return Ok(true);
            }
            let mut entries = std::fs::read_dir(out).map_err(io(out))?;
            Ok(entries.next().is_none())
        }
    }
}

/// Refuses an `out` that is the guide folder or contains it (the swap would
/// move the guide out of the way and delete it).
pub fn check_outside_guide(out: &Path, guide: &Path) -> Result<(), WriteError> {
    let (Ok(guide_real), out_abs) = (guide.canonicalize(), absolute(out)) else { return Ok(()) };
    // OUT may not exist yet: resolve its nearest existing ancestor.
    let mut existing = out_abs.as_path();
    let mut rest = Vec::new();
    while std::fs::symlink_metadata(existing).is_err() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return Ok(()),
        }
    }
    let Ok(mut out_real) = existing.canonicalize() else { return Ok(()) };
    out_real.extend(rest.iter().rev());
    if guide_real.starts_with(&out_real) {
        return Err(WriteError::ContainsGuide { out: out.to_path_buf(), guide: guide.to_path_buf() });
    }
    Ok(())
}

/// Where a cache folder may keep the previous site: `--cache-dir`, else
/// `.fixbook/cache` when the guide has a `.fixbook/` folder (`init` makes it
/// and lists `.fixbook/cache/` in `.gitignore`; the loader skips hidden
/// folders).
pub fn default_cache_dir(guide: &Path) -> Option<PathBuf> {
    let dot = guide.join(".fixbook");
    std::fs::symlink_metadata(&dot).is_ok_and(|m| m.is_dir()).then(|| dot.join("cache"))
}

/// What a finished write did besides writing the site.
#[derive(Debug, Default, Clone)]
pub struct Written {
    /// Files of the new site.
    pub files: usize,
    /// Files and links in OUT that fixbook did not write, kept in place.
    pub kept: Vec<String>,
    /// Files and links in OUT that fixbook did not write, replaced by a
    /// file (or folder) of the new site; a link's target is never touched.
    pub replaced: Vec<String>,
    /// Folders fixbook made that it could not delete, with why.
    pub leftovers: Vec<(PathBuf, String)>,
}

/// A site being written file by file (from any number of threads) into the
/// staging folder; `finish` swaps it in. Dropped without `finish`, `out` is
/// untouched and a fresh staging folder is removed. This lets a build write
/// each page as soon as it is rendered instead of holding the whole site in
/// memory.
pub struct SiteWriter {
    staging: Staging,
    out: PathBuf,
    cache_dir: Option<PathBuf>,
    /// Leftovers of earlier builds that could not be removed.
    leftovers: Vec<(PathBuf, String)>,
    /// Every path written so far, relative to the site root.
    written: Mutex<HashSet<String>>,
    /// Folders known to exist in the staging folder.
    folders: Mutex<HashSet<String>>,
}

impl SiteWriter {
    /// Checks that `out` may be replaced and claims a fresh staging folder.
    pub fn begin(out: &Path) -> Result<SiteWriter, WriteError> {
        SiteWriter::begin_with(out, None)
    }

    /// `begin`, keeping the previous site in `cache_dir` for the next build.
    pub fn begin_with(out: &Path, cache_dir: Option<&Path>) -> Result<SiteWriter, WriteError> {
        if !may_replace(out)? {
            return Err(WriteError::NotOurs(out.to_path_buf()));
        }
        let out = absolute(out);
        let (parent, _) = staging::parent_and_name(&out);
        std::fs::create_dir_all(&parent).map_err(io(&parent))?;
        let leftovers = staging::remove_leftovers(&out);
        let cache_dir = cache_dir.map(absolute);
        let staging = staging::claim(&out, cache_dir.as_deref(), MARKER_HEAD.as_bytes())?;
        Ok(SiteWriter { staging, out, cache_dir, leftovers, written: Mutex::default(), folders: Mutex::default() })
    }

    /// Writes one file of the site (`path` relative to the site root).
    pub fn write(&self, path: &str, bytes: &[u8]) -> Result<(), WriteError> {
        self.place(path, |target| overwrite(target, bytes))
    }

    /// Copies a file of the guide into the site unchanged: the file the
    /// loader checked, opened without following a link (`loader::open_asset`),
    /// never whatever the path leads to by now.
    pub fn copy_asset(&self, asset: &AssetFile) -> Result<(), WriteError> {
        let source = loader::open_asset(asset).map_err(|error| WriteError::Asset { path: asset.path.clone(), error })?;
        self.place(&asset.path, |target| {
            use std::io::Seek;
            let mut from = &source;
            from.rewind()?;
            // Not O_TRUNC, as in `overwrite`: a reused file is cut to length after.
            let mut to = std::fs::OpenOptions::new().write(true).create(true).truncate(false).open(target)?;
            let len = std::io::copy(&mut from, &mut to)?;
            to.set_len(len)
        })
    }

    fn place(&self, path: &str, put: impl Fn(&Path) -> std::io::Result<()>) -> Result<(), WriteError> {
        let root = &self.staging.path;
        let target = root.join(path);
        let folder = crate::paths::parent(path);
        let known = folder.is_empty() || self.folders.lock().expect("writer lock").contains(folder);
        let attempt = || -> std::io::Result<()> {
            if !known {
                std::fs::create_dir_all(root.join(folder))?;
            }
            put(&target)
        };
        if attempt().is_err() {
            // A reused cached site may have a file where this one needs a
            // folder, or the other way round: clear the way and retry once.
            clear_way(root, path);
            attempt().map_err(io(&target))?;
        }
        if !known {
            self.folders.lock().expect("writer lock").insert(folder.to_string());
        }
        self.written.lock().expect("writer lock").insert(path.to_string());
        Ok(())
    }

    /// Carries the user's files over from the previous site, writes the
    /// marker with the list of written files, swaps the new site into place
    /// and deletes (or caches) the previous one.
    pub fn finish(self) -> Result<Written, WriteError> {
        let SiteWriter { staging, out, cache_dir, mut leftovers, written, .. } = self;
        let written = written.into_inner().expect("writer lock");
        let mut dirs: HashSet<&str> = HashSet::new();
        for path in &written {
            let mut d = crate::paths::parent(path);
            while !d.is_empty() && dirs.insert(d) {
                d = crate::paths::parent(d);
            }
        }
        if staging.reused {
            remove_stale(&staging.path, &written, &dirs)?;
        }
        let mut report = Written { files: written.len(), ..Written::default() };
        for (rel, entry) in previous::foreign_entries(&out).map_err(io(&out))? {
            let label = match &entry {
                Foreign::File(_) => rel.clone(),
                Foreign::Link(to) => format!("{rel} (a link to {})", to.display()),
            };
            if previous::collides(&rel, &written, &dirs) {
                report.replaced.push(label);
                continue;
            }
            let target = staging.path.join(&rel);
            previous::carry(&entry, &target).map_err(io(&target))?;
            report.kept.push(label);
        }
        let mut list: Vec<&str> = written.iter().map(String::as_str).collect();
        list.sort_unstable();
        let marker = staging.path.join(MARKER);
        overwrite(&marker, previous::marker_text(&list).as_bytes()).map_err(io(&marker))?;
        leftovers.extend(staging::swap_into_place(staging, &out, cache_dir.as_deref())?);
        report.leftovers = leftovers;
        Ok(report)
    }
}

/// Makes room for `path` under `root`: removes a file standing where one of
/// its folders must go, and a folder standing where the file must go.
fn clear_way(root: &Path, path: &str) {
    let mut prefix = PathBuf::from(root);
    let parts: Vec<&str> = path.split('/').collect();
    for part in &parts[..parts.len().saturating_sub(1)] {
        prefix.push(part);
        if std::fs::symlink_metadata(&prefix).is_ok_and(|m| !m.is_dir()) {
            let _ = std::fs::remove_file(&prefix);
        }
    }
    let target = root.join(path);
    if std::fs::symlink_metadata(&target).is_ok_and(|m| m.is_dir()) {
        let _ = std::fs::remove_dir_all(&target);
    }
}

/// Deletes what the cached older site has and the new one does not: files
/// not `written` (the marker aside), folders not in `dirs`.
fn remove_stale(root: &Path, written: &HashSet<String>, dirs: &HashSet<&str>) -> Result<(), WriteError> {
    let mut walker = walkdir::WalkDir::new(root).min_depth(1).follow_links(false).into_iter();
    while let Some(entry) = walker.next() {
        let entry = entry.map_err(|e| WriteError::Io { path: root.to_path_buf(), error: e.into() })?;
        let rel: String =
            entry.path().strip_prefix(root).unwrap_or(entry.path()).components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
        if entry.file_type().is_dir() {
            if !dirs.contains(rel.as_str()) {
                std::fs::remove_dir_all(entry.path()).map_err(io(entry.path()))?;
                walker.skip_current_dir();
            }
        } else if rel != MARKER && !written.contains(&rel) {
            std::fs::remove_file(entry.path()).map_err(io(entry.path()))?;
        }
    }
    Ok(())
}

pub(crate) fn absolute(path: &Path) -> PathBuf {
    if path.is_absolute() { path.to_path_buf() } else { std::env::current_dir().map(|d| d.join(path)).unwrap_or_else(|_| path.to_path_buf()) }
}

/// Creates `dir` (or uses it when it exists and is empty) and writes `files`
/// into it, never replacing anything: `fixbook init` must not clobber a
/// contributor's work (nor `fixbook import` an existing guide). Fails with
/// `AlreadyExists` when `dir` is not empty.
pub fn create_new_folder<P: AsRef<str>, B: AsRef<[u8]>>(dir: &Path, files: &[(P, B)]) -> std::io::Result<usize> {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(std::io::Error::new(std::io::ErrorKind::AlreadyExists, format!("{} is not empty", dir.display())));
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => std::fs::create_dir_all(dir)?,
        Err(e) => return Err(e),
    }
    for (rel, bytes) in files {
        let path = dir.join(rel.as_ref());
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        use std::io::Write;
        std::fs::OpenOptions::new().write(true).create_new(true).open(&path)?.write_all(bytes.as_ref())?;
    }
    Ok(files.len())
}

#[cfg(test)]
mod tests {
    use rayon::prelude::*;

    use super::*;
    use crate::output::OutputFile;

    /// Writes `files` and copies `assets` into `out`, atomically replacing it.
    fn write_site_with(out: &Path, cache: Option<&Path>, files: &[OutputFile], assets: &[AssetFile]) -> Result<Written, WriteError> {
        let writer = SiteWriter::begin_with(out, cache)?;
        files.par_iter().try_for_each(|file| writer.write(&file.path, &file.bytes))?;
        assets.par_iter().try_for_each(|asset| writer.copy_asset(asset))?;
        writer.finish()
    }

    fn write_site(out: &Path, files: &[OutputFile], assets: &[AssetFile]) -> Result<Written, WriteError> {
        write_site_with(out, None, files, assets)
    }

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile { path: path.into(), bytes: text.as_bytes().to_vec() }
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        names
    }

    #[test]
    fn writes_then_replaces_its_own_output_and_leaves_nothing_beside_it() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &[file("a/b.html", "one"), file("index.html", "i")], &[]).unwrap();
        assert_eq!(std::fs::read_to_string(out.join("a/b.html")).unwrap(), "one");
        write_site(&out, &[file("index.html", "two")], &[]).unwrap();
        assert_eq!(std::fs::read_to_string(out.join("index.html")).unwrap(), "two");
        assert!(!out.join("a/b.html").exists(), "stale pages are gone");
        assert_eq!(names(dir.path()), vec!["public".to_string()]);
        let marker = std::fs::read_to_string(out.join(MARKER)).unwrap();
        assert!(marker.starts_with(MARKER_HEAD) && marker.ends_with("\nindex.html\n"), "{marker}");
    }

    fn tree(root: &Path) -> Vec<(String, String)> {
        let mut files: Vec<(String, String)> = walkdir::WalkDir::new(root)
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| !e.file_type().is_dir())
            .map(|e| {
                let rel = e.path().strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
                let text = if e.path_is_symlink() {
                    format!("-> {}", std::fs::read_link(e.path()).unwrap().display())
                } else {
                    std::fs::read_to_string(e.path()).unwrap()
                };
                (rel, text)
            })
            .filter(|(rel, _)| rel != MARKER)
            .collect();
        files.sort();
        files
    }

    #[test]
    fn a_cached_site_rewritten_in_place_leaves_exactly_the_new_site() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let cache = dir.path().join("cache");
        let build = |files: &[OutputFile]| write_site_with(&out, Some(&cache), files, &[]).unwrap();
        build(&[file("a/b.html", "a long first version"), file("x/y/z.html", "z"), file("index.html", "1")]);
        build(&[file("index.html", "2")]);
        assert!(cache.join("site").join(MARKER).is_file(), "the previous site is kept in the cache");
        // The cache now holds build 1: `a` was a folder and becomes a file,
        // `x/y` goes away, and shorter content must not keep old bytes.
        build(&[file("a", "now a file"), file("index.html", "3"), file("a2/b.html", "short")]);
        let expected = vec![("a".to_string(), "now a file".to_string()), ("a2/b.html".into(), "short".into()), ("index.html".into(), "3".into())];
        assert_eq!(tree(&out), expected);
        build(&[file("a/b.html", "x")]);
        assert_eq!(tree(&out), vec![("a/b.html".to_string(), "x".to_string())]);
        assert!(out.join(MARKER).is_file());
        assert_eq!(names(dir.path()), vec!["cache".to_string(), "public".to_string()], "nothing beside OUT");
    }

    #[test]
    fn leftovers_of_killed_builds_are_removed_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        // What a build killed mid-way leaves: a marked staging folder.
        for name in [".public.fixbook-new-AbC123", ".public.fixbook-scratch", ".public.fixbook-old-xyz"] {
            std::fs::create_dir_all(dir.path().join(name).join("sub")).unwrap();
            std::fs::write(dir.path().join(name).join(MARKER), MARKER_HEAD).unwrap();
            std::fs::write(dir.path().join(name).join("sub/page.html"), "old").unwrap();
        }
        // Not ours: no marker, or another output's name.
        std::fs::create_dir(dir.path().join(".public.fixbook-new-mine")).unwrap();
        std::fs::write(dir.path().join(".public.fixbook-new-mine/keep.txt"), "mine").unwrap();
        std::fs::create_dir(dir.path().join(".other.fixbook-new-1")).unwrap();
        std::fs::write(dir.path().join(".other.fixbook-new-1").join(MARKER), "x").unwrap();
        let report = write_site(&out, &[file("index.html", "1")], &[]).unwrap();
        assert!(report.leftovers.is_empty(), "{:?}", report.leftovers);
        assert_eq!(names(dir.path()), vec![".other.fixbook-new-1".to_string(), ".public.fixbook-new-mine".into(), "public".into()]);
        assert_eq!(std::fs::read_to_string(dir.path().join(".public.fixbook-new-mine/keep.txt")).unwrap(), "mine");
    }

    #[test]
    fn a_staging_folder_a_running_build_holds_is_not_removed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let first = SiteWriter::begin(&out).unwrap();
        first.write("index.html", b"first").unwrap();
        write_site(&out, &[file("index.html", "second")], &[]).unwrap();
        first.finish().unwrap();
        assert_eq!(std::fs::read_to_string(out.join("index.html")).unwrap(), "first");
        assert_eq!(names(dir.path()), vec!["public".to_string()]);
    }

    #[test]
    fn files_the_user_added_to_out_are_kept_and_named() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &[file("index.html", "1"), file("a/b.html", "b")], &[]).unwrap();
        std::fs::write(out.join("CNAME"), "docs.example.com\n").unwrap();
        std::fs::write(out.join("a/extra.txt"), "mine").unwrap();
        std::fs::write(out.join("a/b.html"), "edited by hand").unwrap();
        for n in ["2", "3"] {
            let report = write_site(&out, &[file("index.html", n), file("a/b.html", "b")], &[]).unwrap();
            assert_eq!(report.kept, vec!["CNAME".to_string(), "a/extra.txt".into()]);
            assert!(report.replaced.is_empty());
        }
        assert_eq!(std::fs::read_to_string(out.join("CNAME")).unwrap(), "docs.example.com\n");
        assert_eq!(std::fs::read_to_string(out.join("a/b.html")).unwrap(), "b", "a page fixbook wrote is fixbook's");
        // A user file where the new site needs a folder: the site wins, named.
        std::fs::write(out.join("docs"), "a file").unwrap();
        let report = write_site(&out, &[file("index.html", "4"), file("docs/x.html", "x")], &[]).unwrap();
        assert_eq!(report.replaced, vec!["docs".to_string()]);
        assert_eq!(report.kept, vec!["CNAME".to_string(), "a/extra.txt".into()]);
    }

    #[test]
    fn a_forged_marker_deletes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("precious");
        std::fs::create_dir_all(out.join("thesis")).unwrap();
        std::fs::write(out.join("thesis/ch1.tex"), "years").unwrap();
        std::fs::write(out.join("index.html"), "my own page").unwrap();
        std::fs::write(out.join(MARKER), "").unwrap();
        let report = write_site(&out, &[file("index.html", "site"), file("a.html", "a")], &[]).unwrap();
        assert_eq!(report.kept, vec!["thesis/ch1.tex".to_string()]);
        assert_eq!(report.replaced, vec!["index.html".to_string()], "what goes is named");
        assert_eq!(std::fs::read_to_string(out.join("thesis/ch1.tex")).unwrap(), "years");
    }

    #[cfg(unix)]
    #[test]
    fn links_inside_out_are_never_written_through() {
        for cache in [false, true] {
            let dir = tempfile::tempdir().unwrap();
            let out = dir.path().join("public");
            let cache = cache.then(|| dir.path().join(".cache"));
            let shared = dir.path().join("shared");
            std::fs::create_dir(&shared).unwrap();
            std::fs::write(shared.join("app.css"), "shared css").unwrap();
            std::fs::write(dir.path().join("x"), "outside").unwrap();
            std::fs::write(dir.path().join("hard"), "hard-linked").unwrap();
            let files = [file("index.html", "i"), file("404.html", "not found"), file("assets/app.css", "site css"), file("data.json", "{}")];
            let build = || write_site_with(&out, cache.as_deref(), &files, &[]).unwrap();
            build();
            build();
            std::fs::remove_dir_all(out.join("assets")).unwrap();
            std::os::unix::fs::symlink("../shared", out.join("assets")).unwrap();
            std::fs::remove_file(out.join("404.html")).unwrap();
            std::os::unix::fs::symlink("../x", out.join("404.html")).unwrap();
            std::fs::remove_file(out.join("data.json")).unwrap();
            std::fs::hard_link(dir.path().join("hard"), out.join("data.json")).unwrap();
            let report = build();
            assert_eq!(report.replaced, vec!["404.html (a link to ../x)".to_string(), "assets (a link to ../shared)".into()]);
            for _ in 0..3 {
                build();
            }
            assert_eq!(std::fs::read_to_string(shared.join("app.css")).unwrap(), "shared css");
            assert_eq!(std::fs::read_to_string(dir.path().join("x")).unwrap(), "outside");
            assert_eq!(std::fs::read_to_string(dir.path().join("hard")).unwrap(), "hard-linked");
            assert_eq!(std::fs::read_to_string(out.join("assets/app.css")).unwrap(), "site css");
            assert!(!out.join("404.html").is_symlink());
            // A link the new site does not need is kept as a link.
            std::os::unix::fs::symlink("../shared", out.join("extra")).unwrap();
            let report = build();
            assert_eq!(report.kept, vec!["extra (a link to ../shared)".to_string()]);
            assert!(out.join("extra").is_symlink());
        }
    }

    #[test]
    fn refuses_an_out_that_contains_the_guide() {
        let dir = tempfile::tempdir().unwrap();
        let guide = dir.path().join("site/src");
        std::fs::create_dir_all(&guide).unwrap();
        for out in [dir.path().join("site"), guide.clone(), dir.path().to_path_buf(), dir.path().join("site/src/../")] {
            assert!(matches!(check_outside_guide(&out, &guide), Err(WriteError::ContainsGuide { .. })), "{}", out.display());
        }
        for out in [dir.path().join("site/src/public"), dir.path().join("elsewhere/new"), dir.path().join("site-2")] {
            assert!(check_outside_guide(&out, &guide).is_ok(), "{}", out.display());
        }
    }

    #[test]
    fn refuses_a_folder_it_did_not_create() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("precious.txt"), "keep").unwrap();
        let err = write_site(dir.path(), &[file("index.html", "x")], &[]).unwrap_err();
        assert!(matches!(err, WriteError::NotOurs(_)));
        assert_eq!(std::fs::read_to_string(dir.path().join("precious.txt")).unwrap(), "keep");
    }
}
