//! Modal dialogs: save, report, unsaved changes, restore after a crash, continuing from a
//! corrected file, column mapping, choosing a person by hand, the steps for importing into СГО,
//! and the draft ПОС reply. This file holds the open dialog's state and shows it; each dialog
//! (or group of related ones) is drawn and answered in a file of its own.

mod appeal;
mod import;
mod mapping;
mod save;
mod unsaved;

use std::path::PathBuf;

use eframe::egui;

use super::SverkaApp;
use sverka_core::session::Field;
use sverka_core::session::ImportSteps;
use sverka_core::session::{AppealId, ChoiceCheck, Edit};

/// What to do after the unsaved-changes question is answered.
#[derive(Debug, Clone, PartialEq)]
pub enum After {
    Quit,
    Open(PathBuf, Vec<PathBuf>),
}

/// One column in the mapping dialog.
#[derive(Debug, Clone, PartialEq)]
pub struct MapRow {
    pub col: u32,
    pub header: String,
    pub samples: String,
    pub field: Option<Field>,
    pub group: Option<usize>,
    pub protected: bool,
}

/// The open dialog.
#[derive(Debug, Clone, PartialEq)]
pub enum Dialog {
    /// Where to save the corrected file, with what will change and the errors left.
    Save {
        /// The path typed in the dialog.
        path: String,
        /// Why the last attempt to save failed, if it did.
        error: Option<String>,
        /// The existing file the officer agreed to replace.
        replace: Option<String>,
    },
    /// Where to write the change report (.xlsx).
    Report {
        /// The path typed in the dialog.
        path: String,
        /// Why the last attempt to write the report failed, if it did.
        error: Option<String>,
    },
    /// Save the unsaved edits before going on?
    Unsaved {
        /// What was asked for: quitting, or opening another export (done at once when the officer
        /// chooses not to save).
        then: After,
    },
    /// Restore the journaled edits of a session that ended without saving, or start afresh.
    Restore {
        /// The journaled operations that were not saved.
        ops: Vec<Edit>,
    },
    /// Which column of a sheet holds which field, whose it is and whether it is protected.
    Mapping {
        /// The index of the sheet being mapped.
        sheet: usize,
        /// The header row (0-based); changing it fills the rows afresh from that row.
        header_row: u32,
        /// One row per column of the sheet.
        rows: Vec<MapRow>,
        /// The labels of the sheet's person groups (parents), offered for each column.
        groups: Vec<String>,
    },
    /// The draft reply for ПОС, to correct and copy.
    Reply {
        /// The appeal it answers.
        appeal: AppealId,
        /// The reply's text, which the officer may edit.
        text: String,
        /// For the officer, not to be sent.
        note: String,
    },
    /// Confirm a person chosen by hand for an appeal.
    Choose {
        /// The appeal.
        appeal: AppealId,
        /// What disagrees between the appeal and the chosen card, and whether it looks like another
        /// person.
        check: ChoiceCheck,
        /// The chosen card's place, for the question: «Ученики!I4 · Иванов Иван Петрович, 5А».
        who: String,
    },
    /// Confirm one field of an appeal whose person looks like someone else.
    ConfirmField {
        /// The appeal.
        appeal: AppealId,
        /// The field to write.
        field: Field,
        /// The value to write (the appeal's, in the column's style), shown in the question.
        value: String,
        /// The card's place, for the question: «Ученики!I4 · Иванов Иван Петрович, 5А».
        who: String,
    },
    /// After a save: how to import the file into СГО.
    Import {
        /// The steps, and the file they are about.
        steps: ImportSteps,
        /// How many appeals were fixed in this file (and wait for its import).
        appeals: usize,
        /// How many errors are left in the changed cells (a warning is shown when any are).
        errors_left: usize,
    },
    /// A corrected file of the opened export exists.
    Continue {
        /// The export that was opened.
        export: PathBuf,
        /// The newest corrected file of that export.
        corrected: PathBuf,
    },
}

/// Shows the open dialog and acts on its answer; the dialog stays open until it is answered,
/// unless the answer opened another one.
pub fn show(app: &mut SverkaApp, ctx: &egui::Context) {
    let Some(dialog) = app.dialog.take() else {
        return;
    };
    let modal = egui::Modal::new(egui::Id::unique("dialog"));
    let next = match dialog {
        Dialog::Save {
            path,
            error,
            replace,
        } => save::save(app, ctx, modal, path, error, replace),
        Dialog::Report { path, error } => save::report(app, ctx, modal, path, error),
        Dialog::Unsaved { then } => unsaved::unsaved(app, ctx, modal, then),
        Dialog::Restore { ops } => unsaved::restore(app, ctx, modal, ops),
        Dialog::Mapping {
            sheet,
            header_row,
            rows,
            groups,
        } => mapping::mapping(app, ctx, sheet, header_row, rows, groups),
        Dialog::Reply { appeal, text, note } => appeal::reply(app, ctx, modal, appeal, text, note),
        Dialog::Choose { appeal, check, who } => {
            appeal::choose(app, ctx, modal, appeal, check, who)
        }
        Dialog::ConfirmField {
            appeal,
            field,
            value,
            who,
        } => appeal::confirm_field(app, ctx, modal, appeal, field, value, who),
        Dialog::Import {
            steps,
            appeals,
            errors_left,
        } => import::import(app, ctx, modal, steps, appeals, errors_left),
        Dialog::Continue { export, corrected } => {
            unsaved::continue_from(app, ctx, modal, export, corrected)
        }
    };
    if app.dialog.is_none() {
        app.dialog = next;
    }
}

/// A row of buttons; the number (from 1) of the one clicked, 0 when none was.
fn button_row(ui: &mut egui::Ui, labels: &[&str]) -> usize {
    let mut act = 0;
    ui.horizontal(|ui| {
        for (i, label) in labels.iter().enumerate() {
            if ui.button(*label).clicked() {
                act = i + 1;
            }
        }
    });
    act
}
