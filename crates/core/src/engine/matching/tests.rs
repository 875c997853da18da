//! Blocking keys that survive typos, and the hints for differences the eye cannot see.

use super::index::{near_dates, snils_pairs};
use super::*;
use crate::norm::snils;
use chrono::NaiveDate;
use std::collections::BTreeSet;

#[test]
fn snils_pairs_survive_one_digit_and_adjacent_swaps() {
    let base = snils::parse("112-233-445 95").unwrap_or_else(|e| panic!("{e}"));
    let keys: BTreeSet<String> = snils_pairs(&base)
        .into_iter()
        .map(|k| format!("{k:?}"))
        .collect();
    let d = base.digits_string();
    for i in 0..11 {
        let mut changed: Vec<char> = d.chars().collect();
        changed[i] = if changed[i] == '0' { '1' } else { '0' };
        let s: String = changed.iter().collect();
        let other = snils::parse(&s).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            snils_pairs(&other)
                .into_iter()
                .any(|k| keys.contains(&format!("{k:?}"))),
            "digit {i}"
        );
        if i < 10 {
            let mut sw: Vec<char> = d.chars().collect();
            sw.swap(i, i + 1);
            let s: String = sw.iter().collect();
            let other = snils::parse(&s).unwrap_or_else(|e| panic!("{e}"));
            assert!(
                snils_pairs(&other)
                    .into_iter()
                    .any(|k| keys.contains(&format!("{k:?}"))),
                "swap {i}"
            );
        }
    }
}

/// Only differences that cannot be seen side by side carry a hint.
#[test]
fn hints_name_only_invisible_differences() {
    use DiffKind as K;
    let invisible = [K::Homoglyph, K::Spaces, K::YoE, K::Case];
    let visible = [
        K::None,
        K::Missing,
        K::Typo,
        K::SurnamePart,
        K::DayMonthSwap,
        K::YearOff,
        K::OneDigit,
        K::AdjacentSwap,
        K::Other,
    ];
    for k in invisible {
        assert!(k.hint_ru().is_some_and(|h| !h.is_empty()), "{k:?}");
    }
    for k in visible {
        assert_eq!(k.hint_ru(), None, "{k:?}");
    }
}

#[test]
fn near_dates_cover_swaps_and_years() {
    let d = NaiveDate::from_ymd_opt(2010, 4, 9).unwrap_or_default();
    let near = near_dates(d);
    assert!(near.contains(&NaiveDate::from_ymd_opt(2010, 9, 4).unwrap_or_default()));
    assert!(near.contains(&NaiveDate::from_ymd_opt(2009, 4, 9).unwrap_or_default()));
    assert!(near.contains(&NaiveDate::from_ymd_opt(2011, 4, 9).unwrap_or_default()));
}
