//! The whole-file audit: every card that will fail the Госуслуги login next, found without any
//! appeal — missing or invalid СНИЛС, sex against patronymic, Latin letters inside Cyrillic
//! names, stray spaces, bad phones and e-mails, and across the file the same СНИЛС on different
//! people, the same person twice, and a parent whose СНИЛС is the child's.

use rustc_hash::FxHashMap as HashMap;

use chrono::NaiveDate;

use crate::book::{CellValue, Grid};
use crate::engine::card::Card;
use crate::engine::field::Field;
use crate::engine::findings::{Finding, Kind, Severity};
use crate::engine::schema::{Person, Role, Schema};
use crate::engine::style::Styles;
use crate::norm::fio::NameProblem;
use crate::norm::{date, email, fio, phone, sex, snils};

/// Audits every person of the book.
pub fn audit(grids: &[Grid], schema: &Schema, styles: &Styles, today: NaiveDate) -> Vec<Finding> {
    // People are independent: audit them on every core. A chunk whose worker failed keeps its
    // place, so facts stay aligned with people.
    let parts = crate::parallel::in_chunks(
        &schema.people,
        |_, people| {
            let mut found = Vec::new();
            let facts: Vec<Facts> = people
                .iter()
                .map(|p| {
                    let Some(grid) = grids.get(p.sheet) else {
                        return Facts::default();
                    };
                    let card = Card::read(grid, p);
                    audit_person(&mut found, grid, p, &card, styles, today);
                    Facts::of(&card)
                })
                .collect();
            (facts, found)
        },
        |_, len| (vec![Facts::default(); len], Vec::new()),
    );
    let mut out = Vec::new();
    let mut facts: Vec<Facts> = Vec::with_capacity(schema.people.len());
    for (c, f) in parts {
        facts.extend(c);
        out.extend(f);
    }
    cross_checks(&mut out, grids, schema, &facts);
    out.sort_by_key(|f| (f.cell, f.kind));
    out
}

/// Audits one person's card (used after an edit to re-audit a row at once).
pub fn audit_person(
    out: &mut Vec<Finding>,
    grid: &Grid,
    person: &Person,
    card: &Card,
    styles: &Styles,
    today: NaiveDate,
) {
    let mut found = RowFindings {
        out,
        sheet: person.sheet,
        row: person.row,
    };
    check_names(&mut found, person, card);
    check_birth_date(&mut found, person, card, today);
    check_sex(&mut found, person, card, styles);
    check_snils(&mut found, grid, person, card, styles);
    check_phone(&mut found, person, card);
    check_email(&mut found, person, card);
}

/// Where the findings of one person's card go: the list, and the row they are about.
struct RowFindings<'o> {
    out: &'o mut Vec<Finding>,
    sheet: usize,
    row: u32,
}

impl RowFindings<'_> {
    /// Adds a finding about the cell in column `col` of the row.
    fn push(
        &mut self,
        col: u32,
        field: Field,
        severity: Severity,
        kind: Kind,
        message: String,
        suggestion: Option<String>,
    ) {
        self.out.push(Finding {
            cell: crate::book::CellRef::new(self.sheet, self.row, col),
            field: Some(field),
            severity,
            kind,
            message,
            suggestion,
        });
    }
}

/// ФИО: a missing surname or name, and every problem of a written name part.
fn check_names(out: &mut RowFindings<'_>, person: &Person, card: &Card) {
    for field in [Field::Surname, Field::Name, Field::Patronymic] {
        let Some(&col) = person.cols.get(&field) else {
            continue;
        };
        let Some(value) = card.text(field) else {
            if field != Field::Patronymic {
                out.push(
                    col,
                    field,
                    Severity::Error,
                    Kind::MissingName,
                    format!(
                        "Не заполнено поле «{}»: без него карточку не сопоставить с учётной записью Госуслуг.",
                        field.label_ru()
                    ),
                    None,
                );
            }
            continue;
        };
        // One corrected value for the whole cell, computed once: every finding that can be
        // fixed suggests it, so any one suggestion fixes all of the cell's problems (a Latin
        // letter and a stray space together give «Захаров» twice, not «Захаров » and «Зaхаров»).
        let problems = fio::problems(value);
        if problems.is_empty() {
            continue;
        }
        let cleaned = fio::clean(value);
        let fixed = || Some(cleaned.clone());
        for problem in problems {
            let (severity, kind, why, suggestion) = match &problem {
                NameProblem::LatinInCyrillic { .. } => (
                    Severity::Error,
                    Kind::LatinInName,
                    "латинские буквы выглядят как русские, но для Госуслуг это другое имя — вход не состоится",
                    fixed(),
                ),
                NameProblem::CyrillicInLatin => (
                    Severity::Error,
                    Kind::LatinInName,
                    "буквы разных алфавитов в одном слове не совпадут с Госуслугами",
                    None,
                ),
                NameProblem::StraySpaces => (
                    Severity::Warning,
                    Kind::NameSpaces,
                    "при сверке с Госуслугами лишний пробел может считаться отличием",
                    fixed(),
                ),
                NameProblem::WrongCase => (
                    Severity::Warning,
                    Kind::NameCase,
                    "имя должно быть записано так же, как на Госуслугах",
                    None,
                ),
                NameProblem::Digits | NameProblem::ForbiddenChars => (
                    Severity::Error,
                    Kind::NameChars,
                    "в ФИО на Госуслугах таких знаков нет — вход не состоится",
                    None,
                ),
            };
            let suggestion = suggestion.filter(|s| s != value);
            out.push(
                col,
                field,
                severity,
                kind,
                format!("{}: {}.", problem.message_ru(), why),
                suggestion,
            );
        }
    }
}

/// Дата рождения: missing, unreadable or implausible on `today`.
fn check_birth_date(out: &mut RowFindings<'_>, person: &Person, card: &Card, today: NaiveDate) {
    if let Some(&col) = person.cols.get(&Field::BirthDate) {
        match (card.text(Field::BirthDate), card.birth_date) {
            (None, _) => out.push(
                col,
                Field::BirthDate,
                Severity::Warning,
                Kind::MissingBirthDate,
                "Нет даты рождения: Госуслуги сверяют её при входе, без неё вход не состоится."
                    .into(),
                None,
            ),
            (Some(text), None) => {
                let why = date::parse(text)
                    .err()
                    .map(|e| e.to_string())
                    .unwrap_or_default();
                out.push(
                    col,
                    Field::BirthDate,
                    Severity::Error,
                    Kind::InvalidBirthDate,
                    format!("Дата рождения «{text}» не читается: {why}."),
                    None,
                );
            }
            (Some(_), Some(d)) => {
                if let Some(why) = date::implausible_birth(d, today) {
                    out.push(
                        col,
                        Field::BirthDate,
                        Severity::Error,
                        Kind::ImplausibleBirthDate,
                        format!("{why}."),
                        None,
                    );
                }
            }
        }
    }
}

/// Пол: missing, unreadable, or against the patronymic.
fn check_sex(out: &mut RowFindings<'_>, person: &Person, card: &Card, styles: &Styles) {
    let sheet = person.sheet;
    if let Some(&col) = person.cols.get(&Field::Sex) {
        let implied = card.text(Field::Patronymic).and_then(sex::from_patronymic);
        let suggest = |s: sex::Sex| Some(styles.sex(sheet, col, s));
        match card.text(Field::Sex).map(|t| (t, sex::parse(t))) {
            None => out.push(
                col,
                Field::Sex,
                Severity::Warning,
                Kind::MissingSex,
                "Не указан пол: Госуслуги сверяют его при входе.".into(),
                implied.and_then(suggest),
            ),
            Some((text, Err(_))) => out.push(
                col,
                Field::Sex,
                Severity::Error,
                Kind::InvalidSex,
                format!("Пол «{text}» не читается: ожидается «М» или «Ж»."),
                implied.and_then(suggest),
            ),
            Some((text, Ok(s))) => {
                if let Some(i) = implied.filter(|i| *i != s) {
                    out.push(
                        col,
                        Field::Sex,
                        Severity::Error,
                        Kind::SexContradictsPatronymic,
                        format!(
                            "Пол «{}» не совпадает с отчеством «{}» (отчество {}): на Госуслугах пол, скорее всего, другой, и вход не состоится.",
                            text.trim(),
                            card.text(Field::Patronymic).unwrap_or_default(),
                            if i == sex::Sex::Male {
                                "мужское"
                            } else {
                                "женское"
                            }
                        ),
                        suggest(i),
                    );
                }
            }
        }
    }
}

/// СНИЛС: missing, unreadable, a wrong check number, or written unlike the rest of the column.
fn check_snils(
    out: &mut RowFindings<'_>,
    grid: &Grid,
    person: &Person,
    card: &Card,
    styles: &Styles,
) {
    let sheet = person.sheet;
    let row = person.row;
    if let Some(&col) = person.cols.get(&Field::Snils) {
        match card.text(Field::Snils) {
            None => out.push(
                col,
                Field::Snils,
                Severity::Warning,
                Kind::MissingSnils,
                "Нет СНИЛС: по нему Госуслуги находят человека; без СНИЛС вход обычно не состоится."
                    .into(),
                None,
            ),
            Some(text) => match snils::parse(text) {
                Err(e) => out.push(
                    col,
                    Field::Snils,
                    Severity::Error,
                    Kind::InvalidSnils,
                    format!("СНИЛС «{text}»: {e}."),
                    None,
                ),
                Ok(n) => {
                    if let Some(why) = n.check_problem() {
                        out.push(
                            col,
                            Field::Snils,
                            Severity::Error,
                            Kind::SnilsCheckNumber,
                            format!(
                                "{why}: в номере опечатка, с Госуслугами он не совпадёт. Сверьте с документом или обращением."
                            ),
                            None,
                        );
                    } else {
                        let is_number = matches!(
                            grid.get(row, col),
                            Some(CellValue::Number(_) | CellValue::Date(_))
                        );
                        // A value in a recognised style is left as it is; only the others
                        // are rewritten the way the column writes them.
                        let want = (is_number || snils::style_of(text).is_none())
                            .then(|| styles.snils(sheet, col, &n))
                            .filter(|want| is_number || want != text);
                        if let Some(want) = want {
                            out.push(
                                col,
                                Field::Snils,
                                Severity::Info,
                                Kind::SnilsFormat,
                                if is_number {
                                    "СНИЛС записан числом (могли потеряться ведущие нули): лучше записать его текстом.".into()
                                } else {
                                    format!("СНИЛС «{text}» записан не так, как остальные в столбце.")
                                },
                                Some(want),
                            );
                        }
                    }
                }
            },
        }
    }
}

/// Телефон: written but not a phone number.
fn check_phone(out: &mut RowFindings<'_>, person: &Person, card: &Card) {
    if let (Some(&col), Some(text)) = (person.cols.get(&Field::Phone), card.text(Field::Phone))
        && let Err(e) = phone::parse(text)
    {
        {
            out.push(
                col,
                Field::Phone,
                Severity::Warning,
                Kind::InvalidPhone,
                format!("Телефон «{text}»: {e}."),
                None,
            );
        }
    }
}

/// Электронная почта: an invalid address, or a typo in a popular domain.
fn check_email(out: &mut RowFindings<'_>, person: &Person, card: &Card) {
    if let (Some(&col), Some(text)) = (person.cols.get(&Field::Email), card.text(Field::Email)) {
        if let Err(e) = email::validate(text) {
            out.push(
                col,
                Field::Email,
                Severity::Warning,
                Kind::InvalidEmail,
                format!("Адрес почты «{text}»: {e}."),
                email::domain_typo(text),
            );
        } else if let Some(fixed) = email::popular_domain_typo(text) {
            out.push(
                col,
                Field::Email,
                Severity::Warning,
                Kind::EmailTypo,
                format!("В адресе «{text}», похоже, опечатка в домене: «{fixed}»."),
                Some(fixed),
            );
        }
    }
}

/// Folded surname, name, patronymic and birth date.
type Identity = (String, String, String, Option<NaiveDate>);

/// Identity key of a person: folded ФИО and birth date.
fn identity(card: &Card) -> Option<Identity> {
    Some((
        fio::fold(card.text(Field::Surname)?),
        fio::fold(card.text(Field::Name)?),
        card.text(Field::Patronymic)
            .map(fio::fold)
            .unwrap_or_default(),
        card.birth_date,
    ))
}

/// What the checks across the file need of each person. Kept small: the whole cards of
/// 200,000 people would double the memory an audit takes; the few people the checks pick out
/// have their cards read again.
#[derive(Debug, Clone, Copy, Default)]
struct Facts {
    snils: Option<[u8; 11]>,
    /// Hash of the [`Identity`] of a person with a birth date (equal hashes are confirmed on
    /// the identities themselves).
    dated_identity: Option<u64>,
}

impl Facts {
    fn of(card: &Card) -> Facts {
        use std::hash::{Hash, Hasher};
        Facts {
            snils: card
                .text(Field::Snils)
                .and_then(|t| snils::parse(t).ok())
                .map(|n| n.digits()),
            dated_identity: identity(card).filter(|id| id.3.is_some()).map(|id| {
                let mut h = rustc_hash::FxHasher::default();
                id.hash(&mut h);
                h.finish()
            }),
        }
    }
}

fn cross_checks(out: &mut Vec<Finding>, grids: &[Grid], schema: &Schema, facts: &[Facts]) {
    let identity_of = |i: usize| -> Option<Identity> {
        let p = schema.people.get(i)?;
        identity(&Card::read(grids.get(p.sheet)?, p))
    };
    // Same СНИЛС on different people.
    let mut by_snils: HashMap<[u8; 11], Vec<usize>> = HashMap::default();
    for (i, f) in facts.iter().enumerate() {
        if let Some(n) = f.snils {
            by_snils.entry(n).or_default().push(i);
        }
    }
    let place = |i: usize| -> String {
        schema
            .people
            .get(i)
            .map(|p| schema.place_ru(p))
            .unwrap_or_default()
    };
    for idx in by_snils.values().filter(|v| v.len() > 1) {
        let ids: Vec<Option<Identity>> = idx.iter().map(|&i| identity_of(i)).collect();
        for (&i, me) in idx.iter().zip(&ids) {
            let Some(p) = schema.people.get(i) else {
                continue;
            };
            let Some(&col) = p.cols.get(&Field::Snils) else {
                continue;
            };
            let others: Vec<usize> = idx
                .iter()
                .zip(&ids)
                .filter(|&(&j, other)| {
                    // A parent listed on each of their children's rows is one person.
                    j != i && (other.is_none() || me.is_none() || other != me)
                })
                .map(|(&j, _)| j)
                .collect();
            let Some(&first) = others.first() else {
                continue;
            };
            let same_row_child = others.iter().any(|&j| {
                schema.people.get(j).is_some_and(|q| {
                    q.sheet == p.sheet && q.row == p.row && q.group.is_none() && p.group.is_some()
                })
            });
            let (kind, message) = if same_row_child {
                (
                    Kind::ParentSnilsEqualsChild,
                    "СНИЛС родителя совпадает со СНИЛС ребёнка: скорее всего, в карточку родителя вписан СНИЛС ученика. Вход родителя не состоится.".to_string(),
                )
            } else {
                (
                    Kind::DuplicateSnils,
                    format!(
                        "Этот же СНИЛС записан у другого человека ({}): у каждого человека свой СНИЛС, один из них ошибочен.",
                        place(first)
                    ),
                )
            };
            out.push(Finding {
                cell: crate::book::CellRef::new(p.sheet, p.row, col),
                field: Some(Field::Snils),
                severity: Severity::Error,
                kind,
                message,
                suggestion: None,
            });
        }
    }

    // The same pupil (or staff member) twice: possible duplicate accounts.
    let mut by_hash: HashMap<(Role, u64), Vec<usize>> = HashMap::default();
    for (i, (p, f)) in schema.people.iter().zip(facts).enumerate() {
        if p.role == Role::Parent || p.group.is_some() {
            continue;
        }
        if let Some(h) = f.dated_identity {
            by_hash.entry((p.role, h)).or_default().push(i);
        }
    }
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for idx in by_hash.values().filter(|v| v.len() > 1) {
        // Equal hashes: group by the identities themselves, in file order.
        let mut exact: Vec<(Identity, Vec<usize>)> = Vec::new();
        for &i in idx {
            let Some(id) = identity_of(i) else { continue };
            match exact.iter_mut().find(|(other, _)| *other == id) {
                Some((_, members)) => members.push(i),
                None => exact.push((id, vec![i])),
            }
        }
        groups.extend(exact.into_iter().map(|(_, m)| m).filter(|m| m.len() > 1));
    }
    for idx in &groups {
        for &i in idx {
            let Some(p) = schema.people.get(i) else {
                continue;
            };
            let col = p.cols.get(&Field::Surname).copied().unwrap_or(0);
            let other = idx.iter().copied().find(|&j| j != i).map(place);
            out.push(Finding {
                cell: crate::book::CellRef::new(p.sheet, p.row, col),
                field: Some(Field::Surname),
                severity: Severity::Warning,
                kind: Kind::DuplicatePerson,
                message: format!(
                    "Этот человек записан дважды ({}): две карточки одного человека мешают входу через Госуслуги — лишнюю нужно удалить в СГО.",
                    other.unwrap_or_default()
                ),
                suggestion: None,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap_or_default()
    }

    fn run(rows: &[&[&str]]) -> Vec<Finding> {
        let grids = [Grid::from_text("Ученики", rows)];
        let schema = Schema::detect(&grids, &[]);
        let styles = Styles::detect(&grids, &schema);
        audit(&grids, &schema, &styles, today())
    }

    const HEADER: &[&str] = &[
        "Фамилия",
        "Имя",
        "Отчество",
        "Дата рождения",
        "Пол",
        "СНИЛС",
        "Телефон",
        "E-mail",
        "Мать: Фамилия",
        "Мать: Имя",
        "Мать: СНИЛС",
    ];

    fn kinds(f: &[Finding], row: u32) -> Vec<(u32, Kind)> {
        f.iter()
            .filter(|x| x.cell.row == row)
            .map(|x| (x.cell.col, x.kind))
            .collect()
    }

    #[test]
    fn a_clean_card_has_no_findings() {
        let f = run(&[
            HEADER,
            &[
                "Иванов",
                "Пётр",
                "Сергеевич",
                "01.02.2015",
                "М",
                "112-233-445 95",
                "+7 900 123 45 67",
                "petr@mail.ru",
            ],
        ]);
        assert!(f.is_empty(), "{f:#?}");
    }

    #[test]
    fn every_kind_of_card_problem_is_found() {
        let f = run(&[
            HEADER,
            &[
                "Иванoв", // Latin o
                " Пётр",
                "Сергеевич",
                "31.02.2015",
                "Ж",
                "112-233-445 96",
                "12345",
                "petr@gmial.com",
            ],
            &["Петров", "Иван", "Олегович", "", "", "", "", "ivan@"],
            &["Сидоров", "Олег", "", "01.01.1800", "М", "000-000-000 00"],
        ]);
        let r1 = kinds(&f, 1);
        for k in [
            (0, Kind::LatinInName),
            (1, Kind::NameSpaces),
            (3, Kind::InvalidBirthDate),
            (4, Kind::SexContradictsPatronymic),
            (5, Kind::SnilsCheckNumber),
            (6, Kind::InvalidPhone),
            (7, Kind::EmailTypo),
        ] {
            assert!(r1.contains(&k), "{k:?} not in {r1:?}");
        }
        let latin = f.iter().find(|x| x.kind == Kind::LatinInName);
        assert_eq!(latin.and_then(|x| x.suggestion.as_deref()), Some("Иванов"));
        let sex = f.iter().find(|x| x.kind == Kind::SexContradictsPatronymic);
        assert_eq!(sex.and_then(|x| x.suggestion.as_deref()), Some("М"));
        let r2 = kinds(&f, 2);
        for k in [
            (3, Kind::MissingBirthDate),
            (4, Kind::MissingSex),
            (5, Kind::MissingSnils),
            (7, Kind::InvalidEmail),
        ] {
            assert!(r2.contains(&k), "{k:?} not in {r2:?}");
        }
        let missing_sex = f.iter().find(|x| x.kind == Kind::MissingSex);
        assert_eq!(missing_sex.and_then(|x| x.suggestion.as_deref()), Some("М"));
        let r3 = kinds(&f, 3);
        assert!(r3.contains(&(3, Kind::ImplausibleBirthDate)), "{r3:?}");
        assert!(r3.contains(&(5, Kind::InvalidSnils)), "{r3:?}");
        assert!(f.iter().all(|x| !x.message.is_empty()));
    }

    #[test]
    fn every_suggestion_for_one_cell_fixes_all_its_problems() {
        // Latin «a» and a trailing space in one surname; a no-break space and a Latin «o» in
        // one name: two findings each, and both suggest the value with everything fixed.
        let f = run(&[
            HEADER,
            &["Зaхаров ", "\u{a0}Пётp", "Сергеевич", "01.02.2015", "М"],
        ]);
        for (col, want) in [(0, "Захаров"), (1, "Пётр")] {
            let cell: Vec<&Finding> = f
                .iter()
                .filter(|x| x.cell.row == 1 && x.cell.col == col)
                .collect();
            let kinds: Vec<Kind> = cell.iter().map(|x| x.kind).collect();
            assert!(kinds.contains(&Kind::LatinInName), "{col}: {kinds:?}");
            assert!(kinds.contains(&Kind::NameSpaces), "{col}: {kinds:?}");
            for x in &cell {
                assert_eq!(x.suggestion.as_deref(), Some(want), "{x:#?}");
            }
        }
        // Only a space: the suggestion keeps the letters as they are.
        let f = run(&[
            HEADER,
            &["Захаров  ", "Пётр", "Сергеевич", "01.02.2015", "М"],
        ]);
        let spaces = f.iter().find(|x| x.kind == Kind::NameSpaces);
        assert_eq!(
            spaces.and_then(|x| x.suggestion.as_deref()),
            Some("Захаров")
        );
    }

    #[test]
    fn cross_file_duplicates() {
        let f = run(&[
            HEADER,
            &[
                "Иванов",
                "Пётр",
                "Сергеевич",
                "01.02.2015",
                "М",
                "112-233-445 95",
                "",
                "",
                "Иванова",
                "Анна",
                "112-233-445 95",
            ],
            &[
                "Иванова",
                "Мария",
                "Сергеевна",
                "03.04.2016",
                "Ж",
                "",
                "",
                "",
                "Иванова",
                "Анна",
                "156-684-125 50",
            ],
            &[
                "Петров",
                "Иван",
                "Олегович",
                "05.06.2015",
                "М",
                "156-684-125 50",
                "",
                "",
            ],
            &["Петров", "Иван", "Олегович", "05.06.2015", "М", "", "", ""],
        ]);
        assert!(
            kinds(&f, 1).contains(&(10, Kind::ParentSnilsEqualsChild)),
            "{f:#?}"
        );
        assert!(kinds(&f, 2).contains(&(10, Kind::DuplicateSnils)));
        assert!(kinds(&f, 3).contains(&(5, Kind::DuplicateSnils)));
        assert!(kinds(&f, 3).contains(&(0, Kind::DuplicatePerson)));
        assert!(kinds(&f, 4).contains(&(0, Kind::DuplicatePerson)));
    }

    #[test]
    fn a_parent_of_two_pupils_is_not_a_duplicate() {
        let f = run(&[
            HEADER,
            &[
                "Иванов",
                "Пётр",
                "Сергеевич",
                "01.02.2015",
                "М",
                "112-233-445 95",
                "",
                "",
                "Иванова",
                "Анна",
                "156-684-125 50",
            ],
            &[
                "Иванова",
                "Мария",
                "Сергеевна",
                "03.04.2016",
                "Ж",
                "",
                "",
                "",
                "Иванова",
                "Анна",
                "156-684-125 50",
            ],
        ]);
        assert!(!f.iter().any(|x| x.kind == Kind::DuplicateSnils), "{f:#?}");
    }
}
