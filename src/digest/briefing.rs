//! The briefing: which stories lead a day ("Top stories") and the one- or two-sentence
//! extractive summary each gets.
//!
//! Prominence of a story = the number of dumps whose headline list carried it (any headline
//! that links to it, each dump counted once, on any day) + the number of extra copies of it
//! that were received + rank points for the dump's own rank within its day
//! ([`rank_points`]: 4 for the top story, 3, 2, 1, then 0). So being the site's top story
//! weighs as much as appearing in four other dumps' lists. Ties go to the better rank.

use super::text;

/// Stories in a day's "Top stories".
pub const TOP_STORIES: usize = 5;
/// Longest briefing, in characters.
pub const BRIEFING_MAX: usize = 320;
/// A first sentence shorter than this gets the second sentence too.
pub const ONE_SENTENCE_MIN: usize = 140;

/// Points for the dump's own 1-based rank within its day.
pub fn rank_points(rank: usize) -> u32 {
    5u32.saturating_sub(rank as u32).min(4)
}

pub fn prominence(carried: usize, copies: usize, rank: usize) -> u32 {
    (carried + copies) as u32 + rank_points(rank)
}

/// The day's top stories: indices from `day` (already in rank order) sorted by prominence,
/// then rank, at most [`TOP_STORIES`].
pub fn top_stories(day: &[usize], prominence_of: impl Fn(usize) -> u32) -> Vec<usize> {
    let mut ranked: Vec<(usize, usize)> = day.iter().copied().enumerate().collect();
    ranked.sort_by(|a, b| {
        prominence_of(b.1)
            .cmp(&prominence_of(a.1))
            .then(a.0.cmp(&b.0))
    });
    ranked
        .into_iter()
        .take(TOP_STORIES)
        .map(|(_, i)| i)
        .collect()
}

/// One or two lead sentences: the first sentence of the first paragraph, plus the next one
/// when the first is short, cut at a word boundary (never mid-word) to [`BRIEFING_MAX`].
pub fn briefing(paragraphs: &[String]) -> String {
    let Some(first_para) = paragraphs.iter().map(|p| p.trim()).find(|p| !p.is_empty()) else {
        return String::new();
    };
    let s1 = text::first_sentence(first_para).trim();
    let mut out = s1.to_string();
    if s1.chars().count() < ONE_SENTENCE_MIN {
        let rest = first_para[s1.len()..].trim_start();
        let next = if rest.is_empty() {
            paragraphs
                .iter()
                .map(|p| p.trim())
                .filter(|p| !p.is_empty())
                .nth(1)
                .unwrap_or("")
        } else {
            rest
        };
        let s2 = text::first_sentence(next).trim();
        if !s2.is_empty() && out.chars().count() + 1 + s2.chars().count() <= BRIEFING_MAX {
            out.push(' ');
            out.push_str(s2);
        }
    }
    text::cut_at_word(&out, BRIEFING_MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &[&str]) -> Vec<String> {
        s.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn short_first_sentence_gets_a_second() {
        let b = briefing(&p(&[
            "Rates held. The bank cited inflation. Third one.",
            "Next.",
        ]));
        assert_eq!(b, "Rates held. The bank cited inflation.");
        let b = briefing(&p(&["Rates held.", "The bank cited inflation. More."]));
        assert_eq!(b, "Rates held. The bank cited inflation.");
    }

    #[test]
    fn long_first_sentence_stands_alone_and_long_text_is_cut_at_a_word() {
        let long = "word ".repeat(40) + "end. Second sentence.";
        let b = briefing(&p(&[&long]));
        assert!(!b.contains("Second"));
        let huge = "wordy ".repeat(100);
        let b = briefing(&p(&[&huge]));
        assert!(b.chars().count() <= BRIEFING_MAX + 1);
        assert!(b.ends_with("wordy…"), "{b}");
    }

    #[test]
    fn prominence_counts_lists_copies_and_rank() {
        assert_eq!(rank_points(1), 4);
        assert_eq!(rank_points(4), 1);
        assert_eq!(rank_points(9), 0);
        assert_eq!(prominence(3, 1, 2), 7);
        // Day in rank order: 10, 11, 12. 12 is carried by many lists.
        let prom = |i: usize| match i {
            10 => 4,
            11 => 3,
            _ => 9,
        };
        assert_eq!(top_stories(&[10, 11, 12], prom), [12, 10, 11]);
    }
}
