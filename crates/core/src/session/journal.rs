//! The crash journal: every cell edit of a session is appended to a file in the user's data
//! directory (readable only by the user) as soon as it is made, so a crash or a power cut loses
//! nothing. Reopening the same export offers to replay it; saving clears it.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::session::operation::Edit;

/// A journal write failed: the edit is made, but a crash now could lose it.
#[derive(Debug, thiserror::Error)]
#[error(
    "журнал исправлений не записан ({path}): {}; исправления сделаны, но до сохранения файла их может не удаться восстановить после сбоя",
    crate::xls::io_error_ru(.source)
)]
pub struct JournalError {
    path: String,
    #[source]
    source: std::io::Error,
}

/// The journal of one export.
#[derive(Debug, Clone, PartialEq)]
pub struct Journal {
    path: PathBuf,
}

/// sverka's data directory: `SVERKA_DATA_DIR` if set, else the platform's per-user data folder.
pub fn data_dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("SVERKA_DATA_DIR") {
        return Some(PathBuf::from(d));
    }
    let env = |k: &str| std::env::var_os(k).map(PathBuf::from);
    if cfg!(windows) {
        return env("APPDATA").map(|d| d.join("sverka"));
    }
    if cfg!(target_os = "macos") {
        return env("HOME").map(|h| h.join("Library/Application Support/sverka"));
    }
    env("XDG_DATA_HOME")
        .or_else(|| env("HOME").map(|h| h.join(".local/share")))
        .map(|d| d.join("sverka"))
}

pub(crate) fn private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

pub(crate) fn private_file(path: &Path, append: bool) -> std::io::Result<std::fs::File> {
    let mut o = std::fs::OpenOptions::new();
    o.create(true);
    if append {
        o.append(true);
    } else {
        o.write(true).truncate(true);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    o.open(path)
}

impl Journal {
    /// The journal for an export file (keyed by its full path, size and modification time, so
    /// a new export of the same name starts clean).
    pub fn for_export(export: &Path) -> Option<Journal> {
        Journal::for_export_in(&data_dir()?, export)
    }

    /// The journal for an export, kept under `data_dir`.
    pub fn for_export_in(data_dir: &Path, export: &Path) -> Option<Journal> {
        use std::hash::{Hash, Hasher};
        let full = std::fs::canonicalize(export).ok()?;
        let meta = std::fs::metadata(&full).ok()?;
        let mut h = std::hash::DefaultHasher::new();
        full.hash(&mut h);
        meta.len().hash(&mut h);
        meta.modified().ok().hash(&mut h);
        let dir = data_dir.join("journal");
        Some(Journal {
            path: dir.join(format!("{:016x}.jsonl", h.finish())),
        })
    }

    /// A journal at an explicit path.
    pub fn at(path: PathBuf) -> Journal {
        Journal { path }
    }

    /// The file the journal is written to (one JSON line per edit).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends one edit and syncs it to disk. A failure is reported, never a reason
    /// to refuse the edit: the journal is a safety net.
    pub fn append(&self, op: &Edit) -> Result<(), JournalError> {
        self.try_write(std::slice::from_ref(op), true)
            .map_err(|e| self.error(e))
    }

    /// Replaces the journal with these edits (after an undo).
    pub fn rewrite(&self, ops: &[Edit]) -> Result<(), JournalError> {
        if ops.is_empty() {
            self.clear()
        } else {
            self.try_write(ops, false).map_err(|e| self.error(e))
        }
    }

    fn error(&self, source: std::io::Error) -> JournalError {
        JournalError {
            path: self.path.display().to_string(),
            source,
        }
    }

    fn try_write(&self, ops: &[Edit], append: bool) -> std::io::Result<()> {
        if let Some(dir) = self.path.parent() {
            private_dir(dir)?;
        }
        let mut f = private_file(&self.path, append)?;
        for op in ops {
            let line = serde_json::to_string(op).map_err(std::io::Error::other)?;
            f.write_all(line.as_bytes())?;
            f.write_all(b"\n")?;
        }
        f.sync_all()
    }

    /// The edits journaled (a torn last line from a crash is skipped).
    pub fn read(&self) -> Vec<Edit> {
        let Ok(text) = std::fs::read_to_string(&self.path) else {
            return Vec::new();
        };
        text.lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect()
    }

    /// Removes the journal (after a save, or when the officer starts afresh).
    pub fn clear(&self) -> Result<(), JournalError> {
        match std::fs::remove_file(&self.path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(self.error(e)),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::book::CellRef;
    use crate::session::operation::{Change, Source};

    /// A change is journaled flat (`sheet`, `row`, `col`), as earlier versions wrote it, so a
    /// journal left by one of them is still restored.
    #[test]
    fn a_change_is_written_flat_as_before() {
        let line = r#"{"label":"x","source":"manual","at":"","changes":[{"sheet":0,"row":5,"col":8,"old":null,"new":"112-233-445 95"}]}"#;
        let op: Edit = serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            op.changes.first().map(|c| c.cell),
            Some(CellRef::new(0, 5, 8))
        );
        let again = serde_json::to_string(&op).unwrap_or_default();
        assert!(again.contains(r#""sheet":0,"row":5,"col":8"#), "{again}");
    }

    #[test]
    fn append_read_rewrite_clear() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let j = Journal::at(dir.path().join("j/x.jsonl"));
        let op = |n: u32| Edit {
            label: format!("op {n}"),
            source: Source::Manual,
            at: String::new(),
            changes: vec![Change {
                cell: CellRef::new(0, n, 1),
                old: None,
                new: Some("ё".into()),
            }],
        };
        j.append(&op(1)).unwrap_or_else(|e| panic!("{e}"));
        j.append(&op(2)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(j.read(), vec![op(1), op(2)]);
        // A torn line (crash mid-write) is skipped.
        {
            // Closed before the journal is rewritten and removed (Windows keeps an open file).
            let mut f = private_file(j.path(), true).unwrap_or_else(|e| panic!("{e}"));
            let _ = f.write_all(b"{\"label\": \"op");
        }
        assert_eq!(j.read().len(), 2);
        j.rewrite(&[op(1)]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(j.read(), vec![op(1)]);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(j.path())
                .map(|m| m.permissions().mode() & 0o777)
                .unwrap_or(0);
            assert_eq!(mode, 0o600);
        }
        j.clear().unwrap_or_else(|e| panic!("{e}"));
        assert!(j.read().is_empty());
        // Clearing a journal that is not there is no error.
        j.clear().unwrap_or_else(|e| panic!("{e}"));
    }
}
