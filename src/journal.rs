//! The crash journal: every operation of a session is appended to a file in the user's data
//! directory (readable only by the user) as soon as it is made, so a crash or a power cut loses
//! nothing. Reopening the same export offers to replay it; saving clears it.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::session::Operation;

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

fn private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

fn private_file(path: &Path, append: bool) -> std::io::Result<std::fs::File> {
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

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends one operation and syncs it to disk. Failures are silent: the journal is a
    /// safety net, never a reason to refuse an edit.
    pub fn append(&self, op: &Operation) {
        let _ = self.try_write(std::slice::from_ref(op), true);
    }

    /// Replaces the journal with these operations (after an undo).
    pub fn rewrite(&self, ops: &[Operation]) {
        if ops.is_empty() {
            self.clear();
        } else {
            let _ = self.try_write(ops, false);
        }
    }

    fn try_write(&self, ops: &[Operation], append: bool) -> std::io::Result<()> {
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

    /// The operations journaled (a torn last line from a crash is skipped).
    pub fn read(&self) -> Vec<Operation> {
        let Ok(text) = std::fs::read_to_string(&self.path) else {
            return Vec::new();
        };
        text.lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect()
    }

    pub fn clear(&self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::{Change, Source};

    #[test]
    fn append_read_rewrite_clear() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let j = Journal::at(dir.path().join("j/x.jsonl"));
        let op = |n: u32| Operation {
            label: format!("op {n}"),
            source: Source::Manual,
            at: String::new(),
            changes: vec![Change {
                sheet: 0,
                row: n,
                col: 1,
                old: None,
                new: Some("ё".into()),
            }],
        };
        j.append(&op(1));
        j.append(&op(2));
        assert_eq!(j.read(), vec![op(1), op(2)]);
        // A torn line (crash mid-write) is skipped.
        let mut f = private_file(j.path(), true).unwrap_or_else(|e| panic!("{e}"));
        let _ = f.write_all(b"{\"label\": \"op");
        assert_eq!(j.read().len(), 2);
        j.rewrite(&[op(1)]);
        assert_eq!(j.read(), vec![op(1)]);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(j.path())
                .map(|m| m.permissions().mode() & 0o777)
                .unwrap_or(0);
            assert_eq!(mode, 0o600);
        }
        j.clear();
        assert!(j.read().is_empty());
    }
}
