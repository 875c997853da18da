//! `match --json` and `fix --json` beyond the match: the appeal's message, the child the
//! message names, and for an appeal nobody in the export is, the cards that share a СНИЛС,
//! a phone, an e-mail, or the name and birth date with it (a duplicate account in СГО is
//! what they prevent). On the demo and on the full fixture.

use std::path::{Path, PathBuf};

use serde_json::Value;
use sverka::book::XlsBook;
use sverka::engine::Card;
use sverka::engine::Field;
use sverka::engine::{Role, Schema};
use sverka::norm::{phone, snils};

mod common;
use common::sverka;

fn path(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

fn match_json(export: &Path, appeals: &[&Path]) -> Vec<Value> {
    let mut args: Vec<&std::ffi::OsStr> = vec!["match".as_ref(), export.as_os_str()];
    args.extend(appeals.iter().map(|a| a.as_os_str()));
    args.push("--json".as_ref());
    let (code, stdout, stderr) = sverka(&args);
    assert_eq!(code, 0, "{stderr}");
    json(&stdout)["appeals"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// The cells of one row of a sheet, by field, as the library reads them.
fn card_of(book: &XlsBook, schema: &Schema, sheet: &str, row: u64) -> Vec<(Field, String)> {
    let s = book.sheet_index(sheet).unwrap_or_else(|| panic!("{sheet}"));
    let p = schema
        .people
        .iter()
        .find(|p| p.sheet == s && u64::from(p.row) == row && p.group.is_none())
        .unwrap_or_else(|| panic!("nobody on {sheet}:{row}"));
    let grids = book.originals();
    let card = Card::read(&grids[s], p);
    Field::ALL
        .into_iter()
        .filter_map(|f| card.text(f).map(|t| (f, t.to_string())))
        .collect()
}

#[test]
fn the_demo_appeal_not_found_and_the_child_it_names() {
    let export = path("assets/demo/export.xls");
    let appeal = path("assets/demo/appeals/05_нет_в_выгрузке.txt");
    let all = match_json(&export, &[&appeal]);
    let a = &all[0];
    assert_eq!(a["status"], "not_found", "{a:#}");
    let message = a["message"].as_str().unwrap_or_default();
    assert!(
        message.starts_with("Не могу войти")
            && message.ends_with("Ребёнок Абрамова Арина, 1А класс."),
        "{message}"
    );
    // The demo export has no pupil Абрамова Арина (its Абрамовы are Фёдор, Павел and Денис;
    // its Арины in 1А are Козлова): the child is not guessed.
    let book = XlsBook::open(&export).unwrap_or_else(|e| panic!("{e}"));
    let schema = Schema::detect(book.originals(), &[]);
    let pupils: Vec<Vec<(Field, String)>> = schema
        .people
        .iter()
        .filter(|p| p.role == Role::Pupil && p.group.is_none())
        .map(|p| card_of(&book, &schema, "Ученики", u64::from(p.row)))
        .collect();
    assert!(pupils.len() > 100);
    assert!(!pupils.iter().any(|c| {
        c.contains(&(Field::Surname, "Абрамова".into()))
            && c.contains(&(Field::Name, "Арина".into()))
    }));
    assert!(a["child"].is_null(), "{a:#}");
    // Nobody shares the mother's СНИЛС, phone, e-mail, or name and birth date either.
    assert_eq!(a["near"], serde_json::json!([]), "{a:#}");

    // The same appeal naming a pupil the demo holds: found by surname, name and class.
    let text = std::fs::read_to_string(&appeal).unwrap_or_default();
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let write = |name: &str, child: &str| -> PathBuf {
        let f = dir.path().join(name);
        std::fs::write(&f, text.replace("Ребёнок Абрамова Арина, 1А класс", child))
            .unwrap_or_else(|e| panic!("{e}"));
        f
    };
    let right = write("right.txt", "Ребенок: КОЗЛОВА Арина, 1 «А» класс");
    let other_class = write("class.txt", "Ребенок: Козлова Арина, 2 «А» класс");
    let son = write("son.txt", "мой сын Абрамов Павел 5А");
    let all = match_json(&export, &[&right, &other_class, &son]);
    let child = |a: &Value| {
        (
            a["child"]["sheet"].as_str().map(String::from),
            a["child"]["row"].as_u64(),
        )
    };
    assert_eq!(
        child(&all[0]),
        (Some("Ученики".into()), Some(12)),
        "{:#}",
        all[0]
    );
    let card = card_of(&book, &schema, "Ученики", 12);
    assert!(
        card.contains(&(Field::Surname, "Козлова".into())),
        "{card:?}"
    );
    assert!(card.contains(&(Field::Name, "Арина".into())), "{card:?}");
    assert!(all[1]["child"].is_null(), "another class: {:#}", all[1]);
    assert_eq!(
        child(&all[2]),
        (Some("Ученики".into()), Some(134)),
        "{:#}",
        all[2]
    );
}

#[test]
fn matched_demo_appeals_have_null_near() {
    let export = path("assets/demo/export.xls");
    let appeals = path("assets/demo/appeals");
    let all = match_json(&export, &[&appeals]);
    assert_eq!(all.len(), 5);
    for a in &all {
        let status = a["status"].as_str().unwrap_or_default();
        assert!(
            a.get("message").is_some() && a.get("child").is_some(),
            "{a:#}"
        );
        if status == "not_found" {
            assert!(a["near"].is_array(), "{a:#}");
        } else {
            assert!(a["near"].is_null(), "{a:#}");
        }
    }
}

/// A parent on the full fixture with a valid СНИЛС and a phone: (sheet name, row, group, the
/// СНИЛС, the phone).
fn a_parent_with_snils_and_phone(
    book: &XlsBook,
    schema: &Schema,
) -> (String, u32, usize, String, String) {
    let grids = book.originals();
    for p in &schema.people {
        if p.role != Role::Parent {
            continue;
        }
        let card = Card::read(&grids[p.sheet], p);
        let s = card.text(Field::Snils).and_then(|t| snils::parse(t).ok());
        let ph = card.text(Field::Phone).and_then(|t| phone::parse(t).ok());
        if let (Some(s), Some(ph), Some(g)) = (s, ph, p.group)
            && s.check_ok()
        {
            let name = book.sheet_names()[p.sheet].to_string();
            return (name, p.row, g, s.formatted(), ph.national().to_string());
        }
    }
    panic!("no parent with a СНИЛС and a phone in the fixture");
}

#[test]
fn an_appeal_not_found_lists_the_cards_that_share_its_values() {
    let export = path("tests/fixtures/full/export.xls");
    let book = XlsBook::open(&export).unwrap_or_else(|e| panic!("{e}"));
    let schema = Schema::detect(book.originals(), &[]);
    let (sheet, row, group, snils, phone) = a_parent_with_snils_and_phone(&book, &schema);

    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    // Someone else's name, the parent's СНИЛС: not this parent, but the officer must see the
    // card before creating a new account.
    let by_snils = dir.path().join("snils.txt");
    std::fs::write(
        &by_snils,
        format!("Фамилия Небывалова\nИмя Зинаида\nОтчество Карповна\nСНИЛС {snils}\n"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    // The parent's phone written as +7, nothing else in common.
    let by_phone = dir.path().join("phone.txt");
    std::fs::write(
        &by_phone,
        format!("Фамилия Небывалов\nИмя Игнат\nОтчество Карпович\nТелефон +7{phone}\n"),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    // Nothing in common with anybody.
    let nobody = dir.path().join("nobody.txt");
    std::fs::write(
        &nobody,
        "Фамилия Небывалов\nИмя Игнат\nОтчество Карпович\nДата рождения 02.03.1971\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));

    let all = match_json(&export, &[&by_snils, &by_phone, &nobody]);
    assert_eq!(all.len(), 3);
    for a in &all {
        assert_eq!(a["status"], "not_found", "{a:#}");
        assert!(a["message"].is_null() && a["child"].is_null(), "{a:#}");
    }
    let the_parent = |near: &Value| -> Option<Value> {
        near.as_array()?
            .iter()
            .find(|c| c["sheet"] == sheet.as_str() && c["row"] == row && c["group"] == group)
            .cloned()
    };
    let near = &all[0]["near"];
    let card = the_parent(near).unwrap_or_else(|| panic!("{sheet}:{row} not in {near:#}"));
    assert_eq!(card["role"], "parent");
    assert_eq!(card["agree"], serde_json::json!(["snils"]), "{card:#}");
    for c in near.as_array().into_iter().flatten() {
        assert!(
            c["agree"]
                .as_array()
                .into_iter()
                .flatten()
                .any(|f| f == "snils"),
            "every card here shares the СНИЛС: {c:#}"
        );
    }
    let near = &all[1]["near"];
    let card = the_parent(near).unwrap_or_else(|| panic!("{sheet}:{row} not in {near:#}"));
    assert!(
        card["agree"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|f| f == "phone"),
        "{card:#}"
    );
    assert!(
        !card["agree"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|f| f == "snils"),
        "{card:#}"
    );
    assert_eq!(all[2]["near"], serde_json::json!([]));

    // The text output says it in Russian, with the card's place.
    let (code, stdout, stderr) =
        sverka(&["match".as_ref(), export.as_os_str(), by_snils.as_os_str()]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("Прежде чем создавать карточку, проверьте похожие"),
        "{stdout}"
    );
    let line = format!("лист «{sheet}», строка {}, ", row + 1);
    assert!(
        stdout.lines().any(|l| l.contains(&line)
            && l.contains("(родитель)")
            && l.ends_with(": совпадает СНИЛС")),
        "{line} in {stdout}"
    );
}

#[test]
fn the_text_output_names_the_child_and_the_near_cards() {
    let export = path("assets/demo/export.xls");
    let appeal = path("assets/demo/appeals/05_нет_в_выгрузке.txt");
    let text = std::fs::read_to_string(&appeal)
        .unwrap_or_default()
        .replace("Абрамова Арина", "Козлова Арина");
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let appeal = dir.path().join("05.txt");
    std::fs::write(&appeal, text).unwrap_or_else(|e| panic!("{e}"));
    let (code, stdout, stderr) =
        sverka(&["match".as_ref(), export.as_os_str(), appeal.as_os_str()]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("Ребёнок, названный в обращении: лист «Ученики», строка 13 (ученик) Козлова Арина Ивановна"),
        "{stdout}"
    );
    assert!(
        stdout.contains("Карточек с тем же СНИЛС, телефоном, почтой или с теми же ФИО и датой рождения в выгрузке нет."),
        "{stdout}"
    );
}

#[test]
fn fix_json_carries_the_same_help() {
    let export = path("tests/fixtures/full/export.xls");
    let appeals = path("tests/fixtures/full/appeals");
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let nobody = dir.path().join("nobody.txt");
    std::fs::write(
        &nobody,
        "Фамилия Небывалов\nИмя Игнат\nДата рождения 02.03.1971\nТекст сообщения\nСын Небывалов Лев, 4Б класс.\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let out = dir.path().join("out.xls");
    let (code, stdout, stderr) = sverka(&[
        "fix".as_ref(),
        export.as_os_str(),
        appeals.as_os_str(),
        nobody.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
        "--json".as_ref(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    let v = json(&stdout);
    let all = v["appeals"].as_array().cloned().unwrap_or_default();
    assert_eq!(all.len(), 41);
    let mut parents_with_child = 0;
    for a in &all {
        assert!(a["message"].is_string(), "every card has a text: {a:#}");
        if a["status"] == "not_found" {
            continue;
        }
        assert!(a["near"].is_null(), "{a:#}");
        let message = a["message"].as_str().unwrap_or_default();
        if a["person"]["role"] == "parent" && message.contains("Ребёнок ") {
            // The parent was matched on their child's row: the child the message names is
            // the pupil of that row.
            parents_with_child += 1;
            assert_eq!(a["child"]["sheet"], a["person"]["sheet"], "{a:#}");
            assert_eq!(a["child"]["row"], a["person"]["row"], "{a:#}");
        } else {
            assert!(a["child"].is_null(), "{a:#}");
        }
    }
    assert_eq!(parents_with_child, 12);
    let last = &all[40];
    assert_eq!(last["status"], "not_found", "{last:#}");
    assert!(last["child"].is_null(), "no such pupil: {last:#}");
    assert_eq!(last["near"], serde_json::json!([]), "{last:#}");
}
