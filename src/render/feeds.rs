//! Feeds: RSS 2.0 (the `rss` crate), Atom 1.0 (`atom_syndication`) and JSON Feed 1.1
//! (serde). All three are written from one [`FeedData`], so they always agree; the crates
//! and serde do the XML and JSON escaping. URLs are absolute, dates are in the site's time
//! zone (RFC 822 in RSS, RFC 3339 in Atom and JSON Feed), see [`super::published`].

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

/// A feed, independent of its format.
#[derive(Debug, Clone)]
pub struct FeedData {
    pub title: String,
    pub description: String,
    /// Absolute URL of the page the feed belongs to.
    pub home_url: String,
    /// Absolute URL of the feed itself.
    pub self_url: String,
    pub language: String,
    pub generator: String,
    /// The newest item's time (or the site's newest day when the feed is empty).
    pub updated: DateTime<FixedOffset>,
    pub items: Vec<FeedItem>,
}

#[derive(Debug, Clone)]
pub struct FeedItem {
    pub title: String,
    /// Absolute URL of the article; also its id.
    pub url: String,
    /// Plain text.
    pub summary: String,
    pub published: DateTime<FixedOffset>,
    pub author: Option<String>,
    /// Topic names.
    pub categories: Vec<String>,
    /// The whole article as HTML, when the site asks for full-content feeds
    /// (`feeds.full_content`); `None` carries the summary only.
    pub content_html: Option<String>,
}

/// RSS 2.0. `description` is HTML by the RSS convention, so the plain-text summary (and the
/// channel's description) is HTML-escaped before the crate XML-escapes it.
pub fn rss(f: &FeedData) -> Result<Vec<u8>, String> {
    use rss::extension::atom::{AtomExtension, Link};
    use rss::extension::dublincore::DublinCoreExtension;
    let items = f
        .items
        .iter()
        .map(|it| rss::Item {
            title: Some(it.title.clone()),
            link: Some(it.url.clone()),
            description: Some(super::escape::html(&it.summary)),
            // `content:encoded`, in CDATA; the crate splits any `]]>` in the article.
            content: it.content_html.clone(),
            guid: Some(rss::Guid {
                value: it.url.clone(),
                permalink: true,
            }),
            pub_date: Some(it.published.to_rfc2822()),
            categories: it
                .categories
                .iter()
                .map(|c| rss::Category {
                    name: c.clone(),
                    domain: None,
                })
                .collect(),
            // RSS's own <author> must be an e-mail address; a name goes in dc:creator.
            dublin_core_ext: it.author.as_ref().map(|a| DublinCoreExtension {
                creators: vec![a.clone()],
                ..Default::default()
            }),
            ..Default::default()
        })
        .collect();
    let channel = rss::Channel {
        title: f.title.clone(),
        link: f.home_url.clone(),
        // HTML like the items' descriptions: a site title with `<` in it stays text.
        description: super::escape::html(&f.description),
        language: Some(f.language.clone()),
        generator: Some(f.generator.clone()),
        last_build_date: Some(f.updated.to_rfc2822()),
        atom_ext: Some(AtomExtension {
            links: vec![Link {
                href: f.self_url.clone(),
                rel: "self".into(),
                mime_type: Some("application/rss+xml".into()),
                ..Default::default()
            }],
        }),
        items,
        ..Default::default()
    };
    channel
        .pretty_write_to(Vec::new(), b' ', 2)
        .map(with_newline)
        .map_err(|e| e.to_string())
}

/// Atom 1.0. Titles and summaries are `type="text"`.
pub fn atom(f: &FeedData) -> Result<Vec<u8>, String> {
    use atom_syndication::{Category, Entry, Feed, Generator, Link, Person, Text, WriteConfig};
    let link = |href: &str, rel: &str, mime: &str| Link {
        href: href.into(),
        rel: rel.into(),
        mime_type: Some(mime.into()),
        ..Default::default()
    };
    let entries = f
        .items
        .iter()
        .map(|it| Entry {
            title: Text::plain(it.title.clone()),
            id: it.url.clone(),
            updated: it.published,
            published: Some(it.published),
            links: vec![link(&it.url, "alternate", "text/html")],
            summary: Some(Text::plain(it.summary.clone())),
            content: it
                .content_html
                .as_ref()
                .map(|html| atom_syndication::Content {
                    value: Some(html.clone()),
                    content_type: Some("html".into()),
                    ..Default::default()
                }),
            authors: it
                .author
                .iter()
                .map(|a| Person {
                    name: a.clone(),
                    ..Default::default()
                })
                .collect(),
            categories: it
                .categories
                .iter()
                .map(|c| Category {
                    term: c.clone(),
                    ..Default::default()
                })
                .collect(),
            ..Default::default()
        })
        .collect();
    let feed = Feed {
        title: Text::plain(f.title.clone()),
        subtitle: Some(Text::plain(f.description.clone())),
        id: f.home_url.clone(),
        updated: f.updated,
        // Atom requires an author for every entry; the site is the feed-level author.
        authors: vec![Person {
            name: f.title.clone(),
            uri: Some(f.home_url.clone()),
            ..Default::default()
        }],
        generator: Some(Generator {
            value: f.generator.clone(),
            ..Default::default()
        }),
        links: vec![
            link(&f.self_url, "self", "application/atom+xml"),
            link(&f.home_url, "alternate", "text/html"),
        ],
        lang: Some(f.language.clone()),
        entries,
        ..Default::default()
    };
    feed.write_with_config(
        Vec::new(),
        WriteConfig {
            write_document_declaration: true,
            indent_size: Some(2),
        },
    )
    .map(with_newline)
    .map_err(|e| e.to_string())
}

/// JSON Feed 1.1 (<https://jsonfeed.org/version/1.1>).
pub fn json_feed(f: &FeedData) -> Result<Vec<u8>, String> {
    #[derive(Serialize)]
    struct Author<'a> {
        name: &'a str,
    }
    #[derive(Serialize)]
    struct Item<'a> {
        id: &'a str,
        url: &'a str,
        title: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        content_html: Option<&'a str>,
        content_text: &'a str,
        summary: &'a str,
        date_published: String,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        authors: Vec<Author<'a>>,
        #[serde(skip_serializing_if = "<[String]>::is_empty")]
        tags: &'a [String],
    }
    #[derive(Serialize)]
    struct Feed<'a> {
        version: &'static str,
        title: &'a str,
        home_page_url: &'a str,
        feed_url: &'a str,
        description: &'a str,
        language: &'a str,
        items: Vec<Item<'a>>,
    }
    let feed = Feed {
        version: "https://jsonfeed.org/version/1.1",
        title: &f.title,
        home_page_url: &f.home_url,
        feed_url: &f.self_url,
        description: &f.description,
        language: &f.language,
        items: f
            .items
            .iter()
            .map(|it| Item {
                id: &it.url,
                url: &it.url,
                title: &it.title,
                content_html: it.content_html.as_deref(),
                content_text: &it.summary,
                summary: &it.summary,
                date_published: it.published.to_rfc3339(),
                authors: it.author.iter().map(|a| Author { name: a }).collect(),
                tags: &it.categories,
            })
            .collect(),
    };
    serde_json::to_vec_pretty(&feed)
        .map(with_newline)
        .map_err(|e| e.to_string())
}

fn with_newline(mut bytes: Vec<u8>) -> Vec<u8> {
    bytes.push(b'\n');
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data() -> FeedData {
        let t = DateTime::parse_from_rfc3339("2026-11-20T12:00:00+01:00").unwrap();
        FeedData {
            title: "Site & <Co>".into(),
            description: "News".into(),
            home_url: "https://example.org/".into(),
            self_url: "https://example.org/feed.xml".into(),
            language: "en".into(),
            generator: "newsdigest".into(),
            updated: t,
            items: vec![FeedItem {
                title: "Tom & Jerry <script> \"quoted\" ]]> end".into(),
                url: "https://example.org/2026/11/20/tom/".into(),
                summary: "A < B & C".into(),
                published: t,
                author: Some("Ann".into()),
                categories: vec!["Port Aubrey".into()],
                content_html: None,
            }],
        }
    }

    #[test]
    fn rss_escapes_and_dates() {
        let x = String::from_utf8(rss(&data()).unwrap()).unwrap();
        assert!(
            x.contains(
                "<title>Tom &amp; Jerry &lt;script&gt; &quot;quoted&quot; ]]&gt; end</title>"
            ),
            "{x}"
        );
        assert!(x.contains("<pubDate>Fri, 20 Nov 2026 12:00:00 +0100</pubDate>"));
        assert!(x.contains("<dc:creator>Ann</dc:creator>"));
        assert!(
            x.contains("A &amp;lt; B &amp;amp; C") || x.contains("A &lt; B &amp; C"),
            "{x}"
        );
        assert!(!x.contains("<script>"));
    }

    #[test]
    fn atom_and_json_escape() {
        let x = String::from_utf8(atom(&data()).unwrap()).unwrap();
        assert!(x.contains("Tom &amp; Jerry &lt;script&gt;"), "{x}");
        assert!(x.contains("<updated>2026-11-20T12:00:00+01:00</updated>"));
        let j: serde_json::Value = serde_json::from_slice(&json_feed(&data()).unwrap()).unwrap();
        assert_eq!(
            j["items"][0]["title"],
            "Tom & Jerry <script> \"quoted\" ]]> end"
        );
        assert_eq!(j["items"][0]["date_published"], "2026-11-20T12:00:00+01:00");
        assert_eq!(j["version"], "https://jsonfeed.org/version/1.1");
        assert!(j["items"][0].get("content_html").is_none());
        assert!(!x.contains("<content"));
    }

    #[test]
    fn full_content_in_all_three_formats() {
        let mut f = data();
        let body = "<p>Tom &amp; Jerry</p><p>a ]]> b</p>";
        f.items[0].content_html = Some(body.into());
        let r = String::from_utf8(rss(&f).unwrap()).unwrap();
        assert!(r.contains("xmlns:content=\"http://purl.org/rss/1.0/modules/content/\""));
        let parsed = rss::Channel::read_from(r.as_bytes()).unwrap();
        assert_eq!(parsed.items[0].content.as_deref(), Some(body));
        let a = String::from_utf8(atom(&f).unwrap()).unwrap();
        let parsed = atom_syndication::Feed::read_from(a.as_bytes()).unwrap();
        let c = parsed.entries[0].content.as_ref().unwrap();
        assert_eq!(c.value.as_deref(), Some(body));
        assert_eq!(c.content_type.as_deref(), Some("html"));
        let j: serde_json::Value = serde_json::from_slice(&json_feed(&f).unwrap()).unwrap();
        assert_eq!(j["items"][0]["content_html"], body);
        assert_eq!(j["items"][0]["content_text"], "A < B & C");
    }
}
