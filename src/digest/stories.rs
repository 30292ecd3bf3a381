//! Stories: one event, covered by any number of sites, shown once.
//!
//! **Clusters.** Two articles whose days are at most the story window apart (`stories.window_days`,
//! default 2) are *linked* when the cosine of their [signatures](super::signature) is at least
//! [`LINK_COSINE`] and they share at least [`LINK_NAMES`] names (terms the corpus writes as
//! proper nouns). Candidates come from an inverted index over signature terms, restricted to the
//! window, so no two articles that share nothing are ever compared. Links are taken strongest
//! first, and two groups join when the average similarity over *all* their pairs (a pair with
//! no link counts 0) is at least [`JOIN_AVERAGE`] and the joined group still fits in the window:
//! average linkage, so one article that mentions two events cannot chain them together. A story
//! has at most [`MAX_MEMBERS`] articles.
//!
//! **Chronologies.** An article naming at least [`CHRONOLOGY_DATES`] distinct calendar dates
//! (a timeline, an explainer: [`is_chronology`]) recounts an affair rather than reports one
//! event of it, so it is linked to nothing and stays a story of its own; it still joins a
//! storyline, and its related coverage is unchanged.
//!
//! **Lead.** The member best placed by its own site ([`Placement`]), then with the most words.
//!
//! **Weight.** First how many distinct sites covered the story, then the sum over those sites of
//! their best placement, so that a prolific site's many articles count as one site.
//!
//! **Storylines.** Stories whose coverage continues over days are joined in the same way, story
//! centroids in place of articles ([`LINE_COSINE`], [`LINE_NAMES`], [`LINE_AVERAGE`], at most
//! [`LINE_GAP_DAYS`] days between them); a storyline whose coverage spans at least two days and
//! [`LINE_MIN_ARTICLES`] articles gets a page.
//!
//! **Overrides.** Front matter `story: <slug>` puts every article naming that slug in one story
//! (whatever the window or the text) that no other pinned story joins; `story: none` keeps an
//! article out of clustering.

use super::signature::{Signature, Term};
use super::sites::SiteId;
use crate::model::{Day, Slug};
use rayon::prelude::*;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

/// Minimum cosine of two articles' signatures for a link.
pub const LINK_COSINE: f64 = 0.35;
/// Names two linked articles must share.
pub const LINK_NAMES: usize = 2;
/// Minimum average similarity over all pairs of a joined story.
pub const JOIN_AVERAGE: f64 = 0.30;
/// Most articles in one story.
pub const MAX_MEMBERS: usize = 40;
/// Distinct calendar dates that make an article a chronology ([`is_chronology`]).
pub const CHRONOLOGY_DATES: usize = 5;
/// A term carried by more articles than this within one window says too little to index.
const WINDOW_POSTING_CAP: usize = 250;

/// Minimum cosine of two stories' centroids for a storyline link.
pub const LINE_COSINE: f64 = 0.35;
/// Names two linked stories must share.
pub const LINE_NAMES: usize = 3;
/// Minimum average similarity over all pairs of stories of a storyline.
pub const LINE_AVERAGE: f64 = 0.25;
/// Most days between the end of one story and the start of the next in a storyline.
pub const LINE_GAP_DAYS: i32 = 3;
/// Articles a storyline needs for a page.
pub const LINE_MIN_ARTICLES: usize = 3;
/// Most stories in one storyline.
const LINE_MAX_STORIES: usize = 60;

/// How far apart, in days, two articles of one story may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window(pub u32);

impl Default for Window {
    fn default() -> Self {
        Window(2)
    }
}

/// An index into [`super::Digest::stories`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StoryId(u32);

impl StoryId {
    pub fn new(i: usize) -> Self {
        StoryId(i as u32)
    }
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// Front matter `story:`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pin {
    /// `story: <slug>`
    To(Slug),
    /// `story: none`
    Out,
}

impl Pin {
    /// Reads the front-matter value; `None` when it has no usable slug.
    pub fn parse(value: &str) -> Option<Pin> {
        let v = value.trim();
        if v.eq_ignore_ascii_case("none") {
            return Some(Pin::Out);
        }
        Slug::from_text(v).map(Pin::To)
    }
}

/// How prominently a site placed one of its articles: `0.5 / rank` (its 1-based rank among
/// that site's articles of the day) + `0.5 × share` (the share of the site's dumps near that
/// day whose lists carry it, at most 1). Both are per site, so a site that publishes many
/// articles weighs no more than one that publishes few.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default)]
pub struct Placement(pub f64);

impl Placement {
    pub fn new(rank_in_site_day: usize, carried_share: f64) -> Self {
        Placement(0.5 / rank_in_site_day.max(1) as f64 + 0.5 * carried_share.clamp(0.0, 1.0))
    }
}

/// A story's weight: sites first, then placement.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Weight {
    /// Distinct sites that covered the story (an article of no known site counts as its own).
    pub sites: usize,
    /// Sum over those sites of their best placement.
    pub placement: f64,
}

impl Weight {
    /// Heavier first.
    pub fn cmp_desc(&self, other: &Weight) -> std::cmp::Ordering {
        other
            .sites
            .cmp(&self.sites)
            .then(other.placement.total_cmp(&self.placement))
    }
}

/// Whether an article that names `dates` distinct calendar dates
/// ([`distinct_dates`](super::text::distinct_dates)) recounts an affair (a timeline, an
/// explainer) rather than reports one event: its lede can match any event it recounts, and
/// average linkage then joins it to whichever of them it resembles most.
pub fn is_chronology(dates: usize) -> bool {
    dates >= CHRONOLOGY_DATES
}

/// An article as story clustering sees it.
#[derive(Debug, Clone, Copy)]
pub struct Doc<'a> {
    pub signature: &'a Signature,
    pub day: Day,
    pub site: Option<SiteId>,
    pub pin: Option<&'a Pin>,
    pub placement: Placement,
    pub words: usize,
    /// Distinct calendar dates its text names.
    pub dates: usize,
    pub title: &'a str,
}

/// One event and its coverage.
#[derive(Debug, Clone)]
pub struct Story {
    /// The best-placed, fullest article.
    pub lead: usize,
    /// Every article of the story: the lead first, then newest first (digest order).
    pub members: Vec<usize>,
    /// The distinct known sites that covered it.
    pub sites: Vec<SiteId>,
    pub weight: Weight,
    /// `story: <slug>` of its articles, when pinned.
    pub pinned: Option<Slug>,
    /// The storyline it belongs to, when it has a page.
    pub storyline: Option<usize>,
}

/// Stories that continue over several days: a developing story's page (`stories/<slug>/`).
#[derive(Debug, Clone)]
pub struct Storyline {
    pub slug: Slug,
    /// The title of its weightiest story's lead.
    pub title: String,
    /// Its stories, oldest first.
    pub stories: Vec<StoryId>,
    /// Every article, newest first (digest order).
    pub articles: Vec<usize>,
}

/// What clustering found: every article's story, the stories, and the storylines.
#[derive(Debug, Clone, Default)]
pub struct Found {
    pub story_of: Vec<StoryId>,
    pub stories: Vec<Story>,
    pub storylines: Vec<Storyline>,
}

/// Clusters `docs` (digest order, newest first) into stories and storylines. `proper[t]` says
/// whether term `t` is a name ([`super::signature::Signatures::proper`]).
pub fn find(docs: &[Doc<'_>], proper: &[bool], window: Window) -> Found {
    let groups = cluster_articles(docs, window, proper);
    let mut stories: Vec<Story> = groups.into_iter().map(|g| story_of(docs, g)).collect();
    // Heaviest first; ties newest first.
    stories.sort_by(|a, b| a.weight.cmp_desc(&b.weight).then(a.lead.cmp(&b.lead)));
    let mut story_of = vec![StoryId(0); docs.len()];
    for (s, st) in stories.iter().enumerate() {
        for &m in &st.members {
            story_of[m] = StoryId::new(s);
        }
    }
    let storylines = storylines(docs, &mut stories, proper, window);
    Found {
        story_of,
        stories,
        storylines,
    }
}

/// One item to cluster: a signature, the days it covers, and whether it may join anything.
struct Item<'a> {
    signature: &'a Signature,
    first: i32,
    last: i32,
    /// Items with the same label are joined before anything else; two different labels never.
    label: Option<&'a Slug>,
    out: bool,
}

/// Thresholds of one clustering pass.
struct Rules<'a> {
    link_cosine: f64,
    link_names: usize,
    join_average: f64,
    /// Candidates are items whose first days are at most this far apart.
    reach: i32,
    /// Most days a group may span (`None`: no limit).
    max_span: Option<i32>,
    /// Most days between two linked items' day ranges.
    max_gap: i32,
    max_members: usize,
    /// Per term: whether it is a name.
    proper: &'a [bool],
}

fn cluster_articles(docs: &[Doc<'_>], window: Window, proper: &[bool]) -> Vec<Vec<usize>> {
    let items: Vec<Item> = docs
        .iter()
        .map(|d| Item {
            signature: d.signature,
            first: d.day.number(),
            last: d.day.number(),
            label: match d.pin {
                Some(Pin::To(s)) => Some(s),
                _ => None,
            },
            // A chronology links to nothing, but a pin still joins it to its story.
            out: d.pin == Some(&Pin::Out) || is_chronology(d.dates),
        })
        .collect();
    let w = window.0 as i32;
    agglomerate(
        &items,
        &Rules {
            link_cosine: LINK_COSINE,
            link_names: LINK_NAMES,
            join_average: JOIN_AVERAGE,
            reach: w,
            max_span: Some(w),
            max_gap: w,
            max_members: MAX_MEMBERS,
            proper,
        },
    )
}

/// Average-linkage clustering of `items` over the links an inverted index finds.
fn agglomerate(items: &[Item<'_>], rules: &Rules<'_>) -> Vec<Vec<usize>> {
    let links = links(items, rules);
    let strength: HashMap<(u32, u32), f64> = links.iter().map(|&(s, a, b)| ((a, b), s)).collect();
    let pair = |a: usize, b: usize| -> f64 {
        let key = if a < b {
            (a as u32, b as u32)
        } else {
            (b as u32, a as u32)
        };
        strength.get(&key).copied().unwrap_or(0.0)
    };
    let mut groups = Groups::new(items);
    // Pinned items join their label's group first, whatever the text says.
    let mut by_label: HashMap<&Slug, usize> = HashMap::default();
    for (i, it) in items.iter().enumerate() {
        if let Some(l) = it.label {
            match by_label.get(l) {
                Some(&first) => groups.join(first, i),
                None => {
                    by_label.insert(l, i);
                }
            }
        }
    }
    for &(_, a, b) in &links {
        let (ga, gb) = (groups.find(a as usize), groups.find(b as usize));
        if ga == gb || !groups.may_join(ga, gb, rules) {
            continue;
        }
        let (ma, mb) = (&groups.members[ga], &groups.members[gb]);
        let total: f64 = ma
            .iter()
            .flat_map(|&x| mb.iter().map(move |&y| (x, y)))
            .map(|(x, y)| pair(x, y))
            .sum();
        if total / (ma.len() * mb.len()) as f64 >= rules.join_average {
            groups.join(ga, gb);
        }
    }
    groups.into_groups()
}

/// Every link `(similarity, a, b)` with `a < b`, strongest first (ties by items).
fn links(items: &[Item<'_>], rules: &Rules<'_>) -> Vec<(f64, u32, u32)> {
    // Postings by first day, so one binary search finds the window; each with the item's
    // weight of the term, so no signature is searched per pair.
    let mut postings: HashMap<Term, Vec<(i32, u32, f64)>> = HashMap::default();
    for (i, it) in items.iter().enumerate() {
        if it.out {
            continue;
        }
        for &(t, w) in &it.signature.0 {
            postings.entry(t).or_default().push((it.first, i as u32, w));
        }
    }
    for p in postings.values_mut() {
        // (first day, item) is unique per posting list: the weight never decides the order.
        p.sort_unstable_by_key(|&(d, j, _)| (d, j));
    }
    let mut out: Vec<(f64, u32, u32)> = (0..items.len())
        .into_par_iter()
        .filter(|&i| !items[i].out)
        .map_init(
            || Dots::new(items.len()),
            |dots, i| {
                let it = &items[i];
                for &(t, w) in &it.signature.0 {
                    let Some(p) = postings.get(&t) else { continue };
                    let lo = p.partition_point(|&(d, _, _)| d < it.first - rules.reach);
                    let hi = p.partition_point(|&(d, _, _)| d <= it.first + rules.reach);
                    if hi - lo > WINDOW_POSTING_CAP {
                        continue;
                    }
                    let name = usize::from(rules.proper.get(t as usize).copied().unwrap_or(false));
                    for &(_, j, wj) in &p[lo..hi] {
                        if j as usize > i {
                            dots.add(j, w * wj, name);
                        }
                    }
                }
                dots.take(|j, cos, names| {
                    let other = &items[j as usize];
                    let days = gap(it.first, it.last, other.first, other.last);
                    cos >= rules.link_cosine && names >= rules.link_names && days <= rules.max_gap
                })
                .into_iter()
                .map(move |(j, cos)| (cos, i as u32, j))
            },
        )
        .flatten_iter()
        .collect();
    out.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    out
}

/// One item's dot products with the items it shares terms with, and how many names each
/// shares: a dense per-thread array (a hash map per item cost more than the products), with
/// the list of items touched so that reading and resetting it costs only what was added.
struct Dots {
    acc: Vec<(f64, usize)>,
    seen: Vec<bool>,
    touched: Vec<u32>,
}

impl Dots {
    fn new(n: usize) -> Self {
        Dots {
            acc: vec![(0.0, 0); n],
            seen: vec![false; n],
            touched: Vec::new(),
        }
    }

    fn add(&mut self, j: u32, product: f64, names: usize) {
        let k = j as usize;
        if !self.seen[k] {
            self.seen[k] = true;
            self.touched.push(j);
        }
        self.acc[k].0 += product;
        self.acc[k].1 += names;
    }

    /// The touched items, each with its (dot product, shared names), that `keep` accepts;
    /// leaves the arrays cleared for the next item.
    fn take(&mut self, mut keep: impl FnMut(u32, f64, usize) -> bool) -> Vec<(u32, f64)> {
        let mut out = Vec::new();
        for &j in &self.touched {
            let k = j as usize;
            let (dot, names) = std::mem::take(&mut self.acc[k]);
            self.seen[k] = false;
            if keep(j, dot, names) {
                out.push((j, dot));
            }
        }
        self.touched.clear();
        out
    }
}

/// Days between two day ranges (0 when they overlap).
fn gap(a_first: i32, a_last: i32, b_first: i32, b_last: i32) -> i32 {
    (b_first - a_last).max(a_first - b_last).max(0)
}

/// Union-find over items, each group knowing its members, days and label.
struct Groups<'a> {
    parent: Vec<usize>,
    members: Vec<Vec<usize>>,
    first: Vec<i32>,
    last: Vec<i32>,
    label: Vec<Option<&'a Slug>>,
}

impl<'a> Groups<'a> {
    fn new(items: &[Item<'a>]) -> Self {
        Groups {
            parent: (0..items.len()).collect(),
            members: (0..items.len()).map(|i| vec![i]).collect(),
            first: items.iter().map(|i| i.first).collect(),
            last: items.iter().map(|i| i.last).collect(),
            label: items.iter().map(|i| i.label).collect(),
        }
    }

    fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }

    fn may_join(&self, a: usize, b: usize, rules: &Rules<'_>) -> bool {
        let labels_agree = match (self.label[a], self.label[b]) {
            (Some(x), Some(y)) => x == y,
            _ => true,
        };
        let span = self.last[a].max(self.last[b]) - self.first[a].min(self.first[b]);
        labels_agree
            && self.members[a].len() + self.members[b].len() <= rules.max_members
            && rules.max_span.is_none_or(|m| span <= m)
    }

    fn join(&mut self, a: usize, b: usize) {
        let (a, b) = (self.find(a), self.find(b));
        if a == b {
            return;
        }
        let (keep, gone) = if self.members[a].len() >= self.members[b].len() {
            (a, b)
        } else {
            (b, a)
        };
        self.parent[gone] = keep;
        let moved = std::mem::take(&mut self.members[gone]);
        self.members[keep].extend(moved);
        self.first[keep] = self.first[keep].min(self.first[gone]);
        self.last[keep] = self.last[keep].max(self.last[gone]);
        self.label[keep] = self.label[keep].or(self.label[gone]);
    }

    /// The groups, each sorted, in order of their first item.
    fn into_groups(self) -> Vec<Vec<usize>> {
        let mut out: Vec<Vec<usize>> = self
            .members
            .into_iter()
            .filter(|m| !m.is_empty())
            .map(|mut m| {
                m.sort_unstable();
                m
            })
            .collect();
        out.sort_unstable_by_key(|m| m[0]);
        out
    }
}

/// The story of one group of articles (sorted, digest order).
fn story_of(docs: &[Doc<'_>], mut members: Vec<usize>) -> Story {
    let lead = members
        .iter()
        .copied()
        .max_by(|&a, &b| {
            docs[a]
                .placement
                .0
                .total_cmp(&docs[b].placement.0)
                .then(docs[a].words.cmp(&docs[b].words))
                .then(b.cmp(&a))
        })
        .unwrap_or(members[0]);
    members.retain(|&m| m != lead);
    members.insert(0, lead);
    // Each known site counts once, by its best-placed article; an article of no known site
    // counts as a site of its own.
    let mut best: HashMap<SiteId, f64> = HashMap::default();
    let (mut unknown, mut unknown_count) = (0.0, 0);
    for &m in &members {
        let p = docs[m].placement.0;
        match docs[m].site {
            Some(s) => {
                let b = best.entry(s).or_default();
                *b = b.max(p);
            }
            None => {
                unknown += p;
                unknown_count += 1;
            }
        }
    }
    let mut sites: Vec<SiteId> = best.keys().copied().collect();
    sites.sort_unstable();
    let pinned = members.iter().find_map(|&m| match docs[m].pin {
        Some(Pin::To(s)) => Some(s.clone()),
        _ => None,
    });
    Story {
        lead,
        weight: Weight {
            sites: sites.len() + unknown_count,
            placement: best.values().sum::<f64>() + unknown,
        },
        members,
        sites,
        pinned,
        storyline: None,
    }
}

/// Joins stories into storylines and gives those that continue over days a page.
fn storylines(
    docs: &[Doc<'_>],
    stories: &mut [Story],
    proper: &[bool],
    window: Window,
) -> Vec<Storyline> {
    let centroids: Vec<Signature> = stories
        .iter()
        .map(|s| Signature::centroid(s.members.iter().map(|&m| docs[m].signature)))
        .collect();
    let days = |s: &Story| {
        let ds = s.members.iter().map(|&m| docs[m].day.number());
        (ds.clone().min().unwrap_or(0), ds.max().unwrap_or(0))
    };
    let items: Vec<Item> = stories
        .iter()
        .zip(&centroids)
        .map(|(s, c)| {
            let (first, last) = days(s);
            Item {
                signature: c,
                first,
                last,
                label: s.pinned.as_ref(),
                out: s.members.iter().all(|&m| docs[m].pin == Some(&Pin::Out)),
            }
        })
        .collect();
    let groups = agglomerate(
        &items,
        &Rules {
            link_cosine: LINE_COSINE,
            link_names: LINE_NAMES,
            join_average: LINE_AVERAGE,
            reach: LINE_GAP_DAYS + window.0 as i32 + 1,
            max_span: None,
            max_gap: LINE_GAP_DAYS,
            max_members: LINE_MAX_STORIES,
            proper,
        },
    );
    let mut used: HashSet<Slug> = HashSet::default();
    let mut lines = Vec::new();
    for mut g in groups {
        let articles: usize = g.iter().map(|&s| stories[s].members.len()).sum();
        let day_set: HashSet<Day> = g
            .iter()
            .flat_map(|&s| stories[s].members.iter().map(|&m| docs[m].day))
            .collect();
        let pinned = g.iter().find_map(|&s| stories[s].pinned.clone());
        let continues = day_set.len() >= 2;
        if !continues || (pinned.is_none() && articles < LINE_MIN_ARTICLES) {
            continue;
        }
        // `g` is sorted by story index: heaviest story first.
        let title = docs[stories[g[0]].lead].title.to_string();
        let base = pinned
            .or_else(|| Slug::from_text(&title))
            .or_else(|| Slug::from_text("story"));
        let Some(base) = base else { continue };
        let mut slug = base.clone();
        let mut n = 2;
        while used.contains(&slug) {
            slug = base.with_suffix(n);
            n += 1;
        }
        used.insert(slug.clone());
        let mut all: Vec<usize> = g
            .iter()
            .flat_map(|&s| stories[s].members.iter().copied())
            .collect();
        all.sort_unstable();
        g.sort_by_key(|&s| (days(&stories[s]).0, s));
        for &s in &g {
            stories[s].storyline = Some(lines.len());
        }
        lines.push(Storyline {
            slug,
            title,
            stories: g.into_iter().map(StoryId::new).collect(),
            articles: all,
        });
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::digest::signature::{self, Signatures};
    use crate::digest::terms::{Analysis, analyze, term_id, terms};

    const NAMES: &[&str] = &["elsk", "aubrey", "kell", "varga", "ostrava", "brel"];

    fn sigs(texts: &[(&str, &str)]) -> Signatures {
        let a: Vec<Analysis> = texts.iter().map(|t| analyze(&[t.1.to_string()])).collect();
        let titles: Vec<_> = texts.iter().map(|t| terms(t.0)).collect();
        signature::build(a, &titles, &NAMES.iter().map(|s| term_id(s)).collect())
    }

    fn doc<'a>(s: &'a Signature, day: u32, site: usize, pin: Option<&'a Pin>) -> Doc<'a> {
        Doc {
            signature: s,
            day: Day::from_ymd(2026, 3, day).unwrap(),
            site: Some(SiteId::new(site)),
            pin,
            placement: Placement::new(1, 0.0),
            words: 50,
            dates: 1,
            title: "Storm",
        }
    }

    const STORM: &str = "Storm Elske hit Port Aubrey with gusts of 120 km/h and Mayor Ilse Varga closed the harbour; ferries to Kell Island were cancelled.";
    const STORM2: &str = "Ferries to Kell Island were cancelled as Storm Elske hit Port Aubrey; Mayor Ilse Varga closed the harbour after gusts of 120 km/h.";
    const OTHER: &str =
        "Director Anouk Brel opened the Ostrava film festival with a record programme of films.";

    #[test]
    fn reports_of_one_event_within_the_window_are_one_story_and_others_are_not() {
        let s = sigs(&[
            ("Storm Elske hits Port Aubrey", STORM),
            ("Storm Elske closes Port Aubrey harbour", STORM2),
            ("Ostrava festival opens", OTHER),
            ("Storm Elske hits Port Aubrey", STORM),
        ]);
        let docs = [
            doc(&s.of[0], 5, 0, None),
            doc(&s.of[1], 4, 1, None),
            doc(&s.of[2], 4, 2, None),
            // The same words a week later: outside the window.
            doc(&s.of[3], 12, 2, None),
        ];
        let f = find(&docs, &s.proper, Window::default());
        assert_eq!(f.story_of[0], f.story_of[1]);
        assert_ne!(f.story_of[0], f.story_of[2]);
        assert_ne!(f.story_of[0], f.story_of[3]);
        let storm = &f.stories[f.story_of[0].index()];
        assert_eq!(storm.weight.sites, 2);
        // Heaviest first: the two-site story leads.
        assert_eq!(f.story_of[0].index(), 0);
        assert_eq!(storm.members.len(), 2);
    }

    #[test]
    fn a_chronology_stays_a_story_of_its_own_but_joins_the_storyline() {
        let s = sigs(&[
            ("Storm Elske hits Port Aubrey", STORM),
            ("Storm Elske closes Port Aubrey harbour", STORM2),
            ("Storm Elske hits Port Aubrey", STORM),
            ("Storm Elske: the days of the storm", STORM2),
        ]);
        let mut docs = [
            doc(&s.of[0], 5, 0, None),
            doc(&s.of[1], 5, 1, None),
            doc(&s.of[2], 4, 2, None),
            doc(&s.of[3], 5, 3, None),
        ];
        // Four dates: a report like the others, one story.
        docs[3].dates = CHRONOLOGY_DATES - 1;
        let f = find(&docs, &s.proper, Window::default());
        assert!(f.story_of.iter().all(|&x| x == f.story_of[0]));
        // Five: a timeline, out of the story, still in its developing story.
        docs[3].dates = CHRONOLOGY_DATES;
        let f = find(&docs, &s.proper, Window::default());
        assert_eq!(f.story_of[0], f.story_of[2]);
        assert_ne!(f.story_of[3], f.story_of[0]);
        let line = f.stories[f.story_of[0].index()].storyline;
        assert!(line.is_some());
        assert_eq!(f.stories[f.story_of[3].index()].storyline, line);
        // A pinned chronology still joins its pinned story.
        let pin = Pin::parse("storm").unwrap();
        docs[0].pin = Some(&pin);
        docs[3].pin = Some(&pin);
        let f = find(&docs, &s.proper, Window::default());
        assert_eq!(f.story_of[3], f.story_of[0]);
        assert!(!is_chronology(CHRONOLOGY_DATES - 1) && is_chronology(CHRONOLOGY_DATES));
    }

    #[test]
    fn pins_join_whatever_the_text_and_none_keeps_an_article_out() {
        let s = sigs(&[
            ("Storm Elske hits Port Aubrey", STORM),
            ("Storm Elske closes Port Aubrey harbour", STORM2),
            ("Ostrava festival opens", OTHER),
        ]);
        let pin = Pin::parse("Harbour Storm").unwrap();
        let out = Pin::parse("none").unwrap();
        assert_eq!(out, Pin::Out);
        let docs = [
            doc(&s.of[0], 5, 0, Some(&pin)),
            doc(&s.of[1], 4, 1, Some(&out)),
            doc(&s.of[2], 1, 2, Some(&pin)),
        ];
        let f = find(&docs, &s.proper, Window::default());
        assert_eq!(f.story_of[0], f.story_of[2], "pinned together, days apart");
        assert_ne!(f.story_of[0], f.story_of[1], "kept out");
        let pinned = &f.stories[f.story_of[0].index()];
        assert_eq!(
            pinned.pinned.as_ref().map(|s| s.as_str()),
            Some("harbour-storm")
        );
        // A pinned story over two days has its page, named by the pin.
        assert_eq!(f.storylines.len(), 1);
        assert_eq!(f.storylines[0].slug.as_str(), "harbour-storm");
        assert_eq!(pinned.storyline, Some(0));
        assert_eq!(Pin::parse("!!!"), None);
    }

    #[test]
    fn weight_counts_sites_before_placement() {
        let a = Weight {
            sites: 2,
            placement: 0.1,
        };
        let b = Weight {
            sites: 1,
            placement: 5.0,
        };
        assert_eq!(a.cmp_desc(&b), std::cmp::Ordering::Less);
        assert!(Placement::new(1, 0.0) > Placement::new(2, 0.0));
        assert!(Placement::new(2, 1.0) > Placement::new(2, 0.5));
        assert_eq!(gap(1, 2, 4, 5), 2);
        assert_eq!(gap(1, 5, 3, 4), 0);
    }
}
