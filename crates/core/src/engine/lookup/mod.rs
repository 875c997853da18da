//! Help for an appeal beyond its match: the child its message names («Ребёнок Семёнов Глеб,
//! 8А класс»), found among the pupils of the export; and, for an appeal nobody in the export
//! is, the cards that share an identifying value with it (a СНИЛС, a phone, an e-mail, or the
//! name and the birth date). Before the officer creates a new account in СГО («Ошибка №1»),
//! those cards say the person may be there already under another name: СГО must never hold
//! two accounts of one person.
//!
//! Both are linear scans over the people with the appeal's keys normalised once; a card is
//! read as a whole only when one of its cells already agrees, so a scan of 195,000 people
//! allocates nothing for the people that cannot match.

mod child;
mod fold;
mod message;
mod near;

use serde::Serialize;

use crate::book::Grid;
use crate::engine::appeal::Appeal;
use crate::engine::matching::Status;
use crate::engine::schema::{PersonId, Schema};

use child::find_children_all;
#[cfg(test)]
use child::find_pupil;
#[cfg(test)]
use message::{ChildMention, Class, children_in_message, parse_class};
pub use near::NearCard;
#[cfg(test)]
use near::near_cards;
use near::near_cards_all;

/// Where a person of the export is: the index into [`Schema::people`] and the cell row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Place {
    /// The person.
    pub person: PersonId,
    /// The sheet's index.
    pub sheet: usize,
    /// 0-based row.
    pub row: u32,
}

impl Place {
    fn of(schema: &Schema, person: usize) -> Option<Place> {
        let p = schema.people.get(person)?;
        Some(Place {
            person: PersonId::at(person),
            sheet: p.sheet,
            row: p.row,
        })
    }
}

/// What the officer is told about an appeal beyond its match.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AppealHelp {
    /// The child the message names ([`find_children_all`]).
    pub child: Option<Place>,
    /// For a `not_found` appeal, the cards sharing an identifying value ([`near_cards`]);
    /// `None` for matched and ambiguous appeals.
    pub near: Option<Vec<NearCard>>,
}

/// The child the message names for the appeal, and [`near_cards`] when nobody in the export is its person.
pub fn help(grids: &[Grid], schema: &Schema, appeal: &Appeal, status: Status) -> AppealHelp {
    help_all(grids, schema, &[(appeal, status)])
        .into_iter()
        .next()
        .unwrap_or_default()
}

/// [`help`] for many appeals: the near cards of all the appeals not found in one pass over
/// the people ([`near_cards_all`]).
pub fn help_all(grids: &[Grid], schema: &Schema, appeals: &[(&Appeal, Status)]) -> Vec<AppealHelp> {
    let lost: Vec<&Appeal> = appeals
        .iter()
        .filter(|(_, s)| *s == Status::NotFound)
        .map(|(a, _)| *a)
        .collect();
    let mut near = near_cards_all(grids, schema, &lost).into_iter();
    let all: Vec<&Appeal> = appeals.iter().map(|(a, _)| *a).collect();
    appeals
        .iter()
        .zip(find_children_all(grids, schema, &all))
        .map(|(&(_, status), child)| AppealHelp {
            child,
            near: if status == Status::NotFound {
                Some(near.next().unwrap_or_default())
            } else {
                None
            },
        })
        .collect()
}

#[cfg(test)]
mod tests;
