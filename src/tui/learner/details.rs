//! Your details: name, email, manager's email and (optional) name, checked as typed with the
//! problem shown under the field.

use chrono::{DateTime, Utc};
use crossterm::event::{KeyEvent, MouseButton, MouseEvent, MouseEventKind};
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::keys::Action;
use super::{Effect, Model};
use crate::core::Scan;
use crate::core::validate;
use crate::core::walk::Detail;
use crate::tui::field::TextField;

/// The four fields, in Tab order: the walk's details (`core::walk::Detail`), which name, order
/// and label them for both front ends.
pub type Field = Detail;

/// The next field (the last wraps to the first: the details hold no answer a key could change).
fn next(field: Field) -> Field {
    Field::ALL[(field.index() + 1) % Field::ALL.len()]
}

/// The previous field (the first wraps to the last).
fn previous(field: Field) -> Field {
    Field::ALL[(field.index() + Field::ALL.len() - 1) % Field::ALL.len()]
}

/// The four fields.
pub struct State {
    /// One single-line field per detail, in [`Field::ALL`] order.
    pub fields: Vec<TextField>,
    /// The focused field.
    pub focus: Field,
    /// Fields the learner has left at least once (their problems are shown even when empty).
    pub touched: [bool; 4],
}

impl State {
    /// Fields filled from the scan.
    pub fn new(scan: &Scan) -> Self {
        let values = [
            &scan.learner.name,
            &scan.learner.email,
            &scan.manager.email,
            &scan.manager.name,
        ];
        Self {
            fields: values.iter().map(|v| TextField::one_line(v)).collect(),
            focus: Field::LearnerName,
            touched: values.map(|v| !v.is_empty()),
        }
    }

    fn value(&self, field: Field) -> String {
        self.fields[field.index()].text()
    }
}

/// The problem with `field`, if it should be shown.
pub fn problem(m: &Model, field: Field) -> Option<String> {
    let Some(target) = field.target() else {
        return (m.scan.manager.name.chars().any(char::is_control))
            .then(|| "A name cannot contain control characters.".into());
    };
    let i = field.index();
    if !m.details.touched[i] && m.details.fields[i].is_empty() {
        return None;
    }
    validate::details(&m.scan)
        .into_iter()
        .find(|p| p.target == target)
        .map(|p| p.message)
}

fn store(m: &mut Model, field: Field, now: DateTime<Utc>) {
    let value = m.details.value(field);
    if m.scan.set_detail(field, &value, now) {
        m.changed();
    }
}

/// Moves to another field, saving (a field left is a field done).
fn move_focus(m: &mut Model, to: Field) -> Vec<Effect> {
    let from = m.details.focus;
    m.details.touched[from.index()] = true;
    m.details.focus = to;
    m.save_soon()
}

/// Keys: Tab/Enter/↓ next field, Shift-Tab/↑ previous; the rest edits.
pub fn key(
    m: &mut Model,
    key: KeyEvent,
    action: Option<Action>,
    now: DateTime<Utc>,
) -> Vec<Effect> {
    let f = m.details.focus;
    match action {
        Some(Action::NextField | Action::Enter | Action::Down) => {
            if f == Field::ManagerName && action == Some(Action::Enter) {
                m.details.touched[f.index()] = true;
                m.next_screen(true)
            } else {
                move_focus(m, next(f))
            }
        }
        Some(Action::PreviousField | Action::Up) => move_focus(m, previous(f)),
        _ => {
            if m.details.fields[f.index()].input(key) {
                store(m, f, now);
            }
            Vec::new()
        }
    }
}

/// A paste goes into the focused field, on one line.
pub fn paste(m: &mut Model, pasted: &str, now: DateTime<Utc>) {
    let f = m.details.focus;
    m.details.fields[f.index()].paste(pasted);
    store(m, f, now);
}

fn field_rect(body: Rect, field: Field) -> Rect {
    Rect::new(
        body.x + 1,
        body.y + 3 + 4 * field.index() as u16,
        body.width.saturating_sub(2).min(78),
        3,
    )
}

/// A click focuses a field.
pub fn mouse(m: &mut Model, mouse: MouseEvent, body: Rect) -> Vec<Effect> {
    if mouse.kind != MouseEventKind::Down(MouseButton::Left) {
        return Vec::new();
    }
    let pos = Position::new(mouse.column, mouse.row);
    match Field::ALL
        .into_iter()
        .find(|&f| field_rect(body, f).contains(pos))
    {
        Some(field) => move_focus(m, field),
        None => Vec::new(),
    }
}

/// Draws the form.
pub fn view(m: &Model, f: &mut Frame, body: Rect) {
    let t = &m.theme;
    f.render_widget(
        Paragraph::new(vec![
            Line::styled(" Your details", t.title),
            Line::raw(
                " Your summary will be emailed to you and your line manager: check them carefully.",
            ),
        ]),
        body,
    );
    for field in Field::ALL {
        let (i, label) = (field.index(), field.form_label());
        let rect = field_rect(body, field);
        let focused = m.details.focus == field;
        let problem = problem(m, field);
        let mark = match (&problem, m.details.touched[i]) {
            (Some(_), _) => " ✘",
            (None, true) if field.target().is_some() => " ✔",
            _ => "",
        };
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(if focused { t.border_focus } else { t.border })
            .title(Span::styled(
                format!(" {label}{mark} "),
                if focused { t.selected } else { t.muted },
            ));
        let mut ta = m.details.fields[i].widget().clone();
        ta.set_block(block);
        ta.set_cursor_style(if focused {
            t.focus
        } else {
            ratatui::style::Style::default()
        });
        f.render_widget(&ta, rect);
        if let Some(p) = problem {
            f.render_widget(
                Paragraph::new(Span::styled(format!("   ⚠ {p}"), t.error)),
                Rect::new(rect.x, rect.y + 3, rect.width, 1),
            );
        }
    }
}
