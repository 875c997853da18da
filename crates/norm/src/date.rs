//! Birth dates: every common written shape (Russian `13.09.1984`, ISO, `13 сентября 1984`,
//! Excel serial numbers stored as text) → [`NaiveDate`], plausibility checks and typo classes.

use chrono::{Datelike, Days, Local, Months, NaiveDate};
use thiserror::Error;

/// Why a value cannot be read as a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum DateError {
    /// Nothing written.
    #[error("Дата не указана")]
    Empty,
    /// A mask or a template instead of a date (`__.__.____`, `**.**.1984`, `дд.мм.гггг`).
    #[error("Дата скрыта или не заполнена (маска вместо даты): нужна настоящая дата")]
    Masked,
    /// Numbers that do not form a calendar date (`31.02.2010`, `00.01.2000`, month 13).
    #[error("Такой даты не бывает: проверьте день и месяц (например, 31 февраля или месяц 13)")]
    Impossible,
    /// Not a date at all.
    #[error("Не удалось прочитать дату: ожидается день.месяц.год, например 13.09.1984")]
    Garbage,
}

/// Excel serials accepted in text by [`parse`]: five digits, i.e. 18.05.1927 – 13.10.2173.
const SERIAL_DIGITS: usize = 5;

/// The last serial Excel can show (31.12.9999).
const MAX_SERIAL: f64 = 2_958_465.0;

/// Month names and abbreviations (Russian genitive and nominative, English), lower case.
const MONTHS: &[(&str, u32)] = &[
    ("января", 1),
    ("февраля", 2),
    ("марта", 3),
    ("апреля", 4),
    ("мая", 5),
    ("июня", 6),
    ("июля", 7),
    ("августа", 8),
    ("сентября", 9),
    ("октября", 10),
    ("ноября", 11),
    ("декабря", 12),
    ("январь", 1),
    ("февраль", 2),
    ("март", 3),
    ("апрель", 4),
    ("май", 5),
    ("июнь", 6),
    ("июль", 7),
    ("август", 8),
    ("сентябрь", 9),
    ("октябрь", 10),
    ("ноябрь", 11),
    ("декабрь", 12),
    ("янв", 1),
    ("фев", 2),
    ("февр", 2),
    ("мар", 3),
    ("апр", 4),
    ("июн", 6),
    ("июл", 7),
    ("авг", 8),
    ("сен", 9),
    ("сент", 9),
    ("окт", 10),
    ("ноя", 11),
    ("нояб", 11),
    ("дек", 12),
    ("january", 1),
    ("february", 2),
    ("march", 3),
    ("april", 4),
    ("may", 5),
    ("june", 6),
    ("july", 7),
    ("august", 8),
    ("september", 9),
    ("october", 10),
    ("november", 11),
    ("december", 12),
    ("jan", 1),
    ("feb", 2),
    ("mar", 3),
    ("apr", 4),
    ("jun", 6),
    ("jul", 7),
    ("aug", 8),
    ("sep", 9),
    ("sept", 9),
    ("oct", 10),
    ("nov", 11),
    ("dec", 12),
];

/// Trailing words meaning "year".
const YEAR_WORDS: [&str; 4] = ["г", "гг", "год", "года"];

fn month_number(word: &str) -> Option<u32> {
    MONTHS
        .iter()
        .find(|(name, _)| *name == word)
        .map(|&(_, m)| m)
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Num(String),
    Word(String),
    /// A separator character; any whitespace run is `' '`.
    Sep(char),
}

fn is_sep(c: char) -> bool {
    matches!(
        c,
        '.' | ',' | '/' | '\\' | '-' | ':' | '‐' | '‑' | '‒' | '–' | '—' | '−'
    )
}

/// Splits lower-cased text into numbers, words and separators; `None` on any other character.
fn tokenize(s: &str) -> Option<Vec<Token>> {
    let mut out: Vec<Token> = Vec::new();
    for c in s.chars() {
        let last = out.last_mut();
        if c.is_ascii_digit() {
            match last {
                Some(Token::Num(n)) => n.push(c),
                _ => out.push(Token::Num(c.to_string())),
            }
        } else if c.is_alphabetic() {
            match last {
                Some(Token::Word(w)) => w.push(c),
                _ => out.push(Token::Word(c.to_string())),
            }
        } else if c.is_whitespace() {
            if !matches!(last, Some(Token::Sep(_))) {
                out.push(Token::Sep(' '));
            }
        } else if is_sep(c) {
            match last {
                // A real separator wins over the whitespace next to it.
                Some(Token::Sep(prev)) if *prev == ' ' => *prev = c,
                _ => out.push(Token::Sep(c)),
            }
        } else {
            return None;
        }
    }
    Some(out)
}

/// Drops a trailing time (`0:00:00`, `T00:00:00`) and a trailing "г."/"года".
fn strip_tails(tokens: &mut Vec<Token>) {
    if let Some(colon) = tokens.iter().position(|t| *t == Token::Sep(':')) {
        // The time starts at the number before the first colon.
        let mut cut = colon.saturating_sub(1);
        if let Some(Token::Word(w)) = cut.checked_sub(1).and_then(|i| tokens.get(i))
            && w == "t"
        {
            cut -= 1;
        }
        tokens.truncate(cut);
    }
    while let Some(last) = tokens.last() {
        let drop = match last {
            Token::Sep(_) => true,
            Token::Word(w) => YEAR_WORDS.contains(&w.as_str()),
            Token::Num(_) => false,
        };
        if !drop {
            break;
        }
        tokens.pop();
    }
}

/// Is the text a mask or a template rather than a date?
fn is_masked(lower: &str) -> bool {
    if lower
        .chars()
        .any(|c| matches!(c, '_' | '*' | '•' | '●' | '#' | '?'))
    {
        return true;
    }
    let letters: Vec<char> = lower.chars().filter(|c| c.is_alphabetic()).collect();
    // Template letters only (дд.мм.гггг, dd.mm.yyyy, xx.xx.xxxx), but not just "гг." (years).
    letters.len() >= 2
        && letters
            .iter()
            .all(|c| matches!(c, 'д' | 'м' | 'г' | 'd' | 'm' | 'y' | 'x' | 'х'))
        && letters.iter().any(|&c| c != 'г')
}

/// Expands a two-digit year: up to the current year's last two digits → this century,
/// otherwise the previous one.
fn expand_year(yy: i32, today: NaiveDate) -> i32 {
    let current = today.year().rem_euclid(100);
    let century = today.year() - current;
    if yy <= current {
        century + yy
    } else {
        century - 100 + yy
    }
}

fn ymd(y: i32, m: u32, d: u32) -> Result<NaiveDate, DateError> {
    NaiveDate::from_ymd_opt(y, m, d).ok_or(DateError::Impossible)
}

/// Reads a day, month and year given as text (1–2 digits for day and month, 2 or 4 for year).
fn dmy(d: &str, m: u32, y: &str, today: NaiveDate) -> Result<NaiveDate, DateError> {
    if !(1..=2).contains(&d.len()) {
        return Err(DateError::Garbage);
    }
    let day: u32 = d.parse().map_err(|_| DateError::Garbage)?;
    let year: i32 = y.parse().map_err(|_| DateError::Garbage)?;
    let year = match y.len() {
        4 => year,
        2 => expand_year(year, today),
        _ => return Err(DateError::Garbage),
    };
    ymd(year, m, day)
}

fn month_of(m: &str) -> Result<u32, DateError> {
    if !(1..=2).contains(&m.len()) {
        return Err(DateError::Garbage);
    }
    m.parse().map_err(|_| DateError::Garbage)
}

/// Reads a date as [`parse`] does, with `today` fixing the century of two-digit years.
pub fn parse_with_today(s: &str, today: NaiveDate) -> Result<NaiveDate, DateError> {
    let lower: String = s
        .trim()
        .chars()
        .filter(|c| !matches!(c, '\u{200B}' | '\u{FEFF}' | '\u{2060}'))
        .flat_map(char::to_lowercase)
        .collect();
    if lower.chars().all(|c| c.is_whitespace() || is_sep(c)) {
        return Err(DateError::Empty);
    }
    if is_masked(&lower) {
        return Err(DateError::Masked);
    }
    let mut tokens = tokenize(&lower).ok_or(DateError::Garbage)?;
    if matches!(tokens.first(), Some(Token::Sep(c)) if *c != ' ') {
        // "-30938", ".13.09.1984": a sign or a stray mark, not a date.
        return Err(DateError::Garbage);
    }
    strip_tails(&mut tokens);
    let float_sep = tokens
        .iter()
        .any(|t| matches!(t, Token::Sep('.') | Token::Sep(',')));
    let parts: Vec<&Token> = tokens
        .iter()
        .filter(|t| !matches!(t, Token::Sep(_)))
        .collect();
    match parts.as_slice() {
        [Token::Num(a), Token::Num(b), Token::Num(c)] => {
            if a.len() == 4 {
                let year: i32 = a.parse().map_err(|_| DateError::Garbage)?;
                if !(1..=2).contains(&c.len()) {
                    return Err(DateError::Garbage);
                }
                let day: u32 = c.parse().map_err(|_| DateError::Garbage)?;
                ymd(year, month_of(b)?, day)
            } else {
                dmy(a, month_of(b)?, c, today)
            }
        }
        [Token::Num(d), Token::Word(m), Token::Num(y)] => {
            let month = month_number(m).ok_or(DateError::Garbage)?;
            dmy(d, month, y, today)
        }
        [Token::Word(m), Token::Num(d), Token::Num(y)] => {
            let month = month_number(m).ok_or(DateError::Garbage)?;
            dmy(d, month, y, today)
        }
        [Token::Num(n)] => match n.len() {
            8 => {
                let (y, m, d) = (n.get(..4), n.get(4..6), n.get(6..));
                let iso = match (y, m, d) {
                    (Some(y), Some(m), Some(d)) => ymd(
                        y.parse().unwrap_or(0),
                        m.parse().unwrap_or(0),
                        d.parse().unwrap_or(0),
                    )
                    .ok()
                    .filter(|date| (1800..=2199).contains(&date.year())),
                    _ => None,
                };
                match iso {
                    Some(date) => Ok(date),
                    None => match (n.get(..2), n.get(2..4), n.get(4..)) {
                        (Some(d), Some(m), Some(y)) => dmy(d, month_of(m)?, y, today),
                        _ => Err(DateError::Garbage),
                    },
                }
            }
            6 => match (n.get(..2), n.get(2..4), n.get(4..)) {
                (Some(d), Some(m), Some(y)) => dmy(d, month_of(m)?, y, today),
                _ => Err(DateError::Garbage),
            },
            SERIAL_DIGITS => serial_text(n),
            _ => Err(DateError::Garbage),
        },
        [Token::Num(int), Token::Num(_fraction)] if int.len() == SERIAL_DIGITS && float_sep => {
            serial_text(int)
        }
        _ => Err(DateError::Garbage),
    }
}

fn serial_text(n: &str) -> Result<NaiveDate, DateError> {
    let value: f64 = n.parse().map_err(|_| DateError::Garbage)?;
    from_excel_serial(value).ok_or(DateError::Impossible)
}

/// Reads a date written in any common way: `13.09.1984`, `3.9.1984`, `3.9.84` (two-digit years
/// up to the current year's are this century), `1984-09-13`, `13/09/1984`, `13-09-1984`,
/// `13 сентября 1984` (also `13 сент. 1984 г.`), `13091984`, an Excel serial stored as text
/// (`30938`, `30938.0`), and a trailing time (`13.09.1984 0:00:00`) or `г.`.
pub fn parse(s: &str) -> Result<NaiveDate, DateError> {
    parse_with_today(s, Local::now().date_naive())
}

/// The date for an Excel serial number (1900 date system). The fractional part (time) is
/// ignored. Serial 60 is Excel's non-existent 29.02.1900 and gives `None`; serials after it
/// are shifted by one day. `None` for serials below 1, above 31.12.9999 or not finite.
pub fn from_excel_serial(f: f64) -> Option<NaiveDate> {
    if !f.is_finite() || !(1.0..MAX_SERIAL + 1.0).contains(&f) {
        return None;
    }
    let days = f.floor() as u64;
    let base = match days {
        60 => return None,
        0..=59 => NaiveDate::from_ymd_opt(1899, 12, 31)?,
        _ => NaiveDate::from_ymd_opt(1899, 12, 30)?,
    };
    base.checked_add_days(Days::new(days))
}

/// The Excel serial number (1900 date system) of a date: the inverse of
/// [`from_excel_serial`]. Dates before 01.01.1900, which Excel cannot show, give 0 or less.
pub fn to_excel_serial(d: NaiveDate) -> f64 {
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30).unwrap_or_default();
    let march_1900 = NaiveDate::from_ymd_opt(1900, 3, 1).unwrap_or_default();
    let days = (d - epoch).num_days();
    let serial = if d < march_1900 { days - 1 } else { days };
    serial as f64
}

/// The Russian written form `dd.mm.yyyy`, e.g. `13.09.1984`.
pub fn format_ru(d: NaiveDate) -> String {
    format!("{:02}.{:02}.{:04}", d.day(), d.month(), d.year())
}

/// Oldest plausible age, in years.
const MAX_AGE_YEARS: u32 = 110;

/// A Russian explanation when a birth date cannot be right: in the future, or more than
/// 110 years before `today`.
pub fn implausible_birth(d: NaiveDate, today: NaiveDate) -> Option<String> {
    if d > today {
        return Some(format!("Дата рождения в будущем: {}", format_ru(d)));
    }
    let oldest = today.checked_sub_months(Months::new(MAX_AGE_YEARS * 12))?;
    (d < oldest).then(|| {
        format!(
            "Дата рождения больше {MAX_AGE_YEARS} лет назад: {}",
            format_ru(d)
        )
    })
}

/// `true` when day and month are swapped between the two dates (same year, different dates):
/// 05.09.2010 / 09.05.2010.
pub fn day_month_swapped(a: NaiveDate, b: NaiveDate) -> bool {
    a != b && a.year() == b.year() && a.day() == b.month() && a.month() == b.day()
}

/// `true` when the dates have the same day and month and the years differ by one.
pub fn year_off_by_one(a: NaiveDate, b: NaiveDate) -> bool {
    a.day() == b.day() && a.month() == b.month() && (a.year() - b.year()).abs() == 1
}

/// `true` when the `dd.mm.yyyy` forms of the dates differ in exactly one digit
/// (13.09.1984 / 18.09.1984).
pub fn one_digit_off(a: NaiveDate, b: NaiveDate) -> bool {
    // The eight digits of dd.mm.yyyy, without writing the text (matching asks this of
    // thousands of candidates).
    let digits = |d: NaiveDate| -> Option<[u32; 8]> {
        let y = u32::try_from(d.year()).ok().filter(|y| *y <= 9999)?;
        let (dd, mm) = (d.day(), d.month());
        Some([
            dd / 10,
            dd % 10,
            mm / 10,
            mm % 10,
            y / 1000,
            y / 100 % 10,
            y / 10 % 10,
            y % 10,
        ])
    };
    match (digits(a), digits(b)) {
        (Some(x), Some(y)) => x.iter().zip(&y).filter(|(p, q)| p != q).count() == 1,
        _ => {
            let (a, b) = (format_ru(a), format_ru(b));
            a.len() == b.len() && a.bytes().zip(b.bytes()).filter(|(x, y)| x != y).count() == 1
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        match NaiveDate::from_ymd_opt(y, m, d) {
            Some(v) => v,
            None => panic!("bad test date {y}-{m}-{d}"),
        }
    }

    fn today() -> NaiveDate {
        date(2025, 10, 1)
    }

    #[test]
    fn parse_table() {
        let cases: &[(&str, NaiveDate)] = &[
            ("13.09.1984", date(1984, 9, 13)),
            ("  13.09.1984 ", date(1984, 9, 13)),
            ("3.9.1984", date(1984, 9, 3)),
            ("03.9.1984", date(1984, 9, 3)),
            ("3.9.84", date(1984, 9, 3)),
            ("17.05.10", date(2010, 5, 17)),
            ("01.01.25", date(2025, 1, 1)),
            ("01.01.26", date(1926, 1, 1)),
            ("1984-09-13", date(1984, 9, 13)),
            ("2010-5-7", date(2010, 5, 7)),
            ("13/09/1984", date(1984, 9, 13)),
            ("13-09-1984", date(1984, 9, 13)),
            ("13 09 1984", date(1984, 9, 13)),
            ("13. 09. 1984", date(1984, 9, 13)),
            ("13,09,1984", date(1984, 9, 13)),
            ("13 сентября 1984", date(1984, 9, 13)),
            ("13 Сентября 1984 г.", date(1984, 9, 13)),
            ("13 сентября 1984 года", date(1984, 9, 13)),
            ("1 мая 2012г.", date(2012, 5, 1)),
            ("29 февраля 2012", date(2012, 2, 29)),
            ("13 сент. 1984", date(1984, 9, 13)),
            ("13-сен-84", date(1984, 9, 13)),
            ("13 Sep 1984", date(1984, 9, 13)),
            ("13-Sept-1984", date(1984, 9, 13)),
            ("September 13, 1984", date(1984, 9, 13)),
            ("30938", date(1984, 9, 13)),
            ("30938.0", date(1984, 9, 13)),
            ("30938,0", date(1984, 9, 13)),
            ("42455", date(2016, 3, 26)),
            ("40315.5", date(2010, 5, 17)),
            ("13091984", date(1984, 9, 13)),
            ("19840913", date(1984, 9, 13)),
            ("20121984", date(1984, 12, 20)),
            ("130984", date(1984, 9, 13)),
            ("13.09.1984 0:00:00", date(1984, 9, 13)),
            ("13.09.1984 00:00", date(1984, 9, 13)),
            ("1984-09-13T00:00:00", date(1984, 9, 13)),
            ("1984-09-13 00:00:00.000", date(1984, 9, 13)),
            ("\u{feff}13.09.1984", date(1984, 9, 13)),
            ("13.09.1984\u{a0}", date(1984, 9, 13)),
            ("13.09.1984 гг.", date(1984, 9, 13)),
        ];
        for &(input, want) in cases {
            assert_eq!(parse_with_today(input, today()), Ok(want), "{input:?}");
        }
    }

    #[test]
    fn parse_errors() {
        let cases: &[(&str, DateError)] = &[
            ("", DateError::Empty),
            ("   ", DateError::Empty),
            ("-", DateError::Empty),
            ("__.__.____", DateError::Masked),
            ("**.**.1984", DateError::Masked),
            ("дд.мм.гггг", DateError::Masked),
            ("ДД.ММ.ГГГГ", DateError::Masked),
            ("xx.xx.xxxx", DateError::Masked),
            ("31.02.2010", DateError::Impossible),
            ("00.01.2000", DateError::Impossible),
            ("29.02.2011", DateError::Impossible),
            ("13.13.1984", DateError::Impossible),
            ("32.01.1984", DateError::Impossible),
            ("00.00.0000", DateError::Impossible),
            ("1984-02-30", DateError::Impossible),
            ("31 июня 2010", DateError::Impossible),
            ("31041984", DateError::Impossible),
            ("13.09", DateError::Garbage),
            ("1984", DateError::Garbage),
            ("09.1984", DateError::Garbage),
            ("13.09.198", DateError::Garbage),
            ("13.09.19841", DateError::Garbage),
            ("113.09.1984", DateError::Garbage),
            ("13.009.1984", DateError::Garbage),
            ("13 мартобря 1984", DateError::Garbage),
            ("вчера", DateError::Garbage),
            ("13.09.1984!", DateError::Garbage),
            ("😀", DateError::Garbage),
            ("1.2.3.4", DateError::Garbage),
            ("1234567", DateError::Garbage),
            ("-30938", DateError::Garbage),
        ];
        for &(input, want) in cases {
            assert_eq!(parse_with_today(input, today()), Err(want), "{input:?}");
        }
        assert_eq!(
            DateError::Impossible.to_string(),
            "Такой даты не бывает: проверьте день и месяц (например, 31 февраля или месяц 13)"
        );
        assert_eq!(DateError::Empty.to_string(), "Дата не указана");
    }

    #[test]
    fn two_digit_year_pivot_follows_today() {
        // (text, today's year, expected year)
        let cases: &[(&str, i32, i32)] = &[
            ("01.01.25", 2025, 2025),
            ("01.01.26", 2025, 1926),
            ("01.01.00", 2025, 2000),
            ("01.01.99", 2025, 1999),
            ("01.01.30", 2030, 2030),
            ("01.01.31", 2030, 1931),
        ];
        for &(input, year, want) in cases {
            let got = parse_with_today(input, date(year, 6, 1)).map(|d| d.year());
            assert_eq!(got, Ok(want), "{input} in {year}");
        }
        // The default entry point uses the clock; a four-digit year does not depend on it.
        assert_eq!(parse("13.09.1984"), Ok(date(1984, 9, 13)));
    }

    #[test]
    fn excel_serials() {
        // (serial, date) – both directions
        let cases: &[(f64, NaiveDate)] = &[
            (1.0, date(1900, 1, 1)),
            (59.0, date(1900, 2, 28)),
            (61.0, date(1900, 3, 1)),
            (10000.0, date(1927, 5, 18)),
            (25569.0, date(1970, 1, 1)),
            (30938.0, date(1984, 9, 13)),
            (36526.0, date(2000, 1, 1)),
            (40315.0, date(2010, 5, 17)),
            (42455.0, date(2016, 3, 26)),
            (45292.0, date(2024, 1, 1)),
            (2_958_465.0, date(9999, 12, 31)),
        ];
        for &(serial, d) in cases {
            assert_eq!(from_excel_serial(serial), Some(d), "{serial}");
            assert_eq!(to_excel_serial(d), serial, "{d}");
        }
        assert_eq!(from_excel_serial(30938.99), Some(date(1984, 9, 13)));
        for bad in [
            60.0,
            0.0,
            0.5,
            -1.0,
            2_958_466.0,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            1e300,
        ] {
            assert_eq!(from_excel_serial(bad), None, "{bad}");
        }
        assert_eq!(parse_with_today("60", today()), Err(DateError::Garbage));
        assert_eq!(to_excel_serial(date(1899, 12, 31)), 0.0);
    }

    #[test]
    fn formatting() {
        let cases: &[(NaiveDate, &str)] = &[
            (date(1984, 9, 13), "13.09.1984"),
            (date(2010, 1, 2), "02.01.2010"),
            (date(999, 12, 31), "31.12.0999"),
        ];
        for &(d, want) in cases {
            assert_eq!(format_ru(d), want);
        }
    }

    #[test]
    fn plausibility() {
        let cases: &[(NaiveDate, Option<&str>)] = &[
            (date(2015, 4, 1), None),
            (date(1984, 9, 13), None),
            (date(2025, 10, 1), None),
            (
                date(2025, 10, 2),
                Some("Дата рождения в будущем: 02.10.2025"),
            ),
            (
                date(2052, 1, 1),
                Some("Дата рождения в будущем: 01.01.2052"),
            ),
            (date(1915, 10, 1), None),
            (
                date(1915, 9, 30),
                Some("Дата рождения больше 110 лет назад: 30.09.1915"),
            ),
            (
                date(1084, 9, 13),
                Some("Дата рождения больше 110 лет назад: 13.09.1084"),
            ),
        ];
        for &(d, want) in cases {
            assert_eq!(implausible_birth(d, today()).as_deref(), want, "{d}");
        }
    }

    #[test]
    fn typo_classes() {
        // (a, b, day/month swapped, year off by one, one digit off)
        let cases: &[(NaiveDate, NaiveDate, bool, bool, bool)] = &[
            (date(2010, 9, 5), date(2010, 5, 9), true, false, false),
            (date(2010, 12, 1), date(2010, 1, 12), true, false, false),
            (date(2010, 5, 5), date(2010, 5, 5), false, false, false),
            (date(2010, 9, 5), date(2011, 5, 9), false, false, false),
            (date(2010, 9, 5), date(2011, 9, 5), false, true, true),
            (date(2010, 9, 5), date(2009, 9, 5), false, true, false),
            (date(2010, 9, 5), date(2012, 9, 5), false, false, true),
            (date(1984, 9, 13), date(1984, 9, 18), false, false, true),
            (date(1984, 9, 13), date(1985, 9, 14), false, false, false),
        ];
        for &(a, b, swapped, year, digit) in cases {
            assert_eq!(day_month_swapped(a, b), swapped, "{a} {b}");
            assert_eq!(day_month_swapped(b, a), swapped, "{b} {a}");
            assert_eq!(year_off_by_one(a, b), year, "{a} {b}");
            assert_eq!(one_digit_off(a, b), digit, "{a} {b}");
        }
    }

    /// One digit off, counted on the digits, is the same as on the written dates.
    #[test]
    fn one_digit_off_equals_the_text_comparison() {
        let by_text = |a: NaiveDate, b: NaiveDate| {
            let (a, b) = (format_ru(a), format_ru(b));
            a.len() == b.len() && a.bytes().zip(b.bytes()).filter(|(x, y)| x != y).count() == 1
        };
        let mut days = vec![date(-5, 1, 1), date(12_000, 3, 4), date(999, 12, 31)];
        // Consecutive days (many differ in one digit) and the same days ten years on.
        let mut d = date(1979, 12, 25);
        for _ in 0..200 {
            days.push(d);
            days.push(d + chrono::Duration::days(3653));
            d += chrono::Duration::days(1);
        }
        let ones = days
            .iter()
            .filter(|&&b| one_digit_off(date(1980, 1, 1), b))
            .count();
        assert!(ones > 5, "{ones}");
        for &a in &days {
            for &b in &days {
                assert_eq!(one_digit_off(a, b), by_text(a, b), "{a} {b}");
            }
        }
    }

    #[test]
    fn garbage_never_panics() {
        let huge = "1".repeat(100_000);
        let dots = "1.".repeat(10_000);
        for s in [
            huge.as_str(),
            dots.as_str(),
            "\u{0}",
            ":",
            "t:",
            "T00:00",
            "99999999999999999999.99999999999.9999999999",
            "0.0.0",
            "г.",
            "13 сентября",
            "сентября 1984",
            "İ.İ.İ",
            "1e5",
        ] {
            let _ = parse_with_today(s, today());
        }
        let extremes = [NaiveDate::MIN, NaiveDate::MAX];
        for d in extremes {
            let _ = implausible_birth(d, d);
            let _ = implausible_birth(d, today());
            let _ = to_excel_serial(d);
            for e in extremes {
                let _ = day_month_swapped(d, e);
                let _ = year_off_by_one(d, e);
                let _ = one_digit_off(d, e);
            }
        }
    }
}
