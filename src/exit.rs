//! Exit codes and the error type commands return, so `main` can map each failure to the code a
//! script expects (0 success, 1 failure, 2 usage, sysexits for the cases scripts tell apart).

use std::fmt;
use std::process::ExitCode;

/// What kind of failure ended a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Something failed (1).
    Failure = 1,
    /// The command line was wrong (2).
    Usage = 2,
    /// The command needs a choice it will not guess, e.g. which of several unfinished scans to
    /// carry on with from a pipe (64, EX_USAGE).
    NeedsChoice = 64,
    /// An input file is malformed (65, EX_DATAERR).
    DataErr = 65,
    /// An input file does not exist or cannot be read (66, EX_NOINPUT).
    NoInput = 66,
    /// A file or folder cannot be made, e.g. the data folder is a file (73, EX_CANTCREAT).
    CantCreate = 73,
    /// A temporary failure: try again later (75, EX_TEMPFAIL).
    TempFail = 75,
    /// The configuration is wrong (78, EX_CONFIG).
    Config = 78,
}

impl From<Exit> for ExitCode {
    fn from(e: Exit) -> Self {
        ExitCode::from(e as u8)
    }
}

/// An error with the exit code it should end the program with.
pub struct Failure {
    /// The exit code.
    pub code: Exit,
    /// The error and its cause chain.
    pub error: anyhow::Error,
}

impl fmt::Debug for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} ({:?})", self.error, self.code)
    }
}

impl<E: Into<anyhow::Error>> From<E> for Failure {
    fn from(error: E) -> Self {
        Self {
            code: Exit::Failure,
            error: error.into(),
        }
    }
}

/// Attaches an exit code to a result's error.
pub trait WithExit<T> {
    /// Fails with this code.
    fn exit(self, code: Exit) -> Result<T, Failure>;
}

impl<T, E: Into<anyhow::Error>> WithExit<T> for Result<T, E> {
    fn exit(self, code: Exit) -> Result<T, Failure> {
        self.map_err(|e| Failure {
            code,
            error: e.into(),
        })
    }
}

/// The result type of every command.
pub type CmdResult = Result<(), Failure>;
