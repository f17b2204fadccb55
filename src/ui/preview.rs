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
//! Local images are decoded on a worker thread (scaled down to [`MAX_TEXTURE_SIDE`]) and kept
//! as textures by path, so no image loader is needed and a frame never waits for a file.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError, channel};

use casebook_core::countries;
use casebook_core::document::Document;
use casebook_core::fields::{self, Field, YearValue};
use casebook_core::save::confine;
use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use egui::{Align, RichText, Sense, Stroke};

use super::sections::column;
use super::tokens::{self, Tokens};
use super::{Intent, ViewCtx};

/// Largest side of an image texture (bigger images are scaled down).
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
    images: HashMap<PathBuf, ImageSlot>,
    /// Heights of the top-level blocks last frame (for skipping those out of view), and the
    /// width they were measured at.
    heights: (f32, Vec<f32>),
}

impl PreviewState {
    /// Whether local images are still being decoded (tests wait for them before a snapshot).
    pub fn images_loading(&self) -> bool {
        self.images
            .values()
            .any(|s| matches!(s, ImageSlot::Loading(_)))
    }
}

/// What a model was built from.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ModelKey {
    revision: u64,
    index_path: PathBuf,
    len: usize,
    text_at: usize,
}

/// A local image: loading, ready or failed.
enum ImageSlot {
    Loading(Receiver<Result<egui::ColorImage, String>>),
    Ready(egui::TextureHandle),
    Failed(String),
}

/// The case as it will be drawn.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RenderModel {
    /// The front-matter summary.
    pub header: Header,
    /// The body.
    pub blocks: Vec<Block>,
}

/// The front-matter summary.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Header {
    /// `title`.
    pub title: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `status`.
    pub status: Option<String>,
    /// `type`.
    pub kind: Option<String>,
    /// City and country name.
    pub place: Option<String>,
    /// Start and completion years.
    pub years: Option<String>,
    /// `tags`.
    pub tags: Vec<String>,
    /// `featured_image` with its alt text as the image's alt.
    pub featured: Option<ImageRef>,
    /// `featured_credit`.
    pub credit: Option<String>,
    /// `featured_credit_link`.
    pub credit_link: Option<Link>,
    /// `geography_caption`.
    pub geography_caption: Option<String>,
}

/// A block of the body.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A heading (level 1–6).
    Heading {
        /// Level.
        level: u8,
        /// Its text.
        inlines: Vec<Inline>,
    },
    /// A paragraph.
    Paragraph(Vec<Inline>),
    /// A list; `start` is the first number of an ordered list.
    List {
        /// First number, for ordered lists.
        start: Option<u64>,
        /// The items, each a list of blocks.
        items: Vec<Vec<Block>>,
    },
    /// A block quote.
    Quote(Vec<Block>),
    /// A code block.
    Code {
        /// The info string's language.
        lang: String,
        /// The code.
        text: String,
    },
    /// A thematic break.
    Rule,
    /// A table.
    Table {
        /// Header cells.
        head: Vec<Vec<Inline>>,
        /// Body rows of cells.
        rows: Vec<Vec<Vec<Inline>>>,
    },
    /// Raw HTML (comments removed), shown as inert text.
    Html(String),
}

/// A piece of inline content.
#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    /// Styled text, possibly a link.
    Run(Run),
    /// An image.
    Image(ImageRef),
    /// A hard line break.
    Break,
    /// Inline raw HTML, shown as inert text.
    Html(String),
}

/// Styled text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Run {
    /// The text.
    pub text: String,
    /// Bold.
    pub strong: bool,
    /// Italic.
    pub emph: bool,
    /// Inline code.
    pub code: bool,
    /// Struck through.
    pub strike: bool,
    /// The link it belongs to.
    pub link: Option<Link>,
}

/// A link target, and whether the preview opens it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Link {
    /// A web or mail address, opened on click.
    Open(String),
    /// Shown as text, never opened.
    Inert {
        /// As written.
        url: String,
        /// Why it is not opened.
        why: String,
    },
}

/// An image reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageRef {
    /// Where it is.
    pub src: ImageSrc,
    /// Alt text.
    pub alt: String,
    /// Title (the caption).
    pub title: String,
}

/// Where an image is, as far as the preview will go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageSrc {
    /// A file inside the case folder.
    Local(PathBuf),
    /// On the network: never fetched.
    Remote {
        /// The host named in the address.
        host: String,
    },
    /// Not shown, and why.
    Refused(String),
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
        for (path, slot) in &mut self.images {
            let ImageSlot::Loading(rx) = slot else {
                continue;
            };
            match rx.try_recv() {
                Ok(Ok(image)) => {
                    let name = format!("preview:{}", path.display());
                    *slot = ImageSlot::Ready(ctx.load_texture(
                        name,
                        image,
                        egui::TextureOptions::LINEAR,
                    ));
                }
                Ok(Err(e)) => *slot = ImageSlot::Failed(e),
                Err(TryRecvError::Empty) => {}
                Err(TryRecvError::Disconnected) => {
                    *slot = ImageSlot::Failed("the image could not be read".to_string())
                }
            }
        }
    }

    /// The slot of a local image, starting its load the first time.
    fn image(&mut self, ctx: &egui::Context, path: &Path) -> &ImageSlot {
        self.images.entry(path.to_path_buf()).or_insert_with(|| {
            let (tx, rx) = channel();
            let path = path.to_path_buf();
            let ctx = ctx.clone();
            std::thread::spawn(move || {
                let _ = tx.send(decode_image(&path));
                ctx.request_repaint();
            });
            ImageSlot::Loading(rx)
        })
    }
}

/// Reads and decodes an image file, scaled down to [`MAX_TEXTURE_SIDE`].
pub fn decode_image(path: &Path) -> Result<egui::ColorImage, String> {
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
    let bytes = std::fs::read(path).map_err(|e| format!("{name}: {e}"))?;
    let img = image::load_from_memory(&bytes).map_err(|e| format!("{name}: {e}"))?;
    let img = if img.width() > MAX_TEXTURE_SIDE || img.height() > MAX_TEXTURE_SIDE {
        img.thumbnail(MAX_TEXTURE_SIDE, MAX_TEXTURE_SIDE)
    } else {
        img
    };
    let rgba = img.to_rgba8();
    let size = [rgba.width() as usize, rgba.height() as usize];
    Ok(egui::ColorImage::from_rgba_unmultiplied(
        size,
        rgba.as_raw(),
    ))
}

// ---------------------------------------------------------------------------------------------
// The model.

/// Builds the render model of a document whose files live in `case_dir`.
pub fn build_model(doc: &Document, case_dir: &Path) -> RenderModel {
    let body = &doc.text()[doc.body().range.clone()];
    RenderModel {
        header: build_header(doc, case_dir),
        blocks: parse_markdown(body, case_dir),
    }
}

fn build_header(doc: &Document, case_dir: &Path) -> Header {
    let text = |f: Field| {
        doc.text_of(f)
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    };
    let city = text(Field::City);
    let country = text(Field::CountryCode).map(|c| match countries::by_iso3(&c) {
        Some(k) => k.name.to_string(),
        None => c,
    });
    let place = match (city, country) {
        (Some(a), Some(b)) => Some(format!("{a}, {b}")),
        (a, b) => a.or(b),
    };
    let year = |f: Field| {
        doc.value(f.key())
            .and_then(YearValue::from_value)
            .map(|y| y.display())
    };
    let years = match (year(Field::YearStart), year(Field::YearCompleted)) {
        (Some(a), Some(b)) => Some(format!("{a}–{b}")),
        (Some(a), None) => Some(format!("Since {a}")),
        (None, Some(b)) => Some(format!("Completed {b}")),
        (None, None) => None,
    };
    let (tags, _) = fields::tags_of(doc.value(Field::Tags.key()));
    let featured = text(Field::FeaturedImage).map(|src| ImageRef {
        src: image_src(&src, case_dir),
        alt: text(Field::FeaturedAlt).unwrap_or_default(),
        title: String::new(),
    });
    Header {
        title: text(Field::Title),
        description: text(Field::Description),
        status: text(Field::Status),
        kind: text(Field::Type),
        place,
        years,
        tags,
        featured,
        credit: text(Field::FeaturedCredit),
        credit_link: text(Field::FeaturedCreditLink).map(|u| classify_link(&u)),
        geography_caption: text(Field::GeographyCaption),
    }
}

/// Whether a link opens from the preview, and why not.
pub fn classify_link(url: &str) -> Link {
    let raw = url.trim();
    let inert = |why: &str| Link::Inert {
        url: raw.to_string(),
        why: why.to_string(),
    };
    if raw.chars().any(char::is_control) {
        return inert("This address contains control characters; the preview does not open it.");
    }
    let lower = raw.to_ascii_lowercase();
    if (lower.starts_with("https://") || lower.starts_with("http://"))
        && raw.len() > lower.find("//").map_or(0, |i| i + 2)
    {
        return Link::Open(raw.to_string());
    }
    if lower.starts_with("mailto:") && raw.len() > 7 {
        return Link::Open(raw.to_string());
    }
    if raw.starts_with('#') {
        return inert("A link to a place in the page; the preview does not follow it.");
    }
    match scheme_of(&lower) {
        Some(s) if matches!(s, "javascript" | "vbscript" | "data" | "file") => inert(&format!(
            "{s}: links are never opened: only web (https://) and mail (mailto:) links open from the preview."
        )),
        Some(s) => inert(&format!(
            "{s}: links are not opened: only web (https://) and mail (mailto:) links open from the preview."
        )),
        None => inert("A link to a file; the preview only opens web and mail links."),
    }
}

/// The scheme of a lower-cased address, if it has one (`javascript` of `javascript:alert(1)`).
fn scheme_of(lower: &str) -> Option<&str> {
    let colon = lower.find(':')?;
    let scheme = &lower[..colon];
    let valid = !scheme.is_empty()
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic());
    valid.then_some(scheme)
}

/// Where an image is: inside the case folder, remote (never fetched), or refused.
pub fn image_src(src: &str, case_dir: &Path) -> ImageSrc {
    let raw = src.trim();
    let lower = raw.to_ascii_lowercase();
    let remote = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"))
        .or_else(|| lower.strip_prefix("//"));
    if let Some(rest) = remote {
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        let host_port = authority.rsplit('@').next().unwrap_or_default();
        let host = if host_port.starts_with('[') {
            host_port.split_inclusive(']').next().unwrap_or_default()
        } else {
            host_port.split(':').next().unwrap_or_default()
        };
        return ImageSrc::Remote {
            host: if host.is_empty() {
                "an unnamed host".to_string()
            } else {
                host.to_string()
            },
        };
    }
    let decoded = percent_decode(raw);
    match confine(case_dir, &decoded) {
        Ok(path) => ImageSrc::Local(path),
        Err(e) => ImageSrc::Refused(e.to_string()),
    }
}

/// `%20`-style escapes decoded (invalid ones kept as written).
fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(h) = bytes.get(i + 1..i + 3)
            && let Ok(hex) = std::str::from_utf8(h)
            && let Ok(v) = u8::from_str_radix(hex, 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A container being built.
enum Container {
    Root(Vec<Block>),
    Quote(Vec<Block>),
    List {
        start: Option<u64>,
        items: Vec<Vec<Block>>,
    },
    Item(Vec<Block>),
}

/// What inline content is being collected for.
#[derive(Clone, Copy, PartialEq)]
enum InlineOwner {
    Paragraph,
    /// A paragraph opened by inline content without a paragraph tag (tight list items).
    Implicit,
    Heading(u8),
    Cell,
}

/// A table being built.
#[derive(Default)]
struct TableBuild {
    head: Vec<Vec<Inline>>,
    rows: Vec<Vec<Vec<Inline>>>,
    row: Vec<Vec<Inline>>,
}

/// Turns Markdown events into blocks.
struct Builder<'d> {
    case_dir: &'d Path,
    stack: Vec<Container>,
    inlines: Option<(InlineOwner, Vec<Inline>)>,
    strong: usize,
    emph: usize,
    strike: usize,
    links: Vec<Link>,
    image: Option<(String, String, String)>,
    code: Option<(String, String)>,
    html: Option<String>,
    table: Option<TableBuild>,
    flattened: usize,
    inline_comment: bool,
}

/// Parses Markdown into blocks (raw HTML inert, comments dropped).
pub fn parse_markdown(text: &str, case_dir: &Path) -> Vec<Block> {
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let mut b = Builder {
        case_dir,
        stack: vec![Container::Root(Vec::new())],
        inlines: None,
        strong: 0,
        emph: 0,
        strike: 0,
        links: Vec::new(),
        image: None,
        code: None,
        html: None,
        table: None,
        flattened: 0,
        inline_comment: false,
    };
    for event in Parser::new_ext(text, options) {
        b.event(event);
    }
    b.finish()
}

impl Builder<'_> {
    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(t) => self.text(&t),
            Event::Code(t) => {
                if self.skip_inline(&t) {
                    return;
                }
                self.run(&t, true);
            }
            Event::InlineMath(t) | Event::DisplayMath(t) => self.run(&t, true),
            Event::Html(t) => match &mut self.html {
                Some(h) => h.push_str(&t),
                None => self.block(Block::Html(t.to_string())),
            },
            Event::InlineHtml(t) => self.inline_html(&t),
            Event::FootnoteReference(t) => self.run(&format!("[{t}]"), false),
            Event::SoftBreak => {
                if !self.inline_comment {
                    self.text(" ");
                }
            }
            Event::HardBreak => {
                if !self.inline_comment {
                    self.push_inline(Inline::Break);
                }
            }
            Event::Rule => self.block(Block::Rule),
            Event::TaskListMarker(done) => self.run(if done { "[x] " } else { "[ ] " }, false),
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Paragraph => {
                self.flush_implicit();
                self.inlines = Some((InlineOwner::Paragraph, Vec::new()));
            }
            Tag::Heading { level, .. } => {
                self.flush_implicit();
                self.inlines = Some((InlineOwner::Heading(heading_level(level)), Vec::new()));
            }
            Tag::BlockQuote(_) => {
                self.flush_implicit();
                if self.stack.len() >= MAX_DEPTH || self.flattened > 0 {
                    self.flattened += 1;
                } else {
                    self.stack.push(Container::Quote(Vec::new()));
                }
            }
            Tag::CodeBlock(kind) => {
                self.flush_implicit();
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info
                        .split_whitespace()
                        .next()
                        .unwrap_or_default()
                        .to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                self.code = Some((lang, String::new()));
            }
            Tag::HtmlBlock => {
                self.flush_implicit();
                self.html = Some(String::new());
            }
            Tag::List(start) => {
                self.flush_implicit();
                if self.stack.len() >= MAX_DEPTH || self.flattened > 0 {
                    self.flattened += 1;
                } else {
                    self.stack.push(Container::List {
                        start,
                        items: Vec::new(),
                    });
                }
            }
            Tag::Item => {
                self.flush_implicit();
                if self.flattened > 0 {
                    self.flattened += 1;
                } else {
                    self.stack.push(Container::Item(Vec::new()));
                }
            }
            Tag::Table(_) => {
                self.flush_implicit();
                self.table = Some(TableBuild::default());
            }
            Tag::TableHead | Tag::TableRow => {
                if let Some(t) = &mut self.table {
                    t.row.clear();
                }
            }
            Tag::TableCell => self.inlines = Some((InlineOwner::Cell, Vec::new())),
            Tag::Emphasis => self.emph += 1,
            Tag::Strong => self.strong += 1,
            Tag::Strikethrough => self.strike += 1,
            Tag::Link { dest_url, .. } => self.links.push(classify_link(&dest_url)),
            Tag::Image {
                dest_url, title, ..
            } => {
                self.image = Some((dest_url.to_string(), title.to_string(), String::new()));
            }
            Tag::FootnoteDefinition(_)
            | Tag::DefinitionList
            | Tag::DefinitionListTitle
            | Tag::DefinitionListDefinition
            | Tag::Superscript
            | Tag::Subscript
            | Tag::MetadataBlock(_) => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph => self.flush_inlines(),
            TagEnd::Heading(_) => self.flush_inlines(),
            TagEnd::BlockQuote(_) => {
                self.flush_implicit();
                if self.flattened > 0 {
                    self.flattened -= 1;
                } else if let Some(Container::Quote(blocks)) = self.pop_container() {
                    self.block(Block::Quote(blocks));
                }
            }
            TagEnd::CodeBlock => {
                if let Some((lang, text)) = self.code.take() {
                    self.block(Block::Code { lang, text });
                }
            }
            TagEnd::HtmlBlock => {
                if let Some(h) = self.html.take() {
                    let visible = casebook_core::sections::strip_comments(&h);
                    let visible = visible.trim();
                    if !visible.is_empty() {
                        self.block(Block::Html(visible.to_string()));
                    }
                }
            }
            TagEnd::List(_) => {
                self.flush_implicit();
                if self.flattened > 0 {
                    self.flattened -= 1;
                } else if let Some(Container::List { start, items }) = self.pop_container() {
                    self.block(Block::List { start, items });
                }
            }
            TagEnd::Item => {
                self.flush_implicit();
                if self.flattened > 0 {
                    self.flattened -= 1;
                } else if let Some(Container::Item(blocks)) = self.pop_container()
                    && let Some(Container::List { items, .. }) = self.stack.last_mut()
                {
                    items.push(blocks);
                }
            }
            TagEnd::Table => {
                if let Some(t) = self.table.take() {
                    self.block(Block::Table {
                        head: t.head,
                        rows: t.rows,
                    });
                }
            }
            TagEnd::TableHead => {
                if let Some(t) = &mut self.table {
                    t.head = std::mem::take(&mut t.row);
                }
            }
            TagEnd::TableRow => {
                if let Some(t) = &mut self.table {
                    let row = std::mem::take(&mut t.row);
                    t.rows.push(row);
                }
            }
            TagEnd::TableCell => {
                let cell = self.inlines.take().map(|(_, v)| v).unwrap_or_default();
                if let Some(t) = &mut self.table {
                    t.row.push(cell);
                }
            }
            TagEnd::Emphasis => self.emph = self.emph.saturating_sub(1),
            TagEnd::Strong => self.strong = self.strong.saturating_sub(1),
            TagEnd::Strikethrough => self.strike = self.strike.saturating_sub(1),
            TagEnd::Link => {
                self.links.pop();
            }
            TagEnd::Image => {
                if let Some((src, title, alt)) = self.image.take() {
                    let img = ImageRef {
                        src: image_src(&src, self.case_dir),
                        alt,
                        title,
                    };
                    self.push_inline(Inline::Image(img));
                }
            }
            TagEnd::FootnoteDefinition
            | TagEnd::DefinitionList
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::MetadataBlock(_) => {}
        }
    }

    /// Whether inline content is inside an open inline comment (then it is dropped).
    fn skip_inline(&mut self, t: &str) -> bool {
        if self.inline_comment {
            if t.contains("-->") {
                self.inline_comment = false;
            }
            return true;
        }
        false
    }

    fn text(&mut self, t: &str) {
        if let Some((_, code)) = &mut self.code {
            code.push_str(t);
            return;
        }
        if let Some(h) = &mut self.html {
            h.push_str(t);
            return;
        }
        if self.skip_inline(t) {
            return;
        }
        if let Some((_, _, alt)) = &mut self.image {
            alt.push_str(t);
            return;
        }
        self.run(t, false);
    }

    fn inline_html(&mut self, t: &str) {
        if self.inline_comment {
            if t.contains("-->") {
                self.inline_comment = false;
            }
            return;
        }
        if let Some(i) = t.find("<!--") {
            let before = &t[..i];
            if !before.trim().is_empty() {
                self.push_inline(Inline::Html(before.to_string()));
            }
            if !t[i + 4..].contains("-->") {
                self.inline_comment = true;
            } else {
                let rest = casebook_core::sections::strip_comments(&t[i..]);
                if !rest.trim().is_empty() {
                    self.push_inline(Inline::Html(rest));
                }
            }
            return;
        }
        if self.image.is_some() {
            return;
        }
        self.push_inline(Inline::Html(t.to_string()));
    }

    fn run(&mut self, t: &str, code: bool) {
        if let Some((_, _, alt)) = &mut self.image {
            alt.push_str(t);
            return;
        }
        let run = Run {
            text: t.to_string(),
            strong: self.strong > 0,
            emph: self.emph > 0,
            code,
            strike: self.strike > 0,
            link: self.links.last().cloned(),
        };
        // Merge with the previous run when it looks the same.
        if let Some((_, inlines)) = &mut self.inlines
            && let Some(Inline::Run(prev)) = inlines.last_mut()
            && prev.strong == run.strong
            && prev.emph == run.emph
            && prev.code == run.code
            && prev.strike == run.strike
            && prev.link == run.link
        {
            prev.text.push_str(&run.text);
            return;
        }
        self.push_inline(Inline::Run(run));
    }

    fn push_inline(&mut self, inline: Inline) {
        match &mut self.inlines {
            Some((_, v)) => v.push(inline),
            None => self.inlines = Some((InlineOwner::Implicit, vec![inline])),
        }
    }

    /// Ends a paragraph, heading (or implicit paragraph) and adds it to the current container.
    fn flush_inlines(&mut self) {
        let Some((owner, inlines)) = self.inlines.take() else {
            return;
        };
        match owner {
            InlineOwner::Heading(level) => self.block(Block::Heading { level, inlines }),
            InlineOwner::Paragraph | InlineOwner::Implicit => {
                if !inlines.is_empty() {
                    self.block(Block::Paragraph(inlines));
                }
            }
            InlineOwner::Cell => {
                if let Some(t) = &mut self.table {
                    t.row.push(inlines);
                }
            }
        }
    }

    fn flush_implicit(&mut self) {
        if matches!(self.inlines, Some((InlineOwner::Implicit, _))) {
            self.flush_inlines();
        }
    }

    fn pop_container(&mut self) -> Option<Container> {
        if self.stack.len() <= 1 {
            return None;
        }
        self.stack.pop()
    }

    fn block(&mut self, block: Block) {
        match self.stack.last_mut() {
            Some(Container::Root(v) | Container::Quote(v) | Container::Item(v)) => v.push(block),
            Some(Container::List { items, .. }) => {
                // Content straight in a list (not in an item): give it an item of its own.
                items.push(vec![block]);
            }
            None => self.stack.push(Container::Root(vec![block])),
        }
    }

    fn finish(mut self) -> Vec<Block> {
        self.flush_inlines();
        while self.stack.len() > 1 {
            match self.stack.pop() {
                Some(Container::Quote(blocks)) => self.block(Block::Quote(blocks)),
                Some(Container::List { start, items }) => self.block(Block::List { start, items }),
                Some(Container::Item(blocks)) => match self.stack.last_mut() {
                    Some(Container::List { items, .. }) => items.push(blocks),
                    _ => {
                        for b in blocks {
                            self.block(b);
                        }
                    }
                },
                Some(Container::Root(blocks)) => {
                    for b in blocks {
                        self.block(b);
                    }
                }
                None => break,
            }
        }
        match self.stack.pop() {
            Some(Container::Root(v)) => v,
            _ => Vec::new(),
        }
    }
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
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
        ImageSrc::Local(path) => match state.image(ui.ctx(), path) {
            ImageSlot::Ready(tex) => {
                let size = tex.size_vec2();
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

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTILE: &str = "---\ntitle: Hostile\nfeatured_image: https://cdn.example.org/x.jpg\nfeatured_credit_link: javascript:alert(1)\n---\n\n## Overview\n\n<!-- Guidance to hide. -->\n\nText with <script>alert(1)</script> inline and [bad](javascript:alert(1)) and [ok](https://example.org) and [data](data:text/html,x).\n\n<script>\nalert(2)\n</script>\n\n<img src=x onerror=alert(3)>\n\n<iframe src=\"https://evil.example\"></iframe>\n\n![remote](https://img.example.org:8080/a.png \"Remote\")\n\n![escape](../secret.png)\n\n![local](./photo.jpg \"Caption\")\n\n- one\n  - nested **bold**\n- two\n\n> quote\n\n| a | b |\n|---|---|\n| 1 | 2 |\n";

    fn all_runs(blocks: &[Block], out: &mut Vec<Inline>) {
        for b in blocks {
            match b {
                Block::Heading { inlines, .. } | Block::Paragraph(inlines) => {
                    out.extend(inlines.iter().cloned())
                }
                Block::List { items, .. } => {
                    for i in items {
                        all_runs(i, out);
                    }
                }
                Block::Quote(v) => all_runs(v, out),
                Block::Table { head, rows } => {
                    for c in head {
                        out.extend(c.iter().cloned());
                    }
                    for r in rows {
                        for c in r {
                            out.extend(c.iter().cloned());
                        }
                    }
                }
                _ => {}
            }
        }
    }

    #[test]
    fn hostile_content_is_inert() -> std::io::Result<()> {
        let dir = tempfile::tempdir()?;
        let doc = Document::from_text(HOSTILE);
        let m = build_model(&doc, dir.path());
        // The guidance comment is gone.
        let debug = format!("{m:?}");
        assert!(!debug.contains("Guidance to hide"), "{debug}");
        // Raw HTML stays as text blocks, never anything else.
        let html: Vec<&str> = m
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Html(h) => Some(h.as_str()),
                _ => None,
            })
            .collect();
        assert!(html.iter().any(|h| h.contains("<script>")));
        assert!(html.iter().any(|h| h.contains("onerror")));
        assert!(html.iter().any(|h| h.contains("<iframe")));
        let mut inl = Vec::new();
        all_runs(&m.blocks, &mut inl);
        assert!(
            inl.iter()
                .any(|i| matches!(i, Inline::Html(h) if h.contains("<script>")))
        );
        let links: Vec<&Link> = inl
            .iter()
            .filter_map(|i| match i {
                Inline::Run(r) => r.link.as_ref(),
                _ => None,
            })
            .collect();
        assert!(links.contains(&&Link::Open("https://example.org".to_string())));
        assert!(
            links
                .iter()
                .any(|l| matches!(l, Link::Inert { url, why } if url.starts_with("javascript:") && why.contains("never")))
        );
        assert!(
            links
                .iter()
                .any(|l| matches!(l, Link::Inert { url, .. } if url.starts_with("data:")))
        );
        assert!(
            !links
                .iter()
                .any(|l| matches!(l, Link::Open(u) if !u.starts_with("https://")))
        );
        // Images: remote named by host, escape refused, local confined.
        let images: Vec<&ImageRef> = inl
            .iter()
            .filter_map(|i| match i {
                Inline::Image(img) => Some(img),
                _ => None,
            })
            .collect();
        assert_eq!(images.len(), 3);
        assert_eq!(
            images[0].src,
            ImageSrc::Remote {
                host: "img.example.org".into()
            }
        );
        assert_eq!(images[0].title, "Remote");
        assert!(
            matches!(&images[1].src, ImageSrc::Refused(why) if why.contains("out of the case folder"))
        );
        assert_eq!(images[2].src, ImageSrc::Local(dir.path().join("photo.jpg")));
        assert_eq!(images[2].alt, "local");
        // Header: remote featured image, inert credit link.
        assert_eq!(m.header.title.as_deref(), Some("Hostile"));
        assert_eq!(
            m.header.featured.as_ref().map(|f| f.src.clone()),
            Some(ImageSrc::Remote {
                host: "cdn.example.org".into()
            })
        );
        assert!(matches!(m.header.credit_link, Some(Link::Inert { .. })));
        // Structure survives: nested list, quote, table.
        assert!(m.blocks.iter().any(
            |b| matches!(b, Block::List { items, .. } if items.len() == 2
            && items[0].iter().any(|x| matches!(x, Block::List { .. })))
        ));
        assert!(m.blocks.iter().any(|b| matches!(b, Block::Quote(_))));
        assert!(m.blocks.iter().any(
            |b| matches!(b, Block::Table { head, rows } if head.len() == 2 && rows.len() == 1)
        ));
        Ok(())
    }

    #[test]
    fn links_are_classified() {
        for (url, opens) in [
            ("https://example.org", true),
            ("HTTP://example.org/a", true),
            ("mailto:a@example.org", true),
            ("javascript:alert(1)", false),
            ("JavaScript:alert(1)", false),
            (" javascript:alert(1)", false),
            ("java\nscript:alert(1)", false),
            ("vbscript:x", false),
            ("data:text/html;base64,xx", false),
            ("file:///etc/passwd", false),
            ("./report.pdf", false),
            ("#overview", false),
            ("https://", false),
            ("ftp://example.org", false),
        ] {
            assert_eq!(
                matches!(classify_link(url), Link::Open(_)),
                opens,
                "{url:?}"
            );
        }
    }

    #[test]
    fn deep_nesting_and_odd_input_do_not_panic() {
        let dir = Path::new("/tmp/none");
        let deep = "> ".repeat(500) + "x\n" + &"- ".repeat(300) + "y\n";
        let blocks = parse_markdown(&deep, dir);
        assert!(!blocks.is_empty());
        for t in [
            "",
            "<!--",
            "<!-- a\n\nb -->c",
            "`",
            "![",
            "![a](",
            "| a |\n|-",
            "***",
            "<a href=x>y</a>",
        ] {
            let _ = parse_markdown(t, dir);
        }
        // An unclosed inline comment hides the rest of its paragraph only.
        let b = parse_markdown("a <!-- hidden\nstill --> b\n\nnext", dir);
        let debug = format!("{b:?}");
        assert!(
            !debug.contains("hidden") && !debug.contains("still"),
            "{debug}"
        );
        assert!(debug.contains("next"));
    }

    #[test]
    fn local_images_load_once_and_show_with_their_alt_text()
    -> Result<(), Box<dyn std::error::Error>> {
        use egui_kittest::Harness;
        use egui_kittest::kittest::Queryable;
        let dir = tempfile::tempdir()?;
        image::RgbaImage::from_pixel(4, 3, image::Rgba([200, 40, 40, 255]))
            .save(dir.path().join("photo.png"))?;
        let text = "---\ntitle: Pictures\n---\n\n## Overview\n\n![A red test card](./photo.png \"Caption and credit\")\n";
        let case = casebook_core::case::Case::from_text(dir.path(), text);
        let template = casebook_core::template::TemplateSet::bundled()
            .current()
            .clone();
        let mut state = PreviewState::default();
        let mut harness = Harness::builder()
            .with_size(egui::vec2(1280.0, 800.0))
            .build_ui(|ui| {
                let cx = ViewCtx {
                    case: &case,
                    template: &template,
                    diagnostics: &[],
                    revision: 7,
                    focus: None,
                };
                let _ = preview_ui(ui, &mut state, &cx);
            });
        for _ in 0..200 {
            harness.step();
            if harness.query_by_label("A red test card").is_some() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        assert!(harness.query_by_label("A red test card").is_some());
        assert!(harness.query_by_label("Caption and credit").is_some());
        drop(harness);
        assert_eq!(state.images.len(), 1);
        assert!(matches!(
            state.images.values().next(),
            Some(ImageSlot::Ready(_))
        ));
        Ok(())
    }

    #[test]
    fn preview_draws_without_panic() -> std::io::Result<()> {
        use egui_kittest::Harness;
        use egui_kittest::kittest::Queryable;
        let dir = tempfile::tempdir()?;
        let case = casebook_core::case::Case::from_text(dir.path(), HOSTILE);
        let template = casebook_core::template::TemplateSet::bundled()
            .current()
            .clone();
        let mut state = PreviewState::default();
        let mut harness = Harness::builder()
            .with_size(egui::vec2(1280.0, 800.0))
            .build_ui(|ui| {
                let cx = ViewCtx {
                    case: &case,
                    template: &template,
                    diagnostics: &[],
                    revision: 1,
                    focus: None,
                };
                let _ = preview_ui(ui, &mut state, &cx);
            });
        harness.run();
        assert!(
            harness
                .query_by_label_contains("Image from img.example.org")
                .is_some()
        );
        assert!(harness.query_by_label("ok").is_some());
        Ok(())
    }
}
