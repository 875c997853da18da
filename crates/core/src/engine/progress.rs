//! Where each appeal stands in the officer's procedure, and what was really done about it.
//!
//! Only the officer's actions move an appeal on: a save that writes its fixes into a corrected
//! file («исправлено в файле»), the officer's word that the file was imported into СГО or that
//! the card was corrected (or created) by hand there («загружено в СГО»), and the citizen's
//! answer after a new login («вход подтверждён» / «ошибка сохраняется»). The ПОС reply draft
//! is built from this record, never from the comparison alone: a field that matches
//! Госуслуги because an earlier round fixed it is still a fixed field.

use serde::{Deserialize, Serialize};

use crate::engine::appeal::Appeal;
use crate::engine::field::Field;

/// The step of the procedure an appeal has reached.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Loaded; nothing done yet.
    #[default]
    New,
    /// Its fixes are in a saved corrected file, not yet in СГО.
    FixedInFile,
    /// The officer confirmed that the file was imported into СГО (or that the card was
    /// corrected or created by hand there).
    InSgo,
    /// The citizen logged in after the correction: reply «оказано содействие».
    LoginConfirmed,
    /// The login still fails after the correction: the school turns to the regional
    /// methodology department.
    LoginFails,
}

impl Stage {
    /// Every stage, in the order of the procedure.
    pub const ALL: [Stage; 5] = [
        Stage::New,
        Stage::FixedInFile,
        Stage::InSgo,
        Stage::LoginConfirmed,
        Stage::LoginFails,
    ];

    /// The stage as the officer reads it («исправлено в файле»).
    pub fn label_ru(self) -> &'static str {
        match self {
            Stage::New => "новое",
            Stage::FixedInFile => "исправлено в файле",
            Stage::InSgo => "загружено в СГО",
            Stage::LoginConfirmed => "вход подтверждён",
            Stage::LoginFails => "ошибка сохраняется",
        }
    }
}

/// How a field was put right.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FixWay {
    /// Written into a corrected file that was saved.
    InFile,
    /// Corrected by the officer in the СГО card itself (protected fields: pupils' ФИО and
    /// birth date).
    ByHand,
}

/// One field put right for an appeal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldFix {
    pub field: Field,
    /// The value now in the card (as Госуслуги has it).
    pub value: String,
    pub way: FixWay,
}

/// A person the officer picked by hand for an appeal the matching did not settle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    /// Where the person is (kept by place, so that it survives reopening the file).
    pub sheet: usize,
    pub row: u32,
    pub group: Option<usize>,
    /// Identity fields (ФИО, birth date, СНИЛС) where the card and the appeal really differ
    /// (not a typo, a look-alike letter or a swapped day and month).
    pub disagree: Vec<Field>,
    /// Name, birth date and СНИЛС say this is another person (a sibling, a twin, a namesake):
    /// no «Исправить всё»; each field needs the officer's own confirmation.
    pub another_person: bool,
    /// Fields the officer confirmed one by one for such a choice.
    pub confirmed: Vec<Field>,
}

/// Why a step of the procedure cannot be taken now.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StageError {
    /// The step needs an earlier stage that the appeal has not reached.
    #[error("«{to}» можно отметить только после «{needs}» (сейчас: «{now}»)")]
    TooEarly {
        /// The stage asked for, in Russian.
        to: &'static str,
        /// The stage it needs first, in Russian.
        needs: &'static str,
        /// The appeal's stage now, in Russian.
        now: &'static str,
    },
    /// There is no earlier stage to go back to.
    #[error("возвращаться некуда: обращение ещё новое")]
    NothingToUndo,
    /// A new login is not to be recorded while corrections are left.
    #[error("повторный вход отмечать рано: {0}")]
    NotYet(String),
}

/// When an appeal reached a stage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageDate {
    pub stage: Stage,
    /// Local time, RFC 3339.
    pub at: String,
}

/// The reply the officer took for ПОС (copied from the draft, as edited).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplyTaken {
    pub text: String,
    /// Local time, RFC 3339.
    pub at: String,
}

/// What has happened to one appeal.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// The stage the appeal has reached.
    pub stage: Stage,
    /// Fields put right, one entry per field (the latest fix wins).
    #[serde(default)]
    pub fixes: Vec<FieldFix>,
    /// The corrected file its fixes were last saved to.
    #[serde(default)]
    pub saved_to: Option<String>,
    /// The person chosen by hand, if the officer chose.
    #[serde(default)]
    pub choice: Option<Choice>,
    /// Earlier stages, oldest first (for «вернуть на шаг назад»).
    #[serde(default)]
    pub history: Vec<Stage>,
    /// When each stage in effect was reached, oldest first (a stage taken back leaves it).
    #[serde(default)]
    pub dates: Vec<StageDate>,
    /// The last reply the officer took for ПОС.
    #[serde(default)]
    pub reply: Option<ReplyTaken>,
}

impl Progress {
    fn move_to(&mut self, stage: Stage) {
        if self.stage != stage {
            self.history.push(self.stage);
            self.stage = stage;
            self.dates.push(StageDate {
                stage,
                at: chrono::Local::now().to_rfc3339(),
            });
        }
    }

    /// When the appeal last reached `stage` (if that stage is in effect or was passed).
    pub fn date_of(&self, stage: Stage) -> Option<&str> {
        self.dates
            .iter()
            .rev()
            .find(|d| d.stage == stage)
            .map(|d| d.at.as_str())
    }

    /// Records fixes written into a saved corrected file: the appeal is «исправлено в
    /// файле» (again, if new fixes came after an import). Returns whether anything changed.
    pub fn record_saved(&mut self, fixes: Vec<(Field, String)>, file: &str) -> bool {
        // A fix saved (and perhaps imported) before is not new work: saving it again in a
        // later file does not take the appeal back to «исправлено в файле».
        let fixes: Vec<(Field, String)> = fixes
            .into_iter()
            .filter(|(f, v)| self.fixed(*f).map(|x| &x.value) != Some(v))
            .collect();
        if fixes.is_empty() {
            if self.stage == Stage::FixedInFile {
                self.saved_to = Some(file.to_string());
            }
            return false;
        }
        for (field, value) in fixes {
            self.put_fix(FieldFix {
                field,
                value,
                way: FixWay::InFile,
            });
        }
        self.saved_to = Some(file.to_string());
        self.move_to(Stage::FixedInFile);
        true
    }

    fn put_fix(&mut self, fix: FieldFix) {
        self.fixes.retain(|f| f.field != fix.field);
        self.fixes.push(fix);
        self.fixes.sort_by_key(|f| f.field);
    }

    /// The officer confirms that the corrected file was imported into СГО.
    pub fn mark_imported(&mut self) -> Result<(), StageError> {
        if self.stage != Stage::FixedInFile {
            return Err(StageError::TooEarly {
                to: Stage::InSgo.label_ru(),
                needs: Stage::FixedInFile.label_ru(),
                now: self.stage.label_ru(),
            });
        }
        self.move_to(Stage::InSgo);
        Ok(())
    }

    /// The officer corrected these fields (or created the card, for a person not in the
    /// export) by hand in СГО. The appeal is then «загружено в СГО» — unless fixes of a saved
    /// file still wait for their import.
    pub fn mark_fixed_by_hand(&mut self, fixes: Vec<(Field, String)>) {
        for (field, value) in fixes {
            self.put_fix(FieldFix {
                field,
                value,
                way: FixWay::ByHand,
            });
        }
        if self.stage != Stage::FixedInFile {
            self.move_to(Stage::InSgo);
        }
    }

    /// The citizen tried to log in again. Allowed once the data is in СГО, or at once when
    /// the card needed nothing (`nothing_to_fix`).
    pub fn mark_login(&mut self, ok: bool, nothing_to_fix: bool) -> Result<(), StageError> {
        let to = if ok {
            Stage::LoginConfirmed
        } else {
            Stage::LoginFails
        };
        let allowed = match self.stage {
            Stage::InSgo | Stage::LoginConfirmed | Stage::LoginFails => true,
            Stage::New => nothing_to_fix,
            Stage::FixedInFile => false,
        };
        if !allowed {
            return Err(StageError::TooEarly {
                to: to.label_ru(),
                needs: Stage::InSgo.label_ru(),
                now: self.stage.label_ru(),
            });
        }
        self.move_to(to);
        Ok(())
    }

    /// Goes back one stage (the officer clicked by mistake). Fixes stay recorded.
    pub fn step_back(&mut self) -> Result<Stage, StageError> {
        let prev = self.history.pop().ok_or(StageError::NothingToUndo)?;
        if self.dates.last().is_some_and(|d| d.stage == self.stage) {
            self.dates.pop();
        }
        self.stage = prev;
        Ok(prev)
    }

    /// The field was put right (in a saved file or by hand).
    pub fn fixed(&self, field: Field) -> Option<&FieldFix> {
        self.fixes.iter().find(|f| f.field == field)
    }
}

/// A key that names the same appeal when it is loaded again (after a restart): the ПОС and
/// ЕПГУ message numbers and the person's ФИО and birth date, folded.
pub fn appeal_key(a: &Appeal) -> String {
    let fold = |s: &Option<String>| {
        s.as_deref()
            .unwrap_or("")
            .trim()
            .to_lowercase()
            .replace('ё', "е")
    };
    format!(
        "{}|{}|{}|{}|{}|{}",
        fold(&a.number),
        fold(&a.epgu_number),
        fold(&a.surname),
        fold(&a.name),
        fold(&a.patronymic),
        a.birth_date
            .map(crate::norm::date::format_ru)
            .unwrap_or_default()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_officers_steps_move_an_appeal_on() {
        let mut p = Progress::default();
        assert_eq!(p.stage, Stage::New);
        // Nothing was imported: the import cannot be confirmed, the login cannot be judged.
        assert!(p.mark_imported().is_err());
        assert!(p.mark_login(true, false).is_err());
        // A save without fixes for this appeal changes nothing.
        assert!(!p.record_saved(Vec::new(), "x.xls"));
        assert_eq!(p.stage, Stage::New);
        assert!(p.record_saved(vec![(Field::Snils, "112-233-445 95".into())], "x.xls"));
        assert_eq!(p.stage, Stage::FixedInFile);
        assert!(p.mark_login(true, false).is_err(), "not in СГО yet");
        p.mark_imported().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p.stage, Stage::InSgo);
        p.mark_login(false, false).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p.stage, Stage::LoginFails);
        p.mark_login(true, false).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p.stage, Stage::LoginConfirmed);
        assert_eq!(p.step_back(), Ok(Stage::LoginFails));
        assert_eq!(p.step_back(), Ok(Stage::InSgo));
        assert_eq!(p.fixed(Field::Snils).map(|f| f.way), Some(FixWay::InFile));
        assert_eq!(p.saved_to.as_deref(), Some("x.xls"));
    }

    #[test]
    fn a_later_fix_of_the_same_field_replaces_the_earlier_one() {
        let mut p = Progress::default();
        p.record_saved(vec![(Field::Phone, "1".into())], "a.xls");
        p.mark_imported().unwrap_or_else(|e| panic!("{e}"));
        p.record_saved(vec![(Field::Phone, "2".into())], "b.xls");
        assert_eq!(
            p.stage,
            Stage::FixedInFile,
            "new fixes wait for a new import"
        );
        assert_eq!(p.fixes.len(), 1);
        assert_eq!(p.fixed(Field::Phone).map(|f| f.value.as_str()), Some("2"));
        p.mark_imported().unwrap_or_else(|e| panic!("{e}"));
        // The same fix in a later file is not new work.
        assert!(!p.record_saved(vec![(Field::Phone, "2".into())], "c.xls"));
        assert_eq!(p.stage, Stage::InSgo);
        p.step_back().unwrap_or_else(|e| panic!("{e}"));
        p.mark_fixed_by_hand(vec![(Field::Surname, "Иванова".into())]);
        assert_eq!(
            p.stage,
            Stage::FixedInFile,
            "the file is still to be imported"
        );
        p.mark_imported().unwrap_or_else(|e| panic!("{e}"));
        p.mark_fixed_by_hand(vec![(Field::Name, "Анна".into())]);
        assert_eq!(p.stage, Stage::InSgo);
        assert_eq!(p.fixed(Field::Surname).map(|f| f.way), Some(FixWay::ByHand));
    }

    #[test]
    fn a_card_that_needed_nothing_can_be_closed_at_once() {
        let mut p = Progress::default();
        p.mark_login(true, true).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p.stage, Stage::LoginConfirmed);
    }

    #[test]
    fn progress_survives_json() {
        let mut p = Progress::default();
        p.record_saved(vec![(Field::Email, "a@b.ru".into())], "x.xls");
        p.choice = Some(Choice {
            sheet: 0,
            row: 5,
            group: Some(1),
            disagree: vec![Field::Name],
            another_person: false,
            confirmed: Vec::new(),
        });
        let json = serde_json::to_string(&p).unwrap_or_default();
        let back: Progress = serde_json::from_str(&json).unwrap_or_default();
        assert_eq!(back, p);
    }
}
