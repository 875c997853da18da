//! What the officer asks for — from the menus and the toolbar, the problems panel, the
//! appeals panel and card, or a keyboard shortcut — as values. The panels draw and return
//! the actions clicked; `SverkaApp::handle` (in `handle.rs`) carries each out, in that one
//! place, after the frame is drawn. (The grid's own selection and inline edit, and the modal
//! dialogs' answers, stay with them.)

use std::path::PathBuf;

use sverka_core::book::CellRef;
use sverka_core::session::{AppealId, Field, Kind, PersonId};

/// One thing the officer asked for.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Choose an export to open (Ctrl+O).
    ChooseExport,
    /// Choose appeal files to load.
    ChooseAppeals,
    /// Add a pasted ПОС card (or several) as appeals.
    Paste(String),
    /// Open files dropped on the window.
    OpenPaths(Vec<PathBuf>),
    /// Save the corrected file (Ctrl+S; an inline edit is committed first).
    AskSave,
    /// Write the change report.
    AskReport,
    /// Show which columns hold what, for the sheet shown.
    ShowMapping,
    /// Open the settings.
    ShowSettings,
    /// Open the guide (F1).
    ShowHelp,
    /// Undo the last change (Ctrl+Z).
    Undo,
    /// Redo the last undone change (Ctrl+Y).
    Redo,
    /// Open the register of appeals (Ctrl+R).
    ShowRegister,
    /// Select the first row the search found (Enter in the search box).
    FirstFound,
    /// Put the cursor into the search box (Ctrl+F).
    Find,
    /// Go to the next cell with a problem (F8).
    NextProblem,
    /// Select a cell and bring it into view.
    GoTo(CellRef),
    /// Apply the suggestion of every finding of one kind (one undoable step).
    FixAllOfKind(Kind),
    /// Show an appeal's card and its person in the grid.
    SelectAppeal(AppealId),
    /// Take an appeal off the list.
    RemoveAppeal(AppealId),
    /// A button of an appeal's card.
    Appeal(AppealId, AppealAct),
}

/// What the officer clicked in an appeal's card.
#[derive(Debug, Clone, PartialEq)]
pub enum AppealAct {
    /// «Исправить всё».
    FixAll,
    /// «Исправить» on one field.
    Fix(Field),
    /// A field of a person chosen against the evidence: ask before writing this value.
    Confirm(Field, String),
    /// «Это он(а)…» on a candidate.
    Choose(PersonId),
    /// «Черновик ответа для ПОС».
    Reply,
    /// «Исправлено в СГО вручную».
    ByHand,
    /// «Загружено в СГО».
    Imported,
    /// «Как загрузить в СГО».
    HowToImport,
    /// The citizen's new login: worked or not.
    Login(bool),
    /// «Вернуть на шаг назад».
    Back,
    /// «Показать» a card in the grid.
    GoTo(sverka_core::book::CellRef),
}
