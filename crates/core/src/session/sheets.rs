//! Questions about the sheets that the grid and the column mapping ask: which rows a search
//! keeps, a column's first values, and a header row's signature (the key a saved mapping is
//! remembered by).

use crate::engine::schema::{cell_text, signature};
use crate::engine::search::RowSearch;
use crate::session::Session;

impl Session {
    /// A search for `query` in the ФИО, СНИЛС and phone columns of a sheet.
    pub fn row_search(&self, sheet: usize, query: &str) -> RowSearch {
        RowSearch::new(self.schema().sheets.get(sheet), query)
    }

    /// The first `n` non-empty values of a column below the header row, as text.
    pub fn column_samples(&self, sheet: usize, header_row: u32, col: u32, n: usize) -> Vec<String> {
        let Some(grid) = self.grids().get(sheet) else {
            return Vec::new();
        };
        (header_row + 1..grid.height())
            .filter_map(|r| cell_text(grid, r, col))
            .take(n)
            .collect()
    }

    /// The normalised header texts of a row, the key a column mapping is saved under.
    pub fn header_signature(&self, sheet: usize, header_row: u32) -> Option<String> {
        self.grids().get(sheet).map(|g| signature(g, header_row))
    }
}
