//! The way back into СГО: the steps of the regional instruction for importing a corrected
//! file («Управление > Ученики», the same filter as at export, «Пакетное обновление > 2.
//! Обновление данных»), with the classes the file really holds, read from its class column.

use std::path::{Path, PathBuf};

use crate::book::Grid;
use crate::engine::schema::{Schema, cell_text, normalize_header};

/// What the officer needs to import one corrected file.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportSteps {
    /// The corrected file to import.
    pub file: PathBuf,
    /// The classes the file holds («5А», «5Б»), in school order; empty when the file has no
    /// class column.
    pub classes: Vec<String>,
    /// The steps, in order, as the officer reads them.
    pub steps: Vec<String>,
}

/// Is this header the pupils' class (not «Классный руководитель»)?
pub fn is_class_header(header: &str) -> bool {
    let h = normalize_header(header);
    h == "класс"
        || (h.starts_with("класс")
            && !h.contains("руковод")
            && !h.starts_with("классн")
            && h.len() <= "класс (группа)".len() + 4)
}

/// The class written on a row of a sheet (its class column), if the sheet has one.
pub fn class_on_row(
    grid: &Grid,
    layout: &crate::engine::schema::SheetLayout,
    row: u32,
) -> Option<String> {
    layout
        .columns
        .iter()
        .filter(|c| is_class_header(&c.header))
        .find_map(|c| cell_text(grid, row, c.col))
}

/// The classes named in the class column of every sheet with people, in school order
/// (1А, 2Б, …, 10А, 11Б).
pub fn classes(grids: &[Grid], schema: &Schema) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for layout in &schema.sheets {
        let Some(header_row) = layout.header_row else {
            continue;
        };
        let Some(grid) = grids.get(layout.sheet) else {
            continue;
        };
        for c in layout.columns.iter().filter(|c| is_class_header(&c.header)) {
            for row in header_row + 1..grid.height() {
                if let Some(v) = cell_text(grid, row, c.col) {
                    let v = v.split_whitespace().collect::<Vec<_>>().join(" ");
                    if !v.is_empty() && !found.contains(&v) {
                        found.push(v);
                    }
                }
            }
        }
    }
    found.sort_by_key(|c| school_order(c));
    found
}

/// «10А» sorts after «9Б»: the number first, then the rest.
fn school_order(class: &str) -> (u32, String) {
    let digits: String = class.chars().take_while(char::is_ascii_digit).collect();
    let rest = class.get(digits.len()..).unwrap_or("").to_lowercase();
    (digits.parse().unwrap_or(u32::MAX), rest)
}

/// The parallel (grade) all these classes share, if they share one.
fn common_parallel(classes: &[String]) -> Option<u32> {
    let mut grades = classes.iter().map(|c| school_order(c).0);
    let first = grades.next()?;
    (first != u32::MAX && grades.all(|g| g == first)).then_some(first)
}

/// The steps for importing `file` (a corrected file written from this book), which holds the
/// fixes of `appeals_in_file` appeals; `left_after` of them still need more than the import
/// (a field corrected by hand in СГО): their citizens are not asked to log in after it.
pub fn steps(
    grids: &[Grid],
    schema: &Schema,
    file: &Path,
    appeals_in_file: usize,
    left_after: usize,
) -> ImportSteps {
    let classes = classes(grids, schema);
    let filter = match (classes.as_slice(), common_parallel(&classes)) {
        ([], _) => "тот же класс или ту же параллель, что при выгрузке (в файле нет столбца «Класс», по которому sverka могла бы их назвать)".to_string(),
        ([one], _) => format!("класс {one}, как при выгрузке"),
        (many, Some(grade)) => format!(
            "параллель {grade} (в файле классы {}) — или тот же набор классов, что при выгрузке",
            many.join(", ")
        ),
        (many, None) => format!(
            "те же классы, что при выгрузке: {} (в файле классы разных параллелей — возможно, выгружалась вся школа)",
            many.join(", ")
        ),
    };
    let mut steps = vec![
        "В «Сетевом городе» откройте «Управление > Ученики».".to_string(),
        format!("Установите тот же фильтр, что при выгрузке: {filter}; нажмите «Загрузить»."),
        "Нажмите «Пакетное обновление» и выберите «2. Обновление данных».".to_string(),
        format!("Выберите этот файл: {}", file.display()),
        "Если после загрузки появится окно диагностики с ошибками, прочитайте, какие строки и почему не приняты: исправьте их в sverka, сохраните файл и загрузите его снова.".to_string(),
    ];
    let ask = match (appeals_in_file - left_after.min(appeals_in_file), left_after) {
        (_, 0) => "Затем попросите заявителей повторить вход через Госуслуги.".to_string(),
        (0, _) => "Заявителей пока не просите повторить вход: у этих обращений исправлено ещё не всё (что осталось — например, поле, которое исправляют вручную в карточке СГО, — сказано в карточке обращения).".to_string(),
        (_, left) => format!(
            "Затем попросите повторить вход через Госуслуги тех заявителей, у кого всё исправлено; у {left} обращений исправлено ещё не всё (что осталось, сказано в карточке обращения) — их заявителей пока не просите."
        ),
    };
    steps.push(if appeals_in_file > 0 {
        format!(
            "Когда файл загружен, нажмите «Файл загружен в СГО» (или «Загружено в СГО» в карточке обращения): обращения, исправленные в этом файле ({appeals_in_file}), перейдут в «загружено в СГО». {ask}"
        )
    } else {
        "Когда файл загружен, нажмите «Файл загружен в СГО».".to_string()
    });
    ImportSteps {
        file: file.to_path_buf(),
        classes,
        steps,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::book::XlsBook;

    fn analyse(path: &str) -> (Vec<Grid>, Schema) {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../..")
            .join(path);
        let book = XlsBook::open(&path).unwrap_or_else(|e| panic!("{e}"));
        let grids = book.current_grids();
        let schema = Schema::detect(&grids, &[]);
        (grids, schema)
    }

    #[test]
    fn the_steps_name_the_classes_the_file_holds() {
        let (grids, schema) = analyse("tests/fixtures/full/export.xls");
        let found = classes(&grids, &schema);
        assert_eq!(found.len(), 10, "{found:?}");
        // School order: the number first.
        let grades: Vec<u32> = found.iter().map(|c| school_order(c).0).collect();
        let mut sorted = grades.clone();
        sorted.sort();
        assert_eq!(grades, sorted, "{found:?}");
        let s = steps(&grids, &schema, Path::new("/школа/5А_исправлено.xls"), 3, 0);
        assert_eq!(s.steps.len(), 6);
        assert!(s.steps[0].contains("«Управление > Ученики»"));
        let filter = &s.steps[1];
        for c in &found {
            assert!(filter.contains(c.as_str()), "{c} not in «{filter}»");
        }
        assert!(s.steps[2].contains("«2. Обновление данных»"));
        assert!(s.steps[3].contains("5А_исправлено.xls"));
        assert!(s.steps[5].contains("(3)"));
    }

    #[test]
    fn one_class_and_one_parallel_are_said_plainly() {
        let one = vec!["5А".to_string()];
        assert_eq!(common_parallel(&one), Some(5));
        let two = vec!["5А".to_string(), "5Б".to_string()];
        assert_eq!(common_parallel(&two), Some(5));
        let mixed = vec!["5А".to_string(), "10Б".to_string()];
        assert_eq!(common_parallel(&mixed), None);
        let mut order = vec!["10А".to_string(), "9Б".to_string(), "1А".to_string()];
        order.sort_by_key(|c| school_order(c));
        assert_eq!(order, ["1А", "9Б", "10А"]);
        assert!(is_class_header("Класс"));
        assert!(!is_class_header("Классный руководитель"));
        assert!(!is_class_header("Фамилия"));
    }

    #[test]
    fn the_short_export_is_one_class() {
        let (grids, schema) = analyse("tests/fixtures/short/export.xls");
        let found = classes(&grids, &schema);
        let s = steps(&grids, &schema, Path::new("x.xls"), 0, 0);
        match found.as_slice() {
            [one] => assert!(
                s.steps[1].contains(&format!("класс {one}")),
                "{}",
                s.steps[1]
            ),
            [] => assert!(s.steps[1].contains("нет столбца «Класс»"), "{}", s.steps[1]),
            many => panic!("one class expected: {many:?}"),
        }
    }
}
