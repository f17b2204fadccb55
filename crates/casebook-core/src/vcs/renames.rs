//! Moved cases: an added and a deleted case whose `index.md` texts are alike enough are one
//! case renamed; [`Boilerplate`] leaves out the lines every case shares.

use super::*;

/// Finds the added and deleted cases that are one case moved, and lists a moved case's files.
pub(super) struct Renames<'a> {
    pub(super) repo: &'a gix::Repository,
    pub(super) workdir: &'a Path,
    pub(super) base_files: &'a BTreeMap<String, gix::ObjectId>,
    pub(super) now: &'a BTreeMap<String, Option<gix::ObjectId>>,
}

impl Renames<'_> {
    /// `cases` with each added case that is a deleted one moved turned into one renamed case.
    pub(super) fn pair(&self, cases: Vec<CaseChange>) -> Vec<CaseChange> {
        let added: Vec<usize> = (0..cases.len())
            .filter(|&i| cases[i].status == Status::Added)
            .collect();
        let deleted: Vec<usize> = (0..cases.len())
            .filter(|&i| cases[i].status == Status::Deleted)
            .collect();
        if added.is_empty() || deleted.is_empty() {
            return cases;
        }
        // Lines many documents of the base share (templates, guidance) tell no case apart.
        let base_index_texts: Vec<String> = self
            .base_files
            .keys()
            .filter(|p| *p == "index.md" || p.ends_with("/index.md"))
            .filter_map(|p| self.base_text(p))
            .collect();
        let boilerplate = Boilerplate::from_texts(base_index_texts.iter().map(String::as_str));
        let old_texts: Vec<Option<String>> = deleted
            .iter()
            .map(|&i| self.base_text(&join(&cases[i].path, "index.md")))
            .collect();
        let new_texts: Vec<Option<String>> = added
            .iter()
            .map(|&i| self.now_text(&join(&cases[i].path, "index.md")))
            .collect();
        // Every pair alike enough, best first (ties by path, so the result is stable).
        let mut pairs: Vec<(u8, usize, usize)> = Vec::new();
        for (a, new) in new_texts.iter().enumerate() {
            for (d, old) in old_texts.iter().enumerate() {
                if let (Some(new), Some(old)) = (new, old) {
                    let s = boilerplate.similarity(old, new);
                    if s >= RENAME_SIMILARITY {
                        pairs.push((s, a, d));
                    }
                }
            }
        }
        pairs.sort_by(|x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
        let mut used_a = vec![false; added.len()];
        let mut used_d = vec![false; deleted.len()];
        let mut merged: Vec<(usize, usize, u8)> = Vec::new();
        for (s, a, d) in pairs {
            if !used_a[a] && !used_d[d] {
                used_a[a] = true;
                used_d[d] = true;
                merged.push((added[a], deleted[d], s));
            }
        }
        let mut drop = vec![false; cases.len()];
        let mut out = cases.clone();
        for (a, d, s) in merged {
            drop[d] = true;
            let (new_dir, old_dir) = (cases[a].path.clone(), cases[d].path.clone());
            out[a] = CaseChange {
                files: self.moved_files(&old_dir, &new_dir),
                path: new_dir,
                from: Some(old_dir),
                status: Status::Renamed,
                similarity: Some(s),
            };
        }
        out.into_iter()
            .enumerate()
            .filter(|(i, _)| !drop[*i])
            .map(|(_, c)| c)
            .collect()
    }

    /// The files of a case moved from `old_dir` to `new_dir`: same name with other content is
    /// modified; a file moved whole, or named after the folder (`old-dir.geojson` →
    /// `new-dir.geojson`), is renamed; the rest added or deleted.
    fn moved_files(&self, old_dir: &str, new_dir: &str) -> Vec<FileChange> {
        let inside = |files: Vec<(&String, Option<gix::ObjectId>)>, dir: &str| {
            files
                .into_iter()
                .filter_map(|(p, id)| {
                    p.strip_prefix(&format!("{dir}/"))
                        .map(|rest| (rest.to_string(), id))
                })
                .collect::<BTreeMap<String, Option<gix::ObjectId>>>()
        };
        let old = inside(
            self.base_files
                .iter()
                .map(|(p, id)| (p, Some(*id)))
                .collect(),
            old_dir,
        );
        let mut new = inside(self.now.iter().map(|(p, id)| (p, *id)).collect(), new_dir);
        // Files of the new folder not in git's index (untracked: the folder was moved without
        // `git mv`) have no id yet; hash them, as git would store them, to compare.
        if new.values().any(Option::is_none)
            && let Ok((mut pipeline, index)) = self.repo.filter_pipeline(None)
        {
            for (p, id) in new.iter_mut().filter(|(_, id)| id.is_none()) {
                let full = join(new_dir, p);
                *id = hash_worktree_file(self.repo, &mut pipeline, &index, self.workdir, &full);
            }
        }
        let mut out = Vec::new();
        let mut old_left: BTreeMap<String, Option<gix::ObjectId>> = BTreeMap::new();
        for (p, id) in old {
            match new.remove(&p) {
                Some(now_id) => {
                    if now_id != id {
                        out.push(FileChange {
                            path: p,
                            from: None,
                            status: Status::Modified,
                        });
                    }
                }
                None => {
                    old_left.insert(p, id);
                }
            }
        }
        let old_name = last_component(old_dir);
        let new_name = last_component(new_dir);
        for (p, id) in new {
            let same_content = id.and_then(|id| {
                old_left
                    .iter()
                    .find(|(_, oid)| **oid == Some(id))
                    .map(|(op, _)| op.clone())
            });
            let by_name = p
                .strip_prefix(new_name)
                .map(|rest| format!("{old_name}{rest}"))
                .filter(|op| old_left.contains_key(op));
            match same_content.or(by_name) {
                Some(from) => {
                    old_left.remove(&from);
                    out.push(FileChange {
                        path: p,
                        from: Some(from),
                        status: Status::Renamed,
                    });
                }
                None => out.push(FileChange {
                    path: p,
                    from: None,
                    status: Status::Added,
                }),
            }
        }
        for (p, _) in old_left {
            out.push(FileChange {
                path: p,
                from: None,
                status: Status::Deleted,
            });
        }
        out.sort_by(|a, b| a.path.cmp(&b.path));
        out
    }

    /// The text of a file at the base.
    fn base_text(&self, path: &str) -> Option<String> {
        let id = self.base_files.get(path)?;
        let blob = self.repo.find_blob(*id).ok()?;
        Some(String::from_utf8_lossy(&blob.data).into_owned())
    }

    /// The text of a file in the working tree.
    fn now_text(&self, path: &str) -> Option<String> {
        let bytes = crate::save::read_regular(
            &self.workdir.join(path),
            crate::case::MAX_INDEX_BYTES,
            "case document",
        )
        .ok()?;
        Some(String::from_utf8_lossy(&bytes).into_owned())
    }
}

/// The lines that say nothing about which case a text is: those found in at least two of the
/// texts it was built from (template headings and guidance, `status: Draft`, `---` …).
///
/// Two case documents from one template share many lines; counted, they would make any new
/// case look like any deleted one. Built from the base's `index.md` texts, it leaves for
/// comparing what is the case's own: its title, places, prose.
#[derive(Debug, Clone, Default)]
pub struct Boilerplate(std::collections::HashSet<String>);

impl Boilerplate {
    /// The lines found in at least two of `texts` (trimmed; blank lines never count).
    pub fn from_texts<'t>(texts: impl IntoIterator<Item = &'t str>) -> Boilerplate {
        let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for t in texts {
            let lines: BTreeSet<&str> = t.lines().map(str::trim).collect();
            for l in lines {
                *seen.entry(l).or_default() += 1;
            }
        }
        Boilerplate(
            seen.into_iter()
                .filter(|(_, n)| *n >= 2)
                .map(|(l, _)| l.to_string())
                .collect(),
        )
    }

    /// How alike two texts are, in percent: the bytes of their own lines (not blank, not
    /// boilerplate; trimmed, so line endings and indents do not count) that both hold, twice,
    /// over the bytes of both texts' own lines. The order of lines does not matter (a moved
    /// paragraph is still the case's), as in git's rename score. Texts with no line of their
    /// own are alike only when the same.
    pub fn similarity(&self, a: &str, b: &str) -> u8 {
        let own = |t: &'_ str| -> BTreeMap<String, usize> {
            let mut m = BTreeMap::new();
            for l in t.lines().map(str::trim) {
                if !l.is_empty() && !self.0.contains(l) {
                    *m.entry(l.to_string()).or_default() += 1;
                }
            }
            m
        };
        let (la, lb) = (own(a), own(b));
        let bytes = |m: &BTreeMap<String, usize>| m.iter().map(|(l, n)| l.len() * n).sum::<usize>();
        let total = bytes(&la) + bytes(&lb);
        if total == 0 {
            let same = a.lines().map(str::trim).eq(b.lines().map(str::trim));
            return if same { 100 } else { 0 };
        }
        let common: usize = la
            .iter()
            .filter_map(|(l, n)| lb.get(l).map(|m| l.len() * n.min(m)))
            .sum();
        ((common * 200) / total).min(100) as u8
    }
}
