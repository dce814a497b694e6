//! The cohort table: one row per learner (by email, ignoring case, and standard) with the share
//! of the standard met at their first and latest submitted scan and the change between.
//!
//! Pure: takes scans already loaded (with the file name each came from), returns rows.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{Met, date_of, kind_words, share_met, signed_points};
use crate::core::Scan;
use crate::core::summary::sanitize::clean_line;

/// One scan of a learner, as the table shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CohortPoint {
    /// The file it came from.
    pub file: String,
    /// "initial scan", "progress review", "end-of-programme scan".
    pub kind: String,
    /// When it was submitted.
    pub at: DateTime<Utc>,
    /// The share of the standard met.
    pub met: Met,
}

/// One learner's row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CohortRow {
    /// The learner's name (from the latest scan), cleaned.
    pub learner: String,
    /// Their email (from the latest scan), cleaned.
    pub email: String,
    /// "ST0896 v1.0".
    pub standard: String,
    /// How many submitted scans they have.
    pub scans: usize,
    /// Their first scan.
    pub first: CohortPoint,
    /// Their latest scan (the same as the first when there is only one).
    pub latest: CohortPoint,
    /// Latest minus first, in percentage points.
    pub change_points: i64,
}

impl CohortRow {
    /// "+12 points", "no change".
    pub fn change_words(&self) -> String {
        signed_points(self.change_points)
    }
}

/// The rows: submitted scans grouped by learner email (ignoring case) and standard (reference
/// and version), each group ordered by date; sorted by learner name, then email. Scans still in
/// progress are left out (a point of progress is a submitted scan); `in_progress` counts them.
pub fn rows(scans: &[(String, Scan)]) -> (Vec<CohortRow>, usize) {
    // Keyed by (lower-case email, standard reference, version).
    type Key = (String, String, String);
    let mut groups: BTreeMap<Key, Vec<(&String, &Scan)>> = BTreeMap::new();
    let mut in_progress = 0;
    for (file, scan) in scans {
        if !scan.is_submitted() {
            in_progress += 1;
            continue;
        }
        let key = (
            scan.learner.email.trim().to_lowercase(),
            scan.standard.reference.clone(),
            scan.standard.version.clone(),
        );
        groups.entry(key).or_default().push((file, scan));
    }
    let mut out: Vec<CohortRow> = groups
        .into_values()
        .filter_map(|mut g| {
            g.sort_by_key(|(file, s)| (date_of(s), (*file).clone()));
            let point = |(file, s): (&String, &Scan)| CohortPoint {
                file: file.clone(),
                kind: kind_words(s.kind).to_string(),
                at: date_of(s),
                met: share_met(s),
            };
            let first = point(*g.first()?);
            let (_, last_scan) = *g.last()?;
            let latest = point(*g.last()?);
            Some(CohortRow {
                learner: clean_line(&last_scan.learner.name),
                email: clean_line(&last_scan.learner.email),
                standard: clean_line(&format!(
                    "{} v{}",
                    last_scan.standard.reference, last_scan.standard.version
                )),
                scans: g.len(),
                change_points: i64::from(latest.met.percent) - i64::from(first.met.percent),
                first,
                latest,
            })
        })
        .collect();
    out.sort_by(|a, b| {
        (a.learner.to_lowercase(), &a.email).cmp(&(b.learner.to_lowercase(), &b.email))
    });
    (out, in_progress)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::scan::tests::{complete, t};

    #[test]
    fn rows_group_by_learner_and_standard_first_and_latest_by_date() {
        let mut a1 = complete(&["d1-skills"]);
        a1.submit(t(10)).expect("submits");
        let mut a2 = complete(&[]);
        a2.learner.email = "SAM.TAYLOR@example.org".into();
        a2.submit(t(20)).expect("submits");
        let mut other_std = complete(&[]);
        other_std.standard.version = "1.1".into();
        other_std.submit(t(5)).expect("submits");
        let open = complete(&[]);
        let scans = vec![
            ("b.json".to_string(), a2),
            ("a.json".to_string(), a1),
            ("c.json".to_string(), other_std),
            ("d.json".to_string(), open),
        ];
        let (rows, in_progress) = rows(&scans);
        assert_eq!(in_progress, 1);
        assert_eq!(rows.len(), 2);
        let main = rows
            .iter()
            .find(|r| r.standard == "ST0896 v1.0")
            .expect("row");
        assert_eq!(main.scans, 2);
        assert_eq!(main.first.file, "a.json");
        assert_eq!(main.latest.file, "b.json");
        assert_eq!(main.first.met.met, 108);
        assert_eq!(main.latest.met.met, 113);
        assert_eq!(main.change_points, 100 - 96);
    }
}
