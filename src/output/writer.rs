//! The writer: the only part of fixbook that writes to disk. It builds the
//! whole site in a scratch folder next to the output and swaps it in only
//! when every file is written, so a failed build leaves the previous site
//! intact. It refuses to replace a folder that fixbook did not create.
//!
//! The scratch folder (`.<out>.fixbook-scratch`) is the site from two builds
//! ago, kept instead of deleted: rewriting its files in place reuses their
//! inodes, and deleting then creating thousands of files is what costs most
//! on ext4 (without a journal it skips inodes freed in the last 30 s, one by
//! one, so a rebuild right after a delete becomes quadratic). After the
//! swap the scratch folder holds the previous site, ready for the next build.
//! Costs one extra copy of the site on disk.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::source::loader::AssetFile;

/// Marks a folder as fixbook output; only such folders are ever replaced.
pub const MARKER: &str = ".fixbook-output";

#[derive(Debug)]
pub enum WriteError {
    /// OUT exists, is not empty and has no marker: not ours to replace.
    NotOurs(PathBuf),
    NotADirectory(PathBuf),
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::NotOurs(p) => write!(
                f,
                "refusing to replace {}: it is not empty and was not created by fixbook (no {MARKER} file); choose another output folder with -o, or empty it yourself",
                p.display()
            ),
            WriteError::NotADirectory(p) => write!(f, "{} exists and is not a folder", p.display()),
            WriteError::Io { path, error } => write!(f, "cannot write {}: {error}", path.display()),
        }
    }
}

impl std::error::Error for WriteError {}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> WriteError + '_ {
    move |error| WriteError::Io { path: path.to_path_buf(), error }
}

/// True when `out` may be replaced: missing, empty, or marked as ours.
pub fn may_replace(out: &Path) -> Result<bool, WriteError> {
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

/// Name of the folder, next to the output, that the next site is built in.
pub fn scratch_path(out: &Path) -> PathBuf {
    let out = absolute(out);
    let parent = out.parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."));
    let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "site".into());
    parent.join(format!(".{name}.fixbook-scratch"))
}

/// Where the new site is built: the reusable scratch folder when it is ours
/// and no other build holds it, else a fresh temporary folder.
enum Staging {
    /// The scratch folder; the lock keeps a concurrent build out of it.
    Scratch {
        path: PathBuf,
        _lock: std::fs::File,
    },
    Fresh(tempfile::TempDir),
}

impl Staging {
    fn path(&self) -> &Path {
        match self {
            Staging::Scratch { path, .. } => path,
            Staging::Fresh(dir) => dir.path(),
        }
    }
}

fn staging_for(out: &Path, parent: &Path, name: &str) -> Result<Staging, WriteError> {
    let scratch = scratch_path(out);
    let usable = match std::fs::symlink_metadata(&scratch) {
        Err(_) => std::fs::create_dir(&scratch).is_ok(),
        Ok(meta) => meta.is_dir() && scratch.join(MARKER).is_file(),
    };
    if usable
        && let Ok(lock) = std::fs::File::open(&scratch)
        && lock.try_lock().is_ok()
    {
        return Ok(Staging::Scratch { path: scratch, _lock: lock });
    }
    let dir = tempfile::Builder::new().prefix(&format!(".{name}.fixbook-new-")).tempdir_in(parent).map_err(io(parent))?;
    Ok(Staging::Fresh(dir))
}

/// A site being written file by file (from any number of threads) into the
/// staging folder; `finish` deletes what the previous site had and this one
/// does not, then swaps it in. Dropped without `finish`, `out` is untouched.
/// This lets a build write each page as soon as it is rendered instead of
/// holding the whole site in memory.
pub struct SiteWriter {
    staging: Staging,
    out: PathBuf,
    /// Every path written so far, relative to the site root.
    written: Mutex<HashSet<String>>,
    /// Folders known to exist in the staging folder.
    folders: Mutex<HashSet<String>>,
}

impl SiteWriter {
    /// Checks that `out` may be replaced and claims a staging folder.
    pub fn begin(out: &Path) -> Result<SiteWriter, WriteError> {
        if !may_replace(out)? {
            return Err(WriteError::NotOurs(out.to_path_buf()));
        }
        let out = absolute(out);
        let parent = out.parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."));
        std::fs::create_dir_all(&parent).map_err(io(&parent))?;
        let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "site".into());
        let staging = staging_for(&out, &parent, &name)?;
        // Marked first, so a build that dies half-way leaves a scratch folder
        // the next build recognises as its own and reuses.
        let marker = staging.path().join(MARKER);
        overwrite(&marker, b"This folder was generated by fixbook; `fixbook build` replaces it.\n").map_err(io(&marker))?;
        Ok(SiteWriter { staging, out, written: Mutex::default(), folders: Mutex::default() })
    }

    /// Writes one file of the site (`path` relative to the site root).
    pub fn write(&self, path: &str, bytes: &[u8]) -> Result<(), WriteError> {
        self.place(path, |target| overwrite(target, bytes))
    }

    /// Copies a file of the guide into the site unchanged.
    pub fn copy_asset(&self, asset: &AssetFile) -> Result<(), WriteError> {
        self.place(&asset.path, |target| std::fs::copy(&asset.absolute, target).map(|_| ()))
    }

    fn place(&self, path: &str, put: impl Fn(&Path) -> std::io::Result<()>) -> Result<(), WriteError> {
        let root = self.staging.path();
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
            // The previous site may have a file where this one needs a
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

    /// Deletes files of the previous site that this one did not write, swaps
    /// the new site into place, and returns the number of files written.
    pub fn finish(self) -> Result<usize, WriteError> {
        let written = self.written.into_inner().expect("writer lock");
        let mut wanted: HashSet<&str> = written.iter().map(String::as_str).collect();
        wanted.insert(MARKER);
        let mut dirs: Vec<&str> = written.iter().map(|p| crate::paths::parent(p)).collect();
        dirs.sort_unstable();
        dirs.dedup();
        remove_stale(self.staging.path(), &wanted, &dirs)?;
        swap_into_place(self.staging, &self.out)?;
        Ok(written.len())
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

/// Writes `bytes` to `path`, reusing the file when it exists. It is not
/// opened with O_TRUNC: on ext4 a truncation to zero followed by a write
/// makes `close` start writeback at once (`auto_da_alloc`), file by file.
fn overwrite(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut file = std::fs::OpenOptions::new().write(true).create(true).truncate(false).open(path)?;
    file.write_all(bytes)?;
    file.set_len(bytes.len() as u64)
}

/// Deletes what the previous site in the scratch folder has and the new one
/// does not: files not in `wanted`, folders not in `dirs` (or not above one).
fn remove_stale(root: &Path, wanted: &HashSet<&str>, dirs: &[&str]) -> Result<(), WriteError> {
    let mut keep_dirs: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for dir in dirs {
        let mut d = *dir;
        while !d.is_empty() && keep_dirs.insert(d) {
            d = crate::paths::parent(d);
        }
    }
    let mut walker = walkdir::WalkDir::new(root).min_depth(1).follow_links(false).into_iter();
    while let Some(entry) = walker.next() {
        let entry = entry.map_err(|e| WriteError::Io { path: root.to_path_buf(), error: e.into() })?;
        let rel: String =
            entry.path().strip_prefix(root).unwrap_or(entry.path()).components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
        if entry.file_type().is_dir() {
            if !keep_dirs.contains(rel.as_str()) {
                std::fs::remove_dir_all(entry.path()).map_err(io(entry.path()))?;
                walker.skip_current_dir();
            }
        } else if !wanted.contains(rel.as_str()) {
            std::fs::remove_file(entry.path()).map_err(io(entry.path()))?;
        }
    }
    Ok(())
}

/// Puts the finished site at `out`. When `out` exists the two folders trade
/// places in one atomic rename where the system allows it (Linux), else in
/// three renames; either way the previous site ends up as the scratch folder.
fn swap_into_place(staging: Staging, out: &Path) -> Result<(), WriteError> {
    let (staging_path, _lock) = match staging {
        Staging::Scratch { path, _lock } => (path, Some(_lock)),
        Staging::Fresh(dir) => (dir.keep(), None),
    };
    if std::fs::symlink_metadata(out).is_err() {
        return std::fs::rename(&staging_path, out).map_err(io(out));
    }
    #[cfg(target_os = "linux")]
    if rustix::fs::renameat_with(rustix::fs::CWD, &staging_path, rustix::fs::CWD, out, rustix::fs::RenameFlags::EXCHANGE).is_ok() {
        return keep_previous(&staging_path, out);
    }
    let parent = out.parent().unwrap_or(Path::new("."));
    let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let old = tempfile::Builder::new().prefix(&format!(".{name}.fixbook-old-")).tempdir_in(parent).map_err(io(parent))?.keep();
    std::fs::remove_dir(&old).map_err(io(&old))?;
    if let Err(error) = std::fs::rename(out, &old) {
        let _ = std::fs::remove_dir_all(&staging_path);
        return Err(WriteError::Io { path: out.to_path_buf(), error });
    }
    if let Err(error) = std::fs::rename(&staging_path, out) {
        // Put the previous site back; nothing is lost.
        let _ = std::fs::rename(&old, out);
        let _ = std::fs::remove_dir_all(&staging_path);
        return Err(WriteError::Io { path: out.to_path_buf(), error });
    }
    keep_previous(&old, out)
}

/// Makes the previous site (now at `previous`) the next build's scratch
/// folder, or deletes it when the scratch name is taken.
fn keep_previous(previous: &Path, out: &Path) -> Result<(), WriteError> {
    let scratch = scratch_path(out);
    if previous == scratch {
        return Ok(());
    }
    if std::fs::symlink_metadata(&scratch).is_err() && std::fs::rename(previous, &scratch).is_ok() {
        return Ok(());
    }
    let _ = std::fs::remove_dir_all(previous);
    Ok(())
}

fn absolute(path: &Path) -> PathBuf {
    if path.is_absolute() { path.to_path_buf() } else { std::env::current_dir().map(|d| d.join(path)).unwrap_or_else(|_| path.to_path_buf()) }
}

/// Creates `dir` (or uses it when it exists and is empty) and writes `files`
/// into it, never replacing anything: `fixbook init` must not clobber a
/// contributor's work. Fails with `AlreadyExists` when `dir` is not empty.
pub fn create_new_folder(dir: &Path, files: &[(&str, String)]) -> std::io::Result<usize> {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(std::io::Error::new(std::io::ErrorKind::AlreadyExists, format!("{} is not empty", dir.display())));
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => std::fs::create_dir_all(dir)?,
        Err(e) => return Err(e),
    }
    for (rel, text) in files {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        use std::io::Write;
        std::fs::OpenOptions::new().write(true).create_new(true).open(&path)?.write_all(text.as_bytes())?;
    }
    Ok(files.len())
}

#[cfg(test)]
mod tests {
    use rayon::prelude::*;

    use super::*;
    use crate::output::OutputFile;

    /// Writes `files` and copies `assets` into `out`, atomically replacing it.
    /// Returns the number of files written.
    fn write_site(out: &Path, files: &[OutputFile], assets: &[AssetFile]) -> Result<usize, WriteError> {
        let writer = SiteWriter::begin(out)?;
        files.par_iter().try_for_each(|file| writer.write(&file.path, &file.bytes))?;
        assets.par_iter().try_for_each(|asset| writer.copy_asset(asset))?;
        writer.finish()
    }

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile { path: path.into(), bytes: text.as_bytes().to_vec() }
    }

    #[test]
    fn writes_then_replaces_its_own_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &[file("a/b.html", "one"), file("index.html", "i")], &[]).unwrap();
        assert_eq!(std::fs::read_to_string(out.join("a/b.html")).unwrap(), "one");
        write_site(&out, &[file("index.html", "two")], &[]).unwrap();
        assert_eq!(std::fs::read_to_string(out.join("index.html")).unwrap(), "two");
        assert!(!out.join("a/b.html").exists(), "stale pages are gone");
        let mut leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        leftovers.sort();
        assert_eq!(leftovers, vec![std::ffi::OsString::from(".public.fixbook-scratch"), std::ffi::OsString::from("public")]);
    }

    fn tree(root: &Path) -> Vec<(String, String)> {
        let mut files: Vec<(String, String)> = walkdir::WalkDir::new(root)
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e.path().strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
                (rel, std::fs::read_to_string(e.path()).unwrap())
            })
            .filter(|(rel, _)| rel != MARKER)
            .collect();
        files.sort();
        files
    }

    #[test]
    fn reusing_the_scratch_folder_leaves_exactly_the_new_site() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_site(&out, &[file("a/b.html", "a long first version"), file("x/y/z.html", "z"), file("index.html", "1")], &[]).unwrap();
        write_site(&out, &[file("index.html", "2")], &[]).unwrap();
        // The scratch folder now holds build 1: `a` was a folder and becomes a
        // file, `x/y` goes away, and shorter content must not keep old bytes.
        write_site(&out, &[file("a", "now a file"), file("index.html", "3"), file("a2/b.html", "short")], &[]).unwrap();
        let expected = vec![("a".to_string(), "now a file".to_string()), ("a2/b.html".into(), "short".into()), ("index.html".into(), "3".into())];
        assert_eq!(tree(&out), expected);
        write_site(&out, &[file("a/b.html", "x")], &[]).unwrap();
        assert_eq!(tree(&out), vec![("a/b.html".to_string(), "x".to_string())]);
        assert!(out.join(MARKER).is_file());
    }

    #[test]
    fn a_scratch_folder_that_is_not_ours_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let scratch = scratch_path(&out);
        std::fs::create_dir(&scratch).unwrap();
        std::fs::write(scratch.join("keep.txt"), "mine").unwrap();
        for n in ["1", "2", "3"] {
            write_site(&out, &[file("index.html", n)], &[]).unwrap();
        }
        assert_eq!(tree(&out), vec![("index.html".to_string(), "3".to_string())]);
        assert_eq!(std::fs::read_to_string(scratch.join("keep.txt")).unwrap(), "mine");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        assert_eq!(names.len(), 2, "no temporary folders left behind: {names:?}");
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
