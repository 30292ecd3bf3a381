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

use crate::fingerprint::FileStamp;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
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
    pub files: HashMap<String, Print>,
}

#[derive(Serialize, Deserialize)]
struct Record {
    marker: MarkerId,
    manifest: Manifest,
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
    (rec.marker == marker).then_some(rec.manifest)
}

/// Records `manifest` as describing `output` (whose marker must exist), atomically.
pub fn save(output: &Path, manifest: &Manifest) -> std::io::Result<()> {
    let marker = MarkerId::of(output).ok_or_else(|| {
        std::io::Error::new(std::io::ErrorKind::NotFound, "output folder has no marker")
    })?;
    let bytes = encode(&Record {
        marker,
        manifest: manifest.clone(),
    });
    let path = path_for(output);
    let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
    std::fs::write(&tmp, bytes)?;
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

/// Magic, then a BLAKE3 hash of the payload, then the payload.
pub(super) fn encode<T: Serialize>(value: &T) -> Vec<u8> {
    let payload = postcard::to_stdvec(value).unwrap_or_default();
    let mut out = Vec::with_capacity(payload.len() + 40);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(blake3::hash(&payload).as_bytes());
    out.extend_from_slice(&payload);
    out
}

/// The value `encode` wrote, or `None` for anything else (another format, a torn or altered
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
        let mut m = Manifest::default();
        m.files.insert("index.html".into(), Print::of(b"<p>hi</p>"));
        m
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
    fn prints_tell_bytes_apart() {
        assert_eq!(Print::of(b"abc"), Print::of(b"abc"));
        assert_ne!(Print::of(b"abc"), Print::of(b"abd"));
        assert_ne!(Print::of(b""), Print::of(b"\0"));
    }
}
