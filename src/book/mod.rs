//! The workbook as the rest of sverka sees it: sheets of typed cells (read by sverka's own
//! record reader, `xls::cells`, at absolute 0-based positions), a set of pending edits, and a save that patches the original
//! BIFF8 stream, writes atomically and verifies the written file cell by cell.

pub mod grid;
pub mod readback;

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use calamine::{Data, Reader};

use crate::xls::container::{Container, read_file, reads_as};
use crate::xls::error::a1;
use crate::xls::fresh::{self, FreshCell, FreshSheet};
use crate::xls::patch::{WorkbookEdits, patch};
use crate::xls::sheet::{CellEdit, SheetEdits};
use crate::xls::workbook::Workbook;
use crate::xls::{VerifyError, XlsError};

pub use crate::book::grid::{CellValue, Grid, format_number};

/// Reads every worksheet of a BIFF8 file's bytes with sverka's own record reader.
pub fn read_grids(file: &[u8]) -> Result<Vec<Grid>, XlsError> {
    let container = Container::parse(file)?;
    let workbook = Workbook::parse(container.workbook)?;
    grids_from_workbook(&workbook)
}

/// The cells of every sheet of a parsed workbook.
pub fn grids_from_workbook(workbook: &Workbook) -> Result<Vec<Grid>, XlsError> {
    use crate::xls::cells::RecValue;
    let sheets = crate::xls::cells::read_cells_as(workbook, |v| {
        let v = match v {
            RecValue::Sst(i) => CellValue::Text(workbook.sst_shared(i)?),
            RecValue::Text(t) => CellValue::Text(t.into()),
            RecValue::Number(n) => CellValue::Number(n),
            RecValue::Date(n) => CellValue::Date(n),
            RecValue::Bool(b) => CellValue::Bool(b),
            RecValue::Error(e) => CellValue::Error(e.to_string()),
        };
        match &v {
            CellValue::Text(t) if t.is_empty() => None,
            _ => Some(v),
        }
    })?;
    Ok(workbook
        .sheets
        .iter()
        .zip(sheets)
        .map(|(entry, rows)| Grid::from_rows(entry.name.clone(), rows))
        .collect())
}

/// Reads every worksheet of a BIFF8 file's bytes with calamine (an independent reader, used to
/// cross-check sverka's own).
pub fn read_grids_calamine(file: &[u8]) -> Result<Vec<Grid>, XlsError> {
    // calamine allocates a dense grid up to the farthest cell: a cell beyond the BIFF8 sheet
    // is refused first.
    Workbook::parse(Container::parse(file)?.workbook)?.check_cell_bounds()?;
    let cursor = std::io::Cursor::new(file);
    // calamine is a third-party parser: a panic inside it must not take the app down.
    let result = std::panic::catch_unwind(move || -> Result<Vec<Grid>, XlsError> {
        let mut xls = calamine::Xls::new(cursor).map_err(|e| XlsError::Calamine(e.to_string()))?;
        let names = xls.sheet_names();
        let mut grids = Vec::with_capacity(names.len());
        for name in names {
            let range = match xls.worksheet_range(&name) {
                Ok(r) => r,
                // Chart sheets and macro sheets have no cells.
                Err(calamine::XlsError::WorksheetNotFound(_)) => calamine::Range::empty(),
                Err(e) => return Err(XlsError::Calamine(e.to_string())),
            };
            grids.push(grid_from_range(name, &range));
        }
        Ok(grids)
    });
    result.unwrap_or_else(|_| {
        Err(XlsError::Corrupt {
            detail: "значения ячеек не читаются".into(),
        })
    })
}

fn grid_from_range(name: String, range: &calamine::Range<Data>) -> Grid {
    let (r0, c0) = range.start().unwrap_or((0, 0));
    let mut cells = Vec::new();
    for (r, c, v) in range.used_cells() {
        let value = match v {
            Data::String(s) if s.is_empty() => continue,
            Data::String(s) => CellValue::Text(s.as_str().into()),
            Data::Float(f) => CellValue::Number(*f),
            Data::Int(i) => CellValue::Number(*i as f64),
            Data::Bool(b) => CellValue::Bool(*b),
            Data::DateTime(d) => CellValue::Date(d.as_f64()),
            // OpenDocument stores dates as ISO text.
            Data::DateTimeIso(s) => iso_to_serial(s)
                .map(CellValue::Date)
                .unwrap_or_else(|| CellValue::Text(s.as_str().into())),
            Data::DurationIso(s) => CellValue::Text(s.as_str().into()),
            Data::Error(e) => CellValue::Error(e.to_string()),
            Data::Empty => continue,
        };
        cells.push(((r0 + r as u32, c0 + c as u32), value));
    }
    Grid::from_cells(name, cells)
}

/// An ISO date or date-time (`2016-03-26`, `2016-03-26T08:30:00`) as an Excel 1900 serial.
fn iso_to_serial(s: &str) -> Option<f64> {
    use chrono::{NaiveDate, NaiveDateTime, Timelike};
    if let Ok(dt) = NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f") {
        let day = crate::norm::date::to_excel_serial(dt.date());
        return Some(day + f64::from(dt.num_seconds_from_midnight()) / 86_400.0);
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .map(crate::norm::date::to_excel_serial)
}

/// Columns a sheet hides (COLINFO `fHidden`), 0-based.
fn hidden_columns_of(workbook: &Workbook, sheet: usize) -> std::collections::BTreeSet<u32> {
    use crate::xls::records::{id, u16_at};
    let mut out = std::collections::BTreeSet::new();
    let Some(entry) = workbook.sheets.get(sheet) else {
        return out;
    };
    for r in entry.recs.iter().filter(|r| r.id == id::COLINFO) {
        let d = r.data(&workbook.stream);
        let (Some(first), Some(last), Some(flags)) = (u16_at(d, 0), u16_at(d, 2), u16_at(d, 8))
        else {
            continue;
        };
        if flags & 0x0001 != 0 {
            out.extend(u32::from(first)..=u32::from(last.min(255)));
        }
    }
    out
}

/// What a save did.
#[derive(Debug, Clone, PartialEq)]
pub struct SaveReport {
    pub path: PathBuf,
    /// Cells whose value changed.
    pub cells_changed: usize,
    /// Bytes written.
    pub bytes: usize,
}

/// Largest row and column BIFF8 can hold (0-based).
pub const MAX_ROW: u32 = 65_535;
pub const MAX_COL: u32 = 255;
/// Longest text a cell may hold, in UTF-16 units.
pub const MAX_TEXT: usize = 32_767;

/// An opened `.xls` export with pending edits. The original bytes are never modified.
#[derive(Debug, Clone)]
pub struct XlsBook {
    path: Option<PathBuf>,
    /// Shared, never changed after opening: a copy of the book (for saving on a worker
    /// thread while the officer goes on) copies only the edits.
    container: std::sync::Arc<Container>,
    workbook: std::sync::Arc<Workbook>,
    grids: Vec<Grid>,
    /// Pending edits: `Some(text)` writes text, `None` clears the cell.
    edits: BTreeMap<(usize, u32, u32), Option<String>>,
    converted_from: Option<SourceFormat>,
    /// Hidden columns per sheet, read once.
    hidden: Vec<std::collections::BTreeSet<u32>>,
}

/// The format an export was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceFormat {
    Xls,
    Xlsx,
    Ods,
}

impl SourceFormat {
    /// By file extension (lower case, no dot); anything unknown is treated as `.xls`, whose
    /// reader then names what the content really is.
    pub fn from_extension(ext: &str) -> SourceFormat {
        match ext {
            "xlsx" | "xlsm" => SourceFormat::Xlsx,
            "ods" => SourceFormat::Ods,
            _ => SourceFormat::Xls,
        }
    }

    /// How the officer knows the format.
    pub fn label(self) -> &'static str {
        match self {
            SourceFormat::Xls => "Excel 97-2003 (.xls)",
            SourceFormat::Xlsx => "Excel 2007+ (.xlsx)",
            SourceFormat::Ods => "OpenDocument (.ods)",
        }
    }
}

/// Reads every worksheet of an `.xlsx`/`.ods` workbook.
fn read_other<R>(bytes: Vec<u8>) -> Result<Vec<Grid>, XlsError>
where
    R: calamine::Reader<std::io::Cursor<Vec<u8>>>,
    R::Error: std::fmt::Display,
{
    let result = std::panic::catch_unwind(move || -> Result<Vec<Grid>, XlsError> {
        let mut book =
            R::new(std::io::Cursor::new(bytes)).map_err(|e| XlsError::Calamine(e.to_string()))?;
        let names = book.sheet_names();
        let mut grids = Vec::with_capacity(names.len());
        for name in names {
            let range = book
                .worksheet_range(&name)
                .unwrap_or_else(|_| calamine::Range::empty());
            grids.push(grid_from_range(name, &range));
        }
        Ok(grids)
    });
    result.unwrap_or_else(|_| {
        Err(XlsError::Corrupt {
            detail: "значения ячеек не читаются".into(),
        })
    })
}

/// A grid as a sheet for the fresh BIFF8 writer.
pub fn fresh_sheet(grid: &Grid) -> FreshSheet {
    let cells = grid
        .iter()
        .map(|((r, c), v)| {
            let cell = match v {
                CellValue::Text(s) => FreshCell::Text(s.to_string()),
                CellValue::Number(n) => FreshCell::Number(*n),
                CellValue::Date(d) => FreshCell::Date(*d),
                CellValue::Bool(b) => FreshCell::Bool(*b),
                CellValue::Error(e) => FreshCell::Error(error_code(e)),
            };
            (r, c, cell)
        })
        .collect();
    FreshSheet {
        name: grid.name.clone(),
        cells,
    }
}

/// BIFF error code of an error text as calamine prints it.
fn error_code(e: &str) -> u8 {
    match e {
        "#NULL!" => 0x00,
        "#DIV/0!" => 0x07,
        "#VALUE!" => 0x0F,
        "#REF!" => 0x17,
        "#NAME?" => 0x1D,
        "#NUM!" => 0x24,
        _ => 0x2A,
    }
}

impl XlsBook {
    /// Opens an export from disk: an `.xls` as it is, or an `.xlsx`/`.ods` (by its extension)
    /// converted to a fresh Excel 97-2003 workbook.
    pub fn open(path: &Path) -> Result<XlsBook, XlsError> {
        let bytes = read_file(path)?;
        let ext = path
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        let mut book = match SourceFormat::from_extension(&ext) {
            SourceFormat::Xls => XlsBook::from_bytes(bytes)?,
            other => XlsBook::convert(bytes, other)?,
        };
        book.path = Some(path.to_path_buf());
        Ok(book)
    }

    /// Reads an `.xlsx` or `.ods` workbook with calamine and rewrites it as a fresh BIFF8
    /// workbook (same sheets, same cells; text stays text, dates stay dates).
    pub fn convert(bytes: Vec<u8>, format: SourceFormat) -> Result<XlsBook, XlsError> {
        if bytes.is_empty() {
            return Err(XlsError::Empty);
        }
        let grids = match format {
            SourceFormat::Xls => return XlsBook::from_bytes(bytes),
            SourceFormat::Xlsx => read_other::<calamine::Xlsx<_>>(bytes)?,
            SourceFormat::Ods => read_other::<calamine::Ods<_>>(bytes)?,
        };
        let sheets: Vec<FreshSheet> = grids.iter().map(fresh_sheet).collect();
        let file = fresh::write(&sheets)?;
        let mut book = XlsBook::from_bytes(file)?;
        book.converted_from = Some(format);
        Ok(book)
    }

    /// The format the book was converted from, when it was not Excel 97-2003.
    pub fn converted_from(&self) -> Option<SourceFormat> {
        self.converted_from
    }

    /// Opens an `.xls` file held in memory (the embedded demo, tests).
    pub fn from_bytes(bytes: Vec<u8>) -> Result<XlsBook, XlsError> {
        let mut container = Container::parse(&bytes)?;
        // The workbook stream is copied out of the file: the file's bytes are not needed again.
        drop(bytes);
        // The stream moves into the record index; the container keeps the other streams.
        let mut workbook = Workbook::parse(std::mem::take(&mut container.workbook))?;
        // Reading the cells refuses a cell beyond the BIFF8 sheet.
        let grids = grids_from_workbook(&workbook)?;
        let hidden = (0..workbook.sheets.len())
            .map(|i| hidden_columns_of(&workbook, i))
            .collect();
        workbook.drop_sheet_records();
        Ok(XlsBook {
            path: None,
            container: std::sync::Arc::new(container),
            workbook: std::sync::Arc::new(workbook),
            grids,
            edits: BTreeMap::new(),
            converted_from: None,
            hidden,
        })
    }

    /// Where the book was opened from.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Sheet names in workbook order.
    pub fn sheet_names(&self) -> Vec<&str> {
        self.grids.iter().map(|g| g.name.as_str()).collect()
    }

    /// Index of the sheet with this name.
    pub fn sheet_index(&self, name: &str) -> Option<usize> {
        self.grids.iter().position(|g| g.name == name)
    }

    /// The cells of a sheet as exported (edits not applied).
    pub fn original(&self, sheet: usize) -> Option<&Grid> {
        self.grids.get(sheet)
    }

    /// Columns the export hides (COLINFO `fHidden`), 0-based.
    pub fn hidden_columns(&self, sheet: usize) -> std::collections::BTreeSet<u32> {
        self.hidden.get(sheet).cloned().unwrap_or_default()
    }

    /// Every sheet as exported.
    pub fn originals(&self) -> &[Grid] {
        &self.grids
    }

    /// Every sheet with the pending edits applied.
    pub fn current_grids(&self) -> Vec<Grid> {
        (0..self.grids.len())
            .filter_map(|i| self.current(i))
            .collect()
    }

    /// The value a cell has now: the pending edit if any, else the original.
    pub fn value(&self, sheet: usize, row: u32, col: u32) -> Option<CellValue> {
        match self.edits.get(&(sheet, row, col)) {
            Some(Some(text)) => Some(CellValue::Text(text.as_str().into())),
            Some(None) => None,
            None => self.grids.get(sheet)?.get(row, col).cloned(),
        }
    }

    /// The whole sheet as it will be saved.
    pub fn current(&self, sheet: usize) -> Option<Grid> {
        let mut grid = self.grids.get(sheet)?.clone();
        for (&(s, r, c), v) in self
            .edits
            .range((sheet, 0, 0)..=(sheet, u32::MAX, u32::MAX))
        {
            debug_assert_eq!(s, sheet);
            match v {
                Some(text) if !text.is_empty() => {
                    grid.insert(r, c, CellValue::Text(text.as_str().into()));
                }
                _ => {
                    grid.remove(r, c);
                }
            }
        }
        Some(grid)
    }

    /// Is the sheet an ordinary worksheet (its cells can be edited), not a chart or macro sheet?
    pub fn is_worksheet(&self, sheet: usize) -> bool {
        sheet < self.grids.len()
            && self
                .workbook
                .sheets
                .get(sheet)
                .is_none_or(|s| s.kind == crate::xls::workbook::SHEET_KIND_WORKSHEET)
    }

    fn check_cell(&self, sheet: usize, row: u32, col: u32) -> Result<(), XlsError> {
        if sheet >= self.grids.len() {
            return Err(XlsError::NoSuchSheet(format!("№{}", sheet + 1)));
        }
        if !self.is_worksheet(sheet) {
            let name = self.grids.get(sheet).map(|g| g.name.clone());
            return Err(XlsError::NotAWorksheet(name.unwrap_or_default()));
        }
        if row > MAX_ROW || col > MAX_COL {
            return Err(XlsError::CellOutOfRange { cell: a1(row, col) });
        }
        Ok(())
    }

    /// Sets a cell to text (always written as text, even if it looks like a number).
    /// Setting a cell back to its original text removes the edit.
    pub fn set_text(
        &mut self,
        sheet: usize,
        row: u32,
        col: u32,
        text: &str,
    ) -> Result<(), XlsError> {
        self.check_cell(sheet, row, col)?;
        let len = text.encode_utf16().count();
        if len > MAX_TEXT {
            return Err(XlsError::TextTooLong {
                cell: a1(row, col),
                len,
            });
        }
        if text.is_empty() {
            return self.clear(sheet, row, col);
        }
        let original = self.grids.get(sheet).and_then(|g| g.get(row, col));
        if matches!(original, Some(CellValue::Text(t)) if **t == *text) {
            self.edits.remove(&(sheet, row, col));
        } else {
            self.edits.insert((sheet, row, col), Some(text.to_string()));
        }
        Ok(())
    }

    /// Empties a cell (its format stays). Clearing an already empty cell removes the edit.
    pub fn clear(&mut self, sheet: usize, row: u32, col: u32) -> Result<(), XlsError> {
        self.check_cell(sheet, row, col)?;
        if self
            .grids
            .get(sheet)
            .and_then(|g| g.get(row, col))
            .is_none()
        {
            self.edits.remove(&(sheet, row, col));
        } else {
            self.edits.insert((sheet, row, col), None);
        }
        Ok(())
    }

    /// Drops the pending edit of a cell, if any.
    pub fn revert(&mut self, sheet: usize, row: u32, col: u32) {
        self.edits.remove(&(sheet, row, col));
    }

    /// Pending edits: (sheet, row, col) → new text or `None` for cleared.
    pub fn edits(&self) -> &BTreeMap<(usize, u32, u32), Option<String>> {
        &self.edits
    }

    /// Resolves the edits to SST indexes (reusing plain strings already in the table).
    fn workbook_edits(&self) -> WorkbookEdits {
        // The texts the edits write, each mapped to the first plain SST string equal to it.
        let mut known: rustc_hash::FxHashMap<&str, Option<u32>> = self
            .edits
            .values()
            .flatten()
            .map(|t| (t.as_str(), None))
            .collect();
        if let Some(sst) = self.workbook.sst.as_ref().filter(|_| !known.is_empty()) {
            for (i, s) in sst.strings.iter().enumerate() {
                if s.plain
                    && let Some(slot @ None) = known.get_mut(&*s.text)
                {
                    *slot = Some(i as u32);
                }
            }
        }
        let base = self.workbook.sst.as_ref().map_or(0, |s| s.strings.len()) as u32;
        let mut out = WorkbookEdits::default();
        for (&(sheet, row, col), value) in &self.edits {
            let edit = match value {
                None => CellEdit::Clear,
                Some(text) => match known.entry(text.as_str()).or_insert(None) {
                    Some(i) => CellEdit::Text(*i),
                    // Not in the table yet: appended once, then shared by the other edits.
                    slot @ None => {
                        let i = base + out.new_strings.len() as u32;
                        out.new_strings.push(text.clone());
                        *slot = Some(i);
                        CellEdit::Text(i)
                    }
                },
            };
            out.sheets
                .entry(sheet)
                .or_insert_with(SheetEdits::new)
                .insert((row as u16, col as u16), edit);
        }
        out
    }

    /// The bytes of the corrected file (a complete compound file).
    pub fn to_bytes(&self) -> Result<Vec<u8>, XlsError> {
        let stream = patch(&self.workbook, &self.workbook_edits())?;
        self.container.with_workbook(&stream)
    }

    /// Checks that `file` reads back as this book with its edits: every sheet, every cell.
    pub fn verify(&self, file: &[u8]) -> Result<(), VerifyError> {
        crate::book::readback::verify(file, &self.grids, &self.edits)
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
                crate::book::readback::verify_workbook(&written, &self.grids, &self.edits)
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
