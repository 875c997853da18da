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
        .default_size([1240.0, 560.0])
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

/// The rows, one appeal each, one line each (a long text ends in «…»; all of it on hover);
/// the columns can be widened by dragging their edges.
fn table(ui: &mut egui::Ui, rows: &[&RegisterRow]) {
    use egui_extras::{Column, TableBuilder};
    let headers = [
        "Выгрузка",
        "Сообщение",
        "Человек",
        "Что найдено",
        "Этап",
        "Даты этапов",
        "Файл с исправлениями",
        "Ответ в ПОС",
    ];
    let line = |ui: &mut egui::Ui, text: &str| {
        ui.add(egui::Label::new(text).truncate())
            .on_hover_text(text);
    };
    egui::ScrollArea::horizontal()
        .id_salt("register_wide")
        .show(ui, |ui| {
            TableBuilder::new(ui)
                .id_salt("register_table")
                .striped(true)
                .resizable(true)
                .cell_layout(egui::Layout::left_to_right(egui::Align::Center))
                .column(Column::initial(90.0).at_least(50.0).clip(true))
                .column(Column::initial(150.0).at_least(60.0).clip(true))
                .column(Column::initial(230.0).at_least(80.0).clip(true))
                .column(Column::initial(200.0).at_least(80.0).clip(true))
                .column(Column::initial(130.0).at_least(60.0).clip(true))
                .column(Column::initial(260.0).at_least(80.0).clip(true))
                .column(Column::initial(170.0).at_least(60.0).clip(true))
                .column(Column::initial(160.0).at_least(60.0).clip(true))
                .header(22.0, |mut header| {
                    for h in headers {
                        header.col(|ui| {
                            ui.strong(h);
                        });
                    }
                })
                .body(|body| {
                    body.rows(22.0, rows.len(), |mut row| {
                        let Some(r) = rows.get(row.index()) else {
                            return;
                        };
                        let number = match (&r.number, &r.epgu) {
                            (Some(n), Some(e)) => format!("{n} (ЕПГУ {e})"),
                            (Some(n), None) => n.clone(),
                            (None, Some(e)) => format!("ЕПГУ {e}"),
                            (None, None) => "—".into(),
                        };
                        let loaded = date_ru(&r.loaded);
                        let mut dates: Vec<String> = (!loaded.is_empty())
                            .then(|| format!("загружено {loaded}"))
                            .into_iter()
                            .collect();
                        dates.extend(
                            r.dates
                                .iter()
                                .map(|d| format!("{} {}", d.stage.label_ru(), date_ru(&d.at))),
                        );
                        let reply = r.reply.as_ref();
                        row.col(|ui| line(ui, &r.export));
                        row.col(|ui| line(ui, &number));
                        row.col(|ui| line(ui, &format!("{} (откуда: {})", r.person, r.source)));
                        row.col(|ui| line(ui, &r.diagnosis));
                        row.col(|ui| {
                            ui.label(RichText::new(r.stage_ru()).strong());
                        });
                        row.col(|ui| line(ui, &dates.join(" · ")));
                        row.col(|ui| line(ui, r.file.as_deref().unwrap_or("—")));
                        row.col(|ui| match reply {
                            Some(x) => {
                                ui.add(
                                    egui::Label::new(format!("взят {}", date_ru(&x.at))).truncate(),
                                )
                                .on_hover_text(&x.text);
                            }
                            None => {
                                ui.label("—");
                            }
                        });
                    });
                });
        });
}
