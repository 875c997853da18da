//! Edits on the real fixtures: every edited cell reads back as written, every other cell is
//! unchanged (full grids compared), and records outside the cell table are kept byte for byte.

use sverka::book::{CellValue, XlsBook};
use sverka::xls::Container;
use sverka::xls::Workbook;
use sverka::xls::XlsError;
use sverka::xls::record_id as id;

const FIXTURES: [&str; 3] = [
    "short/export.xls",
    "full/export.xls",
    "full/export_libreoffice.xls",
];

use sverka_testkit::synth::Rng;

mod common;
use common::{fixture as fixture_path, open_fixture as open};

fn random_text(rng: &mut Rng) -> Option<String> {
    match rng.below(10) {
        0 => None,
        1 => Some("Ёлкина Алёна".into()),
        2 => Some("Ivanоv".into()), // Latin with a Cyrillic о
        3 => Some("李小龙 Пётр".into()),
        4 => Some("052-903-666 55".into()),
        5 => Some("79809679290".into()),
        6 => Some("я".repeat(9000 + rng.below(3000))),
        7 => Some("x".repeat(8300 + rng.below(200))),
        8 => Some("Ж".into()),
        _ => Some(format!("значение {}", rng.next_u64() % 100_000)),
    }
}

fn records_outside_table(file: &[u8]) -> Vec<(u16, Vec<u8>)> {
    let c = Container::parse(file).unwrap_or_else(|e| panic!("{e}"));
    let wb = Workbook::parse(c.workbook).unwrap_or_else(|e| panic!("{e}"));
    let mut out = Vec::new();
    for r in &wb.globals {
        match r.id {
            id::SST | id::EXTSST | id::CONTINUE => {}
            id::BOUNDSHEET => out.push((r.id, r.data(&wb.stream).get(4..).unwrap_or(&[]).to_vec())),
            _ => out.push((r.id, r.data(&wb.stream).to_vec())),
        }
    }
    for s in &wb.sheets {
        for r in &s.recs {
            let table = matches!(
                r.id,
                id::ROW
                    | id::DBCELL
                    | id::INDEX
                    | id::DIMENSIONS
                    | id::BLANK
                    | id::NUMBER
                    | id::RK
                    | id::MULRK
                    | id::MULBLANK
                    | id::LABELSST
                    | id::LABEL
                    | id::RSTRING
                    | id::BOOLERR
                    | id::FORMULA
                    | id::STRING
            );
            if !table {
                out.push((r.id, r.data(&wb.stream).to_vec()));
            }
        }
    }
    out
}

#[test]
fn random_edits_read_back_exactly() {
    let mut rng = Rng::new(0x5EED_2026_1122);
    let mut cases = 0;
    for round in 0..100 {
        for name in FIXTURES {
            let mut book = open(name);
            let grid = book.original(0).cloned().unwrap_or_default();
            let (h, w) = (grid.height() + 4, grid.width() + 3);
            let n = 1 + rng.below(if round % 10 == 0 { 60 } else { 12 });
            for _ in 0..n {
                let (r, c) = (rng.below(h as usize) as u32, rng.below(w as usize) as u32);
                match random_text(&mut rng) {
                    Some(t) => book.set_text(0, r, c, &t),
                    None => book.clear(0, r, c),
                }
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            }
            let bytes = book.to_bytes().unwrap_or_else(|e| panic!("{name}: {e}"));
            if let Err(e) = book.verify(&bytes) {
                panic!("{name}, round {round}: {e}");
            }
            let original = std::fs::read(fixture_path(name)).unwrap_or_default();
            assert_eq!(
                records_outside_table(&bytes),
                records_outside_table(&original),
                "{name}: records outside the cell table changed"
            );
            cases += 1;
        }
    }
    assert_eq!(cases, 300);
}

#[test]
fn cells_inside_mulrk_and_mulblank_runs_split_correctly() {
    let name = "full/export_libreoffice.xls";
    let original = std::fs::read(fixture_path(name)).unwrap_or_default();
    let c = Container::parse(&original).unwrap_or_else(|e| panic!("{e}"));
    let wb = Workbook::parse(c.workbook).unwrap_or_else(|e| panic!("{e}"));
    let runs: Vec<(u16, u16, u16, u16)> = wb.sheets[0]
        .recs
        .iter()
        .filter(|r| r.id == id::MULRK || r.id == id::MULBLANK)
        .filter_map(|r| {
            let d = r.data(&wb.stream);
            let row = u16::from_le_bytes([*d.first()?, *d.get(1)?]);
            let c1 = u16::from_le_bytes([*d.get(2)?, *d.get(3)?]);
            let c2 = u16::from_le_bytes([*d.get(d.len() - 2)?, *d.last()?]);
            Some((r.id, row, c1, c2))
        })
        .collect();
    assert!(runs.iter().any(|r| r.0 == id::MULRK), "fixture has MULRK");
    assert!(
        runs.iter().any(|r| r.0 == id::MULBLANK),
        "fixture has MULBLANK"
    );
    for &(_, row, c1, c2) in runs.iter().take(40) {
        for col in [c1, (c1 + c2) / 2, c2] {
            let mut book = open(name);
            book.set_text(0, u32::from(row), u32::from(col), "123-456-789 64")
                .unwrap_or_else(|e| panic!("{e}"));
            if col != c1 {
                book.clear(0, u32::from(row), u32::from(c1))
                    .unwrap_or_else(|e| panic!("{e}"));
            }
            let bytes = book.to_bytes().unwrap_or_else(|e| panic!("{e}"));
            book.verify(&bytes)
                .unwrap_or_else(|e| panic!("row {row} col {col}: {e}"));
        }
    }
}

/// The book writes what it is given: text stays text even when it looks like a number or a
/// date (which type a typed value takes is the writer's decision, `engine::writer`). Text that
/// reads as the cell already does is no edit: the date cell stays a date.
#[test]
fn text_is_written_as_text_and_retyped_values_are_no_edit() {
    let mut book = open("short/export.xls");
    // Row 1, column E holds a date number (26.03.2016); column A the running number.
    assert!(matches!(book.value(0, 1, 4), Some(CellValue::Date(_))));
    book.set_text(0, 1, 4, "26.03.2016")
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(book.edits().is_empty(), "the cell already reads 26.03.2016");
    book.set_text(0, 2, 4, "25.03.2016")
        .unwrap_or_else(|e| panic!("{e}"));
    book.set_text(0, 1, 0, "00123")
        .unwrap_or_else(|e| panic!("{e}"));
    let bytes = book.to_bytes().unwrap_or_else(|e| panic!("{e}"));
    let back = XlsBook::from_bytes(bytes).unwrap_or_else(|e| panic!("{e}"));
    assert!(matches!(back.value(0, 1, 4), Some(CellValue::Date(_))));
    assert_eq!(
        back.value(0, 2, 4),
        Some(CellValue::Text("25.03.2016".into()))
    );
    assert_eq!(back.value(0, 1, 0), Some(CellValue::Text("00123".into())));
}

/// Numbers and dates are written as NUMBER records: a date keeps its cell's date format, a
/// date written into a text cell takes the format its column's dates use, and a date where
/// no date format can be had is refused.
#[test]
fn numbers_and_dates_are_written_as_numbers() {
    let mut book = open("short/export.xls");
    let date = |d: u32| {
        book_date(
            &book,
            chrono::NaiveDate::from_ymd_opt(2016, 3, d).unwrap_or_default(),
        )
    };
    let (d1, d2) = (date(1), date(2));
    book.set(0, 1, 4, Some(d1.clone()))
        .unwrap_or_else(|e| panic!("{e}"));
    book.set(0, 2, 4, None).unwrap_or_else(|e| panic!("{e}"));
    book.set(0, 2, 4, Some(d2.clone()))
        .unwrap_or_else(|e| panic!("{e}"));
    // A new row below the table, in the column of dates.
    book.set(0, 40, 4, Some(d2.clone()))
        .unwrap_or_else(|e| panic!("{e}"));
    book.set(0, 1, 0, Some(CellValue::Number(12.5)))
        .unwrap_or_else(|e| panic!("{e}"));
    // A number written into a date cell keeps its date format: it is a date.
    book.set(0, 3, 4, Some(CellValue::Number(42000.0)))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(book.value(0, 3, 4), Some(CellValue::Date(42000.0)));
    assert!(matches!(
        book.set(0, 1, 1, Some(d1.clone())),
        Err(XlsError::NoDateFormat { .. })
    ));
    assert!(matches!(
        book.set(0, 1, 0, Some(CellValue::Number(f64::NAN))),
        Err(XlsError::UnwritableValue { .. })
    ));
    assert!(matches!(
        book.set_text(0, 1, 1, "Ива\u{7}нова"),
        Err(XlsError::ControlCharacter { .. })
    ));
    let bytes = book.to_bytes().unwrap_or_else(|e| panic!("{e}"));
    book.verify(&bytes).unwrap_or_else(|e| panic!("{e}"));
    let back = XlsBook::from_bytes(bytes.clone()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(back.value(0, 1, 4), Some(d1));
    assert_eq!(back.value(0, 2, 4), Some(d2.clone()));
    assert_eq!(back.value(0, 40, 4), Some(d2));
    assert_eq!(back.value(0, 1, 0), Some(CellValue::Number(12.5)));
    assert_eq!(back.value(0, 3, 4), Some(CellValue::Date(42000.0)));
    let original = std::fs::read(fixture_path("short/export.xls")).unwrap_or_default();
    let xf = common::cell_record(&original, 0, 1, 4).map(|(_, xf)| xf);
    for row in [1, 2, 40] {
        assert_eq!(
            common::cell_record(&bytes, 0, row, 4),
            xf.map(|x| (0x0203, x))
        );
    }
}

fn book_date(book: &XlsBook, d: chrono::NaiveDate) -> CellValue {
    book.date_value(d)
}

#[test]
fn edits_changed_back_are_not_edits() {
    let mut book = open("short/export.xls");
    let v = book.value(0, 1, 1);
    assert_eq!(v, Some(CellValue::Text("Михайлова".into())));
    book.set_text(0, 1, 1, "Михайлов")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(book.edits().len(), 1);
    book.set_text(0, 1, 1, "Михайлова")
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(book.edits().is_empty());
}

#[test]
fn limits_are_refused_with_reasons() {
    let mut book = open("short/export.xls");
    assert!(matches!(
        book.set_text(0, 65_536, 0, "x"),
        Err(XlsError::CellOutOfRange { .. })
    ));
    assert!(matches!(
        book.set_text(0, 0, 256, "x"),
        Err(XlsError::CellOutOfRange { .. })
    ));
    assert!(matches!(
        book.set_text(0, 0, 0, &"я".repeat(32_768)),
        Err(XlsError::TextTooLong { .. })
    ));
    assert!(book.set_text(0, 0, 0, &"я".repeat(32_767)).is_ok());
    assert!(matches!(
        book.set_text(5, 0, 0, "x"),
        Err(XlsError::NoSuchSheet(_))
    ));
}

#[test]
fn a_cell_far_below_the_table_gets_a_new_row() {
    let mut book = open("full/export.xls");
    book.set_text(0, 65_535, 255, "последняя ячейка")
        .unwrap_or_else(|e| panic!("{e}"));
    book.set_text(0, 300, 2, "новая строка")
        .unwrap_or_else(|e| panic!("{e}"));
    let bytes = book.to_bytes().unwrap_or_else(|e| panic!("{e}"));
    book.verify(&bytes).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn every_bad_file_gets_its_own_message() {
    type IsExpected = fn(&XlsError) -> bool;
    let cases: [(&str, IsExpected); 6] = [
        ("bad/empty.xls", |e| matches!(e, XlsError::Empty)),
        ("bad/truncated.xls", |e| {
            matches!(e, XlsError::Corrupt { .. })
        }),
        ("bad/encrypted_password_secret.xls", |e| {
            matches!(e, XlsError::Encrypted)
        }),
        ("bad/xlsx_renamed.xls", |e| {
            matches!(e, XlsError::XlsxNamedXls)
        }),
        ("bad/html_renamed.xls", |e| matches!(e, XlsError::Html)),
        ("bad/csv_renamed.xls", |e| matches!(e, XlsError::Text)),
    ];
    let mut messages = std::collections::BTreeSet::new();
    for (name, is_expected) in cases {
        match XlsBook::open(&fixture_path(name)) {
            Ok(_) => panic!("{name} was opened"),
            Err(e) => {
                assert!(is_expected(&e), "{name}: unexpected {e:?}");
                let text = e.to_string();
                assert!(text.chars().any(|c| ('а'..='я').contains(&c)), "{text}");
                messages.insert(text);
            }
        }
    }
    assert_eq!(messages.len(), 6, "each refusal says something different");
    let missing = XlsBook::open(&fixture_path("bad/no_such_file.xls"));
    assert!(matches!(missing, Err(XlsError::NotFound(_))));
    let dir = XlsBook::open(&fixture_path("bad"));
    assert!(matches!(dir, Err(XlsError::IsFolder(_))));
}

#[test]
fn verify_catches_a_file_that_lacks_the_edits() {
    let mut book = open("short/export.xls");
    let untouched = std::fs::read(fixture_path("short/export.xls")).unwrap_or_default();
    book.set_text(0, 2, 6, "112-233-445 95")
        .unwrap_or_else(|e| panic!("{e}"));
    let err = book
        .verify(&untouched)
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(err.contains("G3"), "{err}");
}

/// A book whose every text cell is cleared keeps strings in its SST; its cstTotal (the count
/// of text cells) must not drop to 0 then, or Apache POI reads none of the strings and refuses
/// the file. Found by a corpus edit seed on two of POI's own test books.
#[test]
fn clearing_every_text_cell_keeps_the_string_table_readable() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let src = fixture_path("realworld/poi/TwoSheetsNoneHidden.xls");
    let mut book = XlsBook::open(&src).unwrap_or_else(|e| panic!("{e}"));
    for sheet in 0..2 {
        book.set(sheet, 0, 0, None)
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let out = dir.path().join("cleared.xls");
    book.save_as(&out).unwrap_or_else(|e| panic!("{e}"));
    let file = std::fs::read(&out).unwrap_or_else(|e| panic!("{e}"));
    let c = Container::parse(&file).unwrap_or_else(|e| panic!("{e}"));
    let wb = Workbook::parse(c.workbook).unwrap_or_else(|e| panic!("{e}"));
    let sst = wb
        .sst_records()
        .first()
        .map(|r| r.data(&wb.stream).to_vec())
        .unwrap_or_default();
    let total = sverka::xls::u16_at(&sst, 0).unwrap_or(0);
    let unique = sverka::xls::u16_at(&sst, 4).unwrap_or(0);
    assert_eq!(unique, 2, "the strings stay in the table");
    assert!(total >= 1, "cstTotal {total} with {unique} strings");
    // And the cells read as cleared.
    let again = XlsBook::open(&out).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(again.value(0, 0, 0), None);
    assert_eq!(again.value(1, 0, 0), None);
}
