//! Identity evidence: how each field of a candidate's card agrees with the appeal, the score
//! that ranks candidates, and the rules that say a candidate is the appeal's person.

use chrono::Datelike;

use crate::engine::appeal::Appeal;
use crate::norm::{date, email, fio, snils};

use super::Matcher;

/// In how many of the 11 places two СНИЛС differ.
pub(super) fn snils_digits_apart(a: &snils::Snils, b: &snils::Snils) -> usize {
    a.digits()
        .iter()
        .zip(b.digits().iter())
        .filter(|(x, y)| x != y)
        .count()
}

/// How the card's and the appeal's values of one field relate, for scoring.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Agreement {
    /// Not comparable: one side has no value.
    Unknown,
    Same,
    Near,
    Different,
}

/// Identity evidence for one candidate.
#[derive(Debug, Clone, Copy)]
pub(super) struct Evidence {
    surname: Agreement,
    name: Agreement,
    patronymic: Agreement,
    birth: Agreement,
    snils: Agreement,
    phone: Agreement,
    email: Agreement,
}

impl Evidence {
    pub(super) fn score(&self) -> f64 {
        let parts = [
            (self.snils, 0.40, 0.25),
            (self.surname, 0.20, 0.14),
            (self.name, 0.15, 0.10),
            (self.patronymic, 0.10, 0.07),
            (self.birth, 0.20, 0.12),
            (self.phone, 0.05, 0.03),
            (self.email, 0.05, 0.03),
        ];
        let mut got = 0.0;
        let mut max = 0.0;
        for (a, same, near) in parts {
            match a {
                Agreement::Unknown => {}
                Agreement::Same => {
                    got += same;
                    max += same;
                }
                Agreement::Near => {
                    got += near;
                    max += same;
                }
                Agreement::Different => max += same,
            }
        }
        if max <= 0.0 { 0.0 } else { got / max }
    }

    /// Enough to say it is this person: a name and a document, or the whole name and a date.
    pub(super) fn is_identity(&self) -> bool {
        use Agreement::*;
        let ok = |a: Agreement| matches!(a, Same | Near);
        let snils_ok = ok(self.snils);
        let names = [self.surname, self.name, self.patronymic];
        let names_ok = names.iter().filter(|a| ok(**a)).count();
        let names_same = names.iter().filter(|a| **a == Same).count();
        if self.snils == Different && self.birth == Different {
            return false;
        }
        // The whole name letter for letter, plus one more agreeing fact (a mistyped СНИЛС or
        // birth date does not hide the person; a namesake needs the same date, phone or e-mail).
        if names_same == 3
            && (ok(self.birth) || self.phone == Same || self.email == Same)
            && !(self.snils == Different && self.birth == Different)
        {
            return true;
        }
        // СНИЛС plus at least two name parts (the third may be mistyped or missing).
        if self.snils == Same && names_ok >= 2 {
            return true;
        }
        if snils_ok && names_ok >= 2 && (ok(self.birth) || names_same >= 2) {
            return true;
        }
        // Without a СНИЛС: surname and name, plus the birth date or the patronymic.
        ok(self.surname)
            && ok(self.name)
            && self.snils != Different
            && (self.birth == Same
                || (ok(self.birth) && ok(self.patronymic))
                || (self.birth == Unknown && self.patronymic == Same && self.phone != Different))
    }
}

/// Agreement of two name parts given already [`fio::fold`]ed (equal after folding is the same
/// name written with other spaces, case, ё or look-alike letters).
fn name_agreement(card: &str, appeal: &str) -> Agreement {
    if card.is_empty() || appeal.is_empty() {
        return Agreement::Unknown;
    }
    if card == appeal {
        return Agreement::Same;
    }
    let compound = |s: &str| s.contains(['-', ' ']);
    if crate::norm::similarity::jaro_winkler(card, appeal) >= 0.88
        || (card.len() == appeal.len() && fio::transposed_letters(card, appeal))
        || ((compound(card) || compound(appeal))
            && (fio::shares_surname_part(card, appeal) || fio::same_patronymic(card, appeal)))
    {
        Agreement::Near
    } else {
        Agreement::Different
    }
}

/// An appeal's name parts, folded once for all candidates.
pub(super) struct AppealKeys {
    surname: String,
    name: String,
    patronymic: String,
}

impl AppealKeys {
    pub(super) fn of(a: &Appeal) -> AppealKeys {
        let f = |s: &Option<String>| s.as_deref().map(fio::fold).unwrap_or_default();
        AppealKeys {
            surname: f(&a.surname),
            name: f(&a.name),
            patronymic: f(&a.patronymic),
        }
    }
}

impl Matcher<'_> {
    pub(super) fn evidence(&self, i: usize, a: &Appeal, ak: &AppealKeys) -> Evidence {
        let Some(k) = self.keys(i) else {
            return Evidence {
                surname: Agreement::Unknown,
                name: Agreement::Unknown,
                patronymic: Agreement::Unknown,
                birth: Agreement::Unknown,
                snils: Agreement::Unknown,
                phone: Agreement::Unknown,
                email: Agreement::Unknown,
            };
        };
        let snils = match (&k.snils, &a.snils) {
            (Some(x), Some(y)) if x == y => Agreement::Same,
            (Some(x), Some(y)) if snils_digits_apart(x, y) <= 3 || snils::adjacent_swap(x, y) => {
                Agreement::Near
            }
            (Some(_), Some(_)) => Agreement::Different,
            _ => Agreement::Unknown,
        };
        let birth = match (k.birth_date, a.birth_date) {
            (Some(x), Some(y)) if x == y => Agreement::Same,
            (Some(x), Some(y))
                if date::day_month_swapped(x, y)
                    || date::year_off_by_one(x, y)
                    || date::one_digit_off(x, y)
                    || (x.day() == y.day() && x.month() == y.month()) =>
            {
                Agreement::Near
            }
            (Some(_), Some(_)) => Agreement::Different,
            _ => Agreement::Unknown,
        };
        let phone = match (k.phone, &a.phone) {
            (Some(x), Some(y)) if x == y.national() => Agreement::Same,
            (Some(_), Some(_)) => Agreement::Different,
            _ => Agreement::Unknown,
        };
        let email = match (k.email, a.email.as_deref()) {
            (Some(x), Some(y)) if x.trim().len() == y.trim().len() && email::same(x, y) => {
                Agreement::Same
            }
            // Many people share a family address: a different e-mail says little.
            _ => Agreement::Unknown,
        };
        let _ = phone;
        Evidence {
            surname: name_agreement(k.surname, &ak.surname),
            name: name_agreement(k.name, &ak.name),
            patronymic: name_agreement(k.patronymic, &ak.patronymic),
            birth,
            snils,
            // Phones change hands and families share them: only agreement counts.
            phone: if phone == Agreement::Same {
                Agreement::Same
            } else {
                Agreement::Unknown
            },
            email,
        }
    }

    /// Same person in two places: same folded ФИО, and neither СНИЛС nor birth date differ.
    pub(super) fn same_identity(&self, i: usize, j: usize) -> bool {
        let (Some(x), Some(y)) = (self.keys(i), self.keys(j)) else {
            return false;
        };
        x.surname == y.surname
            && x.name == y.name
            && x.patronymic == y.patronymic
            && (x.snils.is_none() || y.snils.is_none() || x.snils == y.snils)
            && (x.birth_date.is_none() || y.birth_date.is_none() || x.birth_date == y.birth_date)
    }
}
