//! BIFF8 records: ids, a compact index of where each record lies in the `Workbook` stream, and
//! bounds-checked little-endian readers. Nothing here ever indexes past the end of the stream.

use super::error::XlsError;

/// Record identifiers used by sverka (MS-XLS section 2.3).
pub mod id {
    /// FORMULA (MS-XLS 2.4.127): a formula cell, with its last result and its parsed expression.
    pub const FORMULA: u16 = 0x0006;
    /// The BIFF4 id of FORMULA, still found in BIFF8 files of some writers; Excel, xlrd and
    /// Apache POI read it as FORMULA.
    pub const FORMULA_BIFF4: u16 = 0x0406;
    /// EOF (MS-XLS 2.4.103): the end of a substream.
    pub const EOF: u16 = 0x000A;
    /// FILEPASS (MS-XLS 2.4.117): how the workbook is encrypted; present only in an encrypted
    /// workbook.
    pub const FILEPASS: u16 = 0x002F;
    /// CONTINUE (MS-XLS 2.4.58): more data of the record before it, past what one record holds.
    pub const CONTINUE: u16 = 0x003C;
    /// PANE (MS-XLS 2.4.189): where a sheet window is split or frozen into panes.
    pub const PANE: u16 = 0x0041;
    /// CODEPAGE (MS-XLS 2.4.52): the code page of the workbook's 8-bit strings.
    pub const CODEPAGE: u16 = 0x0042;
    /// DEFCOLWIDTH (MS-XLS 2.4.89): a sheet's default column width, in characters.
    pub const DEFCOLWIDTH: u16 = 0x0055;
    /// COLINFO (MS-XLS 2.4.53): width, default format and hidden flag of a range of columns.
    pub const COLINFO: u16 = 0x007D;
    /// BOUNDSHEET (BoundSheet8, MS-XLS 2.4.28): a sheet's name, type, visibility and the stream
    /// position of its BOF.
    pub const BOUNDSHEET: u16 = 0x0085;
    /// MULRK (MS-XLS 2.4.175): RK numbers of adjacent cells of one row, each with its format.
    pub const MULRK: u16 = 0x00BD;
    /// MULBLANK (MS-XLS 2.4.174): formats of adjacent empty cells of one row.
    pub const MULBLANK: u16 = 0x00BE;
    /// RSTRING (BIFF5; obsolete in BIFF8, where LABELSST replaces it, yet still read): a cell of
    /// text with character formatting, its text held in the record itself.
    pub const RSTRING: u16 = 0x00D6;
    /// MERGEDCELLS (MergeCells, MS-XLS 2.4.168): the merged cell ranges of a sheet.
    pub const MERGEDCELLS: u16 = 0x00E5;
    /// DBCELL (MS-XLS 2.4.78): the offsets of a block of rows: to its first ROW and to each row's
    /// first cell.
    pub const DBCELL: u16 = 0x00D7;
    /// SST (MS-XLS 2.4.265): the shared string table, the strings LABELSST cells refer to.
    pub const SST: u16 = 0x00FC;
    /// LABELSST (MS-XLS 2.4.149): a text cell, holding an index into the SST.
    pub const LABELSST: u16 = 0x00FD;
    /// EXTSST (MS-XLS 2.4.107): stream positions of every n-th SST string, to look strings up fast.
    pub const EXTSST: u16 = 0x00FF;
    /// DIMENSIONS (MS-XLS 2.4.90): a sheet's used range, first and one-past-last row and column.
    pub const DIMENSIONS: u16 = 0x0200;
    /// BLANK (MS-XLS 2.4.20): an empty cell that has a format.
    pub const BLANK: u16 = 0x0201;
    /// NUMBER (MS-XLS 2.4.180): a cell holding a number as an IEEE 754 double.
    pub const NUMBER: u16 = 0x0203;
    /// LABEL (MS-XLS 2.4.148): a text cell holding its text in the record, not in the SST.
    pub const LABEL: u16 = 0x0204;
    /// BOOLERR (MS-XLS 2.4.24): a cell holding a boolean or an error code.
    pub const BOOLERR: u16 = 0x0205;
    /// STRING (MS-XLS 2.4.268): the text result of the FORMULA record before it.
    pub const STRING: u16 = 0x0207;
    /// ROW (MS-XLS 2.4.221): a row's height, format and the columns its cells span.
    pub const ROW: u16 = 0x0208;
    /// INDEX (MS-XLS 2.4.144): a sheet's row range and the stream positions of its DBCELL records.
    pub const INDEX: u16 = 0x020B;
    /// ARRAY (MS-XLS 2.4.4): an array formula and the range it fills, after the FORMULA of its
    /// first cell.
    pub const ARRAY: u16 = 0x0221;
    /// DEFAULTROWHEIGHT (MS-XLS 2.4.87): a sheet's default row height.
    pub const DEFAULTROWHEIGHT: u16 = 0x0225;
    /// TABLE (MS-XLS 2.4.319): a what-if data table and its input cells, after the FORMULA of its
    /// first cell.
    pub const TABLE: u16 = 0x0236;
    /// HLINK (MS-XLS 2.4.140): a hyperlink and the cell range it covers.
    pub const HLINK: u16 = 0x01B8;
    /// WINDOW2 (MS-XLS 2.4.346): a sheet window's settings: gridlines, frozen panes, the first
    /// visible cell.
    pub const WINDOW2: u16 = 0x023E;
    /// RK (MS-XLS 2.4.220): a cell holding a number in the compact RK encoding.
    pub const RK: u16 = 0x027E;
    /// SHRFMLA (MS-XLS 2.4.260): a formula shared by a range of cells, after the FORMULA of its
    /// first cell.
    pub const SHRFMLA: u16 = 0x04BC;
    /// BOF (MS-XLS 2.4.21): the start of a substream, with its BIFF version and kind.
    pub const BOF: u16 = 0x0809;
}

/// Is this a FORMULA record (under either of its ids)?
pub fn is_formula(rec_id: u16) -> bool {
    rec_id == id::FORMULA || rec_id == id::FORMULA_BIFF4
}

/// The largest record payload BIFF8 allows.
pub const MAX_RECORD_DATA: usize = 8224;

/// Where one record lies in the stream: header at `off`, `len` payload bytes after it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rec {
    pub off: u32,
    pub id: u16,
    pub len: u16,
}

impl Rec {
    pub fn start(self) -> usize {
        self.off as usize
    }
    pub fn data_start(self) -> usize {
        self.off as usize + 4
    }
    pub fn end(self) -> usize {
        self.off as usize + 4 + self.len as usize
    }
    /// The payload; empty if the stream is shorter than the record (never the case after `scan`).
    pub fn data(self, stream: &[u8]) -> &[u8] {
        stream.get(self.data_start()..self.end()).unwrap_or(&[])
    }
    /// The whole record, header included.
    pub fn bytes(self, stream: &[u8]) -> &[u8] {
        stream.get(self.start()..self.end()).unwrap_or(&[])
    }
}

fn corrupt(detail: impl Into<String>) -> XlsError {
    XlsError::Corrupt {
        detail: detail.into(),
    }
}

/// Reads the record whose header starts at `pos`; `None` at the end of the stream.
pub fn record_at(stream: &[u8], pos: usize) -> Result<Option<Rec>, XlsError> {
    if pos >= stream.len() {
        return Ok(None);
    }
    let (Some(id), Some(len)) = (u16_at(stream, pos), u16_at(stream, pos + 2)) else {
        return Err(corrupt(format!(
            "запись по смещению {pos} обрывается на заголовке"
        )));
    };
    if pos + 4 + len as usize > stream.len() {
        return Err(corrupt(format!(
            "запись {id:#06x} по смещению {pos} длиннее, чем остаток файла"
        )));
    }
    let off = u32::try_from(pos).map_err(|_| corrupt("поток книги больше 4 ГБ"))?;
    Ok(Some(Rec { off, id, len }))
}

/// Reads one substream starting at the BOF at `start`, up to and including its matching EOF.
/// Nested BOF/EOF pairs (embedded charts) stay inside the substream.
pub fn scan_substream(stream: &[u8], start: usize) -> Result<Vec<Rec>, XlsError> {
    // Counted first, so that the index of a sheet of millions of records is allocated once
    // and exactly.
    let mut count = 0usize;
    walk_substream(stream, start, |_| count += 1)?;
    let mut recs = Vec::with_capacity(count);
    walk_substream(stream, start, |r| recs.push(r))?;
    Ok(recs)
}

/// Calls `each` for every record of the substream starting at `start` (see [`scan_substream`]).
pub fn walk_substream(
    stream: &[u8],
    start: usize,
    mut each: impl FnMut(Rec),
) -> Result<(), XlsError> {
    let first = record_at(stream, start)?.ok_or_else(|| {
        corrupt(format!(
            "лист начинается за концом файла (смещение {start})"
        ))
    })?;
    if first.id != id::BOF {
        return Err(corrupt(format!(
            "по смещению {start} нет начала листа (BOF)"
        )));
    }
    let mut depth = 0usize;
    let mut pos = start;
    while let Some(rec) = record_at(stream, pos)? {
        each(rec);
        pos = rec.end();
        match rec.id {
            id::BOF => depth += 1,
            id::EOF => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Ok(());
                }
            }
            _ => {}
        }
    }
    Err(corrupt("лист не заканчивается записью EOF"))
}

/// Little-endian u16 at `at`, if there.
pub fn u16_at(data: &[u8], at: usize) -> Option<u16> {
    let b: [u8; 2] = data.get(at..at.checked_add(2)?)?.try_into().ok()?;
    Some(u16::from_le_bytes(b))
}

/// Little-endian u32 at `at`, if there.
pub fn u32_at(data: &[u8], at: usize) -> Option<u32> {
    let b: [u8; 4] = data.get(at..at.checked_add(4)?)?.try_into().ok()?;
    Some(u32::from_le_bytes(b))
}

/// Overwrites a little-endian u32 in place; false if out of bounds.
pub fn put_u32(data: &mut [u8], at: usize, v: u32) -> bool {
    match at.checked_add(4).and_then(|end| data.get_mut(at..end)) {
        Some(slot) => {
            slot.copy_from_slice(&v.to_le_bytes());
            true
        }
        None => false,
    }
}

/// Overwrites a little-endian u16 in place; false if out of bounds.
pub fn put_u16(data: &mut [u8], at: usize, v: u16) -> bool {
    match at.checked_add(2).and_then(|end| data.get_mut(at..end)) {
        Some(slot) => {
            slot.copy_from_slice(&v.to_le_bytes());
            true
        }
        None => false,
    }
}

/// Appends one record (header + payload) to `out`. The payload must fit one record.
pub fn push_record(out: &mut Vec<u8>, rec_id: u16, payload: &[u8]) {
    debug_assert!(payload.len() <= MAX_RECORD_DATA);
    out.extend_from_slice(&rec_id.to_le_bytes());
    out.extend_from_slice(&(payload.len() as u16).to_le_bytes());
    out.extend_from_slice(payload);
}

/// Decodes a BIFF8 unicode string body (`fHighByte` flag then characters) of `cch` characters.
pub fn decode_chars(bytes: &[u8], cch: usize, high: bool) -> Option<String> {
    let raw = bytes.get(..cch.checked_mul(if high { 2 } else { 1 })?)?;
    Some(chars_of(raw, high).collect())
}

/// The characters BIFF8 bytes hold: one Latin-1 byte each, or UTF-16LE units when `high` (a
/// lone surrogate reads as U+FFFD, a trailing odd byte is ignored).
pub fn chars_of(raw: &[u8], high: bool) -> impl Iterator<Item = char> + '_ {
    let (latin1, utf16) = if high { (&[][..], raw) } else { (raw, &[][..]) };
    let units = utf16.chunks_exact(2).map(|c| match c {
        &[lo, hi] => u16::from_le_bytes([lo, hi]),
        _ => 0xFFFD,
    });
    latin1
        .iter()
        .map(|&b| char::from(b))
        .chain(char::decode_utf16(units).map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER)))
}

/// Encodes text as BIFF8 characters: Latin-1 ("compressed") when every character allows it,
/// UTF-16LE otherwise. Returns (fHighByte, bytes, number of UTF-16 units).
pub fn encode_chars(text: &str) -> (bool, Vec<u8>, usize) {
    if text.chars().all(|c| (c as u32) <= 0xFF) {
        let bytes: Vec<u8> = text.chars().map(|c| c as u32 as u8).collect();
        let n = bytes.len();
        (false, bytes, n)
    } else {
        let units: Vec<u16> = text.encode_utf16().collect();
        let mut bytes = Vec::with_capacity(units.len() * 2);
        for u in &units {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        (true, bytes, units.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn record_at_refuses_records_past_the_end() {
        let stream = [0x09, 0x08, 0x10, 0x00, 1, 2, 3];
        assert!(matches!(
            record_at(&stream, 0),
            Err(XlsError::Corrupt { .. })
        ));
        assert!(matches!(record_at(&stream, 7), Ok(None)));
        assert!(matches!(
            record_at(&stream, 5),
            Err(XlsError::Corrupt { .. })
        ));
    }

    #[test]
    fn chars_round_trip_both_encodings() {
        for text in ["Ivanov", "Иванов", "Пётр 李", "", "é"] {
            let (high, bytes, n) = encode_chars(text);
            assert_eq!(decode_chars(&bytes, n, high).as_deref(), Some(text));
        }
        assert!(!encode_chars("café").0);
        assert!(encode_chars("Ёж").0);
    }

    #[test]
    fn readers_are_bounds_checked() {
        let d = [1u8, 0, 2];
        assert_eq!(u16_at(&d, 0), Some(1));
        assert_eq!(u16_at(&d, 2), None);
        assert_eq!(u32_at(&d, 0), None);
        assert_eq!(u16_at(&d, usize::MAX), None);
    }
}
