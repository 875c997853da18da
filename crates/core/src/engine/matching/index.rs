//! The blocking index: each person's matching keys packed per worker's chunk, and the blocking
//! entries that bring an appeal's candidates (a СНИЛС or two of its digit groups, a birth date
//! or a near one, a folded surname, name + patronymic, a phone number).

use rustc_hash::FxHashMap as HashMap;

use chrono::{Datelike, NaiveDate};

use crate::book::Grid;
use crate::engine::appeal::Appeal;
use crate::engine::card::Card;
use crate::engine::field::Field;
use crate::engine::schema::{Person, Schema};
use crate::engine::style::Styles;
use crate::norm::{fio, phone, snils};

use super::Matcher;

/// The keys and blocking entries of a run of people (one worker's share).
#[derive(Debug, Default)]
pub(super) struct KeyChunk {
    /// Index of the chunk's first person.
    first: usize,
    /// Every text key of the chunk, one after another.
    text: String,
    people: Vec<PackedKeys>,
    /// Blocking entries, sorted: the key's hash in the high bits, the person in the low ones.
    blocks: Vec<u64>,
}

/// A piece of [`KeyChunk::text`].
#[derive(Debug, Clone, Copy, Default)]
struct Span {
    start: u32,
    len: u32,
}

/// A person's matching keys; text keys point into the chunk's text.
#[derive(Debug, Clone, Copy, Default)]
struct PackedKeys {
    surname: Span,
    name: Span,
    patronymic: Span,
    phone: Option<Span>,
    email: Option<Span>,
    snils: Option<snils::Snils>,
    birth_date: Option<NaiveDate>,
}

/// A person's matching keys as text: folded name parts, national phone number, e-mail.
#[derive(Debug, Clone, Default)]
pub(super) struct PersonKeys<'k> {
    pub(super) surname: &'k str,
    pub(super) name: &'k str,
    pub(super) patronymic: &'k str,
    pub(super) snils: Option<snils::Snils>,
    pub(super) phone: Option<&'k str>,
    pub(super) birth_date: Option<NaiveDate>,
    pub(super) email: Option<&'k str>,
}

impl KeyChunk {
    /// Appends what `write` writes to the text; returns where it is.
    fn put_with(&mut self, write: impl FnOnce(&mut String)) -> Span {
        let start = self.text.len();
        write(&mut self.text);
        Span {
            start: start as u32,
            len: (self.text.len() - start) as u32,
        }
    }

    fn put(&mut self, s: &str) -> Span {
        self.put_with(|text| text.push_str(s))
    }

    fn str(&self, span: Span) -> &str {
        let start = span.start as usize;
        self.text
            .get(start..start + span.len as usize)
            .unwrap_or_default()
    }

    fn keys(&self, i: usize) -> Option<PersonKeys<'_>> {
        let k = self.people.get(i.checked_sub(self.first)?)?;
        Some(PersonKeys {
            surname: self.str(k.surname),
            name: self.str(k.name),
            patronymic: self.str(k.patronymic),
            snils: k.snils,
            phone: k.phone.map(|s| self.str(s)),
            birth_date: k.birth_date,
            email: k.email.map(|s| self.str(s)),
        })
    }
}

/// A blocking entry: the top bits of the key's hash above the person's index. Two keys that
/// share those bits only bring an extra candidate, which the evidence rules then judge.
fn pack(key: BlockKey, person: u32, id_bits: u32) -> u64 {
    let high = key.checked_shr(id_bits).unwrap_or(0);
    high.checked_shl(id_bits).unwrap_or(0) | u64::from(person)
}

/// A blocking key: what kind of value and the value, hashed to 64 bits. Two values with the
/// same hash only bring an extra candidate, which the evidence rules then judge on its own.
type BlockKey = u64;

/// The kinds of blocking keys.
#[derive(Debug, Clone, Copy)]
#[repr(u8)]
enum Block {
    Snils = 1,
    Date = 2,
    Surname = 3,
    NamePatronymic = 4,
    Phone = 5,
    /// One of the six СНИЛС digit-group pairs (`SnilsPair + k`).
    SnilsPair = 16,
}

fn block_key(kind: Block, extra: u8, parts: &[&[u8]]) -> BlockKey {
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    h.write_u8(kind as u8 + extra);
    for p in parts {
        h.write(p);
        h.write_u8(0xFF);
    }
    h.finish()
}

fn date_key(d: NaiveDate) -> BlockKey {
    block_key(Block::Date, 0, &[&d.num_days_from_ce().to_le_bytes()])
}

/// The four digit groups of a СНИЛС: one mistyped digit or two swapped neighbours change at
/// most two of them, so one of the six pairs survives.
pub(super) fn snils_pairs(s: &snils::Snils) -> [BlockKey; 6] {
    let d = s.digits();
    let groups = [0..3, 3..6, 6..9, 9..11];
    let group = |i: usize| groups.get(i).and_then(|r| d.get(r.clone())).unwrap_or(&[]);
    let mut out = [0; 6];
    let mut k = 0;
    for i in 0..4 {
        for j in i + 1..4 {
            if let Some(slot) = out.get_mut(k) {
                *slot = block_key(Block::SnilsPair, k as u8, &[group(i), group(j)]);
            }
            k += 1;
        }
    }
    out
}

/// Every blocking key of a person.
fn person_blocks(k: &PersonKeys, mut add: impl FnMut(BlockKey)) {
    if let Some(s) = &k.snils {
        add(block_key(Block::Snils, 0, &[&s.digits()[..]]));
        snils_pairs(s).into_iter().for_each(&mut add);
    }
    if let Some(d) = k.birth_date {
        add(date_key(d));
    }
    if !k.surname.is_empty() {
        add(block_key(Block::Surname, 0, &[k.surname.as_bytes()]));
        for part in fio::surname_parts(k.surname) {
            if part != k.surname {
                add(block_key(Block::Surname, 0, &[fio::fold(&part).as_bytes()]));
            }
        }
    }
    if !k.name.is_empty() {
        add(block_key(
            Block::NamePatronymic,
            0,
            &[k.name.as_bytes(), k.patronymic.as_bytes()],
        ));
    }
    if let Some(p) = k.phone {
        add(block_key(Block::Phone, 0, &[p.as_bytes()]));
    }
}

/// Dates an appeal's birth date may be mistyped as in a card.
pub(super) fn near_dates(d: NaiveDate) -> Vec<NaiveDate> {
    let mut out = vec![d];
    if let Some(s) = NaiveDate::from_ymd_opt(d.year(), d.day(), d.month()) {
        out.push(s);
    }
    for y in [d.year() - 1, d.year() + 1] {
        if let Some(s) = NaiveDate::from_ymd_opt(y, d.month(), d.day()) {
            out.push(s);
        }
    }
    out
}

/// Reads a person's card and adds their keys to the chunk.
fn add_person(chunk: &mut KeyChunk, grids: &[Grid], p: &Person) {
    let card = grids
        .get(p.sheet)
        .map(|g| Card::read(g, p))
        .unwrap_or_default();
    let folded = |f: Field, chunk: &mut KeyChunk| {
        chunk.put_with(|text| {
            if let Some(t) = card.text(f) {
                fio::fold_into(t, text);
            }
        })
    };
    let surname = folded(Field::Surname, chunk);
    let name = folded(Field::Name, chunk);
    let patronymic = folded(Field::Patronymic, chunk);
    let phone = card
        .text(Field::Phone)
        .and_then(|t| phone::parse(t).ok())
        .map(|p| chunk.put(p.national()));
    let email = card.text(Field::Email).map(|t| chunk.put(t));
    chunk.people.push(PackedKeys {
        surname,
        name,
        patronymic,
        phone,
        email,
        snils: card.text(Field::Snils).and_then(|t| snils::parse(t).ok()),
        birth_date: card.birth_date,
    });
}

impl<'a> Matcher<'a> {
    /// Reads every person's card and builds the blocking index.
    pub fn new(grids: &'a [Grid], schema: &'a Schema, styles: &'a Styles) -> Matcher<'a> {
        let id_bits = usize::BITS - schema.people.len().leading_zeros();
        // Reading cards and folding names is per person: on every core, each worker keeping
        // its own chunk (nothing is copied together afterwards). A chunk whose worker failed
        // keeps its place with no keys: its people simply match no one.
        let chunks = crate::parallel::in_chunks(
            &schema.people,
            |first, people| {
                let mut chunk = KeyChunk {
                    first,
                    people: Vec::with_capacity(people.len()),
                    text: String::with_capacity(people.len() * 48),
                    ..KeyChunk::default()
                };
                let mut blocks = Vec::with_capacity(people.len() * 12);
                for (i, p) in people.iter().enumerate() {
                    add_person(&mut chunk, grids, p);
                    let id = (first + i) as u32;
                    if let Some(k) = chunk.keys(first + i) {
                        person_blocks(&k, |key| blocks.push(pack(key, id, id_bits)));
                    }
                }
                blocks.sort_unstable();
                blocks.shrink_to_fit();
                chunk.blocks = blocks;
                chunk.text.shrink_to_fit();
                chunk
            },
            |first, _| KeyChunk {
                first,
                ..KeyChunk::default()
            },
        );
        Matcher {
            grids,
            schema,
            styles,
            chunks,
            id_bits,
        }
    }

    /// The keys of person `i`.
    pub(super) fn keys(&self, i: usize) -> Option<PersonKeys<'_>> {
        let c = self.chunks.partition_point(|c| c.first <= i);
        self.chunks.get(c.checked_sub(1)?)?.keys(i)
    }

    /// The card of a person (index into [`Schema::people`]), read from the sheet.
    pub fn card(&self, person: usize) -> Option<Card<'a>> {
        let p = self.schema.people.get(person)?;
        Some(Card::read(self.grids.get(p.sheet)?, p))
    }

    /// Candidates with the number of blocks each was found in.
    pub(super) fn candidates(&self, a: &Appeal) -> HashMap<u32, u8> {
        let mut keys = Vec::new();
        if let Some(s) = &a.snils {
            keys.push(block_key(Block::Snils, 0, &[&s.digits()[..]]));
            keys.extend(snils_pairs(s));
        }
        if let Some(d) = a.birth_date {
            keys.extend(near_dates(d).into_iter().map(date_key));
        }
        if let Some(s) = a.surname.as_deref() {
            let f = fio::fold(s);
            for part in fio::surname_parts(&f) {
                keys.push(block_key(Block::Surname, 0, &[fio::fold(&part).as_bytes()]));
            }
            keys.push(block_key(Block::Surname, 0, &[f.as_bytes()]));
        }
        if let Some(n) = a.name.as_deref() {
            let n = fio::fold(n);
            let p = a.patronymic.as_deref().map(fio::fold).unwrap_or_default();
            keys.push(block_key(
                Block::NamePatronymic,
                0,
                &[n.as_bytes(), p.as_bytes()],
            ));
            keys.push(block_key(Block::NamePatronymic, 0, &[n.as_bytes(), b""]));
        }
        if let Some(p) = &a.phone {
            keys.push(block_key(Block::Phone, 0, &[p.national().as_bytes()]));
        }
        keys.sort_unstable();
        keys.dedup();
        let mut out: HashMap<u32, u8> = HashMap::default();
        let mask = 1u64.checked_shl(self.id_bits).map_or(u64::MAX, |m| m - 1);
        for k in keys {
            let lo = pack(k, 0, self.id_bits);
            for chunk in &self.chunks {
                let start = chunk.blocks.partition_point(|&b| b < lo);
                for &b in chunk
                    .blocks
                    .get(start..)
                    .unwrap_or(&[])
                    .iter()
                    .take_while(|&&b| b & !mask == lo)
                {
                    let n = out.entry((b & mask) as u32).or_insert(0);
                    *n = n.saturating_add(1);
                }
            }
        }
        out
    }
}
