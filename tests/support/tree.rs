//! Reading a built site back for tests: every file under a folder (hidden ones
//! included) with its bytes, keyed by `/`-relative path, in sorted order.

use std::collections::BTreeMap;
use std::path::Path;

pub fn read_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap()))
        .collect()
}
