//! What the learner is told once the scan is submitted, matching what happened to the summary
//! email: sent (to whom, when); not sent because this computer is not set up for email (what to
//! do with the file instead); not sent yet after a temporary failure (when it is tried again);
//! refused. Pure: both front ends show these paragraphs as they are.

use std::path::Path;

use chrono::{DateTime, Utc};

use crate::core::scan::EmailResult;

/// What happened, as the front end knows it.
#[derive(Debug, Clone, Copy)]
pub struct Closing<'a> {
    /// The email log's outcome (None: not known yet).
    pub result: Option<&'a EmailResult>,
    /// The recipients.
    pub to: &'a [String],
    /// When it was sent or tried.
    pub at: DateTime<Utc>,
    /// Whether `[smtp]` is configured on this computer.
    pub email_set_up: bool,
    /// The saved scan file.
    pub file: Option<&'a Path>,
    /// The e-portfolio's name.
    pub eportfolio: &'a str,
}

/// The paragraphs to show, in order (plain text, not cleaned: the front end cleans for its
/// terminal).
pub fn paragraphs(c: &Closing<'_>) -> Vec<String> {
    let file = c
        .file
        .map_or_else(|| "your scan file".to_string(), |p| p.display().to_string());
    let to = match c.to {
        [] => "you and your line manager".to_string(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    };
    let upload = format!(
        "Upload the summary and your scan file to your skills scan learning assessment record on {}, with any other evidence, before the planning meeting: your coach reviews it there, and your line manager will be asked at the meeting to confirm it is accurate.",
        c.eportfolio
    );
    let when = c.at.format("%-d %B %Y at %H:%M UTC");
    match c.result {
        Some(EmailResult::Sent) => vec![
            format!("Your summary was emailed to {to} on {when}. Your scan is saved in {file}."),
            upload,
        ],
        Some(EmailResult::Sending) => vec![
            format!(
                "Your summary was handed to the mail server for {to} on {when}, but its answer was not recorded: check with your line manager that it arrived."
            ),
            upload,
        ],
        Some(EmailResult::Queued { .. }) if !c.email_set_up => vec![
            "Your summary has NOT been emailed: this computer is not set up to send email.".into(),
            format!(
                "Your scan is saved in {file}. Give that file to your coach, or upload it yourself to your skills scan learning assessment record on {}, with any other evidence, before the planning meeting.",
                c.eportfolio
            ),
            "The message waits in this computer's outbox and is sent once email is set up here (skills-scan outbox send).".into(),
        ],
        Some(EmailResult::Queued { reason }) => vec![
            format!("Your summary could not be emailed just now: {reason}"),
            format!(
                "It is kept, and tried again by itself the next time skills-scan starts on this computer (or at once with: skills-scan outbox send). Your scan is saved in {file}."
            ),
            upload,
        ],
        Some(EmailResult::Failed { reason }) => vec![
            format!("The mail server refused your summary, so it has NOT been emailed: {reason}"),
            format!(
                "It is not tried again by itself. Your scan is saved in {file}: give it to your coach, who can check the addresses and send it (skills-scan send)."
            ),
            upload,
        ],
        None => vec![format!("Your scan is saved in {file}."), upload],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn closing(result: Option<&EmailResult>, email_set_up: bool) -> String {
        let to = [
            "sam@example.org".to_string(),
            "alex@example.org".to_string(),
        ];
        paragraphs(&Closing {
            result,
            to: &to,
            at: DateTime::parse_from_rfc3339("2026-11-23T10:30:00Z")
                .expect("time")
                .with_timezone(&Utc),
            email_set_up,
            file: Some(Path::new("/data/scans/sam.json")),
            eportfolio: "OneFile",
        })
        .join("\n")
    }

    #[test]
    fn each_outcome_says_what_happened_and_never_claims_a_send_that_did_not_happen() {
        let sent = closing(Some(&EmailResult::Sent), true);
        assert!(
            sent.contains(
                "emailed to sam@example.org and alex@example.org on 23 November 2026 at 10:30 UTC"
            ),
            "{sent}"
        );
        assert!(sent.contains("OneFile"));
        let queued = EmailResult::Queued { reason: "x".into() };
        let not_set_up = closing(Some(&queued), false);
        assert!(not_set_up.contains("NOT been emailed"), "{not_set_up}");
        assert!(not_set_up.contains("not set up to send email"));
        assert!(not_set_up.contains("/data/scans/sam.json"));
        assert!(not_set_up.contains("Give that file to your coach"));
        let later = closing(Some(&queued), true);
        assert!(later.contains("could not be emailed just now"), "{later}");
        assert!(later.contains("tried again by itself the next time skills-scan starts"));
        let refused = closing(
            Some(&EmailResult::Failed {
                reason: "550".into(),
            }),
            true,
        );
        assert!(refused.contains("NOT been emailed"), "{refused}");
        assert!(refused.contains("not tried again by itself"));
        for text in [&not_set_up, &later, &refused] {
            assert!(!text.contains("was emailed"), "{text}");
            assert!(!text.contains("immediately"), "{text}");
        }
    }
}
