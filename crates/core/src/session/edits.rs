//! Editing the book: one undoable operation per action (a cell, an appeal's fixes, a bulk fix
//! of one kind of finding), the journal written before the cells change, re-auditing the
//! touched people, undo and redo, and what changed.

use std::collections::BTreeSet;

use chrono::Local;

use crate::book::CellRef;
use crate::engine::audit::audit_person;
use crate::engine::card::Card;
use crate::engine::findings::{Finding, Kind, Severity};
use crate::engine::writer::{CellWrite, Refused, WriteError, Writer};
use crate::session::Session;
use crate::session::operation::{Change, Edit, Operation, Source};

/// Why an edit was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EditError {
    /// Every refused cell is protected (a header, a pupil's ФИО or birth date, a column the mapping
    /// protects); holds the writer's message.
    #[error("{0}")]
    Protected(String),
    /// A value cannot be written into its cell; holds the writer's message, naming each refused
    /// cell.
    #[error("{0}")]
    Invalid(String),
    /// The appeal's person was chosen by hand against the evidence: each field needs the
    /// officer's confirmation.
    #[error("{0}")]
    NeedsConfirmation(String),
}

impl From<Refused> for EditError {
    fn from(refused: Refused) -> EditError {
        if refused.0.iter().all(WriteError::is_protected) {
            EditError::Protected(refused.to_string())
        } else {
            EditError::Invalid(refused.to_string())
        }
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

pub(super) fn is_cross_finding(f: &Finding) -> bool {
    matches!(
        f.kind,
        Kind::DuplicateSnils | Kind::DuplicatePerson | Kind::ParentSnilsEqualsChild
    )
}

impl Session {
    /// Sets one cell (`None` empties it) as one undoable operation.
    pub fn set_cell(
        &mut self,
        cell: CellRef,
        value: Option<String>,
        source: Source,
    ) -> Result<usize, EditError> {
        let label = format!("{cell} {}", value.as_deref().unwrap_or("(пусто)"));
        let write = CellWrite { cell, text: value };
        self.apply(vec![write], &label, source)
    }

    /// Applies several cells as one undoable operation, through the one writer
    /// (`engine::writer`): the whole operation is refused when one cell is protected or its
    /// value cannot be written. Returns the number of cells that changed.
    pub fn apply(
        &mut self,
        writes: Vec<CellWrite>,
        label: &str,
        source: Source,
    ) -> Result<usize, EditError> {
        let writes: Vec<CellWrite> = writes
            .into_iter()
            .map(|w| CellWrite {
                text: w.text.filter(|t| !t.is_empty()),
                ..w
            })
            .collect();
        let writer = Writer::new(&self.analysis.schema);
        writer.check(&self.book, &writes).map_err(EditError::from)?;
        let mut changes = Vec::new();
        for w in writes {
            // What the cell will show: a date typed as «1982-10-14» into a date column
            // shows «14.10.1982».
            let new = w
                .text
                .as_deref()
                .and_then(|t| writer.value_for(&self.book, w.cell.sheet, w.cell.col, t))
                .map(|v| v.display());
            let old = self.text(w.cell);
            if old == new {
                continue;
            }
            changes.push(Change {
                cell: w.cell,
                old,
                new,
            });
        }
        if changes.is_empty() {
            return Ok(0);
        }
        self.write_changes(&changes, false)?;
        let n = changes.len();
        let recorded = self.history.record(Operation::Edit(Edit {
            label: label.to_string(),
            source,
            at: Local::now().to_rfc3339(),
            changes,
        }));
        self.warn(recorded);
        Ok(n)
    }

    /// Writes changes into the book through the one writer (forward, or backward for undo);
    /// nothing is written when one cell is refused.
    pub(super) fn write_changes(
        &mut self,
        changes: &[Change],
        backward: bool,
    ) -> Result<(), EditError> {
        let writes: Vec<CellWrite> = changes
            .iter()
            .map(|c| CellWrite {
                cell: c.cell,
                text: if backward { &c.old } else { &c.new }.clone(),
            })
            .collect();
        Writer::new(&self.analysis.schema)
            .write(&mut self.book, &writes)
            .map_err(EditError::from)?;
        let cells: BTreeSet<CellRef> = changes.iter().map(|c| c.cell).collect();
        self.reaudit(&cells);
        Ok(())
    }

    /// Re-audits the people whose cells changed and re-compares the appeals about them. A
    /// person's findings are on the person's own columns, so the others on the same row (a
    /// pupil and the parents) keep theirs.
    pub(super) fn reaudit(&mut self, cells: &BTreeSet<CellRef>) {
        let rows: BTreeSet<(usize, u32)> = cells.iter().map(|c| (c.sheet, c.row)).collect();
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
                        .any(|&c| cells.contains(&CellRef::new(p.sheet, p.row, c)))
            })
            .map(|(i, _)| i)
            .collect();
        let audited: rustc_hash::FxHashSet<CellRef> = people
            .iter()
            .filter_map(|&i| self.analysis.schema.people.get(i))
            .flat_map(|p| {
                p.cols
                    .values()
                    .map(move |&c| CellRef::new(p.sheet, p.row, c))
            })
            .collect();
        self.analysis
            .findings
            .retain(|f| !audited.contains(&f.cell) || is_cross_finding(f));
        let (grids, analysis, today) = (self.book.grids(), &self.analysis, self.today);
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
        self.analysis.findings.sort_by_key(|f| (f.cell, f.kind));
        let touched: Vec<crate::session::AppealId> = self
            .appeals
            .outcomes()
            .iter()
            .zip(self.appeals.ids())
            .filter(|(o, _)| {
                o.result
                    .person
                    .into_iter()
                    .chain(o.result.also.iter().copied())
                    .any(|p| people.binary_search(&p.index()).is_ok())
            })
            .map(|(_, &id)| id)
            .collect();
        for id in touched {
            self.recompare(id);
        }
        self.refresh_appeal_findings();
    }

    /// Undoes the last operation; returns its label.
    pub fn undo(&mut self) -> Option<String> {
        let op = self.history.take_undo()?;
        if !self.replay(&op, true) {
            self.history.keep(op);
            return None;
        }
        let label = op.label().to_string();
        let journaled = self.history.undone(op);
        self.warn(journaled);
        Some(label)
    }

    /// Redoes the last undone operation; returns its label.
    pub fn redo(&mut self) -> Option<String> {
        let op = self.history.take_redo()?;
        if !self.replay(&op, false) {
            self.history.keep_undone(op);
            return None;
        }
        let label = op.label().to_string();
        let journaled = self.history.redone(op);
        self.warn(journaled);
        Some(label)
    }

    /// Puts the state as it was before an operation (`backward`) or after it; false when
    /// the book refused the cells (nothing changed then).
    fn replay(&mut self, op: &Operation, backward: bool) -> bool {
        match op {
            Operation::Choice(c) => {
                let state = if backward { &c.before } else { &c.after }.clone();
                self.set_choice_state(c.appeal, &state);
                true
            }
            Operation::Edit(e) => self.write_changes(&e.changes, backward).is_ok(),
            Operation::Removal(r) => {
                self.replay_removal(r, backward);
                true
            }
        }
    }

    /// Whether there is an operation to undo.
    pub fn can_undo(&self) -> bool {
        self.history.can_undo()
    }

    /// Whether there is an undone operation to redo.
    pub fn can_redo(&self) -> bool {
        self.history.can_redo()
    }

    /// Every operation in effect, oldest first (the change log).
    pub fn operations(&self) -> &[Operation] {
        self.history.operations()
    }

    /// The cells differ from the last file saved in this session (or, before any save,
    /// from the file as opened).
    pub fn is_dirty(&self) -> bool {
        self.history.is_dirty(self.book.edits())
    }

    /// The newest file saved in this session that holds `cell` as it is now, if any.
    pub fn saved_in(&self, cell: CellRef) -> Option<&str> {
        self.history.saved_in(cell, self.book.edits().get(&cell))
    }

    /// Cells that differ from the export now.
    pub fn edited_cells(&self) -> usize {
        self.book.edits().len()
    }

    /// What «Исправить все такие» would do for one kind of finding, and what it leaves.
    pub fn bulk_plan(&self, kind: Kind) -> BulkPlan {
        let mut plan = BulkPlan::default();
        for f in self.findings().filter(|f| f.kind == kind) {
            if self.protection(f.cell).is_some() {
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
    pub fn fix_all_of_kind(&mut self, kind: Kind) -> Result<usize, EditError> {
        let cells: Vec<CellWrite> = self
            .findings()
            .filter(|f| f.kind == kind)
            .filter(|f| self.protection(f.cell).is_none())
            .filter_map(|f| {
                Some(CellWrite {
                    cell: f.cell,
                    text: Some(f.suggestion.clone()?),
                })
            })
            .collect();
        self.apply(cells, kind.label_ru(), Source::Bulk(kind.label_ru().into()))
    }

    /// Errors and warnings left in cells the officer changed (a value typed with a wrong
    /// check number, say): the save names them and asks first.
    pub fn edited_problems(&self) -> Vec<&Finding> {
        let edits = self.book.edits();
        self.findings()
            .filter(|f| f.severity != Severity::Info)
            .filter(|f| edits.contains_key(&f.cell))
            .collect()
    }

    /// What a save would change, by column: (sheet, column header, count).
    pub fn change_summary(&self) -> Vec<(String, String, usize)> {
        let mut counts: std::collections::BTreeMap<(usize, u32), usize> = Default::default();
        for &CellRef {
            sheet: s, col: c, ..
        } in self.book.edits().keys()
        {
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
                    .unwrap_or_else(|| format!("столбец {}", crate::xls::column_letters(c)));
                (sheet, header, n)
            })
            .collect()
    }
}
