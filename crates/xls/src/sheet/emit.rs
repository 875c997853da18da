//! Writing the edited sheet back: the prefix with INDEX and DIMENSIONS updated, the row
//! blocks with fresh DBCELL offsets, the suffix, and INDEX pointed at the new positions.

use super::table::{Block, Piece, Table};
use super::units::{span_bytes, unit_bytes};
use crate::error::{BuildProblem, XlsError};
use crate::records::{MAX_RECORD_DATA, id, push_record, put_u32, u16_at, u32_at};

/// Writes the edited sheet: prefix (INDEX, DIMENSIONS updated), the blocks, the suffix.
pub(super) fn emit(
    t: &Table,
    out: &mut Vec<u8>,
    widened: Option<(u16, u16, u16, u16)>,
    new_rows: &[u16],
) -> Result<(), XlsError> {
    let stream = t.stream;
    let n_dbcells = t.blocks.iter().filter(|b| b.dbcell).count();
    let marks = emit_prefix(t, out, widened, new_rows, n_dbcells)?;

    let mut dbcell_pos = Vec::with_capacity(n_dbcells);
    for b in &t.blocks {
        if let Some(here) = emit_block(stream, b, out) {
            dbcell_pos.push(here);
        }
    }

    for u in &t.suffix {
        out.extend_from_slice(unit_bytes(stream, *u));
    }

    patch_index(out, marks, &dbcell_pos);
    Ok(())
}

/// Where the prefix's INDEX and DEFCOLWIDTH records went in the output.
#[derive(Debug, Clone, Copy)]
struct PrefixMarks {
    index_at: Option<usize>,
    defcolwidth_at: Option<usize>,
}

/// Writes the units before the cell table: INDEX rebuilt for `n_dbcells` blocks and the
/// `new_rows`, DIMENSIONS widened to take the `widened` cells, the rest as they were.
fn emit_prefix(
    t: &Table,
    out: &mut Vec<u8>,
    widened: Option<(u16, u16, u16, u16)>,
    new_rows: &[u16],
    n_dbcells: usize,
) -> Result<PrefixMarks, XlsError> {
    let stream = t.stream;
    let mut marks = PrefixMarks {
        index_at: None,
        defcolwidth_at: None,
    };
    for u in &t.prefix {
        let rec = u.main;
        if u.depth == 1 && rec.id == id::INDEX {
            marks.index_at = Some(out.len());
            let p = index_payload(rec.data(stream), n_dbcells, new_rows)?;
            push_record(out, id::INDEX, &p);
            continue;
        }
        if u.depth == 1 && rec.id == id::DEFCOLWIDTH {
            marks.defcolwidth_at = Some(out.len());
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
    Ok(marks)
}

/// The new INDEX payload: the old one's head with its row range taking `new_rows`, and room
/// for the positions of `n_dbcells` DBCELL records (filled in by [`patch_index`]).
fn index_payload(old: &[u8], n_dbcells: usize, new_rows: &[u16]) -> Result<Vec<u8>, XlsError> {
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
    Ok(p)
}

/// Writes one row block: its ROW records, its cells, and its DBCELL if it has one; returns
/// where that DBCELL went.
fn emit_block(stream: &[u8], b: &Block, out: &mut Vec<u8>) -> Option<usize> {
    let row_pos = emit_rows(stream, b, out);
    let cell_starts = emit_cells(stream, b, out);
    let cells_end = out.len();
    if !b.dbcell {
        return None;
    }
    let here = out.len();
    let p = dbcell_payload(b, &row_pos, &cell_starts, cells_end, here);
    push_record(out, id::DBCELL, &p);
    Some(here)
}

/// Writes the block's ROW records; returns where each starts and ends in the output.
fn emit_rows(stream: &[u8], b: &Block, out: &mut Vec<u8>) -> Vec<(usize, usize)> {
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
    row_pos
}

/// Writes the block's cells row by row; returns where each row's cells start in the output.
fn emit_cells(stream: &[u8], b: &Block, out: &mut Vec<u8>) -> Vec<(u16, usize)> {
    let mut cell_starts: Vec<(u16, usize)> = Vec::with_capacity(b.cells.len());
    for rc in &b.cells {
        cell_starts.push((rc.row, out.len()));
        match (&rc.units, rc.span) {
            (Some(units), _) => {
                for c in units {
                    match &c.piece {
                        Piece::Orig(u) => out.extend_from_slice(unit_bytes(stream, *u)),
                        Piece::New(bytes) => out.extend_from_slice(bytes),
                        Piece::Span(a, b) => out.extend_from_slice(span_bytes(stream, (*a, *b))),
                    }
                }
            }
            (None, Some(span)) => out.extend_from_slice(span_bytes(stream, span)),
            (None, None) => {}
        }
    }
    cell_starts
}

/// The DBCELL payload of a block written at `row_pos` (its ROW records) and `cell_starts`
/// (its rows' cells, ending at `cells_end`), the DBCELL itself going at `here`.
fn dbcell_payload(
    b: &Block,
    row_pos: &[(usize, usize)],
    cell_starts: &[(u16, usize)],
    cells_end: usize,
    here: usize,
) -> Vec<u8> {
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
    p
}

/// Points the written INDEX (if any) at DEFCOLWIDTH and at the blocks' DBCELL records.
fn patch_index(out: &mut [u8], marks: PrefixMarks, dbcell_pos: &[usize]) {
    if let Some(at) = marks.index_at {
        // Some writers (Apache POI) leave ibXF at 0; keep that, otherwise point at DEFCOLWIDTH.
        let keep_zero = u32_at(out, at + 4 + 12) == Some(0);
        if let (Some(d), false) = (marks.defcolwidth_at, keep_zero) {
            put_u32(out, at + 4 + 12, d as u32);
        }
        for (k, pos) in dbcell_pos.iter().enumerate() {
            put_u32(out, at + 4 + 16 + 4 * k, *pos as u32);
        }
    }
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
    crate::records::put_u16(p, 8, nc0);
    crate::records::put_u16(p, 10, nc1);
}
