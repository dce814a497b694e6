//! Review: every answer in one table with anything missing marked by a symbol and words, the
//! emails to check, and Submit (only when complete).

use chrono::{DateTime, Utc};
use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::details::{self, Field};
use super::keys::Action;
use super::{Effect, Model, Screen, questions};
use crate::core::standard::{Part, QuestionId, fill_eportfolio};
use crate::core::validate::{self, Target};
use crate::core::{Rating, Scan};
use crate::tui::text;

/// One row of the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Row {
    /// A details field (the name, the email, or the manager's email with their name).
    Detail(details::Field),
    /// A question: its page, its index on the page, its id and label.
    Question {
        /// Page index.
        page: usize,
        /// Index on the page.
        index: usize,
        /// Question id.
        id: QuestionId,
        /// "Duty 3 Skills", "B2".
        label: String,
    },
    /// The Submit button.
    Submit,
}

/// The table's state.
#[derive(Debug, Default)]
pub struct State {
    /// The rows, details first, Submit last.
    pub rows: Vec<Row>,
    /// The selected row.
    pub selected: usize,
    /// Submit was pressed once on a complete scan: the next Enter submits, anything else not.
    pub confirm: bool,
}

impl State {
    /// Rebuilds the rows for the scan (on entering the screen).
    pub fn refresh(&mut self, scan: &Scan) {
        let std = scan.standard();
        let duties = std.duties.len();
        let mut rows: Vec<Row> = [Field::LearnerName, Field::LearnerEmail, Field::ManagerEmail]
            .into_iter()
            .map(Row::Detail)
            .collect();
        let mut last: Option<Part> = None;
        let mut index = 0;
        for l in std.questions() {
            index = if last == Some(l.part) { index + 1 } else { 0 };
            last = Some(l.part);
            let (page, label) = match l.part {
                Part::Duty(n) => (
                    std.duties.iter().position(|d| d.number == n).unwrap_or(0),
                    format!("Duty {n} {}", l.question.kind.label()),
                ),
                Part::Behaviours => (duties, format!("Behaviour {}", l.question.ksbs.join(" "))),
            };
            rows.push(Row::Question {
                page,
                index,
                id: l.question.id.clone(),
                label,
            });
        }
        rows.push(Row::Submit);
        self.confirm = false;
        self.selected = self.selected.min(rows.len() - 1);
        self.rows = rows;
    }
}

/// Rows above the table: the heading, the "check the emails" text (two lines) and the two emails.
const INTRO: u16 = 5;

fn table_area(body: Rect) -> Rect {
    Rect::new(
        body.x,
        body.y + INTRO,
        body.width,
        body.height.saturating_sub(INTRO),
    )
}

fn offset(selected: usize, visible: usize) -> usize {
    (selected + 1).saturating_sub(visible)
}

/// Enter on a row: to the detail or question to fix, or Submit.
fn activate(m: &mut Model, now: DateTime<Utc>) -> Vec<Effect> {
    match m.review.rows.get(m.review.selected).cloned() {
        Some(Row::Detail(i)) => {
            let effects = m.go(Screen::Details);
            m.details.focus = i;
            m.back_to_review = true;
            m.notice = Some("PgDn returns to the review.".into());
            effects
        }
        Some(Row::Question {
            page, index, id, ..
        }) => {
            let effects = m.go(Screen::Page(page));
            m.page.focus = if m.scan.rating(&id).is_some_and(Rating::needs_justification) {
                questions::Focus::Answer(index)
            } else {
                questions::Focus::Rating(index)
            };
            m.page.restyle(&m.scan, &m.theme);
            m.back_to_review = true;
            m.notice = Some("PgDn returns to the review.".into());
            effects
        }
        // One confirmation only: with answers that may identify someone, the guard's question
        // (in `submit`) is the one asked; otherwise "Sure?".
        Some(Row::Submit)
            if m.review.confirm
                || !validate::scan(&m.scan).is_empty()
                || !m.guard.flagged.is_empty() =>
        {
            m.review.confirm = false;
            submit(m, now)
        }
        Some(Row::Submit) => {
            m.review.confirm = true;
            m.notice = Some("Sure? Enter again submits; Esc: not yet.".into());
            Vec::new()
        }
        None => Vec::new(),
    }
}

/// Submits if complete (the loop saves, then sends); otherwise says what is left and selects
/// the first problem.
pub fn submit(m: &mut Model, now: DateTime<Utc>) -> Vec<Effect> {
    if !super::guard::ready_to_submit(m) {
        return Vec::new();
    }
    match m.scan.submit(now) {
        Ok(()) => {
            m.changed();
            m.screen = Screen::Sending;
            m.notice = None;
            vec![Effect::Save, Effect::Send]
        }
        Err(issues) => {
            m.notice = Some(format!(
                "⚠ {} thing{} to fix first (marked ⚠).",
                issues.len(),
                if issues.len() == 1 { "" } else { "s" }
            ));
            if let Some(first) = issues.first() {
                let at = m.review.rows.iter().position(|r| match (r, &first.target) {
                    (Row::Detail(field), target) => field.target().as_ref() == Some(target),
                    (Row::Question { id, .. }, Target::Question(q)) => id == q,
                    _ => false,
                });
                m.review.selected = at.unwrap_or(0);
            }
            Vec::new()
        }
    }
}

/// Keys: ↑↓ choose, Enter fixes or submits.
pub fn key(m: &mut Model, action: Option<Action>, now: DateTime<Utc>) -> Vec<Effect> {
    let last = m.review.rows.len().saturating_sub(1);
    // Any other key (Esc, say) is "not yet" to the confirmation.
    if action != Some(Action::Enter) && m.review.confirm {
        m.review.confirm = false;
        m.notice = None;
    }
    let s = &mut m.review.selected;
    match action {
        Some(Action::Up | Action::PreviousField) => *s = s.saturating_sub(1),
        Some(Action::Down | Action::NextField) => *s = (*s + 1).min(last),
        Some(Action::First) => *s = 0,
        Some(Action::Last) => *s = last,
        Some(Action::Enter) => return activate(m, now),
        _ => {}
    }
    Vec::new()
}

/// A click selects and opens a row; the wheel moves the selection.
pub fn mouse(m: &mut Model, mouse: MouseEvent, body: Rect, now: DateTime<Utc>) -> Vec<Effect> {
    let area = table_area(body);
    let last = m.review.rows.len().saturating_sub(1);
    match mouse.kind {
        MouseEventKind::Down(MouseButton::Left) => {
            let inner_top = area.y + 1;
            if area.contains(Position::new(mouse.column, mouse.row)) && mouse.row >= inner_top {
                let visible = area.height.saturating_sub(2) as usize;
                let row = offset(m.review.selected, visible) + (mouse.row - inner_top) as usize;
                if row <= last {
                    m.review.selected = row;
                    return activate(m, now);
                }
            }
        }
        MouseEventKind::ScrollDown => m.review.selected = (m.review.selected + 3).min(last),
        MouseEventKind::ScrollUp => m.review.selected = m.review.selected.saturating_sub(3),
        _ => {}
    }
    Vec::new()
}

fn detail(scan: &Scan, field: Field) -> (String, String, Option<String>) {
    let issues = validate::details(scan);
    let (label, value, target) = match field {
        Field::LearnerName | Field::LearnerEmail => {
            (field.label(), field.value(scan).to_string(), field.target())
        }
        Field::ManagerEmail | Field::ManagerName => {
            let name = scan.manager.name.trim();
            let v = if name.is_empty() {
                scan.manager.email.clone()
            } else {
                format!("{} ({name})", scan.manager.email)
            };
            ("Manager's email", v, Some(Target::ManagerEmail))
        }
    };
    let problem = issues
        .into_iter()
        .find(|p| target.as_ref() == Some(&p.target))
        .map(|p| p.message);
    (label.to_string(), text::sanitize_line(&value), problem)
}

fn ready(scan: &Scan) -> String {
    match validate::scan(scan).len() {
        0 => " ✔ Everything answered: End, then Enter to submit ".into(),
        1 => " ⚠ 1 thing to fix before submitting ".into(),
        n => format!(" ⚠ {n} things to fix before submitting "),
    }
}

/// The lines above the table: the heading, the "check the emails" text and the two emails.
fn intro(m: &Model, body: Rect) -> Vec<Line<'static>> {
    let t = &m.theme;
    let scan = &m.scan;
    let check = fill_eportfolio(scan.standard().form.check_emails.trim(), &m.eportfolio);
    let mut intro = vec![Line::styled(" Review your answers", t.title)];
    let width = body.width.saturating_sub(2) as usize;
    intro.extend(
        text::wrap(&text::sanitize_line(&check), width)
            .into_iter()
            .take(2)
            .map(|l| Line::raw(format!(" {l}"))),
    );
    for (label, email) in [
        ("Your email:", &scan.learner.email),
        ("Your manager's email:", &scan.manager.email),
    ] {
        let email = text::sanitize_line(email);
        let email = if email.trim().is_empty() {
            "(not given yet)".to_string()
        } else {
            email
        };
        intro.push(Line::raw(text::truncate(
            &format!(" {label:<22} {email}"),
            body.width as usize,
        )));
    }
    intro
}

/// One row's text, and whether it shows a problem.
fn row_text(m: &Model, row: &Row, w: usize) -> (String, bool) {
    let scan = &m.scan;
    match row {
        Row::Detail(i) => {
            let (label, value, problem) = detail(scan, *i);
            let tail = problem.clone().map_or(value, |p| format!("⚠ {p}"));
            (format!(" {label:<18} {tail}"), problem.is_some())
        }
        Row::Question { id, label, .. } => {
            let q = scan.standard().question(id).map(|l| l.question);
            let issue = q.and_then(|q| validate::answer(q, scan.answer(id)));
            let rating = scan.rating(id).map_or("—       ".to_string(), |r| {
                format!("{} {:<5}", r.symbol(), r.label())
            });
            let warned = super::guard::flagged(m, id);
            let tail = match (&issue, warned) {
                (Some(i), _) => format!("⚠ {}", i.message),
                (None, Some(kinds)) => format!(
                    "⚠ may identify someone: {}",
                    crate::core::guard::describe(kinds)
                ),
                (None, None) => text::first_line(
                    scan.answer(id).map_or("", |a| a.text.as_str()),
                    w.saturating_sub(30),
                ),
            };
            (
                format!(" {label:<18} {rating} {tail}"),
                issue.is_some() || warned.is_some(),
            )
        }
        Row::Submit => {
            let n = validate::scan(scan).len();
            let s = if n == 0 && m.review.confirm {
                " [ Submit now? Enter: yes, submit · Esc: not yet ]  your answers become final"
                    .to_string()
            } else if n == 0 {
                super::guard::submit_row(m).unwrap_or_else(|| {
                    " [ Submit your scan ]  ✔ everything is answered".to_string()
                })
            } else {
                format!(
                    " [ Submit your scan ]  ⚠ {n} thing{} still to fix",
                    if n == 1 { "" } else { "s" }
                )
            };
            (s, n > 0)
        }
    }
}

/// Draws the review.
#[allow(clippy::many_single_char_names)]
pub fn view(m: &Model, f: &mut Frame, body: Rect) {
    let t = &m.theme;
    let scan = &m.scan;
    let intro = intro(m, body);
    f.render_widget(Paragraph::new(intro), body);
    let area = table_area(body);
    let visible = area.height.saturating_sub(2) as usize;
    let top = offset(m.review.selected, visible);
    let w = area.width.saturating_sub(2) as usize;
    let mut lines = Vec::new();
    for (n, row) in m.review.rows.iter().enumerate().skip(top).take(visible) {
        let selected = n == m.review.selected;
        let (line, problem) = row_text(m, row, w);
        let line = text::truncate(&line, w);
        let style = if selected {
            t.focus
        } else if problem {
            t.error
        } else {
            ratatui::style::Style::default()
        };
        lines.push(Line::from(Span::styled(format!("{line:<w$}"), style)));
    }
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(t.border)
        .title(" Question           Answer  What you wrote ")
        .title_bottom(format!(
            " {} of {} ",
            m.review.selected + 1,
            m.review.rows.len()
        ))
        .title_bottom(Line::styled(ready(scan), t.selected).right_aligned());
    f.render_widget(Paragraph::new(lines).block(block), area);
}
