//! Builds a fixture site whose articles come from several source sites (named in front
//! matter, by URL or by name, and by folder) and checks what the digest shows of them: the
//! sources index, each site's paginated page and feed, the sitemap, the navigation, the
//! article byline, and the build report's `sites`, `site` and `dropped`.

use crate::common::*;
use std::path::PathBuf;

/// A site name with every character HTML treats specially.
const HOSTILE: &str = "Tom & Jerry's <News>";

struct Site {
    _tmp: tempfile::TempDir,
    out: PathBuf,
    report: serde_json::Value,
}

/// A dump of the Harbour Herald: a body, then its list introduced by a label line.
fn herald_dump(body: &str) -> String {
    format!(
        "{body}\n\nMore headlines\nFerry Timetable Changes From Monday\nHarbour Museum Opens New Wing\nLocal Team Wins Cup Final\n"
    )
}

/// Seven articles: two from `porttimes.example` (once as a URL, once by name), three from the
/// `harbour-herald` folder over three days, one from a site with a hostile name, one with no
/// site at all.
fn fixture() -> Site {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().to_path_buf();
    std::fs::write(
        root.join("site.yaml"),
        "title: Harbour Digest\nbase_url: https://example.org/news/\nper_page: 2\n",
    )
    .unwrap();
    write_content(
        &root,
        "2026-03-04/a.md",
        &md(
            "Bridge Works Begin",
            "rank: 0\nsource: https://www.porttimes.example/story/1\n",
            "Work on the bridge starts today, the council said.",
        ),
    );
    write_content(
        &root,
        "2026-03-02/b.md",
        &md(
            "Council Meets Late",
            "rank: 0\nsource: porttimes.example\n",
            "The council met until midnight to agree the budget.",
        ),
    );
    write_content(
        &root,
        "harbour-herald/2026-03-04/000_aaaaaaaaaaaa0001.txt",
        &herald_dump("Ferries run late as the storm closes the outer channel for a day."),
    );
    write_content(
        &root,
        "harbour-herald/2026-03-03/000_aaaaaaaaaaaa0002.txt",
        &herald_dump("Fishermen protest new quotas in front of the harbour office."),
    );
    write_content(
        &root,
        "harbour-herald/2026-03-01/000_aaaaaaaaaaaa0003.txt",
        &herald_dump("The lighthouse keeper retires after forty years on the rock."),
    );
    write_content(
        &root,
        "2026-03-03/c.md",
        &md(
            "Cartoon Festival Opens",
            &format!("rank: 1\nsource: \"{HOSTILE}\"\n"),
            "The cartoon festival opened with a parade through the old town.",
        ),
    );
    write_content(
        &root,
        "2026-03-01/d.md",
        &md(
            "Weather Turns Mild",
            "rank: 1\n",
            "A mild week is forecast after the storm.",
        ),
    );
    let report = build_site(&root, &[]);
    Site {
        out: root.join("output"),
        report,
        _tmp: tmp,
    }
}

/// The file record of `path` in the report.
fn record<'a>(report: &'a serde_json::Value, path: &str) -> &'a serde_json::Value {
    report["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == path)
        .unwrap_or_else(|| panic!("{path} not in the report"))
}

#[test]
fn sources_index_lists_every_site_with_its_count_and_page() {
    let s = fixture();
    let html = read(&s.out.join("sources/index.html"));
    // Most articles first: the Herald (3), then porttimes.example (2), then the hostile one.
    let herald = pos(
        &html,
        r#"<a class="topic-name source-name" href="/news/sources/harbour-herald/" dir="auto">harbour-herald</a>"#,
    );
    let times = pos(
        &html,
        r#"href="/news/sources/porttimesexample/" dir="auto">porttimes.example</a>"#,
    );
    let hostile = pos(&html, "Tom &amp; Jerry&#39;s &lt;News&gt;</a>");
    assert!(
        herald < times && times < hostile,
        "order: {herald} {times} {hostile}"
    );
    assert!(!html.contains("<News>"), "site name not escaped");
    assert!(html.contains("3 articles") && html.contains("2 articles"));
    assert!(html.contains("1 article<"));
    assert!(html.contains("3 sites"), "{html}");
    assert!(html.contains(r#"<title>Sources · Harbour Digest</title>"#));
    assert!(html.contains(r#"href="/news/sources/" aria-current="page">Sources</a>"#));
    let broken = broken_links(&s.out, "/news/");
    assert!(broken.is_empty(), "{broken:?}");
}

#[test]
fn a_site_page_lists_its_articles_newest_first_paginated_with_its_feed() {
    let s = fixture();
    let page1 = read(&s.out.join("sources/harbour-herald/index.html"));
    let page2 = read(&s.out.join("sources/harbour-herald/page/2/index.html"));
    assert!(page1.contains("<h1 class=\"page-title\" dir=\"auto\">harbour-herald</h1>"));
    assert!(page1.contains("3 articles, newest first · page 1 of 2."));
    // Newest first: 4 March, then 3 March on page 1; 1 March on page 2.
    let d4 = pos(&page1, r#"datetime="2026-03-04""#);
    let d3 = pos(&page1, r#"datetime="2026-03-03""#);
    assert!(d4 < d3);
    assert!(!page1.contains(r#"datetime="2026-03-01""#));
    assert!(page2.contains(r#"datetime="2026-03-01""#));
    assert!(page2.contains("<title>harbour-herald, page 2 · Harbour Digest</title>"));
    assert!(page1.contains(r#"<link rel="next" href="/news/sources/harbour-herald/page/2/">"#));
    assert!(page2.contains(r#"<link rel="prev" href="/news/sources/harbour-herald/">"#));
    // Only the Herald's stories.
    assert!(!page1.contains("Bridge Works Begin") && !page2.contains("Bridge Works Begin"));
    assert!(page1.contains(r#"aria-current="page">Sources</a>"#));

    let feed_link = r#"href="/news/sources/harbour-herald/feed.xml""#;
    assert!(page1.contains(&format!(
        r#"<a {feed_link} type="application/rss+xml">Follow this source"#
    )));
    assert!(page1.contains(&format!(
        r#"<link rel="alternate" type="application/rss+xml" title="Harbour Digest: harbour-herald" {feed_link}>"#
    )));
    let bytes = std::fs::read(s.out.join("sources/harbour-herald/feed.xml")).unwrap();
    let feed = feed_rs::parser::parse(&bytes[..]).unwrap();
    assert_eq!(
        feed.title.map(|t| t.content).as_deref(),
        Some("Harbour Digest: harbour-herald")
    );
    assert_eq!(feed.entries.len(), 3);
    let days: Vec<String> = feed
        .entries
        .iter()
        .map(|e| e.links[0].href.clone())
        .map(|u| u["https://example.org/news/".len()..][..10].to_string())
        .collect();
    assert_eq!(days, ["2026/03/04", "2026/03/03", "2026/03/01"]);
    for e in &feed.entries {
        let path = &e.links[0].href["https://example.org/news/".len()..];
        assert!(s.out.join(path).join("index.html").is_file(), "{path}");
    }
}

#[test]
fn site_pages_are_in_the_sitemap_and_every_page_links_sources() {
    let s = fixture();
    let sitemap = read(&s.out.join("sitemap.xml"));
    for loc in [
        "https://example.org/news/sources/",
        "https://example.org/news/sources/harbour-herald/",
        "https://example.org/news/sources/harbour-herald/page/2/",
        "https://example.org/news/sources/porttimesexample/",
    ] {
        assert!(sitemap.contains(&format!("<loc>{loc}</loc>")), "{loc}");
    }
    // Feeds are not pages: they are not listed.
    assert!(!sitemap.contains("sources/harbour-herald/feed.xml"));
    for f in files(&s.out).iter().filter(|f| f.ends_with(".html")) {
        let html = read(&s.out.join(f));
        assert!(
            html.contains(r#"<a href="/news/sources/">Sources</a>"#)
                || html.contains(r#"<a href="/news/sources/" aria-current="page">Sources</a>"#),
            "{f} does not link Sources"
        );
    }
}

#[test]
fn the_article_names_its_site_and_keeps_the_external_source_link() {
    let s = fixture();
    let url_source = read(&s.out.join("2026/03/04/bridge-works-begin/index.html"));
    assert!(url_source.contains(
        r#"<a class="byline-site" href="/news/sources/porttimesexample/">porttimes.example</a> · <a href="https://www.porttimes.example/story/1" rel="external">https://www.porttimes.example/story/1</a>"#
    ), "{url_source}");
    // A source given by the site's name is not repeated beside it.
    let named = read(&s.out.join("2026/03/02/council-meets-late/index.html"));
    assert!(
        named.contains(
            r#"<a class="byline-site" href="/news/sources/porttimesexample/">porttimes.example</a>
        </span>"#
        ),
        "{named}"
    );
    let hostile = read(&s.out.join("2026/03/03/cartoon-festival-opens/index.html"));
    assert!(hostile.contains(">Tom &amp; Jerry&#39;s &lt;News&gt;</a>"));
    let no_site = read(&s.out.join("2026/03/01/weather-turns-mild/index.html"));
    assert!(!no_site.contains("byline-site") && !no_site.contains("byline-source"));
}

#[test]
fn the_report_names_sites_and_dropped_lines() {
    let s = fixture();
    let r = &s.report;
    let sites: Vec<(String, String, String, u64)> = r["sites"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["name"].as_str().unwrap().to_string(),
                s["slug"].as_str().unwrap().to_string(),
                s["origin"].as_str().unwrap().to_string(),
                s["articles"].as_u64().unwrap(),
            )
        })
        .collect();
    let expect = |name: &str, slug: &str, origin: &str, n: u64| {
        assert!(
            sites.contains(&(name.into(), slug.into(), origin.into(), n)),
            "{name}: {sites:?}"
        )
    };
    expect("porttimes.example", "porttimesexample", "front-matter", 2);
    expect("harbour-herald", "harbour-herald", "folder", 3);
    expect(HOSTILE, "tom-jerrys-news", "front-matter", 1);
    assert_eq!(sites.len(), 3);

    let herald = record(r, "harbour-herald/2026-03-04/000_aaaaaaaaaaaa0001.txt");
    assert_eq!(herald["site"], "harbour-herald");
    assert_eq!(
        herald["dropped"],
        serde_json::json!([{ "reason": "list-label", "lines": 1 }])
    );
    let a = record(r, "2026-03-04/a.md");
    assert_eq!(a["site"], "porttimes.example");
    assert!(a.get("dropped").is_none(), "{a}");
    let d = record(r, "2026-03-01/d.md");
    assert!(d.get("site").is_none() && d.get("dropped").is_none(), "{d}");
}

/// Nine dumps whose lists sample a big archive: every two lists share exactly one headline,
/// so no pair ever shares the two lines the pairwise rule needs. They are one site, with one
/// page under `sources/`, and its lists name none of its articles.
#[test]
fn dumps_whose_lists_share_one_line_at_a_time_are_one_site() {
    const WORDS: [&str; 9] = [
        "Harbour", "Council", "Ferry", "Market", "Museum", "Stadium", "Bridge", "School", "Clinic",
    ];
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::write(root.join("site.yaml"), "base_url: https://example.org/\n").unwrap();
    for i in 0..WORDS.len() {
        let list: Vec<String> = (0..WORDS.len())
            .filter(|&j| j != i)
            .map(|j| format!("{} and {} agree on plans", WORDS[i.min(j)], WORDS[i.max(j)]))
            .collect();
        write_content(
            root,
            &format!("2026-03-0{}/00{}_aaaaaaaaaaaa000{i}.txt", 1 + i % 3, i % 3),
            &format!(
                "The {} story number {i} ran long into the evening, officials said.\n\n{}\n",
                WORDS[i].to_lowercase(),
                list.join("\n")
            ),
        );
    }
    let report = build_site(root, &["--quiet"]);
    let sites = report["sites"].as_array().unwrap();
    assert_eq!(sites.len(), 1, "{sites:?}");
    assert_eq!(sites[0]["origin"], "inferred");
    assert_eq!(sites[0]["articles"], 9);
    assert_eq!(report["titles"]["headline_list"], 0);
    let pages: Vec<String> = files(&root.join("output"))
        .into_iter()
        .filter(|f| f.starts_with("sources/") && f.ends_with("/index.html"))
        .collect();
    assert_eq!(pages, ["sources/index.html", "sources/source-1/index.html"]);
}

/// Dumps of one inferred site: each dump carries the site's list (so the dumps are one
/// site) and a body of its own; `vocabulary` keeps one site's texts apart from another's.
fn site_dumps(
    root: &std::path::Path,
    site: &str,
    days: &[&str],
    names: &[&str],
    vocabulary: &[&str],
) {
    for (d, day) in days.iter().enumerate() {
        for (k, name) in names.iter().enumerate() {
            let list: Vec<String> = names
                .iter()
                .map(|n| format!("{n} Council Backs {site} Plan"))
                .collect();
            let words = |from: usize| -> String {
                (0..12)
                    .map(|w| vocabulary[(from + w * (d + 2) + k) % vocabulary.len()])
                    .collect::<Vec<_>>()
                    .join(" ")
            };
            write_content(
                root,
                &format!("{day}/00{k}_{site}{d}{k}.txt"),
                &format!(
                    "{name} spoke on {day}: {} today.\n\nLater {name} added {} again.\n\n{}\n",
                    words(d * 7 + k),
                    words(d * 3 + k * 5 + 1),
                    list.join("\n")
                ),
            );
        }
    }
}

/// What an article page shows of its site and its topics: the byline's site link and the
/// topics block.
fn site_and_topics(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut in_topics = false;
    for line in html.lines() {
        in_topics |= line.contains(r#"<div class="topics">"#);
        if in_topics || line.contains("byline-site") {
            out.push(line);
        }
        in_topics &= !line.contains("</div>");
    }
    out
}

#[test]
fn a_new_day_from_a_new_site_renumbers_no_site_and_moves_no_topic_link() {
    const OLD: [&str; 14] = [
        "harbour",
        "ferries",
        "quotas",
        "nets",
        "tides",
        "lighthouse",
        "anchors",
        "cargo",
        "piers",
        "storms",
        "gulls",
        "rope",
        "sails",
        "docks",
    ];
    const NEW: [&str; 14] = [
        "violins",
        "concert",
        "choir",
        "tickets",
        "rehearsal",
        "organ",
        "sonata",
        "stage",
        "baton",
        "encore",
        "lyrics",
        "opera",
        "tenor",
        "drums",
    ];
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::write(root.join("site.yaml"), "base_url: https://example.org/\n").unwrap();
    let old_names = ["Arlo Quint", "Brenna Voss", "Cato Lind"];
    site_dumps(
        root,
        "alpha",
        &["2026-03-01", "2026-03-02", "2026-03-03"],
        &old_names,
        &OLD,
    );
    site_dumps(
        root,
        "beta",
        &["2026-03-03"],
        &["Dara", "Emeric", "Fenna"],
        &OLD[3..],
    );
    build_site(root, &["--quiet"]);
    let out = root.join("output");
    let older: Vec<(String, String)> = files(&out)
        .into_iter()
        .filter(|f| f.ends_with("/index.html") && f.split('/').count() == 5)
        .map(|f| {
            let text = read(&out.join(&f));
            (f, text)
        })
        .collect();
    assert_eq!(
        older.len(),
        12,
        "{:?}",
        older.iter().map(|o| &o.0).collect::<Vec<_>>()
    );
    assert!(
        older.iter().any(|(_, t)| t.contains("/topics/arlo-quint/")),
        "the old pages link a topic the new day names too: {:?}",
        files(&out)
            .into_iter()
            .filter(|f| f.starts_with("topics/"))
            .collect::<Vec<_>>()
    );

    // The next day brings a site not seen before (first in the digest's order); its dumps
    // name the older site's people too, so those topics gain articles.
    site_dumps(root, "gamma", &["2026-03-04"], &old_names, &NEW);
    let after_report = build_site(root, &["--quiet"]);
    let sites = after_report["sites"].as_array().unwrap();
    assert_eq!(sites.len(), 3, "{sites:?}");
    for (f, text) in &older {
        assert_eq!(
            site_and_topics(&read(&out.join(f))),
            site_and_topics(text),
            "{f}: its site or its topic links changed, though neither did"
        );
    }
}
