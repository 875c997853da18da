//! sverka — reconciles СГО («Сетевой город. Образование») class exports with Госуслуги data
//! and writes corrected Excel 97-2003 files that СГО re-imports.
//!
//! No indexing that can panic, no `unwrap` or `expect`, outside tests: whatever a file or a
//! paste holds, reading it returns a value or an error (enforced below, and by the fuzz
//! targets in `fuzz/`).
//!
//! Layers (data flows one way): [`xls`] (BIFF8 container and records) → [`book`] (grid of typed
//! cells, edits, save) → domain ([`field`], [`norm`], [`appeal`]) → CLI and GUI.

#![cfg_attr(
    not(test),
    deny(clippy::indexing_slicing, clippy::unwrap_used, clippy::expect_used)
)]

pub mod allocator;
#[cfg(feature = "gui")]
pub mod app;
pub mod book;
pub mod cli;
pub mod engine;
pub mod parallel;
pub mod session;

pub use sverka_norm as norm;
pub use sverka_xls as xls;
pub use sverka_xls::os_error;
