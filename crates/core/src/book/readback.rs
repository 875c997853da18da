//! Reading a written `.xls` back and comparing it, cell by cell, with what it must hold: the
//! sheets as exported with the pending edits laid over them.
//!
//! The written file is read independently — its own compound file, globals, shared string
//! table and cell records — but no grid of it is built: its cells are compared row by row as
//! the records come, and its strings are compared where they lie in the stream, each distinct
//! string once. Verifying a 65,000-row file costs its stream and a few bytes per string, not
//! another copy of every cell. A sheet whose rows are not in order (possible in files of other
//! writers, never in sverka's own) is read whole and then compared.

use std::cell::Cell;
use std::collections::BTreeMap;

use crate::book::CellRef;
use crate::book::grid::{CellValue, Grid};

use crate::xls::Container;
use crate::xls::SstTexts;
use crate::xls::{DateFormats, RecValue, settle_row, visit_cells};
use crate::xls::{SheetEntry, Workbook};
use crate::xls::{VerifyError, XlsError};

pub use crate::book::Edits;

/// Checks that `file` reads back as `originals` with `edits` applied; the error says where not.
pub fn verify(file: &[u8], originals: &[Grid], edits: &Edits) -> Result<(), VerifyError> {
    let container = Container::parse(file)?;
    let workbook = Workbook::parse_light(container.workbook)?;
    verify_workbook(&workbook, originals, edits)
}

/// As [`verify`], for a `Workbook` stream read with [`Workbook::parse_light`].
pub fn verify_workbook(
    workbook: &Workbook,
    originals: &[Grid],
    edits: &Edits,
) -> Result<(), VerifyError> {
    let texts = SstTexts::parse(&workbook.stream, workbook.sst_records())?;
    // Which original string each string of the new table was found equal to: a string is
    // compared once, not once for every cell that shows it.
    let equal_to = vec![Cell::new(0usize); texts.len()];
    let dates = DateFormats::of(workbook);
    if workbook.sheets.len() != originals.len() {
        return Err(VerifyError::SheetCount {
            found: workbook.sheets.len(),
            expected: originals.len(),
        });
    }
    for (i, (entry, orig)) in workbook.sheets.iter().zip(originals).enumerate() {
        if entry.name != orig.name {
            return Err(VerifyError::SheetName {
                expected: orig.name.clone(),
                found: entry.name.clone(),
            });
        }
        let sheet = Sheet {
            workbook,
            entry,
            dates: &dates,
            texts: &texts,
            equal_to: &equal_to,
        };
        let sheet_edits: Vec<((u32, u32), Option<&CellValue>)> = edits
            .range(CellRef::sheet_bounds(i).0..=CellRef::sheet_bounds(i).1)
            .map(|(c, v)| ((c.row, c.col), v.as_ref()))
            .collect();
        let want = || Expected {
            orig,
            edits: &sheet_edits,
            next_edit: 0,
            next_row: 0,
        };
        sheet.compare(want).map_err(|failure| match failure {
            Failure::Cell((row, col)) => VerifyError::Cell {
                sheet: orig.name.clone(),
                row,
                col,
            },
            Failure::Unreadable(e) => e.into(),
        })?;
    }
    Ok(())
}

/// An edit that writes empty text writes nothing.
fn is_empty_text(v: &CellValue) -> bool {
    matches!(v, CellValue::Text(t) if t.is_empty())
}

/// A cell value expected in a written file.
enum Want<'a> {
    Cell(&'a CellValue),
}

/// One sheet of the written file.
struct Sheet<'a> {
    workbook: &'a Workbook,
    entry: &'a SheetEntry,
    dates: &'a DateFormats,
    texts: &'a SstTexts<'a>,
    /// Per string of the new SST: the address of the original text it equals (0: not yet).
    equal_to: &'a [Cell<usize>],
}

/// Where the written file differs: (row, col).
type Mismatch = (u32, u32);

/// Why a sheet does not read back as it must.
enum Failure {
    /// This cell differs, is missing or should not be there.
    Cell(Mismatch),
    /// The sheet's records cannot be read.
    Unreadable(XlsError),
}

impl From<Mismatch> for Failure {
    fn from(cell: Mismatch) -> Failure {
        Failure::Cell(cell)
    }
}

fn unreadable(e: XlsError) -> Failure {
    Failure::Unreadable(e)
}

impl Sheet<'_> {
    fn matches(&self, want: &Want, got: &RecValue) -> bool {
        let want_text = match want {
            Want::Cell(CellValue::Text(t)) => Some((&**t, Some(t.as_ptr() as usize))),
            Want::Cell(_) => None,
        };
        if let Some((t, shared)) = want_text {
            return match got {
                RecValue::Text(g) => g == t,
                RecValue::Sst(i) => {
                    let seen = self.equal_to.get(*i as usize);
                    if shared.is_some() && seen.map(Cell::get) == shared {
                        return true;
                    }
                    let equal = self.texts.get(*i).is_some_and(|g| g.eq_str(t));
                    if let (true, Some(seen), Some(p)) = (equal, seen, shared) {
                        seen.set(p);
                    }
                    equal
                }
                _ => false,
            };
        }
        match (want, got) {
            (Want::Cell(CellValue::Number(a)), RecValue::Number(b))
            | (Want::Cell(CellValue::Date(a)), RecValue::Date(b)) => a.to_bits() == b.to_bits(),
            (Want::Cell(CellValue::Bool(a)), RecValue::Bool(b)) => a == b,
            (Want::Cell(CellValue::Error(a)), RecValue::Error(b)) => a == b,
            _ => false,
        }
    }

    /// Cells the reader leaves out: empty text, and text pointing past the string table.
    fn is_empty(&self, v: &RecValue) -> bool {
        match v {
            RecValue::Sst(i) => self.texts.get(*i).is_none_or(|t| t.is_empty()),
            RecValue::Text(t) => t.is_empty(),
            _ => false,
        }
    }

    /// Calls `each` for every cell of the sheet, refusing a record beyond the BIFF8 sheet.
    fn cells(&self, each: impl FnMut(u32, u32, RecValue)) -> Result<(), Failure> {
        visit_cells(self.workbook, self.entry, self.dates, each).map_err(unreadable)
    }

    /// Compares the sheet with what `want()` says it must hold.
    fn compare<'w>(&self, want: impl Fn() -> Expected<'w>) -> Result<(), Failure> {
        let mut expected = want();
        let mut row: Vec<(u32, RecValue)> = Vec::new();
        let mut current: Option<u32> = None;
        let mut result = Ok(());
        let mut out_of_order = false;
        self.cells(|r, c, v| {
            if out_of_order || self.is_empty(&v) {
                return;
            }
            // A row met after a later one: the sheet is compared whole instead, even if a
            // mismatch was already seen (the earlier row may only have looked missing).
            if current.is_some_and(|cur| r < cur) {
                out_of_order = true;
                return;
            }
            if result.is_err() {
                return;
            }
            match current {
                Some(cur) if r == cur => row.push((c, v)),
                _ => {
                    if let Some(cur) = current {
                        result = expected.row(self, cur, &mut row);
                        row.clear();
                    }
                    current = Some(r);
                    row.push((c, v));
                }
            }
        })?;
        if out_of_order {
            return self.compare_whole(want());
        }
        result?;
        if let Some(cur) = current {
            expected.row(self, cur, &mut row)?;
        }
        Ok(expected.rest_empty()?)
    }

    /// As [`Sheet::compare`], reading the whole sheet first.
    fn compare_whole(&self, mut expected: Expected) -> Result<(), Failure> {
        let mut rows: BTreeMap<u32, Vec<(u32, RecValue)>> = BTreeMap::new();
        self.cells(|r, c, v| {
            if !self.is_empty(&v) {
                rows.entry(r).or_default().push((c, v));
            }
        })?;
        for (r, mut cells) in rows {
            expected.row(self, r, &mut cells)?;
        }
        Ok(expected.rest_empty()?)
    }
}

/// What one sheet must hold, row after row: the cells as exported with the edits laid over
/// them.
struct Expected<'a> {
    orig: &'a Grid,
    /// The sheet's edits in (row, col) order: the new value, or `None` for cleared.
    edits: &'a [((u32, u32), Option<&'a CellValue>)],
    /// The first edit of a row not compared yet.
    next_edit: usize,
    /// Rows before this one are compared.
    next_row: u32,
}

impl<'a> Expected<'a> {
    /// Calls `each(col, want)` for the cells row `r` must hold, in column order; moves past
    /// the row's edits.
    fn cells_of(
        &mut self,
        r: u32,
        mut each: impl FnMut(u32, Want<'a>) -> Result<(), Mismatch>,
    ) -> Result<(), Mismatch> {
        let orig: &'a Grid = self.orig;
        let mut cells = orig.row(r).peekable();
        let edits = self.edits;
        let mut k = self.next_edit;
        while let Some(&((er, _), _)) = edits.get(k)
            && er < r
        {
            k += 1;
        }
        loop {
            let edit = edits.get(k).filter(|((er, _), _)| *er == r);
            match (cells.peek(), edit) {
                (None, None) => break,
                (Some(&(c, _)), Some(&((_, ec), v))) if ec <= c => {
                    if ec == c {
                        cells.next();
                    }
                    k += 1;
                    if let Some(v) = v.filter(|v| !is_empty_text(v)) {
                        each(ec, Want::Cell(v))?;
                    }
                }
                (Some(_), _) => {
                    if let Some((c, v)) = cells.next() {
                        each(c, Want::Cell(v))?;
                    }
                }
                (None, Some(&((_, ec), v))) => {
                    k += 1;
                    if let Some(v) = v.filter(|v| !is_empty_text(v)) {
                        each(ec, Want::Cell(v))?;
                    }
                }
            }
        }
        self.next_edit = k;
        Ok(())
    }

    /// Rows from `next_row` up to (not including) `end` must hold nothing.
    fn empty_until(&mut self, end: u32) -> Result<(), Mismatch> {
        while self.next_row < end {
            let r = self.next_row;
            self.cells_of(r, |c, _| Err((r, c)))?;
            self.next_row = r + 1;
        }
        Ok(())
    }

    /// Compares row `r` of the file (its cells in record order) with what it must hold.
    fn row(
        &mut self,
        sheet: &Sheet,
        r: u32,
        cells: &mut Vec<(u32, RecValue)>,
    ) -> Result<(), Mismatch> {
        self.empty_until(r)?;
        settle_row(cells);
        let mut got = cells.iter();
        self.cells_of(r, |c, want| match got.next() {
            Some((gc, v)) if *gc == c && sheet.matches(&want, v) => Ok(()),
            Some((gc, _)) => Err((r, c.min(*gc))),
            None => Err((r, c)),
        })?;
        if let Some((gc, _)) = got.next() {
            return Err((r, *gc));
        }
        self.next_row = r + 1;
        Ok(())
    }

    /// Nothing is expected after the last row read.
    fn rest_empty(&mut self) -> Result<(), Mismatch> {
        let end = self
            .orig
            .height()
            .max(self.edits.last().map_or(0, |((r, _), _)| r + 1));
        self.empty_until(end)
    }
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::xls::{FreshCell, FreshSheet, write_fresh as write};
    use crate::xls::{record_id as id, u16_at};

    fn sheet() -> FreshSheet {
        let text = |s: &str| FreshCell::Text(s.to_string());
        FreshSheet {
            name: "Ученики".into(),
            cells: vec![
                (0, 0, text("Фамилия")),
                (0, 1, text("СНИЛС")),
                (1, 0, text("Иванов")),
                (1, 1, text("112-233-445 95")),
                (2, 0, text("Петров")),
                (2, 1, FreshCell::Number(7.0)),
                (3, 0, text("Сидоров")),
                (3, 2, FreshCell::Date(45000.0)),
            ],
        }
    }

    fn grids(file: &[u8]) -> Vec<Grid> {
        crate::book::read_grids(file).unwrap_or_else(|e| panic!("{e}"))
    }

    fn edits(list: &[((u32, u32), Option<&str>)]) -> Edits {
        list.iter()
            .map(|&((r, c), v)| (CellRef::new(0, r, c), v.map(|t| CellValue::Text(t.into()))))
            .collect()
    }

    /// The file with the cell records of rows 1 and 3 swapped (same-size LABELSST records),
    /// so that rows come out of order.
    fn rows_out_of_order(file: &[u8]) -> Vec<u8> {
        let container = Container::parse(file).unwrap_or_else(|e| panic!("{e}"));
        let wb = Workbook::parse(container.workbook.clone()).unwrap_or_else(|e| panic!("{e}"));
        let cell = |row: u16| {
            wb.sheets[0]
                .recs
                .iter()
                .find(|r| r.id == id::LABELSST && u16_at(r.data(&wb.stream), 0) == Some(row))
                .copied()
                .unwrap_or_else(|| panic!("no LABELSST in row {row}"))
        };
        let (a, b) = (cell(1), cell(3));
        assert_eq!(a.len, b.len);
        let mut stream = wb.stream.clone();
        let (ra, rb) = (a.start()..a.end(), b.start()..b.end());
        let bytes_a = wb.stream[ra.clone()].to_vec();
        stream[ra].copy_from_slice(&wb.stream[rb.clone()]);
        stream[rb].copy_from_slice(&bytes_a);
        container
            .with_workbook(&stream)
            .unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn a_file_reads_back_as_itself_and_as_nothing_else() {
        let file = write(&[sheet()]).unwrap_or_else(|e| panic!("{e}"));
        let orig = grids(&file);
        verify(&file, &orig, &Edits::new()).unwrap_or_else(|e| panic!("{e}"));
        // An edit the file lacks, a cell it has but should not, a cell it lacks.
        for (list, cell) in [
            (vec![((1, 1), Some("000-000-000 00"))], "B2"),
            (vec![((2, 1), None)], "B3"),
            (vec![((4, 4), Some("новое"))], "E5"),
            (vec![((3, 1), Some("между"))], "B4"),
        ] {
            let err = verify(&file, &orig, &edits(&list))
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(err.contains(cell), "{cell}: {err}");
        }
        // Other sheets or names are refused.
        let mut renamed = orig.clone();
        renamed[0].name = "Лист1".into();
        assert!(verify(&file, &renamed, &Edits::new()).is_err());
        assert!(verify(&file, &[], &Edits::new()).is_err());
    }

    #[test]
    fn rows_out_of_order_are_read_whole_and_still_compared() {
        let file = write(&[sheet()]).unwrap_or_else(|e| panic!("{e}"));
        let orig = grids(&file);
        let shuffled = rows_out_of_order(&file);
        assert_ne!(shuffled, file);
        // The same cells, met in another order.
        assert_eq!(grids(&shuffled), orig);
        verify(&shuffled, &orig, &Edits::new()).unwrap_or_else(|e| panic!("{e}"));
        let err = verify(&shuffled, &orig, &edits(&[((1, 0), Some("Другой"))]))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("A2"), "{err}");
        let err = verify(&shuffled, &orig, &edits(&[((3, 3), Some("лишнее"))]))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("D4"), "{err}");
    }
}
