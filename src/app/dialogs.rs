//! Modal dialogs: save, report, unsaved changes, restore after a crash, continuing from a
//! corrected file, column mapping, choosing a person by hand, the steps for importing into СГО,
//! and the draft ПОС reply.

use std::path::PathBuf;

use eframe::egui::{self, RichText};

use super::SverkaApp;
use crate::engine::field::Field;
use crate::engine::import_steps::ImportSteps;
use crate::engine::schema::{Profile, ProfileColumn};
use crate::session::profiles::ProfileStore;
use crate::session::{ChoiceCheck, Operation, Session};

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

impl Dialog {
    /// The mapping dialog for a sheet, filled with what detection found.
    pub fn mapping(s: &Session, sheet: usize) -> Dialog {
        let layout = s.analysis.schema.sheets.get(sheet);
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
    let Some(grid) = s.grids.get(sheet) else {
        return Vec::new();
    };
    let layout = s.analysis.schema.sheets.get(sheet);
    let same_header = layout.and_then(|l| l.header_row) == Some(header_row);
    (0..grid.width())
        .map(|col| {
            let header = grid
                .get(header_row, col)
                .map(|v| v.display())
                .unwrap_or_default();
            let samples: Vec<String> = (header_row + 1..grid.height())
                .filter_map(|r| crate::engine::schema::cell_text(grid, r, col))
                .take(3)
                .collect();
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

fn field_label(f: Option<Field>) -> &'static str {
    f.map_or("— не сверять —", Field::label_ru)
}

pub fn show(app: &mut SverkaApp, ctx: &egui::Context) {
    let Some(dialog) = app.dialog.take() else {
        return;
    };
    let mut keep = true;
    let mut next: Option<Dialog> = None;
    let modal = egui::Modal::new(egui::Id::unique("dialog"));
    match dialog {
        Dialog::Save {
            mut path,
            mut error,
            mut replace,
        } => {
            let summary = app
                .session
                .as_ref()
                .map(Session::change_summary)
                .unwrap_or_default();
            let problems: Vec<String> = app
                .session
                .as_ref()
                .map(|s| {
                    s.edited_problems()
                        .iter()
                        .map(|f| format!("{} — {}", s.place_of(f.sheet, f.row, f.col), f.message))
                        .collect()
                })
                .unwrap_or_default();
            let target = std::path::PathBuf::from(path.trim());
            let opened = app
                .session
                .as_ref()
                .and_then(|s| s.book.path())
                .map(|p| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf()));
            let is_opened =
                opened.is_some_and(|o| std::fs::canonicalize(&target).is_ok_and(|t| t == o));
            let exists = target.exists() && replace.as_deref() != Some(path.trim());
            let r = modal.show(ctx, |ui| {
                ui.set_max_width(620.0);
                ui.heading("Сохранить исправленный файл");
                let total: usize = summary.iter().map(|x| x.2).sum();
                ui.label(format!("Будет изменено ячеек: {total}"));
                for (sheet, header, n) in &summary {
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
                    egui::ScrollArea::vertical().max_height(120.0).show(ui, |ui| {
                        for p in &problems {
                            ui.label(format!("• {p}"));
                        }
                    });
                }
                ui.add_space(6.0);
                let l = ui.label("Куда сохранить:");
                ui.add(egui::TextEdit::singleline(&mut path).desired_width(560.0))
                    .labelled_by(l.id);
                ui.small("Исходная выгрузка не перезаписывается. Файл будет перечитан и проверен после записи.");
                let mut act = 0;
                if is_opened {
                    ui.colored_label(
                        ui.visuals().error_fg_color,
                        "Это открытый сейчас файл: сохраните исправления под другим именем.",
                    );
                } else if exists {
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
                if let Some(e) = &error {
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
            });
            match r.inner {
                1 => match app.save_to(&target) {
                    Ok(()) => keep = false,
                    Err(e) => error = Some(e),
                },
                4 => {
                    path = crate::session::casefile::free_name(&target)
                        .display()
                        .to_string();
                    error = None;
                }
                5 => {
                    replace = Some(path.trim().to_string());
                    match app.save_to(&target) {
                        Ok(()) => keep = false,
                        Err(e) => error = Some(e),
                    }
                }
                2 if !app.no_native_dialogs => {
                    let start = std::path::Path::new(&path);
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
                        path = p.display().to_string();
                    }
                }
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
        }
        Dialog::Report {
            mut path,
            mut error,
        } => {
            let r = modal.show(ctx, |ui| {
                ui.heading("Отчёт: журнал изменений и замечания (.xlsx)");
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
                    let res = app.session.as_ref().map(|s| {
                        crate::session::report::write_xlsx(
                            s,
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
        }
        Dialog::Unsaved { then } => {
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
                    // The journal keeps the edits until the officer decides on the next open.
                    match then.clone() {
                        After::Quit => {
                            app.close_confirmed = true;
                            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                        }
                        After::Open(p, appeals) => {
                            if let Some(s) = &mut app.session {
                                s.discard_journal();
                            }
                            app.session = None;
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
        }
        Dialog::Restore { ops } => {
            let cells: usize = ops.iter().map(|o| o.changes.len()).sum();
            let r = modal.show(ctx, |ui| {
                ui.heading("Найдены несохранённые исправления");
                ui.label(format!(
                    "В прошлый раз эта выгрузка была открыта и исправлена ({} шагов, ячеек: {cells}), но файл не был сохранён. Восстановить исправления?",
                    ops.len()
                ));
                button_row(ui, &["Восстановить", "Начать заново"])
            });
            match r.inner {
                1 => {
                    super::restore(app, ops.clone());
                    keep = false;
                }
                2 => {
                    if let Some(s) = &mut app.session {
                        s.discard_journal();
                    }
                    keep = false;
                }
                _ => {}
            }
            if keep {
                next = Some(Dialog::Restore { ops });
            }
        }
        Dialog::Mapping {
            sheet,
            mut header_row,
            mut rows,
            groups,
        } => {
            let r = egui::Modal::new(egui::Id::unique("mapping")).show(ctx, |ui| {
                ui.heading("Какие столбцы что содержат");
                ui.label("Проверьте, в каких столбцах этого листа ФИО, дата рождения, СНИЛС и другие поля, и поправьте, если sverka определила их неверно. Сопоставление запомнится для файлов с такими же заголовками.");
                let mut hr = header_row + 1;
                ui.horizontal(|ui| {
                    let l = ui.label("Строка заголовков:");
                    ui.add(egui::DragValue::new(&mut hr).range(1..=30)).labelled_by(l.id);
                });
                let mut act = 0;
                egui::ScrollArea::vertical().max_height(420.0).show(ui, |ui| {
                    egui::Grid::new("map_grid").striped(true).num_columns(5).show(ui, |ui| {
                        ui.strong("Столбец");
                        ui.strong("Заголовок");
                        ui.strong("Примеры");
                        ui.strong("Поле");
                        ui.strong("Защищён");
                        ui.end_row();
                        for row in &mut rows {
                            let letter = ui.label(format!("Столбец {}", crate::xls::error::column_letters(row.col)));
                            ui.label(&row.header);
                            ui.label(RichText::new(&row.samples).small());
                            ui.horizontal(|ui| {
                                egui::ComboBox::from_id_salt(("field", row.col))
                                    .selected_text(field_label(row.field))
                                    .show_ui(ui, |ui| {
                                        ui.selectable_value(&mut row.field, None, field_label(None));
                                        for f in Field::ALL {
                                            ui.selectable_value(&mut row.field, Some(f), f.label_ru());
                                        }
                                    })
                                    .response
                                    .labelled_by(letter.id);
                                if !groups.is_empty() {
                                    let g = row.group.and_then(|g| groups.get(g)).cloned().unwrap_or_else(|| "сам человек".into());
                                    egui::ComboBox::from_id_salt(("group", row.col))
                                        .selected_text(g)
                                        .show_ui(ui, |ui| {
                                            ui.selectable_value(&mut row.group, None, "сам человек");
                                            for (i, label) in groups.iter().enumerate() {
                                                ui.selectable_value(&mut row.group, Some(i), label);
                                            }
                                        })
                                        .response
                                        .labelled_by(letter.id);
                                }
                            });
                            ui.checkbox(&mut row.protected, "").labelled_by(letter.id);
                            ui.end_row();
                        }
                    });
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
                if let Some(s) = &app.session {
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
            if keep {
                next = Some(Dialog::Mapping {
                    sheet,
                    header_row,
                    rows,
                    groups,
                });
            }
        }
        Dialog::Reply { mut text, note } => {
            let r = modal.show(ctx, |ui| {
                ui.set_max_width(600.0);
                ui.heading("Черновик ответа для ПОС");
                if !note.is_empty() {
                    ui.colored_label(
                        ui.visuals().warn_fg_color,
                        format!("Для вас (в ответ не входит): {note}"),
                    );
                    ui.add_space(4.0);
                }
                let l = ui.label("Текст ответа (можно поправить):");
                ui.add(
                    egui::TextEdit::multiline(&mut text)
                        .desired_width(560.0)
                        .desired_rows(6),
                )
                .labelled_by(l.id);
                button_row(ui, &["Скопировать", "Закрыть"])
            });
            match r.inner {
                1 => {
                    ctx.copy_text(text.clone());
                    app.say("Текст ответа скопирован.");
                    keep = false;
                }
                2 => keep = false,
                _ => {}
            }
            if r.should_close() {
                keep = false;
            }
            if keep {
                next = Some(Dialog::Reply { text, note });
            }
        }
        Dialog::Choose { index, check, who } => {
            let title = app
                .session
                .as_ref()
                .and_then(|s| s.outcomes.get(index))
                .map(|o| o.appeal.title())
                .unwrap_or_default();
            let r = modal.show(ctx, |ui| {
                ui.set_max_width(600.0);
                ui.heading("Выбрать этого человека вручную?");
                ui.label(format!("Обращение: {title}"));
                ui.label(format!("Карточка: {who}"));
                if !check.disagree.is_empty() {
                    ui.add_space(4.0);
                    egui::Grid::new("choose_grid").striped(true).num_columns(4).show(ui, |ui| {
                        ui.strong("Поле");
                        ui.strong("Госуслуги");
                        ui.strong("СГО");
                        ui.strong("");
                        ui.end_row();
                        for d in &check.disagree {
                            ui.label(d.field.label_ru());
                            ui.label(d.appeal.clone().unwrap_or_default());
                            ui.label(d.card.clone().unwrap_or_default());
                            if d.real {
                                ui.colored_label(ui.visuals().error_fg_color, "не совпадает");
                            } else {
                                ui.label("похоже на опечатку");
                            }
                            ui.end_row();
                        }
                    });
                }
                ui.add_space(4.0);
                let color = if check.another_person {
                    ui.visuals().error_fg_color
                } else {
                    ui.visuals().text_color()
                };
                ui.colored_label(color, RichText::new(check.verdict_ru()).strong());
                if check.another_person {
                    ui.label("Если вы уверены, что это тот же человек, выберите его: «Исправить всё» для этого обращения будет недоступно, каждое поле нужно будет подтвердить отдельно.");
                }
                button_row(ui, &["Да, это он(а)", "Отмена"])
            });
            match r.inner {
                1 => {
                    keep = false;
                    if let Some(s) = &mut app.session {
                        s.choose_candidate(index, check.person);
                    }
                    app.select_appeal(index);
                    app.say("Человек выбран вручную (Ctrl+Z — отменить выбор).");
                }
                2 => keep = false,
                _ => {}
            }
            if r.should_close() {
                keep = false;
            }
            if keep {
                next = Some(Dialog::Choose { index, check, who });
            }
        }
        Dialog::ConfirmField {
            index,
            field,
            value,
            who,
        } => {
            let r = modal.show(ctx, |ui| {
                ui.set_max_width(560.0);
                ui.heading("Записать значение в карточку другого человека?");
                ui.label(format!(
                    "Человек для этого обращения выбран вручную, и, похоже, это другой человек. Записать «{value}» в поле «{}» карточки: {who}?",
                    field.label_ru()
                ));
                button_row(ui, &["Записать", "Отмена"])
            });
            match r.inner {
                1 => {
                    keep = false;
                    if let Some(s) = &mut app.session {
                        s.confirm_field(index, field);
                        match s.fix_appeal_field(index, field) {
                            Ok(n) => app.say(format!(
                                "{}: исправлено ячеек: {n} (Ctrl+Z — отменить).",
                                field.label_ru()
                            )),
                            Err(e) => app.complain(e.to_string()),
                        }
                    }
                }
                2 => keep = false,
                _ => {}
            }
            if r.should_close() {
                keep = false;
            }
            if keep {
                next = Some(Dialog::ConfirmField {
                    index,
                    field,
                    value,
                    who,
                });
            }
        }
        Dialog::Import {
            steps,
            appeals,
            errors_left,
        } => {
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
                    if let Some(s) = &mut app.session {
                        let n = s.mark_imported(&steps.file);
                        app.say(format!(
                            "Файл отмечен как загруженный в СГО; обращений «загружено в СГО»: {n}. Попросите заявителей повторить вход через Госуслуги."
                        ));
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
        }
        Dialog::Continue { export, corrected } => {
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
                    super::file_name(&corrected),
                    super::file_name(&export)
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
            if keep {
                next = Some(Dialog::Continue { export, corrected });
            }
        }
    }
    if app.dialog.is_none() {
        app.dialog = next;
    }
}

/// Turns the dialog's rows into a profile, remembers it, and re-analyses the book.
fn apply_mapping(app: &mut SverkaApp, sheet: usize, header_row: u32, rows: &[MapRow]) {
    let Some(s) = &app.session else { return };
    let Some(grid) = s.grids.get(sheet) else {
        return;
    };
    let signature = crate::engine::schema::signature(grid, header_row);
    let groups = s
        .analysis
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
    if let Some(s) = &mut app.session {
        s.set_profiles(profiles);
        let people = s
            .analysis
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
