//! `sverka apply` end to end: 50 edits on the full export, the output re-imports, the input
//! file is untouched, and the input is never overwritten without --in-place.

use std::process::Command;

use sverka::book::{CellValue, XlsBook};

mod common;
use common::fixture;

fn sverka(args: &[&std::ffi::OsStr]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_sverka"))
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run sverka: {e}"))
}

#[test]
fn apply_fifty_edits_to_the_full_export() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let input = dir.path().join("export.xls");
    std::fs::copy(fixture("full/export.xls"), &input).unwrap_or_else(|e| panic!("{e}"));
    let before = std::fs::read(&input).unwrap_or_default();
    let mut edits = Vec::new();
    for k in 0..50u32 {
        let row = 3 + k * 5;
        let (col, value) = match k % 5 {
            0 => (8, serde_json::json!(format!("112-233-445 {:02}", 95))),
            1 => (9, serde_json::json!(format!("+7 900 000 00 {:02}", k))),
            2 => (10, serde_json::json!(null)),
            3 => (6, serde_json::json!("01.09.2015")),
            _ => (29, serde_json::json!(format!("Ёлкин{k}@mail.ru"))),
        };
        edits.push(serde_json::json!({"sheet": "Ученики", "row": row, "col": col, "value": value}));
    }
    let edits_path = dir.path().join("edits.json");
    std::fs::write(&edits_path, serde_json::to_vec(&edits).unwrap_or_default())
        .unwrap_or_else(|e| panic!("{e}"));
    let out = dir.path().join("out.xls");
    let res = sverka(&[
        "apply".as_ref(),
        input.as_os_str(),
        "--edits".as_ref(),
        edits_path.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ]);
    assert!(
        res.status.success(),
        "{}",
        String::from_utf8_lossy(&res.stderr)
    );
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
