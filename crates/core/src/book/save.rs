//! Saving: the corrected file built from the original stream and the edits, read back on its
//! own and compared cell by cell, written to a temporary file beside the target, synced, read
//! back from disk, and only then renamed over the target — never over the opened export
//! unless the officer asked for it.

use super::*;

/// What a save did.
#[derive(Debug, Clone, PartialEq)]
pub struct SaveReport {
    /// The file written (the path asked for).
    pub path: PathBuf,
    /// Cells whose value changed.
    pub cells_changed: usize,
    /// Bytes written.
    pub bytes: usize,
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}

/// Writes to a temporary file beside `target`, syncs it, checks what the disk holds, then
/// renames it over `target`.
pub fn atomic_write(target: &Path, bytes: &[u8]) -> Result<(), XlsError> {
    TempFile::write(target, bytes)?.commit()
}

/// A fully written and synced temporary file waiting to replace its target; removed if it is
/// dropped without [`TempFile::commit`].
pub struct TempFile {
    tmp: PathBuf,
    target: PathBuf,
    dir: PathBuf,
    committed: bool,
}

impl TempFile {
    /// Writes `bytes` beside `target`, syncs, and reads them back from disk.
    pub fn write(target: &Path, bytes: &[u8]) -> Result<TempFile, XlsError> {
        let dir = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf();
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "sverka".into());
        let temp = TempFile {
            tmp: dir.join(format!(".{name}.{}.tmp", std::process::id())),
            target: target.to_path_buf(),
            dir,
            committed: false,
        };
        let err = |source| XlsError::Write {
            path: target.to_path_buf(),
            source,
        };
        let mut f = std::fs::File::create(&temp.tmp).map_err(err)?;
        f.write_all(bytes).map_err(err)?;
        f.sync_all().map_err(err)?;
        drop(f);
        let on_disk = std::fs::File::open(&temp.tmp).and_then(|f| reads_as(f, bytes));
        if !on_disk.map_err(err)? {
            return Err(XlsError::VerifyFailed {
                path: target.to_path_buf(),
                detail: VerifyError::DiskDiffers,
            });
        }
        Ok(temp)
    }

    /// Renames the temporary file over the target.
    pub fn commit(mut self) -> Result<(), XlsError> {
        // Test hook for the crash-safety test: die between the temp write and the rename.
        if std::env::var_os("SVERKA_TEST_ABORT_BEFORE_RENAME").is_some() {
            std::process::abort();
        }
        std::fs::rename(&self.tmp, &self.target).map_err(|source| XlsError::Write {
            path: self.target.clone(),
            source,
        })?;
        self.committed = true;
        // Best effort: the file is in place; syncing its folder only hurries the rename to the
        // disk, and Windows cannot open a folder for it at all.
        if let Ok(d) = std::fs::File::open(&self.dir) {
            let _ = d.sync_all();
        }
        Ok(())
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

impl XlsBook {
    /// The bytes of the corrected file (a complete compound file).
    pub fn to_bytes(&self) -> Result<Vec<u8>, XlsError> {
        let stream = patch(&self.workbook, &self.workbook_edits())?;
        self.container.with_workbook(&stream)
    }

    /// Checks that `file` reads back as this book with its edits: every sheet, every cell.
    pub fn verify(&self, file: &[u8]) -> Result<(), VerifyError> {
        crate::book::readback::verify(file, &self.exported, &self.edits)
    }

    /// Writes the corrected file to `target` (never the opened file) and verifies it.
    pub fn save_as(&self, target: &Path) -> Result<SaveReport, XlsError> {
        if let Some(src) = &self.path
            && same_file(src, target)
        {
            return Err(XlsError::WouldOverwrite(target.to_path_buf()));
        }
        self.write_verified(target)
    }

    /// Overwrites the opened file itself — only when the officer explicitly asked for it, and
    /// never when the source was not Excel 97-2003.
    pub fn save_in_place(&self) -> Result<SaveReport, XlsError> {
        if let (Some(format), Some(path)) = (self.converted_from, &self.path) {
            return Err(XlsError::ConvertedSource {
                path: path.clone(),
                format: format.label(),
            });
        }
        match &self.path {
            Some(p) => self.write_verified(&p.clone()),
            None => Err(XlsError::NoSourceFile),
        }
    }

    fn write_verified(&self, target: &Path) -> Result<SaveReport, XlsError> {
        let failed = |detail: VerifyError| XlsError::VerifyFailed {
            path: target.to_path_buf(),
            detail,
        };
        let stream = patch(&self.workbook, &self.workbook_edits())?;
        // The new stream is read back on its own (its globals, its strings, every cell) while
        // the compound file around it is built, checked to hold exactly that stream and
        // written to a temporary file beside the target. The target is replaced only when
        // both succeeded. Nothing here holds a second copy of the cells.
        let written = Workbook::parse_light(stream).map_err(|e| failed(e.into()))?;
        let (verified, temp) = std::thread::scope(|scope| {
            let check = scope.spawn(|| {
                crate::book::readback::verify_workbook(&written, &self.exported, &self.edits)
            });
            let temp = self
                .container
                .with_workbook(&written.stream)
                .and_then(|file| {
                    if !self.container.holds_workbook(&file, &written.stream)? {
                        return Err(failed(VerifyError::StreamReplaced));
                    }
                    Ok((TempFile::write(target, &file)?, file.len()))
                });
            let verified = check.join().unwrap_or(Err(VerifyError::Interrupted));
            (verified, temp)
        });
        let (temp, bytes) = temp?;
        verified.map_err(failed)?;
        temp.commit()?;
        Ok(SaveReport {
            path: target.to_path_buf(),
            cells_changed: self.edits.len(),
            bytes,
        })
    }
}
