//! The session's findings part: the findings of the appeals (cells that differ from
//! Госуслуги) beside the audit's, and the index the grid draws from — the worst severity per
//! cell and the rows with problems. It is rebuilt from the audit and the appeals whenever
//! either changes, and knows nothing else of the session.

use std::collections::{BTreeSet, HashMap};

use crate::book::CellRef;
use crate::engine::findings::{Finding, Severity};
use crate::engine::reconcile::{Outcome, appeal_findings};

/// The appeals' findings and the index over all findings.
#[derive(Debug, Default)]
pub(crate) struct FindingIndex {
    appeal: Vec<Finding>,
    severity: HashMap<CellRef, Severity>,
    problem_rows: HashMap<usize, BTreeSet<u32>>,
}

impl FindingIndex {
    /// Rebuilds the appeals' findings from `outcomes` and the index over them and `audit`.
    pub(crate) fn rebuild(&mut self, audit: &[Finding], outcomes: &[Outcome]) {
        self.appeal = appeal_findings(outcomes);
        let mut severity: HashMap<CellRef, Severity> = HashMap::new();
        let mut rows: HashMap<usize, BTreeSet<u32>> = HashMap::new();
        for f in audit.iter().chain(self.appeal.iter()) {
            let worst = severity.entry(f.cell).or_insert(f.severity);
            if f.severity < *worst {
                *worst = f.severity;
            }
            if f.severity != Severity::Info {
                rows.entry(f.cell.sheet).or_default().insert(f.cell.row);
            }
        }
        self.severity = severity;
        self.problem_rows = rows;
    }

    /// The findings of the appeals.
    pub(crate) fn appeal_findings(&self) -> &[Finding] {
        &self.appeal
    }

    /// The worst severity on a cell.
    pub(crate) fn severity_at(&self, cell: CellRef) -> Option<Severity> {
        self.severity.get(&cell).copied()
    }

    /// Rows of a sheet with at least one error or warning.
    pub(crate) fn problem_rows(&self, sheet: usize) -> BTreeSet<u32> {
        self.problem_rows.get(&sheet).cloned().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::FindingIndex;
    use crate::book::CellRef;
    use crate::engine::findings::{Finding, Kind, Severity};

    fn finding(row: u32, severity: Severity) -> Finding {
        Finding {
            cell: CellRef::new(0, row, 2),
            field: None,
            kind: Kind::MissingSnils,
            severity,
            message: String::new(),
            suggestion: None,
        }
    }

    /// The worst of a cell's findings is its severity; a row whose only findings are notes
    /// is not a problem row.
    #[test]
    fn the_worst_severity_wins_and_notes_are_not_problems() {
        let mut index = FindingIndex::default();
        index.rebuild(
            &[
                finding(3, Severity::Warning),
                finding(3, Severity::Error),
                finding(4, Severity::Info),
            ],
            &[],
        );
        assert_eq!(
            index.severity_at(CellRef::new(0, 3, 2)),
            Some(Severity::Error)
        );
        assert_eq!(
            index.severity_at(CellRef::new(0, 4, 2)),
            Some(Severity::Info)
        );
        assert_eq!(index.problem_rows(0).into_iter().collect::<Vec<_>>(), [3]);
        assert!(index.problem_rows(1).is_empty());
    }
}
