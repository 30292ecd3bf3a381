//! Signatures: each article summarised, once, as its [`SIGNATURE_TERMS`] heaviest terms by
//! TF-IDF over the corpus's articles (its title and the start of its text, see [`build`]) (proper nouns weighted up by
//! [`PROPER_NOUN_BOOST`](super::matching::PROPER_NOUN_BOOST), as in title matching), as a unit
//! vector. Stories and related coverage both compare articles by the cosine of their
//! signatures; they build their own inverted indexes over the terms, so no pair of articles
//! that shares nothing is ever compared.

use super::matching::PROPER_NOUN_BOOST;
use super::terms::{Analysis, Term as TermOf, TermId, Vocabulary, idf};
use rayon::prelude::*;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

/// Terms kept per article.
pub const SIGNATURE_TERMS: usize = 20;
/// How many times a title's terms count.
pub const TITLE_WEIGHT: u32 = 4;

/// A term of the corpus's vocabulary (dense numbering, see [`Vocabulary`]).
pub type Term = u32;

/// One article's signature: `(term, weight)` sorted by term, weights of unit length.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Signature(pub Vec<(Term, f64)>);

/// Every article's signature, and what the corpus says of each term.
#[derive(Debug, Clone, Default)]
pub struct Signatures {
    pub of: Vec<Signature>,
    /// Per term: whether the corpus writes it as a proper noun (a name).
    pub proper: Vec<bool>,
}

impl Signature {
    /// The cosine of two signatures (both unit vectors).
    pub fn cosine(&self, other: &Signature) -> f64 {
        let (mut i, mut j, mut sum) = (0, 0, 0.0);
        let (a, b) = (&self.0, &other.0);
        while i < a.len() && j < b.len() {
            match a[i].0.cmp(&b[j].0) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    sum += a[i].1 * b[j].1;
                    i += 1;
                    j += 1;
                }
            }
        }
        sum
    }

    /// The terms both signatures hold.
    pub fn shared<'a>(&'a self, other: &'a Signature) -> impl Iterator<Item = Term> + 'a {
        let mut j = 0;
        let b = &other.0;
        self.0.iter().filter_map(move |&(t, _)| {
            while j < b.len() && b[j].0 < t {
                j += 1;
            }
            (j < b.len() && b[j].0 == t).then_some(t)
        })
    }

    /// The normalised sum of several signatures, cut to its [`SIGNATURE_TERMS`] heaviest
    /// terms: what a group of articles has in common.
    pub fn centroid<'a>(members: impl IntoIterator<Item = &'a Signature>) -> Signature {
        let mut sum: HashMap<Term, f64> = HashMap::default();
        for s in members {
            for &(t, w) in &s.0 {
                *sum.entry(t).or_default() += w;
            }
        }
        unit(sum.into_iter().collect())
    }
}

/// Reads every article's signature. `titles[i]` are the terms of article `i`'s title (may be
/// shorter than `texts`); `proper` lists the stems the corpus writes as names.
///
/// An article's terms are those of its lead ([`Analysis::lead`], its first 150 words), with
/// those of its lede counted once more and those of its title [`TITLE_WEIGHT`] times: the
/// first lines and the headline say which event a report is about, where the rest of the
/// text carries background that every report of a long affair shares.
///
/// `texts` are consumed: each analysis is dropped as soon as its terms are counted, so a
/// corpus's term vectors and its counts are never held at once.
pub fn build(texts: Vec<Analysis>, titles: &[Vec<TermOf>], proper: &HashSet<TermId>) -> Signatures {
    let mut vocab = Vocabulary::default();
    let counted: Vec<Vec<(Term, u32)>> = texts
        .into_iter()
        .enumerate()
        .map(|(i, a)| {
            let title = titles.get(i).map_or(&[][..], |t| &t[..]);
            let weighted = a.terms[..a.lead]
                .iter()
                .map(|t| (t, 1))
                .chain(a.terms[..a.lede].iter().map(|t| (t, 1)))
                .chain(title.iter().map(|t| (t, TITLE_WEIGHT)));
            let tf: Vec<(Term, u32)> = weighted.map(|(t, w)| (vocab.id(t.id()), w)).collect();
            term_counts(tf)
        })
        .collect();
    let mut df = vec![0usize; vocab.len()];
    for tf in &counted {
        for &(t, _) in tf {
            df[t as usize] += 1;
        }
    }
    let mut is_proper = vec![false; vocab.len()];
    for (s, &id) in vocab.entries() {
        is_proper[id as usize] = proper.contains(s);
    }
    let n = counted.len();
    let of = counted
        .par_iter()
        .map(|tf| {
            let v: Vec<(Term, f64)> = tf
                .iter()
                // A term only this article has cannot relate it to anything.
                .filter(|&&(t, _)| df[t as usize] > 1)
                .map(|&(t, c)| {
                    let boost = if is_proper[t as usize] {
                        PROPER_NOUN_BOOST
                    } else {
                        1.0
                    };
                    (t, (1.0 + (c as f64).ln()) * idf(n, df[t as usize]) * boost)
                })
                .collect();
            unit(v)
        })
        .collect();
    Signatures {
        of,
        proper: is_proper,
    }
}

/// Each term of `tf` once, with the sum of its weights, by term. A sorted vector, not a map:
/// it is held for every article of the corpus while the document frequencies are counted, and
/// at exactly its length it takes a third of a map's room.
fn term_counts(mut tf: Vec<(Term, u32)>) -> Vec<(Term, u32)> {
    tf.sort_unstable_by_key(|&(t, _)| t);
    tf.dedup_by(|later, kept| {
        let same = later.0 == kept.0;
        if same {
            kept.1 += later.1;
        }
        same
    });
    crate::held::at_length(tf)
}

/// The heaviest [`SIGNATURE_TERMS`] of `v` (ties by term), scaled to unit length, by term.
fn unit(mut v: Vec<(Term, f64)>) -> Signature {
    v.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    v.truncate(SIGNATURE_TERMS);
    // Held for every article until related coverage: without this each kept the capacity of
    // all its terms (a sixth of assemble's heap during topics, at 10,000 dumps).
    let mut v = crate::held::at_length(v);
    let norm = v.iter().map(|(_, w)| w * w).sum::<f64>().sqrt();
    if norm > 0.0 {
        for x in &mut v {
            x.1 /= norm;
        }
    }
    v.sort_by_key(|x| x.0);
    Signature(v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::digest::terms::{analyze, term_id};

    fn sigs(texts: &[&str], proper: &[&str]) -> Signatures {
        let a: Vec<Analysis> = texts.iter().map(|t| analyze(&[t.to_string()])).collect();
        build(a, &[], &proper.iter().map(|s| term_id(s)).collect())
    }

    #[test]
    fn term_counts_sum_each_term_once_in_order_at_their_length() {
        let counts = term_counts(vec![(7, 1), (3, 4), (7, 1), (5, 1), (3, 1), (7, 4)]);
        assert_eq!(counts, vec![(3, 5), (5, 1), (7, 6)]);
        assert_eq!(counts.capacity(), counts.len());
        assert_eq!(term_counts(Vec::new()), Vec::new());
    }

    #[test]
    fn shared_words_make_a_cosine_and_unique_words_do_not_count() {
        let s = sigs(
            &[
                "Storm Elske hit Port Aubrey with gusts.",
                "Storm Elske left Port Aubrey dark.",
                "The bakery sold rye bread.",
            ],
            &["elsk", "aubrey"],
        );
        let c = s.of[0].cosine(&s.of[1]);
        assert!(c > 0.5, "{c}");
        assert_eq!(s.of[0].cosine(&s.of[2]), 0.0);
        // Words only one article has are left out of its signature.
        assert!(s.of[2].0.is_empty());
        let norm: f64 = s.of[0].0.iter().map(|x| x.1 * x.1).sum();
        assert!((norm - 1.0).abs() < 1e-9);
        assert_eq!(s.of[0].shared(&s.of[1]).count(), 4);
    }

    #[test]
    fn names_weigh_more_than_words_and_are_marked() {
        let s = sigs(&["Elske hit harbour.", "Elske hit harbour too."], &["elsk"]);
        let w = |sig: &Signature, t: Term| sig.0.iter().find(|x| x.0 == t).map(|x| x.1);
        let proper: Vec<Term> = (0..s.proper.len() as Term)
            .filter(|&t| s.proper[t as usize])
            .collect();
        assert_eq!(proper.len(), 1);
        let name = proper[0];
        let other = s.of[0].0.iter().find(|x| x.0 != name).map(|x| x.0);
        assert!(w(&s.of[0], name) > other.and_then(|t| w(&s.of[0], t)));
    }

    #[test]
    fn centroid_keeps_what_members_share() {
        let s = sigs(
            &[
                "Storm Elske hit Port Aubrey.",
                "Storm Elske left Port Aubrey dark.",
                "Storm Elske ferries cancelled.",
                "Ferries cancelled dark.",
            ],
            &[],
        );
        let c = Signature::centroid(&s.of[..3]);
        assert!(c.cosine(&s.of[0]) > c.cosine(&s.of[3]));
    }
}
