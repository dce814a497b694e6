//! `skills-scan standard`: show a standard as an outline or JSON, or check a standard file.

use std::io::Write;

use crate::cli::StandardArgs;
use crate::core::Standard;
use crate::exit::{CmdResult, Exit, Failure};
use crate::standards;

/// Runs `standard`.
pub fn run(args: &StandardArgs) -> CmdResult {
    if let Some(file) = &args.check {
        let s = load(Some(file))?;
        writeln!(
            crate::out::stdout(),
            "{} is a valid standard: {} v{} {}, {} KSBs, {} duties, {} questions.",
            file.display(),
            s.reference,
            s.version,
            s.display_name(),
            s.ksbs.len(),
            s.duties.len(),
            s.question_count()
        )?;
        return Ok(());
    }
    let s = load(args.standard.as_deref())?;
    let mut out = crate::out::stdout();
    if args.json {
        crate::out::json(&mut out, &s)?;
    } else {
        write!(out, "{}", outline(&s))?;
    }
    Ok(())
}

/// Loads a standard: a file that cannot be read exits 66, a malformed one 65, and a problem
/// with the embedded standard (a build defect) 1.
fn load(path: Option<&std::path::Path>) -> Result<Standard, Failure> {
    standards::load(path).map_err(|e| Failure {
        code: if path.is_some() {
            e.exit_code()
        } else {
            Exit::Failure
        },
        error: e.into(),
    })
}

/// A readable outline of the standard: duties, questions and their KSB statements.
pub fn outline(s: &Standard) -> String {
    use std::fmt::Write as _;
    let mut o = String::new();
    let _ = writeln!(
        o,
        "{} — {} v{}, level {}",
        s.title, s.reference, s.version, s.level
    );
    if !s.route.is_empty() {
        let _ = writeln!(o, "Route: {}", s.route);
    }
    let _ = writeln!(
        o,
        "{} KSBs, {} duties, {} questions\n",
        s.ksbs.len(),
        s.duties.len(),
        s.question_count()
    );
    let ksb_lines = |o: &mut String, codes: &[String]| {
        for c in codes {
            let text = s.ksb(c).map_or("(unknown)", |k| k.text.as_str());
            let _ = writeln!(o, "      {c}: {text}");
        }
    };
    for d in &s.duties {
        let _ = writeln!(o, "Duty {}: {}", d.number, d.title);
        for q in &d.questions {
            let _ = writeln!(o, "  {} ({}): {}", q.kind.label(), q.id, q.ksbs.join(" "));
            ksb_lines(&mut o, &q.ksbs);
        }
        o.push('\n');
    }
    let _ = writeln!(o, "Behaviours");
    for q in &s.behaviours {
        let _ = writeln!(o, "  {} ({}): {}", q.ksbs.join(" "), q.id, q.text);
    }
    o
}
