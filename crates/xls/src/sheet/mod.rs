//! Rewriting one worksheet's cell table with edits applied.
//!
//! The substream is cut into *units* (a record plus the records that belong to it: CONTINUE, and
//! STRING/SHRFMLA/ARRAY/TABLE after a FORMULA). The cell table (ROW, cells, DBCELL) is grouped
//! into the row blocks the original writer made; edits replace or split cell units and insert new
//! ones; then the blocks are written back with fresh DBCELL offsets, and INDEX and DIMENSIONS are
//! updated. Units outside the cell table are copied byte for byte.
//!
//! The steps live in submodules: `units` cuts the substream, `table` groups the cell table
//! into row blocks, `split` replaces the cells an edit hits, `plan` applies a sheet's edits
//! row by row, `emit` writes the sheet back, and `shift` copies an unedited sheet.

use std::collections::{BTreeMap, BTreeSet};

use super::error::XlsError;

mod emit;
mod plan;
mod shift;
mod split;
mod table;
mod units;

pub use shift::copy_shifted;

/// What to do with one cell.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CellEdit {
    /// Write a LABELSST cell pointing at this SST index.
    Text(u32),
    /// Write a NUMBER cell (a date is a number whose format shows a date). `xf`: the format
    /// to give it; `None` keeps the cell's own (a new cell takes its row's or column's).
    Number {
        /// The value (for a date, its serial).
        value: f64,
        /// The format (XF index) to give the cell, if not its own.
        xf: Option<u16>,
    },
    /// Empty the cell, keeping its format (a BLANK record), or nothing if it has no record.
    Clear,
}

/// Edits of one sheet, keyed by (row, col), 0-based.
pub type SheetEdits = BTreeMap<(u16, u16), CellEdit>;

/// Most ROW records in one row block.
const BLOCK_ROWS: usize = 32;

/// XF index of the default cell format (the 16th XF).
const DEFAULT_XF: u16 = 15;

/// What a rewrite did: how the number of LABELSST cells changed (SST `cstTotal` follows it)
/// and where the original substream ended.
#[derive(Debug, Default, Clone, Copy)]
pub struct SheetStats {
    pub labelsst_delta: i64,
    pub end: usize,
}

/// Rewrites the worksheet whose BOF is at `start` in `stream` into `out` with `edits` applied.
pub fn rewrite(
    stream: &[u8],
    start: usize,
    edits: &SheetEdits,
    out: &mut Vec<u8>,
) -> Result<SheetStats, XlsError> {
    let edited_rows: BTreeSet<u16> = edits.keys().map(|&(r, _)| r).collect();
    let t = table::Table::parse(stream, start, &edited_rows)?;
    let places = plan::Places::find(&t, &edited_rows);
    let mut rw = plan::Rewrite::new(t);
    for &row in edited_rows.iter().rev() {
        let row_edits: Vec<(u16, CellEdit)> = edits
            .range((row, 0)..=(row, u16::MAX))
            .map(|(&(_, c), &e)| (c, e))
            .collect();
        rw.edit_row(&places, row, &row_edits)?;
    }
    rw.finish(out)
}
