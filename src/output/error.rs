//! Why writing the site failed: `WriteError`, shown to the user as is.

use std::path::{Path, PathBuf};

use crate::source::loader::OUTPUT_MARKER as MARKER;

#[derive(Debug)]
pub enum WriteError {
    /// OUT exists, is not empty and has no marker: not ours to replace.
    NotOurs(PathBuf),
    NotADirectory(PathBuf),
    /// OUT is a symbolic link (to `target`): never written through.
    Link {
        out: PathBuf,
        target: PathBuf,
    },
    /// OUT is the guide folder or one of its parents: replacing it would
    /// delete the guide.
    ContainsGuide {
        out: PathBuf,
        guide: PathBuf,
    },
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    /// A file of the guide (its path in the guide) could not be copied.
    Asset {
        path: String,
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
            WriteError::Link { out, target } => write!(
                f,
                "refusing to build into {}: it is a symbolic link (to {}), and fixbook never writes through a link; give the folder itself with -o {}, or another folder",
                out.display(),
                target.display(),
                target.display()
            ),
            WriteError::ContainsGuide { out, guide } => write!(
                f,
                "refusing to build into {}: it contains the guide ({}), and replacing it would delete the guide; choose an output folder outside the guide's folder, or inside it (like {}/public)",
                out.display(),
                guide.display(),
                guide.display()
            ),
            WriteError::Io { path, error } => write!(f, "cannot write {}: {error}", path.display()),
            WriteError::Asset { path, error } => write!(f, "cannot copy {path} from the guide: {error}"),
        }
    }
}

impl std::error::Error for WriteError {}

pub(crate) fn io(path: &Path) -> impl FnOnce(std::io::Error) -> WriteError + '_ {
    move |error| WriteError::Io { path: path.to_path_buf(), error }
}
