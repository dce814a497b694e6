//! The summary's titles and fixed sentences, once for every format (text, Markdown, HTML and
//! the email), so the formats cannot drift apart.

use std::fmt::Write;

use super::{RatingCell, rating_words};

/// Section titles.
pub const RATINGS: &str = "Ratings";
/// The ratings' legend.
pub const LEGEND: &str = "✔ Yes = already know or do this; ◐ Some = some of this; ✘ No = not yet.";
/// Under the legend once the coach has agreed ratings, where the agreed rating sits beside the
/// learner's (text, Markdown).
pub const AGREED_BESIDE: &str =
    "Where the coach agreed a different rating, it is shown beside yours.";
/// The same where it sits below (HTML).
pub const AGREED_BELOW: &str =
    "Where the coach agreed a different rating, it is shown below the learner's.";
/// Section title.
pub const PRIOR_LEARNING: &str = "Indicative prior learning";
/// Section title.
pub const RPL: &str = "Indicative prior-learning estimate (RPL)";
/// Section title.
pub const PLANNING_MEETING: &str = "Planning meeting";
/// Section title.
pub const DEVELOPMENT: &str = "Areas for development";
/// The areas for development when there are none.
pub const NO_DEVELOPMENT: &str = "None: every KSB is rated Yes.";
/// Section title.
pub const OWN_WORDS: &str = "In the learner's own words";
/// Section title.
pub const NEXT_STEPS: &str = "Next steps";
/// A question answered without words.
pub const NOTHING_WRITTEN: &str = "(nothing written)";
/// Before a coach's note.
pub const COACHS_NOTE: &str = "Coach's note: ";
/// Before a note on the progress.
pub const NOTE: &str = "Note: ";
/// The progress bars' heading (text).
pub const SHARE_BY_DUTY: &str = "Share met by duty:";

/// "✔ Yes (agreed: ◐ Some)": the learner's rating, and the coach's beside it where agreed.
pub fn cell_words(cell: &RatingCell) -> String {
    let mut w = rating_words(cell.learner);
    if let Some(agreed) = cell.agreed {
        let _ = write!(w, " (agreed: {})", rating_words(Some(agreed)));
    }
    w
}

/// "Also K1, K2 (stated above)".
pub fn also_stated(codes: &str) -> String {
    format!("Also {codes} (stated above)")
}
