//! Saving the corrected file (on a worker thread when the book is large) and what follows a
//! save: the message and the steps for importing the file into СГО; the report's default path.

use std::path::{Path, PathBuf};

use super::error::AppError;
use super::jobs::Done;
use super::{Dialog, SverkaApp, file_name};

impl SverkaApp {
    /// Opens the save dialog.
    pub fn ask_save(&mut self) {
        let Some(s) = &self.workspace.session else {
            return;
        };
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

    /// Saves to `path` (the dialog's «Сохранить») as a job. A large book is saved on a worker
    /// thread: the officer may go on editing; those edits stay unsaved. A failed write
    /// opens the save dialog again with the reason.
    pub fn save_to(&mut self, path: &Path) -> Result<(), AppError> {
        if let Some(job) = &self.job {
            return Err(AppError::Busy(job.what.clone()));
        }
        let large = self.large_book();
        let Some(s) = &mut self.workspace.session else {
            return Err(AppError::NoExport);
        };
        let path = if path.extension().is_none() {
            path.with_extension("xls")
        } else {
            path.to_path_buf()
        };
        let (ticket, work) = s.save_work(path.clone());
        let what = format!(
            "Сохраняется «{}»: запись и проверка перечитыванием",
            file_name(&path)
        );
        self.run_job(what, large, move || Done::Saved {
            result: work(),
            ticket,
            path,
        });
        Ok(())
    }

    /// After a save: says what was written (and what errors it still holds) and shows the
    /// steps for importing it into СГО.
    pub(super) fn say_saved(&mut self, r: &sverka_core::book::SaveReport) {
        let Some(s) = &self.workspace.session else {
            return;
        };
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
        let (steps, in_file) = s.import_steps(&r.path);
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

    pub(crate) fn default_report_path(&self) -> String {
        let base = self
            .workspace
            .session
            .as_ref()
            .and_then(|s| s.book().path().map(Path::to_path_buf))
            .unwrap_or_else(|| PathBuf::from("выгрузка.xls"));
        let stem = base
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        base.with_file_name(format!("{stem}_отчёт.xlsx"))
            .display()
            .to_string()
    }
}
