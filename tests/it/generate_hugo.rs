//! `newsdigest generate`: the real binary writes the generator's corpus (`newsdigest-corpus`),
//! with `--hugo DIR` the same articles as Hugo pages (one page per dump, front matter that
//! parses as YAML and says the same thing as the generator's corpus), with `--truth FILE` the ground truth of every dump
//! it wrote, and with `--site-folders` one folder per site.

use crate::common;

use crate::common::{files, newsdigest, read, stderr};
use chrono::NaiveDate;
use newsdigest::model::Day;
use newsdigest_corpus::{Layout, Spec, generate, truth::Truth};
use serde::Deserialize;
use std::collections::BTreeSet;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    title: String,
    date: String,
    weight: u32,
    days: Vec<String>,
    tags: Vec<String>,
    summary: String,
    headlines: Vec<String>,
}

/// Runs `newsdigest generate` in `dir`: `count` articles over 3 days from 1 April 2026, as
/// dumps in `content/` and as Hugo pages in `hugo/`.
/// A generated day as newsdigest writes it (`2026-04-01`).
fn iso(day: NaiveDate) -> String {
    Day::new(day).iso()
}

fn generate_with_hugo(dir: &std::path::Path, count: usize, seed: u64) -> std::process::Output {
    let (count, seed) = (count.to_string(), seed.to_string());
    newsdigest(
        dir,
        &[
            "generate",
            "--count",
            &count,
            "--seed",
            &seed,
            "--days",
            "3",
            "--start",
            "2026-04-01",
            "--out",
            "content",
            "--hugo",
            "hugo",
        ],
    )
}

#[test]
fn generate_writes_the_same_articles_for_hugo() {
    let dir = tempfile::tempdir().unwrap();
    let out = generate_with_hugo(dir.path(), 90, 5);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("90 articles as Hugo pages"),
        "{}",
        stderr(&out)
    );

    let corpus = generate(&Spec {
        seed: 5,
        days: 3,
        start: NaiveDate::from_ymd_opt(2026, 4, 1).unwrap(),
        ..Spec::new(90)
    });
    let dumps = files(&dir.path().join("content"));
    let pages = files(&dir.path().join("hugo"));
    assert_eq!(dumps.len(), 90);
    assert_eq!(pages.len(), 90, "one page per dump and nothing else");

    let mut titles = BTreeSet::new();
    for a in &corpus.articles {
        // The dump and the page of every article are there, under matching names.
        let dump = format!("{}/{:03}_{}.txt", iso(a.day), a.rank, a.id);
        assert!(dumps.contains(&dump), "{dump}");
        let page = format!("content/articles/{}-{}.md", iso(a.day), a.id);
        assert!(pages.contains(&page), "{page}");

        let text = read(&dir.path().join("hugo").join(&page));
        let yaml = text
            .strip_prefix("---\n")
            .and_then(|r| r.split_once("\n---\n"))
            .map(|(fm, _)| fm)
            .unwrap_or_else(|| panic!("{page}: no front matter"));
        let fm: FrontMatter =
            serde_yaml::from_str(yaml).unwrap_or_else(|e| panic!("{page}: {e}\n{yaml}"));
        assert_eq!(fm.title, a.headline);
        assert_eq!(fm.date, iso(a.day));
        assert_eq!(fm.days, vec![iso(a.day)]);
        assert_eq!(fm.weight, a.rank + 1);
        assert_eq!(fm.summary, a.lead);
        let listed: Vec<&str> = a
            .related
            .iter()
            .map(|&r| corpus.articles[r].headline.as_str())
            .collect();
        assert_eq!(fm.headlines, listed);
        assert!(!fm.tags.is_empty());
        // The dump's body is the page's body: its first paragraph, dateline and lead, is in
        // the dump as one line.
        let dump_text = read(&dir.path().join("content").join(&dump));
        assert!(dump_text.lines().any(|l| l == a.paragraphs[0]), "{dump}");
        assert!(a.paragraphs[0].contains(&fm.summary), "{dump}");
        for t in &fm.tags {
            assert!(
                dump_text.contains(t.as_str()),
                "{page}: tag {t} not in the dump"
            );
        }
        titles.insert(fm.title);
    }
    assert_eq!(titles.len(), 90, "every page has its own title");

    // A second run into the same folders is refused rather than mixing corpora.
    let again = newsdigest(
        dir.path(),
        &[
            "generate", "--count", "5", "--out", "fresh", "--hugo", "hugo",
        ],
    );
    assert!(!again.status.success());
    assert!(stderr(&again).contains("not empty"), "{}", stderr(&again));
    assert!(
        !dir.path().join("fresh").exists(),
        "nothing written when refused"
    );
}

/// Copies `from` (a folder tree) into `to`.
fn copy_tree(from: &std::path::Path, to: &std::path::Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let dest = to.join(e.path().strip_prefix(from).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
}

/// The Hugo side of the benchmark builds the pages it is meant to compare with newsdigest's:
/// front page of the newest day (paginated by 20), day pages, article pages, tag pages and
/// RSS feeds of 20 items.
#[test]
#[ignore = "needs Hugo: apt-get install -y hugo"]
fn hugo_builds_the_equivalent_site() {
    let hugo = std::process::Command::new("hugo").arg("version").output();
    assert!(
        hugo.is_ok_and(|o| o.status.success()),
        "Hugo is missing: install it with `sudo apt-get install -y hugo`"
    );
    let dir = tempfile::tempdir().unwrap();
    let out = generate_with_hugo(dir.path(), 130, 3);
    assert!(out.status.success(), "{}", stderr(&out));
    copy_tree(
        &common::repo_root().join("bench/hugo-site"),
        &dir.path().join("hugo"),
    );
    let public = dir.path().join("public");
    let built = std::process::Command::new("hugo")
        .args(["--quiet", "-s"])
        .arg(dir.path().join("hugo"))
        .arg("-d")
        .arg(&public)
        .output()
        .unwrap();
    assert!(built.status.success(), "{}", stderr(&built));

    let corpus = generate(&Spec {
        seed: 3,
        days: 3,
        start: NaiveDate::from_ymd_opt(2026, 4, 1).unwrap(),
        ..Spec::new(130)
    });
    let newest = corpus.articles.last().unwrap().day;
    let on_newest = corpus.articles.iter().filter(|a| a.day == newest).count();
    assert!(on_newest > 20, "the front page needs a second page");

    // Front page: the newest day's stories by rank, 20 a page, and a feed of 20 items.
    let front = read(&public.join("index.html"));
    assert!(
        front.contains(&format!("<h1>{}</h1>", iso(newest))),
        "{front}"
    );
    assert_eq!(front.matches("<li><h3>").count(), 20);
    let top = corpus
        .articles
        .iter()
        .find(|a| a.day == newest && a.rank == 0)
        .unwrap();
    assert!(front.contains(&top.headline), "top story on the front page");
    // Later pages hold the rest of the day, 20 at most each.
    let mut listed = 20;
    let mut n = 2;
    while let Ok(page) = std::fs::read_to_string(public.join(format!("page/{n}/index.html"))) {
        let cards = page.matches("<li><h3>").count();
        assert!((1..=20).contains(&cards), "page {n}: {cards}");
        listed += cards;
        n += 1;
    }
    assert_eq!(
        listed, on_newest,
        "every story of the newest day is listed once"
    );
    assert_eq!(
        read(&public.join("index.xml")).matches("<item>").count(),
        20
    );

    // A page per article with its title; a day page (and feed) per day; a tag page per name.
    let mut tags = BTreeSet::new();
    for a in &corpus.articles {
        let page = read(&public.join(format!("articles/{}-{}/index.html", iso(a.day), a.id)));
        let title = a.headline.replace('&', "&amp;");
        assert!(
            page.contains(&format!("<h1>{title}</h1>")),
            "{}",
            a.headline
        );
        assert!(
            public
                .join(format!("days/{}/index.html", iso(a.day)))
                .is_file()
        );
        assert!(
            public
                .join(format!("days/{}/index.xml", iso(a.day)))
                .is_file()
        );
        tags.extend(a.names.iter().copied());
    }
    let tag_pages: BTreeSet<String> = std::fs::read_dir(public.join("tags"))
        .unwrap()
        .filter_map(|e| {
            let e = e.unwrap();
            e.file_type()
                .unwrap()
                .is_dir()
                .then(|| e.file_name().into_string().unwrap())
        })
        .collect();
    assert_eq!(tag_pages.len(), tags.len(), "{tag_pages:?}");
    assert!(public.join("tags/port-aldwick/index.xml").is_file());
    // No listing of all articles: newsdigest has none.
    assert!(!public.join("articles/index.html").exists());
}

/// `--site-folders --truth FILE`: a folder per site, and a truth file naming exactly the dumps
/// written, each with the library's true title; `--style classic` gives one Title Case site.
#[test]
fn generate_writes_site_folders_and_their_truth() {
    let dir = tempfile::tempdir().unwrap();
    let args = [
        "generate",
        "--count",
        "120",
        "--days",
        "4",
        "--seed",
        "9",
        "--site-folders",
        "--out",
        "content",
        "--truth",
        "truth.json",
    ];
    let out = newsdigest(dir.path(), &args);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("from 6 sites"), "{}", stderr(&out));
    let truth: Truth = serde_json::from_str(&read(&dir.path().join("truth.json"))).unwrap();
    let dumps = files(&dir.path().join("content"));
    assert_eq!(dumps, truth.keys().cloned().collect::<BTreeSet<_>>());
    let corpus = generate(&Spec {
        seed: 9,
        days: 4,
        layout: Layout::BySite,
        ..Spec::new(120)
    });
    for a in &corpus.articles {
        let t = &truth[&a.path(corpus.layout)];
        assert_eq!(
            (t.title.as_str(), t.source.as_str()),
            (a.headline.as_str(), a.site.slug)
        );
        assert!(
            a.path(corpus.layout)
                .starts_with(&format!("{}/", a.site.slug))
        );
    }

    // newsdigest builds the site-per-folder layout: one article per dump, on the dump's day
    // (the folder above the file), without errors. (How well it reads each site's style is
    // measured elsewhere: this generator is what makes that measurable.)
    let report = common::build_site(dir.path(), &["--quiet"]);
    assert_eq!(common::count(&report, "articles"), 120);
    assert_eq!(common::count(&report, "errors"), 0);
    for f in report["files"].as_array().unwrap() {
        let path = f["path"].as_str().unwrap();
        let day = truth[path].day.replace('-', "/");
        let url = f["urls"][0].as_str().unwrap();
        assert!(url.starts_with(&format!("/{day}/")), "{path}: {url}");
    }

    // The truth file exists now: a second run is refused before anything is written.
    let mut again = args;
    again[9] = "fresh";
    let refused = newsdigest(dir.path(), &again);
    assert!(!refused.status.success());
    assert!(
        stderr(&refused).contains("already exists"),
        "{}",
        stderr(&refused)
    );
    assert!(
        !dir.path().join("fresh").exists(),
        "nothing written when refused"
    );

    let classic = newsdigest(
        dir.path(),
        &[
            "generate", "--count", "30", "--style", "classic", "--out", "classic",
        ],
    );
    assert!(classic.status.success(), "{}", stderr(&classic));
    assert!(
        stderr(&classic).contains("from 1 site over"),
        "{}",
        stderr(&classic)
    );
    let bad = newsdigest(
        dir.path(),
        &[
            "generate", "--count", "3", "--style", "modern", "--out", "x",
        ],
    );
    assert!(!bad.status.success());
    assert!(stderr(&bad).contains("not a style"), "{}", stderr(&bad));
}
