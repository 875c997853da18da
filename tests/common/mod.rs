//! What the integration tests share: the fixtures, a book opened from one, and a run of the
//! built `sverka` binary. (Each test binary compiles this module and uses only part of it.)
#![allow(dead_code)]

pub mod corpus;

use std::path::{Path, PathBuf};
use std::process::Command;

/// A file under `tests/fixtures/`.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// The bytes of a file under `tests/fixtures/` (empty when it cannot be read: the test then
/// fails on the content, naming the file).
pub fn fixture_bytes(name: &str) -> Vec<u8> {
    std::fs::read(fixture(name)).unwrap_or_default()
}

/// A fixture opened as a book.
pub fn open_fixture(name: &str) -> sverka::book::XlsBook {
    sverka::book::XlsBook::open(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Runs `sverka ARGS…`: its exit code (-1 when killed), stdout and stderr.
pub fn sverka(args: &[&std::ffi::OsStr]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_sverka"))
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run sverka: {e}"));
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The cell record at (row, col) of a sheet of an `.xls` file's bytes: its record id and its
/// format (XF index). A MULRK or MULBLANK run gives the cell's own entry. `None` when the
/// cell has no record.
pub fn cell_record(file: &[u8], sheet: usize, row: u32, col: u32) -> Option<(u16, u16)> {
    use sverka::xls::{Container, Workbook, record_id as id};
    let container = Container::parse(file).ok()?;
    let wb = Workbook::parse(container.workbook).ok()?;
    let u16_at = |d: &[u8], at: usize| Some(u16::from_le_bytes([*d.get(at)?, *d.get(at + 1)?]));
    let mut found = None;
    for r in &wb.sheets.get(sheet)?.recs {
        let d = r.data(&wb.stream);
        if u16_at(d, 0) != Some(row as u16) {
            continue;
        }
        // (Other records of the sheet may start with the same two bytes: each read is checked.)
        let Some(first) = u16_at(d, 2).map(u32::from) else {
            continue;
        };
        match r.id {
            id::MULRK | id::MULBLANK => {
                let width = if r.id == id::MULRK { 6 } else { 2 };
                let last = d.len().checked_sub(2).and_then(|at| u16_at(d, at));
                if let Some(last) = last.map(u32::from)
                    && first <= col
                    && col <= last
                {
                    found = u16_at(d, 4 + (col - first) as usize * width).map(|xf| (r.id, xf));
                }
            }
            id::NUMBER
            | id::RK
            | id::LABELSST
            | id::LABEL
            | id::BLANK
            | id::FORMULA
            | id::BOOLERR
                if first == col =>
            {
                found = u16_at(d, 4).map(|xf| (r.id, xf));
            }
            _ => {}
        }
    }
    found
}
