//! Finding the person an appeal is about, and comparing their card with Госуслуги field by
//! field.
//!
//! Every person in the file (pupils, parents, staff) is a candidate. Blocking keeps it fast:
//! only people sharing a СНИЛС (or two of its four digit groups, which survives one mistyped
//! digit or two swapped neighbours), a birth date (or its day/month swap, or the year ±1), a
//! folded surname, a folded name + patronymic, or a phone number are scored. Similarity only
//! ranks candidates; the decision needs identity evidence (see
//! [`Evidence`](evidence::Evidence)), and the field verdicts come from exact comparison after
//! normalisation plus named typo classes.

mod compare;
mod evidence;
mod index;
mod messages;

use serde::Serialize;

use crate::book::Grid;
use crate::engine::appeal::Appeal;
use crate::engine::field::Field;
use crate::engine::schema::{PersonId, Schema};
use crate::engine::style::Styles;

pub use compare::compare_card;
pub use messages::manual_step;

use evidence::AppealKeys;
use index::KeyChunk;

/// The outcome for one appeal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// One person is the appeal's.
    Matched,
    /// Several people fit equally well: the officer chooses.
    Ambiguous,
    /// Nobody in this export: «Ошибка авторизации №1», the card must be created in СГО.
    NotFound,
}

impl Status {
    /// The status in Russian, as the appeals list and the command line show it.
    pub fn label_ru(self) -> &'static str {
        match self {
            Status::Matched => "найден",
            Status::Ambiguous => "несколько кандидатов",
            Status::NotFound => "не найден",
        }
    }
}

/// A field's verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// The card holds the same value.
    Equal,
    /// The card differs: write the appeal's value.
    Differs,
    /// The card is empty: fill it.
    MissingInCard,
    /// A protected cell differs: fix the card in СГО by hand.
    ProtectedDiffers,
}

impl Verdict {
    /// The verdict in Russian, as the appeal's card in the window shows it.
    pub fn label_ru(self) -> &'static str {
        match self {
            Verdict::Equal => "совпадает",
            Verdict::Differs => "расходится",
            Verdict::MissingInCard => "не заполнено",
            Verdict::ProtectedDiffers => "исправить вручную в СГО",
        }
    }
}

/// What kind of difference it is (for the officer and for quality statistics).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DiffKind {
    /// No difference.
    None,
    /// The card's cell is empty.
    Missing,
    /// Only whitespace differs (or the spelling of a patronymic's particle such as «оглы»).
    Spaces,
    /// Only letter case differs.
    Case,
    /// Only «ё» and «е» differ.
    YoE,
    /// The same once folded: Latin look-alike letters or other invisible characters differ.
    Homoglyph,
    /// Two neighbouring letters swapped, or a similar spelling.
    Typo,
    /// A double surname in one place, a single one in the other.
    SurnamePart,
    /// Day and month are swapped.
    DayMonthSwap,
    /// Day and month agree, the year differs.
    YearOff,
    /// The values differ in exactly one digit.
    OneDigit,
    /// Two neighbouring digits are swapped.
    AdjacentSwap,
    /// Any other difference.
    Other,
}

impl DiffKind {
    /// A few words naming a difference the eye cannot see when both values are shown side by
    /// side (a Latin «с» inside a Cyrillic name, a double space, «ё» for «е», letter case);
    /// `None` for differences that show.
    pub fn hint_ru(self) -> Option<&'static str> {
        match self {
            DiffKind::Homoglyph => Some("латинские буквы"),
            DiffKind::Spaces => Some("пробелы"),
            DiffKind::YoE => Some("ё и е"),
            DiffKind::Case => Some("заглавные буквы"),
            _ => None,
        }
    }
}

/// One field's comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldResult {
    /// The field compared.
    pub field: Field,
    /// Equal, or what is to be done about the difference.
    pub verdict: Verdict,
    /// How the card's value differs from the appeal's.
    pub kind: DiffKind,
    /// The card's value as written (`None` when empty).
    pub card: Option<String>,
    /// The appeal's value, as Госуслуги has it.
    pub appeal: Option<String>,
    /// The value to write, in the column's style (for `Differs` and `MissingInCard`, and for
    /// `ProtectedDiffers` the value to type in СГО).
    pub suggestion: Option<String>,
    /// (sheet, row, col) of the card's cell.
    pub cell: crate::book::CellRef,
    /// Explanation in Russian.
    pub message: String,
}

impl FieldResult {
    /// Whether sverka can write this field's fix into the card: it differs or is empty, and
    /// there is a value to write. (A protected cell that differs is fixed by hand in СГО.)
    pub fn is_fixable(&self) -> bool {
        matches!(self.verdict, Verdict::Differs | Verdict::MissingInCard)
            && self.suggestion.is_some()
    }
}

/// A ranked candidate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Candidate {
    /// The person.
    pub person: PersonId,
    pub score: f64,
}

/// The result for one appeal.
#[derive(Debug, Clone, PartialEq)]
pub struct MatchResult {
    pub status: Status,
    /// The matched person.
    pub person: Option<PersonId>,
    pub score: f64,
    /// The best candidates, best first (at most [`MAX_CANDIDATES`]).
    pub candidates: Vec<Candidate>,
    /// The same person's other places (a parent listed on each child's row).
    pub also: Vec<PersonId>,
    pub fields: Vec<FieldResult>,
}

impl MatchResult {
    /// Nobody found.
    pub(crate) fn unmatched() -> MatchResult {
        MatchResult {
            status: Status::NotFound,
            person: None,
            score: 0.0,
            candidates: Vec::new(),
            also: Vec::new(),
            fields: Vec::new(),
        }
    }
}

/// Candidates kept in a result.
pub const MAX_CANDIDATES: usize = 5;

/// Everything needed to match many appeals against one book.
pub struct Matcher<'a> {
    grids: &'a [Grid],
    schema: &'a Schema,
    styles: &'a Styles,
    /// What matching compares, per person, in the chunks the index was built in; whole cards
    /// are read from the grid only for the people an appeal is compared with field by field.
    chunks: Vec<KeyChunk>,
    /// Bits of a packed blocking entry that hold the person (see [`pack`](index::pack)).
    id_bits: u32,
}

impl Matcher<'_> {
    /// Matches one appeal.
    pub fn match_appeal(&self, a: &Appeal) -> MatchResult {
        let ak = AppealKeys::of(a);
        let found = self.candidates(a);
        // People found through two or more keys first; the rest (a single shared surname or
        // date) only when none of those is the person.
        let score = |ids: &mut dyn Iterator<Item = u32>| -> Vec<(u32, f64, bool)> {
            ids.map(|i| {
                let e = self.evidence(i as usize, a, &ak);
                (i, e.score(), e.is_identity())
            })
            .collect()
        };
        let mut scored = score(&mut found.iter().filter(|(_, n)| **n >= 2).map(|(i, _)| *i));
        if !scored.iter().any(|c| c.2) {
            scored.extend(score(
                &mut found.iter().filter(|(_, n)| **n < 2).map(|(i, _)| *i),
            ));
        }
        scored.sort_by(|x, y| y.2.cmp(&x.2).then(y.1.total_cmp(&x.1)).then(x.0.cmp(&y.0)));
        let candidates: Vec<Candidate> = scored
            .iter()
            .take(MAX_CANDIDATES)
            .map(|&(i, s, _)| Candidate {
                person: PersonId::at(i as usize),
                score: s,
            })
            .collect();
        let identified: Vec<&(u32, f64, bool)> = scored.iter().filter(|c| c.2).collect();
        let Some(&&(best, best_score, _)) = identified.first() else {
            return MatchResult {
                candidates,
                ..MatchResult::unmatched()
            };
        };
        let best = best as usize;
        let also: Vec<usize> = identified
            .iter()
            .skip(1)
            .map(|c| c.0 as usize)
            .filter(|&j| self.same_identity(best, j))
            .collect();
        let rival = identified
            .iter()
            .skip(1)
            .map(|c| (c.0 as usize, c.1))
            .find(|&(j, s)| !also.contains(&j) && best_score - s < 0.05);
        if rival.is_some() {
            return MatchResult {
                status: Status::Ambiguous,
                person: None,
                score: best_score,
                candidates,
                also: Vec::new(),
                fields: Vec::new(),
            };
        }
        let fields = self.compare(PersonId::at(best), a);
        MatchResult {
            status: Status::Matched,
            person: Some(PersonId::at(best)),
            score: best_score,
            candidates,
            also: also.into_iter().map(PersonId::at).collect(),
            fields,
        }
    }

    /// The grids the matcher reads.
    pub fn grids(&self) -> &[Grid] {
        self.grids
    }

    /// Matches every appeal (results in the same order).
    pub fn match_all(&self, appeals: &[Appeal]) -> Vec<MatchResult> {
        crate::parallel::in_chunks(
            appeals,
            |_, part| {
                part.iter()
                    .map(|a| self.match_appeal(a))
                    .collect::<Vec<_>>()
            },
            // A worker that failed is redone appeal by appeal, so that every other appeal of
            // its share still gets its own result in its own place.
            |first, len| {
                appeals
                    .get(first..first + len)
                    .unwrap_or(&[])
                    .iter()
                    .map(|a| {
                        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                            self.match_appeal(a)
                        }))
                        .unwrap_or_else(|_| MatchResult::unmatched())
                    })
                    .collect()
            },
        )
        .into_iter()
        .flatten()
        .collect()
    }
}

#[cfg(test)]
mod tests;
