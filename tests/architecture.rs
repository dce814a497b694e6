//! The dependency direction inside the one crate, checked: the front ends (`src/tui`,
//! `src/plain`) never reach up into `commands` (what they share lives in `launch`, below both).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn the_front_ends_do_not_import_from_commands() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![
        src.join("tui.rs"),
        src.join("plain.rs"),
        src.join("launch.rs"),
    ];
    rust_files(&src.join("tui"), &mut files);
    rust_files(&src.join("plain"), &mut files);
    assert!(files.len() > 10, "found the front ends' files");
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(
            !text.contains("crate::commands"),
            "{} imports from commands: move what it needs below both front ends (launch)",
            file.display()
        );
    }
}
