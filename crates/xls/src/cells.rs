//! Reading cell values straight from the record index: LABELSST, LABEL, RSTRING, NUMBER, RK,
//! MULRK, BOOLERR and FORMULA results, with dates recognised by their cell format. Faster and
//! lighter than a general reader (no dense grid is ever allocated), and every coordinate is
//! bounds-checked. The tests hold it to calamine's reading of every fixture.

use std::collections::{BTreeMap, BTreeSet};

use super::error::XlsError;
use super::records::{Rec, decode_chars, id, u16_at, u32_at};
use super::workbook::{SHEET_KIND_WORKSHEET, SheetEntry, Workbook, outside_error, outside_sheet};

/// A value as a cell record holds it: text of the shared string table by its index.
#[derive(Debug, Clone, PartialEq)]
pub enum RecValue {
    /// LABELSST: the index into the SST.
    Sst(u32),
    /// LABEL, RSTRING or a formula's string result.
    Text(String),
    /// NUMBER, RK, MULRK or a formula's number result, in a format that is not a date.
    Number(f64),
    /// A number in a date format: Excel's serial day number as stored, in the workbook's date
    /// system ([`dates_from_1904`]).
    Date(f64),
    /// BOOLERR or a formula's boolean result.
    Bool(bool),
    /// BOOLERR or a formula's error result, as Excel shows it (`#N/A`, `#DIV/0!`, …).
    Error(&'static str),
}

/// One sheet's non-empty cells: `rows[r]` holds row `r`'s cells by column, each cell once.
pub type SheetRows<V> = Vec<Vec<(u32, V)>>;

/// Which extended formats (XF indexes) of a workbook show numbers as dates.
pub struct DateFormats(Vec<bool>);

impl DateFormats {
    /// Reads which formats of `wb` show dates, from its XF and FORMAT records.
    pub fn of(wb: &Workbook) -> DateFormats {
        DateFormats(date_xfs(wb))
    }

    /// Does the format `xf` show numbers as dates?
    pub fn is_date(&self, xf: u16) -> bool {
        self.0.get(usize::from(xf)).copied().unwrap_or(false)
    }
}

const XF: u16 = 0x00E0;
const FORMAT: u16 = 0x041E;

/// Which extended formats (XF indexes) show numbers as dates.
fn date_xfs(wb: &Workbook) -> Vec<bool> {
    let mut custom: BTreeMap<u16, bool> = BTreeMap::new();
    for r in wb.globals.iter().filter(|r| r.id == FORMAT) {
        let d = r.data(&wb.stream);
        let (Some(ifmt), Some(cch)) = (u16_at(d, 0), u16_at(d, 2)) else {
            continue;
        };
        let high = d.get(4).is_some_and(|f| f & 1 != 0);
        let code = d
            .get(5..)
            .and_then(|b| decode_chars(b, usize::from(cch), high))
            .unwrap_or_default();
        custom.insert(ifmt, is_date_format(&code));
    }
    wb.globals
        .iter()
        .filter(|r| r.id == XF)
        .map(|r| {
            let ifmt = u16_at(r.data(&wb.stream), 2).unwrap_or(0);
            match custom.get(&ifmt) {
                Some(&date) => date,
                None => is_builtin_date(ifmt),
            }
        })
        .collect()
}

/// Does the workbook count dates from 1904 (DATEMODE, as old Mac Excel did) rather than 1900?
pub fn dates_from_1904(wb: &Workbook) -> bool {
    const DATEMODE: u16 = 0x0022;
    wb.globals
        .iter()
        .find(|r| r.id == DATEMODE)
        .and_then(|r| u16_at(r.data(&wb.stream), 0))
        .is_some_and(|v| v == 1)
}

/// What a writer needs to know of a worksheet beyond its values.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct SheetFacts {
    /// Per column, the format (XF index) its date cells use most often (of equally common
    /// ones, the lowest): the format a date written into that column takes.
    pub date_xfs: BTreeMap<u32, u16>,
    /// Cells holding a formula whose last result is empty text: they show nothing, yet are
    /// not empty (the formula is there, and Excel or POI read it).
    pub empty_formulas: BTreeSet<(u32, u32)>,
    /// Columns the sheet hides (COLINFO `fHidden`), 0-based.
    pub hidden_columns: BTreeSet<u32>,
}

/// Reads a worksheet's [`SheetFacts`] in one walk of its records.
pub fn sheet_facts(
    wb: &Workbook,
    sheet: &SheetEntry,
    dates: &DateFormats,
) -> Result<SheetFacts, XlsError> {
    let mut counts: BTreeMap<(u32, u16), usize> = BTreeMap::new();
    let mut facts = SheetFacts::default();
    let mut depth = 0usize;
    // A formula whose text result comes in the next STRING record.
    let mut pending: Option<(u32, u32)> = None;
    let mut count = |col: u32, xf: u16| {
        if dates.is_date(xf) {
            *counts.entry((col, xf)).or_default() += 1;
        }
    };
    wb.each_record(sheet, |r| {
        let d = r.data(&wb.stream);
        let waiting = pending.take();
        match r.id {
            id::BOF => depth += 1,
            id::EOF => depth = depth.saturating_sub(1),
            _ if depth > 1 => {}
            id::SHRFMLA | id::ARRAY | id::TABLE => pending = waiting,
            id::COLINFO => {
                let (Some(first), Some(last), Some(flags)) =
                    (u16_at(d, 0), u16_at(d, 2), u16_at(d, 8))
                else {
                    return;
                };
                if flags & 0x0001 != 0 {
                    facts
                        .hidden_columns
                        .extend(u32::from(first)..=u32::from(last.min(255)));
                }
            }
            id::STRING => {
                let empty = u16_at(d, 0) == Some(0);
                if let (Some(at), true) = (waiting, empty) {
                    facts.empty_formulas.insert(at);
                }
            }
            id::NUMBER | id::RK => {
                if let (Some(col), Some(xf)) = (u16_at(d, 2), u16_at(d, 4)) {
                    count(u32::from(col), xf);
                }
            }
            id::FORMULA | id::FORMULA_BIFF4 => {
                let (Some(row), Some(col), Some(xf)) = (u16_at(d, 0), u16_at(d, 2), u16_at(d, 4))
                else {
                    return;
                };
                let at = (u32::from(row), u32::from(col));
                if d.get(12..14) != Some(&[0xFF, 0xFF][..]) {
                    count(at.1, xf);
                } else {
                    match d.get(6) {
                        Some(0) => pending = Some(at),
                        Some(3) => {
                            facts.empty_formulas.insert(at);
                        }
                        _ => {}
                    }
                }
            }
            id::MULRK => {
                let first = u32::from(u16_at(d, 2).unwrap_or(0));
                let n = d.len().saturating_sub(6) / 6;
                for i in 0..n {
                    if let Some(xf) = u16_at(d, 4 + i * 6) {
                        count(first + i as u32, xf);
                    }
                }
            }
            _ => {}
        }
    })?;
    let mut best: BTreeMap<u32, (usize, u16)> = BTreeMap::new();
    for ((col, xf), n) in counts {
        let slot = best.entry(col).or_insert((n, xf));
        if n > slot.0 {
            *slot = (n, xf);
        }
    }
    facts.date_xfs = best.into_iter().map(|(c, (_, xf))| (c, xf)).collect();
    Ok(facts)
}

/// Built-in number formats that show dates or times.
fn is_builtin_date(ifmt: u16) -> bool {
    matches!(ifmt, 14..=22 | 27..=36 | 45..=47 | 50..=58)
}

/// Does a number format code show a date or time? Quoted text, escaped characters and
/// bracketed sections (colours, locales) do not count; elapsed-time formats do.
pub fn is_date_format(code: &str) -> bool {
    let lower = code.to_lowercase();
    if lower.contains("[h") || lower.contains("[m") || lower.contains("[s") {
        return true;
    }
    let mut chars = lower.chars();
    let mut in_quotes = false;
    let mut in_brackets = false;
    while let Some(c) = chars.next() {
        match c {
            '"' => in_quotes = !in_quotes,
            _ if in_quotes => {}
            '\\' | '_' | '*' => {
                chars.next();
            }
            '[' => in_brackets = true,
            ']' => in_brackets = false,
            _ if in_brackets => {}
            ';' => break,
            'd' | 'm' | 'y' | 'h' | 's' => return true,
            _ => {}
        }
    }
    false
}

fn rk_value(rk: u32) -> f64 {
    let v = if rk & 0x02 != 0 {
        f64::from((rk as i32) >> 2)
    } else {
        f64::from_bits(u64::from(rk & 0xFFFF_FFFC) << 32)
    };
    if rk & 0x01 != 0 { v / 100.0 } else { v }
}

fn error_text(code: u8) -> &'static str {
    match code {
        0x00 => "#NULL!",
        0x07 => "#DIV/0!",
        0x0F => "#VALUE!",
        0x17 => "#REF!",
        0x1D => "#NAME?",
        0x24 => "#NUM!",
        _ => "#N/A",
    }
}

/// Reads an XLUnicodeString (`cch` u16, flags, characters) at `at`.
fn unicode_string(d: &[u8], at: usize) -> Option<String> {
    let cch = usize::from(u16_at(d, at)?);
    let high = d.get(at + 2)? & 1 != 0;
    decode_chars(d.get(at + 3..)?, cch, high)
}

/// Calls `each(row, col, value)` for every cell record of a worksheet's own substream (not of
/// charts embedded in it), in record order; a MULRK gives one call per cell. Chart and macro
/// sheets have no cells. A record beyond the 65,536 × 256 cells of a BIFF8 sheet (in any
/// sheet) refuses the file: a reader trusting it would allocate billions of cells.
pub fn visit_cells(
    wb: &Workbook,
    sheet: &SheetEntry,
    dates: &DateFormats,
    mut each: impl FnMut(u32, u32, RecValue),
) -> Result<(), XlsError> {
    let mut reader = CellReader::default();
    let mut read = Ok(());
    wb.each_record(sheet, |r| {
        if read.is_ok() {
            read = reader.feed_checked(wb, sheet, r, dates, &mut each);
        }
    })?;
    read.map_err(|r| outside_error(sheet, r))
}

/// Reads cells from a worksheet's records fed one by one, in stream order.
#[derive(Debug, Default)]
pub struct CellReader {
    /// BOF/EOF nesting: records of charts embedded in the sheet are not its cells.
    depth: usize,
    /// A formula whose string result comes in the next record (STRING).
    pending: Option<(u32, u32)>,
}

impl CellReader {
    /// Reads the next record of `sheet` (see [`CellReader::feed`]); a record beyond the BIFF8
    /// sheet is returned as the error. Chart and macro sheets give no cells.
    fn feed_checked(
        &mut self,
        wb: &Workbook,
        sheet: &SheetEntry,
        r: Rec,
        dates: &DateFormats,
        each: &mut impl FnMut(u32, u32, RecValue),
    ) -> Result<(), Rec> {
        if outside_sheet(r, r.data(&wb.stream)) {
            return Err(r);
        }
        if sheet.kind == SHEET_KIND_WORKSHEET {
            self.feed(&wb.stream, r, dates, each);
        }
        Ok(())
    }

    /// Reads the next record of the substream: calls `each(row, col, value)` for its cells.
    pub fn feed(
        &mut self,
        stream: &[u8],
        r: Rec,
        dates: &DateFormats,
        each: &mut impl FnMut(u32, u32, RecValue),
    ) {
        let waiting = self.pending.take();
        match r.id {
            id::BOF => self.depth += 1,
            id::EOF => self.depth = self.depth.saturating_sub(1),
            _ if self.depth > 1 => {}
            // A shared, array or table formula's own record comes between the formula and the
            // STRING record holding its text result.
            id::SHRFMLA | id::ARRAY | id::TABLE => self.pending = waiting,
            id::STRING => {
                if let (Some((row, col)), Some(t)) = (waiting, unicode_string(r.data(stream), 0)) {
                    each(row, col, RecValue::Text(t));
                }
            }
            _ => self.pending = read_record(stream, r, dates, each),
        }
    }
}

/// Sorts a row read in record order by column; of two records for one cell the later wins,
/// as in Excel.
pub fn settle_row<V>(row: &mut Vec<(u32, V)>) {
    if !row.is_sorted_by(|a, b| a.0 < b.0) {
        // Stable: the later record for a column stays last.
        row.sort_by_key(|(c, _)| *c);
        row.dedup_by(|later, kept| {
            if later.0 == kept.0 {
                std::mem::swap(&mut later.1, &mut kept.1);
                true
            } else {
                false
            }
        });
    }
}

/// Reads the cells of every sheet as `value` makes them (`None` leaves a cell out); chart and
/// macro sheets come back empty. A large sheet is read in parts, one per core.
pub fn read_cells_as<V: Send>(
    wb: &Workbook,
    value: impl Fn(RecValue) -> Option<V> + Sync,
) -> Result<Vec<SheetRows<V>>, XlsError> {
    let dates = DateFormats::of(wb);
    let mut out = Vec::with_capacity(wb.sheets.len());
    for sheet in &wb.sheets {
        let mut rows = if sheet.recs.is_empty() {
            // Records not indexed: one walk.
            let mut part = Part::default();
            visit_cells(wb, sheet, &dates, |r, c, v| part.push(r, c, value(v)))?;
            part.rows
        } else {
            let parts = std::thread::available_parallelism()
                .map_or(1, |n| n.get())
                .clamp(1, 4)
                .min(sheet.recs.len() / 100_000 + 1);
            read_in_parts(wb, sheet, &dates, &value, parts)?
        };
        for row in &mut rows {
            settle_row(row);
            row.shrink_to_fit();
        }
        out.push(rows);
    }
    Ok(out)
}

/// The rows read from a run of records.
struct Part<V> {
    rows: SheetRows<V>,
    /// A new row starts with room for as many cells as the row before it had.
    last_len: usize,
}

impl<V> Default for Part<V> {
    fn default() -> Self {
        Part {
            rows: Vec::new(),
            last_len: 0,
        }
    }
}

impl<V> Part<V> {
    fn push(&mut self, r: u32, c: u32, v: Option<V>) {
        let Some(v) = v else { return };
        // A BIFF8 row number is 16 bits: at most 65,536 rows.
        let r = r as usize;
        if self.rows.len() <= r {
            self.rows.resize_with(r + 1, Vec::new);
        }
        if let Some(row) = self.rows.get_mut(r) {
            if row.capacity() == 0 {
                row.reserve_exact(self.last_len.max(1));
            }
            row.push((c, v));
            self.last_len = row.len();
        }
    }

    /// Adds the rows read from the records after this part's (their cells come later).
    fn append(&mut self, later: Part<V>) {
        if self.rows.len() < later.rows.len() {
            self.rows.resize_with(later.rows.len(), Vec::new);
        }
        for (mine, theirs) in self.rows.iter_mut().zip(later.rows) {
            if mine.is_empty() {
                *mine = theirs;
            } else {
                mine.extend(theirs);
            }
        }
    }
}

/// Reads an indexed sheet's cells in parts cut at ROW records of the sheet itself, each part
/// on its own thread; the parts' rows are joined in record order.
fn read_in_parts<V: Send>(
    wb: &Workbook,
    sheet: &SheetEntry,
    dates: &DateFormats,
    value: &(impl Fn(RecValue) -> Option<V> + Sync),
    parts: usize,
) -> Result<SheetRows<V>, XlsError> {
    let recs = sheet.recs.as_slice();
    let parts = parts.max(1);
    // Where each part starts: the first ROW record of the sheet (not of an embedded chart) at
    // or after its share.
    let mut cuts = vec![0usize];
    let mut depth = 0usize;
    for (i, r) in recs.iter().enumerate() {
        let next = cuts.len() * recs.len() / parts;
        if cuts.len() < parts && i >= next && depth == 1 && r.id == id::ROW {
            cuts.push(i);
        }
        match r.id {
            id::BOF => depth += 1,
            id::EOF => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    cuts.push(recs.len());
    let read = |first: usize, part_recs: &[Rec]| -> Result<Part<V>, Rec> {
        let mut part = Part::default();
        // A part after the first starts inside the sheet's own substream.
        let mut reader = CellReader {
            depth: usize::from(first > 0),
            pending: None,
        };
        let mut each = |r, c, v| part.push(r, c, value(v));
        for &r in part_recs {
            reader.feed_checked(wb, sheet, r, dates, &mut each)?;
        }
        Ok(part)
    };
    let results: Vec<Result<Part<V>, Rec>> = std::thread::scope(|scope| {
        let handles: Vec<_> = cuts
            .windows(2)
            .map(|w| match w {
                [a, b] => (*a, recs.get(*a..*b).unwrap_or(&[])),
                _ => (0, &[][..]),
            })
            .map(|(first, part)| (first, part, scope.spawn(move || read(first, part))))
            .collect();
        handles
            .into_iter()
            // A part whose thread failed is read again here.
            .map(|(first, part, h)| h.join().unwrap_or_else(|_| read(first, part)))
            .collect()
    });
    let mut whole = Part::default();
    for part in results {
        whole.append(part.map_err(|r| outside_error(sheet, r))?);
    }
    Ok(whole.rows)
}

/// Reads one record's cells; returns the cell of a formula whose string result follows in a
/// STRING record.
fn read_record(
    stream: &[u8],
    r: Rec,
    dates: &DateFormats,
    push: &mut impl FnMut(u32, u32, RecValue),
) -> Option<(u32, u32)> {
    let d = r.data(stream);
    let (Some(row), Some(col), Some(xf)) = (u16_at(d, 0), u16_at(d, 2), u16_at(d, 4)) else {
        return None;
    };
    let (row, col32) = (u32::from(row), u32::from(col));
    let number = |v: f64, xf: u16| {
        if dates.is_date(xf) {
            RecValue::Date(v)
        } else {
            RecValue::Number(v)
        }
    };
    match r.id {
        id::LABELSST => {
            if let Some(i) = u32_at(d, 6) {
                push(row, col32, RecValue::Sst(i));
            }
        }
        id::LABEL | id::RSTRING => {
            if let Some(t) = unicode_string(d, 6) {
                push(row, col32, RecValue::Text(t));
            }
        }
        id::NUMBER => {
            if let Some(b) = f64_at(d, 6) {
                push(row, col32, number(b, xf));
            }
        }
        id::RK => {
            if let Some(rk) = u32_at(d, 6) {
                push(row, col32, number(rk_value(rk), xf));
            }
        }
        id::MULRK => {
            // row, first col, then (xf u16, rk u32) per cell, then last col.
            let n = d.len().saturating_sub(6) / 6;
            for i in 0..n {
                let base = 4 + i * 6;
                if let (Some(xf), Some(rk)) = (u16_at(d, base), u32_at(d, base + 2)) {
                    push(row, col32 + i as u32, number(rk_value(rk), xf));
                }
            }
        }
        id::BOOLERR => {
            if let (Some(&v), Some(&err)) = (d.get(6), d.get(7)) {
                let value = if err != 0 {
                    RecValue::Error(error_text(v))
                } else {
                    RecValue::Bool(v != 0)
                };
                push(row, col32, value);
            }
        }
        id::FORMULA | id::FORMULA_BIFF4 => {
            // The result: a number, or a type byte and 0xFFFF in the last two bytes.
            let res = d.get(6..14)?;
            if res.get(6..8) != Some(&[0xFF, 0xFF][..]) {
                if let Some(v) = f64_at(d, 6) {
                    push(row, col32, number(v, xf));
                }
                return None;
            }
            let value = res.get(2).copied().unwrap_or(0);
            match res.first().copied().unwrap_or(0xFF) {
                // A string result follows in a STRING record.
                0 => return Some((row, col32)),
                1 => push(row, col32, RecValue::Bool(value != 0)),
                2 => push(row, col32, RecValue::Error(error_text(value))),
                _ => {}
            }
        }
        _ => {}
    }
    None
}

/// Little-endian f64 at `at`, if there.
fn f64_at(d: &[u8], at: usize) -> Option<f64> {
    let bytes: [u8; 8] = d.get(at..at.checked_add(8)?)?.try_into().ok()?;
    Some(f64::from_le_bytes(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_formats() {
        for code in [
            "dd.mm.yyyy",
            "DD/MM/YY",
            "d\\.m\\.yyyy",
            "h:mm",
            "[h]:mm:ss",
            "yyyy-mm-dd;@",
            "[$-419]d mmmm yyyy",
        ] {
            assert!(is_date_format(code), "{code}");
        }
        for code in [
            "General",
            "0.00",
            "#,##0",
            "\"руб.\" 0",
            "[Red]0.00",
            "@",
            "0%",
        ] {
            assert!(!is_date_format(code), "{code}");
        }
        assert!(is_builtin_date(14) && !is_builtin_date(49) && !is_builtin_date(0));
    }

    /// A sheet read in parts on several threads reads as it does in one walk.
    #[test]
    fn parts_read_as_one_walk() {
        use crate::fresh::{FreshCell, FreshSheet, workbook_stream};
        let mut cells = Vec::new();
        for r in 0..3_000u32 {
            for c in 0..7u32 {
                let cell = match c {
                    0 => FreshCell::Number(f64::from(r)),
                    1 => FreshCell::Date(40_000.0 + f64::from(r)),
                    _ => FreshCell::Text(format!("ячейка {r}:{c}")),
                };
                cells.push((r, c, cell));
            }
        }
        let sheet = FreshSheet {
            name: "Лист".into(),
            cells,
        };
        let stream = workbook_stream(&[sheet]).unwrap_or_default();
        let indexed = Workbook::parse(stream.clone()).unwrap_or_else(|e| panic!("{e}"));
        let light = Workbook::parse_light(stream).unwrap_or_else(|e| panic!("{e}"));
        let dates = DateFormats::of(&indexed);
        let text = |wb: &Workbook, v: RecValue| match v {
            RecValue::Sst(i) => Some(wb.sst_text(i)?.to_string()),
            RecValue::Date(_) => Some("date".to_string()),
            _ => Some("other".to_string()),
        };
        let mut whole = Part::default();
        visit_cells(&light, &light.sheets[0], &dates, |r, c, v| {
            whole.push(r, c, text(&indexed, v));
        })
        .unwrap_or_else(|e| panic!("{e}"));
        for parts in [1, 2, 3, 5] {
            let got = read_in_parts(
                &indexed,
                &indexed.sheets[0],
                &dates,
                &|v| text(&indexed, v),
                parts,
            )
            .unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(got, whole.rows, "{parts} parts");
        }
        assert_eq!(whole.rows.len(), 3_000);
        assert!(whole.rows.iter().all(|r| r.len() == 7));
    }

    #[test]
    fn rk_numbers() {
        assert_eq!(rk_value((123 << 2) | 0x02), 123.0);
        assert_eq!(rk_value((12345 << 2) | 0x03), 123.45);
        let bits = 2.5f64.to_bits();
        assert_eq!(rk_value((bits >> 32) as u32), 2.5);
    }
}
