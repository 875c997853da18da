//! The register of appeals: every appeal the officer has loaded, for every export worked on
//! with this data folder — which message, whose, what was found, each stage and when it was
//! reached, the corrected file its fixes went into, and the reply taken for ПОС. It answers
//! «what happened to appeal N?» weeks later.
//!
//! It is read from the case records (one JSON file per export, written whole to a temporary
//! file and renamed over the old one, so a crash at any moment leaves the last complete
//! record), and the open session's record is taken from memory, as it is now.

use std::path::Path;

use crate::engine::progress::{Progress, ReplyTaken, Stage, StageDate};
use crate::session::Session;
use crate::session::casefile::{CaseData, CaseFile};
use crate::session::intake::file_name;

/// One appeal in the register.
#[derive(Debug, Clone, PartialEq)]
pub struct RegisterRow {
    /// The export it was worked on in (its file name).
    pub export: String,
    /// The export's full path.
    pub export_path: String,
    /// The ПОС message number, when the card gave it.
    pub number: Option<String>,
    /// The ЕПГУ number, when the card gave it.
    pub epgu: Option<String>,
    /// «Медведева Варвара Денисовна, 14.06.1990».
    pub person: String,
    /// Where it came from: a file's name or «вставка 2».
    pub source: String,
    /// What the comparison found when it was loaded.
    pub diagnosis: String,
    /// When it was loaded (local time, RFC 3339).
    pub loaded: String,
    /// The stage now, or `None` for an appeal the officer removed from the list.
    pub stage: Option<Stage>,
    /// When each stage was reached, oldest first.
    pub dates: Vec<StageDate>,
    /// The corrected file its fixes went into (its name).
    pub file: Option<String>,
    /// The reply taken for ПОС.
    pub reply: Option<ReplyTaken>,
}

impl RegisterRow {
    /// The stage as the officer reads it: «вход подтверждён», «убрано из списка».
    pub fn stage_ru(&self) -> &'static str {
        self.stage.map_or("убрано из списка", Stage::label_ru)
    }

    /// Every text of the row, folded, for the register's search.
    pub fn haystack(&self) -> String {
        [
            self.export.as_str(),
            self.number.as_deref().unwrap_or(""),
            self.epgu.as_deref().unwrap_or(""),
            self.person.as_str(),
            self.source.as_str(),
            self.diagnosis.as_str(),
            self.stage_ru(),
            self.file.as_deref().unwrap_or(""),
        ]
        .join(" ")
        .to_lowercase()
        .replace('ё', "е")
    }

    /// Whether every word of `query` is in the row (any order, any case).
    pub fn matches(&self, query: &str) -> bool {
        let hay = self.haystack();
        query
            .to_lowercase()
            .replace('ё', "е")
            .split_whitespace()
            .all(|w| hay.contains(w))
    }
}

/// A date of the register as «07.12.2026 10:00» (empty when unknown).
pub fn date_ru(at: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(at)
        .map(|t| t.format("%d.%m.%Y %H:%M").to_string())
        .unwrap_or_default()
}

/// The rows of one case record.
fn rows_of(data: &CaseData) -> Vec<RegisterRow> {
    let export = file_name(Path::new(&data.export));
    data.register
        .iter()
        .map(|(key, info)| {
            let progress = data.progress.get(key).cloned().unwrap_or_default();
            let removed = data.dismissed.contains(key);
            let Progress {
                stage,
                saved_to,
                dates,
                reply,
                ..
            } = progress;
            RegisterRow {
                export: export.clone(),
                export_path: data.export.clone(),
                number: info.number.clone(),
                epgu: info.epgu.clone(),
                person: info.title.clone(),
                source: info.source.clone(),
                diagnosis: info.diagnosis.clone(),
                loaded: info.loaded.clone(),
                stage: (!removed).then_some(stage),
                dates,
                file: saved_to.map(|f| file_name(Path::new(&f))),
                reply,
            }
        })
        .collect()
}

/// The register of every export worked on with the data folder `data_dir`, the newest
/// loaded first. `current` (the open session's record, as it is in memory) stands in for its
/// file. Records that cannot be read are left out.
pub fn read(data_dir: &Path, current: Option<&CaseFile>) -> Vec<RegisterRow> {
    let mut rows = Vec::new();
    if let Some(c) = current {
        rows.extend(rows_of(&c.data));
    }
    if let Ok(entries) = std::fs::read_dir(data_dir.join("cases")) {
        for e in entries.flatten() {
            let path = e.path();
            if path.extension().is_none_or(|x| x != "json")
                || current.is_some_and(|c| c.path() == path)
            {
                continue;
            }
            let data: Option<CaseData> = std::fs::read_to_string(&path)
                .ok()
                .and_then(|t| serde_json::from_str(&t).ok());
            if let Some(data) = data {
                rows.extend(rows_of(&data));
            }
        }
    }
    rows.sort_by(|a, b| {
        b.loaded
            .cmp(&a.loaded)
            .then_with(|| a.person.cmp(&b.person))
    });
    rows
}

impl Session {
    /// The register of appeals across every export worked on with `data_dir`, this
    /// session's as it is now. Without a data folder or a record (the demo), this session's
    /// appeals only.
    pub fn register(&self, data_dir: Option<&Path>) -> Vec<RegisterRow> {
        match (data_dir, self.case()) {
            (Some(dir), Some(case)) => read(dir, Some(case)),
            _ => self.register_in_memory(),
        }
    }

    fn register_in_memory(&self) -> Vec<RegisterRow> {
        let export = self
            .book()
            .path()
            .map(file_name)
            .unwrap_or_else(|| "пример".into());
        let children = self.appeal_children();
        self.outcomes()
            .iter()
            .enumerate()
            .map(|(i, o)| (i, o, children.get(i).copied().flatten()))
            .map(|(i, o, child)| RegisterRow {
                export: export.clone(),
                export_path: String::new(),
                number: o.appeal.number.clone(),
                epgu: o.appeal.epgu_number.clone(),
                person: o.appeal.title(),
                source: o.appeal.source.clone(),
                diagnosis: self
                    .appeal_ids()
                    .get(i)
                    .map(|&id| self.causes_ru(id, child))
                    .unwrap_or_default(),
                loaded: String::new(),
                stage: Some(o.progress.stage),
                dates: o.progress.dates.clone(),
                file: o
                    .progress
                    .saved_to
                    .as_ref()
                    .map(|f| file_name(Path::new(f))),
                reply: o.progress.reply.clone(),
            })
            .collect()
    }

    /// The officer took the reply `text` for ПОС (copied it): the register keeps it.
    pub fn note_reply(&mut self, id: crate::session::AppealId, text: &str) {
        let Some(o) = self.appeals.get_mut(id) else {
            return;
        };
        o.progress.reply = Some(ReplyTaken {
            text: text.to_string(),
            at: chrono::Local::now().to_rfc3339(),
        });
        self.persist();
    }
}
