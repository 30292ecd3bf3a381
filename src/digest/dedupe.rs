//! Duplicates: the same story received more than once, found without comparing every pair.
//!
//! - **Exact**: the same text once normalised: Unicode compatibility-decomposed (NFKD) with
//!   accents dropped, lowercased, every run of punctuation and white space made one space. So
//!   a copy that differs only in encoding details, line endings, quote or dash style or
//!   spacing is exact. Grouped by a hash of that text.
//! - **Near**: word 5-shingles of that normalised text, compared by Jaccard similarity, merged
//!   at [`NEAR_JACCARD`] or more. Candidates come from one-permutation MinHash signatures
//!   ([`HASHES`] values, one step per shingle) split into [`BANDS`] bands of [`ROWS`] rows (locality-sensitive hashing): two texts
//!   become candidates when one band matches, which happens with probability
//!   `1 - (1 - J^ROWS)^BANDS` (0.99 at J = 0.5, under 0.5% at J = 0.1). Each candidate pair is
//!   then checked on the exact shingle sets, so the threshold is exact, not estimated.
//! - **Forced**: front matter `duplicate_of` names the file it is a copy of.
//!
//! Files with front matter `merge: false` are never merged except by their own or another
//! file's `duplicate_of`. Groups are transitive: if A≈B and B≈C, all three are one story.

use crate::ingest::Body;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;
use xxhash_rust::xxh3::{xxh3_64, xxh3_64_with_seed, xxh3_128};

/// Shingle length in words.
pub const SHINGLE_WORDS: usize = 5;
/// Jaccard similarity of shingle sets at or above which two texts are one story.
pub const NEAR_JACCARD: f64 = 0.5;
pub const BANDS: usize = 32;
pub const ROWS: usize = 3;
pub const HASHES: usize = BANDS * ROWS;
/// Candidate pairs whose signatures agree on less than this share of values are dropped
/// without the exact check. With [`HASHES`] values the estimate's standard error at
/// J = [`NEAR_JACCARD`] is 0.05, so a true match falls this low (4 standard errors) with
/// probability about 1 in 30,000. A corpus with boilerplate (sentences shared by many
/// articles) yields many candidates far below the threshold, and the exact check costs more.
const ESTIMATE_FLOOR: f64 = 0.3;
/// Candidate pairs checked together between two rounds of joining groups.
const CHECK_CHUNK: usize = 4096;
/// Buckets larger than this are linked as a chain instead of all pairs (each member with its
/// predecessor and the first), so a mass of copies stays linear.
const FULL_PAIRS_BUCKET: usize = 32;

/// How a copy joined its story.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DuplicateKind {
    Exact,
    Near,
    Forced,
}

impl DuplicateKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            DuplicateKind::Exact => "exact",
            DuplicateKind::Near => "near",
            DuplicateKind::Forced => "forced",
        }
    }
}

/// One text to compare: its body, unpacked where it is read, so that the corpus's texts are
/// not all held unpacked at once.
#[derive(Debug, Clone, Copy)]
pub struct Doc<'a> {
    pub body: &'a Body,
    /// `merge: false` in front matter.
    pub never_merge: bool,
}

/// A copy of a kept text.
#[derive(Debug, Clone, PartialEq)]
pub struct Copy {
    pub doc: usize,
    pub kind: DuplicateKind,
    /// Jaccard similarity of the shingle sets with the kept text (1.0 for exact copies).
    pub similarity: f64,
}

/// A story received more than once: the kept text (the lowest index) and its copies.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub kept: usize,
    pub copies: Vec<Copy>,
}

/// The normal form exact duplicates share: NFKD, accents dropped, lowercase, words joined by
/// single spaces.
pub fn normal_text(paragraphs: &[String]) -> String {
    let mut out = String::with_capacity(paragraphs.iter().map(|p| p.len() + 1).sum());
    let mut space = false;
    for p in paragraphs {
        let mut rest = p.as_str();
        while let Some(b) = rest.bytes().next() {
            if b.is_ascii() {
                // Most text is ASCII: no Unicode tables and no decomposition needed.
                if b.is_ascii_alphanumeric() {
                    push_alphanumeric(&mut out, &mut space, char::from(b.to_ascii_lowercase()));
                } else {
                    space = true;
                }
                rest = &rest[1..];
                continue;
            }
            let Some(c) = rest.chars().next() else { break };
            rest = &rest[c.len_utf8()..];
            for d in std::iter::once(c).nfkd() {
                if d.is_alphanumeric() {
                    for l in d.to_lowercase() {
                        push_alphanumeric(&mut out, &mut space, l);
                    }
                } else if !is_combining_mark(d) {
                    space = true;
                }
            }
        }
        space = true;
    }
    out
}

/// Appends one character of a word, after the single space that separates it from the
/// previous word when there was a gap.
fn push_alphanumeric(out: &mut String, space: &mut bool, c: char) {
    if *space && !out.is_empty() {
        out.push(' ');
    }
    *space = false;
    out.push(c);
}

/// Sorted, distinct hashes of the word shingles of a normal text.
pub fn shingles(normal: &str) -> Vec<u64> {
    let mut out = shingle_hashes(normal);
    out.sort_unstable();
    out.dedup();
    out
}

/// The hashes of the word shingles of a normal text, in text order, repeats included: all a
/// signature needs, since a bin's minimum depends on neither.
fn shingle_hashes(normal: &str) -> Vec<u64> {
    // The normal form's words are separated by single ASCII spaces.
    let words: Vec<u64> = normal
        .as_bytes()
        .split(|&b| b == b' ')
        .map(xxh3_64)
        .collect();
    if words.len() <= SHINGLE_WORDS {
        vec![hash_words(&words)]
    } else {
        words.windows(SHINGLE_WORDS).map(hash_words).collect()
    }
}

/// The hash of a shingle: of its words' hashes, little-endian, in order (on the stack: this
/// runs once per word of the corpus).
fn hash_words(ws: &[u64]) -> u64 {
    debug_assert!(ws.len() <= SHINGLE_WORDS);
    let mut bytes = [0u8; SHINGLE_WORDS * 8];
    for (chunk, w) in bytes.chunks_exact_mut(8).zip(ws) {
        chunk.copy_from_slice(&w.to_le_bytes());
    }
    xxh3_64(&bytes[..ws.len() * 8])
}

pub fn jaccard(a: &[u64], b: &[u64]) -> f64 {
    // With nothing needed, the count never stops early.
    let inter = intersection(a, b, 0).unwrap_or(0);
    let union = a.len() + b.len() - inter;
    if union == 0 {
        return 0.0;
    }
    inter as f64 / union as f64
}

/// Whether the Jaccard similarity of two sorted sets is at least `t`: `|A∩B| ≥ t·|A∪B|` is
/// `|A∩B| ≥ t·(|A|+|B|) / (1+t)`.
pub fn at_least(a: &[u64], b: &[u64], t: f64) -> bool {
    let need = (t * (a.len() + b.len()) as f64 / (1.0 + t)).ceil() as usize;
    intersection(a, b, need).is_some_and(|inter| inter >= need) && !(a.is_empty() && b.is_empty())
}

/// The size of the intersection of two sorted sets, or `None` as soon as the rest of the sets
/// can no longer make it reach `need`.
///
/// This is the exact check of every candidate pair, so it runs over whole shingle sets
/// millions of times on a corpus whose stories share sentences. Which set advances is a coin
/// toss the branch predictor loses half the time, so each step advances by arithmetic, not by
/// a branch, and the bound is checked once per block of steps: a block never runs past either
/// set, because each step advances at least one of them by one.
fn intersection(a: &[u64], b: &[u64], need: usize) -> Option<usize> {
    const BLOCK: usize = 32;
    let (mut i, mut j, mut inter) = (0usize, 0usize, 0usize);
    while i < a.len() && j < b.len() {
        let left = (a.len() - i).min(b.len() - j);
        if inter + left < need {
            return None;
        }
        for _ in 0..BLOCK.min(left) {
            let (x, y) = (a[i], b[j]);
            inter += usize::from(x == y);
            i += usize::from(x <= y);
            j += usize::from(y <= x);
        }
    }
    Some(inter)
}

/// The share of signature values two texts agree on: an estimate of their Jaccard similarity.
fn estimate(a: &[u64], b: &[u64]) -> f64 {
    let same = a.iter().zip(b).filter(|(x, y)| x == y).count();
    same as f64 / HASHES as f64
}

/// The bin of a shingle hash among [`HASHES`]: its high bits, so the hashes of one bin are
/// one range and the smallest of them is the bin's minimum under any order of the hashes.
fn bin(x: u64) -> usize {
    ((u128::from(x) * HASHES as u128) >> 64) as usize
}

/// The bin whose value an empty bin borrows on its `attempt`-th probe: a fixed sequence per
/// bin, the same for every text, so two texts agree on a borrowed value exactly when they
/// agree on the bin it came from.
fn probe(empty: usize, attempt: u64) -> usize {
    (xxh3_64_with_seed(&(empty as u64).to_le_bytes(), attempt) % HASHES as u64) as usize
}

/// A one-permutation MinHash signature with optimal densification (Shrivastava, ICML 2017):
/// each shingle hash falls in one of [`HASHES`] bins and each bin keeps its smallest hash, so
/// a text costs one step per shingle instead of one per shingle and hash function. A bin no
/// shingle fell in takes the value of the first filled bin of its probe sequence. Two texts
/// then agree on a bin with probability their Jaccard similarity, as with [`HASHES`]
/// independent hash functions. A text without shingles has all bins empty (`u64::MAX`).
fn signature(shingles: &[u64]) -> Vec<u64> {
    let mut sig = vec![u64::MAX; HASHES];
    let mut filled = [false; HASHES];
    for &x in shingles {
        let b = bin(x);
        sig[b] = sig[b].min(x);
        filled[b] = true;
    }
    if shingles.is_empty() {
        return sig;
    }
    // A borrowed value always comes from a filled bin, and filled bins are never written
    // here, so the bins can be filled in place.
    for empty in (0..HASHES).filter(|&b| !filled[b]) {
        // Some bin is filled, so the probe finds one: each probe hits it with chance
        // at least 1 / HASHES.
        if let Some(from) = (1..)
            .map(|attempt| probe(empty, attempt))
            .find(|&b| filled[b])
        {
            sig[empty] = sig[from];
        }
    }
    sig
}

struct UnionFind(Vec<usize>);

impl UnionFind {
    fn find(&mut self, x: usize) -> usize {
        let mut r = x;
        while self.0[r] != r {
            r = self.0[r];
        }
        let mut x = x;
        while self.0[x] != r {
            let next = self.0[x];
            self.0[x] = r;
            x = next;
        }
        r
    }

    /// The root of `x`, without shortening the path (so it can be asked from many threads).
    fn root(&self, x: usize) -> usize {
        let mut r = x;
        while self.0[r] != r {
            r = self.0[r];
        }
        r
    }

    /// The smaller root wins, so the kept text is always the group's lowest index.
    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            let (lo, hi) = (ra.min(rb), ra.max(rb));
            self.0[hi] = lo;
        }
    }
}

/// What the duplicates phase keeps of one text before comparing it with any other: the hash
/// of its normal text (exact copies share it) and the MinHash signature of its shingles. It
/// depends on the text alone, so a caller that remembers it between builds spares reading
/// the text again ([`find_sketched`]); a text whose normal form is empty has none.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Sketch {
    pub exact: u128,
    /// [`HASHES`] values.
    pub minhash: Vec<u64>,
}

/// The sketch of a text, or `None` when nothing of it survives normalising.
pub fn sketch(paragraphs: &[String]) -> Option<Sketch> {
    let normal = normal_text(paragraphs);
    (!normal.is_empty()).then(|| Sketch {
        exact: xxh3_128(normal.as_bytes()),
        minhash: signature(&shingle_hashes(&normal)),
    })
}

impl Sketch {
    /// Whether it has the shape [`sketch`] gives (a remembered one read back may not).
    pub fn is_sound(&self) -> bool {
        self.minhash.len() == HASHES
    }
}

/// Finds the stories received more than once, sketching every text ([`find_sketched`]).
pub fn find(docs: &[Doc<'_>], forced: &[(usize, usize)]) -> Vec<Group> {
    find_sketched(docs, sketch_all(docs, sketch), forced)
}

/// The sketch of each text by `read` (in parallel), `None` for a text that is never merged
/// by its likeness, which is not read at all.
pub fn sketch_all(
    docs: &[Doc<'_>],
    read: impl Fn(&[String]) -> Option<Sketch> + Sync,
) -> Vec<Option<Sketch>> {
    use rayon::prelude::*;
    docs.par_iter()
        .map(|d| (!d.never_merge).then(|| read(&d.body.lead())).flatten())
        .collect()
}

/// Finds the stories received more than once. `docs` are in order of preference: the lowest
/// index of a group is kept; `sketches` are theirs ([`sketch`]), `None` for a text that is
/// never merged by its likeness (`merge: false`, or nothing left once normalised).
/// `forced` are `(copy, original)` pairs from `duplicate_of`. Returns only groups with at
/// least one copy, ordered by kept index.
///
/// The shingle sets, the only exact measure, are made only for the texts of candidate pairs
/// whose signatures come close, and at most once each: most texts are candidates of none.
pub fn find_sketched(
    docs: &[Doc<'_>],
    sketches: Vec<Option<Sketch>>,
    forced: &[(usize, usize)],
) -> Vec<Group> {
    use rayon::prelude::*;
    let mut uf = UnionFind((0..docs.len()).collect());

    // Exact: one representative per normal text.
    let mut by_text: HashMap<u128, usize> = HashMap::default();
    let mut reps: Vec<usize> = Vec::new();
    let mut sigs: Vec<Vec<u64>> = Vec::new();
    for (i, sketch) in sketches.into_iter().enumerate() {
        let sketch = sketch.filter(|s| s.is_sound() && !docs[i].never_merge);
        let Some(Sketch { exact, minhash }) = sketch else {
            continue;
        };
        match by_text.entry(exact) {
            std::collections::hash_map::Entry::Occupied(e) => uf.union(*e.get(), i),
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(i);
                reps.push(i);
                sigs.push(minhash);
            }
        }
    }

    // Near: LSH over MinHash signatures of the representatives, then exact verification.
    let pairs = candidate_pairs(&sigs);
    let shingled: Vec<std::sync::OnceLock<Vec<u64>>> = (0..reps.len())
        .map(|_| std::sync::OnceLock::new())
        .collect();
    let shingles_of = |r: usize| -> &[u64] {
        shingled[r].get_or_init(|| shingles(&normal_text(&docs[reps[r]].body.lead())))
    };
    // Groups are the connected parts of the confirmed pairs, so a pair whose texts are already
    // in one group needs no check: a story received many times would otherwise be checked
    // pair by pair. Checked a chunk at a time in parallel, joined between chunks.
    for chunk in pairs.chunks(CHECK_CHUNK) {
        let confirmed: Vec<(usize, usize)> = chunk
            .par_iter()
            .map(|&(a, b)| (a, b, reps[a], reps[b]))
            .filter(|&(_, _, ra, rb)| uf.root(ra) != uf.root(rb))
            .filter(|&(a, b, _, _)| {
                estimate(&sigs[a], &sigs[b]) >= ESTIMATE_FLOOR
                    && at_least(shingles_of(a), shingles_of(b), NEAR_JACCARD)
            })
            .map(|(_, _, ra, rb)| (ra, rb))
            .collect();
        for (a, b) in confirmed {
            uf.union(a, b);
        }
    }
    drop(shingled);

    let forced_set: HashSet<usize> = forced.iter().flat_map(|&(c, o)| [c, o]).collect();
    for &(c, o) in forced {
        uf.union(c, o);
    }

    let mut groups: HashMap<usize, Vec<usize>> = HashMap::default();
    for i in 0..docs.len() {
        let r = uf.find(i);
        if r != i {
            groups.entry(r).or_default().push(i);
        }
    }
    // Their texts are normalised again to tell exact copies from near ones (a corpus of many
    // copies has many groups: in parallel).
    let groups: Vec<(usize, Vec<usize>)> = groups.into_iter().collect();
    let mut out: Vec<Group> = groups
        .into_par_iter()
        .map(|(kept, members)| {
            let kept_normal = normal_text(&docs[kept].body.lead());
            let kept_shingles = shingles(&kept_normal);
            let copies = members
                .into_iter()
                .map(|doc| {
                    let normal = normal_text(&docs[doc].body.lead());
                    if normal == kept_normal && !normal.is_empty() {
                        Copy {
                            doc,
                            kind: DuplicateKind::Exact,
                            similarity: 1.0,
                        }
                    } else {
                        let similarity = jaccard(&shingles(&normal), &kept_shingles);
                        // Below the threshold it joined by `duplicate_of` (either end) or
                        // through a chain of copies.
                        let kind = if forced_set.contains(&doc) && similarity < NEAR_JACCARD {
                            DuplicateKind::Forced
                        } else {
                            DuplicateKind::Near
                        };
                        Copy {
                            doc,
                            kind,
                            similarity,
                        }
                    }
                })
                .collect();
            Group { kept, copies }
        })
        .collect();
    out.sort_by_key(|g| g.kept);
    out
}

/// The pairs of signatures (by index, lower first, sorted) that agree on a whole band.
fn candidate_pairs(sigs: &[Vec<u64>]) -> Vec<(usize, usize)> {
    let mut pairs: HashSet<(usize, usize)> = HashSet::default();
    for band in 0..BANDS {
        let mut buckets: HashMap<u64, Vec<usize>> = HashMap::default();
        for (r, sig) in sigs.iter().enumerate() {
            let rows = &sig[band * ROWS..(band + 1) * ROWS];
            let mut bytes = [0u8; ROWS * 8];
            for (chunk, v) in bytes.chunks_exact_mut(8).zip(rows) {
                chunk.copy_from_slice(&v.to_le_bytes());
            }
            buckets
                .entry(xxh3_64_with_seed(&bytes, band as u64))
                .or_default()
                .push(r);
        }
        for members in buckets.values().filter(|m| m.len() > 1) {
            if members.len() <= FULL_PAIRS_BUCKET {
                for (x, &a) in members.iter().enumerate() {
                    for &b in &members[x + 1..] {
                        pairs.insert((a, b));
                    }
                }
            } else {
                for w in members.windows(2) {
                    pairs.insert((w[0], w[1]));
                    pairs.insert((members[0], w[1]));
                }
            }
        }
    }
    let mut pairs: Vec<(usize, usize)> = pairs.into_iter().collect();
    pairs.sort_unstable();
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paras(s: &str) -> Vec<String> {
        s.lines().map(str::to_string).collect()
    }

    const STORY: &str = "Two people have died as Storm Elske swept inland overnight, police said on Sunday, as falling trees blocked roads across the north.\n\
        A woman was killed when a tree struck her car near Halden, and a man died after being swept off a pier in Greyfield, officials said.\n\
        More than 40,000 homes were without power on Sunday morning, the grid operator said, and ferries to Kell Island remained cancelled.\n\
        The national weather service lowered its warning from red to amber at noon but said gusts of up to 100 km/h were still likely.";

    fn doc(body: &Body) -> Doc<'_> {
        Doc {
            body,
            never_merge: false,
        }
    }

    #[test]
    fn normal_text_ignores_encoding_details() {
        let a = normal_text(&paras("Café “quoted” — text\nNext"));
        let b = normal_text(&paras("Cafe\u{301} \"quoted\" - text  \nnext"));
        assert_eq!(a, b);
        assert_eq!(a, "cafe quoted text next");
    }

    #[test]
    fn exact_near_and_distinct() {
        let orig = paras(STORY);
        let exact = paras(&STORY.replace("“", "\"").to_uppercase());
        let mut edited = orig.clone();
        edited.push(
            "Schools in the region will reopen on Tuesday, the education ministry said.".into(),
        );
        edited[1] =
            "A woman was killed when a falling tree struck her car near Halden, officials said."
                .into();
        let other = paras(
            "Storm Elske caused damage estimated at 310 million crowns, insurers said on Monday, making it the costliest storm in a decade.\n\
             Claims for fallen trees, flooded basements and damaged roofs have poured in since the weekend, the insurers' association said.",
        );
        let bodies = [&orig, &exact, &edited, &other].map(|p| Body::plain(p));
        let docs = bodies.each_ref().map(doc);
        let g = find(&docs, &[]);
        assert_eq!(g.len(), 1);
        assert_eq!(g[0].kept, 0);
        let kinds: Vec<_> = g[0].copies.iter().map(|c| (c.doc, c.kind)).collect();
        assert_eq!(kinds, [(1, DuplicateKind::Exact), (2, DuplicateKind::Near)]);
        assert!(g[0].copies[1].similarity >= NEAR_JACCARD);
    }

    #[test]
    fn sketches_handed_in_find_what_sketching_finds_and_unsound_ones_are_no_match() {
        let orig = paras(STORY);
        let exact = paras(&STORY.to_uppercase());
        let mut near = orig.clone();
        near.push("Schools in the region will reopen on Tuesday, officials said.".into());
        let bodies = [&orig, &exact, &near].map(|p| Body::plain(p));
        let docs = bodies.each_ref().map(doc);
        let sketches: Vec<_> = docs.iter().map(|d| sketch(&d.body.lead())).collect();
        assert_eq!(
            find_sketched(&docs, sketches.clone(), &[]),
            find(&docs, &[])
        );
        assert_eq!(find(&docs, &[])[0].copies.len(), 2);
        // A sketch cut short (read back from a damaged record) matches nothing.
        let mut cut = sketches.clone();
        if let Some(s) = cut[2].as_mut() {
            s.minhash.truncate(HASHES - 1);
        }
        let groups = find_sketched(&docs, cut, &[]);
        assert_eq!(
            groups[0].copies.iter().map(|c| c.doc).collect::<Vec<_>>(),
            [1]
        );
        // A text that is never merged is not, whatever sketch comes with it.
        let mut docs = docs;
        docs[1].never_merge = true;
        let groups = find_sketched(&docs, sketches, &[]);
        assert_eq!(
            groups[0].copies.iter().map(|c| c.doc).collect::<Vec<_>>(),
            [2]
        );
        assert_eq!(sketch(&paras("  ...  ")), None);
    }

    #[test]
    fn never_merge_and_forced() {
        let a = paras(STORY);
        let b = paras(STORY);
        let c = paras("Completely different text about the tram line opening late.");
        let [a, b, c] = [a, b, c].map(|p| Body::plain(&p));
        let mut docs = vec![doc(&a), doc(&b), doc(&c)];
        docs[1].never_merge = true;
        assert!(find(&docs, &[]).is_empty());
        let g = find(&docs, &[(2, 0)]);
        assert_eq!(g[0].copies[0].kind, DuplicateKind::Forced);
        assert_eq!(g[0].copies[0].doc, 2);
    }

    /// The normal form by its definition, one (decomposed) character at a time through the
    /// general Unicode path.
    fn normal_text_by_definition(paragraphs: &[String]) -> String {
        let mut out = String::new();
        let mut space = false;
        for p in paragraphs {
            let decomposed = p.chars().flat_map(|c| std::iter::once(c).nfkd());
            for c in decomposed.chain([' ']) {
                if c.is_alphanumeric() {
                    if space && !out.is_empty() {
                        out.push(' ');
                    }
                    space = false;
                    out.extend(c.to_lowercase());
                } else if !is_combining_mark(c) {
                    space = true;
                }
            }
        }
        out
    }

    #[test]
    fn normal_text_agrees_with_its_definition() {
        for t in [
            "",
            "  ",
            "Plain ASCII, with: punctuation!",
            "Café “quoted” — text\nNext",
            "ÉCOLE ǅemal İstanbul Σίσυφος ß ﬁ \u{212A}elvin ①②",
            "e\u{301}\u{301} combining after ASCII, and  after space \u{301}x",
            "数字 123 ٣ tab\there",
            "ᾳ\u{345}\u{301} ypogegrammeni",
        ] {
            let p = paras(t);
            assert_eq!(normal_text(&p), normal_text_by_definition(&p), "{t:?}");
        }
    }

    #[test]
    fn shingle_hash_is_of_the_words_hashes_in_order() {
        let ws = [1u64, 2, 3, 4, 5];
        let bytes: Vec<u8> = ws.iter().flat_map(|w| w.to_le_bytes()).collect();
        assert_eq!(hash_words(&ws), xxh3_64(&bytes));
        assert_eq!(hash_words(&ws[..2]), xxh3_64(&bytes[..16]));
        assert_eq!(hash_words(&[]), xxh3_64(&[]));
    }

    #[test]
    fn the_signature_of_the_shingles_in_text_order_is_that_of_the_sorted_set() {
        // Repeated sentences repeat shingles; a short text has one shingle.
        for t in [
            "the cat sat on the mat and the cat sat on the mat again and again",
            "one two",
            "a b c d e f g h i j k l m n o p a b c d e f g",
        ] {
            let normal = normal_text(&paras(t));
            let in_order = shingle_hashes(&normal);
            let set = shingles(&normal);
            assert!(in_order.len() >= set.len(), "{t:?}");
            assert_eq!(signature(&in_order), signature(&set), "{t:?}");
        }
    }

    #[test]
    fn signature_keeps_each_bins_minimum_and_fills_the_empty_ones() {
        let sh = [3u64, 99, 1 << 40, u64::MAX / 2, u64::MAX / 2 + 7, u64::MAX];
        let sig = signature(&sh);
        assert_eq!(sig.len(), HASHES);
        for (b, &v) in sig.iter().enumerate() {
            let own = sh.iter().copied().filter(|&x| bin(x) == b).min();
            match own {
                Some(min) => assert_eq!(v, min),
                // Borrowed from a filled bin: one of the text's own hashes.
                None => assert!(sh.contains(&v), "bin {b} holds {v}"),
            }
        }
        assert_eq!(signature(&[]), vec![u64::MAX; HASHES]);
    }

    #[test]
    fn signatures_agree_about_as_often_as_the_texts_overlap() {
        // Shingle hashes are uniform (xxh3 of words), so these sets stand for real ones.
        let set = |range: std::ops::Range<u64>| -> Vec<u64> {
            let mut v: Vec<u64> = range.map(|i| xxh3_64(&i.to_le_bytes())).collect();
            v.sort_unstable();
            v
        };
        for (a, b) in [
            (0..600, 200..800),
            (0..600, 0..600),
            (0..600, 500..1100),
            (0..40, 20..60),
        ] {
            let (a, b) = (set(a), set(b));
            let truth = jaccard(&a, &b);
            let est = estimate(&signature(&a), &signature(&b));
            // Four standard errors of an estimate from HASHES values.
            let bound = 4.0 * (truth * (1.0 - truth) / HASHES as f64).sqrt() + 1e-9;
            assert!((est - truth).abs() <= bound, "estimate {est}, true {truth}");
        }
        let (a, b) = (set(0..600), set(5000..5600));
        assert!(estimate(&signature(&a), &signature(&b)) < ESTIMATE_FLOOR);
    }

    #[test]
    fn jaccard_of_sorted_sets() {
        assert_eq!(jaccard(&[1, 2, 3], &[2, 3, 4]), 0.5);
        assert_eq!(jaccard(&[], &[]), 0.0);
    }

    #[test]
    fn at_least_agrees_with_jaccard() {
        let sets: Vec<Vec<u64>> = vec![
            vec![],
            vec![1],
            vec![1, 2, 3],
            vec![2, 3, 4],
            vec![1, 2, 3, 4, 5, 6],
            (0..100).collect(),
            (50..150).collect(),
            (0..100).step_by(2).collect(),
        ];
        for a in &sets {
            for b in &sets {
                for t in [0.1, 1.0 / 3.0, 0.5, 0.75, 1.0] {
                    assert_eq!(at_least(a, b, t), jaccard(a, b) >= t, "{a:?} {b:?} {t}");
                }
            }
        }
    }

    proptest::proptest! {
        /// The blocked, branch-free merge counts what a set intersection counts, for sets
        /// shorter and longer than a block and with every overlap.
        #[test]
        fn intersection_counts_common_values(
            a in proptest::collection::btree_set(0u64..400, 0..200),
            b in proptest::collection::btree_set(0u64..400, 0..200),
        ) {
            let (a, b): (Vec<u64>, Vec<u64>) = (a.into_iter().collect(), b.into_iter().collect());
            let common = a.iter().filter(|x| b.binary_search(x).is_ok()).count();
            proptest::prop_assert_eq!(intersection(&a, &b, 0), Some(common));
            proptest::prop_assert_eq!(intersection(&b, &a, 0), Some(common));
            proptest::prop_assert_eq!(intersection(&a, &b, common).is_some(), true);
        }
    }
}
