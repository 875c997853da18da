//! The shared string table (SST): parsing across CONTINUE records, appending new strings with
//! the CONTINUE splitting rules, and rebuilding EXTSST.
//!
//! Existing strings are never rewritten or re-indexed: the original SST and CONTINUE records are
//! copied verbatim (only the counts in the first record change) and new strings are appended
//! after the last one.

use std::sync::Arc;

use super::error::XlsError;
use super::records::{MAX_RECORD_DATA, Rec, chars_of, encode_chars, id, put_u32, u32_at};

/// One string of the table with where it starts in the stream (for EXTSST).
#[derive(Debug, Clone, PartialEq)]
pub struct SstString {
    /// Shared with every cell that shows it.
    pub text: Arc<str>,
    /// No rich-text runs and no phonetic block: safe to reuse for a plain new value.
    pub plain: bool,
    /// Stream position of the string's first byte (its `cch` field).
    pub start: u32,
    /// Stream position of the header of the record the string starts in.
    pub rec_start: u32,
}

/// The parsed SST: which records hold it and its strings.
#[derive(Debug, Clone, Default)]
pub struct Sst {
    /// Index (into the globals records) of the SST record and the number of records
    /// (SST + CONTINUE) it spans.
    pub first: usize,
    pub count: usize,
    pub total: u32,
    pub strings: Vec<SstString>,
}

fn corrupt(detail: &str) -> XlsError {
    XlsError::Corrupt {
        detail: format!("таблица строк (SST): {detail}"),
    }
}

/// Reads bytes across a chain of records (SST then CONTINUE…).
struct Chain<'a> {
    stream: &'a [u8],
    recs: &'a [Rec],
    k: usize,
    pos: usize,
}

impl<'a> Chain<'a> {
    fn new(stream: &'a [u8], recs: &'a [Rec], skip: usize) -> Self {
        let pos = recs.first().map_or(0, |r| r.data_start() + skip);
        Chain {
            stream,
            recs,
            k: 0,
            pos,
        }
    }

    fn avail(&self) -> usize {
        self.recs
            .get(self.k)
            .map_or(0, |r| r.end().saturating_sub(self.pos))
    }

    /// Moves to the payload of the next record; false at the end of the chain.
    fn next_record(&mut self) -> bool {
        self.k += 1;
        match self.recs.get(self.k) {
            Some(r) => {
                self.pos = r.data_start();
                true
            }
            None => false,
        }
    }

    /// Skips exhausted records so that the cursor stands on a byte, if any is left.
    fn settle(&mut self) -> bool {
        while self.avail() == 0 {
            if !self.next_record() {
                return false;
            }
        }
        true
    }

    fn here(&self) -> (u32, u32) {
        let rec = self.recs.get(self.k).map_or(0, |r| r.off);
        (self.pos as u32, rec)
    }

    /// Skips bytes that may run over record boundaries without a flag byte (runs, ExtRst).
    fn skip(&mut self, mut n: usize) -> Option<()> {
        while n > 0 {
            if !self.settle() {
                return None;
            }
            let take = n.min(self.avail());
            self.pos += take;
            n -= take;
        }
        Some(())
    }

    fn u8(&mut self) -> Option<u8> {
        if !self.settle() {
            return None;
        }
        let b = *self.stream.get(self.pos)?;
        self.pos += 1;
        Some(b)
    }

    fn u16(&mut self) -> Option<u16> {
        Some(u16::from_le_bytes([self.u8()?, self.u8()?]))
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes([
            self.u8()?,
            self.u8()?,
            self.u8()?,
            self.u8()?,
        ]))
    }

    /// `cch` characters appended to `out`; a record boundary inside them is followed by a
    /// fresh fHighByte flag.
    fn chars(&mut self, cch: usize, mut high: bool, out: &mut String) -> Option<()> {
        let mut left = cch;
        while left > 0 {
            if self.avail() == 0 {
                if !self.next_record() {
                    return None;
                }
                let flag = *self.stream.get(self.pos)?;
                self.pos += 1;
                high = flag & 1 == 1;
            }
            let size = if high { 2 } else { 1 };
            let fit = self.avail() / size;
            if fit == 0 {
                return None;
            }
            let take = fit.min(left);
            let raw = self.stream.get(self.pos..self.pos + take * size)?;
            out.extend(chars_of(raw, high));
            self.pos += take * size;
            left -= take;
        }
        Some(())
    }
}

/// Reads the strings of an SST record chain in order: `one` reads the string at the cursor
/// (`None` when it breaks off). Returns `cstTotal`.
///
/// Some writers declare more strings (`cstUnique`) than they wrote; the table then holds the
/// strings that are there, as Apache POI and calamine read it (a cell pointing past them
/// reads as empty). A string cut off inside the records is still an error.
fn each_string(
    stream: &[u8],
    recs: &[Rec],
    mut one: impl FnMut(&mut Chain) -> Option<()>,
) -> Result<u32, XlsError> {
    let head = recs.first().map(|r| r.data(stream)).unwrap_or(&[]);
    let total = u32_at(head, 0).ok_or_else(|| corrupt("нет заголовка"))?;
    let unique = u32_at(head, 4).ok_or_else(|| corrupt("нет заголовка"))?;
    let mut chain = Chain::new(stream, recs, 8);
    for i in 0..unique {
        if !chain.settle() {
            break;
        }
        one(&mut chain).ok_or_else(|| corrupt(&format!("строка №{i} обрывается")))?;
    }
    Ok(total)
}

/// How many strings an SST declares, bounded by what its records can hold (at least three
/// bytes a string), for reserving room.
fn declared_strings(stream: &[u8], recs: &[Rec]) -> usize {
    let unique = recs
        .first()
        .and_then(|r| u32_at(r.data(stream), 4))
        .unwrap_or(0);
    let fits = recs.iter().map(|r| usize::from(r.len)).sum::<usize>() / 3;
    (unique as usize).min(fits)
}

/// The header of an XLUnicodeRichExtendedString.
struct StringHeader {
    cch: usize,
    high: bool,
    /// Bytes of formatting runs and of the phonetic block after the characters.
    extra: usize,
    /// No rich-text runs and no phonetic block.
    plain: bool,
}

impl StringHeader {
    fn read(chain: &mut Chain) -> Option<StringHeader> {
        let cch = usize::from(chain.u16()?);
        let flags = chain.u8()?;
        let ext = flags & 0x04 != 0;
        let rich = flags & 0x08 != 0;
        let runs = if rich { usize::from(chain.u16()?) } else { 0 };
        let ext_len = if ext { chain.u32()? as usize } else { 0 };
        Some(StringHeader {
            cch,
            high: flags & 0x01 != 0,
            extra: runs.checked_mul(4)?.checked_add(ext_len)?,
            plain: !rich && !ext,
        })
    }
}

/// The strings of an SST as they lie in the stream: the light form for reading a file back.
/// A string inside one record is compared where it lies, never decoded; one that runs over
/// into a CONTINUE record is decoded once.
#[derive(Debug, Clone, Default)]
pub struct SstTexts<'s> {
    stream: &'s [u8],
    entries: Vec<TextAt>,
    decoded: Vec<String>,
}

/// Where one string is: `at` is its first character in the stream (or its index in
/// `decoded`), `cch` its length in characters.
#[derive(Debug, Clone, Copy)]
struct TextAt {
    at: u32,
    cch: u16,
    kind: TextKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TextKind {
    Latin1,
    Utf16,
    Decoded,
}

/// One string of [`SstTexts`].
#[derive(Debug, Clone, Copy)]
pub enum SstStr<'a> {
    /// One byte per character (Latin-1).
    Latin1(&'a [u8]),
    /// UTF-16LE code units.
    Utf16(&'a [u8]),
    Decoded(&'a str),
}

impl SstStr<'_> {
    pub fn is_empty(&self) -> bool {
        match self {
            SstStr::Latin1(b) | SstStr::Utf16(b) => b.is_empty(),
            SstStr::Decoded(s) => s.is_empty(),
        }
    }

    /// Is this the text `s` (as the reader decodes it: a lone surrogate reads as U+FFFD)?
    pub fn eq_str(&self, s: &str) -> bool {
        match self {
            SstStr::Latin1(b) => chars_of(b, false).eq(s.chars()),
            SstStr::Utf16(b) => chars_of(b, true).eq(s.chars()),
            SstStr::Decoded(d) => *d == s,
        }
    }
}

impl<'s> SstTexts<'s> {
    /// Finds the strings of the SST whose records are `recs`; a book without an SST (no
    /// records: numbers only, or text only in formulas) has no strings.
    pub fn parse(stream: &'s [u8], recs: &[Rec]) -> Result<SstTexts<'s>, XlsError> {
        if recs.is_empty() {
            return Ok(SstTexts {
                stream,
                entries: Vec::new(),
                decoded: Vec::new(),
            });
        }
        let mut entries = Vec::with_capacity(declared_strings(stream, recs));
        let mut decoded = Vec::new();
        let mut text = String::new();
        each_string(stream, recs, |chain| {
            entries.push(read_string_at(chain, &mut text, &mut decoded)?);
            Some(())
        })?;
        Ok(SstTexts {
            stream,
            entries,
            decoded,
        })
    }

    /// The string at `i`.
    pub fn get(&self, i: u32) -> Option<SstStr<'_>> {
        let e = self.entries.get(i as usize)?;
        let at = e.at as usize;
        let n = usize::from(e.cch);
        Some(match e.kind {
            TextKind::Latin1 => SstStr::Latin1(self.stream.get(at..at + n)?),
            TextKind::Utf16 => SstStr::Utf16(self.stream.get(at..at + 2 * n)?),
            TextKind::Decoded => SstStr::Decoded(self.decoded.get(at)?),
        })
    }

    /// Number of strings.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Does the table hold no strings?
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// Reads one XLUnicodeRichExtendedString for [`SstTexts`]: where its characters lie when they
/// are all in the current record, else decoded into `decoded`.
fn read_string_at(
    chain: &mut Chain,
    text: &mut String,
    decoded: &mut Vec<String>,
) -> Option<TextAt> {
    let h = StringHeader::read(chain)?;
    let bytes = h.cch * if h.high { 2 } else { 1 };
    let cch = u16::try_from(h.cch).ok()?;
    let entry = if bytes == 0 || chain.avail() >= bytes {
        let at = u32::try_from(chain.pos).ok()?;
        chain.pos += bytes;
        TextAt {
            at,
            cch,
            kind: if h.high {
                TextKind::Utf16
            } else {
                TextKind::Latin1
            },
        }
    } else {
        text.clear();
        chain.chars(h.cch, h.high, text)?;
        decoded.push(text.clone());
        TextAt {
            at: u32::try_from(decoded.len() - 1).ok()?,
            cch,
            kind: TextKind::Decoded,
        }
    };
    chain.skip(h.extra)?;
    Some(entry)
}

impl Sst {
    /// Parses the SST whose records are `recs` (the SST record then its CONTINUE records).
    pub fn parse(stream: &[u8], recs: &[Rec], first: usize) -> Result<Sst, XlsError> {
        let mut strings = Vec::with_capacity(declared_strings(stream, recs));
        let mut text = String::new();
        let total = each_string(stream, recs, |chain| {
            let (start, rec_start) = chain.here();
            text.clear();
            let plain = read_string(chain, &mut text)?;
            strings.push(SstString {
                text: Arc::from(text.as_str()),
                plain,
                start,
                rec_start,
            });
            Some(())
        })?;
        Ok(Sst {
            first,
            count: recs.len(),
            total,
            strings,
        })
    }

    /// Writes the SST (original records verbatim, counts updated, `new` strings appended) to
    /// `out`, then a rebuilt EXTSST. `old_recs` are the SST and CONTINUE records of `stream`.
    pub fn write_with_appended(
        &self,
        out: &mut Vec<u8>,
        stream: &[u8],
        old_recs: &[Rec],
        new: &[String],
        total: u32,
    ) {
        let unique = (self.strings.len() + new.len()) as u32;
        let sst_out = out.len();
        let shift = |p: u32, orig: usize| (p as i64 - orig as i64 + sst_out as i64) as u32;
        let orig_start = old_recs.first().map_or(0, |r| r.start());
        let mut starts: Vec<(u32, u32)> = self
            .strings
            .iter()
            .map(|s| (shift(s.start, orig_start), shift(s.rec_start, orig_start)))
            .collect();

        let mut w = ChunkWriter { out, rec_hdr: 0 };
        match old_recs.split_last() {
            Some((last, before)) => {
                for r in before {
                    w.out.extend_from_slice(r.bytes(stream));
                }
                w.open(last.id);
                w.out.extend_from_slice(last.data(stream));
            }
            None => {
                w.open(id::SST);
                w.out.extend_from_slice(&[0u8; 8]);
            }
        }
        // The counts live in the first 8 payload bytes of the SST record.
        put_u32(w.out, sst_out + 4, total);
        put_u32(w.out, sst_out + 8, unique);
        for text in new {
            starts.push(w.append_string(text));
        }
        w.close();
        write_extsst(w.out, &starts);
    }
}

/// Reads one XLUnicodeRichExtendedString into `text`; returns whether it is plain.
fn read_string(chain: &mut Chain, text: &mut String) -> Option<bool> {
    let h = StringHeader::read(chain)?;
    text.reserve(h.cch);
    chain.chars(h.cch, h.high, text)?;
    chain.skip(h.extra)?;
    Some(h.plain)
}

/// Writes records of at most [`MAX_RECORD_DATA`] bytes, opening CONTINUE records as needed.
struct ChunkWriter<'a> {
    out: &'a mut Vec<u8>,
    rec_hdr: usize,
}

impl ChunkWriter<'_> {
    fn open(&mut self, rec_id: u16) {
        self.rec_hdr = self.out.len();
        self.out.extend_from_slice(&rec_id.to_le_bytes());
        self.out.extend_from_slice(&[0, 0]);
    }

    fn free(&self) -> usize {
        MAX_RECORD_DATA.saturating_sub(self.out.len() - self.rec_hdr - 4)
    }

    fn close(&mut self) {
        let len = (self.out.len() - self.rec_hdr - 4) as u16;
        if let Some(slot) = self.out.get_mut(self.rec_hdr + 2..self.rec_hdr + 4) {
            slot.copy_from_slice(&len.to_le_bytes());
        }
    }

    /// Appends a plain string; returns (start, record header) positions for EXTSST.
    fn append_string(&mut self, text: &str) -> (u32, u32) {
        let (high, bytes, cch) = encode_chars(text);
        let size = if high { 2 } else { 1 };
        // The header (cch, flags) and the first character never split.
        if self.free() < 3 + if cch > 0 { size } else { 0 } {
            self.close();
            self.open(id::CONTINUE);
        }
        let pos = (self.out.len() as u32, self.rec_hdr as u32);
        self.out.extend_from_slice(&(cch as u16).to_le_bytes());
        self.out.push(u8::from(high));
        let mut rest: &[u8] = &bytes;
        loop {
            let take = (self.free() / size * size).min(rest.len());
            let (now, later) = rest.split_at(take);
            self.out.extend_from_slice(now);
            rest = later;
            if rest.is_empty() {
                break;
            }
            // Characters go on in a CONTINUE that starts with the fHighByte flag.
            self.close();
            self.open(id::CONTINUE);
            self.out.push(u8::from(high));
        }
        pos
    }
}

/// Strings per EXTSST bucket: at least 8, and never more than 128 buckets.
pub fn bucket_size(n: usize) -> usize {
    n.div_ceil(128).max(8)
}

/// Writes an EXTSST record for strings starting at the given (start, record header) positions.
pub fn write_extsst(out: &mut Vec<u8>, starts: &[(u32, u32)]) {
    let dsst = bucket_size(starts.len());
    let mut payload = Vec::with_capacity(2 + 8 * starts.len().div_ceil(dsst));
    payload.extend_from_slice(&(dsst as u16).to_le_bytes());
    for &(start, rec) in starts.iter().step_by(dsst) {
        payload.extend_from_slice(&start.to_le_bytes());
        payload.extend_from_slice(&((start - rec) as u16).to_le_bytes());
        payload.extend_from_slice(&[0, 0]);
    }
    super::records::push_record(out, id::EXTSST, &payload);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::records::record_at;

    fn scan_all(stream: &[u8]) -> Vec<Rec> {
        let mut recs = Vec::new();
        let mut pos = 0;
        while let Ok(Some(r)) = record_at(stream, pos) {
            recs.push(r);
            pos = r.end();
        }
        recs
    }

    fn build(strings: &[String]) -> Vec<u8> {
        let empty = Sst::default();
        let mut out = Vec::new();
        empty.write_with_appended(&mut out, &[], &[], strings, strings.len() as u32);
        out
    }

    #[test]
    fn long_strings_split_into_continue_records_and_read_back() {
        let strings: Vec<String> = vec![
            "short".into(),
            "Ё".repeat(5000),
            "x".repeat(9000),
            "Пётр Latin 李".repeat(700),
            String::new(),
            "end".into(),
        ];
        let stream = build(&strings);
        let recs = scan_all(&stream);
        assert!(recs.iter().filter(|r| r.id == id::CONTINUE).count() >= 3);
        assert!(recs.iter().all(|r| r.len as usize <= MAX_RECORD_DATA));
        let sst_recs: Vec<Rec> = recs
            .iter()
            .copied()
            .filter(|r| r.id != id::EXTSST)
            .collect();
        let sst = Sst::parse(&stream, &sst_recs, 0).unwrap_or_default();
        let texts: Vec<&str> = sst.strings.iter().map(|s| &*s.text).collect();
        let want: Vec<&str> = strings.iter().map(String::as_str).collect();
        assert_eq!(texts, want);
        assert_eq!(sst.total, strings.len() as u32);
        // The light form finds the same strings (the long ones run over into CONTINUE
        // records and are decoded, the others are compared where they lie).
        let light = SstTexts::parse(&stream, &sst_recs).unwrap_or_default();
        assert_eq!(light.len(), want.len());
        for (i, w) in want.iter().enumerate() {
            let got = light.get(i as u32);
            assert!(got.is_some_and(|g| g.eq_str(w)), "string {i}");
            assert_eq!(got.map(|g| g.is_empty()), Some(w.is_empty()));
            let other = format!("{w}!");
            assert!(!got.is_some_and(|g| g.eq_str(&other)), "string {i}");
        }
        assert!(light.get(want.len() as u32).is_none());
        // EXTSST points at the first string of each bucket.
        let ext = recs
            .iter()
            .find(|r| r.id == id::EXTSST)
            .map(|r| r.data(&stream));
        let ext = ext.unwrap_or(&[]);
        assert_eq!(u32_at(ext, 2), Some(sst.strings[0].start));
        assert_eq!(crate::records::u16_at(ext, 6), Some(12));
    }

    #[test]
    fn a_header_never_splits_from_its_first_character() {
        // Fill the first record so that only 4 bytes stay free: a UTF-16 string must move on.
        let filler = "a".repeat(MAX_RECORD_DATA - 8 - 3 - 4);
        let strings = vec![filler, "Ж".into()];
        let stream = build(&strings);
        let recs = scan_all(&stream);
        assert_eq!(recs[0].len as usize, MAX_RECORD_DATA - 4);
        assert_eq!(recs[1].id, id::CONTINUE);
        // The CONTINUE starts with the new string's cch, not a flag byte.
        assert_eq!(recs[1].data(&stream).get(..3), Some(&[1u8, 0, 1][..]));
    }

    #[test]
    fn bucket_sizes() {
        assert_eq!(bucket_size(0), 8);
        assert_eq!(bucket_size(1000), 8);
        assert_eq!(bucket_size(1025), 9);
        assert_eq!(bucket_size(2621), 21);
    }
}
