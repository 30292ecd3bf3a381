//! `newsdigest generate --hugo DIR`: the real binary writes the same articles as dumps and as
//! Hugo pages, one page per dump, with front matter that parses as YAML and says the same
//! thing as the library's corpus.

mod common;

use common::{files, newsdigest, read, stderr};
use newsdigest::corpus::{Spec, generate};
use newsdigest::model::Day;
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

#[test]
fn generate_writes_the_same_articles_for_hugo() {
    let dir = tempfile::tempdir().unwrap();
    let out = newsdigest(
        dir.path(),
        &[
            "generate",
            "--count",
            "90",
            "--seed",
            "5",
            "--days",
            "3",
            "--start",
            "2026-04-01",
            "--out",
            "content",
            "--hugo",
            "hugo",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("90 articles as Hugo pages"),
        "{}",
        stderr(&out)
    );

    let corpus = generate(&Spec {
        count: 90,
        seed: 5,
        days: 3,
        start: Day::parse_iso("2026-04-01").unwrap(),
    });
    let dumps = files(&dir.path().join("content"));
    let pages = files(&dir.path().join("hugo"));
    assert_eq!(dumps.len(), 90);
    assert_eq!(pages.len(), 90, "one page per dump and nothing else");

    let mut titles = BTreeSet::new();
    for a in &corpus.articles {
        // The dump and the page of every article are there, under matching names.
        let dump = format!("{}/{:03}_{}.txt", a.day.iso(), a.rank, a.id);
        assert!(dumps.contains(&dump), "{dump}");
        let page = format!("content/articles/{}-{}.md", a.day.iso(), a.id);
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
        assert_eq!(fm.date, a.day.iso());
        assert_eq!(fm.days, vec![a.day.iso()]);
        assert_eq!(fm.weight, a.rank + 1);
        assert_eq!(fm.summary, a.lead);
        assert_eq!(fm.headlines.len(), 16);
        assert!(!fm.tags.is_empty());
        // The dump's body is the page's body: its lead opens the dump.
        let dump_text = read(&dir.path().join("content").join(&dump));
        assert!(dump_text.starts_with(&fm.summary), "{dump}");
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
