//! Names compared folded (case, `ё`/`е`, look-alike letters, spaces) straight from the cells,
//! and their hashes, without allocating for the usual one-word Russian name.

use crate::book::Grid;
use crate::engine::field::Field;
use crate::engine::schema::{Person, cell_str};
use crate::norm::fio;

/// Is a cell's text the already [`fio::fold`]ed `folded`? No allocation for the usual name
/// (one word of Russian letters).
pub(super) fn folds_to(cell: &str, folded: &str) -> bool {
    if folded.is_empty() {
        return false;
    }
    if fio::is_russian_word(cell) {
        let mut a = cell.chars().map(|c| match c {
            'Ё' | 'ё' => 'е',
            'А'..='Я' => char::from_u32(c as u32 + 32).unwrap_or(c),
            c => c,
        });
        let mut b = folded.chars();
        loop {
            match (a.next(), b.next()) {
                (None, None) => return true,
                (Some(x), Some(y)) if x == y => {}
                _ => return false,
            }
        }
    }
    fio::fold(cell) == folded
}

/// Does the person's `field` cell read as the folded `want`?
pub(super) fn field_folds_to(grid: &Grid, p: &Person, field: Field, want: &str) -> bool {
    p.cols
        .get(&field)
        .and_then(|&col| cell_str(grid, p.row, col))
        .is_some_and(|t| folds_to(&t, want))
}

/// Hash of a sequence of characters.
pub(super) fn hash_chars(chars: impl Iterator<Item = char>) -> u64 {
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    for c in chars {
        h.write_u32(c as u32);
    }
    h.finish()
}

/// Hash of the [`fio::fold`]ed name part; no allocation for a word of Russian letters.
pub(super) fn hash_folded(s: &str) -> u64 {
    if fio::is_russian_word(s) {
        hash_chars(s.chars().map(|c| match c {
            'Ё' | 'ё' => 'е',
            'А'..='Я' => char::from_u32(c as u32 + 32).unwrap_or(c),
            c => c,
        }))
    } else {
        hash_chars(fio::fold(s).chars())
    }
}
