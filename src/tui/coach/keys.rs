//! The coach's keys: what each key means ([`Action`]) in one table ([`TABLE`]), which `update`
//! looks up and the help screen lists.

use crossterm::event::{KeyCode, KeyEvent};

use crate::core::Rating;
use crate::tui::keys::{self, Binding, Chord};

/// What a key asks the coach's view to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Up: the question above, a line up, the field above, the KSB above.
    Up,
    /// Down.
    Down,
    /// A page up.
    PageUp,
    /// A page down.
    PageDown,
    /// The first question, the top.
    First,
    /// The last question, the bottom.
    Last,
    /// Review the chosen question; write its note; the next field.
    Enter,
    /// Agree a rating (on the question, or on the chosen KSB).
    Agree(Rating),
    /// Clear the agreed rating (derived from the questions again).
    Clear,
    /// Write the coach's note.
    Note,
    /// The previous question.
    Previous,
    /// The next question (on the overview: review the chosen one).
    Next,
    /// Back: out of the KSBs, then to the overview.
    Back,
    /// The next screen.
    NextScreen,
    /// The previous screen.
    PreviousScreen,
    /// The learning plan.
    Plan,
    /// The prior-learning estimate.
    Rpl,
    /// The validation record.
    Validation,
    /// Tick "validated"; a page down elsewhere.
    Space,
    /// Save now.
    Save,
    /// Save and quit (`q`: outside a note or form field).
    Quit,
    /// Save and quit at once (Ctrl-C): works anywhere, even while typing.
    QuitNow,
    /// Show the help.
    Help,
}

use Action as A;

/// The coach's keys, in the order the help screen lists them.
pub const TABLE: &[Binding<Action>] = &[
    Binding {
        keys: "↑ ↓  k j",
        what: "choose a question; scroll; fields; the KSBs",
        chords: &[
            (Chord::key(KeyCode::Up), A::Up),
            (Chord::key(KeyCode::Down), A::Down),
            (Chord::char('k'), A::Up),
            (Chord::char('j'), A::Down),
        ],
    },
    Binding {
        keys: "PgUp PgDn Home End",
        what: "a page up / down; the first / the last",
        chords: &[
            (Chord::key(KeyCode::PageUp), A::PageUp),
            (Chord::key(KeyCode::PageDown), A::PageDown),
            (Chord::key(KeyCode::Home), A::First),
            (Chord::key(KeyCode::End), A::Last),
        ],
    },
    Binding {
        keys: "Enter",
        what: "review the chosen question; write its note",
        chords: &[(Chord::key(KeyCode::Enter), A::Enter)],
    },
    Binding {
        keys: "y  s  n  x",
        what: "agree Yes / Some / No; x clears (derived again)",
        chords: &[
            (Chord::char('y'), A::Agree(Rating::Yes)),
            (Chord::char('s'), A::Agree(Rating::Some)),
            (Chord::char('n'), A::Agree(Rating::No)),
            (Chord::char('x'), A::Clear),
        ],
    },
    Binding {
        keys: "e",
        what: "write the coach's note (Esc when done)",
        chords: &[(Chord::char('e'), A::Note)],
    },
    Binding {
        keys: "← →  [ ]",
        what: "previous / next question",
        chords: &[
            (Chord::key(KeyCode::Left), A::Previous),
            (Chord::key(KeyCode::Right), A::Next),
            (Chord::char('['), A::Previous),
            (Chord::char(']'), A::Next),
        ],
    },
    Binding {
        keys: "Esc or o",
        what: "back: out of the KSBs, then the overview",
        chords: &[
            (Chord::key(KeyCode::Esc), A::Back),
            (Chord::char('o'), A::Back),
        ],
    },
    Binding {
        keys: "Tab / Shift-Tab",
        what: "next / previous screen",
        chords: &[
            (Chord::key(KeyCode::Tab), A::NextScreen),
            (Chord::key(KeyCode::BackTab), A::PreviousScreen),
        ],
    },
    Binding {
        keys: "p  r  v",
        what: "learning plan, prior learning, validation",
        chords: &[
            (Chord::char('p'), A::Plan),
            (Chord::char('r'), A::Rpl),
            (Chord::char('v'), A::Validation),
        ],
    },
    Binding {
        keys: "Space",
        what: "tick \"validated\"; elsewhere a page down",
        chords: &[(Chord::char(' '), A::Space)],
    },
    Binding {
        keys: "Ctrl-S",
        what: "save now (it also saves by itself)",
        chords: &[(Chord::ctrl('s'), A::Save)],
    },
    Binding {
        keys: "q or Ctrl-C",
        what: "save and quit",
        chords: &[(Chord::char('q'), A::Quit), (Chord::ctrl('c'), A::QuitNow)],
    },
    Binding {
        keys: "? or F1",
        what: "this help",
        chords: &[
            (Chord::char('?'), A::Help),
            (Chord::key(KeyCode::F(1)), A::Help),
        ],
    },
];

/// The action `key` asks for. While `editing` (a note or a form field has the focus) a typed
/// character is text, not a command.
pub fn action(key: &KeyEvent, editing: bool) -> Option<Action> {
    if editing && keys::is_text(key) {
        return None;
    }
    keys::action(TABLE, key)
}
