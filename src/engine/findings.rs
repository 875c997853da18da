//! What sverka reports about a cell: a [`Finding`] names the cell, the field, how serious it
//! is, a Russian explanation of why it breaks the Госуслуги login, and a suggested value.

use serde::Serialize;

use crate::engine::field::Field;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The login will fail (or a wrong person gets the account).
    Error,
    /// Likely to cause trouble; check it.
    Warning,
    /// Worth knowing; nothing breaks.
    Info,
}

impl Severity {
    pub fn label_ru(self) -> &'static str {
        match self {
            Severity::Error => "ошибка",
            Severity::Warning => "предупреждение",
            Severity::Info => "замечание",
        }
    }
}

/// The kinds of findings; the serde names are the CLI's JSON `kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    MissingName,
    LatinInName,
    NameSpaces,
    NameCase,
    NameChars,
    MissingBirthDate,
    InvalidBirthDate,
    ImplausibleBirthDate,
    MissingSex,
    InvalidSex,
    SexContradictsPatronymic,
    MissingSnils,
    InvalidSnils,
    SnilsCheckNumber,
    SnilsFormat,
    InvalidPhone,
    InvalidEmail,
    EmailTypo,
    DuplicateSnils,
    DuplicatePerson,
    ParentSnilsEqualsChild,
    /// A value differs from the one in an appeal (Госуслуги).
    DiffersFromAppeal,
    /// The card lacks a value the appeal has.
    MissingInCard,
    /// A protected cell differs from the appeal: fix the card in СГО by hand.
    ProtectedDiffers,
}

impl Kind {
    /// Every kind, in the order the problems panel lists them.
    pub const ALL: [Kind; 24] = [
        Kind::MissingName,
        Kind::LatinInName,
        Kind::NameSpaces,
        Kind::NameCase,
        Kind::NameChars,
        Kind::MissingBirthDate,
        Kind::InvalidBirthDate,
        Kind::ImplausibleBirthDate,
        Kind::MissingSex,
        Kind::InvalidSex,
        Kind::SexContradictsPatronymic,
        Kind::MissingSnils,
        Kind::InvalidSnils,
        Kind::SnilsCheckNumber,
        Kind::SnilsFormat,
        Kind::InvalidPhone,
        Kind::InvalidEmail,
        Kind::EmailTypo,
        Kind::DuplicateSnils,
        Kind::DuplicatePerson,
        Kind::ParentSnilsEqualsChild,
        Kind::DiffersFromAppeal,
        Kind::MissingInCard,
        Kind::ProtectedDiffers,
    ];

    /// The group title in the problems panel.
    pub fn label_ru(self) -> &'static str {
        match self {
            Kind::MissingName => "Не заполнены фамилия или имя",
            Kind::LatinInName => "Латинские буквы в ФИО",
            Kind::NameSpaces => "Лишние пробелы в ФИО",
            Kind::NameCase => "Заглавные и строчные буквы в ФИО",
            Kind::NameChars => "Цифры и лишние знаки в ФИО",
            Kind::MissingBirthDate => "Нет даты рождения",
            Kind::InvalidBirthDate => "Дата рождения не читается",
            Kind::ImplausibleBirthDate => "Невозможная дата рождения",
            Kind::MissingSex => "Не указан пол",
            Kind::InvalidSex => "Пол не читается",
            Kind::SexContradictsPatronymic => "Пол не совпадает с отчеством",
            Kind::MissingSnils => "Нет СНИЛС",
            Kind::InvalidSnils => "СНИЛС записан неверно",
            Kind::SnilsCheckNumber => "Неверное контрольное число СНИЛС",
            Kind::SnilsFormat => "СНИЛС записан не так, как в столбце",
            Kind::InvalidPhone => "Неверный телефон",
            Kind::InvalidEmail => "Неверный адрес почты",
            Kind::EmailTypo => "Опечатка в домене почты",
            Kind::DuplicateSnils => "Один СНИЛС у разных людей",
            Kind::DuplicatePerson => "Человек записан дважды",
            Kind::ParentSnilsEqualsChild => "СНИЛС родителя совпадает со СНИЛС ребёнка",
            Kind::DiffersFromAppeal => "Расходится с Госуслугами",
            Kind::MissingInCard => "Не заполнено, а на Госуслугах есть",
            Kind::ProtectedDiffers => "Исправить вручную в карточке СГО",
        }
    }
}

/// One thing wrong with one cell.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub sheet: usize,
    pub row: u32,
    pub col: u32,
    pub field: Option<Field>,
    pub severity: Severity,
    pub kind: Kind,
    /// Why it matters, in Russian.
    pub message: String,
    /// The value to write, when sverka knows it.
    pub suggestion: Option<String>,
}
