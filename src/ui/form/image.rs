//! The featured image group: file, thumbnail, size and dimensions, alt text, credit, and
//! dropping an image file onto the group to copy it into the case folder.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

use casebook_core::fields::Field;
use casebook_core::job::{Job, Poll};
use serde_yaml::Value;

use super::rows::TextKind;
use super::{Form, under_row};
use crate::ui::purpose::Purpose;
use crate::ui::tokens;
use crate::ui::widgets::field_row;
use crate::ui::{ImportPurpose, Intent};

/// Images larger than this get a warning (the atlas asks for images under 1 MB; the same
/// limit as check CB014).
pub const IMAGE_MAX_BYTES: u64 = 1_000_000;
/// How often the image file is looked at again (it may be replaced outside Casebook).
const RECHECK: Duration = Duration::from_secs(1);
/// File name endings taken as images when dropped.
const IMAGE_EXTENSIONS: &[&str] = &["jpg", "jpeg", "png", "webp", "gif"];

/// What is known about the featured image file, cached per path, size and modification time.
#[derive(Default)]
pub(super) struct ImageCache {
    /// The `featured_image` value the facts are for.
    rel: Option<String>,
    checked: Option<Instant>,
    file: Option<FileFacts>,
    /// Why there is no file to show (refused path, not found).
    problem: Option<String>,
    texture: Option<egui::TextureHandle>,
    dims: Option<(u32, u32)>,
    decode_error: Option<String>,
    loading: Option<Job<Result<Decoded, String>>>,
}

/// A file's identity for caching.
#[derive(Debug, Clone, PartialEq, Eq)]
struct FileFacts {
    path: PathBuf,
    len: u64,
    modified: Option<SystemTime>,
}

/// A decoded image: a thumbnail and the full size.
pub(super) struct Decoded {
    pub image: egui::ColorImage,
    pub width: u32,
    pub height: u32,
}

impl ImageCache {
    /// The image's size in pixels (upright), once read.
    pub(super) fn dims(&self) -> Option<(u32, u32)> {
        self.dims
    }

    /// The image file, when there is one.
    pub(super) fn path(&self) -> Option<PathBuf> {
        self.file.as_ref().map(|f| f.path.clone())
    }

    /// Looks at the file again when the value changed or a second has passed; picks up a
    /// finished thumbnail.
    fn refresh(&mut self, ctx: &egui::Context, dir: &Path, rel: &str) {
        let due =
            self.rel.as_deref() != Some(rel) || self.checked.is_none_or(|c| c.elapsed() >= RECHECK);
        if due {
            self.rel = Some(rel.to_string());
            self.checked = Some(Instant::now());
            match facts_of(dir, rel) {
                Ok(f) => {
                    if self.file.as_ref() != Some(&f) {
                        self.texture = None;
                        self.dims = None;
                        self.decode_error = None;
                        self.problem = None;
                        self.loading = Some(start_decode(f.path.clone(), ctx.clone()));
                        self.file = Some(f);
                    }
                }
                Err(problem) => {
                    *self = ImageCache {
                        rel: self.rel.take(),
                        checked: self.checked,
                        problem,
                        ..Default::default()
                    };
                }
            }
        }
        if let Some(rx) = &self.loading {
            match rx.poll() {
                Poll::Done(Ok(d)) => {
                    let name = self
                        .file
                        .as_ref()
                        .map(|f| format!("featured-image:{}", f.path.display()))
                        .unwrap_or_default();
                    self.texture =
                        Some(ctx.load_texture(name, d.image, egui::TextureOptions::LINEAR));
                    self.dims = Some((d.width, d.height));
                    self.loading = None;
                }
                Poll::Done(Err(e)) => {
                    self.decode_error = Some(e);
                    self.loading = None;
                }
                Poll::Pending => {}
                Poll::Lost => self.loading = None,
            }
        }
    }
}

/// The file `rel` names, or why there is none to show (`None`: no image set).
fn facts_of(dir: &Path, rel: &str) -> Result<FileFacts, Option<String>> {
    if rel.trim().is_empty() {
        return Err(None);
    }
    let path = casebook_core::save::confine(dir, rel).map_err(|e| Some(e.to_string()))?;
    match std::fs::metadata(&path) {
        Ok(m) if m.is_file() => Ok(FileFacts {
            path,
            len: m.len(),
            modified: m.modified().ok(),
        }),
        Ok(_) => Err(Some(format!(
            "{} is a folder, not an image file.",
            rel.trim()
        ))),
        Err(_) => Err(Some(format!("{} is not in the case folder.", rel.trim()))),
    }
}

/// Decodes `path` on a thread at the thumbnail's size on this screen; `ctx` is woken when
/// done.
fn start_decode(path: PathBuf, ctx: egui::Context) -> Job<Result<Decoded, String>> {
    let ppp = ctx.pixels_per_point();
    Job::spawn(
        move || ctx.request_repaint(),
        move |_| {
            // Read as it is decoded: the file's bytes are never all in memory.
            let (w, h) = thumbnail_px(ppp);
            thumbnail_of(casebook_core::images::decode_file_for_display(&path, w, h))
        },
    )
}

/// The thumbnail's box in pixels ([`tokens::THUMBNAIL`] × `ppp`).
fn thumbnail_px(ppp: f32) -> (u32, u32) {
    let ppp = if ppp.is_finite() {
        ppp.clamp(0.5, 4.0)
    } else {
        1.0
    };
    (
        (tokens::THUMBNAIL.x * ppp).ceil() as u32,
        (tokens::THUMBNAIL.y * ppp).ceil() as u32,
    )
}

/// A thumbnail decoded at the size it is shown ([`tokens::THUMBNAIL`] × `ppp` pixels, upright)
/// and the image's full (upright) size.
#[cfg(test)]
pub(super) fn decode_thumbnail(bytes: &[u8], ppp: f32) -> Result<Decoded, String> {
    let (w, h) = thumbnail_px(ppp);
    thumbnail_of(casebook_core::images::decode_for_display(
        bytes,
        Path::new("image"),
        w,
        h,
    ))
}

/// The thumbnail (or why it cannot be shown) from a display decoding.
fn thumbnail_of(
    decoded: Result<casebook_core::images::Displayed, casebook_core::images::ImageError>,
) -> Result<Decoded, String> {
    let d = decoded.map_err(|e| match e {
        casebook_core::images::ImageError::Decode { message, .. } => {
            format!("cannot be shown: {message}")
        }
        other => format!("cannot be shown: {other}"),
    })?;
    let size = [d.rgba.width() as usize, d.rgba.height() as usize];
    Ok(Decoded {
        image: egui::ColorImage::from_rgba_unmultiplied(size, d.rgba.as_raw()),
        width: d.width,
        height: d.height,
    })
}

/// `1.4 MB`, `850 KB` (decimal units, as check CB014 counts).
pub(super) fn human_size(bytes: u64) -> String {
    if bytes >= 1_000_000 {
        format!("{:.1} MB", bytes as f64 / 1e6)
    } else {
        format!("{} KB", bytes.div_ceil(1000))
    }
}

/// Whether a dropped file looks like an image.
fn is_image(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| IMAGE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

impl Form<'_> {
    /// The Featured image group.
    pub(super) fn image_group(&mut self, ui: &mut egui::Ui) {
        let group = ui.scope(|ui| {
            self.image_file_row(ui);
            self.text_row(ui, Field::FeaturedAlt, TextKind::Line);
            self.text_row(ui, Field::FeaturedCredit, TextKind::Line);
            self.text_row(ui, Field::FeaturedCreditLink, TextKind::Line);
        });
        self.image_drop(ui, group.response.rect);
    }

    /// The file path, "Choose image…", thumbnail, size and dimensions.
    fn image_file_row(&mut self, ui: &mut egui::Ui) {
        let field = Field::FeaturedImage;
        let key = field.key();
        let Some(doc_text) = self.text_or_raw_row(ui, field, key, "Image file") else {
            return;
        };
        let id = self.id(key);
        let editable = self.editable;
        let mut buffer = self.state.draft(key, &doc_text).buffer.clone();
        let (label, (response, choose)) = field_row(ui, "Image file", field.help(), |ui| {
            let r = ui.add(
                egui::TextEdit::singleline(&mut buffer)
                    .id(id)
                    .hint_text(crate::ui::widgets::example_hint(ui, "./photo.jpg"))
                    .desired_width((ui.available_width() - 130.0).max(160.0)),
            );
            let choose = ui
                .add_enabled(editable, egui::Button::new("Choose image…"))
                .on_hover_text("Pick an image; it is copied into the case folder.")
                .clicked();
            (r, choose)
        });
        let response = response.labelled_by(label.id);
        self.maybe_focus(&[key], &response);
        self.removable_label(&label, key);
        if let Some(d) = self.state.drafts.get_mut(key) {
            d.buffer = buffer.clone();
        }
        if response.changed() && self.editable {
            let value = if buffer.is_empty() {
                Value::Null
            } else {
                Value::String(buffer.clone())
            };
            self.state.synced_to(key, buffer);
            self.set(key, value, field.label(), true);
        }
        if choose && self.editable {
            self.out.push(Intent::Pick(Purpose::FeaturedImage));
        }
        let dir = self.cx.case.dir().to_path_buf();
        self.state.image.refresh(ui.ctx(), &dir, doc_text.trim());
        self.image_preview(ui);
        let oversize = self
            .state
            .image
            .file
            .as_ref()
            .is_some_and(|f| f.len > IMAGE_MAX_BYTES);
        self.resize_ui(ui, doc_text.trim(), oversize);
        self.crop_ui(ui, doc_text.trim());
        self.diagnostics(ui, &[key], Some(field));
    }

    /// The thumbnail and what is known about the file.
    fn image_preview(&mut self, ui: &mut egui::Ui) {
        let t = self.t;
        let key = Field::FeaturedImage.key();
        // The checks say the same in more words below the row; say it here only without them.
        let has_findings = self.cx.diagnostics.iter().any(
            |d| matches!(&d.target, casebook_core::checks::Target::Field { key: k } if k == key),
        );
        let cache = &self.state.image;
        under_row(ui, |ui| {
            ui.horizontal(|ui| {
                let (rect, _) = ui.allocate_exact_size(tokens::THUMBNAIL, egui::Sense::hover());
                let placeholder = match (&cache.texture, &cache.file, &cache.decode_error) {
                    (Some(tex), _, _) => {
                        let size = tex.size_vec2();
                        let scale = (rect.width() / size.x).min(rect.height() / size.y).min(1.0);
                        let fit = egui::Rect::from_min_size(rect.min, size * scale);
                        egui::Image::new(tex)
                            .corner_radius(tokens::BADGE_RADIUS)
                            .paint_at(ui, fit);
                        None
                    }
                    (None, Some(_), Some(_)) => Some("Cannot show this file"),
                    (None, Some(_), None) => Some("Loading…"),
                    (None, None, _) if cache.problem.is_some() => Some("No preview"),
                    (None, None, _) => Some("No image"),
                };
                if let Some(text) = placeholder {
                    ui.painter()
                        .rect_filled(rect, tokens::BADGE_RADIUS, t.guidance_bg);
                    ui.painter().text(
                        rect.center(),
                        egui::Align2::CENTER_CENTER,
                        text,
                        egui::FontId::proportional(13.0),
                        t.muted,
                    );
                }
                ui.vertical(|ui| {
                    if let Some(f) = &cache.file {
                        let size = human_size(f.len);
                        if f.len > IMAGE_MAX_BYTES {
                            ui.label(
                                egui::RichText::new(format!("{size} (over 1 MB)")).color(t.warning),
                            );
                        } else {
                            ui.label(size);
                        }
                        if let Some((w, h)) = cache.dims {
                            let text = format!("{w} × {h} pixels");
                            if w <= h {
                                let shape = if w == h { "square" } else { "portrait" };
                                ui.label(
                                    egui::RichText::new(format!("{text} ({shape})"))
                                        .color(t.warning),
                                );
                            } else {
                                ui.label(text);
                            }
                        }
                    }
                    if let Some(e) = &cache.decode_error {
                        ui.label(egui::RichText::new(e).small().color(t.error));
                    }
                    if let Some(p) = &cache.problem
                        && !has_findings
                    {
                        ui.label(egui::RichText::new(p).color(t.warning));
                    }
                    ui.label(
                        egui::RichText::new(
                            "Drop an image file here to copy it into the case folder.",
                        )
                        .small()
                        .color(t.muted),
                    );
                });
            });
        });
    }

    /// Dropping an image file onto the group copies it into the case folder and uses it.
    fn image_drop(&mut self, ui: &mut egui::Ui, rect: egui::Rect) {
        if !self.editable {
            return;
        }
        let (hovering, dropped, pointer) = ui.input(|i| {
            (
                !i.raw.hovered_files.is_empty(),
                i.raw
                    .dropped_files
                    .iter()
                    .map(|f| f.path().to_path_buf())
                    .collect::<Vec<_>>(),
                i.pointer.latest_pos(),
            )
        });
        let inside = pointer.is_some_and(|p| rect.contains(p));
        if hovering && inside {
            ui.painter().rect_stroke(
                rect.expand(4.0),
                tokens::BADGE_RADIUS,
                egui::Stroke::new(2.0, self.t.info),
                egui::StrokeKind::Outside,
            );
        }
        if dropped.is_empty() || !inside {
            return;
        }
        match dropped.iter().find(|p| is_image(p)) {
            Some(p) => self.out.push(Intent::ImportFile {
                from: p.clone(),
                purpose: ImportPurpose::FeaturedImage,
            }),
            None => self.out.push(Intent::Status(format!(
                "{} is not an image: drop a JPEG, PNG, WebP or GIF file.",
                dropped[0].display()
            ))),
        }
        // Taken: the app should not also open the file as a case.
        ui.ctx().input_mut(|i| i.raw.dropped_files.clear());
    }
}

#[cfg(test)]
mod image_tests {
    use super::*;

    #[test]
    fn decodes_a_small_png() -> Result<(), String> {
        let img = ::image::RgbaImage::from_pixel(64, 32, ::image::Rgba([200, 10, 10, 255]));
        let mut bytes = Vec::new();
        img.write_to(
            &mut std::io::Cursor::new(&mut bytes),
            ::image::ImageFormat::Png,
        )
        .map_err(|e| e.to_string())?;
        let d = decode_thumbnail(&bytes, 1.0)?;
        assert_eq!((d.width, d.height), (64, 32));
        assert!(decode_thumbnail(b"not an image", 1.0).is_err());
        Ok(())
    }

    #[test]
    fn a_4000_px_photo_becomes_a_thumbnail_of_the_shown_size() -> Result<(), String> {
        let img = ::image::RgbImage::from_fn(4000, 3000, |x, y| {
            ::image::Rgb([(x % 251) as u8, (y % 241) as u8, 90])
        });
        let mut bytes = Vec::new();
        img.write_to(
            &mut std::io::Cursor::new(&mut bytes),
            ::image::ImageFormat::Jpeg,
        )
        .map_err(|e| e.to_string())?;
        for ppp in [1.0f32, 2.0] {
            let d = decode_thumbnail(&bytes, ppp)?;
            assert_eq!((d.width, d.height), (4000, 3000));
            let [w, h] = d.image.size;
            assert!(w as f32 <= tokens::THUMBNAIL.x * ppp, "{w} at {ppp}");
            assert!(h as f32 <= tokens::THUMBNAIL.y * ppp, "{h} at {ppp}");
            assert_eq!(
                h as f32,
                (tokens::THUMBNAIL.y * ppp).ceil(),
                "fills the height"
            );
        }
        Ok(())
    }

    #[test]
    fn sizes_and_names() {
        assert_eq!(human_size(2_000), "2 KB");
        assert_eq!(human_size(1_500_000), "1.5 MB");
        assert!(is_image(Path::new("/x/Photo.JPG")));
        assert!(!is_image(Path::new("/x/boundary.geojson")));
    }
}
