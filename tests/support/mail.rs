//! Test support: a real SMTP server (mailin-embedded) on 127.0.0.1 with a free port, recording
//! what it receives; it can require AUTH, offer STARTTLS with an rcgen certificate, and be told
//! to answer the end of DATA with a 4xx or 5xx. Plus helpers to run the real binary.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::net::{IpAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::{Arc, Mutex};

use mailin_embedded::{AuthMechanism, Handler, Response, Server, SslConfig, response};
use skills_scan::config::{Config, Provider, Security, Smtp};

/// The password the server accepts.
pub const USER: &str = "smtp-user";
/// A password unlikely to appear by chance in any output.
pub const PASSWORD: &str = "pw-Xq7-zebra-Kite-93";

/// How the server answers the end of a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// 250.
    Accept,
    /// 451, try later.
    Temporary,
    /// 554, refused.
    Refuse,
}

/// A message the server accepted.
#[derive(Debug, Clone)]
pub struct Received {
    /// MAIL FROM.
    pub from: String,
    /// RCPT TO.
    pub to: Vec<String>,
    /// The raw message.
    pub data: Vec<u8>,
    /// When the server accepted it (the end of DATA), taken by the server itself.
    pub at: std::time::Instant,
}

#[derive(Debug, Default)]
struct State {
    received: Vec<Received>,
    answer: Option<Answer>,
    logins: Vec<String>,
    helos: usize,
    refused_recipient: Option<String>,
}

#[derive(Clone)]
struct Recorder {
    state: Arc<Mutex<State>>,
    from: String,
    to: Vec<String>,
    buf: Vec<u8>,
}

impl Handler for Recorder {
    fn rcpt(&mut self, to: &str) -> Response {
        let state = self.state.lock().unwrap();
        if state
            .refused_recipient
            .as_deref()
            .is_some_and(|r| to.trim_matches(['<', '>']).eq_ignore_ascii_case(r))
        {
            response::NO_MAILBOX
        } else {
            response::OK
        }
    }

    fn data_start(&mut self, _domain: &str, from: &str, _is8bit: bool, to: &[String]) -> Response {
        self.from = from.to_string();
        self.to = to.to_vec();
        self.buf.clear();
        response::OK
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.buf.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        let mut state = self.state.lock().unwrap();
        match state.answer.unwrap_or(Answer::Accept) {
            Answer::Accept => {
                state.received.push(Received {
                    from: self.from.clone(),
                    to: self.to.clone(),
                    data: std::mem::take(&mut self.buf),
                    at: std::time::Instant::now(),
                });
                response::OK
            }
            // mailin stays in its DATA state after an error reply (QUIT would be read as message
            // text), so the server closes the connection after refusing, as many servers do.
            Answer::Temporary => closing(response::INTERNAL_ERROR),
            Answer::Refuse => closing(response::TRANSACTION_FAILED),
        }
    }

    fn auth_plain(&mut self, _authz: &str, user: &str, password: &str) -> Response {
        self.auth_login(user, password)
    }

    fn auth_login(&mut self, user: &str, password: &str) -> Response {
        self.state.lock().unwrap().logins.push(user.to_string());
        if user == USER && password == PASSWORD {
            response::AUTH_OK
        } else {
            response::INVALID_CREDENTIALS
        }
    }

    fn helo(&mut self, _ip: IpAddr, _domain: &str) -> Response {
        self.state.lock().unwrap().helos += 1;
        response::OK
    }
}

fn closing(mut r: Response) -> Response {
    r.action = mailin_embedded::Action::Close;
    r
}

/// A running test server.
pub struct SmtpServer {
    /// Its port on 127.0.0.1.
    pub port: u16,
    /// The CA file to trust (with TLS).
    pub ca_file: Option<PathBuf>,
    state: Arc<Mutex<State>>,
    _dir: tempfile::TempDir,
}

/// Installs ring as rustls's process-wide provider (mailin brings aws-lc, lettre uses ring).
pub fn install_crypto() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

impl SmtpServer {
    /// A plain server: no TLS, no AUTH.
    pub fn plain() -> Self {
        Self::start(false)
    }

    /// A server offering STARTTLS (certificate for `localhost`) and requiring AUTH after it.
    pub fn tls_auth() -> Self {
        Self::start(true)
    }

    fn start(tls: bool) -> Self {
        install_crypto();
        let dir = tempfile::tempdir().unwrap();
        let state = Arc::new(Mutex::new(State::default()));
        let mut server = Server::new(Recorder {
            state: state.clone(),
            from: String::new(),
            to: Vec::new(),
            buf: Vec::new(),
        });
        server.with_name("localhost").with_num_threads(4);
        let mut ca_file = None;
        if tls {
            let ck = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
            let cert = dir.path().join("cert.pem");
            let key = dir.path().join("key.pem");
            std::fs::write(&cert, ck.cert.pem()).unwrap();
            std::fs::write(&key, ck.signing_key.serialize_pem()).unwrap();
            server
                .with_ssl(SslConfig::SelfSigned {
                    cert_path: cert.to_string_lossy().into(),
                    key_path: key.to_string_lossy().into(),
                })
                .unwrap();
            server
                .with_auth(AuthMechanism::Plain)
                .with_auth(AuthMechanism::Login);
            ca_file = Some(cert);
        }
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        server.with_tcp_listener(listener);
        std::thread::spawn(move || {
            let _ = server.serve();
        });
        Self {
            port,
            ca_file,
            state,
            _dir: dir,
        }
    }

    /// Sets how the end of each message is answered from now on.
    pub fn answer(&self, answer: Answer) {
        self.state.lock().unwrap().answer = Some(answer);
    }

    /// Refuses this recipient (550 at RCPT TO) from now on.
    pub fn refuse_recipient(&self, address: &str) {
        self.state.lock().unwrap().refused_recipient = Some(address.to_string());
    }

    /// Every message accepted so far.
    pub fn received(&self) -> Vec<Received> {
        self.state.lock().unwrap().received.clone()
    }

    /// How many EHLO/HELO greetings (one per connection, plus one after STARTTLS).
    pub fn greetings(&self) -> usize {
        self.state.lock().unwrap().helos
    }

    /// Every login tried (user names).
    pub fn logins(&self) -> Vec<String> {
        self.state.lock().unwrap().logins.clone()
    }
}

/// A server that speaks TLS from the first byte (implicit TLS, as on port 465), with an rcgen
/// certificate for `localhost`: rustls, greeting in SMTP once the handshake is done. Returns its
/// port. A client that waits for a plain greeting gets none; plain text sent to it is answered
/// with a TLS alert.
pub fn implicit_tls_server() -> u16 {
    use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
    install_crypto();
    let ck = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(ck.signing_key.serialize_der()));
    let config = Arc::new(
        rustls::ServerConfig::builder()
            .with_no_client_auth()
            .with_single_cert(vec![ck.cert.der().clone()], key)
            .unwrap(),
    );
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let config = config.clone();
            std::thread::spawn(move || {
                use std::io::Write;
                let Ok(conn) = rustls::ServerConnection::new(config) else {
                    return;
                };
                let _ = stream.set_read_timeout(Some(std::time::Duration::from_secs(60)));
                let mut tls = rustls::StreamOwned::new(conn, stream);
                let _ = tls.write_all(b"220 localhost ESMTP\r\n");
            });
        }
    });
    port
}

/// A server that takes connections and never says anything (a server hung mid-send). Returns
/// its port; connections are held open until the test process ends.
pub fn silent_server() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().flatten() {
            held.push(stream);
        }
    });
    port
}

/// A port on 127.0.0.1 where nothing listens.
pub fn dead_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

/// The mail tests' kind of [`super::Env`]: the binary runs with the SMTP password in its
/// environment when given.
pub enum Mail {}

/// A temporary home for the mail tests.
pub type Env = super::Env<Mail>;

impl Env {
    /// Runs the binary with `args`, the password in the environment if given.
    pub fn run(&self, args: &[&str], password: Option<&str>) -> Output {
        self.command(args, password).output().unwrap()
    }

    /// The binary with `args` and this environment, to spawn.
    pub fn command(&self, args: &[&str], password: Option<&str>) -> std::process::Command {
        let mut cmd = (**self).command();
        cmd.args(args);
        if let Some(p) = password {
            cmd.env("SKILLS_SCAN_SMTP_PASSWORD", p);
        }
        cmd
    }
}

impl Env {
    /// An environment whose config file holds `config`.
    pub fn with_config(config: &str) -> Self {
        let env = Self::new();
        env.write_config(config);
        env
    }

    /// A cohort folder (`cohort`, in this environment) of `n` scans that mail can be sent for
    /// ([`super::cohort`], seeds from 101 on): the folder, and each scan's path with its bytes
    /// as saved.
    pub fn cohort(&self, n: usize) -> (PathBuf, Vec<(PathBuf, Vec<u8>)>) {
        let dir = self.path().join("cohort");
        let scans = super::cohort(&dir, 101, n)
            .into_iter()
            .map(|path| {
                let bytes = std::fs::read(&path).unwrap();
                (path, bytes)
            })
            .collect();
        (dir, scans)
    }
}

/// A config sending to `host:port` without TLS or login, for building messages in the library.
pub fn config(host: &str, port: u16) -> Config {
    Config {
        provider: Provider {
            name: "Example Training".into(),
            eportfolio: "OneFile".into(),
            coach_email: "coach.jones@example.org".into(),
            reply_to: "skills@example.org".into(),
        },
        smtp: Some(Smtp {
            host: host.into(),
            port: Some(port),
            security: Security::None,
            allow_insecure: false,
            username: String::new(),
            password_command: String::new(),
            password_command_timeout_seconds: 10,
            from: "Skills scan <skills-scan@example.org>".into(),
            timeout_seconds: 10,
            ca_file: None,
        }),
        ..Config::default()
    }
}

/// The config for sending through `server` with the batch's pace (messages a minute, 0 for no
/// pause) and retries.
pub fn batch_config(server: &SmtpServer, per_minute: u32, retries: u32) -> String {
    smtp_config(
        server,
        &format!("\n[batch]\nmax_per_minute = {per_minute}\nretries = {retries}\n"),
    )
}

/// A `[smtp]` section for the test server.
pub fn smtp_config(server: &SmtpServer, extra: &str) -> String {
    match &server.ca_file {
        Some(ca) => format!(
            "[provider]\ncoach_email = \"coach.jones@example.org\"\nreply_to = \"skills@example.org\"\neportfolio = \"OneFile\"\n\n[smtp]\nhost = \"localhost\"\nport = {}\nsecurity = \"starttls\"\nusername = \"{USER}\"\nfrom = \"Skills scan <skills-scan@example.org>\"\ntimeout_seconds = 10\nca_file = '{}'\n{extra}",
            server.port,
            ca.display()
        ),
        None => format!(
            "[provider]\ncoach_email = \"coach.jones@example.org\"\nreply_to = \"skills@example.org\"\neportfolio = \"OneFile\"\n\n[smtp]\nhost = \"127.0.0.1\"\nport = {}\nsecurity = \"none\"\nfrom = \"Skills scan <skills-scan@example.org>\"\ntimeout_seconds = 10\n{extra}",
            server.port
        ),
    }
}

/// A submitted sample scan ([`super::submitted`]) that mail can be sent for.
pub fn submitted(seed: u64) -> skills_scan::core::Scan {
    let scan = super::submitted(seed);
    assert!(scan.is_submitted(), "sample {seed} did not submit");
    assert!(
        scan.learner.email.parse::<lettre::Address>().is_ok(),
        "sample {seed} has an unusable address {}",
        scan.learner.email
    );
    scan
}

/// Loads a scan file.
pub fn load(path: &Path) -> skills_scan::core::Scan {
    skills_scan::storage::load(path).unwrap()
}
