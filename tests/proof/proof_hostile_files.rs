//! Proof that no file is trusted: the scan, standard and config loaders never panic on any input,
//! every failure names the file, a file that failed to load is left byte for byte as it was, and
//! save → load gives back exactly the scan that was saved, whatever it holds.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use proptest::prelude::*;
use skills_scan::config::Config;
use skills_scan::core::draft::Answering;
use skills_scan::core::scan::{
    EmailLogEntry, EmailResult, Learner, Manager, SCAN_FORMAT_VERSION, Status,
};
use skills_scan::core::{QuestionId, Rating, Scan, Standard};
use skills_scan::session::Session;
use skills_scan::storage::{self, LoadError};
use skills_scan::{sample, standards};

const SCAN_PATH: &str = "/cohort/2026-11-23-hostile-scan.json";
const CONFIG_PATH: &str = "/config/hostile-config.toml";

static EMBEDDED: LazyLock<Standard> = LazyLock::new(|| Standard::embedded().unwrap());
static MINI_TOML: LazyLock<String> = LazyLock::new(|| {
    fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/standards/valid-mini.toml"),
    )
    .unwrap()
});
static MINI: LazyLock<Standard> = LazyLock::new(|| Standard::from_toml(&MINI_TOML).unwrap());

use crate::support::now;

/// A real scan: complete, submitted, reviewed and emailed, on the small test standard so that
/// cutting it at every byte stays quick.
fn real_scan(standard: &Standard) -> Scan {
    let mut scan = sample::submitted_scan(standard, 11, now());
    let first = standard.questions().next().unwrap().question.id.clone();
    scan.set_agreed_rating(&first, Some(Rating::Some), now());
    scan.set_agreed_note(&first, "Agreed at the planning meeting.", now());
    scan.review_mut().validation.validated_by_manager = true;
    scan.review_mut().validation.meeting_date = NaiveDate::from_ymd_opt(2026, 11, 30);
    scan.email_log.push(EmailLogEntry {
        at: now(),
        to: vec!["sam.taylor@example.org".into()],
        message_id: "<1@example.org>".into(),
        result: EmailResult::Queued {
            reason: "no SMTP configured".into(),
        },
    });
    scan
}

fn assert_names(err: &dyn std::fmt::Display, path: &str) {
    let text = err.to_string();
    assert!(
        text.contains(path),
        "the error does not name {path}: {text}"
    );
}

fn check_scan_bytes(bytes: &[u8]) {
    if let Err(e) = storage::parse(Path::new(SCAN_PATH), bytes) {
        assert_names(&e, SCAN_PATH);
        assert_eq!(e.path(), Path::new(SCAN_PATH));
    }
}

fn check_standard_text(text: &str) {
    // The pure parser must not panic; the file loader must name the file.
    let _ = Standard::from_toml(text);
}

fn check_config_text(text: &str) {
    if let Err(e) = Config::parse(Path::new(CONFIG_PATH), text) {
        assert_names(&e, CONFIG_PATH);
    }
}

/// Writes `bytes` to a file, runs every loader that could be pointed at it, checks each error
/// names the file and that the file is byte for byte unchanged afterwards.
fn load_everywhere_and_check_untouched(bytes: &[u8]) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let mut errors = Vec::new();
    for name in ["scan.json", "standard.toml", "config.toml"] {
        let path = dir.path().join(name);
        fs::write(&path, bytes).unwrap();
        let before = fs::metadata(&path).unwrap().modified().unwrap();
        let shown = path.display().to_string();
        match name {
            "scan.json" => {
                if let Err(e) = storage::load(&path) {
                    assert_names(&e, &shown);
                    errors.push(e.to_string());
                }
                if let Err(e) = Session::open::<Answering>(&path) {
                    assert_names(&e, &shown);
                }
            }
            "standard.toml" => {
                if let Err(e) = standards::load(Some(&path)) {
                    assert_names(&e, &shown);
                    errors.push(e.to_string());
                }
            }
            _ => {
                if let Err(e) = Config::load(&path) {
                    assert_names(&e, &shown);
                    errors.push(e.to_string());
                }
            }
        }
        assert_eq!(fs::read(&path).unwrap(), bytes, "{name} was changed");
        assert_eq!(fs::metadata(&path).unwrap().modified().unwrap(), before);
    }
    errors
}

// ---------- generated valid scans, built through the public API ----------

fn hostile_text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("\x1b[31mred\x1b[0m \x1b]0;title\x07 \x1b[2J".to_string()),
        Just("\u{202e}evil\u{202c} \u{2066}x\u{2069} \u{200b}".to_string()),
        Just("line one\r\nline two\rthree\n\ttab\0nul\x7f".to_string()),
        Just("<script>alert('x')</script> & \"quotes\" \\ back".to_string()),
        Just("Siân Ŵyn 😀 漢字 e\u{301}".to_string()),
        Just("x".repeat(20_000)),
        "\\PC{0,80}",
        proptest::collection::vec(any::<char>(), 0..80).prop_map(String::from_iter),
    ]
}

fn time() -> impl Strategy<Value = DateTime<Utc>> {
    (0i64..100_000_000, 0u32..1_000_000_000)
        .prop_map(|(s, ns)| now() + Duration::seconds(s) + Duration::nanoseconds(i64::from(ns)))
}

fn rating() -> impl Strategy<Value = Option<Rating>> {
    prop_oneof![
        Just(None),
        Just(Some(Rating::Yes)),
        Just(Some(Rating::Some)),
        Just(Some(Rating::No))
    ]
}

prop_compose! {
    fn any_scan()(
        id in "[a-z0-9-]{1,36}",
        created in time(),
        name in hostile_text(),
        email in hostile_text(),
        manager_email in hostile_text(),
        manager_name in hostile_text(),
        answers in proptest::collection::vec((any::<prop::sample::Index>(), rating(), hostile_text(), time()), 0..30),
        review in proptest::option::of(proptest::collection::vec((any::<prop::sample::Index>(), rating(), hostile_text()), 0..5)),
        coach in hostile_text(),
        log in proptest::collection::vec((time(), hostile_text(), 0u8..3), 0..3),
        submitted in proptest::option::of(time()),
    ) -> Scan {
        let ids: Vec<QuestionId> = EMBEDDED.questions().map(|l| l.question.id.clone()).collect();
        let mut scan = Scan::new(&EMBEDDED, id, created);
        scan.learner = Learner { name, email };
        scan.manager = Manager { email: manager_email, name: manager_name };
        for (i, r, text, at) in answers {
            let q = &ids[i.index(ids.len())];
            assert!(scan.set_rating(q, r, at));
            assert!(scan.set_text(q, &text, at));
        }
        if let Some(items) = review {
            for (i, r, note) in items {
                let q = &ids[i.index(ids.len())];
                scan.set_agreed_rating(q, r, created);
                scan.set_agreed_note(q, &note, created);
            }
            scan.review_mut().validation.coach_name = coach;
            scan.review_mut().validation.recorded_at = Some(created);
        }
        for (at, reason, kind) in log {
            let result = match kind {
                0 => EmailResult::Sent,
                1 => EmailResult::Queued { reason },
                _ => EmailResult::Failed { reason },
            };
            scan.email_log.push(EmailLogEntry {
                at,
                to: vec!["sam.taylor@example.org".into(), "alex.morgan@example.org".into()],
                message_id: format!("<{}@example.org>", scan.id),
                result,
            });
        }
        if let Some(at) = submitted {
            scan.status = Status::Submitted { at };
        }
        scan
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Save → load returns the same scan, through a real file, for any valid scan.
    #[test]
    fn save_then_load_returns_the_same_scan(scan in any_scan()) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("scan.json");
        storage::save_atomically(&path, &scan).unwrap();
        let loaded = storage::load(&path).unwrap();
        prop_assert_eq!(&loaded, &scan);
        // And saving what was loaded writes the same bytes: nothing drifts across saves.
        prop_assert_eq!(storage::to_bytes(&loaded), fs::read(&path).unwrap());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn scan_loader_never_panics_on_text(text in "\\PC{0,400}") {
        check_scan_bytes(text.as_bytes());
    }

    #[test]
    fn scan_loader_never_panics_on_json_shaped_junk(
        key in "[a-z_]{1,16}", value in "[\\[\\]{}\",:0-9a-z\\\\ -]{0,200}"
    ) {
        let mut v: serde_json::Value = serde_json::from_slice(&storage::to_bytes(&real_scan(&MINI))).unwrap();
        let junk = format!("{{\"format\":\"skills-scan\",\"format_version\":1,\"{key}\":{value}}}");
        check_scan_bytes(junk.as_bytes());
        // Splice the junk into a real scan in place of one field.
        if let Some(obj) = v.as_object_mut() {
            obj.insert(key, serde_json::Value::String(value));
        }
        check_scan_bytes(&serde_json::to_vec(&v).unwrap());
    }

    #[test]
    fn standard_and_config_loaders_never_panic_on_text(text in "\\PC{0,400}") {
        check_standard_text(&text);
        check_config_text(&text);
    }

    #[test]
    fn standard_loader_never_panics_on_a_real_file_mutated(
        at in any::<prop::sample::Index>(), cut in 0usize..64, insert in "[\\[\\]{}=\"',.a-z0-9\n #-]{0,12}"
    ) {
        let text = &*MINI_TOML;
        let mut i = at.index(text.len());
        while !text.is_char_boundary(i) { i -= 1; }
        let mut j = (i + cut).min(text.len());
        while !text.is_char_boundary(j) { j -= 1; }
        let mutated = format!("{}{insert}{}", &text[..i], &text[j..]);
        check_standard_text(&mutated);
    }

    #[test]
    fn config_loader_never_panics_on_the_template_mutated(
        at in any::<prop::sample::Index>(), cut in 0usize..64, insert in "[\\[\\]{}=\"',.a-z0-9\n #-]{0,12}"
    ) {
        let text = skills_scan::config::TEMPLATE;
        let mut i = at.index(text.len());
        while !text.is_char_boundary(i) { i -= 1; }
        let mut j = (i + cut).min(text.len());
        while !text.is_char_boundary(j) { j -= 1; }
        let mutated = format!("{}{insert}{}", &text[..i], &text[j..]);
        check_config_text(&mutated);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// Through the file loaders: random bytes are refused naming the file and left untouched.
    #[test]
    fn file_loaders_name_the_file_and_leave_it_untouched(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        load_everywhere_and_check_untouched(&bytes);
    }
}

// ---------- deterministic hostile files ----------

#[test]
fn empty_files() {
    for bytes in [&b""[..], b" \n\t\r\n"] {
        let errors = load_everywhere_and_check_untouched(bytes);
        assert!(errors.iter().any(|e| e.contains("is empty")), "{errors:?}");
        assert!(
            errors.iter().any(|e| e.contains("standard file")),
            "{errors:?}"
        );
    }
    // An empty config is a valid config: every default.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    fs::write(&path, "").unwrap();
    assert_eq!(Config::load(&path).unwrap(), Config::default());
}

/// Cuts a real saved scan file at every byte: each cut is refused naming the file, except cuts
/// that remove only the final whitespace, which load the whole scan.
#[test]
fn a_real_scan_file_cut_at_every_byte() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("real.json");
    let scan = real_scan(&MINI);
    storage::save_atomically(&path, &scan).unwrap();
    let bytes = fs::read(&path).unwrap();
    assert!(
        bytes.len() > 4000,
        "a real file with answers, review and log"
    );
    let shown = Path::new(SCAN_PATH);
    let mut refused = 0;
    for cut in 0..bytes.len() {
        match storage::parse(shown, &bytes[..cut]) {
            Err(e) => {
                assert_eq!(e.path(), shown);
                assert_names(&e, SCAN_PATH);
                refused += 1;
            }
            Ok(loaded) => {
                assert!(
                    bytes[cut..].iter().all(u8::is_ascii_whitespace),
                    "cut at {cut} loaded although it lost data"
                );
                assert_eq!(loaded, scan);
            }
        }
    }
    assert_eq!(refused, bytes.len() - 1, "only the final newline may go");
    // A few cuts through the disk loader: refused, named, the file untouched.
    for cut in [0, 1, 17, bytes.len() / 2, bytes.len() - 2] {
        let cut_path = dir.path().join(format!("cut-{cut}.json"));
        fs::write(&cut_path, &bytes[..cut]).unwrap();
        let e = storage::load(&cut_path).unwrap_err();
        assert_eq!(e.path(), cut_path);
        let e = Session::open::<Answering>(&cut_path).unwrap_err();
        assert_names(&e, &cut_path.display().to_string());
        assert_eq!(fs::read(&cut_path).unwrap(), &bytes[..cut]);
    }
}

/// The full-size scan file (the embedded standard's snapshot): every byte in its first and last
/// 2 KB, the answers included, and every 61st byte in between.
#[test]
fn a_full_size_scan_file_cut_across_its_length() {
    let scan = real_scan(&EMBEDDED);
    let bytes = storage::to_bytes(&scan);
    let n = bytes.len();
    for cut in (0..n).filter(|&c| c < 2048 || c + 2048 > n || c % 61 == 0) {
        match storage::parse(Path::new(SCAN_PATH), &bytes[..cut]) {
            Err(e) => assert_names(&e, SCAN_PATH),
            Ok(loaded) => {
                assert_eq!(cut, n - 1);
                assert_eq!(loaded, scan);
            }
        }
    }
}

#[test]
fn the_standard_and_config_files_cut_at_every_byte() {
    let text = &*MINI_TOML;
    for cut in (0..text.len()).filter(|&c| text.is_char_boundary(c)) {
        // Never a panic; a cut that happens to leave valid TOML with every field is allowed.
        check_standard_text(&text[..cut]);
    }
    let full = Standard::from_toml(text).unwrap();
    for cut in (0..text.len() - 1).filter(|&c| text.is_char_boundary(c)) {
        if let Ok(s) = Standard::from_toml(&text[..cut]) {
            assert_eq!(s, full, "a cut standard loaded with something missing");
        }
    }
    let template = skills_scan::config::TEMPLATE;
    for cut in (0..template.len()).filter(|&c| template.is_char_boundary(c)) {
        check_config_text(&template[..cut]);
    }
}

/// A 100 MB file is refused by its size, without being read into memory. The file is sparse
/// (`set_len`), so the test costs no disk space.
#[test]
fn a_100_mb_file_is_refused_by_size() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["big.json", "big.toml", "config.toml"] {
        let path = dir.path().join(name);
        let f = fs::File::create(&path).unwrap();
        f.set_len(100 * 1024 * 1024).unwrap();
        drop(f);
    }
    let scan = dir.path().join("big.json");
    match storage::load(&scan).unwrap_err() {
        LoadError::TooLarge { path, size, .. } => {
            assert_eq!(path, scan);
            assert_eq!(size, 100 * 1024 * 1024);
        }
        other => panic!("expected TooLarge, got {other}"),
    }
    let standard = dir.path().join("big.toml");
    let e = standards::load(Some(&standard)).unwrap_err().to_string();
    assert_names(&e, &standard.display().to_string());
    assert!(e.contains("104857600 bytes"), "{e}");
    let config = dir.path().join("config.toml");
    let e = Config::load(&config).unwrap_err().to_string();
    assert_names(&e, &config.display().to_string());
    assert!(e.contains("104857600 bytes"), "refused by its size: {e}");
    for name in ["big.json", "big.toml", "config.toml"] {
        assert_eq!(
            fs::metadata(dir.path().join(name)).unwrap().len(),
            100 * 1024 * 1024
        );
    }
}

#[cfg(unix)]
/// A config that is a pipe or a device is refused without opening it (a FIFO would wait for a
/// writer for ever; /dev/zero never ends).
#[test]
fn a_config_that_is_not_a_regular_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("config.toml");
    rustix::fs::mkfifoat(
        rustix::fs::CWD,
        &fifo,
        rustix::fs::Mode::RUSR | rustix::fs::Mode::WUSR,
    )
    .unwrap();
    let e = Config::load(&fifo).unwrap_err().to_string();
    assert_names(&e, &fifo.display().to_string());
    let e = Config::load(Path::new("/dev/zero"))
        .unwrap_err()
        .to_string();
    assert_names(&e, "/dev/zero");
    let e = Config::load(dir.path()).unwrap_err().to_string();
    assert_names(&e, &dir.path().display().to_string());
}

#[test]
fn deeply_nested_json_and_toml() {
    for depth in [200, 10_000, 200_000] {
        let arrays = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        let objects = format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth));
        let inside =
            format!("{{\"format\":\"skills-scan\",\"format_version\":1,\"answers\":{objects}}}");
        for json in [&arrays, &objects, &inside] {
            let e = storage::parse(Path::new(SCAN_PATH), json.as_bytes()).unwrap_err();
            assert_names(&e, SCAN_PATH);
        }
        let toml_arrays = format!("a = {}{}", "[".repeat(depth), "]".repeat(depth));
        let toml_tables = format!("a = {}1{}", "{ a = ".repeat(depth), " }".repeat(depth));
        let dotted = format!("{} = 1", vec!["a"; depth].join("."));
        for toml in [&toml_arrays, &toml_tables, &dotted] {
            check_standard_text(toml);
            check_config_text(toml);
            assert!(Standard::from_toml(toml).is_err());
            assert!(Config::parse(Path::new(CONFIG_PATH), toml).is_err());
        }
    }
    let errors = load_everywhere_and_check_untouched(
        format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)).as_bytes(),
    );
    assert_eq!(errors.len(), 3);
}

#[test]
fn invalid_utf8() {
    let mut scan = storage::to_bytes(&real_scan(&MINI));
    let at = scan.windows(4).position(|w| w == b"Sam ").unwrap_or(200);
    scan[at] = 0xFF;
    let e = storage::parse(Path::new(SCAN_PATH), &scan).unwrap_err();
    assert_names(&e, SCAN_PATH);
    let mut toml = MINI_TOML.as_bytes().to_vec();
    toml[300] = 0xC3;
    toml[301] = 0x28;
    let errors = load_everywhere_and_check_untouched(&toml);
    assert!(
        errors.iter().filter(|e| e.contains("not UTF-8")).count() >= 2,
        "{errors:?}"
    );
    let errors = load_everywhere_and_check_untouched(b"\xff\xfe{\"format\":\"skills-scan\"}");
    assert_eq!(errors.len(), 3, "{errors:?}");
}

#[test]
fn duplicate_keys() {
    let bytes = storage::to_bytes(&real_scan(&MINI));
    let text = String::from_utf8(bytes).unwrap();
    // A field given twice.
    let twice = text.replacen("\"id\":", "\"id\": \"other\",\n  \"id\":", 1);
    let e = storage::parse(Path::new(SCAN_PATH), twice.as_bytes()).unwrap_err();
    assert_names(&e, SCAN_PATH);
    assert!(e.to_string().contains("`id` is given twice"), "{e}");
    // One question answered twice: which answer is the learner's? Refuse rather than guess.
    let first = MINI.questions().next().unwrap().question.id.clone();
    let key = format!("\"{first}\": {{");
    let dup = text.replacen(
        &key,
        &format!("\"{first}\": {{ \"rating\": \"no\", \"text\": \"a lost answer\" }},\n    {key}"),
        1,
    );
    assert_ne!(dup, text);
    let e = storage::parse(Path::new(SCAN_PATH), dup.as_bytes()).unwrap_err();
    assert_names(&e, SCAN_PATH);
    assert!(e.to_string().contains(first.as_str()), "{e}");
    // TOML: a key given twice.
    let toml = MINI_TOML.replacen("title = ", "title = \"Twice\"\ntitle = ", 1);
    assert!(Standard::from_toml(&toml).is_err());
    let errors = load_everywhere_and_check_untouched(toml.as_bytes());
    assert!(errors.iter().any(|e| e.contains("duplicate")), "{errors:?}");
    let config = "[provider]\nname = \"A\"\nname = \"B\"\n";
    let e = Config::parse(Path::new(CONFIG_PATH), config).unwrap_err();
    assert_names(&e, CONFIG_PATH);
}

#[test]
fn a_newer_version() {
    let mut v: serde_json::Value =
        serde_json::from_slice(&storage::to_bytes(&real_scan(&MINI))).unwrap();
    v["format_version"] = (SCAN_FORMAT_VERSION + 1).into();
    v["a_field_from_the_future"] = "x".into();
    let bytes = serde_json::to_vec_pretty(&v).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("future.json");
    fs::write(&path, &bytes).unwrap();
    match storage::load(&path).unwrap_err() {
        LoadError::NewerVersion { path: p, .. } => assert_eq!(p, path),
        other => panic!("expected NewerVersion, got {other}"),
    }
    assert!(Session::open::<Answering>(&path).is_err());
    assert_eq!(
        fs::read(&path).unwrap(),
        bytes,
        "a newer file is never rewritten"
    );
    let toml = MINI_TOML.replacen("format_version = 1", "format_version = 2", 1);
    let errors = load_everywhere_and_check_untouched(toml.as_bytes());
    assert!(errors.iter().any(|e| e.contains("newer")), "{errors:?}");
}

type Mutation = Box<dyn Fn(&mut serde_json::Value)>;

/// A scan whose embedded standard snapshot contradicts itself, or contradicts the scan.
#[test]
fn a_standard_snapshot_that_contradicts_itself() {
    let base: serde_json::Value =
        serde_json::from_slice(&storage::to_bytes(&real_scan(&MINI))).unwrap();
    let mutations: Vec<(&str, Mutation)> = vec![
        (
            "duplicate KSB",
            Box::new(|v| {
                let ksbs = v["standard"]["snapshot"]["ksbs"].as_array_mut().unwrap();
                let first = ksbs[0].clone();
                ksbs.push(first);
            }),
        ),
        (
            "question names an unknown KSB",
            Box::new(|v| {
                v["standard"]["snapshot"]["behaviours"][0]["ksbs"] = serde_json::json!(["B99"]);
            }),
        ),
        (
            "reference differs from the snapshot",
            Box::new(|v| v["standard"]["reference"] = "ST0001".into()),
        ),
        (
            "no duties",
            Box::new(|v| v["standard"]["snapshot"]["duties"] = serde_json::json!([])),
        ),
        (
            "an answer to a question the snapshot lacks",
            Box::new(|v| {
                v["answers"]["d99-skills"] = serde_json::json!({"rating": "yes", "text": "x"});
            }),
        ),
    ];
    for (what, mutate) in mutations {
        let mut v = base.clone();
        mutate(&mut v);
        let bytes = serde_json::to_vec_pretty(&v).unwrap();
        let errors = load_everywhere_and_check_untouched(&bytes);
        assert!(
            errors
                .iter()
                .any(|e| e.contains("damaged scan file") || e.contains("not a readable")),
            "{what}: {errors:?}"
        );
    }
    // The standard loader refuses the same contradictions in a standard file.
    let toml = MINI_TOML.replacen("code = \"K2\"", "code = \"K1\"", 1);
    let errors = load_everywhere_and_check_untouched(toml.as_bytes());
    assert!(errors.iter().any(|e| e.contains("K1")), "{errors:?}");
}

#[test]
fn a_missing_file_is_named_and_nothing_is_created() {
    let dir = tempfile::tempdir().unwrap();
    let path: PathBuf = dir.path().join("missing.json");
    assert_names(
        &storage::load(&path).unwrap_err(),
        &path.display().to_string(),
    );
    assert_names(
        &standards::load(Some(&path)).unwrap_err(),
        &path.display().to_string(),
    );
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
}

// ---------- nothing from a file reaches the terminal ----------

/// Escape sequences an attacker would put in a file: set the window title, clear the screen,
/// write the clipboard (OSC 52), their C1 forms, a device control string, bidi overrides.
const ESCAPES: [&str; 5] = [
    "\x1b]0;PWNED TITLE\x07\x1b[2J\x1b]52;c;SGVsbG8=\x07",
    "\u{9b}2J\u{9d}0;C1 TITLE\u{9c}\u{9b}31m",
    "\u{202e}gnp.exe\u{202c}\u{2066}x\u{2069}",
    "\x1bP+q544e\x1b\\\x1b[?1049h\x1b[?1000h",
    "a\x1b[31mred\x1b[0m\r\x1b[Kover\x08\x07",
];

/// The fields of a scan file that reach an error or a report line.
#[derive(Debug, Clone, Copy)]
enum Field {
    Format,
    FormatVersion,
    UnknownKey,
    Rating,
    State,
    QuestionId,
    AgreedQuestionId,
    Reference,
    LearnerName,
    LearnerEmail,
    ManagerEmail,
    FileName,
}

const FIELDS: [Field; 12] = [
    Field::Format,
    Field::FormatVersion,
    Field::UnknownKey,
    Field::Rating,
    Field::State,
    Field::QuestionId,
    Field::AgreedQuestionId,
    Field::Reference,
    Field::LearnerName,
    Field::LearnerEmail,
    Field::ManagerEmail,
    Field::FileName,
];

/// A real submitted scan's JSON with `payload` in `field`; and the file name to give it.
fn poisoned(field: Field, payload: &str) -> (String, Vec<u8>) {
    use serde_json::{Value, json};
    let mut v: Value = serde_json::from_slice(&storage::to_bytes(&real_scan(&MINI))).unwrap();
    let first = MINI.questions().next().unwrap().question.id.clone();
    let mut name = "2026-11-23-sam-taylor-1a2b3c4d.json".to_string();
    match field {
        Field::Format => v["format"] = json!(format!("skills-scan{payload}")),
        Field::FormatVersion => v["format_version"] = json!(payload),
        Field::UnknownKey => v[payload] = json!(1),
        Field::Rating => v["answers"][first.as_str()]["rating"] = json!(payload),
        Field::State => v["status"]["state"] = json!(payload),
        Field::QuestionId => v["answers"][payload] = v["answers"][first.as_str()].clone(),
        Field::AgreedQuestionId => {
            v["review"]["agreed"][payload] = json!({"rating": "yes", "note": "x"});
        }
        Field::Reference => v["standard"]["reference"] = json!(payload),
        Field::LearnerName => v["learner"]["name"] = json!(format!("Sam{payload}Taylor")),
        Field::LearnerEmail => {
            v["learner"]["email"] = json!(format!("sam{payload}@example.org"));
        }
        Field::ManagerEmail => v["manager"]["email"] = json!(format!("{payload}@example.org")),
        Field::FileName => name = format!("2026-11-23-{payload}.json"),
    }
    (name, serde_json::to_vec_pretty(&v).unwrap())
}

/// Every character a terminal would act on, or that reorders text.
fn acted_on(text: &str) -> Vec<char> {
    text.chars()
        .filter(|&c| (c.is_control() && c != '\n') || skills_scan::core::text::is_bidi_control(c))
        .collect()
}

fn run_cli(home: &Path, args: &[&std::ffi::OsStr]) -> std::process::Output {
    crate::support::command(home).args(args).output().unwrap()
}

/// Runs every command that reads a scan over a cohort holding `name` with `bytes`, and checks
/// that nothing a terminal acts on reaches stdout or stderr.
fn every_command_is_inert(name: &str, bytes: &[u8], what: &str) {
    let home = tempfile::tempdir().unwrap();
    let cohort = home.path().join("cohort");
    fs::create_dir(&cohort).unwrap();
    let file = cohort.join(name);
    fs::write(&file, bytes).unwrap();
    let out = home.path().join("out");
    let os = |s: &str| std::ffi::OsString::from(s);
    let runs: Vec<Vec<std::ffi::OsString>> = vec![
        vec![os("summary"), file.clone().into()],
        vec![
            os("summary"),
            os("--format"),
            os("json"),
            file.clone().into(),
        ],
        vec![
            os("summary"),
            os("--format"),
            os("markdown"),
            file.clone().into(),
        ],
        vec![os("list"), cohort.clone().into()],
        vec![os("list"), os("--json"), cohort.clone().into()],
        vec![os("export"), cohort.clone().into(), os("--dry-run")],
        vec![
            os("export"),
            cohort.clone().into(),
            os("--csv"),
            out.join("cohort.csv").into(),
        ],
        vec![
            os("export"),
            cohort.clone().into(),
            os("--eml-dir"),
            out.join("eml").into(),
        ],
        vec![
            os("export"),
            cohort.clone().into(),
            os("--email"),
            os("--json"),
        ],
        vec![os("send"), file.clone().into()],
        vec![os("outbox")],
        vec![os("outbox"), os("send")],
    ];
    fs::create_dir(&out).unwrap();
    for args in runs {
        let args: Vec<&std::ffi::OsStr> = args.iter().map(std::ffi::OsString::as_os_str).collect();
        let o = run_cli(home.path(), &args);
        for (stream, bytes) in [("stdout", &o.stdout), ("stderr", &o.stderr)] {
            let text = String::from_utf8_lossy(bytes);
            let bad = acted_on(&text);
            assert!(
                bad.is_empty(),
                "{what}: `{args:?}` wrote {bad:?} to {stream}:\n{text}"
            );
            assert!(
                o.status.code().is_some_and(|c| c != 101),
                "{what}: {args:?} panicked: {text}"
            );
        }
    }
}

#[test]
fn escape_sequences_in_any_field_never_reach_the_terminal() {
    for field in FIELDS {
        let (name, bytes) = poisoned(field, ESCAPES[0]);
        every_command_is_inert(&name, &bytes, &format!("{field:?}"));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    /// Any of the escapes, in any field, through every command.
    #[test]
    fn any_escape_in_any_field_never_reaches_the_terminal(
        field in proptest::sample::select(FIELDS.to_vec()),
        escape in proptest::sample::select(ESCAPES.to_vec()),
    ) {
        let (name, bytes) = poisoned(field, escape);
        every_command_is_inert(&name, &bytes, &format!("{field:?} {escape:?}"));
    }
}

/// Config and standard files are files too: their errors come out clean.
#[test]
fn escape_sequences_in_a_config_or_standard_file_never_reach_the_terminal() {
    for escape in ESCAPES {
        let home = tempfile::tempdir().unwrap();
        let toml_escape = escape.replace('\\', "\\\\");
        for config in [
            format!("[smtp]\nhost = \"h\"\nsecurity = \"{toml_escape}\"\n"),
            format!("[provider]\n\"{toml_escape}\" = 1\n"),
            format!(
                "[provider]\nname = \"x\"\n[smtp]\nhost = \"{toml_escape}\"\nfrom = \"{toml_escape}\"\n"
            ),
            format!("[\"{toml_escape}\"]\n"),
        ] {
            fs::write(home.path().join("config.toml"), &config).unwrap();
            for args in [
                &["config"][..],
                &["config", "test-smtp"],
                &["list"],
                &["outbox", "send"],
            ] {
                let args: Vec<&std::ffi::OsStr> = args.iter().map(std::ffi::OsStr::new).collect();
                let o = run_cli(home.path(), &args);
                for bytes in [&o.stdout, &o.stderr] {
                    let text = String::from_utf8_lossy(bytes);
                    assert!(
                        acted_on(&text).is_empty(),
                        "{args:?} over {config:?}:\n{text}"
                    );
                }
            }
        }
        let standard = home.path().join("standard.toml");
        for text in [
            MINI_TOML.replacen("reference = \"", &format!("reference = \"{toml_escape}"), 1),
            format!("\"{toml_escape}\" = 1\n{}", &*MINI_TOML),
            MINI_TOML.replacen("format = \"", &format!("format = \"{toml_escape}"), 1),
        ] {
            fs::write(&standard, &text).unwrap();
            for args in [
                &["standard", "--check"][..],
                &["standard", "--standard"],
                &["new", "--plain", "--standard"],
            ] {
                let mut args: Vec<&std::ffi::OsStr> =
                    args.iter().map(std::ffi::OsStr::new).collect();
                args.push(standard.as_os_str());
                let o = run_cli(home.path(), &args);
                for bytes in [&o.stdout, &o.stderr] {
                    let text = String::from_utf8_lossy(bytes);
                    assert!(acted_on(&text).is_empty(), "{args:?}:\n{text}");
                }
            }
        }
    }
}
