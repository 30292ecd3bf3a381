//! Render: turns planned pages into bytes. Markdown to HTML (pulldown-cmark), the Tera theme,
//! and the Markdown source of each article. It decides nothing about which pages exist or
//! where anything is: every URL it writes is a path the plan computed ([`crate::plan::Paths`],
//! read through [`context::Links::paths`]) under the base URL. It knows nothing of caching:
//! [`Renderer::prepare`] gathers what a page is made from with a fingerprint of it (one
//! function per page kind, in [`pages`]), [`Renderer::finish`] makes the bytes; `build` decides
//! in between whether the build cache already has them.

pub mod context;
pub mod discovery;
pub mod escape;
pub mod feeds;
pub mod headline_index;
pub mod images;
pub mod inputs;
pub mod intelligence;
pub mod keyed;
pub mod markdown;
pub mod pages;
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
use crate::plan::{Page, PageKind, Paths, Plan};
use context::{Links, SiteCtx};
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
    /// The site ships its own `favicon.ico` at the root (see [`SiteCtx`]).
    own_favicon: bool,
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
        tera.set_escape_fn(escape::write_html);
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
        let own_favicon = statics.iter().any(|r| r.path == "favicon.ico");
        Ok(Renderer {
            tera,
            statics,
            own_favicon,
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

    /// What pages are rendered with: the digest's shared shapes, under the plan's `paths`,
    /// with this theme's `site` context.
    pub fn links<'a>(&self, cfg: &'a Config, digest: &'a Digest, paths: &'a Paths) -> Links<'a> {
        Links::new(
            cfg,
            digest,
            paths,
            SiteCtx::new(cfg, paths, self.own_favicon),
        )
    }

    /// Renders every page of `plan` in parallel, then appends the theme's static files.
    pub fn render_all(
        &self,
        cfg: &Config,
        digest: &Digest,
        plan: &Plan,
    ) -> Result<Vec<Rendered>, RenderError> {
        let links = self.links(cfg, digest, &plan.paths);
        let pages = &plan.pages;
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
                .render(template, &ctx.into_context())
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
        &'a self,
        links: &'a Links,
        d: &'a Digest,
        pages: &[Page],
        page: &'a Page,
        fingerprint: bool,
    ) -> Result<Prepared<'a>, RenderError> {
        // Feeds, sitemaps, robots.txt and the search index: fingerprinted by the data they
        // are written from.
        if let Some(data) = discovery::file_data(links, d, pages, page) {
            return Ok(Prepared::discovery(page, data, fingerprint));
        }
        if let PageKind::ArticleSource(i) = page.kind {
            return Ok(Prepared::source(page, &d.articles[i], fingerprint));
        }
        let mut h = pages::Html::new(self, links, d, page, fingerprint);
        let template = match page.kind {
            PageKind::Front => pages::front(&mut h),
            PageKind::Day(i) => pages::day(&mut h, i),
            PageKind::Article(i) => pages::article(&mut h, i),
            PageKind::Archive => pages::archive(&mut h),
            PageKind::Headlines => pages::headlines(&mut h),
            PageKind::HeadlineSection(s) => pages::headline_section(&mut h, s)?,
            PageKind::Topics => pages::topics(&mut h),
            PageKind::Topic(t) => pages::topic(&mut h, t),
            PageKind::Sources => pages::sources(&mut h),
            PageKind::Source(s) => pages::source(&mut h, s),
            PageKind::Storylines => pages::storylines(&mut h),
            PageKind::Storyline(l) => pages::storyline(&mut h, l),
            PageKind::Search => pages::search(&mut h),
            PageKind::NotFound => pages::not_found(&mut h),
            // Written above; listed here so a new kind cannot be forgotten silently.
            PageKind::ArticleSource(_)
            | PageKind::Feed(..)
            | PageKind::Sitemap(_)
            | PageKind::NewsSitemap
            | PageKind::Robots
            | PageKind::SearchIndex => {
                return Err(RenderError::File {
                    file: page.file.clone(),
                    message: "not an HTML page".into(),
                });
            }
        };
        let (fingerprint, ctx) = h.ctx.finish(
            template,
            self.template_hashes.get(template).unwrap_or(&[0; 32]),
        );
        Ok(Prepared {
            file: page.file.clone(),
            fingerprint,
            job: Job::Template { template, ctx },
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

impl<'a> Prepared<'a> {
    /// A non-HTML file, fingerprinted by the data it is written from.
    fn discovery(page: &Page, data: discovery::FileData, fingerprint: bool) -> Self {
        let mut key = KeyBuilder::new(fingerprint);
        key.str("discovery-file").str(&page.file);
        if fingerprint {
            data.key_into(&mut key);
        }
        Prepared {
            file: page.file.clone(),
            fingerprint: key.finish(),
            job: Job::Discovery(data),
        }
    }

    /// An article's Markdown source, fingerprinted by its front matter and body.
    fn source(page: &Page, e: &'a Entry, fingerprint: bool) -> Self {
        let mut key = KeyBuilder::new(fingerprint);
        key.str("article-source").json(&source_front_matter(e));
        e.body.key_into(&mut key);
        let key = key.finish();
        Prepared {
            file: page.file.clone(),
            fingerprint: key,
            job: Job::Source(e),
        }
    }
}

/// What makes a page's bytes.
enum Job<'a> {
    Template {
        template: &'static str,
        ctx: keyed::Values<'a>,
    },
    Discovery(discovery::FileData),
    Source(&'a Entry),
}

/// How many lead headlines the archive shows under each day.
pub const ARCHIVE_LEADS: usize = 3;

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
        Body::Plain(packed) => markdown::plain_to_html(&packed.unpack()),
        Body::Markdown { source, .. } => markdown::markdown_to_html(source, raw_html),
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
        Body::Plain(packed) => markdown::plain_to_markdown(&packed.unpack()),
        Body::Markdown { source, .. } => source.clone(),
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
