//! The open export as the app holds it: the session and everything the window keeps about
//! it — the sheet shown, the selected cell and the inline edit, the search, the selected
//! appeal and the list's filter, what came back from the previous session, the grid's cache.
//! It is replaced as one when another export opens (or the last one is closed), so no
//! selection, edit or cache of one export is ever shown against another.

use eframe::egui;

use super::Editing;
use super::appeals::ListFilter;
use super::grid::{Commit, GridCache};
use sverka_core::book::CellRef;
use sverka_core::session::{Appeal, AppealHelp, AppealId, Session};

/// Everything tied to the open export.
#[derive(Default)]
pub struct Workspace {
    /// The open export and everything done to it; `None` shows the start screen.
    pub session: Option<Session>,
    /// The index of the sheet shown in the grid.
    pub sheet: usize,
    /// The selected cell (on the sheet shown).
    pub selected: Option<CellRef>,
    /// The cell being edited inline, if any.
    pub editing: Option<Editing>,
    /// The search box's text: rows whose ФИО, СНИЛС or phone do not match it are not shown.
    pub search: String,
    pub(super) focus_search: bool,
    /// The appeal whose card is shown.
    pub selected_appeal: Option<AppealId>,
    /// Which appeals the list shows.
    pub appeal_filter: ListFilter,
    /// The appeals list's search: every word in the person, the message numbers or the source.
    pub appeal_query: String,
    /// The appeals list's order.
    pub appeal_sort: crate::appeals::ListSort,
    /// Each appeal's causes beyond the fields, for the list's filter.
    pub(crate) causes: crate::appeals::AppealCauses,
    /// The selected appeal's child and near cards, by (appeal, session version).
    pub(super) appeal_help: Option<((AppealId, u64), AppealHelp)>,
    /// Pasted texts so far («вставка 3»), so that the next paste gets a new name.
    pub(super) paste_count: usize,
    /// A cell to bring into view on the next frame (row, column).
    pub(super) scroll_to: Option<(u32, u32)>,
    /// The grid is too narrow for the frozen ФИО: the row headers carry each row's person.
    pub names_in_row_headers: bool,
    /// Where the grid drew each visible cell last frame (for hit tests and tests).
    pub cell_rects: Vec<((u32, u32), egui::Rect)>,
    pub(super) grid_cache: GridCache,
    pub(super) pending_commit: Option<Commit>,
    pub(super) editor_label: Option<egui::Id>,
    /// What came back from the previous session on this export (said once it is open).
    pub(super) reloaded_note: Option<String>,
    /// The appeals of the previous session, to be matched with the files opened now.
    pub(super) previous_appeals: Vec<Appeal>,
}

impl Workspace {
    /// A fresh workspace on a session: the first sheet with people shown, nothing selected.
    pub fn on(session: Session) -> Workspace {
        let sheet = session.schema().people.first().map_or(0, |p| p.sheet);
        Workspace {
            session: Some(session),
            sheet,
            ..Workspace::default()
        }
    }
}
