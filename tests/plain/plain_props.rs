//! Property: whatever lines come in, typed or piped, the plain front end never panics, never
//! prints an escape character, ends with an expected exit code, and leaves a readable scan file.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use plain_support::{Env, has_escape};
use proptest::prelude::*;
use skills_scan::commands::Context;
use skills_scan::core::Standard;
use skills_scan::exit::Exit;
use skills_scan::paths::Paths;
use skills_scan::tui::Start;

use crate::support::plain as plain_support;

fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(vec![
            "yes", "some", "no", "y", "n", ".", "", "back", "skip", "review", "save", "help",
            "ksb", "submit", "1", "4", "5", "29", "30", "0", "Sam Taylor",
            "sam.taylor@example.org", "alex.morgan@example.org", "I do this.", "\u{1b}[2J",
            "\u{202e}evil", "quit",
        ])
        .prop_map(String::from),
        1 => any::<String>().prop_map(|s| s.replace('\n', " ")),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn any_input_is_handled(lines in prop::collection::vec(line(), 0..80), typed: bool) {
        let env = Env::new();
        let ctx = Context::new(Paths { data_dir: env.data_dir(), config_file: env.config_file() });
        let input = lines.join("\n");
        let mut reader = input.as_bytes();
        let mut output = Vec::new();
        let start = Start::New(Standard::embedded().unwrap());
        let result = skills_scan::plain::run(&ctx, start, &mut reader, &mut output, typed);
        prop_assert!(!has_escape(&output));
        if let Err(f) = &result {
            prop_assert!(!typed, "a person is re-asked, never stopped: {:?}", f);
            prop_assert!(matches!(f.code, Exit::DataErr | Exit::TempFail), "{:?}", f);
        }
        for path in env.scans() {
            prop_assert!(skills_scan::storage::load(&path).is_ok());
        }
    }
}
