//! The last stage, output: `OutputFile` (what every stage that makes files
//! produces) and the `writer`, the only module that writes to disk. A leaf
//! below `site` and `index`: it imports nothing of theirs, so they can hand it
//! files without an import cycle.

mod error;
mod previous;
mod staging;
pub mod writer;

/// One file of the generated site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path relative to the site root, with `/` separators.
    pub path: String,
    pub bytes: Vec<u8>,
}
