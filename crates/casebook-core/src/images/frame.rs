//! The crop frame a person moves over an image: a 3:2 rectangle in image pixels that always
//! stays inside the image and keeps its aspect when resized by a corner.
//!
//! The crop window works in screen points and converts to image pixels with one scale; all
//! the rules (clamping, aspect, smallest size, rounding to whole pixels) live here so they can
//! be tested without a window.

use super::CropRect;

/// The frame's aspect, width over height (the atlas's landscape 3:2).
pub const ASPECT: f64 = 3.0 / 2.0;
/// The smallest frame width, in image pixels (or the image's width, if narrower).
pub const MIN_WIDTH: f64 = 96.0;

/// A corner of the frame, for resizing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Corner {
    /// Top left.
    TopLeft,
    /// Top right.
    TopRight,
    /// Bottom left.
    BottomLeft,
    /// Bottom right.
    BottomRight,
}

impl Corner {
    /// All four, in reading order.
    pub const ALL: [Corner; 4] = [
        Corner::TopLeft,
        Corner::TopRight,
        Corner::BottomLeft,
        Corner::BottomRight,
    ];
}

/// A 3:2 crop frame over an upright image of `image_w` × `image_h` pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CropFrame {
    /// Left edge, in image pixels.
    pub x: f64,
    /// Top edge.
    pub y: f64,
    /// Width (height is `width / ASPECT`).
    pub width: f64,
    image_w: f64,
    image_h: f64,
}

impl CropFrame {
    /// The largest 3:2 frame centred in the image.
    pub fn centered(image_w: u32, image_h: u32) -> CropFrame {
        let (iw, ih) = (f64::from(image_w.max(1)), f64::from(image_h.max(1)));
        let width = iw.min(ih * ASPECT);
        CropFrame {
            x: (iw - width) / 2.0,
            y: (ih - width / ASPECT) / 2.0,
            width,
            image_w: iw,
            image_h: ih,
        }
    }

    /// The image's size in pixels (width, height).
    pub fn image_size(&self) -> (f64, f64) {
        (self.image_w, self.image_h)
    }

    /// The frame's height.
    pub fn height(&self) -> f64 {
        self.width / ASPECT
    }

    /// The widest frame that fits in the image.
    fn max_width(&self) -> f64 {
        self.image_w.min(self.image_h * ASPECT)
    }

    fn min_width(&self) -> f64 {
        MIN_WIDTH.min(self.max_width())
    }

    /// Keeps the frame inside the image.
    fn clamped(mut self) -> CropFrame {
        self.width = self.width.clamp(self.min_width(), self.max_width());
        self.x = self.x.clamp(0.0, (self.image_w - self.width).max(0.0));
        self.y = self.y.clamp(0.0, (self.image_h - self.height()).max(0.0));
        self
    }

    /// The frame moved by `dx`, `dy` image pixels, stopped at the image's edges.
    pub fn moved(self, dx: f64, dy: f64) -> CropFrame {
        let dx = if dx.is_finite() { dx } else { 0.0 };
        let dy = if dy.is_finite() { dy } else { 0.0 };
        CropFrame {
            x: self.x + dx,
            y: self.y + dy,
            ..self
        }
        .clamped()
    }

    /// Where `corner` is, in image pixels.
    pub fn corner(&self, corner: Corner) -> (f64, f64) {
        let (l, t, r, b) = (self.x, self.y, self.x + self.width, self.y + self.height());
        match corner {
            Corner::TopLeft => (l, t),
            Corner::TopRight => (r, t),
            Corner::BottomLeft => (l, b),
            Corner::BottomRight => (r, b),
        }
    }

    /// The frame with `corner` dragged to (`px`, `py`) in image pixels: the opposite corner
    /// stays put, the aspect stays 3:2 (the pointer is projected on the diagonal), and the frame
    /// stays inside the image and no smaller than [`MIN_WIDTH`].
    pub fn resized(self, corner: Corner, px: f64, py: f64) -> CropFrame {
        if !px.is_finite() || !py.is_finite() {
            return self;
        }
        let opposite = match corner {
            Corner::TopLeft => Corner::BottomRight,
            Corner::TopRight => Corner::BottomLeft,
            Corner::BottomLeft => Corner::TopRight,
            Corner::BottomRight => Corner::TopLeft,
        };
        let (ax, ay) = self.corner(opposite);
        let leftward = matches!(corner, Corner::TopLeft | Corner::BottomLeft);
        let upward = matches!(corner, Corner::TopLeft | Corner::TopRight);
        // Room from the anchor to the image's edges in the dragged direction.
        let room_x = if leftward { ax } else { self.image_w - ax };
        let room_y = if upward { ay } else { self.image_h - ay };
        let asked_w = if leftward { ax - px } else { px - ax };
        let asked_h = if upward { ay - py } else { py - ay };
        // The pointer projected on the frame's diagonal: moving along either axis alone
        // resizes too (by about half as much).
        let along = (asked_w * ASPECT + asked_h) / (ASPECT * ASPECT + 1.0) * ASPECT;
        let width = along
            .min(room_x)
            .min(room_y * ASPECT)
            .max(self.min_width().min(room_x).min(room_y * ASPECT));
        let height = width / ASPECT;
        CropFrame {
            x: if leftward { ax - width } else { ax },
            y: if upward { ay - height } else { ay },
            width,
            ..self
        }
        .clamped()
    }

    /// The frame in whole pixels, as the crop to write: the width a multiple of 3 so the
    /// height is exactly two thirds of it, inside the image.
    pub fn to_rect(&self) -> CropRect {
        let iw = self.image_w as u32;
        let ih = self.image_h as u32;
        let thirds = (self.width / 3.0).floor().max(1.0) as u32;
        let thirds = thirds.min(iw / 3).min(ih / 2).max(1);
        let (w, h) = ((thirds * 3).min(iw), (thirds * 2).min(ih));
        let x = (self.x.round().max(0.0) as u32).min(iw.saturating_sub(w));
        let y = (self.y.round().max(0.0) as u32).min(ih.saturating_sub(h));
        CropRect {
            x,
            y,
            width: w,
            height: h,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-6
    }

    #[test]
    fn centred_frame_is_the_largest_3_2() {
        let f = CropFrame::centered(2400, 3600);
        assert!(close(f.width, 2400.0) && close(f.height(), 1600.0));
        assert!(close(f.x, 0.0) && close(f.y, 1000.0));
        let f = CropFrame::centered(4000, 1000);
        assert!(close(f.width, 1500.0) && close(f.height(), 1000.0));
        assert!(close(f.x, 1250.0) && close(f.y, 0.0));
    }

    #[test]
    fn moving_stops_at_the_edges() {
        let f = CropFrame::centered(2400, 3600);
        let down = f.moved(50.0, 300.0);
        assert!(close(down.x, 0.0) && close(down.y, 1300.0));
        let far = f.moved(-9999.0, 9999.0);
        assert!(close(far.y, 2000.0), "{far:?}");
        assert!(close(f.moved(0.0, -1e9).y, 0.0));
        assert_eq!(f.moved(f64::NAN, 0.0), f);
    }

    #[test]
    fn corner_resize_keeps_3_2_and_the_opposite_corner() {
        let f = CropFrame::centered(2400, 3600);
        // Drag the bottom-right corner up and left: smaller, top-left fixed.
        let g = f.resized(Corner::BottomRight, 1200.0, 1800.0);
        assert!(close(g.x, 0.0) && close(g.y, 1000.0));
        assert!(close(g.width, 1200.0) && close(g.height(), 800.0), "{g:?}");
        // Drag the top-left corner out past the image: stops at the edge, 3:2 kept.
        let h = g.resized(Corner::TopLeft, -500.0, -500.0);
        let (rx, ry) = h.corner(Corner::BottomRight);
        assert!(close(rx, 1200.0) && close(ry, 1800.0), "{h:?}");
        assert!(close(h.width / h.height(), ASPECT));
        assert!(h.x >= 0.0 && h.y >= 0.0);
        // Moving the corner sideways alone resizes too.
        let side = f.resized(Corner::BottomRight, 2000.0, 2600.0);
        assert!(side.width < 2400.0 && side.width > 2000.0, "{side:?}");
        assert!(close(side.x, 0.0) && close(side.y, 1000.0));
        // Never smaller than the minimum.
        let tiny = f.resized(Corner::TopRight, 0.0, 2600.0);
        assert!(close(tiny.width, MIN_WIDTH), "{tiny:?}");
        let (lx, by) = tiny.corner(Corner::BottomLeft);
        assert!(close(lx, 0.0) && close(by, 2600.0));
    }

    #[test]
    fn rect_is_exactly_3_2_and_inside() {
        for (w, h) in [(2400, 3600), (1001, 1999), (3, 2), (5000, 333)] {
            let f = CropFrame::centered(w, h).moved(7.3, 11.8);
            let r = f.to_rect();
            assert_eq!(r.width * 2, r.height * 3, "{w}x{h}: {r:?}");
            assert!(r.x + r.width <= w && r.y + r.height <= h, "{w}x{h}: {r:?}");
        }
    }
}
