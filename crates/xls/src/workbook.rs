//! The `Workbook` stream as records: the globals substream, its SST, and each sheet's substream
//! located through BOUNDSHEET `lbPlyPos`.

use super::error::XlsError;
use super::records::{Rec, decode_chars, id, scan_substream, u16_at, u32_at};
use super::sst::Sst;

/// BOUNDSHEET `dt` of an ordinary worksheet (or dialog sheet).
pub const SHEET_KIND_WORKSHEET: u8 = 0;

/// One sheet named in the globals.
#[derive(Debug, Clone)]
pub struct SheetEntry {
    /// The sheet's name, as its BOUNDSHEET gives it.
    pub name: String,
    /// BOUNDSHEET `dt`: 0 worksheet, 1 macro sheet, 2 chart, 6 VBA module.
    pub kind: u8,
    /// BOUNDSHEET `hsState`: 0 visible, 1 hidden, 2 very hidden.
    pub visibility: u8,
    /// Index of its BOUNDSHEET record in `Workbook::globals`.
    pub boundsheet: usize,
    /// Stream position of its BOF.
    pub start: usize,
    /// The records of its substream, BOF to matching EOF. Empty when the workbook was read
    /// with [`Workbook::parse_light`] or the index was dropped after reading
    /// ([`Workbook::drop_sheet_records`]); [`Workbook::each_record`] walks the stream then.
    pub recs: Vec<Rec>,
}

impl SheetEntry {
    /// Stream range the substream occupies (while its records are indexed).
    pub fn span(&self) -> (usize, usize) {
        let start = self.recs.first().map_or(0, |r| r.start());
        let end = self.recs.last().map_or(start, |r| r.end());
        (start, end)
    }
}

/// A parsed BIFF8 `Workbook` stream. Holds the original bytes; parsing never changes them.
#[derive(Debug, Clone)]
pub struct Workbook {
    /// The `Workbook` stream's bytes, as read.
    pub stream: Vec<u8>,
    /// The records of the globals substream, BOF to EOF.
    pub globals: Vec<Rec>,
    /// The sheets, in BOUNDSHEET order.
    pub sheets: Vec<SheetEntry>,
    /// The SST's strings (`None` without an SST, or when only indexed).
    pub sst: Option<Sst>,
    /// Where the SST is in `globals`: first record and number of records.
    sst_span: Option<(usize, usize)>,
}

fn corrupt(detail: impl Into<String>) -> XlsError {
    XlsError::Corrupt {
        detail: detail.into(),
    }
}

impl Workbook {
    /// Indexes the records of a `Workbook` stream. Refuses BIFF5/7 and encrypted books.
    /// Checks that every cell and every DIMENSIONS record stays inside the BIFF8 sheet
    /// (65,536 rows × 256 columns). A corrupt coordinate would make a reader allocate a grid of
    /// billions of cells, so such a file is refused before any cell is read.
    pub fn check_cell_bounds(&self) -> Result<(), XlsError> {
        for sheet in &self.sheets {
            let mut bad = None;
            self.each_record(sheet, |r| {
                if bad.is_none() && outside_sheet(r, r.data(&self.stream)) {
                    bad = Some(r);
                }
            })?;
            if let Some(r) = bad {
                return Err(outside_error(sheet, r));
            }
        }
        Ok(())
    }

    /// Frees the sheets' record indexes (millions of entries in a large book) once the cells
    /// are read; what needs the records later walks the stream again.
    pub fn drop_sheet_records(&mut self) {
        for sheet in &mut self.sheets {
            sheet.recs = Vec::new();
        }
    }

    /// Calls `each` for every record of a sheet's substream, in order.
    pub fn each_record(
        &self,
        sheet: &SheetEntry,
        mut each: impl FnMut(Rec),
    ) -> Result<(), XlsError> {
        if sheet.recs.is_empty() {
            super::records::walk_substream(&self.stream, sheet.start, each)
        } else {
            sheet.recs.iter().copied().for_each(&mut each);
            Ok(())
        }
    }

    /// Indexes the records and reads the shared string table.
    pub fn parse(stream: Vec<u8>) -> Result<Workbook, XlsError> {
        Workbook::parse_with(stream, true)
    }

    /// Reads the globals only: where the SST is ([`Workbook::sst_records`]) but not its
    /// strings, where each sheet starts but not its records (walked by
    /// [`Workbook::each_record`]). For reading a written file back with little memory.
    pub fn parse_light(stream: Vec<u8>) -> Result<Workbook, XlsError> {
        Workbook::parse_with(stream, false)
    }

    /// `full`: read the SST's strings and index each sheet's records.
    fn parse_with(stream: Vec<u8>, full: bool) -> Result<Workbook, XlsError> {
        if stream.is_empty() {
            return Err(XlsError::Empty);
        }
        let bof =
            super::records::record_at(&stream, 0)?.ok_or_else(|| corrupt("поток книги пуст"))?;
        if bof.id != id::BOF {
            // BIFF2–4 BOFs have other ids (0x0009, 0x0209, 0x0409).
            if matches!(bof.id, 0x0009 | 0x0209 | 0x0409) {
                return Err(XlsError::OldExcel);
            }
            return Err(corrupt("поток книги не начинается записью BOF"));
        }
        let version = u16_at(bof.data(&stream), 0).unwrap_or(0);
        match version {
            0x0600 => {}
            0x0500 => return Err(XlsError::Biff5),
            v => return Err(XlsError::UnsupportedVersion { version: v }),
        }
        let globals = scan_substream(&stream, 0)?;
        if globals.iter().any(|r| r.id == id::FILEPASS) {
            return Err(XlsError::Encrypted);
        }
        let sst_span = globals.iter().position(|r| r.id == id::SST).map(|first| {
            let count = 1 + globals
                .get(first + 1..)
                .unwrap_or(&[])
                .iter()
                .take_while(|r| r.id == id::CONTINUE)
                .count();
            (first, count)
        });
        // The strings and the sheets' records are independent: read at once.
        let (sst, sheets) = std::thread::scope(|scope| {
            let sst = scope.spawn(|| match sst_span {
                Some((first, count)) if full => {
                    let recs = globals.get(first..first + count).unwrap_or(&[]);
                    Sst::parse(&stream, recs, first).map(Some)
                }
                _ => Ok(None),
            });
            let sheets = index_sheets(&stream, &globals, full);
            let sst = sst
                .join()
                .unwrap_or_else(|_| Err(corrupt("таблица строк не читается")));
            (sst, sheets)
        });
        let (sst, sheets) = (sst?, sheets?);
        Ok(Workbook {
            stream,
            globals,
            sheets,
            sst,
            sst_span,
        })
    }

    /// The SST record and its CONTINUE records (empty without an SST).
    pub fn sst_records(&self) -> &[Rec] {
        self.sst_span
            .and_then(|(first, count)| self.globals.get(first..first + count))
            .unwrap_or(&[])
    }

    /// The SST string at `isst`, shared.
    pub fn sst_shared(&self, isst: u32) -> Option<std::sync::Arc<str>> {
        let sst = self.sst.as_ref()?;
        sst.strings.get(isst as usize).map(|s| s.text.clone())
    }

    /// The SST string at `isst`, if any.
    pub fn sst_text(&self, isst: u32) -> Option<&str> {
        let sst = self.sst.as_ref()?;
        sst.strings.get(isst as usize).map(|s| &*s.text)
    }

    /// Index of the sheet called `name` (exact match).
    pub fn sheet_index(&self, name: &str) -> Option<usize> {
        self.sheets.iter().position(|s| s.name == name)
    }

    /// Stream position where the globals substream ends.
    pub fn globals_end(&self) -> usize {
        self.globals.last().map_or(0, |r| r.end())
    }
}

/// The sheets named in the globals, with their records when `full`.
fn index_sheets(stream: &[u8], globals: &[Rec], full: bool) -> Result<Vec<SheetEntry>, XlsError> {
    let globals_end = globals.last().map_or(0, |r| r.end());
    let mut sheets = Vec::new();
    for (i, rec) in globals.iter().enumerate() {
        if rec.id != id::BOUNDSHEET {
            continue;
        }
        let data = rec.data(stream);
        let pos = u32_at(data, 0).ok_or_else(|| corrupt("короткая запись BOUNDSHEET"))?;
        let visibility = data.get(4).copied().unwrap_or(0) & 0x03;
        let kind = data.get(5).copied().unwrap_or(0);
        let name =
            boundsheet_name(data).ok_or_else(|| corrupt("имя листа в BOUNDSHEET повреждено"))?;
        let pos = pos as usize;
        if pos < globals_end || pos >= stream.len() {
            return Err(corrupt(format!(
                "лист «{name}» указывает за пределы книги (смещение {pos})"
            )));
        }
        let recs = if full {
            scan_substream(stream, pos)?
        } else {
            Vec::new()
        };
        sheets.push(SheetEntry {
            name,
            kind,
            visibility,
            boundsheet: i,
            start: pos,
            recs,
        });
    }
    let mut spans: Vec<(usize, usize)> = sheets.iter().map(SheetEntry::span).collect();
    spans.sort_unstable();
    if spans.windows(2).any(|w| matches!(w, [a, b] if b.0 < a.1)) {
        return Err(corrupt("листы книги перекрываются"));
    }
    Ok(sheets)
}

/// Does a cell record (or DIMENSIONS) reach beyond the 65,536 × 256 cells of a BIFF8 sheet?
pub fn outside_sheet(r: Rec, d: &[u8]) -> bool {
    match r.id {
        id::DIMENSIONS => {
            let rows = u32_at(d, 4).unwrap_or(0);
            let cols = u16_at(d, 10).unwrap_or(0);
            rows > 65_536 || cols > 256
        }
        id::LABELSST
        | id::LABEL
        | id::NUMBER
        | id::RK
        | id::BLANK
        | id::BOOLERR
        | id::FORMULA
        | id::FORMULA_BIFF4
        | id::RSTRING => u16_at(d, 2).unwrap_or(0) > 255,
        id::MULRK | id::MULBLANK => {
            let first = u16_at(d, 2).unwrap_or(0);
            let last = d
                .len()
                .checked_sub(2)
                .and_then(|at| u16_at(d, at))
                .unwrap_or(0);
            first > 255 || last > 255 || last < first
        }
        _ => false,
    }
}

/// The refusal of a sheet with a record beyond the BIFF8 sheet.
pub fn outside_error(sheet: &SheetEntry, r: Rec) -> XlsError {
    corrupt(format!(
        "на листе «{}» ячейка за пределами листа Excel 97-2003 (запись {:#06x} по смещению {})",
        sheet.name, r.id, r.off
    ))
}

/// Sheet name from a BOUNDSHEET payload: ShortXLUnicodeString at offset 6.
fn boundsheet_name(data: &[u8]) -> Option<String> {
    let cch = *data.get(6)? as usize;
    let high = data.get(7)? & 1 == 1;
    decode_chars(data.get(8..)?, cch, high)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture_stream(name: &str) -> Vec<u8> {
        let path = format!("{}/../../tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
        let bytes = std::fs::read(path).unwrap_or_default();
        crate::container::Container::parse(&bytes)
            .map(|c| c.workbook)
            .unwrap_or_default()
    }

    #[test]
    fn fixtures_index_sheets_and_strings() {
        for (name, strings) in [
            ("short/export.xls", 167),
            ("full/export.xls", 2621),
            ("full/export_libreoffice.xls", 2621),
        ] {
            let wb = Workbook::parse(fixture_stream(name));
            let wb = match wb {
                Ok(wb) => wb,
                Err(e) => panic!("{name}: {e}"),
            };
            assert_eq!(wb.sheets.len(), 1, "{name}");
            assert_eq!(wb.sheets[0].name, "Ученики");
            assert_eq!(wb.sst.as_ref().map(|s| s.strings.len()), Some(strings));
        }
    }

    #[test]
    fn biff5_and_encrypted_are_refused() {
        let mut biff5 = vec![0x09, 0x08, 0x08, 0x00, 0x00, 0x05, 0x05, 0x00, 0, 0, 0, 0];
        biff5.extend_from_slice(&[0x0A, 0x00, 0x00, 0x00]);
        assert!(matches!(Workbook::parse(biff5), Err(XlsError::Biff5)));
        let mut enc = vec![0x09, 0x08, 0x04, 0x00, 0x00, 0x06, 0x05, 0x00];
        enc.extend_from_slice(&[0x2F, 0x00, 0x00, 0x00, 0x0A, 0x00, 0x00, 0x00]);
        assert!(matches!(Workbook::parse(enc), Err(XlsError::Encrypted)));
    }
}
