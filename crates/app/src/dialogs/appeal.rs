//! The dialogs about one appeal: the draft reply for ПОС, choosing its person by hand, and
//! confirming a field written into the card of a person who looks like someone else.

use eframe::egui::{self, RichText};

use super::{Dialog, button_row};
use crate::SverkaApp;
use sverka_core::session::Field;
use sverka_core::session::{AppealId, ChoiceCheck};

/// The draft reply for ПОС, to correct and copy.
pub(super) fn reply(
    app: &mut SverkaApp,
    ctx: &egui::Context,
    modal: egui::Modal,
    appeal: AppealId,
    mut text: String,
    note: String,
) -> Option<Dialog> {
    let mut keep = true;
    let mut next: Option<Dialog> = None;
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
            // The register keeps the reply as it went to ПОС.
            if let Some(s) = &mut app.workspace.session {
                s.note_reply(appeal, &text);
            }
            app.say("Текст ответа скопирован; он записан в реестр обращений.");
            keep = false;
        }
        2 => keep = false,
        _ => {}
    }
    if r.should_close() {
        keep = false;
    }
    if keep {
        next = Some(Dialog::Reply { appeal, text, note });
    }
    next
}

/// Confirming a person chosen by hand for an appeal, with what disagrees.
pub(super) fn choose(
    app: &mut SverkaApp,
    ctx: &egui::Context,
    modal: egui::Modal,
    appeal: AppealId,
    check: ChoiceCheck,
    who: String,
) -> Option<Dialog> {
    let mut keep = true;
    let mut next: Option<Dialog> = None;
    let title = app
        .workspace
        .session
        .as_ref()
        .and_then(|s| s.appeal(appeal))
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
            if let Some(s) = &mut app.workspace.session {
                s.choose_candidate(appeal, check.person);
            }
            app.select_appeal(appeal);
            app.say("Человек выбран вручную (Ctrl+Z — отменить выбор).");
        }
        2 => keep = false,
        _ => {}
    }
    if r.should_close() {
        keep = false;
    }
    if keep {
        next = Some(Dialog::Choose { appeal, check, who });
    }
    next
}

/// Confirming one field of an appeal whose person looks like someone else.
pub(super) fn confirm_field(
    app: &mut SverkaApp,
    ctx: &egui::Context,
    modal: egui::Modal,
    appeal: AppealId,
    field: Field,
    value: String,
    who: String,
) -> Option<Dialog> {
    let mut keep = true;
    let mut next: Option<Dialog> = None;
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
            if let Some(s) = &mut app.workspace.session {
                s.confirm_field(appeal, field);
                match s.fix_appeal_field(appeal, field) {
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
            appeal,
            field,
            value,
            who,
        });
    }
    next
}
