//! fixbook compiles a folder of Markdown troubleshooting sections into a
//! static site. This file is the crate's face: the modules, and the entry
//! points re-exported from `pipeline`, the one place where the stages are
//! assembled:
//!
//! source (load, config, front matter, catalog) → content (model, Markdown)
//! → checks → index (symptoms, settings, search, filter, next steps)
//! → site (theme, views, pages) → output (write).
//!
//! Only `source::loader` reads and only `output::writer` writes; everything
//! between is pure. ARCHITECTURE.md has the map.

pub mod escape;
pub mod paths;
pub mod slug;
pub mod timings;

pub mod diagnostics;

pub mod checks;
pub mod content;
pub mod index;
pub mod output;
pub mod site;
pub mod source;

pub mod pipeline;

pub mod import;
pub mod init;
pub mod serve;

pub use pipeline::{BuildSummary, CompileOptions, Compiled, Staleness, build, compile};
