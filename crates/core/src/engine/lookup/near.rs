//! Near cards for an appeal nobody in the export is: the cards that share a СНИЛС, a phone,
//! an e-mail, or the name and the birth date with it, found in one pass over the people for
//! many appeals.

use chrono::NaiveDate;
use rustc_hash::FxHashMap as HashMap;
use serde::Serialize;

use crate::book::{CellValue, Grid};
use crate::engine::appeal::Appeal;
use crate::engine::card::{Card, date_of};
use crate::engine::field::Field;
use crate::engine::schema::{Person, PersonId, Schema, cell_str};
use crate::norm::snils::Snils;
use crate::norm::{email, fio, phone, snils};

use super::Place;
use super::fold::{field_folds_to, folds_to, hash_chars, hash_folded};

/// A card that shares an identifying value with an appeal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NearCard {
    #[serde(flatten)]
    pub place: Place,
    /// The fields whose values agree with the appeal's, in card order (`surname`, `name`,
    /// `patronymic`, `birth_date`, `snils`, `phone`, `email`).
    pub agree: Vec<Field>,
}

/// Cards listed for one appeal at most, those agreeing on most fields first.
pub const MAX_NEAR: usize = 10;

/// The fields [`NearCard::agree`] compares (sex is left out: it agrees for half the file).
const AGREE_FIELDS: [Field; 7] = [
    Field::Surname,
    Field::Name,
    Field::Patronymic,
    Field::BirthDate,
    Field::Snils,
    Field::Phone,
    Field::Email,
];

/// An appeal's identifying values, normalised once for the scan.
struct NearKeys {
    snils: Option<(Snils, u64)>,
    /// The 10-digit national number, and as a number.
    phone: Option<(String, u64)>,
    /// Lower case, trimmed.
    email: Option<String>,
    surname: String,
    name: String,
    patronymic: String,
    birth_date: Option<NaiveDate>,
}

impl NearKeys {
    fn of(a: &Appeal) -> NearKeys {
        let folded = |s: &Option<String>| s.as_deref().map(fio::fold).unwrap_or_default();
        NearKeys {
            snils: a.snils.map(|s| (s, digits_value(&s.digits_string()).0)),
            phone: a
                .phone
                .as_ref()
                .map(|p| (p.national().to_string(), digits_value(p.national()).0)),
            email: a
                .email
                .as_deref()
                .map(email::normalize)
                .filter(|e| !e.is_empty()),
            surname: folded(&a.surname),
            name: folded(&a.name),
            patronymic: folded(&a.patronymic),
            birth_date: a.birth_date,
        }
    }

    /// Same surname and name (and patronymic when both have one) and the same birth date.
    fn named_and_dated(&self) -> bool {
        !self.surname.is_empty() && !self.name.is_empty() && self.birth_date.is_some()
    }
}

/// The digits of a text as a number and how many there are (at most 19 count; more give 0).
pub(super) fn digits_value(s: &str) -> (u64, usize) {
    let mut n: u64 = 0;
    let mut count = 0;
    for b in s.bytes().filter(u8::is_ascii_digit) {
        count += 1;
        n = match n
            .checked_mul(10)
            .and_then(|n| n.checked_add(u64::from(b - b'0')))
        {
            Some(n) => n,
            None => return (0, count),
        };
    }
    (n, count)
}

/// The digits of a cell as a number (a number cell as it is, a text cell's digits).
pub(super) fn cell_digits(cell: &CellValue) -> Option<(u64, usize)> {
    match cell {
        CellValue::Text(t) => Some(digits_value(t)),
        CellValue::Number(n) if *n >= 0.0 && n.fract() == 0.0 && *n < 1e19 => {
            let v = *n as u64;
            Some((v, v.checked_ilog10().map_or(1, |d| d as usize + 1)))
        }
        _ => None,
    }
}

/// Does the person's card hold the appeal's СНИЛС?
fn snils_agrees(grid: &Grid, p: &Person, want: &(Snils, u64)) -> bool {
    let Some(cell) = p.cols.get(&Field::Snils).and_then(|&c| grid.get(p.row, c)) else {
        return false;
    };
    // Cheap first: the same digits as a number (a number cell lost its leading zeros).
    if cell_digits(cell).is_none_or(|(n, count)| n != want.1 || count > 11) {
        return false;
    }
    snils::parse(&cell.display()).is_ok_and(|s| s == want.0)
}

/// Does the person's card hold the appeal's phone (the same 10-digit national number)?
fn phone_agrees(grid: &Grid, p: &Person, want: &(String, u64)) -> bool {
    let Some(cell) = p.cols.get(&Field::Phone).and_then(|&c| grid.get(p.row, c)) else {
        return false;
    };
    // Cheap first: the last ten digits are the number (+7, 8 or 7 before them).
    if cell_digits(cell).is_none_or(|(n, count)| n % 10_000_000_000 != want.1 || count > 11) {
        return false;
    }
    phone::parse(&cell.display()).is_ok_and(|ph| ph.national() == want.0)
}

/// Does the person's card hold the appeal's e-mail (case and surrounding spaces ignored)?
fn email_agrees(grid: &Grid, p: &Person, want: &str) -> bool {
    p.cols
        .get(&Field::Email)
        .and_then(|&c| cell_str(grid, p.row, c))
        .is_some_and(|t| {
            let t = t.trim();
            t.len() == want.len() && email::same(t, want)
        })
}

/// Same surname and name (patronymic too when both have one) and birth date.
fn name_and_date_agree(grid: &Grid, p: &Person, k: &NearKeys) -> bool {
    if !field_folds_to(grid, p, Field::Surname, &k.surname)
        || !field_folds_to(grid, p, Field::Name, &k.name)
    {
        return false;
    }
    if !k.patronymic.is_empty()
        && let Some(have) = p
            .cols
            .get(&Field::Patronymic)
            .and_then(|&c| cell_str(grid, p.row, c))
        && !folds_to(&have, &k.patronymic)
    {
        return false;
    }
    let date = p
        .cols
        .get(&Field::BirthDate)
        .and_then(|&c| date_of(grid.get(p.row, c)));
    date.is_some() && date == k.birth_date
}

/// Which of [`AGREE_FIELDS`] agree between a card and the appeal.
fn agreeing_fields(card: &Card, a: &Appeal, k: &NearKeys) -> Vec<Field> {
    AGREE_FIELDS
        .into_iter()
        .filter(|&f| match f {
            Field::Surname => card.text(f).is_some_and(|t| folds_to(t, &k.surname)),
            Field::Name => card.text(f).is_some_and(|t| folds_to(t, &k.name)),
            Field::Patronymic => card.text(f).is_some_and(|t| folds_to(t, &k.patronymic)),
            Field::BirthDate => card.birth_date.is_some() && card.birth_date == a.birth_date,
            Field::Snils => card
                .text(f)
                .and_then(|t| snils::parse(t).ok())
                .is_some_and(|s| Some(s) == a.snils),
            Field::Phone => card
                .text(f)
                .and_then(|t| phone::parse(t).ok())
                .zip(a.phone.as_ref())
                .is_some_and(|(x, y)| x.national() == y.national()),
            Field::Email => card
                .text(f)
                .zip(a.email.as_deref())
                .is_some_and(|(x, y)| email::same(x, y)),
            Field::Sex => false,
        })
        .collect()
}

/// Cards sharing an identifying value with the appeal: the same СНИЛС, the same phone (as the
/// 10-digit national number), the same e-mail (case ignored), or the same surname and name
/// (and patronymic when both have one) with the same birth date. Every person of every sheet
/// is looked at (pupils, parents, staff); each card lists the fields that agree. At most
/// [`MAX_NEAR`], most agreeing fields first, then in file order.
///
/// Meant for an appeal that is `not_found`: these are the people the officer should look at
/// before creating a new account in СГО. For many appeals, [`near_cards_all`] looks at each
/// person once for all of them.
#[cfg(test)]
pub fn near_cards(grids: &[Grid], schema: &Schema, appeal: &Appeal) -> Vec<NearCard> {
    near_cards_all(grids, schema, &[appeal])
        .into_iter()
        .next()
        .unwrap_or_default()
}

/// The appeals (by index) that hold each value, hashed.
type KeyIndex = HashMap<u64, Vec<u32>>;

/// The appeals' keys, indexed for one pass over the people.
#[derive(Default)]
struct NearIndex {
    /// СНИЛС as a number.
    snils: KeyIndex,
    /// The national phone number as a number.
    phone: KeyIndex,
    /// Hash of the lower-case e-mail.
    email: KeyIndex,
    /// Hash of the folded surname (appeals with a name and a birth date only).
    surname: KeyIndex,
}

impl NearIndex {
    fn of(keys: &[NearKeys]) -> NearIndex {
        let mut ix = NearIndex::default();
        for (n, k) in keys.iter().enumerate() {
            let n = n as u32;
            if let Some((_, v)) = &k.snils {
                ix.snils.entry(*v).or_default().push(n);
            }
            if let Some((_, v)) = &k.phone {
                ix.phone.entry(*v).or_default().push(n);
            }
            if let Some(e) = &k.email {
                ix.email.entry(hash_lower(e)).or_default().push(n);
            }
            if k.named_and_dated() {
                ix.surname
                    .entry(hash_chars(k.surname.chars()))
                    .or_default()
                    .push(n);
            }
        }
        ix
    }

    fn is_empty(&self) -> bool {
        self.snils.is_empty()
            && self.phone.is_empty()
            && self.email.is_empty()
            && self.surname.is_empty()
    }

    /// The appeals (indexes into `keys`) whose values one person's card shares, into `out`.
    fn hits(&self, keys: &[NearKeys], grid: &Grid, p: &Person, out: &mut Vec<u32>) {
        let cell = |f: Field| p.cols.get(&f).and_then(|&c| grid.get(p.row, c));
        let key = |k: usize| keys.get(k);
        if !self.snils.is_empty()
            && let Some((n, count)) = cell(Field::Snils).and_then(cell_digits)
            && count <= 11
            && let Some(list) = self.snils.get(&n)
        {
            out.extend(list.iter().filter(|&&a| {
                key(a as usize)
                    .and_then(|k| k.snils.as_ref())
                    .is_some_and(|s| snils_agrees(grid, p, s))
            }));
        }
        if !self.phone.is_empty()
            && let Some((n, count)) = cell(Field::Phone).and_then(cell_digits)
            && (10..=11).contains(&count)
            && let Some(list) = self.phone.get(&(n % 10_000_000_000))
        {
            out.extend(list.iter().filter(|&&a| {
                key(a as usize)
                    .and_then(|k| k.phone.as_ref())
                    .is_some_and(|ph| phone_agrees(grid, p, ph))
            }));
        }
        if !self.email.is_empty()
            && let Some(CellValue::Text(t)) = cell(Field::Email)
            && let Some(list) = self.email.get(&hash_lower(t.trim()))
        {
            out.extend(list.iter().filter(|&&a| {
                key(a as usize)
                    .and_then(|k| k.email.as_deref())
                    .is_some_and(|e| email_agrees(grid, p, e))
            }));
        }
        if !self.surname.is_empty()
            && let Some(t) = p
                .cols
                .get(&Field::Surname)
                .and_then(|&c| cell_str(grid, p.row, c))
            && let Some(list) = self.surname.get(&hash_folded(&t))
        {
            out.extend(
                list.iter()
                    .filter(|&&a| key(a as usize).is_some_and(|k| name_and_date_agree(grid, p, k))),
            );
        }
    }
}

/// Hash of the lower-case text (an e-mail), without allocating.
fn hash_lower(s: &str) -> u64 {
    hash_chars(s.chars().flat_map(char::to_lowercase))
}

/// [`near_cards`] for many appeals in one pass over the people (on every core): the result
/// for `appeals[i]` is at `i`.
pub fn near_cards_all(grids: &[Grid], schema: &Schema, appeals: &[&Appeal]) -> Vec<Vec<NearCard>> {
    let keys: Vec<NearKeys> = appeals.iter().map(|a| NearKeys::of(a)).collect();
    let index = NearIndex::of(&keys);
    let mut out: Vec<Vec<NearCard>> = vec![Vec::new(); appeals.len()];
    if index.is_empty() {
        return out;
    }
    // (appeal, person) for every card that shares a value; a chunk whose worker failed
    // contributes nothing.
    let parts = crate::parallel::in_chunks(
        &schema.people,
        |first, people| {
            let mut found: Vec<(u32, usize)> = Vec::new();
            let mut hits: Vec<u32> = Vec::new();
            for (k, p) in people.iter().enumerate() {
                let Some(grid) = grids.get(p.sheet) else {
                    continue;
                };
                hits.clear();
                index.hits(&keys, grid, p, &mut hits);
                hits.sort_unstable();
                hits.dedup();
                found.extend(hits.iter().map(|&a| (a, first + k)));
            }
            found
        },
        |_, _| Vec::new(),
    );
    for (a, i) in parts.into_iter().flatten() {
        let (Some(p), Some(appeal), Some(k), Some(list)) = (
            schema.people.get(i),
            appeals.get(a as usize),
            keys.get(a as usize),
            out.get_mut(a as usize),
        ) else {
            continue;
        };
        let Some(grid) = grids.get(p.sheet) else {
            continue;
        };
        let card = Card::read(grid, p);
        list.push(NearCard {
            place: Place {
                person: PersonId::at(i),
                sheet: p.sheet,
                row: p.row,
            },
            agree: agreeing_fields(&card, appeal, k),
        });
    }
    for list in &mut out {
        // Stable: equal counts stay in file order (chunks come back in order).
        list.sort_by_key(|c| std::cmp::Reverse(c.agree.len()));
        list.truncate(MAX_NEAR);
    }
    out
}
