//! The labels of an appeal: which field a line of the ПОС card, a JSON key or a table header
//! names (Russian labels as the card writes them, English keys), and how each is shown.

use crate::engine::field::Field;

/// A label that can start a line of the card.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Label {
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
pub(super) const LABELS: &[(&str, Label)] = &[
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
pub(super) fn english_label(key: &str) -> Option<Label> {
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
pub(super) fn exact_label(key: &str) -> Option<Label> {
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
pub(super) fn split_label(line: &str) -> Option<(Label, String)> {
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

pub(super) fn label_name(label: Label) -> &'static str {
    match label {
        Label::Field(f) => f.label_ru(),
        Label::Epgu => "Номер сообщения ЕПГУ",
        Label::Other(s) => s,
        Label::Section => "Раздел",
        Label::Message => "Текст сообщения",
    }
}
