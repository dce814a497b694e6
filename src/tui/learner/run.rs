//! The learner's loop: sets up the model from [`Start`], draws, turns terminal events, signals and
//! worker results into messages, and runs the model's effects (save, send, `$EDITOR`, quit).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::Utc;
use crossterm::event::Event;

use super::{Effect, Model, Msg, Screen};
use crate::config::Config;
use crate::core::draft::Answering;
use crate::exit::{CmdResult, Exit, Failure};
use crate::launch::Context;
use crate::launch::Start;
use crate::session::{OpenError, Session};
use crate::tui::runtime::{Incoming, Runtime, exit_after_hangup};
use crate::tui::theme::Theme;

/// How long after the last change a save happens.
const DEBOUNCE: Duration = Duration::from_millis(600);
/// How long to wait before retrying a failed save.
const RETRY: Duration = Duration::from_secs(3);

/// A worker thread's result.
pub enum Work {
    /// The summary email was sent or queued.
    Sent(Box<crate::mail::Outcome>),
}

/// The thread of the background drain of the outbox (`mail::drain_outbox_in_background`).
type DrainThread =
    std::thread::JoinHandle<Result<Vec<crate::mail::outbox::Retried>, crate::mail::MailError>>;

/// The outbox drain of a run: not started until the first frame is drawn (listing the outbox
/// would delay it); then started, with its thread if `[smtp]` is set and messages wait.
#[derive(Default)]
enum Drain {
    #[default]
    NotStarted,
    Started(Option<DrainThread>),
}

/// The learner's session around the model.
struct App {
    model: Model,
    session: Option<Session>,
    offer: Option<crate::core::Standard>,
    config: Config,
    /// The outbox drain.
    drain: Drain,
    last_change: Option<Instant>,
    last_failed: Option<Instant>,
    /// The emergency copy kept when quitting after a failed save (its path, or why not).
    rescued: Option<Result<PathBuf, String>>,
}

/// Runs the learner's scan full-screen until they quit or finish.
pub fn run(ctx: &Context, start: Start) -> CmdResult {
    let mut drain = Drain::NotStarted;
    let result = run_app(ctx, start, &mut drain);
    // The drain starts once the first frame is drawn; an app that ended before drawing one (a
    // locked scan, no terminal) still sends what waits.
    let drain = match drain {
        Drain::Started(thread) => thread,
        Drain::NotStarted => ctx
            .config()
            .ok()
            .and_then(|config| crate::mail::drain_outbox_in_background(&ctx.paths, &config)),
    };
    // A quick exit does not cut a waiting message off mid-send (bounded: never a long wait);
    // the caller prints what it did if the app did not show it.
    crate::mail::finish_drain(drain, crate::launch::DRAIN_GRACE);
    result
}

/// The app itself; `drain` is given the outbox drain if the app started one.
fn run_app(ctx: &Context, start: Start, drain: &mut Drain) -> CmdResult {
    let (config, warning) = match ctx.config() {
        Ok(c) => (c, None),
        Err(f) => (
            Config::default(),
            Some(format!(
                "Settings file problem ({:#}); using defaults.",
                f.error
            )),
        ),
    };
    let now = Utc::now();
    let theme = Theme::from_env();
    let eportfolio = config.provider.eportfolio.clone();
    let (model, session, offer) = match start {
        Start::New(standard) => {
            let (session, scan) = Session::new_scan(&standard, &ctx.paths.scans_dir(), now);
            (
                Model::new(scan, theme, &eportfolio, now),
                Some(session),
                None,
            )
        }
        Start::Later { scan, earlier } => {
            let session = Session::create(&ctx.paths.scans_dir());
            let mut model = Model::new(*scan, theme, &eportfolio, now);
            model.earlier = Some(*earlier);
            (model, Some(session), None)
        }
        Start::Offer { scans, standard } => {
            if let Some(model) = Model::offer_list(scans, theme, &eportfolio, now) {
                (model, None, Some(standard))
            } else {
                let (session, scan) = Session::new_scan(&standard, &ctx.paths.scans_dir(), now);
                (
                    Model::new(scan, theme, &eportfolio, now),
                    Some(session),
                    None,
                )
            }
        }
        Start::Resume(unfinished) => {
            let (session, draft) =
                Session::open::<Answering>(&unfinished.path).map_err(|e| Failure {
                    code: match e {
                        OpenError::Locked(_) => Exit::TempFail,
                        OpenError::Load(_) => Exit::DataErr,
                    },
                    error: e.into(),
                })?;
            let scan = draft.into_scan();
            let mut model = Model::new(scan.clone(), theme, &eportfolio, now);
            model.file = Some(unfinished.path.clone());
            model.update(
                Msg::Loaded {
                    scan: Box::new(scan),
                    resumed: true,
                },
                now,
            );
            (model, Some(session), None)
        }
    };
    let mut app = App {
        model,
        session,
        offer,
        config,
        drain: Drain::NotStarted,
        last_change: None,
        last_failed: None,
        rescued: None,
    };
    app.model.config_warning = warning.map(|w| crate::tui::text::sanitize_line(&w));
    app.model.email_set_up = app.config.smtp.is_some();
    let mut rt: Runtime<Work> = Runtime::start(Duration::from_millis(200))?;
    let size = rt.terminal().size()?;
    app.model.update(Msg::Resize(size.width, size.height), now);

    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        app.event_loop(ctx, &mut rt)
    }));
    match outcome {
        Ok(result) => {
            let saved = app.save();
            rt.restore();
            drop(rt);
            *drain = std::mem::take(&mut app.drain);
            result?;
            app.farewell(saved)
        }
        Err(panic) => {
            let _ = app.save();
            rt.restore();
            std::panic::resume_unwind(panic)
        }
    }
}

impl App {
    fn event_loop(&mut self, ctx: &Context, rt: &mut Runtime<Work>) -> std::io::Result<()> {
        // Draw only when something changed: an idle app writes nothing to the terminal.
        let mut redraw = true;
        loop {
            if redraw && let Err(e) = rt.terminal().draw(|f| self.model.view(f)) {
                // The terminal is gone (a hang-up, usually with SIGHUP on its way): save first.
                let _ = self.save();
                let deadline = Instant::now() + Duration::from_secs(1);
                while let Some(left) = deadline.checked_duration_since(Instant::now()) {
                    if let Some(Incoming::HangUp(sig)) = rt.next(left) {
                        exit_after_hangup(sig);
                    }
                }
                return Err(e);
            }
            redraw = false;
            if matches!(self.drain, Drain::NotStarted) {
                // Messages left in the outbox by an earlier temporary failure go out in the
                // background, from now: the first frame is on the screen.
                self.drain = Drain::Started(crate::mail::drain_outbox_in_background(
                    &ctx.paths,
                    &self.config,
                ));
            }
            let Some(first) = rt.next(Duration::from_secs(1)) else {
                continue;
            };
            // Take everything already waiting (a burst of keys) before drawing again.
            let mut batch = vec![first];
            while batch.len() < 256 {
                match rt.try_next() {
                    Some(m) => batch.push(m),
                    None => break,
                }
            }
            for incoming in batch {
                let now = Utc::now();
                let msg = match incoming {
                    Incoming::Terminal(Event::Key(k)) => {
                        redraw = true;
                        Msg::Key(k)
                    }
                    Incoming::Terminal(Event::Paste(p)) => {
                        redraw = true;
                        Msg::Paste(p)
                    }
                    Incoming::Terminal(Event::Mouse(mo)) => {
                        redraw = true;
                        Msg::Mouse(mo)
                    }
                    Incoming::Terminal(Event::Resize(w, h)) => {
                        redraw = true;
                        Msg::Resize(w, h)
                    }
                    Incoming::Terminal(_) => continue,
                    Incoming::HangUp(sig) => {
                        if self.save().is_err() {
                            let _ = crate::session::keep_emergency_copy(&self.model.scan);
                        }
                        exit_after_hangup(sig);
                    }
                    // Not quitting (the save failed and the learner was asked): carry on.
                    Incoming::Interrupt if self.may_quit() => return Ok(()),
                    Incoming::Interrupt => Msg::Tick,
                    Incoming::Tick => {
                        // The spinner moves, or a save changes the title's "Saved 09:30".
                        redraw |= self.autosave() || self.model.screen == Screen::Sending;
                        // What the background outbox drain did, on the status line.
                        if let Some(words) = crate::mail::take_drain_notice() {
                            self.model.notice = Some(crate::tui::text::sanitize_line(&words));
                            redraw = true;
                        }
                        Msg::Tick
                    }
                    Incoming::Worker(Work::Sent(outcome)) => {
                        redraw = true;
                        self.record_sent(&outcome);
                        Msg::Sent {
                            entry: outcome.entry,
                            outbox_file: outcome.outbox_file,
                        }
                    }
                };
                let effects = self.model.update(msg, now);
                if self.model.unsaved() {
                    self.last_change.get_or_insert_with(Instant::now);
                }
                if self.run_effects(effects, ctx, rt)? {
                    return Ok(());
                }
            }
        }
    }

    /// Runs the effects `update` returned, in order, and those of the messages their results
    /// are; true means quit.
    fn run_effects(
        &mut self,
        effects: Vec<Effect>,
        ctx: &Context,
        rt: &mut Runtime<Work>,
    ) -> std::io::Result<bool> {
        for effect in effects {
            if self.run_effect(effect, ctx, rt)? {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Runs one effect; true means quit.
    fn run_effect(
        &mut self,
        effect: Effect,
        ctx: &Context,
        rt: &mut Runtime<Work>,
    ) -> std::io::Result<bool> {
        let now = Utc::now();
        let then = match effect {
            Effect::Quit => return Ok(self.may_quit()),
            Effect::Save => {
                let r = self.save();
                if r.is_ok() && self.model.notice.as_deref() == Some("Saving…") {
                    self.model.notice = Some("Saved.".into());
                }
                Vec::new()
            }
            Effect::Resume(choice) => {
                if let Some(path) = self.model.resume.files.get(choice).cloned() {
                    match Session::open::<Answering>(&path) {
                        Ok((session, draft)) => {
                            let scan = Box::new(draft.into_scan());
                            self.model.file = Some(path.clone());
                            self.model.earlier = crate::storage::earlier::find_earlier(
                                &scan,
                                &ctx.earlier_folders(Some(&path)),
                            );
                            self.session = Some(session);
                            self.offer = None;
                            self.model.update(
                                Msg::Loaded {
                                    scan,
                                    resumed: true,
                                },
                                now,
                            )
                        }
                        Err(e) => {
                            let why = match e {
                                OpenError::Locked(l) => l.to_string(),
                                OpenError::Load(l) => {
                                    format!("{l}. Start a new scan instead, or ask for help.")
                                }
                            };
                            self.model.update(Msg::OpenFailed(why), now)
                        }
                    }
                } else {
                    Vec::new()
                }
            }
            Effect::StartNew => {
                if let Some(standard) = self.offer.take() {
                    let (session, scan) =
                        Session::new_scan::<Answering>(&standard, &ctx.paths.scans_dir(), now);
                    self.session = Some(session);
                    self.model.file = None;
                    self.model.update(
                        Msg::Loaded {
                            scan: Box::new(scan.into_scan()),
                            resumed: false,
                        },
                        now,
                    )
                } else {
                    Vec::new()
                }
            }
            Effect::OpenEditor(text) => {
                let result = rt.suspend(|| edit_externally(&text))?;
                self.model.update(Msg::Edited(result), now)
            }
            Effect::Send => {
                // The session's send-and-record, in two halves: the sending on a worker thread
                // so the screen stays responsive, the recording when its outcome comes back.
                let _ = self.save();
                let Some(session) = self.session.as_mut() else {
                    return Ok(false);
                };
                let outgoing = session.prepare_send(&mut self.model.scan);
                let paths = ctx.paths.clone();
                let config = self.config.clone();
                let tx = rt.worker_sender();
                std::thread::spawn(move || {
                    let outcome = outgoing.send(&paths, &config, Utc::now());
                    tx.send(Work::Sent(Box::new(outcome)));
                });
                Vec::new()
            }
        };
        // The result came back as a message; what it asks for runs now.
        self.run_effects(then, ctx, rt)
    }

    /// Records the sent or queued summary in the scan's email log and saves it (the second half
    /// of the session's send-and-record); the model is told how the save went.
    fn record_sent(&mut self, outcome: &crate::mail::Outcome) {
        let Some(session) = self.session.as_mut() else {
            return;
        };
        let result = session
            .record_sent(&mut self.model.scan, outcome)
            .map(|p| p.map(Path::to_path_buf))
            .map_err(|e| e.to_string());
        self.saved(result);
    }

    /// Saves within [`DEBOUNCE`] of the last change; retries a failed save every [`RETRY`].
    /// True when it saved (or tried to), so the screen shows the new state.
    fn autosave(&mut self) -> bool {
        if self.session.is_none() || !self.model.scan.unsaved() {
            return false;
        }
        // A new scan's file follows the name as it is typed (session), so the details are saved
        // as soon as answers are.
        let due = self.last_change.is_some_and(|t| t.elapsed() >= DEBOUNCE)
            && self.last_failed.is_none_or(|t| t.elapsed() >= RETRY);
        if due {
            let _ = self.save();
        }
        due
    }

    /// Saves the model's scan through the session (from a borrow) if it changed; tells the
    /// model how it went.
    fn save(&mut self) -> Result<Option<PathBuf>, String> {
        let Some(session) = self.session.as_mut() else {
            return Ok(None);
        };
        if !self.model.scan.unsaved() {
            return Ok(session.path().map(Path::to_path_buf));
        }
        let result = session
            .save(&mut self.model.scan)
            .map(|p| p.map(Path::to_path_buf))
            .map_err(|e| e.to_string());
        self.saved(result.clone());
        result
    }

    /// Tells the model (and the retry timer) how a save went.
    fn saved(&mut self, result: Result<Option<PathBuf>, String>) {
        self.last_change = None;
        match &result {
            Ok(_) => self.last_failed = None,
            Err(_) => self.last_failed = Some(Instant::now()),
        }
        if let Some(result) = result.transpose() {
            self.model.update(Msg::Saved(result), Utc::now());
        }
    }

    /// Whether Ctrl-C or q may quit now: yes once everything is saved. After a failed save the
    /// first press keeps an emergency copy, says where, and asks; a second press quits.
    fn may_quit(&mut self) -> bool {
        let Err(why) = self.save() else {
            return true;
        };
        if self.rescued.is_some() {
            return true;
        }
        let rescued = crate::session::keep_emergency_copy(&self.model.scan);
        let kept = match &rescued {
            Ok(path) => format!("A copy is kept at {}.", path.display()),
            Err(e) => format!("No copy could be kept either ({e})."),
        };
        self.model.quit_question = Some(format!(
            "They could not be saved: {why}.\n\n{kept}\n\nFree some space or fix the folder, then press Ctrl-S (it also retries by itself). Or press Ctrl-C again to quit."
        ));
        self.rescued = Some(rescued);
        false
    }

    /// What the learner reads after the screen closes.
    fn farewell(&mut self, saved: Result<Option<PathBuf>, String>) -> CmdResult {
        let mut out = crate::out::stdout();
        let submitted = self.model.scan.is_submitted();
        match saved {
            Ok(Some(path)) => {
                writeln!(out, "Your skills scan is saved in {}", path.display())?;
                if submitted && self.model.scan.email_log.is_empty() {
                    writeln!(
                        out,
                        "It is submitted, but the summary email was not sent yet. To send it, run: skills-scan send {}",
                        path.display()
                    )?;
                } else if submitted {
                    writeln!(
                        out,
                        "It is submitted. To see its summary again, run: skills-scan summary {}",
                        path.display()
                    )?;
                } else {
                    writeln!(
                        out,
                        "To carry on where you left off, run: skills-scan (or: skills-scan resume {})",
                        path.display()
                    )?;
                }
                Ok(())
            }
            Ok(None) => {
                if self.model.screen != Screen::Resume {
                    writeln!(
                        out,
                        "Nothing was saved: no answers were given yet. Run skills-scan to start again."
                    )?;
                }
                Ok(())
            }
            Err(why) => {
                let rescued = self
                    .rescued
                    .take()
                    .unwrap_or_else(|| crate::session::keep_emergency_copy(&self.model.scan));
                let kept = match rescued {
                    Ok(path) => format!(
                        "A copy of all your answers is kept at {} (only you can read it): once the cause is fixed, move it into {} and run skills-scan again",
                        path.display(),
                        self.session
                            .as_ref()
                            .and_then(Session::path)
                            .and_then(Path::parent)
                            .map_or_else(String::new, |p| p.display().to_string())
                    ),
                    Err(e) => format!("No copy could be kept either ({e})"),
                };
                Err(anyhow::anyhow!(
                    "your latest answers could not be saved ({why}). {kept}. Free some disk space or check the folder's permissions"
                )
                .into())
            }
        }
    }
}

/// Opens `text` in `$VISUAL` / `$EDITOR` (as git does; `vi` if neither is set, Notepad on
/// Windows) and reads it back.
pub fn edit_externally(text: &str) -> Result<String, String> {
    let editor = std::env::var("VISUAL")
        .ok()
        .filter(|v| !v.trim().is_empty())
        .or_else(|| {
            std::env::var("EDITOR")
                .ok()
                .filter(|v| !v.trim().is_empty())
        })
        .unwrap_or_else(|| crate::platform::DEFAULT_EDITOR.into());
    let mut file = tempfile::Builder::new()
        .prefix("skills-scan-answer-")
        .suffix(".txt")
        .tempfile()
        .map_err(|e| format!("Could not make a temporary file for the editor: {e}"))?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.flush())
        .map_err(|e| format!("Could not write the temporary file: {e}"))?;
    let status = crate::platform::editor_command(&editor, file.path())
        .status()
        .map_err(|e| format!("Could not start the editor ({editor}): {e}"))?;
    if !status.success() {
        return Err(format!(
            "The editor ({editor}) did not finish cleanly; your answer is unchanged."
        ));
    }
    let bytes = std::fs::read(file.path())
        .map_err(|e| format!("Could not read the edited answer back: {e}"))?;
    String::from_utf8(bytes)
        .map_err(|_| "The edited answer is not UTF-8 text; your answer is unchanged.".into())
}

impl std::fmt::Debug for App {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("App")
            .field("screen", &self.model.screen)
            .finish_non_exhaustive()
    }
}
