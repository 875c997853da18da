//! An appeal of any content, matched against the demo export and compared field by field:
//! parsing, blocking keys, scoring and the comparisons must take whatever a paste holds.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use sverka::book::{Grid, XlsBook};
use sverka::engine::{Analysis, match_appeals};

fn book() -> &'static Option<(Vec<Grid>, Analysis)> {
    static BOOK: OnceLock<Option<(Vec<Grid>, Analysis)>> = OnceLock::new();
    BOOK.get_or_init(|| {
        let export = include_bytes!("../../assets/demo/export.xls");
        let book = XlsBook::from_bytes(export.to_vec()).ok()?;
        let grids = book.current_grids();
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 23)?;
        let analysis = Analysis::run(&grids, &[], today);
        Some((grids, analysis))
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((grids, analysis)) = book() else {
        return;
    };
    let text = sverka::engine::decode_text(data);
    if let Ok(appeals) = sverka::engine::parse_text(&text, "fuzz") {
        let _ = match_appeals(grids, analysis, appeals);
    }
});
