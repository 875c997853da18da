//! Excel 97-2003 (BIFF8) files: recognising them, indexing their records and patching them
//! surgically so that every byte the officer did not change stays as exported.
//!
//! The lowest layer of sverka, a crate of its own so that the compiler keeps it that way: it
//! knows nothing of grids, people or appeals — only compound files, BIFF8 records and the
//! Russian reading of the errors they raise ([`XlsError`], [`os_error`]). Everything above it
//! (`sverka::book`) reaches the file through [`workbook::Workbook`], [`patch`] and [`fresh`].
//!
//! No indexing that can panic, no `unwrap` or `expect`, outside tests (enforced below, and by
//! the fuzz targets in `fuzz/`).

#![warn(missing_docs)]
#![cfg_attr(
    not(test),
    deny(clippy::indexing_slicing, clippy::unwrap_used, clippy::expect_used)
)]

mod address;
mod cells;
mod container;
mod detect;
mod error;
mod fresh;
mod os_error;
mod patch;
mod records;
mod sheet;
mod sst;
mod workbook;

pub use address::{a1, column_letters};
pub use cells::{
    DateFormats, RecValue, SheetFacts, dates_from_1904, is_date_format, read_cells_as, settle_row,
    sheet_facts, visit_cells,
};
pub use container::{Container, MAX_FILE_BYTES, read_file, reads_as};
pub use error::{BuildProblem, VerifyError, XlsError};
pub use fresh::{FreshCell, FreshSheet, write as write_fresh};
pub use os_error::io_error_ru;
pub use patch::{WorkbookEdits, patch, patch_with};
pub use records::{id as record_id, u16_at};
pub use sheet::{CellEdit, SheetEdits};
pub use sst::SstTexts;
pub use workbook::{SHEET_KIND_WORKSHEET, SheetEntry, Workbook};
