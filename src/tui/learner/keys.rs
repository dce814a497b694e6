//! The learner's keys: what each key means ([`Action`]) in one table ([`TABLE`]), which the key
//! handling looks up and the help screen lists.

use crossterm::event::{KeyCode, KeyEvent};

use crate::core::Rating;
use crate::tui::keys::{self, Binding, Chord};

/// What a key asks the learner's app to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// The next screen (PgDn, the Next button).
    NextScreen,
    /// The previous screen (PgUp, the Back button).
    PreviousScreen,
    /// The next field (after the last, the page's Next button).
    NextField,
    /// The previous field.
    PreviousField,
    /// Rate the open question.
    Rate(Rating),
    /// Put back the rating the last change replaced.
    UndoRating,
    /// The rating to the left (Yes ← Some ← No).
    RatingLeft,
    /// The rating to the right.
    RatingRight,
    /// Scroll up (the question text, a list).
    Up,
    /// Scroll down.
    Down,
    /// Write in the box under the rating; confirm a choice or a button.
    Enter,
    /// Show the KSB statements of the open question.
    Ksbs,
    /// Edit the answer in `$VISUAL`/`$EDITOR`.
    OpenEditor,
    /// Undo typing in a text box (the box does it).
    UndoText,
    /// Redo typing in a text box (the box does it).
    RedoText,
    /// Save now.
    Save,
    /// Save and quit.
    Quit,
    /// Show the help.
    Help,
}

use Action as A;

/// The learner's keys, in the order the help screen lists them.
pub const TABLE: &[Binding<Action>] = &[
    Binding {
        keys: "PgDn / PgUp",
        what: "next / previous screen (also the buttons)",
        chords: &[
            (Chord::key(KeyCode::PageDown), A::NextScreen),
            (Chord::key(KeyCode::PageUp), A::PreviousScreen),
        ],
    },
    Binding {
        keys: "Tab / Shift-Tab",
        what: "next / previous field; after the last, the Next button",
        chords: &[
            (Chord::key(KeyCode::Tab), A::NextField),
            (Chord::key(KeyCode::BackTab), A::PreviousField),
        ],
    },
    Binding {
        keys: "y  s  n",
        what: "rate Yes / Some / No (outside a text box)",
        chords: &[
            (Chord::char('y'), A::Rate(Rating::Yes)),
            (Chord::char('s'), A::Rate(Rating::Some)),
            (Chord::char('n'), A::Rate(Rating::No)),
            (Chord::char('Y'), A::Rate(Rating::Yes)),
            (Chord::char('S'), A::Rate(Rating::Some)),
            (Chord::char('N'), A::Rate(Rating::No)),
        ],
    },
    Binding {
        keys: "u",
        what: "undo the last change of a rating",
        chords: &[(Chord::char('u'), A::UndoRating)],
    },
    Binding {
        keys: "← →",
        what: "change the rating",
        chords: &[
            (Chord::key(KeyCode::Left), A::RatingLeft),
            (Chord::key(KeyCode::Right), A::RatingRight),
        ],
    },
    Binding {
        keys: "↑ ↓",
        what: "scroll the question text (on a rating)",
        chords: &[
            (Chord::key(KeyCode::Up), A::Up),
            (Chord::key(KeyCode::Down), A::Down),
        ],
    },
    Binding {
        keys: "Enter",
        what: "write in the box under the rating (after No too)",
        chords: &[(Chord::key(KeyCode::Enter), A::Enter)],
    },
    Binding {
        keys: "k or F2",
        what: "show the KSB statements of the question",
        chords: &[
            (Chord::char('k'), A::Ksbs),
            (Chord::key(KeyCode::F(2)), A::Ksbs),
        ],
    },
    Binding {
        keys: "Ctrl-O",
        what: "edit the answer in your own editor ($VISUAL/$EDITOR)",
        chords: &[(Chord::ctrl('o'), A::OpenEditor)],
    },
    Binding {
        keys: "Ctrl-U / Ctrl-R",
        what: "undo / redo in a text box",
        chords: &[
            (Chord::ctrl('u'), A::UndoText),
            (Chord::ctrl('r'), A::RedoText),
        ],
    },
    Binding {
        keys: "Ctrl-S",
        what: "save now (it also saves by itself)",
        chords: &[(Chord::ctrl('s'), A::Save)],
    },
    Binding {
        keys: "Ctrl-C",
        what: "save and quit (q too, outside a text box)",
        chords: &[(Chord::ctrl('c'), A::Quit), (Chord::char('q'), A::Quit)],
    },
    Binding {
        keys: "Mouse",
        what: "click a rating, box or button; wheel scrolls",
        chords: &[],
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

/// The action `key` asks for. While `editing` (a text box has the focus) a typed character is
/// text, not a command: `q`, `?` and `y` go into the box.
pub fn action(key: &KeyEvent, editing: bool) -> Option<Action> {
    if editing && keys::is_text(key) {
        return None;
    }
    keys::action(TABLE, key)
}
