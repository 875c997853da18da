//! Reading appeals from every kind of source: text cards, JSON, CSV and XLSX tables, files.

use super::decode::CP1251_HIGH;
use super::*;

fn fixture(p: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures")
        .join(p)
}

fn one(text: &str) -> Appeal {
    let mut v = parse_text(text, "t").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(v.len(), 1, "{v:#?}");
    v.remove(0)
}

#[test]
fn every_fixture_appeal_reads_as_its_truth() {
    for set in ["full", "short"] {
        let truth: serde_json::Value = serde_json::from_slice(
            &std::fs::read(fixture(&format!("{set}/truth.json"))).unwrap_or_default(),
        )
        .unwrap_or_default();
        let entries = truth.as_array().cloned().unwrap_or_default();
        assert!(entries.len() >= 12);
        for e in entries {
            let name = e["appeal"].as_str().unwrap_or_default();
            let g = &e["gosuslugi"];
            let list = load_file(&fixture(&format!("{set}/appeals/{name}")))
                .unwrap_or_else(|err| panic!("{name}: {err}"));
            assert_eq!(list.len(), 1, "{name}");
            let a = &list[0];
            let s = |k: &str| g[k].as_str().map(str::to_string);
            assert_eq!(a.surname, s("Фамилия"), "{set}/{name}");
            assert_eq!(a.name, s("Имя"), "{set}/{name}");
            assert_eq!(a.patronymic, s("Отчество"), "{set}/{name}");
            assert_eq!(
                a.birth_date.map(|d| d.format("%Y-%m-%d").to_string()),
                s("Дата рождения"),
                "{set}/{name}"
            );
            assert_eq!(
                a.snils.map(|x| x.digits_string()),
                s("СНИЛС"),
                "{set}/{name}"
            );
            assert_eq!(
                a.phone.as_ref().map(|p| p.national().to_string()),
                s("Телефон"),
                "{set}/{name}"
            );
            assert_eq!(a.email, s("E-mail"), "{set}/{name}");
            assert_eq!(a.epgu_number, g["epgu"].as_u64().map(|n| n.to_string()));
            assert_eq!(a.number, g["id"].as_u64().map(|n| n.to_string()));
            assert!(a.warnings.is_empty(), "{name}: {:?}", a.warnings);
        }
    }
}

#[test]
fn all_layouts_read_the_same() {
    let want = one(
        "Фамилия Иванов\nИмя Пётр\nОтчество Сергеевич\nДата рождения 01.02.2015\nСНИЛС 112-233-445 95\nТел. +7 900 123-45-67\nЭлектронная почта Petr@Mail.ru",
    );
    for text in [
        "Фамилия: Иванов\nИмя: Пётр\nОтчество: Сергеевич\nДата рождения: 01.02.2015\nСНИЛС: 112-233-445 95\nТел.: 89001234567\nЭлектронная почта: petr@mail.ru",
        "Фамилия\tИванов\nИмя\tПётр\nОтчество\tСергеевич\nДата рождения\t01.02.2015\nСНИЛС\t11223344595\nТел.\t+7(900)123-45-67\nЭлектронная почта\tpetr@mail.ru",
        "Фамилия\nИванов\nИмя\nПётр\nОтчество\nСергеевич\nДата рождения\n01.02.2015\nСНИЛС\n112-233-445 95\nТел.\n+7 900 123 45 67\nЭлектронная почта\npetr@mail.ru",
        "СНИЛС 112-233-445 95\nЭлектронная почта petr@mail.ru\nТел. 9001234567\nДата рождения 2015-02-01\nОтчество Сергеевич\nИмя Пётр\nФамилия Иванов",
    ] {
        let a = one(text);
        assert_eq!(
            (
                &a.surname,
                &a.name,
                &a.patronymic,
                a.birth_date,
                a.snils,
                &a.phone,
                &a.email
            ),
            (
                &want.surname,
                &want.name,
                &want.patronymic,
                want.birth_date,
                want.snils,
                &want.phone,
                &want.email
            ),
            "{text}"
        );
    }
    assert_eq!(want.email.as_deref(), Some("petr@mail.ru"));
    assert_eq!(want.title(), "Иванов Пётр Сергеевич, 01.02.2015");
    assert_eq!(want.known_fields().len(), 7);
}

#[test]
fn several_cards_in_one_paste() {
    let text = "Сообщение 1\nФамилия Иванов\nИмя Пётр\nТекст сообщения\nНе могу войти.\nИмя в дневнике другое.\nСообщение 2\nФамилия: Петрова\nИмя: Анна\n\nФамилия Сидоров\nИмя Олег\nТекст сообщения\nпомогите\nФамилия Козлов\nИмя Ян";
    let v = parse_text(text, "вставка 1").unwrap_or_else(|e| panic!("{e}"));
    let names: Vec<_> = v
        .iter()
        .map(|a| a.surname.clone().unwrap_or_default())
        .collect();
    assert_eq!(names, ["Иванов", "Петрова", "Сидоров", "Козлов"]);
    assert_eq!(v[0].number.as_deref(), Some("1"));
    assert_eq!(v[0].source, "вставка 1#1");
    assert!(
        v[0].raw
            .iter()
            .any(|(k, t)| k == "Текст сообщения" && t.contains("Имя в дневнике"))
    );
    assert_eq!(
        v[0].name.as_deref(),
        Some("Пётр"),
        "message text is not parsed as labels"
    );
}

#[test]
fn the_message_text_of_each_kind_of_source() {
    let v = parse_text(
        "Фамилия Иванов\nИмя Пётр\nТекст сообщения\nНе могу войти.\nРебёнок Иванова Анна, 2Б.\nФамилия Сидоров\nИмя Олег",
        "t",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        v[0].message(),
        Some("Не могу войти.\nРебёнок Иванова Анна, 2Б.")
    );
    assert_eq!(v[1].message(), None, "the second card has no text");
    let one_line = one("Фамилия Иванов\nТекст сообщения: помогите войти");
    assert_eq!(one_line.message(), Some("помогите войти"));
    for json in [
        r#"{"Фамилия": "Иванов", "Текст обращения": " Сын Иванов Пётр "}"#,
        r#"{"surname": "Иванов", "message": "Сын Иванов Пётр"}"#,
    ] {
        let v = parse_json(json, "a.json").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(v[0].message(), Some("Сын Иванов Пётр"), "{json}");
    }
    let v = parse_table(
        "Фамилия;Имя;Текст сообщения\nИванов;Пётр;дочь Иванова Анна\nПетров;Иван;\n".as_bytes(),
        "csv",
        "t.csv",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let texts: Vec<Option<&str>> = v.iter().map(Appeal::message).collect();
    assert_eq!(texts, [Some("дочь Иванова Анна"), None]);
}

#[test]
fn masked_and_empty_values_are_unknown() {
    let a = one(
        "Фамилия Иванов\nИмя Пётр\nДата рождения __.__.____\nСНИЛС 1____ 71\nТел. +7 (9**) ***-**-67\nЭлектронная почта _____\nОтчество -",
    );
    assert_eq!(a.snils, None);
    assert_eq!(a.phone, None);
    assert_eq!(a.birth_date, None);
    assert_eq!(a.email, None);
    assert_eq!(a.patronymic, None);
    assert!(
        a.warnings
            .iter()
            .any(|w| w.contains("СНИЛС") && w.contains("скрыт")),
        "{:?}",
        a.warnings
    );
    assert!(a.warnings.len() >= 4, "{:?}", a.warnings);
    let b = one("Фамилия Иванов\nИмя Пётр\nДата рождения 31.02.2010");
    assert_eq!(b.birth_date, None);
    assert!(b.warnings.iter().any(|w| w.contains("31.02.2010")));
}

#[test]
fn garbage_is_refused_without_panic() {
    assert!(matches!(parse_text("", "t"), Err(AppealError::Empty)));
    assert!(matches!(
        parse_text("   \n\t ", "t"),
        Err(AppealError::Empty)
    ));
    assert!(matches!(
        parse_text("привет, помогите войти", "t"),
        Err(AppealError::NoPersonData)
    ));
    let noise: Vec<u8> = (0..20_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let text = String::from_utf8_lossy(&noise);
    assert!(parse_text(&text, "t").is_err());
    let big = "Фамилия Иванов\n".repeat(400_000);
    assert!(matches!(
        parse_text(&big, "t"),
        Err(AppealError::TooLarge { .. })
    ));
    assert!(parse_json("[1, 2", "t").is_err());
    assert!(matches!(
        parse_json("42", "t"),
        Err(AppealError::JsonShape(_))
    ));
}

#[test]
fn json_one_or_many() {
    let v = parse_json(
        r#"{"Фамилия": "Иванов", "Имя": "Пётр", "СНИЛС": "112-233-445 95", "Дата рождения": "01.02.2015"}"#,
        "a.json",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(v.len(), 1);
    assert_eq!(
        v[0].snils.map(|s| s.digits_string()).as_deref(),
        Some("11223344595")
    );
    let v = parse_json(
        r#"[{"surname": "Иванов", "name": "Пётр", "phone": 79001234567},
                {"surname": "Петрова", "name": "Анна", "sex": "Ж", "email": "a@b.ru"}]"#,
        "a.json",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(v.len(), 2);
    assert_eq!(
        v[0].phone
            .as_ref()
            .map(|p| p.national().to_string())
            .as_deref(),
        Some("9001234567")
    );
    assert_eq!(v[1].sex, Some(Sex::Female));
    assert_eq!(v[1].source, "a.json#2");
}

#[test]
fn csv_in_windows_1251_with_semicolons() {
    let text = "Фамилия;Имя;Отчество;Дата рождения;СНИЛС;Тел.\r\nИванов;Пётр;Сергеевич;01.02.2015;112-233-445 95;89001234567\r\n\"Петрова; Водкина\";Анна;;03.04.2016;;\r\n";
    let bytes: Vec<u8> = text
        .chars()
        .map(|c| {
            if (c as u32) < 0x80 {
                c as u8
            } else {
                CP1251_HIGH
                    .iter()
                    .position(|&x| x == c)
                    .map(|i| 0x80 + i as u8)
                    .unwrap_or(b'?')
            }
        })
        .collect();
    assert!(std::str::from_utf8(&bytes).is_err(), "really 1251");
    let v = parse_table(&bytes, "csv", "t.csv").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(v.len(), 2);
    assert_eq!(v[0].name.as_deref(), Some("Пётр"));
    assert_eq!(v[1].surname.as_deref(), Some("Петрова; Водкина"));
    assert!(matches!(
        parse_table(b"a;b\n1;2", "csv", "t"),
        Err(AppealError::TableNoHeader | AppealError::TableUnreadable(_))
    ));
}

#[test]
fn xlsx_table_of_appeals() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("обращения.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ok = (|| -> Result<(), rust_xlsxwriter::XlsxError> {
        let s = wb.add_worksheet();
        for (c, h) in [
            "Номер",
            "Фамилия",
            "Имя",
            "Отчество",
            "Дата рождения",
            "СНИЛС",
        ]
        .iter()
        .enumerate()
        {
            s.write_string(0, c as u16, *h)?;
        }
        s.write_number(1, 0, 2516169.0)?;
        s.write_string(1, 1, "Орлов")?;
        s.write_string(1, 2, "Тимофей")?;
        s.write_string(1, 3, "Павлович")?;
        s.write_string(1, 4, "14.04.2010")?;
        s.write_string(1, 5, "347-669-395 40")?;
        s.write_string(2, 1, "Титова")?;
        s.write_string(2, 2, "Алёна")?;
        wb.save(&path)?;
        Ok(())
    })();
    ok.unwrap_or_else(|e| panic!("{e}"));
    let v = load_file(&path).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(v.len(), 2);
    assert_eq!(v[0].number.as_deref(), Some("2516169"));
    assert_eq!(
        v[0].snils.map(|s| s.digits_string()).as_deref(),
        Some("34766939540")
    );
    assert_eq!(v[1].name.as_deref(), Some("Алёна"));
    assert!(matches!(
        load_file(&dir.path().join("нет.txt")),
        Err(AppealError::Io { .. })
    ));
    let odd = dir.path().join("x.pdf");
    std::fs::write(&odd, b"%PDF").unwrap_or_else(|e| panic!("{e}"));
    assert!(matches!(
        load_file(&odd),
        Err(AppealError::UnknownFormat(_))
    ));
}

/// A folder means its appeal files, in name order: not its subfolders, not other kinds of
/// file; a file named directly is read whatever it is; a folder that is not there is an error
/// of its own.
#[test]
fn a_folder_loads_the_appeal_files_directly_inside_it() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let card = std::fs::read(fixture("full/appeals/013.txt")).unwrap_or_default();
    let write =
        |name: &str| std::fs::write(dir.path().join(name), &card).unwrap_or_else(|e| panic!("{e}"));
    write("б.txt");
    write("а.TXT");
    write("заметки.pdf");
    std::fs::create_dir(dir.path().join("старые")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.path().join("старые/в.txt"), &card).unwrap_or_else(|e| panic!("{e}"));
    let gone = dir.path().join("нет");
    let loaded = load_paths(&[dir.path().to_path_buf(), gone.clone()]);
    let names: Vec<String> = loaded
        .iter()
        .map(|l| {
            l.path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(names, ["а.TXT", "б.txt", "нет"]);
    assert!(
        loaded
            .iter()
            .take(2)
            .all(|l| l.appeals.as_ref().is_ok_and(|a| a.len() == 1))
    );
    assert!(matches!(
        loaded.get(2).map(|l| &l.appeals),
        Some(Err(AppealError::Io { .. }))
    ));
}
