//! What the officer reads about a field: the Russian explanation of a verdict, and the manual
//! step in СГО for a protected cell that differs.

use crate::engine::field::Field;
use crate::engine::schema::{Person, Role, Schema};

use super::{DiffKind, FieldResult, Verdict};

/// Russian explanation of a field verdict.
pub(super) fn message_for(
    field: Field,
    verdict: Verdict,
    kind: DiffKind,
    card: Option<&str>,
    appeal: &str,
) -> String {
    let label = field.label_ru();
    let why = match kind {
        DiffKind::None => return format!("{label}: совпадает с Госуслугами."),
        DiffKind::Missing => "в карточке не заполнено".to_string(),
        DiffKind::Spaces => "отличаются только пробелы".into(),
        DiffKind::Case => "отличаются заглавные и строчные буквы".into(),
        DiffKind::YoE => "отличаются буквы «ё» и «е» — на Госуслугах написано иначе".into(),
        DiffKind::Homoglyph => {
            "в карточке латинские буквы, похожие на русские (невидимая ошибка)".into()
        }
        DiffKind::Typo => "опечатка в написании".into(),
        DiffKind::SurnamePart => "двойная фамилия записана не полностью".into(),
        DiffKind::DayMonthSwap => "перепутаны день и месяц".into(),
        DiffKind::YearOff => "отличается год".into(),
        DiffKind::OneDigit => "отличается одна цифра".into(),
        DiffKind::AdjacentSwap => "переставлены две соседние цифры".into(),
        DiffKind::Other => "значения разные".into(),
    };
    let card = card.unwrap_or("пусто");
    match verdict {
        Verdict::ProtectedDiffers => format!(
            "{label}: {why} (в СГО «{card}», на Госуслугах «{appeal}»). Это поле ученика нельзя менять в файле — исправьте карточку в СГО вручную."
        ),
        _ => format!("{label}: {why} (в СГО «{card}», на Госуслугах «{appeal}") + "»).",
    }
}

/// The manual step for a protected difference, as the officer does it in СГО.
pub fn manual_step(schema: &Schema, person: &Person, r: &FieldResult) -> String {
    let who = match person.role {
        Role::Pupil => "Управление > Ученики",
        Role::Parent => "Управление > Родители",
        Role::Staff => "Управление > Сотрудники",
    };
    format!(
        "В СГО откройте «{who}», карточку человека ({}), и в поле «{}» запишите «{}» (сейчас «{}»).",
        schema.place_ru(person),
        r.field.label_ru(),
        r.suggestion
            .as_deref()
            .or(r.appeal.as_deref())
            .unwrap_or(""),
        r.card.as_deref().unwrap_or("пусто")
    )
}
