//! Builds a site where three sites cover one event, and checks what the digest makes of it:
//! one story in the report, shown once on its day with "Also covered by" links, first among
//! the top stories, its other coverage on each article page and in related coverage ("same
//! story"); a pinned story (`story: <slug>`) over two days with its page and feed under
//! `stories/`; `story: none` keeping an article out; and a `story` value with no slug in it
//! reported with its file. Whether clustering is *right* is measured on real news
//! (`tests/it/realnews.rs`); this checks that what it decides reaches the pages.

use crate::common::*;
use std::path::PathBuf;

struct Site {
    _tmp: tempfile::TempDir,
    out: PathBuf,
    report: serde_json::Value,
}

const STORM: [(&str, &str, &str, &str); 3] = [
    (
        "2026-03-04/herald-storm.md",
        "Storm Elske Batters Port Aubrey",
        "Harbour Herald",
        "Storm Elske hit Port Aubrey on Tuesday with gusts of 120 km/h, cutting power to 40,000 homes. Ferries to Kell Island were cancelled and the harbour wall was damaged, the coastguard said. Mayor Ilse Varga asked residents of Port Aubrey to stay indoors.",
    ),
    (
        "2026-03-04/times-storm.md",
        "Port Aubrey Without Power as Storm Elske Strikes",
        "Port Times",
        "Gusts of up to 120 km/h from Storm Elske left 40,000 homes in Port Aubrey without power on Tuesday. The coastguard cancelled all ferries to Kell Island. Mayor Ilse Varga said the harbour wall of Port Aubrey had been damaged and urged people to stay at home.",
    ),
    (
        "2026-03-04/courier-storm.md",
        "Storm Elske: Kell Island Ferries Cancelled",
        "Coast Courier",
        "Ferries to Kell Island were cancelled on Tuesday as Storm Elske swept over Port Aubrey. Power was cut to about 40,000 homes, and Mayor Ilse Varga told residents of Port Aubrey to stay inside while the coastguard inspected the damaged harbour wall.",
    ),
];

fn fixture() -> Site {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().to_path_buf();
    std::fs::write(
        root.join("site.yaml"),
        "title: Coast Digest\nbase_url: https://example.org/\nper_page: 20\n",
    )
    .unwrap();
    for (rank, (path, title, source, body)) in STORM.iter().enumerate() {
        write_content(
            &root,
            path,
            &md(title, &format!("rank: {rank}\nsource: {source}\n"), body),
        );
    }
    // About the same storm, kept out of clustering by its front matter.
    write_content(
        &root,
        "2026-03-04/digest-storm.md",
        &md(
            "Storm Elske Round-Up",
            "rank: 3\nsource: Harbour Herald\nstory: none\n",
            "Our round-up of Storm Elske in Port Aubrey: power cuts, Kell Island ferries cancelled and Mayor Ilse Varga's advice to stay indoors.",
        ),
    );
    let others = [
        (
            "2026-03-04/bakery.md",
            "Rye Bakery Opens Second Shop",
            "Port Times",
            "A bakery on the quay opened a second shop selling rye bread, and queues formed before dawn.",
        ),
        (
            "2026-03-04/tram.md",
            "Council Approves Tram Line 4",
            "Coast Courier",
            "The council approved a contract for tram line 4 after two years of delays and a public inquiry.",
        ),
        (
            "2026-03-03/choir.md",
            "Choir Wins National Prize",
            "Harbour Herald",
            "The cathedral choir won the national prize for its recording of winter songs.",
        ),
    ];
    for (rank, (path, title, source, body)) in others.iter().enumerate() {
        write_content(
            &root,
            path,
            &md(
                title,
                &format!("rank: {}\nsource: {source}\n", rank + 5),
                body,
            ),
        );
    }
    // Two reports on a dock strike, a day apart, pinned to one story although their words
    // differ; and one whose `story` has nothing to make a slug of.
    write_content(
        &root,
        "2026-03-03/strike-vote.md",
        &md(
            "Dock Workers Vote to Strike",
            "rank: 1\nsource: Port Times\nstory: dock-strike\n",
            "Dock workers voted by a large majority for a walkout over pay.",
        ),
    );
    write_content(
        &root,
        "2026-03-04/strike-day.md",
        &md(
            "Cranes Stand Still on First Day of Walkout",
            "rank: 8\nsource: Coast Courier\nstory: dock-strike\n",
            "No container ships were unloaded as pickets gathered at the gates.",
        ),
    );
    write_content(
        &root,
        "2026-03-03/odd.md",
        &md(
            "Lighthouse Repainted",
            "rank: 2\nsource: Coast Courier\nstory: \"!!!\"\n",
            "The old lighthouse got a new coat of white paint.",
        ),
    );
    let report = build_site(&root, &[]);
    Site {
        out: root.join("output"),
        report,
        _tmp: tmp,
    }
}

/// The site path of a content file's article page, from the report.
fn page_of(site: &Site, path: &str) -> String {
    site.report["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == path)
        .and_then(|f| f["urls"][0].as_str())
        .unwrap_or_else(|| panic!("{path} has no page"))
        .trim_start_matches("https://example.org")
        .to_string()
}

fn html(site: &Site, url: &str) -> String {
    read(
        &site
            .out
            .join(url.trim_start_matches('/'))
            .join("index.html"),
    )
}

fn storm_paths() -> Vec<String> {
    STORM.iter().map(|s| s.0.to_string()).collect()
}

#[test]
fn three_sites_on_one_event_are_one_story_shown_once_and_first() {
    let site = fixture();
    let stories = site.report["stories"].as_array().unwrap();
    let storm = stories
        .iter()
        .find(|s| {
            s["members"]
                .as_array()
                .unwrap()
                .iter()
                .any(|m| m == STORM[0].0)
        })
        .expect("the storm is a story");
    let mut members: Vec<String> = storm["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap().to_string())
        .collect();
    members.sort();
    let mut want = storm_paths();
    want.sort();
    assert_eq!(members, want, "{storm:#}");
    assert_eq!(storm["site_count"], 3);
    // The heaviest story leads the report and the day's top stories.
    assert_eq!(stories[0]["lead"], storm["lead"]);
    let day = site.report["top_stories"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["day"] == "2026-03-04")
        .unwrap();
    assert_eq!(day["top"][0], storm["lead"]);

    // The day page lists the story once, by its lead, with the other two as "Also covered by".
    let page = read(&site.out.join("2026/03/04/index.html"));
    let lead = page_of(&site, storm["lead"].as_str().unwrap());
    let others: Vec<String> = storm_paths()
        .iter()
        .filter(|p| p.as_str() != storm["lead"])
        .map(|p| page_of(&site, p))
        .collect();
    let titled = |url: &str| {
        page.matches(&format!("dir=\"auto\"><a href=\"{url}\">"))
            .count()
    };
    assert_eq!(titled(&lead), 1, "the lead is shown once");
    for o in &others {
        assert_eq!(titled(o), 0, "{o} is not listed on its own");
        assert!(
            page.contains(&format!("class=\"coverage-link\" href=\"{o}\"")),
            "{o} is linked as other coverage"
        );
    }
    assert!(page.contains("Also covered by"));
    assert!(page.contains("covered by 3 sites"));
    assert!(broken_links(&site.out, "/").is_empty());
}

#[test]
fn article_pages_link_their_story_and_say_why_in_related_coverage() {
    let site = fixture();
    let paths = storm_paths();
    let page = html(&site, &page_of(&site, &paths[1]));
    let coverage = &page[page
        .find("story-coverage-section")
        .expect("coverage section")..];
    for p in [&paths[0], &paths[2]] {
        assert!(
            coverage.contains(&format!("href=\"{}\"", page_of(&site, p))),
            "{p}"
        );
    }
    let related = &page[page.find("related-coverage").expect("related section")..];
    assert!(related.contains("data-why=\"same-story\""), "{related}");
    assert!(related.contains(">same story<"));
    // Kept out by `story: none`: in no story, and its page shows no story coverage.
    let out = page_of(&site, "2026-03-04/digest-storm.md");
    assert!(!html(&site, &out).contains("story-coverage-section"));
    assert!(site.report["stories"].as_array().unwrap().iter().all(|s| {
        s["members"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m != "2026-03-04/digest-storm.md")
    }));
}

#[test]
fn a_pinned_story_over_two_days_gets_its_page_and_feed() {
    let site = fixture();
    let lines = site.report["storylines"].as_array().unwrap();
    let strike = lines
        .iter()
        .find(|l| l["slug"] == "dock-strike")
        .unwrap_or_else(|| panic!("{lines:#?}"));
    assert_eq!(strike["articles"], 2);
    assert_eq!(
        strike["days"],
        serde_json::json!(["2026-03-03", "2026-03-04"])
    );
    let page = read(&site.out.join("stories/dock-strike/index.html"));
    let newer = pos(&page, "datetime=\"2026-03-04\"");
    let older = pos(&page, "datetime=\"2026-03-03\"");
    assert!(newer < older, "newest day first");
    for p in ["2026-03-03/strike-vote.md", "2026-03-04/strike-day.md"] {
        assert!(
            page.contains(&format!("href=\"{}\"", page_of(&site, p))),
            "{p}"
        );
    }
    let feed = std::fs::read(site.out.join("stories/dock-strike/feed.xml")).unwrap();
    let feed = feed_rs::parser::parse(&feed[..]).expect("the story feed parses");
    assert_eq!(feed.entries.len(), 2);
    let index = read(&site.out.join("stories/index.html"));
    assert!(index.contains("href=\"/stories/dock-strike/\""));
    // Each article of it links the story page.
    let article = html(&site, &page_of(&site, "2026-03-03/strike-vote.md"));
    assert!(article.contains("href=\"/stories/dock-strike/\""));
    let sitemap = read(&site.out.join("sitemap.xml"));
    assert!(sitemap.contains("https://example.org/stories/dock-strike/"));
}

#[test]
fn a_story_value_without_a_slug_is_reported_with_its_file_and_ignored() {
    let site = fixture();
    let diags = site.report["diagnostics"].as_array().unwrap();
    let d = diags
        .iter()
        .find(|d| d["path"] == "content/2026-03-03/odd.md")
        .unwrap_or_else(|| panic!("{diags:#?}"));
    assert_eq!(d["severity"], "warning");
    let msg = d["message"].as_str().unwrap();
    assert!(
        msg.contains("`story`") && msg.contains("story: none"),
        "{msg}"
    );
    // The article is built all the same.
    assert!(
        site.out
            .join(page_of(&site, "2026-03-03/odd.md").trim_start_matches('/'))
            .exists()
    );
}
