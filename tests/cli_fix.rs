//! `sverka fix` on the full export with all its appeals: every fixable difference is gone from
//! the written file, protected cells are untouched, `check` then reports only the manual items,
//! and the file keeps the round-trip guarantees (full grid otherwise unchanged).

use sverka::book::XlsBook;

mod common;
use common::{fixture, sverka};

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// How many fixes the ground truth expects written into the file and left to do by hand:
/// pupils' ФИО and birth date are manual, everything else is fixed in the file (less the one
/// difference the truth claims but the export lacks, see tests/engine_truth.rs).
fn expected_counts() -> (usize, usize) {
    let truth = json(&std::fs::read_to_string(fixture("full/truth.json")).unwrap_or_default());
    let (mut want_applied, mut want_manual) = (0, 0);
    for e in truth.as_array().cloned().unwrap_or_default() {
        if e["where"].is_null() {
            continue;
        }
        for d in e["diffs"].as_array().cloned().unwrap_or_default() {
            let field = d["field"].as_str().unwrap_or_default();
            if e["appeal"] == "024.txt" && field == "Пол" {
                continue;
            }
            let identity = ["Фамилия", "Имя", "Отчество", "Дата рождения"].contains(&field);
            if e["role"] == "student" && identity {
                want_manual += 1;
            } else {
                want_applied += 1;
            }
        }
    }
    (want_applied, want_manual)
}

#[test]
fn fix_the_full_export_with_all_its_appeals() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let input = dir.path().join("export.xls");
    std::fs::copy(fixture("full/export.xls"), &input).unwrap_or_else(|e| panic!("{e}"));
    let before = std::fs::read(&input).unwrap_or_default();
    let appeals = fixture("full/appeals");
    let out = dir.path().join("export_исправлено.xls");

    let (code, stdout, stderr) = sverka(&[
        "fix".as_ref(),
        input.as_os_str(),
        appeals.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
        "--json".as_ref(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    let fixed = json(&stdout);
    let applied = fixed["applied"].as_array().cloned().unwrap_or_default();
    let manual = fixed["manual"].as_array().cloned().unwrap_or_default();
    let (want_applied, want_manual) = expected_counts();
    assert_eq!(applied.len(), want_applied);
    assert_eq!(manual.len(), want_manual);
    assert_eq!(
        std::fs::read(&input).unwrap_or_default(),
        before,
        "input changed"
    );

    // Every cell not in `applied` is exactly as exported; every applied cell has its value.
    let original = XlsBook::open(&input).unwrap_or_else(|e| panic!("{e}"));
    let written = XlsBook::open(&out).unwrap_or_else(|e| panic!("{e}"));
    let (a, b) = (original.originals(), written.originals());
    assert_eq!(a.len(), b.len());
    let mut changed = std::collections::BTreeSet::new();
    for x in &applied {
        let (row, col) = (
            x["row"].as_u64().unwrap_or(0) as u32,
            x["col"].as_u64().unwrap_or(0) as u32,
        );
        let want = x["new"].as_str().unwrap_or_default();
        assert_eq!(
            b[0].get(row, col).map(|v| v.display()).as_deref(),
            Some(want)
        );
        changed.insert((row, col));
    }
    for (k, v) in a[0].iter() {
        if !changed.contains(&k) {
            assert_eq!(b[0].get(k.0, k.1), Some(v), "cell {k:?} changed");
        }
    }
    for (k, _) in b[0].iter() {
        assert!(
            a[0].get(k.0, k.1).is_some() || changed.contains(&k),
            "cell {k:?} appeared"
        );
    }
    assert_column_types(&a[0], &b[0], &changed);
    // Protected cells (pupils' ФИО and birth dates: columns D–G) were never written.
    assert!(
        changed.iter().all(|&(_, c)| !(3..=6).contains(&c)),
        "a protected cell was written"
    );

    // Matching again: only the manual differences remain.
    let (_, stdout, _) = sverka(&[
        "match".as_ref(),
        out.as_os_str(),
        appeals.as_os_str(),
        "--json".as_ref(),
    ]);
    let again = json(&stdout);
    let mut remaining = 0;
    for a in again["appeals"].as_array().cloned().unwrap_or_default() {
        for f in a["fields"].as_array().cloned().unwrap_or_default() {
            let v = f["verdict"].as_str().unwrap_or_default();
            assert!(
                v == "equal" || v == "protected_differs",
                "{}: {} still {v}",
                a["source"],
                f["field"]
            );
            if v == "protected_differs" {
                remaining += 1;
            }
        }
    }
    assert_eq!(remaining, manual.len());

    // `check` with the appeals: the appeal findings are exactly the manual items.
    let (code, stdout, _) = sverka(&[
        "check".as_ref(),
        out.as_os_str(),
        appeals.as_os_str(),
        "--json".as_ref(),
    ]);
    assert_eq!(code, 1, "the manual items are findings");
    let check = json(&stdout);
    let appeal_kinds: Vec<String> = check["findings"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .filter_map(|f| f["kind"].as_str().map(str::to_string))
        .filter(|k| {
            [
                "differs_from_appeal",
                "missing_in_card",
                "protected_differs",
            ]
            .contains(&k.as_str())
        })
        .collect();
    assert_eq!(appeal_kinds.len(), manual.len());
    assert!(appeal_kinds.iter().all(|k| k == "protected_differs"));
}

#[test]
fn match_json_follows_the_contract() {
    let (code, stdout, stderr) = sverka(&[
        "match".as_ref(),
        fixture("full/export.xls").as_os_str(),
        fixture("full/appeals/001.txt").as_os_str(),
        fixture("short/appeals/001.txt").as_os_str(),
        "--json".as_ref(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    let v = json(&stdout);
    let first = &v["appeals"][0];
    assert_eq!(first["status"], "matched");
    assert_eq!(first["person"]["sheet"], "Ученики");
    assert_eq!(first["person"]["row"], 65);
    assert_eq!(first["person"]["role"], "parent");
    assert_eq!(first["person"]["group"], 0);
    let patronymic = first["fields"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .find(|f| f["field"] == "patronymic")
        .unwrap_or_default();
    assert_eq!(patronymic["verdict"], "differs");
    assert_eq!(patronymic["suggestion"], "Денисовна");
    assert_eq!(patronymic["cell"]["col"], 15);
    assert_eq!(v["appeals"][1]["status"], "not_found");
}

#[test]
fn check_exit_codes_and_bad_input() {
    let (code, stdout, _) = sverka(&["check".as_ref(), fixture("full/export.xls").as_os_str()]);
    assert_eq!(code, 1);
    assert!(stdout.contains("Проверено людей"), "{stdout}");
    let (code, _, stderr) = sverka(&[
        "check".as_ref(),
        fixture("bad/encrypted_password_secret.xls").as_os_str(),
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("паролем"), "{stderr}");
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let junk = dir.path().join("мусор.txt");
    std::fs::write(&junk, "привет").unwrap_or_else(|e| panic!("{e}"));
    let (code, _, stderr) = sverka(&[
        "match".as_ref(),
        fixture("full/export.xls").as_os_str(),
        junk.as_os_str(),
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("не найдено данных гражданина"), "{stderr}");
}

/// Every written cell has the type of its column's cells (parents' birth dates are dates in
/// this export, СНИЛС and phones text): the kind most of the column's data cells have.
fn assert_column_types(
    before: &sverka::book::Grid,
    after: &sverka::book::Grid,
    changed: &std::collections::BTreeSet<(u32, u32)>,
) {
    let kind = |v: &sverka::book::CellValue| std::mem::discriminant(v);
    let mut dates_written = 0;
    for &(row, col) in changed {
        let mut counts: std::collections::HashMap<_, usize> = Default::default();
        for r in 3..before.height() {
            if let Some(v) = before.get(r, col) {
                *counts.entry(kind(v)).or_default() += 1;
            }
        }
        let column = counts.iter().max_by_key(|(_, n)| **n).map(|(k, _)| *k);
        let cell = after.get(row, col);
        assert_eq!(cell.map(kind), column, "{row}:{col} {cell:?}");
        dates_written += usize::from(matches!(cell, Some(sverka::book::CellValue::Date(_))));
    }
    assert!(
        dates_written > 0,
        "the appeals fix some parents' birth dates"
    );
}
