//! Welcome: the standard's title and occupation summary, how the scan works (from the form's
//! baseline and instructions, e-portfolio filled in) and the confidentiality reminder.

use crossterm::event::{MouseEvent, MouseEventKind};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph};

use super::keys::Action;
use super::{Effect, Model};
use crate::core::Scan;
use crate::core::standard::fill_eportfolio;
use crate::tui::text::Wrapped;

/// How a block of the welcome text is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Heading,
    Body,
    Important,
}

/// The welcome text, wrapped once per width, and how far it is scrolled.
#[derive(Debug, Default)]
pub struct State {
    blocks: Vec<(Kind, Wrapped)>,
    lines: Vec<(Kind, String)>,
    /// Lines scrolled.
    pub scroll: usize,
}

impl State {
    /// The texts for this scan's standard.
    pub fn new(scan: &Scan, eportfolio: &str) -> Self {
        let std = scan.standard();
        let form = &std.form;
        let mut blocks = vec![
            (
                Kind::Heading,
                Wrapped::new(&format!(
                    "Initial skills scan: {} ({} v{})",
                    std.display_name(),
                    std.reference,
                    std.version
                )),
            ),
            (Kind::Body, Wrapped::new(&form.intro)),
            (Kind::Heading, Wrapped::new("How the scan works")),
            (Kind::Body, Wrapped::new(&form.baseline)),
            (
                Kind::Body,
                Wrapped::new(&fill_eportfolio(&form.instructions, eportfolio)),
            ),
            (
                Kind::Body,
                Wrapped::new(
                    "Yes: you already know or do this. Some: you know or do some of it. \
                     No: not yet. For Yes and Some, write what you already know and/or do; \
                     for No you may write what you would like to develop.",
                ),
            ),
            (Kind::Heading, Wrapped::new("Confidentiality")),
            (Kind::Important, Wrapped::new(&form.confidentiality)),
            (
                Kind::Body,
                Wrapped::new(
                    "Your answers are saved as you go; you can stop and come back at any time. \
                     Press PgDn to begin.",
                ),
            ),
        ];
        blocks.retain(|(_, w)| !w.text().is_empty());
        Self {
            blocks,
            lines: Vec::new(),
            scroll: 0,
        }
    }

    /// Re-wraps for a terminal `width` columns wide (done on resize, not on every frame).
    pub fn rewrap(&mut self, width: u16) {
        let inner = (width as usize)
            .saturating_sub(4)
            .clamp(10, super::READING_WIDTH);
        self.lines.clear();
        for (kind, w) in &mut self.blocks {
            for l in w.lines(inner) {
                self.lines.push((*kind, l.clone()));
            }
            self.lines.push((Kind::Body, String::new()));
        }
        self.lines.pop();
    }

    fn max_scroll(&self, height: u16) -> usize {
        self.lines
            .len()
            .saturating_sub(height.saturating_sub(2) as usize)
    }
}

/// PgDn (or Enter) on the welcome: reads on a screenful while there is more below, so "How the
/// scan works" and the confidentiality reminder are seen before the details. True when it
/// scrolled; false at the end (then it begins).
pub fn read_on(m: &mut Model) -> bool {
    let height = super::chrome::body(m.area()).height;
    let max = m.welcome.max_scroll(height);
    if m.welcome.scroll >= max {
        return false;
    }
    let page = (height.saturating_sub(3) as usize).max(1);
    m.welcome.scroll = (m.welcome.scroll + page).min(max);
    true
}

/// Whether the whole welcome has been scrolled through.
pub fn at_end(m: &Model) -> bool {
    m.welcome.scroll >= m.welcome.max_scroll(super::chrome::body(m.area()).height)
}

/// Scrolling keys (↑↓, Home/End, and the welcome's own j, k, Space); Enter begins.
pub fn key(m: &mut Model, action: Option<Action>) -> Vec<Effect> {
    let height = super::chrome::body(m.area()).height;
    let max = m.welcome.max_scroll(height);
    let s = &mut m.welcome.scroll;
    match action {
        Some(Action::Down) => *s = (*s + 1).min(max),
        Some(Action::Up) => *s = s.saturating_sub(1),
        Some(Action::First) => *s = 0,
        Some(Action::Last) => *s = max,
        // Enter reads on like PgDn; at the end it begins.
        Some(Action::Enter) if !read_on(m) => return m.go(super::Screen::Details),
        _ => {}
    }
    Vec::new()
}

/// The wheel scrolls.
pub fn mouse(m: &mut Model, mouse: MouseEvent) {
    let height = super::chrome::body(m.area()).height;
    let max = m.welcome.max_scroll(height);
    match mouse.kind {
        MouseEventKind::ScrollDown => m.welcome.scroll = (m.welcome.scroll + 3).min(max),
        MouseEventKind::ScrollUp => m.welcome.scroll = m.welcome.scroll.saturating_sub(3),
        _ => {}
    }
}

/// Draws the welcome text.
pub fn view(m: &Model, f: &mut Frame, body: Rect) {
    let t = &m.theme;
    let w = &m.welcome;
    let visible = body.height.saturating_sub(2) as usize;
    let lines: Vec<Line> = w
        .lines
        .iter()
        .skip(w.scroll)
        .take(visible)
        .map(|(kind, l)| match kind {
            Kind::Heading => Line::styled(l.as_str(), t.title),
            Kind::Important => Line::styled(l.as_str(), t.warning),
            Kind::Body => Line::raw(l.as_str()),
        })
        .collect();
    let more = if w.scroll < w.max_scroll(body.height) {
        " ↓ more below (↓ or wheel) "
    } else {
        ""
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(t.border)
        .title(" Welcome ")
        .title_bottom(more);
    f.render_widget(Paragraph::new(lines).block(block), body);
}
