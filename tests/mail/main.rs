//! Email against a real SMTP server (mailin-embedded): the message, `send`/`outbox`, and the
//! cohort export with and without email.

#[path = "../support/mod.rs"]
mod support;

mod batch_concurrency;
mod batch_csv;
mod batch_email;
mod mail_message;
mod mail_smtp;
