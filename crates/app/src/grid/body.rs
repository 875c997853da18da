//! The grid's body: the cells of the visible rows and columns (coloured by their state) under
//! the frozen header rows and ФИО columns, the column letters and row numbers, scrolling to a
//! cell, the pointer (clicks and tooltips) and the inline editor.

use eframe::egui::{
    self, Align2, Color32, FontId, Painter, Pos2, Rect, Response, Sense, Stroke, StrokeKind, pos2,
    vec2,
};

use super::{Commit, GUTTER_W, GridCache, LETTERS_H, ROW_H, keyboard, move_sel};
use crate::{Editing, SverkaApp};
use sverka_core::book::CellRef;
use sverka_core::session::Session;
use sverka_core::session::Severity;
use sverka_core::xls::{a1, column_letters};

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
    /// A cell an earlier round changed (a corrected file opened again).
    earlier: Color32,
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
            earlier: Color32::from_rgb(32, 52, 62),
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
            earlier: Color32::from_rgb(224, 238, 246),
            text: Color32::from_gray(20),
            dim: Color32::from_gray(150),
            grid: Color32::from_gray(215),
            select: Color32::from_rgb(30, 110, 230),
        }
    }
}

/// Where the grid lies this frame: its origin, the part in view, the shown columns' left edges
/// and widths, the frozen bands and the body rows in view.
struct View<'a> {
    origin: Pos2,
    vis: Rect,
    xs: &'a [f32],
    widths: &'a [f32],
    frozen_w: f32,
    frozen_h: f32,
    /// The row headers' width (wider when they carry the row's person).
    gutter: f32,
    /// The body rows in view (indices into the shown rows).
    first_row: usize,
    last_row: usize,
}

impl<'a> View<'a> {
    fn new(
        origin: Pos2,
        vis: Rect,
        xs: &'a [f32],
        cache: &'a GridCache,
        frozen: (f32, f32),
        gutter: f32,
    ) -> View<'a> {
        let (frozen_w, frozen_h) = frozen;
        // Visible body rows and columns.
        let first_row = (((vis.min.y - origin.y - LETTERS_H - frozen_h) / ROW_H)
            .floor()
            .max(0.0)) as usize;
        let last_row = (((vis.max.y - origin.y - LETTERS_H) / ROW_H).ceil().max(0.0) as usize + 1)
            .min(cache.rows.len());
        let first_row = first_row.max(cache.frozen_rows).min(last_row);
        View {
            origin,
            vis,
            xs,
            widths: &cache.widths,
            frozen_w,
            frozen_h,
            gutter,
            first_row,
            last_row,
        }
    }

    /// Left edge of the i-th shown column.
    fn x(&self, i: usize) -> f32 {
        self.xs.get(i).copied().unwrap_or(0.0)
    }

    /// Width of the i-th shown column.
    fn w(&self, i: usize) -> f32 {
        self.widths.get(i).copied().unwrap_or(0.0)
    }

    /// Top of the k-th shown row, as it scrolls.
    fn row_at(&self, k: usize) -> f32 {
        self.origin.y + LETTERS_H + k as f32 * ROW_H
    }

    /// Top of the k-th frozen row, stuck to the top of the view.
    fn frozen_row_at(&self, k: usize) -> f32 {
        self.vis.min.y + LETTERS_H + k as f32 * ROW_H
    }

    fn col_visible(&self, i: usize) -> bool {
        let (a, b) = (self.origin.x + self.x(i), self.origin.x + self.x(i + 1));
        b >= self.vis.min.x + self.gutter + self.frozen_w && a <= self.vis.max.x
    }
}

/// What painting a cell needs: the book, the shown rows and columns, the colours.
struct Cells<'a> {
    painter: &'a Painter,
    s: &'a Session,
    sheet: usize,
    selected: Option<(u32, u32)>,
    cache: &'a GridCache,
    pal: &'a Palette,
    font: FontId,
    /// Where the scrolling columns come into view, right of the frozen ФИО.
    body_left: f32,
    /// The row headers carry the row's person: the frozen ФИО do not fit.
    names_in_gutter: bool,
}

impl Cells<'_> {
    /// Paints the cell of the k-th shown row and i-th shown column at `cell_rect`.
    fn paint(&self, k: usize, i: usize, cell_rect: Rect, rects: &mut Vec<((u32, u32), Rect)>) {
        let Cells {
            painter,
            s,
            sheet,
            cache,
            pal,
            ..
        } = self;
        let sheet = *sheet;
        let (Some(&row), Some(&col)) = (cache.rows.get(k), cache.cols.get(i)) else {
            return;
        };
        let header_row = k < cache.frozen_rows
            && s.analysis()
                .schema
                .sheets
                .get(sheet)
                .and_then(|l| l.header_row)
                == Some(row);
        let severity = s.severity_at(CellRef::new(sheet, row, col));
        let edited = s.is_edited(CellRef::new(sheet, row, col));
        let protected = !header_row && s.protection(CellRef::new(sheet, row, col)).is_some();
        // A changed cell is green only when its value passes every rule: a
        // value typed with a wrong check number stays red (with a green edge
        // saying it was changed).
        let fill = if severity == Some(Severity::Error) {
            pal.error
        } else if severity == Some(Severity::Warning) {
            pal.warning
        } else if edited {
            pal.edited
        } else if !header_row && s.earlier_change(CellRef::new(sheet, row, col)).is_some() {
            pal.earlier
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
            let edge =
                Rect::from_min_max(cell_rect.min, pos2(cell_rect.min.x + 4.0, cell_rect.max.y));
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
        if let Some(text) = s.text(CellRef::new(sheet, row, col)) {
            // A column half under the frozen ФИО starts its text where it comes into view,
            // and a text wider than the cell ends in «…»: never a fragment that reads as
            // another value («.05.1987», «ать»).
            let left = if i >= cache.frozen_cols {
                cell_rect.min.x.max(self.body_left)
            } else {
                cell_rect.min.x
            };
            let f = if header_row {
                FontId::proportional(12.5)
            } else {
                self.font.clone()
            };
            let room = cell_rect.max.x - left - 8.0;
            if room > 6.0 {
                let cell_painter =
                    painter.with_clip_rect(cell_rect.shrink(1.0).intersect(painter.clip_rect()));
                one_line(
                    &cell_painter,
                    pos2(left + 5.0, cell_rect.center().y),
                    text,
                    (f, color),
                    room,
                );
            }
        }
        if protected {
            // A small padlock: the body and the shackle.
            let c = pos2(cell_rect.max.x - 8.0, cell_rect.center().y + 2.0);
            let body = Rect::from_center_size(c, vec2(7.0, 5.0));
            painter.rect_filled(body, 1.0, pal.dim);
            painter.circle_stroke(pos2(c.x, c.y - 3.0), 2.3, Stroke::new(1.2, pal.dim));
        }
        if self.selected == Some((row, col)) {
            painter.rect_stroke(
                cell_rect,
                0.0,
                Stroke::new(2.0, pal.select),
                StrokeKind::Inside,
            );
        }
        rects.push(((row, col), cell_rect));
    }

    /// The cells in view: the body, the frozen ФИО columns at the left, the frozen rows at
    /// the top (later ones lie on top of earlier ones).
    fn paint_all(&self, view: &View, rects: &mut Vec<((u32, u32), Rect)>) {
        let cache = self.cache;
        let origin = view.origin;
        // 1. Body cells (scrolling both ways).
        for k in view.first_row..view.last_row {
            for i in cache.frozen_cols..cache.cols.len() {
                if view.col_visible(i) {
                    let r = Rect::from_min_max(
                        pos2(origin.x + view.x(i), view.row_at(k)),
                        pos2(origin.x + view.x(i + 1), view.row_at(k) + ROW_H),
                    );
                    self.paint(k, i, r, rects);
                }
            }
        }
        // 2. Frozen ФИО columns for body rows (stick to the left).
        for k in view.first_row..view.last_row {
            for i in 0..cache.frozen_cols {
                let x0 = view.vis.min.x + view.x(i);
                let r = Rect::from_min_max(
                    pos2(x0, view.row_at(k)),
                    pos2(x0 + view.w(i), view.row_at(k) + ROW_H),
                );
                self.paint(k, i, r, rects);
            }
        }
        // 3. Frozen rows (title and header) stick to the top.
        for k in 0..cache.frozen_rows.min(cache.rows.len()) {
            let y0 = view.frozen_row_at(k);
            for i in cache.frozen_cols..cache.cols.len() {
                if view.col_visible(i) {
                    let r = Rect::from_min_max(
                        pos2(origin.x + view.x(i), y0),
                        pos2(origin.x + view.x(i + 1), y0 + ROW_H),
                    );
                    self.paint(k, i, r, rects);
                }
            }
            for i in 0..cache.frozen_cols {
                let x0 = view.vis.min.x + view.x(i);
                let r = Rect::from_min_max(pos2(x0, y0), pos2(x0 + view.w(i), y0 + ROW_H));
                self.paint(k, i, r, rects);
            }
        }
    }

    /// One heading cell (a column letter or a row number), highlighted when its column or
    /// row holds the selected cell; an empty frame without `text`.
    fn paint_heading(&self, r: Rect, text: Option<String>, selected: bool) {
        let (painter, pal) = (self.painter, self.pal);
        painter.rect_filled(r, 0.0, pal.header);
        painter.rect_stroke(r, 0.0, Stroke::new(1.0, pal.grid), StrokeKind::Inside);
        if let Some(text) = text {
            painter.text(
                r.center(),
                Align2::CENTER_CENTER,
                text,
                FontId::proportional(11.0),
                if selected { pal.select } else { pal.dim },
            );
        }
    }

    /// 4. Column letters along the top.
    fn paint_letters(&self, view: &View) {
        let cache = self.cache;
        let letters_y = view.vis.min.y;
        for i in 0..cache.cols.len() {
            let frozen = i < cache.frozen_cols;
            if !frozen && !view.col_visible(i) {
                continue;
            }
            let x0 = if frozen {
                view.vis.min.x + view.x(i)
            } else {
                view.origin.x + view.x(i)
            };
            let r = Rect::from_min_max(
                pos2(x0, letters_y),
                pos2(x0 + view.w(i), letters_y + LETTERS_H),
            );
            let col = cache.cols.get(i).copied();
            let selected = self.selected.is_some_and(|(_, c)| Some(c) == col);
            self.paint_heading(r, col.map(column_letters), selected);
        }
    }

    /// 5. Row numbers along the left, and the corner above them.
    fn paint_row_numbers(&self, view: &View) {
        let Cells {
            painter,
            cache,
            pal,
            ..
        } = self;
        let hdr = pal.header;
        let vis = view.vis;
        // Body rows first, then the frozen band on top of them.
        let gutter_rows = (view.first_row..view.last_row)
            .map(|k| (k, view.row_at(k)))
            .chain(
                (0..cache.frozen_rows.min(cache.rows.len())).map(|k| (k, view.frozen_row_at(k))),
            );
        for (k, y0) in gutter_rows {
            let r = Rect::from_min_max(
                pos2(vis.min.x, y0),
                pos2(vis.min.x + view.gutter, y0 + ROW_H),
            );
            let row = cache.rows.get(k).copied();
            let selected = self.selected.is_some_and(|(rr, _)| Some(rr) == row);
            let name = row
                .filter(|_| self.names_in_gutter && k >= cache.frozen_rows)
                .and_then(|row| self.s.row_name(self.sheet, row));
            match (row, name) {
                (Some(row), Some(name)) => {
                    self.paint_heading(r, None, selected);
                    let color = if selected { pal.select } else { pal.text };
                    one_line(
                        painter,
                        pos2(r.min.x + 4.0, r.center().y),
                        format!("{} {name}", row + 1),
                        (FontId::proportional(12.0), color),
                        r.width() - 8.0,
                    );
                }
                (row, _) => self.paint_heading(r, row.map(|row| (row + 1).to_string()), selected),
            }
        }
        let corner = Rect::from_min_size(vis.min, vec2(view.gutter, LETTERS_H));
        painter.rect_filled(corner, 0.0, hdr);
    }
}

/// One line of text from `left_middle` (its left end, at the middle of its height), ending in
/// «…» where it is wider than `width`.
fn one_line(
    painter: &Painter,
    left_middle: Pos2,
    text: String,
    (font, color): (FontId, Color32),
    width: f32,
) {
    let mut job =
        egui::text::LayoutJob::single_section(text, egui::TextFormat::simple(font, color));
    job.wrap = egui::text::TextWrapping::truncate_at_width(width);
    let galley = painter.layout_job(job);
    let y = left_middle.y - galley.size().y / 2.0;
    painter.galley(pos2(left_middle.x, y), galley, color);
}

/// The grid's body for one frame, then what the pointer and the keyboard did to it.
pub(super) fn body(app: &mut SverkaApp, ui: &mut egui::Ui) {
    let mut cache = std::mem::take(&mut app.workspace.grid_cache);
    let pal = palette(ui.visuals().dark_mode);
    // Whose row it is stays readable whatever the width: the frozen ФИО columns when they
    // leave room for the rest, else the row headers widen and carry the row's person
    // («87 Павлов Г. Е.»). Decided each frame (the cache keeps the frozen columns, so that
    // they come back when a panel closes).
    let frozen_cols = cache.frozen_cols;
    let frozen_full: f32 = cache.widths.iter().take(frozen_cols).sum();
    let names_in_gutter = frozen_cols > 0 && frozen_full + GUTTER_W > ui.available_width() * 0.6;
    if names_in_gutter {
        cache.frozen_cols = 0;
    }
    let gutter = if names_in_gutter {
        NAME_GUTTER_W
    } else {
        GUTTER_W
    };
    let mut xs = Vec::with_capacity(cache.widths.len() + 1);
    let mut x = gutter;
    for w in &cache.widths {
        xs.push(x);
        x += w;
    }
    xs.push(x);
    let total = vec2(x, LETTERS_H + cache.rows.len() as f32 * ROW_H);
    let frozen_w: f32 = cache.widths.iter().take(cache.frozen_cols).sum();
    let frozen_h = cache.frozen_rows as f32 * ROW_H;

    let mut clicked: Option<(u32, u32)> = None;
    let mut double: Option<(u32, u32)> = None;
    let mut rects: Vec<((u32, u32), Rect)> = Vec::new();
    let scroll_target = app.workspace.scroll_to.take();

    egui::ScrollArea::both()
        .id_salt(("grid", app.workspace.sheet))
        .auto_shrink([false, false])
        .show_viewport(ui, |ui, viewport| {
            let (rect, resp) = ui.allocate_exact_size(total, Sense::click());
            let origin = rect.min;
            let vis = viewport.translate(origin.to_vec2());
            let painter = ui.painter().with_clip_rect(ui.clip_rect());
            let Some(s) = &app.workspace.session else {
                return;
            };
            let view = View::new(origin, vis, &xs, &cache, (frozen_w, frozen_h), gutter);
            let cells = Cells {
                painter: &painter,
                s,
                sheet: app.workspace.sheet,
                selected: app.workspace.selected.map(|c| (c.row, c.col)),
                cache: &cache,
                pal: &pal,
                font: FontId::proportional(13.0),
                body_left: view.vis.min.x + view.gutter + view.frozen_w,
                names_in_gutter,
            };
            cells.paint_all(&view, &mut rects);
            cells.paint_letters(&view);
            cells.paint_row_numbers(&view);
            // Scroll to a cell asked for (appeal selected, F8, search).
            if let Some(target) = scroll_target {
                scroll_to_cell(ui, &view, &cache, target);
            }
            (clicked, double) = pointer(&resp, &rects, s, app.workspace.sheet);
            inline_editor(
                ui,
                &rects,
                &mut app.workspace.editing,
                app.workspace.editor_label,
                &mut app.workspace.pending_commit,
            );
        });
    app.workspace.cell_rects = rects;
    app.workspace.names_in_row_headers = names_in_gutter;
    cache.frozen_cols = frozen_cols;
    app.workspace.grid_cache = cache;

    end_edit(app);
    if let Some((row, col)) = double {
        app.workspace.selected = Some(CellRef::new(app.workspace.sheet, row, col));
        app.begin_edit();
    } else if let Some((row, col)) = clicked {
        if app.workspace.editing.is_some() {
            app.commit_edit();
        }
        app.workspace.selected = Some(CellRef::new(app.workspace.sheet, row, col));
    }
    keyboard(app, ui);
}

/// The row headers' width when they carry the row's person.
const NAME_GUTTER_W: f32 = 120.0;

/// Scrolls so that the cell (row, column) is in view, clear of the frozen bands.
fn scroll_to_cell(ui: &mut egui::Ui, view: &View, cache: &GridCache, (row, col): (u32, u32)) {
    if let (Some(k), Some(i)) = (
        cache.rows.iter().position(|&r| r == row),
        cache.cols.iter().position(|&c| c == col),
    ) {
        let target = Rect::from_min_size(
            pos2(view.origin.x + view.x(i), view.row_at(k)),
            vec2(view.w(i), ROW_H),
        );
        // The frozen columns and rows cover the left and top of the view: centre the
        // cell in what is left, so that it never ends up behind the frozen ФИО.
        ui.scroll_to_rect(
            Rect::from_min_max(
                target.min - vec2(view.frozen_w + view.gutter, view.frozen_h + LETTERS_H),
                target.max,
            ),
            Some(egui::Align::Center),
        );
    }
}

/// A cell: its row and column.
type Cell = (u32, u32);

/// The cell under a point: later layers lie on top, so search from the end.
fn hit(rects: &[((u32, u32), Rect)], p: Pos2) -> Option<(u32, u32)> {
    rects
        .iter()
        .rev()
        .find(|(_, r)| r.contains(p))
        .map(|(c, _)| *c)
}

/// The cell clicked and the cell double-clicked, if any; the findings and protection of the
/// cell under the pointer in a tooltip.
fn pointer(
    resp: &Response,
    rects: &[((u32, u32), Rect)],
    s: &Session,
    sheet: usize,
) -> (Option<Cell>, Option<Cell>) {
    let (mut clicked, mut double) = (None, None);
    if let Some(p) = resp.interact_pointer_pos() {
        if resp.double_clicked() {
            double = hit(rects, p);
        } else if resp.clicked() {
            clicked = hit(rects, p);
        }
    }
    if let Some(p) = resp.hover_pos()
        && let Some((row, col)) = hit(rects, p)
    {
        let findings = s.findings_at(CellRef::new(sheet, row, col));
        let protection = s.protection(CellRef::new(sheet, row, col));
        let earlier = s.earlier_change(CellRef::new(sheet, row, col));
        if !findings.is_empty() || protection.is_some() || earlier.is_some() {
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
                if let Some(e) = earlier {
                    ui.label(e.describe_ru());
                }
            });
        }
    }
    (clicked, double)
}

/// The inline editor over its cell; how the edit ended when it loses focus.
fn inline_editor(
    ui: &mut egui::Ui,
    rects: &[((u32, u32), Rect)],
    editing: &mut Option<Editing>,
    editor_label: Option<egui::Id>,
    pending_commit: &mut Option<Commit>,
) {
    if let Some(e) = editing
        && let Some((_, r)) = rects
            .iter()
            .rev()
            .find(|(c, _)| *c == (e.cell.row, e.cell.col))
    {
        let editor_id = egui::Id::unique("cell_editor");
        let resp = ui.put(
            *r,
            egui::TextEdit::singleline(&mut e.buffer)
                .id(editor_id)
                .margin(vec2(4.0, 2.0)),
        );
        let resp = match editor_label {
            Some(label) => resp.labelled_by(label),
            None => resp,
        };
        if !e.focus_requested {
            resp.request_focus();
            e.focus_requested = true;
        }
        if resp.lost_focus() {
            // Taken here, so that the grid does not take the same Enter as «edit the next
            // cell» (or the same Esc as something else).
            let (enter, tab, esc) = ui.input_mut(|i| {
                (
                    i.consume_key(egui::Modifiers::NONE, egui::Key::Enter),
                    i.consume_key(egui::Modifiers::NONE, egui::Key::Tab),
                    i.consume_key(egui::Modifiers::NONE, egui::Key::Escape),
                )
            });
            *pending_commit = Some(if esc {
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
}

/// Ends an inline edit that lost focus: cancelled, or committed and moved on.
fn end_edit(app: &mut SverkaApp) {
    if let Some(c) = app.workspace.pending_commit.take() {
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
}
