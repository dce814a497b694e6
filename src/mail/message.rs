//! Building the summary email (no network): headers from the config and the scan, a
//! multipart/alternative text + HTML body, and two attachments — the scan file, byte for byte,
//! and `summary.html`. Every name and subject is cleaned first; lettre encodes non-ASCII headers
//! (RFC 2047), so nothing a learner typed can add or break a header.

use chrono::{DateTime, Utc};
use lettre::message::header::{
    ContentTransferEncoding, ContentType, Header, HeaderName, HeaderValue,
};
use lettre::message::{Attachment, Body, Mailbox, MultiPart, SinglePart};
use lettre::{Address, Message};

use super::MailError;
use crate::config::Config;
use crate::core::Scan;
use crate::core::summary::sanitize::clean_line;
use crate::core::summary::{Letter, Options, Summary};

/// The Content-ID of the inline ratings chart.
pub const CHART_CID: &str = "ratings-chart@skills-scan";

/// The name of the HTML attachment.
pub const SUMMARY_FILE_NAME: &str = "summary.html";

/// A built message with what the email log and the outbox need to know about it.
#[derive(Debug, Clone)]
pub struct Built {
    /// The message, ready for `Transport::send` (or `formatted()` for an `.eml` file).
    pub message: Message,
    /// Its Message-ID, with angle brackets: `<uuid@example.org>`.
    pub message_id: String,
    /// The recipients (To and Cc) as plain addresses, for the email log: the envelope's.
    pub recipients: Vec<String>,
    /// The subject.
    pub subject: String,
}

/// The summary options from the config (e-portfolio name, what Some counts for).
pub fn summary_options(config: &Config) -> Options {
    Options {
        eportfolio: config.eportfolio().to_string(),
        some_factor: config.programme.some_factor,
    }
}

/// A fresh Message-ID in the sender's domain: `<uuid@domain>`.
/// Without `[smtp]` (a message only queued), the domain of the provider's `reply_to` or
/// `coach_email` stands in, so the message keeps an id on the provider's domain when it is sent
/// later; `skills-scan.invalid` only when none of them is set.
pub fn new_message_id(config: &Config) -> String {
    let smtp_from = config
        .smtp
        .as_ref()
        .map_or("", |s| crate::config::sender_address(&s.from));
    let domain = [
        smtp_from,
        crate::config::sender_address(&config.provider.reply_to),
        crate::config::sender_address(&config.provider.coach_email),
    ]
    .into_iter()
    .find_map(|address| {
        address.rsplit_once('@').map(|(_, d)| d).filter(|d| {
            !d.is_empty()
                && d.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
        })
    })
    .unwrap_or("skills-scan.invalid");
    format!("<{}@{domain}>", uuid::Uuid::new_v4())
}

/// `Auto-Submitted: auto-generated` (RFC 3834): tells auto-responders (out-of-office replies)
/// that a machine sent this message.
#[derive(Debug, Clone, Copy)]
struct AutoSubmitted;

impl Header for AutoSubmitted {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("Auto-Submitted")
    }

    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self)
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "auto-generated".to_string())
    }
}

/// What the email says about its sender, from `[provider]`: the name, whom to contact (the
/// coach, else the reply-to address) and the e-portfolio.
pub fn letter(config: &Config, scan: &Scan) -> Letter {
    let contact = [&config.provider.coach_email, &config.provider.reply_to]
        .into_iter()
        .map(|c| clean_line(c))
        .find(|c| !c.is_empty())
        .unwrap_or_default();
    Letter {
        provider: clean_line(&config.provider.name),
        contact,
        eportfolio: clean_line(config.eportfolio()),
        scan_file: scan_attachment_name(scan),
        summary_file: SUMMARY_FILE_NAME.to_string(),
        chart_cid: None,
    }
}

/// The ASCII file name of the attached scan file, as `storage` names scan files, with the
/// learner's name transliterated (Siân Ŵyn → `sian-wyn`), so every mail client shows the same
/// name: `2026-11-23-sam-taylor-1a2b3c4d.json`.
pub fn scan_attachment_name(scan: &Scan) -> String {
    crate::storage::file_name(
        &deunicode::deunicode(&scan.learner.name),
        &scan.id,
        scan.created,
    )
}

/// Builds one scan's summary message with a new Message-ID. This is what the batch export
/// calls per scan; `scan_file` is the saved file's bytes, attached unchanged.
pub fn build(
    scan: &Scan,
    scan_file: &[u8],
    config: &Config,
    now: DateTime<Utc>,
) -> Result<Built, MailError> {
    build_with_id(scan, scan_file, config, now, &new_message_id(config))
}

/// Builds one scan's summary message with a given Message-ID (a retry of the same message).
pub fn build_with_id(
    scan: &Scan,
    scan_file: &[u8],
    config: &Config,
    now: DateTime<Utc>,
    message_id: &str,
) -> Result<Built, MailError> {
    let summary = Summary::build(scan, &summary_options(config));
    build_summary(scan, &summary, scan_file, config, now, message_id)
}

/// Builds a later scan's summary message (with a given Message-ID) with its "Progress since
/// DATE" section, given the earlier scan it follows if it was found.
pub fn build_with_progress(
    scan: &Scan,
    earlier: Option<&Scan>,
    scan_file: &[u8],
    config: &Config,
    now: DateTime<Utc>,
    message_id: &str,
) -> Result<Built, MailError> {
    let summary = Summary::build(scan, &summary_options(config)).with_progress(scan, earlier);
    build_summary(scan, &summary, scan_file, config, now, message_id)
}

fn build_summary(
    scan: &Scan,
    summary: &Summary,
    scan_file: &[u8],
    config: &Config,
    now: DateTime<Utc>,
    message_id: &str,
) -> Result<Built, MailError> {
    let letter = letter(config, scan);
    let from = sender(config)?;
    let (to, coach) = addressees(scan, config);
    let mut builder = Message::builder().from(from);
    for (whose, name, email) in to {
        builder = builder.to(mailbox(name, email, whose)?);
    }
    let subject = header_text(&summary.title());
    let mut builder = builder
        .subject(subject.clone())
        .message_id(Some(message_id.to_string()))
        .header(AutoSubmitted)
        .date(now.into());
    if let Some(coach) = coach {
        let address: Address = coach.parse().map_err(|_| {
            MailError::Config(format!(
                "[provider] coach_email `{coach}` is not an address"
            ))
        })?;
        builder = builder.cc(Mailbox::new(None, address));
    }
    let reply_to = config.provider.reply_to.trim();
    if !reply_to.is_empty() {
        let mb: Mailbox = reply_to.parse().map_err(|_| {
            MailError::Config(format!(
                "[provider] reply_to `{reply_to}` is not an address"
            ))
        })?;
        builder = builder.reply_to(mb);
    }
    // Each part is encoded once with a chosen encoding: lettre's `Body::new` would pick one by
    // scanning the content, and turns `\n` into `\r\n` one insertion at a time (quadratic in
    // the number of lines). Line endings are made CRLF here in one pass instead. The HTML part is
    // the letter to the learner and manager; the attached `summary.html` is the summary alone,
    // for the e-portfolio.
    // The chart goes inline beside the HTML part (multipart/related); without it, none.
    let chart = super::chart::png(&summary.glance());
    let mut letter = letter;
    if chart.is_some() {
        letter.chart_cid = Some(CHART_CID.to_string());
    }
    let text = text_body(&summary.to_email_text(&letter));
    let html = text_body(&summary.to_email_html(&letter));
    let attached = text_body(&summary.to_html());
    let json = Body::new_with_encoding(scan_file.to_vec(), ContentTransferEncoding::Base64)
        .map_err(|_| MailError::Scan("the scan file could not be attached".into()))?;
    let html_part = SinglePart::html(html);
    let alternative = MultiPart::alternative().singlepart(SinglePart::plain(text));
    let alternative = match chart {
        Some(png) => alternative.multipart(MultiPart::related().singlepart(html_part).singlepart(
            Attachment::new_inline(CHART_CID.to_string()).body(png, content_type("image/png")),
        )),
        None => alternative.singlepart(html_part),
    };
    let body = MultiPart::mixed()
        .multipart(alternative)
        .singlepart(
            Attachment::new(scan_attachment_name(scan))
                .body(json, content_type("application/json")),
        )
        .singlepart(
            Attachment::new(SUMMARY_FILE_NAME.to_string()).body(attached, ContentType::TEXT_HTML),
        );
    let message = builder
        .multipart(body)
        .map_err(|e| MailError::Scan(format!("the message could not be built: {e}")))?;
    Ok(Built {
        // As logged and as sent: the envelope's.
        recipients: super::smtp::recipients(message.envelope()),
        message,
        message_id: message_id.to_string(),
        subject,
    })
}

/// A text part's body: the text with CRLF line endings (as MIME text needs, and as lettre would
/// make them), quoted-printable encoded (every character kept, UTF-8 included, readable in the
/// raw message). Done here in one pass: lettre's `Body::new` inserts each CR one at a time
/// (quadratic in lines), and its quoted-printable encoder works a `char` at a time.
fn text_body(text: &str) -> Body {
    Body::dangerous_pre_encoded(
        quoted_printable(text),
        ContentTransferEncoding::QuotedPrintable,
    )
}

/// The longest encoded line, without its CRLF (RFC 2045 6.7: at most 76, counting the `=` of a
/// soft line break).
const QP_LINE: usize = 76;

/// The bytes quoted-printable may leave as they are: printable ASCII but `=`, space and tab.
static QP_LITERAL: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = b' ';
    while b <= b'~' {
        table[b as usize] = b != b'=';
        b += 1;
    }
    table[b'\t' as usize] = true;
    table
};

/// Quoted-printable (RFC 2045 6.7) of `text` with its line breaks made CRLF: each `\n` (or
/// `\r\n`) becomes a CRLF line break; printable ASCII other than `=` stays as it is, as do
/// spaces and tabs except at the end of a line; every other byte (a lone CR, UTF-8, `=`) becomes
/// `=XX`; lines longer than 76 characters are split with soft breaks (`=` CRLF).
fn quoted_printable(text: &str) -> Vec<u8> {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = Vec::with_capacity(text.len() + text.len() / 4);
    for piece in text.split_inclusive('\n') {
        let (line, line_break) = match piece.strip_suffix('\n') {
            Some(line) => (line.strip_suffix('\r').unwrap_or(line), true),
            None => (piece, false),
        };
        let line = line.as_bytes();
        // A space or tab ending the line must be escaped: bytes from `literal_end` never are
        // literal.
        let literal_end = line.len() - usize::from(matches!(line.last(), Some(b' ' | b'\t')));
        let literal = |i: usize| i < literal_end && QP_LITERAL[usize::from(line[i])];
        // Copies runs of literal bytes whole; `column` is the encoded line's length so far,
        // kept below 76 to leave room for a soft break's `=`.
        let (mut i, mut column) = (0, 0);
        while i < line.len() {
            let limit = (i + (QP_LINE - 1 - column)).min(literal_end).max(i);
            let end = line[i..limit]
                .iter()
                .position(|&b| !QP_LITERAL[usize::from(b)])
                .map_or(limit, |n| i + n);
            out.extend_from_slice(&line[i..end]);
            column += end - i;
            i = end;
            if i == line.len() {
                break;
            }
            let width = if literal(i) { 1 } else { 3 };
            if column + width > QP_LINE - 1 {
                out.extend_from_slice(b"=\r\n");
                column = 0;
            }
            if width == 3 {
                let b = line[i];
                out.extend_from_slice(&[b'=', HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]]);
                column += 3;
                i += 1;
            }
        }
        if line_break {
            out.extend_from_slice(b"\r\n");
        }
    }
    out
}

fn content_type(s: &str) -> ContentType {
    ContentType::parse(s).unwrap_or(ContentType::TEXT_PLAIN)
}

/// The configured sender; without `[smtp]`, the provider's reply-to or a placeholder (the message
/// is then only queued, and rebuilt with the real sender when sent).
fn sender(config: &Config) -> Result<Mailbox, MailError> {
    if let Some(smtp) = &config.smtp {
        let provider = header_text(&config.provider.name);
        return smtp
            .from
            .parse::<Mailbox>()
            .map(|mb| {
                // The provider's name when configured: the inbox shows who the message is from.
                let name = if provider.is_empty() {
                    mb.name.map(|n| header_text(&n))
                } else {
                    Some(provider)
                };
                Mailbox::new(name.filter(|n| !n.is_empty()), mb.email)
            })
            .map_err(|_| {
                MailError::Config(format!(
                    "[smtp] from `{}` is not an address (like Skills scan <skills-scan@example.org>)",
                    smtp.from
                ))
            });
    }
    let fallback = if config.provider.reply_to.trim().is_empty() {
        "skills-scan@skills-scan.invalid"
    } else {
        config.provider.reply_to.trim()
    };
    fallback
        .parse::<Mailbox>()
        .map_err(|_| MailError::NotConfigured)
}

/// Whom a scan's summary is addressed to: To the learner and the manager (whose, name, email),
/// and Cc the coach when `[provider] coach_email` is set. The built message's envelope
/// (`smtp::recipients`) is these in this order.
fn addressees<'a>(
    scan: &'a Scan,
    config: &'a Config,
) -> ([(&'static str, &'a str, &'a str); 2], Option<&'a str>) {
    let coach = config.provider.coach_email.trim();
    (
        [
            (
                "learner's",
                scan.learner.name.as_str(),
                scan.learner.email.as_str(),
            ),
            (
                "manager's",
                scan.manager.name.as_str(),
                scan.manager.email.as_str(),
            ),
        ],
        (!coach.is_empty()).then_some(coach),
    )
}

/// The addresses a scan's summary would go to, without building it (a dry run's list): the
/// [`addressees`] rule, in the order of the built message's envelope.
pub fn recipients(scan: &Scan, config: &Config) -> Vec<String> {
    let (to, coach) = addressees(scan, config);
    to.iter()
        .map(|(_, _, email)| email.trim())
        .chain(coach)
        .map(String::from)
        .collect()
}

fn mailbox(name: &str, email: &str, whose: &str) -> Result<Mailbox, MailError> {
    let address: Address = email.trim().parse().map_err(|_| {
        MailError::Scan(format!(
            "the {whose} email `{}` is not an address",
            clean_line(email)
        ))
    })?;
    let name = header_text(name);
    Ok(Mailbox::new((!name.is_empty()).then_some(name), address))
}

/// Text typed by a person, made safe for a header: one clean line, and no `=?` that a mail reader
/// would decode as an RFC 2047 encoded word (`=?utf-8?q?=0D=0A…?=` in a name would otherwise show
/// up as a line break in the Subject). lettre then encodes what is left.
fn header_text(text: &str) -> String {
    let line = clean_line(text);
    if line.contains("=?") {
        line.replace("=?", "= ?")
    } else {
        line
    }
}

#[cfg(test)]
mod tests {
    use super::quoted_printable;
    use proptest::prelude::*;

    /// A strict decoder: fails on anything a conforming encoder would not write.
    fn decode(encoded: &[u8]) -> Result<Vec<u8>, String> {
        let text = std::str::from_utf8(encoded).map_err(|e| e.to_string())?;
        let mut out = Vec::new();
        let mut lines = text.split("\r\n").peekable();
        while let Some(line) = lines.next() {
            if line.len() > 76 {
                return Err(format!("line of {} characters", line.len()));
            }
            if line.ends_with([' ', '\t']) {
                return Err("whitespace at the end of a line".into());
            }
            let (body, soft) = match line.strip_suffix('=') {
                Some(b) => (b, true),
                None => (line, false),
            };
            let bytes = body.as_bytes();
            let mut i = 0;
            while i < bytes.len() {
                match bytes[i] {
                    b'=' => {
                        let hex = body.get(i + 1..i + 3).ok_or("cut escape")?;
                        if hex.bytes().any(|h| h.is_ascii_lowercase()) {
                            return Err("lowercase escape".into());
                        }
                        out.push(u8::from_str_radix(hex, 16).map_err(|e| e.to_string())?);
                        i += 3;
                    }
                    b'\t' | b' '..=b'~' => {
                        out.push(bytes[i]);
                        i += 1;
                    }
                    other => return Err(format!("raw byte {other}")),
                }
            }
            if !soft && lines.peek().is_some() {
                out.extend_from_slice(b"\r\n");
            }
        }
        Ok(out)
    }

    fn crlf(text: &str) -> String {
        text.replace("\r\n", "\n").replace('\n', "\r\n")
    }

    #[test]
    fn quoted_printable_examples() {
        for (input, expected) in [
            ("", ""),
            ("a\nb\n", "a\r\nb\r\n"),
            ("a\r\nb", "a\r\nb"),
            ("x = 1 \nend\t", "x =3D 1=20\r\nend=09"),
            ("– ✔", "=E2=80=93 =E2=9C=94"),
            ("lone\rcr\r", "lone=0Dcr=0D"),
            ("\r\r\n\n", "=0D\r\n\r\n"),
        ] {
            assert_eq!(
                String::from_utf8(quoted_printable(input)).unwrap(),
                expected,
                "{input:?}"
            );
        }
        let long = "word ".repeat(40);
        let encoded = String::from_utf8(quoted_printable(&long)).unwrap();
        assert!(encoded.lines().all(|l| l.len() <= 76), "{encoded}");
        assert_eq!(decode(encoded.as_bytes()).unwrap(), long.as_bytes());
    }

    proptest! {
        #[test]
        fn quoted_printable_decodes_to_the_crlf_text(text in "[ -~\t\r\n=é–✔\u{1F4EC}]{0,300}") {
            let encoded = quoted_printable(&text);
            prop_assert_eq!(decode(&encoded), Ok(crlf(&text).into_bytes()));
        }

        #[test]
        fn quoted_printable_splits_long_lines(text in "[ -~\t=é✔]{0,400}(\r?\n[ -~\t]{0,200}){0,2}") {
            let encoded = quoted_printable(&text);
            prop_assert_eq!(decode(&encoded), Ok(crlf(&text).into_bytes()));
        }
    }
}
