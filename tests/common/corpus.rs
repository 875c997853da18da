//! The real-world corpus (`tests/fixtures/realworld/`): its files, the refusals it expects,
//! and one deterministic random edit set per book. Shared by `tests/realworld.rs` (sverka's own
//! reader) and `examples/interop_gen.rs` (xlrd, Apache POI and LibreOffice in `.ci/run`), so
//! that every reader checks the same edits.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use sverka::book::XlsBook;
use sverka::xls::XlsError;
use sverka_testkit::synth::Rng;

/// The corpus folder.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/realworld")
}

/// Every `.xls` of the corpus, as (name relative to the corpus folder, path), sorted.
pub fn files() -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    let Ok(dirs) = std::fs::read_dir(root()) else {
        return out;
    };
    for dir in dirs.flatten() {
        let Ok(entries) = std::fs::read_dir(dir.path()) else {
            continue;
        };
        for f in entries.flatten() {
            let path = f.path();
            let is_xls = path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("xls"));
            if is_xls && let Ok(rel) = path.strip_prefix(root()) {
                out.push((rel.to_string_lossy().replace('\\', "/"), path.clone()));
            }
        }
    }
    out.sort();
    out
}

/// Why sverka may refuse a corpus file at opening: the kinds the corpus's `refused.tsv` names.
pub fn refusal_kind(e: &XlsError) -> &'static str {
    match e {
        XlsError::Encrypted => "encrypted",
        XlsError::Biff5 => "biff5",
        XlsError::OldExcel | XlsError::UnsupportedVersion { .. } => "older",
        XlsError::Text | XlsError::Unknown => "not-xls",
        XlsError::NoWorkbook => "no-workbook",
        XlsError::Corrupt { .. } => "corrupt",
        _ => "other",
    }
}

/// The refusals the corpus expects: file → kind (from `refused.tsv`: file, kind, why).
pub fn expected_refusals() -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(root().join("refused.tsv")).unwrap_or_default();
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let mut parts = l.split('\t');
            Some((parts.next()?.to_string(), parts.next()?.to_string()))
        })
        .collect()
}

/// One edit: sheet index, 0-based row and column, the new text (`None` empties the cell).
pub type Edit = (usize, u32, u32, Option<String>);

fn seed_of(name: &str, seed: u64) -> u64 {
    // FNV-1a of the name, then the run's seed: the same edits for a file and a seed on every
    // machine and run.
    let h = name.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    h ^ seed.wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

/// `SVERKA_CORPUS_SEED`, if set.
fn env_seed() -> Option<u64> {
    std::env::var("SVERKA_CORPUS_SEED")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
}

/// The one seed of this run for the interop checks: `SVERKA_CORPUS_SEED`, else 0.
pub fn run_seed() -> u64 {
    env_seed().unwrap_or(0)
}

/// The edit seeds of this run: 0 (the fixed set every run checks) and, when
/// `SVERKA_CORPUS_SEED` is set (`.ci/run` draws one per run and prints it), that seed and
/// the `SVERKA_CORPUS_ROUNDS - 1` (default 2) after it. A failure names its seed; the same
/// `SVERKA_CORPUS_SEED` replays it.
pub fn seeds() -> Vec<u64> {
    let mut out = vec![0];
    if let Some(seed) = env_seed() {
        let rounds: u64 = std::env::var("SVERKA_CORPUS_ROUNDS")
            .ok()
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(3);
        out.extend(
            (0..rounds)
                .map(|k| seed.wrapping_add(k))
                .filter(|&s| s != 0),
        );
    }
    out
}

fn random_text(rng: &mut Rng) -> Option<String> {
    match rng.below(8) {
        0 | 1 => None,
        2 => Some("Ёлкина Алёна Петровна".into()),
        3 => Some("052-903-666 55".into()),
        4 => Some("01.09.2015".into()),
        5 => Some("текст\tс табуляцией".into()),
        6 => Some("я".repeat(300 + rng.below(300))),
        _ => Some(format!("значение {}", rng.next_u64() % 100_000)),
    }
}

/// A deterministic random edit set for the book `name` and a seed: on each worksheet, cells that hold a
/// value (numbers, texts, formulas), empty cells inside the used range, cells just beyond it
/// (new columns and rows) and a few rows further down.
pub fn plan(name: &str, book: &XlsBook, seed: u64) -> Vec<Edit> {
    let mut rng = Rng::new(seed_of(name, seed));
    let mut edits: BTreeMap<(usize, u32, u32), Option<String>> = BTreeMap::new();
    for (sheet, grid) in book.originals().iter().enumerate() {
        if !book.is_worksheet(sheet) {
            continue;
        }
        let filled: Vec<(u32, u32)> = grid.iter().map(|(at, _)| at).collect();
        let (h, w) = (grid.height().max(1), grid.width().max(1));
        let n = 3 + rng.below(8);
        for _ in 0..n {
            let (row, col) = match rng.below(10) {
                0..=3 if !filled.is_empty() => *rng.pick(&filled),
                0..=6 => (rng.below(h as usize) as u32, rng.below(w as usize) as u32),
                7 | 8 => (h + rng.below(3) as u32, rng.below(w as usize + 2) as u32),
                _ => (h + 3 + rng.below(60) as u32, rng.below(w as usize) as u32),
            };
            let col = col.min(255);
            if row > 65_535 {
                continue;
            }
            edits.insert((sheet, row, col), random_text(&mut rng));
        }
    }
    edits
        .into_iter()
        .map(|((s, r, c), v)| (s, r, c, v))
        .collect()
}

/// Applies `edits` to `book`.
pub fn apply(book: &mut XlsBook, edits: &[Edit]) -> Result<(), XlsError> {
    for (sheet, row, col, value) in edits {
        match value {
            Some(text) => book.set_text(*sheet, *row, *col, text)?,
            None => book.clear(*sheet, *row, *col)?,
        }
    }
    Ok(())
}

/// Opens `bytes` with the plan applied, dropping the edits sverka refuses with a cell-specific
/// reason (a cell of a shared or array formula): the refused cells are returned with their
/// messages, the book holds the rest and writes.
pub fn edited(
    name: &str,
    bytes: &[u8],
    seed: u64,
) -> Result<(XlsBook, Vec<Edit>, Vec<String>), XlsError> {
    let base = XlsBook::from_bytes(bytes.to_vec())?;
    let mut edits = plan(name, &base, seed);
    let mut refused = Vec::new();
    loop {
        let mut book = XlsBook::from_bytes(bytes.to_vec())?;
        apply(&mut book, &edits)?;
        match book.to_bytes() {
            Ok(_) => return Ok((book, edits, refused)),
            Err(XlsError::SharedFormula { cell }) => {
                let before = edits.len();
                edits.retain(|(_, r, c, _)| sverka::xls::a1(*r, *c) != cell);
                refused.push(format!("{cell}: shared or array formula"));
                if edits.len() == before {
                    return Err(XlsError::SharedFormula { cell });
                }
            }
            Err(e) => return Err(e),
        }
    }
}
