//! The scan: one learner's answers to one standard's questions, plus room for the coach's review
//! and the email log. This is exactly what a scan file holds (see `storage` for the file itself).
//!
//! Pure: every change takes the time as an argument; nothing here reads a clock or a file.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::standard::{KsbCode, QuestionId, Standard};

/// The format name at the top of every scan file.
pub const SCAN_FORMAT: &str = "skills-scan";
/// The scan file version this build writes. Older versions are migrated on load
/// (`storage::migrate`): version 2 added the typed `sending` email state, the coach's per-KSB
/// ratings, the validation seal, the chosen option and the link of a later scan to an earlier one.
pub const SCAN_FORMAT_VERSION: u32 = 2;

/// A learner's self-assessment against one question.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Rating {
    /// Already knows or does this.
    Yes,
    /// Knows or does some of this.
    Some,
    /// Does not yet know or do this.
    No,
}

impl Rating {
    /// All ratings, in the order they are offered.
    pub const ALL: [Rating; 3] = [Rating::Yes, Rating::Some, Rating::No];

    /// "Yes", "Some", "No".
    pub fn label(self) -> &'static str {
        match self {
            Self::Yes => "Yes",
            Self::Some => "Some",
            Self::No => "No",
        }
    }

    /// A symbol that tells ratings apart without colour: ✔ Yes, ◐ Some, ✘ No.
    pub fn symbol(self) -> &'static str {
        match self {
            Self::Yes => "✔",
            Self::Some => "◐",
            Self::No => "✘",
        }
    }

    /// Whether the learner must justify this rating in writing.
    pub fn needs_justification(self) -> bool {
        matches!(self, Self::Yes | Self::Some)
    }

    /// Whether this rating makes the question an area for development.
    pub fn is_development_area(self) -> bool {
        matches!(self, Self::Some | Self::No)
    }

    /// Parses `yes`/`y`, `some`/`s`, `no`/`n` in any case.
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "yes" | "y" => Some(Self::Yes),
            "some" | "s" => Some(Self::Some),
            "no" | "n" => Some(Self::No),
            _ => None,
        }
    }
}

/// The learner.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Learner {
    /// Full name.
    pub name: String,
    /// Email address.
    pub email: String,
}

/// The learner's line manager.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Manager {
    /// Email address.
    pub email: String,
    /// Name (optional).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
}

/// The learner's answer to one question.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    /// Yes / Some / No; absent until chosen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating: Option<Rating>,
    /// For Yes and Some: what the learner already knows and/or does (required).
    /// For No: what they would like to develop (optional).
    #[serde(default)]
    pub text: String,
    /// When the learner last changed this answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changed: Option<DateTime<Utc>>,
}

/// Where the scan is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "state", rename_all = "snake_case", deny_unknown_fields)]
pub enum Status {
    /// The learner is still answering.
    InProgress,
    /// The learner submitted the scan; their answers are final.
    Submitted {
        /// When it was submitted.
        at: DateTime<Utc>,
    },
}

/// Which standard the scan was made against, with a full copy of it so the scan opens anywhere.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StandardRef {
    /// e.g. `ST0896`.
    pub reference: String,
    /// e.g. `1.0`.
    pub version: String,
    /// The standard as it was when the scan started.
    pub snapshot: Standard,
}

/// The coach's agreed rating and note on one question, set at the planning meeting.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Agreed {
    /// The rating agreed with the learner and manager, if it differs or was confirmed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating: Option<Rating>,
    /// The coach's note.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    /// When the coach last changed this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changed: Option<DateTime<Utc>>,
}

/// The record that the scan was checked at the planning meeting.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Validation {
    /// Date of the planning meeting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meeting_date: Option<NaiveDate>,
    /// The coach's name.
    #[serde(default)]
    pub coach_name: String,
    /// The line manager's name.
    #[serde(default)]
    pub manager_name: String,
    /// Whether the manager confirmed the scan as accurate.
    #[serde(default)]
    pub validated_by_manager: bool,
    /// When this record was last changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recorded_at: Option<DateTime<Utc>>,
    /// When the manager's validation was recorded and sealed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validated_at: Option<DateTime<Utc>>,
    /// The seal set when the manager validated the scan: a fingerprint (SHA-256, hex) of the
    /// answers, the coach's ratings and notes and the standard snapshot at that moment. A scan
    /// whose content no longer matches it has changed since validation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<String>,
}

/// The coach's review, kept apart from the learner's answers, which a review never changes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Review {
    /// Agreed rating and note per question id.
    #[serde(default, deserialize_with = "unique_keys")]
    pub agreed: BTreeMap<QuestionId, Agreed>,
    /// Agreed rating and note per KSB code (`K1`, `S3`, `B2`), set by the coach; a KSB without
    /// one takes its rating from the questions that cover it.
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "unique_keys"
    )]
    pub ksbs: BTreeMap<KsbCode, Agreed>,
    /// The validation record.
    #[serde(default)]
    pub validation: Validation,
}

/// What happened to one email.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "result", rename_all = "snake_case", deny_unknown_fields)]
pub enum EmailResult {
    /// Accepted by the SMTP server.
    Sent,
    /// Being handed to the server: recorded just before the message goes out, so a run cut off
    /// before its outcome is recorded leaves this entry with no outcome after it.
    Sending,
    /// Written to the outbox, to be sent later.
    Queued {
        /// Why it was not sent now.
        reason: String,
    },
    /// Refused for good (the message stays in the outbox).
    Failed {
        /// Why.
        reason: String,
    },
}

/// One line of a scan's email log.
// No `deny_unknown_fields` here: serde does not support it together with `flatten` (below), and
// with both, every entry's own `result` counts as unknown, so no scan with an email log loads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct EmailLogEntry {
    /// When.
    pub at: DateTime<Utc>,
    /// Recipients (To and Cc).
    pub to: Vec<String>,
    /// The message's Message-ID, the same across retries of one message.
    pub message_id: String,
    /// The outcome.
    #[serde(flatten)]
    pub result: EmailResult,
}

/// Which scan in a learner's programme this is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ScanKind {
    /// The initial skills scan: the starting point.
    #[default]
    Initial,
    /// A later scan at a progress review.
    ProgressReview,
    /// The scan at the end of the programme.
    EndOfProgramme,
}

impl ScanKind {
    /// Whether this is the initial scan (the default, not written to the file).
    pub fn is_initial(&self) -> bool {
        matches!(self, Self::Initial)
    }
}

/// The earlier scan a later scan follows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Follows {
    /// The earlier scan's id.
    pub id: String,
    /// A fingerprint (SHA-256, hex) of the earlier scan's answers when this scan started, so a
    /// later change to it can be told.
    pub fingerprint: String,
    /// When the earlier scan was submitted (or last changed, if it never was).
    pub at: DateTime<Utc>,
}

/// A skills scan, as saved in a scan file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Scan {
    /// Always `skills-scan`.
    pub format: String,
    /// The file format version.
    pub format_version: u32,
    /// A unique id for this scan.
    pub id: String,
    /// When the scan was started.
    pub created: DateTime<Utc>,
    /// When the scan was last changed.
    pub updated: DateTime<Utc>,
    /// The learner.
    pub learner: Learner,
    /// The line manager.
    pub manager: Manager,
    /// The standard, with a snapshot of its content.
    pub standard: StandardRef,
    /// The learner's answers by question id.
    #[serde(default, deserialize_with = "unique_keys")]
    pub answers: BTreeMap<QuestionId, Answer>,
    /// Initial scan, progress review or end of programme.
    #[serde(default, skip_serializing_if = "ScanKind::is_initial")]
    pub kind: ScanKind,
    /// For a later scan: the earlier scan it follows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follows: Option<Follows>,
    /// For a standard with options: the option the learner chose (its id in the standard).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub option: Option<String>,
    /// In progress or submitted.
    pub status: Status,
    /// The coach's review, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<Review>,
    /// Every email sent or queued for this scan.
    #[serde(default)]
    pub email_log: Vec<EmailLogEntry>,
}

/// What a map in a scan file is keyed by, named as the person reading an error knows it.
trait Key: for<'de> Deserialize<'de> + Ord + std::fmt::Display {
    /// "question" or "KSB".
    const NOUN: &'static str;
    /// "question id" or "KSB code".
    const NAME: &'static str;
}

impl Key for QuestionId {
    const NOUN: &'static str = "question";
    const NAME: &'static str = "question id";
}

impl Key for KsbCode {
    const NOUN: &'static str = "KSB";
    const NAME: &'static str = "KSB code";
}

/// Reads a map keyed by question id or KSB code, refusing a key given twice. JSON allows it and
/// serde would keep the last silently: two answers to one question (a hand-merged edit, a bad
/// copy) must not lose one without a word.
fn unique_keys<'de, D, K, V>(d: D) -> Result<BTreeMap<K, V>, D::Error>
where
    D: serde::Deserializer<'de>,
    K: Key,
    V: Deserialize<'de>,
{
    struct Unique<K, V>(std::marker::PhantomData<(K, V)>);
    impl<'de, K, V> serde::de::Visitor<'de> for Unique<K, V>
    where
        K: Key,
        V: Deserialize<'de>,
    {
        type Value = BTreeMap<K, V>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            write!(f, "an object keyed by {}", K::NAME)
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(
            self,
            mut map: A,
        ) -> Result<Self::Value, A::Error> {
            let mut out = BTreeMap::new();
            while let Some((key, value)) = map.next_entry::<K, V>()? {
                if out.contains_key(&key) {
                    return Err(serde::de::Error::custom(format!(
                        "{} `{key}` is given twice; which one is right cannot be told, so the file is refused",
                        K::NOUN
                    )));
                }
                out.insert(key, value);
            }
            Ok(out)
        }
    }
    d.deserialize_map(Unique(std::marker::PhantomData))
}

impl Scan {
    /// A new, empty scan against `standard`, with a caller-chosen unique id. A standard scoped
    /// to the learner's option ([`Standard::for_option`], which keeps only that option) records
    /// the option in the scan.
    pub fn new(standard: &Standard, id: impl Into<String>, now: DateTime<Utc>) -> Self {
        Self {
            format: SCAN_FORMAT.into(),
            format_version: SCAN_FORMAT_VERSION,
            id: id.into(),
            created: now,
            updated: now,
            learner: Learner::default(),
            manager: Manager::default(),
            standard: StandardRef {
                reference: standard.reference.clone(),
                version: standard.version.clone(),
                snapshot: standard.clone(),
            },
            answers: BTreeMap::new(),
            kind: ScanKind::Initial,
            follows: None,
            option: match standard.options.as_slice() {
                [only] => Some(only.id.clone()),
                _ => None,
            },
            status: Status::InProgress,
            review: None,
            email_log: Vec::new(),
        }
    }

    /// The standard this scan was made against (its snapshot).
    pub fn standard(&self) -> &Standard {
        &self.standard.snapshot
    }

    /// The learner's answer to a question, if any.
    pub fn answer(&self, question_id: &QuestionId) -> Option<&Answer> {
        self.answers.get(question_id)
    }

    /// The learner's rating of a question, if any.
    pub fn rating(&self, question_id: &QuestionId) -> Option<Rating> {
        self.answer(question_id).and_then(|a| a.rating)
    }

    /// The rating that counts for the plan: the coach's agreed rating, else the learner's.
    pub fn effective_rating(&self, question_id: &QuestionId) -> Option<Rating> {
        self.agreed(question_id)
            .and_then(|a| a.rating)
            .or_else(|| self.rating(question_id))
    }

    /// The coach's agreed rating and note, if any.
    pub fn agreed(&self, question_id: &QuestionId) -> Option<&Agreed> {
        self.review.as_ref().and_then(|r| r.agreed.get(question_id))
    }

    /// The coach's agreed rating and note on one KSB, if any.
    pub fn agreed_ksb(&self, code: &KsbCode) -> Option<&Agreed> {
        self.review.as_ref().and_then(|r| r.ksbs.get(code))
    }

    /// How many questions are not answered yet.
    pub fn unanswered_count(&self) -> usize {
        self.question_count().saturating_sub(self.answered_count())
    }

    /// Whether the learner has submitted.
    pub fn is_submitted(&self) -> bool {
        matches!(self.status, Status::Submitted { .. })
    }

    /// When the learner submitted, if they have.
    pub fn submitted_at(&self) -> Option<DateTime<Utc>> {
        match self.status {
            Status::Submitted { at } => Some(at),
            Status::InProgress => None,
        }
    }

    /// Sets the learner's rating. Returns false (and changes nothing) once submitted.
    pub fn set_rating(
        &mut self,
        question_id: &QuestionId,
        rating: Option<Rating>,
        now: DateTime<Utc>,
    ) -> bool {
        if self.is_submitted() {
            return false;
        }
        let answer = self.answers.entry(question_id.clone()).or_default();
        if answer.rating != rating {
            answer.rating = rating;
            answer.changed = Some(now);
            self.updated = now;
        }
        true
    }

    /// Sets the learner's text for a question. Returns false (and changes nothing) once submitted.
    pub fn set_text(&mut self, question_id: &QuestionId, text: &str, now: DateTime<Utc>) -> bool {
        if self.is_submitted() {
            return false;
        }
        let answer = self.answers.entry(question_id.clone()).or_default();
        if answer.text != text {
            answer.text = text.to_string();
            answer.changed = Some(now);
            self.updated = now;
        }
        true
    }

    /// How many questions have a rating.
    pub fn answered_count(&self) -> usize {
        self.standard()
            .questions()
            .filter(|l| self.rating(&l.question.id).is_some())
            .count()
    }

    /// How many questions the scan has.
    pub fn question_count(&self) -> usize {
        self.standard().question_count()
    }

    /// Marks the scan submitted if it is complete; otherwise returns the problems that stop it.
    pub fn submit(&mut self, now: DateTime<Utc>) -> Result<(), Vec<super::validate::Issue>> {
        if self.is_submitted() {
            return Ok(());
        }
        let problems = super::validate::scan(self);
        if !problems.is_empty() {
            return Err(problems);
        }
        self.status = Status::Submitted { at: now };
        self.updated = now;
        Ok(())
    }

    /// The review, created empty on first use.
    pub fn review_mut(&mut self) -> &mut Review {
        self.review.get_or_insert_with(Review::default)
    }

    /// Sets the coach's agreed rating for a question (never the learner's answer).
    pub fn set_agreed_rating(
        &mut self,
        question_id: &QuestionId,
        rating: Option<Rating>,
        now: DateTime<Utc>,
    ) {
        let agreed = self
            .review_mut()
            .agreed
            .entry(question_id.clone())
            .or_default();
        agreed.rating = rating;
        agreed.changed = Some(now);
        self.updated = now;
    }

    /// Sets the coach's note for a question (never the learner's answer).
    pub fn set_agreed_note(&mut self, question_id: &QuestionId, note: &str, now: DateTime<Utc>) {
        let agreed = self
            .review_mut()
            .agreed
            .entry(question_id.clone())
            .or_default();
        note.clone_into(&mut agreed.note);
        agreed.changed = Some(now);
        self.updated = now;
    }

    /// Sets the coach's agreed rating for one KSB (`None` clears it: the KSB is derived again).
    pub fn set_agreed_ksb_rating(
        &mut self,
        code: &KsbCode,
        rating: Option<Rating>,
        now: DateTime<Utc>,
    ) {
        let review = self.review_mut();
        let agreed = review.ksbs.entry(code.clone()).or_default();
        agreed.rating = rating;
        agreed.changed = Some(now);
        if agreed.rating.is_none() && agreed.note.is_empty() {
            review.ksbs.remove(code);
        }
        self.updated = now;
    }

    /// Sets the coach's note on one KSB.
    pub fn set_agreed_ksb_note(&mut self, code: &KsbCode, note: &str, now: DateTime<Utc>) {
        let review = self.review_mut();
        let agreed = review.ksbs.entry(code.clone()).or_default();
        note.clone_into(&mut agreed.note);
        agreed.changed = Some(now);
        if agreed.rating.is_none() && agreed.note.is_empty() {
            review.ksbs.remove(code);
        }
        self.updated = now;
    }

    /// Whether the manager's validation stands: recorded, and nothing it sealed has changed
    /// since (see [`super::record::Seal`]).
    pub fn is_validated(&self) -> bool {
        super::record::Seal::of(self).holds()
    }

    /// Whether a message has been accepted by a server for this scan.
    pub fn was_emailed(&self) -> bool {
        self.email_log.iter().any(|e| e.result == EmailResult::Sent)
    }

    /// Problems that make this scan's content untrustworthy: its snapshot contradicts itself,
    /// or answers name questions that the snapshot does not have.
    pub fn integrity_problems(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .standard()
            .problems()
            .into_iter()
            .map(|p| format!("standard snapshot: {p}"))
            .collect();
        if self.standard.reference != self.standard().reference
            || self.standard.version != self.standard().version
        {
            out.push(format!(
                "standard is {} v{} but its snapshot is {} v{}",
                self.standard.reference,
                self.standard.version,
                self.standard().reference,
                self.standard().version
            ));
        }
        if let Some(option) = &self.option
            && self.standard().option(option).is_none()
        {
            out.push(format!(
                "option `{option}` is not one of the standard's options"
            ));
        }
        let positions = self.standard().question_positions();
        for id in self.answers.keys() {
            if !positions.contains_key(id) {
                out.push(format!("answer for unknown question `{id}`"));
            }
        }
        if let Some(review) = &self.review {
            for id in review.agreed.keys() {
                if !positions.contains_key(id) {
                    out.push(format!("review for unknown question `{id}`"));
                }
            }
            for code in review.ksbs.keys() {
                if self.standard().ksb(code).is_none() {
                    out.push(format!("review for unknown KSB `{code}`"));
                }
            }
        }
        out
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use chrono::TimeZone;

    pub(crate) fn t(secs: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_790_000_000 + secs, 0)
            .single()
            .expect("valid time")
    }

    #[test]
    fn a_key_given_twice_is_refused_naming_what_it_keys() {
        let review = |agreed: &str, ksbs: &str| {
            serde_json::from_str::<Review>(&format!(r#"{{"agreed": {agreed}, "ksbs": {ksbs}}}"#))
        };
        let e = review(r#"{"d1-skills": {}, "d1-skills": {"note": "x"}}"#, "{}").unwrap_err();
        assert!(
            e.to_string()
                .starts_with("question `d1-skills` is given twice"),
            "{e}"
        );
        let e = review("{}", r#"{"K1": {}, "K1": {"note": "x"}}"#).unwrap_err();
        assert!(e.to_string().starts_with("KSB `K1` is given twice"), "{e}");
        let e = review("{}", "[]").unwrap_err();
        assert!(e.to_string().contains("an object keyed by KSB code"), "{e}");
        assert!(review(r#"{"d1-skills": {}}"#, r#"{"K1": {}}"#).is_ok());
    }

    pub(crate) fn blank() -> Scan {
        Scan::new(&Standard::embedded().expect("valid"), "test-id", t(0))
    }

    /// A complete scan: all Yes with text except the given ids, rated No.
    pub(crate) fn complete(no: &[&str]) -> Scan {
        let mut s = blank();
        s.learner = Learner {
            name: "Sam Taylor".into(),
            email: "sam.taylor@example.org".into(),
        };
        s.manager = Manager {
            email: "alex.morgan@example.org".into(),
            name: "Alex Morgan".into(),
        };
        let ids: Vec<QuestionId> = s
            .standard()
            .questions()
            .map(|l| l.question.id.clone())
            .collect();
        for id in ids {
            if no.contains(&id.as_str()) {
                s.set_rating(&id, Some(Rating::No), t(1));
            } else {
                s.set_rating(&id, Some(Rating::Yes), t(1));
                s.set_text(&id, "I do this every week.", t(1));
            }
        }
        s
    }

    #[test]
    fn rating_parse_accepts_words_and_letters() {
        assert_eq!(Rating::parse(" YES "), Some(Rating::Yes));
        assert_eq!(Rating::parse("s"), Some(Rating::Some));
        assert_eq!(Rating::parse("No"), Some(Rating::No));
        assert_eq!(Rating::parse("maybe"), None);
    }

    #[test]
    fn set_rating_records_time_and_counts() {
        let mut s = blank();
        assert_eq!(s.answered_count(), 0);
        assert!(s.set_rating(&"d1-skills".into(), Some(Rating::Some), t(5)));
        assert_eq!(s.answered_count(), 1);
        assert_eq!(
            s.answer(&"d1-skills".into()).and_then(|a| a.changed),
            Some(t(5))
        );
        assert_eq!(s.updated, t(5));
    }

    #[test]
    fn submitted_scan_refuses_learner_changes_but_takes_review() {
        let mut s = complete(&[]);
        s.submit(t(10)).expect("complete scan submits");
        assert!(!s.set_rating(&"d1-skills".into(), Some(Rating::No), t(11)));
        assert!(!s.set_text(&"d1-skills".into(), "changed", t(11)));
        assert_eq!(s.rating(&"d1-skills".into()), Some(Rating::Yes));
        s.set_agreed_rating(&"d1-skills".into(), Some(Rating::Some), t(12));
        assert_eq!(s.rating(&"d1-skills".into()), Some(Rating::Yes));
        assert_eq!(s.effective_rating(&"d1-skills".into()), Some(Rating::Some));
    }

    #[test]
    fn incomplete_scan_does_not_submit() {
        let mut s = blank();
        let problems = s.submit(t(1)).unwrap_err();
        assert!(!problems.is_empty());
        assert!(!s.is_submitted());
    }

    #[test]
    fn email_log_round_trips() {
        let mut s = complete(&[]);
        for result in [
            EmailResult::Sent,
            EmailResult::Sending,
            EmailResult::Queued {
                reason: "later".into(),
            },
            EmailResult::Failed {
                reason: "no".into(),
            },
        ] {
            s.email_log.push(EmailLogEntry {
                at: t(3),
                to: vec!["a@example.org".into()],
                message_id: "<x@example.org>".into(),
                result,
            });
        }
        let json = serde_json::to_string(&s).expect("serialises");
        let back: Scan = serde_json::from_str(&json).expect("an email log loads back");
        assert_eq!(back, s);
    }

    #[test]
    fn integrity_flags_unknown_answers() {
        let mut s = blank();
        s.answers.insert("d99-skills".into(), Answer::default());
        assert!(
            s.integrity_problems()
                .iter()
                .any(|p| p.contains("d99-skills"))
        );
        assert!(blank().integrity_problems().is_empty());
    }
}
