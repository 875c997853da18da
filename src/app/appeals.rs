//! The appeals panel: paste or load ПОС cards, the list with statuses, and for the selected
//! appeal a side-by-side card — field | Госуслуги | СГО | verdict — with fixes.

use eframe::egui::{self, Color32, RichText};

use super::{Dialog, SverkaApp};
use crate::matching::{Status, Verdict};

fn status_color(s: Status) -> Color32 {
    match s {
        Status::Matched => Color32::from_rgb(40, 150, 60),
        Status::Ambiguous => Color32::from_rgb(200, 140, 0),
        Status::NotFound => Color32::from_rgb(200, 50, 50),
    }
}

pub fn show(app: &mut SverkaApp, ui: &mut egui::Ui) {
    ui.heading("Обращения");
    let paste_label = ui.label("Вставьте карточку обращения из ПОС:");
    ui.add(
        egui::TextEdit::multiline(&mut app.paste)
            .desired_rows(3)
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
    let mut select = None;
    let mut remove = None;
    egui::ScrollArea::vertical()
        .id_salt("appeal_list")
        .max_height(170.0)
        .show(ui, |ui| {
            for (i, o) in s.outcomes.iter().enumerate() {
                ui.horizontal(|ui| {
                    let text = format!("{} — {}", o.appeal.title(), o.result.status.label_ru());
                    if ui
                        .selectable_label(app.selected_appeal == Some(i), text)
                        .clicked()
                    {
                        select = Some(i);
                    }
                    if ui
                        .small_button("убрать")
                        .on_hover_text("Убрать из списка")
                        .clicked()
                    {
                        remove = Some(i);
                    }
                });
            }
        });
    ui.separator();
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

fn card(app: &mut SverkaApp, ui: &mut egui::Ui) {
    let Some(index) = app.selected_appeal else {
        ui.label("Выберите обращение в списке.");
        return;
    };
    let Some(s) = &app.session else { return };
    let Some(o) = s.outcomes.get(index) else {
        return;
    };
    let mut fix_all = false;
    let mut fix_field = None;
    let mut choose = None;
    let mut reply = false;
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
            ui.colored_label(Color32::from_rgb(200, 140, 0), format!("Внимание: {w}"));
        }
        ui.colored_label(
            status_color(o.result.status),
            RichText::new(format!("Статус: {}", o.result.status.label_ru())).strong(),
        );
        match o.result.status {
            Status::Matched => {
                if let Some(p) = o.result.person.and_then(|i| s.analysis.schema.people.get(i)) {
                    ui.label(format!(
                        "{} ({}), совпадение {:.0}%",
                        s.analysis.schema.place_ru(p),
                        p.role.label_ru(),
                        o.result.score * 100.0
                    ));
                }
                if !o.result.also.is_empty() {
                    ui.label(format!(
                        "Этот же человек записан ещё в {} местах — исправления коснутся всех.",
                        o.result.also.len()
                    ));
                }
                egui::Grid::new("appeal_fields")
                    .striped(true)
                    .num_columns(5)
                    .max_col_width(150.0)
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
                                Verdict::Equal => Color32::from_rgb(40, 150, 60),
                                Verdict::ProtectedDiffers => Color32::from_rgb(120, 120, 120),
                                _ => Color32::from_rgb(200, 50, 50),
                            };
                            // Values that look the same side by side say why they differ,
                            // on a small second line so that the column stays narrow.
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
                                Verdict::Differs | Verdict::MissingInCard => {
                                    if ui
                                        .add(egui::Button::new("Исправить").wrap_mode(egui::TextWrapMode::Extend))
                                        .on_hover_text(format!(
                                            "Записать «{}»",
                                            f.suggestion.clone().unwrap_or_default()
                                        ))
                                        .clicked()
                                    {
                                        fix_field = Some(f.field);
                                    }
                                }
                                Verdict::ProtectedDiffers => {
                                    ui.label("вручную");
                                }
                                Verdict::Equal => {
                                    ui.label("");
                                }
                            }
                            ui.end_row();
                        }
                    });
                let fixable = o
                    .result
                    .fields
                    .iter()
                    .any(|f| matches!(f.verdict, Verdict::Differs | Verdict::MissingInCard));
                if ui
                    .add_enabled(fixable, egui::Button::new("Исправить всё"))
                    .clicked()
                {
                    fix_all = true;
                }
                let manual: Vec<&crate::matching::FieldResult> = o
                    .result
                    .fields
                    .iter()
                    .filter(|f| f.verdict == Verdict::ProtectedDiffers)
                    .collect();
                if !manual.is_empty() {
                    ui.add_space(6.0);
                    ui.label(RichText::new("Исправить вручную в СГО:").strong());
                    if let Some(p) = o.result.person.and_then(|i| s.analysis.schema.people.get(i)) {
                        for f in manual {
                            ui.label(format!(
                                "• {}",
                                crate::matching::manual_step(&s.analysis.schema, p, f)
                            ));
                        }
                    }
                }
            }
            Status::Ambiguous | Status::NotFound => {
                if o.result.status == Status::NotFound {
                    ui.label("Этого человека нет в выгрузке («Ошибка авторизации №1»): карточку нужно создать в СГО, или это обращение к другому классу.");
                } else {
                    ui.label("Подходят несколько человек — выберите нужного:");
                }
                if !o.result.candidates.is_empty() {
                    ui.label(RichText::new("Ближайшие карточки:").strong());
                }
                for c in &o.result.candidates {
                    if let Some(p) = s.analysis.schema.people.get(c.person) {
                        let grid = s.grids.get(p.sheet);
                        let name: Vec<String> = [
                            crate::field::Field::Surname,
                            crate::field::Field::Name,
                            crate::field::Field::Patronymic,
                        ]
                        .iter()
                        .filter_map(|f| grid.and_then(|g| crate::schema::cell_text(g, p.row, *p.cols.get(f)?)))
                        .collect();
                        ui.horizontal(|ui| {
                            ui.label(format!(
                                "{} — {} ({}), {:.0}%",
                                name.join(" "),
                                s.analysis.schema.place_ru(p),
                                p.role.label_ru(),
                                c.score * 100.0
                            ));
                            if ui.small_button("Это он(а)").clicked() {
                                choose = Some(c.person);
                            }
                        });
                    }
                }
            }
        }
        ui.add_space(8.0);
        if ui.button("Черновик ответа для ПОС").clicked() {
            reply = true;
        }
    });
    if fix_all {
        app.fix_appeal(index);
    }
    if let Some(field) = fix_field
        && let Some(s) = &mut app.session
    {
        match s.fix_appeal_field(index, field) {
            Ok(n) => app.say(format!("{}: исправлено ячеек: {n}.", field.label_ru())),
            Err(e) => app.complain(e.to_string()),
        }
    }
    if let Some(p) = choose
        && let Some(s) = &mut app.session
    {
        s.choose_candidate(index, p);
        app.select_appeal(index);
    }
    if reply && let Some(o) = app.session.as_ref().and_then(|s| s.outcomes.get(index)) {
        app.dialog = Some(Dialog::Reply {
            text: crate::report::draft_reply(o),
        });
    }
}
