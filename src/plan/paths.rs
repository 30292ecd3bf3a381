//! Every site path the site uses, made once by [`super::plan`] beside its pages. The plan owns
//! the URL rules; render (and the image copies) read the finished paths from [`Paths`] and
//! never derive one, so a rule lives in one place and no page formats the same path twice.

use super::discovery::{
    FeedFormat, FeedScope, NEWS_SITEMAP_FILE, SEARCH_INDEX_FILE, SEARCH_PATH, SITEMAP_FILE,
    SOURCES_PATH, STORIES_PATH, SitemapFile, TOPICS_PATH,
};
use super::{ARCHIVE_PATH, HEADLINES_PATH, HEADLINES_PER_PAGE, Page, PageKind};
use crate::digest::Digest;
use crate::model::Day;
use std::borrow::Cow;
use std::collections::HashMap;

/// The site path of every page and file of one plan, relative to the base URL. Indices are
/// those of the [`Digest`] the plan was made from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Paths {
    /// Per `Digest::articles`: `2026/02/05/<slug>/`.
    articles: Vec<String>,
    /// Per `Digest::days`: `2026/02/05/`.
    days: Vec<String>,
    day_index: HashMap<Day, usize>,
    /// Per `Digest::topics`, `Digest::sites`, `Digest::storylines`.
    topics: Vec<String>,
    sources: Vec<String>,
    storylines: Vec<String>,
    /// Per section of `crate::digest::headlines::sections`: `headlines/a/`.
    headline_sections: Vec<String>,
    /// The site's RSS, Atom and JSON feeds.
    site_feeds: [String; 3],
    /// The RSS feed of each day, topic, source site and storyline, in the digest's order.
    day_feeds: Vec<String>,
    topic_feeds: Vec<String>,
    source_feeds: Vec<String>,
    storyline_feeds: Vec<String>,
    /// Every page of each paginated listing, page 1 first.
    listings: HashMap<PageKind, Vec<String>>,
    /// `sitemap-1.xml`… when the sitemap is split.
    sitemap_parts: Vec<String>,
}

impl Paths {
    /// The paths of the digest's articles, days, topics, sites, storylines and headline
    /// sections, and their feeds. Listing pages are added by [`Paths::add_pages`].
    pub(super) fn new(d: &Digest) -> Self {
        let topics: Vec<String> = (0..d.topics.len())
            .map(|t| super::discovery::topic_path(d, t))
            .collect();
        let sources: Vec<String> = (0..d.sites.len())
            .map(|s| super::discovery::source_path(d, s))
            .collect();
        let storylines: Vec<String> = (0..d.storylines.len())
            .map(|l| super::discovery::storyline_path(d, l))
            .collect();
        let days: Vec<String> = d.days.iter().map(|g| super::day_path(g.day)).collect();
        let rss = |dir: &String| format!("{dir}{}", feed_file(FeedFormat::Rss));
        Paths {
            articles: d.articles.iter().map(super::article_path).collect(),
            day_index: d.days.iter().enumerate().map(|(i, g)| (g.day, i)).collect(),
            headline_sections: crate::digest::headlines::sections(&d.headlines)
                .iter()
                .map(|s| super::headline_section_path(s.initial))
                .collect(),
            site_feeds: [FeedFormat::Rss, FeedFormat::Atom, FeedFormat::Json]
                .map(|f| feed_file(f).to_string()),
            day_feeds: days.iter().map(rss).collect(),
            topic_feeds: topics.iter().map(rss).collect(),
            source_feeds: sources.iter().map(rss).collect(),
            storyline_feeds: storylines.iter().map(rss).collect(),
            days,
            topics,
            sources,
            storylines,
            listings: HashMap::new(),
            sitemap_parts: Vec::new(),
        }
    }

    /// Records the paths of the planned listing pages and sitemap parts.
    pub(super) fn add_pages(&mut self, pages: &[Page]) {
        for p in pages {
            if p.pagination.is_some() {
                self.listings
                    .entry(p.kind)
                    .or_default()
                    .push(p.site_path.clone());
            }
            if let PageKind::Sitemap(SitemapFile::Part { .. }) = p.kind {
                self.sitemap_parts.push(p.site_path.clone());
            }
        }
    }

    /// An article's page (index into `Digest::articles`); its images and Markdown source sit
    /// beside it.
    pub fn article(&self, i: usize) -> &str {
        &self.articles[i]
    }

    /// A day's page (index into `Digest::days`).
    pub fn day(&self, i: usize) -> &str {
        &self.days[i]
    }

    /// The page of `day`, which need not be a day of the digest (a headline's days are those
    /// of its dumps): a digest day's path is read, any other made by the same rule.
    pub fn day_of(&self, day: Day) -> Cow<'_, str> {
        match self.day_index.get(&day) {
            Some(&i) => Cow::Borrowed(&self.days[i]),
            None => Cow::Owned(super::day_path(day)),
        }
    }

    pub fn topic(&self, t: usize) -> &str {
        &self.topics[t]
    }

    pub fn source(&self, s: usize) -> &str {
        &self.sources[s]
    }

    pub fn storyline(&self, l: usize) -> &str {
        &self.storylines[l]
    }

    /// The first page of a headline-index section (index into
    /// `crate::digest::headlines::sections`).
    pub fn headline_section(&self, s: usize) -> &str {
        &self.headline_sections[s]
    }

    /// The page of section `s` that lists its headline number `pos` (0-based).
    pub fn headline_page(&self, s: usize, pos: usize) -> &str {
        self.listing_page(PageKind::HeadlineSection(s), pos / HEADLINES_PER_PAGE + 1)
            .unwrap_or(&self.headline_sections[s])
    }

    /// Page `n` (1-based) of the listing whose pages are of `kind`; `None` past its end or
    /// for a kind that is not a listing.
    pub fn listing_page(&self, kind: PageKind, n: usize) -> Option<&str> {
        let pages = self.listings.get(&kind)?;
        n.checked_sub(1)
            .and_then(|i| pages.get(i))
            .map(String::as_str)
    }

    /// The RSS feed of `scope`.
    pub fn feed(&self, scope: FeedScope) -> &str {
        match scope {
            FeedScope::Site => &self.site_feeds[0],
            FeedScope::Day(i) => &self.day_feeds[i],
            FeedScope::Topic(t) => &self.topic_feeds[t],
            FeedScope::Source(s) => &self.source_feeds[s],
            FeedScope::Storyline(l) => &self.storyline_feeds[l],
        }
    }

    /// The site's feed in `format`.
    pub fn site_feed(&self, format: FeedFormat) -> &str {
        match format {
            FeedFormat::Rss => &self.site_feeds[0],
            FeedFormat::Atom => &self.site_feeds[1],
            FeedFormat::Json => &self.site_feeds[2],
        }
    }

    /// Part `n` (0-based) of a split sitemap.
    pub fn sitemap_part(&self, n: usize) -> &str {
        self.sitemap_parts.get(n).map_or("", String::as_str)
    }

    pub fn archive(&self) -> &'static str {
        ARCHIVE_PATH
    }

    pub fn headlines(&self) -> &'static str {
        HEADLINES_PATH
    }

    pub fn topics_index(&self) -> &'static str {
        TOPICS_PATH
    }

    pub fn sources_index(&self) -> &'static str {
        SOURCES_PATH
    }

    pub fn stories_index(&self) -> &'static str {
        STORIES_PATH
    }

    pub fn search(&self) -> &'static str {
        SEARCH_PATH
    }

    pub fn search_index(&self) -> &'static str {
        SEARCH_INDEX_FILE
    }

    pub fn sitemap(&self) -> &'static str {
        SITEMAP_FILE
    }

    pub fn news_sitemap(&self) -> &'static str {
        NEWS_SITEMAP_FILE
    }
}

/// The file name of a feed in `format`, in its scope's folder.
pub(super) fn feed_file(format: FeedFormat) -> &'static str {
    match format {
        FeedFormat::Rss => "feed.xml",
        FeedFormat::Atom => "atom.xml",
        FeedFormat::Json => "feed.json",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::digest::{Options, assemble};
    use crate::ingest::{Article, Body, Meta, TitleSource};
    use crate::model::ArticleId;

    fn digest() -> Digest {
        let arts = (0..5)
            .map(|i| Article {
                id: ArticleId::new(format!("{i:04}")),
                rel: format!("{i}.md").into(),
                day: Day::from_ymd(2026, 3, 1 + (i % 2) as u32).unwrap(),
                rank: Some(i as u32),
                title: Some((format!("Story number {i}"), TitleSource::Given)),
                body: Body::plain(&[format!("Text of story {i}.")]),
                headlines: vec![],
                list_label: None,
                meta: Meta {
                    source: Some("Port Times".into()),
                    tags: vec!["Bridges".into()],
                    ..Meta::default()
                },
                draft: false,
            })
            .collect();
        assemble(arts, vec![], Options::default())
    }

    /// The paths render reads are the paths the plan put its pages at.
    #[test]
    fn every_path_is_its_page_s_path() {
        let d = digest();
        let opts = super::super::PlanOptions {
            per_page: 2,
            ..Default::default()
        };
        let plan = super::super::plan(&d, &opts);
        let paths = &plan.paths;
        for p in &plan.pages {
            let expected: Option<&str> = match p.kind {
                PageKind::Article(i) => Some(paths.article(i)),
                PageKind::Topic(t) => Some(paths.topic(t)),
                PageKind::Source(s) => Some(paths.source(s)),
                PageKind::Storyline(l) => Some(paths.storyline(l)),
                PageKind::Day(i) => Some(paths.day(i)),
                PageKind::HeadlineSection(s) => Some(paths.headline_section(s)),
                PageKind::Archive => Some(paths.archive()),
                PageKind::Headlines => Some(paths.headlines()),
                PageKind::Topics => Some(paths.topics_index()),
                PageKind::Sources => Some(paths.sources_index()),
                PageKind::Storylines => Some(paths.stories_index()),
                PageKind::Search => Some(paths.search()),
                PageKind::SearchIndex => Some(paths.search_index()),
                PageKind::NewsSitemap => Some(paths.news_sitemap()),
                PageKind::Sitemap(SitemapFile::All) => Some(paths.sitemap()),
                PageKind::Feed(FeedScope::Site, f) => Some(paths.site_feed(f)),
                PageKind::Feed(scope, FeedFormat::Rss) => Some(paths.feed(scope)),
                _ => None,
            };
            let Some(expected) = expected else { continue };
            match &p.pagination {
                Some(g) => {
                    assert_eq!(expected, g.first, "{:?}", p.kind);
                    assert_eq!(
                        paths.listing_page(p.kind, g.number),
                        Some(p.site_path.as_str())
                    );
                }
                None => assert_eq!(expected, p.site_path, "{:?}", p.kind),
            }
        }
        assert_eq!(paths.article(0), "2026/03/02/story-number-1/");
        assert_eq!(paths.feed(FeedScope::Day(0)), "2026/03/02/feed.xml");
        assert_eq!(paths.site_feed(FeedFormat::Json), "feed.json");
        // 2026-03-01 has three stories, two a page.
        assert_eq!(
            paths.listing_page(PageKind::Day(1), 2),
            Some("2026/03/01/page/2/")
        );
        assert_eq!(paths.listing_page(PageKind::Day(1), 3), None);
        assert_eq!(paths.listing_page(PageKind::Search, 1), None);
    }

    #[test]
    fn a_day_outside_the_digest_has_a_path_by_the_same_rule() {
        let paths = super::super::plan(&digest(), &Default::default()).paths;
        assert_eq!(
            paths.day_of(Day::from_ymd(2026, 3, 1).unwrap()),
            "2026/03/01/"
        );
        assert_eq!(
            paths.day_of(Day::from_ymd(2025, 1, 9).unwrap()),
            "2025/01/09/"
        );
    }

    #[test]
    fn a_headline_leads_to_the_page_that_lists_it() {
        let d = crate::plan::tests::headlines_over_a_page(&[]);
        let paths = super::super::plan(&d, &Default::default()).paths;
        assert_eq!(paths.headline_page(0, 0), "headlines/a/");
        assert_eq!(
            paths.headline_page(0, HEADLINES_PER_PAGE - 1),
            "headlines/a/"
        );
        assert_eq!(
            paths.headline_page(0, HEADLINES_PER_PAGE),
            "headlines/a/page/2/"
        );
    }
}
