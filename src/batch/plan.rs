//! Deciding, apart from doing: what the export does with one readable scan file, worked out from
//! the scan's own email log and the options alone (no files, no network, no clock), beside the
//! exactly-once rules it rests on. `batch` then carries the plan out.
//!
//! ## The exactly-once rules
//! - A scan whose log shows the summary sent is not sent again, unless `--resend`.
//! - A "sending" entry without an outcome (a run stopped between handing the message over and
//!   recording the answer) is *unconfirmed*: not sent again unless `--resend`, and then with the
//!   SAME Message-ID (mail systems collapse duplicates by it).
//! - A message waiting in the outbox for the scan (queued by `send` or the learner's app) is sent
//!   under its Message-ID, so once the log says sent, `outbox send` never sends it a second time.

use std::path::Path;

use crate::core::Scan;
use crate::core::scan::{EmailLogEntry, EmailResult};

use super::Messages;
use super::report::SkipReason;

/// What to do with one scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plan {
    /// Nothing beyond the spreadsheet row (and the report says why).
    Skip {
        /// Why.
        reason: SkipReason,
        /// More words, for the report (empty when the reason says it all).
        detail: String,
    },
    /// Only the spreadsheet row (no messages asked for).
    RowOnly,
    /// A dry run: say the message would be sent (if the scan is not locked).
    WouldSend,
    /// Write the message as a `.eml` file.
    WriteEml(MessageId),
    /// Send the message, recorded "sending" then its outcome in the scan's log.
    Send(MessageId),
}

/// Which Message-ID the message gets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MessageId {
    /// A new one.
    New,
    /// The one of an unconfirmed send (`--resend`), or of the message waiting in the outbox.
    Same(String),
}

/// Decides what to do with a readable scan: `messages` and `dry_run` as the export was asked,
/// `path` only for the words of an unconfirmed send.
pub fn plan(scan: &Scan, messages: &Messages, dry_run: bool, path: &Path) -> Plan {
    let skip = |reason, detail: String| Plan::Skip { reason, detail };
    if *messages == Messages::None && !dry_run {
        return Plan::RowOnly;
    }
    if !scan.is_submitted() {
        return skip(SkipReason::NotSubmitted, String::new());
    }
    let resend = matches!(messages, Messages::Email { resend: true });
    let emailing = dry_run || matches!(messages, Messages::Email { .. });
    if emailing && !resend {
        if scan.was_emailed() {
            return skip(SkipReason::AlreadySent, String::new());
        }
        if let Some(entry) = unfinished(scan) {
            return skip(
                SkipReason::Unconfirmed,
                format!(
                    "a run stopped while sending {} on {}, before the server's answer was recorded: it may have arrived. Check with {}; to send it again (same Message-ID): skills-scan export {} --email --resend",
                    entry.message_id,
                    entry.at.format("%Y-%m-%d %H:%M UTC"),
                    scan.learner.email,
                    path.display()
                ),
            );
        }
    }
    if dry_run {
        return Plan::WouldSend;
    }
    let sending = matches!(messages, Messages::Email { .. });
    let id = match (unfinished(scan), waiting_in_outbox(scan)) {
        (Some(entry), _) if resend && !sent_since(scan, entry) => {
            MessageId::Same(entry.message_id.clone())
        }
        (_, Some(id)) if sending && !scan.was_emailed() => MessageId::Same(id.to_string()),
        _ => MessageId::New,
    };
    if sending {
        Plan::Send(id)
    } else {
        Plan::WriteEml(id)
    }
}

/// The entry of a message being sent whose outcome was never recorded, if any.
pub fn unfinished(scan: &Scan) -> Option<&EmailLogEntry> {
    let mut pending: Option<&EmailLogEntry> = None;
    for entry in &scan.email_log {
        match &entry.result {
            EmailResult::Sending => pending = Some(entry),
            _ => {
                if pending.is_some_and(|p| p.message_id == entry.message_id) {
                    pending = None;
                }
            }
        }
    }
    pending
}

/// The Message-ID of a message waiting in the outbox for this scan (queued by `send` or the
/// TUI and not sent since), if any.
pub fn waiting_in_outbox(scan: &Scan) -> Option<&str> {
    let mut waiting: Option<&str> = None;
    for entry in &scan.email_log {
        match &entry.result {
            EmailResult::Queued { .. } => {
                waiting = Some(entry.message_id.as_str()).filter(|id| !id.is_empty());
            }
            EmailResult::Sent if waiting == Some(entry.message_id.as_str()) => waiting = None,
            _ => {}
        }
    }
    waiting
}

/// Whether a send was accepted after an unfinished entry (then `--resend` means a new message,
/// not the interrupted one).
fn sent_since(scan: &Scan, entry: &EmailLogEntry) -> bool {
    scan.email_log
        .iter()
        .any(|e| e.result == EmailResult::Sent && e.at > entry.at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::Standard;
    use chrono::{DateTime, Duration, Utc};

    fn at(minutes: i64) -> DateTime<Utc> {
        DateTime::<Utc>::UNIX_EPOCH + Duration::minutes(minutes)
    }

    fn entry(id: &str, result: EmailResult, minutes: i64) -> EmailLogEntry {
        EmailLogEntry {
            at: at(minutes),
            to: vec!["a@example.org".into()],
            message_id: id.into(),
            result,
        }
    }

    fn queued() -> EmailResult {
        EmailResult::Queued {
            reason: "server down".into(),
        }
    }

    fn scan(submitted: bool, log: Vec<EmailLogEntry>) -> Scan {
        let standard = Standard::embedded().expect("valid");
        let mut scan = crate::sample::submitted_scan(&standard, 1, at(0));
        if !submitted {
            scan.status = crate::core::scan::Status::InProgress;
        }
        scan.email_log = log;
        scan
    }

    const EMAIL: Messages = Messages::Email { resend: false };
    const RESEND: Messages = Messages::Email { resend: true };

    fn eml() -> Messages {
        Messages::Eml { out: "out".into() }
    }

    fn same(id: &str) -> MessageId {
        MessageId::Same(id.into())
    }

    fn skip(reason: SkipReason) -> Plan {
        Plan::Skip {
            reason,
            detail: String::new(),
        }
    }

    fn sent() -> Vec<EmailLogEntry> {
        vec![entry("<1@x>", EmailResult::Sent, 1)]
    }

    fn cut_off() -> Vec<EmailLogEntry> {
        vec![entry("<2@x>", EmailResult::Sending, 1)]
    }

    fn in_outbox() -> Vec<EmailLogEntry> {
        vec![entry("<3@x>", queued(), 1)]
    }

    /// One row of the table: a scan with `log`, the export asked `messages` (`dry_run`).
    fn row(submitted: bool, log: Vec<EmailLogEntry>, messages: &Messages, dry_run: bool) -> Plan {
        plan(
            &scan(submitted, log),
            messages,
            dry_run,
            Path::new("a.json"),
        )
    }

    /// The rules when sending, as a table: (what the log holds, what was asked) → the plan.
    #[test]
    fn sending_follows_the_exactly_once_rules() {
        let cut_off_then_sent = vec![
            entry("<2@x>", EmailResult::Sending, 1),
            entry("<4@x>", EmailResult::Sent, 2),
        ];
        let rows = [
            (
                "not submitted",
                row(false, vec![], &EMAIL, false),
                skip(SkipReason::NotSubmitted),
            ),
            (
                "new",
                row(true, vec![], &EMAIL, false),
                Plan::Send(MessageId::New),
            ),
            (
                "sent",
                row(true, sent(), &EMAIL, false),
                skip(SkipReason::AlreadySent),
            ),
            (
                "sent, --resend",
                row(true, sent(), &RESEND, false),
                Plan::Send(MessageId::New),
            ),
            (
                "waiting",
                row(true, in_outbox(), &EMAIL, false),
                Plan::Send(same("<3@x>")),
            ),
            (
                "cut off, --resend",
                row(true, cut_off(), &RESEND, false),
                Plan::Send(same("<2@x>")),
            ),
            (
                "cut off, sent since, --resend",
                row(true, cut_off_then_sent, &RESEND, false),
                Plan::Send(MessageId::New),
            ),
        ];
        for (what, got, want) in rows {
            assert_eq!(got, want, "{what}");
        }
        // A cut-off send is unconfirmed: named, with how to resend it, and not sent.
        let got = row(true, cut_off(), &EMAIL, false);
        let Plan::Skip { reason, detail } = got else {
            panic!("{got:?}");
        };
        assert_eq!(reason, SkipReason::Unconfirmed);
        assert!(
            detail.contains("<2@x>") && detail.contains("--resend"),
            "{detail}"
        );
    }

    /// The other modes, as a table: the spreadsheet only, a dry run, `.eml` files.
    #[test]
    fn dry_runs_eml_and_the_spreadsheet_plan_alike() {
        let none = Messages::None;
        let rows = [
            ("csv only", row(true, vec![], &none, false), Plan::RowOnly),
            (
                "csv only, in progress",
                row(false, vec![], &none, false),
                Plan::RowOnly,
            ),
            ("dry run", row(true, vec![], &none, true), Plan::WouldSend),
            (
                "dry run, sent",
                row(true, sent(), &EMAIL, true),
                skip(SkipReason::AlreadySent),
            ),
            (
                "eml",
                row(true, sent(), &eml(), false),
                Plan::WriteEml(MessageId::New),
            ),
            (
                "eml, waiting",
                row(true, in_outbox(), &eml(), false),
                Plan::WriteEml(MessageId::New),
            ),
            (
                "eml, in progress",
                row(false, vec![], &eml(), false),
                skip(SkipReason::NotSubmitted),
            ),
        ];
        for (what, got, want) in rows {
            assert_eq!(got, want, "{what}");
        }
    }

    #[test]
    fn a_sending_entry_without_outcome_is_unfinished() {
        let mut scan = scan(true, vec![]);
        assert!(unfinished(&scan).is_none());
        scan.email_log.push(entry("<1@x>", EmailResult::Sending, 0));
        assert_eq!(
            unfinished(&scan).map(|e| e.message_id.as_str()),
            Some("<1@x>")
        );
        scan.email_log.push(entry("<1@x>", EmailResult::Sent, 0));
        assert!(unfinished(&scan).is_none());
        scan.email_log.push(entry("<2@x>", EmailResult::Sending, 0));
        let failed = EmailResult::Failed {
            reason: "550".into(),
        };
        scan.email_log.push(entry("<2@x>", failed, 0));
        assert!(unfinished(&scan).is_none());
        scan.email_log.push(entry("<3@x>", EmailResult::Sending, 0));
        // An outbox entry for another message does not finish this one.
        scan.email_log.push(entry("<4@x>", queued(), 0));
        assert_eq!(
            unfinished(&scan).map(|e| e.message_id.as_str()),
            Some("<3@x>")
        );
    }
}
