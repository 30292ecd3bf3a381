//! The headline index: every headline seen in the corpus (article titles and the headline
//! lists at the bottom of dumps), deduplicated by normal form, each linked to its article.

use super::text::normalise;
use crate::model::Day;
use std::collections::{BTreeSet, HashMap};

/// One distinct headline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Headline {
    /// The text as first seen (by day, then rank order).
    pub text: String,
    /// Normal form; the identity of the headline.
    pub key: String,
    /// How many dumps carried it in their list or as their title.
    pub count: usize,
    /// The days on which it was seen, oldest first.
    pub days: Vec<Day>,
    /// Index of the article it names, if the corpus has one.
    pub article: Option<usize>,
}

/// Builds the index from (day, text) sightings and a title lookup. Sorted case-insensitively,
/// ties broken by the text itself, so the order never depends on input order.
pub fn build<'a>(
    sightings: impl IntoIterator<Item = (Day, &'a str)>,
    titles: &HashMap<String, usize>,
) -> Vec<Headline> {
    struct Acc {
        text: String,
        count: usize,
        days: BTreeSet<Day>,
    }
    let mut by_key: HashMap<String, Acc> = HashMap::new();
    for (day, text) in sightings {
        let key = normalise(text);
        if key.is_empty() {
            continue;
        }
        let acc = by_key.entry(key).or_insert_with(|| Acc {
            text: text.trim().to_string(),
            count: 0,
            days: BTreeSet::new(),
        });
        acc.count += 1;
        acc.days.insert(day);
    }
    let mut out: Vec<Headline> = by_key
        .into_iter()
        .map(|(key, acc)| Headline {
            article: titles.get(&key).copied(),
            text: acc.text,
            count: acc.count,
            days: acc.days.into_iter().collect(),
            key,
        })
        .collect();
    out.sort_by(|a, b| (&a.key, &a.text).cmp(&(&b.key, &b.text)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dedupes_counts_and_links() {
        let d1 = Day::parse_iso("2026-02-05").unwrap();
        let d2 = Day::parse_iso("2026-02-06").unwrap();
        let mut titles = HashMap::new();
        titles.insert(normalise("Bridge Reopens"), 7);
        let idx = build(
            [
                (d1, "Bridge Reopens"),
                (d2, "bridge reopens!"),
                (d1, "Zoo Expands"),
                (d1, "  "),
            ],
            &titles,
        );
        assert_eq!(idx.len(), 2);
        assert_eq!(idx[0].text, "Bridge Reopens");
        assert_eq!(idx[0].count, 2);
        assert_eq!(idx[0].days, vec![d1, d2]);
        assert_eq!(idx[0].article, Some(7));
        assert_eq!(idx[1].article, None);
    }
}
