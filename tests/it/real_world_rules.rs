//! One hand-made case per rule of reading real-world dumps, built through the real binary:
//! a sentence-case headline list, a label line, boilerplate recurring across one site,
//! datelines and bylines in ledes, a headline carried only by another site's list, a headline
//! seen weeks later, and two short same-day articles of one site that share a list. These
//! prove each rule does what it says; the real-news evaluation (`tests/it/realnews.rs`) says how
//! well the rules read news nobody here wrote.

use crate::common::*;
use std::path::Path;

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join("content").join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// A dump: body lines, a gap, then the list.
fn dump(body: &[&str], list: &[&str]) -> String {
    format!("{}\n\n\n{}\n", body.join("\n"), list.join("\n"))
}

/// The article page of `rel` as the report names it.
fn page_of(site: &Path, report: &serde_json::Value, rel: &str) -> String {
    let f = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == rel)
        .unwrap_or_else(|| panic!("{rel} not in the report"));
    let url = f["urls"][0]
        .as_str()
        .unwrap_or_else(|| panic!("{rel}: {f}"));
    let path = url
        .split_once("://")
        .map(|(_, r)| r.split_once('/').map_or("", |(_, p)| p))
        .unwrap_or(url)
        .trim_start_matches('/');
    read(&site.join("output").join(path).join("index.html"))
}

fn title_of(html: &str) -> String {
    let start = html.find("<h1").unwrap();
    let open_end = html[start..].find('>').unwrap() + start + 1;
    let end = html[open_end..].find("</h1>").unwrap() + open_end;
    let inner = &html[open_end..end];
    // Strip any inner tags.
    let mut out = String::new();
    let mut in_tag = false;
    for c in inner.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.trim().to_string()
}

/// The body paragraphs of an article page.
fn body_of(html: &str) -> String {
    let start = html.find("class=\"prose\"").expect("article body");
    let end = html[start..]
        .find("</div>")
        .map_or(html.len(), |e| e + start);
    html[start..end].to_string()
}

const HARBOUR: &str = "Council approves harbour budget after long debate";
const STORM: &str = "Storm closes coastal roads for a second day";
const FERRY: &str = "Ferry strike called off as talks resume";
const TRAM: &str = "New tram line to open in the spring, council says";
const ZOO: &str = "Zoo welcomes two snow leopard cubs";

#[test]
fn real_world_dumps_are_read_as_an_editor_would() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path();
    std::fs::write(
        site.join("site.yaml"),
        "title: Rules\nbase_url: https://rules.example.org/\n",
    )
    .unwrap();
    let day = "2026-03-02";
    // Site one: sentence-case lists, a label line on one, boilerplate on every dump.
    let boiler = "Share this article on social media";
    write(
        site,
        &format!("{day}/000_aaaa000000000001.txt"),
        &dump(
            &[
                "By Jane Doe",
                "LINDMARK (Reuters) - The city council approved the harbour budget on Monday after a debate that ran past midnight.",
                "The budget sets aside money for new quay walls.",
                boiler,
            ],
            &[STORM, FERRY, TRAM],
        ),
    );
    write(
        site,
        &format!("{day}/001_aaaa000000000002.txt"),
        &format!(
            "{}\n\n\nMore headlines\n{}\n",
            [
                "LINDMARK — Coastal roads stayed closed for a second day on Tuesday as the storm battered the north.",
                "Police asked drivers to stay at home.",
                boiler,
            ]
            .join("\n"),
            [HARBOUR, FERRY, TRAM].join("\n")
        ),
    );
    write(
        site,
        &format!("{day}/002_aaaa000000000003.txt"),
        &dump(
            &[
                "The ferry strike planned for Friday was called off on Tuesday as unions and the operator agreed to resume talks.",
                boiler,
            ],
            &[HARBOUR, STORM, TRAM],
        ),
    );
    // Two short same-day articles that share the list: different bodies, never merged.
    write(
        site,
        &format!("{day}/003_aaaa000000000004.txt"),
        &dump(
            &[
                "The new tram line will open in the spring, the council said.",
                boiler,
            ],
            &[HARBOUR, STORM, FERRY],
        ),
    );
    write(
        site,
        &format!("{day}/004_aaaa000000000005.txt"),
        &dump(
            &["Two snow leopard cubs were born at the city zoo.", boiler],
            &[HARBOUR, STORM, FERRY],
        ),
    );
    // Site two (its own folder-less lists, overlapping only each other): carries the zoo
    // headline, which must not name site one's zoo article.
    let other = [
        "Minister resigns over expenses",
        "Rail fares to rise in April",
        ZOO,
    ];
    for (i, body) in [
        "The transport minister resigned on Tuesday over his expense claims.",
        "Rail fares will rise by four percent in April, the operator said.",
    ]
    .iter()
    .enumerate()
    {
        write(
            site,
            &format!("{day}/01{i}_bbbb00000000000{i}.txt"),
            &dump(&[body], &other),
        );
    }
    // A headline seen weeks later names nothing: an article of the first site, a month on.
    write(
        site,
        "2026-04-02/000_aaaa000000000009.txt",
        &dump(
            &["Two snow leopard cubs at the city zoo were shown to the public for the first time."],
            &[HARBOUR, ZOO, STORM],
        ),
    );

    let report = build_site(site, &[]);

    let harbour = page_of(site, &report, &format!("{day}/000_aaaa000000000001.txt"));
    assert_eq!(
        title_of(&harbour),
        HARBOUR,
        "title from the neighbours' lists"
    );
    let body = body_of(&harbour);
    for h in [STORM, FERRY, TRAM] {
        assert!(!body.contains(h), "listed headline {h:?} shown as body");
    }
    assert!(!body.contains(boiler), "boilerplate shown as body");
    assert!(
        body.contains("LINDMARK (Reuters)"),
        "the body keeps its dateline"
    );

    let storm = page_of(site, &report, &format!("{day}/001_aaaa000000000002.txt"));
    assert_eq!(title_of(&storm), STORM);
    assert!(
        !body_of(&storm).contains("More headlines"),
        "label line shown as body"
    );

    // The two short articles sharing a list stay apart.
    assert!(
        report["merges"].as_array().unwrap().is_empty(),
        "{}",
        report["merges"]
    );
    let tram = page_of(site, &report, &format!("{day}/003_aaaa000000000004.txt"));
    assert_eq!(title_of(&tram), TRAM);
    let zoo = page_of(site, &report, &format!("{day}/004_aaaa000000000005.txt"));
    assert_ne!(title_of(&zoo), ZOO, "another site's headline named it");
    assert_eq!(
        title_of(&zoo),
        "Two snow leopard cubs were born at the city zoo"
    );
    let later = page_of(site, &report, "2026-04-02/000_aaaa000000000009.txt");
    assert_ne!(title_of(&later), ZOO, "a headline a month away named it");

    // Derived titles start at the news, never at a dateline or byline.
    for f in report["files"].as_array().unwrap() {
        if f["status"] != "built" || f["merged_into"].is_string() {
            continue;
        }
        let html = page_of(site, &report, f["path"].as_str().unwrap());
        let t = title_of(&html);
        assert!(
            !t.starts_with("By ")
                && !t.starts_with("LINDMARK")
                && t.split_whitespace().count() >= 3,
            "{t:?}"
        );
    }
}
