//! The resume offer: "Resume Sam's scan — 12 of 25 answered, last saved 2 days ago — or start a
//! new one".

use std::path::PathBuf;

use crossterm::event::{KeyCode, KeyEvent, MouseButton, MouseEvent, MouseEventKind};
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::{Effect, Model, Screen};
use crate::core::{Scan, validate};
use crate::tui::text;

/// The offer's state.
#[derive(Debug, Default)]
pub struct State {
    /// The offered scan's file.
    pub file: Option<PathBuf>,
    /// 0 = resume, 1 = start new.
    pub choice: usize,
    /// Why resuming failed (e.g. open in another window).
    pub error: Option<String>,
}

pub use crate::core::text::ago;

/// The first screen with something left to do: details, then the first page with an issue,
/// else the review.
pub fn first_unfinished(scan: &Scan) -> Screen {
    if !validate::details(scan).is_empty() {
        return Screen::Details;
    }
    let std = scan.standard();
    for (i, d) in std.duties.iter().enumerate() {
        if d.questions
            .iter()
            .any(|q| validate::answer(q, scan.answer(&q.id)).is_some())
        {
            return Screen::Page(i);
        }
    }
    if std
        .behaviours
        .iter()
        .any(|q| validate::answer(q, scan.answer(&q.id)).is_some())
    {
        return Screen::Page(std.duties.len());
    }
    Screen::Review
}

fn whose(scan: &Scan) -> String {
    let name = text::sanitize_line(scan.learner.name.trim());
    if name.is_empty() {
        "your unfinished scan".into()
    } else {
        format!("{}'s scan", text::truncate(&name, 30))
    }
}

fn choose(m: &mut Model, choice: usize) {
    m.resume.choice = choice;
    m.resume.error = None;
    m.effects.push(if choice == 0 {
        Effect::Resume
    } else {
        Effect::StartNew
    });
}

/// Keys on the offer.
pub fn key(m: &mut Model, key: KeyEvent) {
    match key.code {
        KeyCode::Left | KeyCode::Up | KeyCode::BackTab => m.resume.choice = 0,
        KeyCode::Right | KeyCode::Down | KeyCode::Tab => m.resume.choice = 1,
        KeyCode::Char('r') => choose(m, 0),
        KeyCode::Char('n') => choose(m, 1),
        KeyCode::Enter => choose(m, m.resume.choice),
        _ => {}
    }
}

fn buttons(body: Rect) -> [Rect; 2] {
    let y = body.y + 8;
    [
        Rect::new(body.x + 4, y, 34, 1),
        Rect::new(body.x + 42, y, 30, 1),
    ]
}

/// Clicks on the two buttons.
pub fn mouse(m: &mut Model, mouse: MouseEvent, body: Rect) {
    if mouse.kind != MouseEventKind::Down(MouseButton::Left) {
        return;
    }
    let pos = Position::new(mouse.column, mouse.row);
    for (i, r) in buttons(body).iter().enumerate() {
        if r.contains(pos) {
            choose(m, i);
        }
    }
}

/// Draws the offer.
pub fn view(m: &Model, f: &mut Frame, body: Rect) {
    let t = &m.theme;
    let scan = &m.scan;
    let saved = ago(scan.updated, m.started);
    let lines = vec![
        Line::raw(""),
        Line::styled(format!("  Welcome back. Resume {}?", whose(scan)), t.title),
        Line::raw(""),
        Line::raw(format!(
            "  {} of {} questions answered, last saved {saved}.",
            scan.answered_count(),
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
    if let Some(file) = &m.resume.file {
        let where_ = format!(
            "  File: {}",
            text::sanitize_line(&file.display().to_string())
        );
        f.render_widget(
            Paragraph::new(Span::styled(where_, t.muted)).wrap(Wrap { trim: false }),
            Rect::new(body.x, body.y + 10, body.width, 2),
        );
    }
    if let Some(err) = &m.resume.error {
        f.render_widget(
            Paragraph::new(Span::styled(
                format!("  ⚠ {}", text::sanitize_line(err)),
                t.error,
            ))
            .wrap(Wrap { trim: false }),
            Rect::new(
                body.x,
                body.y + 13,
                body.width,
                body.height.saturating_sub(13),
            ),
        );
    }
}
