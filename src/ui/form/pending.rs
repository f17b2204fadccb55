//! Drafts of fields that write on commit: committing them, and the ones that cannot be
//! written (what Save, switching case and quitting ask about).

use casebook_core::case::Case;
use casebook_core::edit::Edit;
use casebook_core::fields::{self, Centroid};
use serde_yaml::Value;

use super::raw::{check_raw, raw_to_write};
use super::rows::parse_degrees;
use super::{Commit, Draft, FormState, Pending};
use crate::ui::Intent;

/// A field showing text that is not written to the file (it does not parse).
#[derive(Debug, Clone, PartialEq)]
pub struct Unwritten {
    /// The front-matter key.
    pub key: String,
    /// The field's label.
    pub label: String,
    /// What the field shows.
    pub shown: String,
    /// Why it cannot be written.
    pub why: String,
    /// What the file holds meanwhile, as shown.
    pub kept: String,
}

/// What a committed draft writes, or why it cannot be written.
pub(super) type Evaluated = Result<(Edit, String), String>;

/// The slots of the centroid's two fields.
pub(super) const LAT: &str = "centroid.lat";
pub(super) const LON: &str = "centroid.lon";

/// A number as typed: an integer, else a finite decimal (a comma is not a decimal point).
pub(super) fn parse_number(s: &str) -> Result<Value, String> {
    let t = s.trim();
    if let Ok(i) = t.parse::<i64>() {
        return Ok(Value::Number(i.into()));
    }
    match t.parse::<f64>() {
        Ok(x) if x.is_finite() && !t.is_empty() && !t.contains(['n', 'N', 'i', 'I']) => {
            Ok(Value::Number(x.into()))
        }
        _ => Err(format!(
            "“{t}” is not a number (use a point for decimals: 12.5)"
        )),
    }
}

/// A short form of a value as shown, for messages.
pub(super) fn shorten(s: &str) -> String {
    let first = s.lines().next().unwrap_or_default();
    let mut out: String = first.chars().take(60).collect();
    if out.len() < first.len() || s.lines().count() > 1 {
        out.push('…');
    }
    if out.trim().is_empty() {
        "no value".to_string()
    } else {
        format!("“{out}”")
    }
}

impl FormState {
    /// What the draft in `slot` writes when committed, with the edit's label; `None` when it
    /// is not a committed field or shows what the file holds.
    pub(super) fn evaluate(&self, slot: &str) -> Option<Evaluated> {
        let d = self.drafts.get(slot)?;
        let p = d.pending.as_ref()?;
        if p.commit == Commit::Centroid {
            let lat = self.drafts.get(LAT)?;
            let lon = self.drafts.get(LON)?;
            if lat.buffer == lat.synced && lon.buffer == lon.synced {
                return None;
            }
            return Some(centroid_edit(&lat.buffer, &lon.buffer, &p.key));
        }
        if d.buffer == d.synced {
            return None;
        }
        Some(evaluate(d, p))
    }

    /// The slots with a draft that is not written, in a stable order (the centroid once).
    fn pending_slots(&self) -> Vec<String> {
        let mut slots: Vec<String> = self
            .drafts
            .iter()
            .filter(|(slot, d)| {
                d.pending.is_some()
                    && d.buffer != d.synced
                    && !(slot.as_str() == LON
                        && self.drafts.get(LAT).is_some_and(|l| l.pending.is_some()))
            })
            .map(|(slot, _)| slot.clone())
            .collect();
        if self
            .drafts
            .get(LON)
            .is_some_and(|d| d.pending.is_some() && d.buffer != d.synced)
            && !slots.iter().any(|s| s == LAT)
        {
            slots.push(LAT.to_string());
        }
        slots.sort();
        slots
    }

    /// Takes the drafts that can be written but were not committed yet (typed, without Enter
    /// or leaving the field) and returns their edits. Save and switching case call this.
    pub fn commit_pending(&mut self, case: &Case) -> Vec<Intent> {
        let mut out = Vec::new();
        for slot in self.pending_slots() {
            if let Some(Ok((edit, label))) = self.evaluate(&slot) {
                self.mark_written(&slot, &edit);
                out.push(Intent::edit(
                    flow_centroid(edit, case.doc().front_matter()),
                    label,
                    None,
                ));
            }
        }
        out
    }

    /// The drafts that cannot be written (they do not parse).
    pub fn unwritten(&self, _case: &Case) -> Vec<Unwritten> {
        self.pending_slots()
            .into_iter()
            .filter_map(|slot| {
                let Some(Err(why)) = self.evaluate(&slot) else {
                    return None;
                };
                let d = self.drafts.get(&slot)?;
                let p = d.pending.as_ref()?;
                let (shown, kept) = if p.commit == Commit::Centroid {
                    let lat = self.drafts.get(LAT)?;
                    let lon = self.drafts.get(LON)?;
                    (
                        format!("{}, {}", lat.buffer, lon.buffer),
                        if lat.synced.is_empty() && lon.synced.is_empty() {
                            String::new()
                        } else {
                            format!("[{}, {}]", lat.synced, lon.synced)
                        },
                    )
                } else {
                    (d.buffer.clone(), d.synced.clone())
                };
                Some(Unwritten {
                    key: p.key.clone(),
                    label: p.label.clone(),
                    shown,
                    why,
                    kept: shorten(&kept),
                })
            })
            .collect()
    }

    /// Edits that write every unwritten draft as text, quoted as needed.
    pub fn write_unwritten_as_text(&mut self, case: &Case) -> Vec<Intent> {
        let mut out = Vec::new();
        for u in self.unwritten(case) {
            let slot = self
                .drafts
                .iter()
                .find(|(_, d)| d.pending.as_ref().is_some_and(|p| p.key == u.key))
                .map(|(s, _)| s.clone());
            out.push(Intent::edit(
                Edit::SetField {
                    key: u.key.clone(),
                    value: Value::String(u.shown.clone()),
                },
                format!("{} as text", u.label),
                None,
            ));
            if let Some(slot) = slot {
                self.forget(&slot);
            }
        }
        out
    }

    /// Forgets the drafts that cannot be written: the fields show the file again.
    pub fn drop_unwritten(&mut self, case: &Case) {
        let keys: Vec<String> = self.unwritten(case).into_iter().map(|u| u.key).collect();
        let slots: Vec<String> = self
            .drafts
            .iter()
            .filter(|(_, d)| d.pending.as_ref().is_some_and(|p| keys.contains(&p.key)))
            .map(|(s, _)| s.clone())
            .collect();
        for s in slots {
            self.forget(&s);
        }
    }

    /// The draft of `slot` shows the file again (the centroid: both fields).
    pub(super) fn forget(&mut self, slot: &str) {
        let both = [LAT, LON];
        let slots: Vec<&str> = if both.contains(&slot) {
            both.to_vec()
        } else {
            vec![slot]
        };
        for s in slots {
            if let Some(d) = self.drafts.get_mut(s) {
                d.buffer.clone_from(&d.synced);
            }
        }
    }

    /// After committing `slot` with `edit`: the field shows what the file will hold.
    pub(super) fn mark_written(&mut self, slot: &str, edit: &Edit) {
        let shown: Vec<(&str, String)> = match edit {
            Edit::SetRawField { raw, .. } => vec![(slot, super::raw::raw_display(raw))],
            Edit::SetField { value, .. } if [LAT, LON].contains(&slot) => {
                match Centroid::from_value(value) {
                    Some(c) => vec![(LAT, c.lat.to_string()), (LON, c.lon.to_string())],
                    None => vec![(LAT, String::new()), (LON, String::new())],
                }
            }
            Edit::SetField { value, .. } => {
                vec![(slot, fields::as_text(value).unwrap_or_default())]
            }
            _ => Vec::new(),
        };
        for (s, text) in shown {
            if let Some(d) = self.drafts.get_mut(s) {
                d.buffer.clone_from(&text);
                d.synced = text;
            }
        }
    }
}

/// A centroid edit written as the atlas writes a new centroid (`[lat, lon]`; see
/// [`Centroid::edit_in`]); other edits as they are.
pub(super) fn flow_centroid(
    edit: Edit,
    fm: Option<&casebook_core::front_matter::FrontMatter>,
) -> Edit {
    match &edit {
        Edit::SetField { key, value } if key == casebook_core::fields::Field::Centroid.key() => {
            match Centroid::from_value(value) {
                Some(c) => c.edit_in(fm),
                None => edit,
            }
        }
        _ => edit,
    }
}

/// What a (non-centroid) draft writes.
fn evaluate(d: &Draft, p: &Pending) -> Evaluated {
    let key = p.key.clone();
    match p.commit {
        Commit::Raw => {
            let raw = raw_to_write(&d.buffer);
            check_raw(&key, &raw)?;
            Ok((Edit::SetRawField { key, raw }, format!("Edit {}", p.label)))
        }
        Commit::Number => {
            let value = if d.buffer.trim().is_empty() {
                Value::Null
            } else {
                parse_number(&d.buffer)?
            };
            Ok((Edit::SetField { key, value }, p.label.clone()))
        }
        Commit::Centroid => Err("the centroid is written from both fields".to_string()),
    }
}

/// The centroid from its two fields.
fn centroid_edit(lat: &str, lon: &str, key: &str) -> Evaluated {
    if lat.trim().is_empty() && lon.trim().is_empty() {
        return Ok((
            Edit::SetField {
                key: key.to_string(),
                value: Value::Null,
            },
            "Centroid".to_string(),
        ));
    }
    let Some(a) = parse_degrees(lat) else {
        return Err(format!(
            "latitude “{}” is not a number of degrees, such as 41.4009",
            lat.trim()
        ));
    };
    let Some(o) = parse_degrees(lon) else {
        return Err(format!(
            "longitude “{}” is not a number of degrees, such as 2.1986",
            lon.trim()
        ));
    };
    let c = Centroid { lat: a, lon: o };
    if !c.in_range() {
        return Err("latitude runs from -90 to 90 and longitude from -180 to 180".to_string());
    }
    Ok((
        Edit::SetField {
            key: key.to_string(),
            value: c.to_value(),
        },
        "Centroid".to_string(),
    ))
}
