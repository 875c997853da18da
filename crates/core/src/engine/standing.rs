//! Where an appeal's corrections stand, and the one rule every text about it follows.
//!
//! Three things decide what sverka may tell the officer and the citizen: what is still to be
//! written into the file (and saved), what can only be corrected by hand in the СГО card,
//! and what the officer has confirmed (the import, a fix by hand). The citizen is asked to
//! log in again — in the status line, the import steps, the reply draft and the login
//! buttons alike — only when nothing of the three is left.

use crate::engine::field::Field;
use crate::engine::matching::{Status, Verdict};
use crate::engine::progress::{Progress, Stage};
use crate::engine::reconcile::Outcome;

/// What is left to do for one appeal.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Standing {
    /// The stage the officer has confirmed.
    pub stage: Stage,
    /// The person's card was found (or chosen); `false`: it is to be found or created in СГО.
    pub card_found: bool,
    /// Differing fields a corrected file can fix, not fixed yet.
    pub to_file: Vec<Field>,
    /// Fields equal only through an edit that no saved file holds yet.
    pub unsaved: Vec<Field>,
    /// Differing fields only the СГО card itself can fix (a pupil's ФИО and birth date), not
    /// fixed by hand yet.
    pub by_hand: Vec<Field>,
}

impl Standing {
    /// The standing of an appeal from its comparison and progress. `unsaved`: the fields that
    /// agree only through an edit no saved file holds (the session knows the edits).
    pub fn of(o: &Outcome, unsaved: Vec<Field>) -> Standing {
        let card_found = o.result.person.is_some();
        Standing::from_parts(
            &o.progress,
            card_found || o.result.status == Status::Matched,
            o.result
                .fields
                .iter()
                .filter(|f| f.appeal.is_some())
                .map(|f| (f.field, f.verdict)),
            unsaved,
        )
    }

    /// The standing from the fields' verdicts (`(field, verdict)` for the fields compared).
    pub fn from_parts(
        progress: &Progress,
        card_found: bool,
        verdicts: impl IntoIterator<Item = (Field, Verdict)>,
        unsaved: Vec<Field>,
    ) -> Standing {
        let mut s = Standing {
            stage: progress.stage,
            card_found,
            unsaved,
            ..Standing::default()
        };
        for (field, verdict) in verdicts {
            if progress.fixed(field).is_some() {
                continue;
            }
            match verdict {
                Verdict::Equal => {}
                Verdict::ProtectedDiffers => s.by_hand.push(field),
                Verdict::Differs | Verdict::MissingInCard => s.to_file.push(field),
            }
        }
        s
    }

    /// Nothing is left to correct, in the file or by hand.
    pub fn nothing_left(&self) -> bool {
        self.to_file.is_empty() && self.unsaved.is_empty() && self.by_hand.is_empty()
    }

    /// The citizen may be asked to log in again, and a new login recorded: nothing is left
    /// to correct, and what was corrected is in СГО (or nothing needed correcting).
    pub fn login_allowed(&self) -> bool {
        match self.stage {
            Stage::FixedInFile => false,
            Stage::New => self.card_found && self.nothing_left(),
            Stage::InSgo | Stage::LoginConfirmed | Stage::LoginFails => self.nothing_left(),
        }
    }

    /// Why the citizen is not to be asked to log in yet, in Russian («исправленный файл ещё
    /// не загружен в СГО; вручную в карточке СГО: отчество»); `None` when they may be.
    pub fn login_blocked_ru(&self) -> Option<String> {
        if self.login_allowed() {
            return None;
        }
        let mut why = Vec::new();
        if !self.card_found && self.stage == Stage::New {
            why.push("карточка человека в СГО не найдена: найдите или создайте её".to_string());
        }
        if self.stage == Stage::FixedInFile {
            why.push("исправленный файл ещё не загружен в СГО".to_string());
        }
        if !self.to_file.is_empty() {
            why.push(format!("не исправлено: {}", words(&self.to_file)));
        }
        if !self.unsaved.is_empty() {
            why.push(format!(
                "исправления не сохранены в файл: {}",
                words(&self.unsaved)
            ));
        }
        if !self.by_hand.is_empty() {
            why.push(format!(
                "вручную в карточке СГО не исправлено: {}",
                words(&self.by_hand)
            ));
        }
        Some(why.join("; "))
    }

    /// The only correction left is by hand in СГО: there is nothing to save.
    pub fn only_by_hand(&self) -> bool {
        !self.by_hand.is_empty() && self.to_file.is_empty() && self.unsaved.is_empty()
    }
}

/// «отчество, дата рождения» (the fields' names as the card shows them, lower case).
pub fn words(fields: &[Field]) -> String {
    fields
        .iter()
        .map(|f| f.word_ru())
        .collect::<Vec<_>>()
        .join(", ")
}

/// What the comparison finds for an appeal, in Russian, for the register: «нет в
/// выгрузке», «несколько похожих карточек», «расходятся: СНИЛС, телефон; вручную в СГО: дата
/// рождения», «данные совпадают».
pub fn diagnosis_ru(o: &Outcome) -> String {
    if o.result.person.is_none() {
        return match o.result.status {
            Status::Ambiguous => "несколько похожих карточек".to_string(),
            _ => "нет в выгрузке".to_string(),
        };
    }
    let s = Standing::from_parts(
        &Progress::default(),
        true,
        o.result
            .fields
            .iter()
            .filter(|f| f.appeal.is_some())
            .map(|f| (f.field, f.verdict)),
        Vec::new(),
    );
    let mut parts = Vec::new();
    if !s.to_file.is_empty() {
        parts.push(format!("расходится: {}", words(&s.to_file)));
    }
    if !s.by_hand.is_empty() {
        parts.push(format!("вручную в СГО: {}", words(&s.by_hand)));
    }
    if parts.is_empty() {
        "данные совпадают".to_string()
    } else {
        parts.join("; ")
    }
}
