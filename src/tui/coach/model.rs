//! The coach's view as data: the scan under review, which screen is showing, the editors, and
//! `update` — every key turns into a change of this state (no I/O; the time is passed in).
//!
//! The learner's answers are never changed here: only `Scan::set_agreed_*` and the review's
//! validation record are written.

use std::cell::Cell;

use crate::tui::field::TextField;
use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseEvent, MouseEventKind};

use super::keys::{self, Action};
use crate::core::Rating;
use crate::core::Scan;
use crate::core::Standard;
use crate::core::draft::{Draft, Reviewing};
use crate::core::record;
use crate::core::rpl::Programme;
use crate::core::standard::{KsbCode, QuestionId};
use crate::tui::theme::Theme;

pub use super::form::{Field, ValidationForm};

/// The screens, in tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    /// Every question with its ratings, the prior-learning figure and the chart.
    Overview,
    /// One question: text, KSBs, the learner's answer, and the review.
    Question,
    /// The learning plan: areas for development grouped by duty.
    Plan,
    /// The indicative prior-learning (RPL) estimate.
    Rpl,
    /// The planning meeting's validation record.
    Validation,
}

impl Screen {
    /// The tabs across the top (the question screen belongs to the overview tab).
    pub const TABS: [(Screen, &'static str); 4] = [
        (Screen::Overview, "Overview"),
        (Screen::Plan, "Learning plan"),
        (Screen::Rpl, "Prior learning"),
        (Screen::Validation, "Validation"),
    ];

    fn tab(self) -> usize {
        match self {
            Self::Overview | Self::Question => 0,
            Self::Plan => 1,
            Self::Rpl => 2,
            Self::Validation => 3,
        }
    }
}

/// A status message at the bottom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    /// The text.
    pub text: String,
    /// Whether it reports a problem.
    pub problem: bool,
}

/// Something the loop must do after an update (`update` returns them in order; none: just
/// redraw).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// Save now (leaving a screen, Ctrl-S).
    Save,
    /// Save, then quit if the save worked.
    Quit,
    /// Quit without saving (asked for twice after a failed save).
    QuitUnsaved,
}

/// One input to `update`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Msg {
    /// A key press.
    Key(KeyEvent),
    /// Pasted text (bracketed paste).
    Paste(String),
    /// A mouse event: the wheel scrolls, or moves the selection, like ↑ and ↓.
    Mouse(MouseEvent),
    /// The loop saved the file (`Ok`) or could not (`Err` with the reason).
    Saved(Result<String, String>),
}

/// What the note editor writes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoteTarget {
    /// The question's note.
    Question(QuestionId),
    /// One KSB's note (its code).
    Ksb(KsbCode),
}

/// The coach's view state.
pub struct Model {
    /// The scan under review (the loop saves this), as a draft that can change the review and
    /// nothing else: the learner's answers are out of its reach.
    pub scan: Draft<Reviewing>,
    /// The file's name, for the header.
    pub file_name: String,
    /// Programme figures for the RPL estimate.
    pub programme: Programme,
    /// Styles.
    pub theme: Theme,
    /// The screen showing.
    pub screen: Screen,
    /// The selected question (index in walk order).
    pub selected: usize,
    /// Scroll offset of the scrolling screens (question, plan, RPL).
    pub scroll: u16,
    /// The largest useful scroll, worked out by the last draw.
    pub max_scroll: Cell<u16>,
    /// The note editor, while a note is being written.
    pub note: Option<TextField>,
    /// The validation form.
    pub form: ValidationForm,
    /// The message at the bottom.
    pub status: Option<Status>,
    /// Set after a failed save on quit: the next quit leaves without saving.
    pub confirm_quit_unsaved: bool,
    /// The help overlay is showing.
    pub help: bool,
    /// How many of the learner's answers may identify someone (the confidentiality guard), worked
    /// out once on opening: the coach never changes the learner's answers.
    pub answers_with_warnings: usize,
    /// For a later scan: the earlier scan it follows, if found (its ratings are shown beside
    /// each question).
    pub earlier: Option<Scan>,
    /// On the question screen: the selected KSB of the question's KSB list (`None`: the
    /// question itself).
    pub ksb_cursor: Option<usize>,
    /// What the note editor, while open, writes to.
    pub note_target: Option<NoteTarget>,
    /// The approved standards the scan's copy is checked against.
    pub known: Vec<Standard>,
    /// What differs when the scan's copy of its standard is not the approved one.
    pub modified: Option<Vec<String>>,
}

impl Model {
    /// The view of a freshly opened scan.
    pub fn new(
        scan: impl Into<Draft<Reviewing>>,
        file_name: &str,
        programme: Programme,
        theme: Theme,
    ) -> Self {
        let scan: Draft<Reviewing> = scan.into();
        let form = ValidationForm::from_scan(&scan);
        let answers_with_warnings = crate::core::guard::flagged_answers(&scan).len();
        let known: Vec<Standard> = Standard::embedded().into_iter().collect();
        let modified = record::modified_standard(&scan, &known);
        Self {
            answers_with_warnings,
            scan,
            file_name: file_name.to_string(),
            programme,
            theme,
            screen: Screen::Overview,
            selected: 0,
            scroll: 0,
            max_scroll: Cell::new(u16::MAX),
            note: None,
            form,
            status: None,
            confirm_quit_unsaved: false,
            help: false,
            earlier: None,
            ksb_cursor: None,
            note_target: None,
            known,
            modified,
        }
    }

    /// Checks the scan's standard against these approved standards (the embedded one and the
    /// data folder's) instead of the embedded one alone.
    #[must_use]
    pub fn with_known(mut self, known: Vec<Standard>) -> Self {
        self.modified = record::modified_standard(&self.scan, &known);
        self.known = known;
        self
    }

    /// The KSB codes of the selected question, in its order.
    pub fn selected_ksbs(&self) -> Vec<KsbCode> {
        self.selected_id()
            .and_then(|id| {
                self.scan
                    .standard()
                    .question(&id)
                    .map(|l| l.question.ksbs.clone())
            })
            .unwrap_or_default()
    }

    /// The code of the KSB under the cursor, if one is selected.
    pub fn selected_ksb(&self) -> Option<KsbCode> {
        self.ksb_cursor
            .and_then(|i| self.selected_ksbs().get(i).cloned())
    }

    /// Question ids in walk order.
    pub fn question_ids(&self) -> Vec<QuestionId> {
        self.scan
            .standard()
            .questions()
            .map(|l| l.question.id.clone())
            .collect()
    }

    /// The selected question's id.
    pub fn selected_id(&self) -> Option<QuestionId> {
        self.question_ids().get(self.selected).cloned()
    }

    /// Whether there are changes not yet saved (the draft says).
    pub fn is_dirty(&self) -> bool {
        self.scan.unsaved()
    }

    /// After a change to the review (the draft counted it): a failed quit is asked again.
    pub(super) fn changed(&mut self) {
        self.confirm_quit_unsaved = false;
    }

    pub(super) fn tell(&mut self, text: impl Into<String>, problem: bool) {
        self.status = Some(Status {
            text: text.into(),
            problem,
        });
    }

    pub(super) fn go(&mut self, screen: Screen) -> Vec<Effect> {
        if screen != self.screen || screen == Screen::Question {
            self.ksb_cursor = None;
        }
        self.screen = screen;
        self.scroll = 0;
        self.max_scroll.set(u16::MAX);
        self.help = false;
        self.save_if_changed()
    }

    /// A save when there are changes not yet saved (on leaving a screen or an editor).
    fn save_if_changed(&self) -> Vec<Effect> {
        if self.is_dirty() {
            vec![Effect::Save]
        } else {
            Vec::new()
        }
    }

    pub(super) fn quit(&mut self) -> Vec<Effect> {
        if self.confirm_quit_unsaved {
            vec![Effect::QuitUnsaved]
        } else {
            vec![Effect::Quit]
        }
    }

    /// Draws the view (no side effects), as the learner's `Model::view` does.
    pub fn view(&self, frame: &mut ratatui::Frame) {
        super::view::view(self, frame);
    }

    /// Applies one input and returns what the loop must do, in order (as the learner's
    /// `update` does). `now` stamps any change. No I/O.
    pub fn update(&mut self, msg: Msg, now: DateTime<Utc>) -> Vec<Effect> {
        match msg {
            Msg::Saved(Ok(text)) => {
                self.tell(text, false);
                Vec::new()
            }
            Msg::Saved(Err(text)) => {
                self.tell(text, true);
                Vec::new()
            }
            Msg::Paste(text) => {
                self.paste(&text, now);
                Vec::new()
            }
            Msg::Mouse(mouse) => {
                let code = match mouse.kind {
                    _ if self.note.is_some() => None,
                    MouseEventKind::ScrollDown => Some(KeyCode::Down),
                    MouseEventKind::ScrollUp => Some(KeyCode::Up),
                    _ => None,
                };
                code.map_or_else(Vec::new, |c| {
                    self.key(KeyEvent::new(c, KeyModifiers::NONE), now)
                })
            }
            Msg::Key(key) if key.kind == KeyEventKind::Release => Vec::new(),
            Msg::Key(key) => self.key(key, now),
        }
    }

    fn paste(&mut self, text: &str, now: DateTime<Utc>) {
        if let Some(area) = &mut self.note {
            area.paste(text);
            self.store_note(now);
        } else if self.screen == Screen::Validation
            && let Some(input) = self.focused_input()
        {
            input.paste(text);
            self.apply_form(now);
        }
    }

    /// Whether typed characters are text (a note, or a field of the validation form).
    fn editing(&self) -> bool {
        self.note.is_some()
            || (self.screen == Screen::Validation && self.form.focus != Field::Validated)
    }

    fn key(&mut self, key: KeyEvent, now: DateTime<Utc>) -> Vec<Effect> {
        let action = keys::action(&key, self.editing());
        match action {
            Some(Action::QuitNow) => return self.quit(),
            Some(Action::Save) => return vec![Effect::Save],
            _ => {}
        }
        if self.note.is_some() {
            return self.note_key(key, now);
        }
        if self.help {
            self.help = false;
            return Vec::new();
        }
        match action {
            Some(Action::NextScreen) => return self.go(Self::next_tab(self.screen, 1)),
            Some(Action::PreviousScreen) => return self.go(Self::next_tab(self.screen, 3)),
            Some(Action::Help) => {
                self.help = true;
                return Vec::new();
            }
            _ => {}
        }
        match self.screen {
            Screen::Validation => self.validation_key(key, action, now),
            Screen::Question => self.question_key(action, now),
            Screen::Overview | Screen::Plan | Screen::Rpl => self.browse_key(action),
        }
    }

    fn next_tab(screen: Screen, step: usize) -> Screen {
        let i = (screen.tab() + step) % Screen::TABS.len();
        Screen::TABS[i].0
    }

    /// Keys common to the screens: quit and the screens by letter.
    fn screen_key(&mut self, action: Option<Action>) -> Option<Vec<Effect>> {
        Some(match action? {
            Action::Quit => self.quit(),
            Action::Back if self.screen != Screen::Overview => self.go(Screen::Overview),
            Action::Plan => self.go(Screen::Plan),
            Action::Rpl => self.go(Screen::Rpl),
            Action::Validation => self.go(Screen::Validation),
            _ => return None,
        })
    }

    /// Keys common to the read-only screens.
    fn browse_key(&mut self, action: Option<Action>) -> Vec<Effect> {
        if let Some(effects) = self.screen_key(action) {
            return effects;
        }
        if self.screen != Screen::Overview {
            self.scroll_key(action);
            return Vec::new();
        }
        let last = self.question_ids().len().saturating_sub(1);
        match action {
            Some(Action::Up) => self.selected = self.selected.saturating_sub(1),
            Some(Action::Down) => self.selected = (self.selected + 1).min(last),
            Some(Action::First) => self.selected = 0,
            Some(Action::Last) => self.selected = last,
            Some(Action::PageUp) => self.selected = self.selected.saturating_sub(10),
            Some(Action::PageDown) => self.selected = (self.selected + 10).min(last),
            Some(Action::Enter | Action::Next) => return self.go(Screen::Question),
            _ => {}
        }
        Vec::new()
    }

    fn scroll_key(&mut self, action: Option<Action>) {
        let max = self.max_scroll.get();
        self.scroll = match action {
            Some(Action::Up) => self.scroll.saturating_sub(1),
            Some(Action::Down) => self.scroll.saturating_add(1),
            Some(Action::PageUp) => self.scroll.saturating_sub(10),
            Some(Action::PageDown | Action::Space) => self.scroll.saturating_add(10),
            Some(Action::First) => 0,
            Some(Action::Last) => max,
            _ => self.scroll,
        }
        .min(max);
    }

    /// Sets (or clears) the agreed rating of the chosen KSB, or else of the question.
    fn agree(&mut self, id: &QuestionId, rating: Option<Rating>, now: DateTime<Utc>) {
        if let Some(code) = self.selected_ksb() {
            if self.scan.agreed_ksb(&code).and_then(|a| a.rating) != rating {
                self.scan.set_agreed_ksb_rating(&code, rating, now);
                self.changed();
            }
            let word = rating.map_or("cleared (derived from the questions again)", Rating::label);
            self.tell(format!("{code} agreed rating: {word}"), false);
        } else {
            if self.scan.agreed(id).and_then(|a| a.rating) != rating {
                self.scan.set_agreed_rating(id, rating, now);
                self.changed();
            }
            let word = rating.map_or("cleared", Rating::label);
            self.tell(format!("Agreed rating: {word}"), false);
        }
    }

    /// Opens the note editor for the chosen KSB, or else for the question.
    fn open_note(&mut self, id: QuestionId) {
        let (target, note) = if let Some(code) = self.selected_ksb() {
            let note = self.scan.agreed_ksb(&code).map(|a| a.note.clone());
            (NoteTarget::Ksb(code), note)
        } else {
            let note = self.scan.agreed(&id).map(|a| a.note.clone());
            (NoteTarget::Question(id), note)
        };
        let note = note.unwrap_or_default();
        self.note = Some(TextField::many_lines(&note));
        self.note_target = Some(target);
    }

    fn question_key(&mut self, action: Option<Action>, now: DateTime<Utc>) -> Vec<Effect> {
        let Some(id) = self.selected_id() else {
            return self.go(Screen::Overview);
        };
        let count = self.question_ids().len();
        let ksbs = self.selected_ksbs().len();
        match action {
            Some(Action::Agree(r)) => self.agree(&id, Some(r), now),
            Some(Action::Clear) => self.agree(&id, None, now),
            Some(Action::Note | Action::Enter) => self.open_note(id),
            Some(Action::Down) if ksbs > 0 => {
                self.ksb_cursor = Some(self.ksb_cursor.map_or(0, |i| (i + 1).min(ksbs - 1)));
            }
            Some(Action::Up) if ksbs > 0 => {
                self.ksb_cursor = self.ksb_cursor.and_then(|i| i.checked_sub(1));
            }
            Some(Action::Back) if self.ksb_cursor.is_some() => self.ksb_cursor = None,
            Some(Action::Next) if self.selected + 1 < count => {
                self.selected += 1;
                return self.go(Screen::Question);
            }
            Some(Action::Previous) if self.selected > 0 => {
                self.selected -= 1;
                return self.go(Screen::Question);
            }
            _ => {
                if let Some(effects) = self.screen_key(action) {
                    return effects;
                }
                self.scroll_key(action);
            }
        }
        Vec::new()
    }

    fn note_key(&mut self, key: KeyEvent, now: DateTime<Utc>) -> Vec<Effect> {
        // Esc closes the editor (the table's Back; a note has no other command key).
        if keys::action(&key, true) == Some(Action::Back) {
            self.note = None;
            self.note_target = None;
            self.tell("Note kept", false);
            return self.save_if_changed();
        }
        if let Some(area) = &mut self.note
            && area.input(key)
        {
            self.store_note(now);
        }
        Vec::new()
    }

    /// Writes the editor's text to the review (only when it differs).
    fn store_note(&mut self, now: DateTime<Utc>) {
        let (Some(area), Some(target)) = (&self.note, self.note_target.clone()) else {
            return;
        };
        let text = area.text();
        match target {
            NoteTarget::Question(id) => {
                if text != self.scan.agreed(&id).map_or("", |a| a.note.as_str()) {
                    self.scan.set_agreed_note(&id, &text, now);
                    self.changed();
                }
            }
            NoteTarget::Ksb(code) => {
                if text != self.scan.agreed_ksb(&code).map_or("", |a| a.note.as_str()) {
                    self.scan.set_agreed_ksb_note(&code, &text, now);
                    self.changed();
                }
            }
        }
    }

    /// The save went well (the session marked the draft saved): says so.
    pub fn saved(&mut self, text: String) {
        self.confirm_quit_unsaved = false;
        self.tell(text, false);
    }

    /// Records a failed save. When it happened on quit, the next quit leaves without saving.
    pub fn save_failed(&mut self, reason: &str, on_quit: bool) {
        self.confirm_quit_unsaved = on_quit;
        let tail = if on_quit {
            " Press q again to quit WITHOUT saving, or fix the problem and press Ctrl-S."
        } else {
            ""
        };
        self.tell(format!("Not saved: {reason}.{tail}"), true);
    }
}
