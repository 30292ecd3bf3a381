//! Headline matching: which headline of the corpus's headline lists names an article that has
//! no title of its own. Every distinct headline is indexed once (an inverted index from term
//! to headlines); each untitled article's lead is scored against the headlines that share a
//! term with it, so the work grows with the corpus, never with its square.
//!
//! The score of headline `h` for lead `L` is the weighted share of the headline's terms that
//! the lead contains: `Σ w(t) for t in h ∩ L  /  Σ w(t) for t in h`, where `w(t)` is the term's
//! BM25 inverse document frequency over all distinct headlines, times [`PROPER_NOUN_BOOST`]
//! when the corpus's leads write the term capitalised mid-sentence (a proper noun). A
//! headline wins only when it is a clear winner: score at least [`MIN_SCORE`], at least
//! [`MIN_SHARED_TERMS`] terms shared, and ahead of the best other headline by [`MIN_MARGIN`].
//! Rewordings of the winner (term-set Jaccard at least [`VARIANT_JACCARD`]) are not rivals:
//! they name the same story, and they link to the article too.
//!
//! A headline in the article's own list is never its title: that list is the site's *other*
//! headlines. A headline that is already another article's title names that article.
//!
//! A headline can name an article only if a list of the article's own site carried it within
//! [`Window`] days of the article's day: a site's lists show its *neighbours*, never another
//! site's articles or last month's. And each headline names at most one article: the pairs
//! of all articles are taken best score first, one article and one headline each
//! ([`recover`]), so a headline goes to the article it fits best, not to whichever asked first.

use super::terms::{self, Analysis, TermId, Vocabulary, idf};
use rayon::prelude::*;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

/// Lowest weighted share of a headline's terms the lead must contain.
pub const MIN_SCORE: f64 = 0.55;
/// How far the winner must lead the best headline that is not a rewording of it.
pub const MIN_MARGIN: f64 = 0.15;
/// A headline must share at least this many terms with the lead.
pub const MIN_SHARED_TERMS: usize = 2;
/// Weight multiplier for proper nouns.
pub const PROPER_NOUN_BOOST: f64 = 1.5;
/// Two headlines whose term sets overlap this much (Jaccard) are rewordings of one story.
pub const VARIANT_JACCARD: f64 = 0.75;
/// Terms found only after the lede count this much: a headline summarises the top of its
/// story. The lead is the first [`terms::LEAD_WORDS`] words, the lede its first sentence (and
/// the next when the first is under [`terms::LEDE_MIN_WORDS`] words).
pub const LATER_FACTOR: f64 = 0.5;
/// The longest posting list candidate generation reads.
const MAX_POSTINGS: usize = 1000;
/// Candidates rescored exactly per article after the inverted-index pass.
const CANDIDATES: usize = 24;
/// The format's own evidence: a site's lists show its *other* articles, so an article's title
/// is absent from its own list and present in the lists of its neighbours (same site, lists
/// that overlap its own). A headline that at least this share of the neighbours' lists carry
/// and the article's does not may name it with a weaker text match ([`EXPECTED_MIN_SCORE`]).
pub const EXPECTED_MIN_SUPPORT: f64 = 0.5;
/// The text score a headline expected by the lists still needs.
pub const EXPECTED_MIN_SCORE: f64 = 0.15;
/// How much the lists' expectation adds to a pair's weight in the assignment.
pub const EXPECTED_WEIGHT: f64 = 0.5;
/// Neighbours read per article for the expectation.
const MAX_NEIGHBOURS: usize = 64;

thread_local! {
    /// Per-headline score accumulator and the headlines it holds scores for.
    static SCRATCH: std::cell::RefCell<(Vec<f64>, Vec<u32>)> =
        const { std::cell::RefCell::new((Vec::new(), Vec::new())) };
    /// Which headlines were carried near the (site, day) of the last query on this thread.
    static NEAR: std::cell::RefCell<Near> = std::cell::RefCell::new(Near::default());
}

/// The headlines carried near one (site, day): `stamp[h] == id` marks them. A new (site, day)
/// takes a new id, so nothing is ever cleared.
#[derive(Default)]
struct Near {
    stamp: Vec<u32>,
    id: u32,
    /// The index ([`HeadlineIndex::serial`]) and (site, day) the marks are for.
    of: Option<(u64, u32, i32)>,
}

/// Where and when a list carried a headline: the list's site (`None` when unknown) and day.
pub type Carrier = (Option<usize>, crate::model::Day);

/// How many days before or after an article's day a list may carry its title.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window(pub u32);

impl Default for Window {
    fn default() -> Self {
        Window(3)
    }
}

/// An article as the matcher sees it.
#[derive(Debug, Clone)]
pub struct Query<'a> {
    /// The article, read once.
    pub text: &'a Analysis,
    /// The article's site (`None`: any site's lists may name it).
    pub site: Option<usize>,
    pub day: crate::model::Day,
    /// Headlines (indices into the keys, sorted) this article must not take: its own lists'.
    /// Indices rather than keys: a corpus's queries block a few dozen headlines each.
    pub blocked: Vec<u32>,
    /// Whether to look for a title at all.
    pub recover: bool,
    /// Headlines (indices) the neighbours' lists lead to expect as this article's title,
    /// with the share of neighbours carrying each (see [`expected_titles`]).
    pub expected: Vec<(usize, f64)>,
}

/// One headline that may name an article.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Candidate {
    pub headline: usize,
    /// Weighted share of the headline's terms in the lead.
    pub score: f64,
    /// Share of the neighbours' lists carrying it (0 when not expected).
    pub support: f64,
}

impl Candidate {
    fn qualifies(&self) -> bool {
        self.score >= MIN_SCORE
            || (self.support >= EXPECTED_MIN_SUPPORT && self.score >= EXPECTED_MIN_SCORE)
    }
    fn weight(&self) -> f64 {
        self.score + EXPECTED_WEIGHT * self.support
    }
}

/// For each dump, the headlines its neighbours' lists carry and its own does not, with the
/// share of neighbours carrying each. `lists[i]` holds dump `i`'s headline indices and
/// `site[i]` its site; neighbours are dumps of the same site whose lists share at least a
/// quarter of the shorter list (at most [`MAX_NEIGHBOURS`], nearest in index first).
pub fn expected_titles(lists: &[Vec<usize>], site: &[Option<usize>]) -> Vec<Vec<(usize, f64)>> {
    let mut carriers: HashMap<usize, Vec<u32>> = HashMap::default();
    for (i, l) in lists.iter().enumerate() {
        for &h in l {
            carriers.entry(h).or_default().push(i as u32);
        }
    }
    (0..lists.len())
        .into_par_iter()
        .map(|i| {
            let own = &lists[i];
            if own.is_empty() || site[i].is_none() {
                return Vec::new();
            }
            let mut shared: HashMap<u32, usize> = HashMap::default();
            for h in own {
                for &j in carriers.get(h).map_or(&[][..], |c| &c[..]) {
                    if j as usize != i && site[j as usize] == site[i] {
                        *shared.entry(j).or_default() += 1;
                    }
                }
            }
            let mut neighbours: Vec<u32> = shared
                .into_iter()
                .filter(|&(j, n)| n * 4 >= own.len().min(lists[j as usize].len()))
                .map(|(j, _)| j)
                .collect();
            neighbours.sort_by_key(|&j| (j as usize).abs_diff(i));
            neighbours.truncate(MAX_NEIGHBOURS);
            if neighbours.is_empty() {
                return Vec::new();
            }
            let mut count: HashMap<usize, usize> = HashMap::default();
            for &j in &neighbours {
                for &h in &lists[j as usize] {
                    if !own.contains(&h) {
                        *count.entry(h).or_default() += 1;
                    }
                }
            }
            let n = neighbours.len() as f64;
            let mut out: Vec<(usize, f64)> = count
                .into_iter()
                .map(|(h, c)| (h, c as f64 / n))
                .filter(|&(_, s)| s >= EXPECTED_MIN_SUPPORT)
                .collect();
            out.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            out
        })
        .collect()
}

/// A clear winner for one article.
#[derive(Debug, Clone, PartialEq)]
pub struct Recovered {
    /// Index into the headline slice given to [`recover`].
    pub headline: usize,
    pub score: f64,
    /// Score of the best rival that is not a rewording (0 when there is none).
    pub runner_up: f64,
    /// Rewordings of the winner that also clear [`MIN_SCORE`]; they link to the article too.
    pub variants: Vec<usize>,
}

/// The index of every distinct headline, built once.
pub struct HeadlineIndex<'a> {
    keys: &'a [String],
    terms: Vec<Vec<u32>>,
    total: Vec<f64>,
    weight: Vec<f64>,
    postings: Vec<Vec<u32>>,
    vocab: Vocabulary,
    posting_cap: usize,
    /// Per headline: (site or [`NO_SITE`], day number) of the lists that carried it, sorted,
    /// so a site's days near a day are one binary search away.
    carriers: Vec<Vec<(u32, i32)>>,
    /// Per headline: the days of its carriers, sorted and distinct (for articles of no site).
    carrier_days: Vec<Vec<i32>>,
    /// The headlines each (site or [`NO_SITE`], day) carried, and each day (any site): the
    /// headlines near a query's day are read from these, never by testing every headline
    /// its terms touch.
    by_site_day: HashMap<(u32, i32), Vec<u32>>,
    by_day: HashMap<i32, Vec<u32>>,
    /// The first and last day any list carried a headline on.
    all_days: (i32, i32),
    /// Unique per index built in this process, so a thread's marks ([`Near`]) are never
    /// taken for another index's.
    serial: u64,
    /// Per headline: the first and last day of its carriers, so that the headlines of other
    /// weeks, most of those an article's terms touch, are ruled out without reading them.
    day_span: Vec<(i32, i32)>,
    window: Window,
}

/// The next [`HeadlineIndex::serial`].
static NEXT_SERIAL: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// The site of a list whose site is unknown.
const NO_SITE: u32 = u32::MAX;

fn day_number(d: crate::model::Day) -> i32 {
    d.number()
}

impl<'a> HeadlineIndex<'a> {
    /// `texts[i]` is the display text of the headline whose normalised key is `keys[i]`.
    /// `proper` lists the stems the corpus's leads write as proper nouns.
    /// `carriers[i]` says where and when lists carried headline `i`.
    pub fn new(
        texts: &[String],
        keys: &'a [String],
        carriers: &'a [Vec<Carrier>],
        window: Window,
        proper: &HashSet<TermId>,
    ) -> Self {
        let mut vocab = Vocabulary::default();
        let mut terms_of: Vec<Vec<u32>> = Vec::with_capacity(texts.len());
        let mut df: Vec<usize> = Vec::new();
        for t in texts {
            let mut ids: Vec<u32> = terms::ids(t).into_iter().map(|s| vocab.id(s)).collect();
            ids.sort_unstable();
            ids.dedup();
            for &id in &ids {
                if df.len() <= id as usize {
                    df.resize(id as usize + 1, 0);
                }
                df[id as usize] += 1;
            }
            terms_of.push(ids);
        }
        let n = texts.len();
        let mut weight: Vec<f64> = df.iter().map(|&d| idf(n, d)).collect();
        for (stem, &id) in vocab.entries() {
            if proper.contains(stem) {
                weight[id as usize] *= PROPER_NOUN_BOOST;
            }
        }
        let mut postings: Vec<Vec<u32>> = vec![Vec::new(); df.len()];
        for (h, ids) in terms_of.iter().enumerate() {
            for &id in ids {
                postings[id as usize].push(h as u32);
            }
        }
        let total = terms_of
            .iter()
            .map(|ids| ids.iter().map(|&id| weight[id as usize]).sum())
            .collect();
        let carriers: Vec<Vec<(u32, i32)>> = carriers
            .iter()
            .map(|c| {
                let mut c: Vec<(u32, i32)> = c
                    .iter()
                    .map(|&(site, day)| (site.map_or(NO_SITE, |s| s as u32), day_number(day)))
                    .collect();
                c.sort_unstable();
                c
            })
            .collect();
        let carrier_days: Vec<Vec<i32>> = carriers
            .iter()
            .map(|c| {
                let mut days: Vec<i32> = c.iter().map(|&(_, d)| d).collect();
                days.sort_unstable();
                days.dedup();
                days
            })
            .collect();
        let mut by_site_day: HashMap<(u32, i32), Vec<u32>> = HashMap::default();
        let mut by_day: HashMap<i32, Vec<u32>> = HashMap::default();
        for (h, c) in carriers.iter().enumerate() {
            for &key in c {
                by_site_day.entry(key).or_default().push(h as u32);
            }
            for &d in &carrier_days[h] {
                by_day.entry(d).or_default().push(h as u32);
            }
        }
        let day_span = carriers
            .iter()
            .map(|c| {
                c.iter().fold((i32::MAX, i32::MIN), |(lo, hi), &(_, d)| {
                    (lo.min(d), hi.max(d))
                })
            })
            .collect();
        let all_days = (
            by_day.keys().copied().min().unwrap_or(0),
            by_day.keys().copied().max().unwrap_or(-1),
        );
        HeadlineIndex {
            keys,
            terms: terms_of,
            total,
            weight,
            postings,
            vocab,
            // Terms carried by many headlines add little weight; skipping their long posting
            // lists keeps candidate generation linear: a share of the corpus (the tenth it
            // once was) made each article's work grow with the corpus, so 100,000 dumps took
            // 24 times as long as 10,000. Candidates are then rescored exactly, common terms
            // included.
            posting_cap: (n / 10).clamp(256, MAX_POSTINGS),
            carriers,
            carrier_days,
            by_site_day,
            by_day,
            all_days,
            serial: NEXT_SERIAL.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            day_span,
            window,
        }
    }

    /// Whether a list of the query's site carried headline `h` near the query's day.
    fn carried_near(&self, h: usize, site: u32, day: i32) -> bool {
        let Some(c) = self.carriers.get(h) else {
            return true;
        };
        let window = self.window.0 as i32;
        // No carrier within the window when the article's day is outside the carriers' span
        // widened by it (an empty list's span is empty: never near, as below).
        let (first, last) = self.day_span[h];
        if day < first.saturating_sub(window) || day > last.saturating_add(window) {
            return false;
        }
        let (lo, hi) = (day.saturating_sub(window), day.saturating_add(window));
        if site == NO_SITE {
            return any_in(&self.carrier_days[h], lo, hi);
        }
        // Carriers are sorted by (site, day): the query's site's days, then unknown sites'.
        let from = |s: u32| c.partition_point(|&x| x < (s, lo));
        [site, NO_SITE]
            .iter()
            .any(|&s| c.get(from(s)).is_some_and(|&(cs, cd)| cs == s && cd <= hi))
    }

    /// Marks in `near` the headlines [`Self::carried_near`] accepts for (`site`, `day`), from
    /// the lists of the days in the window; headlines without carriers are marked by
    /// [`Self::is_near`].
    fn mark_near(&self, near: &mut Near, site: u32, day: i32) {
        let me = self.serial;
        if near.of == Some((me, site, day)) {
            return;
        }
        if near.stamp.len() < self.keys.len() || near.id == u32::MAX {
            near.stamp = vec![0; self.keys.len()];
            near.id = 0;
        }
        near.id += 1;
        near.of = Some((me, site, day));
        let window = self.window.0 as i32;
        let mut mark = |list: Option<&Vec<u32>>| {
            for &h in list.map_or(&[][..], |l| &l[..]) {
                near.stamp[h as usize] = near.id;
            }
        };
        // Only days some list carried anything on (a wide window costs no more than the corpus).
        let (first, last) = self.all_days;
        for d in day.saturating_sub(window).max(first)..=day.saturating_add(window).min(last) {
            if site == NO_SITE {
                mark(self.by_day.get(&d));
            } else {
                mark(self.by_site_day.get(&(site, d)));
                mark(self.by_site_day.get(&(NO_SITE, d)));
            }
        }
    }

    /// [`Self::carried_near`] of headline `h` for the (site, day) last given to
    /// [`Self::mark_near`].
    fn is_near(&self, near: &Near, h: usize) -> bool {
        h >= self.carriers.len() || near.stamp[h] == near.id
    }

    /// The headlines that may name one article, best first: each clears [`MIN_SCORE`] and
    /// shares [`MIN_SHARED_TERMS`] terms with the lead, and a list of the article's site
    /// carried it near the article's day.
    pub fn candidates(&self, q: &Query) -> Vec<Candidate> {
        if !q.recover || self.keys.is_empty() {
            return Vec::new();
        }
        let lead = lead_terms(q.text, &self.vocab);
        if lead.is_empty() {
            return Vec::new();
        }
        let blocked = q.blocked.as_slice();
        let (site, day) = (q.site.map_or(NO_SITE, |s| s as u32), day_number(q.day));
        // Scores accumulate in a dense per-thread array (a hash map here cost more than all
        // the rest of matching); `touched` lists the headlines to read back and reset. Only
        // headlines carried near the article's day are scored: the others could never win.
        let mut pre: Vec<(u32, f64)> = NEAR.with_borrow_mut(|near| {
            self.mark_near(near, site, day);
            SCRATCH.with_borrow_mut(|(acc, touched)| {
                if acc.len() < self.keys.len() {
                    acc.resize(self.keys.len(), 0.0);
                }
                // A blocked headline is never touched: its score starts at -inf, which stays
                // -inf and never reads as 0 (weights are positive). One store per blocked
                // headline, instead of a search of the blocked list per touched one.
                for &b in blocked {
                    acc[b as usize] = f64::NEG_INFINITY;
                }
                for &(t, _) in &lead {
                    let p = &self.postings[t as usize];
                    if p.len() > self.posting_cap {
                        continue;
                    }
                    let w = self.weight[t as usize];
                    for &h in p {
                        if !self.is_near(near, h as usize) {
                            continue;
                        }
                        let a = &mut acc[h as usize];
                        if *a == 0.0 {
                            touched.push(h);
                        }
                        *a += w;
                    }
                }
                let out = touched.iter().map(|&h| (h, acc[h as usize])).collect();
                for &h in touched.iter().chain(blocked) {
                    acc[h as usize] = 0.0;
                }
                touched.clear();
                out
            })
        });
        let by_weight = |a: &(u32, f64), b: &(u32, f64)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
        if pre.len() > CANDIDATES {
            pre.select_nth_unstable_by(CANDIDATES - 1, by_weight);
            pre.truncate(CANDIDATES);
        }
        let support = |h: usize| q.expected.iter().find(|e| e.0 == h).map_or(0.0, |e| e.1);
        let mut scored: Vec<Candidate> = pre
            .into_iter()
            .filter_map(|(h, _)| {
                let h = h as usize;
                let (score, shared) = self.score(h, &lead);
                (shared >= MIN_SHARED_TERMS).then_some(Candidate {
                    headline: h,
                    score,
                    support: support(h),
                })
            })
            .collect();
        for &(h, sup) in &q.expected {
            if scored.iter().any(|c| c.headline == h)
                || blocked.binary_search(&(h as u32)).is_ok()
                || !self.carried_near(h, site, day)
            {
                continue;
            }
            let (score, shared) = self.score(h, &lead);
            if shared >= 1 {
                scored.push(Candidate {
                    headline: h,
                    score,
                    support: sup,
                });
            }
        }
        scored.retain(Candidate::qualifies);
        scored.sort_by(|a, b| {
            b.weight()
                .total_cmp(&a.weight())
                .then(self.keys[a.headline].cmp(&self.keys[b.headline]))
        });
        scored
    }

    /// Whether two headlines are rewordings of one story.
    fn rewording(&self, a: usize, b: usize) -> bool {
        jaccard(&self.terms[a], &self.terms[b]) >= VARIANT_JACCARD
    }

    /// Weighted share of headline `h`'s terms found in the (sorted) lead, and how many.
    fn score(&self, h: usize, lead: &[(u32, bool)]) -> (f64, usize) {
        let mut hit = 0.0;
        let mut shared = 0;
        for &t in &self.terms[h] {
            if let Ok(i) = lead.binary_search_by_key(&t, |x| x.0) {
                let position = if lead[i].1 { 1.0 } else { LATER_FACTOR };
                hit += self.weight[t as usize] * position;
                shared += 1;
            }
        }
        let total = self.total[h];
        if total <= 0.0 {
            return (0.0, 0);
        }
        (hit / total, shared)
    }
}

/// Whether a sorted list holds a value in `lo..=hi`.
fn any_in(sorted: &[i32], lo: i32, hi: i32) -> bool {
    sorted
        .get(sorted.partition_point(|&d| d < lo))
        .is_some_and(|&d| d <= hi)
}

/// The distinct term ids of an article's lead that any headline has, sorted, each with
/// whether it occurs in the lede.
fn lead_terms(a: &Analysis, vocab: &Vocabulary) -> Vec<(u32, bool)> {
    let mut out: Vec<(u32, bool)> = a.terms[..a.lead]
        .iter()
        .enumerate()
        .filter_map(|(i, t)| vocab.get(t.id()).map(|id| (id, i < a.lede)))
        .collect();
    // A term in the lede and further down counts as in the lede.
    out.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    out.dedup_by_key(|x| x.0);
    out
}

fn jaccard(a: &[u32], b: &[u32]) -> f64 {
    let inter = a.iter().filter(|x| b.binary_search(x).is_ok()).count();
    let union = a.len() + b.len() - inter;
    if union == 0 {
        return 0.0;
    }
    inter as f64 / union as f64
}

/// Stems the corpus's articles write capitalised mid-sentence more often than not.
pub fn proper_nouns(texts: &[Analysis]) -> HashSet<TermId> {
    let counts = texts
        .par_iter()
        .fold(HashMap::<TermId, (u32, u32)>::default, |mut counts, a| {
            for t in &a.terms {
                let c = counts.entry(t.id()).or_default();
                if t.capitalised_mid_sentence() {
                    c.0 += 1;
                } else {
                    c.1 += 1;
                }
            }
            counts
        })
        .reduce(HashMap::default, |mut a, b| {
            for (k, (cap, low)) in b {
                let c = a.entry(k).or_default();
                c.0 += cap;
                c.1 += low;
            }
            a
        });
    counts
        .into_iter()
        .filter(|(_, (cap, low))| cap > low)
        .map(|(s, _)| s)
        .collect()
}

/// Recovers titles for every query, as one assignment over the whole corpus: every
/// (article, headline) pair that qualifies is taken best score first, when neither the
/// article nor the headline is taken yet and the article's score leads its best remaining
/// rival (a headline not taken and not a rewording) by [`MIN_MARGIN`]. An article whose
/// best pair fails the margin gets no headline. Runs the articles in parallel; the result
/// does not depend on thread count.
pub fn recover(
    texts: &[String],
    keys: &[String],
    carriers: &[Vec<Carrier>],
    window: Window,
    proper: &HashSet<TermId>,
    queries: &[Query<'_>],
) -> Vec<Option<Recovered>> {
    let index = HeadlineIndex::new(texts, keys, carriers, window, proper);
    // Articles of one site and day ask for the same headlines near them: taken together, each
    // thread marks those once per (site, day), not once per article.
    let mut order: Vec<usize> = (0..queries.len()).collect();
    order.sort_by_key(|&i| (queries[i].site, queries[i].day));
    let found: Vec<Vec<Candidate>> = order
        .par_iter()
        .map(|&i| index.candidates(&queries[i]))
        .collect();
    let mut candidates: Vec<Vec<Candidate>> = vec![Vec::new(); queries.len()];
    for (&i, c) in order.iter().zip(found) {
        candidates[i] = c;
    }
    let mut pairs: Vec<(f64, usize, usize)> = candidates
        .iter()
        .enumerate()
        .flat_map(|(q, c)| c.iter().map(move |c| (c.weight(), q, c.headline)))
        .collect();
    // Best weight first; ties go to the later article (articles come newest first, and the
    // first received copy of a text is the oldest), then to the headline key.
    pairs.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then(b.1.cmp(&a.1))
            .then(keys[a.2].cmp(&keys[b.2]))
    });
    let mut taken: HashMap<usize, usize> = HashMap::default();
    let mut found: Vec<Option<Recovered>> = vec![None; queries.len()];
    let mut decided = vec![false; queries.len()];
    for (weight, q, h) in pairs {
        if decided[q] || taken.contains_key(&h) {
            continue;
        }
        decided[q] = true;
        let runner_up = candidates[q]
            .iter()
            .filter(|c| {
                c.headline != h
                    && !taken.contains_key(&c.headline)
                    && !index.rewording(c.headline, h)
            })
            .map(Candidate::weight)
            .fold(0.0, f64::max);
        if weight - runner_up < MIN_MARGIN {
            continue;
        }
        taken.insert(h, q);
        found[q] = Some(Recovered {
            headline: h,
            score: weight,
            runner_up,
            variants: Vec::new(),
        });
    }
    // Rewordings of a winner that no article took link to it too.
    for (q, r) in found.iter_mut().enumerate() {
        if let Some(r) = r {
            r.variants = candidates[q]
                .iter()
                .filter(|c| {
                    c.headline != r.headline
                        && c.score >= MIN_SCORE
                        && !taken.contains_key(&c.headline)
                        && index.rewording(c.headline, r.headline)
                })
                .map(|c| c.headline)
                .collect();
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::digest::text::normalise;

    fn day(s: &str) -> crate::model::Day {
        crate::model::Day::parse_iso(s).unwrap()
    }

    /// Recovers with every headline carried by site 0 on 2026-03-02.
    fn recover(
        t: &[String],
        k: &[String],
        proper: &HashSet<TermId>,
        qs: &[Query<'_>],
    ) -> Vec<Option<Recovered>> {
        let carriers = vec![vec![(Some(0), day("2026-03-02"))]; t.len()];
        super::recover(t, k, &carriers, Window::default(), proper, qs)
    }

    fn setup(texts: &[&str]) -> (Vec<String>, Vec<String>) {
        let t: Vec<String> = texts.iter().map(|s| s.to_string()).collect();
        let k = t.iter().map(|s| normalise(s)).collect();
        (t, k)
    }

    fn q(lead: &str) -> Query<'static> {
        Query {
            text: Box::leak(Box::new(terms::analyze(&[lead.to_string()]))),
            site: None,
            day: day("2026-03-02"),
            blocked: Vec::new(),
            recover: true,
            expected: Vec::new(),
        }
    }

    const HEADLINES: &[&str] = &[
        "Bank of Kestria Holds Rates at 3.25% as Inflation Stays Stubborn",
        "Bank of Kestria Governor Hints at Rate Rise in Spring",
        "Storm Elske Kills Two as It Sweeps Inland",
        "Tram Line 4 Opening Pushed Back to Spring 2027",
        "Museum of the Sea Puts 900-Year-Old Boat Back on Display",
        "Kell Lines Orders Two Electric Ferries From Selmish Shipyard",
    ];

    #[test]
    fn carried_near_reads_the_window_on_both_sides_of_the_span() {
        let (t, k) = setup(&HEADLINES[..3]);
        let carriers = vec![
            vec![(Some(0), day("2026-03-02")), (Some(1), day("2026-03-20"))],
            vec![(None, day("2026-03-10"))],
            vec![],
        ];
        let index = HeadlineIndex::new(&t, &k, &carriers, Window(3), &HashSet::default());
        let near = |h: usize, site: u32, d: &str| index.carried_near(h, site, day_number(day(d)));
        assert!(near(0, 0, "2026-02-27") && near(0, 0, "2026-03-05"));
        assert!(!near(0, 0, "2026-02-26") && !near(0, 0, "2026-03-06"));
        assert!(
            !near(0, 0, "2026-03-19"),
            "site 1 carried it then, not site 0"
        );
        assert!(near(0, 1, "2026-03-23") && !near(0, 1, "2026-03-24"));
        assert!(near(0, NO_SITE, "2026-03-17"));
        assert!(near(1, 5, "2026-03-13") && !near(1, 5, "2026-03-14"));
        assert!(
            !near(2, 0, "2026-03-02"),
            "a headline no list carried is never near"
        );
    }

    #[test]
    fn carried_near_agrees_with_a_scan_of_the_carriers() {
        let (t, k) = setup(&HEADLINES[..4]);
        let d0 = day("2026-03-01");
        let at = |n: u64| crate::model::Day::new(d0.date() + chrono::Days::new(n));
        // Unsorted, several sites, unknown sites, repeated days.
        let carriers: Vec<Vec<Carrier>> = vec![
            vec![
                (Some(2), at(9)),
                (Some(0), at(1)),
                (None, at(20)),
                (Some(2), at(3)),
            ],
            vec![(Some(1), at(5)), (Some(1), at(15)), (Some(0), at(30))],
            vec![(None, at(2)), (None, at(12)), (Some(3), at(7))],
            vec![(Some(0), at(0))],
        ];
        let index = HeadlineIndex::new(&t, &k, &carriers, Window(2), &HashSet::default());
        for (h, c) in carriers.iter().enumerate() {
            for site in [0, 1, 2, 3, 4, NO_SITE] {
                for n in -3..35 {
                    let day = d0.number() + n;
                    let scan = c.iter().any(|&(s, d)| {
                        let s = s.map_or(NO_SITE, |s| s as u32);
                        (site == NO_SITE || s == NO_SITE || s == site)
                            && (d.number() - day).abs() <= 2
                    });
                    assert_eq!(index.carried_near(h, site, day), scan, "{h} {site} {n}");
                }
            }
        }
    }

    #[test]
    fn marks_are_the_headlines_carried_near() {
        let (t, k) = setup(&HEADLINES[..4]);
        let d0 = day("2026-03-01");
        let at = |n: u64| crate::model::Day::new(d0.date() + chrono::Days::new(n));
        let carriers: Vec<Vec<Carrier>> = vec![
            vec![(Some(2), at(9)), (Some(0), at(1)), (None, at(20))],
            vec![(Some(1), at(5)), (Some(0), at(30))],
            vec![(None, at(2)), (Some(3), at(7))],
        ];
        let index = HeadlineIndex::new(&t, &k, &carriers, Window(2), &HashSet::default());
        let other = HeadlineIndex::new(&t, &k, &carriers[..1], Window(2), &HashSet::default());
        let mut near = Near::default();
        for site in [0, 1, 2, 3, 4, NO_SITE] {
            for n in -3..35 {
                let day = d0.number() + n;
                index.mark_near(&mut near, site, day);
                for h in 0..4 {
                    let want = index.carried_near(h, site, day);
                    assert_eq!(index.is_near(&near, h), want, "{h} {site} {n}");
                }
                // Another index never reads this one's marks as its own.
                other.mark_near(&mut near, site, day);
                for h in 0..4 {
                    let want = other.carried_near(h, site, day);
                    assert_eq!(other.is_near(&near, h), want, "other {h} {site} {n}");
                }
            }
        }
    }

    #[test]
    fn clear_winner_is_recovered() {
        let (t, k) = setup(HEADLINES);
        let leads = [
            q(
                "The Bank of Kestria kept its main policy rate unchanged at 3.25% on Thursday, saying inflation remained stubbornly high.",
            ),
            q("Two people have died as Storm Elske swept inland overnight, police said."),
        ];
        let r = recover(&t, &k, &HashSet::default(), &leads);
        assert_eq!(r[0].as_ref().unwrap().headline, 0);
        assert_eq!(r[1].as_ref().unwrap().headline, 2);
    }

    #[test]
    fn no_winner_when_title_is_nowhere() {
        let (t, k) = setup(HEADLINES);
        let leads = [q(
            "A new bakery opened on the quay on Tuesday, selling rye bread to queues of customers.",
        )];
        assert_eq!(recover(&t, &k, &HashSet::default(), &leads), vec![None]);
    }

    #[test]
    fn own_list_headlines_are_blocked() {
        let (t, k) = setup(HEADLINES);
        let mut query = q("Two people have died as Storm Elske swept inland overnight.");
        query.blocked.push(2);
        assert_eq!(recover(&t, &k, &HashSet::default(), &[query]), vec![None]);
    }

    #[test]
    fn near_miss_loses_to_the_true_headline_or_nothing() {
        let (t, k) = setup(HEADLINES);
        // About the governor's hint, not the hold: must not take headline 0.
        let leads = [q(
            "Bank of Kestria governor Ilse Marrow hinted on Monday that a rate rise could come in the spring.",
        )];
        let r = recover(&t, &k, &HashSet::default(), &leads);
        assert_eq!(r[0].as_ref().map(|r| r.headline), Some(1));
    }

    #[test]
    fn rewordings_are_not_rivals_and_are_linked() {
        let (t, k) = setup(&[
            "Storm Elske Kills Two as It Sweeps Inland",
            "Storm Elske Kills Two as It Sweeps Inland Overnight",
            "Museum of the Sea Puts 900-Year-Old Boat Back on Display",
        ]);
        let leads = [q(
            "Two people have died as Storm Elske swept inland overnight, police said.",
        )];
        let r = recover(&t, &k, &HashSet::default(), &leads)[0]
            .clone()
            .unwrap();
        let mut all = vec![r.headline];
        all.extend(r.variants);
        all.sort();
        assert_eq!(all, [0, 1]);
    }

    #[test]
    fn contested_headline_goes_to_the_best_fit() {
        let (t, k) = setup(HEADLINES);
        let leads = [
            q("Storm Elske swept inland."),
            q("Two people have died as Storm Elske swept inland overnight, police said."),
        ];
        let r = recover(&t, &k, &HashSet::default(), &leads);
        assert!(r[0].is_none());
        assert_eq!(r[1].as_ref().unwrap().headline, 2);
    }

    #[test]
    fn only_the_same_sites_lists_near_the_day_name_an_article() {
        let (t, k) = setup(HEADLINES);
        let lead = "Two people have died as Storm Elske swept inland overnight, police said.";
        let mut carriers = vec![vec![(Some(0), day("2026-03-02"))]; t.len()];
        let run = |carriers: &[Vec<Carrier>]| {
            let mut query = q(lead);
            query.site = Some(0);
            super::recover(
                &t,
                &k,
                carriers,
                Window::default(),
                &HashSet::default(),
                &[query],
            )[0]
            .as_ref()
            .map(|r| r.headline)
        };
        assert_eq!(run(&carriers), Some(2));
        carriers[2] = vec![(Some(1), day("2026-03-02"))];
        assert_eq!(run(&carriers), None, "another site's list");
        carriers[2] = vec![(Some(0), day("2026-03-20"))];
        assert_eq!(run(&carriers), None, "weeks away");
        carriers[2] = vec![(Some(0), day("2026-03-05"))];
        assert_eq!(run(&carriers), Some(2), "three days away");
    }

    #[test]
    fn assignment_is_best_total_not_first_come() {
        // Article 0 fits both storm headlines a little; article 1 fits the first one best.
        let (t, k) = setup(&[
            "Storm Elske kills two as it sweeps inland",
            "Storm Elske closes ports along the coast",
            "Museum of the Sea puts old boat back on display",
        ]);
        let leads = [
            q(
                "Storm Elske closed every port along the coast on Monday, and two people were killed inland.",
            ),
            q("Two people were killed as Storm Elske swept inland overnight."),
        ];
        let r = recover(&t, &k, &HashSet::default(), &leads);
        assert_eq!(r[1].as_ref().map(|r| r.headline), Some(0));
        assert_eq!(r[0].as_ref().map(|r| r.headline), Some(1));
    }

    #[test]
    fn proper_nouns_from_mid_sentence_capitals() {
        let texts = [terms::analyze(&[
            "Police said Storm Elske hit Port Aubrey.".to_string(),
            "The storm moved on.".to_string(),
        ])];
        let p = proper_nouns(&texts);
        assert!(p.contains(&terms::term_id("elsk")));
        assert!(p.contains(&terms::term_id("aubrey")));
        assert!(
            !p.contains(&terms::term_id("storm")),
            "lowercase 'storm' outvotes one capital"
        );
    }
}
