//! The OLE2 compound file around the `Workbook` stream: opening it (with the checks that tell
//! a real Excel 97-2003 book from everything else) and writing a new compound file of the same
//! version in which every other stream, storage, CLSID and state bit is kept.

use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};

use super::detect::{Sniffed, sniff};
use super::error::{BuildProblem, XlsError};

/// The compound file and the bytes of its `Workbook` stream.
#[derive(Clone)]
pub struct Container {
    version: cfb::Version,
    /// Every entry of the original file, in walk order, with the bytes of every stream but
    /// the workbook's (kept to write them back unchanged; the workbook stream itself is
    /// held once, by whoever parses it).
    entries: Vec<(cfb::Entry, Option<Vec<u8>>)>,
    /// Path of the workbook stream inside the compound file, with its original spelling.
    pub stream_path: PathBuf,
    /// The `Workbook` stream as read.
    pub workbook: Vec<u8>,
}

fn corrupt(detail: impl std::fmt::Display) -> XlsError {
    XlsError::Corrupt {
        detail: format!("структура файла Office нарушена ({detail})"),
    }
}

impl std::fmt::Debug for Container {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Container")
            .field("version", &self.version)
            .field("entries", &self.entries.len())
            .field("stream_path", &self.stream_path)
            .field("workbook", &self.workbook.len())
            .finish()
    }
}

/// Maps what the content really is to the refusal for a non-BIFF8 file.
pub fn refusal_for(kind: Sniffed) -> Option<XlsError> {
    match kind {
        Sniffed::Ole => None,
        Sniffed::Empty => Some(XlsError::Empty),
        Sniffed::Xlsx => Some(XlsError::XlsxNamedXls),
        Sniffed::Ods => Some(XlsError::OdsNamedXls),
        Sniffed::Zip => Some(XlsError::ZipArchive),
        Sniffed::Html => Some(XlsError::Html),
        Sniffed::Xml => Some(XlsError::Xml),
        Sniffed::Text => Some(XlsError::Text),
        Sniffed::OldBiff => Some(XlsError::OldExcel),
        Sniffed::Unknown => Some(XlsError::Unknown),
    }
}

impl Container {
    /// Opens a compound file held in memory and reads its workbook stream.
    pub fn parse(file: &[u8]) -> Result<Container, XlsError> {
        if let Some(err) = refusal_for(sniff(file)) {
            return Err(err);
        }
        if file.len() < 512 {
            return Err(corrupt("файл короче заголовка"));
        }
        let mut cfb = cfb::CompoundFile::open(Cursor::new(file)).map_err(corrupt)?;
        let mut workbook = None;
        let mut book = None;
        let mut encrypted = false;
        for entry in cfb.read_root_storage() {
            if !entry.is_stream() {
                continue;
            }
            let name = entry.name();
            if name.eq_ignore_ascii_case("Workbook") {
                workbook = Some(entry.path().to_path_buf());
            } else if name.eq_ignore_ascii_case("Book") {
                book = Some(entry.path().to_path_buf());
            } else if name == "EncryptedPackage" {
                encrypted = true;
            }
        }
        // Excel 5.0/95 names its stream «Book»; a few writers put a BIFF8 stream under that
        // name, which Excel, xlrd and Apache POI read (the BOF says which it is).
        let Some(stream_path) = workbook.or(book) else {
            return Err(if encrypted {
                XlsError::Encrypted
            } else {
                XlsError::NoWorkbook
            });
        };
        let mut stream = cfb.open_stream(&stream_path).map_err(corrupt)?;
        // The declared length is bounded by the file itself (a stream of sectors in it).
        let declared = usize::try_from(stream.len()).unwrap_or(usize::MAX);
        let mut workbook = Vec::with_capacity(declared.min(file.len()));
        stream.read_to_end(&mut workbook).map_err(corrupt)?;
        drop(stream);
        let walked: Vec<cfb::Entry> = cfb.walk().collect();
        let mut entries = Vec::with_capacity(walked.len());
        for entry in walked {
            let bytes = if entry.is_stream() && entry.path() != stream_path {
                let mut bytes = Vec::new();
                cfb.open_stream(entry.path())
                    .and_then(|mut s| s.read_to_end(&mut bytes))
                    .map_err(corrupt)?;
                Some(bytes)
            } else {
                None
            };
            entries.push((entry, bytes));
        }
        Ok(Container {
            version: cfb.version(),
            entries,
            stream_path,
            workbook,
        })
    }

    /// Every stream but the workbook's, by path, with its bytes.
    pub fn other_streams(&self) -> Vec<(&Path, &[u8])> {
        self.entries
            .iter()
            .filter_map(|(e, b)| Some((e.path(), b.as_deref()?)))
            .collect()
    }

    /// Does the compound file `file` hold exactly `workbook` as its workbook stream (at this
    /// container's stream path)? Compared a piece at a time, without a copy of the stream.
    pub fn holds_workbook(&self, file: &[u8], workbook: &[u8]) -> Result<bool, XlsError> {
        let mut cfb = cfb::CompoundFile::open(Cursor::new(file)).map_err(corrupt)?;
        let stream = cfb.open_stream(&self.stream_path).map_err(corrupt)?;
        if stream.len() != workbook.len() as u64 {
            return Ok(false);
        }
        reads_as(stream, workbook).map_err(corrupt)
    }

    /// Builds a new compound file of the same version holding `workbook` in place of the
    /// original stream and every other entry copied unchanged.
    pub fn with_workbook(&self, workbook: &[u8]) -> Result<Vec<u8>, XlsError> {
        let write_err = |e| XlsError::BuildFailed(BuildProblem::Container(e));
        // Room for the streams and the allocation tables: the buffer never has to grow.
        let others: usize = self
            .entries
            .iter()
            .filter_map(|(_, b)| b.as_ref())
            .map(Vec::len)
            .sum();
        let room = workbook.len() + others + (workbook.len() + others) / 64 + 64 * 1024;
        let mut dst = cfb::CompoundFile::create_with_version(
            self.version,
            Cursor::new(Vec::with_capacity(room)),
        )
        .map_err(write_err)?;
        for (entry, bytes) in &self.entries {
            let path = entry.path();
            if entry.is_root() {
                continue;
            }
            if entry.is_stream() {
                let mut target = dst.create_stream(path).map_err(write_err)?;
                let data = if path == self.stream_path {
                    workbook
                } else {
                    bytes.as_deref().unwrap_or_default()
                };
                target.write_all(data).map_err(write_err)?;
            } else {
                dst.create_storage(path).map_err(write_err)?;
            }
        }
        for (entry, _) in &self.entries {
            let path = entry.path();
            dst.set_state_bits(path, entry.state_bits())
                .map_err(write_err)?;
            if !entry.is_stream() {
                dst.set_storage_clsid(path, *entry.clsid())
                    .map_err(write_err)?;
                dst.set_created_time(path, entry.created())
                    .map_err(write_err)?;
                dst.set_modified_time(path, entry.modified())
                    .map_err(write_err)?;
            }
        }
        dst.flush().map_err(write_err)?;
        Ok(dst.into_inner().into_inner())
    }

    /// A compound file holding only a `Workbook` stream (for freshly written books).
    pub fn fresh(workbook: &[u8]) -> Result<Vec<u8>, XlsError> {
        let write_err = |e| XlsError::BuildFailed(BuildProblem::Container(e));
        let mut dst =
            cfb::CompoundFile::create_with_version(cfb::Version::V3, Cursor::new(Vec::new()))
                .map_err(write_err)?;
        {
            let mut s = dst.create_stream("/Workbook").map_err(write_err)?;
            s.write_all(workbook).map_err(write_err)?;
        }
        dst.flush().map_err(write_err)?;
        Ok(dst.into_inner().into_inner())
    }
}

/// Largest file sverka opens. A full BIFF8 sheet of 65,536 × 256 short cells stays far below.
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// Does `reader` hold exactly `bytes`, up to its end? Read and compared a piece at a time,
/// without a second copy.
pub fn reads_as(mut reader: impl Read, bytes: &[u8]) -> std::io::Result<bool> {
    let mut buf = vec![0u8; 1 << 20];
    let mut at = 0usize;
    loop {
        let n = reader.read(&mut buf)?;
        if n == 0 {
            return Ok(at == bytes.len());
        }
        if bytes.get(at..at + n) != buf.get(..n) {
            return Ok(false);
        }
        at += n;
    }
}

/// Reads a file from disk with the size guard and the Russian messages for I/O failures.
pub fn read_file(path: &Path) -> Result<Vec<u8>, XlsError> {
    let meta = std::fs::metadata(path).map_err(|e| io_error(path, e))?;
    if meta.is_dir() {
        return Err(XlsError::IsFolder(path.to_path_buf()));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(XlsError::TooLarge {
            // Rounded up: a file just over the limit must not read as the limit itself.
            size_mb: meta.len().div_ceil(1024 * 1024),
            limit_mb: MAX_FILE_BYTES / (1024 * 1024),
        });
    }
    std::fs::read(path).map_err(|e| io_error(path, e))
}

/// The Russian reading of an I/O error on `path` (see [`crate::os_error::io_error_ru`]).
pub fn io_error(path: &Path, source: std::io::Error) -> XlsError {
    match source.kind() {
        std::io::ErrorKind::NotFound => XlsError::NotFound(path.to_path_buf()),
        _ => XlsError::Unreadable {
            path: path.to_path_buf(),
            source,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(format!(
            "{}/../../tests/fixtures/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap_or_default()
    }

    #[test]
    fn rewrapping_keeps_every_stream() {
        let file = fixture("full/export_libreoffice.xls");
        let c = Container::parse(&file);
        let c = match c {
            Ok(c) => c,
            Err(e) => panic!("{e}"),
        };
        let out = c.with_workbook(&c.workbook).unwrap_or_default();
        let again = Container::parse(&out);
        let again = match again {
            Ok(a) => a,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(again.workbook, c.workbook);
        let list = |bytes: &[u8]| -> Vec<(String, Vec<u8>, String)> {
            let mut cf = match cfb::CompoundFile::open(Cursor::new(bytes)) {
                Ok(cf) => cf,
                Err(e) => panic!("{e}"),
            };
            let entries: Vec<cfb::Entry> = cf.walk().collect();
            entries
                .iter()
                .map(|e| {
                    let mut data = Vec::new();
                    if e.is_stream()
                        && let Ok(mut s) = cf.open_stream(e.path())
                    {
                        let _ = s.read_to_end(&mut data);
                    }
                    (e.path().display().to_string(), data, e.clsid().to_string())
                })
                .collect()
        };
        assert!(
            list(&file).len() > 1,
            "the fixture has streams besides the workbook"
        );
        assert_eq!(list(&out), list(&file));
    }

    /// A reader holds the bytes only when it gives exactly them, to its end, past the first
    /// piece read too.
    #[test]
    fn reads_as_compares_every_byte_and_the_length() {
        let bytes: Vec<u8> = (0..3 * (1 << 20) + 17).map(|i| (i % 251) as u8).collect();
        assert!(reads_as(bytes.as_slice(), &bytes).unwrap_or(false));
        assert!(!reads_as(&bytes[..bytes.len() - 1], &bytes).unwrap_or(true));
        assert!(!reads_as(bytes.as_slice(), &bytes[..bytes.len() - 1]).unwrap_or(true));
        let mut changed = bytes.clone();
        changed[(1 << 20) + 5] ^= 1;
        assert!(!reads_as(changed.as_slice(), &bytes).unwrap_or(true));
        assert!(reads_as(&[][..], &[]).unwrap_or(false));
    }

    #[test]
    fn truncated_and_encrypted_fixtures() {
        assert!(matches!(
            Container::parse(&fixture("bad/truncated.xls")),
            Err(XlsError::Corrupt { .. })
        ));
        // The encrypted fixture has a Workbook stream; FILEPASS inside it is found by Workbook.
        assert!(Container::parse(&fixture("bad/encrypted_password_secret.xls")).is_ok());
    }
}
