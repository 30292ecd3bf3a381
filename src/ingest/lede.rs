//! Ledes as an editor reads them: the opening of a news article carries machinery that is no
//! part of its news — a dateline ("MOSCOW, February 7. /TASS/.", "WASHINGTON (Reuters) -",
//! "LONDON —"), an agency tag ("(CNN)"), a byline ("By Jane Doe") or a photo credit
//! ("Image copyright Getty Images"). This module finds them so that titles, summaries and
//! briefings start at the news. The article body keeps its text as written.

use regex::Regex;
use std::sync::LazyLock;

/// An agency tag in parentheses at the very start: "(CNN)", "(AP) —", "(Reuters) -".
static AGENCY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\((?:[A-Z][A-Za-z&.]{1,11})(?:[ /][A-Z][A-Za-z&.]{1,11}){0,2}\)\s*(?:[-–—:]+\s*)?",
    )
    .expect("constant regex")
});

/// A dateline: a place in capitals, optionally a region and a date, optionally an agency, then
/// a dash, a colon or an agency slash form ("/TASS/.").
static DATELINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"^(?:[A-Z][A-Z.'’\-]+(?: [A-Z][A-Z.'’\-]+){0,3})",
        // ", Lebanon", ", February 7", ", Feb. 7, 2017"
        r"(?:,\s*[A-Z][A-Za-z.'’\-]+(?: [A-Za-z.'’\-]+){0,2}(?: \d{1,2})?(?:,? \d{4})?)*",
        r"\.?",
        r"(?:",
        // "(Reuters) -", "(AP) —", "(Al Jazeera):"
        r"\s*\([A-Z][A-Za-z&. ]{0,20}\)\s*[-–—:]+",
        r"|\s*/[A-Z][A-Za-z\-]{1,12}/\.?",
        // A dash after a space: "US-led" is a word, "LONDON —" a dateline.
        r"|\s+[-–—]+",
        r")(?:\s+|$)",
    ))
    .expect("constant regex")
});

/// A byline that is the whole line: "By Jane Doe", "By JANE DOE, Reuters", "By Jane Doe and
/// John Roe".
static BYLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?i:by)\s+[A-Z][\w.'’\-]+(?:\s+(?:[A-Z][\w.'’\-]+|and|&|de|van|von|der|al|bin|da|du|la|le))*(?:\s*[,|/]\s*[A-Z][\w .'’&\-]*)?$",
    )
    .expect("constant regex")
});

/// Photo credits and captions scrapers leave in the text.
static CREDIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?i:image copyright|image caption|image source|media caption|photo(?:graph)?:|photo credit|picture:|pictured:|getty images|file photo|\(photo:|\[photo)",
    )
    .expect("constant regex")
});

/// Whether `line` is a byline, and nothing else.
pub fn is_byline(line: &str) -> bool {
    let line = line.trim();
    line.split_whitespace().count() <= 12 && BYLINE.is_match(line)
}

/// Whether `line` is a photo credit or caption line.
pub fn is_credit(line: &str) -> bool {
    CREDIT.is_match(line.trim())
}

/// `line` without a leading dateline or agency tag (several may stack: "BEIRUT (AP) —").
/// Returns the rest of the line, which is empty when the line was only a dateline.
pub fn strip_lede(line: &str) -> &str {
    let mut rest = line.trim();
    for _ in 0..3 {
        let before = rest.len();
        if let Some(m) = AGENCY.find(rest) {
            rest = rest[m.end()..].trim_start();
        }
        if let Some(m) = DATELINE.find(rest) {
            rest = rest[m.end()..].trim_start();
        }
        if rest.len() == before {
            break;
        }
    }
    rest.trim_start_matches(['.', ',', '-', '–', '—', ':', ' '])
}

/// The lede of an article, cleaned: leading bylines, credits and bare datelines are dropped,
/// and the first remaining paragraph loses its dateline or agency tag. The paragraphs that
/// follow are kept as they are. Borrowed from `paragraphs`: a cleaned lede is a view of the
/// article's text, never a second copy of it.
pub fn clean(paragraphs: &[String]) -> Vec<&str> {
    let mut out = Vec::with_capacity(paragraphs.len());
    let mut at_start = true;
    for p in paragraphs {
        let p = p.trim();
        if at_start {
            if p.is_empty() || is_byline(p) || is_credit(p) {
                continue;
            }
            let rest = strip_lede(p);
            if rest.split_whitespace().count() < 2 {
                continue;
            }
            out.push(rest);
            at_start = false;
        } else if !is_credit(p) {
            out.push(p);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datelines_in_real_forms() {
        assert_eq!(
            strip_lede("MOSCOW, February 7. /TASS/. Russia's foreign ministry said"),
            "Russia's foreign ministry said"
        );
        assert_eq!(
            strip_lede("WASHINGTON (Reuters) - The U.S. Senate voted"),
            "The U.S. Senate voted"
        );
        assert_eq!(strip_lede("LONDON — Theresa May said"), "Theresa May said");
        assert_eq!(
            strip_lede("BEIRUT, Lebanon (AP) — Syrian troops advanced"),
            "Syrian troops advanced"
        );
        assert_eq!(
            strip_lede("(CNN)President Trump said"),
            "President Trump said"
        );
        assert_eq!(strip_lede("(CNN) — The storm hit"), "The storm hit");
        assert_eq!(strip_lede("MOSCOW, February 7. /TASS/"), "");
    }

    #[test]
    fn ordinary_sentences_are_untouched() {
        for s in [
            "U.S. President Donald Trump said on Thursday that talks were close.",
            "The EU said it would respond.",
            "Melania Trump has a tough act to follow.",
            "NATO allies met in Brussels on Monday.",
            "I believe talks are close, Trump said.",
            "US-led coalition jets struck the city.",
            "ANALYSIS: Michelle Obama a tough act to follow",
        ] {
            assert_eq!(strip_lede(s), s, "{s}");
        }
    }

    #[test]
    fn bylines_and_credits() {
        assert!(is_byline("By Jane Doe"));
        assert!(is_byline("By JANE DOE, Reuters"));
        assert!(is_byline("by Jane Doe and John Roe"));
        assert!(!is_byline(
            "By the time the police arrived, the crowd had left."
        ));
        assert!(is_credit("Image copyright Getty Images"));
        assert!(is_credit("Image caption Protesters in Berlin"));
        assert!(!is_credit("Images of the protest spread quickly."));
    }

    #[test]
    fn clean_drops_machinery_before_the_news() {
        let ps: Vec<String> = [
            "By Jane Doe",
            "Image copyright Reuters",
            "MOSCOW, February 7. /TASS/. Russia said it would respond.",
            "WASHINGTON (Reuters) - a later paragraph keeps its text.",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        assert_eq!(
            clean(&ps),
            [
                "Russia said it would respond.",
                "WASHINGTON (Reuters) - a later paragraph keeps its text."
            ]
        );
    }

    #[test]
    fn a_cleaned_lede_is_a_view_of_the_text_not_a_copy() {
        let ps: Vec<String> = ["By Jane Doe", "LONDON — Rates rose today.", "More text."]
            .map(String::from)
            .to_vec();
        let lede = clean(&ps);
        assert_eq!(lede, ["Rates rose today.", "More text."]);
        for (view, p) in lede.iter().zip(&ps[1..]) {
            assert!(p.as_bytes().as_ptr_range().contains(&view.as_ptr()));
        }
    }
}
