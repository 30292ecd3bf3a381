//! Typography of headlines: a hyphenated compound ("Clean-Up", "Two-Year") stays on one
//! line. Browsers may break a line after any hyphen, and in a big headline on a phone that
//! leaves "Clean-" at the end of one line and "Up" on the next; CSS cannot forbid that break
//! (`hyphens` governs only soft and automatic hyphens), so the compound is wrapped in a
//! `nobr` span that the stylesheet keeps together.

/// `text` as HTML, escaped as every template value is ([`super::escape`]), with every word holding a hyphen between two
/// letters or digits wrapped in `<span class="nobr">`.
pub fn headline_html(text: &str) -> String {
    use super::escape::{html, push_html};
    // Most headlines hold no hyphen: escaped whole, as the word-by-word loop would.
    if !text.contains(['-', '\u{2010}']) {
        return html(text);
    }
    let mut out = String::with_capacity(text.len() + 32);
    for piece in text.split_inclusive(char::is_whitespace) {
        let word = piece.trim_end_matches(char::is_whitespace);
        let space = &piece[word.len()..];
        if has_inner_hyphen(word) {
            out.push_str("<span class=\"nobr\">");
            push_html(&mut out, word);
            out.push_str("</span>");
        } else {
            push_html(&mut out, word);
        }
        push_html(&mut out, space);
    }
    out
}

fn has_inner_hyphen(word: &str) -> bool {
    let mut chars = word.chars();
    let (mut before, mut at) = (chars.next(), chars.next());
    for after in chars {
        if let (Some(b), Some(h)) = (before, at)
            && matches!(h, '-' | '\u{2010}')
            && b.is_alphanumeric()
            && after.is_alphanumeric()
        {
            return true;
        }
        (before, at) = (at, Some(after));
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hyphenated_compounds_are_kept_whole_and_everything_is_escaped() {
        assert_eq!(
            headline_html("Crown Falls to Two-Year Low"),
            "Crown Falls to <span class=\"nobr\">Two-Year</span> Low"
        );
        assert_eq!(
            headline_html("Clean-Up <b>\"Begins\"</b> & Ends"),
            "<span class=\"nobr\">Clean-Up</span> &lt;b&gt;&quot;Begins&quot;&lt;/b&gt; &amp; Ends"
        );
    }

    #[test]
    fn dashes_and_plain_titles_are_left_alone() {
        assert_eq!(
            headline_html("Storm - What We Know"),
            "Storm - What We Know"
        );
        assert_eq!(
            headline_html("Pre- and Post-War"),
            "Pre- and <span class=\"nobr\">Post-War</span>"
        );
        assert_eq!(
            headline_html("O'Neill's 3-2 Win"),
            "O&#39;Neill&#39;s <span class=\"nobr\">3-2</span> Win"
        );
        assert_eq!(headline_html(""), "");
        assert_eq!(
            headline_html("A\u{2010}B c"),
            "<span class=\"nobr\">A\u{2010}B</span> c"
        );
        assert_eq!(headline_html("-a- -"), "-a- -");
        assert_eq!(headline_html("a-"), "a-");
    }
}
