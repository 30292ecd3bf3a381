//! The render stage's store: page key → where the page's bytes are in a pack, and their print
//! as the output's manifest records it. Each build appends what it rendered to one new pack;
//! packs that hold mostly dead pages are compacted; bytes are read back lazily, by offset, and
//! checked against their print, so a missing, short or altered pack is a miss, never a wrong
//! page.
//!
//! The table holds two keys for nearly every page of a site (its inputs' and its context's),
//! half a million at 100,000 dumps, beside the whole digest during render. So it is held as
//! compactly as it can be looked up: the last build's entries in one vector sorted by key
//! (binary search; they are saved sorted), each with a flag this build sets when it uses the
//! entry, instead of copying used entries into a second map; new entries in a vector; and a
//! reference of 24 bytes (pack, offset, print). As two hash maps of 128-byte entries the table
//! took about 270 MB at 100,000 dumps.

use super::{Key, MAX_DEAD_RATIO, MAX_PACKS, load_records, lock, read_exact_at, save_table};
use crate::output::manifest::Print;
use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

/// Where a page's rendered bytes are: an offset in a pack, and their print (length and
/// hash), by which they are checked when read back and by which the output's manifest knows
/// them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct BlobRef {
    pack: u64,
    offset: u64,
    print: Print,
}

impl BlobRef {
    fn len(&self) -> u64 {
        self.print.size()
    }
}

/// The pack this build appends to.
struct PackWriter {
    id: u64,
    /// Buffered: pages arrive a few kilobytes at a time, and the pack is read back only by
    /// later builds, after the cache's commit has flushed it.
    file: std::io::BufWriter<File>,
    len: u64,
    /// Bytes already stored by this build, by print: identical pages are stored once.
    stored: HashMap<Print, BlobRef>,
}

/// The last build's entries, sorted by key, with whether this build used each.
#[derive(Default)]
struct Last {
    entries: Vec<(Key, BlobRef)>,
    used: Vec<AtomicBool>,
}

impl Last {
    fn new(mut entries: Vec<(Key, BlobRef)>) -> Last {
        if !entries.is_sorted_by(|a, b| a.0.as_bytes() < b.0.as_bytes()) {
            entries.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
            entries.dedup_by(|later, kept| later.0 == kept.0);
        }
        let used = entries.iter().map(|_| AtomicBool::new(false)).collect();
        Last { entries, used }
    }

    fn find(&self, key: &Key) -> Option<usize> {
        self.entries
            .binary_search_by(|e| e.0.as_bytes().cmp(key.as_bytes()))
            .ok()
    }

    /// The entries this build used.
    fn used(&self) -> impl Iterator<Item = (Key, BlobRef)> + '_ {
        self.entries
            .iter()
            .zip(&self.used)
            .filter(|(_, u)| u.load(Ordering::Relaxed))
            .map(|(e, _)| *e)
    }
}

/// The render stage's store of rendered pages.
pub struct RenderStore {
    /// The last build's entries, read from `file` at the first look-up: not before the render
    /// stage, so they are not held beside the parse and assemble stages' peak.
    last: OnceLock<Last>,
    file: Option<(PathBuf, [u8; 32])>,
    /// Records of `file` that failed their checksum (left out: recomputed).
    pub(super) bad: AtomicUsize,
    /// Entries this build made: pages it rendered.
    fresh: Mutex<Vec<(Key, BlobRef)>>,
    /// (key, other): the bytes kept under `key` are also to be found under `other`.
    aliases: Mutex<Vec<(Key, Key)>>,
    hits: AtomicUsize,
    misses: AtomicUsize,
    /// `…/v1/packs`, or `None` when caching is off.
    dir: Option<PathBuf>,
    readers: Mutex<HashMap<u64, Arc<File>>>,
    writer: Mutex<Option<PackWriter>>,
    pub(super) write_errors: AtomicUsize,
}

impl RenderStore {
    /// A store of packs in `dir` (none when caching is off), its table read from `table`.
    pub(super) fn new(dir: Option<PathBuf>, table: Option<(PathBuf, [u8; 32])>) -> Self {
        RenderStore {
            last: if table.is_some() {
                OnceLock::new()
            } else {
                OnceLock::from(Last::default())
            },
            file: table,
            bad: AtomicUsize::new(0),
            fresh: Mutex::new(Vec::new()),
            aliases: Mutex::new(Vec::new()),
            hits: AtomicUsize::new(0),
            misses: AtomicUsize::new(0),
            dir,
            readers: Mutex::new(HashMap::new()),
            writer: Mutex::new(None),
            write_errors: AtomicUsize::new(0),
        }
    }

    fn last(&self) -> &Last {
        self.last.get_or_init(|| {
            let Some((path, salt)) = &self.file else {
                return Last::default();
            };
            // Foreign only if replaced since the cache was opened (which checked): then
            // nothing in it is used.
            let (entries, bad) = load_records(path, salt);
            self.bad.store(bad, Ordering::Relaxed);
            Last::new(entries)
        })
    }

    /// The last build's entry for `key`, marked as used by this one.
    fn take(&self, key: &Key, keep: impl FnOnce(&BlobRef) -> bool) -> Option<BlobRef> {
        let last = self.last();
        let i = last.find(key)?;
        let r = last.entries[i].1;
        if !keep(&r) {
            return None;
        }
        last.used[i].store(true, Ordering::Relaxed);
        self.hits.fetch_add(1, Ordering::Relaxed);
        Some(r)
    }

    /// The cached bytes for `key`, or `render()`'s, which are then stored. Returns the bytes
    /// and whether they came from the cache.
    pub fn get_or_render<E>(
        &self,
        key: Key,
        render: impl FnOnce() -> Result<Vec<u8>, E>,
    ) -> Result<(Vec<u8>, bool), E> {
        if let Some(bytes) = self.get(key) {
            return Ok((bytes, true));
        }
        self.misses.fetch_add(1, Ordering::Relaxed);
        let bytes = render()?;
        if self.dir.is_some() {
            match self.append(&bytes) {
                Ok(r) => lock(&self.fresh).push((key, r)),
                Err(_) => {
                    self.write_errors.fetch_add(1, Ordering::Relaxed);
                }
            }
        }
        Ok((bytes, false))
    }

    /// For a page whose bytes need not be read at all: what `held` makes of their print when
    /// the cache has them and `held` says the output already holds bytes of that print. Such
    /// a page counts as from the cache, and its bytes are kept for the next build.
    pub fn keep_if<T>(&self, key: Key, held: impl FnOnce(Print) -> Option<T>) -> Option<T> {
        let mut kept = None;
        self.take(&key, |r| {
            kept = held(r.print);
            kept.is_some()
        })?;
        kept
    }

    /// The cached bytes for `key`, when the cache has them and they are intact (a page from
    /// the cache); `None` leaves the page to be made, and counts nothing.
    pub fn get(&self, key: Key) -> Option<Vec<u8>> {
        let mut bytes = None;
        self.take(&key, |r| {
            bytes = self.read(r);
            bytes.is_some()
        })?;
        bytes
    }

    /// Files the bytes this build keeps under `key` also under `other`: a second way to find
    /// the same page next time. Counts nothing; does nothing when `key` kept no bytes.
    pub fn also(&self, key: Key, other: Key) {
        lock(&self.aliases).push((key, other));
    }

    /// (pages from the cache, pages rendered) since the last commit.
    pub fn counts(&self) -> (usize, usize) {
        (
            self.hits.load(Ordering::Relaxed),
            self.misses.load(Ordering::Relaxed),
        )
    }

    fn pack_path(dir: &Path, id: u64) -> PathBuf {
        dir.join(format!("{id:016x}.pack"))
    }

    fn reader(&self, id: u64) -> Option<Arc<File>> {
        let dir = self.dir.as_ref()?;
        let mut readers = lock(&self.readers);
        if let Some(f) = readers.get(&id) {
            return Some(f.clone());
        }
        let f = Arc::new(File::open(Self::pack_path(dir, id)).ok()?);
        readers.insert(id, f.clone());
        Some(f)
    }

    /// The bytes `r` points at, if they are there and unaltered.
    fn read(&self, r: &BlobRef) -> Option<Vec<u8>> {
        let f = self.reader(r.pack)?;
        let mut buf = vec![0; usize::try_from(r.len()).ok()?];
        read_exact_at(&f, &mut buf, r.offset).ok()?;
        (Print::of(&buf) == r.print).then_some(buf)
    }

    fn append(&self, bytes: &[u8]) -> std::io::Result<BlobRef> {
        let print = Print::of(bytes);
        let mut w = lock(&self.writer);
        if w.is_none() {
            let dir = self.dir.as_ref().ok_or(std::io::ErrorKind::NotFound)?;
            std::fs::create_dir_all(dir)?;
            let (id, file) = new_pack(dir)?;
            *w = Some(PackWriter {
                id,
                file: std::io::BufWriter::with_capacity(1 << 20, file),
                len: 0,
                stored: HashMap::new(),
            });
        }
        let Some(w) = w.as_mut() else {
            return Err(std::io::ErrorKind::NotFound.into());
        };
        if let Some(r) = w.stored.get(&print) {
            return Ok(*r);
        }
        w.file.write_all(bytes)?;
        let r = BlobRef {
            pack: w.id,
            offset: w.len,
            print,
        };
        w.len += r.len();
        w.stored.insert(print, r);
        Ok(r)
    }

    /// Closes this build's pack (later reads open it afresh) and returns its id. If its last
    /// bytes cannot be written, nothing may point into it: those pages count as write errors.
    pub(super) fn close_pack(&mut self) -> Option<u64> {
        let w = self
            .writer
            .get_mut()
            .unwrap_or_else(|e| e.into_inner())
            .take()?;
        let PackWriter { id, mut file, .. } = w;
        if file.flush().is_err() {
            let fresh = self.fresh.get_mut().unwrap_or_else(|e| e.into_inner());
            let before = fresh.len();
            fresh.retain(|(_, r)| r.pack != id);
            self.write_errors
                .fetch_add(before - fresh.len(), Ordering::Relaxed);
        }
        Some(id)
    }

    /// What this build used or made, sorted by key, aliases resolved.
    fn live(&mut self) -> Vec<(Key, BlobRef)> {
        let by_key = |a: &(Key, BlobRef), b: &(Key, BlobRef)| a.0.as_bytes().cmp(b.0.as_bytes());
        let fresh = std::mem::take(self.fresh.get_mut().unwrap_or_else(|e| e.into_inner()));
        let mut live: Vec<(Key, BlobRef)> = self.last().used().chain(fresh).collect();
        live.sort_by(by_key);
        live.dedup_by(|later, kept| later.0 == kept.0);
        let aliases = std::mem::take(self.aliases.get_mut().unwrap_or_else(|e| e.into_inner()));
        let found: Vec<(Key, BlobRef)> = aliases
            .into_iter()
            .filter_map(|(key, other)| {
                let i = live
                    .binary_search_by(|e| e.0.as_bytes().cmp(key.as_bytes()))
                    .ok()?;
                Some((other, live[i].1))
            })
            .collect();
        if !found.is_empty() {
            live.extend(found);
            // Stable: an entry this build kept under its own key wins over an alias.
            live.sort_by(by_key);
            live.dedup_by(|later, kept| later.0 == kept.0);
        }
        live
    }

    /// Saves what this build used or made to `path` (when it differs from what the last build
    /// saved), compacting packs first when they are mostly dead, and deletes packs nothing
    /// refers to. Then what was saved is what the next build starts from.
    pub(super) fn save(
        &mut self,
        packs: &Path,
        path: &Path,
        salt: &[u8; 32],
        this_pack: Option<u64>,
    ) -> std::io::Result<()> {
        let mut live = self.live();
        // Packs this process knows about: once unreferenced, they can go at once.
        let known: HashSet<u64> = self
            .last()
            .entries
            .iter()
            .chain(&live)
            .map(|(_, r)| r.pack)
            .chain(this_pack)
            .collect();
        if let Some(compacted) = self.compact(packs, &live) {
            live = compacted;
        }
        let saved = if live == self.last().entries {
            Ok(())
        } else {
            save_table(path, salt, &live)
        };
        let referenced: HashSet<u64> = live.iter().map(|(_, r)| r.pack).collect();
        self.rotate(live);
        saved?;
        delete_unreferenced_packs(packs, &referenced, &known);
        Ok(())
    }

    /// Makes what this build used or made the next build's start, unsaved (when the cache's
    /// folder could not be made).
    pub(super) fn settle(&mut self) {
        let live = self.live();
        self.rotate(live);
    }

    /// Makes `live` the entries the next build starts from.
    fn rotate(&mut self, live: Vec<(Key, BlobRef)>) {
        self.last = OnceLock::from(Last::new(live));
        self.file = None;
        self.hits.store(0, Ordering::Relaxed);
        self.misses.store(0, Ordering::Relaxed);
        lock(&self.readers).clear();
    }

    /// When packs hold mostly pages no build uses any more (or there are too many of them),
    /// copies the live pages into one new pack. Returns the entries pointing into it, in the
    /// same order.
    fn compact(&self, packs: &Path, live: &[(Key, BlobRef)]) -> Option<Vec<(Key, BlobRef)>> {
        let referenced: HashSet<u64> = live.iter().map(|(_, r)| r.pack).collect();
        let mut live_bytes: u64 = 0;
        let mut seen = HashSet::new();
        for (_, r) in live {
            if seen.insert((r.pack, r.offset)) {
                live_bytes += r.len();
            }
        }
        let total: u64 = referenced
            .iter()
            .filter_map(|id| std::fs::metadata(Self::pack_path(packs, *id)).ok())
            .map(|m| m.len())
            .sum();
        let dead = total.saturating_sub(live_bytes);
        if referenced.len() <= MAX_PACKS && dead <= live_bytes * MAX_DEAD_RATIO {
            return None;
        }
        let (id, file) = new_pack(packs).ok()?;
        let mut file = std::io::BufWriter::with_capacity(1 << 20, file);
        let mut out = Vec::with_capacity(live.len());
        let mut moved: HashMap<(u64, u64), BlobRef> = HashMap::new();
        let mut len = 0u64;
        for (k, r) in live {
            if let Some(n) = moved.get(&(r.pack, r.offset)) {
                out.push((*k, *n));
                continue;
            }
            let Some(bytes) = self.read(r) else {
                // Unreadable: leave it out, the page will simply be rendered again.
                continue;
            };
            if file.write_all(&bytes).is_err() {
                drop(file);
                let _ = std::fs::remove_file(Self::pack_path(packs, id));
                return None;
            }
            let n = BlobRef {
                pack: id,
                offset: len,
                ..*r
            };
            len += r.len();
            moved.insert((r.pack, r.offset), n);
            out.push((*k, n));
        }
        if file.flush().is_err() {
            drop(file);
            let _ = std::fs::remove_file(Self::pack_path(packs, id));
            return None;
        }
        Some(out)
    }
}

/// A new pack with a name no other build (or process) uses.
fn new_pack(dir: &Path) -> std::io::Result<(u64, File)> {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0);
    let mut id = nanos ^ (u64::from(std::process::id()) << 40);
    loop {
        match File::options()
            .write(true)
            .create_new(true)
            .open(RenderStore::pack_path(dir, id))
        {
            Ok(f) => return Ok((id, f)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => id = id.wrapping_add(1),
            Err(e) => return Err(e),
        }
    }
}

/// Deletes packs no entry refers to: those this process knows it replaced, and others (left by
/// a build that failed or was killed) once an hour old, since a younger one may belong to a
/// build running right now in another process.
fn delete_unreferenced_packs(packs: &Path, referenced: &HashSet<u64>, known: &HashSet<u64>) {
    let Ok(entries) = std::fs::read_dir(packs) else {
        return;
    };
    let hour_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    for e in entries.filter_map(Result::ok) {
        let name = e.file_name().to_string_lossy().into_owned();
        let id = name
            .strip_suffix(".pack")
            .and_then(|h| u64::from_str_radix(h, 16).ok());
        let Some(id) = id else { continue };
        if referenced.contains(&id) {
            continue;
        }
        let recent = e
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|t| t > hour_ago);
        if known.contains(&id) || !recent {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(n: u8) -> Key {
        crate::fingerprint::KeyBuilder::new(true)
            .part(&[n])
            .finish()
    }

    fn blob(pack: u64, bytes: &[u8]) -> BlobRef {
        BlobRef {
            pack,
            offset: 0,
            print: Print::of(bytes),
        }
    }

    #[test]
    fn an_entry_is_held_in_a_few_dozen_bytes() {
        assert!(std::mem::size_of::<(Key, BlobRef)>() <= 72);
    }

    #[test]
    fn the_last_builds_entries_are_found_by_key_in_any_saved_order() {
        let entries: Vec<(Key, BlobRef)> = (0..50)
            .map(|n| (key(n), blob(u64::from(n), b"x")))
            .collect();
        let mut shuffled = entries.clone();
        shuffled.reverse();
        shuffled.push(entries[3]);
        let last = Last::new(shuffled);
        assert_eq!(last.entries.len(), 50);
        for (k, r) in &entries {
            let i = last.find(k).expect("found");
            assert_eq!(last.entries[i].1, *r);
        }
        assert!(last.find(&key(200)).is_none());
        assert_eq!(last.used().count(), 0);
        last.used[7].store(true, Ordering::Relaxed);
        assert_eq!(last.used().collect::<Vec<_>>(), vec![last.entries[7]]);
    }

    #[test]
    fn an_alias_takes_the_bytes_of_its_key_and_a_kept_key_wins_over_an_alias() {
        let mut s = RenderStore::new(None, None);
        s.fresh
            .get_mut()
            .unwrap()
            .extend([(key(1), blob(1, b"a")), (key(2), blob(2, b"b"))]);
        s.also(key(1), key(3));
        s.also(key(2), key(1));
        s.also(key(9), key(4));
        let live = s.live();
        let get = |k: Key| live.iter().find(|e| e.0 == k).map(|e| e.1);
        assert_eq!(live.len(), 3, "{live:?}");
        assert_eq!(get(key(3)), Some(blob(1, b"a")));
        assert_eq!(get(key(1)), Some(blob(1, b"a")));
        assert_eq!(get(key(4)), None);
        assert!(live.is_sorted_by(|a, b| a.0.as_bytes() < b.0.as_bytes()));
    }
}
