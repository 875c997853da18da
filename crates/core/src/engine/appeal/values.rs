//! A labelled value into an appeal: placeholders and masked values left unknown, each field
//! read by its own rules, and what cannot be read kept as a Russian warning.

use crate::engine::field::Field;
use crate::norm::snils::SnilsError;
use crate::norm::{date, email, fio, phone, sex, snils};

use super::Appeal;
use super::labels::{Label, exact_label};

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

pub(super) fn apply_label(a: &mut Appeal, label: Label, value: &str, raw_label: &str) {
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

/// An appeal from key/value pairs (a JSON object, a table row): known keys set fields, the
/// others are kept in `raw`.
pub(super) fn from_pairs<'a>(pairs: impl Iterator<Item = (&'a str, String)>) -> Appeal {
    let mut a = Appeal::default();
    for (key, value) in pairs {
        match exact_label(key) {
            Some(label) => apply_label(&mut a, label, &value, key.trim()),
            None => a.raw.push((key.trim().to_string(), value)),
        }
    }
    a
}
