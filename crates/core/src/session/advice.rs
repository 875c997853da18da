//! What the session drafts for the officer from its state: the reply to an appeal, the steps
//! to import a corrected file, and the manual step for a field fixed by hand in СГО.

use std::path::Path;

use crate::engine::import_steps::{self, ImportSteps};
use crate::engine::matching::{FieldResult, manual_step};
use crate::engine::progress::Stage;
use crate::engine::reply::{Draft, draft_for};
use crate::engine::schema::PersonId;
use crate::session::save::full_text;
use crate::session::{AppealId, Session};

impl Session {
    /// The reply to the appeal for ПОС, as its state now allows, with a note for the officer.
    pub fn reply_draft(&self, id: AppealId) -> Option<Draft> {
        self.appeal(id).map(draft_for)
    }

    /// How to import the corrected file `file` into СГО, and how many appeals wait for that
    /// import (saved to it, at «исправлено в файле»).
    pub fn import_steps(&self, file: &Path) -> (ImportSteps, usize) {
        // As the case record keeps the files the appeals were saved to.
        let full = full_text(file);
        let waiting = self
            .outcomes()
            .iter()
            .filter(|o| {
                o.progress.stage == Stage::FixedInFile
                    && o.progress.saved_to.as_deref() == Some(full.as_str())
            })
            .count();
        let steps = import_steps::steps(self.grids(), self.schema(), Path::new(&full), waiting);
        (steps, waiting)
    }

    /// Where in СГО the officer fixes a field by hand, for the appeal's person: «Управление >
    /// Ученики, …».
    pub fn manual_step(&self, person: PersonId, field: &FieldResult) -> Option<String> {
        let p = self.schema().person(person)?;
        Some(manual_step(self.schema(), p, field))
    }
}
