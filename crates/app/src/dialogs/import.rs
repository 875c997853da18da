//! After a save: the steps for importing the corrected file into СГО, and marking it imported.

use eframe::egui::{self, RichText};

use super::Dialog;
use crate::SverkaApp;
use sverka_core::session::ImportSteps;

/// After a save: the steps for importing the file into СГО.
pub(super) fn import(
    app: &mut SverkaApp,
    ctx: &egui::Context,
    modal: egui::Modal,
    steps: ImportSteps,
    appeals: usize,
    errors_left: usize,
) -> Option<Dialog> {
    let mut keep = true;
    let mut next: Option<Dialog> = None;
    let r = modal.show(ctx, |ui| {
        ui.set_max_width(620.0);
        ui.heading("Как загрузить файл в «Сетевой город»");
        if errors_left > 0 {
            ui.colored_label(
                ui.visuals().error_fg_color,
                format!("В исправленных ячейках остались ошибки ({errors_left}): СГО может не принять эти строки."),
            );
        }
        let mut act = 0;
        for (i, step) in steps.steps.iter().enumerate() {
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(format!("{}.", i + 1)).strong());
                ui.label(step);
            });
            if i == 3 && ui.button("Скопировать путь к файлу").clicked() {
                act = 3;
            }
        }
        ui.add_space(6.0);
        ui.horizontal(|ui| {
            if ui
                .button("Файл загружен в СГО")
                .on_hover_text("Отметьте, когда файл загружен без ошибок")
                .clicked()
            {
                act = 1;
            }
            if ui.button("Позже").clicked() {
                act = 2;
            }
        });
        act
    });
    match r.inner {
        1 => {
            keep = false;
            if let Some(s) = &mut app.workspace.session {
                let n = s.mark_imported(&steps.file);
                let said = s.after_import_ru(&steps.file, n);
                app.say(said);
            }
        }
        2 => keep = false,
        3 => {
            ctx.copy_text(steps.file.display().to_string());
            app.say("Путь к файлу скопирован.");
        }
        _ => {}
    }
    if r.should_close() {
        keep = false;
    }
    if keep {
        next = Some(Dialog::Import {
            steps,
            appeals,
            errors_left,
        });
    }
    next
}
