//! Where the writer builds a site before swapping it in: a fresh hidden
//! folder next to OUT (the same filesystem, so the swap is one rename), or the
//! reusable copy of the previous site in a cache folder the user named
//! (`--cache-dir`, or `.fixbook/cache` inside the guide). Also the swap
//! itself, and removing what fixbook left behind: a killed build's staging
//! folder, the previous site after a swap.
//!
//! Every staging folder carries the marker from its first moment and is
//! locked (`flock`) while a build uses it, so leftovers of killed builds are
//! recognised (marked, named `.<out>.fixbook-…`, unlocked) and removed, and a
//! concurrent build's folder never is.

use std::fs::File;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::error::{WriteError, io};
use crate::source::loader::OUTPUT_MARKER as MARKER;

/// The name, inside a cache folder, of the reusable copy of the site.
const CACHED_SITE: &str = "site";

/// A staging folder claimed by this build.
pub(crate) struct Staging {
    pub(crate) path: PathBuf,
    /// Reused from the cache: it holds an older site, rewritten in place.
    pub(crate) reused: bool,
    /// Held while the build runs, so no other build removes or reuses it.
    _lock: File,
    /// Removed on drop unless the build finished (a failed build leaves
    /// nothing behind; a reused cache folder is kept for the next build).
    armed: bool,
}

impl Drop for Staging {
    fn drop(&mut self) {
        if self.armed && !self.reused {
            let _ = remove_tree(&self.path);
        }
    }
}

/// OUT's parent folder and its file name.
pub(crate) fn parent_and_name(out: &Path) -> (PathBuf, String) {
    let parent = out.parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."));
    let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "site".into());
    (parent, name)
}

/// The prefix every folder fixbook makes next to OUT starts with.
fn sibling_prefix(name: &str) -> String {
    format!(".{name}.fixbook-")
}

/// Locks `dir` for this process when no other build holds it.
fn try_lock(dir: &Path) -> Option<File> {
    let file = File::open(dir).ok()?;
    file.try_lock().ok()?;
    Some(file)
}

/// Claims where to build: the cached site when `cache_dir` holds one that
/// is ours, free, and on OUT's filesystem; else a fresh folder next to OUT.
pub(crate) fn claim(out: &Path, cache_dir: Option<&Path>, head: &[u8]) -> Result<Staging, WriteError> {
    let (parent, name) = parent_and_name(out);
    if let Some(cache) = cache_dir
        && let Some(staging) = claim_cached(cache, &parent)
    {
        // Marked again: a cached site from an older fixbook, or one whose
        // marker the user deleted, becomes ours only now, after the check.
        if overwrite(&staging.path.join(MARKER), head).is_ok() {
            return Ok(staging);
        }
    }
    let dir = tempfile::Builder::new().prefix(&format!("{}new-", sibling_prefix(&name))).tempdir_in(&parent).map_err(io(&parent))?.keep();
    let lock = try_lock(&dir).ok_or_else(|| WriteError::Io { path: dir.clone(), error: std::io::Error::other("cannot lock the staging folder") })?;
    let staging = Staging { path: dir, reused: false, _lock: lock, armed: true };
    overwrite(&staging.path.join(MARKER), head).map_err(io(&staging.path))?;
    Ok(staging)
}

fn claim_cached(cache: &Path, out_parent: &Path) -> Option<Staging> {
    std::fs::create_dir_all(cache).ok()?;
    if !same_filesystem(cache, out_parent) {
        return None;
    }
    let path = cache.join(CACHED_SITE);
    match std::fs::symlink_metadata(&path) {
        Err(_) => std::fs::create_dir(&path).ok()?,
        Ok(meta) if meta.is_dir() && path.join(MARKER).is_file() => {}
        Ok(_) => return None,
    }
    let lock = try_lock(&path)?;
    // The cached site is a previous OUT: whatever links the user made in OUT
    // came along. Drop every symlink and every file with other hard links,
    // so writing in place can only ever touch files of this folder.
    detach(&path).ok()?;
    Some(Staging { path, reused: true, _lock: lock, armed: true })
}

#[cfg(unix)]
fn same_filesystem(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    matches!((std::fs::metadata(a), std::fs::metadata(b)), (Ok(a), Ok(b)) if a.dev() == b.dev())
}

#[cfg(not(unix))]
fn same_filesystem(_: &Path, _: &Path) -> bool {
    true
}

/// Removes symlinks, multiply-linked files and anything that is neither a
/// file nor a folder under `root` (never following a link).
fn detach(root: &Path) -> std::io::Result<()> {
    for entry in walkdir::WalkDir::new(root).min_depth(1).follow_links(false) {
        let entry = entry.map_err(std::io::Error::from)?;
        let kind = entry.file_type();
        let shared = kind.is_file() && entry.metadata().is_ok_and(|m| links(&m) > 1);
        if kind.is_symlink() || shared || !(kind.is_file() || kind.is_dir()) {
            std::fs::remove_file(entry.path())?;
        }
    }
    Ok(())
}

#[cfg(unix)]
fn links(meta: &std::fs::Metadata) -> u64 {
    use std::os::unix::fs::MetadataExt;
    meta.nlink()
}

#[cfg(not(unix))]
fn links(_: &std::fs::Metadata) -> u64 {
    1
}

/// Removes the folders killed or failed builds left next to OUT: marked,
/// named `.<out>.fixbook-…`, and locked by no running build. Returns the
/// ones that could not be removed, with why.
pub(crate) fn remove_leftovers(out: &Path) -> Vec<(PathBuf, String)> {
    let (parent, name) = parent_and_name(out);
    let prefix = sibling_prefix(&name);
    let Ok(entries) = std::fs::read_dir(&parent) else { return Vec::new() };
    let mut failed = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        let ours = entry.file_name().to_string_lossy().starts_with(&prefix)
            && entry.file_type().is_ok_and(|t| t.is_dir())
            && std::fs::symlink_metadata(path.join(MARKER)).is_ok_and(|m| m.is_file());
        if !ours {
            continue;
        }
        let Some(_lock) = try_lock(&path) else { continue };
        if let Err(e) = remove_tree(&path) {
            failed.push((path, e.to_string()));
        }
    }
    failed.sort();
    failed
}

/// Deletes a folder fixbook made, in parallel; makes read-only folders of
/// ours writable first when deleting fails (a site built read-only).
pub(crate) fn remove_tree(path: &Path) -> std::io::Result<()> {
    if remove_parallel(path).is_ok() {
        return Ok(());
    }
    for entry in walkdir::WalkDir::new(path).follow_links(false).into_iter().flatten() {
        if entry.file_type().is_dir()
            && let Ok(meta) = entry.metadata()
        {
            let mut perms = meta.permissions();
            #[allow(clippy::permissions_set_readonly_false)]
            perms.set_readonly(false);
            let _ = std::fs::set_permissions(entry.path(), perms);
        }
    }
    remove_parallel(path)
}

fn remove_parallel(path: &Path) -> std::io::Result<()> {
    if let Ok(entries) = std::fs::read_dir(path) {
        let entries: Vec<_> = entries.flatten().collect();
        entries.par_iter().try_for_each(|e| if e.file_type()?.is_dir() { std::fs::remove_dir_all(e.path()) } else { std::fs::remove_file(e.path()) })?;
    }
    std::fs::remove_dir(path)
}

/// Puts the finished site at `out` (in one atomic exchange where the system
/// allows it, else three renames), then keeps the previous site as the cache
/// when there is one, or deletes it. Returns what could not be deleted.
pub(crate) fn swap_into_place(mut staging: Staging, out: &Path, cache_dir: Option<&Path>) -> Result<Vec<(PathBuf, String)>, WriteError> {
    if std::fs::symlink_metadata(out).is_err() {
        std::fs::rename(&staging.path, out).map_err(io(out))?;
        staging.armed = false;
        return Ok(Vec::new());
    }
    #[cfg(target_os = "linux")]
    if rustix::fs::renameat_with(rustix::fs::CWD, &staging.path, rustix::fs::CWD, out, rustix::fs::RenameFlags::EXCHANGE).is_ok() {
        staging.armed = false;
        let previous = staging.path.clone();
        let reused = staging.reused;
        drop(staging);
        return Ok(if reused { Vec::new() } else { dispose_previous(&previous, cache_dir) });
    }
    let (parent, name) = parent_and_name(out);
    let old = tempfile::Builder::new().prefix(&format!("{}old-", sibling_prefix(&name))).tempdir_in(&parent).map_err(io(&parent))?.keep();
    std::fs::remove_dir(&old).map_err(io(&old))?;
    std::fs::rename(out, &old).map_err(io(out))?;
    if let Err(error) = std::fs::rename(&staging.path, out) {
        // Put the previous site back; nothing is lost.
        let _ = std::fs::rename(&old, out);
        return Err(WriteError::Io { path: out.to_path_buf(), error });
    }
    staging.armed = false;
    let cache_target = staging.reused.then(|| staging.path.clone());
    drop(staging);
    if let Some(cached) = cache_target {
        // The cache folder moved to OUT; the previous site takes its place.
        if std::fs::rename(&old, &cached).is_ok() {
            return Ok(Vec::new());
        }
    }
    Ok(dispose_previous(&old, cache_dir))
}

/// The previous site, now at `previous`: moved into the cache when one is
/// named and free, else deleted.
fn dispose_previous(previous: &Path, cache_dir: Option<&Path>) -> Vec<(PathBuf, String)> {
    if let Some(cache) = cache_dir {
        let cached = cache.join(CACHED_SITE);
        if std::fs::symlink_metadata(&cached).is_err() && std::fs::rename(previous, &cached).is_ok() {
            return Vec::new();
        }
    }
    match remove_tree(previous) {
        Ok(()) => Vec::new(),
        Err(e) => vec![(previous.to_path_buf(), e.to_string())],
    }
}

/// Writes `bytes` to `path`, reusing the file when it exists. It is not
/// opened with O_TRUNC: on ext4 a truncation to zero followed by a write
/// makes `close` start writeback at once (`auto_da_alloc`), file by file.
pub(crate) fn overwrite(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut file = std::fs::OpenOptions::new().write(true).create(true).truncate(false).open(path)?;
    file.write_all(bytes)?;
    file.set_len(bytes.len() as u64)
}
