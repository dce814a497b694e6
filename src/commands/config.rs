//! `skills-scan config`: show the effective config and paths, write the template, test SMTP.

use std::io::Write;

use crate::commands::Context;
use crate::config::TEMPLATE;
use crate::exit::{CmdResult, Exit, Failure, WithExit};

/// Shows every path in use and the effective configuration (never a password).
pub fn show(ctx: &Context) -> CmdResult {
    let p = &ctx.paths;
    let exists = if p.config_file.exists() {
        ""
    } else {
        " (not present: defaults in use)"
    };
    println!("Config file:  {}{exists}", p.config_file.display());
    println!("Data folder:  {}", p.data_dir.display());
    println!("Scans:        {}", p.scans_dir().display());
    println!("Outbox:       {}", p.outbox_dir().display());
    let config = ctx.config()?;
    println!();
    let text = toml::to_string_pretty(&config).exit(Exit::Failure)?;
    print!("{text}");
    if config.smtp.is_none() {
        println!("\n# [smtp] is not set: summaries are queued in the outbox until it is.");
    }
    Ok(())
}

/// Writes the commented template to the config file; never overwrites one.
pub fn init(ctx: &Context) -> CmdResult {
    let path = &ctx.paths.config_file;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        crate::storage::create_private_dir(dir)
            .map_err(|e| anyhow::anyhow!("cannot create the folder {}: {e}", dir.display()))?;
    }
    let mut file = match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
    {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(anyhow::anyhow!(
                "{} already exists; it was left as it is. Edit it, or move it away and run `skills-scan config init` again",
                path.display()
            ))
            .exit(Exit::Config);
        }
        Err(e) => return Err(anyhow::anyhow!("cannot create {}: {e}", path.display()).into()),
    };
    file.write_all(TEMPLATE.as_bytes())?;
    println!(
        "Wrote {}. Edit it to add your provider details and SMTP settings.",
        path.display()
    );
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
    let security = match s.security {
        crate::config::Security::Starttls => "STARTTLS",
        crate::config::Security::Tls => "TLS",
        crate::config::Security::None => "no encryption",
    };
    println!(
        "Connecting to {}:{} ({security})...",
        s.host.trim(),
        smtp::port(s)
    );
    let password = smtp::password(s).map_err(fail)?;
    smtp::check(s, password.as_ref()).map_err(fail)?;
    if s.username.trim().is_empty() {
        println!("Connected. No login is configured. No message was sent.");
    } else {
        println!(
            "Connected and logged in as {}. No message was sent.",
            s.username.trim()
        );
    }
    Ok(())
}
