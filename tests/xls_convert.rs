//! Sources that are not Excel 97-2003 (`.xlsx`, `.ods`) become a fresh BIFF8 workbook with the
//! same sheets and cells: text stays text, dates stay dates, and the result can be edited and
//! saved like any export — but the source file itself is never overwritten.

use sverka::book::{CellValue, SourceFormat, XlsBook};
use sverka::xls::XlsError;
use sverka::xls::{FreshCell, FreshSheet, write_fresh as write};

mod common;
use common::fixture;

fn xlsx_with_every_kind_of_cell(path: &std::path::Path) {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let date = rust_xlsxwriter::Format::new().set_num_format("dd.mm.yyyy");
    let ok = (|| -> Result<(), rust_xlsxwriter::XlsxError> {
        let s = wb.add_worksheet();
        s.set_name("Ученики")?;
        s.write_string(0, 0, "Сведения об учениках")?;
        for (c, h) in [
            "Фамилия",
            "Имя",
            "Дата рождения",
            "СНИЛС",
            "Телефон",
            "Баллы",
        ]
        .iter()
        .enumerate()
        {
            s.write_string(2, c as u16, *h)?;
        }
        s.write_string(3, 0, "Ёлкина")?;
        s.write_string(3, 1, "Алёна")?;
        s.write_number_with_format(3, 2, 40283.0, &date)?;
        s.write_string(3, 3, "05290366655")?;
        s.write_string(3, 4, "+7 (900) 123-45-67")?;
        s.write_number(3, 5, 4.5)?;
        s.write_boolean(4, 5, true)?;
        let p = wb.add_worksheet();
        p.set_name("Родители")?;
        p.write_string(0, 0, "Фамилия")?;
        wb.save(path)?;
        Ok(())
    })();
    ok.unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn xlsx_becomes_an_editable_xls_with_the_same_cells() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let src = dir.path().join("класс.xlsx");
    xlsx_with_every_kind_of_cell(&src);
    let before = std::fs::read(&src).unwrap_or_default();

    let mut book = XlsBook::open(&src).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(book.converted_from(), Some(SourceFormat::Xlsx));
    assert_eq!(book.sheet_names(), ["Ученики", "Родители"]);
    let text = |s: &str| Some(CellValue::Text(s.into()));
    assert_eq!(book.value(0, 0, 0), text("Сведения об учениках"));
    assert_eq!(book.value(0, 2, 2), text("Дата рождения"));
    assert_eq!(book.value(0, 3, 0), text("Ёлкина"));
    assert_eq!(book.value(0, 3, 2), Some(CellValue::Date(40283.0)));
    assert_eq!(book.value(0, 3, 3), text("05290366655"));
    assert_eq!(book.value(0, 3, 5), Some(CellValue::Number(4.5)));
    assert_eq!(book.value(0, 4, 5), Some(CellValue::Bool(true)));
    assert_eq!(book.value(1, 0, 0), text("Фамилия"));

    book.set_text(0, 3, 3, "052-903-666 55")
        .unwrap_or_else(|e| panic!("{e}"));
    let out = dir.path().join("класс_исправлено.xls");
    book.save_as(&out).unwrap_or_else(|e| panic!("{e}"));
    let back = XlsBook::open(&out).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(back.converted_from(), None, "the output is a real .xls");
    assert_eq!(back.value(0, 3, 3), text("052-903-666 55"));
    assert_eq!(back.value(0, 3, 2), Some(CellValue::Date(40283.0)));

    assert!(matches!(
        book.save_in_place(),
        Err(XlsError::ConvertedSource { .. })
    ));
    assert!(matches!(
        book.save_as(&src),
        Err(XlsError::WouldOverwrite(_))
    ));
    assert_eq!(std::fs::read(&src).unwrap_or_default(), before);
}

#[test]
fn ods_written_by_libreoffice_keeps_every_cell_of_the_export() {
    let xls = XlsBook::open(&fixture("short/export.xls")).unwrap_or_else(|e| panic!("{e}"));
    let ods = XlsBook::open(&fixture("convert/short_export.ods")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(ods.converted_from(), Some(SourceFormat::Ods));
    assert_eq!(ods.sheet_names(), xls.sheet_names());
    let (a, b) = (xls.original(0), ods.original(0));
    assert!(a.is_some_and(|g| g.len() > 250));
    assert_eq!(a, b);
}

#[test]
fn a_broken_xlsx_is_refused_with_a_message() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let src = dir.path().join("сломан.xlsx");
    std::fs::write(&src, b"PK\x03\x04 not really a zip").unwrap_or_else(|e| panic!("{e}"));
    match XlsBook::open(&src) {
        Err(e @ XlsError::OtherFormat(_)) => {
            let text = e.to_string();
            assert!(text.starts_with("Не удалось прочитать книгу"), "{text}");
            // calamine's own (English) reason is kept as the source, not shown.
            assert!(std::error::Error::source(&e).is_some());
            assert!(!text.contains("zip") && !text.contains("Zip"), "{text}");
        }
        other => panic!("unexpected {:?}", other.map(|_| ())),
    }
    let empty = dir.path().join("пусто.ods");
    std::fs::write(&empty, b"").unwrap_or_else(|e| panic!("{e}"));
    assert!(matches!(XlsBook::open(&empty), Err(XlsError::Empty)));
}

// A workbook written from scratch (the `.xlsx`/`.ods` conversion path) reads back with its
// types and can be edited by the same patcher as an export.

fn sample() -> Vec<FreshSheet> {
    vec![
        FreshSheet {
            name: "Ученики".into(),
            cells: vec![
                (0, 0, FreshCell::Text("Фамилия".into())),
                (0, 1, FreshCell::Text("Дата рождения".into())),
                (0, 2, FreshCell::Text("СНИЛС".into())),
                (1, 0, FreshCell::Text("Ёлкина".into())),
                (1, 1, FreshCell::Date(40283.0)),
                (1, 2, FreshCell::Text("05290366655".into())),
                (1, 3, FreshCell::Number(12.5)),
                (2, 4, FreshCell::Bool(true)),
                (70, 0, FreshCell::Text("Ёлкина".into())),
            ],
        },
        FreshSheet {
            name: "Пустой".into(),
            cells: vec![],
        },
    ]
}

#[test]
fn fresh_book_reads_back_with_types() {
    let file = write(&sample()).unwrap_or_else(|e| panic!("{e}"));
    let grids = sverka::book::read_grids(&file).unwrap_or_else(|e| panic!("{e}"));
    use CellValue as V;
    assert_eq!(grids.len(), 2);
    assert_eq!(grids[0].name, "Ученики");
    assert_eq!(grids[1].name, "Пустой");
    let g = &grids[0];
    assert_eq!(g.get(0, 0), Some(&V::Text("Фамилия".into())));
    assert_eq!(g.get(1, 1), Some(&V::Date(40283.0)));
    assert_eq!(g.get(1, 2), Some(&V::Text("05290366655".into())));
    assert_eq!(g.get(1, 3), Some(&V::Number(12.5)));
    assert_eq!(g.get(2, 4), Some(&V::Bool(true)));
    assert_eq!(g.get(70, 0), Some(&V::Text("Ёлкина".into())));
    assert_eq!(g.len(), 9);
}

#[test]
fn fresh_book_is_editable_by_the_patcher() {
    let file = write(&sample()).unwrap_or_else(|e| panic!("{e}"));
    let mut book = XlsBook::from_bytes(file).unwrap_or_else(|e| panic!("{e}"));
    book.set_text(0, 1, 2, "052-903-666 55")
        .unwrap_or_else(|e| panic!("{e}"));
    book.set_text(0, 40, 7, "новая")
        .unwrap_or_else(|e| panic!("{e}"));
    let out = book.to_bytes().unwrap_or_else(|e| panic!("{e}"));
    book.verify(&out).unwrap_or_else(|e| panic!("{e}"));
}
