//! A dump's paragraphs as a build holds them: packed, LZ4-compressed, one buffer per article.
//! The digest reads every text several times, and a page shows it once, but between those
//! reads a corpus's texts were the largest thing a build held (two fifths of its heap at
//! 100,000 dumps). Packed, news prose takes about half the room, and unpacking a dump costs
//! microseconds, so each reader unpacks the paragraphs it needs and drops them after.
//!
//! The packing is deterministic: the same paragraphs always pack to the same bytes, so the
//! bytes stand for the text wherever a page's inputs are fingerprinted ([`Packed::bytes`]).

use serde::{Deserialize, Serialize};

/// Paragraphs held packed: the LZ4 block of their lengths and bytes, prefixed by its
/// unpacked size ([`lz4_flex::compress_prepend_size`]).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Packed(Vec<u8>);

impl Packed {
    /// Packs `paragraphs`.
    pub fn new<S: AsRef<str>>(paragraphs: &[S]) -> Packed {
        let mut raw = Vec::with_capacity(paragraphs.iter().map(|p| p.as_ref().len() + 4).sum());
        for p in paragraphs {
            let p = p.as_ref().as_bytes();
            // A paragraph is far below 4 GiB: the walk refuses files over the size limit.
            let len = u32::try_from(p.len()).unwrap_or(u32::MAX);
            raw.extend_from_slice(&len.to_le_bytes());
            raw.extend_from_slice(&p[..len as usize]);
        }
        let bytes = lz4_flex::compress_prepend_size(&raw);
        // The block is allocated for LZ4's worst case, and news prose packs to about half.
        Packed(crate::held::at_length(bytes))
    }

    /// The paragraphs, unpacked.
    pub fn unpack(&self) -> Vec<String> {
        // Only `new` makes these bytes (or the build cache, whose every record is checked
        // against its hash before it is decoded), so they always unpack; bytes that somehow
        // did not would read as a text with no paragraphs rather than as a wrong one.
        let raw = lz4_flex::decompress_size_prepended(&self.0).unwrap_or_default();
        let mut out = Vec::new();
        let mut rest = raw.as_slice();
        while let Some((len, tail)) = rest.split_first_chunk::<4>() {
            let len = u32::from_le_bytes(*len) as usize;
            let Some((p, tail)) = tail.split_at_checked(len) else {
                break;
            };
            out.push(String::from_utf8_lossy(p).into_owned());
            rest = tail;
        }
        out
    }

    /// The packed bytes: the same paragraphs, the same bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.0
    }
}

impl std::fmt::Debug for Packed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Packed").field(&self.unpack()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_come_back_as_they_went_in() {
        for paragraphs in [
            vec![],
            vec![String::new()],
            vec![
                "One.".to_string(),
                String::new(),
                "Three, with ünïcode — and\ttabs.".into(),
            ],
            vec!["A long paragraph that repeats itself. ".repeat(200)],
        ] {
            assert_eq!(Packed::new(&paragraphs).unpack(), paragraphs);
        }
    }

    #[test]
    fn packing_is_deterministic_and_tells_texts_apart() {
        let a = Packed::new(&["Same text.", "Two paragraphs."]);
        assert_eq!(a, Packed::new(&["Same text.", "Two paragraphs."]));
        assert_eq!(
            a.bytes(),
            Packed::new(&["Same text.", "Two paragraphs."]).bytes()
        );
        // The same words cut into other paragraphs are another text.
        assert_ne!(a, Packed::new(&["Same text.Two paragraphs."]));
        assert_ne!(a, Packed::new(&["Same text.", "Two paragraphs!"]));
    }

    #[test]
    fn news_prose_packs_smaller() {
        let prose: Vec<String> = (0..8)
            .map(|i| {
                format!(
                    "The council said on Tuesday that the bridge over the river would reopen \
                     in spring, after repairs that cost the city {i} million and closed the \
                     main road for most of the year, officials told reporters."
                )
            })
            .collect();
        let raw: usize = prose.iter().map(String::len).sum();
        let packed = Packed::new(&prose);
        assert!(packed.bytes().len() < raw / 2);
        // Held for every article of a build: no room kept from the worst case it was made in.
        assert_eq!(packed.0.capacity(), packed.0.len());
    }

    #[test]
    fn bytes_that_are_not_a_packing_unpack_to_nothing() {
        assert!(Packed(vec![0xff; 3]).unpack().is_empty());
        assert!(Packed(Vec::new()).unpack().is_empty());
    }
}
