//! Reports for the officer's records: the change log and the open findings as an `.xlsx`
//! workbook. (The draft answer to a ПОС appeal is [`crate::engine::reply`].)

use std::path::{Path, PathBuf};

use rust_xlsxwriter::{Format, Workbook, XlsxError};

use crate::engine::progress::Stage;
use crate::session::Session;
use crate::session::register::{RegisterRow, date_ru};
use crate::xls::a1;

/// Writes «Изменения» (who/what/when, old → new, appeal, which saved file holds it),
/// «Замечания» (open findings) and «Обращения» (the register of appeals, `register`) to an
/// `.xlsx` file.
/// `who` is the officer's name for the «Кто» column.
pub fn write_xlsx(
    session: &Session,
    register: &[RegisterRow],
    path: &Path,
    who: &str,
) -> Result<(), ReportError> {
    build(session, register, path, who).map_err(|e| match e {
        XlsxError::IoError(source) => ReportError::Write {
            path: path.to_path_buf(),
            source,
        },
        other => ReportError::Build(other),
    })
}

/// Why the report was not written.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The report file could not be written.
    #[error(
        "отчёт не записан в «{}»: {}",
        .path.display(),
        crate::xls::io_error_ru(.source)
    )]
    Write {
        /// The report file.
        path: PathBuf,
        /// Why writing failed.
        #[source]
        source: std::io::Error,
    },
    /// The `.xlsx` writer refused the workbook (its own text, in English, in parentheses).
    #[error("отчёт не собран: книга .xlsx не построилась ({0})")]
    Build(#[source] XlsxError),
}

fn build(
    session: &Session,
    register: &[RegisterRow],
    path: &Path,
    who: &str,
) -> Result<(), XlsxError> {
    let names = session.book.sheet_names();
    let sheet_name = |i: usize| names.get(i).copied().unwrap_or("");
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let user = who.to_string();

    let log = wb.add_worksheet();
    log.set_name("Изменения")?;
    let headers = [
        "Когда",
        "Кто",
        "Лист",
        "Ячейка",
        "Человек",
        "Столбец",
        "Было",
        "Стало",
        "Основание",
        "Действие",
        "В файле",
    ];
    for (c, h) in headers.iter().enumerate() {
        log.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    // The last change of each cell in the log: earlier ones were overwritten by it.
    let mut last: std::collections::HashMap<crate::book::CellRef, (usize, usize)> =
        Default::default();
    for (i, op) in session.operations().iter().enumerate() {
        for (j, ch) in op.changes().iter().enumerate() {
            last.insert(ch.cell, (i, j));
        }
    }
    let mut row = 1u32;
    for (i, op) in session.operations().iter().enumerate() {
        for (j, ch) in op.changes().iter().enumerate() {
            let in_file = if last.get(&ch.cell) != Some(&(i, j)) {
                "заменено следующим изменением этой ячейки".to_string()
            } else {
                match session.saved_in(ch.cell) {
                    Some(file) => format!(
                        "сохранено в «{}»",
                        crate::session::intake::file_name(Path::new(file))
                    ),
                    None => "не сохранено".to_string(),
                }
            };
            let header = session
                .analysis
                .schema
                .sheets
                .get(ch.cell.sheet)
                .and_then(|l| l.column(ch.cell.col))
                .map(|c| c.header.clone())
                .unwrap_or_default();
            let cells = [
                op.at().get(..19).unwrap_or(op.at()).replace('T', " "),
                user.clone(),
                sheet_name(ch.cell.sheet).to_string(),
                ch.cell.to_string(),
                session.person_at(ch.cell).unwrap_or_default(),
                header,
                ch.old.clone().unwrap_or_default(),
                ch.new.clone().unwrap_or_default(),
                op.source().label_ru(),
                op.label().to_string(),
                in_file,
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
        "Человек",
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
            sheet_name(f.cell.sheet).to_string(),
            a1(f.cell.row, f.cell.col),
            session.person_at(f.cell).unwrap_or_default(),
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
    register_sheet(&mut wb, register, &bold)?;
    wb.save(path)
}

/// «Обращения»: the register, one appeal per row, with the date of each stage.
fn register_sheet(
    wb: &mut Workbook,
    register: &[RegisterRow],
    bold: &Format,
) -> Result<(), XlsxError> {
    let sheet = wb.add_worksheet();
    sheet.set_name("Обращения")?;
    let stages = [
        Stage::FixedInFile,
        Stage::InSgo,
        Stage::LoginConfirmed,
        Stage::LoginFails,
    ];
    let mut headers: Vec<String> = [
        "Выгрузка",
        "Сообщение ПОС",
        "Номер ЕПГУ",
        "Человек",
        "Откуда",
        "Что найдено",
        "Этап",
        "Загружено в sverka",
    ]
    .iter()
    .map(|h| h.to_string())
    .collect();
    headers.extend(stages.iter().map(|s| format!("Дата: {}", s.label_ru())));
    headers.extend(["Файл с исправлениями", "Ответ в ПОС", "Ответ взят"].map(String::from));
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, h, bold)?;
    }
    for (i, r) in register.iter().enumerate() {
        let mut cells = vec![
            r.export.clone(),
            r.number.clone().unwrap_or_default(),
            r.epgu.clone().unwrap_or_default(),
            r.person.clone(),
            r.source.clone(),
            r.diagnosis.clone(),
            r.stage_ru().to_string(),
            date_ru(&r.loaded),
        ];
        cells.extend(stages.iter().map(|&s| {
            r.dates
                .iter()
                .rev()
                .find(|d| d.stage == s)
                .map(|d| date_ru(&d.at))
                .unwrap_or_default()
        }));
        cells.push(r.file.clone().unwrap_or_default());
        cells.push(r.reply.as_ref().map(|x| x.text.clone()).unwrap_or_default());
        cells.push(r.reply.as_ref().map(|x| date_ru(&x.at)).unwrap_or_default());
        for (c, v) in cells.iter().enumerate() {
            sheet.write_string(i as u32 + 1, c as u16, v)?;
        }
    }
    sheet.autofit();
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::book::CellRef;
    use crate::book::XlsBook;
    use crate::session::Source;
    use calamine::Reader;

    #[test]
    fn change_log_and_findings_go_to_xlsx() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/fixtures/full/export.xls");
        let book = XlsBook::open(&path).unwrap_or_else(|e| panic!("{e}"));
        let mut s = Session::new(book, Vec::new());
        s.set_journal(None);
        s.set_cell(
            CellRef::new(0, 3, 8),
            Some("112-233-445 95".into()),
            Source::Manual,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let out = dir.path().join("отчёт.xlsx");
        write_xlsx(&s, &[], &out, "Иванова И. И.").unwrap_or_else(|e| panic!("{e}"));
        let mut wb: calamine::Xlsx<_> =
            calamine::open_workbook(&out).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(wb.sheet_names(), ["Изменения", "Замечания", "Обращения"]);
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
        assert_eq!(row.get(1).map(String::as_str), Some("Иванова И. И."));
        // Whose cell it is, by name.
        let who = s.person_at(CellRef::new(0, 3, 8)).unwrap_or_default();
        assert!(!who.is_empty());
        assert_eq!(row.get(4).map(String::as_str), Some(who.as_str()));
        assert_eq!(row.get(7).map(String::as_str), Some("112-233-445 95"));
        assert_eq!(row.get(8).map(String::as_str), Some("вручную"));
        assert_eq!(row.get(10).map(String::as_str), Some("не сохранено"));
        let open = wb
            .worksheet_range("Замечания")
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(open.rows().count(), s.findings().count() + 1);
    }

    /// Each change says whether a saved file holds it, and which; a change overwritten by a
    /// later one says so; undoing back to the saved state is not unsaved.
    #[test]
    fn each_change_says_which_saved_file_holds_it() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/fixtures/full/export.xls");
        let book = XlsBook::open(&path).unwrap_or_else(|e| panic!("{e}"));
        let mut s = Session::new(book, Vec::new());
        s.set_journal(None);
        let set = |s: &mut Session, col: u32, v: &str| {
            s.set_cell(CellRef::new(0, 3, col), Some(v.into()), Source::Manual)
                .unwrap_or_else(|e| panic!("{e}"));
        };
        set(&mut s, 8, "112-233-445 95");
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let saved = dir.path().join("5А_исправлено.xls");
        s.save_as(&saved).unwrap_or_else(|e| panic!("{e}"));
        assert!(!s.is_dirty());
        set(&mut s, 8, "112-233-445 96");
        assert!(s.is_dirty());
        let _ = s.undo();
        assert!(!s.is_dirty(), "undone back to exactly the saved file");
        let _ = s.redo();
        let out = dir.path().join("отчёт.xlsx");
        write_xlsx(&s, &[], &out, "").unwrap_or_else(|e| panic!("{e}"));
        let mut wb: calamine::Xlsx<_> =
            calamine::open_workbook(&out).unwrap_or_else(|e| panic!("{e}"));
        let log = wb
            .worksheet_range("Изменения")
            .unwrap_or_else(|e| panic!("{e}"));
        let marks: Vec<String> = log
            .rows()
            .skip(1)
            .map(|r| r.get(10).map(|c| c.to_string()).unwrap_or_default())
            .collect();
        assert_eq!(
            marks,
            ["заменено следующим изменением этой ячейки", "не сохранено"]
        );
        let _ = s.undo();
        write_xlsx(&s, &[], &out, "").unwrap_or_else(|e| panic!("{e}"));
        let mut wb: calamine::Xlsx<_> =
            calamine::open_workbook(&out).unwrap_or_else(|e| panic!("{e}"));
        let log = wb
            .worksheet_range("Изменения")
            .unwrap_or_else(|e| panic!("{e}"));
        let mark = log
            .rows()
            .nth(1)
            .and_then(|r| r.get(10).map(|c| c.to_string()))
            .unwrap_or_default();
        assert_eq!(mark, "сохранено в «5А_исправлено.xls»");
    }
}
