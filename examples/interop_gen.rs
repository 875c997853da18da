//! Writes edited `.xls` files and the grids they must show, for the independent readers in
//! `tests/interop/check.py` (Python `xlrd` and LibreOffice headless).
//!
//! `cargo run --example interop_gen -- OUT_DIR [COUNT]` writes, for each case `NNN`:
//! `NNN.xls` (the edited output), `NNN.original.xls` (the file it was made from) and
//! `NNN.expected.json` (every non-empty cell of every sheet with its type).
//! The edits (texts, numbers and dates) are random but deterministic (fixed seed), across the
//! POI- and LibreOffice-written fixtures and a fresh BIFF8 workbook converted from `.xlsx`.

use std::path::{Path, PathBuf};

use sverka::book::{CellValue, SourceFormat, XlsBook};

#[path = "../tests/common/corpus.rs"]
mod corpus;

const FIXTURES: [&str; 3] = [
    "short/export.xls",
    "full/export.xls",
    "full/export_libreoffice.xls",
];

use sverka_testkit::synth::Rng;

fn random_text(rng: &mut Rng) -> Option<String> {
    match rng.below(12) {
        0 => None,
        1 => Some("Ёлкина Алёна".into()),
        2 => Some("Ivanоv".into()),
        3 => Some("李小龙 Пётр".into()),
        4 => Some("052-903-666 55".into()),
        5 => Some("79809679290".into()),
        6 => Some("я".repeat(5000 + rng.below(4000))),
        7 => Some("x".repeat(8300 + rng.below(200))),
        8 => Some("Ж".into()),
        9 => Some("\"кавычки\", запятая; точка с запятой".into()),
        10 => Some("01.09.2015".into()),
        _ => Some(format!("значение {}", rng.next_u64() % 100_000)),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let out = PathBuf::from(args.get(1).map_or("target/interop-cases", String::as_str));
    let count: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(24);
    if let Err(e) = run(&out, count) {
        eprintln!("interop_gen: {e}");
        std::process::exit(1);
    }
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn run(out: &Path, count: usize) -> Result<(), String> {
    std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    let xlsx = converted_source()?;
    let mut rng = Rng::new(0x1A7E_2026_1122);
    for case in 0..count {
        // Every fourth case edits the fresh workbook converted from .xlsx.
        let (source, original) = if case % 4 == 3 {
            ("converted from xlsx".to_string(), xlsx.clone())
        } else {
            let name = FIXTURES[case % 3];
            let bytes = std::fs::read(fixture(name)).map_err(|e| format!("{name}: {e}"))?;
            (name.to_string(), bytes)
        };
        let mut book = XlsBook::from_bytes(original.clone()).map_err(|e| e.to_string())?;
        let grid = book.original(0).cloned().unwrap_or_default();
        let (h, w) = (grid.height() + 4, grid.width() + 3);
        let n = 5 + rng.below(40);
        for _ in 0..n {
            let (r, c) = (rng.below(h as usize) as u32, rng.below(w as usize) as u32);
            let value = match rng.below(8) {
                // A number, and a date (refused where neither the cell nor its column holds
                // a date: then text).
                0 => Some(CellValue::Number(
                    f64::from(rng.below(100_000) as u32) / 4.0,
                )),
                1 => {
                    let day = chrono::NaiveDate::from_ymd_opt(1970, 1, 1)
                        .and_then(|d| {
                            d.checked_add_days(chrono::Days::new(rng.below(20_000) as u64))
                        })
                        .unwrap_or_default();
                    Some(book.date_value(day)).filter(|v| book.check(0, r, c, Some(v)).is_ok())
                }
                _ => None,
            };
            match value {
                Some(v) => book.set(0, r, c, Some(v)),
                None => match random_text(&mut rng) {
                    Some(t) => book.set_text(0, r, c, &t),
                    None => book.clear(0, r, c),
                },
            }
            .map_err(|e| e.to_string())?;
        }
        let bytes = book.to_bytes().map_err(|e| e.to_string())?;
        book.verify(&bytes).map_err(|e| e.to_string())?;
        let stem = out.join(format!("{case:03}"));
        write(&stem.with_extension("xls"), &bytes)?;
        write(&stem.with_extension("original.xls"), &original)?;
        let json = expected_json(&book, &source);
        write(&stem.with_extension("expected.json"), json.as_bytes())?;
    }
    apply_case(out, count)?;
    fix_case(out, count + 1)?;
    let corpus_cases = corpus_cases(&out.join("corpus"))?;
    println!(
        "interop_gen: {} cases in {}, {corpus_cases} corpus books in {} (edit seed {}; replay with SVERKA_CORPUS_SEED={})",
        count + 2,
        out.display(),
        out.join("corpus").display(),
        corpus::run_seed(),
        corpus::run_seed()
    );
    Ok(())
}

/// The real-world corpus: every book sverka opens, with its corpus edit set, for
/// `tests/interop/corpus.py` (each reader against its own reading of the original).
fn corpus_cases(dir: &Path) -> Result<usize, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut written = 0;
    let mut failed = Vec::new();
    for (name, path) in corpus::files() {
        let bytes = std::fs::read(&path).map_err(|e| format!("{name}: {e}"))?;
        if XlsBook::from_bytes(bytes.clone()).is_err() {
            // Refused at opening (refused.tsv says which and why): nothing to edit.
            continue;
        }
        match corpus_case(dir, &name, &bytes) {
            Ok(()) => written += 1,
            Err(e) => failed.push(format!("{name}: {e}")),
        }
    }
    if failed.is_empty() {
        Ok(written)
    } else {
        Err(format!(
            "{} corpus books could not be edited:\n{}",
            failed.len(),
            failed.join("\n")
        ))
    }
}

/// Writes one corpus case: the edited book, the original and the edit set.
fn corpus_case(dir: &Path, name: &str, bytes: &[u8]) -> Result<(), String> {
    let (book, edits, _) =
        corpus::edited(name, bytes, corpus::run_seed()).map_err(|e| e.to_string())?;
    let out = book.to_bytes().map_err(|e| e.to_string())?;
    book.verify(&out).map_err(|e| e.to_string())?;
    let names = book.sheet_names();
    let sheet = |i: usize| names.get(i).copied().unwrap_or_default();
    let edits: Vec<serde_json::Value> = edits
        .iter()
        .map(|(s, r, c, v)| serde_json::json!([sheet(*s), r, c, v]))
        .collect();
    let mut mine = Vec::new();
    for grid in book.originals() {
        for ((r, c), v) in grid.iter() {
            let (t, value) = typed(v);
            mine.push(serde_json::json!([grid.name, r, c, t, value]));
        }
    }
    let spec = serde_json::json!({
        "source": name,
        "edits": edits,
        "sheets": names,
        "formulas": has_formulas(bytes),
        "sverka": mine,
    });
    let stem = name.replace(['/', '\\'], "__");
    let stem = stem.trim_end_matches(".xls");
    write(&dir.join(format!("{stem}.xls")), &out)?;
    write(&dir.join(format!("{stem}.original.xls")), bytes)?;
    write(
        &dir.join(format!("{stem}.edits.json")),
        spec.to_string().as_bytes(),
    )
}

/// Does any sheet of the book hold a formula cell (under either of FORMULA's ids: LibreOffice
/// recalculates the BIFF4 id's formulas too, `poi/WrongFormulaRecordType.xls`)?
fn has_formulas(file: &[u8]) -> bool {
    use sverka::xls::{Container, Workbook, record_id as id};
    let Ok(c) = Container::parse(file) else {
        return false;
    };
    let Ok(wb) = Workbook::parse(c.workbook) else {
        return false;
    };
    wb.sheets.iter().any(|s| {
        s.recs
            .iter()
            .any(|r| r.id == id::FORMULA || r.id == id::FORMULA_BIFF4)
    })
}

/// A cell's type letter and value for the JSON files.
fn typed(v: &CellValue) -> (&'static str, serde_json::Value) {
    match v {
        CellValue::Text(s) => ("s", serde_json::json!(&**s)),
        CellValue::Number(n) => ("n", serde_json::json!(n)),
        CellValue::Date(d) => ("d", serde_json::json!(d)),
        CellValue::Bool(b) => ("b", serde_json::json!(b)),
        CellValue::Error(e) => ("e", serde_json::json!(e)),
    }
}

/// One more case: what `sverka fix` writes for the full export with all its appeals.
fn fix_case(out: &Path, case: usize) -> Result<(), String> {
    let input = fixture("full/export.xls");
    let mut book = XlsBook::open(&input).map_err(|e| e.to_string())?;
    let appeals = sverka::cli::reconcile::load_appeals(&[fixture("full/appeals")])
        .map_err(|e| e.to_string())?;
    let grids = book.originals().to_vec();
    let analysis = sverka::engine::Analysis::run(&grids, &[], chrono::Local::now().date_naive());
    let outcomes = sverka::engine::match_appeals(&grids, &analysis, appeals);
    let (applied, _) = sverka::engine::plan_fixes(&analysis.schema, &outcomes);
    let writes: Vec<sverka::engine::CellWrite> = applied
        .iter()
        .map(|a| sverka::engine::CellWrite {
            cell: sverka::book::CellRef::new(a.sheet, a.row, a.col),
            text: Some(a.new.clone()),
        })
        .collect();
    sverka::engine::Writer::new(&analysis.schema)
        .write(&mut book, &writes)
        .map_err(|e| e.to_string())?;
    let bytes = book.to_bytes().map_err(|e| e.to_string())?;
    book.verify(&bytes).map_err(|e| e.to_string())?;
    let stem = out.join(format!("{case:03}"));
    write(&stem.with_extension("xls"), &bytes)?;
    let original = std::fs::read(&input).map_err(|e| e.to_string())?;
    write(&stem.with_extension("original.xls"), &original)?;
    let json = expected_json(&book, "sverka fix, full/export.xls with all its appeals");
    write(&stem.with_extension("expected.json"), json.as_bytes())
}

/// One more case made by the CLI itself: `sverka apply` with 50 edits on the full export.
fn apply_case(out: &Path, case: usize) -> Result<(), String> {
    let input = fixture("full/export.xls");
    let mut edits = Vec::new();
    for k in 0..50u32 {
        let value = match k % 5 {
            0 => Some("112-233-445 95".to_string()),
            1 => Some(format!("+7 900 000 00 {k:02}")),
            2 => None,
            3 => Some("01.09.2015".to_string()),
            _ => Some(format!("Ёлкин{k}@mail.ru")),
        };
        // СНИЛС, phone, e-mail, «Родитель 1: Дата рождения» (a date column: the date is
        // written as a date), «Родитель 2: E-mail».
        let col = [8, 9, 10, 16, 29][(k % 5) as usize];
        edits.push(sverka::cli::EditSpec {
            sheet: "Ученики".into(),
            row: 3 + k * 5,
            col,
            value,
        });
    }
    let json: Vec<serde_json::Value> = edits
        .iter()
        .map(
            |e| serde_json::json!({"sheet": e.sheet, "row": e.row, "col": e.col, "value": e.value}),
        )
        .collect();
    let stem = out.join(format!("{case:03}"));
    let edits_path = stem.with_extension("edits.json");
    write(
        &edits_path,
        serde_json::Value::from(json).to_string().as_bytes(),
    )?;
    let args: Vec<String> = vec![
        "apply".into(),
        input.display().to_string(),
        "--edits".into(),
        edits_path.display().to_string(),
        "--out".into(),
        stem.with_extension("xls").display().to_string(),
        // A case folder written again replaces its files.
        "--replace".into(),
    ];
    if sverka::cli::run(&args) != 0 {
        return Err("sverka apply failed".into());
    }
    let mut book = XlsBook::open(&input).map_err(|e| e.to_string())?;
    let schema = sverka::engine::Schema::detect(book.originals(), &[]);
    sverka::cli::apply_edits(&mut book, &schema, &edits).map_err(|e| e.to_string())?;
    let original = std::fs::read(&input).map_err(|e| e.to_string())?;
    write(&stem.with_extension("original.xls"), &original)?;
    let json = expected_json(&book, "sverka apply, 50 edits on full/export.xls");
    write(&stem.with_extension("expected.json"), json.as_bytes())
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), String> {
    std::fs::write(path, bytes).map_err(|e| format!("{}: {e}", path.display()))
}

/// A fresh BIFF8 workbook converted from an `.xlsx` holding the short fixture's cells.
fn converted_source() -> Result<Vec<u8>, String> {
    let src = XlsBook::open(&fixture("short/export.xls")).map_err(|e| e.to_string())?;
    let grid = src.original(0).cloned().unwrap_or_default();
    let mut wb = rust_xlsxwriter::Workbook::new();
    let date = rust_xlsxwriter::Format::new().set_num_format("dd.mm.yyyy");
    let sheet = wb.add_worksheet();
    sheet.set_name(&grid.name).map_err(|e| e.to_string())?;
    for ((r, c), v) in grid.iter() {
        let (r, c) = (r, c as u16);
        let res = match v {
            CellValue::Text(s) => sheet.write_string(r, c, &**s).map(|_| ()),
            CellValue::Number(n) => sheet.write_number(r, c, *n).map(|_| ()),
            CellValue::Date(d) => sheet.write_number_with_format(r, c, *d, &date).map(|_| ()),
            CellValue::Bool(b) => sheet.write_boolean(r, c, *b).map(|_| ()),
            CellValue::Error(_) => Ok(()),
        };
        res.map_err(|e| e.to_string())?;
    }
    let second = wb.add_worksheet();
    second.set_name("Справка").map_err(|e| e.to_string())?;
    second
        .write_string(0, 0, "Лист для проверки порядка листов")
        .map_err(|e| e.to_string())?;
    let xlsx = wb.save_to_buffer().map_err(|e| e.to_string())?;
    let book = XlsBook::convert(xlsx, SourceFormat::Xlsx).map_err(|e| e.to_string())?;
    book.to_bytes().map_err(|e| e.to_string())
}

/// `{"source", "sheets": [{"name", "cells": [[row, col, type, value]]}]}`; type is `s` text,
/// `n` number, `d` date (Excel serial), `b` boolean, `e` error.
fn expected_json(book: &XlsBook, source: &str) -> String {
    let mut sheets = Vec::new();
    for i in 0..book.sheet_names().len() {
        let grid = book.current(i).unwrap_or_default();
        let cells: Vec<serde_json::Value> = grid
            .iter()
            .map(|((r, c), v)| {
                let (t, value) = typed(v);
                serde_json::json!([r, c, t, value])
            })
            .collect();
        sheets.push(serde_json::json!({"name": grid.name, "cells": cells}));
    }
    serde_json::json!({"source": source, "sheets": sheets}).to_string()
}
