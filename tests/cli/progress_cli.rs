//! Distance travelled through the real binary: a scan, a later scan with `new --after` through
//! the plain front end, `compare` in all four formats against figures worked out by hand, the
//! refusals, a changed or missing earlier scan, the summary's "Progress since" section, and the
//! cohort table (and CSV) over three learners with two or three scans each.
// Unix only: it drives the PTY and Unix signals; the comparison itself is covered by core::progress unit tests under Wine.
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::support::mail as mail_support;
use crate::support::plain as plain_support;
use crate::support::pty::App;

use std::path::{Path, PathBuf};

use crate::support::{code, stderr, stdout};
use chrono::{DateTime, TimeZone, Utc};
use plain_support::{Env, answer_lines, join};
use skills_scan::core::progress::later_scan;
use skills_scan::core::scan::{Learner, Manager, ScanKind};
use skills_scan::core::{QuestionId, Rating, Scan, Standard};
use skills_scan::storage;

fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 10, 0, 0).single().unwrap()
}

fn ids(scan: &Scan) -> Vec<QuestionId> {
    scan.standard()
        .questions()
        .map(|l| l.question.id.clone())
        .collect()
}

/// Rates every question `base`, then the given ones; every Yes/Some gets a text.
fn rate(scan: &mut Scan, base: Rating, ratings: &[(&str, Rating)], now: DateTime<Utc>) {
    for id in ids(scan) {
        let r = ratings
            .iter()
            .find(|(q, _)| id == *q)
            .map_or(base, |(_, r)| *r);
        scan.set_rating(&id, Some(r), now);
        if r.needs_justification() {
            scan.set_text(&id, "I do this at work.", now);
        }
    }
}

fn person(scan: &mut Scan, name: &str, email: &str) {
    scan.learner = Learner {
        name: name.into(),
        email: email.into(),
    };
    scan.manager = Manager {
        email: "alex.morgan@example.org".into(),
        name: "Alex Morgan".into(),
    };
}

fn save(dir: &Path, name: &str, scan: &Scan) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    let path = dir.join(name);
    storage::save_atomically(&path, scan).unwrap();
    path
}

/// Earlier (2 March 2026): all No except d1-skills Yes (S1–S5), d1-knowledge Some (K1–K11),
/// d2-skills Some (S6–S8). Later (25 May 2026, a progress review following it): d1-skills
/// Some (5 lower), d1-knowledge Yes (11 up), d2-skills Yes (3 up), b2 Yes (1 up), b1 No
/// but agreed Some by the coach (1 up).
fn pair(dir: &Path) -> (PathBuf, PathBuf) {
    let standard = Standard::embedded().unwrap();
    let mut earlier = Scan::new(&standard, "earlier-0001", at(2026, 3, 1));
    person(&mut earlier, "Sam Taylor", "sam.taylor@example.org");
    rate(
        &mut earlier,
        Rating::No,
        &[
            ("d1-skills", Rating::Yes),
            ("d1-knowledge", Rating::Some),
            ("d2-skills", Rating::Some),
        ],
        at(2026, 3, 1),
    );
    earlier.submit(at(2026, 3, 2)).unwrap();
    let mut later = later_scan(
        &earlier,
        ScanKind::ProgressReview,
        "later-0002",
        at(2026, 5, 20),
    );
    rate(
        &mut later,
        Rating::No,
        &[
            ("d1-skills", Rating::Some),
            ("d1-knowledge", Rating::Yes),
            ("d2-skills", Rating::Yes),
            ("b2", Rating::Yes),
        ],
        at(2026, 5, 20),
    );
    later.submit(at(2026, 5, 25)).unwrap();
    later.set_agreed_rating(&"b1".into(), Some(Rating::Some), at(2026, 5, 26));
    // Hostile text in a name, to see every format keep it inert.
    later.learner.name = "Sam <b>Taylor</b>".into();
    (
        save(dir, "earlier.json", &earlier),
        save(dir, "later.json", &later),
    )
}

fn compare(env: &Env, args: &[&str]) -> std::process::Output {
    let mut all = vec!["compare"];
    all.extend_from_slice(args);
    env.run(&all, b"")
}

#[test]
fn compare_in_four_formats_gives_the_figures_worked_out_by_hand() {
    let env = Env::new();
    let (e, l) = pair(env.dir.path());
    let (e, l) = (e.to_str().unwrap(), l.to_str().unwrap());

    // By hand: earlier 5 of 113 KSBs Yes (S1–S5) = 4%; later 11 + 3 + 1 = 15 = 13%; +9 points.
    // Improved 11 + 3 + 1 + 1 (B1 agreed) = 16, lower 5, unchanged 113 − 21 = 92.
    // Duty 1 (K1–K11, S1–S5 = 16): 5 → 11 met, 31% → 69%. 84 days from 2 March to 25 May.
    let out = compare(&env, &[e, l]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    for expected in [
        "Skills scan progress – Sam <b>Taylor</b> – Peer worker (level 3)",
        "Earlier: initial scan, 2 March 2026",
        "Later: progress review, 25 May 2026",
        "Days between: 84 days",
        "Share met on 2 March 2026: 4% (5 of 113)",
        "Share met on 25 May 2026: 13% (15 of 113)",
        "Change: +9 points",
        "KSBs: 16 improved, 92 unchanged, 5 lower, 0 not rated at both dates",
        "coach's agreed ratings where set",
        "Duty 1: Establish safe",
        "  Share met: 31% → 69% (5 → 11 of 16)",
        "  Skills (S1, S2, S3, S4, S5): ✔ Yes → ◐ Some  ↓ lower",
        "  Knowledge (K1, K2, K3, K4, K5, K6, K7, K8, K9, K10, K11): ◐ Some → ✔ Yes  ↑ improved",
        "    S1: ✔ Yes → ◐ Some  ↓ lower",
        "    K11: ◐ Some → ✔ Yes  ↑ improved",
        "    0 of 16 KSBs unchanged",
        "  Share met: 0% → 43% (0 → 3 of 7)",
        "  Behaviour (B1): ✘ No → ◐ Some (agreed)  ↑ improved",
        "    B1: ✘ No → ◐ Some (agreed)  ↑ improved",
        "KSBs still not met (98)",
        "- S1 (◐ Some): ",
    ] {
        assert!(text.contains(expected), "text lacks {expected:?}:\n{text}");
    }
    assert!(
        !text.contains("Notes\n"),
        "the link matches: no notes\n{text}"
    );
    assert!(!text.contains("- K1 ("), "K1 is met");

    let out = compare(&env, &[e, l, "--format", "markdown"]);
    assert_eq!(code(&out), 0);
    let md = stdout(&out);
    for expected in [
        "# Skills scan progress – Sam \\<b\\>Taylor\\</b\\> – Peer worker (level 3)",
        "| Change | \\+9 points |",
        "| Share met on 25 May 2026 | 13% (15 of 113) |",
        "| Part | 2 March 2026 | 25 May 2026 | Change |",
        "| Duty 2: Safely discloses personal experiences with individuals and models self-help and self-management skills | 0% | 43% | \\+43 points |",
        "| Behaviours | 0% | 20% | \\+20 points |",
        "| S1 | ✔ Yes → ◐ Some | ↓ lower |",
        "## KSBs still not met (98)",
    ] {
        assert!(md.contains(expected), "markdown lacks {expected:?}:\n{md}");
    }

    let out = compare(&env, &[e, l, "--format", "html"]);
    assert_eq!(code(&out), 0);
    let html = stdout(&out);
    assert!(html.starts_with("<!DOCTYPE html>"));
    let svg = html.find("<svg").expect("a chart");
    assert!(
        svg < html.find("Days between").unwrap(),
        "the page opens with the chart"
    );
    assert!(
        html.contains("aria-label=\"Share of KSBs met per duty: 2 March 2026 and 25 May 2026\"")
    );
    // Duty 1's bars: 31% and 69% of 460 px.
    assert!(html.contains("width=\"142\" height=\"12\" fill=\"#9db3d6\"/><text x=\"256\" y=\"42\" font-family=\"Arial,Helvetica,sans-serif\" font-size=\"11\">31%</text>"), "{html}");
    assert!(html.contains(">69%</text>"));
    assert!(html.contains("Sam &lt;b&gt;Taylor&lt;/b&gt;"));
    assert!(!html.contains("<b>Taylor"), "learner text is escaped");
    assert!(html.contains("<th style=\"font-size:14px;text-align:left;vertical-align:top;padding:6px 8px;background:#e8eef7;border:1px solid #b8c4d6;\">Change</th><td style=\"font-size:14px;text-align:left;vertical-align:top;padding:6px 8px;border:1px solid #b8c4d6;\">+9 points</td>"));

    let out = compare(&env, &[e, l, "--format", "json"]);
    assert_eq!(code(&out), 0);
    let j: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(j["format"], "skills-scan-comparison");
    assert_eq!(j["days"], 84);
    assert_eq!(j["earlier"]["kind"], "initial");
    assert_eq!(j["later"]["kind"], "progress_review");
    assert_eq!(j["met_earlier"]["met"], 5);
    assert_eq!(j["met_later"]["percent"], 13);
    assert_eq!(j["tally"]["improved"], 16);
    assert_eq!(j["tally"]["lower"], 5);
    assert_eq!(j["tally"]["unchanged"], 92);
    assert_eq!(j["parts"][0]["earlier"]["percent"], 31);
    assert_eq!(j["parts"][0]["later"]["percent"], 69);
    assert_eq!(
        j["parts"][10]["questions"][0]["change"]["later_agreed"],
        true
    );
    assert_eq!(j["still_not_met"].as_array().unwrap().len(), 98);
    assert_eq!(j["link"]["state"], "matches");
    assert_eq!(j["uses_agreed"], true);
}

#[test]
fn scans_of_different_learners_or_standards_are_refused_with_the_reason() {
    let env = Env::new();
    let (e, l) = pair(env.dir.path());
    let mut other = storage::load(&l).unwrap();
    other.learner.email = "jo.bloggs@example.org".into();
    let other = save(env.dir.path(), "other.json", &other);
    let out = compare(&env, &[e.to_str().unwrap(), other.to_str().unwrap()]);
    assert_eq!(code(&out), 1);
    let err = stderr(&out);
    assert!(
        err.contains("different learners (sam.taylor@example.org and jo.bloggs@example.org)"),
        "{err}"
    );
    assert!(stdout(&out).is_empty());

    let mut newer = storage::load(&l).unwrap();
    newer.standard.version = "1.1".into();
    newer.standard.snapshot.version = "1.1".into();
    let newer = save(env.dir.path(), "newer.json", &newer);
    let out = compare(&env, &[e.to_str().unwrap(), newer.to_str().unwrap()]);
    assert_eq!(code(&out), 1);
    assert!(
        stderr(&out).contains("different standards (ST0896 v1.0 and ST0896 v1.1)"),
        "{}",
        stderr(&out)
    );

    let out = compare(&env, &[e.to_str().unwrap(), "missing.json"]);
    assert_eq!(code(&out), 66);
}

#[test]
fn a_changed_or_missing_earlier_scan_is_noted_and_the_later_scan_still_opens() {
    let env = Env::new();
    let (e, l) = pair(env.dir.path());
    let mut changed = storage::load(&e).unwrap();
    changed.answers.get_mut("d1-skills").unwrap().text = "Edited afterwards.".into();
    storage::save_atomically(&e, &changed).unwrap();
    let out = compare(&env, &[e.to_str().unwrap(), l.to_str().unwrap()]);
    assert_eq!(code(&out), 0);
    assert!(stdout(&out).contains("Notes\n-----\n- The earlier scan's answers have changed since the later scan was started from it"));

    // The summary of the later scan finds the earlier one beside it…
    let out = env.run(&["summary", l.to_str().unwrap()], b"");
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("Progress since 2 March 2026\n"), "{text}");
    assert!(
        text.contains("Share of the standard met: 4% (5 of 113) → 13% (15 of 113) (+9 points)")
    );
    assert!(text.contains("  Duty 1: 31% → 69%"));
    for format in ["markdown", "html", "json"] {
        let out = env.run(&["summary", l.to_str().unwrap(), "--format", format], b"");
        assert_eq!(code(&out), 0);
        assert!(
            stdout(&out).contains("Progress since 2 March 2026"),
            "{format}"
        );
    }

    // …and without it says so, and still prints.
    let alone = env.dir.path().join("alone");
    std::fs::create_dir_all(&alone).unwrap();
    let moved = alone.join("later.json");
    std::fs::copy(&l, &moved).unwrap();
    let out = env.run(&["summary", moved.to_str().unwrap()], b"");
    assert_eq!(code(&out), 0);
    let text = stdout(&out);
    assert!(text.contains("Progress since 2 March 2026"));
    assert!(text.contains("(id earlier-0001, 2 March 2026)"), "{text}");
    assert!(
        text.contains("not found, so no comparison can be shown."),
        "{text}"
    );
    assert!(text.contains("Areas for development") || text.contains("Ratings"));
}

/// A later scan's plain-mode answers: every question Yes with a text, except Duty 1 Skills No
/// (a step back), then submit.
fn later_scan_lines() -> Vec<String> {
    let mut lines = Vec::new();
    for i in 0..25 {
        if i == 0 {
            lines.push("no".to_string());
        } else {
            lines.push("yes".to_string());
            lines.push(format!("Now I do question {i}."));
        }
        lines.push(".".to_string());
    }
    lines.push("submit".to_string());
    lines
}

/// The messages waiting in the outbox (`.eml`), as text.
fn outbox_mails(env: &Env) -> Vec<String> {
    std::fs::read_dir(env.data_dir().join("outbox"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "eml"))
        .map(|p| String::from_utf8_lossy(&std::fs::read(p).unwrap()).into_owned())
        .collect()
}

#[test]
fn a_later_scan_through_the_plain_front_end_follows_the_first_and_compares() {
    let env = Env::new();
    let out = env.run(&["new", "--plain"], &join(&answer_lines()));
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let first = env.scans().remove(0);
    let earlier = storage::load(&first).unwrap();

    // The later scan: the learner's details are not asked again.
    let lines = later_scan_lines();
    let out = env.run(
        &[
            "new",
            "--plain",
            "--after",
            first.to_str().unwrap(),
            "--kind",
            "end-of-programme",
        ],
        &join(&lines),
    );
    assert_eq!(code(&out), 0, "{}\n{}", stdout(&out), stderr(&out));
    let shown = stdout(&out);
    let date = earlier
        .submitted_at()
        .unwrap()
        .format("%-d %B %Y")
        .to_string();
    assert!(
        shown.contains(&format!(
            "This is your end-of-programme scan, following your scan of {date}."
        )),
        "{shown}"
    );
    // The earlier rating and, briefly, the earlier words beside each question.
    assert!(
        shown.contains(&format!(
            "Earlier ({date}): Yes – “I do d1-skills every week.”\nRate: yes, some or no"
        )),
        "{shown}"
    );
    assert!(shown.contains(&format!(
        "Earlier ({date}): Some – “I have done some of d1-knowledge. A second paragraph.”"
    )));
    assert!(shown.contains(&format!("Earlier ({date}): No\n")));
    assert!(
        !shown.contains("Your name: type your full name"),
        "details are copied"
    );

    let files = env.scans();
    assert_eq!(files.len(), 2);
    let later_path = files.iter().find(|p| **p != first).unwrap();
    let later = storage::load(later_path).unwrap();
    assert_eq!(later.kind, ScanKind::EndOfProgramme);
    assert_eq!(later.learner, earlier.learner);
    assert_eq!(later.manager, earlier.manager);
    let follows = later.follows.as_ref().unwrap();
    assert_eq!(follows.id, earlier.id);
    assert_eq!(
        follows.fingerprint,
        skills_scan::core::fingerprint::answers_fingerprint(&earlier.answers)
    );
    assert_eq!(
        later.answer(&"d1-knowledge".into()).unwrap().text,
        "Now I do question 1.",
        "nothing prefilled"
    );
    assert!(later.is_submitted());

    // The later scan's email (queued: no SMTP here) has "Progress since"; the first's has not.
    let mails = outbox_mails(&env);
    assert_eq!(mails.len(), 2);
    assert_eq!(
        mails
            .iter()
            .filter(|m| m.contains(&format!("Progress since {date}")))
            .count(),
        1,
        "only the later scan's email has the section"
    );

    // By hand: the earlier answers are yes/some/no in turn, so Yes on questions 1, 4, 7, … 25:
    // S1–S5, K12–K15, S18–S20, K28–K33, S29–S35, K46–K48, S45–S50, B2, B5 = 36 KSBs (32%).
    // Later: all Yes but S1–S5 = 108 (96%): 77 improved, 31 unchanged, 5 lower.
    let out = compare(
        &env,
        &[first.to_str().unwrap(), later_path.to_str().unwrap()],
    );
    assert_eq!(code(&out), 0);
    let text = stdout(&out);
    assert!(
        text.contains(&format!("Share met on {date}: 32% (36 of 113)")),
        "{text}"
    );
    assert!(text.contains("96% (108 of 113)"));
    assert!(text.contains("Change: +64 points"));
    assert!(text.contains("KSBs: 77 improved, 31 unchanged, 5 lower, 0 not rated at both dates"));
    assert!(text.contains("Later: end-of-programme scan"));

    // A later scan follows only a submitted scan.
    let mut open = earlier.clone();
    open.status = skills_scan::core::scan::Status::InProgress;
    let open = save(env.dir.path(), "open.json", &open);
    let out = env.run(&["new", "--plain", "--after", open.to_str().unwrap()], b"");
    assert_eq!(code(&out), 65);
    assert!(
        stderr(&out).contains("is not submitted yet"),
        "{}",
        stderr(&out)
    );
}

/// One scan of the cohort: learner, email, base rating, other ratings, date, kind, the coach's
/// agreed rating, submitted.
type Planned<'a> = (
    &'a str,
    &'a str,
    Rating,
    &'a [(&'a str, Rating)],
    DateTime<Utc>,
    ScanKind,
    Option<(&'a str, Rating)>,
    bool,
);

/// Three learners: Ana (3 scans: 0%, 10%, 14%), Ben (2 scans: 96%, 100%), Cai (2 scans: 0%,
/// then 8% by the coach agreeing d3-skills Yes), plus a scan in progress and a broken file.
fn cohort(dir: &Path) {
    use Rating::{No, Some as S, Yes};
    use ScanKind::{EndOfProgramme as End, Initial, ProgressReview as Review};
    let standard = Standard::embedded().unwrap();
    let (a, b, c) = (
        "ana.lowe@example.org",
        "ben.okafor@example.org",
        "cai.evans@example.org",
    );
    let ben_upper = b.to_uppercase();
    let ben_behaviours = [("b1", No), ("b2", No), ("b3", No), ("b4", No), ("b5", No)];
    let planned: [Planned<'_>; 8] = [
        ("Ana Lowe", a, No, &[], at(2026, 1, 5), Initial, None, true),
        (
            "Ana Lowe",
            a,
            No,
            &[("d1-knowledge", Yes)],
            at(2026, 4, 5),
            Review,
            None,
            true,
        ),
        (
            "Ana Lowe",
            a,
            No,
            &[("d1-knowledge", Yes), ("d1-skills", Yes)],
            at(2026, 7, 5),
            Review,
            None,
            true,
        ),
        (
            "Ben Okafor",
            b,
            Yes,
            &ben_behaviours,
            at(2026, 2, 1),
            Initial,
            None,
            true,
        ),
        (
            "Ben Okafor",
            &ben_upper,
            Yes,
            &[],
            at(2026, 9, 1),
            End,
            None,
            true,
        ),
        ("Cai Evans", c, S, &[], at(2026, 3, 3), Initial, None, true),
        (
            "Cai Evans",
            c,
            S,
            &[],
            at(2026, 6, 3),
            Review,
            Some(("d3-skills", Yes)),
            true,
        ),
        ("Cai Evans", c, S, &[], at(2026, 8, 3), Review, None, false),
    ];
    for (i, (name, email, base, extra, when, kind, agreed, submit)) in
        planned.into_iter().enumerate()
    {
        let number = i + 1;
        let mut s = Scan::new(&standard, format!("scan-{number:04}"), when);
        person(&mut s, name, email);
        s.kind = kind;
        rate(&mut s, base, extra, when);
        if submit {
            s.submit(when).unwrap();
        }
        if let Some((q, r)) = agreed {
            s.set_agreed_rating(&q.into(), Some(r), when);
        }
        save(
            &dir.join(name.split(' ').next().unwrap()),
            &format!("{number}.json"),
            &s,
        );
    }
    std::fs::write(dir.join("broken.json"), b"{ not a scan").unwrap();
}

#[test]
fn the_cohort_table_has_one_row_per_learner_with_first_latest_and_change() {
    let env = Env::new();
    let dir = env.dir.path().join("cohort");
    cohort(&dir);
    let csv = env.dir.path().join("progress.csv");
    let out = compare(
        &env,
        &[dir.to_str().unwrap(), "--csv", csv.to_str().unwrap()],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    let rows: Vec<&str> = text.lines().collect();
    assert!(rows[0].starts_with("Learner"), "{text}");
    assert!(rows[1].starts_with("Ana Lowe    ana.lowe@example.org    ST0896 v1.0  3      2026-01-05  0%            2026-07-05  14%            +14 points"), "{text}");
    assert!(
        rows[2].starts_with("Ben Okafor")
            && rows[2].contains("  2  ")
            && rows[2].ends_with("96%           2026-09-01  100%           +4 points"),
        "{text}"
    );
    assert!(
        rows[3].starts_with("Cai Evans")
            && rows[3].ends_with("0%            2026-06-03  8%             +8 points"),
        "{text}"
    );
    assert!(text.contains("1 scan still in progress not counted."));
    assert!(
        stderr(&out).contains("Skipped broken.json"),
        "{}",
        stderr(&out)
    );

    let sheet = std::fs::read_to_string(&csv).unwrap();
    let lines: Vec<&str> = sheet.lines().collect();
    assert_eq!(lines.len(), 4, "{sheet}");
    assert!(lines[0].starts_with(
        "Learner,Learner email,Standard,Scans,First scan,First scan kind,Met at first %"
    ));
    assert_eq!(
        lines[1],
        "Ana Lowe,ana.lowe@example.org,ST0896 v1.0,3,2026-01-05,initial scan,0,2026-07-05,progress review,14,14,Ana/1.json,Ana/3.json"
    );
    assert_eq!(
        lines[2],
        "Ben Okafor,BEN.OKAFOR@EXAMPLE.ORG,ST0896 v1.0,2,2026-02-01,initial scan,96,2026-09-01,end-of-programme scan,100,4,Ben/4.json,Ben/5.json"
    );
    assert_eq!(
        lines[3],
        "Cai Evans,cai.evans@example.org,ST0896 v1.0,2,2026-03-03,initial scan,0,2026-06-03,progress review,8,8,Cai/6.json,Cai/7.json"
    );

    let out = compare(&env, &[dir.to_str().unwrap(), "--format", "json"]);
    let j: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(j["learners"].as_array().unwrap().len(), 3);
    assert_eq!(j["learners"][0]["latest"]["met"]["met"], 16);
    assert_eq!(j["in_progress_not_counted"], 1);

    let out = compare(&env, &[dir.to_str().unwrap(), dir.to_str().unwrap()]);
    assert_eq!(code(&out), 66, "a folder is not a scan file");
}

#[test]
fn the_earlier_rating_shows_beside_the_question_in_the_learners_app_and_in_open() {
    let env = Env::new();
    let (e, l) = pair(env.dir.path());

    // The learner's full-screen app on a new later scan: welcome, details (already filled in),
    // then Duty 1, whose Skills question was Yes on 2 March.
    let mut app = App::start_with(
        env.dir.path(),
        &["new", "--after", e.to_str().unwrap()],
        &[],
    );
    app.wait_for("Welcome");
    // End skips to the end of the welcome's reading, then PgDn begins.
    app.send("\x1b[F");
    app.send("\x1b[6~");
    app.wait_for("Sam Taylor");
    app.send("\x1b[6~");
    app.wait_for("Duty 1 of 10");
    app.wait_for("Earlier: ✔ Yes – I do this at");
    let screen = app.screen();
    assert!(
        screen.contains("( ) Yes    ( ) Some    ( ) No"),
        "nothing is prefilled:\n{screen}"
    );
    app.send("\x03");
    assert_eq!(app.exit_code(), 0);

    // The coach's `open` on the later scan: the list shows what each question was, and the
    // question screen the earlier rating and words.
    let mut coach = App::start_with(env.dir.path(), &["open", l.to_str().unwrap()], &[]);
    coach.wait_for("Questions: was → learner → agreed");
    coach.wait_for("▶D1 Skills      ✔ → ◐ Some");
    coach.wait_for(" D1 Knowledge   ◐ → ✔ Yes");
    coach.send("\r");
    coach.wait_for("Earlier (2 March 2026): ✔ Yes");
    coach.wait_for("“I do this at work.”");
    // Scrolled down to the KSB statements: each with its earlier rating.
    coach.send(&"\x1b[B".repeat(12));
    coach.wait_for("(was ✔) ");
    coach.send("q");
    assert_eq!(coach.exit_code(), 0, "{}", coach.screen());
}

#[test]
fn a_later_scans_exported_message_has_the_progress_section() {
    let env = Env::new();
    let dir = env.dir.path().join("cohort");
    pair(&dir);
    let out_dir = env.dir.path().join("eml");
    let out = env.run(
        &[
            "export",
            dir.to_str().unwrap(),
            "--eml-dir",
            out_dir.to_str().unwrap(),
        ],
        b"",
    );
    assert_eq!(code(&out), 0, "{}\n{}", stdout(&out), stderr(&out));
    let mails: Vec<String> = std::fs::read_dir(&out_dir)
        .unwrap()
        .map(|e| String::from_utf8_lossy(&std::fs::read(e.unwrap().path()).unwrap()).into_owned())
        .collect();
    assert_eq!(mails.len(), 2);
    let with: Vec<&String> = mails
        .iter()
        .filter(|m| m.contains("Progress since 2 March 2026"))
        .collect();
    assert_eq!(with.len(), 1, "only the later scan's message");
    assert!(
        with[0].contains("Share of the standard met: 4% (5 of 113) =E2=86=92 13% (15 of 113)"),
        "{}",
        with[0]
    );
}

#[test]
fn a_later_scan_queued_without_smtp_keeps_its_progress_section_when_sent_from_the_outbox() {
    mail_support::install_crypto();
    let server = mail_support::SmtpServer::plain();
    let env = mail_support::Env::new();
    let (e, l) = pair(&env.dir.path().join("made"));
    let earlier = storage::load(&e).unwrap();
    let later = storage::load(&l).unwrap();
    env.write_scan(&earlier);
    let later = env.write_scan(&later);
    // No [smtp] yet: the message waits in the outbox, to be rebuilt with the real sender.
    let out = env.run(&["send", later.to_str().unwrap()], None);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("outbox")
            || String::from_utf8_lossy(&out.stderr).contains("outbox")
    );
    env.write_config(&mail_support::smtp_config(&server, ""));
    let out = env.run(&["outbox", "send"], None);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    let got = server.received();
    assert_eq!(got.len(), 1);
    let raw = String::from_utf8_lossy(&got[0].data);
    assert!(raw.contains("Progress since 2 March 2026"), "{raw}");
}
