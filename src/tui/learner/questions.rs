//! A page of questions: one duty ("Duty 3 of 10", its Skills and Knowledge questions) or the
//! behaviours (B1–B5). The focused question is open (text, KSB codes, rating, answer box); the
//! others show one line each.

use crate::tui::field::TextField;
use chrono::{DateTime, Utc};
use crossterm::event::{KeyEvent, MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Position, Rect};
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders};

mod draw;

pub use draw::{ksbs, view};

use super::keys::Action;
use super::{Effect, Model, Overlay};
use crate::core::draft::{Answering, Draft};
use crate::core::standard::Question;
use crate::core::{Rating, Scan, validate};
use crate::tui::text::{self, Wrapped};
use crate::tui::theme::Theme;

/// What has the focus on a page: a question's rating, its answer box, or the page's Next button
/// (Tab from the last field goes there, never back to the top).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    /// Question `i`'s Yes / Some / No.
    Rating(usize),
    /// Question `i`'s answer box.
    Answer(usize),
    /// The page's Next button.
    Next,
}

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
    /// What has the focus.
    pub focus: Focus,
    /// The last rating changed on this page that replaced another: (question, the old rating),
    /// so `u` can put it back.
    pub undo: Option<(usize, Rating)>,
    /// One answer box per question.
    pub boxes: Vec<TextField>,
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
            .map(|q| TextField::many_lines(scan.answer(&q.id).map_or("", |a| a.text.as_str())))
            .collect();
        Self {
            page,
            heading: Wrapped::new(&heading),
            texts: questions.iter().map(|q| Wrapped::new(&q.text)).collect(),
            questions,
            focus: Focus::Rating(0),
            undo: None,
            boxes,
            text_scroll: 0,
            width: 0,
        }
    }

    /// Whether keys go to an answer box.
    pub fn in_box(&self) -> bool {
        matches!(self.focus, Focus::Answer(_))
    }

    /// Whether the page's Next button has the focus (after the last field).
    pub fn on_buttons(&self) -> bool {
        self.focus == Focus::Next
    }

    /// The open question's index (the last one while the buttons have the focus).
    pub fn open(&self) -> usize {
        self.slot(self.focus)
            .min(self.questions.len().saturating_sub(1))
    }

    /// The question a focus belongs to (the Next button counts as one past the last).
    fn slot(&self, focus: Focus) -> usize {
        match focus {
            Focus::Rating(i) | Focus::Answer(i) => i,
            Focus::Next => self.questions.len(),
        }
    }

    /// The field after `focus` in Tab order (the Next button after the last answer box, and
    /// the Next button stays).
    fn after(&self, focus: Focus) -> Focus {
        match focus {
            Focus::Rating(i) => Focus::Answer(i),
            Focus::Answer(i) if i + 1 < self.questions.len() => Focus::Rating(i + 1),
            Focus::Answer(_) | Focus::Next => Focus::Next,
        }
    }

    /// The field before `focus` in Tab order (the first rating stays).
    fn before(&self, focus: Focus) -> Focus {
        match focus {
            Focus::Rating(0) => Focus::Rating(0),
            Focus::Rating(i) => Focus::Answer(i - 1),
            Focus::Answer(i) => Focus::Rating(i),
            Focus::Next => Focus::Answer(self.questions.len().saturating_sub(1)),
        }
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
            let focused = self.focus == Focus::Answer(i);
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
            let ta = self.boxes[i].widget_mut();
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
        self.boxes[i] = TextField::many_lines(&clean);
        scan.set_text(&self.questions[i].id, &clean, now);
    }
}

fn sync(m: &mut Model, i: usize, now: DateTime<Utc>) {
    let value = m.page.boxes[i].text();
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
fn rate(
    m: &mut Model,
    i: usize,
    rating: Rating,
    into_box: bool,
    now: DateTime<Utc>,
) -> Vec<Effect> {
    let id = m.page.questions[i].id.clone();
    let old = m.scan.rating(&id);
    let mut effects = Vec::new();
    if old != Some(rating) {
        m.scan.set_rating(&id, Some(rating), now);
        m.changed();
        effects = m.save_soon();
    }
    let empty = m.scan.answer(&id).is_none_or(|a| a.text.trim().is_empty());
    let needs_text = rating.needs_justification() && empty;
    if rating.needs_justification() && into_box {
        effects.extend(move_to(m, Focus::Answer(i)));
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
    effects
}

/// `u`: puts back the rating the last change replaced.
fn undo(m: &mut Model, now: DateTime<Utc>) -> Vec<Effect> {
    let Some((i, old)) = m.page.undo.take() else {
        m.notice = Some("Nothing to undo.".into());
        return Vec::new();
    };
    let id = m.page.questions[i].id.clone();
    m.scan.set_rating(&id, Some(old), now);
    m.changed();
    m.page.focus = Focus::Rating(i);
    m.notice = Some(format!(
        "{}: back to {}.",
        m.page.questions[i].kind.label(),
        old.label()
    ));
    m.save_soon()
}

/// Moves the focus (at most to the Next button: it never wraps back to the top, where the next
/// rating key would overwrite an answer). Moving on clears the last notice; leaving a box saves.
fn move_to(m: &mut Model, focus: Focus) -> Vec<Effect> {
    let focus = match focus {
        Focus::Rating(i) | Focus::Answer(i) if i >= m.page.questions.len() => Focus::Next,
        f => f,
    };
    if m.page.slot(focus) != m.page.slot(m.page.focus) {
        m.page.text_scroll = 0;
    }
    let effects = if m.page.in_box() {
        m.save_soon()
    } else {
        Vec::new()
    };
    if focus != m.page.focus {
        m.notice = None;
    }
    m.page.focus = focus;
    effects
}

/// Tab from a rating: into the box, except after No (its text is optional: Enter opens it), so
/// "n, Tab, n" answers the next question instead of typing an "n".
fn tab_from_rating(m: &mut Model) -> Vec<Effect> {
    let i = m.page.open();
    if m.scan.rating(&m.page.questions[i].id) == Some(Rating::No) {
        move_to(m, m.page.after(Focus::Answer(i)))
    } else {
        move_to(m, Focus::Answer(i))
    }
}

/// Keys on a page of questions.
pub fn key(
    m: &mut Model,
    key: KeyEvent,
    action: Option<Action>,
    now: DateTime<Utc>,
) -> Vec<Effect> {
    let i = m.page.open();
    let (after, before) = (m.page.after(m.page.focus), m.page.before(m.page.focus));
    let effects = if action == Some(Action::Ksbs) {
        m.overlay = Some(Overlay::Ksbs);
        Vec::new()
    } else if m.page.on_buttons() {
        match action {
            Some(Action::Enter) => m.next_screen(true),
            Some(Action::PreviousField | Action::Up | Action::Back) => move_to(m, before),
            Some(Action::UndoRating) => undo(m, now),
            _ => Vec::new(),
        }
    } else if m.page.in_box() {
        match action {
            Some(Action::NextField) => move_to(m, after),
            Some(Action::PreviousField | Action::Back) => move_to(m, before),
            Some(Action::OpenEditor) => vec![Effect::OpenEditor(m.page.boxes[i].text())],
            _ => {
                if m.page.boxes[i].input(key) {
                    sync(m, i, now);
                }
                Vec::new()
            }
        }
    } else {
        rating_key(m, action, now)
    };
    clamp_scroll(m);
    m.page.restyle(&m.scan, &m.theme);
    effects
}

/// Keys while a question's rating has the focus.
fn rating_key(m: &mut Model, action: Option<Action>, now: DateTime<Utc>) -> Vec<Effect> {
    let i = m.page.open();
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
    match action {
        Some(Action::Rate(r)) => rate(m, i, r, true, now),
        Some(Action::RatingLeft) => rate(m, i, pick(current, -1), false, now),
        Some(Action::RatingRight) => rate(m, i, pick(current, 1), false, now),
        Some(Action::Down) => {
            m.page.text_scroll += 1;
            Vec::new()
        }
        Some(Action::Up) => {
            m.page.text_scroll = m.page.text_scroll.saturating_sub(1);
            Vec::new()
        }
        Some(Action::Enter) => move_to(m, m.page.after(m.page.focus)),
        Some(Action::NextField) => tab_from_rating(m),
        Some(Action::PreviousField) => move_to(m, m.page.before(m.page.focus)),
        Some(Action::UndoRating) => undo(m, now),
        _ => Vec::new(),
    }
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
    m.page.focus = Focus::Answer(i);
    m.page.boxes[i].paste(pasted);
    sync(m, i, now);
    m.page.restyle(&m.scan, &m.theme);
}

/// Clicks on a closed question, a rating or the box; the wheel scrolls the text or the box.
pub fn mouse(m: &mut Model, mouse: MouseEvent, body: Rect, now: DateTime<Utc>) -> Vec<Effect> {
    let a = m.page.areas(body);
    let pos = Position::new(mouse.column, mouse.row);
    let i = m.page.open();
    let mut effects = Vec::new();
    match mouse.kind {
        MouseEventKind::Down(MouseButton::Left) => {
            if let Some((q, _)) = a.rows.iter().find(|(_, r)| r.contains(pos)) {
                effects = move_to(m, Focus::Rating(*q));
            } else if let Some(c) = a.choices.iter().position(|r| r.contains(pos)) {
                effects = move_to(m, Focus::Rating(i));
                effects.extend(rate(m, i, Rating::ALL[c], true, now));
            } else if a.answer.contains(pos) {
                effects = move_to(m, Focus::Answer(i));
            }
        }
        MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => {
            let down = mouse.kind == MouseEventKind::ScrollDown;
            if a.answer.contains(pos) {
                m.page.boxes[i]
                    .widget_mut()
                    .scroll((if down { 3 } else { -3 }, 0));
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
    effects
}
