//! Converts the embedded standard's TOML to JSON at build time. The learner's first frame waits
//! for the standard, and the program reads JSON several times quicker than TOML; the TOML stays
//! the one source (`data/standards/`). Should the TOML not convert, the JSON is left empty and
//! the program parses the TOML itself, reporting its problems with their lines.
//!
//! On Linux (glibc) it also makes the program quicker to start (the first frame, issue 16): see
//! [`quick_start_on_linux`].

use std::path::PathBuf;

const EMBEDDED: &str = "data/standards/st0896-peer-worker.toml";

fn main() {
    println!("cargo::rerun-if-changed={EMBEDDED}");
    println!("cargo::rerun-if-changed=build.rs");
    quick_start_on_linux();
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

/// Two link options that take work off every start on Linux with glibc; the program's behaviour
/// is the same (README "Performance", first frame):
/// - the binary is linked as a fixed-address executable (`-no-pie`), so the dynamic loader has
///   none of the 11,000 start-up relocations of a position-independent one to apply (nor the
///   memory pages they dirty);
/// - Rust's unwinder (used to save the scan when a panic unwinds) comes from GCC's static
///   `libgcc_eh.a` instead of the shared `libgcc_s.so.1`: one library fewer to load, and no run of
///   its constructor, which asks the CPU for its features (slow in a virtual machine).
///   Listed before `-lgcc_s` on the link line, it leaves nothing for libgcc_s to provide, so the
///   linker (`--as-needed`) drops it. Skipped if the C compiler does not know the file.
///
/// Nothing changes for other targets (the Windows build) or a fully static build.
fn quick_start_on_linux() {
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    if var("CARGO_CFG_TARGET_OS") != "linux"
        || var("CARGO_CFG_TARGET_ENV") != "gnu"
        || var("CARGO_CFG_TARGET_FEATURE")
            .split(',')
            .any(|f| f == "crt-static")
    {
        return;
    }
    println!("cargo::rustc-link-arg-bins=-no-pie");
    println!("cargo::rerun-if-env-changed=CC");
    let cc = std::env::var_os("CC").unwrap_or_else(|| "cc".into());
    let Ok(out) = std::process::Command::new(cc)
        .arg("-print-file-name=libgcc_eh.a")
        .output()
    else {
        return;
    };
    let path = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    // An unknown file is printed back as its bare name.
    if out.status.success()
        && path.is_absolute()
        && path.is_file()
        && let Some(dir) = path.parent()
    {
        println!("cargo::rustc-link-search=native={}", dir.display());
        println!("cargo::rustc-link-lib=static:-bundle=gcc_eh");
    }
}
