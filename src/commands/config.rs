//! `skills-scan config`: show the effective config and paths, write the template, test SMTP.

use std::io::Write;

use anyhow::Context as _;

use crate::commands::Context;
use crate::config::{SMTP_PASSWORD_ENV, TEMPLATE};
use crate::exit::{CmdResult, Exit, Failure, WithExit};

/// Shows every path in use and the effective configuration (never a password).
pub fn show(ctx: &Context) -> CmdResult {
    // Written with `?`, not `println!`, so a closed pipe (`| head`) ends quietly instead of panicking.
    let mut out = crate::out::stdout();
    let p = &ctx.paths;
    let exists = if p.config_file.exists() {
        ""
    } else {
        " (not present: defaults in use)"
    };
    writeln!(out, "Config file:  {}{exists}", p.config_file.display())?;
    writeln!(out, "Data folder:  {}", p.data_dir.display())?;
    writeln!(out, "Scans:        {}", p.scans_dir().display())?;
    writeln!(out, "Outbox:       {}", p.outbox_dir().display())?;
    out.flush()?;
    let config = ctx.config()?;
    writeln!(out)?;
    let text = toml::to_string_pretty(&config).exit(Exit::Failure)?;
    write!(out, "{text}")?;
    match &config.smtp {
        None => {
            writeln!(
                out,
                "\n# [smtp] is not set: summaries are queued in the outbox until it is."
            )?;
        }
        Some(smtp) => {
            // Say where the password will come from; never print it.
            let source = if std::env::var_os(SMTP_PASSWORD_ENV).is_some() {
                format!("{SMTP_PASSWORD_ENV} (set)")
            } else if !smtp.password_command.trim().is_empty() {
                "password_command".to_string()
            } else {
                format!(
                    "none: set {SMTP_PASSWORD_ENV} or password_command if the server needs a login"
                )
            };
            writeln!(out, "\n# SMTP password: {source}")?;
        }
    }
    Ok(())
}

/// Writes the commented template to the config file (0600, atomically); never overwrites one.
pub fn init(ctx: &Context) -> CmdResult {
    let path = &ctx.paths.config_file;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => std::path::Path::new("."),
    };
    crate::storage::create_private_dir(dir)
        .with_context(|| format!("cannot create the folder {}", dir.display()))?;
    let cannot = || format!("cannot write {}", path.display());
    let mut tmp = tempfile::Builder::new()
        .prefix(".skills-scan-config-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .with_context(cannot)?;
    tmp.write_all(TEMPLATE.as_bytes()).with_context(cannot)?;
    tmp.as_file().sync_all().with_context(cannot)?;
    // The temporary file is already 0600; `persist_noclobber` refuses to replace a file.
    match tmp.persist_noclobber(path) {
        Ok(_) => {}
        Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(anyhow::anyhow!(
                "{} already exists; it was left as it is. Edit it, or move it away and run `skills-scan config init` again",
                path.display()
            )
            .into());
        }
        Err(e) => return Err(anyhow::Error::new(e.error).context(cannot()).into()),
    }
    writeln!(
        crate::out::stdout(),
        "Wrote {}. Edit it to add your provider details and SMTP settings.",
        path.display()
    )?;
    Ok(())
}

/// Connects and logs in to the SMTP server, sends nothing. Exit 75 when the failure may pass
/// (DNS, refused, timeout, 4xx), 78 when the settings must change (TLS, login, config).
pub fn test_smtp(ctx: &Context) -> CmdResult {
    use crate::mail::{MailError, smtp};
    let config = ctx.config()?;
    let code = |e: &MailError| {
        if e.is_temporary() {
            Exit::TempFail
        } else if e.is_config() {
            Exit::Config
        } else {
            Exit::Failure
        }
    };
    let fail = |e: MailError| Failure {
        code: code(&e),
        error: e.into(),
    };
    let Some(s) = &config.smtp else {
        return Err(fail(MailError::NotConfigured));
    };
    let mut out = crate::out::stdout();
    let security = match s.security {
        crate::config::Security::Starttls => "STARTTLS",
        crate::config::Security::Tls => "TLS",
        crate::config::Security::None => "no encryption",
    };
    writeln!(
        out,
        "Connecting to {}:{} ({security})...",
        s.host.trim(),
        smtp::port(s)
    )?;
    let password = smtp::password(s).map_err(fail)?;
    smtp::check(s, password.as_ref()).map_err(fail)?;
    if s.username.trim().is_empty() {
        writeln!(
            out,
            "Connected. No login is configured. No message was sent."
        )?;
    } else {
        writeln!(
            out,
            "Connected and logged in as {}. No message was sent.",
            s.username.trim()
        )?;
    }
    Ok(())
}
