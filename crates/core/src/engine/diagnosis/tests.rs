use super::*;
use crate::engine::appeal::parse_text;
use crate::engine::lookup::help;
use crate::engine::reconcile::{Analysis, match_appeals};

const HEAD: [&str; 12] = [
    "Фамилия",
    "Имя",
    "Отчество",
    "Дата рождения",
    "СНИЛС",
    "Класс",
    "Родитель 1: Фамилия",
    "Родитель 1: Имя",
    "Родитель 1: Отчество",
    "Родитель 1: Дата рождения",
    "Родитель 1: СНИЛС",
    "Родитель 1: Телефон",
];

/// A pupils' sheet: two siblings with their mother on both rows, a pupil listed twice, a
/// pupil with another mother.
fn export() -> Vec<Grid> {
    let mother = [
        "Медведева",
        "Варвара",
        "Денисовна",
        "14.06.1990",
        "112-233-445 95",
        "89047103310",
    ];
    let rows: Vec<Vec<&str>> = vec![
        HEAD.to_vec(),
        [
            &["Медведев", "Владимир", "Денисович", "01.02.2015", "", "3А"][..],
            &mother[..],
        ]
        .concat(),
        [
            &["Медведева", "Анна", "Денисовна", "05.05.2017", "", "1А"][..],
            &mother[..],
        ]
        .concat(),
        vec!["Петров", "Олег", "Игоревич", "03.03.2014", "", "4А"],
        vec!["Петров", "Олег", "Игоревич", "03.03.2014", "", "4Б"],
        vec![
            "Соколова",
            "Мария",
            "Ивановна",
            "02.02.2016",
            "",
            "2А",
            "Соколова",
            "Елена",
            "Петровна",
            "01.01.1985",
            "",
            "",
        ],
        vec!["Орлова", "Дарья", "Олеговна", "09.09.2016", "", "2А"],
    ];
    let rows: Vec<&[&str]> = rows.iter().map(Vec::as_slice).collect();
    vec![Grid::from_text("Ученики", &rows)]
}

fn appeal(body: &str) -> Appeal {
    parse_text(body, "тест")
        .ok()
        .and_then(|l| l.into_iter().next())
        .unwrap_or_else(|| panic!("no appeal in {body}"))
}

fn card(surname: &str, name: &str, patronymic: &str, birth: &str) -> String {
    format!("Фамилия {surname}\nИмя {name}\nОтчество {patronymic}\nДата рождения {birth}\n")
}

const MOTHER: &str = "Фамилия Медведева\nИмя Варвара\nОтчество Денисовна\nДата рождения 14.06.1990\nСНИЛС 112-233-445 95\n";

/// The kinds diagnosed for an appeal text.
fn kinds(body: &str) -> Vec<&'static str> {
    diagnoses(body).iter().map(Diagnosis::kind).collect()
}

fn diagnoses(body: &str) -> Vec<Diagnosis> {
    let grids = export();
    let analysis = Analysis::run(&grids, &[], chrono::NaiveDate::MIN);
    let outcomes = match_appeals(&grids, &analysis, vec![appeal(body)]);
    let o = outcomes.first().unwrap_or_else(|| panic!("no outcome"));
    let h = help(&grids, &analysis.schema, &o.appeal, o.result.status);
    Diagnoser::new(&grids, &analysis.schema).diagnose(o, h.child)
}

#[test]
fn the_account_type_is_read_and_only_a_named_type_counts() {
    let with = |t: &str| format!("{MOTHER}Тип учетной записи ЕСИА {t}\n");
    assert_eq!(
        Account::of(&appeal(&with("Упрощенная"))),
        Some(Account::Simplified)
    );
    assert_eq!(
        Account::of(&appeal(&with("Стандартная"))),
        Some(Account::Standard)
    );
    assert_eq!(
        Account::of(&appeal(&with("Подтвержденная"))),
        Some(Account::Confirmed)
    );
    assert_eq!(
        Account::of(&appeal(&with("Подтверждённая"))),
        Some(Account::Confirmed)
    );
    assert_eq!(
        Account::of(&appeal(&with("—"))),
        None,
        "unknown is not «not confirmed»"
    );
    assert_eq!(Account::of(&appeal(MOTHER)), None);
    assert_eq!(
        kinds(&with("Упрощенная")),
        ["account_not_confirmed"],
        "and no «no cause found» beside it"
    );
    assert_eq!(kinds(&with("Подтвержденная")), ["no_cause_found"]);
    // No type given: no cause found, and the message says to ask.
    let d = diagnoses(MOTHER);
    assert_eq!(d, [Diagnosis::NoCauseFound { account: None }]);
    let text = d
        .first()
        .map(|d| d.message_ru(&|_| String::new()))
        .unwrap_or_default();
    assert!(text.contains("не указан"), "{text}");
    assert!(text.contains("методический отдел"), "{text}");
}

#[test]
fn a_parent_naming_a_child_not_linked_to_her_is_diagnosed() {
    // Linked: the mother is on her son's row.
    let linked = format!(
        "{MOTHER}Тип учетной записи ЕСИА Подтвержденная\nТекст сообщения\nНе могу войти. Ребёнок Медведев Владимир, 3А класс.\n"
    );
    assert_eq!(kinds(&linked), ["no_cause_found"]);
    // Not linked: a child whose row does not carry her.
    let other = format!(
        "{MOTHER}Тип учетной записи ЕСИА Подтвержденная\nТекст сообщения\nНе могу войти. Ребёнок Орлова Дарья, 2А класс.\n"
    );
    let d = diagnoses(&other);
    assert_eq!(d.len(), 1, "{d:?}");
    match d.first() {
        Some(Diagnosis::ChildNotLinked { child, parent }) => assert_ne!(child, parent),
        other => panic!("{other:?}"),
    }
    // A parent naming no child: no link diagnosis.
    let none = format!("{MOTHER}Тип учетной записи ЕСИА Подтвержденная\n");
    assert_eq!(kinds(&none), ["no_cause_found"]);
}

#[test]
fn two_cards_of_one_person_are_found_and_a_parent_on_two_childrens_rows_is_one_card() {
    let d = diagnoses(&card("Петров", "Олег", "Игоревич", "03.03.2014"));
    match d.first() {
        Some(Diagnosis::DuplicateCards { cards }) => assert_eq!(cards.len(), 2),
        other => panic!("{other:?}"),
    }
    // The mother is on both her children's rows: the same card, not a duplicate.
    assert_eq!(kinds(MOTHER), ["no_cause_found"]);
}

#[test]
fn a_person_not_in_the_export_is_staff_only_when_the_message_says_so() {
    let stranger = card("Кузнецова", "Ирина", "Сергеевна", "11.11.1980");
    assert_eq!(kinds(&stranger), ["not_in_sgo"]);
    let teacher = format!(
        "{stranger}Текст сообщения\nЯ учитель математики, не могу войти в электронный журнал.\n"
    );
    assert_eq!(kinds(&teacher), ["staff_not_in_export"]);
    let parent =
        format!("{stranger}Текст сообщения\nКлассный руководитель сказал написать сюда.\n");
    assert_eq!(
        kinds(&parent),
        ["not_in_sgo"],
        "a parent quoting the teacher"
    );
}

#[test]
fn fields_that_differ_are_the_cause_and_every_kind_has_a_message() {
    let d = diagnoses(&card("Медведев", "Владимир", "Денисович", "02.01.2015"));
    assert!(
        d.iter().any(|x| matches!(x, Diagnosis::FieldsDiffer { fields } if fields.contains(&Field::BirthDate))),
        "{d:?}"
    );
    assert!(!d.iter().any(|x| x.kind() == "no_cause_found"));
    let all = [
        Diagnosis::AccountNotConfirmed {
            account: Account::Standard,
        },
        Diagnosis::ChildNotLinked {
            child: PersonId::at(0),
            parent: PersonId::at(1),
        },
        Diagnosis::StaffNotInExport,
        Diagnosis::DuplicateCards {
            cards: vec![PersonId::at(0), PersonId::at(1)],
        },
        Diagnosis::FieldsDiffer {
            fields: vec![Field::Snils],
        },
        Diagnosis::NotInSgo,
        Diagnosis::NoCauseFound {
            account: Some(Account::Confirmed),
        },
    ];
    for d in all {
        let text = d.message_ru(&|p| format!("карточка {}", p.index()));
        assert!(text.len() > 40, "{}: {text}", d.kind());
        assert!(
            !text.contains("+7") && !text.contains("8-800"),
            "no phone numbers"
        );
        // Only letters, digits and the punctuation the app's font draws (no arrows).
        assert!(
            text.chars()
                .all(|c| c.is_alphanumeric() || " .,:;!?()«»—–-…№/>'\"".contains(c)),
            "{text}"
        );
    }
}
