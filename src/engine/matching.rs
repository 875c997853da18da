//! Finding the person an appeal is about, and comparing their card with Госуслуги field by
//! field.
//!
//! Every person in the file (pupils, parents, staff) is a candidate. Blocking keeps it fast:
//! only people sharing a СНИЛС (or two of its four digit groups, which survives one mistyped
//! digit or two swapped neighbours), a birth date (or its day/month swap, or the year ±1), a
//! folded surname, a folded name + patronymic, or a phone number are scored. Similarity only
//! ranks candidates; the decision needs identity evidence (see [`Evidence`]), and the field
//! verdicts come from exact comparison after normalisation plus named typo classes.

use rustc_hash::FxHashMap as HashMap;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::book::Grid;
use crate::engine::appeal::Appeal;
use crate::engine::card::Card;
use crate::engine::field::Field;
use crate::engine::schema::{Person, Role, Schema};
use crate::engine::style::Styles;
use crate::norm::fio::NameComparison;
use crate::norm::{date, email, fio, phone, sex, snils};

/// The outcome for one appeal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// One person is the appeal's.
    Matched,
    /// Several people fit equally well: the officer chooses.
    Ambiguous,
    /// Nobody in this export: «Ошибка авторизации №1», the card must be created in СГО.
    NotFound,
}

impl Status {
    pub fn label_ru(self) -> &'static str {
        match self {
            Status::Matched => "найден",
            Status::Ambiguous => "несколько кандидатов",
            Status::NotFound => "не найден",
        }
    }
}

/// A field's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Equal,
    /// The card differs: write the appeal's value.
    Differs,
    /// The card is empty: fill it.
    MissingInCard,
    /// A protected cell differs: fix the card in СГО by hand.
    ProtectedDiffers,
}

impl Verdict {
    pub fn label_ru(self) -> &'static str {
        match self {
            Verdict::Equal => "совпадает",
            Verdict::Differs => "расходится",
            Verdict::MissingInCard => "не заполнено",
            Verdict::ProtectedDiffers => "исправить вручную в СГО",
        }
    }
}

/// What kind of difference it is (for the officer and for quality statistics).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DiffKind {
    None,
    Missing,
    Spaces,
    Case,
    YoE,
    Homoglyph,
    /// Two neighbouring letters swapped, or a similar spelling.
    Typo,
    /// A double surname in one place, a single one in the other.
    SurnamePart,
    DayMonthSwap,
    YearOff,
    OneDigit,
    AdjacentSwap,
    Other,
}

impl DiffKind {
    /// A few words naming a difference the eye cannot see when both values are shown side by
    /// side (a Latin «с» inside a Cyrillic name, a double space, «ё» for «е», letter case);
    /// `None` for differences that show.
    pub fn hint_ru(self) -> Option<&'static str> {
        match self {
            DiffKind::Homoglyph => Some("латинские буквы"),
            DiffKind::Spaces => Some("пробелы"),
            DiffKind::YoE => Some("ё и е"),
            DiffKind::Case => Some("заглавные буквы"),
            _ => None,
        }
    }
}

/// One field's comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldResult {
    pub field: Field,
    pub verdict: Verdict,
    pub kind: DiffKind,
    /// The card's value as written (`None` when empty).
    pub card: Option<String>,
    /// The appeal's value, as Госуслуги has it.
    pub appeal: Option<String>,
    /// The value to write, in the column's style (for `Differs` and `MissingInCard`, and for
    /// `ProtectedDiffers` the value to type in СГО).
    pub suggestion: Option<String>,
    /// (sheet, row, col) of the card's cell.
    pub cell: (usize, u32, u32),
    /// Explanation in Russian.
    pub message: String,
}

impl FieldResult {
    /// Whether sverka can write this field's fix into the card: it differs or is empty, and
    /// there is a value to write. (A protected cell that differs is fixed by hand in СГО.)
    pub fn is_fixable(&self) -> bool {
        matches!(self.verdict, Verdict::Differs | Verdict::MissingInCard)
            && self.suggestion.is_some()
    }
}

/// A ranked candidate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Candidate {
    /// Index into [`Schema::people`].
    pub person: usize,
    pub score: f64,
}

/// The result for one appeal.
#[derive(Debug, Clone, PartialEq)]
pub struct MatchResult {
    pub status: Status,
    /// The matched person (index into [`Schema::people`]).
    pub person: Option<usize>,
    pub score: f64,
    /// The best candidates, best first (at most [`MAX_CANDIDATES`]).
    pub candidates: Vec<Candidate>,
    /// The same person's other places (a parent listed on each child's row).
    pub also: Vec<usize>,
    pub fields: Vec<FieldResult>,
}

impl MatchResult {
    /// Nobody found.
    fn unmatched() -> MatchResult {
        MatchResult {
            status: Status::NotFound,
            person: None,
            score: 0.0,
            candidates: Vec::new(),
            also: Vec::new(),
            fields: Vec::new(),
        }
    }
}

/// Candidates kept in a result.
pub const MAX_CANDIDATES: usize = 5;

/// Everything needed to match many appeals against one book.
pub struct Matcher<'a> {
    grids: &'a [Grid],
    schema: &'a Schema,
    styles: &'a Styles,
    /// What matching compares, per person, in the chunks the index was built in; whole cards
    /// are read from the grid only for the people an appeal is compared with field by field.
    chunks: Vec<KeyChunk>,
    /// Bits of a packed blocking entry that hold the person (see [`pack`]).
    id_bits: u32,
}

/// The keys and blocking entries of a run of people (one worker's share).
#[derive(Debug, Default)]
struct KeyChunk {
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
struct PersonKeys<'k> {
    surname: &'k str,
    name: &'k str,
    patronymic: &'k str,
    snils: Option<snils::Snils>,
    phone: Option<&'k str>,
    birth_date: Option<NaiveDate>,
    email: Option<&'k str>,
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
fn snils_pairs(s: &snils::Snils) -> [BlockKey; 6] {
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

/// In how many of the 11 places two СНИЛС differ.
fn snils_digits_apart(a: &snils::Snils, b: &snils::Snils) -> usize {
    a.digits()
        .iter()
        .zip(b.digits().iter())
        .filter(|(x, y)| x != y)
        .count()
}

/// Dates an appeal's birth date may be mistyped as in a card.
fn near_dates(d: NaiveDate) -> Vec<NaiveDate> {
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

/// How the card's and the appeal's values of one field relate, for scoring.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Agreement {
    /// Not comparable: one side has no value.
    Unknown,
    Same,
    Near,
    Different,
}

/// Identity evidence for one candidate.
#[derive(Debug, Clone, Copy)]
struct Evidence {
    surname: Agreement,
    name: Agreement,
    patronymic: Agreement,
    birth: Agreement,
    snils: Agreement,
    phone: Agreement,
    email: Agreement,
}

impl Evidence {
    fn score(&self) -> f64 {
        let parts = [
            (self.snils, 0.40, 0.25),
            (self.surname, 0.20, 0.14),
            (self.name, 0.15, 0.10),
            (self.patronymic, 0.10, 0.07),
            (self.birth, 0.20, 0.12),
            (self.phone, 0.05, 0.03),
            (self.email, 0.05, 0.03),
        ];
        let mut got = 0.0;
        let mut max = 0.0;
        for (a, same, near) in parts {
            match a {
                Agreement::Unknown => {}
                Agreement::Same => {
                    got += same;
                    max += same;
                }
                Agreement::Near => {
                    got += near;
                    max += same;
                }
                Agreement::Different => max += same,
            }
        }
        if max <= 0.0 { 0.0 } else { got / max }
    }

    /// Enough to say it is this person: a name and a document, or the whole name and a date.
    fn is_identity(&self) -> bool {
        use Agreement::*;
        let ok = |a: Agreement| matches!(a, Same | Near);
        let snils_ok = ok(self.snils);
        let names = [self.surname, self.name, self.patronymic];
        let names_ok = names.iter().filter(|a| ok(**a)).count();
        let names_same = names.iter().filter(|a| **a == Same).count();
        if self.snils == Different && self.birth == Different {
            return false;
        }
        // The whole name letter for letter, plus one more agreeing fact (a mistyped СНИЛС or
        // birth date does not hide the person; a namesake needs the same date, phone or e-mail).
        if names_same == 3
            && (ok(self.birth) || self.phone == Same || self.email == Same)
            && !(self.snils == Different && self.birth == Different)
        {
            return true;
        }
        // СНИЛС plus at least two name parts (the third may be mistyped or missing).
        if self.snils == Same && names_ok >= 2 {
            return true;
        }
        if snils_ok && names_ok >= 2 && (ok(self.birth) || names_same >= 2) {
            return true;
        }
        // Without a СНИЛС: surname and name, plus the birth date or the patronymic.
        ok(self.surname)
            && ok(self.name)
            && self.snils != Different
            && (self.birth == Same
                || (ok(self.birth) && ok(self.patronymic))
                || (self.birth == Unknown && self.patronymic == Same && self.phone != Different))
    }
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

/// Agreement of two name parts given already [`fio::fold`]ed (equal after folding is the same
/// name written with other spaces, case, ё or look-alike letters).
fn name_agreement(card: &str, appeal: &str) -> Agreement {
    if card.is_empty() || appeal.is_empty() {
        return Agreement::Unknown;
    }
    if card == appeal {
        return Agreement::Same;
    }
    let compound = |s: &str| s.contains(['-', ' ']);
    if crate::norm::similarity::jaro_winkler(card, appeal) >= 0.88
        || (card.len() == appeal.len() && fio::transposed_letters(card, appeal))
        || ((compound(card) || compound(appeal))
            && (fio::shares_surname_part(card, appeal) || fio::same_patronymic(card, appeal)))
    {
        Agreement::Near
    } else {
        Agreement::Different
    }
}

/// An appeal's name parts, folded once for all candidates.
struct AppealKeys {
    surname: String,
    name: String,
    patronymic: String,
}

impl AppealKeys {
    fn of(a: &Appeal) -> AppealKeys {
        let f = |s: &Option<String>| s.as_deref().map(fio::fold).unwrap_or_default();
        AppealKeys {
            surname: f(&a.surname),
            name: f(&a.name),
            patronymic: f(&a.patronymic),
        }
    }
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
    fn keys(&self, i: usize) -> Option<PersonKeys<'_>> {
        let c = self.chunks.partition_point(|c| c.first <= i);
        self.chunks.get(c.checked_sub(1)?)?.keys(i)
    }

    /// The card of a person (index into [`Schema::people`]), read from the sheet.
    pub fn card(&self, person: usize) -> Option<Card<'a>> {
        let p = self.schema.people.get(person)?;
        Some(Card::read(self.grids.get(p.sheet)?, p))
    }

    /// Candidates with the number of blocks each was found in.
    fn candidates(&self, a: &Appeal) -> HashMap<u32, u8> {
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

    fn evidence(&self, i: usize, a: &Appeal, ak: &AppealKeys) -> Evidence {
        let Some(k) = self.keys(i) else {
            return Evidence {
                surname: Agreement::Unknown,
                name: Agreement::Unknown,
                patronymic: Agreement::Unknown,
                birth: Agreement::Unknown,
                snils: Agreement::Unknown,
                phone: Agreement::Unknown,
                email: Agreement::Unknown,
            };
        };
        let snils = match (&k.snils, &a.snils) {
            (Some(x), Some(y)) if x == y => Agreement::Same,
            (Some(x), Some(y)) if snils_digits_apart(x, y) <= 3 || snils::adjacent_swap(x, y) => {
                Agreement::Near
            }
            (Some(_), Some(_)) => Agreement::Different,
            _ => Agreement::Unknown,
        };
        let birth = match (k.birth_date, a.birth_date) {
            (Some(x), Some(y)) if x == y => Agreement::Same,
            (Some(x), Some(y))
                if date::day_month_swapped(x, y)
                    || date::year_off_by_one(x, y)
                    || date::one_digit_off(x, y)
                    || (x.day() == y.day() && x.month() == y.month()) =>
            {
                Agreement::Near
            }
            (Some(_), Some(_)) => Agreement::Different,
            _ => Agreement::Unknown,
        };
        let phone = match (k.phone, &a.phone) {
            (Some(x), Some(y)) if x == y.national() => Agreement::Same,
            (Some(_), Some(_)) => Agreement::Different,
            _ => Agreement::Unknown,
        };
        let email = match (k.email, a.email.as_deref()) {
            (Some(x), Some(y)) if x.trim().len() == y.trim().len() && email::same(x, y) => {
                Agreement::Same
            }
            // Many people share a family address: a different e-mail says little.
            _ => Agreement::Unknown,
        };
        let _ = phone;
        Evidence {
            surname: name_agreement(k.surname, &ak.surname),
            name: name_agreement(k.name, &ak.name),
            patronymic: name_agreement(k.patronymic, &ak.patronymic),
            birth,
            snils,
            // Phones change hands and families share them: only agreement counts.
            phone: if phone == Agreement::Same {
                Agreement::Same
            } else {
                Agreement::Unknown
            },
            email,
        }
    }

    /// Same person in two places: same folded ФИО, and neither СНИЛС nor birth date differ.
    fn same_identity(&self, i: usize, j: usize) -> bool {
        let (Some(x), Some(y)) = (self.keys(i), self.keys(j)) else {
            return false;
        };
        x.surname == y.surname
            && x.name == y.name
            && x.patronymic == y.patronymic
            && (x.snils.is_none() || y.snils.is_none() || x.snils == y.snils)
            && (x.birth_date.is_none() || y.birth_date.is_none() || x.birth_date == y.birth_date)
    }

    /// Matches one appeal.
    pub fn match_appeal(&self, a: &Appeal) -> MatchResult {
        let ak = AppealKeys::of(a);
        let found = self.candidates(a);
        // People found through two or more keys first; the rest (a single shared surname or
        // date) only when none of those is the person.
        let score = |ids: &mut dyn Iterator<Item = u32>| -> Vec<(u32, f64, bool)> {
            ids.map(|i| {
                let e = self.evidence(i as usize, a, &ak);
                (i, e.score(), e.is_identity())
            })
            .collect()
        };
        let mut scored = score(&mut found.iter().filter(|(_, n)| **n >= 2).map(|(i, _)| *i));
        if !scored.iter().any(|c| c.2) {
            scored.extend(score(
                &mut found.iter().filter(|(_, n)| **n < 2).map(|(i, _)| *i),
            ));
        }
        scored.sort_by(|x, y| y.2.cmp(&x.2).then(y.1.total_cmp(&x.1)).then(x.0.cmp(&y.0)));
        let candidates: Vec<Candidate> = scored
            .iter()
            .take(MAX_CANDIDATES)
            .map(|&(i, s, _)| Candidate {
                person: i as usize,
                score: s,
            })
            .collect();
        let identified: Vec<&(u32, f64, bool)> = scored.iter().filter(|c| c.2).collect();
        let Some(&&(best, best_score, _)) = identified.first() else {
            return MatchResult {
                candidates,
                ..MatchResult::unmatched()
            };
        };
        let best = best as usize;
        let also: Vec<usize> = identified
            .iter()
            .skip(1)
            .map(|c| c.0 as usize)
            .filter(|&j| self.same_identity(best, j))
            .collect();
        let rival = identified
            .iter()
            .skip(1)
            .map(|c| (c.0 as usize, c.1))
            .find(|&(j, s)| !also.contains(&j) && best_score - s < 0.05);
        if rival.is_some() {
            return MatchResult {
                status: Status::Ambiguous,
                person: None,
                score: best_score,
                candidates,
                also: Vec::new(),
                fields: Vec::new(),
            };
        }
        let fields = self.compare(best, a);
        MatchResult {
            status: Status::Matched,
            person: Some(best),
            score: best_score,
            candidates,
            also,
            fields,
        }
    }

    /// Field-by-field comparison of a person's card with an appeal (also used when the officer
    /// picks a candidate of an ambiguous appeal).
    pub fn compare(&self, person: usize, a: &Appeal) -> Vec<FieldResult> {
        let (Some(p), Some(card)) = (self.schema.people.get(person), self.card(person)) else {
            return Vec::new();
        };
        compare_card(self.schema, self.styles, p, &card, a)
    }

    fn compare_field(
        schema: &Schema,
        styles: &Styles,
        p: &Person,
        card: &Card,
        col: u32,
        field: Field,
        a: &Appeal,
    ) -> Option<FieldResult> {
        let card_text = card.text(field).map(str::to_string);
        let sheet = p.sheet;
        // (appeal value shown, suggestion, equal?, kind)
        let (appeal_text, suggestion, kind): (String, String, DiffKind) = match field {
            Field::Surname | Field::Name | Field::Patronymic => {
                let want = match field {
                    Field::Surname => a.surname.as_deref(),
                    Field::Name => a.name.as_deref(),
                    _ => a.patronymic.as_deref(),
                }?;
                let got = card_text.as_deref().unwrap_or("");
                let kind = if got.is_empty() {
                    DiffKind::Missing
                } else {
                    match fio::compare(got, want) {
                        NameComparison::Equal => DiffKind::None,
                        NameComparison::Spaces => DiffKind::Spaces,
                        NameComparison::Case => DiffKind::Case,
                        NameComparison::YoE => DiffKind::YoE,
                        NameComparison::Homoglyph => DiffKind::Homoglyph,
                        NameComparison::Different { similarity } => {
                            if field == Field::Patronymic && fio::same_patronymic(got, want) {
                                DiffKind::Spaces
                            } else if field == Field::Surname && fio::shares_surname_part(got, want)
                            {
                                DiffKind::SurnamePart
                            } else if fio::transposed_letters(got, want) || similarity >= 0.85 {
                                DiffKind::Typo
                            } else {
                                DiffKind::Other
                            }
                        }
                    }
                };
                (want.to_string(), fio::fix_for(got, want), kind)
            }
            Field::BirthDate => {
                let want = a.birth_date?;
                let kind = match card.birth_date {
                    None if card_text.is_none() => DiffKind::Missing,
                    None => DiffKind::Other,
                    Some(d) if d == want => DiffKind::None,
                    Some(d) if date::day_month_swapped(d, want) => DiffKind::DayMonthSwap,
                    Some(d) if d.day() == want.day() && d.month() == want.month() => {
                        DiffKind::YearOff
                    }
                    Some(d) if date::one_digit_off(d, want) => DiffKind::OneDigit,
                    Some(_) => DiffKind::Other,
                };
                let shown = date::format_ru(want);
                (shown.clone(), styles.date(want), kind)
            }
            Field::Sex => {
                // ПОС cards show no sex: the appeal's patronymic tells it.
                let want = a
                    .sex
                    .or_else(|| a.patronymic.as_deref().and_then(sex::from_patronymic))?;
                let kind = match card_text.as_deref().map(sex::parse) {
                    None => DiffKind::Missing,
                    Some(Ok(s)) if s == want => DiffKind::None,
                    Some(_) => DiffKind::Other,
                };
                (want.word().to_string(), styles.sex(sheet, col, want), kind)
            }
            Field::Snils => {
                let want = a.snils.as_ref()?;
                let kind = match card_text.as_deref().map(snils::parse) {
                    None => DiffKind::Missing,
                    Some(Ok(s)) if s == *want => DiffKind::None,
                    Some(Ok(s)) if snils::adjacent_swap(&s, want) => DiffKind::AdjacentSwap,
                    Some(Ok(s)) if snils::one_digit_off(&s, want) => DiffKind::OneDigit,
                    Some(Ok(s)) if snils_digits_apart(&s, want) <= 3 => DiffKind::Typo,
                    Some(_) => DiffKind::Other,
                };
                (want.formatted(), styles.snils(sheet, col, want), kind)
            }
            Field::Phone => {
                let want = a.phone.as_ref()?;
                let kind = match card_text.as_deref().map(phone::parse) {
                    None => DiffKind::Missing,
                    Some(Ok(s)) if s.national() == want.national() => DiffKind::None,
                    Some(Ok(s)) if phone::adjacent_swap(&s, want) => DiffKind::AdjacentSwap,
                    Some(Ok(s)) if phone::one_digit_off(&s, want) => DiffKind::OneDigit,
                    Some(_) => DiffKind::Other,
                };
                (
                    want.format_as(phone::PhoneStyle::Plus7Spaced),
                    styles.phone(sheet, col, want),
                    kind,
                )
            }
            Field::Email => {
                let want = a.email.as_deref()?;
                let kind = match card_text.as_deref() {
                    None => DiffKind::Missing,
                    Some(s) if email::same(s, want) => DiffKind::None,
                    Some(_) => DiffKind::Other,
                };
                (want.to_string(), email::normalize(want), kind)
            }
        };
        let protected = schema.is_protected(sheet, p.row, col);
        let verdict = match kind {
            DiffKind::None => Verdict::Equal,
            _ if protected => Verdict::ProtectedDiffers,
            DiffKind::Missing => Verdict::MissingInCard,
            _ => Verdict::Differs,
        };
        let message = message_for(field, verdict, kind, card_text.as_deref(), &appeal_text);
        Some(FieldResult {
            field,
            verdict,
            kind,
            card: card_text,
            appeal: Some(appeal_text),
            suggestion: (verdict != Verdict::Equal).then_some(suggestion),
            cell: (sheet, p.row, col),
            message,
        })
    }

    /// The grids the matcher reads.
    pub fn grids(&self) -> &[Grid] {
        self.grids
    }

    /// Matches every appeal (results in the same order).
    pub fn match_all(&self, appeals: &[Appeal]) -> Vec<MatchResult> {
        crate::parallel::in_chunks(
            appeals,
            |_, part| {
                part.iter()
                    .map(|a| self.match_appeal(a))
                    .collect::<Vec<_>>()
            },
            // A worker that failed is redone appeal by appeal, so that every other appeal of
            // its share still gets its own result in its own place.
            |first, len| {
                appeals
                    .get(first..first + len)
                    .unwrap_or(&[])
                    .iter()
                    .map(|a| {
                        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                            self.match_appeal(a)
                        }))
                        .unwrap_or_else(|_| MatchResult::unmatched())
                    })
                    .collect()
            },
        )
        .into_iter()
        .flatten()
        .collect()
    }
}

/// Field-by-field comparison of a card (as it is now) with an appeal.
pub fn compare_card(
    schema: &Schema,
    styles: &Styles,
    person: &Person,
    card: &Card,
    a: &Appeal,
) -> Vec<FieldResult> {
    let mut out = Vec::new();
    for field in Field::ALL {
        let Some(&col) = person.cols.get(&field) else {
            continue;
        };
        if let Some(r) = Matcher::compare_field(schema, styles, person, card, col, field, a) {
            out.push(r);
        }
    }
    out
}

/// Russian explanation of a field verdict.
fn message_for(
    field: Field,
    verdict: Verdict,
    kind: DiffKind,
    card: Option<&str>,
    appeal: &str,
) -> String {
    let label = field.label_ru();
    let why = match kind {
        DiffKind::None => return format!("{label}: совпадает с Госуслугами."),
        DiffKind::Missing => "в карточке не заполнено".to_string(),
        DiffKind::Spaces => "отличаются только пробелы".into(),
        DiffKind::Case => "отличаются заглавные и строчные буквы".into(),
        DiffKind::YoE => "отличаются буквы «ё» и «е» — на Госуслугах написано иначе".into(),
        DiffKind::Homoglyph => {
            "в карточке латинские буквы, похожие на русские (невидимая ошибка)".into()
        }
        DiffKind::Typo => "опечатка в написании".into(),
        DiffKind::SurnamePart => "двойная фамилия записана не полностью".into(),
        DiffKind::DayMonthSwap => "перепутаны день и месяц".into(),
        DiffKind::YearOff => "отличается год".into(),
        DiffKind::OneDigit => "отличается одна цифра".into(),
        DiffKind::AdjacentSwap => "переставлены две соседние цифры".into(),
        DiffKind::Other => "значения разные".into(),
    };
    let card = card.unwrap_or("пусто");
    match verdict {
        Verdict::ProtectedDiffers => format!(
            "{label}: {why} (в СГО «{card}», на Госуслугах «{appeal}»). Это поле ученика нельзя менять в файле — исправьте карточку в СГО вручную."
        ),
        _ => format!("{label}: {why} (в СГО «{card}», на Госуслугах «{appeal}") + "»).",
    }
}

/// The manual step for a protected difference, as the officer does it in СГО.
pub fn manual_step(schema: &Schema, person: &Person, r: &FieldResult) -> String {
    let who = match person.role {
        Role::Pupil => "Управление > Ученики",
        Role::Parent => "Управление > Родители",
        Role::Staff => "Управление > Сотрудники",
    };
    format!(
        "В СГО откройте «{who}», карточку человека ({}), и в поле «{}» запишите «{}» (сейчас «{}»).",
        schema.place_ru(person),
        r.field.label_ru(),
        r.suggestion
            .as_deref()
            .or(r.appeal.as_deref())
            .unwrap_or(""),
        r.card.as_deref().unwrap_or("пусто")
    )
}

#[cfg(test)]
mod tests {
    use super::*;
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
}
