//! A person's card as the export holds it: the text of each field's cell, and the birth date
//! read from a date cell or from text.

use std::borrow::Cow;

use chrono::NaiveDate;

use crate::book::{CellValue, Grid};
use crate::engine::field::Field;
use crate::engine::schema::{Person, cell_str};
use crate::norm::date;

/// One person's values, as written in the export.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Card<'g> {
    /// (field, text as shown), by field; fields with an empty cell are absent. A card has a
    /// dozen fields at most: a short vector is smaller and faster than a map. Text cells are
    /// borrowed from the grid, not copied.
    values: Vec<(Field, Cow<'g, str>)>,
    /// The birth date when the cell holds one (a date cell, a serial, or readable text).
    pub birth_date: Option<NaiveDate>,
}

impl<'g> Card<'g> {
    /// Reads the person's cells from the sheet's grid.
    pub fn read(grid: &'g Grid, person: &Person) -> Card<'g> {
        let mut values = Vec::with_capacity(person.cols.len());
        let mut birth_date = None;
        for (&field, &col) in person.cols.iter() {
            if field == Field::BirthDate {
                birth_date = date_of(grid.get(person.row, col));
            }
            if let Some(text) = cell_str(grid, person.row, col) {
                values.push((field, text));
            }
        }
        Card { values, birth_date }
    }

    /// The text of a field, if the cell is not empty.
    pub fn text(&self, field: Field) -> Option<&str> {
        self.values
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, s)| &**s)
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
