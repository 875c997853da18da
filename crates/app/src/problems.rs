//! The problems panel: first «Вручную в СГО», every appeal's work by hand in СГО in one
//! list; then the audit's and the appeals' findings grouped by kind, with counts; clicking one
//! selects its cell; «Исправить все такие» applies a group's suggestions at once (one
//! undoable step).

use std::collections::BTreeMap;

use eframe::egui::{self, RichText};

use super::SverkaApp;
use crate::action::{Action, AppealAct};
use sverka_core::session::{Kind, Severity};
use sverka_core::xls::a1;

/// Findings listed per group (the rest is counted).
const MAX_LISTED: usize = 300;

/// The problems panel; returns what the officer clicked.
pub fn show(app: &SverkaApp, ui: &mut egui::Ui) -> Vec<Action> {
    ui.heading("Проблемы");
    let Some(s) = &app.workspace.session else {
        return Vec::new();
    };
    let mut acts = manual_todo(s, ui);
    let mut groups: BTreeMap<Kind, Vec<&sverka_core::session::Finding>> = BTreeMap::new();
    for f in s.findings() {
        groups.entry(f.kind).or_default().push(f);
    }
    if groups.is_empty() {
        ui.label("Проблем не найдено.");
        return acts;
    }
    let names = s.book().sheet_names();
    let mut go = None;
    let mut fix_kind = None;
    egui::ScrollArea::vertical()
        .id_salt("problems")
        .show(ui, |ui| {
            for kind in Kind::ALL {
                let Some(list) = groups.get(&kind) else {
                    continue;
                };
                let worst = list
                    .iter()
                    .map(|f| f.severity)
                    .min()
                    .unwrap_or(Severity::Info);
                let color = match worst {
                    Severity::Error => egui::Color32::from_rgb(200, 50, 50),
                    Severity::Warning => egui::Color32::from_rgb(200, 130, 0),
                    Severity::Info => egui::Color32::from_rgb(60, 120, 200),
                };
                let title =
                    RichText::new(format!("{} ({})", kind.label_ru(), list.len())).color(color);
                egui::CollapsingHeader::new(title)
                    .id_salt(("kind", kind))
                    .show(ui, |ui| {
                        let plan = s.bulk_plan(kind);
                        if plan.fixable > 0
                            && ui
                                .button(format!("Исправить все такие ({})", plan.fixable))
                                .on_hover_text("Одним шагом; Ctrl+Z отменит")
                                .clicked()
                        {
                            fix_kind = Some(kind);
                        }
                        if plan.fixable > 0
                            && let Some(left) = plan.left_out_ru()
                        {
                            ui.add(egui::Label::new(RichText::new(left).small()).wrap());
                        }
                        for f in list.iter().take(MAX_LISTED) {
                            // Whose cell it is first: the officer thinks in people.
                            let who = s.person_at(f.cell).unwrap_or_else(|| "—".into());
                            let sheet = if names.len() > 1 {
                                format!("{}!", names.get(f.cell.sheet).copied().unwrap_or(""))
                            } else {
                                String::new()
                            };
                            let text = format!(
                                "{who} ({sheet}{}): {}",
                                a1(f.cell.row, f.cell.col),
                                f.message
                            );
                            let r = ui
                                .selectable_label(app.workspace.selected == Some(f.cell), text)
                                .on_hover_text(
                                    f.suggestion
                                        .as_deref()
                                        .map(|sg| format!("Предлагается: «{sg}»"))
                                        .unwrap_or_else(|| "Исправьте вручную".into()),
                                );
                            if r.clicked() {
                                go = Some(f.cell);
                            }
                        }
                        if list.len() > MAX_LISTED {
                            ui.small(format!("…и ещё {}", list.len() - MAX_LISTED));
                        }
                    });
            }
        });
    acts.extend(go.map(Action::GoTo));
    acts.extend(fix_kind.map(Action::FixAllOfKind));
    acts
}

/// «Вручную в СГО»: what every appeal still needs done by hand in the СГО card, with the
/// appeal to show and the mark that it is done.
fn manual_todo(s: &sverka_core::session::Session, ui: &mut egui::Ui) -> Vec<Action> {
    let todo = s.manual_todo();
    let mut acts = Vec::new();
    if todo.is_empty() {
        return acts;
    }
    egui::CollapsingHeader::new(
        RichText::new(format!("Вручную в СГО ({})", todo.len()))
            .strong()
            .color(egui::Color32::from_rgb(200, 50, 50)),
    )
    .id_salt("manual_todo")
    .default_open(true)
    .show(ui, |ui| {
        egui::ScrollArea::vertical()
            .id_salt("manual_todo_list")
            .max_height(220.0)
            .show(ui, |ui| {
                for item in &todo {
                    ui.label(RichText::new(&item.title).strong());
                    for step in &item.steps {
                        ui.add(egui::Label::new(format!("• {step}")).wrap());
                    }
                    // (Wrapped: two buttons side by side are wider than a narrow panel.)
                    ui.horizontal_wrapped(|ui| {
                        if ui.small_button("Показать обращение").clicked() {
                            acts.push(Action::SelectAppeal(item.id));
                        }
                        if ui
                            .small_button("Исправлено в СГО вручную")
                            .on_hover_text("Отметьте, когда это сделано в карточке в СГО")
                            .clicked()
                        {
                            acts.push(Action::Appeal(item.id, AppealAct::ByHand));
                        }
                    });
                    ui.add_space(4.0);
                }
            });
    });
    ui.separator();
    acts
}
