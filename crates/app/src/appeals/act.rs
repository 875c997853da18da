//! What the buttons of an appeal's card do: fixes, marks of the procedure's steps, and the
//! dialogs they open (the reply, choosing a person, confirming a field, importing).

use crate::action::AppealAct;
use crate::{Dialog, SverkaApp};
use sverka_core::session::AppealId;

/// Does what the officer clicked in the card of an appeal.
pub(crate) fn run(app: &mut SverkaApp, appeal: AppealId, act: AppealAct) {
    match act {
        AppealAct::FixAll => app.fix_appeal(appeal),
        AppealAct::Fix(field) => {
            let Some(s) = &mut app.workspace.session else {
                return;
            };
            match s.fix_appeal_field(appeal, field) {
                Ok(n) => app.say(format!(
                    "{}: исправлено ячеек: {n} (Ctrl+Z — отменить).",
                    field.label_ru()
                )),
                Err(e) => app.complain(e.to_string()),
            }
        }
        AppealAct::Confirm(field, value) => {
            let who = who_of(app, appeal);
            app.dialog = Some(Dialog::ConfirmField {
                appeal,
                field,
                value,
                who,
            });
        }
        AppealAct::Choose(person) => {
            let Some(s) = &app.workspace.session else {
                return;
            };
            let Some(check) = s.check_choice(appeal, person) else {
                return;
            };
            let who = s
                .person_cell(person)
                .map(|c| s.place_of(c))
                .unwrap_or_default();
            app.dialog = Some(Dialog::Choose { appeal, check, who });
        }
        AppealAct::Reply => {
            if let Some(d) = app
                .workspace
                .session
                .as_ref()
                .and_then(|s| s.reply_draft(appeal))
            {
                app.dialog = Some(Dialog::Reply {
                    appeal,
                    text: d.text,
                    note: d.note,
                });
            }
        }
        AppealAct::ByHand => {
            if let Some(s) = &mut app.workspace.session {
                s.mark_fixed_by_hand(appeal);
                let said = s.after_by_hand_ru(appeal);
                app.say(said);
            }
        }
        AppealAct::Imported => {
            let Some(s) = &mut app.workspace.session else {
                return;
            };
            let file = s.appeal(appeal).and_then(|o| o.progress.saved_to.clone());
            if let Some(file) = file {
                let n = s.mark_imported(std::path::Path::new(&file));
                let said = s.after_import_ru(std::path::Path::new(&file), n);
                app.say(said);
            }
        }
        AppealAct::HowToImport => {
            let Some(s) = &app.workspace.session else {
                return;
            };
            let Some(file) = s.appeal(appeal).and_then(|o| o.progress.saved_to.clone()) else {
                return;
            };
            let (steps, appeals) = s.import_steps(std::path::Path::new(&file));
            app.dialog = Some(Dialog::Import {
                steps,
                appeals,
                errors_left: 0,
            });
        }
        AppealAct::Login(ok) => {
            let Some(s) = &mut app.workspace.session else {
                return;
            };
            match s.mark_login(appeal, ok) {
                Ok(()) if ok => app.say("Отмечено: вход подтверждён. Ответьте в ПОС «оказано содействие» (черновик ответа — ниже)."),
                Ok(()) => app.say("Отмечено: ошибка сохраняется. По инструкции школа обращается в региональный методический отдел; телефон координатора заявителю не сообщайте."),
                Err(e) => app.complain(e.to_string()),
            }
        }
        AppealAct::GoTo(cell) => app.go_to(cell),
        AppealAct::Back => {
            if let Some(s) = &mut app.workspace.session
                && let Err(e) = s.step_back(appeal)
            {
                app.complain(e.to_string());
            }
        }
    }
}

fn who_of(app: &SverkaApp, appeal: AppealId) -> String {
    let Some(s) = &app.workspace.session else {
        return String::new();
    };
    s.appeal(appeal)
        .and_then(|o| o.result.person)
        .and_then(|p| s.person_cell(p))
        .map(|c| s.place_of(c))
        .unwrap_or_default()
}
