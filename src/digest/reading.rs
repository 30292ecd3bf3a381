//! Reading: what the digest reads of one article's text on its own, before comparing it
//! with any other: its terms ([`terms::analyze`], for title recovery, stories and related
//! coverage) and its runs of capitalised words ([`topics::Runs`], for topics). Both depend
//! on the text alone, and reading every text is a large share of a build, so whoever can
//! remember them between builds hands [`super::assemble_with`] a [`Memo`], which the digest
//! asks for each text instead of reading it; [`Fresh`] reads every text. The digest is the
//! same either way: a memo may only hand back what [`read`] returns for the same paragraphs.

use super::{terms, topics};
use crate::ingest::lede;

/// One article's text as the digest reads it.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TextReading {
    /// The terms of its cleaned lede and the sentences after it.
    pub terms: terms::Analysis,
    /// Its runs of capitalised words, paragraph by paragraph.
    pub runs: topics::Runs,
}

/// Reads the lead paragraphs of one article (after the digest's structure phases took its
/// headline list and its site's boilerplate out).
pub fn read(lead: &[String]) -> TextReading {
    TextReading {
        terms: terms::analyze(&lede::clean(lead)),
        runs: topics::Runs::read(lead),
    }
}

/// Where the digest gets the reading of a text.
pub trait Memo: Sync {
    /// What [`read`] returns for `lead`.
    fn read(&self, lead: &[String]) -> TextReading;
}

/// Reads every text afresh.
#[derive(Debug, Clone, Copy, Default)]
pub struct Fresh;

impl Memo for Fresh {
    fn read(&self, lead: &[String]) -> TextReading {
        read(lead)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lead(paragraphs: &[&str]) -> Vec<String> {
        paragraphs.iter().map(|p| p.to_string()).collect()
    }

    #[test]
    fn a_reading_survives_its_record_and_fits_only_its_own_text() {
        let text = lead(&[
            "LONDON (Reuters) - Bank of England Governor Andrew Bailey said on Thursday that \
             rates would stay high. “Inflation is falling,” Bailey told MPs.",
            "The U.S. Federal Reserve – and the European Central Bank – held rates too.",
        ]);
        let reading = read(&text);
        assert!(reading.terms.terms.len() > 10, "{reading:?}");
        let bytes = postcard::to_allocvec(&reading).unwrap();
        let back: TextReading = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(back, reading);
        assert_eq!(Fresh.read(&text), reading);
    }
}
