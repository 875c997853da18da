//! Synthetic СГО-like exports and ПОС appeals with ground truth, for quality tests and the
//! benchmarks. Its own name lists and error kinds, deterministic from a seed; no real people.
//!
//! The export side carries the errors (as in real life: the card in СГО is wrong), the appeals
//! carry the Госуслуги truth. Each injected difference is recorded with its field and kind.

use std::collections::HashSet;

use chrono::{Datelike, NaiveDate};

use sverka::book::{CellValue, Grid};
use sverka::engine::field::Field;
use sverka::norm::snils::check_number;

/// A deterministic xorshift generator.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }
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

const SURNAMES: &[(&str, &str)] = &[
    ("Иванов", "Иванова"),
    ("Смирнов", "Смирнова"),
    ("Кузнецов", "Кузнецова"),
    ("Попов", "Попова"),
    ("Васильев", "Васильева"),
    ("Петров", "Петрова"),
    ("Соколов", "Соколова"),
    ("Михайлов", "Михайлова"),
    ("Новиков", "Новикова"),
    ("Фёдоров", "Фёдорова"),
    ("Морозов", "Морозова"),
    ("Волков", "Волкова"),
    ("Алексеев", "Алексеева"),
    ("Лебедев", "Лебедева"),
    ("Семёнов", "Семёнова"),
    ("Егоров", "Егорова"),
    ("Павлов", "Павлова"),
    ("Козлов", "Козлова"),
    ("Степанов", "Степанова"),
    ("Николаев", "Николаева"),
    ("Орлов", "Орлова"),
    ("Андреев", "Андреева"),
    ("Макаров", "Макарова"),
    ("Никитин", "Никитина"),
    ("Захаров", "Захарова"),
    ("Зайцев", "Зайцева"),
    ("Соловьёв", "Соловьёва"),
    ("Борисов", "Борисова"),
    ("Яковлев", "Яковлева"),
    ("Григорьев", "Григорьева"),
    ("Романов", "Романова"),
    ("Воробьёв", "Воробьёва"),
    ("Сергеев", "Сергеева"),
    ("Кузьмин", "Кузьмина"),
    ("Фролов", "Фролова"),
    ("Александров", "Александрова"),
    ("Дмитриев", "Дмитриева"),
    ("Королёв", "Королёва"),
    ("Гусев", "Гусева"),
    ("Киселёв", "Киселёва"),
    ("Ильин", "Ильина"),
    ("Максимов", "Максимова"),
    ("Поляков", "Полякова"),
    ("Сорокин", "Сорокина"),
    ("Виноградов", "Виноградова"),
    ("Ковалёв", "Ковалёва"),
    ("Белов", "Белова"),
    ("Медведев", "Медведева"),
    ("Антонов", "Антонова"),
    ("Тарасов", "Тарасова"),
    ("Жуков", "Жукова"),
    ("Баранов", "Баранова"),
    ("Филиппов", "Филиппова"),
    ("Комаров", "Комарова"),
    ("Давыдов", "Давыдова"),
    ("Беляев", "Беляева"),
    ("Герасимов", "Герасимова"),
    ("Богданов", "Богданова"),
    ("Осипов", "Осипова"),
    ("Сидоров", "Сидорова"),
    ("Матвеев", "Матвеева"),
    ("Титов", "Титова"),
    ("Марков", "Маркова"),
    ("Миронов", "Миронова"),
    ("Крылов", "Крылова"),
    ("Куликов", "Куликова"),
    ("Карпов", "Карпова"),
    ("Власов", "Власова"),
    ("Мельников", "Мельникова"),
    ("Денисов", "Денисова"),
    ("Гаврилов", "Гаврилова"),
    ("Тихонов", "Тихонова"),
    ("Казаков", "Казакова"),
    ("Афанасьев", "Афанасьева"),
    ("Данилов", "Данилова"),
    ("Савельев", "Савельева"),
    ("Тимофеев", "Тимофеева"),
    ("Фомин", "Фомина"),
    ("Чернов", "Чернова"),
    ("Абрамов", "Абрамова"),
    ("Мартынов", "Мартынова"),
    ("Ефимов", "Ефимова"),
    ("Федотов", "Федотова"),
    ("Щербаков", "Щербакова"),
    ("Назаров", "Назарова"),
    ("Калинин", "Калинина"),
    ("Исаев", "Исаева"),
    ("Чернышёв", "Чернышёва"),
    ("Быков", "Быкова"),
    ("Маслов", "Маслова"),
    ("Родионов", "Родионова"),
    ("Коновалов", "Коновалова"),
    ("Лазарев", "Лазарева"),
    ("Воронин", "Воронина"),
    ("Климов", "Климова"),
    ("Филатов", "Филатова"),
    ("Пономарёв", "Пономарёва"),
    ("Голубев", "Голубева"),
    ("Кудрявцев", "Кудрявцева"),
    ("Прохоров", "Прохорова"),
    ("Наумов", "Наумова"),
    ("Потапов", "Потапова"),
    ("Журавлёв", "Журавлёва"),
    ("Овчинников", "Овчинникова"),
    ("Трофимов", "Трофимова"),
    ("Леонов", "Леонова"),
    ("Соболев", "Соболева"),
    ("Ермаков", "Ермакова"),
    ("Колесников", "Колесникова"),
    ("Гончаров", "Гончарова"),
    ("Емельянов", "Емельянова"),
    ("Никифоров", "Никифорова"),
    ("Грачёв", "Грачёва"),
    ("Котов", "Котова"),
    ("Гришин", "Гришина"),
    ("Ефремов", "Ефремова"),
    ("Архипов", "Архипова"),
    ("Громов", "Громова"),
    ("Кириллов", "Кириллова"),
    ("Малышев", "Малышева"),
    ("Панов", "Панова"),
    ("Моисеев", "Моисеева"),
    ("Румянцев", "Румянцева"),
    ("Акимов", "Акимова"),
    ("Кондратьев", "Кондратьева"),
    ("Бирюков", "Бирюкова"),
    ("Горбунов", "Горбунова"),
    ("Анисимов", "Анисимова"),
    ("Ерёмин", "Ерёмина"),
    ("Тихомиров", "Тихомирова"),
    ("Галкин", "Галкина"),
    ("Лукьянов", "Лукьянова"),
    ("Алиев", "Алиева"),
    ("Мамедов", "Мамедова"),
    ("Гасанов", "Гасанова"),
    ("Ким", "Ким"),
    ("Цой", "Цой"),
    ("Шевченко", "Шевченко"),
    ("Бондаренко", "Бондаренко"),
    ("Римский-Корсаков", "Римская-Корсакова"),
];

const MALE_NAMES: &[&str] = &[
    "Александр",
    "Дмитрий",
    "Максим",
    "Сергей",
    "Андрей",
    "Алексей",
    "Артём",
    "Илья",
    "Кирилл",
    "Михаил",
    "Никита",
    "Матвей",
    "Роман",
    "Егор",
    "Арсений",
    "Иван",
    "Денис",
    "Евгений",
    "Даниил",
    "Тимофей",
    "Владислав",
    "Игорь",
    "Владимир",
    "Павел",
    "Руслан",
    "Марк",
    "Константин",
    "Тимур",
    "Олег",
    "Ярослав",
    "Антон",
    "Николай",
    "Глеб",
    "Данил",
    "Савелий",
    "Вадим",
    "Степан",
    "Юрий",
    "Богдан",
    "Артур",
    "Семён",
    "Макар",
    "Лев",
    "Виктор",
    "Елисей",
    "Виталий",
    "Вячеслав",
    "Захар",
    "Мирон",
    "Дамир",
    "Георгий",
    "Давид",
    "Платон",
    "Анатолий",
    "Григорий",
    "Демид",
    "Данила",
    "Станислав",
    "Василий",
    "Фёдор",
    "Эльчин",
    "Рашид",
    "Пётр",
];

const FEMALE_NAMES: &[&str] = &[
    "Анастасия",
    "Мария",
    "Анна",
    "Виктория",
    "Екатерина",
    "Наталья",
    "Марина",
    "Полина",
    "София",
    "Дарья",
    "Алиса",
    "Ксения",
    "Александра",
    "Елена",
    "Юлия",
    "Ольга",
    "Татьяна",
    "Вероника",
    "Арина",
    "Елизавета",
    "Алина",
    "Ирина",
    "Светлана",
    "Кристина",
    "Валерия",
    "Варвара",
    "Ульяна",
    "Диана",
    "Василиса",
    "Ева",
    "Маргарита",
    "Милана",
    "Таисия",
    "Алёна",
    "Есения",
    "Людмила",
    "Надежда",
    "Галина",
    "Вера",
    "Любовь",
    "Зарина",
    "Лейла",
    "Мирослава",
    "Злата",
    "Агата",
    "Кира",
    "Яна",
    "Олеся",
    "Карина",
    "Стефания",
];

/// Patronymics (male, female) for the fathers' names above.
fn patronymics(father: &str) -> (String, String) {
    match father {
        "Эльчин" => ("Эльчин оглы".into(), "Эльчин кызы".into()),
        "Рашид" => ("Рашид оглы".into(), "Рашид кызы".into()),
        "Илья" => ("Ильич".into(), "Ильинична".into()),
        "Никита" => ("Никитич".into(), "Никитична".into()),
        "Данила" => ("Данилович".into(), "Даниловна".into()),
        "Лев" => ("Львович".into(), "Львовна".into()),
        "Пётр" => ("Петрович".into(), "Петровна".into()),
        "Павел" => ("Павлович".into(), "Павловна".into()),
        "Семён" => ("Семёнович".into(), "Семёновна".into()),
        "Фёдор" => ("Фёдорович".into(), "Фёдоровна".into()),
        "Артём" => ("Артёмович".into(), "Артёмовна".into()),
        "Марк" => ("Маркович".into(), "Марковна".into()),
        "Макар" => ("Макарович".into(), "Макаровна".into()),
        f if f.ends_with('й') => {
            let stem: String = f.chars().take(f.chars().count() - 1).collect();
            (format!("{stem}евич"), format!("{stem}евна"))
        }
        f if f.ends_with('а') => {
            let stem: String = f.chars().take(f.chars().count() - 1).collect();
            (format!("{stem}ич"), format!("{stem}ична"))
        }
        f => (format!("{f}ович"), format!("{f}овна")),
    }
}

const DOMAINS: &[&str] = &[
    "mail.ru",
    "yandex.ru",
    "gmail.com",
    "bk.ru",
    "list.ru",
    "inbox.ru",
    "rambler.ru",
];

fn translit(s: &str) -> String {
    let mut out = String::new();
    for c in s.to_lowercase().chars() {
        let t = match c {
            'а' => "a",
            'б' => "b",
            'в' => "v",
            'г' => "g",
            'д' => "d",
            'е' | 'ё' | 'э' => "e",
            'ж' => "zh",
            'з' => "z",
            'и' | 'й' | 'ы' => "i",
            'к' => "k",
            'л' => "l",
            'м' => "m",
            'н' => "n",
            'о' => "o",
            'п' => "p",
            'р' => "r",
            'с' => "s",
            'т' => "t",
            'у' => "u",
            'ф' => "f",
            'х' => "h",
            'ц' => "ts",
            'ч' => "ch",
            'ш' => "sh",
            'щ' => "sch",
            'ю' => "yu",
            'я' => "ya",
            _ => "",
        };
        out.push_str(t);
    }
    out
}

/// A person as Госуслуги knows them.
#[derive(Debug, Clone, PartialEq)]
pub struct TruePerson {
    pub surname: String,
    pub name: String,
    pub patronymic: String,
    pub male: bool,
    pub birth: NaiveDate,
    /// 11 digits.
    pub snils: String,
    /// 10 digits.
    pub phone: String,
    pub email: String,
}

impl TruePerson {
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

fn random_snils(rng: &mut Rng, used: &mut HashSet<String>) -> String {
    loop {
        let mut first = [0u8; 9];
        for d in &mut first {
            *d = rng.below(10) as u8;
        }
        // Above 001-001-998, where the check number applies.
        if first[0] == 0 && first[1] == 0 {
            first[1] = 1 + rng.below(9) as u8;
        }
        let check = check_number(&first);
        let s: String = first
            .iter()
            .map(|d| char::from(b'0' + d))
            .collect::<String>()
            + &format!("{check:02}");
        if used.insert(s.clone()) {
            return s;
        }
    }
}

fn random_date(rng: &mut Rng, from_year: i32, to_year: i32) -> NaiveDate {
    let span = (to_year - from_year + 1).max(1) as usize;
    let y = from_year + rng.below(span) as i32;
    let m = 1 + rng.below(12) as u32;
    let d = 1 + rng.below(28) as u32;
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

fn random_person(
    rng: &mut Rng,
    used: &mut HashSet<String>,
    years: (i32, i32),
    male: bool,
    surname_pair: (&str, &str),
    father: &str,
) -> TruePerson {
    let (pm, pf) = patronymics(father);
    let name = if male {
        rng.pick(MALE_NAMES).to_string()
    } else {
        rng.pick(FEMALE_NAMES).to_string()
    };
    let surname = if male { surname_pair.0 } else { surname_pair.1 }.to_string();
    let phone = format!("9{:09}", rng.next_u64() % 1_000_000_000);
    let email = format!(
        "{}.{}{}@{}",
        translit(&name),
        translit(&surname),
        rng.below(100),
        rng.pick(DOMAINS)
    );
    TruePerson {
        surname,
        name,
        patronymic: if male { pm } else { pf },
        male,
        birth: random_date(rng, years.0, years.1),
        snils: random_snils(rng, used),
        phone,
        email,
    }
}

/// The kinds of differences the generator injects into cards.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ErrorKind {
    Homoglyph,
    YoE,
    Spaces,
    Case,
    Typo,
    NoPatronymic,
    BirthMissing,
    DayMonthSwap,
    YearOff,
    SexWrong,
    SnilsDigit,
    SnilsSwap,
    SnilsMissing,
    PhoneOther,
    PhoneMissing,
    EmailOther,
    EmailMissing,
}

impl ErrorKind {
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
    pub diffs: Vec<(Field, ErrorKind)>,
}

/// A generated export (one sheet) with appeals and their truth.
#[derive(Debug, Clone)]
pub struct Synth {
    pub grid: Grid,
    /// ПОС card texts, one per appeal.
    pub appeals: Vec<String>,
    pub truth: Vec<AppealTruth>,
}

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct SynthConfig {
    pub seed: u64,
    pub pupils: usize,
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

const GROUP_FIELDS: [&str; 9] = [
    "Степень родства",
    "Фамилия",
    "Имя",
    "Отчество",
    "Дата рождения",
    "Пол",
    "СНИЛС",
    "Мобильный телефон",
    "E-mail",
];

/// Column of a field: pupil columns start at 3; parent group g at 12 + 9g.
fn col_of(group: Option<usize>, field: Field) -> u32 {
    let offset = match field {
        Field::Surname => 0,
        Field::Name => 1,
        Field::Patronymic => 2,
        Field::BirthDate => 3,
        Field::Sex => 4,
        Field::Snils => 5,
        Field::Phone => 6,
        Field::Email => 7,
    };
    match group {
        None => 3 + offset,
        Some(g) => 12 + 9 * g as u32 + 1 + offset,
    }
}

/// Header row index.
pub const HEADER_ROW: u32 = 2;

fn put(grid: &mut Grid, row: u32, col: u32, v: CellValue) {
    grid.insert(row, col, v);
}

fn text(s: &str) -> CellValue {
    CellValue::Text(s.into())
}

fn write_person(grid: &mut Grid, row: u32, group: Option<usize>, p: &TruePerson, rng: &mut Rng) {
    let c = |f| col_of(group, f);
    put(grid, row, c(Field::Surname), text(&p.surname));
    put(grid, row, c(Field::Name), text(&p.name));
    put(grid, row, c(Field::Patronymic), text(&p.patronymic));
    put(
        grid,
        row,
        c(Field::BirthDate),
        CellValue::Date(sverka::norm::date::to_excel_serial(p.birth)),
    );
    put(
        grid,
        row,
        c(Field::Sex),
        text(if p.male { "М" } else { "Ж" }),
    );
    put(grid, row, c(Field::Snils), text(&p.snils_dashed()));
    // Phones in the shapes real exports mix; all mean the same number.
    let d = &p.phone;
    let g = |a: usize, b: usize| d.get(a..b).unwrap_or("");
    let phone = match rng.below(4) {
        0 => format!("+7 {} {} {} {}", g(0, 3), g(3, 6), g(6, 8), g(8, 10)),
        1 => format!("8 ({}) {}-{}-{}", g(0, 3), g(3, 6), g(6, 8), g(8, 10)),
        2 => format!("7{d}"),
        _ => format!("8{d}"),
    };
    put(grid, row, c(Field::Phone), text(&phone));
    put(grid, row, c(Field::Email), text(&p.email));
}

const LATIN_TWINS: [(char, char); 7] = [
    ('а', 'a'),
    ('е', 'e'),
    ('о', 'o'),
    ('р', 'p'),
    ('с', 'c'),
    ('х', 'x'),
    ('у', 'y'),
];

/// Injects one difference of `kind` into the card of the person at (row, group); returns the
/// field it touched, or `None` when the value does not allow that kind.
fn inject(
    grid: &mut Grid,
    row: u32,
    group: Option<usize>,
    p: &TruePerson,
    kind: ErrorKind,
    rng: &mut Rng,
    used: &mut HashSet<String>,
) -> Option<Field> {
    let name_field = |rng: &mut Rng| *rng.pick(&[Field::Surname, Field::Name, Field::Patronymic]);
    let value_of = |f: Field| match f {
        Field::Surname => p.surname.clone(),
        Field::Name => p.name.clone(),
        _ => p.patronymic.clone(),
    };
    let (field, value): (Field, Option<CellValue>) = match kind {
        ErrorKind::Homoglyph => {
            let f = name_field(rng);
            let v = value_of(f);
            let spots: Vec<(usize, char)> = v
                .chars()
                .enumerate()
                .filter_map(|(i, ch)| {
                    LATIN_TWINS
                        .iter()
                        .find(|(cy, _)| *cy == ch)
                        .map(|(_, la)| (i, *la))
                })
                .collect();
            if spots.is_empty() {
                return None;
            }
            let (at, la) = *rng.pick(&spots);
            let s: String = v
                .chars()
                .enumerate()
                .map(|(i, ch)| if i == at { la } else { ch })
                .collect();
            (f, Some(text(&s)))
        }
        ErrorKind::YoE => {
            let f = [Field::Surname, Field::Name, Field::Patronymic]
                .into_iter()
                .find(|f| value_of(*f).contains('ё'))?;
            (f, Some(text(&value_of(f).replace('ё', "е"))))
        }
        ErrorKind::Spaces => {
            let f = name_field(rng);
            let v = value_of(f);
            let s = if rng.chance(0.5) {
                format!("{v} ")
            } else {
                format!(" {v}")
            };
            (f, Some(text(&s)))
        }
        ErrorKind::Case => {
            let f = name_field(rng);
            let v = value_of(f);
            if v.contains(' ') {
                return None;
            }
            (f, Some(text(&v.to_lowercase())))
        }
        ErrorKind::Typo => {
            let f = name_field(rng);
            let v: Vec<char> = value_of(f).chars().collect();
            if v.len() < 5 {
                return None;
            }
            let i = 1 + rng.below(v.len() - 3);
            if v.get(i) == v.get(i + 1) {
                return None;
            }
            let mut w = v.clone();
            w.swap(i, i + 1);
            (f, Some(text(&w.iter().collect::<String>())))
        }
        ErrorKind::NoPatronymic => (Field::Patronymic, None),
        ErrorKind::BirthMissing => (Field::BirthDate, None),
        ErrorKind::DayMonthSwap => {
            let b = p.birth;
            if b.day() > 12 || b.day() == b.month() {
                return None;
            }
            let s = NaiveDate::from_ymd_opt(b.year(), b.day(), b.month())?;
            (
                Field::BirthDate,
                Some(CellValue::Date(sverka::norm::date::to_excel_serial(s))),
            )
        }
        ErrorKind::YearOff => {
            let b = p.birth;
            let y = if rng.chance(0.5) { 1 } else { -1 };
            let s = NaiveDate::from_ymd_opt(b.year() + y, b.month(), b.day())?;
            (
                Field::BirthDate,
                Some(CellValue::Date(sverka::norm::date::to_excel_serial(s))),
            )
        }
        ErrorKind::SexWrong => (Field::Sex, Some(text(if p.male { "Ж" } else { "М" }))),
        ErrorKind::SnilsDigit | ErrorKind::SnilsSwap => {
            let mut d: Vec<u8> = p.snils.bytes().collect();
            if kind == ErrorKind::SnilsDigit {
                let i = rng.below(11);
                let old = d.get(i).copied()?;
                let new = b'0' + ((old - b'0' + 1 + rng.below(9) as u8) % 10);
                *d.get_mut(i)? = new;
            } else {
                let spots: Vec<usize> = (0..10).filter(|&i| d.get(i) != d.get(i + 1)).collect();
                if spots.is_empty() {
                    return None;
                }
                let i = *rng.pick(&spots);
                d.swap(i, i + 1);
            }
            let s = String::from_utf8(d).ok()?;
            let t = TruePerson {
                snils: s,
                ..p.clone()
            };
            (Field::Snils, Some(text(&t.snils_dashed())))
        }
        ErrorKind::SnilsMissing => (Field::Snils, None),
        ErrorKind::PhoneOther => (
            Field::Phone,
            Some(text(&format!("+7 9{:09}", rng.next_u64() % 1_000_000_000))),
        ),
        ErrorKind::PhoneMissing => (Field::Phone, None),
        ErrorKind::EmailOther => (
            Field::Email,
            Some(text(&format!(
                "{}{}@{}",
                translit(&p.surname),
                rng.below(1000),
                rng.pick(DOMAINS)
            ))),
        ),
        ErrorKind::EmailMissing => (Field::Email, None),
    };
    let _ = used;
    let col = col_of(group, field);
    match value {
        Some(v) => put(grid, row, col, v),
        None => {
            grid.remove(row, col);
        }
    }
    Some(field)
}

/// A ПОС card for `p` in one of the layouts officers paste.
fn appeal_text(p: &TruePerson, number: usize, rng: &mut Rng, mask_snils: bool) -> String {
    let layout = rng.below(4);
    let sep = match layout {
        0 => " ",
        1 => "\n",
        2 => "\t",
        _ => ": ",
    };
    let d = &p.phone;
    let g = |a: usize, b: usize| d.get(a..b).unwrap_or("");
    let phone = match rng.below(3) {
        0 => format!("+7({}){}-{}-{}", g(0, 3), g(3, 6), g(6, 8), g(8, 10)),
        1 => format!("8{d}"),
        _ => format!("+7 {} {}-{}-{}", g(0, 3), g(3, 6), g(6, 8), g(8, 10)),
    };
    let snils = if mask_snils {
        format!(
            "{}____ {}",
            p.snils.get(0..1).unwrap_or("1"),
            p.snils.get(9..11).unwrap_or("00")
        )
    } else {
        p.snils_dashed()
    };
    let lines = [
        (
            "Номер сообщения ЕПГУ",
            format!("{}", 3_000_000_000u64 + number as u64),
        ),
        ("Заявитель", String::new()),
        ("Информация о гражданине", String::new()),
        ("Фамилия", p.surname.clone()),
        ("Имя", p.name.clone()),
        ("Отчество", p.patronymic.clone()),
        ("Дата рождения", sverka::norm::date::format_ru(p.birth)),
        ("СНИЛС", snils),
        (
            "Адрес места жительства",
            "Камчатский край, г. Петропавловск-Камчатский".into(),
        ),
        ("Электронная почта", p.email.clone()),
        ("Тел.", phone),
        ("Тип учетной записи ЕСИА", "Подтвержденная".into()),
    ];
    let mut out = format!("Сообщение {}\n", 2_500_000 + number);
    for (label, value) in lines {
        if value.is_empty() {
            out.push_str(label);
            out.push('\n');
        } else {
            out.push_str(label);
            out.push_str(sep);
            out.push_str(&value);
            out.push('\n');
        }
    }
    out.push_str("Текст сообщения\nНе получается войти в Сетевой город через Госуслуги.\n");
    out
}

/// Generates an export and appeals.
pub fn generate(cfg: &SynthConfig) -> Synth {
    let mut rng = Rng::new(cfg.seed);
    let mut used = HashSet::new();
    let mut grid = Grid::new("Ученики");
    put(
        &mut grid,
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
        put(&mut grid, HEADER_ROW, c as u32, text(h));
    }

    // People: pupils with a mother and a father.
    let mut people: Vec<(u32, Option<usize>, TruePerson)> = Vec::new();
    let classes = [
        "1А", "2Б", "3В", "4А", "5Б", "6В", "7А", "8Б", "9В", "10А", "11Б",
    ];
    for i in 0..cfg.pupils {
        let row = HEADER_ROW + 1 + i as u32;
        let family = *rng.pick(SURNAMES);
        let father_name = rng.pick(MALE_NAMES).to_string();
        let grandfather = rng.pick(MALE_NAMES).to_string();
        let male = rng.chance(0.5);
        let pupil = random_person(
            &mut rng,
            &mut used,
            (2008, 2019),
            male,
            family,
            &father_name,
        );
        let mother = random_person(
            &mut rng,
            &mut used,
            (1972, 1994),
            false,
            family,
            &grandfather,
        );
        let mut father = random_person(
            &mut rng,
            &mut used,
            (1968, 1992),
            true,
            family,
            &grandfather,
        );
        father.name = father_name.clone();
        put(&mut grid, row, 0, CellValue::Number(100_000.0 + i as f64));
        put(&mut grid, row, 1, CellValue::Number(1.0 + i as f64));
        let class = *rng.pick(&classes);
        put(&mut grid, row, 2, text(class));
        write_person(&mut grid, row, None, &pupil, &mut rng);
        put(
            &mut grid,
            row,
            11,
            text(&format!(
                "г. Петропавловск-Камчатский, ул. Ленинская, д. {}",
                1 + i % 90
            )),
        );
        put(&mut grid, row, 12, text("Мать"));
        write_person(&mut grid, row, Some(0), &mother, &mut rng);
        put(&mut grid, row, 21, text("Отец"));
        write_person(&mut grid, row, Some(1), &father, &mut rng);
        for e in 0..cfg.extra_columns {
            put(
                &mut grid,
                row,
                30 + e as u32,
                text(&format!("доп. {}", rng.below(1000))),
            );
        }
        people.push((row, None, pupil));
        people.push((row, Some(0), mother));
        people.push((row, Some(1), father));
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
            if let Some(f) = inject(&mut grid, row, group, &p, kind, &mut rng, &mut used) {
                // A second error in the same cell replaces the first.
                diffs.retain(|d| d.0 != f);
                diffs.push((f, kind));
            }
        }
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

#[cfg(test)]
mod tests {
    use super::*;

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
