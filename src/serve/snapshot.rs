//! A published state of the site: the files of the last good build, the
//! assets to read on request, and the latest build's errors for the overlay.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use crate::diagnostics;
use crate::pipeline::Compiled;
use crate::source::loader::AssetFile;

/// One published state of the site.
#[derive(Default)]
pub struct Snapshot {
    pub generation: u64,
    /// Generated files of the last good build, by key.
    pub files: Arc<HashMap<String, Arc<[u8]>>>,
    /// Guide files copied unchanged, by key; read when requested.
    pub assets: Arc<HashMap<String, AssetFile>>,
    /// The latest build's errors, rendered as `fixbook check` prints them;
    /// `None` when the latest build succeeded.
    pub errors: Option<Arc<str>>,
}

impl Snapshot {
    /// Identifies what a page shows: its bytes and the error overlay. A page
    /// reloads only when its token changes.
    pub fn page_token(&self, key: &str) -> String {
        let mut hasher = std::hash::DefaultHasher::new();
        self.files.get(key).map(|b| &b[..]).hash(&mut hasher);
        self.errors.as_deref().hash(&mut hasher);
        format!("{:016x}", hasher.finish())
    }
}

/// The next snapshot after a build: the new site when it has no errors,
/// otherwise the previous site with the errors to show over it.
pub fn next_snapshot(previous: &Snapshot, compiled: &Compiled) -> Snapshot {
    let generation = previous.generation + 1;
    match (&compiled.files, compiled.has_errors()) {
        (Some(files), false) => {
            let map = files.iter().map(|f| (f.path.clone(), Arc::from(f.bytes.as_slice()))).collect();
            let assets = compiled.guide.as_ref().map(|g| g.assets.iter().map(|a| (a.path.clone(), a.clone())).collect()).unwrap_or_default();
            Snapshot { generation, files: Arc::new(map), assets: Arc::new(assets), errors: None }
        }
        _ => {
            let text = match compiled.diagnostics.is_empty() {
                true => "the build failed\n".to_string(),
                false => diagnostics::render_human(&compiled.diagnostics, &compiled.sources, false),
            };
            Snapshot { generation, files: previous.files.clone(), assets: previous.assets.clone(), errors: Some(Arc::from(text)) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_change_with_the_page_or_the_errors() {
        let mut files = HashMap::new();
        files.insert("a.html".to_string(), Arc::from(&b"one"[..]));
        let s1 = Snapshot { generation: 1, files: Arc::new(files.clone()), ..Default::default() };
        files.insert("a.html".to_string(), Arc::from(&b"two"[..]));
        let s2 = Snapshot { generation: 2, files: Arc::new(files), ..Default::default() };
        let s3 = Snapshot { generation: 3, files: s2.files.clone(), errors: Some(Arc::from("e")), ..Default::default() };
        assert_ne!(s1.page_token("a.html"), s2.page_token("a.html"));
        assert_ne!(s2.page_token("a.html"), s3.page_token("a.html"));
        assert_eq!(s1.page_token("b.html"), s2.page_token("b.html"));
    }
}
