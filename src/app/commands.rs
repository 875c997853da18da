//! The officer's commands on the open book: moving the selection, editing a cell inline, undo
//! and redo, fixing an appeal.

use std::collections::BTreeSet;

use super::{Editing, SverkaApp};
use crate::book::CellRef;
use crate::session::Source;

impl SverkaApp {
    /// Selects an appeal and scrolls the grid to its person.
    pub fn select_appeal(&mut self, index: usize) {
        self.selected_appeal = Some(index);
        let Some(s) = &self.session else { return };
        let person = s
            .outcomes()
            .get(index)
            .and_then(|o| {
                // Several candidates: the first is shown. A person not found is not: the
                // nearest card would look like a match.
                let first_candidate = (o.result.status
                    == crate::engine::matching::Status::Ambiguous)
                    .then(|| o.result.candidates.first().map(|c| c.person))
                    .flatten();
                o.result.person.or(first_candidate)
            })
            .and_then(|p| s.schema().people.get(p));
        if let Some(p) = person {
            self.sheet = p.sheet;
            let col = p.cols.values().next().copied().unwrap_or(0);
            self.selected = Some((p.row, col));
            self.scroll_to = Some((p.row, col));
        }
    }

    /// Moves the selection to a cell and scrolls to it.
    pub fn go_to(&mut self, sheet: usize, row: u32, col: u32) {
        self.sheet = sheet;
        self.selected = Some((row, col));
        self.scroll_to = Some((row, col));
        self.editing = None;
    }

    /// Moves the selection to the next cell with a problem (F8).
    pub fn next_problem(&mut self) {
        let Some(s) = &self.session else { return };
        let cur = self.selected.unwrap_or((0, 0));
        let mut cells: Vec<(u32, u32)> = s
            .findings()
            .filter(|f| {
                f.cell.sheet == self.sheet && f.severity != crate::engine::findings::Severity::Info
            })
            .map(|f| (f.cell.row, f.cell.col))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        cells.sort();
        let next = cells
            .iter()
            .find(|c| **c > cur)
            .or_else(|| cells.first())
            .copied();
        match next {
            Some((r, c)) => self.go_to(self.sheet, r, c),
            None => self.say("Проблем на этом листе нет."),
        }
    }

    /// Starts editing the selected cell, or explains why it cannot be edited.
    pub fn begin_edit(&mut self) {
        let (Some(s), Some((row, col))) = (&self.session, self.selected) else {
            return;
        };
        if let Some(why) = s.protection(CellRef::new(self.sheet, row, col)) {
            self.complain(format!(
                "Ячейку {} менять нельзя. {why}",
                crate::xls::a1(row, col)
            ));
            return;
        }
        let buffer = s
            .text(CellRef::new(self.sheet, row, col))
            .unwrap_or_default();
        self.editing = Some(Editing {
            row,
            col,
            buffer,
            focus_requested: false,
        });
    }

    /// Commits the inline edit.
    pub fn commit_edit(&mut self) -> bool {
        let Some(e) = self.editing.take() else {
            return false;
        };
        let Some(s) = &mut self.session else {
            return false;
        };
        let value = Some(e.buffer.trim().to_string()).filter(|v| !v.is_empty());
        match s.set_cell(
            CellRef::new(self.sheet, e.row, e.col),
            value,
            Source::Manual,
        ) {
            Ok(0) => true,
            Ok(_) => {
                let cell = crate::xls::a1(e.row, e.col);
                // What is still wrong with the cell: the value itself, else a finding on it
                // (it differs from an appeal, say). Only then is it called fine.
                let problem = s.check_value(self.sheet, e.col, &e.buffer).or_else(|| {
                    s.findings_at(CellRef::new(self.sheet, e.row, e.col))
                        .into_iter()
                        .find(|f| f.severity != crate::engine::Severity::Info)
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
        self.editing = None;
    }

    /// Empties the selected cell (through undo).
    pub fn clear_selected(&mut self) {
        let (Some(s), Some((row, col))) = (&mut self.session, self.selected) else {
            return;
        };
        if let Err(e) = s.set_cell(CellRef::new(self.sheet, row, col), None, Source::Manual) {
            self.complain(e.to_string());
        }
    }

    /// Ends any inline edit, undoes the last change and says in the status bar what was undone.
    pub fn undo(&mut self) {
        self.editing = None;
        if let Some(s) = &mut self.session {
            match s.undo() {
                Some(label) => self.say(format!("Отменено: {label}")),
                None => self.say("Отменять нечего."),
            }
        }
    }

    /// Ends any inline edit, redoes the last undone change and says in the status bar what was
    /// redone.
    pub fn redo(&mut self) {
        self.editing = None;
        if let Some(s) = &mut self.session {
            match s.redo() {
                Some(label) => self.say(format!("Повторено: {label}")),
                None => self.say("Повторять нечего."),
            }
        }
    }

    /// Applies every fixable difference of an appeal.
    pub fn fix_appeal(&mut self, index: usize) {
        let Some(s) = &mut self.session else { return };
        match s.fix_appeal(index) {
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
