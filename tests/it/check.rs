//! `newsdigest check` on real built sites: the bundled sample passes; deliberately broken
//! copies of it fail with the right message and exit code 1.

use crate::common::*;
use std::path::{Path, PathBuf};
use std::process::Output;

/// Builds the bundled sample into a temp folder once per test.
fn built_sample() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("output");
    build_sample(&out, &["--quiet"]);
    (tmp, out)
}

fn check(out: &Path, extra: &[&str]) -> Output {
    let root = repo_root();
    let mut args = vec![
        "check",
        "--root",
        root.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    newsdigest(&root, &args)
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Asserts that `check` fails with exit code 1 and prints `needle` among the problems.
fn fails_with(out: &Path, extra: &[&str], needle: &str) -> String {
    let o = check(out, extra);
    let problems = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{problems}\n{}", stderr(&o));
    assert!(
        problems.lines().any(|l| l.contains(needle)),
        "no problem line contains {needle:?}:\n{problems}"
    );
    problems
}

/// Some article page of the sample, as a path relative to the output folder.
fn an_article(out: &Path) -> String {
    files(out)
        .into_iter()
        .find(|f| f.starts_with("2026/11/22/") && f.matches('/').count() == 4)
        .expect("an article page")
}

#[test]
fn the_built_sample_passes() {
    let (_tmp, out) = built_sample();
    let o = check(&out, &[]);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    assert_eq!(stdout(&o), "");
    let summary = stderr(&o);
    assert!(summary.contains("0 problems."), "{summary}");
    let pages = files(&out).iter().filter(|f| f.ends_with(".html")).count();
    assert!(summary.contains(&format!(" {pages} pages,")), "{summary}");
}

#[test]
fn a_missing_page_is_a_broken_link_on_every_page_linking_to_it() {
    let (_tmp, out) = built_sample();
    let gone = an_article(&out);
    std::fs::remove_file(out.join(&gone)).unwrap();
    let dir = gone.trim_end_matches("index.html");
    let problems = fails_with(&out, &[], &format!("broken link: /{dir} → no file {gone}"));
    // The summary names the missing page once, with how many places point at it.
    let o = check(&out, &[]);
    let summary = stderr(&o);
    let references = problems
        .lines()
        .filter(|l| l.contains(&format!("/{dir}")))
        .count();
    assert!(references > 3, "{problems}");
    assert!(
        summary.contains(&format!("missing {gone}: {references} references")),
        "{summary}"
    );
    // The day page links to it; the message names the page the link is on.
    assert!(
        problems
            .lines()
            .any(|l| l.starts_with("2026/11/22/index.html: broken link:")),
        "{problems}"
    );
}

#[test]
fn a_fragment_without_its_id_is_a_broken_anchor() {
    let (_tmp, out) = built_sample();
    let page = out.join("archive/index.html");
    let html = read(&page).replace(
        "<main id=\"main\"",
        "<a href=\"/headlines/#no-such-id\">x</a><a href=\"#main\">ok</a><main id=\"main\"",
    );
    std::fs::write(&page, html).unwrap();
    fails_with(
        &out,
        &[],
        "archive/index.html: broken anchor: /headlines/#no-such-id → headlines/index.html has no id=\"no-such-id\"",
    );
}

#[test]
fn a_page_nothing_links_to_is_an_orphan() {
    let (_tmp, out) = built_sample();
    std::fs::create_dir_all(out.join("forgotten")).unwrap();
    std::fs::write(
        out.join("forgotten/index.html"),
        "<!DOCTYPE html><title>Forgotten</title>\
         <link rel=\"canonical\" href=\"https://digest.example.org/forgotten/\">\
         <a href=\"/\">home</a>",
    )
    .unwrap();
    let problems = fails_with(
        &out,
        &[],
        "forgotten/index.html: orphan page: no chain of links from the front page reaches it",
    );
    assert_eq!(problems.lines().count(), 1, "{problems}");
}

#[test]
fn broken_xml_and_json_are_reported_with_their_position() {
    let (_tmp, out) = built_sample();
    std::fs::write(
        out.join("feed.xml"),
        "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><item></channel></rss>\n",
    )
    .unwrap();
    std::fs::write(out.join("search-index.json"), "{\"items\": [1, 2,]}").unwrap();
    let problems = fails_with(&out, &[], "feed.xml: malformed XML:");
    assert!(
        problems
            .lines()
            .any(|l| l.contains("feed.xml") && l.contains("2:")),
        "line of the error: {problems}"
    );
    assert!(
        problems
            .lines()
            .any(|l| l.starts_with("search-index.json: malformed JSON:")),
        "{problems}"
    );
}

#[test]
fn feeds_and_sitemaps_must_publish_absolute_urls_of_existing_pages() {
    let (_tmp, out) = built_sample();
    std::fs::write(
        out.join("sitemap.xml"),
        r#"<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url><loc>https://digest.example.org/archive/</loc></url>
  <url><loc>/headlines/</loc></url>
  <url><loc>https://digest.example.org/2020/01/01/gone/</loc></url>
</urlset>"#,
    )
    .unwrap();
    let problems = fails_with(
        &out,
        &[],
        "sitemap.xml: bad URL in feed or sitemap: <loc> \"/headlines/\" is not an absolute URL",
    );
    assert!(
        problems.contains("https://digest.example.org/2020/01/01/gone/ → no such file"),
        "{problems}"
    );
    assert_eq!(problems.lines().count(), 2, "{problems}");
}

#[test]
fn an_oversize_file_breaks_the_budget() {
    let (_tmp, out) = built_sample();
    let o = check(&out, &["--max-file-size", "1000000"]);
    assert!(o.status.success(), "{}", stdout(&o));
    let problems = fails_with(&out, &["--max-file-size", "20000"], "over size budget: ");
    assert!(
        problems.contains("static/style.css: over size budget:")
            && problems.contains("over the budget of 20000 bytes"),
        "{problems}"
    );
    // The headline index, once one page that grew with the corpus, is split by letter.
    assert!(!problems.contains("headlines/"), "{problems}");
}

#[test]
fn a_site_built_for_another_base_url_fails_on_canonical_and_links() {
    let (_tmp, out) = built_sample();
    // Checked as if it were to be served under a sub-path it was not built for.
    let problems = fails_with(
        &out,
        &["--base-url", "https://example.org/digest/"],
        "index.html: bad canonical link: https://digest.example.org/ is not under base_url https://example.org/digest/",
    );
    assert!(
        problems.lines().any(|l| l.contains(
            "link outside the site: <a href>: /archive/ is outside the site's base path /digest/"
        )),
        "{problems}"
    );
}

#[test]
fn missing_title_and_canonical_are_reported() {
    let (_tmp, out) = built_sample();
    let page = an_article(&out);
    let html = read(&out.join(&page));
    let start = html.find("<title>").unwrap();
    let end = html.find("</title>").unwrap() + "</title>".len();
    let html = format!("{}{}", &html[..start], &html[end..]);
    let html = html.replace("rel=\"canonical\"", "rel=\"alternate\"");
    std::fs::write(out.join(&page), html).unwrap();
    fails_with(
        &out,
        &[],
        &format!("{page}: missing title: no <title> element"),
    );
    fails_with(
        &out,
        &[],
        &format!("{page}: missing canonical link: no <link rel=\"canonical\">"),
    );
}

#[test]
fn a_stale_precompressed_twin_is_caught() {
    let (_tmp, out) = built_sample();
    let gz = newsdigest::output::compress::gzip(b"an older version of the page").unwrap();
    std::fs::write(out.join("archive/index.html.gz"), gz).unwrap();
    fails_with(
        &out,
        &[],
        "archive/index.html.gz: stale precompressed file: does not decompress to the current archive/index.html",
    );
}

#[test]
fn no_output_folder_is_an_error_not_a_pass() {
    let tmp = tempfile::tempdir().unwrap();
    let o = check(&tmp.path().join("nothing"), &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("build the site first"),
        "{}",
        stderr(&o)
    );
}
