//! Plan: decides which pages exist and where they go, from the digest alone. It owns every
//! URL rule: [`plan`] computes each page's and each link target's site path once, into the
//! [`Plan`]'s [`Paths`], and the rules themselves are private to this module, so render only
//! reads paths. Paths are site paths relative to the output root with `/` separators; the
//! base URL is added by `render`, the output folder by `output`.

pub mod discovery;
pub mod paths;

use crate::digest::{Digest, Entry};
use crate::model::Day;
pub use discovery::{FeedFormat, FeedScope, Pagination, PlanOptions, SitemapFile};
pub use paths::Paths;

/// What a page shows. Indices point into the [`Digest`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PageKind {
    Front,
    /// Index into `Digest::days`.
    Day(usize),
    /// Index into `Digest::articles`.
    Article(usize),
    /// The article's Markdown source, `index.md` beside its page.
    ArticleSource(usize),
    Archive,
    /// The headline index's landing page, `headlines/`: the A–Z jump links.
    Headlines,
    /// One initial's part of the headline index (`headlines/a/`, paginated); index into
    /// [`crate::digest::headlines::sections`] of `Digest::headlines`.
    HeadlineSection(usize),
    NotFound,
    /// The topic index, `topics/`.
    Topics,
    /// One topic's listing; index into `Digest::topics`.
    Topic(usize),
    /// The index of source sites, `sources/`.
    Sources,
    /// One source site's listing; index into `Digest::sites`.
    Source(usize),
    /// The index of developing stories, `stories/` (paginated).
    Storylines,
    /// One developing story's page, its coverage day by day; index into
    /// `Digest::storylines`.
    Storyline(usize),
    /// The search page, `search/`.
    Search,
    /// `search-index.json`, the search page's data.
    SearchIndex,
    Feed(FeedScope, FeedFormat),
    Sitemap(SitemapFile),
    /// `news-sitemap.xml`, the Google News sitemap.
    NewsSitemap,
    Robots,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub kind: PageKind,
    /// The file to write, relative to the output root (`2026/02/05/slug/index.html`).
    pub file: String,
    /// The clean URL path relative to the base URL (`2026/02/05/slug/`; empty for the front page).
    pub site_path: String,
    /// For the pages of a paginated listing (front page, days, archive, topics).
    pub pagination: Option<Pagination>,
}

/// `2026/02/05/`
fn day_path(day: Day) -> String {
    format!("{}/", day.path())
}

/// `2026/02/05/<slug>/`
fn article_path(e: &Entry) -> String {
    format!("{}/{}/", e.day.path(), e.slug)
}

const ARCHIVE_PATH: &str = "archive/";
const HEADLINES_PATH: &str = "headlines/";

/// Headlines per page of a headline-index section. A row is a few hundred bytes (its days
/// are capped, see `render`), so a page stays near 200 KB however large the corpus.
pub const HEADLINES_PER_PAGE: usize = 500;

/// `headlines/a/`, the first page of a headline-index section.
fn headline_section_path(initial: crate::digest::headlines::Initial) -> String {
    format!("{HEADLINES_PATH}{}/", initial.slug())
}

/// What [`plan`] decides: every page of the site, in a fixed order, and the site path of
/// everything a page links to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    pub pages: Vec<Page>,
    pub paths: Paths,
}

/// Every page of the site, in a fixed order, with every path computed once.
pub fn plan(d: &Digest, opts: &PlanOptions) -> Plan {
    let mut paths = Paths::new(d);
    let pages = pages(d, opts, &paths);
    paths.add_pages(&pages);
    Plan { pages, paths }
}

fn pages(d: &Digest, opts: &PlanOptions, paths: &Paths) -> Vec<Page> {
    let page = |kind, site_path: String| Page {
        kind,
        file: format!("{site_path}index.html"),
        site_path,
        pagination: None,
    };
    let per_page = opts.per_page;
    let front_items = d.days.first().map_or(0, |g| g.stories.len());
    let mut pages = discovery::listing(PageKind::Front, "", front_items, per_page);
    pages.extend(discovery::listing(
        PageKind::Archive,
        ARCHIVE_PATH,
        d.days.len(),
        per_page,
    ));
    pages.push(page(PageKind::Headlines, HEADLINES_PATH.into()));
    for (s, section) in crate::digest::headlines::sections(&d.headlines)
        .iter()
        .enumerate()
    {
        pages.extend(discovery::listing(
            PageKind::HeadlineSection(s),
            paths.headline_section(s),
            section.items.len(),
            HEADLINES_PER_PAGE,
        ));
    }
    pages.extend([Page {
        kind: PageKind::NotFound,
        file: "404.html".into(),
        site_path: "404.html".into(),
        pagination: None,
    }]);
    for (i, g) in d.days.iter().enumerate() {
        pages.extend(discovery::listing(
            PageKind::Day(i),
            paths.day(i),
            g.stories.len(),
            per_page,
        ));
    }
    for i in 0..d.articles.len() {
        let p = paths.article(i);
        pages.push(page(PageKind::Article(i), p.to_string()));
        pages.push(Page {
            kind: PageKind::ArticleSource(i),
            file: format!("{p}index.md"),
            site_path: format!("{p}index.md"),
            pagination: None,
        });
    }
    let extra = discovery::extra_pages(d, opts, paths, &pages);
    pages.extend(extra);
    pages
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::digest::{Options, assemble};
    use crate::ingest::{Article, Body, Meta, TitleSource};
    use crate::model::ArticleId;

    fn article(id: &str, rel: &str, title: &str, source: Option<&str>) -> Article {
        Article {
            id: ArticleId::new(id),
            rel: rel.into(),
            day: Day::parse_iso("2026-02-05").unwrap(),
            rank: None,
            title: Some((title.into(), TitleSource::FirstLine)),
            body: Body::plain(&[format!("Text of {title}.")]),
            headlines: vec![],
            list_label: None,
            meta: Meta {
                source: source.map(String::from),
                ..Meta::default()
            },
            draft: false,
        }
    }

    /// A digest of nothing but headlines, all of one day: a page and one more under "A",
    /// then `extra`.
    pub(crate) fn headlines_over_a_page(extra: &[&str]) -> Digest {
        let day = Day::parse_iso("2026-02-05").unwrap();
        let texts: Vec<String> = (0..HEADLINES_PER_PAGE + 1)
            .map(|i| format!("Alpha story {i}"))
            .chain(extra.iter().map(|t| t.to_string()))
            .collect();
        Digest {
            headlines: crate::digest::headlines::build(
                texts.iter().map(|t| (day, t.as_str())),
                &Default::default(),
            ),
            ..Digest::default()
        }
    }

    #[test]
    fn a_letter_over_a_page_is_paginated() {
        let d = headlines_over_a_page(&["Zulu story"]);
        let pages: Vec<_> = plan(&d, &PlanOptions::default())
            .pages
            .into_iter()
            .filter(|p| matches!(p.kind, PageKind::HeadlineSection(_)))
            .map(|p| (p.file, p.pagination.map(|g| (g.number, g.total, g.items))))
            .collect();
        assert_eq!(
            pages,
            [
                (
                    "headlines/a/index.html".to_string(),
                    Some((1, 2, 0..HEADLINES_PER_PAGE))
                ),
                (
                    "headlines/a/page/2/index.html".to_string(),
                    Some((2, 2, HEADLINES_PER_PAGE..HEADLINES_PER_PAGE + 1))
                ),
                ("headlines/z/index.html".to_string(), Some((1, 1, 0..1))),
            ]
        );
    }

    #[test]
    fn plans_every_page_once() {
        let a = Article {
            rank: Some(0),
            ..article("ab", "2026-02-05/000_ab.txt", "Bridge Reopens", None)
        };
        let d = assemble(vec![a], vec![], Options::default());
        let files: Vec<_> = plan(&d, &PlanOptions::default())
            .pages
            .into_iter()
            .map(|p| p.file)
            .collect();
        assert_eq!(
            files,
            [
                "index.html",
                "archive/index.html",
                "headlines/index.html",
                "headlines/b/index.html",
                "404.html",
                "2026/02/05/index.html",
                "2026/02/05/bridge-reopens/index.html",
                "2026/02/05/bridge-reopens/index.md",
                "topics/index.html",
                "sources/index.html",
                "stories/index.html",
                "search/index.html",
                "search-index.json",
                "feed.xml",
                "atom.xml",
                "feed.json",
                "2026/02/05/feed.xml",
                "sitemap.xml",
                "news-sitemap.xml",
                "robots.txt",
            ]
        );
    }

    #[test]
    fn every_site_gets_a_paginated_page_a_feed_and_sitemap_entries() {
        let arts = vec![
            article("01", "2026-02-05/a.md", "One", Some("Port Times")),
            article(
                "02",
                "2026-02-05/b.md",
                "Two",
                Some("https://www.porttimes.example/x"),
            ),
            article("03", "2026-02-05/c.md", "Three", Some("Port Times")),
            article("04", "2026-02-05/d.md", "Four", Some("Port Times")),
        ];
        let d = assemble(arts, vec![], Options::default());
        assert_eq!(d.sites.len(), 2);
        let pages = plan(
            &d,
            &PlanOptions {
                per_page: 2,
                ..PlanOptions::default()
            },
        )
        .pages;
        let files: Vec<&str> = pages
            .iter()
            .filter(|p| p.file.starts_with("sources/"))
            .map(|p| p.file.as_str())
            .collect();
        assert_eq!(
            files,
            [
                "sources/index.html",
                "sources/port-times/index.html",
                "sources/port-times/page/2/index.html",
                "sources/porttimesexample/index.html",
                "sources/port-times/feed.xml",
                "sources/porttimesexample/feed.xml",
            ]
        );
        let kinds: Vec<PageKind> = pages
            .iter()
            .filter(|p| p.file.starts_with("sources/") && p.file.ends_with(".html"))
            .map(|p| p.kind)
            .collect();
        assert!(kinds.iter().all(|&k| discovery::in_sitemap(k)));
        assert!(!discovery::in_sitemap(PageKind::Feed(
            FeedScope::Source(0),
            discovery::FeedFormat::Rss
        )));
    }
}
