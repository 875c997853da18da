//! Copying an unedited worksheet byte for byte, its INDEX positions moved to where it now lies.

use crate::error::XlsError;
use crate::records::{Rec, id, put_u32, u32_at, walk_substream};

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
