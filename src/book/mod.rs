//! The workbook as the rest of sverka sees it: sheets of typed cells (read by sverka's own
//! record reader, `xls::cells`, at absolute 0-based positions), a set of pending edits, and a save that patches the original
//! BIFF8 stream, writes atomically and verifies the written file cell by cell.

mod convert;
mod grid;
pub(crate) mod readback;
mod save;
pub use convert::{SourceFormat, fresh_sheet, read_grids_calamine};
pub use save::{SaveReport, TempFile, atomic_write};

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
}
