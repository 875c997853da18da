//! Which rows and columns the grid shows and how wide the columns are, worked out again only
//! when the sheet, the edits, the filter or the search change.

use super::GridCache;
use crate::SverkaApp;

/// Works out the rows and columns shown again when what they depend on changed.
pub(super) fn rebuild_cache(app: &mut SverkaApp) {
    let Some(s) = &app.workspace.session else {
        return;
    };
    let key = (
        app.workspace.sheet,
        app.only_problems,
        app.workspace.search.trim().to_lowercase(),
        s.version(),
        s.outcomes().len(),
        app.show_hidden,
    );
    if app.workspace.grid_cache.key.as_ref() == Some(&key) {
        return;
    }
    let Some(grid) = s.grids().get(app.workspace.sheet) else {
        app.workspace.grid_cache = GridCache::default();
        return;
    };
    let layout = s.schema().sheets.get(app.workspace.sheet);
    let header = layout.and_then(|l| l.header_row);
    let height = grid.height().max(header.map_or(0, |h| h + 1)).max(1);
    let hidden = s.book().hidden_columns(app.workspace.sheet);
    // Columns and widths change only with the sheet, the edits and the hidden-columns switch;
    // the filter and the search only change the rows.
    let same_columns = app
        .workspace
        .grid_cache
        .key
        .as_ref()
        .is_some_and(|k| k.0 == key.0 && k.3 == key.3 && k.5 == key.5);
    let reuse = same_columns.then(|| {
        (
            std::mem::take(&mut app.workspace.grid_cache.cols),
            std::mem::take(&mut app.workspace.grid_cache.widths),
            app.workspace.grid_cache.frozen_cols,
        )
    });

    // Rows: the frozen band (title and header rows) always, then the filtered body.
    let frozen_to = header.map_or(0, |h| h + 1).min(8);
    let problems = app
        .only_problems
        .then(|| s.problem_rows(app.workspace.sheet));
    let search = s.row_search(app.workspace.sheet, &app.workspace.search);
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
    app.workspace.grid_cache = GridCache {
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
    grid: &sverka_core::book::Grid,
    header: Option<u32>,
    hidden: &std::collections::BTreeSet<u32>,
) -> (Vec<u32>, Vec<f32>, usize) {
    let Some(s) = &app.workspace.session else {
        return (Vec::new(), Vec::new(), 0);
    };
    let layout = s.schema().sheets.get(app.workspace.sheet);
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
            sverka_core::session::Field::Surname,
            sverka_core::session::Field::Name,
            sverka_core::session::Field::Patronymic,
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
