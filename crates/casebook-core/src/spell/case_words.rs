//! The words one case makes known: names it already uses, and words ignored in it.
//!
//! Names the case uses count as known: the words of its `title`, `city`, `author`,
//! `featured_credit`, `geography_caption`, the captions (titles) of its body images, and the
//! bold item names that start its paragraphs and list items (`**Barangaroo Reserve**. …`).
//! A name misspelled in one of those places is therefore not flagged anywhere in the case;
//! the trade is deliberate, as names are what a general dictionary gets wrong most.
//!
//! So do names the text itself uses consistently: a Capitalised word written the same way at
//! least twice in the case's prose, once or more in the middle of a sentence (`… with Drexel
//! University … Drexel's lab`). A one-off capitalised typo is still flagged, and its
//! suggestions start with the case's names one or two letters away.

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
    let mut add = |text: &str| add_words(&mut set, text);
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
    for name in repeated_names(doc) {
        add(&name);
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

/// Adds the words of `text` (and the parts of hyphenated ones, without possessive `'s`).
fn add_words(set: &mut WordSet, text: &str) {
    for r in tokenize::plain_words(text) {
        let w = &text[r];
        set.insert(w);
        for p in tokenize::parts(w) {
            set.insert(tokenize::strip_possessive(&w[p]));
        }
    }
}

/// Capitalised words the prose uses at least twice, once or more mid-sentence.
fn repeated_names(doc: &Document) -> Vec<String> {
    use std::collections::HashMap;
    let text = doc.text();
    let body = doc.body();
    let mut ranges = vec![body.preamble.clone()];
    ranges.extend(body.sections.iter().map(|s| s.content.clone()));
    // word -> (uses, uses mid-sentence)
    let mut seen: HashMap<&str, (usize, usize)> = HashMap::new();
    for r in ranges {
        let Some(src) = text.get(r) else {
            continue;
        };
        for w in tokenize::markdown_words(src) {
            let word = &src[w.clone()];
            let mid = !sentence_start(&src[..w.start]);
            for p in tokenize::parts(word) {
                let part = tokenize::strip_possessive(&word[p.clone()]);
                let mut chars = part.chars();
                let capitalised =
                    chars.next().is_some_and(char::is_uppercase) && chars.any(char::is_lowercase);
                if capitalised {
                    let e = seen.entry(part).or_default();
                    e.0 += 1;
                    e.1 += usize::from(mid && p.start == 0);
                }
            }
        }
    }
    seen.into_iter()
        .filter(|(_, (uses, mid))| *uses >= 2 && *mid >= 1)
        .map(|(w, _)| w.to_string())
        .collect()
}

/// Whether a word preceded by `before` starts a sentence (or a line, heading, list item).
fn sentence_start(before: &str) -> bool {
    let prev = before
        .chars()
        .rev()
        .find(|c| (!c.is_whitespace() || *c == '\n') && !"\"'“‘(*_[>#-".contains(*c));
    matches!(prev, None | Some('\n' | '.' | '!' | '?' | ':' | ';'))
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

    #[test]
    fn names_used_twice_mid_sentence_are_known() {
        let doc = Document::from_text(
            "## A\n\nWe met Vlorbin at the Kestrix lab. Later Vlorbin's team left.\n\nKestrix grew. Goverment said no.\n\nGoverment again.\n",
        );
        let names = names_in(&doc);
        assert!(names.contains("Vlorbin"));
        assert!(names.contains("Kestrix"));
        // Twice, but only at sentence starts: not a name.
        assert!(!names.contains("Goverment"));
        assert!(sentence_start("") && sentence_start("End. ") && sentence_start("x\n- **"));
        assert!(!sentence_start("the ") && !sentence_start("with ("));
    }
}
