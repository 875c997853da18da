//! Sex (пол): reading the ways it is written, guessing it from a patronymic, and writing it in
//! a column's style.

use std::fmt;

use thiserror::Error;

use super::fio;

/// A person's sex as Госуслуги and СГО record it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Sex {
    /// Мужской.
    Male,
    /// Женский.
    Female,
}

/// Why a value cannot be read as a sex.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum SexError {
    /// Nothing written.
    #[error("Пол не указан")]
    Empty,
    /// Something other than the known spellings.
    #[error("Не удалось понять пол: ожидается «М» или «Ж»")]
    Unknown,
}

/// How the sex is written in a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SexStyle {
    /// One letter: `М` / `Ж`.
    Letter,
    /// A word: `Мужской` / `Женский`.
    Word,
}

impl Sex {
    /// The one-letter form: `М` or `Ж` (Cyrillic).
    pub fn letter(self) -> &'static str {
        match self {
            Sex::Male => "М",
            Sex::Female => "Ж",
        }
    }

    /// The word form: `Мужской` or `Женский`.
    pub fn word(self) -> &'static str {
        match self {
            Sex::Male => "Мужской",
            Sex::Female => "Женский",
        }
    }

    /// Writes the sex in the given style.
    pub fn format_as(self, style: SexStyle) -> &'static str {
        match style {
            SexStyle::Letter => self.letter(),
            SexStyle::Word => self.word(),
        }
    }
}

impl fmt::Display for Sex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.letter())
    }
}

const MALE_WORDS: [&str; 11] = [
    "м",
    "муж",
    "мужской",
    "мужчина",
    "мальчик",
    "m",
    "male",
    "man",
    "boy",
    "мужск",
    "мужс",
];
const FEMALE_WORDS: [&str; 11] = [
    "ж",
    "жен",
    "женский",
    "женщина",
    "девочка",
    "f",
    "female",
    "woman",
    "girl",
    "женск",
    "женс",
];

/// The key words of a value: lower case, dots and commas dropped, the word "пол" removed.
fn key(s: &str) -> String {
    let lower = s.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || matches!(c, '.' | ',' | ':' | ';'))
        .filter(|w| !w.is_empty() && *w != "пол" && *w != "sex" && *w != "gender")
        .collect();
    words.join(" ")
}

/// Reads the sex from `М`, `Ж` (any case, Latin look-alike `M` too), `Мужской`, `Женский`,
/// `муж.`, `жен.`, `мужской пол`, `M`/`F`, `male`/`female`.
pub fn parse(s: &str) -> Result<Sex, SexError> {
    // The usual case, one word written out in full or as a letter: compared as it is.
    if !s.is_empty() && s.chars().all(char::is_alphabetic) {
        let is = |w: &&str| s.chars().flat_map(char::to_lowercase).eq(w.chars());
        if MALE_WORDS.iter().any(is) {
            return Ok(Sex::Male);
        }
        if FEMALE_WORDS.iter().any(is) {
            return Ok(Sex::Female);
        }
    }
    let raw = key(s);
    if raw.chars().all(|c| matches!(c, '-' | '—' | '–' | ' ')) {
        return Err(SexError::Empty);
    }
    // Latin look-alikes typed inside Russian words ("Mужской") are folded to Cyrillic.
    let folded = key(&fio::fold(s));
    for k in [raw.as_str(), folded.as_str()] {
        if MALE_WORDS.contains(&k) {
            return Ok(Sex::Male);
        }
        if FEMALE_WORDS.contains(&k) {
            return Ok(Sex::Female);
        }
    }
    Err(SexError::Unknown)
}

/// Guesses the sex from a patronymic: `-вич`, `-ич`, `оглы`, `улы`, `uly` → male;
/// `-вна`, `-чна`, `-шна`, `кызы`, `гызы`, `қызы` → female. Any case, trailing spaces and
/// Latin look-alike letters are fine; anything else gives `None`.
pub fn from_patronymic(p: &str) -> Option<Sex> {
    // The usual case, one Russian word: its ending decides (the particles below all end
    // otherwise).
    let word = p.trim();
    if fio::is_russian_word(word) {
        let mut end = word
            .chars()
            .rev()
            .map(|c| c.to_lowercase().next().unwrap_or(c));
        let (a, b, c) = (end.next(), end.next(), end.next());
        match (c, b, a) {
            (_, Some('и'), Some('ч')) => return Some(Sex::Male),
            (Some('в' | 'ч' | 'ш'), Some('н'), Some('а')) => return Some(Sex::Female),
            _ => {}
        }
    }
    let n = fio::normalize(p);
    let last = n.rsplit([' ', '-']).next().unwrap_or_default();
    let lower = last.to_lowercase();
    if fio::MALE_PARTICLES.contains(&lower.as_str()) {
        return Some(Sex::Male);
    }
    if fio::FEMALE_PARTICLES.contains(&lower.as_str()) {
        return Some(Sex::Female);
    }
    let folded = fio::fold(last);
    if fio::MALE_PARTICLES.contains(&folded.as_str()) || folded.ends_with("ич") {
        return Some(Sex::Male);
    }
    if fio::FEMALE_PARTICLES.contains(&folded.as_str())
        || ["вна", "чна", "шна"].iter().any(|e| folded.ends_with(e))
    {
        return Some(Sex::Female);
    }
    // Attached particles: "Нурланулы", "Айдынкызы".
    let (_, particle) = fio::split_patronymic(last);
    match particle.map(|p| p.to_lowercase()) {
        Some(p) if fio::MALE_PARTICLES.contains(&p.as_str()) => Some(Sex::Male),
        Some(p) if fio::FEMALE_PARTICLES.contains(&p.as_str()) => Some(Sex::Female),
        _ => None,
    }
}

/// Recognises the style of a value that [`parse`] reads: one letter (with or without a dot)
/// is [`SexStyle::Letter`], anything longer is [`SexStyle::Word`].
pub fn style_of(s: &str) -> Option<SexStyle> {
    parse(s).ok()?;
    let letters = s.chars().filter(|c| c.is_alphabetic()).count();
    Some(if letters == 1 {
        SexStyle::Letter
    } else {
        SexStyle::Word
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_table() {
        let cases: &[(&str, Result<Sex, SexError>)] = &[
            ("М", Ok(Sex::Male)),
            ("Ж", Ok(Sex::Female)),
            ("м", Ok(Sex::Male)),
            ("ж", Ok(Sex::Female)),
            (" М ", Ok(Sex::Male)),
            ("М.", Ok(Sex::Male)),
            ("Мужской", Ok(Sex::Male)),
            ("Женский", Ok(Sex::Female)),
            ("МУЖСКОЙ", Ok(Sex::Male)),
            ("муж.", Ok(Sex::Male)),
            ("жен.", Ok(Sex::Female)),
            ("Муж", Ok(Sex::Male)),
            ("мужской пол", Ok(Sex::Male)),
            ("Пол: женский", Ok(Sex::Female)),
            ("жен. пол", Ok(Sex::Female)),
            ("M", Ok(Sex::Male)), // Latin
            ("m", Ok(Sex::Male)), // Latin
            ("F", Ok(Sex::Female)),
            ("f", Ok(Sex::Female)),
            ("male", Ok(Sex::Male)),
            ("Female", Ok(Sex::Female)),
            ("Mужской", Ok(Sex::Male)), // Latin M
            ("мужчина", Ok(Sex::Male)),
            ("девочка", Ok(Sex::Female)),
            ("", Err(SexError::Empty)),
            ("   ", Err(SexError::Empty)),
            ("-", Err(SexError::Empty)),
            ("пол", Err(SexError::Empty)),
            ("Х", Err(SexError::Unknown)),
            ("?", Err(SexError::Unknown)),
            ("мж", Err(SexError::Unknown)),
            ("1", Err(SexError::Unknown)),
            ("мужской женский", Err(SexError::Unknown)),
            ("😀", Err(SexError::Unknown)),
        ];
        for &(input, want) in cases {
            assert_eq!(parse(input), want, "{input:?}");
        }
        assert_eq!(
            SexError::Unknown.to_string(),
            "Не удалось понять пол: ожидается «М» или «Ж»"
        );
        assert_eq!(SexError::Empty.to_string(), "Пол не указан");
    }

    #[test]
    fn from_patronymic_table() {
        let cases: &[(&str, Option<Sex>)] = &[
            ("Иванович", Some(Sex::Male)),
            ("Ильич", Some(Sex::Male)),
            ("Кузьмич", Some(Sex::Male)),
            ("Никитич", Some(Sex::Male)),
            ("Иванович  ", Some(Sex::Male)),
            ("ИВАНОВИЧ", Some(Sex::Male)),
            ("Ивaнoвич", Some(Sex::Male)), // Latin a, o
            ("Ивановна", Some(Sex::Female)),
            ("Ильинична", Some(Sex::Female)),
            ("Никитична", Some(Sex::Female)),
            ("Фомишна", Some(Sex::Female)),
            ("СЕРГЕЕВНA", Some(Sex::Female)), // Latin A
            ("Рашид оглы", Some(Sex::Male)),
            ("Рашид-оглы", Some(Sex::Male)),
            ("Рашидоглы", Some(Sex::Male)),
            ("Нурлан улы", Some(Sex::Male)),
            ("Nurlan uly", Some(Sex::Male)),
            ("Нурланулы", Some(Sex::Male)),
            ("Айдын кызы", Some(Sex::Female)),
            ("Эльдар гызы", Some(Sex::Female)),
            ("Нурлан қызы", Some(Sex::Female)),
            ("Айдынкызы", Some(Sex::Female)),
            ("Айдын КЫЗЫ", Some(Sex::Female)),
            ("", None),
            ("   ", None),
            ("Иван", None),
            ("Петров", None),
            ("-", None),
            ("🦀", None),
        ];
        for &(input, want) in cases {
            assert_eq!(from_patronymic(input), want, "{input:?}");
        }
    }

    #[test]
    fn styles() {
        let cases: &[(&str, Option<SexStyle>)] = &[
            ("М", Some(SexStyle::Letter)),
            ("ж", Some(SexStyle::Letter)),
            ("Ж.", Some(SexStyle::Letter)),
            ("Мужской", Some(SexStyle::Word)),
            ("жен.", Some(SexStyle::Word)),
            ("female", Some(SexStyle::Word)),
            ("", None),
            ("?", None),
        ];
        for &(input, want) in cases {
            assert_eq!(style_of(input), want, "{input:?}");
        }
        let formats: &[(Sex, SexStyle, &str)] = &[
            (Sex::Male, SexStyle::Letter, "М"),
            (Sex::Female, SexStyle::Letter, "Ж"),
            (Sex::Male, SexStyle::Word, "Мужской"),
            (Sex::Female, SexStyle::Word, "Женский"),
        ];
        for &(sex, style, want) in formats {
            assert_eq!(sex.format_as(style), want);
        }
        assert_eq!(Sex::Female.to_string(), "Ж");
        assert_eq!(Sex::Male.letter(), "М");
    }
}
