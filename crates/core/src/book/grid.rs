//! A sheet's cells, row by row. Each row is a column-sorted vector behind an `Arc`, so a copy
//! of a whole sheet (the sheet as exported next to the sheet as edited) shares every row the
//! officer has not touched: an edit copies one row, not the 65,000-row sheet.

use std::sync::Arc;

/// One cell's value as read.
#[derive(Debug, Clone, PartialEq)]
pub enum CellValue {
    /// Text. A string of the file's shared string table is held once, by the table, and
    /// shared by every cell that shows it.
    Text(Arc<str>),
    /// A number not shown as a date.
    Number(f64),
    /// A number shown as a date (1900 serial).
    Date(f64),
    /// A logical value (shown as ИСТИНА or ЛОЖЬ).
    Bool(bool),
    /// An error value as Excel shows it (`#DIV/0!`, `#N/A`).
    Error(String),
}

impl CellValue {
    /// The value as the officer would read it in Excel (dates as dd.mm.yyyy).
    pub fn display(&self) -> String {
        match self {
            CellValue::Text(s) => s.to_string(),
            CellValue::Number(n) => format_number(*n),
            CellValue::Date(d) => crate::norm::date::from_excel_serial(*d)
                .map(crate::norm::date::format_ru)
                .unwrap_or_else(|| format_number(*d)),
            CellValue::Bool(b) => if *b { "ИСТИНА" } else { "ЛОЖЬ" }.to_string(),
            CellValue::Error(e) => e.clone(),
        }
    }
}

/// Numbers without a spurious ".0" (СНИЛС and phones stored as numbers read back as digits).
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

type Row = Arc<Vec<(u32, CellValue)>>;

/// A sheet's non-empty cells, 0-based absolute (row, col).
#[derive(Debug, Clone, Default)]
pub struct Grid {
    /// The sheet's name.
    pub name: String,
    /// `rows[r]`: the cells of row `r`, sorted by column, each column once.
    rows: Vec<Row>,
    len: usize,
}

impl PartialEq for Grid {
    fn eq(&self, other: &Grid) -> bool {
        self.name == other.name && self.len == other.len && self.iter().eq(other.iter())
    }
}

impl Grid {
    /// An empty sheet.
    pub fn new(name: impl Into<String>) -> Grid {
        Grid {
            name: name.into(),
            ..Grid::default()
        }
    }

    /// A sheet of text cells for tests: row by row, an empty text leaving its cell empty.
    #[cfg(test)]
    pub(crate) fn from_text(name: &str, rows: &[&[&str]]) -> Grid {
        let mut g = Grid::new(name);
        for (r, row) in rows.iter().enumerate() {
            for (c, text) in row.iter().enumerate() {
                if !text.is_empty() {
                    g.insert(r as u32, c as u32, CellValue::Text((*text).into()));
                }
            }
        }
        g
    }

    /// A sheet from cells in any order; of two values for one cell the later wins.
    pub fn from_cells(
        name: impl Into<String>,
        cells: impl IntoIterator<Item = ((u32, u32), CellValue)>,
    ) -> Grid {
        let mut grid = Grid::new(name);
        let mut sorted = true;
        for ((r, c), v) in cells {
            let row = grid.row_mut(r);
            match row.last() {
                Some(&(last, _)) if last >= c => sorted = false,
                _ => {}
            }
            row.push((c, v));
        }
        for row in &mut grid.rows {
            let row = Arc::make_mut(row);
            if !sorted {
                // Stable: the later of two values for a column stays last, then wins.
                row.sort_by_key(|(c, _)| *c);
                let mut unique: Vec<(u32, CellValue)> = Vec::with_capacity(row.len());
                for (c, v) in row.drain(..) {
                    match unique.last_mut() {
                        Some(last) if last.0 == c => last.1 = v,
                        _ => unique.push((c, v)),
                    }
                }
                *row = unique;
            }
            row.shrink_to_fit();
        }
        grid.len = grid.rows.iter().map(|r| r.len()).sum();
        grid
    }

    /// A sheet from its rows: `rows[r]` holds row `r`'s cells sorted by column, each once.
    pub fn from_rows(name: impl Into<String>, rows: Vec<Vec<(u32, CellValue)>>) -> Grid {
        debug_assert!(rows.iter().all(|r| r.is_sorted_by(|a, b| a.0 < b.0)));
        let len = rows.iter().map(Vec::len).sum();
        let mut rows: Vec<Row> = rows.into_iter().map(Arc::new).collect();
        let keep = rows
            .iter()
            .rposition(|r| !r.is_empty())
            .map_or(0, |i| i + 1);
        rows.truncate(keep);
        Grid {
            name: name.into(),
            rows,
            len,
        }
    }

    fn row_mut(&mut self, r: u32) -> &mut Vec<(u32, CellValue)> {
        let r = r as usize;
        if self.rows.len() <= r {
            self.rows.resize_with(r + 1, Row::default);
        }
        // In range: the vector was just grown to hold row `r`.
        #[allow(clippy::indexing_slicing)]
        Arc::make_mut(&mut self.rows[r])
    }

    /// The value of a cell, or `None` when the cell is empty.
    pub fn get(&self, row: u32, col: u32) -> Option<&CellValue> {
        let cells = self.rows.get(row as usize)?;
        let i = cells.binary_search_by_key(&col, |(c, _)| *c).ok()?;
        cells.get(i).map(|(_, v)| v)
    }

    /// Sets a cell; returns the value it had.
    pub fn insert(&mut self, row: u32, col: u32, value: CellValue) -> Option<CellValue> {
        let cells = self.row_mut(row);
        match cells.binary_search_by_key(&col, |(c, _)| *c) {
            Ok(i) => cells
                .get_mut(i)
                .map(|slot| std::mem::replace(&mut slot.1, value)),
            Err(i) => {
                cells.insert(i, (col, value));
                self.len += 1;
                None
            }
        }
    }

    /// Empties a cell; returns the value it had.
    pub fn remove(&mut self, row: u32, col: u32) -> Option<CellValue> {
        let i = self
            .rows
            .get(row as usize)?
            .binary_search_by_key(&col, |(c, _)| *c)
            .ok()?;
        let (_, old) = self.row_mut(row).remove(i);
        self.len -= 1;
        if self.rows.last().is_some_and(|r| r.is_empty()) {
            let keep = self
                .rows
                .iter()
                .rposition(|r| !r.is_empty())
                .map_or(0, |i| i + 1);
            self.rows.truncate(keep);
        }
        Some(old)
    }

    /// Number of non-empty cells.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the sheet has no non-empty cells.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Number of rows up to the last non-empty one.
    pub fn height(&self) -> u32 {
        self.rows
            .iter()
            .rposition(|r| !r.is_empty())
            .map_or(0, |i| i as u32 + 1)
    }

    /// Number of columns up to the last non-empty one.
    pub fn width(&self) -> u32 {
        self.rows
            .iter()
            .filter_map(|r| r.last().map(|(c, _)| c + 1))
            .max()
            .unwrap_or(0)
    }

    /// The cells of one row, by column.
    pub fn row(&self, row: u32) -> impl Iterator<Item = (u32, &CellValue)> {
        self.rows
            .get(row as usize)
            .map(|r| r.as_slice())
            .unwrap_or(&[])
            .iter()
            .map(|(c, v)| (*c, v))
    }

    /// Every cell in (row, col) order.
    pub fn iter(&self) -> impl Iterator<Item = ((u32, u32), &CellValue)> {
        self.iter_from(0)
    }

    /// The cells of rows `first..` in (row, col) order.
    pub fn iter_from(&self, first: u32) -> impl Iterator<Item = ((u32, u32), &CellValue)> {
        self.rows
            .iter()
            .enumerate()
            .skip(first as usize)
            .flat_map(|(r, cells)| cells.iter().map(move |(c, v)| ((r as u32, *c), v)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> CellValue {
        CellValue::Text(s.into())
    }

    #[test]
    fn cells_in_any_order_read_back_sorted_with_the_later_value() {
        let g = Grid::from_cells(
            "Лист",
            [
                ((2, 5), t("в")),
                ((0, 1), t("а")),
                ((2, 1), t("б")),
                ((2, 5), t("г")),
            ],
        );
        let all: Vec<_> = g.iter().map(|(k, v)| (k, v.clone())).collect();
        assert_eq!(
            all,
            vec![((0, 1), t("а")), ((2, 1), t("б")), ((2, 5), t("г"))]
        );
        assert_eq!((g.len(), g.height(), g.width()), (3, 3, 6));
        assert_eq!(g.get(2, 5), Some(&t("г")));
        assert_eq!(g.get(1, 5), None);
        assert_eq!(g.get(9, 0), None);
    }

    #[test]
    fn an_edit_on_a_copy_leaves_the_original_and_shares_other_rows() {
        let a = Grid::from_cells("Лист", [((0, 0), t("а")), ((1, 0), t("б"))]);
        let mut b = a.clone();
        assert_eq!(b.insert(1, 0, t("в")), Some(t("б")));
        assert_eq!(b.insert(4, 2, t("г")), None);
        assert_eq!(a.get(1, 0), Some(&t("б")));
        assert_eq!(b.get(1, 0), Some(&t("в")));
        assert!(Arc::ptr_eq(&a.rows[0], &b.rows[0]));
        assert_eq!((b.len(), b.height()), (3, 5));
        assert_eq!(b.remove(4, 2), Some(t("г")));
        assert_eq!(b.remove(4, 2), None);
        assert_eq!((b.len(), b.height()), (2, 2));
        assert_ne!(a, b);
        b.insert(1, 0, t("б"));
        assert_eq!(a, b);
    }
}
