//! Small text helpers for titles and summaries: sentences, cutting at word boundaries,
//! counting words and the calendar dates a text names, and the normal form headlines are
//! matched by.

/// Abbreviations whose period does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "st", "jr", "sr", "prof", "gen", "gov", "sen", "rep", "lt", "col",
    "sgt", "capt", "inc", "ltd", "co", "corp", "vs", "no", "jan", "feb", "mar", "apr", "aug",
    "sep", "sept", "oct", "nov", "dec", "approx", "est", "dept",
];

/// The first sentence of `text`: up to the first `.`, `!` or `?` that is followed by white
/// space and is not part of an abbreviation such as "U.S." or "Mr.".
pub fn first_sentence(text: &str) -> &str {
    let bytes = text.as_bytes();
    for (i, ch) in text.char_indices() {
        if !matches!(ch, '.' | '!' | '?') {
            continue;
        }
        let next = bytes.get(i + 1).copied();
        if next.is_some() && next != Some(b' ') {
            continue;
        }
        if ch == '.' && is_abbreviation(&text[..i]) {
            continue;
        }
        return &text[..=i];
    }
    text
}

fn is_abbreviation(before: &str) -> bool {
    let word = before
        .rsplit(|c: char| c.is_whitespace() || c == '(' || c == '"')
        .next()
        .unwrap_or("");
    // "U.S", "U.K", "A" (a single initial)
    if word.split('.').all(|p| p.chars().count() == 1) {
        return true;
    }
    // The list is lowercase ASCII: an ASCII word is compared without a lowercased copy.
    if word.is_ascii() {
        ABBREVIATIONS.iter().any(|a| a.eq_ignore_ascii_case(word))
    } else {
        ABBREVIATIONS.contains(&word.to_lowercase().as_str())
    }
}

/// Cuts `text` to at most `max` characters at a word boundary, adding `…` when cut.
/// Never cuts inside a word; trailing punctuation before the cut is dropped.
pub fn cut_at_word(text: &str, max: usize) -> String {
    let text = text.trim();
    if text.chars().nth(max).is_none() {
        return text.to_string();
    }
    let byte_max = text
        .char_indices()
        .nth(max)
        .map(|(i, _)| i)
        .unwrap_or(text.len());
    let head = &text[..byte_max];
    // The cut falls between words when the next char is white space.
    let at_boundary = text[byte_max..].starts_with(char::is_whitespace);
    let cut = if at_boundary {
        head
    } else {
        match head.rfind(char::is_whitespace) {
            Some(i) => &head[..i],
            // One giant word: cut it, still on a char boundary.
            None => head,
        }
    };
    let cut = cut.trim_end_matches(|c: char| c.is_whitespace() || ",;:-–—".contains(c));
    format!("{cut}…")
}

pub fn word_count(paragraphs: &[String]) -> usize {
    paragraphs.iter().map(|p| words_in(p)).sum()
}

/// `text.split_whitespace().count()` without making the slices: the starts of runs of
/// non-white-space characters (this reads every article's whole body).
fn words_in(text: &str) -> usize {
    let mut count = 0;
    let mut gap = true;
    for c in text.chars() {
        let space = c.is_whitespace();
        count += usize::from(gap && !space);
        gap = space;
    }
    count
}

/// Minutes to read at 230 words a minute, at least 1.
pub fn reading_minutes(words: usize) -> usize {
    words.div_ceil(230).max(1)
}

/// The normal form headlines and titles are compared in: lowercase, curly quotes and dashes
/// folded, punctuation dropped, white space collapsed.
pub fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    normal_chars(text, |c| out.push(c));
    out
}

/// The FNV-1a hash of [`normalise`]`(text)`'s bytes, without building the string: boilerplate
/// and list detection key every body line of the corpus by it.
pub fn normalised_hash(text: &str) -> u64 {
    let mut h: u64 = crate::model::FNV1A_OFFSET;
    normal_chars(text, |c| {
        let mut buf = [0u8; 4];
        for &b in c.encode_utf8(&mut buf).as_bytes() {
            h = crate::model::fnv1a_step(h, b);
        }
    });
    h
}

/// Feeds the characters of `text`'s normal form (see [`normalise`]) to `out`, in order.
fn normal_chars(text: &str, mut out: impl FnMut(char)) {
    let mut space = false;
    let mut any = false;
    for ch in text.chars() {
        let c = match ch {
            '\u{2018}' | '\u{2019}' | '\u{201B}' | '`' => '\'',
            _ => ch,
        };
        if c.is_alphanumeric() {
            if space && any {
                out(' ');
            }
            space = false;
            any = true;
            if c.is_ascii() {
                out(c.to_ascii_lowercase());
            } else {
                c.to_lowercase().for_each(&mut out);
            }
        } else if c == '\'' || c == '.' {
            // "Trump's" and "U.S." keep their letters together.
        } else {
            space = true;
        }
    }
}

/// The sentences of a paragraph, in order, trimmed.
pub fn sentences(p: &str) -> impl Iterator<Item = &str> {
    let mut rest = p.trim();
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let s = first_sentence(rest);
        rest = rest[s.len()..].trim_start();
        Some(s.trim())
    })
}

/// Month names and the abbreviations news style writes ("Feb.", "Sept."), by month.
const MONTHS: &[(&str, u8)] = &[
    ("January", 1),
    ("Jan", 1),
    ("February", 2),
    ("Feb", 2),
    ("March", 3),
    ("Mar", 3),
    ("April", 4),
    ("Apr", 4),
    ("May", 5),
    ("June", 6),
    ("Jun", 6),
    ("July", 7),
    ("Jul", 7),
    ("August", 8),
    ("Aug", 8),
    ("September", 9),
    ("Sept", 9),
    ("Sep", 9),
    ("October", 10),
    ("Oct", 10),
    ("November", 11),
    ("Nov", 11),
    ("December", 12),
    ("Dec", 12),
];

/// A word without the punctuation a date is written with: "(Feb." is "Feb", "14)," is "14".
fn date_word(word: &str) -> &str {
    word.trim_start_matches('(')
        .trim_end_matches([',', '.', ';', ':', ')'])
}

/// The month a word names ("March", "Feb.", "Sept,"), written capitalised as a date is.
fn month_of(word: &str) -> Option<u8> {
    // Most words start with no month's letter: one byte says so before any comparison.
    if !matches!(
        word.as_bytes().first(),
        Some(b'J' | b'F' | b'M' | b'A' | b'S' | b'O' | b'N' | b'D' | b'(')
    ) {
        return None;
    }
    let w = date_word(word);
    MONTHS.iter().find(|(name, _)| *name == w).map(|&(_, m)| m)
}

/// The day of the month a word names ("14", "3rd,", "29."), 1 to 31.
fn day_of(word: &str) -> Option<u8> {
    if !word
        .as_bytes()
        .first()
        .is_some_and(|b| b.is_ascii_digit() || *b == b'(')
    {
        return None;
    }
    let w = date_word(word);
    let digits = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &w[digits.len()..];
    if digits.is_empty() || digits.len() > 2 || !matches!(suffix, "" | "st" | "nd" | "rd" | "th") {
        return None;
    }
    digits.parse().ok().filter(|d| (1..=31).contains(d))
}

/// How many distinct calendar dates the paragraphs name, written as news writes them:
/// "Feb. 14", "March 3rd", "14 February" (a month and a day of it, either order; a year
/// alone, "March 2017", is no date). A report of one event names a date or two; a timeline
/// or an explainer recounts many.
pub fn distinct_dates(paragraphs: &[String]) -> usize {
    let mut seen: Vec<(u8, u8)> = Vec::new();
    for p in paragraphs {
        // Every date has a digit, and most words have none: only the words around digits
        // are read.
        let mut i = 0;
        while let Some(k) = p.as_bytes()[i..].iter().position(u8::is_ascii_digit) {
            let at = i + k;
            let start = p[..at]
                .char_indices()
                .rev()
                .find(|(_, c)| c.is_whitespace())
                .map_or(0, |(j, c)| j + c.len_utf8());
            let end = p[at..]
                .find(char::is_whitespace)
                .map_or(p.len(), |j| at + j);
            i = end;
            let Some(day) = day_of(&p[start..end]) else {
                continue;
            };
            let month = p[..start]
                .split_whitespace()
                .next_back()
                .and_then(month_of)
                .or_else(|| p[end..].split_whitespace().next().and_then(month_of));
            if let Some(month) = month.filter(|&m| !seen.contains(&(m, day))) {
                seen.push((month, day));
            }
        }
    }
    seen.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_sentence_skips_abbreviations() {
        assert_eq!(
            first_sentence("U.S. President Trump said so. Then more."),
            "U.S. President Trump said so."
        );
        assert_eq!(first_sentence("Mr. Smith left. Next."), "Mr. Smith left.");
        assert_eq!(first_sentence("No end here"), "No end here");
        assert_eq!(first_sentence("Ask DR. Who. Next."), "Ask DR. Who.");
        assert_eq!(first_sentence("Ünï. Next."), "Ünï.");
        assert_eq!(
            first_sentence("Rates rose 2.5 percent. Next."),
            "Rates rose 2.5 percent."
        );
    }

    #[test]
    fn cut_never_splits_words() {
        assert_eq!(cut_at_word("short", 10), "short");
        assert_eq!(cut_at_word("one two three four", 9), "one two…");
        assert_eq!(cut_at_word("one two, three", 8), "one two…");
        assert_eq!(cut_at_word("supercalifragilistic", 5), "super…");
        assert_eq!(cut_at_word("héllo wörld again", 11), "héllo wörld…");
    }

    #[test]
    fn distinct_dates_counts_each_month_and_day_once() {
        let p = |t: &str| vec![t.to_string()];
        assert_eq!(
            distinct_dates(&p(
                "On Feb. 14 police said so; on 14 February again, and on March 3rd, (Sept. 9)."
            )),
            3
        );
        // A year is no day of the month; "may" is a verb; a number needs its month beside it.
        assert_eq!(
            distinct_dates(&p("In March 2017 it may 5 times rise by 12 percent.")),
            0
        );
        assert_eq!(
            distinct_dates(&p("May 32 and Marching 4 are not dates.")),
            0
        );
        assert_eq!(
            distinct_dates(&[
                "It began on January 2.".into(),
                "2 January, and Dec 31.".into()
            ]),
            2
        );
        assert_eq!(distinct_dates(&[]), 0);
        // Digits inside words are no days; any white space separates words.
        assert_eq!(
            distinct_dates(&p(
                "The G20 of 9/11 and COVID-19 met 1,822 people; Brüssel 5 März."
            )),
            0
        );
        assert_eq!(
            distinct_dates(&p("Ça, Feb.\u{a0}14 — née 15 March 2017")),
            2
        );
    }

    #[test]
    fn counts() {
        assert_eq!(word_count(&["a b c".into(), "d".into()]), 4);
        for t in [
            "",
            "   ",
            " lead and trail ",
            "tab\tvt\u{b}ff\u{c}cr\rnl\n",
            "nbsp\u{a0}ideographic\u{3000}em\u{2003}nel\u{85}end",
            "zero\u{200b}width is no space",
            "数字 ٣ héllo",
        ] {
            assert_eq!(words_in(t), t.split_whitespace().count(), "{t:?}");
        }
        assert_eq!(reading_minutes(0), 1);
        assert_eq!(reading_minutes(231), 2);
    }

    #[test]
    fn normal_form() {
        assert_eq!(
            normalise("Trump’s  Inflation — Claims!"),
            "trumps inflation claims"
        );
        assert_eq!(normalise("U.S.–India Deal"), "us india deal");
    }

    #[test]
    fn normalised_hash_is_the_hash_of_the_normal_form() {
        for t in [
            "",
            "  ",
            "...",
            "Trump’s  Inflation — Claims!",
            "U.S.–India Deal",
            "ÉCOLE ǅemal İstanbul Σίσυφος ΣΑΣ ß ﬁ Kelvin \u{212A}",
            "  leading and trailing  ",
            "数字 123 ٣",
        ] {
            assert_eq!(
                normalised_hash(t),
                crate::model::fnv1a(normalise(t).as_bytes()),
                "{t:?}"
            );
        }
    }
}
