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
    /// The severity in Russian, as reports and the command line write it («ошибка»).
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
    /// A surname or given name is empty (an empty patronymic is allowed).
    MissingName,
    /// Latin letters that look like Russian ones in a Russian name, or Russian letters in a Latin
    /// word.
    LatinInName,
    /// Spaces at the ends, doubled, or around a hyphen in a name.
    NameSpaces,
    /// A name part starts with a small letter or has capitals inside it (all capitals is accepted).
    NameCase,
    /// Digits or characters other than letters, spaces, hyphens, apostrophes and dots in a name.
    NameChars,
    /// The birth date is empty.
    MissingBirthDate,
    /// The birth date cannot be read as a date.
    InvalidBirthDate,
    /// The birth date is in the future or more than 110 years ago.
    ImplausibleBirthDate,
    /// The sex is empty.
    MissingSex,
    /// The sex cannot be read as male or female («М», «Ж», «мужской»…).
    InvalidSex,
    /// The sex is not the one the patronymic implies.
    SexContradictsPatronymic,
    /// The СНИЛС is empty.
    MissingSnils,
    /// The СНИЛС cannot be read: not 11 digits, other characters, masked, or a stub of one
    /// repeated digit.
    InvalidSnils,
    /// The СНИЛС's check number does not match its first nine digits: a typo somewhere.
    SnilsCheckNumber,
    /// The СНИЛС is stored as a number, or written unlike the rest of its column.
    SnilsFormat,
    /// A phone number is written but cannot be read as a Russian one.
    InvalidPhone,
    /// An e-mail address is not valid.
    InvalidEmail,
    /// An e-mail address is valid but has a likely typo in a popular domain.
    EmailTypo,
    /// The same СНИЛС is written for different people.
    DuplicateSnils,
    /// A pupil or staff member is listed twice (the same ФИО and birth date).
    DuplicatePerson,
    /// A parent's СНИЛС is the same as that of the child on the same row.
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
    /// The cell (written flat: `sheet`, `row`, `col`).
    #[serde(flatten)]
    pub cell: crate::book::CellRef,
    /// The field the cell holds.
    pub field: Option<Field>,
    /// How serious it is.
    pub severity: Severity,
    /// What kind of problem it is (the group it is listed under).
    pub kind: Kind,
    /// Why it matters, in Russian.
    pub message: String,
    /// The value to write, when sverka knows it.
    pub suggestion: Option<String>,
}
