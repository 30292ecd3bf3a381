//! Sitemaps (<https://www.sitemaps.org/protocol.html>), the Google News sitemap and
//! `robots.txt`. XML is written with quick-xml, which escapes every text node; which URLs
//! are listed and how the sitemap is split is decided in `plan::discovery`.

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};
use std::io;

pub const SITEMAP_NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
pub const NEWS_NS: &str = "http://www.google.com/schemas/sitemap-news/0.9";

/// One `<url>` (or one `<sitemap>` of an index).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlEntry {
    /// Absolute URL.
    pub loc: String,
    /// W3C date (`2026-11-20`).
    pub lastmod: String,
}

/// One article of the news sitemap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewsEntry {
    pub loc: String,
    pub title: String,
    /// RFC 3339 (W3C date-time).
    pub published: String,
}

fn writer() -> Result<Writer<Vec<u8>>, io::Error> {
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    Ok(w)
}

fn finish(w: Writer<Vec<u8>>) -> Vec<u8> {
    let mut bytes = w.into_inner();
    bytes.push(b'\n');
    bytes
}

fn text_element(w: &mut Writer<Vec<u8>>, name: &str, text: &str) -> io::Result<()> {
    w.create_element(name)
        .write_text_content(BytesText::new(text))
        .map(|_| ())
}

/// A `<urlset>` of `urls`.
pub fn urlset(urls: &[UrlEntry]) -> Result<Vec<u8>, io::Error> {
    let mut w = writer()?;
    w.create_element("urlset")
        .with_attribute(("xmlns", SITEMAP_NS))
        .write_inner_content(|w| {
            for u in urls {
                w.create_element("url").write_inner_content(|w| {
                    text_element(w, "loc", &u.loc)?;
                    text_element(w, "lastmod", &u.lastmod)
                })?;
            }
            Ok(())
        })?;
    Ok(finish(w))
}

/// A `<sitemapindex>` pointing at the parts.
pub fn index(parts: &[UrlEntry]) -> Result<Vec<u8>, io::Error> {
    let mut w = writer()?;
    w.create_element("sitemapindex")
        .with_attribute(("xmlns", SITEMAP_NS))
        .write_inner_content(|w| {
            for p in parts {
                w.create_element("sitemap").write_inner_content(|w| {
                    text_element(w, "loc", &p.loc)?;
                    text_element(w, "lastmod", &p.lastmod)
                })?;
            }
            Ok(())
        })?;
    Ok(finish(w))
}

/// A Google News sitemap (<https://developers.google.com/search/docs/crawling-indexing/sitemaps/news-sitemap>).
pub fn news(
    publication: &str,
    language: &str,
    entries: &[NewsEntry],
) -> Result<Vec<u8>, io::Error> {
    let mut w = writer()?;
    w.create_element("urlset")
        .with_attribute(("xmlns", SITEMAP_NS))
        .with_attribute(("xmlns:news", NEWS_NS))
        .write_inner_content(|w| {
            for e in entries {
                w.create_element("url").write_inner_content(|w| {
                    text_element(w, "loc", &e.loc)?;
                    w.create_element("news:news").write_inner_content(|w| {
                        w.create_element("news:publication")
                            .write_inner_content(|w| {
                                text_element(w, "news:name", publication)?;
                                text_element(w, "news:language", language)
                            })?;
                        text_element(w, "news:publication_date", &e.published)?;
                        text_element(w, "news:title", &e.title)
                    })?;
                    Ok(())
                })?;
            }
            Ok(())
        })?;
    Ok(finish(w))
}

/// The language code Google News expects: ISO 639 (`en`), except Chinese, which keeps its
/// script (`zh-cn`, `zh-tw`).
pub fn news_language(language: &str) -> String {
    let lower = language.trim().to_ascii_lowercase().replace('_', "-");
    if lower.starts_with("zh-") {
        return lower;
    }
    lower.split('-').next().unwrap_or("en").to_string()
}

/// `robots.txt`: everything may be crawled; the sitemaps are named with absolute URLs.
pub fn robots(site_title: &str, sitemaps: &[String]) -> String {
    let title: String = site_title
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let mut out =
        format!("# robots.txt for {title}, written by newsdigest.\nUser-agent: *\nAllow: /\n\n");
    for s in sitemaps {
        out.push_str(&format!("Sitemap: {s}\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urlset_escapes() {
        let x = String::from_utf8(
            urlset(&[UrlEntry {
                loc: "https://example.org/a?b=1&c=<2>".into(),
                lastmod: "2026-11-20".into(),
            }])
            .unwrap(),
        )
        .unwrap();
        assert!(x.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
        assert!(
            x.contains("<loc>https://example.org/a?b=1&amp;c=&lt;2&gt;</loc>"),
            "{x}"
        );
        assert!(x.contains(&format!("<urlset xmlns=\"{SITEMAP_NS}\">")));
    }

    #[test]
    fn news_has_namespace_and_escaped_title() {
        let x = String::from_utf8(
            news(
                "Digest & Co",
                "en",
                &[NewsEntry {
                    loc: "https://example.org/x/".into(),
                    title: "A & B </news:title>".into(),
                    published: "2026-11-20T12:00:00+01:00".into(),
                }],
            )
            .unwrap(),
        )
        .unwrap();
        assert!(x.contains(&format!("xmlns:news=\"{NEWS_NS}\"")));
        assert!(
            x.contains("<news:title>A &amp; B &lt;/news:title&gt;</news:title>"),
            "{x}"
        );
        assert!(x.contains("<news:name>Digest &amp; Co</news:name>"));
    }

    #[test]
    fn languages_and_robots() {
        assert_eq!(news_language("en-GB"), "en");
        assert_eq!(news_language("zh-CN"), "zh-cn");
        assert_eq!(news_language("de"), "de");
        let r = robots("T\nx", &["https://e.org/sitemap.xml".into()]);
        assert!(r.contains("Sitemap: https://e.org/sitemap.xml\n"));
        assert_eq!(
            r.lines().next(),
            Some("# robots.txt for T x, written by newsdigest.")
        );
    }
}
