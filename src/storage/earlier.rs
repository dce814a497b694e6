//! Finding the earlier scan a later scan follows (by its id), among the scan files of some
//! folders: beside the later scan, and the data folder's scans.

use std::collections::BTreeSet;
use std::path::PathBuf;

use crate::core::Scan;

/// The earlier scan `later` follows, from the first of `folders` (searched recursively) that
/// holds a scan with its id; missing folders and unreadable files are passed over. `None` when
/// `later` follows no scan or it is not found.
pub fn find_earlier(later: &Scan, folders: &[PathBuf]) -> Option<Scan> {
    let follows = later.follows.as_ref()?;
    let mut seen = BTreeSet::new();
    for folder in folders {
        let Ok(files) = super::scan_files(folder) else {
            continue;
        };
        for path in files {
            if !seen.insert(path.clone()) {
                continue;
            }
            if let Ok(scan) = super::load(&path)
                && scan.id == follows.id
            {
                return Some(scan);
            }
        }
    }
    None
}

/// The folder a scan file is in (`.` for a bare file name).
pub fn folder_of(file: &std::path::Path) -> Option<PathBuf> {
    let dir = file.parent()?;
    Some(if dir.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        dir.to_path_buf()
    })
}
