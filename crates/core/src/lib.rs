//! sverka's core — reconciles СГО («Сетевой город. Образование») class exports with Госуслуги
//! data and writes corrected Excel 97-2003 files that СГО re-imports: everything but the
//! window (which is the crate `sverka-app`, built on this one).
//!
//! No indexing that can panic, no `unwrap` or `expect`, outside tests: whatever a file or a
//! paste holds, reading it returns a value or an error (enforced below, and by the fuzz
//! targets in `fuzz/`).
//!
//! Layers (data flows one way; see `docs/ARCHITECTURE.md`): [`xls`] (the BIFF8 file, crate
//! `sverka-xls`) and [`norm`] (values on a card, crate `sverka-norm`) → [`book`] (sheets of typed
//! cells, edits, the verified save) → [`engine`] (layout, audit, appeals, matching, the
//! procedure) → [`session`] (the officer's work over time: undo, journal, saves) → [`cli`]; the
//! app (crate `sverka-app`) comes last and uses the session only. The types most callers need
//! are re-exported here.

#![warn(missing_docs)]
#![cfg_attr(
    not(test),
    deny(clippy::indexing_slicing, clippy::unwrap_used, clippy::expect_used)
)]

pub mod allocator;
pub mod book;
pub mod cli;
pub mod engine;
pub mod json_ru;
pub(crate) mod parallel;
pub mod session;

pub use sverka_norm as norm;
pub use sverka_xls as xls;

pub use book::{CellValue, Grid, SaveReport, SourceFormat, XlsBook};
pub use engine::appeal::{Appeal, AppealError};
pub use engine::field::Field;
pub use engine::findings::{Finding, Severity};
pub use engine::matching::{Status, Verdict};
pub use engine::reconcile::Analysis;
pub use session::{EditError, Session};
pub use xls::XlsError;
