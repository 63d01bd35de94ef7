//! Stage 2, the guide as content: `model` builds the `Guide` (sections in
//! reading order, each parsed once, in parallel) from the loaded files, and
//! `markdown` renders each body to HTML in one pass that also records what
//! later stages need (headings, steps and the code after them, links, settings
//! paths, word counts, search text), so no later stage parses Markdown or
//! scans HTML again. `highlight` colours code blocks.

pub mod highlight;
pub mod markdown;
pub mod model;
