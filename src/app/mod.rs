//! The eframe app: panels, commands, dialogs, files.
//!
//! Each frame: shortcuts are consumed first (so the app's undo is the only undo), panels are
//! drawn and return [`Intent`]s, then edits are applied and commands run. Documents are saved
//! only on request, through the core's safe save.

use std::path::PathBuf;
use std::time::Instant;

use casebook_core::case::GeoState;
use casebook_core::job::Job;
use casebook_core::recovery::RecoveryStore;
use casebook_core::template::TemplateSet;
use chrome::{left_width, live_region, side_panel_header, view_tabs_ui, welcome_ui};

use crate::ui::dialogs::{Dialog, DialogKeys, Dialogs};
use crate::ui::focus::{self as pane_focus, Pane};
use crate::ui::{self, Focus, Intent, ViewCtx, tokens};

mod actions;
mod bulk;
mod chrome;
/// The commands live with the views that show them; re-exported for the app's old paths.
pub use crate::ui::command;
pub mod data_dir;
mod documents;
pub mod drafts;
pub mod files;
mod gpu;
mod input;
mod picking;
mod recovery;
pub mod sample;
pub mod settings;
mod watch;

use casebook_core::session::{self, Session};
use command::Command;
use settings::Settings;

/// The views of the centre area.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum View {
    /// The front-matter form.
    #[default]
    Details,
    /// The section editors.
    Sections,
    /// The boundary map.
    Map,
    /// The rendered case.
    Preview,
}

impl View {
    /// All views in tab order.
    pub const ALL: [View; 4] = [View::Details, View::Sections, View::Map, View::Preview];

    /// The tab label.
    pub fn label(self) -> &'static str {
        match self {
            View::Details => "Details",
            View::Sections => "Sections",
            View::Map => "Map",
            View::Preview => "Preview",
        }
    }

    /// The command that shows it.
    pub fn command(self) -> Command {
        match self {
            View::Details => Command::ViewDetails,
            View::Sections => Command::ViewSections,
            View::Map => Command::ViewMap,
            View::Preview => Command::ViewPreview,
        }
    }
}

pub use crate::ui::dialogs::AfterPrompt;

/// How the app starts.
#[derive(Debug, Clone, Default)]
pub struct Startup {
    /// What to open (a case, an index.md, a folder of cases).
    pub path: Option<PathBuf>,
    /// Where Casebook keeps its own files (sample case, recovery copies, tile cache).
    /// Defaults to the user's data folder.
    pub data_dir: Option<PathBuf>,
    /// An extra templates folder.
    pub templates_dir: Option<PathBuf>,
    /// Settings to start from (tests); otherwise read from eframe storage.
    pub settings: Option<Settings>,
}

/// The Casebook app.
pub struct CasebookApp {
    /// Persisted settings.
    pub settings: Settings,
    /// Templates (bundled and loaded).
    pub templates: TemplateSet,
    /// The open case.
    pub editor: Option<Session>,
    /// The centre view.
    pub view: View,
    /// The workspace panel.
    pub workspace: ui::workspace::WorkspaceState,
    /// The form's widget state.
    pub form: ui::form::FormState,
    /// The sections' widget state.
    pub sections: ui::sections::SectionsState,
    /// The preview's state.
    pub preview: ui::preview::PreviewState,
    /// The map's state.
    pub map: ui::map::MapState,
    /// The problems panel's state.
    pub problems: ui::problems::ProblemsState,
    /// Open dialogs.
    pub dialogs: Dialogs,
    /// The status line.
    pub status: Option<(String, Instant)>,
    /// The case the status message is about (`None`: no case was open); it shows only
    /// while that case is open.
    status_case: Option<PathBuf>,
    /// A templates folder asked for on the command line (added to the workspace's).
    templates_dir: Option<PathBuf>,
    /// Where Casebook keeps its own files.
    pub data_dir: PathBuf,
    /// The question about text the form cannot write, while open.
    pub draft_prompt: Option<drafts::DraftPrompt>,
    /// Whether Help › Keyboard is open.
    pub keyboard_help: bool,
    /// The Tags window's state.
    pub tags: ui::tags::TagsState,
    /// The bulk edit being previewed (nothing written yet).
    bulk_preview: Option<casebook_core::bulk::plan::Plan>,
    /// The last bulk edit applied, for Undo.
    bulk_undo: Option<bulk::BulkUndo>,
    /// A bulk edit being previewed or applied on a thread.
    bulk_work: Option<bulk::BulkWork>,
    pending_dialog: Option<files::Pending>,
    focus: Option<Focus>,
    close_confirmed: bool,
    quit_requested: bool,
    title: String,
    last_disk_check: Instant,
    geometry_loader: Option<Job<GeoState>>,
    intents: Vec<Intent>,
    recovery: RecoveryStore,
    recovery_written: Option<(u64, Instant)>,
    recovery_writer: Option<Job<Result<(), String>>>,
    disk_check: Option<(
        casebook_core::case::DiskWatch,
        Job<casebook_core::case::DiskChanges>,
    )>,
}

impl CasebookApp {
    /// Creates the app (called by eframe and by tests).
    pub fn new(cc: &eframe::CreationContext<'_>, startup: Startup) -> CasebookApp {
        let settings = startup.settings.clone().unwrap_or_else(|| {
            cc.storage
                .and_then(|s| eframe::get_value::<Settings>(s, settings::KEY))
                .unwrap_or_default()
        });
        CasebookApp::with_context(&cc.egui_ctx, settings, startup)
    }

    /// Creates the app for a context with the given settings.
    pub fn with_context(ctx: &egui::Context, settings: Settings, startup: Startup) -> CasebookApp {
        let data_dir = startup
            .data_dir
            .clone()
            .or_else(|| std::env::var_os("CASEBOOK_DATA_DIR").map(PathBuf::from))
            .or_else(|| eframe::storage_dir(casebook_core::about::APP_ID))
            .unwrap_or_else(|| std::env::temp_dir().join(data_dir::LEGACY_NAME));
        let templates =
            TemplateSet::load(startup.templates_dir.as_deref(), startup.path.as_deref())
                .unwrap_or_else(|_| TemplateSet::bundled());
        ctx.add_plugin(input::InputOrder::default());
        let mut app = CasebookApp {
            settings,
            templates,
            editor: None,
            view: View::Details,
            workspace: Default::default(),
            form: Default::default(),
            sections: Default::default(),
            preview: Default::default(),
            map: Default::default(),
            problems: Default::default(),
            dialogs: Default::default(),
            status: None,
            status_case: None,
            templates_dir: startup.templates_dir.clone(),
            data_dir: data_dir.clone(),
            draft_prompt: None,
            keyboard_help: false,
            tags: Default::default(),
            bulk_preview: None,
            bulk_undo: None,
            bulk_work: None,
            pending_dialog: None,
            focus: None,
            close_confirmed: false,
            quit_requested: false,
            title: String::new(),
            last_disk_check: Instant::now(),
            geometry_loader: None,
            intents: Vec::new(),
            recovery: RecoveryStore::new(&data_dir),
            recovery_written: None,
            recovery_writer: None,
            disk_check: None,
        };
        app.apply_theme(ctx);
        ctx.add_plugin(crate::ui::a11y::NamesPlugin);
        crate::ui::widgets::install_fonts_and_style(ctx);
        egui_extras::install_image_loaders(ctx);
        let target = startup
            .path
            .clone()
            .or_else(|| app.settings.last_case().cloned())
            .or_else(|| match sample::install(&app.data_dir) {
                Ok(p) => Some(p),
                Err(e) => {
                    app.set_status(format!("The sample case could not be installed: {e}"));
                    None
                }
            });
        if let Some(p) = target {
            app.open_path(&p);
        }
        app
    }

    /// Brings something into view and focuses it on the next frame.
    pub fn focus(&mut self, f: Focus) {
        self.view = match &f {
            Focus::Field(_) => View::Details,
            Focus::Section(_) | Focus::MissingSection(_) => View::Sections,
            Focus::Geometry => View::Map,
        };
        self.focus = Some(f);
    }

    /// Shows a message in the status bar, about the open case (it is not shown once another
    /// case is open).
    pub fn set_status(&mut self, msg: impl Into<String>) {
        self.status = Some((msg.into(), Instant::now()));
        self.status_case = self.open_index();
    }

    /// The open case's `index.md`.
    fn open_index(&self) -> Option<PathBuf> {
        self.editor
            .as_ref()
            .map(|e| e.case.index_path().to_path_buf())
    }

    fn apply_theme(&self, ctx: &egui::Context) {
        match self.settings.dark {
            Some(true) => ctx.set_theme(egui::Theme::Dark),
            Some(false) => ctx.set_theme(egui::Theme::Light),
            None => ctx.set_theme(egui::ThemePreference::System),
        }
    }

    fn window_title(&self) -> String {
        match &self.editor {
            Some(ed) => {
                let title = ed
                    .case
                    .doc()
                    .text_of(casebook_core::fields::Field::Title)
                    .filter(|t| !t.trim().is_empty())
                    .unwrap_or_else(|| ed.case.folder_name());
                format!(
                    "{}{} — {} — Casebook",
                    if ed.is_dirty() { "• " } else { "" },
                    title.trim(),
                    ed.case.index_path().display()
                )
            }
            None => "Casebook".to_string(),
        }
    }

    /// Draws one frame (the app's whole UI).
    pub fn frame_ui(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        // Enter and Escape belong to the dialog on top, before any view sees them.
        let dialog_keys: DialogKeys = self.dialogs.take_keys(&ctx);
        let mut commands = command::pressed(&ctx);
        if self.dialogs.is_open() {
            // A dialog is modal: shortcuts wait until it is answered.
            commands.clear();
        }
        self.poll_file_dialog();
        self.poll_geometry();
        self.check_disk();
        pane_focus::begin_frame(&ctx, self.modal_open());

        let mut intents: Vec<Intent> = std::mem::take(&mut self.intents);
        self.problems.folder_open = self.workspace.root.is_some();

        egui::Panel::top("menu").show(ui, |ui| {
            pane_focus::pane(ui, Pane::Menu);
            commands.extend(self.menu_ui(ui));
            pane_focus::pane_end(ui);
        });
        egui::Panel::bottom("status").show(ui, |ui| {
            self.status_ui(ui);
        });

        let focus = self.focus.take();
        if !self.settings.show_left {
            // The side panel folded away: a narrow strip to bring it back.
            egui::Panel::left("left-folded")
                .exact_size(tokens::FOLDED_PANEL_WIDTH)
                .resizable(false)
                .show(ui, |ui| {
                    if ui
                        .button("»")
                        .accessible_name("Show the side panel")
                        .on_hover_text("Show the case list and the outline")
                        .clicked()
                    {
                        self.settings.show_left = true;
                    }
                });
        }
        if let Some(ed) = &mut self.editor {
            ed.refresh_diagnostics_unless(ctx.input(|i| {
                // Between a press and its release the layout must not change under the pointer.
                i.pointer.any_down() || i.pointer.any_released() || i.pointer.any_pressed()
            }));
            if ed.checks_pending() {
                ctx.request_repaint_after(session::CHECK_DEBOUNCE);
            }
            let ed = &*ed;
            let cx = ViewCtx {
                case: &ed.case,
                template: &ed.template,
                diagnostics: ed.last_diagnostics(),
                revision: ed.change_counter(),
                focus: focus.as_ref(),
            };
            // Widget state (scroll positions above all) is kept per case.
            let case_id = egui::Id::unique(("casebook-case", ed.case.index_path()));
            if self.settings.show_problems {
                intents.extend(problems_panel_ui(
                    ui,
                    &mut self.settings,
                    &mut self.problems,
                    &cx,
                    case_id,
                ));
            }
            if self.settings.show_left {
                egui::Panel::left("left")
                    .resizable(true)
                    .default_size(left_width(&ctx))
                    .min_size(tokens::LEFT_PANEL_MIN_WIDTH)
                    .show(ui, |ui| {
                        if side_panel_header(ui) {
                            self.settings.show_left = false;
                        }
                        // The outline comes first; the case list marks its own start.
                        pane_focus::pane(ui, Pane::Outline);
                        intents.extend(ui::workspace::workspace_ui(
                            ui,
                            &mut self.workspace,
                            Some(&cx),
                        ));
                        pane_focus::pane_end(ui);
                    });
            }
            egui::CentralPanel::default().show(ui, |ui| {
                pane_focus::pane(ui, Pane::Editor);
                view_tabs_ui(ui, &mut self.view);
                ui.separator();
                pane_focus::content_start(ui);
                let view_intents = ui
                    .push_id(case_id, |ui| match self.view {
                        View::Details => ui::form::form_ui(ui, &mut self.form, &cx),
                        View::Sections => ui::sections::sections_ui(ui, &mut self.sections, &cx),
                        View::Map => {
                            // The boundary is compared with the reference the Changes
                            // window chose (HEAD by default).
                            self.map.set_reference(
                                self.workspace.vcs.map_reference(cx.case.index_path()),
                            );
                            ui::map::map_ui(
                                ui,
                                &mut self.map,
                                &cx,
                                &self.settings.map_settings(),
                                &self.data_dir,
                            )
                        }
                        View::Preview => ui::preview::preview_ui(ui, &mut self.preview, &cx),
                    })
                    .inner;
                intents.extend(view_intents);
                pane_focus::pane_end(ui);
            });
            intents.extend(ui::changes::changes_window_ui(
                &ctx,
                &mut self.workspace.vcs,
                &cx,
            ));
        } else {
            intents.extend(self.welcome_panels_ui(ui));
        }

        intents.extend(self.bulk_windows_ui(&ctx));

        // Dialogs.
        let outcome = self.dialogs.show(&ctx, dialog_keys);
        self.handle_dialog_outcome(&ctx, outcome);
        self.draft_prompt_ui(&ctx);
        self.keyboard_help_ui(&ctx);

        self.handle_intents(&ctx, intents);
        self.poll_recovery_writer();
        self.keep_recovery_copy();
        // After the views: a file dropped on a view (an image on the form) was taken there.
        self.handle_dropped_files(&ctx);
        for c in commands {
            self.run_command(&ctx, c);
        }

        self.close_or_quit(&ctx);
        pane_focus::end_frame(&ctx);
        self.update_title(&ctx);
    }

    /// The side panel and the welcome page when no case is open.
    fn welcome_panels_ui(&mut self, ui: &mut egui::Ui) -> Vec<Intent> {
        let mut intents = Vec::new();
        if self.settings.show_left {
            egui::Panel::left("left")
                .resizable(true)
                .default_size(left_width(ui.ctx()))
                .min_size(tokens::LEFT_PANEL_MIN_WIDTH)
                .show(ui, |ui| {
                    if side_panel_header(ui) {
                        self.settings.show_left = false;
                    }
                    pane_focus::pane(ui, Pane::Workspace);
                    intents.extend(ui::workspace::workspace_ui(ui, &mut self.workspace, None));
                    pane_focus::pane_end(ui);
                });
        }
        egui::CentralPanel::default().show(ui, |ui| {
            pane_focus::pane(ui, Pane::Editor);
            pane_focus::content_start(ui);
            intents.extend(welcome_ui(ui, &self.settings));
            pane_focus::pane_end(ui);
        });
        intents
    }

    /// Closing the window with unwritten text or unsaved changes asks first; a quit asked for
    /// (File › Quit, after its questions) closes it.
    fn close_or_quit(&mut self, ctx: &egui::Context) {
        if ctx.input(|i| i.viewport().close_requested()) && !self.close_confirmed {
            if self.draft_prompt.is_some()
                || !self.drafts_ok(drafts::DraftThen::Guard(AfterPrompt::Quit))
            {
                ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            } else if self.is_dirty() {
                ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
                if !self.dialogs.is_open() {
                    self.dialogs.open(Dialog::Unsaved {
                        after: AfterPrompt::Quit,
                    });
                }
            } else {
                self.close_confirmed = true;
            }
        }
        if self.quit_requested {
            self.quit_requested = false;
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }

    /// The window's title follows the case and its unsaved state.
    fn update_title(&mut self, ctx: &egui::Context) {
        let title = self.window_title();
        if title != self.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }
    }

    /// Whether a modal question is open (the panes then keep no focus of their own).
    fn modal_open(&self) -> bool {
        self.dialogs.is_open() || self.draft_prompt.is_some() || self.keyboard_help
    }

    /// The pane that has the keyboard focus (tests).
    pub fn focused_pane(&self, ctx: &egui::Context) -> Option<Pane> {
        pane_focus::focused_pane(ctx)
    }
}

impl eframe::App for CasebookApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.frame_ui(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, settings::KEY, &self.settings);
    }

    fn raw_input_hook(&mut self, _ctx: &egui::Context, raw: &mut egui::RawInput) {
        if std::env::var_os("CASEBOOK_DEBUG_INPUT").is_some() {
            for e in &raw.events {
                if !matches!(e, egui::Event::PointerMoved(_) | egui::Event::MouseMoved(_)) {
                    eprintln!("input: {e:?} focused={}", raw.focused);
                }
            }
        }
    }
}

/// The window icon: `assets/icon/png/casebook-256.png`, compiled in and decoded.
pub fn window_icon() -> Option<egui::IconData> {
    static PNG: &[u8] = include_bytes!("../../assets/icon/png/casebook-256.png");
    let image = image::load_from_memory_with_format(PNG, image::ImageFormat::Png).ok()?;
    let rgba = image.into_rgba8();
    let (width, height) = rgba.dimensions();
    Some(egui::IconData {
        rgba: rgba.into_raw(),
        width,
        height,
    })
}

/// Keeps the allocator from holding memory the app no longer uses (glibc only; elsewhere
/// nothing to do, and `false`). Called before any thread starts.
///
/// - At most two malloc arenas: by default every thread that allocates (image decoding,
///   the map's analysis, wgpu's and the software renderer's threads) may get an arena of its
///   own, and memory freed in one cannot serve another.
/// - Buffers of 128 KiB and up always come from `mmap`, so they go back to the system when
///   freed. By default that threshold grows to the largest buffer freed so far (up to 32 MB),
///   after which such buffers (decoded images, meshes, staging copies) stay in the heap once
///   freed and add to the peak.
///
/// Under Xvfb with the Philadelphia case this lowers the peak resident set by about 10 MB
/// (README, "Peak memory"; `scripts/measure-rss.sh`).
pub fn limit_allocator_growth() -> bool {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        // SAFETY: `mallopt` only sets allocator parameters; called before other threads run.
        let arenas = unsafe { libc::mallopt(libc::M_ARENA_MAX, 2) };
        // SAFETY: as above.
        let mmap = unsafe { libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024) };
        arenas == 1 && mmap == 1
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    {
        false
    }
}

/// Runs the desktop app. The window carries the application id (the Wayland app id and the
/// X11 class, which the desktop entry's `StartupWMClass` names) and the icon; settings and
/// Casebook's files live in the data folder named from the id, moved there from an older
/// Casebook's folder on the first run ([`data_dir`]).
pub fn run(mut startup: Startup) -> eframe::Result<()> {
    use casebook_core::about::APP_ID;
    let _ = limit_allocator_growth();
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("Casebook")
        .with_app_id(APP_ID)
        .with_inner_size([1280.0, 800.0])
        .with_min_inner_size([900.0, 560.0])
        .with_drag_and_drop(true);
    if let Some(icon) = window_icon() {
        viewport = viewport.with_icon(std::sync::Arc::new(icon));
    }
    let mut options = eframe::NativeOptions {
        viewport,
        wgpu_options: gpu::configuration(),
        ..Default::default()
    };
    let mut moved = None;
    let mut notice = None;
    if startup.data_dir.is_none()
        && std::env::var_os("CASEBOOK_DATA_DIR").is_none()
        && let Some(resolved) = data_dir::resolve(eframe::storage_dir)
    {
        // Settings (eframe's app.ron) stay with the rest, in the folder chosen here.
        let _ = std::fs::create_dir_all(&resolved.dir);
        options.persistence_path = Some(resolved.dir.join("app.ron"));
        match &resolved.migration {
            data_dir::Migration::Moved { from } => moved = Some(from.clone()),
            data_dir::Migration::Copied { from } => {
                notice = Some(format!(
                    "Casebook copied its data folder from {} to {}; the old folder can be deleted.",
                    from.display(),
                    resolved.dir.display()
                ));
                moved = Some(from.clone());
            }
            data_dir::Migration::Nothing => {}
        }
        notice = resolved.error.or(notice);
        startup.data_dir = Some(resolved.dir);
    }
    eframe::run_native(
        APP_ID,
        options,
        Box::new(move |cc| {
            let mut startup = startup;
            if let (Some(from), Some(to)) = (&moved, &startup.data_dir) {
                // Paths into the old folder (the sample case) point into the new one.
                let mut settings = cc
                    .storage
                    .and_then(|s| eframe::get_value::<Settings>(s, settings::KEY))
                    .unwrap_or_default();
                settings.rebase(from, to);
                startup.settings = Some(settings);
                RecoveryStore::new(to).rebase_copies(from, to);
            }
            let mut app = CasebookApp::new(cc, startup);
            if let Some(notice) = notice {
                app.set_status(notice);
            }
            Ok(Box::new(app))
        }),
    )
}

/// The problems panel along the bottom: just its header and summary when there is nothing to
/// show, else resizable (its height is remembered).
fn problems_panel_ui(
    ui: &mut egui::Ui,
    settings: &mut Settings,
    problems: &mut ui::problems::ProblemsState,
    cx: &ViewCtx<'_>,
    case_id: egui::Id,
) -> Vec<Intent> {
    let (errors, warnings, _) = ui::problems::counts(cx.diagnostics);
    let empty = errors + warnings == 0 && (!problems.show_info || cx.diagnostics.is_empty());
    let mut intents = Vec::new();
    let mut body = |ui: &mut egui::Ui| {
        live_region(ui, "Problems panel");
        pane_focus::pane(ui, Pane::Problems);
        ui.push_id(case_id, |ui| {
            intents.extend(ui::problems::problems_ui(ui, problems, cx));
        });
        pane_focus::pane_end(ui);
    };
    if empty {
        egui::Panel::bottom("problems-empty")
            .resizable(false)
            .show(ui, |ui| body(ui));
    } else {
        let height = settings
            .problems_height
            .min(ui.ctx().content_rect().height() * 0.3);
        let r = egui::Panel::bottom("problems")
            .resizable(true)
            .min_size(tokens::PROBLEMS_MIN_HEIGHT)
            .default_size(height)
            .show(ui, |ui| body(ui));
        settings.problems_height = r.response.rect.height().round();
    }
    intents
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_window_icon_is_the_256_pixel_png() {
        let Some(icon) = super::window_icon() else {
            panic!("the icon does not decode")
        };
        assert_eq!((icon.width, icon.height), (256, 256));
        assert_eq!(icon.rgba.len(), 256 * 256 * 4);
        // Not blank: some pixels are opaque, some transparent (a drawn shape).
        assert!(icon.rgba.chunks(4).any(|p| p[3] == 255));
        assert!(icon.rgba.chunks(4).any(|p| p[3] == 0));
    }
}
