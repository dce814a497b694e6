//! Table tests of the movement arithmetic: per question and KSB, agreed over the learner's
//! ratings, regressions, the share met, and the refusals.

use super::*;
use crate::core::fingerprint::answers_fingerprint;
use crate::core::scan::tests::{complete, t};
use crate::core::scan::{Agreed, Follows};

use Rating::{No, Some as S, Yes};

#[test]
fn movement_table() {
    let table = [
        (None, None, Movement::Unrated),
        (Some(No), None, Movement::Unrated),
        (None, Some(Yes), Movement::Unrated),
        (Some(No), Some(No), Movement::Unchanged),
        (Some(No), Some(S), Movement::Improved),
        (Some(No), Some(Yes), Movement::Improved),
        (Some(S), Some(Yes), Movement::Improved),
        (Some(S), Some(S), Movement::Unchanged),
        (Some(S), Some(No), Movement::Lower),
        (Some(Yes), Some(S), Movement::Lower),
        (Some(Yes), Some(No), Movement::Lower),
        (Some(Yes), Some(Yes), Movement::Unchanged),
    ];
    for (earlier, later, expected) in table {
        assert_eq!(
            Movement::between(earlier, later),
            expected,
            "{earlier:?} → {later:?}"
        );
    }
}

/// A scan rated `rating` everywhere, except the given question ratings.
fn scan_with(base: Rating, ratings: &[(&str, Rating)]) -> Scan {
    let mut s = complete(&[]);
    let ids: Vec<QuestionId> = s
        .standard()
        .questions()
        .map(|l| l.question.id.clone())
        .collect();
    for id in ids {
        s.set_rating(&id, Some(base), t(2));
    }
    for (id, r) in ratings {
        s.set_rating(&QuestionId::from(*id), Some(*r), t(2));
    }
    s
}

#[test]
fn ksb_rating_table_agreed_ksb_then_agreed_question_then_learner() {
    // d1-skills covers S1–S5; B1 is covered by b1 only.
    struct Case {
        learner: Rating,
        agreed_question: Option<Rating>,
        agreed_ksb: Option<Rating>,
        expected: Rating,
    }
    let cases = [
        Case {
            learner: S,
            agreed_question: None,
            agreed_ksb: None,
            expected: S,
        },
        Case {
            learner: S,
            agreed_question: Some(Yes),
            agreed_ksb: None,
            expected: Yes,
        },
        Case {
            learner: S,
            agreed_question: Some(Yes),
            agreed_ksb: Some(No),
            expected: No,
        },
        Case {
            learner: Yes,
            agreed_question: None,
            agreed_ksb: Some(S),
            expected: S,
        },
        Case {
            learner: No,
            agreed_question: Some(S),
            agreed_ksb: None,
            expected: S,
        },
    ];
    for (i, c) in cases.iter().enumerate() {
        let mut s = scan_with(No, &[("d1-skills", c.learner)]);
        if let Some(r) = c.agreed_question {
            s.set_agreed_rating(&"d1-skills".into(), Some(r), t(3));
        }
        if let Some(r) = c.agreed_ksb {
            s.review_mut().ksbs.insert(
                "S3".into(),
                Agreed {
                    rating: Some(r),
                    ..Agreed::default()
                },
            );
        }
        assert_eq!(ksb_rating(&s, &"S3".into()), Some(c.expected), "case {i}");
        // S1 has no KSB-level rating: it follows the question.
        assert_eq!(
            ksb_rating(&s, &"S1".into()),
            Some(c.agreed_question.unwrap_or(c.learner)),
            "case {i} S1"
        );
    }
}

#[test]
fn ksb_rating_is_the_lowest_of_the_questions_covering_it() {
    // Make B1 covered by both b1 and d1-knowledge in the snapshot.
    let mut s = scan_with(Yes, &[("b1", S)]);
    s.standard.snapshot.behaviours[0].ksbs = vec!["B1".into()];
    s.standard.snapshot.duties[0].questions[1]
        .ksbs
        .push("B1".into());
    assert_eq!(ksb_rating(&s, &"B1".into()), Some(S));
    s.set_rating(&"d1-knowledge".into(), Some(No), t(4));
    assert_eq!(ksb_rating(&s, &"B1".into()), Some(No));
    s.answers.remove("d1-knowledge");
    assert_eq!(
        ksb_rating(&s, &"B1".into()),
        None,
        "an unanswered question leaves the KSB unrated, as in the KSB record"
    );
    s.set_rating(&"d1-knowledge".into(), Some(Yes), t(5));
    s.answers.remove("b1");
    assert_eq!(ksb_rating(&s, &"B1".into()), None);
}

/// The comparison rates every KSB as the record and the summary do, finished or not: the
/// coach sees one figure for the same scan wherever it is shown.
#[test]
fn an_unfinished_scan_rates_each_ksb_as_its_record_does() {
    let mut s = scan_with(Yes, &[("d2-skills", S), ("b3", No)]);
    for id in ["d1-skills", "d4-knowledge", "b2"] {
        s.answers.remove(id);
    }
    s.set_agreed_rating(&"d2-skills".into(), Some(Yes), t(3));
    let record = crate::core::ksb::evaluate(&s, crate::core::ksb::Basis::Agreed);
    assert!(
        record.iter().any(|k| k.rating.is_none()),
        "some KSBs unrated"
    );
    for k in &record {
        assert_eq!(ksb_rating(&s, &k.ksb.code), k.rating, "{}", k.ksb.code);
    }
    let yes = record.iter().filter(|k| k.rating == Some(Yes)).count();
    assert_eq!(share_met(&s).met, yes);
    // Later, unfinished: the KSBs of an unanswered question are not comparable, never improved.
    let earlier = scan_with(No, &[]);
    let c = Comparison::of(&earlier, &s).expect("comparable");
    let s1 = c
        .still_not_met
        .iter()
        .find(|k| k.code == "S1")
        .expect("S1 not met while d1-skills is unanswered");
    assert_eq!(s1.change.movement, Movement::Unrated);
}

#[test]
fn comparison_counts_improved_unchanged_lower_and_share_met() {
    // Earlier: all No, except d1-skills (S1–S5) Yes and d2-skills (S6–S8) Some.
    let earlier = scan_with(No, &[("d1-skills", Yes), ("d2-skills", S)]);
    // Later: d1-skills drops to Some (5 lower), d2-skills Yes (3 improved),
    // d1-knowledge (K1–K11) Yes (11 improved), b2 Some (1 improved).
    let later = scan_with(
        No,
        &[
            ("d1-skills", S),
            ("d2-skills", Yes),
            ("d1-knowledge", Yes),
            ("b2", S),
        ],
    );
    let c = Comparison::of(&earlier, &later).expect("same learner and standard");
    assert_eq!(c.tally.improved, 3 + 11 + 1);
    assert_eq!(c.tally.lower, 5);
    assert_eq!(c.tally.unchanged, 113 - 20);
    assert_eq!(c.tally.unrated, 0);
    assert_eq!(
        c.met_earlier,
        Met {
            met: 5,
            of: 113,
            percent: 4
        }
    );
    assert_eq!(
        c.met_later,
        Met {
            met: 14,
            of: 113,
            percent: 12
        }
    );
    assert_eq!(c.change_points(), 8);
    assert_eq!(c.still_not_met.len(), 113 - 14);
    assert!(c.still_not_met.iter().any(|k| k.code == "S1"));
    assert!(!c.still_not_met.iter().any(|k| k.code == "K1"));
    // Duty 1 covers K1–K11 and S1–S5 (16 KSBs).
    let d1 = &c.parts[0];
    assert_eq!((d1.earlier.met, d1.later.met, d1.later.of), (5, 11, 16));
    assert_eq!(d1.questions[0].change.movement, Movement::Lower);
    assert_eq!(d1.questions[1].change.movement, Movement::Improved);
    assert_eq!(c.parts.len(), 11);
    assert_eq!(c.parts[10].part, Part::Behaviours);
    assert_eq!(c.parts[10].ksbs.len(), 5);
    assert!(!c.uses_agreed);
}

#[test]
fn agreed_ratings_count_over_the_learners() {
    let earlier = scan_with(No, &[]);
    let mut later = scan_with(Yes, &[]);
    later.set_agreed_rating(&"b3".into(), Some(S), t(5));
    let c = Comparison::of(&earlier, &later).expect("comparable");
    let b3 = c.parts[10]
        .ksbs
        .iter()
        .find(|k| k.code == "B3")
        .expect("B3");
    assert_eq!(b3.change.later, Some(S));
    assert!(b3.change.later_agreed && !b3.change.earlier_agreed);
    assert_eq!(c.met_later.met, 112);
    assert!(c.uses_agreed);
}

#[test]
fn unrated_questions_are_not_compared() {
    let earlier = scan_with(No, &[]);
    let mut later = scan_with(No, &[]);
    later.answers.remove("b5");
    let c = Comparison::of(&earlier, &later).expect("comparable");
    assert_eq!(c.tally.unrated, 1);
    assert!(
        c.still_not_met
            .iter()
            .any(|k| k.code == "B5" && k.change.later.is_none())
    );
}

#[test]
fn different_learners_or_standards_are_refused_with_the_reason() {
    let earlier = scan_with(No, &[]);
    let mut later = scan_with(No, &[]);
    later.learner.email = "  SAM.Taylor@Example.org ".into();
    assert!(
        Comparison::of(&earlier, &later).is_ok(),
        "email case and spaces do not matter"
    );
    later.learner.email = "jo.other@example.org".into();
    let err = Comparison::of(&earlier, &later).expect_err("different learners");
    assert!(matches!(err, Refusal::DifferentLearner { .. }));
    assert!(err.to_string().contains("jo.other@example.org"), "{err}");
    let mut later = scan_with(No, &[]);
    later.standard.version = "1.1".into();
    let err = Comparison::of(&earlier, &later).expect_err("different versions");
    assert!(
        err.to_string().contains("ST0896 v1.0 and ST0896 v1.1"),
        "{err}"
    );
}

#[test]
fn the_link_is_checked_by_id_and_fingerprint() {
    let mut earlier = scan_with(No, &[]);
    earlier.submit(t(10)).expect("submits");
    let mut later = scan_with(No, &[]);
    assert_eq!(Link::of(&later, Some(&earlier)), Link::NotLinked);
    later.follows = Some(Follows {
        id: earlier.id.clone(),
        fingerprint: answers_fingerprint(&earlier.answers),
        at: t(10),
    });
    assert_eq!(Link::of(&later, Some(&earlier)), Link::Matches);
    let c = Comparison::of(&earlier, &later).expect("comparable");
    assert!(
        c.notes.iter().all(|n| !n.contains("changed")),
        "{:?}",
        c.notes
    );
    let mut changed = earlier.clone();
    changed.answers.get_mut("b1").expect("b1").text = "edited".into();
    assert_eq!(Link::of(&later, Some(&changed)), Link::Changed);
    assert!(Comparison::of(&changed, &later).expect("ok").notes[0].contains("changed since"));
    let mut other = earlier.clone();
    other.id = "another".into();
    assert!(matches!(
        Link::of(&later, Some(&other)),
        Link::OtherScan { .. }
    ));
    let missing = Link::of(&later, None);
    assert!(missing.note().expect("a note").contains("was not found"));
}

#[test]
fn days_between_and_wrong_order_note() {
    let mut earlier = scan_with(No, &[]);
    earlier.submit(t(0)).expect("submits");
    let mut later = scan_with(No, &[]);
    later.submit(t(86_400 * 84)).expect("submits");
    let c = Comparison::of(&earlier, &later).expect("ok");
    assert_eq!(c.days, 84);
    let back = Comparison::of(&later, &earlier).expect("ok");
    assert_eq!(back.days, -84);
    assert!(back.notes.iter().any(|n| n.contains("dated after")));
}

#[test]
fn signed_points_words() {
    assert_eq!(signed_points(0), "no change");
    assert_eq!(signed_points(12), "+12 points");
    assert_eq!(signed_points(-3), "−3 points");
    assert_eq!(signed_points(1), "+1 point");
}

#[test]
fn a_later_scan_copies_details_links_and_carries_no_answer() {
    let mut earlier = scan_with(S, &[]);
    earlier.submit(t(100)).expect("submits");
    let later = later_scan(&earlier, ScanKind::EndOfProgramme, "later-id", t(500));
    assert_eq!(later.learner, earlier.learner);
    assert_eq!(later.manager, earlier.manager);
    assert!(later.answers.is_empty());
    assert!(later.review.is_none() && later.email_log.is_empty());
    assert_eq!(later.kind, ScanKind::EndOfProgramme);
    let follows = later.follows.as_ref().expect("linked");
    assert_eq!(follows.id, earlier.id);
    assert_eq!(follows.at, t(100));
    assert_eq!(Link::of(&later, Some(&earlier)), Link::Matches);
    assert!(later.integrity_problems().is_empty());
}

#[test]
fn the_earlier_answer_is_brief_and_names_an_agreed_change() {
    let mut earlier = scan_with(S, &[]);
    earlier.set_text(
        &"d1-skills".into(),
        "I run a weekly\ngroup   at the drop-in centre.",
        t(3),
    );
    earlier.set_agreed_rating(&"d1-skills".into(), Some(No), t(4));
    let a = EarlierAnswer::of(&earlier, &"d1-skills".into(), 20);
    assert_eq!(a.words, "I run a weekly grou…");
    assert_eq!(a.rating, Some(S));
    assert_eq!(a.agreed, Some(No));
    assert!(
        a.rating_line()
            .ends_with("): Some, agreed with your coach as No"),
        "{}",
        a.rating_line()
    );
    assert!(a.line().contains("– “I run a weekly grou…”"));
    earlier.set_agreed_rating(&"d1-knowledge".into(), Some(S), t(4));
    let same = EarlierAnswer::of(&earlier, &"d1-knowledge".into(), 20);
    assert_eq!(
        same.agreed, None,
        "an agreed rating equal to the learner's is not repeated"
    );
}
