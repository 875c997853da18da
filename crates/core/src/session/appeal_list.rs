//! The session's appeals part: the loaded appeals in the officer's order, each with an
//! [`AppealId`] that stays its own while the list changes around it, and the case record
//! that keeps their progress across restarts. It knows nothing of the book: what needs the
//! sheets (matching, comparing, fixing) is the session's, in `appeals.rs`.

use crate::engine::appeal::Appeal;
use crate::engine::field::Field;
use crate::engine::matching::{Status, Verdict};
use crate::engine::progress::{Progress, StageError, appeal_key};
use crate::engine::reconcile::Outcome;
use crate::engine::schema::Schema;
use crate::session::casefile::{AppealInfo, AppealSource, CaseError, CaseFile};
use crate::session::ids::AppealId;

/// The appeals and their record.
#[derive(Debug, Default)]
pub(crate) struct AppealList {
    outcomes: Vec<Outcome>,
    /// The id of each outcome, in the same order.
    ids: Vec<AppealId>,
    next: u64,
    case: Option<CaseFile>,
}

impl AppealList {
    /// Every appeal, in the officer's order.
    pub(crate) fn outcomes(&self) -> &[Outcome] {
        &self.outcomes
    }

    /// The id of every appeal, in the same order as [`AppealList::outcomes`].
    pub(crate) fn ids(&self) -> &[AppealId] {
        &self.ids
    }

    /// Where an appeal is in the list now.
    pub(crate) fn index_of(&self, id: AppealId) -> Option<usize> {
        self.ids.iter().position(|&x| x == id)
    }

    /// An appeal by its id.
    pub(crate) fn get(&self, id: AppealId) -> Option<&Outcome> {
        self.outcomes.get(self.index_of(id)?)
    }

    /// An appeal by its id, to change.
    pub(crate) fn get_mut(&mut self, id: AppealId) -> Option<&mut Outcome> {
        let i = self.index_of(id)?;
        self.outcomes.get_mut(i)
    }

    /// Every appeal, to change.
    pub(crate) fn outcomes_mut(&mut self) -> &mut [Outcome] {
        &mut self.outcomes
    }

    /// Adds matched appeals at the end and returns the ids of those added. An appeal
    /// already in the list — the same ПОС or ЕПГУ message, or with no numbers the same
    /// person's ([`appeal_key`]) — is not added again, nor is a repeat within `outcomes`.
    pub(crate) fn push(&mut self, outcomes: Vec<Outcome>) -> Vec<AppealId> {
        let mut keys: std::collections::HashSet<String> = self
            .outcomes
            .iter()
            .map(|o| appeal_key(&o.appeal))
            .collect();
        let mut new = Vec::with_capacity(outcomes.len());
        for o in outcomes {
            if !keys.insert(appeal_key(&o.appeal)) {
                continue;
            }
            let id = AppealId(self.next);
            self.next += 1;
            self.outcomes.push(o);
            self.ids.push(id);
            new.push(id);
        }
        new
    }

    /// Takes every appeal out, with its id (to be matched again and put back with
    /// [`AppealList::put_back`]).
    pub(crate) fn take_all(&mut self) -> Vec<(AppealId, Outcome)> {
        let ids = std::mem::take(&mut self.ids);
        ids.into_iter().zip(self.outcomes.drain(..)).collect()
    }

    /// Puts appeals back under their own ids (after [`AppealList::take_all`]).
    pub(crate) fn put_back(&mut self, appeals: Vec<(AppealId, Outcome)>) {
        for (id, o) in appeals {
            self.ids.push(id);
            self.outcomes.push(o);
        }
    }

    /// Removes an appeal; it stays out when the list is loaded again. Returns where it was
    /// and what it was (to be put back by [`AppealList::reinsert`]), and whether the record
    /// was written.
    pub(crate) fn remove(
        &mut self,
        id: AppealId,
    ) -> Option<((usize, Outcome), Result<(), CaseError>)> {
        let i = self.index_of(id)?;
        self.ids.remove(i);
        let o = self.outcomes.remove(i);
        if let Some(c) = &mut self.case {
            let key = appeal_key(&o.appeal);
            if !c.data.dismissed.contains(&key) {
                c.data.dismissed.push(key);
            }
        }
        Some(((i, o), self.persist()))
    }

    /// Puts a removed appeal back where it was, under its own id (the undo of a removal);
    /// the record no longer keeps it out.
    pub(crate) fn reinsert(
        &mut self,
        index: usize,
        id: AppealId,
        outcome: Outcome,
    ) -> Result<(), CaseError> {
        let at = index.min(self.outcomes.len());
        if let Some(c) = &mut self.case {
            let key = appeal_key(&outcome.appeal);
            c.data.dismissed.retain(|k| *k != key);
        }
        self.ids.insert(at, id);
        self.outcomes.insert(at, outcome);
        self.persist()
    }

    /// The record of the appeals' progress, if the session keeps one.
    pub(crate) fn case(&self) -> Option<&CaseFile> {
        self.case.as_ref()
    }

    /// Keeps the progress in this record from now on.
    pub(crate) fn set_case(&mut self, case: Option<CaseFile>) {
        self.case = case;
    }

    /// The record, to note a saved file in.
    pub(crate) fn case_mut(&mut self) -> Option<&mut CaseFile> {
        self.case.as_mut()
    }

    /// Enters appeals into the register with what was found for them when they were loaded
    /// (`(key, causes)`); an appeal the register has already keeps its first entry.
    pub(crate) fn register_new(&mut self, found: Vec<(String, String)>) {
        let Some(case) = &mut self.case else {
            return;
        };
        for (key, causes) in found {
            let Some(o) = self.outcomes.iter().find(|o| appeal_key(&o.appeal) == key) else {
                continue;
            };
            case.data.register.entry(key).or_insert_with(|| AppealInfo {
                title: o.appeal.title(),
                number: o.appeal.number.clone(),
                epgu: o.appeal.epgu_number.clone(),
                source: o.appeal.source.clone(),
                diagnosis: causes,
                loaded: chrono::Local::now().to_rfc3339(),
            });
        }
    }

    /// Writes every appeal's progress into the case record.
    pub(crate) fn persist(&mut self) -> Result<(), CaseError> {
        let Some(case) = &mut self.case else {
            return Ok(());
        };
        for o in &self.outcomes {
            let key = appeal_key(&o.appeal);
            case.data
                .register
                .entry(key.clone())
                .or_insert_with(|| AppealInfo {
                    title: o.appeal.title(),
                    number: o.appeal.number.clone(),
                    epgu: o.appeal.epgu_number.clone(),
                    source: o.appeal.source.clone(),
                    diagnosis: crate::engine::standing::diagnosis_ru(o),
                    loaded: chrono::Local::now().to_rfc3339(),
                });
            if o.progress == Progress::default() {
                case.data.progress.remove(&key);
            } else {
                case.data.progress.insert(key, o.progress.clone());
            }
        }
        case.save()
    }

    /// An appeal file or a pasted text was loaded: the record remembers it.
    pub(crate) fn note_source(&mut self, source: AppealSource) -> Result<(), CaseError> {
        if let Some(c) = &mut self.case {
            c.note_source(source);
        }
        self.persist()
    }

    /// Leaves out appeals the officer removed earlier.
    pub(crate) fn without_dismissed(&self, appeals: Vec<Appeal>) -> Vec<Appeal> {
        match &self.case {
            Some(c) => appeals
                .into_iter()
                .filter(|a| !c.data.dismissed.contains(&appeal_key(a)))
                .collect(),
            None => appeals,
        }
    }

    /// Takes the recorded progress for the appeals from list position `first` on, and a
    /// person chosen by hand where that person is still in the export (`schema`). Returns
    /// the appeals whose match was set from the record: their fields are to be compared.
    pub(crate) fn adopt_progress(&mut self, first: usize, schema: &Schema) -> Vec<AppealId> {
        let Some(case) = &mut self.case else {
            return Vec::new();
        };
        let mut chosen = Vec::new();
        for (o, &id) in self.outcomes.iter_mut().zip(&self.ids).skip(first) {
            let key = appeal_key(&o.appeal);
            if let Some(p) = case.data.progress.get(&key) {
                o.progress = p.clone();
                if let Some(c) = &p.choice {
                    let person = schema
                        .person_ids()
                        .find(|(_, p)| p.sheet == c.sheet && p.row == c.row && p.group == c.group)
                        .map(|(id, _)| id);
                    match person {
                        Some(person) => {
                            o.result.status = Status::Matched;
                            o.result.person = Some(person);
                            o.result.also.clear();
                            o.also_fields.clear();
                            chosen.push(id);
                        }
                        // The person is not in this file any more: the choice no longer holds.
                        None => o.progress.choice = None,
                    }
                }
            }
            case.data.dismissed.retain(|k| *k != key);
        }
        chosen
    }

    /// The officer confirms that this field of the appeal belongs in the card chosen by hand.
    pub(crate) fn confirm_field(&mut self, id: AppealId, field: Field) -> Result<(), CaseError> {
        if let Some(c) = self.get_mut(id).and_then(|o| o.progress.choice.as_mut())
            && !c.confirmed.contains(&field)
        {
            c.confirmed.push(field);
        }
        self.persist()
    }

    /// The appeal's person was chosen by hand although it looks like another person, and
    /// this field (every field, for `None`) is not confirmed yet.
    pub(crate) fn needs_confirmation(&self, id: AppealId, field: Option<Field>) -> bool {
        let Some(c) = self.get(id).and_then(|o| o.progress.choice.as_ref()) else {
            return false;
        };
        c.another_person
            && match field {
                Some(f) => !c.confirmed.contains(&f),
                None => true,
            }
    }

    /// Every appeal saved to the corrected file `file` (full path, as the record keeps it)
    /// moves to «загружено в СГО»; returns how many.
    pub(crate) fn mark_imported(&mut self, file: &str) -> Result<usize, CaseError> {
        let mut n = 0;
        for o in &mut self.outcomes {
            if o.progress.saved_to.as_deref() == Some(file) && o.progress.mark_imported().is_ok() {
                n += 1;
            }
        }
        self.persist().map(|()| n)
    }

    /// The officer corrected the protected fields of an appeal by hand in СГО.
    pub(crate) fn mark_fixed_by_hand(&mut self, id: AppealId) -> Result<(), CaseError> {
        let Some(o) = self.get_mut(id) else {
            return Ok(());
        };
        let fixes: Vec<(Field, String)> = o
            .result
            .fields
            .iter()
            .filter(|f| f.verdict == Verdict::ProtectedDiffers)
            .filter_map(|f| Some((f.field, f.appeal.clone()?)))
            .collect();
        o.progress.mark_fixed_by_hand(fixes);
        self.persist()
    }

    /// Takes an appeal back one stage. The stage error is the officer's; a record that could
    /// not be written is the session's warning.
    pub(crate) fn step_back(&mut self, id: AppealId) -> Result<Result<(), CaseError>, StageError> {
        let Some(o) = self.get_mut(id) else {
            return Ok(Ok(()));
        };
        o.progress.step_back()?;
        Ok(self.persist())
    }
}

#[cfg(test)]
mod tests {
    use super::AppealList;
    use crate::engine::appeal::parse_text;
    use crate::engine::matching::MatchResult;
    use crate::engine::reconcile::Outcome;

    fn outcome(surname: &str) -> Outcome {
        let text = format!("Фамилия: {surname}\nИмя: Анна\nДата рождения: 01.02.2010\n");
        let appeal = parse_text(&text, "вставка")
            .ok()
            .and_then(|list| list.into_iter().next())
            .unwrap_or_else(|| panic!("no appeal in {text:?}"));
        Outcome {
            appeal,
            result: MatchResult::unmatched(),
            also_fields: Vec::new(),
            progress: Default::default(),
        }
    }

    /// An appeal keeps its id when one before it is removed, and a removed id is not given
    /// to the next appeal.
    #[test]
    fn ids_survive_removal_and_are_never_reused() {
        let mut list = AppealList::default();
        let ids = list.push(vec![
            outcome("Иванова"),
            outcome("Петрова"),
            outcome("Сидорова"),
        ]);
        let [first, second, third] = ids[..] else {
            panic!("{ids:?}")
        };
        assert!(
            list.remove(first)
                .is_some_and(|(_, written)| written.is_ok())
        );
        assert_eq!(list.index_of(third), Some(1));
        assert_eq!(
            list.get(second)
                .and_then(|o| o.appeal.surname.clone())
                .as_deref(),
            Some("Петрова")
        );
        assert!(list.get(first).is_none());
        let again = list.push(vec![outcome("Кузнецова")]);
        assert!(!ids.contains(&again[0]), "{again:?} reuses an id");
        // The same appeal again is not a new one.
        assert!(list.push(vec![outcome("Петрова")]).is_empty());
        let taken = list.take_all();
        assert!(list.outcomes().is_empty());
        list.put_back(taken);
        assert_eq!(list.ids(), [second, third, again[0]]);
    }
}
