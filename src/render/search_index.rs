//! The search index, `search-index.json`: a compact JSON document the search page's script
//! loads and searches in the browser, with no server. The format is documented in
//! `docs/search-index.md`; in short:
//!
//! ```json
//! {"version":1,"base":"/","days":["2026-11-23",…],"topics":["Port Aubrey",…],
//!  "docs":[["Title","Summary…",0,"slug",[0,3]],…]}
//! ```
//!
//! Each doc is `[title, summary, day, slug, topics]`: `day` indexes `days`, `topics` index
//! `topics`, and the article's URL is `base + day with "/" for "-" + "/" + slug + "/"`.
//! Days and topic names are stored once, URLs are not stored at all, and summaries are cut
//! to [`SUMMARY_MAX`] characters, which keeps the index near 300 bytes per article.
//!
//! `headlines` holds the headlines a search by title alone would miss: wordings that differ
//! from the title of the article they name (`[text, doc]`), and headlines with no article
//! (`[text, "headlines/a/page/2/"]`, the headline-index page that lists them).

use crate::digest::{Digest, text};
use crate::plan::Paths;
use serde::Serialize;

/// Longest summary in the index, in characters.
pub const SUMMARY_MAX: usize = 140;

#[derive(Serialize)]
struct Index<'a> {
    version: u32,
    base: &'a str,
    days: Vec<String>,
    topics: Vec<&'a str>,
    docs: Docs<'a>,
    headlines: Vec<(&'a str, Target)>,
}

/// Every article as a doc `[title, summary, day, slug, topics]`, made as it is written: a
/// list of them all beside the index's bytes was a quarter of the index again.
struct Docs<'a> {
    digest: &'a Digest,
    day_index: &'a std::collections::HashMap<crate::model::Day, usize>,
}

impl Serialize for Docs<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.digest.articles.iter().map(|e| {
            (
                e.title.as_str(),
                text::cut_at_word(&e.summary, SUMMARY_MAX),
                self.day_index.get(&e.day).copied().unwrap_or(0),
                e.slug.as_str(),
                e.topics.as_slice(),
            )
        }))
    }
}

/// Where a headline of the index leads: an article (index into `docs`) or a site path.
#[derive(Serialize)]
#[serde(untagged)]
enum Target {
    Doc(usize),
    Page(String),
}

/// The headlines worth indexing beside the articles, with where each leads.
fn extra_headlines<'a>(d: &'a Digest, paths: &Paths) -> Vec<(&'a str, Target)> {
    let mut out = Vec::new();
    for (s, section) in crate::digest::headlines::sections(&d.headlines)
        .iter()
        .enumerate()
    {
        for (pos, h) in d.headlines[section.items.clone()].iter().enumerate() {
            let target = match h.article {
                Some(a) if text::normalise(&d.articles[a].title) == h.key => continue,
                Some(a) => Target::Doc(a),
                None => Target::Page(paths.headline_page(s, pos).to_string()),
            };
            out.push((h.text.as_str(), target));
        }
    }
    out
}

/// The index of every article, newest first (the digest's order).
pub fn build(d: &Digest, paths: &Paths, base_path: &str) -> Vec<u8> {
    let day_index: std::collections::HashMap<_, _> =
        d.days.iter().enumerate().map(|(i, g)| (g.day, i)).collect();
    let index = Index {
        version: 1,
        base: base_path,
        days: d.days.iter().map(|g| g.day.iso()).collect(),
        topics: d.topics.iter().map(|t| t.name.as_str()).collect(),
        docs: Docs {
            digest: d,
            day_index: &day_index,
        },
        headlines: extra_headlines(d, paths),
    };
    // Our own structs always serialise. Measured first, then written into a buffer of its
    // size: the index is the largest file of a site (40 MB at 100,000 articles), and a growing
    // buffer would hold it up to twice over, copied at each doubling, at the build's peak.
    let mut size = Counted(0);
    if serde_json::to_writer(&mut size, &index).is_err() {
        return b"\n".to_vec();
    }
    let mut bytes = Vec::with_capacity(size.0 + 1);
    if serde_json::to_writer(&mut bytes, &index).is_err() {
        bytes.clear();
    }
    bytes.push(b'\n');
    bytes
}

/// A writer that only counts the bytes written to it.
struct Counted(usize);

impl std::io::Write for Counted {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::digest::{Options, assemble};
    use crate::ingest::{Article, Body, Meta, TitleSource};
    use crate::model::{ArticleId, Day};

    #[test]
    fn compact_and_resolvable() {
        let a = Article {
            id: ArticleId::new("ab"),
            rel: "a.txt".into(),
            day: Day::parse_iso("2026-02-05").unwrap(),
            rank: Some(0),
            title: Some(("Bridge \"Reopens\" </script>".into(), TitleSource::Given)),
            body: Body::plain(&["word ".repeat(100)]),
            headlines: vec![],
            list_label: None,
            meta: Meta {
                tags: vec!["Bridges".into()],
                ..Meta::default()
            },
            draft: false,
        };
        let d = assemble(vec![a], vec![], Options::default());
        let paths = crate::plan::plan(&d, &Default::default()).paths;
        let bytes = build(&d, &paths, "/digest/");
        let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(v["version"], 1);
        assert_eq!(v["base"], "/digest/");
        assert_eq!(v["days"][0], "2026-02-05");
        assert_eq!(v["topics"][0], "Bridges");
        let doc = &v["docs"][0];
        assert_eq!(doc[0], "Bridge \"Reopens\" </script>");
        assert!(doc[1].as_str().unwrap().chars().count() <= SUMMARY_MAX + 1);
        assert_eq!(doc[2], 0);
        assert_eq!(doc[3], "bridge-reopens-script");
        assert_eq!(doc[4][0], 0);
        assert_eq!(
            bytes.capacity(),
            bytes.len(),
            "the index is written into its own size"
        );
    }
}
