//! The preview view: the whole case as a reader sees it.
//!
//! The case is read into a [`RenderModel`] (front-matter summary, then the body's Markdown as
//! blocks and inline runs) once per document change, and drawn from that model every frame.
//! The model is where safety is decided, so it can be tested without pixels:
//!
//! - guidance comments are dropped; any other raw HTML stays inert text (never interpreted);
//! - only `http:`, `https:` and `mailto:` links open (on click); others are plain text with a
//!   hover that says why;
//! - images are read only from inside the case folder ([`casebook_core::save::confine`]);
//!   remote images are never fetched, a placeholder names their host.
//!
//! Local images are decoded on a worker thread at the size they are shown (the column's width
//! times the screen's pixels per point, upright: [`casebook_core::images::decode_for_display`]),
//! never as full 4000-px RGBA, and kept as textures by path, file modification time and width,
//! so no image loader is needed and a frame never waits for a file. A wider column or a
//! changed file reads the image again (the old texture stays shown meanwhile); the cache lives
//! in [`PreviewState`], which the app drops with the case.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use egui::{Align, RichText, Sense, Stroke};

use super::sections::column;
use super::tokens::{self, Tokens};
use super::{Intent, ViewCtx};
use casebook_core::job::{Job, Poll};

/// Largest side of an image texture (bigger images are scaled down further).
pub const MAX_TEXTURE_SIDE: u32 = 2048;
/// Image files larger than this are not read.
const MAX_IMAGE_BYTES: u64 = 40 * 1024 * 1024;
/// Containers (lists, quotes) nested deeper than this are flattened.
const MAX_DEPTH: usize = 24;
/// Height of the placeholder box of an image that is not shown.
const PLACEHOLDER_HEIGHT: f32 = 64.0;

/// Widget state of the preview view.
#[derive(Default)]
pub struct PreviewState {
    /// The model and what it was built from.
    model: Option<(ModelKey, Arc<RenderModel>)>,
    /// Local images by path.
    images: HashMap<PathBuf, ImageEntry>,
    /// Heights of the top-level blocks last frame (for skipping those out of view), and the
    /// width they were measured at.
    heights: (f32, Vec<f32>),
}

impl PreviewState {
    /// Whether local images are still being decoded (tests wait for them before a snapshot).
    pub fn images_loading(&self) -> bool {
        self.images
            .values()
            .any(|e| matches!(e.slot, ImageSlot::Loading(_)) || e.next.is_some())
    }

    /// The sizes in pixels of the image textures held (for tests and memory checks).
    pub fn texture_sizes(&self) -> Vec<[usize; 2]> {
        self.images
            .values()
            .filter_map(|e| match &e.slot {
                ImageSlot::Ready(tex, _) => Some(tex.size()),
                _ => None,
            })
            .collect()
    }
}

/// What an image's texture was made for: the file's modification time and the width in
/// pixels it was decoded for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ImageKey {
    modified: Option<SystemTime>,
    width_px: u32,
}

/// A local image: what is shown, and a load that will replace it (a sharper or newer one).
struct ImageEntry {
    key: ImageKey,
    slot: ImageSlot,
    next: Option<(ImageKey, Job<Result<Decoded, String>>)>,
}

/// An image decoded for the preview: the pixels and the image's full size.
pub struct Decoded {
    /// The pixels, at most the width asked for.
    pub image: egui::ColorImage,
    /// The full (upright) size in pixels.
    pub full: [u32; 2],
}

/// What a model was built from.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ModelKey {
    revision: u64,
    index_path: PathBuf,
    len: usize,
    text_at: usize,
}

/// A local image: loading, ready (with the image's full size) or failed.
enum ImageSlot {
    Loading(Job<Result<Decoded, String>>),
    Ready(egui::TextureHandle, [u32; 2]),
    Failed(String),
}

/// The slot a finished load becomes.
fn slot_of(
    ctx: &egui::Context,
    path: &Path,
    poll: Poll<Result<Decoded, String>>,
) -> Option<ImageSlot> {
    match poll {
        Poll::Done(Ok(d)) => Some(ImageSlot::Ready(
            ctx.load_texture(
                format!("preview:{}", path.display()),
                d.image,
                egui::TextureOptions::LINEAR,
            ),
            d.full,
        )),
        Poll::Done(Err(e)) => Some(ImageSlot::Failed(e)),
        Poll::Pending => None,
        Poll::Lost => Some(ImageSlot::Failed("the image could not be read".to_string())),
    }
}

/// Draws the preview view.
pub fn preview_ui(ui: &mut egui::Ui, state: &mut PreviewState, cx: &ViewCtx<'_>) -> Vec<Intent> {
    let doc = cx.case.doc();
    let key = ModelKey {
        revision: cx.revision,
        index_path: cx.case.index_path().to_path_buf(),
        len: doc.text().len(),
        text_at: doc.text().as_ptr() as usize,
    };
    let model = match &state.model {
        Some((k, m)) if *k == key => Arc::clone(m),
        _ => {
            let m = Arc::new(build_model(doc, cx.case.dir()));
            state.model = Some((key, Arc::clone(&m)));
            state.heights.1.clear();
            m
        }
    };
    state.poll_images(ui.ctx());
    egui::ScrollArea::vertical()
        .id_salt("preview-view")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            column(ui, |ui| {
                ui.add_space(tokens::GAP);
                header_ui(ui, state, &model.header);
                ui.add_space(tokens::GAP);
                let width = ui.available_width();
                if (state.heights.0 - width).abs() > 0.5 {
                    state.heights = (width, Vec::new());
                }
                state.heights.1.resize(model.blocks.len(), 0.0);
                for (i, block) in model.blocks.iter().enumerate() {
                    let known = state.heights.1[i];
                    if known > 0.0 {
                        let predicted =
                            egui::Rect::from_min_size(ui.cursor().min, egui::vec2(width, known));
                        if !ui.is_rect_visible(predicted) {
                            ui.allocate_exact_size(egui::vec2(width, known), Sense::hover());
                            continue;
                        }
                    }
                    let top = ui.cursor().min.y;
                    ui.push_id(i, |ui| block_ui(ui, state, block, 0));
                    state.heights.1[i] = (ui.cursor().min.y - top).max(1.0);
                }
                ui.add_space(tokens::GAP * 2.0);
            });
        });
    Vec::new()
}

impl PreviewState {
    /// Moves finished image loads into textures.
    fn poll_images(&mut self, ctx: &egui::Context) {
        for (path, entry) in &mut self.images {
            if let ImageSlot::Loading(job) = &entry.slot
                && let Some(slot) = slot_of(ctx, path, job.poll())
            {
                entry.slot = slot;
            }
            if let Some((key, job)) = &entry.next
                && let Some(slot) = slot_of(ctx, path, job.poll())
            {
                entry.key = *key;
                entry.slot = slot;
                entry.next = None;
            }
        }
    }

    /// The slot of a local image shown `width_px` pixels wide, starting its load the first
    /// time, and again when the file changed or the width grew (or shrank by a quarter).
    fn image(&mut self, ctx: &egui::Context, path: &Path, width_px: u32) -> &ImageSlot {
        let modified = std::fs::metadata(path).and_then(|m| m.modified()).ok();
        let want = ImageKey {
            modified,
            width_px: width_px.clamp(16, MAX_TEXTURE_SIDE),
        };
        let start = |key: ImageKey| {
            let path = path.to_path_buf();
            let ctx = ctx.clone();
            Job::spawn(
                move || ctx.request_repaint(),
                move |_| decode_image(&path, key.width_px),
            )
        };
        let entry = self
            .images
            .entry(path.to_path_buf())
            .or_insert_with(|| ImageEntry {
                key: want,
                slot: ImageSlot::Loading(start(want)),
                next: None,
            });
        let stale = |k: &ImageKey| {
            k.modified != want.modified
                || want.width_px > k.width_px
                || (want.width_px as f32) < k.width_px as f32 * 0.75
        };
        let target = entry.next.as_ref().map_or(entry.key, |(k, _)| *k);
        if stale(&target) {
            // An image smaller than the column is shown whole: no sharper texture to get.
            let whole = matches!(&entry.slot, ImageSlot::Ready(tex, full)
                if tex.size()[0] as u32 >= full[0] && want.width_px >= full[0]
                    && target.modified == want.modified);
            if !whole {
                entry.next = Some((want, start(want)));
            }
        }
        &entry.slot
    }
}

/// Reads and decodes an image file for a column `width_px` pixels wide: upright, at most that
/// wide (and at most [`MAX_TEXTURE_SIDE`] tall).
pub fn decode_image(path: &Path, width_px: u32) -> Result<Decoded, String> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => format!("{name} is not in the case folder"),
        _ => format!("{name} cannot be read ({e})"),
    })?;
    if meta.len() > MAX_IMAGE_BYTES {
        return Err(format!(
            "{name} is too large to preview ({} MB)",
            meta.len() / (1024 * 1024)
        ));
    }
    if path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("svg"))
    {
        return Err(format!("{name}: SVG images are not shown in the preview"));
    }
    // Read as it is decoded: the file's bytes are never all in memory.
    let d = casebook_core::images::decode_file_for_display(
        path,
        width_px.clamp(1, MAX_TEXTURE_SIDE),
        MAX_TEXTURE_SIDE,
    )
    .map_err(|e| match e {
        casebook_core::images::ImageError::Decode { message, .. } => format!("{name}: {message}"),
        casebook_core::images::ImageError::Read { source, .. } => format!("{name}: {source}"),
        other => other.to_string(),
    })?;
    let size = [d.rgba.width() as usize, d.rgba.height() as usize];
    Ok(Decoded {
        image: egui::ColorImage::from_rgba_unmultiplied(size, d.rgba.as_raw()),
        full: [d.width, d.height],
    })
}

// ---------------------------------------------------------------------------------------------
// Drawing.

fn header_ui(ui: &mut egui::Ui, state: &mut PreviewState, h: &Header) {
    let t = Tokens::of(ui);
    match &h.title {
        Some(title) => ui.label(RichText::new(title).size(26.0).strong()),
        None => ui.label(RichText::new("Untitled case").size(26.0).color(t.muted)),
    };
    ui.horizontal_wrapped(|ui| {
        if let Some(status) = &h.status {
            badge(ui, status, t.status_color(Some(status)));
        }
        if let Some(kind) = &h.kind {
            badge(ui, kind, t.muted);
        }
        let mut facts: Vec<&str> = Vec::new();
        if let Some(p) = &h.place {
            facts.push(p);
        }
        if let Some(y) = &h.years {
            facts.push(y);
        }
        if !facts.is_empty() {
            ui.label(RichText::new(facts.join(" · ")).color(t.muted));
        }
    });
    if let Some(d) = &h.description {
        ui.add_space(tokens::GAP_SMALL);
        ui.label(RichText::new(d).size(16.0).italics());
    }
    if !h.tags.is_empty() {
        ui.horizontal_wrapped(|ui| {
            for tag in &h.tags {
                badge(ui, tag, t.info);
            }
        });
    }
    if let Some(img) = &h.featured {
        ui.add_space(tokens::GAP_SMALL);
        image_ui(ui, state, img);
        ui.horizontal_wrapped(|ui| {
            if !img.alt.is_empty() {
                ui.label(RichText::new(&img.alt).small().color(t.muted));
            }
            if let Some(c) = &h.credit {
                let credit = RichText::new(format!("Credit: {c}")).small().color(t.muted);
                match &h.credit_link {
                    Some(link) => link_ui(ui, credit, link),
                    None => {
                        ui.label(credit);
                    }
                }
            }
        });
    }
    if let Some(c) = &h.geography_caption {
        ui.label(RichText::new(format!("Map: {c}")).small().color(t.muted))
            .on_hover_text("The boundary map itself is in the Map view.");
    }
    ui.add_space(tokens::GAP_SMALL);
    ui.separator();
}

fn badge(ui: &mut egui::Ui, text: &str, color: egui::Color32) {
    egui::Frame::new()
        .stroke(Stroke::new(1.0, color))
        .corner_radius(tokens::BADGE_RADIUS)
        .inner_margin(egui::Margin::symmetric(6, 1))
        .show(ui, |ui| {
            ui.label(RichText::new(text).small().color(color));
        });
}

fn block_ui(ui: &mut egui::Ui, state: &mut PreviewState, block: &Block, depth: usize) {
    let t = Tokens::of(ui);
    match block {
        Block::Heading { level, inlines } => {
            ui.add_space(if *level <= 2 {
                tokens::GAP
            } else {
                tokens::GAP_SMALL
            });
            let size = match level {
                1 => 24.0,
                2 => 20.0,
                3 => 17.0,
                _ => 15.0,
            };
            inlines_ui(ui, state, inlines, Some(size));
            ui.add_space(2.0);
        }
        Block::Paragraph(inlines) => {
            if let [Inline::Image(img)] = inlines.as_slice() {
                figure_ui(ui, state, img);
            } else {
                inlines_ui(ui, state, inlines, None);
            }
            ui.add_space(tokens::GAP_SMALL);
        }
        Block::List { start, items } => {
            for (n, item) in items.iter().enumerate() {
                let marker = match start {
                    Some(s) => format!("{}.", s.saturating_add(n as u64)),
                    None => if depth.is_multiple_of(2) {
                        "•"
                    } else {
                        "–"
                    }
                    .to_string(),
                };
                ui.horizontal_top(|ui| {
                    ui.add_space(4.0);
                    ui.add_sized(
                        [22.0, 18.0],
                        egui::Label::new(RichText::new(marker).color(t.muted)),
                    );
                    ui.vertical(|ui| {
                        for (k, b) in item.iter().enumerate() {
                            ui.push_id(k, |ui| block_ui(ui, state, b, depth + 1));
                        }
                    });
                });
            }
            ui.add_space(tokens::GAP_SMALL);
        }
        Block::Quote(blocks) => {
            let r = egui::Frame::new()
                .inner_margin(egui::Margin {
                    left: 12,
                    right: 0,
                    top: 2,
                    bottom: 2,
                })
                .show(ui, |ui| {
                    for (k, b) in blocks.iter().enumerate() {
                        ui.push_id(k, |ui| block_ui(ui, state, b, depth + 1));
                    }
                });
            let rect = r.response.rect;
            ui.painter()
                .vline(rect.left() + 3.0, rect.y_range(), Stroke::new(3.0, t.muted));
        }
        Block::Code { text, .. } => {
            egui::Frame::new()
                .fill(ui.visuals().code_bg_color)
                .corner_radius(tokens::BADGE_RADIUS)
                .inner_margin(egui::Margin::same(6))
                .show(ui, |ui| {
                    ui.set_width(ui.available_width());
                    ui.label(RichText::new(text.trim_end_matches('\n')).monospace());
                });
            ui.add_space(tokens::GAP_SMALL);
        }
        Block::Rule => {
            ui.separator();
        }
        Block::Table { head, rows } => {
            egui::Grid::new("preview-table")
                .striped(true)
                .show(ui, |ui| {
                    for cell in head {
                        ui.horizontal_wrapped(|ui| {
                            for inline in cell {
                                if let Inline::Run(r) = inline {
                                    ui.label(RichText::new(&r.text).strong());
                                }
                            }
                        });
                    }
                    ui.end_row();
                    for row in rows {
                        for cell in row {
                            inlines_ui(ui, state, cell, None);
                        }
                        ui.end_row();
                    }
                });
            ui.add_space(tokens::GAP_SMALL);
        }
        Block::Html(html) => {
            ui.label(RichText::new(html).monospace().small().color(t.muted))
                .on_hover_text("Raw HTML: shown as text; the preview never runs or loads it.");
            ui.add_space(tokens::GAP_SMALL);
        }
    }
}

fn inlines_ui(ui: &mut egui::Ui, state: &mut PreviewState, inlines: &[Inline], size: Option<f32>) {
    let t = Tokens::of(ui);
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing.x = 0.0;
        for inline in inlines {
            match inline {
                Inline::Run(r) => {
                    let mut rt = RichText::new(&r.text);
                    if let Some(s) = size {
                        rt = rt.size(s).strong();
                    }
                    if r.strong {
                        rt = rt.strong();
                    }
                    if r.emph {
                        rt = rt.italics();
                    }
                    if r.code {
                        rt = rt.code();
                    }
                    if r.strike {
                        rt = rt.strikethrough();
                    }
                    match &r.link {
                        Some(link) => link_ui(ui, rt, link),
                        None => {
                            ui.label(rt);
                        }
                    }
                }
                Inline::Image(img) => {
                    ui.end_row();
                    figure_ui(ui, state, img);
                    ui.end_row();
                }
                Inline::Break => ui.end_row(),
                Inline::Html(h) => {
                    ui.label(RichText::new(h).monospace().color(t.muted))
                        .on_hover_text(
                            "Raw HTML: shown as text; the preview never runs or loads it.",
                        );
                }
            }
        }
    });
}

fn link_ui(ui: &mut egui::Ui, text: RichText, link: &Link) {
    match link {
        Link::Open(url) => {
            let r = ui.link(text).on_hover_text(url);
            if r.clicked() {
                ui.ctx().open_url(egui::OpenUrl::new_tab(url));
            }
        }
        Link::Inert { url, why } => {
            let t = Tokens::of(ui);
            ui.label(text.color(t.muted).underline())
                .on_hover_text(format!("{url}\n{why}"));
        }
    }
}

/// An image with its caption (title) under it.
fn figure_ui(ui: &mut egui::Ui, state: &mut PreviewState, img: &ImageRef) {
    let t = Tokens::of(ui);
    ui.vertical(|ui| {
        image_ui(ui, state, img);
        if !img.title.is_empty() {
            ui.label(RichText::new(&img.title).small().italics().color(t.muted));
        }
    });
}

/// An image (or the box that stands for it).
fn image_ui(ui: &mut egui::Ui, state: &mut PreviewState, img: &ImageRef) {
    let t = Tokens::of(ui);
    let width = ui.available_width().min(tokens::TEXT_COLUMN_MAX);
    let alt = if img.alt.is_empty() {
        "Image without alt text".to_string()
    } else {
        img.alt.clone()
    };
    match &img.src {
        ImageSrc::Local(path) => match state.image(
            ui.ctx(),
            path,
            (width * ui.ctx().pixels_per_point()).ceil() as u32,
        ) {
            ImageSlot::Ready(tex, full) => {
                // Shown at its own size in points, narrowed to the column; the texture holds
                // about as many pixels as that covers.
                let size = egui::vec2(full[0].max(1) as f32, full[1].max(1) as f32);
                let scale = (width / size.x).min(1.0);
                ui.add(
                    egui::Image::from_texture(egui::load::SizedTexture::from_handle(tex))
                        .fit_to_exact_size(size * scale)
                        .alt_text(alt.clone()),
                )
                .on_hover_text(alt);
            }
            ImageSlot::Loading(_) => {
                placeholder(ui, width, &format!("Loading {}…", file_name(path)), t.muted);
            }
            ImageSlot::Failed(e) => {
                placeholder(ui, width, &format!("{alt} — not shown: {e}"), t.warning);
            }
        },
        ImageSrc::Remote { host } => placeholder(
            ui,
            width,
            &format!("Image from {host} — not loaded (Casebook does not fetch remote images)"),
            t.muted,
        ),
        ImageSrc::Refused(why) => {
            placeholder(ui, width, &format!("{alt} — not shown: {why}"), t.warning)
        }
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// A framed box with a message where an image would be.
fn placeholder(ui: &mut egui::Ui, width: f32, text: &str, color: egui::Color32) {
    egui::Frame::new()
        .stroke(Stroke::new(1.0, color))
        .corner_radius(tokens::BADGE_RADIUS)
        .inner_margin(egui::Margin::same(8))
        .show(ui, |ui| {
            ui.set_width(width - 18.0);
            ui.set_min_height(PLACEHOLDER_HEIGHT);
            ui.with_layout(egui::Layout::top_down(Align::Center), |ui| {
                ui.add_space(PLACEHOLDER_HEIGHT / 2.0 - 10.0);
                ui.label(RichText::new(text).color(color));
            });
        });
}

mod model;
mod safety;
#[cfg(test)]
mod tests;

pub use model::*;
pub use safety::{classify_link, image_src};
