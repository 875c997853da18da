//! The kinds of personal data sverka compares between an СГО card and Госуслуги.

use serde::{Deserialize, Serialize};

/// One kind of value on a person's card. The serde names are the CLI's JSON contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// Фамилия: the family name.
    Surname,
    /// Имя: the given name.
    Name,
    /// Отчество: the name from the father, which not everyone has.
    Patronymic,
    /// Дата рождения.
    BirthDate,
    /// Пол: male or female.
    Sex,
    /// СНИЛС: the 11-digit number of the pension insurance account.
    Snils,
    /// Телефон: a Russian phone number.
    Phone,
    /// Электронная почта: an e-mail address.
    Email,
}

impl Field {
    /// Every field, in the order a card shows them.
    pub const ALL: [Field; 8] = [
        Field::Surname,
        Field::Name,
        Field::Patronymic,
        Field::BirthDate,
        Field::Sex,
        Field::Snils,
        Field::Phone,
        Field::Email,
    ];

    /// The field's name inside a sentence («не совпадают имя, дата рождения и СНИЛС»).
    pub fn word_ru(self) -> String {
        match self {
            Field::Snils => self.label_ru().to_string(),
            _ => self.label_ru().to_lowercase(),
        }
    }

    /// The field's name as the officer reads it.
    pub fn label_ru(self) -> &'static str {
        match self {
            Field::Surname => "Фамилия",
            Field::Name => "Имя",
            Field::Patronymic => "Отчество",
            Field::BirthDate => "Дата рождения",
            Field::Sex => "Пол",
            Field::Snils => "СНИЛС",
            Field::Phone => "Телефон",
            Field::Email => "Электронная почта",
        }
    }

    /// The JSON name (`surname`, `birth_date`, …).
    pub fn key(self) -> &'static str {
        match self {
            Field::Surname => "surname",
            Field::Name => "name",
            Field::Patronymic => "patronymic",
            Field::BirthDate => "birth_date",
            Field::Sex => "sex",
            Field::Snils => "snils",
            Field::Phone => "phone",
            Field::Email => "email",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_names_follow_the_contract() {
        for f in Field::ALL {
            let json = serde_json::to_string(&f).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", f.key()));
        }
    }
}
