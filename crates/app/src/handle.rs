//! Carrying out what the officer asked for ([`Action`]), in one place.

use super::action::Action;
use super::{Dialog, SverkaApp};
use sverka_core::session::{AppealId, Kind};

impl SverkaApp {
    /// Carries out what the officer asked for.
    pub fn handle(&mut self, action: Action) {
        match action {
            Action::ChooseExport => self.choose_export(),
            Action::ChooseAppeals => self.choose_appeals(),
            Action::Paste(text) => self.paste_appeals(&text),
            Action::OpenPaths(paths) => self.open_paths(paths),
            Action::AskSave => {
                if self.workspace.editing.is_some() {
                    self.commit_edit();
                }
                self.ask_save();
            }
            Action::AskReport => {
                if self.workspace.session.is_some() {
                    self.dialog = Some(Dialog::Report {
                        path: self.default_report_path(),
                        error: None,
                    });
                }
            }
            Action::ShowMapping => {
                if let Some(s) = &self.workspace.session {
                    self.dialog = Some(Dialog::mapping(s, self.workspace.sheet));
                }
            }
            Action::ShowSettings => self.show_settings = true,
            Action::ShowHelp => self.show_help = true,
            Action::Undo => self.undo(),
            Action::Redo => self.redo(),
            Action::Find => self.workspace.focus_search = true,
            Action::FirstFound => self.first_found(),
            Action::ShowRegister => self.register.show(),
            Action::NextProblem => self.next_problem(),
            Action::GoTo(cell) => self.go_to(cell),
            Action::FixAllOfKind(kind) => self.fix_all_of_kind(kind),
            Action::SelectAppeal(id) => {
                // (From «Вручную в СГО» with the appeals panel closed: the card is shown.)
                self.show_appeals = true;
                self.select_appeal(id);
            }
            Action::RemoveAppeal(id) => self.remove_appeal(id),
            Action::Appeal(id, act) => super::appeals::run(self, id, act),
        }
    }

    /// Carries out every action of a frame, in order.
    pub(super) fn handle_all(&mut self, actions: Vec<Action>) {
        for a in actions {
            self.handle(a);
        }
    }

    /// «Исправить все такие»: one undoable step, and what it left out.
    fn fix_all_of_kind(&mut self, kind: Kind) {
        let Some(s) = &mut self.workspace.session else {
            return;
        };
        let left = s.bulk_plan(kind).left_out_ru();
        match s.fix_all_of_kind(kind) {
            Ok(n) => self.say(format!(
                "«{}»: исправлено ячеек: {n} (Ctrl+Z — отменить).{}",
                kind.label_ru(),
                left.map(|l| format!(" {l}")).unwrap_or_default()
            )),
            Err(e) => self.complain(e.to_string()),
        }
    }

    /// Takes an appeal off the list (Ctrl+Z puts it back); the others keep their card.
    fn remove_appeal(&mut self, id: AppealId) {
        let Some(s) = &mut self.workspace.session else {
            return;
        };
        if s.remove_appeal(id) {
            self.say("Обращение убрано из списка (Ctrl+Z — вернуть).");
        }
        if self.workspace.selected_appeal == Some(id) {
            self.workspace.selected_appeal = None;
        }
    }
}
