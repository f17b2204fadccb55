//! The words one case makes known: names it already uses, and words ignored in it.
//!
//! Names the case uses count as known: the words of its `title`, `city`, `author`,
//! `featured_credit`, `geography_caption`, the captions (titles) of its body images, and the
//! bold item names that start its paragraphs and list items (`**Barangaroo Reserve**. …`).
//! A name misspelled in one of those places is therefore not flagged anywhere in the case;
//! the trade is deliberate, as names are what a general dictionary gets wrong most.

use std::sync::atomic::{AtomicU64, Ordering};

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::tokenize;
use super::words::WordSet;
use crate::document::Document;
use crate::fields;

/// Front-matter keys whose words are names the case uses.
pub const NAME_KEYS: [&str; 5] = [
    "title",
    "city",
    "author",
    "featured_credit",
    "geography_caption",
];

/// The extra words known in one case.
#[derive(Debug, Clone)]
pub struct CaseWords {
    id: u64,
    known: WordSet,
    ignored: WordSet,
}

impl Default for CaseWords {
    fn default() -> Self {
        CaseWords::new(WordSet::new(), WordSet::new())
    }
}

impl CaseWords {
    /// Known names and ignored words.
    pub fn new(known: WordSet, ignored: WordSet) -> CaseWords {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        CaseWords {
            id: NEXT.fetch_add(1, Ordering::Relaxed),
            known,
            ignored,
        }
    }

    /// The names `doc` uses, with the words ignored in it.
    pub fn of_document(doc: &Document, ignored: WordSet) -> CaseWords {
        CaseWords::new(names_in(doc), ignored)
    }

    /// A number that changes whenever the words do (for caches).
    pub fn id(&self) -> u64 {
        self.id
    }

    /// Whether `word` is a name of the case or ignored in it.
    pub fn contains(&self, word: &str) -> bool {
        self.known.contains(word) || self.ignored.contains(word)
    }

    /// The names the case uses.
    pub fn known(&self) -> &WordSet {
        &self.known
    }

    /// The words ignored in the case.
    pub fn ignored(&self) -> &WordSet {
        &self.ignored
    }
}

/// The words of the names a document uses (see the module documentation).
pub fn names_in(doc: &Document) -> WordSet {
    let mut set = WordSet::new();
    let mut add = |text: &str| {
        for r in tokenize::plain_words(text) {
            let w = &text[r];
            set.insert(w);
            set.insert(tokenize::strip_possessive(w));
        }
    };
    for key in NAME_KEYS {
        if let Some(v) = doc.value(key) {
            match v {
                serde_yaml::Value::Sequence(items) => items
                    .iter()
                    .filter_map(fields::as_text)
                    .for_each(|t| add(&t)),
                other => {
                    if let Some(t) = fields::as_text(other) {
                        add(&t);
                    }
                }
            }
        }
    }
    let text = doc.text();
    let Some(body) = text.get(doc.body().range.clone()) else {
        return set;
    };
    // Bold text that opens a paragraph or list item; image titles.
    let mut at_block_start = false;
    let mut strong: Option<String> = None;
    for event in Parser::new_ext(body, Options::empty()) {
        match event {
            Event::Start(Tag::Paragraph | Tag::Item) => at_block_start = true,
            Event::Start(Tag::Strong) if at_block_start => {
                strong = Some(String::new());
                at_block_start = false;
            }
            Event::End(TagEnd::Strong) => {
                if let Some(s) = strong.take() {
                    add(&s);
                }
            }
            Event::Start(Tag::Image { title, .. }) => {
                add(&title);
                at_block_start = false;
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(s) = strong.as_mut() {
                    s.push_str(&t);
                } else if !t.trim().is_empty() {
                    at_block_start = false;
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(s) = strong.as_mut() {
                    s.push(' ');
                }
            }
            Event::Start(_) | Event::End(_) => {}
            _ => at_block_start = false,
        }
    }
    set
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_fields_bold_items_and_captions() {
        let doc = Document::from_text(
            "---\ntitle: Zorblat Quarter\ncity: Quxville\nauthor: [Ann Vrelk, Bo Snurd]\nfeatured_credit: Plimbo Studio\ngeography_caption: Greater Quxville\ndescription: Not a nmae\n---\n\n## Items\n\n**Frobnic Hub**. The hub is mid-text **Notaname** here.\n\n- **Glarp Lane**: a street.\n\n![Alt wrds](./a.png \"Photo by Trenz\")\n",
        );
        let names = names_in(&doc);
        for w in [
            "Zorblat", "Quxville", "Vrelk", "Snurd", "Plimbo", "Frobnic", "Glarp", "Trenz",
        ] {
            assert!(names.contains(w), "{w}");
        }
        for w in ["nmae", "Notaname", "wrds"] {
            assert!(!names.contains(w), "{w}");
        }
    }
}
