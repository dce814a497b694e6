//! The validation form of the coach's view: the record's fields (one-line [`TextField`]s, the
//! same widget as the learner's details), and the
//! updates that copy the form into the scan's validation record (with its timestamp).

use chrono::{DateTime, NaiveDate, Utc};
use crossterm::event::KeyEvent;

use super::keys::Action;

use super::model::{Effect, Model, Screen};
use crate::core::Scan;
use crate::core::record::Seal;
use crate::tui::field::TextField;

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

/// The validation form being edited.
#[derive(Debug, Clone)]
pub struct ValidationForm {
    /// Which field has the focus.
    pub focus: Field,
    /// Meeting date as typed.
    pub date: TextField,
    /// Coach's name as typed.
    pub coach: TextField,
    /// Manager's name as typed.
    pub manager: TextField,
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
            date: TextField::one_line(&v.meeting_date.map(|d| d.to_string()).unwrap_or_default()),
            coach: TextField::one_line(&v.coach_name),
            manager: TextField::one_line(&manager),
            problem: None,
        }
    }
}

impl Model {
    pub(super) fn focused_input(&mut self) -> Option<&mut TextField> {
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
    ) -> Vec<Effect> {
        let i = self.form.focus.index();
        let on_tick = self.form.focus == Field::Validated;
        match action {
            Some(Action::Back) => return self.go(Screen::Overview),
            Some(Action::Up) => self.form.focus = Field::ALL[i.saturating_sub(1)],
            Some(Action::Down | Action::Enter) if i + 1 < Field::ALL.len() => {
                if action == Some(Action::Enter)
                    && self.form.focus == Field::Date
                    && self.form.date.text().trim().is_empty()
                {
                    self.form.date = TextField::one_line(&now.date_naive().to_string());
                    self.apply_form(now);
                }
                self.form.focus = Field::ALL[i + 1];
            }
            Some(Action::Space | Action::Enter) if on_tick => self.toggle_validated(now),
            Some(Action::Quit) if on_tick => return self.quit(),
            _ => {
                if let Some(input) = self.focused_input()
                    && input.input(key)
                {
                    self.apply_form(now);
                }
            }
        }
        Vec::new()
    }

    fn parsed_date(&self) -> Result<Option<NaiveDate>, String> {
        let text = self.form.date.text();
        let text = text.trim();
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
        let coach = self.form.coach.text().trim().to_string();
        let manager = self.form.manager.text().trim().to_string();
        let changed = self.scan.edit_validation(now, |v| {
            if let Ok(d) = date {
                v.meeting_date = d;
            }
            v.coach_name = coach;
            v.manager_name = manager;
        });
        if changed {
            self.changed();
        }
    }

    fn toggle_validated(&mut self, now: DateTime<Utc>) {
        self.apply_form(now);
        if let Seal::Validated { .. } = Seal::of(&self.scan) {
            self.scan.withdraw(now);
            self.changed();
            self.form.problem = None;
            self.tell("Validation withdrawn", false);
            return;
        }
        match self.scan.validate(&self.known, now) {
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
