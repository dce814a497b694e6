//! The coach's full-screen view of one scan (`skills-scan open FILE`): overview, question detail
//! with the review, learning plan, RPL estimate and validation record.
//!
//! [`model`] holds the state and `update` (pure); [`view`] and the screen modules draw it; [`run`]
//! is the loop on the shared [`runtime`](crate::tui::runtime): it saves through the
//! [`Session`] (atomic, under the file lock) a moment after each change, on leaving a screen,
//! on quit, and on SIGHUP/SIGTERM/SIGINT.

mod form;
pub mod model;
mod overview;
mod plan;
mod question;
mod validation;
pub mod view;

use std::time::{Duration, Instant};

use chrono::{Local, Utc};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers, MouseEventKind};

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

/// Saves the model's scan through the session if it changed. Refuses if the learner's answers
/// differ from the file's (a review never changes them).
fn save(session: &mut Session, model: &mut Model) -> Result<(), String> {
    if !model.is_dirty() {
        return Ok(());
    }
    if model.scan.answers != session.scan().answers || model.scan.status != session.scan().status {
        return Err("the learner's answers differ from the file's; nothing was saved".into());
    }
    let revision = model.revision;
    *session.scan_mut() = model.scan.clone();
    match session.save() {
        Ok(_) => {
            model.mark_saved(
                revision,
                format!("Saved at {}", Local::now().format("%H:%M:%S")),
            );
            Ok(())
        }
        Err(e) => Err(e.to_string()),
    }
}

/// Runs the coach's view until the coach quits. Returns after the terminal is restored.
pub fn run(ctx: &Context, mut session: Session) -> CmdResult {
    let (programme, warning) = programme(ctx);
    let path = session.path().map(std::path::Path::to_path_buf);
    let name = path
        .as_ref()
        .and_then(|p| p.file_name())
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let mut model = Model::new(session.scan().clone(), &name, programme, Theme::from_env())
        .with_known(ctx.known_standards());
    model.earlier = crate::storage::earlier::find_earlier(
        session.scan(),
        &ctx.earlier_folders(path.as_deref()),
    );
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
    let read_only = session.read_only_reason().map(str::to_string);
    if let Some(why) = &read_only {
        model.update(
            Msg::Saved(Err(format!("Read-only: {why}; changes cannot be saved."))),
            Utc::now(),
        );
    }
    let mut runtime: Runtime<()> = Runtime::start(Duration::from_millis(200))?;
    let mut last_change = Instant::now();
    let mut seen_revision = model.revision;
    let mut unsaved_quit = None;
    loop {
        runtime.terminal().draw(|f| view::view(&model, f))?;
        let Some(incoming) = runtime.next(Duration::from_secs(1)) else {
            continue;
        };
        let effect = match incoming {
            Incoming::Terminal(Event::Key(key)) => model.update(Msg::Key(key), Utc::now()),
            Incoming::Terminal(Event::Paste(text)) => model.update(Msg::Paste(text), Utc::now()),
            // The mouse wheel scrolls (or moves the selection) like the arrow keys.
            Incoming::Terminal(Event::Mouse(m)) if model.note.is_none() => {
                let code = match m.kind {
                    MouseEventKind::ScrollDown => Some(KeyCode::Down),
                    MouseEventKind::ScrollUp => Some(KeyCode::Up),
                    _ => None,
                };
                code.map_or(Effect::None, |c| {
                    model.update(Msg::Key(KeyEvent::new(c, KeyModifiers::NONE)), Utc::now())
                })
            }
            Incoming::Terminal(_) | Incoming::Worker(()) => Effect::None,
            Incoming::HangUp(signal) => {
                // The terminal may be gone: save (or keep a copy), then leave.
                if save(&mut session, &mut model).is_err() {
                    let _ = crate::session::keep_emergency_copy(&model.scan);
                }
                exit_after_hangup(signal);
            }
            Incoming::Interrupt => Effect::Quit,
            Incoming::Tick => {
                // What the background outbox drain did, on the status line.
                if let Some(words) = crate::mail::take_drain_notice() {
                    model.tell(crate::tui::text::sanitize_line(&words), false);
                }
                if model.is_dirty() && last_change.elapsed() >= DEBOUNCE {
                    Effect::Save
                } else {
                    Effect::None
                }
            }
        };
        if model.revision != seen_revision {
            seen_revision = model.revision;
            last_change = Instant::now();
        }
        match effect {
            Effect::None => {}
            Effect::Save => {
                if let Err(e) = save(&mut session, &mut model) {
                    model.save_failed(&e, false);
                }
            }
            Effect::Quit => match save(&mut session, &mut model) {
                Ok(()) => break,
                Err(e) => model.save_failed(&e, true),
            },
            Effect::QuitUnsaved => {
                unsaved_quit = Some(
                    model
                        .status
                        .as_ref()
                        .map_or_else(String::new, |s| s.text.clone()),
                );
                break;
            }
        }
    }
    runtime.restore();
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
