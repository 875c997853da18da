//! Finding cards by what the officer types into the search box: part of a surname, name or
//! patronymic (any case), several of them in any order («Новиков Александр», «александр
//! новиков»), or three or more digits of a СНИЛС or a phone number however the cell writes it
//! («052-903», «8 983», «+7 (983)» all find «89832661663»).

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
    /// What every row shown must hold: one needle per word of the query, or the whole query
    /// as one when it is a number written with spaces («983 266»).
    needles: Vec<Needle>,
    /// The searched columns with their person's group (`None`: the row's own person).
    cols: Vec<(u32, Option<usize>)>,
}

/// One thing a row must hold in one of its searched cells.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Needle {
    text: String,
    digits: String,
}

impl Needle {
    fn new(text: &str) -> Needle {
        Needle {
            text: text.to_string(),
            digits: text.chars().filter(char::is_ascii_digit).collect(),
        }
    }

    fn found_in(&self, cell: &str) -> bool {
        cell.contains(&self.text)
            || (self.digits.chars().count() >= MIN_DIGITS
                && cell
                    .chars()
                    .filter(char::is_ascii_digit)
                    .collect::<String>()
                    .contains(&self.digits))
    }
}

impl RowSearch {
    /// A search for `query` in the ФИО, СНИЛС and phone columns of `layout` (a sheet without a
    /// layout has no such columns: nothing matches a non-empty query).
    pub fn new(layout: Option<&SheetLayout>, query: &str) -> RowSearch {
        let query = query.trim().to_lowercase();
        // A query without letters is one number, however it is spaced; with letters, each
        // word is looked for on its own.
        let needles = if query.is_empty() {
            Vec::new()
        } else if query.chars().any(char::is_alphabetic) {
            query.split_whitespace().map(Needle::new).collect()
        } else {
            vec![Needle::new(&query)]
        };
        let cols = layout
            .map(|l| {
                l.columns
                    .iter()
                    .filter(|c| c.field.is_some_and(|f| SEARCHED.contains(&f)))
                    .map(|c| (c.col, c.group))
                    .collect()
            })
            .unwrap_or_default();
        RowSearch { needles, cols }
    }

    /// Nothing was asked for: every row is shown.
    pub fn is_empty(&self) -> bool {
        self.needles.is_empty()
    }

    /// Whether row `row` of `grid` matches: every word of the query is in a searched cell of
    /// one person on the row (the pupil, or one parent of a parents' column group), so that
    /// «Медведев Варвара» does not find a pupil Медведев whose mother is Варвара (always, for
    /// an empty query).
    pub fn matches(&self, grid: &Grid, row: u32) -> bool {
        self.is_empty() || self.found_at(grid, row).is_some()
    }

    /// The first searched column of the person on row `row` the query found (the pupil's
    /// surname, or the parent's), `None` when it found no one there or asked for nothing.
    pub fn found_at(&self, grid: &Grid, row: u32) -> Option<u32> {
        if self.is_empty() {
            return None;
        }
        let mut groups: Vec<Option<usize>> = self.cols.iter().map(|&(_, g)| g).collect();
        groups.sort();
        groups.dedup();
        groups.into_iter().find_map(|group| {
            let cols: Vec<u32> = self
                .cols
                .iter()
                .filter(|&&(_, g)| g == group)
                .map(|&(c, _)| c)
                .collect();
            let cells: Vec<String> = cols
                .iter()
                .filter_map(|&c| grid.get(row, c).map(|v| v.display().to_lowercase()))
                .collect();
            self.needles
                .iter()
                .all(|n| cells.iter().any(|cell| n.found_in(cell)))
                .then(|| cols.first().copied())
                .flatten()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
        let rows: Vec<&[&str]> = rows.iter().map(|r| &r[..]).collect();
        vec![Grid::from_text("Ученики", &rows)]
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
        assert_eq!(hits("Ёлкина Анна"), vec![1], "surname and name");
        assert_eq!(hits("анна  ёлкина"), vec![1], "in any order");
        assert_eq!(hits("ёлкина петровна 052"), vec![1]);
        assert_eq!(
            hits("Ёлкина Пётр"),
            Vec::<u32>::new(),
            "every word, in the same row"
        );
        assert_eq!(
            hits("Ученики"),
            Vec::<u32>::new(),
            "only card columns are searched"
        );
    }

    /// Words are looked for within one person of the row: a pupil Медведев whose mother is
    /// Варвара is not «Медведев Варвара», and a parent found is pointed at by her own column.
    #[test]
    fn every_word_within_one_person_of_the_row() {
        let rows: [[&str; 4]; 2] = [
            ["Фамилия", "Имя", "Родитель 1: Фамилия", "Родитель 1: Имя"],
            ["Медведев", "Владимир", "Медведева", "Варвара"],
        ];
        let rows: Vec<&[&str]> = rows.iter().map(|r| &r[..]).collect();
        let grids = vec![Grid::from_text("Ученики", &rows)];
        let schema = Schema::detect(&grids, &[]);
        let layout = schema.sheets.first();
        let found = |q: &str| RowSearch::new(layout, q).found_at(&grids[0], 1);
        assert_eq!(found("владимир медведев"), Some(0));
        assert_eq!(found("Варвара Медведева"), Some(2));
        assert_eq!(
            found("Медведев Варвара"),
            Some(2),
            "«медведев» is part of «Медведева»: the mother, pointed at by her column"
        );
        assert_eq!(found("Владимир Варвара"), None, "two people, not one");
    }
}
