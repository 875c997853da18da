//! The sheet as the officer knows it from Excel: tabs, column letters, row numbers, frozen
//! header rows and ФИО columns, cell colours by state, inline editing. Only visible cells are
//! drawn, so a 65,000-row sheet scrolls as fast as a short one.

use eframe::egui::{self, Align2, Color32, FontId, Rect, Sense, Stroke, StrokeKind, pos2, vec2};

use super::SverkaApp;
use crate::engine::findings::Severity;
use crate::xls::error::{a1, column_letters};

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

struct Palette {
    base: Color32,
    alt: Color32,
    header: Color32,
    edited: Color32,
    /// The edge of a changed cell that still fails a rule.
    edited_edge: Color32,
    error: Color32,
    warning: Color32,
    protected: Color32,
    text: Color32,
    dim: Color32,
    grid: Color32,
    select: Color32,
}

fn palette(dark: bool) -> Palette {
    if dark {
        Palette {
            base: Color32::from_rgb(30, 30, 30),
            alt: Color32::from_rgb(36, 36, 36),
            header: Color32::from_rgb(45, 55, 70),
            edited: Color32::from_rgb(30, 80, 42),
            edited_edge: Color32::from_rgb(60, 170, 80),
            error: Color32::from_rgb(105, 32, 32),
            warning: Color32::from_rgb(95, 75, 20),
            protected: Color32::from_rgb(55, 55, 55),
            text: Color32::from_gray(225),
            dim: Color32::from_gray(120),
            grid: Color32::from_gray(60),
            select: Color32::from_rgb(90, 160, 255),
        }
    } else {
        Palette {
            base: Color32::WHITE,
            alt: Color32::from_rgb(248, 249, 251),
            header: Color32::from_rgb(221, 230, 240),
            edited: Color32::from_rgb(200, 240, 200),
            edited_edge: Color32::from_rgb(40, 150, 60),
            error: Color32::from_rgb(250, 200, 200),
            warning: Color32::from_rgb(253, 232, 185),
            protected: Color32::from_rgb(228, 228, 228),
            text: Color32::from_gray(20),
            dim: Color32::from_gray(150),
            grid: Color32::from_gray(215),
            select: Color32::from_rgb(30, 110, 230),
        }
    }
}

fn rebuild_cache(app: &mut SverkaApp) {
    let Some(s) = &app.session else { return };
    let key = (
        app.sheet,
        app.only_problems,
        app.search.trim().to_lowercase(),
        s.version(),
        s.outcomes.len(),
        app.show_hidden,
    );
    if app.grid_cache.key.as_ref() == Some(&key) {
        return;
    }
    let Some(grid) = s.grids.get(app.sheet) else {
        app.grid_cache = GridCache::default();
        return;
    };
    let layout = s.analysis.schema.sheets.get(app.sheet);
    let header = layout.and_then(|l| l.header_row);
    let height = grid.height().max(header.map_or(0, |h| h + 1)).max(1);
    let hidden = s.book.hidden_columns(app.sheet);
    // Columns and widths change only with the sheet, the edits and the hidden-columns switch;
    // the filter and the search only change the rows.
    let same_columns = app
        .grid_cache
        .key
        .as_ref()
        .is_some_and(|k| k.0 == key.0 && k.3 == key.3 && k.5 == key.5);
    let reuse = same_columns.then(|| {
        (
            std::mem::take(&mut app.grid_cache.cols),
            std::mem::take(&mut app.grid_cache.widths),
            app.grid_cache.frozen_cols,
        )
    });

    // Rows: the frozen band (title and header rows) always, then the filtered body.
    let frozen_to = header.map_or(0, |h| h + 1).min(8);
    let problems = app.only_problems.then(|| s.problem_rows(app.sheet));
    let search = crate::engine::search::RowSearch::new(layout, &app.search);
    let mut rows: Vec<u32> = (0..frozen_to).collect();
    for r in frozen_to..height {
        if let Some(p) = &problems
            && !p.contains(&r)
        {
            continue;
        }
        if !search.matches(grid, r) {
            continue;
        }
        rows.push(r);
    }

    let (cols, widths, frozen_cols) = match reuse {
        Some(r) => r,
        None => column_layout(app, grid, header, &hidden),
    };
    app.grid_cache = GridCache {
        key: Some(key),
        rows,
        frozen_rows: frozen_to as usize,
        cols,
        widths,
        frozen_cols,
        hidden,
    };
}

/// Visible columns, their widths and how many are frozen.
fn column_layout(
    app: &SverkaApp,
    grid: &crate::book::Grid,
    header: Option<u32>,
    hidden: &std::collections::BTreeSet<u32>,
) -> (Vec<u32>, Vec<f32>, usize) {
    let Some(s) = &app.session else {
        return (Vec::new(), Vec::new(), 0);
    };
    let layout = s.analysis.schema.sheets.get(app.sheet);
    let height = grid.height();
    let width = grid.width().max(1);
    let cols: Vec<u32> = (0..width)
        .filter(|c| app.show_hidden || !hidden.contains(c))
        .collect();
    // Widths from the header and a sample of values.
    let widths: Vec<f32> = cols
        .iter()
        .map(|&c| {
            let mut chars = 4usize;
            let from = header.unwrap_or(0);
            for r in from..height.min(from + 300) {
                if let Some(v) = grid.get(r, c) {
                    let n = v.display().chars().count();
                    chars = chars.max(if Some(r) == header { n.min(24) } else { n });
                }
            }
            (chars as f32 * 7.4 + 14.0).clamp(44.0, 260.0)
        })
        .collect();
    // Frozen columns: up to the pupil's ФИО block, when it is near the left edge.
    let fio_last = layout.and_then(|l| {
        [
            crate::engine::field::Field::Surname,
            crate::engine::field::Field::Name,
            crate::engine::field::Field::Patronymic,
        ]
        .iter()
        .filter_map(|f| l.column_of(None, *f))
        .max()
    });
    let frozen_cols = fio_last
        .filter(|&c| c <= 8)
        .map_or(0, |c| cols.iter().filter(|&&x| x <= c).count());
    (cols, widths, frozen_cols)
}

/// The central panel: sheet tabs, the formula bar and the grid.
pub fn show(app: &mut SverkaApp, ui: &mut egui::Ui) {
    sheet_tabs(app, ui);
    formula_bar(app, ui);
    rebuild_cache(app);
    body(app, ui);
}

fn sheet_tabs(app: &mut SverkaApp, ui: &mut egui::Ui) {
    let Some(s) = &app.session else { return };
    let names: Vec<String> = s.book.sheet_names().iter().map(|n| n.to_string()).collect();
    if names.len() <= 1 {
        return;
    }
    ui.horizontal(|ui| {
        for (i, name) in names.iter().enumerate() {
            if ui.selectable_label(app.sheet == i, name).clicked() && app.sheet != i {
                app.sheet = i;
                app.selected = None;
                app.editing = None;
            }
        }
    });
}

fn formula_bar(app: &mut SverkaApp, ui: &mut egui::Ui) {
    let Some(s) = &app.session else { return };
    ui.horizontal(|ui| {
        let name = app
            .selected
            .map(|(r, c)| a1(r, c))
            .unwrap_or_else(|| "—".into());
        let label = ui.label(egui::RichText::new(format!("Ячейка {name}")).strong());
        // Whose row this is, whatever columns are scrolled into view.
        if let Some(who) = app.selected.and_then(|(r, c)| s.person_at(app.sheet, r, c)) {
            ui.label(egui::RichText::new(who).strong());
        }
        app.editor_label = None;
        match (&mut app.editing, app.selected) {
            (Some(e), _) => {
                let l = ui.label(format!("Правка ячейки {}:", a1(e.row, e.col)));
                app.editor_label = Some(l.id);
                let check = s.check_value(app.sheet, e.col, &e.buffer);
                if let Some(problem) = check {
                    ui.colored_label(ui.visuals().error_fg_color, format!("Внимание: {problem}"));
                } else if !e.buffer.trim().is_empty() {
                    ui.colored_label(Color32::from_rgb(40, 150, 60), "значение в порядке");
                }
            }
            (None, Some((r, c))) => {
                let header = s
                    .analysis
                    .schema
                    .sheets
                    .get(app.sheet)
                    .and_then(|l| l.column(c))
                    .map(|col| col.header.clone());
                if let Some(h) = header {
                    ui.label(format!("«{h}»"));
                }
                ui.label(s.text(app.sheet, r, c).unwrap_or_default());
                if s.protection(app.sheet, r, c).is_some() {
                    ui.label("защищено: менять нельзя");
                }
                if s.is_edited(app.sheet, r, c) {
                    let was = s
                        .book
                        .original(app.sheet)
                        .and_then(|g| g.get(r, c))
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

// Column positions, widths and numbers are parallel arrays indexed by the visible column.
#[allow(clippy::needless_range_loop)]
fn body(app: &mut SverkaApp, ui: &mut egui::Ui) {
    let cache = std::mem::take(&mut app.grid_cache);
    let pal = palette(ui.visuals().dark_mode);
    let mut xs = Vec::with_capacity(cache.widths.len() + 1);
    let mut x = GUTTER_W;
    for w in &cache.widths {
        xs.push(x);
        x += w;
    }
    xs.push(x);
    let total = vec2(x, LETTERS_H + cache.rows.len() as f32 * ROW_H);
    let mut cache = cache;
    let frozen_w: f32 = cache.widths.iter().take(cache.frozen_cols).sum();
    // Frozen ФИО columns only when they leave room for the rest.
    let frozen_w = if frozen_w + GUTTER_W > ui.available_width() * 0.6 {
        cache.frozen_cols = 0;
        0.0
    } else {
        frozen_w
    };
    let frozen_h = cache.frozen_rows as f32 * ROW_H;

    let mut clicked: Option<(u32, u32)> = None;
    let mut double: Option<(u32, u32)> = None;
    let mut rects: Vec<((u32, u32), Rect)> = Vec::new();
    let scroll_target = app.scroll_to.take();

    egui::ScrollArea::both()
        .id_salt(("grid", app.sheet))
        .auto_shrink([false, false])
        .show_viewport(ui, |ui, viewport| {
            let (rect, resp) = ui.allocate_exact_size(total, Sense::click());
            let origin = rect.min;
            let vis = viewport.translate(origin.to_vec2());
            let painter = ui.painter().with_clip_rect(ui.clip_rect());
            let Some(s) = &app.session else { return };
            let font = FontId::proportional(13.0);

            // Left edge and width of the i-th shown column.
            let x = |i: usize| xs.get(i).copied().unwrap_or(0.0);
            let w = |i: usize| cache.widths.get(i).copied().unwrap_or(0.0);
            let row_at = |k: usize| origin.y + LETTERS_H + k as f32 * ROW_H;
            // Visible body rows and columns.
            let first_row = (((vis.min.y - origin.y - LETTERS_H - frozen_h) / ROW_H)
                .floor()
                .max(0.0)) as usize;
            let last_row = (((vis.max.y - origin.y - LETTERS_H) / ROW_H).ceil().max(0.0) as usize
                + 1)
            .min(cache.rows.len());
            let first_row = first_row.max(cache.frozen_rows).min(last_row);
            let col_visible = |i: usize| {
                let (a, b) = (origin.x + x(i), origin.x + x(i + 1));
                b >= vis.min.x + GUTTER_W + frozen_w && a <= vis.max.x
            };

            let paint_cell =
                |k: usize, i: usize, cell_rect: Rect, rects: &mut Vec<((u32, u32), Rect)>| {
                    let (Some(&row), Some(&col)) = (cache.rows.get(k), cache.cols.get(i)) else {
                        return;
                    };
                    let header_row = k < cache.frozen_rows
                        && s.analysis
                            .schema
                            .sheets
                            .get(app.sheet)
                            .and_then(|l| l.header_row)
                            == Some(row);
                    let severity = s.severity_at(app.sheet, row, col);
                    let edited = s.is_edited(app.sheet, row, col);
                    let protected = !header_row && s.protection(app.sheet, row, col).is_some();
                    // A changed cell is green only when its value passes every rule: a
                    // value typed with a wrong check number stays red (with a green edge
                    // saying it was changed).
                    let fill = if severity == Some(Severity::Error) {
                        pal.error
                    } else if severity == Some(Severity::Warning) {
                        pal.warning
                    } else if edited {
                        pal.edited
                    } else if header_row {
                        pal.header
                    } else if protected {
                        pal.protected
                    } else if row % 2 == 1 {
                        pal.alt
                    } else {
                        pal.base
                    };
                    painter.rect_filled(cell_rect, 0.0, fill);
                    if edited && fill != pal.edited {
                        let edge = Rect::from_min_max(
                            cell_rect.min,
                            pos2(cell_rect.min.x + 4.0, cell_rect.max.y),
                        );
                        painter.rect_filled(edge, 0.0, pal.edited_edge);
                    }
                    painter.rect_stroke(
                        cell_rect,
                        0.0,
                        Stroke::new(1.0, pal.grid),
                        StrokeKind::Inside,
                    );
                    let color = if cache.hidden.contains(&col) {
                        pal.dim
                    } else {
                        pal.text
                    };
                    if let Some(text) = s.text(app.sheet, row, col) {
                        let cell_painter = painter
                            .with_clip_rect(cell_rect.shrink(2.0).intersect(painter.clip_rect()));
                        let f = if header_row {
                            FontId::proportional(12.5)
                        } else {
                            font.clone()
                        };
                        cell_painter.text(
                            pos2(cell_rect.min.x + 5.0, cell_rect.center().y),
                            Align2::LEFT_CENTER,
                            text,
                            f,
                            color,
                        );
                    }
                    if protected {
                        // A small padlock: the body and the shackle.
                        let c = pos2(cell_rect.max.x - 8.0, cell_rect.center().y + 2.0);
                        let body = Rect::from_center_size(c, vec2(7.0, 5.0));
                        painter.rect_filled(body, 1.0, pal.dim);
                        painter.circle_stroke(pos2(c.x, c.y - 3.0), 2.3, Stroke::new(1.2, pal.dim));
                    }
                    if app.selected == Some((row, col)) {
                        painter.rect_stroke(
                            cell_rect,
                            0.0,
                            Stroke::new(2.0, pal.select),
                            StrokeKind::Inside,
                        );
                    }
                    rects.push(((row, col), cell_rect));
                };

            // 1. Body cells (scrolling both ways).
            for k in first_row..last_row {
                for i in cache.frozen_cols..cache.cols.len() {
                    if col_visible(i) {
                        let r = Rect::from_min_max(
                            pos2(origin.x + x(i), row_at(k)),
                            pos2(origin.x + x(i + 1), row_at(k) + ROW_H),
                        );
                        paint_cell(k, i, r, &mut rects);
                    }
                }
            }
            // 2. Frozen ФИО columns for body rows (stick to the left).
            for k in first_row..last_row {
                for i in 0..cache.frozen_cols {
                    let x0 = vis.min.x + x(i);
                    let r =
                        Rect::from_min_max(pos2(x0, row_at(k)), pos2(x0 + w(i), row_at(k) + ROW_H));
                    paint_cell(k, i, r, &mut rects);
                }
            }
            // 3. Frozen rows (title and header) stick to the top.
            for k in 0..cache.frozen_rows.min(cache.rows.len()) {
                let y0 = vis.min.y + LETTERS_H + k as f32 * ROW_H;
                for i in cache.frozen_cols..cache.cols.len() {
                    if col_visible(i) {
                        let r = Rect::from_min_max(
                            pos2(origin.x + x(i), y0),
                            pos2(origin.x + x(i + 1), y0 + ROW_H),
                        );
                        paint_cell(k, i, r, &mut rects);
                    }
                }
                for i in 0..cache.frozen_cols {
                    let x0 = vis.min.x + x(i);
                    let r = Rect::from_min_max(pos2(x0, y0), pos2(x0 + w(i), y0 + ROW_H));
                    paint_cell(k, i, r, &mut rects);
                }
            }
            // 4. Column letters along the top.
            let hdr = pal.header;
            let letters_y = vis.min.y;
            for i in 0..cache.cols.len() {
                let frozen = i < cache.frozen_cols;
                if !frozen && !col_visible(i) {
                    continue;
                }
                let x0 = if frozen {
                    vis.min.x + x(i)
                } else {
                    origin.x + x(i)
                };
                let r =
                    Rect::from_min_max(pos2(x0, letters_y), pos2(x0 + w(i), letters_y + LETTERS_H));
                painter.rect_filled(r, 0.0, hdr);
                painter.rect_stroke(r, 0.0, Stroke::new(1.0, pal.grid), StrokeKind::Inside);
                let Some(&col) = cache.cols.get(i) else {
                    continue;
                };
                let selected = app.selected.is_some_and(|(_, c)| c == col);
                painter.text(
                    r.center(),
                    Align2::CENTER_CENTER,
                    column_letters(col),
                    FontId::proportional(11.0),
                    if selected { pal.select } else { pal.dim },
                );
            }
            // 5. Row numbers along the left.
            // Body rows first, then the frozen band on top of them.
            let gutter_rows = (first_row..last_row).map(|k| (k, row_at(k))).chain(
                (0..cache.frozen_rows.min(cache.rows.len()))
                    .map(|k| (k, vis.min.y + LETTERS_H + k as f32 * ROW_H)),
            );
            for (k, y0) in gutter_rows {
                let r =
                    Rect::from_min_max(pos2(vis.min.x, y0), pos2(vis.min.x + GUTTER_W, y0 + ROW_H));
                painter.rect_filled(r, 0.0, hdr);
                painter.rect_stroke(r, 0.0, Stroke::new(1.0, pal.grid), StrokeKind::Inside);
                let Some(&row) = cache.rows.get(k) else {
                    continue;
                };
                let selected = app.selected.is_some_and(|(rr, _)| rr == row);
                painter.text(
                    r.center(),
                    Align2::CENTER_CENTER,
                    (row + 1).to_string(),
                    FontId::proportional(11.0),
                    if selected { pal.select } else { pal.dim },
                );
            }
            let corner = Rect::from_min_size(vis.min, vec2(GUTTER_W, LETTERS_H));
            painter.rect_filled(corner, 0.0, hdr);

            // Scroll to a cell asked for (appeal selected, F8, search).
            if let Some((row, col)) = scroll_target
                && let (Some(k), Some(i)) = (
                    cache.rows.iter().position(|&r| r == row),
                    cache.cols.iter().position(|&c| c == col),
                )
            {
                let target =
                    Rect::from_min_size(pos2(origin.x + x(i), row_at(k)), vec2(w(i), ROW_H));
                // The frozen columns and rows cover the left and top of the view: centre the
                // cell in what is left, so that it never ends up behind the frozen ФИО.
                ui.scroll_to_rect(
                    Rect::from_min_max(
                        target.min - vec2(frozen_w + GUTTER_W, frozen_h + LETTERS_H),
                        target.max,
                    ),
                    Some(egui::Align::Center),
                );
            }

            // Pointer: later layers lie on top, so search from the end.
            let hit = |p: egui::Pos2| {
                rects
                    .iter()
                    .rev()
                    .find(|(_, r)| r.contains(p))
                    .map(|(c, _)| *c)
            };
            if let Some(p) = resp.interact_pointer_pos() {
                if resp.double_clicked() {
                    double = hit(p);
                } else if resp.clicked() {
                    clicked = hit(p);
                }
            }
            if let Some(p) = resp.hover_pos()
                && let Some((row, col)) = hit(p)
            {
                let findings = s.findings_at(app.sheet, row, col);
                let protection = s.protection(app.sheet, row, col);
                if !findings.is_empty() || protection.is_some() {
                    resp.clone().on_hover_ui_at_pointer(|ui| {
                        ui.set_max_width(420.0);
                        ui.strong(a1(row, col));
                        for f in &findings {
                            ui.label(format!("- {}", f.message));
                            if let Some(sg) = &f.suggestion {
                                ui.label(format!("  Предлагается: «{sg}»"));
                            }
                        }
                        if let Some(p) = &protection {
                            ui.label(format!("Защищено. {p}"));
                        }
                    });
                }
            }

            // The inline editor over its cell.
            if let Some(e) = &mut app.editing
                && let Some((_, r)) = rects.iter().rev().find(|(c, _)| *c == (e.row, e.col))
            {
                let editor_id = egui::Id::unique("cell_editor");
                let resp = ui.put(
                    *r,
                    egui::TextEdit::singleline(&mut e.buffer)
                        .id(editor_id)
                        .margin(vec2(4.0, 2.0)),
                );
                let resp = match app.editor_label {
                    Some(label) => resp.labelled_by(label),
                    None => resp,
                };
                if !e.focus_requested {
                    resp.request_focus();
                    e.focus_requested = true;
                }
                if resp.lost_focus() {
                    let (enter, tab, esc) = ui.input(|i| {
                        (
                            i.key_pressed(egui::Key::Enter),
                            i.key_pressed(egui::Key::Tab),
                            i.key_pressed(egui::Key::Escape),
                        )
                    });
                    app.pending_commit = Some(if esc {
                        Commit::Cancel
                    } else if tab {
                        Commit::Right
                    } else if enter {
                        Commit::Down
                    } else {
                        Commit::Stay
                    });
                }
            }
        });
    app.cell_rects = rects;
    app.grid_cache = cache;

    if let Some(c) = app.pending_commit.take() {
        match c {
            Commit::Cancel => app.cancel_edit(),
            other => {
                if app.commit_edit() {
                    match other {
                        Commit::Down => move_sel(app, 1, 0),
                        Commit::Right => move_sel(app, 0, 1),
                        _ => {}
                    }
                }
            }
        }
    }
    if let Some(c) = double {
        app.selected = Some(c);
        app.begin_edit();
    } else if let Some(c) = clicked {
        if app.editing.is_some() {
            app.commit_edit();
        }
        app.selected = Some(c);
    }
    keyboard(app, ui);
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
    let Some((r, c)) = app.selected else {
        if let (Some(&r), Some(&c)) = (
            app.grid_cache.rows.get(app.grid_cache.frozen_rows),
            app.grid_cache.cols.first(),
        ) {
            app.selected = Some((r, c));
        }
        return;
    };
    let rows = &app.grid_cache.rows;
    let cols = &app.grid_cache.cols;
    let k = rows.iter().position(|&x| x == r).unwrap_or(0) as i64;
    let i = cols.iter().position(|&x| x == c).unwrap_or(0) as i64;
    let k = (k + dr).clamp(0, rows.len() as i64 - 1).max(0) as usize;
    let i = (i + dc).clamp(0, cols.len() as i64 - 1).max(0) as usize;
    if let (Some(&r), Some(&c)) = (rows.get(k), cols.get(i)) {
        app.selected = Some((r, c));
        app.scroll_to = Some((r, c));
    }
}

fn keyboard(app: &mut SverkaApp, ui: &mut egui::Ui) {
    if app.editing.is_some() || app.dialog.is_some() {
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
