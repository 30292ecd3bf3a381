//! Output: writes rendered files into a staging folder beside `output/` and swaps it in only
//! when everything was written, so `output/` is never half-built. Carries unchanged files over
//! from the previous output (same inode, same modification time), writes only what changed,
//! adds precompressed twins when asked ([`compress`]). Refuses output folders that would
//! destroy something else (the content, `/`, the home folder, a folder we did not make).

pub mod compress;
pub mod manifest;
pub mod patch;

use crate::render::Rendered;
use manifest::{Manifest, Print};
use rayon::prelude::*;
use std::path::{Component, Path, PathBuf};

/// Marks a folder as made by newsdigest, so a later build may replace it.
pub const MARKER: &str = ".newsdigest";

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("refusing to use {path} as the output folder: {reason}")]
    Refused { path: PathBuf, reason: String },
    #[error("{path}: cannot {op}: {source}")]
    Io {
        path: PathBuf,
        op: &'static str,
        source: std::io::Error,
    },
    #[error("refusing to write {path:?}: not a plain relative path inside the output folder")]
    BadPath { path: String },
}

fn io<'a>(path: &'a Path, op: &'static str) -> impl FnOnce(std::io::Error) -> OutputError + 'a {
    move |source| OutputError::Io {
        path: path.to_path_buf(),
        op,
        source,
    }
}

/// How to write.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteOptions {
    /// Write `.gz` and `.br` twins beside text files (see [`compress`]).
    pub compress: bool,
    /// Keep a manifest of the new output (set by [`Writer::begin_with`] for incremental
    /// builds).
    manifest: bool,
}

impl WriteOptions {
    pub fn compressed(compress: bool) -> WriteOptions {
        WriteOptions {
            compress,
            manifest: false,
        }
    }
}

/// What a write did. Counts are of files in the new `output/`, twins and marker included.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WriteStats {
    /// Files in the new output.
    pub files: usize,
    /// Files whose bytes are new or changed: written afresh.
    pub written: usize,
    /// Files whose bytes did not change: carried over from the previous output with their
    /// modification time (a hard link, or a copy with the old time where links fail).
    pub unchanged: usize,
    /// Files of the previous output that the site no longer produces.
    pub removed: usize,
    /// `.gz` and `.br` twins among `files`.
    pub compressed: usize,
    /// Bytes written afresh.
    pub bytes_written: u64,
    /// Paths (relative, `/`-separated, sorted) that were written or removed: what a preview
    /// server needs to reload and a deploy needs to upload.
    pub changed: Vec<String>,
}

/// Checks that `output` may be (re)placed: not `/`, not the home folder, not the content
/// folder or a folder that contains it or lies inside it, and either absent, empty, or
/// carrying our marker.
pub fn check_output_dir(output: &Path, content: &Path) -> Result<(), OutputError> {
    let refuse = |reason: &str| OutputError::Refused {
        path: output.to_path_buf(),
        reason: reason.into(),
    };
    let out_abs = absolute(output);
    let content_abs = absolute(content);
    if out_abs.parent().is_none() {
        return Err(refuse("it is the file-system root"));
    }
    if let Some(home) = std::env::var_os("HOME").map(PathBuf::from)
        && absolute(&home) == out_abs
    {
        return Err(refuse("it is the home folder"));
    }
    if content_abs.starts_with(&out_abs) {
        return Err(refuse("it is or contains the content folder"));
    }
    if out_abs.starts_with(&content_abs) {
        return Err(refuse("it is inside the content folder"));
    }
    if out_abs.is_dir() && !out_abs.join(MARKER).exists() {
        let empty = std::fs::read_dir(&out_abs)
            .map_err(io(&out_abs, "list"))?
            .next()
            .is_none();
        if !empty {
            return Err(refuse(&format!(
                "it is a non-empty folder that newsdigest did not create (no {MARKER} marker); \
                 empty it or choose another --output"
            )));
        }
    } else if out_abs.exists() && !out_abs.is_dir() {
        return Err(refuse("it exists and is not a folder"));
    }
    if out_abs.is_dir() && !writable(&out_abs) {
        // Swapping it out would still work, but it would then sit beside the new output as a
        // folder this user cannot empty, and every later build would fail on it.
        return Err(refuse(&format!(
            "it is read-only for this user, and a build replaces the whole folder; make it \
             writable (`chmod -R u+w {}`) or choose another --output",
            output.display()
        )));
    }
    Ok(())
}

/// Whether this process may create and delete entries in the folder `dir` (checked as the
/// kernel would, so root, ACLs and read-only mounts count).
#[cfg(target_os = "linux")]
fn writable(dir: &Path) -> bool {
    use rustix::fs::{Access, access};
    access(dir, Access::WRITE_OK | Access::EXEC_OK).is_ok()
}

#[cfg(not(target_os = "linux"))]
fn writable(dir: &Path) -> bool {
    std::fs::metadata(dir).is_ok_and(|m| !m.permissions().readonly())
}

/// Deletes a tree newsdigest made (a stale staging folder, a retired output). Should a folder
/// in it have lost its write permission (a user's `chmod` on the output it once was), makes
/// the tree's folders writable and tries again: these folders are ours to delete, and one left
/// behind would fail every later build.
fn remove_tree(dir: &Path) -> std::io::Result<()> {
    match std::fs::remove_dir_all(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
            make_folders_writable(dir);
            std::fs::remove_dir_all(dir)
        }
        r => r,
    }
}

/// Gives the owner write and search permission on every folder under (and including) `dir`,
/// as far as it can; parents before children, so each level can then be listed.
fn make_folders_writable(dir: &Path) {
    #[cfg(unix)]
    use std::os::unix::fs::PermissionsExt;
    let mut it = walkdir::WalkDir::new(dir).follow_links(false).into_iter();
    loop {
        let entry = match it.next() {
            None => break,
            Some(Ok(e)) => e,
            Some(Err(_)) => continue,
        };
        if !entry.file_type().is_dir() {
            continue;
        }
        if let Ok(m) = entry.metadata() {
            let mut p = m.permissions();
            #[cfg(unix)]
            p.set_mode(p.mode() | 0o700);
            #[cfg(not(unix))]
            p.set_readonly(false);
            let _ = std::fs::set_permissions(entry.path(), p);
        }
    }
}

/// Canonical where the path exists; otherwise the canonical parent joined with the name, so
/// that `output` and `./output` compare equal before the folder is made.
fn absolute(p: &Path) -> PathBuf {
    if let Ok(c) = p.canonicalize() {
        return c;
    }
    let abs = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    };
    match (abs.parent(), abs.file_name()) {
        (Some(parent), Some(name)) => absolute(parent).join(name),
        _ => abs,
    }
}

/// A rendered path is written only if it is relative and plain: no `..`, no root, no
/// backslash or NUL, no empty segment.
pub fn validate_rel(path: &str) -> Result<&Path, OutputError> {
    let p = Path::new(path);
    let plain = !path.is_empty()
        && !path.contains(['\\', '\0'])
        && !path
            .split('/')
            .any(|s| s.is_empty() || s == "." || s == "..")
        && p.components().all(|c| matches!(c, Component::Normal(_)));
    if plain {
        Ok(p)
    } else {
        Err(OutputError::BadPath { path: path.into() })
    }
}

/// The staging and old-output folders beside `output`: `.output.newsdigest-staging` and
/// `.output.newsdigest-old`, which holds retired outputs (one folder each) until a later
/// build deletes them in the background. With the output's manifest
/// (`.output.newsdigest-manifest`, see [`manifest`]) nothing else outside `output` is ever
/// written.
pub fn siblings(output: &Path) -> (PathBuf, PathBuf) {
    (sibling(output, "staging"), sibling(output, "old"))
}

/// `.<output name>.newsdigest-<what>` beside `output`.
fn sibling(output: &Path, what: &str) -> PathBuf {
    let out_abs = absolute(output);
    let parent = out_abs.parent().map(Path::to_path_buf).unwrap_or_default();
    let name = out_abs
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    parent.join(format!(".{name}.newsdigest-{what}"))
}

const MARKER_TEXT: &[u8] = b"made by newsdigest; safe to delete with this folder\n";

/// Writes `files` as the new content of `output`, atomically replacing what was there.
/// The same as [`Writer::begin`] followed by [`Writer::write`].
pub fn write_site(
    output: &Path,
    content: &Path,
    files: &[Rendered],
    opts: WriteOptions,
) -> Result<WriteStats, OutputError> {
    Writer::begin(output, content)?.write(files, opts)
}

/// A write of the site into `output`, begun before the pages are rendered so that an unsafe
/// output folder is refused before any work is done, and so that deleting what the previous
/// build left behind runs in the background meanwhile.
///
/// Everything is written into a staging folder beside `output`, which is swapped in only once
/// complete, so `output` is at every instant either the whole previous site or the whole new
/// one, even if the process is killed. Files whose bytes did not change are hard-linked from
/// the previous output, so they keep their inode and modification time (rsync and CDNs see
/// them as unchanged); files the site no longer produces are gone after the swap.
pub struct Writer {
    out: PathBuf,
    staging: PathBuf,
    old: PathBuf,
    /// Whether this build keeps the output's manifest ([`manifest`]) for the next one, and
    /// reads the old one when staging starts: when there is one that can be trusted, the
    /// build then changes the folder in place ([`patch`]) instead of staging a whole new one.
    /// (Read then, not here: a build's first stages need memory for the content, not for a
    /// quarter of a million paths.)
    incremental: bool,
}

impl Writer {
    /// Checks that `output` may be replaced, recovers from a build that died, and starts
    /// deleting the previous build's leftovers in the background.
    pub fn begin(output: &Path, content: &Path) -> Result<Writer, OutputError> {
        Self::begin_with(output, content, false)
    }

    /// As [`Writer::begin`]; when `incremental`, the output's manifest is read (and written
    /// after the build), so that unchanged files are found without reading them back and the
    /// folder is changed in place.
    pub fn begin_with(
        output: &Path,
        content: &Path,
        incremental: bool,
    ) -> Result<Writer, OutputError> {
        check_output_dir(output, content)?;
        let out = absolute(output);
        let (staging, old) = siblings(output);
        if let Some(parent) = staging.parent() {
            std::fs::create_dir_all(parent).map_err(io(parent, "create folder"))?;
        }
        recover(&out, &staging, &old)?;
        start_cleanup(&old);
        Ok(Writer {
            out,
            staging,
            old,
            incremental,
        })
    }

    /// Stages `files` and swaps them in.
    pub fn write(self, files: &[Rendered], opts: WriteOptions) -> Result<WriteStats, OutputError> {
        let mut staged = self.stage(opts)?;
        staged.add(files)?;
        staged.finish()
    }

    /// Starts staging: files are then added a batch at a time ([`Staged::add`]), so a large
    /// site never has to be held in memory whole, and swapped in by [`Staged::finish`].
    pub fn stage(self, opts: WriteOptions) -> Result<Staged, OutputError> {
        let opts = WriteOptions {
            manifest: self.incremental,
            ..opts
        };
        let old = self
            .incremental
            .then(|| manifest::load(&self.out))
            .flatten();
        let mode = match old {
            Some(m) if m.compress == opts.compress => {
                Mode::Patch(patch::Patch::begin(&self.out, &self.staging, m, opts)?)
            }
            _ => {
                std::fs::create_dir_all(&self.staging)
                    .map_err(io(&self.staging, "create staging folder"))?;
                Mode::Swap(Tally::default())
            }
        };
        let mut seen = std::collections::HashSet::new();
        seen.insert(path_id(MARKER));
        Ok(Staged {
            writer: self,
            opts,
            seen,
            mode,
            finished: false,
        })
    }
}

/// A staging folder being filled. Dropped without [`Staged::finish`] (an error part way),
/// it deletes itself and the previous output stays as it was.
pub struct Staged {
    writer: Writer,
    opts: WriteOptions,
    /// Every path staged so far, twins and marker included, by [`path_id`]: none may come
    /// twice.
    seen: std::collections::HashSet<u128>,
    mode: Mode,
    finished: bool,
}

/// How the new output is made: a whole new folder swapped in, or the old one patched.
enum Mode {
    Swap(Tally),
    Patch(patch::Patch),
}

/// A file the output already holds with these very bytes, known from the output's manifest
/// and a print of the bytes ([`Staged::kept`]): staged without the bytes being at hand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kept {
    path: String,
    print: Print,
}

impl Kept {
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The file's length in bytes.
    pub fn size(&self) -> u64 {
        self.print.size()
    }
}

impl Staged {
    /// `path` as kept, when this build patches an output whose manifest says the file at
    /// `path` has bytes of `print`; `None` otherwise (the bytes are then needed).
    pub fn kept(&self, path: &str, print: Print) -> Option<Kept> {
        match &self.mode {
            Mode::Patch(p) if p.holds(path, print) => Some(Kept {
                path: path.to_string(),
                print,
            }),
            _ => None,
        }
    }

    /// Stages files the output already holds ([`Staged::kept`]) as unchanged.
    pub fn add_kept(&mut self, files: &[Kept]) -> Result<(), OutputError> {
        check_paths(
            files.iter().map(|f| (f.path.as_str(), f.size())),
            self.opts,
            &mut self.seen,
        )?;
        match &mut self.mode {
            Mode::Patch(p) => {
                p.keep(files);
                Ok(())
            }
            Mode::Swap(_) if files.is_empty() => Ok(()),
            // A `Kept` is only made by a patch; one from elsewhere has no old file to keep.
            Mode::Swap(_) => Err(OutputError::BadPath {
                path: files.first().map_or_else(String::new, |f| {
                    format!("{} (kept without a manifest)", f.path)
                }),
            }),
        }
    }

    /// Stages a batch of files.
    pub fn add(&mut self, files: &[Rendered]) -> Result<(), OutputError> {
        check_paths(
            files
                .iter()
                .map(|f| (f.path.as_str(), f.bytes.len() as u64)),
            self.opts,
            &mut self.seen,
        )?;
        let w = &self.writer;
        match &mut self.mode {
            Mode::Patch(p) => p.add(files),
            Mode::Swap(tally) => {
                make_dirs(&w.staging, files)?;
                let t = files
                    .par_iter()
                    .map(|f| place(&w.staging, &w.out, f, self.opts))
                    .try_reduce(Tally::default, |a, b| Ok(a.add(b)))?;
                *tally = std::mem::take(tally).add(t);
                Ok(())
            }
        }
    }

    /// Writes the marker and swaps the staged site in.
    pub fn finish(mut self) -> Result<WriteStats, OutputError> {
        // Once a patch is committed its staging folder is the journal: never deleted on error.
        self.finished = true;
        let (tally, removed, changed) =
            match std::mem::replace(&mut self.mode, Mode::Swap(Tally::default())) {
                Mode::Patch(p) => {
                    let (mut tally, removed) = p.finish()?;
                    // The marker stays as it is.
                    tally.unchanged += 1;
                    let mut changed = std::mem::take(&mut tally.changed);
                    changed.sort();
                    (tally, removed, changed)
                }
                Mode::Swap(tally) => {
                    self.finished = false;
                    let r = self.swap_in(tally)?;
                    self.finished = true;
                    r
                }
            };
        Ok(WriteStats {
            files: tally.written + tally.unchanged,
            written: tally.written,
            unchanged: tally.unchanged,
            removed,
            compressed: tally.compressed,
            bytes_written: tally.bytes_written,
            changed,
        })
    }

    /// Writes the marker, swaps the staged folder in and, for an incremental build, records
    /// the new output's manifest.
    fn swap_in(&mut self, tally: Tally) -> Result<(Tally, usize, Vec<String>), OutputError> {
        let marker = Rendered {
            path: MARKER.into(),
            bytes: MARKER_TEXT.to_vec(),
        };
        let w = &self.writer;
        let t = place(&w.staging, &w.out, &marker, self.opts)?;
        let mut tally = tally.add(t);
        let (removed, gone) = removed_files(&w.out, &w.staging);
        let mut changed = std::mem::take(&mut tally.changed);
        changed.extend(gone);
        changed.sort();
        // Never a manifest describing a folder that is being replaced.
        manifest::forget(&w.out).map_err(io(&w.out, "forget the manifest of"))?;
        swap(&w.staging, &w.out, &w.old)?;
        if w.incremental {
            let files = std::mem::take(&mut tally.prints)
                .into_iter()
                .filter(|(rel, _)| rel != MARKER)
                .collect();
            let m = Manifest::new(self.opts.compress, files);
            // Without it the next build compares bytes instead: slower, never wrong.
            let _ = manifest::save(&w.out, &m);
        }
        Ok((tally, removed, changed))
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if !self.finished {
            let _ = remove_tree(&self.writer.staging);
        }
    }
}

/// A path as the set of staged paths holds it: a 128-bit hash (16 bytes, where the path itself
/// took a string's 24 and its bytes on the heap, for every file of the site through the whole
/// write). Two paths share one with a chance of 2^-128 each; the cost would be a build
/// refused as producing a path twice, never a wrong site.
fn path_id(path: &str) -> u128 {
    xxhash_rust::xxh3::xxh3_128(path.as_bytes())
}

/// Every path plain, none twice, none clashing with the marker or a compressed twin.
/// `files` are (path, length in bytes).
fn check_paths<'f>(
    files: impl Iterator<Item = (&'f str, u64)>,
    opts: WriteOptions,
    seen: &mut std::collections::HashSet<u128>,
) -> Result<(), OutputError> {
    for (path, len) in files {
        validate_rel(path)?;
        let mut names = vec![path.to_string()];
        if opts.compress && compress::eligible(path, len as usize) {
            names.extend(
                compress::Encoding::ALL
                    .iter()
                    .map(|e| format!("{path}{}", e.suffix())),
            );
        }
        for n in names {
            if !seen.insert(path_id(&n)) {
                return Err(OutputError::BadPath {
                    path: format!("{n} (produced twice)"),
                });
            }
        }
    }
    Ok(())
}

/// Cleans up after a build that died: an output folder that a build moved aside but did not
/// get to replace (only possible where the swap takes two renames) is moved back, and a stale
/// staging folder is deleted. Retired outputs beyond a few (deleting lags behind a quick
/// series of builds) are deleted now, so they never pile up.
fn recover(out: &Path, staging: &Path, old: &Path) -> Result<(), OutputError> {
    // A whole output as the old folder itself: the layout of builds that swapped with two
    // renames into that name. Restore it if it is the only copy, else it is stale.
    if old.join(MARKER).is_file() {
        if !out.exists() {
            std::fs::rename(old, out).map_err(io(old, "restore previous output from"))?;
        } else {
            remove_tree(old).map_err(io(old, "remove stale folder"))?;
        }
    }
    if !out.exists()
        && let Some(newest) = retired(old)
            .into_iter()
            .rev()
            .find(|r| r.join(MARKER).is_file())
    {
        std::fs::rename(&newest, out).map_err(io(&newest, "restore previous output from"))?;
    }
    // A committed in-place update is completed; anything else staged is stale.
    patch::replay(out, staging)?;
    if staging.symlink_metadata().is_ok() {
        remove_tree(staging).map_err(io(staging, "remove stale folder"))?;
    }
    let all = retired(old);
    let excess = all.len().saturating_sub(MAX_RETIRED);
    for r in all.iter().take(excess) {
        retire_delete(r);
    }
    Ok(())
}

/// Retired outputs waiting to be deleted; beyond this many, a build deletes before working.
const MAX_RETIRED: usize = 2;

/// The retired outputs in `old`, oldest first (their names sort by time). One without its
/// marker is half-deleted: never a candidate for restoring.
fn retired(old: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(old) else {
        return Vec::new();
    };
    let mut all: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.path())
        .collect();
    all.sort();
    all
}

/// Deletes a retired output, marker first, so a half-deleted one is never taken for whole.
fn retire_delete(dir: &Path) {
    let marker = dir.join(MARKER);
    if std::fs::remove_file(&marker).is_err() && marker.symlink_metadata().is_ok() {
        make_folders_writable(dir);
        let _ = std::fs::remove_file(&marker);
    }
    let _ = remove_tree(dir);
}

/// A fresh name for a retired output in `old`, sorting after every earlier one.
fn retired_name(old: &Path) -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    old.join(format!("{nanos:024}-{}", std::process::id()))
}

/// One file's contribution to the stats.
#[derive(Default)]
struct Tally {
    written: usize,
    unchanged: usize,
    compressed: usize,
    bytes_written: u64,
    changed: Vec<String>,
    /// Every file staged, with its print: the new output's manifest.
    prints: Vec<(String, Print)>,
}

impl Tally {
    fn add(mut self, o: Tally) -> Tally {
        self.written += o.written;
        self.unchanged += o.unchanged;
        self.compressed += o.compressed;
        self.bytes_written += o.bytes_written;
        self.changed.extend(o.changed);
        self.prints.extend(o.prints);
        self
    }
}

/// Creates every folder the files go in, a level at a time and each level in parallel: a
/// site has a folder per page, and one `create_dir` per folder (parents first) is all the
/// work there is.
fn make_dirs(staging: &Path, files: &[Rendered]) -> Result<(), OutputError> {
    let mut levels: Vec<std::collections::BTreeSet<&Path>> = Vec::new();
    for f in files {
        let mut p = Path::new(&f.path).parent();
        while let Some(dir) = p.filter(|d| !d.as_os_str().is_empty()) {
            let depth = dir.components().count() - 1;
            if levels.len() <= depth {
                levels.resize_with(depth + 1, Default::default);
            }
            if !levels[depth].insert(dir) {
                break;
            }
            p = dir.parent();
        }
    }
    for level in &levels {
        level.par_iter().try_for_each(|rel| {
            let d = staging.join(rel);
            match std::fs::create_dir(&d) {
                Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => {
                    Err(io(&d, "create folder")(e))
                }
                _ => Ok(()),
            }
        })?;
    }
    Ok(())
}

/// Puts one file (and its compressed twins) into the staging folder: carried over from the
/// previous output when its bytes are the same, written afresh otherwise.
fn place(
    staging: &Path,
    prev: &Path,
    f: &Rendered,
    opts: WriteOptions,
) -> Result<Tally, OutputError> {
    let mut t = Tally::default();
    let same = put(staging, prev, &f.path, &f.bytes, opts, &mut t)?;
    if opts.compress && compress::eligible(&f.path, f.bytes.len()) {
        for enc in compress::Encoding::ALL {
            let twin = format!("{}{}", f.path, enc.suffix());
            // An unchanged file's twins are unchanged too: they were made from the same bytes
            // by the same build. `newsdigest check` verifies that they decompress to it.
            if same && is_plain_file(&prev.join(&twin)) {
                carry(&prev.join(&twin), &staging.join(&twin), None)?;
                if opts.manifest
                    && let Ok(bytes) = std::fs::read(staging.join(&twin))
                {
                    t.prints.push((twin, Print::of(&bytes)));
                }
                t.unchanged += 1;
                t.compressed += 1;
                continue;
            }
            let z = enc
                .compress(&f.bytes)
                .map_err(io(&staging.join(&twin), "compress"))?;
            if z.len() >= f.bytes.len() {
                continue;
            }
            put(staging, prev, &twin, &z, opts, &mut t)?;
            t.compressed += 1;
        }
    }
    Ok(t)
}

/// Stages `bytes` at `rel`; returns whether the previous output had the very same bytes.
fn put(
    staging: &Path,
    prev: &Path,
    rel: &str,
    bytes: &[u8],
    opts: WriteOptions,
    t: &mut Tally,
) -> Result<bool, OutputError> {
    let target = staging.join(rel);
    let before = prev.join(rel);
    // Only a manifest needs them: a build without one would hold a path and a print for
    // every file to the end, for nothing.
    if opts.manifest {
        t.prints.push((rel.to_string(), Print::of(bytes)));
    }
    if same_bytes(&before, bytes) {
        carry(&before, &target, Some(bytes))?;
        t.unchanged += 1;
        Ok(true)
    } else {
        write_new(&target, bytes)?;
        t.written += 1;
        t.bytes_written += bytes.len() as u64;
        t.changed.push(rel.to_string());
        Ok(false)
    }
}

fn is_plain_file(p: &Path) -> bool {
    p.symlink_metadata().is_ok_and(|m| m.is_file())
}

/// Whether `p` is a regular file (not a symlink) holding exactly `bytes`.
fn same_bytes(p: &Path, bytes: &[u8]) -> bool {
    match p.symlink_metadata() {
        Ok(m) if m.is_file() && m.len() == bytes.len() as u64 => {
            std::fs::read(p).is_ok_and(|old| old == bytes)
        }
        _ => false,
    }
}

/// Carries an unchanged file into the staging folder without rewriting it: a hard link keeps
/// its inode and modification time. Where links are not possible, a copy that is given the
/// old modification time.
fn carry(from: &Path, to: &Path, bytes: Option<&[u8]>) -> Result<(), OutputError> {
    if std::fs::hard_link(from, to).is_ok() {
        return Ok(());
    }
    let data = match bytes {
        Some(b) => b.to_vec(),
        None => std::fs::read(from).map_err(io(from, "read"))?,
    };
    write_new(to, &data)?;
    if let Ok(mtime) = from.symlink_metadata().and_then(|m| m.modified()) {
        let f = std::fs::File::options()
            .write(true)
            .open(to)
            .map_err(io(to, "open"))?;
        f.set_modified(mtime)
            .map_err(io(to, "set modification time of"))?;
    }
    Ok(())
}

/// A new file; never opens an existing one, so a hard link carried over from the previous
/// output (which shares its inode) can never be written through.
fn write_new(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    use std::io::Write;
    let mut f = std::fs::File::options()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(io(path, "create"))?;
    f.write_all(bytes).map_err(io(path, "write"))
}

/// Files of the previous output that the staging folder does not have.
fn removed_files(prev: &Path, staging: &Path) -> (usize, Vec<String>) {
    if !prev.is_dir() {
        return (0, Vec::new());
    }
    let gone: Vec<String> = walkdir::WalkDir::new(prev)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| !e.file_type().is_dir())
        .filter_map(|e| e.path().strip_prefix(prev).ok().map(Path::to_path_buf))
        .filter(|rel| staging.join(rel).symlink_metadata().is_err())
        .map(|rel| crate::ingest::slash_path(&rel))
        .collect();
    (gone.len(), gone)
}

/// Puts the staging folder in place of `out`. On Linux one `renameat2(RENAME_EXCHANGE)` swaps
/// the two atomically, so `out` never disappears even for an instant; elsewhere (or on file
/// systems without it) two renames, with [`recover`] covering the moment between them.
///
/// The previous output is retired into `old` rather than deleted here: deleting a tree costs
/// one metadata write per file, which a later build does in the background
/// ([`start_cleanup`]) while it parses and renders.
fn swap(staging: &Path, out: &Path, old: &Path) -> Result<(), OutputError> {
    if out.exists() {
        std::fs::create_dir_all(old).map_err(io(old, "create folder"))?;
        #[cfg(target_os = "linux")]
        {
            use rustix::fs::{CWD, RenameFlags, renameat_with};
            if renameat_with(CWD, staging, CWD, out, RenameFlags::EXCHANGE).is_ok() {
                // `staging` now holds the previous output. Should this rename fail, the next
                // build removes it as a stale staging folder.
                let _ = std::fs::rename(staging, retired_name(old));
                return Ok(());
            }
        }
        let to = retired_name(old);
        std::fs::rename(out, &to).map_err(io(out, "move aside"))?;
    }
    std::fs::rename(staging, out).map_err(io(out, "swap in"))?;
    Ok(())
}

/// Deletes, on a background thread, the retired outputs present when a build starts. The
/// thread is not waited for: a build never blocks on it, and what it has not deleted when
/// the process exits, a later build deletes.
fn start_cleanup(old: &Path) {
    let victims = retired(old);
    if victims.is_empty() {
        return;
    }
    let _ = std::thread::Builder::new()
        .name("newsdigest-cleanup".into())
        .spawn(move || {
            for v in victims {
                retire_delete(&v);
            }
        });
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A rendered file with text `s` (also for `patch`'s tests).
    pub(crate) fn file(path: &str, s: &str) -> Rendered {
        Rendered {
            path: path.into(),
            bytes: s.as_bytes().to_vec(),
        }
    }

    #[test]
    fn rejects_paths_that_leave_the_folder() {
        for bad in [
            "../x",
            "/etc/passwd",
            "a/../../b",
            "a\\..\\b",
            "a\0b",
            "",
            "a//b",
            "./a",
        ] {
            assert!(validate_rel(bad).is_err(), "{bad:?}");
        }
        assert!(validate_rel("2026/02/05/slug/index.html").is_ok());
    }

    #[test]
    fn writes_and_replaces_atomically() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        std::fs::create_dir(&content).unwrap();
        let out = dir.path().join("output");
        write_site(
            &out,
            &content,
            &[file("a/index.html", "one"), file("gone.html", "x")],
            WriteOptions::default(),
        )
        .unwrap();
        assert!(out.join(MARKER).exists());
        write_site(
            &out,
            &content,
            &[file("a/index.html", "two")],
            WriteOptions::default(),
        )
        .unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "two"
        );
        assert!(!out.join("gone.html").exists());
        let mut leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        leftovers.sort();
        // The previous output is retired beside the new one until a later build deletes it.
        assert_eq!(leftovers, [".output.newsdigest-old", "content", "output"]);
        let (_, old) = siblings(&out);
        let first = retired(&old);
        assert_eq!(first.len(), 1);
        assert_eq!(
            std::fs::read_to_string(first[0].join("gone.html")).unwrap(),
            "x"
        );
        write_site(
            &out,
            &content,
            &[file("a/index.html", "three")],
            WriteOptions::default(),
        )
        .unwrap();
        // The next build deletes it in the background: poll, with a generous timeout.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while first[0].exists() && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        assert!(!first[0].exists(), "deleted by the next build");
        let now = retired(&old);
        assert_eq!(now.len(), 1);
        assert_eq!(
            std::fs::read_to_string(now[0].join("a/index.html")).unwrap(),
            "two"
        );
    }

    #[test]
    fn retired_outputs_never_pile_up() {
        let (_d, content, out) = site();
        let (_, old) = siblings(&out);
        for i in 0..6 {
            write_site(
                &out,
                &content,
                &[file("a.html", &i.to_string())],
                WriteOptions::default(),
            )
            .unwrap();
            assert!(retired(&old).len() <= MAX_RETIRED + 1);
        }
    }

    #[test]
    fn refuses_dangerous_output_folders() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        std::fs::create_dir(&content).unwrap();
        assert!(check_output_dir(&content, &content).is_err());
        assert!(check_output_dir(dir.path(), &content).is_err());
        assert!(check_output_dir(&content.join("out"), &content).is_err());
        assert!(check_output_dir(Path::new("/"), &content).is_err());
        let foreign = dir.path().join("docs");
        std::fs::create_dir(&foreign).unwrap();
        std::fs::write(foreign.join("keep.txt"), "mine").unwrap();
        let e = write_site(
            &foreign,
            &content,
            &[file("index.html", "x")],
            WriteOptions::default(),
        )
        .unwrap_err();
        assert!(e.to_string().contains("did not create"));
        assert_eq!(
            std::fs::read_to_string(foreign.join("keep.txt")).unwrap(),
            "mine"
        );
    }

    #[test]
    fn bad_path_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        std::fs::create_dir(&content).unwrap();
        let out = dir.path().join("output");
        assert!(
            write_site(
                &out,
                &content,
                &[file("../evil", "x")],
                WriteOptions::default()
            )
            .is_err()
        );
        assert!(!dir.path().join("evil").exists());
        assert!(!out.exists());
    }

    fn site() -> (tempfile::TempDir, PathBuf, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        std::fs::create_dir(&content).unwrap();
        let out = dir.path().join("output");
        (dir, content, out)
    }

    fn ino_mtime(p: &Path) -> (u64, std::time::SystemTime) {
        use std::os::unix::fs::MetadataExt;
        let m = std::fs::metadata(p).unwrap();
        (m.ino(), m.modified().unwrap())
    }

    #[test]
    fn unchanged_files_keep_inode_and_mtime() {
        let (_d, content, out) = site();
        let opts = WriteOptions::default();
        let first = write_site(
            &out,
            &content,
            &[
                file("same.html", "same"),
                file("x/changes.html", "v1"),
                file("gone.txt", "g"),
            ],
            opts,
        )
        .unwrap();
        assert_eq!((first.written, first.unchanged, first.removed), (4, 0, 0));
        let before = ino_mtime(&out.join("same.html"));
        let changed_before = ino_mtime(&out.join("x/changes.html"));
        let second = write_site(
            &out,
            &content,
            &[
                file("same.html", "same"),
                file("x/changes.html", "v2"),
                file("new.html", "n"),
            ],
            opts,
        )
        .unwrap();
        // marker + same.html carried over; changes.html and new.html written; gone.txt removed.
        assert_eq!(
            (second.written, second.unchanged, second.removed),
            (2, 2, 1)
        );
        assert_eq!(second.files, 4);
        assert_eq!(second.changed, ["gone.txt", "new.html", "x/changes.html"]);
        assert_eq!(ino_mtime(&out.join("same.html")), before);
        assert_ne!(ino_mtime(&out.join("x/changes.html")).0, changed_before.0);
        assert_eq!(
            std::fs::read_to_string(out.join("x/changes.html")).unwrap(),
            "v2"
        );
        assert!(!out.join("gone.txt").exists());
    }

    #[test]
    fn a_kept_file_and_its_twins_stay_as_they_are_and_stay_in_the_manifest() {
        let (_d, content, out) = site();
        let opts = WriteOptions::compressed(true);
        let big = "<p>harbour news</p>\n".repeat(200);
        let stage = || {
            Writer::begin_with(&out, &content, true)
                .unwrap()
                .stage(opts)
                .unwrap()
        };
        // No manifest yet: nothing is known to be held.
        let mut s = stage();
        assert_eq!(s.kept("index.html", Print::of(big.as_bytes())), None);
        s.add(&[file("index.html", &big), file("b.html", "b1")])
            .unwrap();
        s.finish().unwrap();
        let before = ino_mtime(&out.join("index.html.br"));

        let mut s = stage();
        assert_eq!(s.kept("index.html", Print::of(b"other bytes")), None);
        assert_eq!(s.kept("missing.html", Print::of(big.as_bytes())), None);
        let kept = s.kept("index.html", Print::of(big.as_bytes())).unwrap();
        assert_eq!(kept.size(), big.len() as u64);
        s.add_kept(std::slice::from_ref(&kept)).unwrap();
        // The same path again, kept or written, is refused as any duplicate is.
        assert!(s.add_kept(std::slice::from_ref(&kept)).is_err());
        s.add(&[file("b.html", "b2")]).unwrap();
        let stats = s.finish().unwrap();
        // marker, index.html and its two twins unchanged; b.html written.
        assert_eq!((stats.written, stats.unchanged, stats.removed), (1, 4, 0));
        assert_eq!(ino_mtime(&out.join("index.html.br")), before);
        assert_eq!(
            std::fs::read_to_string(out.join("index.html")).unwrap(),
            big
        );

        // The kept files are in the new manifest: a third build may keep them again.
        let s = stage();
        assert!(s.kept("index.html", Print::of(big.as_bytes())).is_some());
        assert!(s.kept("b.html", Print::of(b"b2")).is_some());
    }

    #[test]
    fn compressed_twins_written_then_carried_over() {
        let (_d, content, out) = site();
        let opts = WriteOptions::compressed(true);
        let big = "<p>harbour news</p>\n".repeat(200);
        let files = [
            file("index.html", &big),
            file("small.html", "<p>tiny</p>"),
            file("static/style.css", &"p{color:red}\n".repeat(200)),
            file("index.md", &big),
        ];
        let s1 = write_site(&out, &content, &files, opts).unwrap();
        assert_eq!(s1.compressed, 4);
        for twin in [
            "index.html.gz",
            "index.html.br",
            "static/style.css.gz",
            "static/style.css.br",
        ] {
            assert!(out.join(twin).is_file(), "{twin}");
        }
        for absent in ["small.html.gz", "index.md.gz", "index.md.br"] {
            assert!(!out.join(absent).exists(), "{absent}");
        }
        let gz = std::fs::read(out.join("index.html.gz")).unwrap();
        assert_eq!(
            compress::decompress(compress::Encoding::Gzip, &gz).unwrap(),
            big.as_bytes()
        );
        let before = ino_mtime(&out.join("index.html.br"));
        let s2 = write_site(&out, &content, &files, opts).unwrap();
        assert_eq!(s2.written, 0, "{:?}", s2.changed);
        assert_eq!(s2.unchanged, s1.files);
        assert_eq!(ino_mtime(&out.join("index.html.br")), before);
        // Turning compression off removes the twins.
        let s3 = write_site(&out, &content, &files, WriteOptions::default()).unwrap();
        assert_eq!(s3.removed, 4);
        assert!(!out.join("index.html.gz").exists());
    }

    #[test]
    fn stale_staging_is_removed_and_output_restored_after_a_crash() {
        let (dir, content, out) = site();
        let opts = WriteOptions::default();
        write_site(&out, &content, &[file("a.html", "1")], opts).unwrap();
        let (staging, old) = siblings(&out);
        // A build killed mid-write leaves a staging folder, possibly holding hard links to
        // the live output; removing it must not touch the output.
        std::fs::create_dir_all(staging.join("x")).unwrap();
        std::fs::hard_link(out.join("a.html"), staging.join("a.html")).unwrap();
        std::fs::write(staging.join("x/partial.html"), "half").unwrap();
        // A build killed between the two renames of the portable swap: the output is retired,
        // nothing is in its place.
        std::fs::create_dir_all(&old).unwrap();
        std::fs::rename(&out, retired_name(&old)).unwrap();
        write_site(
            &out,
            &content,
            &[file("a.html", "1"), file("b.html", "2")],
            opts,
        )
        .unwrap();
        assert!(!staging.exists());
        assert_eq!(std::fs::read_to_string(out.join("a.html")).unwrap(), "1");
        assert_eq!(std::fs::read_to_string(out.join("b.html")).unwrap(), "2");
        // The restored previous output was replaced and retired again.
        let r = retired(&old);
        assert!(
            r.iter()
                .any(|d| d.join("a.html").is_file() && !d.join("b.html").exists())
        );
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(names.len(), 3, "{names:?}");
    }

    #[test]
    fn duplicate_or_clashing_paths_are_refused() {
        let (_d, content, out) = site();
        let e = write_site(
            &out,
            &content,
            &[file("a.html", "1"), file("a.html", "2")],
            WriteOptions::default(),
        )
        .unwrap_err();
        assert!(e.to_string().contains("produced twice"), "{e}");
        let big = "x".repeat(5000);
        let e = write_site(
            &out,
            &content,
            &[file("a.html", &big), file("a.html.gz", "z")],
            WriteOptions::compressed(true),
        )
        .unwrap_err();
        assert!(e.to_string().contains("a.html.gz"), "{e}");
        assert!(
            write_site(
                &out,
                &content,
                &[file(MARKER, "x")],
                WriteOptions::default()
            )
            .is_err()
        );
        assert!(!out.exists());
    }

    #[test]
    fn a_whole_output_left_as_the_old_folder_is_restored_or_removed() {
        let (_d, content, out) = site();
        let opts = WriteOptions::default();
        write_site(&out, &content, &[file("a.html", "1")], opts).unwrap();
        let (_, old) = siblings(&out);
        assert!(!old.exists(), "a first build retires nothing");
        // Moved aside as the old folder itself, nothing in its place: restored, then
        // replaced as usual.
        std::fs::rename(&out, &old).unwrap();
        let s = write_site(&out, &content, &[file("a.html", "1")], opts).unwrap();
        assert_eq!(
            s.written, 0,
            "a.html was carried over from the restored output"
        );
        assert!(!old.join(MARKER).exists());
        // Beside a whole output it is stale and removed.
        std::fs::create_dir_all(&old).unwrap();
        std::fs::write(old.join(MARKER), MARKER_TEXT).unwrap();
        std::fs::write(old.join("stale.html"), "x").unwrap();
        write_site(&out, &content, &[file("a.html", "1")], opts).unwrap();
        assert!(!old.join("stale.html").exists());
    }
}
