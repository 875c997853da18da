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
