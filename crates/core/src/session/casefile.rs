//! The officer's record of one export's appeals, kept across restarts: which appeals were
//! loaded (files, pasted texts), where each stands in the procedure ([`Progress`]), and which
//! corrected files were written from the export. It lives in the user's data folder beside
//! the crash journal (readable by the user only), one file per export.
//!
//! A corrected file continues its export's record: opening `5А_исправлено.xls` finds the
//! record of `5А.xls`, so the appeals, their stages and the fixes of the first round are all
//! there in the second.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::engine::progress::Progress;

/// Where an appeal came from, so that the list can be loaded again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppealSource {
    File { path: String },
    Pasted { name: String, text: String },
}

/// What is kept for one export.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CaseData {
    /// The export the record started from (full path).
    #[serde(default)]
    pub export: String,
    /// Corrected files written from it, oldest first (full paths).
    #[serde(default)]
    pub saved: Vec<String>,
    /// Appeal files and pasted texts, in the order they were loaded.
    #[serde(default)]
    pub sources: Vec<AppealSource>,
    /// Each appeal's progress, by [`crate::engine::progress::appeal_key`].
    #[serde(default)]
    pub progress: BTreeMap<String, Progress>,
    /// Appeals the officer removed from the list (by key): not loaded again.
    #[serde(default)]
    pub dismissed: Vec<String>,
    /// Each corrected file written, with the cells it changed: when a corrected file is
    /// opened again, the cells of earlier rounds are marked.
    #[serde(default)]
    pub rounds: Vec<Round>,
    /// Each appeal ever loaded for this export, by key: who, which message, what was found
    /// (the register of appeals reads it with `progress`).
    #[serde(default)]
    pub register: BTreeMap<String, AppealInfo>,
}

/// What the register keeps of an appeal besides its progress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppealInfo {
    /// «Медведева Варвара Денисовна, 14.06.1990».
    pub title: String,
    /// The ПОС message number and the ЕПГУ number, when the card gave them.
    #[serde(default)]
    pub number: Option<String>,
    #[serde(default)]
    pub epgu: Option<String>,
    /// Where it came from: a file's name or «вставка 2».
    pub source: String,
    /// What the comparison found when the appeal was first loaded, in Russian.
    pub diagnosis: String,
    /// When it was first loaded (local time, RFC 3339).
    pub loaded: String,
}

/// One corrected file written: from which file, and the cells it holds changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Round {
    /// The corrected file (full path).
    pub file: String,
    /// The file open when it was saved (full path): the export, or an earlier corrected file.
    pub from: String,
    /// When it was saved (local time, RFC 3339).
    pub at: String,
    /// The cells it changed from `from`.
    pub cells: Vec<RoundCell>,
}

/// A cell of the opened file that an earlier round changed, as the grid's tooltip tells it.
#[derive(Debug, Clone, PartialEq)]
pub struct EarlierChange {
    /// The corrected file that round wrote (its name).
    pub file: String,
    /// When the officer changed the cell, as «07.12.2026 10:00» (empty if unknown).
    pub when: String,
    /// Why: «по обращению 01_родитель.txt», «вручную».
    pub why: String,
    /// The text before that round (`None`: empty).
    pub old: Option<String>,
}

impl EarlierChange {
    /// The tooltip's line: «Исправлено в прошлый раз (07.12.2026 10:00, по обращению …; файл
    /// «5А_исправлено.xls»), было «…»».
    pub fn describe_ru(&self) -> String {
        let when = if self.when.is_empty() {
            String::new()
        } else {
            format!("{}, ", self.when)
        };
        format!(
            "Исправлено в прошлый раз ({when}{}; файл «{}»), было: «{}»",
            self.why,
            self.file,
            self.old.as_deref().unwrap_or("пусто")
        )
    }
}

/// A cell a round changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoundCell {
    pub sheet: usize,
    pub row: u32,
    pub col: u32,
    /// The text before and after (`None`: empty).
    pub old: Option<String>,
    pub new: Option<String>,
    /// When the officer changed it (local time, RFC 3339).
    pub at: String,
    /// Why: «по обращению 01_родитель.txt», «вручную», «массово: …».
    pub why: String,
}

/// Why the record could not be written.
#[derive(Debug, thiserror::Error)]
pub enum CaseError {
    #[error("записи о ходе работы по обращениям не сохранены ({path}): {}", crate::xls::io_error_ru(.source))]
    Write {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

/// The record of one export, and where it is kept.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseFile {
    path: PathBuf,
    /// What is kept for the export.
    pub data: CaseData,
}

/// A stable 64-bit FNV-1a hash (the file name must not change between builds).
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

fn full(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

impl CaseFile {
    /// The record for a file the officer opened: the record of its export when the file is a
    /// corrected file written from one, else the file's own (new if there is none).
    pub fn for_file(data_dir: &Path, opened: &Path) -> CaseFile {
        let opened = full(opened);
        let text = opened.to_string_lossy().into_owned();
        let dir = data_dir.join("cases");
        let own = dir.join(format!("{:016x}.json", fnv1a(text.as_bytes())));
        if let Some(data) = read(&own) {
            return CaseFile { path: own, data };
        }
        if let Ok(entries) = std::fs::read_dir(&dir) {
            for e in entries.flatten() {
                let path = e.path();
                if let Some(data) = read(&path)
                    && data.saved.contains(&text)
                {
                    return CaseFile { path, data };
                }
            }
        }
        CaseFile {
            path: own,
            data: CaseData {
                export: text,
                ..CaseData::default()
            },
        }
    }

    /// Where the record is kept: a JSON file in the `cases` folder of the data folder.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A corrected file was written from this export.
    pub fn note_saved(&mut self, file: &Path) {
        let text = full(file).to_string_lossy().into_owned();
        self.data.saved.retain(|s| *s != text);
        self.data.saved.push(text);
    }

    /// A corrected file was written: the round is kept (a file written again replaces its
    /// round).
    pub fn note_round(&mut self, round: Round) {
        self.data.rounds.retain(|r| r.file != round.file);
        self.data.rounds.push(round);
    }

    /// The cells changed in the rounds that led to `file` (a corrected file opened again):
    /// its own round, the round of the file it was saved from, and so on back to the export.
    /// A cell changed in several rounds is given by the newest.
    pub fn earlier_rounds(&self, file: &Path) -> Vec<(&Round, &RoundCell)> {
        let mut found = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let mut at = full(file).to_string_lossy().into_owned();
        // Each file once: a record edited by hand cannot make this loop forever.
        let mut visited = std::collections::HashSet::new();
        while visited.insert(at.clone()) {
            let Some(round) = self.data.rounds.iter().find(|r| r.file == at) else {
                break;
            };
            for c in &round.cells {
                if seen.insert((c.sheet, c.row, c.col)) {
                    found.push((round, c));
                }
            }
            at = round.from.clone();
        }
        found
    }

    /// The cells of `file` that earlier rounds changed, for the grid to mark.
    pub fn earlier_changes(
        &self,
        file: &Path,
    ) -> std::collections::HashMap<crate::book::CellRef, EarlierChange> {
        self.earlier_rounds(file)
            .into_iter()
            .map(|(round, c)| {
                let when = chrono::DateTime::parse_from_rfc3339(&c.at)
                    .map(|t| t.format("%d.%m.%Y %H:%M").to_string())
                    .unwrap_or_default();
                (
                    crate::book::CellRef::new(c.sheet, c.row, c.col),
                    EarlierChange {
                        file: Path::new(&round.file).file_name().map_or_else(
                            || round.file.clone(),
                            |n| n.to_string_lossy().into_owned(),
                        ),
                        when,
                        why: c.why.clone(),
                        old: c.old.clone(),
                    },
                )
            })
            .collect()
    }

    /// An appeal source was loaded (kept once).
    pub fn note_source(&mut self, source: AppealSource) {
        if !self.data.sources.contains(&source) {
            self.data.sources.push(source);
        }
    }

    /// Writes the record (to a temporary file, then renamed over the old one).
    pub fn save(&self) -> Result<(), CaseError> {
        self.try_save().map_err(|source| CaseError::Write {
            path: self.path.display().to_string(),
            source,
        })
    }

    fn try_save(&self) -> std::io::Result<()> {
        if let Some(dir) = self.path.parent() {
            crate::session::journal::private_dir(dir)?;
        }
        let json = serde_json::to_vec_pretty(&self.data).map_err(std::io::Error::other)?;
        let tmp = self.path.with_extension("json.tmp");
        {
            use std::io::Write;
            let mut f = crate::session::journal::private_file(&tmp, false)?;
            f.write_all(&json)?;
            f.sync_all()?;
        }
        std::fs::rename(&tmp, &self.path)
    }
}

fn read(path: &Path) -> Option<CaseData> {
    let text = std::fs::read_to_string(path).ok()?;
    serde_json::from_str(&text).ok()
}

/// Corrected files of an export that exist now, newest first: those the record lists, and
/// `ИМЯ_исправлено*.xls` beside the export (written without a record, or by hand).
pub fn corrected_files(export: &Path, case: Option<&CaseFile>) -> Vec<PathBuf> {
    let export = full(export);
    let mut found: Vec<PathBuf> = case
        .map(|c| c.data.saved.iter().map(PathBuf::from).collect())
        .unwrap_or_default();
    if let (Some(dir), Some(stem)) = (export.parent(), export.file_stem()) {
        let prefix = format!("{}_исправлено", stem.to_string_lossy());
        if let Ok(entries) = std::fs::read_dir(dir) {
            for e in entries.flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                if name.starts_with(&prefix) && name.to_lowercase().ends_with(".xls") {
                    found.push(e.path());
                }
            }
        }
    }
    let mut dated: Vec<(std::time::SystemTime, PathBuf)> = found
        .into_iter()
        .map(|p| full(&p))
        .filter(|p| *p != export)
        .filter_map(|p| Some((std::fs::metadata(&p).ok()?.modified().ok()?, p)))
        .collect();
    dated.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    dated.dedup_by(|a, b| a.1 == b.1);
    dated.into_iter().map(|(_, p)| p).collect()
}

/// A name for a new file that does not exist yet: `path` itself, else `ИМЯ (2).xls`,
/// `ИМЯ (3).xls`, … (an existing file is never the default target of a save).
pub fn free_name(path: &Path) -> PathBuf {
    if !path.exists() {
        return path.to_path_buf();
    }
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    // `ИМЯ (2)` continues as `ИМЯ (3)`, not `ИМЯ (2) (2)`.
    let base = match stem.rsplit_once(" (") {
        Some((b, n)) if n.trim_end_matches(')').parse::<u32>().is_ok() && n.ends_with(')') => {
            b.to_string()
        }
        _ => stem,
    };
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().into_owned())
        .unwrap_or_else(|| "xls".into());
    (2u32..)
        .map(|n| path.with_file_name(format!("{base} ({n}).{ext}")))
        .find(|p| !p.exists())
        .unwrap_or_else(|| path.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::field::Field;

    #[test]
    fn a_corrected_file_continues_its_exports_record() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let data = dir.path().join("data");
        let export = dir.path().join("5А.xls");
        let fixed = dir.path().join("5А_исправлено.xls");
        std::fs::write(&export, b"x").unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(&fixed, b"y").unwrap_or_else(|e| panic!("{e}"));
        let mut case = CaseFile::for_file(&data, &export);
        let mut p = Progress::default();
        p.record_saved(
            vec![(Field::Snils, "112-233-445 95".into())],
            "5А_исправлено.xls",
        );
        case.data.progress.insert("k".into(), p.clone());
        case.note_source(AppealSource::Pasted {
            name: "вставка 1".into(),
            text: "Фамилия Иванов".into(),
        });
        case.note_saved(&fixed);
        case.save().unwrap_or_else(|e| panic!("{e}"));
        // Reopening the export, or opening the corrected file, finds the same record.
        for opened in [&export, &fixed] {
            let again = CaseFile::for_file(&data, opened);
            assert_eq!(again.data, case.data, "{}", opened.display());
        }
        // Another export starts clean.
        let other = dir.path().join("6Б.xls");
        std::fs::write(&other, b"z").unwrap_or_else(|e| panic!("{e}"));
        assert!(CaseFile::for_file(&data, &other).data.progress.is_empty());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(case.path())
                .map(|m| m.permissions().mode() & 0o777)
                .unwrap_or(0);
            assert_eq!(mode, 0o600);
        }
    }

    #[test]
    fn corrected_files_are_found_beside_the_export_newest_first() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let export = dir.path().join("5А.xls");
        std::fs::write(&export, b"x").unwrap_or_else(|e| panic!("{e}"));
        assert!(corrected_files(&export, None).is_empty());
        let first = dir.path().join("5А_исправлено.xls");
        std::fs::write(&first, b"1").unwrap_or_else(|e| panic!("{e}"));
        std::thread::sleep(std::time::Duration::from_millis(20));
        let second = dir.path().join("5А_исправлено (2).xls");
        std::fs::write(&second, b"2").unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(dir.path().join("6Б_исправлено.xls"), b"3")
            .unwrap_or_else(|e| panic!("{e}"));
        let found = corrected_files(&export, None);
        assert_eq!(found, vec![full(&second), full(&first)]);
    }

    #[test]
    fn a_free_name_never_overwrites() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let target = dir.path().join("5А_исправлено.xls");
        assert_eq!(free_name(&target), target);
        std::fs::write(&target, b"1").unwrap_or_else(|e| panic!("{e}"));
        let second = free_name(&target);
        assert_eq!(second, dir.path().join("5А_исправлено (2).xls"));
        std::fs::write(&second, b"2").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(free_name(&target), dir.path().join("5А_исправлено (3).xls"));
        assert_eq!(free_name(&second), dir.path().join("5А_исправлено (3).xls"));
    }

    /// A corrected file opened again knows the cells of every round that led to it: its
    /// own, and those of the files it was saved from; not those of a round started afresh
    /// from the export.
    #[test]
    fn the_rounds_that_led_to_a_file_are_followed_back_to_the_export() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = |n: &str| {
            let p = dir.path().join(n);
            std::fs::write(&p, n).unwrap_or_else(|e| panic!("{e}"));
            full(&p).to_string_lossy().into_owned()
        };
        let (export, first, second, afresh) = (
            path("5А.xls"),
            path("5А_исправлено.xls"),
            path("5А_исправлено (2).xls"),
            path("5А_исправлено (3).xls"),
        );
        let cell = |row: u32, new: &str| RoundCell {
            sheet: 0,
            row,
            col: 8,
            old: None,
            new: Some(new.into()),
            at: "2026-12-07T10:00:00+03:00".into(),
            why: "вручную".into(),
        };
        let mut case = CaseFile::for_file(&dir.path().join("data"), Path::new(&export));
        let round = |file: &str, from: &str, cells| Round {
            file: file.into(),
            from: from.into(),
            at: String::new(),
            cells,
        };
        case.note_round(round(&first, &export, vec![cell(3, "a"), cell(4, "b")]));
        case.note_round(round(&second, &first, vec![cell(4, "c"), cell(5, "d")]));
        case.note_round(round(&afresh, &export, vec![cell(9, "z")]));
        let rows = |file: &str| -> Vec<(u32, String)> {
            let mut v: Vec<(u32, String)> = case
                .earlier_rounds(Path::new(file))
                .into_iter()
                .map(|(_, c)| (c.row, c.new.clone().unwrap_or_default()))
                .collect();
            v.sort();
            v
        };
        assert_eq!(
            rows(&second),
            [(3, "a".into()), (4, "c".into()), (5, "d".into())],
            "the newest round wins a cell"
        );
        assert_eq!(rows(&afresh), [(9, "z".into())]);
        assert!(rows(&export).is_empty());
    }
}
