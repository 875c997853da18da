//! Tables of appeals, one appeal per row: `.csv` (the delimiter detected) and `.xlsx`, the
//! header row found among the first rows.

use crate::norm::date;

use super::decode::decode_text;
use super::labels::{Label, exact_label};
use super::values::from_pairs;
use super::{Appeal, AppealError, name_sources};

/// Splits CSV text into rows of fields (quotes, doubled quotes, line breaks inside quotes).
fn csv_rows(text: &str, delim: char) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    field.push('"');
                    chars.next();
                } else {
                    quoted = false;
                }
            } else {
                field.push(c);
            }
        } else if c == '"' && field.is_empty() {
            quoted = true;
        } else if c == delim {
            row.push(std::mem::take(&mut field));
        } else if c == '\n' || c == '\r' {
            if c == '\r' && chars.peek() == Some(&'\n') {
                chars.next();
            }
            row.push(std::mem::take(&mut field));
            if row.iter().any(|f| !f.trim().is_empty()) {
                rows.push(std::mem::take(&mut row));
            } else {
                row.clear();
            }
        } else {
            field.push(c);
        }
    }
    row.push(field);
    if row.iter().any(|f| !f.trim().is_empty()) {
        rows.push(row);
    }
    rows
}

fn appeals_from_rows(rows: Vec<Vec<String>>, source: &str) -> Result<Vec<Appeal>, AppealError> {
    let header_at = rows
        .iter()
        .take(20)
        .position(|r| {
            r.iter()
                .filter(|c| matches!(exact_label(c), Some(Label::Field(_))))
                .count()
                >= 2
        })
        .ok_or(AppealError::TableNoHeader)?;
    let header = rows.get(header_at).cloned().unwrap_or_default();
    let mut out = Vec::new();
    for row in rows.iter().skip(header_at + 1) {
        let pairs = header
            .iter()
            .zip(row.iter())
            .filter(|(_, v)| !v.trim().is_empty())
            .map(|(k, v)| (k.as_str(), v.clone()));
        let a = from_pairs(pairs);
        if a.has_person_data() {
            out.push(a);
        }
    }
    if out.is_empty() {
        return Err(AppealError::NoPersonData);
    }
    let mut out = name_sources(out, source);
    if out.len() > 1 {
        // Rows are numbered as the officer sees them in the table.
        for (i, a) in out.iter_mut().enumerate() {
            a.source = format!("{source}#{}", i + 1);
        }
    }
    Ok(out)
}

/// Parses a `.csv` (delimiter `;`, `,` or tab, detected) or `.xlsx` table of appeals.
pub fn parse_table(bytes: &[u8], ext: &str, source: &str) -> Result<Vec<Appeal>, AppealError> {
    match ext {
        "csv" | "tsv" => {
            let text = decode_text(bytes);
            let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
            let delim = [';', '\t', ',']
                .into_iter()
                .max_by_key(|d| first.matches(*d).count())
                .unwrap_or(';');
            appeals_from_rows(csv_rows(&text, delim), source)
        }
        "xlsx" | "xlsm" | "xls" | "ods" => {
            use calamine::Reader;
            let cursor = std::io::Cursor::new(bytes.to_vec());
            let rows =
                std::panic::catch_unwind(move || -> Result<Vec<Vec<String>>, AppealError> {
                    let unreadable = |e| AppealError::TableUnreadable(Some(e));
                    let mut book =
                        calamine::open_workbook_auto_from_rs(cursor).map_err(unreadable)?;
                    let first = book
                        .sheet_names()
                        .first()
                        .cloned()
                        .ok_or(AppealError::TableNoSheets)?;
                    let range = book.worksheet_range(&first).map_err(unreadable)?;
                    Ok(range
                        .rows()
                        .map(|r| {
                            r.iter()
                                .map(|c| match c {
                                    calamine::Data::DateTime(d) => {
                                        date::from_excel_serial(d.as_f64())
                                            .map(date::format_ru)
                                            .unwrap_or_else(|| c.to_string())
                                    }
                                    calamine::Data::Float(f) => crate::book::format_number(*f),
                                    other => other.to_string(),
                                })
                                .collect()
                        })
                        .collect())
                })
                .unwrap_or(Err(AppealError::TableUnreadable(None)))?;
            appeals_from_rows(rows, source)
        }
        other => Err(AppealError::UnknownFormat(other.to_string())),
    }
}
