//! The appeals panel: paste or load ПОС cards, the list with statuses and stages (counted and
//! filtered), and for the selected appeal a side-by-side card — field | Госуслуги | СГО |
//! verdict — with fixes, the steps of the procedure the officer has taken, and the reply draft.
//! This file holds the paste box and the list; [`card`] the card, [`act`] what its buttons do.

mod act;
mod card;

pub(crate) use act::run;

use eframe::egui::{self, Color32};

use super::SverkaApp;
use crate::action::Action;
use sverka_core::session::AppealId;
use sverka_core::session::Outcome;
use sverka_core::session::Stage;
use sverka_core::session::Status;

const GREEN: Color32 = Color32::from_rgb(40, 150, 60);
const AMBER: Color32 = Color32::from_rgb(200, 140, 0);
const RED: Color32 = Color32::from_rgb(200, 50, 50);

/// Which appeals the list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ListFilter {
    #[default]
    /// Every appeal.
    All,
    /// Appeals whose person is not in the export.
    NotFound,
    /// Appeals with several equally likely people.
    Ambiguous,
    /// Appeals at one stage of the procedure.
    Stage(Stage),
    /// Appeals with one cause beyond the fields (a diagnosis kind: `account_not_confirmed`…).
    Cause(&'static str),
}

/// The causes the list can be filtered by, with their names in the filter.
const CAUSES: [(&str, &str); 5] = [
    ("account_not_confirmed", "учётная запись не подтверждена"),
    ("child_not_linked", "ребёнок не привязан"),
    ("duplicate_cards", "две карточки"),
    ("staff_not_in_export", "сотрудник"),
    ("no_cause_found", "причина не найдена"),
];

impl ListFilter {
    fn label(self) -> &'static str {
        match self {
            ListFilter::All => "все",
            ListFilter::NotFound => "не найден",
            ListFilter::Ambiguous => "несколько кандидатов",
            ListFilter::Stage(s) => s.label_ru(),
            ListFilter::Cause(kind) => CAUSES
                .iter()
                .find(|(k, _)| *k == kind)
                .map_or(kind, |(_, l)| l),
        }
    }

    /// Whether the filter keeps an appeal; `causes` are the kinds of its diagnoses.
    fn keeps(self, o: &Outcome, causes: &[&'static str]) -> bool {
        match self {
            ListFilter::All => true,
            ListFilter::NotFound => {
                o.result.status == Status::NotFound && o.progress.choice.is_none()
            }
            ListFilter::Ambiguous => {
                o.result.status == Status::Ambiguous && o.progress.choice.is_none()
            }
            ListFilter::Stage(s) => o.progress.stage == s,
            ListFilter::Cause(kind) => causes.contains(&kind),
        }
    }
}

/// The order of the appeals list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ListSort {
    /// As loaded.
    #[default]
    Loaded,
    /// By the person's name.
    Person,
    /// By stage, the newest first.
    Stage,
}

impl ListSort {
    const ALL: [ListSort; 3] = [ListSort::Loaded, ListSort::Person, ListSort::Stage];

    fn label(self) -> &'static str {
        match self {
            ListSort::Loaded => "загрузки",
            ListSort::Person => "по ФИО",
            ListSort::Stage => "по этапу",
        }
    }
}

/// Whether every word of `query` is in the appeal's person, message numbers or source.
fn appeal_matches(o: &Outcome, query: &str) -> bool {
    let fold = |t: &str| t.to_lowercase().replace('ё', "е");
    let hay = fold(&format!(
        "{} {} {} {}",
        o.appeal.title(),
        o.appeal.number.as_deref().unwrap_or(""),
        o.appeal.epgu_number.as_deref().unwrap_or(""),
        o.appeal.source
    ));
    fold(query).split_whitespace().all(|w| hay.contains(w))
}

/// Each appeal's diagnosis kinds, as of a version of the session; and the pupil each appeal's
/// message names, as of the list of appeals.
#[derive(Default)]
pub struct AppealCauses {
    kinds: Option<(u64, std::collections::HashMap<AppealId, Vec<&'static str>>)>,
    children: Option<(Vec<AppealId>, Vec<Option<sverka_core::session::Place>>)>,
}

impl AppealCauses {
    fn of(&self, id: AppealId) -> &[&'static str] {
        self.kinds
            .as_ref()
            .and_then(|(_, m)| m.get(&id))
            .map_or(&[], Vec::as_slice)
    }
}

/// Works the appeals' causes out again when the session changed (the filter's counts ask for
/// every appeal every frame): the children the messages name only when the list changed,
/// each appeal's diagnosis against the export's card index.
pub(crate) fn refresh_causes(app: &mut SverkaApp) {
    let Some(s) = &app.workspace.session else {
        return;
    };
    let causes = &mut app.workspace.causes;
    let list_changed = causes
        .children
        .as_ref()
        .is_none_or(|(ids, _)| ids != s.appeal_ids());
    let same_version = causes
        .kinds
        .as_ref()
        .is_some_and(|(v, _)| *v == s.version());
    if same_version && !list_changed {
        return;
    }
    if list_changed {
        causes.children = Some((s.appeal_ids().to_vec(), s.appeal_children()));
    }
    let children = causes
        .children
        .as_ref()
        .map(|(_, c)| c.as_slice())
        .unwrap_or_default();
    let map = s
        .appeal_ids()
        .iter()
        .enumerate()
        .map(|(i, &id)| {
            let child = children.get(i).copied().flatten();
            (
                id,
                s.diagnoses(id, child).iter().map(|x| x.kind()).collect(),
            )
        })
        .collect();
    causes.kinds = Some((s.version(), map));
}

/// The appeal's status as the officer reads it: a hand-made choice is never «найден».
pub fn status_text(o: &Outcome) -> (&'static str, Color32) {
    if o.progress.choice.is_some() {
        return ("выбран вручную", AMBER);
    }
    let color = match o.result.status {
        Status::Matched => GREEN,
        Status::Ambiguous => AMBER,
        Status::NotFound => RED,
    };
    (o.result.status.label_ru(), color)
}

/// The appeals panel; returns what the officer clicked.
pub fn show(app: &mut SverkaApp, ui: &mut egui::Ui) -> Vec<Action> {
    let mut acts = paste_box(app, ui);
    let Some(s) = &app.workspace.session else {
        return acts;
    };
    if s.outcomes().is_empty() {
        ui.label("Обращений пока нет. Вставьте текст карточки, перетащите файлы или нажмите «Из файлов…».");
        return acts;
    }
    refresh_causes(app);
    if let Some(f) = counters(app, ui) {
        app.workspace.appeal_filter = f;
    }
    search_and_order(app, ui);
    let (select, remove) = list(app, ui);
    ui.separator();
    if let Some(id) = select {
        acts.push(Action::SelectAppeal(id));
    }
    if let Some(id) = remove {
        acts.push(Action::RemoveAppeal(id));
        return acts;
    }
    acts.extend(card::card(app, ui));
    acts
}

/// The paste box and «Из файлов…».
fn paste_box(app: &mut SverkaApp, ui: &mut egui::Ui) -> Vec<Action> {
    let mut acts = Vec::new();
    ui.heading("Обращения");
    let paste_label = ui.label("Вставьте карточку обращения из ПОС:");
    ui.add(
        egui::TextEdit::multiline(&mut app.paste)
            .desired_rows(2)
            .desired_width(f32::INFINITY)
            .hint_text("Фамилия … Имя … Дата рождения … СНИЛС …"),
    )
    .labelled_by(paste_label.id);
    ui.horizontal(|ui| {
        if ui
            .add_enabled(
                !app.paste.trim().is_empty(),
                egui::Button::new("Добавить обращение"),
            )
            .clicked()
        {
            acts.push(Action::Paste(app.paste.clone()));
        }
        if ui.button("Из файлов…").clicked() {
            acts.push(Action::ChooseAppeals);
        }
    });
    ui.separator();
    acts
}

/// Counts by status and stage, on lines of a fixed height whatever the numbers (a wrapping
/// row of counters moved everything below it): the filter to choose from, and one line of
/// the stages reached. Returns the filter chosen.
fn counters(app: &SverkaApp, ui: &mut egui::Ui) -> Option<ListFilter> {
    let s = app.workspace.session.as_ref()?;
    let mut filters = vec![ListFilter::All, ListFilter::NotFound, ListFilter::Ambiguous];
    filters.extend(Stage::ALL.map(ListFilter::Stage));
    filters.extend(CAUSES.map(|(k, _)| ListFilter::Cause(k)));
    let causes = &app.workspace.causes;
    let count = |f: ListFilter| {
        s.outcomes()
            .iter()
            .zip(s.appeal_ids())
            .filter(|(o, id)| f.keeps(o, causes.of(**id)))
            .count()
    };
    let mut set_filter = None;
    ui.horizontal(|ui| {
        let l = ui.label("Показать:");
        let now = app.workspace.appeal_filter;
        egui::ComboBox::from_id_salt("appeal_filter")
            .selected_text(format!("{}: {}", now.label(), count(now)))
            .show_ui(ui, |ui| {
                for f in filters.iter().copied() {
                    if ui
                        .selectable_label(now == f, format!("{}: {}", f.label(), count(f)))
                        .clicked()
                    {
                        set_filter = Some(f);
                    }
                }
            })
            .response
            .labelled_by(l.id)
            .on_hover_text("Показать только обращения с этим статусом или на этом этапе");
    });
    let summary: Vec<String> = filters
        .iter()
        .skip(1)
        .map(|&f| (f, count(f)))
        .filter(|&(_, n)| n > 0)
        .map(|(f, n)| format!("{} {n}", f.label()))
        .collect();
    let summary = summary.join(" · ");
    ui.add(egui::Label::new(egui::RichText::new(&summary).small()).truncate())
        .on_hover_text(summary);
    set_filter
}

/// The list's search (every word in the person, the message numbers or the source) and
/// order.
fn search_and_order(app: &mut SverkaApp, ui: &mut egui::Ui) {
    ui.horizontal(|ui| {
        let l = ui.label("Найти:");
        ui.add(
            egui::TextEdit::singleline(&mut app.workspace.appeal_query)
                .hint_text("ФИО, номер сообщения")
                .desired_width(ui.available_width() - 170.0),
        )
        .labelled_by(l.id);
        let l = ui.label("Порядок:");
        egui::ComboBox::from_id_salt("appeal_sort")
            .width(90.0)
            .selected_text(app.workspace.appeal_sort.label())
            .show_ui(ui, |ui| {
                for o in ListSort::ALL {
                    ui.selectable_value(&mut app.workspace.appeal_sort, o, o.label());
                }
            })
            .response
            .labelled_by(l.id);
    });
}

/// The appeals the filter and the search keep, in the order chosen; returns the appeal
/// clicked and the one to remove («×»).
fn list(app: &SverkaApp, ui: &mut egui::Ui) -> (Option<AppealId>, Option<AppealId>) {
    let Some(s) = &app.workspace.session else {
        return (None, None);
    };
    let mut shown: Vec<(&Outcome, AppealId)> = s
        .outcomes()
        .iter()
        .zip(s.appeal_ids().iter().copied())
        .filter(|(o, id)| {
            app.workspace
                .appeal_filter
                .keeps(o, app.workspace.causes.of(*id))
        })
        .filter(|(o, _)| appeal_matches(o, &app.workspace.appeal_query))
        .collect();
    match app.workspace.appeal_sort {
        ListSort::Loaded => {}
        ListSort::Person => shown.sort_by_key(|(o, _)| o.appeal.title().to_lowercase()),
        ListSort::Stage => shown.sort_by_key(|(o, _)| std::cmp::Reverse(o.progress.stage)),
    }
    if shown.is_empty() {
        ui.small("Ни одно обращение не подходит под поиск и фильтр.");
    }
    let mut select = None;
    let mut remove = None;
    egui::ScrollArea::vertical()
        .id_salt("appeal_list")
        .max_height(150.0)
        .show(ui, |ui| {
            for (o, id) in shown {
                ui.horizontal(|ui| {
                    let (status, color) = status_text(o);
                    if ui
                        .small_button("×")
                        .on_hover_text("Убрать из списка")
                        .clicked()
                    {
                        remove = Some(id);
                    }
                    ui.colored_label(color, "•").on_hover_text(status);
                    let stage = match s.stage_elsewhere(id) {
                        Some(_) => format!("{} (в другом файле)", o.progress.stage.label_ru()),
                        None => o.progress.stage.label_ru().to_string(),
                    };
                    let text = format!("{} — {status}, {stage}", o.appeal.title());
                    // Long names are cut to the panel's width (the whole title is on hover)
                    // so that the panel does not push the grid aside.
                    if ui
                        .add(
                            egui::Button::selectable(
                                app.workspace.selected_appeal == Some(id),
                                text.as_str(),
                            )
                            .truncate(),
                        )
                        .on_hover_text(&text)
                        .clicked()
                    {
                        select = Some(id);
                    }
                });
            }
        });
    (select, remove)
}
