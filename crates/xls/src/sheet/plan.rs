//! Applying a sheet's edits row by row: editing the runs of cells a row has, placing its new
//! cells, and giving a row that gains cells a ROW record (or a wider one).

use std::collections::{BTreeSet, HashMap};

use super::emit::emit;
use super::split::{edit_cells, edited_cell};
use super::table::{Block, CellUnit, Piece, RowCells, RowRec, Table};
use super::units::Unit;
use super::{BLOCK_ROWS, CellEdit, DEFAULT_XF, SheetStats};
use crate::error::XlsError;
use crate::records::{id, u16_at};

/// Where each edited row's cells and ROW record are. Some writers put a row's cells in
/// more than one run (blanks first, values later; the later record of a cell wins): an
/// edit replaces the cell in every run, new cells go into the first.
pub(super) struct Places {
    /// (block, run) of every run of cells of an edited row, in stream order.
    cells_at: HashMap<u16, Vec<(usize, usize)>>,
    /// (block, ROW record) of an edited row's first ROW record.
    row_at: HashMap<u16, (usize, usize)>,
}

impl Places {
    /// Finds the cells and ROW records of `edited_rows` in the table.
    pub(super) fn find(t: &Table, edited_rows: &BTreeSet<u16>) -> Places {
        let mut cells_at: HashMap<u16, Vec<(usize, usize)>> = HashMap::new();
        let mut row_at: HashMap<u16, (usize, usize)> = HashMap::new();
        for (bi, b) in t.blocks.iter().enumerate() {
            for (ci, rc) in b.cells.iter().enumerate() {
                if edited_rows.contains(&rc.row) {
                    cells_at.entry(rc.row).or_default().push((bi, ci));
                }
            }
            for (ri, r) in b.rows.iter().enumerate() {
                if edited_rows.contains(&r.row) {
                    row_at.entry(r.row).or_insert((bi, ri));
                }
            }
        }
        Places { cells_at, row_at }
    }
}

/// A rewrite under way: the table being edited and what the edits did so far.
pub(super) struct Rewrite<'a> {
    t: Table<'a>,
    stats: SheetStats,
    /// Rows that got a new ROW record.
    new_rows: Vec<u16>,
    /// The rows and columns new cells went into: (first row, last row, first col, last col).
    widened: Option<(u16, u16, u16, u16)>,
    /// The rows' formats for new cells, read when the first new cell needs them.
    row_xfs: Option<HashMap<u16, u16>>,
    /// Rows that had no cells, with the block their new cells go into, and new ROW records:
    /// put into their blocks when every row is edited. Inserting them at once would move
    /// the places of the rows still to be edited (in a sheet whose rows are out of order,
    /// even of rows above them).
    pending_cells: Vec<(usize, RowCells)>,
    pending_rows: Vec<(usize, RowRec)>,
}

impl<'a> Rewrite<'a> {
    pub(super) fn new(t: Table<'a>) -> Rewrite<'a> {
        let stats = SheetStats {
            labelsst_delta: 0,
            end: t.end,
        };
        Rewrite {
            t,
            stats,
            new_rows: Vec::new(),
            widened: None,
            row_xfs: None,
            pending_cells: Vec::new(),
            pending_rows: Vec::new(),
        }
    }

    /// Applies one row's edits (`row_edits`: column and edit, by column).
    pub(super) fn edit_row(
        &mut self,
        places: &Places,
        row: u16,
        row_edits: &[(u16, CellEdit)],
    ) -> Result<(), XlsError> {
        let runs: &[(usize, usize)] = places.cells_at.get(&row).map_or(&[], Vec::as_slice);
        let covered = self.edit_runs(runs, row_edits)?;
        // The first run is taken out; the row's new cells go back in with it below.
        let mut units: Vec<CellUnit> = runs
            .first()
            .and_then(|&(bi, ci)| self.t.blocks.get_mut(bi)?.cells.get_mut(ci))
            .and_then(|rc| rc.units.take())
            .unwrap_or_default();
        units.reserve(row_edits.len());
        let inserts: Vec<(u16, CellEdit)> = row_edits
            .iter()
            .filter(|(c, e)| !covered.contains(c) && *e != CellEdit::Clear)
            .copied()
            .collect();
        self.insert_cells(row, &mut units, &inserts);
        let new_block = self.put_back(places, row, runs, units);
        if !inserts.is_empty() {
            self.give_row_record(places, row, &inserts, new_block);
        }
        Ok(())
    }

    /// Edits every run of the row's cells in place; returns the columns the edits hit.
    fn edit_runs(
        &mut self,
        runs: &[(usize, usize)],
        row_edits: &[(u16, CellEdit)],
    ) -> Result<BTreeSet<u16>, XlsError> {
        let stream = self.t.stream;
        let mut covered: BTreeSet<u16> = BTreeSet::new();
        for &(bi, ci) in runs {
            let Some(rc) = self.t.blocks.get_mut(bi).and_then(|b| b.cells.get_mut(ci)) else {
                continue;
            };
            let existing = rc.units.take().unwrap_or_default();
            let edited = edit_cells(
                stream,
                &self.t.arrays,
                existing,
                row_edits,
                &mut covered,
                &mut self.stats,
            )?;
            rc.units = Some(edited);
        }
        Ok(covered)
    }

    /// Puts a new cell into `units` (the row's cells, by column) for each of `inserts`
    /// (column, text or number).
    fn insert_cells(&mut self, row: u16, units: &mut Vec<CellUnit>, inserts: &[(u16, CellEdit)]) {
        for &(col, edit) in inserts {
            // XF a new cell takes: the row's format, else the column's, else the default.
            // (New ROW records set no format, so the rows' formats are read once.)
            let t = &self.t;
            let xf = self
                .row_xfs
                .get_or_insert_with(|| t.row_formats())
                .get(&row)
                .copied()
                .unwrap_or_else(|| t.column_xf(col));
            let at = units.partition_point(|u| u.c1 < col);
            units.insert(
                at,
                CellUnit {
                    c1: col,
                    c2: col,
                    piece: Piece::New(edited_cell(row, col, xf, edit)),
                },
            );
            if matches!(edit, CellEdit::Text(_)) {
                self.stats.labelsst_delta += 1;
            }
            self.widen(row, col);
        }
    }

    /// Takes the cell (row, col) into the range DIMENSIONS must cover.
    fn widen(&mut self, r: u16, c: u16) {
        self.widened = Some(match self.widened {
            None => (r, r, c, c),
            Some((r0, r1, c0, c1)) => (r0.min(r), r1.max(r), c0.min(c), c1.max(c)),
        });
    }

    /// Puts the row's cells back; a row that had none gets its entry (put into its block at
    /// the end, see `pending_cells`), whose block is returned.
    fn put_back(
        &mut self,
        places: &Places,
        row: u16,
        runs: &[(usize, usize)],
        units: Vec<CellUnit>,
    ) -> Option<usize> {
        let t = &mut self.t;
        match runs.first() {
            Some(&(bi, ci)) => {
                if let Some(rc) = t.blocks.get_mut(bi).and_then(|b| b.cells.get_mut(ci)) {
                    rc.units = Some(units);
                }
                None
            }
            None if !units.is_empty() => {
                let bi = match places.row_at.get(&row) {
                    Some(&(bi, _)) => bi,
                    None => block_for_new_row(&mut t.blocks, row, t.has_index),
                };
                self.pending_cells.push((
                    bi,
                    RowCells {
                        row,
                        span: None,
                        units: Some(units),
                    },
                ));
                Some(bi)
            }
            None => None,
        }
    }

    /// A row that got new cells (`inserts`) has its ROW record widened to take them, or gets
    /// a new one if it had none (in `new_block`, where its new cells went, or in the block
    /// that holds its cells).
    fn give_row_record(
        &mut self,
        places: &Places,
        row: u16,
        inserts: &[(u16, CellEdit)],
        new_block: Option<usize>,
    ) {
        let t = &mut self.t;
        let stream = t.stream;
        let (lo, hi) = inserts
            .iter()
            .fold((u16::MAX, 0u16), |(lo, hi), &(c, _)| (lo.min(c), hi.max(c)));
        match places.row_at.get(&row) {
            Some(&(bi, ri)) => {
                if let Some(r) = t.blocks.get_mut(bi).and_then(|b| b.rows.get_mut(ri)) {
                    widen_row(r, stream, lo, hi);
                }
            }
            None => {
                if let Some(bi) = new_block.or_else(|| find_block_with_cells(&t.blocks, row)) {
                    let miy = default_row_height(stream, t.prefix.iter().chain(&t.suffix));
                    self.pending_rows.push((bi, new_row(row, lo, hi, miy)));
                    self.new_rows.push(row);
                }
            }
        }
    }

    /// Splits the blocks that grew too big and writes the edited sheet into `out`.
    pub(super) fn finish(mut self, out: &mut Vec<u8>) -> Result<SheetStats, XlsError> {
        for (bi, rc) in self.pending_cells.drain(..) {
            if let Some(b) = self.t.blocks.get_mut(bi) {
                let at = b.cells.partition_point(|c| c.row < rc.row);
                b.cells.insert(at, rc);
            }
        }
        for (bi, r) in self.pending_rows.drain(..) {
            if let Some(b) = self.t.blocks.get_mut(bi) {
                let at = b.rows.partition_point(|x| x.row < r.row);
                b.rows.insert(at, r);
            }
        }
        split_full_blocks(&mut self.t.blocks);
        emit(&self.t, out, self.widened, &self.new_rows)?;
        Ok(self.stats)
    }
}

/// Block that should take a row with no ROW record: the one whose rows surround it.
fn block_for_new_row(blocks: &mut Vec<Block>, row: u16, has_index: bool) -> usize {
    if blocks.is_empty() {
        blocks.push(Block {
            dbcell: has_index,
            ..Block::default()
        });
        return 0;
    }
    let last_row = |b: &Block| {
        let r = b.rows.last().map(|r| r.row);
        let c = b.cells.last().map(|c| c.row);
        r.max(c)
    };
    blocks
        .iter()
        .position(|b| last_row(b).is_some_and(|lr| lr >= row))
        .unwrap_or(blocks.len() - 1)
}

fn find_block_with_cells(blocks: &[Block], row: u16) -> Option<usize> {
    blocks
        .iter()
        .position(|b| b.cells.iter().any(|rc| rc.row == row))
}

/// Default row height from DEFAULTROWHEIGHT, else 255 twips/20 (12.75 pt).
fn default_row_height<'u>(stream: &[u8], units: impl Iterator<Item = &'u Unit>) -> u16 {
    units
        .map(|u| u.main)
        .find(|r| r.id == id::DEFAULTROWHEIGHT)
        .and_then(|r| u16_at(r.data(stream), 2))
        .filter(|&h| h > 0 && h < 8192)
        .unwrap_or(0x00FF)
}

fn new_row(row: u16, c_lo: u16, c_hi: u16, miy: u16) -> RowRec {
    let mut p = [0u8; 16];
    p[0..2].copy_from_slice(&row.to_le_bytes());
    p[2..4].copy_from_slice(&c_lo.to_le_bytes());
    p[4..6].copy_from_slice(&c_hi.saturating_add(1).to_le_bytes());
    p[6..8].copy_from_slice(&miy.to_le_bytes());
    // grbit: reserved bit 8 set, as Excel writes it; ixfe 15.
    p[12..14].copy_from_slice(&0x0100u16.to_le_bytes());
    p[14..16].copy_from_slice(&DEFAULT_XF.to_le_bytes());
    RowRec {
        row,
        orig: None,
        payload: Some(p),
    }
}

/// Widens a ROW record's colMic/colMac to take cells lo..=hi.
fn widen_row(r: &mut RowRec, stream: &[u8], lo: u16, hi: u16) {
    let mut p = match (&r.payload, r.orig) {
        (Some(p), _) => *p,
        (None, Some(u)) => {
            let d = u.main.data(stream);
            let mut p = [0u8; 16];
            match d.get(..16) {
                Some(src) => p.copy_from_slice(src),
                None => return,
            }
            p
        }
        (None, None) => return,
    };
    let mic = u16::from_le_bytes([p[2], p[3]]);
    let mac = u16::from_le_bytes([p[4], p[5]]);
    let (new_mic, new_mac) = if mac <= mic {
        (lo, hi.saturating_add(1))
    } else {
        (mic.min(lo), mac.max(hi.saturating_add(1)))
    };
    if (new_mic, new_mac) != (mic, mac) {
        p[2..4].copy_from_slice(&new_mic.to_le_bytes());
        p[4..6].copy_from_slice(&new_mac.to_le_bytes());
        r.payload = Some(p);
    }
}

/// A block with DBCELL may hold at most 32 ROW records; split any that grew past that.
pub(super) fn split_full_blocks(blocks: &mut Vec<Block>) {
    let mut i = 0;
    while i < blocks.len() {
        let needs = blocks
            .get(i)
            .is_some_and(|b| b.dbcell && b.rows.len() > BLOCK_ROWS);
        if needs {
            if let Some(b) = blocks.get_mut(i) {
                let rows_tail = b.rows.split_off(BLOCK_ROWS / 2);
                let boundary = rows_tail.first().map_or(u16::MAX, |r| r.row);
                let at = b.cells.partition_point(|rc| rc.row < boundary);
                let cells_tail = b.cells.split_off(at);
                let tail = Block {
                    rows: rows_tail,
                    cells: cells_tail,
                    dbcell: true,
                };
                blocks.insert(i + 1, tail);
            }
        } else {
            i += 1;
        }
    }
}
