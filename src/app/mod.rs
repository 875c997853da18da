//! The desktop app (eframe/egui). It renders the [`Session`] and sends it commands; every rule
//! lives in the core. One file per panel: [`grid`], [`appeals`], [`problems`], [`dialogs`].

mod appeals;
mod chrome;
mod dialogs;
pub mod graphics;
mod grid;
mod problems;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, channel};

use eframe::egui;

use crate::book::{SourceFormat, XlsBook};
use crate::engine::appeal::{self, Appeal};
use crate::engine::schema::Profile;
use crate::session::profiles::ProfileStore;
use crate::session::{Operation, Session, Source};

pub use chrome::{Settings, Theme};
pub use dialogs::Dialog;

/// The demo export and appeals, embedded.
pub const DEMO_EXPORT: &[u8] = include_bytes!("../../assets/demo/export.xls");
pub const DEMO_APPEALS: [(&str, &str); 5] = [
    (
        "01_родитель.txt",
        include_str!("../../assets/demo/appeals/01_родитель.txt"),
    ),
    (
        "02_родитель_пол.txt",
        include_str!("../../assets/demo/appeals/02_родитель_пол.txt"),
    ),
    (
        "03_ученица.txt",
        include_str!("../../assets/demo/appeals/03_ученица.txt"),
    ),
    (
        "04_ученик_пол.txt",
        include_str!("../../assets/demo/appeals/04_ученик_пол.txt"),
    ),
    (
        "05_нет_в_выгрузке.txt",
        include_str!("../../assets/demo/appeals/05_нет_в_выгрузке.txt"),
    ),
];

/// Files larger than this are opened, matched and saved on a worker thread (with a progress
/// indicator in the status bar); smaller ones take a few milliseconds and run at once.
const BACKGROUND_BYTES: u64 = 2 * 1024 * 1024;
const RECENT_KEY: &str = "sverka_recent";
const SETTINGS_KEY: &str = "sverka_settings";
const MAX_RECENT: usize = 8;

/// A message in the status bar.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusLine {
    pub text: String,
    pub error: bool,
}

/// The cell being edited inline.
#[derive(Debug, Clone, PartialEq)]
pub struct Editing {
    pub row: u32,
    pub col: u32,
    pub buffer: String,
    pub focus_requested: bool,
}

/// Work running off the UI thread.
struct Job {
    what: String,
    started: std::time::Instant,
    rx: Receiver<Done>,
}

/// What a worker sends back.
enum Done {
    Opened {
        session: Result<Box<Session>, String>,
        path: PathBuf,
        appeals: Vec<PathBuf>,
    },
    Matched {
        outcomes: Vec<crate::engine::reconcile::Outcome>,
        version: u64,
        errors: Vec<String>,
    },
    Saved {
        result: Result<crate::book::SaveReport, String>,
        ticket: crate::session::SaveTicket,
        path: PathBuf,
    },
}

/// The application state.
pub struct SverkaApp {
    pub session: Option<Session>,
    pub sheet: usize,
    pub selected: Option<(u32, u32)>,
    pub editing: Option<Editing>,
    pub status: Option<StatusLine>,
    pub only_problems: bool,
    pub show_hidden: bool,
    pub search: String,
    focus_search: bool,
    pub selected_appeal: Option<usize>,
    /// Which appeals the list shows.
    pub appeal_filter: appeals::ListFilter,
    /// The selected appeal's child and near cards, by (index, session version, appeals).
    appeal_help: Option<((usize, u64, usize), crate::engine::lookup::AppealHelp)>,
    pub paste: String,
    paste_count: usize,
    pub dialog: Option<Dialog>,
    pub recent: Vec<PathBuf>,
    scroll_to: Option<(u32, u32)>,
    close_confirmed: bool,
    /// The window was asked to close while a worker ran: close when it is done.
    close_after_job: bool,
    job: Option<Job>,
    /// Books at least this large (bytes) are opened, matched and saved on a worker thread.
    pub background_bytes: u64,
    /// Where the grid drew each visible cell last frame (for hit tests and tests).
    pub cell_rects: Vec<((u32, u32), egui::Rect)>,
    /// Saved column mappings, by header signature.
    profiles: Vec<Profile>,
    /// Skip native file dialogs (tests, machines without a desktop portal).
    pub no_native_dialogs: bool,
    /// Where journals and remembered mappings live (the user's data folder unless set).
    pub data_dir: Option<PathBuf>,
    grid_cache: grid::GridCache,
    pending_commit: Option<grid::Commit>,
    editor_label: Option<egui::Id>,
    /// What came back from the previous session on this export (said once it is open).
    reloaded_note: Option<String>,
    /// The appeals of the previous session, to be matched with the files opened now.
    previous_appeals: Vec<Appeal>,
    /// Theme, text size, the officer's name (remembered).
    pub settings: Settings,
    pub show_problems: bool,
    pub show_appeals: bool,
    pub show_help: bool,
    pub show_settings: bool,
    /// The side panels were fitted to the screen once.
    panels_fitted: bool,
}

impl Default for SverkaApp {
    fn default() -> Self {
        let mut app = SverkaApp {
            session: None,
            sheet: 0,
            selected: None,
            editing: None,
            status: None,
            only_problems: false,
            show_hidden: false,
            search: String::new(),
            focus_search: false,
            selected_appeal: None,
            appeal_filter: appeals::ListFilter::All,
            appeal_help: None,
            paste: String::new(),
            paste_count: 0,
            dialog: None,
            recent: Vec::new(),
            scroll_to: None,
            close_confirmed: false,
            close_after_job: false,
            job: None,
            background_bytes: BACKGROUND_BYTES,
            cell_rects: Vec::new(),
            profiles: Vec::new(),
            no_native_dialogs: false,
            data_dir: None,
            grid_cache: grid::GridCache::default(),
            pending_commit: None,
            editor_label: None,
            reloaded_note: None,
            previous_appeals: Vec::new(),
            settings: Settings::default(),
            show_problems: true,
            show_appeals: true,
            show_help: false,
            show_settings: false,
            panels_fitted: false,
        };
        app.set_data_dir(crate::session::journal::data_dir());
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

    /// Opens the embedded demo: the export and all demo appeals.
    pub fn open_demo(&mut self) {
        match XlsBook::from_bytes(DEMO_EXPORT.to_vec()) {
            Ok(book) => {
                self.start_session(book);
                let mut appeals = Vec::new();
                for (name, text) in DEMO_APPEALS {
                    match appeal::parse_text(text, name) {
                        Ok(list) => appeals.extend(list),
                        Err(e) => self.complain(format!("{name}: {e}")),
                    }
                }
                self.add_appeals(appeals);
                self.say("Открыт пример: выгрузка класса и пять обращений.");
            }
            Err(e) => self.complain(e.to_string()),
        }
    }

    /// A session on an opened book: the audit of every card (a worker may run this).
    fn new_session(book: XlsBook, profiles: Vec<Profile>, data_dir: Option<&Path>) -> Session {
        let (journal, case) = match (data_dir, book.path()) {
            (Some(dir), Some(path)) => (
                crate::session::journal::Journal::for_export_in(dir, path),
                Some(crate::session::casefile::CaseFile::for_file(dir, path)),
            ),
            _ => (None, None),
        };
        let mut session = Session::new(book, profiles);
        session.set_journal(journal);
        session.set_case(case);
        session
    }

    fn start_session(&mut self, book: XlsBook) {
        let session = Self::new_session(book, self.profiles.clone(), self.data_dir.as_deref());
        self.install_session(session);
    }

    fn install_session(&mut self, session: Session) {
        let converted = session.book.converted_from();
        let pending = session.pending_restore();
        if !pending.is_empty() {
            self.dialog = Some(Dialog::Restore { ops: pending });
        } else if let Some(opened) = session.book.path().map(Path::to_path_buf) {
            // A corrected file of this export exists: continue from it rather than redo (or,
            // worse, lose) the first round's fixes.
            let full = std::fs::canonicalize(&opened).unwrap_or_else(|_| opened.clone());
            let is_corrected = session
                .case()
                .is_some_and(|c| c.data.saved.contains(&full.to_string_lossy().into_owned()));
            if !is_corrected
                && let Some(newest) =
                    crate::session::casefile::corrected_files(&opened, session.case()).first()
            {
                self.dialog = Some(Dialog::Continue {
                    export: opened,
                    corrected: newest.clone(),
                });
            }
        }
        self.sheet = first_sheet_with_people(&session);
        self.selected = None;
        self.editing = None;
        self.selected_appeal = None;
        self.session = Some(session);
        self.reload_previous_appeals();
        if let Some(f) = converted.filter(|f| *f != SourceFormat::Xls) {
            self.say(format!(
                "Файл в формате {} — он будет сохранён как новая книга Excel 97-2003 (.xls).",
                f.label()
            ));
        }
        self.maybe_offer_mapping();
    }

    /// Loads the appeals of the previous session on this export (files that still exist and
    /// pasted texts), with their progress, leaving out those the officer removed.
    fn reload_previous_appeals(&mut self) {
        let Some(s) = &self.session else { return };
        let Some(case) = s.case() else { return };
        if !s.outcomes.is_empty() || case.data.sources.is_empty() {
            return;
        }
        let mut appeals = Vec::new();
        let mut missing = Vec::new();
        for src in case.data.sources.clone() {
            match src {
                crate::session::casefile::AppealSource::File { path } => {
                    match appeal::load_file(Path::new(&path)) {
                        Ok(list) => appeals.extend(list),
                        Err(_) => missing.push(file_name(Path::new(&path))),
                    }
                }
                crate::session::casefile::AppealSource::Pasted { name, text } => {
                    appeals.extend(appeal::parse_text(&text, &name).unwrap_or_default());
                    if let Some(n) = name
                        .strip_prefix("вставка ")
                        .and_then(|n| n.parse::<usize>().ok())
                    {
                        self.paste_count = self.paste_count.max(n);
                    }
                }
            }
        }
        let appeals = s.without_dismissed(appeals);
        let n = appeals.len();
        // Matched together with the files opened with the export (one worker for a large
        // book), by the `load_appeal_files` that follows every open.
        self.previous_appeals = appeals;
        let mut text = format!("Возвращены обращения прошлого сеанса: {n}.");
        if !missing.is_empty() {
            text.push_str(&format!(
                " Не найдены файлы обращений: {}.",
                missing.join(", ")
            ));
        }
        self.reloaded_note = Some(text);
    }

    /// «Открыт файл …» (what came back from the previous session is said when its appeals
    /// are matched).
    fn say_opened(&mut self, path: &Path) {
        self.say(format!("Открыт файл «{}».", file_name(path)));
    }

    fn maybe_offer_mapping(&mut self) {
        let Some(s) = &self.session else { return };
        if self.dialog.is_some() {
            return;
        }
        if let Some(layout) = s.analysis.schema.sheets.get(self.sheet)
            && !layout.confident
        {
            self.dialog = Some(Dialog::mapping(s, self.sheet));
        }
    }

    /// Opens files dropped or chosen: exports (`.xls`, `.xlsx`, `.ods`) and appeals.
    pub fn open_paths(&mut self, paths: Vec<PathBuf>) {
        let (exports, appeals): (Vec<PathBuf>, Vec<PathBuf>) = paths.into_iter().partition(|p| {
            let ext = ext_of(p);
            ext == "xls" || ext == "ods" || (ext == "xlsx" && self.session.is_none())
        });
        if let Some(export) = exports.first().cloned() {
            if self.session.as_ref().is_some_and(Session::is_dirty) {
                self.dialog = Some(Dialog::Unsaved {
                    then: dialogs::After::Open(export, appeals),
                });
                return;
            }
            self.open_export(export, appeals);
        } else {
            self.load_appeal_files(&appeals);
        }
    }

    /// Opens an export (on a worker thread when it is large), then loads appeals.
    pub fn open_export(&mut self, path: PathBuf, appeals: Vec<PathBuf>) {
        if self.busy() {
            return;
        }
        let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        // Only a file that opens goes to «Недавние файлы».
        if size >= self.background_bytes {
            // The old book goes now, as it would on a quick open: nothing can be edited in a
            // book that is about to be replaced.
            self.session = None;
            self.selected = None;
            self.editing = None;
            let profiles = self.profiles.clone();
            let data_dir = self.data_dir.clone();
            let what = format!(
                "Открывается «{}»: чтение и проверка карточек",
                file_name(&path)
            );
            self.spawn(what, move || {
                let session = XlsBook::open(&path)
                    .map(|b| Box::new(Self::new_session(b, profiles, data_dir.as_deref())))
                    .map_err(|e| format!("«{}»: {e}", file_name(&path)));
                Done::Opened {
                    session,
                    path,
                    appeals,
                }
            });
            return;
        }
        match XlsBook::open(&path) {
            Ok(book) => {
                self.remember(&path);
                self.start_session(book);
                self.say_opened(&path);
                self.load_appeal_files(&appeals);
            }
            Err(e) => self.complain(format!("«{}»: {e}", file_name(&path))),
        }
    }

    /// Runs `work` on a worker thread; its result arrives in [`SverkaApp::poll_job`].
    fn spawn(&mut self, what: String, work: impl FnOnce() -> Done + Send + 'static) {
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let _ = tx.send(work());
        });
        self.job = Some(Job {
            what,
            started: std::time::Instant::now(),
            rx,
        });
    }

    /// A worker is running: says so and returns true (one long task at a time).
    fn busy(&mut self) -> bool {
        let Some(job) = &self.job else { return false };
        let what = job.what.clone();
        self.complain(format!("Дождитесь окончания: {what}."));
        true
    }

    /// Whether long work is running on a worker thread.
    pub fn is_working(&self) -> bool {
        self.job.is_some()
    }

    /// Whether the open book is large enough for worker threads.
    fn large_book(&self) -> bool {
        self.session.as_ref().is_some_and(|s| {
            s.book
                .path()
                .and_then(|p| std::fs::metadata(p).ok())
                .is_some_and(|m| m.len() >= self.background_bytes)
        })
    }

    fn remember(&mut self, path: &Path) {
        let full = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        self.recent.retain(|p| *p != full);
        self.recent.insert(0, full);
        self.recent.truncate(MAX_RECENT);
    }

    fn poll_job(&mut self, ctx: &egui::Context) {
        let Some(job) = &self.job else { return };
        let done = match job.rx.try_recv() {
            Ok(done) => done,
            Err(std::sync::mpsc::TryRecvError::Empty) => {
                // Keep the progress indicator moving while the worker runs.
                ctx.request_repaint_after(std::time::Duration::from_millis(100));
                return;
            }
            Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                self.job = None;
                self.complain("Работа прервалась из-за внутренней ошибки; данные не изменены.");
                return;
            }
        };
        self.job = None;
        if std::mem::take(&mut self.close_after_job) {
            // Asked again: the unsaved-edits question still comes first.
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
        match done {
            Done::Opened {
                session,
                path,
                appeals,
            } => match session {
                Ok(session) => {
                    self.remember(&path);
                    self.install_session(*session);
                    self.say_opened(&path);
                    self.load_appeal_files(&appeals);
                }
                Err(e) => self.complain(e),
            },
            Done::Matched {
                outcomes,
                version,
                errors,
            } => {
                let n = outcomes.len();
                if let Some(s) = &mut self.session {
                    let first = s.outcomes.len();
                    s.accept_outcomes(outcomes, version);
                    if n > 0 {
                        self.select_appeal(first);
                    }
                }
                self.report_appeals_loaded(n, errors);
            }
            Done::Saved {
                result,
                ticket,
                path,
            } => match result {
                Ok(r) => {
                    if let Some(s) = &mut self.session {
                        s.mark_saved(ticket, &r.path);
                    }
                    self.say_saved(&r);
                }
                Err(e) => {
                    self.complain(format!("Не сохранено: {e}"));
                    self.dialog = Some(Dialog::Save {
                        path: path.display().to_string(),
                        error: Some(e),
                        replace: None,
                    });
                }
            },
        }
    }

    /// Loads appeal files into the session (matching runs on a worker for a large book).
    pub fn load_appeal_files(&mut self, paths: &[PathBuf]) {
        if paths.is_empty() && self.previous_appeals.is_empty() {
            return;
        }
        if self.session.is_none() {
            self.complain("Сначала откройте выгрузку (.xls), затем загрузите обращения.");
            return;
        }
        if self.busy() {
            return;
        }
        let mut all = std::mem::take(&mut self.previous_appeals);
        let mut errors = Vec::new();
        for loaded in appeal::load_paths(paths) {
            let p = &loaded.path;
            match loaded.appeals {
                Ok(list) => {
                    all.extend(list);
                    if let Some(s) = &mut self.session {
                        let full = std::fs::canonicalize(p).unwrap_or_else(|_| p.clone());
                        s.note_source(crate::session::casefile::AppealSource::File {
                            path: full.to_string_lossy().into_owned(),
                        });
                    }
                }
                Err(e) => errors.push(format!("«{}»: {e}", file_name(p))),
            }
        }
        self.match_and_add(all, errors);
    }

    /// Matches appeals and lists them: on a worker for a large book (building the index of
    /// 200,000 cards takes a noticeable moment), at once otherwise.
    fn match_and_add(&mut self, appeals: Vec<Appeal>, errors: Vec<String>) {
        if self.large_book()
            && !appeals.is_empty()
            && let Some(s) = &self.session
        {
            let (version, work) = s.matching_work(appeals);
            let what = "Обращения сопоставляются с карточками".to_string();
            self.spawn(what, move || Done::Matched {
                outcomes: work(),
                version,
                errors,
            });
            return;
        }
        let n = appeals.len();
        self.add_appeals(appeals);
        self.report_appeals_loaded(n, errors);
    }

    fn report_appeals_loaded(&mut self, n: usize, errors: Vec<String>) {
        let total = self.session.as_ref().map_or(0, |s| s.outcomes.len());
        let note = self.reloaded_note.take();
        if let (Some(note), true) = (&note, errors.is_empty()) {
            self.say(format!("{note} Всего в списке: {total}."));
        } else if errors.is_empty() {
            self.say(format!(
                "Добавлено обращений: {n}; всего в списке: {total}."
            ));
        } else {
            self.complain(errors.join(" "));
        }
    }

    /// Parses pasted text as appeals and adds them.
    pub fn paste_appeals(&mut self, text: &str) {
        if self.session.is_none() {
            self.complain("Сначала откройте выгрузку (.xls), затем вставьте обращение.");
            return;
        }
        if self.busy() {
            return;
        }
        self.paste_count += 1;
        let name = format!("вставка {}", self.paste_count);
        match appeal::parse_text(text, &name) {
            Ok(list) => {
                self.paste.clear();
                if let Some(s) = &mut self.session {
                    s.note_source(crate::session::casefile::AppealSource::Pasted {
                        name,
                        text: text.to_string(),
                    });
                }
                self.match_and_add(list, Vec::new());
            }
            Err(e) => self.complain(e.to_string()),
        }
    }

    fn add_appeals(&mut self, appeals: Vec<Appeal>) {
        let Some(s) = &mut self.session else { return };
        let first_new = s.outcomes.len();
        if appeals.is_empty() {
            return;
        }
        s.add_appeals(appeals);
        self.select_appeal(first_new);
    }

    /// Selects an appeal and scrolls the grid to its person.
    pub fn select_appeal(&mut self, index: usize) {
        self.selected_appeal = Some(index);
        let Some(s) = &self.session else { return };
        let person = s
            .outcomes
            .get(index)
            .and_then(|o| {
                // Several candidates: the first is shown. A person not found is not: the
                // nearest card would look like a match.
                let first_candidate = (o.result.status
                    == crate::engine::matching::Status::Ambiguous)
                    .then(|| o.result.candidates.first().map(|c| c.person))
                    .flatten();
                o.result.person.or(first_candidate)
            })
            .and_then(|p| s.analysis.schema.people.get(p));
        if let Some(p) = person {
            self.sheet = p.sheet;
            let col = p.cols.values().next().copied().unwrap_or(0);
            self.selected = Some((p.row, col));
            self.scroll_to = Some((p.row, col));
        }
    }

    /// Moves the selection to a cell and scrolls to it.
    pub fn go_to(&mut self, sheet: usize, row: u32, col: u32) {
        self.sheet = sheet;
        self.selected = Some((row, col));
        self.scroll_to = Some((row, col));
        self.editing = None;
    }

    /// Starts editing the selected cell, or explains why it cannot be edited.
    pub fn begin_edit(&mut self) {
        let (Some(s), Some((row, col))) = (&self.session, self.selected) else {
            return;
        };
        if let Some(why) = s.protection(self.sheet, row, col) {
            self.complain(format!(
                "Ячейку {} менять нельзя. {why}",
                crate::xls::error::a1(row, col)
            ));
            return;
        }
        let buffer = s.text(self.sheet, row, col).unwrap_or_default();
        self.editing = Some(Editing {
            row,
            col,
            buffer,
            focus_requested: false,
        });
    }

    /// Commits the inline edit.
    pub fn commit_edit(&mut self) -> bool {
        let Some(e) = self.editing.take() else {
            return false;
        };
        let Some(s) = &mut self.session else {
            return false;
        };
        let value = Some(e.buffer.trim().to_string()).filter(|v| !v.is_empty());
        match s.set_cell(self.sheet, e.row, e.col, value, Source::Manual) {
            Ok(0) => true,
            Ok(_) => {
                let cell = crate::xls::error::a1(e.row, e.col);
                match s.check_value(self.sheet, e.col, &e.buffer) {
                    Some(problem) => self.complain(format!(
                        "{cell}: изменено (файл ещё не сохранён), но {problem}"
                    )),
                    None => self.say(format!("{cell}: исправлено.")),
                }
                true
            }
            Err(err) => {
                self.complain(err.to_string());
                false
            }
        }
    }

    pub fn cancel_edit(&mut self) {
        self.editing = None;
    }

    /// Empties the selected cell (through undo).
    pub fn clear_selected(&mut self) {
        let (Some(s), Some((row, col))) = (&mut self.session, self.selected) else {
            return;
        };
        if let Err(e) = s.set_cell(self.sheet, row, col, None, Source::Manual) {
            self.complain(e.to_string());
        }
    }

    pub fn undo(&mut self) {
        self.editing = None;
        if let Some(s) = &mut self.session {
            match s.undo() {
                Some(label) => self.say(format!("Отменено: {label}")),
                None => self.say("Отменять нечего."),
            }
        }
    }

    pub fn redo(&mut self) {
        self.editing = None;
        if let Some(s) = &mut self.session {
            match s.redo() {
                Some(label) => self.say(format!("Повторено: {label}")),
                None => self.say("Повторять нечего."),
            }
        }
    }

    /// Applies every fixable difference of an appeal.
    pub fn fix_appeal(&mut self, index: usize) {
        let Some(s) = &mut self.session else { return };
        match s.fix_appeal(index) {
            Ok(0) => self.say("Исправлять в файле нечего."),
            Ok(n) => self.say(format!("Исправлено ячеек: {n} (Ctrl+Z — отменить).")),
            Err(e) => self.complain(e.to_string()),
        }
    }

    /// Opens the save dialog.
    pub fn ask_save(&mut self) {
        let Some(s) = &self.session else { return };
        if s.edited_cells() == 0 {
            self.say("Исправлений нет — сохранять нечего.");
            return;
        }
        self.dialog = Some(Dialog::Save {
            path: s.default_save_path().display().to_string(),
            error: None,
            replace: None,
        });
    }

    /// Saves to `path` (the dialog's «Сохранить»). A large book is saved on a worker
    /// thread: the officer may go on editing; those edits stay unsaved.
    pub fn save_to(&mut self, path: &Path) -> Result<(), String> {
        if let Some(job) = &self.job {
            return Err(format!("дождитесь окончания: {}", job.what));
        }
        let large = self.large_book();
        let Some(s) = &mut self.session else {
            return Err("нет открытой выгрузки".into());
        };
        let path = if path.extension().is_none() {
            path.with_extension("xls")
        } else {
            path.to_path_buf()
        };
        if large {
            let (ticket, work) = s.save_work(path.clone());
            let what = format!(
                "Сохраняется «{}»: запись и проверка перечитыванием",
                file_name(&path)
            );
            self.spawn(what, move || Done::Saved {
                result: work().map_err(|e| e.to_string()),
                ticket,
                path,
            });
            return Ok(());
        }
        match s.save_as(&path) {
            Ok(r) => {
                self.say_saved(&r);
                Ok(())
            }
            Err(e) => Err(e.to_string()),
        }
    }

    /// After a save: says what was written (and what errors it still holds) and shows the
    /// steps for importing it into СГО.
    fn say_saved(&mut self, r: &crate::book::SaveReport) {
        let Some(s) = &self.session else { return };
        let left = s.edited_problems().len();
        let text = if left == 0 {
            format!(
                "Сохранено: «{}» — изменено ячеек: {}. Файл перечитан и проверен; можно загружать в СГО.",
                r.path.display(),
                r.cells_changed
            )
        } else {
            format!(
                "Сохранено: «{}» — изменено ячеек: {}. Внимание: в исправленных ячейках остались ошибки ({left}) — СГО может не принять эти строки; исправьте их и сохраните снова.",
                r.path.display(),
                r.cells_changed
            )
        };
        let full = std::fs::canonicalize(&r.path).unwrap_or_else(|_| r.path.clone());
        let in_file = s
            .outcomes
            .iter()
            .filter(|o| {
                o.progress.stage == crate::engine::progress::Stage::FixedInFile
                    && o.progress.saved_to.as_deref() == Some(full.to_string_lossy().as_ref())
            })
            .count();
        let steps =
            crate::engine::import_steps::steps(&s.grids, &s.analysis.schema, &full, in_file);
        if left == 0 {
            self.say(text);
        } else {
            self.complain(text);
        }
        self.dialog = Some(Dialog::Import {
            steps,
            appeals: in_file,
            errors_left: left,
        });
    }

    /// Moves the selection to the next cell with a problem (F8).
    pub fn next_problem(&mut self) {
        let Some(s) = &self.session else { return };
        let cur = self.selected.unwrap_or((0, 0));
        let mut cells: Vec<(u32, u32)> = s
            .findings()
            .filter(|f| {
                f.sheet == self.sheet && f.severity != crate::engine::findings::Severity::Info
            })
            .map(|f| (f.row, f.col))
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        cells.sort();
        let next = cells
            .iter()
            .find(|c| **c > cur)
            .or_else(|| cells.first())
            .copied();
        match next {
            Some((r, c)) => self.go_to(self.sheet, r, c),
            None => self.say("Проблем на этом листе нет."),
        }
    }

    fn handle_shortcuts(&mut self, ctx: &egui::Context) {
        use egui::{Key, Modifiers};
        if self.dialog.is_some() {
            return;
        }
        let text_focus = ctx.memory(|m| m.focused().is_some()) && self.editing.is_none();
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
        if undo && !text_focus {
            self.undo();
        }
        if redo && !text_focus {
            self.redo();
        }
        if save {
            self.editing.is_some().then(|| self.commit_edit());
            self.ask_save();
        }
        if find {
            self.focus_search = true;
        }
        if f8 {
            self.next_problem();
        }
        if open {
            self.choose_export();
        }
        // A paste outside text fields is an appeal card.
        if !text_focus && self.editing.is_none() {
            let pasted: Option<String> = ctx.input(|i| {
                i.events.iter().find_map(|e| match e {
                    egui::Event::Paste(t) => Some(t.clone()),
                    _ => None,
                })
            });
            if let Some(t) = pasted {
                self.paste_appeals(&t);
            }
        }
    }

    fn handle_drops(&mut self, ctx: &egui::Context) {
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .collect()
        });
        if !dropped.is_empty() {
            self.open_paths(dropped);
        }
    }

    fn handle_close(&mut self, ctx: &egui::Context) {
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
            && self.session.as_ref().is_some_and(Session::is_dirty)
        {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.dialog = Some(Dialog::Unsaved {
                then: dialogs::After::Quit,
            });
        }
    }

    /// Asks for an export with the native dialog (or explains how to open without one).
    pub fn choose_export(&mut self) {
        if self.no_native_dialogs {
            self.say("Перетащите файл выгрузки в окно программы.");
            return;
        }
        let picked = rfd::FileDialog::new()
            .set_title("Открыть выгрузку из СГО")
            .add_filter("Выгрузка Excel 97-2003", &["xls", "xlsx", "ods"])
            .pick_file();
        match picked {
            Some(p) => self.open_paths(vec![p]),
            None => self.say("Файл не выбран. Можно также перетащить его в окно."),
        }
    }

    /// Asks for appeal files with the native dialog.
    pub fn choose_appeals(&mut self) {
        if self.no_native_dialogs {
            self.say("Перетащите файлы обращений в окно или вставьте текст карточки (Ctrl+V).");
            return;
        }
        if let Some(files) = rfd::FileDialog::new()
            .set_title("Загрузить обращения")
            .add_filter("Обращения", &["txt", "json", "csv", "xlsx"])
            .pick_files()
        {
            self.load_appeal_files(&files);
        }
    }

    /// The whole window, for one frame.
    pub fn frame(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        self.poll_job(&ctx);
        if let Some(w) = self.session.as_mut().and_then(Session::take_warning) {
            self.complain(w);
        }
        self.handle_close(&ctx);
        self.handle_drops(&ctx);
        self.handle_shortcuts(&ctx);

        if ctx.input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::F1)) {
            self.show_help = !self.show_help;
        }
        self.settings.zoom = ctx.zoom_factor();

        chrome::top_bar(self, ui);
        chrome::status_bar(self, ui);
        if self.session.is_some() {
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
                    .max_size(width * 0.35)
                    .show(ui, |ui| problems::show(self, ui));
            }
            if self.show_appeals {
                egui::Panel::right("appeals")
                    .resizable(true)
                    .default_size(if width < 1200.0 { 340.0 } else { 400.0 })
                    .min_size(260.0)
                    .max_size(width * 0.5)
                    .show(ui, |ui| appeals::show(self, ui));
            }
            egui::CentralPanel::default().show(ui, |ui| grid::show(self, ui));
        } else {
            egui::CentralPanel::default().show(ui, |ui| self.start_screen(ui));
        }
        dialogs::show(self, &ctx);
        chrome::settings_window(self, &ctx);
        chrome::help_window(self, &ctx);
        drop_hint(&ctx);
    }

    pub(crate) fn default_report_path(&self) -> String {
        let base = self
            .session
            .as_ref()
            .and_then(|s| s.book.path().map(Path::to_path_buf))
            .unwrap_or_else(|| PathBuf::from("выгрузка.xls"));
        let stem = base
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        base.with_file_name(format!("{stem}_отчёт.xlsx"))
            .display()
            .to_string()
    }

    fn start_screen(&mut self, ui: &mut egui::Ui) {
        ui.vertical_centered(|ui| {
            ui.add_space(40.0);
            ui.heading("sverka — сверка карточек «Сетевого города» с Госуслугами");
            ui.add_space(8.0);
            ui.label("Откройте выгрузку класса из СГО («Управление > Ученики > Пакетное обновление > 1. Выгрузка данных»),");
            ui.label("затем загрузите или вставьте обращения с платформы обратной связи (ПОС).");
            ui.add_space(20.0);
            if ui
                .add(egui::Button::new("Открыть выгрузку (.xls)").min_size(egui::vec2(260.0, 36.0)))
                .clicked()
            {
                self.choose_export();
            }
            ui.add_space(6.0);
            if ui
                .add(egui::Button::new("Открыть пример").min_size(egui::vec2(260.0, 36.0)))
                .clicked()
            {
                self.open_demo();
            }
            ui.add_space(6.0);
            ui.label("…или перетащите файлы выгрузки и обращений в это окно.");
            if !self.recent.is_empty() {
                ui.add_space(20.0);
                ui.label(egui::RichText::new("Недавние файлы").strong());
                let mut open = None;
                for p in &self.recent {
                    if ui.link(p.display().to_string()).clicked() {
                        open = Some(p.clone());
                    }
                }
                if let Some(p) = open {
                    self.open_paths(vec![p]);
                }
            }
            ui.add_space(20.0);
            ui.small("Данные не покидают компьютер. Исходная выгрузка никогда не перезаписывается.");
        });
    }
}

fn first_sheet_with_people(s: &Session) -> usize {
    s.analysis.schema.people.first().map_or(0, |p| p.sheet)
}

fn ext_of(p: &Path) -> String {
    p.extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default()
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| p.display().to_string())
}

/// While files are dragged over the window, say what dropping them does.
fn drop_hint(ctx: &egui::Context) {
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

impl eframe::App for SverkaApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.frame(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, RECENT_KEY, &self.recent);
        eframe::set_value(storage, SETTINGS_KEY, &self.settings);
    }
}

/// Restores journaled operations into the session (the restore dialog's «Восстановить»).
fn restore(app: &mut SverkaApp, ops: Vec<Operation>) {
    if let Some(s) = &mut app.session {
        let n = s.restore(ops);
        app.say(format!("Восстановлено исправлений: {n}."));
    }
}

/// Runs the app in a native window.
pub fn run(open: Vec<PathBuf>, demo: bool) -> Result<(), String> {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("sverka — сверка с Госуслугами")
            // Fits a 1366×768 laptop screen with its taskbar; eframe remembers the size the
            // officer gives it.
            .with_inner_size([1280.0, 700.0])
            .with_min_inner_size([800.0, 500.0])
            .with_drag_and_drop(true)
            .with_icon(
                eframe::icon_data::from_png_bytes(include_bytes!("../../assets/icon/sverka.png"))
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
    .map_err(|e| format!("окно программы не открылось: {e}"))
}
