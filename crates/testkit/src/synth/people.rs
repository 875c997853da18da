//! Random people: a unique valid СНИЛС, a birth date in a range, and a whole person of a family.

use std::collections::HashSet;

use chrono::NaiveDate;

use super::names::{DOMAINS, FEMALE_NAMES, MALE_NAMES, patronymics, translit};
use super::{Rng, TruePerson};
use sverka::norm::snils::check_number;

pub(crate) fn random_snils(rng: &mut Rng, used: &mut HashSet<String>) -> String {
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

pub(crate) fn random_date(rng: &mut Rng, from_year: i32, to_year: i32) -> NaiveDate {
    let span = (to_year - from_year + 1).max(1) as usize;
    let y = from_year + rng.below(span) as i32;
    let m = 1 + rng.below(12) as u32;
    let d = 1 + rng.below(28) as u32;
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

pub(crate) fn random_person(
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
