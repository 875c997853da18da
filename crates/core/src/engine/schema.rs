//! Where the people are in an export: the header row of each sheet, which column holds which
//! [`Field`] of which person (the pupil of the row, or a parent column group such as
//! `Родитель 1: …`, `Мать …`), and which cells are protected from editing.
//!
//! Nothing here assumes one layout: headers are found among the first rows by their text and
//! synonyms, and a [`Profile`] (the officer's own mapping, remembered per header signature)
//! overrides detection.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::book::{CellValue, Grid};
use crate::engine::field::Field;

/// Rows searched for the header.
pub const HEADER_SEARCH_ROWS: u32 = 30;

/// Whose card a row (or a column group on a row) is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A pupil: by default the row's own person on a sheet not named for staff or parents.
    Pupil,
    /// A parent or legal representative (on a parents sheet, or a parent column group).
    Parent,
    /// A member of staff (teacher or other employee).
    Staff,
}

impl Role {
    /// The role in Russian, as the officer says it.
    pub fn label_ru(self) -> &'static str {
        match self {
            Role::Pupil => "ученик",
            Role::Parent => "родитель",
            Role::Staff => "сотрудник",
        }
    }
}

/// One column of a sheet as sverka understands it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Column {
    pub col: u32,
    /// The header text as written.
    pub header: String,
    /// The value the column holds, `None` for columns sverka does not compare (kept as they are).
    pub field: Option<Field>,
    /// The parent column group, `None` for the row's own person.
    pub group: Option<usize>,
    /// Edits refused (pupils' ФИО and birth date, or the profile says so).
    pub protected: bool,
    /// The column names the child of a parent on a separate parents sheet.
    pub child_ref: bool,
}

/// A column group for a second person on the same row (`Родитель 1: …`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Group {
    /// As the headers say it: `Родитель 1`, `Мать`.
    pub label: String,
    pub role: Role,
}

/// How one sheet is laid out.
#[derive(Debug, Clone, PartialEq)]
pub struct SheetLayout {
    pub sheet: usize,
    pub name: String,
    /// `None` when no header row was found: the sheet holds no people.
    pub header_row: Option<u32>,
    pub columns: Vec<Column>,
    pub groups: Vec<Group>,
    /// The role of the row's own person.
    pub role: Role,
    /// Detection found surname, name and at least one of birth date or СНИЛС; otherwise the
    /// officer should check the mapping.
    pub confident: bool,
    /// Signature of the header row (normalised texts), the key profiles are remembered by.
    pub signature: String,
}

impl SheetLayout {
    /// The column of `field` for the row's person (`group` `None`) or a parent group.
    pub fn column_of(&self, group: Option<usize>, field: Field) -> Option<u32> {
        self.columns
            .iter()
            .find(|c| c.group == group && c.field == Some(field))
            .map(|c| c.col)
    }

    /// The column description of `col`.
    pub fn column(&self, col: u32) -> Option<&Column> {
        self.columns.iter().find(|c| c.col == col)
    }
}

/// The column of each field of a person.
pub type PersonColumns = std::sync::Arc<BTreeMap<Field, u32>>;

/// One person found in the export.
#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    pub role: Role,
    pub sheet: usize,
    pub row: u32,
    /// The parent column group on a pupil's row; `None` for the row's own person.
    pub group: Option<usize>,
    /// Where each known field of this person is (shared by everyone of the same column
    /// group on the sheet).
    pub cols: PersonColumns,
}

/// Layouts of all sheets and every person found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Schema {
    /// One layout per sheet of the book, in sheet order.
    pub sheets: Vec<SheetLayout>,
    /// Every person found, in sheet and row order.
    pub people: Vec<Person>,
}

/// One person of the export, by their place in [`Schema::people`] (stable for as long as the
/// layout is: a re-detected layout is a new schema). Written in JSON as the bare number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct PersonId(usize);

impl PersonId {
    /// The person at place `index` of [`Schema::people`].
    pub fn at(index: usize) -> PersonId {
        PersonId(index)
    }

    /// Their place in [`Schema::people`].
    pub fn index(self) -> usize {
        self.0
    }
}

impl Schema {
    /// A person by id.
    pub fn person(&self, id: PersonId) -> Option<&Person> {
        self.people.get(id.0)
    }

    /// Every person with their id, in sheet and row order.
    pub fn person_ids(&self) -> impl Iterator<Item = (PersonId, &Person)> {
        self.people
            .iter()
            .enumerate()
            .map(|(i, p)| (PersonId(i), p))
    }
}

/// The officer's mapping for sheets with a given header signature (or a given sheet name).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    /// Applies to sheets whose header signature is this (see [`SheetLayout::signature`]).
    #[serde(default)]
    pub signature: Option<String>,
    /// …or to the sheet of this name.
    #[serde(default)]
    pub sheet: Option<String>,
    /// 0-based header row; detection's when absent.
    #[serde(default)]
    pub header_row: Option<u32>,
    /// The role of the row's own person on such sheets; detection's (from the sheet name) when
    /// absent.
    #[serde(default)]
    pub role: Option<Role>,
    /// Column roles; columns not listed keep what detection found unless `only_listed`.
    #[serde(default)]
    pub columns: Vec<ProfileColumn>,
    /// Only the columns listed hold fields: detection's other field columns are dropped.
    #[serde(default)]
    pub only_listed: bool,
    /// Extra protected columns (0-based).
    #[serde(default)]
    pub protected: Vec<u32>,
    /// Group labels and roles, by group index.
    #[serde(default)]
    pub groups: Vec<Group>,
}

/// One column of a [`Profile`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProfileColumn {
    /// The column (0-based).
    pub col: u32,
    /// The field it holds; `None` for a column sverka leaves alone.
    pub field: Option<Field>,
    /// The parent group it belongs to (index into the profile's groups); `None` for the
    /// pupil's own columns.
    #[serde(default)]
    pub group: Option<usize>,
}

impl Profile {
    fn applies_to(&self, layout: &SheetLayout, grid: &Grid) -> bool {
        match (&self.signature, &self.sheet) {
            (Some(sig), _) => match self.header_row.or(layout.header_row) {
                Some(row) => *sig == signature(grid, row),
                None => false,
            },
            (None, Some(name)) => *name == layout.name,
            (None, None) => true,
        }
    }
}

impl Schema {
    /// Detects every sheet's layout and finds the people; `profiles` override detection.
    pub fn detect(grids: &[Grid], profiles: &[Profile]) -> Schema {
        let mut sheets = Vec::with_capacity(grids.len());
        let mut people = Vec::new();
        for (i, grid) in grids.iter().enumerate() {
            let mut layout = detect_sheet(i, grid);
            if let Some(p) = profiles.iter().find(|p| p.applies_to(&layout, grid)) {
                apply_profile(&mut layout, grid, p);
            }
            people.extend(find_people(&layout, grid));
            sheets.push(layout);
        }
        Schema { sheets, people }
    }

    /// Is the cell protected from edits (header row, pupils' ФИО and birth date, profile)?
    pub fn is_protected(&self, sheet: usize, row: u32, col: u32) -> bool {
        let Some(layout) = self.sheets.get(sheet) else {
            return false;
        };
        match layout.header_row {
            Some(h) if row < h => false,
            Some(h) if row == h => true,
            Some(_) => layout.column(col).is_some_and(|c| c.protected),
            None => false,
        }
    }

    /// Why a cell is protected, for the refusal message; `None` when it is not.
    pub fn protection_reason(&self, sheet: usize, row: u32, col: u32) -> Option<String> {
        if !self.is_protected(sheet, row, col) {
            return None;
        }
        let layout = self.sheets.get(sheet)?;
        if layout.header_row == Some(row) {
            return Some(
                "Это строка заголовков: СГО находит столбцы по их названиям, менять их нельзя."
                    .into(),
            );
        }
        let column = layout.column(col)?;
        Some(match column.field {
            Some(f @ (Field::Surname | Field::Name | Field::Patronymic | Field::BirthDate)) => {
                format!(
                    "«{}» ученика не меняют в файле: по ФИО и дате рождения СГО находит ученика при загрузке. Исправьте карточку в СГО вручную («Управление > Ученики > карточка ученика»).",
                    f.label_ru()
                )
            }
            _ => format!(
                "Столбец «{}» защищён профилем сопоставления столбцов.",
                column.header
            ),
        })
    }

    /// The person whose card holds the cell, if any.
    pub fn person_at(&self, cell: crate::book::CellRef) -> Option<&Person> {
        let layout = self.sheets.get(cell.sheet)?;
        let group = layout.column(cell.col).map(|c| c.group);
        self.people
            .iter()
            .find(|p| p.sheet == cell.sheet && p.row == cell.row && Some(p.group) == group)
    }

    /// A short description of where a person is, for messages: `лист «Ученики», строка 66`.
    pub fn place_ru(&self, person: &Person) -> String {
        let name = self
            .sheets
            .get(person.sheet)
            .map_or("?", |l| l.name.as_str());
        let group = person
            .group
            .and_then(|g| self.sheets.get(person.sheet)?.groups.get(g))
            .map(|g| format!(", {}", g.label))
            .unwrap_or_default();
        format!("лист «{name}», строка {}{group}", person.row + 1)
    }
}

/// The value of a cell as text (dates as `dd.mm.yyyy`), `None` when empty or blank.
pub fn cell_text(grid: &Grid, row: u32, col: u32) -> Option<String> {
    cell_str(grid, row, col).map(std::borrow::Cow::into_owned)
}

/// As [`cell_text`], borrowing the text of a text cell instead of copying it.
pub fn cell_str(grid: &Grid, row: u32, col: u32) -> Option<std::borrow::Cow<'_, str>> {
    let s = match grid.get(row, col)? {
        CellValue::Text(t) => std::borrow::Cow::Borrowed(&**t),
        other => std::borrow::Cow::Owned(other.display()),
    };
    if s.trim().is_empty() { None } else { Some(s) }
}

/// Header text normalised for recognition: lower case, ё → е, punctuation → spaces.
pub fn normalize_header(s: &str) -> String {
    let lowered: String = s
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'ё' => 'е',
            c if c.is_alphanumeric() => c,
            _ => ' ',
        })
        .collect();
    lowered.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The field a (group-free) header names.
pub fn field_of_header(h: &str) -> Option<Field> {
    let h = normalize_header(h);
    let words: Vec<&str> = h.split(' ').collect();
    let has = |w: &str| words.contains(&w);
    let starts = |p: &str| words.iter().any(|x| x.starts_with(p));
    Some(match h.as_str() {
        "фамилия" => Field::Surname,
        "имя" => Field::Name,
        "отчество" => Field::Patronymic,
        "пол" => Field::Sex,
        "снилс" => Field::Snils,
        "др" | "д р" | "дата рожд" => Field::BirthDate,
        _ if has("снилс") || h.contains("страховой номер") => Field::Snils,
        _ if h.contains("дата рожд") || h.contains("дата р ") => Field::BirthDate,
        _ if starts("телефон") || has("тел") || h.contains("сотов") || h == "мобильный" => {
            Field::Phone
        }
        _ if has("e") && has("mail")
            || starts("email")
            || h.contains("почта")
            || h.contains("почты") =>
        {
            Field::Email
        }
        _ if has("фамилия") && words.len() <= 2 => Field::Surname,
        _ if has("отчество") && words.len() <= 2 => Field::Patronymic,
        _ if has("имя") && words.len() <= 2 => Field::Name,
        _ => return None,
    })
}

/// Splits a header into a parent-group label and the rest: `Родитель 1: Фамилия` →
/// (`Родитель 1`, `Фамилия`), `Фамилия матери` → (`Мать`, `Фамилия`).
fn split_group(header: &str) -> Option<(String, String)> {
    let trimmed = header.trim();
    if let Some((left, right)) = trimmed.split_once(':')
        && is_group_label(left)
    {
        return Some((left.trim().to_string(), right.trim().to_string()));
    }
    let n = normalize_header(trimmed);
    let words: Vec<&str> = n.split(' ').collect();
    let first = *words.first()?;
    let numbered = ["родитель", "представитель", "законный"];
    if numbered.contains(&first) {
        // `Родитель 1 Фамилия`, `Законный представитель 2 Имя`
        let mut k = 1;
        if first == "законный" && words.get(1) == Some(&"представитель") {
            k = 2;
        }
        let num = words
            .get(k)
            .filter(|w| w.chars().all(|c| c.is_ascii_digit()));
        let label_words = if num.is_some() { k + 1 } else { k };
        let label = words.get(..label_words)?.join(" ");
        let rest = words.get(label_words..)?.join(" ");
        if !rest.is_empty() {
            return Some((capitalize(&label), rest));
        }
    }
    for (word, label) in [
        ("мать", "Мать"),
        ("отец", "Отец"),
        ("опекун", "Опекун"),
        ("матери", "Мать"),
        ("отца", "Отец"),
        ("опекуна", "Опекун"),
    ] {
        if words.len() >= 2 {
            if first == word {
                return Some((label.into(), words.get(1..)?.join(" ")));
            }
            if words.last() == Some(&word) {
                return Some((label.into(), words.get(..words.len() - 1)?.join(" ")));
            }
        }
    }
    // `Фамилия родителя 1`
    if let Some(pos) = words.iter().position(|w| *w == "родителя")
        && pos > 0
    {
        {
            let num = words.get(pos + 1).copied().unwrap_or("");
            let label = format!("Родитель {num}").trim().to_string();
            return Some((label, words.get(..pos)?.join(" ")));
        }
    }
    None
}

fn is_group_label(s: &str) -> bool {
    let n = normalize_header(s);
    [
        "родитель",
        "представитель",
        "законный",
        "мать",
        "отец",
        "опекун",
    ]
    .iter()
    .any(|p| n.starts_with(p))
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn is_child_ref(header: &str) -> bool {
    let n = normalize_header(header);
    ["ребен", "ребён", "ученик", "обучающ", "учащ"]
        .iter()
        .any(|p| n.contains(p))
}

fn role_of_sheet(name: &str) -> Role {
    let n = normalize_header(name);
    if ["сотрудник", "персонал", "учител", "педагог", "работник"]
        .iter()
        .any(|p| n.contains(p))
    {
        Role::Staff
    } else if ["родител", "представител"].iter().any(|p| n.contains(p)) {
        Role::Parent
    } else {
        Role::Pupil
    }
}

/// Columns as read from one candidate header row.
fn read_columns(grid: &Grid, row: u32) -> (Vec<Column>, Vec<Group>) {
    let mut columns = Vec::new();
    let mut groups: Vec<Group> = Vec::new();
    for (col, v) in grid.row(row) {
        let CellValue::Text(header) = v else { continue };
        if header.trim().is_empty() {
            continue;
        }
        let (group, field) = match split_group(header) {
            Some((label, rest)) => {
                let idx = match groups.iter().position(|g| g.label == label) {
                    Some(i) => i,
                    None => {
                        groups.push(Group {
                            label,
                            role: Role::Parent,
                        });
                        groups.len() - 1
                    }
                };
                (Some(idx), field_of_header(&rest))
            }
            None => (None, field_of_header(header)),
        };
        columns.push(Column {
            col,
            header: header.to_string(),
            field,
            group,
            protected: false,
            child_ref: group.is_none() && field.is_none() && is_child_ref(header),
        });
    }
    // A field seen twice in one group: keep the first as that field.
    let mut seen = std::collections::HashSet::new();
    for c in &mut columns {
        if let Some(f) = c.field
            && !seen.insert((c.group, f))
        {
            c.field = None;
        }
    }
    // Drop groups that name no field at all (e.g. a lone `Родитель 1: Степень родства`).
    (columns, groups)
}

fn detect_sheet(sheet: usize, grid: &Grid) -> SheetLayout {
    let mut best: Option<(usize, u32)> = None;
    for row in 0..HEADER_SEARCH_ROWS.min(grid.height()) {
        let (cols, _) = read_columns(grid, row);
        let n = cols.iter().filter(|c| c.field.is_some()).count();
        if n >= 2 && best.is_none_or(|(b, _)| n > b) {
            best = Some((n, row));
        }
    }
    let role = role_of_sheet(&grid.name);
    let mut layout = SheetLayout {
        sheet,
        name: grid.name.clone(),
        header_row: None,
        columns: Vec::new(),
        groups: Vec::new(),
        role,
        confident: false,
        signature: String::new(),
    };
    if let Some((_, row)) = best {
        let (columns, groups) = read_columns(grid, row);
        layout.header_row = Some(row);
        layout.columns = columns;
        layout.groups = groups;
        layout.signature = signature(grid, row);
    }
    finish_layout(&mut layout, &[]);
    layout
}

/// Normalised header texts joined with `|`.
pub fn signature(grid: &Grid, row: u32) -> String {
    grid.row(row)
        .map(|(_, v)| normalize_header(&v.display()))
        .collect::<Vec<_>>()
        .join("|")
}

/// Sets protection and confidence from the columns.
fn finish_layout(layout: &mut SheetLayout, extra_protected: &[u32]) {
    let pupil_sheet = layout.role == Role::Pupil;
    for c in &mut layout.columns {
        let pupil_identity = pupil_sheet
            && c.group.is_none()
            && matches!(
                c.field,
                Some(Field::Surname | Field::Name | Field::Patronymic | Field::BirthDate)
            );
        c.protected = pupil_identity || extra_protected.contains(&c.col);
    }
    let has = |f| layout.column_of(None, f).is_some();
    layout.confident = layout.header_row.is_some()
        && has(Field::Surname)
        && has(Field::Name)
        && (has(Field::BirthDate) || has(Field::Snils));
}

fn apply_profile(layout: &mut SheetLayout, grid: &Grid, p: &Profile) {
    if let Some(row) = p.header_row
        && layout.header_row != Some(row)
    {
        {
            let (columns, groups) = read_columns(grid, row);
            layout.header_row = Some(row);
            layout.columns = columns;
            layout.groups = groups;
            layout.signature = signature(grid, row);
        }
    }
    if let Some(role) = p.role {
        layout.role = role;
    }
    if p.only_listed {
        for c in &mut layout.columns {
            c.field = None;
            c.group = None;
        }
    }
    for pc in &p.columns {
        // A profile column may name a column with an empty header.
        let header = grid
            .get(layout.header_row.unwrap_or(0), pc.col)
            .map(CellValue::display)
            .unwrap_or_default();
        // A field may be in one column only (per group).
        for c in &mut layout.columns {
            if c.col != pc.col && c.group == pc.group && c.field == pc.field && pc.field.is_some() {
                c.field = None;
            }
        }
        match layout.columns.iter_mut().find(|c| c.col == pc.col) {
            Some(c) => {
                c.field = pc.field;
                c.group = pc.group;
            }
            None => layout.columns.push(Column {
                col: pc.col,
                header,
                field: pc.field,
                group: pc.group,
                protected: false,
                child_ref: false,
            }),
        }
        if let Some(g) = pc.group {
            while layout.groups.len() <= g {
                let n = layout.groups.len() + 1;
                layout.groups.push(Group {
                    label: format!("Родитель {n}"),
                    role: Role::Parent,
                });
            }
        }
    }
    for (i, g) in p.groups.iter().enumerate() {
        if let Some(slot) = layout.groups.get_mut(i) {
            *slot = g.clone();
        } else {
            layout.groups.push(g.clone());
        }
    }
    layout.columns.sort_by_key(|c| c.col);
    finish_layout(layout, &p.protected);
    if layout.header_row.is_some() && !p.columns.is_empty() {
        layout.confident = true;
    }
}

fn find_people(layout: &SheetLayout, grid: &Grid) -> Vec<Person> {
    let Some(header) = layout.header_row else {
        return Vec::new();
    };
    let mut owners: Vec<(Option<usize>, Role)> = vec![(None, layout.role)];
    owners.extend(
        layout
            .groups
            .iter()
            .enumerate()
            .map(|(i, g)| (Some(i), g.role)),
    );
    let owners: Vec<(Option<usize>, Role, PersonColumns)> = owners
        .into_iter()
        .map(|(group, role)| {
            let cols: BTreeMap<Field, u32> = layout
                .columns
                .iter()
                .filter(|c| c.group == group)
                .filter_map(|c| Some((c.field?, c.col)))
                .collect();
            (group, role, std::sync::Arc::new(cols))
        })
        .collect();
    let mut out = Vec::new();
    for row in header + 1..grid.height() {
        for (group, role, cols) in &owners {
            let identifies = [Field::Surname, Field::Name, Field::Snils].iter().any(|f| {
                cols.get(f)
                    .is_some_and(|&c| cell_str(grid, row, c).is_some())
            });
            if identifies {
                out.push(Person {
                    role: *role,
                    sheet: layout.sheet,
                    row,
                    group: *group,
                    cols: cols.clone(),
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(rows: &[&[&str]]) -> Grid {
        Grid::from_text("Ученики", rows)
    }

    #[test]
    fn headers_and_synonyms() {
        let cases = [
            ("Фамилия", Some(Field::Surname)),
            ("  ИМЯ ", Some(Field::Name)),
            ("Отчество", Some(Field::Patronymic)),
            ("Дата рождения", Some(Field::BirthDate)),
            ("Дата рожд.", Some(Field::BirthDate)),
            ("Д.Р.", Some(Field::BirthDate)),
            ("Пол", Some(Field::Sex)),
            ("СНИЛС", Some(Field::Snils)),
            ("Номер СНИЛС", Some(Field::Snils)),
            ("Страховой номер (СНИЛС)", Some(Field::Snils)),
            ("Мобильный телефон", Some(Field::Phone)),
            ("Телефон", Some(Field::Phone)),
            ("Тел.", Some(Field::Phone)),
            ("Сотовый", Some(Field::Phone)),
            ("E-mail", Some(Field::Email)),
            ("Email", Some(Field::Email)),
            ("Эл. почта", Some(Field::Email)),
            ("Адрес электронной почты", Some(Field::Email)),
            ("Класс", None),
            ("№", None),
            ("Адрес регистрации", None),
            ("Степень родства", None),
            ("Код", None),
        ];
        for (h, want) in cases {
            assert_eq!(field_of_header(h), want, "{h}");
        }
    }

    #[test]
    fn parent_groups_in_several_spellings() {
        let cases = [
            ("Родитель 1: Фамилия", "Родитель 1", "Фамилия"),
            ("Родитель 2: E-mail", "Родитель 2", "E-mail"),
            ("Мать: СНИЛС", "Мать", "СНИЛС"),
            ("Мать Фамилия", "Мать", "фамилия"),
            ("Фамилия матери", "Мать", "фамилия"),
            ("СНИЛС отца", "Отец", "снилс"),
            (
                "Законный представитель 1 Имя",
                "Законный представитель 1",
                "имя",
            ),
            ("Фамилия родителя 2", "Родитель 2", "фамилия"),
        ];
        for (h, label, rest) in cases {
            assert_eq!(
                split_group(h),
                Some((label.to_string(), rest.to_string())),
                "{h}"
            );
        }
        assert_eq!(split_group("Фамилия"), None);
        assert_eq!(split_group("Дата рождения"), None);
    }

    #[test]
    fn header_below_a_title_and_parent_groups() {
        let g = grid(&[
            &["Пакетное обновление: полные сведения"],
            &[],
            &[
                "Код",
                "Фамилия",
                "Имя",
                "Дата рождения",
                "СНИЛС",
                "Мать: Фамилия",
                "Мать: Имя",
                "Мать: СНИЛС",
            ],
            &[
                "1",
                "Иванов",
                "Пётр",
                "01.02.2015",
                "",
                "Иванова",
                "Анна",
                "",
            ],
            &["2", "Петров", "Иван", "", "", "", "", ""],
        ]);
        let s = Schema::detect(&[g], &[]);
        let l = &s.sheets[0];
        assert_eq!(l.header_row, Some(2));
        assert!(l.confident);
        assert_eq!(l.groups.len(), 1);
        assert_eq!(l.column_of(Some(0), Field::Snils), Some(7));
        assert_eq!(s.people.len(), 3);
        assert_eq!(s.people[1].group, Some(0));
        assert_eq!(s.people[1].role, Role::Parent);
        assert!(s.is_protected(0, 3, 1), "pupil surname");
        assert!(!s.is_protected(0, 3, 5), "parent surname is editable");
        assert!(!s.is_protected(0, 3, 4), "pupil СНИЛС is editable");
        assert!(s.is_protected(0, 2, 4), "header row");
        assert!(!s.is_protected(0, 0, 0), "title row");
        assert!(
            s.protection_reason(0, 3, 2)
                .is_some_and(|m| m.contains("Имя"))
        );
    }

    #[test]
    fn separate_parents_and_staff_sheets() {
        let mut parents = grid(&[
            &["Фамилия", "Имя", "Отчество", "СНИЛС", "Ребёнок"],
            &["Сидорова", "Анна", "Петровна", "", "Сидоров Олег"],
        ]);
        parents.name = "Родители".into();
        let mut staff = grid(&[&["Фамилия", "Имя", "Дата рождения"], &["Козлов", "Ян", ""]]);
        staff.name = "Сотрудники".into();
        let s = Schema::detect(&[parents, staff], &[]);
        assert_eq!(s.sheets[0].role, Role::Parent);
        assert!(s.sheets[0].columns[4].child_ref);
        assert!(!s.is_protected(0, 1, 0), "parents' names are not protected");
        assert_eq!(s.sheets[1].role, Role::Staff);
        assert_eq!(
            s.people.iter().map(|p| p.role).collect::<Vec<_>>(),
            [Role::Parent, Role::Staff]
        );
    }

    #[test]
    fn a_profile_maps_unknown_headers_and_protects_more() {
        let g = grid(&[
            &["Ф", "И", "Страх. №", "Класс"],
            &["Иванов", "Пётр", "112-233-445 95", "1А"],
        ]);
        let detected = Schema::detect(std::slice::from_ref(&g), &[]);
        assert_eq!(detected.sheets[0].header_row, None);
        assert!(detected.people.is_empty());
        let profile: Profile = serde_json::from_str(
            r#"{"sheet": "Ученики", "header_row": 0,
                "columns": [{"col": 0, "field": "surname"}, {"col": 1, "field": "name"},
                            {"col": 2, "field": "snils"}],
                "protected": [3]}"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let s = Schema::detect(&[g], &[profile]);
        assert_eq!(s.sheets[0].column_of(None, Field::Snils), Some(2));
        assert_eq!(s.people.len(), 1);
        assert!(s.is_protected(0, 1, 3));
        assert!(s.is_protected(0, 1, 0));
        assert!(!s.is_protected(0, 1, 2));
    }
}
