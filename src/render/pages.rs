//! One function per kind of HTML page: each fills the template context of its page and names
//! its template. [`Html`] holds what every page's context has (`site`, `strings`, `config`,
//! `paginator`) and makes its `page` value; [`super::Renderer::prepare`] only dispatches.
//! Every value goes through [`KeyedContext`], so a page's fingerprint is exactly its
//! template and context, in the order they were inserted.

use super::context::{ArchiveDay, ArticleCtx, HeadlineLink, Links, MonthCtx, PageCtx};
use super::keyed::KeyedContext;
use super::{RenderError, discovery, headline_index, images, intelligence, markdown, seo};
use crate::digest::Digest;
use crate::i18n::{Locale, Strings, fill};
use crate::plan::Page;

/// An HTML page being filled in: its context so far, and what its `page` value is made of.
pub struct Html<'a> {
    pub ctx: KeyedContext<'a>,
    links: &'a Links<'a>,
    d: &'a Digest,
    page: &'a Page,
    locale: &'a Locale,
    raw_html: markdown::RawHtml,
    url: String,
    permalink: String,
    meta: seo::PageMeta,
}

impl<'a> Html<'a> {
    /// The context every HTML page starts with: `site`, `strings` (converted and hashed
    /// once per build), `config`, and `paginator` on the pages of a listing.
    pub fn new(
        renderer: &'a super::Renderer,
        links: &'a Links<'a>,
        d: &'a Digest,
        page: &'a Page,
        fingerprint: bool,
    ) -> Self {
        let mut ctx = KeyedContext::new(fingerprint);
        ctx.insert("site", links.site());
        ctx.insert_shared("strings", &renderer.strings_value, &renderer.strings_digest);
        ctx.insert("config", &renderer.config);
        if let Some(p) = &page.pagination {
            ctx.insert("paginator", discovery::paginator(links, page.kind, p));
        }
        Html {
            ctx,
            links,
            d,
            page,
            locale: &renderer.locale,
            raw_html: renderer.raw_html,
            url: links.url(&page.site_path),
            permalink: links.permalink(&page.site_path),
            meta: seo::page_meta(links, d, page),
        }
    }

    fn st(&self) -> &'a Strings {
        &self.locale.strings
    }

    fn site_title(&self) -> &'a str {
        self.links.site().title.as_str()
    }

    /// `1 article`, `3 articles` in the site's language.
    fn count(&self, n: usize) -> String {
        let st = self.st();
        self.locale.count(n, &st.article, &st.articles)
    }

    /// Inserts `page`: later pages of a listing say their number, keeping titles unique.
    fn insert_page(&mut self, kind: &'static str, title: String, description: String) {
        let number = self.page.pagination.as_ref().map_or(1, |p| p.number);
        let title = if number > 1 {
            let n = number.to_string();
            format!("{title}, {}", fill(&self.st().page_n, &[("n", &n)]))
        } else {
            title
        };
        let page = PageCtx {
            title,
            description,
            url: self.url.clone(),
            permalink: self.permalink.clone(),
            kind,
            meta: self.meta.clone(),
        };
        self.ctx.insert("page", page);
    }

    fn first_page(&self) -> bool {
        self.page.pagination.as_ref().is_none_or(|p| p.number == 1)
    }
}

pub fn front(h: &mut Html) -> &'static str {
    let (links, d) = (h.links, h.d);
    let newest = d.days.first();
    h.ctx.insert("day", newest.map(|g| links.day(g.day)));
    let cards: Vec<_> = newest
        .map(|g| {
            discovery::paged(&g.stories, h.page)
                .iter()
                .map(|&i| links.card(i))
                .collect()
        })
        .unwrap_or_default();
    h.ctx.insert("articles", cards);
    let recent: Vec<_> = d
        .days
        .iter()
        .skip(1)
        .take(7)
        .map(|g| links.day(g.day))
        .collect();
    h.ctx.insert("recent_days", recent);
    match newest {
        Some(g) => intelligence::day_briefing(
            links,
            d,
            0,
            discovery::paged(&g.stories, h.page),
            h.first_page(),
        )
        .insert(&mut h.ctx),
        None => intelligence::DayBriefing::empty().insert(&mut h.ctx),
    }
    let description = links.site().description.clone();
    h.insert_page("index", h.st().front_page.clone(), description);
    "index.html"
}

pub fn day(h: &mut Html, i: usize) -> &'static str {
    let (links, d, st) = (h.links, h.d, h.st());
    let g = &d.days[i];
    let cards: Vec<_> = discovery::paged(&g.stories, h.page)
        .iter()
        .map(|&a| links.card(a))
        .collect();
    let day = links.day(g.day);
    let articles = h.count(g.articles.len());
    let description = fill(
        &st.day_description,
        &[("day", &day.human), ("articles", &articles)],
    );
    h.insert_page("day", day.human.clone(), description);
    h.ctx.insert("day", day);
    h.ctx.insert("articles", cards);
    intelligence::day_briefing(
        links,
        d,
        i,
        discovery::paged(&g.stories, h.page),
        h.first_page(),
    )
    .insert(&mut h.ctx);
    // Days are newest first: the older day is the next one in the list.
    h.ctx
        .insert("prev_day", d.days.get(i + 1).map(|g| links.day(g.day)));
    h.ctx.insert(
        "next_day",
        i.checked_sub(1).map(|j| links.day(d.days[j].day)),
    );
    "day.html"
}

pub fn article(h: &mut Html, i: usize) -> &'static str {
    let (links, d) = (h.links, h.d);
    let e = &d.articles[i];
    let card = links.card(i);
    let headlines: Vec<_> = e
        .headlines
        .iter()
        .map(|h| HeadlineLink {
            text: h.text.to_string(),
            url: h.article.map(|t| links.article_url(t)).unwrap_or_default(),
        })
        .collect();
    let day_articles = d
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
    h.insert_page("article", e.title.clone(), e.summary.clone());
    let article = ArticleCtx {
        markdown_url: format!("{}index.md", card.url),
        image: images::article_image(links.cfg(), e, links.paths().article(i)),
        card,
        body_html: super::body_html(e, h.raw_html),
        source_url: super::source_url(e),
        tags: e.meta.tags.clone(),
        title_source: e.title_source.as_str(),
        topics: discovery::article_topics(links, d, i),
    };
    h.ctx.insert("article", article);
    h.ctx.insert("headlines", headlines);
    intelligence::insert_article(links, d, h.st(), i, &mut h.ctx);
    h.ctx.insert("prev_article", prev);
    h.ctx.insert("next_article", next);
    "article.html"
}

pub fn archive(h: &mut Html) -> &'static str {
    let d = h.d;
    let months = archive_months(h.links, d, discovery::paged(&d.days, h.page));
    let description = fill(&h.st().archive_description, &[("site", h.site_title())]);
    h.insert_page("archive", h.st().archive.clone(), description);
    h.ctx.insert("months", months);
    h.ctx.insert("total_articles", d.articles.len());
    h.ctx.insert("total_days", d.days.len());
    "archive.html"
}

pub fn headlines(h: &mut Html) -> &'static str {
    let sections = headline_index::all_sections(h.d);
    let st = h.st();
    h.insert_page(
        "headlines",
        st.headline_index.clone(),
        st.headlines_description.clone(),
    );
    h.ctx
        .insert("letters", headline_index::letters(h.links, &sections, None));
    h.ctx.insert("totals", headline_index::totals(h.d));
    h.ctx.insert("section", None::<()>);
    h.ctx.insert("headlines", Vec::<()>::new());
    "headlines.html"
}

pub fn headline_section(h: &mut Html, s: usize) -> Result<&'static str, RenderError> {
    let (links, d) = (h.links, h.d);
    let sections = headline_index::all_sections(d);
    let Some(section) = sections.get(s) else {
        return Err(RenderError::File {
            file: h.page.file.clone(),
            message: "no such headline-index section".into(),
        });
    };
    let label = section.initial.label();
    h.insert_page(
        "headlines",
        format!("Headlines: {label}"),
        format!("Every headline of the corpus filed under {label}, A to Z."),
    );
    h.ctx.insert(
        "letters",
        headline_index::letters(links, &sections, Some(section.initial)),
    );
    h.ctx.insert("totals", headline_index::totals(d));
    h.ctx.insert(
        "section",
        headline_index::LetterLink {
            label,
            url: links.url(links.paths().headline_section(s)),
            count: section.items.len(),
            current: true,
        },
    );
    h.ctx
        .insert("headlines", headline_index::rows(links, d, section, h.page));
    Ok("headlines.html")
}

pub fn topics(h: &mut Html) -> &'static str {
    let d = h.d;
    let topics: Vec<_> = (0..d.topics.len())
        .map(|t| discovery::topic_link(h.links, d, t))
        .collect();
    let description = fill(&h.st().topics_description, &[("site", h.site_title())]);
    h.insert_page("topics", h.st().topics.clone(), description);
    h.ctx.insert("topics", topics);
    h.ctx.insert("total_articles", d.articles.len());
    "topics.html"
}

pub fn topic(h: &mut Html, t: usize) -> &'static str {
    let topic = discovery::topic_link(h.links, h.d, t);
    let articles = h.count(topic.count);
    let description = fill(
        &h.st().topic_description,
        &[("articles", &articles), ("topic", &topic.name)],
    );
    h.insert_page("topic", topic.name.clone(), description);
    h.ctx
        .insert("articles", discovery::topic_cards(h.links, h.d, t, h.page));
    h.ctx.insert("topic", topic);
    "topic.html"
}

pub fn sources(h: &mut Html) -> &'static str {
    let description = format!("The news sites {} draws on.", h.site_title());
    h.insert_page("sources", "Sources".into(), description);
    h.ctx
        .insert("sources", discovery::source_index(h.links, h.d));
    h.ctx.insert("total_articles", h.d.articles.len());
    "sources.html"
}

pub fn source(h: &mut Html, s: usize) -> &'static str {
    let source = discovery::source_link(h.links, h.d, s);
    let description = format!(
        "{} from {}, newest first.",
        articles_phrase(source.count),
        source.name
    );
    h.insert_page("source", source.name.clone(), description);
    h.ctx
        .insert("articles", discovery::source_cards(h.links, h.d, s, h.page));
    h.ctx.insert("source", source);
    "source.html"
}

pub fn storylines(h: &mut Html) -> &'static str {
    let d = h.d;
    let description = fill(&h.st().storylines_description, &[("site", h.site_title())]);
    h.insert_page("stories", h.st().developing_stories.clone(), description);
    let lines: Vec<_> = discovery::paged(&discovery::storyline_order(d), h.page)
        .iter()
        .map(|&l| intelligence::storyline_link(h.links, d, l))
        .collect();
    h.ctx.insert("storylines", lines);
    h.ctx.insert("total_storylines", d.storylines.len());
    "stories.html"
}

pub fn storyline(h: &mut Html, l: usize) -> &'static str {
    let line = intelligence::storyline_link(h.links, h.d, l);
    let articles = h.count(line.count);
    let description = fill(
        &h.st().storyline_description,
        &[("articles", &articles), ("story", &line.title)],
    );
    h.insert_page("storyline", line.title.clone(), description);
    h.ctx.insert("storyline", line);
    h.ctx
        .insert("days", discovery::storyline_days(h.links, h.d, l));
    "storyline.html"
}

pub fn search(h: &mut Html) -> &'static str {
    let description = fill(&h.st().search_description, &[("site", h.site_title())]);
    h.insert_page("search", h.st().search.clone(), description);
    h.ctx.insert("article_count", h.d.articles.len());
    "search.html"
}

pub fn not_found(h: &mut Html) -> &'static str {
    let st = h.st();
    h.insert_page(
        "404",
        st.page_not_found.clone(),
        st.not_found_description.clone(),
    );
    "404.html"
}

/// `1 article`, `3 articles`.
fn articles_phrase(n: usize) -> String {
    format!("{n} {}", if n == 1 { "article" } else { "articles" })
}

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
                .take(super::ARCHIVE_LEADS)
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
