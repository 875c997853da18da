//! How each column already writes its values (СНИЛС with dashes or bare digits, phones as
//! `+7 954 632 14 65` or `89832661663`, sex as `М` or `Мужской`), so that a corrected value is
//! written the way its neighbours are.

use rustc_hash::FxHashMap as HashMap;
use std::hash::Hash;

use chrono::NaiveDate;

use crate::book::{CellValue, Grid};
use crate::engine::field::Field;
use crate::engine::schema::Schema;
use crate::norm::phone::{Phone, PhoneStyle};
use crate::norm::sex::{Sex, SexStyle};
use crate::norm::snils::{Snils, SnilsStyle};
use crate::norm::{date, phone, sex, snils};

/// The dominant written style of one column.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ColumnStyle {
    pub snils: Option<SnilsStyle>,
    pub phone: Option<PhoneStyle>,
    pub sex: Option<SexStyle>,
}

/// Styles of every field column of a book, by (sheet, column).
#[derive(Debug, Clone, Default)]
pub struct Styles {
    by_column: HashMap<(usize, u32), ColumnStyle>,
}

fn dominant<T: Eq + Hash + Copy>(values: impl Iterator<Item = Option<T>>) -> Option<T> {
    let mut counts: HashMap<T, usize> = HashMap::default();
    let mut order = Vec::new();
    for v in values.flatten() {
        let n = counts.entry(v).or_insert(0);
        if *n == 0 {
            order.push(v);
        }
        *n += 1;
    }
    // Ties go to the style seen first.
    let mut best: Option<(T, usize)> = None;
    for v in order {
        let n = counts.get(&v).copied().unwrap_or(0);
        if best.is_none_or(|(_, b)| n > b) {
            best = Some((v, n));
        }
    }
    best.map(|(v, _)| v)
}

impl Styles {
    /// Looks at every value of every field column.
    pub fn detect(grids: &[Grid], schema: &Schema) -> Styles {
        let mut by_column = HashMap::default();
        for layout in &schema.sheets {
            let Some(grid) = grids.get(layout.sheet) else {
                continue;
            };
            let Some(header) = layout.header_row else {
                continue;
            };
            let fields: HashMap<u32, Field> = layout
                .columns
                .iter()
                .filter_map(|c| match c.field {
                    Some(f @ (Field::Snils | Field::Phone | Field::Sex)) => Some((c.col, f)),
                    _ => None,
                })
                .collect();
            // One pass over the sheet's cells, styles collected per column. A sex column holds
            // a handful of distinct values: each is looked at once.
            let mut seen: HashMap<u32, Vec<ColumnStyle>> = HashMap::default();
            let mut sex_styles: HashMap<&str, Option<SexStyle>> = HashMap::default();
            for ((_, col), v) in grid.iter_from(header + 1) {
                let (Some(f), CellValue::Text(text)) = (fields.get(&col), v) else {
                    continue;
                };
                let style = match f {
                    Field::Snils => ColumnStyle {
                        snils: snils::style_of(text),
                        ..ColumnStyle::default()
                    },
                    Field::Phone => ColumnStyle {
                        phone: phone::style_of(text),
                        ..ColumnStyle::default()
                    },
                    _ => ColumnStyle {
                        sex: *sex_styles
                            .entry(&**text)
                            .or_insert_with(|| sex::style_of(text)),
                        ..ColumnStyle::default()
                    },
                };
                seen.entry(col).or_default().push(style);
            }
            for (col, styles) in seen {
                let style = ColumnStyle {
                    snils: dominant(styles.iter().map(|s| s.snils)),
                    phone: dominant(styles.iter().map(|s| s.phone)),
                    sex: dominant(styles.iter().map(|s| s.sex)),
                };
                by_column.insert((layout.sheet, col), style);
            }
        }
        Styles { by_column }
    }

    pub fn of(&self, sheet: usize, col: u32) -> ColumnStyle {
        self.by_column
            .get(&(sheet, col))
            .copied()
            .unwrap_or_default()
    }

    pub fn snils(&self, sheet: usize, col: u32, v: &Snils) -> String {
        v.format_as(self.of(sheet, col).snils.unwrap_or(SnilsStyle::Dashed))
    }

    pub fn phone(&self, sheet: usize, col: u32, v: &Phone) -> String {
        v.format_as(self.of(sheet, col).phone.unwrap_or(PhoneStyle::Plus7Spaced))
    }

    pub fn sex(&self, sheet: usize, col: u32, v: Sex) -> String {
        v.format_as(self.of(sheet, col).sex.unwrap_or(SexStyle::Letter))
            .to_string()
    }

    /// Dates are written as `dd.mm.yyyy` text (the form СГО shows and imports).
    pub fn date(&self, d: NaiveDate) -> String {
        date::format_ru(d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dominant_picks_the_most_common() {
        assert_eq!(
            dominant([Some(1), Some(2), Some(2), None].into_iter()),
            Some(2)
        );
        assert_eq!(dominant::<u8>([None, None].into_iter()), None);
    }
}
