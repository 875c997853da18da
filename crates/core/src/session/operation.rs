//! The operations of the history, as values: which cells an edit changed (from what to what,
//! who or what made it), which person was chosen by hand for an appeal, or which appeal was
//! taken off the list. The journal
//! writes edits to disk; the history keeps operations for undo and redo; the change report
//! reads them.

use serde::{Deserialize, Serialize};

use crate::book::CellRef;
use crate::engine::matching::{FieldResult, MatchResult};
use crate::engine::progress::Choice;
use crate::engine::reconcile::Outcome;
use crate::session::ids::AppealId;

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

/// Cells changed in one step (a single edit, an appeal's fixes, or a bulk fix of many
/// cells). This is what the journal holds, one JSON line per edit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Edit {
    /// What the step did, in Russian (undo and redo name it by this).
    pub label: String,
    /// Who made it.
    pub source: Source,
    /// Local time, RFC 3339.
    pub at: String,
    /// The cells it changed, each with its text before and after.
    pub changes: Vec<Change>,
}

/// A person chosen by hand for an appeal: the appeal's match before and after. No cell
/// changes, so it is not journaled (the case record keeps the choice itself).
#[derive(Debug, Clone, PartialEq)]
pub struct ChoiceChange {
    /// What the step did, in Russian.
    pub label: String,
    /// The appeal's source.
    pub source: Source,
    /// Local time, RFC 3339.
    pub at: String,
    pub(crate) appeal: AppealId,
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

/// An appeal taken off the list, kept to be put back where it was.
#[derive(Debug, Clone, PartialEq)]
pub struct Removal {
    /// What the step did, in Russian.
    pub label: String,
    /// The appeal's source.
    pub source: Source,
    /// Local time, RFC 3339.
    pub at: String,
    pub(crate) appeal: AppealId,
    pub(crate) index: usize,
    pub(crate) outcome: Outcome,
}

/// One undoable step.
#[derive(Debug, Clone, PartialEq)]
pub enum Operation {
    /// Cells changed.
    Edit(Edit),
    /// An appeal's person chosen by hand (boxed: it holds two whole matches).
    Choice(Box<ChoiceChange>),
    /// An appeal taken off the list (boxed: it holds the appeal).
    Removal(Box<Removal>),
}

impl Operation {
    /// What the step did, in Russian.
    pub fn label(&self) -> &str {
        match self {
            Operation::Edit(e) => &e.label,
            Operation::Choice(c) => &c.label,
            Operation::Removal(r) => &r.label,
        }
    }

    /// Who made it.
    pub fn source(&self) -> &Source {
        match self {
            Operation::Edit(e) => &e.source,
            Operation::Choice(c) => &c.source,
            Operation::Removal(r) => &r.source,
        }
    }

    /// When, local time, RFC 3339.
    pub fn at(&self) -> &str {
        match self {
            Operation::Edit(e) => &e.at,
            Operation::Choice(c) => &c.at,
            Operation::Removal(r) => &r.at,
        }
    }

    /// The cells it changed (none for a choice or a removal).
    pub fn changes(&self) -> &[Change] {
        match self {
            Operation::Edit(e) => &e.changes,
            Operation::Choice(_) | Operation::Removal(_) => &[],
        }
    }
}
