//! The reader pages in a real browser: axe-core (WCAG 2.2 A and AA rules) finds no
//! violation on the front, day, article, search (with highlighted results), topics, headline
//! index and archive pages, in the light and the dark colour scheme; at phone and desktop
//! widths no page scrolls sideways and no headline breaks at a hyphen. Screenshots of the
//! front, article, headline-index and archive pages in both schemes at 1280 and 390 px are written
//! to `target/tmp/screenshots/` (the first 1,200-pixel slices of each) to be looked at; they
//! are not compared with anything.
//!
//! Ignored by default: it needs Chromium (`apt-get install chromium`) and axe-core from npm
//! (`npm install --prefix target/ci-tools axe-core`); `.ci/run` installs both and runs it.

use crate::common::browser::{Browser, serve};
use crate::common::*;
use serde_json::Value;
use std::path::PathBuf;

const AXE_INSTALL: &str = "npm install --prefix target/ci-tools axe-core";

/// The WCAG 2.2 A and AA rule sets of axe-core (tags as axe names them).
const WCAG_TAGS: &str = "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa']";

fn axe_source() -> String {
    let path = repo_root().join("target/ci-tools/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; this test runs axe-core in the browser: install it with `{AXE_INSTALL}`",
            path.display()
        )
    })
}

/// The built sample site, served on 127.0.0.1; returns its base URL and an article's URL.
fn sample_site(tmp: &std::path::Path) -> (String, String) {
    let out = tmp.join("site");
    build_sample(&out, &[]);
    let article = files(&out)
        .into_iter()
        .find(|f| f.starts_with("2026/11/23/") && f.ends_with("/index.html") && f.len() > 25)
        .expect("an article of 23 November");
    let port = serve(out);
    let base = format!("http://127.0.0.1:{port}/");
    let article_url = format!("{base}{}", article.trim_end_matches("index.html"));
    (base, article_url)
}

fn reader_pages(base: &str, article: &str) -> Vec<(&'static str, String)> {
    vec![
        ("front", base.to_string()),
        ("day", format!("{base}2026/11/22/")),
        ("article", article.to_string()),
        ("search", format!("{base}search/?q=storm")),
        ("topics", format!("{base}topics/")),
        ("headlines", format!("{base}headlines/")),
        ("archive", format!("{base}archive/")),
    ]
}

/// Waits for the search page to show highlighted results, so their contrast is checked.
fn wait_for_search_results(b: &mut Browser) {
    b.wait_for(
        "highlighted search results",
        "document.querySelectorAll('#search-results mark').length",
        |v| v.as_u64().is_some_and(|n| n > 0),
    );
}

/// axe's violations on the open page, one line each: rule, impact, nodes, first target.
fn violations(b: &mut Browser, axe: &str) -> Vec<String> {
    if b.eval("typeof window.axe").as_str() != Some("object") {
        b.eval(axe);
    }
    let v = b.eval_async(&format!(
        "axe.run(document, {{ runOnly: {{ type: 'tag', values: {WCAG_TAGS} }}, resultTypes: ['violations'] }})\
           .then(r => r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.nodes.length + ' node(s), e.g. '\
             + v.nodes[0].target.join(' ') + ': ' + (v.nodes[0].failureSummary || '').replace(/\\s+/g, ' ')))"
    ));
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(String::from)
                .collect()
        })
        .unwrap_or_default()
}

#[test]
#[ignore = "needs Chromium and axe-core: run by .ci/run with `cargo test -- --ignored`"]
fn reader_pages_have_no_axe_violations_in_light_and_dark_mode() {
    let axe = axe_source();
    let tmp = tempfile::tempdir().unwrap();
    let (base, article) = sample_site(tmp.path());
    let mut b = Browser::start();
    let mut found = Vec::new();
    let mut checked = 0;
    for dark in [false, true] {
        let scheme = if dark { "dark" } else { "light" };
        for (name, url) in reader_pages(&base, &article) {
            b.emulate(1280, 900, dark);
            b.open(&url);
            if name == "search" {
                wait_for_search_results(&mut b);
            }
            let v = violations(&mut b, &axe);
            eprintln!("{scheme:5} {name:9} {} violations", v.len());
            found.extend(v.into_iter().map(|v| format!("{scheme} {name}: {v}")));
            checked += 1;
        }
    }
    assert_eq!(checked, 14);
    assert!(found.is_empty(), "axe violations:\n{}", found.join("\n"));
}

/// JavaScript: `true` when the page is no wider than the viewport.
const FITS: &str = "document.documentElement.scrollWidth <= window.innerWidth";

/// JavaScript: the headlines (and other headings) that break a line right after a hyphen,
/// found by comparing the line boxes of the characters either side of each hyphen.
const HYPHEN_BREAKS: &str = r#"(() => {
  const out = [];
  for (const h of document.querySelectorAll('h1, h2, h3')) {
    const walker = document.createTreeWalker(h, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const t = n.data;
      for (let i = 1; i + 1 < t.length; i++) {
        if (t[i] !== '-') continue;
        const r = document.createRange();
        r.setStart(n, i - 1); r.setEnd(n, i);
        const before = r.getBoundingClientRect();
        r.setStart(n, i + 1); r.setEnd(n, i + 2);
        const after = r.getBoundingClientRect();
        if (after.top > before.bottom - 1) out.push(h.textContent.trim());
      }
    }
  }
  return out;
})()"#;

#[test]
#[ignore = "needs Chromium: run by .ci/run with `cargo test -- --ignored`"]
fn pages_fit_phones_and_headlines_keep_hyphenated_words_whole() {
    let tmp = tempfile::tempdir().unwrap();
    let (base, article) = sample_site(tmp.path());
    let shots = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    let mut b = Browser::start();
    let mut problems = Vec::new();
    for width in [1280, 390] {
        for dark in [false, true] {
            let scheme = if dark { "dark" } else { "light" };
            for (name, url) in reader_pages(&base, &article) {
                b.emulate(width, 900, dark);
                b.open(&url);
                if name == "search" {
                    wait_for_search_results(&mut b);
                }
                if b.eval(FITS) != Value::Bool(true) {
                    problems.push(format!("{name} at {width} px scrolls sideways"));
                }
                let breaks = b.eval(HYPHEN_BREAKS);
                for h in breaks.as_array().into_iter().flatten() {
                    problems.push(format!("{name} at {width} px breaks at a hyphen: {h}"));
                }
                if matches!(name, "front" | "article" | "headlines" | "archive") {
                    for (i, png) in b.screenshots(1200).into_iter().enumerate().take(6) {
                        assert!(png.starts_with(b"\x89PNG"), "{name}: not a PNG");
                        let file = shots.join(format!("{name}-{width}-{scheme}-{}.png", i + 1));
                        std::fs::write(&file, png).unwrap();
                    }
                }
            }
        }
    }
    problems.dedup();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
