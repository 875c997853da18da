//! The engine against the fixtures' ground truth: every appeal whose person is in the export is
//! matched to that person, absent people are `not_found`, every injected difference is reported
//! on the right cell and field (with the right kind), and nothing else is reported.
//! Prints precision and recall per field and per kind; fails below 100%.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use sverka::book::XlsBook;

use sverka::engine::Field;
use sverka::engine::{Analysis, match_appeals};
use sverka::engine::{DiffKind, Status, Verdict};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn field_of(label: &str) -> Field {
    match label {
        "Фамилия" => Field::Surname,
        "Имя" => Field::Name,
        "Отчество" => Field::Patronymic,
        "Дата рождения" => Field::BirthDate,
        "Пол" => Field::Sex,
        "СНИЛС" => Field::Snils,
        "Телефон" => Field::Phone,
        "E-mail" | "Электронная почта" => Field::Email,
        other => panic!("unknown truth field {other}"),
    }
}

/// The kind sverka must name for each kind of injected difference.
fn kind_of(truth: &str) -> &'static [DiffKind] {
    match truth {
        "dob_missing" | "phone_missing" | "snils_missing" | "no_patronymic" => &[DiffKind::Missing],
        "homoglyph" => &[DiffKind::Homoglyph],
        "snils_typo" => &[DiffKind::OneDigit, DiffKind::Typo],
        "snils_transpose" => &[DiffKind::AdjacentSwap],
        "phone_diff" => &[DiffKind::Other, DiffKind::OneDigit, DiffKind::AdjacentSwap],
        "dob_year" => &[DiffKind::YearOff],
        "dob_swap" => &[DiffKind::DayMonthSwap],
        "sex" => &[DiffKind::Other],
        "typo_name" => &[DiffKind::Typo],
        "yo" => &[DiffKind::YoE],
        "space" => &[DiffKind::Spaces],
        other => panic!("unknown truth kind {other}"),
    }
}

/// Differences the fixtures' truth claims but the exports do not contain (checked below: if a
/// fixture is corrected, the check fails and the entry must go).
const TRUTH_ERRORS: &[(&str, &str, &str)] = &[("full", "024.txt", "Пол")];

#[derive(Default)]
struct Counts {
    tp: usize,
    fp: usize,
    fn_: usize,
}

/// A fixture set: its export, its ground truth (one entry per appeal) and its appeals.
fn load_set(
    set: &str,
    export: &str,
) -> (XlsBook, Vec<serde_json::Value>, Vec<sverka::engine::Appeal>) {
    let dir = fixtures().join(set);
    let book = XlsBook::open(&dir.join(export)).unwrap_or_else(|e| panic!("{e}"));
    let truth: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("truth.json")).unwrap_or_default())
            .unwrap_or_else(|e| panic!("{e}"));
    let entries = truth.as_array().cloned().unwrap_or_default();
    let mut appeals = Vec::new();
    for e in &entries {
        let name = e["appeal"].as_str().unwrap_or_default();
        let mut list = sverka::engine::load_file(&dir.join("appeals").join(name))
            .unwrap_or_else(|err| panic!("{name}: {err}"));
        assert_eq!(list.len(), 1, "{name}");
        for a in &mut list {
            a.source = name.to_string();
        }
        appeals.extend(list);
    }
    (book, entries, appeals)
}

fn check(
    set: &str,
    export: &str,
    failures: &mut Vec<String>,
    per_field: &mut BTreeMap<String, Counts>,
    per_kind: &mut BTreeMap<String, Counts>,
) {
    let (book, entries, appeals) = load_set(set, export);
    let grids = book.originals().to_vec();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap_or_default();
    let analysis = Analysis::run(&grids, &[], today);
    let outcomes = match_appeals(&grids, &analysis, appeals);
    for (e, o) in entries.iter().zip(&outcomes) {
        let name = format!(
            "{set}/{export} {}",
            e["appeal"].as_str().unwrap_or_default()
        );
        let r = &o.result;
        let Some(place) = e["where"].as_array() else {
            if r.status != Status::NotFound {
                failures.push(format!(
                    "{name}: absent person got {:?} {:?}",
                    r.status, r.person
                ));
            }
            continue;
        };
        let want_sheet = place.first().and_then(|v| v.as_str()).unwrap_or_default();
        let want_row = place.get(1).and_then(|v| v.as_u64()).unwrap_or(u64::MAX) as u32;
        let want_group = place.get(2).and_then(|v| v.as_u64()).map(|g| g as usize);
        let person = r.person.and_then(|i| analysis.schema.person(i));
        let right = person.is_some_and(|p| {
            book.sheet_names().get(p.sheet).copied() == Some(want_sheet)
                && p.row == want_row
                && p.group == want_group
        });
        if r.status != Status::Matched || !right {
            failures.push(format!(
                "{name}: expected {want_sheet}:{want_row}:{want_group:?}, got {:?} {:?} (candidates {:?})",
                r.status,
                person.map(|p| (p.row, p.group)),
                r.candidates.iter().map(|c| analysis.schema.person(c.person).map(|p| (p.row, p.group, (c.score * 100.0).round()))).collect::<Vec<_>>()
            ));
            continue;
        }
        let p = person.unwrap_or_else(|| unreachable!());
        let appeal_name = e["appeal"].as_str().unwrap_or_default();
        let wrong_truth: Vec<Field> = TRUTH_ERRORS
            .iter()
            .filter(|(s, a, _)| *s == set && *a == appeal_name)
            .map(|(_, _, f)| field_of(f))
            .collect();
        for f in &wrong_truth {
            // The card agrees with Госуслуги here (for sex: with the appeal's patronymic).
            let r = r.fields.iter().find(|x| x.field == *f);
            assert!(
                r.is_some_and(|r| r.verdict == Verdict::Equal
                    && r.card == r.appeal.as_ref().map(|a| a.chars().take(1).collect())),
                "{name}: the fixture now has the {f:?} difference; remove it from TRUTH_ERRORS"
            );
        }
        let diffs: BTreeMap<Field, String> = e["diffs"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .iter()
            .filter(|d| !wrong_truth.contains(&field_of(d["field"].as_str().unwrap_or_default())))
            .map(|d| {
                (
                    field_of(d["field"].as_str().unwrap_or_default()),
                    d["kind"].as_str().unwrap_or_default().to_string(),
                )
            })
            .collect();
        for f in &r.fields {
            let reported = f.verdict != Verdict::Equal;
            let truth_kind = diffs.get(&f.field);
            let key = f.field.label_ru().to_string();
            let c = per_field.entry(key).or_default();
            match (reported, truth_kind) {
                (true, Some(k)) => {
                    c.tp += 1;
                    let kc = per_kind.entry(k.clone()).or_default();
                    if kind_of(k).contains(&f.kind)
                        && f.cell == sverka::book::CellRef::new(p.sheet, p.row, p.cols[&f.field])
                    {
                        kc.tp += 1;
                    } else {
                        kc.fn_ += 1;
                        failures.push(format!(
                            "{name}: {:?} reported as {:?}, truth {k}",
                            f.field, f.kind
                        ));
                    }
                }
                (true, None) => {
                    c.fp += 1;
                    failures.push(format!(
                        "{name}: {:?} reported ({:?}: card {:?}, appeal {:?}) but equal in truth",
                        f.field, f.kind, f.card, f.appeal
                    ));
                }
                (false, Some(k)) => {
                    c.fn_ += 1;
                    per_kind.entry(k.clone()).or_default().fn_ += 1;
                    failures.push(format!("{name}: {:?} ({k}) not reported", f.field));
                }
                (false, None) => {}
            }
        }
        for (field, k) in &diffs {
            if !r.fields.iter().any(|f| f.field == *field) {
                per_field
                    .entry(field.label_ru().to_string())
                    .or_default()
                    .fn_ += 1;
                per_kind.entry(k.clone()).or_default().fn_ += 1;
                failures.push(format!("{name}: {field:?} ({k}) not compared at all"));
            }
        }
    }
}

fn pct(a: usize, b: usize) -> f64 {
    if b == 0 {
        100.0
    } else {
        100.0 * a as f64 / b as f64
    }
}

#[test]
fn fixtures_match_their_ground_truth() {
    let mut failures = Vec::new();
    let mut per_field = BTreeMap::new();
    let mut per_kind = BTreeMap::new();
    for (set, export) in [
        ("short", "export.xls"),
        ("full", "export.xls"),
        ("full", "export_libreoffice.xls"),
    ] {
        check(set, export, &mut failures, &mut per_field, &mut per_kind);
    }
    println!("{:<16} {:>9} {:>9}", "поле", "точность", "полнота");
    for (k, c) in &per_field {
        println!(
            "{k:<16} {:>8.1}% {:>8.1}%",
            pct(c.tp, c.tp + c.fp),
            pct(c.tp, c.tp + c.fn_)
        );
    }
    println!("{:<16} {:>9}", "вид расхождения", "полнота");
    for (k, c) in &per_kind {
        println!(
            "{k:<16} {:>8.1}%  ({} из {})",
            pct(c.tp, c.tp + c.fn_),
            c.tp,
            c.tp + c.fn_
        );
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
