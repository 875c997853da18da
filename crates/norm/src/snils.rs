//! СНИЛС (insurance number of the individual personal account): parsing, check number,
//! output styles and near-match helpers.
//!
//! A СНИЛС has 11 digits: a 9-digit number and a 2-digit check number computed from it.
//! Values arrive from Excel cells in many shapes (dashed, bare digits, a number that lost its
//! leading zeros, a float), and from the ПОС web page in a masked form that must never be
//! mistaken for a real number.

use std::fmt;
use std::str::FromStr;

use thiserror::Error;

/// Numbers up to and including this one (001-001-998) carry no checkable check number.
const LAST_UNCHECKED: u32 = 1_001_998;

/// A syntactically valid СНИЛС: exactly 11 decimal digits.
///
/// A wrong check number does not prevent parsing; see [`Snils::check_ok`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Snils {
    digits: [u8; 11],
}

/// Why a value cannot be read as a СНИЛС.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SnilsError {
    /// Nothing but whitespace (or a dash meaning "none").
    #[error("СНИЛС не указан")]
    Empty,
    /// Digits hidden by `*`, `_`, `X` and the like, as on the ПОС web page.
    #[error(
        "СНИЛС скрыт звёздочками или подчёркиваниями: это не настоящий номер, нужен полный СНИЛС"
    )]
    Masked,
    /// The value has a number of digits other than 11 (the count is attached).
    #[error("В СНИЛС должно быть 11 цифр, а указано цифр: {0}")]
    WrongLength(usize),
    /// Letters or other characters that are neither digits nor separators.
    #[error("В СНИЛС допустимы только цифры, дефисы и пробелы")]
    NotDigits,
    /// All zeros or one digit repeated: a stub typed to fill a mandatory field.
    #[error("СНИЛС-заглушка из одинаковых цифр или нулей: это не настоящий номер")]
    Placeholder,
}

/// How a СНИЛС is written in a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SnilsStyle {
    /// `XXX-XXX-XXX YY`, e.g. `112-233-445 95`.
    Dashed,
    /// Eleven bare digits, e.g. `11223344595`.
    Digits,
}

/// The check number for the first nine digits of a СНИЛС.
///
/// Digits are weighted 9…1 and summed; a sum below 100 is the check number itself,
/// 100 and 101 give 0, a larger sum is taken modulo 101 (and a remainder of 100 gives 0).
pub fn check_number(first9: &[u8; 9]) -> u8 {
    let sum: u32 = first9
        .iter()
        .zip((1..=9u32).rev())
        .map(|(&d, w)| u32::from(d) * w)
        .sum();
    let check = match sum {
        0..=99 => sum,
        100 | 101 => 0,
        _ => match sum % 101 {
            100 => 0,
            r => r,
        },
    };
    // `check` is below 100 here.
    u8::try_from(check).unwrap_or(0)
}

impl Snils {
    /// Builds a СНИЛС from 11 digits; `None` if any element is not a decimal digit.
    pub fn from_digits(digits: [u8; 11]) -> Option<Snils> {
        digits.iter().all(|&d| d <= 9).then_some(Snils { digits })
    }

    /// The 11 digits, each 0–9.
    pub fn digits(&self) -> [u8; 11] {
        self.digits
    }

    /// The 11 digits as a string, e.g. `11223344595`.
    pub fn digits_string(&self) -> String {
        self.digits.iter().map(|&d| char::from(b'0' + d)).collect()
    }

    /// The canonical written form, e.g. `112-233-445 95`.
    pub fn formatted(&self) -> String {
        let s = self.digits_string();
        format!(
            "{}-{}-{} {}",
            s.get(0..3).unwrap_or_default(),
            s.get(3..6).unwrap_or_default(),
            s.get(6..9).unwrap_or_default(),
            s.get(9..11).unwrap_or_default()
        )
    }

    /// Writes the СНИЛС in the given style.
    pub fn format_as(&self, style: SnilsStyle) -> String {
        match style {
            SnilsStyle::Dashed => self.formatted(),
            SnilsStyle::Digits => self.digits_string(),
        }
    }

    /// The first nine digits (the number proper).
    fn first9(&self) -> [u8; 9] {
        let mut out = [0u8; 9];
        out.copy_from_slice(&self.digits[..9]);
        out
    }

    /// The 9-digit number as an integer (e.g. 112233445).
    pub fn number(&self) -> u32 {
        self.first9()
            .iter()
            .fold(0u32, |acc, &d| acc * 10 + u32::from(d))
    }

    /// The check number as written (last two digits).
    pub fn written_check(&self) -> u8 {
        self.digits[9] * 10 + self.digits[10]
    }

    /// The check number the first nine digits require, or `None` when the number is
    /// 001-001-998 or lower (such numbers carry no checkable check number).
    pub fn expected_check(&self) -> Option<u8> {
        (self.number() > LAST_UNCHECKED).then(|| check_number(&self.first9()))
    }

    /// `true` when the written check number is right (or the number is not checkable).
    pub fn check_ok(&self) -> bool {
        self.expected_check()
            .is_none_or(|expected| expected == self.written_check())
    }

    /// A Russian explanation of a wrong check number, `None` when the check number is right.
    pub fn check_problem(&self) -> Option<String> {
        let expected = self.expected_check()?;
        let written = self.written_check();
        (expected != written).then(|| {
            format!(
                "Контрольное число СНИЛС не сходится: должно быть {expected:02}, указано {written:02}"
            )
        })
    }

    /// The same number with the check number recomputed (for the officer to compare with a
    /// document, never to be written silently).
    pub fn with_correct_check(&self) -> Snils {
        match self.expected_check() {
            Some(check) => {
                let mut digits = self.digits;
                digits[9] = check / 10;
                digits[10] = check % 10;
                Snils { digits }
            }
            None => *self,
        }
    }
}

impl fmt::Display for Snils {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.formatted())
    }
}

impl FromStr for Snils {
    type Err = SnilsError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse(s)
    }
}

/// Characters that hide digits on web pages and in templates.
fn is_mask_char(c: char) -> bool {
    matches!(
        c,
        '*' | '_' | '•' | '●' | '∙' | '·' | '#' | '×' | 'X' | 'x' | 'Х' | 'х'
    )
}

/// Characters that may separate digit groups.
fn is_separator(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '-' | '‐' | '‑' | '‒' | '–' | '—' | '−' | '.' | ',' | '/' | ':' | '№' | '\'' | '"'
        )
        || c == '\u{200B}'
        || c == '\u{FEFF}'
}

/// Strips a leading "СНИЛС" label (any case) if present.
fn strip_label(s: &str) -> &str {
    let lower: String = s.chars().take(5).flat_map(char::to_lowercase).collect();
    if lower == "снилс" {
        // Five Cyrillic letters take 10 bytes in UTF-8.
        s.get(10..).unwrap_or(s)
    } else {
        s
    }
}

/// If `s` is a bare number as Excel writes a float (`9111196522.0`), returns its integer part.
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

/// Reads a СНИЛС written in any common way.
///
/// Accepts separators (`112-233-445 95`, `112 233 445 95`, `112-233-445-95`, bare digits),
/// an Excel float (`11223344595.0`) and a bare number that lost its leading zeros (9 or 10
/// digits without separators are left-padded with zeros). A wrong check number is not an
/// error: check [`Snils::check_ok`].
pub fn parse(s: &str) -> Result<Snils, SnilsError> {
    let trimmed = strip_label(s.trim()).trim();
    if trimmed.chars().all(is_separator) {
        return Err(SnilsError::Empty);
    }
    if trimmed.chars().any(is_mask_char) {
        let only_mask_digits_seps = trimmed
            .chars()
            .all(|c| c.is_ascii_digit() || is_mask_char(c) || is_separator(c));
        // "X" on its own among letters is just a letter, not a mask.
        let strong = trimmed
            .chars()
            .any(|c| is_mask_char(c) && !matches!(c, 'X' | 'x' | 'Х' | 'х'));
        if only_mask_digits_seps || strong {
            return Err(SnilsError::Masked);
        }
    }
    let body = strip_float_tail(trimmed);
    let bare = body.bytes().all(|b| b.is_ascii_digit());
    let mut digits: Vec<u8> = Vec::with_capacity(11);
    for c in body.chars() {
        if c.is_ascii_digit() {
            digits.push(c as u8 - b'0');
        } else if !is_separator(c) {
            return Err(SnilsError::NotDigits);
        }
    }
    let n = digits.len();
    let padded: [u8; 11] = match n {
        11 => {
            let mut out = [0u8; 11];
            out.copy_from_slice(&digits);
            out
        }
        9 | 10 if bare => {
            // Leading zeros lost (a number cell): padded back on the left.
            let mut out = [0u8; 11];
            for (slot, d) in out.iter_mut().skip(11 - n).zip(&digits) {
                *slot = *d;
            }
            out
        }
        _ => return Err(SnilsError::WrongLength(n)),
    };
    let all_same = padded.iter().all(|&d| d == padded[0]);
    let no_number = padded[..9].iter().all(|&d| d == 0);
    if all_same || no_number {
        return Err(SnilsError::Placeholder);
    }
    Ok(Snils { digits: padded })
}

/// Recognises the written style of a value: `Some` only for the exact shapes of
/// [`SnilsStyle`] (surrounding whitespace ignored).
pub fn style_of(s: &str) -> Option<SnilsStyle> {
    let t = s.trim();
    let shape: String = t
        .chars()
        .map(|c| if c.is_ascii_digit() { 'D' } else { c })
        .collect();
    match shape.as_str() {
        "DDD-DDD-DDD DD" => Some(SnilsStyle::Dashed),
        "DDDDDDDDDDD" => Some(SnilsStyle::Digits),
        _ => None,
    }
}

/// `true` when the two numbers differ in exactly one digit (a typo in one place).
pub fn one_digit_off(a: &Snils, b: &Snils) -> bool {
    a.digits
        .iter()
        .zip(b.digits.iter())
        .filter(|(x, y)| x != y)
        .count()
        == 1
}

/// `true` when the two numbers differ only by two neighbouring digits swapped.
pub fn adjacent_swap(a: &Snils, b: &Snils) -> bool {
    let diffs: Vec<usize> = (0..11)
        .filter(|&i| a.digits.get(i) != b.digits.get(i))
        .collect();
    match diffs.as_slice() {
        &[i, j] if j == i + 1 => {
            a.digits.get(i) == b.digits.get(j) && a.digits.get(j) == b.digits.get(i)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snils(s: &str) -> Snils {
        match parse(s) {
            Ok(v) => v,
            Err(e) => panic!("{s:?} must parse, got {e:?}"),
        }
    }

    #[test]
    fn check_number_table() {
        // (first nine digits, expected check number)
        let cases: &[(&str, u8)] = &[
            ("112233445", 95),
            ("091111965", 37),
            ("123456789", 64),
            ("987654321", 83),
            ("156789012", 11),
            ("001001999", 65),
            ("024356781", 48),
            ("500000000", 45),
            ("999999998", 0),  // 404 % 101 = 0
            ("050342208", 0),  // sum 100
            ("405001713", 0),  // sum 101
            ("142400079", 1),  // sum 102
            ("638343332", 0),  // sum 201 -> 201 % 101 = 100 -> 0
            ("887098759", 0),  // sum 302 -> 100 -> 0
            ("207883657", 0),  // sum 202 -> 0
            ("107202016", 86), // sum below 100
            ("145786223", 94),
        ];
        for &(first9, want) in cases {
            let mut d = [0u8; 9];
            for (slot, b) in d.iter_mut().zip(first9.bytes()) {
                *slot = b - b'0';
            }
            assert_eq!(check_number(&d), want, "check number of {first9}");
        }
    }

    #[test]
    fn parse_accepts_common_shapes() {
        // (input, digits, check_ok)
        let cases: &[(&str, &str, bool)] = &[
            ("112-233-445 95", "11223344595", true),
            ("11223344595", "11223344595", true),
            ("112 233 445 95", "11223344595", true),
            ("112-233-445-95", "11223344595", true),
            ("  112-233-445 95\t", "11223344595", true),
            ("112\u{a0}233\u{a0}445\u{a0}95", "11223344595", true),
            ("112–233–445 95", "11223344595", true),
            ("112.233.445.95", "11223344595", true),
            ("11223344595.0", "11223344595", true),
            ("СНИЛС 112-233-445 95", "11223344595", true),
            ("снилс: 112-233-445 95", "11223344595", true),
            ("9111196537", "09111196537", true),
            ("9111196522", "09111196522", false),
            ("9111196522.0", "09111196522", false),
            ("9111196522,00", "09111196522", false),
            ("024-356-781 48", "02435678148", true),
            ("112-233-445 96", "11223344596", false),
            ("123-456-789 64", "12345678964", true),
            ("123-456-789 46", "12345678946", false),
            ("001-001-998 00", "00100199800", true), // not checkable
            ("999-999-998 00", "99999999800", true),
        ];
        for &(input, want, ok) in cases {
            let v = snils(input);
            assert_eq!(v.digits_string(), want, "{input}");
            assert_eq!(v.check_ok(), ok, "check of {input}");
        }
    }

    #[test]
    fn parse_rejects() {
        let cases: &[(&str, SnilsError)] = &[
            ("", SnilsError::Empty),
            ("   ", SnilsError::Empty),
            ("\t\u{a0}", SnilsError::Empty),
            ("-", SnilsError::Empty),
            ("—", SnilsError::Empty),
            ("1____ 71", SnilsError::Masked),
            ("***-***-*** 71", SnilsError::Masked),
            ("___-___-___ __", SnilsError::Masked),
            ("112-***-*** 95", SnilsError::Masked),
            ("XXX-XXX-XXX XX", SnilsError::Masked),
            ("ххх-ххх-ххх хх", SnilsError::Masked),
            ("•••-•••-••• 95", SnilsError::Masked),
            ("112-233-445", SnilsError::WrongLength(9)),
            ("112-233-445 9", SnilsError::WrongLength(10)),
            ("112-233-445 955", SnilsError::WrongLength(12)),
            ("24356781 48", SnilsError::WrongLength(10)), // separators: no zero padding
            ("12345678", SnilsError::WrongLength(8)),
            ("112233445950", SnilsError::WrongLength(12)),
            ("нет", SnilsError::NotDigits),
            ("112-233-445 9б", SnilsError::NotDigits),
            ("abc", SnilsError::NotDigits),
            ("112-233-445 95 😀", SnilsError::NotDigits),
            ("１１２-２３３-４４５ ９５", SnilsError::NotDigits),
            ("000-000-000 00", SnilsError::Placeholder),
            ("111-111-111 11", SnilsError::Placeholder),
            ("99999999999", SnilsError::Placeholder),
            ("000-000-000 15", SnilsError::Placeholder),
            ("0", SnilsError::WrongLength(1)),
            ("000000000", SnilsError::Placeholder),
        ];
        for (input, want) in cases {
            assert_eq!(parse(input).as_ref(), Err(want), "{input:?}");
        }
    }

    #[test]
    fn messages_are_russian_sentences() {
        let cases: &[(SnilsError, &str)] = &[
            (SnilsError::Empty, "СНИЛС не указан"),
            (
                SnilsError::WrongLength(9),
                "В СНИЛС должно быть 11 цифр, а указано цифр: 9",
            ),
            (
                SnilsError::NotDigits,
                "В СНИЛС допустимы только цифры, дефисы и пробелы",
            ),
        ];
        for (e, want) in cases {
            assert_eq!(e.to_string(), *want);
        }
        assert_eq!(
            snils("112-233-445 96").check_problem().as_deref(),
            Some("Контрольное число СНИЛС не сходится: должно быть 95, указано 96")
        );
        assert_eq!(
            snils("999-999-998 01").check_problem().as_deref(),
            Some("Контрольное число СНИЛС не сходится: должно быть 00, указано 01")
        );
        assert_eq!(snils("112-233-445 95").check_problem(), None);
        assert_eq!(snils("001-001-998 17").check_problem(), None);
    }

    #[test]
    fn expected_check_and_formatting() {
        // (input, expected check, formatted)
        let cases: &[(&str, Option<u8>, &str)] = &[
            ("11223344595", Some(95), "112-233-445 95"),
            ("112-233-445 00", Some(95), "112-233-445 00"),
            ("00100199812", None, "001-001-998 12"),
            ("00100199965", Some(65), "001-001-999 65"),
            ("000 000 001 00", None, "000-000-001 00"),
            ("9111196537", Some(37), "091-111-965 37"),
        ];
        for &(input, check, formatted) in cases {
            let v = snils(input);
            assert_eq!(v.expected_check(), check, "{input}");
            assert_eq!(v.formatted(), formatted, "{input}");
            assert_eq!(v.to_string(), formatted, "{input}");
            assert_eq!(v.format_as(SnilsStyle::Dashed), formatted);
            assert_eq!(
                v.format_as(SnilsStyle::Digits),
                formatted.replace(['-', ' '], "")
            );
        }
        assert_eq!(
            snils("112-233-445 00").with_correct_check().formatted(),
            "112-233-445 95"
        );
        assert_eq!(snils("112-233-445 95").number(), 112_233_445);
        assert_eq!(snils("112-233-445 95").written_check(), 95);
        assert_eq!(
            Snils::from_digits([1; 11]).map(|s| s.digits()),
            Some([1; 11])
        );
        assert_eq!(Snils::from_digits([10; 11]), None);
        assert_eq!("112-233-445 95".parse::<Snils>(), Ok(snils("11223344595")));
    }

    #[test]
    fn style_detection() {
        let cases: &[(&str, Option<SnilsStyle>)] = &[
            ("112-233-445 95", Some(SnilsStyle::Dashed)),
            (" 112-233-445 95 ", Some(SnilsStyle::Dashed)),
            ("11223344595", Some(SnilsStyle::Digits)),
            ("112-233-445-95", None),
            ("112 233 445 95", None),
            ("1122334459", None),
            ("11223344595.0", None),
            ("***-***-*** 95", None),
            ("", None),
        ];
        for &(input, want) in cases {
            assert_eq!(style_of(input), want, "{input:?}");
        }
    }

    #[test]
    fn near_matches() {
        // (a, b, one digit off, adjacent swap)
        let cases: &[(&str, &str, bool, bool)] = &[
            ("112-233-445 95", "112-233-445 96", true, false),
            ("112-233-445 95", "112-233-445 59", false, true),
            ("112-233-445 95", "121-233-445 95", false, true),
            ("112-233-445 95", "112-234-345 95", false, true),
            ("112-233-445 95", "112-233-445 95", false, false),
            ("112-233-445 95", "112-233-454 95", false, true),
            ("112-233-445 95", "211-233-445 95", false, false),
            ("112-233-445 95", "112-233-445 00", false, false),
            ("112-233-445 95", "912-233-445 95", true, false),
            ("112-233-445 95", "113-233-445 96", false, false),
        ];
        for &(a, b, one, swap) in cases {
            let (a, b) = (snils(a), snils(b));
            assert_eq!(one_digit_off(&a, &b), one, "{a} vs {b}");
            assert_eq!(one_digit_off(&b, &a), one, "{b} vs {a}");
            assert_eq!(adjacent_swap(&a, &b), swap, "{a} vs {b}");
            assert_eq!(adjacent_swap(&b, &a), swap, "{b} vs {a}");
        }
    }

    #[test]
    fn garbage_never_panics() {
        let long = "9".repeat(100_000);
        let inputs = [
            "\u{0}",
            "\u{feff}112-233-445 95",
            "🦀🦀🦀",
            "٣٤٥",
            long.as_str(),
            "снилс",
            "СНИЛ",
            "С",
            ".0",
            "0.",
            "1.0.0",
        ];
        for s in inputs {
            let _ = parse(s);
            let _ = style_of(s);
        }
        assert_eq!(parse(&long), Err(SnilsError::WrongLength(100_000)));
        // Ten bare digits are a number that lost its leading zero, not a wrong length.
        assert_eq!(
            parse("2435678148").map(|s| s.digits_string()),
            Ok("02435678148".to_owned())
        );
        assert_eq!(
            parse("\u{feff}112-233-445 95").map(|s| s.digits_string()),
            Ok("11223344595".to_owned())
        );
    }
}
