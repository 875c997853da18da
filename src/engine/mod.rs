//! The domain: what a card, an export's layout and an appeal are, and every rule sverka applies
//! to them — the whole-file audit, matching an appeal to its person, the findings and fixes,
//! where each appeal stands in the officer's procedure and the reply drafted from it.
//! Pure computation over a book's grids: no files are written here, and nothing here knows
//! the GUI.

pub mod appeal;
pub(crate) mod audit;
pub mod card;
pub mod field;
pub mod findings;
pub mod import_steps;
pub mod lookup;
pub mod matching;
pub mod progress;
pub mod reconcile;
pub mod reply;
pub mod schema;
pub mod search;
pub(crate) mod style;
