//! The appeals of a session: adding and removing them, matching them on a worker, choosing a
//! person by hand (with the check that it is not another person), moving each through the
//! officer's procedure, and writing an appeal's fixes.

use std::path::{Path, PathBuf};

use chrono::Local;

use crate::engine::appeal::Appeal;
use crate::engine::card::Card;
use crate::engine::field::Field;
use crate::engine::lookup::AppealHelp;
use crate::engine::matching::{DiffKind, FieldResult, Status, Verdict, compare_card};
use crate::engine::progress::{Choice, FixWay, Stage, StageError};
use crate::engine::reconcile::{Analysis, Outcome};
use crate::engine::schema::PersonId;
use crate::engine::standing::Standing;
use crate::engine::writer::CellWrite;
use crate::session::casefile::AppealSource;
use crate::session::edits::EditError;
use crate::session::operation::{ChoiceChange, ChoiceState, Operation, Removal, Source};
use crate::session::save::full_text;
use crate::session::{AppealId, Session};

/// An identity field where a card and an appeal differ.
#[derive(Debug, Clone, PartialEq)]
pub struct Disagreement {
    /// The field (one of ФИО, birth date and СНИЛС).
    pub field: Field,
    /// The card's value as written.
    pub card: Option<String>,
    /// The appeal's value, as Госуслуги has it.
    pub appeal: Option<String>,
    /// A real difference, not a typo, a look-alike letter, spaces or ё/е.
    pub real: bool,
}

/// What choosing a person by hand would mean: the identity fields that disagree, and
/// whether they say it is another person.
#[derive(Debug, Clone, PartialEq)]
pub struct ChoiceCheck {
    /// The person who would be chosen.
    pub person: PersonId,
    /// The identity fields where both have a value and the values differ.
    pub disagree: Vec<Disagreement>,
    /// At least two of first name, birth date and СНИЛС really differ: a sibling, a twin or
    /// a namesake rather than this citizen.
    pub another_person: bool,
}

impl ChoiceCheck {
    /// The plain-words verdict for the confirmation.
    pub fn verdict_ru(&self) -> String {
        let real: Vec<String> = self
            .disagree
            .iter()
            .filter(|d| d.real)
            .map(|d| d.field.word_ru())
            .collect();
        if self.another_person {
            format!(
                "Похоже, это другой человек (брат или сестра, близнец, однофамилец): не совпадают {}. Исправления по этому обращению запишут данные заявителя в чужую карточку.",
                real.join(", ")
            )
        } else if self.disagree.is_empty() {
            "ФИО, дата рождения и СНИЛС не противоречат друг другу.".to_string()
        } else if real.is_empty() {
            "Различия похожи на опечатки в карточке.".to_string()
        } else {
            format!("Не совпадают: {}.", real.join(", "))
        }
    }
}

impl Session {
    /// An appeal file or a pasted text was loaded: the record remembers it, so that the list
    /// comes back after a restart.
    pub fn note_source(&mut self, source: AppealSource) {
        let written = self.appeals.note_source(source);
        self.warn(written);
    }

    /// Keeps out appeals the officer removed from the list earlier (when the list of a
    /// previous session is loaded again).
    pub fn without_dismissed(&self, appeals: Vec<Appeal>) -> Vec<Appeal> {
        self.appeals.without_dismissed(appeals)
    }

    /// Takes the recorded progress (and a hand-made choice of person) for the appeals from
    /// list position `first` on.
    pub(super) fn adopt_progress(&mut self, first: usize) {
        for id in self.appeals.adopt_progress(first, &self.analysis.schema) {
            self.recompare(id);
        }
    }

    /// Matching of `appeals` as work for another thread: it holds its own copy of the sheets
    /// (rows are shared, so the copy is cheap) and of the layout. Hand what it returns to
    /// [`Session::accept_outcomes`] with the version it was started at.
    pub fn matching_work(
        &self,
        appeals: Vec<Appeal>,
    ) -> (u64, impl FnOnce() -> Vec<Outcome> + Send + 'static) {
        let grids = self.book.current_grids();
        let analysis = Analysis {
            schema: self.analysis.schema.clone(),
            styles: self.analysis.styles.clone(),
            findings: Vec::new(),
        };
        let work = move || crate::engine::reconcile::match_appeals(&grids, &analysis, appeals);
        (self.history.version(), work)
    }

    /// Adds appeals matched by [`Session::matching_work`] and returns their ids. Cells edited
    /// meanwhile are compared again, so the comparison shows the sheet as it is now.
    pub fn accept_outcomes(&mut self, outcomes: Vec<Outcome>, version: u64) -> Vec<AppealId> {
        let first = self.appeals.outcomes().len();
        let ids = self.appeals.push(outcomes);
        if version != self.history.version() {
            for &id in &ids {
                self.recompare(id);
            }
        }
        self.adopt_progress(first);
        self.refresh_appeal_findings();
        if !ids.is_empty() {
            // Into the register at once, with what was found: a crash right after loading
            // loses nothing.
            self.register_new(&ids);
            self.persist();
        }
        ids
    }

    /// Matches appeals, adds them to the list and returns their ids.
    pub fn add_appeals(&mut self, appeals: Vec<Appeal>) -> Vec<AppealId> {
        if appeals.is_empty() {
            self.refresh_appeal_findings();
            return Vec::new();
        }
        let first = self.appeals.outcomes().len();
        let new =
            crate::engine::reconcile::match_appeals(self.book.grids(), &self.analysis, appeals);
        let ids = self.appeals.push(new);
        self.adopt_progress(first);
        self.refresh_appeal_findings();
        if !ids.is_empty() {
            self.register_new(&ids);
            self.persist();
        }
        ids
    }

    /// Enters new appeals into the register with their causes as found now
    /// ([`Session::diagnoses`]), in a few words each.
    fn register_new(&mut self, ids: &[AppealId]) {
        if self.case().is_none() {
            return;
        }
        // The children the messages name, for every appeal in one pass over the pupils.
        let children = self.appeal_children();
        let found: Vec<(String, String)> = ids
            .iter()
            .filter_map(|&id| {
                let child = self
                    .appeal_index(id)
                    .and_then(|i| children.get(i).copied().flatten());
                let key = crate::engine::progress::appeal_key(&self.appeal(id)?.appeal);
                Some((key, self.causes_ru(id, child)))
            })
            .collect();
        self.appeals.register_new(found);
    }

    /// Removes an appeal from the list (it stays out when the list is loaded again), as an
    /// undoable step: undo puts it back where it was. Returns whether it was in the list.
    pub fn remove_appeal(&mut self, id: AppealId) -> bool {
        let Some(((index, outcome), written)) = self.appeals.remove(id) else {
            return false;
        };
        self.warn(written);
        let op = Operation::Removal(Box::new(Removal {
            label: format!("убрано обращение {}", outcome.appeal.title()),
            source: Source::Appeal(outcome.appeal.source.clone()),
            at: Local::now().to_rfc3339(),
            appeal: id,
            index,
            outcome,
        }));
        let recorded = self.history.record(op);
        self.warn(recorded);
        self.refresh_appeal_findings();
        true
    }

    /// Takes a removed appeal off the list again, or puts it back (undo and redo of a
    /// removal).
    pub(super) fn replay_removal(&mut self, r: &Removal, backward: bool) {
        if backward {
            let written = self.appeals.reinsert(r.index, r.appeal, r.outcome.clone());
            self.warn(written);
        } else if let Some((_, written)) = self.appeals.remove(r.appeal) {
            self.warn(written);
        }
        self.refresh_appeal_findings();
    }

    /// What choosing `person` for an appeal would mean: the identity fields (ФИО, birth
    /// date, СНИЛС) that disagree, and whether they say it is another person.
    pub fn check_choice(&self, id: AppealId, person: PersonId) -> Option<ChoiceCheck> {
        let o = self.appeals.get(id)?;
        self.analysis.schema.person(person)?;
        let fields = self.compare_now(person, &o.appeal);
        let identity = [
            Field::Surname,
            Field::Name,
            Field::Patronymic,
            Field::BirthDate,
            Field::Snils,
        ];
        let disagree: Vec<Disagreement> = fields
            .iter()
            .filter(|f| identity.contains(&f.field))
            .filter(|f| f.verdict != Verdict::Equal && f.card.is_some() && f.appeal.is_some())
            .map(|f| Disagreement {
                field: f.field,
                card: f.card.clone(),
                appeal: f.appeal.clone(),
                real: f.kind == DiffKind::Other,
            })
            .collect();
        let another_person = disagree
            .iter()
            .filter(|d| d.real && matches!(d.field, Field::Name | Field::BirthDate | Field::Snils))
            .count()
            >= 2;
        Some(ChoiceCheck {
            person,
            disagree,
            another_person,
        })
    }

    /// The officer picked the person of an appeal by hand (after [`Session::check_choice`]
    /// was shown and confirmed). Undoable like an edit; the status reads «выбран вручную».
    pub fn choose_candidate(&mut self, id: AppealId, person: PersonId) -> Option<ChoiceCheck> {
        let check = self.check_choice(id, person)?;
        let p = self.analysis.schema.person(person)?;
        let choice = Choice {
            sheet: p.sheet,
            row: p.row,
            group: p.group,
            disagree: check
                .disagree
                .iter()
                .filter(|d| d.real)
                .map(|d| d.field)
                .collect(),
            another_person: check.another_person,
            confirmed: Vec::new(),
        };
        let o = self.appeals.get_mut(id)?;
        let before = ChoiceState {
            result: o.result.clone(),
            also_fields: o.also_fields.clone(),
            choice: o.progress.choice.clone(),
        };
        o.result.status = Status::Matched;
        o.result.person = Some(person);
        o.result.also.clear();
        o.also_fields.clear();
        o.progress.choice = Some(choice.clone());
        self.recompare(id);
        let o = self.appeals.get(id)?;
        let after = ChoiceState {
            result: o.result.clone(),
            also_fields: o.also_fields.clone(),
            choice: Some(choice),
        };
        let op = Operation::Choice(Box::new(ChoiceChange {
            label: format!("выбор человека для обращения {}", o.appeal.title()),
            source: Source::Appeal(o.appeal.source.clone()),
            at: Local::now().to_rfc3339(),
            appeal: id,
            before,
            after,
        }));
        let recorded = self.history.record(op);
        self.warn(recorded);
        self.persist();
        self.refresh_appeal_findings();
        Some(check)
    }

    /// Puts an appeal's match as it was before or after a hand-made choice.
    pub(super) fn set_choice_state(&mut self, id: AppealId, state: &ChoiceState) {
        let Some(o) = self.appeals.get_mut(id) else {
            return;
        };
        o.result = state.result.clone();
        o.also_fields = state.also_fields.clone();
        o.progress.choice = state.choice.clone();
        // Cells may have changed since the choice.
        if o.result.person.is_some() {
            self.recompare(id);
        }
        self.persist();
        self.refresh_appeal_findings();
    }

    /// For a person chosen against the evidence: the officer confirms that this field of the
    /// appeal belongs in this card.
    pub fn confirm_field(&mut self, id: AppealId, field: Field) {
        let written = self.appeals.confirm_field(id, field);
        self.warn(written);
    }

    /// The appeal's person was chosen by hand although it looks like another person, and
    /// this field (every field, for `None`) is not confirmed yet.
    pub fn needs_confirmation(&self, id: AppealId, field: Option<Field>) -> bool {
        self.appeals.needs_confirmation(id, field)
    }

    /// The officer confirms that the corrected file `file` was imported into СГО: every
    /// appeal whose fixes were saved to it moves to «загружено в СГО». Returns how many.
    pub fn mark_imported(&mut self, file: &Path) -> usize {
        match self.appeals.mark_imported(&super::save::full_text(file)) {
            Ok(n) => n,
            Err(e) => {
                self.warning = Some(e.to_string());
                0
            }
        }
    }

    /// The officer corrected the protected fields of an appeal by hand in СГО (or, for a
    /// person not in the export, created the card there).
    pub fn mark_fixed_by_hand(&mut self, id: AppealId) {
        let written = self.appeals.mark_fixed_by_hand(id);
        self.warn(written);
    }

    /// What is left to correct for an appeal — in the file (and saved), and by hand in СГО —
    /// the one rule the texts about it follow ([`Standing`]).
    pub fn standing(&self, id: AppealId) -> Option<Standing> {
        self.appeals.get(id).map(|o| self.standing_of(o))
    }

    pub(super) fn standing_of(&self, o: &Outcome) -> Standing {
        // Fields that agree only through an edit no saved file holds.
        let edits = self.book.edits();
        let mut unsaved: Vec<Field> = o
            .result
            .fields
            .iter()
            .chain(o.also_fields.iter().flatten())
            .filter(|f| {
                f.verdict == Verdict::Equal
                    && edits.contains_key(&f.cell)
                    && self.history.saved_in(f.cell, edits.get(&f.cell)).is_none()
                    && o.progress.fixed(f.field).is_none()
            })
            .map(|f| f.field)
            .collect();
        unsaved.sort();
        unsaved.dedup();
        Standing::of(o, unsaved)
    }

    /// Can the officer ask the citizen to log in again, and record the attempt: nothing is
    /// left to correct, and the corrections are in СГО (or none were needed)?
    pub fn login_allowed(&self, id: AppealId) -> bool {
        self.standing(id).is_some_and(|s| s.login_allowed())
    }

    /// The corrected file an appeal's stage belongs to, when the open file does not hold the
    /// fixes that stage stands on (the officer reopened the export instead of the corrected
    /// file): the stage is then not true of what is on screen, and the card says whose it is.
    /// `None` when the open file holds every fix written into a file (or there is none).
    pub fn stage_elsewhere(&self, id: AppealId) -> Option<PathBuf> {
        let o = self.appeals.get(id)?;
        if o.progress.stage == Stage::New {
            return None;
        }
        // A fix is held when the field agrees with Госуслуги in the open file.
        let held = |field: Field| {
            o.result
                .fields
                .iter()
                .any(|f| f.field == field && f.verdict == Verdict::Equal)
        };
        let missing = o
            .progress
            .fixes
            .iter()
            .filter(|x| x.way == FixWay::InFile)
            .any(|x| !held(x.field));
        let file = PathBuf::from(o.progress.saved_to.as_ref()?);
        let open = self.book.path().map(|p| PathBuf::from(full_text(p)));
        (missing && open.as_ref() != Some(&file)).then_some(file)
    }

    /// The citizen tried to log in again (`ok`: it worked).
    pub fn mark_login(&mut self, id: AppealId, ok: bool) -> Result<(), StageError> {
        let Some(standing) = self.standing(id) else {
            return Ok(());
        };
        if let Some(why) = standing.login_blocked_ru() {
            return Err(StageError::NotYet(why));
        }
        if let Some(o) = self.appeals.get_mut(id) {
            o.progress.mark_login(ok, true)?;
        }
        self.persist();
        Ok(())
    }

    /// Takes an appeal back one stage (a click by mistake).
    pub fn step_back(&mut self, id: AppealId) -> Result<(), StageError> {
        let written = self.appeals.step_back(id)?;
        self.warn(written);
        Ok(())
    }

    /// Compares an appeal's fields again with its person's cards as they are now.
    pub(super) fn recompare(&mut self, id: AppealId) {
        let Some(o) = self.appeals.get(id) else {
            return;
        };
        let lists: Vec<Vec<FieldResult>> = o
            .result
            .person
            .into_iter()
            .chain(o.result.also.iter().copied())
            .map(|p| self.compare_now(p, &o.appeal))
            .collect();
        if let Some(o) = self.appeals.get_mut(id) {
            let mut it = lists.into_iter();
            o.result.fields = it.next().unwrap_or_default();
            o.also_fields = it.collect();
        }
    }

    pub(super) fn compare_now(&self, person: PersonId, appeal: &Appeal) -> Vec<FieldResult> {
        let Some(p) = self.analysis.schema.person(person) else {
            return Vec::new();
        };
        let Some(grid) = self.book.grids().get(p.sheet) else {
            return Vec::new();
        };
        let card = Card::read(grid, p);
        compare_card(
            &self.analysis.schema,
            &self.analysis.styles,
            p,
            &card,
            appeal,
        )
    }

    pub(super) fn refresh_appeal_findings(&mut self) {
        self.index
            .rebuild(&self.analysis.findings, self.appeals.outcomes());
    }

    /// Applies every fixable difference of one appeal (one undoable operation).
    pub fn fix_appeal(&mut self, id: AppealId) -> Result<usize, EditError> {
        self.fix_appeal_fields(id, None)
    }

    /// Whether «Исправить всё» has anything to write for the appeal: it is matched and one
    /// of its fields (on this card or the person's other records) can be fixed.
    pub fn can_fix_appeal(&self, id: AppealId) -> bool {
        self.appeals.get(id).is_some_and(|o| {
            o.result.status == Status::Matched
                && std::iter::once(&o.result.fields)
                    .chain(o.also_fields.iter())
                    .flatten()
                    .any(FieldResult::is_fixable)
        })
    }

    /// Applies one field's suggestion of an appeal.
    pub fn fix_appeal_field(&mut self, id: AppealId, field: Field) -> Result<usize, EditError> {
        self.fix_appeal_fields(id, Some(field))
    }

    fn fix_appeal_fields(&mut self, id: AppealId, only: Option<Field>) -> Result<usize, EditError> {
        let Some(o) = self.appeals.get(id) else {
            return Ok(0);
        };
        if o.result.status != Status::Matched {
            return Ok(0);
        }
        if self.needs_confirmation(id, only) {
            return Err(EditError::NeedsConfirmation(match only {
                Some(f) => format!(
                    "{}: человек выбран вручную и, похоже, это другой человек — подтвердите, что значение из обращения относится к этой карточке.",
                    f.label_ru()
                ),
                None => "Человек выбран вручную и, похоже, это другой человек: «Исправить всё» недоступно, подтверждайте каждое поле отдельно.".to_string(),
            }));
        }
        let mut cells = Vec::new();
        for f in std::iter::once(&o.result.fields)
            .chain(o.also_fields.iter())
            .flatten()
        {
            if only.is_some_and(|x| x != f.field) {
                continue;
            }
            if f.is_fixable()
                && let Some(s) = &f.suggestion
            {
                cells.push(CellWrite {
                    cell: f.cell,
                    text: Some(s.clone()),
                });
            }
        }
        let label = match only {
            Some(f) => format!("{}: {}", o.appeal.title(), f.label_ru()),
            None => format!("Исправить всё: {}", o.appeal.title()),
        };
        let source = Source::Appeal(o.appeal.source.clone());
        self.apply(cells, &label, source)
    }

    /// What the officer is told about an appeal beyond its match: the child its message names,
    /// and for a person not in the export the cards that share an identifying value (a
    /// duplicate account must not be created). A hand-made choice counts as found.
    pub fn appeal_help(&self, id: AppealId) -> Option<AppealHelp> {
        let o = self.appeals.get(id)?;
        let status = if o.progress.choice.is_some() {
            Status::Matched
        } else {
            o.result.status
        };
        Some(crate::engine::lookup::help(
            self.book.grids(),
            &self.analysis.schema,
            &o.appeal,
            status,
        ))
    }
}
