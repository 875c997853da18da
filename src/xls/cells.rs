//! Reading cell values straight from the record index: LABELSST, LABEL, RSTRING, NUMBER, RK,
//! MULRK, BOOLERR and FORMULA results, with dates recognised by their cell format. Faster and
//! lighter than a general reader (no dense grid is ever allocated), and every coordinate is
//! bounds-checked. The tests hold it to calamine's reading of every fixture.

use std::collections::BTreeMap;

use super::error::XlsError;
use super::records::{Rec, decode_chars, id, u16_at, u32_at};
use super::workbook::Workbook;

/// A value as read from a cell record.
#[derive(Debug, Clone, PartialEq)]
pub enum RawValue {
    Text(String),
    Number(f64),
    /// A number whose cell format is a date or time format.
    Date(f64),
    Bool(bool),
    /// The error's text: `#N/A`, `#DIV/0!`…
    Error(&'static str),
}

/// One sheet's non-empty cells: `rows[r]` holds row `r`'s cells by column, each cell once.
pub type SheetCells = Vec<Vec<(u32, RawValue)>>;

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

/// Reads the cells of every sheet (chart and macro sheets come back empty).
pub fn read_cells(wb: &Workbook) -> Result<Vec<SheetCells>, XlsError> {
    let dates = date_xfs(wb);
    let is_date = |xf: u16| dates.get(usize::from(xf)).copied().unwrap_or(false);
    let mut out = Vec::with_capacity(wb.sheets.len());
    for sheet in &wb.sheets {
        if sheet.kind != 0 {
            out.push(SheetCells::new());
            continue;
        }
        let mut rows: SheetCells = Vec::new();
        let recs = &sheet.recs;
        let mut depth = 0usize;
        for (k, r) in recs.iter().enumerate() {
            // Substreams nested in the sheet (charts) are not its cells.
            match r.id {
                id::BOF => {
                    depth += 1;
                    continue;
                }
                id::EOF => {
                    depth = depth.saturating_sub(1);
                    continue;
                }
                _ if depth > 1 => continue,
                _ => {}
            }
            read_record(wb, recs, k, *r, &is_date, &mut rows);
        }
        for row in &mut rows {
            // Cells usually come in column order; a later record for the same cell wins, as
            // in Excel (the sort is stable, so the later one stays last).
            if !row.is_sorted_by(|a, b| a.0 < b.0) {
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
            row.shrink_to_fit();
        }
        out.push(rows);
    }
    Ok(out)
}

fn read_record(
    wb: &Workbook,
    recs: &[Rec],
    k: usize,
    r: Rec,
    is_date: &dyn Fn(u16) -> bool,
    rows: &mut SheetCells,
) {
    let d = r.data(&wb.stream);
    let (Some(row), Some(col), Some(xf)) = (u16_at(d, 0), u16_at(d, 2), u16_at(d, 4)) else {
        return;
    };
    let at = (u32::from(row), u32::from(col));
    let number = |v: f64, xf: u16| {
        if is_date(xf) {
            RawValue::Date(v)
        } else {
            RawValue::Number(v)
        }
    };
    let mut push = |(r, c): (u32, u32), v: RawValue| {
        if matches!(&v, RawValue::Text(t) if t.is_empty()) {
            return;
        }
        // A BIFF8 row number is 16 bits: at most 65,536 rows.
        let r = r as usize;
        if rows.len() <= r {
            rows.resize_with(r + 1, Vec::new);
        }
        if let Some(row) = rows.get_mut(r) {
            row.push((c, v));
        }
    };
    match r.id {
        id::LABELSST => {
            if let Some(t) = u32_at(d, 6).and_then(|i| wb.sst_text(i)) {
                push(at, RawValue::Text(t.to_string()));
            }
        }
        id::LABEL | id::RSTRING => {
            if let Some(t) = unicode_string(d, 6) {
                push(at, RawValue::Text(t));
            }
        }
        id::NUMBER => {
            if let Some(b) = d.get(6..14) {
                let mut a = [0u8; 8];
                a.copy_from_slice(b);
                push(at, number(f64::from_le_bytes(a), xf));
            }
        }
        id::RK => {
            if let Some(rk) = u32_at(d, 6) {
                push(at, number(rk_value(rk), xf));
            }
        }
        id::MULRK => {
            // row, first col, then (xf u16, rk u32) per cell, then last col.
            let n = d.len().saturating_sub(6) / 6;
            for i in 0..n {
                let base = 4 + i * 6;
                if let (Some(xf), Some(rk)) = (u16_at(d, base), u32_at(d, base + 2)) {
                    let c = u32::from(col) + i as u32;
                    push((u32::from(row), c), number(rk_value(rk), xf));
                }
            }
        }
        id::BOOLERR => {
            if let (Some(&v), Some(&err)) = (d.get(6), d.get(7)) {
                push(
                    at,
                    if err != 0 {
                        RawValue::Error(error_text(v))
                    } else {
                        RawValue::Bool(v != 0)
                    },
                );
            }
        }
        id::FORMULA => {
            let Some(res) = d.get(6..14) else { return };
            if res[6] == 0xFF && res[7] == 0xFF {
                match res[0] {
                    // A string result follows in a STRING record.
                    0 => {
                        let text = recs
                            .get(k + 1)
                            .filter(|n| n.id == id::STRING)
                            .and_then(|n| unicode_string(n.data(&wb.stream), 0));
                        if let Some(t) = text {
                            push(at, RawValue::Text(t));
                        }
                    }
                    1 => push(at, RawValue::Bool(res[2] != 0)),
                    2 => push(at, RawValue::Error(error_text(res[2]))),
                    _ => {}
                }
            } else {
                let mut a = [0u8; 8];
                a.copy_from_slice(res);
                push(at, number(f64::from_le_bytes(a), xf));
            }
        }
        _ => {}
    }
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

    #[test]
    fn rk_numbers() {
        assert_eq!(rk_value((123 << 2) | 0x02), 123.0);
        assert_eq!(rk_value((12345 << 2) | 0x03), 123.45);
        let bits = 2.5f64.to_bits();
        assert_eq!(rk_value((bits >> 32) as u32), 2.5);
    }
}
