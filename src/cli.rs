//! The command line: every command, its options and its help examples (clap derive).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::paths::{CONFIG_ENV, DATA_DIR_ENV};

/// The initial skills scan for apprentices: the learner's scan, the coach's review, email and
/// cohort export.
#[derive(Debug, Parser)]
#[command(
    name = "skills-scan",
    version,
    about,
    after_help = "Examples:\n  skills-scan                 start your skills scan, or carry on with the one you started\n  skills-scan new             start a new scan\n  skills-scan open scan.json  review a learner's scan (coaches)\n  skills-scan export cohort/ --email --csv cohort.csv\n\nRun `skills-scan help COMMAND` for a command's options and examples."
)]
pub struct Cli {
    /// Where scans and the outbox are kept.
    #[arg(long, global = true, env = DATA_DIR_ENV, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// The config file to use.
    #[arg(long, global = true, env = CONFIG_ENV, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// What to do; without a command, start or resume the learner's scan.
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Options for starting or resuming a scan.
    #[command(flatten)]
    pub scan: ScanArgs,
}

// Options of the learner's scan (`skills-scan` and `skills-scan new`).
#[derive(Debug, Clone, Default, Args)]
pub struct ScanArgs {
    /// Ask the questions as plain line-by-line prompts (for screen readers, basic terminals and
    /// piped answers). Automatic when TERM=dumb or input/output is not a terminal.
    #[arg(long)]
    pub plain: bool,
    /// Use this standard: a standard file, or the reference of an installed one (`ST0896`, or
    /// `ST0896:1.0` for one version). Without it, the app asks when standards are installed.
    #[arg(long, value_name = "FILE|ST0xxx[:VERSION]")]
    pub standard: Option<PathBuf>,
    /// For a standard with options: the learner's option (its id, as `standard` shows it).
    /// Without it, the app asks.
    #[arg(long, value_name = "ID")]
    pub option: Option<String>,
}

// Options of `skills-scan new`.
#[derive(Debug, Clone, Default, Args)]
pub struct NewArgs {
    /// Options of the learner's scan.
    #[command(flatten)]
    pub scan: ScanArgs,
    /// Start a later scan of the same learner on the same standard, following this earlier
    /// (submitted) scan file: a progress review or the end-of-programme scan.
    #[arg(long, value_name = "FILE", conflicts_with = "standard")]
    pub after: Option<PathBuf>,
    /// With --after: which later scan this is.
    #[arg(long, value_enum, requires = "after", default_value_t = LaterKind::ProgressReview)]
    pub kind: LaterKind,
}

/// Kinds of a later scan.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum LaterKind {
    /// A scan at a progress review.
    #[default]
    ProgressReview,
    /// The scan at the end of the programme.
    EndOfProgramme,
}

/// The commands. Each command's options are built only when that command is used (`defer`):
/// the plain `skills-scan` start does not pay for building every command's options first.
///
/// A command's description is its variant's doc comment. The types holding a command's options
/// or actions have plain `//` comments, not doc comments: built later, clap would show theirs
/// in place of the variant's.
#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum Command {
    /// Start a new skills scan (even if an unfinished one exists).
    #[command(
        after_help = "Examples:\n  skills-scan new\n  skills-scan new --plain < answers.txt\n  skills-scan new --after 2026-03-02-sam-taylor-1a2b3c4d.json --kind progress-review"
    )]
    New(NewArgs),
    /// Carry on with a named unfinished scan (when several are in the data folder).
    #[command(
        after_help = "Examples:\n  skills-scan resume ~/.local/share/skills-scan/scans/2026-11-23-sam-taylor-1a2b3c4d.json\n  skills-scan resume scan.json --plain < rest-of-the-answers.txt"
    )]
    Resume {
        /// The scan file.
        file: PathBuf,
        /// Ask as plain line-by-line prompts (automatic when TERM=dumb or without a terminal).
        #[arg(long)]
        plain: bool,
    },
    /// Open a scan file to review it at the planning meeting (coaches).
    #[command(after_help = "Examples:\n  skills-scan open 2026-11-23-sam-taylor-1a2b3c4d.json")]
    Open {
        /// The scan file.
        file: PathBuf,
    },
    /// List the scans in a folder.
    #[command(
        after_help = "Examples:\n  skills-scan list\n  skills-scan list cohort/ --status submitted --sort prior-learning\n  skills-scan list --json"
    )]
    List(ListArgs),
    /// Print a scan's summary.
    #[command(
        after_help = "Examples:\n  skills-scan summary scan.json\n  skills-scan summary scan.json --format html > summary.html\n  skills-scan summary scan.json --format json | jq .prior_learning"
    )]
    Summary {
        /// The scan file.
        file: PathBuf,
        /// Output format.
        #[arg(long, value_enum, default_value_t = SummaryFormat::Text)]
        format: SummaryFormat,
    },
    /// Compare a later scan with an earlier one (distance travelled), or every learner in a folder.
    #[command(
        after_help = "Examples:\n  skills-scan compare initial.json review.json\n  skills-scan compare initial.json review.json --format html > progress.html\n  skills-scan compare cohort/ --csv progress.csv"
    )]
    Compare(CompareArgs),
    /// Email a submitted scan's summary to the learner and their manager.
    #[command(
        after_help = "Examples:\n  skills-scan send scan.json\n  skills-scan send --resend scan.json"
    )]
    Send {
        /// The scan file.
        file: PathBuf,
        /// Send again even if the scan's log shows the summary already sent.
        #[arg(long)]
        resend: bool,
    },
    /// Export a cohort's scans: email their summaries and/or write a spreadsheet.
    #[command(
        after_help = "Examples:\n  skills-scan export cohort/ --email\n  skills-scan export cohort/ --csv cohort.csv --bom\n  skills-scan export cohort/ --eml-dir out/\n  skills-scan export cohort/ --email --dry-run"
    )]
    Export(ExportArgs),
    /// Show or send the messages waiting in the outbox.
    #[command(after_help = "Examples:\n  skills-scan outbox\n  skills-scan outbox send")]
    Outbox {
        /// What to do with the outbox; without one, list it.
        #[command(subcommand)]
        action: Option<OutboxAction>,
    },
    /// Show, check, import or list standards.
    #[command(
        after_help = "Examples:\n  skills-scan standard\n  skills-scan standard --json\n  skills-scan standard --check my-standard.toml\n  skills-scan standard import st0896.json\n  skills-scan standard list",
        args_conflicts_with_subcommands = true
    )]
    Standard(StandardArgs),
    /// Print the JSON Schema of scan files.
    #[command(after_help = "Examples:\n  skills-scan schema > scan.schema.json")]
    Schema,
    /// Show the effective configuration and paths, write a template, or test SMTP.
    #[command(
        after_help = "Examples:\n  skills-scan config\n  skills-scan config init\n  skills-scan config test-smtp"
    )]
    Config {
        /// What to do; without one, show the configuration.
        #[command(subcommand)]
        action: Option<ConfigAction>,
    },
}

// Options of `list`.
#[derive(Debug, Clone, Args)]
pub struct ListArgs {
    /// The folder to list (default: the data folder's scans).
    pub dir: Option<PathBuf>,
    /// Sort by this column.
    #[arg(long, value_enum, default_value_t = SortKey::Saved)]
    pub sort: SortKey,
    /// Only scans with this status.
    #[arg(long, value_enum)]
    pub status: Option<StatusFilter>,
    /// Print JSON for scripts.
    #[arg(long)]
    pub json: bool,
}

/// Columns `list` sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SortKey {
    /// Learner's name.
    Learner,
    /// Manager's email.
    Manager,
    /// Status.
    Status,
    /// Answered questions.
    Answered,
    /// Prior-learning figure.
    PriorLearning,
    /// Validated or not.
    Validated,
    /// Last saved (newest first).
    Saved,
    /// File name.
    File,
}

/// Status filter of `list`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatusFilter {
    /// Still being answered.
    InProgress,
    /// Submitted by the learner.
    Submitted,
    /// Validated at the planning meeting.
    Validated,
    /// Could not be read.
    Unreadable,
}

/// Formats of `summary`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SummaryFormat {
    /// Plain text.
    Text,
    /// Markdown.
    Markdown,
    /// Self-contained HTML.
    Html,
    /// JSON for scripts.
    Json,
}

// Options of `compare`.
#[derive(Debug, Clone, Args)]
pub struct CompareArgs {
    /// The earlier and the later scan file; or one folder of a cohort's scans (searched
    /// recursively) for a table of every learner's first and latest scan.
    #[arg(required = true, num_args = 1..=2, value_name = "EARLIER LATER | DIR")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = SummaryFormat::Text)]
    pub format: SummaryFormat,
    /// With a folder: also write the table as a spreadsheet (CSV).
    #[arg(long, value_name = "FILE")]
    pub csv: Option<PathBuf>,
}

// Options of `export`.
#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    /// The folder holding the cohort's scan files (searched recursively).
    pub dir: PathBuf,
    /// Email the summary of every submitted scan not yet emailed.
    #[arg(long)]
    pub email: bool,
    /// With --email: also send to those already sent.
    #[arg(long, requires = "email")]
    pub resend: bool,
    /// Write each message as an .eml file in this folder instead of sending.
    #[arg(long, value_name = "OUT")]
    pub eml_dir: Option<PathBuf>,
    /// Write a spreadsheet (CSV), one row per scan.
    #[arg(long, value_name = "FILE")]
    pub csv: Option<PathBuf>,
    /// Start the CSV with a byte-order mark so Excel reads it as UTF-8.
    #[arg(long, requires = "csv")]
    pub bom: bool,
    /// Say what would be sent; send nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Print the final report as JSON.
    #[arg(long)]
    pub json: bool,
    /// Replace an existing --csv or .eml file that this run did not make (a scan file is never
    /// replaced).
    #[arg(long)]
    pub force: bool,
}

// Actions of `outbox`.
#[derive(Debug, Clone, Subcommand)]
#[command(defer = true)]
pub enum OutboxAction {
    /// List the waiting messages.
    #[command(after_help = "Examples:\n  skills-scan outbox list\n  skills-scan outbox")]
    List,
    /// Try to send every waiting message again.
    #[command(after_help = "Examples:\n  skills-scan outbox send")]
    Send,
}

// Options of `standard`.
#[derive(Debug, Clone, Args)]
pub struct StandardArgs {
    /// Import or list standards; without one, show a standard.
    #[command(subcommand)]
    pub action: Option<StandardAction>,
    /// A standard to show instead of the embedded one: a file, or an installed standard's
    /// reference (`ST0896` or `ST0896:1.0`).
    #[arg(long, value_name = "FILE|ST0xxx[:VERSION]")]
    pub standard: Option<PathBuf>,
    /// Print the standard as JSON.
    #[arg(long)]
    pub json: bool,
    /// Check a standard file and report every problem.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["standard", "json"])]
    pub check: Option<PathBuf>,
}

// Actions of `standard`.
#[derive(Debug, Clone, Subcommand)]
#[command(defer = true)]
pub enum StandardAction {
    /// Import a standard as the Institute for Apprenticeships publishes it (JSON: one standard or
    /// an array) into the data folder's `standards/`, with generated questions.
    #[command(
        after_help = "Examples:\n  skills-scan standard import st0896.json\n  skills-scan standard import all-standards.json --reference ST0123\n  skills-scan standard import st0896.json --force"
    )]
    Import {
        /// The published JSON file.
        file: PathBuf,
        /// Import only this standard of the file: `ST0123`, or `ST0123:1.1` for one version.
        #[arg(long, value_name = "ST0xxx[:VERSION]")]
        reference: Option<String>,
        /// Replace a standard file already installed under the same name.
        #[arg(long)]
        force: bool,
    },
    /// List the embedded standard and those installed.
    #[command(after_help = "Examples:\n  skills-scan standard list")]
    List,
}

// Actions of `config`.
#[derive(Debug, Clone, Subcommand)]
#[command(defer = true)]
pub enum ConfigAction {
    /// Show the effective configuration and every path in use.
    #[command(
        after_help = "Examples:\n  skills-scan config show\n  skills-scan --config other.toml config show"
    )]
    Show,
    /// Write the commented template to the config file (never overwrites).
    #[command(
        after_help = "Examples:\n  skills-scan config init\n  skills-scan --config /etc/skills-scan.toml config init"
    )]
    Init,
    /// Connect and log in to the SMTP server; send nothing.
    #[command(
        after_help = "Examples:\n  skills-scan config test-smtp\n  SKILLS_SCAN_SMTP_PASSWORD=… skills-scan config test-smtp"
    )]
    TestSmtp,
}
