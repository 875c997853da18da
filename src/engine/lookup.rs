//! Help for an appeal beyond its match: the child its message names («Ребёнок Семёнов Глеб,
//! 8А класс»), found among the pupils of the export; and, for an appeal nobody in the export
//! is, the cards that share an identifying value with it (a СНИЛС, a phone, an e-mail, or the
//! name and the birth date). Before the officer creates a new account in СГО («Ошибка №1»),
//! those cards say the person may be there already under another name: СГО must never hold
//! two accounts of one person.
//!
//! Both are linear scans over the people with the appeal's keys normalised once; a card is
//! read as a whole only when one of its cells already agrees, so a scan of 195,000 people
//! allocates nothing for the people that cannot match.

use chrono::NaiveDate;
use rustc_hash::FxHashMap as HashMap;
use serde::Serialize;

use crate::book::{CellValue, Grid};
use crate::engine::appeal::Appeal;
use crate::engine::card::{Card, date_of};
use crate::engine::field::Field;
use crate::engine::matching::Status;
use crate::engine::schema::{Person, Role, Schema, cell_str, normalize_header};
use crate::norm::snils::Snils;
use crate::norm::{email, fio, phone, sex, snils};

/// Where a person of the export is: the index into [`Schema::people`] and the cell row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Place {
    /// Index into [`Schema::people`].
    pub person: usize,
    pub sheet: usize,
    /// 0-based row.
    pub row: u32,
}

impl Place {
    fn of(schema: &Schema, person: usize) -> Option<Place> {
        let p = schema.people.get(person)?;
        Some(Place {
            person,
            sheet: p.sheet,
            row: p.row,
        })
    }
}

/// A school class as written in a message or a cell: `8А`, `3 «А»`, `10-б`, `5 класс`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Class {
    /// 1…11.
    pub number: u8,
    /// The parallel's letter, upper case, `Ё` as `Е`; `None` when only the number is given.
    pub letter: Option<char>,
}

impl Class {
    /// Can both name the same class? A missing letter on either side agrees with any letter.
    pub fn agrees(&self, other: &Class) -> bool {
        self.number == other.number
            && match (self.letter, other.letter) {
                (Some(a), Some(b)) => a == b,
                _ => true,
            }
    }
}

/// Reads a class: `8А`, `8 А`, `8-А`, `3 «А» класс`, `10Б`, `5 класс`, `класс 5Б`.
pub fn parse_class(s: &str) -> Option<Class> {
    let words = tokens(s);
    class_at(&words, 0).map(|(c, _)| c)
}

/// A child named in an appeal's message, as written (spaces normalised).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChildMention {
    pub surname: String,
    pub name: String,
    pub patronymic: Option<String>,
    pub class: Option<Class>,
}

/// Words that introduce a child in a message (lower case, `ё` as `е`).
const CHILD_WORDS: [&str; 10] = [
    "ребенок",
    "сын",
    "дочь",
    "дочка",
    "ученик",
    "ученица",
    "обучающийся",
    "обучающаяся",
    "учащийся",
    "учащаяся",
];

/// Words that follow a child word but are not a name (lower case, `ё` as `е`).
const NOT_NAMES: &[&str] = &[
    "не",
    "в",
    "во",
    "на",
    "из",
    "и",
    "а",
    "но",
    "по",
    "у",
    "с",
    "со",
    "к",
    "за",
    "мой",
    "моя",
    "мое",
    "наш",
    "наша",
    "ваш",
    "учится",
    "обучается",
    "класс",
    "класса",
    "классе",
    "школа",
    "школы",
    "школе",
    "гимназия",
    "лицей",
    "может",
    "пишет",
    "года",
    "лет",
    "был",
    "была",
    "есть",
    "это",
    "тоже",
];

/// One word of a message and what separates it from the word before.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Token {
    text: String,
    /// What stands between this word and the one before it.
    gap: Gap,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Gap {
    /// Spaces only (or quotes: `3 «А»`).
    Space,
    /// A comma, a colon, a dash or brackets.
    Punct,
    /// The end of a sentence or a line.
    Sentence,
}

/// Splits text into words (letters, digits and inner hyphens), noting the gaps.
fn tokens(s: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut gap = Gap::Space;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        let inner_hyphen =
            fio_dash(c) && !cur.is_empty() && chars.peek().is_some_and(|n| n.is_alphanumeric());
        if c.is_alphanumeric() || inner_hyphen {
            cur.push(if inner_hyphen { '-' } else { c });
            continue;
        }
        if !cur.is_empty() {
            out.push(Token {
                text: std::mem::take(&mut cur),
                gap,
            });
            gap = Gap::Space;
        }
        let here = match c {
            '.' | '!' | '?' | ';' | '\n' | '\r' => Gap::Sentence,
            c if c.is_whitespace() || is_quote(c) => Gap::Space,
            _ => Gap::Punct,
        };
        gap = gap.max(here);
    }
    if !cur.is_empty() {
        out.push(Token { text: cur, gap });
    }
    out
}

fn fio_dash(c: char) -> bool {
    matches!(c, '-' | '‐' | '‑' | '–' | '—')
}

fn is_quote(c: char) -> bool {
    matches!(c, '«' | '»' | '"' | '“' | '”' | '„' | '\'' | '’')
}

/// Lower case, `ё` as `е`.
fn lower(s: &str) -> String {
    s.chars()
        .flat_map(char::to_lowercase)
        .map(|c| if c == 'ё' { 'е' } else { c })
        .collect()
}

/// A word that can be part of a name: Cyrillic letters (and inner hyphens), two or more.
fn is_name_word(w: &str) -> bool {
    w.chars().count() >= 2
        && w.chars().next().is_some_and(char::is_alphabetic)
        && w.chars()
            .all(|c| c == '-' || matches!(c, 'А'..='я' | 'Ё' | 'ё'))
        && !NOT_NAMES.contains(&lower(w).as_str())
}

/// The parallel letter of a class: one Cyrillic letter, upper case, `Ё` as `Е`.
fn class_letter(s: &str) -> Option<char> {
    let mut it = s.chars();
    let c = it.next()?;
    if it.next().is_some() || !matches!(c, 'А'..='я' | 'Ё' | 'ё') {
        return None;
    }
    let up = c.to_uppercase().next()?;
    Some(if up == 'Ё' { 'Е' } else { up })
}

fn class_number(s: &str) -> Option<u8> {
    if s.is_empty() || s.len() > 2 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse::<u8>().ok().filter(|n| (1..=11).contains(n))
}

/// A class starting at word `i` (`8А`, `8-А`, `8 А`, `8 «А»`, `5 класс`, `класс 5Б`): the class
/// and the number of words it took.
fn class_at(words: &[Token], i: usize) -> Option<(Class, usize)> {
    let w = words.get(i)?;
    if lower(&w.text).starts_with("класс") {
        // `класс 5Б`: the class follows the word.
        words.get(i + 1).filter(|n| n.gap <= Gap::Punct)?;
        let (c, n) = class_at(words, i + 1)?;
        return Some((c, n + 1));
    }
    let text = w.text.as_str();
    let digits_end = text
        .char_indices()
        .find(|(_, c)| !c.is_ascii_digit())
        .map_or(text.len(), |(k, _)| k);
    let number = class_number(text.get(..digits_end)?)?;
    let rest = text.get(digits_end..)?.trim_start_matches('-');
    if !rest.is_empty() {
        return Some((
            Class {
                number,
                letter: Some(class_letter(rest)?),
            },
            1,
        ));
    }
    // `8 А`, `3 «А»`: the letter as the next word, after spaces or quotes only.
    if let Some(letter) = words
        .get(i + 1)
        .filter(|n| n.gap == Gap::Space)
        .and_then(|n| class_letter(&n.text))
    {
        return Some((
            Class {
                number,
                letter: Some(letter),
            },
            2,
        ));
    }
    Some((
        Class {
            number,
            letter: None,
        },
        1,
    ))
}

/// Every child a message names: a child word (`ребёнок`, `сын`, `дочь`, `ученица`…), then the
/// surname and name (and a patronymic when the third word is one), then maybe the class
/// within the same sentence: «Ребёнок Семёнов Глеб, 8А класс», «Ребенок: Иванова Мария
/// Петровна 5Б», «сын Петров Иван, 3 «А» класс», «мой ребенок Орлов Тимофей».
pub fn children_in_message(text: &str) -> Vec<ChildMention> {
    let words = tokens(text);
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(w) = words.get(i) {
        i += 1;
        if !CHILD_WORDS.contains(&lower(&w.text).as_str()) {
            continue;
        }
        // The name follows the child word in the same sentence (after `:`, `—` or a space),
        // its parts separated by spaces only.
        let mut names: Vec<&str> = Vec::new();
        let mut j = i;
        while let Some(n) = words.get(j) {
            let gap_ok = if names.is_empty() {
                n.gap < Gap::Sentence
            } else {
                n.gap == Gap::Space
            };
            if names.len() == 3 || !gap_ok || !is_name_word(&n.text) {
                break;
            }
            names.push(&n.text);
            j += 1;
        }
        // A third word is a patronymic only when it reads as one («Петровна», «Ильич»).
        if names.len() == 3
            && names
                .get(2)
                .is_none_or(|p| sex::from_patronymic(p).is_none())
        {
            names.truncate(2);
            j -= 1;
        }
        let (Some(surname), Some(name)) = (names.first(), names.get(1)) else {
            continue;
        };
        // The class: within the next few words of the same sentence.
        let mut class = None;
        let mut k = j;
        while let Some(n) = words.get(k) {
            if k > j + 3 || n.gap == Gap::Sentence {
                break;
            }
            if let Some((c, _)) = class_at(&words, k) {
                class = Some(c);
                break;
            }
            k += 1;
        }
        out.push(ChildMention {
            surname: fio::normalize(surname),
            name: fio::normalize(name),
            patronymic: names.get(2).map(|p| fio::normalize(p)),
            class,
        });
        i = j;
    }
    out
}

/// Is a cell's text the already [`fio::fold`]ed `folded`? No allocation for the usual name
/// (one word of Russian letters).
fn folds_to(cell: &str, folded: &str) -> bool {
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
fn field_folds_to(grid: &Grid, p: &Person, field: Field, want: &str) -> bool {
    p.cols
        .get(&field)
        .and_then(|&col| cell_str(grid, p.row, col))
        .is_some_and(|t| folds_to(&t, want))
}

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
pub fn find_pupil(grids: &[Grid], schema: &Schema, mention: &ChildMention) -> Option<Place> {
    let fit = fits(grids, schema, &[Wanted::of(mention)]);
    resolve(fit.first()?).and_then(|i| Place::of(schema, i))
}

/// The child the appeal's message names, found among the pupils: the first mention that
/// exactly one pupil fits. `None` without a message, a mention, or a single fitting pupil.
pub fn find_child(grids: &[Grid], schema: &Schema, appeal: &Appeal) -> Option<Place> {
    find_children_all(grids, schema, &[appeal])
        .into_iter()
        .next()
        .flatten()
}

/// [`find_child`] for many appeals in one pass over the pupils: the result for `appeals[i]`
/// is at `i`.
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
fn digits_value(s: &str) -> (u64, usize) {
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
fn cell_digits(cell: &CellValue) -> Option<(u64, usize)> {
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

fn hash_chars(chars: impl Iterator<Item = char>) -> u64 {
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    for c in chars {
        h.write_u32(c as u32);
    }
    h.finish()
}

/// Hash of the lower-case text (an e-mail), without allocating.
fn hash_lower(s: &str) -> u64 {
    hash_chars(s.chars().flat_map(char::to_lowercase))
}

/// Hash of the [`fio::fold`]ed name part; no allocation for a word of Russian letters.
fn hash_folded(s: &str) -> u64 {
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
                person: i,
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

/// What the officer is told about an appeal beyond its match.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AppealHelp {
    /// The child the message names ([`find_child`]).
    pub child: Option<Place>,
    /// For a `not_found` appeal, the cards sharing an identifying value ([`near_cards`]);
    /// `None` for matched and ambiguous appeals.
    pub near: Option<Vec<NearCard>>,
}

/// [`find_child`] for the appeal, and [`near_cards`] when nobody in the export is its person.
pub fn help(grids: &[Grid], schema: &Schema, appeal: &Appeal, status: Status) -> AppealHelp {
    help_all(grids, schema, &[(appeal, status)])
        .into_iter()
        .next()
        .unwrap_or_default()
}

/// [`help`] for many appeals: the near cards of all the appeals not found in one pass over
/// the people ([`near_cards_all`]).
pub fn help_all(grids: &[Grid], schema: &Schema, appeals: &[(&Appeal, Status)]) -> Vec<AppealHelp> {
    let lost: Vec<&Appeal> = appeals
        .iter()
        .filter(|(_, s)| *s == Status::NotFound)
        .map(|(a, _)| *a)
        .collect();
    let mut near = near_cards_all(grids, schema, &lost).into_iter();
    let all: Vec<&Appeal> = appeals.iter().map(|(a, _)| *a).collect();
    appeals
        .iter()
        .zip(find_children_all(grids, schema, &all))
        .map(|(&(_, status), child)| AppealHelp {
            child,
            near: if status == Status::NotFound {
                Some(near.next().unwrap_or_default())
            } else {
                None
            },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> ChildMention {
        let all = children_in_message(text);
        assert_eq!(all.len(), 1, "{text}: {all:?}");
        all.into_iter().next().unwrap_or_else(|| panic!("{text}"))
    }

    fn class(number: u8, letter: char) -> Option<Class> {
        Some(Class {
            number,
            letter: Some(letter),
        })
    }

    #[test]
    fn phrases_that_name_a_child() {
        let m = one("Не могу войти. Ребёнок Семёнов Глеб, 8А класс.");
        assert_eq!(
            (m.surname.as_str(), m.name.as_str(), m.patronymic, m.class),
            ("Семёнов", "Глеб", None, class(8, 'А'))
        );
        let m = one("Ребенок: Иванова Мария Петровна 5Б");
        assert_eq!((m.surname.as_str(), m.name.as_str()), ("Иванова", "Мария"));
        assert_eq!(m.patronymic.as_deref(), Some("Петровна"));
        assert_eq!(m.class, class(5, 'Б'));
        let m = one("Мой сын Петров Иван, 3 «А» класс, не видит дневник");
        assert_eq!((m.surname.as_str(), m.name.as_str()), ("Петров", "Иван"));
        assert_eq!(m.class, class(3, 'А'));
        let m = one("дочь — Орлова Вера 10-б");
        assert_eq!((m.surname.as_str(), m.name.as_str()), ("Орлова", "Вера"));
        assert_eq!(m.class, class(10, 'Б'));
        let m = one("мой ребенок Кузнецов Артём учится в 7 классе");
        assert_eq!(
            (m.surname.as_str(), m.name.as_str(), m.class),
            (
                "Кузнецов",
                "Артём",
                Some(Class {
                    number: 7,
                    letter: None
                })
            )
        );
        let m = one("Ученица Петрова-Водкина Анна");
        assert_eq!(
            (m.surname.as_str(), m.name.as_str(), m.class),
            ("Петрова-Водкина", "Анна", None)
        );
        let m = one("ученик Сидоров Олег Иванов 2В класс");
        assert_eq!(m.patronymic, None, "«Иванов» is not a patronymic");
        assert_eq!(m.class, class(2, 'В'));
        let m = one("Ребенок Сидоров Олег, он учится уже давно в школе, 2В класс");
        assert_eq!(
            m.class, None,
            "the class is more than three words after the name"
        );
    }

    #[test]
    fn messages_without_a_child() {
        for text in [
            "Не могу войти в дневник.",
            "Ребёнок не может войти",
            "сын. Иванов Петр",
            "Ребенок: Иванов",
            "",
        ] {
            assert!(children_in_message(text).is_empty(), "{text}");
        }
    }

    #[test]
    fn two_children_in_one_message() {
        let all = children_in_message("Сын Иванов Пётр 3А, дочь Иванова Анна 5 «В» класс.");
        let names: Vec<(&str, Option<Class>)> =
            all.iter().map(|m| (m.name.as_str(), m.class)).collect();
        assert_eq!(
            names,
            vec![("Пётр", class(3, 'А')), ("Анна", class(5, 'В'))]
        );
    }

    #[test]
    fn classes() {
        assert_eq!(parse_class("8А"), class(8, 'А'));
        assert_eq!(parse_class("8 а"), class(8, 'А'));
        assert_eq!(parse_class("11-Ё"), class(11, 'Е'));
        assert_eq!(parse_class("3 «Г» класс"), class(3, 'Г'));
        assert_eq!(parse_class("класс 5Б"), class(5, 'Б'));
        assert_eq!(parse_class("1А класс"), class(1, 'А'));
        assert_eq!(
            parse_class("5"),
            Some(Class {
                number: 5,
                letter: None
            })
        );
        assert_eq!(parse_class("12А"), None);
        assert_eq!(parse_class("0"), None);
        assert_eq!(parse_class("8АБ"), None);
        assert_eq!(parse_class("Иванов"), None);
        let any = Class {
            number: 8,
            letter: None,
        };
        assert!(any.agrees(&Class {
            number: 8,
            letter: Some('В')
        }));
        assert!(!any.agrees(&Class {
            number: 7,
            letter: None
        }));
    }

    #[test]
    fn folding_compares_without_case_yo_or_lookalikes() {
        assert!(folds_to("Семёнов", &fio::fold("семенов")));
        assert!(folds_to("СЕМЕНОВ", &fio::fold("Семёнов")));
        assert!(folds_to("Ceмёнов", &fio::fold("Семенов")), "Latin C");
        assert!(!folds_to("Семёнова", &fio::fold("Семенов")));
        assert!(!folds_to("Семёнов", ""));
    }

    #[test]
    fn digits_of_values() {
        assert_eq!(digits_value("+7 (900) 123-45-67"), (79_001_234_567, 11));
        assert_eq!(digits_value("052-903-666 55"), (5_290_366_655, 11));
        assert_eq!(digits_value("x"), (0, 0));
        assert_eq!(
            cell_digits(&CellValue::Number(5_290_366_655.0)),
            Some((5_290_366_655, 10))
        );
    }

    fn grid(rows: &[&[&str]]) -> Vec<Grid> {
        let mut g = Grid::new("Ученики");
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                if !v.is_empty() {
                    g.insert(r as u32, c as u32, CellValue::Text((*v).into()));
                }
            }
        }
        vec![g]
    }

    const HEADER: &[&str] = &[
        "Класс",
        "Фамилия",
        "Имя",
        "Отчество",
        "Дата рождения",
        "СНИЛС",
        "Родитель 1: Фамилия",
        "Родитель 1: Имя",
        "Родитель 1: Телефон",
    ];

    #[test]
    fn the_child_is_found_by_name_and_class() {
        let grids = grid(&[
            HEADER,
            &[
                "5А",
                "Иванова",
                "Мария",
                "Петровна",
                "01.02.2015",
                "",
                "Иванова",
                "Анна",
            ],
            &["5Б", "Иванова", "Мария", "Олеговна", "03.04.2015"],
            &["3А", "Петров", "Иван", "", "05.06.2017"],
            &["7В", "Семёнов", "Глеб", "", "07.08.2013"],
        ]);
        let schema = Schema::detect(&grids, &[]);
        let row = |m: &str| {
            children_in_message(m)
                .first()
                .and_then(|c| find_pupil(&grids, &schema, c))
                .map(|p| p.row)
        };
        assert_eq!(row("Ребенок Семенов Глеб"), Some(4), "ё and е fold");
        assert_eq!(row("Ребенок Семенов Глеб 7 «В» класс"), Some(4));
        assert_eq!(row("Ребенок Семенов Глеб 8В"), None, "another class");
        assert_eq!(row("Ребенок Иванова Мария"), None, "two pupils fit");
        assert_eq!(
            row("Ребенок Иванова Мария 5Б"),
            Some(2),
            "the class tells them apart"
        );
        assert_eq!(row("Ребенок Иванова Мария Петровна"), Some(1));
        assert_eq!(
            row("дочь Мария Иванова, 5 А"),
            Some(1),
            "name before surname"
        );
        assert_eq!(row("Ребенок Иванова Анна"), None, "a parent, not a pupil");
        assert_eq!(row("сын Петров Иван, 3 «А» класс"), Some(3));
    }

    #[test]
    fn near_cards_share_an_identifying_value() {
        let grids = grid(&[
            HEADER,
            &[
                "5А",
                "Иванова",
                "Мария",
                "Петровна",
                "01.02.2015",
                "112-233-445 95",
                "Иванова",
                "Анна",
                "8 (900) 123-45-67",
            ],
            &[
                "5Б",
                "Петров",
                "Иван",
                "Олегович",
                "03.04.2015",
                "156-684-125 50",
            ],
        ]);
        let schema = Schema::detect(&grids, &[]);
        let appeal = |text: &str| {
            crate::engine::appeal::parse_text(text, "t")
                .unwrap_or_default()
                .into_iter()
                .next()
                .unwrap_or_default()
        };
        // Another name, the pupil's СНИЛС.
        let a = appeal("Фамилия Смирнова\nИмя Ольга\nСНИЛС 112-233-445 95");
        let near = near_cards(&grids, &schema, &a);
        assert_eq!(near.len(), 1, "{near:?}");
        assert_eq!(
            (near[0].place.row, near[0].agree.clone()),
            (1, vec![Field::Snils])
        );
        // The mother's phone, written another way.
        let a = appeal("Фамилия Смирнова\nИмя Анна\nТелефон +79001234567");
        let near = near_cards(&grids, &schema, &a);
        assert_eq!(near.len(), 1, "{near:?}");
        let mother = schema.people.get(near[0].place.person);
        assert_eq!(mother.and_then(|p| p.group), Some(0));
        assert_eq!(near[0].agree, vec![Field::Name, Field::Phone]);
        // Name and birth date, with ё/е and case.
        let a = appeal("Фамилия ПЕТРОВ\nИмя Иван\nДата рождения 03.04.2015\nСНИЛС 123-456-789 64");
        let near = near_cards(&grids, &schema, &a);
        assert_eq!(near.len(), 1, "{near:?}");
        assert_eq!(near[0].place.row, 2);
        assert_eq!(
            near[0].agree,
            vec![Field::Surname, Field::Name, Field::BirthDate]
        );
        // The name alone, or another date: nothing.
        let a = appeal("Фамилия Петров\nИмя Иван\nДата рождения 04.04.2015");
        assert!(near_cards(&grids, &schema, &a).is_empty());
        let a = appeal("Фамилия Петров\nИмя Иван\nОтчество Ильич\nДата рождения 03.04.2015");
        assert!(
            near_cards(&grids, &schema, &a).is_empty(),
            "patronymics differ"
        );
        // Many appeals in one pass give what each gives alone.
        let many: Vec<Appeal> = [
            "Фамилия Смирнова\nИмя Ольга\nСНИЛС 112-233-445 95\nТелефон 89001234567",
            "Фамилия Смирнова\nИмя Анна\nТелефон +79001234567",
            "Фамилия петров\nИмя Иван\nДата рождения 03.04.2015",
            "Фамилия Никто\nИмя Иван\nСНИЛС 123-456-789 64",
            "Фамилия Смирнова\nИмя Ольга\nСНИЛС 112-233-445 95",
        ]
        .iter()
        .map(|t| appeal(t))
        .collect();
        let refs: Vec<&Appeal> = many.iter().collect();
        let batch = near_cards_all(&grids, &schema, &refs);
        let alone: Vec<Vec<NearCard>> = many
            .iter()
            .map(|a| near_cards(&grids, &schema, a))
            .collect();
        assert_eq!(batch, alone);
        let counts: Vec<usize> = batch.iter().map(Vec::len).collect();
        // The pupil's СНИЛС and the mother's phone: two cards, in file order.
        assert_eq!(counts, [2, 1, 1, 0, 1]);
        assert_eq!(batch[0][0].agree, vec![Field::Snils]);
        assert_eq!(batch[0][1].agree, vec![Field::Phone]);
        assert_eq!(batch[0][1].place.row, 1);
    }
}
