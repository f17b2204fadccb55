//! The new-case wizard: its fields, the cases already in its folder, and its view.

use super::*;

/// A case already in the wizard's folder: its folder name and title.
#[derive(Debug, Clone, Default)]
pub struct ExistingCase {
    /// Folder name (`prt-lisbon`).
    pub folder: String,
    /// Its `title`, trimmed.
    pub title: String,
}

/// The new-case wizard's fields.
#[derive(Debug, Clone, Default)]
pub struct NewCaseForm {
    /// Template name.
    pub template: String,
    /// ISO-3 code.
    pub country: String,
    /// Search text of the country picker.
    pub country_query: String,
    /// City.
    pub city: String,
    /// Title.
    pub title: String,
    /// The folder that holds the case folders (empty: not chosen yet).
    pub dir: PathBuf,
    /// Why the last attempt failed.
    pub error: Option<String>,
    /// The templates of the folder's workspace (an atlas's own, else the bundled ones).
    pub templates: TemplateSet,
    /// The cases already in `dir`.
    pub existing: Vec<ExistingCase>,
}

impl NewCaseForm {
    /// Sets the folder, its workspace's templates and the cases already there. The chosen
    /// template is kept when the new set has one of that name, else the set's current one.
    pub fn set_dir(&mut self, dir: PathBuf, templates: TemplateSet) {
        self.existing = existing_cases(&dir);
        self.dir = dir;
        if templates.get(&self.template).is_none() {
            self.template = templates.current().name.clone();
        }
        self.templates = templates;
        self.error = None;
    }

    /// The folder the case gets (`prt-lisbon`), once country and name allow one.
    pub fn folder_name(&self) -> Option<String> {
        let slug = slugify(if self.title.trim().is_empty() {
            &self.city
        } else {
            &self.title
        });
        let country = countries::by_iso3(&self.country)?;
        (!slug.is_empty()).then(|| format!("{}-{slug}", country.iso3.to_lowercase()))
    }

    /// Whether a case folder of that name is already in the folder.
    pub fn folder_taken(&self) -> bool {
        self.folder_name().is_some_and(|f| {
            self.existing.iter().any(|e| e.folder == f) || self.dir.join(&f).exists()
        })
    }

    /// The case folders in `dir` whose title is the one typed.
    pub fn same_title(&self) -> Vec<&ExistingCase> {
        let t = self.title.trim();
        if t.is_empty() {
            return Vec::new();
        }
        self.existing
            .iter()
            .filter(|e| e.title.eq_ignore_ascii_case(t))
            .collect()
    }

    /// Whether Create case can run.
    pub fn can_create(&self) -> bool {
        !self.dir.as_os_str().is_empty()
            && self.folder_name().is_some()
            && self.templates.get(&self.template).is_some()
            && !self.folder_taken()
    }

    fn create(&self) -> DialogOutcome {
        DialogOutcome::CreateCase {
            template: self.template.clone(),
            dir: self.dir.clone(),
            country: self.country.clone(),
            city: self.city.clone(),
            title: self.title.clone(),
        }
    }
}

/// The cases directly in `dir` (folder name and title), read once when the folder is set.
fn existing_cases(dir: &Path) -> Vec<ExistingCase> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<ExistingCase> = entries
        .flatten()
        .filter(|e| e.path().join("index.md").is_file())
        .map(|e| {
            let folder = e.file_name().to_string_lossy().into_owned();
            let title = std::fs::read(e.path().join("index.md"))
                .ok()
                .map(|b| casebook_core::document::Document::from_bytes(&b))
                .and_then(|d| {
                    d.text_of(casebook_core::fields::Field::Title)
                        .map(|t| t.trim().to_string())
                })
                .unwrap_or_default();
            ExistingCase { folder, title }
        })
        .collect();
    out.sort_by(|a, b| a.folder.cmp(&b.folder));
    out
}

/// Lines of text the wizard keeps for its messages, so they never move the buttons.
const WIZARD_MESSAGE_LINES: f32 = 3.0;

/// The new-case wizard: template, country, city, title → folder.
pub(super) fn new_case_ui(
    ui: &mut egui::Ui,
    f: &mut NewCaseForm,
    enter: bool,
) -> (Option<DialogOutcome>, bool) {
    let t = Tokens::of(ui);
    let mut outcome = None;
    let mut close = false;
    ui.label(
        "Casebook makes the case folder, its index.md from the template, and an empty boundary file.",
    );
    ui.add_space(tokens::GAP_SMALL);
    egui::Grid::new("new-case")
        .num_columns(2)
        .spacing([12.0, 8.0])
        .show(ui, |ui| {
            ui.label("Template");
            template_combo(ui, f);
            ui.end_row();
            let l = ui.label("Country");
            if let Some(code) = crate::ui::widgets::country_picker_labelled(
                ui,
                "new-case-country",
                &f.country,
                &mut f.country_query,
                Some(l.id),
            ) {
                f.country = code;
            }
            ui.end_row();
            let l = ui.label("City");
            ui.add(
                egui::TextEdit::singleline(&mut f.city)
                    .hint_text(crate::ui::widgets::example_hint(ui, "Lisbon")),
            )
            .labelled_by(l.id);
            ui.end_row();
            let l = ui.label("Title");
            ui.add(
                egui::TextEdit::singleline(&mut f.title)
                    .hint_text(crate::ui::widgets::example_hint(ui, "Parque das Nações")),
            )
            .labelled_by(l.id);
            ui.end_row();
            ui.label("In folder");
            ui.horizontal(|ui| {
                if f.dir.as_os_str().is_empty() {
                    ui.colored_label(t.warning, "Not chosen yet");
                } else {
                    ui.add(egui::Label::new(f.dir.display().to_string()).truncate())
                        .on_hover_text(f.dir.display().to_string());
                }
                if ui
                    .button("Change…")
                    .on_hover_text("Choose the folder that holds the case folders")
                    .clicked()
                {
                    outcome = Some(DialogOutcome::BrowseNewCaseFolder);
                }
            });
            ui.end_row();
        });
    ui.add_space(tokens::GAP_SMALL);
    let line = ui.text_style_height(&egui::TextStyle::Body) + ui.spacing().item_spacing.y;
    let folder = f.folder_name();
    ui.allocate_ui_with_layout(
        egui::vec2(ui.available_width(), line * WIZARD_MESSAGE_LINES),
        egui::Layout::top_down(egui::Align::Min),
        |ui| {
            ui.set_min_height(line * WIZARD_MESSAGE_LINES);
            if f.dir.as_os_str().is_empty() {
                ui.colored_label(
                    t.warning,
                    "Choose the folder for the new case with Change… (an atlas checkout's cases/ folder, or one of your own).",
                );
            } else if let Some(name) = &folder {
                ui.colored_label(t.muted, format!("Creates {}", f.dir.join(name).display()));
            } else {
                ui.colored_label(
                    t.muted,
                    "Choose a country and type a title to name the folder.",
                );
            }
            if f.folder_taken()
                && let Some(name) = &folder
            {
                ui.colored_label(
                    t.error,
                    format!("A case folder {name} already exists here: change the title."),
                );
            } else if let Some(e) = f.same_title().first() {
                ui.colored_label(
                    t.warning,
                    format!(
                        "A case with the same title is already here ({}): you can still create this one.",
                        e.folder
                    ),
                );
            }
            if let Some(e) = &f.error {
                ui.colored_label(t.error, e.as_str());
            }
        },
    );
    ui.add_space(tokens::GAP_SMALL);
    ui.horizontal(|ui| {
        let can = f.can_create();
        if primary_button(ui, "Create case", can).clicked() || (enter && can) {
            outcome = Some(f.create());
        }
        if ui.button("Cancel").clicked() {
            close = true;
        }
    });
    (outcome, close)
}

/// The template drop-down: each template with one line saying when to use it.
fn template_combo(ui: &mut egui::Ui, f: &mut NewCaseForm) {
    let t = Tokens::of(ui);
    let r = egui::ComboBox::from_id_salt("new-case-template")
        .selected_text(f.template.clone())
        .width(300.0)
        .show_ui(ui, |ui| {
            ui.set_min_width(420.0);
            for tpl in f.templates.all() {
                let mut job = egui::text::LayoutJob::default();
                let body = egui::TextStyle::Body.resolve(ui.style());
                let small = egui::TextStyle::Small.resolve(ui.style());
                job.append(
                    &tpl.name,
                    0.0,
                    egui::TextFormat::simple(body, ui.visuals().strong_text_color()),
                );
                job.append(
                    &format!(" — {}", f.templates.when_to_use(tpl)),
                    0.0,
                    egui::TextFormat::simple(small, t.muted),
                );
                ui.selectable_value(&mut f.template, tpl.name.clone(), job);
            }
        });
    let selected = f.template.clone();
    ui.ctx().accesskit_node_builder(r.response.id, |node| {
        node.set_label("Template");
        node.set_value(selected);
    });
}
