//! Reading an appeal's message: the children it names («Ребёнок Семёнов Глеб, 8А класс») and
//! school classes as written (`8А`, `3 «А»`, `10-б`, `5 класс`).

use crate::norm::{fio, sex};

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
