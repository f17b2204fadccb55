//! Tests of the sections view.

use super::*;
use crate::ui::test_support::{assert_has, click};
use casebook_core::case::Case;
use casebook_core::template::{Template, TemplateSet};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

const TEXT: &str = "---\ntitle: Test case\ntemplate: case-study\nstatus: Draft\n---\n\n## Overview\n\n<!-- Sum up the whole case in about 100 to 150 words. -->\n\nOld overview text.\n\n## Key Characteristics\n\nSome **text** here.\n\n## Extra Notes\n\nMine, not the template's.\n";

/// What the test harness holds: the case and what the app would do with intents.
struct World {
    case: Case,
    template: Template,
    sections: SectionsState,
    revision: u64,
    focus: Option<Focus>,
    other: Vec<Intent>,
    labels: Vec<(String, Option<String>)>,
    _dir: tempfile::TempDir,
}

fn world(text: &str, template: &str) -> World {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("tempdir: {e}"));
    let template = TemplateSet::bundled()
        .get(template)
        .cloned()
        .unwrap_or_else(|| panic!("no template {template}"));
    World {
        case: Case::from_text(dir.path(), text),
        template,
        sections: SectionsState::default(),
        revision: 0,
        focus: None,
        other: Vec::new(),
        labels: Vec::new(),
        _dir: dir,
    }
}

fn frame(ui: &mut egui::Ui, w: &mut World) {
    let cx = ViewCtx {
        case: &w.case,
        template: &w.template,
        diagnostics: &[],
        revision: w.revision,
        focus: w.focus.as_ref(),
    };
    let intents = sections_ui(ui, &mut w.sections, &cx);
    w.focus = None;
    for i in intents {
        match i {
            Intent::Edit { edit, label, merge } => match w.case.apply(&edit) {
                Ok(Some(_)) => {
                    w.revision += 1;
                    w.labels.push((label, merge));
                }
                Ok(None) => {}
                Err(e) => panic!("edit failed: {e}"),
            },
            other => w.other.push(other),
        }
    }
}

fn harness(w: World) -> Harness<'static, World> {
    Harness::builder()
        .with_max_steps(32)
        .with_size(egui::vec2(1280.0, 1600.0))
        .build_ui_state(frame, w)
}

/// The sections view on a case of `text` under `template`, after its first frames.
fn opened(text: &str, template: &str) -> Harness<'static, World> {
    let mut h = harness(world(text, template));
    h.run();
    h
}

/// Gives the control labelled `label` the keyboard focus.
fn focus(h: &mut Harness<'_, World>, label: &str) {
    h.get_by_label(label).focus();
    h.run();
}

/// Gives the control labelled `label` the keyboard focus, its cursor at the end.
fn focus_at_end(h: &mut Harness<'_, World>, label: &str) {
    focus(h, label);
    h.key_press(egui::Key::End);
}

/// Types `text` into the control labelled `label` (where its cursor is).
fn type_into(h: &mut Harness<'_, World>, label: &str, text: &str) {
    h.get_by_label(label).type_text(text);
    h.run();
}

/// Asserts that the case's text is `TEXT` with `old` replaced by `new`.
#[track_caller]
fn assert_text_replaced(h: &Harness<'_, World>, old: &str, new: &str) {
    assert_eq!(text_of(h), TEXT.replace(old, new));
}

fn text_of(h: &Harness<'_, World>) -> String {
    String::from_utf8_lossy(&h.state().case.index_bytes()).into_owned()
}

#[test]
fn typing_changes_only_that_section() {
    let mut h = opened(TEXT, "case-study");
    focus_at_end(&mut h, "Overview");
    type_into(&mut h, "Overview", " New words.");
    let after = text_of(&h);
    assert_eq!(
        after,
        TEXT.replace("Old overview text.", "Old overview text. New words.")
    );
    assert_eq!(h.state().revision, 1);
    assert_eq!(
        h.state().labels,
        [(
            "Text of Overview".to_string(),
            Some("section:0".to_string())
        )]
    );
    // The cursor moves with what was typed; the buffer keeps it all.
    h.key_press(egui::Key::Home);
    type_into(&mut h, "Overview", "Intro. ");
    assert_text_replaced(
        &h,
        "Old overview text.",
        "Intro. Old overview text. New words.",
    );
}

#[test]
fn trailing_space_waits_for_the_next_word() {
    let mut h = opened(TEXT, "case-study");
    focus_at_end(&mut h, "Overview");
    type_into(&mut h, "Overview", " ");
    assert_eq!(text_of(&h), TEXT, "a trailing space alone changes nothing");
    type_into(&mut h, "Overview", "Next");
    assert_text_replaced(&h, "Old overview text.", "Old overview text. Next");
}

#[test]
fn undo_elsewhere_resets_the_buffer() {
    let mut h = opened(TEXT, "case-study");
    let edit = Edit::SetSectionText {
        section: 1,
        text: "Changed behind the editor.".to_string(),
    };
    let w = h.state_mut();
    if !matches!(w.case.apply(&edit), Ok(Some(_))) {
        panic!("edit failed");
    }
    w.revision += 1;
    h.run();
    assert_eq!(
        h.get_by_label("Key Characteristics").value().as_deref(),
        Some("Changed behind the editor.")
    );
}

#[test]
fn add_section_goes_to_its_template_position_with_guidance() {
    let mut h = opened(TEXT, "case-study");
    click(&mut h, "Add section Goals and Aspirations");
    let doc = h.state().case.doc().clone();
    let names: Vec<&str> = doc
        .body()
        .sections
        .iter()
        .map(|s| s.heading.as_str())
        .collect();
    assert_eq!(
        names[..3],
        ["Overview", "Goals and Aspirations", "Key Characteristics"]
    );
    let g = doc.body().sections[1]
        .guidance
        .as_ref()
        .map(|g| g.text.clone())
        .unwrap_or_default();
    assert!(
        g.starts_with("What does the project set out to achieve?"),
        "{g}"
    );
    let text = text_of(&h);
    assert!(text.contains("Old overview text.\n\n## Goals and Aspirations\n\n<!-- What does"));
    assert!(text.ends_with("Mine, not the template's.\n"));
    // The new section's editor exists and is labelled by its heading.
    assert!(h.query_by_label("Goals and Aspirations").is_some());
}

#[test]
fn rename_commits_on_enter() {
    let mut h = opened(TEXT, "case-study");
    click(&mut h, "Rename Extra Notes");
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    h.get_by_label("Rename Extra Notes")
        .type_text("Field Notes");
    h.key_press(egui::Key::Enter);
    h.run();
    assert_text_replaced(&h, "## Extra Notes", "## Field Notes");
    assert!(h.query_by_label("Field Notes").is_some());
}

#[test]
fn delete_asks_first_and_shows_the_text() {
    let mut h = opened(TEXT, "case-study");
    click(&mut h, "Delete section Extra Notes");
    assert_eq!(text_of(&h), TEXT, "nothing is deleted before confirming");
    assert!(
        h.query_by_label_contains("Mine, not the template's.")
            .is_some()
    );
    click(&mut h, "Delete Extra Notes");
    assert_text_replaced(&h, "## Extra Notes\n\nMine, not the template's.\n", "");
}

#[test]
fn extra_sections_are_marked_and_stub_offers_upgrade() {
    let h = opened(TEXT, "case-study");
    assert_eq!(h.query_all_by_label("not in the template").count(), 1);
    assert!(h.query_by_label("Upgrade to full case study").is_none());

    let stub = "---\ntitle: Small\ntemplate: stub\n---\n\n## Overview\n\nShort.\n";
    let mut h = opened(stub, "stub");
    click(&mut h, "Upgrade to full case study");
    assert!(
        h.state()
            .other
            .iter()
            .any(|i| matches!(i, Intent::Command(Command::UpgradeToCaseStudy)))
    );
}

#[test]
fn custom_section_is_added_at_the_end() {
    let mut h = opened(TEXT, "case-study");
    click(&mut h, "Add a section…");
    h.get_by_label("Name of the new section")
        .type_text("Timeline");
    h.key_press(egui::Key::Enter);
    h.run();
    assert!(
        text_of(&h).ends_with("Mine, not the template's.\n\n## Timeline\n"),
        "{}",
        text_of(&h)
    );
}

#[test]
fn link_form_inserts_at_the_cursor() {
    let mut h = opened(TEXT, "case-study");
    focus_at_end(&mut h, "Extra Notes");
    h.run();
    let buttons: Vec<_> = h.query_all_by_label("Insert link…").collect();
    buttons[2].click();
    h.run();
    focus(&mut h, "Link text");
    h.get_by_label("Link text").type_text("the site");
    focus(&mut h, "Link address");
    h.get_by_label("Link address")
        .type_text("https://example.org");
    h.run();
    click(&mut h, "Insert link");
    // A space keeps the link off the sentence before it.
    assert_has(
        &text_of(&h),
        "Mine, not the template's. [the site](https://example.org)\n",
    );
}

#[test]
fn focus_scrolls_and_focuses_a_section() {
    let mut h = opened(TEXT, "case-study");
    h.state_mut().focus = Some(Focus::Section(1));
    h.run();
    assert!(h.get_by_label("Key Characteristics").is_focused());
}

#[test]
fn focus_on_a_missing_section_focuses_its_add_button() {
    let mut h = opened(TEXT, "case-study");
    h.state_mut().focus = Some(Focus::MissingSection("goals and aspirations".into()));
    h.run();
    assert!(
        h.get_by_label("Add section Goals and Aspirations")
            .is_focused()
    );
}

/// A file dropped on the window (what winit reports).
#[derive(Debug)]
struct Dropped(PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        Ok(Vec::new())
    }
}

#[test]
fn dropping_an_image_on_an_editor_imports_it_there() {
    let mut h = opened(TEXT, "case-study");
    let rect = h.get_by_label("Key Characteristics").rect();
    h.hover_at(rect.center());
    h.run();
    h.input_mut()
        .dropped_files
        .push(std::sync::Arc::new(Dropped(PathBuf::from(
            "/photos/site.JPG",
        ))));
    h.step();
    let imports: Vec<&ImportPurpose> = h
        .state()
        .other
        .iter()
        .filter_map(|i| match i {
            Intent::ImportFile { from, purpose } if from == Path::new("/photos/site.JPG") => {
                Some(purpose)
            }
            _ => None,
        })
        .collect();
    assert_eq!(imports.len(), 1);
    assert!(matches!(
        imports[0],
        ImportPurpose::SectionImage { section: 1, .. }
    ));
    // Files that are not images are left to the app.
    h.input_mut()
        .dropped_files
        .push(std::sync::Arc::new(Dropped(PathBuf::from(
            "/cases/other/index.md",
        ))));
    h.step();
    assert_eq!(
        h.state()
            .other
            .iter()
            .filter(|i| matches!(i, Intent::ImportFile { .. }))
            .count(),
        1
    );
}

#[test]
fn canonical_matches_what_the_document_keeps() {
    assert_eq!(canonical("\n  \nText\n\n"), "Text");
    assert_eq!(canonical("  indented\nx  "), "  indented\nx");
    assert_eq!(canonical(" \n "), "");
}

#[test]
fn meters_say_where_a_count_stands() {
    let t = Tokens::for_visuals(&egui::Visuals::light());
    let words = Target::Words {
        min: Some(100),
        max: Some(150),
    };
    assert_eq!(
        word_meter(132, Some(&words), &t),
        (
            "132 words · target 100–150 words · within".to_string(),
            t.ok
        )
    );
    assert_eq!(word_meter(90, Some(&words), &t).1, t.warning);
    assert_eq!(standing(151, &words), Standing::Over);
    assert_eq!(word_meter(1, None, &t).0, "1 word");
    let items = Target::Items {
        min: 3,
        max: 5,
        what: "high-level goals".into(),
    };
    assert_eq!(
        item_meter(2, &items, &t).0,
        "2 items · target 3–5 high-level goals · too few"
    );
}

#[test]
fn links_are_written_safely() {
    assert_eq!(
        link_markdown("a [b]", "https://x.org/a b"),
        "[a \\[b\\]](<https://x.org/a b>)"
    );
    assert_eq!(
        link_markdown("", "https://x.org"),
        "[https://x.org](https://x.org)"
    );
    assert!(is_unsafe_scheme("javascript:alert(1)"));
    assert!(is_unsafe_scheme("data:text/html,x"));
    assert!(!is_unsafe_scheme("https://x.org"));
    assert!(!is_unsafe_scheme("./file.pdf"));
}

/// Frame cost with a 20,000-word section while typing, without the test harness's
/// accessibility tree (which the app only builds for screen readers). Run with
/// `cargo test --release --lib ui::sections::tests::frame_cost -- --ignored --nocapture`.
#[test]
#[ignore = "timing; run in release"]
fn frame_cost_with_a_long_section() {
    let mut text = String::from("---\ntitle: Long\n---\n\n## Overview\n\n");
    // Typical formatting: a bold lead-in per paragraph, a link in every second one, an
    // emphasis in every third. `CASEBOOK_HEAVY=1` bolds every seventh word instead.
    let heavy = std::env::var_os("CASEBOOK_HEAVY").is_some();
    let vocab = [
        "urban",
        "technology",
        "district",
        "residents",
        "data",
        "the",
        "of",
        "platform",
    ];
    for p in 0..200 {
        text.push_str(&format!("**Point {p}**. "));
        for w in 0..98 {
            if heavy && w % 7 == 0 {
                text.push_str("**word** ");
            } else if w == 40 && p % 2 == 0 {
                text.push_str("[a source](https://example.org/page) ");
            } else if w == 60 && p % 3 == 0 {
                text.push_str("_stressed_ ");
            } else {
                text.push_str(vocab[(p * 7 + w) % vocab.len()]);
                text.push(' ');
            }
        }
        text.push_str("end.\n\n");
    }
    text.push_str("## Goals and Aspirations\n\nShort.\n");
    let mut w = world(&text, "case-study");
    let ctx = egui::Context::default();
    crate::ui::widgets::install_fonts_and_style(&ctx);
    let input = |events: Vec<egui::Event>| egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1280.0, 800.0),
        )),
        events,
        ..Default::default()
    };
    let run = |w: &mut World, events: Vec<egui::Event>| {
        let t0 = std::time::Instant::now();
        let out = ctx.run_ui(input(events), |ui| {
            egui::CentralPanel::default().show(ui, |ui| frame(ui, w));
        });
        let _ = ctx.tessellate(out.shapes, out.pixels_per_point);
        t0.elapsed()
    };
    w.focus = Some(Focus::Section(0));
    let first = run(&mut w, Vec::new());
    for _ in 0..3 {
        run(&mut w, Vec::new());
    }
    let mut typing = Vec::new();
    let mut idle = Vec::new();
    let frames: usize = std::env::var("CASEBOOK_FRAMES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(40);
    for i in 0..frames {
        typing.push(run(
            &mut w,
            vec![egui::Event::Text(if i % 6 == 5 {
                " ".into()
            } else {
                "x".into()
            })],
        ));
        idle.push(run(&mut w, Vec::new()));
    }
    typing.sort();
    idle.sort();
    let words = sections::words(&w.case.doc().section_text(0).unwrap_or_default());
    println!(
        "{words} words: first frame {first:?}; typing median {:?}, p90 {:?}; idle median {:?}",
        typing[typing.len() / 2],
        typing[typing.len() * 9 / 10],
        idle[idle.len() / 2]
    );
    let body = w.case.doc().section_text(0).unwrap_or_default();
    let style = HighlightStyle::new(
        &ctx.global_style(),
        &Tokens::for_visuals(&egui::Visuals::dark()),
    );
    let time = |f: &mut dyn FnMut()| {
        let t0 = std::time::Instant::now();
        for _ in 0..10 {
            f();
        }
        t0.elapsed() / 10
    };
    let hl = time(&mut || drop(highlight::highlight_uncached(&style, &body)));
    let wc = time(&mut || {
        std::hint::black_box(sections::words(&body));
    });
    let ic = time(&mut || {
        std::hint::black_box(template::item_count(&body));
    });
    let mut edited = body.clone();
    let mut k = 0;
    let apply = time(&mut || {
        k += 1;
        edited.push(if k % 2 == 0 { 'y' } else { 'z' });
        let e = Edit::SetSectionText {
            section: 0,
            text: edited.clone(),
        };
        let _ = w.case.apply(&e);
    });
    println!("highlight {hl:?}, word count {wc:?}, item count {ic:?}, core apply {apply:?}");
    assert!(
        w.revision >= 30,
        "typing reached the document ({} edits)",
        w.revision
    );
}
