//! The domain: what a card, an export's layout and an appeal are, and every rule sverka applies
//! to them — the whole-file audit, matching an appeal to its person, the findings and fixes,
//! where each appeal stands in the officer's procedure and the reply drafted from it.
//! Pure computation over a book's grids: no files are written here, and nothing here knows
//! the GUI.

pub(crate) mod appeal;
pub(crate) mod audit;
pub(crate) mod card;
pub(crate) mod diagnosis;
pub(crate) mod field;
pub(crate) mod findings;
// Used by the app only: without the `gui` feature (the fuzz targets) nothing calls them.
pub(crate) mod import_steps;
pub(crate) mod lookup;
pub(crate) mod matching;
pub(crate) mod place;
pub(crate) mod progress;
pub(crate) mod reconcile;
pub(crate) mod reply;
pub(crate) mod schema;
pub(crate) mod search;
pub(crate) mod standing;
pub(crate) mod style;
pub(crate) mod writer;

pub use appeal::{
    Appeal, AppealError, FOLDER_EXTENSIONS, LoadedFile, MAX_FILE_BYTES, MAX_PASTE_BYTES,
    decode_text, load_file, load_paths, parse_json, parse_table, parse_text,
};
pub use card::Card;
pub use diagnosis::{Account, Diagnoser, Diagnosis};
pub use field::Field;
pub use findings::{Finding, Kind, Severity};
pub use matching::{DiffKind, FieldResult, Matcher, Status, Verdict};
pub use progress::{Progress, Stage, StageError};
pub use reconcile::{Analysis, Outcome, match_appeals, plan_fixes};
pub use reply::draft_for;
pub use schema::{PersonId, Profile, Role, Schema};
pub use writer::{CellWrite, Refused, WriteError, Writer};
