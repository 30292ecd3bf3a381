//! Feeds, sitemaps and other machine-read files of a built site: they must parse (XML with
//! roxmltree, a strict conforming parser; JSON with serde_json), and the URLs they publish are
//! collected so `check` can prove each is absolute and points at a page that exists.

/// The URLs a machine-read file publishes, with what kind of file it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Published {
    /// `sitemap`, `sitemap index`, `RSS feed`, `Atom feed`, `JSON Feed`, `XML`, `JSON`,
    /// `robots.txt`.
    pub kind: &'static str,
    /// Entries (sitemap URLs, feed items).
    pub entries: usize,
    /// (where, URL): `<loc>`, `<item><link>`, `items[3].url`, ….
    pub urls: Vec<(String, String)>,
}

const SITEMAP_NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
const ATOM_NS: &str = "http://www.w3.org/2005/Atom";

/// Parses an XML file; `Err` carries the parser's message with line and column.
pub fn xml(bytes: &[u8]) -> Result<Published, String> {
    let text = std::str::from_utf8(bytes).map_err(|e| format!("not UTF-8: {e}"))?;
    let opts = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    let doc = roxmltree::Document::parse_with_options(text, opts).map_err(|e| e.to_string())?;
    let root = doc.root_element();
    let name = root.tag_name();
    let mut p = Published {
        kind: "XML",
        ..Default::default()
    };
    let text_of = |n: roxmltree::Node| n.text().unwrap_or("").trim().to_string();
    let in_ns = |n: &roxmltree::Node, ns: &str| {
        n.tag_name().namespace().is_none() || n.tag_name().namespace() == Some(ns)
    };
    match name.name() {
        "urlset" | "sitemapindex" if in_ns(&root, SITEMAP_NS) => {
            let (kind, entry) = if name.name() == "urlset" {
                ("sitemap", "url")
            } else {
                ("sitemap index", "sitemap")
            };
            p.kind = kind;
            for e in root
                .children()
                .filter(|c| c.is_element() && c.tag_name().name() == entry)
            {
                p.entries += 1;
                for loc in e
                    .children()
                    .filter(|c| c.is_element() && c.tag_name().name() == "loc")
                {
                    p.urls.push(("<loc>".into(), text_of(loc)));
                }
            }
        }
        "rss" => {
            p.kind = "RSS feed";
            for channel in root.children().filter(|c| c.has_tag_name("channel")) {
                for c in channel.children().filter(|c| c.is_element()) {
                    match c.tag_name().name() {
                        "link" if c.tag_name().namespace().is_none() => {
                            p.urls.push(("<channel><link>".into(), text_of(c)));
                        }
                        "link" if c.tag_name().namespace() == Some(ATOM_NS) => {
                            if let Some(h) = c.attribute("href") {
                                p.urls.push(("<atom:link href>".into(), h.into()));
                            }
                        }
                        "item" => {
                            p.entries += 1;
                            for f in c.children().filter(|f| f.is_element()) {
                                match f.tag_name().name() {
                                    "link" => p.urls.push(("<item><link>".into(), text_of(f))),
                                    "guid" if f.attribute("isPermaLink") != Some("false") => {
                                        p.urls.push(("<item><guid>".into(), text_of(f)));
                                    }
                                    "enclosure" => {
                                        if let Some(u) = f.attribute("url") {
                                            p.urls.push(("<enclosure url>".into(), u.into()));
                                        }
                                    }
                                    _ => {}
                                }
                            }
                        }
                        _ => {}
                    }
                }
            }
        }
        "feed" if root.tag_name().namespace() == Some(ATOM_NS) => {
            p.kind = "Atom feed";
            let links = |n: roxmltree::Node, at: &str, p: &mut Published| {
                for l in n
                    .children()
                    .filter(|c| c.is_element() && c.tag_name().name() == "link")
                {
                    if let Some(h) = l.attribute("href") {
                        p.urls.push((at.to_string(), h.into()));
                    }
                }
            };
            links(root, "<feed><link href>", &mut p);
            for e in root
                .children()
                .filter(|c| c.has_tag_name((ATOM_NS, "entry")))
            {
                p.entries += 1;
                links(e, "<entry><link href>", &mut p);
            }
        }
        _ => {}
    }
    Ok(p)
}

/// Parses a JSON file; a JSON Feed's URLs are collected.
pub fn json(bytes: &[u8]) -> Result<Published, String> {
    let v: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
    let mut p = Published {
        kind: "JSON",
        ..Default::default()
    };
    let is_feed = v
        .get("version")
        .and_then(|s| s.as_str())
        .is_some_and(|s| s.starts_with("https://jsonfeed.org/version/"));
    if !is_feed {
        return Ok(p);
    }
    p.kind = "JSON Feed";
    let mut url = |at: String, u: Option<&serde_json::Value>| {
        if let Some(u) = u.and_then(|u| u.as_str()) {
            p.urls.push((at, u.to_string()));
        }
    };
    for k in ["home_page_url", "feed_url", "icon", "favicon"] {
        url(k.to_string(), v.get(k));
    }
    let items = v.get("items").and_then(|i| i.as_array());
    for (i, item) in items.into_iter().flatten().enumerate() {
        for k in ["url", "external_url", "image", "banner_image"] {
            url(format!("items[{i}].{k}"), item.get(k));
        }
        let attachments = item.get("attachments").and_then(|a| a.as_array());
        for (j, a) in attachments.into_iter().flatten().enumerate() {
            url(format!("items[{i}].attachments[{j}].url"), a.get("url"));
        }
    }
    p.entries = items.map_or(0, Vec::len);
    Ok(p)
}

/// The `Sitemap:` lines of a `robots.txt`.
pub fn robots(bytes: &[u8]) -> Published {
    let text = String::from_utf8_lossy(bytes);
    let urls: Vec<(String, String)> = text
        .lines()
        .filter_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.trim()
                .eq_ignore_ascii_case("sitemap")
                .then(|| ("Sitemap:".to_string(), v.trim().to_string()))
        })
        .collect();
    Published {
        kind: "robots.txt",
        entries: urls.len(),
        urls,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sitemap_locs() {
        let p = xml(br#"<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>https://example.org/</loc><lastmod>2026-02-05</lastmod></url>
  <url><loc> https://example.org/a/ </loc></url>
</urlset>"#)
        .unwrap();
        assert_eq!(p.kind, "sitemap");
        assert_eq!(p.entries, 2);
        assert_eq!(p.urls[1].1, "https://example.org/a/");
    }

    #[test]
    fn rss_and_atom_links() {
        let rss = xml(
            br#"<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>
            <link>https://example.org/</link>
            <atom:link href="https://example.org/feed.xml" rel="self"/>
            <item><link>https://example.org/a/</link><guid isPermaLink="false">x1</guid></item>
            <item><link>/relative/</link><guid>https://example.org/b/</guid></item>
            </channel></rss>"#,
        )
        .unwrap();
        assert_eq!(rss.kind, "RSS feed");
        assert_eq!(rss.entries, 2);
        let urls: Vec<&str> = rss.urls.iter().map(|u| u.1.as_str()).collect();
        assert_eq!(
            urls,
            [
                "https://example.org/",
                "https://example.org/feed.xml",
                "https://example.org/a/",
                "/relative/",
                "https://example.org/b/"
            ]
        );
        let atom = xml(br#"<feed xmlns="http://www.w3.org/2005/Atom">
            <link href="https://example.org/"/><entry><link href="https://example.org/a/"/></entry>
            </feed>"#)
        .unwrap();
        assert_eq!(
            (atom.kind, atom.entries, atom.urls.len()),
            ("Atom feed", 1, 2)
        );
    }

    #[test]
    fn malformed_xml_names_the_position() {
        let e = xml(b"<rss><channel><item></channel></rss>").unwrap_err();
        assert!(e.contains("1:"), "{e}");
        assert!(xml(b"\xff\xfe").is_err());
    }

    #[test]
    fn json_feed_urls_and_plain_json() {
        let p = json(
            br#"{"version":"https://jsonfeed.org/version/1.1","title":"t",
            "home_page_url":"https://example.org/","feed_url":"https://example.org/feed.json",
            "items":[{"id":"1","url":"https://example.org/a/"}]}"#,
        )
        .unwrap();
        assert_eq!((p.kind, p.entries, p.urls.len()), ("JSON Feed", 1, 3));
        assert_eq!(json(b"[1,2]").unwrap().kind, "JSON");
        assert!(json(b"{\"a\":").is_err());
    }

    #[test]
    fn robots_sitemaps() {
        let p = robots(b"User-agent: *\nAllow: /\nSitemap: https://example.org/sitemap.xml\n");
        assert_eq!(
            p.urls,
            [("Sitemap:".into(), "https://example.org/sitemap.xml".into())]
        );
    }
}
