//! Raster tiles under the geometry: online servers through walkers' [`walkers::HttpTiles`]
//! (with a disk cache and a proper User-Agent), a local `.pmtiles` file, or a local folder of
//! `z/x/y` images.
//!
//! Tiles only ever add to the offline basemap drawn beneath them: while they load, or when
//! they cannot load (no network), the map still shows land, coasts and borders, and
//! [`TileStats::unavailable`] turns on a quiet note.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::{Duration, Instant};

use egui::{Rect, TextureHandle, pos2};
use walkers::sources::{Attribution, TileSource};
use walkers::{Tile, TileId, TilePiece, Tiles};

/// What Casebook is, sent in the User-Agent as tile servers ask (OpenStreetMap's policy:
/// identify the application).
pub const PROJECT_DESCRIPTION: &str = "Atlas of Urban Tech case-study editor";

/// An environment variable naming a tile URL template that replaces the online servers
/// (`http://127.0.0.1:8080/{z}/{x}/{y}.png`), for tests, mirrors and company tile servers.
pub const TILE_URL_ENV: &str = "CASEBOOK_TILE_URL";

/// How long tiles may take before the map says they are unavailable.
const PATIENCE: Duration = Duration::from_millis(2500);

/// The User-Agent sent to tile servers: `Casebook/<version> (<what it is>)`.
pub fn user_agent() -> String {
    format!(
        "Casebook/{} ({PROJECT_DESCRIPTION})",
        env!("CARGO_PKG_VERSION")
    )
}

/// A raster tile server: a URL template with `{z}`, `{x}`, `{y}` and optionally `{s}` (one of
/// `subdomains`), plus its attribution.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TileSourceSpec {
    /// A short name, also the cache folder's (`openstreetmap`).
    pub name: String,
    /// The URL template.
    pub url_template: String,
    /// Values for `{s}`.
    pub subdomains: Vec<String>,
    /// The attribution to show (without ©).
    pub attribution: &'static str,
    /// Where the attribution links to.
    pub attribution_url: &'static str,
    /// The deepest zoom the server has.
    pub max_zoom: u8,
}

impl TileSourceSpec {
    /// OpenStreetMap's standard tiles.
    pub fn openstreetmap() -> TileSourceSpec {
        TileSourceSpec {
            name: "openstreetmap".into(),
            url_template: "https://tile.openstreetmap.org/{z}/{x}/{y}.png".into(),
            subdomains: Vec::new(),
            attribution: "OpenStreetMap contributors",
            attribution_url: "https://www.openstreetmap.org/copyright",
            max_zoom: 19,
        }
    }

    /// CARTO Positron, the light basemap the atlas uses.
    pub fn carto_positron() -> TileSourceSpec {
        TileSourceSpec {
            name: "carto-positron".into(),
            url_template: "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}.png".into(),
            subdomains: ["a", "b", "c", "d"]
                .iter()
                .map(|s| (*s).to_string())
                .collect(),
            attribution: "OpenStreetMap contributors, © CARTO",
            attribution_url: "https://carto.com/attributions",
            max_zoom: 20,
        }
    }

    /// A server given by its URL template only.
    pub fn custom(url_template: &str) -> TileSourceSpec {
        TileSourceSpec {
            name: format!("custom-{:016x}", fnv(url_template)),
            url_template: url_template.to_string(),
            subdomains: ["a", "b", "c"].iter().map(|s| (*s).to_string()).collect(),
            attribution: "Map tiles from a custom server",
            attribution_url: "",
            max_zoom: 19,
        }
    }

    /// The URL of one tile.
    pub fn url(&self, id: TileId) -> String {
        let mut url = self
            .url_template
            .replace("{z}", &id.zoom.to_string())
            .replace("{x}", &id.x.to_string())
            .replace("{y}", &id.y.to_string());
        if !self.subdomains.is_empty() {
            let i = (id.x as usize + id.y as usize) % self.subdomains.len();
            url = url.replace("{s}", &self.subdomains[i]);
        }
        url
    }
}

fn fnv(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}

/// A [`TileSourceSpec`] as a walkers tile source.
struct SpecSource(TileSourceSpec);

impl TileSource for SpecSource {
    fn tile_url(&self, tile_id: TileId) -> String {
        self.0.url(tile_id)
    }

    fn attribution(&self) -> Attribution {
        Attribution {
            text: self.0.attribution,
            url: self.0.attribution_url,
            logo_light: None,
            logo_dark: None,
        }
    }

    fn max_zoom(&self) -> u8 {
        self.0.max_zoom
    }
}

/// Which tiles to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TileChoice {
    /// None: the offline basemap alone.
    Offline,
    /// An online server.
    Online(TileSourceSpec),
    /// A `.pmtiles` file or a folder of `z/x/y` images.
    Local(PathBuf),
}

/// What is known about the tiles being shown.
#[derive(Debug, Clone, Default)]
pub struct TileStats {
    /// Distinct tiles drawn at their own zoom so far.
    pub loaded: usize,
    /// Tiles being downloaded or read right now.
    pub in_progress: usize,
    /// No tile arrived although some were asked for (no network, server down, bad file).
    pub unavailable: bool,
    seen: HashSet<(u32, u32, u8)>,
    waiting_since: Option<Instant>,
    asked: usize,
    exact: usize,
    any: usize,
}

/// The tiles in use and what is known about them.
#[derive(Default)]
pub struct TileState {
    choice: Option<TileChoice>,
    tiles: Option<Box<dyn Tiles>>,
    /// Counts and availability.
    pub stats: TileStats,
    /// Why local tiles could not be opened.
    pub error: Option<String>,
    /// Why no tile arrived, once known (see [`super::probe`]).
    pub failure: Option<String>,
    probe: Option<Receiver<String>>,
    /// The note about the failure was closed: it is not shown again for these tiles.
    pub note_dismissed: bool,
}

impl TileState {
    /// Makes `choice` the tiles in use (opening them if it changed).
    pub fn set_choice(&mut self, choice: TileChoice, ctx: &egui::Context, data_dir: &Path) {
        if self.choice.as_ref() == Some(&choice) {
            return;
        }
        self.stats = TileStats::default();
        self.error = None;
        self.failure = None;
        self.probe = None;
        self.note_dismissed = false;
        self.tiles = match &choice {
            TileChoice::Offline => None,
            TileChoice::Online(spec) => Some(Box::new(http_tiles(spec, ctx, data_dir))),
            TileChoice::Local(path) => match open_local(path, ctx) {
                Ok(t) => Some(t),
                Err(e) => {
                    self.error = Some(e);
                    None
                }
            },
        };
        self.choice = Some(choice);
    }

    /// The choice in use.
    pub fn choice(&self) -> Option<&TileChoice> {
        self.choice.as_ref()
    }

    /// The attribution of the tiles in use.
    pub fn attribution(&self) -> Option<Attribution> {
        self.tiles.as_ref().map(|t| t.attribution())
    }

    /// The tiles for this frame, counting what they deliver.
    pub fn tracked(&mut self) -> Option<Tracked<'_>> {
        let tiles = self.tiles.as_deref_mut()?;
        self.stats.asked = 0;
        self.stats.exact = 0;
        self.stats.any = 0;
        Some(Tracked {
            inner: tiles,
            stats: &mut self.stats,
        })
    }

    /// The note to show about tiles that could not be loaded, once the reason is known;
    /// `None` while tiles load, after the note was closed, or with no tiles chosen.
    pub fn failure_note(&self) -> Option<String> {
        if self.note_dismissed || !self.stats.unavailable {
            return None;
        }
        let reason = self.failure.as_deref()?;
        Some(format!(
            "Map tiles could not be loaded ({reason}); showing the offline basemap"
        ))
    }

    /// After the map was drawn: updates availability; asks for a repaint while undecided;
    /// finds out why when no tile arrived.
    pub fn end_frame(&mut self, ctx: &egui::Context) {
        self.find_reason(ctx);
        let Some(tiles) = &self.tiles else { return };
        let s = &mut self.stats;
        s.in_progress = tiles.stats().in_progress;
        if s.exact > 0 || s.any > 0 {
            s.unavailable = false;
            s.waiting_since = None;
            // The note was said once; tiles came back since: it is not said again.
            if self.failure.is_some() {
                self.note_dismissed = true;
            }
            return;
        }
        if s.asked == 0 {
            return;
        }
        let since = *s.waiting_since.get_or_insert_with(Instant::now);
        if since.elapsed() >= PATIENCE && s.in_progress == 0 {
            s.unavailable = true;
        } else if !s.unavailable {
            ctx.request_repaint_after(Duration::from_millis(250));
        }
    }
}

impl TileState {
    /// Starts (or collects) the probe that says why no tile arrived.
    fn find_reason(&mut self, ctx: &egui::Context) {
        if let Some(rx) = &self.probe {
            match rx.try_recv() {
                Ok(reason) => {
                    self.failure = Some(reason);
                    self.probe = None;
                }
                Err(std::sync::mpsc::TryRecvError::Disconnected) => {
                    self.failure = Some("no tile arrived".to_string());
                    self.probe = None;
                }
                Err(std::sync::mpsc::TryRecvError::Empty) => {
                    ctx.request_repaint_after(Duration::from_millis(250));
                }
            }
            return;
        }
        if !self.stats.unavailable || self.failure.is_some() {
            return;
        }
        match &self.choice {
            Some(TileChoice::Online(spec)) => {
                let url = spec.url(TileId {
                    x: 0,
                    y: 0,
                    zoom: 0,
                });
                let (tx, rx) = channel();
                let repaint = ctx.clone();
                std::thread::spawn(move || {
                    let _ = tx.send(super::probe::reason(&url, Duration::from_secs(4)));
                    repaint.request_repaint();
                });
                self.probe = Some(rx);
            }
            Some(TileChoice::Local(path)) => {
                self.failure = Some(format!("no tile could be read from {}", path.display()));
            }
            _ => {}
        }
    }
}

/// Tiles wrapped to count what they deliver.
pub struct Tracked<'a> {
    inner: &'a mut dyn Tiles,
    stats: &'a mut TileStats,
}

impl Tiles for Tracked<'_> {
    fn at(&mut self, tile_id: TileId) -> Option<TilePiece> {
        self.stats.asked += 1;
        let piece = self.inner.at(tile_id)?;
        self.stats.any += 1;
        if piece.uv == Rect::from_min_max(pos2(0.0, 0.0), pos2(1.0, 1.0)) {
            self.stats.exact += 1;
            if self.stats.seen.insert((tile_id.x, tile_id.y, tile_id.zoom)) {
                self.stats.loaded = self.stats.seen.len();
            }
        }
        Some(piece)
    }

    fn attribution(&self) -> Attribution {
        self.inner.attribution()
    }

    fn tile_size(&self) -> u32 {
        self.inner.tile_size()
    }

    fn stats(&self) -> walkers::Stats {
        self.inner.stats()
    }
}

/// The cache folder of a tile source: `data_dir/tiles/<name>`.
pub fn cache_dir(data_dir: &Path, spec: &TileSourceSpec) -> PathBuf {
    data_dir.join("tiles").join(&spec.name)
}

fn http_tiles(spec: &TileSourceSpec, ctx: &egui::Context, data_dir: &Path) -> walkers::HttpTiles {
    let options = walkers::HttpOptions {
        cache: Some(cache_dir(data_dir, spec)),
        user_agent: walkers::HeaderValue::from_str(&user_agent()).ok(),
        ..Default::default()
    };
    walkers::HttpTiles::with_options(SpecSource(spec.clone()), options, ctx.clone())
}

fn open_local(path: &Path, ctx: &egui::Context) -> Result<Box<dyn Tiles>, String> {
    if path.is_dir() {
        return FolderTiles::open(path, ctx).map(|t| Box::new(t) as Box<dyn Tiles>);
    }
    if !path.is_file() {
        return Err(format!("{}: no such file or folder", path.display()));
    }
    let is_pmtiles = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("pmtiles"));
    if !is_pmtiles {
        return Err(format!(
            "{}: not a .pmtiles file (choose a .pmtiles file or a folder of z/x/y tiles)",
            path.display()
        ));
    }
    Ok(Box::new(walkers::PmTiles::new(path, ctx.clone())))
}

/// A folder of `z/x/y.png` (or `.jpg`, `.webp`) tiles, read on a background thread.
pub struct FolderTiles {
    root: PathBuf,
    max_zoom: u8,
    textures: HashMap<TileId, Option<TextureHandle>>,
    requests: Sender<TileId>,
    results: Receiver<(TileId, Option<egui::ColorImage>)>,
    ctx: egui::Context,
    pending: usize,
}

impl FolderTiles {
    /// Opens a tile folder (its numeric subfolders are the zoom levels).
    pub fn open(root: &Path, ctx: &egui::Context) -> Result<FolderTiles, String> {
        let max_zoom = std::fs::read_dir(root)
            .map_err(|e| format!("{}: {e}", root.display()))?
            .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u8>().ok())
            .max()
            .ok_or_else(|| format!("{}: no zoom folders (0, 1, 2 …) inside", root.display()))?;
        let (req_tx, req_rx) = channel::<TileId>();
        let (res_tx, res_rx) = channel();
        let dir = root.to_path_buf();
        let repaint = ctx.clone();
        std::thread::spawn(move || {
            while let Ok(id) = req_rx.recv() {
                let image = read_tile(&dir, id);
                if res_tx.send((id, image)).is_err() {
                    break;
                }
                repaint.request_repaint();
            }
        });
        Ok(FolderTiles {
            root: root.to_path_buf(),
            max_zoom,
            textures: HashMap::new(),
            requests: req_tx,
            results: res_rx,
            ctx: ctx.clone(),
            pending: 0,
        })
    }

    fn receive(&mut self) {
        while let Ok((id, image)) = self.results.try_recv() {
            self.pending = self.pending.saturating_sub(1);
            let tex = image.map(|img| {
                self.ctx.load_texture(
                    format!("tile-{}-{}-{}", id.zoom, id.x, id.y),
                    img,
                    Default::default(),
                )
            });
            self.textures.insert(id, tex);
        }
    }
}

fn read_tile(dir: &Path, id: TileId) -> Option<egui::ColorImage> {
    for ext in ["png", "jpg", "jpeg", "webp"] {
        let p = dir
            .join(id.zoom.to_string())
            .join(id.x.to_string())
            .join(format!("{}.{ext}", id.y));
        if let Ok(bytes) = std::fs::read(&p) {
            let img = image::load_from_memory(&bytes).ok()?.to_rgba8();
            let size = [img.width() as usize, img.height() as usize];
            return Some(egui::ColorImage::from_rgba_unmultiplied(size, img.as_raw()));
        }
    }
    None
}

impl Tiles for FolderTiles {
    fn at(&mut self, tile_id: TileId) -> Option<TilePiece> {
        self.receive();
        let want = if tile_id.zoom > self.max_zoom {
            parent(tile_id, self.max_zoom).0
        } else {
            tile_id
        };
        if let std::collections::hash_map::Entry::Vacant(e) = self.textures.entry(want) {
            e.insert(None);
            if self.requests.send(want).is_ok() {
                self.pending += 1;
            }
        }
        // The tile itself, or the part of the nearest loaded ancestor that covers it.
        let mut zoom = tile_id.zoom.min(self.max_zoom);
        loop {
            let (id, uv) = parent(tile_id, zoom);
            if let Some(Some(tex)) = self.textures.get(&id) {
                return Some(TilePiece::new(Tile::Raster(tex.clone()), uv));
            }
            zoom = zoom.checked_sub(1)?;
        }
    }

    fn attribution(&self) -> Attribution {
        Attribution {
            text: "Local tiles",
            url: "",
            logo_light: None,
            logo_dark: None,
        }
    }

    fn tile_size(&self) -> u32 {
        256
    }

    fn stats(&self) -> walkers::Stats {
        walkers::Stats {
            in_progress: self.pending,
        }
    }
}

impl std::fmt::Debug for FolderTiles {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FolderTiles")
            .field("root", &self.root)
            .finish()
    }
}

/// The ancestor of `id` at `zoom` and the part of it that `id` covers.
fn parent(id: TileId, zoom: u8) -> (TileId, Rect) {
    let d = u32::from(id.zoom.saturating_sub(zoom));
    let n = 1u32 << d.min(31);
    let size = 1.0 / n as f32;
    let (px, py) = (id.x >> d.min(31), id.y >> d.min(31));
    let (ox, oy) = ((id.x % n) as f32 * size, (id.y % n) as f32 * size);
    (
        TileId {
            x: px,
            y: py,
            zoom: zoom.min(id.zoom),
        },
        Rect::from_min_max(pos2(ox, oy), pos2(ox + size, oy + size)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_fill_the_template() {
        let id = TileId {
            x: 3,
            y: 5,
            zoom: 4,
        };
        assert_eq!(
            TileSourceSpec::openstreetmap().url(id),
            "https://tile.openstreetmap.org/4/3/5.png"
        );
        assert_eq!(
            TileSourceSpec::carto_positron().url(id),
            "https://a.basemaps.cartocdn.com/light_all/4/3/5.png"
        );
        assert!(user_agent().starts_with("Casebook/"));
        assert_ne!(
            TileSourceSpec::custom("http://a/{z}").name,
            TileSourceSpec::custom("http://b/{z}").name
        );
    }

    #[test]
    fn folder_tiles_load_and_stand_in_for_deeper_ones() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let z0 = dir.path().join("0").join("0");
        std::fs::create_dir_all(&z0)?;
        let img = image::RgbaImage::from_pixel(256, 256, image::Rgba([10, 20, 30, 255]));
        img.save(z0.join("0.png"))?;
        let ctx = egui::Context::default();
        let mut tiles = FolderTiles::open(dir.path(), &ctx)?;
        let id = TileId {
            x: 0,
            y: 0,
            zoom: 0,
        };
        let start = Instant::now();
        let mut piece = None;
        while piece.is_none() && start.elapsed() < Duration::from_secs(5) {
            piece = tiles.at(id);
            std::thread::sleep(Duration::from_millis(10));
        }
        assert!(piece.is_some(), "the tile did not load");
        // Deeper than the folder goes: a part of the zoom-0 tile.
        let deeper = tiles
            .at(TileId {
                x: 1,
                y: 1,
                zoom: 1,
            })
            .ok_or("no stand-in")?;
        assert_eq!(
            deeper.uv,
            Rect::from_min_max(pos2(0.5, 0.5), pos2(1.0, 1.0))
        );
        assert!(open_local(&dir.path().join("nothing.pmtiles"), &ctx).is_err());
        Ok(())
    }

    #[test]
    fn ancestors_cover_the_right_part() {
        let (p, uv) = parent(
            TileId {
                x: 3,
                y: 2,
                zoom: 2,
            },
            1,
        );
        assert_eq!(
            p,
            TileId {
                x: 1,
                y: 1,
                zoom: 1
            }
        );
        assert_eq!(uv, Rect::from_min_max(pos2(0.5, 0.0), pos2(1.0, 0.5)));
        let (same, full) = parent(
            TileId {
                x: 3,
                y: 2,
                zoom: 2,
            },
            2,
        );
        assert_eq!(same.zoom, 2);
        assert_eq!(full, Rect::from_min_max(pos2(0.0, 0.0), pos2(1.0, 1.0)));
    }
}
