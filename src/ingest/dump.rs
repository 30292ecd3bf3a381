//! The dump format, file by file: paragraphs one per line, an optional title line, and a
//! trailing block of the source site's other headlines. See `docs/dump-format.md`.
//!
//! This is the *shape* reading, the only one a file alone allows: a headline list is a
//! trailing block of short lines that do not read as sentences, whatever their case. The
//! corpus around a dump knows more (its list lines recur in other dumps' lists, its
//! boilerplate recurs across its site); [`crate::digest::structure`] refines this reading
//! with that evidence.

/// A dump split into its parts. Text is as in the file (decoded), never interpreted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DumpParts {
    /// A headline-like first line followed by a blank line.
    pub title_line: Option<String>,
    /// One entry per non-empty body line.
    pub paragraphs: Vec<String>,
    /// The trailing headline list, in file order, without its label line.
    pub headlines: Vec<String>,
    /// A label line ("More headlines", "Latest") that introduced the list.
    pub list_label: Option<String>,
    /// 1-based line (relative to the text given) of each paragraph, for diagnostics.
    pub paragraph_lines: Vec<usize>,
}

/// Longest line, in characters, that can still be a headline.
pub const HEADLINE_MAX_CHARS: usize = 160;
/// Most words a headline may have.
pub const HEADLINE_MAX_WORDS: usize = 24;
/// Fewest lines a trailing block needs to be a headline list by its shape alone.
pub const LIST_MIN_LINES: usize = 2;

/// Lines that introduce a headline list rather than belong to it, compared case-insensitively
/// without a trailing colon.
pub const LIST_LABELS: &[&str] = &[
    "more headlines",
    "headlines",
    "latest",
    "latest news",
    "latest headlines",
    "latest stories",
    "related",
    "related stories",
    "related articles",
    "related news",
    "read more",
    "more",
    "more news",
    "more stories",
    "most popular",
    "most read",
    "popular",
    "top stories",
    "trending",
    "you may also like",
    "recommended",
    "see also",
    "also read",
    "in other news",
    "elsewhere",
    "more from this section",
];

/// Whether `line` is a label line that introduces a list.
pub fn is_list_label(line: &str) -> bool {
    let l = line
        .trim()
        .trim_end_matches([':', '.', '\u{2026}', '>', '\u{bb}'])
        .trim()
        .to_lowercase();
    LIST_LABELS.contains(&l.as_str())
}

/// Splits decoded dump text (LF line endings, no trailing white space) into its parts.
pub fn split(text: &str) -> DumpParts {
    let blocks = blocks(text);
    if blocks.is_empty() {
        return DumpParts::default();
    }
    let mut body: &[Block] = &blocks;
    let mut parts = DumpParts::default();

    // The trailing block is the headline list when it reads like one, with or without a
    // label line of its own. A dump that is a single block of headlines (no body at all) is
    // accepted too, but needs a few lines to count.
    if let Some(last) = body.last() {
        let mut lines: &[(usize, &str)] = &last.lines;
        let mut label = None;
        if lines.len() > LIST_MIN_LINES && is_list_label(lines[0].1) {
            label = Some(lines[0].1.trim().to_string());
            lines = &lines[1..];
        }
        let min_lines = if body.len() == 1 && label.is_none() {
            3
        } else {
            LIST_MIN_LINES
        };
        if lines.len() >= min_lines && is_headline_block(lines) {
            parts.headlines = lines.iter().map(|(_, l)| l.trim().to_string()).collect();
            parts.list_label = label;
            body = &body[..body.len() - 1];
            // A label on a line of its own, just before the list.
            if parts.list_label.is_none()
                && let Some(prev) = body.last()
                && prev.lines.len() == 1
                && is_list_label(prev.lines[0].1)
            {
                parts.list_label = Some(prev.lines[0].1.trim().to_string());
                body = &body[..body.len() - 1];
            }
        }
    }

    // A title line: a first block of exactly one headline-like line, with body after it.
    if body.len() >= 2 && body[0].lines.len() == 1 && is_title_line(body[0].lines[0].1) {
        parts.title_line = Some(body[0].lines[0].1.trim().to_string());
        body = &body[1..];
    }

    for block in body {
        for (line_no, line) in &block.lines {
            parts.paragraphs.push(line.trim().to_string());
            parts.paragraph_lines.push(*line_no);
        }
    }
    parts
}

struct Block<'a> {
    /// (1-based line number, text) of each non-blank line.
    lines: Vec<(usize, &'a str)>,
}

fn blocks(text: &str) -> Vec<Block<'_>> {
    let mut out = Vec::new();
    let mut current: Vec<(usize, &str)> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            if !current.is_empty() {
                out.push(Block {
                    lines: std::mem::take(&mut current),
                });
            }
        } else {
            current.push((i + 1, line));
        }
    }
    if !current.is_empty() {
        out.push(Block { lines: current });
    }
    out
}

/// A block is a headline list when nearly all its lines look like headlines.
fn is_headline_block(lines: &[(usize, &str)]) -> bool {
    let good = lines.iter().filter(|(_, l)| looks_like_headline(l)).count();
    // Allow one odd line in a long list (a headline that ends with a full stop, a scraped
    // "Live:" ticker), and one in ten beyond that.
    good == lines.len() || (lines.len() >= 6 && good + 1 + lines.len() / 10 >= lines.len())
}

/// A line shaped like a headline, in any case: short, and not a sentence (no full stop at
/// the end, abbreviations such as "U.S." excepted, and no comma or colon at the end).
pub fn looks_like_headline(line: &str) -> bool {
    let line = line.trim();
    // `nth` stops at the limit: a multi-megabyte line is rejected without being counted.
    if line.is_empty() || line.chars().nth(HEADLINE_MAX_CHARS).is_some() {
        return false;
    }
    if line.ends_with('.') && !ends_with_abbreviation(line) {
        return false;
    }
    if line.ends_with([',', ';', ':']) {
        return false;
    }
    let words = line.split_whitespace().count();
    words <= HEADLINE_MAX_WORDS && line.chars().any(char::is_alphabetic)
}

/// A first line that can be the dump's own title: headline-shaped, at least three words,
/// and not a byline, a dateline or a list label.
fn is_title_line(line: &str) -> bool {
    looks_like_headline(line)
        && line.split_whitespace().count() >= 3
        && !is_list_label(line)
        && !super::lede::is_byline(line)
        && super::lede::strip_lede(line).len() == line.trim().len()
}

fn ends_with_abbreviation(line: &str) -> bool {
    let last = line.rsplit(' ').next().unwrap_or(line);
    // Forms like "U.S." or "U.K.": letters separated by dots.
    last.len() <= 6
        && last
            .split('.')
            .filter(|p| !p.is_empty())
            .all(|p| p.len() == 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const REAL: &str = include_str!("../../tests/fixtures/examples/000_6692dc3ab9125327.txt");

    fn decoded(s: &str) -> String {
        crate::ingest::decode::decode(s.as_bytes())
            .map(|d| d.text)
            .unwrap_or_default()
    }

    #[test]
    fn real_dump_splits_into_body_and_sixteen_headlines() {
        let p = split(&decoded(REAL));
        assert_eq!(p.paragraphs.len(), 6);
        assert_eq!(p.headlines.len(), 16);
        assert!(p.title_line.is_none());
        assert!(p.paragraphs[0].starts_with("U.S. President Donald Trump said on Thursday"));
        assert_eq!(
            p.headlines[15],
            "Trump Lifts 25% Tariff on Indian Goods in Strategic U.S.–India Trade and Energy Deal"
        );
        assert_eq!(p.paragraph_lines[0], 1);
    }

    #[test]
    fn one_paragraph_per_line() {
        let p = split("First para.\nSecond para.\nThird para.\n");
        assert_eq!(
            p.paragraphs,
            vec!["First para.", "Second para.", "Third para."]
        );
        assert!(p.headlines.is_empty());
    }

    #[test]
    fn title_line_followed_by_blank_line() {
        let p = split(
            "Harbour Bridge Reopens After Repairs\n\nThe bridge reopened on Monday.\n\n\nOther Story Here\nAnother Story There\n",
        );
        assert_eq!(
            p.title_line.as_deref(),
            Some("Harbour Bridge Reopens After Repairs")
        );
        assert_eq!(p.paragraphs, vec!["The bridge reopened on Monday."]);
        assert_eq!(p.headlines.len(), 2);
    }

    #[test]
    fn first_line_without_blank_is_body() {
        let p = split("Harbour Bridge Reopens After Repairs\nThe bridge reopened on Monday.\n");
        assert!(p.title_line.is_none());
        assert_eq!(p.paragraphs.len(), 2);
    }

    #[test]
    fn dump_without_headlines() {
        let p =
            split("A body sentence that ends.\n\n\nAnother paragraph of body text, also ending.\n");
        assert!(p.headlines.is_empty());
        assert_eq!(p.paragraphs.len(), 2);
    }

    #[test]
    fn dump_that_is_only_headlines() {
        let p =
            split("Mayor Opens New Library\nCouncil Approves Budget\nStorm Warning for Coast\n");
        assert!(p.paragraphs.is_empty());
        assert_eq!(p.headlines.len(), 3);
    }

    #[test]
    fn empty_and_blank() {
        assert_eq!(split(""), DumpParts::default());
        assert_eq!(split("\n\n\n"), DumpParts::default());
    }

    #[test]
    fn headline_heuristics() {
        assert!(looks_like_headline(
            "Federal Judge Restores Funding for Gateway Rail Tunnel Project"
        ));
        assert!(looks_like_headline(
            "Trump Allows Commercial Fishing in Protected New England Waters"
        ));
        assert!(looks_like_headline(
            "Talks Stall Over Tariffs With the U.S."
        ));
        assert!(!looks_like_headline(
            "The president said the talks were going well."
        ));
        // Case says nothing: most sites write headlines in sentence case.
        assert!(looks_like_headline("Trump signs order on refugees"));
        assert!(looks_like_headline("TRUMP SIGNS ORDER ON REFUGEES"));
        assert!(looks_like_headline(
            "Can a deposit system help reusable coffee cups catch on?"
        ));
        assert!(!looks_like_headline(
            "The officials said, according to reports:"
        ));
        assert!(!looks_like_headline(&"Word ".repeat(40)));
    }
}
