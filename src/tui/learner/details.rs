//! Your details: name, email, manager's email and (optional) name, checked as typed with the
//! problem shown under the field.

use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent, MouseButton, MouseEvent, MouseEventKind};
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use ratatui_textarea::TextArea;

use super::Model;
use crate::core::Scan;
use crate::core::validate::{self, Target};
use crate::core::walk::Detail;
use crate::tui::text;

const LABELS: [&str; 4] = [
    Detail::LearnerName.form_label(),
    Detail::LearnerEmail.form_label(),
    Detail::ManagerEmail.form_label(),
    Detail::ManagerName.form_label(),
];

/// The four fields.
pub struct State {
    /// One single-line editor per field.
    pub fields: Vec<TextArea<'static>>,
    /// The focused field.
    pub focus: usize,
    /// Fields the learner has left at least once (their problems are shown even when empty).
    pub touched: [bool; 4],
}

fn field(value: &str) -> TextArea<'static> {
    let mut ta = TextArea::new(vec![text::sanitize_line(value)]);
    ta.set_cursor_line_style(ratatui::style::Style::default());
    ta.move_cursor(ratatui_textarea::CursorMove::End);
    ta
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
            fields: values.iter().map(|v| field(v)).collect(),
            focus: 0,
            touched: values.map(|v| !v.is_empty()),
        }
    }

    fn value(&self, i: usize) -> String {
        self.fields[i].lines().join(" ")
    }
}

/// The problem with field `i`, if it should be shown.
pub fn problem(m: &Model, i: usize) -> Option<String> {
    let target = match i {
        0 => Target::LearnerName,
        1 => Target::LearnerEmail,
        2 => Target::ManagerEmail,
        _ => {
            return (m.scan.manager.name.chars().any(char::is_control))
                .then(|| "A name cannot contain control characters.".into());
        }
    };
    if !m.details.touched[i] && m.details.fields[i].is_empty() {
        return None;
    }
    validate::details(&m.scan)
        .into_iter()
        .find(|p| p.target == target)
        .map(|p| p.message)
}

fn store(m: &mut Model, i: usize, now: DateTime<Utc>) {
    let value = m.details.value(i);
    let detail = Detail::ALL[i.min(Detail::ALL.len() - 1)];
    if m.scan.set_detail(detail, &value, now) {
        m.changed();
    }
}

fn move_focus(m: &mut Model, to: usize) {
    let from = m.details.focus;
    m.details.touched[from] = true;
    m.details.focus = to;
    m.save_soon();
}

/// Keys: Tab/Enter/↓ next field, Shift-Tab/↑ previous; the rest edits.
pub fn key(m: &mut Model, key: KeyEvent, now: DateTime<Utc>) {
    let f = m.details.focus;
    match key.code {
        KeyCode::Tab | KeyCode::Enter | KeyCode::Down => {
            if f == 3 && key.code == KeyCode::Enter {
                m.details.touched[3] = true;
                m.next_screen(true);
            } else {
                move_focus(m, (f + 1) % 4);
            }
        }
        KeyCode::BackTab | KeyCode::Up => move_focus(m, (f + 3) % 4),
        _ => {
            let ta = &mut m.details.fields[f];
            if ta.input(key) {
                if ta.lines().len() > 1 {
                    let joined = ta.lines().join(" ");
                    *ta = field(&joined);
                }
                store(m, f, now);
            }
        }
    }
}

/// A paste goes into the focused field, on one line.
pub fn paste(m: &mut Model, pasted: &str, now: DateTime<Utc>) {
    let f = m.details.focus;
    m.details.fields[f].insert_str(text::sanitize_line(pasted));
    store(m, f, now);
}

fn field_rect(body: Rect, i: usize) -> Rect {
    Rect::new(
        body.x + 1,
        body.y + 3 + 4 * i as u16,
        body.width.saturating_sub(2).min(78),
        3,
    )
}

/// A click focuses a field.
pub fn mouse(m: &mut Model, mouse: MouseEvent, body: Rect) {
    if mouse.kind != MouseEventKind::Down(MouseButton::Left) {
        return;
    }
    let pos = Position::new(mouse.column, mouse.row);
    if let Some(i) = (0..4).find(|&i| field_rect(body, i).contains(pos)) {
        move_focus(m, i);
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
    for (i, label) in LABELS.iter().enumerate() {
        let rect = field_rect(body, i);
        let focused = m.details.focus == i;
        let problem = problem(m, i);
        let mark = match (&problem, m.details.touched[i]) {
            (Some(_), _) => " ✘",
            (None, true) if i < 3 => " ✔",
            _ => "",
        };
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(if focused { t.border_focus } else { t.border })
            .title(Span::styled(
                format!(" {label}{mark} "),
                if focused { t.selected } else { t.muted },
            ));
        let mut ta = m.details.fields[i].clone();
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
