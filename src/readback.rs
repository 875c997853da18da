//! Reading a written `.xls` back and comparing it, cell by cell, with what it must hold: the
//! sheets as exported with the pending edits laid over them.
//!
//! The written file is read independently (its own compound file, record index and shared
//! string table), but no grid of it is built: its cells are compared row by row as the records
//! come, so verifying a 65,000-row file costs its stream, its record index and its strings, not
//! another copy of every cell. A sheet whose rows are not in order (possible in files of other
//! writers, never in sverka's own) is read whole and then compared.

use std::collections::BTreeMap;
use std::iter::Peekable;

use crate::book::{CellValue, Grid};
use crate::xls::cells::{DateFormats, RecValue, settle_row, visit_cells};
use crate::xls::container::Container;
use crate::xls::error::a1;
use crate::xls::sst::SstTexts;
use crate::xls::workbook::{SheetEntry, Workbook};

/// Pending edits as the book keeps them: (sheet, row, col) → new text, or `None` for cleared.
pub type Edits = BTreeMap<(usize, u32, u32), Option<String>>;

/// Checks that `file` reads back as `originals` with `edits` applied; the error says where not.
pub fn verify(file: &[u8], originals: &[Grid], edits: &Edits) -> Result<(), String> {
    let container = Container::parse(file).map_err(|e| e.to_string())?;
    let workbook = Workbook::parse_index(container.workbook).map_err(|e| e.to_string())?;
    workbook.check_cell_bounds().map_err(|e| e.to_string())?;
    let texts =
        SstTexts::parse(&workbook.stream, workbook.sst_records()).map_err(|e| e.to_string())?;
    let dates = DateFormats::of(&workbook);
    if workbook.sheets.len() != originals.len() {
        return Err(format!(
            "в файле {} листов вместо {}",
            workbook.sheets.len(),
            originals.len()
        ));
    }
    for (i, (entry, orig)) in workbook.sheets.iter().zip(originals).enumerate() {
        if entry.name != orig.name {
            return Err(format!("лист «{}» называется «{}»", orig.name, entry.name));
        }
        let sheet = Sheet {
            workbook: &workbook,
            entry,
            dates: &dates,
            texts: &texts,
        };
        let want = || merge_edits(orig, edits.range((i, 0, 0)..=(i, u32::MAX, u32::MAX)));
        sheet.compare(want).map_err(|(row, col)| {
            format!(
                "ячейка {} листа «{}» прочиталась не так, как задумано",
                a1(row, col),
                orig.name
            )
        })?;
    }
    Ok(())
}

/// A cell value expected in a written file.
enum Want<'a> {
    Cell(&'a CellValue),
    Text(&'a str),
}

/// One sheet of the written file.
struct Sheet<'a> {
    workbook: &'a Workbook,
    entry: &'a SheetEntry,
    dates: &'a DateFormats,
    texts: &'a SstTexts,
}

/// Where the written file differs: (row, col).
type Mismatch = (u32, u32);

impl Sheet<'_> {
    fn matches(&self, want: &Want, got: &RecValue) -> bool {
        let text = match got {
            RecValue::Sst(i) => self.texts.get(*i),
            RecValue::Text(t) => Some(t.as_str()),
            _ => None,
        };
        let want_text = match want {
            Want::Text(t) => Some(*t),
            Want::Cell(CellValue::Text(t)) => Some(&**t),
            Want::Cell(_) => None,
        };
        if let Some(t) = want_text {
            return text == Some(t);
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
            RecValue::Sst(i) => self.texts.get(*i).is_none_or(str::is_empty),
            RecValue::Text(t) => t.is_empty(),
            _ => false,
        }
    }

    /// Compares the sheet with the cells `want()` lists in (row, col) order.
    fn compare<'w, I>(&self, want: impl Fn() -> I) -> Result<(), Mismatch>
    where
        I: Iterator<Item = ((u32, u32), Want<'w>)>,
    {
        let mut expected = want().peekable();
        let mut row: Vec<(u32, RecValue)> = Vec::new();
        let mut current: Option<u32> = None;
        let mut result = Ok(());
        let mut out_of_order = false;
        visit_cells(self.workbook, self.entry, self.dates, |r, c, v| {
            if result.is_err() || out_of_order || self.is_empty(&v) {
                return;
            }
            match current {
                Some(cur) if r == cur => row.push((c, v)),
                Some(cur) if r < cur => out_of_order = true,
                _ => {
                    if let Some(cur) = current {
                        result = self.compare_row(cur, &mut row, &mut expected);
                        row.clear();
                    }
                    current = Some(r);
                    row.push((c, v));
                }
            }
        });
        if out_of_order {
            return self.compare_whole(want());
        }
        result?;
        if let Some(cur) = current {
            self.compare_row(cur, &mut row, &mut expected)?;
        }
        match expected.next() {
            Some((missing, _)) => Err(missing),
            None => Ok(()),
        }
    }

    /// As [`Sheet::compare`], reading the whole sheet first.
    fn compare_whole<'w>(
        &self,
        want: impl Iterator<Item = ((u32, u32), Want<'w>)>,
    ) -> Result<(), Mismatch> {
        let mut expected = want.peekable();
        let mut rows: BTreeMap<u32, Vec<(u32, RecValue)>> = BTreeMap::new();
        visit_cells(self.workbook, self.entry, self.dates, |r, c, v| {
            if !self.is_empty(&v) {
                rows.entry(r).or_default().push((c, v));
            }
        });
        for (r, mut cells) in rows {
            self.compare_row(r, &mut cells, &mut expected)?;
        }
        match expected.next() {
            Some((missing, _)) => Err(missing),
            None => Ok(()),
        }
    }

    /// Compares the cells of row `r` (in record order) with the expected cells up to and
    /// including that row.
    fn compare_row<'w>(
        &self,
        r: u32,
        cells: &mut Vec<(u32, RecValue)>,
        expected: &mut Peekable<impl Iterator<Item = ((u32, u32), Want<'w>)>>,
    ) -> Result<(), Mismatch> {
        settle_row(cells);
        // An expected cell of an earlier row never came.
        if let Some(&(k, _)) = expected.peek()
            && k.0 < r
        {
            return Err(k);
        }
        for (c, got) in cells.iter() {
            match expected.next() {
                Some((k, w)) if k == (r, *c) && self.matches(&w, got) => {}
                Some((k, _)) => return Err(k.min((r, *c))),
                None => return Err((r, *c)),
            }
        }
        match expected.peek() {
            Some(&(k, _)) if k.0 == r => Err(k),
            _ => Ok(()),
        }
    }
}

/// The cells of `orig` with `edits` ((sheet, row, col) → new text or cleared) laid over them,
/// in (row, col) order.
fn merge_edits<'a>(
    orig: &'a Grid,
    edits: impl Iterator<Item = (&'a (usize, u32, u32), &'a Option<String>)> + 'a,
) -> impl Iterator<Item = ((u32, u32), Want<'a>)> + 'a {
    let mut cells = orig.iter().peekable();
    let mut edits = edits
        .map(|(&(_, r, c), v)| ((r, c), v.as_ref().filter(|t| !t.is_empty())))
        .peekable();
    std::iter::from_fn(move || {
        loop {
            let next_cell = cells.peek().map(|(k, _)| *k);
            let next_edit = edits.peek().map(|(k, _)| *k);
            match (next_cell, next_edit) {
                (None, None) => return None,
                (Some(c), Some(e)) if e <= c => {
                    if e == c {
                        cells.next();
                    }
                    let (k, v) = edits.next()?;
                    if let Some(t) = v {
                        return Some((k, Want::Text(t)));
                    }
                }
                (Some(_), _) => {
                    let (k, v) = cells.next()?;
                    return Some((k, Want::Cell(v)));
                }
                (None, Some(_)) => {
                    let (k, v) = edits.next()?;
                    if let Some(t) = v {
                        return Some((k, Want::Text(t)));
                    }
                }
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xls::fresh::{FreshCell, FreshSheet, write};
    use crate::xls::records::{id, u16_at};

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
            .map(|&((r, c), v)| ((0, r, c), v.map(str::to_string)))
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
        container.with_workbook(&stream).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn a_file_reads_back_as_itself_and_as_nothing_else() {
        let file = write(&[sheet()]).unwrap_or_else(|e| panic!("{e}"));
        let orig = grids(&file);
        assert_eq!(verify(&file, &orig, &Edits::new()), Ok(()));
        // An edit the file lacks, a cell it has but should not, a cell it lacks.
        for (list, cell) in [
            (vec![((1, 1), Some("000-000-000 00"))], "B2"),
            (vec![((2, 1), None)], "B3"),
            (vec![((4, 4), Some("новое"))], "E5"),
            (vec![((3, 1), Some("между"))], "B4"),
        ] {
            let err = verify(&file, &orig, &edits(&list)).err().unwrap_or_default();
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
        assert_eq!(verify(&shuffled, &orig, &Edits::new()), Ok(()));
        let err = verify(&shuffled, &orig, &edits(&[((1, 0), Some("Другой"))]))
            .err()
            .unwrap_or_default();
        assert!(err.contains("A2"), "{err}");
        let err = verify(&shuffled, &orig, &edits(&[((3, 3), Some("лишнее"))]))
            .err()
            .unwrap_or_default();
        assert!(err.contains("D4"), "{err}");
    }
}
