//! Saving: what a save is about to write for each appeal (taken when it starts), the save
//! itself (verified, never over the export), and what a finished save means for the appeals
//! and the journal.

use std::path::{Path, PathBuf};

use crate::book::SaveReport;
use crate::engine::field::Field;
use crate::engine::matching::Verdict;
use crate::engine::progress::{FixWay, Stage, appeal_key};
use crate::session::Session;
use crate::session::casefile::{Round, RoundCell};
use crate::xls::XlsError;

/// What a save is about to write for each appeal: the fields its fixes put right, taken
/// when the save starts (edits made while a large book saves are not in that file).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SaveTicket {
    /// The session's version when the save started: edits made after it stay unsaved.
    pub version: u64,
    /// The book's edits when the save started: what the file holds.
    edits: crate::book::Edits,
    /// The same cells for the case record: before and after, when and why.
    round: Vec<RoundCell>,
    fixes: Vec<(String, Vec<(Field, String)>)>,
    /// Appeals «исправлено в файле» whose fixes this file holds too (a corrected file opened
    /// and saved again): importing the new file imports them.
    carried: Vec<String>,
}

/// A path as the case record keeps it (full, when it exists).
pub(super) fn full_text(path: &Path) -> String {
    std::fs::canonicalize(path)
        .unwrap_or_else(|_| path.to_path_buf())
        .to_string_lossy()
        .into_owned()
}

/// The officer's documents folder: «Документы»/«Documents» in the home folder when it exists,
/// else the home folder, else the current one.
pub(super) fn documents_dir() -> PathBuf {
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

impl Session {
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
            .appeals
            .outcomes()
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
            .appeals
            .outcomes()
            .iter()
            .filter(|o| o.progress.stage == Stage::FixedInFile)
            .filter(|o| {
                o.progress
                    .fixes
                    .iter()
                    .filter(|x| x.way == FixWay::InFile)
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
            version: self.history.version(),
            edits: edits.clone(),
            round: self.round_cells(),
            fixes,
            carried,
        }
    }

    /// The cells the book holds changed, as a round of the case record: each with its text
    /// before and after, and when and why the officer last changed it.
    fn round_cells(&self) -> Vec<RoundCell> {
        let mut last: std::collections::HashMap<crate::book::CellRef, (&str, String)> =
            Default::default();
        for op in self.history.operations() {
            if let crate::session::Operation::Edit(e) = op {
                for ch in &e.changes {
                    last.insert(ch.cell, (e.at.as_str(), e.source.label_ru()));
                }
            }
        }
        self.book
            .edits()
            .keys()
            .map(|&cell| {
                let (at, why) = last.get(&cell).cloned().unwrap_or_default();
                RoundCell {
                    sheet: cell.sheet,
                    row: cell.row,
                    col: cell.col,
                    old: self
                        .book
                        .original(cell.sheet)
                        .and_then(|g| g.get(cell.row, cell.col))
                        .map(crate::book::CellValue::display)
                        .filter(|t| !t.is_empty()),
                    new: self.text(cell),
                    at: at.to_string(),
                    why,
                }
            })
            .collect()
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
        let text = full_text(file);
        let cleared = self
            .history
            .saved(ticket.version, text.clone(), ticket.edits);
        self.warn(cleared);
        // Each appeal's key once (a save may concern a thousand appeals).
        let mut at: std::collections::HashMap<String, usize> = Default::default();
        for (i, o) in self.appeals.outcomes().iter().enumerate() {
            at.entry(appeal_key(&o.appeal)).or_insert(i);
        }
        let outcomes = self.appeals.outcomes_mut();
        for key in ticket.carried {
            if let Some(o) = at.get(&key).and_then(|&i| outcomes.get_mut(i)) {
                o.progress.saved_to = Some(text.clone());
            }
        }
        for (key, fixes) in ticket.fixes {
            if let Some(o) = at.get(&key).and_then(|&i| outcomes.get_mut(i)) {
                o.progress.record_saved(fixes, &text);
            }
        }
        let from = self.book.path().map(full_text).unwrap_or_default();
        if let Some(c) = self.appeals.case_mut() {
            c.note_saved(file);
            c.note_round(Round {
                file: text.clone(),
                from,
                at: chrono::Local::now().to_rfc3339(),
                cells: ticket.round,
            });
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
}
