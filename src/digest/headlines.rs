//! The headline index: every headline seen in the corpus (article titles and the headline
//! lists at the bottom of dumps), deduplicated by normal form, each linked to its article.
//! The index is filed by initial (A–Z, then `#` for digits and other scripts) so that the
//! site can split it into one section per letter, each a contiguous run of the sorted list.

use super::text::normalise;
use crate::model::Day;
use rustc_hash::FxHashMap as HashMap;
use std::collections::BTreeSet;

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

/// Builds the index from (day, text) sightings and a title lookup. Sorted by [`Initial`], then
/// case-insensitively, ties broken by the text itself, so the order never depends on input
/// order and each initial's headlines are one contiguous run.
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
    let mut by_key: HashMap<String, Acc> = Default::default();
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
    out.sort_by_cached_key(|h| (Initial::of(&h.key), h.key.clone(), h.text.clone()));
    out
}

/// The section of the headline index a headline is filed under: a letter A–Z (accents
/// ignored, so "Équipe" is under E), or [`Initial::OTHER`] for digits and other scripts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Initial(u8);

impl Initial {
    /// Digits, and letters outside A–Z once accents are removed (Greek, Cyrillic, CJK…).
    pub const OTHER: Initial = Initial(26);

    /// Every initial in index order: A to Z, then [`Initial::OTHER`].
    pub fn all() -> impl Iterator<Item = Initial> {
        (0..=26).map(Initial)
    }

    /// The initial of a headline's normal form (see [`super::text::normalise`]).
    pub fn of(key: &str) -> Initial {
        use unicode_normalization::UnicodeNormalization;
        match key.chars().next().and_then(|c| c.to_string().nfd().next()) {
            Some(c) if c.is_ascii_alphabetic() => Initial(c.to_ascii_lowercase() as u8 - b'a'),
            _ => Initial::OTHER,
        }
    }

    /// What a reader sees: `A`…`Z`, or `#`.
    pub fn label(self) -> String {
        if self == Initial::OTHER {
            "#".into()
        } else {
            char::from(b'A' + self.0).to_string()
        }
    }

    /// The URL segment: `a`…`z`, or `other`.
    pub fn slug(self) -> String {
        if self == Initial::OTHER {
            "other".into()
        } else {
            char::from(b'a' + self.0).to_string()
        }
    }
}

/// One initial's run of the sorted index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub initial: Initial,
    /// Indices into the index built by [`build`].
    pub items: std::ops::Range<usize>,
}

/// The non-empty sections of an index sorted by [`build`], in index order. Binary searches
/// only, so pages can ask for it as often as they like.
pub fn sections(index: &[Headline]) -> Vec<Section> {
    let mut out = Vec::new();
    let mut start = 0;
    for initial in Initial::all() {
        let end = start + index[start..].partition_point(|h| Initial::of(&h.key) <= initial);
        if end > start {
            out.push(Section {
                initial,
                items: start..end,
            });
        }
        start = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dedupes_counts_and_links() {
        let d1 = Day::parse_iso("2026-02-05").unwrap();
        let d2 = Day::parse_iso("2026-02-06").unwrap();
        let mut titles = HashMap::default();
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

    #[test]
    fn initials_fold_accents_and_file_the_rest_under_other() {
        assert_eq!(Initial::of("apple").label(), "A");
        assert_eq!(Initial::of("équipe").label(), "E");
        assert_eq!(Initial::of("zoo").slug(), "z");
        assert_eq!(Initial::of("2026 budget"), Initial::OTHER);
        assert_eq!(Initial::of("москва"), Initial::OTHER);
        assert_eq!(Initial::of(""), Initial::OTHER);
        assert_eq!(Initial::OTHER.label(), "#");
        assert_eq!(Initial::OTHER.slug(), "other");
        assert_eq!(Initial::all().count(), 27);
    }

    #[test]
    fn sections_are_contiguous_runs_covering_the_index() {
        let d = Day::parse_iso("2026-02-05").unwrap();
        let texts = [
            "Zoo Expands",
            "2026 Budget Passed",
            "Équipe Wins",
            "Apple Harvest",
            "Москва Floods",
            "Eagle Returns",
            "apple pickers strike",
        ];
        let idx = build(texts.iter().map(|t| (d, *t)), &HashMap::default());
        let order: Vec<_> = idx.iter().map(|h| h.text.as_str()).collect();
        assert_eq!(
            order,
            [
                "Apple Harvest",
                "apple pickers strike",
                "Eagle Returns",
                "Équipe Wins",
                "Zoo Expands",
                "2026 Budget Passed",
                "Москва Floods",
            ]
        );
        let s = sections(&idx);
        let got: Vec<_> = s
            .iter()
            .map(|s| (s.initial.label(), s.items.clone()))
            .collect();
        assert_eq!(
            got,
            [
                ("A".to_string(), 0..2),
                ("E".to_string(), 2..4),
                ("Z".to_string(), 4..5),
                ("#".to_string(), 5..7),
            ]
        );
        assert!(sections(&[]).is_empty());
    }
}
