//! The one writer: every cell change sverka makes — the officer's edits, fixes and bulk fixes
//! in the app (through the session), `sverka fix` and `sverka apply` — passes here on its way
//! into the book. Here, and only here:
//! - protected cells (the header row, pupils' ФИО and birth date, columns a mapping protects)
//!   are refused, each refusal naming the cell and the person;
//! - a value takes the cell type its column holds, as Excel in a Russian locale stores what
//!   is typed into such a column: a date into a date column is a date serial with a date
//!   format, a number into a number column is a number when the text is exactly that number,
//!   and everything else (a phone, a СНИЛС, a name) is text;
//! - every value is checked by the book before anything is written, so a batch is written
//!   whole or not at all.

use std::collections::BTreeMap;

use crate::book::{CellRef, CellValue, ColumnKind, XlsBook, format_number};
use crate::engine::place::person_at;
use crate::engine::schema::Schema;
use crate::xls::XlsError;

/// One change to write: a cell and its new text as the officer or a rule gives it (`None`
/// empties the cell).
#[derive(Debug, Clone, PartialEq)]
pub struct CellWrite {
    /// The cell.
    pub cell: CellRef,
    /// The new text, `None` to empty the cell.
    pub text: Option<String>,
}

/// Why one cell was not written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The cell may not be changed in the file.
    #[error("{cell}{}: {reason}", person.as_deref().map(|p| format!(" ({p})")).unwrap_or_default())]
    Protected {
        /// «Ученики!D5».
        cell: String,
        /// Whose card it is, if anyone's.
        person: Option<String>,
        /// Why, and where to fix it instead.
        reason: String,
    },
    /// The value cannot go into the cell (too long, a control character, beyond the sheet).
    #[error("{cell}{}: {source}", person.as_deref().map(|p| format!(" ({p})")).unwrap_or_default())]
    Invalid {
        /// «Ученики!D5».
        cell: String,
        /// Whose card it is, if anyone's.
        person: Option<String>,
        /// Why the book refused the value.
        source: XlsError,
    },
}

impl WriteError {
    /// Is it a refusal of a protected cell?
    pub fn is_protected(&self) -> bool {
        matches!(self, WriteError::Protected { .. })
    }
}

/// A batch refused: every cell that could not be written (nothing was).
#[derive(Debug, thiserror::Error)]
#[error("{}", refusal_text(.0))]
pub struct Refused(pub Vec<WriteError>);

fn refusal_text(errors: &[WriteError]) -> String {
    match errors {
        [one] => one.to_string(),
        many => {
            let mut t = format!("отказано в записи ячеек: {}", many.len());
            for e in many {
                t.push_str("\n  • ");
                t.push_str(&e.to_string());
            }
            t
        }
    }
}

/// Writes cells into a book under the rules of its layout.
pub struct Writer<'a> {
    schema: &'a Schema,
    /// The kind of each column asked about so far (the exported cells decide it, so it does
    /// not change while the writer lives): a bulk fix of thousands of cells reads each of its
    /// columns once.
    kinds: std::cell::RefCell<BTreeMap<(usize, u32), ColumnKind>>,
}

impl<'a> Writer<'a> {
    /// A writer for a book whose layout is `schema` (the header rows and protected columns).
    /// A writer serves one book.
    pub fn new(schema: &'a Schema) -> Writer<'a> {
        Writer {
            schema,
            kinds: Default::default(),
        }
    }

    /// What kind of values a column of the book holds below its sheet's header.
    fn kind(&self, book: &XlsBook, sheet: usize, col: u32) -> ColumnKind {
        if let Some(&k) = self.kinds.borrow().get(&(sheet, col)) {
            return k;
        }
        let k = book.column_kind(sheet, col, self.data_from(sheet));
        self.kinds.borrow_mut().insert((sheet, col), k);
        k
    }

    /// The first data row of a sheet: below its header, or the top when it has none.
    fn data_from(&self, sheet: usize) -> u32 {
        self.schema
            .sheets
            .get(sheet)
            .and_then(|l| l.header_row)
            .map_or(0, |h| h + 1)
    }

    /// The value `text` becomes in a cell of the column: the type the column holds (see the
    /// module).
    pub fn value_for(
        &self,
        book: &XlsBook,
        sheet: usize,
        col: u32,
        text: &str,
    ) -> Option<CellValue> {
        typed(book, self.kind(book, sheet, col), text)
    }

    /// Checks a batch without writing it: every refused cell, in the batch's order.
    pub fn check(&self, book: &XlsBook, writes: &[CellWrite]) -> Result<(), Refused> {
        self.resolve(book, writes).map(|_| ())
    }

    /// Writes a batch whole, or nothing when any cell is refused. Returns the number of
    /// cells that now differ from what they held before.
    pub fn write(&self, book: &mut XlsBook, writes: &[CellWrite]) -> Result<usize, Refused> {
        let values = self.resolve(book, writes)?;
        let mut changed = 0;
        for (w, value) in writes.iter().zip(values) {
            let CellRef { sheet, row, col } = w.cell;
            let before = book.value(sheet, row, col);
            let result = book.set(sheet, row, col, value);
            if let Err(source) = result {
                // Checked above; a failure here would be a bug, and is still said, not hidden.
                return Err(Refused(vec![self.invalid(book, w, source)]));
            }
            if book.value(sheet, row, col) != before {
                changed += 1;
            }
        }
        Ok(changed)
    }

    /// The typed value of each write, or every refusal.
    fn resolve(
        &self,
        book: &XlsBook,
        writes: &[CellWrite],
    ) -> Result<Vec<Option<CellValue>>, Refused> {
        let mut refused = Vec::new();
        let mut values = Vec::with_capacity(writes.len());
        for w in writes {
            let CellRef { sheet, row, col } = w.cell;
            if let Some(reason) = self.schema.protection_reason(sheet, row, col) {
                refused.push(WriteError::Protected {
                    cell: self.cell(book, w),
                    person: person_at(self.schema, book.grids(), w.cell),
                    reason,
                });
                continue;
            }
            let kind = self.kind(book, sheet, col);
            let value = w.text.as_deref().and_then(|t| typed(book, kind, t));
            match book.check(sheet, row, col, value.as_ref()) {
                Ok(()) => values.push(value),
                Err(source) => refused.push(self.invalid(book, w, source)),
            }
        }
        if refused.is_empty() {
            Ok(values)
        } else {
            Err(Refused(refused))
        }
    }

    fn cell(&self, book: &XlsBook, w: &CellWrite) -> String {
        let sheet = book.sheet_names().get(w.cell.sheet).copied().unwrap_or("?");
        w.cell.on(sheet)
    }

    fn invalid(&self, book: &XlsBook, w: &CellWrite, source: XlsError) -> WriteError {
        WriteError::Invalid {
            cell: self.cell(book, w),
            person: person_at(self.schema, book.grids(), w.cell),
            source,
        }
    }
}

/// `text` as a value of a column of `kind`; `None` for empty text.
fn typed(book: &XlsBook, kind: ColumnKind, text: &str) -> Option<CellValue> {
    if text.is_empty() {
        return None;
    }
    let as_text = || CellValue::Text(text.into());
    Some(match kind {
        ColumnKind::Dates => match crate::norm::date::parse(text.trim()) {
            Ok(d) => book.date_value(d),
            // Not a date: stored as typed, as Excel stores it (the audit flags it).
            Err(_) => as_text(),
        },
        ColumnKind::Numbers => match text.parse::<f64>() {
            // Only a text that is exactly the number's own writing: «007», «1e3», «+7» and
            // «12,5» stay text.
            Ok(n) if n.is_finite() && format_number(n) == text => CellValue::Number(n),
            _ => as_text(),
        },
        ColumnKind::Text => as_text(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full() -> (XlsBook, Schema) {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/fixtures/full/export.xls");
        let book = XlsBook::open(&path).unwrap_or_else(|e| panic!("{e}"));
        let schema = Schema::detect(book.originals(), &[]);
        (book, schema)
    }

    fn write(sheet: usize, row: u32, col: u32, text: &str) -> CellWrite {
        CellWrite {
            cell: CellRef::new(sheet, row, col),
            text: Some(text.to_string()),
        }
    }

    /// Row 3 of the full export: Куликова Наталья Юрьевна, 1А, her mother in columns M–U
    /// (Q: birth date), B «№» (numbers), I «СНИЛС» and J «Мобильный телефон» (text).
    #[test]
    fn each_column_gets_its_own_type() {
        let (book, schema) = full();
        let w = Writer::new(&schema);
        let value = |col: u32, text: &str| w.value_for(&book, 0, col, text);
        assert_eq!(value(16, "14.10.1982"), Some(CellValue::Date(30238.0)));
        assert_eq!(value(16, "14 октября 1982"), Some(CellValue::Date(30238.0)));
        assert_eq!(
            value(16, "не знаю"),
            Some(CellValue::Text("не знаю".into()))
        );
        assert_eq!(value(1, "12"), Some(CellValue::Number(12.0)));
        assert_eq!(value(1, "12.5"), Some(CellValue::Number(12.5)));
        for not_exact in ["012", "1e3", "+7", "12,5", " 12"] {
            assert_eq!(value(1, not_exact), Some(CellValue::Text(not_exact.into())));
        }
        assert_eq!(
            value(8, "11223344595"),
            Some(CellValue::Text("11223344595".into()))
        );
        assert_eq!(
            value(9, "89001234567"),
            Some(CellValue::Text("89001234567".into()))
        );
        assert_eq!(value(9, ""), None);
    }

    /// A batch with a protected cell writes nothing; the refusal names each cell and person.
    #[test]
    fn a_protected_cell_refuses_the_whole_batch() {
        let (mut book, schema) = full();
        let w = Writer::new(&schema);
        let batch = [
            write(0, 3, 8, "112-233-445 95"),
            write(0, 3, 4, "Наталия"),
            write(0, 2, 8, "СНИЛС ученика"),
        ];
        let refused = w.write(&mut book, &batch).err();
        assert!(book.edits().is_empty(), "nothing may be written");
        let errors = refused.map(|r| r.0).unwrap_or_default();
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(errors.iter().all(WriteError::is_protected));
        let text = Refused(errors).to_string();
        assert!(
            text.contains("Ученики!E4 (Куликова Наталья Юрьевна, 1А)"),
            "{text}"
        );
        assert!(text.contains("«Имя» ученика"), "{text}");
        assert!(text.contains("Ученики!I3"), "{text}");
        assert!(text.contains("строка заголовков"), "{text}");
        let ok = w
            .write(&mut book, &batch[..1])
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(ok, 1);
    }

    /// A value the book cannot take refuses the batch too, naming the cell and the reason.
    #[test]
    fn an_invalid_value_refuses_the_whole_batch() {
        let (mut book, schema) = full();
        let w = Writer::new(&schema);
        let batch = [
            write(0, 3, 9, "+7 900 000 00 01"),
            write(0, 3, 10, "mail\u{1}@mail.ru"),
        ];
        let refused = w.write(&mut book, &batch).err().map(|r| r.to_string());
        assert!(book.edits().is_empty());
        let text = refused.unwrap_or_default();
        assert!(
            text.contains("Ученики!K4") && text.contains("U+0001"),
            "{text}"
        );
    }

    /// Writing back what a cell shows (an undo, a retyped date) leaves the original cell.
    #[test]
    fn writing_what_the_cell_shows_is_no_change() {
        let (mut book, schema) = full();
        let w = Writer::new(&schema);
        let shown = book
            .value(0, 3, 16)
            .map(|v| v.display())
            .unwrap_or_default();
        let n = w
            .write(&mut book, &[write(0, 3, 16, &shown)])
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(n, 0);
        assert!(book.edits().is_empty());
        w.write(&mut book, &[write(0, 3, 16, "01.01.1980")])
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(book.edits().len(), 1);
        w.write(&mut book, &[write(0, 3, 16, &shown)])
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(book.edits().is_empty(), "back to the export: no edit");
    }
}
