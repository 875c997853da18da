//! Finding the child an appeal's message names among the pupils of the export: surname and
//! name folded, the patronymic and the class when both sides have them, in one pass over the
//! pupils for many appeals.

use rustc_hash::FxHashMap as HashMap;

use crate::book::Grid;
use crate::engine::appeal::Appeal;
use crate::engine::field::Field;
use crate::engine::schema::{Person, Role, Schema, cell_str, normalize_header};
use crate::norm::fio;

use super::Place;
use super::fold::{field_folds_to, folds_to, hash_chars, hash_folded};
use super::message::{ChildMention, Class, children_in_message, parse_class};

/// The class column of a sheet: a column of the row's own person headed «Класс…».
fn class_column(schema: &Schema, sheet: usize) -> Option<u32> {
    let layout = schema.sheets.get(sheet)?;
    layout
        .columns
        .iter()
        .find(|c| {
            c.group.is_none()
                && c.field.is_none()
                && normalize_header(&c.header)
                    .split(' ')
                    .next()
                    .is_some_and(|w| w == "класс")
        })
        .map(|c| c.col)
}

/// A mention's name parts, folded once.
struct Wanted<'m> {
    surname: String,
    name: String,
    patronymic: Option<String>,
    class: Option<&'m Class>,
}

impl<'m> Wanted<'m> {
    fn of(m: &'m ChildMention) -> Wanted<'m> {
        Wanted {
            surname: fio::fold(&m.surname),
            name: fio::fold(&m.name),
            patronymic: m.patronymic.as_deref().map(fio::fold),
            class: m.class.as_ref(),
        }
    }
}

/// How many pupils fit a mention (counted up to two) and the first of them.
#[derive(Debug, Clone, Copy, Default)]
struct Fit {
    count: u8,
    first: usize,
}

impl Fit {
    fn add(&mut self, person: usize) {
        if self.count == 0 {
            self.first = person;
        }
        self.count = self.count.saturating_add(1).min(2);
    }
}

/// Does pupil `p` fit the mention, read surname first (`swapped`: the message wrote the name
/// first)? The surname is known to fold alike already (by its hash); checked again here.
fn pupil_fits(schema: &Schema, grid: &Grid, p: &Person, w: &Wanted, swapped: bool) -> bool {
    let (surname, name) = if swapped {
        (&w.name, &w.surname)
    } else {
        (&w.surname, &w.name)
    };
    if !field_folds_to(grid, p, Field::Surname, surname)
        || !field_folds_to(grid, p, Field::Name, name)
    {
        return false;
    }
    if let Some(want) = &w.patronymic
        && let Some(have) = p
            .cols
            .get(&Field::Patronymic)
            .and_then(|&col| cell_str(grid, p.row, col))
        && !folds_to(&have, want)
    {
        return false;
    }
    if let Some(want) = w.class
        && let Some(col) = class_column(schema, p.sheet)
        && let Some(have) = cell_str(grid, p.row, col).and_then(|t| parse_class(&t))
        && !have.agrees(want)
    {
        return false;
    }
    true
}

/// For each mention, the pupils that fit it read surname first (`[0]`) and name first
/// (`[1]`): one pass over the pupils, each looked up by the hash of its folded surname.
fn fits(grids: &[Grid], schema: &Schema, wanted: &[Wanted]) -> Vec<[Fit; 2]> {
    let mut out = vec![[Fit::default(); 2]; wanted.len()];
    let mut index: HashMap<u64, Vec<(usize, usize)>> = HashMap::default();
    for (n, w) in wanted.iter().enumerate() {
        index
            .entry(hash_chars(w.surname.chars()))
            .or_default()
            .push((n, 0));
        index
            .entry(hash_chars(w.name.chars()))
            .or_default()
            .push((n, 1));
    }
    if index.is_empty() {
        return out;
    }
    for (i, p) in schema.people.iter().enumerate() {
        if p.role != Role::Pupil || p.group.is_some() {
            continue;
        }
        let Some(grid) = grids.get(p.sheet) else {
            continue;
        };
        let Some(list) = p
            .cols
            .get(&Field::Surname)
            .and_then(|&c| cell_str(grid, p.row, c))
            .and_then(|t| index.get(&hash_folded(&t)))
        else {
            continue;
        };
        for &(n, order) in list {
            if let (Some(w), Some(fit)) =
                (wanted.get(n), out.get_mut(n).and_then(|f| f.get_mut(order)))
                && pupil_fits(schema, grid, p, w, order == 1)
            {
                fit.add(i);
            }
        }
    }
    out
}

/// The one pupil a mention names, from its [`fits`]: surname first as usual; «Глеб Семёнов»
/// (name first) too when nobody fits the other way. `None` when no pupil or several fit.
fn resolve(fit: &[Fit; 2]) -> Option<usize> {
    let [usual, swapped] = fit;
    match (usual.count, swapped.count) {
        (1, _) => Some(usual.first),
        (0, 1) => Some(swapped.first),
        _ => None,
    }
}

/// The pupil a mention names: surname and name (folded: case, `ё`/`е`, look-alike letters),
/// the patronymic when both have one, and the class when the sheet has a class column and
/// the message names one. Only pupils (the row's own person on a pupils' sheet); `None` when
/// no pupil or several fit.
#[cfg(test)]
pub fn find_pupil(grids: &[Grid], schema: &Schema, mention: &ChildMention) -> Option<Place> {
    let fit = fits(grids, schema, &[Wanted::of(mention)]);
    resolve(fit.first()?).and_then(|i| Place::of(schema, i))
}

/// The child each appeal's message names, found among the pupils in one pass: the first
/// mention that exactly one pupil fits (`None` without a message, a mention, or a single
/// fitting pupil). The result for `appeals[i]` is at `i`.
pub fn find_children_all(
    grids: &[Grid],
    schema: &Schema,
    appeals: &[&Appeal],
) -> Vec<Option<Place>> {
    let mentions: Vec<Vec<ChildMention>> = appeals
        .iter()
        .map(|a| a.message().map(children_in_message).unwrap_or_default())
        .collect();
    let wanted: Vec<Wanted> = mentions.iter().flatten().map(Wanted::of).collect();
    let fits = fits(grids, schema, &wanted);
    let mut next = fits.iter();
    mentions
        .iter()
        .map(|list| {
            // Every mention's fit is taken in turn; the first resolved one counts.
            let resolved: Vec<Option<usize>> =
                list.iter().map(|_| next.next().and_then(resolve)).collect();
            resolved
                .into_iter()
                .flatten()
                .next()
                .and_then(|i| Place::of(schema, i))
        })
        .collect()
}
