//! The register of appeals as a window (Вид → «Реестр обращений», Ctrl+R): every appeal of
//! every export worked on, with its message, person, what was found, stage and the date of
//! each stage, the corrected file and the reply taken — searched by any words, sorted by a
//! column. It reads the case records when opened (and on «Обновить»), not every frame.

use eframe::egui::{self, RichText};

use super::SverkaApp;
use sverka_core::session::register::{RegisterRow, date_ru};

/// How the register is sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RegisterSort {
    /// The newest loaded first.
    #[default]
    Loaded,
    /// By person (ФИО).
    Person,
    /// By stage, the furthest last.
    Stage,
    /// By export, then person.
    Export,
    /// By ПОС message number.
    Number,
}

impl RegisterSort {
    const ALL: [RegisterSort; 5] = [
        RegisterSort::Loaded,
        RegisterSort::Person,
        RegisterSort::Stage,
        RegisterSort::Export,
        RegisterSort::Number,
    ];

    fn label(self) -> &'static str {
        match self {
            RegisterSort::Loaded => "сначала новые",
            RegisterSort::Person => "по ФИО",
            RegisterSort::Stage => "по этапу",
            RegisterSort::Export => "по выгрузке",
            RegisterSort::Number => "по номеру сообщения",
        }
    }

    fn sort(self, rows: &mut [&RegisterRow]) {
        match self {
            RegisterSort::Loaded => rows.sort_by(|a, b| b.loaded.cmp(&a.loaded)),
            RegisterSort::Person => rows.sort_by(|a, b| a.person.cmp(&b.person)),
            RegisterSort::Stage => rows.sort_by_key(|r| r.stage),
            RegisterSort::Export => {
                rows.sort_by(|a, b| a.export.cmp(&b.export).then(a.person.cmp(&b.person)));
            }
            RegisterSort::Number => rows.sort_by_key(|r| {
                let n = r.number.as_deref().unwrap_or("");
                (n.len(), n.to_string())
            }),
        }
    }
}

/// The register window's state.
#[derive(Default)]
pub struct RegisterView {
    /// Open.
    pub open: bool,
    /// The search: every word must be in the row.
    pub query: String,
    /// The order.
    pub sort: RegisterSort,
    /// The rows read when the window opened (`None`: to be read).
    rows: Option<Vec<RegisterRow>>,
}

impl RegisterView {
    /// Opens the window, reading the register afresh.
    pub fn show(&mut self) {
        self.open = true;
        self.rows = None;
    }
}

/// The register window.
pub fn window(app: &mut SverkaApp, ctx: &egui::Context) {
    if !app.register.open {
        return;
    }
    if app.register.rows.is_none() {
        let data_dir = app.data_dir.clone();
        app.register.rows = Some(
            app.workspace
                .session
                .as_ref()
                .map(|s| s.register(data_dir.as_deref()))
                .unwrap_or_else(|| {
                    data_dir
                        .as_deref()
                        .map(|d| sverka_core::session::register::read(d, None))
                        .unwrap_or_default()
                }),
        );
    }
    let mut open = app.register.open;
    let view = &mut app.register;
    egui::Window::new("Реестр обращений")
        .open(&mut open)
        .default_size([980.0, 520.0])
        .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
        .show(ctx, |ui| {
            let all = view.rows.as_deref().unwrap_or_default();
            let mut refresh = false;
            ui.horizontal(|ui| {
                let l = ui.label("Найти:");
                ui.add(
                    egui::TextEdit::singleline(&mut view.query)
                        .hint_text("ФИО, номер сообщения, выгрузка, этап…")
                        .desired_width(280.0),
                )
                .labelled_by(l.id);
                let l = ui.label("Порядок:");
                egui::ComboBox::from_id_salt("register_sort")
                    .selected_text(view.sort.label())
                    .show_ui(ui, |ui| {
                        for s in RegisterSort::ALL {
                            ui.selectable_value(&mut view.sort, s, s.label());
                        }
                    })
                    .response
                    .labelled_by(l.id);
                refresh = ui.button("Обновить").clicked();
            });
            let mut rows: Vec<&RegisterRow> =
                all.iter().filter(|r| r.matches(&view.query)).collect();
            view.sort.sort(&mut rows);
            ui.label(format!(
                "Показано обращений: {} из {}",
                rows.len(),
                all.len()
            ));
            if all.is_empty() {
                ui.label(
                    "Обращений пока нет: загрузите обращения к выгрузке, и они появятся здесь.",
                );
            }
            ui.separator();
            table(ui, &rows);
            if refresh {
                view.rows = None;
            }
        });
    app.register.open = open;
}

/// The rows, one appeal each.
fn table(ui: &mut egui::Ui, rows: &[&RegisterRow]) {
    egui::ScrollArea::both()
        .id_salt("register_rows")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            egui::Grid::new("register_grid")
                .striped(true)
                .num_columns(8)
                .max_col_width(260.0)
                .show(ui, |ui| {
                    for h in [
                        "Выгрузка",
                        "Сообщение",
                        "Человек",
                        "Что найдено",
                        "Этап",
                        "Даты этапов",
                        "Файл с исправлениями",
                        "Ответ в ПОС",
                    ] {
                        ui.strong(h);
                    }
                    ui.end_row();
                    for r in rows {
                        ui.label(&r.export);
                        let number = match (&r.number, &r.epgu) {
                            (Some(n), Some(e)) => format!("{n} (ЕПГУ {e})"),
                            (Some(n), None) => n.clone(),
                            (None, Some(e)) => format!("ЕПГУ {e}"),
                            (None, None) => "—".into(),
                        };
                        ui.label(number);
                        ui.label(&r.person)
                            .on_hover_text(format!("Откуда: {}", r.source));
                        ui.label(&r.diagnosis);
                        ui.label(RichText::new(r.stage_ru()).strong());
                        let mut dates = vec![format!("загружено {}", date_ru(&r.loaded))];
                        dates.extend(
                            r.dates
                                .iter()
                                .map(|d| format!("{} {}", d.stage.label_ru(), date_ru(&d.at))),
                        );
                        ui.label(dates.join("\n"));
                        ui.label(r.file.as_deref().unwrap_or("—"));
                        match &r.reply {
                            Some(reply) => {
                                ui.add(
                                    egui::Label::new(format!("взят {}", date_ru(&reply.at)))
                                        .sense(egui::Sense::hover()),
                                )
                                .on_hover_text(&reply.text);
                            }
                            None => {
                                ui.label("—");
                            }
                        }
                        ui.end_row();
                    }
                });
        });
}
