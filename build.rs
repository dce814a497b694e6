//! Converts the embedded standard's TOML to JSON at build time. The learner's first frame waits
//! for the standard, and the program reads JSON several times quicker than TOML; the TOML stays
//! the one source (`data/standards/`). Should the TOML not convert, the JSON is left empty and
//! the program parses the TOML itself, reporting its problems with their lines.

use std::path::PathBuf;

const EMBEDDED: &str = "data/standards/st0896-peer-worker.toml";

fn main() {
    println!("cargo::rerun-if-changed={EMBEDDED}");
    println!("cargo::rerun-if-changed=build.rs");
    let json = std::fs::read_to_string(EMBEDDED)
        .ok()
        .and_then(|text| toml::from_str::<toml::Table>(&text).ok())
        .and_then(|table| serde_json::to_string(&table).ok())
        .unwrap_or_default();
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default())
        .join("st0896-peer-worker.json");
    if let Err(e) = std::fs::write(&out, json) {
        println!("cargo::error=cannot write {}: {e}", out.display());
    }
}
