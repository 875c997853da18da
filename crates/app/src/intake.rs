//! Taking appeals in: files chosen or dropped, pasted cards and the previous session's
//! appeals, matched with the cards (on a worker thread for a large book) and listed.

use std::path::PathBuf;

use super::jobs::Done;
use super::{SverkaApp, file_name};
use sverka_core::session::{Appeal, Session};

impl SverkaApp {
    /// Loads appeal files into the session (matching runs on a worker for a large book).
    pub fn load_appeal_files(&mut self, paths: &[PathBuf]) {
        if paths.is_empty() && self.workspace.previous_appeals.is_empty() {
            return;
        }
        if self.workspace.session.is_none() {
            self.complain("Сначала откройте выгрузку (.xls), затем загрузите обращения.");
            return;
        }
        if self.busy() {
            return;
        }
        let mut all = std::mem::take(&mut self.workspace.previous_appeals);
        let Some(s) = &mut self.workspace.session else {
            return;
        };
        let (read, unread) = s.read_appeal_files(paths);
        all.extend(read);
        let errors = unread
            .iter()
            .map(|u| format!("«{}»: {}", file_name(&u.path), u.error))
            .collect();
        self.match_and_add(all, errors);
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

    /// Parses pasted text as appeals and adds them.
    pub fn paste_appeals(&mut self, text: &str) {
        if self.workspace.session.is_none() {
            self.complain("Сначала откройте выгрузку (.xls), затем вставьте обращение.");
            return;
        }
        if self.busy() {
            return;
        }
        self.workspace.paste_count += 1;
        let name = format!("вставка {}", self.workspace.paste_count);
        let Some(s) = &mut self.workspace.session else {
            return;
        };
        match s.read_pasted(text, &name) {
            Ok(list) => {
                self.paste.clear();
                self.match_and_add(list, Vec::new());
            }
            Err(e) => self.complain(e.to_string()),
        }
    }

    /// Loads the appeals of the previous session on this export (files that still exist and
    /// pasted texts), with their progress, leaving out those the officer removed.
    pub(super) fn reload_previous_appeals(&mut self) {
        let Some(previous) = self
            .workspace
            .session
            .as_ref()
            .and_then(Session::previous_appeals)
        else {
            return;
        };
        self.workspace.paste_count = self.workspace.paste_count.max(previous.last_paste);
        let (appeals, missing) = (previous.appeals, previous.missing);
        let n = appeals.len();
        // Matched together with the files opened with the export (one worker for a large
        // book), by the `load_appeal_files` that follows every open.
        self.workspace.previous_appeals = appeals;
        let mut text = format!("Возвращены обращения прошлого сеанса: {n}.");
        if !missing.is_empty() {
            text.push_str(&format!(
                " Не найдены файлы обращений: {}.",
                missing.join(", ")
            ));
        }
        self.workspace.reloaded_note = Some(text);
    }

    /// Matches appeals and lists them, as a job: on a worker for a large book (building the
    /// index of 200,000 cards takes a noticeable moment), at once otherwise.
    pub(super) fn match_and_add(&mut self, appeals: Vec<Appeal>, errors: Vec<String>) {
        let background = self.large_book() && !appeals.is_empty();
        let Some(s) = &self.workspace.session else {
            return;
        };
        let (version, work) = s.matching_work(appeals);
        let what = "Обращения сопоставляются с карточками".to_string();
        self.run_job(what, background, move || Done::Matched {
            outcomes: work(),
            version,
            errors,
        });
    }

    /// Says how many appeals were added (or what came back from the previous session), or
    /// what could not be read.
    /// `added` appeals went into the list; `repeated` were in it already (the same message)
    /// and were not added again.
    pub(super) fn report_appeals_loaded(
        &mut self,
        added: usize,
        repeated: usize,
        errors: Vec<String>,
    ) {
        let total = self
            .workspace
            .session
            .as_ref()
            .map_or(0, |s| s.outcomes().len());
        let note = self.workspace.reloaded_note.take();
        if let (Some(note), true) = (&note, errors.is_empty()) {
            self.say(format!("{note} Всего в списке: {total}."));
        } else if errors.is_empty() {
            let again = if repeated > 0 {
                format!(" Уже были в списке и повторно не добавлены (то же обращение): {repeated}.")
            } else {
                String::new()
            };
            self.say(format!(
                "Добавлено обращений: {added}; всего в списке: {total}.{again}"
            ));
        } else {
            self.complain(errors.join(" "));
        }
    }
}
