//! The SMTP side, the one way every path talks to the server (`send`, `outbox send`, the
//! learner's submit, `export --email`): the password (environment or `password_command`, never
//! stored or shown), a reusable transport built from `[smtp]` (security, localhost rule,
//! timeouts, pool, extra CA), and [`Connection`]: connecting (with a quick check that the
//! security setting matches what the server speaks), login, TLS, sending many messages on one
//! connection, each failure classified once as a [`MailError`]. Pacing is in [`super::pace`].

use std::fmt;
use std::time::Duration;

use lettre::address::{Address, Envelope};
use lettre::transport::smtp::PoolConfig;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{Message, SmtpTransport, Transport};

use super::MailError;
use crate::config::{Security, Smtp};

/// The environment variable that holds the SMTP password.
pub const PASSWORD_ENV: &str = crate::config::SMTP_PASSWORD_ENV;

/// A password: shown as `***` by `Debug`, never by `Display`.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    /// Wraps a password.
    pub fn new(p: impl Into<String>) -> Self {
        Self(p.into())
    }

    /// The secret itself, for the login only.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

/// The port in use: the configured one, else 587 (starttls), 465 (tls) or 25 (none).
pub fn port(smtp: &Smtp) -> u16 {
    smtp.port.unwrap_or(match smtp.security {
        Security::Starttls => 587,
        Security::Tls => 465,
        Security::None => 25,
    })
}

/// Whether a host name is this machine.
pub fn is_localhost(host: &str) -> bool {
    let h = host.trim().trim_start_matches('[').trim_end_matches(']');
    h.eq_ignore_ascii_case("localhost")
        || h.parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// Runs a password helper with no input, its stderr discarded, and kills it (and what it
/// started) when it takes longer than `limit`: a helper waiting for a passphrase must not hang
/// a send or the learner's submit.
fn run_with_timeout(
    mut command: std::process::Command,
    limit: Duration,
) -> Result<std::process::Output, MailError> {
    use std::io::Read;
    use std::process::Stdio;
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| MailError::Password(format!("cannot run password_command: {e}")))?;
    // Read its output on a thread, so a helper that fills the pipe is not stuck either.
    let mut stdout = child.stdout.take();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(s) = stdout.as_mut() {
            let _ = s.read_to_end(&mut buf);
        }
        let _ = tx.send(buf);
    });
    let deadline = std::time::Instant::now() + limit;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if std::time::Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(10));
            }
            Ok(None) => {
                kill_helper(&mut child);
                return Err(MailError::Password(format!(
                    "password_command did not finish within {} seconds and was stopped; check that it runs without asking for input (or raise [smtp] password_command_timeout_seconds)",
                    limit.as_secs()
                )));
            }
            Err(e) => {
                kill_helper(&mut child);
                return Err(MailError::Password(format!(
                    "cannot wait for password_command: {e}"
                )));
            }
        }
    };
    // What it started may still hold the pipe open: wait a little for the output, no more.
    let stdout = rx.recv_timeout(Duration::from_secs(1)).unwrap_or_default();
    Ok(std::process::Output {
        status,
        stdout,
        stderr: Vec::new(),
    })
}

/// Stops a helper and, on Unix, everything in its process group.
fn kill_helper(child: &mut std::process::Child) {
    #[cfg(unix)]
    let _ = rustix::process::kill_process_group(
        rustix::process::Pid::from_child(child),
        rustix::process::Signal::KILL,
    );
    let _ = child.kill();
    let _ = child.wait();
}

/// The password for `[smtp]`: `SKILLS_SCAN_SMTP_PASSWORD` if set, else the output of
/// `password_command` (run with `sh -c`, on Windows `cmd /C`; trailing newline removed), else none. A username
/// without any password is a config error.
pub fn password(smtp: &Smtp) -> Result<Option<Password>, MailError> {
    if let Ok(p) = std::env::var(PASSWORD_ENV)
        && !p.is_empty()
    {
        return Ok(Some(Password(p)));
    }
    if !smtp.password_command.trim().is_empty() {
        let out = run_with_timeout(
            crate::platform::shell(&smtp.password_command),
            Duration::from_secs(smtp.password_command_timeout_seconds.max(1)),
        )?;
        if !out.status.success() {
            // Its output is not shown: it could hold part of the secret.
            return Err(MailError::Password(format!(
                "password_command failed ({}); run it yourself to see why",
                out.status
            )));
        }
        let mut text = String::from_utf8(out.stdout).map_err(|_| {
            MailError::Password("password_command printed something that is not UTF-8".into())
        })?;
        while text.ends_with('\n') || text.ends_with('\r') {
            text.pop();
        }
        if text.is_empty() {
            return Err(MailError::Password(
                "password_command printed nothing".into(),
            ));
        }
        return Ok(Some(Password(text)));
    }
    if smtp.username.trim().is_empty() {
        Ok(None)
    } else {
        Err(MailError::Password(format!(
            "[smtp] username is set; set the {PASSWORD_ENV} environment variable or [smtp] password_command"
        )))
    }
}

/// Builds a reusable SMTP transport from `[smtp]`: the security mode (STARTTLS required, implicit
/// TLS, or none — only to localhost unless `allow_insecure`), connect and command timeouts, a
/// connection pool (one login for many messages), the system's root certificates plus
/// `ca_file` if set, and the login if a username is set. Connects lazily, on first use.
pub fn transport(smtp: &Smtp, password: Option<&Password>) -> Result<SmtpTransport, MailError> {
    let host = smtp.host.trim();
    if host.is_empty() {
        return Err(MailError::Config("[smtp] host is empty".into()));
    }
    let tls = match smtp.security {
        Security::None => {
            if !is_localhost(host) && !smtp.allow_insecure {
                return Err(MailError::Config(format!(
                    "security = \"none\" sends mail and password unencrypted; it is only allowed to localhost, not `{host}`. Use \"starttls\" or \"tls\", or set allow_insecure = true if you really mean it"
                )));
            }
            Tls::None
        }
        Security::Starttls => Tls::Required(tls_parameters(smtp, host)?),
        Security::Tls => Tls::Wrapper(tls_parameters(smtp, host)?),
    };
    let timeout = Duration::from_secs(smtp.timeout_seconds.max(1));
    let mut builder = SmtpTransport::builder_dangerous(host)
        .port(port(smtp))
        .tls(tls)
        .timeout(Some(timeout))
        .pool_config(
            PoolConfig::new()
                .max_size(2)
                .idle_timeout(Duration::from_secs(60)),
        );
    if !smtp.username.trim().is_empty() {
        let Some(p) = password else {
            return Err(MailError::Password(format!(
                "[smtp] username is set; set the {PASSWORD_ENV} environment variable or [smtp] password_command"
            )));
        };
        builder = builder.credentials(Credentials::new(
            smtp.username.trim().to_string(),
            p.expose().to_string(),
        ));
    }
    Ok(builder.build())
}

fn tls_parameters(smtp: &Smtp, host: &str) -> Result<TlsParameters, MailError> {
    let mut b = TlsParameters::builder(host.to_string());
    if let Some(ca) = &smtp.ca_file {
        let pem = std::fs::read(ca).map_err(|e| {
            MailError::Config(format!("cannot read [smtp] ca_file {}: {e}", ca.display()))
        })?;
        let cert = Certificate::from_pem(&pem).map_err(|_| {
            MailError::Config(format!(
                "[smtp] ca_file {} holds no PEM certificate",
                ca.display()
            ))
        })?;
        b = b.add_root_certificate(cert);
    }
    b.build()
        .map_err(|e| MailError::Config(format!("cannot set up TLS: {e}")))
}

/// Connects, secures and logs in as configured; sends nothing.
pub fn check(smtp: &Smtp, password: Option<&Password>) -> Result<(), MailError> {
    let connection = Connection::with_password(smtp, password)?;
    match connection.transport.test_connection() {
        Ok(true) => Ok(()),
        Ok(false) => Err(MailError::Temporary(
            "the server closed the connection after login".into(),
        )),
        Err(e) => Err(connection.classify(&e)),
    }
}

/// Somewhere messages go, one at a time: the SMTP server ([`Connection`]), or a stand-in in
/// tests and benchmarks. Every failure is a [`MailError`], decided by its [`MailError::kind`].
pub trait Outlet {
    /// Hands one message over, to every recipient of its envelope.
    fn send(&mut self, message: &Message) -> Result<(), MailError>;

    /// Hands the message over for one of its recipients only (after the server refused the
    /// whole message, to find out which address it refuses). Outlets that cannot, refuse.
    fn send_to(&mut self, message: &Message, to: &Address) -> Result<(), MailError> {
        let _ = (message, to);
        Err(MailError::Permanent(
            "this outlet cannot send to one recipient".into(),
        ))
    }
}

/// The server of `[smtp]`, set up once and reused for many messages: the password read once,
/// one pooled connection (one login, reopened when the server drops it).
#[derive(Debug)]
pub struct Connection {
    transport: SmtpTransport,
    host: String,
    port: u16,
}

impl Connection {
    /// The server of the config's `[smtp]` (see [`Connection::open`]).
    pub fn from_config(config: &crate::config::Config) -> Result<Self, MailError> {
        Self::open(config.smtp.as_ref().ok_or(MailError::NotConfigured)?)
    }

    /// Reads the password, builds the transport and checks that the server speaks what
    /// `security` expects (a plain-SMTP or STARTTLS setting against an implicit-TLS port is a
    /// configuration error at once, not a timeout).
    pub fn open(smtp: &Smtp) -> Result<Self, MailError> {
        let password = password(smtp)?;
        Self::with_password(smtp, password.as_ref())
    }

    /// [`Connection::open`] with the password already read.
    pub fn with_password(smtp: &Smtp, password: Option<&Password>) -> Result<Self, MailError> {
        let transport = transport(smtp, password)?;
        let host = smtp.host.trim().to_string();
        let port = port(smtp);
        if smtp.security != Security::Tls {
            let wait = Duration::from_secs(smtp.timeout_seconds.clamp(1, 3));
            if probe::speaks_tls_first(&host, port, wait) {
                return Err(MailError::Config(format!(
                    "the server {host}:{port} expects TLS from the first byte (implicit TLS, usually port 465), but security = \"{}\" waits for a plain greeting. Set security = \"tls\" for this port, or use port 587 with security = \"starttls\"",
                    match smtp.security {
                        Security::None => "none",
                        _ => "starttls",
                    }
                )));
            }
        }
        Ok(Self {
            transport,
            host,
            port,
        })
    }

    /// Classifies a lettre error from this server.
    pub fn classify(&self, e: &lettre::transport::smtp::Error) -> MailError {
        MailError::from_smtp(e, &self.host, self.port)
    }

    /// Sends exact bytes with an envelope (an outbox message, resent byte for byte).
    pub fn send_raw(&self, envelope: &Envelope, bytes: &[u8]) -> Result<(), MailError> {
        self.transport
            .send_raw(envelope, bytes)
            .map(|_| ())
            .map_err(|e| self.classify(&e))
    }

    /// Sends exact bytes to every recipient of `envelope` alone: the addresses that took it,
    /// and those refused with why. Used after the server refused the message as a whole: a
    /// refusal at RCPT TO ends the transaction before any data, so nobody got it yet and each
    /// accepted address now gets it once.
    pub fn send_each(&self, envelope: &Envelope, bytes: &[u8]) -> Delivered {
        let mut delivered = Delivered::default();
        for to in envelope.to() {
            let one = Envelope::new(envelope.from().cloned(), vec![to.clone()])
                .map_err(|e| MailError::Permanent(e.to_string()))
                .and_then(|one| self.send_raw(&one, bytes));
            match one {
                Ok(()) => delivered.accepted.push(to.to_string()),
                Err(e) => delivered.refused.push((to.to_string(), e.to_string())),
            }
        }
        delivered
    }

    /// Sends exact bytes; if the server refuses the message for good and it has several
    /// recipients, each alone (see [`Connection::send_each`]). Ok with who got it (and who was
    /// refused); an error only when nobody got it.
    pub fn deliver(&self, envelope: &Envelope, bytes: &[u8]) -> Result<Delivered, MailError> {
        match self.send_raw(envelope, bytes) {
            Ok(()) => Ok(Delivered {
                accepted: recipients(envelope),
                refused: Vec::new(),
            }),
            Err(e) if e.is_permanent() && envelope.to().len() > 1 => {
                let each = self.send_each(envelope, bytes);
                if each.accepted.is_empty() {
                    Err(MailError::Refused(each.refused))
                } else {
                    Ok(each)
                }
            }
            Err(e) => Err(e),
        }
    }
}

impl Outlet for Connection {
    fn send(&mut self, message: &Message) -> Result<(), MailError> {
        self.transport
            .send(message)
            .map(|_| ())
            .map_err(|e| self.classify(&e))
    }

    fn send_to(&mut self, message: &Message, to: &Address) -> Result<(), MailError> {
        let envelope = Envelope::new(message.envelope().from().cloned(), vec![to.clone()])
            .map_err(|e| MailError::Permanent(e.to_string()))?;
        self.send_raw(&envelope, &message.formatted())
    }
}

/// Who a message reached.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Delivered {
    /// The addresses that took it.
    pub accepted: Vec<String>,
    /// The addresses refused, with why.
    pub refused: Vec<(String, String)>,
}

/// The recipients of a message, as logged and as sent: its envelope's (To and Cc).
pub fn recipients(envelope: &Envelope) -> Vec<String> {
    envelope.to().iter().map(ToString::to_string).collect()
}

/// The quick look at what a server speaks first, before lettre waits its whole timeout.
mod probe {
    use std::io::{Read, Write};
    use std::net::{TcpStream, ToSocketAddrs};
    use std::time::Duration;

    /// Whether the server at `host:port` speaks TLS from the first byte: it sends no greeting
    /// within `wait`, and answers a plain `EHLO` with a TLS record (an alert) or by hanging up.
    /// Anything else (a greeting, no connection, silence) is left to the real connection, which
    /// reports it in its own words.
    pub fn speaks_tls_first(host: &str, port: u16, wait: Duration) -> bool {
        let Ok(addrs) = (host, port).to_socket_addrs() else {
            return false;
        };
        let Some(mut stream) = addrs
            .into_iter()
            .find_map(|a| TcpStream::connect_timeout(&a, wait).ok())
        else {
            return false;
        };
        let mut first = [0u8; 1];
        if stream.set_read_timeout(Some(wait)).is_err() {
            return false;
        }
        match stream.read(&mut first) {
            Ok(1) => {
                let _ = stream.write_all(b"QUIT\r\n");
                return is_tls_record(first[0]);
            }
            Ok(_) => return false,
            Err(e) if !timed_out(&e) => return false,
            Err(_) => {}
        }
        // Silent: an implicit-TLS server waits for the client's hello. Say something that is
        // not TLS; a TLS server answers with an alert record or hangs up.
        if stream.write_all(b"EHLO skills-scan\r\n").is_err() {
            return true;
        }
        let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
        match stream.read(&mut first) {
            Ok(1) => is_tls_record(first[0]),
            Ok(_) => true,
            Err(e) => !timed_out(&e),
        }
    }

    fn timed_out(e: &std::io::Error) -> bool {
        matches!(
            e.kind(),
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
        )
    }

    /// A TLS record's first byte: alert (21) or handshake (22). SMTP replies start with a digit.
    fn is_tls_record(byte: u8) -> bool {
        byte == 0x15 || byte == 0x16
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn smtp(security: Security, host: &str) -> Smtp {
        Smtp {
            host: host.into(),
            port: None,
            security,
            allow_insecure: false,
            username: String::new(),
            password_command: String::new(),
            password_command_timeout_seconds: 10,
            from: "Skills scan <skills-scan@example.org>".into(),
            timeout_seconds: 5,
            ca_file: None,
        }
    }

    #[test]
    fn insecure_only_to_localhost_unless_allowed() {
        assert!(transport(&smtp(Security::None, "localhost"), None).is_ok());
        assert!(transport(&smtp(Security::None, "127.0.0.1"), None).is_ok());
        let err = transport(&smtp(Security::None, "mail.example.org"), None).unwrap_err();
        assert!(err.is_config(), "{err}");
        let mut s = smtp(Security::None, "mail.example.org");
        s.allow_insecure = true;
        assert!(transport(&s, None).is_ok());
    }

    #[test]
    fn default_ports_follow_security() {
        assert_eq!(port(&smtp(Security::Starttls, "h")), 587);
        assert_eq!(port(&smtp(Security::Tls, "h")), 465);
        assert_eq!(port(&smtp(Security::None, "h")), 25);
    }

    #[test]
    fn password_debug_is_redacted() {
        let p = Password::new("hunter2");
        assert!(!format!("{p:?}").contains("hunter2"));
    }

    #[test]
    fn password_command_output_is_trimmed_and_failures_hide_output() {
        let mut s = smtp(Security::Starttls, "h");
        s.username = "u".into();
        // Run by the system's shell: `sh -c` here, `cmd /C` on Windows (whose echo ends CRLF).
        s.password_command = if cfg!(windows) {
            "echo s3cret".into()
        } else {
            "printf 's3cret\\n'".into()
        };
        // The env var would win; tests in this module do not set it.
        if std::env::var(PASSWORD_ENV).is_err() {
            assert_eq!(
                password(&s).expect("runs").map(|p| p.expose().to_string()),
                Some("s3cret".into())
            );
            s.password_command = if cfg!(windows) {
                "echo s3cret & exit 3".into()
            } else {
                "echo s3cret; exit 3".into()
            };
            let err = password(&s).unwrap_err().to_string();
            assert!(!err.contains("s3cret"), "{err}");
            s.password_command = String::new();
            assert!(password(&s).is_err());
        }
    }

    #[test]
    fn unreadable_ca_file_is_a_config_error() {
        let mut s = smtp(Security::Starttls, "h");
        s.ca_file = Some("/nonexistent/ca.pem".into());
        assert!(transport(&s, None).unwrap_err().is_config());
    }
}
