//! Why a message could not be built or sent: the one failure taxonomy of every path that sends
//! (`send`, `outbox send`, the learner's submit, `export --email`), classified so callers can
//! decide by [`MailError::kind`] — retry later (temporary, or the connection broke), fix the
//! settings (refused login, TLS, configuration), or give up on this message (refused for good,
//! or refused recipients, named). No decision is made by matching message text.
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
    /// Some recipients refused (5xx at RCPT TO), each with why; nobody else was refused.
    #[error("the mail server refused the message: {}", refused_words(.0))]
    Refused(Vec<(String, String)>),
    /// A temporary failure the server said (4xx): try again later.
    #[error("temporary failure, try again later: {0}")]
    Temporary(String),
    /// The connection broke or nothing answered in time: try again (a new connection may work).
    #[error("temporary failure, try again later: {0}")]
    Lost(String),
    /// A local file problem (outbox).
    #[error("{0}")]
    Io(String),
}

/// What a failure means for the one who sends: the decision, apart from the words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The server said "try later" (4xx), or a local file problem: retry later.
    Temporary,
    /// Could not connect, or the connection broke: retry once on a new connection, then later.
    Connection,
    /// Every message would fail alike (refused login, TLS, settings): stop and fix the settings.
    Settings,
    /// This message (or some of its recipients) is refused for good.
    Permanent,
}

/// "a@example.org (why), …".
pub fn refused_words(refused: &[(String, String)]) -> String {
    refused
        .iter()
        .map(|(a, why)| format!("{a} ({why})"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl MailError {
    /// The decision this failure calls for.
    pub fn kind(&self) -> Kind {
        match self {
            Self::NotConfigured
            | Self::Config(_)
            | Self::Password(_)
            | Self::Tls(_)
            | Self::Auth(_) => Kind::Settings,
            Self::Permanent(_) | Self::Refused(_) | Self::Scan(_) => Kind::Permanent,
            Self::Dns { .. } | Self::Unreachable { .. } | Self::Lost(_) => Kind::Connection,
            Self::Temporary(_) | Self::Io(_) => Kind::Temporary,
        }
    }

    /// Whether trying again later may work.
    pub fn is_temporary(&self) -> bool {
        matches!(self.kind(), Kind::Temporary | Kind::Connection)
    }

    /// Whether the message itself was refused for good (retrying the same message won't help).
    pub fn is_permanent(&self) -> bool {
        self.kind() == Kind::Permanent
    }

    /// Whether fixing the configuration (or the password) is what is needed.
    pub fn is_config(&self) -> bool {
        self.kind() == Kind::Settings
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
            return Self::Lost(format!("no answer from {host}:{port} in time ({detail})"));
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
                    Self::Lost(format!("no answer from {host}:{port} in time"))
                }
                io::ErrorKind::HostUnreachable
                | io::ErrorKind::NetworkUnreachable
                | io::ErrorKind::NetworkDown => Self::Unreachable {
                    host: host.into(),
                    port,
                    detail: io.to_string(),
                },
                _ if looks_like_dns(&io.to_string()) => Self::Dns { host: host.into() },
                _ => Self::Lost(detail),
            };
        }
        if looks_like_dns(&detail) {
            return Self::Dns { host: host.into() };
        }
        if e.is_client() {
            // Our side cannot make this message acceptable (e.g. no usable envelope).
            return Self::Permanent(detail);
        }
        Self::Lost(detail)
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
