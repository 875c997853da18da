//! The edit history: the undoable operations the officer made (which cells changed, from
//! what to what, who or what made them). The session keeps them for undo and redo; the
//! journal writes them to disk so that a crash loses nothing. Neither of those is needed to
//! read them.

use serde::{Deserialize, Serialize};

use crate::book::CellRef;

use crate::engine::matching::{FieldResult, MatchResult};
use crate::engine::progress::Choice;

/// Who made a change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// Typed by the officer.
    Manual,
    /// A bulk fix from the problems panel (what kind).
    Bulk(String),
    /// From an appeal (its source).
    Appeal(String),
}

impl Source {
    /// Who made it, in Russian, as the change report's «Основание» column writes it.
    pub fn label_ru(&self) -> String {
        match self {
            Source::Manual => "вручную".into(),
            Source::Bulk(what) => format!("массово: {what}"),
            Source::Appeal(src) => format!("по обращению {src}"),
        }
    }
}

/// One cell changed by an operation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// The cell (written flat in the journal: `sheet`, `row`, `col`).
    #[serde(flatten)]
    pub cell: CellRef,
    /// The cell's text before, as it showed it (`None` = empty).
    pub old: Option<String>,
    /// The cell's text after, as the cell shows it (`None` = empty).
    pub new: Option<String>,
}

/// One undoable step (a single edit, or a bulk fix of many cells).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Operation {
    /// What the step did, in Russian (undo and redo name it by this).
    pub label: String,
    /// Who made it.
    pub source: Source,
    /// Local time, RFC 3339.
    pub at: String,
    /// The cells it changed, each with its text before and after.
    pub changes: Vec<Change>,
    /// A person chosen by hand for an appeal (no cells change). Not journaled: the case
    /// record (`CaseFile`) keeps the choice itself.
    #[serde(skip)]
    pub choice: Option<Box<ChoiceUndo>>,
}

/// An appeal's match before and after the officer chose its person by hand.
#[derive(Debug, Clone, PartialEq)]
pub struct ChoiceUndo {
    pub(crate) key: String,
    pub(crate) before: ChoiceState,
    pub(crate) after: ChoiceState,
}

/// An appeal's match and choice at one moment.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ChoiceState {
    pub(crate) result: MatchResult,
    pub(crate) also_fields: Vec<Vec<FieldResult>>,
    pub(crate) choice: Option<Choice>,
}
