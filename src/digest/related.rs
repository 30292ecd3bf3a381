//! Related coverage: for each article, up to [`MAX_RELATED`] other articles about the same or
//! a connected story, newest first, each with the reason it is there ([`Why`]).
//!
//! Every other article of its story comes first ("same story"), then the articles of its
//! storyline ("same developing story"); then articles whose [signatures](super::signature)
//! are close: "also about Brexit" when Brexit is the main topic of both (the first of each
//! one's topics, [`MAIN_TOPICS`]), the cosine of their signatures is at least
//! [`TOPIC_MIN_TEXT`] and, with [`TOPIC_WEIGHT`] per topic they share (topics held by more
//! than [`TOPIC_MAX_SHARE`] of all articles are too broad to count), reaches
//! [`MIN_SIMILARITY`]; else "close in text" when the cosine alone reaches
//! [`MIN_TEXT_SIMILARITY`] with [`MIN_SHARED_TERMS`] shared terms. A topic that is only
//! mentioned (a country, a minister quoted) relates nothing: on real news such links were
//! wrong more often than right. Headline lists play no part: two articles in one site's list are not
//! related by it. Candidates come from an inverted index over signature terms and topics, so
//! no pair of articles that shares nothing is ever compared.

use super::signature::Signature;
use super::stories::StoryId;
use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;
use std::collections::HashSet;

pub const MAX_RELATED: usize = 5;
pub const MIN_SIMILARITY: f64 = 0.25;
/// Text alone relates two articles at this cosine.
pub const MIN_TEXT_SIMILARITY: f64 = 0.35;
/// Text alone relates two articles only when they share this many signature terms: one
/// shared word is a coincidence.
pub const MIN_SHARED_TERMS: usize = 3;
/// Topics held by more than this share of all articles are too broad to relate anything.
pub const TOPIC_MAX_SHARE: f64 = 0.2;
/// Added to the similarity for each topic two articles share.
pub const TOPIC_WEIGHT: f64 = 0.15;
/// A topic says why two articles are related only when it is among the first
/// [`MAIN_TOPICS`] of both (what each is mainly about, not a place it mentions) and their
/// texts are this close too.
pub const TOPIC_MIN_TEXT: f64 = 0.3;
pub const MAIN_TOPICS: usize = 1;
/// Signature terms or topics shared by more articles than this say too little to index.
const POSTING_CAP: usize = 400;
/// Ranks the story's and the storyline's own articles ahead of anything text finds.
const STORY_BONUS: f64 = 10.0;
const STORYLINE_BONUS: f64 = 5.0;

/// Why an article is related.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    /// It covers the same story.
    SameStory,
    /// It belongs to the same developing story.
    Storyline,
    /// It is also about this topic (an index into the digest's topics).
    Topic(usize),
    /// Its text is close.
    Text,
}

/// One related article (an index into the digest's articles) and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Related {
    pub article: usize,
    pub why: Why,
}

/// An article as related coverage sees it.
#[derive(Debug, Clone, Copy)]
pub struct Doc<'a> {
    pub signature: &'a Signature,
    /// Its topics (front-matter tags and extracted names), main topic first, as indices
    /// into the digest's topic list.
    pub topics: &'a [usize],
    pub story: StoryId,
    pub storyline: Option<usize>,
}

/// `docs` in site order (newest first); `members[s]` lists story `s`'s articles and
/// `lines[l]` storyline `l`'s. Returns, per doc, up to [`MAX_RELATED`] others, newest first.
pub fn related(docs: &[Doc<'_>], members: &[&[usize]], lines: &[&[usize]]) -> Vec<Vec<Related>> {
    let n = docs.len();
    let mut postings: HashMap<u32, Vec<(usize, f64)>> = HashMap::default();
    for (i, d) in docs.iter().enumerate() {
        for &(t, w) in &d.signature.0 {
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
    let topic_cap = (POSTING_CAP as f64).min((n as f64 * TOPIC_MAX_SHARE).max(3.0));
    (0..n)
        .into_par_iter()
        .map_init(
            || Scores::new(n),
            |score, i| {
                for &(t, w) in &docs[i].signature.0 {
                    let Some(p) = postings.get(&t) else { continue };
                    if p.len() > POSTING_CAP {
                        continue;
                    }
                    for &(j, wj) in p {
                        if j != i {
                            let s = score.entry(j);
                            s.0 += w * wj;
                            s.1 += 1;
                        }
                    }
                }
                let main =
                    |d: &Doc<'_>, t: usize| d.topics.iter().take(MAIN_TOPICS).any(|&x| x == t);
                let mut seen = HashSet::new();
                for &t in docs[i].topics {
                    if !seen.insert(t) {
                        continue;
                    }
                    let Some(p) = topic_postings.get(&t) else {
                        continue;
                    };
                    if p.len() as f64 > topic_cap {
                        continue;
                    }
                    for &j in p {
                        if j != i {
                            let s = score.entry(j);
                            s.2 += 1;
                            if main(&docs[i], t) && main(&docs[j], t) {
                                s.3.get_or_insert(t);
                            }
                        }
                    }
                }
                let mut best: Vec<(usize, f64, Why)> = Vec::new();
                score.drain(|j, (text, terms, topics, main_topic)| {
                    let s = text + TOPIC_WEIGHT * topics as f64;
                    let why = match main_topic {
                        Some(t) if text >= TOPIC_MIN_TEXT && s >= MIN_SIMILARITY => Why::Topic(t),
                        _ if text >= MIN_TEXT_SIMILARITY && terms >= MIN_SHARED_TERMS => Why::Text,
                        _ => return,
                    };
                    best.push((j, s, why));
                });
                let own = members[docs[i].story.index()];
                let line = docs[i].storyline.map_or(&[][..], |l| lines[l]);
                best.retain(|(j, _, _)| !own.contains(j) && !line.contains(j));
                best.extend(
                    own.iter()
                        .filter(|&&j| j != i)
                        .map(|&j| (j, STORY_BONUS, Why::SameStory)),
                );
                best.extend(
                    line.iter()
                        .filter(|&&j| j != i && !own.contains(&j))
                        .map(|&j| (j, STORYLINE_BONUS - distance(i, j), Why::Storyline)),
                );
                best.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
                best.truncate(MAX_RELATED);
                // Site order is newest first.
                best.sort_unstable_by_key(|x| x.0);
                best.into_iter()
                    .map(|(article, _, why)| Related { article, why })
                    .collect()
            },
        )
        .collect()
}

/// What one article shares with another: (text cosine, shared signature terms, shared
/// topics, first shared main topic).
type Score = (f64, usize, usize, Option<usize>);

/// One article's scores against every article it shares something with: a dense
/// per-thread array (a hash map per article cost more than the scoring), with the list of
/// articles touched so that reading and resetting it costs only what was added.
struct Scores {
    of: Vec<Score>,
    seen: Vec<bool>,
    touched: Vec<usize>,
}

impl Scores {
    fn new(n: usize) -> Self {
        Scores {
            of: vec![Score::default(); n],
            seen: vec![false; n],
            touched: Vec::new(),
        }
    }

    fn entry(&mut self, j: usize) -> &mut Score {
        if !self.seen[j] {
            self.seen[j] = true;
            self.touched.push(j);
        }
        &mut self.of[j]
    }

    /// Hands every touched article's score to `f`, leaving the arrays cleared.
    fn drain(&mut self, mut f: impl FnMut(usize, Score)) {
        for &j in &self.touched {
            self.seen[j] = false;
            f(j, std::mem::take(&mut self.of[j]));
        }
        self.touched.clear();
    }
}

/// A small penalty that prefers a storyline's articles nearest in the digest's order (by
/// day): at most 1.
fn distance(i: usize, j: usize) -> f64 {
    let d = i.abs_diff(j) as f64;
    d / (d + 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::digest::signature;
    use crate::digest::terms::{Analysis, analyze, term_id};

    fn sigs(texts: &[&str], proper: &[&str]) -> Vec<Signature> {
        let a: Vec<Analysis> = texts.iter().map(|t| analyze(&[t.to_string()])).collect();
        signature::build(a, &[], &proper.iter().map(|s| term_id(s)).collect()).of
    }

    fn docs<'a>(s: &'a [Signature], topics: &'a [Vec<usize>]) -> Vec<Doc<'a>> {
        s.iter()
            .zip(topics)
            .enumerate()
            .map(|(i, (sig, t))| Doc {
                signature: sig,
                topics: t,
                story: StoryId::new(i),
                storyline: None,
            })
            .collect()
    }

    fn alone(n: usize) -> Vec<Vec<usize>> {
        (0..n).map(|i| vec![i]).collect()
    }

    fn run(d: &[Doc<'_>], members: &[Vec<usize>], lines: &[Vec<usize>]) -> Vec<Vec<Related>> {
        let m: Vec<&[usize]> = members.iter().map(Vec::as_slice).collect();
        let l: Vec<&[usize]> = lines.iter().map(Vec::as_slice).collect();
        related(d, &m, &l)
    }

    #[test]
    fn close_text_is_related_and_others_are_not() {
        let s = sigs(
            &[
                "Storm Elske brought gusts of 120 km/h to Port Aubrey, and ferries to Kell Island were cancelled.",
                "The bakery on the quay sold rye bread to long queues on Tuesday.",
                "Insurers said Storm Elske caused damage of 310 million crowns after gusts hit Port Aubrey and Kell Island.",
                "The council approved a contract for tram line 4 after long delays.",
                "Storm Elske cleanup: Kell Island ferries resume as crews clear Port Aubrey streets after gusts.",
            ],
            &["elsk", "aubrey", "kell"],
        );
        let topics = vec![Vec::new(); 5];
        let r = run(&docs(&s, &topics), &alone(5), &[]);
        let arts = |i: usize| r[i].iter().map(|x| x.article).collect::<Vec<_>>();
        assert_eq!(arts(0), [2, 4]);
        assert_eq!(arts(4), [0, 2]);
        assert!(r[0].iter().all(|x| x.why == Why::Text));
        assert!(r[1].is_empty());
        assert!(r[3].is_empty());
    }

    #[test]
    fn a_main_topic_says_why_only_with_close_text_and_a_mention_never_does() {
        let s = sigs(
            &[
                "Ministers met in Brussels on Brexit talks and the exit bill.",
                "Brexit talks in Brussels stalled on the exit bill, ministers said.",
                "A bakery opened a second shop selling rye bread.",
            ],
            &["brussel", "brexit"],
        );
        let run_with = |topics: Vec<Vec<usize>>| run(&docs(&s, &topics), &alone(3), &[]);
        // Brexit (7) is the main topic of the first two, and their texts are close.
        let r = run_with(vec![vec![7], vec![7, 3], vec![7]]);
        assert_eq!(
            r[0],
            [Related {
                article: 1,
                why: Why::Topic(7)
            }]
        );
        // The bakery shares the topic but not the text: not related.
        assert!(r[2].is_empty());
        // A topic only mentioned by the second (not its main one) gives no reason: the
        // text alone is judged.
        let r = run_with(vec![vec![7], vec![3, 7], vec![]]);
        assert!(r[0].iter().all(|x| x.why != Why::Topic(7)), "{r:?}");
    }

    #[test]
    fn the_story_and_its_storyline_come_first_whatever_the_text() {
        let s = sigs(&["One.", "Two.", "Three.", "Four."], &[]);
        let topics = vec![Vec::new(); 4];
        let mut d = docs(&s, &topics);
        // Articles 0 and 2 are one story; story 0's storyline also holds article 3.
        d[2].story = StoryId::new(0);
        d[0].storyline = Some(0);
        d[2].storyline = Some(0);
        d[3].storyline = Some(0);
        let members = vec![vec![0, 2], vec![1], vec![], vec![3]];
        let r = run(&d, &members, &[vec![0, 2, 3]]);
        assert_eq!(
            r[0],
            [
                Related {
                    article: 2,
                    why: Why::SameStory
                },
                Related {
                    article: 3,
                    why: Why::Storyline
                }
            ]
        );
        assert!(r[1].is_empty());
    }
}
