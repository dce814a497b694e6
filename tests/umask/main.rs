//! Proof that personal data stays owner-only under the most permissive umask. Its own test
//! binary because the umask is process-wide: set here, it would loosen the files and folders every
//! other test in the same process creates (some of which other users must not be able to write).

#[path = "../support/mod.rs"]
mod support;

#[cfg(unix)]
mod proof_personal_data;
