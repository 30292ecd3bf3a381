//! Render: turns planned pages into bytes. Markdown to HTML (pulldown-cmark), the Tera theme,
//! and the Markdown source of each article. It decides nothing about which pages exist, and
//! knows nothing of caching: [`Renderer::prepare`] gathers what a page is made from with a
//! fingerprint of it, [`Renderer::finish`] makes the bytes; `build` decides in between whether
//! the build cache already has them.

pub mod context;
pub mod discovery;
pub mod feeds;
pub mod headline_index;
pub mod images;
pub mod intelligence;
pub mod keyed;
pub mod markdown;
pub mod published;
pub mod sanitize;
pub mod search_index;
pub mod seo;
pub mod sitemap;
pub mod theme;
pub mod typography;

use crate::config::Config;
use crate::digest::{Digest, Entry};
use crate::fingerprint::{Key, KeyBuilder};
use crate::ingest::Body;
use crate::plan::{self, Page, PageKind};
use context::{ArchiveDay, ArticleCtx, HeadlineLink, Links, MonthCtx, PageCtx, SiteCtx};
use keyed::KeyedContext;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashMap;
use tera::Tera;

/// A file ready to be written: path relative to the output root, and its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub path: String,
    pub bytes: Vec<u8>,
}

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error(transparent)]
    Theme(#[from] theme::ThemeError),
    #[error(transparent)]
    Template(Box<TemplateError>),
    #[error("template {template} is missing from the theme")]
    MissingTemplate { template: String },
    /// A feed, sitemap or index could not be serialised.
    #[error("cannot write {file}: {message}")]
    File { file: String, message: String },
}

/// A template that does not compile or render: which template, the file it came from, the
/// line and column, and Tera's message (which names the variable or filter at fault).
#[derive(Debug, thiserror::Error)]
#[error("{}: template error in {template}: {message}{}{}",
    location(origin, *line, *column),
    page.as_ref().map(|p| format!(" (while rendering {p})")).unwrap_or_default(),
    if detail.is_empty() { String::new() } else { format!("\n{detail}") })]
pub struct TemplateError {
    pub template: String,
    /// The file to fix, relative to the site root, or the built-in theme.
    pub origin: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
    /// The output file being rendered, for errors that happen while rendering.
    pub page: Option<String>,
    /// Tera's report with the offending source line, when it has one.
    pub detail: String,
}

fn location(origin: &str, line: Option<usize>, column: Option<usize>) -> String {
    match (line, column) {
        (Some(l), Some(c)) => format!("{origin}:{l}:{c}"),
        (Some(l), None) => format!("{origin}:{l}"),
        _ => origin.to_string(),
    }
}

/// The compiled theme plus what every page shares.
pub struct Renderer {
    tera: Tera,
    statics: Vec<Rendered>,
    site: SiteCtx,
    /// The site's language: `strings` in every page's context, and the `date` filter.
    locale: std::sync::Arc<crate::i18n::Locale>,
    /// `strings` as Tera holds it and its hash, made once: every page shows them.
    strings_value: tera::Value,
    strings_digest: [u8; 32],
    /// `config` in every template: the site's `extra:` settings for its theme.
    config: context::ConfigCtx,
    raw_html: markdown::RawHtml,
    /// Where each template came from, for error messages.
    origins: std::collections::BTreeMap<String, String>,
    /// Per template, a hash of it and the templates it uses: part of each page's cache key.
    template_hashes: HashMap<String, [u8; 32]>,
    /// Ticked once per page rendered by [`Renderer::render_all`].
    progress: crate::progress::ProgressHook,
}

/// Templates every theme must provide.
pub const REQUIRED_TEMPLATES: &[&str] = &[
    "base.html",
    "index.html",
    "day.html",
    "article.html",
    "archive.html",
    "headlines.html",
    "404.html",
    "topics.html",
    "topic.html",
    "sources.html",
    "source.html",
    "stories.html",
    "storyline.html",
    "search.html",
];

impl Renderer {
    pub fn new(cfg: &Config) -> Result<Self, RenderError> {
        let files = theme::load(&cfg.root, &cfg.theme)?;
        for t in REQUIRED_TEMPLATES {
            if !files.templates.contains_key(*t) {
                return Err(RenderError::MissingTemplate {
                    template: (*t).into(),
                });
            }
        }
        let mut tera = Tera::new();
        register_date_filter(&mut tera, cfg.locale.clone());
        tera.register_filter(
            "headline",
            |value: tera::Value, _: tera::Kwargs, _: &tera::State| {
                value
                    .as_str()
                    .map(|s| tera::Value::safe_string(&typography::headline_html(s)))
                    .ok_or_else(|| tera::Error::message("headline filter: expected a string"))
            },
        );
        tera.add_raw_templates(
            files
                .templates
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str())),
        )
        .map_err(|e| template_error(&e, &files.origins, None))?;
        let template_hashes = keyed::template_hashes(&files.templates);
        // A site's `static/static/x` overrides the theme's `x`: both land on `static/x`.
        let mut statics: std::collections::BTreeMap<String, Vec<u8>> = files
            .statics
            .into_iter()
            .map(|(path, bytes)| (format!("static/{path}"), bytes))
            .collect();
        statics.extend(files.root_files);
        let statics: Vec<Rendered> = statics
            .into_iter()
            .map(|(path, bytes)| Rendered { path, bytes })
            .collect();
        let mut site = SiteCtx::new(cfg);
        if statics.iter().any(|r| r.path == "favicon.ico") {
            site.favicon_url = cfg.base_url.url("favicon.ico");
        }
        Ok(Renderer {
            tera,
            statics,
            site,
            locale: cfg.locale.clone(),
            strings_value: tera::Value::try_from_serializable(&cfg.locale.strings).map_err(
                |e| RenderError::File {
                    file: "strings".into(),
                    message: e.to_string(),
                },
            )?,
            strings_digest: *blake3::hash(
                &serde_json::to_vec(&cfg.locale.strings).unwrap_or_default(),
            )
            .as_bytes(),
            config: context::ConfigCtx {
                extra: cfg.extra.clone(),
            },
            raw_html: if cfg.trusted_html {
                markdown::RawHtml::Trust
            } else {
                markdown::RawHtml::Sanitise
            },
            origins: files.origins,
            template_hashes,
            progress: Default::default(),
        })
    }

    /// This renderer, telling `progress` of every page it renders.
    pub fn with_progress(self, progress: crate::progress::ProgressHook) -> Self {
        Renderer { progress, ..self }
    }

    /// An article body as HTML: dumps escaped, Markdown with its raw HTML as `site.yaml` says.
    pub fn body_html(&self, e: &Entry) -> String {
        body_html(e, self.raw_html)
    }

    /// Renders every page in parallel, then appends the theme's static files.
    pub fn render_all(
        &self,
        cfg: &Config,
        digest: &Digest,
        pages: &[Page],
    ) -> Result<Vec<Rendered>, RenderError> {
        let links = Links::new(cfg, digest);
        let mut out: Vec<Rendered> = pages
            .par_iter()
            .map(|p| {
                let prepared = self.prepare(&links, digest, pages, p, false)?;
                let path = prepared.file.clone();
                let bytes = self.finish(prepared)?;
                Ok(Rendered { path, bytes })
            })
            .inspect(|_: &Result<Rendered, RenderError>| self.progress.tick())
            .collect::<Result<_, _>>()?;
        out.extend(self.statics().iter().cloned());
        Ok(out)
    }

    /// Ticks the progress hook once (a caller rendering pages itself counts them here).
    pub fn tick(&self) {
        self.progress.tick();
    }

    /// Makes a page's bytes from what [`Renderer::prepare`] gathered.
    pub fn finish(&self, prepared: Prepared<'_>) -> Result<Vec<u8>, RenderError> {
        let file = prepared.file;
        match prepared.job {
            Job::Discovery(data) => data
                .render()
                .map_err(|message| RenderError::File { file, message }),
            Job::Source(e) => Ok(article_markdown(e).into_bytes()),
            Job::Template { template, ctx } => self
                .tera
                .render(template, &ctx)
                .map(String::into_bytes)
                .map_err(|e| template_error(&e, &self.origins, Some((template, &file)))),
        }
    }

    /// The theme's static files, under `static/`, and the site's own `static/` at the root.
    pub fn statics(&self) -> &[Rendered] {
        &self.statics
    }

    /// Whether the site ships this file at the output root (its `static/<file>`).
    pub fn has_root_file(&self, file: &str) -> bool {
        self.statics.iter().any(|r| r.path == file)
    }

    /// Gathers what `page` is made from, and (when `fingerprint`) a fingerprint of exactly
    /// that: equal fingerprints, equal bytes. Nothing is rendered yet ([`Renderer::finish`]),
    /// so a caller that already has the bytes of that fingerprint can skip the rendering.
    pub fn prepare<'a>(
        &self,
        links: &Links,
        d: &'a Digest,
        pages: &[Page],
        page: &Page,
        fingerprint: bool,
    ) -> Result<Prepared<'a>, RenderError> {
        // Feeds, sitemaps, robots.txt and the search index: fingerprinted by the data they
        // are written from.
        if let Some(data) = discovery::file_data(links, d, pages, page) {
            let mut key = KeyBuilder::new(fingerprint);
            key.str("discovery-file").str(&page.file);
            if fingerprint {
                key.str(&data.key_material());
            }
            return Ok(Prepared {
                file: page.file.clone(),
                fingerprint: key.finish(),
                job: Job::Discovery(data),
            });
        }
        let mut ctx = KeyedContext::new(fingerprint);
        ctx.insert("site", &self.site);
        let st = &self.locale.strings;
        ctx.insert_shared("strings", &self.strings_value, &self.strings_digest);
        let fill = crate::i18n::fill;
        let count = |n: usize, one: &str, many: &str| self.locale.count(n, one, many);
        let site_title = self.site.title.as_str();
        ctx.insert("config", &self.config);
        let url = links.url(&page.site_path);
        let permalink = links.permalink(&page.site_path);
        let meta = seo::page_meta(links, d, page);
        let page_number = page.pagination.as_ref().map_or(1, |p| p.number);
        let page_ctx = |kind: &'static str, title: String, description: String| PageCtx {
            // Later pages of a listing say so, keeping titles unique.
            title: if page_number > 1 {
                format!(
                    "{title}, {}",
                    fill(&st.page_n, &[("n", &page_number.to_string())])
                )
            } else {
                title
            },
            description,
            url: url.clone(),
            permalink: permalink.clone(),
            kind,
            meta: meta.clone(),
        };
        if let Some(p) = &page.pagination {
            ctx.insert("paginator", &discovery::paginator(links, p));
        }
        let template = match page.kind {
            PageKind::Front => {
                let newest = d.days.first();
                ctx.insert("day", &newest.map(|g| links.day(g.day)));
                let cards: Vec<_> = newest
                    .map(|g| {
                        discovery::paged(&g.stories, page)
                            .iter()
                            .map(|&i| links.card(i))
                            .collect()
                    })
                    .unwrap_or_default();
                ctx.insert("articles", &cards);
                let recent: Vec<_> = d
                    .days
                    .iter()
                    .skip(1)
                    .take(7)
                    .map(|g| links.day(g.day))
                    .collect();
                ctx.insert("recent_days", &recent);
                let first_page = page.pagination.as_ref().is_none_or(|p| p.number == 1);
                match newest {
                    Some(g) => intelligence::day_briefing(
                        links,
                        d,
                        0,
                        discovery::paged(&g.stories, page),
                        first_page,
                    )
                    .insert(&mut ctx),
                    None => intelligence::DayBriefing::empty().insert(&mut ctx),
                }
                ctx.insert(
                    "page",
                    &page_ctx(
                        "index",
                        st.front_page.clone(),
                        self.site.description.clone(),
                    ),
                );
                "index.html"
            }
            PageKind::Day(i) => {
                let g = &d.days[i];
                let cards: Vec<_> = discovery::paged(&g.stories, page)
                    .iter()
                    .map(|&a| links.card(a))
                    .collect();
                let day = links.day(g.day);
                ctx.insert(
                    "page",
                    &page_ctx(
                        "day",
                        day.human.clone(),
                        fill(
                            &st.day_description,
                            &[
                                ("day", &day.human),
                                (
                                    "articles",
                                    &count(g.articles.len(), &st.article, &st.articles),
                                ),
                            ],
                        ),
                    ),
                );
                ctx.insert("day", &day);
                ctx.insert("articles", &cards);
                let first_page = page.pagination.as_ref().is_none_or(|p| p.number == 1);
                intelligence::day_briefing(
                    links,
                    d,
                    i,
                    discovery::paged(&g.stories, page),
                    first_page,
                )
                .insert(&mut ctx);
                // Days are newest first: the older day is the next one in the list.
                ctx.insert("prev_day", &d.days.get(i + 1).map(|g| links.day(g.day)));
                ctx.insert(
                    "next_day",
                    &i.checked_sub(1).map(|j| links.day(d.days[j].day)),
                );
                "day.html"
            }
            PageKind::Article(i) => {
                let e = &d.articles[i];
                let card = links.card(i);
                let body_html = self.body_html(e);
                let source_url = source_url(e);
                let headlines: Vec<_> = e
                    .headlines
                    .iter()
                    .map(|h| HeadlineLink {
                        text: h.text.clone(),
                        url: h.article.map(|t| links.article_url(t)).unwrap_or_default(),
                    })
                    .collect();
                let day_articles = &d
                    .days
                    .iter()
                    .find(|g| g.day == e.day)
                    .map(|g| g.articles.as_slice())
                    .unwrap_or(&[]);
                let pos = day_articles.iter().position(|&x| x == i);
                let prev = pos
                    .and_then(|p| p.checked_sub(1))
                    .map(|p| links.card(day_articles[p]));
                let next = pos
                    .and_then(|p| day_articles.get(p + 1))
                    .map(|&n| links.card(n));
                ctx.insert(
                    "page",
                    &page_ctx("article", e.title.clone(), e.summary.clone()),
                );
                ctx.insert(
                    "article",
                    &ArticleCtx {
                        markdown_url: format!("{}index.md", card.url),
                        image: images::article_image(links.cfg(), e),
                        card,
                        body_html,
                        source_url,
                        tags: e.meta.tags.clone(),
                        title_source: e.title_source.as_str(),
                        topics: discovery::article_topics(links, d, i),
                    },
                );
                ctx.insert("headlines", &headlines);
                intelligence::insert_article(links, d, st, i, &mut ctx);
                ctx.insert("prev_article", &prev);
                ctx.insert("next_article", &next);
                "article.html"
            }
            PageKind::ArticleSource(i) => {
                let e = &d.articles[i];
                let key = KeyBuilder::new(fingerprint)
                    .str("article-source")
                    .json(&source_front_matter(e))
                    .json(&e.body)
                    .finish();
                return Ok(Prepared {
                    file: page.file.clone(),
                    fingerprint: key,
                    job: Job::Source(e),
                });
            }
            PageKind::Archive => {
                let months = archive_months(links, d, discovery::paged(&d.days, page));
                ctx.insert(
                    "page",
                    &page_ctx(
                        "archive",
                        st.archive.clone(),
                        fill(&st.archive_description, &[("site", site_title)]),
                    ),
                );
                ctx.insert("months", &months);
                ctx.insert("total_articles", &d.articles.len());
                ctx.insert("total_days", &d.days.len());
                "archive.html"
            }
            PageKind::Headlines => {
                let sections = headline_index::all_sections(d);
                ctx.insert(
                    "page",
                    &page_ctx(
                        "headlines",
                        st.headline_index.clone(),
                        st.headlines_description.clone(),
                    ),
                );
                ctx.insert("letters", &headline_index::letters(links, &sections, None));
                ctx.insert("totals", &headline_index::totals(d));
                ctx.insert("section", &None::<()>);
                ctx.insert("headlines", &Vec::<()>::new());
                "headlines.html"
            }
            PageKind::HeadlineSection(s) => {
                let sections = headline_index::all_sections(d);
                let Some(section) = sections.get(s) else {
                    return Err(RenderError::File {
                        file: page.file.clone(),
                        message: "no such headline-index section".into(),
                    });
                };
                let label = section.initial.label();
                ctx.insert(
                    "page",
                    &page_ctx(
                        "headlines",
                        format!("Headlines: {label}"),
                        format!("Every headline of the corpus filed under {label}, A to Z."),
                    ),
                );
                ctx.insert(
                    "letters",
                    &headline_index::letters(links, &sections, Some(section.initial)),
                );
                ctx.insert("totals", &headline_index::totals(d));
                ctx.insert(
                    "section",
                    &headline_index::LetterLink {
                        label,
                        url: links.url(&plan::headline_section_path(section.initial)),
                        count: section.items.len(),
                        current: true,
                    },
                );
                ctx.insert("headlines", &headline_index::rows(links, d, section, page));
                "headlines.html"
            }
            PageKind::Topics => {
                let topics: Vec<_> = (0..d.topics.len())
                    .map(|t| discovery::topic_link(links, d, t))
                    .collect();
                ctx.insert(
                    "page",
                    &page_ctx(
                        "topics",
                        st.topics.clone(),
                        fill(&st.topics_description, &[("site", site_title)]),
                    ),
                );
                ctx.insert("topics", &topics);
                ctx.insert("total_articles", &d.articles.len());
                "topics.html"
            }
            PageKind::Topic(t) => {
                let topic = discovery::topic_link(links, d, t);
                ctx.insert(
                    "page",
                    &page_ctx(
                        "topic",
                        topic.name.clone(),
                        fill(
                            &st.topic_description,
                            &[
                                ("articles", &count(topic.count, &st.article, &st.articles)),
                                ("topic", &topic.name),
                            ],
                        ),
                    ),
                );
                ctx.insert("articles", &discovery::topic_cards(links, d, t, page));
                ctx.insert("topic", &topic);
                "topic.html"
            }
            PageKind::Sources => {
                ctx.insert(
                    "page",
                    &page_ctx(
                        "sources",
                        "Sources".into(),
                        format!("The news sites {} draws on.", self.site.title),
                    ),
                );
                ctx.insert("sources", &discovery::source_index(links, d));
                ctx.insert("total_articles", &d.articles.len());
                "sources.html"
            }
            PageKind::Source(s) => {
                let source = discovery::source_link(links, d, s);
                ctx.insert(
                    "page",
                    &page_ctx(
                        "source",
                        source.name.clone(),
                        format!(
                            "{} from {}, newest first.",
                            articles_phrase(source.count),
                            source.name
                        ),
                    ),
                );
                ctx.insert("articles", &discovery::source_cards(links, d, s, page));
                ctx.insert("source", &source);
                "source.html"
            }
            PageKind::Storylines => {
                ctx.insert(
                    "page",
                    &page_ctx(
                        "stories",
                        st.developing_stories.clone(),
                        fill(&st.storylines_description, &[("site", site_title)]),
                    ),
                );
                let lines: Vec<_> = discovery::paged(&discovery::storyline_order(d), page)
                    .iter()
                    .map(|&l| intelligence::storyline_link(links, d, l))
                    .collect();
                ctx.insert("storylines", &lines);
                ctx.insert("total_storylines", &d.storylines.len());
                "stories.html"
            }
            PageKind::Storyline(l) => {
                let line = intelligence::storyline_link(links, d, l);
                ctx.insert(
                    "page",
                    &page_ctx(
                        "storyline",
                        line.title.clone(),
                        fill(
                            &st.storyline_description,
                            &[
                                ("articles", &count(line.count, &st.article, &st.articles)),
                                ("story", &line.title),
                            ],
                        ),
                    ),
                );
                ctx.insert("storyline", &line);
                ctx.insert("days", &discovery::storyline_days(links, d, l));
                "storyline.html"
            }
            PageKind::Search => {
                ctx.insert(
                    "page",
                    &page_ctx(
                        "search",
                        st.search.clone(),
                        fill(&st.search_description, &[("site", site_title)]),
                    ),
                );
                ctx.insert("article_count", &d.articles.len());
                "search.html"
            }
            PageKind::Feed(..)
            | PageKind::Sitemap(_)
            | PageKind::NewsSitemap
            | PageKind::Robots
            | PageKind::SearchIndex => {
                // Written by `discovery::file` above; listed here so a new kind cannot be
                // forgotten silently.
                return Err(RenderError::File {
                    file: page.file.clone(),
                    message: "not an HTML page".into(),
                });
            }
            PageKind::NotFound => {
                ctx.insert(
                    "page",
                    &page_ctx(
                        "404",
                        st.page_not_found.clone(),
                        st.not_found_description.clone(),
                    ),
                );
                "404.html"
            }
        };
        let fingerprint = ctx.key(
            template,
            self.template_hashes.get(template).unwrap_or(&[0; 32]),
        );
        Ok(Prepared {
            file: page.file.clone(),
            fingerprint,
            job: Job::Template {
                template,
                ctx: ctx.ctx,
            },
        })
    }
}

/// A page ready to be rendered ([`Renderer::prepare`]).
pub struct Prepared<'a> {
    /// Its path in the output.
    pub file: String,
    /// A fingerprint of everything its bytes are made from (all equal when not asked for).
    pub fingerprint: Key,
    job: Job<'a>,
}

/// What makes a page's bytes.
enum Job<'a> {
    Template {
        template: &'static str,
        ctx: tera::Context,
    },
    Discovery(discovery::FileData),
    Source(&'a Entry),
}

/// `1 article`, `3 articles`.
fn articles_phrase(n: usize) -> String {
    format!("{n} {}", if n == 1 { "article" } else { "articles" })
}

/// How many lead headlines the archive shows under each day.
pub const ARCHIVE_LEADS: usize = 3;

/// The archive's `days` (this page's, newest first) grouped by month, each day with its
/// lead headlines: its top stories, or its first stories by rank when it has none.
fn archive_months(links: &Links, d: &Digest, days: &[crate::digest::DayGroup]) -> Vec<MonthCtx> {
    let locale = &links.cfg().locale;
    let mut months: Vec<MonthCtx> = Vec::new();
    for g in days {
        let leads = if g.top.is_empty() {
            &g.articles
        } else {
            &g.top
        };
        let day = ArchiveDay {
            day: links.day(g.day),
            leads: leads
                .iter()
                .take(ARCHIVE_LEADS)
                .map(|&i| HeadlineLink {
                    text: d.articles[i].title.clone(),
                    url: links.article_url(i),
                })
                .collect(),
        };
        let label = locale.month_label(g.day);
        match months.last_mut() {
            Some(m) if m.label == label => m.days.push(day),
            _ => months.push(MonthCtx {
                label,
                iso: g.day.iso()[..7].to_string(),
                days: vec![day],
            }),
        }
    }
    months
}

/// The `date` filter: `{{ day.iso | date }}`, `{{ page.published | date(format="short") }}`,
/// `{{ d.iso | date(format="{weekday}") }}`, in the site's language (see `i18n::Locale`).
/// It reads only the locale, which every page's context holds (`site.language`, `strings`),
/// so the render cache stays exact.
fn register_date_filter(tera: &mut Tera, locale: std::sync::Arc<crate::i18n::Locale>) {
    tera.register_filter(
        "date",
        move |value: tera::Value, kwargs: tera::Kwargs, _: &tera::State| {
            let format = kwargs.get::<&str>("format")?.unwrap_or("long");
            let text = value.as_str().ok_or_else(|| {
                tera::Error::message(format!(
                    "date filter: expected an ISO date string, got {}",
                    value.name()
                ))
            })?;
            locale
                .format_value(text, format)
                .map_err(tera::Error::message)
        },
    );
}

fn body_html(e: &Entry, raw_html: markdown::RawHtml) -> String {
    match &e.body {
        Body::Plain(paras) => markdown::plain_to_html(paras),
        Body::Markdown(md) => markdown::markdown_to_html(md, raw_html),
    }
}

/// An article's body as HTML under `cfg`'s raw-HTML setting, as its page shows it (for
/// full-content feeds).
pub fn article_html(cfg: &Config, e: &Entry) -> String {
    body_html(
        e,
        if cfg.trusted_html {
            markdown::RawHtml::Trust
        } else {
            markdown::RawHtml::Sanitise
        },
    )
}

/// The link to an article's original: front matter `url`, else a `source` that is itself an
/// http(s) URL. Ingest already refused unsafe ones; checked again because this is where a
/// value becomes an `href`.
pub fn source_url(e: &Entry) -> String {
    let source_link = e.meta.source.as_deref().map(str::trim).filter(|s| {
        let lower = s.to_ascii_lowercase();
        (lower.starts_with("https://") || lower.starts_with("http://"))
            && crate::safety::link_url(s).is_ok()
    });
    e.meta
        .url
        .as_deref()
        .or(source_link)
        .filter(|u| crate::safety::is_safe_url(u))
        .unwrap_or_default()
        .to_string()
}

/// The front matter of an article's Markdown source.
#[derive(Serialize)]
pub struct SourceFrontMatter<'a> {
    title: &'a str,
    date: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<&'a str>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    tags: &'a [String],
    summary: &'a str,
    rank: usize,
}

pub fn source_front_matter(e: &Entry) -> SourceFrontMatter<'_> {
    SourceFrontMatter {
        title: &e.title,
        date: e.day.iso(),
        source: e.meta.source.as_deref(),
        url: e.meta.url.as_deref(),
        author: e.meta.author.as_deref(),
        tags: &e.meta.tags,
        summary: &e.summary,
        rank: e.rank,
    }
}

/// The Markdown source of an article, with its metadata as front matter.
pub fn article_markdown(e: &Entry) -> String {
    let fm = source_front_matter(e);
    let body = match &e.body {
        Body::Plain(p) => markdown::plain_to_markdown(p),
        Body::Markdown(md) => md.clone(),
    };
    format!("---\n{}---\n\n{}", crate::yaml::to_string(&fm), body)
}

/// Turns Tera's error into a [`TemplateError`]. `rendering` is the template and output file
/// being rendered, when the error happened while rendering.
fn template_error(
    e: &tera::Error,
    origins: &std::collections::BTreeMap<String, String>,
    rendering: Option<(&str, &str)>,
) -> RenderError {
    let origin = |name: &str| {
        origins
            .get(name)
            .cloned()
            .unwrap_or_else(|| format!("template {name}"))
    };
    let page = rendering.map(|(_, file)| file.to_string());
    let fallback = rendering.map(|(t, _)| t.to_string()).unwrap_or_default();
    if let Some((verb, tpl, chain)) = circular(e) {
        return RenderError::Template(Box::new(TemplateError {
            origin: origin(&tpl),
            template: tpl,
            line: None,
            column: None,
            message: format!(
                "{verb} itself through {}; remove one of these {verb} tags",
                chain.join(" -> ")
            ),
            page,
            detail: String::new(),
        }));
    }
    let err = match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => {
            let name = if r.filename().is_empty() {
                fallback
            } else {
                r.filename().to_string()
            };
            TemplateError {
                origin: origin(&name),
                template: name,
                line: Some(r.span().start_line),
                column: Some(r.span().start_col + 1),
                message: r.message().to_string(),
                page,
                detail: e.to_string(),
            }
        }
        tera::ErrorKind::MissingParent { current, parent } => TemplateError {
            origin: origin(current),
            template: current.clone(),
            line: None,
            column: None,
            message: format!("extends {parent:?}, which no theme provides"),
            page,
            detail: String::new(),
        },
        // Unknown filters, tests, functions and includes arrive as text in Tera's report
        // format ("error: Unknown filter `x`\n --> 404.html:3:17 …"): read the place back.
        _ => {
            let text = chain(e);
            match report_location(&text) {
                Some((name, line, column)) => TemplateError {
                    origin: origin(&name),
                    template: name,
                    line: Some(line),
                    column: Some(column),
                    message: text
                        .lines()
                        .next()
                        .unwrap_or_default()
                        .trim_start_matches("error: ")
                        .to_string(),
                    page,
                    detail: text,
                },
                None => TemplateError {
                    origin: origin(&fallback),
                    template: fallback,
                    line: None,
                    column: None,
                    message: text,
                    page,
                    detail: String::new(),
                },
            }
        }
    };
    RenderError::Template(Box::new(err))
}

/// A loop of includes or extends anywhere in `e`'s chain of causes: (`"includes"` or
/// `"extends"`, the template, the chain of names). Tera names no file for these.
fn circular(e: &tera::Error) -> Option<(&'static str, String, Vec<String>)> {
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = cur {
        if let Some(t) = err.downcast_ref::<tera::Error>() {
            match t.kind() {
                tera::ErrorKind::CircularInclude { tpl, include_chain } => {
                    return Some(("includes", tpl.clone(), include_chain.clone()));
                }
                tera::ErrorKind::CircularExtend {
                    tpl,
                    inheritance_chain,
                } => return Some(("extends", tpl.clone(), inheritance_chain.clone())),
                _ => {}
            }
        }
        cur = err.source();
    }
    None
}

/// The first `--> name:line:col` of a Tera report.
fn report_location(text: &str) -> Option<(String, usize, usize)> {
    let at = text
        .lines()
        .find_map(|l| l.trim_start().strip_prefix("--> "))?;
    let mut parts = at.rsplitn(3, ':');
    let column = parts.next()?.trim().parse().ok()?;
    let line = parts.next()?.parse().ok()?;
    Some((parts.next()?.to_string(), line, column))
}

/// Tera's error with its chain of causes.
fn chain(e: &tera::Error) -> String {
    let mut msg = e.to_string();
    let mut src = std::error::Error::source(e);
    while let Some(s) = src {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        src = s.source();
    }
    msg
}
