//! `skills-scan config`: the paths in use and their overrides (flags and environment), running
//! with no config file, `config init`, and config errors (exit 78 naming the key and line).
//! Runs the real binary; HOME and XDG folders point into a temporary folder.

use std::fs;
#[cfg(unix)]
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Output;

use skills_scan::config::TEMPLATE;

use crate::support::{self, stderr, stdout};

/// Runs with HOME/XDG in `home` and no skills-scan variables unless given.
fn run(home: &Path, env: &[(&str, &Path)], args: &[&str]) -> Output {
    let mut cmd = support::command(home);
    cmd.args(args)
        .env_remove("SKILLS_SCAN_DATA_DIR")
        .env_remove("SKILLS_SCAN_CONFIG");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run skills-scan")
}

fn line_of<'a>(text: &'a str, label: &str) -> &'a str {
    text.lines()
        .find(|l| l.starts_with(label))
        .unwrap_or_else(|| panic!("no `{label}` line in:\n{text}"))
}

// Unix only: the defaults come from XDG_* here; on Windows from %APPDATA% (README).
#[cfg(unix)]
#[test]
fn with_no_config_file_defaults_and_every_path_are_shown() {
    let home = tempfile::tempdir().expect("temp dir");
    let h = home.path();
    let out = run(h, &[], &["config"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let config = h.join("xdg-config/skills-scan/config.toml");
    let data = h.join("xdg-data/skills-scan");
    assert_eq!(
        line_of(&text, "Config file:"),
        format!(
            "Config file:  {} (not present: defaults in use)",
            config.display()
        )
    );
    assert_eq!(
        line_of(&text, "Data folder:"),
        format!("Data folder:  {}", data.display())
    );
    assert_eq!(
        line_of(&text, "Scans:"),
        format!("Scans:        {}", data.join("scans").display())
    );
    assert_eq!(
        line_of(&text, "Outbox:"),
        format!("Outbox:       {}", data.join("outbox").display())
    );
    assert!(text.contains("eportfolio = \"OneFile\""), "{text}");
    assert!(text.contains("[smtp] is not set"), "{text}");
    // Showing the config creates nothing.
    assert!(!h.join("xdg-config").exists());
    assert!(!h.join("xdg-data").exists());
}

#[test]
fn data_dir_from_environment_and_flag_flag_wins() {
    let home = tempfile::tempdir().expect("temp dir");
    let h = home.path();
    let env_dir = h.join("from-env");
    let flag_dir = h.join("from-flag");
    let out = run(h, &[("SKILLS_SCAN_DATA_DIR", &env_dir)], &["config"]);
    assert_eq!(
        line_of(&stdout(&out), "Data folder:"),
        format!("Data folder:  {}", env_dir.display())
    );
    assert_eq!(
        line_of(&stdout(&out), "Scans:"),
        format!("Scans:        {}", env_dir.join("scans").display())
    );
    let out = run(
        h,
        &[("SKILLS_SCAN_DATA_DIR", &env_dir)],
        &["--data-dir", flag_dir.to_str().expect("utf-8"), "config"],
    );
    assert_eq!(
        line_of(&stdout(&out), "Data folder:"),
        format!("Data folder:  {}", flag_dir.display())
    );
    // The flag is global: it may come after the command too.
    let out = run(
        h,
        &[],
        &["config", "--data-dir", flag_dir.to_str().expect("utf-8")],
    );
    assert_eq!(
        line_of(&stdout(&out), "Data folder:"),
        format!("Data folder:  {}", flag_dir.display())
    );
}

#[test]
fn config_file_from_environment_and_flag_is_read() {
    let home = tempfile::tempdir().expect("temp dir");
    let h = home.path();
    let env_file = h.join("env.toml");
    let flag_file = h.join("flag.toml");
    fs::write(
        &env_file,
        "[provider]\nname = \"Env Training Ltd\"\neportfolio = \"Aptem\"\n",
    )
    .expect("write");
    fs::write(&flag_file, "[provider]\nname = \"Flag Training Ltd\"\n").expect("write");
    let out = run(h, &[("SKILLS_SCAN_CONFIG", &env_file)], &["config"]);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        line_of(&text, "Config file:"),
        format!("Config file:  {}", env_file.display())
    );
    assert!(text.contains("name = \"Env Training Ltd\""), "{text}");
    assert!(text.contains("eportfolio = \"Aptem\""), "{text}");
    let out = run(
        h,
        &[("SKILLS_SCAN_CONFIG", &env_file)],
        &["--config", flag_file.to_str().expect("utf-8"), "config"],
    );
    let text = stdout(&out);
    assert_eq!(
        line_of(&text, "Config file:"),
        format!("Config file:  {}", flag_file.display())
    );
    assert!(text.contains("name = \"Flag Training Ltd\""), "{text}");
}

#[test]
fn unknown_key_exits_78_naming_the_key_file_and_line() {
    let home = tempfile::tempdir().expect("temp dir");
    let h = home.path();
    let file = h.join("config.toml");
    fs::write(
        &file,
        "[provider]\nname = \"Example Training\"\ncolour = \"blue\"\n",
    )
    .expect("write");
    let out = run(h, &[("SKILLS_SCAN_CONFIG", &file)], &["config"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(78), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("error: the config file "), "{err}");
    assert!(err.contains(&file.display().to_string()), "{err}");
    assert!(err.contains("line 3, column 1"), "{err}");
    assert!(err.contains("unknown field `colour`"), "{err}");
}

#[test]
fn bad_values_and_syntax_exit_78() {
    let home = tempfile::tempdir().expect("temp dir");
    let h = home.path();
    let file = h.join("config.toml");
    for (content, expected) in [
        (
            "[programme]\nsome_factor = 1.5\n",
            "[programme] some_factor",
        ),
        (
            "[smtp]\nhost = \"smtp.example.org\"\nfrom = \"not an address\"\n",
            "[smtp] from",
        ),
        (
            "[provider]\ncoach_email = \"coach@\"\n",
            "[provider] coach_email",
        ),
        ("[provider\nname = 1\n", "line 1"),
        (
            "[smtp]\nhost = \"smtp.example.org\"\n",
            "missing field `from`",
        ),
        (
            "[smtp]\nhost = \"h\"\nfrom = \"a@example.org\"\nsecurity = \"ssl\"\n",
            "line 4",
        ),
    ] {
        fs::write(&file, content).expect("write");
        let out = run(h, &[("SKILLS_SCAN_CONFIG", &file)], &["config"]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(78), "{content}: {err}");
        assert!(
            err.contains(expected),
            "{content}: expected `{expected}` in {err}"
        );
    }
}

#[test]
fn commands_that_need_no_config_work_with_a_broken_one() {
    let home = tempfile::tempdir().expect("temp dir");
    let h = home.path();
    let file = h.join("config.toml");
    fs::write(&file, "this is not toml").expect("write");
    for args in [&["standard"][..], &["schema"]] {
        let out = run(h, &[("SKILLS_SCAN_CONFIG", &file)], args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
    }
}

#[cfg(unix)]
#[test]
fn init_writes_the_template_owner_only_and_never_overwrites() {
    let home = tempfile::tempdir().expect("temp dir");
    let h = home.path();
    let out = run(h, &[], &["config", "init"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let file = h.join("xdg-config/skills-scan/config.toml");
    assert!(stdout(&out).contains(&file.display().to_string()));
    assert_eq!(fs::read_to_string(&file).expect("written"), TEMPLATE);
    let mode = |p: &Path| fs::metadata(p).expect("meta").permissions().mode() & 0o777;
    assert_eq!(mode(&file), 0o600);
    assert_eq!(mode(file.parent().expect("folder")), 0o700);
    assert_eq!(
        fs::read_dir(file.parent().expect("folder"))
            .expect("list")
            .count(),
        1,
        "no temporary file left"
    );

    // The written template is read back as the defaults.
    let out = run(h, &[], &["config"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!stdout(&out).contains("not present"));

    // A second init refuses and leaves the (edited) file alone.
    fs::write(&file, "[provider]\nname = \"Edited\"\n").expect("edit");
    let out = run(h, &[], &["config", "init"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("already exists"), "{err}");
    assert!(err.contains(&file.display().to_string()), "{err}");
    assert_eq!(
        fs::read_to_string(&file).expect("read"),
        "[provider]\nname = \"Edited\"\n"
    );
}

#[test]
fn init_honours_the_config_flag() {
    let home = tempfile::tempdir().expect("temp dir");
    let h = home.path();
    let file = h.join("custom").join("skills-scan.toml");
    let out = run(
        h,
        &[],
        &["--config", file.to_str().expect("utf-8"), "config", "init"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(fs::read_to_string(&file).expect("written"), TEMPLATE);
    assert!(!h.join("xdg-config").exists());
}

#[test]
fn smtp_password_is_never_shown_only_its_source() {
    let home = tempfile::tempdir().expect("temp dir");
    let h = home.path();
    let file = h.join("config.toml");
    fs::write(
        &file,
        "[smtp]\nhost = \"smtp.example.org\"\nfrom = \"Skills scan <skills-scan@example.org>\"\nusername = \"skills-scan@example.org\"\n",
    )
    .expect("write");
    let out = support::command(h)
        .args(["config"])
        .env("SKILLS_SCAN_SMTP_PASSWORD", "s3cret-Invented-Passw0rd")
        .output()
        .expect("run");
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(text.contains("host = \"smtp.example.org\""), "{text}");
    assert!(
        text.contains("SMTP password: SKILLS_SCAN_SMTP_PASSWORD (set)"),
        "{text}"
    );
    assert!(!text.contains("s3cret"), "{text}");
    assert!(!stderr(&out).contains("s3cret"));
}
