//! The confidentiality guard in plain mode: a warning printed after a written answer that may
//! identify someone, the review's list of such answers, and one confirmation before submitting
//! them (asked of a person; a pipe is told and goes ahead, so scripts keep working).

use std::fmt::Write as _;
use std::io;

use super::Prompter;
use crate::core::guard;
use crate::core::validate;
use crate::plain::flow;

/// "line 2", "lines 1 and 3": where in `text` the findings are.
fn lines_of(text: &str, found: &[guard::Finding]) -> String {
    let mut lines: Vec<usize> = found
        .iter()
        .map(|f| text[..f.range.start].matches('\n').count() + 1)
        .collect();
    lines.dedup();
    let numbers: Vec<String> = lines.iter().map(ToString::to_string).collect();
    match numbers.as_slice() {
        [one] => format!("line {one}"),
        [init @ .., last] => format!("lines {} and {last}", init.join(", ")),
        [] => String::new(),
    }
}

impl Prompter<'_> {
    /// After a written answer: says what in it may identify someone, and why it matters.
    pub(super) fn warn_if_identifying(&mut self, text: &str) -> io::Result<()> {
        let found = guard::find(text);
        if found.is_empty() {
            return Ok(());
        }
        self.say(&format!(
            "Warning: this answer may identify someone: {} ({}). {} To change it, type back at the next prompt.",
            guard::describe(&guard::kinds(&found)),
            lines_of(text, &found),
            guard::REMINDER
        ))
    }

    /// The review's items whose answers may identify someone: "6 (a phone number)".
    fn flagged_items(&self) -> Vec<String> {
        let scan = &self.scan;
        flow::review_items(scan)
            .iter()
            .enumerate()
            .filter_map(|(n, item)| {
                let i = item.step.question()?;
                let l = flow::questions(scan).into_iter().nth(i)?;
                let text = scan.answer(&l.question.id)?.text.as_str();
                let kinds = guard::kinds(&guard::find(text));
                (!kinds.is_empty()).then(|| format!("{} ({})", n + 1, guard::describe(&kinds)))
            })
            .collect()
    }

    /// Adds the review's warning line to `text`, when answers may identify someone.
    pub(super) fn review_warning(&self, text: &mut String) {
        let flagged = self.flagged_items();
        if flagged.is_empty() {
            return;
        }
        let _ = write!(
            text,
            "\nWarning: {} may identify someone: {}. {}",
            if flagged.len() == 1 {
                "1 answer".to_string()
            } else {
                format!("{} answers", flagged.len())
            },
            flagged.join(", "),
            guard::REMINDER
        );
    }

    /// Whether submit may go ahead now. A person is asked once to confirm (answers become
    /// final): with the guard's question when answers may identify someone, else "Submit now?".
    /// A pipe (an answers file ending in `submit`) is not asked.
    pub(super) fn confirm_submit(&mut self) -> io::Result<bool> {
        if self.confirmed_submit || !self.interactive || !validate::scan(&self.scan).is_empty() {
            return Ok(true);
        }
        self.confirmed_submit = true;
        let flagged = self.flagged_items();
        if flagged.is_empty() {
            self.say(
                "Submit now? Your answers become final, and your summary is emailed to you and your line manager. Type submit again to send it, or a number to change an item.",
            )?;
        } else {
            self.say(&format!(
                "Before you submit: item{} {} may identify someone you support. Type submit again to send it anyway, or a number to change one.",
                if flagged.len() == 1 { "" } else { "s" },
                flagged.join(", ")
            ))?;
        }
        Ok(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_counted_from_one() {
        let text = "first\n07700 900123\nthird LS1 4AP and 07700 900124";
        assert_eq!(lines_of(text, &guard::find(text)), "lines 2 and 3");
        assert_eq!(
            lines_of("07700 900123", &guard::find("07700 900123")),
            "line 1"
        );
    }
}
