//! Topics: what the site's articles are about, for topic pages, topic feeds, search and
//! related coverage. A topic is a front-matter tag, or a name extracted from article text:
//! a run of capitalised words ("Donald Trump", "New York", "Ukraine") that recurs across
//! articles.
//!
//! The rule, in order (docs/topics.md says the same for users):
//!
//! 1. Each paragraph is split into runs of capitalised words; a run may hold a lowercase
//!    connector ("Bank of England") but ends at any other lowercase word, number or
//!    punctuation, and at a possessive ("Trump's").
//! 2. Stop words split a run and are dropped: function words ("The", "In"), days, months,
//!    and the like. Titles ("President", "Minister", "Mr.") also split a run, and a single
//!    word right before a title is dropped as its modifier, so "U.S. President Donald Trump"
//!    yields only "Donald Trump" and "U.S. President" alone yields nothing.
//! 3. A word starting a sentence belongs to a name only if the corpus also capitalises it
//!    mid-sentence somewhere ("Officials said", "Residents of Lindmark" lose their first
//!    word). A single word that is generic alone ("New", "North") or a demonym ("French",
//!    "Ukrainian") is no topic; runs longer than five words are headings, not names.
//! 4. Within one article, a surname mentioned after the full name counts for the full name
//!    ("Donald Trump … Trump said").
//! 5. An article is *about* a name when the name is in its title or first paragraph, or is
//!    mentioned at least twice. A name becomes a topic once `min_articles` articles are about
//!    it, unless it is in the `ignore` list.
//!
//! Names are identified by their [`Slug`], so "U.S." and "US" are one topic; a topic is shown
//! by the spelling used most often. Front-matter tags are always topics of their articles.

use super::Entry;
use super::text;
use crate::model::Slug;
use rayon::prelude::*;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::collections::BTreeMap;

/// How topics are found; mirrors `topics:` in `site.yaml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub min_articles: usize,
    pub extract: bool,
    pub ignore: Vec<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            min_articles: 3,
            extract: true,
            ignore: Vec::new(),
        }
    }
}

/// One topic of the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Topic {
    /// How the topic is shown: the most frequent spelling, or the tag as written.
    pub name: String,
    /// Its URL segment below `topics/`; unique among topics.
    pub slug: Slug,
    /// Indices into [`super::Digest::articles`], newest first (digest order).
    pub articles: Vec<usize>,
    /// Whether any article lists it in front-matter `tags`.
    pub tagged: bool,
}

/// Longest run of capitalised words taken as a name.
const MAX_NAME_WORDS: usize = 5;
/// Slugs that would collide with the topic pages' own paths.
const RESERVED: &[&str] = &["page", "feed", "index"];

/// Words that end a name and are never part of one.
#[rustfmt::skip]
const STOP_WORDS: &[&str] = &[
    "a", "about", "according", "across", "after", "again", "against", "all", "also", "although",
    "among", "an", "and", "another", "any", "are", "as", "at", "be", "because", "before",
    "behind", "between", "both", "but", "by", "can", "could", "despite", "did", "do", "does",
    "during", "each", "either", "even", "every", "few", "for", "from", "had", "has", "have",
    "he", "her", "here", "hers", "him", "his", "how", "however", "i", "if", "in", "indeed",
    "instead", "into", "is", "it", "its", "just", "last", "later", "many", "may", "me",
    "meanwhile", "might", "more", "most", "much", "must", "my", "neither", "next", "no", "nor",
    "not", "now", "of", "on", "once", "one", "only", "or", "other", "our", "ours", "over",
    "perhaps", "reuters", "said", "says", "she", "should", "since", "so", "some", "still",
    "such", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this",
    "those", "though", "through", "to", "today", "tomorrow", "tonight", "under", "unlike",
    "until", "up", "upon", "was", "we", "were", "what", "when", "where", "whether",
    "which", "while", "who", "whom", "whose", "why", "will", "with", "within", "without",
    "would", "yesterday", "yet", "you", "your", "yours", "two", "three", "four", "five", "six",
    "seven", "eight", "nine", "ten", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday", "january", "february", "march", "april", "june", "july", "august",
    "september", "october", "november", "december", "jan.", "feb.", "aug.", "sept.", "oct.",
    "nov.", "dec.", "am", "pm", "a.m.", "p.m.", "ok", "yes", "oh", "i'm", "i’m", "i've", "i’ve",
    "i'd", "i’d", "i'll", "i’ll", "it's", "it’s", "that's", "that’s", "there's", "there’s",
    "let's", "let’s", "here's", "here’s", "what's", "what’s",
];

/// Titles and ranks: they end a name, and the words just before them are their modifier
/// ("U.S." in "U.S. President", "Finance" in "Finance Minister").
#[rustfmt::skip]
const TITLES: &[&str] = &[
    "admiral", "ambassador", "archbishop", "attorney", "bishop", "brig.", "capt.", "captain",
    "cardinal", "ceo", "chair", "chairman", "chairwoman", "chancellor", "chief", "coach",
    "col.", "colonel", "commander", "commissioner", "congressman", "congresswoman",
    "councillor", "councilor", "crown", "dame", "deputy", "director", "dr", "dr.", "gen.",
    "general", "governor", "gov.", "imam", "judge", "justice", "king", "lady", "leader",
    "lieutenant", "lord", "lt.", "mayor", "minister", "ministers", "mr", "mr.", "mrs", "mrs.",
    "ms", "ms.", "officer", "pope", "president", "presidents", "prince", "princess", "prof.",
    "professor", "queen", "rabbi", "rep.", "representative", "secretary", "sen.", "senator",
    "sergeant", "sgt.", "sheikh", "sir", "speaker", "spokesman", "spokesperson", "spokeswoman",
    "sultan", "vice",
];

/// [`STOP_WORDS`] and [`TITLES`] as sets: every word of every article is looked up, and a
/// linear scan of some 260 entries per word was most of the build time of a large dump.
static STOP_SET: std::sync::LazyLock<HashSet<&'static str>> =
    std::sync::LazyLock::new(|| STOP_WORDS.iter().copied().collect());
static TITLE_SET: std::sync::LazyLock<HashSet<&'static str>> =
    std::sync::LazyLock::new(|| TITLES.iter().copied().collect());

/// Words that may start or sit inside a name but are no topic alone.
#[rustfmt::skip]
const WEAK_ALONE: &[&str] = &[
    "central", "city", "county", "east", "eastern", "federal", "great", "greater", "house",
    "island", "lake", "lower", "mount", "national", "new", "north", "northern", "old", "port",
    "republic", "river", "royal", "saint", "south", "southern", "st.", "state", "states",
    "united", "upper", "west", "first", "second", "third", "western", "world", "afghan",
    "african", "american", "arab", "cuban", "dutch", "french", "german", "greek", "iraqi",
    "israeli", "mexican", "pakistani", "saudi", "thai", "welsh", "democrat", "democratic",
    "republican", "government", "news", "department", "ministry", "office", "agency",
    "committee", "muslim",
    "irish", "british", "jewish", "islamic", "christian", "catholic", "speaking",
];

/// Place words after which a surname-like last word is not an alias ("South Africa" does
/// not absorb a later "Africa").
#[rustfmt::skip]
const GEO_MODIFIERS: &[&str] = &[
    "new", "north", "south", "east", "west", "northern", "southern", "eastern", "western",
    "central", "upper", "lower", "greater", "great", "old",
];

/// Lowercase words allowed inside a name between capitalised words.
#[rustfmt::skip]
const CONNECTORS: &[&str] = &[
    "of", "de", "da", "del", "der", "den", "van", "von", "la", "le", "du", "al", "el", "bin",
    "y",
];

/// Assigns topics: returns the site's topics (most articles first, then by name) and, for
/// each entry, the indices of its topics (tags first, then by how often it is mentioned).
/// `runs` are the entries' runs ([`Runs`], in order; missing ones are read from the text).
/// Consumed: each article's runs are freed as its names are found, so that the corpus's runs
/// and its names are not both held whole.
pub fn assign(
    entries: &[Entry],
    mut runs: Vec<Runs>,
    settings: &Settings,
) -> (Vec<Topic>, Vec<Vec<usize>>) {
    let scans: Vec<Vec<Mention>> = if settings.extract {
        runs.resize_with(entries.len(), Runs::unfit);

        // Words seen capitalised away from the start of a sentence somewhere in the corpus:
        // only these count as names when they start a sentence ("Officials said" does not).
        let mid_caps: MidCaps = entries
            .par_iter()
            .enumerate()
            .fold(MidCaps::default, |mut set, (i, e)| {
                let mut lower = String::new();
                for (_, run) in words_of(runs.get(i), &e.lead()) {
                    for w in run.iter().filter(|w| !w.initial) {
                        // Most such words recur: lowercased into a buffer, stored once.
                        lower.clear();
                        if w.text.contains('Σ') {
                            // A final sigma lowercases by its context: the lookups' own rule.
                            lower.push_str(&w.text.to_lowercase());
                        } else {
                            lower.extend(w.text.chars().flat_map(char::to_lowercase));
                        }
                        if !set.contains(lower.as_str()) {
                            set.insert(lower.clone());
                        }
                    }
                }
                set
            })
            .reduce(MidCaps::default, |mut a, b| {
                a.extend(b);
                a
            });
        entries
            .par_iter()
            .zip(runs.into_par_iter())
            .map(|(e, r)| scan_article(&e.title, &words_of(Some(&r), &e.lead()), &mid_caps))
            .collect()
    } else {
        vec![Vec::new(); entries.len()]
    };
    let mut ignored: HashSet<Slug> = settings
        .ignore
        .iter()
        .chain(
            PUBLISHERS
                .iter()
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
                .iter(),
        )
        .filter_map(|s| Slug::from_text(s))
        .collect();
    let mut scans = scans;
    if settings.extract {
        ignored.extend(common_words(entries, &scans));
        let aliases = short_forms(&scans);
        scans
            .par_iter_mut()
            .for_each(|mentions| join_aliases(mentions, &aliases));
    }
    let usable = |m: &Mention| !ignored.contains(&m.key);

    // Spellings and article counts per name, over the whole corpus.
    let mut spellings: HashMap<&Slug, BTreeMap<&str, usize>> = HashMap::default();
    let mut about: HashMap<&Slug, usize> = HashMap::default();
    for m in scans.iter().flatten().filter(|m| usable(m)) {
        if m.surface.is_empty() {
            if m.salient {
                *about.entry(&m.key).or_default() += 1;
            }
            continue;
        }
        *spellings
            .entry(&m.key)
            .or_default()
            .entry(m.surface.as_str())
            .or_default() += m.count;
        if m.salient {
            *about.entry(&m.key).or_default() += 1;
        }
    }

    // Topics by slug: tags first, so a tag's presence marks the topic as tagged.
    let mut by_slug: BTreeMap<Slug, TopicDraft> = BTreeMap::new();
    for e in entries {
        for tag in &e.meta.tags {
            if let Some(slug) = topic_slug(tag) {
                let d = by_slug.entry(slug).or_insert_with(|| TopicDraft {
                    tag_name: tag_display(tag),
                    tagged: true,
                });
                d.tagged = true;
            }
        }
    }
    for (key, &n) in &about {
        if n >= settings.min_articles
            && let Some(slug) = topic_slug(key.as_str())
        {
            by_slug.entry(slug).or_insert_with(|| TopicDraft {
                tag_name: String::new(),
                tagged: false,
            });
        }
    }

    // Per entry: (slug, weight) with tags weighted above every mention count.
    let per_entry: Vec<Vec<Slug>> = entries
        .iter()
        .zip(&scans)
        .map(|(e, mentions)| {
            let mut picked: Vec<(Slug, usize)> = Vec::new();
            for tag in &e.meta.tags {
                if let Some(s) = topic_slug(tag)
                    && !picked.iter().any(|(p, _)| *p == s)
                {
                    picked.push((s, usize::MAX));
                }
            }
            for m in mentions.iter().filter(|m| m.salient && usable(m)) {
                if let Some(s) = topic_slug(m.key.as_str())
                    && by_slug.contains_key(&s)
                    && !picked.iter().any(|(p, _)| *p == s)
                {
                    picked.push((s, m.count));
                }
            }
            // Stable: equal counts keep first-mention order.
            picked.sort_by_key(|p| std::cmp::Reverse(p.1));
            picked.into_iter().map(|(s, _)| s).collect()
        })
        .collect();

    let mut topics: Vec<Topic> = by_slug
        .into_iter()
        .map(|(slug, draft)| {
            let name = spellings
                .get(&slug)
                .and_then(|forms| {
                    // Most used spelling; ties go to the alphabetically first, for stability.
                    forms
                        .iter()
                        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
                        .map(|(s, _)| s.to_string())
                })
                .unwrap_or(draft.tag_name);
            Topic {
                name,
                slug,
                articles: Vec::new(),
                tagged: draft.tagged,
            }
        })
        .collect();
    topics.sort_by(|a, b| a.slug.cmp(&b.slug));
    for (i, slugs) in per_entry.iter().enumerate() {
        for s in slugs {
            if let Ok(t) = topics.binary_search_by(|t| t.slug.cmp(s)) {
                topics[t].articles.push(i);
            }
        }
    }
    topics.retain(|t| !t.articles.is_empty());
    topics.sort_by(|a, b| {
        b.articles
            .len()
            .cmp(&a.articles.len())
            .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
            .then_with(|| a.slug.cmp(&b.slug))
    });
    let index: HashMap<&Slug, usize> = topics
        .iter()
        .enumerate()
        .map(|(i, t)| (&t.slug, i))
        .collect();
    let entry_topics = per_entry
        .iter()
        .map(|slugs| slugs.iter().filter_map(|s| index.get(s).copied()).collect())
        .collect();
    (topics, entry_topics)
}

/// Removes extracted topics named like one of `names` (publishers: a site's own name is on
/// half its pages and says nothing of what they are about); tags stay. Renumbers the entries'
/// topic indices.
pub fn drop_names(topics: &mut Vec<Topic>, entry_topics: &mut [Vec<usize>], names: &[&str]) {
    let banned: HashSet<Slug> = names.iter().filter_map(|n| topic_slug(n)).collect();
    let mut new_index: Vec<Option<usize>> = Vec::with_capacity(topics.len());
    let mut next = 0;
    for t in topics.iter() {
        if !t.tagged && banned.contains(&t.slug) {
            new_index.push(None);
        } else {
            new_index.push(Some(next));
            next += 1;
        }
    }
    if next == topics.len() {
        return;
    }
    let mut i = 0;
    topics.retain(|_| {
        i += 1;
        new_index[i - 1].is_some()
    });
    for ts in entry_topics.iter_mut() {
        *ts = ts.iter().filter_map(|&t| new_index[t]).collect();
    }
    for t in topics.iter_mut() {
        t.articles.clear();
    }
    for (e, ts) in entry_topics.iter().enumerate() {
        for &t in ts {
            topics[t].articles.push(e);
        }
    }
}

/// News agencies and publishers: their names are on their stories, not what the stories are
/// about. A site's own name is dropped too (see [`drop_names`]).
#[rustfmt::skip]
const PUBLISHERS: &[&str] = &[
    "Reuters", "AP", "Associated Press", "AFP", "Agence France-Presse", "TASS", "Xinhua", "dpa",
    "EFE", "ANSA", "Interfax", "RIA Novosti", "Sputnik", "Bloomberg", "CNN", "BBC", "BBC News",
    "Al Jazeera", "ABC News", "CBS News", "NBC News", "Fox News", "DW", "Deutsche Welle", "RTÉ",
    "RTE", "RT", "Sky News", "AAP", "PTI", "IANS", "UPI", "Kyodo", "Yonhap", "KCNA", "WAFA",
    "Anadolu", "IRNA", "ABC", "NPR", "PBS",
];

/// Single-word names that the corpus mostly writes in lowercase: ordinary words capitalised
/// by a heading or a scraper ("READ", "BRIEF", "Department", "Man"), not names.
fn common_words(entries: &[Entry], scans: &[Vec<Mention>]) -> HashSet<Slug> {
    // Looked up for every lowercase word of the corpus: Fx, not std's SipHash.
    let mut capitalised: HashMap<String, (Slug, usize)> = HashMap::default();
    type Counts<'a> = HashMap<&'a str, usize>;
    let mut shouts: HashSet<String> = HashSet::default();
    // ALL-CAPS headings of several words ("SPEED READ") are judged word by word.
    let mut shouted: Vec<(Slug, Vec<String>)> = Vec::new();
    for m in scans.iter().flatten() {
        let all_caps = m.surface.chars().any(char::is_alphabetic)
            && !m.surface.chars().any(char::is_lowercase);
        let words: Vec<String> = if m.words == 1 {
            vec![m.surface.to_lowercase()]
        } else if all_caps {
            m.surface
                .split_whitespace()
                .map(str::to_lowercase)
                .collect()
        } else {
            continue;
        };
        if all_caps {
            shouts.extend(words.iter().cloned());
        }
        for w in &words {
            capitalised
                .entry(w.clone())
                .or_insert_with(|| (m.key.clone(), 0))
                .1 += m.count;
        }
        if m.words > 1 {
            shouted.push((m.key.clone(), words));
        }
    }
    let lowercase: Counts = entries
        .par_iter()
        .fold(Counts::default, |mut counts: Counts, e| {
            for p in e.lead().iter() {
                for w in p.split_whitespace() {
                    let w = w.trim_matches(|c: char| !c.is_alphanumeric());
                    if w.starts_with(|c: char| c.is_lowercase())
                        && let Some((k, _)) = capitalised.get_key_value(w)
                    {
                        *counts.entry(k.as_str()).or_default() += 1;
                    }
                }
            }
            counts
        })
        .reduce(Counts::default, |mut a, b| {
            for (k, n) in b {
                *a.entry(k).or_default() += n;
            }
            a
        });
    let common = |w: &str| {
        let caps = capitalised.get(w).map_or(0, |c| c.1);
        let low = lowercase.get(w).copied().unwrap_or(0);
        // A shouted word ("READ") is an ordinary word whenever the corpus writes it in
        // lowercase too; short ones are acronyms ("US", "UN").
        let shouted = w.chars().count() >= 4 && shouts.contains(w);
        low >= caps.max(1) || (shouted && low >= SHOUTED_MIN_LOWERCASE)
    };
    let mut out: HashSet<Slug> = capitalised
        .iter()
        .filter(|(w, (slug, _))| !slug.as_str().contains('-') && common(w))
        .map(|(_, (slug, _))| slug.clone())
        .collect();
    out.extend(
        shouted
            .into_iter()
            .filter(|(_, words)| words.iter().all(|w| common(w)))
            .map(|(slug, _)| slug),
    );
    out
}

/// Short forms that name one longer name across the corpus: a surname alone ("Trump") for
/// the full name that ends with it when one full name has at least
/// [`SURNAME_DOMINANCE`] of such mentions, and an acronym ("EU", "US") for the one name
/// whose initials it spells ("European Union", "United States"). Maps short to full.
fn short_forms(scans: &[Vec<Mention>]) -> HashMap<Slug, Slug> {
    // Per name: articles mentioning it, a spelling, and its length in words.
    let mut counts: HashMap<&Slug, (usize, &str, usize)> = HashMap::default();
    for m in scans.iter().flatten() {
        let c = counts
            .entry(&m.key)
            .or_insert((0, m.surface.as_str(), m.words));
        c.0 += 1;
    }
    let mut by_last: HashMap<&str, Vec<(&Slug, usize)>> = HashMap::default();
    let mut by_initials: HashMap<String, Vec<&Slug>> = HashMap::default();
    for (&key, &(n, surface, words)) in &counts {
        if words < 2 {
            continue;
        }
        let parts: Vec<&str> = key.as_str().split('-').collect();
        // A person's name: two or three words, no connector ("Islamic State of Iraq" and
        // "MP of Turkey" are no one's full name).
        let personal = parts.len() <= 3
            && !surface
                .split_whitespace()
                .any(|w| CONNECTORS.contains(&w.to_lowercase().as_str()));
        if let (Some(last), Some(first)) = (parts.last(), parts.first())
            && personal
            && !GEO_MODIFIERS.contains(first)
        {
            by_last.entry(last).or_default().push((key, n));
        }
        let initials: String = surface
            .split_whitespace()
            .filter(|w| !CONNECTORS.contains(&w.to_lowercase().as_str()))
            .filter_map(|w| w.chars().next())
            .flat_map(char::to_lowercase)
            .collect();
        if initials.chars().count() >= 2 {
            by_initials.entry(initials).or_default().push(key);
        }
    }
    let mut out = HashMap::default();
    let dominant = |fulls: &[(&Slug, usize)]| -> Option<(Slug, usize)> {
        let total: usize = fulls.iter().map(|f| f.1).sum();
        fulls
            .iter()
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
            .filter(|best| best.1 as f64 >= total as f64 * SURNAME_DOMINANCE)
            .map(|best| (best.0.clone(), best.1))
    };
    for (&key, &(alone, surface, words)) in &counts {
        if words != 1 {
            continue;
        }
        let letters: String = surface.chars().filter(|c| c.is_alphabetic()).collect();
        let acronym = letters.chars().count() >= 2 && letters.chars().all(char::is_uppercase);
        if acronym {
            if let Some(fulls) = by_initials.get(&letters.to_lowercase()) {
                let fulls: Vec<(&Slug, usize)> = fulls.iter().map(|&f| (f, counts[f].0)).collect();
                if let Some((full, _)) = dominant(&fulls) {
                    out.insert(key.clone(), full);
                }
            }
        } else if let Some(fulls) = by_last.get(key.as_str())
            && let Some((full, n)) = dominant(fulls)
            // A surname is mostly used after its full name; a place alone ("Turkey") is
            // used far more often than any name that ends with it.
            && n >= alone
        {
            out.insert(key.clone(), full);
        }
    }
    out
}

/// How often the corpus must write a shouted word in lowercase for it to be an ordinary word.
const SHOUTED_MIN_LOWERCASE: usize = 3;

/// Months that are also surnames ("Theresa May"): names after a capitalised word.
const SURNAME_MONTHS: &[&str] = &["may", "march", "june", "april", "august"];

/// A full name takes a surname alone when it has this share of the full names ending so.
const SURNAME_DOMINANCE: f64 = 0.75;

/// Rewrites one article's mentions of short forms as their full names.
fn join_aliases(mentions: &mut Vec<Mention>, aliases: &HashMap<Slug, Slug>) {
    if !mentions.iter().any(|m| aliases.contains_key(&m.key)) {
        return;
    }
    let mut out: Vec<Mention> = Vec::with_capacity(mentions.len());
    // Where each name already is in `out`: an article can mention hundreds of names, and a
    // scan of `out` per mention was quadratic in them.
    let mut at: HashMap<Slug, usize> = HashMap::default();
    for mut m in mentions.drain(..) {
        if let Some(full) = aliases.get(&m.key) {
            m.key = full.clone();
            // The short spelling never names the topic: the full name's spellings do.
            m.surface.clear();
            m.words = 0;
        }
        match at.get(&m.key) {
            Some(&i) => {
                let o = &mut out[i];
                o.count += m.count;
                o.salient |= m.salient;
                if m.words > o.words {
                    o.words = m.words;
                    o.surface = m.surface;
                }
            }
            None => {
                at.insert(m.key.clone(), out.len());
                out.push(m);
            }
        }
    }
    *mentions = out;
}

struct TopicDraft {
    tag_name: String,
    tagged: bool,
}

/// How a tag is shown when the text never spells it: as written, except that a tag in
/// lowercase slug style reads as words ("confidence-vote" → "Confidence vote").
fn tag_display(tag: &str) -> String {
    let tag = tag.trim();
    if tag.chars().any(char::is_uppercase) {
        return tag.to_string();
    }
    let words = tag.replace(['-', '_'], " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A topic's slug: any name or tag that slugifies, except the reserved path segments.
fn topic_slug(name: &str) -> Option<Slug> {
    Slug::from_text(name).filter(|s| !RESERVED.contains(&s.as_str()))
}

/// One name as found in one article.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Mention {
    key: Slug,
    /// The most frequent spelling in this article.
    surface: String,
    words: usize,
    count: usize,
    /// In the title or first paragraph, or mentioned at least twice.
    salient: bool,
}

/// A name candidate at one place in the text.
#[derive(Debug, Clone)]
struct Found<'a> {
    words: Vec<&'a str>,
    paragraph: usize,
}

/// An entry's runs as words of its text: read once with the text ([`Runs`]), here only
/// sliced out of it again (or read again, if they do not fit it).
fn words_of<'a>(runs: Option<&Runs>, lead: &'a [String]) -> Vec<(usize, Vec<Word<'a>>)> {
    runs.and_then(|r| r.words(lead))
        .unwrap_or_else(|| paragraph_runs(lead))
}

/// Lowercased words seen capitalised mid-sentence: looked up for every sentence-initial
/// capital of the corpus, so hashed with Fx rather than SipHash.
type MidCaps = HashSet<String>;

/// The runs of every paragraph, with the paragraph's index.
fn paragraph_runs(paragraphs: &[String]) -> Vec<(usize, Vec<Word<'_>>)> {
    paragraphs
        .iter()
        .enumerate()
        .flat_map(|(i, p)| runs(p).into_iter().map(move |r| (i, r)))
        .collect()
}

/// Finds the names in one article's runs and how salient each is.
fn scan_article(title: &str, runs: &[(usize, Vec<Word>)], mid_caps: &MidCaps) -> Vec<Mention> {
    let mut found = Vec::new();
    for (i, run) in runs {
        split_run(run, *i, mid_caps, &mut found);
    }

    // Group by slug, keeping first-seen order for stable output.
    struct Acc {
        key: Slug,
        forms: BTreeMap<String, usize>,
        words: usize,
        count: usize,
        first_para: bool,
        first_pos: usize,
    }
    let mut accs: Vec<Acc> = Vec::new();
    let mut pos_of: HashMap<Slug, usize> = HashMap::default();
    for (pos, f) in found.iter().enumerate() {
        let surface = f.words.join(" ");
        let Some(key) = Slug::from_text(&surface) else {
            continue;
        };
        let idx = *pos_of.entry(key.clone()).or_insert_with(|| {
            accs.push(Acc {
                key: key.clone(),
                forms: BTreeMap::new(),
                words: f.words.len(),
                count: 0,
                first_para: false,
                first_pos: pos,
            });
            accs.len() - 1
        });
        let a = &mut accs[idx];
        *a.forms.entry(surface).or_default() += 1;
        a.count += 1;
        a.first_para |= f.paragraph == 0;
    }

    // A surname after the full name counts for the full name.
    let mut merged_into: Vec<Option<usize>> = vec![None; accs.len()];
    for (i, single) in accs.iter().enumerate() {
        if single.words != 1 {
            continue;
        }
        // Made once per surname, not once per name it is compared with.
        let suffix = format!("-{}", single.key);
        let owner = accs
            .iter()
            .enumerate()
            .filter(|(_, m)| {
                m.words >= 2
                    && m.words <= 3
                    && m.first_pos < single.first_pos
                    && m.key.as_str().ends_with(&suffix)
                    && !m
                        .forms
                        .keys()
                        .next()
                        .and_then(|f| f.split(' ').next())
                        .is_some_and(|w| GEO_MODIFIERS.contains(&w.to_lowercase().as_str()))
            })
            .max_by(|a, b| a.1.count.cmp(&b.1.count).then(b.0.cmp(&a.0)))
            .map(|(j, _)| j);
        merged_into[i] = owner;
    }
    for (i, owner) in merged_into.iter().enumerate() {
        if let Some(j) = *owner {
            let (count, first_para) = (accs[i].count, accs[i].first_para);
            accs[j].count += count;
            accs[j].first_para |= first_para;
        }
    }

    let title_norm = format!(" {} ", text::normalise(title));
    // Every article's mentions are held until the topics are assigned: made at their length,
    // as a filtered `collect` would leave them up to twice it (a tenth of a build's peak).
    let mut mentions = Vec::with_capacity(merged_into.iter().filter(|o| o.is_none()).count());
    let kept = accs
        .into_iter()
        .zip(merged_into)
        .filter(|(_, owner)| owner.is_none())
        .map(|(a, _)| {
            let surface = a
                .forms
                .iter()
                .max_by(|x, y| x.1.cmp(y.1).then(y.0.cmp(x.0)))
                .map(|(s, _)| s.clone())
                .unwrap_or_default();
            let in_title = title_norm.contains(&format!(" {} ", text::normalise(&surface)));
            Mention {
                salient: in_title || a.first_para || a.count >= 2,
                key: a.key,
                surface,
                words: a.words,
                count: a.count,
            }
        });
    mentions.extend(kept);
    mentions
}

/// A word of a run, with whether it started a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Word<'a> {
    text: &'a str,
    initial: bool,
}

/// The runs of capitalised words of one article's lead ([`runs`], paragraph by paragraph),
/// kept as places in its text rather than as words: read once per text ([`super::reading`],
/// which a build may remember between builds), held while the topics are found, and turned
/// back into words by slicing the same paragraphs. A few integers per
/// capitalised word, where words of their own were the largest thing a build held.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Runs {
    /// Each run: its paragraph, and where its words end in `words`.
    runs: Vec<(u32, u32)>,
    /// Each word: its byte offset in its paragraph, its length, whether it starts a sentence
    /// (8 bytes: a corpus holds a few hundred per article). A word or paragraph too long for
    /// these integers makes the whole text's runs unfit ([`Runs::unfit`]).
    words: Vec<(u32, u16, bool)>,
}

impl Runs {
    /// The runs of `lead`'s paragraphs.
    pub fn read(lead: &[String]) -> Runs {
        let mut out = Runs::default();
        for (i, p) in lead.iter().enumerate() {
            for run in runs(p) {
                for w in &run {
                    // A word is a slice of its paragraph: its offset is where it starts.
                    let start = w.text.as_ptr() as usize - p.as_ptr() as usize;
                    let (Ok(start), Ok(len)) = (u32::try_from(start), u16::try_from(w.text.len()))
                    else {
                        return Runs::unfit();
                    };
                    out.words.push((start, len, w.initial));
                }
                let (Ok(i), Ok(end)) = (u32::try_from(i), u32::try_from(out.words.len())) else {
                    return Runs::unfit();
                };
                out.runs.push((i, end));
            }
        }
        // Held for every article while the topics are found.
        Runs {
            runs: crate::held::at_length(out.runs),
            words: crate::held::at_length(out.words),
        }
    }

    /// Runs that fit no text: a text whose places do not fit the integers is read again
    /// where its runs are needed.
    fn unfit() -> Runs {
        Runs {
            runs: vec![(u32::MAX, 0)],
            words: Vec::new(),
        }
    }

    /// The runs as words of `lead`, with their paragraphs' indices; `None` when they do not
    /// fit its paragraphs (read from another text, or a paragraph or word too long for its
    /// integers).
    fn words<'a>(&self, lead: &'a [String]) -> Option<Vec<(usize, Vec<Word<'a>>)>> {
        let mut start = 0;
        self.runs
            .iter()
            .map(|&(paragraph, end)| {
                let text = lead.get(paragraph as usize)?;
                let words = self.words.get(start..end as usize)?;
                start = end as usize;
                let run = words
                    .iter()
                    .map(|&(at, len, initial)| {
                        let (at, len) = (at as usize, len as usize);
                        Some(Word {
                            text: text.get(at..at.checked_add(len)?)?,
                            initial,
                        })
                    })
                    .collect::<Option<Vec<_>>>()?;
                Some((paragraph as usize, run))
            })
            .collect()
    }
}

/// Runs of capitalised words (with inner connectors) in one paragraph.
fn runs(paragraph: &str) -> Vec<Vec<Word<'_>>> {
    let mut out = Vec::new();
    let mut run: Vec<Word> = Vec::new();
    let mut connectors: Vec<Word> = Vec::new();
    let mut sentence_start = true;
    fn flush<'a>(
        run: &mut Vec<Word<'a>>,
        connectors: &mut Vec<Word<'a>>,
        out: &mut Vec<Vec<Word<'a>>>,
    ) {
        connectors.clear();
        if !run.is_empty() {
            out.push(std::mem::take(run));
        }
    }
    for word in paragraph.split_whitespace() {
        // A dash or slash between words separates names ("U.S.–Russia").
        for (k, raw) in word.split(['–', '—', '/']).enumerate() {
            if k > 0 {
                flush(&mut run, &mut connectors, &mut out);
            }
            if raw.is_empty() {
                continue;
            }
            let tok = token(raw);
            if tok.breaks_before {
                flush(&mut run, &mut connectors, &mut out);
            }
            let initial = sentence_start || tok.opens_quote;
            sentence_start = tok.ends_sentence;
            match tok.class {
                Class::Capital => {
                    run.append(&mut connectors);
                    run.push(Word {
                        text: tok.core,
                        initial,
                    });
                }
                Class::Connector if !run.is_empty() && connectors.len() < 2 && !tok.breaks => {
                    connectors.push(Word {
                        text: tok.core,
                        initial,
                    });
                    continue;
                }
                _ => flush(&mut run, &mut connectors, &mut out),
            }
            if tok.breaks || tok.ends_sentence {
                flush(&mut run, &mut connectors, &mut out);
            }
        }
    }
    flush(&mut run, &mut connectors, &mut out);
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Capital,
    Connector,
    Other,
}

/// One word as runs read it; `core` borrows from the text, so only the words kept in a run
/// (capitalised ones and connectors) are copied.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Token<'a> {
    core: &'a str,
    class: Class,
    opens_quote: bool,
    /// Punctuation before the word ("(Port"): a name cannot run into it.
    breaks_before: bool,
    /// Punctuation or a possessive after the word: a name ends here.
    breaks: bool,
    ends_sentence: bool,
}

fn token(raw: &str) -> Token<'_> {
    let is_quote = |c: char| matches!(c, '"' | '\'' | '“' | '”' | '‘' | '’' | '«' | '»');
    let lead = raw
        .char_indices()
        .find(|&(_, c)| c.is_alphanumeric())
        .map(|(i, _)| i)
        .unwrap_or(raw.len());
    let opens_quote = raw[..lead].chars().any(is_quote);
    let mut core = &raw[lead..];
    let breaks_before = lead > 0;
    let mut breaks = false;
    let mut ends_sentence = false;
    // Trailing punctuation, except the dots of an abbreviation such as "U.S." or "Mr.".
    while let Some(c) = core.chars().last() {
        if c.is_alphanumeric() {
            break;
        }
        if c == '.' && is_abbreviation(core) {
            break;
        }
        // A plural possessive may sit inside a name ("Kestrian Nurses' Association").
        if matches!(c, '\'' | '’') && !breaks && core[..core.len() - c.len_utf8()].ends_with('s')
        {
            break;
        }
        if matches!(c, '.' | '!' | '?' | ':' | ';' | '…') {
            ends_sentence = true;
        }
        breaks = true;
        core = &core[..core.len() - c.len_utf8()];
    }
    // "Trump's" ends a name ("Nurses'" was kept above: it may be inside one).
    for suffix in ["'s", "’s"] {
        if let Some(stem) = core.strip_suffix(suffix)
            && !stem.is_empty()
        {
            core = stem;
            breaks = true;
            break;
        }
    }
    let first = core.chars().next();
    let class = if first.is_some_and(|c| c.is_uppercase())
        && core.chars().filter(|c| c.is_alphabetic()).count() >= 1
        && core
            .split('-')
            .all(|part| part.chars().next().is_some_and(|c| !c.is_lowercase()))
    {
        Class::Capital
    } else if CONNECTORS.contains(&core) {
        Class::Connector
    } else {
        Class::Other
    };
    Token {
        core,
        class,
        opens_quote,
        breaks_before,
        breaks,
        ends_sentence,
    }
}

/// "U.S.", "D.C." (single letters with dots) and the usual short forms keep their dot.
fn is_abbreviation(word: &str) -> bool {
    let stem = word.trim_end_matches('.');
    if !stem.is_empty()
        && stem.split('.').all(|p| {
            let mut cs = p.chars();
            cs.next().is_some_and(char::is_alphabetic) && cs.next().is_none()
        })
    {
        return true;
    }
    let lower = word.to_lowercase();
    TITLE_SET.contains(lower.as_str())
        || STOP_SET.contains(lower.as_str())
        || matches!(
            lower.as_str(),
            "st." | "jr." | "sr." | "inc." | "co." | "corp." | "ltd."
        )
}

/// Cuts a run at stop words and titles, drops title modifiers and sentence-initial common
/// words, and keeps the pieces that can be names. `mid_caps` are the lowercased words seen
/// capitalised mid-sentence anywhere in the corpus.
fn split_run<'a>(run: &[Word<'a>], paragraph: usize, mid_caps: &MidCaps, out: &mut Vec<Found<'a>>) {
    let mut segment: Vec<&Word<'a>> = Vec::new();
    let mut push = |segment: &mut Vec<&Word<'a>>, before_title: bool| {
        let words = std::mem::take(segment);
        // One word before a title is its modifier ("U.S." President, "Finance" Minister);
        // a longer name is kept ("Bank of Kestria" Governor).
        if before_title && words.len() == 1 {
            return;
        }
        // Connectors never start or end a name.
        let start = words.iter().position(|w| !CONNECTORS.contains(&w.text));
        let end = words.iter().rposition(|w| !CONNECTORS.contains(&w.text));
        let (Some(s), Some(e)) = (start, end) else {
            return;
        };
        let mut words = &words[s..=e];
        // A capitalised word at the start of a sentence is part of a name only if the corpus
        // also capitalises it mid-sentence: "Officials said", "Residents of Lindmark" and
        // "Like Trump" lose their first word.
        if words[0].initial && !mid_caps.contains(&words[0].text.to_lowercase()) {
            let rest = words[1..]
                .iter()
                .position(|w| !CONNECTORS.contains(&w.text));
            match rest {
                Some(r) => words = &words[1 + r..],
                None => return,
            }
        }
        if words.len() > MAX_NAME_WORDS || !can_be_name(words) {
            return;
        }
        let mut words: Vec<&'a str> = words.iter().map(|w| w.text).collect();
        if let Some(last) = words.last_mut() {
            // A plural possessive at the end is not part of the name ("the Rovers' coach").
            *last = last.trim_end_matches(['\'', '’']);
        }
        out.push(Found { words, paragraph });
    };
    let mut skip = 0;
    for (i, w) in run.iter().enumerate() {
        if skip > 0 {
            skip -= 1;
            continue;
        }
        let lower = w.text.to_lowercase();
        if TITLE_SET.contains(lower.as_str()) {
            push(&mut segment, true);
            // A title's complement is part of the title, not of the name after it:
            // "Secretary of State Rex Tillerson" names "Rex Tillerson".
            if run.get(i + 1).is_some_and(|c| CONNECTORS.contains(&c.text))
                && run
                    .get(i + 2)
                    .is_some_and(|n| !TITLE_SET.contains(n.text.to_lowercase().as_str()))
            {
                skip = 2;
            }
        } else if !segment.is_empty() && SURNAME_MONTHS.contains(&lower.as_str()) {
            // "Theresa May": a month after a first name is a surname.
            segment.push(w);
        } else if CONNECTORS.contains(&w.text) {
            // Only lowercase connectors sit inside a run; "Of" starting one is a stop word.
            segment.push(w);
        } else if STOP_SET.contains(lower.as_str()) {
            push(&mut segment, false);
        } else {
            segment.push(w);
        }
    }
    push(&mut segment, false);
}

fn can_be_name(words: &[&Word]) -> bool {
    if words.len() > 1 {
        return true;
    }
    let w = words[0].text;
    let lower = w.to_lowercase();
    let letters = w.chars().filter(|c| c.is_alphabetic()).count();
    letters >= 2 && !WEAK_ALONE.contains(&lower.as_str()) && !is_demonym(&lower)
}

/// "Ukrainian", "Korean", "Japanese", "Danish": adjectives of nationality, no topic alone.
fn is_demonym(lower: &str) -> bool {
    lower.chars().count() > 5
        && ["ian", "ean", "ese", "ish"]
            .iter()
            .any(|suffix| lower.ends_with(suffix))
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// Two paragraphs with names of several words, abbreviations, dashes, quotes and
    /// letters beyond ASCII: for the tests of what is read of a text.
    pub(in crate::digest) fn lead_with_names() -> Vec<String> {
        [
            "LONDON (Reuters) - Bank of England Governor Andrew Bailey said on Thursday that \
             rates would stay high. “Inflation is falling,” Bailey told MPs.",
            "The U.S. Federal Reserve – and the European Central Bank – held rates. Ελλάδα \
             and Ünal Öztürk's office said so.",
        ]
        .map(String::from)
        .to_vec()
    }

    #[test]
    fn runs_kept_as_places_are_the_runs_of_their_own_text_and_of_no_other() {
        let text = lead_with_names();
        let places = Runs::read(&text);
        assert_eq!(places.words(&text), Some(paragraph_runs(&text)));
        assert!(places.words.len() > 12, "{places:?}");
        // Held for every article while the topics are found: at their length.
        assert_eq!(places.words.capacity(), places.words.len());
        assert_eq!(places.runs.capacity(), places.runs.len());
        let mut shorter = text.clone();
        shorter[1].truncate(40);
        assert_eq!(places.words(&shorter), None);
        assert_eq!(places.words(&text[..1]), None);
        // A word longer than a u16 holds: no runs that could slice a shorter word out of it.
        let long = vec![format!("Officials met {} today.", "Q".repeat(70_000))];
        assert_eq!(Runs::read(&long).words(&long), None);
        assert!(
            !paragraph_runs(&long).is_empty(),
            "read again where they are needed"
        );
        // Offsets inside a multi-byte character do not slice.
        let mut shifted = text.clone();
        shifted[1].insert(0, 'é');
        shifted[1].pop();
        assert_ne!(places.words(&shifted), Some(paragraph_runs(&shifted)));
    }

    use crate::digest::{Options, assemble};
    use crate::ingest::{Article, Body, Meta, TitleSource};
    use crate::model::{ArticleId, Day};

    /// Names in one paragraph, treating it as the whole corpus.
    fn names(p: &str) -> Vec<String> {
        let paragraphs = [p.to_string()];
        let runs = paragraph_runs(&paragraphs);
        let mut out = Vec::new();
        for (i, r) in &runs {
            split_run(r, *i, &mid_caps(&runs), &mut out);
        }
        out.into_iter().map(|f| f.words.join(" ")).collect()
    }

    fn mid_caps(runs: &[(usize, Vec<Word>)]) -> MidCaps {
        runs.iter()
            .flat_map(|(_, r)| r.iter().filter(|w| !w.initial))
            .map(|w| w.text.to_lowercase())
            .collect()
    }

    fn scan(title: &str, paragraphs: &[&str]) -> Vec<Mention> {
        let paragraphs: Vec<String> = paragraphs.iter().map(|p| p.to_string()).collect();
        let runs = paragraph_runs(&paragraphs);
        scan_article(title, &runs, &mid_caps(&runs))
    }

    #[test]
    fn a_title_before_a_name_is_dropped_and_contractions_are_no_names() {
        assert_eq!(
            names("On Monday Secretary of State Rex Tillerson met Theresa May in London."),
            ["Rex Tillerson", "Theresa May", "London"]
        );
        assert!(names("Then I'm sure, he said, I'm going.").is_empty());
    }

    fn mention(key: &str, surface: &str, words: usize, count: usize) -> Mention {
        Mention {
            key: Slug::from_text(key).unwrap(),
            surface: surface.into(),
            words,
            count,
            salient: true,
        }
    }

    #[test]
    fn short_forms_join_their_full_names_when_unambiguous() {
        let scans = vec![
            vec![
                mention("donald-trump", "Donald Trump", 2, 5),
                mention("european-union", "European Union", 2, 2),
                mention("united-states", "United States", 2, 1),
            ],
            vec![
                mention("trump", "Trump", 1, 3),
                mention("eu", "EU", 1, 2),
                mention("us", "US", 1, 4),
                mention("korea", "Korea", 1, 1),
                mention("melania-trump", "Melania Trump", 2, 1),
            ],
            vec![
                mention("north-korea", "North Korea", 2, 1),
                mention("south-korea", "South Korea", 2, 1),
                mention("donald-trump", "Donald Trump", 2, 1),
            ],
            vec![mention("donald-trump", "Donald Trump", 2, 1)],
        ];
        let a = short_forms(&scans);
        let full = |k: &str| {
            a.get(&Slug::from_text(k).unwrap())
                .map(|s| s.as_str().to_string())
        };
        assert_eq!(full("trump").as_deref(), Some("donald-trump"));
        assert_eq!(full("eu").as_deref(), Some("european-union"));
        assert_eq!(full("us").as_deref(), Some("united-states"));
        assert_eq!(full("korea"), None, "place modifiers never absorb");
        let mut m = scans[1].clone();
        join_aliases(&mut m, &a);
        assert!(
            m.iter()
                .any(|x| x.key.as_str() == "donald-trump" && x.count == 3)
        );
    }

    #[test]
    fn names_from_a_real_lead() {
        let p = "U.S. President Donald Trump said on Thursday that negotiations aimed at ending \
                 the conflict in Ukraine may be nearing a breakthrough, ahead of talks between \
                 U.S. and Russian officials. Speaking during an event at the Oval Office, Trump \
                 expressed cautious optimism. The upcoming U.S.–Russia talks are expected.";
        assert_eq!(
            names(p),
            [
                "Donald Trump",
                "Ukraine",
                "U.S.",
                "Oval Office",
                "Trump",
                "U.S.",
                "Russia"
            ]
        );
    }

    #[test]
    fn titles_days_and_stop_words_are_not_names() {
        assert!(names("The U.S. President spoke on Thursday.").is_empty());
        assert!(names("On Monday The Council met.").contains(&"Council".to_string()));
        assert_eq!(
            names("Finance Minister Oskar Brandt said so."),
            ["Oskar Brandt"]
        );
        assert_eq!(
            names("Prime Minister Teodor Vance's budget"),
            ["Teodor Vance"]
        );
        assert_eq!(
            names("the Bank of England and the University of Oslo"),
            ["Bank of England", "University of Oslo"]
        );
        assert_eq!(names("in New York, where"), ["New York"]);
        assert!(names("French and North winds").is_empty());
        assert!(names("Ukrainian officials").is_empty());
        assert_eq!(names("“I believe in Kestria,” he said."), ["Kestria"]);
        assert_eq!(names("In 2026 Storm Elske hit."), ["Storm Elske"]);
        assert_eq!(
            names("the Kestrian Nurses’ Association and the Rovers’ coach"),
            ["Kestrian Nurses’ Association", "Rovers"]
        );
        assert_eq!(
            names("and Bank of Kestria Governor Ilse Marrow spoke"),
            ["Bank of Kestria", "Ilse Marrow"]
        );
        assert_eq!(names("the First Division"), ["First Division"]);
        assert_eq!(
            names("Residents of Lindmark left. Officials said so. Like Storm Elske, it hit."),
            ["Lindmark", "Storm Elske"]
        );
        assert_eq!(
            names("Storm Elske hit. Then came Storm Elske."),
            ["Storm Elske", "Storm Elske"]
        );
        assert_eq!(
            names("Bank of England rates. Rates at the Bank of England rose."),
            ["Bank of England", "Bank of England"]
        );
    }

    #[test]
    fn tokens() {
        let t = token("Trump’s");
        assert_eq!((t.core, t.breaks), ("Trump", true));
        let t = token("U.S.");
        assert_eq!((t.core, t.ends_sentence), ("U.S.", false));
        let t = token("“This");
        assert!(t.opens_quote && t.class == Class::Capital && !t.breaks);
        let t = token("Office,");
        assert!(t.breaks && !t.ends_sentence);
        assert_eq!(token("Vance-led").class, Class::Other);
        assert_eq!(token("Al-Assad").class, Class::Capital);
    }

    #[test]
    fn salience_and_surname_alias() {
        let m = scan(
            "Talks Resume",
            &[
                "Nothing here.",
                "President Donald Trump spoke. Later Trump said more, and Trump left as Oslo was quiet.",
            ],
        );
        // Every article's mentions are held until the topics are assigned: at their length.
        assert_eq!(m.capacity(), m.len());
        let find = |k: &str| m.iter().find(|x| x.key.as_str() == k);
        let trump = find("donald-trump").unwrap();
        assert_eq!(trump.count, 3);
        assert!(trump.salient);
        assert!(find("trump").is_none());
        // Mentioned once, outside the first paragraph and the title: not salient.
        assert!(!find("oslo").unwrap().salient);
        let m = scan("Oslo Votes", &["Nothing.", "In Oslo it rained."]);
        assert!(m.iter().any(|x| x.key.as_str() == "oslo" && x.salient));
    }

    #[test]
    fn place_names_do_not_absorb_shorter_places() {
        let m = scan(
            "x",
            &["Trade with South Africa and then Africa, and Africa again."],
        );
        assert!(m.iter().any(|x| x.key.as_str() == "africa" && x.count == 2));
    }

    fn art(rel: &str, day: &str, lead: &[&str], tags: &[&str]) -> Article {
        Article {
            id: ArticleId::from_bytes(rel.as_bytes()),
            rel: rel.into(),
            day: Day::parse_iso(day).unwrap(),
            rank: None,
            title: Some((format!("Story {rel}"), TitleSource::Given)),
            body: Body::plain(lead),
            headlines: vec![],
            list_label: None,
            meta: Meta {
                tags: tags.iter().map(|s| s.to_string()).collect(),
                ..Meta::default()
            },
            draft: false,
        }
    }

    fn digest(arts: Vec<Article>, settings: Settings) -> crate::digest::Digest {
        assemble(
            arts,
            vec![],
            Options {
                topics: settings,
                ..Options::default()
            },
        )
    }

    #[test]
    fn topics_need_min_articles_and_list_newest_first() {
        let d = digest(
            vec![
                art(
                    "a",
                    "2026-02-03",
                    &["Officials met Donald Trump in New York."],
                    &[],
                ),
                art(
                    "b",
                    "2026-02-05",
                    &["Trump visited New York again."],
                    &["Weather"],
                ),
                art(
                    "c",
                    "2026-02-04",
                    &["Donald Trump and Ukraine. Officials agreed."],
                    &[],
                ),
                art("d", "2026-02-04", &["Ukraine only."], &["weather"]),
            ],
            Settings {
                min_articles: 2,
                ..Settings::default()
            },
        );
        let t: Vec<_> = d
            .topics
            .iter()
            .map(|t| (t.name.as_str(), t.slug.as_str(), t.articles.len(), t.tagged))
            .collect();
        assert_eq!(
            t,
            [
                ("Donald Trump", "donald-trump", 3, false),
                ("New York", "new-york", 2, false),
                ("Ukraine", "ukraine", 2, false),
                ("Weather", "weather", 2, true),
            ]
        );
        // "Trump" alone in b joins the one full name the corpus has for it; "Officials" only
        // starts sentences.
        assert!(
            !d.topics
                .iter()
                .any(|t| t.name == "Officials" || t.name == "Trump")
        );
        // Newest first: the digest sorts newest day first, so indices ascend.
        for t in &d.topics {
            let days: Vec<_> = t.articles.iter().map(|&i| d.articles[i].day).collect();
            assert!(days.windows(2).all(|w| w[0] >= w[1]), "{}", t.name);
        }
        // Entries know their topics, tags first.
        let b = d
            .articles
            .iter()
            .find(|e| e.rel.to_str() == Some("b"))
            .unwrap();
        let names: Vec<_> = b
            .topics
            .iter()
            .map(|&i| d.topics[i].name.as_str())
            .collect();
        assert_eq!(names, ["Weather", "Donald Trump", "New York"]);
    }

    #[test]
    fn ignore_list_and_extract_switch() {
        let arts = || {
            vec![
                art("a", "2026-02-03", &["Talks in Geneva."], &["climate"]),
                art("b", "2026-02-04", &["Geneva again."], &[]),
            ]
        };
        let d = digest(
            arts(),
            Settings {
                min_articles: 2,
                ignore: vec!["GENEVA".into()],
                ..Settings::default()
            },
        );
        assert_eq!(d.topics.len(), 1);
        assert_eq!(d.topics[0].name, "Climate");
        assert_eq!(tag_display("confidence-vote"), "Confidence vote");
        assert_eq!(tag_display("NATO summit"), "NATO summit");
        let d = digest(
            arts(),
            Settings {
                min_articles: 1,
                extract: false,
                ..Settings::default()
            },
        );
        assert_eq!(d.topics.len(), 1);
    }

    #[test]
    fn hostile_tags_make_safe_slugs() {
        let d = digest(
            vec![art(
                "a",
                "2026-02-03",
                &["x"],
                &["../../etc", "page", "<b>Bold</b>"],
            )],
            Settings::default(),
        );
        let slugs: Vec<_> = d.topics.iter().map(|t| t.slug.as_str()).collect();
        assert_eq!(slugs, ["etc", "b-bold-b"]);
    }
}
