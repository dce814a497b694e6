//! Fuzzes the config parser: any text gives a config or an error naming the file, never a panic.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use skills_scan::config::Config;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = Path::new("/fuzz/config.toml");
    match Config::parse(path, text) {
        Ok(config) => {
            let _ = config.eportfolio();
        }
        Err(e) => assert!(e.to_string().contains("/fuzz/config.toml"), "{e}"),
    }
});
