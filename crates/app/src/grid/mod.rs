//! The sheet as the officer knows it from Excel: tabs, column letters, row numbers, frozen
//! header rows and ФИО columns, cell colours by state, inline editing. Only visible cells are
//! drawn, so a 65,000-row sheet scrolls as fast as a short one. This file holds the tabs, the
//! formula bar and the keyboard; [`cache`] which rows and columns are shown, [`body`] the cells.

mod body;
mod cache;

use eframe::egui::{self, Color32};

use super::SverkaApp;
use sverka_core::book::CellRef;

const ROW_H: f32 = 22.0;
const LETTERS_H: f32 = 20.0;
const GUTTER_W: f32 = 52.0;

/// Cached per-sheet layout: which rows and columns are shown and how wide columns are.
#[derive(Default)]
pub struct GridCache {
    key: Option<(usize, bool, String, u64, usize, bool)>,
    rows: Vec<u32>,
    frozen_rows: usize,
    cols: Vec<u32>,
    widths: Vec<f32>,
    frozen_cols: usize,
    hidden: std::collections::BTreeSet<u32>,
}

impl GridCache {
    /// Whether the grid shows `cell` (its row kept by the search and the filter, its column
    /// not hidden). Before the grid was first laid out, every cell counts as shown.
    pub(crate) fn shows(&self, cell: CellRef) -> bool {
        self.key.is_none() || (self.rows.contains(&cell.row) && self.cols.contains(&cell.col))
    }

    /// The first cell of the first row below the header band (the surname, where the names
    /// are frozen), if the search and the filter keep any row.
    pub(crate) fn first_body_cell(&self) -> Option<(u32, u32)> {
        Some((*self.rows.get(self.frozen_rows)?, *self.cols.first()?))
    }
}

/// Works out the rows and columns shown for the search and filter now (they are otherwise
/// worked out when the grid is drawn).
pub(crate) fn refresh_cache(app: &mut SverkaApp) {
    cache::rebuild_cache(app);
}

/// The central panel: sheet tabs, the formula bar and the grid.
pub fn show(app: &mut SverkaApp, ui: &mut egui::Ui) {
    sheet_tabs(app, ui);
    formula_bar(app, ui);
    cache::rebuild_cache(app);
    nothing_found(app, ui);
    body::body(app, ui);
}

/// A search or a filter that keeps no row says so, rather than showing an empty grid.
fn nothing_found(app: &SverkaApp, ui: &mut egui::Ui) {
    let cache = &app.workspace.grid_cache;
    if cache.key.is_none() || cache.rows.len() > cache.frozen_rows {
        return;
    }
    let query = app.workspace.search.trim();
    let text = match (query.is_empty(), app.only_problems) {
        (true, false) => return,
        (true, true) => "На этом листе нет строк с проблемами.".to_string(),
        (false, problems) => format!(
            "По запросу «{query}» на этом листе ничего не найдено{}. Ищутся фамилия, имя, отчество, СНИЛС и телефон; несколько слов — в любом порядке.",
            if problems {
                " среди строк с проблемами (снимите «только с проблемами»)"
            } else {
                ""
            }
        ),
    };
    ui.colored_label(Color32::from_rgb(200, 140, 0), text);
}

fn sheet_tabs(app: &mut SverkaApp, ui: &mut egui::Ui) {
    let Some(s) = &app.workspace.session else {
        return;
    };
    let names: Vec<String> = s
        .book()
        .sheet_names()
        .iter()
        .map(|n| n.to_string())
        .collect();
    if names.len() <= 1 {
        return;
    }
    ui.horizontal(|ui| {
        for (i, name) in names.iter().enumerate() {
            if ui
                .selectable_label(app.workspace.sheet == i, name)
                .clicked()
                && app.workspace.sheet != i
            {
                app.workspace.sheet = i;
                app.workspace.selected = None;
                app.workspace.editing = None;
            }
        }
    });
}

fn formula_bar(app: &mut SverkaApp, ui: &mut egui::Ui) {
    let Some(s) = &app.workspace.session else {
        return;
    };
    ui.horizontal(|ui| {
        let name = app
            .workspace
            .selected
            .map(|c| c.to_string())
            .unwrap_or_else(|| "—".into());
        let label = ui.label(egui::RichText::new(format!("Ячейка {name}")).strong());
        // Whose row this is, whatever columns are scrolled into view.
        if let Some(who) = app.workspace.selected.and_then(|c| s.person_at(c)) {
            ui.label(egui::RichText::new(who).strong());
        }
        app.workspace.editor_label = None;
        match (&mut app.workspace.editing, app.workspace.selected) {
            (Some(e), _) => {
                let l = ui.label(format!("Правка ячейки {}:", e.cell));
                app.workspace.editor_label = Some(l.id);
                let check = s.check_value(e.cell.sheet, e.cell.col, &e.buffer);
                if let Some(problem) = check {
                    ui.colored_label(ui.visuals().error_fg_color, format!("Внимание: {problem}"));
                } else if !e.buffer.trim().is_empty() {
                    ui.colored_label(Color32::from_rgb(40, 150, 60), "значение в порядке");
                }
            }
            (None, Some(cell)) => {
                let header = s
                    .analysis()
                    .schema
                    .sheets
                    .get(cell.sheet)
                    .and_then(|l| l.column(cell.col))
                    .map(|col| col.header.clone());
                if let Some(h) = header {
                    ui.label(format!("«{h}»"));
                }
                ui.label(s.text(cell).unwrap_or_default());
                if s.protection(cell).is_some() {
                    ui.label("защищено: менять нельзя");
                }
                if s.is_edited(cell) {
                    let was = s
                        .book()
                        .original(cell.sheet)
                        .and_then(|g| g.get(cell.row, cell.col))
                        .map(|v| v.display())
                        .unwrap_or_else(|| "пусто".into());
                    ui.colored_label(
                        Color32::from_rgb(40, 150, 60),
                        format!("изменено (было: «{was}»)"),
                    );
                }
            }
            _ => {
                ui.label("Двойной щелчок, Enter или F2 — править ячейку; F8 — следующая проблема.");
            }
        }
        let _ = label;
    });
    ui.separator();
}

/// How an inline edit ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Commit {
    Cancel,
    Down,
    Right,
    Stay,
}

fn move_sel(app: &mut SverkaApp, dr: i64, dc: i64) {
    let Some(CellRef { row: r, col: c, .. }) = app.workspace.selected else {
        if let (Some(&r), Some(&c)) = (
            app.workspace
                .grid_cache
                .rows
                .get(app.workspace.grid_cache.frozen_rows),
            app.workspace.grid_cache.cols.first(),
        ) {
            app.workspace.selected = Some(CellRef::new(app.workspace.sheet, r, c));
        }
        return;
    };
    let rows = &app.workspace.grid_cache.rows;
    let cols = &app.workspace.grid_cache.cols;
    let k = rows.iter().position(|&x| x == r).unwrap_or(0) as i64;
    let i = cols.iter().position(|&x| x == c).unwrap_or(0) as i64;
    let k = (k + dr).clamp(0, rows.len() as i64 - 1).max(0) as usize;
    let i = (i + dc).clamp(0, cols.len() as i64 - 1).max(0) as usize;
    if let (Some(&r), Some(&c)) = (rows.get(k), cols.get(i)) {
        app.workspace.selected = Some(CellRef::new(app.workspace.sheet, r, c));
        app.workspace.scroll_to = Some((r, c));
    }
}

fn keyboard(app: &mut SverkaApp, ui: &mut egui::Ui) {
    if app.workspace.editing.is_some() || app.dialog.is_some() {
        return;
    }
    if ui.ctx().memory(|m| m.focused().is_some()) {
        return;
    }
    use egui::{Key, Modifiers};
    let keys = ui.input_mut(|i| {
        [
            i.consume_key(Modifiers::NONE, Key::ArrowDown),
            i.consume_key(Modifiers::NONE, Key::ArrowUp),
            i.consume_key(Modifiers::NONE, Key::ArrowLeft),
            i.consume_key(Modifiers::NONE, Key::ArrowRight),
            i.consume_key(Modifiers::NONE, Key::Enter) || i.consume_key(Modifiers::NONE, Key::F2),
            i.consume_key(Modifiers::NONE, Key::Delete),
            i.consume_key(Modifiers::NONE, Key::Tab),
        ]
    });
    if keys[0] {
        move_sel(app, 1, 0);
    }
    if keys[1] {
        move_sel(app, -1, 0);
    }
    if keys[2] {
        move_sel(app, 0, -1);
    }
    if keys[3] || keys[6] {
        move_sel(app, 0, 1);
    }
    if keys[4] {
        app.begin_edit();
    }
    if keys[5] {
        app.clear_selected();
    }
}
