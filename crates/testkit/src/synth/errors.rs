//! Injecting one difference of a kind into a card: the errors real СГО cards carry.

use std::collections::HashSet;

use chrono::{Datelike, NaiveDate};

use sverka::book::{CellValue, Grid};
use sverka::engine::Field;

use super::names::{DOMAINS, translit};
use super::sheet::{col_of, put, text};
use super::{ErrorKind, Rng, TruePerson};

const LATIN_TWINS: [(char, char); 7] = [
    ('а', 'a'),
    ('е', 'e'),
    ('о', 'o'),
    ('р', 'p'),
    ('с', 'c'),
    ('х', 'x'),
    ('у', 'y'),
];

/// Injects one difference of `kind` into the card of the person at (row, group); returns the
/// field it touched, or `None` when the value does not allow that kind.
pub(crate) fn inject(
    grid: &mut Grid,
    row: u32,
    group: Option<usize>,
    p: &TruePerson,
    kind: ErrorKind,
    rng: &mut Rng,
    used: &mut HashSet<String>,
) -> Option<Field> {
    let (field, value): (Field, Option<CellValue>) = match kind {
        ErrorKind::Homoglyph
        | ErrorKind::YoE
        | ErrorKind::Spaces
        | ErrorKind::Case
        | ErrorKind::Typo => faulty_name(p, kind, rng)?,
        ErrorKind::NoPatronymic => (Field::Patronymic, None),
        ErrorKind::BirthMissing => (Field::BirthDate, None),
        ErrorKind::DayMonthSwap | ErrorKind::YearOff => faulty_birth(p, kind, rng)?,
        ErrorKind::SexWrong => (Field::Sex, Some(text(if p.male { "Ж" } else { "М" }))),
        ErrorKind::SnilsDigit | ErrorKind::SnilsSwap => faulty_snils(p, kind, rng)?,
        ErrorKind::SnilsMissing => (Field::Snils, None),
        ErrorKind::PhoneOther => (
            Field::Phone,
            Some(text(&format!("+7 9{:09}", rng.next_u64() % 1_000_000_000))),
        ),
        ErrorKind::PhoneMissing => (Field::Phone, None),
        ErrorKind::EmailOther => (
            Field::Email,
            Some(text(&format!(
                "{}{}@{}",
                translit(&p.surname),
                rng.below(1000),
                rng.pick(DOMAINS)
            ))),
        ),
        ErrorKind::EmailMissing => (Field::Email, None),
    };
    let _ = used;
    let col = col_of(group, field);
    match value {
        Some(v) => put(grid, row, col, v),
        None => {
            grid.remove(row, col);
        }
    }
    Some(field)
}

/// A changed value of `kind`.
type Fault = (Field, Option<CellValue>);

/// A fault in a part of the name (Latin look-alike, ё as е, spaces, case, swapped letters).
fn faulty_name(p: &TruePerson, kind: ErrorKind, rng: &mut Rng) -> Option<Fault> {
    let name_field = |rng: &mut Rng| *rng.pick(&[Field::Surname, Field::Name, Field::Patronymic]);
    let value_of = |f: Field| match f {
        Field::Surname => p.surname.clone(),
        Field::Name => p.name.clone(),
        _ => p.patronymic.clone(),
    };
    Some(match kind {
        ErrorKind::Homoglyph => {
            let f = name_field(rng);
            let v = value_of(f);
            let spots: Vec<(usize, char)> = v
                .chars()
                .enumerate()
                .filter_map(|(i, ch)| {
                    LATIN_TWINS
                        .iter()
                        .find(|(cy, _)| *cy == ch)
                        .map(|(_, la)| (i, *la))
                })
                .collect();
            if spots.is_empty() {
                return None;
            }
            let (at, la) = *rng.pick(&spots);
            let s: String = v
                .chars()
                .enumerate()
                .map(|(i, ch)| if i == at { la } else { ch })
                .collect();
            (f, Some(text(&s)))
        }
        ErrorKind::YoE => {
            let f = [Field::Surname, Field::Name, Field::Patronymic]
                .into_iter()
                .find(|f| value_of(*f).contains('ё'))?;
            (f, Some(text(&value_of(f).replace('ё', "е"))))
        }
        ErrorKind::Spaces => {
            let f = name_field(rng);
            let v = value_of(f);
            let s = if rng.chance(0.5) {
                format!("{v} ")
            } else {
                format!(" {v}")
            };
            (f, Some(text(&s)))
        }
        ErrorKind::Case => {
            let f = name_field(rng);
            let v = value_of(f);
            if v.contains(' ') {
                return None;
            }
            (f, Some(text(&v.to_lowercase())))
        }
        ErrorKind::Typo => {
            let f = name_field(rng);
            let v: Vec<char> = value_of(f).chars().collect();
            if v.len() < 5 {
                return None;
            }
            let i = 1 + rng.below(v.len() - 3);
            if v.get(i) == v.get(i + 1) {
                return None;
            }
            let mut w = v.clone();
            w.swap(i, i + 1);
            (f, Some(text(&w.iter().collect::<String>())))
        }
        _ => return None,
    })
}

/// A wrong birth date (day and month swapped, the year off by one).
fn faulty_birth(p: &TruePerson, kind: ErrorKind, rng: &mut Rng) -> Option<Fault> {
    Some(match kind {
        ErrorKind::DayMonthSwap => {
            let b = p.birth;
            if b.day() > 12 || b.day() == b.month() {
                return None;
            }
            let s = NaiveDate::from_ymd_opt(b.year(), b.day(), b.month())?;
            (
                Field::BirthDate,
                Some(CellValue::Date(sverka::norm::date::to_excel_serial(s))),
            )
        }
        ErrorKind::YearOff => {
            let b = p.birth;
            let y = if rng.chance(0.5) { 1 } else { -1 };
            let s = NaiveDate::from_ymd_opt(b.year() + y, b.month(), b.day())?;
            (
                Field::BirthDate,
                Some(CellValue::Date(sverka::norm::date::to_excel_serial(s))),
            )
        }
        _ => return None,
    })
}

/// A wrong СНИЛС (one digit changed, two neighbours swapped).
fn faulty_snils(p: &TruePerson, kind: ErrorKind, rng: &mut Rng) -> Option<Fault> {
    Some(match kind {
        ErrorKind::SnilsDigit | ErrorKind::SnilsSwap => {
            let mut d: Vec<u8> = p.snils.bytes().collect();
            if kind == ErrorKind::SnilsDigit {
                let i = rng.below(11);
                let old = d.get(i).copied()?;
                let new = b'0' + ((old - b'0' + 1 + rng.below(9) as u8) % 10);
                *d.get_mut(i)? = new;
            } else {
                let spots: Vec<usize> = (0..10).filter(|&i| d.get(i) != d.get(i + 1)).collect();
                if spots.is_empty() {
                    return None;
                }
                let i = *rng.pick(&spots);
                d.swap(i, i + 1);
            }
            let s = String::from_utf8(d).ok()?;
            let t = TruePerson {
                snils: s,
                ..p.clone()
            };
            (Field::Snils, Some(text(&t.snils_dashed())))
        }
        _ => return None,
    })
}
