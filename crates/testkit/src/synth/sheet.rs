//! The export's layout: where each field of the pupil and the two parent groups lies, and
//! writing a person into a row the way СГО exports write it.

use sverka::book::{CellValue, Grid};
use sverka::engine::Field;

use super::{Rng, TruePerson};

pub(crate) const GROUP_FIELDS: [&str; 9] = [
    "Степень родства",
    "Фамилия",
    "Имя",
    "Отчество",
    "Дата рождения",
    "Пол",
    "СНИЛС",
    "Мобильный телефон",
    "E-mail",
];

/// Column of a field: pupil columns start at 3; parent group g at 12 + 9g.
pub(crate) fn col_of(group: Option<usize>, field: Field) -> u32 {
    let offset = match field {
        Field::Surname => 0,
        Field::Name => 1,
        Field::Patronymic => 2,
        Field::BirthDate => 3,
        Field::Sex => 4,
        Field::Snils => 5,
        Field::Phone => 6,
        Field::Email => 7,
    };
    match group {
        None => 3 + offset,
        Some(g) => 12 + 9 * g as u32 + 1 + offset,
    }
}

/// Header row index.
pub const HEADER_ROW: u32 = 2;

pub(crate) fn put(grid: &mut Grid, row: u32, col: u32, v: CellValue) {
    grid.insert(row, col, v);
}

pub(crate) fn text(s: &str) -> CellValue {
    CellValue::Text(s.into())
}

pub(crate) fn write_person(
    grid: &mut Grid,
    row: u32,
    group: Option<usize>,
    p: &TruePerson,
    rng: &mut Rng,
) {
    let c = |f| col_of(group, f);
    put(grid, row, c(Field::Surname), text(&p.surname));
    put(grid, row, c(Field::Name), text(&p.name));
    put(grid, row, c(Field::Patronymic), text(&p.patronymic));
    put(
        grid,
        row,
        c(Field::BirthDate),
        CellValue::Date(sverka::norm::date::to_excel_serial(p.birth)),
    );
    put(
        grid,
        row,
        c(Field::Sex),
        text(if p.male { "М" } else { "Ж" }),
    );
    put(grid, row, c(Field::Snils), text(&p.snils_dashed()));
    // Phones in the shapes real exports mix; all mean the same number.
    let d = &p.phone;
    let g = |a: usize, b: usize| d.get(a..b).unwrap_or("");
    let phone = match rng.below(4) {
        0 => format!("+7 {} {} {} {}", g(0, 3), g(3, 6), g(6, 8), g(8, 10)),
        1 => format!("8 ({}) {}-{}-{}", g(0, 3), g(3, 6), g(6, 8), g(8, 10)),
        2 => format!("7{d}"),
        _ => format!("8{d}"),
    };
    put(grid, row, c(Field::Phone), text(&phone));
    put(grid, row, c(Field::Email), text(&p.email));
}
