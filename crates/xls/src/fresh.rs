//! A fresh BIFF8 workbook for sources that are not Excel 97-2003 (an `.xlsx` or `.ods` the
//! officer saved by mistake). СГО re-imports only `.xls`, so such a file is rewritten as a new
//! BIFF8 workbook: the same sheets in the same order, every cell at its place, text as text
//! (digits included), dates as dates with a `dd.mm.yyyy` format, numbers as numbers.
//!
//! Formatting of the source (fonts, widths, colours) is not carried over; the layout of the
//! data is.

use super::container::Container;
use super::error::XlsError;
use super::records::{MAX_RECORD_DATA, id, push_record};
use super::sst::Sst;

/// Rows a BIFF8 sheet can hold.
pub const MAX_ROWS: usize = 65_536;
/// Columns a BIFF8 sheet can hold.
pub const MAX_COLS: usize = 256;
/// Characters (UTF-16 units) a BIFF8 cell can hold.
pub const MAX_TEXT: usize = 32_767;

/// A cell value to write.
#[derive(Debug, Clone, PartialEq)]
pub enum FreshCell {
    /// Text, written as a LABELSST cell in the text format `@`, even if it looks like a number.
    Text(String),
    /// A number, in the General format.
    Number(f64),
    /// An Excel 1900 serial, written with the `dd.mm.yyyy` format.
    Date(f64),
    /// A boolean (BOOLERR).
    Bool(bool),
    /// An error code as Excel writes it (`#N/A` is 0x2A).
    Error(u8),
}

/// One worksheet to write: its name and its non-empty cells, (row, col) 0-based.
#[derive(Debug, Clone, Default)]
pub struct FreshSheet {
    /// The sheet's name; characters Excel forbids become `_`, and the name is cut to 31
    /// characters and made unique.
    pub name: String,
    /// The cells as (row, column, value).
    pub cells: Vec<(u32, u32, FreshCell)>,
}

/// Extended formats written: index of the default cell format, the date format and text.
const XF_GENERAL: u16 = 15;
const XF_DATE: u16 = 16;
const XF_TEXT: u16 = 17;
/// Number format id of `dd.mm.yyyy` (custom formats start at 164).
const FMT_DATE: u16 = 164;
/// Built-in number format `@` (text).
const FMT_TEXT: u16 = 49;

/// Writes the sheets as a complete `.xls` file (compound file with a `Workbook` stream).
pub fn write(sheets: &[FreshSheet]) -> Result<Vec<u8>, XlsError> {
    let stream = workbook_stream(sheets)?;
    Container::fresh(&stream)
}

/// Builds the `Workbook` stream: globals, then one substream per sheet.
pub fn workbook_stream(sheets: &[FreshSheet]) -> Result<Vec<u8>, XlsError> {
    if sheets.is_empty() {
        return Err(XlsError::Empty);
    }
    let names = sheet_names(sheets);
    for s in sheets {
        check_limits(s)?;
    }

    // Shared strings, in order of first use.
    let mut strings: Vec<String> = Vec::new();
    let mut index: std::collections::HashMap<&str, u32> = std::collections::HashMap::new();
    let mut total = 0u32;
    for s in sheets {
        for (_, _, v) in &s.cells {
            if let FreshCell::Text(t) = v {
                total = total.saturating_add(1);
                if !index.contains_key(t.as_str()) {
                    index.insert(t.as_str(), strings.len() as u32);
                    strings.push(t.clone());
                }
            }
        }
    }

    let mut out = Vec::new();
    push_record(&mut out, id::BOF, &bof(0x0005));
    push_record(&mut out, id::CODEPAGE, &1200u16.to_le_bytes());
    push_record(&mut out, WINDOW1, &window1());
    push_record(&mut out, DATEMODE, &0u16.to_le_bytes());
    for _ in 0..4 {
        push_record(&mut out, FONT, &font("Arial"));
    }
    push_record(&mut out, FORMAT, &format_record(FMT_DATE, "dd\\.mm\\.yyyy"));
    for i in 0..15u16 {
        push_record(&mut out, XF, &xf_style(i));
    }
    push_record(&mut out, XF, &xf_cell(0, 0x00));
    push_record(&mut out, XF, &xf_cell(FMT_DATE, 0x04));
    push_record(&mut out, XF, &xf_cell(FMT_TEXT, 0x04));
    push_record(&mut out, STYLE, &[0x00, 0x80, 0x00, 0xFF]);
    let mut boundsheet_at = Vec::with_capacity(sheets.len());
    for name in &names {
        boundsheet_at.push(out.len() + 4);
        push_record(&mut out, id::BOUNDSHEET, &boundsheet(name));
    }
    let sst = Sst::default();
    sst.write_with_appended(&mut out, &[], &[], &strings, total);
    push_record(&mut out, id::EOF, &[]);

    for (i, sheet) in sheets.iter().enumerate() {
        let pos = out.len() as u32;
        if let Some(at) = boundsheet_at.get(i) {
            super::records::put_u32(&mut out, *at, pos);
        }
        write_sheet(&mut out, sheet, &index, i == 0);
    }
    Ok(out)
}

fn check_limits(sheet: &FreshSheet) -> Result<(), XlsError> {
    let rows = sheet
        .cells
        .iter()
        .map(|&(r, _, _)| r as usize + 1)
        .max()
        .unwrap_or(0);
    if rows > MAX_ROWS {
        return Err(XlsError::TooManyRows {
            sheet: sheet.name.clone(),
            rows,
        });
    }
    for (r, c, v) in &sheet.cells {
        if *c as usize >= MAX_COLS {
            return Err(XlsError::CellOutOfRange {
                cell: crate::address::a1(*r, *c),
            });
        }
        if let FreshCell::Text(t) = v {
            let len = t.encode_utf16().count();
            if len > MAX_TEXT {
                return Err(XlsError::TextTooLong {
                    cell: crate::address::a1(*r, *c),
                    len,
                });
            }
        }
    }
    Ok(())
}

/// Sheet names as BIFF8 allows them: at most 31 characters, none of `:\/?*[]`, unique
/// (case-insensitively), never empty.
fn sheet_names(sheets: &[FreshSheet]) -> Vec<String> {
    let mut used: Vec<String> = Vec::new();
    let mut out = Vec::with_capacity(sheets.len());
    for (i, s) in sheets.iter().enumerate() {
        let clean: String = s
            .name
            .chars()
            .map(|c| if ":\\/?*[]".contains(c) { '_' } else { c })
            .take(31)
            .collect();
        let base = if clean.trim().is_empty() {
            format!("Лист{}", i + 1)
        } else {
            clean
        };
        let mut name = base.clone();
        let mut n = 2;
        while used.iter().any(|u| u.to_lowercase() == name.to_lowercase()) {
            let suffix = format!(" ({n})");
            let keep = 31usize.saturating_sub(suffix.chars().count());
            name = base.chars().take(keep).collect::<String>() + &suffix;
            n += 1;
        }
        used.push(name.clone());
        out.push(name);
    }
    out
}

fn write_sheet(
    out: &mut Vec<u8>,
    sheet: &FreshSheet,
    strings: &std::collections::HashMap<&str, u32>,
    first: bool,
) {
    let mut cells: Vec<&(u32, u32, FreshCell)> = sheet.cells.iter().collect();
    cells.sort_by_key(|&&(r, c, _)| (r, c));
    cells.dedup_by_key(|&mut &(r, c, _)| (r, c));

    push_record(out, id::BOF, &bof(0x0010));
    let (rw_mic, rw_mac, col_mic, col_mac) = if cells.is_empty() {
        (0, 0, 0, 0)
    } else {
        let rows = cells.iter().map(|&&(r, _, _)| r);
        let cols = cells.iter().map(|&&(_, c, _)| c);
        (
            rows.clone().min().unwrap_or(0),
            rows.max().unwrap_or(0) + 1,
            cols.clone().min().unwrap_or(0),
            cols.max().unwrap_or(0) + 1,
        )
    };
    let mut dim = Vec::with_capacity(14);
    dim.extend_from_slice(&rw_mic.to_le_bytes());
    dim.extend_from_slice(&rw_mac.to_le_bytes());
    dim.extend_from_slice(&(col_mic as u16).to_le_bytes());
    dim.extend_from_slice(&(col_mac as u16).to_le_bytes());
    dim.extend_from_slice(&[0, 0]);
    push_record(out, id::DIMENSIONS, &dim);

    // Rows in blocks of 32: the block's ROW records, then its cells (the layout Excel writes).
    let mut rows: Vec<(u32, u32, u32)> = Vec::new(); // (row, first col, last col + 1)
    for &&(r, c, _) in &cells {
        match rows.last_mut() {
            Some(last) if last.0 == r => last.2 = c + 1,
            _ => rows.push((r, c, c + 1)),
        }
    }
    let mut next_cell = 0usize;
    for block in rows.chunks(32) {
        for &(r, c0, c1) in block {
            let mut row = Vec::with_capacity(16);
            row.extend_from_slice(&(r as u16).to_le_bytes());
            row.extend_from_slice(&(c0 as u16).to_le_bytes());
            row.extend_from_slice(&(c1 as u16).to_le_bytes());
            row.extend_from_slice(&0x00FFu16.to_le_bytes()); // default height
            row.extend_from_slice(&[0, 0, 0, 0]);
            row.extend_from_slice(&(0x0100u32 | (u32::from(XF_GENERAL) << 16)).to_le_bytes());
            push_record(out, id::ROW, &row);
        }
        let last_row = block.last().map_or(0, |b| b.0);
        while let Some(&&(r, c, ref v)) = cells.get(next_cell) {
            if r > last_row {
                break;
            }
            write_cell(out, r, c, v, strings);
            next_cell += 1;
        }
    }

    let mut w2 = Vec::with_capacity(18);
    let grbit: u16 = if first { 0x06B6 } else { 0x00B6 };
    w2.extend_from_slice(&grbit.to_le_bytes());
    w2.extend_from_slice(&[0, 0, 0, 0]); // top row, left column
    w2.extend_from_slice(&0x0040u32.to_le_bytes()); // gridline colour, reserved
    w2.extend_from_slice(&[0; 8]); // zoom levels, reserved
    push_record(out, id::WINDOW2, &w2);
    push_record(out, id::EOF, &[]);
}

fn write_cell(
    out: &mut Vec<u8>,
    r: u32,
    c: u32,
    v: &FreshCell,
    strings: &std::collections::HashMap<&str, u32>,
) {
    let mut p = Vec::with_capacity(14);
    p.extend_from_slice(&(r as u16).to_le_bytes());
    p.extend_from_slice(&(c as u16).to_le_bytes());
    match v {
        FreshCell::Text(t) => {
            let isst = strings.get(t.as_str()).copied().unwrap_or(0);
            p.extend_from_slice(&XF_TEXT.to_le_bytes());
            p.extend_from_slice(&isst.to_le_bytes());
            push_record(out, id::LABELSST, &p);
        }
        FreshCell::Number(n) | FreshCell::Date(n) => {
            let xf = if matches!(v, FreshCell::Date(_)) {
                XF_DATE
            } else {
                XF_GENERAL
            };
            p.extend_from_slice(&xf.to_le_bytes());
            p.extend_from_slice(&n.to_le_bytes());
            push_record(out, id::NUMBER, &p);
        }
        FreshCell::Bool(b) => {
            p.extend_from_slice(&XF_GENERAL.to_le_bytes());
            p.extend_from_slice(&[u8::from(*b), 0]);
            push_record(out, id::BOOLERR, &p);
        }
        FreshCell::Error(code) => {
            p.extend_from_slice(&XF_GENERAL.to_le_bytes());
            p.extend_from_slice(&[*code, 1]);
            push_record(out, id::BOOLERR, &p);
        }
    }
}

const WINDOW1: u16 = 0x003D;
const DATEMODE: u16 = 0x0022;
const FONT: u16 = 0x0031;
const FORMAT: u16 = 0x041E;
const XF: u16 = 0x00E0;
const STYLE: u16 = 0x0293;

/// BOF of a BIFF8 substream of type `dt` (0x0005 globals, 0x0010 worksheet).
fn bof(dt: u16) -> [u8; 16] {
    let mut b = [0u8; 16];
    b[0..2].copy_from_slice(&0x0600u16.to_le_bytes());
    b[2..4].copy_from_slice(&dt.to_le_bytes());
    b[4..6].copy_from_slice(&0x0DBBu16.to_le_bytes()); // build
    b[6..8].copy_from_slice(&0x07CCu16.to_le_bytes()); // year
    b[8..12].copy_from_slice(&0x0000_0041u32.to_le_bytes());
    b[12..16].copy_from_slice(&0x0000_0006u32.to_le_bytes());
    b
}

fn window1() -> [u8; 18] {
    let mut w = [0u8; 18];
    w[4..6].copy_from_slice(&0x4000u16.to_le_bytes()); // width
    w[6..8].copy_from_slice(&0x2000u16.to_le_bytes()); // height
    w[8..10].copy_from_slice(&0x0038u16.to_le_bytes()); // scroll bars and tabs shown
    w[14..16].copy_from_slice(&1u16.to_le_bytes()); // one selected tab
    w[16..18].copy_from_slice(&0x0258u16.to_le_bytes()); // tab bar ratio
    w
}

fn font(name: &str) -> Vec<u8> {
    let mut f = Vec::with_capacity(16 + name.len());
    f.extend_from_slice(&200u16.to_le_bytes()); // 10 pt
    f.extend_from_slice(&0u16.to_le_bytes());
    f.extend_from_slice(&0x7FFFu16.to_le_bytes()); // automatic colour
    f.extend_from_slice(&400u16.to_le_bytes()); // normal weight
    f.extend_from_slice(&[0, 0, 0, 0, 0, 0]); // sss, uls, family, charset, reserved
    f.push(name.len() as u8);
    f.push(0); // compressed characters
    f.extend_from_slice(name.as_bytes());
    f
}

fn format_record(ifmt: u16, code: &str) -> Vec<u8> {
    let mut f = Vec::with_capacity(5 + code.len());
    f.extend_from_slice(&ifmt.to_le_bytes());
    f.extend_from_slice(&(code.len() as u16).to_le_bytes());
    f.push(0);
    f.extend_from_slice(code.as_bytes());
    f
}

/// A style XF (`fStyle`, no parent).
fn xf_style(i: u16) -> [u8; 20] {
    let font = if (1..=4).contains(&i) { 1 } else { 0 };
    let mut x = [0u8; 20];
    x[0..2].copy_from_slice(&(font as u16).to_le_bytes());
    x[4..6].copy_from_slice(&0xFFF5u16.to_le_bytes()); // locked, style, parent 0xFFF
    x[6] = 0x20; // bottom-aligned
    x[9] = if i == 0 { 0x00 } else { 0xF4 };
    x[18..20].copy_from_slice(&0x20C0u16.to_le_bytes()); // default pattern colours
    x
}

/// A cell XF with parent style 0 and number format `ifmt`; `used` marks the attribute groups
/// the cell overrides (0x04: number format).
fn xf_cell(ifmt: u16, used: u8) -> [u8; 20] {
    let mut x = [0u8; 20];
    x[2..4].copy_from_slice(&ifmt.to_le_bytes());
    x[4..6].copy_from_slice(&0x0001u16.to_le_bytes()); // locked, parent 0
    x[6] = 0x20;
    x[9] = used;
    x[18..20].copy_from_slice(&0x20C0u16.to_le_bytes());
    x
}

fn boundsheet(name: &str) -> Vec<u8> {
    let (high, bytes, cch) = super::records::encode_chars(name);
    let mut b = Vec::with_capacity(8 + bytes.len());
    b.extend_from_slice(&[0, 0, 0, 0]); // lbPlyPos, filled in later
    b.push(0); // visible
    b.push(0); // worksheet
    b.push(cch.min(255) as u8);
    b.push(u8::from(high));
    b.extend_from_slice(&bytes);
    debug_assert!(b.len() <= MAX_RECORD_DATA);
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_refused() {
        let too_many = FreshSheet {
            name: "x".into(),
            cells: vec![(65_536, 0, FreshCell::Number(1.0))],
        };
        assert!(matches!(
            write(&[too_many]),
            Err(XlsError::TooManyRows { rows: 65_537, .. })
        ));
        let long = FreshSheet {
            name: "x".into(),
            cells: vec![(0, 0, FreshCell::Text("я".repeat(40_000)))],
        };
        assert!(matches!(write(&[long]), Err(XlsError::TextTooLong { .. })));
        assert!(matches!(write(&[]), Err(XlsError::Empty)));
    }

    #[test]
    fn sheet_names_are_made_valid_and_unique() {
        let s = |n: &str| FreshSheet {
            name: n.into(),
            cells: vec![],
        };
        let names = sheet_names(&[s("Лист"), s("лист"), s("a/b"), s(""), s(&"д".repeat(40))]);
        assert_eq!(names[0], "Лист");
        assert_eq!(names[1], "лист (2)");
        assert_eq!(names[2], "a_b");
        assert_eq!(names[3], "Лист4");
        assert_eq!(names[4].chars().count(), 31);
    }
}
