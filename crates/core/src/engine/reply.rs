//! The draft answer to a citizen's ПОС appeal, built from where the appeal stands
//! ([`Progress`]) and from what was really done, field by field.
//!
//! The procedure (ПОС instruction): correct the card in СГО > contact the citizen and ask them
//! to log in again > on success answer «оказано содействие»; if the login still fails, the
//! school turns to the regional methodology department. So a draft never says "fixed" before
//! the officer confirmed the import, never promises a time, and never gives a phone number (the
//! regional coordinator's must never reach the citizen). A second text, the note, tells the
//! officer what to do before sending it.

use crate::engine::diagnosis::Account;
use crate::engine::field::Field;
use crate::engine::matching::{Status, Verdict};
use crate::engine::progress::{FixWay, Progress, Stage};
use crate::engine::reconcile::Outcome;
use crate::engine::standing::{Standing, words};

/// What a draft is built from.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Facts {
    /// The citizen's first name and patronymic, for the greeting.
    pub name: Option<String>,
    pub patronymic: Option<String>,
    /// The matching's word, unless the officer chose the person by hand.
    pub status: Option<Status>,
    pub chosen_by_hand: bool,
    /// Chosen by hand although name, birth date and СНИЛС say it is another person.
    pub another_person: bool,
    /// Fields compared with Госуслуги.
    pub compared: Vec<Field>,
    /// Fields that differ in the card as it is now (fixable or protected).
    pub differs: Vec<Field>,
    pub progress: Progress,
    /// What is left to correct, in the file and by hand: the one rule the texts follow.
    pub standing: Standing,
    /// The Госуслуги account type the appeal gives.
    pub account: Option<Account>,
}

impl Facts {
    /// The facts of an appeal in the session.
    pub fn of(o: &Outcome) -> Facts {
        let compared = o
            .result
            .fields
            .iter()
            .filter(|f| f.appeal.is_some())
            .map(|f| f.field)
            .collect();
        let differs = o
            .result
            .fields
            .iter()
            .filter(|f| f.verdict != Verdict::Equal && f.appeal.is_some())
            .map(|f| f.field)
            .collect();
        Facts {
            name: o.appeal.name.clone(),
            patronymic: o.appeal.patronymic.clone(),
            status: Some(o.result.status),
            chosen_by_hand: o.progress.choice.is_some(),
            another_person: o.progress.choice.as_ref().is_some_and(|c| {
                c.another_person && !c.disagree.iter().all(|f| c.confirmed.contains(f))
            }),
            compared,
            differs,
            progress: o.progress.clone(),
            standing: Standing::of(o, Vec::new()),
            account: Account::of(&o.appeal),
        }
    }
}

/// A draft: the text for the citizen and a note for the officer (not to be sent).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    /// The reply for the citizen, as it goes into ПОС.
    pub text: String,
    /// For the officer, not to be sent.
    pub note: String,
}

/// The draft for an appeal, without edits pending (the session's drafts also count the
/// fields that agree only through an edit not saved yet: [`draft_with`]).
pub fn draft_for(o: &Outcome) -> Draft {
    draft(&Facts::of(o))
}

/// The draft for an appeal whose `standing` the session worked out.
pub fn draft_with(o: &Outcome, standing: Standing) -> Draft {
    let mut facts = Facts::of(o);
    facts.standing = standing;
    draft(&facts)
}

/// How a field is named in a letter.
fn word(f: Field) -> &'static str {
    match f {
        Field::Surname => "фамилия",
        Field::Name => "имя",
        Field::Patronymic => "отчество",
        Field::BirthDate => "дата рождения",
        Field::Sex => "пол",
        Field::Snils => "СНИЛС",
        Field::Phone => "номер телефона",
        Field::Email => "адрес электронной почты",
    }
}

/// «a», «a и b», «a, b и c».
fn list(fields: &[Field]) -> String {
    let words: Vec<&str> = fields.iter().map(|f| word(*f)).collect();
    match words.split_last() {
        None => String::new(),
        Some((last, [])) => (*last).to_string(),
        Some((last, rest)) => format!("{} и {last}", rest.join(", ")),
    }
}

/// «расходится» for one field, «расходятся» for several.
fn differ(fields: &[Field]) -> &'static str {
    if fields.len() == 1 {
        "расходится"
    } else {
        "расходятся"
    }
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

const ASK_LOGIN: &str = "Пожалуйста, повторите вход через Госуслуги и сообщите нам, получилось ли.";
const WILL_CONTACT: &str =
    "После этого мы свяжемся с вами и попросим повторить вход через Госуслуги.";
const DEPARTMENT: &str = "Школа обращается за помощью в региональный методический отдел; о результате мы сообщим вам дополнительно.";
const NOTE_DEPARTMENT: &str = "По инструкции ПОС: школа обращается в региональный методический отдел. Телефон регионального координатора заявителю не сообщайте.";
const NOTE_ONLY_AFTER_LOGIN: &str =
    "Ответ «оказано содействие» отправляйте только после того, как заявитель подтвердит вход.";

/// Builds the draft.
pub fn draft(f: &Facts) -> Draft {
    let greeting = match (&f.name, &f.patronymic) {
        (Some(n), Some(p)) => format!("Здравствуйте, {n} {p}!"),
        (Some(n), None) => format!("Здравствуйте, {n}!"),
        _ => "Здравствуйте!".to_string(),
    };
    let (body, note) = if f.status == Some(Status::NotFound) && !f.chosen_by_hand {
        not_found(f)
    } else if f.status == Some(Status::Ambiguous) && !f.chosen_by_hand {
        ambiguous()
    } else {
        found(f)
    };
    Draft {
        text: format!("{greeting} {body}"),
        note,
    }
}

/// Error №1: no card in the export.
fn not_found(f: &Facts) -> (String, String) {
    match f.progress.stage {
        Stage::New | Stage::FixedInFile => (
            format!(
                "Ваше обращение получено. Вход через Госуслуги не удаётся, потому что в «Сетевом городе» не найдена карточка с вашими данными. Школа внесёт ваши данные в систему так, как они указаны на Госуслугах. {WILL_CONTACT}"
            ),
            "sverka искала только в открытой выгрузке. Прежде чем создавать карточку, проверьте СГО (другие классы, родителей, сотрудников) и похожие карточки в обращении: если СГО отвечает, что такой человек уже есть, выберите существующего — не создавайте вторую учётную запись. Когда карточка будет создана, отметьте «Исправлено в СГО вручную».".to_string(),
        ),
        Stage::InSgo => (
            format!(
                "Ваша карточка внесена в «Сетевой город» с данными, как на Госуслугах. {ASK_LOGIN}"
            ),
            NOTE_ONLY_AFTER_LOGIN.to_string(),
        ),
        Stage::LoginConfirmed => (
            "Оказано содействие: ваша карточка внесена в «Сетевой город», вход через Госуслуги выполнен.".to_string(),
            String::new(),
        ),
        Stage::LoginFails => (
            format!(
                "Ваша карточка внесена в «Сетевой город», но вход через Госуслуги пока не удаётся. {DEPARTMENT}"
            ),
            NOTE_DEPARTMENT.to_string(),
        ),
    }
}

fn ambiguous() -> (String, String) {
    (
        "Ваше обращение получено. В «Сетевом городе» нашлось несколько похожих карточек, и по данным обращения нельзя точно определить вашу. Уточните, пожалуйста, класс (для родителя — ФИО и класс ребёнка), чтобы мы исправили именно вашу карточку.".to_string(),
        "Выберите человека в карточке обращения («Это он(а)»), когда будет ясно, о ком речь.".to_string(),
    )
}

/// The sentence naming what was put right: «исправлены … ; фамилия исправлена в карточке
/// вручную», or `None` when nothing was.
fn fixed_sentence(p: &Progress) -> Option<String> {
    let mut in_file: Vec<Field> = p
        .fixes
        .iter()
        .filter(|x| x.way == FixWay::InFile)
        .map(|x| x.field)
        .collect();
    let mut by_hand: Vec<Field> = p
        .fixes
        .iter()
        .filter(|x| x.way == FixWay::ByHand)
        .map(|x| x.field)
        .collect();
    in_file.sort();
    by_hand.sort();
    let mut parts = Vec::new();
    if !in_file.is_empty() {
        parts.push(format!(
            "в вашей карточке в «Сетевом городе» исправлены данные, которые расходились с Госуслугами: {}",
            list(&in_file)
        ));
    }
    if !by_hand.is_empty() {
        let verb = if by_hand.len() == 1 {
            match by_hand.first() {
                Some(Field::Surname | Field::BirthDate) => "исправлена",
                Some(Field::Name | Field::Patronymic | Field::Sex) => "исправлено",
                _ => "исправлен",
            }
        } else {
            "исправлены"
        };
        let whose = if in_file.is_empty() {
            " в вашей карточке в «Сетевом городе»"
        } else {
            ""
        };
        parts.push(format!("{}{whose} {verb} вручную", list(&by_hand)));
    }
    (!parts.is_empty()).then(|| capitalised(&parts.join("; ")))
}

/// Matched, or chosen by hand. What the texts say of the corrections follows the appeal's
/// [`Standing`]: what is left for the file, what is left by hand, what is confirmed.
fn found(f: &Facts) -> (String, String) {
    let p = &f.progress;
    let st = &f.standing;
    let mut pending: Vec<Field> = st
        .to_file
        .iter()
        .chain(&st.unsaved)
        .chain(&st.by_hand)
        .copied()
        .collect();
    pending.sort();
    pending.dedup();
    let by_hand = (!st.by_hand.is_empty()).then(|| {
        format!(
            "Вручную в карточке СГО исправьте: {} — и отметьте «Исправлено в СГО вручную».",
            words(&st.by_hand)
        )
    });
    let mut note = Vec::new();
    if f.another_person {
        note.push("Человек выбран вручную, и имя, дата рождения или СНИЛС в карточке принадлежат, похоже, другому человеку (брат или сестра, близнец, однофамилец). Проверьте, тот ли это человек, прежде чем что-либо исправлять и отвечать.".to_string());
    }
    let body = match p.stage {
        Stage::New if pending.is_empty() && p.fixes.is_empty() => all_agree(f, &mut note),
        Stage::New => {
            let all: Vec<Field> = sorted_union(&pending, p);
            if st.only_by_hand() {
                // Nothing to save: the file cannot carry these fields.
                note.push(format!(
                    "{} Сохранять файл для этого не нужно. Ответ о результате — после повторного входа заявителя.",
                    by_hand.clone().unwrap_or_default()
                ));
            } else {
                note.push("Исправьте карточку и сохраните файл; ответ о результате — после загрузки в СГО и повторного входа заявителя.".to_string());
                note.extend(by_hand.clone());
            }
            format!(
                "Ваше обращение получено. Мы сверили данные вашей карточки в «Сетевом городе» с Госуслугами: {} {}. Карточка будет исправлена. {WILL_CONTACT}",
                differ(&all),
                list(&all)
            )
        }
        Stage::FixedInFile => {
            let all: Vec<Field> = sorted_union(&pending, p);
            let file = p
                .saved_to
                .as_deref()
                .and_then(|f| std::path::Path::new(f).file_name())
                .map_or_else(
                    || "исправленный файл".to_string(),
                    |n| n.to_string_lossy().into_owned(),
                );
            note.push(format!(
                "Исправления пока только в файле «{file}»: загрузите его в СГО («Пакетное обновление > 2. Обновление данных») и отметьте «Загружено в СГО». {NOTE_ONLY_AFTER_LOGIN}"
            ));
            note.extend(by_hand.clone());
            // Not «исправления подготовлены»: a field corrected by hand in СГО is not
            // prepared in any file.
            format!(
                "Ваше обращение получено. Данные вашей карточки в «Сетевом городе» расходились с Госуслугами ({}); карточка будет исправлена. {WILL_CONTACT}",
                list(&all)
            )
        }
        // Something is still left (say a birth date to be corrected by hand): a new login
        // would fail, so the citizen is not asked to try yet.
        Stage::InSgo if !st.login_allowed() => {
            let done = fixed_sentence(p).map_or_else(String::new, |s| format!("{s}. "));
            note.push(format!(
                "Заявителя пока не просят повторить вход: {}.",
                st.login_blocked_ru().unwrap_or_default()
            ));
            note.extend(by_hand.clone());
            format!(
                "Ваше обращение получено. {done}Сверка вашей карточки ещё не закончена. {WILL_CONTACT}"
            )
        }
        Stage::InSgo => {
            note.push(NOTE_ONLY_AFTER_LOGIN.to_string());
            match fixed_sentence(p) {
                Some(s) => format!("{s}. {ASK_LOGIN}"),
                None => format!(
                    "Данные вашей карточки в «Сетевом городе» проверены и совпадают с Госуслугами. {ASK_LOGIN}"
                ),
            }
        }
        Stage::LoginConfirmed => match fixed_sentence(p) {
            Some(s) => format!("Оказано содействие. {s}. Вход через Госуслуги выполнен."),
            None => "Оказано содействие: данные вашей карточки в «Сетевом городе» проверены, вход через Госуслуги выполнен.".to_string(),
        },
        Stage::LoginFails => {
            note.push(NOTE_DEPARTMENT.to_string());
            match fixed_sentence(p) {
                Some(s) => format!("{s}, но вход через Госуслуги пока не удаётся. {DEPARTMENT}"),
                None => format!(
                    "Данные вашей карточки в «Сетевом городе» совпадают с Госуслугами, но вход через Госуслуги пока не удаётся. {DEPARTMENT}"
                ),
            }
        }
    };
    // Fields to correct as well as an unconfirmed account: the citizen confirms it meanwhile.
    let body = match (unconfirmed(f), p.stage) {
        (Some(confirm), Stage::New | Stage::FixedInFile | Stage::InSgo)
            if !(p.stage == Stage::New && pending.is_empty() && p.fixes.is_empty()) =>
        {
            format!("{body} Кроме того: {}", lower_first(&confirm))
        }
        _ => body,
    };
    if matches!(p.stage, Stage::LoginConfirmed | Stage::LoginFails) && !pending.is_empty() {
        note.push(format!(
            "Ещё {} с Госуслугами: {} — в ответе не названо исправленным.",
            differ(&pending),
            list(&pending)
        ));
        note.extend(by_hand);
    }
    (body, note.join(" "))
}

/// A new appeal whose card agrees with Госуслуги: the citizen is asked to log in again — after
/// confirming the account first, when the appeal shows it is not confirmed.
fn all_agree(f: &Facts, note: &mut Vec<String>) -> String {
    let compared = if f.compared.is_empty() {
        String::new()
    } else {
        format!(" ({})", list(&f.compared))
    };
    match unconfirmed(f) {
        // The cause is the account, not the card: what to do, and no «исправлено».
        Some(confirm) => {
            note.push("Поля карточки совпадают; причина — неподтверждённая учётная запись на Госуслугах. В СГО ничего менять не нужно.".to_string());
            format!(
                "Ваше обращение получено. Мы сверили данные вашей карточки в «Сетевом городе» с Госуслугами{compared} — они совпадают. {confirm} После этого повторите вход через Госуслуги; если ошибка повторится, пришлите снимок экрана с её текстом."
            )
        }
        None => format!(
            "Ваше обращение получено. Мы сверили данные вашей карточки в «Сетевом городе» с Госуслугами{compared} — они совпадают. Пожалуйста, повторите вход через Госуслуги; если ошибка повторится, пришлите снимок экрана с её текстом."
        ),
    }
}

/// What the citizen does about a simplified or standard Госуслуги account, `None` when the
/// appeal gives a confirmed one or no type.
fn unconfirmed(f: &Facts) -> Option<String> {
    let a = f.account.filter(|a| *a != Account::Confirmed)?;
    Some(format!(
        "Вход в «Сетевой город» через Госуслуги возможен только с подтверждённой учётной записью, а ваша учётная запись — «{}». Подтвердите её: онлайн через банк, в МФЦ или с помощью электронной подписи.",
        a.label_ru()
    ))
}

/// The fields still differing plus those already fixed, in card order.
fn sorted_union(pending: &[Field], p: &Progress) -> Vec<Field> {
    let mut all: Vec<Field> = pending
        .iter()
        .copied()
        .chain(p.fixes.iter().map(|x| x.field))
        .collect();
    all.sort();
    all.dedup();
    all
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::progress::{Choice, FieldFix};

    fn facts(status: Status, stage: Stage, differs: &[Field], fixes: &[(Field, FixWay)]) -> Facts {
        let mut f = facts_without_standing(status, stage, differs, fixes);
        // A pupil's ФИО and birth date differ by hand only; the rest through the file.
        f.standing = Standing::from_parts(
            &f.progress,
            status == Status::Matched,
            differs.iter().map(|&d| {
                let protected = matches!(
                    d,
                    Field::Surname | Field::Name | Field::Patronymic | Field::BirthDate
                );
                (
                    d,
                    if protected {
                        Verdict::ProtectedDiffers
                    } else {
                        Verdict::Differs
                    },
                )
            }),
            Vec::new(),
        );
        f
    }

    fn facts_without_standing(
        status: Status,
        stage: Stage,
        differs: &[Field],
        fixes: &[(Field, FixWay)],
    ) -> Facts {
        Facts {
            name: Some("Варвара".into()),
            patronymic: Some("Денисовна".into()),
            status: Some(status),
            chosen_by_hand: false,
            another_person: false,
            compared: vec![Field::Surname, Field::Name, Field::Snils],
            differs: differs.to_vec(),
            progress: Progress {
                stage,
                fixes: fixes
                    .iter()
                    .map(|&(field, way)| FieldFix {
                        field,
                        value: "x".into(),
                        way,
                    })
                    .collect(),
                saved_to: Some("5А_исправлено.xls".into()),
                choice: None,
                history: Vec::new(),
                ..Progress::default()
            },
            standing: Standing::default(),
            account: None,
        }
    }

    /// No phone number, СНИЛС or other long number can reach a draft: every run of digits
    /// (separators ignored) is short.
    fn assert_no_numbers(text: &str) {
        let mut run = 0;
        for c in text.chars() {
            if c.is_ascii_digit() {
                run += 1;
                assert!(run < 5, "a number in the draft: {text}");
            } else if !matches!(c, ' ' | '-' | '(' | ')' | '+' | '.') {
                run = 0;
            }
        }
    }

    /// (status, stage, differing now, fixes, must contain, must not contain)
    type Row = (
        Status,
        Stage,
        Vec<Field>,
        Vec<(Field, FixWay)>,
        Vec<&'static str>,
        Vec<&'static str>,
    );

    /// The states of a matched appeal, and what its draft must and must not say.
    fn rows_matched() -> Vec<Row> {
        use FixWay::*;
        use Stage::*;
        use Status::*;
        let (s, p, e) = (Field::Surname, Field::Phone, Field::Snils);
        vec![
            (
                Matched,
                New,
                vec![p, e],
                vec![],
                vec![
                    "Здравствуйте, Варвара Денисовна!",
                    "расходятся СНИЛС и номер телефона",
                    "Карточка будет исправлена",
                    "свяжемся",
                ],
                vec![
                    "исправлены",
                    "Оказано",
                    "Расхождений не",
                    "совпадают",
                    "рабоч",
                ],
            ),
            (
                Matched,
                New,
                vec![],
                vec![],
                vec!["(фамилия, имя и СНИЛС) — они совпадают", "снимок экрана"],
                vec!["исправ", "Оказано"],
            ),
            // The fixes exist only in the saved file: the comparison now finds nothing, yet
            // the draft knows what was done and does not say "no differences".
            (
                Matched,
                FixedInFile,
                vec![],
                vec![(p, InFile), (e, InFile)],
                vec![
                    "расходились с Госуслугами (СНИЛС и номер телефона)",
                    "карточка будет исправлена",
                ],
                vec!["исправлены", "совпадают", "Оказано"],
            ),
            (
                Matched,
                InSgo,
                vec![],
                vec![(p, InFile), (e, InFile)],
                vec![
                    "исправлены данные, которые расходились с Госуслугами: СНИЛС и номер телефона",
                    "повторите вход",
                ],
                vec!["Оказано", "вручную"],
            ),
            (
                Matched,
                InSgo,
                vec![],
                vec![(s, ByHand), (e, InFile)],
                vec![
                    "исправлены данные, которые расходились с Госуслугами: СНИЛС; фамилия исправлена вручную",
                ],
                vec!["Оказано"],
            ),
            (
                Matched,
                InSgo,
                vec![],
                vec![(s, ByHand)],
                vec![
                    "Фамилия в вашей карточке в «Сетевом городе» исправлена вручную",
                    "повторите вход",
                ],
                vec!["Оказано"],
            ),
            (
                Matched,
                LoginConfirmed,
                vec![],
                vec![(e, InFile)],
                vec![
                    "Оказано содействие.",
                    "исправлены данные",
                    "СНИЛС",
                    "Вход через Госуслуги выполнен",
                ],
                vec!["методическ"],
            ),
        ]
    }

    /// The later states and the other statuses.
    fn rows_other() -> Vec<Row> {
        use FixWay::*;
        use Stage::*;
        use Status::*;
        let e = Field::Snils;
        vec![
            (
                Matched,
                LoginConfirmed,
                vec![],
                vec![],
                vec!["Оказано содействие: данные вашей карточки в «Сетевом городе» проверены"],
                vec!["исправлены"],
            ),
            (
                Matched,
                LoginFails,
                vec![],
                vec![(e, InFile)],
                vec![
                    "исправлены данные",
                    "пока не удаётся",
                    "региональный методический отдел",
                ],
                vec!["Оказано", "координатор", "телефон"],
            ),
            (
                NotFound,
                New,
                vec![],
                vec![],
                vec!["не найдена карточка", "внесёт ваши данные", "свяжемся"],
                vec!["внесена", "Оказано", "исправлен"],
            ),
            (
                NotFound,
                InSgo,
                vec![],
                vec![],
                vec!["Ваша карточка внесена в «Сетевой город»", "повторите вход"],
                vec!["Оказано", "не найдена"],
            ),
            (
                NotFound,
                LoginConfirmed,
                vec![],
                vec![],
                vec!["Оказано содействие: ваша карточка внесена"],
                vec![],
            ),
            (
                NotFound,
                LoginFails,
                vec![],
                vec![],
                vec!["пока не удаётся", "методический отдел"],
                vec!["Оказано"],
            ),
            (
                Ambiguous,
                New,
                vec![],
                vec![],
                vec!["несколько похожих карточек", "Уточните"],
                vec!["исправлен", "Оказано"],
            ),
        ]
    }

    #[test]
    fn drafts_follow_the_state_field_by_field() {
        let table = rows_matched().into_iter().chain(rows_other());
        for (status, stage, differs, fixes, want, not) in table {
            let d = draft(&facts(status, stage, &differs, &fixes));
            for w in want {
                assert!(
                    d.text.contains(w),
                    "{status:?} {stage:?}: no «{w}» in «{}»",
                    d.text
                );
            }
            for n in not {
                assert!(
                    !d.text.contains(n),
                    "{status:?} {stage:?}: «{n}» in «{}»",
                    d.text
                );
            }
            assert_no_numbers(&d.text);
        }
    }

    #[test]
    fn the_note_says_what_is_left_and_never_gives_the_coordinators_phone_to_the_citizen() {
        let d = draft(&facts(
            Status::Matched,
            Stage::FixedInFile,
            &[],
            &[(Field::Snils, FixWay::InFile)],
        ));
        assert!(d.note.contains("5А_исправлено.xls"), "{}", d.note);
        assert!(d.note.contains("Загружено в СГО"), "{}", d.note);
        // Fixed the СНИЛС, but the phone still differs after the import.
        let d = draft(&facts(
            Status::Matched,
            Stage::InSgo,
            &[Field::Phone],
            &[(Field::Snils, FixWay::InFile)],
        ));
        assert!(!d.text.contains("номер телефона"), "{}", d.text);
        assert!(
            d.note
                .contains("пока не просят повторить вход: не исправлено: телефон"),
            "{}",
            d.note
        );
        // …and the citizen is not asked to log in again while something still differs.
        assert!(!d.text.contains("повторите вход"), "{}", d.text);
        assert!(d.text.contains("ещё не закончена"), "{}", d.text);
        assert!(d.note.contains("пока не просят"), "{}", d.note);
        let d = draft(&facts(Status::Matched, Stage::LoginFails, &[], &[]));
        assert!(d.note.contains("не сообщайте"), "{}", d.note);
    }

    #[test]
    fn a_person_chosen_against_the_evidence_is_flagged_to_the_officer() {
        let mut f = facts(Status::NotFound, Stage::New, &[Field::Name], &[]);
        f.chosen_by_hand = true;
        f.another_person = true;
        f.progress.choice = Some(Choice {
            sheet: 0,
            row: 3,
            group: None,
            disagree: vec![Field::Name, Field::BirthDate, Field::Snils],
            another_person: true,
            confirmed: Vec::new(),
        });
        let d = draft(&f);
        assert!(d.note.contains("другому человеку"), "{}", d.note);
        assert!(d.text.contains("расходится имя"), "{}", d.text);
    }

    #[test]
    fn every_state_of_every_status_has_a_draft_without_numbers() {
        for status in [Status::Matched, Status::Ambiguous, Status::NotFound] {
            for stage in Stage::ALL {
                let d = draft(&facts(
                    status,
                    stage,
                    &[Field::Phone],
                    &[
                        (Field::Snils, FixWay::InFile),
                        (Field::Name, FixWay::ByHand),
                    ],
                ));
                assert!(d.text.starts_with("Здравствуйте"), "{}", d.text);
                assert!(!d.text.contains("рабочих дн"), "{}", d.text);
                assert_no_numbers(&d.text);
                assert_no_numbers(&d.note);
            }
        }
    }

    /// One rule decides every text: over every stage and every combination of what is left
    /// (a field for the file, an edit not saved, a field by hand in СГО), the draft asks the
    /// citizen to log in again exactly when the login buttons are open, never tells the
    /// officer to save a file that has nothing to save, never calls a field corrected by
    /// hand «prepared», and says why the citizen is not asked yet.
    #[test]
    fn one_rule_decides_every_text_over_every_combination() {
        let phone = [Field::Phone];
        let email = [Field::Email];
        let patronymic = [Field::Patronymic];
        let none: [Field; 0] = [];
        for stage in Stage::ALL {
            for to_file in [&none[..], &phone[..]] {
                for unsaved in [&none[..], &email[..]] {
                    for by_hand in [&none[..], &patronymic[..]] {
                        let fixes: &[(Field, FixWay)] = match stage {
                            Stage::New => &[],
                            _ => &[(Field::Snils, FixWay::InFile)],
                        };
                        let mut f = facts_without_standing(Status::Matched, stage, &[], fixes);
                        let verdicts = to_file
                            .iter()
                            .map(|&x| (x, Verdict::Differs))
                            .chain(by_hand.iter().map(|&x| (x, Verdict::ProtectedDiffers)))
                            .chain(unsaved.iter().map(|&x| (x, Verdict::Equal)));
                        f.differs = to_file.iter().chain(by_hand).copied().collect();
                        f.standing =
                            Standing::from_parts(&f.progress, true, verdicts, unsaved.to_vec());
                        let st = f.standing.clone();
                        let d = draft(&f);
                        let case = format!(
                            "{stage:?} file {to_file:?} unsaved {unsaved:?} by hand {by_hand:?}: «{}» / «{}»",
                            d.text, d.note
                        );
                        let asks = d.text.contains("повторите вход");
                        match stage {
                            Stage::New | Stage::InSgo => {
                                assert_eq!(asks, st.login_allowed(), "{case}");
                            }
                            _ => assert!(!asks, "{case}"),
                        }
                        assert_eq!(
                            st.login_blocked_ru().is_none(),
                            st.login_allowed(),
                            "{case}"
                        );
                        if st.only_by_hand() {
                            assert!(!d.note.contains("сохраните файл"), "{case}");
                            assert!(d.note.contains("вручную"), "{case}");
                        }
                        assert!(!d.text.contains("подготовлен"), "{case}");
                        if !by_hand.is_empty()
                            && matches!(stage, Stage::New | Stage::FixedInFile | Stage::InSgo)
                        {
                            assert!(d.note.contains("Исправлено в СГО вручную"), "{case}");
                        }
                        if stage == Stage::InSgo && !st.login_allowed() {
                            assert!(d.note.contains("пока не просят"), "{case}");
                            assert!(!d.text.contains("Оказано"), "{case}");
                        }
                    }
                }
            }
        }
    }

    /// An unconfirmed account is the cause when the fields agree: the draft says what the
    /// citizen does and never that data was corrected; with fields to correct, it says both.
    #[test]
    fn an_unconfirmed_account_is_what_the_draft_tells_the_citizen() {
        let mut f = facts(Status::Matched, Stage::New, &[], &[]);
        f.account = Some(Account::Simplified);
        let d = draft(&f);
        assert!(d.text.contains("«Упрощенная»"), "{}", d.text);
        assert!(d.text.contains("Подтвердите её"), "{}", d.text);
        assert!(!d.text.contains("исправ"), "{}", d.text);
        assert!(d.note.contains("ничего менять не нужно"), "{}", d.note);
        // Confirmed, or no type given: the usual text.
        for account in [Some(Account::Confirmed), None] {
            f.account = account;
            assert!(!draft(&f).text.contains("Подтвердите"));
        }
        // Fields to correct too: both are said.
        let mut g = facts(Status::Matched, Stage::New, &[Field::Phone], &[]);
        g.account = Some(Account::Standard);
        let d = draft(&g);
        assert!(d.text.contains("Карточка будет исправлена"), "{}", d.text);
        assert!(d.text.contains("Кроме того: вход"), "{}", d.text);
        assert_no_numbers(&d.text);
    }
}
