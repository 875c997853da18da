//! Replacing the cells an edit hits: splitting MULRK/MULBLANK runs, writing the new cell
//! records, and carrying over the records that ride on a replaced cell.

use std::collections::BTreeSet;

use super::table::{CellRange, CellUnit, Piece};
use super::units::Unit;
use super::{CellEdit, DEFAULT_XF, SheetStats};
use crate::address::a1;
use crate::error::XlsError;
use crate::records::{MAX_RECORD_DATA, id, is_formula, push_record, u16_at};

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

fn number(row: u16, col: u16, xf: u16, value: f64) -> Vec<u8> {
    let mut p = Vec::with_capacity(14);
    p.extend_from_slice(&row.to_le_bytes());
    p.extend_from_slice(&col.to_le_bytes());
    p.extend_from_slice(&xf.to_le_bytes());
    p.extend_from_slice(&value.to_le_bytes());
    record_bytes(id::NUMBER, &p)
}

/// The record an edited cell becomes; `xf` is the cell's own format (or, for a new cell, the
/// format its row or column gives), which a number edit may replace.
pub(super) fn edited_cell(row: u16, col: u16, xf: u16, edit: CellEdit) -> Vec<u8> {
    match edit {
        CellEdit::Text(isst) => labelsst(row, col, xf, isst),
        CellEdit::Number { value, xf: own } => number(row, col, own.unwrap_or(xf), value),
        CellEdit::Clear => blank(row, col, xf),
    }
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
    match rec.id {
        id::MULRK | id::MULBLANK => {
            let out = split_run(rec.id, row, data, cell, edits);
            stats.labelsst_delta += text_count(edits);
            Ok(out)
        }
        _ => replace_single(stream, arrays, cell, unit, edits, stats),
    }
}

/// How many of `edits` write a text (each a new LABELSST cell).
fn text_count(edits: &[(u16, CellEdit)]) -> i64 {
    edits
        .iter()
        .filter(|(_, e)| matches!(e, CellEdit::Text(_)))
        .count() as i64
}

/// The records one MULRK or MULBLANK run (`rec_id`) of `row` becomes under `edits`: the
/// edited cells as single records, the cells between them as shorter runs (or RK/BLANK when
/// one cell is left).
fn split_run(
    rec_id: u16,
    row: u16,
    data: &[u8],
    cell: &CellUnit,
    edits: &[(u16, CellEdit)],
) -> Vec<CellUnit> {
    let width = if rec_id == id::MULRK { 6 } else { 2 };
    let mut out = Vec::new();
    let mut run: Vec<(u16, &[u8])> = Vec::new();
    let flush = |run: &mut Vec<(u16, &[u8])>, out: &mut Vec<CellUnit>| {
        if let Some(&(first, _)) = run.first() {
            let last = run.last().map_or(first, |r| r.0);
            let bytes = if run.len() == 1 {
                let (single_id, mut p) = if rec_id == id::MULRK {
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
                record_bytes(rec_id, &p)
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
            Some(&(_, CellEdit::Clear)) if rec_id == id::MULBLANK => run.push((col, entry)),
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
    out
}

/// The record one single-cell record (any cell but MULRK/MULBLANK) becomes under `edits`.
fn replace_single(
    stream: &[u8],
    arrays: &[CellRange],
    cell: &CellUnit,
    unit: Unit,
    edits: &[(u16, CellEdit)],
    stats: &mut SheetStats,
) -> Result<Vec<CellUnit>, XlsError> {
    let rec = unit.main;
    let rid = rec.id;
    let data = rec.data(stream);
    let row = u16_at(data, 0).unwrap_or(0);
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
    stats.labelsst_delta += text_count(edits);
    let xf = u16_at(data, 4).unwrap_or(DEFAULT_XF);
    Ok(vec![CellUnit {
        c1: col,
        c2: col,
        piece: Piece::New(edited_cell(row, col, xf, edit)),
    }])
}

/// Applies a row's edits to one run of its cells: the cells an edit hits are split or
/// replaced (their columns added to `covered`), the others kept.
pub(super) fn edit_cells(
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
