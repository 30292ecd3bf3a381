//! The values templates receive, as documented in `docs/themes.md`. Built from the digest
//! and the plan; every URL is a path of the plan's [`Paths`] under the base URL, and
//! templates never compute URLs or format dates themselves.

use crate::config::Config;
use crate::digest::{Digest, Entry};
use crate::model::Day;
use crate::plan::Paths;
use serde::Serialize;

/// The default theme's icon, for sites that ship no `favicon.ico` of their own.
pub const THEME_FAVICON: &str = "static/favicon.svg";

#[derive(Debug, Clone, Serialize)]
pub struct SiteCtx {
    pub title: String,
    pub description: String,
    pub language: String,
    pub base_url: String,
    pub base_path: String,
    pub generator: String,
    pub home_url: String,
    pub archive_url: String,
    pub headlines_url: String,
    pub stylesheet_url: String,
    /// `site.yaml` `show_provenance`: where a headline came from, which files carried it.
    pub show_provenance: bool,
    /// `site.yaml` `show_markdown_source`: link the Markdown source from article pages.
    pub show_markdown_source: bool,
    /// The site's own `favicon.ico` at the root when it ships one, else the theme's icon.
    pub favicon_url: String,
    /// `logo` of `site.yaml`, or null.
    pub logo: Option<super::images::ImageCtx>,
    /// Topics, search and feed URLs.
    #[serde(flatten)]
    pub discovery: super::discovery::SiteLinks,
}

impl SiteCtx {
    /// `own_favicon`: the site ships its own `favicon.ico` at the root.
    pub fn new(cfg: &Config, paths: &Paths, own_favicon: bool) -> Self {
        SiteCtx {
            title: cfg.title.clone(),
            description: cfg.description.clone(),
            language: cfg.language.clone(),
            base_url: cfg.base_url.absolute().to_string(),
            base_path: cfg.base_url.path().to_string(),
            generator: format!("newsdigest {}", env!("CARGO_PKG_VERSION")),
            home_url: cfg.base_url.url(""),
            archive_url: cfg.base_url.url(paths.archive()),
            headlines_url: cfg.base_url.url(paths.headlines()),
            stylesheet_url: cfg.base_url.url("static/style.css"),
            show_provenance: cfg.show_provenance,
            show_markdown_source: cfg.show_markdown_source,
            favicon_url: cfg.base_url.url(if own_favicon {
                "favicon.ico"
            } else {
                THEME_FAVICON
            }),
            logo: super::images::site_logo(cfg),
            discovery: super::discovery::SiteLinks::new(cfg, paths),
        }
    }
}

/// `config` in templates, as in Zola: what the site set for its theme.
#[derive(Debug, Clone, Serialize)]
pub struct ConfigCtx {
    /// The `extra:` mapping of `site.yaml`, as written (empty when there is none).
    pub extra: serde_json::Map<String, serde_json::Value>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PageCtx {
    pub title: String,
    pub description: String,
    pub url: String,
    pub permalink: String,
    pub kind: &'static str,
    /// Metadata for search engines, previews and feed discovery.
    #[serde(flatten)]
    pub meta: super::seo::PageMeta,
}

#[derive(Debug, Clone, Serialize)]
pub struct DayLink {
    pub iso: String,
    pub human: String,
    pub short: String,
    pub url: String,
    pub count: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct ArticleCard {
    pub title: String,
    pub url: String,
    pub rank: usize,
    pub summary: String,
    pub reading_minutes: usize,
    pub word_count: usize,
    pub day: DayLink,
    pub source: String,
    pub author: String,
    /// The source site's name and its page under `sources/`; empty when the article has no
    /// site.
    pub site: String,
    pub site_url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ArticleCtx {
    #[serde(flatten)]
    pub card: ArticleCard,
    pub body_html: String,
    pub source_url: String,
    pub tags: Vec<String>,
    pub title_source: &'static str,
    pub markdown_url: String,
    /// Its front matter `image`, or null (the site's default image is only for previews).
    pub image: Option<super::images::ImageCtx>,
    /// Tags and extracted topics, tags first.
    pub topics: Vec<super::discovery::TopicTag>,
}

#[derive(Debug, Clone, Serialize)]
pub struct HeadlineLink {
    pub text: String,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct MonthCtx {
    pub label: String,
    /// `2026-02`
    pub iso: String,
    pub days: Vec<ArchiveDay>,
}

/// A day in the archive: its link and its lead headlines.
#[derive(Debug, Clone, Serialize)]
pub struct ArchiveDay {
    #[serde(flatten)]
    pub day: DayLink,
    pub leads: Vec<HeadlineLink>,
}

/// Builds the shared shapes from the digest and the plan's paths, once per build.
pub struct Links<'a> {
    cfg: &'a Config,
    digest: &'a Digest,
    paths: &'a Paths,
    /// `site` in every page's context.
    site: SiteCtx,
    day_counts: std::collections::HashMap<Day, usize>,
    /// Every digest day's link, formatted once: pages name tens of thousands of days
    /// (each card carries its day), and dates are localised by hand-written formatting.
    day_links: std::collections::HashMap<Day, DayLink>,
}

impl<'a> Links<'a> {
    /// `site` is what every page's context holds as `site` (see [`SiteCtx::new`]).
    pub fn new(cfg: &'a Config, digest: &'a Digest, paths: &'a Paths, site: SiteCtx) -> Self {
        let day_counts = digest
            .days
            .iter()
            .map(|g| (g.day, g.articles.len()))
            .collect();
        let mut links = Links {
            cfg,
            digest,
            paths,
            site,
            day_counts,
            day_links: Default::default(),
        };
        links.day_links = digest
            .days
            .iter()
            .map(|g| (g.day, links.format_day(g.day)))
            .collect();
        links
    }

    pub fn cfg(&self) -> &Config {
        self.cfg
    }

    /// Where every page is, as the plan computed it.
    pub fn paths(&self) -> &'a Paths {
        self.paths
    }

    pub fn site(&self) -> &SiteCtx {
        &self.site
    }

    pub fn url(&self, site_path: &str) -> String {
        self.cfg.base_url.url(site_path)
    }

    pub fn permalink(&self, site_path: &str) -> String {
        self.cfg.base_url.permalink(site_path)
    }

    pub fn day(&self, day: Day) -> DayLink {
        match self.day_links.get(&day) {
            Some(link) => link.clone(),
            None => self.format_day(day),
        }
    }

    fn format_day(&self, day: Day) -> DayLink {
        DayLink {
            iso: day.iso(),
            human: self.cfg.locale.human(day),
            short: self.cfg.locale.short(day),
            url: self.url(&self.paths.day_of(day)),
            count: self.day_counts.get(&day).copied().unwrap_or(0),
        }
    }

    pub fn card(&self, i: usize) -> ArticleCard {
        let e: &Entry = &self.digest.articles[i];
        ArticleCard {
            title: e.title.clone(),
            url: self.url(self.paths.article(i)),
            rank: e.rank,
            summary: e.summary.clone(),
            reading_minutes: e.reading_minutes,
            word_count: e.word_count,
            day: self.day(e.day),
            source: e.meta.source.clone().unwrap_or_default(),
            author: e.meta.author.clone().unwrap_or_default(),
            site: e
                .site
                .map(|s| self.digest.sites[s.index()].name.clone())
                .unwrap_or_default(),
            site_url: e
                .site
                .map(|s| self.url(self.paths.source(s.index())))
                .unwrap_or_default(),
        }
    }

    pub fn article_url(&self, i: usize) -> String {
        self.url(self.paths.article(i))
    }
}
