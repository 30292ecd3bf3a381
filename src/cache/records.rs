//! A table whose values stay on disk: the parse stage's `parse.bin`. Memory holds only an
//! index (key → where its record is in the file); a hit reads its one record back by offset,
//! checks it against its hash and decodes it; a miss is encoded once, when computed, and
//! streamed into the next table file. Saving moves bytes, never values: the new records are
//! appended to the file, or, when the file is mostly dead records, the live ones are copied
//! raw into a new file that replaces it atomically. So a rebuild holds each article once (the
//! build's own copy), as a build without a cache does.
//!
//! Also here: the frame every table file is made of (see [`scan`] and [`write_frame`]).

use super::{Key, MAGIC, lock, read_exact_at};
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::marker::PhantomData;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicUsize, Ordering};

/// Bytes before a table's first record: the magic number and the salt.
pub(super) const HEADER: u64 = MAGIC.len() as u64 + 32;
/// Bytes before each record: its little-endian `u32` length and its BLAKE3 hash.
const FRAME_HEAD: usize = 4 + 32;

/// A value a [`RecordTable`] stores: its record bytes, and the value back from them.
pub trait Record: Sized {
    /// Appends the value's bytes to `out`; `None` if it cannot be stored (then it is only a
    /// future miss).
    fn encode(&self, out: Vec<u8>) -> Option<Vec<u8>>;
    /// The value `bytes` hold, if they decode (they have passed their hash check).
    fn decode(bytes: &[u8]) -> Option<Self>;
}

/// Where a record is in a table file: its frame's offset and its record's length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Loc {
    offset: u64,
    len: u32,
}

impl Loc {
    fn frame_len(self) -> usize {
        FRAME_HEAD + self.len as usize
    }
}

/// Where a table lives and what salts it.
#[derive(Clone)]
struct Place {
    path: PathBuf,
    salt: [u8; 32],
}

impl Place {
    fn dir(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("."))
    }
}

/// The next table file, written while the build runs: this build's new records, then (when
/// the table is written afresh) the live old ones. Named like every table write in progress
/// (`<table>.tmp<digits>`), so one a killed build leaves is cleared by the next.
struct Spill {
    path: PathBuf,
    file: BufWriter<File>,
    len: u64,
    /// Frames pushed.
    frames: usize,
}

thread_local! {
    /// Each thread's frame buffer, reused from record to record.
    static FRAME: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Told apart from other spills of this process (tests open several caches at once).
static SPILLS: AtomicU32 = AtomicU32::new(0);

impl Spill {
    fn create(place: &Place) -> std::io::Result<Spill> {
        std::fs::create_dir_all(place.dir())?;
        let stem = place
            .path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        loop {
            let n = SPILLS.fetch_add(1, Ordering::Relaxed);
            let path = place
                .path
                .with_file_name(format!("{stem}.tmp{}{n}", std::process::id()));
            match File::options().write(true).create_new(true).open(&path) {
                Ok(f) => {
                    let mut spill = Spill {
                        path,
                        file: BufWriter::with_capacity(1 << 16, f),
                        len: 0,
                        frames: 0,
                    };
                    spill.file.write_all(MAGIC)?;
                    spill.file.write_all(&place.salt)?;
                    spill.len = HEADER;
                    return Ok(spill);
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        }
    }

    /// Appends one frame (as [`write_frame`] makes it); returns where it is.
    fn push(&mut self, frame: &[u8]) -> std::io::Result<Loc> {
        let len = u32::try_from(frame.len() - FRAME_HEAD).map_err(std::io::Error::other)?;
        self.file.write_all(frame)?;
        let loc = Loc {
            offset: self.len,
            len,
        };
        self.len += frame.len() as u64;
        self.frames += 1;
        Ok(loc)
    }
}

impl Drop for Spill {
    /// A spill that did not become the table (a failed build, an append, an error) goes.
    /// One that did was renamed: there is nothing left at its path.
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

enum SpillState {
    /// No miss yet.
    None,
    Open(Spill),
    /// A write failed: nothing computed from then on (or before) is saved.
    Broken,
}

/// The first half of a key, by which the index sorts and finds records. Enough to tell
/// records apart (two keys of a table would share it once in 2^64 pairs), and never trusted
/// alone: a hit's record holds its whole key, which is checked before the value is used, so a
/// shared half could only cost a recompute. Half the index's bytes a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Short([u8; 16]);

impl Short {
    fn of(key: &Key) -> Short {
        let mut half = [0u8; 16];
        half.copy_from_slice(&key.as_bytes()[..16]);
        Short(half)
    }
}

/// The records of a table file by key, and which of them this build used. Sorted, so a
/// record costs its 32 bytes and a flag: a hash map of whole keys with a set of used keys
/// beside it took about three times that, for every article, through the whole build. The
/// flags are set without a lock, by the parse stage's threads at once.
#[derive(Default)]
struct Index {
    entries: Vec<(Short, Loc)>,
    used: Vec<AtomicBool>,
}

impl Index {
    /// The index of `records`, in any order; of a key's records the one furthest into the
    /// file wins (a table is appended to, so that is the latest).
    fn of(mut records: Vec<(Short, Loc)>) -> Index {
        records.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.offset.cmp(&a.1.offset)));
        records.dedup_by_key(|r| r.0);
        records.shrink_to_fit();
        let used = records.iter().map(|_| AtomicBool::new(false)).collect();
        Index {
            entries: records,
            used,
        }
    }

    fn len(&self) -> usize {
        self.entries.len()
    }

    /// Where `key`'s record is, and its place in the index (for [`Index::mark`]).
    fn find(&self, key: &Key) -> Option<(usize, Loc)> {
        let short = Short::of(key);
        let i = self.entries.binary_search_by(|(k, _)| k.cmp(&short)).ok()?;
        Some((i, self.entries[i].1))
    }

    fn mark(&self, i: usize) {
        if let Some(u) = self.used.get(i) {
            u.store(true, Ordering::Relaxed);
        }
    }

    /// The records this build used.
    fn used(&self) -> impl Iterator<Item = (Short, Loc)> + '_ {
        self.entries
            .iter()
            .zip(&self.used)
            .filter(|(_, u)| u.load(Ordering::Relaxed))
            .map(|(e, _)| *e)
    }

    fn used_count(&self) -> usize {
        self.used
            .iter()
            .filter(|u| u.load(Ordering::Relaxed))
            .count()
    }

    /// Every record as unused again: the next build starts here.
    fn forget_use(&mut self) {
        for u in &mut self.used {
            *u.get_mut() = false;
        }
    }
}

/// A table of values on disk with an index in memory. Only the entries a build used are
/// kept for the next build (the others are dead records, dropped when the file is written
/// afresh).
pub struct RecordTable<V> {
    /// `None` for a table that remembers nothing (the cache disabled, or not loaded).
    place: Option<Place>,
    /// The table file the index points into (read with `pread`, so shared by all threads).
    file: Option<File>,
    /// The file's records, and which of them this build used.
    index: Index,
    /// Records this build computed, where they are in the spill.
    used_new: Mutex<Vec<(Short, Loc)>>,
    spill: Mutex<SpillState>,
    hits: AtomicUsize,
    misses: AtomicUsize,
    /// Hits whose record could not be read back or failed its hash (altered since the table
    /// was indexed): recomputed, and reported.
    unreadable: AtomicUsize,
    /// Values computed that could not be written to the spill.
    unsaved: AtomicUsize,
    /// Records in the file, live or dead: what decides between appending and writing afresh.
    on_disk: usize,
    /// Where the file's last whole record ends: an append is made only if the file ends
    /// there too (not after a torn record, which would hide everything appended behind it).
    end: u64,
    values: PhantomData<fn() -> V>,
}

impl<V> RecordTable<V> {
    fn empty(place: Option<Place>) -> Self {
        RecordTable {
            place,
            file: None,
            index: Index::default(),
            used_new: Mutex::new(Vec::new()),
            spill: Mutex::new(SpillState::None),
            hits: AtomicUsize::new(0),
            misses: AtomicUsize::new(0),
            unreadable: AtomicUsize::new(0),
            unsaved: AtomicUsize::new(0),
            on_disk: 0,
            end: 0,
            values: PhantomData,
        }
    }

    /// A table that computes every value and remembers none.
    pub fn disabled() -> Self {
        Self::empty(None)
    }

    /// Indexes the table at `path`: each sound record's key and place, later records of a key
    /// winning, and how many records failed their checksum (left out: recomputed). A missing
    /// file is an empty table; `None` for one made by another binary or format.
    pub fn open(path: PathBuf, salt: [u8; 32]) -> Option<(Self, usize)> {
        let mut index = Vec::new();
        let mut records = 0;
        let scanned = scan(&path, &salt, |offset, record| {
            let Ok((key, _)) = postcard::take_from_bytes::<Key>(record) else {
                // Sound bytes that do not decode are our own format's problem, not damage.
                return false;
            };
            let len = record.len() as u32;
            index.push((Short::of(&key), Loc { offset, len }));
            records += 1;
            true
        });
        let Scanned::Frames { bad, end } = scanned else {
            return None;
        };
        let mut t = Self::empty(Some(Place { path, salt }));
        if let Some(place) = &t.place {
            t.file = File::open(&place.path).ok();
        }
        t.index = Index::of(index);
        t.on_disk = records;
        t.end = end;
        Some((t, bad))
    }

    /// (hits, misses) since the last [`RecordTable::commit`].
    pub fn counts(&self) -> (usize, usize) {
        (
            self.hits.load(Ordering::Relaxed),
            self.misses.load(Ordering::Relaxed),
        )
    }

    /// How many hits could not be read back since the last call (each was recomputed).
    pub(super) fn take_unreadable(&self) -> usize {
        self.unreadable.swap(0, Ordering::Relaxed)
    }

    /// `f` of the frame at `loc` and of its value's bytes (the record after the key), if the
    /// frame reads back whole and matches its hash and its key is one `wanted` accepts:
    /// checked here once, so `f` neither hashes nor decodes the key again. The frame is read
    /// into this thread's buffer: a rebuild reads thousands, and a fresh allocation for each
    /// would be left as holes among the values decoded from them.
    fn with_frame<R>(
        &self,
        wanted: impl FnOnce(&Key) -> bool,
        loc: Loc,
        f: impl FnOnce(&[u8], &[u8]) -> Option<R>,
    ) -> Option<R> {
        let file = self.file.as_ref()?;
        FRAME.with_borrow_mut(|frame| {
            frame.clear();
            frame.resize(loc.frame_len(), 0);
            read_exact_at(file, frame, loc.offset).ok()?;
            let record = check_frame(frame)?;
            let (k, value) = postcard::take_from_bytes::<Key>(record).ok()?;
            if !wanted(&k) {
                return None;
            }
            f(frame, value)
        })
    }

    /// Indexes the file afresh: after a failed save, the table is what its file holds.
    fn reindex(&mut self) {
        let Some(place) = self.place.take() else {
            return;
        };
        *self = match Self::open(place.path.clone(), place.salt) {
            Some((t, _)) => t,
            None => Self::empty(Some(place)),
        };
    }

    /// Saves what this build used and makes it the next build's starting point: the new
    /// records appended, or (when dead records would outnumber live ones, or the file does
    /// not end where the index does) the live records copied into a new file that replaces
    /// the old one. After an error the table is what its file holds. Call after a successful
    /// build; a build that fails drops the table, and its spill with it.
    pub fn commit(&mut self) -> std::io::Result<()> {
        let Some(place) = self.place.clone() else {
            return Ok(());
        };
        self.hits.store(0, Ordering::Relaxed);
        self.misses.store(0, Ordering::Relaxed);
        let spill = std::mem::replace(
            self.spill.get_mut().unwrap_or_else(|e| e.into_inner()),
            SpillState::None,
        );
        let used_new = std::mem::take(self.used_new.get_mut().unwrap_or_else(|e| e.into_inner()));
        let unsaved = self.unsaved.swap(0, Ordering::Relaxed);
        let saved = match spill {
            SpillState::Broken => Err(std::io::Error::other(format!(
                "{unsaved} parse result(s) could not be written"
            ))),
            SpillState::None => self.save(&place, None, used_new),
            SpillState::Open(mut s) => match s.file.flush() {
                Ok(()) => self.save(&place, Some(s), used_new),
                Err(e) => Err(e),
            },
        };
        if saved.is_err() {
            self.reindex();
        }
        saved
    }

    fn save(
        &mut self,
        place: &Place,
        spill: Option<Spill>,
        used_new: Vec<(Short, Loc)>,
    ) -> std::io::Result<()> {
        let used_old = self.index.used_count();
        if used_new.is_empty() && used_old == self.index.len() {
            // Nothing new and nothing dropped: the file is what the next build needs.
            self.index.forget_use();
            return Ok(());
        }
        let live = used_new.len() + used_old;
        let file_len = std::fs::metadata(&place.path).map(|m| m.len()).ok();
        let appendable = self.on_disk > 0
            && self.on_disk + used_new.len() <= 2 * live
            && file_len == Some(self.end);
        if appendable {
            let mut records: Vec<(Short, Loc)> = Vec::with_capacity(live);
            records.extend(self.index.used());
            if let Some(spill) = spill {
                let base = self.end - HEADER;
                self.end += self.append(place, &spill)?;
                self.on_disk += spill.frames;
                records.extend(used_new.iter().map(|(k, l)| {
                    let offset = base + l.offset;
                    (*k, Loc { offset, ..*l })
                }));
            }
            self.index = Index::of(records);
        } else {
            let mut spill = match spill {
                Some(s) => s,
                None => Spill::create(place)?,
            };
            let mut records = used_new;
            self.copy_live(&mut spill, &mut records)?;
            spill.file.flush()?;
            std::fs::rename(&spill.path, &place.path)?;
            self.on_disk = spill.frames;
            self.end = spill.len;
            self.index = Index::of(records);
        }
        // A fresh handle: the file may have been replaced.
        self.file = Some(File::open(&place.path)?);
        Ok(())
    }

    /// Appends the spill's records (everything after its header) to the table's file; returns
    /// how many bytes that was.
    fn append(&self, place: &Place, spill: &Spill) -> std::io::Result<u64> {
        let written = spill.len - HEADER;
        let mut from = File::open(&spill.path)?;
        from.seek(SeekFrom::Start(HEADER))?;
        let mut to = std::fs::OpenOptions::new().append(true).open(&place.path)?;
        let copied = std::io::copy(&mut from.take(written), &mut to)?;
        if copied != written {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        Ok(written)
    }

    /// Copies the raw records this build used from the table's file into `spill`, adding
    /// where they went to `records`. A record that no longer reads back is left out (a future
    /// miss).
    fn copy_live(&self, spill: &mut Spill, records: &mut Vec<(Short, Loc)>) -> std::io::Result<()> {
        // In file order: the old file is read front to back.
        let mut live: Vec<(Short, Loc)> = self.index.used().collect();
        live.sort_by_key(|(_, l)| l.offset);
        for (short, loc) in live {
            let same = |k: &Key| Short::of(k) == short;
            if let Some(pushed) = self.with_frame(same, loc, |frame, _| Some(spill.push(frame))) {
                records.push((short, pushed?));
            }
        }
        Ok(())
    }
}

impl<V: Record> RecordTable<V> {
    /// The stored value for `key`, or `compute()`'s, which is then stored.
    pub fn get_or_insert_with(&self, key: Key, compute: impl FnOnce() -> V) -> V {
        if let Some((i, loc)) = self.index.find(&key) {
            let value = self.with_frame(|k| *k == key, loc, |_, value| V::decode(value));
            match value {
                Some(v) => {
                    self.hits.fetch_add(1, Ordering::Relaxed);
                    self.index.mark(i);
                    return v;
                }
                None => {
                    self.unreadable.fetch_add(1, Ordering::Relaxed);
                }
            }
        }
        self.misses.fetch_add(1, Ordering::Relaxed);
        let value = compute();
        if let Some(place) = &self.place {
            self.store(place, key, &value);
        }
        value
    }

    /// Writes `value`'s record to the spill (created at the first miss).
    fn store(&self, place: &Place, key: Key, value: &V) {
        // Encoded outside the lock: the parse stage's threads only queue to write.
        let mut frame = FRAME.take();
        let encoded = encode_frame(key, value, &mut frame);
        if encoded.is_some() {
            self.push(place, key, &frame);
        } else {
            self.unsaved.fetch_add(1, Ordering::Relaxed);
        }
        FRAME.set(frame);
    }

    fn push(&self, place: &Place, key: Key, frame: &[u8]) {
        let mut spill = lock(&self.spill);
        if matches!(*spill, SpillState::None) {
            *spill = match Spill::create(place) {
                Ok(s) => SpillState::Open(s),
                Err(_) => SpillState::Broken,
            };
        }
        let pushed = match &mut *spill {
            SpillState::Open(s) => s.push(frame).ok(),
            _ => None,
        };
        match pushed {
            Some(loc) => {
                lock(&self.used_new).push((Short::of(&key), loc));
            }
            None => {
                *spill = SpillState::Broken;
                self.unsaved.fetch_add(1, Ordering::Relaxed);
            }
        }
    }
}

/// Makes `out` a whole frame for `key` → `value`: length, hash, then the record (the key's
/// bytes, then the value's, as postcard writes the pair).
fn encode_frame<V: Record>(key: Key, value: &V, out: &mut Vec<u8>) -> Option<()> {
    let mut buf = std::mem::take(out);
    buf.clear();
    buf.resize(FRAME_HEAD, 0);
    buf = postcard::to_extend(&key, buf).ok()?;
    buf = value.encode(buf)?;
    let len = u32::try_from(buf.len() - FRAME_HEAD).ok()?;
    let hash = blake3::hash(&buf[FRAME_HEAD..]);
    buf[..4].copy_from_slice(&len.to_le_bytes());
    buf[4..FRAME_HEAD].copy_from_slice(hash.as_bytes());
    *out = buf;
    Some(())
}

/// The record in `frame`, if the frame is whole and the record matches its hash.
fn check_frame(frame: &[u8]) -> Option<&[u8]> {
    let (head, record) = frame.split_at_checked(FRAME_HEAD)?;
    let len = u32::from_le_bytes([head[0], head[1], head[2], head[3]]) as usize;
    (len == record.len() && blake3::hash(record).as_bytes() == &head[4..]).then_some(record)
}

/// Writes one record as a frame: its length, its BLAKE3 hash, its bytes. A record too long
/// for its length field is left out (a future miss).
pub(super) fn write_frame(w: &mut impl Write, record: &[u8]) -> std::io::Result<()> {
    let Ok(len) = u32::try_from(record.len()) else {
        return Ok(());
    };
    w.write_all(&len.to_le_bytes())?;
    w.write_all(blake3::hash(record).as_bytes())?;
    w.write_all(record)
}

/// What [`scan`] found.
pub(super) enum Scanned {
    /// How many records failed their checksum (or were cut short), and where the last whole
    /// record ends.
    Frames { bad: usize, end: u64 },
    /// Made by another binary or format.
    Foreign,
}

/// Whether the table at `path` was written by another binary or format (a missing file is
/// not: it is an empty table).
pub(super) fn is_foreign(path: &Path, salt: &[u8; 32]) -> bool {
    match File::open(path) {
        Ok(f) => !has_header(&mut BufReader::new(f), salt),
        Err(_) => false,
    }
}

/// Reads a table's header: whether it is this binary's.
fn has_header(r: &mut impl Read, salt: &[u8; 32]) -> bool {
    let mut header = [0u8; HEADER as usize];
    r.read_exact(&mut header).is_ok()
        && header[..MAGIC.len()] == MAGIC[..]
        && header[MAGIC.len()..] == salt[..]
}

/// Reads a table file front to back, one record at a time (never the whole file at once):
/// magic, salt, then frames. Calls `each(offset of the frame, record)` for every record that
/// matches its hash, and stops when it returns `false`. A record that does not match its hash
/// is skipped and counted (postcard decodes almost any bytes, so an altered record would
/// otherwise be believed); a cut-short one ends the table, and what came before it is kept.
/// A missing file is an empty table.
pub(super) fn scan(
    path: &Path,
    salt: &[u8; 32],
    mut each: impl FnMut(u64, &[u8]) -> bool,
) -> Scanned {
    let Ok(file) = File::open(path) else {
        return Scanned::Frames { bad: 0, end: 0 };
    };
    let file_len = file.metadata().map(|m| m.len()).unwrap_or(0);
    let mut r = BufReader::with_capacity(1 << 16, file);
    if !has_header(&mut r, salt) {
        return Scanned::Foreign;
    }
    let mut offset = HEADER;
    let mut bad = 0;
    let mut record = Vec::new();
    while offset + FRAME_HEAD as u64 <= file_len {
        let mut head = [0u8; FRAME_HEAD];
        if r.read_exact(&mut head).is_err() {
            bad += 1;
            break;
        }
        let len = u32::from_le_bytes([head[0], head[1], head[2], head[3]]);
        if offset + (FRAME_HEAD as u64) + u64::from(len) > file_len {
            bad += 1;
            break;
        }
        record.resize(len as usize, 0);
        if r.read_exact(&mut record).is_err() {
            bad += 1;
            break;
        }
        if blake3::hash(&record).as_bytes() != &head[4..] {
            bad += 1;
        } else if !each(offset, &record) {
            break;
        }
        offset += FRAME_HEAD as u64 + u64::from(len);
    }
    Scanned::Frames { bad, end: offset }
}

#[cfg(test)]
mod tests {
    use super::*;

    impl Record for String {
        fn encode(&self, out: Vec<u8>) -> Option<Vec<u8>> {
            postcard::to_extend(self, out).ok()
        }

        fn decode(bytes: &[u8]) -> Option<Self> {
            postcard::from_bytes(bytes).ok()
        }
    }

    const SALT: [u8; 32] = [7; 32];

    fn key(n: usize) -> Key {
        crate::fingerprint::KeyBuilder::new(true)
            .str(&n.to_string())
            .finish()
    }

    fn value(n: usize) -> String {
        format!("value {n} ").repeat(n % 7 + 1)
    }

    fn open(path: &Path) -> (RecordTable<String>, usize) {
        RecordTable::open(path.to_path_buf(), SALT).expect("our own table")
    }

    /// One build: asks for `keys`, computing what is not stored; returns how many were hits.
    fn build(t: &mut RecordTable<String>, keys: impl IntoIterator<Item = usize>) -> usize {
        for n in keys {
            assert_eq!(t.get_or_insert_with(key(n), || value(n)), value(n));
        }
        let hits = t.counts().0;
        t.commit().unwrap();
        hits
    }

    /// Every record in the file, in file order: (key, value).
    /// Every key of `keys` is a hit with its value: none is computed again.
    fn assert_holds(t: &RecordTable<String>, keys: impl IntoIterator<Item = usize>) {
        for n in keys {
            assert_eq!(
                t.get_or_insert_with(key(n), || panic!("{n} recomputed")),
                value(n)
            );
        }
    }

    fn records(path: &Path) -> Vec<(Key, String)> {
        let mut out = Vec::new();
        let scanned = scan(path, &SALT, |_, r| {
            out.push(postcard::from_bytes::<(Key, String)>(r).unwrap());
            true
        });
        assert!(matches!(scanned, Scanned::Frames { bad: 0, .. }));
        out
    }

    fn files(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn the_index_finds_each_key_at_its_latest_record_and_marks_what_was_used() {
        let at = |offset| Loc { offset, len: 1 };
        let short = |n| Short::of(&key(n));
        let index = Index::of(vec![
            (short(2), at(100)),
            (short(1), at(200)),
            (short(2), at(300)),
            (short(3), at(50)),
        ]);
        assert_eq!(index.len(), 3);
        assert_eq!(index.find(&key(2)).map(|(_, l)| l), Some(at(300)));
        assert_eq!(index.find(&key(1)).map(|(_, l)| l), Some(at(200)));
        assert_eq!(index.find(&key(4)), None);
        let (i, _) = index.find(&key(3)).unwrap();
        index.mark(i);
        index.mark(i);
        assert_eq!(index.used_count(), 1);
        assert_eq!(index.used().collect::<Vec<_>>(), [(short(3), at(50))]);
        let mut index = index;
        index.forget_use();
        assert_eq!(index.used_count(), 0);
    }

    #[test]
    fn a_record_found_by_half_its_key_is_used_only_if_the_whole_key_is_its_own() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.bin");
        let (mut t, _) = open(&path);
        build(&mut t, [1, 2]);
        // As if key 1's half were key 2's too: the index leads to key 2's record.
        let (mut t, _) = open(&path);
        let (_, two) = t.index.find(&key(2)).unwrap();
        t.index = Index::of(vec![(Short::of(&key(1)), two)]);
        assert_eq!(t.get_or_insert_with(key(1), || value(1)), value(1));
        assert_eq!(t.counts(), (0, 1));
    }

    #[test]
    fn hits_come_back_equal_to_what_was_stored() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.bin");
        let (mut t, bad) = open(&path);
        assert_eq!(bad, 0);
        assert_eq!(build(&mut t, 0..50), 0);
        // In the same process (the table rotated onto its new file)…
        assert_eq!(build(&mut t, 0..50), 50);
        // …and in the next one; a value that is not asked for is never decoded.
        let (t, bad) = open(&path);
        assert_eq!(bad, 0);
        assert_holds(&t, 0..50);
        assert_eq!(t.counts(), (50, 0));
        assert_eq!(files(dir.path()), ["t.bin"]);
    }

    #[test]
    fn new_records_are_appended_and_compaction_keeps_exactly_the_live_ones() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.bin");
        let (mut t, _) = open(&path);
        build(&mut t, 0..20);
        let first = std::fs::read(&path).unwrap();
        // Two files replaced: their new records appended, the old bytes untouched.
        let (mut t, _) = open(&path);
        assert_eq!(build(&mut t, (2..20).chain([100, 101])), 18);
        let grown = std::fs::read(&path).unwrap();
        assert_eq!(grown[..first.len()], first[..]);
        assert_eq!(records(&path).len(), 22);
        // In this process the records the last build did not use are gone (0 is a miss)…
        // and once dead records outnumber live ones, the file is written afresh with the live
        // records alone, each once, unchanged.
        let live = [0, 5, 6, 100];
        assert_eq!(build(&mut t, live), 3);
        let mut kept = records(&path);
        kept.sort_by_key(|(k, _)| *k.as_bytes());
        let mut want: Vec<(Key, String)> = live.map(|n| (key(n), value(n))).into();
        want.sort_by_key(|(k, _)| *k.as_bytes());
        assert_eq!(kept, want);
        assert_eq!(files(dir.path()), ["t.bin"]);
        let (t, _) = open(&path);
        assert_holds(&t, live);
    }

    #[test]
    fn a_truncated_record_is_counted_recomputed_and_the_table_written_sound() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.bin");
        let (mut t, _) = open(&path);
        build(&mut t, 0..3);
        // A build killed while appending: the last record cut short.
        let len = std::fs::metadata(&path).unwrap().len();
        File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_len(len - 3)
            .unwrap();
        let (mut t, bad) = open(&path);
        assert_eq!(bad, 1);
        assert_eq!(build(&mut t, 0..3), 2);
        // Not appended behind the torn record (which would hide it): written afresh.
        let (t, bad) = open(&path);
        assert_eq!(bad, 0);
        assert_holds(&t, 0..3);
    }

    #[test]
    fn a_record_altered_after_opening_is_recomputed_and_counted() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.bin");
        let (mut t, _) = open(&path);
        build(&mut t, [1, 2]);
        let (t, _) = open(&path);
        // In place, so the open table reads the altered bytes.
        let bytes = std::fs::read(&path).unwrap();
        let at = bytes.windows(7).position(|w| w == b"value 1").unwrap();
        let f = File::options().write(true).open(&path).unwrap();
        std::os::unix::fs::FileExt::write_all_at(&f, b"V", at as u64).unwrap();
        assert_eq!(t.get_or_insert_with(key(1), || "again".into()), "again");
        assert_eq!(t.get_or_insert_with(key(2), || panic!("sound")), value(2));
        assert_eq!(t.counts(), (1, 1));
        assert_eq!(t.take_unreadable(), 1);
        assert_eq!(t.take_unreadable(), 0);
    }

    #[test]
    fn a_build_that_is_not_committed_leaves_the_table_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.bin");
        let (mut t, _) = open(&path);
        build(&mut t, 0..5);
        let before = std::fs::read(&path).unwrap();
        let (t, _) = open(&path);
        t.get_or_insert_with(key(9), || value(9));
        assert_eq!(
            files(dir.path()).len(),
            2,
            "the spill, while the build runs"
        );
        drop(t);
        assert_eq!(files(dir.path()), ["t.bin"]);
        assert_eq!(std::fs::read(&path).unwrap(), before);
    }

    #[test]
    fn a_disabled_table_computes_everything() {
        let mut t = RecordTable::<String>::disabled();
        for _ in 0..2 {
            assert_eq!(t.get_or_insert_with(key(1), || value(1)), value(1));
        }
        assert_eq!(t.counts(), (0, 2));
        t.commit().unwrap();
        assert_eq!(t.get_or_insert_with(key(1), || "again".into()), "again");
    }

    #[test]
    fn frames_check_their_length_and_hash() {
        let mut frame = Vec::new();
        write_frame(&mut frame, b"record").unwrap();
        assert_eq!(check_frame(&frame), Some(&b"record"[..]));
        let mut altered = frame.clone();
        altered[FRAME_HEAD] ^= 1;
        assert_eq!(check_frame(&altered), None);
        assert_eq!(check_frame(&frame[..frame.len() - 1]), None);
        assert_eq!(check_frame(&frame[..3]), None);
    }
}
