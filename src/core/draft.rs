//! A scan being edited: the scan, owned by one front end, and a revision that every change
//! bumps, so "unsaved" is a comparison with the revision last saved ([`Draft::unsaved`]: what
//! `session::Session` asks to know whether to write, and the screens to say "Saved"), never a
//! flag to remember to set. The session marks the draft saved when its save succeeded.
//!
//! A [`Draft`] has a role, and the role decides which changes exist at all:
//! - [`Answering`] (the learner's front ends): the details, ratings, written answers and submit;
//! - [`Reviewing`] (the coach's `open`): the review only: agreed ratings and notes, the
//!   validation record. It has no method that reaches the learner's answers or the status, so a
//!   review cannot change them (the compiler checks what a comparison after the fact used to);
//! - [`Recording`] (`send`): nothing but the email log.
//!
//! Every role may record an email ([`Draft::record_email`]). The scan is read through `Deref`;
//! there is no `DerefMut`, so nothing changes a draft behind its revision's back.
//!
//! Pure: every change takes the time as an argument.

use std::marker::PhantomData;
use std::ops::Deref;

use chrono::{DateTime, Utc};

use super::record;
use super::scan::{EmailLogEntry, Rating, Review, Scan, Validation};
use super::standard::{KsbCode, QuestionId, Standard};
use super::walk::Detail;

/// The learner's role: details, answers, submit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answering {}

/// The coach's role: the review only, never the learner's answers.
///
/// A review has no way to change an answer, the details or the status (these do not compile):
///
/// ```compile_fail
/// # use skills_scan::core::draft::{Draft, Reviewing};
/// fn review(d: &mut Draft<Reviewing>, now: chrono::DateTime<chrono::Utc>) {
///     d.set_rating(&"d1-skills".into(), None, now);
/// }
/// ```
///
/// ```compile_fail
/// # use skills_scan::core::draft::{Draft, Reviewing};
/// fn review(d: &mut Draft<Reviewing>) {
///     d.answers.clear();
/// }
/// ```
///
/// while the review itself is open to it:
///
/// ```
/// # use skills_scan::core::draft::{Draft, Reviewing};
/// fn review(d: &mut Draft<Reviewing>, now: chrono::DateTime<chrono::Utc>) {
///     d.set_agreed_rating(&"d1-skills".into(), None, now);
/// }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reviewing {}

/// Recording what was sent: the email log only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recording {}

/// A scan being edited in role `R`, with its revision (not part of the file: it counts changes
/// made in this process, from 0 when the draft is made) and the revision last saved
/// ([`Draft::mark_saved`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Draft<R> {
    scan: Scan,
    revision: u64,
    /// The revision on disk; `None` for content due a save whatever happens ([`Draft::to_keep`]).
    saved: Option<u64>,
    role: PhantomData<R>,
}

impl<R> From<Scan> for Draft<R> {
    /// A draft of `scan` at revision 0, as loaded (saved).
    fn from(scan: Scan) -> Self {
        Self {
            scan,
            revision: 0,
            saved: Some(0),
            role: PhantomData,
        }
    }
}

impl<R> Deref for Draft<R> {
    type Target = Scan;
    fn deref(&self) -> &Scan {
        &self.scan
    }
}

impl<R> serde::Serialize for Draft<R> {
    /// Exactly the scan (the revision is not part of the file).
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.scan.serialize(s)
    }
}

impl<R> Draft<R> {
    /// How many changes were made since the draft was made: equal revisions, equal content.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// A draft of `scan` whose content is worth keeping as it is, not yet on disk (made from
    /// other data, e.g. a sample or an import): unsaved until its first save, changed or not.
    pub fn to_keep(scan: Scan) -> Self {
        Self {
            saved: None,
            ..Self::from(scan)
        }
    }

    /// The draft as it is now is on disk (the session's save succeeded).
    pub fn mark_saved(&mut self) {
        self.saved = Some(self.revision);
    }

    /// Whether the draft has changes not on disk: made since it was loaded or last
    /// [marked saved](Self::mark_saved), or it is [to keep](Self::to_keep) and never saved.
    pub fn unsaved(&self) -> bool {
        self.saved != Some(self.revision)
    }

    /// The scan.
    pub fn scan(&self) -> &Scan {
        &self.scan
    }

    /// The scan, the draft done with.
    pub fn into_scan(self) -> Scan {
        self.scan
    }

    /// Bumps the revision when `changed`; returns `changed`.
    fn bump(&mut self, changed: bool) -> bool {
        if changed {
            self.revision += 1;
        }
        changed
    }

    /// Appends a line to the scan's email log.
    pub fn record_email(&mut self, entry: EmailLogEntry) {
        self.scan.email_log.push(entry);
        self.bump(true);
    }
}

impl Draft<Answering> {
    /// Sets one of the learner's or manager's details; true when it changed. Refused (false)
    /// once submitted, as the answers are.
    pub fn set_detail(&mut self, detail: Detail, value: &str, now: DateTime<Utc>) -> bool {
        if self.scan.is_submitted() {
            return false;
        }
        let slot = match detail {
            Detail::LearnerName => &mut self.scan.learner.name,
            Detail::LearnerEmail => &mut self.scan.learner.email,
            Detail::ManagerEmail => &mut self.scan.manager.email,
            Detail::ManagerName => &mut self.scan.manager.name,
        };
        let changed = *slot != value;
        if changed {
            value.clone_into(slot);
            self.scan.updated = now;
        }
        self.bump(changed)
    }

    /// Sets the learner's rating ([`Scan::set_rating`]); true when it changed.
    pub fn set_rating(
        &mut self,
        question_id: &QuestionId,
        rating: Option<Rating>,
        now: DateTime<Utc>,
    ) -> bool {
        let changed = self.scan.rating(question_id) != rating;
        let changed = changed && self.scan.set_rating(question_id, rating, now);
        self.bump(changed)
    }

    /// Sets the learner's written answer ([`Scan::set_text`]); true when it changed.
    pub fn set_text(&mut self, question_id: &QuestionId, text: &str, now: DateTime<Utc>) -> bool {
        let changed = self.scan.answer(question_id).is_none_or(|a| a.text != text);
        let changed = changed && self.scan.set_text(question_id, text, now);
        self.bump(changed)
    }

    /// Submits the scan if it is complete ([`Scan::submit`]).
    pub fn submit(&mut self, now: DateTime<Utc>) -> Result<(), Vec<super::validate::Issue>> {
        let was = self.scan.is_submitted();
        self.scan.submit(now)?;
        self.bump(!was);
        Ok(())
    }
}

impl Draft<Reviewing> {
    /// Sets the coach's agreed rating for a question; true when it changed.
    pub fn set_agreed_rating(
        &mut self,
        question_id: &QuestionId,
        rating: Option<Rating>,
        now: DateTime<Utc>,
    ) -> bool {
        let changed = self.scan.agreed(question_id).and_then(|a| a.rating) != rating;
        if changed {
            self.scan.set_agreed_rating(question_id, rating, now);
        }
        self.bump(changed)
    }

    /// Sets the coach's note for a question; true when it changed.
    pub fn set_agreed_note(
        &mut self,
        question_id: &QuestionId,
        note: &str,
        now: DateTime<Utc>,
    ) -> bool {
        let changed = self
            .scan
            .agreed(question_id)
            .map_or("", |a| a.note.as_str())
            != note;
        if changed {
            self.scan.set_agreed_note(question_id, note, now);
        }
        self.bump(changed)
    }

    /// Sets the coach's agreed rating for a KSB (`None`: derived again); true when it changed.
    pub fn set_agreed_ksb_rating(
        &mut self,
        code: &KsbCode,
        rating: Option<Rating>,
        now: DateTime<Utc>,
    ) -> bool {
        let changed = self.scan.agreed_ksb(code).and_then(|a| a.rating) != rating;
        if changed {
            self.scan.set_agreed_ksb_rating(code, rating, now);
        }
        self.bump(changed)
    }

    /// Sets the coach's note on a KSB; true when it changed.
    pub fn set_agreed_ksb_note(&mut self, code: &KsbCode, note: &str, now: DateTime<Utc>) -> bool {
        let changed = self.scan.agreed_ksb(code).map_or("", |a| a.note.as_str()) != note;
        if changed {
            self.scan.set_agreed_ksb_note(code, note, now);
        }
        self.bump(changed)
    }

    /// Changes the validation record's meeting details through `edit`; when anything changed,
    /// stamps `recorded_at` and returns true.
    pub fn edit_validation(
        &mut self,
        now: DateTime<Utc>,
        edit: impl FnOnce(&mut Validation),
    ) -> bool {
        let before = self
            .scan
            .review
            .as_ref()
            .map(|r| r.validation.clone())
            .unwrap_or_default();
        let mut after = before.clone();
        edit(&mut after);
        let changed = after != before;
        if changed {
            after.recorded_at = Some(now);
            self.scan.review_mut().validation = after;
            self.scan.updated = now;
        }
        self.bump(changed)
    }

    /// Records and seals the manager's validation ([`record::validate`]).
    pub fn validate(
        &mut self,
        known: &[Standard],
        now: DateTime<Utc>,
    ) -> Result<(), record::Refusal> {
        record::validate(&mut self.scan, known, now)?;
        self.bump(true);
        Ok(())
    }

    /// Withdraws the manager's validation ([`record::withdraw`]).
    pub fn withdraw(&mut self, now: DateTime<Utc>) {
        record::withdraw(&mut self.scan, now);
        self.bump(true);
    }

    /// The review as it stands (empty if none yet).
    pub fn review(&self) -> Review {
        self.scan.review.clone().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::scan::tests::{complete, t};

    #[test]
    fn only_real_changes_bump_the_revision() {
        let mut d: Draft<Answering> = Draft::from(complete(&[]));
        assert_eq!(d.revision(), 0);
        assert!(
            !d.set_rating(&"d1-skills".into(), Some(Rating::Yes), t(2)),
            "same rating"
        );
        assert!(
            !d.set_text(&"d1-skills".into(), "I do this every week.", t(2)),
            "same text"
        );
        assert!(!d.set_detail(Detail::LearnerName, "Sam Taylor", t(2)));
        assert_eq!(d.revision(), 0);
        assert!(d.set_rating(&"d1-skills".into(), Some(Rating::No), t(3)));
        assert!(d.set_detail(Detail::ManagerName, "Alex M", t(3)));
        assert_eq!(d.revision(), 2);
        assert_eq!(d.manager.name, "Alex M");
    }

    #[test]
    fn unsaved_until_marked_saved_and_again_at_the_next_change() {
        let mut d: Draft<Answering> = Draft::from(complete(&[]));
        assert!(!d.unsaved(), "as loaded");
        assert!(!d.set_rating(&"d1-skills".into(), Some(Rating::Yes), t(2)));
        assert!(!d.unsaved(), "no real change");
        assert!(d.set_rating(&"d1-skills".into(), Some(Rating::No), t(3)));
        assert!(d.unsaved());
        d.mark_saved();
        assert!(!d.unsaved());
        assert!(d.set_text(&"d1-skills".into(), "Now and then.", t(4)));
        assert!(d.unsaved());
    }

    #[test]
    fn a_submitted_draft_refuses_answers_and_details() {
        let mut d: Draft<Answering> = Draft::from(complete(&[]));
        d.submit(t(5)).expect("complete");
        let r = d.revision();
        assert!(!d.set_rating(&"d1-skills".into(), Some(Rating::No), t(6)));
        assert!(!d.set_detail(Detail::LearnerEmail, "x@example.org", t(6)));
        assert_eq!(d.revision(), r);
    }

    #[test]
    fn a_review_changes_the_review_only() {
        let mut scan = complete(&[]);
        scan.submit(t(5)).expect("complete");
        let answers = scan.answers.clone();
        let mut d: Draft<Reviewing> = Draft::from(scan);
        assert!(d.set_agreed_rating(&"d1-skills".into(), Some(Rating::Some), t(6)));
        assert!(!d.set_agreed_rating(&"d1-skills".into(), Some(Rating::Some), t(6)));
        assert!(d.set_agreed_note(&"d1-skills".into(), "seen at work", t(6)));
        assert!(d.set_agreed_ksb_rating(&"S1".into(), Some(Rating::No), t(6)));
        assert!(d.edit_validation(t(7), |v| "Jordan Hughes".clone_into(&mut v.coach_name)));
        assert!(!d.edit_validation(t(8), |v| "Jordan Hughes".clone_into(&mut v.coach_name)));
        assert_eq!(d.review().validation.recorded_at, Some(t(7)));
        assert_eq!(d.revision(), 4);
        assert_eq!(d.answers, answers);
    }
}
