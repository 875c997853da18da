//! The real-world corpus (`tests/fixtures/realworld/`: the `.xls` files of xlrd's, calamine's
//! and Apache POI's test suites, written by Excel and many other programs over the years).
//! For every book sverka opens: a save without edits writes the same streams (the Workbook
//! stream and every other one; the compound file around them is rebuilt) and passes its own
//! verification, and a deterministic random edit set reads back exactly (sverka's
//! reader here; xlrd, Apache POI and LibreOffice in `.ci/run`). A book may be refused only as
//! `refused.tsv` says, and only for the reasons it gives.

mod common;

use common::corpus;
use sverka::book::{XlsBook, read_grids};
use sverka::xls::Container;

fn temp_dir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("sverka-realworld-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    dir
}

/// What happened to one corpus file; `Err` names what went wrong.
fn check_file(name: &str, bytes: &[u8], dir: &std::path::Path) -> Result<String, String> {
    let book = match XlsBook::from_bytes(bytes.to_vec()) {
        Ok(book) => book,
        Err(e) => return Ok(format!("refused {}: {e}", corpus::refusal_kind(&e))),
    };
    // No edits: the Workbook stream and every other stream are written back byte for byte
    // (the compound file around them is rebuilt), and the save verifies.
    let same = book.to_bytes().map_err(|e| format!("no-op save: {e}"))?;
    let (was, now) = match (Container::parse(bytes), Container::parse(&same)) {
        (Ok(was), Ok(now)) => (was, now),
        (_, Err(e)) | (Err(e), _) => return Err(format!("no-op save: {e}")),
    };
    if now.workbook != was.workbook {
        return Err("no-op save changed the Workbook stream".into());
    }
    if now.other_streams() != was.other_streams() {
        return Err("no-op save changed another stream of the compound file".into());
    }
    let plain = dir.join(format!("{}.noop.xls", name.replace('/', "_")));
    book.save_as(&plain)
        .map_err(|e| format!("no-op save_as: {e}"))?;

    // The corpus edit sets: saved through the verified path, then read back whole.
    let mut done = Vec::new();
    for seed in corpus::seeds() {
        let outcome = check_edits(name, bytes, dir, seed)
            .map_err(|e| format!("edit seed {seed} (replay: SVERKA_CORPUS_SEED={seed}): {e}"))?;
        done.push(outcome);
    }
    Ok(format!("ok, {}", done.join("; ")))
}

/// Equal values; numbers by their bits (a NaN read back equals the NaN written).
fn same_value(a: &sverka::book::CellValue, b: &sverka::book::CellValue) -> bool {
    use sverka::book::CellValue::{Date, Number};
    match (a, b) {
        (Number(x), Number(y)) | (Date(x), Date(y)) => x.to_bits() == y.to_bits(),
        _ => a == b,
    }
}

/// One seed's edit set of a corpus book: saved, read back, compared whole.
fn check_edits(
    name: &str,
    bytes: &[u8],
    dir: &std::path::Path,
    seed: u64,
) -> Result<String, String> {
    let (edited, edits, refused) =
        corpus::edited(name, bytes, seed).map_err(|e| format!("edit: {e}"))?;
    let out = dir.join(format!("{}.{seed}.edited.xls", name.replace('/', "_")));
    edited
        .save_as(&out)
        .map_err(|e| format!("edited save_as ({} edits): {e}", edits.len()))?;
    let written = std::fs::read(&out).map_err(|e| e.to_string())?;
    let got = read_grids(&written).map_err(|e| format!("read back: {e}"))?;
    let want = edited.current_grids();
    if got.len() != want.len() {
        return Err(format!(
            "{} sheets read back, {} expected",
            got.len(),
            want.len()
        ));
    }
    for (g, w) in got.iter().zip(&want) {
        for ((r, c), v) in w.iter() {
            if !g.get(r, c).is_some_and(|got| same_value(got, v)) {
                return Err(format!(
                    "sheet «{}» R{}C{}: {:?}, expected {v:?}",
                    w.name,
                    r + 1,
                    c + 1,
                    g.get(r, c)
                ));
            }
        }
        if g.len() != w.len() {
            return Err(format!(
                "sheet «{}»: {} cells, {} expected",
                w.name,
                g.len(),
                w.len()
            ));
        }
    }
    Ok(format!("{} edits, {} refused", edits.len(), refused.len()))
}

#[test]
fn every_corpus_book_survives_a_noop_save_and_an_edit() {
    let files = corpus::files();
    assert!(files.len() > 300, "corpus has {} files", files.len());
    let expected = corpus::expected_refusals();
    let dir = temp_dir();
    let mut failures = Vec::new();
    let mut opened = 0;
    for (name, path) in &files {
        let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{name}: {e}"));
        let outcome = std::panic::catch_unwind(|| check_file(name, &bytes, &dir))
            .unwrap_or_else(|_| Err("panicked".into()));
        match (outcome, expected.get(name)) {
            (Ok(o), Some(kind)) if o.starts_with(&format!("refused {kind}:")) => {}
            (Ok(o), None) if o.starts_with("ok") => opened += 1,
            (Ok(o), want) => failures.push(format!("{name}: {o} (expected {want:?})")),
            (Err(e), _) => failures.push(format!("{name}: {e}")),
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        failures.is_empty(),
        "{} of {} corpus files failed:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
    assert!(opened > 300, "only {opened} books opened");
}

/// Every refusal `refused.tsv` lists is for a file that is there.
#[test]
fn refusals_name_corpus_files() {
    let names: Vec<String> = corpus::files().into_iter().map(|(n, _)| n).collect();
    for (file, kind) in corpus::expected_refusals() {
        assert!(
            names.contains(&file),
            "refused.tsv names {file}, not in the corpus"
        );
        assert!(
            ["encrypted", "biff5", "older", "not-xls", "corrupt"].contains(&kind.as_str()),
            "{file}: unknown kind {kind}"
        );
    }
}

// ---- One regression test per defect the corpus showed (issue «real-world .xls»). ----

fn corpus_bytes(name: &str) -> Vec<u8> {
    std::fs::read(corpus::root().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn open_corpus(name: &str) -> XlsBook {
    XlsBook::from_bytes(corpus_bytes(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// One record: its id, the row and column of a cell record, its payload.
type Record = (u16, Option<(u16, u16)>, Vec<u8>);

/// The records of sheet `sheet` of a file.
fn sheet_records(file: &[u8], sheet: usize) -> Vec<Record> {
    use sverka::xls::{record_id as id, u16_at};
    let c = Container::parse(file).unwrap_or_else(|e| panic!("{e}"));
    let wb = sverka::xls::Workbook::parse(c.workbook).unwrap_or_else(|e| panic!("{e}"));
    wb.sheets[sheet]
        .recs
        .iter()
        .map(|r| {
            let d = r.data(&wb.stream);
            let cell = matches!(
                r.id,
                id::FORMULA | id::LABELSST | id::BLANK | id::NUMBER | id::RK | id::MULBLANK
            )
            .then(|| (u16_at(d, 0).unwrap_or(0), u16_at(d, 2).unwrap_or(0)));
            (r.id, cell, d.to_vec())
        })
        .collect()
}

/// Why writing the book is refused ("" when it is not).
fn refusal(book: &XlsBook) -> String {
    book.to_bytes()
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default()
}

fn saved(book: &XlsBook, name: &str) -> Vec<u8> {
    let dir = temp_dir();
    let out = dir.join(name);
    book.save_as(&out).unwrap_or_else(|e| panic!("{name}: {e}"));
    let bytes = std::fs::read(&out).unwrap_or_else(|e| panic!("{e}"));
    let _ = std::fs::remove_file(&out);
    bytes
}

/// Defect 1: a formula's cached result is shown as other readers show it — a text result
/// after a shared formula's SHRFMLA record, numbers of a FORMULA record under its BIFF4 id —
/// and replacing a plain formula cell removes its FORMULA and STRING records.
#[test]
fn formula_results_are_read_and_a_replaced_formula_leaves_no_records() {
    use sverka::book::CellValue;
    use sverka::xls::record_id as id;
    let mut book = open_corpus("poi/shared_formulas.xls");
    let label = book
        .sheet_index("Label")
        .unwrap_or_else(|| panic!("no sheet"));
    let text = |b: &XlsBook, r, c| b.value(label, r, c).map(|v| v.display());
    assert_eq!(
        text(&book, 1, 0).as_deref(),
        Some("ProductionOrderConfirmation")
    );
    assert_eq!(text(&book, 2, 0).as_deref(), Some("RequiredAcceptanceDate"));
    // A2 anchors the shared formula: refused, naming the cell.
    book.set_text(label, 1, 0, "новое")
        .unwrap_or_else(|e| panic!("{e}"));
    let refused = refusal(&book);
    assert!(
        refused.contains("A2") && refused.contains("формул"),
        "{refused}"
    );
    book.revert(label, 1, 0);
    // A3 is a plain formula (its value comes from the shared one): replaced whole.
    book.set_text(label, 2, 0, "новое")
        .unwrap_or_else(|e| panic!("{e}"));
    let out = saved(&book, "formula.xls");
    let recs = sheet_records(&out, label);
    let at = recs
        .iter()
        .position(|(rid, cell, _)| *rid == id::LABELSST && *cell == Some((2, 0)))
        .unwrap_or_else(|| panic!("no LABELSST at A3"));
    assert!(
        !recs
            .iter()
            .any(|(rid, cell, _)| *rid == id::FORMULA && *cell == Some((2, 0)))
    );
    assert_ne!(
        recs[at + 1].0,
        id::STRING,
        "the formula's STRING record stayed behind"
    );
    let grids = read_grids(&out).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        grids[label].get(2, 0),
        Some(&CellValue::Text("новое".into()))
    );
    // A cell inside an array formula (B16:E16, anchored at B16) or a data table (C27:E28) is
    // refused, naming it; a cell beside them is not.
    let mut book = open_corpus("poi/testArraysAndTables.xls");
    assert_eq!(book.value(0, 15, 2), Some(CellValue::Number(12.0)));
    for (r, c, name) in [(15, 2, "C16"), (15, 1, "B16"), (26, 3, "D27")] {
        book.set_text(0, r, c, "x")
            .unwrap_or_else(|e| panic!("{e}"));
        let refused = refusal(&book);
        assert!(
            refused.contains(name) && refused.contains("массив"),
            "{name}: {refused}"
        );
        book.revert(0, r, c);
    }
    book.set_text(0, 16, 2, "рядом")
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(book.to_bytes().is_ok());

    // Clearing a formula with a number result empties the cell.
    let mut book = open_corpus("poi/WrongFormulaRecordType.xls");
    assert_eq!(book.value(0, 3, 0), Some(CellValue::Number(3.0)));
    book.clear(0, 3, 0).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(book.edits().len(), 1, "clearing a formula is an edit");
    let out = saved(&book, "cleared.xls");
    let grids = read_grids(&out).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(grids[0].get(3, 0), None);
    assert_eq!(grids[0].get(3, 1), Some(&CellValue::Number(2.0)));
}

/// Defect 2: a book without a shared string table (numbers only) saves without edits and
/// with them.
#[test]
fn a_book_without_a_string_table_saves_unchanged_and_edited() {
    let mut book = open_corpus("calamine/date.xls");
    let plain = saved(&book, "nosst.xls");
    let c = |f: &[u8]| {
        Container::parse(f)
            .unwrap_or_else(|e| panic!("{e}"))
            .workbook
    };
    assert_eq!(c(&plain), c(&corpus_bytes("calamine/date.xls")));
    book.set_text(0, 0, 1, "текст")
        .unwrap_or_else(|e| panic!("{e}"));
    let out = saved(&book, "nosst-edited.xls");
    let grids = read_grids(&out).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        grids[0].get(0, 1).map(|v| v.display()).as_deref(),
        Some("текст")
    );
}

/// Defect 3: a sheet whose rows come in two runs (blanks of rows 13-151 first, then every
/// row's values) is edited in both runs, and its verification reads it whole instead of
/// failing on row 1 seeming to be missing.
#[test]
fn rows_written_in_two_runs_are_edited_and_verified() {
    use sverka::book::CellValue;
    let mut book = open_corpus("poi/52447.xls");
    // Row 20 has a blank in the first run and its values in the second.
    let before = book.value(0, 19, 1);
    assert!(before.is_some());
    book.set_text(0, 19, 1, "исправлено")
        .unwrap_or_else(|e| panic!("{e}"));
    book.set_text(0, 52, 4, "ещё")
        .unwrap_or_else(|e| panic!("{e}"));
    let out = saved(&book, "two-runs.xls");
    let grids = read_grids(&out).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        grids[0].get(19, 1),
        Some(&CellValue::Text("исправлено".into()))
    );
    assert_eq!(grids[0].get(52, 4), Some(&CellValue::Text("ещё".into())));
    for (g, w) in grids.iter().zip(book.current_grids()) {
        assert_eq!(g.iter().count(), w.iter().count());
    }
}

/// Defect 4: cells added to an empty sheet whose page settings follow DIMENSIONS go where
/// strict readers expect the cell table: after PRINTHEADERS and the other settings, before
/// WINDOW2 — Apache POI refused the file when they came right after DIMENSIONS.
#[test]
fn new_cells_of_an_empty_sheet_go_before_window2_not_inside_the_settings() {
    use sverka::xls::record_id as id;
    const PRINTHEADERS: u16 = 0x002A;
    let mut book = open_corpus("poi/bug69021.xls");
    let empty = book
        .sheet_index("Sheet2")
        .unwrap_or_else(|| panic!("no Sheet2"));
    assert!(
        book.original(empty)
            .is_some_and(|g| g.iter().next().is_none())
    );
    book.set_text(empty, 0, 0, "первая")
        .unwrap_or_else(|e| panic!("{e}"));
    book.set_text(empty, 3, 2, "вторая")
        .unwrap_or_else(|e| panic!("{e}"));
    let out = saved(&book, "empty-sheet.xls");
    let recs = sheet_records(&out, empty);
    let pos = |want: u16| recs.iter().position(|(rid, _, _)| *rid == want);
    let (Some(headers), Some(row), Some(cell), Some(window)) = (
        pos(PRINTHEADERS),
        pos(id::ROW),
        pos(id::LABELSST),
        pos(id::WINDOW2),
    ) else {
        panic!(
            "records missing: {:?}",
            recs.iter().map(|r| r.0).collect::<Vec<_>>()
        );
    };
    assert!(
        headers < row && row < cell && cell < window,
        "{headers} {row} {cell} {window}"
    );
    // Between the first ROW and WINDOW2 only the cell table.
    assert!(
        recs[row..window]
            .iter()
            .all(|(rid, _, _)| matches!(*rid, id::ROW | id::LABELSST)),
        "{:?}",
        recs[row..window].iter().map(|r| r.0).collect::<Vec<_>>()
    );
}

/// Defect 5: records a writer put between the cells (here MERGEDCELLS and HLINK after a
/// MULBLANK) are carried over when the cell before them is edited, not refused and not lost.
#[test]
fn records_between_cells_are_carried_over_when_the_cell_before_them_is_edited() {
    use sverka::xls::record_id as id;
    let original = corpus_bytes("poi/52447.xls");
    let riders = |file: &[u8]| -> Vec<(u16, Vec<u8>)> {
        sheet_records(file, 0)
            .into_iter()
            .filter(|(rid, _, _)| *rid == id::MERGEDCELLS || *rid == id::HLINK)
            .map(|(rid, _, data)| (rid, data))
            .collect()
    };
    let mut book = open_corpus("poi/52447.xls");
    // E5 lies in the MULBLANK C5:F5 that the MERGEDCELLS and HLINK records follow.
    book.set_text(0, 4, 4, "внутри")
        .unwrap_or_else(|e| panic!("{e}"));
    book.set_text(0, 6, 1, "после")
        .unwrap_or_else(|e| panic!("{e}"));
    let out = saved(&book, "riders.xls");
    assert!(!riders(&original).is_empty());
    assert_eq!(riders(&out), riders(&original));
    let grids = read_grids(&out).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        grids[0].get(4, 4).map(|v| v.display()).as_deref(),
        Some("внутри")
    );
}

/// A formula whose result is empty text shows nothing, yet is a cell: clearing it writes a
/// BLANK in its place (Apache POI read the old formula when the clear was taken for no edit).
/// FormatChoiceTests.xls «Tests»!A46 is a shared-formula member with an empty result.
#[test]
fn clearing_a_formula_that_shows_nothing_removes_the_formula() {
    use sverka::xls::record_id as id;
    let name = "poi/FormatChoiceTests.xls";
    let bytes = corpus_bytes(name);
    let mut book = open_corpus(name);
    let sheet = book
        .sheet_index("Tests")
        .unwrap_or_else(|| panic!("no sheet Tests"));
    assert_eq!(book.value(sheet, 45, 0), None, "it shows nothing");
    let before = common::cell_record(&bytes, sheet, 45, 0);
    assert_eq!(before.map(|(rid, _)| rid), Some(id::FORMULA));
    book.clear(sheet, 45, 0).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(book.edits().len(), 1, "clearing the formula is an edit");
    let out = saved(&book, "formula-cleared.xls");
    assert_eq!(
        common::cell_record(&out, sheet, 45, 0),
        before.map(|(_, xf)| (id::BLANK, xf))
    );
    // A cell that holds nothing at all stays no edit.
    book.clear(sheet, 45, 200).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(book.edits().len(), 1);
}

/// A sheet whose rows' cells come out of order (poi/52447.xls writes rows 0 and 1 after
/// row 150): a new row's cells placed at once moved the place of a row still to be edited,
/// and row 1's new cell replaced row 0's cells. Found by a random edit seed.
#[test]
fn new_rows_in_a_sheet_with_rows_out_of_order_keep_every_other_row() {
    let name = "poi/52447.xls";
    let mut book = open_corpus(name);
    book.set_text(0, 1, 10, "новая ячейка строки 2")
        .unwrap_or_else(|e| panic!("{e}"));
    book.set_text(0, 3, 11, "новая строка 4")
        .unwrap_or_else(|e| panic!("{e}"));
    let out = saved(&book, "rows-out-of-order.xls");
    let back = read_grids(&out).unwrap_or_else(|e| panic!("{e}"));
    let want = book.current_grids();
    assert_eq!(back.first().map(|g| g.len()), want.first().map(|g| g.len()));
    assert_eq!(
        back.first().and_then(|g| g.get(0, 1)),
        want.first().and_then(|g| g.get(0, 1))
    );
    assert!(back.first().and_then(|g| g.get(0, 1)).is_some());
}
