//! Rendering the discovery pages and files: topic and source pages, the search page, pagination
//! context, and the non-HTML outputs (feeds, sitemaps, `robots.txt`, the search index).
//! Which of these exist and where is decided in `plan::discovery`, their paths are read from
//! the plan's `Paths`; this module only fills them in.

use super::context::{ArticleCard, DayLink, Links};
use super::feeds::{self, FeedData, FeedItem};
use super::published;
use super::search_index;
use super::sitemap::{self, NewsEntry, UrlEntry};
use crate::config::Config;
use crate::digest::Digest;
use crate::fingerprint::KeyBuilder;
use crate::model::Day;
use crate::plan::discovery::{self as pd, FeedFormat, FeedScope, Pagination, SitemapFile};
use crate::plan::{Page, PageKind, Paths};
use serde::Serialize;

/// The news sitemap covers this many hours before the newest article.
pub const NEWS_WINDOW_HOURS: i64 = 48;
/// Google News reads at most this many URLs per news sitemap.
pub const NEWS_MAX_URLS: usize = 1000;

/// Site-wide discovery links, flattened into `site` (see `docs/themes.md`).
#[derive(Debug, Clone, Serialize)]
pub struct SiteLinks {
    pub topics_url: String,
    pub sources_url: String,
    /// The developing stories, `stories/`.
    pub stories_url: String,
    pub search_url: String,
    pub search_index_url: String,
    pub search_script_url: String,
    /// RSS 2.0
    pub feed_url: String,
    /// Atom 1.0
    pub atom_url: String,
    /// JSON Feed 1.1
    pub json_feed_url: String,
}

impl SiteLinks {
    pub fn new(cfg: &Config, paths: &Paths) -> Self {
        let url = |p: &str| cfg.base_url.url(p);
        SiteLinks {
            topics_url: url(paths.topics_index()),
            sources_url: url(paths.sources_index()),
            stories_url: url(paths.stories_index()),
            search_url: url(paths.search()),
            search_index_url: url(paths.search_index()),
            search_script_url: url("static/search.js"),
            feed_url: url(paths.site_feed(FeedFormat::Rss)),
            atom_url: url(paths.site_feed(FeedFormat::Atom)),
            json_feed_url: url(paths.site_feed(FeedFormat::Json)),
        }
    }
}

/// A topic as templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct TopicLink {
    pub name: String,
    pub slug: String,
    pub url: String,
    /// How many articles the topic has.
    pub count: usize,
    /// Its RSS feed.
    pub feed_url: String,
}

pub fn topic_link(links: &Links, d: &Digest, t: usize) -> TopicLink {
    let TopicTag {
        name,
        slug,
        url,
        feed_url,
    } = topic_tag(links, d, t);
    TopicLink {
        name,
        slug,
        url,
        count: d.topics[t].articles.len(),
        feed_url,
    }
}

/// A topic as an article page names it: a [`TopicLink`] without the count. The count
/// moves whenever any article of the topic comes or goes; shown on every article page of the
/// topic, it made a daily build re-render (and rewrite) nearly every article page.
#[derive(Debug, Clone, Serialize)]
pub struct TopicTag {
    pub name: String,
    pub slug: String,
    pub url: String,
    /// Its RSS feed.
    pub feed_url: String,
}

/// An article's topics, in the entry's order (tags first).
pub fn article_topics(links: &Links, d: &Digest, i: usize) -> Vec<TopicTag> {
    d.articles[i]
        .topics
        .iter()
        .map(|&t| topic_tag(links, d, t))
        .collect()
}

/// Topic `t` as an article page names it.
pub fn topic_tag(links: &Links, d: &Digest, t: usize) -> TopicTag {
    let topic = &d.topics[t];
    TopicTag {
        name: topic.name.clone(),
        slug: topic.slug.to_string(),
        url: links.url(links.paths().topic(t)),
        feed_url: links.url(links.paths().feed(FeedScope::Topic(t))),
    }
}

/// A source site as templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct SourceLink {
    pub name: String,
    pub slug: String,
    pub url: String,
    /// How many articles the site has.
    pub count: usize,
    /// Its RSS feed.
    pub feed_url: String,
    /// How the site was known: `front-matter`, `folder` or `inferred`.
    pub origin: &'static str,
}

pub fn source_link(links: &Links, d: &Digest, s: usize) -> SourceLink {
    let site = &d.sites[s];
    SourceLink {
        name: site.name.clone(),
        slug: site.slug.to_string(),
        url: links.url(links.paths().source(s)),
        count: site.articles.len(),
        feed_url: links.url(links.paths().feed(FeedScope::Source(s))),
        origin: site.origin.as_str(),
    }
}

/// Every site, as the sources index lists them: most articles first, then by name, so the
/// sites a reader meets most come first and the order does not depend on discovery order.
pub fn source_index(links: &Links, d: &Digest) -> Vec<SourceLink> {
    let mut out: Vec<SourceLink> = (0..d.sites.len())
        .map(|s| source_link(links, d, s))
        .collect();
    out.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
            .then_with(|| a.slug.cmp(&b.slug))
    });
    out
}

/// `paginator` in templates.
#[derive(Debug, Clone, Serialize)]
pub struct PaginatorCtx {
    /// 1-based number of this page.
    pub number: usize,
    pub total: usize,
    pub first_url: String,
    pub last_url: String,
    /// Empty on the first / last page.
    pub prev_url: String,
    pub next_url: String,
    /// Numbered links to show: the first and last page, and two either side of this one,
    /// with `gap` entries where numbers are left out.
    pub pages: Vec<PageNumber>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PageNumber {
    pub number: usize,
    pub url: String,
    pub current: bool,
    /// A "…" placeholder; `number` and `url` are then meaningless.
    pub gap: bool,
}

/// The paginator of a page of the listing of `kind` at `p`.
pub fn paginator(links: &Links, kind: PageKind, p: &Pagination) -> PaginatorCtx {
    let url = |n: usize| links.url(links.paths().listing_page(kind, n).unwrap_or_default());
    let mut pages = Vec::new();
    let mut last_shown = 0;
    // Only the numbers shown are visited: a topic of 50,000 articles has 2,500 pages, and
    // each of them has a paginator.
    let near = p.number.saturating_sub(2).max(1)..=(p.number + 2).min(p.total);
    let shown = std::iter::once(1)
        .chain(near)
        .chain(std::iter::once(p.total));
    for n in shown {
        if n <= last_shown {
            continue;
        }
        if n > last_shown + 1 {
            pages.push(PageNumber {
                number: 0,
                url: String::new(),
                current: false,
                gap: true,
            });
        }
        pages.push(PageNumber {
            number: n,
            url: url(n),
            current: n == p.number,
            gap: false,
        });
        last_shown = n;
    }
    PaginatorCtx {
        number: p.number,
        total: p.total,
        first_url: url(1),
        last_url: url(p.total),
        prev_url: if p.number > 1 {
            url(p.number - 1)
        } else {
            String::new()
        },
        next_url: if p.number < p.total {
            url(p.number + 1)
        } else {
            String::new()
        },
        pages,
    }
}

/// The items of `all` on this page of a listing (all of them when not paginated).
pub fn paged<'a, T>(all: &'a [T], page: &Page) -> &'a [T] {
    match &page.pagination {
        Some(p) => {
            let end = p.items.end.min(all.len());
            &all[p.items.start.min(end)..end]
        }
        None => all,
    }
}

/// The storylines as `stories/` lists them: newest coverage first, then by title.
pub fn storyline_order(d: &Digest) -> Vec<usize> {
    let mut out: Vec<usize> = (0..d.storylines.len()).collect();
    // Articles are newest first, so a smaller first index is newer coverage.
    out.sort_by_key(|&l| (d.storylines[l].articles.first().copied(), l));
    out
}

/// One day of a developing story: its articles of that day.
#[derive(Debug, Clone, Serialize)]
pub struct StorylineDay {
    pub day: DayLink,
    pub articles: Vec<ArticleCard>,
}

/// A developing story's coverage day by day, newest day first.
pub fn storyline_days(links: &Links, d: &Digest, l: usize) -> Vec<StorylineDay> {
    let mut out: Vec<StorylineDay> = Vec::new();
    let mut last_day = None;
    for &i in &d.storylines[l].articles {
        let day = d.articles[i].day;
        match out.last_mut() {
            Some(last) if last_day == Some(day) => last.articles.push(links.card(i)),
            _ => out.push(StorylineDay {
                day: links.day(day),
                articles: vec![links.card(i)],
            }),
        }
        last_day = Some(day);
    }
    out
}

/// Cards of a topic's articles on this page, newest first.
pub fn topic_cards(links: &Links, d: &Digest, t: usize, page: &Page) -> Vec<ArticleCard> {
    paged(&d.topics[t].articles, page)
        .iter()
        .map(|&i| links.card(i))
        .collect()
}

/// Cards of a site's articles on this page, newest first.
pub fn source_cards(links: &Links, d: &Digest, s: usize, page: &Page) -> Vec<ArticleCard> {
    paged(&d.sites[s].articles, page)
        .iter()
        .map(|&i| links.card(i))
        .collect()
}

/// The data a non-HTML file (feed, sitemap, `robots.txt`, search index) is written from;
/// `None` for pages rendered with a template. Kept apart from the writing so the build cache
/// can key each file by its data ([`FileData::key_into`]).
#[derive(Debug)]
pub enum FileData {
    Feed(FeedData, FeedFormat),
    Urlset(Vec<UrlEntry>),
    SitemapIndex(Vec<UrlEntry>),
    News {
        title: String,
        language: String,
        entries: Vec<NewsEntry>,
    },
    Robots {
        title: String,
        sitemaps: Vec<String>,
    },
    /// Building the index is writing it: its data is its bytes.
    SearchIndex(Vec<u8>),
}

impl FileData {
    /// Feeds everything the file is written from to `key`: equal data, equal file. The
    /// search index's data is its bytes, hashed as they are (their `Debug` form, a number per
    /// byte, was four times as long and most of the time spent keying the index).
    pub fn key_into(&self, key: &mut KeyBuilder) {
        match self {
            FileData::SearchIndex(bytes) => key.str("search-index").part(bytes),
            data => key.debug(data),
        };
    }

    /// Writes the file.
    pub fn render(&self) -> Result<Vec<u8>, String> {
        match self {
            FileData::Feed(data, FeedFormat::Rss) => feeds::rss(data),
            FileData::Feed(data, FeedFormat::Atom) => feeds::atom(data),
            FileData::Feed(data, FeedFormat::Json) => feeds::json_feed(data),
            FileData::Urlset(urls) => sitemap::urlset(urls).map_err(|e| e.to_string()),
            FileData::SitemapIndex(parts) => sitemap::index(parts).map_err(|e| e.to_string()),
            FileData::News {
                title,
                language,
                entries,
            } => sitemap::news(title, language, entries).map_err(|e| e.to_string()),
            FileData::Robots { title, sitemaps } => {
                Ok(sitemap::robots(title, sitemaps).into_bytes())
            }
            FileData::SearchIndex(bytes) => Ok(bytes.clone()),
        }
    }
}

/// The bytes of a non-HTML file; `None` for pages rendered with a template.
pub fn file(
    links: &Links,
    d: &Digest,
    pages: &[Page],
    page: &Page,
) -> Option<Result<Vec<u8>, String>> {
    file_data(links, d, pages, page).map(|f| f.render())
}

/// The data of a non-HTML file; `None` for pages rendered with a template.
pub fn file_data(links: &Links, d: &Digest, pages: &[Page], page: &Page) -> Option<FileData> {
    let cfg = links.cfg();
    Some(match page.kind {
        PageKind::Feed(scope, format) => {
            FileData::Feed(feed_data(links, d, scope, &page.site_path), format)
        }
        PageKind::Sitemap(s) => sitemap_data(links, d, pages, s),
        PageKind::NewsSitemap => FileData::News {
            title: cfg.title.clone(),
            language: sitemap::news_language(&cfg.language),
            entries: news_entries(links, d),
        },
        PageKind::Robots => FileData::Robots {
            title: cfg.title.clone(),
            sitemaps: vec![
                links.permalink(links.paths().sitemap()),
                links.permalink(links.paths().news_sitemap()),
            ],
        },
        PageKind::SearchIndex => {
            FileData::SearchIndex(search_index::build(d, links.paths(), cfg.base_url.path()))
        }
        _ => return None,
    })
}

fn feed_data(links: &Links, d: &Digest, scope: FeedScope, self_path: &str) -> FeedData {
    let cfg = links.cfg();
    let paths = links.paths();
    let n = cfg.feed_items;
    let (title, description, home, articles): (String, String, String, Vec<usize>) = match scope {
        FeedScope::Site => (
            cfg.title.clone(),
            cfg.description.clone(),
            String::new(),
            (0..d.articles.len()).take(n).collect(),
        ),
        FeedScope::Day(i) => {
            let g = &d.days[i];
            (
                format!("{}: {}", cfg.title, cfg.locale.human(g.day)),
                crate::i18n::fill(
                    &cfg.locale.strings.day_feed_description,
                    &[("site", &cfg.title), ("day", &cfg.locale.human(g.day))],
                ),
                paths.day(i).to_string(),
                g.articles.iter().copied().take(n).collect(),
            )
        }
        FeedScope::Topic(t) => {
            let topic = &d.topics[t];
            (
                format!("{}: {}", cfg.title, topic.name),
                format!("Articles about {} in {}.", topic.name, cfg.title),
                paths.topic(t).to_string(),
                topic.articles.iter().copied().take(n).collect(),
            )
        }
        FeedScope::Source(s) => {
            let site = &d.sites[s];
            (
                format!("{}: {}", cfg.title, site.name),
                format!("Articles from {} in {}.", site.name, cfg.title),
                paths.source(s).to_string(),
                site.articles.iter().copied().take(n).collect(),
            )
        }
        FeedScope::Storyline(l) => {
            let line = &d.storylines[l];
            (
                format!("{}: {}", cfg.title, line.title),
                crate::i18n::fill(
                    &cfg.locale.strings.storyline_description,
                    &[
                        ("articles", &line.articles.len().to_string()),
                        ("story", &line.title),
                    ],
                ),
                paths.storyline(l).to_string(),
                line.articles.iter().copied().take(n).collect(),
            )
        }
    };
    let items: Vec<FeedItem> = articles
        .iter()
        .map(|&i| {
            let e = &d.articles[i];
            FeedItem {
                title: e.title.clone(),
                url: links.permalink(paths.article(i)),
                summary: e.summary.clone(),
                published: published::article_time(e.day, e.rank, cfg.timezone),
                author: e.meta.author.clone().filter(|a| !a.trim().is_empty()),
                categories: e.topics.iter().map(|&t| d.topics[t].name.clone()).collect(),
                content_html: cfg.feeds.full_content.then(|| super::article_html(cfg, e)),
            }
        })
        .collect();
    let updated = items
        .iter()
        .map(|it| it.published)
        .max()
        .unwrap_or_else(|| site_updated(links, d));
    FeedData {
        title,
        description,
        home_url: links.permalink(&home),
        self_url: links.permalink(self_path),
        language: cfg.language.clone(),
        generator: format!("newsdigest {}", env!("CARGO_PKG_VERSION")),
        updated,
        items,
    }
}

/// The newest article's time, or the Unix epoch for an empty site (deterministic either way).
fn site_updated(links: &Links, d: &Digest) -> chrono::DateTime<chrono::FixedOffset> {
    d.articles
        .first()
        .map(|e| published::article_time(e.day, e.rank, links.cfg().timezone))
        .unwrap_or_default()
}

/// The day a sitemap reports as a page's last change.
fn lastmod(d: &Digest, kind: PageKind) -> Option<Day> {
    let newest = d.days.first().map(|g| g.day);
    match kind {
        PageKind::Day(i) => Some(d.days[i].day),
        PageKind::Article(i) => Some(d.articles[i].day),
        PageKind::Topic(t) => d.topics[t].articles.first().map(|&i| d.articles[i].day),
        PageKind::Source(s) => d.sites[s].articles.first().map(|&i| d.articles[i].day),
        PageKind::Storyline(l) => d.storylines[l].articles.first().map(|&i| d.articles[i].day),
        _ => newest,
    }
}

/// Every URL the sitemap lists, in plan order.
pub fn sitemap_urls(links: &Links, d: &Digest, pages: &[Page]) -> Vec<UrlEntry> {
    pages
        .iter()
        .filter(|p| pd::in_sitemap(p.kind))
        .map(|p| UrlEntry {
            loc: links.permalink(&p.site_path),
            lastmod: lastmod(d, p.kind).map(|day| day.iso()).unwrap_or_default(),
        })
        .map(|mut u| {
            if u.lastmod.is_empty() {
                // An empty site has no dates; the protocol allows leaving lastmod out, but
                // our writer always writes it, so use the epoch's day.
                u.lastmod = "1970-01-01".into();
            }
            u
        })
        .collect()
}

fn sitemap_data(links: &Links, d: &Digest, pages: &[Page], s: SitemapFile) -> FileData {
    let urls = sitemap_urls(links, d, pages);
    match s {
        SitemapFile::All => FileData::Urlset(urls),
        SitemapFile::Part { n, parts } => {
            FileData::Urlset(urls[pd::sitemap_chunk(urls.len(), parts, n)].to_vec())
        }
        SitemapFile::Index { parts } => {
            let newest = d.days.first().map(|g| g.day.iso()).unwrap_or_default();
            let entries: Vec<UrlEntry> = (0..parts)
                .map(|n| {
                    let r = pd::sitemap_chunk(urls.len(), parts, n);
                    UrlEntry {
                        loc: links.permalink(links.paths().sitemap_part(n)),
                        lastmod: urls[r]
                            .iter()
                            .map(|u| u.lastmod.as_str())
                            .max()
                            .unwrap_or(newest.as_str())
                            .to_string(),
                    }
                })
                .collect();
            FileData::SitemapIndex(entries)
        }
    }
}

/// Articles published within [`NEWS_WINDOW_HOURS`] before the newest one, newest first.
pub fn news_entries(links: &Links, d: &Digest) -> Vec<NewsEntry> {
    let tz = links.cfg().timezone;
    let Some(newest) = d
        .articles
        .iter()
        .map(|e| published::article_time(e.day, e.rank, tz))
        .max()
    else {
        return Vec::new();
    };
    let cutoff = newest - chrono::Duration::hours(NEWS_WINDOW_HOURS);
    d.articles
        .iter()
        .enumerate()
        .filter_map(|(i, e)| {
            let t = published::article_time(e.day, e.rank, tz);
            (t > cutoff).then(|| NewsEntry {
                loc: links.permalink(links.paths().article(i)),
                title: e.title.clone(),
                published: t.to_rfc3339(),
            })
        })
        .take(NEWS_MAX_URLS)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Config, Overrides, SiteFile};
    use crate::digest::{Options, assemble};
    use crate::ingest::{Article, Body, Meta, TitleSource};
    use crate::model::{ArticleId, Day};
    use crate::plan::{self, PlanOptions};

    fn links<'a>(cfg: &'a Config, d: &'a Digest, paths: &'a Paths) -> Links<'a> {
        Links::new(
            cfg,
            d,
            paths,
            super::super::context::SiteCtx::new(cfg, paths, false),
        )
    }

    fn digest(n: usize) -> Digest {
        let arts = (0..n)
            .map(|i| Article {
                id: ArticleId::new(format!("{i:04}")),
                rel: format!("{i}.md").into(),
                day: Day::from_ymd(2026, 3, 1 + (i % 5) as u32).unwrap(),
                rank: Some(i as u32),
                title: Some((format!("Story number {i}"), TitleSource::Given)),
                // Distinct texts: identical ones would be merged as duplicates.
                body: Body::plain(&[format!("Text of story {i}.")]),
                headlines: vec![],
                list_label: None,
                meta: Meta::default(),
                draft: false,
            })
            .collect();
        assemble(arts, vec![], Options::default())
    }

    fn locs(bytes: &[u8]) -> Vec<String> {
        let s = String::from_utf8(bytes.to_vec()).unwrap();
        s.split("<loc>")
            .skip(1)
            .map(|r| r[..r.find("</loc>").unwrap()].to_string())
            .collect()
    }

    #[test]
    fn split_sitemap_index_and_parts_cover_every_url_once() {
        let cfg = Config::resolve(
            std::path::Path::new("."),
            SiteFile::default(),
            &Overrides::default(),
        )
        .unwrap();
        let d = digest(12);
        let opts = PlanOptions {
            per_page: 2,
            sitemap_max_urls: 7,
            ..PlanOptions::default()
        };
        let plan = plan::plan(&d, &opts);
        let pages = plan.pages;
        let links = links(&cfg, &d, &plan.paths);
        let all = sitemap_urls(&links, &d, &pages);
        assert!(all.len() > 14, "{}", all.len());
        let sitemaps: Vec<_> = pages
            .iter()
            .filter(|p| matches!(p.kind, PageKind::Sitemap(_)))
            .collect();
        let parts = all.len().div_ceil(7);
        assert_eq!(sitemaps.len(), parts + 1);
        assert_eq!(sitemaps[0].file, "sitemap.xml");
        let index = file(&links, &d, &pages, sitemaps[0]).unwrap().unwrap();
        assert!(String::from_utf8_lossy(&index).contains("<sitemapindex"));
        let part_urls: Vec<String> = (1..=parts)
            .map(|n| format!("http://localhost:1111/sitemap-{n}.xml"))
            .collect();
        assert_eq!(locs(&index), part_urls);
        let mut listed = Vec::new();
        for p in &sitemaps[1..] {
            let bytes = file(&links, &d, &pages, p).unwrap().unwrap();
            let l = locs(&bytes);
            assert!(l.len() <= 7);
            listed.extend(l);
        }
        let expected: Vec<String> = all.into_iter().map(|u| u.loc).collect();
        assert_eq!(listed, expected);
    }

    #[test]
    fn paginator_windows_long_listings() {
        let cfg = Config::resolve(
            std::path::Path::new("."),
            SiteFile::default(),
            &Overrides::default(),
        )
        .unwrap();
        // 20 stories on 2026-03-01, one a page.
        let d = digest(100);
        let plan = plan::plan(
            &d,
            &PlanOptions {
                per_page: 1,
                ..PlanOptions::default()
            },
        );
        let links = links(&cfg, &d, &plan.paths);
        let day = d
            .days
            .iter()
            .position(|g| g.day.iso() == "2026-03-01")
            .unwrap();
        let page = plan
            .pages
            .iter()
            .find(|p| p.kind == PageKind::Day(day) && p.pagination.as_ref().unwrap().number == 6)
            .unwrap();
        let p = page.pagination.as_ref().unwrap();
        assert_eq!(p.total, 20);
        let ctx = paginator(&links, page.kind, p);
        let shown: Vec<String> = ctx
            .pages
            .iter()
            .map(|n| {
                if n.gap {
                    "…".to_string()
                } else {
                    n.number.to_string()
                }
            })
            .collect();
        assert_eq!(shown, ["1", "…", "4", "5", "6", "7", "8", "…", "20"]);
        assert_eq!(ctx.prev_url, "/2026/03/01/page/5/");
        assert_eq!(ctx.first_url, "/2026/03/01/");
        assert_eq!(ctx.last_url, "/2026/03/01/page/20/");
        assert!(ctx.pages.iter().any(|n| n.current && n.number == 6));
    }

    #[test]
    fn sources_index_is_most_articles_first_and_cards_link_their_site() {
        let cfg = Config::resolve(
            std::path::Path::new("."),
            SiteFile::default(),
            &Overrides::default(),
        )
        .unwrap();
        // Two articles from "b site", three from "A site", one from "c site": listed by
        // count, then by name regardless of case.
        let sources = ["b site", "b site", "A site", "A site", "A site", "c site"];
        let arts = sources
            .iter()
            .enumerate()
            .map(|(i, src)| Article {
                id: ArticleId::new(format!("{i:04}")),
                rel: format!("{i}.md").into(),
                day: Day::from_ymd(2026, 3, 1).unwrap(),
                rank: Some(i as u32),
                title: Some((format!("Story number {i}"), TitleSource::Given)),
                body: Body::plain(&[format!("Text of story {i}.")]),
                headlines: vec![],
                list_label: None,
                meta: Meta {
                    source: Some(src.to_string()),
                    ..Meta::default()
                },
                draft: false,
            })
            .collect();
        let d = assemble(arts, vec![], Options::default());
        let paths = plan::plan(&d, &PlanOptions::default()).paths;
        let links = links(&cfg, &d, &paths);
        let index = source_index(&links, &d);
        let shown: Vec<(&str, usize)> = index.iter().map(|s| (s.name.as_str(), s.count)).collect();
        assert_eq!(shown, [("A site", 3), ("b site", 2), ("c site", 1)]);
        assert_eq!(index[0].url, "/sources/a-site/");
        assert_eq!(index[0].feed_url, "/sources/a-site/feed.xml");
        assert_eq!(index[0].origin, "front-matter");
        let i = d
            .articles
            .iter()
            .position(|e| e.title == "Story number 5")
            .unwrap();
        let card = links.card(i);
        assert_eq!(
            (card.site.as_str(), card.site_url.as_str()),
            ("c site", "/sources/c-site/")
        );
    }
}
