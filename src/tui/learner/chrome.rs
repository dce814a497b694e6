//! What surrounds every learner screen: the title bar with the save state, the status line with
//! Back/Next buttons, the hint line, the help overlay and the "please enlarge the window" message.

use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::{MIN_HEIGHT, MIN_WIDTH, Model, SaveState, Screen};
use crate::tui::text;

/// The part of the screen between the title bar and the status line.
pub fn body(area: Rect) -> Rect {
    Rect::new(
        area.x,
        area.y + 1,
        area.width,
        area.height.saturating_sub(3),
    )
}

const BACK: &str = "[ ◀ Back  PgUp ]";
const NEXT: &str = "[ Next  PgDn ▶ ]";
const TO_REVIEW: &str = "[ Review  PgDn ▶ ]";

/// The Next button's label: back to the review while fixing something from it.
fn next_label(m: &Model) -> &'static str {
    if m.back_to_review && matches!(m.screen, Screen::Details | Screen::Page(_)) {
        TO_REVIEW
    } else {
        NEXT
    }
}

fn has_buttons(m: &Model) -> (bool, bool) {
    match m.screen {
        Screen::Welcome => (false, true),
        Screen::Details | Screen::Page(_) => (true, true),
        Screen::Review => (true, false),
        _ => (false, false),
    }
}

fn button_rects(m: &Model) -> (Rect, Rect) {
    let y = m.size.1.saturating_sub(2);
    let next_w = text::width(next_label(m)) as u16;
    let back_w = text::width(BACK) as u16;
    let next = Rect::new(m.size.0.saturating_sub(next_w + 1), y, next_w, 1);
    let back = Rect::new(next.x.saturating_sub(back_w + 1), y, back_w, 1);
    (back, next)
}

/// Whether a click hit the Back (false) or Next (true) button.
pub fn button_at(m: &Model, mouse: MouseEvent) -> Option<bool> {
    if mouse.kind != MouseEventKind::Down(MouseButton::Left) {
        return None;
    }
    let (has_back, has_next) = has_buttons(m);
    let (back, next) = button_rects(m);
    let pos = ratatui::layout::Position::new(mouse.column, mouse.row);
    if has_next && next.contains(pos) {
        Some(true)
    } else if has_back && back.contains(pos) {
        Some(false)
    } else {
        None
    }
}

/// Draws the title bar, status line and hints; returns the body area.
pub fn frame(m: &Model, f: &mut Frame) -> Rect {
    let area = f.area();
    let t = &m.theme;
    let title = format!(" Skills scan · {}", m.scan.standard().display_name());
    let answered = format!(
        "{} of {} answered",
        m.scan.answered_count(),
        m.scan.question_count()
    );
    let (save, save_style) = match &m.save_state {
        SaveState::Nothing => ("Not saved yet".to_string(), t.muted),
        SaveState::Saved(at) if !m.unsaved() => (format!("Saved {}", at.format("%H:%M")), t.ok),
        SaveState::Saved(_) => ("Saving…".to_string(), t.muted),
        SaveState::Failed(_) => ("⚠ NOT SAVED".to_string(), t.error),
    };
    let (right, save) = if m.screen == Screen::Resume {
        (String::new(), String::new())
    } else {
        (format!("{answered} · "), save)
    };
    let pad = (area.width as usize)
        .saturating_sub(text::width(&title) + text::width(&right) + text::width(&save) + 1);
    f.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(title, t.title),
            Span::raw(" ".repeat(pad)),
            Span::raw(right),
            Span::styled(save, save_style),
            Span::raw(" "),
        ])),
        Rect::new(area.x, area.y, area.width, 1),
    );
    // Status line: a notice or a save failure, then the buttons.
    let status_y = area.y + area.height.saturating_sub(2);
    let (status, style) = if let SaveState::Failed(why) = &m.save_state {
        (
            format!("⚠ Not saved; answers kept, retrying: {why}"),
            t.error,
        )
    } else if let Some(n) = &m.notice {
        (n.clone(), t.warning)
    } else if let Some(w) = &m.config_warning {
        (format!("⚠ {w}"), t.warning)
    } else {
        (String::new(), t.muted)
    };
    let (has_back, has_next) = has_buttons(m);
    let (back, next) = button_rects(m);
    let room = if has_back { back.x } else { next.x }.saturating_sub(2) as usize;
    f.render_widget(
        Paragraph::new(Span::styled(
            text::truncate(&format!(" {status}"), room),
            style,
        )),
        Rect::new(area.x, status_y, area.width, 1),
    );
    if has_back {
        f.render_widget(Paragraph::new(Span::styled(BACK, t.selected)), back);
    }
    if has_next {
        let on_it = matches!(m.screen, Screen::Page(_)) && m.page.on_buttons();
        let style = if on_it { t.focus } else { t.selected };
        f.render_widget(Paragraph::new(Span::styled(next_label(m), style)), next);
    }
    let hint = text::truncate(&hints(m), area.width as usize);
    f.render_widget(
        Paragraph::new(Span::styled(
            format!("{hint:<width$}", width = area.width as usize),
            t.hint,
        )),
        Rect::new(
            area.x,
            area.y + area.height.saturating_sub(1),
            area.width,
            1,
        ),
    );
    body(area)
}

/// The hint line for the current screen and focus.
pub fn hints(m: &Model) -> String {
    let list: &[&str] = match m.screen {
        Screen::Resume if m.resume.is_list() => &[
            "↑↓ choose",
            "Enter confirm",
            "1-9 pick",
            "n new",
            "? help",
            "q quit",
        ],
        Screen::Resume => &[
            "←→ choose",
            "Enter confirm",
            "r resume",
            "n new",
            "? help",
            "q quit",
        ],
        Screen::Welcome if !super::welcome::at_end(m) => {
            &["PgDn read on", "↑↓ scroll", "? help", "q quit"]
        }
        Screen::Welcome => &["PgDn begin", "↑↓ scroll", "? help", "q quit"],
        Screen::Details => &[
            "Tab next field",
            "PgDn next",
            "PgUp back",
            "Ctrl-S save",
            "F1 help",
            "Ctrl-C quit",
        ],
        Screen::Page(_) if m.page.on_buttons() => &[
            "Enter next page",
            "Shift-Tab back to the questions",
            "PgUp back",
            "? help",
            "q quit",
        ],
        Screen::Page(_) if m.page.in_box() => &[
            "Tab leave box",
            "Ctrl-O editor",
            "PgDn next",
            "Ctrl-S save",
            "F1 help",
            "Ctrl-C quit",
        ],
        Screen::Page(_) => &[
            "y/s/n rate",
            "Tab next",
            "Enter write",
            "k KSBs",
            "PgDn next",
            "? help",
            "q quit",
        ],
        Screen::Review => &[
            "↑↓ choose",
            "Enter fix/submit",
            "PgUp back",
            "? help",
            "q quit",
        ],
        Screen::Sending => &["Please wait…", "Ctrl-C quit"],
        Screen::Done => &["Enter or q to finish", "↑↓ scroll"],
    };
    format!(" {}", list.join(" · "))
}

/// The message shown instead of a broken layout.
pub fn too_small(m: &Model, f: &mut Frame) {
    let area = f.area();
    let text = format!(
        "The window is too small ({}×{}). Please enlarge the window to at least {MIN_WIDTH}×{MIN_HEIGHT}. \
         Your answers are kept. Ctrl-C saves and quits.",
        area.width, area.height
    );
    f.render_widget(
        Paragraph::new(text)
            .style(m.theme.warning)
            .wrap(Wrap { trim: true }),
        area,
    );
}

/// A centred box of at most `w`×`h` cells, cleared, with a title.
pub fn popup<'a>(m: &Model, f: &mut Frame, w: u16, h: u16, title: &'a str) -> (Rect, Block<'a>) {
    let area = f.area();
    let w = w.min(area.width.saturating_sub(2));
    let h = h.min(area.height.saturating_sub(2));
    let rect = Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    );
    f.render_widget(Clear, rect);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(m.theme.border_focus)
        .title(Span::styled(title, m.theme.title))
        .title_bottom(Line::from(" Esc closes ").alignment(Alignment::Right));
    (rect, block)
}

/// Quitting could not save: says why and where the copy is, and asks.
pub fn quit_question(m: &Model, f: &mut Frame, question: &str) {
    let (rect, block) = popup(m, f, 72, 16, " Your latest answers are NOT SAVED ");
    let block = block.title_bottom(Line::from(
        " Ctrl-C quits anyway · any other key goes back ",
    ));
    f.render_widget(
        Paragraph::new(text::sanitize(question).into_owned())
            .style(m.theme.error)
            .wrap(Wrap { trim: true })
            .block(block),
        rect,
    );
}

/// The full help.
pub fn help(m: &Model, f: &mut Frame) {
    // The rows, a blank line, the closing line and the border: no empty rows below.
    // Made from the key table (the shared keys, then each screen's own), so it lists exactly
    // the keys that work.
    let rows: Vec<(&str, &str)> = super::keys::help_rows().collect();
    let (rect, block) = popup(m, f, 74, rows.len() as u16 + 4, " Help ");
    let mut lines: Vec<Line> = rows
        .iter()
        .map(|(k, what)| {
            Line::from(vec![
                Span::styled(format!(" {k:<17}"), m.theme.selected),
                Span::raw(*what),
            ])
        })
        .collect();
    lines.push(Line::raw(""));
    lines.push(Line::raw(
        " Everything is saved as you go. Run skills-scan again to carry on.",
    ));
    f.render_widget(Paragraph::new(lines).block(block), rect);
}
