//! Incremental builds on a 1,000-article generated site: touching one dump re-parses that one
//! file, re-renders only the pages that show it, rewrites only files whose bytes changed and
//! leaves every other file's inode and modification time alone. A template change re-renders
//! the pages that use it; a `site.yaml` change re-renders every page showing site settings;
//! deleting the cache costs time, never correctness.

use crate::common::*;
use std::collections::{BTreeMap, BTreeSet};
use std::os::unix::fs::MetadataExt;
use std::path::Path;

/// (inode, modification time) of every file below `dir`.
fn identities(dir: &Path) -> BTreeMap<String, (u64, i64, i64)> {
    files(dir)
        .into_iter()
        .map(|f| {
            let m = std::fs::metadata(dir.join(&f)).unwrap();
            (f, (m.ino(), m.mtime(), m.mtime_nsec()))
        })
        .collect()
}

/// The output file of a page URL from the report (`/2026/…/slug/` → `2026/…/slug/index.html`).
fn file_of(url: &str) -> String {
    let u = url.trim_start_matches('/');
    if u.ends_with('/') || u.is_empty() {
        format!("{u}index.html")
    } else {
        u.to_string()
    }
}

fn urls_of(report: &serde_json::Value, path: &str) -> Vec<String> {
    report["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == path)
        .unwrap_or_else(|| panic!("{path} not in report"))["urls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn touching_one_article_of_a_thousand_rewrites_only_what_shows_it() {
    let (_tmp, site, content) = generated_site(1000, 25);
    let first = build_site(&site, &[]);
    assert_eq!(count(&first, "articles"), 1000);
    let pages = count(&first, "pages");
    assert_eq!(count(&first, "pages_rendered"), pages);
    assert_eq!(count(&first, "texts_read"), 1000);
    let out = site.join("output");
    let before = snapshot(&out);
    let ids_before = identities(&out);

    // A mid-rank article of an older day (so the front page does not show it): its dump gets
    // a longer middle paragraph, enough to change its reading time.
    let mut days: Vec<_> = std::fs::read_dir(&content)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    days.sort();
    let day = &days[days.len() / 2];
    let mut dumps: Vec<_> = std::fs::read_dir(content.join(day))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    dumps.sort();
    let (prev, target, next) = (&dumps[4], &dumps[5], &dumps[6]);
    let path = content.join(day).join(target);
    let text = read(&path);
    let mut lines: Vec<&str> = text.lines().collect();
    let added = format!(
        "{} {}",
        lines[2],
        "Officials added that the review would continue into the spring. ".repeat(30)
    );
    lines[2] = &added;
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();

    let report = build_site(&site, &[]);
    let after = snapshot(&out);
    let ids_after = identities(&out);

    // Parsed: only the touched dump.
    assert_eq!(count(&report, "sources_parsed"), 1);
    assert_eq!(count(&report, "sources_cached"), 999);
    // Read by the digest: only its text; the others' readings are the cache's.
    assert_eq!(count(&report, "texts_read"), 1);
    assert_eq!(count(&report, "texts_cached"), 999);

    // The listings that show the article's card, reading time included: its day's page, the
    // topic and source pages and its developing story's page listing it (the front page shows
    // only the newest day).
    let url = |dump: &str, i: usize| file_of(&urls_of(&report, &format!("{day}/{dump}"))[i]);
    let article_url = urls_of(&report, &format!("{day}/{target}"))[0].clone();
    let day_dir = day.replace('-', "/");
    let listings: BTreeSet<String> = before
        .iter()
        .filter(|(f, _)| {
            f.ends_with(".html")
                && (f.starts_with("topics/")
                    || f.starts_with("sources/")
                    || f.starts_with("stories/")
                    || *f == &format!("{day_dir}/index.html")
                    || f.starts_with(&format!("{day_dir}/page/")))
        })
        .filter(|(_, bytes)| {
            String::from_utf8_lossy(bytes).contains(&format!("href=\"{article_url}\""))
        })
        .map(|(f, _)| f.clone())
        .collect();
    assert!(
        listings.contains(&format!("{day_dir}/index.html")),
        "{listings:?}"
    );

    // Written: exactly the files whose bytes changed, which are the article page, its Markdown
    // source and those listings (their reading times changed). Nothing else: not the feeds,
    // sitemaps or search index (they show no word counts), not the other 999 articles.
    let changed = differing(&before, &after);
    let mut expected: BTreeSet<String> = [url(target, 0), url(target, 1)].into_iter().collect();
    expected.extend(listings.iter().cloned());
    // "Related coverage" is chosen by corpus-wide term weights, so editing one article may
    // reorder other articles' related lists: such a page may change, but only in that section.
    let without_related = |bytes: &[u8]| {
        let html = String::from_utf8_lossy(bytes).into_owned();
        match html.find("<section class=\"related-coverage\"") {
            Some(i) => {
                let end = html[i..].find("</section>").map_or(html.len(), |e| i + e);
                format!("{}{}", &html[..i], &html[end..])
            }
            None => html,
        }
    };
    for f in &changed {
        if !expected.contains(f) && f.ends_with("/index.html") {
            assert_eq!(
                without_related(&before[f]),
                without_related(&after[f]),
                "{f} changed outside its related coverage"
            );
            expected.insert(f.clone());
        }
    }
    assert_eq!(changed, expected);
    let written = expected.len() as u64;
    assert_eq!(count(&report, "files_written"), written);
    assert_eq!(count(&report, "files_removed"), 0);
    assert_eq!(
        count(&report, "files_unchanged"),
        count(&report, "output_files") - written
    );
    // Rendered: those, plus the previous and next stories of that day, whose pages carry the
    // article's card (without its reading time, so they came out the same).
    assert_eq!(count(&report, "pages_rendered"), written + 2, "{report:#}");
    assert_eq!(count(&report, "pages_cached"), pages - written - 2);
    // The neighbours were rendered again but came out the same: not rewritten.
    for n in [prev, next] {
        assert!(!changed.contains(&url(n, 0)));
    }
    // Every unchanged file is the very same file: same inode, same modification time.
    for (f, id) in &ids_after {
        if !changed.contains(f) {
            assert_eq!(Some(id), ids_before.get(f), "{f} was rewritten");
        }
    }

    // A build with nothing changed renders and writes nothing.
    let again = build_site(&site, &[]);
    assert_eq!(count(&again, "sources_parsed"), 0);
    assert_eq!(count(&again, "pages_rendered"), 0);
    assert_eq!(count(&again, "files_written"), 0);
    assert_eq!(identities(&out), ids_after);

    // A changed template re-renders exactly the pages that use it.
    let default = read(&repo_root().join("themes/default/templates/article.html"));
    let edited = default.replacen(
        "{% block content %}",
        "{% block content %}<!-- edited -->",
        1,
    );
    assert_ne!(edited, default);
    std::fs::create_dir_all(site.join("templates")).unwrap();
    std::fs::write(site.join("templates/article.html"), edited).unwrap();
    let t = build_site(&site, &[]);
    assert_eq!(count(&t, "sources_parsed"), 0);
    assert_eq!(count(&t, "pages_rendered"), 1000);
    assert_eq!(count(&t, "files_written"), 1000);
    assert!(read(&out.join(url(target, 0))).contains("<!-- edited -->"));

    // A changed site.yaml re-renders every page that shows site settings: every HTML page
    // (and the feeds, which carry the title), but not the Markdown sources.
    std::fs::write(site.join("site.yaml"), "title: The Renamed Digest\n").unwrap();
    let html_pages = files(&out).iter().filter(|f| f.ends_with(".html")).count() as u64;
    let s = build_site(&site, &[]);
    let rendered = count(&s, "pages_rendered");
    assert!(
        (html_pages..=pages - 1000).contains(&rendered),
        "{rendered} rendered, {html_pages} HTML pages"
    );
    assert!(count(&s, "files_written") >= html_pages);
    assert!(read(&out.join("index.html")).contains("The Renamed Digest"));

    // Deleting the cache is safe: a full build, and not one byte differs.
    let settled = snapshot(&out);
    std::fs::remove_dir_all(site.join(".newsdigest-cache")).unwrap();
    let full = build_site(&site, &[]);
    assert_eq!(count(&full, "pages_rendered"), pages);
    assert_eq!(count(&full, "sources_parsed"), 1000);
    assert_eq!(count(&full, "files_written"), 0);
    assert_eq!(snapshot(&out), settled);
}

/// A site kept up day by day (the cache and the output's manifest on) is at every step the very
/// site a clean full build makes of the same content: over daily additions, an edit, a deletion,
/// a settings change and a rebuild with nothing to do. Unchanged files are never rewritten, and
/// nothing is left beside the output but its manifest.
#[test]
fn a_site_kept_up_daily_matches_a_clean_build_at_every_step() {
    let tmp = tempfile::tempdir().unwrap();
    let pool = tmp.path().join("pool");
    generate(&pool, 160, 7);
    let mut days: Vec<String> = files(&pool)
        .into_iter()
        .filter_map(|f| f.split('/').next().map(str::to_string))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    days.sort();
    assert!(days.len() >= 6, "{days:?}");
    let site = tmp.path().join("site");
    let content = site.join("content");
    std::fs::create_dir_all(&content).unwrap();
    let add_day = |day: &str| copy_dir(&pool.join(day), &content.join(day));
    let clean = tmp.path().join("clean");
    let matches_clean = |step: &str| {
        let _ = std::fs::remove_dir_all(&clean);
        let o = newsdigest(
            &site,
            &[
                "build",
                "--quiet",
                "--no-cache",
                "--output",
                clean.to_str().unwrap(),
            ],
        );
        assert!(o.status.success(), "{}", stderr(&o));
        let (kept, fresh) = (snapshot(&site.join("output")), snapshot(&clean));
        assert_eq!(
            differing(&kept, &fresh),
            BTreeSet::new(),
            "{step}: the kept site differs from a clean build"
        );
        let beside: BTreeSet<String> = std::fs::read_dir(&site)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".output."))
            .collect();
        assert!(
            beside
                .iter()
                .all(|n| n == ".output.newsdigest-manifest" || n == ".output.newsdigest-old"),
            "{step}: {beside:?}"
        );
    };

    for day in &days[..days.len() - 3] {
        add_day(day);
    }
    build_site(&site, &["--quiet"]);
    matches_clean("first build");

    // Two new days, one build each: only what they reach is written.
    for day in &days[days.len() - 3..days.len() - 1] {
        add_day(day);
        let before = identities(&site.join("output"));
        let r = build_site(&site, &["--quiet"]);
        matches_clean(&format!("day {day} added"));
        let after = identities(&site.join("output"));
        let kept = before
            .iter()
            .filter(|(f, id)| after.get(*f) == Some(*id))
            .count() as u64;
        // The marker included: it is never rewritten.
        assert_eq!(kept, count(&r, "files_unchanged"));
        assert!(count(&r, "files_written") > 0);
    }

    // An edit in an old day, then a deletion.
    let old_day = &days[1];
    let victim = files(&content.join(old_day)).into_iter().next().unwrap();
    let path = content.join(old_day).join(&victim);
    let text = read(&path).replacen('\n', " A sentence added later.\n", 1);
    std::fs::write(&path, text).unwrap();
    build_site(&site, &["--quiet"]);
    matches_clean("an old dump edited");
    std::fs::remove_file(&path).unwrap();
    let r = build_site(&site, &["--quiet"]);
    matches_clean("an old dump deleted");
    assert!(count(&r, "files_removed") > 0, "its page is gone");

    // Nothing changed: nothing is parsed, rendered or written, and the account is the same.
    let before = identities(&site.join("output"));
    let again = build_site(&site, &["--quiet"]);
    assert_eq!(identities(&site.join("output")), before);
    assert_eq!(count(&again, "files_written"), 0);
    assert_eq!(count(&again, "sources_parsed"), 0);
    assert_eq!(count(&again, "pages_rendered"), 0);
    for key in ["articles", "pages", "output_files"] {
        assert_eq!(count(&again, key), count(&r, key), "{key}");
    }
    assert_eq!(again["files"], r["files"]);
    assert_eq!(again["stories"], r["stories"]);
    matches_clean("nothing changed");

    // A setting every page shows, then the last day.
    let yaml = site.join("site.yaml");
    std::fs::write(&yaml, "title: Kept up daily\n").unwrap();
    build_site(&site, &["--quiet"]);
    matches_clean("site title changed");
    add_day(&days[days.len() - 1]);
    build_site(&site, &["--quiet"]);
    matches_clean("last day added");

    // The output deleted by hand: the next build notices and writes it all again.
    std::fs::remove_dir_all(site.join("output")).unwrap();
    let r = build_site(&site, &["--quiet"]);
    assert_eq!(count(&r, "files_written"), count(&r, "output_files"));
    matches_clean("output deleted");
}

/// A page the cache has and the output already holds is kept without its bytes being read back
/// from the cache: with every pack of rendered pages overwritten, a rebuild after one dump
/// changed still renders only the pages that show it (reading the packs back would find every
/// page damaged and render the whole site), and comes out as a clean build of the content.
#[test]
fn pages_the_output_holds_are_kept_without_reading_the_cache_back() {
    let (tmp, site, content) = generated_site(200, 10);
    let first = build_site(&site, &[]);
    let pages = count(&first, "pages");
    assert_eq!(count(&first, "pages_rendered"), pages);

    let packs = site.join(".newsdigest-cache/v1/packs");
    let mut damaged = 0;
    for e in std::fs::read_dir(&packs).unwrap() {
        let p = e.unwrap().path();
        let len = std::fs::metadata(&p).unwrap().len();
        std::fs::write(&p, vec![b'x'; len as usize]).unwrap();
        damaged += 1;
    }
    assert!(damaged > 0, "no packs in {}", packs.display());

    let mut days: Vec<_> = std::fs::read_dir(&content)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    days.sort();
    let mut dumps: Vec<_> = std::fs::read_dir(&days[days.len() / 2])
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dumps.sort();
    let text = read(&dumps[3]);
    let (first_line, rest) = text.split_once('\n').unwrap();
    std::fs::write(
        &dumps[3],
        format!("{first_line} The council said the review would continue.\n{rest}"),
    )
    .unwrap();

    let report = build_site(&site, &[]);
    let rendered = count(&report, "pages_rendered");
    assert!(
        (1..50).contains(&rendered),
        "{rendered} of {pages} pages rendered: the cache was read back"
    );
    assert_eq!(count(&report, "pages_cached"), pages - rendered);

    let clean = tmp.path().join("clean");
    copy_dir(&content, &clean.join("content"));
    build_site(&clean, &["--no-cache"]);
    assert_eq!(
        snapshot(&site.join("output")),
        snapshot(&clean.join("output"))
    );
}
