//! `skills-scan send FILE`: email one submitted scan's summary, record it in the scan's email
//! log (saved atomically under the scan's lock), and say plainly whether it was sent or queued.
//!
//! Exactly once: a scan whose log shows the summary sent is not sent again without `--resend`;
//! a message already waiting in the outbox for the scan is the one sent (same Message-ID).

use std::io::Write;
use std::path::Path;

use chrono::Utc;

use crate::commands::Context;
use crate::core::draft::Recording;
use crate::core::scan::EmailResult;
use crate::exit::{CmdResult, Exit, Failure, WithExit};
use crate::mail;
use crate::session::{OpenError, Session};

/// Runs `send`.
pub fn run(ctx: &Context, file: &Path, resend: bool) -> CmdResult {
    let config = ctx.config()?;
    if !file.exists() {
        return Err(anyhow::anyhow!("{} does not exist", file.display())).exit(Exit::NoInput);
    }
    // Through a link, lock and record in the real file (a save must not replace the link).
    let real = crate::platform::real_path(file);
    let file = real.as_path();
    // Check the file before taking its lock: a file that cannot be sent gets no lock file
    // (nothing is written for it), then read it again under the lock, as it is now.
    let check = |scan: &crate::core::Scan| -> CmdResult {
        if scan.is_submitted() {
            return Ok(());
        }
        Err(anyhow::anyhow!(
            "{} is not submitted yet: only a submitted scan's summary is emailed. Finish it with `skills-scan open` or the learner's scan first",
            file.display()
        ))
        .exit(Exit::DataErr)
    };
    check(&crate::commands::load_scan(file)?)?;
    let (mut session, mut scan) = Session::open::<Recording>(file).map_err(|e| match e {
        OpenError::Locked(e) => Failure {
            code: Exit::TempFail,
            error: e.into(),
        },
        OpenError::Load(e) => Failure {
            code: match &e {
                crate::storage::LoadError::Io { .. } => Exit::NoInput,
                _ => Exit::DataErr,
            },
            error: e.into(),
        },
    })?;
    check(&scan)?;
    if !resend
        && let Some(sent) = scan
            .email_log
            .iter()
            .rev()
            .find(|e| e.result == EmailResult::Sent)
    {
        writeln!(
            crate::out::stdout(),
            "Already sent on {} to {} (Message-ID {}): nothing sent. Use `skills-scan send --resend {}` to send it again.",
            sent.at.format("%-d %B %Y at %H:%M UTC"),
            sent.to.join(", "),
            sent.message_id,
            file.display()
        )?;
        return Ok(());
    }
    // The session's one way to email a summary: the file's own bytes attached, the outcome
    // recorded in its email log and saved under the lock.
    let (outcome, saved) = session.send_and_record(&mut scan, &ctx.paths, &config, Utc::now());
    let result = report(&outcome);
    saved.map_err(|e| {
        anyhow::anyhow!(
            "{e}; the email log entry for message {} is not recorded",
            outcome.entry.message_id
        )
    })?;
    result
}

/// Says what happened to the summary, and the exit it calls for: 0 when sent to everyone, 78
/// when queued because the settings must be fixed, 75 when queued to try later, 1 otherwise.
fn report(outcome: &mail::Outcome) -> CmdResult {
    let to = outcome.entry.to.join(", ");
    let mut out = crate::out::stdout();
    match &outcome.entry.result {
        EmailResult::Sent => {
            writeln!(out, "Sent the summary to {to}.")?;
            if outcome.refused.is_empty() {
                Ok(())
            } else {
                writeln!(
                    out,
                    "Not delivered to: {}",
                    mail::refused_words(&outcome.refused)
                )?;
                Err(anyhow::anyhow!(
                    "the mail server refused {}; correct the address in the scan and send again with --resend",
                    outcome
                        .refused
                        .iter()
                        .map(|(a, _)| a.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
                .into())
            }
        }
        EmailResult::Queued { reason } => {
            writeln!(out, "Not sent yet: {reason}")?;
            queued_note(&mut out, outcome.outbox_file.as_deref())?;
            let code = if outcome
                .error
                .as_ref()
                .is_some_and(mail::MailError::is_config)
            {
                Exit::Config
            } else {
                Exit::TempFail
            };
            Err(Failure {
                code,
                error: anyhow::anyhow!("the summary for {to} is queued, not sent"),
            })
        }
        EmailResult::Sending => {
            writeln!(out, "Sent, but the server's answer was not recorded.")?;
            Ok(())
        }
        EmailResult::Failed { reason } => {
            writeln!(out, "Not sent: {reason}")?;
            queued_note(&mut out, outcome.outbox_file.as_deref())?;
            Err(anyhow::anyhow!("the summary for {to} was not sent").into())
        }
    }
}

fn queued_note(out: &mut impl Write, file: Option<&Path>) -> std::io::Result<()> {
    if let Some(f) = file {
        writeln!(
            out,
            "The message is queued in the outbox ({}). Run `skills-scan outbox send` to try again.",
            f.display()
        )?;
    }
    Ok(())
}
