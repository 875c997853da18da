//! sverka — reconciles СГО («Сетевой город. Образование») class exports with Госуслуги data
//! and writes corrected Excel 97-2003 files that СГО re-imports.
//!
//! This is the program's face: the core (crate `sverka-core`: the file, the engine, the
//! officer's session, the command line) and, with the `gui` feature, the desktop app (crate
//! `sverka-app`) under one name, so that the programs, the tests, the benchmark and the fuzz
//! targets all say `sverka::…`. See `docs/ARCHITECTURE.md` for the layers.

#![warn(missing_docs)]

pub use sverka_core::*;

/// The desktop app (crate `sverka-app`).
#[cfg(feature = "gui")]
pub use sverka_app as app;
