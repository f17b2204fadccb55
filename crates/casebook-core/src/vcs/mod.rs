//! The atlas's git repository, read-only: which cases changed since a commit (or since a
//! branch's merge base), what a file held at a commit, and the branches to choose from.
//!
//! Casebook never requires git: [`discover`] answers `Ok(None)` for a folder outside any
//! repository, and callers then hide these features. Everything here reads; nothing writes
//! to the repository (no index refresh, no objects), and nothing runs a network operation.
//! Reading uses gitoxide (`gix`), pure Rust; every function opens the repository afresh and
//! returns plain data, so it can run on a worker thread and hand its result back.
//!
//! **What "changed" means.** The files of the working tree as they are now (staged or not,
//! untracked files included, files `.gitignore` ignores left out) are compared with a *base*
//! tree: `HEAD`'s, or with `since = REF` the tree of the merge base of `HEAD` and `REF` (what a
//! branch changed since it left `main`, plus what is not committed yet). Files that git's
//! status finds unchanged are taken at their index id; the others are hashed through the
//! repository's filters (line endings, `.gitattributes`), as git would store them.
//!
//! **Cases.** A changed file belongs to the case whose folder (the deepest folder above it
//! that holds an `index.md`, then or now) contains it; folders Casebook never searches for
//! cases (`templates`, `node_modules`, hidden folders …) hold no case. A case is *added*
//! when its `index.md` is new, *deleted* when it is gone, *modified* otherwise; an added and
//! a deleted case whose `index.md` texts are at least half the same (git's own rename
//! threshold), counting only the lines that are the case's own ([`Boilerplate`]: lines two
//! documents of the base share, like a template's headings, are left out), are one *renamed*
//! case. Changed files outside any case are listed apart.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use gix::bstr::{BString, ByteSlice};

mod renames;

pub use renames::Boilerplate;
use renames::Renames;

// Folders that never hold cases: the ones `workspace::find_cases` skips.
use crate::workspace::NOT_CASES;

/// Two `index.md` texts at least this alike ([`Boilerplate::similarity`], percent) are one
/// case renamed.
pub const RENAME_SIMILARITY: u8 = 50;

/// Why the repository could not be read (nothing was changed).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VcsError {
    /// The folder is in no git repository (or only in a bare one, without files).
    #[error("{0}: not in a git repository (Casebook works without one; only `changes` needs it)")]
    NotARepository(PathBuf),
    /// The folder does not exist.
    #[error("{0}: no such file or folder")]
    NoSuchPath(PathBuf),
    /// The repository is there but could not be read.
    #[error("{path}: the git repository could not be read: {why}")]
    Repository {
        /// The repository's folder.
        path: PathBuf,
        /// What gitoxide said.
        why: String,
    },
    /// The reference names no commit.
    #[error("`{rev}` is not a commit, branch or tag of the repository at {path}")]
    BadRevision {
        /// The reference as given.
        rev: String,
        /// The repository's folder.
        path: PathBuf,
    },
    /// `HEAD` has no commit yet, so there is nothing to find a merge base with.
    #[error("HEAD has no commit yet, so there is no merge base with `{0}`")]
    UnbornHead(String),
    /// `HEAD` and the reference share no history.
    #[error("HEAD and `{0}` have no commit in common, so there is no merge base to compare with")]
    NoMergeBase(String),
}

/// A git repository found around a folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepoInfo {
    /// The working tree's top folder.
    pub workdir: PathBuf,
    /// The branch checked out (`main`), or `None` when `HEAD` is detached.
    pub branch: Option<String>,
    /// The commit `HEAD` points to (hex), or `None` before the first commit.
    pub head: Option<String>,
}

/// How a case or a file changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// New since the base (untracked files count).
    Added,
    /// There at the base, different now.
    Modified,
    /// There at the base, gone now.
    Deleted,
    /// Moved (a case folder, or a file inside a moved case).
    Renamed,
}

impl Status {
    /// The one-letter mark (`A`, `M`, `D`, `R`), as `git status --short` shows it.
    pub fn letter(self) -> char {
        match self {
            Status::Added => 'A',
            Status::Modified => 'M',
            Status::Deleted => 'D',
            Status::Renamed => 'R',
        }
    }

    /// The word (`added` …).
    pub fn word(self) -> &'static str {
        match self {
            Status::Added => "added",
            Status::Modified => "modified",
            Status::Deleted => "deleted",
            Status::Renamed => "renamed",
        }
    }
}

/// A changed file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FileChange {
    /// Its path: inside its case folder for a case's file, else from the repository's top.
    pub path: String,
    /// For a renamed file, its path at the base (same convention).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// How it changed.
    pub status: Status,
}

/// A changed case.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct CaseChange {
    /// The case folder from the repository's top, `/`-separated (for a deleted case, where
    /// it was).
    pub path: String,
    /// For a renamed case, its folder at the base.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// How the case changed.
    pub status: Status,
    /// For a renamed case, how alike the two `index.md` are (percent of lines).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub similarity: Option<u8>,
    /// Its changed files, sorted by path.
    pub files: Vec<FileChange>,
}

/// What the working tree is compared with.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Base {
    /// The reference as given (`HEAD`, `main`, a tag, a commit).
    pub rev: String,
    /// The commit compared with (hex): `HEAD`, or the merge base of `HEAD` and `rev`;
    /// `None` before the first commit (everything is added).
    pub commit: Option<String>,
    /// Whether `commit` is a merge base (a reference was given) rather than `HEAD` itself.
    pub merge_base: bool,
}

/// The changed cases under a folder.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Changes {
    /// The working tree's top folder.
    pub workdir: PathBuf,
    /// The folder looked at, from the top (`""` for all of it).
    pub scope: String,
    /// What the files are compared with.
    pub base: Base,
    /// Changed cases, sorted by path.
    pub cases: Vec<CaseChange>,
    /// Changed files in no case folder (templates, a README …), from the top, sorted.
    pub other: Vec<FileChange>,
}

impl Changes {
    /// The change of the case in `dir` (a case folder), if it changed.
    pub fn case_at(&self, dir: &Path) -> Option<&CaseChange> {
        let dir = canonical(dir);
        let rel = dir.strip_prefix(&self.workdir).ok()?;
        let rel = slash_path(rel);
        self.cases.iter().find(|c| c.path == rel)
    }
}

/// The repository around `folder`, or `Ok(None)` when there is none (or only a bare one).
pub fn discover(folder: &Path) -> Result<Option<RepoInfo>, VcsError> {
    let Some(repo) = open(folder)? else {
        return Ok(None);
    };
    let Some(workdir) = repo.workdir().map(canonical) else {
        return Ok(None);
    };
    let head = repo.head().map_err(|e| repo_error(&workdir, e))?;
    let branch = head
        .referent_name()
        .map(|n| n.shorten().to_str_lossy().into_owned());
    let head = head.id().map(|id| id.to_string());
    Ok(Some(RepoInfo {
        workdir,
        branch,
        head,
    }))
}

/// Local and remote-tracking branches, for choosing what to compare with.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Branches {
    /// The branch checked out, if any.
    pub current: Option<String>,
    /// Local branches (`main`), sorted.
    pub local: Vec<String>,
    /// Remote-tracking branches (`origin/main`), sorted, without `*/HEAD`.
    pub remote: Vec<String>,
}

/// The branches of the repository around `folder`.
pub fn branches(folder: &Path) -> Result<Branches, VcsError> {
    let repo = open(folder)?.ok_or_else(|| VcsError::NotARepository(folder.to_path_buf()))?;
    let at = repo_dir(&repo);
    let err = |e: gix::Error| repo_error(&at, e);
    let refs = repo.references().map_err(err)?;
    let mut out = Branches {
        current: repo
            .head_name()
            .map_err(err)?
            .map(|n| n.shorten().to_str_lossy().into_owned()),
        ..Branches::default()
    };
    for r in refs.local_branches().map_err(err)?.flatten() {
        out.local
            .push(r.name().shorten().to_str_lossy().into_owned());
    }
    for r in refs.remote_branches().map_err(err)?.flatten() {
        let name = r.name().shorten().to_str_lossy().into_owned();
        if !name.ends_with("/HEAD") {
            out.remote.push(name);
        }
    }
    out.local.sort();
    out.remote.sort();
    Ok(out)
}

/// The bytes of `path` (a file in the working tree, absolute or from the repository's top)
/// at `rev` (a commit, branch or tag, e.g. [`Base::commit`]); `Ok(None)` when the file is
/// not in that commit.
pub fn blob_at(folder: &Path, rev: &str, path: &Path) -> Result<Option<Vec<u8>>, VcsError> {
    let repo = open(folder)?.ok_or_else(|| VcsError::NotARepository(folder.to_path_buf()))?;
    let at = repo_dir(&repo);
    let rel = match repo_relative(&repo, path) {
        Some(r) => r,
        None => return Ok(None),
    };
    let commit = resolve_commit(&repo, rev)?;
    let tree = commit.tree().map_err(|e| repo_error(&at, e))?;
    let Some(entry) = tree
        .lookup_entry_by_path(Path::new(&rel))
        .map_err(|e| repo_error(&at, e))?
    else {
        return Ok(None);
    };
    if !entry.mode().is_blob() {
        return Ok(None);
    }
    let blob = repo
        .find_blob(entry.object_id())
        .map_err(|e| repo_error(&at, e))?;
    Ok(Some(blob.data.clone()))
}

/// The cases that changed under `scope` (a folder in a repository's working tree: the
/// checkout, its `cases/`, one case) against `HEAD`, or with `since` against the merge base
/// of `HEAD` and that reference. See the module docs.
pub fn changes(scope: &Path, since: Option<&str>) -> Result<Changes, VcsError> {
    if std::fs::symlink_metadata(scope).is_err() {
        return Err(VcsError::NoSuchPath(scope.to_path_buf()));
    }
    let scope = if scope.is_file() {
        scope.parent().unwrap_or(scope)
    } else {
        scope
    };
    let repo = open(scope)?.ok_or_else(|| VcsError::NotARepository(scope.to_path_buf()))?;
    let Some(workdir) = repo.workdir().map(canonical) else {
        return Err(VcsError::NotARepository(scope.to_path_buf()));
    };
    let prefix = repo_relative(&repo, scope).unwrap_or_default();
    let (base, base_tree) = base_of(&repo, &workdir, since)?;
    let base_files: BTreeMap<String, gix::ObjectId> = match base_tree {
        Some(tree) => tree_files(&repo, tree, &prefix).map_err(|e| repo_error(&workdir, e))?,
        None => BTreeMap::new(),
    };
    let now = working_files(&repo, &workdir, &prefix, &base_files)?;
    let changed = path_statuses(&base_files, &now);
    let (cases, other) = group_by_case(changed, &base_files, &now, &prefix);
    let renames = Renames {
        repo: &repo,
        workdir: &workdir,
        base_files: &base_files,
        now: &now,
    };
    let cases = renames.pair(cases);
    Ok(Changes {
        workdir,
        scope: prefix,
        base,
        cases,
        other,
    })
}

/// The commit compared with (`HEAD`, or the merge base of `HEAD` and `since`) and its tree
/// (`None` before the first commit).
fn base_of(
    repo: &gix::Repository,
    workdir: &Path,
    since: Option<&str>,
) -> Result<(Base, Option<gix::ObjectId>), VcsError> {
    let err = |e: gix::Error| repo_error(workdir, e);
    Ok(match since {
        None => {
            let head = repo.head().map_err(err)?;
            match head.id() {
                Some(id) => {
                    let commit = id.object().and_then(|o| o.peel_to_commit()).map_err(err)?;
                    let tree = commit.tree_id().map_err(err)?.detach();
                    (
                        Base {
                            rev: "HEAD".to_string(),
                            commit: Some(commit.id.to_string()),
                            merge_base: false,
                        },
                        Some(tree),
                    )
                }
                None => (
                    Base {
                        rev: "HEAD".to_string(),
                        commit: None,
                        merge_base: false,
                    },
                    None,
                ),
            }
        }
        Some(rev) => {
            let other = resolve_commit(repo, rev)?;
            let head = repo.head().map_err(err)?;
            let Some(head_id) = head.id() else {
                return Err(VcsError::UnbornHead(rev.to_string()));
            };
            let mb = repo
                .merge_base(head_id.detach(), other.id)
                .map_err(err)?
                .ok_or_else(|| VcsError::NoMergeBase(rev.to_string()))?;
            let commit = mb.object().and_then(|o| o.peel_to_commit()).map_err(err)?;
            let tree = commit.tree_id().map_err(err)?.detach();
            (
                Base {
                    rev: rev.to_string(),
                    commit: Some(commit.id.to_string()),
                    merge_base: true,
                },
                Some(tree),
            )
        }
    })
}

/// The files under `prefix` in the working tree now, with their blob ids: index ids for what
/// git's status finds unchanged, hashes of the files it finds changed or untracked (`None`
/// for those the base does not have: they are added whatever they hold).
fn working_files(
    repo: &gix::Repository,
    workdir: &Path,
    prefix: &str,
    base_files: &BTreeMap<String, gix::ObjectId>,
) -> Result<BTreeMap<String, Option<gix::ObjectId>>, VcsError> {
    let err = |e: gix::Error| repo_error(workdir, e);
    let index = repo.index_or_empty().map_err(err)?;
    let in_scope =
        |p: &str| prefix.is_empty() || p == prefix || p.starts_with(&format!("{prefix}/"));
    let mut now: BTreeMap<String, Option<gix::ObjectId>> = BTreeMap::new();
    for e in index.entries() {
        let path = e.path(&index).to_str_lossy().into_owned();
        if !in_scope(&path) || e.mode.contains(gix::index::entry::Mode::COMMIT) {
            continue;
        }
        let known =
            e.stage_raw() == 0 && !e.flags.contains(gix::index::entry::Flags::INTENT_TO_ADD);
        // A conflicted path has several entries: its content now is to be hashed.
        let slot = now.entry(path).or_insert(Some(e.id));
        if !known {
            *slot = None;
        }
    }
    let mut removed: BTreeSet<String> = BTreeSet::new();
    let mut untracked: Vec<String> = Vec::new();
    let patterns: Vec<BString> = if prefix.is_empty() {
        Vec::new()
    } else {
        vec![BString::from(format!(":(top,literal){prefix}"))]
    };
    let status = repo
        .status(gix::progress::Discard)
        .map_err(err)?
        .untracked_files(gix::status::UntrackedFiles::Files)
        .index_worktree_submodules(None)
        .index_worktree_rewrites(None)
        .dirwalk_options(|o| o.empty_patterns_match_prefix(false))
        .into_index_worktree_iter(patterns)
        .map_err(err)?;
    use gix::status::index_worktree::Item;
    use gix::status::plumbing::index_as_worktree::{Change, EntryStatus};
    for item in status {
        let item = item.map_err(err)?;
        match item {
            Item::Modification {
                rela_path, status, ..
            } => {
                let path = rela_path.to_str_lossy().into_owned();
                match status {
                    EntryStatus::Change(Change::Removed) => {
                        removed.insert(path);
                    }
                    EntryStatus::Change(_) | EntryStatus::Conflict { .. } => {
                        now.insert(path, None);
                    }
                    EntryStatus::NeedsUpdate(_) | EntryStatus::IntentToAdd => {}
                }
            }
            Item::DirectoryContents { entry, .. } => {
                let file = matches!(
                    entry.disk_kind,
                    Some(gix::dir::entry::Kind::File | gix::dir::entry::Kind::Symlink)
                );
                if file && entry.status == gix::dir::entry::Status::Untracked {
                    untracked.push(entry.rela_path.to_str_lossy().into_owned());
                }
            }
            Item::Rewrite { .. } => {}
        }
    }
    for p in &removed {
        now.remove(p);
    }
    for p in untracked {
        if in_scope(&p) {
            now.insert(p, None);
        }
    }
    // Hash what changed, where the base has the file (else it is added whatever it holds).
    let to_hash: Vec<String> = now
        .iter()
        .filter(|(p, id)| id.is_none() && base_files.contains_key(*p))
        .map(|(p, _)| p.clone())
        .collect();
    if !to_hash.is_empty() {
        let (mut pipeline, index) = repo.filter_pipeline(None).map_err(err)?;
        for p in to_hash {
            let id = hash_worktree_file(repo, &mut pipeline, &index, workdir, &p);
            now.insert(p, id);
        }
    }
    Ok(now)
}

/// Every path's status: deleted, modified or added between the base and now.
fn path_statuses(
    base_files: &BTreeMap<String, gix::ObjectId>,
    now: &BTreeMap<String, Option<gix::ObjectId>>,
) -> BTreeMap<String, Status> {
    let mut changed: BTreeMap<String, Status> = BTreeMap::new();
    for (p, id) in base_files {
        match now.get(p) {
            None => {
                changed.insert(p.clone(), Status::Deleted);
            }
            Some(Some(now_id)) if now_id == id => {}
            Some(_) => {
                changed.insert(p.clone(), Status::Modified);
            }
        }
    }
    for p in now.keys() {
        if !base_files.contains_key(p) {
            changed.insert(p.clone(), Status::Added);
        }
    }
    changed
}

/// The changed paths grouped by the case folder that holds them (a folder with an
/// `index.md` in the base or now), and the changed files outside any case.
fn group_by_case(
    changed: BTreeMap<String, Status>,
    base_files: &BTreeMap<String, gix::ObjectId>,
    now: &BTreeMap<String, Option<gix::ObjectId>>,
    prefix: &str,
) -> (Vec<CaseChange>, Vec<FileChange>) {
    let case_dirs: BTreeSet<String> = base_files
        .keys()
        .chain(now.keys())
        .filter_map(|p| case_dir_of_index(p, prefix))
        .collect();
    let mut by_case: BTreeMap<String, Vec<(String, Status)>> = BTreeMap::new();
    let mut other = Vec::new();
    for (p, status) in changed {
        match owning_case(&p, &case_dirs) {
            Some(dir) => {
                let inner = if dir.is_empty() {
                    p.clone()
                } else {
                    p[dir.len() + 1..].to_string()
                };
                by_case.entry(dir).or_default().push((inner, status));
            }
            None => other.push(FileChange {
                path: p,
                from: None,
                status,
            }),
        }
    }
    let mut cases: Vec<CaseChange> = Vec::new();
    for (dir, files) in by_case {
        let index_md = join(&dir, "index.md");
        let status = match (
            base_files.contains_key(&index_md),
            now.contains_key(&index_md),
        ) {
            (false, true) => Status::Added,
            (true, false) => Status::Deleted,
            _ => Status::Modified,
        };
        cases.push(CaseChange {
            path: dir,
            from: None,
            status,
            similarity: None,
            files: files
                .into_iter()
                .map(|(path, status)| FileChange {
                    path,
                    from: None,
                    status,
                })
                .collect(),
        });
    }
    (cases, other)
}

/// Opens the repository around `folder`: `Ok(None)` when there is none.
fn open(folder: &Path) -> Result<Option<gix::Repository>, VcsError> {
    match gix::discover(folder) {
        Ok(repo) if repo.workdir().is_some() => Ok(Some(repo)),
        Ok(_) => Ok(None),
        Err(e) => {
            // Only a `.git` above the folder makes a failure a repository that could not be
            // read; without one there is simply no repository.
            let abs = canonical(folder);
            match abs.ancestors().find(|d| d.join(".git").exists()) {
                Some(top) => Err(repo_error(top, e)),
                None => Ok(None),
            }
        }
    }
}

/// The repository's top folder (or its git folder when bare), for messages.
fn repo_dir(repo: &gix::Repository) -> PathBuf {
    canonical(repo.workdir().unwrap_or_else(|| repo.git_dir()))
}

/// `p` made absolute with links resolved (as given when that fails).
fn canonical(p: &Path) -> PathBuf {
    p.canonicalize().unwrap_or_else(|_| p.to_path_buf())
}

fn repo_error(path: &Path, e: gix::Error) -> VcsError {
    VcsError::Repository {
        path: path.to_path_buf(),
        why: e.to_string().lines().next().unwrap_or_default().to_string(),
    }
}

/// The commit `rev` names (a commit, branch, tag, `HEAD~2` …).
fn resolve_commit<'r>(repo: &'r gix::Repository, rev: &str) -> Result<gix::Commit<'r>, VcsError> {
    let bad = || VcsError::BadRevision {
        rev: rev.to_string(),
        path: repo_dir(repo),
    };
    let id = repo.rev_parse_single(rev).map_err(|_| bad())?;
    id.object()
        .and_then(|o| o.peel_to_commit())
        .map_err(|_| bad())
}

/// `path` from the working tree's top, `/`-separated (`""` for the top itself); `None` when
/// it is outside.
fn repo_relative(repo: &gix::Repository, path: &Path) -> Option<String> {
    let top = canonical(repo.workdir()?);
    // A relative path that names nothing from the current folder is from the top.
    let abs = if path.is_absolute() || path.exists() {
        path.to_path_buf()
    } else {
        top.join(path)
    };
    // A file that is gone still has a folder to resolve.
    let abs = match abs.canonicalize() {
        Ok(p) => p,
        Err(_) => match (
            abs.parent().and_then(|p| p.canonicalize().ok()),
            abs.file_name(),
        ) {
            (Some(dir), Some(name)) => dir.join(name),
            _ => abs,
        },
    };
    abs.strip_prefix(&top).ok().map(slash_path)
}

/// A relative path written with `/`.
fn slash_path(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// The files (blobs and links) of `tree` under `prefix`, by path from the top.
fn tree_files(
    repo: &gix::Repository,
    tree: gix::ObjectId,
    prefix: &str,
) -> Result<BTreeMap<String, gix::ObjectId>, gix::Error> {
    let root = repo.find_tree(tree)?;
    let sub = if prefix.is_empty() {
        root
    } else {
        match root.lookup_entry_by_path(Path::new(prefix))? {
            Some(e) if e.mode().is_tree() => repo.find_tree(e.object_id())?,
            // The base has a file where the scope is, or nothing.
            _ => return Ok(BTreeMap::new()),
        }
    };
    let mut out = BTreeMap::new();
    for e in sub.traverse().breadthfirst.files()? {
        if e.mode.is_blob() || e.mode.is_link() {
            out.insert(join(prefix, &e.filepath.to_str_lossy()), e.oid);
        }
    }
    Ok(out)
}

/// The id git would store for the working-tree file `path` (through the repository's
/// filters); `None` when it cannot be read (it then counts as changed).
fn hash_worktree_file(
    repo: &gix::Repository,
    pipeline: &mut gix::filter::Pipeline<'_>,
    index: &gix::index::State,
    workdir: &Path,
    path: &str,
) -> Option<gix::ObjectId> {
    use std::io::Read;
    let full = workdir.join(path);
    let meta = std::fs::symlink_metadata(&full).ok()?;
    let bytes = if meta.file_type().is_symlink() {
        let target = std::fs::read_link(&full).ok()?;
        target.to_string_lossy().into_owned().into_bytes()
    } else if meta.is_file() {
        let file = std::fs::File::open(&full).ok()?;
        let out = pipeline.convert_to_git(file, Path::new(path), index).ok()?;
        let mut buf = Vec::new();
        use gix::filter::plumbing::pipeline::convert::ToGitOutcome;
        match out {
            ToGitOutcome::Unchanged(mut r) => r.read_to_end(&mut buf).ok()?,
            ToGitOutcome::Buffer(b) => {
                buf.extend_from_slice(b);
                b.len()
            }
            ToGitOutcome::Process(mut r) => r.read_to_end(&mut buf).ok()?,
        };
        buf
    } else {
        return None;
    };
    gix::objs::compute_hash(repo.object_hash(), gix::objs::Kind::Blob, &bytes).ok()
}

/// `dir/name` (or `name` when `dir` is empty).
fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

/// The last `/` component of a path.
fn last_component(p: &str) -> &str {
    p.rsplit('/').next().unwrap_or(p)
}

/// The case folder of an `index.md` path, when it is one Casebook would find from `prefix`.
fn case_dir_of_index(path: &str, prefix: &str) -> Option<String> {
    let dir = if path == "index.md" {
        ""
    } else {
        path.strip_suffix("/index.md")?
    };
    let below = if prefix.is_empty() {
        dir
    } else if dir == prefix {
        ""
    } else {
        dir.strip_prefix(&format!("{prefix}/"))?
    };
    let hidden = below
        .split('/')
        .filter(|c| !c.is_empty())
        .any(|c| NOT_CASES.contains(&c) || c.starts_with('.'));
    (!hidden).then(|| dir.to_string())
}

/// The deepest case folder holding `path`.
fn owning_case(path: &str, case_dirs: &BTreeSet<String>) -> Option<String> {
    let mut dir = path;
    while let Some(i) = dir.rfind('/') {
        dir = &dir[..i];
        if case_dirs.contains(dir) {
            return Some(dir.to_string());
        }
    }
    case_dirs.contains("").then(String::new)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn similarity_counts_the_bytes_of_own_lines_in_common() {
        let none = Boilerplate::default();
        assert_eq!(none.similarity("a\nb\nc\nd\n", "a\nb\nc\nd\n"), 100);
        assert_eq!(none.similarity("a\nb\nc\nd\n", "a\nb\nx\ny\n"), 50);
        assert_eq!(none.similarity("a\r\nb\r\n", "  b\na\n"), 100);
        assert_eq!(none.similarity("a\n", "b\n"), 0);
        // Long lines weigh more than short ones.
        let long = "A paragraph of prose that is the case's own.";
        assert!(none.similarity(&format!("x\n{long}\n"), &format!("y\n{long}\n")) > 90);
        assert!(none.similarity(&format!("{long}\n"), &format!("{long}.\nsame\n")) < 10);
    }

    #[test]
    fn boilerplate_lines_do_not_make_cases_alike() {
        let template = "---\nstatus: Draft\n---\n## Overview\n<!-- Say what the case is, in a few sentences of your own. -->\n";
        let a = format!("{template}title: Harbour heat\n");
        let b = format!("{template}title: Ring buses\n");
        let c = format!("{template}title: School gardens\n");
        assert!(Boilerplate::default().similarity(&a, &c) > 50);
        let base = Boilerplate::from_texts([a.as_str(), b.as_str()]);
        assert_eq!(base.similarity(&a, &c), 0);
        assert_eq!(base.similarity(&a, &a), 100);
        // Nothing of their own: alike only when the same.
        assert_eq!(base.similarity(template, template), 100);
        assert_eq!(base.similarity(template, "---\n---\n"), 0);
    }

    #[test]
    fn case_folders_are_found_as_the_workspace_finds_them() {
        let dirs: BTreeSet<String> = [
            "cases/a/index.md",
            "cases/templates/x/index.md",
            "templates/case-study/index.md",
            "cases/.hidden/index.md",
            "retired/b/index.md",
            "README.md",
        ]
        .iter()
        .filter_map(|p| case_dir_of_index(p, ""))
        .collect();
        let want: BTreeSet<String> = ["cases/a".to_string(), "retired/b".to_string()].into();
        assert_eq!(dirs, want);
        assert_eq!(
            case_dir_of_index("cases/a/index.md", "cases/a"),
            Some("cases/a".to_string())
        );
        assert_eq!(
            owning_case("cases/a/map.geojson", &want),
            Some("cases/a".into())
        );
        assert_eq!(
            owning_case("cases/a/img/x.jpg", &want),
            Some("cases/a".into())
        );
        assert_eq!(owning_case("cases/README.md", &want), None);
    }

    #[test]
    fn no_repository_is_no_error() {
        // The system's temp folder is in no repository.
        let Ok(t) = tempfile::tempdir() else {
            return;
        };
        assert_eq!(discover(t.path()), Ok(None));
        assert!(matches!(
            changes(t.path(), None),
            Err(VcsError::NotARepository(_))
        ));
    }
}
