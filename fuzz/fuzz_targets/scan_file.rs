//! Fuzzes the scan-file loader: any bytes give a scan or an error naming the file, never a panic;
//! a scan that loads saves back to bytes that load to the same scan.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use skills_scan::storage;

fuzz_target!(|data: &[u8]| {
    let path = Path::new("/fuzz/scan.json");
    match storage::parse(path, data) {
        Ok(scan) => {
            let again = storage::parse(path, &storage::to_bytes(&scan)).expect("saved scan loads");
            assert_eq!(again, scan, "save then load changed the scan");
        }
        Err(e) => assert!(e.to_string().contains("/fuzz/scan.json"), "{e}"),
    }
});
