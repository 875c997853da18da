//! Why a login fails, beyond the fields: for each appeal, every cause the appeal and the
//! export support — the Госуслуги account is not confirmed, a parent's card is not linked to
//! the child the message names, the person is staff (not in a pupils' export), the person
//! has two cards, the fields differ, the person is not in СГО — or that no cause is found.
//!
//! Never a cause the data does not support: an account type that is missing or unreadable
//! is unknown, not «не подтверждена»; a parent who names no child, or whose link the export
//! does not show, gets no link diagnosis; a staff member is recognised only by what the
//! message says of the citizen («я учитель», «работаю в школе»).

use std::collections::HashMap;

use crate::book::Grid;
use crate::engine::appeal::Appeal;
use crate::engine::card::Card;
use crate::engine::field::Field;
use crate::engine::lookup::Place;
use crate::engine::matching::{Status, Verdict};
use crate::engine::reconcile::Outcome;
use crate::engine::schema::{Person, PersonId, Role, Schema, cell_str};
use crate::norm::fio;

/// The type of the citizen's Госуслуги account, as the ПОС card gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Account {
    /// «Упрощенная».
    Simplified,
    /// «Стандартная».
    Standard,
    /// «Подтвержденная».
    Confirmed,
}

impl Account {
    /// The type named in the appeal's «Тип учетной записи ЕСИА», `None` when the line is
    /// missing or names no known type.
    pub fn of(appeal: &Appeal) -> Option<Account> {
        let value = appeal.raw.iter().find_map(|(label, value)| {
            let l = label.to_lowercase().replace('ё', "е");
            (l.contains("учетной записи") || l.contains("учетная запись")).then_some(value)
        })?;
        let v = value.to_lowercase().replace('ё', "е");
        if v.contains("неподтвержд") || v.contains("не подтвержд") {
            Some(Account::Standard)
        } else if v.contains("подтвержд") {
            Some(Account::Confirmed)
        } else if v.contains("стандарт") {
            Some(Account::Standard)
        } else if v.contains("упрощ") {
            Some(Account::Simplified)
        } else {
            None
        }
    }

    /// The type as the card names it.
    pub fn label_ru(self) -> &'static str {
        match self {
            Account::Simplified => "Упрощенная",
            Account::Standard => "Стандартная",
            Account::Confirmed => "Подтвержденная",
        }
    }
}

/// One cause of a failed login.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Diagnosis {
    /// The Госуслуги account is simplified or standard: the citizen confirms it; nothing
    /// changes in СГО.
    AccountNotConfirmed {
        /// The type the appeal gives.
        account: Account,
    },
    /// The parent's card is not linked to the child the message names.
    ChildNotLinked {
        /// The child's card (a pupil).
        child: PersonId,
        /// The parent's card (the appeal's person).
        parent: PersonId,
    },
    /// The citizen is staff, whose card is not in a pupils' export.
    StaffNotInExport,
    /// The person has two or more cards (same СНИЛС, or same name and birth date).
    DuplicateCards {
        /// Every card of the person, the matched one first.
        cards: Vec<PersonId>,
    },
    /// Fields of the card differ from Госуслуги (or did, before they were fixed).
    FieldsDiffer {
        /// The fields, in card order.
        fields: Vec<Field>,
    },
    /// Nobody in the export is the person.
    NotInSgo,
    /// The card matches, and nothing else explains the failed login.
    NoCauseFound {
        /// The account type, when the appeal gives one (then it is confirmed).
        account: Option<Account>,
    },
}

impl Diagnosis {
    /// The kind as the JSON names it.
    pub fn kind(&self) -> &'static str {
        match self {
            Diagnosis::AccountNotConfirmed { .. } => "account_not_confirmed",
            Diagnosis::ChildNotLinked { .. } => "child_not_linked",
            Diagnosis::StaffNotInExport => "staff_not_in_export",
            Diagnosis::DuplicateCards { .. } => "duplicate_cards",
            Diagnosis::FieldsDiffer { .. } => "fields_differ",
            Diagnosis::NotInSgo => "not_in_sgo",
            Diagnosis::NoCauseFound { .. } => "no_cause_found",
        }
    }

    /// A few words for a list or a register: «учётная запись не подтверждена», «ребёнок не
    /// привязан к родителю», «расходятся: СНИЛС, телефон».
    pub fn short_ru(&self) -> String {
        match self {
            Diagnosis::AccountNotConfirmed { account } => {
                format!("учётная запись не подтверждена («{}»)", account.label_ru())
            }
            Diagnosis::ChildNotLinked { .. } => "ребёнок не привязан к родителю".to_string(),
            Diagnosis::StaffNotInExport => "сотрудник: карточка не в этой выгрузке".to_string(),
            Diagnosis::DuplicateCards { cards } => {
                format!("две карточки одного человека ({})", cards.len())
            }
            Diagnosis::FieldsDiffer { fields } => format!(
                "расходятся: {}",
                fields
                    .iter()
                    .map(|f| f.word_ru())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Diagnosis::NotInSgo => "нет в выгрузке".to_string(),
            Diagnosis::NoCauseFound { .. } => "данные совпадают, причина не найдена".to_string(),
        }
    }

    /// What it means and what to do, in words a school secretary understands. `who` names a
    /// card («Медведев Владимир Денисович, 3А»).
    pub fn message_ru(&self, who: &dyn Fn(PersonId) -> String) -> String {
        match self {
            Diagnosis::AccountNotConfirmed { account } => format!(
                "Учётная запись на Госуслугах не подтверждена (в обращении: «{}»). Войти в «Сетевой город» через Госуслуги можно только с подтверждённой учётной записью: заявителю нужно подтвердить её (онлайн через банк, в МФЦ или электронной подписью) и войти снова. В СГО ничего менять не нужно.",
                account.label_ru()
            ),
            Diagnosis::ChildNotLinked { child, .. } => format!(
                "Ребёнок, названный в обращении, — {} — не привязан к карточке заявителя в СГО: в выгрузке его нет среди детей этого родителя, а без привязки вход родителя не работает. В СГО откройте карточку родителя, раздел «Дети» > «Присоединить ребёнка» и выберите {}.",
                who(*child),
                who(*child)
            ),
            Diagnosis::StaffNotInExport => "Судя по тексту обращения, заявитель — сотрудник школы. Карточек сотрудников нет в выгрузке учеников («Пакетное обновление»): сверьте и исправьте карточку в «Управление > Сотрудники», поле за полем по данным обращения.".to_string(),
            Diagnosis::DuplicateCards { cards } => format!(
                "У этого человека в выгрузке несколько карточек: {}. Две учётные записи одного человека мешают входу: в СГО нужно оставить одну, существующую, — новую не создавайте.",
                cards.iter().map(|&c| who(c)).collect::<Vec<_>>().join("; ")
            ),
            Diagnosis::FieldsDiffer { fields } => format!(
                "Данные карточки расходятся с Госуслугами: {}.",
                fields.iter().map(|f| f.word_ru()).collect::<Vec<_>>().join(", ")
            ),
            Diagnosis::NotInSgo => "Карточки этого человека в выгрузке нет («Ошибка авторизации №1»): проверьте СГО (другие классы, родителей, сотрудников); если его там нет, создайте карточку с данными, как на Госуслугах.".to_string(),
            Diagnosis::NoCauseFound { account } => {
                let account = match account {
                    Some(_) => " Учётная запись подтверждена.".to_string(),
                    None => " Тип учётной записи в обращении не указан: спросите заявителя, подтверждена ли она.".to_string(),
                };
                format!(
                    "Карточка найдена, данные совпадают с Госуслугами, и других причин sverka не видит.{account} По инструкции ПОС школа обращается в региональный методический отдел; телефон координатора заявителю не сообщается."
                )
            }
        }
    }
}

/// Words by which a citizen says they work at the school.
const STAFF_WORDS: [&str; 9] = [
    "я учитель",
    "я педагог",
    "я сотрудник",
    "я классный руководитель",
    "я воспитатель",
    "работаю учител",
    "работаю в школе",
    "являюсь учител",
    "являюсь сотрудник",
];

/// Does the message say the citizen is staff?
fn says_staff(appeal: &Appeal) -> bool {
    appeal.message().is_some_and(|m| {
        let m = m.to_lowercase().replace('ё', "е");
        STAFF_WORDS.iter().any(|w| m.contains(w))
    })
}

/// Who a card is, for comparing two cards: the folded ФИО, the birth date, the СНИЛС digits.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
struct Identity {
    fio: String,
    birth: String,
    snils: String,
}

impl Identity {
    fn of(grid: &Grid, p: &Person) -> Identity {
        let card = Card::read(grid, p);
        let fio = [Field::Surname, Field::Name, Field::Patronymic]
            .into_iter()
            .filter_map(|f| card.text(f))
            .map(fio::fold)
            .collect::<Vec<_>>()
            .join(" ");
        let snils: String = card
            .text(Field::Snils)
            .map(|s| s.chars().filter(char::is_ascii_digit).collect())
            .unwrap_or_default();
        Identity {
            fio,
            birth: card
                .birth_date
                .map(|d| d.format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
            snils: if snils.len() == 11 {
                snils
            } else {
                String::new()
            },
        }
    }

    /// The keys two cards of one person share: the СНИЛС, and the name with the birth date.
    fn keys(&self) -> Vec<String> {
        let mut keys = Vec::new();
        if !self.snils.is_empty() {
            keys.push(format!("s:{}", self.snils));
        }
        if !self.fio.is_empty() && !self.birth.is_empty() {
            keys.push(format!("n:{}|{}", self.fio, self.birth));
        }
        keys
    }
}

/// Who every card of an export is, indexed by the keys two cards of one person share: built
/// once per export (and kept by the session until the cells change).
#[derive(Debug, Clone, Default)]
pub struct CardIndex {
    identities: Vec<Identity>,
    by_key: HashMap<String, Vec<usize>>,
    has_staff: bool,
}

/// The diagnoses of appeals against one export, with its [`CardIndex`].
pub struct Diagnoser<'a> {
    grids: &'a [Grid],
    schema: &'a Schema,
    index: CardIndex,
}

impl<'a> Diagnoser<'a> {
    /// Reads who every card of the export is.
    pub fn new(grids: &'a [Grid], schema: &'a Schema) -> Diagnoser<'a> {
        Diagnoser {
            grids,
            schema,
            index: CardIndex::new(grids, schema),
        }
    }

    /// Every cause of the appeal's failed login the appeal and the export support; `child`
    /// is the pupil its message names, when found ([`crate::engine::lookup::help`]).
    pub fn diagnose(&self, o: &Outcome, child: Option<Place>) -> Vec<Diagnosis> {
        self.index.diagnose(self.grids, self.schema, o, child)
    }
}

impl CardIndex {
    /// Reads who every card of the export is.
    pub fn new(grids: &[Grid], schema: &Schema) -> CardIndex {
        let identities: Vec<Identity> = schema
            .people
            .iter()
            .map(|p| {
                grids
                    .get(p.sheet)
                    .map(|g| Identity::of(g, p))
                    .unwrap_or_default()
            })
            .collect();
        let mut by_key: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, id) in identities.iter().enumerate() {
            for k in id.keys() {
                by_key.entry(k).or_default().push(i);
            }
        }
        CardIndex {
            identities,
            by_key,
            has_staff: schema.people.iter().any(|p| p.role == Role::Staff),
        }
    }

    /// [`Diagnoser::diagnose`] with this index, for the export (`grids`, `schema`) it was
    /// built from.
    pub fn diagnose(
        &self,
        grids: &[Grid],
        schema: &Schema,
        o: &Outcome,
        child: Option<Place>,
    ) -> Vec<Diagnosis> {
        let mut found = Vec::new();
        let account = Account::of(&o.appeal);
        if let Some(a @ (Account::Simplified | Account::Standard)) = account {
            found.push(Diagnosis::AccountNotConfirmed { account: a });
        }
        let Some(person) = o.result.person else {
            if o.result.status == Status::NotFound {
                found.push(if says_staff(&o.appeal) && !self.has_staff {
                    Diagnosis::StaffNotInExport
                } else {
                    Diagnosis::NotInSgo
                });
            }
            return found;
        };
        if let Some(child) = child
            && self.not_linked(grids, schema, person, &o.result.also, child)
        {
            found.push(Diagnosis::ChildNotLinked {
                child: child.person,
                parent: person,
            });
        }
        let cards = self.cards_of(schema, person);
        if cards.len() > 1 {
            found.push(Diagnosis::DuplicateCards { cards });
        }
        let mut fields: Vec<Field> = o
            .result
            .fields
            .iter()
            .filter(|f| f.appeal.is_some() && f.verdict != Verdict::Equal)
            .map(|f| f.field)
            .chain(o.progress.fixes.iter().map(|x| x.field))
            .collect();
        fields.sort();
        fields.dedup();
        if !fields.is_empty() {
            found.push(Diagnosis::FieldsDiffer { fields });
        }
        if found.is_empty() {
            found.push(Diagnosis::NoCauseFound { account });
        }
        found
    }

    /// The person's cards: the matched one first, then every other card sharing its СНИЛС
    /// or its name and birth date — those on their own rows, and those (a parent's column
    /// group) whose data differs (the same parent exported on each child's row is one card).
    fn cards_of(&self, schema: &Schema, person: PersonId) -> Vec<PersonId> {
        let me = person.index();
        let (Some(id), Some(p)) = (self.identities.get(me), schema.people.get(me)) else {
            return vec![person];
        };
        let mut cards = vec![person];
        for k in id.keys() {
            for &other in self.by_key.get(&k).into_iter().flatten() {
                let (Some(oid), Some(q)) = (self.identities.get(other), schema.people.get(other))
                else {
                    continue;
                };
                let two = (p.group.is_none() && q.group.is_none()) || oid != id;
                let other = PersonId::at(other);
                if other != person && two && !cards.contains(&other) {
                    cards.push(other);
                }
            }
        }
        cards
    }

    /// Is the parent `person` (with its other places `also`) shown not linked to `child`?
    /// `false` when the export cannot tell (a parents' sheet without a child column).
    fn not_linked(
        &self,
        grids: &[Grid],
        schema: &Schema,
        person: PersonId,
        also: &[PersonId],
        child: Place,
    ) -> bool {
        let Some(p) = schema.person(person) else {
            return false;
        };
        if p.role != Role::Parent || child.person == person {
            return false;
        }
        let mut known = false;
        for &r in std::iter::once(&person).chain(also) {
            let Some(q) = schema.person(r) else {
                continue;
            };
            if q.group.is_some() {
                // A parent's column group sits on its child's row.
                known = true;
                if q.sheet == child.sheet && q.row == child.row {
                    return false;
                }
            } else if let Some(named) = named_child(grids, schema, q) {
                known = true;
                if self.names(&named, child) {
                    return false;
                }
            }
        }
        known
    }

    /// Does a child column's text name the pupil `child` (surname and name, folded)?
    fn names(&self, text: &str, child: Place) -> bool {
        let Some(id) = self.identities.get(child.person.index()) else {
            return false;
        };
        let text = fio::fold(text);
        let mut words = id.fio.split_whitespace();
        match (words.next(), words.next()) {
            (Some(surname), Some(name)) => text.contains(surname) && text.contains(name),
            _ => false,
        }
    }
}

/// The text of the child column on a parents' sheet row.
fn named_child(grids: &[Grid], schema: &Schema, q: &Person) -> Option<String> {
    let layout = schema.sheets.get(q.sheet)?;
    let col = layout.columns.iter().find(|c| c.child_ref)?.col;
    let grid = grids.get(q.sheet)?;
    cell_str(grid, q.row, col).map(|t| t.into_owned())
}

#[cfg(test)]
mod tests;
