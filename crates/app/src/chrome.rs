//! The window's chrome: the menu bar, the toolbar (short enough for a 1024-pixel screen; the
//! rest is in the menus), the status bar (wrapping long messages), the settings (theme, text
//! size, the officer's name for reports, all remembered). The built-in guide (F1) is
//! [`crate::guide`].

use eframe::egui::{self, RichText};
use serde::{Deserialize, Serialize};

use super::SverkaApp;
use crate::action::Action;
use sverka_core::session::Session;

/// Light, dark or as the system says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Theme {
    /// Follow the operating system's light or dark setting.
    #[default]
    System,
    /// Always light.
    Light,
    /// Always dark.
    Dark,
}

impl Theme {
    fn label(self) -> &'static str {
        match self {
            Theme::System => "как в системе",
            Theme::Light => "светлая",
            Theme::Dark => "тёмная",
        }
    }

    fn preference(self) -> egui::ThemePreference {
        match self {
            Theme::System => egui::ThemePreference::System,
            Theme::Light => egui::ThemePreference::Light,
            Theme::Dark => egui::ThemePreference::Dark,
        }
    }
}

/// What the officer set once and sverka remembers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// The colour theme of the window.
    pub theme: Theme,
    /// Text and interface size (1.0 = normal).
    pub zoom: f32,
    /// The name written in the change report's «Кто» (the system user name when empty).
    pub officer: String,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            theme: Theme::System,
            zoom: 1.0,
            officer: String::new(),
        }
    }
}

impl Settings {
    /// Applies the theme and the text size to the window.
    pub fn apply(&self, ctx: &egui::Context) {
        ctx.set_theme(self.theme.preference());
        if (ctx.zoom_factor() - self.zoom).abs() > f32::EPSILON {
            ctx.set_zoom_factor(self.zoom.clamp(0.5, 3.0));
        }
    }

    /// Who makes the changes, for the report: the name set here, else the system user.
    pub fn officer_name(&self) -> String {
        let set = self.officer.trim();
        if !set.is_empty() {
            return set.to_string();
        }
        system_user().unwrap_or_else(|| "не указан (задайте в «Настройках»)".to_string())
    }
}

/// Whether there is anything to save (the toolbar's and the menu's «Сохранить»).
fn can_save(app: &SverkaApp) -> bool {
    app.workspace
        .session
        .as_ref()
        .is_some_and(|s| s.edited_cells() > 0)
}

/// Whether there is a step to undo and one to redo (the toolbar's and the menu's buttons).
fn undo_redo(app: &SverkaApp) -> (bool, bool) {
    app.workspace
        .session
        .as_ref()
        .map_or((false, false), |s| (s.can_undo(), s.can_redo()))
}

/// The name the officer logged in to the computer with, if the system says.
fn system_user() -> Option<String> {
    ["USERNAME", "USER", "LOGNAME"]
        .iter()
        .find_map(|k| std::env::var(k).ok().filter(|v| !v.trim().is_empty()))
}

/// The menu bar and the toolbar; returns the commands clicked.
pub fn top_bar(app: &mut SverkaApp, ui: &mut egui::Ui) -> Vec<Action> {
    let mut acts = Vec::new();
    egui::Panel::top("menu").show(ui, |ui| {
        egui::MenuBar::new().ui(ui, |ui| {
            file_menu(app, ui, &mut acts);
            edit_menu(app, ui, &mut acts);
            view_menu(app, ui, &mut acts);
            ui.menu_button("Справка", |ui| {
                if ui
                    .add(egui::Button::new("Руководство").shortcut_text("F1"))
                    .clicked()
                {
                    acts.push(Action::ShowHelp);
                }
            });
        });
    });
    egui::Panel::top("toolbar").show(ui, |ui| {
        ui.horizontal(|ui| {
            let have = app.workspace.session.is_some();
            if ui
                .button("Открыть…")
                .on_hover_text("Открыть выгрузку из СГО (Ctrl+O)")
                .clicked()
            {
                acts.push(Action::ChooseExport);
            }
            let dirty = can_save(app);
            if ui
                .add_enabled(dirty, egui::Button::new("Сохранить…"))
                .on_hover_text("Сохранить исправленный файл (Ctrl+S)")
                .clicked()
            {
                acts.push(Action::AskSave);
            }
            let (can_undo, can_redo) = undo_redo(app);
            if ui
                .add_enabled(can_undo, egui::Button::new("Отменить"))
                .on_hover_text("Отменить (Ctrl+Z)")
                .clicked()
            {
                acts.push(Action::Undo);
            }
            if ui
                .add_enabled(can_redo, egui::Button::new("Повторить"))
                .on_hover_text("Повторить (Ctrl+Y)")
                .clicked()
            {
                acts.push(Action::Redo);
            }
            if !have {
                return;
            }
            ui.separator();
            let search = ui.add(
                egui::TextEdit::singleline(&mut app.workspace.search)
                    .hint_text("Поиск: ФИО, СНИЛС, телефон")
                    .desired_width(160.0),
            );
            let search = search.on_hover_text(
                "Ctrl+F. Фамилия, имя, отчество, СНИЛС или телефон; несколько слов — в любом порядке. Enter — к первой найденной строке, Esc — очистить.",
            );
            if app.workspace.focus_search {
                search.request_focus();
                app.workspace.focus_search = false;
            }
            if search.lost_focus() {
                // The grid must not take this Enter as «edit the selected cell».
                let (enter, esc) = ui.input_mut(|i| {
                    (
                        i.consume_key(egui::Modifiers::NONE, egui::Key::Enter),
                        i.consume_key(egui::Modifiers::NONE, egui::Key::Escape),
                    )
                });
                if esc {
                    app.workspace.search.clear();
                } else if enter {
                    acts.push(Action::FirstFound);
                }
            }
            ui.checkbox(&mut app.only_problems, "только с проблемами");
            if ui
                .button("След. проблема")
                .on_hover_text("Следующая ячейка с ошибкой (F8)")
                .clicked()
            {
                acts.push(Action::NextProblem);
            }
            ui.separator();
            ui.toggle_value(&mut app.show_problems, "Проблемы")
                .on_hover_text("Показать или скрыть список проблем слева");
            ui.toggle_value(&mut app.show_appeals, "Обращения")
                .on_hover_text("Показать или скрыть обращения справа");
        });
    });
    acts
}

fn file_menu(app: &SverkaApp, ui: &mut egui::Ui, acts: &mut Vec<Action>) {
    ui.menu_button("Файл", |ui| {
        let have = app.workspace.session.is_some();
        if ui
            .add(egui::Button::new("Открыть выгрузку…").shortcut_text("Ctrl+O"))
            .clicked()
        {
            acts.push(Action::ChooseExport);
        }
        if ui
            .add_enabled(have, egui::Button::new("Загрузить обращения…"))
            .clicked()
        {
            acts.push(Action::ChooseAppeals);
        }
        let dirty = can_save(app);
        if ui
            .add_enabled(
                dirty,
                egui::Button::new("Сохранить исправленный файл…").shortcut_text("Ctrl+S"),
            )
            .clicked()
        {
            acts.push(Action::AskSave);
        }
        ui.separator();
        if ui
            .add_enabled(have, egui::Button::new("Отчёт об изменениях (.xlsx)…"))
            .clicked()
        {
            acts.push(Action::AskReport);
        }
        if ui
            .add_enabled(have, egui::Button::new("Столбцы выгрузки…"))
            .on_hover_text("Какие столбцы что содержат")
            .clicked()
        {
            acts.push(Action::ShowMapping);
        }
        ui.separator();
        if ui.button("Настройки…").clicked() {
            acts.push(Action::ShowSettings);
        }
    });
}

fn edit_menu(app: &SverkaApp, ui: &mut egui::Ui, acts: &mut Vec<Action>) {
    ui.menu_button("Правка", |ui| {
        let (can_undo, can_redo) = undo_redo(app);
        if ui
            .add_enabled(
                can_undo,
                egui::Button::new("Отменить").shortcut_text("Ctrl+Z"),
            )
            .clicked()
        {
            acts.push(Action::Undo);
        }
        if ui
            .add_enabled(
                can_redo,
                egui::Button::new("Повторить").shortcut_text("Ctrl+Y"),
            )
            .clicked()
        {
            acts.push(Action::Redo);
        }
        ui.separator();
        if ui
            .add(egui::Button::new("Найти").shortcut_text("Ctrl+F"))
            .clicked()
        {
            acts.push(Action::Find);
        }
        if ui
            .add(egui::Button::new("Следующая проблема").shortcut_text("F8"))
            .clicked()
        {
            acts.push(Action::NextProblem);
        }
    });
}

fn view_menu(app: &mut SverkaApp, ui: &mut egui::Ui, acts: &mut Vec<Action>) {
    ui.menu_button("Вид", |ui| {
        if ui
            .add(egui::Button::new("Реестр обращений…").shortcut_text("Ctrl+R"))
            .on_hover_text("Все обращения всех выгрузок: этапы и даты, файлы, ответы")
            .clicked()
        {
            acts.push(Action::ShowRegister);
        }
        ui.separator();
        ui.checkbox(&mut app.show_problems, "Список проблем (слева)");
        ui.checkbox(&mut app.show_appeals, "Обращения (справа)");
        ui.checkbox(&mut app.only_problems, "Только строки с проблемами");
        ui.checkbox(&mut app.show_hidden, "Скрытые столбцы");
        ui.separator();
        let ctx = ui.ctx().clone();
        if ui
            .add(egui::Button::new("Крупнее").shortcut_text("Ctrl +"))
            .clicked()
        {
            egui::gui_zoom::zoom_in(&ctx);
        }
        if ui
            .add(egui::Button::new("Мельче").shortcut_text("Ctrl -"))
            .clicked()
        {
            egui::gui_zoom::zoom_out(&ctx);
        }
        if ui
            .add(egui::Button::new("Обычный размер").shortcut_text("Ctrl 0"))
            .clicked()
        {
            ctx.set_zoom_factor(1.0);
        }
        ui.separator();
        ui.menu_button("Тема", |ui| {
            for t in [Theme::System, Theme::Light, Theme::Dark] {
                if ui
                    .selectable_label(app.settings.theme == t, t.label())
                    .clicked()
                {
                    app.settings.theme = t;
                    app.settings.apply(&ctx);
                }
            }
        });
    });
}

pub fn status_bar(app: &mut SverkaApp, ui: &mut egui::Ui) {
    egui::Panel::bottom("status").show(ui, |ui| {
        ui.horizontal_wrapped(|ui| {
            if let Some(job) = &app.job {
                ui.spinner();
                let secs = job.started.elapsed().as_secs();
                ui.add(
                    egui::ProgressBar::new(0.0)
                        .animate(true)
                        .desired_width(120.0)
                        .text(format!("{secs} с")),
                );
                ui.label(format!("{}…", job.what));
            }
            if let Some(s) = &app.workspace.session {
                ui.label(RichText::new(summary(s)).small());
                ui.separator();
            }
            if let Some(st) = &app.status {
                let color = if st.error {
                    ui.visuals().error_fg_color
                } else {
                    ui.visuals().text_color()
                };
                ui.add(egui::Label::new(RichText::new(&st.text).color(color)).wrap());
            }
        });
    });
}

/// One line about the open book: file, people, problems, edits, appeals.
fn summary(s: &Session) -> String {
    let name = s
        .book()
        .path()
        .map(super::file_name)
        .unwrap_or_else(|| "пример".into());
    let errors = s
        .findings()
        .filter(|f| f.severity == sverka_core::session::Severity::Error)
        .count();
    let warnings = s
        .findings()
        .filter(|f| f.severity == sverka_core::session::Severity::Warning)
        .count();
    format!(
        "{name} · людей: {} · ошибок: {errors} · предупреждений: {warnings} · исправлено ячеек: {}{} · обращений: {}",
        s.schema().people.len(),
        s.edited_cells(),
        if s.is_dirty() {
            " (не сохранено)"
        } else {
            ""
        },
        s.outcomes().len()
    )
}

/// The settings window.
pub fn settings_window(app: &mut SverkaApp, ctx: &egui::Context) {
    let mut open = app.show_settings;
    egui::Window::new("Настройки")
        .open(&mut open)
        .collapsible(false)
        .resizable(false)
        .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
        .show(ctx, |ui| {
            ui.horizontal(|ui| {
                ui.label("Тема:");
                for t in [Theme::System, Theme::Light, Theme::Dark] {
                    if ui
                        .selectable_label(app.settings.theme == t, t.label())
                        .clicked()
                    {
                        app.settings.theme = t;
                        app.settings.apply(ctx);
                    }
                }
            });
            ui.horizontal(|ui| {
                let l = ui.label("Размер текста:");
                let mut percent = (ctx.zoom_factor() * 100.0).round() as i32;
                let r = ui
                    .add(
                        egui::Slider::new(&mut percent, 70..=200)
                            .step_by(10.0)
                            .suffix(" %"),
                    )
                    .labelled_by(l.id);
                if r.changed() {
                    ctx.set_zoom_factor(percent as f32 / 100.0);
                }
            });
            ui.small("Ctrl + и Ctrl - меняют размер в любой момент, Ctrl 0 — обычный.");
            ui.add_space(6.0);
            let l = ui.label("Ваше имя для отчёта об изменениях («Кто»):");
            // Inside the settings the hint says what the report uses when the field is empty.
            let hint = match system_user() {
                Some(user) => format!("пусто — будет «{user}» (имя входа в систему)"),
                None => "пусто — в отчёте будет «не указан»".to_string(),
            };
            ui.add(
                egui::TextEdit::singleline(&mut app.settings.officer)
                    .hint_text(hint)
                    .desired_width(320.0),
            )
            .labelled_by(l.id);
            ui.small("Настройки запоминаются.");
        });
    app.show_settings = open;
}
