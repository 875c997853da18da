//! The appeals panel: paste or load ПОС cards, the list with statuses and stages (counted and
//! filtered), and for the selected appeal a side-by-side card — field | Госуслуги | СГО |
//! verdict — with fixes, the steps of the procedure the officer has taken, and the reply draft.

use eframe::egui::{self, Color32, RichText};

use super::{Dialog, SverkaApp};
use crate::engine::field::Field;
use crate::engine::matching::{Status, Verdict};
use crate::engine::progress::Stage;
use crate::engine::reconcile::Outcome;

const GREEN: Color32 = Color32::from_rgb(40, 150, 60);
const AMBER: Color32 = Color32::from_rgb(200, 140, 0);
const RED: Color32 = Color32::from_rgb(200, 50, 50);

/// Which appeals the list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ListFilter {
    #[default]
    All,
    NotFound,
    Ambiguous,
    Stage(Stage),
}

impl ListFilter {
    fn label(self) -> &'static str {
        match self {
            ListFilter::All => "все",
            ListFilter::NotFound => "не найден",
            ListFilter::Ambiguous => "несколько кандидатов",
            ListFilter::Stage(s) => s.label_ru(),
        }
    }

    fn keeps(self, o: &Outcome) -> bool {
        match self {
            ListFilter::All => true,
            ListFilter::NotFound => {
                o.result.status == Status::NotFound && o.progress.choice.is_none()
            }
            ListFilter::Ambiguous => {
                o.result.status == Status::Ambiguous && o.progress.choice.is_none()
            }
            ListFilter::Stage(s) => o.progress.stage == s,
        }
    }
}

/// The appeal's status as the officer reads it: a hand-made choice is never «найден».
pub fn status_text(o: &Outcome) -> (&'static str, Color32) {
    if o.progress.choice.is_some() {
        return ("выбран вручную", AMBER);
    }
    let color = match o.result.status {
        Status::Matched => GREEN,
        Status::Ambiguous => AMBER,
        Status::NotFound => RED,
    };
    (o.result.status.label_ru(), color)
}

pub fn show(app: &mut SverkaApp, ui: &mut egui::Ui) {
    ui.heading("Обращения");
    let paste_label = ui.label("Вставьте карточку обращения из ПОС:");
    ui.add(
        egui::TextEdit::multiline(&mut app.paste)
            .desired_rows(2)
            .desired_width(f32::INFINITY)
            .hint_text("Фамилия … Имя … Дата рождения … СНИЛС …"),
    )
    .labelled_by(paste_label.id);
    ui.horizontal(|ui| {
        if ui
            .add_enabled(
                !app.paste.trim().is_empty(),
                egui::Button::new("Добавить обращение"),
            )
            .clicked()
        {
            let text = app.paste.clone();
            app.paste_appeals(&text);
        }
        if ui.button("Из файлов…").clicked() {
            app.choose_appeals();
        }
    });
    ui.separator();

    let Some(s) = &app.session else { return };
    if s.outcomes.is_empty() {
        ui.label("Обращений пока нет. Вставьте текст карточки, перетащите файлы или нажмите «Из файлов…».");
        return;
    }
    // Counts by status and stage; a click filters the list.
    let mut filters = vec![ListFilter::All, ListFilter::NotFound, ListFilter::Ambiguous];
    filters.extend(Stage::ALL.map(ListFilter::Stage));
    let mut set_filter = None;
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing.x = 4.0;
        for f in filters {
            let n = s.outcomes.iter().filter(|o| f.keeps(o)).count();
            if n == 0 && f != ListFilter::All && f != app.appeal_filter {
                continue;
            }
            if ui
                .selectable_label(app.appeal_filter == f, format!("{}: {n}", f.label()))
                .on_hover_text("Показать только эти обращения")
                .clicked()
            {
                set_filter = Some(f);
            }
        }
    });
    let mut select = None;
    let mut remove = None;
    egui::ScrollArea::vertical()
        .id_salt("appeal_list")
        .max_height(150.0)
        .show(ui, |ui| {
            for (i, o) in s.outcomes.iter().enumerate() {
                if !app.appeal_filter.keeps(o) {
                    continue;
                }
                ui.horizontal(|ui| {
                    let (status, color) = status_text(o);
                    if ui
                        .small_button("×")
                        .on_hover_text("Убрать из списка")
                        .clicked()
                    {
                        remove = Some(i);
                    }
                    ui.colored_label(color, "•").on_hover_text(status);
                    let text = format!(
                        "{} — {status}, {}",
                        o.appeal.title(),
                        o.progress.stage.label_ru()
                    );
                    // Long names are cut to the panel's width (the whole title is on hover)
                    // so that the panel does not push the grid aside.
                    if ui
                        .add(
                            egui::Button::selectable(app.selected_appeal == Some(i), text.as_str())
                                .truncate(),
                        )
                        .on_hover_text(&text)
                        .clicked()
                    {
                        select = Some(i);
                    }
                });
            }
        });
    ui.separator();
    if let Some(f) = set_filter {
        app.appeal_filter = f;
    }
    if let Some(i) = select {
        app.select_appeal(i);
    }
    if let Some(i) = remove {
        if let Some(s) = &mut app.session {
            s.remove_appeal(i);
        }
        app.selected_appeal = None;
        return;
    }
    card(app, ui);
}

/// What the officer clicked in the card.
enum Act {
    FixAll,
    Fix(Field),
    Confirm(Field, String),
    Choose(usize),
    Reply,
    ByHand,
    Imported,
    HowToImport,
    Login(bool),
    Back,
    GoTo(usize, u32, u32),
}

fn card(app: &mut SverkaApp, ui: &mut egui::Ui) {
    let Some(index) = app.selected_appeal else {
        ui.label("Выберите обращение в списке.");
        return;
    };
    let help = help_for(app, index);
    let Some(s) = &app.session else { return };
    let Some(o) = s.outcomes.get(index) else {
        return;
    };
    let mut act = None;
    egui::ScrollArea::vertical().id_salt("appeal_card").show(ui, |ui| {
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
            ui.label(RichText::new(format!("· этап: {}", o.progress.stage.label_ru())).strong());
        });
        if let Some(text) = message_text(o) {
            egui::CollapsingHeader::new("Текст обращения")
                .id_salt(("appeal_message", index))
                .default_open(o.result.status != Status::Matched)
                .show(ui, |ui| {
                    ui.label(RichText::new(text).italics());
                });
        }
        if let Some(help) = &help {
            help_section(s, ui, help, &mut act);
        }
        let chosen = o.progress.choice.as_ref();
        if o.result.status == Status::Matched {
            if let Some(p) = o.result.person.and_then(|i| s.analysis.schema.people.get(i)) {
                let place = s.analysis.schema.place_ru(p);
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
            fields_grid(app, ui, index, o, &mut act);
            let fixable = s.can_fix_appeal(index);
            let blocked = s.needs_confirmation(index, None);
            let r = ui.add_enabled(fixable && !blocked, egui::Button::new("Исправить всё"));
            let r = if blocked {
                r.on_disabled_hover_text(
                    "Человек выбран вручную и, похоже, это другой человек: подтверждайте каждое поле отдельно",
                )
            } else {
                r
            };
            if r.clicked() {
                act = Some(Act::FixAll);
            }
            let manual: Vec<&crate::engine::matching::FieldResult> = o
                .result
                .fields
                .iter()
                .filter(|f| f.verdict == Verdict::ProtectedDiffers)
                .collect();
            if !manual.is_empty() {
                ui.add_space(6.0);
                ui.label(RichText::new("Исправить вручную в СГО:").strong());
                if let Some(p) = o.result.person.and_then(|i| s.analysis.schema.people.get(i)) {
                    for f in &manual {
                        ui.label(format!(
                            "• {}",
                            crate::engine::matching::manual_step(&s.analysis.schema, p, f)
                        ));
                    }
                }
                if ui
                    .button("Исправлено в СГО вручную")
                    .on_hover_text("Отметьте, когда эти поля исправлены в карточке в СГО")
                    .clicked()
                {
                    act = Some(Act::ByHand);
                }
            }
        } else {
            if o.result.status == Status::NotFound {
                ui.label("Этого человека нет в выгрузке («Ошибка авторизации №1»). Прежде чем создавать карточку в СГО, проверьте, нет ли его в других классах: если СГО отвечает, что такой человек уже есть, выберите существующего — не создавайте вторую учётную запись.");
            } else {
                ui.label("Подходят несколько человек — выберите нужного:");
            }
            if !o.result.candidates.is_empty() {
                ui.label(RichText::new("Ближайшие карточки:").strong());
            }
            for c in &o.result.candidates {
                if let Some(p) = s.analysis.schema.people.get(c.person) {
                    let who = s
                        .person_at(p.sheet, p.row, p.cols.values().next().copied().unwrap_or(0))
                        .unwrap_or_default();
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
                            act = Some(Act::Choose(c.person));
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
                    act = Some(Act::ByHand);
                }
            }
        }
        ui.add_space(6.0);
        stage_buttons(ui, o, s.login_allowed(index), &mut act);
        ui.add_space(4.0);
        if ui.button("Черновик ответа для ПОС").clicked() {
            act = Some(Act::Reply);
        }
    });
    if let Some(a) = act {
        run(app, index, a);
    }
}

/// The «Текст сообщения» of the appeal.
fn message_text(o: &Outcome) -> Option<String> {
    o.appeal.message().map(str::to_string)
}

/// The child the message names and the cards near a person not found, computed when the
/// selection or the book changes (the search of every card is too slow for every frame).
fn help_for(app: &mut SverkaApp, index: usize) -> Option<crate::engine::lookup::AppealHelp> {
    let s = app.session.as_ref()?;
    let key = (index, s.version(), s.outcomes.len());
    if let Some((k, help)) = &app.appeal_help
        && *k == key
    {
        return Some(help.clone());
    }
    let help = s.appeal_help(index)?;
    app.appeal_help = Some((key, help.clone()));
    Some(help)
}

/// The child from the message, and the near cards with what they share.
fn help_section(
    s: &crate::session::Session,
    ui: &mut egui::Ui,
    help: &crate::engine::lookup::AppealHelp,
    act: &mut Option<Act>,
) {
    let place = |p: &crate::engine::lookup::Place| {
        let col = s
            .analysis
            .schema
            .people
            .get(p.person)
            .and_then(|x| x.cols.values().next().copied())
            .unwrap_or(0);
        (s.place_of(p.sheet, p.row, col), col)
    };
    if let Some(child) = &help.child {
        let (text, col) = place(child);
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new("Ребёнок из обращения:").strong());
            ui.label(text);
            if ui.small_button("Показать").clicked() {
                *act = Some(Act::GoTo(child.sheet, child.row, col));
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
        let (text, col) = place(&n.place);
        let agree: Vec<String> = n.agree.iter().map(|f| f.word_ru()).collect();
        ui.horizontal_wrapped(|ui| {
            ui.label(format!("• {text}: совпадают {}", agree.join(", ")));
            if ui.small_button("Показать").clicked() {
                *act = Some(Act::GoTo(n.place.sheet, n.place.row, col));
            }
        });
    }
}

fn fields_grid(
    app: &SverkaApp,
    ui: &mut egui::Ui,
    index: usize,
    o: &Outcome,
    act: &mut Option<Act>,
) {
    let Some(s) = &app.session else { return };
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
                            *act = Some(if s.needs_confirmation(index, Some(f.field)) {
                                Act::Confirm(f.field, value)
                            } else {
                                Act::Fix(f.field)
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
                        } else if s.is_dirty() && s.book.edits().contains_key(&f.cell) {
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
fn stage_buttons(ui: &mut egui::Ui, o: &Outcome, can_login: bool, act: &mut Option<Act>) {
    let p = &o.progress;
    ui.horizontal_wrapped(|ui| {
        if p.stage == Stage::FixedInFile {
            if ui
                .button("Загружено в СГО")
                .on_hover_text("Файл с исправлениями загружен в СГО («2. Обновление данных»)")
                .clicked()
            {
                *act = Some(Act::Imported);
            }
            if ui.button("Как загрузить…").clicked() {
                *act = Some(Act::HowToImport);
            }
        }
        if can_login {
            if p.stage != Stage::LoginConfirmed
                && ui
                    .button("Вход подтверждён")
                    .on_hover_text("Заявитель повторил вход через Госуслуги, и он удался")
                    .clicked()
            {
                *act = Some(Act::Login(true));
            }
            if p.stage != Stage::LoginFails
                && ui
                    .button("Ошибка сохраняется")
                    .on_hover_text("Вход по-прежнему не удаётся: школа обращается в региональный методический отдел")
                    .clicked()
            {
                *act = Some(Act::Login(false));
            }
        }
        if !p.history.is_empty() && ui.button("Вернуть на шаг назад").clicked() {
            *act = Some(Act::Back);
        }
    });
}

fn run(app: &mut SverkaApp, index: usize, act: Act) {
    match act {
        Act::FixAll => app.fix_appeal(index),
        Act::Fix(field) => {
            let Some(s) = &mut app.session else { return };
            match s.fix_appeal_field(index, field) {
                Ok(n) => app.say(format!(
                    "{}: исправлено ячеек: {n} (Ctrl+Z — отменить).",
                    field.label_ru()
                )),
                Err(e) => app.complain(e.to_string()),
            }
        }
        Act::Confirm(field, value) => {
            let who = who_of(app, index);
            app.dialog = Some(Dialog::ConfirmField {
                index,
                field,
                value,
                who,
            });
        }
        Act::Choose(person) => {
            let Some(s) = &app.session else { return };
            let Some(check) = s.check_choice(index, person) else {
                return;
            };
            let who = s
                .analysis
                .schema
                .people
                .get(person)
                .map(|p| {
                    let col = p.cols.values().next().copied().unwrap_or(0);
                    s.place_of(p.sheet, p.row, col)
                })
                .unwrap_or_default();
            app.dialog = Some(Dialog::Choose { index, check, who });
        }
        Act::Reply => {
            if let Some(o) = app.session.as_ref().and_then(|s| s.outcomes.get(index)) {
                let d = crate::engine::reply::draft_for(o);
                app.dialog = Some(Dialog::Reply {
                    text: d.text,
                    note: d.note,
                });
            }
        }
        Act::ByHand => {
            if let Some(s) = &mut app.session {
                s.mark_fixed_by_hand(index);
            }
            app.say("Отмечено: исправлено в СГО вручную. Попросите заявителя повторить вход через Госуслуги.");
        }
        Act::Imported => {
            let Some(s) = &mut app.session else { return };
            let file = s
                .outcomes
                .get(index)
                .and_then(|o| o.progress.saved_to.clone());
            if let Some(file) = file {
                let n = s.mark_imported(std::path::Path::new(&file));
                app.say(format!(
                    "Отмечено «загружено в СГО» для обращений этого файла: {n}. Попросите заявителей повторить вход через Госуслуги."
                ));
            }
        }
        Act::HowToImport => {
            let Some(s) = &app.session else { return };
            let Some(file) = s
                .outcomes
                .get(index)
                .and_then(|o| o.progress.saved_to.clone())
            else {
                return;
            };
            let file = std::path::PathBuf::from(file);
            let appeals = s
                .outcomes
                .iter()
                .filter(|o| {
                    o.progress.stage == Stage::FixedInFile
                        && o.progress.saved_to.as_deref() == Some(file.to_string_lossy().as_ref())
                })
                .count();
            let steps =
                crate::engine::import_steps::steps(&s.grids, &s.analysis.schema, &file, appeals);
            app.dialog = Some(Dialog::Import {
                steps,
                appeals,
                errors_left: 0,
            });
        }
        Act::Login(ok) => {
            let Some(s) = &mut app.session else { return };
            match s.mark_login(index, ok) {
                Ok(()) if ok => app.say("Отмечено: вход подтверждён. Ответьте в ПОС «оказано содействие» (черновик ответа — ниже)."),
                Ok(()) => app.say("Отмечено: ошибка сохраняется. По инструкции школа обращается в региональный методический отдел; телефон координатора заявителю не сообщайте."),
                Err(e) => app.complain(e.to_string()),
            }
        }
        Act::GoTo(sheet, row, col) => app.go_to(sheet, row, col),
        Act::Back => {
            if let Some(s) = &mut app.session
                && let Err(e) = s.step_back(index)
            {
                app.complain(e.to_string());
            }
        }
    }
}

fn who_of(app: &SverkaApp, index: usize) -> String {
    let Some(s) = &app.session else {
        return String::new();
    };
    s.outcomes
        .get(index)
        .and_then(|o| o.result.person)
        .and_then(|i| s.analysis.schema.people.get(i))
        .map(|p| {
            let col = p.cols.values().next().copied().unwrap_or(0);
            s.place_of(p.sheet, p.row, col)
        })
        .unwrap_or_default()
}
