//! Page metadata for search engines and link previews: the extra `page.*` fields the theme's
//! `partials/head-meta.html` turns into Open Graph and Twitter tags, feed discovery links,
//! `rel="prev"/"next"`, and a schema.org JSON-LD block (`NewsArticle` per article, `WebSite`
//! with a search action on the front page).
//!
//! JSON-LD goes inside `<script>`, where HTML escaping does not apply; [`script_json`]
//! escapes `<`, `>` and `&` as JSON `\u` escapes, so no text can close the script element.

use super::context::Links;
use super::published;
use crate::digest::Digest;
use crate::plan::{FeedScope, Page, PageKind};
use serde::Serialize;
use serde_json::{Value, json};

/// Flattened into `page` for every HTML page (see `docs/themes.md`).
#[derive(Debug, Clone, Default, Serialize)]
pub struct PageMeta {
    /// `article` on article pages, `website` elsewhere.
    pub og_type: &'static str,
    /// RFC 3339 publication time, articles only (empty elsewhere).
    pub published: String,
    /// RFC 3339 modification time; equals `published` (dumps carry no edit time).
    pub modified: String,
    /// JSON-LD, already escaped for a `<script>` element; empty when none.
    pub json_ld: String,
    /// This page's own feed (a day's or a topic's), root-relative; empty when none.
    pub feed_url: String,
    pub feed_title: String,
    /// Root-relative URLs of the previous and next page of a paginated listing.
    pub prev_url: String,
    pub next_url: String,
    /// `<meta name="robots">` content, e.g. `noindex` for the search page; usually empty.
    pub robots: String,
    /// The preview image (`og:image`): an article's own, else the site's `image`; null when
    /// neither is set. With one, the Twitter card is `summary_large_image`.
    pub image: Option<super::images::ImageCtx>,
}

/// The metadata of one HTML page.
pub fn page_meta(links: &Links, d: &Digest, page: &Page) -> PageMeta {
    let cfg = links.cfg();
    let mut m = PageMeta {
        og_type: "website",
        image: super::images::site_image(cfg),
        ..PageMeta::default()
    };
    let paths = links.paths();
    if let Some(p) = &page.pagination {
        let url = |n: usize| links.url(paths.listing_page(page.kind, n).unwrap_or_default());
        if p.number > 1 {
            m.prev_url = url(p.number - 1);
        }
        if p.number < p.total {
            m.next_url = url(p.number + 1);
        }
    }
    match page.kind {
        PageKind::Article(i) => {
            let e = &d.articles[i];
            let t = published::article_time(e.day, e.rank, cfg.timezone).to_rfc3339();
            m.og_type = "article";
            m.published = t.clone();
            m.modified = t;
            if let Some(own) = super::images::article_image(cfg, e, paths.article(i)) {
                m.image = Some(own);
            }
            m.json_ld = script_json(&news_article(links, d, i, &m));
        }
        PageKind::Front if page.pagination.as_ref().is_none_or(|p| p.number == 1) => {
            m.json_ld = script_json(&website(links));
        }
        PageKind::Day(i) => {
            m.feed_url = links.url(paths.feed(FeedScope::Day(i)));
            m.feed_title = format!("{}: {}", cfg.title, cfg.locale.human(d.days[i].day));
        }
        PageKind::Topic(t) => {
            m.feed_url = links.url(paths.feed(FeedScope::Topic(t)));
            m.feed_title = format!("{}: {}", cfg.title, d.topics[t].name);
        }
        PageKind::Source(s) => {
            m.feed_url = links.url(paths.feed(FeedScope::Source(s)));
            m.feed_title = format!("{}: {}", cfg.title, d.sites[s].name);
        }
        PageKind::Search | PageKind::NotFound => m.robots = "noindex".into(),
        _ => {}
    }
    m
}

/// schema.org `NewsArticle`, with what Google's Top Stories asks for: `image` (the page's
/// preview image), `author` (front matter, else the site's `author`) and the site as
/// `publisher` with its `logo`. The original source, when the front matter names one, is
/// the `sourceOrganization`.
fn news_article(links: &Links, d: &Digest, i: usize, meta: &PageMeta) -> Value {
    let cfg = links.cfg();
    let e = &d.articles[i];
    let published = meta.published.as_str();
    let url = links.permalink(links.paths().article(i));
    let mut v = json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": e.title,
        "description": e.summary,
        "datePublished": published,
        "dateModified": published,
        "url": url,
        "mainEntityOfPage": { "@type": "WebPage", "@id": url },
        "inLanguage": cfg.language,
        "wordCount": e.word_count,
    });
    let obj = v.as_object_mut();
    if let Some(obj) = obj {
        let topics: Vec<&str> = e
            .topics
            .iter()
            .map(|&t| d.topics[t].name.as_str())
            .collect();
        if !topics.is_empty() {
            obj.insert("keywords".into(), json!(topics));
        }
        let author = e
            .meta
            .author
            .as_deref()
            .filter(|a| !a.trim().is_empty())
            .or(cfg.author.as_deref());
        if let Some(a) = author {
            obj.insert(
                "author".into(),
                json!([{ "@type": "Person", "name": a.trim() }]),
            );
        }
        if let Some(img) = &meta.image {
            obj.insert("image".into(), json!([img.absolute]));
        }
        let mut publisher = json!({
            "@type": "Organization",
            "name": cfg.title,
            "url": cfg.base_url.absolute(),
        });
        if let (Some(logo), Some(p)) = (super::images::site_logo(cfg), publisher.as_object_mut()) {
            p.insert(
                "logo".into(),
                json!({ "@type": "ImageObject", "url": logo.absolute }),
            );
        }
        obj.insert("publisher".into(), publisher);
        if let Some(s) = e.meta.source.as_deref().filter(|s| !s.trim().is_empty()) {
            obj.insert(
                "sourceOrganization".into(),
                json!({ "@type": "Organization", "name": s.trim() }),
            );
        }
        if let Some(src) = e
            .meta
            .url
            .as_deref()
            .filter(|u| super::markdown::is_safe_url(u) && u.contains("://"))
        {
            obj.insert("isBasedOn".into(), json!(src));
        }
    }
    v
}

/// schema.org `WebSite` with a `SearchAction` pointing at the search page.
fn website(links: &Links) -> Value {
    let cfg = links.cfg();
    json!({
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": cfg.title,
        "description": cfg.description,
        "url": cfg.base_url.absolute(),
        "inLanguage": cfg.language,
        "potentialAction": {
            "@type": "SearchAction",
            "target": {
                "@type": "EntryPoint",
                "urlTemplate": format!(
                    "{}?q={{search_term_string}}",
                    links.permalink(links.paths().search())
                ),
            },
            "query-input": "required name=search_term_string",
        },
    })
}

/// JSON safe to place verbatim inside `<script type="application/ld+json">`: `<`, `>`, `&`
/// and the JavaScript line separators become `\u` escapes, which JSON parsers decode back.
pub fn script_json(v: &Value) -> String {
    let s = serde_json::to_string(v).unwrap_or_default();
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_json_cannot_close_the_script() {
        let v = json!({ "headline": "A </script><script>alert(1)</script> & <!-- \u{2028}" });
        let s = script_json(&v);
        assert!(
            !s.contains('<') && !s.contains('>') && !s.contains('&'),
            "{s}"
        );
        let back: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back, v);
    }
}
