//! The discovery part of the plan: pagination of listings, feeds, topic and source pages, search,
//! sitemaps and `robots.txt`. Pure functions of the digest and the page list, so the rules
//! (which URL a page 2 has, when a sitemap splits) are tested without building anything.

use super::{Page, PageKind, Paths};
use crate::digest::Digest;

/// The sitemap protocol's limit of URLs per file; past it `sitemap.xml` becomes an index.
pub const SITEMAP_MAX_URLS: usize = 50_000;

pub(super) const TOPICS_PATH: &str = "topics/";
/// The index of source sites; each site's page is below it.
pub(super) const SOURCES_PATH: &str = "sources/";
/// The index of developing stories; each story's page is below it.
pub(super) const STORIES_PATH: &str = "stories/";
pub(super) const SEARCH_PATH: &str = "search/";
pub const SEARCH_INDEX_FILE: &str = "search-index.json";
pub const ROBOTS_FILE: &str = "robots.txt";
pub(super) const SITEMAP_FILE: &str = "sitemap.xml";
pub(super) const NEWS_SITEMAP_FILE: &str = "news-sitemap.xml";

/// What a plan needs beyond the digest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlanOptions {
    /// Items per listing page (`per_page` in `site.yaml`).
    pub per_page: usize,
    /// URLs per sitemap file; [`SITEMAP_MAX_URLS`] except in tests.
    pub sitemap_max_urls: usize,
    /// The site ships its own `robots.txt` (in its `static/`), which replaces the generated one.
    pub site_robots: bool,
}

impl Default for PlanOptions {
    fn default() -> Self {
        PlanOptions {
            per_page: 20,
            sitemap_max_urls: SITEMAP_MAX_URLS,
            site_robots: false,
        }
    }
}

impl PlanOptions {
    pub fn from_config(cfg: &crate::config::Config) -> Self {
        PlanOptions {
            per_page: cfg.per_page,
            ..PlanOptions::default()
        }
    }
}

/// Whose articles a feed carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FeedScope {
    Site,
    /// Index into `Digest::days`.
    Day(usize),
    /// Index into `Digest::topics`.
    Topic(usize),
    /// Index into `Digest::sites`.
    Source(usize),
    /// Index into `Digest::storylines`.
    Storyline(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FeedFormat {
    /// RSS 2.0
    Rss,
    /// Atom 1.0
    Atom,
    /// JSON Feed 1.1
    Json,
}

impl FeedFormat {
    pub fn mime(&self) -> &'static str {
        match self {
            FeedFormat::Rss => "application/rss+xml",
            FeedFormat::Atom => "application/atom+xml",
            FeedFormat::Json => "application/feed+json",
        }
    }
}

/// One file of the sitemap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SitemapFile {
    /// `sitemap.xml` listing every URL (up to the limit).
    All,
    /// `sitemap.xml` as a sitemap index of this many parts.
    Index { parts: usize },
    /// `sitemap-<n+1>.xml`, chunk `n` of `parts` (see [`sitemap_chunk`]).
    Part { n: usize, parts: usize },
}

impl SitemapFile {
    pub(super) fn file(&self) -> String {
        match self {
            SitemapFile::All | SitemapFile::Index { .. } => SITEMAP_FILE.into(),
            SitemapFile::Part { n, .. } => format!("sitemap-{}.xml", n + 1),
        }
    }
}

/// Where a page of a paginated listing sits among its siblings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pagination {
    /// 1-based.
    pub number: usize,
    pub total: usize,
    /// The slice of the listing's items on this page.
    pub items: std::ops::Range<usize>,
    /// Site path of the listing's first page (`2026/02/05/`, empty for the front page).
    pub first: String,
}

/// Page 1 is the listing itself; page `n` ≥ 2 is `<listing>page/<n>/`. There is no
/// `page/1/`: every link to the first page uses the listing's own URL.
fn paged_path(first: &str, n: usize) -> String {
    if n <= 1 {
        first.to_string()
    } else {
        format!("{first}page/{n}/")
    }
}

/// The item ranges of a listing of `items` at `per_page`; always at least one (possibly
/// empty) page, so an empty listing still has its first page.
pub fn page_ranges(items: usize, per_page: usize) -> Vec<std::ops::Range<usize>> {
    let per_page = per_page.max(1);
    let pages = items.div_ceil(per_page).max(1);
    (0..pages)
        .map(|p| p * per_page..((p + 1) * per_page).min(items))
        .collect()
}

/// Every page of a listing of `items` whose first page is at `first`.
pub(super) fn listing(kind: PageKind, first: &str, items: usize, per_page: usize) -> Vec<Page> {
    let ranges = page_ranges(items, per_page);
    let total = ranges.len();
    ranges
        .into_iter()
        .enumerate()
        .map(|(i, items)| {
            let site_path = paged_path(first, i + 1);
            Page {
                kind,
                file: format!("{site_path}index.html"),
                site_path,
                pagination: Some(Pagination {
                    number: i + 1,
                    total,
                    items,
                    first: first.to_string(),
                }),
            }
        })
        .collect()
}

/// `topics/<slug>/`
pub(super) fn topic_path(d: &Digest, t: usize) -> String {
    format!("{TOPICS_PATH}{}/", d.topics[t].slug)
}

/// `sources/<slug>/`
pub(super) fn source_path(d: &Digest, s: usize) -> String {
    format!("{SOURCES_PATH}{}/", d.sites[s].slug)
}

/// `stories/<slug>/`
pub(super) fn storyline_path(d: &Digest, l: usize) -> String {
    format!("{STORIES_PATH}{}/", d.storylines[l].slug)
}

/// Which pages a sitemap lists: every HTML page a search engine should index. Not the 404
/// page, the search page (its results are made in the browser) or non-HTML files.
pub fn in_sitemap(kind: PageKind) -> bool {
    matches!(
        kind,
        PageKind::Front
            | PageKind::Day(_)
            | PageKind::Article(_)
            | PageKind::Archive
            | PageKind::Headlines
            | PageKind::HeadlineSection(_)
            | PageKind::Topics
            | PageKind::Topic(_)
            | PageKind::Sources
            | PageKind::Source(_)
            | PageKind::Storylines
            | PageKind::Storyline(_)
    )
}

/// The sitemap files for `urls` URLs: one `sitemap.xml`, or past `max` an index and parts.
pub fn sitemap_files(urls: usize, max: usize) -> Vec<SitemapFile> {
    let max = max.max(1);
    if urls <= max {
        return vec![SitemapFile::All];
    }
    let parts = urls.div_ceil(max);
    std::iter::once(SitemapFile::Index { parts })
        .chain((0..parts).map(|n| SitemapFile::Part { n, parts }))
        .collect()
}

/// Which of `urls` sitemap URLs part `n` of `parts` lists: equal chunks in page order, the
/// last one possibly shorter. With `parts` from [`sitemap_files`] no chunk exceeds the limit.
pub fn sitemap_chunk(urls: usize, parts: usize, n: usize) -> std::ops::Range<usize> {
    let size = urls.div_ceil(parts.max(1));
    (n * size).min(urls)..((n + 1) * size).min(urls)
}

/// The discovery pages that are not listings of the core plan: topic and source pages, feeds, search,
/// sitemaps and `robots.txt`. `pages` are the pages planned so far (for the sitemap count).
pub(super) fn extra_pages(
    d: &Digest,
    opts: &PlanOptions,
    paths: &Paths,
    pages: &[Page],
) -> Vec<Page> {
    let file = |kind, path: String| Page {
        kind,
        file: path.clone(),
        site_path: path,
        pagination: None,
    };
    let mut out = Vec::new();
    out.push(Page {
        kind: PageKind::Topics,
        file: format!("{TOPICS_PATH}index.html"),
        site_path: TOPICS_PATH.into(),
        pagination: None,
    });
    for (t, topic) in d.topics.iter().enumerate() {
        out.extend(listing(
            PageKind::Topic(t),
            paths.topic(t),
            topic.articles.len(),
            opts.per_page,
        ));
    }
    out.push(Page {
        kind: PageKind::Sources,
        file: format!("{SOURCES_PATH}index.html"),
        site_path: SOURCES_PATH.into(),
        pagination: None,
    });
    for (s, site) in d.sites.iter().enumerate() {
        out.extend(listing(
            PageKind::Source(s),
            paths.source(s),
            site.articles.len(),
            opts.per_page,
        ));
    }
    out.extend(listing(
        PageKind::Storylines,
        STORIES_PATH,
        d.storylines.len(),
        opts.per_page,
    ));
    for l in 0..d.storylines.len() {
        out.push(Page {
            kind: PageKind::Storyline(l),
            file: format!("{}index.html", paths.storyline(l)),
            site_path: paths.storyline(l).to_string(),
            pagination: None,
        });
    }
    out.push(Page {
        kind: PageKind::Search,
        file: format!("{SEARCH_PATH}index.html"),
        site_path: SEARCH_PATH.into(),
        pagination: None,
    });
    out.push(file(PageKind::SearchIndex, SEARCH_INDEX_FILE.into()));

    for format in [FeedFormat::Rss, FeedFormat::Atom, FeedFormat::Json] {
        out.push(file(
            PageKind::Feed(FeedScope::Site, format),
            paths.site_feed(format).to_string(),
        ));
    }
    for i in 0..d.days.len() {
        let scope = FeedScope::Day(i);
        out.push(file(
            PageKind::Feed(scope, FeedFormat::Rss),
            paths.feed(scope).to_string(),
        ));
    }
    for t in 0..d.topics.len() {
        let scope = FeedScope::Topic(t);
        out.push(file(
            PageKind::Feed(scope, FeedFormat::Rss),
            paths.feed(scope).to_string(),
        ));
    }
    for s in 0..d.sites.len() {
        let scope = FeedScope::Source(s);
        out.push(file(
            PageKind::Feed(scope, FeedFormat::Rss),
            paths.feed(scope).to_string(),
        ));
    }
    for l in 0..d.storylines.len() {
        let scope = FeedScope::Storyline(l);
        out.push(file(
            PageKind::Feed(scope, FeedFormat::Rss),
            paths.feed(scope).to_string(),
        ));
    }

    let urls = pages
        .iter()
        .chain(out.iter())
        .filter(|p| in_sitemap(p.kind))
        .count();
    for s in sitemap_files(urls, opts.sitemap_max_urls) {
        out.push(file(PageKind::Sitemap(s), s.file()));
    }
    out.push(file(PageKind::NewsSitemap, NEWS_SITEMAP_FILE.into()));
    if !opts.site_robots {
        out.push(file(PageKind::Robots, ROBOTS_FILE.into()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_paths() {
        assert_eq!(paged_path("", 1), "");
        assert_eq!(paged_path("", 2), "page/2/");
        assert_eq!(paged_path("2026/02/05/", 3), "2026/02/05/page/3/");
        assert_eq!(paged_path("topics/ukraine/", 1), "topics/ukraine/");
    }

    #[test]
    fn ranges_cover_every_item_once() {
        assert_eq!(page_ranges(0, 20), vec![0..0]);
        assert_eq!(page_ranges(20, 20), vec![0..20]);
        assert_eq!(page_ranges(21, 20), [0..20, 20..21]);
        assert_eq!(page_ranges(5, 2), [0..2, 2..4, 4..5]);
    }

    #[test]
    fn listing_pages() {
        let pages = listing(PageKind::Archive, "archive/", 45, 20);
        let files: Vec<_> = pages.iter().map(|p| p.file.as_str()).collect();
        assert_eq!(
            files,
            [
                "archive/index.html",
                "archive/page/2/index.html",
                "archive/page/3/index.html"
            ]
        );
        let last = pages[2].pagination.as_ref().unwrap();
        assert_eq!(
            (last.number, last.total, last.items.clone()),
            (3, 3, 40..45)
        );
        assert_eq!(paged_path(&last.first, 1), "archive/");
        assert_eq!(paged_path(&last.first, 2), "archive/page/2/");
    }

    #[test]
    fn sitemap_splits_past_the_protocol_limit() {
        assert_eq!(sitemap_files(0, SITEMAP_MAX_URLS), [SitemapFile::All]);
        assert_eq!(sitemap_files(50_000, SITEMAP_MAX_URLS), [SitemapFile::All]);
        assert_eq!(
            sitemap_files(50_001, SITEMAP_MAX_URLS),
            [
                SitemapFile::Index { parts: 2 },
                SitemapFile::Part { n: 0, parts: 2 },
                SitemapFile::Part { n: 1, parts: 2 }
            ]
        );
        // Chunks cover every URL once and none exceeds the limit.
        for urls in [50_001, 99_999, 100_000, 100_001, 1_234_567] {
            let files = sitemap_files(urls, SITEMAP_MAX_URLS);
            let SitemapFile::Index { parts } = files[0] else {
                panic!("{urls}: no index")
            };
            let mut next = 0;
            for n in 0..parts {
                let r = sitemap_chunk(urls, parts, n);
                assert_eq!(r.start, next);
                assert!(r.len() <= SITEMAP_MAX_URLS && !r.is_empty());
                next = r.end;
            }
            assert_eq!(next, urls);
        }
        let files: Vec<_> = sitemap_files(120_000, SITEMAP_MAX_URLS)
            .iter()
            .map(SitemapFile::file)
            .collect();
        assert_eq!(
            files,
            [
                "sitemap.xml",
                "sitemap-1.xml",
                "sitemap-2.xml",
                "sitemap-3.xml"
            ]
        );
    }
}
