//! `match --json` says why a login fails beyond the fields (`diagnoses`), on the full
//! fixture export (written by Apache POI): no cause the data does not support on its 40
//! appeals (every account confirmed, every named child linked), and the causes when an
//! appeal's account is not confirmed or its message names a pupil who is not the parent's
//! child.

use std::path::{Path, PathBuf};

use serde_json::Value;

mod common;
use common::{fixture, sverka};

fn match_json(export: &Path, appeals: &[PathBuf]) -> Vec<Value> {
    let mut args: Vec<&std::ffi::OsStr> = vec!["match".as_ref(), export.as_os_str()];
    args.extend(appeals.iter().map(|a| a.as_os_str()));
    args.push("--json".as_ref());
    let (code, stdout, stderr) = sverka(&args);
    assert_eq!(code, 0, "{stderr}");
    serde_json::from_str::<Value>(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"))["appeals"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn kinds(a: &Value) -> Vec<String> {
    a["diagnoses"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|d| d["kind"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn no_cause_the_data_does_not_support_on_the_fixture() {
    let all = match_json(&fixture("full/export.xls"), &[fixture("full/appeals")]);
    assert_eq!(all.len(), 40);
    for a in &all {
        let k = kinds(a);
        assert!(!k.is_empty(), "{a:#}");
        for wrong in [
            "account_not_confirmed",
            "child_not_linked",
            "duplicate_cards",
        ] {
            assert!(!k.iter().any(|x| x == wrong), "{wrong} in {a:#}");
        }
        // Every diagnosis has its message; a field difference names its fields.
        for d in a["diagnoses"].as_array().into_iter().flatten() {
            assert!(d["message"].as_str().is_some_and(|m| m.len() > 20), "{d:#}");
        }
        let differ = a["fields"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|f| f["verdict"] != "equal");
        assert_eq!(k.iter().any(|x| x == "fields_differ"), differ, "{a:#}");
        assert_eq!(
            k.iter().any(|x| x == "no_cause_found"),
            k.len() == 1 && !differ
        );
    }
}

#[test]
fn an_unconfirmed_account_and_a_child_not_linked_are_diagnosed() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let card =
        std::fs::read_to_string(fixture("full/appeals/001.txt")).unwrap_or_else(|e| panic!("{e}"));
    let write = |name: &str, text: String| {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap_or_else(|e| panic!("{e}"));
        p
    };
    let simplified = write(
        "simplified.txt",
        card.replace("Подтвержденная", "Упрощенная"),
    );
    // The mother names a pupil of another family (row 12, Дмитриев Павел, 1А).
    let other = write(
        "other_child.txt",
        card.replace(
            "Ребёнок Медведев Владимир, 3А класс",
            "Ребёнок Дмитриев Павел, 1А класс",
        ),
    );
    let no_type = write(
        "no_type.txt",
        card.replace("Тип учетной записи ЕСИА Подтвержденная\n", ""),
    );
    let all = match_json(&fixture("full/export.xls"), &[simplified, other, no_type]);
    let [simplified, other, no_type] = all.as_slice() else {
        panic!("{all:#?}");
    };

    let d = &simplified["diagnoses"][0];
    assert_eq!(d["kind"], "account_not_confirmed", "{simplified:#}");
    assert_eq!(d["account"], "Упрощенная");
    assert!(
        d["message"]
            .as_str()
            .is_some_and(|m| m.contains("ничего менять не нужно"))
    );

    let d = other["diagnoses"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|d| d["kind"] == "child_not_linked")
        .unwrap_or_else(|| panic!("{other:#}"));
    assert_eq!(
        d["child"],
        serde_json::json!({"sheet": "Ученики", "row": 11})
    );
    assert_eq!(
        d["parent"],
        serde_json::json!({"sheet": other["person"]["sheet"], "row": other["person"]["row"]})
    );
    assert!(
        d["message"]
            .as_str()
            .is_some_and(|m| m.contains("Присоединить ребёнка"))
    );

    // No account type: never «не подтверждена».
    assert!(!kinds(no_type).iter().any(|k| k == "account_not_confirmed"));
}
