//! The proofs: the crash loop, hostile files, hostile mail text, the real binary in a
//! pseudo-terminal, and saves the operating system refuses.

#[path = "../support/mod.rs"]
mod support;

#[cfg(unix)]
mod proof_crash_loop;
mod proof_hostile_files;
mod proof_mail;
#[cfg(unix)]
mod proof_pty;
#[cfg(unix)]
mod proof_write_failures;
