//! Synthetic СГО-like exports and ПОС appeals with ground truth, for quality tests and the
//! benchmarks. Its own name lists and error kinds, deterministic from a seed; no real people.
//!
//! The export side carries the errors (as in real life: the card in СГО is wrong), the appeals
//! carry the Госуслуги truth. Each injected difference is recorded with its field and kind.
//! The parts: `names` (lists), `people` (random people), `sheet` (the export's layout),
//! `errors` (injected differences), `appeal` (the ПОС card's text).

use std::collections::HashSet;

use chrono::NaiveDate;
use sverka::book::{CellValue, Grid};
use sverka::engine::Field;

mod appeal;
mod errors;
mod names;
mod people;
mod sheet;

use appeal::appeal_text;
use errors::inject;
use names::{MALE_NAMES, SURNAMES};
use people::random_person;
pub use sheet::HEADER_ROW;
use sheet::{GROUP_FIELDS, put, text, write_person};

/// A deterministic xorshift generator.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator seeded with `seed` (0, which xorshift cannot use, is taken as 1).
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next_u64() % n as u64) as usize
        }
    }
    /// True with probability `p` (in steps of one millionth).
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() % 1_000_000) as f64 / 1_000_000.0 < p
    }
    /// One of `items` (the generator's own fixed, non-empty lists).
    #[allow(clippy::indexing_slicing)]
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        let i = self.below(items.len());
        &items[i.min(items.len().saturating_sub(1))]
    }
}

/// A person as Госуслуги knows them.
#[derive(Debug, Clone, PartialEq)]
pub struct TruePerson {
    /// Surname (фамилия).
    pub surname: String,
    /// Given name (имя).
    pub name: String,
    /// Patronymic (отчество).
    pub patronymic: String,
    /// Is the person male?
    pub male: bool,
    /// Date of birth.
    pub birth: NaiveDate,
    /// 11 digits.
    pub snils: String,
    /// 10 digits.
    pub phone: String,
    /// E-mail address.
    pub email: String,
}

impl TruePerson {
    /// The СНИЛС written as `123-456-789 01`.
    pub fn snils_dashed(&self) -> String {
        let d = &self.snils;
        format!(
            "{}-{}-{} {}",
            d.get(0..3).unwrap_or(""),
            d.get(3..6).unwrap_or(""),
            d.get(6..9).unwrap_or(""),
            d.get(9..11).unwrap_or("")
        )
    }
}

/// The kinds of differences the generator injects into cards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ErrorKind {
    /// One Cyrillic letter of a name part replaced by its Latin look-alike.
    Homoglyph,
    /// ё written as е in a name part.
    YoE,
    /// A space added before or after a name part.
    Spaces,
    /// A name part written in lower case.
    Case,
    /// Two neighbouring letters inside a name part swapped.
    Typo,
    /// The patronymic left out.
    NoPatronymic,
    /// The birth date left out.
    BirthMissing,
    /// Day and month of the birth date swapped.
    DayMonthSwap,
    /// The birth year off by one.
    YearOff,
    /// The other sex (Ж for М, М for Ж).
    SexWrong,
    /// One digit of the СНИЛС changed.
    SnilsDigit,
    /// Two neighbouring digits of the СНИЛС swapped.
    SnilsSwap,
    /// The СНИЛС left out.
    SnilsMissing,
    /// Another, random mobile number.
    PhoneOther,
    /// The phone left out.
    PhoneMissing,
    /// Another e-mail address (the surname in Latin letters, a number, a common domain).
    EmailOther,
    /// The e-mail left out.
    EmailMissing,
}

impl ErrorKind {
    /// Every kind, in declaration order.
    pub const ALL: [ErrorKind; 17] = [
        ErrorKind::Homoglyph,
        ErrorKind::YoE,
        ErrorKind::Spaces,
        ErrorKind::Case,
        ErrorKind::Typo,
        ErrorKind::NoPatronymic,
        ErrorKind::BirthMissing,
        ErrorKind::DayMonthSwap,
        ErrorKind::YearOff,
        ErrorKind::SexWrong,
        ErrorKind::SnilsDigit,
        ErrorKind::SnilsSwap,
        ErrorKind::SnilsMissing,
        ErrorKind::PhoneOther,
        ErrorKind::PhoneMissing,
        ErrorKind::EmailOther,
        ErrorKind::EmailMissing,
    ];

    /// A short ASCII name of the kind, the key of the quality report's per-kind counts.
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::Homoglyph => "homoglyph",
            ErrorKind::YoE => "yo",
            ErrorKind::Spaces => "spaces",
            ErrorKind::Case => "case",
            ErrorKind::Typo => "typo",
            ErrorKind::NoPatronymic => "no_patronymic",
            ErrorKind::BirthMissing => "birth_missing",
            ErrorKind::DayMonthSwap => "day_month_swap",
            ErrorKind::YearOff => "year_off",
            ErrorKind::SexWrong => "sex",
            ErrorKind::SnilsDigit => "snils_digit",
            ErrorKind::SnilsSwap => "snils_swap",
            ErrorKind::SnilsMissing => "snils_missing",
            ErrorKind::PhoneOther => "phone_other",
            ErrorKind::PhoneMissing => "phone_missing",
            ErrorKind::EmailOther => "email_other",
            ErrorKind::EmailMissing => "email_missing",
        }
    }
}

/// Ground truth for one appeal.
#[derive(Debug, Clone, PartialEq)]
pub struct AppealTruth {
    /// (row, group) of the person on the sheet; `None` when absent from the export.
    pub place: Option<(u32, Option<usize>)>,
    /// The differences injected into that person's card in the export: field and kind.
    pub diffs: Vec<(Field, ErrorKind)>,
}

/// A generated export (one sheet) with appeals and their truth.
#[derive(Debug, Clone)]
pub struct Synth {
    /// The export's sheet «Ученики»: a title, the header row, one row per pupil with both
    /// parents.
    pub grid: Grid,
    /// ПОС card texts, one per appeal.
    pub appeals: Vec<String>,
    /// The truth of each appeal, in the order of `appeals`.
    pub truth: Vec<AppealTruth>,
}

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct SynthConfig {
    /// Seed of the generator: the same configuration gives the same data.
    pub seed: u64,
    /// Pupils in the export, each on a row with a mother and a father.
    pub pupils: usize,
    /// Appeals to generate.
    pub appeals: usize,
    /// Extra columns beyond the 30 of «полные сведения» (to reach 40, say).
    pub extra_columns: usize,
    /// Share of appeals whose person is not in the export.
    pub absent_share: f64,
    /// Share of people (not in appeals) with background errors in their cards.
    pub noise_share: f64,
}

impl Default for SynthConfig {
    fn default() -> Self {
        SynthConfig {
            seed: 2026,
            pupils: 2000,
            appeals: 300,
            extra_columns: 0,
            absent_share: 0.1,
            noise_share: 0.05,
        }
    }
}

/// The field a kind of error lives in (`None` for kinds that pick a name part at random).
pub fn kind_field(kind: ErrorKind) -> Option<Field> {
    match kind {
        ErrorKind::Homoglyph
        | ErrorKind::YoE
        | ErrorKind::Spaces
        | ErrorKind::Case
        | ErrorKind::Typo => None,
        ErrorKind::NoPatronymic => Some(Field::Patronymic),
        ErrorKind::BirthMissing | ErrorKind::DayMonthSwap | ErrorKind::YearOff => {
            Some(Field::BirthDate)
        }
        ErrorKind::SexWrong => Some(Field::Sex),
        ErrorKind::SnilsDigit | ErrorKind::SnilsSwap | ErrorKind::SnilsMissing => {
            Some(Field::Snils)
        }
        ErrorKind::PhoneOther | ErrorKind::PhoneMissing => Some(Field::Phone),
        ErrorKind::EmailOther | ErrorKind::EmailMissing => Some(Field::Email),
    }
}

/// Generates an export and appeals.
pub fn generate(cfg: &SynthConfig) -> Synth {
    let mut rng = Rng::new(cfg.seed);
    let mut used = HashSet::new();
    let mut grid = Grid::new("Ученики");
    write_headers(&mut grid, cfg);

    // People: pupils with a mother and a father.
    let mut people: Vec<(u32, Option<usize>, TruePerson)> = Vec::new();
    let classes = [
        "1А", "2Б", "3В", "4А", "5Б", "6В", "7А", "8Б", "9В", "10А", "11Б",
    ];
    for i in 0..cfg.pupils {
        people.extend(write_family(
            &mut grid, &mut rng, &mut used, i, cfg, &classes,
        ));
    }

    // Appeals: a person from the file with 0–2 injected differences, or someone absent.
    let mut appeals = Vec::with_capacity(cfg.appeals);
    let mut truth = Vec::with_capacity(cfg.appeals);
    let mut taken: HashSet<usize> = HashSet::new();
    for n in 0..cfg.appeals {
        if rng.chance(cfg.absent_share) || people.is_empty() {
            let family = *rng.pick(SURNAMES);
            let father = rng.pick(MALE_NAMES).to_string();
            let male = rng.chance(0.5);
            let p = random_person(&mut rng, &mut used, (1970, 2019), male, family, &father);
            appeals.push(appeal_text(&p, n, &mut rng, false));
            truth.push(AppealTruth {
                place: None,
                diffs: Vec::new(),
            });
            continue;
        }
        let mut idx = rng.below(people.len());
        while !taken.insert(idx) {
            idx = (idx + 1) % people.len();
        }
        let Some((row, group, p)) = people.get(idx).cloned() else {
            continue;
        };
        let mask = rng.chance(0.05);
        let diffs = inject_differences(&mut grid, (row, group), &p, mask, &mut rng, &mut used);
        appeals.push(appeal_text(&p, n, &mut rng, mask));
        truth.push(AppealTruth {
            place: Some((row, group)),
            diffs,
        });
    }

    // Background noise on people without appeals (the audit's business, not matching's).
    for (i, (row, group, p)) in people.iter().enumerate() {
        if taken.contains(&i) || !rng.chance(cfg.noise_share) {
            continue;
        }
        let kind = *rng.pick(&ErrorKind::ALL);
        let _ = inject(&mut grid, *row, *group, p, kind, &mut rng, &mut used);
    }
    Synth {
        grid,
        appeals,
        truth,
    }
}

/// The title and header rows of the export.
fn write_headers(grid: &mut Grid, cfg: &SynthConfig) {
    put(
        grid,
        0,
        1,
        text("Пакетное обновление: полные сведения об учащихся и родителях"),
    );
    let mut headers: Vec<String> = [
        "Код",
        "№",
        "Класс",
        "Фамилия",
        "Имя",
        "Отчество",
        "Дата рождения",
        "Пол",
        "СНИЛС",
        "Мобильный телефон",
        "E-mail",
        "Адрес регистрации",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for g in 1..=2 {
        for f in GROUP_FIELDS {
            headers.push(format!("Родитель {g}: {f}"));
        }
    }
    for i in 0..cfg.extra_columns {
        headers.push(format!("Дополнительно {}", i + 1));
    }
    for (c, h) in headers.iter().enumerate() {
        put(grid, HEADER_ROW, c as u32, text(h));
    }
}

/// Row `i`: a pupil with a mother and a father; the three people and where they are.
fn write_family(
    grid: &mut Grid,
    rng: &mut Rng,
    used: &mut HashSet<String>,
    i: usize,
    cfg: &SynthConfig,
    classes: &[&str],
) -> [(u32, Option<usize>, TruePerson); 3] {
    let row = HEADER_ROW + 1 + i as u32;
    let family = *rng.pick(SURNAMES);
    let father_name = rng.pick(MALE_NAMES).to_string();
    let grandfather = rng.pick(MALE_NAMES).to_string();
    let male = rng.chance(0.5);
    let pupil = random_person(rng, used, (2008, 2019), male, family, &father_name);
    let mother = random_person(rng, used, (1972, 1994), false, family, &grandfather);
    let mut father = random_person(rng, used, (1968, 1992), true, family, &grandfather);
    father.name = father_name.clone();
    put(grid, row, 0, CellValue::Number(100_000.0 + i as f64));
    put(grid, row, 1, CellValue::Number(1.0 + i as f64));
    let class = *rng.pick(classes);
    put(grid, row, 2, text(class));
    write_person(grid, row, None, &pupil, rng);
    put(
        grid,
        row,
        11,
        text(&format!(
            "г. Петропавловск-Камчатский, ул. Ленинская, д. {}",
            1 + i % 90
        )),
    );
    put(grid, row, 12, text("Мать"));
    write_person(grid, row, Some(0), &mother, rng);
    put(grid, row, 21, text("Отец"));
    write_person(grid, row, Some(1), &father, rng);
    for e in 0..cfg.extra_columns {
        put(
            grid,
            row,
            30 + e as u32,
            text(&format!("доп. {}", rng.below(1000))),
        );
    }
    [
        (row, None, pupil),
        (row, Some(0), mother),
        (row, Some(1), father),
    ]
}

/// Injects 0–2 differences into the card of the person at `(row, group)`; what was injected.
fn inject_differences(
    grid: &mut Grid,
    (row, group): (u32, Option<usize>),
    p: &TruePerson,
    mask: bool,
    rng: &mut Rng,
    used: &mut HashSet<String>,
) -> Vec<(Field, ErrorKind)> {
    let mut diffs: Vec<(Field, ErrorKind)> = Vec::new();
    let count = match rng.below(10) {
        0..=2 => 0,
        3..=7 => 1,
        _ => 2,
    };
    let mut tries = 0;
    while diffs.len() < count && tries < 20 {
        tries += 1;
        let kind = *rng.pick(&ErrorKind::ALL);
        // A masked СНИЛС hides СНИЛС errors; keep one difference per field.
        let field_of_kind = kind_field(kind);
        if mask && field_of_kind == Some(Field::Snils) {
            continue;
        }
        if field_of_kind.is_some_and(|f| diffs.iter().any(|d| d.0 == f)) {
            continue;
        }
        // Two identity errors at once may make the person unrecognisable; keep one.
        let identity = |k: ErrorKind| {
            matches!(
                k,
                ErrorKind::SnilsDigit
                    | ErrorKind::SnilsSwap
                    | ErrorKind::SnilsMissing
                    | ErrorKind::BirthMissing
                    | ErrorKind::DayMonthSwap
                    | ErrorKind::YearOff
                    | ErrorKind::Typo
            )
        };
        if identity(kind) && diffs.iter().any(|d| identity(d.1)) {
            continue;
        }
        if let Some(f) = inject(grid, row, group, p, kind, rng, used) {
            // A second error in the same cell replaces the first.
            diffs.retain(|d| d.0 != f);
            diffs.push((f, kind));
        }
    }
    diffs
}

#[cfg(test)]
mod tests {
    use super::*;
    use names::patronymics;
    use people::random_snils;

    #[test]
    fn generation_is_deterministic_and_valid() {
        let cfg = SynthConfig {
            pupils: 50,
            appeals: 20,
            ..SynthConfig::default()
        };
        let a = generate(&cfg);
        let b = generate(&cfg);
        assert_eq!(a.grid, b.grid);
        assert_eq!(a.appeals, b.appeals);
        assert_eq!(a.truth.len(), 20);
        assert_eq!(a.grid.height(), HEADER_ROW + 51);
        // Every generated СНИЛС in the truth side has a valid check number.
        let mut used = HashSet::new();
        let mut rng = Rng::new(7);
        for _ in 0..100 {
            let s = random_snils(&mut rng, &mut used);
            let n = sverka::norm::snils::parse(&s).unwrap_or_else(|e| panic!("{e}"));
            assert!(n.check_ok(), "{s}");
        }
    }

    #[test]
    fn patronymics_follow_the_rules() {
        assert_eq!(patronymics("Сергей").0, "Сергеевич");
        assert_eq!(patronymics("Сергей").1, "Сергеевна");
        assert_eq!(patronymics("Иван").1, "Ивановна");
        assert_eq!(patronymics("Илья").0, "Ильич");
        for f in MALE_NAMES {
            let (m, w) = patronymics(f);
            assert_eq!(
                sverka::norm::sex::from_patronymic(&m),
                Some(sverka::norm::sex::Sex::Male),
                "{m}"
            );
            assert_eq!(
                sverka::norm::sex::from_patronymic(&w),
                Some(sverka::norm::sex::Sex::Female),
                "{w}"
            );
        }
    }
}
