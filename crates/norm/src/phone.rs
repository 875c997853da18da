//! Russian phone numbers: every common written shape → the 10-digit national number, and back
//! into the dominant style of a column.

use std::fmt;
use std::str::FromStr;

use thiserror::Error;

/// A Russian phone number reduced to its 10-digit national significant number
/// (e.g. `9546321465` for `+7 954 632 14 65`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Phone {
    national: String,
}

/// Why a value cannot be read as a Russian phone number.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PhoneError {
    /// Nothing written (or a dash, «нет»).
    #[error("Телефон не указан")]
    Empty,
    /// Digits hidden by asterisks and the like, as on the ПОС web page.
    #[error("Номер телефона скрыт звёздочками: это не настоящий номер, нужен полный номер")]
    Masked,
    /// Fewer than 10 digits after the country code (the digit count is attached).
    #[error(
        "В номере телефона слишком мало цифр ({0}): нужен номер из 10 цифр с кодом оператора или города, например +7 954 632 14 65"
    )]
    TooShort(usize),
    /// More digits than a Russian number has (the digit count is attached).
    #[error("В номере телефона слишком много цифр ({0}): в российском номере 10 цифр после +7")]
    TooLong(usize),
    /// A foreign number (the country prefix as written, e.g. `+375`).
    #[error("Номер не российский (начинается с {0}): нужен российский номер")]
    NotRussian(String),
    /// A national number starting with a code not used in Russia (0, 1, 2, 5, 6, 89).
    #[error("Код «{0}» не используется в российских номерах телефонов")]
    UnknownCode(String),
    /// Not a phone number at all.
    #[error("Это не похоже на номер телефона")]
    Garbage,
}

/// How phone numbers are written in a column; corrected values are written in the same style.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PhoneStyle {
    /// `+7 954 632 14 65`
    Plus7Spaced,
    /// `+7 954 632-14-65`
    Plus7SpacedDashed,
    /// `8 (923) 789-91-43`
    EightParen,
    /// `79809679290`
    Digits7,
    /// `89832661663`
    Digits8,
    /// `+7(966)056-09-51`
    Plus7Paren,
    /// `+7 (966) 056-09-51`
    Plus7ParenSpaced,
    /// `+79660560951`
    Plus7Digits,
    /// `+7-923-789-91-43`
    Plus7Dashed,
    /// `9541234567`
    Digits10,
    /// `8-923-789-91-43`
    EightDashed,
    /// `8 923 789 91 43`
    EightSpaced,
}

impl PhoneStyle {
    /// Every style, in the order [`style_of`] tries them.
    pub const ALL: [PhoneStyle; 12] = [
        PhoneStyle::Plus7Spaced,
        PhoneStyle::Plus7SpacedDashed,
        PhoneStyle::EightParen,
        PhoneStyle::Digits7,
        PhoneStyle::Digits8,
        PhoneStyle::Plus7Paren,
        PhoneStyle::Plus7ParenSpaced,
        PhoneStyle::Plus7Digits,
        PhoneStyle::Plus7Dashed,
        PhoneStyle::Digits10,
        PhoneStyle::EightDashed,
        PhoneStyle::EightSpaced,
    ];

    /// The shape of the style: `N` stands for a digit of the national number.
    fn template(self) -> &'static str {
        match self {
            PhoneStyle::Plus7Spaced => "+7 NNN NNN NN NN",
            PhoneStyle::Plus7SpacedDashed => "+7 NNN NNN-NN-NN",
            PhoneStyle::EightParen => "8 (NNN) NNN-NN-NN",
            PhoneStyle::Digits7 => "7NNNNNNNNNN",
            PhoneStyle::Digits8 => "8NNNNNNNNNN",
            PhoneStyle::Plus7Paren => "+7(NNN)NNN-NN-NN",
            PhoneStyle::Plus7ParenSpaced => "+7 (NNN) NNN-NN-NN",
            PhoneStyle::Plus7Digits => "+7NNNNNNNNNN",
            PhoneStyle::Plus7Dashed => "+7-NNN-NNN-NN-NN",
            PhoneStyle::Digits10 => "NNNNNNNNNN",
            PhoneStyle::EightDashed => "8-NNN-NNN-NN-NN",
            PhoneStyle::EightSpaced => "8 NNN NNN NN NN",
        }
    }
}

impl Phone {
    /// Builds a phone from a 10-digit national number; `None` unless it is exactly 10 ASCII
    /// digits starting with a Russian code (3, 4, 8 or 9, but not 89).
    pub fn from_national(national: &str) -> Option<Phone> {
        let ok = national.len() == 10
            && national.bytes().all(|b| b.is_ascii_digit())
            && is_russian_code(national);
        ok.then(|| Phone {
            national: national.to_owned(),
        })
    }

    /// The 10-digit national number, e.g. `9546321465`.
    pub fn national(&self) -> &str {
        &self.national
    }

    /// `true` for a mobile number (national number starts with 9).
    pub fn is_mobile(&self) -> bool {
        self.national.starts_with('9')
    }

    /// The international form without spaces, e.g. `+79546321465`.
    pub fn e164(&self) -> String {
        format!("+7{}", self.national)
    }

    /// Writes the number in the given style.
    pub fn format_as(&self, style: PhoneStyle) -> String {
        let mut digits = self.national.chars();
        style
            .template()
            .chars()
            .map(|c| match c {
                'N' => digits.next().unwrap_or('0'),
                other => other,
            })
            .collect()
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.format_as(PhoneStyle::Plus7ParenSpaced))
    }
}

impl FromStr for Phone {
    type Err = PhoneError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse(s)
    }
}

/// Characters that hide digits anywhere in the value.
fn is_strong_mask(c: char) -> bool {
    matches!(c, '*' | '•' | '●' | '∙' | '_' | '×')
}

/// Characters that may appear between the digits of a number.
fn is_separator(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '-' | '‐'
                | '‑'
                | '‒'
                | '–'
                | '—'
                | '−'
                | '('
                | ')'
                | '.'
                | '/'
                | '\u{200B}'
                | '\u{FEFF}'
        )
}

/// Words marking an extension; everything from them on is ignored.
const EXTENSION_MARKERS: [&str; 5] = ["доб", "вн.", "внутр", "ext", "#"];

/// Words that mean "no phone".
const NONE_WORDS: [&str; 5] = [
    "нет",
    "отсутствует",
    "не указан",
    "нет телефона",
    "не имеет",
];

/// Foreign country codes (without `+`) of former USSR countries, with the full length of the
/// number including the code, recognised even when the `+` is missing.
const FOREIGN_BARE: [(&str, usize); 10] = [
    ("375", 12),
    ("380", 12),
    ("998", 12),
    ("992", 12),
    ("996", 12),
    ("994", 12),
    ("995", 12),
    ("374", 11),
    ("373", 11),
    ("993", 11),
];

/// Two-digit country codes, to report a foreign prefix as written.
const TWO_DIGIT_CODES: [&str; 44] = [
    "20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44", "45", "46", "47",
    "48", "49", "51", "52", "53", "54", "55", "56", "57", "58", "60", "61", "62", "63", "64", "65",
    "66", "81", "82", "84", "86", "90", "91", "92", "93", "94", "95", "98",
];

/// The country prefix (with `+`) that the international digits start with.
fn country_prefix(digits: &str) -> String {
    let code = if digits.starts_with('1') {
        "1"
    } else if let Some(two) = digits.get(..2).filter(|t| TWO_DIGIT_CODES.contains(t)) {
        two
    } else {
        digits.get(..3).unwrap_or(digits)
    };
    format!("+{code}")
}

/// Reads a Russian phone number written in any common way.
///
/// Accepts `+7 954 632 14 65`, `8 (923) 789-91-43`, `79809679290`, `89832661663`,
/// `+7(966)056-09-51`, `9541234567`, `8-800-555-35-35`, `+7 (4152) 41-20-33`, a leading label
/// (`тел. 8 923 789 91 43`), trailing remarks, an Excel float (`79809679290.0`), and ignores an
/// extension (`доб. 123`). The mistaken `+8 923 …` is read as a Russian number.
pub fn parse(s: &str) -> Result<Phone, PhoneError> {
    let t = s.trim();
    // ASCII without capitals is its own lower case (the usual digits and separators).
    let lower: std::borrow::Cow<str> = if t.bytes().all(|b| b.is_ascii() && !b.is_ascii_uppercase())
    {
        std::borrow::Cow::Borrowed(t)
    } else {
        std::borrow::Cow::Owned(t.to_lowercase())
    };
    // Drop an extension.
    let cut = EXTENSION_MARKERS
        .iter()
        .filter_map(|m| lower.find(m))
        .min()
        .unwrap_or(lower.len());
    let main = lower.get(..cut).unwrap_or(&lower).trim();

    if main.chars().any(is_strong_mask) {
        return Err(PhoneError::Masked);
    }
    let Some(start) = main.find(|c: char| c.is_ascii_digit() || c == '+') else {
        let words = main.trim_matches(|c: char| c.is_ascii_punctuation() || c.is_whitespace());
        return if words
            .chars()
            .all(|c| is_separator(c) || c.is_ascii_punctuation())
            || NONE_WORDS.contains(&words)
        {
            Err(PhoneError::Empty)
        } else {
            Err(PhoneError::Garbage)
        };
    };
    let end = main
        .rfind(|c: char| c.is_ascii_digit() || matches!(c, 'x' | 'х'))
        .map_or(main.len(), |i| i + 1);
    let body = main.get(start..end.max(start)).unwrap_or_default();
    let body = strip_float_tail(body);

    let (has_plus, rest) = match body.strip_prefix('+') {
        Some(r) => (true, r.trim_start()),
        None => (false, body),
    };
    let mut digits = String::with_capacity(rest.len().min(32));
    for c in rest.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
        } else if matches!(c, 'x' | 'х') {
            return Err(PhoneError::Masked);
        } else if !is_separator(c) {
            return Err(PhoneError::Garbage);
        }
    }
    if digits.is_empty() {
        return Err(PhoneError::Garbage);
    }
    let len = digits.len();
    let national: &str = if has_plus {
        match digits.as_bytes().first() {
            Some(b'7') => digits.get(1..).unwrap_or_default(),
            Some(b'8') if len == 11 => digits.get(1..).unwrap_or_default(),
            _ => return Err(PhoneError::NotRussian(country_prefix(&digits))),
        }
    } else if let Some(&(code, _)) = FOREIGN_BARE
        .iter()
        .find(|(code, full)| digits.starts_with(code) && len == *full)
    {
        return Err(PhoneError::NotRussian(format!("+{code}")));
    } else if digits.starts_with("810") && len > 11 {
        // International call from Russia: 8 10 <country> …
        return Err(PhoneError::NotRussian(country_prefix(
            digits.get(3..).unwrap_or_default(),
        )));
    } else {
        match len {
            // "8 923 789 91 4": a mobile number that lost its last digit. No Russian code
            // starts with 79 or 89, so the leading 7/8 is the trunk prefix.
            10 if digits.starts_with("89") || digits.starts_with("79") => {
                return Err(PhoneError::TooShort(9));
            }
            10 => &digits,
            11 if matches!(digits.as_bytes().first(), Some(b'7' | b'8')) => {
                digits.get(1..).unwrap_or_default()
            }
            0..=9 => return Err(PhoneError::TooShort(len)),
            _ => return Err(PhoneError::TooLong(len)),
        }
    };
    match national.len() {
        10 => {}
        n if n < 10 => return Err(PhoneError::TooShort(n)),
        n => return Err(PhoneError::TooLong(n)),
    }
    if is_russian_code(national) {
        return Ok(Phone {
            national: national.to_owned(),
        });
    }
    match national.as_bytes().first() {
        Some(b'7') => Err(PhoneError::NotRussian(format!(
            "+7 {}",
            national.get(..3).unwrap_or_default()
        ))),
        _ => Err(PhoneError::UnknownCode(
            national.get(..3).unwrap_or_default().to_owned(),
        )),
    }
}

/// Does a national number start with a code used in Russia? Area and mobile codes start
/// with 3, 4, 8 or 9, but none with 89 (so `89…` is a trunk 8 before a shortened number).
fn is_russian_code(national: &str) -> bool {
    matches!(national.as_bytes().first(), Some(b'3' | b'4' | b'8' | b'9'))
        && !national.starts_with("89")
}

/// If `s` is a bare number as Excel writes a float (`79809679290.0`), returns its integer part.
fn strip_float_tail(s: &str) -> &str {
    if let Some((int, frac)) = s.split_once(['.', ',']) {
        let int_ok = !int.is_empty() && int.bytes().all(|b| b.is_ascii_digit());
        let frac_ok = !frac.is_empty() && frac.bytes().all(|b| b == b'0');
        if int_ok && frac_ok {
            return int;
        }
    }
    s
}

/// Recognises the exact written style of a value (surrounding whitespace ignored); `None` for
/// shapes not in [`PhoneStyle`] (landlines grouped by a 4- or 5-digit area code, remarks…).
pub fn style_of(s: &str) -> Option<PhoneStyle> {
    let t = s.trim();
    PhoneStyle::ALL.into_iter().find(|style| {
        let template = style.template();
        t.len() == template.len()
            && t.bytes().zip(template.bytes()).all(|(c, p)| match p {
                b'N' => c.is_ascii_digit(),
                lit => c == lit,
            })
    })
}

/// `true` when the two numbers differ in exactly one digit.
pub fn one_digit_off(a: &Phone, b: &Phone) -> bool {
    a.national
        .bytes()
        .zip(b.national.bytes())
        .filter(|(x, y)| x != y)
        .count()
        == 1
}

/// `true` when the two numbers differ only by two neighbouring digits swapped.
pub fn adjacent_swap(a: &Phone, b: &Phone) -> bool {
    let (a, b) = (a.national.as_bytes(), b.national.as_bytes());
    let diffs: Vec<usize> = (0..a.len().min(b.len()))
        .filter(|&i| a.get(i) != b.get(i))
        .collect();
    match diffs.as_slice() {
        &[i, j] if j == i + 1 => a.get(i) == b.get(j) && a.get(j) == b.get(i),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_common_shapes() {
        // (input, national number)
        let cases: &[(&str, &str)] = &[
            ("+7 954 632 14 65", "9546321465"),
            ("8 (923) 789-91-43", "9237899143"),
            ("79809679290", "9809679290"),
            ("89832661663", "9832661663"),
            ("+7(966)056-09-51", "9660560951"),
            ("9541234567", "9541234567"),
            ("8-800-555-35-35", "8005553535"),
            ("+7 (4152) 41-20-33", "4152412033"),
            ("7 954 632-14-65", "9546321465"),
            ("тел. 8 923 789 91 43", "9237899143"),
            ("Тел.: +7 923 789 91 43", "9237899143"),
            ("моб. 89237899143", "9237899143"),
            ("79809679290.0", "9809679290"),
            ("89832661663,0", "9832661663"),
            ("+7 (495) 123-45-67 доб. 123", "4951234567"),
            ("8 (495) 123-45-67, доб 45", "4951234567"),
            ("+7 495 123 45 67 ext. 9", "4951234567"),
            ("+7 495 123 45 67 #12", "4951234567"),
            ("  +7\u{a0}954\u{a0}632\u{a0}14\u{a0}65  ", "9546321465"),
            ("+7–954–632–14–65", "9546321465"),
            ("+ 7 954 632 14 65", "9546321465"),
            ("+79546321465", "9546321465"),
            ("+8 (923) 789-91-43", "9237899143"),
            ("8(3452)12-34-56", "3452123456"),
            ("8 923 789 91 43 (мама)", "9237899143"),
            ("(923) 789-91-43", "9237899143"),
            ("8.923.789.91.43", "9237899143"),
            ("\u{feff}89237899143", "9237899143"),
        ];
        for &(input, want) in cases {
            match parse(input) {
                Ok(p) => assert_eq!(p.national(), want, "{input:?}"),
                Err(e) => panic!("{input:?} must parse, got {e:?}"),
            }
        }
    }

    #[test]
    fn parse_errors() {
        let cases: &[(&str, PhoneError)] = &[
            ("", PhoneError::Empty),
            ("   ", PhoneError::Empty),
            ("-", PhoneError::Empty),
            ("нет", PhoneError::Empty),
            ("Отсутствует", PhoneError::Empty),
            ("+7 (***) ***-**-65", PhoneError::Masked),
            ("8 (9**) ***-**-43", PhoneError::Masked),
            ("+7 (9xx) xxx-xx-65", PhoneError::Masked),
            ("+7 (9хх) ххх-хх-65", PhoneError::Masked),
            ("+7 ••• ••• •• 65", PhoneError::Masked),
            ("41-20-33", PhoneError::TooShort(6)),
            ("412033", PhoneError::TooShort(6)),
            ("8 923 789 91 4", PhoneError::TooShort(9)),
            ("7923789914", PhoneError::TooShort(9)),
            ("+7 954 632 14 6", PhoneError::TooShort(9)),
            ("+7", PhoneError::TooShort(0)),
            ("895412345678", PhoneError::TooLong(12)),
            ("+7 954 632 14 655", PhoneError::TooLong(11)),
            ("95412345678", PhoneError::TooLong(11)),
            ("89237899143, 89237899144", PhoneError::Garbage),
            (
                "+375 29 123-45-67",
                PhoneError::NotRussian("+375".to_owned()),
            ),
            (
                "+380 50 123 4567",
                PhoneError::NotRussian("+380".to_owned()),
            ),
            ("+49 30 1234567", PhoneError::NotRussian("+49".to_owned())),
            ("+1 212 555 0123", PhoneError::NotRussian("+1".to_owned())),
            ("375291234567", PhoneError::NotRussian("+375".to_owned())),
            ("998901234567", PhoneError::NotRussian("+998".to_owned())),
            ("81037529123456", PhoneError::NotRussian("+375".to_owned())),
            (
                "+7 701 123 45 67",
                PhoneError::NotRussian("+7 701".to_owned()),
            ),
            ("1234567890", PhoneError::UnknownCode("123".to_owned())),
            (
                "8 (012) 345-67-89",
                PhoneError::UnknownCode("012".to_owned()),
            ),
            (
                "+7 (897) 008-98-67",
                PhoneError::UnknownCode("897".to_owned()),
            ),
            ("88970089867", PhoneError::UnknownCode("897".to_owned())),
            ("абвгд", PhoneError::Garbage),
            ("8 923 абв 91 43", PhoneError::Garbage),
            ("😀", PhoneError::Garbage),
            ("+", PhoneError::Garbage),
            ("+7 954 632 14 65 + 7", PhoneError::Garbage),
        ];
        for (input, want) in cases {
            assert_eq!(parse(input).as_ref(), Err(want), "{input:?}");
        }
    }

    #[test]
    fn error_messages() {
        let cases: &[(PhoneError, &str)] = &[
            (PhoneError::Empty, "Телефон не указан"),
            (
                PhoneError::NotRussian("+375".to_owned()),
                "Номер не российский (начинается с +375): нужен российский номер",
            ),
            (
                PhoneError::TooLong(12),
                "В номере телефона слишком много цифр (12): в российском номере 10 цифр после +7",
            ),
            (
                PhoneError::UnknownCode("123".to_owned()),
                "Код «123» не используется в российских номерах телефонов",
            ),
        ];
        for (e, want) in cases {
            assert_eq!(e.to_string(), *want);
        }
        assert!(
            PhoneError::TooShort(6)
                .to_string()
                .starts_with("В номере телефона слишком мало цифр (6): нужен номер из 10 цифр")
        );
    }

    #[test]
    fn styles_round_trip() {
        // (written value, detected style)
        let cases: &[(&str, PhoneStyle)] = &[
            ("+7 954 632 14 65", PhoneStyle::Plus7Spaced),
            ("+7 954 632-14-65", PhoneStyle::Plus7SpacedDashed),
            ("8 (923) 789-91-43", PhoneStyle::EightParen),
            ("79809679290", PhoneStyle::Digits7),
            ("89832661663", PhoneStyle::Digits8),
            ("+7(966)056-09-51", PhoneStyle::Plus7Paren),
            ("+7 (966) 056-09-51", PhoneStyle::Plus7ParenSpaced),
            ("+79660560951", PhoneStyle::Plus7Digits),
            ("+7-923-789-91-43", PhoneStyle::Plus7Dashed),
            ("9541234567", PhoneStyle::Digits10),
            ("8-923-789-91-43", PhoneStyle::EightDashed),
            ("8 923 789 91 43", PhoneStyle::EightSpaced),
        ];
        for &(input, style) in cases {
            assert_eq!(style_of(input), Some(style), "{input:?}");
            let phone = parse(input).map_err(|e| format!("{input}: {e}"));
            assert_eq!(phone.map(|p| p.format_as(style)).as_deref(), Ok(input));
        }
        for input in [
            "+7 (4152) 41-20-33",
            "7 954 632-14-65",
            "тел. 8 923 789 91 43",
            "",
            "+7 954 632 14 6",
            "+7 954 632 14 6Ж",
        ] {
            assert_eq!(style_of(input), None, "{input:?}");
        }
    }

    #[test]
    fn formatting_a_number_in_every_style() {
        let p = Phone::from_national("9237899143");
        let p = p.as_ref();
        let cases: &[(PhoneStyle, &str)] = &[
            (PhoneStyle::Plus7Spaced, "+7 923 789 91 43"),
            (PhoneStyle::EightParen, "8 (923) 789-91-43"),
            (PhoneStyle::Digits7, "79237899143"),
            (PhoneStyle::Digits8, "89237899143"),
            (PhoneStyle::Plus7Paren, "+7(923)789-91-43"),
            (PhoneStyle::Digits10, "9237899143"),
        ];
        for &(style, want) in cases {
            assert_eq!(p.map(|p| p.format_as(style)).as_deref(), Some(want));
        }
        assert_eq!(
            p.map(|p| p.to_string()).as_deref(),
            Some("+7 (923) 789-91-43")
        );
        assert_eq!(p.map(|p| p.e164()).as_deref(), Some("+79237899143"));
        assert_eq!(p.map(|p| p.is_mobile()), Some(true));
        assert_eq!(
            Phone::from_national("4152412033").map(|p| p.is_mobile()),
            Some(false)
        );
        assert_eq!(Phone::from_national("923789914"), None);
        assert_eq!(Phone::from_national("1237899143"), None);
        assert_eq!(Phone::from_national("92378991४३"), None);
    }

    #[test]
    fn near_matches() {
        // (a, b, one digit off, adjacent swap)
        let cases: &[(&str, &str, bool, bool)] = &[
            ("9237899143", "9237899144", true, false),
            ("9237899143", "9237899134", false, true),
            ("9237899143", "9327899143", false, true),
            ("9237899143", "9237899143", false, false),
            ("9237899143", "9237891943", false, true),
            ("9237899143", "9237899341", false, false),
            ("9237899143", "9237899314", false, false),
        ];
        for &(a, b, one, swap) in cases {
            let (Some(a), Some(b)) = (Phone::from_national(a), Phone::from_national(b)) else {
                panic!("bad test row {a} {b}");
            };
            assert_eq!(one_digit_off(&a, &b), one, "{a} {b}");
            assert_eq!(adjacent_swap(&a, &b), swap, "{a} {b}");
        }
    }

    #[test]
    fn garbage_never_panics() {
        let huge = "8".repeat(50_000);
        for s in [
            "\u{0}",
            "доб",
            "#",
            "+++",
            "((()))",
            "ё",
            "İİİ 8923",
            huge.as_str(),
            "+7 ́954",
            "8\u{301}923",
        ] {
            let _ = parse(s);
            let _ = style_of(s);
        }
        assert_eq!(parse(&huge), Err(PhoneError::TooLong(50_000)));
    }
}
