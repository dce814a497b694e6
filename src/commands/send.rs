//! `skills-scan send FILE`: email one submitted scan's summary, record it in the scan's email
//! log (saved atomically under the scan's lock), and say plainly whether it was sent or queued.

use std::io::Write;
use std::path::Path;

use chrono::Utc;

use crate::commands::Context;
use crate::core::scan::EmailResult;
use crate::exit::{CmdResult, Exit, Failure, WithExit};
use crate::mail;
use crate::storage;

/// Runs `send`.
pub fn run(ctx: &Context, file: &Path) -> CmdResult {
    let config = ctx.config()?;
    if !file.exists() {
        return Err(anyhow::anyhow!("{} does not exist", file.display())).exit(Exit::NoInput);
    }
    // Through a link, lock and record in the real file (a save must not replace the link).
    let real = std::fs::canonicalize(file).unwrap_or_else(|_| file.to_path_buf());
    let file = real.as_path();
    let _lock = storage::try_lock(file).exit(Exit::TempFail)?;
    let scan = crate::commands::load_scan(file)?;
    if !scan.is_submitted() {
        return Err(anyhow::anyhow!(
            "{} is not submitted yet: only a submitted scan's summary is emailed. Finish it with `skills-scan open` or the learner's scan first",
            file.display()
        ))
        .exit(Exit::DataErr);
    }
    let bytes = std::fs::read(file)
        .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))
        .exit(Exit::NoInput)?;
    let outcome =
        mail::send_summary_from(&ctx.paths, &config, &scan, &bytes, Some(file), Utc::now());
    let mut scan = scan;
    scan.email_log.push(outcome.entry.clone());
    let saved = storage::save_atomically(file, &scan);
    let to = outcome.entry.to.join(", ");
    let mut out = crate::out::stdout();
    let result = match &outcome.entry.result {
        EmailResult::Sent => {
            writeln!(out, "Sent the summary to {to}.")?;
            Ok(())
        }
        EmailResult::Queued { reason } => {
            writeln!(out, "Not sent yet: {reason}")?;
            queued_note(&mut out, outcome.outbox_file.as_deref())?;
            let code = if config.smtp.is_none() || reason_is_config(reason) {
                Exit::Config
            } else {
                Exit::TempFail
            };
            Err(Failure {
                code,
                error: anyhow::anyhow!("the summary for {to} is queued, not sent"),
            })
        }
        EmailResult::Failed { reason } => {
            writeln!(out, "Not sent: {reason}")?;
            queued_note(&mut out, outcome.outbox_file.as_deref())?;
            Err(anyhow::anyhow!("the summary for {to} was not sent").into())
        }
    };
    saved.map_err(|e| {
        anyhow::anyhow!(
            "{e}; the email log entry for message {} is not recorded",
            outcome.entry.message_id
        )
    })?;
    result
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

/// Whether a queued reason is one the config must fix (login, TLS, settings, password).
fn reason_is_config(reason: &str) -> bool {
    [
        "refused the login",
        "TLS",
        "email settings are wrong",
        "no SMTP password",
    ]
    .iter()
    .any(|w| reason.contains(w))
}
