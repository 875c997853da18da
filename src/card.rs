//! A person's card as the export holds it: the text of each field's cell, and the birth date
//! read from a date cell or from text.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::book::{CellValue, Grid};
use crate::field::Field;
use crate::norm::date;
use crate::schema::{Person, cell_text};

/// One person's values, as written in the export.
#[derive(Debug, Clone, PartialEq)]
pub struct Card {
    /// Field → (column, text as shown); fields with an empty cell are absent.
    pub values: BTreeMap<Field, (u32, String)>,
    /// The birth date when the cell holds one (a date cell, a serial, or readable text).
    pub birth_date: Option<NaiveDate>,
}

impl Card {
    /// Reads the person's cells from the sheet's grid.
    pub fn read(grid: &Grid, person: &Person) -> Card {
        let mut values = BTreeMap::new();
        let mut birth_date = None;
        for (&field, &col) in &person.cols {
            if field == Field::BirthDate {
                birth_date = date_of(grid.get(person.row, col));
            }
            if let Some(text) = cell_text(grid, person.row, col) {
                values.insert(field, (col, text));
            }
        }
        Card { values, birth_date }
    }

    /// The text of a field, if the cell is not empty.
    pub fn text(&self, field: Field) -> Option<&str> {
        self.values.get(&field).map(|(_, s)| s.as_str())
    }
}

/// A date from a cell: a date cell, a plain serial number, or text in any common form.
pub fn date_of(cell: Option<&CellValue>) -> Option<NaiveDate> {
    match cell? {
        CellValue::Date(serial) | CellValue::Number(serial) => date::from_excel_serial(*serial),
        CellValue::Text(s) => date::parse(s).ok(),
        _ => None,
    }
}
