//! A save killed between writing the temporary file and renaming it leaves both the export and
//! the previous target intact, and the journal brings every edit back.

use std::process::Command;

use sverka::book::XlsBook;
use sverka::session::Journal;
use sverka::session::{Session, Source};

#[test]
fn killed_save_loses_nothing() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let data = dir.path().join("data");
    let export = dir.path().join("export.xls");
    std::fs::copy(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/full/export.xls"),
        &export,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let export_bytes = std::fs::read(&export).unwrap_or_default();
    let target = dir.path().join("export_исправлено.xls");
    std::fs::write(&target, b"previous corrected file").unwrap_or_else(|e| panic!("{e}"));

    // The officer's edits, journaled as they are made.
    let edits = [
        (3u32, 8u32, "112-233-445 95"),
        (4, 9, "+7 900 000 00 01"),
        (5, 13, "Иванова"),
    ];
    {
        let book = XlsBook::open(&export).unwrap_or_else(|e| panic!("{e}"));
        let mut s = Session::new(book, Vec::new());
        s.set_journal(Journal::for_export_in(&data, &export));
        for (r, c, v) in edits {
            s.set_cell(
                sverka::book::CellRef::new(0, r, c),
                Some(v.into()),
                Source::Manual,
            )
            .unwrap_or_else(|e| panic!("{e}"));
        }
        // The session ends here without saving, as in a crash.
    }

    // A save that dies between the temp write and the rename.
    let edits_json = dir.path().join("edits.json");
    let json: Vec<serde_json::Value> = edits
        .iter()
        .map(|(r, c, v)| serde_json::json!({"sheet": "Ученики", "row": r, "col": c, "value": v}))
        .collect();
    std::fs::write(&edits_json, serde_json::to_vec(&json).unwrap_or_default())
        .unwrap_or_else(|e| panic!("{e}"));
    let status = Command::new(env!("CARGO_BIN_EXE_sverka"))
        .args([
            "apply".as_ref(),
            export.as_os_str(),
            "--edits".as_ref(),
            edits_json.as_os_str(),
            "--out".as_ref(),
            target.as_os_str(),
        ])
        .env("SVERKA_TEST_ABORT_BEFORE_RENAME", "1")
        .status()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!status.success(), "the save was supposed to die");
    assert_eq!(
        std::fs::read(&export).unwrap_or_default(),
        export_bytes,
        "export intact"
    );
    assert_eq!(
        std::fs::read(&target).unwrap_or_default(),
        b"previous corrected file",
        "target intact"
    );

    // Reopening the export offers the journal, which restores every edit.
    let book = XlsBook::open(&export).unwrap_or_else(|e| panic!("{e}"));
    let mut s = Session::new(book, Vec::new());
    s.set_journal(Journal::for_export_in(&data, &export));
    let ops = s.pending_restore();
    assert_eq!(ops.len(), 3);
    assert_eq!(s.restore(ops), 3);
    for (r, c, v) in edits {
        assert_eq!(
            s.text(sverka::book::CellRef::new(0, r, c)).as_deref(),
            Some(v)
        );
    }
    let report = s.save_as(&target).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.cells_changed, 3);
    let saved = XlsBook::open(&target).unwrap_or_else(|e| panic!("{e}"));
    for (r, c, v) in edits {
        assert_eq!(
            saved.value(0, r, c).map(|x| x.display()).as_deref(),
            Some(v)
        );
    }
    // Saving clears the journal.
    assert!(s.pending_restore().is_empty());
}
