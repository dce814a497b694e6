//! The scan loader never panics, whatever the bytes: random bytes, and valid scan files cut,
//! spliced or with a byte changed. Every failure is an error that names the file.

use std::path::Path;
use std::sync::LazyLock;

use chrono::{TimeZone, Utc};
use proptest::prelude::*;
use skills_scan::core::Standard;
use skills_scan::{sample, storage};

static VALID: LazyLock<Vec<u8>> = LazyLock::new(|| {
    let standard = Standard::embedded().expect("standard");
    let now = Utc
        .with_ymd_and_hms(2026, 11, 23, 9, 0, 0)
        .single()
        .expect("time");
    storage::to_bytes(&sample::submitted_scan(&standard, 5, now))
});

fn check(bytes: &[u8]) {
    let path = Path::new("/cohort/2026-11-23-sam-taylor-1a2b3c4d.json");
    if let Err(e) = storage::parse(path, bytes) {
        assert!(e.to_string().contains(&path.display().to_string()), "{e}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn random_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        check(&bytes);
    }

    #[test]
    fn valid_file_cut_short(len in 0usize..4096) {
        let valid = &*VALID;
        check(&valid[..len.min(valid.len())]);
    }

    #[test]
    fn valid_file_with_a_byte_changed(at in any::<prop::sample::Index>(), byte in any::<u8>()) {
        let mut bytes = VALID.clone();
        let i = at.index(bytes.len());
        bytes[i] = byte;
        check(&bytes);
    }

    #[test]
    fn valid_file_with_a_slice_removed(a in any::<prop::sample::Index>(), n in 1usize..64) {
        let valid = &*VALID;
        let start = a.index(valid.len());
        let end = (start + n).min(valid.len());
        let mut bytes = valid[..start].to_vec();
        bytes.extend_from_slice(&valid[end..]);
        check(&bytes);
    }
}
