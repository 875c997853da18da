//! Rewriting one worksheet's cell table with edits applied.
//!
//! The substream is cut into *units* (a record plus the records that belong to it: CONTINUE, and
//! STRING/SHRFMLA/ARRAY/TABLE after a FORMULA). The cell table (ROW, cells, DBCELL) is grouped
//! into the row blocks the original writer made; edits replace or split cell units and insert new
//! ones; then the blocks are written back with fresh DBCELL offsets, and INDEX and DIMENSIONS are
//! updated. Units outside the cell table are copied byte for byte.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::error::{BuildProblem, XlsError, a1};
use super::records::{
    MAX_RECORD_DATA, Rec, id, is_formula, push_record, put_u32, record_at, u16_at, u32_at,
    walk_substream,
};

/// What to do with one cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellEdit {
    /// Write a LABELSST cell pointing at this SST index.
    Text(u32),
    /// Empty the cell, keeping its format (a BLANK record), or nothing if it has no record.
    Clear,
}

/// Edits of one sheet, keyed by (row, col), 0-based.
pub type SheetEdits = BTreeMap<(u16, u16), CellEdit>;

/// Most ROW records in one row block.
const BLOCK_ROWS: usize = 32;

/// XF index of the default cell format (the 16th XF).
const DEFAULT_XF: u16 = 15;

fn is_cell(rec_id: u16) -> bool {
    matches!(
        rec_id,
        id::BLANK
            | id::NUMBER
            | id::RK
            | id::MULRK
            | id::MULBLANK
            | id::LABELSST
            | id::LABEL
            | id::RSTRING
            | id::BOOLERR
            | id::FORMULA
            | id::FORMULA_BIFF4
    )
}

fn is_table(rec_id: u16) -> bool {
    rec_id == id::ROW || rec_id == id::DBCELL || is_cell(rec_id)
}

/// A record and the records attached to it (CONTINUE; STRING, SHRFMLA, ARRAY, TABLE after a
/// FORMULA): `main`, then whatever lies up to `end` in the stream.
#[derive(Debug, Clone, Copy)]
struct Unit {
    main: Rec,
    /// Stream position just after the unit's last record.
    end: u32,
    /// Nesting depth of BOF/EOF (1 = the sheet itself, 2+ = embedded chart).
    depth: u32,
}

impl Unit {
    /// The records attached to the main one.
    fn attached(self, stream: &[u8]) -> impl Iterator<Item = Rec> + '_ {
        let mut pos = self.main.end();
        std::iter::from_fn(move || {
            if pos >= self.end as usize {
                return None;
            }
            let r = record_at(stream, pos).ok().flatten()?;
            pos = r.end();
            Some(r)
        })
    }
}

/// Calls `each` for every unit of the substream whose BOF is at `start`, in order, up to its
/// matching EOF. The substream was walked whole when the book was read; a record that does
/// not read now is an error.
fn walk_units(stream: &[u8], start: usize, mut each: impl FnMut(Unit)) -> Result<(), XlsError> {
    let mut pending: Option<Unit> = None;
    let mut depth = 0u32;
    walk_substream(stream, start, |r| {
        let attached = match (&pending, r.id) {
            (Some(_), id::CONTINUE) => true,
            (Some(u), id::STRING | id::SHRFMLA | id::ARRAY | id::TABLE) => is_formula(u.main.id),
            _ => false,
        };
        if r.id == id::BOF {
            depth += 1;
        }
        match (&mut pending, attached) {
            (Some(u), true) => u.end = r.end() as u32,
            _ => {
                if let Some(u) = pending.take() {
                    each(u);
                }
                pending = Some(Unit {
                    main: r,
                    end: r.end() as u32,
                    depth,
                });
            }
        }
        if r.id == id::EOF {
            depth = depth.saturating_sub(1);
        }
    })?;
    if let Some(u) = pending {
        each(u);
    }
    Ok(())
}

/// Bytes of a unit in the output: the original records, or new bytes.
#[derive(Debug, Clone)]
enum Piece {
    Orig(Unit),
    New(Vec<u8>),
    /// A range of the original stream copied as it was: the records that rode on a replaced
    /// cell, or a cell record an edit leaves as it is.
    Span(usize, usize),
}

#[derive(Debug, Clone)]
struct CellUnit {
    c1: u16,
    c2: u16,
    piece: Piece,
}

/// The cells of one row, as a run of records in the stream.
#[derive(Debug, Clone)]
struct RowCells {
    row: u16,
    /// The stream range (start, end) the row's cells occupy, with whatever rides on them;
    /// `None` for a row that had no cells.
    span: Option<(usize, usize)>,
    /// The cells one by one: only for rows being edited; the others are copied as bytes.
    units: Option<Vec<CellUnit>>,
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
struct RowRec {
    row: u16,
    /// Original ROW unit; `payload` replaces its first record when set.
    orig: Option<Unit>,
    payload: Option<[u8; 16]>,
}

#[derive(Debug, Clone, Default)]
struct Block {
    rows: Vec<RowRec>,
    cells: Vec<RowCells>,
    dbcell: bool,
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
struct Table<'a> {
    stream: &'a [u8],
    /// Stream position just after the substream's EOF.
    end: usize,
    /// The units before the cell table (or before where it would go) and after it.
    prefix: Vec<Unit>,
    suffix: Vec<Unit>,
    blocks: Vec<Block>,
    has_index: bool,
    /// The cells array formulas and data tables cover (from their ARRAY and TABLE records).
    arrays: Vec<CellRange>,
}

/// A block of cells: first and last row, first and last column.
#[derive(Debug, Clone, Copy)]
struct CellRange {
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

    fn contains(self, row: u16, col: u16) -> bool {
        (self.rows.0..=self.rows.1).contains(&row) && (self.cols.0..=self.cols.1).contains(&col)
    }
}

fn unit_bytes(stream: &[u8], u: Unit) -> &[u8] {
    span_bytes(stream, (u.main.start(), u.end as usize))
}

/// The bytes of the stream range (start, end).
fn span_bytes(stream: &[u8], (start, end): (usize, usize)) -> &[u8] {
    stream.get(start..end).unwrap_or(&[])
}

impl<'a> Table<'a> {
    /// Cuts the substream into the prefix, the row blocks and the suffix. Only the rows in
    /// `edited` are taken apart into cells; every other row stays one run of bytes.
    fn parse(
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
    fn row_formats(&self) -> HashMap<u16, u16> {
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
    fn column_xf(&self, col: u16) -> u16 {
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

/// First and last column a cell record covers.
fn cell_columns(rec_id: u16, data: &[u8]) -> (u16, u16) {
    let c1 = u16_at(data, 2).unwrap_or(0);
    match rec_id {
        id::MULRK | id::MULBLANK => {
            let c2 = data
                .len()
                .checked_sub(2)
                .and_then(|at| u16_at(data, at))
                .unwrap_or(c1);
            (c1, c2.max(c1))
        }
        _ => (c1, c1),
    }
}

fn record_bytes(rec_id: u16, payload: &[u8]) -> Vec<u8> {
    let mut v = Vec::with_capacity(4 + payload.len());
    push_record(&mut v, rec_id, payload);
    v
}

fn labelsst(row: u16, col: u16, xf: u16, isst: u32) -> Vec<u8> {
    let mut p = Vec::with_capacity(10);
    p.extend_from_slice(&row.to_le_bytes());
    p.extend_from_slice(&col.to_le_bytes());
    p.extend_from_slice(&xf.to_le_bytes());
    p.extend_from_slice(&isst.to_le_bytes());
    record_bytes(id::LABELSST, &p)
}

fn blank(row: u16, col: u16, xf: u16) -> Vec<u8> {
    let mut p = Vec::with_capacity(6);
    p.extend_from_slice(&row.to_le_bytes());
    p.extend_from_slice(&col.to_le_bytes());
    p.extend_from_slice(&xf.to_le_bytes());
    record_bytes(id::BLANK, &p)
}

/// The record a single edited cell becomes.
fn edited_cell(row: u16, col: u16, xf: u16, edit: CellEdit) -> Vec<u8> {
    match edit {
        CellEdit::Text(isst) => labelsst(row, col, xf, isst),
        CellEdit::Clear => blank(row, col, xf),
    }
}

/// What a rewrite did: how the number of LABELSST cells changed (SST `cstTotal` follows it)
/// and where the original substream ended.
#[derive(Debug, Default, Clone, Copy)]
pub struct SheetStats {
    pub labelsst_delta: i64,
    pub end: usize,
}

/// Where the records that belong to a cell end and those that merely ride on it begin: a
/// formula owns its SHRFMLA/ARRAY/TABLE and STRING records (and their CONTINUE); any other
/// record after a cell (a hyperlink, merged cells, a record sverka does not know) is carried
/// over after the cell's replacement. A CONTINUE right after a cell that is not a formula
/// would continue the replacement instead: that edit is refused, naming the record.
fn riders_start(stream: &[u8], unit: Unit) -> Result<usize, XlsError> {
    let rec = unit.main;
    let mut owned_end = rec.end();
    for r in unit.attached(stream) {
        let owned = match r.id {
            id::STRING | id::SHRFMLA | id::ARRAY | id::TABLE => is_formula(rec.id),
            id::CONTINUE if owned_end == rec.end() && !is_formula(rec.id) => {
                let d = rec.data(stream);
                let (row, col) = (u16_at(d, 0).unwrap_or(0), u16_at(d, 2).unwrap_or(0));
                return Err(XlsError::Corrupt {
                    detail: format!(
                        "за ячейкой {} следует запись CONTINUE (0x003C) — продолжение записи ячейки, которого не бывает в Excel 97-2003; при замене ячейки оно продолжило бы новую запись, поэтому правка отменена, файл не изменён",
                        a1(u32::from(row), u32::from(col))
                    ),
                });
            }
            id::CONTINUE => is_formula(rec.id) && owned_end > rec.end(),
            _ => false,
        };
        if !owned {
            break;
        }
        owned_end = r.end();
    }
    Ok(owned_end)
}

/// Applies `edits` to one cell unit; returns the pieces that replace it, followed by the
/// records that rode on it.
fn split_cell(
    stream: &[u8],
    arrays: &[CellRange],
    cell: &CellUnit,
    edits: &[(u16, CellEdit)],
    stats: &mut SheetStats,
) -> Result<Vec<CellUnit>, XlsError> {
    let Piece::Orig(unit) = cell.piece else {
        return Ok(vec![cell.clone()]);
    };
    let riders = riders_start(stream, unit)?;
    let mut pieces = replace_cell(stream, arrays, cell, unit, edits, stats)?;
    if riders < unit.end as usize {
        pieces.push(CellUnit {
            c1: cell.c2,
            c2: cell.c2,
            piece: Piece::Span(riders, unit.end as usize),
        });
    }
    Ok(pieces)
}

/// The pieces that replace one cell record (and the records it owns) under `edits`.
fn replace_cell(
    stream: &[u8],
    arrays: &[CellRange],
    cell: &CellUnit,
    unit: Unit,
    edits: &[(u16, CellEdit)],
    stats: &mut SheetStats,
) -> Result<Vec<CellUnit>, XlsError> {
    let rec = unit.main;
    if usize::from(rec.len) > MAX_RECORD_DATA {
        return Err(XlsError::Corrupt {
            detail: format!(
                "запись ячеек по смещению {} длиннее, чем допускает Excel 97-2003; правка отменена, файл не изменён",
                rec.off
            ),
        });
    }
    let data = rec.data(stream);
    let row = u16_at(data, 0).unwrap_or(0);
    let new_text = edits
        .iter()
        .filter(|(_, e)| matches!(e, CellEdit::Text(_)))
        .count() as i64;
    match rec.id {
        id::MULRK | id::MULBLANK => {
            let width = if rec.id == id::MULRK { 6 } else { 2 };
            let mut out = Vec::new();
            let mut run: Vec<(u16, &[u8])> = Vec::new();
            let flush = |run: &mut Vec<(u16, &[u8])>, out: &mut Vec<CellUnit>| {
                if let Some(&(first, _)) = run.first() {
                    let last = run.last().map_or(first, |r| r.0);
                    let bytes = if run.len() == 1 {
                        let (single_id, mut p) = if rec.id == id::MULRK {
                            (id::RK, Vec::with_capacity(10))
                        } else {
                            (id::BLANK, Vec::with_capacity(6))
                        };
                        p.extend_from_slice(&row.to_le_bytes());
                        p.extend_from_slice(&first.to_le_bytes());
                        p.extend_from_slice(run.first().map_or(&[][..], |r| r.1));
                        record_bytes(single_id, &p)
                    } else {
                        let mut p = Vec::with_capacity(6 + width * run.len());
                        p.extend_from_slice(&row.to_le_bytes());
                        p.extend_from_slice(&first.to_le_bytes());
                        for (_, entry) in run.iter() {
                            p.extend_from_slice(entry);
                        }
                        p.extend_from_slice(&last.to_le_bytes());
                        record_bytes(rec.id, &p)
                    };
                    out.push(CellUnit {
                        c1: first,
                        c2: last,
                        piece: Piece::New(bytes),
                    });
                    run.clear();
                }
            };
            for col in cell.c1..=cell.c2 {
                let k = usize::from(col - cell.c1);
                let entry = data.get(4 + k * width..4 + (k + 1) * width).unwrap_or(&[]);
                if entry.len() != width {
                    break;
                }
                match edits.iter().find(|(c, _)| *c == col) {
                    Some(&(_, CellEdit::Clear)) if rec.id == id::MULBLANK => run.push((col, entry)),
                    Some(&(_, edit)) => {
                        flush(&mut run, &mut out);
                        let xf = u16_at(entry, 0).unwrap_or(DEFAULT_XF);
                        out.push(CellUnit {
                            c1: col,
                            c2: col,
                            piece: Piece::New(edited_cell(row, col, xf, edit)),
                        });
                    }
                    None => run.push((col, entry)),
                }
            }
            flush(&mut run, &mut out);
            stats.labelsst_delta += new_text;
            Ok(out)
        }
        rid => {
            let Some(&(col, edit)) = edits.first() else {
                return Ok(vec![cell.clone()]);
            };
            if is_formula(rid) {
                // The anchor of a shared formula, an array formula or a data table, or a cell
                // an array formula or a data table covers (Excel changes those only whole).
                let linked = unit
                    .attached(stream)
                    .any(|r| matches!(r.id, id::SHRFMLA | id::ARRAY | id::TABLE))
                    || arrays.iter().any(|a| a.contains(row, col));
                if linked {
                    return Err(XlsError::SharedFormula {
                        cell: a1(u32::from(row), u32::from(col)),
                    });
                }
            }
            if rid == id::BLANK && edit == CellEdit::Clear {
                return Ok(vec![CellUnit {
                    c1: col,
                    c2: col,
                    piece: Piece::Span(rec.start(), rec.end()),
                }]);
            }
            if rid == id::LABELSST {
                stats.labelsst_delta -= 1;
            }
            stats.labelsst_delta += new_text;
            let xf = u16_at(data, 4).unwrap_or(DEFAULT_XF);
            Ok(vec![CellUnit {
                c1: col,
                c2: col,
                piece: Piece::New(edited_cell(row, col, xf, edit)),
            }])
        }
    }
}

/// Rewrites the worksheet whose BOF is at `start` in `stream` into `out` with `edits` applied.
pub fn rewrite(
    stream: &[u8],
    start: usize,
    edits: &SheetEdits,
    out: &mut Vec<u8>,
) -> Result<SheetStats, XlsError> {
    let edited_rows: BTreeSet<u16> = edits.keys().map(|&(r, _)| r).collect();
    let mut t = Table::parse(stream, start, &edited_rows)?;
    let mut stats = SheetStats {
        labelsst_delta: 0,
        end: t.end,
    };
    let mut new_rows: Vec<u16> = Vec::new();
    let mut widened: Option<(u16, u16, u16, u16)> = None;
    let mut widen = |r: u16, c: u16| {
        widened = Some(match widened {
            None => (r, r, c, c),
            Some((r0, r1, c0, c1)) => (r0.min(r), r1.max(r), c0.min(c), c1.max(c)),
        });
    };

    // Where each edited row's cells and ROW record are. Some writers put a row's cells in
    // more than one run (blanks first, values later; the later record of a cell wins): an
    // edit replaces the cell in every run, new cells go into the first.
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

    let mut row_xfs: Option<HashMap<u16, u16>> = None;
    for &row in edited_rows.iter().rev() {
        let row_edits: Vec<(u16, CellEdit)> = edits
            .range((row, 0)..=(row, u16::MAX))
            .map(|(&(_, c), &e)| (c, e))
            .collect();
        let runs: &[(usize, usize)] = cells_at.get(&row).map_or(&[], Vec::as_slice);
        let mut covered: BTreeSet<u16> = BTreeSet::new();
        // Every run of the row is edited in place.
        for &(bi, ci) in runs {
            let Some(rc) = t.blocks.get_mut(bi).and_then(|b| b.cells.get_mut(ci)) else {
                continue;
            };
            let existing = rc.units.take().unwrap_or_default();
            let edited = edit_cells(
                stream,
                &t.arrays,
                existing,
                &row_edits,
                &mut covered,
                &mut stats,
            )?;
            rc.units = Some(edited);
        }
        // The first run is taken out; the row's new cells go back in with it below.
        let mut units: Vec<CellUnit> = runs
            .first()
            .and_then(|&(bi, ci)| t.blocks.get_mut(bi)?.cells.get_mut(ci))
            .and_then(|rc| rc.units.take())
            .unwrap_or_default();
        units.reserve(row_edits.len());
        let inserts: Vec<(u16, u32)> = row_edits
            .iter()
            .filter(|(c, _)| !covered.contains(c))
            .filter_map(|&(c, e)| match e {
                CellEdit::Text(isst) => Some((c, isst)),
                CellEdit::Clear => None,
            })
            .collect();
        for &(col, isst) in &inserts {
            // XF a new cell takes: the row's format, else the column's, else the default.
            // (New ROW records set no format, so the rows' formats are read once.)
            let xf = row_xfs
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
                    piece: Piece::New(labelsst(row, col, xf, isst)),
                },
            );
            stats.labelsst_delta += 1;
            widen(row, col);
        }
        // Put the row's cells back, creating the row entry (and its ROW record) if needed.
        match runs.first() {
            Some(&(bi, ci)) => {
                if let Some(rc) = t.blocks.get_mut(bi).and_then(|b| b.cells.get_mut(ci)) {
                    rc.units = Some(units);
                }
            }
            None if !units.is_empty() => {
                let bi = match row_at.get(&row) {
                    Some(&(bi, _)) => bi,
                    None => block_for_new_row(&mut t.blocks, row, t.has_index),
                };
                if let Some(b) = t.blocks.get_mut(bi) {
                    let at = b.cells.partition_point(|rc| rc.row < row);
                    b.cells.insert(
                        at,
                        RowCells {
                            row,
                            span: None,
                            units: Some(units),
                        },
                    );
                }
            }
            None => {}
        }
        if !inserts.is_empty() {
            let (lo, hi) = inserts
                .iter()
                .fold((u16::MAX, 0u16), |(lo, hi), &(c, _)| (lo.min(c), hi.max(c)));
            match row_at.get(&row) {
                Some(&(bi, ri)) => {
                    if let Some(r) = t.blocks.get_mut(bi).and_then(|b| b.rows.get_mut(ri)) {
                        widen_row(r, stream, lo, hi);
                    }
                }
                None => {
                    if let Some(bi) = find_block_with_cells(&t.blocks, row) {
                        let miy = default_row_height(stream, t.prefix.iter().chain(&t.suffix));
                        if let Some(b) = t.blocks.get_mut(bi) {
                            let at = b.rows.partition_point(|r| r.row < row);
                            b.rows.insert(at, new_row(row, lo, hi, miy));
                        }
                        new_rows.push(row);
                    }
                }
            }
        }
    }
    split_full_blocks(&mut t.blocks);
    emit(&t, out, widened, &new_rows)?;
    Ok(stats)
}

/// Applies a row's edits to one run of its cells: the cells an edit hits are split or
/// replaced (their columns added to `covered`), the others kept.
fn edit_cells(
    stream: &[u8],
    arrays: &[CellRange],
    existing: Vec<CellUnit>,
    row_edits: &[(u16, CellEdit)],
    covered: &mut BTreeSet<u16>,
    stats: &mut SheetStats,
) -> Result<Vec<CellUnit>, XlsError> {
    let mut units: Vec<CellUnit> = Vec::with_capacity(existing.len() + 1);
    for cell in existing {
        let hit = |(c, _): &(u16, CellEdit)| cell.c1 <= *c && *c <= cell.c2;
        if matches!(cell.piece, Piece::Span(..)) || !row_edits.iter().any(hit) {
            units.push(cell);
            continue;
        }
        let hits: Vec<(u16, CellEdit)> = row_edits.iter().copied().filter(hit).collect();
        covered.extend(hits.iter().map(|(c, _)| *c));
        units.extend(split_cell(stream, arrays, &cell, &hits, stats)?);
    }
    Ok(units)
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
fn split_full_blocks(blocks: &mut Vec<Block>) {
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

/// Writes the edited sheet: prefix (INDEX, DIMENSIONS updated), the blocks, the suffix.
fn emit(
    t: &Table,
    out: &mut Vec<u8>,
    widened: Option<(u16, u16, u16, u16)>,
    new_rows: &[u16],
) -> Result<(), XlsError> {
    let stream = t.stream;
    let mut index_at: Option<usize> = None;
    let mut defcolwidth_at: Option<usize> = None;
    let n_dbcells = t.blocks.iter().filter(|b| b.dbcell).count();
    for u in &t.prefix {
        let rec = u.main;
        if u.depth == 1 && rec.id == id::INDEX {
            index_at = Some(out.len());
            let old = rec.data(stream);
            // A sheet of 65,536 rows has 2,048 blocks, whose positions fit one record; a file
            // cut into many more blocks cannot be rewritten as Excel 97-2003.
            if 16 + 4 * n_dbcells > MAX_RECORD_DATA {
                return Err(XlsError::BuildFailed(BuildProblem::TooManyRowBlocks(
                    n_dbcells,
                )));
            }
            let mut p = vec![0u8; 16 + 4 * n_dbcells];
            for (slot, b) in p.iter_mut().zip(old.iter().take(16)) {
                *slot = *b;
            }
            let (mut mic, mut mac) = (u32_at(old, 4).unwrap_or(0), u32_at(old, 8).unwrap_or(0));
            for &r in new_rows {
                let r = u32::from(r);
                if mac <= mic {
                    (mic, mac) = (r, r + 1);
                } else {
                    (mic, mac) = (mic.min(r), mac.max(r + 1));
                }
            }
            put_u32(&mut p, 4, mic);
            put_u32(&mut p, 8, mac);
            push_record(out, id::INDEX, &p);
            continue;
        }
        if u.depth == 1 && rec.id == id::DEFCOLWIDTH {
            defcolwidth_at = Some(out.len());
        }
        if u.depth == 1
            && rec.id == id::DIMENSIONS
            && let Some(w) = widened
        {
            // Widened where it lies: the record keeps its length, whatever it was.
            let at = out.len() + 4;
            out.extend_from_slice(unit_bytes(stream, *u));
            if let Some(p) = out.get_mut(at..at + usize::from(rec.len)) {
                widen_dimensions(p, w);
            }
            continue;
        }
        out.extend_from_slice(unit_bytes(stream, *u));
    }

    let mut dbcell_pos = Vec::with_capacity(n_dbcells);
    for b in &t.blocks {
        let mut row_pos: Vec<(usize, usize)> = Vec::with_capacity(b.rows.len());
        for r in &b.rows {
            let start = out.len();
            match (&r.payload, r.orig) {
                (Some(p), orig) => {
                    push_record(out, id::ROW, p);
                    if let Some(u) = orig {
                        out.extend_from_slice(span_bytes(stream, (u.main.end(), u.end as usize)));
                    }
                }
                (None, Some(u)) => out.extend_from_slice(unit_bytes(stream, u)),
                (None, None) => {}
            }
            row_pos.push((start, out.len()));
        }
        let mut cell_starts: Vec<(u16, usize)> = Vec::with_capacity(b.cells.len());
        for rc in &b.cells {
            cell_starts.push((rc.row, out.len()));
            match (&rc.units, rc.span) {
                (Some(units), _) => {
                    for c in units {
                        match &c.piece {
                            Piece::Orig(u) => out.extend_from_slice(unit_bytes(stream, *u)),
                            Piece::New(bytes) => out.extend_from_slice(bytes),
                            Piece::Span(a, b) => {
                                out.extend_from_slice(span_bytes(stream, (*a, *b)))
                            }
                        }
                    }
                }
                (None, Some(span)) => out.extend_from_slice(span_bytes(stream, span)),
                (None, None) => {}
            }
        }
        let cells_end = out.len();
        if b.dbcell {
            let here = out.len();
            dbcell_pos.push(here);
            let first_row = row_pos.first().map_or(here, |p| p.0);
            let mut p = Vec::with_capacity(4 + 2 * b.rows.len());
            let rtrw = if b.rows.is_empty() {
                0
            } else {
                here - first_row
            };
            p.extend_from_slice(&(rtrw as u32).to_le_bytes());
            let mut prev = row_pos.first().map_or(here, |p| p.1);
            for r in &b.rows {
                let k = cell_starts.partition_point(|(row, _)| *row < r.row);
                let start = cell_starts.get(k).map_or(cells_end, |&(_, pos)| pos);
                let off = start.saturating_sub(prev).min(usize::from(u16::MAX));
                p.extend_from_slice(&(off as u16).to_le_bytes());
                prev = start.max(prev);
            }
            push_record(out, id::DBCELL, &p);
        }
    }

    for u in &t.suffix {
        out.extend_from_slice(unit_bytes(stream, *u));
    }

    if let Some(at) = index_at {
        // Some writers (Apache POI) leave ibXF at 0; keep that, otherwise point at DEFCOLWIDTH.
        let keep_zero = u32_at(out, at + 4 + 12) == Some(0);
        if let (Some(d), false) = (defcolwidth_at, keep_zero) {
            put_u32(out, at + 4 + 12, d as u32);
        }
        for (k, pos) in dbcell_pos.iter().enumerate() {
            put_u32(out, at + 4 + 16 + 4 * k, *pos as u32);
        }
    }
    Ok(())
}

fn widen_dimensions(p: &mut [u8], (r0, r1, c0, c1): (u16, u16, u16, u16)) {
    let rw_mic = u32_at(p, 0).unwrap_or(0);
    let rw_mac = u32_at(p, 4).unwrap_or(0);
    let col_mic = u16_at(p, 8).unwrap_or(0);
    let col_mac = u16_at(p, 10).unwrap_or(0);
    let empty = rw_mac <= rw_mic || col_mac <= col_mic;
    let (nr0, nr1, nc0, nc1) = if empty {
        (u32::from(r0), u32::from(r1) + 1, c0, c1.saturating_add(1))
    } else {
        (
            rw_mic.min(u32::from(r0)),
            rw_mac.max(u32::from(r1) + 1),
            col_mic.min(c0),
            col_mac.max(c1.saturating_add(1)),
        )
    };
    put_u32(p, 0, nr0);
    put_u32(p, 4, nr1);
    super::records::put_u16(p, 8, nc0);
    super::records::put_u16(p, 10, nc1);
}

/// Copies an unedited substream (its BOF at `start`) byte for byte, moving the absolute
/// positions in its INDEX record by `shift` (the substream now starts elsewhere in the
/// stream). Returns where the substream ends in `stream`.
pub fn copy_shifted(
    stream: &[u8],
    start: usize,
    shift: i64,
    out: &mut Vec<u8>,
) -> Result<usize, XlsError> {
    let mut end = start;
    let mut index: Vec<Rec> = Vec::new();
    let mut depth = 0u32;
    walk_substream(stream, start, |r| {
        if r.id == id::BOF {
            depth += 1;
        }
        if depth == 1 && r.id == id::INDEX {
            index.push(r);
        }
        if r.id == id::EOF {
            depth = depth.saturating_sub(1);
        }
        end = r.end();
    })?;
    let base = out.len();
    out.extend_from_slice(stream.get(start..end).unwrap_or(&[]));
    if shift == 0 {
        return Ok(end);
    }
    for r in index {
        let at = base + (r.data_start() - start);
        let count = (r.len as usize).saturating_sub(16) / 4;
        for k in std::iter::once(12).chain((0..count).map(|k| 16 + 4 * k)) {
            // A zero ibXF means "not given" (Apache POI writes it so) and stays zero.
            if let Some(v) = u32_at(out, at + k).filter(|&v| v != 0 || k != 12) {
                put_u32(out, at + k, (i64::from(v) + shift).max(0) as u32);
            }
        }
    }
    Ok(end)
}
