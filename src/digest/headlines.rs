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
    build_with(sightings, |key| titles.get(key).copied(), normalise)
}

/// [`build`] with the title lookup and the normal form given as functions (the digest
/// remembers normal forms, as the same headlines recur in thousands of lists).
pub fn build_with<'a, K: AsRef<str>>(
    sightings: impl IntoIterator<Item = (Day, &'a str)>,
    article_of: impl Fn(&str) -> Option<usize>,
    key_of: impl Fn(&str) -> K,
) -> Vec<Headline> {
    struct Acc {
        text: String,
        count: usize,
        days: BTreeSet<Day>,
    }
    let mut by_key: rustc_hash::FxHashMap<String, Acc> = Default::default();
    for (day, text) in sightings {
        let key = key_of(text);
        let key = key.as_ref();
        if key.is_empty() {
            continue;
        }
        if !by_key.contains_key(key) {
            by_key.insert(
                key.to_string(),
                Acc {
                    text: text.trim().to_string(),
                    count: 0,
                    days: BTreeSet::new(),
                },
            );
        }
        let Some(acc) = by_key.get_mut(key) else {
            continue;
        };
        acc.count += 1;
        acc.days.insert(day);
    }
    let mut out: Vec<Headline> = by_key
        .into_iter()
        .map(|(key, acc)| Headline {
            article: article_of(&key),
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
