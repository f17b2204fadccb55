//! "Crop…" for a portrait or odd-shaped featured image: a window showing the image with a
//! 3:2 frame ([`CropFrame`]) the person drags, resizes by its corners (the aspect is kept),
//! or moves with the arrow keys (Shift: ten times as far). Apply writes the cropped JPEG
//! under the same rules as Resize ([`super::resize::ImageJob`]: at most 1 MB, long side
//! 1920–2400 px when the crop is that large, a new file, the original kept), and only the
//! `featured_image` line changes, as one undo step.
//!
//! The image is decoded off the UI thread at the size the window shows it (times the
//! screen's pixels per point), upright, so the frame's image coordinates are those of the
//! upright picture that [`casebook_core::images::fix_image`] crops.

use std::path::PathBuf;

use casebook_core::images::{self, Corner, CropFrame, ImageRef};
use casebook_core::job::{Job, Poll};

use super::resize::ImageJob;
use super::{Form, under_row};
use crate::ui::tokens::Tokens;

/// The largest size the image is shown at in the crop window, in points.
pub const CROP_VIEW: egui::Vec2 = egui::vec2(640.0, 480.0);
/// Size of a corner handle, in points.
const HANDLE: f32 = 14.0;

/// The crop window's state, while open.
pub struct CropState {
    /// The image file (the original).
    path: PathBuf,
    /// The `featured_image` value it was opened for.
    rel: String,
    loading: Option<Job<Result<images::Displayed, String>>>,
    texture: Option<egui::TextureHandle>,
    /// The frame, in upright image pixels (once the image is read).
    frame: Option<CropFrame>,
    /// What is being dragged.
    drag: Option<Drag>,
    /// Why the image cannot be shown or cropped.
    pub error: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Drag {
    Move,
    Corner(Corner),
}

impl CropState {
    /// Opens on `path`, starting its decode at the window's size.
    fn open(path: PathBuf, rel: &str, ctx: &egui::Context) -> CropState {
        let ppp = ctx.pixels_per_point();
        let (max_w, max_h) = (
            (CROP_VIEW.x * ppp).ceil() as u32,
            (CROP_VIEW.y * ppp).ceil() as u32,
        );
        let p = path.clone();
        let wake = ctx.clone();
        let loading = Job::spawn(
            move || wake.request_repaint(),
            move |_| images::decode_file_for_display(&p, max_w, max_h).map_err(|e| e.to_string()),
        );
        CropState {
            path,
            rel: rel.to_string(),
            loading: Some(loading),
            texture: None,
            frame: None,
            drag: None,
            error: None,
        }
    }

    /// Picks up the decoded image.
    fn poll(&mut self, ctx: &egui::Context) {
        let Some(job) = &self.loading else { return };
        match job.poll() {
            Poll::Done(Ok(d)) => {
                let size = [d.rgba.width() as usize, d.rgba.height() as usize];
                let image = egui::ColorImage::from_rgba_unmultiplied(size, d.rgba.as_raw());
                self.texture = Some(ctx.load_texture(
                    format!("crop:{}", self.path.display()),
                    image,
                    egui::TextureOptions::LINEAR,
                ));
                self.frame = Some(CropFrame::centered(d.width, d.height));
                self.loading = None;
            }
            Poll::Done(Err(e)) => {
                self.error = Some(e);
                self.loading = None;
            }
            Poll::Lost => {
                self.error = Some("the image could not be read".to_string());
                self.loading = None;
            }
            Poll::Pending => {}
        }
    }
}

/// Whether an image of `w` × `h` pixels should be offered the crop: not landscape (what CB014
/// reports), or wider than 2:1 (a panorama the atlas's 3:2 slot would squeeze).
pub fn wants_crop(w: u32, h: u32) -> bool {
    w <= h || w > h.saturating_mul(2)
}

impl Form<'_> {
    /// The "Crop…" button under a portrait or odd-shaped featured image, and the crop window.
    pub(super) fn crop_ui(&mut self, ui: &mut egui::Ui, rel: &str) {
        let dims = self.state.image.dims();
        let path = self.state.image.path();
        if self.state.crop.as_ref().is_some_and(|c| c.rel != rel) {
            // The featured image changed under the window: it no longer applies.
            self.state.crop = None;
        }
        if self.state.crop.is_none()
            && self.state.resize.is_none()
            && self.editable
            && let (Some((w, h)), Some(path)) = (dims, path)
            && wants_crop(w, h)
        {
            let clicked = under_row(ui, |ui| {
                ui.button("Crop…")
                    .on_hover_text("Choose a landscape 3:2 part of the image; Casebook writes it as a new JPEG of at most 1 MB beside the original, which is kept, and uses it here.")
                    .clicked()
            });
            if clicked {
                self.state.image_done = None;
                self.state.crop = Some(CropState::open(path, rel, ui.ctx()));
            }
        }
        if self.state.crop.is_some() {
            self.crop_window(ui.ctx());
        }
    }

    /// The crop window.
    fn crop_window(&mut self, ctx: &egui::Context) {
        let Some(state) = &mut self.state.crop else {
            return;
        };
        state.poll(ctx);
        let mut open = true;
        let mut apply = None;
        let mut close = false;
        let running = self.state.resize.clone();
        egui::Window::new("Crop to landscape")
            .id(egui::Id::unique("casebook-crop-window"))
            .collapsible(false)
            .resizable(false)
            .open(&mut open)
            .show(ctx, |ui| {
                let t = Tokens::of(ui);
                ui.label("Drag the 3:2 frame over the part to keep; drag a corner to resize it. Arrow keys move it (Shift: faster).");
                match (&state.texture, &mut state.frame) {
                    (Some(tex), Some(frame)) => {
                        frame_ui(ui, tex, frame, &mut state.drag, running.is_none());
                        let r = frame.to_rect();
                        ui.label(
                            egui::RichText::new(format!(
                                "{} × {} px from ({}, {})",
                                r.width, r.height, r.x, r.y
                            ))
                            .color(t.muted),
                        );
                    }
                    _ if state.error.is_none() => {
                        ui.allocate_ui(CROP_VIEW * 0.5, |ui| {
                            ui.spinner();
                            ui.label("Reading the image…");
                        });
                    }
                    _ => {}
                }
                if let Some(e) = &state.error {
                    ui.label(egui::RichText::new(e).color(t.error));
                }
                ui.separator();
                match &running {
                    Some(job) => job.progress_ui(ui, "Writing the cropped JPEG"),
                    None => {
                        ui.horizontal(|ui| {
                            let ready = state.frame.is_some();
                            if ui
                                .add_enabled(ready, egui::Button::new("Apply"))
                                .on_hover_text("Write the cropped JPEG beside the original and use it")
                                .clicked()
                                && let Some(f) = &state.frame
                            {
                                apply = Some(f.to_rect());
                            }
                            if ui.button("Cancel").clicked() {
                                close = true;
                            }
                        });
                    }
                }
            });
        if let Some(rect) = apply {
            state.error = None;
            let rel = state.rel.clone();
            self.state.resize_is_crop = true;
            self.state.resize = Some(ImageJob::start(
                self.cx.case.clone(),
                ImageRef::Featured,
                Some(rect),
                rel,
                ctx.clone(),
            ));
        }
        if !open || close {
            if let Some(job) = &self.state.resize
                && self.state.resize_is_crop
            {
                job.cancel();
            }
            self.state.crop = None;
        }
    }
}

/// Where the image is shown: its rectangle on screen and points per image pixel.
#[derive(Clone, Copy)]
struct ImageView {
    rect: egui::Rect,
    scale: f32,
}

impl ImageView {
    fn to_screen(self, x: f64, y: f64) -> egui::Pos2 {
        self.rect.min + egui::vec2(x as f32 * self.scale, y as f32 * self.scale)
    }

    fn to_image(self, p: egui::Pos2) -> (f64, f64) {
        let v = (p - self.rect.min) / self.scale;
        (f64::from(v.x), f64::from(v.y))
    }

    /// The frame's rectangle on screen.
    fn frame_rect(self, frame: &CropFrame) -> egui::Rect {
        egui::Rect::from_min_max(
            self.to_screen(frame.x, frame.y),
            self.to_screen(frame.x + frame.width, frame.y + frame.height()),
        )
    }

    /// A corner handle's rectangle on screen, `size` points across.
    fn handle_rect(self, frame: &CropFrame, corner: Corner, size: f32) -> egui::Rect {
        let (cx, cy) = frame.corner(corner);
        egui::Rect::from_center_size(self.to_screen(cx, cy), egui::vec2(size, size))
    }
}

/// The image with the frame over it: drag inside to move, drag a corner to resize, arrow
/// keys when focused.
fn frame_ui(
    ui: &mut egui::Ui,
    tex: &egui::TextureHandle,
    frame: &mut CropFrame,
    drag: &mut Option<Drag>,
    enabled: bool,
) {
    let ppp = ui.ctx().pixels_per_point();
    // The texture is at most CROP_VIEW × ppp pixels; shown at CROP_VIEW points at most.
    let tex_pts = tex.size_vec2() / ppp;
    let fit = (CROP_VIEW.x / tex_pts.x)
        .min(CROP_VIEW.y / tex_pts.y)
        .min(1.0);
    let (rect, _) = ui.allocate_exact_size(tex_pts * fit, egui::Sense::hover());
    egui::Image::new(egui::load::SizedTexture::from_handle(tex)).paint_at(ui, rect);
    let (img_w, _) = frame.image_size();
    let shown = ImageView {
        rect,
        scale: rect.width() / img_w as f32,
    };
    let p = ui.painter_at(rect);
    paint_shade(&p, rect, shown.frame_rect(frame));
    let id = ui.scope_id().with("crop-frame");
    let (body, handles) = frame_widgets(ui, id, shown, frame, enabled);
    drag_frame(ui, shown, frame, drag, &body, &handles);
    if body.clicked() || body.drag_started() {
        body.request_focus();
    }
    if body.has_focus() && enabled {
        nudge_frame(ui, id, frame);
    }
    // Drawn after moving, so it follows the pointer this frame.
    paint_frame(ui, &p, shown, frame, body.has_focus());
}

/// Shades what the frame `fr` cuts away from the image at `rect`.
fn paint_shade(p: &egui::Painter, rect: egui::Rect, fr: egui::Rect) {
    let shade = egui::Color32::from_black_alpha(140);
    for r in [
        egui::Rect::from_min_max(rect.min, egui::pos2(rect.max.x, fr.min.y)),
        egui::Rect::from_min_max(egui::pos2(rect.min.x, fr.max.y), rect.max),
        egui::Rect::from_min_max(
            egui::pos2(rect.min.x, fr.min.y),
            egui::pos2(fr.min.x, fr.max.y),
        ),
        egui::Rect::from_min_max(
            egui::pos2(fr.max.x, fr.min.y),
            egui::pos2(rect.max.x, fr.max.y),
        ),
    ] {
        p.rect_filled(r, 0.0, shade);
    }
}

/// The frame's body ("Crop frame") and its four corner handles, named for screen readers.
fn frame_widgets(
    ui: &mut egui::Ui,
    id: egui::Id,
    shown: ImageView,
    frame: &CropFrame,
    enabled: bool,
) -> (egui::Response, Vec<(Corner, egui::Response)>) {
    let sense = if enabled {
        egui::Sense::click_and_drag()
    } else {
        egui::Sense::hover()
    };
    let body = ui.interact(shown.frame_rect(frame), id, sense);
    body.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, enabled, "Crop frame"));
    let body = body.on_hover_cursor(egui::CursorIcon::Move);
    let handles = Corner::ALL
        .into_iter()
        .map(|corner| {
            let at = shown.handle_rect(frame, corner, HANDLE);
            let r = ui.interact(at, id.with(corner_name(corner)), sense);
            let name = format!("Crop frame corner, {}", corner_name(corner));
            r.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, enabled, &name));
            let cursor = match corner {
                Corner::TopLeft | Corner::BottomRight => egui::CursorIcon::ResizeNwSe,
                Corner::TopRight | Corner::BottomLeft => egui::CursorIcon::ResizeNeSw,
            };
            (corner, r.on_hover_cursor(cursor))
        })
        .collect();
    (body, handles)
}

/// Moves the frame (dragging its body) or resizes it (dragging a corner).
fn drag_frame(
    ui: &egui::Ui,
    shown: ImageView,
    frame: &mut CropFrame,
    drag: &mut Option<Drag>,
    body: &egui::Response,
    handles: &[(Corner, egui::Response)],
) {
    for (corner, r) in handles {
        if r.drag_started() {
            *drag = Some(Drag::Corner(*corner));
        }
    }
    if body.drag_started() && drag.is_none() {
        *drag = Some(Drag::Move);
    }
    let dragging = body.dragged() || handles.iter().any(|(_, r)| r.dragged());
    match (*drag, dragging) {
        (Some(Drag::Move), true) => {
            let d = ui.input(|i| i.pointer.delta()) / shown.scale;
            *frame = frame.moved(f64::from(d.x), f64::from(d.y));
        }
        (Some(Drag::Corner(c)), true) => {
            if let Some(pos) = ui.input(|i| i.pointer.interact_pos()) {
                let (x, y) = shown.to_image(pos);
                *frame = frame.resized(c, x, y);
            }
        }
        (_, false) => *drag = None,
        _ => {}
    }
}

/// The keyboard: arrows move the focused frame (held by it, not by focus navigation) by a
/// hundredth of the image, Shift by a tenth.
fn nudge_frame(ui: &egui::Ui, id: egui::Id, frame: &mut CropFrame) {
    ui.memory_mut(|m| {
        m.set_focus_lock_filter(
            id,
            egui::EventFilter {
                horizontal_arrows: true,
                vertical_arrows: true,
                ..Default::default()
            },
        )
    });
    let (img_w, img_h) = frame.image_size();
    let (dx, dy) = ui.input(|i| {
        let step = if i.modifiers.shift { 10.0 } else { 1.0 } * (img_w.max(img_h) / 100.0);
        let mut d = (0.0, 0.0);
        for (key, by) in [
            (egui::Key::ArrowLeft, (-step, 0.0)),
            (egui::Key::ArrowRight, (step, 0.0)),
            (egui::Key::ArrowUp, (0.0, -step)),
            (egui::Key::ArrowDown, (0.0, step)),
        ] {
            if i.key_pressed(key) {
                d = (d.0 + by.0, d.1 + by.1);
            }
        }
        d
    });
    if dx != 0.0 || dy != 0.0 {
        *frame = frame.moved(dx, dy);
    }
}

/// The frame's outline (in the focus colour when focused), its thirds and corner handles.
fn paint_frame(
    ui: &egui::Ui,
    p: &egui::Painter,
    shown: ImageView,
    frame: &CropFrame,
    focused: bool,
) {
    let fr = shown.frame_rect(frame);
    let stroke_color = if focused {
        Tokens::of(ui).info
    } else {
        egui::Color32::WHITE
    };
    p.rect_stroke(
        fr,
        0.0,
        egui::Stroke::new(2.0, stroke_color),
        egui::StrokeKind::Inside,
    );
    // Thirds, to help composing.
    for k in [1.0, 2.0] {
        let x = fr.min.x + fr.width() * k / 3.0;
        let y = fr.min.y + fr.height() * k / 3.0;
        let s = egui::Stroke::new(1.0, egui::Color32::from_white_alpha(90));
        p.line_segment([egui::pos2(x, fr.min.y), egui::pos2(x, fr.max.y)], s);
        p.line_segment([egui::pos2(fr.min.x, y), egui::pos2(fr.max.x, y)], s);
    }
    for corner in Corner::ALL {
        let at = shown.handle_rect(frame, corner, HANDLE * 0.7);
        p.rect_filled(at, 2.0, egui::Color32::WHITE);
        p.rect_stroke(
            at,
            2.0,
            egui::Stroke::new(1.0, egui::Color32::BLACK),
            egui::StrokeKind::Inside,
        );
    }
}

fn corner_name(c: Corner) -> &'static str {
    match c {
        Corner::TopLeft => "top left",
        Corner::TopRight => "top right",
        Corner::BottomLeft => "bottom left",
        Corner::BottomRight => "bottom right",
    }
}
