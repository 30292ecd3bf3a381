//! The output manifest: what the last build left in `output/`, file by file, as a length and a
//! hash of its bytes. With it a rebuild knows which files changed without reading the old
//! output back, and changes only those ([`super::patch`]).
//!
//! It is kept beside the output (`.<output>.newsdigest-manifest`), never inside it (it would be
//! published), and it is trusted only for the output folder it describes: it records the
//! identity of that folder's marker file (device, inode, size, modification time). A folder
//! replaced, restored from a backup or deleted has another marker, and the manifest is then
//! ignored: the build compares real bytes instead. A manifest that fails its checksum is
//! ignored the same way.
//!
//! In memory it is a vector of (path, print) sorted by path, found by binary search: at
//! 100,000 dumps it describes a quarter of a million files, and a hash map (its table and
//! spare capacity) costs more than lookups made once a file are worth. It is written streamed
//! through its hash, never encoded whole in memory first.

use crate::fingerprint::FileStamp;
use serde::{Deserialize, Serialize};
use std::fs::File;
use std::io::{BufWriter, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// First bytes of a manifest file; bump when the record changes.
const MAGIC: &[u8; 8] = b"NDMANIF2";

/// A file's length and a 128-bit hash of its bytes: equal prints mean equal bytes, short of a
/// hash collision (2^-64 for a site of billions of files).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Print {
    len: u64,
    /// The xxh3-128 hash as two halves: at 8-byte alignment a print is 24 bytes, not the 32 a
    /// `u128` pads it to, and the cache holds one for nearly every page.
    hash: [u64; 2],
}

impl Print {
    pub fn of(bytes: &[u8]) -> Print {
        Print {
            len: bytes.len() as u64,
            hash: {
                let h = xxhash_rust::xxh3::xxh3_128(bytes);
                [(h >> 64) as u64, h as u64]
            },
        }
    }

    /// The length of the bytes printed.
    pub fn size(&self) -> u64 {
        self.len
    }
}

/// Which marker file (so which output folder) a manifest describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarkerId(FileStamp);

impl MarkerId {
    /// The identity of `output`'s marker, or `None` when it has none.
    pub fn of(output: &Path) -> Option<MarkerId> {
        let m = std::fs::symlink_metadata(output.join(super::MARKER)).ok()?;
        m.is_file().then(|| MarkerId(FileStamp::of(&m)))
    }
}

/// Every file of an output folder (the marker excepted) with its print, and whether the
/// folder holds compressed twins.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub compress: bool,
    /// Sorted by path, each path once: a rebuild holds the old manifest and makes the new
    /// one, a quarter of a million files each for a large site, and sorted pairs take about
    /// half the memory of a hash map. (Postcard writes a sequence of pairs as it writes a map,
    /// so manifests saved as maps read back, and are sorted then.)
    files: Vec<(String, Print)>,
}

impl Manifest {
    /// The manifest of `files`, in any order; of a path given twice the last print counts.
    pub fn new(compress: bool, files: Vec<(String, Print)>) -> Manifest {
        Manifest { compress, files }.sorted()
    }

    fn sorted(mut self) -> Manifest {
        // Stable, so that of equal paths the last given stays last, and dedup keeps the first:
        // reversed first, so the last given is the one kept.
        self.files.reverse();
        self.files.sort_by(|a, b| a.0.cmp(&b.0));
        self.files.dedup_by(|a, b| a.0 == b.0);
        self
    }

    /// Where `rel` is among [`Manifest::files`].
    pub fn position(&self, rel: &str) -> Option<usize> {
        self.files
            .binary_search_by(|(p, _)| p.as_str().cmp(rel))
            .ok()
    }

    /// The print of the file at `rel`.
    pub fn get(&self, rel: &str) -> Option<Print> {
        self.position(rel).map(|i| self.files[i].1)
    }

    /// Every file and its print, sorted by path.
    pub fn files(&self) -> &[(String, Print)] {
        &self.files
    }

    /// The files, sorted by path, moved out.
    pub fn into_files(self) -> Vec<(String, Print)> {
        self.files
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }
}

#[derive(Deserialize)]
struct Record {
    marker: MarkerId,
    manifest: Manifest,
}

/// A [`Record`] as saved: the manifest borrowed, not copied (a quarter of a million paths for
/// a large site, at the end of a build, when memory is at its highest).
#[derive(Serialize)]
struct RecordRef<'a> {
    marker: MarkerId,
    manifest: &'a Manifest,
}

/// Where the manifest of `output` lives: beside it.
pub fn path_for(output: &Path) -> PathBuf {
    super::sibling(output, "manifest")
}

/// The manifest of `output`, if there is one that describes the folder as it is now.
pub fn load(output: &Path) -> Option<Manifest> {
    let marker = MarkerId::of(output)?;
    let bytes = std::fs::read(path_for(output)).ok()?;
    let rec: Record = decode(&bytes)?;
    (rec.marker == marker).then(|| rec.manifest.sorted())
}

/// Records `manifest` as describing `output` (whose marker must exist), atomically.
pub fn save(output: &Path, manifest: &Manifest) -> std::io::Result<()> {
    let marker = MarkerId::of(output).ok_or_else(|| {
        std::io::Error::new(std::io::ErrorKind::NotFound, "output folder has no marker")
    })?;
    let path = path_for(output);
    let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
    write_encoded(&tmp, &RecordRef { marker, manifest })?;
    std::fs::rename(&tmp, &path)
}

/// The identity of the manifest file of `output` (inode, size, modification time): it changes
/// whenever a build changes the folder, since every build that does saves a new manifest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp(FileStamp);

pub fn stamp(output: &Path) -> Option<Stamp> {
    MarkerId::of(output)?;
    FileStamp::of_path(&path_for(output)).map(Stamp)
}

/// Forgets the manifest of `output`: done before anything replaces the folder, so a build that
/// dies part way never leaves a manifest describing a folder that is no longer there.
pub fn forget(output: &Path) -> std::io::Result<()> {
    match std::fs::remove_file(path_for(output)) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// Writes `value` into a new file at `path`: magic, then a BLAKE3 hash of the payload, then
/// the payload (postcard bytes). Streamed through the hash into the file, the hash written into
/// its place last: a manifest is megabytes for a large site, and it is written at the end of
/// a build, when memory is at its highest.
pub(super) fn write_encoded<T: Serialize>(path: &Path, value: &T) -> std::io::Result<()> {
    let mut file = File::create(path)?;
    file.write_all(MAGIC)?;
    file.write_all(&[0; 32])?;
    let hashing = Hashing {
        to: BufWriter::with_capacity(1 << 16, file),
        hasher: blake3::Hasher::new(),
    };
    let hashing = postcard::to_io(value, hashing).map_err(std::io::Error::other)?;
    let hash = hashing.hasher.finalize();
    let mut file = hashing.to.into_inner().map_err(|e| e.into_error())?;
    file.seek(SeekFrom::Start(MAGIC.len() as u64))?;
    file.write_all(hash.as_bytes())
}

/// A writer that hashes what it passes on.
struct Hashing<W> {
    to: W,
    hasher: blake3::Hasher,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.to.write(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.to.flush()
    }
}

/// The value [`write_encoded`] wrote, or `None` for anything else (another format, a torn or altered
/// file).
pub(super) fn decode<T: for<'de> Deserialize<'de>>(bytes: &[u8]) -> Option<T> {
    let rest = bytes.strip_prefix(MAGIC.as_slice())?;
    if rest.len() < 32 {
        return None;
    }
    let (hash, payload) = rest.split_at(32);
    if blake3::hash(payload).as_bytes() != hash {
        return None;
    }
    postcard::from_bytes(payload).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked_output() -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        std::fs::create_dir(&out).unwrap();
        std::fs::write(out.join(super::super::MARKER), "m").unwrap();
        (dir, out)
    }

    fn one_file() -> Manifest {
        Manifest::new(false, vec![("index.html".into(), Print::of(b"<p>hi</p>"))])
    }

    #[test]
    fn saved_manifest_loads_for_the_same_folder_only() {
        let (dir, out) = marked_output();
        save(&out, &one_file()).unwrap();
        assert_eq!(load(&out), Some(one_file()));
        // The folder replaced by another one (another marker): the manifest is not trusted.
        std::fs::remove_dir_all(&out).unwrap();
        std::fs::create_dir(&out).unwrap();
        std::fs::write(out.join(super::super::MARKER), "m").unwrap();
        let stale = std::fs::read(path_for(&out)).unwrap();
        assert!(!stale.is_empty());
        // Same size and (possibly) the same second, but not the same inode or nanosecond.
        assert_eq!(load(&out), None, "{}", dir.path().display());
    }

    #[test]
    fn an_altered_manifest_is_ignored() {
        let (_dir, out) = marked_output();
        save(&out, &one_file()).unwrap();
        let p = path_for(&out);
        let mut bytes = std::fs::read(&p).unwrap();
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        std::fs::write(&p, bytes).unwrap();
        assert_eq!(load(&out), None);
        std::fs::write(&p, b"NDMANIF2short").unwrap();
        assert_eq!(load(&out), None);
    }

    #[test]
    fn forgotten_manifest_is_gone_and_forgetting_twice_is_fine() {
        let (_dir, out) = marked_output();
        save(&out, &one_file()).unwrap();
        forget(&out).unwrap();
        forget(&out).unwrap();
        assert_eq!(load(&out), None);
    }

    #[test]
    fn files_are_found_by_path_and_the_last_print_of_a_path_counts() {
        let m = Manifest::new(
            true,
            vec![
                ("b.html".into(), Print::of(b"b")),
                ("a.html".into(), Print::of(b"a1")),
                ("c/index.html".into(), Print::of(b"c")),
                ("a.html".into(), Print::of(b"a2")),
            ],
        );
        assert_eq!(m.len(), 3);
        let paths: Vec<&str> = m.files().iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(paths, ["a.html", "b.html", "c/index.html"]);
        assert_eq!(m.get("a.html"), Some(Print::of(b"a2")));
        assert_eq!(m.get("c/index.html"), Some(Print::of(b"c")));
        assert_eq!(m.get("c"), None);
        assert_eq!(m.position("b.html"), Some(1));
    }

    #[test]
    fn a_manifest_saved_as_a_map_of_paths_reads_back_sorted() {
        // How earlier builds saved it: a map, in no particular order.
        #[derive(Serialize)]
        struct Saved {
            marker: MarkerId,
            manifest: (bool, std::collections::HashMap<String, Print>),
        }
        let (_dir, out) = marked_output();
        let files: std::collections::HashMap<String, Print> = ["z.html", "a.html", "m/x.html"]
            .into_iter()
            .map(|p| (p.to_string(), Print::of(p.as_bytes())))
            .collect();
        let marker = MarkerId::of(&out).unwrap();
        let saved = Saved {
            marker,
            manifest: (false, files),
        };
        write_encoded(&path_for(&out), &saved).unwrap();
        let m = load(&out).unwrap();
        let paths: Vec<&str> = m.files().iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(paths, ["a.html", "m/x.html", "z.html"]);
        assert_eq!(m.get("z.html"), Some(Print::of(b"z.html")));
    }

    #[test]
    fn prints_tell_bytes_apart() {
        assert_eq!(Print::of(b"abc"), Print::of(b"abc"));
        assert_ne!(Print::of(b"abc"), Print::of(b"abd"));
        assert_ne!(Print::of(b""), Print::of(b"\0"));
    }
}
