//! Builds the fixture folder of bad inputs and checks that every file is accounted for, each
//! problem is reported with its path (and line or byte), and every good article still builds.

use crate::common::*;
use std::path::{Path, PathBuf};

/// Copies the committed fixture into a temp site and adds what git cannot hold: a symlink loop.
fn bad_site() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_dir(
        &repo_root().join("tests/fixtures/bad/content"),
        &site.join("content"),
    );
    std::os::unix::fs::symlink("..", site.join("content/2026-02-05/loop")).unwrap();
    (tmp, site)
}

fn build(site: &Path, extra: &[&str]) -> (std::process::Output, serde_json::Value) {
    let mut args = vec!["build", "--report", "report.json"];
    args.extend_from_slice(extra);
    let o = newsdigest(site, &args);
    let report = serde_json::from_str(&read(&site.join("report.json"))).unwrap();
    (o, report)
}

#[test]
fn every_file_is_accounted_for_exactly_once() {
    let (_tmp, site) = bad_site();
    let (o, report) = build(&site, &[]);
    assert!(
        o.status.success(),
        "bad files never stop the build: {}",
        stderr(&o)
    );
    let got: Vec<(String, String)> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expected = [
        (".DS_Store", "ignored"),
        ("2026-02-05/.001_aaaaaaaaaaaaaaaa.txt.swp", "ignored"),
        ("2026-02-05/000_6692dc3ab9125327.txt", "built"),
        ("2026-02-05/001_aaaaaaaaaaaaaaaa.txt", "built"),
        ("2026-02-05/001_aaaaaaaaaaaaaaaa.txt~", "ignored"),
        ("2026-02-05/002_bbbbbbbbbbbbbbbb.txt", "built"),
        ("2026-02-05/003_cccccccccccccccc.txt", "skipped"),
        ("2026-02-05/004_dddddddddddddddd.txt", "skipped"),
        ("2026-02-05/005_eeeeeeeeeeeeeeee.txt", "skipped"),
        ("2026-02-05/006_ffffffffffffffff.txt", "built"),
        ("2026-02-05/007_1111111111111111.txt", "failed"),
        ("2026-02-05/008_2222222222222222.txt", "failed"),
        ("2026-02-05/loop", "skipped"),
        ("2026-02-30/000_3333333333333333.txt", "failed"),
        ("2026/02/06/000_4444444444444444.txt", "built"),
        ("2026/02/06/draft.md", "draft"),
        ("misc/hostile-front-matter.md", "built"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(got, expected);
    let t = &report["totals"];
    assert_eq!(t["walked"], 17);
    let sum: u64 = ["built", "ignored", "draft", "skipped", "failed"]
        .iter()
        .map(|k| t[k].as_u64().unwrap())
        .sum();
    assert_eq!(sum, 17);
}

#[test]
fn problems_name_path_line_and_byte_in_the_summary() {
    let (_tmp, site) = bad_site();
    let (o, _) = build(&site, &[]);
    let err = stderr(&o);
    for needle in [
        "content/2026-02-05/003_cccccccccccccccc.txt: error: binary file (contains a NUL byte); skipped (at byte 4)",
        "content/2026-02-05/004_dddddddddddddddd.txt: warning: empty file",
        "content/2026-02-05/006_ffffffffffffffff.txt: warning: invalid UTF-8",
        "(at byte 3)",
        "content/2026-02-05/007_1111111111111111.txt:2: error: front matter",
        "content/2026-02-05/008_2222222222222222.txt:3: error: front matter: unknown field `colour`",
        "content/2026-02-30/000_3333333333333333.txt: error: the folder names an impossible date",
        "content/2026-02-05/loop: error: symlink loop",
        "Built 6 articles over 2 days",
        "17 walked, 6 built, 3 ignored, 1 drafts, 4 skipped, 3 failed",
    ] {
        assert!(err.contains(needle), "summary lacks {needle:?}:\n{err}");
    }
}

#[test]
fn strict_turns_errors_into_exit_1_but_still_builds() {
    let (_tmp, site) = bad_site();
    let (o, _) = build(&site, &["--strict"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(site.join("output/index.html").is_file());
}

#[test]
fn good_articles_survive_next_to_bad_ones() {
    let (_tmp, site) = bad_site();
    build(&site, &[]);
    let out = site.join("output");
    let bridge = read(&out.join("2026/02/05/harbour-bridge-reopens-after-repairs/index.html"));
    assert!(bridge.contains("Traffic returned to normal by the evening rush hour."));
    // BOM + CRLF + trailing spaces: title line recognised, text clean, and linked by headline.
    let budget = read(&out.join("2026/02/05/council-approves-new-budget/index.html"));
    assert!(budget.contains("<h1") && budget.contains("Council Approves New Budget"));
    assert!(budget.contains("The city council approved the budget late on Monday.</p>"));
    assert!(!budget.contains('\u{FEFF}') && !budget.contains('\r'));
    assert!(bridge.contains("href=\"/2026/02/05/council-approves-new-budget/\""));
    // Lossy UTF-8 keeps the rest of the text.
    let cafe = files(&out)
        .into_iter()
        .find(|f| f.contains("/caf-owners") && f.ends_with(".html"))
        .unwrap();
    assert!(read(&out.join(cafe)).contains("trade was up \u{FFFD} this winter"));
    assert!(
        broken_links(&out, "/").is_empty(),
        "{:?}",
        broken_links(&out, "/")
    );
}

#[test]
fn nothing_from_a_dump_or_front_matter_reaches_html_unescaped() {
    let (_tmp, site) = bad_site();
    build(&site, &[]);
    let out = site.join("output");
    for f in files(&out).iter().filter(|f| f.ends_with(".html")) {
        let html = read(&out.join(f));
        assert!(!html.contains("<script>alert"), "{f} has a live script");
        assert!(
            !html.contains("<b>Tags</b>"),
            "{f} has live markup from front matter"
        );
        let bad: Vec<_> = links(&html)
            .into_iter()
            .filter(|l| l.to_lowercase().contains("javascript:"))
            .collect();
        assert!(bad.is_empty(), "{f} links to {bad:?}");
    }
    let hostile = files(&out)
        .into_iter()
        .find(|f| f.starts_with("2026/02/06/script-alert") && f.ends_with(".html"))
        .unwrap();
    let html = read(&out.join(hostile));
    assert!(html.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; and *stars* and # hash and [a](javascript"));
    assert!(
        html.contains("{{ site.title }}"),
        "template syntax in a dump is shown, not evaluated"
    );
    // The traversal slug from front matter is sanitised into a plain segment.
    let fm = read(&out.join("2026/02/06/escape/index.html"));
    assert!(
        fm.contains("Quotes &quot; &amp; &lt;b&gt;Tags&lt;&#x2F;b&gt; in a Title")
            || fm.contains("Quotes &quot; &amp; &lt;b&gt;Tags&lt;/b&gt; in a Title")
    );
    // Raw HTML in Markdown is sanitised: the script is gone, the text around it stays.
    let prose = &fm[pos(&fm, "<div class=\"prose\" dir=\"auto\">")..];
    let prose = &prose[..pos(prose, "</div>")];
    assert!(prose.contains("Markdown with  raw HTML."), "{prose}");
    assert!(!prose.contains("alert(1)"), "{prose}");
    assert!(
        fm.contains("<meta name=\"description\" content=\"Markdown with raw HTML.\">"),
        "the summary leaves out what sanitising removes"
    );
    // Nothing was written outside the output folder (but the build cache and the output's
    // manifest).
    let top: Vec<_> = std::fs::read_dir(&site)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let mut top = top;
    top.sort();
    assert_eq!(
        top,
        [
            ".newsdigest-cache",
            ".output.newsdigest-manifest",
            "content",
            "output",
            "report.json"
        ]
    );
}

#[test]
fn drafts_are_built_on_request() {
    let (_tmp, site) = bad_site();
    let (_, report) = build(&site, &["--drafts"]);
    assert_eq!(report["totals"]["draft"], 0);
    assert!(
        site.join("output/2026/02/06/a-draft-article/index.html")
            .is_file()
    );
}

#[test]
fn missing_content_folder_is_a_clear_error() {
    let tmp = tempfile::tempdir().unwrap();
    let o = newsdigest(tmp.path(), &["build"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).starts_with("error: content: the content folder does not exist;"),
        "{}",
        stderr(&o)
    );
    assert!(!tmp.path().join("output").exists());
}

#[test]
fn bad_site_yaml_names_the_key() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join("content")).unwrap();
    std::fs::write(tmp.path().join("site.yaml"), "title: x\nper_pgae: 3\n").unwrap();
    let o = newsdigest(tmp.path(), &["build"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("site.yaml:2") && err.contains("per_pgae"),
        "{err}"
    );
}
