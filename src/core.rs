//! The pure core: the standard, the scan, its rules, its scoring and its summary.
//! Nothing here touches a terminal, a file, the network or the clock; callers pass the time in.

pub mod draft;
pub mod fingerprint;
pub mod guard;
pub mod import;
pub mod ksb;
pub mod plan;
pub mod progress;
pub mod record;
pub mod rpl;
pub mod scan;
pub mod score;
pub mod standard;
pub mod summary;
pub mod text;
pub mod validate;
pub mod walk;

pub use scan::{Rating, Scan};
pub use standard::{KsbCode, QuestionId, Standard};
