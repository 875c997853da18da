//! The appeals of a session: adding and removing them, matching them on a worker, choosing a
//! person by hand (with the check that it is not another person), moving each through the
//! officer's procedure, and writing an appeal's fixes.

use super::*;

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
    /// The person who would be chosen (index into the schema's people).
    pub person: usize,
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
        if let Some(c) = &mut self.case {
            c.note_source(source);
        }
        self.persist();
    }

    /// Keeps out appeals the officer removed from the list earlier (when the list of a
    /// previous session is loaded again).
    pub fn without_dismissed(&self, appeals: Vec<Appeal>) -> Vec<Appeal> {
        match &self.case {
            Some(c) => appeals
                .into_iter()
                .filter(|a| !c.data.dismissed.contains(&appeal_key(a)))
                .collect(),
            None => appeals,
        }
    }

    /// Takes the recorded progress (and a hand-made choice of person) for the appeals from
    /// `first` on.
    pub(super) fn adopt_progress(&mut self, first: usize) {
        let Some(case) = &mut self.case else { return };
        let mut chosen = Vec::new();
        for (i, o) in self.outcomes.iter_mut().enumerate().skip(first) {
            let key = appeal_key(&o.appeal);
            if let Some(p) = case.data.progress.get(&key) {
                o.progress = p.clone();
                if let Some(c) = &p.choice {
                    chosen.push((i, c.clone()));
                }
            }
            case.data.dismissed.retain(|k| *k != key);
        }
        for (i, c) in chosen {
            let person = self
                .analysis
                .schema
                .people
                .iter()
                .position(|p| p.sheet == c.sheet && p.row == c.row && p.group == c.group);
            match (person, self.outcomes.get_mut(i)) {
                (Some(person), Some(o)) => {
                    o.result.status = Status::Matched;
                    o.result.person = Some(person);
                    o.result.also.clear();
                    o.also_fields.clear();
                    self.recompare(i);
                }
                // The person is not in this file any more: the choice no longer holds.
                (None, Some(o)) => o.progress.choice = None,
                _ => {}
            }
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
        (self.version, work)
    }

    /// Adds appeals matched by [`Session::matching_work`]. Cells edited meanwhile are compared
    /// again, so the comparison shows the sheet as it is now.
    pub fn accept_outcomes(&mut self, outcomes: Vec<Outcome>, version: u64) {
        let first = self.outcomes.len();
        self.outcomes.extend(outcomes);
        if version != self.version {
            for i in first..self.outcomes.len() {
                self.recompare(i);
            }
        }
        self.adopt_progress(first);
        self.refresh_appeal_findings();
    }

    /// Matches appeals and adds them to the list.
    pub fn add_appeals(&mut self, appeals: Vec<Appeal>) {
        if appeals.is_empty() {
            self.refresh_appeal_findings();
            return;
        }
        let first = self.outcomes.len();
        let new =
            crate::engine::reconcile::match_appeals(self.book.grids(), &self.analysis, appeals);
        self.outcomes.extend(new);
        self.adopt_progress(first);
        self.refresh_appeal_findings();
    }

    /// Removes an appeal from the list (it stays out when the list is loaded again).
    pub fn remove_appeal(&mut self, index: usize) {
        if index < self.outcomes.len() {
            let o = self.outcomes.remove(index);
            if let Some(c) = &mut self.case {
                let key = appeal_key(&o.appeal);
                if !c.data.dismissed.contains(&key) {
                    c.data.dismissed.push(key);
                }
            }
            self.persist();
            self.refresh_appeal_findings();
        }
    }

    /// What choosing `person` for an appeal would mean: the identity fields (ФИО, birth
    /// date, СНИЛС) that disagree, and whether they say it is another person.
    pub fn check_choice(&self, index: usize, person: usize) -> Option<ChoiceCheck> {
        let o = self.outcomes.get(index)?;
        self.analysis.schema.people.get(person)?;
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
    pub fn choose_candidate(&mut self, index: usize, person: usize) -> Option<ChoiceCheck> {
        let check = self.check_choice(index, person)?;
        let p = self.analysis.schema.people.get(person)?;
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
        let o = self.outcomes.get_mut(index)?;
        let key = appeal_key(&o.appeal);
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
        self.recompare(index);
        let o = self.outcomes.get(index)?;
        let after = ChoiceState {
            result: o.result.clone(),
            also_fields: o.also_fields.clone(),
            choice: Some(choice),
        };
        let title = o.appeal.title();
        self.undo.push(Operation {
            label: format!("выбор человека для обращения {title}"),
            source: Source::Appeal(o.appeal.source.clone()),
            at: Local::now().to_rfc3339(),
            changes: Vec::new(),
            choice: Some(Box::new(ChoiceUndo { key, before, after })),
        });
        self.redo.clear();
        self.version += 1;
        self.persist();
        self.refresh_appeal_findings();
        Some(check)
    }

    /// Puts an appeal's match as it was before or after a hand-made choice.
    pub(super) fn set_choice_state(&mut self, key: &str, state: &ChoiceState) {
        let Some(i) = self
            .outcomes
            .iter()
            .position(|o| appeal_key(&o.appeal) == key)
        else {
            return;
        };
        if let Some(o) = self.outcomes.get_mut(i) {
            o.result = state.result.clone();
            o.also_fields = state.also_fields.clone();
            o.progress.choice = state.choice.clone();
        }
        // Cells may have changed since the choice.
        if self
            .outcomes
            .get(i)
            .is_some_and(|o| o.result.person.is_some())
        {
            self.recompare(i);
        }
        self.persist();
        self.refresh_appeal_findings();
    }

    /// For a person chosen against the evidence: the officer confirms that this field of the
    /// appeal belongs in this card.
    pub fn confirm_field(&mut self, index: usize, field: Field) {
        if let Some(c) = self
            .outcomes
            .get_mut(index)
            .and_then(|o| o.progress.choice.as_mut())
            && !c.confirmed.contains(&field)
        {
            c.confirmed.push(field);
        }
        self.persist();
    }

    /// The appeal's person was chosen by hand although it looks like another person, and
    /// this field (every field, for `None`) is not confirmed yet.
    pub fn needs_confirmation(&self, index: usize, field: Option<Field>) -> bool {
        let Some(c) = self
            .outcomes
            .get(index)
            .and_then(|o| o.progress.choice.as_ref())
        else {
            return false;
        };
        c.another_person
            && match field {
                Some(f) => !c.confirmed.contains(&f),
                None => true,
            }
    }

    /// The officer confirms that the corrected file `file` was imported into СГО: every
    /// appeal whose fixes were saved to it moves to «загружено в СГО». Returns how many.
    pub fn mark_imported(&mut self, file: &Path) -> usize {
        let file = super::save::full_text(file);
        let mut n = 0;
        for o in &mut self.outcomes {
            if o.progress.saved_to.as_deref() == Some(file.as_str())
                && o.progress.mark_imported().is_ok()
            {
                n += 1;
            }
        }
        self.persist();
        n
    }

    /// The officer corrected the protected fields of an appeal by hand in СГО (or, for a
    /// person not in the export, created the card there).
    pub fn mark_fixed_by_hand(&mut self, index: usize) {
        let Some(o) = self.outcomes.get_mut(index) else {
            return;
        };
        let fixes: Vec<(Field, String)> = o
            .result
            .fields
            .iter()
            .filter(|f| f.verdict == Verdict::ProtectedDiffers)
            .filter_map(|f| Some((f.field, f.appeal.clone()?)))
            .collect();
        o.progress.mark_fixed_by_hand(fixes);
        self.persist();
    }

    /// Did the appeal's card need nothing: found, and every field equal to Госуслуги as
    /// exported? (A field that only equals after an unsaved edit still has to reach СГО
    /// before a new login can work.)
    pub(super) fn nothing_to_fix(&self, o: &Outcome) -> bool {
        let edits = self.book.edits();
        o.result.status == Status::Matched
            && o.result
                .fields
                .iter()
                .chain(o.also_fields.iter().flatten())
                .all(|f| f.verdict == Verdict::Equal && !edits.contains_key(&f.cell))
    }

    /// Can the officer record a new login attempt for the appeal now: the data is in СГО, or
    /// the card needed nothing?
    pub fn login_allowed(&self, index: usize) -> bool {
        self.outcomes
            .get(index)
            .is_some_and(|o| match o.progress.stage {
                Stage::InSgo | Stage::LoginConfirmed | Stage::LoginFails => true,
                Stage::New => self.nothing_to_fix(o),
                Stage::FixedInFile => false,
            })
    }

    /// The citizen tried to log in again (`ok`: it worked).
    pub fn mark_login(&mut self, index: usize, ok: bool) -> Result<(), StageError> {
        let Some(nothing_to_fix) = self.outcomes.get(index).map(|o| self.nothing_to_fix(o)) else {
            return Ok(());
        };
        if let Some(o) = self.outcomes.get_mut(index) {
            o.progress.mark_login(ok, nothing_to_fix)?;
        }
        self.persist();
        Ok(())
    }

    /// Takes an appeal back one stage (a click by mistake).
    pub fn step_back(&mut self, index: usize) -> Result<(), StageError> {
        let Some(o) = self.outcomes.get_mut(index) else {
            return Ok(());
        };
        o.progress.step_back()?;
        self.persist();
        Ok(())
    }

    pub(super) fn recompare(&mut self, index: usize) {
        let Some(o) = self.outcomes.get(index) else {
            return;
        };
        let people: Vec<usize> = o
            .result
            .person
            .into_iter()
            .chain(o.result.also.iter().copied())
            .collect();
        let appeal = o.appeal.clone();
        let mut lists = Vec::new();
        for p in people {
            lists.push(self.compare_now(p, &appeal));
        }
        if let Some(o) = self.outcomes.get_mut(index) {
            let mut it = lists.into_iter();
            o.result.fields = it.next().unwrap_or_default();
            o.also_fields = it.collect();
        }
    }

    pub(super) fn compare_now(&self, person: usize, appeal: &Appeal) -> Vec<FieldResult> {
        let Some(p) = self.analysis.schema.people.get(person) else {
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
        self.appeal_findings = appeal_findings(&self.outcomes);
        let mut index = std::collections::HashMap::new();
        let mut rows: std::collections::HashMap<usize, BTreeSet<u32>> = Default::default();
        for f in self
            .analysis
            .findings
            .iter()
            .chain(self.appeal_findings.iter())
        {
            let e = index.entry(f.cell).or_insert(f.severity);
            if f.severity < *e {
                *e = f.severity;
            }
            if f.severity != Severity::Info {
                rows.entry(f.cell.sheet).or_default().insert(f.cell.row);
            }
        }
        self.severity_index = index;
        self.problem_rows = rows;
    }

    /// Applies every fixable difference of one appeal (one undoable operation).
    pub fn fix_appeal(&mut self, index: usize) -> Result<usize, EditError> {
        self.fix_appeal_fields(index, None)
    }

    /// Whether «Исправить всё» has anything to write for appeal `index`: it is matched and one
    /// of its fields (on this card or the person's other records) can be fixed.
    pub fn can_fix_appeal(&self, index: usize) -> bool {
        self.outcomes.get(index).is_some_and(|o| {
            o.result.status == Status::Matched
                && std::iter::once(&o.result.fields)
                    .chain(o.also_fields.iter())
                    .flatten()
                    .any(FieldResult::is_fixable)
        })
    }

    /// Applies one field's suggestion of an appeal.
    pub fn fix_appeal_field(&mut self, index: usize, field: Field) -> Result<usize, EditError> {
        self.fix_appeal_fields(index, Some(field))
    }

    pub(super) fn fix_appeal_fields(
        &mut self,
        index: usize,
        only: Option<Field>,
    ) -> Result<usize, EditError> {
        let Some(o) = self.outcomes.get(index) else {
            return Ok(0);
        };
        if o.result.status != Status::Matched {
            return Ok(0);
        }
        if self.needs_confirmation(index, only) {
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
                cells.push(crate::engine::writer::CellWrite {
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
    pub fn appeal_help(&self, index: usize) -> Option<crate::engine::lookup::AppealHelp> {
        let o = self.outcomes.get(index)?;
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
