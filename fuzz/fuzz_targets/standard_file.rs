//! Fuzzes the standard-file parser: any text gives a checked standard or a list of problems,
//! never a panic; a standard that loads has no problems.
#![no_main]

use libfuzzer_sys::fuzz_target;
use skills_scan::core::Standard;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(standard) = Standard::from_toml(text) {
        assert!(standard.problems().is_empty());
        let _ = standard.questions().count();
    }
});
