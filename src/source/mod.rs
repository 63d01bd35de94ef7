//! Stage 1, the guide as written: reading the folder (`loader`, the only
//! module that reads a guide from disk) and parsing its small languages into
//! checked values with exact spans: `guide.toml` (`config`), section front
//! matter (`frontmatter`), the symptom catalog (`symptoms`), settings paths
//! (`settings`) and dates (`date`), and the JSON Schemas editors check the
//! first three with, generated from the same types (`schema`). Knows nothing
//! of pages or Markdown.

pub mod config;
pub mod date;
pub mod frontmatter;
pub mod indent;
pub mod loader;
pub mod schema;
pub mod settings;
pub mod symptoms;
