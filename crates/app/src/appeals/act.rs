//! What the buttons of an appeal's card do: fixes, marks of the procedure's steps, and the
//! dialogs they open (the reply, choosing a person, confirming a field, importing).

use crate::{Dialog, SverkaApp};
use sverka_core::session::{AppealId, Field, PersonId};

/// What the officer clicked in the card.
pub(super) enum Act {
    FixAll,
    Fix(Field),
    Confirm(Field, String),
    Choose(PersonId),
    Reply,
    ByHand,
    Imported,
    HowToImport,
    Login(bool),
    Back,
    GoTo(sverka_core::book::CellRef),
}

/// Does what the officer clicked in the card of an appeal.
pub(super) fn run(app: &mut SverkaApp, appeal: AppealId, act: Act) {
    match act {
        Act::FixAll => app.fix_appeal(appeal),
        Act::Fix(field) => {
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
        Act::Confirm(field, value) => {
            let who = who_of(app, appeal);
            app.dialog = Some(Dialog::ConfirmField {
                appeal,
                field,
                value,
                who,
            });
        }
        Act::Choose(person) => {
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
        Act::Reply => {
            if let Some(d) = app
                .workspace
                .session
                .as_ref()
                .and_then(|s| s.reply_draft(appeal))
            {
                app.dialog = Some(Dialog::Reply {
                    text: d.text,
                    note: d.note,
                });
            }
        }
        Act::ByHand => {
            if let Some(s) = &mut app.workspace.session {
                s.mark_fixed_by_hand(appeal);
            }
            app.say("Отмечено: исправлено в СГО вручную. Попросите заявителя повторить вход через Госуслуги.");
        }
        Act::Imported => {
            let Some(s) = &mut app.workspace.session else {
                return;
            };
            let file = s.appeal(appeal).and_then(|o| o.progress.saved_to.clone());
            if let Some(file) = file {
                let n = s.mark_imported(std::path::Path::new(&file));
                app.say(format!(
                    "Отмечено «загружено в СГО» для обращений этого файла: {n}. Попросите заявителей повторить вход через Госуслуги."
                ));
            }
        }
        Act::HowToImport => {
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
        Act::Login(ok) => {
            let Some(s) = &mut app.workspace.session else {
                return;
            };
            match s.mark_login(appeal, ok) {
                Ok(()) if ok => app.say("Отмечено: вход подтверждён. Ответьте в ПОС «оказано содействие» (черновик ответа — ниже)."),
                Ok(()) => app.say("Отмечено: ошибка сохраняется. По инструкции школа обращается в региональный методический отдел; телефон координатора заявителю не сообщайте."),
                Err(e) => app.complain(e.to_string()),
            }
        }
        Act::GoTo(cell) => app.go_to(cell),
        Act::Back => {
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
