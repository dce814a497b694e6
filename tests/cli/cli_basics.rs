//! The command line as scripts and people meet it: help with examples on every command, usage
//! errors (exit 2), input-file errors (66 missing, 65 malformed), and the shape of error output
//! (one sentence, then the causes). Runs the real binary with temporary data and config paths.

use std::path::Path;
use std::process::Output;

use clap::CommandFactory;
use skills_scan::cli::Cli;

use crate::support;
use crate::support::run as run_in;

fn run(args: &[&str]) -> Output {
    let home = tempfile::tempdir().expect("temp dir");
    run_in(home.path(), args)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn every_command_has_help_with_examples() {
    let root = run(&["--help"]);
    assert_eq!(root.status.code(), Some(0));
    let root_help = text(&root.stdout);
    assert!(root_help.contains("Examples:"), "{root_help}");
    let names: Vec<String> = Cli::command()
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect();
    for expected in [
        "new", "open", "list", "summary", "send", "export", "outbox", "standard", "schema",
        "config",
    ] {
        assert!(
            names.iter().any(|n| n == expected),
            "command `{expected}` exists"
        );
        assert!(root_help.contains(expected), "root help lists `{expected}`");
    }
    let home = tempfile::tempdir().expect("temp dir");
    for name in &names {
        let out = run_in(home.path(), &[name, "--help"]);
        let help = text(&out.stdout);
        assert_eq!(out.status.code(), Some(0), "{name} --help");
        assert!(
            help.contains("Examples:"),
            "`{name} --help` has no Examples section:\n{help}"
        );
        assert!(
            help.contains(&format!("skills-scan {name}")),
            "`{name} --help` examples use the command:\n{help}"
        );
        // `help NAME` says the same.
        let via_help = run_in(home.path(), &["help", name]);
        assert_eq!(text(&via_help.stdout), help, "help {name}");
    }
    // Subcommands of commands (`config init`, `outbox send`…) too. A command's options and
    // subcommands are built when it is used (`defer`): build them all to look at them.
    let mut cli = Cli::command();
    cli.build();
    let mut nested = 0;
    // Building adds clap's own `help` commands; those are not ours to check.
    let ours = |c: &&clap::Command| c.get_name() != "help";
    for command in cli.get_subcommands().filter(ours) {
        for action in command.get_subcommands().filter(ours) {
            let (outer, inner) = (command.get_name(), action.get_name());
            let out = run_in(home.path(), &[outer, inner, "--help"]);
            let help = text(&out.stdout);
            assert_eq!(out.status.code(), Some(0), "{outer} {inner} --help");
            assert!(
                help.contains("Examples:") && help.contains(&format!("skills-scan {outer}")),
                "`{outer} {inner} --help` has no Examples section:\n{help}"
            );
            nested += 1;
        }
    }
    assert!(
        nested >= 7,
        "config, outbox and standard have their subcommands: {nested}"
    );
}

#[test]
fn version_is_printed() {
    let out = run(&["--version"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        text(&out.stdout).trim(),
        format!("skills-scan {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn usage_errors_exit_2_with_usage_on_stderr() {
    for args in [
        &["frobnicate"][..],
        &["--no-such-flag"],
        &["standard", "--check"],
        &["standard", "--check", "a.toml", "--json"],
        &["summary"],
        &["summary", "scan.json", "--format", "pdf"],
        &["export"],
        &["export", "dir", "--resend"],
    ] {
        let out = run(args);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty(), "{args:?}");
        assert!(stderr.starts_with("error: "), "{args:?}: {stderr}");
        assert!(stderr.contains("try '--help'"), "{args:?}: {stderr}");
    }
}

#[test]
fn missing_input_file_exits_66_and_malformed_65() {
    let home = tempfile::tempdir().expect("temp dir");
    let missing = home.path().join("absent.toml");
    let out = run_in(
        home.path(),
        &["standard", "--check", missing.to_str().expect("utf-8")],
    );
    assert_eq!(out.status.code(), Some(66), "{}", text(&out.stderr));
    let malformed = home.path().join("broken.toml");
    std::fs::write(&malformed, "format = \n").expect("write");
    let out = run_in(
        home.path(),
        &["standard", "--check", malformed.to_str().expect("utf-8")],
    );
    assert_eq!(out.status.code(), Some(65), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("line 1, column"));
}

#[test]
fn errors_are_one_sentence_then_the_causes() {
    let home = tempfile::tempdir().expect("temp dir");
    // A file where the config folder should be: `config init` cannot create the folder.
    let blocker = home.path().join("blocker");
    std::fs::write(&blocker, "a file").expect("write");
    let config = blocker.join("config.toml");
    let out = run_in(
        home.path(),
        &[
            "--config",
            config.to_str().expect("utf-8"),
            "config",
            "init",
        ],
    );
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{stderr}");
    assert!(
        lines[0].starts_with("error: cannot create the folder ") && lines[0].contains("blocker"),
        "{stderr}"
    );
    assert!(lines[1].starts_with("  caused by: "), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(&blocker).expect("read"),
        "a file",
        "left alone"
    );
}

#[test]
fn a_cause_already_in_the_sentence_is_not_repeated() {
    let home = tempfile::tempdir().expect("temp dir");
    // A folder given as the config file: cannot be read as a file.
    let out = run_in(
        home.path(),
        &["--config", home.path().to_str().expect("utf-8"), "config"],
    );
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(78), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("error: cannot read the config file "),
        "{stderr}"
    );
}

#[test]
fn a_bad_standard_for_the_scan_is_refused_before_anything_starts() {
    let home = tempfile::tempdir().expect("temp dir");
    let missing = home.path().join("absent.toml");
    let bad = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/standards/bad-ksb-uncovered.toml");
    for (args, code) in [
        (vec!["--standard", missing.to_str().expect("utf-8")], 66),
        (
            vec!["new", "--standard", missing.to_str().expect("utf-8")],
            66,
        ),
        (vec!["--standard", bad.to_str().expect("utf-8")], 65),
        (vec!["new", "--standard", bad.to_str().expect("utf-8")], 65),
    ] {
        let out = run_in(home.path(), &args);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "{args:?}: {stderr}");
        assert!(stderr.starts_with("error: "), "{stderr}");
        assert!(!home.path().join("data").exists(), "nothing written");
    }
}

#[test]
fn output_into_a_closed_pipe_ends_quietly() {
    use std::process::Stdio;
    let home = tempfile::tempdir().expect("temp dir");
    for args in [
        &["config"][..],
        &["schema"],
        &["standard"],
        &["standard", "--json"],
    ] {
        let mut child = support::command(home.path())
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        // Close the reading end at once, as `| head -0` would.
        drop(child.stdout.take());
        let out = child.wait_with_output().expect("wait");
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}
