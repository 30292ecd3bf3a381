//! What readers see on the built sample site: words about the news, not the pipeline. No
//! "headline lists" or file paths unless `show_provenance` asks for them, no Markdown-source
//! link unless `show_markdown_source` does, "More stories" numbered without gaps, hyphenated
//! headlines kept whole, and the archive showing each day's lead headlines.

use crate::common::{build_sample, copy_dir, files, newsdigest, pos, read, repo_root, stderr};
use std::path::Path;

/// Text between `start` and the next `end` after it.
fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = pos(html, start);
    let to = html[from..].find(end).map_or(html.len(), |i| from + i);
    &html[from..to]
}

fn articles(out: &Path) -> Vec<String> {
    files(out)
        .into_iter()
        .filter(|f| f.ends_with("/index.html") && f.split('/').count() == 5)
        .filter(|f| !f.contains("/page/"))
        .map(|f| read(&out.join(f)))
        .collect()
}

#[test]
fn reader_pages_speak_of_the_news_not_the_pipeline() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    build_sample(&out, &[]);
    for f in files(&out).iter().filter(|f| f.ends_with(".html")) {
        let html = read(&out.join(f));
        for jargon in [
            "headline list",
            " lists</span>",
            ">Markdown source<",
            "Also received as",
            "received 2 times",
            "was derived automatically",
        ] {
            assert!(!html.contains(jargon), "{f} says {jargon:?}");
        }
    }
    let front = read(&out.join("index.html"));
    let top = between(&front, "id=\"top-stories-heading\"", "</section>");
    assert!(top.contains("on 7 front pages"), "{top}");
    // The Markdown source is still built and advertised to machines, just not shown.
    let article = &articles(&out)[0];
    assert!(article.contains("type=\"text/markdown\""));
    assert!(!article.contains(">Markdown source</a>"));
}

#[test]
fn provenance_and_the_markdown_link_show_when_the_site_asks() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    copy_dir(&repo_root().join("content"), &root.join("content"));
    std::fs::write(
        root.join("site.yaml"),
        "show_provenance: true\nshow_markdown_source: true\n",
    )
    .unwrap();
    let o = newsdigest(root, &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let pages = articles(&root.join("output"));
    assert!(pages.iter().all(|p| p.contains(">Markdown source</a>")));
    assert!(
        pages
            .iter()
            .any(|p| p.contains("was found in the source site"))
    );
    assert!(pages.iter().any(|p| p.contains("Also received as")));
}

#[test]
fn more_stories_are_numbered_one_two_three() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    build_sample(&out, &[]);
    for page in [
        "index.html",
        "2026/11/22/index.html",
        "2026/11/21/index.html",
    ] {
        let html = read(&out.join(page));
        let more = between(&html, "id=\"more-stories-heading\"", "</section>");
        let numbers: Vec<usize> = more
            .split("<p class=\"story-rank\">")
            .skip(1)
            .filter_map(|s| {
                let s = &s[s.find("</span>")? + "</span>".len()..];
                s[..s.find('<')?].trim().parse().ok()
            })
            .collect();
        assert!(!numbers.is_empty(), "{page}");
        assert_eq!(numbers, (1..=numbers.len()).collect::<Vec<_>>(), "{page}");
    }
}

#[test]
fn hyphenated_headlines_are_kept_whole_and_the_archive_shows_lead_headlines() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    build_sample(&out, &[]);
    let front = read(&out.join("index.html"));
    assert!(front.contains("Crown Falls to <span class=\"nobr\">Two-Year</span> Low"));
    let css = read(&out.join("static/style.css"));
    assert!(css.contains(".nobr { white-space: nowrap; }"));

    let archive = read(&out.join("archive/index.html"));
    let day = between(&archive, "datetime=\"2026-11-23\"", "</li>\n");
    let leads = between(day, "class=\"day-leads\"", "</ul>");
    assert_eq!(leads.matches("<li>").count(), 3, "{leads}");
    // The day's lead is the front page's lead story.
    let lead = between(&front, "class=\"story story-lead\"", "</h3>");
    let href = between(lead, "href=\"", "\">");
    assert!(leads.contains(href), "{leads}\n{href}");
    assert!(archive.contains("<time datetime=\"2026-11\">November 2026</time>"));
}
