//! The edit history: the undo and redo stacks of the officer's operations
//! ([`crate::session::operation`]), the version that tells a saved state from an unsaved one,
//! and the crash journal the cell edits are written to before anything else happens.
//!
//! [`History`] is its own part of the session: it knows nothing of the book or the appeals,
//! only the operations. The session applies an operation and then records it here.

use crate::session::journal::{Journal, JournalError};
use crate::session::operation::{Edit, Operation};

/// The operations in effect and those undone, the version, and the journal.
#[derive(Debug, Default)]
pub(crate) struct History {
    undo: Vec<Operation>,
    redo: Vec<Operation>,
    /// Counts every operation, undo and redo; `saved_version` is its value at the last save.
    version: u64,
    saved_version: u64,
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

    /// Whether the state differs from the last save (or, before any save, whether the book
    /// holds edits: an edit undone back to the export is not unsaved work).
    pub(crate) fn is_dirty(&self, book_has_edits: bool) -> bool {
        self.version != self.saved_version && (self.saved_version != 0 || book_has_edits)
    }

    /// The state at `version` was saved; when that is the state now, the journal is done
    /// with (edits made since stay journaled).
    pub(crate) fn saved(&mut self, version: u64) -> Result<(), JournalError> {
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
        assert!(h.is_dirty(true));
        let before = h.version();
        assert!(h.record(edit(3)).is_ok());
        assert!(h.saved(before).is_ok());
        assert_eq!(
            labels(&h).len(),
            3,
            "a save of an earlier state keeps the journal"
        );
        assert!(h.is_dirty(true));
        assert!(h.saved(h.version()).is_ok());
        assert!(labels(&h).is_empty());
        assert!(!h.is_dirty(true));
    }

    /// A new operation ends what could be redone; an edit undone back to the export before
    /// any save is not unsaved work.
    #[test]
    fn a_new_operation_ends_the_redo_and_versions_count_every_step() {
        let mut h = History::new(None);
        assert!(h.record(edit(1)).is_ok());
        let op = h.take_undo().unwrap_or_else(|| panic!("nothing to undo"));
        assert!(h.undone(op).is_ok());
        assert_eq!(h.version(), 2);
        assert!(!h.is_dirty(false));
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
}
