//! The render model of the preview: a document read into blocks and inline runs, with every
//! safety decision (inert HTML, which links open, which images are read) made here so it can
//! be tested without pixels.

use std::path::{Path, PathBuf};

use casebook_core::countries;
use casebook_core::document::Document;
use casebook_core::fields::{self, Field, YearValue};
use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::MAX_DEPTH;
use super::safety::{classify_link, image_src};

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
