//! What the side panel says about the boundary: area, counts and validity issues, computed
//! once per geometry (on a background thread for big ones: the geodesic area alone costs
//! about 19 ms per 50,000 vertices).

use std::sync::Arc;

use casebook_core::geometry::{Area, GeoDocument, Summary};
use casebook_core::job::{Job, Poll};

/// Geometries with more vertices than this are analysed on a background thread.
const BACKGROUND_ABOVE: usize = 20_000;

/// Measures and findings of one geometry (the core's [`Summary`]) and its fingerprint.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    /// The geometry's fingerprint.
    pub key: u64,
    /// Area, issues, counts and centroid.
    pub summary: Summary,
}

impl std::ops::Deref for Analysis {
    type Target = Summary;

    fn deref(&self) -> &Summary {
        &self.summary
    }
}

impl Analysis {
    /// Analyses a document now.
    pub fn of(doc: &GeoDocument, key: u64) -> Analysis {
        Analysis {
            key,
            summary: doc.summary(),
        }
    }
}

/// The current analysis and the one being computed.
#[derive(Default)]
pub struct AnalysisCache {
    current: Option<Arc<Analysis>>,
    job: Option<(u64, Job<Analysis>)>,
    /// A big geometry's fingerprint and when it was first seen: its analysis starts once it
    /// has stayed the same for [`QUIET_SECONDS`], so that a run of edits does not copy a
    /// million vertices for a background job after each one.
    pending: Option<(u64, f64)>,
}

/// How long a big geometry must stay unchanged before it is analysed again.
const QUIET_SECONDS: f64 = 0.3;

impl AnalysisCache {
    /// Makes the analysis current for `doc` (fingerprint `key`), starting a background job
    /// for a big geometry.
    pub fn update(&mut self, doc: Option<&GeoDocument>, key: u64, ctx: &egui::Context) {
        let Some(doc) = doc else {
            self.current = None;
            self.job = None;
            return;
        };
        if self.current.as_ref().is_some_and(|a| a.key == key) {
            return;
        }
        if let Some((job_key, rx)) = &self.job
            && *job_key == key
        {
            match rx.poll() {
                Poll::Done(a) => {
                    self.current = Some(Arc::new(a));
                    self.job = None;
                }
                Poll::Pending => {}
                Poll::Lost => self.job = None,
            }
            return;
        }
        if doc.vertex_count() <= BACKGROUND_ABOVE {
            self.current = Some(Arc::new(Analysis::of(doc, key)));
            self.job = None;
            return;
        }
        if self.current.is_some() {
            let now = ctx.input(|i| i.time);
            match self.pending {
                Some((k, since)) if k == key && now - since >= QUIET_SECONDS => {}
                Some((k, since)) if k == key => {
                    ctx.request_repaint_after(std::time::Duration::from_secs_f64(
                        (QUIET_SECONDS - (now - since)).max(0.01),
                    ));
                    return;
                }
                _ => {
                    self.pending = Some((key, now));
                    ctx.request_repaint_after(std::time::Duration::from_secs_f64(QUIET_SECONDS));
                    return;
                }
            }
        }
        self.pending = None;
        let doc = doc.clone();
        let repaint = ctx.clone();
        let job = Job::spawn(
            move || repaint.request_repaint(),
            move |_| Analysis::of(&doc, key),
        );
        self.job = Some((key, job));
    }

    /// The latest analysis (possibly of the previous geometry while a new one is computed).
    pub fn current(&self) -> Option<&Arc<Analysis>> {
        self.current.as_ref()
    }

    /// Whether the shown analysis is of an older geometry.
    pub fn is_stale(&self, key: u64) -> bool {
        self.current.as_ref().is_none_or(|a| a.key != key)
    }

    /// Waits for a background analysis (tests, benchmarks).
    pub fn wait(&mut self) {
        if let Some((_, job)) = self.job.take()
            && let Some(a) = job.wait()
        {
            self.current = Some(Arc::new(a));
        }
    }
}

/// "12.3 km² (1,234 ha)" or "8.1 ha (81,000 m²)".
pub fn format_area(a: Area) -> String {
    let km2 = a.km2();
    if km2 >= 1.0 {
        format!(
            "{} km² ({} ha)",
            group(km2, if km2 >= 100.0 { 0 } else { 2 }),
            group(a.hectares(), 0)
        )
    } else if a.hectares() >= 1.0 {
        format!(
            "{} ha ({} m²)",
            group(a.hectares(), 2),
            group(a.square_meters, 0)
        )
    } else {
        format!("{} m²", group(a.square_meters, 0))
    }
}

/// A number with thousands separators and `decimals` decimals.
pub fn group(x: f64, decimals: usize) -> String {
    let s = format!("{x:.decimals$}");
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i.to_string(), Some(f.to_string())),
        None => (s.clone(), None),
    };
    let (sign, digits) = match int.strip_prefix('-') {
        Some(d) => ("-", d.to_string()),
        None => ("", int),
    };
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{grouped}.{f}"),
        None => format!("{sign}{grouped}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_areas() {
        assert_eq!(group(1234567.0, 0), "1,234,567");
        assert_eq!(group(-1234.5, 1), "-1,234.5");
        assert_eq!(
            format_area(Area {
                square_meters: 12_340_000.0
            }),
            "12.34 km² (1,234 ha)"
        );
        assert_eq!(
            format_area(Area {
                square_meters: 81_000.0
            }),
            "8.10 ha (81,000 m²)"
        );
        assert_eq!(
            format_area(Area {
                square_meters: 500.0
            }),
            "500 m²"
        );
    }
}
