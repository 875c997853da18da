//! The selected appeal's card: who it is about and how it was matched, field by field
//! (Госуслуги | СГО | verdict) with fixes, the cards near a person not found, the steps of
//! the procedure, and the reply draft.

use eframe::egui::{self, Color32, RichText};

use super::{AMBER, GREEN, RED, status_text};
use crate::SverkaApp;
use crate::action::{Action, AppealAct};
use sverka_core::book::CellRef;
use sverka_core::session::Outcome;
use sverka_core::session::Stage;
use sverka_core::session::{AppealId, Session};
use sverka_core::session::{Status, Verdict};

/// The card of the selected appeal; returns the button clicked.
pub(super) fn card(app: &mut SverkaApp, ui: &mut egui::Ui) -> Option<Action> {
    let Some(id) = app.workspace.selected_appeal else {
        ui.label("Выберите обращение в списке.");
        return None;
    };
    let help = help_for(app, id);
    let s = app.workspace.session.as_ref()?;
    let o = s.appeal(id)?;
    let mut act = None;
    let mut open = None;
    let elsewhere = s.stage_elsewhere(id);
    egui::ScrollArea::vertical()
        .id_salt("appeal_card")
        .show(ui, |ui| {
            card_header(ui, o, id, elsewhere.as_deref());
            if let Some(file) = &elsewhere {
                open = stage_file_note(s, ui, file);
            }
            if let Some(help) = &help {
                help_section(s, ui, help, &mut act);
            }
            if o.result.status == Status::Matched {
                matched(app, s, ui, id, o, &mut act);
            } else {
                not_matched(s, ui, o, &mut act);
            }
            ui.add_space(6.0);
            // The steps stand on fixes this file does not hold: taken here they would be
            // taken against the wrong file.
            if elsewhere.is_none() {
                stage_buttons(ui, o, s.login_allowed(id), &mut act);
            }
            ui.add_space(4.0);
            if ui.button("Черновик ответа для ПОС").clicked() {
                act = Some(AppealAct::Reply);
            }
        });
    open.or(act.map(|a| Action::Appeal(id, a)))
}

/// The appeal's stage belongs to `file`, which holds its fixes; the open file does not. Says
/// so, and offers to open that file (when it is still there).
fn stage_file_note(s: &Session, ui: &mut egui::Ui, file: &std::path::Path) -> Option<Action> {
    let opened = s
        .book()
        .path()
        .map(crate::file_name)
        .unwrap_or_else(|| "пример".into());
    ui.colored_label(
        AMBER,
        format!(
            "Этап относится к файлу «{}»: исправления этого обращения записаны в него. В открытом файле «{opened}» их нет, поэтому поля ниже расходятся.",
            crate::file_name(file)
        ),
    );
    if !file.exists() {
        ui.colored_label(RED, "Этого файла больше нет на прежнем месте.");
        return None;
    }
    ui.button(format!("Открыть «{}»", crate::file_name(file)))
        .on_hover_text(file.display().to_string())
        .clicked()
        .then(|| Action::OpenPaths(vec![file.to_path_buf()]))
}

/// The appeal's title, where it came from, its warnings, status and stage (with the file it
/// belongs to when that is not the open one), and its message.
fn card_header(ui: &mut egui::Ui, o: &Outcome, id: AppealId, elsewhere: Option<&std::path::Path>) {
    ui.label(RichText::new(o.appeal.title()).strong().size(15.0));
    let mut meta = vec![o.appeal.source.clone()];
    if let Some(n) = &o.appeal.number {
        meta.push(format!("сообщение {n}"));
    }
    if let Some(n) = &o.appeal.epgu_number {
        meta.push(format!("ЕПГУ {n}"));
    }
    ui.small(meta.join(" · "));
    for w in &o.appeal.warnings {
        ui.colored_label(AMBER, format!("Внимание: {w}"));
    }
    let (status, color) = status_text(o);
    ui.horizontal_wrapped(|ui| {
        ui.colored_label(color, RichText::new(format!("Статус: {status}")).strong());
        let stage = match elsewhere {
            Some(file) => format!(
                "· этап: {} (в файле «{}»)",
                o.progress.stage.label_ru(),
                crate::file_name(file)
            ),
            None => format!("· этап: {}", o.progress.stage.label_ru()),
        };
        ui.label(RichText::new(stage).strong());
    });
    if let Some(text) = message_text(o) {
        egui::CollapsingHeader::new("Текст обращения")
            .id_salt(("appeal_message", id))
            .default_open(o.result.status != Status::Matched)
            .show(ui, |ui| {
                ui.label(RichText::new(text).italics());
            });
    }
}

/// A matched appeal: whose card it is, the fields side by side, «Исправить всё», and what
/// can only be fixed by hand in СГО.
fn matched(
    app: &SverkaApp,
    s: &Session,
    ui: &mut egui::Ui,
    id: AppealId,
    o: &Outcome,
    act: &mut Option<AppealAct>,
) {
    let chosen = o.progress.choice.as_ref();
    if let Some(p) = o.result.person.and_then(|i| s.schema().person(i)) {
        let place = s.schema().place_ru(p);
        match chosen {
            Some(_) => ui.label(format!(
                "{place} ({}), выбран вами вручную",
                p.role.label_ru()
            )),
            None => ui.label(format!(
                "{place} ({}), совпадение {:.0}%",
                p.role.label_ru(),
                o.result.score * 100.0
            )),
        };
    }
    if let Some(c) = chosen.filter(|c| c.another_person) {
        ui.colored_label(
            RED,
            format!(
                "Похоже, это другой человек: не совпадают {}. «Исправить всё» недоступно; каждое поле подтверждайте отдельно.",
                c.disagree
                    .iter()
                    .map(|f| f.word_ru())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
    }
    if !o.result.also.is_empty() {
        ui.label(format!(
            "Этот же человек записан ещё в {} местах — исправления коснутся всех.",
            o.result.also.len()
        ));
    }
    fields_grid(app, ui, id, o, act);
    let fixable = s.can_fix_appeal(id);
    let blocked = s.needs_confirmation(id, None);
    let r = ui.add_enabled(fixable && !blocked, egui::Button::new("Исправить всё"));
    let r = if blocked {
        r.on_disabled_hover_text(
            "Человек выбран вручную и, похоже, это другой человек: подтверждайте каждое поле отдельно",
        )
    } else {
        r
    };
    if r.clicked() {
        *act = Some(AppealAct::FixAll);
    }
    by_hand(s, ui, o, act);
}

/// The fields СГО protects from import, which the officer fixes in the card by hand.
fn by_hand(s: &Session, ui: &mut egui::Ui, o: &Outcome, act: &mut Option<AppealAct>) {
    let manual: Vec<&sverka_core::session::FieldResult> = o
        .result
        .fields
        .iter()
        .filter(|f| f.verdict == Verdict::ProtectedDiffers)
        .collect();
    if !manual.is_empty() {
        ui.add_space(6.0);
        ui.label(RichText::new("Исправить вручную в СГО:").strong());
        if let Some(p) = o.result.person {
            for step in manual.iter().filter_map(|f| s.manual_step(p, f)) {
                ui.label(format!("• {step}"));
            }
        }
        if ui
            .button("Исправлено в СГО вручную")
            .on_hover_text("Отметьте, когда эти поля исправлены в карточке в СГО")
            .clicked()
        {
            *act = Some(AppealAct::ByHand);
        }
    }
}

/// An appeal not matched: why, and the nearest cards to choose from (with the steps for
/// adding a person who is not in the export).
fn not_matched(s: &Session, ui: &mut egui::Ui, o: &Outcome, act: &mut Option<AppealAct>) {
    if o.result.status == Status::NotFound {
        ui.label("Этого человека нет в выгрузке («Ошибка авторизации №1»). Прежде чем создавать карточку в СГО, проверьте, нет ли его в других классах: если СГО отвечает, что такой человек уже есть, выберите существующего — не создавайте вторую учётную запись.");
    } else {
        ui.label("Подходят несколько человек — выберите нужного:");
    }
    if !o.result.candidates.is_empty() {
        ui.label(RichText::new("Ближайшие карточки:").strong());
    }
    for c in &o.result.candidates {
        if let (Some(p), Some(cell)) = (s.schema().person(c.person), s.person_cell(c.person)) {
            let who = s.person_at(cell).unwrap_or_default();
            ui.horizontal_wrapped(|ui| {
                ui.label(format!(
                    "{who} — строка {}, {}, сходство {:.0}%",
                    p.row + 1,
                    p.role.label_ru(),
                    c.score * 100.0
                ));
                if ui
                    .small_button("Это он(а)…")
                    .on_hover_text("Выбрать этого человека вручную (с проверкой)")
                    .clicked()
                {
                    *act = Some(AppealAct::Choose(c.person));
                }
            });
        }
    }
    if o.result.status == Status::NotFound && o.progress.stage == Stage::New {
        ui.add_space(4.0);
        ui.label("Как добавить: ученика — «Управление > Ученики», «Добавить»; родителя — в карточке ребёнка, «Дети: Присоединить ребёнка» у карточки родителя; данные — точно как в Госуслугах.");
        if ui
            .button("Карточка создана в СГО")
            .on_hover_text("Отметьте, когда человек добавлен в СГО с данными из Госуслуг")
            .clicked()
        {
            *act = Some(AppealAct::ByHand);
        }
    }
}

/// The «Текст сообщения» of the appeal.
fn message_text(o: &Outcome) -> Option<String> {
    o.appeal.message().map(str::to_string)
}

/// The child the message names and the cards near a person not found, computed when the
/// selection or the book changes (the search of every card is too slow for every frame).
fn help_for(app: &mut SverkaApp, id: AppealId) -> Option<sverka_core::session::AppealHelp> {
    let s = app.workspace.session.as_ref()?;
    let key = (id, s.version());
    if let Some((k, help)) = &app.workspace.appeal_help
        && *k == key
    {
        return Some(help.clone());
    }
    let help = s.appeal_help(id)?;
    app.workspace.appeal_help = Some((key, help.clone()));
    Some(help)
}

/// The child from the message, and the near cards with what they share.
fn help_section(
    s: &Session,
    ui: &mut egui::Ui,
    help: &sverka_core::session::AppealHelp,
    act: &mut Option<AppealAct>,
) {
    // Where the grid goes for a place, and how it is named.
    let place = |p: &sverka_core::session::Place| {
        let cell = s
            .person_cell(p.person)
            .unwrap_or_else(|| CellRef::new(p.sheet, p.row, 0));
        (s.place_of(cell), cell)
    };
    if let Some(child) = &help.child {
        let (text, cell) = place(child);
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new("Ребёнок из обращения:").strong());
            ui.label(text);
            if ui.small_button("Показать").clicked() {
                *act = Some(AppealAct::GoTo(cell));
            }
        });
    }
    let Some(near) = &help.near else { return };
    if near.is_empty() {
        ui.label(
            "Карточек с тем же СНИЛС, телефоном, почтой или ФИО и датой рождения в выгрузке нет.",
        );
        return;
    }
    ui.colored_label(
        AMBER,
        RichText::new(format!(
            "Похожие карточки ({}): возможно, учётная запись уже есть — не создавайте вторую.",
            near.len()
        ))
        .strong(),
    );
    for n in near {
        let (text, cell) = place(&n.place);
        let agree: Vec<String> = n.agree.iter().map(|f| f.word_ru()).collect();
        ui.horizontal_wrapped(|ui| {
            ui.label(format!("• {text}: совпадают {}", agree.join(", ")));
            if ui.small_button("Показать").clicked() {
                *act = Some(AppealAct::GoTo(cell));
            }
        });
    }
}

fn fields_grid(
    app: &SverkaApp,
    ui: &mut egui::Ui,
    id: AppealId,
    o: &Outcome,
    act: &mut Option<AppealAct>,
) {
    let Some(s) = &app.workspace.session else {
        return;
    };
    // The two value columns share what the field name, the verdict and the button leave, so
    // that the card fits a narrow panel (long values wrap).
    let value_width = ((ui.available_width() - 120.0 - 95.0 - 90.0) / 2.0).clamp(70.0, 150.0);
    egui::Grid::new("appeal_fields")
        .striped(true)
        .num_columns(5)
        .max_col_width(value_width)
        .show(ui, |ui| {
            ui.strong("Поле");
            ui.strong("Госуслуги");
            ui.strong("СГО");
            ui.strong("Итог");
            ui.label("");
            ui.end_row();
            for f in &o.result.fields {
                ui.label(f.field.label_ru());
                ui.label(f.appeal.clone().unwrap_or_default());
                ui.label(f.card.clone().unwrap_or_else(|| "—".into()));
                let color = match f.verdict {
                    Verdict::Equal => GREEN,
                    Verdict::ProtectedDiffers => Color32::from_rgb(120, 120, 120),
                    _ => RED,
                };
                // Values that look the same side by side say why they differ, on a small
                // second line so that the column stays narrow.
                match f.kind.hint_ru().filter(|_| f.verdict != Verdict::Equal) {
                    Some(hint) => {
                        ui.vertical(|ui| {
                            ui.spacing_mut().item_spacing.y = 0.0;
                            ui.colored_label(color, f.verdict.label_ru())
                                .on_hover_text(&f.message);
                            ui.label(RichText::new(hint).small().color(color))
                                .on_hover_text(&f.message);
                        });
                    }
                    None => {
                        ui.colored_label(color, f.verdict.label_ru())
                            .on_hover_text(&f.message);
                    }
                }
                match f.verdict {
                    Verdict::Differs | Verdict::MissingInCard if f.is_fixable() => {
                        let value = f.suggestion.clone().unwrap_or_default();
                        if ui
                            .add(
                                egui::Button::new("Исправить")
                                    .wrap_mode(egui::TextWrapMode::Extend),
                            )
                            .on_hover_text(format!("Записать «{value}»"))
                            .clicked()
                        {
                            *act = Some(if s.needs_confirmation(id, Some(f.field)) {
                                AppealAct::Confirm(f.field, value)
                            } else {
                                AppealAct::Fix(f.field)
                            });
                        }
                    }
                    Verdict::Differs | Verdict::MissingInCard => {
                        ui.label("");
                    }
                    Verdict::ProtectedDiffers => {
                        ui.label("вручную");
                    }
                    Verdict::Equal => {
                        // Equal because of an edit not saved yet: the file does not say so.
                        if o.progress.fixed(f.field).is_some() {
                            ui.label(RichText::new("исправлено").small());
                        } else if s.is_dirty() && s.book().edits().contains_key(&f.cell) {
                            ui.label(RichText::new("не сохранено").small().color(AMBER))
                                .on_hover_text(
                                    "Значение исправлено в sverka; сохраните файл (Ctrl+S)",
                                );
                        } else {
                            ui.label("");
                        }
                    }
                }
                ui.end_row();
            }
        });
}

/// The officer's steps: imported, login confirmed or failing, back one step.
fn stage_buttons(ui: &mut egui::Ui, o: &Outcome, can_login: bool, act: &mut Option<AppealAct>) {
    let p = &o.progress;
    ui.horizontal_wrapped(|ui| {
        if p.stage == Stage::FixedInFile {
            if ui
                .button("Загружено в СГО")
                .on_hover_text("Файл с исправлениями загружен в СГО («2. Обновление данных»)")
                .clicked()
            {
                *act = Some(AppealAct::Imported);
            }
            if ui.button("Как загрузить…").clicked() {
                *act = Some(AppealAct::HowToImport);
            }
        }
        if can_login {
            if p.stage != Stage::LoginConfirmed
                && ui
                    .button("Вход подтверждён")
                    .on_hover_text("Заявитель повторил вход через Госуслуги, и он удался")
                    .clicked()
            {
                *act = Some(AppealAct::Login(true));
            }
            if p.stage != Stage::LoginFails
                && ui
                    .button("Ошибка сохраняется")
                    .on_hover_text("Вход по-прежнему не удаётся: школа обращается в региональный методический отдел")
                    .clicked()
            {
                *act = Some(AppealAct::Login(false));
            }
        }
        if !p.history.is_empty() && ui.button("Вернуть на шаг назад").clicked() {
            *act = Some(AppealAct::Back);
        }
    });
}
