//! Sending (submitted, the summary email on its way) and Done (what happened to the email, where
//! the file is, what to do next: `mail::closing`, the same words as the plain front end).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph};

use super::keys::Action;
use super::{Effect, Model, Screen};
use crate::core::scan::EmailResult;
use crate::tui::text;

const SPINNER: [&str; 4] = ["|", "/", "-", "\\"];

fn file_line(m: &Model) -> String {
    match &m.file {
        Some(p) => format!(
            "Your scan is saved in {}",
            text::sanitize_line(&p.display().to_string())
        ),
        None => "Your scan is being saved…".into(),
    }
}

/// Keys on Done: ↑↓ scroll, Enter or Esc finishes.
pub fn key(m: &mut Model, action: Option<Action>) -> Vec<Effect> {
    match action {
        Some(Action::Enter | Action::Back) => return vec![Effect::Quit],
        Some(Action::Down) => m.done_scroll += 1,
        Some(Action::Up) => m.done_scroll = m.done_scroll.saturating_sub(1),
        _ => {}
    }
    Vec::new()
}

/// Draws Sending or Done.
pub fn view(m: &Model, f: &mut Frame, body: Rect) {
    let t = &m.theme;
    let scan = &m.scan;
    let mut lines = Vec::new();
    if m.screen == Screen::Sending {
        let spin = SPINNER[(m.ticks % 4) as usize];
        lines.push(Line::styled("Submitted. Thank you!", t.title));
        lines.push(Line::raw(""));
        lines.push(Line::raw(format!(
            "{spin} Sending your summary to {} and {}…",
            text::sanitize_line(&scan.learner.email),
            text::sanitize_line(&scan.manager.email)
        )));
        lines.push(Line::raw(""));
        lines.push(Line::raw(file_line(m)));
    } else {
        lines.push(Line::styled("Your skills scan is submitted.", t.title));
        lines.push(Line::raw(""));
        // What happened to the email, in the words the plain front end uses too.
        let sent = m.sent.as_ref().map(|(e, _)| e);
        let closing = crate::mail::closing::paragraphs(&crate::mail::closing::Closing {
            result: sent.map(|e| &e.result),
            to: sent.map_or(&[][..], |e| e.to.as_slice()),
            at: sent.map_or(m.started, |e| e.at),
            email_set_up: m.email_set_up,
            file: m.file.as_deref(),
            eportfolio: &m.eportfolio,
        });
        for (i, para) in closing.iter().enumerate() {
            let style = match sent.map(|e| &e.result) {
                Some(EmailResult::Sent) if i == 0 => t.ok,
                Some(EmailResult::Queued { .. } | EmailResult::Failed { .. }) if i == 0 => {
                    t.warning
                }
                _ => ratatui::style::Style::default(),
            };
            if i > 0 {
                lines.push(Line::raw(""));
            }
            lines.push(Line::styled(text::sanitize_line(para), style));
        }
        lines.push(Line::raw(""));
        lines.push(Line::styled("Press Enter to finish.", t.selected));
    }
    // Wrapped here (not by the widget) so the screen knows whether there is more to scroll to.
    let width = body.width.saturating_sub(2) as usize;
    let height = body.height.saturating_sub(2) as usize;
    let mut rows: Vec<Line> = Vec::new();
    for line in lines {
        let style = line.style;
        let content: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
        for part in text::wrap(&content, width) {
            rows.push(Line::styled(part, style));
        }
    }
    let max = rows.len().saturating_sub(height);
    let scroll = if m.screen == Screen::Done {
        m.done_scroll.min(max)
    } else {
        0
    };
    let mut block = Block::default()
        .borders(Borders::ALL)
        .border_style(t.border);
    if scroll < max {
        block = block.title_bottom(" ↓ more below (↓ or wheel) ");
    }
    let visible: Vec<Line> = rows.into_iter().skip(scroll).take(height).collect();
    f.render_widget(Paragraph::new(visible).block(block), body);
}
