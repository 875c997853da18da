//! The officer's whole journey in the core: an appeal is fixed and saved, the corrected file is
//! opened again in a later session (the appeals and their stages come back), fixed further and
//! saved under a new name — never over the first file — and both rounds' edits are in the
//! final file while every other cell is exactly as exported. Also: a person chosen by hand who
//! is someone else cannot be "fixed all" into, and the choice is undone like an edit.

use std::path::{Path, PathBuf};

use sverka::book::{CellValue, XlsBook};
use sverka::engine::Field;
use sverka::engine::Stage;
use sverka::engine::{Appeal, parse_text};
use sverka::engine::{Status, Verdict};
use sverka::session::CaseFile;
use sverka::session::{AppealId, EditError, Session, Source};

mod common;
use common::fixture;

fn appeal(name: &str) -> Vec<Appeal> {
    let text = std::fs::read_to_string(fixture(&format!("full/appeals/{name}")))
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    parse_text(&text, name).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The id of the appeal at place `i` of the session's list.
fn nth(s: &Session, i: usize) -> AppealId {
    s.appeal_ids()
        .get(i)
        .copied()
        .unwrap_or_else(|| panic!("no appeal {i}"))
}

fn session(path: &Path, data: &Path) -> Session {
    let book = XlsBook::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut s = Session::new(book, Vec::new());
    s.set_journal(None);
    s.set_case(Some(CaseFile::for_file(data, path)));
    s
}

/// Every cell of every sheet, as text.
fn cells(path: &Path) -> Vec<Vec<((u32, u32), CellValue)>> {
    let book = XlsBook::open(path).unwrap_or_else(|e| panic!("{e}"));
    book.current_grids()
        .iter()
        .map(|g| {
            let mut v = Vec::new();
            for r in 0..g.height() {
                for c in 0..g.width() {
                    if let Some(x) = g.get(r, c) {
                        v.push(((r, c), x.clone()));
                    }
                }
            }
            v
        })
        .collect()
}

#[test]
fn two_rounds_of_fixes_survive_a_restart_and_nothing_is_overwritten() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let data = dir.path().join("data");
    let export = dir.path().join("5А.xls");
    std::fs::copy(fixture("full/export.xls"), &export).unwrap_or_else(|e| panic!("{e}"));
    let export_bytes = std::fs::read(&export).unwrap_or_default();

    // Round 1: an appeal with a Latin letter in a parent's patronymic is fixed and saved.
    let mut s = session(&export, &data);
    s.add_appeals(appeal("001.txt"));
    assert_eq!(s.outcomes()[0].result.status, Status::Matched);
    let n = s.fix_appeal(nth(&s, 0)).unwrap_or_else(|e| panic!("{e}"));
    assert!(n >= 1);
    let first_edits: Vec<(sverka::book::CellRef, Option<CellValue>)> = s
        .book()
        .edits()
        .iter()
        .map(|(k, v)| (*k, v.clone()))
        .collect();
    assert_eq!(s.outcomes()[0].progress.stage, Stage::New, "not saved yet");
    let first = s.default_save_path();
    assert_eq!(first, dir.path().join("5А_исправлено.xls"));
    s.save_as(&first).unwrap_or_else(|e| panic!("{e}"));
    let p = &s.outcomes()[0].progress;
    assert_eq!(p.stage, Stage::FixedInFile);
    assert!(p.fixed(Field::Patronymic).is_some(), "{p:?}");
    let first_bytes = std::fs::read(&first).unwrap_or_default();
    drop(s);

    // Round 2, after a restart: the officer opens the corrected file. Its record is the
    // export's: the appeal comes back at «исправлено в файле» with its fix, although the card
    // now agrees with Госуслуги.
    let mut s = session(&first, &data);
    s.add_appeals(appeal("001.txt"));
    let o = &s.outcomes()[0];
    assert_eq!(o.progress.stage, Stage::FixedInFile);
    assert!(
        o.result
            .fields
            .iter()
            .all(|f| f.field != Field::Patronymic || f.verdict == Verdict::Equal)
    );
    let draft = sverka::engine::draft_for(o);
    assert!(!draft.text.contains("совпадают"), "{}", draft.text);
    assert!(draft.text.contains("отчество"), "{}", draft.text);
    // A second appeal, fixed in this round.
    s.add_appeals(appeal("013.txt"));
    s.fix_appeal(nth(&s, 1)).unwrap_or_else(|e| panic!("{e}"));
    let second_edits: Vec<(sverka::book::CellRef, Option<CellValue>)> = s
        .book()
        .edits()
        .iter()
        .map(|(k, v)| (*k, v.clone()))
        .collect();
    assert!(!second_edits.is_empty());
    // The default name is never the opened file nor the first corrected file.
    let second = s.default_save_path();
    assert_eq!(second, dir.path().join("5А_исправлено (2).xls"));
    s.save_as(&second).unwrap_or_else(|e| panic!("{e}"));
    // The first round's file and the export are untouched.
    assert_eq!(std::fs::read(&first).unwrap_or_default(), first_bytes);
    assert_eq!(std::fs::read(&export).unwrap_or_default(), export_bytes);
    // Importing the second file imports both rounds: both appeals move on.
    assert_eq!(s.mark_imported(&second), 2);
    assert!(
        s.outcomes()
            .iter()
            .all(|o| o.progress.stage == Stage::InSgo)
    );
    let draft = sverka::engine::draft_for(&s.outcomes()[0]);
    assert!(draft.text.contains("исправлены"), "{}", draft.text);

    // The final file: both rounds' edits, every other cell as exported.
    let original = cells(&export);
    let last = cells(&second);
    let mut expected = original.clone();
    for (cell, value) in first_edits.iter().chain(second_edits.iter()) {
        let (row, col) = (cell.row, cell.col);
        let sheet_cells = &mut expected[cell.sheet];
        sheet_cells.retain(|(rc, _)| *rc != (row, col));
        if let Some(v) = value {
            sheet_cells.push(((row, col), v.clone()));
        }
        sheet_cells.sort_by_key(|(rc, _)| *rc);
    }
    assert_eq!(last, expected);
    assert_ne!(last, original);
}

/// A copy of the full export in `dir` (`5А.xls`, case records in `dir/data`) with appeal 001
/// loaded and fixed, not saved: the session, the export's path and the data folder.
fn first_appeal_fixed(dir: &Path) -> (Session, PathBuf, PathBuf) {
    let data = dir.join("data");
    let export = dir.join("5А.xls");
    std::fs::copy(fixture("full/export.xls"), &export).unwrap_or_else(|e| panic!("{e}"));
    let mut s = session(&export, &data);
    s.add_appeals(appeal("001.txt"));
    s.fix_appeal(nth(&s, 0)).unwrap_or_else(|e| panic!("{e}"));
    (s, export, data)
}

#[test]
fn the_stage_of_an_appeal_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (mut s, export, data) = first_appeal_fixed(dir.path());
    let out = s.default_save_path();
    s.save_as(&out).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.mark_imported(&out), 1);
    s.mark_login(nth(&s, 0), false)
        .unwrap_or_else(|e| panic!("{e}"));
    drop(s);
    let mut s = session(&export, &data);
    s.add_appeals(appeal("001.txt"));
    assert_eq!(s.outcomes()[0].progress.stage, Stage::LoginFails);
    let d = sverka::engine::draft_for(&s.outcomes()[0]);
    assert!(d.text.contains("методический отдел"), "{}", d.text);
    s.step_back(nth(&s, 0)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.outcomes()[0].progress.stage, Stage::InSgo);
}

#[test]
fn a_sibling_chosen_by_hand_is_flagged_and_the_choice_is_undone_like_an_edit() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut s = session(&fixture("full/export.xls"), dir.path());
    // An applicant who is not in the export: a pupil of the same surname (a "sister"), other
    // first name, birth date and СНИЛС.
    let text = "Фамилия Медведева\nИмя Ульяна\nОтчество Денисовна\nДата рождения 03.03.2012\nСНИЛС 112-233-445 95";
    s.add_appeals(parse_text(text, "сестра").unwrap_or_else(|e| panic!("{e}")));
    assert_eq!(s.outcomes()[0].result.status, Status::NotFound);
    // Any pupil with other first name, birth date and СНИЛС.
    let other = s
        .schema()
        .person_ids()
        .find(|(_, p)| p.group.is_none())
        .map(|(id, _)| id)
        .unwrap_or_else(|| panic!("no pupil"));
    let check = s
        .check_choice(nth(&s, 0), other)
        .unwrap_or_else(|| panic!("no check"));
    assert!(check.another_person, "{check:?}");
    let fields: Vec<Field> = check
        .disagree
        .iter()
        .filter(|d| d.real)
        .map(|d| d.field)
        .collect();
    assert!(fields.contains(&Field::Name), "{fields:?}");
    assert!(fields.contains(&Field::Snils), "{fields:?}");
    assert!(check.verdict_ru().contains("другой человек"));

    s.choose_candidate(nth(&s, 0), other);
    let o = &s.outcomes()[0];
    assert_eq!(o.result.person, Some(other));
    assert!(o.progress.choice.as_ref().is_some_and(|c| c.another_person));
    // «Исправить всё» is refused; a field needs confirming first.
    assert!(matches!(
        s.fix_appeal(nth(&s, 0)),
        Err(EditError::NeedsConfirmation(_))
    ));
    assert!(matches!(
        s.fix_appeal_field(nth(&s, 0), Field::Snils),
        Err(EditError::NeedsConfirmation(_))
    ));
    assert_eq!(s.edited_cells(), 0);
    s.confirm_field(nth(&s, 0), Field::Snils);
    assert!(!s.needs_confirmation(nth(&s, 0), Some(Field::Snils)));
    assert!(s.needs_confirmation(nth(&s, 0), None), "fix-all stays off");

    // The choice is undone like an edit, and redone.
    assert!(s.can_undo());
    s.undo().unwrap_or_else(|| panic!("nothing undone"));
    let o = &s.outcomes()[0];
    assert_eq!(o.result.status, Status::NotFound);
    assert_eq!(o.result.person, None);
    assert!(o.progress.choice.is_none());
    s.redo().unwrap_or_else(|| panic!("nothing redone"));
    assert_eq!(s.outcomes()[0].result.person, Some(other));
}

#[test]
fn a_hand_typed_invalid_value_is_an_error_the_save_names() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut s = session(&fixture("full/export.xls"), dir.path());
    // A pupil's СНИЛС cell, typed with a wrong check number.
    let (sheet, row, col) = s
        .analysis()
        .schema
        .people
        .iter()
        .find_map(|p| Some((p.sheet, p.row, *p.cols.get(&Field::Snils)?)))
        .unwrap_or_else(|| panic!("no СНИЛС column"));
    s.set_cell(
        sverka::book::CellRef::new(sheet, row, col),
        Some("112-233-445 96".into()),
        Source::Manual,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(s.is_edited(sverka::book::CellRef::new(sheet, row, col)));
    assert_eq!(
        s.severity_at(sverka::book::CellRef::new(sheet, row, col)),
        Some(sverka::engine::Severity::Error)
    );
    let left = s.edited_problems();
    assert_eq!(left.len(), 1, "{left:?}");
    assert!(
        s.place_of(sverka::book::CellRef::new(sheet, row, col))
            .contains(" · "),
        "names the person"
    );
    // Typed right, nothing is left.
    s.set_cell(
        sverka::book::CellRef::new(sheet, row, col),
        Some("112-233-445 95".into()),
        Source::Manual,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(s.edited_problems().is_empty());
}

/// Fixes made but not yet saved (let alone imported) do not let the officer mark the login as
/// confirmed: the card equals Госуслуги only in sverka, not in СГО.
#[test]
fn unsaved_fixes_do_not_open_the_login_buttons() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (mut s, _, _) = first_appeal_fixed(dir.path());
    assert!(!s.book().edits().is_empty());
    assert!(
        !s.login_allowed(nth(&s, 0)),
        "the card shows the login buttons"
    );
    assert!(
        s.mark_login(nth(&s, 0), true).is_err(),
        "login confirmed before the fix reached СГО"
    );
    assert!(s.mark_login(nth(&s, 0), false).is_err());
    assert_eq!(s.outcomes()[0].progress.stage, Stage::New);
    // Saved: still only in the file. Imported: now the login can be tried.
    let out = s.default_save_path();
    s.save_as(&out).unwrap_or_else(|e| panic!("{e}"));
    assert!(!s.login_allowed(nth(&s, 0)));
    assert_eq!(s.mark_imported(&out), 1);
    assert!(s.login_allowed(nth(&s, 0)));
    s.mark_login(nth(&s, 0), true)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.outcomes()[0].progress.stage, Stage::LoginConfirmed);
}

/// An appeal loaded twice (the same file again, the same card pasted again) is one appeal;
/// removing one is a step like an edit: undo puts it back in its place with its progress,
/// redo takes it off again, and the record keeps it out only while it is removed.
#[test]
fn a_repeated_appeal_is_one_and_a_removal_is_undone_in_place() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let data = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let export = dir.path().join("5А.xls");
    std::fs::copy(fixture("full/export.xls"), &export).unwrap_or_else(|e| panic!("{e}"));
    let mut s = session(&export, data.path());
    let first = s.add_appeals(appeal("001.txt"));
    assert_eq!(first.len(), 1);
    assert!(
        s.add_appeals(appeal("001.txt")).is_empty(),
        "the same appeal again"
    );
    s.add_appeals(appeal("013.txt"));
    assert_eq!(s.outcomes().len(), 2);

    let id = nth(&s, 0);
    s.fix_appeal(id).unwrap_or_else(|e| panic!("{e}"));
    let stage = s.appeal(id).map(|o| o.progress.clone());
    assert!(s.remove_appeal(id));
    assert_eq!(s.outcomes().len(), 1);
    assert!(s.appeal(id).is_none());
    let dismissed = |s: &Session| s.case().map_or(0, |c| c.data.dismissed.len());
    assert_eq!(dismissed(&s), 1);
    s.undo().unwrap_or_else(|| panic!("nothing undone"));
    assert_eq!(nth(&s, 0), id, "back in its place, under its own id");
    assert_eq!(s.appeal(id).map(|o| o.progress.clone()), stage);
    assert_eq!(dismissed(&s), 0);
    assert!(
        s.edited_cells() > 0,
        "the undo brought the appeal back, not undid its fix"
    );
    s.redo().unwrap_or_else(|| panic!("nothing redone"));
    assert!(s.appeal(id).is_none());
    assert_eq!(dismissed(&s), 1);
}

/// A pupil whose only difference is the patronymic (a field СГО's import does not take):
/// nothing to save, the citizen not asked to log in until it is corrected by hand, and then
/// asked — the draft, the login buttons and the officer's messages all say the same.
#[test]
fn a_fix_only_by_hand_is_neither_saved_nor_asked_for_a_login_before_it_is_done() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let export = dir.path().join("5А.xls");
    std::fs::copy(fixture("full/export.xls"), &export).unwrap_or_else(|e| panic!("{e}"));
    let mut s = session(&export, &dir.path().join("data"));
    // The pupil Медведев Владимир Денисович as the export has him, with another patronymic.
    let (_, pupil) = s
        .schema()
        .person_ids()
        .find(|(id, p)| {
            p.group.is_none()
                && s.person_cell(*id)
                    .and_then(|c| s.person_at(c))
                    .is_some_and(|w| w.starts_with("Медведев Владимир"))
        })
        .unwrap_or_else(|| panic!("no pupil Медведев Владимир"));
    let birth = pupil
        .cols
        .get(&Field::BirthDate)
        .and_then(|&c| s.text(sverka::book::CellRef::new(pupil.sheet, pupil.row, c)))
        .unwrap_or_else(|| panic!("no birth date"));
    let text = format!(
        "Сообщение 77001\nФамилия Медведев\nИмя Владимир\nОтчество Дмитриевич\nДата рождения {birth}\n"
    );
    let list = s
        .read_pasted(&text, "вставка 1")
        .unwrap_or_else(|e| panic!("{e}"));
    s.add_appeals(list);
    let id = nth(&s, 0);
    let st = s.standing(id).unwrap_or_else(|| panic!("no standing"));
    assert!(st.only_by_hand(), "{st:?}");
    assert!(!s.can_fix_appeal(id), "nothing for the file");
    let d = s.reply_draft(id).unwrap_or_else(|| panic!("no draft"));
    assert!(!d.note.contains("сохраните файл"), "{}", d.note);
    assert!(d.note.contains("вручную"), "{}", d.note);
    assert!(!d.text.contains("повторите вход"), "{}", d.text);
    // «Вход подтверждён» is refused, with the reason.
    match s.mark_login(id, true) {
        Err(e) => assert!(e.to_string().contains("отчество"), "{e}"),
        Ok(()) => panic!("a login recorded while the patronymic is still to be corrected"),
    }
    // Corrected by hand: now the citizen is asked, everywhere.
    s.mark_fixed_by_hand(id);
    assert!(s.login_allowed(id));
    assert!(
        s.after_by_hand_ru(id)
            .contains("Попросите заявителя повторить вход"),
        "{}",
        s.after_by_hand_ru(id)
    );
    let d = s.reply_draft(id).unwrap_or_else(|| panic!("no draft"));
    assert!(d.text.contains("повторите вход"), "{}", d.text);
    s.mark_login(id, true).unwrap_or_else(|e| panic!("{e}"));
}

/// A corrected file opened again marks the cells earlier rounds changed: when, why (which
/// appeal), in which file, and what was there before; the export itself marks none.
#[test]
fn a_corrected_file_opened_again_marks_the_cells_of_earlier_rounds() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (mut s, export, data) = first_appeal_fixed(dir.path());
    let changed: Vec<sverka::book::CellRef> = s.book().edits().keys().copied().collect();
    assert!(!changed.is_empty());
    let before: Vec<Option<String>> = changed
        .iter()
        .map(|c| {
            s.book()
                .original(c.sheet)
                .and_then(|g| g.get(c.row, c.col))
                .map(CellValue::display)
                .filter(|t| !t.is_empty())
        })
        .collect();
    let first = s.default_save_path();
    s.save_as(&first).unwrap_or_else(|e| panic!("{e}"));
    drop(s);

    let again = session(&first, &data);
    for (cell, old) in changed.iter().zip(&before) {
        let e = again
            .earlier_change(*cell)
            .unwrap_or_else(|| panic!("{cell} is not marked"));
        assert_eq!(e.file, "5А_исправлено.xls");
        assert!(e.why.contains("001.txt"), "{}", e.why);
        assert_eq!(&e.old, old);
        assert!(
            e.describe_ru().starts_with("Исправлено в прошлый раз ("),
            "{}",
            e.describe_ru()
        );
    }
    let exported = session(&export, &data);
    assert!(
        changed
            .iter()
            .all(|c| exported.earlier_change(*c).is_none())
    );
}

/// The register answers across exports and after a crash: every appeal loaded for any
/// export, with its message number, what was found, its stage and the date of each stage,
/// the corrected file and the reply taken; an appeal removed from the list is still there,
/// marked so. The report carries it as «Обращения».
#[test]
fn the_register_answers_across_exports_and_after_a_crash() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let (mut s, _export, data) = first_appeal_fixed(dir.path());
    let out = s.default_save_path();
    s.save_as(&out).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.mark_imported(&out), 1);
    s.note_reply(nth(&s, 0), "Здравствуйте! Ответ.");
    // A second export, another appeal, removed from the list afterwards.
    let other = dir.path().join("6Б.xls");
    std::fs::copy(fixture("full/export.xls"), &other).unwrap_or_else(|e| panic!("{e}"));
    let mut t = session(&other, &data);
    t.add_appeals(appeal("002.txt"));
    assert!(t.remove_appeal(nth(&t, 0)));
    // And an appeal whose Госуслуги account is not confirmed: the register keeps that cause.
    let text = std::fs::read_to_string(fixture("full/appeals/003.txt"))
        .unwrap_or_else(|e| panic!("{e}"))
        .replace("Подтвержденная", "Упрощенная");
    t.add_appeals(parse_text(&text, "003.txt").unwrap_or_else(|e| panic!("{e}")));
    // Both sessions end without any goodbye (a crash).
    drop(s);
    drop(t);

    let rows = sverka::session::register::read(&data, None);
    assert_eq!(rows.len(), 3, "{rows:?}");
    let first = rows
        .iter()
        .find(|r| r.export == "5А.xls")
        .unwrap_or_else(|| panic!("no 5А row: {rows:?}"));
    assert_eq!(first.number.as_deref(), Some("2516162"));
    assert!(
        first.person.starts_with("Медведева Варвара"),
        "{}",
        first.person
    );
    assert!(
        first.diagnosis.starts_with("расходятся: отчество"),
        "{}",
        first.diagnosis
    );
    assert_eq!(first.stage, Some(Stage::InSgo));
    let reached: Vec<Stage> = first.dates.iter().map(|d| d.stage).collect();
    assert_eq!(reached, [Stage::FixedInFile, Stage::InSgo]);
    assert!(
        first
            .dates
            .iter()
            .all(|d| !sverka::session::register::date_ru(&d.at).is_empty())
    );
    assert_eq!(first.file.as_deref(), Some("5А_исправлено.xls"));
    assert_eq!(
        first.reply.as_ref().map(|r| r.text.as_str()),
        Some("Здравствуйте! Ответ.")
    );
    let second = rows
        .iter()
        .find(|r| r.export == "6Б.xls" && r.stage.is_none())
        .unwrap_or_else(|| panic!("no removed 6Б row"));
    let unconfirmed = rows
        .iter()
        .find(|r| r.export == "6Б.xls" && r.stage.is_some())
        .unwrap_or_else(|| panic!("no 6Б row in the list"));
    assert!(
        unconfirmed
            .diagnosis
            .contains("учётная запись не подтверждена («Упрощенная»)"),
        "{}",
        unconfirmed.diagnosis
    );
    assert_eq!(second.stage, None);
    assert_eq!(second.stage_ru(), "убрано из списка");
    assert!(first.matches("медведева 2516162"));
    assert!(!first.matches("медведева 6Б"));

    // The report of either export carries the register.
    let s = session(&out, &data);
    let report = dir.path().join("отчёт.xlsx");
    sverka::session::write_report(&s, &s.register(Some(&data)), &report, "")
        .unwrap_or_else(|e| panic!("{e}"));
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> =
        calamine::open_workbook(&report).unwrap_or_else(|e| panic!("{e}"));
    let sheet = wb
        .worksheet_range("Обращения")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(sheet.rows().count(), 4, "a header and three appeals");
    let text: Vec<String> = sheet.rows().flatten().map(|c| c.to_string()).collect();
    assert!(text.iter().any(|t| t == "2516162"));
    assert!(text.iter().any(|t| t == "убрано из списка"));
    assert!(text.iter().any(|t| t == "5А_исправлено.xls"));
}
