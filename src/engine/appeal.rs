//! ПОС appeals: the citizen's data as Госуслуги has it, read from what the officer pastes or
//! loads — the appeal card's text (label and value separated by a space, a colon, a tab or a
//! line break, fields in any order, several cards in one paste), `.json` (one object or a
//! list), and `.csv`/`.xlsx` tables with one appeal per row.
//!
//! Masked or empty values (`_____`, `1____ 71`, `***`) are unknown, never guessed; anything
//! unreadable becomes a Russian warning on the appeal, never a panic.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::engine::field::Field;
use crate::norm::phone::Phone;
use crate::norm::sex::Sex;
use crate::norm::snils::{Snils, SnilsError};
use crate::norm::{date, email, fio, phone, sex, snils};

/// Largest text accepted as a paste.
pub const MAX_PASTE_BYTES: usize = 4 * 1024 * 1024;
/// Largest appeal file accepted.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// One appeal: who the citizen is according to Госуслуги.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Appeal {
    /// Where it came from: a file name, `вставка N`, `file.txt#2` for the second card of a file.
    pub source: String,
    /// The ПОС message number (`Сообщение 2516169`).
    pub number: Option<String>,
    /// «Номер сообщения ЕПГУ».
    pub epgu_number: Option<String>,
    pub surname: Option<String>,
    pub name: Option<String>,
    pub patronymic: Option<String>,
    pub birth_date: Option<NaiveDate>,
    pub sex: Option<Sex>,
    pub snils: Option<Snils>,
    pub phone: Option<Phone>,
    pub email: Option<String>,
    /// Every label and value as written, in order (address, account type, message text…).
    pub raw: Vec<(String, String)>,
    /// What could not be read, in Russian.
    pub warnings: Vec<String>,
}

impl Appeal {
    /// The value of a field as shown to the officer: dates `dd.mm.yyyy`, СНИЛС
    /// `XXX-XXX-XXX YY`, phones `+7 XXX XXX XX XX`.
    pub fn value_text(&self, f: Field) -> Option<String> {
        match f {
            Field::Surname => self.surname.clone(),
            Field::Name => self.name.clone(),
            Field::Patronymic => self.patronymic.clone(),
            Field::BirthDate => self.birth_date.map(date::format_ru),
            Field::Sex => self.sex.map(|s| s.word().to_string()),
            Field::Snils => self.snils.map(|s| s.formatted()),
            Field::Phone => self
                .phone
                .as_ref()
                .map(|p| p.format_as(phone::PhoneStyle::Plus7Spaced)),
            Field::Email => self.email.clone(),
        }
    }

    /// The appeal's message as the citizen wrote it (the «Текст сообщения» of the ПОС card,
    /// or a `Текст обращения` / `message` column or key), `None` when the appeal has none.
    pub fn message(&self) -> Option<&str> {
        self.raw
            .iter()
            .find(|(label, text)| {
                !text.trim().is_empty() && exact_label(label) == Some(Label::Message)
            })
            .map(|(_, text)| text.trim())
    }

    /// The fields this appeal knows.
    pub fn known_fields(&self) -> Vec<Field> {
        Field::ALL
            .into_iter()
            .filter(|f| self.value_text(*f).is_some())
            .collect()
    }

    /// «Орлов Тимофей Павлович, 14.04.2010».
    pub fn title(&self) -> String {
        let name: Vec<&str> = [&self.surname, &self.name, &self.patronymic]
            .into_iter()
            .filter_map(|s| s.as_deref())
            .collect();
        let mut t = if name.is_empty() {
            "без ФИО".to_string()
        } else {
            name.join(" ")
        };
        if let Some(d) = self.birth_date {
            t.push_str(", ");
            t.push_str(&date::format_ru(d));
        }
        t
    }

    fn has_person_data(&self) -> bool {
        self.surname.is_some()
            || self.name.is_some()
            || self.snils.is_some()
            || self.birth_date.is_some()
            || self.phone.is_some()
            || self.email.is_some()
    }

    fn has_any_label(&self) -> bool {
        self.has_person_data() || !self.warnings.is_empty()
    }
}

/// Why appeals could not be read.
#[derive(Debug, thiserror::Error)]
pub enum AppealError {
    #[error("Текст обращения пустой.")]
    Empty,
    #[error(
        "В тексте не найдено данных гражданина (Фамилия, Имя, Дата рождения, СНИЛС…). Скопируйте карточку обращения из ПОС целиком."
    )]
    NoPersonData,
    #[error(
        "Слишком большой объём ({} КБ): это не карточка обращения. Вставьте одну или несколько карточек из ПОС.",
        .bytes / 1024
    )]
    TooLarge { bytes: u64 },
    #[error(
        "Файл JSON не разобран: ошибка в строке {line}, позиция {column}. Проверьте, что файл сохранён целиком."
    )]
    JsonSyntax {
        line: usize,
        column: usize,
        #[source]
        source: serde_json::Error,
    },
    #[error("Файл JSON не разобран: {0}.")]
    JsonShape(&'static str),
    #[error(
        "Таблица обращений не разобрана: не найдена строка заголовков (нужны столбцы «Фамилия», «Имя», «СНИЛС»…)."
    )]
    TableNoHeader,
    #[error("Таблица обращений не разобрана: в книге нет листов.")]
    TableNoSheets,
    #[error("Таблица обращений не разобрана: файл повреждён или это не таблица (.xlsx, .csv).")]
    TableUnreadable(#[source] Option<calamine::Error>),
    #[error("Папка «{}» не читается: {}.", .path.display(), crate::os_error::io_error_ru(.source))]
    FolderUnreadable {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("Файл не прочитан: {}", io_text(.path, .source))]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "Формат «{0}» не поддерживается: обращения загружаются из .txt, .json, .csv или .xlsx."
    )]
    UnknownFormat(String),
}

/// A label that can start a line of the card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Label {
    Field(Field),
    Epgu,
    /// A label whose value is kept in `raw` only (address, account type).
    Other(&'static str),
    /// A section title with no value (`Заявитель`).
    Section,
    /// `Текст сообщения`: free text follows.
    Message,
}

/// Known labels, lower case. Longer ones first where one is a prefix of another.
const LABELS: &[(&str, Label)] = &[
    ("номер сообщения епгу", Label::Epgu),
    ("номер обращения епгу", Label::Epgu),
    ("номер епгу", Label::Epgu),
    ("информация о гражданине", Label::Section),
    ("заявитель", Label::Section),
    ("текст сообщения", Label::Message),
    ("текст обращения", Label::Message),
    ("фамилия", Label::Field(Field::Surname)),
    ("имя", Label::Field(Field::Name)),
    ("отчество", Label::Field(Field::Patronymic)),
    ("дата рождения", Label::Field(Field::BirthDate)),
    ("дата рожд.", Label::Field(Field::BirthDate)),
    ("пол", Label::Field(Field::Sex)),
    ("снилс", Label::Field(Field::Snils)),
    ("мобильный телефон", Label::Field(Field::Phone)),
    ("контактный телефон", Label::Field(Field::Phone)),
    ("телефон", Label::Field(Field::Phone)),
    ("тел.", Label::Field(Field::Phone)),
    ("тел", Label::Field(Field::Phone)),
    ("электронная почта", Label::Field(Field::Email)),
    ("эл. почта", Label::Field(Field::Email)),
    ("e-mail", Label::Field(Field::Email)),
    ("email", Label::Field(Field::Email)),
    (
        "адрес места жительства",
        Label::Other("Адрес места жительства"),
    ),
    ("адрес регистрации", Label::Other("Адрес регистрации")),
    (
        "тип учетной записи есиа",
        Label::Other("Тип учетной записи ЕСИА"),
    ),
    (
        "тип учётной записи есиа",
        Label::Other("Тип учетной записи ЕСИА"),
    ),
    (
        "тип учетной записи",
        Label::Other("Тип учетной записи ЕСИА"),
    ),
    ("статус", Label::Other("Статус")),
];

/// English keys accepted in JSON and table headers.
fn english_label(key: &str) -> Option<Label> {
    Some(match key {
        "surname" | "last_name" => Label::Field(Field::Surname),
        "name" | "first_name" => Label::Field(Field::Name),
        "patronymic" | "middle_name" => Label::Field(Field::Patronymic),
        "birth_date" | "birthdate" => Label::Field(Field::BirthDate),
        "sex" | "gender" => Label::Field(Field::Sex),
        "snils" => Label::Field(Field::Snils),
        "phone" => Label::Field(Field::Phone),
        "email" | "e-mail" => Label::Field(Field::Email),
        "epgu" | "epgu_number" => Label::Epgu,
        "message" | "text" => Label::Message,
        _ => return None,
    })
}

/// A whole cell or key as a label (tables, JSON): exact match after normalising.
fn exact_label(key: &str) -> Option<Label> {
    let k = key
        .trim()
        .trim_end_matches(':')
        .trim()
        .to_lowercase()
        .replace('ё', "е");
    if let Some(l) = english_label(&k) {
        return Some(l);
    }
    match k.as_str() {
        "телефон" | "тел." | "тел" | "мобильный телефон" => {
            return Some(Label::Field(Field::Phone));
        }
        "номер" | "номер сообщения" | "номер обращения" | "сообщение" | "обращение" =>
        {
            return Some(Label::Other("Номер"));
        }
        _ => {}
    }
    LABELS
        .iter()
        .find(|(l, _)| l.replace('ё', "е") == k)
        .map(|(_, lab)| *lab)
}

/// If `line` starts with a label, the label and the rest of the line (the value, maybe empty).
fn split_label(line: &str) -> Option<(Label, String)> {
    let lower = line.to_lowercase().replace('ё', "е");
    for (label, kind) in LABELS {
        let l = label.replace('ё', "е");
        let Some(rest_lower) = lower.strip_prefix(&l) else {
            continue;
        };
        // The label must end at a separator: `Имя Анна`, `Имя: Анна`, `Имя\tАнна`, `Имя`.
        let boundary = rest_lower.is_empty()
            || label.ends_with('.')
            || rest_lower.starts_with([' ', '\t', ':', '\u{a0}']);
        if !boundary {
            continue;
        }
        // Same char count in the original (lower-casing keeps Cyrillic/Latin lengths).
        let skip = l.chars().count();
        let rest: String = line.chars().skip(skip).collect();
        let value = rest
            .trim_start_matches([' ', '\t', ':', '\u{a0}'])
            .trim()
            .to_string();
        return Some((*kind, value));
    }
    None
}

/// `Сообщение 2516169`, `Обращение № 12`: the start of a card, with its number.
fn card_header(line: &str) -> Option<String> {
    let lower = line.to_lowercase();
    let rest = lower
        .strip_prefix("сообщение")
        .or_else(|| lower.strip_prefix("обращение"))?;
    let rest = rest.trim().trim_start_matches('№').trim();
    (!rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit())).then(|| rest.to_string())
}

/// A value that stands for "nothing" or hides the real one.
fn is_placeholder(v: &str) -> bool {
    let t = v.trim();
    if t.is_empty() {
        return true;
    }
    let lower = t.to_lowercase();
    if [
        "нет",
        "не указан",
        "не указано",
        "не указана",
        "отсутствует",
        "null",
        "none",
    ]
    .contains(&lower.as_str())
    {
        return true;
    }
    t.chars().all(|c| {
        matches!(
            c,
            '_' | '*' | '-' | '—' | '–' | '.' | ' ' | 'х' | 'Х' | 'x' | 'X'
        )
    })
}

fn is_masked(v: &str) -> bool {
    v.contains('*') || v.contains("__") || v.contains('•')
}

/// Sets a field of `a` from a written value, with warnings for what cannot be read.
fn set_field(a: &mut Appeal, field: Field, value: &str) {
    let v = value.trim();
    let label = field.label_ru();
    if is_placeholder(v) {
        if !v.is_empty() {
            a.warnings.push(format!(
                "{label} в обращении не указано или скрыто («{v}») — не учитывается."
            ));
        }
        return;
    }
    match field {
        Field::Surname | Field::Name | Field::Patronymic => {
            if is_masked(v) {
                a.warnings
                    .push(format!("{label} в обращении скрыто («{v}») — не учитывается."));
                return;
            }
            let n = fio::normalize(v);
            let slot = match field {
                Field::Surname => &mut a.surname,
                Field::Name => &mut a.name,
                _ => &mut a.patronymic,
            };
            *slot = Some(n);
        }
        Field::BirthDate => match date::parse(v) {
            Ok(d) => a.birth_date = Some(d),
            Err(e) => a
                .warnings
                .push(format!("Дата рождения «{v}» не учитывается: {e}.")),
        },
        Field::Sex => match sex::parse(v) {
            Ok(s) => a.sex = Some(s),
            Err(e) => a.warnings.push(format!("Пол «{v}» не учитывается: {e}.")),
        },
        Field::Snils => match snils::parse(v) {
            Ok(s) => a.snils = Some(s),
            Err(SnilsError::Masked) => a.warnings.push(format!(
                "СНИЛС в обращении скрыт («{v}») — не учитывается; попросите заявителя назвать СНИЛС полностью."
            )),
            Err(e) => a
                .warnings
                .push(format!("СНИЛС «{v}» не учитывается: {e}.")),
        },
        Field::Phone => {
            if is_masked(v) {
                a.warnings
                    .push(format!("Телефон в обращении скрыт («{v}») — не учитывается."));
                return;
            }
            match phone::parse(v) {
                Ok(p) => a.phone = Some(p),
                Err(e) => a
                    .warnings
                    .push(format!("Телефон «{v}» не учитывается: {e}.")),
            }
        }
        Field::Email => {
            if is_masked(v) {
                a.warnings.push(format!(
                    "Электронная почта в обращении скрыта («{v}») — не учитывается."
                ));
                return;
            }
            match email::validate(v) {
                Ok(()) => a.email = Some(email::normalize(v)),
                Err(e) => {
                    a.warnings
                        .push(format!("Адрес почты «{v}» вызывает сомнение: {e}."));
                    if v.contains('@') {
                        a.email = Some(email::normalize(v));
                    }
                }
            }
        }
    }
}

fn apply_label(a: &mut Appeal, label: Label, value: &str, raw_label: &str) {
    a.raw.push((raw_label.to_string(), value.to_string()));
    match label {
        Label::Field(f) => set_field(a, f, value),
        Label::Epgu => {
            let digits: String = value.chars().filter(char::is_ascii_digit).collect();
            if !digits.is_empty() {
                a.epgu_number = Some(digits);
            }
        }
        Label::Other("Номер") => {
            let digits: String = value.chars().filter(char::is_ascii_digit).collect();
            if !digits.is_empty() {
                a.number = Some(digits);
            }
        }
        Label::Other(_) | Label::Section | Label::Message => {}
    }
}

fn label_name(label: Label) -> &'static str {
    match label {
        Label::Field(f) => f.label_ru(),
        Label::Epgu => "Номер сообщения ЕПГУ",
        Label::Other(s) => s,
        Label::Section => "Раздел",
        Label::Message => "Текст сообщения",
    }
}

/// Parses pasted text: one or several ПОС cards.
pub fn parse_text(text: &str, source: &str) -> Result<Vec<Appeal>, AppealError> {
    if text.len() > MAX_PASTE_BYTES {
        return Err(AppealError::TooLarge {
            bytes: text.len() as u64,
        });
    }
    let text = text.trim_start_matches('\u{feff}');
    if text.trim().is_empty() {
        return Err(AppealError::Empty);
    }
    let mut cards: Vec<Appeal> = Vec::new();
    let mut cur = Appeal::default();
    let mut pending: Option<Label> = None;
    let mut in_message = false;
    let mut message = String::new();

    let finish = |cur: &mut Appeal, message: &mut String, cards: &mut Vec<Appeal>| {
        if !message.trim().is_empty() {
            cur.raw
                .push(("Текст сообщения".into(), message.trim().to_string()));
        }
        message.clear();
        let done = std::mem::take(cur);
        if done.has_any_label() {
            cards.push(done);
        }
    };

    for raw_line in text.lines() {
        let line = raw_line.trim();
        if line.is_empty() {
            continue;
        }
        if let Some(number) = card_header(line) {
            if cur.has_any_label() || cur.number.is_some() {
                finish(&mut cur, &mut message, &mut cards);
            }
            cur.number = Some(number);
            pending = None;
            in_message = false;
            continue;
        }
        let labelled = split_label(line);
        if in_message {
            // A new card without a header line starts with «Фамилия».
            let new_card = matches!(labelled, Some((Label::Field(Field::Surname), _)))
                || matches!(labelled, Some((Label::Epgu, _)));
            if !new_card {
                message.push_str(line);
                message.push('\n');
                continue;
            }
            finish(&mut cur, &mut message, &mut cards);
            in_message = false;
        }
        match labelled {
            Some((Label::Message, value)) => {
                in_message = true;
                pending = None;
                if !value.is_empty() {
                    message.push_str(&value);
                    message.push('\n');
                }
            }
            Some((Label::Section, _)) => pending = None,
            Some((label, value)) => {
                // A second «Фамилия» in the same card starts the next card.
                if label == Label::Field(Field::Surname) && cur.surname.is_some() {
                    finish(&mut cur, &mut message, &mut cards);
                }
                if value.is_empty() {
                    pending = Some(label);
                } else {
                    apply_label(&mut cur, label, &value, label_name(label));
                    pending = None;
                }
            }
            None => match pending.take() {
                Some(label) => apply_label(&mut cur, label, line, label_name(label)),
                None => cur.raw.push((String::new(), line.to_string())),
            },
        }
    }
    finish(&mut cur, &mut message, &mut cards);
    let cards: Vec<Appeal> = cards.into_iter().filter(Appeal::has_person_data).collect();
    if cards.is_empty() {
        return Err(AppealError::NoPersonData);
    }
    Ok(name_sources(cards, source))
}

fn name_sources(mut cards: Vec<Appeal>, source: &str) -> Vec<Appeal> {
    let many = cards.len() > 1;
    for (i, c) in cards.iter_mut().enumerate() {
        c.source = if many {
            format!("{source}#{}", i + 1)
        } else {
            source.to_string()
        };
    }
    cards
}

fn from_pairs<'a>(pairs: impl Iterator<Item = (&'a str, String)>) -> Appeal {
    let mut a = Appeal::default();
    for (key, value) in pairs {
        match exact_label(key) {
            Some(label) => apply_label(&mut a, label, &value, key.trim()),
            None => a.raw.push((key.trim().to_string(), value)),
        }
    }
    a
}

/// Parses JSON: one appeal object or a list; keys are the card's Russian labels or the English
/// field names (`surname`, `name`, `patronymic`, `birth_date`, `sex`, `snils`, `phone`, `email`).
pub fn parse_json(text: &str, source: &str) -> Result<Vec<Appeal>, AppealError> {
    if text.len() > MAX_PASTE_BYTES * 4 {
        return Err(AppealError::TooLarge {
            bytes: text.len() as u64,
        });
    }
    let value: serde_json::Value = serde_json::from_str(text.trim_start_matches('\u{feff}'))
        .map_err(|e| AppealError::JsonSyntax {
            line: e.line(),
            column: e.column(),
            source: e,
        })?;
    let items = match value {
        serde_json::Value::Array(v) => v,
        obj @ serde_json::Value::Object(_) => vec![obj],
        _ => {
            return Err(AppealError::JsonShape(
                "ожидается объект обращения или список объектов",
            ));
        }
    };
    let mut out = Vec::new();
    for item in items {
        let serde_json::Value::Object(map) = item else {
            return Err(AppealError::JsonShape(
                "элемент списка — не объект обращения",
            ));
        };
        let pairs = map.iter().filter_map(|(k, v)| {
            let s = match v {
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Number(n) => n.to_string(),
                serde_json::Value::Null => return None,
                other => other.to_string(),
            };
            Some((k.as_str(), s))
        });
        let a = from_pairs(pairs);
        if a.has_person_data() {
            out.push(a);
        }
    }
    if out.is_empty() {
        return Err(AppealError::NoPersonData);
    }
    Ok(name_sources(out, source))
}

/// Windows-1251 upper half (0x80–0xFF) as Unicode.
const CP1251_HIGH: [char; 128] = [
    'Ђ', 'Ѓ', '‚', 'ѓ', '„', '…', '†', '‡', '€', '‰', 'Љ', '‹', 'Њ', 'Ќ', 'Ћ', 'Џ', 'ђ', '‘', '’',
    '“', '”', '•', '–', '—', '\u{98}', '™', 'љ', '›', 'њ', 'ќ', 'ћ', 'џ', '\u{a0}', 'Ў', 'ў', 'Ј',
    '¤', 'Ґ', '¦', '§', 'Ё', '©', 'Є', '«', '¬', '\u{ad}', '®', 'Ї', '°', '±', 'І', 'і', 'ґ', 'µ',
    '¶', '·', 'ё', '№', 'є', '»', 'ј', 'Ѕ', 'ѕ', 'ї', 'А', 'Б', 'В', 'Г', 'Д', 'Е', 'Ж', 'З', 'И',
    'Й', 'К', 'Л', 'М', 'Н', 'О', 'П', 'Р', 'С', 'Т', 'У', 'Ф', 'Х', 'Ц', 'Ч', 'Ш', 'Щ', 'Ъ', 'Ы',
    'Ь', 'Э', 'Ю', 'Я', 'а', 'б', 'в', 'г', 'д', 'е', 'ж', 'з', 'и', 'й', 'к', 'л', 'м', 'н', 'о',
    'п', 'р', 'с', 'т', 'у', 'ф', 'х', 'ц', 'ч', 'ш', 'щ', 'ъ', 'ы', 'ь', 'э', 'ю', 'я',
];

/// Text of a file: UTF-8 (with or without BOM), else Windows-1251.
pub fn decode_text(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => bytes
            .iter()
            .map(|&b| {
                if b < 0x80 {
                    char::from(b)
                } else {
                    CP1251_HIGH
                        .get(usize::from(b - 0x80))
                        .copied()
                        .unwrap_or('\u{fffd}')
                }
            })
            .collect(),
    }
}

/// Splits CSV text into rows of fields (quotes, doubled quotes, line breaks inside quotes).
fn csv_rows(text: &str, delim: char) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    field.push('"');
                    chars.next();
                } else {
                    quoted = false;
                }
            } else {
                field.push(c);
            }
        } else if c == '"' && field.is_empty() {
            quoted = true;
        } else if c == delim {
            row.push(std::mem::take(&mut field));
        } else if c == '\n' || c == '\r' {
            if c == '\r' && chars.peek() == Some(&'\n') {
                chars.next();
            }
            row.push(std::mem::take(&mut field));
            if row.iter().any(|f| !f.trim().is_empty()) {
                rows.push(std::mem::take(&mut row));
            } else {
                row.clear();
            }
        } else {
            field.push(c);
        }
    }
    row.push(field);
    if row.iter().any(|f| !f.trim().is_empty()) {
        rows.push(row);
    }
    rows
}

fn appeals_from_rows(rows: Vec<Vec<String>>, source: &str) -> Result<Vec<Appeal>, AppealError> {
    let header_at = rows
        .iter()
        .take(20)
        .position(|r| {
            r.iter()
                .filter(|c| matches!(exact_label(c), Some(Label::Field(_))))
                .count()
                >= 2
        })
        .ok_or(AppealError::TableNoHeader)?;
    let header = rows.get(header_at).cloned().unwrap_or_default();
    let mut out = Vec::new();
    for row in rows.iter().skip(header_at + 1) {
        let pairs = header
            .iter()
            .zip(row.iter())
            .filter(|(_, v)| !v.trim().is_empty())
            .map(|(k, v)| (k.as_str(), v.clone()));
        let a = from_pairs(pairs);
        if a.has_person_data() {
            out.push(a);
        }
    }
    if out.is_empty() {
        return Err(AppealError::NoPersonData);
    }
    let mut out = name_sources(out, source);
    if out.len() > 1 {
        // Rows are numbered as the officer sees them in the table.
        for (i, a) in out.iter_mut().enumerate() {
            a.source = format!("{source}#{}", i + 1);
        }
    }
    Ok(out)
}

/// Parses a `.csv` (delimiter `;`, `,` or tab, detected) or `.xlsx` table of appeals.
pub fn parse_table(bytes: &[u8], ext: &str, source: &str) -> Result<Vec<Appeal>, AppealError> {
    match ext {
        "csv" | "tsv" => {
            let text = decode_text(bytes);
            let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
            let delim = [';', '\t', ',']
                .into_iter()
                .max_by_key(|d| first.matches(*d).count())
                .unwrap_or(';');
            appeals_from_rows(csv_rows(&text, delim), source)
        }
        "xlsx" | "xlsm" | "xls" | "ods" => {
            use calamine::Reader;
            let cursor = std::io::Cursor::new(bytes.to_vec());
            let rows =
                std::panic::catch_unwind(move || -> Result<Vec<Vec<String>>, AppealError> {
                    let unreadable = |e| AppealError::TableUnreadable(Some(e));
                    let mut book =
                        calamine::open_workbook_auto_from_rs(cursor).map_err(unreadable)?;
                    let first = book
                        .sheet_names()
                        .first()
                        .cloned()
                        .ok_or(AppealError::TableNoSheets)?;
                    let range = book.worksheet_range(&first).map_err(unreadable)?;
                    Ok(range
                        .rows()
                        .map(|r| {
                            r.iter()
                                .map(|c| match c {
                                    calamine::Data::DateTime(d) => {
                                        date::from_excel_serial(d.as_f64())
                                            .map(date::format_ru)
                                            .unwrap_or_else(|| c.to_string())
                                    }
                                    calamine::Data::Float(f) => crate::book::format_number(*f),
                                    other => other.to_string(),
                                })
                                .collect()
                        })
                        .collect())
                })
                .unwrap_or(Err(AppealError::TableUnreadable(None)))?;
            appeals_from_rows(rows, source)
        }
        other => Err(AppealError::UnknownFormat(other.to_string())),
    }
}

/// Loads appeals from a file, by its extension (`.txt`, `.json`, `.csv`, `.xlsx`).
pub fn load_file(path: &Path) -> Result<Vec<Appeal>, AppealError> {
    let io = |source| AppealError::Io {
        path: path.to_path_buf(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if meta.len() > MAX_FILE_BYTES {
        return Err(AppealError::TooLarge { bytes: meta.len() });
    }
    let bytes = std::fs::read(path).map_err(io)?;
    let source = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "txt" | "" => parse_text(&decode_text(&bytes), &source),
        "json" => parse_json(&decode_text(&bytes), &source),
        "csv" | "tsv" | "xlsx" | "xlsm" | "xls" | "ods" => parse_table(&bytes, &ext, &source),
        other => Err(AppealError::UnknownFormat(format!(".{other}"))),
    }
}

/// The kinds of file a folder of appeals is searched for.
pub const FOLDER_EXTENSIONS: [&str; 4] = ["txt", "json", "csv", "xlsx"];

/// What came of one appeal file named by the officer or found in a folder.
#[derive(Debug)]
pub struct LoadedFile {
    pub path: PathBuf,
    pub appeals: Result<Vec<Appeal>, AppealError>,
}

/// Loads the appeals of every path: a file as [`load_file`] reads it, a folder as the appeal
/// files directly inside it ([`FOLDER_EXTENSIONS`], not its subfolders) in name order. The
/// command line and the app both load through here, so a folder means the same to both.
pub fn load_paths(paths: &[PathBuf]) -> Vec<LoadedFile> {
    let mut out = Vec::new();
    for p in paths {
        if !p.is_dir() {
            out.push(LoadedFile {
                path: p.clone(),
                appeals: load_file(p),
            });
            continue;
        }
        match std::fs::read_dir(p) {
            Ok(entries) => {
                let mut inside: Vec<PathBuf> = entries
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|f| {
                        f.is_file()
                            && f.extension()
                                .map(|x| x.to_string_lossy().to_lowercase())
                                .is_some_and(|x| FOLDER_EXTENSIONS.contains(&x.as_str()))
                    })
                    .collect();
                inside.sort();
                out.extend(inside.into_iter().map(|f| LoadedFile {
                    appeals: load_file(&f),
                    path: f,
                }));
            }
            Err(source) => out.push(LoadedFile {
                path: p.clone(),
                appeals: Err(AppealError::FolderUnreadable {
                    path: p.clone(),
                    source,
                }),
            }),
        }
    }
    out
}

/// The Russian reading of an I/O error on an appeal file.
fn io_text(path: &Path, e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => format!("файл «{}» не найден", path.display()),
        _ => format!("«{}»: {}", path.display(), crate::os_error::io_error_ru(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(p: &str) -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(p)
    }

    fn one(text: &str) -> Appeal {
        let mut v = parse_text(text, "t").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(v.len(), 1, "{v:#?}");
        v.remove(0)
    }

    #[test]
    fn every_fixture_appeal_reads_as_its_truth() {
        for set in ["full", "short"] {
            let truth: serde_json::Value = serde_json::from_slice(
                &std::fs::read(fixture(&format!("{set}/truth.json"))).unwrap_or_default(),
            )
            .unwrap_or_default();
            let entries = truth.as_array().cloned().unwrap_or_default();
            assert!(entries.len() >= 12);
            for e in entries {
                let name = e["appeal"].as_str().unwrap_or_default();
                let g = &e["gosuslugi"];
                let list = load_file(&fixture(&format!("{set}/appeals/{name}")))
                    .unwrap_or_else(|err| panic!("{name}: {err}"));
                assert_eq!(list.len(), 1, "{name}");
                let a = &list[0];
                let s = |k: &str| g[k].as_str().map(str::to_string);
                assert_eq!(a.surname, s("Фамилия"), "{set}/{name}");
                assert_eq!(a.name, s("Имя"), "{set}/{name}");
                assert_eq!(a.patronymic, s("Отчество"), "{set}/{name}");
                assert_eq!(
                    a.birth_date.map(|d| d.format("%Y-%m-%d").to_string()),
                    s("Дата рождения"),
                    "{set}/{name}"
                );
                assert_eq!(
                    a.snils.map(|x| x.digits_string()),
                    s("СНИЛС"),
                    "{set}/{name}"
                );
                assert_eq!(
                    a.phone.as_ref().map(|p| p.national().to_string()),
                    s("Телефон"),
                    "{set}/{name}"
                );
                assert_eq!(a.email, s("E-mail"), "{set}/{name}");
                assert_eq!(a.epgu_number, g["epgu"].as_u64().map(|n| n.to_string()));
                assert_eq!(a.number, g["id"].as_u64().map(|n| n.to_string()));
                assert!(a.warnings.is_empty(), "{name}: {:?}", a.warnings);
            }
        }
    }

    #[test]
    fn all_layouts_read_the_same() {
        let want = one(
            "Фамилия Иванов\nИмя Пётр\nОтчество Сергеевич\nДата рождения 01.02.2015\nСНИЛС 112-233-445 95\nТел. +7 900 123-45-67\nЭлектронная почта Petr@Mail.ru",
        );
        for text in [
            "Фамилия: Иванов\nИмя: Пётр\nОтчество: Сергеевич\nДата рождения: 01.02.2015\nСНИЛС: 112-233-445 95\nТел.: 89001234567\nЭлектронная почта: petr@mail.ru",
            "Фамилия\tИванов\nИмя\tПётр\nОтчество\tСергеевич\nДата рождения\t01.02.2015\nСНИЛС\t11223344595\nТел.\t+7(900)123-45-67\nЭлектронная почта\tpetr@mail.ru",
            "Фамилия\nИванов\nИмя\nПётр\nОтчество\nСергеевич\nДата рождения\n01.02.2015\nСНИЛС\n112-233-445 95\nТел.\n+7 900 123 45 67\nЭлектронная почта\npetr@mail.ru",
            "СНИЛС 112-233-445 95\nЭлектронная почта petr@mail.ru\nТел. 9001234567\nДата рождения 2015-02-01\nОтчество Сергеевич\nИмя Пётр\nФамилия Иванов",
        ] {
            let a = one(text);
            assert_eq!(
                (
                    &a.surname,
                    &a.name,
                    &a.patronymic,
                    a.birth_date,
                    a.snils,
                    &a.phone,
                    &a.email
                ),
                (
                    &want.surname,
                    &want.name,
                    &want.patronymic,
                    want.birth_date,
                    want.snils,
                    &want.phone,
                    &want.email
                ),
                "{text}"
            );
        }
        assert_eq!(want.email.as_deref(), Some("petr@mail.ru"));
        assert_eq!(want.title(), "Иванов Пётр Сергеевич, 01.02.2015");
        assert_eq!(want.known_fields().len(), 7);
    }

    #[test]
    fn several_cards_in_one_paste() {
        let text = "Сообщение 1\nФамилия Иванов\nИмя Пётр\nТекст сообщения\nНе могу войти.\nИмя в дневнике другое.\nСообщение 2\nФамилия: Петрова\nИмя: Анна\n\nФамилия Сидоров\nИмя Олег\nТекст сообщения\nпомогите\nФамилия Козлов\nИмя Ян";
        let v = parse_text(text, "вставка 1").unwrap_or_else(|e| panic!("{e}"));
        let names: Vec<_> = v
            .iter()
            .map(|a| a.surname.clone().unwrap_or_default())
            .collect();
        assert_eq!(names, ["Иванов", "Петрова", "Сидоров", "Козлов"]);
        assert_eq!(v[0].number.as_deref(), Some("1"));
        assert_eq!(v[0].source, "вставка 1#1");
        assert!(
            v[0].raw
                .iter()
                .any(|(k, t)| k == "Текст сообщения" && t.contains("Имя в дневнике"))
        );
        assert_eq!(
            v[0].name.as_deref(),
            Some("Пётр"),
            "message text is not parsed as labels"
        );
    }

    #[test]
    fn the_message_text_of_each_kind_of_source() {
        let v = parse_text(
            "Фамилия Иванов\nИмя Пётр\nТекст сообщения\nНе могу войти.\nРебёнок Иванова Анна, 2Б.\nФамилия Сидоров\nИмя Олег",
            "t",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            v[0].message(),
            Some("Не могу войти.\nРебёнок Иванова Анна, 2Б.")
        );
        assert_eq!(v[1].message(), None, "the second card has no text");
        let one_line = one("Фамилия Иванов\nТекст сообщения: помогите войти");
        assert_eq!(one_line.message(), Some("помогите войти"));
        for json in [
            r#"{"Фамилия": "Иванов", "Текст обращения": " Сын Иванов Пётр "}"#,
            r#"{"surname": "Иванов", "message": "Сын Иванов Пётр"}"#,
        ] {
            let v = parse_json(json, "a.json").unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(v[0].message(), Some("Сын Иванов Пётр"), "{json}");
        }
        let v = parse_table(
            "Фамилия;Имя;Текст сообщения\nИванов;Пётр;дочь Иванова Анна\nПетров;Иван;\n".as_bytes(),
            "csv",
            "t.csv",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let texts: Vec<Option<&str>> = v.iter().map(Appeal::message).collect();
        assert_eq!(texts, [Some("дочь Иванова Анна"), None]);
    }

    #[test]
    fn masked_and_empty_values_are_unknown() {
        let a = one(
            "Фамилия Иванов\nИмя Пётр\nДата рождения __.__.____\nСНИЛС 1____ 71\nТел. +7 (9**) ***-**-67\nЭлектронная почта _____\nОтчество -",
        );
        assert_eq!(a.snils, None);
        assert_eq!(a.phone, None);
        assert_eq!(a.birth_date, None);
        assert_eq!(a.email, None);
        assert_eq!(a.patronymic, None);
        assert!(
            a.warnings
                .iter()
                .any(|w| w.contains("СНИЛС") && w.contains("скрыт")),
            "{:?}",
            a.warnings
        );
        assert!(a.warnings.len() >= 4, "{:?}", a.warnings);
        let b = one("Фамилия Иванов\nИмя Пётр\nДата рождения 31.02.2010");
        assert_eq!(b.birth_date, None);
        assert!(b.warnings.iter().any(|w| w.contains("31.02.2010")));
    }

    #[test]
    fn garbage_is_refused_without_panic() {
        assert!(matches!(parse_text("", "t"), Err(AppealError::Empty)));
        assert!(matches!(
            parse_text("   \n\t ", "t"),
            Err(AppealError::Empty)
        ));
        assert!(matches!(
            parse_text("привет, помогите войти", "t"),
            Err(AppealError::NoPersonData)
        ));
        let noise: Vec<u8> = (0..20_000u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        let text = String::from_utf8_lossy(&noise);
        assert!(parse_text(&text, "t").is_err());
        let big = "Фамилия Иванов\n".repeat(400_000);
        assert!(matches!(
            parse_text(&big, "t"),
            Err(AppealError::TooLarge { .. })
        ));
        assert!(parse_json("[1, 2", "t").is_err());
        assert!(matches!(
            parse_json("42", "t"),
            Err(AppealError::JsonShape(_))
        ));
    }

    #[test]
    fn json_one_or_many() {
        let v = parse_json(
            r#"{"Фамилия": "Иванов", "Имя": "Пётр", "СНИЛС": "112-233-445 95", "Дата рождения": "01.02.2015"}"#,
            "a.json",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(v.len(), 1);
        assert_eq!(
            v[0].snils.map(|s| s.digits_string()).as_deref(),
            Some("11223344595")
        );
        let v = parse_json(
            r#"[{"surname": "Иванов", "name": "Пётр", "phone": 79001234567},
                {"surname": "Петрова", "name": "Анна", "sex": "Ж", "email": "a@b.ru"}]"#,
            "a.json",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(v.len(), 2);
        assert_eq!(
            v[0].phone
                .as_ref()
                .map(|p| p.national().to_string())
                .as_deref(),
            Some("9001234567")
        );
        assert_eq!(v[1].sex, Some(Sex::Female));
        assert_eq!(v[1].source, "a.json#2");
    }

    #[test]
    fn csv_in_windows_1251_with_semicolons() {
        let text = "Фамилия;Имя;Отчество;Дата рождения;СНИЛС;Тел.\r\nИванов;Пётр;Сергеевич;01.02.2015;112-233-445 95;89001234567\r\n\"Петрова; Водкина\";Анна;;03.04.2016;;\r\n";
        let bytes: Vec<u8> = text
            .chars()
            .map(|c| {
                if (c as u32) < 0x80 {
                    c as u8
                } else {
                    CP1251_HIGH
                        .iter()
                        .position(|&x| x == c)
                        .map(|i| 0x80 + i as u8)
                        .unwrap_or(b'?')
                }
            })
            .collect();
        assert!(std::str::from_utf8(&bytes).is_err(), "really 1251");
        let v = parse_table(&bytes, "csv", "t.csv").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].name.as_deref(), Some("Пётр"));
        assert_eq!(v[1].surname.as_deref(), Some("Петрова; Водкина"));
        assert!(matches!(
            parse_table(b"a;b\n1;2", "csv", "t"),
            Err(AppealError::TableNoHeader | AppealError::TableUnreadable(_))
        ));
    }

    #[test]
    fn xlsx_table_of_appeals() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("обращения.xlsx");
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ok = (|| -> Result<(), rust_xlsxwriter::XlsxError> {
            let s = wb.add_worksheet();
            for (c, h) in [
                "Номер",
                "Фамилия",
                "Имя",
                "Отчество",
                "Дата рождения",
                "СНИЛС",
            ]
            .iter()
            .enumerate()
            {
                s.write_string(0, c as u16, *h)?;
            }
            s.write_number(1, 0, 2516169.0)?;
            s.write_string(1, 1, "Орлов")?;
            s.write_string(1, 2, "Тимофей")?;
            s.write_string(1, 3, "Павлович")?;
            s.write_string(1, 4, "14.04.2010")?;
            s.write_string(1, 5, "347-669-395 40")?;
            s.write_string(2, 1, "Титова")?;
            s.write_string(2, 2, "Алёна")?;
            wb.save(&path)?;
            Ok(())
        })();
        ok.unwrap_or_else(|e| panic!("{e}"));
        let v = load_file(&path).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].number.as_deref(), Some("2516169"));
        assert_eq!(
            v[0].snils.map(|s| s.digits_string()).as_deref(),
            Some("34766939540")
        );
        assert_eq!(v[1].name.as_deref(), Some("Алёна"));
        assert!(matches!(
            load_file(&dir.path().join("нет.txt")),
            Err(AppealError::Io { .. })
        ));
        let odd = dir.path().join("x.pdf");
        std::fs::write(&odd, b"%PDF").unwrap_or_else(|e| panic!("{e}"));
        assert!(matches!(
            load_file(&odd),
            Err(AppealError::UnknownFormat(_))
        ));
    }
}
