//! The loader: the only part of fixbook that reads a guide from disk. It walks
//! the guide folder once, sorts what it finds into config, catalog, intro,
//! sections, theme overrides and plain files, and reads every text file.

use std::collections::HashMap;
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
    /// Where the walk found it (no link in it: the guide's real path joined
    /// with the file's, or the real path a link inside the guide leads to).
    pub absolute: PathBuf,
    /// The file the walk checked, so the copy is of that file or of nothing
    /// (`open_asset`).
    pub id: FileId,
}

/// Which file a path named when the walk checked it (device and inode on
/// Unix; nothing elsewhere).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FileId {
    #[cfg(unix)]
    dev: u64,
    #[cfg(unix)]
    ino: u64,
}

impl FileId {
    pub fn of(metadata: &std::fs::Metadata) -> FileId {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            FileId { dev: metadata.dev(), ino: metadata.ino() }
        }
        #[cfg(not(unix))]
        {
            let _ = metadata;
            FileId {}
        }
    }
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
    let mut text_paths: Vec<(String, PathBuf, FileId)> = Vec::new();
    let mut files = GuideFiles::default();
    let mut theme_paths: Vec<(String, PathBuf, FileId)> = Vec::new();
    // Names holding U+FFFD (written so, or not UTF-8 and read lossily) and
    // how they are written on disk: two of them may become one name.
    let mut lossy_names: HashMap<String, String> = HashMap::new();

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
        let id;
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
                Ok(target) if target.starts_with(&root_canonical) && target.is_file() => {
                    id = std::fs::symlink_metadata(&target).map(|m| FileId::of(&m)).unwrap_or_default();
                    absolute = target;
                }
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
        } else {
            match entry.metadata() {
                Ok(meta) if meta.is_file() => id = FileId::of(&meta),
                // Replaced (by a link, say) since the folder was listed.
                _ => {
                    diagnostics.push(Diagnostic::warning(Code::UnreadableFile, rel, 0..0, "skipped: the file changed while the guide was being read"));
                    continue;
                }
            }
        }
        if rel.contains(char::REPLACEMENT_CHARACTER) {
            let written = written_name(entry.path().strip_prefix(&root_canonical).unwrap_or(entry.path()));
            if let Some(first) = lossy_names.get(&rel) {
                diagnostics.push(
                    Diagnostic::error(
                        Code::PageCollision,
                        rel.clone(),
                        0..0,
                        format!("`{first}` and `{written}` are two files whose names become the same, `{rel}`, once read as UTF-8; `{written}` is skipped"),
                    )
                    .with_help("give both UTF-8 names (the guide's paths, pages and URLs are UTF-8); `\\xNN` above is a byte that is not UTF-8"),
                );
                continue;
            }
            lossy_names.insert(rel.clone(), written);
        }
        match kind(&rel) {
            Kind::Theme(theme_rel) => theme_paths.push((theme_rel.to_string(), absolute, id)),
            Kind::Text => text_paths.push((rel, absolute, id)),
            Kind::Asset => files.assets.push(AssetFile { path: rel, absolute, id }),
            Kind::MisnamedMarkdown => diagnostics.push(misnamed_markdown(&rel)),
        }
    }

    let read: Vec<(String, Result<Arc<str>, ReadProblem>)> = text_paths
        .into_par_iter()
        .map(|(rel, absolute, id)| {
            let text = open_listed(&absolute, Some(id)).map_err(ReadProblem::Io).and_then(read_text_from);
            (rel, text)
        })
        .collect();
    for (rel, text) in read {
        place_text(&mut files, &mut diagnostics, rel, text);
    }
    for (rel, absolute, id) in theme_paths {
        match open_listed(&absolute, Some(id)).and_then(read_all) {
            Ok(bytes) => files.theme.push((rel, bytes)),
            Err(err) => diagnostics.push(Diagnostic::error(Code::UnreadableFile, format!("{THEME_DIR}/{rel}"), 0..0, format!("cannot read file: {err}"))),
        }
    }
    Ok((files, diagnostics))
}

/// A guide given as (path, bytes) pairs instead of a folder (the fuzzer's
/// whole-guide target): sorted into `GuideFiles` exactly as `load` sorts a
/// folder's files, with the same diagnostics for what is in them; nothing
/// is read from disk. Hidden paths (a component starting with `.`) and
/// paths with an empty component are skipped, as `load` never lists them.
pub fn from_memory(given: &[(String, Vec<u8>)]) -> (GuideFiles, Vec<Diagnostic>) {
    let mut given: Vec<&(String, Vec<u8>)> = given.iter().filter(|(rel, _)| rel.split('/').all(|c| !c.is_empty() && !c.starts_with('.'))).collect();
    // `load` walks each folder in name order: compare component by component.
    given.sort_by(|a, b| a.0.split('/').cmp(b.0.split('/')));
    given.dedup_by(|a, b| a.0 == b.0);
    let (mut files, mut diagnostics) = (GuideFiles::default(), Vec::new());
    for (rel, bytes) in given {
        match kind(rel) {
            Kind::Theme(theme_rel) => files.theme.push((theme_rel.to_string(), bytes.clone())),
            Kind::Text => place_text(&mut files, &mut diagnostics, rel.clone(), text_from(bytes.clone())),
            Kind::Asset => files.assets.push(AssetFile { path: rel.clone(), absolute: PathBuf::new(), id: FileId::default() }),
            Kind::MisnamedMarkdown => diagnostics.push(misnamed_markdown(rel)),
        }
    }
    (files, diagnostics)
}

/// What a file of the guide is, by its path relative to the guide.
enum Kind<'a> {
    /// A theme override, with its path relative to `theme/`.
    Theme(&'a str),
    /// guide.toml, symptoms.yml or a `.md` file.
    Text,
    /// Copied to the site unchanged.
    Asset,
    /// Markdown not named `.md`: neither a section nor published.
    MisnamedMarkdown,
}

fn kind(rel: &str) -> Kind<'_> {
    if let Some(theme_rel) = rel.strip_prefix(THEME_DIR).and_then(|r| r.strip_prefix('/')) {
        Kind::Theme(theme_rel)
    } else if rel.ends_with(".md") || rel == config::FILE_NAME || rel == symptoms::FILE_NAME {
        Kind::Text
    } else if is_markdown_but_not_md(rel) {
        Kind::MisnamedMarkdown
    } else {
        Kind::Asset
    }
}

fn misnamed_markdown(rel: &str) -> Diagnostic {
    let stem = rel.rsplit_once('.').map_or(rel, |(stem, _)| stem);
    Diagnostic::warning(
        Code::MarkdownExtension,
        rel,
        0..0,
        "a Markdown file whose name does not end in `.md` (lower case) is neither a section nor published as a file",
    )
    .with_help(format!("rename it to `{stem}.md` to make it a section"))
}

/// Puts a text file where it belongs, or its reading problem into `diagnostics`.
fn place_text(files: &mut GuideFiles, diagnostics: &mut Vec<Diagnostic>, rel: String, text: Result<Arc<str>, ReadProblem>) {
    let text = match text {
        Ok(text) => text,
        Err(ReadProblem::Io(err)) => {
            diagnostics.push(Diagnostic::error(Code::UnreadableFile, rel, 0..0, format!("cannot read file: {err}")));
            return;
        }
        Err(ReadProblem::NotUtf8 { lossy, offset }) => {
            diagnostics.push(
                Diagnostic::error(Code::InvalidUtf8, rel.clone(), offset..offset + 1, format!("file is not valid UTF-8 (bad byte at offset {offset})"))
                    .with_help("save the file as UTF-8 in your editor"),
            );
            files.unreadable.push(SourceFile { path: rel, text: lossy });
            return;
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

/// Whether `rel` names a Markdown file (by the extensions editors and other
/// generators use, in any case) that is not a `.md` section: `wifi.MD`,
/// `notes.markdown`. Such a file would otherwise be published raw.
fn is_markdown_but_not_md(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let Some((stem, ext)) = name.rsplit_once('.') else { return false };
    !stem.is_empty() && ext != "md" && ["md", "markdown", "mdown", "mkdn", "mkd", "mdwn"].iter().any(|m| ext.eq_ignore_ascii_case(m))
}

/// A path as written on disk, for a message: `/` between components, a
/// byte that is not UTF-8 as `\xNN`.
fn written_name(path: &Path) -> String {
    let mut out = String::new();
    for (i, part) in path.components().enumerate() {
        if i > 0 {
            out.push('/');
        }
        #[cfg(unix)]
        let bytes = std::os::unix::ffi::OsStrExt::as_bytes(part.as_os_str()).to_vec();
        #[cfg(not(unix))]
        let bytes = part.as_os_str().to_string_lossy().into_owned().into_bytes();
        for chunk in bytes.utf8_chunks() {
            out.push_str(chunk.valid());
            for b in chunk.invalid() {
                out.push_str(&format!("\\x{b:02X}"));
            }
        }
    }
    out
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
/// from memory and reads an asset only when it is asked for): the file
/// still at the place the walk checked, never through a link (the user may
/// have saved a new version since, so not necessarily the same inode).
pub fn read_asset(asset: &AssetFile) -> std::io::Result<Vec<u8>> {
    open_listed(&asset.absolute, None).and_then(read_all)
}

/// Opens an asset for copying into the site (`output::writer`): the very
/// file the walk checked, at the place it checked, never through a link.
/// An asset replaced since (by a link to a file outside the guide, say) is
/// an error, not a copy of something else.
pub fn open_asset(asset: &AssetFile) -> std::io::Result<std::fs::File> {
    open_listed(&asset.absolute, Some(asset.id))
}

/// Opens a file the walk listed without following a link anywhere: the last
/// component is opened with `O_NOFOLLOW` (and `O_NONBLOCK`, so a FIFO put
/// in its place cannot hang the build), the file opened must be a regular
/// file whose real path is still `absolute` (a folder on the way swapped for
/// a link leads elsewhere), and, with `expected`, the file the walk checked.
fn open_listed(absolute: &Path, expected: Option<FileId>) -> std::io::Result<std::fs::File> {
    let replaced = || std::io::Error::other("it was replaced (by a link or another file) after fixbook checked it; nothing was read from it");
    let file = open_no_follow(absolute).map_err(|e| if is_link_refusal(&e) { replaced() } else { e })?;
    let meta = file.metadata()?;
    if !meta.is_file() || expected.is_some_and(|id| id != FileId::of(&meta)) || !still_at(&file, &meta, absolute) {
        return Err(replaced());
    }
    Ok(file)
}

#[cfg(unix)]
fn open_no_follow(path: &Path) -> std::io::Result<std::fs::File> {
    use rustix::fs::{Mode, OFlags};
    let flags = OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC;
    Ok(std::fs::File::from(rustix::fs::open(path, flags, Mode::empty())?))
}

#[cfg(not(unix))]
fn open_no_follow(path: &Path) -> std::io::Result<std::fs::File> {
    if std::fs::symlink_metadata(path)?.file_type().is_symlink() {
        return Err(std::io::Error::other("a symbolic link"));
    }
    std::fs::File::open(path)
}

/// `open` refused the path because its last component is a link (`ELOOP`;
/// `EMLINK` on FreeBSD and DragonFly).
fn is_link_refusal(error: &std::io::Error) -> bool {
    #[cfg(unix)]
    {
        use rustix::io::Errno;
        matches!(Errno::from_io_error(error), Some(Errno::LOOP | Errno::MLINK))
    }
    #[cfg(not(unix))]
    {
        error.kind() == std::io::ErrorKind::Other
    }
}

/// Whether the open `file` is the one at `absolute` (a path without links):
/// on Linux its real path from `/proc/self/fd`; elsewhere, or without
/// `/proc`, `absolute` still names no link and the same file.
fn still_at(file: &std::fs::File, meta: &std::fs::Metadata, absolute: &Path) -> bool {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        if let Ok(real) = std::fs::read_link(format!("/proc/self/fd/{}", file.as_raw_fd())) {
            return real == absolute;
        }
    }
    let _ = file;
    absolute.canonicalize().is_ok_and(|real| real == absolute) && std::fs::metadata(absolute).is_ok_and(|m| FileId::of(&m) == FileId::of(meta))
}

fn read_all(mut file: std::fs::File) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)?;
    Ok(bytes)
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
    let path = root.canonicalize().ok()?.join(rel);
    let text = open_listed(&path, None).map_err(ReadProblem::Io).and_then(read_text_from).ok()?;
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
    text_from(std::fs::read(path).map_err(ReadProblem::Io)?)
}

/// Reads an opened text file, dropping a UTF-8 byte-order mark.
fn read_text_from(file: std::fs::File) -> Result<Arc<str>, ReadProblem> {
    text_from(read_all(file).map_err(ReadProblem::Io)?)
}

fn text_from(bytes: Vec<u8>) -> Result<Arc<str>, ReadProblem> {
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
