//! The children a message names and how they are found; near cards for an appeal not found.

use super::fold::folds_to;
use super::near::{cell_digits, digits_value};
use super::*;
use crate::book::CellValue;
use crate::engine::field::Field;
use crate::norm::fio;

fn one(text: &str) -> ChildMention {
    let all = children_in_message(text);
    assert_eq!(all.len(), 1, "{text}: {all:?}");
    all.into_iter().next().unwrap_or_else(|| panic!("{text}"))
}

fn class(number: u8, letter: char) -> Option<Class> {
    Some(Class {
        number,
        letter: Some(letter),
    })
}

#[test]
fn phrases_that_name_a_child() {
    let m = one("Не могу войти. Ребёнок Семёнов Глеб, 8А класс.");
    assert_eq!(
        (m.surname.as_str(), m.name.as_str(), m.patronymic, m.class),
        ("Семёнов", "Глеб", None, class(8, 'А'))
    );
    let m = one("Ребенок: Иванова Мария Петровна 5Б");
    assert_eq!((m.surname.as_str(), m.name.as_str()), ("Иванова", "Мария"));
    assert_eq!(m.patronymic.as_deref(), Some("Петровна"));
    assert_eq!(m.class, class(5, 'Б'));
    let m = one("Мой сын Петров Иван, 3 «А» класс, не видит дневник");
    assert_eq!((m.surname.as_str(), m.name.as_str()), ("Петров", "Иван"));
    assert_eq!(m.class, class(3, 'А'));
    let m = one("дочь — Орлова Вера 10-б");
    assert_eq!((m.surname.as_str(), m.name.as_str()), ("Орлова", "Вера"));
    assert_eq!(m.class, class(10, 'Б'));
    let m = one("мой ребенок Кузнецов Артём учится в 7 классе");
    assert_eq!(
        (m.surname.as_str(), m.name.as_str(), m.class),
        (
            "Кузнецов",
            "Артём",
            Some(Class {
                number: 7,
                letter: None
            })
        )
    );
    let m = one("Ученица Петрова-Водкина Анна");
    assert_eq!(
        (m.surname.as_str(), m.name.as_str(), m.class),
        ("Петрова-Водкина", "Анна", None)
    );
    let m = one("ученик Сидоров Олег Иванов 2В класс");
    assert_eq!(m.patronymic, None, "«Иванов» is not a patronymic");
    assert_eq!(m.class, class(2, 'В'));
    let m = one("Ребенок Сидоров Олег, он учится уже давно в школе, 2В класс");
    assert_eq!(
        m.class, None,
        "the class is more than three words after the name"
    );
}

#[test]
fn messages_without_a_child() {
    for text in [
        "Не могу войти в дневник.",
        "Ребёнок не может войти",
        "сын. Иванов Петр",
        "Ребенок: Иванов",
        "",
    ] {
        assert!(children_in_message(text).is_empty(), "{text}");
    }
}

#[test]
fn two_children_in_one_message() {
    let all = children_in_message("Сын Иванов Пётр 3А, дочь Иванова Анна 5 «В» класс.");
    let names: Vec<(&str, Option<Class>)> =
        all.iter().map(|m| (m.name.as_str(), m.class)).collect();
    assert_eq!(
        names,
        vec![("Пётр", class(3, 'А')), ("Анна", class(5, 'В'))]
    );
}

#[test]
fn classes() {
    assert_eq!(parse_class("8А"), class(8, 'А'));
    assert_eq!(parse_class("8 а"), class(8, 'А'));
    assert_eq!(parse_class("11-Ё"), class(11, 'Е'));
    assert_eq!(parse_class("3 «Г» класс"), class(3, 'Г'));
    assert_eq!(parse_class("класс 5Б"), class(5, 'Б'));
    assert_eq!(parse_class("1А класс"), class(1, 'А'));
    assert_eq!(
        parse_class("5"),
        Some(Class {
            number: 5,
            letter: None
        })
    );
    assert_eq!(parse_class("12А"), None);
    assert_eq!(parse_class("0"), None);
    assert_eq!(parse_class("8АБ"), None);
    assert_eq!(parse_class("Иванов"), None);
    let any = Class {
        number: 8,
        letter: None,
    };
    assert!(any.agrees(&Class {
        number: 8,
        letter: Some('В')
    }));
    assert!(!any.agrees(&Class {
        number: 7,
        letter: None
    }));
}

#[test]
fn folding_compares_without_case_yo_or_lookalikes() {
    assert!(folds_to("Семёнов", &fio::fold("семенов")));
    assert!(folds_to("СЕМЕНОВ", &fio::fold("Семёнов")));
    assert!(folds_to("Ceмёнов", &fio::fold("Семенов")), "Latin C");
    assert!(!folds_to("Семёнова", &fio::fold("Семенов")));
    assert!(!folds_to("Семёнов", ""));
}

#[test]
fn digits_of_values() {
    assert_eq!(digits_value("+7 (900) 123-45-67"), (79_001_234_567, 11));
    assert_eq!(digits_value("052-903-666 55"), (5_290_366_655, 11));
    assert_eq!(digits_value("x"), (0, 0));
    assert_eq!(
        cell_digits(&CellValue::Number(5_290_366_655.0)),
        Some((5_290_366_655, 10))
    );
}

fn grid(rows: &[&[&str]]) -> Vec<Grid> {
    vec![Grid::from_text("Ученики", rows)]
}

const HEADER: &[&str] = &[
    "Класс",
    "Фамилия",
    "Имя",
    "Отчество",
    "Дата рождения",
    "СНИЛС",
    "Родитель 1: Фамилия",
    "Родитель 1: Имя",
    "Родитель 1: Телефон",
];

#[test]
fn the_child_is_found_by_name_and_class() {
    let grids = grid(&[
        HEADER,
        &[
            "5А",
            "Иванова",
            "Мария",
            "Петровна",
            "01.02.2015",
            "",
            "Иванова",
            "Анна",
        ],
        &["5Б", "Иванова", "Мария", "Олеговна", "03.04.2015"],
        &["3А", "Петров", "Иван", "", "05.06.2017"],
        &["7В", "Семёнов", "Глеб", "", "07.08.2013"],
    ]);
    let schema = Schema::detect(&grids, &[]);
    let row = |m: &str| {
        children_in_message(m)
            .first()
            .and_then(|c| find_pupil(&grids, &schema, c))
            .map(|p| p.row)
    };
    assert_eq!(row("Ребенок Семенов Глеб"), Some(4), "ё and е fold");
    assert_eq!(row("Ребенок Семенов Глеб 7 «В» класс"), Some(4));
    assert_eq!(row("Ребенок Семенов Глеб 8В"), None, "another class");
    assert_eq!(row("Ребенок Иванова Мария"), None, "two pupils fit");
    assert_eq!(
        row("Ребенок Иванова Мария 5Б"),
        Some(2),
        "the class tells them apart"
    );
    assert_eq!(row("Ребенок Иванова Мария Петровна"), Some(1));
    assert_eq!(
        row("дочь Мария Иванова, 5 А"),
        Some(1),
        "name before surname"
    );
    assert_eq!(row("Ребенок Иванова Анна"), None, "a parent, not a pupil");
    assert_eq!(row("сын Петров Иван, 3 «А» класс"), Some(3));
}

#[test]
fn near_cards_share_an_identifying_value() {
    let grids = grid(&[
        HEADER,
        &[
            "5А",
            "Иванова",
            "Мария",
            "Петровна",
            "01.02.2015",
            "112-233-445 95",
            "Иванова",
            "Анна",
            "8 (900) 123-45-67",
        ],
        &[
            "5Б",
            "Петров",
            "Иван",
            "Олегович",
            "03.04.2015",
            "156-684-125 50",
        ],
    ]);
    let schema = Schema::detect(&grids, &[]);
    let appeal = |text: &str| {
        crate::engine::appeal::parse_text(text, "t")
            .unwrap_or_default()
            .into_iter()
            .next()
            .unwrap_or_default()
    };
    // Another name, the pupil's СНИЛС.
    let a = appeal("Фамилия Смирнова\nИмя Ольга\nСНИЛС 112-233-445 95");
    let near = near_cards(&grids, &schema, &a);
    assert_eq!(near.len(), 1, "{near:?}");
    assert_eq!(
        (near[0].place.row, near[0].agree.clone()),
        (1, vec![Field::Snils])
    );
    // The mother's phone, written another way.
    let a = appeal("Фамилия Смирнова\nИмя Анна\nТелефон +79001234567");
    let near = near_cards(&grids, &schema, &a);
    assert_eq!(near.len(), 1, "{near:?}");
    let mother = schema.person(near[0].place.person);
    assert_eq!(mother.and_then(|p| p.group), Some(0));
    assert_eq!(near[0].agree, vec![Field::Name, Field::Phone]);
    // Name and birth date, with ё/е and case.
    let a = appeal("Фамилия ПЕТРОВ\nИмя Иван\nДата рождения 03.04.2015\nСНИЛС 123-456-789 64");
    let near = near_cards(&grids, &schema, &a);
    assert_eq!(near.len(), 1, "{near:?}");
    assert_eq!(near[0].place.row, 2);
    assert_eq!(
        near[0].agree,
        vec![Field::Surname, Field::Name, Field::BirthDate]
    );
    // The name alone, or another date: nothing.
    let a = appeal("Фамилия Петров\nИмя Иван\nДата рождения 04.04.2015");
    assert!(near_cards(&grids, &schema, &a).is_empty());
    let a = appeal("Фамилия Петров\nИмя Иван\nОтчество Ильич\nДата рождения 03.04.2015");
    assert!(
        near_cards(&grids, &schema, &a).is_empty(),
        "patronymics differ"
    );
    // Many appeals in one pass give what each gives alone.
    let many: Vec<Appeal> = [
        "Фамилия Смирнова\nИмя Ольга\nСНИЛС 112-233-445 95\nТелефон 89001234567",
        "Фамилия Смирнова\nИмя Анна\nТелефон +79001234567",
        "Фамилия петров\nИмя Иван\nДата рождения 03.04.2015",
        "Фамилия Никто\nИмя Иван\nСНИЛС 123-456-789 64",
        "Фамилия Смирнова\nИмя Ольга\nСНИЛС 112-233-445 95",
    ]
    .iter()
    .map(|t| appeal(t))
    .collect();
    let refs: Vec<&Appeal> = many.iter().collect();
    let batch = near_cards_all(&grids, &schema, &refs);
    let alone: Vec<Vec<NearCard>> = many
        .iter()
        .map(|a| near_cards(&grids, &schema, a))
        .collect();
    assert_eq!(batch, alone);
    let counts: Vec<usize> = batch.iter().map(Vec::len).collect();
    // The pupil's СНИЛС and the mother's phone: two cards, in file order.
    assert_eq!(counts, [2, 1, 1, 0, 1]);
    assert_eq!(batch[0][0].agree, vec![Field::Snils]);
    assert_eq!(batch[0][1].agree, vec![Field::Phone]);
    assert_eq!(batch[0][1].place.row, 1);
}
