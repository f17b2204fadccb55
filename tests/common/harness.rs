//! A harness for driving the real app in kittest flows: temporary folders, atlas-like fixtures
//! written for these tests, the app built the way eframe builds it (settings from storage,
//! egui's memory restored from a saved state on disk), keys, and frames with several events.
//!
//! The one harness of the flows: `common/mod.rs` builds its shorter helpers on it, and a flow
//! file that needs the whole of it uses `common::harness::*`.

#![allow(clippy::unwrap_used)] // tests: a failed step fails the test
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use casebook::app::settings::Settings;
use casebook::app::{CasebookApp, Startup};
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;

/// A temporary folder (removed when dropped).
pub fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

/// Writes `text` to `path`, making its folders.
pub fn write(path: &Path, text: &str) {
    if let Some(p) = path.parent() {
        std::fs::create_dir_all(p).unwrap();
    }
    std::fs::write(path, text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

/// Reads a file as text (empty when missing).
pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

/// An atlas-like checkout at `root`: `templates/` (a current and an older full template and a
/// stub, in the atlas's layout, written for these tests) beside `cases/` with one case that
/// names `template: case-study` and follows the current template's sections. Returns the
/// case's folder.
pub fn atlas(root: &Path) -> PathBuf {
    let guidance = [
        ("Overview", "Give a summary of about 100 to 150 words."),
        (
            "Goals and Aspirations",
            "Name 3-5 goals the whole project works towards.",
        ),
        (
            "Key Characteristics",
            "Say how the project is organised into activities.",
        ),
        ("Stakeholders", "Who leads, who decides, who is affected?"),
        (
            "Technology Interventions",
            "List 3-5 technologies the project deploys.",
        ),
        (
            "Financing",
            "How is it paid for? Identify at least one financing mechanism.",
        ),
        ("Outcomes", "Describe 3-5 outcomes, achieved or expected."),
        ("Open Questions", "Identify 1-3 open questions."),
        ("References", "Sources used."),
    ];
    let mut current = String::from(
        "---\ntitle: Template title\ndescription: Dolor placeholder summary text\nstatus: Draft\nauthor: Your Name\ntype: \ncity: \ncountry_code: USA\ncentroid: [40.7, -74.0]\nyear_start: 2012\nyear_completed: 2018\nfeatured_image: ./skyline.jpeg\nfeatured_alt: A skyline\nfeatured_credit: Someone (Unsplash)\ntags: \ngeography: ./example.geojson\ngeography_caption: Optional caption for the map.\n---\n<!--\nAllowed values:\n\ntype: district, plan\n\ntags: Environment, Mobility, Buildings, Energy, InformationSystems, HealthEducation, InnovationSystems, CivicTech, CivicInnovation, Food\n-->\n",
    );
    for (i, (h, g)) in guidance.iter().enumerate() {
        current.push_str(&format!(
            "\n## {h}\n\n<!-- {g} -->\n\n**Item {n}**. Quux blorp fizzle wobble frimp zanther quibble snorf dreeble plonk.\n",
            n = i + 1
        ));
    }
    let mut older = String::from(
        "---\ntitle: Template title\nstatus: Draft\ncity: \ncountry_code: USA\ntags: \ngeography: ./example.geojson\n---\n",
    );
    for (h, g) in [
        ("Overview", "About 100 to 150 words."),
        ("Key Characteristics", "The visible characteristics."),
        ("Goals and Aspirations", "Around 50 words."),
        ("Leadership", "Who leads it."),
        ("References", "Sources."),
    ] {
        older.push_str(&format!(
            "\n## {h}\n\n<!-- {g} -->\n\nQuux blorp fizzle wobble frimp zanther quibble snorf.\n"
        ));
    }
    let geo = r#"{"type":"FeatureCollection","features":[]}"#;
    write(&root.join("templates/case-2031/index.md"), &current);
    write(&root.join("templates/case-2031/example.geojson"), geo);
    write(&root.join("templates/case-2027/index.md"), &older);
    write(
        &root.join("templates/stub/stub-template.md"),
        "---\ntitle: Stub Template\nauthor: Someone\ntype: district <!-- district | plan -->\nstatus: Review\ncity: \ncountry_code: USA\ntags:\n---\n",
    );
    // A case in the current order that kept its template's guidance.
    let mut case = String::from(
        "---\ntitle: Harbour Yards\ntemplate: case-study\nstatus: Draft\ncity: Oslo\ncountry_code: NOR\ntags: [Mobility]\ngeography: ./nor-harbour-yards.geojson\n---\n",
    );
    for (h, g) in guidance {
        case.push_str(&format!(
            "\n## {h}\n\n<!-- {g} -->\n\nThe yards by the fjord were rebuilt in stages, with a tram line first.\n"
        ));
    }
    let dir = root.join("cases/nor-harbour-yards");
    write(&dir.join("index.md"), &case);
    write(&dir.join("nor-harbour-yards.geojson"), geo);
    dir
}

/// How the app is started in a flow.
pub struct Start {
    /// What to open (`None`: what the settings say, as after a restart).
    pub path: Option<PathBuf>,
    /// Casebook's data folder.
    pub data: PathBuf,
    /// Window size in points.
    pub size: egui::Vec2,
    /// Settings and egui's memory saved by an earlier run, read back from disk.
    pub saved: Option<PathBuf>,
    /// Settings to start from when there is no saved state.
    pub settings: Settings,
    /// The theme the harness starts in.
    pub theme: egui::Theme,
}

impl Start {
    /// Opens `path` with Casebook's data in `data`, 1280×800, in-app path fields.
    pub fn new(path: Option<&Path>, data: &Path) -> Start {
        Start {
            path: path.map(Path::to_path_buf),
            data: data.to_path_buf(),
            size: egui::vec2(1280.0, 800.0),
            saved: None,
            settings: Settings {
                in_app_file_dialogs: true,
                ..Settings::default()
            },
            theme: egui::Theme::Light,
        }
    }

    /// Starts from the state an earlier run saved to `file`.
    pub fn saved(mut self, file: &Path) -> Start {
        self.saved = Some(file.to_path_buf());
        self
    }

    /// A window of this size.
    pub fn size(mut self, w: f32, h: f32) -> Start {
        self.size = egui::vec2(w, h);
        self
    }
}

/// eframe's storage kept in a file (eframe's own `app.ron` holds the same keys and RON
/// values; the outer map is JSON here).
#[derive(Default)]
pub struct FileStorage {
    path: PathBuf,
    map: BTreeMap<String, String>,
}

impl FileStorage {
    /// Reads the storage saved at `path` (empty when missing).
    pub fn load(path: &Path) -> FileStorage {
        let map = serde_json::from_str(&read(path)).unwrap_or_default();
        FileStorage {
            path: path.to_path_buf(),
            map,
        }
    }
}

impl eframe::Storage for FileStorage {
    fn get_string(&self, key: &str) -> Option<String> {
        self.map.get(key).cloned()
    }

    fn set_string(&mut self, key: &str, value: String) {
        self.map.insert(key.to_string(), value);
    }

    fn remove_string(&mut self, key: &str) {
        self.map.remove(key);
    }

    fn flush(&mut self) {
        let text = serde_json::to_string(&self.map).unwrap_or_default();
        write(&self.path, &text);
    }
}

/// What eframe does when the app closes: the app saves its settings, then egui's memory
/// (area order, panel sizes, open state) is saved under `egui`; written to `file`.
pub fn save_state(h: &mut Harness<'_, CasebookApp>, file: &Path) {
    let mut store = FileStorage {
        path: file.to_path_buf(),
        map: BTreeMap::new(),
    };
    eframe::App::save(h.state_mut(), &mut store);
    h.ctx.memory(|m| eframe::set_value(&mut store, "egui", m));
    eframe::Storage::flush(&mut store);
}

/// The app as eframe builds it: settings read from storage, egui's memory restored.
pub fn app(start: Start) -> Harness<'static, CasebookApp> {
    let Start {
        path,
        data,
        size,
        saved,
        settings,
        theme,
    } = start;
    let store: Option<&'static FileStorage> =
        saved.map(|f| &*Box::leak(Box::new(FileStorage::load(&f))));
    let memory: Option<egui::Memory> =
        store.and_then(|s| eframe::get_value(s as &dyn eframe::Storage, "egui"));
    let startup = Startup {
        path,
        data_dir: Some(data),
        templates_dir: None,
        settings: if store.is_some() {
            None
        } else {
            Some(settings)
        },
    };
    let mut builder = Harness::builder()
        .with_max_steps(32)
        .with_size(size)
        .with_theme(theme);
    if let Some(m) = memory {
        builder = builder.with_context_setup(move |ctx| ctx.memory_mut(|mem| *mem = m));
    }
    let mut h = builder.build_eframe(move |cc| {
        if let Some(s) = store {
            cc.storage = Some(s);
        }
        CasebookApp::new(cc, startup)
    });
    settle(&mut h);
    h
}

/// Waits for background loads (geometry, workspace scan) and runs a few frames.
pub fn settle(h: &mut Harness<'_, CasebookApp>) {
    h.state_mut().wait_for_geometry();
    h.state_mut().workspace.wait();
    h.run_steps(3);
}

/// Presses a key with modifiers and runs two frames.
pub fn key(h: &mut Harness<'_, CasebookApp>, modifiers: Modifiers, k: Key) {
    h.key_press_modifiers(modifiers, k);
    h.run_steps(2);
}

/// Clicks the control labelled `label`, then runs `frames` frames.
pub fn click_then(h: &mut Harness<'_, CasebookApp>, label: &str, frames: usize) {
    h.get_by_label(label).click();
    h.run_steps(frames);
}

/// Clicks the field labelled `label` and selects all of its text (Ctrl/Cmd+A).
pub fn select_all_in(h: &mut Harness<'_, CasebookApp>, label: &str) {
    h.get_by_label(label).click();
    h.run_steps(2);
    key(h, Modifiers::COMMAND, Key::A);
}

/// Runs ONE frame with all of `events` in it (kittest's `step` runs a frame per event).
pub fn one_frame(h: &mut Harness<'_, CasebookApp>, events: Vec<egui::Event>) {
    h.input_mut().events.extend(events);
    h.step();
}

/// A primary-button press or release at `pos`.
pub fn button(pos: egui::Pos2, pressed: bool) -> egui::Event {
    egui::Event::PointerButton {
        pos,
        button: egui::PointerButton::Primary,
        pressed,
        modifiers: Modifiers::NONE,
    }
}

/// The text of the open case's `index.md` in the editor.
pub fn editor_text(h: &Harness<'_, CasebookApp>) -> String {
    h.state()
        .editor
        .as_ref()
        .map(|e| String::from_utf8_lossy(&e.case.index_bytes()).into_owned())
        .unwrap_or_default()
}

/// A front-matter value of the open case, as text.
pub fn field(h: &Harness<'_, CasebookApp>, key: &str) -> String {
    h.state()
        .editor
        .as_ref()
        .and_then(|e| {
            e.case
                .doc()
                .value(key)
                .and_then(casebook::core::fields::as_text)
        })
        .unwrap_or_default()
}

/// Asserts that `text` holds `part`, showing the whole text when it does not.
#[track_caller]
pub fn assert_has(text: &str, part: &str) {
    assert!(text.contains(part), "{part:?} is not in:\n{text}");
}
