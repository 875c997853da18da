//! ПОС appeals: the citizen's data as Госуслуги has it, read from what the officer pastes or
//! loads — the appeal card's text (label and value separated by a space, a colon, a tab or a
//! line break, fields in any order, several cards in one paste), `.json` (one object or a
//! list), and `.csv`/`.xlsx` tables with one appeal per row.
//!
//! Masked or empty values (`_____`, `1____ 71`, `***`) are unknown, never guessed; anything
//! unreadable becomes a Russian warning on the appeal, never a panic.

mod decode;
mod json;
mod labels;
mod load;
mod table;
mod text;
mod values;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::engine::field::Field;
use crate::norm::phone::Phone;
use crate::norm::sex::Sex;
use crate::norm::snils::Snils;
use crate::norm::{date, phone};

pub use decode::decode_text;
pub use json::parse_json;
pub use load::{FOLDER_EXTENSIONS, LoadedFile, load_file, load_paths};
pub use table::parse_table;
pub use text::parse_text;

use labels::{Label, exact_label};

/// Largest text accepted as a paste.
pub const MAX_PASTE_BYTES: usize = 4 * 1024 * 1024;
/// Largest appeal file accepted.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// One appeal: who the citizen is according to Госуслуги.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Appeal {
    /// Where it came from: a file name, `вставка N`, `file.txt#2` for the second card of a file.
    pub source: String,
    /// The ПОС message number (`Сообщение 2516169`).
    pub number: Option<String>,
    /// «Номер сообщения ЕПГУ».
    pub epgu_number: Option<String>,
    /// The surname, spacing and dashes tidied; `None` when missing, masked or a placeholder.
    pub surname: Option<String>,
    /// The first name, tidied like the surname.
    pub name: Option<String>,
    /// The patronymic, tidied like the surname.
    pub patronymic: Option<String>,
    /// The birth date, when it could be read.
    pub birth_date: Option<NaiveDate>,
    /// The sex, when it could be read.
    pub sex: Option<Sex>,
    /// The СНИЛС, when it is given in full and reads as eleven digits (its check number may be
    /// wrong).
    pub snils: Option<Snils>,
    /// The phone number, when it is given in full and reads as a Russian one.
    pub phone: Option<Phone>,
    /// The e-mail address, trimmed and in lower case (kept with a warning when it looks doubtful).
    pub email: Option<String>,
    /// Every label and value as written, in order (address, account type, message text…).
    pub raw: Vec<(String, String)>,
    /// What could not be read, in Russian.
    pub warnings: Vec<String>,
}

impl Appeal {
    /// The value of a field as shown to the officer: dates `dd.mm.yyyy`, СНИЛС
    /// `XXX-XXX-XXX YY`, phones `+7 XXX XXX XX XX`.
    pub fn value_text(&self, f: Field) -> Option<String> {
        match f {
            Field::Surname => self.surname.clone(),
            Field::Name => self.name.clone(),
            Field::Patronymic => self.patronymic.clone(),
            Field::BirthDate => self.birth_date.map(date::format_ru),
            Field::Sex => self.sex.map(|s| s.word().to_string()),
            Field::Snils => self.snils.map(|s| s.formatted()),
            Field::Phone => self
                .phone
                .as_ref()
                .map(|p| p.format_as(phone::PhoneStyle::Plus7Spaced)),
            Field::Email => self.email.clone(),
        }
    }

    /// The appeal's message as the citizen wrote it (the «Текст сообщения» of the ПОС card,
    /// or a `Текст обращения` / `message` column or key), `None` when the appeal has none.
    pub fn message(&self) -> Option<&str> {
        self.raw
            .iter()
            .find(|(label, text)| {
                !text.trim().is_empty() && exact_label(label) == Some(Label::Message)
            })
            .map(|(_, text)| text.trim())
    }

    /// The fields this appeal knows.
    pub fn known_fields(&self) -> Vec<Field> {
        Field::ALL
            .into_iter()
            .filter(|f| self.value_text(*f).is_some())
            .collect()
    }

    /// «Орлов Тимофей Павлович, 14.04.2010».
    pub fn title(&self) -> String {
        let name: Vec<&str> = [&self.surname, &self.name, &self.patronymic]
            .into_iter()
            .filter_map(|s| s.as_deref())
            .collect();
        let mut t = if name.is_empty() {
            "без ФИО".to_string()
        } else {
            name.join(" ")
        };
        if let Some(d) = self.birth_date {
            t.push_str(", ");
            t.push_str(&date::format_ru(d));
        }
        t
    }

    fn has_person_data(&self) -> bool {
        self.surname.is_some()
            || self.name.is_some()
            || self.snils.is_some()
            || self.birth_date.is_some()
            || self.phone.is_some()
            || self.email.is_some()
    }

    fn has_any_label(&self) -> bool {
        self.has_person_data() || !self.warnings.is_empty()
    }
}

/// Why appeals could not be read.
#[derive(Debug, thiserror::Error)]
pub enum AppealError {
    /// The text is empty (or only whitespace).
    #[error("Текст обращения пустой.")]
    Empty,
    /// No card, object or row gives any of the citizen's data (ФИО, birth date, СНИЛС, phone,
    /// e-mail).
    #[error(
        "В тексте не найдено данных гражданина (Фамилия, Имя, Дата рождения, СНИЛС…). Скопируйте карточку обращения из ПОС целиком."
    )]
    NoPersonData,
    /// The paste or file is over the size limit for appeals ([`MAX_PASTE_BYTES`],
    /// [`MAX_FILE_BYTES`]).
    #[error(
        "Слишком большой объём ({} КБ): это не карточка обращения. Вставьте одну или несколько карточек из ПОС.",
        .bytes / 1024
    )]
    TooLarge {
        /// Its size in bytes.
        bytes: u64,
    },
    /// The text is not valid JSON.
    #[error(
        "Файл JSON не разобран: ошибка в строке {line}, позиция {column}. Проверьте, что файл сохранён целиком."
    )]
    JsonSyntax {
        /// The line of the error (from 1).
        line: usize,
        /// The column of the error (from 1).
        column: usize,
        /// The parser's own error.
        #[source]
        source: serde_json::Error,
    },
    /// The JSON is neither an appeal object nor a list of them; holds what is wrong, in Russian.
    #[error("Файл JSON не разобран: {0}.")]
    JsonShape(&'static str),
    /// None of a table's first 20 rows names two or more of the appeal's fields (no header row).
    #[error(
        "Таблица обращений не разобрана: не найдена строка заголовков (нужны столбцы «Фамилия», «Имя», «СНИЛС»…)."
    )]
    TableNoHeader,
    /// A workbook of appeals has no sheets.
    #[error("Таблица обращений не разобрана: в книге нет листов.")]
    TableNoSheets,
    /// A workbook of appeals could not be read; holds the reader's error (`None` when the reader
    /// crashed).
    #[error("Таблица обращений не разобрана: файл повреждён или это не таблица (.xlsx, .csv).")]
    TableUnreadable(#[source] Option<calamine::Error>),
    /// A folder of appeals could not be listed.
    #[error("Папка «{}» не читается: {}.", .path.display(), crate::xls::io_error_ru(.source))]
    FolderUnreadable {
        /// The folder.
        path: PathBuf,
        /// Why it could not be listed.
        #[source]
        source: std::io::Error,
    },
    /// An appeal file could not be read.
    #[error("Файл не прочитан: {}", io_text(.path, .source))]
    Io {
        /// The file.
        path: PathBuf,
        /// Why it could not be read.
        #[source]
        source: std::io::Error,
    },
    /// The file's kind is not one appeals are read from; holds its extension.
    #[error(
        "Формат «{0}» не поддерживается: обращения загружаются из .txt, .json, .csv или .xlsx."
    )]
    UnknownFormat(String),
}

/// Names each card by where it came from: `source`, or `source#N` when there are several.
fn name_sources(mut cards: Vec<Appeal>, source: &str) -> Vec<Appeal> {
    let many = cards.len() > 1;
    for (i, c) in cards.iter_mut().enumerate() {
        c.source = if many {
            format!("{source}#{}", i + 1)
        } else {
            source.to_string()
        };
    }
    cards
}

/// The Russian reading of an I/O error on an appeal file.
fn io_text(path: &Path, e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => format!("файл «{}» не найден", path.display()),
        _ => format!("«{}»: {}", path.display(), crate::xls::io_error_ru(e)),
    }
}

#[cfg(test)]
mod tests;
