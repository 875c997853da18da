//! Reports for the officer's records: the change log and the open findings as an `.xlsx`
//! workbook, and a draft answer to a ПОС appeal.

use std::path::Path;

use rust_xlsxwriter::{Format, Workbook, XlsxError};

use crate::matching::{Status, Verdict};
use crate::reconcile::Outcome;
use crate::session::Session;
use crate::xls::error::a1;

/// Writes «Изменения» (who/what/when, old → new, appeal) and «Замечания» (open findings) to an
/// `.xlsx` file.
pub fn write_xlsx(session: &Session, path: &Path) -> Result<(), String> {
    build(session, path).map_err(|e| format!("отчёт не записан: {e}"))
}

fn build(session: &Session, path: &Path) -> Result<(), XlsxError> {
    let names = session.book.sheet_names();
    let sheet_name = |i: usize| names.get(i).copied().unwrap_or("");
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let user = std::env::var("USERNAME")
        .or_else(|_| std::env::var("USER"))
        .unwrap_or_default();

    let log = wb.add_worksheet();
    log.set_name("Изменения")?;
    let headers = [
        "Когда",
        "Кто",
        "Лист",
        "Ячейка",
        "Столбец",
        "Было",
        "Стало",
        "Основание",
        "Действие",
    ];
    for (c, h) in headers.iter().enumerate() {
        log.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    let mut row = 1u32;
    for op in session.operations() {
        for ch in &op.changes {
            let header = session
                .analysis
                .schema
                .sheets
                .get(ch.sheet)
                .and_then(|l| l.column(ch.col))
                .map(|c| c.header.clone())
                .unwrap_or_default();
            let cells = [
                op.at.get(..19).unwrap_or(&op.at).replace('T', " "),
                user.clone(),
                sheet_name(ch.sheet).to_string(),
                a1(ch.row, ch.col),
                header,
                ch.old.clone().unwrap_or_default(),
                ch.new.clone().unwrap_or_default(),
                op.source.label_ru(),
                op.label.clone(),
            ];
            for (c, v) in cells.iter().enumerate() {
                log.write_string(row, c as u16, v)?;
            }
            row += 1;
        }
    }
    log.autofit();

    let open = wb.add_worksheet();
    open.set_name("Замечания")?;
    let headers = [
        "Лист",
        "Ячейка",
        "Поле",
        "Важность",
        "Замечание",
        "Предложение",
    ];
    for (c, h) in headers.iter().enumerate() {
        open.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    for (i, f) in session.findings().enumerate() {
        let r = i as u32 + 1;
        let cells = [
            sheet_name(f.sheet).to_string(),
            a1(f.row, f.col),
            f.field
                .map(|x| x.label_ru().to_string())
                .unwrap_or_default(),
            f.severity.label_ru().to_string(),
            f.message.clone(),
            f.suggestion.clone().unwrap_or_default(),
        ];
        for (c, v) in cells.iter().enumerate() {
            open.write_string(r, c as u16, v)?;
        }
    }
    open.autofit();
    wb.save(path)
}

/// A draft answer to the citizen for the ПОС, by the appeal's state.
pub fn draft_reply(o: &Outcome) -> String {
    let who = o.appeal.title();
    match o.result.status {
        Status::NotFound => format!(
            "Здравствуйте! Ваша учётная запись ({who}) не найдена в списках образовательной организации в «Сетевом городе». Карточка будет создана после проверки документов; обратитесь, пожалуйста, к классному руководителю или в администрацию школы. После внесения данных повторите вход через Госуслуги."
        ),
        Status::Ambiguous => format!(
            "Здравствуйте! По вашему обращению ({who}) в «Сетевом городе» найдено несколько похожих карточек. Уточните, пожалуйста, СНИЛС и дату рождения, чтобы мы исправили нужную карточку."
        ),
        Status::Matched => {
            let manual = o
                .result
                .fields
                .iter()
                .any(|f| f.verdict == Verdict::ProtectedDiffers);
            let fixed: Vec<&str> = o
                .result
                .fields
                .iter()
                .filter(|f| matches!(f.verdict, Verdict::Differs | Verdict::MissingInCard))
                .map(|f| f.field.label_ru())
                .collect();
            let mut t = format!(
                "Здравствуйте! Данные в вашей карточке в «Сетевом городе» ({who}) проверены и сверены с Госуслугами. "
            );
            if fixed.is_empty() && !manual {
                t.push_str("Расхождений не найдено. Повторите, пожалуйста, вход через Госуслуги; если ошибка сохранится, пришлите снимок экрана с текстом ошибки.");
            } else {
                if !fixed.is_empty() {
                    t.push_str(&format!(
                        "Исправлено: {}. ",
                        fixed.join(", ").to_lowercase()
                    ));
                }
                if manual {
                    t.push_str("Часть данных исправляется в карточке вручную, это займёт до двух рабочих дней. ");
                }
                t.push_str("Данные в карточке исправлены; повторите, пожалуйста, вход через Госуслуги после обновления данных (обычно на следующий день).");
            }
            t
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::book::XlsBook;
    use crate::session::Source;
    use calamine::Reader;

    #[test]
    fn change_log_and_findings_go_to_xlsx() {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/full/export.xls");
        let book = XlsBook::open(&path).unwrap_or_else(|e| panic!("{e}"));
        let mut s = Session::new(book, Vec::new());
        s.set_journal(None);
        s.set_cell(0, 3, 8, Some("112-233-445 95".into()), Source::Manual)
            .unwrap_or_else(|e| panic!("{e}"));
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let out = dir.path().join("отчёт.xlsx");
        write_xlsx(&s, &out).unwrap_or_else(|e| panic!("{e}"));
        let mut wb: calamine::Xlsx<_> =
            calamine::open_workbook(&out).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(wb.sheet_names(), ["Изменения", "Замечания"]);
        let log = wb
            .worksheet_range("Изменения")
            .unwrap_or_else(|e| panic!("{e}"));
        let row: Vec<String> = log
            .rows()
            .nth(1)
            .unwrap_or_default()
            .iter()
            .map(|c| c.to_string())
            .collect();
        assert_eq!(row.get(3).map(String::as_str), Some("I4"));
        assert_eq!(row.get(6).map(String::as_str), Some("112-233-445 95"));
        assert_eq!(row.get(7).map(String::as_str), Some("вручную"));
        let open = wb
            .worksheet_range("Замечания")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(open.rows().count(), s.findings().count() + 1);
    }

    #[test]
    fn draft_replies_follow_the_status() {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/full/export.xls");
        let book = XlsBook::open(&path).unwrap_or_else(|e| panic!("{e}"));
        let mut s = Session::new(book, Vec::new());
        s.set_journal(None);
        let text = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/full/appeals/013.txt"),
        )
        .unwrap_or_default();
        let absent = "Фамилия Нетакова\nИмя Нета\nДата рождения 01.01.2001\nСНИЛС 112-233-445 95";
        let mut appeals = crate::appeal::parse_text(&text, "013").unwrap_or_default();
        appeals.extend(crate::appeal::parse_text(absent, "нет").unwrap_or_default());
        s.add_appeals(appeals);
        let found = draft_reply(&s.outcomes[0]);
        assert!(found.contains("Исправлено: телефон"), "{found}");
        assert!(found.contains("вручную"), "{found}");
        let missing = draft_reply(&s.outcomes[1]);
        assert!(missing.contains("не найдена"), "{missing}");
    }
}
