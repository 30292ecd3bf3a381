//! Fingerprints: BLAKE3 hashes of the parts of a value, each part framed by its length, so
//! that `("ab", "c")` and `("a", "bc")` differ. Stages fingerprint what they read (the render
//! stage a page's template and context, `inputs` the files of a build); the build cache salts
//! them into its keys. A builder made disabled hashes nothing, so a build without a cache spends
//! no time on fingerprints.

use serde::{Deserialize, Serialize};

/// A fingerprint (as a cache key: salted).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Key([u8; 32]);

impl Key {
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

/// Builds a [`Key`] from parts; each part is length-prefixed so `("ab", "c")` and
/// `("a", "bc")` differ.
pub struct KeyBuilder(Option<blake3::Hasher>);

impl KeyBuilder {
    /// A builder; when not `enabled` it hashes nothing and every key it makes is the same.
    pub fn new(enabled: bool) -> KeyBuilder {
        KeyBuilder(enabled.then(blake3::Hasher::new))
    }

    pub fn part(&mut self, bytes: &[u8]) -> &mut Self {
        if let Some(h) = &mut self.0 {
            h.update(&(bytes.len() as u64).to_le_bytes());
            h.update(bytes);
        }
        self
    }

    pub fn str(&mut self, s: &str) -> &mut Self {
        self.part(s.as_bytes())
    }

    /// Feeds `value` as JSON. Serialisation of plain data cannot fail; if it ever did, the
    /// error text goes into the key, which can only cause a miss, never a wrong hit.
    pub fn json<T: Serialize + ?Sized>(&mut self, value: &T) -> &mut Self {
        let Some(h) = &mut self.0 else {
            return self;
        };
        // Serialised whole, then hashed in one call: serde_json writes a token at a time,
        // and hashing each token separately costs more than the serialising.
        JSON_BUF.with_borrow_mut(|buf| {
            buf.clear();
            if let Err(e) = serde_json::to_writer(&mut *buf, value) {
                buf.extend_from_slice(format!("unserialisable: {e}").as_bytes());
            }
            h.update(buf);
            h.update(&(buf.len() as u64).to_le_bytes());
            // A page's context can be megabytes (a feed); don't keep that much per thread.
            if buf.capacity() > 1 << 20 {
                *buf = Vec::new();
            }
        });
        self
    }

    /// Feeds `value`'s `Debug` form: for the digest's values, which have no `Serialize`
    /// and whose derived `Debug` names every field. Written whole, then hashed, as [`Self::json`].
    pub fn debug<T: std::fmt::Debug + ?Sized>(&mut self, value: &T) -> &mut Self {
        use std::io::Write;
        let Some(h) = &mut self.0 else {
            return self;
        };
        JSON_BUF.with_borrow_mut(|buf| {
            buf.clear();
            // Writing into a Vec cannot fail.
            let _ = write!(buf, "{value:?}");
            h.update(buf);
            h.update(&(buf.len() as u64).to_le_bytes());
            if buf.capacity() > 1 << 20 {
                *buf = Vec::new();
            }
        });
        self
    }

    /// The key. A disabled cache's keys are all equal: it never looks them up.
    pub fn finish(&self) -> Key {
        Key(self
            .0
            .as_ref()
            .map_or([0; 32], |h| *h.finalize().as_bytes()))
    }
}

thread_local! {
    static JSON_BUF: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// What of a file's metadata tells that it changed (as `make` and cargo tell it): its type,
/// size, modification time, device and inode. Taken from metadata alone, never the contents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileStamp {
    dir: bool,
    len: u64,
    mtime_ns: i128,
    dev: u64,
    ino: u64,
}

impl FileStamp {
    pub fn of(m: &std::fs::Metadata) -> FileStamp {
        let mtime_ns = m
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or(-1, |d| d.as_nanos() as i128);
        let (dev, ino) = dev_ino(m);
        FileStamp {
            dir: m.is_dir(),
            len: m.len(),
            mtime_ns,
            dev,
            ino,
        }
    }

    /// The stamp of the entry at `path` itself (a symbolic link is not followed).
    pub fn of_path(path: &std::path::Path) -> Option<FileStamp> {
        std::fs::symlink_metadata(path)
            .ok()
            .map(|m| FileStamp::of(&m))
    }

    /// The stamp as bytes, for a key.
    pub fn to_bytes(self) -> [u8; 41] {
        let mut out = [0u8; 41];
        out[0] = u8::from(self.dir);
        out[1..9].copy_from_slice(&self.len.to_le_bytes());
        out[9..25].copy_from_slice(&self.mtime_ns.to_le_bytes());
        out[25..33].copy_from_slice(&self.dev.to_le_bytes());
        out[33..41].copy_from_slice(&self.ino.to_le_bytes());
        out
    }
}

#[cfg(unix)]
fn dev_ino(m: &std::fs::Metadata) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    (m.dev(), m.ino())
}

#[cfg(not(unix))]
fn dev_ino(_: &std::fs::Metadata) -> (u64, u64) {
    (0, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_framed_and_a_disabled_builder_hashes_nothing() {
        let ab_c = KeyBuilder::new(true).str("ab").str("c").finish();
        let a_bc = KeyBuilder::new(true).str("a").str("bc").finish();
        assert_ne!(ab_c, a_bc);
        assert_ne!(ab_c, KeyBuilder::new(true).str("abc").finish());
        assert_eq!(
            KeyBuilder::new(false).str("x").finish(),
            KeyBuilder::new(false).str("y").finish()
        );
    }
}
