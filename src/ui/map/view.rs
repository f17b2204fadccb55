//! Where the map looks: fitting the boundary (or the centroid, city or country) into view,
//! and the boxes and places asked for.

use casebook_core::case::GeoState;
use casebook_core::countries;
use casebook_core::fields::Field;

use super::geo2d::{self, WRect};
use super::{MAX_ZOOM, MIN_ZOOM, MapState, edit};
use crate::ui::ViewCtx;

impl MapState {
    /// The box to show when fitting: the geometry, else the centroid, else the case's city
    /// (from the gazetteer), else the country.
    fn fit_target(&self, cx: &ViewCtx<'_>) -> Option<(WRect, Option<f64>)> {
        if let Some(b) = self.render.projected.bbox {
            return Some((b, None));
        }
        if let Some(c) = edit::front_matter_centroid(cx) {
            let w = geo2d::ll_to_world(c);
            return Some((WRect { min: w, max: w }, Some(12.0)));
        }
        let code = cx.case.doc().text_of(Field::CountryCode)?;
        // The city the case names, when the gazetteer knows it in that country (a scan of
        // the country's places: well under a millisecond, no index needed).
        if let Some(city) = cx.case.doc().text_of(Field::City)
            && let Some((at, zoom)) = casebook_core::places::city_view(city.trim(), code.trim())
        {
            let w = geo2d::ll_to_world(at);
            return Some((WRect { min: w, max: w }, Some(zoom)));
        }
        let [w, s, e, n] = countries::bbox(code.trim())?;
        let e = if e < w { e + 360.0 } else { e };
        let a = geo2d::to_world(w, n);
        let b = geo2d::to_world(e, s);
        Some((WRect { min: a, max: b }, None))
    }

    fn fit(&mut self, cx: &ViewCtx<'_>, size: egui::Vec2) {
        let (center, zoom) = match self.fit_target(cx) {
            Some((b, Some(z))) => (b.center(), z),
            Some((b, None)) => (b.center(), geo2d::zoom_to_fit(b, size, 72.0).min(18.0)),
            None => (geo2d::to_world(10.0, 25.0), 2.0),
        };
        let c = geo2d::from_world(center);
        self.memory.center_at(walkers::lon_lat(c.lon, c.lat));
        let _ = self.memory.set_zoom(zoom.clamp(MIN_ZOOM, MAX_ZOOM));
        self.fitted = true;
    }

    /// Brings into view what should be: the fit target on the first frame, when asked and
    /// when the geometry it waited for arrives; then a box or place asked for.
    pub(super) fn place_view(&mut self, cx: &ViewCtx<'_>, size: egui::Vec2) {
        let pending = matches!(cx.case.geo(), GeoState::Pending { .. });
        if !self.fitted || self.pending_fit {
            self.fit(cx, size);
            self.pending_fit = false;
            self.awaiting_geometry = pending;
        } else if self.awaiting_geometry && !pending {
            self.awaiting_geometry = false;
            if self.render.projected.bbox.is_some() {
                self.fit(cx, size);
            }
        }
        if let Some(b) = self.fit_box.take() {
            let a = geo2d::ll_to_world(b.min);
            let c = geo2d::ll_to_world(b.max);
            let w = WRect {
                min: [a[0].min(c[0]), a[1].min(c[1])],
                max: [a[0].max(c[0]), a[1].max(c[1])],
            };
            let zoom = geo2d::zoom_to_fit(w, size, 72.0).min(18.0);
            let center = geo2d::from_world(w.center());
            self.memory
                .center_at(walkers::lon_lat(center.lon, center.lat));
            let _ = self.memory.set_zoom(zoom.clamp(MIN_ZOOM, MAX_ZOOM));
        }
        if let Some((p, zoom)) = self.go_to.take() {
            self.memory.center_at(walkers::lon_lat(p.lon, p.lat));
            if let Some(z) = zoom {
                let _ = self
                    .memory
                    .set_zoom(z.max(self.memory.zoom()).clamp(MIN_ZOOM, MAX_ZOOM));
            }
        }
    }
}
