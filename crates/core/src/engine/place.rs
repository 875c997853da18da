//! Whose card a cell belongs to, as the officer reads it: «Иванов Иван Петрович, 5А» (where
//! it is, «Ученики!I4», is `CellRef::on`). One description, used by the writer's refusals,
//! the app's status line and the CLI.

use crate::book::{CellRef, Grid};
use crate::engine::field::Field;
use crate::engine::schema::{Schema, cell_text};

/// The person a cell belongs to, as the officer reads it: «Иванов Иван Петрович, 5А»,
/// «Иванова Мария (Родитель 1), 5А». `None` for a cell of nobody (a header, a title).
/// `grids` are the sheets as they are now.
pub fn person_at(schema: &Schema, grids: &[Grid], cell: CellRef) -> Option<String> {
    let CellRef { sheet, row, col } = cell;
    let people = &schema.people;
    let start = people.partition_point(|p| (p.sheet, p.row) < (sheet, row));
    let on_row = people
        .get(start..)?
        .iter()
        .take_while(|p| p.sheet == sheet && p.row == row);
    let mut own = None;
    let mut owner = None;
    for p in on_row {
        if p.cols.values().any(|&c| c == col) {
            owner = Some(p);
            break;
        }
        if p.group.is_none() {
            own = Some(p);
        }
    }
    let p = owner.or(own)?;
    let grid = grids.get(sheet)?;
    let layout = schema.sheets.get(sheet)?;
    let name: Vec<String> = [Field::Surname, Field::Name, Field::Patronymic]
        .iter()
        .filter_map(|f| cell_text(grid, row, *p.cols.get(f)?))
        .collect();
    let mut text = if name.is_empty() {
        "без ФИО".to_string()
    } else {
        name.join(" ")
    };
    if let Some(g) = p.group.and_then(|g| layout.groups.get(g)) {
        text.push_str(&format!(" ({})", g.label));
    }
    if let Some(class) = crate::engine::import_steps::class_on_row(grid, layout, row) {
        text.push_str(", ");
        text.push_str(&class);
    }
    Some(text)
}

/// The row's own person (the pupil, not a parent of the row) as a short name for the row
/// header: «Павлов Г. Е.». `None` for a row of nobody.
pub fn short_name_on_row(
    schema: &Schema,
    grids: &[Grid],
    sheet: usize,
    row: u32,
) -> Option<String> {
    let people = &schema.people;
    let start = people.partition_point(|p| (p.sheet, p.row) < (sheet, row));
    let p = people
        .get(start..)?
        .iter()
        .take_while(|p| p.sheet == sheet && p.row == row)
        .find(|p| p.group.is_none())?;
    let grid = grids.get(sheet)?;
    let part = |f: Field| p.cols.get(&f).and_then(|&c| cell_text(grid, row, c));
    let surname = part(Field::Surname)?;
    let initials: String = [Field::Name, Field::Patronymic]
        .into_iter()
        .filter_map(part)
        .filter_map(|t| t.chars().next())
        .map(|c| format!(" {c}."))
        .collect();
    Some(format!("{surname}{initials}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_header_names_the_rows_own_person_briefly() {
        let rows: [[&str; 5]; 2] = [
            [
                "Фамилия",
                "Имя",
                "Отчество",
                "Родитель 1: Фамилия",
                "Родитель 1: Имя",
            ],
            ["Павлов", "Глеб", "Евгеньевич", "Павлова", "Виктория"],
        ];
        let rows: Vec<&[&str]> = rows.iter().map(|r| &r[..]).collect();
        let grids = vec![Grid::from_text("Ученики", &rows)];
        let schema = Schema::detect(&grids, &[]);
        assert_eq!(
            short_name_on_row(&schema, &grids, 0, 1).as_deref(),
            Some("Павлов Г. Е.")
        );
        assert_eq!(
            short_name_on_row(&schema, &grids, 0, 0),
            None,
            "the header row"
        );
    }
}
