//! Digest: turns parsed articles into the shape of the site. Days and ranks, titles, slugs,
//! summaries, the headline index and the links between articles and headlines. Pure: it
//! never touches files and knows nothing of URLs or templates.

pub mod headlines;
pub mod text;
pub mod topics;

use crate::ingest::{Article, Body, Meta, TitleSource};
use crate::model::{ArticleId, Day, Slug};
use crate::report::{FileOutcome, FileRecord};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;

pub use headlines::Headline;
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
}

/// A headline in an article's "more headlines" list, linked when the corpus has it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeadlineRef {
    pub text: String,
    /// Index into [`Digest::articles`].
    pub article: Option<usize>,
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
    pub lead: Vec<String>,
    pub summary: String,
    pub word_count: usize,
    pub reading_minutes: usize,
    pub meta: Meta,
    pub headlines: Vec<HeadlineRef>,
    /// Indices into [`Digest::topics`]: front-matter tags first, then extracted topics by
    /// how often the article mentions them.
    pub topics: Vec<usize>,
}

/// One day and its articles, by rank.
#[derive(Debug, Clone)]
pub struct DayGroup {
    pub day: Day,
    /// Indices into [`Digest::articles`], by rank.
    pub articles: Vec<usize>,
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
    /// Drafts left out of this build.
    pub drafts: Vec<FileRecord>,
}

/// Assembles the digest. `orphan_headlines` are headline lists of files that had no body.
pub fn assemble(
    articles: Vec<Article>,
    orphan_headlines: Vec<(Day, Vec<String>)>,
    opts: Options,
) -> Digest {
    let mut drafts = Vec::new();
    let mut kept: Vec<Article> = Vec::with_capacity(articles.len());
    for a in articles {
        if a.draft && !opts.drafts {
            drafts.push(FileRecord {
                path: crate::ingest::slash_path(&a.rel),
                outcome: FileOutcome::Draft,
            });
        } else {
            kept.push(a);
        }
    }

    // Newest day first; within a day by rank, then file path (the documented fallback).
    kept.sort_by(|a, b| {
        b.day
            .cmp(&a.day)
            .then(a.rank.unwrap_or(u32::MAX).cmp(&b.rank.unwrap_or(u32::MAX)))
            .then(a.rel.cmp(&b.rel))
    });

    let mut by_day: BTreeMap<Day, Vec<usize>> = BTreeMap::new();
    let mut entries: Vec<Entry> = Vec::with_capacity(kept.len());
    let mut used_slugs: HashMap<Day, HashSet<Slug>> = HashMap::new();
    for a in kept {
        let (title, title_source) = resolve_title(&a);
        let slug = unique_slug(&a, &title, used_slugs.entry(a.day).or_default());
        let day_list = by_day.entry(a.day).or_default();
        let word_count = text::word_count(&a.lead);
        let summary = match a.meta.summary.as_deref().map(str::trim) {
            Some(s) if !s.is_empty() => s.to_string(),
            _ => text::cut_at_word(
                a.lead.first().map(String::as_str).unwrap_or(""),
                SUMMARY_MAX,
            ),
        };
        day_list.push(entries.len());
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
            word_count,
            reading_minutes: text::reading_minutes(word_count),
            lead: a.lead,
            meta: a.meta,
            headlines: a
                .headlines
                .into_iter()
                .map(|text| HeadlineRef {
                    text,
                    article: None,
                })
                .collect(),
            topics: Vec::new(),
        });
    }

    let (topics, entry_topics) = topics::assign(&entries, &opts.topics);
    for (e, t) in entries.iter_mut().zip(entry_topics) {
        e.topics = t;
    }

    // Titles name articles: the first (newest, top-ranked) article wins a shared title.
    let mut titles: HashMap<String, usize> = HashMap::new();
    for (i, e) in entries.iter().enumerate() {
        titles.entry(text::normalise(&e.title)).or_insert(i);
    }
    for (i, e) in entries.iter_mut().enumerate() {
        for h in &mut e.headlines {
            h.article = titles
                .get(&text::normalise(&h.text))
                .copied()
                .filter(|&t| t != i);
        }
    }

    let sightings = entries
        .iter()
        .flat_map(|e| {
            std::iter::once((e.day, e.title.as_str()))
                .chain(e.headlines.iter().map(|h| (e.day, h.text.as_str())))
        })
        .chain(
            orphan_headlines
                .iter()
                .flat_map(|(d, hs)| hs.iter().map(move |h| (*d, h.as_str()))),
        );
    let headlines = headlines::build(sightings, &titles);

    let days = by_day
        .into_iter()
        .rev()
        .map(|(day, articles)| DayGroup { day, articles })
        .collect();
    Digest {
        articles: entries,
        days,
        headlines,
        topics,
        drafts,
    }
}

/// Title rules, in order: front matter, a title line, a headline from the corpus's lists
/// matching the lead (recovery lands with the "digest intelligence" work), the first sentence.
fn resolve_title(a: &Article) -> (String, TitleSource) {
    if let Some((t, src)) = &a.title {
        return (t.clone(), *src);
    }
    let first = a.lead.first().map(String::as_str).unwrap_or("");
    let derived = text::cut_at_word(text::first_sentence(first), DERIVED_TITLE_MAX);
    let derived = derived
        .strip_suffix('.')
        .map(str::to_string)
        .unwrap_or(derived);
    if derived.is_empty() {
        return (format!("Article {}", a.id), TitleSource::Derived);
    }
    (derived, TitleSource::Derived)
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
    use crate::ingest::Meta;

    fn art(day: &str, rel: &str, rank: Option<u32>, title: Option<&str>, lead: &str) -> Article {
        Article {
            id: ArticleId::from_bytes(rel.as_bytes()),
            rel: rel.into(),
            day: Day::parse_iso(day).unwrap(),
            rank,
            title: title.map(|t| (t.to_string(), TitleSource::FirstLine)),
            body: Body::Plain(vec![lead.into()]),
            lead: vec![lead.into()],
            headlines: vec![],
            meta: Meta::default(),
            draft: false,
        }
    }

    #[test]
    fn days_newest_first_and_rank_order() {
        let d = assemble(
            vec![
                art("2026-02-05", "a/002.txt", Some(2), Some("Second"), "x."),
                art("2026-02-06", "b/000.txt", Some(0), Some("Newest"), "x."),
                art("2026-02-05", "a/000.txt", Some(0), Some("First"), "x."),
                art("2026-02-05", "a/zzz.txt", None, Some("Unranked"), "x."),
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
                art("2026-02-05", "a.txt", Some(0), Some("Same Title"), "x."),
                art("2026-02-05", "b.txt", Some(1), Some("Same Title"), "x."),
                art("2026-02-06", "c.txt", Some(0), Some("Same Title"), "x."),
                art("2026-02-05", "d.txt", Some(2), Some("Page"), "x."),
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
        let mut a = art("2026-02-05", "a.md", None, Some("T"), "x.");
        a.meta.slug = Some("../../Etc/Passwd".into());
        let d = assemble(vec![a], vec![], Options::default());
        assert_eq!(d.articles[0].slug.as_str(), "etc-passwd");
    }

    #[test]
    fn drafts_left_out_unless_asked() {
        let mut a = art("2026-02-05", "a.md", None, Some("T"), "x.");
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
            "x.",
        );
        a.headlines = vec!["Zoo Expands".into(), "bridge reopens after repairs".into()];
        let mut b = art("2026-02-05", "b.txt", Some(1), Some("Zoo Expands"), "y.");
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
