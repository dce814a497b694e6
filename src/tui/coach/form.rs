//! The validation form of the coach's view: one-line text fields, the record's fields, and the
//! updates that copy the form into the scan's validation record (with its timestamp).

use chrono::{DateTime, NaiveDate, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::keys::Action;

use super::model::{Effect, Model, Screen};
use crate::core::Scan;
use crate::core::record::{self, Seal};

/// The fields of the validation form, top to bottom.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// Meeting date (YYYY-MM-DD).
    Date,
    /// The coach's name.
    Coach,
    /// The manager's name.
    Manager,
    /// "Validated by the manager".
    Validated,
}

impl Field {
    pub(super) const ALL: [Field; 4] =
        [Field::Date, Field::Coach, Field::Manager, Field::Validated];

    pub(super) fn index(self) -> usize {
        Self::ALL.iter().position(|f| *f == self).unwrap_or(0)
    }
}

/// A one-line text field: the text and a cursor (in characters).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineInput {
    /// The text.
    pub text: String,
    /// Cursor position in characters.
    pub cursor: usize,
}

impl LineInput {
    pub(super) fn new(text: &str) -> Self {
        let text = crate::tui::text::sanitize_line(text);
        Self {
            cursor: text.chars().count(),
            text,
        }
    }

    fn byte(&self, chars: usize) -> usize {
        self.text
            .char_indices()
            .nth(chars)
            .map_or(self.text.len(), |(i, _)| i)
    }

    /// Applies an editing key; true if the text changed.
    pub(super) fn key(&mut self, key: KeyEvent) -> bool {
        let len = self.text.chars().count();
        match key.code {
            KeyCode::Char('u') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                self.text.clear();
                self.cursor = 0;
                return true;
            }
            KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
                let at = self.byte(self.cursor);
                self.text.insert(at, c);
                self.cursor += 1;
                return true;
            }
            KeyCode::Backspace if self.cursor > 0 => {
                self.cursor -= 1;
                let at = self.byte(self.cursor);
                self.text.remove(at);
                return true;
            }
            KeyCode::Delete if self.cursor < len => {
                let at = self.byte(self.cursor);
                self.text.remove(at);
                return true;
            }
            KeyCode::Left => self.cursor = self.cursor.saturating_sub(1),
            KeyCode::Right => self.cursor = (self.cursor + 1).min(len),
            KeyCode::Home => self.cursor = 0,
            KeyCode::End => self.cursor = len,
            _ => {}
        }
        false
    }

    pub(super) fn insert(&mut self, text: &str) {
        for c in crate::tui::text::sanitize_line(text).chars() {
            let at = self.byte(self.cursor);
            self.text.insert(at, c);
            self.cursor += 1;
        }
    }
}

/// The validation form being edited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationForm {
    /// Which field has the focus.
    pub focus: Field,
    /// Meeting date as typed.
    pub date: LineInput,
    /// Coach's name as typed.
    pub coach: LineInput,
    /// Manager's name as typed.
    pub manager: LineInput,
    /// A problem with what was typed (shown under the form).
    pub problem: Option<String>,
}

impl ValidationForm {
    /// The form showing the scan's record (the manager's name from the scan until one is set).
    pub fn from_scan(scan: &Scan) -> Self {
        let v = scan
            .review
            .as_ref()
            .map(|r| r.validation.clone())
            .unwrap_or_default();
        let manager = if v.manager_name.is_empty() {
            scan.manager.name.clone()
        } else {
            v.manager_name
        };
        Self {
            focus: Field::Date,
            date: LineInput::new(&v.meeting_date.map(|d| d.to_string()).unwrap_or_default()),
            coach: LineInput::new(&v.coach_name),
            manager: LineInput::new(&manager),
            problem: None,
        }
    }
}

impl Model {
    pub(super) fn focused_input(&mut self) -> Option<&mut LineInput> {
        match self.form.focus {
            Field::Date => Some(&mut self.form.date),
            Field::Coach => Some(&mut self.form.coach),
            Field::Manager => Some(&mut self.form.manager),
            Field::Validated => None,
        }
    }

    pub(super) fn validation_key(
        &mut self,
        key: KeyEvent,
        action: Option<Action>,
        now: DateTime<Utc>,
    ) -> Effect {
        let i = self.form.focus.index();
        let on_tick = self.form.focus == Field::Validated;
        match action {
            Some(Action::Back) => return self.go(Screen::Overview),
            Some(Action::Up) => self.form.focus = Field::ALL[i.saturating_sub(1)],
            Some(Action::Down | Action::Enter) if i + 1 < Field::ALL.len() => {
                if action == Some(Action::Enter)
                    && self.form.focus == Field::Date
                    && self.form.date.text.trim().is_empty()
                {
                    self.form.date = LineInput::new(&now.date_naive().to_string());
                    self.apply_form(now);
                }
                self.form.focus = Field::ALL[i + 1];
            }
            Some(Action::Space | Action::Enter) if on_tick => self.toggle_validated(now),
            Some(Action::Quit) if on_tick => return self.quit(),
            _ => {
                if let Some(input) = self.focused_input()
                    && input.key(key)
                {
                    self.apply_form(now);
                }
            }
        }
        Effect::None
    }

    fn parsed_date(&self) -> Result<Option<NaiveDate>, String> {
        let text = self.form.date.text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| format!("“{text}” is not a date: type it as YYYY-MM-DD, e.g. 2026-11-23"))
    }

    /// Copies the form into the validation record (a date that does not parse is not copied).
    pub(super) fn apply_form(&mut self, now: DateTime<Utc>) {
        let date = self.parsed_date();
        self.form.problem = date.as_ref().err().cloned();
        let coach = self.form.coach.text.trim().to_string();
        let manager = self.form.manager.text.trim().to_string();
        let v = &mut self.scan.review_mut().validation;
        let mut changed = false;
        if let Ok(d) = date
            && v.meeting_date != d
        {
            v.meeting_date = d;
            changed = true;
        }
        if v.coach_name != coach {
            v.coach_name = coach;
            changed = true;
        }
        if v.manager_name != manager {
            v.manager_name = manager;
            changed = true;
        }
        if changed {
            v.recorded_at = Some(now);
            self.scan.updated = now;
            self.changed();
        }
    }

    fn toggle_validated(&mut self, now: DateTime<Utc>) {
        self.apply_form(now);
        if let Seal::Validated { .. } = Seal::of(&self.scan) {
            record::withdraw(&mut self.scan, now);
            self.changed();
            self.form.problem = None;
            self.tell("Validation withdrawn", false);
            return;
        }
        match record::validate(&mut self.scan, &self.known, now) {
            Ok(()) => {
                self.changed();
                self.form.problem = None;
                self.tell("Recorded: validated by the manager, and sealed", false);
            }
            Err(refusal) => {
                let date = self
                    .parsed_date()
                    .err()
                    .map_or_else(String::new, |e| format!("{e}. "));
                let mut text = refusal.to_string();
                if let Some(first) = text.get(..1) {
                    text = format!("{}{}", first.to_uppercase(), &text[1..]);
                }
                self.form.problem = Some(format!("{date}{text}."));
            }
        }
    }
}
