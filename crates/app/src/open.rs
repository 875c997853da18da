//! Opening an export: the files chosen or dropped sorted into exports and appeals, the session
//! on the book (built on a worker thread when the book is large), what the previous work on
//! the export left (journaled edits, a corrected file), and «Недавние файлы».

use std::path::{Path, PathBuf};

use super::error::AppError;
use super::jobs::Done;
use super::{Dialog, SverkaApp, Workspace, dialogs, file_name};
use sverka_core::book::{SourceFormat, XlsBook};
use sverka_core::session::Session;

/// How many files «Недавние файлы» lists.
const MAX_RECENT: usize = 8;

impl SverkaApp {
    /// Opens files dropped or chosen: exports (`.xls`, `.xlsx`, `.ods`) and appeals.
    pub fn open_paths(&mut self, paths: Vec<PathBuf>) {
        let (exports, appeals): (Vec<PathBuf>, Vec<PathBuf>) = paths.into_iter().partition(|p| {
            let ext = ext_of(p);
            ext == "xls" || ext == "ods" || (ext == "xlsx" && self.workspace.session.is_none())
        });
        if let Some(export) = exports.first().cloned() {
            if self
                .workspace
                .session
                .as_ref()
                .is_some_and(Session::is_dirty)
            {
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
        // The open export is put aside now: nothing can be edited in a book that is about to
        // be replaced. It comes back if the new file does not open.
        self.replaced = Some(Box::new(std::mem::take(&mut self.workspace)));
        let profiles = self.profiles.clone();
        let data_dir = self.data_dir.clone();
        let what = format!(
            "Открывается «{}»: чтение и проверка карточек",
            file_name(&path)
        );
        self.run_job(what, size >= self.background_bytes, move || {
            let session = XlsBook::open(&path)
                .map(|b| Box::new(Session::open(b, profiles, data_dir.as_deref())))
                .map_err(|source| AppError::Open {
                    file: file_name(&path),
                    source,
                });
            // Only a file that opens goes to «Недавние файлы».
            Done::Opened {
                session,
                path,
                appeals,
            }
        });
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

    /// Starts a session on a book opened on the UI thread (the demo, a small export).
    pub(super) fn start_session(&mut self, book: XlsBook) {
        let session = Session::open(book, self.profiles.clone(), self.data_dir.as_deref());
        self.install_session(session);
    }

    /// Makes a session the open one: offers to restore journaled edits or to continue from a
    /// corrected file, brings back the previous appeals, offers the column mapping if unsure.
    pub(super) fn install_session(&mut self, session: Session) {
        let converted = session.book().converted_from();
        let pending = session.pending_restore();
        self.dialog = if pending.is_empty() {
            continue_offer(&session)
        } else {
            // «Начать заново» in it goes on to the offer of the corrected file, if any.
            Some(Dialog::Restore { ops: pending })
        };
        // Nothing of the export that was open is kept: its selection, edit, search, appeal
        // card and grid cache go with it.
        self.workspace = Workspace::on(session);
        self.reload_previous_appeals();
        if let Some(f) = converted.filter(|f| *f != SourceFormat::Xls) {
            self.say(format!(
                "Файл в формате {} — он будет сохранён как новая книга Excel 97-2003 (.xls).",
                f.label()
            ));
        }
        self.maybe_offer_mapping();
    }

    /// «Открыт файл …» (what came back from the previous session is said when its appeals
    /// are matched).
    pub(super) fn say_opened(&mut self, path: &Path) {
        self.say(format!("Открыт файл «{}».", file_name(path)));
    }

    /// Opens the mapping dialog when the columns of the sheet were not recognised for sure.
    fn maybe_offer_mapping(&mut self) {
        let Some(s) = &self.workspace.session else {
            return;
        };
        if self.dialog.is_some() {
            return;
        }
        if let Some(layout) = s.schema().sheets.get(self.workspace.sheet)
            && !layout.confident
        {
            self.dialog = Some(Dialog::mapping(s, self.workspace.sheet));
        }
    }

    /// Puts a file at the top of «Недавние файлы».
    pub(super) fn remember(&mut self, path: &Path) {
        let full = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        self.recent.retain(|p| *p != full);
        self.recent.insert(0, full);
        self.recent.truncate(MAX_RECENT);
    }
}

/// The offer to continue from the newest corrected file of the opened export, when there is
/// one (and the opened file is not itself one): continue from it rather than redo (or, worse,
/// lose) the first round's fixes.
pub(super) fn continue_offer(session: &Session) -> Option<Dialog> {
    let opened = session.book().path()?.to_path_buf();
    let full = std::fs::canonicalize(&opened).unwrap_or_else(|_| opened.clone());
    let is_corrected = session
        .case()
        .is_some_and(|c| c.data.saved.contains(&full.to_string_lossy().into_owned()));
    if is_corrected {
        return None;
    }
    let newest = sverka_core::session::corrected_files(&opened, session.case())
        .into_iter()
        .next()?;
    Some(Dialog::Continue {
        export: opened,
        corrected: newest,
    })
}

fn ext_of(p: &Path) -> String {
    p.extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default()
}
