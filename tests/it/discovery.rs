//! Builds fixture sites and checks what makes a digest findable: feeds (parsed with feed-rs),
//! sitemaps and robots.txt (parsed with quick-xml), page metadata and JSON-LD (parsed with
//! serde_json), topic pages, pagination and the search index. Every link must resolve.

use crate::common::*;
use chrono::{DateTime, Utc};
use quick_xml::events::Event;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A title with every character that XML, HTML and JSON-in-script treat specially.
const HOSTILE: &str =
    "Tom & Jerry's \"Harbour\" <Deal> </script><script>alert(1)</script> ]]> done";

/// A temp site: `site.yaml` plus Markdown articles `(path under content/, text)`.
struct Site {
    _tmp: tempfile::TempDir,
    root: PathBuf,
    out: PathBuf,
    stderr: String,
}

fn build_site(yaml: &str, files: &[(&str, String)]) -> Site {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().to_path_buf();
    std::fs::write(root.join("site.yaml"), yaml).unwrap();
    for (path, text) in files {
        let p = root.join("content").join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    let o = newsdigest(&root, &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    Site {
        out: root.join("output"),
        root,
        stderr: stderr(&o),
        _tmp: tmp,
    }
}

/// Six articles over four days, with two recurring names and one tag.
fn fixture() -> Site {
    build_site(
        "title: Port & Harbour <Times>\n\
         description: News of the \"port\".\n\
         base_url: https://example.org/news/\n\
         timezone: Europe/Berlin\n\
         per_page: 2\n\
         feed_items: 4\n\
         topics:\n  min_articles: 2\n",
        &[
            (
                "2026-03-04/a.md",
                md(
                    HOSTILE,
                    "rank: 0\nauthor: Ann O'Hara\nsource: Port Times\ntags: [ports]\n",
                    "Work on the Harbour Bridge starts today, the council said.",
                ),
            ),
            (
                "2026-03-04/b.md",
                md(
                    "Second Story",
                    // The same works as a's story; kept out of it so the day lists three
                    // stories over two pages.
                    "rank: 1\nstory: none\n",
                    "Traffic near the Harbour Bridge will be diverted for a week.",
                ),
            ),
            (
                "2026-03-04/c.md",
                md(
                    "Third Story",
                    "rank: 2\n",
                    "Water is rising again in Lindmark, officials warned.",
                ),
            ),
            (
                "2026-03-03/d.md",
                md(
                    "Bridge Plans Approved",
                    "",
                    "The plan for the Harbour Bridge passed. Residents of Lindmark objected.",
                ),
            ),
            (
                "2026-03-02/e.md",
                md(
                    "Floods Again",
                    "",
                    "Heavy rain flooded Lindmark for the second time this year.",
                ),
            ),
            (
                "2026-03-01/f.md",
                md("Quiet Day", "", "Nothing much happened anywhere at all."),
            ),
        ],
    )
}

/// `slug -> url` of the fixture's articles, from the built files.
fn article_urls(out: &Path) -> BTreeMap<String, String> {
    files(out)
        .into_iter()
        .filter(|f| {
            f.matches('/').count() == 4 && f.ends_with("/index.html") && !f.contains("/page/")
        })
        .map(|f| {
            let dir = f.trim_end_matches("index.html").to_string();
            let slug = dir
                .trim_end_matches('/')
                .rsplit('/')
                .next()
                .unwrap()
                .to_string();
            (slug, format!("https://example.org/news/{dir}"))
        })
        .collect()
}

fn parse_feed(path: &Path) -> feed_rs::model::Feed {
    let bytes = std::fs::read(path).unwrap();
    feed_rs::parser::parse(&bytes[..]).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

#[test]
fn site_feeds_parse_in_all_three_formats() {
    let site = fixture();
    let urls = article_urls(&site.out);
    let hostile_url = urls
        .iter()
        .find(|(slug, _)| slug.starts_with("tom-jerrys"))
        .map(|(_, u)| u.clone())
        .unwrap();
    for (file, kind) in [
        ("feed.xml", feed_rs::model::FeedType::RSS2),
        ("atom.xml", feed_rs::model::FeedType::Atom),
        ("feed.json", feed_rs::model::FeedType::JSON),
    ] {
        let f = parse_feed(&site.out.join(file));
        assert_eq!(f.feed_type, kind, "{file}");
        assert_eq!(
            f.title.as_ref().unwrap().content,
            "Port & Harbour <Times>",
            "{file}"
        );
        // feed_items: 4 newest articles, newest day first, by rank.
        let titles: Vec<_> = f
            .entries
            .iter()
            .map(|e| e.title.as_ref().unwrap().content.clone())
            .collect();
        assert_eq!(
            titles,
            [
                HOSTILE,
                "Second Story",
                "Third Story",
                "Bridge Plans Approved"
            ],
            "{file}"
        );
        let first = &f.entries[0];
        assert_eq!(first.links[0].href, hostile_url, "{file}");
        // 12:00 Berlin on the day, one minute earlier per rank.
        assert_eq!(
            first.published,
            Some(utc("2026-03-04T12:00:00+01:00")),
            "{file}"
        );
        assert_eq!(
            f.entries[1].published,
            Some(utc("2026-03-04T11:59:00+01:00")),
            "{file}"
        );
        assert_eq!(
            f.entries[3].published,
            Some(utc("2026-03-03T12:00:00+01:00")),
            "{file}"
        );
        assert!(
            f.entries
                .iter()
                .all(|e| e.links[0].href.starts_with("https://example.org/news/")),
            "{file}: absolute URLs"
        );
        let summary = first.summary.as_ref().unwrap().content.clone();
        assert!(summary.contains("Harbour Bridge"), "{file}: {summary}");
    }
    // The dates as written: RFC 822 in RSS, RFC 3339 in Atom and JSON Feed.
    let rss = read(&site.out.join("feed.xml"));
    assert!(
        rss.contains("<pubDate>Wed, 4 Mar 2026 12:00:00 +0100</pubDate>"),
        "{rss}"
    );
    assert!(
        rss.contains("<dc:creator>Ann O&apos;Hara</dc:creator>")
            || rss.contains("<dc:creator>Ann O'Hara</dc:creator>")
    );
    assert!(
        read(&site.out.join("atom.xml"))
            .contains("<published>2026-03-04T12:00:00+01:00</published>")
    );
    let json: serde_json::Value = serde_json::from_str(&read(&site.out.join("feed.json"))).unwrap();
    assert_eq!(json["version"], "https://jsonfeed.org/version/1.1");
    assert_eq!(json["feed_url"], "https://example.org/news/feed.json");
    assert_eq!(json["items"][0]["title"], HOSTILE);
    assert_eq!(json["items"][0]["authors"][0]["name"], "Ann O'Hara");
    assert_eq!(
        json["items"][0]["date_published"],
        "2026-03-04T12:00:00+01:00"
    );
}

#[test]
fn day_and_topic_feeds_follow_one_day_or_topic() {
    let site = fixture();
    let day = parse_feed(&site.out.join("2026/03/04/feed.xml"));
    let titles: Vec<_> = day
        .entries
        .iter()
        .map(|e| e.title.as_ref().unwrap().content.as_str())
        .collect();
    assert_eq!(titles, [HOSTILE, "Second Story", "Third Story"]);
    let topic = parse_feed(&site.out.join("topics/harbour-bridge/feed.xml"));
    let titles: Vec<_> = topic
        .entries
        .iter()
        .map(|e| e.title.as_ref().unwrap().content.as_str())
        .collect();
    assert_eq!(titles, [HOSTILE, "Second Story", "Bridge Plans Approved"]);
    let tag = parse_feed(&site.out.join("topics/ports/feed.xml"));
    assert_eq!(tag.entries.len(), 1);
    // Each listing page points at its own feed.
    let day_page = read(&site.out.join("2026/03/04/index.html"));
    assert!(day_page.contains(
        "<link rel=\"alternate\" type=\"application/rss+xml\" title=\"Port &amp; Harbour &lt;Times&gt;: Wednesday 4 March 2026\" href=\"/news/2026/03/04/feed.xml\">"
    ));
    let topic_page = read(&site.out.join("topics/lindmark/index.html"));
    assert!(topic_page.contains("href=\"/news/topics/lindmark/feed.xml\""));
}

#[test]
fn every_html_page_has_feed_discovery_canonical_and_social_tags() {
    let site = fixture();
    let pages: Vec<_> = files(&site.out)
        .into_iter()
        .filter(|f| f.ends_with(".html"))
        .collect();
    assert!(pages.len() > 15);
    for f in &pages {
        let html = read(&site.out.join(f));
        let head = &html[..pos(&html, "</head>")];
        for needle in [
            "<link rel=\"alternate\" type=\"application/rss+xml\" title=\"Port &amp; Harbour &lt;Times&gt; (RSS)\" href=\"/news/feed.xml\">",
            "type=\"application/atom+xml\"",
            "type=\"application/feed+json\"",
            "<link rel=\"canonical\" href=\"https://example.org/news/",
            "<meta property=\"og:title\" content=\"",
            "<meta property=\"og:url\" content=\"https://example.org/news/",
            "<meta name=\"twitter:card\" content=\"summary\">",
            "<meta name=\"description\" content=\"",
        ] {
            assert!(head.contains(needle), "{f}: no {needle}");
        }
        assert_eq!(head.matches("<title>").count(), 1, "{f}");
    }
    let article = read(&site.out.join(article_path(&site.out, "tom-jerrys")));
    // The hostile title is escaped in <title> and in attributes.
    assert!(article.contains(
        "<title>Tom &amp; Jerry&#39;s &quot;Harbour&quot; &lt;Deal&gt; &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; ]]&gt; done · Port &amp; Harbour &lt;Times&gt;</title>"
    ), "{article}");
    assert!(article.contains("<meta property=\"og:type\" content=\"article\">"));
    assert!(article.contains(
        "<meta property=\"article:published_time\" content=\"2026-03-04T12:00:00+01:00\">"
    ));
    assert!(article.contains("<meta property=\"article:tag\" content=\"Harbour Bridge\">"));
    assert!(article.contains("<meta name=\"description\" content=\"Work on the Harbour Bridge starts today, the council said.\">"));
    assert!(!article.contains("<script>alert(1)"));
    let search = read(&site.out.join("search/index.html"));
    assert!(search.contains("<meta name=\"robots\" content=\"noindex\">"));
}

fn article_path(out: &Path, slug_prefix: &str) -> String {
    files(out)
        .into_iter()
        .find(|f| {
            f.ends_with("/index.html")
                && f.split('/')
                    .nth(3)
                    .is_some_and(|s| s.starts_with(slug_prefix))
        })
        .unwrap_or_else(|| panic!("no article {slug_prefix}"))
}

/// The JSON-LD blocks of a page, parsed.
fn json_ld(html: &str) -> Vec<serde_json::Value> {
    let open = "<script type=\"application/ld+json\">";
    html.match_indices(open)
        .map(|(i, _)| {
            let rest = &html[i + open.len()..];
            let end = rest.find("</script>").expect("closed script");
            serde_json::from_str(&rest[..end])
                .unwrap_or_else(|e| panic!("bad JSON-LD {e}: {}", &rest[..end]))
        })
        .collect()
}

#[test]
fn json_ld_is_news_article_and_survives_a_script_closing_title() {
    let site = fixture();
    let html = read(&site.out.join(article_path(&site.out, "tom-jerrys")));
    let blocks = json_ld(&html);
    assert_eq!(blocks.len(), 1);
    let a = &blocks[0];
    assert_eq!(a["@context"], "https://schema.org");
    assert_eq!(a["@type"], "NewsArticle");
    assert_eq!(a["headline"], HOSTILE);
    assert_eq!(a["datePublished"], "2026-03-04T12:00:00+01:00");
    assert_eq!(a["dateModified"], "2026-03-04T12:00:00+01:00");
    assert_eq!(a["author"][0]["name"], "Ann O'Hara");
    // The site publishes the digest; the front matter's source is where the story came from.
    assert_eq!(a["publisher"]["name"], "Port & Harbour <Times>");
    assert_eq!(a["sourceOrganization"]["name"], "Port Times");
    assert_eq!(a["keywords"][0], "Ports");
    assert!(
        a["url"]
            .as_str()
            .unwrap()
            .starts_with("https://example.org/news/2026/03/04/tom-jerrys")
    );
    // Exactly one script element was opened and closed by the block: the title's
    // "</script>" is inside the JSON as \u003c/script\u003e.
    let scripts = html.matches("<script").count();
    assert_eq!(scripts, 1, "{html}");
    // Without an author or source, the site is still the publisher and there is no author.
    let b = &json_ld(&read(
        &site.out.join(article_path(&site.out, "second-story")),
    ))[0];
    assert!(b.get("author").is_none());
    assert_eq!(b["publisher"]["name"], "Port & Harbour <Times>");
    // The front page describes the site and its search.
    let front = &json_ld(&read(&site.out.join("index.html")))[0];
    assert_eq!(front["@type"], "WebSite");
    assert_eq!(
        front["potentialAction"]["target"]["urlTemplate"],
        "https://example.org/news/search/?q={search_term_string}"
    );
}

/// Root element, its namespace declarations and the text of every `<loc>`.
fn sitemap_locs(path: &Path) -> (String, BTreeMap<String, String>, Vec<String>) {
    let xml = read(path);
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut root = None;
    let mut ns = BTreeMap::new();
    let mut locs = Vec::new();
    let mut in_loc = false;
    loop {
        match reader
            .read_event()
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        {
            Event::Start(e) => {
                let name = String::from_utf8(e.name().as_ref().to_vec()).unwrap();
                if root.is_none() {
                    for a in e.attributes() {
                        let a = a.unwrap();
                        ns.insert(
                            String::from_utf8(a.key.as_ref().to_vec()).unwrap(),
                            String::from_utf8(a.value.to_vec()).unwrap(),
                        );
                    }
                    root = Some(name.clone());
                }
                in_loc = name == "loc";
            }
            Event::Text(t) if in_loc => locs.push(t.decode().unwrap().into_owned()),
            Event::End(_) => in_loc = false,
            Event::Eof => break,
            _ => {}
        }
    }
    (root.unwrap(), ns, locs)
}

/// The output file a URL under `https://example.org/news/` points at.
fn file_of(out: &Path, url: &str) -> PathBuf {
    let rel = url
        .strip_prefix("https://example.org/news/")
        .unwrap_or_else(|| panic!("{url}"));
    if rel.is_empty() || rel.ends_with('/') {
        out.join(rel).join("index.html")
    } else {
        out.join(rel)
    }
}

#[test]
fn sitemap_lists_every_indexable_page_and_news_sitemap_the_last_48_hours() {
    let site = fixture();
    let (root, ns, locs) = sitemap_locs(&site.out.join("sitemap.xml"));
    assert_eq!(root, "urlset");
    assert_eq!(ns["xmlns"], "http://www.sitemaps.org/schemas/sitemap/0.9");
    let html: BTreeSet<_> = files(&site.out)
        .into_iter()
        .filter(|f| f.ends_with("index.html") && f != "search/index.html")
        .collect();
    assert_eq!(locs.len(), html.len(), "{locs:#?}");
    for l in &locs {
        assert!(file_of(&site.out, l).is_file(), "{l}");
    }
    let unique: BTreeSet<_> = locs.iter().collect();
    assert_eq!(unique.len(), locs.len());
    let xml = read(&site.out.join("sitemap.xml"));
    assert!(xml.contains("<lastmod>2026-03-04</lastmod>"));

    let (root, ns, news) = sitemap_locs(&site.out.join("news-sitemap.xml"));
    assert_eq!(root, "urlset");
    assert_eq!(
        ns["xmlns:news"],
        "http://www.google.com/schemas/sitemap-news/0.9"
    );
    // Newest article: 4 March 12:00. The window keeps 4 March and 3 March; 2 March 12:00
    // is exactly 48 hours earlier and out.
    let urls = article_urls(&site.out);
    let expect: Vec<_> = [
        "tom-jerrys",
        "second-story",
        "third-story",
        "bridge-plans-approved",
    ]
    .iter()
    .map(|p| {
        urls.iter()
            .find(|(s, _)| s.starts_with(p))
            .unwrap()
            .1
            .clone()
    })
    .collect();
    assert_eq!(news, expect);
    let news_xml = read(&site.out.join("news-sitemap.xml"));
    assert!(news_xml.contains("<news:name>Port &amp; Harbour &lt;Times&gt;</news:name>"));
    assert!(news_xml.contains("<news:language>en</news:language>"));
    assert!(
        news_xml
            .contains("<news:publication_date>2026-03-04T12:00:00+01:00</news:publication_date>")
    );
    assert!(news_xml.contains("<news:title>Tom &amp; Jerry"));

    let robots = read(&site.out.join("robots.txt"));
    assert!(robots.contains("User-agent: *\n"));
    assert!(robots.contains("Sitemap: https://example.org/news/sitemap.xml\n"));
    assert!(robots.contains("Sitemap: https://example.org/news/news-sitemap.xml\n"));
}

#[test]
fn topic_pages_list_the_right_articles_newest_first() {
    let site = fixture();
    let index = read(&site.out.join("topics/index.html"));
    for (name, url, count) in [
        ("Harbour Bridge", "/news/topics/harbour-bridge/", 3),
        ("Lindmark", "/news/topics/lindmark/", 3),
        ("Ports", "/news/topics/ports/", 1),
    ] {
        let entry = format!("<a class=\"topic-name\" href=\"{url}\" dir=\"auto\">{name}</a>");
        let at = pos(&index, &entry);
        let count_text = format!("{count} article");
        assert!(index[at..at + 200].contains(&count_text), "{name}");
    }
    // min_articles 2: names seen in one article only are no topics.
    assert!(!index.contains("Council"));
    let urls = article_urls(&site.out);
    let url_of = |p: &str| {
        urls.iter()
            .find(|(s, _)| s.starts_with(p))
            .unwrap()
            .1
            .replace("https://example.org", "")
    };
    // per_page 2: Lindmark's three articles span two pages, newest first.
    let p1 = read(&site.out.join("topics/lindmark/index.html"));
    let p2 = read(&site.out.join("topics/lindmark/page/2/index.html"));
    let (c, d, e) = (
        url_of("third-story"),
        url_of("bridge-plans"),
        url_of("floods-again"),
    );
    assert!(pos(&p1, &c) < pos(&p1, &d));
    assert!(p2.contains(&e) && !p1.contains(&format!("href=\"{e}\"")));
    assert!(!p1.contains(&url_of("second-story")));
    // The article lists its topics, tags first, linked.
    let a = read(&site.out.join(article_path(&site.out, "tom-jerrys")));
    let ports = pos(&a, "href=\"/news/topics/ports/\"");
    let bridge = pos(&a, "href=\"/news/topics/harbour-bridge/\"");
    assert!(ports < bridge);
}

#[test]
fn listings_paginate_with_prev_next_and_no_page_one() {
    let site = fixture();
    let f = files(&site.out);
    for listing in ["", "2026/03/04/", "archive/", "topics/harbour-bridge/"] {
        assert!(f.contains(&format!("{listing}index.html")), "{listing}");
        assert!(
            f.contains(&format!("{listing}page/2/index.html")),
            "{listing}"
        );
        assert!(
            !f.contains(&format!("{listing}page/3/index.html")),
            "{listing}"
        );
        assert!(
            !f.contains(&format!("{listing}page/1/index.html")),
            "{listing}"
        );
        let first = read(&site.out.join(format!("{listing}index.html")));
        let second = read(&site.out.join(format!("{listing}page/2/index.html")));
        let next = format!("<link rel=\"next\" href=\"/news/{listing}page/2/\">");
        let prev = format!("<link rel=\"prev\" href=\"/news/{listing}\">");
        assert!(first.contains(&next), "{listing}: {first}");
        assert!(!first.contains("<link rel=\"prev\""), "{listing}");
        assert!(second.contains(&prev), "{listing}");
        assert!(!second.contains("<link rel=\"next\""), "{listing}");
        assert!(first.contains(&format!("href=\"/news/{listing}page/2/\" rel=\"next\"")));
        assert!(second.contains(&format!("href=\"/news/{listing}\" rel=\"prev\"")));
        assert!(second.contains("aria-current=\"page\">2</a>"));
        // Later pages have their own title and canonical URL.
        assert!(second.contains(", page 2 · "), "{listing}");
        assert!(second.contains(&format!(
            "<link rel=\"canonical\" href=\"https://example.org/news/{listing}page/2/\">"
        )));
    }
    // A day's pages together list each of its articles exactly once.
    let urls = article_urls(&site.out);
    let day: Vec<_> = urls
        .values()
        .filter(|u| u.contains("/2026/03/04/"))
        .collect();
    let pages = [
        read(&site.out.join("2026/03/04/index.html")),
        read(&site.out.join("2026/03/04/page/2/index.html")),
    ];
    for u in day {
        let path = u.replace("https://example.org", "");
        let href = format!("<h3 class=\"story-title\" dir=\"auto\"><a href=\"{path}\">");
        let lead = format!("<h2 class=\"story-title\" dir=\"auto\"><a href=\"{path}\">");
        // "Top stories" after the first (digest intelligence).
        let briefing = format!("<h3 class=\"briefing-title\" dir=\"auto\"><a href=\"{path}\">");
        let n: usize = pages
            .iter()
            .map(|p| {
                p.matches(&href).count() + p.matches(&lead).count() + p.matches(&briefing).count()
            })
            .sum();
        assert_eq!(n, 1, "{path}");
    }
    let broken = broken_links(&site.out, "/news/");
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn search_index_is_compact_and_every_entry_resolves() {
    let site = fixture();
    let v: serde_json::Value =
        serde_json::from_str(&read(&site.out.join("search-index.json"))).unwrap();
    assert_eq!(v["version"], 1);
    assert_eq!(v["base"], "/news/");
    let docs = v["docs"].as_array().unwrap();
    assert_eq!(docs.len(), 6);
    assert_eq!(docs[0][0], HOSTILE);
    let topics = v["topics"].as_array().unwrap();
    let days = v["days"].as_array().unwrap();
    for d in docs {
        let day = days[d[2].as_u64().unwrap() as usize].as_str().unwrap();
        let url = format!(
            "/news/{}/{}/",
            day.replace('-', "/"),
            d[3].as_str().unwrap()
        );
        assert!(
            site.out
                .join(url.trim_start_matches("/news/"))
                .join("index.html")
                .is_file(),
            "{url}"
        );
        for t in d[4].as_array().unwrap() {
            assert!(topics.get(t.as_u64().unwrap() as usize).is_some());
        }
    }
    // The search page loads the index and the script, and works without a query.
    let page = read(&site.out.join("search/index.html"));
    assert!(page.contains("data-index=\"/news/search-index.json\""));
    assert!(page.contains("<script src=\"/news/static/search.js\" defer></script>"));
    assert!(site.out.join("static/search.js").is_file());
    // The build summary reports the index size per article.
    let bytes = std::fs::metadata(site.out.join("search-index.json"))
        .unwrap()
        .len();
    let per = (bytes as f64 / 6.0).round() as u64;
    assert!(
        site.stderr.contains(&format!("({per} bytes per article)")),
        "{}",
        site.stderr
    );
    assert!(
        site.stderr.contains("Discovery: 3 topics, "),
        "{}",
        site.stderr
    );
    let _ = &site.root;
}

#[test]
fn sample_site_discovery_files_are_valid() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("output");
    build_sample(&out, &[]);
    for f in ["feed.xml", "atom.xml", "feed.json"] {
        let feed = parse_feed(&out.join(f));
        assert_eq!(feed.entries.len(), 20, "{f}");
    }
    let topics = files(&out)
        .into_iter()
        .filter(|f| f.starts_with("topics/") && f.ends_with("/feed.xml"))
        .count();
    assert!(topics >= 10, "only {topics} topic feeds");
    for f in files(&out).into_iter().filter(|f| f.ends_with("feed.xml")) {
        parse_feed(&out.join(f));
    }
    let (_, _, locs) = sitemap_locs(&out.join("sitemap.xml"));
    assert!(locs.len() > 40);
    // Topics include recurring names and the tags, never stop words or titles alone.
    let index = read(&out.join("topics/index.html"));
    for t in ["Teodor Vance", "Storm Elske", "Port Aubrey", "Rural League"] {
        assert!(index.contains(&format!(">{t}</a>")), "{t}");
    }
    for t in ["The", "Monday", "Thursday", "Prime Minister", "President"] {
        assert!(!index.contains(&format!(">{t}</a>")), "{t}");
    }
    assert!(broken_links(&out, "/").is_empty());
}
