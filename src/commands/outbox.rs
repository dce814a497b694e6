//! `skills-scan outbox`: list or send the messages waiting to be sent.

use std::io::Write;

use chrono::Utc;

use crate::cli::OutboxAction;
use crate::commands::Context;
use crate::exit::{CmdResult, Exit, Failure, WithExit};
use crate::mail::{self, MailError, outbox};

/// Runs `outbox`.
pub fn run(ctx: &Context, action: Option<OutboxAction>) -> CmdResult {
    match action.unwrap_or(OutboxAction::List) {
        OutboxAction::List => list(ctx),
        OutboxAction::Send => send(ctx),
    }
}

fn list(ctx: &Context) -> CmdResult {
    let dir = ctx.paths.outbox_dir();
    let (queued, problems) = outbox::list(&dir).exit(Exit::Failure)?;
    let (mut out, mut err) = (crate::out::stdout(), crate::out::stderr());
    for p in &problems {
        writeln!(err, "warning: unreadable outbox entry {p}")?;
    }
    if queued.is_empty() {
        writeln!(out, "The outbox is empty ({}).", dir.display())?;
        return Ok(());
    }
    writeln!(
        out,
        "{} message{} waiting in {}:",
        queued.len(),
        if queued.len() == 1 { "" } else { "s" },
        dir.display()
    )?;
    for q in &queued {
        let e = &q.entry;
        writeln!(out)?;
        writeln!(
            out,
            "  Queued:  {}",
            e.queued_at.format("%Y-%m-%d %H:%M UTC")
        )?;
        writeln!(out, "  To:      {}", e.to.join(", "))?;
        writeln!(out, "  Subject: {}", e.subject)?;
        if e.sent_at.is_some() {
            writeln!(
                out,
                "  Status:  sent; waiting to be recorded in its scan file"
            )?;
        } else {
            let tries = if e.attempts > 0 {
                format!(
                    " (tried {} more time{})",
                    e.attempts,
                    if e.attempts == 1 { "" } else { "s" }
                )
            } else {
                String::new()
            };
            writeln!(out, "  Why:     {}{tries}", e.reason)?;
        }
        writeln!(out, "  File:    {}", q.eml.display())?;
    }
    writeln!(
        out,
        "\nRun `skills-scan outbox send` to try sending them again."
    )?;
    Ok(())
}

fn send(ctx: &Context) -> CmdResult {
    let config = ctx.config()?;
    let (mut out, mut err) = (crate::out::stdout(), crate::out::stderr());
    if let Ok((_, problems)) = outbox::list(&ctx.paths.outbox_dir()) {
        for p in &problems {
            writeln!(err, "warning: skipped unreadable outbox entry {p}")?;
        }
    }
    let results = mail::retry_outbox(&ctx.paths, &config, Utc::now()).map_err(|e| {
        let code = if e.is_config() {
            Exit::Config
        } else {
            Exit::TempFail
        };
        Failure {
            code,
            error: e.into(),
        }
    })?;
    if results.is_empty() {
        writeln!(out, "The outbox is empty: nothing to send.")?;
        return Ok(());
    }
    let (mut sent, mut temporary, mut failed, mut not_tried) = (0, 0, 0, 0);
    let mut stop_reason: Option<MailError> = None;
    for r in &results {
        let to = r.entry.to.join(", ");
        match &r.result {
            outbox::RetryResult::Sent => {
                sent += 1;
                writeln!(out, "Sent: {} (to {to})", r.entry.subject)?;
            }
            outbox::RetryResult::AlreadySent => {
                writeln!(
                    out,
                    "Already sent earlier, removed from the outbox: {} (to {to})",
                    r.entry.subject
                )?;
            }
            outbox::RetryResult::Superseded => {
                writeln!(
                    out,
                    "Not sent, removed from the outbox: {} (to {to}): the summary was sent since",
                    r.entry.subject
                )?;
            }
            outbox::RetryResult::NotTried => {
                not_tried += 1;
            }
            outbox::RetryResult::Failed(e) => {
                if e.is_config() {
                    stop_reason = Some(e.clone());
                }
                if e.is_temporary() {
                    temporary += 1;
                } else {
                    failed += 1;
                }
                writeln!(out, "Still waiting: {} (to {to}): {e}", r.entry.subject)?;
            }
        }
        if let Some(note) = &r.log_note {
            writeln!(out, "  note: {note}")?;
        }
    }
    writeln!(
        out,
        "\n{sent} sent, {} still waiting.",
        temporary + failed + not_tried
    )?;
    if let Some(e) = stop_reason {
        if not_tried > 0 {
            writeln!(
                out,
                "Stopped after the first failure that the settings must fix: the other {not_tried} message{} not tried, so the server saw one failed login, not one per message.",
                if not_tried == 1 { " was" } else { "s" }
            )?;
        }
        return Err(Failure {
            code: Exit::Config,
            error: anyhow::Error::new(e),
        });
    }
    if failed > 0 {
        Err(anyhow::anyhow!("{failed} message(s) could not be sent").into())
    } else if temporary > 0 {
        Err(Failure {
            code: Exit::TempFail,
            error: anyhow::Error::new(MailError::Temporary(format!(
                "{temporary} message(s) still waiting"
            ))),
        })
    } else {
        Ok(())
    }
}
