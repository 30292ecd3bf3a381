//! The headline index at 100,000 generated articles: every page of it stays under `check`'s
//! default size budget, and every letter page links to every letter. A release build of
//! 100,000 articles takes minutes, so the test is `#[ignore]`d and `.ci/run` runs it with
//! the other ignored tests; it builds and uses the release binary, whatever profile the test
//! itself was compiled in.

use crate::common::*;
use std::path::{Path, PathBuf};
use std::process::Command;

const ARTICLES: usize = 100_000;

/// `check.max_file_bytes`'s default (see docs/check.md).
const BUDGET: u64 = 4 * 1024 * 1024;

/// The release binary, built now if it is missing or stale (cargo decides).
fn release_binary() -> PathBuf {
    let root = repo_root();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let o = Command::new(cargo)
        .current_dir(&root)
        .args(["build", "--release", "--quiet", "--bin", "newsdigest"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    target.join("release").join("newsdigest")
}

fn run(bin: &Path, cwd: &Path, args: &[&str]) {
    let o = Command::new(bin)
        .current_dir(cwd)
        .args(args)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
#[ignore = "builds 100,000 articles with the release binary (minutes): run by .ci/run with --ignored"]
fn headline_index_pages_stay_under_budget_at_100k_articles() {
    let bin = release_binary();
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path();
    std::fs::write(site.join("site.yaml"), "base_url: https://example.org/\n").unwrap();
    let n = ARTICLES.to_string();
    run(&bin, site, &["generate", "--count", &n, "--out", "content"]);
    run(&bin, site, &["build", "--quiet", "--no-cache"]);
    let out = site.join("output");

    let pages: Vec<String> = files(&out)
        .into_iter()
        .filter(|f| f.starts_with("headlines/") && f.ends_with(".html"))
        .collect();
    let (largest, size) = pages
        .iter()
        .map(|f| (f, std::fs::metadata(out.join(f)).unwrap().len()))
        .max_by_key(|(_, s)| *s)
        .unwrap();
    println!(
        "{} headline-index pages at {ARTICLES} articles; largest {largest}, {size} bytes",
        pages.len()
    );
    assert!(size < BUDGET, "{largest}: {size} bytes");
    // A single page could not hold the index: it was split and paginated.
    assert!(pages.len() > 100, "{}", pages.len());
    assert!(pages.iter().any(|p| p.contains("/page/")));

    // Every letter is linked from the landing page and from every page of every letter.
    let landing = read(&out.join("headlines/index.html"));
    let letters: Vec<String> = links(&landing)
        .into_iter()
        .filter(|l| l.starts_with("/headlines/") && l.len() > "/headlines/".len())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    assert!(letters.len() >= 20, "{letters:?}");
    let mut rows = 0;
    for f in &pages {
        if f == "headlines/index.html" {
            continue;
        }
        let html = read(&out.join(f));
        let page_links = links(&html);
        for l in &letters {
            assert!(page_links.contains(l), "{f} does not link to {l}");
        }
        rows += html.matches("<li class=\"headline-entry").count();
    }
    let total = headline_total(&landing);
    assert_eq!(rows, total, "every headline on exactly one page");
}
