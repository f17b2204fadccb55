//! Visual constants in one place: colours, spacing, sizes.
//!
//! Colours come in light/dark pairs picked by [`Tokens::for_visuals`]; views never hard-code
//! a colour or a margin of their own.

use egui::{Color32, Visuals};

/// Space between groups of controls.
pub const GAP: f32 = 12.0;
/// Small space between related controls.
pub const GAP_SMALL: f32 = 6.0;
/// Width of the form's label column.
pub const LABEL_WIDTH: f32 = 150.0;
/// Default width of the left panel (workspace + outline).
pub const LEFT_PANEL_WIDTH: f32 = 270.0;
/// Narrowest the left panel gets by default (small windows).
pub const LEFT_PANEL_MIN_WIDTH: f32 = 200.0;
/// Width of the strip left when the side panel is folded away.
pub const FOLDED_PANEL_WIDTH: f32 = 22.0;
/// Default height of the problems panel (when it lists problems).
pub const PROBLEMS_HEIGHT: f32 = 150.0;
/// Lowest the problems panel can be dragged.
pub const PROBLEMS_MIN_HEIGHT: f32 = 60.0;
/// Maximum width of text columns (form, sections, preview) for readability.
pub const TEXT_COLUMN_MAX: f32 = 820.0;
/// Size of the featured-image thumbnail.
pub const THUMBNAIL: egui::Vec2 = egui::vec2(240.0, 135.0);
/// Corner radius of badges.
pub const BADGE_RADIUS: u8 = 4;
/// Height of the wavy underline under a misspelled word, either side of its middle.
pub const SPELL_WAVE_AMPLITUDE: f32 = 1.2;
/// Half a wave of the underline under a misspelled word.
pub const SPELL_WAVE_STEP: f32 = 2.0;
/// Thickness of the underline under a misspelled word.
pub const SPELL_WAVE_WIDTH: f32 = 1.2;
/// How strongly a removed or added line of a diff is tinted (share of the error/ok colour).
pub const DIFF_LINE_TINT: f32 = 0.15;
/// How strongly the changed words inside such a line are tinted.
pub const DIFF_WORD_TINT: f32 = 0.45;
/// Radius of map vertex handles.
pub const HANDLE_RADIUS: f32 = 5.0;
/// Radius of map midpoint handles.
pub const MIDPOINT_RADIUS: f32 = 3.5;
/// How close (in points) a click must be to grab a handle.
pub const HANDLE_GRAB: f32 = 9.0;
/// Map: the reference boundary's dashes, gaps and stroke width (points).
pub const GHOST_DASH_LENGTH: f32 = 7.0;
/// See [`GHOST_DASH_LENGTH`].
pub const GHOST_GAP_LENGTH: f32 = 5.0;
/// See [`GHOST_DASH_LENGTH`].
pub const GHOST_STROKE_WIDTH: f32 = 2.0;

/// The colour set for the current theme.
#[derive(Debug, Clone, Copy)]
pub struct Tokens {
    /// Errors.
    pub error: Color32,
    /// Warnings.
    pub warning: Color32,
    /// Info and hints.
    pub info: Color32,
    /// Success, "within target".
    pub ok: Color32,
    /// Muted text (guidance, secondary labels).
    pub muted: Color32,
    /// Status badge colours: Draft, Review, Complete.
    pub draft: Color32,
    /// Review badge.
    pub review: Color32,
    /// Complete badge.
    pub complete: Color32,
    /// Background of guidance boxes.
    pub guidance_bg: Color32,
    /// Markdown highlighting: headings.
    pub md_heading: Color32,
    /// Markdown highlighting: links and images.
    pub md_link: Color32,
    /// Markdown highlighting: HTML comments.
    pub md_comment: Color32,
    /// Markdown highlighting: emphasis markers.
    pub md_marker: Color32,
    /// Map: sea.
    pub map_sea: Color32,
    /// Map: land.
    pub map_land: Color32,
    /// Map: country borders and coasts.
    pub map_border: Color32,
    /// Map: country names.
    pub map_label: Color32,
    /// Map: city names and their dots on the offline basemap (stronger than country names).
    pub map_city: Color32,
    /// Map: boundary fill.
    pub boundary_fill: Color32,
    /// Map: boundary outline.
    pub boundary_stroke: Color32,
    /// Map: the reference boundary (dashed, under the current one).
    pub boundary_ghost: Color32,
    /// Map: selected ring / handles.
    pub selection: Color32,
    /// Map: centroid marker.
    pub centroid: Color32,
}

impl Tokens {
    /// The set for `visuals` (light or dark).
    pub fn for_visuals(visuals: &Visuals) -> Tokens {
        if visuals.dark_mode { DARK } else { LIGHT }
    }

    /// The set for the ui's current theme.
    pub fn of(ui: &egui::Ui) -> Tokens {
        Tokens::for_visuals(ui.visuals())
    }

    /// The colour of a finding's severity (hints share the info colour; they are listed
    /// apart, not coloured apart).
    pub fn severity(&self, s: casebook_core::checks::Severity) -> Color32 {
        use casebook_core::checks::Severity;
        match s {
            Severity::Error => self.error,
            Severity::Warning => self.warning,
            Severity::Info | Severity::Hint => self.info,
        }
    }

    /// The badge colour of a status value.
    pub fn status_color(&self, status: Option<&str>) -> Color32 {
        match status.map(str::trim) {
            Some(s) if s.eq_ignore_ascii_case("complete") => self.complete,
            Some(s) if s.eq_ignore_ascii_case("review") => self.review,
            Some(s) if s.eq_ignore_ascii_case("draft") => self.draft,
            _ => self.muted,
        }
    }
}

const LIGHT: Tokens = Tokens {
    error: Color32::from_rgb(0xc0, 0x2b, 0x2b),
    warning: Color32::from_rgb(0xb0, 0x6a, 0x00),
    info: Color32::from_rgb(0x2f, 0x6f, 0xb3),
    ok: Color32::from_rgb(0x2e, 0x7d, 0x32),
    muted: Color32::from_rgb(0x6b, 0x6b, 0x6b),
    draft: Color32::from_rgb(0x8a, 0x8a, 0x8a),
    review: Color32::from_rgb(0xc7, 0x7c, 0x02),
    complete: Color32::from_rgb(0x2e, 0x7d, 0x32),
    guidance_bg: Color32::from_rgb(0xf3, 0xf1, 0xe8),
    md_heading: Color32::from_rgb(0x1a, 0x4f, 0x8b),
    md_link: Color32::from_rgb(0x1f, 0x6f, 0xa8),
    md_comment: Color32::from_rgb(0x8a, 0x8a, 0x80),
    md_marker: Color32::from_rgb(0x9a, 0x5b, 0x00),
    map_sea: Color32::from_rgb(0xd9, 0xe6, 0xf0),
    map_land: Color32::from_rgb(0xf6, 0xf4, 0xee),
    map_border: Color32::from_rgb(0xa8, 0xa8, 0xa0),
    map_label: Color32::from_rgb(0x70, 0x70, 0x68),
    map_city: Color32::from_rgb(0x3a, 0x3a, 0x36),
    boundary_fill: Color32::from_rgba_unmultiplied_const(0x1d, 0x5f, 0xa6, 0x40),
    boundary_stroke: Color32::from_rgb(0x1d, 0x5f, 0xa6),
    boundary_ghost: Color32::from_rgb(0x86, 0x5d, 0x8f),
    selection: Color32::from_rgb(0xe0, 0x6c, 0x00),
    centroid: Color32::from_rgb(0xc0, 0x2b, 0x2b),
};

const DARK: Tokens = Tokens {
    error: Color32::from_rgb(0xff, 0x6b, 0x6b),
    warning: Color32::from_rgb(0xf0, 0xb4, 0x4c),
    info: Color32::from_rgb(0x7a, 0xb4, 0xf0),
    ok: Color32::from_rgb(0x7c, 0xcf, 0x80),
    muted: Color32::from_rgb(0xa0, 0xa0, 0xa0),
    draft: Color32::from_rgb(0x90, 0x90, 0x90),
    review: Color32::from_rgb(0xe0, 0xa0, 0x30),
    complete: Color32::from_rgb(0x6c, 0xc0, 0x70),
    guidance_bg: Color32::from_rgb(0x2a, 0x2a, 0x26),
    md_heading: Color32::from_rgb(0x8c, 0xc4, 0xff),
    md_link: Color32::from_rgb(0x7a, 0xc0, 0xf0),
    md_comment: Color32::from_rgb(0x88, 0x88, 0x80),
    md_marker: Color32::from_rgb(0xe0, 0xa0, 0x50),
    map_sea: Color32::from_rgb(0x1b, 0x24, 0x2e),
    map_land: Color32::from_rgb(0x2c, 0x2e, 0x2b),
    map_border: Color32::from_rgb(0x5c, 0x60, 0x5a),
    map_label: Color32::from_rgb(0x9a, 0x9c, 0x96),
    map_city: Color32::from_rgb(0xd6, 0xd8, 0xd2),
    boundary_fill: Color32::from_rgba_unmultiplied_const(0x2a, 0x6f, 0xb8, 0x50),
    boundary_stroke: Color32::from_rgb(0x6a, 0xaa, 0xf0),
    boundary_ghost: Color32::from_rgb(0xb8, 0x9c, 0xc4),
    selection: Color32::from_rgb(0xff, 0x9a, 0x30),
    centroid: Color32::from_rgb(0xff, 0x6b, 0x6b),
};
