//! The problems panel: the audit's and the appeals' findings grouped by kind, with counts;
//! clicking one selects its cell; «Исправить все такие» applies a group's suggestions at once
//! (one undoable step).

use std::collections::BTreeMap;

use eframe::egui::{self, RichText};

use super::SverkaApp;
use crate::action::Action;
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
    let mut groups: BTreeMap<Kind, Vec<&sverka_core::session::Finding>> = BTreeMap::new();
    for f in s.findings() {
        groups.entry(f.kind).or_default().push(f);
    }
    if groups.is_empty() {
        ui.label("Проблем не найдено.");
        return Vec::new();
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
    go.map(Action::GoTo)
        .into_iter()
        .chain(fix_kind.map(Action::FixAllOfKind))
        .collect()
}
