//! A page of questions: one duty ("Duty 3 of 10", its Skills and Knowledge questions) or the
//! behaviours (B1–B5). The focused question is open (text, KSB codes, rating, answer box); the
//! others show one line each.

use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Position, Rect};
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders};
use ratatui_textarea::{CursorMove, TextArea, WrapMode};

mod draw;

pub use draw::{ksbs, view};

use super::{Effect, Model, Overlay};
use crate::core::draft::{Answering, Draft};
use crate::core::standard::Question;
use crate::core::{Rating, Scan, validate};
use crate::tui::text::{self, Wrapped};
use crate::tui::theme::Theme;

/// The page's state.
pub struct State {
    /// Page index: duties first, then the behaviours.
    pub page: usize,
    /// The page's heading ("Duty 3 of 10: …" or "Behaviours").
    heading: Wrapped,
    /// The questions on this page.
    pub questions: Vec<Question>,
    /// The question texts, wrapped once per width.
    texts: Vec<Wrapped>,
    /// Focus: question `focus / 2`; its rating (even) or its answer box (odd); `2 × questions`
    /// is the page's Next button (Tab from the last field goes there, never back to the top).
    pub focus: usize,
    /// The last rating changed on this page that replaced another: (question, the old rating),
    /// so `u` can put it back.
    pub undo: Option<(usize, Rating)>,
    /// One answer box per question.
    pub boxes: Vec<TextArea<'static>>,
    /// How far the open question's text is scrolled.
    pub text_scroll: usize,
    width: usize,
}

/// Where things are on a page (shared by drawing and mouse handling).
pub struct Areas {
    /// The heading.
    pub heading: Rect,
    /// One row per closed question: (question index, row).
    pub rows: Vec<(usize, Rect)>,
    /// The open question's panel.
    pub panel: Rect,
    /// The question text inside the panel.
    pub text: Rect,
    /// Yes / Some / No.
    pub choices: [Rect; 3],
    /// The answer box.
    pub answer: Rect,
}

impl State {
    /// Page `page` of `scan`, laid out for `width` columns.
    pub fn new(scan: &Scan, page: usize) -> Self {
        let std = scan.standard();
        let (heading, questions) = match std.duties.get(page) {
            Some(d) => (
                format!("Duty {} of {}: {}", d.number, std.duties.len(), d.title),
                d.questions.clone(),
            ),
            None => (
                format!("Behaviours ({} questions)", std.behaviours.len()),
                std.behaviours.clone(),
            ),
        };
        let boxes = questions
            .iter()
            .map(|q| {
                let answer = scan.answer(&q.id).map_or("", |a| a.text.as_str());
                let mut ta = TextArea::new(
                    text::sanitize(answer)
                        .split('\n')
                        .map(String::from)
                        .collect(),
                );
                ta.set_wrap_mode(WrapMode::WordOrGlyph);
                ta.set_cursor_line_style(ratatui::style::Style::default());
                ta.move_cursor(CursorMove::Bottom);
                ta.move_cursor(CursorMove::End);
                ta
            })
            .collect();
        Self {
            page,
            heading: Wrapped::new(&heading),
            texts: questions.iter().map(|q| Wrapped::new(&q.text)).collect(),
            questions,
            focus: 0,
            undo: None,
            boxes,
            text_scroll: 0,
            width: 0,
        }
    }

    /// Whether keys go to an answer box.
    pub fn in_box(&self) -> bool {
        self.focus % 2 == 1
    }

    /// Whether the page's Next button has the focus (after the last field).
    pub fn on_buttons(&self) -> bool {
        self.focus >= self.questions.len() * 2
    }

    /// The open question's index (the last one while the buttons have the focus).
    pub fn open(&self) -> usize {
        (self.focus / 2).min(self.questions.len().saturating_sub(1))
    }

    /// Re-wraps the static texts for `width` columns (on resize and on entering the page).
    pub fn rewrap(&mut self, width: u16) {
        self.width = width as usize;
        let _ = self.heading.lines(self.width.saturating_sub(2));
        for t in &mut self.texts {
            let _ = t.lines(self.width.saturating_sub(4).min(super::READING_WIDTH));
        }
    }

    fn heading_lines(&self) -> &[String] {
        self.heading.cached()
    }

    /// The page's layout in `body`.
    pub fn areas(&self, body: Rect) -> Areas {
        // The whole heading (a duty statement is never cut), leaving the open question room.
        let head_h = (self.heading_lines().len().max(1) as u16).min((body.height / 3).max(1));
        let heading = Rect::new(body.x + 1, body.y, body.width.saturating_sub(2), head_h);
        let n = self.questions.len() as u16;
        let open = self.open();
        let mut y = body.y + head_h + 1;
        let mut rows = Vec::new();
        for i in 0..open {
            rows.push((i, Rect::new(body.x + 1, y, body.width.saturating_sub(2), 1)));
            y += 1;
        }
        let after = n.saturating_sub(open as u16 + 1);
        let panel_h = (body.y + body.height).saturating_sub(y + after);
        let panel = Rect::new(body.x, y, body.width, panel_h);
        for (k, i) in (open + 1..self.questions.len()).enumerate() {
            rows.push((
                i,
                Rect::new(
                    body.x + 1,
                    y + panel_h + k as u16,
                    body.width.saturating_sub(2),
                    1,
                ),
            ));
        }
        let inner = Rect::new(
            panel.x + 1,
            panel.y + 1,
            panel.width.saturating_sub(2),
            panel_h.saturating_sub(2),
        );
        let text_lines = self.texts.get(open).map_or(1, |t| t.cached().len()) as u16;
        let text_h = text_lines.min(inner.height.saturating_sub(1 + 6)).max(1);
        let text = Rect::new(inner.x + 1, inner.y, inner.width.saturating_sub(2), text_h);
        let ry = inner.y + text_h;
        let choices = [
            Rect::new(inner.x + 15, ry, 9, 1),
            Rect::new(inner.x + 26, ry, 10, 1),
            Rect::new(inner.x + 38, ry, 8, 1),
        ];
        let answer = Rect::new(
            inner.x,
            ry + 1,
            inner.width,
            (inner.y + inner.height).saturating_sub(ry + 1),
        );
        Areas {
            heading,
            rows,
            panel,
            text,
            choices,
            answer,
        }
    }

    /// Sets each answer box's frame for the focus, rating and problems.
    pub fn restyle(&mut self, scan: &Scan, theme: &Theme) {
        for (i, q) in self.questions.iter().enumerate() {
            let rating = scan.rating(&q.id);
            let title = match rating {
                Some(r) if r.needs_justification() => "What you already know and/or do (required)",
                Some(_) => "Anything you would like to develop (optional)",
                None => "Your answer (choose Yes, Some or No first)",
            };
            let focused = self.focus == i * 2 + 1;
            let mut block = Block::default()
                .borders(Borders::ALL)
                .border_style(if focused {
                    theme.border_focus
                } else {
                    theme.border
                })
                .title(Span::styled(
                    format!(" {title} "),
                    if focused { theme.selected } else { theme.muted },
                ));
            if let (Some(_), Some(issue)) = (rating, validate::answer(q, scan.answer(&q.id))) {
                {
                    block = block
                        .title_bottom(Span::styled(format!(" ⚠ {} ", issue.message), theme.error));
                }
            }
            let ta = &mut self.boxes[i];
            ta.set_block(block);
            ta.set_cursor_style(if focused {
                theme.focus
            } else {
                ratatui::style::Style::default()
            });
        }
    }

    /// Puts text from the external editor into the open question's box.
    pub fn replace_text(&mut self, scan: &mut Draft<Answering>, new: &str, now: DateTime<Utc>) {
        let i = self.open();
        let clean = text::sanitize(new.trim_end_matches('\n')).into_owned();
        let mut ta = TextArea::new(clean.split('\n').map(String::from).collect());
        ta.set_wrap_mode(WrapMode::WordOrGlyph);
        ta.set_cursor_line_style(ratatui::style::Style::default());
        ta.move_cursor(CursorMove::Bottom);
        ta.move_cursor(CursorMove::End);
        self.boxes[i] = ta;
        scan.set_text(&self.questions[i].id, &clean, now);
    }
}

fn sync(m: &mut Model, i: usize, now: DateTime<Utc>) {
    let value = m.page.boxes[i].lines().join("\n");
    let id = &m.page.questions[i].id;
    if m.scan.answer(id).is_none_or(|a| a.text != value) {
        m.scan.set_text(id, &value, now);
        m.changed();
    }
}

/// Sets a rating. With `into_box` (a y/s key or a click, not the arrows that browse the choices),
/// a Yes or Some moves into the box, so what is typed next is the answer (and not, say, an `n`
/// that would change the rating to No) — also when the box already holds text. A rating that
/// replaces another says so and can be undone with `u`.
fn rate(m: &mut Model, i: usize, rating: Rating, into_box: bool, now: DateTime<Utc>) {
    let id = m.page.questions[i].id.clone();
    let old = m.scan.rating(&id);
    if old != Some(rating) {
        m.scan.set_rating(&id, Some(rating), now);
        m.changed();
        m.save_soon();
    }
    let empty = m.scan.answer(&id).is_none_or(|a| a.text.trim().is_empty());
    let needs_text = rating.needs_justification() && empty;
    if rating.needs_justification() && into_box {
        move_to(m, i * 2 + 1);
    }
    m.notice = needs_text.then(|| {
        if into_box {
            format!("{}: now write what you know and/or do.", rating.label())
        } else {
            format!("{}: press Enter, then write what you do.", rating.label())
        }
    });
    if let Some(old) = old.filter(|o| *o != rating) {
        m.page.undo = Some((i, old));
        m.notice = Some(format!(
            "{} changed: {} → {}. Press u to undo.",
            m.page.questions[i].kind.label(),
            old.label(),
            rating.label()
        ));
    }
}

/// `u`: puts back the rating the last change replaced.
fn undo(m: &mut Model, now: DateTime<Utc>) {
    let Some((i, old)) = m.page.undo.take() else {
        m.notice = Some("Nothing to undo.".into());
        return;
    };
    let id = m.page.questions[i].id.clone();
    m.scan.set_rating(&id, Some(old), now);
    m.changed();
    m.save_soon();
    m.page.focus = i * 2;
    m.notice = Some(format!(
        "{}: back to {}.",
        m.page.questions[i].kind.label(),
        old.label()
    ));
}

/// Moves the focus (at most to the Next button: it never wraps back to the top, where the next
/// rating key would overwrite an answer). Moving on clears the last notice.
fn move_to(m: &mut Model, focus: usize) {
    let n = m.page.questions.len() * 2;
    let focus = focus.min(n);
    if focus / 2 != m.page.focus / 2 {
        m.page.text_scroll = 0;
    }
    if m.page.in_box() {
        m.save_soon();
    }
    if focus != m.page.focus {
        m.notice = None;
    }
    m.page.focus = focus;
}

/// Tab from a rating: into the box, except after No (its text is optional: Enter opens it), so
/// "n, Tab, n" answers the next question instead of typing an "n".
fn tab_from_rating(m: &mut Model) {
    let i = m.page.open();
    if m.scan.rating(&m.page.questions[i].id) == Some(Rating::No) {
        move_to(m, i * 2 + 2);
    } else {
        move_to(m, i * 2 + 1);
    }
}

/// Keys on a page of questions.
pub fn key(m: &mut Model, key: KeyEvent, now: DateTime<Utc>) {
    let n = m.page.questions.len() * 2;
    let i = m.page.open();
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    if key.code == KeyCode::F(2) {
        m.overlay = Some(Overlay::Ksbs);
    } else if m.page.on_buttons() {
        match key.code {
            KeyCode::Enter => m.next_screen(true),
            KeyCode::BackTab | KeyCode::Up | KeyCode::Esc => move_to(m, n - 1),
            KeyCode::Char('u') if !ctrl => undo(m, now),
            _ => {}
        }
    } else if m.page.in_box() {
        match key.code {
            KeyCode::Tab => move_to(m, m.page.focus + 1),
            KeyCode::BackTab | KeyCode::Esc => move_to(m, m.page.focus - 1),
            KeyCode::Char('o') if ctrl => {
                let current = m.page.boxes[i].lines().join("\n");
                m.effects.push(Effect::OpenEditor(current));
            }
            _ => {
                if m.page.boxes[i].input(key) {
                    sync(m, i, now);
                }
            }
        }
    } else {
        let current = m.scan.rating(&m.page.questions[i].id);
        let pick = |r: Option<Rating>, step: isize| {
            let pos = r.map_or(if step > 0 { -1 } else { 3 }, |r| {
                Rating::ALL
                    .iter()
                    .position(|x| *x == r)
                    .map_or(0, usize::cast_signed)
            });
            Rating::ALL[(pos + step).rem_euclid(3) as usize]
        };
        match key.code {
            KeyCode::Char(c) if !ctrl && Rating::parse(&c.to_string()).is_some() => {
                if let Some(r) = Rating::parse(&c.to_string()) {
                    rate(m, i, r, true, now);
                }
            }
            KeyCode::Left => rate(m, i, pick(current, -1), false, now),
            KeyCode::Right => rate(m, i, pick(current, 1), false, now),
            KeyCode::Down => m.page.text_scroll += 1,
            KeyCode::Up => m.page.text_scroll = m.page.text_scroll.saturating_sub(1),
            KeyCode::Enter => move_to(m, m.page.focus + 1),
            KeyCode::Tab => tab_from_rating(m),
            KeyCode::BackTab => move_to(m, m.page.focus.saturating_sub(1)),
            KeyCode::Char('k') => m.overlay = Some(Overlay::Ksbs),
            KeyCode::Char('u') if !ctrl => undo(m, now),
            _ => {}
        }
    }
    clamp_scroll(m);
    m.page.restyle(&m.scan, &m.theme);
}

fn clamp_scroll(m: &mut Model) {
    let body = super::chrome::body(m.area());
    let a = m.page.areas(body);
    let lines = m.page.texts[m.page.open()].cached().len();
    m.page.text_scroll = m
        .page
        .text_scroll
        .min(lines.saturating_sub(a.text.height as usize));
}

/// A paste goes into the open question's box (moving into it if needed).
pub fn paste(m: &mut Model, pasted: &str, now: DateTime<Utc>) {
    let i = m.page.open();
    m.page.focus = i * 2 + 1;
    m.page.boxes[i].insert_str(text::sanitize(pasted));
    sync(m, i, now);
    m.page.restyle(&m.scan, &m.theme);
}

/// Clicks on a closed question, a rating or the box; the wheel scrolls the text or the box.
pub fn mouse(m: &mut Model, mouse: MouseEvent, body: Rect, now: DateTime<Utc>) {
    let a = m.page.areas(body);
    let pos = Position::new(mouse.column, mouse.row);
    let i = m.page.open();
    match mouse.kind {
        MouseEventKind::Down(MouseButton::Left) => {
            if let Some((q, _)) = a.rows.iter().find(|(_, r)| r.contains(pos)) {
                move_to(m, q * 2);
            } else if let Some(c) = a.choices.iter().position(|r| r.contains(pos)) {
                move_to(m, i * 2);
                rate(m, i, Rating::ALL[c], true, now);
            } else if a.answer.contains(pos) {
                move_to(m, i * 2 + 1);
            }
        }
        MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => {
            let down = mouse.kind == MouseEventKind::ScrollDown;
            if a.answer.contains(pos) {
                m.page.boxes[i].scroll((if down { 3 } else { -3 }, 0));
            } else if down {
                m.page.text_scroll += 3;
            } else {
                m.page.text_scroll = m.page.text_scroll.saturating_sub(3);
            }
        }
        _ => {}
    }
    clamp_scroll(m);
    m.page.restyle(&m.scan, &m.theme);
}
