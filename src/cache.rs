//! The build cache under `.newsdigest-cache/` at the site root: what makes a rebuild do work
//! only where its inputs changed. Safe to delete at any time (the next build is a full one),
//! git-ignored, and versioned: a cache written by another version or another binary of
//! newsdigest is discarded, never trusted.
//!
//! Each stage owns its own table and its own keys, so the cache never makes a stage look at
//! another stage's inputs or outputs:
//!
//! - **parse** (ingest): key = a hash of everything `ingest::parse` reads (the file's bytes, its
//!   path, the time zone, the limits, …) → the parse result, diagnostics included.
//! - **sketches**, **terms** and **runs** (digest): key = the paragraphs of an article's text
//!   as the digest reads them (after its structure phases) → that text's sketch (by which its
//!   copies are found), its terms, and its runs of capitalised words
//!   ([`crate::digest::reading`]), which depend on nothing else. The digest
//!   asks a memo that `build` backs with these tables, so it never sees the cache.
//! - **render** (render): key = a hash of the template and every template it extends or
//!   includes, plus the page's complete template context (which holds the `site.yaml` values
//!   the page shows) → the rendered bytes.
//!
//! - **last build**: the fingerprint of the last successful build's inputs
//!   ([`crate::inputs`]) → what it recorded (its account, the identity of the output it left),
//!   valid only beside the very tables it was saved with. With it `build` can tell that nothing
//!   changed before reading anything else: [`Cache::open_last_build`] reads only this record,
//!   [`Cache::load_tables`] the rest when there is work to do.
//!
//! Writing only changed files into `output/` needs no cache: the output stage keeps its own
//! manifest beside the folder ([`crate::output::manifest`]).
//!
//! Keys are BLAKE3 hashes salted with the cache format version, the crate version and a hash
//! of the running executable's bytes, so a rebuilt binary never reads pages rendered by an
//! older one.
//!
//! Layout of `.newsdigest-cache/v1/`: `exe-salt.bin` (the salt, by the executable's stamp,
//! so the executable is hashed once, not every build), `parse.bin`, `sketches.bin`,
//! `terms.bin`, `runs.bin`, `render.bin` and
//! `last-build.bin` (the tables: a magic number, the salt, then frames, each a little-endian
//! `u32` length, the BLAKE3 hash of the record and the record, postcard bytes of (key, value):
//! a record that does not match its hash is a warning and a recompute, never a value used),
//! and `packs/*.pack`, append-only files of rendered bytes.
//!
//! `parse.bin` (and the digest's three tables, alike) is never held in memory
//! ([`RecordTable`], in `records`): opening it indexes it (key → the frame's offset and
//! length), reading it one record at a time; a hit reads its frame back by offset, checks its
//! hash and key again and decodes it; a miss is encoded once, when parsed, into
//! `parse.tmp<digits>` (the next table file, under way). Saving appends this build's new
//! records to `parse.bin` (later records of a key win when read), or, once dead
//! records would outnumber live ones (or the file ends in a torn record), copies the live
//! records' raw frames after the new ones and renames that file over `parse.bin`. So a
//! rebuild holds each article once, and saving moves bytes, never values. The index is a
//! sorted vector of (key, place) with one flag a record for "used by this build"
//! (`Index`, in `records`), by the first half of each key (the record's own whole key is
//! checked on a hit), about 33 bytes a record. The parse table is saved, and let go of, as
//! soon as every file is parsed ([`Cache::save_parse`]), the digest's three as soon as the
//! digest is made ([`Cache::save_readings`]), so no index is held longer than its stage.
//!
//! `render.bin` (page key → where its bytes are in a pack, and their print as the output's
//! manifest records it) is read at the render stage's first page and held as a sorted vector
//! ([`RenderStore`], in `render`). A page the output already holds with that print is kept
//! without its bytes being read ([`RenderStore::keep_if`]). Each build appends what it
//! rendered to one new pack, so an incremental build writes a few kilobytes instead of one
//! file per page; packs that hold mostly dead pages are compacted. Rendered bytes are read back
//! lazily, by offset, and checked against their print: a missing, short or altered pack is a
//! miss, never a wrong page. Every other table is written whole, to a temporary file renamed
//! over the old one.

use crate::digest::dedupe::Sketch;
use crate::digest::terms::Analysis;
use crate::digest::topics::Runs;
use crate::fingerprint::FileStamp;
use crate::ingest::{Article, Parsed, Rejection};
use crate::model::Day;
use crate::report::{Diagnostic, Reason, Severity};
use serde::{Deserialize, Serialize, de::DeserializeOwned};
use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::{Mutex, MutexGuard};

mod records;
mod render;
pub use records::{Record, RecordTable};
pub use render::{BlobRef, RenderStore};

/// The cache folder's name, at the site root.
pub const DIR_NAME: &str = ".newsdigest-cache";
/// Bump when the layout or the meaning of a key changes.
const FORMAT: &str = "v1";
/// First bytes of every table file.
const MAGIC: &[u8; 8] = b"NDCACHE2";
/// Compact packs when there are more than this many…
const MAX_PACKS: usize = 8;
/// …or when dead bytes outweigh live ones by this factor.
const MAX_DEAD_RATIO: u64 = 1;

pub use crate::fingerprint::{Key, KeyBuilder};

/// What salts every key: format, crate version and the content of the running executable, so
/// a cache is only ever read by the very binary that wrote it (or a byte-identical copy, such
/// as the same release installed again on a CI runner). With the salt, the stamp of the file
/// it was hashed from (taken from the same open file), for [`SALT_MEMO`].
fn salt() -> ([u8; 32], Option<FileStamp>) {
    let mut h = version_salt_hasher();
    let exe = std::env::current_exe().and_then(std::fs::File::open);
    let hashed = exe.and_then(|f| {
        let stamp = FileStamp::of(&f.metadata()?);
        h.update_reader(f)?;
        Ok(stamp)
    });
    match hashed {
        Ok(stamp) => (*h.finalize().as_bytes(), Some(stamp)),
        // Unreadable executable: a salt no other run can share, so nothing is ever reused.
        Err(_) => {
            h.update(&std::process::id().to_le_bytes());
            if let Ok(d) = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
                h.update(&d.as_nanos().to_le_bytes());
            }
            (*h.finalize().as_bytes(), None)
        }
    }
}

/// The salt hashed from the executable, by the executable's stamp: hashing 55 MB of
/// executable was a third of a build with nothing to do. The stamp is the one the inputs'
/// fingerprint trusts for every other file (size, modification time, device, inode): a
/// rebuilt or reinstalled binary is a new file, or one written at a new time.
const SALT_MEMO: &str = "exe-salt.bin";

/// The memo's bytes: the stamp, the salt, and a BLAKE3 checksum of both.
fn salt_memo(stamp: FileStamp, salt: &[u8; 32]) -> Vec<u8> {
    let mut out = stamp.to_bytes().to_vec();
    out.extend_from_slice(salt);
    let check = blake3::hash(&out);
    out.extend_from_slice(check.as_bytes());
    out
}

/// The salt the memo at `path` holds, when it is intact and names the executable's current
/// stamp; `None` has the salt hashed again.
fn memoised_salt(path: &Path) -> Option<[u8; 32]> {
    let exe = std::env::current_exe().ok()?;
    let stamp = FileStamp::of(&std::fs::metadata(exe).ok()?);
    let bytes = std::fs::read(path).ok()?;
    let at = stamp.to_bytes().len();
    let salt: [u8; 32] = bytes.get(at..at + 32)?.try_into().ok()?;
    (bytes == salt_memo(stamp, &salt)).then_some(salt)
}

fn version_salt_hasher() -> blake3::Hasher {
    let mut h = blake3::Hasher::new();
    h.update(FORMAT.as_bytes());
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    h
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Reads `buf.len()` bytes at `offset` without moving a shared cursor (the packs and the record
/// tables are read by many pages at once).
#[cfg(unix)]
fn read_exact_at(f: &File, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(f, buf, offset)
}

#[cfg(not(unix))]
fn read_exact_at(f: &File, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    use std::io::{Read, Seek, SeekFrom};
    let mut f = f.try_clone()?;
    f.seek(SeekFrom::Start(offset))?;
    f.read_exact(buf)
}

/// Why the cache could not be saved. Never fatal: the site is built either way.
#[derive(Debug, thiserror::Error)]
#[error("{}: cannot {op} the build cache: {message}", path.display())]
pub struct CacheError {
    pub path: PathBuf,
    pub op: &'static str,
    pub message: String,
}

impl CacheError {
    /// The warning a build reports: the path once (the diagnostic names it), and what to do.
    pub fn to_diagnostic(&self) -> Diagnostic {
        Diagnostic::warning(
            &self.path,
            format!(
                "cannot {} the build cache: {}; the site was built, but the next build will \
                 not be incremental (check that {} is a writable folder on a disk with free \
                 space; it is safe to delete)",
                self.op, self.message, DIR_NAME
            ),
        )
    }
}

/// Deletes the temporary files of table writes that never finished (a build killed, or a
/// full disk, between writing `parse.tmp<PID>` and renaming it). Call only while holding the
/// site's build lock: then no build is writing one.
pub fn remove_leftovers(root: &Path) {
    let dir = root.join(DIR_NAME).join(FORMAT);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return;
    };
    for e in entries.filter_map(Result::ok) {
        if is_temp_name(&e.file_name().to_string_lossy())
            && e.file_type().is_ok_and(|t| t.is_file())
        {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// Whether `name` is what [`save_table`] writes before renaming: `<table>.tmp<digits>`.
fn is_temp_name(name: &str) -> bool {
    name.split_once(".tmp").is_some_and(|(stem, pid)| {
        !stem.is_empty() && !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit())
    })
}

/// The cache of one site: every stage's table.
pub struct Cache {
    /// `<root>/.newsdigest-cache/v1`, or `None` when caching is off.
    dir: Option<PathBuf>,
    salt: [u8; 32],
    /// Problems found while opening (records that failed their checksum), for the report.
    warnings: Vec<Diagnostic>,
    pub parse: RecordTable<Parsed>,
    /// The digest's readings of each text, by the paragraphs read (see
    /// [`crate::digest::reading`]): its sketch, its terms, and its runs of capitalised words.
    /// On disk like `parse`.
    pub sketches: RecordTable<Option<Sketch>>,
    pub terms: RecordTable<Analysis>,
    pub runs: RecordTable<Runs>,
    pub render: RenderStore,
    /// The last successful build: the fingerprint of its inputs and what it recorded (read
    /// at open; replaced by [`Cache::set_last_build`], saved at commit).
    last_build: Option<(Key, Vec<u8>)>,
    last_build_changed: bool,
    /// Whether `parse` and `render` hold what the last build saved ([`Cache::load_tables`]).
    tables_loaded: bool,
    /// The executable's stamp when the salt was hashed this build, not read from
    /// [`SALT_MEMO`]: saved there at commit.
    salt_to_memo: Option<FileStamp>,
}

impl Cache {
    /// A cache that remembers nothing: every build is a full one and nothing is written.
    pub fn disabled() -> Cache {
        Cache {
            dir: None,
            // Keys of a disabled cache are never computed.
            salt: [0; 32],
            warnings: Vec::new(),
            parse: RecordTable::disabled(),
            sketches: RecordTable::disabled(),
            terms: RecordTable::disabled(),
            runs: RecordTable::disabled(),
            render: RenderStore::new(None, None),
            last_build: None,
            last_build_changed: false,
            tables_loaded: false,
            salt_to_memo: None,
        }
    }

    /// Opens the cache of the site at `root`. A missing, unreadable, corrupt or foreign cache
    /// is an empty one (and a foreign one is cleared), never an error.
    pub fn open(root: &Path) -> Cache {
        let mut c = Cache::open_last_build(root);
        c.load_tables();
        c
    }

    /// Opens only what tells whether anything changed since the last build ([`Cache::last_build`])
    /// and makes keys: reading the stages' tables (megabytes for a large site) is left to
    /// [`Cache::load_tables`], for a build that has work to do.
    pub fn open_last_build(root: &Path) -> Cache {
        let dir = root.join(DIR_NAME).join(FORMAT);
        let (salt, salt_to_memo) = match memoised_salt(&dir.join(SALT_MEMO)) {
            Some(salt) => (salt, None),
            None => salt(),
        };
        // Valid only beside the very tables it was saved with: tables altered since (damaged,
        // edited, restored) are read, and checked, by a build with work to do.
        let last_build = load_records::<(Vec<TableStamp>, Vec<u8>)>(&dir.join(LAST_BUILD), &salt)
            .0
            .into_iter()
            .next()
            .filter(|(_, (stamps, _))| *stamps == table_stamps(&dir))
            .map(|(k, (_, record))| (k, record));
        Cache {
            warnings: Vec::new(),
            salt,
            parse: RecordTable::disabled(),
            sketches: RecordTable::disabled(),
            terms: RecordTable::disabled(),
            runs: RecordTable::disabled(),
            render: RenderStore::new(Some(dir.join("packs")), None),
            last_build,
            last_build_changed: false,
            tables_loaded: false,
            salt_to_memo,
            dir: Some(dir),
        }
    }

    /// Reads the parse and render tables (once; a cache opened with [`Cache::open`] has them).
    pub fn load_tables(&mut self) {
        let Some(dir) = self.dir.clone() else {
            return;
        };
        if self.tables_loaded {
            return;
        }
        self.tables_loaded = true;
        let salt = self.salt;
        let parse_path = dir.join(PARSE);
        let render_path = dir.join(RENDER);
        // The render table's records are read when the render stage starts; its header now,
        // so that a foreign cache is cleared whole before anything is used.
        let parse = match RecordTable::open(parse_path.clone(), salt) {
            Some(opened) if !records::is_foreign(&render_path, &salt) => Some(opened),
            _ => None,
        };
        let parse = match parse {
            Some((p, bad)) => {
                if bad > 0 {
                    self.warnings.push(checksum_warning(&parse_path, bad));
                }
                p
            }
            None => {
                // Written by another binary: nothing in it can be trusted or reached.
                let _ = std::fs::remove_dir_all(&dir);
                self.last_build = None;
                // The file is gone now: an empty table, which this build fills.
                match RecordTable::open(parse_path, salt) {
                    Some((p, _)) => p,
                    None => RecordTable::disabled(),
                }
            }
        };
        self.parse = parse;
        // After the parse table, which cleared a foreign cache whole.
        self.sketches = self.open_records(&dir.join(SKETCHES));
        self.terms = self.open_records(&dir.join(TERMS));
        self.runs = self.open_records(&dir.join(RUNS));
        self.render = RenderStore::new(Some(dir.join("packs")), Some((render_path, salt)));
        // Only a build with nothing to do needs the last build's record (megabytes for a large
        // site): this one will record its own.
        self.last_build = None;
    }

    /// A record table of this cache beside its parse table: a damaged record is a warning,
    /// and another binary's table (the parse table, checked first, was this one's) is
    /// removed and starts empty.
    fn open_records<V>(&mut self, path: &Path) -> RecordTable<V> {
        match RecordTable::open(path.to_path_buf(), self.salt) {
            Some((t, bad)) => {
                if bad > 0 {
                    self.warnings.push(checksum_warning(path, bad));
                }
                t
            }
            None => {
                let _ = std::fs::remove_file(path);
                RecordTable::open(path.to_path_buf(), self.salt)
                    .map_or_else(RecordTable::disabled, |t| t.0)
            }
        }
    }

    /// What the last successful build recorded, if its inputs had the fingerprint `inputs`.
    pub fn last_build(&self, inputs: Key) -> Option<&[u8]> {
        self.last_build
            .as_ref()
            .filter(|(k, _)| *k == inputs)
            .map(|(_, v)| v.as_slice())
    }

    /// Records this build as the last one: the fingerprint of its inputs and `record`.
    pub fn set_last_build(&mut self, inputs: Key, record: Vec<u8>) {
        self.last_build = Some((inputs, record));
        self.last_build_changed = true;
    }

    /// What opening the cache found wrong with it (each a warning; the build recomputed what
    /// the damaged records held). Empty after the first call.
    pub fn take_warnings(&mut self) -> Vec<Diagnostic> {
        if let Some(dir) = &self.dir {
            let bad = self.render.bad.swap(0, Ordering::Relaxed);
            if bad > 0 {
                self.warnings.push(checksum_warning(&dir.join(RENDER), bad));
            }
        }
        self.note_unreadable_records();
        std::mem::take(&mut self.warnings)
    }

    /// A warning for each record table with hits that could not be read back.
    fn note_unreadable_records(&mut self) {
        for (name, unreadable) in [
            (PARSE, self.parse.take_unreadable()),
            (SKETCHES, self.sketches.take_unreadable()),
            (TERMS, self.terms.take_unreadable()),
            (RUNS, self.runs.take_unreadable()),
        ] {
            if unreadable > 0
                && let Some(dir) = &self.dir
            {
                self.warnings.push(Diagnostic::warning(
                    dir.join(name),
                    format!(
                        "{unreadable} build cache record(s) could not be read back or did not \
                         match their checksum (the file was altered during the build); their \
                         results were computed again, and the next build saves a sound cache"
                    ),
                ));
            }
        }
    }

    /// Saves the parse table as soon as every file is parsed, and lets go of it: nothing is
    /// looked up in it after the parse stage, and its index (a record of 32 bytes and a flag
    /// an article) would otherwise be held through assemble, where a rebuild's memory peaks.
    /// Its warnings stay for the report; its counts are the caller's to take first. Saved
    /// before the build has succeeded, which is sound: a record is keyed by everything it
    /// was computed from, so it is right for any build.
    pub fn save_parse(&mut self) -> Result<(), CacheError> {
        let Some(dir) = self.dir.clone() else {
            return Ok(());
        };
        self.note_unreadable_records();
        save_and_release(&dir, PARSE, &mut self.parse)
    }

    /// Saves the digest's readings as soon as the digest is made, and lets go of them, as
    /// [`Cache::save_parse`] does the parse table: their indexes would otherwise be held
    /// through render and write.
    pub fn save_readings(&mut self) -> Result<(), CacheError> {
        let Some(dir) = self.dir.clone() else {
            return Ok(());
        };
        self.note_unreadable_records();
        // Each saved whatever became of the one before.
        let sketches = save_and_release(&dir, SKETCHES, &mut self.sketches);
        let terms = save_and_release(&dir, TERMS, &mut self.terms);
        let runs = save_and_release(&dir, RUNS, &mut self.runs);
        sketches.and(terms).and(runs)
    }

    pub fn is_enabled(&self) -> bool {
        self.dir.is_some()
    }

    /// A key builder for `domain` (e.g. `"parse"`), salted for this binary.
    /// A disabled cache's builder hashes nothing: a build without a cache spends no time on
    /// keys.
    pub fn key(&self, domain: &str) -> KeyBuilder {
        let mut k = KeyBuilder::new(self.dir.is_some());
        k.part(&self.salt);
        k.str(domain);
        k
    }

    /// Saves what this build used, compacts packs and deletes those nothing refers to, and
    /// makes this build's entries the next build's starting point. Call after a successful
    /// build; after a failed one, dropping the cache keeps the previous state on disk.
    pub fn commit(&mut self) -> Result<(), CacheError> {
        let Some(dir) = self.dir.clone() else {
            return Ok(());
        };
        let this_pack = self.render.close_pack();
        let result = self.save(&dir, this_pack);
        let errors = self.render.write_errors.swap(0, Ordering::Relaxed);
        result?;
        if errors > 0 {
            return Err(CacheError {
                path: dir.join("packs"),
                op: "write",
                message: format!("{errors} rendered page(s) could not be stored"),
            });
        }
        Ok(())
    }

    fn save(&mut self, dir: &Path, this_pack: Option<u64>) -> Result<(), CacheError> {
        let err = |op, path: &Path, e: &dyn std::fmt::Display| CacheError {
            path: path.to_path_buf(),
            op,
            message: e.to_string(),
        };
        let created = std::fs::create_dir_all(dir);
        if let Some(top) = dir.parent().filter(|_| created.is_ok()) {
            // Tells backup tools (and people) that this folder can be skipped or deleted.
            let tag = top.join("CACHEDIR.TAG");
            if !tag.exists() {
                let _ = std::fs::write(
                    &tag,
                    "Signature: 8a477f597d28d172789f06886806bc55\n\
                     # This is the newsdigest build cache; it is safe to delete.\n",
                );
            }
        }
        // Always, even when the folder cannot be made: the table then falls back on its file.
        // (No-ops after [`Cache::save_parse`] and [`Cache::save_readings`].)
        let parse = self.parse.commit();
        let sketches = self.sketches.commit();
        let terms = self.terms.commit();
        let runs = self.runs.commit();
        let render_path = dir.join(RENDER);
        let render = match &created {
            Ok(()) => self
                .render
                .save(&dir.join("packs"), &render_path, &self.salt, this_pack),
            Err(_) => {
                self.render.settle();
                Ok(())
            }
        };
        created.map_err(|e| err("create", dir, &e))?;
        parse.map_err(|e| err("write", &dir.join(PARSE), &e))?;
        sketches.map_err(|e| err("write", &dir.join(SKETCHES), &e))?;
        terms.map_err(|e| err("write", &dir.join(TERMS), &e))?;
        runs.map_err(|e| err("write", &dir.join(RUNS), &e))?;
        render.map_err(|e| err("write", &render_path, &e))?;
        if let Some(stamp) = self.salt_to_memo.take() {
            let path = dir.join(SALT_MEMO);
            write_atomically(&path, &salt_memo(stamp, &self.salt))
                .map_err(|e| err("write", &path, &e))?;
        }
        // Last, with the stamps of the tables just saved.
        if std::mem::take(&mut self.last_build_changed)
            && let Some((key, record)) = &self.last_build
        {
            let path = dir.join(LAST_BUILD);
            let entry = (*key, (table_stamps(dir), record.clone()));
            save_table(&path, &self.salt, std::slice::from_ref(&entry))
                .map_err(|e| err("write", &path, &e))?;
        }
        Ok(())
    }
}

/// Commits `table` (the file `name` of `dir`) and leaves in its place one that remembers
/// nothing.
fn save_and_release<V>(
    dir: &Path,
    name: &str,
    table: &mut RecordTable<V>,
) -> Result<(), CacheError> {
    let saved = table.commit().map_err(|e| CacheError {
        path: dir.join(name),
        op: "write",
        message: e.to_string(),
    });
    *table = RecordTable::disabled();
    saved
}

/// A [`Parsed`] as stored. Mirrors it field for field, because the report types skip empty
/// fields when serialised, which a compact positional format cannot represent.
#[derive(Serialize, Deserialize)]
struct ParsedRec {
    rel: PathBuf,
    result: Result<Article, RejectionRec>,
    orphan_headlines: Option<(Day, Vec<String>)>,
    diagnostics: Vec<DiagnosticRec>,
}

/// A [`Rejection`] as stored: its [`Reason`] skips empty fields when serialised too, and a
/// record holding one would not decode (ending the table there).
#[derive(Serialize, Deserialize)]
enum RejectionRec {
    Skipped(ReasonRec),
    Failed(ReasonRec),
}

#[derive(Serialize, Deserialize)]
struct ReasonRec {
    reason: String,
    line: Option<usize>,
    byte: Option<usize>,
}

impl From<&Rejection> for RejectionRec {
    fn from(r: &Rejection) -> Self {
        let rec = |r: &Reason| ReasonRec {
            reason: r.reason.clone(),
            line: r.line,
            byte: r.byte,
        };
        match r {
            Rejection::Skipped(r) => RejectionRec::Skipped(rec(r)),
            Rejection::Failed(r) => RejectionRec::Failed(rec(r)),
        }
    }
}

impl From<RejectionRec> for Rejection {
    fn from(r: RejectionRec) -> Self {
        let reason = |r: ReasonRec| Reason {
            reason: r.reason,
            line: r.line,
            byte: r.byte,
        };
        match r {
            RejectionRec::Skipped(r) => Rejection::Skipped(reason(r)),
            RejectionRec::Failed(r) => Rejection::Failed(reason(r)),
        }
    }
}

#[derive(Serialize, Deserialize)]
struct DiagnosticRec {
    severity: Severity,
    path: PathBuf,
    line: Option<usize>,
    byte: Option<usize>,
    message: String,
}

impl From<&Parsed> for ParsedRec {
    fn from(p: &Parsed) -> Self {
        let Parsed {
            rel,
            result,
            orphan_headlines,
            diagnostics,
        } = p;
        ParsedRec {
            rel: rel.clone(),
            result: match result {
                Ok(a) => Ok(a.clone()),
                Err(r) => Err(RejectionRec::from(r)),
            },
            orphan_headlines: orphan_headlines.clone(),
            diagnostics: diagnostics
                .iter()
                .map(|d| {
                    let Diagnostic {
                        severity,
                        path,
                        line,
                        byte,
                        message,
                    } = d;
                    DiagnosticRec {
                        severity: *severity,
                        path: path.clone(),
                        line: *line,
                        byte: *byte,
                        message: message.clone(),
                    }
                })
                .collect(),
        }
    }
}

impl From<ParsedRec> for Parsed {
    fn from(p: ParsedRec) -> Self {
        Parsed {
            rel: p.rel,
            result: p.result.map_err(Rejection::from),
            orphan_headlines: p.orphan_headlines,
            diagnostics: p
                .diagnostics
                .into_iter()
                .map(|d| Diagnostic {
                    severity: d.severity,
                    path: d.path,
                    line: d.line,
                    byte: d.byte,
                    message: d.message,
                })
                .collect(),
        }
    }
}

/// A digest reading's record: its postcard bytes.
macro_rules! postcard_record {
    ($($t:ty),*) => {$(
        impl Record for $t {
            fn encode(&self, out: Vec<u8>) -> Option<Vec<u8>> {
                postcard::to_extend(self, out).ok()
            }

            fn decode(bytes: &[u8]) -> Option<Self> {
                postcard::from_bytes(bytes).ok()
            }
        }
    )*};
}

postcard_record!(Analysis, Runs);

/// A sketch of the wrong shape (which no build of this binary writes) reads as damaged.
impl Record for Option<Sketch> {
    fn encode(&self, out: Vec<u8>) -> Option<Vec<u8>> {
        postcard::to_extend(self, out).ok()
    }

    fn decode(bytes: &[u8]) -> Option<Self> {
        postcard::from_bytes::<Option<Sketch>>(bytes)
            .ok()
            .filter(|s| s.as_ref().is_none_or(Sketch::is_sound))
    }
}

impl Record for Parsed {
    fn encode(&self, out: Vec<u8>) -> Option<Vec<u8>> {
        postcard::to_extend(&ParsedRec::from(self), out).ok()
    }

    fn decode(bytes: &[u8]) -> Option<Self> {
        postcard::from_bytes::<ParsedRec>(bytes)
            .ok()
            .map(Parsed::from)
    }
}

/// The table of one record: the last successful build.
const LAST_BUILD: &str = "last-build.bin";
/// The parse stage's table ([`Cache::parse`]).
const PARSE: &str = "parse.bin";
/// The digest's readings of texts ([`Cache::sketches`], [`Cache::terms`], [`Cache::runs`]).
const SKETCHES: &str = "sketches.bin";
const TERMS: &str = "terms.bin";
const RUNS: &str = "runs.bin";
/// The render store's table ([`Cache::render`]).
const RENDER: &str = "render.bin";

/// The identity of each table file (`None` when absent).
type TableStamp = Option<crate::fingerprint::FileStamp>;

fn table_stamps(dir: &Path) -> Vec<TableStamp> {
    [PARSE, SKETCHES, TERMS, RUNS, RENDER]
        .iter()
        .map(|name| crate::fingerprint::FileStamp::of_path(&dir.join(name)))
        .collect()
}

/// The warning for `bad` records of the table at `path` that failed their checksum.
fn checksum_warning(path: &Path, bad: usize) -> Diagnostic {
    Diagnostic::warning(
        path,
        format!(
            "{bad} build cache record(s) did not match their checksum (the file was altered or \
             damaged); their results were computed again, and the next build saves a sound cache"
        ),
    )
}

/// Reads a small table whole (render and last build), in the order saved, with how many
/// records failed their checksum (left out: recomputed): [`records::scan`] decoding each
/// record. Another binary's or format's table is empty.
fn load_records<V: DeserializeOwned>(path: &Path, salt: &[u8; 32]) -> (Vec<(Key, V)>, usize) {
    let mut entries = Vec::new();
    let scanned = records::scan(path, salt, |_, record| {
        match postcard::from_bytes::<(Key, V)>(record) {
            Ok(entry) => {
                entries.push(entry);
                true
            }
            // Sound bytes that do not decode are our own format's problem, not damage.
            Err(_) => false,
        }
    });
    match scanned {
        records::Scanned::Frames { bad, .. } => (entries, bad),
        records::Scanned::Foreign => (Vec::new(), 0),
    }
}

/// Writes `bytes` to `path` through a temporary file renamed over it.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    let written = std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

/// Writes a table atomically (temporary file, then rename), one record at a time. A record
/// that cannot be serialised (say, a path that is not UTF-8) is left out: it is only a future
/// miss.
fn save_table<V: Serialize>(
    path: &Path,
    salt: &[u8; 32],
    entries: &[(Key, V)],
) -> std::io::Result<()> {
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    let written = (|| {
        let mut w = std::io::BufWriter::with_capacity(1 << 16, File::create(&tmp)?);
        w.write_all(MAGIC)?;
        w.write_all(salt)?;
        let mut record = Vec::new();
        for e in entries {
            record.clear();
            if let Ok(r) = postcard::to_io(e, &mut record) {
                records::write_frame(&mut w, r)?;
            }
        }
        w.into_inner().map_err(|e| e.into_error())?;
        std::fs::rename(&tmp, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(c: &Cache, s: &str) -> Key {
        c.key("test").str(s).finish()
    }

    fn render(c: &Cache, k: &str, bytes: &str) -> (Vec<u8>, bool) {
        c.render
            .get_or_render(key(c, k), || Ok::<_, ()>(bytes.as_bytes().to_vec()))
            .unwrap()
    }

    /// The folder of `root`'s cache tables and packs.
    fn tables(root: &Path) -> PathBuf {
        root.join(DIR_NAME).join(FORMAT)
    }

    #[test]
    fn the_salt_is_hashed_once_per_executable_and_a_damaged_memo_is_not_trusted() {
        let dir = tempfile::tempdir().unwrap();
        one_page_committed(dir.path(), "page");
        let memo = tables(dir.path()).join(SALT_MEMO);
        let (hashed, stamp) = salt();
        assert!(stamp.is_some());
        // The first build hashed the executable and left the memo; the next reads it.
        assert_eq!(memoised_salt(&memo), Some(hashed));
        assert_eq!(Cache::open_last_build(dir.path()).salt, hashed);
        // A memo naming another file's stamp, or altered, is ignored: the salt is hashed.
        let other = FileStamp::of(&std::fs::metadata(&memo).unwrap());
        std::fs::write(&memo, salt_memo(other, &[7; 32])).unwrap();
        assert_eq!(memoised_salt(&memo), None);
        assert_eq!(Cache::open_last_build(dir.path()).salt, hashed);
        let mut bytes = salt_memo(stamp.unwrap(), &[7; 32]);
        bytes[50] ^= 1;
        std::fs::write(&memo, bytes).unwrap();
        assert_eq!(memoised_salt(&memo), None);
        assert_eq!(Cache::open_last_build(dir.path()).salt, hashed);
        // And the page rendered with the true salt is still found.
        let c = Cache::open(dir.path());
        assert_eq!(render(&c, "a", "other"), (b"page".to_vec(), true));
    }

    /// A cache in `dir` holding one rendered page, committed; the path of its render table.
    fn one_page_committed(dir: &Path, bytes: &str) -> PathBuf {
        let mut c = Cache::open(dir);
        render(&c, "a", bytes);
        c.commit().unwrap();
        tables(dir).join("render.bin")
    }

    #[test]
    fn keys_separate_their_parts() {
        let dir = tempfile::tempdir().unwrap();
        let c = Cache::open(dir.path());
        let a = c.key("d").str("ab").str("c").finish();
        let b = c.key("d").str("a").str("bc").finish();
        assert_ne!(a, b);
        assert_ne!(c.key("d").finish(), c.key("e").finish());
        assert_eq!(
            c.key("d").json(&[1, 2]).finish(),
            c.key("d").json(&[1, 2]).finish()
        );
    }

    #[test]
    fn rendered_pages_survive_a_restart_and_only_used_ones_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        let mut c = Cache::open(dir.path());
        assert_eq!(render(&c, "a", "page a"), (b"page a".to_vec(), false));
        assert!(!render(&c, "b", "page b").1);
        assert_eq!(c.render.counts(), (0, 2));
        c.commit().unwrap();

        let mut c = Cache::open(dir.path());
        assert_eq!(render(&c, "a", "ignored"), (b"page a".to_vec(), true));
        assert!(!render(&c, "c", "page c").1);
        assert_eq!(c.render.counts(), (1, 1));
        c.commit().unwrap();
        // "b" was not used by the last build: gone.
        let c = Cache::open(dir.path());
        assert_eq!(render(&c, "b", "new b"), (b"new b".to_vec(), false));
        assert!(render(&c, "c", "x").1);
    }

    #[test]
    fn a_damaged_pack_is_a_miss_not_a_wrong_page() {
        let dir = tempfile::tempdir().unwrap();
        let mut c = Cache::open(dir.path());
        render(&c, "a", "the real page");
        c.commit().unwrap();
        let packs = tables(dir.path()).join("packs");
        for e in std::fs::read_dir(&packs).unwrap() {
            let p = e.unwrap().path();
            let mut bytes = std::fs::read(&p).unwrap();
            bytes[4] ^= 0xff;
            std::fs::write(&p, bytes).unwrap();
        }
        let c = Cache::open(dir.path());
        assert_eq!(
            render(&c, "a", "re-rendered"),
            (b"re-rendered".to_vec(), false)
        );
    }

    #[test]
    fn foreign_or_corrupt_tables_are_empty() {
        let dir = tempfile::tempdir().unwrap();
        let table = one_page_committed(dir.path(), "x");
        let mut bytes = std::fs::read(&table).unwrap();
        bytes[MAGIC.len()] ^= 1; // another binary's salt
        std::fs::write(&table, &bytes).unwrap();
        let c = Cache::open(dir.path());
        assert!(!tables(dir.path()).exists(), "cleared");
        assert!(!render(&c, "a", "x").1);
        std::fs::create_dir_all(table.parent().unwrap()).unwrap();
        std::fs::write(&table, b"garbage").unwrap();
        let c = Cache::open(dir.path());
        assert!(!render(&c, "a", "x").1);
    }

    #[test]
    fn leftover_temp_files_are_removed_and_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let mut c = Cache::open(dir.path());
        render(&c, "a", "x");
        c.commit().unwrap();
        let v1 = tables(dir.path());
        std::fs::write(v1.join("parse.tmp12345"), b"half").unwrap();
        std::fs::write(v1.join("render.tmp7"), b"half").unwrap();
        std::fs::write(v1.join("notes.tmpx"), b"keep").unwrap();
        remove_leftovers(dir.path());
        let mut names: Vec<String> = std::fs::read_dir(&v1)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, ["exe-salt.bin", "notes.tmpx", "packs", "render.bin"]);
        assert!(is_temp_name("parse.tmp1") && !is_temp_name("parse.tmp") && !is_temp_name(".tmp1"));
    }

    #[test]
    fn an_altered_record_is_a_warning_and_a_miss() {
        let dir = tempfile::tempdir().unwrap();
        let mut c = Cache::open(dir.path());
        let k = key(&c, "p");
        let parsed = |text: &str| Parsed {
            rel: "a.txt".into(),
            result: Err(Rejection::Skipped(crate::report::Reason::new(text))),
            orphan_headlines: None,
            diagnostics: Vec::new(),
        };
        c.parse.get_or_insert_with(k, || parsed("Original words"));
        c.commit().unwrap();
        let mut c = Cache::open(dir.path());
        assert!(c.take_warnings().is_empty());
        assert_eq!(
            c.parse.get_or_insert_with(k, || panic!("a hit")).rel,
            Path::new("a.txt")
        );
        drop(c);
        let table = tables(dir.path()).join("parse.bin");
        let mut bytes = std::fs::read(&table).unwrap();
        // Still decodable: the same length, one letter's case flipped.
        let at = bytes.windows(8).position(|w| w == b"Original").unwrap();
        bytes[at] = b'o';
        std::fs::write(&table, &bytes).unwrap();
        let mut c = Cache::open(dir.path());
        let warnings = c.take_warnings();
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert_eq!(warnings[0].path, table);
        assert!(warnings[0].message.contains("checksum"), "{warnings:?}");
        let back = c.parse.get_or_insert_with(k, || parsed("recomputed"));
        assert_eq!(format!("{back:?}"), format!("{:?}", parsed("recomputed")));
        assert_eq!(c.parse.counts(), (0, 1));
    }

    #[test]
    fn a_texts_reading_is_remembered_and_an_altered_one_is_a_warning_and_read_again() {
        use crate::digest::reading;
        let dir = tempfile::tempdir().unwrap();
        let lead = vec!["Officials in Port Avery said the Harbour Board would meet.".to_string()];
        let mut c = Cache::open(dir.path());
        let k = key(&c, "reading");
        let (sketch, terms, runs) = (
            c.sketches.get_or_insert_with(k, || reading::sketch(&lead)),
            c.terms.get_or_insert_with(k, || reading::terms(&lead)),
            c.runs.get_or_insert_with(k, || reading::runs(&lead)),
        );
        assert!(sketch.is_some());
        c.commit().unwrap();
        let mut c = Cache::open(dir.path());
        assert_eq!(c.sketches.get_or_insert_with(k, || panic!("a hit")), sketch);
        assert_eq!(c.terms.get_or_insert_with(k, || panic!("a hit")), terms);
        assert_eq!(c.runs.get_or_insert_with(k, || panic!("a hit")), runs);
        let counts = [c.sketches.counts(), c.terms.counts(), c.runs.counts()];
        assert_eq!(counts, [(1, 0); 3]);
        c.commit().unwrap();
        for (name, at) in [(SKETCHES, 0), (TERMS, 1), (RUNS, 2)] {
            let table = tables(dir.path()).join(name);
            let mut bytes = std::fs::read(&table).unwrap();
            // The record's last byte: still decodable, no longer sound.
            *bytes.last_mut().unwrap() ^= 1;
            std::fs::write(&table, &bytes).unwrap();
            let mut c = Cache::open(dir.path());
            let warnings = c.take_warnings();
            assert_eq!(warnings.len(), 1, "{warnings:?}");
            assert_eq!(warnings[0].path, table);
            let again = c.sketches.get_or_insert_with(k, || reading::sketch(&lead));
            assert_eq!(again, sketch);
            let again = c.terms.get_or_insert_with(k, || reading::terms(&lead));
            assert_eq!(again, terms);
            assert_eq!(c.runs.get_or_insert_with(k, || reading::runs(&lead)), runs);
            let misses = [c.sketches.counts(), c.terms.counts(), c.runs.counts()].map(|c| c.1);
            let mut expected = [0; 3];
            expected[at] = 1;
            assert_eq!(misses, expected, "{name}");
            c.commit().unwrap();
        }
        // Another binary's table beside this one's parse table: empty.
        let table = tables(dir.path()).join(RUNS);
        let mut bytes = std::fs::read(&table).unwrap();
        bytes[MAGIC.len()] ^= 1;
        std::fs::write(&table, &bytes).unwrap();
        let c = Cache::open(dir.path());
        assert_eq!(c.runs.get_or_insert_with(k, Runs::default), Runs::default());
        assert_eq!(c.terms.get_or_insert_with(k, || panic!("a hit")), terms);
    }

    #[test]
    fn a_sketch_of_the_wrong_shape_reads_as_damaged() {
        let sketch =
            crate::digest::reading::sketch(&["Officials said the port would open.".into()]);
        let bytes = sketch.encode(Vec::new()).unwrap();
        assert_eq!(Option::<Sketch>::decode(&bytes), Some(sketch.clone()));
        let mut short = sketch.unwrap();
        short.minhash.pop();
        let bytes = Some(short).encode(Vec::new()).unwrap();
        assert_eq!(Option::<Sketch>::decode(&bytes), None);
        let none = None::<Sketch>.encode(Vec::new()).unwrap();
        assert_eq!(Option::<Sketch>::decode(&none), Some(None));
    }

    #[test]
    fn an_altered_render_record_is_a_warning_and_a_render() {
        let dir = tempfile::tempdir().unwrap();
        let table = one_page_committed(dir.path(), "the page");
        let mut bytes = std::fs::read(&table).unwrap();
        // The record's last byte (its page's hash): still decodable, no longer sound.
        *bytes.last_mut().unwrap() ^= 1;
        std::fs::write(&table, &bytes).unwrap();
        let mut c = Cache::open(dir.path());
        assert_eq!(render(&c, "a", "again"), (b"again".to_vec(), false));
        let warnings = c.take_warnings();
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert_eq!(warnings[0].path, table);
        assert!(warnings[0].message.contains("checksum"), "{warnings:?}");
    }

    /// A build that parses a few new files appends their records; a table mostly dead is
    /// written afresh; either way the next build reads exactly what the last one used.
    #[test]
    fn parse_records_are_appended_until_dead_ones_outnumber_live_ones() {
        let dir = tempfile::tempdir().unwrap();
        let table = tables(dir.path()).join("parse.bin");
        let parsed = |text: &str| Parsed {
            rel: format!("{text}.txt").into(),
            result: Err(Rejection::Skipped(crate::report::Reason::new(text))),
            orphan_headlines: None,
            diagnostics: Vec::new(),
        };
        let build = |names: &[String]| {
            let mut c = Cache::open(dir.path());
            for n in names {
                c.parse.get_or_insert_with(key(&c, n), || parsed(n));
            }
            c.commit().unwrap();
        };
        let names = |range: std::ops::Range<usize>| -> Vec<String> {
            range.map(|i| format!("file{i}")).collect()
        };
        build(&names(0..20));
        let full = std::fs::metadata(&table).unwrap().len();
        // One file changed: one record appended, nothing rewritten.
        build(&names(1..21));
        let grown = std::fs::metadata(&table).unwrap().len();
        assert!(
            grown > full && grown < full + full / 10,
            "{full} -> {grown}"
        );
        let c = Cache::open(dir.path());
        for n in names(1..21) {
            assert_eq!(
                c.parse
                    .get_or_insert_with(key(&c, &n), || panic!("{n}"))
                    .rel,
                Path::new(&format!("{n}.txt"))
            );
        }
        drop(c);
        // Everything replaced: more dead than live, so the table is written afresh.
        build(&names(100..120));
        let fresh = std::fs::metadata(&table).unwrap().len();
        assert!(
            fresh < full * 3 / 2,
            "rewritten, not appended: {full} vs {fresh}"
        );
        let c = Cache::open(dir.path());
        for n in names(100..120) {
            c.parse.get_or_insert_with(key(&c, &n), || panic!("{n}"));
        }
        assert_eq!(c.parse.counts(), (20, 0));
    }

    #[test]
    fn packs_are_compacted_and_dead_ones_deleted() {
        let dir = tempfile::tempdir().unwrap();
        let packs = tables(dir.path()).join("packs");
        let count = || std::fs::read_dir(&packs).unwrap().count();
        let mut c = Cache::open(dir.path());
        for i in 0..10 {
            render(&c, &format!("p{i}"), &format!("page {i} ").repeat(100));
        }
        c.commit().unwrap();
        assert_eq!(count(), 1);
        // Each later build changes one page: its old bytes become dead weight.
        for round in 0..(MAX_PACKS + 3) {
            for i in 0..10 {
                let (k, body) = if i == 0 {
                    (
                        format!("changing-{round}"),
                        format!("round {round} ").repeat(100),
                    )
                } else {
                    (format!("p{i}"), format!("page {i} ").repeat(100))
                };
                render(&c, &k, &body);
            }
            c.commit().unwrap();
            assert!(
                count() <= MAX_PACKS,
                "{} packs after round {round}",
                count()
            );
        }
        let c2 = Cache::open(dir.path());
        for i in 1..10 {
            assert_eq!(
                render(&c2, &format!("p{i}"), "x"),
                (format!("page {i} ").repeat(100).into_bytes(), true)
            );
        }
    }

    #[test]
    fn parse_results_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let src = crate::ingest::Source {
            rel: "2026-02-05/000_ab.txt".into(),
            kind: crate::ingest::name::ContentKind::Dump,
            bytes: b"Caf\xE9 opens.\n".to_vec(),
            modified: None,
        };
        let parsed = crate::ingest::parse(&src, chrono_tz::Tz::UTC, Path::new("content"));
        let mut c = Cache::open(dir.path());
        let k = key(&c, "parse");
        c.parse.get_or_insert_with(k, || parsed.clone());
        c.commit().unwrap();
        let c = Cache::open(dir.path());
        let back = c.parse.get_or_insert_with(k, || panic!("should hit"));
        assert_eq!(format!("{back:?}"), format!("{parsed:?}"));
        assert_eq!(back.diagnostics[0].byte, Some(3));
    }
}
