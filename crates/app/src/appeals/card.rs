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
use sverka_core::session::{Diagnosis, Place};
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
    // The steps are pinned to the bottom of the panel, each in a place of its own: nothing
    // the card shows above them (counters, fields, notes) can move them, and the button that
    // takes a step back is never where a step forward was clicked.
    egui::Panel::bottom("stage_bar")
        .resizable(false)
        .frame(egui::Frame::NONE.inner_margin(egui::Margin::symmetric(0, 6)))
        .show(ui, |ui| {
            let blocked = s.standing(id).and_then(|st| st.login_blocked_ru());
            stage_buttons(ui, o, blocked.as_deref(), elsewhere.is_some(), &mut act);
        });
    egui::ScrollArea::vertical()
        .id_salt(("appeal_card", id))
        .show(ui, |ui| {
            card_header(ui, o, id, elsewhere.as_deref());
            if let Some(file) = &elsewhere {
                open = stage_file_note(s, ui, file);
            }
            why_section(s, ui, id, help.as_ref().and_then(|h| h.child));
            if let Some(help) = &help {
                help_section(s, ui, help, &mut act);
            }
            if o.result.status == Status::Matched {
                matched(app, s, ui, id, o, &mut act);
            } else {
                not_matched(s, ui, o, &mut act);
            }
        });
    open.or(act.map(|a| Action::Appeal(id, a)))
}

/// «Почему не входит»: the causes beyond the field table (an account not confirmed, a child
/// not linked, two cards, staff), or that none is found — in words, with what to do. The
/// field differences and a person not found are said by the table and the section below.
fn why_section(s: &Session, ui: &mut egui::Ui, id: AppealId, child: Option<Place>) {
    let shown: Vec<Diagnosis> = s
        .diagnoses(id, child)
        .into_iter()
        .filter(|d| !matches!(d, Diagnosis::FieldsDiffer { .. } | Diagnosis::NotInSgo))
        .collect();
    if shown.is_empty() {
        return;
    }
    ui.add_space(4.0);
    ui.label(RichText::new("Почему не входит:").strong());
    for d in &shown {
        let text = d.message_ru(&|p| s.describe_card(p));
        let color = match d {
            Diagnosis::NoCauseFound { .. } => ui.visuals().text_color(),
            _ => AMBER,
        };
        ui.add(egui::Label::new(RichText::new(format!("• {text}")).color(color)).wrap());
    }
    ui.add_space(4.0);
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
    if manual.is_empty() {
        return;
    }
    ui.add_space(6.0);
    let (done, left): (Vec<_>, Vec<_>) = manual
        .into_iter()
        .partition(|f| o.progress.fixed(f.field).is_some());
    if !done.is_empty() {
        let fields: Vec<String> = done.iter().map(|f| f.field.word_ru()).collect();
        ui.colored_label(
            GREEN,
            format!(
                "Исправлено вручную в СГО (отмечено вами): {}.",
                fields.join(", ")
            ),
        );
    }
    if left.is_empty() {
        return;
    }
    ui.label(RichText::new("Исправить вручную в СГО:").strong());
    if let Some(p) = o.result.person {
        for step in left.iter().filter_map(|f| s.manual_step(p, f)) {
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
    // The two value columns share what the field name and the verdict (with its button
    // below it) leave, so that the card fits a narrow panel. Texts wrap at spaces only: every
    // column is at least as wide as its widest word («Электронная», «Кирилловна»,
    // «538-796-988»), up to a limit that keeps the panel inside the window (a long e-mail
    // still wraps).
    let value_width = ((ui.available_width() - 110.0 - 100.0) / 2.0).clamp(70.0, 150.0);
    let font = egui::TextStyle::Body.resolve(ui.style());
    let widest = o
        .result
        .fields
        .iter()
        .flat_map(|f| {
            let label = f.field.label_ru().to_string();
            [Some(label), f.appeal.clone(), f.card.clone()]
        })
        .flatten()
        .flat_map(|t| t.split_whitespace().map(str::to_string).collect::<Vec<_>>())
        .map(|w| {
            ui.painter()
                .layout_no_wrap(w, font.clone(), Color32::WHITE)
                .size()
                .x
        })
        .fold(0.0_f32, f32::max);
    let value_width = value_width.max(widest.min(WIDEST_WORD) + 2.0);
    egui::Grid::new("appeal_fields")
        .striped(true)
        .num_columns(4)
        .max_col_width(value_width)
        .show(ui, |ui| {
            ui.strong("Поле");
            ui.strong("Госуслуги");
            ui.strong("СГО");
            ui.strong("Итог");
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
                // The verdict, why values that look the same differ (small), and what to do
                // about it, one under the other.
                ui.vertical(|ui| {
                    ui.spacing_mut().item_spacing.y = 1.0;
                    ui.colored_label(color, f.verdict.label_ru())
                        .on_hover_text(&f.message);
                    if let Some(hint) = f.kind.hint_ru().filter(|_| f.verdict != Verdict::Equal) {
                        ui.label(RichText::new(hint).small().color(color))
                            .on_hover_text(&f.message);
                    }
                    verdict_action(s, ui, id, o, f, act);
                });
                ui.end_row();
            }
        });
}

/// What can be done about one field, under its verdict: «Исправить», «вручную», or what
/// became of an earlier fix.
fn verdict_action(
    s: &Session,
    ui: &mut egui::Ui,
    id: AppealId,
    o: &Outcome,
    f: &sverka_core::session::FieldResult,
    act: &mut Option<AppealAct>,
) {
    match f.verdict {
        Verdict::Differs | Verdict::MissingInCard if f.is_fixable() => {
            let value = f.suggestion.clone().unwrap_or_default();
            if ui
                .add(egui::Button::new("Исправить").wrap_mode(egui::TextWrapMode::Extend))
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
        Verdict::Differs | Verdict::MissingInCard => {}
        // The verdict says «исправить вручную в СГО» already.
        Verdict::ProtectedDiffers => {}
        Verdict::Equal => {
            // Equal because of an edit no saved file holds yet: the file does not say so.
            if o.progress.fixed(f.field).is_some() {
                ui.label(RichText::new("исправлено").small());
            } else if s.book().edits().contains_key(&f.cell) && s.saved_in(f.cell).is_none() {
                ui.label(RichText::new("не сохранено").small().color(AMBER))
                    .on_hover_text("Значение исправлено в sverka; сохраните файл (Ctrl+S)");
            }
        }
    }
}

/// The widest a word makes a column of the fields grid (wider words wrap).
const WIDEST_WORD: f32 = 110.0;

/// The officer's steps, each always in its own place (unavailable ones greyed, with why on
/// hover): the import, the citizen's login, the reply draft, and — on a line of its own, at
/// the right — the step back. `elsewhere`: the stage belongs to another file, and no step is
/// taken against the open one.
fn stage_buttons(
    ui: &mut egui::Ui,
    o: &Outcome,
    login_blocked: Option<&str>,
    elsewhere: bool,
    act: &mut Option<AppealAct>,
) {
    let p = &o.progress;
    let can_login = login_blocked.is_none();
    let other_file = "Этап относится к другому файлу: откройте его (кнопка выше)";
    let why = |ok: bool, reason: String| {
        if elsewhere {
            other_file.to_string()
        } else if ok {
            String::new()
        } else {
            reason
        }
    };
    let step = |ui: &mut egui::Ui, text: &str, enabled: bool, hover: &str, disabled: &str| {
        let r = ui.add_enabled(enabled && !elsewhere, egui::Button::new(text));
        let r = r.on_hover_text(hover);
        let r = if disabled.is_empty() {
            r
        } else {
            r.on_disabled_hover_text(disabled)
        };
        r.clicked()
    };
    ui.horizontal(|ui| {
        let fixed = p.stage == Stage::FixedInFile;
        if step(
            ui,
            "Загружено в СГО",
            fixed,
            "Файл с исправлениями загружен в СГО («2. Обновление данных»)",
            &why(
                fixed,
                "Сначала сохраните исправленный файл с исправлениями этого обращения".into(),
            ),
        ) {
            *act = Some(AppealAct::Imported);
        }
        if ui.button("Как загрузить…").clicked() {
            *act = Some(AppealAct::HowToImport);
        }
    });
    ui.horizontal(|ui| {
        let not_yet = format!(
            "Повторять вход пока рано: {}",
            login_blocked.unwrap_or_default()
        );
        let ok = can_login && p.stage != Stage::LoginConfirmed;
        let already = |stage: Stage| (p.stage == stage).then(|| "Уже отмечено".to_string());
        if step(
            ui,
            "Вход подтверждён",
            ok,
            "Заявитель повторил вход через Госуслуги, и он удался",
            &why(
                ok,
                already(Stage::LoginConfirmed).unwrap_or_else(|| not_yet.clone()),
            ),
        ) {
            *act = Some(AppealAct::Login(true));
        }
        let ok = can_login && p.stage != Stage::LoginFails;
        if step(
            ui,
            "Ошибка сохраняется",
            ok,
            "Вход по-прежнему не удаётся: школа обращается в региональный методический отдел",
            &why(
                ok,
                already(Stage::LoginFails).unwrap_or_else(|| not_yet.clone()),
            ),
        ) {
            *act = Some(AppealAct::Login(false));
        }
    });
    ui.horizontal(|ui| {
        if ui.button("Черновик ответа для ПОС").clicked() {
            *act = Some(AppealAct::Reply);
        }
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            let back = !p.history.is_empty() && !elsewhere;
            if ui
                .add_enabled(back, egui::Button::new("Вернуть на шаг назад").small())
                .on_hover_text("Отменить последний отмеченный этап (щелчок по ошибке)")
                .on_disabled_hover_text(if elsewhere {
                    other_file
                } else {
                    "Возвращаться некуда: обращение ещё новое"
                })
                .clicked()
            {
                *act = Some(AppealAct::Back);
            }
        });
    });
}
