//! The coach's full-screen view of one scan (`skills-scan open FILE`): overview, question detail
//! with the review, learning plan, RPL estimate and validation record.
//!
//! The same design as the learner's app: [`model`] holds the state, its `Msg`, `update` (pure:
//! it returns the effects for the loop to run, in order) and `view`; [`keys`] is the key table
//! (keys and help); [`view`] and the screen modules draw. [`run`] is the loop on the shared [`runtime`](crate::tui::runtime): it
//! saves through the [`Session`] (atomic, under the file lock) a moment after each change, on
//! leaving a screen, on quit, on SIGHUP/SIGTERM/SIGINT, and before a panic goes on
//! ([`save_on_panic`]).

mod form;
pub mod keys;
pub mod model;
mod overview;
mod plan;
mod question;
mod validation;
pub mod view;

use std::time::{Duration, Instant};

use chrono::{Local, Utc};
use crossterm::event::Event;

use crate::core::draft::{Draft, Reviewing};
use crate::core::rpl::Programme;
use crate::exit::{CmdResult, Exit, Failure};
use crate::launch::Context;
use crate::session::Session;
use crate::tui::runtime::{Incoming, Runtime, exit_after_hangup};
use crate::tui::theme::Theme;
use model::{Effect, Model, Msg};

/// How long after the last change the review is saved.
const DEBOUNCE: Duration = Duration::from_millis(800);

/// The programme figures from the config, or the defaults with a warning when the config file
/// cannot be used (the review itself does not depend on it).
fn programme(ctx: &Context) -> (Programme, Option<String>) {
    match ctx.config() {
        Ok(c) => (c.programme, None),
        Err(f) => (
            Programme::default(),
            Some(format!(
                "{}; the prior-learning estimate uses the default programme figures",
                f.error
            )),
        ),
    }
}

/// Saves the model's scan through the session if it changed. The review's draft cannot reach
/// the learner's answers (`core::draft::Reviewing`), so what is saved is the file's answers with
/// the new review.
fn save(session: &mut Session, model: &mut Model) -> Result<(), String> {
    if !model.scan.unsaved() {
        return Ok(());
    }
    match session.save(&mut model.scan) {
        Ok(_) => {
            model.saved(format!("Saved at {}", Local::now().format("%H:%M:%S")));
            Ok(())
        }
        Err(e) => Err(e.to_string()),
    }
}

/// Runs `body` (the coach's loop) and, if it panics, saves the review first (or keeps an
/// emergency copy when it cannot be saved) — as the learner's loop does — then lets the panic
/// go on.
pub fn save_on_panic<T>(
    session: &mut Session,
    model: &mut Model,
    body: impl FnOnce(&mut Session, &mut Model) -> T,
) -> T {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| body(session, model))) {
        Ok(result) => result,
        Err(panic) => {
            if save(session, model).is_err() {
                let _ = crate::session::keep_emergency_copy(&model.scan);
            }
            std::panic::resume_unwind(panic)
        }
    }
}

/// The model for `session`'s scan, with the config's programme figures and what to say first
/// (a config problem, a scan changed since validation, a read-only file).
fn start_model(
    ctx: &Context,
    session: &Session,
    scan: Draft<Reviewing>,
    read_only: Option<&str>,
) -> Model {
    let (programme, warning) = programme(ctx);
    let path = session.path();
    let name = path
        .and_then(|p| p.file_name())
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let earlier = crate::storage::earlier::find_earlier(&scan, &ctx.earlier_folders(path));
    let mut model =
        Model::new(scan, &name, programme, Theme::from_env()).with_known(ctx.known_standards());
    model.earlier = earlier;
    if let Some(w) = warning {
        model.update(Msg::Saved(Err(w)), Utc::now());
    }
    if let Some(diffs) = &model.modified {
        let text = format!(
            "{}; it cannot be validated",
            crate::core::record::modified_words(diffs)
        );
        model.update(Msg::Saved(Err(text)), Utc::now());
    }
    // A scan we cannot write is shown read-only: said at once, and every save says it again.
    if let Some(why) = read_only {
        model.update(
            Msg::Saved(Err(format!("Read-only: {why}; changes cannot be saved."))),
            Utc::now(),
        );
    }
    model
}

/// The message a terminal event is (none for events the view does not use).
fn message(event: Event) -> Option<Msg> {
    match event {
        Event::Key(key) => Some(Msg::Key(key)),
        Event::Paste(text) => Some(Msg::Paste(text)),
        Event::Mouse(mouse) => Some(Msg::Mouse(mouse)),
        _ => None,
    }
}

/// The loop: draws, turns events into messages and carries out the effects. Returns why the
/// coach quit without saving, if they did.
fn event_loop(
    session: &mut Session,
    model: &mut Model,
    runtime: &mut Runtime<()>,
) -> std::io::Result<Option<String>> {
    let mut last_change = Instant::now();
    let mut seen_revision = model.scan.revision();
    loop {
        runtime.terminal().draw(|f| model.view(f))?;
        let Some(incoming) = runtime.next(Duration::from_secs(1)) else {
            continue;
        };
        let effects = match incoming {
            Incoming::Terminal(event) => {
                message(event).map_or_else(Vec::new, |msg| model.update(msg, Utc::now()))
            }
            Incoming::HangUp(signal) => {
                // The terminal may be gone: save (or keep a copy), then leave.
                if save(session, model).is_err() {
                    let _ = crate::session::keep_emergency_copy(&model.scan);
                }
                exit_after_hangup(signal);
            }
            Incoming::Interrupt => vec![Effect::Quit],
            Incoming::Tick => {
                // What the background outbox drain did, on the status line.
                if let Some(words) = crate::mail::take_drain_notice() {
                    model.tell(crate::tui::text::sanitize_line(&words), false);
                }
                if model.is_dirty() && last_change.elapsed() >= DEBOUNCE {
                    vec![Effect::Save]
                } else {
                    Vec::new()
                }
            }
            Incoming::Worker(()) => Vec::new(),
        };
        if model.scan.revision() != seen_revision {
            seen_revision = model.scan.revision();
            last_change = Instant::now();
        }
        for effect in effects {
            match effect {
                Effect::Save => {
                    if let Err(e) = save(session, model) {
                        model.save_failed(&e, false);
                    }
                }
                Effect::Quit => match save(session, model) {
                    Ok(()) => return Ok(None),
                    Err(e) => model.save_failed(&e, true),
                },
                Effect::QuitUnsaved => {
                    let why = model
                        .status
                        .as_ref()
                        .map_or_else(String::new, |s| s.text.clone());
                    return Ok(Some(why));
                }
            }
        }
    }
}

/// Runs the coach's view until the coach quits. Returns after the terminal is restored.
pub fn run(ctx: &Context, mut session: Session, scan: Draft<Reviewing>) -> CmdResult {
    let path = session.path().map(std::path::Path::to_path_buf);
    let read_only = session.read_only_reason().map(str::to_string);
    let mut model = start_model(ctx, &session, scan, read_only.as_deref());
    let mut runtime: Runtime<()> = Runtime::start(Duration::from_millis(200))?;
    let outcome = save_on_panic(&mut session, &mut model, |session, model| {
        event_loop(session, model, &mut runtime)
    });
    runtime.restore();
    let unsaved_quit = outcome?;
    let shown = path
        .as_ref()
        .map_or_else(String::new, |p| p.display().to_string());
    if let Some(reason) = unsaved_quit {
        let kept = match crate::session::keep_emergency_copy(&model.scan) {
            Ok(copy) => format!(
                "; a copy of the file with the review is kept at {} (only you can read it)",
                copy.display()
            ),
            Err(e) => format!("; no copy could be kept either ({e})"),
        };
        return Err(Failure {
            code: Exit::Failure,
            error: anyhow::anyhow!("the review of {shown} was NOT saved ({reason}){kept}"),
        });
    }
    let said = if read_only.is_some() {
        format!(
            "{shown} was opened read-only: nothing was saved.
"
        )
    } else {
        format!(
            "Review saved in {shown}.
"
        )
    };
    std::io::Write::write_all(&mut crate::out::stdout(), said.as_bytes())?;
    Ok(())
}
