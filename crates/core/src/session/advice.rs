//! What the session drafts for the officer from its state: the reply to an appeal, the steps
//! to import a corrected file, and the manual step for a field fixed by hand in СГО.

use std::path::Path;

use crate::engine::diagnosis::{CardIndex, Diagnosis};
use crate::engine::import_steps::{self, ImportSteps};
use crate::engine::lookup::Place;
use crate::engine::matching::{FieldResult, manual_step};
use crate::engine::progress::Stage;
use crate::engine::reply::{Draft, draft_with};
use crate::engine::schema::PersonId;
use crate::session::save::full_text;
use crate::session::{AppealId, Session};

/// One appeal's work by hand in СГО.
#[derive(Debug, Clone, PartialEq)]
pub struct ManualTodo {
    /// The appeal.
    pub id: AppealId,
    /// Whose appeal: «Медведев Владимир Денисович, 12.03.2015».
    pub title: String,
    /// What to do, each a sentence with where in СГО.
    pub steps: Vec<String>,
}

impl Session {
    /// The reply to the appeal for ПОС, as its state now allows, with a note for the officer.
    pub fn reply_draft(&self, id: AppealId) -> Option<Draft> {
        self.appeal(id).map(|o| draft_with(o, self.standing_of(o)))
    }

    /// The appeals at `stage` whose fixes were saved to `file` (as the case record keeps the
    /// files: full paths).
    fn appeals_of_file(
        &self,
        file: &Path,
        stage: Stage,
    ) -> Vec<&crate::engine::reconcile::Outcome> {
        let full = full_text(file);
        self.outcomes()
            .iter()
            .filter(|o| {
                o.progress.stage == stage && o.progress.saved_to.as_deref() == Some(full.as_str())
            })
            .collect()
    }

    /// What the officer is told when the appeals saved to `file` were marked «загружено в
    /// СГО» (`n` of them): whom to ask to log in again, and whom not yet, and why.
    pub fn after_import_ru(&self, file: &Path, n: usize) -> String {
        let imported = self.appeals_of_file(file, Stage::InSgo);
        let ready = imported
            .iter()
            .filter(|o| self.standing_of(o).login_allowed())
            .count();
        let left: Vec<String> = imported
            .iter()
            .filter_map(|o| {
                let why = self.standing_of(o).login_blocked_ru()?;
                Some(format!("{} — {why}", o.appeal.title()))
            })
            .collect();
        let mut text = format!("Отмечено «загружено в СГО» для обращений этого файла: {n}.");
        if ready > 0 {
            text.push_str(&format!(
                " Попросите повторить вход через Госуслуги заявителей: {ready}."
            ));
        }
        if let Some(first) = left.first() {
            text.push_str(&format!(
                " Пока не просите повторить вход ({}): ещё не всё исправлено, например: {first}.",
                left.len()
            ));
        }
        text
    }

    /// What the officer is told when an appeal was marked «исправлено в СГО вручную».
    pub fn after_by_hand_ru(&self, id: AppealId) -> String {
        match self.standing(id).and_then(|s| s.login_blocked_ru()) {
            None => "Отмечено: исправлено в СГО вручную. Попросите заявителя повторить вход через Госуслуги.".to_string(),
            Some(why) => format!(
                "Отмечено: исправлено в СГО вручную. Повторять вход пока рано: {why}."
            ),
        }
    }

    /// How to import the corrected file `file` into СГО, and how many appeals wait for that
    /// import (saved to it, at «исправлено в файле»).
    pub fn import_steps(&self, file: &Path) -> (ImportSteps, usize) {
        // As the case record keeps the files the appeals were saved to.
        let full = full_text(file);
        let waiting = self.appeals_of_file(file, Stage::FixedInFile);
        // Those with something left beyond the import (a field by hand in СГО, an edit not
        // saved): their citizens are not asked to log in after it.
        let left = waiting
            .iter()
            .filter(|o| !self.standing_of(o).nothing_left())
            .count();
        let steps = import_steps::steps(
            self.grids(),
            self.schema(),
            Path::new(&full),
            waiting.len(),
            left,
        );
        (steps, waiting.len())
    }

    /// Every appeal's work by hand in СГО, in one list: the fields only the СГО card can take
    /// (with where to correct them), and the people not in the export whose card is to be
    /// found or created there. Done items leave the list once marked «Исправлено в СГО
    /// вручную».
    pub fn manual_todo(&self) -> Vec<ManualTodo> {
        self.outcomes()
            .iter()
            .zip(self.appeal_ids())
            .filter_map(|(o, &id)| {
                let standing = self.standing_of(o);
                let steps: Vec<String> = match o.result.person {
                    Some(person) => o
                        .result
                        .fields
                        .iter()
                        .filter(|f| standing.by_hand.contains(&f.field))
                        .filter_map(|f| {
                            let step = self.manual_step(person, f)?;
                            // Values that look the same say why they differ.
                            Some(match f.kind.hint_ru() {
                                Some(hint) => format!("{step} Отличие: {hint}."),
                                None => step,
                            })
                        })
                        .collect(),
                    None if o.progress.stage == Stage::New
                        && o.result.status == crate::engine::matching::Status::NotFound =>
                    {
                        vec!["Человека нет в выгрузке: проверьте СГО (другие классы, родителей, сотрудников); если его там нет, создайте карточку с данными, как на Госуслугах.".to_string()]
                    }
                    None => Vec::new(),
                };
                (!steps.is_empty()).then(|| ManualTodo {
                    id,
                    title: o.appeal.title(),
                    steps,
                })
            })
            .collect()
    }

    /// Why the appeal's login fails, beyond and including the fields ([`Diagnosis`]); `child`
    /// is the pupil its message names ([`Session::appeal_help`]).
    pub fn diagnoses(&self, id: AppealId, child: Option<Place>) -> Vec<Diagnosis> {
        let Some(o) = self.appeal(id) else {
            return Vec::new();
        };
        // The cards as exported: who has two cards, and which parent is linked to which
        // child, is the export's; an edit of a СНИЛС does not make a second card.
        self.card_index()
            .diagnose(self.book().originals(), self.schema(), o, child)
    }

    /// The appeal's causes in a few words each, for the register: «учётная запись не
    /// подтверждена («Упрощенная»); расходятся: СНИЛС».
    pub fn causes_ru(&self, id: AppealId, child: Option<Place>) -> String {
        self.diagnoses(id, child)
            .iter()
            .map(Diagnosis::short_ru)
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// The pupil each appeal's message names, in list order, found in one pass over the
    /// pupils (pupils' names are never edited, so this holds while the list does).
    pub fn appeal_children(&self) -> Vec<Option<Place>> {
        let asked: Vec<(
            &crate::engine::appeal::Appeal,
            crate::engine::matching::Status,
        )> = self
            .outcomes()
            .iter()
            .map(|o| (&o.appeal, o.result.status))
            .collect();
        crate::engine::lookup::help_all(self.grids(), self.schema(), &asked)
            .into_iter()
            .map(|h| h.child)
            .collect()
    }

    /// A card as a diagnosis names it: «Дмитриев Павел Олегович, 1А (лист «Ученики», строка
    /// 12)».
    pub fn describe_card(&self, person: PersonId) -> String {
        let Some(p) = self.schema().person(person) else {
            return String::new();
        };
        let who = self
            .person_cell(person)
            .and_then(|c| self.person_at(c))
            .unwrap_or_default();
        format!("{who} ({})", self.schema().place_ru(p))
    }

    /// Who every card of the export is, built once (and again after the layout changes).
    fn card_index(&self) -> std::sync::Arc<CardIndex> {
        let mut slot = match self.card_index.lock() {
            Ok(slot) => slot,
            Err(poisoned) => poisoned.into_inner(),
        };
        match &*slot {
            Some(index) => index.clone(),
            None => {
                let index =
                    std::sync::Arc::new(CardIndex::new(self.book().originals(), self.schema()));
                *slot = Some(index.clone());
                index
            }
        }
    }

    /// Where in СГО the officer fixes a field by hand, for the appeal's person: «Управление >
    /// Ученики, …».
    pub fn manual_step(&self, person: PersonId, field: &FieldResult) -> Option<String> {
        let p = self.schema().person(person)?;
        Some(manual_step(self.schema(), p, field))
    }
}
