//! Фамилия / Имя / Отчество: normalisation, comparison keys, problems that break the
//! Госуслуги login (Latin look-alike letters, stray spaces…), comparison of a card with
//! Госуслуги, and helpers for Turkic patronymics (`оглы`, `кызы`) and double surnames.

use unicode_security::MixedScript;
use unicode_security::mixed_script::AugmentedScriptSet;

/// Latin letters that look like Cyrillic ones, with their Cyrillic twin (case kept).
const LOOKALIKES: [(char, char); 24] = [
    ('a', 'а'),
    ('e', 'е'),
    ('o', 'о'),
    ('p', 'р'),
    ('c', 'с'),
    ('x', 'х'),
    ('y', 'у'),
    ('k', 'к'),
    ('m', 'м'),
    ('t', 'т'),
    ('h', 'н'),
    ('b', 'в'),
    ('A', 'А'),
    ('B', 'В'),
    ('C', 'С'),
    ('E', 'Е'),
    ('H', 'Н'),
    ('K', 'К'),
    ('M', 'М'),
    ('O', 'О'),
    ('P', 'Р'),
    ('T', 'Т'),
    ('X', 'Х'),
    ('Y', 'У'),
];

/// Turkic patronymic particles: "son of" (male) and "daughter of" (female), Cyrillic and Latin.
pub const MALE_PARTICLES: [&str; 8] =
    ["оглы", "оглу", "улы", "уулу", "ogly", "oglu", "uly", "ugli"];
/// Female Turkic patronymic particles.
pub const FEMALE_PARTICLES: [&str; 8] = [
    "кызы", "гызы", "қызы", "кизи", "kyzy", "qizi", "gizi", "kizi",
];

/// Lower-case name parts that are legitimately written with a small letter.
const LOWERCASE_PARTICLES: [&str; 31] = [
    "оглы", "оглу", "улы", "уулу", "кызы", "гызы", "қызы", "кизи", "заде", "ибн", "бин", "бен",
    "бинт", "аль", "эль", "ал", "ад", "ас", "де", "ди", "дю", "да", "дель", "дер", "ла", "ле",
    "фон", "ван", "д", "von", "van",
];

/// One thing wrong with how a name part is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameProblem {
    /// Leading, trailing or doubled spaces, tabs or no-break spaces, spaces around a hyphen.
    StraySpaces,
    /// Latin (or other foreign) look-alike letters inside Cyrillic words, at these char
    /// indices of the value as written.
    LatinInCyrillic {
        /// Char indices (not byte offsets) of the foreign letters.
        positions: Vec<usize>,
    },
    /// Cyrillic letters inside a mostly Latin word.
    CyrillicInLatin,
    /// Digits.
    Digits,
    /// Characters other than letters, spaces, hyphens, apostrophes and dots.
    ForbiddenChars,
    /// A part starting with a small letter, or with capitals in the middle. All capitals
    /// (`ИВАНОВ`) is accepted: some regions keep names in capitals.
    WrongCase,
}

impl NameProblem {
    /// The explanation for the officer.
    pub fn message_ru(&self) -> String {
        match self {
            NameProblem::StraySpaces => {
                "Лишние пробелы: в начале или в конце, двойные, вокруг дефиса или неразрывные"
                    .to_owned()
            }
            NameProblem::LatinInCyrillic { positions } => {
                let list: Vec<String> = positions.iter().map(|p| (p + 1).to_string()).collect();
                let which = if positions.len() == 1 {
                    "Латинская буква, похожая на русскую, в позиции"
                } else {
                    "Латинские буквы, похожие на русские, в позициях"
                };
                format!(
                    "{which} {}: на вид не отличить, но из-за этого данные не совпадут с Госуслугами",
                    list.join(", ")
                )
            }
            NameProblem::CyrillicInLatin => {
                "Русские буквы среди латинских: на вид не отличить, но из-за этого данные не совпадут с Госуслугами"
                    .to_owned()
            }
            NameProblem::Digits => "Цифры в фамилии, имени или отчестве недопустимы".to_owned(),
            NameProblem::ForbiddenChars => {
                "Недопустимые символы: разрешены только буквы, пробел, дефис, апостроф и точка"
                    .to_owned()
            }
            NameProblem::WrongCase => {
                "Неправильные заглавные и строчные буквы: каждая часть начинается с заглавной, например «Иванов»"
                    .to_owned()
            }
        }
    }
}

/// How a card's value relates to the Госуслуги value, from closest to farthest; a value that
/// differs in several ways gets the farthest kind.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NameComparison {
    /// Exactly the same text.
    Equal,
    /// The same except for whitespace (stray, doubled, no-break, a missing or extra space).
    Spaces,
    /// The same except for letter case (and possibly whitespace).
    Case,
    /// Only ё and е differ (a match, but reported).
    YoE,
    /// Equal after [`fold`]: the difference is Latin look-alike letters or other invisible
    /// characters (dash variants, zero-width spaces, a decomposed ё).
    Homoglyph,
    /// Really different; `similarity` is Jaro–Winkler (0…1) of the folded values.
    Different {
        /// Jaro–Winkler similarity of the [`fold`]ed values.
        similarity: f64,
    },
}

impl NameComparison {
    /// `true` for every kind except [`NameComparison::Different`]: the same person's name.
    pub fn is_match(&self) -> bool {
        !matches!(self, NameComparison::Different { .. })
    }

    /// The explanation for the officer (`None` when equal).
    pub fn message_ru(&self) -> Option<String> {
        let text = match self {
            NameComparison::Equal => return None,
            NameComparison::Spaces => "Отличаются только пробелы".to_owned(),
            NameComparison::Case => "Отличаются только заглавные и строчные буквы".to_owned(),
            NameComparison::YoE => "Отличаются только буквы «ё» и «е»".to_owned(),
            NameComparison::Homoglyph => {
                "Отличаются невидимо: латинские буквы вместо русских или скрытые символы".to_owned()
            }
            NameComparison::Different { similarity } => format!(
                "Написание отличается (сходство {:.0}%)",
                (similarity * 100.0).clamp(0.0, 100.0)
            ),
        };
        Some(text)
    }
}

/// Is `c` a dash that people type instead of a hyphen?
fn is_dash(c: char) -> bool {
    matches!(
        c,
        '-' | '‐' | '‑' | '‒' | '–' | '—' | '―' | '−' | '﹣' | '－'
    )
}

/// Invisible characters dropped by [`normalize`].
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}'
    )
}

/// Apostrophe variants.
fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ' | '‘' | '`' | 'ʻ')
}

/// Trims, collapses any whitespace (no-break spaces, tabs, line breaks) to one space, removes
/// spaces around hyphens, turns dash variants into `-`, drops zero-width characters and
/// composes a decomposed `ё`/`й`. Keeps letter case and `ё`.
///
/// `"  Петрова - Водкина "` → `"Петрова-Водкина"`.
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.chars() {
        if is_invisible(c) {
            continue;
        }
        if c.is_whitespace() || c.is_control() {
            pending_space = true;
            continue;
        }
        if is_dash(c) {
            pending_space = false;
            out.push('-');
            continue;
        }
        let composed = match (out.chars().next_back(), c) {
            (Some('е'), '\u{308}') => Some('ё'),
            (Some('Е'), '\u{308}') => Some('Ё'),
            (Some('и'), '\u{306}') => Some('й'),
            (Some('И'), '\u{306}') => Some('Й'),
            _ => None,
        };
        if let Some(composed) = composed
            && !pending_space
        {
            out.pop();
            out.push(composed);
            continue;
        }
        if pending_space && !out.is_empty() && !out.ends_with('-') {
            out.push(' ');
        }
        pending_space = false;
        out.push(c);
    }
    out
}

/// The Cyrillic twin of a Latin look-alike letter.
fn cyrillic_twin(c: char) -> Option<char> {
    LOOKALIKES
        .iter()
        .find(|(latin, _)| *latin == c)
        .map(|&(_, cyr)| cyr)
}

/// A comparison and blocking key: [`normalize`], lower case, `ё` → `е`, Latin look-alikes
/// (`a e o p c x y k m t h b`, any case) → Cyrillic, apostrophe variants → `'`.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_into(s, &mut out);
    out
}

/// [`fold`], appended to `out`.
pub fn fold_into(s: &str, out: &mut String) {
    // Fast path: Russian letters only (the vast majority of names).
    if is_russian_word(s) {
        out.extend(s.chars().map(|c| match c {
            'Ё' | 'ё' => 'е',
            'А'..='Я' => char::from_u32(c as u32 + 32).unwrap_or(c),
            c => c,
        }));
        return;
    }
    out.extend(
        normalize(s)
            .chars()
            .flat_map(char::to_lowercase)
            .map(|c| match c {
                'ё' | 'ë' => 'е',
                c if is_apostrophe(c) => '\'',
                c => cyrillic_twin(c).unwrap_or(c),
            }),
    );
}

/// Does `c` belong to the same script as `reference` (by Unicode script extensions)?
/// Common and inherited characters (punctuation, combining marks) belong to none.
fn in_script_of(c: char, reference: char) -> bool {
    let mut set = AugmentedScriptSet::for_char(c);
    if set.is_all() {
        return false;
    }
    set.intersect_with(AugmentedScriptSet::for_char(reference));
    !set.is_empty()
}

fn is_cyrillic(c: char) -> bool {
    in_script_of(c, 'ж')
}

/// Script mixing in `s`: char indices of foreign letters inside Cyrillic words (and of
/// all-look-alike Latin words in an otherwise Cyrillic value), and whether some mostly Latin
/// word contains Cyrillic letters.
fn script_mix(s: &str) -> (Vec<usize>, bool) {
    let chars: Vec<char> = s.chars().collect();
    let any_cyrillic = chars.iter().any(|&c| is_cyrillic(c));
    let mut positions = Vec::new();
    let mut cyrillic_in_latin = false;
    let mut i = 0;
    while i < chars.len() {
        if !chars.get(i).is_some_and(|c| c.is_alphabetic()) {
            i += 1;
            continue;
        }
        let start = i;
        while chars.get(i).is_some_and(|c| c.is_alphabetic()) {
            i += 1;
        }
        let word: Vec<(usize, char)> = (start..i)
            .filter_map(|k| chars.get(k).map(|&c| (k, c)))
            .collect();
        let text: String = word.iter().map(|&(_, c)| c).collect();
        let foreign: Vec<usize> = word
            .iter()
            .filter(|&&(_, c)| !is_cyrillic(c) && !AugmentedScriptSet::for_char(c).is_all())
            .map(|&(k, _)| k)
            .collect();
        let cyrillic = word.iter().filter(|&&(_, c)| is_cyrillic(c)).count();
        if !text.as_str().is_single_script() && cyrillic > 0 && !foreign.is_empty() {
            if cyrillic >= foreign.len() {
                positions.extend(foreign);
            } else {
                cyrillic_in_latin = true;
            }
        } else if cyrillic == 0
            && any_cyrillic
            && word.iter().all(|&(_, c)| cyrillic_twin(c).is_some())
        {
            // A whole "word" typed in Latin look-alikes next to Cyrillic words ("Mapk").
            positions.extend(foreign);
        }
    }
    (positions, cyrillic_in_latin)
}

/// Replaces Latin look-alike letters found by [`problems`] (inside Cyrillic words) with their
/// Cyrillic twins; other text is unchanged.
pub fn repair_homoglyphs(s: &str) -> String {
    let (positions, _) = script_mix(s);
    // `positions` is ascending: walk it alongside the characters.
    let mut next = positions.into_iter().peekable();
    s.chars()
        .enumerate()
        .map(|(i, c)| {
            if next.next_if_eq(&i).is_some() {
                cyrillic_twin(c).unwrap_or(c)
            } else {
                c
            }
        })
        .collect()
}

/// A name part with every problem fixed that needs no judgement, in one pass: [`normalize`]
/// (stray spaces, dash variants, invisible characters) and then [`repair_homoglyphs`] (Latin
/// look-alikes inside Cyrillic words). The audit suggests this one value for every problem of
/// a cell, so that taking any one suggestion fixes them all (and no two suggestions for one
/// cell contradict each other).
///
/// `"Зaхаров "` (Latin `a`, trailing space) → `"Захаров"`.
pub fn clean(s: &str) -> String {
    repair_homoglyphs(&normalize(s))
}

/// Whitespace written badly: leading/trailing, doubled, not a plain space, around a hyphen.
fn has_stray_spaces(s: &str) -> bool {
    let (Some(first), Some(last)) = (s.chars().next(), s.chars().next_back()) else {
        return false;
    };
    if first.is_whitespace() || last.is_whitespace() {
        return true;
    }
    let mut prev = first;
    for c in s.chars().skip(1) {
        if (c.is_whitespace() && c != ' ')
            || (prev.is_whitespace() && c.is_whitespace())
            || (prev.is_whitespace() && is_dash(c))
            || (is_dash(prev) && c.is_whitespace())
        {
            return true;
        }
        prev = c;
    }
    false
}

/// A name part with wrong capitalisation (see [`NameProblem::WrongCase`]).
fn has_wrong_case(s: &str) -> bool {
    // Fast path: one word of Russian letters, capitalised (or all capitals) — the usual case.
    let upper = |c: char| matches!(c, 'А'..='Я' | 'Ё');
    let lower = |c: char| matches!(c, 'а'..='я' | 'ё');
    let mut chars = s.chars();
    if let Some(first) = chars.next()
        && upper(first)
    {
        let rest = chars.clone();
        if rest.clone().all(lower) || rest.clone().all(upper) {
            return false;
        }
    }
    s.split(|c: char| c.is_whitespace() || is_dash(c) || is_apostrophe(c))
        .filter(|seg| seg.chars().any(char::is_alphabetic))
        .any(|seg| {
            if LOWERCASE_PARTICLES.contains(&seg.to_lowercase().as_str())
                || LOWERCASE_PARTICLES.contains(&fold(seg).as_str())
            {
                return false;
            }
            let mut letters = seg.chars().filter(|c| c.is_alphabetic());
            let Some(first) = letters.next() else {
                return false;
            };
            if first.is_lowercase() {
                return true;
            }
            let rest: Vec<char> = letters.collect();
            let all_lower = rest.iter().all(|c| !c.is_uppercase());
            let all_upper = rest.iter().all(|c| !c.is_lowercase());
            !(all_lower || all_upper)
        })
}

/// Everything wrong with how a name part (surname, name or patronymic) is written.
/// An empty value has no problems (emptiness is the caller's business).
pub fn problems(s: &str) -> Vec<NameProblem> {
    // The usual case, one word of Russian letters: only its capitalisation can be wrong.
    if is_russian_word(s) {
        return if has_wrong_case(s) {
            vec![NameProblem::WrongCase]
        } else {
            Vec::new()
        };
    }
    let mut out = Vec::new();
    if has_stray_spaces(s) {
        out.push(NameProblem::StraySpaces);
    }
    // Fast path for the common case: Russian letters (and single hyphens or spaces) only —
    // no script mixing, no digits, no forbidden characters are possible.
    if is_plain_cyrillic(s) {
        if has_wrong_case(s) {
            out.push(NameProblem::WrongCase);
        }
        return out;
    }
    let (positions, cyrillic_in_latin) = script_mix(s);
    if !positions.is_empty() {
        out.push(NameProblem::LatinInCyrillic { positions });
    }
    if cyrillic_in_latin {
        out.push(NameProblem::CyrillicInLatin);
    }
    if s.chars().any(char::is_numeric) {
        out.push(NameProblem::Digits);
    }
    let forbidden = s.chars().any(|c| {
        !(c.is_alphabetic()
            || c.is_numeric()
            || c.is_whitespace()
            || c == '-'
            || c == '.'
            || matches!(c, '\'' | '’' | 'ʼ'))
    });
    if forbidden {
        out.push(NameProblem::ForbiddenChars);
    }
    if has_wrong_case(s) {
        out.push(NameProblem::WrongCase);
    }
    out
}

/// One word of Russian letters (А–я, Ё, ё) and nothing else: the usual name part, which the
/// fast paths take.
pub fn is_russian_word(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| matches!(c, 'А'..='я' | 'Ё' | 'ё'))
}

/// Only Russian letters, hyphens and spaces.
fn is_plain_cyrillic(s: &str) -> bool {
    s.chars()
        .all(|c| matches!(c, 'А'..='я' | 'Ё' | 'ё' | '-' | ' '))
}

/// Removes every whitespace character.
fn strip_ws(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Compares a card's value with the Госуслуги value (see [`NameComparison`]).
pub fn compare(card: &str, gosuslugi: &str) -> NameComparison {
    if card == gosuslugi {
        return NameComparison::Equal;
    }
    let (a, b) = (strip_ws(card), strip_ws(gosuslugi));
    if a == b {
        return NameComparison::Spaces;
    }
    let (a, b) = (a.to_lowercase(), b.to_lowercase());
    if a == b {
        return NameComparison::Case;
    }
    if a.replace('ё', "е") == b.replace('ё', "е") {
        return NameComparison::YoE;
    }
    let (a, b) = (fold(card), fold(gosuslugi));
    if a == b {
        return NameComparison::Homoglyph;
    }
    NameComparison::Different {
        similarity: super::similarity::jaro_winkler(&a, &b),
    }
}

/// The value to write into the card: the Госуслуги spelling, normalised, with Latin look-alike
/// letters inside Cyrillic words replaced. When the Госуслуги value is blank, the card's own
/// value is cleaned the same way instead.
pub fn fix_for(card: &str, gosuslugi: &str) -> String {
    let g = normalize(gosuslugi);
    if g.is_empty() {
        repair_homoglyphs(&normalize(card))
    } else {
        repair_homoglyphs(&g)
    }
}

/// `true` when `b` is `a` with two neighbouring letters swapped (compared after [`fold`]):
/// `Иванов` / `Иавнов`.
pub fn transposed_letters(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (fold(a).chars().collect(), fold(b).chars().collect());
    if a.len() != b.len() {
        return false;
    }
    let diffs: Vec<usize> = (0..a.len()).filter(|&i| a.get(i) != b.get(i)).collect();
    match diffs.as_slice() {
        &[i, j] if j == i + 1 => a.get(i) == b.get(j) && a.get(j) == b.get(i),
        _ => false,
    }
}

/// Is `word` (any case, Latin look-alikes allowed) a Turkic patronymic particle?
pub fn is_patronymic_particle(word: &str) -> bool {
    let lower = word.trim().to_lowercase();
    let folded = fold(word);
    [lower.as_str(), folded.as_str()]
        .iter()
        .any(|w| MALE_PARTICLES.contains(w) || FEMALE_PARTICLES.contains(w))
}

/// Splits a patronymic into its base and a Turkic particle, written apart, hyphenated or
/// attached: `Рашид оглы`, `Рашид-оглы`, `Рашидоглы` → (`Рашид`, `Some("оглы")`).
/// A Russian patronymic comes back whole: `Иванович` → (`Иванович`, `None`).
pub fn split_patronymic(p: &str) -> (String, Option<String>) {
    let n = normalize(p);
    if let Some((base, last)) = n.rsplit_once([' ', '-'])
        && is_patronymic_particle(last)
        && !base.is_empty()
    {
        return (base.to_owned(), Some(last.to_owned()));
    }
    let lower = n.to_lowercase();
    for particle in MALE_PARTICLES.iter().chain(FEMALE_PARTICLES.iter()) {
        if let Some(base_lower) = lower.strip_suffix(particle)
            && base_lower.chars().count() >= 2
        {
            let base_chars = base_lower.chars().count();
            let base: String = n.chars().take(base_chars).collect();
            let tail: String = n.chars().skip(base_chars).collect();
            return (base, Some(tail));
        }
    }
    (n, None)
}

/// `true` when two patronymics are the same once a Turkic particle's spelling (apart,
/// hyphenated, attached, any case, look-alikes) is ignored: `Рашид оглы` = `Рашид-Оглы`.
pub fn same_patronymic(a: &str, b: &str) -> bool {
    let (base_a, part_a) = split_patronymic(a);
    let (base_b, part_b) = split_patronymic(b);
    fold(&base_a) == fold(&base_b) && part_a.as_deref().map(fold) == part_b.as_deref().map(fold)
}

/// A full name split into its parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FullName {
    /// Фамилия (a double surname stays whole: `Петрова-Водкина`).
    pub surname: String,
    /// Имя.
    pub name: String,
    /// Отчество with a Turkic particle kept (`Рашид оглы`); empty when absent.
    pub patronymic: String,
}

/// Splits "Фамилия Имя Отчество" (normalised first). Two words give an empty patronymic;
/// a trailing Turkic particle joins the patronymic: `Алиев Эльчин Рашид оглы` →
/// (`Алиев`, `Эльчин`, `Рашид оглы`). `None` for fewer than two words or an ambiguous split
/// (more than three words without a particle, or a particle leaving no given name).
pub fn split_full_name(s: &str) -> Option<FullName> {
    let n = normalize(s);
    let words: Vec<&str> = n.split(' ').filter(|w| !w.is_empty()).collect();
    let ends_with_particle = words.last().is_some_and(|w| is_patronymic_particle(w));
    let (surname, name, patronymic) = match (words.as_slice(), ends_with_particle) {
        ([s, n], false) => (*s, *n, String::new()),
        ([s, n, p], false) => (*s, *n, (*p).to_owned()),
        ([s, n, p, particle], true) => (*s, *n, format!("{p} {particle}")),
        _ => return None,
    };
    Some(FullName {
        surname: surname.to_owned(),
        name: name.to_owned(),
        patronymic,
    })
}

/// The parts of a (possibly double) surname: `Петрова - Водкина` → [`Петрова`, `Водкина`].
pub fn surname_parts(s: &str) -> Vec<String> {
    normalize(s)
        .split('-')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect()
}

/// `true` when one surname is double and shares a part with the other (a woman who added or
/// dropped her maiden name): `Петрова-Водкина` / `Водкина`. Compared after [`fold`].
pub fn shares_surname_part(a: &str, b: &str) -> bool {
    let pa: Vec<String> = surname_parts(a).iter().map(|p| fold(p)).collect();
    let pb: Vec<String> = surname_parts(b).iter().map(|p| fold(p)).collect();
    (pa.len() > 1 || pb.len() > 1) && pa.iter().any(|x| pb.contains(x))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_table() {
        let cases: &[(&str, &str)] = &[
            ("Иванов", "Иванов"),
            ("  Иванов  ", "Иванов"),
            ("Петрова - Водкина", "Петрова-Водкина"),
            ("Петрова -Водкина", "Петрова-Водкина"),
            ("Петрова– Водкина", "Петрова-Водкина"),
            ("Петрова—Водкина", "Петрова-Водкина"),
            ("Анна  Мария", "Анна Мария"),
            ("Анна\u{a0}Мария", "Анна Мария"),
            ("Анна\tМария", "Анна Мария"),
            ("Анна\r\nМария", "Анна Мария"),
            ("Рашид   оглы ", "Рашид оглы"),
            ("Семёнов", "Семёнов"),
            ("СЕМЁНОВ", "СЕМЁНОВ"),
            ("Семе\u{308}нов", "Семёнов"),
            ("Андреи\u{306}", "Андрей"),
            ("И\u{306}ЛДЫЗ", "ЙЛДЫЗ"),
            ("Ива\u{200B}нов", "Иванов"),
            ("\u{feff}Иванов", "Иванов"),
            ("д'Артаньян", "д'Артаньян"),
            ("", ""),
            ("   ", ""),
            ("-", "-"),
        ];
        for &(input, want) in cases {
            assert_eq!(normalize(input), want, "{input:?}");
        }
    }

    #[test]
    fn fold_table() {
        let cases: &[(&str, &str)] = &[
            ("Иванов", "иванов"),
            ("ИВАНОВ", "иванов"),
            ("Семёнов", "семенов"),
            ("CEMEHOB", "семенов"), // all Latin look-alikes
            ("Иванoв", "иванов"),   // Latin o
            ("Kиpилл", "кирилл"),   // Latin K and p
            ("Mapия", "мария"),
            ("Xacaн", "хасан"),
            ("Тaтьянa", "татьяна"),
            ("Hикитa", "никита"),
            ("Пётр", "петр"),
            (" Петрова - Водкина ", "петрова-водкина"),
            ("О’Нил", "о'нил"),
            ("Yлья", "улья"),
            ("ЁЛКИН", "елкин"),
        ];
        for &(input, want) in cases {
            assert_eq!(fold(input), want, "{input:?}");
        }
    }

    #[test]
    fn problems_table() {
        use NameProblem as P;
        let cases: Vec<(&str, Vec<NameProblem>)> = vec![
            ("Иванов", vec![]),
            ("ИВАНОВ", vec![]),
            ("Петрова-Водкина", vec![]),
            ("Рашид оглы", vec![]),
            ("Айгуль кызы", vec![]),
            ("Анна-Мария", vec![]),
            ("д'Артаньян", vec![]),
            ("О'Коннор", vec![]),
            ("Семёнов", vec![]),
            (" Иванов", vec![P::StraySpaces]),
            ("Иванов ", vec![P::StraySpaces]),
            ("Анна  Мария", vec![P::StraySpaces]),
            ("Анна\u{a0}Мария", vec![P::StraySpaces]),
            ("Петрова - Водкина", vec![P::StraySpaces]),
            ("Иванoв", vec![P::LatinInCyrillic { positions: vec![4] }]),
            (
                "Kиpилл",
                vec![P::LatinInCyrillic {
                    positions: vec![0, 2],
                }],
            ),
            (
                "Сергеевнa ",
                vec![P::StraySpaces, P::LatinInCyrillic { positions: vec![8] }],
            ),
            (
                "Петрова-Boдкина",
                vec![P::LatinInCyrillic {
                    positions: vec![8, 9],
                }],
            ),
            (
                "Иванов Mapk",
                vec![P::LatinInCyrillic {
                    positions: vec![7, 8, 9, 10],
                }],
            ),
            ("Mapk", vec![]), // no Cyrillic context: a Latin word
            ("John", vec![]),
            ("Jоhn", vec![P::CyrillicInLatin]),  // Cyrillic о
            ("Smіth", vec![P::CyrillicInLatin]), // Ukrainian і
            ("Иванов2", vec![P::Digits]),
            ("Иван0в", vec![P::Digits]),
            ("Иванов!", vec![P::ForbiddenChars]),
            ("Иванов_", vec![P::ForbiddenChars]),
            ("Иванов (Петров)", vec![P::ForbiddenChars]),
            ("Ива\u{200B}нов", vec![P::ForbiddenChars]),
            ("Петрова–Водкина", vec![P::ForbiddenChars]),
            ("Иванов😀", vec![P::ForbiddenChars]),
            ("иванов", vec![P::WrongCase]),
            ("ИвАнов", vec![P::WrongCase]),
            ("Петрова-водкина", vec![P::WrongCase]),
            ("иВАНОВ", vec![P::WrongCase]),
            ("Мамед-заде", vec![]),
            ("Н.", vec![]),
            ("", vec![]),
            (
                " иванoв1!",
                vec![
                    P::StraySpaces,
                    P::LatinInCyrillic { positions: vec![5] },
                    P::Digits,
                    P::ForbiddenChars,
                    P::WrongCase,
                ],
            ),
        ];
        for (input, want) in cases {
            assert_eq!(problems(input), want, "{input:?}");
        }
    }

    #[test]
    fn problem_messages() {
        let cases: &[(NameProblem, &str)] = &[
            (
                NameProblem::LatinInCyrillic { positions: vec![4] },
                "Латинская буква, похожая на русскую, в позиции 5: на вид не отличить, но из-за этого данные не совпадут с Госуслугами",
            ),
            (
                NameProblem::LatinInCyrillic {
                    positions: vec![0, 2],
                },
                "Латинские буквы, похожие на русские, в позициях 1, 3: на вид не отличить, но из-за этого данные не совпадут с Госуслугами",
            ),
            (
                NameProblem::Digits,
                "Цифры в фамилии, имени или отчестве недопустимы",
            ),
            (
                NameProblem::StraySpaces,
                "Лишние пробелы: в начале или в конце, двойные, вокруг дефиса или неразрывные",
            ),
        ];
        for (p, want) in cases {
            assert_eq!(p.message_ru(), *want);
        }
    }

    #[test]
    fn compare_table() {
        use NameComparison as C;
        let cases: &[(&str, &str, NameComparison)] = &[
            ("Иванов", "Иванов", C::Equal),
            ("", "", C::Equal),
            ("Иванов ", "Иванов", C::Spaces),
            ("Анна  Мария", "Анна Мария", C::Spaces),
            ("Петрова - Водкина", "Петрова-Водкина", C::Spaces),
            ("Рашидоглы", "Рашид оглы", C::Spaces),
            ("ИВАНОВ", "Иванов", C::Case),
            ("иванов ", "Иванов", C::Case),
            ("Семенов", "Семёнов", C::YoE),
            ("СЕМЕНОВ", "Семёнов", C::YoE),
            ("Пётр", "Петр", C::YoE),
            ("Иванoв", "Иванов", C::Homoglyph),
            ("CEMEHOB", "Семенов", C::Homoglyph),
            ("Kиpилл", "Кирилл", C::Homoglyph),
            ("Петрова–Водкина", "Петрова-Водкина", C::Homoglyph),
            ("Ива\u{200B}нов", "Иванов", C::Homoglyph),
            ("Семе\u{308}нов", "Семёнов", C::Homoglyph),
        ];
        for &(card, gos, want) in cases {
            assert_eq!(compare(card, gos), want, "{card:?} vs {gos:?}");
            assert!(compare(card, gos).is_match());
        }
        // (card, Госуслуги, similarity rounded to 0.001)
        let different: &[(&str, &str, f64)] = &[
            ("Иванов", "Петров", 0.556),
            ("Иванов", "Иванова", 0.971),
            ("Иванов", "Ианвов", 0.95), // 3 half-transpositions count as 1
            ("Иванов", "", 0.0),
        ];
        for &(card, gos, want) in different {
            match compare(card, gos) {
                C::Different { similarity } => {
                    let got = (similarity * 1000.0).round() / 1000.0;
                    assert_eq!(got, want, "{card:?} vs {gos:?}");
                }
                other => panic!("{card:?} vs {gos:?}: {other:?}"),
            }
            assert!(!compare(card, gos).is_match());
        }
        assert_eq!(C::Equal.message_ru(), None);
        assert_eq!(
            C::YoE.message_ru().as_deref(),
            Some("Отличаются только буквы «ё» и «е»")
        );
        assert_eq!(
            C::Different { similarity: 0.5 }.message_ru().as_deref(),
            Some("Написание отличается (сходство 50%)")
        );
    }

    #[test]
    fn fix_suggestions() {
        // (card, Госуслуги, value to write)
        let cases: &[(&str, &str, &str)] = &[
            ("Иванoв", "Иванов", "Иванов"),
            ("Иванов ", "Иванов", "Иванов"),
            ("Семенов", "Семёнов", "Семёнов"),
            ("ИВАНОВ", " Иванов ", "Иванов"),
            ("Петрова", "Петрова - Водкина", "Петрова-Водкина"),
            ("Иванов", "Иванoв", "Иванов"), // look-alike in the Госуслуги text is repaired
            ("Kиpилл ", "", "Кирилл"),      // nothing from Госуслуги: clean the card
            ("Рашид оглы", "Рашид  оглы", "Рашид оглы"),
            ("", "", ""),
        ];
        for &(card, gos, want) in cases {
            assert_eq!(fix_for(card, gos), want, "{card:?} / {gos:?}");
        }
        assert_eq!(repair_homoglyphs("Иванов Mapk"), "Иванов Марк");
        assert_eq!(repair_homoglyphs("John Smith"), "John Smith");
    }

    #[test]
    fn transposed_letters_table() {
        let cases: &[(&str, &str, bool)] = &[
            ("Иванов", "Иавнов", true),
            ("Иванов", "Иваонв", true),
            ("Иванов", "Иванво", true),
            ("Иванов", "вИанов", true),
            ("Наталья", "Натальа", false),
            ("Иванов", "Иванов", false),
            ("Иванов", "Ивонав", false),
            ("Иванов", "Иванова", false),
            ("Алла", "Алла", false),
            ("ИВАНОВ", "Иавнов", true),
            ("", "", false),
        ];
        for &(a, b, want) in cases {
            assert_eq!(transposed_letters(a, b), want, "{a:?} / {b:?}");
        }
    }

    #[test]
    fn patronymics_and_full_names() {
        let split: &[(&str, &str, Option<&str>)] = &[
            ("Рашид оглы", "Рашид", Some("оглы")),
            ("Рашид-оглы", "Рашид", Some("оглы")),
            ("Рашидоглы", "Рашид", Some("оглы")),
            ("Гусейн Оглы", "Гусейн", Some("Оглы")),
            ("Айдын кызы", "Айдын", Some("кызы")),
            ("Нурлан улы", "Нурлан", Some("улы")),
            ("Нурланулы", "Нурлан", Some("улы")),
            ("Иванович", "Иванович", None),
            ("Ильинична ", "Ильинична", None),
            ("оглы", "оглы", None),
            ("", "", None),
        ];
        for &(input, base, particle) in split {
            let (b, p) = split_patronymic(input);
            assert_eq!((b.as_str(), p.as_deref()), (base, particle), "{input:?}");
        }
        let same: &[(&str, &str, bool)] = &[
            ("Рашид оглы", "Рашид-оглы", true),
            ("Рашид оглы", "Рашидоглы", true),
            ("Рашид оглы", "Рашид Оглы", true),
            ("Рашид оглы", "Рашид кызы", false),
            ("Рашид оглы", "Рашид", false),
            ("Иванович", "Иванович", true),
        ];
        for &(a, b, want) in same {
            assert_eq!(same_patronymic(a, b), want, "{a:?} / {b:?}");
        }
        /// (surname, name, patronymic)
        type Parts<'a> = (&'a str, &'a str, &'a str);
        let full: &[(&str, Option<Parts>)] = &[
            ("Иванов Иван Иванович", Some(("Иванов", "Иван", "Иванович"))),
            (
                "  Иванов  Иван Иванович ",
                Some(("Иванов", "Иван", "Иванович")),
            ),
            (
                "Алиев Эльчин Рашид оглы",
                Some(("Алиев", "Эльчин", "Рашид оглы")),
            ),
            (
                "Мамедова Айгюн Эльдар кызы",
                Some(("Мамедова", "Айгюн", "Эльдар кызы")),
            ),
            (
                "Петрова - Водкина Анна Сергеевна",
                Some(("Петрова-Водкина", "Анна", "Сергеевна")),
            ),
            ("Смит Джон", Some(("Смит", "Джон", ""))),
            ("Алиев Рашид оглы", None),
            ("Иванов", None),
            ("Иванова Анна Мария Петровна", None),
            ("", None),
        ];
        for &(input, want) in full {
            let got = split_full_name(input);
            let got = got
                .as_ref()
                .map(|f| (f.surname.as_str(), f.name.as_str(), f.patronymic.as_str()));
            assert_eq!(got, want, "{input:?}");
        }
        let shares: &[(&str, &str, bool)] = &[
            ("Петрова-Водкина", "Водкина", true),
            ("Петрова", "Петрова - Водкина", true),
            ("Петрова-Водкина", "Водкина-Петрова", true),
            ("Петрова", "Петрова", false),
            ("Петрова-Водкина", "Сидорова", false),
            ("Пeтрова-Водкина", "Петрова", true),
        ];
        for &(a, b, want) in shares {
            assert_eq!(shares_surname_part(a, b), want, "{a:?} / {b:?}");
        }
        assert_eq!(
            surname_parts("Петрова - Водкина"),
            vec!["Петрова".to_owned(), "Водкина".to_owned()]
        );
    }

    #[test]
    fn garbage_never_panics() {
        let huge = "Ж".repeat(20_000) + &"ab".repeat(20_000);
        for s in [
            "\u{0}\u{1}\u{7f}",
            "😀👨‍👩‍👧",
            "\u{308}\u{306}",
            "-- - --",
            "'",
            "ﷺ",
            "İ",
            huge.as_str(),
        ] {
            let _ = normalize(s);
            let _ = fold(s);
            let _ = problems(s);
            let _ = compare(s, "Иванов");
            let _ = fix_for(s, s);
            let _ = split_full_name(s);
            let _ = split_patronymic(s);
            let _ = transposed_letters(s, s);
        }
    }
}
