//! Field-by-field comparison of a person's card with an appeal: exact after normalisation,
//! each difference named by its kind (spaces, case, ё, look-alike letters, a typo, swapped
//! day and month, one digit…), with the value to write in the column's style.

use chrono::Datelike;

use crate::engine::appeal::Appeal;
use crate::engine::card::Card;
use crate::engine::field::Field;
use crate::engine::schema::{Person, PersonId, Schema};
use crate::engine::style::Styles;
use crate::norm::fio::NameComparison;
use crate::norm::{date, email, fio, phone, sex, snils};

use super::evidence::snils_digits_apart;
use super::messages::message_for;
use super::{DiffKind, FieldResult, Matcher, Verdict};

impl Matcher<'_> {
    /// Field-by-field comparison of a person's card with an appeal (also used when the officer
    /// picks a candidate of an ambiguous appeal).
    pub fn compare(&self, person: PersonId, a: &Appeal) -> Vec<FieldResult> {
        let (Some(p), Some(card)) = (self.schema.person(person), self.card(person.index())) else {
            return Vec::new();
        };
        compare_card(self.schema, self.styles, p, &card, a)
    }
}

/// Field-by-field comparison of a card (as it is now) with an appeal.
pub fn compare_card(
    schema: &Schema,
    styles: &Styles,
    person: &Person,
    card: &Card,
    a: &Appeal,
) -> Vec<FieldResult> {
    let mut out = Vec::new();
    for field in Field::ALL {
        let Some(&col) = person.cols.get(&field) else {
            continue;
        };
        if let Some(r) = compare_field(schema, styles, person, card, col, field, a) {
            out.push(r);
        }
    }
    out
}

/// One field of a card against the appeal; `None` when the appeal does not know the field.
fn compare_field(
    schema: &Schema,
    styles: &Styles,
    p: &Person,
    card: &Card,
    col: u32,
    field: Field,
    a: &Appeal,
) -> Option<FieldResult> {
    let card_text = card.text(field).map(str::to_string);
    let sheet = p.sheet;
    // (appeal value shown, suggestion, equal?, kind)
    let (appeal_text, suggestion, kind) =
        appeal_side(styles, sheet, col, field, card, card_text.as_deref(), a)?;
    let protected = schema.is_protected(sheet, p.row, col);
    let verdict = match kind {
        DiffKind::None => Verdict::Equal,
        _ if protected => Verdict::ProtectedDiffers,
        DiffKind::Missing => Verdict::MissingInCard,
        _ => Verdict::Differs,
    };
    let message = message_for(field, verdict, kind, card_text.as_deref(), &appeal_text);
    Some(FieldResult {
        field,
        verdict,
        kind,
        card: card_text,
        appeal: Some(appeal_text),
        suggestion: (verdict != Verdict::Equal).then_some(suggestion),
        cell: crate::book::CellRef::new(sheet, p.row, col),
        message,
    })
}

/// The appeal's value of a field as shown, the value to write in the column's style, and how
/// the card's value (`card_text`) differs from it; `None` when the appeal does not know it.
fn appeal_side(
    styles: &Styles,
    sheet: usize,
    col: u32,
    field: Field,
    card: &Card,
    card_text: Option<&str>,
    a: &Appeal,
) -> Option<(String, String, DiffKind)> {
    Some(match field {
        Field::Surname | Field::Name | Field::Patronymic => {
            let want = match field {
                Field::Surname => a.surname.as_deref(),
                Field::Name => a.name.as_deref(),
                _ => a.patronymic.as_deref(),
            }?;
            let got = card_text.unwrap_or("");
            let kind = name_kind(field, got, want);
            (want.to_string(), fio::fix_for(got, want), kind)
        }
        Field::BirthDate => {
            let want = a.birth_date?;
            let kind = match card.birth_date {
                None if card_text.is_none() => DiffKind::Missing,
                None => DiffKind::Other,
                Some(d) if d == want => DiffKind::None,
                Some(d) if date::day_month_swapped(d, want) => DiffKind::DayMonthSwap,
                Some(d) if d.day() == want.day() && d.month() == want.month() => DiffKind::YearOff,
                Some(d) if date::one_digit_off(d, want) => DiffKind::OneDigit,
                Some(_) => DiffKind::Other,
            };
            let shown = date::format_ru(want);
            (shown.clone(), styles.date(want), kind)
        }
        Field::Sex => {
            // ПОС cards show no sex: the appeal's patronymic tells it.
            let want = a
                .sex
                .or_else(|| a.patronymic.as_deref().and_then(sex::from_patronymic))?;
            let kind = match card_text.map(sex::parse) {
                None => DiffKind::Missing,
                Some(Ok(s)) if s == want => DiffKind::None,
                Some(_) => DiffKind::Other,
            };
            (want.word().to_string(), styles.sex(sheet, col, want), kind)
        }
        Field::Snils => {
            let want = a.snils.as_ref()?;
            let kind = match card_text.map(snils::parse) {
                None => DiffKind::Missing,
                Some(Ok(s)) if s == *want => DiffKind::None,
                Some(Ok(s)) if snils::adjacent_swap(&s, want) => DiffKind::AdjacentSwap,
                Some(Ok(s)) if snils::one_digit_off(&s, want) => DiffKind::OneDigit,
                Some(Ok(s)) if snils_digits_apart(&s, want) <= 3 => DiffKind::Typo,
                Some(_) => DiffKind::Other,
            };
            (want.formatted(), styles.snils(sheet, col, want), kind)
        }
        Field::Phone => {
            let want = a.phone.as_ref()?;
            let kind = match card_text.map(phone::parse) {
                None => DiffKind::Missing,
                Some(Ok(s)) if s.national() == want.national() => DiffKind::None,
                Some(Ok(s)) if phone::adjacent_swap(&s, want) => DiffKind::AdjacentSwap,
                Some(Ok(s)) if phone::one_digit_off(&s, want) => DiffKind::OneDigit,
                Some(_) => DiffKind::Other,
            };
            (
                want.format_as(phone::PhoneStyle::Plus7Spaced),
                styles.phone(sheet, col, want),
                kind,
            )
        }
        Field::Email => {
            let want = a.email.as_deref()?;
            let kind = match card_text {
                None => DiffKind::Missing,
                Some(s) if email::same(s, want) => DiffKind::None,
                Some(_) => DiffKind::Other,
            };
            (want.to_string(), email::normalize(want), kind)
        }
    })
}

/// How a name part in the card (`got`) differs from the appeal's (`want`).
fn name_kind(field: Field, got: &str, want: &str) -> DiffKind {
    if got.is_empty() {
        return DiffKind::Missing;
    }
    match fio::compare(got, want) {
        NameComparison::Equal => DiffKind::None,
        NameComparison::Spaces => DiffKind::Spaces,
        NameComparison::Case => DiffKind::Case,
        NameComparison::YoE => DiffKind::YoE,
        NameComparison::Homoglyph => DiffKind::Homoglyph,
        NameComparison::Different { similarity } => {
            if field == Field::Patronymic && fio::same_patronymic(got, want) {
                DiffKind::Spaces
            } else if field == Field::Surname && fio::shares_surname_part(got, want) {
                DiffKind::SurnamePart
            } else if fio::transposed_letters(got, want) || similarity >= 0.85 {
                DiffKind::Typo
            } else {
                DiffKind::Other
            }
        }
    }
}
