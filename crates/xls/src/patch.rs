//! Assembles a new `Workbook` stream from the original one and a set of edits: globals copied
//! with BOUNDSHEET positions and the SST updated, edited sheets rewritten, every other byte
//! copied as it was.

use std::collections::BTreeMap;

use super::error::{BuildProblem, XlsError};
use super::records::{id, put_u32, u32_at};
use super::sheet::{self, SheetEdits};
use super::sst::Sst;
use super::workbook::Workbook;

/// Edits to a whole workbook, already resolved to SST indexes.
#[derive(Debug, Clone, Default)]
pub struct WorkbookEdits {
    /// Edits per sheet (index into `Workbook::sheets`).
    pub sheets: BTreeMap<usize, SheetEdits>,
    /// Strings to append to the SST, in order; their indexes follow the existing strings.
    pub new_strings: Vec<String>,
}

/// Builds the patched stream. With no edits the result equals the original stream.
pub fn patch(wb: &Workbook, edits: &WorkbookEdits) -> Result<Vec<u8>, XlsError> {
    patch_with(wb, edits, false)
}

/// As [`patch`]; `rebuild_all` rewrites every worksheet's cell table even without edits
/// (tests use it to prove the rewrite reproduces the original writer's layout).
pub fn patch_with(
    wb: &Workbook,
    edits: &WorkbookEdits,
    rebuild_all: bool,
) -> Result<Vec<u8>, XlsError> {
    let stream = wb.stream.as_slice();
    let empty = SheetEdits::new();
    for (i, s) in wb.sheets.iter().enumerate() {
        let edited = edits.sheets.get(&i).is_some_and(|e| !e.is_empty());
        if edited && s.kind != super::workbook::SHEET_KIND_WORKSHEET {
            return Err(XlsError::NotAWorksheet(s.name.clone()));
        }
    }

    // Room for everything an edit can add, so that the buffer of a 50 MB stream is allocated
    // once and never copied into a twice larger one: per edited cell a new cell record and
    // the pieces of a split MULRK run or a new ROW record; per new string its UTF-16 text
    // and header (CONTINUE headers and the EXTSST grow by far less than the margin).
    let edited_cells: usize = edits.sheets.values().map(|e| e.len()).sum();
    let new_text: usize = edits.new_strings.iter().map(|t| 2 * t.len() + 8).sum();
    let mut out = Vec::with_capacity(stream.len() + 64 * 1024 + 64 * edited_cells + new_text);
    let mut lbplypos_at: BTreeMap<usize, usize> = BTreeMap::new();
    let sst_range = wb.sst.as_ref().map(|s| s.first..s.first + s.count);
    let need_sst_rewrite = !edits.new_strings.is_empty();
    // Where the SST's cstTotal lands: it counts LABELSST cells, known once the sheets are
    // written.
    let mut total_at: Option<(usize, u32)> = None;
    let mut i = 0;
    while let Some(rec) = wb.globals.get(i).copied() {
        if sst_range.as_ref().is_some_and(|r| r.start == i) {
            let (sst, range) = match (&wb.sst, &sst_range) {
                (Some(s), Some(r)) => (s, r.clone()),
                _ => break,
            };
            let recs = wb.globals.get(range.clone()).unwrap_or(&[]);
            total_at = Some((out.len() + 4, sst.total));
            if need_sst_rewrite {
                sst.write_with_appended(&mut out, stream, recs, &edits.new_strings, sst.total);
            } else {
                for r in recs {
                    out.extend_from_slice(r.bytes(stream));
                }
            }
            i = range.end;
            continue;
        }
        match rec.id {
            id::EXTSST if need_sst_rewrite => {
                // Rebuilt right after the SST; skip the old one and its CONTINUE records.
                i += 1;
                while wb.globals.get(i).is_some_and(|r| r.id == id::CONTINUE) {
                    i += 1;
                }
                continue;
            }
            id::EOF if wb.sst.is_none() && need_sst_rewrite => {
                total_at = Some((out.len() + 4, 0));
                Sst::default().write_with_appended(&mut out, stream, &[], &edits.new_strings, 0);
            }
            id::BOUNDSHEET => {
                lbplypos_at.insert(i, out.len() + 4);
            }
            _ => {}
        }
        out.extend_from_slice(rec.bytes(stream));
        i += 1;
    }

    // Substreams in stream order, with whatever lies between them copied verbatim; edited
    // sheets are rewritten straight into place.
    let mut labelsst_delta = 0i64;
    let mut order: Vec<usize> = (0..wb.sheets.len()).collect();
    order.sort_by_key(|&k| wb.sheets.get(k).map_or(0, |s| s.start));
    let mut cursor = wb.globals_end();
    for k in order {
        let Some(s) = wb.sheets.get(k) else { continue };
        let start = s.start;
        out.extend_from_slice(stream.get(cursor..start).unwrap_or(&[]));
        let new_start = out.len();
        let sheet_edits = edits.sheets.get(&k);
        let wanted = sheet_edits.is_some_and(|e| !e.is_empty())
            || (rebuild_all && s.kind == super::workbook::SHEET_KIND_WORKSHEET);
        // The substream is walked again from its BOF (a book keeps no record index).
        let end = if wanted {
            let stats = sheet::rewrite(stream, start, sheet_edits.unwrap_or(&empty), &mut out)?;
            labelsst_delta += stats.labelsst_delta;
            stats.end
        } else {
            let shift = new_start as i64 - start as i64;
            sheet::copy_shifted(stream, start, shift, &mut out)?
        };
        if let Some(&at) = lbplypos_at.get(&s.boundsheet) {
            put_u32(&mut out, at, new_start as u32);
        }
        cursor = end;
    }
    out.extend_from_slice(stream.get(cursor..).unwrap_or(&[]));
    if let Some((at, total)) = total_at {
        let total = (i64::from(total) + labelsst_delta).clamp(0, i64::from(u32::MAX)) as u32;
        // Apache POI reads no string at all from an SST whose cstTotal is 0 and then refuses
        // the strings left in the record (`LeftoverDataException`), so a book whose text
        // cells this save changed keeps a count of at least one while its table still holds
        // strings. (A count that was 0 already and is not changed stays as the file had it:
        // a save without text edits keeps the stream as it was.)
        let unique = u32_at(&out, at + 4).unwrap_or(0);
        let total = if unique > 0 && labelsst_delta != 0 {
            total.max(1)
        } else {
            total
        };
        put_u32(&mut out, at, total);
    }
    if out.len() > u32::MAX as usize {
        return Err(XlsError::BuildFailed(BuildProblem::TooBig));
    }
    Ok(out)
}
