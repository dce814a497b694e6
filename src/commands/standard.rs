//! `skills-scan standard`: show a standard as an outline or JSON, check a standard file, import
//! the Institute's published standards, or list the standards in use.

use std::io::Write;
use std::path::Path;

use anyhow::Context as _;

use crate::cli::{StandardAction, StandardArgs};
use crate::commands::Context;
use crate::core::Standard;
use crate::core::import;
use crate::core::standard::KsbCode;
use crate::exit::{CmdResult, Exit, Failure, WithExit};
use crate::standards;

/// Runs `standard`.
pub fn run(ctx: &Context, args: &StandardArgs) -> CmdResult {
    match &args.action {
        Some(StandardAction::Import {
            file,
            reference,
            force,
        }) => return import_file(ctx, file, reference.as_deref(), *force),
        Some(StandardAction::List) => return list(ctx),
        None => {}
    }
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
    let s = match &args.standard {
        Some(spec) => standards::resolve(spec, &ctx.paths.data_dir).map_err(|e| Failure {
            code: e.exit_code(),
            error: e.into(),
        })?,
        None => load(None)?,
    };
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

/// The largest published file we read (the Institute's full list is a few megabytes).
const MAX_PUBLISHED_BYTES: u64 = 256 * 1024 * 1024;

/// `standard import FILE`: every standard of the file (or the one named), written as a standard
/// file into `DATA/standards/`. Exit 65 when the file or a standard in it is malformed, 1 when a
/// file is already installed (without `--force`).
fn import_file(ctx: &Context, file: &Path, reference: Option<&str>, force: bool) -> CmdResult {
    let records = read_published(file, reference)?;
    let dir = standards::installed_dir(&ctx.paths.data_dir);
    crate::storage::create_private_dir(&dir)
        .with_context(|| format!("cannot create the folder {}", dir.display()))?;
    let source = file.file_name().map_or_else(
        || file.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let mut out = crate::out::stdout();
    let (mut invalid, mut existing, mut written) = (0, 0, 0);
    for record in records {
        let imported = match record.result {
            Ok(i) => i,
            Err(problems) => {
                invalid += 1;
                writeln!(out, "Not imported: {} has {problems}", record.label)?;
                continue;
            }
        };
        let s = &imported.standard;
        let path = dir.join(import::file_name(s));
        let toml = import::to_toml(s, &source);
        if !write_new(&dir, &path, toml.as_bytes(), force)? {
            existing += 1;
            writeln!(
                out,
                "Not imported: {} is already installed as {}; it was left as it is (--force replaces it)",
                record.label,
                path.display()
            )?;
            continue;
        }
        written += 1;
        writeln!(out, "{}", imported_words(s, &path))?;
        for w in &imported.warnings {
            writeln!(out, "  warning: {w}")?;
        }
    }
    if written > 0 {
        writeln!(
            out,
            "Read the generated questions and edit them if you wish; `skills-scan standard list` shows what is installed."
        )?;
    }
    if invalid > 0 {
        return Err(anyhow::anyhow!(
            "{invalid} standard{} in {} could not be imported (see above)",
            if invalid == 1 { "" } else { "s" },
            file.display()
        ))
        .exit(Exit::DataErr);
    }
    if existing > 0 {
        return Err(anyhow::anyhow!(
            "{existing} standard{} already installed; nothing was overwritten (use --force to replace)",
            if existing == 1 { " is" } else { "s are" }
        )
        .into());
    }
    Ok(())
}

/// The published file's standards (only the one named, when `reference` is given): exit 66 when
/// it cannot be read, 65 when it is too large, not UTF-8, malformed, or lacks the one named.
fn read_published(file: &Path, reference: Option<&str>) -> Result<Vec<import::Record>, Failure> {
    let meta = std::fs::metadata(file)
        .with_context(|| format!("cannot read {}", file.display()))
        .exit(Exit::NoInput)?;
    if meta.len() > MAX_PUBLISHED_BYTES {
        return Err(anyhow::anyhow!(
            "{} is {} bytes; a published standards file is at most {MAX_PUBLISHED_BYTES}",
            file.display(),
            meta.len()
        ))
        .exit(Exit::DataErr);
    }
    let bytes = std::fs::read(file)
        .with_context(|| format!("cannot read {}", file.display()))
        .exit(Exit::NoInput)?;
    let text = String::from_utf8(bytes)
        .map_err(|_| {
            anyhow::anyhow!(
                "{} is not UTF-8 text, so it is not a published standard",
                file.display()
            )
        })
        .exit(Exit::DataErr)?;
    let mut records = import::parse(&text)
        .map_err(|p| anyhow::anyhow!("{} cannot be imported: {p}", file.display()))
        .exit(Exit::DataErr)?;
    if let Some(wanted) = reference {
        let all: Vec<String> = records
            .iter()
            .map(|r| format!("{} v{}", r.reference, r.version))
            .collect();
        records.retain(|r| import::matches(r, wanted));
        if records.is_empty() {
            return Err(anyhow::anyhow!(
                "{} holds no standard {wanted}; it holds: {}",
                file.display(),
                all.join(", ")
            ))
            .exit(Exit::DataErr);
        }
    }
    Ok(records)
}

/// "Imported ST0896 v1.0 Peer worker (level 3) -> PATH" and what it holds.
fn imported_words(s: &Standard, path: &Path) -> String {
    let count = |p: char| {
        s.ksbs
            .iter()
            .filter(|k| k.code.as_str().starts_with(p))
            .count()
    };
    let options = if s.options.is_empty() {
        String::new()
    } else {
        format!(
            " ({} options: {})",
            s.options.len(),
            s.options
                .iter()
                .map(|o| o.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    format!(
        "Imported {} v{} {} -> {}\n  {} KSBs ({} knowledge, {} skills, {} behaviours), {} duties{options}, {} questions",
        s.reference,
        s.version,
        s.display_name(),
        path.display(),
        s.ksbs.len(),
        count('K'),
        count('S'),
        count('B'),
        s.duties.len(),
        s.question_count()
    )
}

/// Writes a new owner-only file durably; replaces an existing one only when `force`. Returns
/// false when the file exists and was left alone.
fn write_new(dir: &Path, path: &Path, bytes: &[u8], force: bool) -> Result<bool, Failure> {
    if force {
        crate::storage::write_atomically(path, bytes)
            .with_context(|| format!("cannot write {}", path.display()))?;
        return Ok(true);
    }
    let cannot = || format!("cannot write {}", path.display());
    let mut tmp = tempfile::Builder::new()
        .prefix(".skills-scan-standard-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .with_context(cannot)?;
    tmp.write_all(bytes).with_context(cannot)?;
    tmp.as_file().sync_all().with_context(cannot)?;
    match tmp.persist_noclobber(path) {
        Ok(_) => Ok(true),
        Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(anyhow::Error::new(e.error).context(cannot()).into()),
    }
}

/// `standard list`: the embedded standard and the installed ones (unreadable files with why).
fn list(ctx: &Context) -> CmdResult {
    let mut rows: Vec<[String; 5]> = Vec::new();
    let header = ["REFERENCE", "VERSION", "TITLE", "LEVEL", "FILE"].map(String::from);
    let row = |s: &Standard, file: String| {
        let title = if s.options.is_empty() {
            s.title.clone()
        } else {
            format!("{} ({} options)", s.title, s.options.len())
        };
        [
            s.reference.clone(),
            s.version.clone(),
            title,
            s.level.to_string(),
            file,
        ]
    };
    rows.push(row(&load(None)?, "(embedded)".into()));
    let mut broken = Vec::new();
    for i in standards::installed(&ctx.paths.data_dir) {
        match i.standard {
            Ok(s) => rows.push(row(&s, i.path.display().to_string())),
            Err(e) => broken.push(e.to_string()),
        }
    }
    for r in &mut rows {
        for cell in r.iter_mut() {
            *cell = crate::core::text::sanitize_line(cell);
        }
    }
    let widths: Vec<usize> = (0..5)
        .map(|c| {
            std::iter::once(&header)
                .chain(&rows)
                .map(|r| r[c].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = crate::out::stdout();
    for r in std::iter::once(&header).chain(&rows) {
        let mut line = String::new();
        for (c, cell) in r.iter().enumerate() {
            line.push_str(cell);
            if c < 4 {
                let pad = widths[c].saturating_sub(cell.chars().count()) + 2;
                line.push_str(&" ".repeat(pad));
            }
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    for b in &broken {
        writeln!(out, "unreadable: {}", crate::core::text::sanitize(b))?;
    }
    Ok(())
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
    let ksb_lines = |o: &mut String, codes: &[KsbCode]| {
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
