//! The briefing: which stories lead a day ("Top stories") and the sentences each gets.
//!
//! Top stories are the day's most covered stories: by their [`Weight`] (how many distinct
//! sites covered the story, then how prominently each placed it, see [`super::stories`]).
//! Among stories of equal coverage the next pick is a story whose lead comes from a site that
//! leads fewer of the stories already picked, so that on a day with several sites the five
//! are not all one site's unless only that site covered them.
//!
//! A briefing is the lead article's cleaned lede cut at a sentence boundary: whole sentences
//! while they fit in [`BRIEFING_MAX`] characters, at least the first (a first sentence longer
//! than [`SENTENCE_MAX`] is cut at a word, with `…`).

use super::sites::SiteId;
use super::stories::Weight;
use super::text;

/// Stories in a day's "Top stories".
pub const TOP_STORIES: usize = 5;
/// Longest briefing of more than one sentence, in characters.
pub const BRIEFING_MAX: usize = 320;
/// Longest first sentence kept whole, in characters.
pub const SENTENCE_MAX: usize = 480;

/// The day's top stories: `day` (the day's stories, by rank) picked by weight, then by how
/// few of the picks so far their site leads, then by rank; at most [`TOP_STORIES`].
pub fn top_stories(day: &[usize], of: impl Fn(usize) -> (Weight, Option<SiteId>)) -> Vec<usize> {
    let mut left: Vec<(usize, Weight, Option<SiteId>)> = day
        .iter()
        .map(|&i| {
            let (w, s) = of(i);
            (i, w, s)
        })
        .collect();
    let mut picked: Vec<usize> = Vec::new();
    let mut leads: Vec<Option<SiteId>> = Vec::new();
    while picked.len() < TOP_STORIES && !left.is_empty() {
        let led =
            |s: Option<SiteId>| s.map_or(0, |s| leads.iter().filter(|&&x| x == Some(s)).count());
        let best = (0..left.len())
            .min_by(|&a, &b| {
                let (x, y) = (&left[a], &left[b]);
                y.1.sites
                    .cmp(&x.1.sites)
                    .then(led(x.2).cmp(&led(y.2)))
                    .then(y.1.placement.total_cmp(&x.1.placement))
                    .then(a.cmp(&b))
            })
            .unwrap_or(0);
        let (i, _, site) = left.remove(best);
        picked.push(i);
        leads.push(site);
    }
    picked
}

/// Whole sentences of the first paragraphs while they fit in [`BRIEFING_MAX`], at least one.
pub fn briefing<S: AsRef<str>>(paragraphs: &[S]) -> String {
    let mut sentences = paragraphs
        .iter()
        .flat_map(|p| text::sentences(p.as_ref()))
        .filter(|s| !s.is_empty());
    let Some(first) = sentences.next() else {
        return String::new();
    };
    if first.chars().count() > SENTENCE_MAX {
        return text::cut_at_word(first, SENTENCE_MAX);
    }
    let mut out = first.to_string();
    let mut len = first.chars().count();
    for s in sentences {
        let n = s.chars().count();
        if len + 1 + n > BRIEFING_MAX {
            break;
        }
        out.push(' ');
        out.push_str(s);
        len += 1 + n;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &[&str]) -> Vec<String> {
        s.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn whole_sentences_while_they_fit() {
        let b = briefing(&p(&[
            "Rates held. The bank cited inflation. Third one.",
            "Next.",
        ]));
        assert_eq!(b, "Rates held. The bank cited inflation. Third one. Next.");
        let long = "word ".repeat(70) + "end.";
        let b = briefing(&p(&["Rates held.", &long]));
        assert_eq!(b, "Rates held.");
    }

    #[test]
    fn a_briefing_never_ends_mid_sentence_unless_the_first_is_huge() {
        let long = "word ".repeat(70) + "end. Second sentence.";
        let b = briefing(&p(&[&long]));
        assert!(b.ends_with("end."), "{b}");
        assert!(!b.contains("Second"));
        let huge = "wordy ".repeat(100);
        let b = briefing(&p(&[&huge]));
        assert!(b.chars().count() <= SENTENCE_MAX + 1);
        assert!(b.ends_with("wordy…"), "{b}");
        assert_eq!(briefing(&p(&["", "  "])), "");
    }

    fn w(sites: usize, placement: f64) -> Weight {
        Weight { sites, placement }
    }

    #[test]
    fn most_covered_first_then_other_sites_first_among_equals() {
        let (a, b, c) = (
            Some(SiteId::new(0)),
            Some(SiteId::new(1)),
            Some(SiteId::new(2)),
        );
        // Day in rank order 10..=17; 12 was covered by three sites.
        let of = |i: usize| match i {
            12 => (w(3, 1.0), b),
            10 | 11 | 13 | 14 => (w(1, 1.0 - i as f64 / 100.0), a),
            15 => (w(1, 0.2), b),
            16 => (w(1, 0.1), c),
            _ => (w(1, 0.9), a),
        };
        let top = top_stories(&[10, 11, 12, 13, 14, 15, 16, 17], of);
        assert_eq!(top, [12, 10, 16, 17, 15]);
        // One site alone fills the top when only it covered anything.
        let top = top_stories(&[10, 11, 13, 14, 17], of);
        assert_eq!(top, [10, 17, 11, 13, 14]);
    }
}
