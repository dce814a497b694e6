//! The resume offer: "Resume Sam's scan — 12 of 25 answered, last saved 2 days ago — or start a
//! new one"; with several unfinished scans (a shared computer), a list to choose from.

use std::path::PathBuf;

use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::keys::Action;
use super::{Effect, Model};
use crate::core::{Scan, validate};
use crate::launch::Unfinished;
use crate::tui::text;
use ratatui::style::Style;

/// The offer's state.
#[derive(Debug, Default)]
pub struct State {
    /// The offered scans' files (the first is the one in [`Model::scan`]); with more than one,
    /// the learner picks from a list.
    pub files: Vec<PathBuf>,
    /// The other unfinished scans, for the list (empty with a single offer).
    pub scans: Vec<Unfinished>,
    /// With one scan: 0 = resume, 1 = start new. With a list: the scan's index, or the number
    /// of scans for "start a new scan".
    pub choice: usize,
    /// Why resuming failed (e.g. open in another window).
    pub error: Option<String>,
}

impl State {
    /// How many choices there are (each scan, then "start a new scan").
    fn count(&self) -> usize {
        self.files.len().max(1) + 1
    }

    /// Whether the learner picks from a list of several scans.
    pub fn is_list(&self) -> bool {
        self.scans.len() > 1
    }
}

pub use crate::core::text::ago;

fn whose(scan: &Scan) -> String {
    let name = text::sanitize_line(scan.learner.name.trim());
    if name.is_empty() {
        "your unfinished scan".into()
    } else {
        format!("{}'s scan", text::truncate(&name, 30))
    }
}

/// Chooses a scan (or, the last choice, a new one): the loop opens it.
fn choose(m: &mut Model, choice: usize) -> Vec<Effect> {
    let count = m.resume.count();
    m.resume.choice = choice.min(count - 1);
    m.resume.error = None;
    vec![if m.resume.choice + 1 == count {
        Effect::StartNew
    } else {
        Effect::Resume(m.resume.choice)
    }]
}

/// Keys on the offer (its own from [`keys::RESUME`](super::keys::RESUME): r, n, 1-9).
pub fn key(m: &mut Model, action: Option<Action>) -> Vec<Effect> {
    let last = m.resume.count() - 1;
    let c = m.resume.choice;
    let several = m.resume.is_list();
    match action {
        Some(Action::RatingLeft | Action::Up | Action::PreviousField) => {
            m.resume.choice = c.saturating_sub(1);
        }
        Some(Action::RatingRight | Action::Down | Action::NextField) => {
            m.resume.choice = (c + 1).min(last);
        }
        Some(Action::First) => m.resume.choice = 0,
        Some(Action::Last) => m.resume.choice = last,
        Some(Action::ResumeScan) if !several => return choose(m, 0),
        Some(Action::ResumeScan) if c < last => return choose(m, c),
        Some(Action::StartNew) => return choose(m, last),
        Some(Action::Pick(n)) if several && (1..=last).contains(&usize::from(n)) => {
            return choose(m, usize::from(n) - 1);
        }
        Some(Action::Enter) => return choose(m, c),
        _ => {}
    }
    Vec::new()
}

fn buttons(body: Rect) -> [Rect; 2] {
    let y = body.y + 8;
    [
        Rect::new(body.x + 4, y, 34, 1),
        Rect::new(body.x + 42, y, 30, 1),
    ]
}

/// The list's rows (one per scan, then "start a new scan").
fn list_rows(m: &Model, body: Rect) -> Vec<Rect> {
    (0..m.resume.count())
        .map(|i| {
            Rect::new(
                body.x + 2,
                body.y + 4 + i as u16,
                body.width.saturating_sub(4),
                1,
            )
        })
        .take_while(|r| r.y + 1 < body.y + body.height)
        .collect()
}

/// Clicks on the buttons or the list.
pub fn mouse(m: &mut Model, mouse: MouseEvent, body: Rect) -> Vec<Effect> {
    if mouse.kind != MouseEventKind::Down(MouseButton::Left) {
        return Vec::new();
    }
    let pos = Position::new(mouse.column, mouse.row);
    let rects: Vec<Rect> = if m.resume.is_list() {
        list_rows(m, body)
    } else {
        buttons(body).to_vec()
    };
    match rects.iter().position(|r| r.contains(pos)) {
        Some(i) => choose(m, i),
        None => Vec::new(),
    }
}

/// Draws the offer.
pub fn view(m: &Model, f: &mut Frame, body: Rect) {
    if m.resume.is_list() {
        return view_list(m, f, body);
    }
    let t = &m.theme;
    let scan = &m.scan;
    let saved = ago(scan.updated, m.started);
    let lines = vec![
        Line::raw(""),
        Line::styled(format!("  Welcome back. Resume {}?", whose(scan)), t.title),
        Line::raw(""),
        Line::raw(format!(
            "  {} of {} questions answered, last saved {saved}.",
            validate::complete_count(scan),
            scan.question_count()
        )),
        Line::raw(format!(
            "  Started {}. Or start a new scan instead (this one is kept).",
            scan.created.format("%-d %B %Y")
        )),
    ];
    f.render_widget(Paragraph::new(lines), body);
    let labels = [
        format!("[ Resume {} ]", text::truncate(&whose(scan), 22)),
        "[ Start a new scan ]".to_string(),
    ];
    for (i, r) in buttons(body).iter().enumerate() {
        let style = if m.resume.choice == i {
            t.focus
        } else {
            t.selected
        };
        f.render_widget(Paragraph::new(Span::styled(labels[i].clone(), style)), *r);
    }
    if let Some(file) = m.resume.files.first() {
        let where_ = format!(
            "  File: {}",
            text::sanitize_line(&file.display().to_string())
        );
        f.render_widget(
            Paragraph::new(Span::styled(where_, t.muted)).wrap(Wrap { trim: false }),
            Rect::new(body.x, body.y + 10, body.width, 2),
        );
    }
    error(m, f, body, 13);
}

fn error(m: &Model, f: &mut Frame, body: Rect, at: u16) {
    if let Some(err) = &m.resume.error {
        f.render_widget(
            Paragraph::new(Span::styled(
                format!("  ⚠ {}", text::sanitize_line(err)),
                m.theme.error,
            ))
            .wrap(Wrap { trim: false }),
            Rect::new(
                body.x,
                body.y + at,
                body.width,
                body.height.saturating_sub(at),
            ),
        );
    }
}

/// Several unfinished scans: a list to pick from (name, progress, last saved), then "new".
fn view_list(m: &Model, f: &mut Frame, body: Rect) {
    let t = &m.theme;
    let head = vec![
        Line::raw(""),
        Line::styled("  Welcome back. Which scan is yours?", t.title),
        Line::raw("  Choose yours with ↑↓ and Enter, or type its number:"),
    ];
    f.render_widget(Paragraph::new(head).wrap(Wrap { trim: false }), body);
    let rows = list_rows(m, body);
    for (i, r) in rows.iter().enumerate() {
        let label = match m.resume.scans.get(i) {
            Some(u) => format!(
                "{}. {} — {} of {} answered, last saved {}",
                i + 1,
                text::truncate(&crate::launch::whose(&u.scan), 30),
                validate::complete_count(&u.scan),
                u.scan.question_count(),
                ago(u.scan.updated, m.started)
            ),
            None => "   Start a new scan (the others are kept)".to_string(),
        };
        let selected = m.resume.choice == i;
        let line = format!("{} {label}", if selected { "▸" } else { " " });
        let style = if selected { t.focus } else { Style::default() };
        f.render_widget(
            Paragraph::new(Span::styled(text::truncate(&line, r.width as usize), style)),
            *r,
        );
    }
    let below = rows.last().map_or(body.y + 5, |r| r.y + 2);
    if let Some(file) = m.resume.files.get(m.resume.choice) {
        let where_ = format!(
            "  File: {}",
            text::sanitize_line(&file.display().to_string())
        );
        f.render_widget(
            Paragraph::new(Span::styled(where_, t.muted)).wrap(Wrap { trim: false }),
            Rect::new(
                body.x,
                below,
                body.width,
                2.min((body.y + body.height).saturating_sub(below)),
            ),
        );
    }
    error(m, f, body, (below + 3).saturating_sub(body.y));
}
