//! Related coverage: for each article, up to [`MAX_RELATED`] other articles about the same
//! thing, newest first.
//!
//! Each article is summarised by a signature: its [`SIGNATURE_TERMS`] heaviest terms by
//! TF-IDF over the corpus's articles (proper nouns weighted up, as in title matching), as a
//! unit vector. Two articles are related when the cosine of their signatures plus
//! [`TOPIC_WEIGHT`] per shared topic reaches [`MIN_SIMILARITY`]. Candidates come from an
//! inverted index over signature terms, so no pair of articles that shares nothing is ever
//! compared.

use super::matching::PROPER_NOUN_BOOST;
use super::terms::{Analysis, TermId, Vocabulary, idf};
use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;
use std::collections::HashSet;

pub const MAX_RELATED: usize = 5;
pub const SIGNATURE_TERMS: usize = 12;
pub const MIN_SIMILARITY: f64 = 0.2;
/// Text alone relates two articles only when they share this many signature terms: one
/// shared word is a coincidence.
pub const MIN_SHARED_TERMS: usize = 2;
/// Topics held by more than this share of all articles are too broad to relate anything.
pub const TOPIC_MAX_SHARE: f64 = 0.2;
/// Added to the similarity for each topic two articles share.
pub const TOPIC_WEIGHT: f64 = 0.15;
/// Signature terms shared by more articles than this say too little to index.
const POSTING_CAP: usize = 400;

/// An article as related-coverage sees it.
#[derive(Debug, Clone, Copy)]
pub struct Doc<'a> {
    /// The article, read once.
    pub text: &'a Analysis,
    /// Its topics (front-matter tags and extracted names), as indices into the digest's
    /// topic list.
    pub topics: &'a [usize],
}

/// `docs` in site order (newest first); returns, per doc, up to [`MAX_RELATED`] other doc
/// indices, newest first.
pub fn related(docs: &[Doc<'_>], proper: &HashSet<TermId>) -> Vec<Vec<usize>> {
    let mut vocab = Vocabulary::default();
    let counted: Vec<HashMap<u32, u32>> = docs
        .iter()
        .map(|d| {
            let mut tf: HashMap<u32, u32> = HashMap::default();
            for t in &d.text.terms {
                *tf.entry(vocab.id(t.id())).or_default() += 1;
            }
            tf
        })
        .collect();
    let mut df = vec![0usize; vocab.len()];
    for tf in &counted {
        for &t in tf.keys() {
            df[t as usize] += 1;
        }
    }
    let mut boost = vec![1.0; vocab.len()];
    for (s, &id) in vocab.entries() {
        if proper.contains(s) {
            boost[id as usize] = PROPER_NOUN_BOOST;
        }
    }
    let n = docs.len();
    let signatures: Vec<Vec<(u32, f64)>> = counted
        .par_iter()
        .map(|tf| {
            let mut v: Vec<(u32, f64)> = tf
                .iter()
                // A term only this article has cannot relate it to anything.
                .filter(|(t, _)| df[**t as usize] > 1)
                .map(|(&t, &c)| {
                    let w = (1.0 + (c as f64).ln()) * idf(n, df[t as usize]) * boost[t as usize];
                    (t, w)
                })
                .collect();
            v.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            v.truncate(SIGNATURE_TERMS);
            let norm = v.iter().map(|(_, w)| w * w).sum::<f64>().sqrt();
            if norm > 0.0 {
                for x in &mut v {
                    x.1 /= norm;
                }
            }
            v.sort_by_key(|x| x.0);
            v
        })
        .collect();
    let mut postings: HashMap<u32, Vec<(usize, f64)>> = HashMap::default();
    for (i, sig) in signatures.iter().enumerate() {
        for &(t, w) in sig {
            postings.entry(t).or_default().push((i, w));
        }
    }
    let mut topic_postings: HashMap<usize, Vec<usize>> = HashMap::default();
    for (i, d) in docs.iter().enumerate() {
        let mut seen = HashSet::new();
        for &t in d.topics {
            if seen.insert(t) {
                topic_postings.entry(t).or_default().push(i);
            }
        }
    }
    (0..n)
        .into_par_iter()
        .map(|i| {
            // (similarity, shared signature terms, shared topics)
            let mut score: HashMap<usize, (f64, usize, usize)> = HashMap::default();
            for &(t, w) in &signatures[i] {
                let Some(p) = postings.get(&t) else { continue };
                if p.len() > POSTING_CAP {
                    continue;
                }
                for &(j, wj) in p {
                    if j != i {
                        let s = score.entry(j).or_default();
                        s.0 += w * wj;
                        s.1 += 1;
                    }
                }
            }
            let mut seen = HashSet::new();
            for &t in docs[i].topics {
                if !seen.insert(t) {
                    continue;
                }
                let Some(p) = topic_postings.get(&t) else {
                    continue;
                };
                if p.len() > POSTING_CAP || p.len() as f64 > (n as f64 * TOPIC_MAX_SHARE).max(3.0) {
                    continue;
                }
                for &j in p {
                    if j != i {
                        let s = score.entry(j).or_default();
                        s.0 += TOPIC_WEIGHT;
                        s.2 += 1;
                    }
                }
            }
            let mut best: Vec<(usize, f64)> = score
                .into_iter()
                .filter(|&(_, (s, terms, topics))| {
                    s >= MIN_SIMILARITY && (terms >= MIN_SHARED_TERMS || topics > 0)
                })
                .map(|(j, (s, _, _))| (j, s))
                .collect();
            best.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            best.truncate(MAX_RELATED);
            let mut out: Vec<usize> = best.into_iter().map(|(j, _)| j).collect();
            // Site order is newest first.
            out.sort_unstable();
            out
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> crate::digest::terms::Analysis {
        crate::digest::terms::analyze(&[text.to_string()])
    }

    #[test]
    fn same_story_family_is_related_and_others_are_not() {
        let texts = [
            d(
                "Storm Elske brought gusts of 120 km/h to Port Aubrey, and ferries to Kell Island were cancelled.",
            ),
            d("The bakery on the quay sold rye bread to long queues on Tuesday."),
            d(
                "Insurers said Storm Elske caused damage of 310 million crowns after gusts hit Port Aubrey.",
            ),
            d("The council approved a contract for tram line 4 after long delays."),
            d(
                "Storm Elske cleanup: Kell Island ferries resume as crews clear Port Aubrey streets.",
            ),
        ];
        let docs: Vec<Doc> = texts
            .iter()
            .map(|p| Doc {
                text: p,
                topics: &[],
            })
            .collect();
        let proper: HashSet<TermId> = ["elsk", "aubrey", "kell"]
            .map(crate::digest::terms::term_id)
            .into();
        let r = related(&docs, &proper);
        assert_eq!(r[0], [2, 4]);
        assert_eq!(r[4], [0, 2]);
        assert!(r[1].is_empty());
        assert!(r[3].is_empty());
    }

    #[test]
    fn shared_topics_relate_articles() {
        let a = d("Alpha text about one thing entirely.");
        let b = d("Beta words concerning something else.");
        let one = vec![3usize];
        let two = vec![3usize, 7];
        let with = |t: &Vec<usize>| {
            related(
                &[
                    Doc {
                        text: &a,
                        topics: t,
                    },
                    Doc {
                        text: &b,
                        topics: t,
                    },
                ],
                &HashSet::new(),
            )
        };
        // One shared topic alone is below the bar; two are above it.
        assert!(with(&one)[0].is_empty());
        assert_eq!(with(&two)[0], [1]);
    }
}
