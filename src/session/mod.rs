//! One officer's working session on one export: the book, its layout and findings, the loaded
//! appeals, every edit as an undoable operation (which doubles as the change log and the crash
//! journal), and the guard that refuses edits to protected cells.
//!
//! The GUI renders this state and sends it commands; it holds no logic of its own.

pub mod casefile;
pub mod history;
pub mod journal;
pub mod profiles;
pub mod report;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use chrono::{Local, NaiveDate};

use crate::book::{CellValue, Grid, SaveReport, XlsBook};
use crate::engine::appeal::Appeal;
use crate::engine::audit::audit_person;
use crate::engine::card::Card;
use crate::engine::field::Field;
use crate::engine::findings::{Finding, Severity};
use crate::engine::matching::{DiffKind, FieldResult, Status, Verdict, compare_card};
use crate::engine::progress::{Choice, Progress, Stage, StageError, appeal_key};
use crate::engine::reconcile::{Analysis, Outcome, appeal_findings};
use crate::engine::schema::Profile;
use crate::session::casefile::{AppealSource, CaseFile};
use crate::session::journal::Journal;
use crate::xls::XlsError;

use crate::session::history::ChoiceState;
pub use crate::session::history::{Change, ChoiceUndo, Operation, Source};

/// An identity field where a card and an appeal differ.
#[derive(Debug, Clone, PartialEq)]
pub struct Disagreement {
    pub field: Field,
    pub card: Option<String>,
    pub appeal: Option<String>,
    /// A real difference, not a typo, a look-alike letter, spaces or ё/е.
    pub real: bool,
}

/// What choosing a person by hand would mean: the identity fields that disagree, and
/// whether they say it is another person.
#[derive(Debug, Clone, PartialEq)]
pub struct ChoiceCheck {
    pub person: usize,
    pub disagree: Vec<Disagreement>,
    /// At least two of first name, birth date and СНИЛС really differ: a sibling, a twin or
    /// a namesake rather than this citizen.
    pub another_person: bool,
}

impl ChoiceCheck {
    /// The plain-words verdict for the confirmation.
    pub fn verdict_ru(&self) -> String {
        let real: Vec<String> = self
            .disagree
            .iter()
            .filter(|d| d.real)
            .map(|d| d.field.word_ru())
            .collect();
        if self.another_person {
            format!(
                "Похоже, это другой человек (брат или сестра, близнец, однофамилец): не совпадают {}. Исправления по этому обращению запишут данные заявителя в чужую карточку.",
                real.join(", ")
            )
        } else if self.disagree.is_empty() {
            "ФИО, дата рождения и СНИЛС не противоречат друг другу.".to_string()
        } else if real.is_empty() {
            "Различия похожи на опечатки в карточке.".to_string()
        } else {
            format!("Не совпадают: {}.", real.join(", "))
        }
    }
}

/// What a save is about to write for each appeal: the fields its fixes put right, taken
/// when the save starts (edits made while a large book saves are not in that file).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SaveTicket {
    pub version: u64,
    fixes: Vec<(String, Vec<(Field, String)>)>,
    /// Appeals «исправлено в файле» whose fixes this file holds too (a corrected file opened
    /// and saved again): importing the new file imports them.
    carried: Vec<String>,
}

/// Why an edit was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EditError {
    #[error("{0}")]
    Protected(String),
    #[error("{0}")]
    Invalid(String),
    /// The appeal's person was chosen by hand against the evidence: each field needs the
    /// officer's confirmation.
    #[error("{0}")]
    NeedsConfirmation(String),
}

/// The working state.
pub struct Session {
    pub book: XlsBook,
    pub analysis: Analysis,
    /// The sheets as they are now (original + edits).
    pub grids: Vec<Grid>,
    pub outcomes: Vec<Outcome>,
    pub profiles: Vec<Profile>,
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
    severity_index: std::collections::HashMap<(usize, u32, u32), Severity>,
    problem_rows: std::collections::HashMap<usize, BTreeSet<u32>>,
}

impl Session {
    /// Starts a session on an opened book.
    pub fn new(book: XlsBook, profiles: Vec<Profile>) -> Session {
        let grids = book.current_grids();
        let today = Local::now().date_naive();
        let analysis = Analysis::run(&grids, &profiles, today);
        let journal = book.path().and_then(Journal::for_export);
        let mut s = Session {
            book,
            analysis,
            grids,
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

    /// The record of the appeals' progress, if the session keeps one.
    pub fn case(&self) -> Option<&CaseFile> {
        self.case.as_ref()
    }

    /// A failed write of the journal or the case record, once.
    pub fn take_warning(&mut self) -> Option<String> {
        self.warning.take()
    }

    /// An appeal file or a pasted text was loaded: the record remembers it, so that the list
    /// comes back after a restart.
    pub fn note_source(&mut self, source: AppealSource) {
        if let Some(c) = &mut self.case {
            c.note_source(source);
        }
        self.persist();
    }

    /// Keeps out appeals the officer removed from the list earlier (when the list of a
    /// previous session is loaded again).
    pub fn without_dismissed(&self, appeals: Vec<Appeal>) -> Vec<Appeal> {
        match &self.case {
            Some(c) => appeals
                .into_iter()
                .filter(|a| !c.data.dismissed.contains(&appeal_key(a)))
                .collect(),
            None => appeals,
        }
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

    /// Takes the recorded progress (and a hand-made choice of person) for the appeals from
    /// `first` on.
    fn adopt_progress(&mut self, first: usize) {
        let Some(case) = &mut self.case else { return };
        let mut chosen = Vec::new();
        for (i, o) in self.outcomes.iter_mut().enumerate().skip(first) {
            let key = appeal_key(&o.appeal);
            if let Some(p) = case.data.progress.get(&key) {
                o.progress = p.clone();
                if let Some(c) = &p.choice {
                    chosen.push((i, c.clone()));
                }
            }
            case.data.dismissed.retain(|k| *k != key);
        }
        for (i, c) in chosen {
            let person = self
                .analysis
                .schema
                .people
                .iter()
                .position(|p| p.sheet == c.sheet && p.row == c.row && p.group == c.group);
            match (person, self.outcomes.get_mut(i)) {
                (Some(person), Some(o)) => {
                    o.result.status = Status::Matched;
                    o.result.person = Some(person);
                    o.result.also.clear();
                    o.also_fields.clear();
                    self.recompare(i);
                }
                // The person is not in this file any more: the choice no longer holds.
                (None, Some(o)) => o.progress.choice = None,
                _ => {}
            }
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
            let cells: Vec<(usize, u32, u32, Option<String>)> = op
                .changes
                .iter()
                .map(|c| (c.sheet, c.row, c.col, c.new.clone()))
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
        self.analysis = Analysis::run(&self.grids, &self.profiles, self.today);
        let appeals: Vec<Appeal> = self.outcomes.drain(..).map(|o| o.appeal).collect();
        self.add_appeals(appeals);
    }

    /// Matching of `appeals` as work for another thread: it holds its own copy of the sheets
    /// (rows are shared, so the copy is cheap) and of the layout. Hand what it returns to
    /// [`Session::accept_outcomes`] with the version it was started at.
    pub fn matching_work(
        &self,
        appeals: Vec<Appeal>,
    ) -> (u64, impl FnOnce() -> Vec<Outcome> + Send + 'static) {
        let grids = self.grids.clone();
        let analysis = Analysis {
            schema: self.analysis.schema.clone(),
            styles: self.analysis.styles.clone(),
            findings: Vec::new(),
        };
        let work = move || crate::engine::reconcile::match_appeals(&grids, &analysis, appeals);
        (self.version, work)
    }

    /// Adds appeals matched by [`Session::matching_work`]. Cells edited meanwhile are compared
    /// again, so the comparison shows the sheet as it is now.
    pub fn accept_outcomes(&mut self, outcomes: Vec<Outcome>, version: u64) {
        let first = self.outcomes.len();
        self.outcomes.extend(outcomes);
        if version != self.version {
            for i in first..self.outcomes.len() {
                self.recompare(i);
            }
        }
        self.adopt_progress(first);
        self.refresh_appeal_findings();
    }

    /// Matches appeals and adds them to the list.
    pub fn add_appeals(&mut self, appeals: Vec<Appeal>) {
        if appeals.is_empty() {
            self.refresh_appeal_findings();
            return;
        }
        let first = self.outcomes.len();
        let new = crate::engine::reconcile::match_appeals(&self.grids, &self.analysis, appeals);
        self.outcomes.extend(new);
        self.adopt_progress(first);
        self.refresh_appeal_findings();
    }

    /// Removes an appeal from the list (it stays out when the list is loaded again).
    pub fn remove_appeal(&mut self, index: usize) {
        if index < self.outcomes.len() {
            let o = self.outcomes.remove(index);
            if let Some(c) = &mut self.case {
                let key = appeal_key(&o.appeal);
                if !c.data.dismissed.contains(&key) {
                    c.data.dismissed.push(key);
                }
            }
            self.persist();
            self.refresh_appeal_findings();
        }
    }

    /// What choosing `person` for an appeal would mean: the identity fields (ФИО, birth
    /// date, СНИЛС) that disagree, and whether they say it is another person.
    pub fn check_choice(&self, index: usize, person: usize) -> Option<ChoiceCheck> {
        let o = self.outcomes.get(index)?;
        self.analysis.schema.people.get(person)?;
        let fields = self.compare_now(person, &o.appeal);
        let identity = [
            Field::Surname,
            Field::Name,
            Field::Patronymic,
            Field::BirthDate,
            Field::Snils,
        ];
        let disagree: Vec<Disagreement> = fields
            .iter()
            .filter(|f| identity.contains(&f.field))
            .filter(|f| f.verdict != Verdict::Equal && f.card.is_some() && f.appeal.is_some())
            .map(|f| Disagreement {
                field: f.field,
                card: f.card.clone(),
                appeal: f.appeal.clone(),
                real: f.kind == DiffKind::Other,
            })
            .collect();
        let another_person = disagree
            .iter()
            .filter(|d| d.real && matches!(d.field, Field::Name | Field::BirthDate | Field::Snils))
            .count()
            >= 2;
        Some(ChoiceCheck {
            person,
            disagree,
            another_person,
        })
    }

    /// The officer picked the person of an appeal by hand (after [`Session::check_choice`]
    /// was shown and confirmed). Undoable like an edit; the status reads «выбран вручную».
    pub fn choose_candidate(&mut self, index: usize, person: usize) -> Option<ChoiceCheck> {
        let check = self.check_choice(index, person)?;
        let p = self.analysis.schema.people.get(person)?;
        let choice = Choice {
            sheet: p.sheet,
            row: p.row,
            group: p.group,
            disagree: check
                .disagree
                .iter()
                .filter(|d| d.real)
                .map(|d| d.field)
                .collect(),
            another_person: check.another_person,
            confirmed: Vec::new(),
        };
        let o = self.outcomes.get_mut(index)?;
        let key = appeal_key(&o.appeal);
        let before = ChoiceState {
            result: o.result.clone(),
            also_fields: o.also_fields.clone(),
            choice: o.progress.choice.clone(),
        };
        o.result.status = Status::Matched;
        o.result.person = Some(person);
        o.result.also.clear();
        o.also_fields.clear();
        o.progress.choice = Some(choice.clone());
        self.recompare(index);
        let o = self.outcomes.get(index)?;
        let after = ChoiceState {
            result: o.result.clone(),
            also_fields: o.also_fields.clone(),
            choice: Some(choice),
        };
        let title = o.appeal.title();
        self.undo.push(Operation {
            label: format!("выбор человека для обращения {title}"),
            source: Source::Appeal(o.appeal.source.clone()),
            at: Local::now().to_rfc3339(),
            changes: Vec::new(),
            choice: Some(Box::new(ChoiceUndo { key, before, after })),
        });
        self.redo.clear();
        self.version += 1;
        self.persist();
        self.refresh_appeal_findings();
        Some(check)
    }

    /// Puts an appeal's match as it was before or after a hand-made choice.
    fn set_choice_state(&mut self, key: &str, state: &ChoiceState) {
        let Some(i) = self
            .outcomes
            .iter()
            .position(|o| appeal_key(&o.appeal) == key)
        else {
            return;
        };
        if let Some(o) = self.outcomes.get_mut(i) {
            o.result = state.result.clone();
            o.also_fields = state.also_fields.clone();
            o.progress.choice = state.choice.clone();
        }
        // Cells may have changed since the choice.
        if self
            .outcomes
            .get(i)
            .is_some_and(|o| o.result.person.is_some())
        {
            self.recompare(i);
        }
        self.persist();
        self.refresh_appeal_findings();
    }

    /// For a person chosen against the evidence: the officer confirms that this field of the
    /// appeal belongs in this card.
    pub fn confirm_field(&mut self, index: usize, field: Field) {
        if let Some(c) = self
            .outcomes
            .get_mut(index)
            .and_then(|o| o.progress.choice.as_mut())
            && !c.confirmed.contains(&field)
        {
            c.confirmed.push(field);
        }
        self.persist();
    }

    /// The appeal's person was chosen by hand although it looks like another person, and
    /// this field (every field, for `None`) is not confirmed yet.
    pub fn needs_confirmation(&self, index: usize, field: Option<Field>) -> bool {
        let Some(c) = self
            .outcomes
            .get(index)
            .and_then(|o| o.progress.choice.as_ref())
        else {
            return false;
        };
        c.another_person
            && match field {
                Some(f) => !c.confirmed.contains(&f),
                None => true,
            }
    }

    /// The officer confirms that the corrected file `file` was imported into СГО: every
    /// appeal whose fixes were saved to it moves to «загружено в СГО». Returns how many.
    pub fn mark_imported(&mut self, file: &Path) -> usize {
        let file = full_text(file);
        let mut n = 0;
        for o in &mut self.outcomes {
            if o.progress.saved_to.as_deref() == Some(file.as_str())
                && o.progress.mark_imported().is_ok()
            {
                n += 1;
            }
        }
        self.persist();
        n
    }

    /// The officer corrected the protected fields of an appeal by hand in СГО (or, for a
    /// person not in the export, created the card there).
    pub fn mark_fixed_by_hand(&mut self, index: usize) {
        let Some(o) = self.outcomes.get_mut(index) else {
            return;
        };
        let fixes: Vec<(Field, String)> = o
            .result
            .fields
            .iter()
            .filter(|f| f.verdict == Verdict::ProtectedDiffers)
            .filter_map(|f| Some((f.field, f.appeal.clone()?)))
            .collect();
        o.progress.mark_fixed_by_hand(fixes);
        self.persist();
    }

    /// Did the appeal's card need nothing: found, and every field equal to Госуслуги as
    /// exported? (A field that only equals after an unsaved edit still has to reach СГО
    /// before a new login can work.)
    fn nothing_to_fix(&self, o: &Outcome) -> bool {
        let edits = self.book.edits();
        o.result.status == Status::Matched
            && o.result
                .fields
                .iter()
                .chain(o.also_fields.iter().flatten())
                .all(|f| f.verdict == Verdict::Equal && !edits.contains_key(&f.cell))
    }

    /// Can the officer record a new login attempt for the appeal now: the data is in СГО, or
    /// the card needed nothing?
    pub fn login_allowed(&self, index: usize) -> bool {
        self.outcomes
            .get(index)
            .is_some_and(|o| match o.progress.stage {
                Stage::InSgo | Stage::LoginConfirmed | Stage::LoginFails => true,
                Stage::New => self.nothing_to_fix(o),
                Stage::FixedInFile => false,
            })
    }

    /// The citizen tried to log in again (`ok`: it worked).
    pub fn mark_login(&mut self, index: usize, ok: bool) -> Result<(), StageError> {
        let Some(nothing_to_fix) = self.outcomes.get(index).map(|o| self.nothing_to_fix(o)) else {
            return Ok(());
        };
        if let Some(o) = self.outcomes.get_mut(index) {
            o.progress.mark_login(ok, nothing_to_fix)?;
        }
        self.persist();
        Ok(())
    }

    /// Takes an appeal back one stage (a click by mistake).
    pub fn step_back(&mut self, index: usize) -> Result<(), StageError> {
        let Some(o) = self.outcomes.get_mut(index) else {
            return Ok(());
        };
        o.progress.step_back()?;
        self.persist();
        Ok(())
    }

    fn recompare(&mut self, index: usize) {
        let Some(o) = self.outcomes.get(index) else {
            return;
        };
        let people: Vec<usize> = o
            .result
            .person
            .into_iter()
            .chain(o.result.also.iter().copied())
            .collect();
        let appeal = o.appeal.clone();
        let mut lists = Vec::new();
        for p in people {
            lists.push(self.compare_now(p, &appeal));
        }
        if let Some(o) = self.outcomes.get_mut(index) {
            let mut it = lists.into_iter();
            o.result.fields = it.next().unwrap_or_default();
            o.also_fields = it.collect();
        }
    }

    fn compare_now(&self, person: usize, appeal: &Appeal) -> Vec<FieldResult> {
        let Some(p) = self.analysis.schema.people.get(person) else {
            return Vec::new();
        };
        let Some(grid) = self.grids.get(p.sheet) else {
            return Vec::new();
        };
        let card = Card::read(grid, p);
        compare_card(
            &self.analysis.schema,
            &self.analysis.styles,
            p,
            &card,
            appeal,
        )
    }

    fn refresh_appeal_findings(&mut self) {
        self.appeal_findings = appeal_findings(&self.outcomes);
        let mut index = std::collections::HashMap::new();
        let mut rows: std::collections::HashMap<usize, BTreeSet<u32>> = Default::default();
        for f in self
            .analysis
            .findings
            .iter()
            .chain(self.appeal_findings.iter())
        {
            let e = index.entry((f.sheet, f.row, f.col)).or_insert(f.severity);
            if f.severity < *e {
                *e = f.severity;
            }
            if f.severity != Severity::Info {
                rows.entry(f.sheet).or_default().insert(f.row);
            }
        }
        self.severity_index = index;
        self.problem_rows = rows;
    }

    /// Every finding: the audit's and the appeals'.
    pub fn findings(&self) -> impl Iterator<Item = &Finding> {
        self.analysis
            .findings
            .iter()
            .chain(self.appeal_findings.iter())
    }

    /// Findings on one cell.
    pub fn findings_at(&self, sheet: usize, row: u32, col: u32) -> Vec<&Finding> {
        self.findings()
            .filter(|f| f.sheet == sheet && f.row == row && f.col == col)
            .collect()
    }

    /// The worst severity on a cell.
    pub fn severity_at(&self, sheet: usize, row: u32, col: u32) -> Option<Severity> {
        self.severity_index.get(&(sheet, row, col)).copied()
    }

    /// Rows of a sheet with at least one error or warning.
    pub fn problem_rows(&self, sheet: usize) -> BTreeSet<u32> {
        self.problem_rows.get(&sheet).cloned().unwrap_or_default()
    }

    /// The cell's text now.
    pub fn text(&self, sheet: usize, row: u32, col: u32) -> Option<String> {
        self.grids
            .get(sheet)?
            .get(row, col)
            .map(CellValue::display)
            .filter(|s| !s.is_empty())
    }

    /// Was the cell changed (now different from the export)?
    pub fn is_edited(&self, sheet: usize, row: u32, col: u32) -> bool {
        self.book.edits().contains_key(&(sheet, row, col))
    }

    /// Why the cell cannot be edited, if it cannot.
    pub fn protection(&self, sheet: usize, row: u32, col: u32) -> Option<String> {
        self.analysis.schema.protection_reason(sheet, row, col)
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

    /// Sets one cell (`None` empties it) as one undoable operation.
    pub fn set_cell(
        &mut self,
        sheet: usize,
        row: u32,
        col: u32,
        value: Option<String>,
        source: Source,
    ) -> Result<usize, EditError> {
        let label = format!(
            "{} {}",
            crate::xls::error::a1(row, col),
            value.as_deref().unwrap_or("(пусто)")
        );
        self.apply(vec![(sheet, row, col, value)], &label, source)
    }

    /// Applies several cells as one undoable operation; refuses the whole operation when one
    /// cell is protected or invalid. Returns the number of cells that changed.
    pub fn apply(
        &mut self,
        cells: Vec<(usize, u32, u32, Option<String>)>,
        label: &str,
        source: Source,
    ) -> Result<usize, EditError> {
        for &(sheet, row, col, _) in &cells {
            if let Some(why) = self.protection(sheet, row, col) {
                return Err(EditError::Protected(why));
            }
        }
        let mut changes = Vec::new();
        for (sheet, row, col, value) in cells {
            let value = value.filter(|v| !v.is_empty());
            let old = self.text(sheet, row, col);
            if old == value {
                continue;
            }
            changes.push(Change {
                sheet,
                row,
                col,
                old,
                new: value,
            });
        }
        if changes.is_empty() {
            return Ok(0);
        }
        self.write_changes(&changes, false)?;
        let op = Operation {
            label: label.to_string(),
            source,
            at: Local::now().to_rfc3339(),
            changes,
            choice: None,
        };
        let n = op.changes.len();
        if let Some(j) = &self.journal
            && let Err(e) = j.append(&op)
        {
            self.warning = Some(e.to_string());
        }
        self.undo.push(op);
        self.redo.clear();
        self.version += 1;
        Ok(n)
    }

    /// Writes changes into the book and the grids (forward, or backward for undo).
    fn write_changes(&mut self, changes: &[Change], backward: bool) -> Result<(), EditError> {
        // Validate all first so that a failing cell leaves nothing half-written.
        for c in changes {
            let v = if backward { &c.old } else { &c.new };
            if let Some(text) = v
                && text.encode_utf16().count() > 32_767
            {
                return Err(EditError::Invalid(
                    XlsError::TextTooLong {
                        cell: crate::xls::error::a1(c.row, c.col),
                        len: text.encode_utf16().count(),
                    }
                    .to_string(),
                ));
            }
        }
        let mut cells = BTreeSet::new();
        for c in changes {
            let v = if backward { &c.old } else { &c.new };
            let original = self
                .book
                .original(c.sheet)
                .and_then(|g| g.get(c.row, c.col))
                .cloned();
            // Back to the exported value: the edit disappears (the original cell stays as is,
            // even a number or a date).
            let back_to_original = match (&original, v) {
                (Some(o), Some(t)) => o.display() == *t,
                (None, None) => true,
                _ => false,
            };
            let r = if back_to_original {
                self.book.revert(c.sheet, c.row, c.col);
                Ok(())
            } else {
                match v {
                    Some(t) => self.book.set_text(c.sheet, c.row, c.col, t),
                    None => self.book.clear(c.sheet, c.row, c.col),
                }
            };
            r.map_err(|e| EditError::Invalid(e.to_string()))?;
            if let Some(g) = self.grids.get_mut(c.sheet) {
                match (back_to_original, v) {
                    (true, _) => match original {
                        Some(o) => {
                            g.insert(c.row, c.col, o);
                        }
                        None => {
                            g.remove(c.row, c.col);
                        }
                    },
                    (false, Some(t)) => {
                        g.insert(c.row, c.col, CellValue::Text(t.as_str().into()));
                    }
                    (false, None) => {
                        g.remove(c.row, c.col);
                    }
                }
            }
            cells.insert((c.sheet, c.row, c.col));
        }
        self.reaudit(&cells);
        Ok(())
    }

    /// Re-audits the people whose cells changed and re-compares the appeals about them. A
    /// person's findings are on the person's own columns, so the others on the same row (a
    /// pupil and the parents) keep theirs.
    fn reaudit(&mut self, cells: &BTreeSet<(usize, u32, u32)>) {
        let rows: BTreeSet<(usize, u32)> = cells.iter().map(|&(s, r, _)| (s, r)).collect();
        // In increasing order, so that membership is a binary search.
        let people: Vec<usize> = self
            .analysis
            .schema
            .people
            .iter()
            .enumerate()
            .filter(|(_, p)| {
                rows.contains(&(p.sheet, p.row))
                    && p.cols
                        .values()
                        .any(|&c| cells.contains(&(p.sheet, p.row, c)))
            })
            .map(|(i, _)| i)
            .collect();
        let audited: rustc_hash::FxHashSet<(usize, u32, u32)> = people
            .iter()
            .filter_map(|&i| self.analysis.schema.people.get(i))
            .flat_map(|p| p.cols.values().map(move |&c| (p.sheet, p.row, c)))
            .collect();
        self.analysis
            .findings
            .retain(|f| !audited.contains(&(f.sheet, f.row, f.col)) || is_cross_finding(f));
        let (grids, analysis, today) = (&self.grids, &self.analysis, self.today);
        let audit_some = |part: &[usize]| {
            let mut found = Vec::new();
            for &i in part {
                let Some(p) = analysis.schema.people.get(i) else {
                    continue;
                };
                let Some(grid) = grids.get(p.sheet) else {
                    continue;
                };
                let card = Card::read(grid, p);
                audit_person(&mut found, grid, p, &card, &analysis.styles, today);
            }
            found
        };
        // A bulk fix re-audits thousands of people: on every core. A worker that failed is
        // redone here.
        let found: Vec<Finding> = if people.len() < 512 {
            audit_some(&people)
        } else {
            crate::parallel::in_chunks(
                &people,
                |_, part| audit_some(part),
                |first, len| audit_some(people.get(first..first + len).unwrap_or(&[])),
            )
            .into_iter()
            .flatten()
            .collect()
        };
        self.analysis.findings.extend(found);
        self.analysis
            .findings
            .sort_by_key(|f| (f.sheet, f.row, f.col, f.kind));
        let touched: Vec<usize> = self
            .outcomes
            .iter()
            .enumerate()
            .filter(|(_, o)| {
                o.result
                    .person
                    .into_iter()
                    .chain(o.result.also.iter().copied())
                    .any(|p| people.binary_search(&p).is_ok())
            })
            .map(|(i, _)| i)
            .collect();
        for i in touched {
            self.recompare(i);
        }
        self.refresh_appeal_findings();
    }

    /// Undoes the last operation; returns its label.
    pub fn undo(&mut self) -> Option<String> {
        let op = self.undo.pop()?;
        if let Some(c) = &op.choice {
            self.set_choice_state(&c.key, &c.before);
        } else if self.write_changes(&op.changes, true).is_err() {
            self.undo.push(op);
            return None;
        }
        let label = op.label.clone();
        if let Some(j) = &self.journal {
            let cells: Vec<Operation> = self
                .undo
                .iter()
                .filter(|o| !o.changes.is_empty())
                .cloned()
                .collect();
            if let Err(e) = j.rewrite(&cells) {
                self.warning = Some(e.to_string());
            }
        }
        self.version += 1;
        self.redo.push(op);
        Some(label)
    }

    /// Redoes the last undone operation; returns its label.
    pub fn redo(&mut self) -> Option<String> {
        let op = self.redo.pop()?;
        if let Some(c) = &op.choice {
            self.set_choice_state(&c.key, &c.after);
        } else if self.write_changes(&op.changes, false).is_err() {
            self.redo.push(op);
            return None;
        }
        let label = op.label.clone();
        if let Some(j) = &self.journal
            && !op.changes.is_empty()
            && let Err(e) = j.append(&op)
        {
            self.warning = Some(e.to_string());
        }
        self.version += 1;
        self.undo.push(op);
        Some(label)
    }

    /// Changes with every edit, undo and redo (for caches).
    pub fn version(&self) -> u64 {
        self.version
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Every operation in effect, oldest first (the change log).
    pub fn operations(&self) -> &[Operation] {
        &self.undo
    }

    /// Unsaved edits exist.
    pub fn is_dirty(&self) -> bool {
        self.version != self.saved_version
            && (self.saved_version != 0 || !self.book.edits().is_empty())
    }

    /// Cells that differ from the export now.
    pub fn edited_cells(&self) -> usize {
        self.book.edits().len()
    }

    /// Applies every fixable difference of one appeal (one undoable operation).
    pub fn fix_appeal(&mut self, index: usize) -> Result<usize, EditError> {
        self.fix_appeal_fields(index, None)
    }

    /// Whether «Исправить всё» has anything to write for appeal `index`: it is matched and one
    /// of its fields (on this card or the person's other records) can be fixed.
    pub fn can_fix_appeal(&self, index: usize) -> bool {
        self.outcomes.get(index).is_some_and(|o| {
            o.result.status == Status::Matched
                && std::iter::once(&o.result.fields)
                    .chain(o.also_fields.iter())
                    .flatten()
                    .any(FieldResult::is_fixable)
        })
    }

    /// Applies one field's suggestion of an appeal.
    pub fn fix_appeal_field(&mut self, index: usize, field: Field) -> Result<usize, EditError> {
        self.fix_appeal_fields(index, Some(field))
    }

    fn fix_appeal_fields(&mut self, index: usize, only: Option<Field>) -> Result<usize, EditError> {
        let Some(o) = self.outcomes.get(index) else {
            return Ok(0);
        };
        if o.result.status != Status::Matched {
            return Ok(0);
        }
        if self.needs_confirmation(index, only) {
            return Err(EditError::NeedsConfirmation(match only {
                Some(f) => format!(
                    "{}: человек выбран вручную и, похоже, это другой человек — подтвердите, что значение из обращения относится к этой карточке.",
                    f.label_ru()
                ),
                None => "Человек выбран вручную и, похоже, это другой человек: «Исправить всё» недоступно, подтверждайте каждое поле отдельно.".to_string(),
            }));
        }
        let mut cells = Vec::new();
        for f in std::iter::once(&o.result.fields)
            .chain(o.also_fields.iter())
            .flatten()
        {
            if only.is_some_and(|x| x != f.field) {
                continue;
            }
            if f.is_fixable()
                && let Some(s) = &f.suggestion
            {
                cells.push((f.cell.0, f.cell.1, f.cell.2, Some(s.clone())));
            }
        }
        let label = match only {
            Some(f) => format!("{}: {}", o.appeal.title(), f.label_ru()),
            None => format!("Исправить всё: {}", o.appeal.title()),
        };
        let source = Source::Appeal(o.appeal.source.clone());
        self.apply(cells, &label, source)
    }

    /// What «Исправить все такие» would do for one kind of finding, and what it leaves.
    pub fn bulk_plan(&self, kind: crate::engine::findings::Kind) -> BulkPlan {
        let mut plan = BulkPlan::default();
        for f in self.findings().filter(|f| f.kind == kind) {
            if self.protection(f.sheet, f.row, f.col).is_some() {
                plan.protected += 1;
            } else if f.suggestion.is_none() {
                plan.no_suggestion += 1;
            } else {
                plan.fixable += 1;
            }
        }
        plan
    }

    /// Applies the suggestions of every finding of one kind (one undoable operation).
    pub fn fix_all_of_kind(
        &mut self,
        kind: crate::engine::findings::Kind,
    ) -> Result<usize, EditError> {
        let cells: Vec<(usize, u32, u32, Option<String>)> = self
            .findings()
            .filter(|f| f.kind == kind)
            .filter(|f| self.protection(f.sheet, f.row, f.col).is_none())
            .filter_map(|f| Some((f.sheet, f.row, f.col, Some(f.suggestion.clone()?))))
            .collect();
        self.apply(cells, kind.label_ru(), Source::Bulk(kind.label_ru().into()))
    }

    /// Writes the corrected file (never over the opened export), verifies it, and marks the
    /// session saved.
    pub fn save_as(&mut self, target: &Path) -> Result<SaveReport, XlsError> {
        let ticket = self.save_ticket();
        let report = self.book.save_as(target)?;
        self.mark_saved(ticket, target);
        Ok(report)
    }

    /// What a save started now writes for each appeal: the fields whose cells the officer
    /// changed and which now agree with Госуслуги.
    pub fn save_ticket(&self) -> SaveTicket {
        let edits = self.book.edits();
        let fixes = self
            .outcomes
            .iter()
            .filter(|o| o.result.person.is_some())
            .map(|o| {
                let mut fixed: Vec<(Field, String)> = Vec::new();
                for f in o.result.fields.iter().chain(o.also_fields.iter().flatten()) {
                    if f.verdict == Verdict::Equal
                        && edits.contains_key(&f.cell)
                        && !fixed.iter().any(|(x, _)| *x == f.field)
                        && let Some(v) = &f.appeal
                    {
                        fixed.push((f.field, v.clone()));
                    }
                }
                (appeal_key(&o.appeal), fixed)
            })
            .filter(|(_, fixed)| !fixed.is_empty())
            .collect();
        let carried = self
            .outcomes
            .iter()
            .filter(|o| o.progress.stage == crate::engine::progress::Stage::FixedInFile)
            .filter(|o| {
                o.progress
                    .fixes
                    .iter()
                    .filter(|x| x.way == crate::engine::progress::FixWay::InFile)
                    .all(|x| {
                        o.result
                            .fields
                            .iter()
                            .any(|f| f.field == x.field && f.verdict == Verdict::Equal)
                    })
            })
            .map(|o| appeal_key(&o.appeal))
            .collect();
        SaveTicket {
            version: self.version,
            fixes,
            carried,
        }
    }

    /// The save as work for another thread: a copy of the book with its edits (the parsed
    /// file is shared, not copied). When it succeeds, call [`Session::mark_saved`] with the
    /// version returned here.
    pub fn save_work(
        &self,
        target: PathBuf,
    ) -> (
        SaveTicket,
        impl FnOnce() -> Result<SaveReport, XlsError> + Send + 'static,
    ) {
        let book = self.book.clone();
        (self.save_ticket(), move || book.save_as(&target))
    }

    /// The book as it was when `ticket` was taken has been saved to `file`. Edits made since
    /// stay unsaved (and journaled). The appeals whose fixes the file holds are «исправлено в
    /// файле», and the case record notes the file.
    pub fn mark_saved(&mut self, ticket: SaveTicket, file: &Path) {
        self.saved_version = ticket.version;
        if ticket.version == self.version
            && let Some(j) = &self.journal
            && let Err(e) = j.clear()
        {
            self.warning = Some(e.to_string());
        }
        let text = full_text(file);
        // Each appeal's key once (a save may concern a thousand appeals).
        let mut at: std::collections::HashMap<String, usize> = Default::default();
        for (i, o) in self.outcomes.iter().enumerate() {
            at.entry(appeal_key(&o.appeal)).or_insert(i);
        }
        for key in ticket.carried {
            if let Some(o) = at.get(&key).and_then(|&i| self.outcomes.get_mut(i)) {
                o.progress.saved_to = Some(text.clone());
            }
        }
        for (key, fixes) in ticket.fixes {
            if let Some(o) = at.get(&key).and_then(|&i| self.outcomes.get_mut(i)) {
                o.progress.record_saved(fixes, &text);
            }
        }
        if let Some(c) = &mut self.case {
            c.note_saved(file);
        }
        self.persist();
    }

    /// The default name for the corrected file, beside the opened one: `…_исправлено.xls`,
    /// or the next free `…_исправлено (2).xls` — never a file that exists (a corrected file
    /// opened again is not overwritten either).
    pub fn default_save_path(&self) -> PathBuf {
        // A book without a file (the demo) is saved in the officer's documents, not wherever
        // the program happened to start.
        let base = self
            .book
            .path()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| documents_dir().join("выгрузка.xls"));
        let stem = base
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "выгрузка".into());
        let stem = match stem.rsplit_once(" (") {
            Some((b, n)) if n.ends_with(')') && n.trim_end_matches(')').parse::<u32>().is_ok() => {
                b.to_string()
            }
            _ => stem,
        };
        let name = if stem.ends_with("_исправлено") {
            stem
        } else {
            format!("{stem}_исправлено")
        };
        crate::session::casefile::free_name(&base.with_file_name(format!("{name}.xls")))
    }

    /// What the officer is told about an appeal beyond its match: the child its message names,
    /// and for a person not in the export the cards that share an identifying value (a
    /// duplicate account must not be created). A hand-made choice counts as found.
    pub fn appeal_help(&self, index: usize) -> Option<crate::engine::lookup::AppealHelp> {
        let o = self.outcomes.get(index)?;
        let status = if o.progress.choice.is_some() {
            Status::Matched
        } else {
            o.result.status
        };
        Some(crate::engine::lookup::help(
            &self.grids,
            &self.analysis.schema,
            &o.appeal,
            status,
        ))
    }

    /// The person a cell belongs to, as the officer reads it: «Иванов Иван Петрович, 5А»,
    /// «Иванова Мария (Родитель 1), 5А». `None` for a cell of nobody (a header, a title).
    pub fn person_at(&self, sheet: usize, row: u32, col: u32) -> Option<String> {
        let people = &self.analysis.schema.people;
        let start = people.partition_point(|p| (p.sheet, p.row) < (sheet, row));
        let on_row = people
            .get(start..)?
            .iter()
            .take_while(|p| p.sheet == sheet && p.row == row);
        let mut own = None;
        let mut owner = None;
        for p in on_row {
            if p.cols.values().any(|&c| c == col) {
                owner = Some(p);
                break;
            }
            if p.group.is_none() {
                own = Some(p);
            }
        }
        let p = owner.or(own)?;
        let grid = self.grids.get(sheet)?;
        let layout = self.analysis.schema.sheets.get(sheet)?;
        let name: Vec<String> = [Field::Surname, Field::Name, Field::Patronymic]
            .iter()
            .filter_map(|f| crate::engine::schema::cell_text(grid, row, *p.cols.get(f)?))
            .collect();
        let mut text = if name.is_empty() {
            "без ФИО".to_string()
        } else {
            name.join(" ")
        };
        if let Some(g) = p.group.and_then(|g| layout.groups.get(g)) {
            text.push_str(&format!(" ({})", g.label));
        }
        if let Some(class) = crate::engine::import_steps::class_on_row(grid, layout, row) {
            text.push_str(", ");
            text.push_str(&class);
        }
        Some(text)
    }

    /// A cell and whose it is: «Ученики!I4 · Иванов Иван Петрович, 5А».
    pub fn place_of(&self, sheet: usize, row: u32, col: u32) -> String {
        let name = self
            .analysis
            .schema
            .sheets
            .get(sheet)
            .map_or("?", |l| l.name.as_str());
        let cell = format!("{name}!{}", crate::xls::error::a1(row, col));
        match self.person_at(sheet, row, col) {
            Some(who) => format!("{cell} · {who}"),
            None => cell,
        }
    }

    /// Errors and warnings left in cells the officer changed (a value typed with a wrong
    /// check number, say): the save names them and asks first.
    pub fn edited_problems(&self) -> Vec<&Finding> {
        let edits = self.book.edits();
        self.findings()
            .filter(|f| f.severity != Severity::Info)
            .filter(|f| edits.contains_key(&(f.sheet, f.row, f.col)))
            .collect()
    }

    /// What a save would change, by column: (sheet, column header, count).
    pub fn change_summary(&self) -> Vec<(String, String, usize)> {
        let mut counts: std::collections::BTreeMap<(usize, u32), usize> = Default::default();
        for &(s, _, c) in self.book.edits().keys() {
            *counts.entry((s, c)).or_default() += 1;
        }
        counts
            .into_iter()
            .map(|((s, c), n)| {
                let layout = self.analysis.schema.sheets.get(s);
                let sheet = layout.map(|l| l.name.clone()).unwrap_or_default();
                let header = layout
                    .and_then(|l| l.column(c))
                    .map(|x| x.header.clone())
                    .unwrap_or_else(|| format!("столбец {}", crate::xls::error::column_letters(c)));
                (sheet, header, n)
            })
            .collect()
    }
}

/// What a bulk fix of one kind of finding covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BulkPlan {
    /// Findings with a suggestion in a cell that may be edited.
    pub fixable: usize,
    /// In protected cells (pupils' ФИО and birth date): fixed by hand in СГО.
    pub protected: usize,
    /// No single right value (a wrong СНИЛС, a missing birth date): fixed by hand.
    pub no_suggestion: usize,
}

impl BulkPlan {
    /// What the bulk fix leaves out and why, in Russian; `None` when it covers everything.
    pub fn left_out_ru(&self) -> Option<String> {
        let left = self.protected + self.no_suggestion;
        if left == 0 {
            return None;
        }
        let mut why = Vec::new();
        if self.no_suggestion > 0 {
            why.push(format!(
                "{} — без однозначного исправления (нужно верное значение: исправьте по документам или по обращению)",
                self.no_suggestion
            ));
        }
        if self.protected > 0 {
            why.push(format!(
                "{} — в защищённых ячейках (ФИО и дата рождения учеников меняются только в карточке в СГО)",
                self.protected
            ));
        }
        Some(format!("Не войдут {left}: {}.", why.join("; ")))
    }
}

/// A path as the case record keeps it (full, when it exists).
fn full_text(path: &Path) -> String {
    std::fs::canonicalize(path)
        .unwrap_or_else(|_| path.to_path_buf())
        .to_string_lossy()
        .into_owned()
}

fn is_cross_finding(f: &Finding) -> bool {
    use crate::engine::findings::Kind::*;
    matches!(
        f.kind,
        DuplicateSnils | DuplicatePerson | ParentSnilsEqualsChild
    )
}

/// The officer's documents folder: «Документы»/«Documents» in the home folder when it exists,
/// else the home folder, else the current one.
fn documents_dir() -> PathBuf {
    let home = std::env::var_os("USERPROFILE")
        .or_else(|| std::env::var_os("HOME"))
        .map(PathBuf::from);
    let Some(home) = home else {
        return PathBuf::from(".");
    };
    ["Документы", "Documents"]
        .iter()
        .map(|d| home.join(d))
        .find(|d| d.is_dir())
        .unwrap_or(home)
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let err = s.set_cell(0, 3, 3, Some("Иванова".into()), Source::Manual);
        assert!(
            matches!(err, Err(EditError::Protected(ref m)) if m.contains("вручную")),
            "{err:?}"
        );
        assert!(!s.can_undo());
        // A parent's surname is editable.
        assert_eq!(
            s.set_cell(0, 3, 13, Some("Иванова".into()), Source::Manual),
            Ok(1)
        );
    }

    #[test]
    fn undo_and_redo_restore_cells_and_findings() {
        let mut s = demo();
        let before = s.text(0, 3, 8);
        let findings_before = s.findings().count();
        assert_eq!(
            s.set_cell(0, 3, 8, Some("112-233-445 96".into()), Source::Manual),
            Ok(1)
        );
        assert_eq!(s.text(0, 3, 8).as_deref(), Some("112-233-445 96"));
        assert!(
            s.findings_at(0, 3, 8)
                .iter()
                .any(|f| f.kind == crate::engine::findings::Kind::SnilsCheckNumber)
        );
        assert!(s.is_dirty());
        assert!(s.undo().is_some());
        assert_eq!(s.text(0, 3, 8), before);
        assert!(s.book.edits().is_empty());
        assert_eq!(s.findings().count(), findings_before);
        assert!(s.redo().is_some());
        assert_eq!(s.text(0, 3, 8).as_deref(), Some("112-233-445 96"));
    }

    /// After edits to pupils' and parents' cells, the re-audited findings are those a fresh
    /// audit of the edited sheet gives.
    #[test]
    fn reaudit_after_edits_equals_a_fresh_audit() {
        let mut s = demo();
        let edits = vec![
            (0, 3, 8, Some("112-233-445 96".into())),
            (0, 4, 13, Some("Ивaнова".into())),
            (0, 5, 8, None),
            (0, 6, 19, Some("не телефон".into())),
            (0, 7, 20, Some("mail@gmial.com".into())),
        ];
        assert_eq!(s.apply(edits, "пять", Source::Manual), Ok(5));
        let same_as_fresh = |s: &Session| {
            let fresh = Analysis::run(&s.grids, &s.profiles, s.today);
            let own = |list: &[Finding]| {
                let mut v: Vec<_> = list
                    .iter()
                    .filter(|f| !is_cross_finding(f))
                    .map(|f| {
                        (
                            f.sheet,
                            f.row,
                            f.col,
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
            vec![(0, 3, 8, Some("112-233-445 95".into())), (0, 4, 8, None)],
            "два",
            Source::Bulk("тест".into()),
        );
        assert_eq!(n, Ok(2));
        assert_eq!(s.operations().len(), 1);
        s.undo();
        assert!(s.book.edits().is_empty());
    }
}
