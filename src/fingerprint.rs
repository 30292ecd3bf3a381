//! Fingerprints: BLAKE3 hashes of the parts of a value, each part framed by its length, so
//! that `("ab", "c")` and `("a", "bc")` differ. Stages fingerprint what they read (the render
//! stage a page's template and context, `inputs` the files of a build); the build cache salts
//! them into its keys. A builder made disabled hashes nothing, so a build without a cache spends
//! no time on fingerprints.

use serde::{Deserialize, Serialize};

/// A fingerprint (as a cache key: salted).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
