//! Reading: what the digest reads of one article's text on its own, before comparing it
//! with any other: its sketch ([`dedupe::Sketch`], for duplicates), its terms
//! ([`terms::analyze`], for title recovery, stories and related coverage) and its runs of
//! capitalised words ([`topics::Runs`], for topics). Each depends on the text alone, and
//! reading every text is a large share of a build, so whoever can remember them between
//! builds hands [`super::assemble_with`] a [`Memo`], which the digest
//! asks for each text instead of reading it; [`Fresh`] reads every text. The digest is the
//! same either way: a memo may only hand back what [`sketch`], [`terms`] and [`runs`] return
//! for the same paragraphs.
//!
//! The three are asked for apart, each when its phase needs it, so that none is held
//! through the phases between. Sketches are asked for every text, copies included (finding
//! the copies is what they are for); terms and runs only for the articles kept.

use super::{dedupe, topics};
use crate::ingest::lede;

/// The sketch of one text's lead paragraphs (after the digest's structure phases), by which
/// its copies are found.
pub fn sketch(lead: &[String]) -> Option<dedupe::Sketch> {
    dedupe::sketch(lead)
}

/// The terms of one article's lead paragraphs (after the digest's structure phases took its
/// headline list and its site's boilerplate out): of its cleaned lede and what follows.
pub fn terms(lead: &[String]) -> super::terms::Analysis {
    super::terms::analyze(&lede::clean(lead))
}

/// The runs of capitalised words of the same paragraphs.
pub fn runs(lead: &[String]) -> topics::Runs {
    topics::Runs::read(lead)
}

/// Where the digest gets the reading of a text.
pub trait Memo: Sync {
    /// What [`sketch`] returns for `lead`.
    fn sketch(&self, lead: &[String]) -> Option<dedupe::Sketch>;
    /// What [`terms`] returns for `lead`.
    fn terms(&self, lead: &[String]) -> super::terms::Analysis;
    /// What [`runs`] returns for `lead`.
    fn runs(&self, lead: &[String]) -> topics::Runs;
}

/// Reads every text afresh.
#[derive(Debug, Clone, Copy, Default)]
pub struct Fresh;

impl Memo for Fresh {
    fn sketch(&self, lead: &[String]) -> Option<dedupe::Sketch> {
        sketch(lead)
    }

    fn terms(&self, lead: &[String]) -> super::terms::Analysis {
        terms(lead)
    }

    fn runs(&self, lead: &[String]) -> topics::Runs {
        runs(lead)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reading_survives_its_record() {
        let lead = topics::tests::lead_with_names();
        let (s, t, r) = (sketch(&lead), terms(&lead), runs(&lead));
        assert!(s.as_ref().is_some_and(dedupe::Sketch::is_sound), "{s:?}");
        let s_back: Option<dedupe::Sketch> =
            postcard::from_bytes(&postcard::to_allocvec(&s).unwrap()).unwrap();
        assert_eq!(s_back, Fresh.sketch(&lead));
        assert!(t.terms.len() > 10, "{t:?}");
        assert_ne!(r, topics::Runs::default());
        let t_back: super::super::terms::Analysis =
            postcard::from_bytes(&postcard::to_allocvec(&t).unwrap()).unwrap();
        let r_back: topics::Runs =
            postcard::from_bytes(&postcard::to_allocvec(&r).unwrap()).unwrap();
        assert_eq!((t_back, r_back), (Fresh.terms(&lead), Fresh.runs(&lead)));
    }
}
