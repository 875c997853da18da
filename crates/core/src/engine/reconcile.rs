//! The pipeline the CLI and the app share: detect the layout, audit the file, match appeals,
//! and turn the verdicts into findings, automatic fixes and manual steps.

use chrono::NaiveDate;
use serde::Serialize;

use crate::book::Grid;
use crate::engine::appeal::Appeal;
use crate::engine::audit::audit;
use crate::engine::field::Field;
use crate::engine::findings::{Finding, Kind, Severity};
use crate::engine::matching::{MatchResult, Matcher, Status, Verdict, manual_step};
use crate::engine::schema::{Profile, Schema};
use crate::engine::style::Styles;

/// Layout, styles and audit findings of one book.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// Which sheets hold people, which columns hold which fields, and every person found.
    pub schema: Schema,
    /// How each column writes СНИЛС, phones and sex, so that fixes are written alike.
    pub styles: Styles,
    /// What the audit found wrong in the cards (the appeals' differences are kept apart).
    pub findings: Vec<Finding>,
}

impl Analysis {
    /// Detects the layout (profiles override detection) and audits every person.
    pub fn run(grids: &[Grid], profiles: &[Profile], today: NaiveDate) -> Analysis {
        let schema = Schema::detect(grids, profiles);
        let styles = Styles::detect(grids, &schema);
        let findings = audit(grids, &schema, &styles, today);
        Analysis {
            schema,
            styles,
            findings,
        }
    }
}

/// An appeal and what matching said about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// The appeal as it was read.
    pub appeal: Appeal,
    /// What matching found: the status, the person, the candidates and the field comparisons.
    pub result: MatchResult,
    /// Field comparisons for the same person's other places (a parent on two rows).
    pub also_fields: Vec<Vec<crate::engine::matching::FieldResult>>,
    /// Where the appeal stands in the officer's procedure (the session keeps it).
    pub progress: crate::engine::progress::Progress,
}

/// Matches every appeal against the book.
pub fn match_appeals(grids: &[Grid], analysis: &Analysis, appeals: Vec<Appeal>) -> Vec<Outcome> {
    let matcher = Matcher::new(grids, &analysis.schema, &analysis.styles);
    let results = matcher.match_all(&appeals);
    appeals
        .into_iter()
        .zip(results)
        .map(|(appeal, result)| {
            let also_fields = result
                .also
                .iter()
                .map(|&j| matcher.compare(j, &appeal))
                .collect();
            Outcome {
                appeal,
                result,
                also_fields,
                progress: Default::default(),
            }
        })
        .collect()
}

/// A cell `fix` writes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Applied {
    pub sheet: usize,
    pub row: u32,
    pub col: u32,
    pub field: Field,
    pub old: Option<String>,
    pub new: String,
    pub appeal: String,
}

/// A difference only the officer can fix, in СГО.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Manual {
    pub sheet: usize,
    pub row: u32,
    pub col: u32,
    pub field: Field,
    pub card: Option<String>,
    pub appeal: Option<String>,
    pub how: String,
    pub source: String,
}

/// What `fix` does for matched appeals: the cells to write and the manual steps. A cell two
/// appeals disagree on is written once, by the first appeal.
pub fn plan_fixes(schema: &Schema, outcomes: &[Outcome]) -> (Vec<Applied>, Vec<Manual>) {
    let mut applied: Vec<Applied> = Vec::new();
    let mut manual = Vec::new();
    for o in outcomes {
        if o.result.status != Status::Matched {
            continue;
        }
        let people = o
            .result
            .person
            .into_iter()
            .chain(o.result.also.iter().copied());
        let lists = std::iter::once(&o.result.fields).chain(o.also_fields.iter());
        for (person, fields) in people.zip(lists) {
            let Some(p) = schema.person(person) else {
                continue;
            };
            for f in fields {
                let crate::book::CellRef { sheet, row, col } = f.cell;
                match f.verdict {
                    Verdict::Equal => {}
                    Verdict::Differs | Verdict::MissingInCard => {
                        let Some(new) = f.suggestion.clone() else {
                            continue;
                        };
                        if applied
                            .iter()
                            .any(|a| (a.sheet, a.row, a.col) == (sheet, row, col))
                        {
                            continue;
                        }
                        applied.push(Applied {
                            sheet,
                            row,
                            col,
                            field: f.field,
                            old: f.card.clone(),
                            new,
                            appeal: o.appeal.source.clone(),
                        });
                    }
                    Verdict::ProtectedDiffers => manual.push(Manual {
                        sheet,
                        row,
                        col,
                        field: f.field,
                        card: f.card.clone(),
                        appeal: f.appeal.clone(),
                        how: manual_step(schema, p, f),
                        source: o.appeal.source.clone(),
                    }),
                }
            }
        }
    }
    (applied, manual)
}

/// The appeals' verdicts as findings on cells (red cells in the grid).
pub fn appeal_findings(outcomes: &[Outcome]) -> Vec<Finding> {
    let mut out = Vec::new();
    for o in outcomes {
        let lists = std::iter::once(&o.result.fields).chain(o.also_fields.iter());
        for fields in lists {
            for f in fields {
                let kind = match f.verdict {
                    Verdict::Equal => continue,
                    Verdict::Differs => Kind::DiffersFromAppeal,
                    Verdict::MissingInCard => Kind::MissingInCard,
                    Verdict::ProtectedDiffers => Kind::ProtectedDiffers,
                };
                out.push(Finding {
                    cell: f.cell,
                    field: Some(f.field),
                    severity: Severity::Error,
                    kind,
                    message: format!("{} Обращение: {}.", f.message, o.appeal.source),
                    suggestion: f.suggestion.clone(),
                });
            }
        }
    }
    out
}
