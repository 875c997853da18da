//! A cell's place in a book: the sheet (its index), the row and the column, 0-based.

use serde::{Deserialize, Serialize};

/// Where a cell is: sheet index, row and column, 0-based. Ordered by sheet, then row, then
/// column — the order of the file. `Display` gives the A1 name («I4»); [`CellRef::on`] adds
/// the sheet's name («Ученики!I4»).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
)]
pub struct CellRef {
    /// The index of the sheet in the book.
    pub sheet: usize,
    /// The row (0-based).
    pub row: u32,
    /// The column (0-based).
    pub col: u32,
}

impl CellRef {
    /// The cell at `row`, `col` of sheet `sheet`.
    pub const fn new(sheet: usize, row: u32, col: u32) -> CellRef {
        CellRef { sheet, row, col }
    }

    /// The cell as Excel names it with its sheet: «Ученики!I4».
    pub fn on(self, sheet_name: &str) -> String {
        format!("{sheet_name}!{self}")
    }

    /// The first and the last cell of a sheet, for ranges of an ordered map.
    pub const fn sheet_bounds(sheet: usize) -> (CellRef, CellRef) {
        (
            CellRef::new(sheet, 0, 0),
            CellRef::new(sheet, u32::MAX, u32::MAX),
        )
    }
}

impl std::fmt::Display for CellRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::xls::a1(self.row, self.col))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_named_as_excel_names_them_and_ordered_as_the_file() {
        let c = CellRef::new(0, 3, 8);
        assert_eq!(c.to_string(), "I4");
        assert_eq!(c.on("Ученики"), "Ученики!I4");
        let mut cells = vec![
            CellRef::new(1, 0, 0),
            CellRef::new(0, 2, 1),
            CellRef::new(0, 2, 0),
        ];
        cells.sort();
        assert_eq!(
            cells,
            vec![
                CellRef::new(0, 2, 0),
                CellRef::new(0, 2, 1),
                CellRef::new(1, 0, 0)
            ]
        );
        let (lo, hi) = CellRef::sheet_bounds(0);
        assert!(lo <= CellRef::new(0, 65_535, 255) && CellRef::new(0, 65_535, 255) <= hi);
        assert!(CellRef::new(1, 0, 0) > hi);
    }
}
