//! Benchmark (not a test) of `skills-scan standard import` on a 5 MB published file holding 50
//! invented standards (each 30 duties, 150 KSBs with long statements, two options): the release
//! binary run end to end (read, parse, generate questions, check, write 50 standard files and
//! read each back), and the pure parts on their own. Target: the whole import under a second.
//! Run: `cargo bench --bench standard_import` (`IMPORT_BENCH_RUNS=N` for more runs).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use skills_scan::core::Standard;
use skills_scan::core::import;

const STANDARDS: usize = 50;

/// A long statement (about 400 characters), different for each KSB.
fn statement(kind: &str, n: usize, s: usize) -> String {
    format!(
        "{kind} {n} of invented standard {s}: how to plan, carry out and review the work safely and \
         to the required quality, taking account of the organisation's policies, the people \
         involved, the equipment and materials, the records to keep, the risks to manage and \
         the ways of escalating a concern to the right colleague in good time, in person or in writing, and how to explain \
         all of this to a new colleague, and the law that applies ({n}/{s})."
    )
}

fn standard(s: usize) -> Value {
    let id = |kind: &str, n: usize| format!("{s:04x}{n:04x}-{kind}-4000-8000-00000000{n:04}");
    let list = |kind: &str, field: &str, count: usize| -> Vec<Value> {
        (1..=count)
            .map(|n| json!({ field: id(kind, n), "detail": statement(kind, n, s) }))
            .collect()
    };
    let duties: Vec<Value> = (0..30)
        .map(|d| {
            let k: Vec<String> = (1..=60).filter(|n| n % 30 == d).map(|n| id("k", n)).collect();
            let sk: Vec<String> = (1..=70).filter(|n| n % 30 == d).map(|n| id("s", n)).collect();
            let b: Vec<String> = (1..=20).filter(|n| n % 10 == d % 10).map(|n| id("b", n)).collect();
            let option = match d % 3 {
                0 => vec![id("o", 1)],
                1 => vec![id("o", 2)],
                _ => vec![],
            };
            json!({
                "dutyId": id("d", d + 1),
                "dutyDetail": format!("Duty {} of invented standard {s}: plan, carry out and review one part of the occupation's work, keeping people safe and records accurate", d + 1),
                "isThisACoreDuty": option.is_empty(),
                "mappedKnowledge": k,
                "mappedSkills": sk,
                "mappedBehaviour": b,
                "mappedOptions": option,
            })
        })
        .collect();
    json!({
        "referenceNumber": format!("ST{:04}", 5000 + s),
        "version": "1.0",
        "title": format!("Invented occupation {s}"),
        "level": 3,
        "status": "Approved for delivery",
        "overviewOfRole": statement("overview", 0, s),
        "coreAndOptions": true,
        "options": [{"optionId": id("o", 1), "title": "First option"}, {"optionId": id("o", 2), "title": "Second option"}],
        "knowledges": list("k", "knowledgeId", 60),
        "skills": list("s", "skillId", 70),
        "behaviours": list("b", "behaviourId", 20),
        "duties": duties,
    })
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let runs: usize = std::env::var("IMPORT_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("standards.json");
    let text = serde_json::to_string_pretty(&Value::Array((0..STANDARDS).map(standard).collect()))
        .unwrap();
    std::fs::write(&file, &text).unwrap();
    println!(
        "standard import: {} standards, {:.1} MB of published JSON, {runs} runs",
        STANDARDS,
        text.len() as f64 / 1e6
    );

    let (mut parse, mut generate, mut check, mut whole) = (vec![], vec![], vec![], vec![]);
    for run in 0..runs {
        let t = Instant::now();
        let records = import::parse(&text).unwrap();
        parse.push(t.elapsed());
        let standards: Vec<Standard> = records
            .into_iter()
            .map(|r| r.result.unwrap().standard)
            .collect();
        assert_eq!(standards.len(), STANDARDS);
        assert_eq!(standards[0].ksbs.len(), 150);
        let t = Instant::now();
        let files: Vec<String> = standards
            .iter()
            .map(|s| import::to_toml(s, "x.json"))
            .collect();
        generate.push(t.elapsed());
        let t = Instant::now();
        for (f, s) in files.iter().zip(&standards) {
            assert_eq!(&Standard::from_toml(f).unwrap(), s);
        }
        check.push(t.elapsed());

        let data = dir.path().join(format!("data-{run}"));
        let t = Instant::now();
        let out = Command::new(env!("CARGO_BIN_EXE_skills-scan"))
            .args(["--data-dir", data.to_str().unwrap(), "standard", "import"])
            .arg(&file)
            .output()
            .unwrap();
        whole.push(t.elapsed());
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            std::fs::read_dir(data.join("standards")).unwrap().count(),
            STANDARDS
        );
    }
    let worst = whole.iter().max().copied().unwrap_or_default();
    println!(
        "  parse + generate questions + check (core): median {}",
        ms(median(parse))
    );
    println!(
        "  write 50 TOML standard files' text:         median {}",
        ms(median(generate))
    );
    println!(
        "  read each back with the loader:             median {}",
        ms(median(check))
    );
    println!(
        "  `skills-scan standard import` end to end:   median {}, worst {} (target: under 1 s)",
        ms(median(whole)),
        ms(worst)
    );
}
