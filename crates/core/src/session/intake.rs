//! Taking appeals in, as session operations: files (or folders) read and remembered in the
//! case record, pasted texts parsed and remembered, and the list of the previous session on
//! this export read again. Matching them is [`Session::add_appeals`] (or the worker's
//! [`Session::matching_work`]): reading and matching are separate so that the app can match a
//! large book's appeals off the UI thread.

use std::path::{Path, PathBuf};

use crate::engine::appeal::{self, Appeal, AppealError};
use crate::session::Session;
use crate::session::casefile::AppealSource;
use crate::session::save::full_text;

/// A file (or folder) whose appeals could not be read.
#[derive(Debug)]
pub struct UnreadFile {
    /// The file or folder.
    pub path: PathBuf,
    /// Why, in Russian through its `Display`.
    pub error: AppealError,
}

/// The appeals of the previous session on this export, read again.
#[derive(Debug, Default)]
pub struct PreviousAppeals {
    /// The appeals, without those the officer removed from the list.
    pub appeals: Vec<Appeal>,
    /// File names of appeal files that are not there any more.
    pub missing: Vec<String>,
    /// The highest number of a pasted text («вставка 3» → 3), so that the next paste gets
    /// a new name.
    pub last_paste: usize,
}

impl Session {
    /// Reads appeal files and folders; each file read is remembered in the case record, so
    /// that the list comes back after a restart. The appeals are not matched yet.
    pub fn read_appeal_files(&mut self, paths: &[PathBuf]) -> (Vec<Appeal>, Vec<UnreadFile>) {
        let mut all = Vec::new();
        let mut unread = Vec::new();
        for loaded in appeal::load_paths(paths) {
            match loaded.appeals {
                Ok(list) => {
                    all.extend(list);
                    self.note_source(AppealSource::File {
                        path: full_text(&loaded.path),
                    });
                }
                Err(error) => unread.push(UnreadFile {
                    path: loaded.path,
                    error,
                }),
            }
        }
        (all, unread)
    }

    /// Reads a pasted text (named `name`, «вставка 2») as appeals; the text is remembered in
    /// the case record like a file. The appeals are not matched yet.
    pub fn read_pasted(&mut self, text: &str, name: &str) -> Result<Vec<Appeal>, AppealError> {
        let list = appeal::parse_text(text, name)?;
        self.note_source(AppealSource::Pasted {
            name: name.to_string(),
            text: text.to_string(),
        });
        Ok(list)
    }

    /// Reads appeal texts that are not to be remembered (the embedded demo's): the appeals,
    /// and for each text that could not be read its name and why.
    pub fn read_texts(&self, texts: &[(&str, &str)]) -> (Vec<Appeal>, Vec<(String, AppealError)>) {
        let mut all = Vec::new();
        let mut failed = Vec::new();
        for &(name, text) in texts {
            match appeal::parse_text(text, name) {
                Ok(list) => all.extend(list),
                Err(e) => failed.push((name.to_string(), e)),
            }
        }
        (all, failed)
    }

    /// The appeals of the previous session on this export (files that still exist and pasted
    /// texts), leaving out those the officer removed. `None` when there is nothing to bring
    /// back: no record, an empty one, or appeals already loaded.
    pub fn previous_appeals(&self) -> Option<PreviousAppeals> {
        let case = self.case()?;
        if !self.outcomes().is_empty() || case.data.sources.is_empty() {
            return None;
        }
        let mut found = PreviousAppeals::default();
        let mut appeals = Vec::new();
        for src in &case.data.sources {
            match src {
                AppealSource::File { path } => match appeal::load_file(Path::new(path)) {
                    Ok(list) => appeals.extend(list),
                    Err(_) => found.missing.push(file_name(Path::new(path))),
                },
                AppealSource::Pasted { name, text } => {
                    appeals.extend(appeal::parse_text(text, name).unwrap_or_default());
                    if let Some(n) = name
                        .strip_prefix("вставка ")
                        .and_then(|n| n.parse::<usize>().ok())
                    {
                        found.last_paste = found.last_paste.max(n);
                    }
                }
            }
        }
        // The same appeal loaded twice (a file and a paste of the same card) comes back once,
        // so that «Возвращены обращения: N» is what the list gets.
        let mut seen = std::collections::HashSet::new();
        appeals.retain(|a| seen.insert(crate::engine::progress::appeal_key(a)));
        found.appeals = self.without_dismissed(appeals);
        Some(found)
    }
}

/// A file's name, as the officer reads it in a message (its folder left out).
pub fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| p.display().to_string())
}
