//! The confidentiality guard on the learner's screens: what [`core::guard`](crate::core::guard)
//! finds in the open page's answer boxes, worked out in `update` (on entering a page, and on the
//! tick once typing has paused), never in `view`; highlighted in the box and named under it with
//! a one-line reminder; the answers with a warning for the review; one confirmation before
//! submitting with warnings. Only kinds and positions are kept, and nothing here is saved.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Model;
use crate::core::guard::{self, Finding, Kind};
use crate::core::standard::QuestionId;
use crate::core::validate;
use crate::tui::text;

/// The guard's state in the learner's model.
#[derive(Debug, Default)]
pub struct State {
    /// The kinds found in each answer box of the open page (by question index on the page).
    pub boxes: Vec<Vec<Kind>>,
    /// The tick at which a box last changed, until it is checked again.
    pending: Option<u64>,
    /// The answers with a warning and what kinds, as of entering the review.
    pub flagged: Vec<(QuestionId, Vec<Kind>)>,
    /// Submit was asked for once with warnings shown: the next Submit goes ahead.
    pub confirmed: bool,
}

impl State {
    /// An answer changed at `tick`: check the page again once typing pauses.
    pub fn touch(&mut self, tick: u64) {
        self.pending = Some(tick);
    }

    /// The kinds found in the open page's box `i`.
    pub fn kinds(&self, i: usize) -> &[Kind] {
        self.boxes.get(i).map_or(&[], Vec::as_slice)
    }
}

/// On a tick: checks the page's boxes when something changed at least one whole tick ago (so
/// between 200 and 400 ms after the last keystroke, never while keys are arriving fast).
pub fn tick(m: &mut Model) {
    if m.guard
        .pending
        .is_some_and(|t| m.ticks >= t.saturating_add(2))
    {
        check_page(m);
    }
}

/// Checks every answer box of the open page now (on entering the page, and from [`tick`]).
pub fn check_page(m: &mut Model) {
    m.guard.pending = None;
    let style = highlight(&m.theme);
    m.guard.boxes = m
        .page
        .boxes
        .iter_mut()
        .map(|field| {
            let text = field.text();
            let ta = field.widget_mut();
            let found = guard::find(&text);
            // The box's own search highlighting shows where: a pattern of the found details.
            let _ = ta.set_search_pattern(pattern(&text, &found));
            ta.set_search_style(style);
            guard::kinds(&found)
        })
        .collect();
}

/// Lists the answers with a warning (on entering the review) and asks again for confirmation.
pub fn refresh_review(m: &mut Model) {
    m.guard.confirmed = false;
    let scan = &m.scan;
    m.guard.flagged = scan
        .standard()
        .questions()
        .filter_map(|l| {
            let a = scan.answer(&l.question.id)?;
            let kinds = guard::kinds(&guard::find(&a.text));
            (!kinds.is_empty()).then(|| (l.question.id.clone(), kinds))
        })
        .collect();
}

/// The kinds found in the answer `id`, as of entering the review.
pub fn flagged<'m>(m: &'m Model, id: &QuestionId) -> Option<&'m [Kind]> {
    m.guard
        .flagged
        .iter()
        .find(|(q, _)| q == id)
        .map(|(_, k)| k.as_slice())
}

/// Whether Submit may go ahead: it asks once when answers carry a warning (a scan with things
/// still to fix goes ahead, so the review can say what they are).
pub fn ready_to_submit(m: &mut Model) -> bool {
    if m.guard.flagged.is_empty() || m.guard.confirmed || !validate::scan(&m.scan).is_empty() {
        return true;
    }
    m.guard.confirmed = true;
    m.notice = Some("⚠ Press Enter again to submit anyway.".into());
    false
}

/// The review's Submit row when answers carry a warning (and the scan is otherwise complete).
pub fn submit_row(m: &Model) -> Option<String> {
    let n = m.guard.flagged.len();
    let answers = if n == 1 { "answer" } else { "answers" };
    match (n, m.guard.confirmed) {
        (0, _) => None,
        (_, false) => Some(format!(
            " [ Submit your scan ]  ⚠ {n} {answers} may identify someone"
        )),
        (_, true) => Some(format!(
            " [ Submit anyway ]  Enter sends it with {n} {answers} marked ⚠"
        )),
    }
}

/// Draws the warning under the open answer box when it holds something identifying, and
/// returns the area left for the box.
pub fn view(m: &Model, f: &mut Frame, answer: Rect) -> Rect {
    let kinds = m.guard.kinds(m.page.open());
    if kinds.is_empty() || answer.height < 6 {
        return answer;
    }
    let t = &m.theme;
    let w = answer.width.saturating_sub(1) as usize;
    let first = format!(
        "⚠ May identify someone: {} (highlighted).",
        guard::describe(kinds)
    );
    let lines = vec![
        Line::from(Span::styled(text::truncate(&first, w), t.warning)),
        Line::from(Span::styled(text::truncate(guard::REMINDER, w), t.muted)),
    ];
    let boxed = Rect::new(answer.x, answer.y, answer.width, answer.height - 2);
    let note = Rect::new(
        answer.x + 1,
        answer.y + answer.height - 2,
        answer.width.saturating_sub(1),
        2,
    );
    f.render_widget(Paragraph::new(lines), note);
    boxed
}

/// A search pattern matching exactly the found details (empty: no highlighting).
fn pattern(text: &str, found: &[Finding]) -> String {
    let mut p = String::new();
    for f in found {
        if !p.is_empty() {
            p.push('|');
        }
        for c in text[f.range.clone()].chars() {
            if r"\.+*?()|[]{}^$#&-~".contains(c) {
                p.push('\\');
            }
            p.push(c);
        }
    }
    p
}

fn highlight(theme: &crate::tui::theme::Theme) -> Style {
    if theme.colour {
        Style::new()
            .fg(Color::Black)
            .bg(Color::Yellow)
            .add_modifier(Modifier::BOLD)
    } else {
        Style::new().add_modifier(Modifier::REVERSED | Modifier::UNDERLINED)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pattern_matches_only_the_found_text() {
        let text = "call (01632) 960123 or a.b+c@example.org";
        let found = guard::find(text);
        let p = pattern(text, &found);
        assert_eq!(p, r"\(01632\) 960123|a\.b\+c@example\.org");
        let mut ta = ratatui_textarea::TextArea::new(vec![text.to_string()]);
        assert!(ta.set_search_pattern(&p).is_ok());
        let re = ta.search_pattern().expect("a pattern");
        let hits: Vec<&str> = re.find_iter(text).map(|m| m.as_str()).collect();
        assert_eq!(hits, ["(01632) 960123", "a.b+c@example.org"]);
        assert_eq!(pattern("nothing", &[]), "");
    }
}
