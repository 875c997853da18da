//! sverka's own cell reader against calamine's, on every fixture and on edited files: the same
//! sheets, the same cells, the same types.

use sverka::book::{XlsBook, read_grids, read_grids_calamine};
use sverka_testkit::synth::Rng;

mod common;
use common::fixture_bytes as fixture;

fn same(bytes: &[u8], what: &str) {
    let ours = read_grids(bytes).unwrap_or_else(|e| panic!("{what}: {e}"));
    let theirs = read_grids_calamine(bytes).unwrap_or_else(|e| panic!("{what}: {e}"));
    assert_eq!(ours.len(), theirs.len(), "{what}: sheets");
    for (a, b) in ours.iter().zip(&theirs) {
        assert_eq!(a.name, b.name, "{what}");
        if a != b {
            let diff = a
                .iter()
                .find(|&((r, c), v)| b.get(r, c) != Some(v))
                .map(|((r, c), v)| ((r, c), Some(v.clone()), b.get(r, c).cloned()))
                .or_else(|| {
                    b.iter()
                        .find(|&((r, c), _)| a.get(r, c).is_none())
                        .map(|(k, v)| (k, None, Some(v.clone())))
                });
            panic!("{what}, sheet {}: first difference {diff:?}", a.name);
        }
    }
}

#[test]
fn own_reader_agrees_with_calamine() {
    for name in [
        "short/export.xls",
        "full/export.xls",
        "full/export_libreoffice.xls",
    ] {
        let bytes = fixture(name);
        same(&bytes, name);
        let mut rng = Rng::new(0x005E_ADE5);
        for round in 0..10 {
            let mut book = XlsBook::from_bytes(bytes.clone()).unwrap_or_else(|e| panic!("{e}"));
            for _ in 0..20 {
                let (r, c) = (rng.below(300) as u32, rng.below(35) as u32);
                let _ = if rng.below(5) == 0 {
                    book.clear(0, r, c)
                } else {
                    book.set_text(0, r, c, &format!("ячейка {}", rng.next_u64() % 1000))
                };
            }
            let out = book.to_bytes().unwrap_or_else(|e| panic!("{e}"));
            same(&out, &format!("{name}, round {round}"));
        }
    }
}
