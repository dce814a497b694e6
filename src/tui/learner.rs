//! The learner's scan as a pure state machine: [`Model`], [`Msg`], [`Model::update`] (no I/O)
//! and [`Model::view`] (no side effects). `update` returns the effects it asks for (save, send,
//! open `$EDITOR`, quit), in order; [`run`] carries them out and feeds their results back as
//! messages — the coach's app (`tui::coach`) works the same way.

pub mod chrome;
pub mod details;
pub mod done;
pub mod guard;
pub mod keys;
pub mod questions;
pub mod resume;
pub mod review;
pub mod run;
pub mod welcome;

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use crossterm::event::{KeyEvent, KeyEventKind, MouseEvent};
use ratatui::Frame;
use ratatui::layout::Rect;

use crate::core::Scan;
use crate::core::draft::{Answering, Draft};
use crate::core::scan::EmailLogEntry;
use crate::core::walk::{self, Page};
use crate::tui::theme::Theme;
use keys::Action;

/// The smallest terminal the screens are laid out for.
pub const MIN_WIDTH: u16 = 80;
/// See [`MIN_WIDTH`].
pub const MIN_HEIGHT: u16 = 24;
/// The widest a paragraph of reading text is wrapped, however wide the terminal (long lines are
/// hard to read at 200 columns); 116 keeps 120 columns as they were.
pub const READING_WIDTH: usize = 116;

/// Which screen is showing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    /// Offer to resume an unfinished scan or start a new one.
    Resume,
    /// The standard, how the scan works, confidentiality.
    Welcome,
    /// The learner's and manager's details.
    Details,
    /// One page of questions: duties 1..=n are pages 0..n, the behaviours page n.
    Page(usize),
    /// Every answer in one table, then Submit.
    Review,
    /// Submitted; the summary email is on its way.
    Sending,
    /// All done: the closing reminder.
    Done,
}

/// Something the loop must do for the model ([`Model::update`] returns them, in order).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Open the offered scan with this index for editing (answer: [`Msg::Loaded`] or
    /// [`Msg::OpenFailed`]).
    Resume(usize),
    /// Start a new scan (answer: [`Msg::Loaded`]).
    StartNew,
    /// Save now (answer: [`Msg::Saved`]).
    Save,
    /// Edit this text in `$VISUAL`/`$EDITOR` (answer: [`Msg::Edited`]).
    OpenEditor(String),
    /// Email the submitted scan's summary (answer: [`Msg::Sent`]). The loop saves first.
    Send,
    /// Save and leave.
    Quit,
}

/// Everything that can happen to the model.
#[derive(Debug, Clone)]
pub enum Msg {
    /// A key press.
    Key(KeyEvent),
    /// Text pasted (bracketed paste).
    Paste(String),
    /// A mouse click or wheel.
    Mouse(MouseEvent),
    /// The terminal's new size (columns, rows).
    Resize(u16, u16),
    /// The scan to work on is open (after [`Effect::Resume`] / [`Effect::StartNew`]).
    Loaded {
        /// The scan.
        scan: Box<Scan>,
        /// Whether it is a resumed scan (go to the first unanswered page) or a new one.
        resumed: bool,
    },
    /// The offered scan could not be opened (e.g. it is open elsewhere).
    OpenFailed(String),
    /// A save finished: the file, or what went wrong.
    Saved(Result<PathBuf, String>),
    /// The external editor finished: the new text, or what went wrong.
    Edited(Result<String, String>),
    /// The email was sent or queued.
    Sent {
        /// The line for the scan's email log.
        entry: EmailLogEntry,
        /// Where the message waits, if queued.
        outbox_file: Option<PathBuf>,
    },
    /// Time passes (spinner).
    Tick,
}

/// How the scan stands on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveState {
    /// Nothing to save yet (a new scan before the first change).
    Nothing,
    /// On disk, as of this time.
    Saved(DateTime<Utc>),
    /// The last save failed; answers are kept in memory and saving is retried.
    Failed(String),
}

/// An overlay over the current screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overlay {
    /// Full help.
    Help,
    /// The KSB statements of the focused question.
    Ksbs,
}

/// The whole state of the learner's app.
pub struct Model {
    /// The scan being answered (for [`Screen::Resume`], the scan on offer), as a draft whose
    /// revision counts the changes.
    pub scan: Draft<Answering>,
    /// The current screen.
    pub screen: Screen,
    /// Terminal size (columns, rows).
    pub size: (u16, u16),
    /// Styles.
    pub theme: Theme,
    /// The e-portfolio named in the config, for the form texts.
    pub eportfolio: String,
    /// The scan file, once known.
    pub file: Option<PathBuf>,
    /// The save state shown in the status line.
    pub save_state: SaveState,
    /// A one-line message for the status line.
    pub notice: Option<String>,
    /// A problem with the config file (defaults are used).
    pub config_warning: Option<String>,
    /// Help or KSB statements over the screen.
    pub overlay: Option<Overlay>,
    /// Asked after quitting failed to save: why, and where the emergency copy is. Ctrl-C or q
    /// quits anyway; any other key closes it and the learner carries on.
    pub quit_question: Option<String>,
    /// Ticks seen (for the spinner).
    pub ticks: u64,
    /// The time the app started (for "last saved 2 days ago").
    pub started: DateTime<Utc>,
    /// The resume offer.
    pub resume: resume::State,
    /// The welcome text.
    pub welcome: welcome::State,
    /// The details form.
    pub details: details::State,
    /// The current page of questions.
    pub page: questions::State,
    /// The review table.
    pub review: review::State,
    /// The email outcome, once known.
    pub sent: Option<(EmailLogEntry, Option<PathBuf>)>,
    /// Whether this computer is set up to send email (`[smtp]`), for the closing text.
    pub email_set_up: bool,
    /// How far the Done screen is scrolled.
    pub done_scroll: usize,
    /// What the confidentiality guard found (kinds only), and the submit confirmation.
    pub guard: guard::State,
    /// For a later scan: the earlier scan, whose rating is shown beside each question.
    pub earlier: Option<Scan>,
    /// A fix chosen from the review: Next (PgDn, the Next button) leads back to the review.
    pub back_to_review: bool,
}

impl Model {
    /// A model for a new scan (starts at Welcome).
    pub fn new(
        scan: impl Into<Draft<Answering>>,
        theme: Theme,
        eportfolio: &str,
        now: DateTime<Utc>,
    ) -> Self {
        let mut m = Self::blank(scan.into(), theme, eportfolio, now);
        m.screen = Screen::Welcome;
        m
    }

    /// A model offering to resume `scan` (stored at `file`) or start a new one.
    pub fn offer(
        scan: Scan,
        file: PathBuf,
        theme: Theme,
        eportfolio: &str,
        now: DateTime<Utc>,
    ) -> Self {
        let mut m = Self::blank(scan.into(), theme, eportfolio, now);
        m.screen = Screen::Resume;
        m.resume.files = vec![file];
        m
    }

    /// A model offering the unfinished `scans` (newest first, at least one) or a new scan: with
    /// one, the same offer as [`Model::offer`]; with several, a list to choose from.
    pub fn offer_list(
        scans: Vec<crate::launch::Unfinished>,
        theme: Theme,
        eportfolio: &str,
        now: DateTime<Utc>,
    ) -> Option<Self> {
        let first = scans.first()?;
        let mut m = Self::offer(
            (*first.scan).clone(),
            first.path.clone(),
            theme,
            eportfolio,
            now,
        );
        m.resume.files = scans.iter().map(|u| u.path.clone()).collect();
        if scans.len() > 1 {
            m.resume.scans = scans;
        }
        Some(m)
    }

    fn blank(scan: Draft<Answering>, theme: Theme, eportfolio: &str, now: DateTime<Utc>) -> Self {
        let welcome = welcome::State::new(&scan, eportfolio);
        let details = details::State::new(&scan);
        Self {
            page: questions::State::new(&scan, 0),
            review: review::State::default(),
            resume: resume::State::default(),
            welcome,
            details,
            scan,
            screen: Screen::Welcome,
            size: (MIN_WIDTH, MIN_HEIGHT),
            theme,
            eportfolio: eportfolio.to_string(),
            file: None,
            save_state: SaveState::Nothing,
            notice: None,
            config_warning: None,
            overlay: None,
            quit_question: None,
            ticks: 0,
            started: now,
            sent: None,
            email_set_up: false,
            done_scroll: 0,
            guard: guard::State::default(),
            earlier: None,
            back_to_review: false,
        }
    }

    /// How many pages of questions there are (duties, then the behaviours).
    pub fn page_count(&self) -> usize {
        self.scan.standard().duties.len() + 1
    }

    /// Whether the terminal is too small to lay the screens out.
    pub fn too_small(&self) -> bool {
        self.size.0 < MIN_WIDTH || self.size.1 < MIN_HEIGHT
    }

    /// Whether keys go to a text box (so `q`, `?`, `y`… are typed, not commands).
    pub fn editing(&self) -> bool {
        match self.screen {
            Screen::Details => true,
            Screen::Page(_) => self.page.in_box(),
            _ => false,
        }
    }

    /// Whether the scan has changes not yet saved (the draft says; the loop saves changes within
    /// a second).
    pub fn unsaved(&self) -> bool {
        self.scan.unsaved()
    }

    /// After a change to the scan (the loop saves it within a second): the confidentiality
    /// guard looks again once typing pauses.
    pub fn changed(&mut self) {
        self.guard.touch(self.ticks);
    }

    /// A save now, if there are changes not yet saved (on leaving a field or screen).
    pub fn save_soon(&self) -> Vec<Effect> {
        if self.unsaved() {
            vec![Effect::Save]
        } else {
            Vec::new()
        }
    }

    /// Goes to another screen, saving first.
    pub fn go(&mut self, screen: Screen) -> Vec<Effect> {
        let effects = self.save_soon();
        self.overlay = None;
        self.notice = None;
        match screen {
            Screen::Page(p) => {
                self.page = questions::State::new(&self.scan, p);
                self.page.rewrap(self.size.0);
                self.page.restyle(&self.scan, &self.theme);
                guard::check_page(self);
            }
            Screen::Review => {
                self.back_to_review = false;
                self.review.refresh(&self.scan);
                guard::refresh_review(self);
            }
            Screen::Details => self.details = details::State::new(&self.scan),
            _ => {}
        }
        self.screen = screen;
        effects
    }

    fn next_screen(&mut self, forward: bool) -> Vec<Effect> {
        let pages = self.page_count();
        let fixing = self.back_to_review && forward;
        if self.screen == Screen::Welcome && forward && welcome::read_on(self) {
            return Vec::new();
        }
        let target = match (self.screen, forward) {
            (Screen::Details | Screen::Page(_), true) if fixing => Screen::Review,
            (Screen::Welcome, true) | (Screen::Page(0), false) => Screen::Details,
            (Screen::Details, true) => Screen::Page(0),
            (Screen::Details, false) => Screen::Welcome,
            (Screen::Page(p), true) if p + 1 < pages => Screen::Page(p + 1),
            (Screen::Page(_), true) => Screen::Review,
            (Screen::Page(p), false) => Screen::Page(p - 1),
            (Screen::Review, false) => Screen::Page(pages - 1),
            _ => return Vec::new(),
        };
        self.go(target)
    }

    /// Handles one message and returns what the loop must do, in order (a save asked for twice
    /// is one save). `now` stamps changed answers. No I/O.
    pub fn update(&mut self, msg: Msg, now: DateTime<Utc>) -> Vec<Effect> {
        let mut effects = match msg {
            Msg::Key(key) => self.key(key, now),
            Msg::Paste(text) => self.paste(&text, now),
            Msg::Mouse(mouse) if !self.too_small() && self.overlay.is_none() => {
                self.mouse(mouse, now)
            }
            Msg::Loaded { scan, resumed } => self.loaded(*scan, resumed),
            Msg::Edited(Ok(text)) if matches!(self.screen, Screen::Page(_)) => {
                self.page.replace_text(&mut self.scan, &text, now);
                // The new box gets its border and title at once, not at the next key.
                self.page.restyle(&self.scan, &self.theme);
                self.changed();
                self.save_soon()
            }
            msg => {
                self.apply(msg, now);
                Vec::new()
            }
        };
        let mut saving = false;
        effects.retain(|e| *e != Effect::Save || !std::mem::replace(&mut saving, true));
        effects
    }

    /// Applies a message that asks nothing of the loop.
    fn apply(&mut self, msg: Msg, now: DateTime<Utc>) {
        match msg {
            Msg::Resize(w, h) => {
                self.size = (w, h);
                self.welcome.rewrap(w);
                self.page.rewrap(w);
            }
            Msg::Tick => {
                self.ticks = self.ticks.wrapping_add(1);
                guard::tick(self);
            }
            Msg::OpenFailed(why) => self.resume.error = Some(why),
            Msg::Saved(Ok(path)) => {
                self.file = Some(path);
                // The session marked the draft saved as it saved it.
                self.save_state = SaveState::Saved(now);
            }
            Msg::Saved(Err(why)) => self.save_state = SaveState::Failed(why),
            Msg::Edited(Err(why)) => self.notice = Some(why),
            // The loop has recorded it in the scan's email log through the session.
            Msg::Sent { entry, outbox_file } => {
                self.sent = Some((entry, outbox_file));
                self.screen = Screen::Done;
            }
            // Handled by `update`; an edit that comes back after leaving the page is dropped.
            Msg::Key(_) | Msg::Paste(_) | Msg::Mouse(_) | Msg::Loaded { .. } | Msg::Edited(_) => {}
        }
    }

    /// The scan to work on is open: a resumed one at the first field still to do, a new one at
    /// the welcome.
    fn loaded(&mut self, scan: Scan, resumed: bool) -> Vec<Effect> {
        self.scan = Draft::from(scan);
        self.welcome = welcome::State::new(&self.scan, &self.eportfolio);
        self.welcome.rewrap(self.size.0);
        self.save_state = SaveState::Nothing;
        if !resumed {
            return self.go(Screen::Welcome);
        }
        self.save_state = SaveState::Saved(self.scan.updated);
        // The first field still to do (`core::walk`, as plain mode resumes), focused.
        let first = walk::resume_point(&self.scan);
        let place = first.map(|f| (f, walk::place(&self.scan, f)));
        match place {
            Some((
                field,
                walk::Place {
                    page: Page::Questions(p),
                    on_page,
                },
            )) => {
                let effects = self.go(Screen::Page(p));
                self.page.focus = if matches!(field, walk::Field::Text(_)) {
                    questions::Focus::Answer(on_page)
                } else {
                    questions::Focus::Rating(on_page)
                };
                self.page.restyle(&self.scan, &self.theme);
                effects
            }
            Some((
                _,
                walk::Place {
                    page: Page::Details,
                    on_page,
                },
            )) => {
                let effects = self.go(Screen::Details);
                self.details.focus = details::Field::ALL[on_page.min(3)];
                effects
            }
            _ => self.go(Screen::Review),
        }
    }

    fn key(&mut self, key: KeyEvent, now: DateTime<Utc>) -> Vec<Effect> {
        if key.kind == KeyEventKind::Release {
            return Vec::new();
        }
        // What the key means outside a text box (Ctrl-C and `q` answer the quit question).
        let command = keys::action(&key, false);
        if command == Some(Action::QuitNow) {
            return vec![Effect::Quit];
        }
        if self.quit_question.take().is_some() || self.too_small() {
            return if command == Some(Action::Quit) {
                vec![Effect::Quit]
            } else {
                Vec::new()
            };
        }
        if self.overlay.is_some() {
            let closes = matches!(
                command,
                Some(Action::Back | Action::Enter | Action::Quit | Action::Help | Action::Ksbs)
            );
            if closes {
                self.overlay = None;
            }
            return Vec::new();
        }
        let paging = !matches!(self.screen, Screen::Resume | Screen::Sending | Screen::Done);
        let action = keys::action_on(self.screen, &key, self.editing());
        match action {
            Some(Action::Save) => {
                self.notice = Some("Saving…".into());
                return vec![Effect::Save];
            }
            Some(Action::Help) => {
                self.overlay = Some(Overlay::Help);
                return Vec::new();
            }
            Some(Action::Quit) if self.screen != Screen::Sending => return vec![Effect::Quit],
            Some(Action::NextScreen) if paging => return self.next_screen(true),
            Some(Action::PreviousScreen) if paging => return self.next_screen(false),
            _ => {}
        }
        // Each screen is handed the key's action (and the key itself, for a text box to type).
        match self.screen {
            Screen::Resume => resume::key(self, action),
            Screen::Welcome => welcome::key(self, action),
            Screen::Details => details::key(self, key, action, now),
            Screen::Page(_) => questions::key(self, key, action, now),
            Screen::Review => review::key(self, action, now),
            Screen::Sending => Vec::new(),
            Screen::Done => done::key(self, action),
        }
    }

    fn paste(&mut self, text: &str, now: DateTime<Utc>) -> Vec<Effect> {
        if self.too_small() || self.overlay.is_some() {
            return Vec::new();
        }
        match self.screen {
            Screen::Details => details::paste(self, text, now),
            Screen::Page(_) => questions::paste(self, text, now),
            _ => {}
        }
        Vec::new()
    }

    fn mouse(&mut self, mouse: MouseEvent, now: DateTime<Utc>) -> Vec<Effect> {
        let body = chrome::body(self.area());
        if let Some(forward) = chrome::button_at(self, mouse) {
            return self.next_screen(forward);
        }
        match self.screen {
            Screen::Resume => return resume::mouse(self, mouse, body),
            Screen::Welcome => welcome::mouse(self, mouse),
            Screen::Details => return details::mouse(self, mouse, body),
            Screen::Page(_) => return questions::mouse(self, mouse, body, now),
            Screen::Review => return review::mouse(self, mouse, body, now),
            Screen::Done => match mouse.kind {
                crossterm::event::MouseEventKind::ScrollDown => self.done_scroll += 3,
                crossterm::event::MouseEventKind::ScrollUp => {
                    self.done_scroll = self.done_scroll.saturating_sub(3);
                }
                _ => {}
            },
            Screen::Sending => {}
        }
        Vec::new()
    }

    /// The whole terminal area.
    pub fn area(&self) -> Rect {
        Rect::new(0, 0, self.size.0, self.size.1)
    }

    /// Draws the current screen. No side effects.
    pub fn view(&self, frame: &mut Frame) {
        let area = frame.area();
        if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
            return chrome::too_small(self, frame);
        }
        let body = chrome::frame(self, frame);
        match self.screen {
            Screen::Resume => resume::view(self, frame, body),
            Screen::Welcome => welcome::view(self, frame, body),
            Screen::Details => details::view(self, frame, body),
            Screen::Page(_) => questions::view(self, frame, body),
            Screen::Review => review::view(self, frame, body),
            Screen::Sending | Screen::Done => done::view(self, frame, body),
        }
        match self.overlay {
            Some(Overlay::Help) => chrome::help(self, frame),
            Some(Overlay::Ksbs) => questions::ksbs(self, frame),
            None => {}
        }
        if let Some(question) = &self.quit_question {
            chrome::quit_question(self, frame, question);
        }
    }
}
