//! The built-in guide (F1): the officers' guide shipped with the packages
//! (`docs/руководство.md`), rendered from its Markdown subset — headings, bullets, paragraphs,
//! bold, code — with its pictures (the PNGs of `docs/guide/`, built into the program and
//! decoded the first time the guide shows them).

use std::collections::HashMap;

use eframe::egui::{self, RichText};

use super::SverkaApp;

/// The guide shown with F1.
pub const GUIDE: &str = include_str!("../../../docs/руководство.md");

/// The guide's pictures, by the path the guide names them with.
const PICTURES: &[(&str, &[u8])] = &[
    (
        "guide/01-start.png",
        include_bytes!("../../../docs/guide/01-start.png"),
    ),
    (
        "guide/02-continue.png",
        include_bytes!("../../../docs/guide/02-continue.png"),
    ),
    (
        "guide/03-appeal-added.png",
        include_bytes!("../../../docs/guide/03-appeal-added.png"),
    ),
    (
        "guide/04-demo.png",
        include_bytes!("../../../docs/guide/04-demo.png"),
    ),
    (
        "guide/05-card.png",
        include_bytes!("../../../docs/guide/05-card.png"),
    ),
    (
        "guide/06-fix.png",
        include_bytes!("../../../docs/guide/06-fix.png"),
    ),
    (
        "guide/07-colours.png",
        include_bytes!("../../../docs/guide/07-colours.png"),
    ),
    (
        "guide/08-manual.png",
        include_bytes!("../../../docs/guide/08-manual.png"),
    ),
    (
        "guide/09-problems.png",
        include_bytes!("../../../docs/guide/09-problems.png"),
    ),
    (
        "guide/10-save.png",
        include_bytes!("../../../docs/guide/10-save.png"),
    ),
    (
        "guide/11-save-errors.png",
        include_bytes!("../../../docs/guide/11-save-errors.png"),
    ),
    (
        "guide/12-import.png",
        include_bytes!("../../../docs/guide/12-import.png"),
    ),
    (
        "guide/13-stage-buttons.png",
        include_bytes!("../../../docs/guide/13-stage-buttons.png"),
    ),
    (
        "guide/14-not-found.png",
        include_bytes!("../../../docs/guide/14-not-found.png"),
    ),
    (
        "guide/15-choose.png",
        include_bytes!("../../../docs/guide/15-choose.png"),
    ),
    (
        "guide/16-reply-draft.png",
        include_bytes!("../../../docs/guide/16-reply-draft.png"),
    ),
    (
        "guide/17-reply-done.png",
        include_bytes!("../../../docs/guide/17-reply-done.png"),
    ),
    (
        "guide/18-refused.png",
        include_bytes!("../../../docs/guide/18-refused.png"),
    ),
    (
        "guide/19-help.png",
        include_bytes!("../../../docs/guide/19-help.png"),
    ),
    (
        "guide/20-settings.png",
        include_bytes!("../../../docs/guide/20-settings.png"),
    ),
    (
        "guide/21-earlier.png",
        include_bytes!("../../../docs/guide/21-earlier.png"),
    ),
    (
        "guide/22-register.png",
        include_bytes!("../../../docs/guide/22-register.png"),
    ),
    (
        "guide/23-other-file.png",
        include_bytes!("../../../docs/guide/23-other-file.png"),
    ),
];

/// The pictures decoded so far (`None`: the picture could not be decoded; its caption is
/// shown instead).
#[derive(Default)]
pub struct GuidePictures {
    textures: HashMap<&'static str, Option<egui::TextureHandle>>,
}

impl GuidePictures {
    /// The picture at `path` as a texture, decoded on first use.
    fn get(&mut self, ctx: &egui::Context, path: &str) -> Option<&egui::TextureHandle> {
        let &(key, bytes) = PICTURES.iter().find(|(p, _)| *p == path)?;
        self.textures
            .entry(key)
            .or_insert_with(|| {
                let image = decode_png(bytes)?;
                Some(ctx.load_texture(key, image, egui::TextureOptions::LINEAR))
            })
            .as_ref()
    }
}

/// A PNG as egui's image, `None` when it does not decode.
fn decode_png(bytes: &[u8]) -> Option<egui::ColorImage> {
    let rgba = image::load_from_memory_with_format(bytes, image::ImageFormat::Png)
        .ok()?
        .to_rgba8();
    let size = [rgba.width() as usize, rgba.height() as usize];
    Some(egui::ColorImage::from_rgba_unmultiplied(
        size,
        rgba.as_raw(),
    ))
}

/// The guide window (F1).
pub fn help_window(app: &mut SverkaApp, ctx: &egui::Context) {
    let mut open = app.show_help;
    let pictures = &mut app.guide_pictures;
    egui::Window::new("Руководство")
        .open(&mut open)
        .default_size([680.0, 540.0])
        .anchor(egui::Align2::CENTER_CENTER, egui::Vec2::ZERO)
        .show(ctx, |ui| {
            egui::ScrollArea::vertical().show(ui, |ui| {
                for line in GUIDE.lines() {
                    guide_line(ui, pictures, line);
                }
            });
        });
    app.show_help = open;
}

/// One line of the guide as F1 shows it.
fn guide_line(ui: &mut egui::Ui, pictures: &mut GuidePictures, line: &str) {
    let plain = |t: &str| t.replace("**", "").replace('`', "");
    if let Some(h) = line.strip_prefix("# ") {
        ui.heading(plain(h));
    } else if let Some(h) = line.strip_prefix("## ") {
        ui.add_space(8.0);
        ui.label(RichText::new(plain(h)).strong().size(17.0));
    } else if let Some(h) = line.strip_prefix("### ") {
        ui.add_space(4.0);
        ui.label(RichText::new(plain(h)).strong());
    } else if let Some((caption, path)) = picture(line) {
        picture_block(ui, pictures, caption, path);
    } else if let Some(item) = line.strip_prefix("- ") {
        ui.horizontal_wrapped(|ui| {
            ui.label("•");
            ui.add(egui::Label::new(plain(item)).wrap());
        });
    } else if line.trim().is_empty() {
        ui.add_space(4.0);
    } else {
        ui.add(egui::Label::new(plain(line)).wrap());
    }
}

/// A picture of the guide, as wide as the window allows (never wider than it was taken),
/// with its caption under it.
fn picture_block(ui: &mut egui::Ui, pictures: &mut GuidePictures, caption: &str, path: &str) {
    ui.add_space(4.0);
    match pictures.get(ui.ctx(), path) {
        Some(tex) => {
            let size = tex.size_vec2();
            let width = size.x.min(ui.available_width());
            let shown = egui::vec2(width, size.y * width / size.x.max(1.0));
            ui.add(egui::Image::new((tex.id(), shown)).alt_text(caption));
        }
        None => {
            ui.label(
                RichText::new(format!("[Рисунок: {caption}]"))
                    .italics()
                    .weak(),
            );
            return;
        }
    }
    ui.label(RichText::new(caption).italics().small());
    ui.add_space(4.0);
}

/// The caption and the path of a picture line `![caption](path)`.
fn picture(line: &str) -> Option<(&str, &str)> {
    let rest = line.trim().strip_prefix("![")?;
    let (caption, tail) = rest.split_once("](")?;
    Some((caption, tail.strip_suffix(')')?))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every picture the guide names is built in and decodes; every built-in picture is in
    /// the guide.
    #[test]
    fn every_picture_of_the_guide_is_built_in_and_decodes() {
        let named: Vec<&str> = GUIDE.lines().filter_map(picture).map(|(_, p)| p).collect();
        assert!(named.len() >= 7, "{named:?}");
        for p in &named {
            let bytes = PICTURES
                .iter()
                .find(|(q, _)| q == p)
                .map(|(_, b)| *b)
                .unwrap_or_else(|| panic!("{p} is not built in"));
            let image = decode_png(bytes).unwrap_or_else(|| panic!("{p} does not decode"));
            assert!(image.size[0] > 100 && image.size[1] > 100, "{p}");
        }
        for (p, _) in PICTURES {
            assert!(named.contains(p), "{p} is built in but not in the guide");
        }
        assert_eq!(
            picture("![Подпись](guide/01.png)"),
            Some(("Подпись", "guide/01.png"))
        );
        assert_eq!(picture("- ![не картинка"), None);
    }
}
