//! One officer's working session on one export: the book, its layout and findings, the loaded
//! appeals, every edit as an undoable operation (which doubles as the change log and the crash
//! journal), and the guard that refuses edits to protected cells.
//!
//! The GUI renders this state and sends it commands; it holds no logic of its own.

mod advice;
mod appeal_list;
mod appeals;
pub(crate) mod casefile;
mod edits;
mod findings;
pub(crate) mod history;
mod ids;
mod intake;
pub(crate) mod journal;
pub(crate) mod operation;
pub(crate) mod profiles;
pub mod register;
pub(crate) mod report;
mod save;
mod sheets;

use std::collections::BTreeSet;

use chrono::{Local, NaiveDate};

use crate::book::{CellRef, CellValue, Grid, XlsBook};
use crate::engine::reconcile::Analysis;
use crate::engine::writer::CellWrite;
use crate::session::appeal_list::AppealList;
use crate::session::findings::FindingIndex;
use crate::session::history::History;

pub use crate::session::operation::{Change, ChoiceChange, Edit, Operation, Removal, Source};
pub use advice::ManualTodo;
pub use appeals::{ChoiceCheck, Disagreement};
pub use casefile::{CaseFile, EarlierChange, corrected_files, free_name};
pub use edits::{BulkPlan, EditError};
pub use ids::AppealId;
pub use intake::{PreviousAppeals, UnreadFile, file_name};
pub use journal::{Journal, JournalError, data_dir};
pub use profiles::{ProfileError, ProfileStore};
pub use report::{ReportError, write_xlsx as write_report};
pub use save::SaveTicket;

/// The core's words the session speaks in: what its questions return and its operations
/// take. The app reads and drives a session through these and the session's methods only
/// (`tests/layout.rs` keeps it from reaching past the session into the engine).
pub mod vocabulary {
    pub use crate::engine::appeal::{Appeal, AppealError};
    pub use crate::engine::diagnosis::{Account, Diagnosis};
    pub use crate::engine::field::Field;
    pub use crate::engine::findings::{Finding, Kind, Severity};
    pub use crate::engine::import_steps::ImportSteps;
    pub use crate::engine::lookup::{AppealHelp, Place};
    pub use crate::engine::matching::{FieldResult, Status, Verdict};
    pub use crate::engine::progress::Stage;
    pub use crate::engine::reconcile::Outcome;
    pub use crate::engine::reply::Draft;
    pub use crate::engine::schema::{PersonId, Profile, ProfileColumn};
    pub use crate::engine::search::RowSearch;
}
pub use vocabulary::*;

/// The working state, in parts that each keep their own rules: the book (the export and its
/// edits, `crate::book`), its analysis (layout, audit findings, styles), the history (undo,
/// redo, journal), the appeals (with the case record) and the findings index the grid draws
/// from. The session's own methods are the operations that touch more than one part.
pub struct Session {
    book: XlsBook,
    analysis: Analysis,
    profiles: Vec<Profile>,
    today: NaiveDate,
    history: History,
    appeals: AppealList,
    index: FindingIndex,
    /// A write of the journal or the case record failed: shown to the officer once.
    warning: Option<String>,
    /// Cells of the opened file changed in earlier rounds (a corrected file opened again).
    earlier: std::collections::HashMap<CellRef, EarlierChange>,
    /// Who every card of the export is, for the appeals' diagnoses (built when first asked
    /// for; again after the layout changes).
    card_index: std::sync::Mutex<Option<std::sync::Arc<crate::engine::diagnosis::CardIndex>>>,
}

impl Session {
    /// Starts a session on an opened book.
    pub fn new(book: XlsBook, profiles: Vec<Profile>) -> Session {
        let today = Local::now().date_naive();
        let analysis = Analysis::run(book.grids(), &profiles, today);
        let journal = book.path().and_then(Journal::for_export);
        let mut s = Session {
            book,
            analysis,
            profiles,
            today,
            history: History::new(journal),
            appeals: AppealList::default(),
            index: FindingIndex::default(),
            warning: None,
            earlier: Default::default(),
            card_index: Default::default(),
        };
        s.refresh_appeal_findings();
        s
    }

    /// Keeps a failed write of the journal or the case record for the officer to read (the
    /// work itself is done).
    fn warn<E: std::fmt::Display>(&mut self, written: Result<(), E>) {
        if let Err(e) = written {
            self.warning = Some(e.to_string());
        }
    }

    /// Starts the officer's session on an opened book: the journal and the case record are
    /// kept in `data_dir` (none without one, or for a book without a file, like the demo),
    /// and the record's progress is taken for the appeals loaded later.
    pub fn open(
        book: XlsBook,
        profiles: Vec<Profile>,
        data_dir: Option<&std::path::Path>,
    ) -> Session {
        let (journal, case) = match (data_dir, book.path()) {
            (Some(dir), Some(path)) => (
                Journal::for_export_in(dir, path),
                Some(CaseFile::for_file(dir, path)),
            ),
            _ => (None, None),
        };
        let mut session = Session::new(book, profiles);
        session.set_journal(journal);
        session.set_case(case);
        session
    }

    /// Uses another journal (tests, or none).
    pub fn set_journal(&mut self, journal: Option<Journal>) {
        self.history.set_journal(journal);
    }

    /// Keeps the appeals' progress in this record (and takes what it already holds for the
    /// appeals loaded).
    pub fn set_case(&mut self, case: Option<CaseFile>) {
        self.earlier = match (&case, self.book.path()) {
            (Some(c), Some(path)) => c.earlier_changes(path),
            _ => Default::default(),
        };
        self.appeals.set_case(case);
        self.adopt_progress(0);
    }

    /// The export as opened, with its pending edits. (Edits go through the session, which
    /// journals them and keeps the findings current.)
    pub fn book(&self) -> &XlsBook {
        &self.book
    }

    /// The layout, the audit's findings and the styles of the export.
    pub fn analysis(&self) -> &Analysis {
        &self.analysis
    }

    /// Where the people are: sheets, columns, people.
    pub fn schema(&self) -> &crate::engine::schema::Schema {
        &self.analysis.schema
    }

    /// The sheets as they are now (as exported, with the edits).
    pub fn grids(&self) -> &[Grid] {
        self.book.grids()
    }

    /// The loaded appeals: each with its match, comparison and progress, in the list's
    /// order (the same order as [`Session::appeal_ids`]).
    pub fn outcomes(&self) -> &[Outcome] {
        self.appeals.outcomes()
    }

    /// The id of each loaded appeal, in the list's order.
    pub fn appeal_ids(&self) -> &[AppealId] {
        self.appeals.ids()
    }

    /// A loaded appeal by its id.
    pub fn appeal(&self, id: AppealId) -> Option<&Outcome> {
        self.appeals.get(id)
    }

    /// Where an appeal is in the list now.
    pub fn appeal_index(&self, id: AppealId) -> Option<usize> {
        self.appeals.index_of(id)
    }

    /// The column mappings in use.
    pub fn profiles(&self) -> &[Profile] {
        &self.profiles
    }

    /// The record of the appeals' progress, if the session keeps one.
    pub fn case(&self) -> Option<&CaseFile> {
        self.appeals.case()
    }

    /// A failed write of the journal or the case record, once.
    pub fn take_warning(&mut self) -> Option<String> {
        self.warning.take()
    }

    /// Writes every appeal's progress into the case record.
    fn persist(&mut self) {
        let written = self.appeals.persist();
        self.warn(written);
    }

    /// Edits a journal left from a session that did not save.
    pub fn pending_restore(&self) -> Vec<Edit> {
        self.history.journaled()
    }

    /// Replays journaled edits (after a crash); returns how many cells changed.
    pub fn restore(&mut self, edits: Vec<Edit>) -> usize {
        let mut n = 0;
        for edit in edits {
            let cells: Vec<CellWrite> = edit
                .changes
                .iter()
                .map(|c| CellWrite {
                    cell: c.cell,
                    text: c.new.clone(),
                })
                .collect();
            if let Ok(k) = self.apply(cells, &edit.label, edit.source) {
                n += k;
            }
        }
        n
    }

    /// Forgets the journal (the officer declined to restore it).
    pub fn discard_journal(&mut self) {
        let cleared = self.history.discard_journal();
        self.warn(cleared);
    }

    /// Re-detects the layout (after the mapping changed) and re-audits everything.
    pub fn set_profiles(&mut self, profiles: Vec<Profile>) {
        self.profiles = profiles;
        self.reanalyse();
    }

    /// Full re-audit and re-match on the current grids; every appeal keeps its id and its
    /// progress.
    pub fn reanalyse(&mut self) {
        self.analysis = Analysis::run(self.book.grids(), &self.profiles, self.today);
        if let Ok(mut index) = self.card_index.lock() {
            *index = None;
        }
        let taken = self.appeals.take_all();
        let (ids, appeals): (Vec<AppealId>, Vec<_>) =
            taken.into_iter().map(|(id, o)| (id, o.appeal)).unzip();
        let matched =
            crate::engine::reconcile::match_appeals(self.book.grids(), &self.analysis, appeals);
        self.appeals
            .put_back(ids.into_iter().zip(matched).collect());
        self.adopt_progress(0);
        self.refresh_appeal_findings();
    }

    /// Every finding: the audit's and the appeals'.
    pub fn findings(&self) -> impl Iterator<Item = &Finding> {
        self.analysis
            .findings
            .iter()
            .chain(self.index.appeal_findings().iter())
    }

    /// Findings on one cell.
    pub fn findings_at(&self, cell: CellRef) -> Vec<&Finding> {
        self.findings().filter(|f| f.cell == cell).collect()
    }

    /// The worst severity on a cell.
    pub fn severity_at(&self, cell: CellRef) -> Option<Severity> {
        self.index.severity_at(cell)
    }

    /// Rows of a sheet with at least one error or warning.
    pub fn problem_rows(&self, sheet: usize) -> BTreeSet<u32> {
        self.index.problem_rows(sheet)
    }

    /// The cell's text now.
    pub fn text(&self, cell: CellRef) -> Option<String> {
        self.book
            .grids()
            .get(cell.sheet)?
            .get(cell.row, cell.col)
            .map(CellValue::display)
            .filter(|s| !s.is_empty())
    }

    /// Was the cell changed (now different from the export)?
    pub fn is_edited(&self, cell: CellRef) -> bool {
        self.book.edits().contains_key(&cell)
    }

    /// Why the cell cannot be edited, if it cannot.
    pub fn protection(&self, cell: CellRef) -> Option<String> {
        self.analysis
            .schema
            .protection_reason(cell.sheet, cell.row, cell.col)
    }

    /// Checks a value as the officer types it (СНИЛС check number, phone shape…); `None` = fine.
    pub fn check_value(&self, sheet: usize, col: u32, text: &str) -> Option<String> {
        let layout = self.analysis.schema.sheets.get(sheet)?;
        let field = layout.column(col)?.field?;
        let t = text.trim();
        if t.is_empty() {
            return None;
        }
        use crate::norm::{date, email, fio, phone, snils};
        match field {
            Field::Snils => match snils::parse(t) {
                Err(e) => Some(e.to_string()),
                Ok(n) => n.check_problem(),
            },
            Field::Phone => phone::parse(t).err().map(|e| e.to_string()),
            Field::Email => email::validate(t).err().map(|e| e.to_string()),
            Field::BirthDate => date::parse(t).err().map(|e| e.to_string()),
            Field::Sex => crate::norm::sex::parse(t).err().map(|e| e.to_string()),
            Field::Surname | Field::Name | Field::Patronymic => {
                fio::problems(t).first().map(|p| p.message_ru())
            }
        }
    }

    /// Changes with every edit, undo and redo (for caches).
    pub fn version(&self) -> u64 {
        self.history.version()
    }

    /// The person a cell belongs to, as the officer reads it: «Иванов Иван Петрович, 5А»,
    /// «Иванова Мария (Родитель 1), 5А». `None` for a cell of nobody (a header, a title).
    pub fn person_at(&self, cell: CellRef) -> Option<String> {
        crate::engine::place::person_at(&self.analysis.schema, self.book.grids(), cell)
    }

    /// How an earlier round changed the cell, when the opened file is a corrected file and
    /// the cell is one of those it (or the files before it) changed.
    pub fn earlier_change(&self, cell: CellRef) -> Option<&EarlierChange> {
        self.earlier.get(&cell)
    }

    /// The row's own person as a short name for the row header («Павлов Г. Е.»).
    pub fn row_name(&self, sheet: usize, row: u32) -> Option<String> {
        crate::engine::place::short_name_on_row(
            &self.analysis.schema,
            self.book.grids(),
            sheet,
            row,
        )
    }

    /// The first cell of a person's card (where the grid goes to show them).
    pub fn person_cell(&self, person: PersonId) -> Option<CellRef> {
        let p = self.analysis.schema.person(person)?;
        let col = p.cols.values().next().copied().unwrap_or(0);
        Some(CellRef::new(p.sheet, p.row, col))
    }

    /// A cell and whose it is: «Ученики!I4 · Иванов Иван Петрович, 5А».
    pub fn place_of(&self, cell: CellRef) -> String {
        let name = self
            .analysis
            .schema
            .sheets
            .get(cell.sheet)
            .map_or("?", |l| l.name.as_str());
        let place = cell.on(name);
        match self.person_at(cell) {
            Some(who) => format!("{place} · {who}"),
            None => place,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn writes(list: &[(usize, u32, u32, Option<&str>)]) -> Vec<crate::engine::writer::CellWrite> {
        list.iter()
            .map(|&(s, r, c, t)| crate::engine::writer::CellWrite {
                cell: CellRef::new(s, r, c),
                text: t.map(str::to_string),
            })
            .collect()
    }

    fn demo() -> Session {
        let path =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/full/export.xls");
        let book = XlsBook::open(&path).unwrap_or_else(|e| panic!("{e}"));
        let mut s = Session::new(book, Vec::new());
        s.set_journal(None);
        s
    }

    #[test]
    fn protected_cells_refuse_edits_with_a_reason() {
        let mut s = demo();
        let err = s.set_cell(
            CellRef::new(0, 3, 3),
            Some("Иванова".into()),
            Source::Manual,
        );
        assert!(
            matches!(err, Err(EditError::Protected(ref m)) if m.contains("вручную")),
            "{err:?}"
        );
        assert!(!s.can_undo());
        // A parent's surname is editable.
        assert_eq!(
            s.set_cell(
                CellRef::new(0, 3, 13),
                Some("Иванова".into()),
                Source::Manual
            ),
            Ok(1)
        );
    }

    #[test]
    fn undo_and_redo_restore_cells_and_findings() {
        let mut s = demo();
        let before = s.text(CellRef::new(0, 3, 8));
        let findings_before = s.findings().count();
        assert_eq!(
            s.set_cell(
                CellRef::new(0, 3, 8),
                Some("112-233-445 96".into()),
                Source::Manual
            ),
            Ok(1)
        );
        assert_eq!(
            s.text(CellRef::new(0, 3, 8)).as_deref(),
            Some("112-233-445 96")
        );
        assert!(
            s.findings_at(CellRef::new(0, 3, 8))
                .iter()
                .any(|f| f.kind == crate::engine::findings::Kind::SnilsCheckNumber)
        );
        assert!(s.is_dirty());
        assert!(s.undo().is_some());
        assert_eq!(s.text(CellRef::new(0, 3, 8)), before);
        assert!(s.book.edits().is_empty());
        assert_eq!(s.findings().count(), findings_before);
        assert!(s.redo().is_some());
        assert_eq!(
            s.text(CellRef::new(0, 3, 8)).as_deref(),
            Some("112-233-445 96")
        );
    }

    /// After edits to pupils' and parents' cells, the re-audited findings are those a fresh
    /// audit of the edited sheet gives.
    #[test]
    fn reaudit_after_edits_equals_a_fresh_audit() {
        let mut s = demo();
        let edits = writes(&[
            (0, 3, 8, Some("112-233-445 96")),
            (0, 4, 13, Some("Ивaнова")),
            (0, 5, 8, None),
            (0, 6, 19, Some("не телефон")),
            (0, 7, 20, Some("mail@gmial.com")),
        ]);
        assert_eq!(s.apply(edits, "пять", Source::Manual), Ok(5));
        let same_as_fresh = |s: &Session| {
            let fresh = Analysis::run(s.book.grids(), &s.profiles, s.today);
            let own = |list: &[Finding]| {
                let mut v: Vec<_> = list
                    .iter()
                    .filter(|f| !edits::is_cross_finding(f))
                    .map(|f| {
                        (
                            f.cell.sheet,
                            f.cell.row,
                            f.cell.col,
                            f.kind,
                            f.message.clone(),
                            f.suggestion.clone(),
                        )
                    })
                    .collect();
                v.sort();
                v
            };
            assert_eq!(own(&s.analysis.findings), own(&fresh.findings));
        };
        same_as_fresh(&s);
        assert!(s.undo().is_some());
        same_as_fresh(&s);
    }

    #[test]
    fn a_bulk_fix_is_one_operation() {
        let mut s = demo();
        let n = s.apply(
            writes(&[(0, 3, 8, Some("112-233-445 95")), (0, 4, 8, None)]),
            "два",
            Source::Bulk("тест".into()),
        );
        assert_eq!(n, Ok(2));
        assert_eq!(s.operations().len(), 1);
        s.undo();
        assert!(s.book.edits().is_empty());
    }
}
