//! Files chosen by the author: file dialogs (native or in-app), importing images and
//! boundaries into the case, and files dropped on the window.

use std::path::{Path, PathBuf};

use casebook_core::edit::Edit;

use super::{AfterPrompt, CasebookApp, files};
use crate::ui::dialogs::Dialog;
use crate::ui::{ImportPurpose, Intent};

impl CasebookApp {
    pub(super) fn pick(&mut self, purpose: files::Purpose, ctx: &egui::Context) {
        let start = match purpose {
            // The folder for a new case: start from where the wizard is, else home.
            files::Purpose::NewCaseFolder => match self.dialogs.current() {
                Some(Dialog::NewCase(f)) if !f.dir.as_os_str().is_empty() => Some(f.dir.clone()),
                _ => std::env::var_os("HOME").map(PathBuf::from),
            },
            _ => self
                .editor
                .as_ref()
                .map(|e| e.case.dir().to_path_buf())
                .or_else(|| self.settings.workspace_root.clone()),
        };
        if self.settings.in_app_file_dialogs || !files::native_available() {
            self.dialogs.open(Dialog::path_prompt(purpose, start));
        } else {
            self.pending_dialog = Some(files::Pending::start(purpose, start, ctx.clone()));
        }
    }

    /// Acts on a path chosen in a file dialog (native or in-app).
    pub fn picked(&mut self, purpose: files::Purpose, path: PathBuf) {
        match purpose {
            files::Purpose::OpenCase | files::Purpose::OpenFolder => {
                self.guard_unsaved(AfterPrompt::Open(path));
            }
            files::Purpose::SaveAs => {
                let Some(ed) = &mut self.editor else { return };
                match ed.case.save_as(&path) {
                    Ok(_) => {
                        ed.mark_saved();
                        let p = ed.case.index_path().to_path_buf();
                        self.settings.remember(&p);
                        self.set_status(format!("Saved as {}.", p.display()));
                    }
                    Err(e) => self.dialogs.open(Dialog::SaveFailed {
                        message: e.to_string(),
                    }),
                }
            }
            files::Purpose::NewCaseFolder => {
                let templates = self.templates_for(&path);
                self.dialogs.set_new_case_folder(path, templates);
            }
            files::Purpose::FeaturedImage => self.intents.push(Intent::ImportFile {
                from: path,
                purpose: ImportPurpose::FeaturedImage,
            }),
            files::Purpose::SectionImage { section, at } => self.intents.push(Intent::ImportFile {
                from: path,
                purpose: ImportPurpose::SectionImage { section, at },
            }),
            files::Purpose::ImportGeometry => self.intents.push(Intent::ImportFile {
                from: path,
                purpose: ImportPurpose::Geometry,
            }),
            files::Purpose::LocalTiles => {
                self.settings.local_tiles = Some(path);
                self.settings.basemap = super::settings::Basemap::Local;
            }
            files::Purpose::Dictionary => self.intents.push(Intent::AddDictionary(path)),
        }
    }

    /// Copies a file into the case folder and makes the edit that uses it.
    pub(super) fn import_file(&mut self, from: &Path, purpose: &ImportPurpose) {
        let Some(ed) = &mut self.editor else { return };
        if *purpose == ImportPurpose::Geometry {
            // Read now (bounded, regular files only); the author chooses beside the map how
            // the features go in.
            match casebook_core::save::read_regular(
                from,
                casebook_core::case::MAX_GEOMETRY_BYTES,
                "boundary file",
            )
            .map_err(|e| e.reason())
            .and_then(|b| String::from_utf8(b).map_err(|_| "not UTF-8 text".to_string()))
            .and_then(|t| casebook_core::geometry::read_import(&t).map_err(|e| e.to_string()))
            {
                Ok(imported) => {
                    let name = from
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_else(|| from.display().to_string());
                    let n = imported.features.len();
                    self.map.offer_import(name.clone(), imported);
                    self.view = super::View::Map;
                    self.set_status(format!(
                        "Read {n} feature{} from {name}: choose beside the map how to import {}.",
                        if n == 1 { "" } else { "s" },
                        if n == 1 { "it" } else { "them" }
                    ));
                }
                Err(e) => self.set_status(format!("{}: {e}", from.display())),
            }
            return;
        }
        let rel = match crate::ui::widgets::copy_into_case(ed.case.dir(), from) {
            Ok(rel) => rel,
            Err(e) => {
                self.set_status(e);
                return;
            }
        };
        let edit = match purpose {
            ImportPurpose::FeaturedImage => Edit::set("featured_image", rel.clone()),
            ImportPurpose::SectionImage { section, at } => {
                let text = ed.case.doc().section_text(*section).unwrap_or_default();
                let insert = format!(
                    "![Describe the image](./{} \"Caption and credit\")",
                    rel.trim_start_matches("./")
                );
                let at = text.char_indices().nth(*at).map_or(text.len(), |(i, _)| i);
                let mut new = text.clone();
                let lead = if at > 0 && !text[..at].ends_with('\n') {
                    "\n\n"
                } else {
                    ""
                };
                new.insert_str(at, &format!("{lead}{insert}\n\n"));
                Edit::SetSectionText {
                    section: *section,
                    text: new,
                }
            }
            ImportPurpose::Geometry => return,
        };
        match ed.apply(&edit, "Insert image", None) {
            Ok(_) => self.set_status(format!("Copied the image into the case folder as {rel}.")),
            Err(e) => self.set_status(format!("Could not use {rel}: {e}")),
        }
    }

    pub(super) fn poll_file_dialog(&mut self) {
        let Some(p) = &self.pending_dialog else {
            return;
        };
        if let Some(answer) = p.poll() {
            let purpose = p.purpose;
            self.pending_dialog = None;
            if let Some(path) = answer {
                self.picked(purpose, path);
            }
        }
    }

    pub(super) fn handle_dropped_files(&mut self, ctx: &egui::Context) {
        // Only folders and Markdown files open as cases; other files belong to the views.
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .filter(|p| {
                    p.is_dir() || p.extension().is_some_and(|e| e.eq_ignore_ascii_case("md"))
                })
                .collect()
        });
        if let Some(p) = dropped.into_iter().next() {
            self.guard_unsaved(AfterPrompt::Open(p));
        }
    }
}
