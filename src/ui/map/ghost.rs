//! The reference boundary: when the case is in a git repository and its boundary file differs
//! from the reference (HEAD, or the branch chosen in the Changes window), the boundary as it is
//! there is drawn as a dashed ghost under the current one, with a legend giving the change in
//! vertices and area ("HEAD: 1,204 vertices, 3.41 km² · now +12 vertices, +0.05 km²").
//!
//! The file is read at the reference on a [`Job`] (the core's `vcs`, read-only), parsed and
//! projected there too; it is read again only when the reference, its commit or the file's
//! path changes, never per frame. The ghost is painted, never hit-tested: it cannot be picked
//! or edited.

use std::path::PathBuf;
use std::sync::Arc;

use casebook_core::geometry::{GeoDocument, Measures};
use casebook_core::job::{Job, Poll};
use casebook_core::vcs;
use egui::{Pos2, Shape, Stroke};

use super::analysis::{Analysis, group};
use super::geo2d::Xform;
use super::render::{self, Projected, RenderCache};
use crate::ui::tokens::{self, Tokens};

/// What the app knows of the reference the case is compared with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// The repository's working tree (its top folder).
    pub workdir: PathBuf,
    /// The commit compared with; `None` before the first commit (every file is new).
    pub commit: Option<String>,
    /// What the reference is called ("HEAD", "main").
    pub name: String,
    /// The case's folder in that commit (the case may have been renamed since).
    pub case_dir: PathBuf,
}

/// What was read of the boundary at the reference.
enum Read {
    /// The file is not in the reference: it is new since.
    New,
    /// The boundary there, projected, and its measures.
    Found {
        projected: Arc<Projected>,
        measures: Measures,
    },
    /// It could not be read or is not valid GeoJSON there.
    Failed(String),
}

/// What the legend says about the reference boundary.
#[derive(Debug, Clone, PartialEq)]
pub enum Legend {
    /// The file is not in the reference.
    New {
        /// The reference's name.
        reference: String,
    },
    /// The boundary changed since the reference.
    Changed {
        /// The text shown ("HEAD: 4 vertices, 1.23 km² · now +1 vertices, +0.05 km²").
        text: String,
    },
    /// The reference could not be read.
    Failed {
        /// Why.
        text: String,
    },
}

impl Legend {
    /// The text shown on the map.
    pub fn text(&self) -> String {
        match self {
            Legend::New { reference } => format!("Boundary file new since {reference}"),
            Legend::Changed { text } | Legend::Failed { text } => text.clone(),
        }
    }
}

/// The reference boundary's state in the map view.
pub struct GhostState {
    /// Whether the ghost and its legend are shown (the "Reference boundary" toggle).
    pub show: bool,
    /// The reference and the file at it that were asked for last.
    wanted: Option<(Reference, PathBuf)>,
    job: Option<Job<Read>>,
    read: Option<Read>,
    render: RenderCache,
    /// How many times the reference was read (tests).
    pub reads: u64,
}

impl Default for GhostState {
    fn default() -> Self {
        GhostState {
            show: true,
            wanted: None,
            job: None,
            read: None,
            render: RenderCache::default(),
            reads: 0,
        }
    }
}

impl GhostState {
    /// Asks for the boundary file `file` (absolute, in the working tree) as it is at
    /// `reference`, or for nothing. Reads it again (on a job) only when either changed.
    pub fn want(&mut self, want: Option<(Reference, PathBuf)>, ctx: &egui::Context) {
        if self.wanted == want {
            self.poll();
            return;
        }
        self.wanted = want.clone();
        self.read = None;
        self.job = None;
        self.render = RenderCache::default();
        let Some((reference, file)) = want else {
            return;
        };
        let Some(commit) = reference.commit.clone() else {
            self.read = Some(Read::New);
            return;
        };
        self.reads += 1;
        let repaint = ctx.clone();
        self.job = Some(Job::spawn(
            move || repaint.request_repaint(),
            move |_| read_at(&reference, &commit, &file),
        ));
    }

    fn poll(&mut self) {
        if let Some(job) = &self.job {
            match job.poll() {
                Poll::Done(r) => self.take(r),
                Poll::Pending => {}
                Poll::Lost => self.job = None,
            }
        }
    }

    fn take(&mut self, r: Read) {
        if let Read::Found { projected, .. } = &r {
            self.render.set_projected(Arc::clone(projected));
        }
        self.read = Some(r);
        self.job = None;
    }

    /// Waits for the reading of the reference (tests).
    pub fn wait(&mut self) {
        if let Some(job) = self.job.take()
            && let Some(r) = job.wait()
        {
            self.take(r);
        }
    }

    /// Whether the reference boundary differs from the current geometry (fingerprint `key`).
    fn differs(&self, key: u64) -> bool {
        matches!(&self.read, Some(Read::Found { projected, .. }) if projected.key != key)
    }

    /// What the legend says for the current geometry (fingerprint `key`, analysed in
    /// `now` when its analysis is current); `None` when there is nothing to say (no
    /// repository, the same boundary as at the reference, not read yet).
    pub fn legend(&self, key: u64, now: Option<&Analysis>) -> Option<Legend> {
        let (reference, _) = self.wanted.as_ref()?;
        match self.read.as_ref()? {
            Read::New => Some(Legend::New {
                reference: reference.name.clone(),
            }),
            Read::Failed(e) => Some(Legend::Failed {
                text: format!("{}: the boundary could not be read ({e})", reference.name),
            }),
            Read::Found { measures, .. } => {
                if !self.differs(key) {
                    return None;
                }
                let mut text = format!("{}: {}", reference.name, describe(measures));
                if let Some(a) = now.filter(|a| a.key == key) {
                    let current = Measures {
                        vertices: a.vertices,
                        area: a.area,
                    };
                    let change = current.change_from(measures);
                    text.push_str(&format!(" · now {}", describe_change(change)));
                } else {
                    text.push_str(" · now …");
                }
                Some(Legend::Changed { text })
            }
        }
    }

    /// Paints the reference boundary as a dashed outline (no fill), when it is shown and
    /// differs from the current geometry (fingerprint `key`).
    pub fn paint(&mut self, painter: &egui::Painter, xf: &Xform, t: &Tokens, key: u64) {
        if !self.show || !self.differs(key) {
            return;
        }
        let stroke = Stroke::new(tokens::GHOST_STROKE_WIDTH, t.boundary_ghost);
        for mut outline in self.render.lod(xf).screen_outlines(xf) {
            if let Some(first) = outline.first().copied() {
                outline.push(first);
            }
            painter.extend(dashed(&outline, stroke));
        }
    }
}

/// A dashed polyline, its dashes continuing across vertices.
fn dashed(points: &[Pos2], stroke: Stroke) -> Vec<Shape> {
    Shape::dashed_line(
        points,
        stroke,
        tokens::GHOST_DASH_LENGTH,
        tokens::GHOST_GAP_LENGTH,
    )
}

/// Reads and projects `file` at `commit`.
fn read_at(reference: &Reference, commit: &str, file: &std::path::Path) -> Read {
    let bytes = match vcs::blob_at(&reference.workdir, commit, file) {
        Ok(Some(b)) => b,
        Ok(None) => return Read::New,
        Err(e) => return Read::Failed(e.to_string()),
    };
    let text = String::from_utf8_lossy(&bytes);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    match GeoDocument::parse(text) {
        Ok(doc) => {
            let key = render::fingerprint(Some(&doc));
            Read::Found {
                projected: Arc::new(Projected::build(&doc, key)),
                measures: doc.measures(),
            }
        }
        Err(e) => Read::Failed(e.to_string()),
    }
}

/// "1,204 vertices, 3.41 km²".
pub fn describe(m: &Measures) -> String {
    let v = format!("{} vertices", group(m.vertices as f64, 0));
    match m.area {
        Some(a) => format!("{v}, {}", area_text(a.square_meters)),
        None => v,
    }
}

/// "+12 vertices, +0.05 km²".
pub fn describe_change(c: casebook_core::geometry::MeasuresChange) -> String {
    let sign = |x: f64| if x < 0.0 { "−" } else { "+" };
    let v = format!(
        "{}{} vertices",
        sign(c.vertices as f64),
        group(c.vertices.unsigned_abs() as f64, 0)
    );
    match c.square_meters {
        Some(m2) => format!("{v}, {}{}", sign(m2), area_text(m2.abs())),
        None => v,
    }
}

/// An area in km² (two decimals) from 0.01 km² up, else in m² (so that a small change does
/// not read as zero).
fn area_text(m2: f64) -> String {
    let km2 = m2 / 1e6;
    if km2 >= 0.01 {
        format!("{} km²", group(km2, 2))
    } else {
        format!("{} m²", group(m2, 0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use casebook_core::geometry::{Area, MeasuresChange};

    #[test]
    fn legend_texts() {
        let m = Measures {
            vertices: 1204,
            area: Some(Area {
                square_meters: 3.41e6,
            }),
        };
        assert_eq!(describe(&m), "1,204 vertices, 3.41 km²");
        let c = MeasuresChange {
            vertices: 12,
            square_meters: Some(0.05e6),
        };
        assert_eq!(describe_change(c), "+12 vertices, +0.05 km²");
        let c = MeasuresChange {
            vertices: -3,
            square_meters: Some(-1234.4),
        };
        assert_eq!(describe_change(c), "−3 vertices, −1,234 m²");
        let c = MeasuresChange {
            vertices: 0,
            square_meters: None,
        };
        assert_eq!(describe_change(c), "+0 vertices");
    }
}
