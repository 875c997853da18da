//! Excel 97-2003 (BIFF8) files: recognising them, indexing their records and patching them
//! surgically so that every byte the officer did not change stays as exported.

pub mod cells;
pub mod container;
pub mod detect;
pub mod error;
pub mod fresh;
pub mod patch;
pub mod records;
pub mod sheet;
pub mod sst;
pub mod workbook;

pub use error::XlsError;
