//! The loader: the only part of fixbook that reads a guide from disk. It walks
//! the guide folder once, sorts what it finds into config, catalog, intro,
//! sections, theme overrides and plain files, and reads every text file.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::diagnostics::{Code, Diagnostic};

use super::{config, symptoms};

/// The folder inside a guide whose files override the default theme.
pub const THEME_DIR: &str = "theme";

/// The file that marks a folder as fixbook's output (`output::writer` writes
/// it). A folder carrying it is never read as part of a guide: an old
/// `public/` inside the guide is not published again as plain files.
pub const OUTPUT_MARKER: &str = ".fixbook-output";

/// A text file of the guide, with its path relative to the guide folder.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: String,
    pub text: Arc<str>,
}

/// A file copied to the output unchanged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssetFile {
    pub path: String,
    pub absolute: PathBuf,
}

/// Everything read from a guide folder.
#[derive(Debug, Default)]
pub struct GuideFiles {
    pub config: Option<SourceFile>,
    pub symptoms: Option<SourceFile>,
    pub intro: Option<SourceFile>,
    /// `index.md` of a sub-folder (its title, summary, order and
    /// introduction), sorted by path.
    pub folder_indexes: Vec<SourceFile>,
    /// Section sources, sorted by path.
    pub sections: Vec<SourceFile>,
    /// Plain files, sorted by path.
    pub assets: Vec<AssetFile>,
    /// Theme overrides: path relative to `theme/`, and the bytes.
    pub theme: Vec<(String, Vec<u8>)>,
    /// Text of files that could not be used (e.g. invalid UTF-8), kept so
    /// their diagnostics can still show the offending line.
    pub unreadable: Vec<SourceFile>,
}

/// Reads the guide in `root`. Paths in `exclude` (such as the output folder
/// when it lies inside the guide) are skipped. Problems with individual files
/// are returned as diagnostics; only an unreadable root is an `Err`.
pub fn load(root: &Path, exclude: &[PathBuf]) -> std::io::Result<(GuideFiles, Vec<Diagnostic>)> {
    let metadata = std::fs::metadata(root)?;
    if !metadata.is_dir() {
        return Err(std::io::Error::new(std::io::ErrorKind::NotADirectory, format!("{} is not a folder", root.display())));
    }
    let root_canonical = root.canonicalize()?;
    let exclude: Vec<PathBuf> = exclude.iter().filter_map(|p| p.canonicalize().ok()).collect();
    let mut diagnostics = Vec::new();
    let mut text_paths: Vec<(String, PathBuf)> = Vec::new();
    let mut files = GuideFiles::default();
    let mut theme_paths: Vec<(String, PathBuf)> = Vec::new();

    let walker = WalkDir::new(&root_canonical).follow_links(false).sort_by_file_name().into_iter();
    let walker = walker.filter_entry(|entry| {
        let hidden = entry.depth() > 0 && entry.file_name().to_string_lossy().starts_with('.');
        let excluded = exclude.iter().any(|ex| entry.path() == ex);
        let output = entry.depth() > 0 && entry.file_type().is_dir() && std::fs::symlink_metadata(entry.path().join(OUTPUT_MARKER)).is_ok();
        !hidden && !excluded && !output
    });
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let path = err.path().map(|p| relative(&root_canonical, p)).unwrap_or_default();
                diagnostics.push(Diagnostic::warning(Code::UnreadableFile, path, 0..0, format!("skipped: {err}")));
                continue;
            }
        };
        if entry.depth() == 0 {
            continue;
        }
        let rel = relative(&root_canonical, entry.path());
        let mut absolute = entry.path().to_path_buf();
        if entry.path_is_symlink() {
            // Follow a symlink only when it stays inside the guide and leads to a file.
            match entry.path().canonicalize() {
                // Hidden files are never published; a link must not smuggle one out.
                Ok(target) if target.starts_with(&root_canonical) && relative(&root_canonical, &target).split('/').any(|c| c.starts_with('.')) => {
                    diagnostics.push(
                        Diagnostic::warning(Code::SymlinkSkipped, rel, 0..0, "symbolic link points to a hidden file; it is not copied")
                            .with_help("hidden files and folders (names starting with `.`) are never published"),
                    );
                    continue;
                }
                Ok(target) if target.starts_with(&root_canonical) && target.is_file() => absolute = target,
                Ok(target) if target.is_dir() => {
                    diagnostics.push(
                        Diagnostic::warning(Code::SymlinkSkipped, rel, 0..0, "symbolic link to a folder is not followed")
                            .with_help("move or copy the folder into the guide instead"),
                    );
                    continue;
                }
                Ok(_) => {
                    diagnostics.push(
                        Diagnostic::warning(Code::SymlinkSkipped, rel, 0..0, "symbolic link points outside the guide; it is not copied")
                            .with_help("copy the file into the guide folder instead"),
                    );
                    continue;
                }
                Err(err) => {
                    diagnostics.push(Diagnostic::warning(Code::SymlinkSkipped, rel, 0..0, format!("broken symbolic link: {err}")));
                    continue;
                }
            }
        } else if !entry.file_type().is_file() {
            continue;
        }
        if let Some(theme_rel) = rel.strip_prefix(&format!("{THEME_DIR}/")) {
            theme_paths.push((theme_rel.to_string(), absolute));
        } else if rel.ends_with(".md") || rel == config::FILE_NAME || rel == symptoms::FILE_NAME {
            text_paths.push((rel, absolute));
        } else {
            files.assets.push(AssetFile { path: rel, absolute });
        }
    }

    let read: Vec<(String, Result<Arc<str>, ReadProblem>)> = text_paths
        .into_par_iter()
        .map(|(rel, absolute)| {
            let text = read_text(&absolute);
            (rel, text)
        })
        .collect();
    for (rel, text) in read {
        let text = match text {
            Ok(text) => text,
            Err(ReadProblem::Io(err)) => {
                diagnostics.push(Diagnostic::error(Code::UnreadableFile, rel, 0..0, format!("cannot read file: {err}")));
                continue;
            }
            Err(ReadProblem::NotUtf8 { lossy, offset }) => {
                diagnostics.push(
                    Diagnostic::error(Code::InvalidUtf8, rel.clone(), offset..offset + 1, format!("file is not valid UTF-8 (bad byte at offset {offset})"))
                        .with_help("save the file as UTF-8 in your editor"),
                );
                files.unreadable.push(SourceFile { path: rel, text: lossy });
                continue;
            }
        };
        let file = SourceFile { path: rel, text };
        match file.path.as_str() {
            config::FILE_NAME => files.config = Some(file),
            symptoms::FILE_NAME => files.symptoms = Some(file),
            "index.md" => files.intro = Some(file),
            p if is_folder_index(p) => files.folder_indexes.push(file),
            _ => files.sections.push(file),
        }
    }
    for (rel, absolute) in theme_paths {
        match std::fs::read(&absolute) {
            Ok(bytes) => files.theme.push((rel, bytes)),
            Err(err) => diagnostics.push(Diagnostic::error(Code::UnreadableFile, format!("{THEME_DIR}/{rel}"), 0..0, format!("cannot read file: {err}"))),
        }
    }
    Ok((files, diagnostics))
}

/// Whether `rel` is a sub-folder's `index.md` (the folder's own page, not a section).
pub fn is_folder_index(rel: &str) -> bool {
    rel.ends_with("/index.md")
}

enum ReadProblem {
    Io(std::io::Error),
    NotUtf8 { lossy: Arc<str>, offset: usize },
}

/// Reads the bytes of an asset the loader listed (for `serve`, which answers
/// from memory and reads an asset only when it is asked for).
pub fn read_asset(asset: &AssetFile) -> std::io::Result<Vec<u8>> {
    std::fs::read(&asset.absolute)
}

/// Reads one section file again (for `serve`'s quick preview of an edit),
/// the way `load` reads it. `None` when it is not a section `load` would
/// read (hidden, in the theme folder, a special file) or cannot be read as
/// UTF-8; the full reload that follows reports why.
pub fn read_section(root: &Path, rel: &str) -> Option<SourceFile> {
    let special = [config::FILE_NAME, symptoms::FILE_NAME, "index.md"];
    let hidden = rel.split('/').any(|part| part.is_empty() || part.starts_with('.') || part == "..");
    if hidden || !rel.ends_with(".md") || special.contains(&rel) || is_folder_index(rel) || rel.starts_with(&format!("{THEME_DIR}/")) {
        return None;
    }
    let path = root.join(rel);
    if std::fs::symlink_metadata(&path).ok()?.file_type().is_symlink() {
        return None;
    }
    let text = read_text(&path).ok()?;
    Some(SourceFile { path: rel.to_string(), text })
}

/// Every file under `root` as (path relative to `root` with `/`, bytes), in
/// path order, for `fixbook import` (a documentation folder that is not a
/// guide yet). Hidden entries are skipped, symbolic links are not followed.
pub fn read_folder(root: &Path) -> std::io::Result<Vec<(String, Vec<u8>)>> {
    if !std::fs::metadata(root)?.is_dir() {
        return Err(std::io::Error::new(std::io::ErrorKind::NotADirectory, format!("{} is not a folder", root.display())));
    }
    let mut files = Vec::new();
    let walker = WalkDir::new(root).follow_links(false).sort_by_file_name().into_iter();
    for entry in walker.filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.')) {
        let entry = entry.map_err(std::io::Error::other)?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(root).map_err(std::io::Error::other)?;
        let rel = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
        files.push((rel, std::fs::read(entry.path())?));
    }
    Ok(files)
}

/// Reads the guide's symptom catalog alone (`fixbook schema front-matter
/// --guide`), as `load` would: `None` when the guide has none; a link is
/// followed only to a file inside the guide.
pub fn read_catalog(root: &Path) -> std::io::Result<Option<SourceFile>> {
    if !std::fs::metadata(root)?.is_dir() {
        return Err(std::io::Error::new(std::io::ErrorKind::NotADirectory, format!("{} is not a folder", root.display())));
    }
    let path = root.join(symptoms::FILE_NAME);
    match std::fs::symlink_metadata(&path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
        Ok(meta) if meta.file_type().is_symlink() && !path.canonicalize()?.starts_with(root.canonicalize()?) => {
            return Err(std::io::Error::other(format!("{} links outside the guide", symptoms::FILE_NAME)));
        }
        Ok(_) => {}
    }
    match read_text(&path) {
        Ok(text) => Ok(Some(SourceFile { path: symptoms::FILE_NAME.to_string(), text })),
        Err(ReadProblem::Io(e)) => Err(e),
        Err(ReadProblem::NotUtf8 { offset, .. }) => {
            Err(std::io::Error::new(std::io::ErrorKind::InvalidData, format!("{} is not valid UTF-8 (bad byte at offset {offset})", symptoms::FILE_NAME)))
        }
    }
}

/// Reads a text file, dropping a UTF-8 byte-order mark.
fn read_text(path: &Path) -> Result<Arc<str>, ReadProblem> {
    let bytes = std::fs::read(path).map_err(ReadProblem::Io)?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(Arc::from(text)),
        Err(err) => Err(ReadProblem::NotUtf8 { lossy: Arc::from(String::from_utf8_lossy(bytes).as_ref()), offset: err.valid_up_to() }),
    }
}

/// `root/a/b.md` → `a/b.md`, always with `/`.
fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}
