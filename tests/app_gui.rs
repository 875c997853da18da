//! The desktop app driven headless with egui_kittest, the way an officer uses it: open the
//! demo, paste an appeal, read the comparison card, fix everything, try a protected cell,
//! undo/redo, save, and read the saved file back. Also drag-and-drop, the unsaved-changes
//! prompt, and the column-mapping dialog.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use eframe::egui;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use sverka::app::{Dialog, SverkaApp};
use sverka::book::{CellRef, CellValue, XlsBook};
use sverka::engine::Field;
use sverka::session::AppealId;

mod common;
use common::fixture;

fn harness(data: &Path) -> Harness<'static, SverkaApp> {
    let data = data.to_path_buf();
    let mut h = Harness::builder()
        .with_size(egui::vec2(1500.0, 900.0))
        .build_eframe(move |cc| {
            let mut app = SverkaApp::new(cc);
            app.no_native_dialogs = true;
            app.set_data_dir(Some(data.clone()));
            app
        });
    h.run();
    h
}

/// The first appeal of the open session that `pred` holds for.
fn appeal_where(
    h: &Harness<'static, SverkaApp>,
    pred: impl Fn(&sverka::engine::Outcome) -> bool,
) -> Option<AppealId> {
    h.state().workspace.session.as_ref().and_then(|s| {
        let i = s.outcomes().iter().position(pred)?;
        s.appeal_ids().get(i).copied()
    })
}

/// The app on the embedded demo, with a data folder of its own (gone with the guard).
fn on_demo() -> (tempfile::TempDir, Harness<'static, SverkaApp>) {
    let data = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut h = harness(data.path());
    h.state_mut().open_demo();
    h.run();
    (data, h)
}

/// The window is asked to close (its close button, Alt+F4).
fn request_close(h: &mut Harness<'static, SverkaApp>) {
    h.input_mut()
        .viewports
        .entry(egui::ViewportId::ROOT)
        .or_default()
        .events
        .push(egui::ViewportEvent::Close);
}

/// The open export's session.
fn session_of<'h>(h: &'h Harness<'static, SverkaApp>) -> &'h sverka::Session {
    h.state()
        .workspace
        .session
        .as_ref()
        .unwrap_or_else(|| panic!("no export open"))
}

/// The id of the appeal at place `i` of the list.
fn nth_appeal(h: &Harness<'static, SverkaApp>, i: usize) -> AppealId {
    h.state()
        .workspace
        .session
        .as_ref()
        .and_then(|s| s.appeal_ids().get(i).copied())
        .unwrap_or_else(|| panic!("no appeal {i}"))
}

fn click_cell(h: &mut Harness<'static, SverkaApp>, row: u32, col: u32) {
    // Scroll it into view first (clear of the frozen columns), as the officer would.
    let sheet = h.state().workspace.sheet;
    h.state_mut().go_to(CellRef::new(sheet, row, col));
    h.state_mut().workspace.selected = None;
    h.run();
    let rect = h
        .state()
        .workspace
        .cell_rects
        .iter()
        .find(|(c, _)| *c == (row, col))
        .map(|(_, r)| *r)
        .unwrap_or_else(|| panic!("cell ({row}, {col}) is not on screen"));
    let pos = rect.center();
    h.hover_at(pos);
    h.event(egui::Event::PointerButton {
        pos,
        button: egui::PointerButton::Primary,
        pressed: true,
        modifiers: egui::Modifiers::NONE,
    });
    h.event(egui::Event::PointerButton {
        pos,
        button: egui::PointerButton::Primary,
        pressed: false,
        modifiers: egui::Modifiers::NONE,
    });
    h.run();
}

#[derive(Debug)]
struct Dropped(PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }
    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

/// The text of a cell as the session holds it now.
fn text_at(h: &Harness<'static, SverkaApp>, sheet: usize, row: u32, col: u32) -> Option<String> {
    h.state()
        .workspace
        .session
        .as_ref()
        .and_then(|s| s.text(sverka::book::CellRef::new(sheet, row, col)))
}

/// Ctrl+S, the path typed into the save dialog, «Сохранить».
fn save_with_dialog(h: &mut Harness<'static, SverkaApp>, out: &Path) {
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::S);
    h.run();
    assert!(matches!(h.state().dialog, Some(Dialog::Save { .. })));
    h.state_mut().dialog = Some(Dialog::Save {
        path: out.display().to_string(),
        error: None,
        replace: None,
    });
    h.run();
    h.get_by_label("Сохранить").click();
    h.run();
}

/// Ctrl+Z undoes the inline edit, Ctrl+Z again the fixes, Ctrl+Y brings the fixes back.
fn undo_twice_and_redo(
    h: &mut Harness<'static, SverkaApp>,
    (sheet, row, email_col): (usize, u32, u32),
    edits: usize,
) {
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run();
    assert_ne!(
        text_at(h, sheet, row, email_col).as_deref(),
        Some("новый@почта.рф")
    );
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run();
    assert_eq!(
        h.state()
            .workspace
            .session
            .as_ref()
            .map(|s| s.edited_cells()),
        Some(0)
    );
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Y);
    h.run();
    assert_eq!(
        h.state()
            .workspace
            .session
            .as_ref()
            .map(|s| s.edited_cells()),
        Some(edits)
    );
}

/// The column of an appeal's field on its person's card.
fn column_of(o: &sverka::engine::Outcome, field: Field) -> u32 {
    o.result
        .fields
        .iter()
        .find(|f| f.field == field)
        .map_or(0, |f| f.cell.col)
}

#[test]
fn officer_flow_on_the_demo() {
    let data = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut h = harness(data.path());

    h.get_by_label("Открыть пример").click();
    h.run();
    assert_eq!(
        h.state()
            .workspace
            .session
            .as_ref()
            .map(|s| s.outcomes().len()),
        Some(5)
    );
    h.get_by_label_contains("— не найден");

    // Paste a ПОС card (Ctrl+V outside a text field): a pupil with Latin letters in the
    // surname and no phone in the card.
    let text = std::fs::read_to_string(fixture("full/appeals/013.txt")).unwrap_or_default();
    h.event(egui::Event::Paste(text));
    h.run();
    let state = h.state();
    let s = state
        .workspace
        .session
        .as_ref()
        .unwrap_or_else(|| unreachable!());
    assert_eq!(s.outcomes().len(), 6);
    assert_eq!(state.workspace.selected_appeal, Some(nth_appeal(&h, 5)));
    let o = &s.outcomes()[5];
    let phone = o
        .result
        .fields
        .iter()
        .find(|f| f.field == Field::Phone)
        .cloned()
        .unwrap_or_else(|| panic!("no phone"));
    let sverka::book::CellRef {
        sheet,
        row,
        col: phone_col,
    } = phone.cell;
    let surname_col = column_of(o, Field::Surname);
    let want_phone = phone.suggestion.clone().unwrap_or_default();
    let email_col = column_of(o, Field::Email);
    // The comparison card names the mismatching fields.
    h.get_by_label("не заполнено");
    h.get_by_label("исправить вручную в СГО");
    h.get_by_label_contains("Исправить вручную в СГО:");

    // «Исправить всё» writes the fixable ones.
    h.get_by_label("Исправить всё").click();
    h.run();
    let edits = h
        .state()
        .workspace
        .session
        .as_ref()
        .map(|s| s.edited_cells())
        .unwrap_or(0);
    assert!(edits >= 1);
    assert_eq!(text_at(&h, sheet, row, phone_col), Some(want_phone.clone()));

    // A protected cell (the pupil's surname) refuses editing and says why.
    click_cell(&mut h, row, surname_col);
    assert_eq!(
        h.state().workspace.selected,
        Some(CellRef::new(sheet, row, surname_col))
    );
    h.key_press(egui::Key::F2);
    h.run();
    assert!(h.state().workspace.editing.is_none());
    h.get_by_label_contains("не меняют в файле");

    // An ordinary cell edits inline: F2, type, Enter.
    click_cell(&mut h, row, email_col);
    h.key_press(egui::Key::F2);
    h.run();
    assert!(
        h.state().workspace.editing.is_some(),
        "{:?} {:?}",
        h.state().workspace.selected,
        h.state().status
    );
    // The editor starts with the cell's text; the officer selects it all and types over it.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run();
    h.get_by_label_contains("Правка ячейки")
        .type_text("новый@почта.рф");
    h.key_press(egui::Key::Enter);
    h.run();
    assert_eq!(
        text_at(&h, sheet, row, email_col).as_deref(),
        Some("новый@почта.рф")
    );

    undo_twice_and_redo(&mut h, (sheet, row, email_col), edits);

    // Save (Ctrl+S), to a temp path typed into the dialog.
    let out = data.path().join("класс_исправлено.xls");
    save_with_dialog(&mut h, &out);
    // After the save: the steps for importing the file into СГО.
    assert!(
        matches!(h.state().dialog, Some(Dialog::Import { .. })),
        "{:?}",
        h.state().dialog
    );
    h.get_by_label_contains("можно загружать в СГО");
    h.get_by_label_contains("«2. Обновление данных»");
    h.get_by_label("Позже").click();
    h.run();
    assert!(h.state().dialog.is_none(), "{:?}", h.state().dialog);
    assert_eq!(
        h.state().workspace.session.as_ref().map(|s| s.is_dirty()),
        Some(false)
    );

    let saved = XlsBook::open(&out).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        saved.value(sheet, row, phone_col),
        Some(CellValue::Text(want_phone.into()))
    );
    let demo =
        XlsBook::from_bytes(sverka::app::DEMO_EXPORT.to_vec()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        saved.value(sheet, row, surname_col),
        demo.value(sheet, row, surname_col),
        "protected cell untouched"
    );
    let changed = saved.originals()[0]
        .iter()
        .filter(|&((r, c), v)| demo.originals()[0].get(r, c) != Some(v))
        .count();
    assert_eq!(changed, edits);
}

#[test]
fn dropping_an_export_and_appeals_opens_them() {
    let data = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let export = dir.path().join("10А.xls");
    std::fs::copy(fixture("full/export.xls"), &export).unwrap_or_else(|e| panic!("{e}"));
    let mut h = harness(data.path());
    let files: Vec<Arc<dyn egui::DroppedFile + Send + Sync>> = vec![
        Arc::new(Dropped(export.clone())),
        Arc::new(Dropped(fixture("full/appeals/001.txt"))),
        Arc::new(Dropped(fixture("full/appeals/002.txt"))),
    ];
    h.input_mut().dropped_files = files;
    h.run();
    let state = h.state();
    let s = state
        .workspace
        .session
        .as_ref()
        .unwrap_or_else(|| panic!("not opened: {:?}", state.status));
    assert_eq!(s.book().path(), Some(export.as_path()));
    assert_eq!(s.outcomes().len(), 2);
    h.get_by_label_contains("Медведева Варвара Денисовна, 14.06.1990 — найден");

    // A wrong file dropped gets a Russian message and changes nothing.
    let bad: Vec<Arc<dyn egui::DroppedFile + Send + Sync>> =
        vec![Arc::new(Dropped(fixture("bad/html_renamed.xls")))];
    h.input_mut().dropped_files = bad;
    h.run();
    h.get_by_label_contains("веб-страница");
    assert!(h.state().workspace.session.is_some());
}

#[test]
fn closing_with_unsaved_edits_asks_first() {
    let data = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut h = harness(data.path());
    h.get_by_label("Открыть пример").click();
    h.run();
    let first = nth_appeal(&h, 0);
    h.state_mut().select_appeal(first);
    h.run();
    h.get_by_label("Исправить всё").click();
    h.run();
    assert_eq!(
        h.state().workspace.session.as_ref().map(|s| s.is_dirty()),
        Some(true)
    );

    request_close(&mut h);
    h.run();
    h.get_by_label("Есть несохранённые исправления");
    h.get_by_label("Отмена").click();
    h.run();
    assert!(h.state().dialog.is_none());
    assert!(
        h.state()
            .workspace
            .session
            .as_ref()
            .is_some_and(|s| s.is_dirty()),
        "nothing was lost"
    );
}

#[test]
fn unknown_headers_are_mapped_in_the_dialog() {
    use sverka::xls::{FreshCell, FreshSheet, write_fresh as write};
    let t = |s: &str| FreshCell::Text(s.into());
    let sheet = FreshSheet {
        name: "Список".into(),
        cells: vec![
            (0, 0, t("Ф")),
            (0, 1, t("И")),
            (0, 2, t("О")),
            (0, 3, t("Страх. №")),
            (0, 4, t("Класс")),
            (1, 0, t("Иванов")),
            (1, 1, t("Пётр")),
            (1, 2, t("Сергеевич")),
            (1, 3, t("112-233-445 96")),
            (1, 4, t("1А")),
            (2, 0, t("Петрова")),
            (2, 1, t("Анна")),
            (2, 2, t("Ивановна")),
            (2, 3, t("112-233-445 95")),
            (2, 4, t("1А")),
        ],
    };
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let path = dir.path().join("регион.xls");
    std::fs::write(&path, write(&[sheet]).unwrap_or_else(|e| panic!("{e}")))
        .unwrap_or_else(|e| panic!("{e}"));
    let data = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut h = harness(data.path());
    h.state_mut().open_paths(vec![path.clone()]);
    h.run();
    // Nothing recognised: the mapping dialog opens by itself.
    h.get_by_label("Какие столбцы что содержат");
    assert!(
        h.state()
            .workspace
            .session
            .as_ref()
            .is_some_and(|s| s.schema().people.is_empty())
    );

    if let Some(Dialog::Mapping { rows, .. }) = &mut h.state_mut().dialog {
        for (col, field) in [
            (0, Field::Surname),
            (1, Field::Name),
            (2, Field::Patronymic),
            (3, Field::Snils),
        ] {
            if let Some(r) = rows.iter_mut().find(|r| r.col == col) {
                r.field = Some(field);
            }
        }
    } else {
        panic!("no mapping dialog");
    }
    h.run();
    h.get_by_label("Применить").click();
    h.run();
    assert!(h.state().dialog.is_none());
    let state = h.state();
    let s = state
        .workspace
        .session
        .as_ref()
        .unwrap_or_else(|| unreachable!());
    assert_eq!(s.schema().people.len(), 2);
    let bad: Vec<_> = s
        .findings()
        .filter(|f| f.kind == sverka::engine::Kind::SnilsCheckNumber)
        .map(|f| (f.cell.row, f.cell.col))
        .collect();
    assert_eq!(
        bad,
        vec![(1, 3)],
        "the mistyped СНИЛС is found in the mapped column"
    );
    // The mapping is remembered for files with the same headers.
    assert!(data.path().join("profiles.json").exists());
    let mut again = harness(data.path());
    again.state_mut().open_paths(vec![path]);
    again.run();
    assert!(again.state().dialog.is_none(), "remembered mapping applies");
    assert_eq!(
        again
            .state()
            .workspace
            .session
            .as_ref()
            .map(|s| s.schema().people.len()),
        Some(2)
    );
}

/// Steps the app until its worker is done (what the event loop does between frames).
fn wait_for_worker(h: &mut Harness<'static, SverkaApp>) {
    let start = std::time::Instant::now();
    while h.state().is_working() {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(120),
            "worker never finished"
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
        h.step();
    }
    h.run();
}

#[test]
fn large_books_open_match_and_save_on_a_worker() {
    let data = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let export = dir.path().join("10А.xls");
    std::fs::copy(fixture("full/export.xls"), &export).unwrap_or_else(|e| panic!("{e}"));
    let mut h = harness(data.path());
    // Every book counts as large here, so each long task goes to a worker.
    h.state_mut().background_bytes = 0;
    h.state_mut()
        .open_paths(vec![export.clone(), fixture("full/appeals/001.txt")]);
    assert!(h.state().is_working(), "opening runs on a worker");
    h.step();
    h.get_by_label_contains("Открывается «10А.xls»");
    wait_for_worker(&mut h);
    assert!(
        h.state().workspace.session.is_some(),
        "{:?}",
        h.state().status
    );
    // Loading the appeals started matching on a worker too.
    wait_for_worker(&mut h);
    let outcomes = h
        .state()
        .workspace
        .session
        .as_ref()
        .map_or(0, |s| s.outcomes().len());
    assert_eq!(outcomes, 1);
    h.get_by_label_contains("Медведева Варвара Денисовна, 14.06.1990 — найден");
    // «Дениcовна» in the card has a Latin «c»: the table says why two words that look the
    // same differ.
    h.get_by_label("латинские буквы");

    let first = nth_appeal(&h, 0);
    h.state_mut().fix_appeal(first);
    let edited = h
        .state()
        .workspace
        .session
        .as_ref()
        .map_or(0, |s| s.edited_cells());
    assert!(edited > 0, "the appeal has differences to fix");
    let out = dir.path().join("10А_исправлено.xls");
    h.state_mut()
        .save_to(&out)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(h.state().is_working(), "saving runs on a worker");
    h.step();
    h.get_by_label_contains("Сохраняется «10А_исправлено.xls»");
    // The window stays usable meanwhile; a second long task waits its turn.
    assert!(h.state_mut().save_to(&out).is_err());
    wait_for_worker(&mut h);
    let status = h
        .state()
        .status
        .clone()
        .unwrap_or_else(|| panic!("no message"));
    assert!(status.text.starts_with("Сохранено"), "{status:?}");
    assert_eq!(
        h.state().workspace.session.as_ref().map(|s| s.is_dirty()),
        Some(false)
    );

    let saved = XlsBook::open(&out).unwrap_or_else(|e| panic!("{e}"));
    let s = h
        .state()
        .workspace
        .session
        .as_ref()
        .unwrap_or_else(|| panic!("session"));
    for (cell, v) in s.book().edits() {
        assert_eq!(
            &saved.value(cell.sheet, cell.row, cell.col),
            v,
            "cell {cell}"
        );
    }
}

/// The first person's cell of `field` (a parent's, when `parent`): (sheet, row, col).
fn first_cell(h: &Harness<'static, SverkaApp>, field: Field, parent: bool) -> (usize, u32, u32) {
    h.state()
        .workspace
        .session
        .as_ref()
        .and_then(|s| {
            s.analysis()
                .schema
                .people
                .iter()
                .filter(|p| !parent || p.group.is_some())
                .find_map(|p| Some((p.sheet, p.row, *p.cols.get(&field)?)))
        })
        .unwrap_or_else(|| panic!("no {field:?} column"))
}

/// Goes to a cell, opens its editor (F2), selects what it holds and types `text` over it,
/// Enter.
fn type_into(
    h: &mut Harness<'static, SverkaApp>,
    (sheet, row, col): (usize, u32, u32),
    text: &str,
) {
    h.state_mut().go_to(CellRef::new(sheet, row, col));
    h.run();
    h.key_press(egui::Key::F2);
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.run();
    h.get_by_label_contains("Правка ячейки").type_text(text);
    h.key_press(egui::Key::Enter);
    h.run();
}

/// Opens a copy of the full fixture export (in `dir`) with appeal 001 loaded.
fn open_full(h: &mut Harness<'static, SverkaApp>, dir: &Path) -> PathBuf {
    let export = dir.join("5А.xls");
    std::fs::copy(fixture("full/export.xls"), &export).unwrap_or_else(|e| panic!("{e}"));
    h.state_mut()
        .open_paths(vec![export.clone(), fixture("full/appeals/001.txt")]);
    h.run();
    assert!(
        h.state().workspace.session.is_some(),
        "{:?}",
        h.state().status
    );
    export
}

#[test]
fn a_saved_file_is_never_overwritten_and_the_import_is_confirmed_by_the_officer() {
    let data = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut h = harness(data.path());
    let export = open_full(&mut h, dir.path());
    h.get_by_label("Исправить всё").click();
    h.run();
    h.get_by_label_contains("этап: новое");

    // The save proposes `…_исправлено.xls`; after it, the import steps with the file's path
    // and its classes.
    h.state_mut().ask_save();
    h.run();
    let first = dir.path().join("5А_исправлено.xls");
    match &h.state().dialog {
        Some(Dialog::Save { path, .. }) => assert_eq!(Path::new(path), first),
        other => panic!("{other:?}"),
    }
    h.get_by_label("Сохранить").click();
    h.run();
    h.get_by_label_contains("«Управление > Ученики»");
    h.get_by_label_contains("Выберите этот файл:");
    h.get_by_label("Скопировать путь к файлу");
    // The appeal's fixes are in the file, not yet in СГО.
    assert_eq!(
        h.state()
            .workspace
            .session
            .as_ref()
            .map(|s| s.outcomes()[0].progress.stage),
        Some(sverka::engine::Stage::FixedInFile)
    );
    h.get_by_label("Файл загружен в СГО").click();
    h.run();
    assert_eq!(
        h.state()
            .workspace
            .session
            .as_ref()
            .map(|s| s.outcomes()[0].progress.stage),
        Some(sverka::engine::Stage::InSgo)
    );
    h.get_by_label_contains("этап: загружено в СГО");

    // Another edit; the save never proposes the existing file, and typing its name asks.
    let (sheet, row, col) = first_cell(&h, Field::Email, false);
    if let Some(s) = &mut h.state_mut().workspace.session {
        s.set_cell(
            sverka::book::CellRef::new(sheet, row, col),
            Some("ivanov@school.ru".into()),
            sverka::session::Source::Manual,
        )
        .unwrap_or_else(|e| panic!("{e}"));
    }
    h.state_mut().ask_save();
    h.run();
    let second = dir.path().join("5А_исправлено (2).xls");
    match &h.state().dialog {
        Some(Dialog::Save { path, .. }) => assert_eq!(Path::new(path), second),
        other => panic!("{other:?}"),
    }
    h.state_mut().dialog = Some(Dialog::Save {
        path: first.display().to_string(),
        error: None,
        replace: None,
    });
    h.run();
    h.get_by_label_contains("Такой файл уже есть");
    assert!(
        h.get_by_label("Сохранить").accesskit_node().is_disabled(),
        "no save over an existing file without asking"
    );
    h.get_by_label("Новое имя").click();
    h.run();
    match &h.state().dialog {
        Some(Dialog::Save { path, .. }) => assert_eq!(Path::new(path), second),
        other => panic!("{other:?}"),
    }
    h.get_by_label("Сохранить").click();
    h.run();
    assert!(second.exists());
    h.get_by_label("Позже").click();
    h.run();

    // Opening the export again offers to continue from the newest corrected file.
    h.state_mut().open_paths(vec![export.clone()]);
    h.run();
    match &h.state().dialog {
        Some(Dialog::Continue { corrected, .. }) => assert_eq!(
            std::fs::canonicalize(corrected).ok(),
            std::fs::canonicalize(&second).ok()
        ),
        other => panic!("{other:?}"),
    }
    h.get_by_label("Продолжить с исправленного файла").click();
    h.run();
    let s = h
        .state()
        .workspace
        .session
        .as_ref()
        .unwrap_or_else(|| panic!("no session"));
    assert_eq!(
        s.book().path().and_then(|p| std::fs::canonicalize(p).ok()),
        std::fs::canonicalize(&second).ok()
    );
    // The appeal came back with its stage, and the officer is told so.
    assert_eq!(s.outcomes().len(), 1, "{:?}", h.state().status);
    let said = h.state().status.clone().map(|x| x.text).unwrap_or_default();
    assert!(
        said.contains("Возвращены обращения прошлого сеанса: 1"),
        "{said}"
    );
    assert_eq!(s.outcomes()[0].progress.stage, sverka::engine::Stage::InSgo);
    assert_eq!(
        s.text(sverka::book::CellRef::new(sheet, row, col))
            .as_deref(),
        Some("ivanov@school.ru"),
        "the second round's edit is in the file"
    );
}

#[test]
fn choosing_another_person_by_hand_asks_and_can_be_undone() {
    let data = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut h = harness(data.path());
    h.get_by_label("Открыть пример").click();
    h.run();
    // The demo's applicant who is not in the export; her candidates are other people.
    let index = appeal_where(&h, |o| o.result.status == sverka::engine::Status::NotFound)
        .unwrap_or_else(|| panic!("no not-found appeal"));
    h.state_mut().select_appeal(index);
    h.run();
    h.get_by_label_contains("Ошибка авторизации №1");
    h.get_by_label_contains("Ребёнок Абрамова Арина");
    // Before a card is created: no card shares her СНИЛС, phone, e-mail or name and date.
    h.get_by_label_contains("Карточек с тем же СНИЛС");
    let buttons = h.get_all_by_label("Это он(а)…").count();
    assert!(buttons > 0, "candidates are listed");
    h.get_all_by_label("Это он(а)…")
        .next()
        .unwrap_or_else(|| unreachable!())
        .click();
    h.run();
    assert!(matches!(h.state().dialog, Some(Dialog::Choose { .. })));
    h.get_by_label_contains("другой человек");
    h.get_by_label("Да, это он(а)").click();
    h.run();
    h.get_by_label_contains("Статус: выбран вручную");
    assert!(
        h.query_by_label_contains("совпадение").is_none(),
        "no «найден 0%»"
    );
    assert!(
        h.get_by_label("Исправить всё")
            .accesskit_node()
            .is_disabled()
    );
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run();
    h.get_by_label_contains("Статус: не найден");
    // A parent's appeal names the child: the card shows the child's row.
    let first = nth_appeal(&h, 0);
    h.state_mut().select_appeal(first);
    h.run();
    h.get_by_label_contains("Ребёнок из обращения:");
    h.state_mut().select_appeal(index);
    h.run();
    // The draft for the not-found appeal promises nothing and names no phone.
    h.get_by_label("Черновик ответа для ПОС").scroll_to_me();
    h.run();
    h.get_by_label("Черновик ответа для ПОС").click();
    h.run();
    match &h.state().dialog {
        Some(Dialog::Reply { text, note, .. }) => {
            assert!(text.contains("не найдена карточка"), "{text}");
            assert!(!text.contains("исправлен"), "{text}");
            assert!(note.contains("не создавайте вторую"), "{note}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_typed_value_that_breaks_a_rule_stays_red_and_the_save_names_it() {
    let data = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut h = harness(data.path());
    open_full(&mut h, dir.path());
    let (sheet, row, col) = first_cell(&h, Field::Snils, false);
    type_into(&mut h, (sheet, row, col), "112-233-445 96");
    let status = h.state().status.clone().map(|m| m.text).unwrap_or_default();
    assert!(
        status.contains("изменено (файл ещё не сохранён), но контрольное число"),
        "{status}"
    );
    let s = h
        .state()
        .workspace
        .session
        .as_ref()
        .unwrap_or_else(|| unreachable!());
    assert!(s.is_edited(sverka::book::CellRef::new(sheet, row, col)));
    assert_eq!(
        s.severity_at(sverka::book::CellRef::new(sheet, row, col)),
        Some(sverka::engine::Severity::Error),
        "still an error, so painted red, not green"
    );
    h.state_mut().ask_save();
    h.run();
    h.get_by_label_contains("В исправленных ячейках остались ошибки (1)");
    h.get_by_label("Сохранить с ошибками").click();
    h.run();
    h.get_by_label_contains("остались ошибки (1): СГО может не принять");
    assert!(
        h.query_by_label_contains("можно загружать в СГО").is_none(),
        "never «ready» with errors the officer typed"
    );
}

/// A date typed into a parent's «Дата рождения» (a column of Excel dates) stays a date: the
/// grid shows it as typed, the status line says it changed and is not saved yet (never
/// «исправлено»), and the saved file holds a date cell with the cell's date format.
#[test]
fn a_date_typed_into_a_date_column_is_saved_as_a_date() {
    let data = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut h = harness(data.path());
    let export = open_full(&mut h, dir.path());
    let (sheet, row, col) = first_cell(&h, Field::BirthDate, true);
    type_into(&mut h, (sheet, row, col), "14.10.1982");
    let s = h
        .state()
        .workspace
        .session
        .as_ref()
        .unwrap_or_else(|| unreachable!());
    assert_eq!(
        s.book().value(sheet, row, col),
        Some(CellValue::Date(30238.0))
    );
    assert_eq!(text_at(&h, sheet, row, col).as_deref(), Some("14.10.1982"));
    let status = h.state().status.clone().map(|m| m.text).unwrap_or_default();
    assert!(
        status.contains("изменено") && status.contains("файл ещё не сохранён"),
        "{status}"
    );
    assert!(
        !status.contains("исправлено"),
        "a typed value is not called fixed: {status}"
    );
    let out = dir.path().join("5А_даты.xls");
    save_with_dialog(&mut h, &out);
    let written = std::fs::read(&out).unwrap_or_default();
    let original = std::fs::read(&export).unwrap_or_default();
    let xf = common::cell_record(&original, sheet, row, col).map(|(_, xf)| xf);
    assert!(xf.is_some());
    assert_eq!(
        common::cell_record(&written, sheet, row, col),
        xf.map(|xf| (0x0203, xf)),
        "a NUMBER record with the cell's own date format"
    );
}

/// Whose row it is stays readable: the frozen surname drawn on top, on screen, or, where
/// the grid is too narrow for the frozen ФИО, the row headers carrying each row's person;
/// with the panels open, and after they are opened and closed again.
fn whose_row_stays_readable(h: &mut Harness<'static, SverkaApp>, screen: egui::Rect, row: u32) {
    let (width, height) = (screen.width(), screen.height());
    let (_, _, surname) = first_cell(h, Field::Surname, false);
    let names_frozen = |h: &Harness<'static, SverkaApp>| {
        let rects = &h.state().workspace.cell_rects;
        let Some(r) = rects
            .iter()
            .find(|(c, _)| *c == (row, surname))
            .map(|(_, r)| *r)
        else {
            return false;
        };
        let top = rects
            .iter()
            .rev()
            .find(|(_, x)| x.contains(r.center()))
            .map(|(c, _)| *c);
        screen.contains_rect(r) && top == Some((row, surname))
    };
    let readable = |h: &Harness<'static, SverkaApp>| {
        names_frozen(h) || h.state().workspace.names_in_row_headers
    };
    for show in [true, false, true, false] {
        h.state_mut().show_problems = show;
        h.run();
        h.run();
        assert!(
            readable(h),
            "whose row? at {width}×{height}, «Проблемы» {show}"
        );
    }
    if width >= 1366.0 {
        assert!(
            names_frozen(h),
            "frozen ФИО come back when «Проблемы» closes"
        );
    }
}

/// The demo at a laptop's screen size: the toolbar fits, the grid shows a useful number of
/// columns, the selected row's person is named, and the appeal card's buttons are reachable.
fn fits_the_screen(width: f32, height: f32, min_cols: usize) {
    let data = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let data_dir = data.path().to_path_buf();
    let mut h = Harness::builder()
        .with_size(egui::vec2(width, height))
        .build_eframe(move |cc| {
            let mut app = SverkaApp::new(cc);
            app.no_native_dialogs = true;
            app.set_data_dir(Some(data_dir.clone()));
            app
        });
    h.run();
    h.get_by_label("Открыть пример").click();
    h.run();
    h.run();
    let screen = egui::Rect::from_min_size(egui::Pos2::ZERO, egui::vec2(width, height));
    for label in [
        "Открыть…",
        "Сохранить…",
        "Проблемы",
        "Обращения",
        "Файл",
        "Вид",
        "Справка",
    ] {
        // (The toggles «Проблемы» and «Обращения» share their names with the panels'
        // headings: every one must be on screen.)
        let rects: Vec<egui::Rect> = h.get_all_by_label(label).map(|n| n.rect()).collect();
        assert!(!rects.is_empty(), "no {label}");
        for r in rects {
            assert!(
                screen.contains_rect(r),
                "{label} at {r:?} is off a {width}×{height} screen"
            );
        }
    }
    let cols: std::collections::BTreeSet<u32> = h
        .state()
        .workspace
        .cell_rects
        .iter()
        .map(|((_, c), _)| *c)
        .collect();
    assert!(
        cols.len() >= min_cols,
        "only {} columns visible at {width}×{height}",
        cols.len()
    );
    // A cell far to the right: its row's person is named above the grid.
    let (sheet, row, col) = first_cell(&h, Field::Phone, true);
    h.state_mut().go_to(CellRef::new(sheet, row, col));
    h.run();
    h.run();
    let who = h
        .state()
        .workspace
        .session
        .as_ref()
        .and_then(|s| s.person_at(sverka::book::CellRef::new(sheet, row, col)))
        .unwrap_or_default();
    assert!(!who.is_empty());
    let label = h.get_by_label(&who).rect();
    assert!(screen.contains_rect(label), "{who} at {label:?}");
    // The selected cell was scrolled into view.
    let cell = h
        .state()
        .workspace
        .cell_rects
        .iter()
        .find(|(c, _)| *c == (row, col))
        .map(|(_, r)| *r)
        .unwrap_or_else(|| panic!("the selected cell is not drawn"));
    assert!(screen.contains_rect(cell), "{cell:?}");
    // …and not behind the frozen ФИО columns: the topmost cell at its centre is itself.
    let on_top = h
        .state()
        .workspace
        .cell_rects
        .iter()
        .rev()
        .find(|(_, r)| r.contains(cell.center()))
        .map(|(c, _)| *c);
    assert_eq!(on_top, Some((row, col)), "the selected cell is covered");
    whose_row_stays_readable(&mut h, screen, row);
    // The appeal card's main button is on screen once the card is scrolled to it.
    let first = nth_appeal(&h, 0);
    h.state_mut().select_appeal(first);
    h.run();
    let fix = h.get_by_label("Исправить всё");
    fix.scroll_to_me();
    h.run();
    let r = h.get_by_label("Исправить всё").rect();
    assert!(screen.contains_rect(r), "«Исправить всё» at {r:?}");
    // F1 opens the guide.
    h.key_press(egui::Key::F1);
    h.run();
    h.get_by_label("Руководство пользователя sverka");
}

#[test]
fn fits_a_1366_by_768_laptop() {
    fits_the_screen(1366.0, 768.0, 8);
}

#[test]
fn fits_a_1024_by_768_screen() {
    fits_the_screen(1024.0, 768.0, 4);
}

#[test]
fn a_person_not_found_shows_the_cards_that_share_a_value() {
    let data = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut h = harness(data.path());
    open_full(&mut h, dir.path());
    // Someone else's СНИЛС under another name: not found, but the card with that СНИЛС is
    // named before the officer creates a second account.
    let snils = h
        .state()
        .workspace
        .session
        .as_ref()
        .and_then(|s| {
            s.schema().people.iter().find_map(|p| {
                let col = *p.cols.get(&Field::Snils)?;
                let t = s.text(sverka::book::CellRef::new(p.sheet, p.row, col))?;
                let parsed = sverka::norm::snils::parse(&t).ok()?;
                parsed.check_problem().is_none().then_some(t)
            })
        })
        .unwrap_or_else(|| panic!("no valid СНИЛС"));
    h.state_mut().paste_appeals(&format!(
        "Фамилия Неизвестнова\nИмя Зинаида\nДата рождения 01.02.1980\nСНИЛС {snils}"
    ));
    h.run();
    let s = h
        .state()
        .workspace
        .session
        .as_ref()
        .unwrap_or_else(|| unreachable!());
    assert_eq!(
        s.outcomes().last().map(|o| o.result.status),
        Some(sverka::engine::Status::NotFound)
    );
    h.get_by_label_contains("Похожие карточки (1)");
    h.get_by_label_contains("совпадают СНИЛС");
}

#[test]
fn a_large_book_reopened_with_new_appeals_keeps_the_previous_ones_too() {
    let data = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let export = {
        let mut h = harness(data.path());
        open_full(&mut h, dir.path())
    };
    // Later: the same export with another appeal file, on workers (every book is "large").
    let mut h = harness(data.path());
    h.state_mut().background_bytes = 0;
    h.state_mut()
        .open_paths(vec![export, fixture("full/appeals/013.txt")]);
    wait_for_worker(&mut h);
    wait_for_worker(&mut h);
    let n = h
        .state()
        .workspace
        .session
        .as_ref()
        .map_or(0, |s| s.outcomes().len());
    assert_eq!(n, 2, "{:?}", h.state().status);
}

/// A file sverka refuses is not offered again under «Недавние файлы»; one that opens is.
#[test]
fn only_files_that_open_become_recent() {
    let data = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut h = harness(data.path());
    h.state_mut()
        .open_export(fixture("bad/html_renamed.xls"), Vec::new());
    h.run();
    assert!(h.state().recent.is_empty(), "{:?}", h.state().recent);
    h.state_mut()
        .open_export(fixture("short/export.xls"), Vec::new());
    h.run();
    assert_eq!(h.state().recent.len(), 1);
}

/// Selecting an appeal whose person is not in the export moves the table to no one: the
/// nearest card would look like the match.
#[test]
fn a_person_not_found_selects_no_row() {
    let (_data, mut h) = on_demo();
    let not_found = appeal_where(&h, |o| o.result.status == sverka::engine::Status::NotFound)
        .unwrap_or_else(|| panic!("the demo has a person not found"));
    let found = appeal_where(&h, |o| o.result.status != sverka::engine::Status::NotFound)
        .unwrap_or_else(|| panic!("the demo has people found"));
    h.state_mut().select_appeal(found);
    h.run();
    let cell = h
        .state()
        .workspace
        .selected
        .unwrap_or_else(|| panic!("the person found is selected"));
    let who = session_of(&h).person_at(cell).unwrap_or_default();
    h.get_by_label(&who);
    // The card of a person not found: the grid names nobody, not the previous person.
    h.state_mut().select_appeal(not_found);
    h.run();
    assert_eq!(h.state().workspace.selected, None);
    assert!(h.query_by_label(&who).is_none(), "{who} is still named");
}

/// A field that equals Госуслуги only because of an edit not saved yet says so in the card.
#[test]
fn a_field_fixed_but_not_saved_says_not_saved() {
    let (_data, mut h) = on_demo();
    assert!(h.query_by_label("не сохранено").is_none());
    let index = appeal_where(&h, |o| {
        o.result
            .fields
            .iter()
            .any(|f| f.verdict == sverka::engine::Verdict::Differs)
    })
    .unwrap_or_else(|| panic!("the demo has a field to fix"));
    if let Some(s) = h.state_mut().workspace.session.as_mut() {
        s.fix_appeal(index).unwrap_or_else(|e| panic!("{e}"));
    }
    h.state_mut().select_appeal(index);
    h.run();
    assert!(h.query_all_by_label("не сохранено").count() >= 1);
}

/// Saved column mappings that cannot be read are said in the status bar, not ignored; the app
/// runs on detection alone and leaves the file as it is.
#[test]
fn unreadable_saved_mappings_are_said_not_ignored() {
    let data = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let file = data.path().join("profiles.json");
    std::fs::write(&file, "[1, 2").unwrap_or_else(|e| panic!("{e}"));
    let h = harness(data.path());
    let status = h
        .state()
        .status
        .clone()
        .unwrap_or_else(|| panic!("no status"));
    assert!(status.error, "{}", status.text);
    assert!(
        status
            .text
            .starts_with("Сохранённые сопоставления столбцов не загружены: профиль «"),
        "{}",
        status.text
    );
    assert!(
        status.text.contains("ошибка в строке 1, позиция 5"),
        "{}",
        status.text
    );
    h.get_by_label_contains("Столбцы определяются по заголовкам.");
    assert_eq!(std::fs::read_to_string(&file).unwrap_or_default(), "[1, 2");
}

/// Opening another export leaves nothing of the last one: its selection, inline edit,
/// search, appeal card, list filter and grid are all gone with it (the workspace is replaced
/// as one), so no cell or appeal of one export is shown against the other.
#[test]
fn opening_another_export_leaves_nothing_of_the_last() {
    let (_data, mut h) = on_demo();
    let first = nth_appeal(&h, 0);
    h.state_mut().select_appeal(first);
    {
        let w = &mut h.state_mut().workspace;
        w.search = "Медведева".into();
        w.appeal_filter = sverka::app::ListFilter::NotFound;
    }
    h.run();
    assert!(h.state().workspace.selected.is_some());
    assert!(!h.state().workspace.cell_rects.is_empty());
    h.state_mut()
        .open_export(fixture("short/export.xls"), Vec::new());
    h.run();
    let w = &h.state().workspace;
    let s = w
        .session
        .as_ref()
        .unwrap_or_else(|| panic!("the export did not open"));
    assert!(
        s.book()
            .path()
            .is_some_and(|p| p.ends_with("short/export.xls"))
    );
    assert_eq!(w.selected, None);
    assert!(w.editing.is_none());
    assert_eq!(w.selected_appeal, None);
    assert_eq!(w.search, "");
    assert_eq!(w.appeal_filter, sverka::app::ListFilter::All);
    // The grid drawn is the new export's: every cell it drew is inside its sheet.
    let grid = s.grids().get(w.sheet).unwrap_or_else(|| panic!("no sheet"));
    assert!(
        w.cell_rects
            .iter()
            .all(|((r, c), _)| *r < grid.height() && *c < grid.width())
    );
}

/// A file that does not open replaces nothing: the export that was open comes back, whether
/// the open ran at once (a small file) or on a worker (a large one) — one path for both.
#[test]
fn a_file_that_does_not_open_leaves_the_open_export() {
    for background in [false, true] {
        let data = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let mut h = harness(data.path());
        h.state_mut()
            .open_export(fixture("short/export.xls"), Vec::new());
        h.run();
        if background {
            h.state_mut().background_bytes = 0;
        }
        h.state_mut()
            .open_export(fixture("bad/html_renamed.xls"), Vec::new());
        wait_for_worker(&mut h);
        let state = h.state();
        let open = state
            .workspace
            .session
            .as_ref()
            .and_then(|s| s.book().path().map(Path::to_path_buf));
        assert!(
            open.as_ref()
                .is_some_and(|p| p.ends_with("short/export.xls")),
            "background {background}: {open:?}"
        );
        assert!(
            state
                .status
                .as_ref()
                .is_some_and(|s| s.error && s.text.contains("html_renamed")),
            "{:?}",
            state.status
        );
    }
}

/// Every command is an action carried out in one place: the same steps the panels' buttons
/// and the shortcuts ask for, given as actions, do what the clicks do.
#[test]
fn commands_are_actions_handled_in_one_place() {
    use sverka::app::{Action, AppealAct};
    let (_data, mut h) = on_demo();
    let found = appeal_where(&h, |o| o.result.status == sverka::engine::Status::Matched)
        .unwrap_or_else(|| panic!("the demo has people found"));
    let edited = |h: &Harness<'static, SverkaApp>| session_of(h).edited_cells();
    h.state_mut().handle(Action::SelectAppeal(found));
    assert_eq!(h.state().workspace.selected_appeal, Some(found));
    h.state_mut()
        .handle(Action::Appeal(found, AppealAct::FixAll));
    let fixed = edited(&h);
    assert!(fixed > 0, "{:?}", h.state().status);
    h.state_mut().handle(Action::Undo);
    assert_eq!(edited(&h), 0);
    h.state_mut().handle(Action::Redo);
    assert_eq!(edited(&h), fixed);
    h.state_mut().handle(Action::RemoveAppeal(found));
    assert_eq!(h.state().workspace.selected_appeal, None);
    assert!(
        h.state()
            .workspace
            .session
            .as_ref()
            .is_some_and(|s| s.appeal(found).is_none())
    );
    // A shortcut is the same action: Ctrl+Z brings the removed appeal back, the next one
    // undoes its fix.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run();
    assert!(
        h.state()
            .workspace
            .session
            .as_ref()
            .is_some_and(|s| s.appeal(found).is_some()),
        "{:?}",
        h.state().status
    );
    assert_eq!(edited(&h), fixed);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run();
    assert_eq!(edited(&h), 0, "{:?}", h.state().status);
}

/// The same ПОС card pasted twice is one appeal, and the officer is told; an appeal removed
/// with «×» comes back with Ctrl+Z, in its place.
#[test]
fn a_repeated_appeal_is_not_added_twice_and_a_removed_one_comes_back() {
    let (_data, mut h) = on_demo();
    let count = |h: &Harness<'static, SverkaApp>| session_of(h).outcomes().len();
    let text = std::fs::read_to_string(fixture("full/appeals/013.txt")).unwrap_or_default();
    h.event(egui::Event::Paste(text.clone()));
    h.run();
    assert_eq!(count(&h), 6);
    h.event(egui::Event::Paste(text));
    h.run();
    assert_eq!(count(&h), 6, "the same card is not a second appeal");
    h.get_by_label_contains("Уже были в списке и повторно не добавлены (то же обращение): 1");

    let second = nth_appeal(&h, 1);
    let title = |h: &Harness<'static, SverkaApp>, i: usize| {
        session_of(h).outcomes().get(i).map(|o| o.appeal.title())
    };
    let before = title(&h, 1);
    h.state_mut()
        .handle(sverka::app::Action::RemoveAppeal(second));
    h.run();
    assert_eq!(count(&h), 5);
    h.get_by_label_contains("Ctrl+Z — вернуть");
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run();
    assert_eq!(count(&h), 6);
    assert_eq!(title(&h, 1), before, "back in its place");
    assert_eq!(nth_appeal(&h, 1), second, "under its own id");
}

/// «Не сохранять» on closing discards the edits: the journal goes with them, and the next
/// open of the export does not offer to restore what the officer chose to drop.
#[test]
fn do_not_save_on_closing_discards_the_journal() {
    let data = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut h = harness(data.path());
    let export = open_full(&mut h, dir.path());
    h.get_by_label("Исправить всё").click();
    h.run();
    let journaled = |data: &Path| {
        sverka::session::Journal::for_export_in(data, &export).map_or(0, |j| j.read().len())
    };
    assert_eq!(journaled(data.path()), 1, "the fix is journaled");
    request_close(&mut h);
    h.run();
    h.get_by_label("Не сохранять").click();
    h.run();
    assert_eq!(journaled(data.path()), 0, "the journal is discarded");
    // Opened again: no offer to restore, the export as it was.
    let mut again = harness(data.path());
    again.state_mut().open_paths(vec![export.clone()]);
    again.run();
    assert!(
        !matches!(again.state().dialog, Some(Dialog::Restore { .. })),
        "{:?}",
        again.state().dialog
    );
    assert_eq!(
        again
            .state()
            .workspace
            .session
            .as_ref()
            .map(|s| s.edited_cells()),
        Some(0)
    );
}

/// Esc closes the dialogs the officer reads and leaves: the reply draft (whose text field
/// has the keyboard), the import steps.
#[test]
fn escape_closes_the_reply_draft() {
    let (_data, mut h) = on_demo();
    let first = nth_appeal(&h, 0);
    h.state_mut().select_appeal(first);
    h.run();
    h.get_by_label("Черновик ответа для ПОС").scroll_to_me();
    h.run();
    h.get_by_label("Черновик ответа для ПОС").click();
    h.run();
    assert!(
        matches!(h.state().dialog, Some(Dialog::Reply { .. })),
        "{:?}",
        h.state().dialog
    );
    // The officer clicked into the text to edit it: Esc still closes the draft.
    h.get_by_label("Текст ответа (можно поправить):").click();
    h.run();
    h.key_press(egui::Key::Escape);
    h.run();
    assert!(h.state().dialog.is_none(), "{:?}", h.state().dialog);
}

/// Appeals pasted from the clipboard are kept in the case record like files: after a
/// restart the list has every one of them.
#[test]
fn pasted_appeals_come_back_after_a_restart() {
    let data = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut h = harness(data.path());
    let export = open_full(&mut h, dir.path());
    let text = std::fs::read_to_string(fixture("full/appeals/002.txt")).unwrap_or_default();
    h.event(egui::Event::Paste(text.clone()));
    h.run();
    assert_eq!(session_of(&h).outcomes().len(), 2);
    // The same card pasted again: not a third appeal, now or after the restart.
    h.event(egui::Event::Paste(text));
    h.run();
    assert_eq!(session_of(&h).outcomes().len(), 2);
    drop(h);

    let mut again = harness(data.path());
    again.state_mut().open_paths(vec![export]);
    again.run();
    assert_eq!(session_of(&again).outcomes().len(), 2);
    again.get_by_label_contains("Возвращены обращения прошлого сеанса: 2");
}

/// Reopening the export after a crash: «Начать заново» still asks about the corrected file,
/// and working on the export, each appeal's stage says which file holds its fixes and offers
/// to open it; no step is offered against the file on screen.
#[test]
fn starting_afresh_offers_the_corrected_file_and_stages_name_their_file() {
    let data = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut h = harness(data.path());
    let export = open_full(&mut h, dir.path());
    h.get_by_label("Исправить всё").click();
    h.run();
    h.state_mut().ask_save();
    h.run();
    h.get_by_label("Сохранить").click();
    h.run();
    h.get_by_label("Позже").click();
    h.run();
    let corrected = dir.path().join("5А_исправлено.xls");
    assert!(corrected.exists());
    // One more edit, not saved; then the program ends without asking (a crash).
    let (sheet, row, col) = first_cell(&h, Field::Email, false);
    if let Some(s) = &mut h.state_mut().workspace.session {
        s.set_cell(
            CellRef::new(sheet, row, col),
            Some("ivanov@school.ru".into()),
            sverka::session::Source::Manual,
        )
        .unwrap_or_else(|e| panic!("{e}"));
    }
    drop(h);

    let mut again = harness(data.path());
    again.state_mut().open_paths(vec![export.clone()]);
    again.run();
    assert!(
        matches!(again.state().dialog, Some(Dialog::Restore { .. })),
        "{:?}",
        again.state().dialog
    );
    again.get_by_label_contains("Есть и исправленный файл «5А_исправлено.xls»");
    again.get_by_label("Начать заново").click();
    again.run();
    assert!(
        matches!(again.state().dialog, Some(Dialog::Continue { .. })),
        "{:?}",
        again.state().dialog
    );
    // Esc: work with the export.
    again.key_press(egui::Key::Escape);
    again.run();
    assert!(again.state().dialog.is_none(), "{:?}", again.state().dialog);
    let id = nth_appeal(&again, 0);
    let s = session_of(&again);
    assert_eq!(s.edited_cells(), 0);
    assert_eq!(
        s.appeal(id).map(|o| o.progress.stage),
        Some(sverka::engine::Stage::FixedInFile)
    );
    assert_eq!(
        s.stage_elsewhere(id)
            .and_then(|p| std::fs::canonicalize(p).ok()),
        std::fs::canonicalize(&corrected).ok()
    );
    again.state_mut().select_appeal(id);
    again.run();
    again.get_by_label_contains("этап: исправлено в файле (в файле «5А_исправлено.xls»)");
    again.get_by_label_contains("Этап относится к файлу «5А_исправлено.xls»");
    for step in ["Загружено в СГО", "Вход подтверждён", "Ошибка сохраняется"]
    {
        assert!(
            again.get_by_label(step).accesskit_node().is_disabled(),
            "no step against a file that does not hold the fixes: {step}"
        );
    }
    again.get_by_label("Открыть «5А_исправлено.xls»").click();
    again.run();
    let s = session_of(&again);
    assert_eq!(
        s.book().path().and_then(|p| std::fs::canonicalize(p).ok()),
        std::fs::canonicalize(&corrected).ok()
    );
    let id = nth_appeal(&again, 0);
    assert_eq!(s.stage_elsewhere(id), None);
}

/// The search box takes several words in any order; Enter goes to the first row found and
/// never edits a cell (hidden or not); Esc clears the search; a search that finds nothing
/// says so.
#[test]
fn search_by_several_words_and_enter_and_escape_in_the_box() {
    let (_data, mut h) = on_demo();
    let title = session_of(&h)
        .outcomes()
        .iter()
        .find(|o| o.result.person.is_some())
        .map(|o| o.appeal.title())
        .unwrap_or_default();
    let words: Vec<&str> = title.split_whitespace().collect();
    assert!(words.len() >= 2, "{title}");
    // A cell selected first, which the search will hide.
    h.state_mut().go_to(CellRef::new(0, 3, 2));
    h.run();
    let query = format!("{} {}", words[1].to_lowercase(), words[0]);
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::F);
    h.run();
    h.event(egui::Event::Text(query.clone()));
    h.run();
    assert_eq!(h.state().workspace.search, query);
    h.key_press(egui::Key::Enter);
    h.run();
    h.run();
    assert!(
        h.state().workspace.editing.is_none(),
        "Enter in the search edits nothing"
    );
    let selected = h
        .state()
        .workspace
        .selected
        .unwrap_or_else(|| panic!("the first row found is selected"));
    let who = session_of(&h).person_at(selected).unwrap_or_default();
    assert!(
        who.contains(words[0]) && who.contains(words[1]),
        "{who} / {title}"
    );

    // Nothing found: said, not an empty grid.
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::F);
    h.run();
    h.event(egui::Event::Text(" Щщщщ".into()));
    h.run();
    h.get_by_label_contains("ничего не найдено");
    // Esc clears it, and the rows come back.
    h.key_press(egui::Key::Escape);
    h.run();
    assert_eq!(h.state().workspace.search, "");
    assert!(h.query_by_label_contains("ничего не найдено").is_none());
}

/// The steps keep their places whatever the card and the counters do, and the step back is
/// never where a step forward was just clicked.
#[test]
fn stage_buttons_keep_their_place_and_the_step_back_is_elsewhere() {
    let data = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut h = harness(data.path());
    open_full(&mut h, dir.path());
    let id = nth_appeal(&h, 0);
    h.state_mut().select_appeal(id);
    h.run();
    let place = |h: &Harness<'static, SverkaApp>, label: &str| h.get_by_label(label).rect();
    let steps = [
        "Загружено в СГО",
        "Вход подтверждён",
        "Ошибка сохраняется",
        "Вернуть на шаг назад",
    ];
    let before: Vec<egui::Rect> = steps.iter().map(|l| place(&h, l)).collect();
    assert!(
        h.get_by_label("Загружено в СГО")
            .accesskit_node()
            .is_disabled(),
        "nothing saved yet"
    );
    h.get_by_label("Исправить всё").click();
    h.run();
    h.state_mut().ask_save();
    h.run();
    h.get_by_label("Сохранить").click();
    h.run();
    h.get_by_label("Позже").click();
    h.run();
    let saved: Vec<egui::Rect> = steps.iter().map(|l| place(&h, l)).collect();
    assert_eq!(
        before, saved,
        "fields fixed, counters changed: the steps stay"
    );

    let clicked = place(&h, "Загружено в СГО");
    h.get_by_label("Загружено в СГО").click();
    h.run();
    assert_eq!(
        session_of(&h).appeal(id).map(|o| o.progress.stage),
        Some(sverka::engine::Stage::InSgo)
    );
    let after: Vec<egui::Rect> = steps.iter().map(|l| place(&h, l)).collect();
    assert_eq!(saved, after);
    assert!(!place(&h, "Вернуть на шаг назад").intersects(clicked));
    let clicked = place(&h, "Вход подтверждён");
    h.get_by_label("Вход подтверждён").click();
    h.run();
    assert_eq!(place(&h, "Вход подтверждён"), clicked);
    assert!(!place(&h, "Вернуть на шаг назад").intersects(clicked));
}

/// «Вручную в СГО» gathers every appeal's work by hand in one list; marking one done there
/// takes it off the list and moves its appeal on.
#[test]
fn the_manual_to_do_list_gathers_every_appeals_hand_work() {
    let (_data, mut h) = on_demo();
    h.state_mut().show_problems = true;
    h.run();
    let todo = session_of(&h).manual_todo();
    assert!(todo.len() >= 2, "{todo:?}");
    h.get_by_label_contains(&format!("Вручную в СГО ({})", todo.len()));
    let first = todo
        .first()
        .map(|t| t.id)
        .unwrap_or_else(|| panic!("empty"));
    for t in &todo {
        h.get_by_label(&t.title);
    }
    h.get_all_by_label("Исправлено в СГО вручную")
        .next()
        .unwrap_or_else(|| panic!("no button"))
        .click();
    h.run();
    assert_eq!(
        session_of(&h).appeal(first).map(|o| o.progress.stage),
        Some(sverka::engine::Stage::InSgo)
    );
    assert_eq!(session_of(&h).manual_todo().len(), todo.len() - 1);
    h.get_by_label_contains(&format!("Вручную в СГО ({})", todo.len() - 1));
}

/// Ctrl+R opens the register of appeals; its search keeps the rows with every word. The
/// appeals list has a search and an order of its own.
#[test]
fn the_register_and_the_appeals_list_are_searched() {
    let (_data, mut h) = on_demo();
    let total = session_of(&h).outcomes().len();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::R);
    h.run();
    h.get_by_label("Реестр обращений");
    h.get_by_label(&format!("Показано обращений: {total} из {total}"));
    let title = session_of(&h)
        .outcomes()
        .first()
        .map(|o| o.appeal.title())
        .unwrap_or_default();
    let surname = title
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_string();
    h.state_mut().register.query = surname.to_lowercase();
    h.run();
    h.get_by_label(&format!("Показано обращений: 1 из {total}"));
    // Esc closes it (the search box does not have the key now).
    h.key_press(egui::Key::Escape);
    h.run();
    assert!(!h.state().register.open);

    // The side list: typed words keep the appeals that have them all.
    h.state_mut().workspace.appeal_query = format!("{surname} нет-такого");
    h.run();
    h.get_by_label("Ни одно обращение не подходит под поиск и фильтр.");
    h.state_mut().workspace.appeal_query = surname.clone();
    h.run();
    assert!(
        h.query_by_label("Ни одно обращение не подходит под поиск и фильтр.")
            .is_none()
    );
}

/// Esc closes every dialog the officer can leave: the save and report dialogs, the column
/// mapping, the question about unsaved edits (the window stays open), the import steps.
#[test]
fn escape_closes_every_dialog() {
    let (_data, mut h) = on_demo();
    let esc_closes = |h: &mut Harness<'static, SverkaApp>, what: &str| {
        assert!(h.state().dialog.is_some(), "{what}: no dialog");
        h.key_press(egui::Key::Escape);
        h.run();
        assert!(h.state().dialog.is_none(), "{what}: {:?}", h.state().dialog);
    };
    h.state_mut().handle(sverka::app::Action::AskReport);
    h.run();
    esc_closes(&mut h, "report");
    h.state_mut().handle(sverka::app::Action::ShowMapping);
    h.run();
    esc_closes(&mut h, "mapping");
    let first = nth_appeal(&h, 0);
    h.state_mut().select_appeal(first);
    h.state_mut().handle(sverka::app::Action::Appeal(
        first,
        sverka::app::AppealAct::FixAll,
    ));
    h.run();
    h.state_mut().handle(sverka::app::Action::AskSave);
    h.run();
    esc_closes(&mut h, "save");
    request_close(&mut h);
    h.run();
    esc_closes(&mut h, "unsaved edits");
    assert!(
        session_of(&h).is_dirty(),
        "Esc is not «Не сохранять»: the edits stay"
    );
}

/// Enter ends an inline edit and moves down, as in Excel; it does not open an editor on the
/// next cell too.
#[test]
fn enter_commits_an_edit_and_moves_down_without_editing_the_next_cell() {
    let (_data, mut h) = on_demo();
    let (sheet, row, col) = first_cell(&h, Field::Phone, true);
    type_into(&mut h, (sheet, row, col), "+7 900 000 00 01");
    h.run();
    assert_eq!(
        text_at(&h, sheet, row, col).as_deref(),
        Some("+7 900 000 00 01")
    );
    assert!(
        h.state().workspace.editing.is_none(),
        "{:?}",
        h.state().workspace.editing.as_ref().map(|e| e.cell)
    );
    assert_eq!(
        h.state().workspace.selected.map(|c| c.col),
        Some(col),
        "moved down in the same column"
    );
    assert_ne!(h.state().workspace.selected.map(|c| c.row), Some(row));
}

/// The card says why a login fails beyond the fields: an account not confirmed, a child not
/// linked to the parent — and nothing of the kind for an appeal whose causes are the fields.
#[test]
fn the_card_says_why_a_login_fails_beyond_the_fields() {
    let data = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let export = dir.path().join("5А.xls");
    std::fs::copy(fixture("full/export.xls"), &export).unwrap_or_else(|e| panic!("{e}"));
    let card =
        std::fs::read_to_string(fixture("full/appeals/001.txt")).unwrap_or_else(|e| panic!("{e}"));
    let appeal = dir.path().join("упрощенная.txt");
    std::fs::write(
        &appeal,
        card.replace("Подтвержденная", "Упрощенная").replace(
            "Ребёнок Медведев Владимир, 3А класс",
            "Ребёнок Дмитриев Павел, 1А класс",
        ),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let mut h = harness(data.path());
    h.state_mut()
        .open_paths(vec![export, appeal, fixture("full/appeals/002.txt")]);
    h.run();
    assert_eq!(session_of(&h).outcomes().len(), 2);
    // The list filters by the cause.
    h.state_mut().workspace.appeal_filter = sverka::app::ListFilter::Cause("account_not_confirmed");
    h.run();
    let titles: Vec<String> = session_of(&h)
        .outcomes()
        .iter()
        .map(|o| format!("{} — ", o.appeal.title()))
        .collect();
    assert!(
        h.query_by_label_contains(&titles[0]).is_some(),
        "the unconfirmed one is listed"
    );
    assert!(
        h.query_by_label_contains(&titles[1]).is_none(),
        "the other is not"
    );
    h.state_mut().workspace.appeal_filter = sverka::app::ListFilter::All;
    h.run();
    let id = nth_appeal(&h, 0);
    h.state_mut().select_appeal(id);
    h.run();
    h.get_by_label("Почему не входит:");
    h.get_by_label_contains(
        "Учётная запись на Госуслугах не подтверждена (в обращении: «Упрощенная»)",
    );
    h.get_by_label_contains("«Присоединить ребёнка» и выберите Дмитриев Павел Олегович");

    // The demo's first appeal: its cause is a field, shown by the table, not here.
    let (_d, mut demo) = on_demo();
    let first = nth_appeal(&demo, 0);
    demo.state_mut().select_appeal(first);
    demo.run();
    assert!(demo.query_by_label("Почему не входит:").is_none());
}
