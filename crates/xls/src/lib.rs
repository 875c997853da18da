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

#![cfg_attr(
    not(test),
    deny(clippy::indexing_slicing, clippy::unwrap_used, clippy::expect_used)
)]

pub mod cells;
pub mod container;
pub mod detect;
pub mod error;
pub mod fresh;
pub mod os_error;
pub mod patch;
pub mod records;
pub mod sheet;
pub mod sst;
pub mod workbook;

pub use error::{BuildProblem, VerifyError, XlsError};
