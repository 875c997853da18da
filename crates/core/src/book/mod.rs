//! The workbook as the rest of sverka sees it: sheets of typed cells (read by sverka's own
//! record reader, `xls::cells`, at absolute 0-based positions), a set of pending edits, and a save that patches the original
//! BIFF8 stream, writes atomically and verifies the written file cell by cell.

mod cell;
mod convert;
mod grid;
pub(crate) mod readback;
mod save;
pub use cell::CellRef;
pub use convert::{SourceFormat, fresh_sheet, read_grids_calamine};
pub use save::{SaveReport, TempFile, atomic_write};

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use calamine::{Data, Reader};

use crate::xls::Workbook;
use crate::xls::a1;
use crate::xls::{CellEdit, SheetEdits};
use crate::xls::{Container, read_file, reads_as};
use crate::xls::{FreshCell, FreshSheet, write_fresh};
use crate::xls::{VerifyError, XlsError};
use crate::xls::{WorkbookEdits, patch};

pub use crate::book::grid::{CellValue, Grid, format_number};

/// What kind of values a column holds: the cell type a value written into it takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    /// Most of its cells are dates (numbers shown as dates).
    Dates,
    /// Most of its cells are numbers.
    Numbers,
    /// Text, or no clear majority.
    Text,
}

/// Reads every worksheet of a BIFF8 file's bytes with sverka's own record reader.
pub fn read_grids(file: &[u8]) -> Result<Vec<Grid>, XlsError> {
    let container = Container::parse(file)?;
    let workbook = Workbook::parse(container.workbook)?;
    grids_from_workbook(&workbook)
}

/// The cells of every sheet of a parsed workbook.
pub fn grids_from_workbook(workbook: &Workbook) -> Result<Vec<Grid>, XlsError> {
    use crate::xls::RecValue;
    let sheets = crate::xls::read_cells_as(workbook, |v| {
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

/// Largest row and column BIFF8 can hold (0-based).
pub const MAX_ROW: u32 = 65_535;
/// The largest column (column IV, the 256th).
pub const MAX_COL: u32 = 255;
/// Longest text a cell may hold, in UTF-16 units.
pub const MAX_TEXT: usize = 32_767;

/// Pending edits: (sheet, row, col) → the value the cell gets (text, a number or a date), or
/// `None` for a cleared cell.
pub type Edits = BTreeMap<CellRef, Option<CellValue>>;

/// An opened `.xls` export with pending edits. The original bytes are never modified.
///
/// The book is the one source of truth for the cells: the sheets as exported, the edits laid
/// over them, and the sheets as they are now (kept current with every edit; a copy shares
/// every row the edits did not touch).
#[derive(Debug, Clone)]
pub struct XlsBook {
    path: Option<PathBuf>,
    /// Shared, never changed after opening: a copy of the book (for saving on a worker
    /// thread while the officer goes on) copies only the edits.
    container: std::sync::Arc<Container>,
    workbook: std::sync::Arc<Workbook>,
    /// The sheets as exported.
    exported: Vec<Grid>,
    /// The sheets as they are now: `exported` with `edits` laid over them.
    now: Vec<Grid>,
    edits: Edits,
    converted_from: Option<SourceFormat>,
    /// Per sheet, the date format each column's dates use and the formulas that show
    /// nothing (see `xls::SheetFacts`).
    facts: Vec<crate::xls::SheetFacts>,
    /// The workbook counts dates from 1904.
    dates_1904: bool,
}

/// Does `text` hold a control character Excel cells do not take (anything below U+0020 but
/// the tab and line breaks, and DEL)? Returns the first, as `U+0007`.
fn control_character(text: &str) -> Option<String> {
    text.chars()
        .find(|&c| (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || c == '\u{7f}')
        .map(|c| format!("U+{:04X}", u32::from(c)))
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
        let formats = crate::xls::DateFormats::of(&workbook);
        let facts = workbook
            .sheets
            .iter()
            .map(|sheet| crate::xls::sheet_facts(&workbook, sheet, &formats))
            .collect::<Result<Vec<_>, _>>()?;
        let dates_1904 = crate::xls::dates_from_1904(&workbook);
        workbook.drop_sheet_records();
        Ok(XlsBook {
            path: None,
            container: std::sync::Arc::new(container),
            workbook: std::sync::Arc::new(workbook),
            now: grids.clone(),
            exported: grids,
            edits: BTreeMap::new(),
            converted_from: None,
            facts,
            dates_1904,
        })
    }

    /// Where the book was opened from.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Sheet names in workbook order.
    pub fn sheet_names(&self) -> Vec<&str> {
        self.exported.iter().map(|g| g.name.as_str()).collect()
    }

    /// Index of the sheet with this name.
    pub fn sheet_index(&self, name: &str) -> Option<usize> {
        self.exported.iter().position(|g| g.name == name)
    }

    /// The cells of a sheet as exported (edits not applied).
    pub fn original(&self, sheet: usize) -> Option<&Grid> {
        self.exported.get(sheet)
    }

    /// Columns the export hides (COLINFO `fHidden`), 0-based.
    pub fn hidden_columns(&self, sheet: usize) -> std::collections::BTreeSet<u32> {
        self.facts
            .get(sheet)
            .map(|f| f.hidden_columns.clone())
            .unwrap_or_default()
    }

    /// Every sheet as exported.
    pub fn originals(&self) -> &[Grid] {
        &self.exported
    }

    /// Every sheet as it is now, with the pending edits.
    pub fn grids(&self) -> &[Grid] {
        &self.now
    }

    /// Every sheet with the pending edits applied (a copy sharing the rows).
    pub fn current_grids(&self) -> Vec<Grid> {
        self.now.clone()
    }

    /// The value a cell has now: the pending edit if any, else the original.
    pub fn value(&self, sheet: usize, row: u32, col: u32) -> Option<CellValue> {
        self.now.get(sheet)?.get(row, col).cloned()
    }

    /// The whole sheet as it will be saved.
    pub fn current(&self, sheet: usize) -> Option<Grid> {
        self.now.get(sheet).cloned()
    }

    /// Does the workbook count dates from 1904 (old Mac Excel) rather than 1900?
    pub fn dates_from_1904(&self) -> bool {
        self.dates_1904
    }

    /// Is the sheet an ordinary worksheet (its cells can be edited), not a chart or macro sheet?
    pub fn is_worksheet(&self, sheet: usize) -> bool {
        sheet < self.exported.len()
            && self
                .workbook
                .sheets
                .get(sheet)
                .is_none_or(|s| s.kind == crate::xls::SHEET_KIND_WORKSHEET)
    }

    fn check_cell(&self, sheet: usize, row: u32, col: u32) -> Result<(), XlsError> {
        if sheet >= self.exported.len() {
            return Err(XlsError::NoSuchSheet(format!("№{}", sheet + 1)));
        }
        if !self.is_worksheet(sheet) {
            let name = self.exported.get(sheet).map(|g| g.name.clone());
            return Err(XlsError::NotAWorksheet(name.unwrap_or_default()));
        }
        if row > MAX_ROW || col > MAX_COL {
            return Err(XlsError::CellOutOfRange { cell: a1(row, col) });
        }
        Ok(())
    }

    /// Sets a cell to text (written as text, even if it looks like a number or a date: which
    /// type a value takes is the writer's decision, `engine::writer`). Empty text clears.
    pub fn set_text(
        &mut self,
        sheet: usize,
        row: u32,
        col: u32,
        text: &str,
    ) -> Result<(), XlsError> {
        let value = (!text.is_empty()).then(|| CellValue::Text(text.into()));
        self.set(sheet, row, col, value)
    }

    /// Empties a cell (its format stays).
    pub fn clear(&mut self, sheet: usize, row: u32, col: u32) -> Result<(), XlsError> {
        self.set(sheet, row, col, None)
    }

    /// A date as this workbook stores it: Excel's serial day number in the workbook's date
    /// system (what Excel stores for a typed date), shown by a date format.
    pub fn date_value(&self, date: chrono::NaiveDate) -> CellValue {
        let serial = crate::norm::date::to_excel_serial(date);
        CellValue::Date(if self.dates_1904 {
            serial - 1462.0
        } else {
            serial
        })
    }

    /// Can `value` be written into the cell? Checked once here for every writer: the sheet,
    /// the BIFF8 bounds, the text's length and control characters, and for a date a date
    /// format to show it with. Only texts, numbers and dates are written.
    pub fn check(
        &self,
        sheet: usize,
        row: u32,
        col: u32,
        value: Option<&CellValue>,
    ) -> Result<(), XlsError> {
        self.check_cell(sheet, row, col)?;
        match value {
            Some(CellValue::Text(text)) => {
                let len = text.encode_utf16().count();
                if len > MAX_TEXT {
                    return Err(XlsError::TextTooLong {
                        cell: a1(row, col),
                        len,
                    });
                }
                if let Some(code) = control_character(text) {
                    return Err(XlsError::ControlCharacter {
                        cell: a1(row, col),
                        code,
                    });
                }
            }
            Some(CellValue::Date(_))
                if self.date_xf(sheet, col).is_none() && !self.is_date_cell(sheet, row, col) =>
            {
                return Err(XlsError::NoDateFormat { cell: a1(row, col) });
            }
            Some(CellValue::Number(n) | CellValue::Date(n)) if !n.is_finite() => {
                return Err(XlsError::UnwritableValue { cell: a1(row, col) });
            }
            Some(CellValue::Bool(_) | CellValue::Error(_)) => {
                return Err(XlsError::UnwritableValue { cell: a1(row, col) });
            }
            _ => {}
        }
        Ok(())
    }

    /// The one way a cell changes (`None` empties it; its format stays). The value is
    /// checked first ([`XlsBook::check`]). A value that reads as the cell did when exported
    /// is no edit: the original cell stays exactly as it was (even a number or a date the
    /// officer retyped as text).
    pub fn set(
        &mut self,
        sheet: usize,
        row: u32,
        col: u32,
        value: Option<CellValue>,
    ) -> Result<(), XlsError> {
        let value = value
            .filter(|v| !matches!(v, CellValue::Text(t) if t.is_empty()))
            .map(|v| match v {
                // A number written into a date cell keeps the cell's date format, so it is
                // read (and shown by Excel) as a date.
                CellValue::Number(n) if self.is_date_cell(sheet, row, col) => CellValue::Date(n),
                v => v,
            });
        self.check(sheet, row, col, value.as_ref())?;
        let original = self.exported.get(sheet).and_then(|g| g.get(row, col));
        let unchanged = match (original, &value) {
            (Some(o), Some(v)) => o.display() == v.display(),
            // A formula that shows nothing is still a formula: clearing it is an edit.
            (None, None) => !self.is_empty_formula(sheet, row, col),
            _ => false,
        };
        if unchanged {
            self.revert(sheet, row, col);
            return Ok(());
        }
        if let Some(g) = self.now.get_mut(sheet) {
            match &value {
                Some(v) => {
                    g.insert(row, col, v.clone());
                }
                None => {
                    g.remove(row, col);
                }
            }
        }
        self.edits.insert(CellRef::new(sheet, row, col), value);
        Ok(())
    }

    /// Drops the pending edit of a cell, if any: it reads as exported again.
    pub fn revert(&mut self, sheet: usize, row: u32, col: u32) {
        if self.edits.remove(&CellRef::new(sheet, row, col)).is_none() {
            return;
        }
        let original = self
            .exported
            .get(sheet)
            .and_then(|g| g.get(row, col))
            .cloned();
        if let Some(g) = self.now.get_mut(sheet) {
            match original {
                Some(v) => {
                    g.insert(row, col, v);
                }
                None => {
                    g.remove(row, col);
                }
            }
        }
    }

    /// Pending edits: (sheet, row, col) → new value or `None` for cleared.
    pub fn edits(&self) -> &Edits {
        &self.edits
    }

    /// Does the cell hold a formula whose result is empty text (it shows nothing)?
    fn is_empty_formula(&self, sheet: usize, row: u32, col: u32) -> bool {
        self.facts
            .get(sheet)
            .is_some_and(|f| f.empty_formulas.contains(&(row, col)))
    }

    /// Was the cell a date when exported?
    fn is_date_cell(&self, sheet: usize, row: u32, col: u32) -> bool {
        matches!(
            self.exported.get(sheet).and_then(|g| g.get(row, col)),
            Some(CellValue::Date(_))
        )
    }

    /// The format a date written into the cell takes when it was not a date already: the
    /// one the column's dates use most.
    fn date_xf(&self, sheet: usize, col: u32) -> Option<u16> {
        self.facts.get(sheet)?.date_xfs.get(&col).copied()
    }

    /// What kind of values a column holds in rows `from..`, as exported: the cell type a
    /// value written into it should take.
    pub fn column_kind(&self, sheet: usize, col: u32, from: u32) -> ColumnKind {
        let (mut dates, mut numbers, mut others) = (0usize, 0usize, 0usize);
        if let Some(g) = self.exported.get(sheet) {
            for r in from..g.height() {
                match g.get(r, col) {
                    Some(CellValue::Date(_)) => dates += 1,
                    Some(CellValue::Number(_)) => numbers += 1,
                    Some(_) => others += 1,
                    None => {}
                }
            }
        }
        if dates > numbers + others {
            ColumnKind::Dates
        } else if numbers > dates + others {
            ColumnKind::Numbers
        } else {
            ColumnKind::Text
        }
    }

    /// Resolves the edits to cell records: texts to SST indexes (reusing plain strings
    /// already in the table), dates to numbers with a date format.
    fn workbook_edits(&self) -> WorkbookEdits {
        // The texts the edits write, each mapped to the first plain SST string equal to it.
        let mut known: rustc_hash::FxHashMap<&str, Option<u32>> = self
            .edits
            .values()
            .flatten()
            .filter_map(|v| match v {
                CellValue::Text(t) => Some((&**t, None)),
                _ => None,
            })
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
        for (&cell, value) in &self.edits {
            let CellRef { sheet, row, col } = cell;
            let edit = match value {
                None => CellEdit::Clear,
                Some(CellValue::Number(n)) => CellEdit::Number {
                    value: *n,
                    xf: None,
                },
                Some(CellValue::Date(n)) => CellEdit::Number {
                    value: *n,
                    // A date cell keeps its own format; any other takes its column's.
                    xf: if self.is_date_cell(sheet, row, col) {
                        None
                    } else {
                        self.date_xf(sheet, col)
                    },
                },
                Some(CellValue::Text(t)) => match known.entry(&**t).or_insert(None) {
                    Some(i) => CellEdit::Text(*i),
                    // Not in the table yet: appended once, then shared by the other edits.
                    slot @ None => {
                        let i = base + out.new_strings.len() as u32;
                        out.new_strings.push(t.to_string());
                        *slot = Some(i);
                        CellEdit::Text(i)
                    }
                },
                // Never set: the book's setters write texts, numbers and dates only.
                Some(CellValue::Bool(_) | CellValue::Error(_)) => continue,
            };
            out.sheets
                .entry(sheet)
                .or_insert_with(SheetEdits::new)
                .insert((row as u16, col as u16), edit);
        }
        out
    }
}
