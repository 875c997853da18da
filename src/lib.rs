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
pub mod appeal;
pub mod audit;
pub mod book;
pub mod card;
pub mod casefile;
pub mod cli;
pub mod cli_reconcile;
pub mod field;
pub mod findings;
pub mod grid;
pub mod history;
pub mod import_steps;
pub mod journal;
pub mod lookup;
pub mod matching;
pub mod norm;
pub mod os_error;
pub mod parallel;
pub mod progress;
pub mod quality;
pub mod readback;
pub mod reconcile;
pub mod reply;
pub mod report;
pub mod schema;
pub mod session;
pub mod style;
pub mod synth;
pub mod xls;
