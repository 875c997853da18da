//! One officer's working session on one export: the book, its layout and findings, the loaded
//! appeals, every edit as an undoable operation (which doubles as the change log and the crash
//! journal), and the guard that refuses edits to protected cells.
//!
//! The GUI renders this state and sends it commands; it holds no logic of its own.

mod appeals;
pub(crate) mod casefile;
mod edits;
pub(crate) mod history;
pub(crate) mod journal;
#[cfg_attr(not(feature = "gui"), allow(dead_code))]
pub(crate) mod profiles;
#[cfg_attr(not(feature = "gui"), allow(dead_code))]
pub(crate) mod report;
mod save;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use chrono::{Local, NaiveDate};

use crate::book::{CellRef, CellValue, Grid, SaveReport, XlsBook};
use crate::engine::appeal::Appeal;
use crate::engine::audit::audit_person;
use crate::engine::card::Card;
use crate::engine::field::Field;
use crate::engine::findings::{Finding, Severity};
use crate::engine::matching::{DiffKind, FieldResult, Status, Verdict, compare_card};
use crate::engine::progress::{Choice, Progress, Stage, StageError, appeal_key};
use crate::engine::reconcile::{Analysis, Outcome, appeal_findings};
use crate::engine::schema::Profile;
use crate::session::casefile::AppealSource;
use crate::xls::XlsError;

use crate::session::history::ChoiceState;
pub use crate::session::history::{Change, ChoiceUndo, Operation, Source};
pub use appeals::{ChoiceCheck, Disagreement};
pub use casefile::{CaseFile, corrected_files};
pub use edits::{BulkPlan, EditError};
pub use journal::{Journal, JournalError};
pub use profiles::{ProfileError, ProfileStore};
pub use report::ReportError;
pub use save::SaveTicket;

/// The working state.
pub struct Session {
    book: XlsBook,
    analysis: Analysis,
    outcomes: Vec<Outcome>,
    profiles: Vec<Profile>,
    undo: Vec<Operation>,
    redo: Vec<Operation>,
    /// Counts every apply, undo and redo; `saved_version` is its value at the last save.
    version: u64,
    saved_version: u64,
    journal: Option<Journal>,
    /// The record of the appeals' progress across restarts.
    case: Option<CaseFile>,
    /// A write of the journal or the case record failed: shown to the officer once.
    warning: Option<String>,
    today: NaiveDate,
    /// Findings for the appeals (cells that differ from Госуслуги).
    appeal_findings: Vec<Finding>,
    /// Worst severity per cell and rows with problems, for drawing the grid quickly.
    severity_index: std::collections::HashMap<CellRef, Severity>,
    problem_rows: std::collections::HashMap<usize, BTreeSet<u32>>,
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
            outcomes: Vec::new(),
            profiles,
            undo: Vec::new(),
            redo: Vec::new(),
            version: 0,
            saved_version: 0,
            journal,
            case: None,
            warning: None,
            today,
            appeal_findings: Vec::new(),
            severity_index: Default::default(),
            problem_rows: Default::default(),
        };
        s.refresh_appeal_findings();
        s
    }

    /// Uses another journal (tests, or none).
    pub fn set_journal(&mut self, journal: Option<Journal>) {
        self.journal = journal;
    }

    /// Keeps the appeals' progress in this record (and takes what it already holds for the
    /// appeals loaded).
    pub fn set_case(&mut self, case: Option<CaseFile>) {
        self.case = case;
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

    /// The loaded appeals: each with its match, comparison and progress.
    pub fn outcomes(&self) -> &[Outcome] {
        &self.outcomes
    }

    /// The column mappings in use.
    pub fn profiles(&self) -> &[Profile] {
        &self.profiles
    }

    /// The record of the appeals' progress, if the session keeps one.
    pub fn case(&self) -> Option<&CaseFile> {
        self.case.as_ref()
    }

    /// A failed write of the journal or the case record, once.
    pub fn take_warning(&mut self) -> Option<String> {
        self.warning.take()
    }

    /// Writes every appeal's progress into the case record.
    fn persist(&mut self) {
        let Some(case) = &mut self.case else { return };
        for o in &self.outcomes {
            let key = appeal_key(&o.appeal);
            if o.progress == Progress::default() {
                case.data.progress.remove(&key);
            } else {
                case.data.progress.insert(key, o.progress.clone());
            }
        }
        if let Err(e) = case.save() {
            self.warning = Some(e.to_string());
        }
    }

    /// Operations a journal left from a session that did not save.
    pub fn pending_restore(&self) -> Vec<Operation> {
        self.journal.as_ref().map(Journal::read).unwrap_or_default()
    }

    /// Replays journaled operations (after a crash); returns how many cells changed.
    pub fn restore(&mut self, ops: Vec<Operation>) -> usize {
        let mut n = 0;
        for op in ops {
            let cells: Vec<crate::engine::writer::CellWrite> = op
                .changes
                .iter()
                .map(|c| crate::engine::writer::CellWrite {
                    cell: c.cell,
                    text: c.new.clone(),
                })
                .collect();
            if let Ok(k) = self.apply(cells, &op.label, op.source) {
                n += k;
            }
        }
        n
    }

    /// Forgets the journal (the officer declined to restore it).
    pub fn discard_journal(&mut self) {
        if let Some(j) = &self.journal
            && let Err(e) = j.clear()
        {
            self.warning = Some(e.to_string());
        }
    }

    /// Re-detects the layout (after the mapping changed) and re-audits everything.
    pub fn set_profiles(&mut self, profiles: Vec<Profile>) {
        self.profiles = profiles;
        self.reanalyse();
    }

    /// Full re-audit and re-match on the current grids.
    pub fn reanalyse(&mut self) {
        self.analysis = Analysis::run(self.book.grids(), &self.profiles, self.today);
        let appeals: Vec<Appeal> = self.outcomes.drain(..).map(|o| o.appeal).collect();
        self.add_appeals(appeals);
    }

    /// Every finding: the audit's and the appeals'.
    pub fn findings(&self) -> impl Iterator<Item = &Finding> {
        self.analysis
            .findings
            .iter()
            .chain(self.appeal_findings.iter())
    }

    /// Findings on one cell.
    pub fn findings_at(&self, cell: CellRef) -> Vec<&Finding> {
        self.findings().filter(|f| f.cell == cell).collect()
    }

    /// The worst severity on a cell.
    pub fn severity_at(&self, cell: CellRef) -> Option<Severity> {
        self.severity_index.get(&cell).copied()
    }

    /// Rows of a sheet with at least one error or warning.
    pub fn problem_rows(&self, sheet: usize) -> BTreeSet<u32> {
        self.problem_rows.get(&sheet).cloned().unwrap_or_default()
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
        self.version
    }

    /// The person a cell belongs to, as the officer reads it: «Иванов Иван Петрович, 5А»,
    /// «Иванова Мария (Родитель 1), 5А». `None` for a cell of nobody (a header, a title).
    pub fn person_at(&self, cell: CellRef) -> Option<String> {
        crate::engine::place::person_at(&self.analysis.schema, self.book.grids(), cell)
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

    fn writes(list: &[(usize, u32, u32, Option<&str>)]) -> Vec<crate::engine::writer::CellWrite> {
        list.iter()
            .map(|&(s, r, c, t)| crate::engine::writer::CellWrite {
                cell: CellRef::new(s, r, c),
                text: t.map(str::to_string),
            })
            .collect()
    }

    fn demo() -> Session {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/full/export.xls");
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
