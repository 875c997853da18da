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
use crate::engine::field::Field;
use crate::engine::import_steps::ImportSteps;
use crate::session::{ChoiceCheck, Operation};

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
    Save {
        path: String,
        error: Option<String>,
        /// The existing file the officer agreed to replace.
        replace: Option<String>,
    },
    Report {
        path: String,
        error: Option<String>,
    },
    Unsaved {
        then: After,
    },
    Restore {
        ops: Vec<Operation>,
    },
    Mapping {
        sheet: usize,
        header_row: u32,
        rows: Vec<MapRow>,
        groups: Vec<String>,
    },
    Reply {
        text: String,
        /// For the officer, not to be sent.
        note: String,
    },
    /// Confirm a person chosen by hand for an appeal.
    Choose {
        index: usize,
        check: ChoiceCheck,
        who: String,
    },
    /// Confirm one field of an appeal whose person looks like someone else.
    ConfirmField {
        index: usize,
        field: Field,
        value: String,
        who: String,
    },
    /// After a save: how to import the file into СГО.
    Import {
        steps: ImportSteps,
        appeals: usize,
        errors_left: usize,
    },
    /// A corrected file of the opened export exists.
    Continue {
        export: PathBuf,
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
        Dialog::Reply { text, note } => appeal::reply(app, ctx, modal, text, note),
        Dialog::Choose { index, check, who } => appeal::choose(app, ctx, modal, index, check, who),
        Dialog::ConfirmField {
            index,
            field,
            value,
            who,
        } => appeal::confirm_field(app, ctx, modal, index, field, value, who),
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
