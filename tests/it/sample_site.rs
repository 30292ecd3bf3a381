//! Builds the bundled sample `content/` into temp folders and checks what a reader gets:
//! files, rank order, headline index, links that resolve, sub-path base URLs, determinism.

use crate::common::*;
use std::path::Path;

fn build_sample(out: &Path, extra: &[&str]) -> serde_json::Value {
    let report = out.with_extension("report.json");
    let root = repo_root();
    let mut args = vec![
        "build",
        "--root",
        root.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(&["--report", report.to_str().unwrap()]);
    args.extend_from_slice(extra);
    let o = newsdigest(&root, &args);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("0 errors"), "{}", stderr(&o));
    serde_json::from_str(&read(&report)).unwrap()
}

/// The built URLs of a content file, from the report.
fn urls_of(report: &serde_json::Value, path: &str) -> Vec<String> {
    report["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == path)
        .unwrap_or_else(|| panic!("{path} not in report"))["urls"]
        .as_array()
        .map(|a| a.iter().map(|u| u.as_str().unwrap().to_string()).collect())
        .unwrap_or_default()
}

#[test]
fn sample_site_has_every_page_and_no_broken_link() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("output");
    let report = build_sample(&out, &[]);
    let files = files(&out);
    for f in [
        "index.html",
        "archive/index.html",
        "headlines/index.html",
        "404.html",
        "static/style.css",
    ] {
        assert!(files.contains(f), "missing {f}");
    }
    let days: Vec<_> = files
        .iter()
        .filter(|f| f.len() == "2026/11/20/index.html".len() && f.ends_with("/index.html"))
        .collect();
    assert!(days.len() >= 3, "{days:?}");
    assert!(report["articles"].as_u64().unwrap() >= 25);
    let broken = broken_links(&out, "/");
    assert!(broken.is_empty(), "broken links: {broken:#?}");
}

#[test]
fn front_page_opens_with_top_stories_then_rank_order() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("output");
    let report = build_sample(&out, &[]);
    let newest = repo_root().join("content/2026/11/23");
    let mut dumps: Vec<_> = std::fs::read_dir(&newest)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".txt"))
        .collect();
    dumps.sort();
    assert!(dumps.len() >= 5);
    let front = read(&out.join("index.html"));
    let day = read(&out.join("2026/11/23/index.html"));
    // "Top stories" (by prominence) open both pages; the other stories follow by rank.
    for page in [&front, &day] {
        let more = pos(page, "id=\"more-stories-heading\"");
        let top = pos(page, "id=\"top-stories-heading\"");
        assert!(top < more);
        let mut last = more;
        let mut in_top = 0;
        for d in &dumps {
            let url = &urls_of(&report, &format!("2026/11/23/{d}"))[0];
            let href = format!("href=\"{url}\"");
            let p = pos(page, &href);
            if p < more {
                in_top += 1;
                continue;
            }
            assert!(p >= last, "{d} out of rank order");
            last = p;
        }
        assert!((1..=5).contains(&in_top), "{in_top} top stories");
    }
}

#[test]
fn article_page_has_body_date_reading_time_and_more_headlines() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("output");
    let report = build_sample(&out, &[]);
    let dir = repo_root().join("content/2026-11-20");
    let dump = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .min()
        .unwrap();
    let text = read(&dump);
    let name = dump.file_name().unwrap().to_string_lossy();
    let urls = urls_of(&report, &format!("2026-11-20/{name}"));
    assert_eq!(urls.len(), 2, "page and Markdown source: {urls:?}");
    let page = read(&out.join(urls[0].trim_start_matches('/')).join("index.html"));
    assert!(page.contains("datetime=\"2026-11-20\""));
    assert!(page.contains("min read"));
    // The last body paragraph and the last headline of the dump are on the page.
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let last_headline = lines.last().unwrap();
    let escaped = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
            .replace('\'', "&#x27;")
    };
    assert!(
        page.contains(&escaped(last_headline)) || page.contains(*last_headline),
        "headline {last_headline:?} missing"
    );
    assert!(out.join(urls[1].trim_start_matches('/')).is_file());
}

#[test]
fn headline_index_lists_every_headline_once_and_links_known_articles() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("output");
    build_sample(&out, &[]);
    // The index is split by letter: read every letter's page together.
    let html: String = files(&out)
        .iter()
        .filter(|f| {
            f.starts_with("headlines/") && f.ends_with(".html") && f.matches('/').count() == 2
        })
        .map(|f| read(&out.join(f)))
        .collect();
    let items = html.matches("<li class=\"headline-entry").count();
    assert!(items > 50, "only {items} headlines");
    // Cross-links exist: the sample's headline lists name other sample articles.
    let article_links = links(&html)
        .into_iter()
        .filter(|l| l.matches('/').count() == 5)
        .count();
    assert!(
        article_links >= 10,
        "only {article_links} headline links to articles"
    );
}

#[test]
fn sub_path_base_url_is_honoured_everywhere() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("output");
    build_sample(&out, &["--base-url", "https://example.org/digest/"]);
    let broken = broken_links(&out, "/digest/");
    assert!(broken.is_empty(), "{broken:#?}");
    let front = read(&out.join("index.html"));
    assert!(
        front.contains("href=\"https://example.org/digest/\""),
        "canonical"
    );
    assert!(front.contains("href=\"/digest/static/style.css\""));
}

#[test]
fn rebuilds_are_byte_identical() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    build_sample(&a, &[]);
    build_sample(&b, &[]);
    let (fa, fb) = (files(&a), files(&b));
    assert_eq!(fa, fb);
    for f in &fa {
        assert_eq!(
            std::fs::read(a.join(f)).unwrap(),
            std::fs::read(b.join(f)).unwrap(),
            "{f} differs"
        );
    }
}

#[test]
fn builds_any_folder_of_dumps_without_a_theme_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let day = tmp.path().join("dumps/2026-02-05");
    std::fs::create_dir_all(&day).unwrap();
    std::fs::copy(
        repo_root().join("tests/fixtures/examples/000_6692dc3ab9125327.txt"),
        day.join("000_6692dc3ab9125327.txt"),
    )
    .unwrap();
    let o = newsdigest(
        tmp.path(),
        &["build", "--content", "dumps", "--output", "site"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let out = tmp.path().join("site");
    let article = files(&out)
        .into_iter()
        .find(|f| {
            f.starts_with("2026/02/05/us-president-donald-trump-said-on-thursday")
                && f.ends_with("/index.html")
        })
        .expect("article page with a slug from the derived title");
    let page = read(&out.join(article));
    assert!(page.contains(
        "U.S. President Donald Trump said on Thursday that negotiations aimed at ending the…"
    ));
    assert!(page.contains("Netanyahu to Meet Trump in Washington as Iran Nuclear Talks Intensify"));
    let front = read(&out.join("index.html"));
    assert!(front.contains("2026/02/05/us-president-donald-trump"));
    assert!(broken_links(&out, "/").is_empty());
}

#[test]
fn init_creates_a_project_that_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let o = newsdigest(tmp.path(), &["init", "mysite"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let site = tmp.path().join("mysite");
    assert!(site.join("site.yaml").is_file());
    let o = newsdigest(&site, &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("0 errors"));
    assert!(site.join("output/index.html").is_file());
    // A second init into the now non-empty folder is refused.
    let o = newsdigest(tmp.path(), &["init", "mysite"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("not empty"));
}

#[test]
fn bad_usage_exits_2() {
    let o = newsdigest(&repo_root(), &["build", "--no-such-flag"]);
    assert_eq!(o.status.code(), Some(2));
}
