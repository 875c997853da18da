//! Cutting a worksheet substream into units: a record with the records attached to it.

use crate::error::XlsError;
use crate::records::{Rec, id, is_formula, record_at, u16_at, walk_substream};

pub(super) fn is_cell(rec_id: u16) -> bool {
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

pub(super) fn is_table(rec_id: u16) -> bool {
    rec_id == id::ROW || rec_id == id::DBCELL || is_cell(rec_id)
}

/// A record and the records attached to it (CONTINUE; STRING, SHRFMLA, ARRAY, TABLE after a
/// FORMULA): `main`, then whatever lies up to `end` in the stream.
#[derive(Debug, Clone, Copy)]
pub(super) struct Unit {
    pub(super) main: Rec,
    /// Stream position just after the unit's last record.
    pub(super) end: u32,
    /// Nesting depth of BOF/EOF (1 = the sheet itself, 2+ = embedded chart).
    pub(super) depth: u32,
}

impl Unit {
    /// The records attached to the main one.
    pub(super) fn attached(self, stream: &[u8]) -> impl Iterator<Item = Rec> + '_ {
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
pub(super) fn walk_units(
    stream: &[u8],
    start: usize,
    mut each: impl FnMut(Unit),
) -> Result<(), XlsError> {
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

pub(super) fn unit_bytes(stream: &[u8], u: Unit) -> &[u8] {
    span_bytes(stream, (u.main.start(), u.end as usize))
}

/// The bytes of the stream range (start, end).
pub(super) fn span_bytes(stream: &[u8], (start, end): (usize, usize)) -> &[u8] {
    stream.get(start..end).unwrap_or(&[])
}

/// First and last column a cell record covers.
pub(super) fn cell_columns(rec_id: u16, data: &[u8]) -> (u16, u16) {
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
