//! The record a provider signs: the validation seal (a SHA-256 fingerprint of what was validated)
//! and the check of the standard a scan carries against the approved one the program knows.
//!
//! Pure: the known standards and the time are passed in.

use std::fmt::Write as _;

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::scan::Scan;
use super::standard::Standard;

/// The canonical form the seal covers: the learner's answers (rating and text), the coach's
/// agreed ratings and notes per question and per KSB, who validated at which meeting, and the
/// standard snapshot's questions and KSBs. Keys are sorted and there is no whitespace (serde_json's maps are
/// B-tree maps), so the same content always gives the same bytes.
pub fn canonical(scan: &Scan) -> String {
    let answers: serde_json::Map<String, Value> = scan
        .answers
        .iter()
        .map(|(id, a)| {
            (
                id.to_string(),
                json!({ "rating": a.rating, "text": a.text }),
            )
        })
        .collect();
    let (questions, ksbs, who) = scan.review.as_ref().map_or_else(
        || (serde_json::Map::new(), serde_json::Map::new(), Value::Null),
        |r| {
            let v = &r.validation;
            (
                agreed_entries(&r.agreed),
                agreed_entries(&r.ksbs),
                json!({
                    "meeting_date": v.meeting_date,
                    "coach_name": v.coach_name,
                    "manager_name": v.manager_name,
                }),
            )
        },
    );
    let standard = standard_canonical(scan.standard());
    let value = json!({
        "answers": answers,
        "agreed": questions,
        "ksbs": ksbs,
        "validation": who,
        "standard": {
            "reference": scan.standard.reference,
            "version": scan.standard.version,
            "snapshot": standard,
        },
    });
    // Keys sorted explicitly, no whitespace: the same canonical form as the answers'
    // fingerprint, whatever order serde_json keeps its maps in.
    super::fingerprint::canonical_json(&value)
}

/// The coach's agreed ratings and notes that say something, keyed by question id or KSB code.
fn agreed_entries<K: std::fmt::Display>(
    map: &std::collections::BTreeMap<K, super::scan::Agreed>,
) -> serde_json::Map<String, Value> {
    map.iter()
        .filter(|(_, a)| a.rating.is_some() || !a.note.is_empty())
        .map(|(k, a)| (k.to_string(), json!({ "rating": a.rating, "note": a.note })))
        .collect()
}

/// The part of the standard the seal covers, named field by field (so a field added to the
/// standard's types in a later version does not break every seal): title, level, the KSB
/// statements, the duties and every question. The questionnaire's surrounding texts are left out,
/// as in [`same_content`].
fn standard_canonical(s: &Standard) -> Value {
    let question = |q: &super::standard::Question| json!({ "id": q.id, "kind": q.kind.label(), "text": q.text, "ksbs": q.ksbs });
    json!({
        "title": s.title,
        "level": s.level,
        "ksbs": s.ksbs.iter().map(|k| json!([k.code, k.text])).collect::<Vec<_>>(),
        "duties": s.duties.iter().map(|d| json!({
            "number": d.number,
            "title": d.title,
            "ksbs": d.ksbs,
            "questions": d.questions.iter().map(question).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "behaviours": s.behaviours.iter().map(question).collect::<Vec<_>>(),
    })
}

/// The seal: SHA-256 of [`canonical`], in lower-case hex.
pub fn fingerprint(scan: &Scan) -> String {
    super::fingerprint::sha256_hex(canonical(scan).as_bytes())
}

/// Where a scan stands with its validation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seal {
    /// Not validated.
    NotValidated,
    /// Validated, and nothing sealed has changed since.
    Validated {
        /// When it was validated.
        at: Option<DateTime<Utc>>,
    },
    /// Validated, but the answers, ratings, notes, names or standard changed since.
    ChangedSince {
        /// When it was validated.
        at: Option<DateTime<Utc>>,
    },
    /// Validated by an older build, before seals existed: nothing tells whether it changed.
    Unsealed {
        /// When the record was last changed.
        at: Option<DateTime<Utc>>,
    },
}

fn day(at: Option<DateTime<Utc>>) -> String {
    at.map_or_else(
        || "an unknown date".into(),
        |t| t.format("%Y-%m-%d").to_string(),
    )
}

impl Seal {
    /// The scan's seal state.
    pub fn of(scan: &Scan) -> Self {
        let Some(v) = scan.review.as_ref().map(|r| &r.validation) else {
            return Self::NotValidated;
        };
        // Only a submitted scan can be validated: a tick recorded on an unfinished scan (by an
        // older version) does not count.
        if !v.validated_by_manager || !scan.is_submitted() {
            return Self::NotValidated;
        }
        let at = v.validated_at.or(v.recorded_at);
        match &v.fingerprint {
            None => Self::Unsealed { at },
            Some(f) if *f == fingerprint(scan) => Self::Validated { at },
            Some(_) => Self::ChangedSince { at },
        }
    }

    /// Whether the scan counts as validated as it stands (sealed and unchanged, or validated
    /// before seals existed).
    pub fn holds(self) -> bool {
        matches!(self, Self::Validated { .. } | Self::Unsealed { .. })
    }

    /// Short words for tables and the CSV: "yes", "no", "changed since validation on DATE",
    /// "yes (not sealed)".
    pub fn short(self) -> String {
        match self {
            Self::NotValidated => "no".into(),
            Self::Validated { at } => format!("yes, {}", day(at)),
            Self::ChangedSince { at } => format!("changed since validation on {}", day(at)),
            Self::Unsealed { .. } => "yes (not sealed)".into(),
        }
    }

    /// The date of the validation ("2026-11-23"), when there is one.
    pub fn date(self) -> Option<String> {
        match self {
            Self::NotValidated => None,
            Self::Validated { at } | Self::ChangedSince { at } | Self::Unsealed { at } => {
                Some(day(at))
            }
        }
    }

    /// A sentence for the screen and the summary.
    pub fn sentence(self) -> String {
        match self {
            Self::NotValidated => "Not yet validated by the manager.".into(),
            Self::Validated { at } => format!(
                "Validated by the manager on {}; sealed, unchanged since.",
                day(at)
            ),
            Self::ChangedSince { at } => format!(
                "CHANGED since validation on {}: the record no longer matches what was validated; validate it again.",
                day(at)
            ),
            Self::Unsealed { at } => format!(
                "Validated by the manager (recorded {}) before validations were sealed: validate again to seal it.",
                day(at)
            ),
        }
    }
}

/// Why a validation cannot be recorded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// The learner has not submitted.
    #[error("{}", not_submitted_words(*unanswered, *questions))]
    NotSubmitted {
        /// Questions still unanswered.
        unanswered: usize,
        /// Questions in all.
        questions: usize,
    },
    /// The record lacks who or when.
    #[error("before recording validation, fill in {0}")]
    Missing(String),
    /// The standard inside the scan differs from the approved one.
    #[error("the scan's copy of the standard is modified ({0}): it cannot be validated")]
    ModifiedStandard(String),
}

/// "the learner has not submitted the scan yet (3 of 25 questions unanswered): only a submitted
/// scan can be validated".
pub fn not_submitted_words(unanswered: usize, questions: usize) -> String {
    let detail = if unanswered > 0 {
        format!(" ({unanswered} of {questions} questions unanswered)")
    } else {
        String::new()
    };
    format!(
        "the learner has not submitted the scan yet{detail}: only a submitted scan can be validated"
    )
}

/// Records the manager's validation with its seal. Refused on an unfinished scan, without the
/// meeting date and both names, or when the scan's standard differs from the approved one.
pub fn validate(scan: &mut Scan, known: &[Standard], now: DateTime<Utc>) -> Result<(), Refusal> {
    if !scan.is_submitted() {
        return Err(Refusal::NotSubmitted {
            unanswered: scan.unanswered_count(),
            questions: scan.question_count(),
        });
    }
    if let Some(diffs) = modified_standard(scan, known) {
        return Err(Refusal::ModifiedStandard(diffs.join("; ")));
    }
    let v = &scan.review_mut().validation;
    let mut missing = Vec::new();
    if v.meeting_date.is_none() {
        missing.push("the meeting date");
    }
    if v.coach_name.trim().is_empty() {
        missing.push("the coach's name");
    }
    if v.manager_name.trim().is_empty() {
        missing.push("the manager's name");
    }
    if let Some((last, rest)) = missing.split_last() {
        let list = if rest.is_empty() {
            (*last).to_string()
        } else {
            format!("{} and {last}", rest.join(", "))
        };
        return Err(Refusal::Missing(list));
    }
    let seal = fingerprint(scan);
    let v = &mut scan.review_mut().validation;
    v.validated_by_manager = true;
    v.validated_at = Some(now);
    v.recorded_at = Some(now);
    v.fingerprint = Some(seal);
    scan.updated = now;
    Ok(())
}

/// Withdraws a validation (and its seal).
pub fn withdraw(scan: &mut Scan, now: DateTime<Utc>) {
    let v = &mut scan.review_mut().validation;
    v.validated_by_manager = false;
    v.validated_at = None;
    v.fingerprint = None;
    v.recorded_at = Some(now);
    scan.updated = now;
}

/// The most differences listed before "and N more".
const MAX_DIFFERENCES: usize = 6;

/// "questions missing: d1-skills, d2-skills, b1, b2 and 3 more".
fn listed(what: &str, items: &[&str]) -> String {
    const SHOWN: usize = 4;
    let mut s = format!(
        "{what}: {}",
        items
            .iter()
            .take(SHOWN)
            .copied()
            .collect::<Vec<_>>()
            .join(", ")
    );
    if items.len() > SHOWN {
        let _ = write!(s, " and {} more", items.len() - SHOWN);
    }
    s
}

/// Title, level and counts that differ.
fn header_differences(copy: &Standard, approved: &Standard) -> Vec<String> {
    let mut out = Vec::new();
    if copy.title != approved.title {
        out.push(format!(
            "title \"{}\" instead of \"{}\"",
            copy.title, approved.title
        ));
    }
    if copy.level != approved.level {
        out.push(format!(
            "level {} instead of {}",
            copy.level, approved.level
        ));
    }
    let (n, m) = (copy.question_count(), approved.question_count());
    if n != m {
        out.push(format!("{n} questions instead of {m}"));
    }
    let (n, m) = (copy.ksbs.len(), approved.ksbs.len());
    if n != m {
        out.push(format!("{n} KSB statements instead of {m}"));
    }
    out
}

/// Questions missing, added, covering other KSBs, or moved to another part.
fn question_differences(copy: &Standard, approved: &Standard) -> Vec<String> {
    let mut missing = Vec::new();
    let mut moved = Vec::new();
    let mut remapped = Vec::new();
    for a in approved.questions() {
        match copy.question(&a.question.id) {
            None => missing.push(a.question.id.as_str()),
            Some(c) if c.question.ksbs != a.question.ksbs => remapped.push(format!(
                "question {} covers {} instead of {}",
                a.question.id,
                c.question.ksbs.join(", "),
                a.question.ksbs.join(", ")
            )),
            // A question's wording is the provider's questionnaire, reworded between builds
            // (the behaviours gained a question of their own); what the standard says is in
            // the KSBs, the duties and which question covers which KSB.
            Some(c) if c.part != a.part => moved.push(a.question.id.as_str()),
            Some(_) => {}
        }
    }
    let added: Vec<&str> = copy
        .questions()
        .filter(|c| approved.question(&c.question.id).is_none())
        .map(|c| c.question.id.as_str())
        .collect();
    let mut out = Vec::new();
    if !missing.is_empty() {
        out.push(listed("questions missing", &missing));
    }
    if !added.is_empty() {
        out.push(listed("questions added", &added));
    }
    out.extend(remapped);
    if !moved.is_empty() {
        out.push(listed("questions moved to another part", &moved));
    }
    out
}

/// KSBs missing or reworded, and duties whose title or KSBs changed.
fn ksb_and_duty_differences(copy: &Standard, approved: &Standard) -> Vec<String> {
    let mut missing = Vec::new();
    let mut reworded = Vec::new();
    for k in &approved.ksbs {
        match copy.ksb(&k.code) {
            None => missing.push(k.code.as_str()),
            Some(c) if c.text != k.text => reworded.push(k.code.as_str()),
            Some(_) => {}
        }
    }
    let duties: Vec<String> = approved
        .duties
        .iter()
        .filter(|d| {
            copy.duty(d.number)
                .is_some_and(|c| c.title != d.title || c.ksbs != d.ksbs)
        })
        .map(|d| d.number.to_string())
        .collect();
    let mut out = Vec::new();
    if !missing.is_empty() {
        out.push(listed("KSBs missing", &missing));
    }
    if !reworded.is_empty() {
        out.push(listed("KSBs reworded", &reworded));
    }
    if !duties.is_empty() {
        let refs: Vec<&str> = duties.iter().map(String::as_str).collect();
        out.push(listed("duties changed", &refs));
    }
    out
}

/// What differs between a scan's copy of a standard and the approved one, in words.
pub fn standard_differences(copy: &Standard, approved: &Standard) -> Vec<String> {
    let mut out = header_differences(copy, approved);
    out.extend(question_differences(copy, approved));
    out.extend(ksb_and_duty_differences(copy, approved));
    if out.is_empty() && !same_content(copy, approved) {
        out.push("its questions or KSBs differ from the approved standard".into());
    }
    if out.len() > MAX_DIFFERENCES {
        let more = out.len() - MAX_DIFFERENCES;
        out.truncate(MAX_DIFFERENCES);
        out.push(format!("and {more} more"));
    }
    out
}

/// Whether two standards agree on what the scan's record rests on: title, level, the KSB
/// statements, the duties and every question (its id, kind and KSBs). The questionnaire's
/// surrounding texts (welcome, closing) and descriptive details (route, job titles) may be
/// reworded between builds without making a scan's copy "modified".
pub fn same_content(a: &Standard, b: &Standard) -> bool {
    // A question is compared by its id, kind and KSBs: its wording is the provider's
    // questionnaire (reworded between builds), not the standard.
    let questions = |qs: &[super::standard::Question]| {
        qs.iter()
            .map(|q| (q.id.clone(), q.kind, q.ksbs.clone()))
            .collect::<Vec<_>>()
    };
    let duties = |s: &Standard| {
        s.duties
            .iter()
            .map(|d| {
                (
                    d.number,
                    d.title.clone(),
                    d.ksbs.clone(),
                    d.options.clone(),
                    questions(&d.questions),
                )
            })
            .collect::<Vec<_>>()
    };
    a.title == b.title
        && a.level == b.level
        && a.ksbs == b.ksbs
        && duties(a) == duties(b)
        && questions(&a.behaviours) == questions(&b.behaviours)
}

/// When the scan's reference and version match a known standard but its copy differs: what
/// differs. `None` when the copy is the approved one or the standard is not known.
pub fn modified_standard(scan: &Scan, known: &[Standard]) -> Option<Vec<String>> {
    let approved = known
        .iter()
        .find(|s| s.reference == scan.standard.reference && s.version == scan.standard.version)?;
    let copy = scan.standard();
    if same_content(copy, approved) {
        return None;
    }
    Some(standard_differences(copy, approved))
}

/// "modified standard: 9 questions instead of 25; …", for tables and the CSV.
pub fn modified_words(diffs: &[String]) -> String {
    format!("modified standard: {}", diffs.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::Rating;
    use crate::core::scan::tests::{blank, complete, t};
    use chrono::NaiveDate;

    fn ready() -> Scan {
        let mut s = complete(&["d2-skills"]);
        s.submit(t(5)).expect("submits");
        let v = &mut s.review_mut().validation;
        v.meeting_date = NaiveDate::from_ymd_opt(2026, 11, 23);
        v.coach_name = "Jo Coach".into();
        v.manager_name = "Alex Morgan".into();
        s
    }

    fn known() -> Vec<Standard> {
        vec![Standard::embedded().expect("valid")]
    }

    type Change = Box<dyn Fn(&mut Scan)>;

    #[test]
    fn fingerprint_is_stable_and_content_sensitive() {
        let a = ready();
        assert_eq!(fingerprint(&a), fingerprint(&a.clone()));
        assert_eq!(fingerprint(&a).len(), 64);
        let mut b = a.clone();
        b.updated = t(99);
        b.email_log.clear();
        b.standard.snapshot.form.closing.push_str(" Reworded.");
        assert_eq!(
            fingerprint(&a),
            fingerprint(&b),
            "times, the email log and the questionnaire's surrounding texts do not count"
        );
        let changes: Vec<Change> = vec![
            Box::new(|s| s.set_agreed_rating(&"b1".into(), Some(Rating::Some), t(9))),
            Box::new(|s| s.set_agreed_note(&"b1".into(), "x", t(9))),
            Box::new(|s| s.set_agreed_ksb_rating(&"K1".into(), Some(Rating::No), t(9))),
            Box::new(|s| s.set_agreed_ksb_note(&"K1".into(), "x", t(9))),
            Box::new(|s| s.standard.snapshot.title.push('!')),
            Box::new(|s| s.standard.snapshot.ksbs[3].text.push('!')),
            Box::new(|s| s.standard.snapshot.behaviours[0].ksbs.clear()),
            Box::new(|s| s.review_mut().validation.manager_name.push('!')),
            Box::new(|s| {
                if let Some(a) = s.answers.get_mut("b1") {
                    a.text.push('!');
                }
            }),
        ];
        for (i, change) in changes.iter().enumerate() {
            let mut c = a.clone();
            change(&mut c);
            assert_ne!(fingerprint(&a), fingerprint(&c), "change {i}");
        }
    }

    #[test]
    fn canonical_form_has_sorted_keys_and_no_whitespace() {
        let c = canonical(&ready());
        assert!(
            c.starts_with(r#"{"agreed":{},"answers":{"b1":{"rating":"yes","text":"#),
            "{}",
            &c[..80]
        );
        assert!(c.contains(r#""validation":{"coach_name":"Jo Coach","manager_name":"Alex Morgan","meeting_date":"2026-11-23"}"#));
        assert!(!c.contains(": ") && !c.contains('\n'));
        // Hex of SHA-256, checked against a known digest.
        assert_eq!(
            super::super::fingerprint::sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn validation_refused_on_unfinished_scan() {
        let mut s = blank();
        s.set_rating(&"d1-skills".into(), Some(Rating::Yes), t(1));
        let err = validate(&mut s, &known(), t(2)).unwrap_err();
        assert_eq!(
            err,
            Refusal::NotSubmitted {
                unanswered: 24,
                questions: 25
            }
        );
        assert!(err.to_string().contains("24 of 25 questions unanswered"));
        assert_eq!(Seal::of(&s), Seal::NotValidated);
    }

    #[test]
    fn validation_needs_who_and_when() {
        let mut s = complete(&[]);
        s.submit(t(2)).expect("submits");
        let err = validate(&mut s, &known(), t(3)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "before recording validation, fill in the meeting date, the coach's name and the manager's name"
        );
    }

    #[test]
    fn seal_holds_until_a_change_then_shows_it() {
        let mut s = ready();
        validate(&mut s, &known(), t(10)).expect("validates");
        assert!(matches!(Seal::of(&s), Seal::Validated { at: Some(_) }));
        assert!(Seal::of(&s).holds() && s.is_validated());
        s.set_agreed_ksb_rating(&"K4".into(), Some(Rating::Some), t(20));
        let seal = Seal::of(&s);
        assert!(matches!(seal, Seal::ChangedSince { .. }), "{seal:?}");
        assert!(!s.is_validated());
        assert!(
            seal.short()
                .starts_with("changed since validation on 2026-"),
            "{}",
            seal.short()
        );
        validate(&mut s, &known(), t(30)).expect("validates again");
        assert!(matches!(Seal::of(&s), Seal::Validated { .. }));
        withdraw(&mut s, t(40));
        assert_eq!(Seal::of(&s), Seal::NotValidated);
    }

    #[test]
    fn unsealed_validation_from_an_older_build() {
        let mut s = ready();
        s.review_mut().validation.validated_by_manager = true;
        assert!(matches!(Seal::of(&s), Seal::Unsealed { .. }));
        assert!(s.is_validated());
        // A tick an older version let a coach record on an unfinished scan does not count.
        let mut u = blank();
        u.review_mut().validation.validated_by_manager = true;
        assert_eq!(Seal::of(&u), Seal::NotValidated);
        assert!(!u.is_validated());
    }

    #[test]
    fn tampered_standard_is_named_and_cannot_be_validated() {
        let mut s = ready();
        assert_eq!(modified_standard(&s, &known()), None);
        s.standard.snapshot.title = "Anything".into();
        s.standard.snapshot.duties.truncate(4);
        let diffs = modified_standard(&s, &known()).expect("modified");
        assert!(diffs[0].contains("title \"Anything\""), "{diffs:?}");
        assert!(
            diffs.iter().any(|d| d == "13 questions instead of 25"),
            "{diffs:?}"
        );
        assert!(
            diffs.contains(
                &"questions missing: d5-skills, d5-knowledge, d6-skills, d6-knowledge and 8 more"
                    .to_string()
            ),
            "{diffs:?}"
        );
        let err = validate(&mut s, &known(), t(9)).unwrap_err();
        assert!(matches!(err, Refusal::ModifiedStandard(_)), "{err}");
        // An unknown standard is not judged.
        s.standard.reference = "ST9999".into();
        assert_eq!(modified_standard(&s, &known()), None);
    }

    #[test]
    fn reworded_welcome_text_is_not_a_modified_standard() {
        let mut s = ready();
        s.standard.snapshot.form.intro.push_str(" Typo fixed.");
        s.standard.snapshot.job_titles.clear();
        assert_eq!(modified_standard(&s, &known()), None);
    }

    #[test]
    fn reworded_ksb_and_moved_question() {
        let approved = Standard::embedded().expect("valid");
        let mut copy = approved.clone();
        copy.ksbs[0].text.push_str(" (edited)");
        copy.duties[0].questions[0].ksbs.pop();
        let d = standard_differences(&copy, &approved);
        assert!(d.iter().any(|x| x == "KSBs reworded: K1"), "{d:?}");
        assert!(
            d.iter().any(|x| x.starts_with("question d1-skills covers")),
            "{d:?}"
        );
    }
}
