//! The search page in a real browser: builds a site, serves it over HTTP on 127.0.0.1,
//! starts headless Chromium and drives it over the DevTools protocol (`common::browser`),
//! typing a query key by key and reading the results.
//!
//! Ignored by default so `cargo test` needs only Rust; `.ci/run` installs Chromium and runs
//! it with `cargo test -- --ignored`. Without Chromium it fails, naming the install command.

use crate::common::browser::{Browser, serve};
use crate::common::*;
use serde_json::{Value, json};

fn goto(b: &mut Browser, url: &str) {
    b.call("Page.navigate", json!({ "url": url }));
    b.wait_for(
        "the search index to load",
        "document.querySelector('[data-search]') && document.querySelector('[data-search]').getAttribute('data-ready')",
        |v| v == "true" || v == "error",
    );
    let ready = b.eval("document.querySelector('[data-search]').getAttribute('data-ready')");
    assert_eq!(ready, "true", "the search index failed to load");
}

const RESULTS: &str = "JSON.stringify({ q: document.getElementById('search-results').getAttribute('data-query'), \
     status: document.getElementById('search-status').textContent, \
     titles: [...document.querySelectorAll('#search-results .story-title')].map(e => e.textContent), \
     hrefs: [...document.querySelectorAll('#search-results .story-title a')].map(e => e.getAttribute('href')), \
     marks: document.querySelectorAll('#search-results mark').length, \
     dates: [...document.querySelectorAll('#search-results time')].map(e => e.textContent), \
     url: location.search })";

fn results(b: &mut Browser, query: &str) -> Value {
    let v = b.wait_for("results for the query", RESULTS, |v| {
        v.as_str()
            .and_then(|s| serde_json::from_str::<Value>(s).ok())
            .is_some_and(|r| r["q"] == query)
    });
    serde_json::from_str(v.as_str().unwrap()).unwrap()
}

fn md(title: &str, tags: &str, body: &str) -> String {
    format!("---\ntitle: \"{title}\"\ntags: [{tags}]\n---\n\n{body}\n")
}

#[test]
#[ignore = "needs Chromium: run by .ci/run with `cargo test -- --ignored`"]
fn typing_a_query_shows_the_expected_result() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::write(
        root.join("site.yaml"),
        "base_url: https://example.org/digest/\n",
    )
    .unwrap();
    let articles = [
        (
            "2026-03-01/a.md",
            md(
                "Harbour Bridge Reopens After Repairs",
                "transport",
                "The old harbour bridge reopened to traffic on Sunday.",
            ),
        ),
        (
            "2026-03-02/b.md",
            md(
                "Council Debates the Budget",
                "politics",
                "The council argued over the harbour budget late into the night.",
            ),
        ),
        (
            "2026-03-03/c.md",
            md(
                "Floods Hit Lindmark Again",
                "weather",
                "Heavy rain flooded Lindmark, the second time this year.",
            ),
        ),
        (
            "2026-03-03/d.md",
            md(
                "Zoo Welcomes Two Lynx Cubs",
                "animals",
                "Keepers said the cubs were healthy.",
            ),
        ),
    ];
    for (path, text) in &articles {
        let p = root.join("content").join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    let o = newsdigest(root, &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    // Serve the output under the base URL's sub-path, as a host would.
    let host = tempfile::tempdir().unwrap();
    std::fs::rename(root.join("output"), host.path().join("digest")).unwrap();
    let port = serve(host.path().to_path_buf());
    let base = format!("http://127.0.0.1:{port}/digest/");

    let mut b = Browser::start();
    goto(&mut b, &format!("{base}search/"));
    b.eval("document.getElementById('search-input').focus()");
    // A partial word already finds it: results update as you type.
    b.type_text("harb");
    let r = results(&mut b, "harb");
    let titles = r["titles"].as_array().unwrap();
    assert_eq!(titles.len(), 2, "{r}");
    // A title match ranks above a summary match.
    assert_eq!(titles[0], "Harbour Bridge Reopens After Repairs", "{r}");
    assert_eq!(titles[1], "Council Debates the Budget", "{r}");
    b.type_text("our bridge");
    let r = results(&mut b, "harbour bridge");
    assert_eq!(
        r["titles"],
        json!(["Harbour Bridge Reopens After Repairs"]),
        "{r}"
    );
    assert_eq!(
        r["hrefs"][0],
        "/digest/2026/03/01/harbour-bridge-reopens-after-repairs/"
    );
    assert_eq!(r["dates"][0], "1 Mar 2026", "dated as the pages date: {r}");
    assert!(
        r["marks"].as_u64().unwrap() >= 2,
        "matches are highlighted: {r}"
    );
    assert_eq!(
        r["url"], "?q=harbour+bridge",
        "the query is kept in the URL: {r}"
    );
    assert!(
        r["status"]
            .as_str()
            .unwrap()
            .starts_with("1 article matches"),
        "{r}"
    );

    // A link with ?q= shows results straight away; topics are searched too.
    goto(&mut b, &format!("{base}search/?q=weather"));
    let r = results(&mut b, "weather");
    assert_eq!(r["titles"], json!(["Floods Hit Lindmark Again"]), "{r}");
    goto(&mut b, &format!("{base}search/?q=nothing%20like%20this"));
    let r = results(&mut b, "nothing like this");
    assert_eq!(r["titles"], json!([]), "{r}");
    assert!(
        r["status"]
            .as_str()
            .unwrap()
            .starts_with("No articles match"),
        "{r}"
    );
}

#[test]
#[ignore = "needs Chromium: run by .ci/run with `cargo test -- --ignored`"]
fn a_german_site_searches_in_german() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::write(root.join("site.yaml"), "language: de\n").unwrap();
    let p = root.join("content/2026-03-01/a.md");
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(
        &p,
        md(
            "Hafenbrücke wieder offen",
            "verkehr",
            "Die alte Brücke ist seit Sonntag offen.",
        ),
    )
    .unwrap();
    let o = newsdigest(root, &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let port = serve(root.join("output"));
    let mut b = Browser::start();
    goto(&mut b, &format!("http://127.0.0.1:{port}/search/?q=hafen"));
    let r = results(&mut b, "hafen");
    assert_eq!(r["titles"], json!(["Hafenbrücke wieder offen"]), "{r}");
    assert_eq!(r["status"], "1 Artikel zu „hafen“.", "{r}");
    assert_eq!(r["dates"][0], "1. Mär 2026", "{r}");
    goto(&mut b, &format!("http://127.0.0.1:{port}/search/?q=zzz"));
    let r = results(&mut b, "zzz");
    assert_eq!(r["status"], "Keine Artikel zu „zzz“.", "{r}");
}
