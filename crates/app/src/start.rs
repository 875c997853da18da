//! The start screen, shown while no export is open: what to do first, open an export or the
//! demo, and the recent files.

use eframe::egui;

use super::SverkaApp;

impl SverkaApp {
    /// The start screen.
    pub(super) fn start_screen(&mut self, ui: &mut egui::Ui) {
        ui.vertical_centered(|ui| {
            ui.add_space(40.0);
            ui.heading("sverka — сверка карточек «Сетевого города» с Госуслугами");
            ui.add_space(8.0);
            ui.label("Откройте выгрузку класса из СГО («Управление > Ученики > Пакетное обновление > 1. Выгрузка данных»),");
            ui.label("затем загрузите или вставьте обращения с платформы обратной связи (ПОС).");
            ui.add_space(20.0);
            if ui
                .add(egui::Button::new("Открыть выгрузку (.xls)").min_size(egui::vec2(260.0, 36.0)))
                .clicked()
            {
                self.choose_export();
            }
            ui.add_space(6.0);
            if ui
                .add(egui::Button::new("Открыть пример").min_size(egui::vec2(260.0, 36.0)))
                .clicked()
            {
                self.open_demo();
            }
            ui.add_space(6.0);
            ui.label("…или перетащите файлы выгрузки и обращений в это окно.");
            if !self.recent.is_empty() {
                ui.add_space(20.0);
                ui.label(egui::RichText::new("Недавние файлы").strong());
                let mut open = None;
                for p in &self.recent {
                    if ui.link(p.display().to_string()).clicked() {
                        open = Some(p.clone());
                    }
                }
                if let Some(p) = open {
                    self.open_paths(vec![p]);
                }
            }
            ui.add_space(20.0);
            ui.small("Данные не покидают компьютер. Исходная выгрузка никогда не перезаписывается.");
        });
    }
}
