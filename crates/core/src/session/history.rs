//! The edit history: the undo and redo stacks of the officer's operations
//! ([`crate::session::operation`]), the version that tells a saved state from an unsaved one,
//! and the crash journal the cell edits are written to before anything else happens.
//!
//! [`History`] is its own part of the session: it knows nothing of the book or the appeals,
//! only the operations. The session applies an operation and then records it here.

use std::cell::Cell;

use crate::book::{CellRef, CellValue, Edits};
use crate::session::journal::{Journal, JournalError};
use crate::session::operation::{Edit, Operation};

/// A file saved in this session and the edits it holds (the book's edits when its save
/// started).
#[derive(Debug, Clone, PartialEq)]
pub struct SavedFile {
    /// The file (full path).
    pub file: String,
    /// The cells it holds changed from the export.
    pub edits: Edits,
}

/// The operations in effect and those undone, the version, the files saved, and the journal.
#[derive(Debug, Default)]
pub(crate) struct History {
    undo: Vec<Operation>,
    redo: Vec<Operation>,
    /// Counts every operation, undo and redo; `saved_version` is its value at the last save.
    version: u64,
    saved_version: u64,
    /// Files saved in this session, oldest first.
    saves: Vec<SavedFile>,
    /// Whether the book differs from the last saved file, as worked out at a version (the
    /// status bar asks every frame; a large book has tens of thousands of edits).
    dirty_at: Cell<Option<(u64, bool)>>,
    journal: Option<Journal>,
}

impl History {
    /// An empty history writing its edits to `journal`.
    pub(crate) fn new(journal: Option<Journal>) -> History {
        History {
            journal,
            ..History::default()
        }
    }

    /// Uses another journal (tests, or none).
    pub(crate) fn set_journal(&mut self, journal: Option<Journal>) {
        self.journal = journal;
    }

    /// The edits a journal left from a session that did not save.
    pub(crate) fn journaled(&self) -> Vec<Edit> {
        self.journal.as_ref().map(Journal::read).unwrap_or_default()
    }

    /// Forgets the journal (the officer declined to restore it, or discarded the edits).
    pub(crate) fn discard_journal(&self) -> Result<(), JournalError> {
        self.journal.as_ref().map_or(Ok(()), Journal::clear)
    }

    /// Records an operation just carried out: it can be undone, nothing can be redone, and
    /// an edit is journaled. A journal that cannot be written does not undo the record.
    pub(crate) fn record(&mut self, op: Operation) -> Result<(), JournalError> {
        let journaled = match (&op, &self.journal) {
            (Operation::Edit(e), Some(j)) => j.append(e),
            _ => Ok(()),
        };
        self.undo.push(op);
        self.redo.clear();
        self.version += 1;
        journaled
    }

    /// The operation to undo next, taken off the stack: hand it to [`History::undone`] once
    /// it is undone, or back to [`History::keep`] when it could not be.
    pub(crate) fn take_undo(&mut self) -> Option<Operation> {
        self.undo.pop()
    }

    /// The operation to redo next, taken off the stack: hand it to [`History::redone`] once
    /// it is redone, or back to [`History::keep_undone`] when it could not be.
    pub(crate) fn take_redo(&mut self) -> Option<Operation> {
        self.redo.pop()
    }

    /// Puts back an operation that could not be undone.
    pub(crate) fn keep(&mut self, op: Operation) {
        self.undo.push(op);
    }

    /// Puts back an operation that could not be redone.
    pub(crate) fn keep_undone(&mut self, op: Operation) {
        self.redo.push(op);
    }

    /// An operation was undone: it can be redone, and the journal holds the edits still in
    /// effect.
    pub(crate) fn undone(&mut self, op: Operation) -> Result<(), JournalError> {
        let journaled = match (&op, &self.journal) {
            (Operation::Edit(_), Some(j)) => j.rewrite(&self.edits_in_effect()),
            _ => Ok(()),
        };
        self.version += 1;
        self.redo.push(op);
        journaled
    }

    /// An operation was redone: it can be undone again, and an edit is journaled again.
    pub(crate) fn redone(&mut self, op: Operation) -> Result<(), JournalError> {
        let journaled = match (&op, &self.journal) {
            (Operation::Edit(e), Some(j)) => j.append(e),
            _ => Ok(()),
        };
        self.version += 1;
        self.undo.push(op);
        journaled
    }

    fn edits_in_effect(&self) -> Vec<Edit> {
        self.undo
            .iter()
            .filter_map(|o| match o {
                Operation::Edit(e) => Some(e.clone()),
                Operation::Choice(_) | Operation::Removal(_) => None,
            })
            .collect()
    }

    /// Whether there is an operation to undo.
    pub(crate) fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    /// Whether there is an undone operation to redo.
    pub(crate) fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Every operation in effect, oldest first.
    pub(crate) fn operations(&self) -> &[Operation] {
        &self.undo
    }

    /// Changes with every operation, undo and redo.
    pub(crate) fn version(&self) -> u64 {
        self.version
    }

    /// Whether the cells now (`now`, the book's edits) differ from the last file saved, or,
    /// before any save, from the file as opened. Undoing back to exactly the saved state is
    /// not unsaved work, however many steps it took.
    pub(crate) fn is_dirty(&self, now: &Edits) -> bool {
        if let Some((version, dirty)) = self.dirty_at.get()
            && version == self.version
        {
            return dirty;
        }
        let dirty = match self.saves.last() {
            Some(saved) => saved.edits != *now,
            None => !now.is_empty(),
        };
        self.dirty_at.set(Some((self.version, dirty)));
        dirty
    }

    /// The newest file saved in this session that holds `cell` as `now` has it (an edit's
    /// value, or `None` for the cell as exported), or `None` when no saved file does.
    pub(crate) fn saved_in(&self, cell: CellRef, now: Option<&Option<CellValue>>) -> Option<&str> {
        self.saves
            .iter()
            .rev()
            .find(|s| s.edits.get(&cell) == now)
            .map(|s| s.file.as_str())
    }

    /// The state at `version`, whose edits were `edits`, was saved to `file`; when that is
    /// the state now, the journal is done with (edits made since stay journaled).
    pub(crate) fn saved(
        &mut self,
        version: u64,
        file: String,
        edits: Edits,
    ) -> Result<(), JournalError> {
        self.saves.push(SavedFile { file, edits });
        self.dirty_at.set(None);
        self.saved_version = version;
        if version == self.version {
            self.discard_journal()
        } else {
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::History;
    use crate::book::CellRef;
    use crate::session::journal::Journal;
    use crate::session::operation::{Change, Edit, Operation, Source};

    fn edit(n: u32) -> Operation {
        Operation::Edit(Edit {
            label: format!("правка {n}"),
            source: Source::Manual,
            at: String::new(),
            changes: vec![Change {
                cell: CellRef::new(0, n, 1),
                old: None,
                new: Some(n.to_string()),
            }],
        })
    }

    /// The journal always holds exactly the edits in effect: after an edit, an undo and a
    /// redo; a save in the state now clears it, a save of an earlier state does not.
    #[test]
    fn the_journal_follows_the_edits_in_effect() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let mut h = History::new(Some(Journal::at(dir.path().join("j.jsonl"))));
        let labels =
            |h: &History| -> Vec<String> { h.journaled().into_iter().map(|e| e.label).collect() };
        assert!(h.record(edit(1)).is_ok());
        assert!(h.record(edit(2)).is_ok());
        assert_eq!(labels(&h), ["правка 1", "правка 2"]);
        let op = h.take_undo().unwrap_or_else(|| panic!("nothing to undo"));
        assert!(h.undone(op).is_ok());
        assert_eq!(labels(&h), ["правка 1"]);
        assert!(h.can_redo());
        let op = h.take_redo().unwrap_or_else(|| panic!("nothing to redo"));
        assert!(h.redone(op).is_ok());
        assert_eq!(labels(&h), ["правка 1", "правка 2"]);
        let before = h.version();
        assert!(h.record(edit(3)).is_ok());
        assert!(h.saved(before, "a.xls".into(), Default::default()).is_ok());
        assert_eq!(
            labels(&h).len(),
            3,
            "a save of an earlier state keeps the journal"
        );
        assert!(
            h.saved(h.version(), "b.xls".into(), Default::default())
                .is_ok()
        );
        assert!(labels(&h).is_empty());
    }

    /// A new operation ends what could be redone; versions count every step.
    #[test]
    fn a_new_operation_ends_the_redo_and_versions_count_every_step() {
        let mut h = History::new(None);
        assert!(h.record(edit(1)).is_ok());
        let op = h.take_undo().unwrap_or_else(|| panic!("nothing to undo"));
        assert!(h.undone(op).is_ok());
        assert_eq!(h.version(), 2);
        assert!(h.record(edit(2)).is_ok());
        assert!(!h.can_redo());
        assert_eq!(
            h.operations()
                .iter()
                .map(Operation::label)
                .collect::<Vec<_>>(),
            ["правка 2"]
        );
    }

    fn cells(pairs: &[(u32, &str)]) -> crate::book::Edits {
        pairs
            .iter()
            .map(|&(r, v)| {
                (
                    CellRef::new(0, r, 1),
                    Some(crate::book::CellValue::Text(v.into())),
                )
            })
            .collect()
    }

    /// Unsaved means different from the last saved file: not «edited since opening», and not
    /// «an operation since the save» (undoing back to the saved state is clean again).
    #[test]
    fn unsaved_means_different_from_the_last_saved_file() {
        let mut h = History::new(None);
        assert!(!h.is_dirty(&cells(&[])));
        assert!(h.record(edit(1)).is_ok());
        assert!(h.is_dirty(&cells(&[(1, "1")])));
        assert!(
            h.saved(h.version(), "a.xls".into(), cells(&[(1, "1")]))
                .is_ok()
        );
        assert!(!h.is_dirty(&cells(&[(1, "1")])));
        assert!(h.record(edit(2)).is_ok());
        assert!(h.is_dirty(&cells(&[(1, "1"), (2, "2")])));
        let op = h.take_undo().unwrap_or_else(|| panic!("nothing to undo"));
        assert!(h.undone(op).is_ok());
        assert!(
            !h.is_dirty(&cells(&[(1, "1")])),
            "back to exactly the saved state"
        );
        let text = Some(crate::book::CellValue::Text("1".into()));
        assert_eq!(
            h.saved_in(CellRef::new(0, 1, 1), Some(&text)),
            Some("a.xls")
        );
        assert_eq!(h.saved_in(CellRef::new(0, 2, 1), Some(&text)), None);
    }
}
