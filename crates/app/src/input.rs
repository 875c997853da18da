//! What the window receives besides clicks on its widgets: keyboard shortcuts, pasted appeal
//! cards, dropped files (and the hint while they hover) and the request to close.

use std::path::PathBuf;

use eframe::egui;

use super::{Dialog, SverkaApp, dialogs};
use crate::action::Action;
use sverka_core::session::Session;

impl SverkaApp {
    /// The keyboard shortcuts (not while a dialog is open), a paste outside text fields,
    /// and files dropped on the window, as actions.
    pub(super) fn shortcuts(&self, ctx: &egui::Context) -> Vec<Action> {
        use egui::{Key, Modifiers};
        let mut acts = Vec::new();
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .collect()
        });
        if !dropped.is_empty() {
            acts.push(Action::OpenPaths(dropped));
        }
        if self.dialog.is_some() {
            return acts;
        }
        let text_focus = ctx.memory(|m| m.focused().is_some()) && self.workspace.editing.is_none();
        let register = ctx.input_mut(|i| i.consume_key(Modifiers::COMMAND, Key::R));
        if register {
            acts.push(Action::ShowRegister);
        }
        let (undo, redo, save, find, f8, open) = ctx.input_mut(|i| {
            (
                i.consume_key(Modifiers::COMMAND, Key::Z),
                i.consume_key(Modifiers::COMMAND, Key::Y)
                    || i.consume_key(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z),
                i.consume_key(Modifiers::COMMAND, Key::S),
                i.consume_key(Modifiers::COMMAND, Key::F),
                i.consume_key(Modifiers::NONE, Key::F8),
                i.consume_key(Modifiers::COMMAND, Key::O),
            )
        });
        let keys = [
            (undo && !text_focus, Action::Undo),
            (redo && !text_focus, Action::Redo),
            (save, Action::AskSave),
            (find, Action::Find),
            (f8, Action::NextProblem),
            (open, Action::ChooseExport),
        ];
        acts.extend(
            keys.into_iter()
                .filter(|(pressed, _)| *pressed)
                .map(|(_, a)| a),
        );
        // A paste outside text fields is an appeal card.
        if !text_focus && self.workspace.editing.is_none() {
            let pasted: Option<String> = ctx.input(|i| {
                i.events.iter().find_map(|e| match e {
                    egui::Event::Paste(t) => Some(t.clone()),
                    _ => None,
                })
            });
            acts.extend(pasted.map(Action::Paste));
        }
        acts
    }

    /// Esc closes the windows the officer reads (the register, the guide, the settings),
    /// the last opened first — unless a dialog or a text field has the key (the search,
    /// an inline edit: there Esc means something else).
    pub(super) fn escape_closes_windows(&mut self, ctx: &egui::Context) {
        let open = self.register.open || self.show_help || self.show_settings;
        if !open || self.dialog.is_some() || self.workspace.editing.is_some() {
            return;
        }
        if ctx.memory(|m| m.focused().is_some()) {
            return;
        }
        if ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Escape)) {
            if self.register.open {
                self.register.open = false;
            } else if self.show_help {
                self.show_help = false;
            } else {
                self.show_settings = false;
            }
        }
    }

    /// The window asked to close: waits for a worker, asks about unsaved edits.
    pub(super) fn handle_close(&mut self, ctx: &egui::Context) {
        let wants_close = ctx.input(|i| i.viewport().close_requested());
        if wants_close && self.job.is_some() {
            // A save half done would leave nothing broken (the target is replaced only at the
            // end), but the officer would lose it: finish first.
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            let what = self
                .job
                .as_ref()
                .map(|j| j.what.clone())
                .unwrap_or_default();
            self.complain(format!("Окно закроется после окончания работы: {what}."));
            self.close_after_job = true;
            return;
        }
        if wants_close
            && !self.close_confirmed
            && self
                .workspace
                .session
                .as_ref()
                .is_some_and(Session::is_dirty)
        {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.dialog = Some(Dialog::Unsaved {
                then: dialogs::After::Quit,
            });
        }
    }
}

/// While files are dragged over the window, say what dropping them does.
pub(super) fn drop_hint(ctx: &egui::Context) {
    let hovering = ctx.input(|i| !i.raw.hovered_files.is_empty());
    if !hovering {
        return;
    }
    let screen = ctx.content_rect();
    let painter = ctx.layer_painter(egui::LayerId::new(
        egui::Order::Foreground,
        egui::Id::unique("drop_hint"),
    ));
    painter.rect_filled(screen, 0.0, egui::Color32::from_black_alpha(160));
    painter.text(
        screen.center(),
        egui::Align2::CENTER_CENTER,
        "Отпустите: выгрузка (.xls) откроется, обращения (.txt, .json, .csv) добавятся",
        egui::FontId::proportional(20.0),
        egui::Color32::WHITE,
    );
}
