//! The library's pure parts: the architecture rule (`src/core` imports no adapter), the
//! confidentiality guard over its corpora, and the summary renderers' golden files.

#[path = "../support/mod.rs"]
mod support;

mod architecture;
mod guard_corpus;
mod summary_golden;
