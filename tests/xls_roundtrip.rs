//! No-op round trips of the real third-party fixtures: the patched `Workbook` stream must be
//! byte-identical to the original, also when every cell table is rebuilt from scratch.

use sverka::xls::Container;
use sverka::xls::Workbook;
use sverka::xls::{WorkbookEdits, patch, patch_with};

const FIXTURES: [&str; 3] = [
    "short/export.xls",
    "full/export.xls",
    "full/export_libreoffice.xls",
];

fn workbook(name: &str) -> (Container, Workbook) {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let c = Container::parse(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
    let wb = Workbook::parse(c.workbook.clone()).unwrap_or_else(|e| panic!("{name}: {e}"));
    (c, wb)
}

#[test]
fn no_op_patch_is_byte_identical() {
    for name in FIXTURES {
        let (c, wb) = workbook(name);
        let out = patch(&wb, &WorkbookEdits::default()).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(out == c.workbook, "{name}: no-op patch changed the stream");
    }
}

#[test]
fn rebuilt_cell_tables_reproduce_the_writers_layout() {
    for name in FIXTURES {
        let (c, wb) = workbook(name);
        let out = patch_with(&wb, &WorkbookEdits::default(), true)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        if out != c.workbook {
            let at = out
                .iter()
                .zip(&c.workbook)
                .position(|(a, b)| a != b)
                .unwrap_or(out.len().min(c.workbook.len()));
            panic!(
                "{name}: rebuilt stream differs at byte {at} (len {} vs {})",
                out.len(),
                c.workbook.len()
            );
        }
    }
}

#[test]
fn no_op_save_keeps_every_stream() {
    for name in FIXTURES {
        let (c, wb) = workbook(name);
        let out = patch(&wb, &WorkbookEdits::default()).unwrap_or_default();
        let file = c
            .with_workbook(&out)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let again = Container::parse(&file).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(again.workbook == c.workbook, "{name}");
    }
}
