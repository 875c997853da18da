//! The parsed cell table: row blocks of ROW records and cell runs, and the units around them.

use std::collections::{BTreeSet, HashMap};

use super::units::{Unit, cell_columns, is_cell, is_table, walk_units};
use super::{BLOCK_ROWS, DEFAULT_XF};
use crate::error::XlsError;
use crate::records::{Rec, id, is_formula, u16_at};

/// Bytes of a unit in the output: the original records, or new bytes.
#[derive(Debug, Clone)]
pub(super) enum Piece {
    Orig(Unit),
    New(Vec<u8>),
    /// A range of the original stream copied as it was: the records that rode on a replaced
    /// cell, or a cell record an edit leaves as it is.
    Span(usize, usize),
}

#[derive(Debug, Clone)]
pub(super) struct CellUnit {
    pub(super) c1: u16,
    pub(super) c2: u16,
    pub(super) piece: Piece,
}

/// The cells of one row, as a run of records in the stream.
#[derive(Debug, Clone)]
pub(super) struct RowCells {
    pub(super) row: u16,
    /// The stream range (start, end) the row's cells occupy, with whatever rides on them;
    /// `None` for a row that had no cells.
    pub(super) span: Option<(usize, usize)>,
    /// The cells one by one: only for rows being edited; the others are copied as bytes.
    pub(super) units: Option<Vec<CellUnit>>,
}

impl RowCells {
    /// A row whose first cell (or riding record) is `u`.
    fn start(row: u16, u: Unit, cell: CellUnit, edited: &BTreeSet<u16>) -> RowCells {
        RowCells {
            row,
            span: Some((u.main.start(), u.end as usize)),
            units: edited.contains(&row).then(|| {
                let mut units = Vec::with_capacity(32);
                units.push(cell);
                units
            }),
        }
    }

    /// Another cell of the row.
    fn take(&mut self, u: Unit, cell: CellUnit) {
        self.extend_span(u);
        if let Some(units) = &mut self.units {
            units.push(cell);
        }
    }

    /// A record that rides on the row's last cell.
    fn ride(&mut self, u: Unit) {
        self.extend_span(u);
        if let Some(Piece::Orig(o)) = self
            .units
            .as_mut()
            .and_then(|units| units.last_mut())
            .map(|c| &mut c.piece)
        {
            o.end = u.end;
        }
    }

    fn extend_span(&mut self, u: Unit) {
        self.span = Some(match self.span {
            Some((start, _)) => (start, u.end as usize),
            None => (u.main.start(), u.end as usize),
        });
    }
}

#[derive(Debug, Clone)]
pub(super) struct RowRec {
    pub(super) row: u16,
    /// Original ROW unit; `payload` replaces its first record when set.
    pub(super) orig: Option<Unit>,
    pub(super) payload: Option<[u8; 16]>,
}

#[derive(Debug, Clone, Default)]
pub(super) struct Block {
    pub(super) rows: Vec<RowRec>,
    pub(super) cells: Vec<RowCells>,
    pub(super) dbcell: bool,
}

impl Block {
    /// An empty block with room for the rows a block usually has.
    fn with_room() -> Block {
        Block {
            rows: Vec::with_capacity(BLOCK_ROWS),
            cells: Vec::with_capacity(BLOCK_ROWS),
            dbcell: false,
        }
    }
}

/// The row blocks of a cell table as its units come.
struct Blocks<'e> {
    /// Rows whose cells are taken apart (see [`RowCells::units`]).
    edited: &'e BTreeSet<u16>,
    cur: Block,
    last_row: u16,
}

impl Blocks<'_> {
    /// Takes the next unit of the table (a ROW, a cell, a DBCELL, or something riding on
    /// them).
    fn take(&mut self, done: &mut Vec<Block>, stream: &[u8], u: Unit) {
        let rec = u.main;
        let data = rec.data(stream);
        let cur = &mut self.cur;
        match rec.id {
            id::ROW => {
                if !cur.cells.is_empty() {
                    done.push(std::mem::replace(cur, Block::with_room()));
                }
                cur.rows.push(RowRec {
                    row: u16_at(data, 0).unwrap_or(0),
                    orig: Some(u),
                    payload: None,
                });
            }
            id::DBCELL => {
                cur.dbcell = true;
                done.push(std::mem::replace(cur, Block::with_room()));
            }
            rid if is_cell(rid) => {
                let row = u16_at(data, 0).unwrap_or(0);
                let (c1, c2) = cell_columns(rid, data);
                let cell = CellUnit {
                    c1,
                    c2,
                    piece: Piece::Orig(u),
                };
                match cur.cells.last_mut() {
                    Some(rc) if rc.row == row => rc.take(u, cell),
                    _ => cur.cells.push(RowCells::start(row, u, cell, self.edited)),
                }
            }
            // Anything else inside the table stays where it was, riding on the record before
            // it (a cell, else a ROW record, else on its own under the last row).
            _ => {
                if let Some(rc) = cur.cells.last_mut() {
                    rc.ride(u);
                } else if let Some(Some(o)) = cur.rows.last_mut().map(|r| r.orig.as_mut()) {
                    o.end = u.end;
                } else {
                    let alone = CellUnit {
                        c1: u16::MAX,
                        c2: u16::MAX,
                        piece: Piece::Orig(u),
                    };
                    cur.cells
                        .push(RowCells::start(self.last_row, u, alone, self.edited));
                }
            }
        }
        if rec.id == id::ROW || is_cell(rec.id) {
            self.last_row = u16_at(data, 0).unwrap_or(self.last_row);
        }
    }
}

/// The parsed worksheet ready for editing.
pub(super) struct Table<'a> {
    pub(super) stream: &'a [u8],
    /// Stream position just after the substream's EOF.
    pub(super) end: usize,
    /// The units before the cell table (or before where it would go) and after it.
    pub(super) prefix: Vec<Unit>,
    pub(super) suffix: Vec<Unit>,
    pub(super) blocks: Vec<Block>,
    pub(super) has_index: bool,
    /// The cells array formulas and data tables cover (from their ARRAY and TABLE records).
    pub(super) arrays: Vec<CellRange>,
}

/// A block of cells: first and last row, first and last column.
#[derive(Debug, Clone, Copy)]
pub(super) struct CellRange {
    rows: (u16, u16),
    cols: (u16, u16),
}

impl CellRange {
    /// The range an ARRAY or TABLE record starts with (RefU: rows u16, columns u8).
    fn of(stream: &[u8], r: Rec) -> Option<CellRange> {
        let d = r.data(stream);
        Some(CellRange {
            rows: (u16_at(d, 0)?, u16_at(d, 2)?),
            cols: (u16::from(*d.get(4)?), u16::from(*d.get(5)?)),
        })
    }

    pub(super) fn contains(self, row: u16, col: u16) -> bool {
        (self.rows.0..=self.rows.1).contains(&row) && (self.cols.0..=self.cols.1).contains(&col)
    }
}

impl<'a> Table<'a> {
    /// Cuts the substream into the prefix, the row blocks and the suffix. Only the rows in
    /// `edited` are taken apart into cells; every other row stays one run of bytes.
    pub(super) fn parse(
        stream: &'a [u8],
        start: usize,
        edited: &BTreeSet<u16>,
    ) -> Result<Table<'a>, XlsError> {
        let mut t = Table {
            stream,
            end: start,
            prefix: Vec::new(),
            suffix: Vec::new(),
            blocks: Vec::new(),
            has_index: false,
            arrays: Vec::new(),
        };
        let mut blocks = Blocks {
            edited,
            cur: Block::default(),
            last_row: 0,
        };
        // One pass. Units before the first table unit are the prefix; units after a table unit
        // wait in `after` until the next table unit (then they were inside the table) or the
        // end (then they are the suffix).
        let mut started = false;
        let mut after: Vec<Unit> = Vec::new();
        let (mut dimensions_end, mut stop) = (None, None);
        walk_units(stream, start, |u| {
            t.end = u.end as usize;
            let rec = u.main;
            if is_formula(rec.id) && u.end as usize > rec.end() {
                t.arrays.extend(
                    u.attached(stream)
                        .filter(|r| matches!(r.id, id::ARRAY | id::TABLE))
                        .filter_map(|r| CellRange::of(stream, r)),
                );
            }
            if u.depth == 1 {
                match rec.id {
                    id::INDEX => t.has_index = true,
                    id::DIMENSIONS if !started => {
                        dimensions_end = dimensions_end.or(Some(t.prefix.len() + 1));
                    }
                    _ => {}
                }
            }
            if !started && stop.is_none() && (u.depth > 1 || follows_cell_table(rec.id)) {
                stop = Some(t.prefix.len());
            }
            if u.depth == 1 && is_table(rec.id) {
                started = true;
                for inside in after.drain(..) {
                    blocks.take(&mut t.blocks, stream, inside);
                }
                blocks.take(&mut t.blocks, stream, u);
            } else if started {
                after.push(u);
            } else {
                t.prefix.push(u);
            }
        })?;
        if started {
            t.suffix = after;
        } else {
            // No cell table: new cells go where the worksheet grammar puts the table, before
            // the first record that follows it (WINDOW2, drawings, notes, EOF) and after
            // DIMENSIONS; page settings some writers put after DIMENSIONS stay before it.
            let at = match (stop, dimensions_end) {
                (Some(s), Some(d)) => s.max(d),
                (s, d) => s.or(d).unwrap_or(usize::MAX),
            };
            t.suffix = t.prefix.split_off(at.min(t.prefix.len()));
        }
        if !blocks.cur.rows.is_empty() || !blocks.cur.cells.is_empty() {
            t.blocks.push(blocks.cur);
        }
        Ok(t)
    }

    /// The format each row gives its new cells: the XF of its first ROW record that sets one
    /// (fGhostDirty).
    pub(super) fn row_formats(&self) -> HashMap<u16, u16> {
        let mut out = HashMap::new();
        for r in self.blocks.iter().flat_map(|b| &b.rows) {
            let data: &[u8] = match (&r.payload, r.orig) {
                (Some(p), _) => p,
                (None, Some(u)) => u.main.data(self.stream),
                _ => continue,
            };
            let flags = u16_at(data, 12).unwrap_or(0);
            if flags & 0x0080 != 0 {
                let xf = u16_at(data, 14).unwrap_or(DEFAULT_XF) & 0x0FFF;
                out.entry(r.row).or_insert(xf);
            }
        }
        out
    }

    /// The format a column gives its new cells (COLINFO), else the default.
    pub(super) fn column_xf(&self, col: u16) -> u16 {
        for u in &self.prefix {
            let rec = u.main;
            if u.depth != 1 || rec.id != id::COLINFO {
                continue;
            }
            let d = rec.data(self.stream);
            let (Some(first), Some(last), Some(xf)) = (u16_at(d, 0), u16_at(d, 2), u16_at(d, 6))
            else {
                continue;
            };
            if first <= col && col <= last {
                return xf;
            }
        }
        DEFAULT_XF
    }
}

/// Records that come after the cell table in a worksheet (MS-XLS 2.1.7.20.5, the
/// `WORKSHEETCONTENT` grammar): the drawings and objects, notes, pivot views, consolidation,
/// the window, selection and merged-cell records, conditional formats, hyperlinks, data
/// validation, sheet extensions, and EOF.
fn follows_cell_table(rec_id: u16) -> bool {
    matches!(
        rec_id,
        0x00EC // MSODRAWING
            | 0x005D // OBJ
            | 0x01B6 // TXO
            | 0x001C // NOTE
            | 0x0866 // HFPICTURE
            | 0x00B0 // SXVIEW
            | 0x0050 // DCON
            | 0x0051 // DCONREF
            | 0x0052 // DCONNAME
            | 0x01B5 // DCONBIN
            | id::WINDOW2
            | 0x01AA // USERSVIEWBEGIN
            | 0x00A0 // SCL
            | id::PANE
            | 0x001D // SELECTION
            | id::MERGEDCELLS
            | 0x015F // LABELRANGES
            | 0x00EF // PHONETICINFO
            | 0x01B0 // CONDFMT
            | 0x0879 // CONDFMT12
            | id::HLINK
            | 0x01B2 // DVAL
            | 0x0862 // SHEETEXT
            | id::EOF
    )
}
