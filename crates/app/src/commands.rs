//! The officer's commands on the open book: moving the selection, editing a cell inline, undo
//! and redo, fixing an appeal.

use std::collections::BTreeSet;

use super::{Editing, SverkaApp};
use sverka_core::book::CellRef;
use sverka_core::session::{AppealId, Severity, Source};

impl SverkaApp {
    /// Selects an appeal and scrolls the grid to its person.
    pub fn select_appeal(&mut self, id: AppealId) {
        self.workspace.selected_appeal = Some(id);
        let Some(s) = &self.workspace.session else {
            return;
        };
        let cell = s
            .appeal(id)
            .and_then(|o| {
                // Several candidates: the first is shown. A person not found is not: the
                // nearest card would look like a match.
                let first_candidate = (o.result.status == sverka_core::session::Status::Ambiguous)
                    .then(|| o.result.candidates.first().map(|c| c.person))
                    .flatten();
                o.result.person.or(first_candidate)
            })
            .and_then(|p| s.person_cell(p));
        if let Some(cell) = cell {
            self.workspace.sheet = cell.sheet;
            self.workspace.selected = Some(cell);
            self.workspace.scroll_to = Some((cell.row, cell.col));
        } else {
            // Nobody's row: the grid must not go on naming the previous appeal's person.
            if self.workspace.editing.is_some() {
                self.commit_edit();
            }
            self.workspace.selected = None;
        }
    }

    /// Moves the selection to a cell and scrolls to it.
    pub fn go_to(&mut self, cell: CellRef) {
        self.workspace.sheet = cell.sheet;
        self.workspace.selected = Some(cell);
        self.workspace.scroll_to = Some((cell.row, cell.col));
        self.workspace.editing = None;
    }

    /// Selects the first row the search (and the filter) kept, or says there is none.
    pub fn first_found(&mut self) {
        // The rows are worked out again for the search typed just now.
        crate::grid::refresh_cache(self);
        let sheet = self.workspace.sheet;
        let found = self
            .workspace
            .grid_cache
            .first_body_cell()
            .map(|(row, col)| {
                // The person the search found on the row: the pupil, or a parent.
                let col = self
                    .workspace
                    .session
                    .as_ref()
                    .and_then(|s| {
                        let grid = s.grids().get(sheet)?;
                        s.row_search(sheet, &self.workspace.search)
                            .found_at(grid, row)
                    })
                    .unwrap_or(col);
                CellRef::new(sheet, row, col)
            });
        match found {
            Some(cell) => self.go_to(cell),
            None => {
                let query = self.workspace.search.trim().to_string();
                self.say(format!("По запросу «{query}» ничего не найдено."));
            }
        }
    }

    /// Moves the selection to the next cell with a problem (F8).
    pub fn next_problem(&mut self) {
        let Some(s) = &self.workspace.session else {
            return;
        };
        let cur = self
            .workspace
            .selected
            .unwrap_or_else(|| CellRef::new(self.workspace.sheet, 0, 0));
        // In the sheet's order (CellRef orders by sheet, row, column), each cell once.
        let cells: Vec<CellRef> = s
            .findings()
            .filter(|f| f.cell.sheet == self.workspace.sheet && f.severity != Severity::Info)
            .map(|f| f.cell)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let next = cells
            .iter()
            .find(|c| **c > cur)
            .or_else(|| cells.first())
            .copied();
        match next {
            Some(cell) => self.go_to(cell),
            None => self.say("Проблем на этом листе нет."),
        }
    }

    /// Starts editing the selected cell, or explains why it cannot be edited.
    pub fn begin_edit(&mut self) {
        let (Some(s), Some(cell)) = (&self.workspace.session, self.workspace.selected) else {
            return;
        };
        if let Some(why) = s.protection(cell) {
            self.complain(format!("Ячейку {cell} менять нельзя. {why}"));
            return;
        }
        // A cell the search or the filter hides is not edited blind.
        if !self.workspace.grid_cache.shows(cell) {
            return;
        }
        let buffer = s.text(cell).unwrap_or_default();
        self.workspace.editing = Some(Editing {
            cell,
            buffer,
            focus_requested: false,
        });
    }

    /// Commits the inline edit.
    pub fn commit_edit(&mut self) -> bool {
        let Some(e) = self.workspace.editing.take() else {
            return false;
        };
        let Some(s) = &mut self.workspace.session else {
            return false;
        };
        let value = Some(e.buffer.trim().to_string()).filter(|v| !v.is_empty());
        let cell = e.cell;
        match s.set_cell(cell, value, Source::Manual) {
            Ok(0) => true,
            Ok(_) => {
                // What is still wrong with the cell: the value itself, else a finding on it
                // (it differs from an appeal, say). Only then is it called fine.
                let problem = s.check_value(cell.sheet, cell.col, &e.buffer).or_else(|| {
                    s.findings_at(cell)
                        .into_iter()
                        .find(|f| f.severity != Severity::Info)
                        .map(|f| f.message.clone())
                });
                match problem {
                    Some(problem) => self.complain(format!(
                        "{cell}: изменено (файл ещё не сохранён), но {}",
                        lower_first(&problem)
                    )),
                    None => self.say(format!(
                        "{cell}: изменено, замечаний нет (файл ещё не сохранён)."
                    )),
                }
                true
            }
            Err(err) => {
                self.complain(err.to_string());
                false
            }
        }
    }

    /// Drops the inline edit without changing the cell.
    pub fn cancel_edit(&mut self) {
        self.workspace.editing = None;
    }

    /// Empties the selected cell (through undo).
    pub fn clear_selected(&mut self) {
        let (Some(s), Some(cell)) = (&mut self.workspace.session, self.workspace.selected) else {
            return;
        };
        if let Err(e) = s.set_cell(cell, None, Source::Manual) {
            self.complain(e.to_string());
        }
    }

    /// Ends any inline edit, undoes the last change and says in the status bar what was undone.
    pub fn undo(&mut self) {
        self.workspace.editing = None;
        if let Some(s) = &mut self.workspace.session {
            match s.undo() {
                Some(label) => self.say(format!("Отменено: {label}")),
                None => self.say("Отменять нечего."),
            }
        }
    }

    /// Ends any inline edit, redoes the last undone change and says in the status bar what was
    /// redone.
    pub fn redo(&mut self) {
        self.workspace.editing = None;
        if let Some(s) = &mut self.workspace.session {
            match s.redo() {
                Some(label) => self.say(format!("Повторено: {label}")),
                None => self.say("Повторять нечего."),
            }
        }
    }

    /// Applies every fixable difference of an appeal.
    pub fn fix_appeal(&mut self, id: AppealId) {
        let Some(s) = &mut self.workspace.session else {
            return;
        };
        match s.fix_appeal(id) {
            Ok(0) => self.say("Исправлять в файле нечего."),
            Ok(n) => self.say(format!("Исправлено ячеек: {n} (Ctrl+Z — отменить).")),
            Err(e) => self.complain(e.to_string()),
        }
    }
}

/// The sentence with its first letter small, to follow «…, но».
fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}
