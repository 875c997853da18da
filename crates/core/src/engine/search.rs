//! Finding cards by what the officer types into the search box: part of a surname, name or
//! patronymic (any case), or three or more digits of a СНИЛС or a phone number however the cell
//! writes it («052-903», «8 983», «+7 (983)» all find «89832661663»).

use crate::book::Grid;
use crate::engine::field::Field;
use crate::engine::schema::SheetLayout;

/// The fields a search looks in.
const SEARCHED: [Field; 5] = [
    Field::Surname,
    Field::Name,
    Field::Patronymic,
    Field::Snils,
    Field::Phone,
];

/// Digits fewer than this are not searched for as digits (two digits match almost every row).
const MIN_DIGITS: usize = 3;

/// A search over the rows of one sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowSearch {
    needle: String,
    digits: String,
    cols: Vec<u32>,
}

impl RowSearch {
    /// A search for `query` in the ФИО, СНИЛС and phone columns of `layout` (a sheet without a
    /// layout has no such columns: nothing matches a non-empty query).
    pub fn new(layout: Option<&SheetLayout>, query: &str) -> RowSearch {
        let needle = query.trim().to_lowercase();
        let digits = needle.chars().filter(char::is_ascii_digit).collect();
        let cols = layout
            .map(|l| {
                l.columns
                    .iter()
                    .filter(|c| c.field.is_some_and(|f| SEARCHED.contains(&f)))
                    .map(|c| c.col)
                    .collect()
            })
            .unwrap_or_default();
        RowSearch {
            needle,
            digits,
            cols,
        }
    }

    /// Nothing was asked for: every row is shown.
    pub fn is_empty(&self) -> bool {
        self.needle.is_empty()
    }

    /// Whether row `row` of `grid` matches (always, for an empty query).
    pub fn matches(&self, grid: &Grid, row: u32) -> bool {
        if self.is_empty() {
            return true;
        }
        self.cols.iter().any(|&c| {
            grid.get(row, c).is_some_and(|v| {
                let text = v.display().to_lowercase();
                text.contains(&self.needle)
                    || (self.digits.chars().count() >= MIN_DIGITS
                        && text
                            .chars()
                            .filter(char::is_ascii_digit)
                            .collect::<String>()
                            .contains(&self.digits))
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::book::CellValue;
    use crate::engine::schema::Schema;

    fn sheet() -> Vec<Grid> {
        let rows: [[&str; 5]; 3] = [
            ["Фамилия", "Имя", "Отчество", "СНИЛС", "Телефон"],
            [
                "Ёлкина",
                "Анна",
                "Петровна",
                "052-903-666 55",
                "+7 (983) 266-16-63",
            ],
            ["Иванов", "Пётр", "Ильич", "", "89001234567"],
        ];
        let mut g = Grid::new("Ученики");
        for (r, row) in rows.iter().enumerate() {
            for (c, t) in row.iter().enumerate() {
                if !t.is_empty() {
                    g.insert(r as u32, c as u32, CellValue::Text((*t).into()));
                }
            }
        }
        vec![g]
    }

    #[test]
    fn finds_by_name_in_any_case_and_by_digits_however_written() {
        let grids = sheet();
        let schema = Schema::detect(&grids, &[]);
        let layout = schema.sheets.first();
        let hits = |q: &str| -> Vec<u32> {
            let s = RowSearch::new(layout, q);
            (1..3).filter(|&r| s.matches(&grids[0], r)).collect()
        };
        assert_eq!(hits("ёлк"), vec![1]);
        assert_eq!(hits("  ИЛЬИЧ "), vec![2]);
        assert_eq!(hits("052903"), vec![1]);
        assert_eq!(hits("8 983 266"), Vec::<u32>::new(), "8 is not +7");
        assert_eq!(hits("983 266"), vec![1]);
        assert_eq!(hits("12345"), vec![2]);
        assert_eq!(
            hits("2 9"),
            Vec::<u32>::new(),
            "two digits are not searched as digits"
        );
        assert_eq!(hits("2 90"), vec![1], "three are: 052-903");
        assert_eq!(hits(""), vec![1, 2]);
        assert_eq!(
            hits("Ученики"),
            Vec::<u32>::new(),
            "only card columns are searched"
        );
    }
}
