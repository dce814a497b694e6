//! `skills-scan schema`: the JSON Schema of scan files, generated from the types.

use crate::exit::CmdResult;

/// The schema as pretty JSON with a final newline (what `data/scan.schema.json` holds).
pub fn scan_schema_json() -> String {
    let schema = schemars::schema_for!(crate::core::Scan);
    let mut s = serde_json::to_string_pretty(&schema).unwrap_or_default();
    s.push('\n');
    s
}

/// Runs `schema`.
pub fn run() -> CmdResult {
    use std::io::Write;
    // `?` rather than `print!`, so a closed pipe ends quietly instead of panicking.
    crate::out::stdout().write_all(scan_schema_json().as_bytes())?;
    Ok(())
}
