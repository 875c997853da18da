//! BIFF8 records: ids, a compact index of where each record lies in the `Workbook` stream, and
//! bounds-checked little-endian readers. Nothing here ever indexes past the end of the stream.

use super::error::XlsError;

/// Record identifiers used by sverka (MS-XLS section 2.3).
pub mod id {
    pub const FORMULA: u16 = 0x0006;
    /// The BIFF4 id of FORMULA, still found in BIFF8 files of some writers; Excel, xlrd and
    /// Apache POI read it as FORMULA.
    pub const FORMULA_BIFF4: u16 = 0x0406;
    pub const EOF: u16 = 0x000A;
    pub const FILEPASS: u16 = 0x002F;
    pub const CONTINUE: u16 = 0x003C;
    pub const PANE: u16 = 0x0041;
    pub const CODEPAGE: u16 = 0x0042;
    pub const DEFCOLWIDTH: u16 = 0x0055;
    pub const COLINFO: u16 = 0x007D;
    pub const BOUNDSHEET: u16 = 0x0085;
    pub const MULRK: u16 = 0x00BD;
    pub const MULBLANK: u16 = 0x00BE;
    pub const RSTRING: u16 = 0x00D6;
    pub const MERGEDCELLS: u16 = 0x00E5;
    pub const DBCELL: u16 = 0x00D7;
    pub const SST: u16 = 0x00FC;
    pub const LABELSST: u16 = 0x00FD;
    pub const EXTSST: u16 = 0x00FF;
    pub const DIMENSIONS: u16 = 0x0200;
    pub const BLANK: u16 = 0x0201;
    pub const NUMBER: u16 = 0x0203;
    pub const LABEL: u16 = 0x0204;
    pub const BOOLERR: u16 = 0x0205;
    pub const STRING: u16 = 0x0207;
    pub const ROW: u16 = 0x0208;
    pub const INDEX: u16 = 0x020B;
    pub const ARRAY: u16 = 0x0221;
    pub const DEFAULTROWHEIGHT: u16 = 0x0225;
    pub const TABLE: u16 = 0x0236;
    pub const HLINK: u16 = 0x01B8;
    pub const WINDOW2: u16 = 0x023E;
    pub const RK: u16 = 0x027E;
    pub const SHRFMLA: u16 = 0x04BC;
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
