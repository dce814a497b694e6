//! Sending (submitted, the summary email on its way) and Done (the form's closing reminder, what
//! happened to the email, where the file is).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Paragraph};

use super::{Model, Screen};
use crate::core::scan::EmailResult;
use crate::core::standard::fill_eportfolio;
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
        match m.sent.as_ref().map(|(e, outbox)| (&e.result, outbox)) {
            Some((EmailResult::Sent, _)) => lines.push(Line::styled(
                format!(
                    "✔ Your summary was emailed to {} and {}.",
                    text::sanitize_line(&scan.learner.email),
                    text::sanitize_line(&scan.manager.email)
                ),
                t.ok,
            )),
            Some((EmailResult::Queued { reason } | EmailResult::Failed { reason }, outbox)) => {
                lines.push(Line::styled(
                    "⚠ The summary email could not be sent yet.",
                    t.warning,
                ));
                lines.push(Line::styled(
                    "  Your scan is saved and nothing is lost: the email will be sent later.",
                    t.warning,
                ));
                lines.push(Line::raw(format!("  Why: {}", text::sanitize_line(reason))));
                if let Some(o) = outbox {
                    lines.push(Line::raw(format!(
                        "  The message waits in {}",
                        text::sanitize_line(&o.display().to_string())
                    )));
                }
            }
            Some((EmailResult::Sending, _)) | None => {}
        }
        lines.push(Line::raw(file_line(m)));
        lines.push(Line::raw(""));
        let closing = fill_eportfolio(scan.standard().form.closing.trim(), &m.eportfolio);
        for para in text::sanitize(&closing).split('\n') {
            lines.push(Line::raw(para.to_string()));
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
