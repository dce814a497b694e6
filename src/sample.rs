//! Invented sample scans (example.org people) for tests, benchmarks and demonstrations.
//! Deterministic: the same seed gives the same scan.

use chrono::{DateTime, Duration, Utc};

use crate::core::scan::{Learner, Manager, Rating};
use crate::core::standard::QuestionId;
use crate::core::{Scan, Standard};

const FIRST: &[&str] = &[
    "Sam",
    "Alex",
    "Jordan",
    "Priya",
    "Siân",
    "Tomasz",
    "Aisha",
    "Rhys",
    "Mei",
    "Oluwaseun",
    "Chloé",
    "Dafydd",
    "Hannah",
    "Kofi",
    "Zofia",
    "Liam",
];
const LAST: &[&str] = &[
    "Taylor", "Morgan", "Patel", "Ŵyn", "Nowak", "Okafor", "Jones", "Chen", "Adeyemi", "Dubois",
    "Hughes", "Brown", "Khan", "Evans", "Walsh", "Singh",
];
const TEXTS: &[&str] = &[
    "I run a weekly drop-in group at the community centre and agree ground rules with the group each time.",
    "In my last job I supported people leaving hospital to find housing and benefits advice.",
    "I completed a safeguarding level 2 course in 2024 and follow our reporting procedure.",
    "I share parts of my own recovery story when it helps, and check with my supervisor first.",
    "I keep notes with the person I support and we write the goals together.",
];

/// A small deterministic generator (no extra dependency for invented data).
fn pick<'a>(items: &[&'a str], seed: u64, salt: u64) -> &'a str {
    let mut x = seed
        .wrapping_mul(6_364_136_223_846_793_005)
        .wrapping_add(salt.wrapping_mul(1_442_695_040_888_963_407));
    x ^= x >> 33;
    items[(x % items.len() as u64) as usize]
}

/// A learner's full name for a seed.
pub fn name(seed: u64) -> String {
    format!("{} {}", pick(FIRST, seed, 1), pick(LAST, seed, 2))
}

/// A complete scan for an invented learner, not yet submitted.
pub fn complete_scan(standard: &Standard, seed: u64, now: DateTime<Utc>) -> Scan {
    let mut scan = Scan::new(
        standard,
        format!("sample-{seed:08}"),
        now - Duration::days(2),
    );
    let name = name(seed);
    // ASCII letters only, words joined by single dots ("Chloé Walsh" → "chlo.walsh").
    let slug = name
        .to_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(".");
    scan.learner = Learner {
        name,
        email: format!("{slug}.{seed}@example.org"),
    };
    scan.manager = Manager {
        email: format!("manager.{seed}@example.org"),
        name: format!("{} {}", pick(FIRST, seed, 3), pick(LAST, seed, 4)),
    };
    let ids: Vec<QuestionId> = standard
        .questions()
        .map(|l| l.question.id.clone())
        .collect();
    for (i, id) in ids.iter().enumerate() {
        let rating = match pick(&["y", "s", "n", "y", "s"], seed, i as u64 + 10) {
            "y" => Rating::Yes,
            "s" => Rating::Some,
            _ => Rating::No,
        };
        let at = now - Duration::days(1);
        scan.set_rating(id, Some(rating), at);
        if rating.needs_justification() {
            scan.set_text(id, pick(TEXTS, seed, i as u64 + 50), at);
        }
    }
    scan
}

/// A complete, submitted scan for an invented learner.
pub fn submitted_scan(standard: &Standard, seed: u64, now: DateTime<Utc>) -> Scan {
    let mut scan = complete_scan(standard, seed, now);
    // A complete sample always submits; if the rules ever change, the scan stays in progress.
    let _ = scan.submit(now);
    scan
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_are_complete_deterministic_and_use_example_org() {
        let standard = Standard::embedded().expect("valid");
        let now = Utc::now();
        let a = submitted_scan(&standard, 7, now);
        let b = submitted_scan(&standard, 7, now);
        assert_eq!(a, b);
        assert!(a.is_submitted());
        assert!(a.learner.email.ends_with("@example.org"));
        assert!(a.manager.email.ends_with("@example.org"));
        assert_ne!(name(1), name(2));
        for seed in 0..200 {
            let s = submitted_scan(&standard, seed, now);
            assert!(s.is_submitted(), "seed {seed}: {:?}", s.learner);
        }
    }
}
