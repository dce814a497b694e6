//! Why a message could not be built or sent, classified so callers can decide: retry later
//! (temporary), fix the config, or give up on this message (permanent refusal).
//!
//! No variant ever carries the SMTP password: the texts come from our own words, the server's
//! replies and the OS's network errors.

use std::io;

/// A mail problem, in words a person can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MailError {
    /// `[smtp]` is missing from the config file.
    #[error(
        "email is not configured: add an [smtp] section to the config file (see `skills-scan config init`)"
    )]
    NotConfigured,
    /// The config is wrong (bad address, insecure setting, unreadable CA file…).
    #[error("the email settings are wrong: {0}")]
    Config(String),
    /// The password could not be obtained.
    #[error("no SMTP password: {0}")]
    Password(String),
    /// The scan's own data cannot make a message (e.g. an unusable address).
    #[error("the scan cannot be emailed: {0}")]
    Scan(String),
    /// The host name did not resolve.
    #[error(
        "cannot find the mail server `{host}` (DNS lookup failed): check [smtp] host and the network"
    )]
    Dns {
        /// The host.
        host: String,
    },
    /// Nothing answered, or the connection was refused or dropped.
    #[error("cannot connect to the mail server {host}:{port}: {detail}")]
    Unreachable {
        /// The host.
        host: String,
        /// The port.
        port: u16,
        /// What the OS said.
        detail: String,
    },
    /// The TLS handshake failed (untrusted certificate, wrong name, server without TLS…).
    #[error("secure connection (TLS) to the mail server failed: {0}")]
    Tls(String),
    /// The server refused the login.
    #[error("the mail server refused the login: {0}. Check [smtp] username and the password")]
    Auth(String),
    /// The server refused the message for good (5xx).
    #[error("the mail server refused the message: {0}")]
    Permanent(String),
    /// A temporary failure (4xx, timeout, connection lost): try again later.
    #[error("temporary failure, try again later: {0}")]
    Temporary(String),
    /// A local file problem (outbox).
    #[error("{0}")]
    Io(String),
}

impl MailError {
    /// Whether trying again later may work.
    pub fn is_temporary(&self) -> bool {
        matches!(
            self,
            Self::Dns { .. } | Self::Unreachable { .. } | Self::Temporary(_) | Self::Io(_)
        )
    }

    /// Whether the message itself was refused for good (retrying the same message won't help).
    pub fn is_permanent(&self) -> bool {
        matches!(self, Self::Permanent(_) | Self::Scan(_))
    }

    /// Whether fixing the configuration (or the password) is what is needed.
    pub fn is_config(&self) -> bool {
        matches!(
            self,
            Self::NotConfigured
                | Self::Config(_)
                | Self::Password(_)
                | Self::Tls(_)
                | Self::Auth(_)
        )
    }

    /// Classifies a lettre SMTP error for `host:port`.
    pub fn from_smtp(e: &lettre::transport::smtp::Error, host: &str, port: u16) -> Self {
        let detail = chain_text(e);
        if let Some(code) = e.status() {
            let code_text = code.to_string();
            if e.is_permanent() && matches!(code_text.as_str(), "530" | "534" | "535" | "538") {
                return Self::Auth(detail);
            }
            if e.is_permanent() {
                return Self::Permanent(detail);
            }
            return Self::Temporary(detail);
        }
        if is_not_tls(&detail) {
            // rustls read plain SMTP where it expected a TLS record: the server does not use
            // implicit TLS on this port. Retrying will not help; the settings must change.
            return Self::Config(format!(
                "the server {host}:{port} does not start with TLS, but security = \"tls\" expects it to (implicit TLS, usually port 465). For port 587 or 25 use security = \"starttls\" ({detail})"
            ));
        }
        if e.is_tls() || mentions_tls(&detail) {
            return Self::Tls(detail);
        }
        if e.is_timeout() {
            return Self::Temporary(format!("no answer from {host}:{port} in time ({detail})"));
        }
        if detail.contains("No compatible authentication mechanism") {
            return Self::Auth(
                "the server offers no login method we can use (does it need STARTTLS first?)"
                    .into(),
            );
        }
        if let Some(io) = io_source(e) {
            return match io.kind() {
                io::ErrorKind::ConnectionRefused => Self::Unreachable {
                    host: host.into(),
                    port,
                    detail: "the connection was refused (is the server running on that port?)"
                        .into(),
                },
                io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => {
                    Self::Temporary(format!("no answer from {host}:{port} in time"))
                }
                io::ErrorKind::HostUnreachable
                | io::ErrorKind::NetworkUnreachable
                | io::ErrorKind::NetworkDown => Self::Unreachable {
                    host: host.into(),
                    port,
                    detail: io.to_string(),
                },
                _ if looks_like_dns(&io.to_string()) => Self::Dns { host: host.into() },
                _ => Self::Temporary(detail),
            };
        }
        if looks_like_dns(&detail) {
            return Self::Dns { host: host.into() };
        }
        Self::Temporary(detail)
    }
}

fn io_source<'a>(e: &'a (dyn std::error::Error + 'static)) -> Option<&'a io::Error> {
    let mut source = e.source();
    while let Some(s) = source {
        if let Some(io) = s.downcast_ref::<io::Error>() {
            return Some(io);
        }
        source = s.source();
    }
    None
}

fn chain_text(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        let s_text = s.to_string();
        if !text.contains(&s_text) {
            text.push_str(": ");
            text.push_str(&s_text);
        }
        source = s.source();
    }
    crate::core::summary::sanitize::clean_line(&text)
}

/// Whether rustls found something other than TLS on the wire.
fn is_not_tls(text: &str) -> bool {
    text.contains("InvalidContentType") || text.contains("corrupt message")
}

fn mentions_tls(text: &str) -> bool {
    let t = text.to_ascii_lowercase();
    [
        "certificate",
        "tls",
        "handshake",
        "unknownissuer",
        "starttls",
    ]
    .iter()
    .any(|w| t.contains(w))
}

fn looks_like_dns(text: &str) -> bool {
    let t = text.to_ascii_lowercase();
    t.contains("lookup")
        || t.contains("name or service")
        || t.contains("resolve")
        || t.contains("no address")
        // Windows (WSAHOST_NOT_FOUND, 11001): "No such host is known." / Wine: "Host not found."
        || t.contains("no such host")
        || t.contains("host not found")
}
