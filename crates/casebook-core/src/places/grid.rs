//! A spatial index of the gazetteer: the world cut into 1° cells, each listing its places
//! most populous first, so that the largest places of a small box (a map at city zoom) are
//! found without scanning the whole gazetteer.
//!
//! Built on first use from the population order (a few ms; 0.9 MB: one `u32` per place
//! and one per cell). Big boxes (more than [`MAX_CELLS`] cells) are better served by the
//! scan in population order, which stops early because they hold many places.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::sync::OnceLock;

use super::data::Gazetteer;

/// Cells per degree of longitude and latitude.
const PER_DEGREE: f64 = 1.0;
const COLS: usize = 360;
const ROWS: usize = 180;

/// Boxes covering more cells than this are answered by the scan in population order.
pub(super) const MAX_CELLS: usize = 2_500;

/// The cells and their places.
pub(super) struct Grid {
    /// Per cell (row-major, from 90° S and 180° W): where its places start in `ranks`;
    /// one more entry at the end.
    starts: Vec<u32>,
    /// Ranks in the population order ([`Gazetteer::by_population`]), by cell, ascending in
    /// each cell (so most populous first).
    ranks: Vec<u32>,
}

fn col_of(lon_e4: i32) -> usize {
    let lon = f64::from(lon_e4) / 1e4;
    (((lon + 180.0) * PER_DEGREE).floor().max(0.0) as usize).min(COLS - 1)
}

fn row_of(lat_e4: i32) -> usize {
    let lat = f64::from(lat_e4) / 1e4;
    (((lat + 90.0) * PER_DEGREE).floor().max(0.0) as usize).min(ROWS - 1)
}

impl Grid {
    fn build(g: &Gazetteer) -> Grid {
        let order = g.by_population();
        let cell_of = |i: u32| {
            g.places
                .get(i as usize)
                .map(|r| row_of(r.lat_e4) * COLS + col_of(r.lon_e4))
        };
        let mut counts = vec![0u32; COLS * ROWS + 1];
        for &i in order {
            if let Some(c) = cell_of(i) {
                counts[c + 1] += 1;
            }
        }
        for c in 1..counts.len() {
            counts[c] += counts[c - 1];
        }
        let starts = counts.clone();
        let mut fill = counts;
        let mut ranks = vec![0u32; order.len()];
        for (rank, &i) in order.iter().enumerate() {
            if let Some(c) = cell_of(i) {
                let at = fill[c] as usize;
                if let Some(slot) = ranks.get_mut(at) {
                    *slot = u32::try_from(rank).unwrap_or(u32::MAX);
                }
                fill[c] += 1;
            }
        }
        Grid { starts, ranks }
    }

    fn cell(&self, row: usize, col: usize) -> &[u32] {
        let c = row * COLS + col;
        match (self.starts.get(c), self.starts.get(c + 1)) {
            (Some(&a), Some(&b)) => self.ranks.get(a as usize..b as usize).unwrap_or_default(),
            _ => &[],
        }
    }

    /// Bytes of heap the grid holds.
    pub fn heap_bytes(&self) -> usize {
        (self.starts.capacity() + self.ranks.capacity()) * std::mem::size_of::<u32>()
    }
}

static GRID: OnceLock<Grid> = OnceLock::new();

/// The grid, built on first use.
pub(super) fn grid(g: &'static Gazetteer) -> &'static Grid {
    GRID.get_or_init(|| Grid::build(g))
}

/// The grid if it was built.
pub(super) fn built() -> Option<&'static Grid> {
    GRID.get()
}

/// The columns a box covers (one range, or two across 180°), and its rows; `None` when it
/// covers more than [`MAX_CELLS`] cells.
pub(super) fn cells_of(
    box_e4: [f64; 4],
) -> Option<([std::ops::Range<usize>; 2], std::ops::Range<usize>)> {
    let [west, south, east, north] = box_e4.map(|v| v as i32);
    let rows = row_of(south)..row_of(north) + 1;
    let cols = if west <= east {
        [col_of(west)..col_of(east) + 1, 0..0]
    } else {
        [col_of(west)..COLS, 0..col_of(east) + 1]
    };
    let n_cols: usize = cols.iter().map(ExactSizeIterator::len).sum();
    (n_cols * rows.len() <= MAX_CELLS).then_some((cols, rows))
}

/// The ranks (population order) of the places in the given cells that `keep` accepts,
/// smallest first (most populous first), at most `limit`: a merge of the cells' lists.
pub(super) fn merged(
    grid: &Grid,
    cols: &[std::ops::Range<usize>],
    rows: std::ops::Range<usize>,
    limit: usize,
    mut keep: impl FnMut(u32) -> bool,
) -> Vec<u32> {
    let mut lists: Vec<&[u32]> = Vec::new();
    for row in rows {
        for range in cols {
            for col in range.clone() {
                let c = grid.cell(row, col);
                if !c.is_empty() {
                    lists.push(c);
                }
            }
        }
    }
    let mut heap: BinaryHeap<Reverse<(u32, usize, usize)>> = lists
        .iter()
        .enumerate()
        .filter_map(|(li, l)| l.first().map(|&r| Reverse((r, li, 0))))
        .collect();
    let mut out = Vec::new();
    while out.len() < limit {
        let Some(Reverse((rank, li, at))) = heap.pop() else {
            break;
        };
        if keep(rank) {
            out.push(rank);
        }
        if let Some(&next) = lists.get(li).and_then(|l| l.get(at + 1)) {
            heap.push(Reverse((next, li, at + 1)));
        }
    }
    out
}
