//! The desktop app (eframe/egui), crate `sverka-app`. It renders the [`Session`] of
//! `sverka-core` and sends it commands; every rule lives in the core, which the app reaches
//! only through the session. One file per panel: [`grid`], [`appeals`], [`problems`],
//! [`dialogs`]; the window's bars and windows in [`chrome`], the start screen in [`start`].
//! Everything tied to the open export is the [`Workspace`]; what the officer asks for is an
//! [`Action`], carried out in [`handle`]. What the app does is in one file per job: [`open`]
//! (exports), [`intake`] (appeals), [`commands`] (selection, edits, undo), [`save`], [`jobs`]
//! (long work, on a worker for a large book), [`input`] (shortcuts, drops, closing) and
//! [`demo`].

#![warn(missing_docs)]
#![cfg_attr(
    not(test),
    deny(clippy::indexing_slicing, clippy::unwrap_used, clippy::expect_used)
)]

mod action;
mod appeals;
mod chrome;
mod commands;
mod demo;
mod dialogs;
pub mod error;
pub mod graphics;
mod grid;
mod guide;
mod handle;
mod input;
mod intake;
mod jobs;
mod open;
mod problems;
mod register;
mod save;
mod start;
mod workspace;

use std::path::{Path, PathBuf};

use eframe::egui;

use sverka_core::book::CellRef;
use sverka_core::session::Profile;
use sverka_core::session::ProfileStore;
use sverka_core::session::Session;
use sverka_core::session::file_name;

pub use action::{Action, AppealAct};
pub use appeals::ListFilter;
pub use chrome::{Settings, Theme};
pub use demo::{DEMO_APPEALS, DEMO_EXPORT};
pub use dialogs::Dialog;
pub use workspace::Workspace;

/// Files larger than this are opened, matched and saved on a worker thread (with a progress
/// indicator in the status bar); smaller ones take a few milliseconds and run at once.
const BACKGROUND_BYTES: u64 = 2 * 1024 * 1024;
const RECENT_KEY: &str = "sverka_recent";
const SETTINGS_KEY: &str = "sverka_settings";

/// A message in the status bar.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusLine {
    /// The message itself.
    pub text: String,
    /// Whether it reports a failure (shown in the error colour).
    pub error: bool,
}

/// The cell being edited inline.
#[derive(Debug, Clone, PartialEq)]
pub struct Editing {
    /// The cell being edited.
    pub cell: CellRef,
    /// The text in the editor, written to the cell when the editor loses focus (Escape drops it).
    pub buffer: String,
    /// The editor has already asked for keyboard focus (it does so once, on its first frame).
    pub focus_requested: bool,
}

/// The application state.
pub struct SverkaApp {
    /// Everything tied to the open export (its session, the sheet shown, the selection, the
    /// inline edit, the selected appeal, the grid's cache…): replaced as one when another
    /// export opens, so nothing of the last one is left behind.
    pub workspace: Workspace,
    /// The export put aside while another opens: back if that one does not open.
    replaced: Option<Box<Workspace>>,
    /// The message in the status bar, if any.
    pub status: Option<StatusLine>,
    /// The grid shows only rows with problems (plus the title and header rows).
    pub only_problems: bool,
    /// The grid shows the columns the export hides.
    pub show_hidden: bool,
    /// The text pasted into the appeals panel, not yet added as an appeal.
    pub paste: String,
    /// The modal dialog that is open, if any.
    pub dialog: Option<Dialog>,
    /// Recently opened files, newest first (remembered between runs).
    pub recent: Vec<PathBuf>,
    close_confirmed: bool,
    /// The window was asked to close while a worker ran: close when it is done.
    close_after_job: bool,
    job: Option<jobs::Job>,
    /// Books at least this large (bytes) are opened, matched and saved on a worker thread.
    pub background_bytes: u64,
    /// Saved column mappings, by header signature.
    profiles: Vec<Profile>,
    /// Skip native file dialogs (tests, machines without a desktop portal).
    pub no_native_dialogs: bool,
    /// Where journals and remembered mappings live (the user's data folder unless set).
    pub data_dir: Option<PathBuf>,
    /// Theme, text size, the officer's name (remembered).
    pub settings: Settings,
    /// The problems list is shown (left panel).
    pub show_problems: bool,
    /// The appeals panel is shown (right panel).
    pub show_appeals: bool,
    /// The guide (F1) is shown.
    pub show_help: bool,
    /// The register of appeals window.
    pub register: register::RegisterView,
    /// The guide's pictures decoded so far.
    guide_pictures: guide::GuidePictures,
    /// The settings window is shown.
    pub show_settings: bool,
    /// The side panels were fitted to the screen once.
    panels_fitted: bool,
}

impl Default for SverkaApp {
    fn default() -> Self {
        let mut app = SverkaApp {
            workspace: Workspace::default(),
            replaced: None,
            status: None,
            only_problems: false,
            show_hidden: false,
            paste: String::new(),
            dialog: None,
            recent: Vec::new(),
            close_confirmed: false,
            close_after_job: false,
            job: None,
            background_bytes: BACKGROUND_BYTES,
            profiles: Vec::new(),
            no_native_dialogs: false,
            data_dir: None,
            settings: Settings::default(),
            show_problems: true,
            show_appeals: true,
            show_help: false,
            guide_pictures: guide::GuidePictures::default(),
            register: register::RegisterView::default(),
            show_settings: false,
            panels_fitted: false,
        };
        app.set_data_dir(sverka_core::session::data_dir());
        app
    }
}

/// The mappings the officer saved through the mapping dialog, and why they were not read
/// (shown in the status bar: the file is left as it is, the app runs on detection alone).
fn load_profiles(data_dir: Option<&Path>) -> (Vec<Profile>, Option<String>) {
    match data_dir.map(|d| ProfileStore::in_folder(d).load()) {
        None => (Vec::new(), None),
        Some(Ok(list)) => (list, None),
        Some(Err(e)) => (
            Vec::new(),
            Some(format!(
                "Сохранённые сопоставления столбцов не загружены: {e}. Столбцы определяются по заголовкам."
            )),
        ),
    }
}

impl SverkaApp {
    /// The app as eframe creates it: recent files from storage, fonts and visuals set up.
    pub fn new(cc: &eframe::CreationContext<'_>) -> SverkaApp {
        let mut app = SverkaApp::default();
        if let Some(storage) = cc.storage {
            if let Some(recent) = eframe::get_value::<Vec<PathBuf>>(storage, RECENT_KEY) {
                app.recent = recent;
            }
            if let Some(settings) = eframe::get_value::<Settings>(storage, SETTINGS_KEY) {
                app.settings = settings;
            }
        }
        app.settings.apply(&cc.egui_ctx);
        app
    }

    /// Uses another data folder (for journals and mappings), reloading remembered mappings.
    pub fn set_data_dir(&mut self, dir: Option<PathBuf>) {
        let (profiles, problem) = load_profiles(dir.as_deref());
        self.profiles = profiles;
        self.data_dir = dir;
        if let Some(text) = problem {
            self.complain(text);
        }
    }

    /// Shows a message in the status bar.
    pub fn say(&mut self, text: impl Into<String>) {
        self.status = Some(StatusLine {
            text: text.into(),
            error: false,
        });
    }

    /// Shows an error in the status bar.
    pub fn complain(&mut self, text: impl Into<String>) {
        self.status = Some(StatusLine {
            text: text.into(),
            error: true,
        });
    }

    /// The whole window, for one frame.
    pub fn frame(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        self.poll_job(&ctx);
        if let Some(w) = self
            .workspace
            .session
            .as_mut()
            .and_then(Session::take_warning)
        {
            self.complain(w);
        }
        self.handle_close(&ctx);
        let mut actions = self.shortcuts(&ctx);

        if ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::F1)) {
            self.show_help = !self.show_help;
        }
        self.escape_closes_windows(&ctx);
        self.settings.zoom = ctx.zoom_factor();

        actions.extend(chrome::top_bar(self, ui));
        chrome::status_bar(self, ui);
        if self.workspace.session.is_some() {
            let width = ctx.content_rect().width();
            if !self.panels_fitted {
                // On a laptop screen (1366 or 1024 pixels) the grid needs the room: the
                // problems list starts hidden (toolbar «Проблемы», menu «Вид»).
                self.panels_fitted = true;
                if width < 1400.0 {
                    self.show_problems = false;
                }
            }
            if self.show_problems {
                egui::Panel::left("problems")
                    .resizable(true)
                    .default_size(230.0)
                    .min_size(160.0)
                    .max_size((width * 0.3).max(160.0))
                    .show(ui, |ui| actions.extend(problems::show(self, ui)));
            }
            if self.show_appeals {
                egui::Panel::right("appeals")
                    .resizable(true)
                    .default_size(if width < 1200.0 { 340.0 } else { 400.0 })
                    .min_size(260.0)
                    .max_size(width * 0.5)
                    .show(ui, |ui| actions.extend(appeals::show(self, ui)));
            }
            egui::CentralPanel::default().show(ui, |ui| grid::show(self, ui));
        } else {
            egui::CentralPanel::default().show(ui, |ui| self.start_screen(ui));
        }
        dialogs::show(self, &ctx);
        chrome::settings_window(self, &ctx);
        guide::help_window(self, &ctx);
        register::window(self, &ctx);
        input::drop_hint(&ctx);
        // What the officer clicked or pressed this frame, carried out in one place; what it
        // changed (a dialog opened by a shortcut, say) is drawn at once, not at the next input.
        if !actions.is_empty() {
            ctx.request_repaint();
        }
        self.handle_all(actions);
    }
}

impl eframe::App for SverkaApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.frame(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, RECENT_KEY, &self.recent);
        eframe::set_value(storage, SETTINGS_KEY, &self.settings);
    }
}

/// Runs the app in a native window.
pub fn run(open: Vec<PathBuf>, demo: bool) -> Result<(), error::AppError> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("sverka — сверка с Госуслугами")
            // Fits a 1366×768 laptop screen with its taskbar; eframe remembers the size the
            // officer gives it.
            .with_inner_size([1280.0, 700.0])
            .with_min_inner_size([800.0, 500.0])
            .with_drag_and_drop(true)
            .with_icon(
                eframe::icon_data::from_png_bytes(include_bytes!(
                    "../../../assets/icon/sverka.png"
                ))
                .unwrap_or_default(),
            ),
        ..Default::default()
    };
    eframe::run_native(
        "sverka",
        options,
        Box::new(move |cc| {
            let mut app = SverkaApp::new(cc);
            if demo {
                app.open_demo();
            } else if !open.is_empty() {
                app.open_paths(open);
            }
            Ok(Box::new(app))
        }),
    )
    .map_err(|e| error::AppError::Window(e.to_string()))
}
