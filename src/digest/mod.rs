//! Digest: turns parsed articles into the shape of the site. Days and ranks, titles, slugs,
//! summaries, the headline index and the links between articles and headlines, and the
//! editor's work on top: duplicates merged ([`dedupe`]), titles recovered from the corpus's
//! headline lists ([`matching`]), top stories and briefings ([`briefing`]) and related
//! coverage ([`related`]). Pure: it never touches files and knows nothing of URLs or
//! templates.
//!
//! Each text is read once for its duplicate sketch, and each kept article's for its terms and
//! its runs of capitalised words ([`reading`]), through a memo the caller hands
//! [`assemble_with`]: a build backs it with its cache, so a rebuild reads only the texts that
//! changed, while the digest stays a pure function of its articles (a memo may only return
//! what reading the same text returns).
//!
//! [`assemble`] is a short composition of named phases (select, read the structure, merge
//! duplicates, own names, list index, ledes, title recovery, entries, topics and sites,
//! headline links, prominence, headline index, stories, related coverage, days), each taking
//! the values of those before it and returning its own. The digest says what it made in its
//! own terms (entries, the drafts left out by path, dropped lines by reason) plus its own
//! [`Diagnostic`]s; it builds no report records: [`crate::report`] does.

pub mod briefing;
pub mod dedupe;
pub mod headlines;
pub mod matching;
pub mod reading;
pub mod related;
pub mod signature;
pub mod sites;
pub mod stories;
pub mod structure;
pub mod terms;
pub mod text;
pub mod topics;

use crate::ingest::{Article, Body, Meta, TitleSource, lede};
use crate::model::{ArticleId, Day, Slug};
use crate::report::Diagnostic;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

pub use dedupe::DuplicateKind;
pub use headlines::Headline;
pub use related::{Related, Why};
pub use sites::{Site, SiteId};
pub use stories::{Story, StoryId, Storyline};
pub use structure::Dropped;
pub use topics::Topic;

/// Longest derived title, in characters.
const DERIVED_TITLE_MAX: usize = 90;
/// Longest derived summary, in characters.
const SUMMARY_MAX: usize = 220;
/// Slugs a day folder reserves for its own pages.
const RESERVED_SLUGS: &[&str] = &["page", "feed", "index", "static"];

#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Include `draft: true` articles.
    pub drafts: bool,
    /// How topics are found.
    pub topics: topics::Settings,
    /// How dumps' sites are found.
    pub sites: sites::Settings,
    /// How far from an article's day its site's lists may name it.
    pub title_window: matching::Window,
    /// How far apart the articles of one story may be.
    pub story_window: stories::Window,
}

/// A headline in an article's "more headlines" list, linked when the corpus has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeadlineRef {
    /// Shared: a site's lists repeat the same headlines from dump to dump, and each entry
    /// holds its list for the whole build.
    pub text: std::sync::Arc<str>,
    /// Index into [`Digest::articles`].
    pub article: Option<usize>,
}

/// Another file that carried the same story and was merged into this article.
#[derive(Debug, Clone, PartialEq)]
pub struct Copy {
    pub id: ArticleId,
    /// Path relative to the content folder.
    pub rel: PathBuf,
    pub day: Day,
    pub kind: DuplicateKind,
    /// Jaccard similarity of the word shingles with the kept text (1.0 for exact copies).
    pub similarity: f64,
}

/// An article as the site shows it.
#[derive(Debug, Clone)]
pub struct Entry {
    pub id: ArticleId,
    pub rel: PathBuf,
    pub day: Day,
    /// 1-based rank within the day.
    pub rank: usize,
    pub title: String,
    pub title_source: TitleSource,
    pub slug: Slug,
    pub body: Body,
    pub summary: String,
    pub word_count: usize,
    pub reading_minutes: usize,
    pub meta: Meta,
    /// The site the dump came from.
    pub site: Option<SiteId>,
    /// Lines left out of the body (the list's label, boilerplate), by reason.
    pub dropped: Vec<Dropped>,
    pub headlines: Vec<HeadlineRef>,
    /// Indices into [`Digest::topics`]: front-matter tags first, then extracted topics by
    /// how often the article mentions them.
    pub topics: Vec<usize>,
    /// Other files with the same story, merged into this article ("also received as").
    pub copies: Vec<Copy>,
    /// How many dumps' headline lists carried this article.
    pub carried: usize,
    /// How prominently its own site placed it.
    pub placement: stories::Placement,
    /// Its story (an index into [`Digest::stories`]): every article has one, alone or not.
    pub story: StoryId,
    /// Whole lead sentences (or the front-matter `summary`).
    pub briefing: String,
    /// Related coverage, newest first.
    pub related: Vec<Related>,
}

impl Entry {
    /// Plain-text paragraphs of the body ([`Body::lead`]).
    pub fn lead(&self) -> std::borrow::Cow<'_, [String]> {
        self.body.lead()
    }
}

/// One day and its articles, by rank.
#[derive(Debug, Clone)]
pub struct DayGroup {
    pub day: Day,
    /// Indices into [`Digest::articles`], by rank.
    pub articles: Vec<usize>,
    /// The day's stories, each shown once by one of its articles of the day (the story's
    /// lead when it is of this day, else the best placed): indices into
    /// [`Digest::articles`], by rank.
    pub stories: Vec<usize>,
    /// "Top stories": some of [`DayGroup::stories`], most covered first (see [`briefing`]).
    pub top: Vec<usize>,
    /// "New today": indices into [`Digest::headlines`] of headlines first seen this day
    /// that are not the title of one of this day's articles; most carried first.
    pub new_headlines: Vec<usize>,
}

/// The whole site's content, ready to be planned into pages.
#[derive(Debug, Clone, Default)]
pub struct Digest {
    /// Newest day first, then by rank.
    pub articles: Vec<Entry>,
    /// Newest day first.
    pub days: Vec<DayGroup>,
    pub headlines: Vec<Headline>,
    /// Every topic, most articles first (see [`topics`]).
    pub topics: Vec<Topic>,
    /// Every source site, in the order first found (see [`sites`]).
    pub sites: Vec<Site>,
    /// Every story, heaviest first (see [`stories`]).
    pub stories: Vec<Story>,
    /// Stories that continue over several days, each with a page.
    pub storylines: Vec<Storyline>,
    /// Drafts left out of this build: their paths, relative to the content folder.
    pub drafts: Vec<PathBuf>,
    /// Problems found while assembling (e.g. a `duplicate_of` naming no file); paths are
    /// relative to the content folder.
    pub diagnostics: Vec<Diagnostic>,
    /// The wall time of each phase, in the order they ran.
    pub phases: Vec<PhaseTime>,
}

/// Assembles the digest, reading every article's text afresh ([`assemble_with`]).
pub fn assemble(
    articles: Vec<Article>,
    orphan_headlines: Vec<(Day, Vec<String>)>,
    opts: Options,
) -> Digest {
    assemble_with(articles, orphan_headlines, opts, &reading::Fresh)
}

/// Assembles the digest: the phases below, in the order each needs the ones before it. Each
/// takes values and returns its own; the per-entry results of the later phases are filled
/// into the entries here. `orphan_headlines` are headline lists of files that had no body.
/// `memo` gives the reading of each kept article's text ([`reading`]).
pub fn assemble_with(
    articles: Vec<Article>,
    orphan_headlines: Vec<(Day, Vec<String>)>,
    opts: Options,
    memo: &dyn reading::Memo,
) -> Digest {
    let mut clock = Clock::start();
    let (articles, drafts) = select(articles, opts.drafts);
    let (articles, structure) = read_structure(articles, &opts.sites);
    clock.lap("structure");
    let (merged, diagnostics) = merge_duplicates(articles, memo);
    clock.lap("duplicates");
    let keys = Keys::default();
    let names = own_names(&merged, &keys);
    let lists = index_lists(&merged, &structure, &orphan_headlines, &names, &keys);
    clock.lap("lists");
    let reading = read_ledes(&merged.kept, memo);
    clock.lap("ledes");
    let recovery = recover_titles(
        &merged,
        &structure,
        &names,
        lists,
        &reading,
        &keys,
        opts.title_window,
    );
    clock.lap("titles");
    let Entries {
        mut entries,
        by_day,
        group_lists,
    } = make_entries(merged, names.own, &recovery, structure.of);
    clock.lap("entries");
    // As soon as the titles are final: the term vectors are the largest thing the text's
    // reading leaves, and the signatures are all that the later phases read of them.
    let signatures = signatures(&entries, reading);
    clock.lap("signatures");
    let (topics, entry_topics, sites) =
        topics_and_sites(&entries, memo, structure.sites, &opts.topics);
    fill(&mut entries, entry_topics, |e, t| e.topics = t);
    clock.lap("topics");
    let titles = headline_targets(names.known, &entries, &recovery, &keys);
    let links = headline_links(&entries, &titles, &keys);
    fill(&mut entries, links, |e, links| {
        for (h, link) in e.headlines.iter_mut().zip(links) {
            h.article = link;
        }
    });
    let carried = carried_by_lists(&entries, &group_lists, &orphan_headlines, &titles, &keys);
    fill(&mut entries, carried, |e, c| e.carried = c);
    let placed = placements(&entries, opts.title_window);
    fill(&mut entries, placed, |e, p| e.placement = p);
    clock.lap("links");
    let headlines = headline_index(&entries, &group_lists, &orphan_headlines, &titles, &keys);
    // What only the lists' phases read: every headline's normal form and every copy's list.
    drop((titles, recovery, keys, group_lists, orphan_headlines));
    clock.lap("headlines");
    let found = find_stories(&entries, &signatures, opts.story_window);
    fill(&mut entries, &found.story_of, |e, s| e.story = *s);
    clock.lap("stories");
    let related = related_coverage(&entries, &signatures, &found);
    drop(signatures);
    fill(&mut entries, related, |e, r| e.related = r);
    clock.lap("related");
    let days = day_groups(by_day, &entries, &headlines, &found.stories);
    clock.lap("days");
    Digest {
        articles: entries,
        days,
        headlines,
        topics,
        sites,
        stories: found.stories,
        storylines: found.storylines,
        drafts,
        diagnostics,
        phases: clock.laps,
    }
}

/// How long one named phase of [`assemble_with`] took: the profile `--timings` prints under
/// the assemble stage, so a slow digest says which phase to look at.
#[derive(Debug, Clone, PartialEq)]
pub struct PhaseTime {
    pub name: &'static str,
    pub duration: std::time::Duration,
}

/// Times the phases one after another: each lap is the time since the one before.
struct Clock {
    laps: Vec<PhaseTime>,
    since: std::time::Instant,
}

impl Clock {
    fn start() -> Clock {
        Clock {
            laps: Vec::new(),
            since: std::time::Instant::now(),
        }
    }

    fn lap(&mut self, name: &'static str) {
        let now = std::time::Instant::now();
        self.laps.push(PhaseTime {
            name,
            duration: now - self.since,
        });
        self.since = now;
    }
}

/// Gives each entry (in order) its value from a later phase.
fn fill<T>(
    entries: &mut [Entry],
    values: impl IntoIterator<Item = T>,
    set: impl Fn(&mut Entry, T),
) {
    for (e, v) in entries.iter_mut().zip(values) {
        set(e, v);
    }
}

/// First, because nothing else may see a draft the build leaves out: the articles to build,
/// newest day first, within a day by rank, then file path (the documented fallback); and the
/// paths of the drafts left out.
fn select(articles: Vec<Article>, include_drafts: bool) -> (Vec<Article>, Vec<PathBuf>) {
    let mut drafts = Vec::new();
    let mut kept: Vec<Article> = Vec::with_capacity(articles.len());
    for a in articles {
        if a.draft && !include_drafts {
            drafts.push(a.rel);
        } else {
            kept.push(a);
        }
    }
    kept.sort_by(|a, b| {
        b.day
            .cmp(&a.day)
            .then(a.rank.unwrap_or(u32::MAX).cmp(&b.rank.unwrap_or(u32::MAX)))
            .then(a.rel.cmp(&b.rel))
    });
    (kept, drafts)
}

/// What reading the structure of the dumps found, by file (path relative to the content
/// folder): its site (an index into `sites`) and the lines left out of its body.
struct Structure {
    of: HashMap<PathBuf, (Option<usize>, Vec<Dropped>)>,
    sites: Vec<sites::Found>,
}

impl Structure {
    fn site(&self, rel: &Path) -> Option<usize> {
        self.of.get(rel).and_then(|r| r.0)
    }
    /// Whether the dump's site is known only from lists sharing one line at a time.
    fn pooled(&self, rel: &Path) -> bool {
        self.site(rel)
            .and_then(|s| self.sites.get(s))
            .is_some_and(|s| s.pooled)
    }
}

/// The structure of each dump, read with the corpus: lists, sites, boilerplate. Before the
/// duplicates, because copies are found on clean bodies only, so a shared headline list
/// never merges two articles; and a site's boilerplate is known only from all its dumps.
fn read_structure(
    mut articles: Vec<Article>,
    settings: &sites::Settings,
) -> (Vec<Article>, Structure) {
    let mut drops = structure::read_lists(&mut articles);
    let (site_of, found_sites) = sites::assign(&articles, settings);
    let boilerplate_site: Vec<usize> = site_of
        .iter()
        .enumerate()
        .map(|(i, s)| s.unwrap_or(found_sites.len() + i))
        .collect();
    structure::drop_boilerplate(&mut articles, &boilerplate_site, &mut drops);
    let of = articles
        .iter()
        .zip(site_of)
        .zip(drops)
        .map(|((a, s), d)| (a.rel.clone(), (s, d)))
        .collect();
    let found = Structure {
        of,
        sites: found_sites,
    };
    (articles, found)
}

/// The articles after merging duplicates: each kept one (in site order) with its copies,
/// oldest first, and how each joined.
struct Merged {
    kept: Vec<Article>,
    copies: Vec<Vec<Article>>,
    kinds: Vec<Vec<Joined>>,
}

/// How a copy joined its kept article, and the similarity of their texts.
type Joined = (DuplicateKind, f64);

impl Merged {
    /// The kept article `i` and its copies.
    fn group(&self, i: usize) -> impl Iterator<Item = &Article> {
        std::iter::once(&self.kept[i]).chain(self.copies[i].iter())
    }
}

/// What the articles are called by their own files.
struct Names {
    /// Each kept article's own title: a given one of its group, else the first found (a
    /// copy's title serves its story).
    own: Vec<Option<(String, TitleSource)>>,
    /// Normal forms of the own titles and aliases, to the article they name (the first wins).
    known: HashMap<Rc<str>, usize>,
}

/// After merging, because a copy's title serves its story; before title recovery, because a
/// headline that is already an article's name is no candidate for another.
fn own_names(merged: &Merged, keys: &Keys) -> Names {
    let own: Vec<Option<(String, TitleSource)>> = (0..merged.kept.len())
        .map(|i| {
            let all: Vec<_> = merged.group(i).filter_map(|x| x.title.clone()).collect();
            all.iter()
                .find(|(_, s)| *s == TitleSource::Given)
                .or_else(|| all.first())
                .cloned()
        })
        .collect();
    let mut known: HashMap<Rc<str>, usize> = Default::default();
    for (i, t) in own.iter().enumerate() {
        if let Some((t, _)) = t {
            known.entry(keys.of(t)).or_insert(i);
        }
    }
    for (i, a) in merged.kept.iter().enumerate() {
        for alias in &a.meta.aliases {
            let key = keys.of(alias);
            if !key.is_empty() {
                known.entry(key).or_insert(i);
            }
        }
    }
    Names { own, known }
}

/// Every distinct headline of the corpus's lists that is no article's own name, indexed
/// once, with where (site) and when (day) lists carried it.
struct ListIndex {
    keys: Vec<String>,
    texts: Vec<String>,
    carriers: Vec<Vec<matching::Carrier>>,
}

/// The candidates for title recovery, from every list of the corpus (copies' and bodiless
/// files' too): after the own names, which are no candidates.
fn index_lists(
    merged: &Merged,
    structure: &Structure,
    orphan_headlines: &[(Day, Vec<String>)],
    names: &Names,
    keys: &Keys,
) -> ListIndex {
    let mut index = ListIndex {
        keys: Vec::new(),
        texts: Vec::new(),
        carriers: Vec::new(),
    };
    let mut seen: HashMap<Rc<str>, usize> = HashMap::default();
    let lists = merged
        .kept
        .iter()
        .chain(merged.copies.iter().flatten())
        .map(|a| (structure.site(&a.rel), a.day, &a.headlines))
        .chain(orphan_headlines.iter().map(|(d, hs)| (None, *d, hs)));
    for (site, day, hs) in lists {
        for h in hs {
            let key = keys.of(h);
            if key.is_empty() || names.known.contains_key(&key) {
                continue;
            }
            let at = *seen.entry(key.clone()).or_insert_with(|| {
                index.keys.push(key.to_string());
                index.texts.push(h.trim().to_string());
                index.carriers.push(Vec::new());
                index.carriers.len() - 1
            });
            if !index.carriers[at].contains(&(site, day)) {
                index.carriers[at].push((site, day));
            }
        }
    }
    index
}

/// Each kept article read once, for title matching, proper nouns, stories and related
/// coverage: the terms of its cleaned lede (no dateline, byline or credit), and the terms the
/// corpus writes as proper nouns. The cleaned ledes are views of the articles' text, made
/// again where they are read ([`make_entries`]) rather than held: a held copy of every
/// article's text was a sixth of the heap.
struct Reading {
    analyses: Vec<terms::Analysis>,
    proper: HashSet<terms::TermId>,
}

/// After merging, so that copies are not read; every later phase that reads text reads this.
fn read_ledes(kept: &[Article], memo: &dyn reading::Memo) -> Reading {
    use rayon::prelude::*;
    let analyses: Vec<terms::Analysis> = kept.par_iter().map(|a| memo.terms(&a.lead())).collect();
    let proper = matching::proper_nouns(&analyses);
    Reading { analyses, proper }
}

/// Titles recovered from the lists: for each kept article, its headline if one clearly
/// names it, and the recovered headlines' normal forms and texts.
struct Recovery {
    found: Vec<Option<matching::Recovered>>,
    keys: Vec<String>,
    texts: Vec<String>,
}

/// Recovers titles for the articles with none of their own: before the entries, which take
/// their titles from it. The lists' carriers are needed only here, and freed here.
fn recover_titles(
    merged: &Merged,
    structure: &Structure,
    names: &Names,
    lists: ListIndex,
    reading: &Reading,
    keys: &Keys,
    window: matching::Window,
) -> Recovery {
    let ids: HashMap<&str, usize> = lists
        .keys
        .iter()
        .enumerate()
        .map(|(i, k)| (k.as_str(), i))
        .collect();
    // The lists' own evidence: what each dump's neighbours list and it does not.
    let expected = {
        let own_lists: Vec<Vec<usize>> = merged
            .kept
            .iter()
            .map(|a| {
                a.headlines
                    .iter()
                    .filter_map(|h| ids.get(&*keys.of(h)).copied())
                    .collect()
            })
            .collect();
        let sites: Vec<Option<usize>> =
            merged.kept.iter().map(|a| structure.site(&a.rel)).collect();
        matching::expected_titles(&own_lists, &sites)
    };
    let no_text = terms::Analysis::default();
    let queries: Vec<matching::Query> = (0..merged.kept.len())
        .zip(&names.own)
        .zip(&reading.analyses)
        .zip(expected)
        .map(|(((i, title), analysis), expected)| {
            let a = &merged.kept[i];
            matching::Query {
                expected,
                text: if title.is_none() { analysis } else { &no_text },
                site: structure.site(&a.rel),
                day: a.day,
                blocked: {
                    let mut b: Vec<u32> = merged
                        .group(i)
                        .flat_map(|x| x.headlines.iter())
                        .filter_map(|h| ids.get(&*keys.of(h)).map(|&i| i as u32))
                        .collect();
                    b.sort_unstable();
                    b.dedup();
                    b
                },
                recover: title.is_none()
                    && !structure.pooled(&a.rel)
                    && merged.group(i).all(|x| x.meta.recover_title != Some(false)),
            }
        })
        .collect();
    let found = matching::recover(
        &lists.texts,
        &lists.keys,
        &lists.carriers,
        window,
        &reading.proper,
        &queries,
    );
    Recovery {
        found,
        keys: lists.keys,
        texts: lists.texts,
    }
}

/// The entries, by day (each day's by rank), and for each the headline lists of its copies.
struct Entries {
    entries: Vec<Entry>,
    by_day: BTreeMap<Day, Vec<usize>>,
    group_lists: Vec<Vec<(Day, Vec<String>)>>,
}

/// Articles whose prose is read together, in parallel, before their entries are made.
const PROSE_CHUNK: usize = 2048;

/// What an entry takes from its own text alone: read in parallel, a chunk of articles at a
/// time, before their entries are made in order (slugs and ranks depend on the order).
struct Prose {
    /// Its derived title, when it has neither its own nor a recovered one.
    derived: Option<(String, TitleSource)>,
    word_count: usize,
    summary: String,
    briefing: String,
}

impl Prose {
    fn of(a: &Article, titled: bool) -> Prose {
        let lead = a.lead();
        let lede = lede::clean(&lead);
        let (summary, briefing) = summaries(&a.meta, &lede);
        Prose {
            derived: (!titled).then(|| derived_title(a, &lede)),
            word_count: text::word_count(&lead),
            summary,
            briefing,
        }
    }
}

/// The articles as the site shows them, once every title is known: titles, slugs,
/// summaries, ranks and copies. The later phases fill in the rest of each entry.
fn make_entries(
    merged: Merged,
    own_titles: Vec<Option<(String, TitleSource)>>,
    recovery: &Recovery,
    mut read_of: HashMap<PathBuf, (Option<usize>, Vec<Dropped>)>,
) -> Entries {
    let mut by_day: BTreeMap<Day, Vec<usize>> = BTreeMap::new();
    let mut entries: Vec<Entry> = Vec::with_capacity(merged.kept.len());
    let mut used_slugs: HashMap<Day, HashSet<Slug>> = HashMap::default();
    let mut group_lists: Vec<Vec<(Day, Vec<String>)>> = Vec::with_capacity(merged.kept.len());
    let mut shared: HashSet<std::sync::Arc<str>> = HashSet::default();
    // Read a chunk at a time: the prose of the whole corpus at once, beside the articles it
    // is read from, was 34 MiB more at the peak of 100,000 dumps.
    let mut items = merged
        .kept
        .into_iter()
        .zip(merged.copies)
        .zip(merged.kinds)
        .zip(own_titles)
        .zip(&recovery.found);
    let mut ready = Vec::new().into_iter();
    let with_prose = std::iter::from_fn(move || {
        use rayon::prelude::*;
        if let Some(next) = ready.next() {
            return Some(next);
        }
        let chunk: Vec<_> = items.by_ref().take(PROSE_CHUNK).collect();
        let prose: Vec<Prose> = chunk
            .par_iter()
            .map(|((((a, _), _), own), rec)| Prose::of(a, own.is_some() || rec.is_some()))
            .collect();
        ready = chunk.into_iter().zip(prose).collect::<Vec<_>>().into_iter();
        ready.next()
    });
    for (((((a, mut copies), kinds), own), rec), prose) in with_prose {
        let (title, title_source) = match (own, rec) {
            (Some(t), _) => t,
            (None, Some(r)) => (
                recovery.texts[r.headline].clone(),
                TitleSource::HeadlineList,
            ),
            // The prose derived it for every article with neither.
            (None, None) => prose
                .derived
                .unwrap_or_else(|| derived_title(&a, &lede::clean(&a.lead()))),
        };
        let (site, dropped) = read_of.remove(&a.rel).unwrap_or_default();
        let title = crate::safety::strip_bidi_controls(&title).into_owned();
        let slug = unique_slug(&a, &title, used_slugs.entry(a.day).or_default());
        let day_list = by_day.entry(a.day).or_default();
        let Prose {
            word_count,
            summary,
            briefing,
            derived: _,
        } = prose;
        day_list.push(entries.len());
        // A copy's list is read by the lists' phases, and nothing else of it needs it.
        group_lists.push(
            copies
                .iter_mut()
                .map(|c| (c.day, std::mem::take(&mut c.headlines)))
                .collect(),
        );
        entries.push(Entry {
            rank: day_list.len(),
            id: a.id,
            rel: a.rel,
            day: a.day,
            title,
            title_source,
            slug,
            body: a.body,
            summary,
            briefing,
            word_count,
            reading_minutes: text::reading_minutes(word_count),
            meta: a.meta,
            site: site.map(SiteId::new),
            dropped,
            headlines: a
                .headlines
                .into_iter()
                .map(|text| HeadlineRef {
                    text: shared_text(&mut shared, text),
                    article: None,
                })
                .collect(),
            topics: Vec::new(),
            copies: merged_copies(copies, kinds),
            carried: 0,
            placement: stories::Placement::default(),
            story: StoryId::new(0),
            related: Vec::new(),
        });
    }
    Entries {
        entries,
        by_day,
        group_lists,
    }
}

/// `text`, held once however many lists carry it.
fn shared_text(seen: &mut HashSet<std::sync::Arc<str>>, text: String) -> std::sync::Arc<str> {
    if let Some(known) = seen.get(text.as_str()) {
        return known.clone();
    }
    let text: std::sync::Arc<str> = text.into();
    seen.insert(text.clone());
    text
}

/// An article's summary and briefing: the front-matter `summary` when it has one, else cut
/// from (summary) or the whole sentences of (briefing) its cleaned lede.
fn summaries(meta: &Meta, lede: &[&str]) -> (String, String) {
    let given = meta
        .summary
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string);
    let summary = given
        .clone()
        .unwrap_or_else(|| text::cut_at_word(lede.first().copied().unwrap_or(""), SUMMARY_MAX));
    let briefing = given.unwrap_or_else(|| briefing::briefing(lede));
    (summary, briefing)
}

/// The copies of one kept article, as its entry tells of them.
fn merged_copies(copies: Vec<Article>, kinds: Vec<Joined>) -> Vec<Copy> {
    copies
        .into_iter()
        .zip(kinds)
        .map(|(c, (kind, similarity))| Copy {
            id: c.id,
            rel: c.rel,
            day: c.day,
            kind,
            similarity,
        })
        .collect()
}

/// Topics of the entries (indices into the topics, per entry) and the finished sites: on the
/// entries' final text, and together because a site's own name is no topic of its articles.
fn topics_and_sites(
    entries: &[Entry],
    memo: &dyn reading::Memo,
    found_sites: Vec<sites::Found>,
    settings: &topics::Settings,
) -> (Vec<Topic>, Vec<Vec<usize>>, Vec<Site>) {
    use rayon::prelude::*;
    // Held for this phase only: a few integers per capitalised word of the corpus.
    let runs: Vec<topics::Runs> = if settings.extract {
        entries.par_iter().map(|e| memo.runs(&e.lead())).collect()
    } else {
        Vec::new()
    };
    let (mut topics, mut entry_topics) = topics::assign(entries, runs, settings);
    let entry_sites: Vec<Option<usize>> =
        entries.iter().map(|e| e.site.map(SiteId::index)).collect();
    let site_list = sites::finish(found_sites, &entry_sites);
    topics::drop_names(
        &mut topics,
        &mut entry_topics,
        &site_list
            .iter()
            .map(|s| s.name.as_str())
            .collect::<Vec<_>>(),
    );
    (topics, entry_topics, site_list)
}

/// Which article each headline text names, once every title is final: exact titles and
/// aliases first (the first, newest, top-ranked article wins a shared title), then the
/// recovered headline and its rewordings.
fn headline_targets(
    known: HashMap<Rc<str>, usize>,
    entries: &[Entry],
    recovery: &Recovery,
    keys: &Keys,
) -> HashMap<Rc<str>, usize> {
    let mut titles = known;
    for (i, e) in entries.iter().enumerate() {
        titles.entry(keys.of(&e.title)).or_insert(i);
    }
    for (i, r) in recovery.found.iter().enumerate() {
        if let Some(r) = r {
            for &h in std::iter::once(&r.headline).chain(&r.variants) {
                titles.entry(recovery.keys[h].as_str().into()).or_insert(i);
            }
        }
    }
    titles
}

/// For each entry, the article each of its "more headlines" names (never itself).
fn headline_links(
    entries: &[Entry],
    titles: &HashMap<Rc<str>, usize>,
    keys: &Keys,
) -> Vec<Vec<Option<usize>>> {
    entries
        .iter()
        .enumerate()
        .map(|(i, e)| {
            e.headlines
                .iter()
                .map(|h| titles.get(&keys.of(&h.text)).copied().filter(|&t| t != i))
                .collect()
        })
        .collect()
}

/// Prominence, once headlines name articles: for each entry, how many dumps' lists carry
/// it (each dump once, whatever it lists twice; never its own).
fn carried_by_lists(
    entries: &[Entry],
    group_lists: &[Vec<(Day, Vec<String>)>],
    orphan_headlines: &[(Day, Vec<String>)],
    titles: &HashMap<Rc<str>, usize>,
    keys: &Keys,
) -> Vec<usize> {
    let mut carried = vec![0usize; entries.len()];
    let mut count_list = |owner: Option<usize>, hs: &mut dyn Iterator<Item = &str>| {
        let targets: HashSet<usize> = hs
            .filter_map(|h| titles.get(&keys.of(h)).copied())
            .filter(|&t| Some(t) != owner)
            .collect();
        for t in targets {
            carried[t] += 1;
        }
    };
    for (i, e) in entries.iter().enumerate() {
        count_list(Some(i), &mut e.headlines.iter().map(|h| &*h.text));
        for (_, hs) in &group_lists[i] {
            count_list(Some(i), &mut hs.iter().map(String::as_str));
        }
    }
    for (_, hs) in orphan_headlines {
        count_list(None, &mut hs.iter().map(String::as_str));
    }
    carried
}

/// The headline index, once headlines name articles: every title and listed headline, with
/// the days it was seen (every file of a story is a dump titled by it).
fn headline_index(
    entries: &[Entry],
    group_lists: &[Vec<(Day, Vec<String>)>],
    orphan_headlines: &[(Day, Vec<String>)],
    titles: &HashMap<Rc<str>, usize>,
    keys: &Keys,
) -> Vec<Headline> {
    let sightings = entries
        .iter()
        .enumerate()
        .flat_map(|(i, e)| {
            std::iter::once((e.day, e.title.as_str()))
                .chain(e.copies.iter().map(|c| (c.day, e.title.as_str())))
                .chain(e.headlines.iter().map(|h| (e.day, &*h.text)))
                .chain(
                    group_lists[i]
                        .iter()
                        .flat_map(|(d, hs)| hs.iter().map(move |h| (*d, h.as_str()))),
                )
        })
        .chain(
            orphan_headlines
                .iter()
                .flat_map(|(d, hs)| hs.iter().map(move |h| (*d, h.as_str()))),
        );
    headlines::build_with(sightings, |k| titles.get(k).copied(), |t| keys.of(t))
}

/// What each entry is about, for stories and related coverage: its text with its final
/// title. Takes the reading, which nothing reads after it.
fn signatures(entries: &[Entry], reading: Reading) -> signature::Signatures {
    let titles: Vec<Vec<terms::Term>> = entries.iter().map(|e| terms::terms(&e.title)).collect();
    signature::build(reading.analyses, &titles, &reading.proper)
}

/// Related coverage of each entry, newest first: after the stories, because an article's
/// own story and storyline are shown apart from it.
fn related_coverage(
    entries: &[Entry],
    signatures: &signature::Signatures,
    found: &stories::Found,
) -> Vec<Vec<Related>> {
    let docs: Vec<related::Doc> = signatures
        .of
        .iter()
        .zip(entries)
        .map(|(sig, e)| related::Doc {
            signature: sig,
            topics: &e.topics,
            story: e.story,
            storyline: found.stories[e.story.index()].storyline,
        })
        .collect();
    let members: Vec<&[usize]> = found.stories.iter().map(|s| &s.members[..]).collect();
    let lines: Vec<&[usize]> = found.storylines.iter().map(|l| &l.articles[..]).collect();
    related::related(&docs, &members, &lines)
}

/// The days, newest first, last: each needs its articles' stories (and their weight) and
/// the headline index for its "new today".
fn day_groups(
    by_day: BTreeMap<Day, Vec<usize>>,
    entries: &[Entry],
    headlines: &[Headline],
    stories: &[Story],
) -> Vec<DayGroup> {
    let mut new_by_day: HashMap<Day, Vec<usize>> = HashMap::default();
    for (i, h) in headlines.iter().enumerate() {
        let Some(&first) = h.days.first() else {
            continue;
        };
        if h.article.is_some_and(|a| entries[a].day == first) {
            continue;
        }
        new_by_day.entry(first).or_default().push(i);
    }
    by_day
        .into_iter()
        .rev()
        .map(|(day, articles)| {
            let shown = day_stories(&articles, entries, stories);
            let top = briefing::top_stories(&shown, |i| {
                let e = &entries[i];
                (stories[e.story.index()].weight, e.site)
            });
            let mut new_headlines = new_by_day.remove(&day).unwrap_or_default();
            new_headlines
                .sort_by(|&a, &b| headlines[b].count.cmp(&headlines[a].count).then(a.cmp(&b)));
            DayGroup {
                day,
                articles,
                stories: shown,
                top,
                new_headlines,
            }
        })
        .collect()
}

/// How prominently each article's own site placed it: its rank among the site's articles of
/// its day, and the share of the site's dumps within `window` days whose lists carry it (an
/// article of no known site is ranked among all of its day's). After the lists are counted
/// ([`carried_by_lists`]), and before the stories, which weigh their articles by it.
fn placements(entries: &[Entry], window: matching::Window) -> Vec<stories::Placement> {
    let site_key = |e: &Entry| e.site.map(SiteId::index);
    let mut rank_of = vec![0usize; entries.len()];
    let mut seen: HashMap<(Option<usize>, Day), usize> = HashMap::default();
    let mut dumps: HashMap<(Option<usize>, i32), usize> = HashMap::default();
    // Entries are by day, then by rank.
    for (i, e) in entries.iter().enumerate() {
        let n = seen.entry((site_key(e), e.day)).or_default();
        *n += 1;
        rank_of[i] = if e.site.is_some() { *n } else { e.rank };
        *dumps.entry((site_key(e), e.day.number())).or_default() += 1 + e.copies.len();
    }
    let w = window.0 as i32;
    entries
        .iter()
        .zip(rank_of)
        .map(|(e, rank)| {
            let lists: usize = (-w..=w)
                .filter_map(|k| dumps.get(&(site_key(e), e.day.number() + k)))
                .sum();
            let share = e.carried as f64 / lists.saturating_sub(1).max(1) as f64;
            stories::Placement::new(rank, share)
        })
        .collect()
}

/// Clusters the entries into stories: once titles, placements and signatures are final, all of
/// which it weighs; before related coverage and the days, which show an article's story.
fn find_stories(
    entries: &[Entry],
    signatures: &signature::Signatures,
    window: stories::Window,
) -> stories::Found {
    let pins: Vec<Option<stories::Pin>> = entries
        .iter()
        .map(|e| e.meta.story.as_deref().and_then(stories::Pin::parse))
        .collect();
    let dates: Vec<usize> = {
        use rayon::prelude::*;
        entries
            .par_iter()
            .map(|e| text::distinct_dates(&e.lead()))
            .collect()
    };
    let docs: Vec<stories::Doc> = entries
        .iter()
        .zip(&signatures.of)
        .zip(&pins)
        .zip(dates)
        .map(|(((e, sig), pin), dates)| stories::Doc {
            signature: sig,
            day: e.day,
            site: e.site,
            pin: pin.as_ref(),
            placement: e.placement,
            words: e.word_count,
            dates,
            title: &e.title,
        })
        .collect();
    stories::find(&docs, &signatures.proper, window)
}

/// The day's stories (`day`: the day's articles by rank), each once: by its lead when the
/// lead is of this day, else by its best-placed article of the day. By rank.
fn day_stories(day: &[usize], entries: &[Entry], stories: &[Story]) -> Vec<usize> {
    let mut shown: HashMap<StoryId, usize> = HashMap::default();
    for &i in day {
        let s = entries[i].story;
        let lead = stories[s.index()].lead;
        match shown.get(&s) {
            Some(&j) if j == lead => {}
            Some(&j) if i != lead && entries[j].placement >= entries[i].placement => {}
            _ => {
                shown.insert(s, i);
            }
        }
    }
    let mut out: Vec<usize> = shown.into_values().collect();
    out.sort_unstable_by_key(|&i| entries[i].rank);
    out
}

/// The normal form of each distinct headline text, computed once: the same headlines recur in
/// thousands of lists.
#[derive(Default)]
struct Keys(std::cell::RefCell<HashMap<String, Rc<str>>>);

impl Keys {
    fn of(&self, text: &str) -> Rc<str> {
        if let Some(k) = self.0.borrow().get(text) {
            return k.clone();
        }
        let k: Rc<str> = text::normalise(text).into();
        self.0.borrow_mut().insert(text.to_string(), k.clone());
        k
    }
}

/// Finds duplicates and takes the copies out, after the structure is read (copies are found
/// on clean bodies) and before anything is computed per article (a copy is not an article).
/// The copy kept is the first received: the oldest day, then the best rank, then the path.
/// Also says which `duplicate_of` named no file (paths relative to the content folder).
fn merge_duplicates(articles: Vec<Article>, memo: &dyn reading::Memo) -> (Merged, Vec<Diagnostic>) {
    let mut diagnostics = Vec::new();
    // Preference order: first received first.
    let mut pref: Vec<usize> = (0..articles.len()).collect();
    pref.sort_by(|&a, &b| {
        let (a, b) = (&articles[a], &articles[b]);
        a.day
            .cmp(&b.day)
            .then(a.rank.unwrap_or(u32::MAX).cmp(&b.rank.unwrap_or(u32::MAX)))
            .then(a.rel.cmp(&b.rel))
    });
    let pos_of: HashMap<usize, usize> = pref.iter().enumerate().map(|(p, &i)| (i, p)).collect();
    let mut by_name: HashMap<String, usize> = HashMap::default();
    for (i, a) in articles.iter().enumerate() {
        by_name.insert(crate::ingest::slash_path(&a.rel), i);
        by_name.entry(a.id.as_str().to_string()).or_insert(i);
    }
    let mut forced = Vec::new();
    for (i, a) in articles.iter().enumerate() {
        let Some(target) = a.meta.duplicate_of.as_deref().map(str::trim) else {
            continue;
        };
        let target = target
            .trim_start_matches("./")
            .trim_start_matches("content/");
        match by_name.get(target) {
            Some(&t) if t != i => forced.push((pos_of[&i], pos_of[&t])),
            Some(_) => diagnostics.push(Diagnostic::warning(
                &a.rel,
                "front matter: `duplicate_of` names this file itself; ignored",
            )),
            None => diagnostics.push(Diagnostic::warning(
                &a.rel,
                format!(
                    "front matter: `duplicate_of` {target:?} names no article in the content folder (a path under it, or a HEXID); not merged"
                ),
            )),
        }
    }
    let docs: Vec<dedupe::Doc> = pref
        .iter()
        .map(|&i| dedupe::Doc {
            body: &articles[i].body,
            never_merge: articles[i].meta.merge == Some(false),
        })
        .collect();
    let sketches = dedupe::sketch_all(&docs, |lead| memo.sketch(lead));
    let groups = dedupe::find_sketched(&docs, sketches, &forced);
    drop(docs);
    let mut copy_to_kept: HashMap<usize, (usize, DuplicateKind, f64)> = HashMap::default();
    for g in &groups {
        for c in &g.copies {
            copy_to_kept.insert(pref[c.doc], (pref[g.kept], c.kind, c.similarity));
        }
    }
    let mut slots: Vec<Option<Article>> = articles.into_iter().map(Some).collect();
    let mut copies: HashMap<usize, Vec<(Article, Joined)>> = HashMap::default();
    for &i in &pref {
        if let Some(&(k, kind, sim)) = copy_to_kept.get(&i)
            && let Some(a) = slots[i].take()
        {
            copies.entry(k).or_default().push((a, (kind, sim)));
        }
    }
    let mut kept = Vec::new();
    let mut kept_copies = Vec::new();
    let mut kinds = Vec::new();
    for (i, slot) in slots.into_iter().enumerate() {
        if let Some(a) = slot {
            kept.push(a);
            let (c, k): (Vec<_>, Vec<_>) =
                copies.remove(&i).unwrap_or_default().into_iter().unzip();
            kept_copies.push(c);
            kinds.push(k);
        }
    }
    let merged = Merged {
        kept,
        copies: kept_copies,
        kinds,
    };
    (merged, diagnostics)
}

/// A title that reads as a headline, from the cleaned lede: the first sentence when it is
/// short enough, else its first complete clause of at most [`DERIVED_TITLE_MAX`] characters,
/// else the sentence cut at a word boundary; never under three words ("Untitled article of
/// DAY" when the text has no sentence that long).
fn derived_title(a: &Article, lede: &[&str]) -> (String, TitleSource) {
    let mut candidates = lede
        .iter()
        .flat_map(|p| text::sentences(p))
        .map(headline_of)
        .filter(|t| !t.is_empty());
    // Two words of text ("View Comments") read as no headline: say what the page is.
    let title = candidates
        .find(|t| t.split_whitespace().count() >= 3)
        .unwrap_or_else(|| format!("Untitled article of {}", a.day.human()));
    (title, TitleSource::Derived)
}

/// One sentence as a headline: without its full stop, and at most [`DERIVED_TITLE_MAX`]
/// characters, cut at the last clause boundary that keeps four words, or at a word.
fn headline_of(sentence: &str) -> String {
    let s = sentence.trim();
    let s = s.strip_suffix('.').unwrap_or(s).trim();
    if s.chars().count() <= DERIVED_TITLE_MAX {
        return s.to_string();
    }
    let limit = s
        .char_indices()
        .nth(DERIVED_TITLE_MAX)
        .map_or(s.len(), |(i, _)| i);
    let head = &s[..limit];
    let clause_end = head
        .match_indices([',', ';', ':', '—', '–'])
        .map(|(i, _)| i)
        .rfind(|&i| head[..i].split_whitespace().count() >= 4);
    match clause_end {
        Some(i) => head[..i].trim_end().to_string(),
        None => text::cut_at_word(s, DERIVED_TITLE_MAX),
    }
}

fn unique_slug(a: &Article, title: &str, used: &mut HashSet<Slug>) -> Slug {
    let base = a
        .meta
        .slug
        .as_deref()
        .and_then(Slug::from_text)
        .or_else(|| Slug::from_text(title))
        .or_else(|| Slug::from_text(&format!("article-{}", a.id)))
        .unwrap_or_else(|| Slug::from_text("article").expect("constant slug"));
    let mut slug = base.clone();
    let mut n = 2;
    while used.contains(&slug) || RESERVED_SLUGS.contains(&slug.as_str()) {
        slug = base.with_suffix(n);
        n += 1;
    }
    used.insert(slug.clone());
    slug
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_headline_carried_by_many_lists_is_held_once() {
        let mut seen = HashSet::default();
        let a = shared_text(&mut seen, "Bridge reopens".to_string());
        let b = shared_text(&mut seen, "Bridge reopens".to_string());
        let c = shared_text(&mut seen, "Port closes".to_string());
        assert!(std::sync::Arc::ptr_eq(&a, &b));
        assert_eq!((&*a, &*c), ("Bridge reopens", "Port closes"));
        assert_eq!(seen.len(), 2);
    }
    use crate::ingest::Meta;

    fn art(day: &str, rel: &str, rank: Option<u32>, title: Option<&str>, lead: &str) -> Article {
        Article {
            id: ArticleId::from_bytes(rel.as_bytes()),
            rel: rel.into(),
            day: Day::parse_iso(day).unwrap(),
            rank,
            title: title.map(|t| (t.to_string(), TitleSource::FirstLine)),
            body: Body::plain(&[lead]),
            headlines: vec![],
            list_label: None,
            meta: Meta::default(),
            draft: false,
        }
    }

    /// Remembers every reading it is asked for, and counts the texts whose sketches
    /// (`sketched`), terms (`read`) and runs (`runs_read`) it had to read.
    #[derive(Default)]
    struct Remembering {
        sketches: std::sync::Mutex<HashMap<Vec<String>, Option<dedupe::Sketch>>>,
        sketched: std::sync::atomic::AtomicUsize,
        terms: std::sync::Mutex<HashMap<Vec<String>, terms::Analysis>>,
        runs: std::sync::Mutex<HashMap<Vec<String>, topics::Runs>>,
        read: std::sync::atomic::AtomicUsize,
        runs_read: std::sync::atomic::AtomicUsize,
    }

    fn remember<V: Clone>(
        held: &std::sync::Mutex<HashMap<Vec<String>, V>>,
        count: &std::sync::atomic::AtomicUsize,
        lead: &[String],
        read: fn(&[String]) -> V,
    ) -> V {
        let mut held = held.lock().unwrap();
        held.entry(lead.to_vec())
            .or_insert_with(|| {
                count.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                read(lead)
            })
            .clone()
    }

    impl reading::Memo for Remembering {
        fn sketch(&self, lead: &[String]) -> Option<dedupe::Sketch> {
            remember(&self.sketches, &self.sketched, lead, reading::sketch)
        }

        fn terms(&self, lead: &[String]) -> terms::Analysis {
            remember(&self.terms, &self.read, lead, reading::terms)
        }

        fn runs(&self, lead: &[String]) -> topics::Runs {
            remember(&self.runs, &self.runs_read, lead, reading::runs)
        }
    }

    #[test]
    fn remembered_readings_make_the_same_digest_and_spare_reading_the_texts_again() {
        let lead = |place: &str, who: &str| {
            format!(
                "Officials in {place} said on Monday that {who} would visit the Harbour \
                 Board. {who} met the Harbour Board of {place} last year. Residents said \
                 little."
            )
        };
        let corpus = |extra: bool| {
            let mut a = vec![
                art(
                    "2026-02-05",
                    "a.txt",
                    Some(1),
                    None,
                    &lead("Port Avery", "Mara Quist"),
                ),
                art(
                    "2026-02-05",
                    "b.txt",
                    Some(2),
                    None,
                    &lead("Lindmark", "Mara Quist"),
                ),
                art(
                    "2026-02-04",
                    "c.txt",
                    Some(1),
                    None,
                    &lead("Port Avery", "Tomas Reyes"),
                ),
                art(
                    "2026-02-04",
                    "d.txt",
                    Some(2),
                    None,
                    &lead("Lindmark", "Tomas Reyes"),
                ),
                // A copy of c.txt received a day later: merged, so its terms are never read.
                art(
                    "2026-02-05",
                    "c-again.txt",
                    Some(3),
                    None,
                    &lead("Port Avery", "Tomas Reyes"),
                ),
            ];
            if extra {
                a.push(art(
                    "2026-02-06",
                    "e.txt",
                    Some(1),
                    None,
                    &lead("Kestrel Bay", "Mara Quist"),
                ));
            }
            a
        };
        // The digest, but for its phases' wall times.
        let shown = |mut d: Digest| {
            d.phases.clear();
            format!("{d:?}")
        };
        let fresh = |extra| shown(assemble(corpus(extra), vec![], Options::default()));
        let memo = Remembering::default();
        let with = |extra| {
            shown(assemble_with(
                corpus(extra),
                vec![],
                Options::default(),
                &memo,
            ))
        };
        let count =
            |c: &std::sync::atomic::AtomicUsize| c.load(std::sync::atomic::Ordering::Relaxed);
        let first = with(false);
        assert_eq!(first, fresh(false));
        assert!(
            first.contains("c-again.txt") && first.contains("Exact"),
            "{first}"
        );
        assert_eq!((count(&memo.sketched), count(&memo.read)), (4, 4));
        assert_eq!(with(false), fresh(false));
        assert_eq!((count(&memo.sketched), count(&memo.read)), (4, 4));
        // A new article is the only text read; the rest is as a fresh digest has it.
        let mut grown = assemble_with(corpus(true), vec![], Options::default(), &memo);
        grown.phases.clear();
        assert_eq!(format!("{grown:?}"), fresh(true));
        assert_eq!((count(&memo.sketched), count(&memo.read)), (5, 5));
        assert_eq!(count(&memo.runs_read), 5);
        let topics: Vec<&str> = grown.topics.iter().map(|t| t.name.as_str()).collect();
        assert!(
            topics.contains(&"Mara Quist"),
            "topics from the runs: {topics:?}"
        );
    }

    #[test]
    fn days_newest_first_and_rank_order() {
        let d = assemble(
            vec![
                art(
                    "2026-02-05",
                    "a/002.txt",
                    Some(2),
                    Some("Second"),
                    "Body 1.",
                ),
                art(
                    "2026-02-06",
                    "b/000.txt",
                    Some(0),
                    Some("Newest"),
                    "Body 2.",
                ),
                art("2026-02-05", "a/000.txt", Some(0), Some("First"), "Body 3."),
                art("2026-02-05", "a/zzz.txt", None, Some("Unranked"), "Body 4."),
            ],
            vec![],
            Options::default(),
        );
        assert_eq!(d.days[0].day.iso(), "2026-02-06");
        let titles: Vec<_> = d.days[1]
            .articles
            .iter()
            .map(|&i| d.articles[i].title.as_str())
            .collect();
        assert_eq!(titles, ["First", "Second", "Unranked"]);
        assert_eq!(d.articles[d.days[1].articles[2]].rank, 3);
    }

    #[test]
    fn derived_title_from_first_sentence() {
        let d = assemble(
            vec![art(
                "2026-02-05",
                "a.txt",
                None,
                None,
                "The council voted on Monday to close the old harbour bridge for repairs that will last until the spring. More text.",
            )],
            vec![],
            Options::default(),
        );
        let e = &d.articles[0];
        assert_eq!(e.title_source, TitleSource::Derived);
        assert_eq!(
            e.title,
            "The council voted on Monday to close the old harbour bridge for repairs that will last…"
        );
        assert!(e.title.chars().count() <= DERIVED_TITLE_MAX + 1);
    }

    #[test]
    fn slugs_unique_within_day_and_reserved() {
        let d = assemble(
            vec![
                art(
                    "2026-02-05",
                    "a.txt",
                    Some(0),
                    Some("Same Title"),
                    "Body 5.",
                ),
                art(
                    "2026-02-05",
                    "b.txt",
                    Some(1),
                    Some("Same Title"),
                    "Body 6.",
                ),
                art(
                    "2026-02-06",
                    "c.txt",
                    Some(0),
                    Some("Same Title"),
                    "Body 7.",
                ),
                art("2026-02-05", "d.txt", Some(2), Some("Page"), "Body 8."),
            ],
            vec![],
            Options::default(),
        );
        let slugs: Vec<_> = d
            .articles
            .iter()
            .map(|e| e.slug.as_str().to_string())
            .collect();
        assert_eq!(
            slugs,
            ["same-title", "same-title", "same-title-2", "page-2"]
        );
    }

    #[test]
    fn front_matter_slug_is_sanitised() {
        let mut a = art("2026-02-05", "a.md", None, Some("T"), "Body 9.");
        a.meta.slug = Some("../../Etc/Passwd".into());
        let d = assemble(vec![a], vec![], Options::default());
        assert_eq!(d.articles[0].slug.as_str(), "etc-passwd");
    }

    #[test]
    fn drafts_left_out_unless_asked() {
        let mut a = art("2026-02-05", "a.md", None, Some("T"), "Body 10.");
        a.draft = true;
        let d = assemble(vec![a.clone()], vec![], Options::default());
        assert!(d.articles.is_empty());
        assert_eq!(d.drafts.len(), 1);
        let d = assemble(
            vec![a],
            vec![],
            Options {
                drafts: true,
                ..Options::default()
            },
        );
        assert_eq!(d.articles.len(), 1);
    }

    #[test]
    fn headlines_link_to_articles_and_index_dedupes() {
        let mut a = art(
            "2026-02-05",
            "a.txt",
            Some(0),
            Some("Bridge Reopens After Repairs"),
            "Body 11.",
        );
        a.headlines = vec!["Zoo Expands".into(), "bridge reopens after repairs".into()];
        let mut b = art(
            "2026-02-05",
            "b.txt",
            Some(1),
            Some("Zoo Expands"),
            "Body y.",
        );
        b.headlines = vec![
            "Bridge Reopens After Repairs".into(),
            "Unknown Story Here".into(),
        ];
        let d = assemble(
            vec![a, b],
            vec![(
                Day::parse_iso("2026-02-04").unwrap(),
                vec!["Unknown Story Here".into()],
            )],
            Options::default(),
        );
        let a = &d.articles[0];
        assert_eq!(a.headlines[0].article, Some(1));
        // A headline naming the article itself is not a link to itself.
        assert_eq!(a.headlines[1].article, None);
        let texts: Vec<_> = d
            .headlines
            .iter()
            .map(|h| (h.text.as_str(), h.count, h.article))
            .collect();
        assert_eq!(
            texts,
            [
                ("Bridge Reopens After Repairs", 3, Some(0)),
                ("Unknown Story Here", 2, None),
                ("Zoo Expands", 2, Some(1))
            ]
        );
    }
}
