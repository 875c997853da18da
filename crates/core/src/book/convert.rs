//! Workbooks that are not Excel 97-2003 (`.xlsx`, `.ods` saved by mistake), read with calamine
//! and rewritten as a fresh BIFF8 book with the same sheets and cells; and calamine's reading
//! of a BIFF8 file, the independent reader the tests hold sverka's own to.

use super::*;

/// Reads every worksheet of a BIFF8 file's bytes with calamine (an independent reader, used to
/// cross-check sverka's own).
pub fn read_grids_calamine(file: &[u8]) -> Result<Vec<Grid>, XlsError> {
    // calamine allocates a dense grid up to the farthest cell: a cell beyond the BIFF8 sheet
    // is refused first.
    Workbook::parse(Container::parse(file)?.workbook)?.check_cell_bounds()?;
    let cursor = std::io::Cursor::new(file);
    // calamine is a third-party parser: a panic inside it must not take the app down.
    let result = std::panic::catch_unwind(move || -> Result<Vec<Grid>, XlsError> {
        let mut xls = calamine::Xls::new(cursor).map_err(|e| XlsError::OtherFormat(Box::new(e)))?;
        let names = xls.sheet_names();
        let mut grids = Vec::with_capacity(names.len());
        for name in names {
            let range = match xls.worksheet_range(&name) {
                Ok(r) => r,
                // Chart sheets and macro sheets have no cells.
                Err(calamine::XlsError::WorksheetNotFound(_)) => calamine::Range::empty(),
                Err(e) => return Err(XlsError::OtherFormat(Box::new(e))),
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

/// The format an export was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceFormat {
    /// Excel 97-2003 (BIFF8), read as it is.
    Xls,
    /// Excel 2007 and later (.xlsx, .xlsm), rewritten as a BIFF8 workbook on reading.
    Xlsx,
    /// OpenDocument (.ods), rewritten as a BIFF8 workbook on reading.
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
    R::Error: std::error::Error + Send + Sync + 'static,
{
    let result = std::panic::catch_unwind(move || -> Result<Vec<Grid>, XlsError> {
        let mut book =
            R::new(std::io::Cursor::new(bytes)).map_err(|e| XlsError::OtherFormat(Box::new(e)))?;
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
        let file = write_fresh(&sheets)?;
        let mut book = XlsBook::from_bytes(file)?;
        book.converted_from = Some(format);
        Ok(book)
    }
}
