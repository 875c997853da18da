//! The column mapping dialog: which column of a sheet holds which field (and whose it is, and
//! whether it is protected), filled from detection, applied to the book and remembered for
//! files with the same headers.

use eframe::egui::{self, RichText};

use super::{Dialog, MapRow};
use crate::SverkaApp;
use sverka_core::session::Field;
use sverka_core::session::ProfileStore;
use sverka_core::session::Session;
use sverka_core::session::{Profile, ProfileColumn};

impl Dialog {
    /// The mapping dialog for a sheet, filled with what detection found.
    pub fn mapping(s: &Session, sheet: usize) -> Dialog {
        let layout = s.schema().sheets.get(sheet);
        let header_row = layout.and_then(|l| l.header_row).unwrap_or(0);
        let groups = layout
            .map(|l| l.groups.iter().map(|g| g.label.clone()).collect())
            .unwrap_or_default();
        Dialog::Mapping {
            sheet,
            header_row,
            rows: map_rows(s, sheet, header_row),
            groups,
        }
    }
}

fn map_rows(s: &Session, sheet: usize, header_row: u32) -> Vec<MapRow> {
    let Some(grid) = s.grids().get(sheet) else {
        return Vec::new();
    };
    let layout = s.schema().sheets.get(sheet);
    let same_header = layout.and_then(|l| l.header_row) == Some(header_row);
    (0..grid.width())
        .map(|col| {
            let header = grid
                .get(header_row, col)
                .map(|v| v.display())
                .unwrap_or_default();
            let samples = s.column_samples(sheet, header_row, col, 3);
            let known = layout.filter(|_| same_header).and_then(|l| l.column(col));
            MapRow {
                col,
                header,
                samples: samples.join(" · "),
                field: known.and_then(|c| c.field),
                group: known.and_then(|c| c.group),
                protected: known.is_some_and(|c| c.protected),
            }
        })
        .collect()
}

fn field_label(f: Option<Field>) -> &'static str {
    f.map_or("— не сверять —", Field::label_ru)
}

/// The mapping dialog: the header row and, for each column, its field, group and protection.
pub(super) fn mapping(
    app: &mut SverkaApp,
    ctx: &egui::Context,
    sheet: usize,
    mut header_row: u32,
    mut rows: Vec<MapRow>,
    groups: Vec<String>,
) -> Option<Dialog> {
    let mut keep = true;
    let mut next: Option<Dialog> = None;
    let r = egui::Modal::new(egui::Id::unique("mapping")).show(ctx, |ui| {
        ui.heading("Какие столбцы что содержат");
        ui.label("Проверьте, в каких столбцах этого листа ФИО, дата рождения, СНИЛС и другие поля, и поправьте, если sverka определила их неверно. Сопоставление запомнится для файлов с такими же заголовками.");
        let mut hr = header_row + 1;
        ui.horizontal(|ui| {
            let l = ui.label("Строка заголовков:");
            ui.add(egui::DragValue::new(&mut hr).range(1..=30))
                .labelled_by(l.id);
        });
        let mut act = 0;
        egui::ScrollArea::vertical().max_height(420.0).show(ui, |ui| {
            columns_grid(ui, &mut rows, &groups);
        });
        ui.horizontal(|ui| {
            if ui.button("Применить").clicked() {
                act = 1;
            }
            if ui.button("Отмена").clicked() {
                act = 2;
            }
        });
        (act, hr.saturating_sub(1))
    });
    let (act, hr) = r.inner;
    if hr != header_row {
        header_row = hr;
        if let Some(s) = &app.workspace.session {
            rows = map_rows(s, sheet, header_row);
        }
    }
    match act {
        1 => {
            apply_mapping(app, sheet, header_row, &rows);
            keep = false;
        }
        2 => keep = false,
        _ => {}
    }
    if r.should_close() {
        // Esc: as «Отмена».
        keep = false;
    }
    if keep {
        next = Some(Dialog::Mapping {
            sheet,
            header_row,
            rows,
            groups,
        });
    }
    next
}

/// The columns of the sheet, one row each: letter, header, samples, field (and group), protected.
fn columns_grid(ui: &mut egui::Ui, rows: &mut [MapRow], groups: &[String]) {
    egui::Grid::new("map_grid")
        .striped(true)
        .num_columns(5)
        .show(ui, |ui| {
            ui.strong("Столбец");
            ui.strong("Заголовок");
            ui.strong("Примеры");
            ui.strong("Поле");
            ui.strong("Защищён");
            ui.end_row();
            for row in rows {
                let letter = ui.label(format!(
                    "Столбец {}",
                    sverka_core::xls::column_letters(row.col)
                ));
                ui.label(&row.header);
                ui.label(RichText::new(&row.samples).small());
                ui.horizontal(|ui| {
                    field_choice(ui, row, groups, letter.id);
                });
                ui.checkbox(&mut row.protected, "").labelled_by(letter.id);
                ui.end_row();
            }
        });
}

/// The field of a column and, when the sheet has groups (parents), whose field it is.
fn field_choice(ui: &mut egui::Ui, row: &mut MapRow, groups: &[String], letter: egui::Id) {
    egui::ComboBox::from_id_salt(("field", row.col))
        .selected_text(field_label(row.field))
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut row.field, None, field_label(None));
            for f in Field::ALL {
                ui.selectable_value(&mut row.field, Some(f), f.label_ru());
            }
        })
        .response
        .labelled_by(letter);
    if !groups.is_empty() {
        let g = row
            .group
            .and_then(|g| groups.get(g))
            .cloned()
            .unwrap_or_else(|| "сам человек".into());
        egui::ComboBox::from_id_salt(("group", row.col))
            .selected_text(g)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut row.group, None, "сам человек");
                for (i, label) in groups.iter().enumerate() {
                    ui.selectable_value(&mut row.group, Some(i), label);
                }
            })
            .response
            .labelled_by(letter);
    }
}

/// Turns the dialog's rows into a profile, remembers it, and re-analyses the book.
fn apply_mapping(app: &mut SverkaApp, sheet: usize, header_row: u32, rows: &[MapRow]) {
    let Some(s) = &app.workspace.session else {
        return;
    };
    let Some(signature) = s.header_signature(sheet, header_row) else {
        return;
    };
    let groups = s
        .analysis()
        .schema
        .sheets
        .get(sheet)
        .map(|l| l.groups.clone())
        .unwrap_or_default();
    let profile = Profile {
        signature: Some(signature.clone()),
        sheet: None,
        header_row: Some(header_row),
        role: None,
        columns: rows
            .iter()
            .filter(|r| r.field.is_some())
            .map(|r| ProfileColumn {
                col: r.col,
                field: r.field,
                group: r.group,
            })
            .collect(),
        only_listed: true,
        protected: rows.iter().filter(|r| r.protected).map(|r| r.col).collect(),
        groups,
    };
    app.profiles
        .retain(|p| p.signature.as_deref() != Some(signature.as_str()));
    app.profiles.push(profile);
    let stored = app
        .data_dir
        .as_deref()
        .map(|d| ProfileStore::in_folder(d).save(&app.profiles));
    let profiles = app.profiles.clone();
    if let Some(s) = &mut app.workspace.session {
        s.set_profiles(profiles);
        let people = s
            .analysis()
            .schema
            .people
            .iter()
            .filter(|p| p.sheet == sheet)
            .count();
        app.say(format!(
            "Сопоставление столбцов применено: людей на листе — {people}."
        ));
    }
    match stored {
        Some(Ok(())) => {}
        Some(Err(e)) => app.complain(format!(
            "Сопоставление применено к этой выгрузке, но не запомнено на будущее: {e}."
        )),
        None => app.complain(
            "Сопоставление применено к этой выгрузке, но не запомнено на будущее: папка данных программы не найдена.",
        ),
    }
}
