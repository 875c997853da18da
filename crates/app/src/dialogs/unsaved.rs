//! Work not to be lost: the question before leaving unsaved edits, restoring the edits of a
//! session that ended without saving, and continuing from a corrected file of the export.

use std::path::PathBuf;

use eframe::egui;

use super::{After, Dialog, button_row};
use crate::{SverkaApp, file_name};
use sverka_core::session::Edit;

/// The question before leaving a book with unsaved edits (closing the window, opening another).
pub(super) fn unsaved(
    app: &mut SverkaApp,
    ctx: &egui::Context,
    modal: egui::Modal,
    then: After,
) -> Option<Dialog> {
    let mut keep = true;
    let mut next: Option<Dialog> = None;
    let r = modal.show(ctx, |ui| {
        ui.heading("Есть несохранённые исправления");
        ui.label("Сохранить исправленный файл перед тем, как продолжить?");
        button_row(ui, &["Сохранить…", "Не сохранять", "Отмена"])
    });
    match r.inner {
        1 => {
            app.ask_save();
            keep = false;
            next = app.dialog.take();
        }
        2 => {
            keep = false;
            // «Не сохранять» means what it says: the edits go, journal and all, so the next
            // open of this export does not offer them back.
            if let Some(s) = &mut app.workspace.session {
                s.discard_journal();
            }
            match then.clone() {
                After::Quit => {
                    app.close_confirmed = true;
                    ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                }
                After::Open(p, appeals) => {
                    app.workspace = crate::Workspace::default();
                    app.open_export(p, appeals);
                }
            }
        }
        3 => keep = false,
        _ => {}
    }
    if r.should_close() {
        keep = false;
    }
    if keep {
        next = Some(Dialog::Unsaved { then });
    }
    next
}

/// Journaled edits of a session that ended without saving: restore them or start afresh.
pub(super) fn restore(
    app: &mut SverkaApp,
    ctx: &egui::Context,
    modal: egui::Modal,
    ops: Vec<Edit>,
) -> Option<Dialog> {
    let mut keep = true;
    let mut next: Option<Dialog> = None;
    let cells: usize = ops.iter().map(|o| o.changes.len()).sum();
    let corrected = app
        .workspace
        .session
        .as_ref()
        .and_then(crate::open::continue_offer);
    let r = modal.show(ctx, |ui| {
        ui.set_max_width(600.0);
        ui.heading("Найдены несохранённые исправления");
        ui.label(format!(
            "В прошлый раз этот файл был открыт и исправлен ({} шагов, ячеек: {cells}), но исправления не были сохранены. Восстановить их?",
            ops.len()
        ));
        if let Some(Dialog::Continue { corrected, .. }) = &corrected {
            ui.small(format!(
                "Есть и исправленный файл «{}»: если начать заново, программа предложит продолжить с него.",
                file_name(corrected)
            ));
        }
        button_row(ui, &["Восстановить", "Начать заново"])
    });
    match r.inner {
        1 => {
            restore_journaled(app, ops.clone());
            keep = false;
        }
        2 => {
            if let Some(s) = &mut app.workspace.session {
                s.discard_journal();
            }
            keep = false;
            // Starting afresh from the export still asks about its corrected file.
            next = corrected;
        }
        _ => {}
    }
    if r.should_close() && keep {
        // Esc closes the question the way that loses nothing: the edits come back, and
        // Ctrl+Z takes them away step by step.
        restore_journaled(app, ops.clone());
        keep = false;
    }
    if keep {
        next = Some(Dialog::Restore { ops });
    }
    next
}

/// A corrected file of the opened export exists: continue from it or from the export.
pub(super) fn continue_from(
    app: &mut SverkaApp,
    ctx: &egui::Context,
    modal: egui::Modal,
    export: PathBuf,
    corrected: PathBuf,
) -> Option<Dialog> {
    let mut keep = true;
    let mut next: Option<Dialog> = None;
    let when = std::fs::metadata(&corrected)
        .and_then(|m| m.modified())
        .ok()
        .map(|t| {
            chrono::DateTime::<chrono::Local>::from(t)
                .format("%d.%m.%Y %H:%M")
                .to_string()
        })
        .unwrap_or_default();
    let r = modal.show(ctx, |ui| {
        ui.set_max_width(600.0);
        ui.heading("Эту выгрузку уже исправляли");
        ui.label(format!(
            "Есть исправленный файл «{}» (сохранён {when}). Продолжить работу с него? В нём исправления прошлого раза; выгрузка «{}» останется как есть.",
            file_name(&corrected),
            file_name(&export)
        ));
        ui.small("Если начать с выгрузки заново, исправленный файл не перезапишется: при сохранении будет предложено новое имя.");
        button_row(ui, &["Продолжить с исправленного файла", "Работать с выгрузкой"])
    });
    match r.inner {
        1 => {
            keep = false;
            app.open_export(corrected.clone(), Vec::new());
        }
        2 => keep = false,
        _ => {}
    }
    if r.should_close() {
        // Esc: work with the file opened; the corrected file stays as it is, and the
        // appeals' cards offer it.
        keep = false;
    }
    if keep {
        next = Some(Dialog::Continue { export, corrected });
    }
    next
}

/// Restores journaled operations into the session (the restore dialog's «Восстановить»).
fn restore_journaled(app: &mut SverkaApp, ops: Vec<Edit>) {
    if let Some(s) = &mut app.workspace.session {
        let n = s.restore(ops);
        app.say(format!(
            "Исправления восстановлены, ячеек: {n} (Ctrl+Z — отменить по шагам)."
        ));
    }
}
