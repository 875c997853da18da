//! `sverka apply` end to end: 50 edits on the full export, the output re-imports, the input
//! file is untouched, and the input is never overwritten without --in-place.

use std::process::Command;

use sverka::book::{CellValue, XlsBook};

mod common;
use common::{cell_record, fixture};

fn sverka(args: &[&std::ffi::OsStr]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_sverka"))
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run sverka: {e}"))
}

#[test]
fn apply_fifty_edits_to_the_full_export() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let before = std::fs::read(fixture("full/export.xls")).unwrap_or_default();
    let mut edits = Vec::new();
    for k in 0..50u32 {
        let row = 3 + k * 5;
        let (col, value) = match k % 5 {
            0 => (8, serde_json::json!(format!("112-233-445 {:02}", 95))),
            1 => (9, serde_json::json!(format!("+7 900 000 00 {:02}", k))),
            2 => (10, serde_json::json!(null)),
            // «Родитель 1: Дата рождения», a column of dates.
            3 => (16, serde_json::json!("01.09.2015")),
            _ => (29, serde_json::json!(format!("Ёлкин{k}@mail.ru"))),
        };
        edits.push(serde_json::json!({"sheet": "Ученики", "row": row, "col": col, "value": value}));
    }
    let (code, err, out) = apply_full(dir.path(), &serde_json::json!(edits));
    assert_eq!(code, 0, "{err}");
    let input = dir.path().join("export.xls");
    assert_eq!(
        std::fs::read(&input).unwrap_or_default(),
        before,
        "input changed"
    );

    let back = XlsBook::open(&out).unwrap_or_else(|e| panic!("{e}"));
    let orig = XlsBook::open(&input).unwrap_or_else(|e| panic!("{e}"));
    let got = back.original(0).cloned().unwrap_or_default();
    let mut want = orig.original(0).cloned().unwrap_or_default();
    for e in &edits {
        let key = (
            e["row"].as_u64().unwrap_or(0) as u32,
            e["col"].as_u64().unwrap_or(0) as u32,
        );
        match e["value"].as_str() {
            // A date typed into the date column is a date: Excel's serial for 01.09.2015.
            Some("01.09.2015") => want.insert(key.0, key.1, CellValue::Date(42248.0)),
            Some(v) => want.insert(key.0, key.1, CellValue::Text(v.into())),
            None => want.remove(key.0, key.1),
        };
    }
    assert_eq!(got, want);
}

#[test]
fn apply_refuses_to_overwrite_the_input_without_in_place() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let input = dir.path().join("export.xls");
    std::fs::copy(fixture("short/export.xls"), &input).unwrap_or_else(|e| panic!("{e}"));
    let before = std::fs::read(&input).unwrap_or_default();
    let edits_path = dir.path().join("edits.json");
    std::fs::write(
        &edits_path,
        r#"[{"sheet": "Ученики", "row": 1, "col": 6, "value": "112-233-445 95"}]"#,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let args = |extra: &[&std::ffi::OsStr]| {
        let mut v: Vec<&std::ffi::OsStr> = vec![
            "apply".as_ref(),
            input.as_os_str(),
            "--edits".as_ref(),
            edits_path.as_os_str(),
        ];
        v.extend_from_slice(extra);
        sverka(&v)
    };
    let same = args(&["--out".as_ref(), input.as_os_str()]);
    assert_eq!(same.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&same.stderr).contains("не перезаписывает"));
    let none = args(&[]);
    assert_eq!(none.status.code(), Some(2));
    assert_eq!(std::fs::read(&input).unwrap_or_default(), before);

    let in_place = args(&["--in-place".as_ref()]);
    assert!(
        in_place.status.success(),
        "{}",
        String::from_utf8_lossy(&in_place.stderr)
    );
    let back = XlsBook::open(&input).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        back.value(0, 1, 6),
        Some(CellValue::Text("112-233-445 95".into()))
    );
}

#[test]
fn bad_input_exits_with_2_and_a_russian_message() {
    let res = sverka(&[
        "apply".as_ref(),
        fixture("bad/html_renamed.xls").as_os_str(),
        "--edits".as_ref(),
        fixture("short/truth.json").as_os_str(),
        "--out".as_ref(),
        "x.xls".as_ref(),
    ]);
    assert_eq!(res.status.code(), Some(2));
    let err = String::from_utf8_lossy(&res.stderr);
    assert!(err.contains("веб-страница"), "{err}");
}

#[test]
fn an_existing_output_is_replaced_only_when_asked() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let input = dir.path().join("export.xls");
    std::fs::copy(fixture("full/export.xls"), &input).unwrap_or_else(|e| panic!("{e}"));
    let edits_path = dir.path().join("edits.json");
    std::fs::write(
        &edits_path,
        br#"[{"sheet": "\u0423\u0447\u0435\u043d\u0438\u043a\u0438", "row": 3, "col": 9, "value": "+7 900 000 00 01"}]"#,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let out = dir.path().join("export_исправлено.xls");
    std::fs::write(&out, b"first round").unwrap_or_else(|e| panic!("{e}"));
    let args = |replace: bool| {
        let mut a: Vec<&std::ffi::OsStr> = vec![
            "apply".as_ref(),
            input.as_os_str(),
            "--edits".as_ref(),
            edits_path.as_os_str(),
            "--out".as_ref(),
            out.as_os_str(),
        ];
        if replace {
            a.push("--replace".as_ref());
        }
        sverka(&a)
    };
    let res = args(false);
    assert_eq!(res.status.code(), Some(2));
    let err = String::from_utf8_lossy(&res.stderr);
    assert!(
        err.contains("уже существует") && err.contains("--replace"),
        "{err}"
    );
    assert_eq!(std::fs::read(&out).unwrap_or_default(), b"first round");
    let res = args(true);
    assert!(
        res.status.success(),
        "{}",
        String::from_utf8_lossy(&res.stderr)
    );
    let book = XlsBook::open(&out).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        book.value(0, 3, 9),
        Some(CellValue::Text("+7 900 000 00 01".into()))
    );
}

/// Writes `edits` (JSON) beside a copy of the full export and runs `sverka apply` into
/// `out.xls`: the exit code, stderr, and the output path.
fn apply_full(
    dir: &std::path::Path,
    edits: &serde_json::Value,
) -> (i32, String, std::path::PathBuf) {
    let input = dir.join("export.xls");
    std::fs::copy(fixture("full/export.xls"), &input).unwrap_or_else(|e| panic!("{e}"));
    let edits_path = dir.join("edits.json");
    std::fs::write(&edits_path, edits.to_string()).unwrap_or_else(|e| panic!("{e}"));
    let out = dir.join("out.xls");
    let res = sverka(&[
        "apply".as_ref(),
        input.as_os_str(),
        "--edits".as_ref(),
        edits_path.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
        "--replace".as_ref(),
    ]);
    (
        res.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&res.stderr).into_owned(),
        out,
    )
}

/// A pupil's ФИО and birth date are never written: `apply` refuses the whole edits file,
/// names every refused cell and whose it is, and writes nothing. Without them it saves.
#[test]
fn apply_refuses_protected_cells_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    // Row 3: Куликова Наталья Юрьевна, 1А; D is «Фамилия», G «Дата рождения», I «СНИЛС».
    let snils =
        serde_json::json!({"sheet": "Ученики", "row": 3, "col": 8, "value": "112-233-445 95"});
    let edits = serde_json::json!([
        {"sheet": "Ученики", "row": 3, "col": 3, "value": "Куликов"},
        snils,
        {"sheet": "Ученики", "row": 3, "col": 6, "value": "14.10.2016"},
    ]);
    let (code, err, out) = apply_full(dir.path(), &edits);
    assert_eq!(code, 2, "{err}");
    assert!(!out.exists(), "nothing may be written");
    for want in [
        "Ученики!D4",
        "Ученики!G4",
        "Куликова Наталья Юрьевна",
        "«Фамилия»",
        "«Дата рождения»",
        "файл не записан",
    ] {
        assert!(err.contains(want), "{want} missing from: {err}");
    }
    assert!(
        !err.contains("Ученики!I4"),
        "the allowed edit is not refused: {err}"
    );

    let (code, err, out) = apply_full(dir.path(), &serde_json::json!([snils]));
    assert_eq!(code, 0, "{err}");
    let back = XlsBook::open(&out).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        back.value(0, 3, 8),
        Some(CellValue::Text("112-233-445 95".into()))
    );
    assert_eq!(
        back.value(0, 3, 3),
        Some(CellValue::Text("Куликова".into()))
    );
}

/// A date typed into a column of dates is a date cell, as Excel stores it: the serial with
/// the cell's own date format, or (an empty or text cell of that column) the format the
/// column's dates use. A number typed into a column of numbers is a number; a СНИЛС or a
/// phone stays text.
#[test]
fn values_take_the_type_of_their_column() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let input = fixture_bytes_full();
    // Q4 is a parent's birth date (a date cell), Q130 a blank with a text format in that
    // column, Z7 an empty «Родитель 2: Дата рождения»; B is «№», a column of numbers.
    let edits = serde_json::json!([
        {"sheet": "Ученики", "row": 3, "col": 16, "value": "14.10.1982"},
        {"sheet": "Ученики", "row": 129, "col": 16, "value": "1982-10-15"},
        {"sheet": "Ученики", "row": 6, "col": 25, "value": "16.10.1982"},
        {"sheet": "Ученики", "row": 4, "col": 1, "value": "77"},
        {"sheet": "Ученики", "row": 5, "col": 1, "value": "007"},
        {"sheet": "Ученики", "row": 3, "col": 19, "value": "79001234567"},
        {"sheet": "Ученики", "row": 3, "col": 18, "value": "11223344595"},
    ]);
    let (code, err, out) = apply_full(dir.path(), &edits);
    assert_eq!(code, 0, "{err}");
    let written = std::fs::read(&out).unwrap_or_default();
    let back = XlsBook::open(&out).unwrap_or_else(|e| panic!("{e}"));
    // 14.10.1982 is serial 30238 in Excel's 1900 date system.
    assert_eq!(back.value(0, 3, 16), Some(CellValue::Date(30238.0)));
    assert_eq!(back.value(0, 129, 16), Some(CellValue::Date(30239.0)));
    assert_eq!(back.value(0, 6, 25), Some(CellValue::Date(30240.0)));
    assert_eq!(back.value(0, 4, 1), Some(CellValue::Number(77.0)));
    assert_eq!(back.value(0, 5, 1), Some(CellValue::Text("007".into())));
    assert_eq!(
        back.value(0, 3, 19),
        Some(CellValue::Text("79001234567".into()))
    );
    assert_eq!(
        back.value(0, 3, 18),
        Some(CellValue::Text("11223344595".into()))
    );
    // Formats: the date cell keeps its own; the others take the column's dates' format.
    let date_xf = cell_record(&input, 0, 3, 16).map(|(_, xf)| xf);
    assert!(date_xf.is_some());
    assert_eq!(
        cell_record(&written, 0, 3, 16),
        date_xf.map(|xf| (0x0203, xf))
    );
    assert_eq!(
        cell_record(&written, 0, 129, 16),
        date_xf.map(|xf| (0x0203, xf))
    );
    let column_z = cell_record(&input, 0, 3, 25).map(|(_, xf)| xf);
    assert_eq!(
        cell_record(&written, 0, 6, 25),
        column_z.map(|xf| (0x0203, xf))
    );
    // The number keeps its cell's format.
    let number_xf = cell_record(&input, 0, 4, 1).map(|(_, xf)| xf);
    assert_eq!(
        cell_record(&written, 0, 4, 1),
        number_xf.map(|xf| (0x0203, xf))
    );
}

fn fixture_bytes_full() -> Vec<u8> {
    std::fs::read(fixture("full/export.xls")).unwrap_or_default()
}
