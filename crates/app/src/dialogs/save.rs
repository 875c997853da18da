//! Writing files: the save dialog (the changes, the errors left in them, where to save, never
//! over the open file and over an existing one only when the officer agrees) and the report
//! dialog.

use std::path::{Path, PathBuf};

use eframe::egui::{self, RichText};

use super::{Dialog, button_row};
use crate::SverkaApp;
use sverka_core::session::Session;

/// What the save dialog says about the edits and the path typed.
struct SaveFacts {
    /// The changed cells: sheet, column header, how many.
    summary: Vec<(String, String, usize)>,
    /// The errors left in changed cells, with their places.
    problems: Vec<String>,
    /// The path is the file open now.
    is_opened: bool,
    /// The path is a file that exists and that the officer has not agreed to replace.
    exists: bool,
}

/// The save dialog: what will change, then where to save it.
pub(super) fn save(
    app: &mut SverkaApp,
    ctx: &egui::Context,
    modal: egui::Modal,
    mut path: String,
    mut error: Option<String>,
    mut replace: Option<String>,
) -> Option<Dialog> {
    let mut keep = true;
    let mut next: Option<Dialog> = None;
    let target = PathBuf::from(path.trim());
    let facts = save_facts(app, &path, &target, replace.as_deref());
    let r = modal.show(ctx, |ui| save_form(ui, &facts, &mut path, error.as_deref()));
    match r.inner {
        1 => match app.save_to(&target) {
            Ok(()) => keep = false,
            Err(e) => error = Some(e.to_string()),
        },
        4 => {
            path = sverka_core::session::free_name(&target)
                .display()
                .to_string();
            error = None;
        }
        5 => {
            replace = Some(path.trim().to_string());
            match app.save_to(&target) {
                Ok(()) => keep = false,
                Err(e) => error = Some(e.to_string()),
            }
        }
        2 if !app.no_native_dialogs => browse(&mut path),
        3 => keep = false,
        _ => {}
    }
    if r.should_close() {
        keep = false;
    }
    if keep && app.dialog.is_none() {
        next = Some(Dialog::Save {
            path,
            error,
            replace,
        });
    }
    next
}

fn save_facts(app: &SverkaApp, path: &str, target: &Path, replace: Option<&str>) -> SaveFacts {
    let summary = app
        .workspace
        .session
        .as_ref()
        .map(Session::change_summary)
        .unwrap_or_default();
    let problems: Vec<String> = app
        .workspace
        .session
        .as_ref()
        .map(|s| {
            s.edited_problems()
                .iter()
                .map(|f| format!("{} — {}", s.place_of(f.cell), f.message))
                .collect()
        })
        .unwrap_or_default();
    let opened = app
        .workspace
        .session
        .as_ref()
        .and_then(|s| s.book().path())
        .map(|p| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf()));
    let is_opened = opened.is_some_and(|o| std::fs::canonicalize(target).is_ok_and(|t| t == o));
    let exists = target.exists() && replace != Some(path.trim());
    SaveFacts {
        summary,
        problems,
        is_opened,
        exists,
    }
}

/// The save dialog's body; the button clicked: 1 save, 2 browse, 3 cancel, 4 a new name,
/// 5 replace the existing file (0 none).
fn save_form(ui: &mut egui::Ui, facts: &SaveFacts, path: &mut String, error: Option<&str>) -> i32 {
    let SaveFacts {
        problems,
        is_opened,
        exists,
        ..
    } = facts;
    ui.set_max_width(620.0);
    ui.heading("Сохранить исправленный файл");
    changes(ui, facts);
    ui.add_space(6.0);
    let l = ui.label("Куда сохранить:");
    ui.add(egui::TextEdit::singleline(path).desired_width(560.0))
        .labelled_by(l.id);
    ui.small(
        "Исходная выгрузка не перезаписывается. Файл будет перечитан и проверен после записи.",
    );
    let mut act = 0;
    if *is_opened {
        ui.colored_label(
            ui.visuals().error_fg_color,
            "Это открытый сейчас файл: сохраните исправления под другим именем.",
        );
    } else if *exists {
        ui.colored_label(
            ui.visuals().warn_fg_color,
            "Такой файл уже есть. В нём могут быть исправления прошлого раза: сохраните под новым именем или подтвердите замену.",
        );
        ui.horizontal(|ui| {
            if ui.button("Новое имя").clicked() {
                act = 4;
            }
            if ui.button("Заменить файл").clicked() {
                act = 5;
            }
        });
    }
    if let Some(e) = error {
        ui.colored_label(ui.visuals().error_fg_color, e);
    }
    ui.horizontal(|ui| {
        let label = if problems.is_empty() {
            "Сохранить"
        } else {
            "Сохранить с ошибками"
        };
        if ui
            .add_enabled(!exists && !is_opened, egui::Button::new(label))
            .clicked()
        {
            act = 1;
        }
        if ui.button("Обзор…").clicked() {
            act = 2;
        }
        if ui.button("Отмена").clicked() {
            act = 3;
        }
    });
    act
}

/// How many cells change where, and the errors left in them.
fn changes(ui: &mut egui::Ui, facts: &SaveFacts) {
    let SaveFacts {
        summary, problems, ..
    } = facts;
    let total: usize = summary.iter().map(|x| x.2).sum();
    ui.label(format!("Будет изменено ячеек: {total}"));
    for (sheet, header, n) in summary {
        ui.label(format!("  • {sheet}, «{header}»: {n}"));
    }
    if !problems.is_empty() {
        ui.add_space(6.0);
        ui.colored_label(
            ui.visuals().error_fg_color,
            RichText::new(format!(
                "В исправленных ячейках остались ошибки ({}) — СГО может не принять эти строки:",
                problems.len()
            ))
            .strong(),
        );
        egui::ScrollArea::vertical()
            .max_height(120.0)
            .show(ui, |ui| {
                for p in problems {
                    ui.label(format!("• {p}"));
                }
            });
    }
}

/// «Обзор…»: the native save dialog, starting at the path typed.
fn browse(path: &mut String) {
    let start = Path::new(path.as_str());
    let mut d = rfd::FileDialog::new()
        .set_title("Сохранить исправленный файл")
        .add_filter("Книга Excel 97-2003", &["xls"]);
    if let Some(dir) = start.parent() {
        d = d.set_directory(dir);
    }
    if let Some(name) = start.file_name() {
        d = d.set_file_name(name.to_string_lossy());
    }
    if let Some(p) = d.save_file() {
        *path = p.display().to_string();
    }
}

/// The report dialog: where to write the change report (.xlsx).
pub(super) fn report(
    app: &mut SverkaApp,
    ctx: &egui::Context,
    modal: egui::Modal,
    mut path: String,
    mut error: Option<String>,
) -> Option<Dialog> {
    let mut keep = true;
    let mut next: Option<Dialog> = None;
    let r = modal.show(ctx, |ui| {
        ui.heading("Отчёт: журнал изменений, замечания и реестр обращений (.xlsx)");
        let l = ui.label("Куда сохранить:");
        ui.add(egui::TextEdit::singleline(&mut path).desired_width(520.0))
            .labelled_by(l.id);
        if let Some(e) = &error {
            ui.colored_label(ui.visuals().error_fg_color, e);
        }
        button_row(ui, &["Сохранить отчёт", "Отмена"])
    });
    match r.inner {
        1 => {
            let data_dir = app.data_dir.clone();
            let res = app.workspace.session.as_ref().map(|s| {
                sverka_core::session::write_report(
                    s,
                    &s.register(data_dir.as_deref()),
                    std::path::Path::new(path.trim()),
                    &app.settings.officer_name(),
                )
            });
            match res {
                Some(Ok(())) => {
                    app.say(format!("Отчёт сохранён: «{}».", path.trim()));
                    keep = false;
                }
                Some(Err(e)) => error = Some(e.to_string()),
                None => keep = false,
            }
        }
        2 => keep = false,
        _ => {}
    }
    if r.should_close() {
        keep = false;
    }
    if keep {
        next = Some(Dialog::Report { path, error });
    }
    next
}
