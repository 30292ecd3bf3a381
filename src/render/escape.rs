//! HTML escaping for everything a template prints: the five characters Tera's own escaper
//! replaces (`& < > " '`), with the same replacements, written a run at a time. Tera's
//! default writes each byte through `dyn Write` on its own, which made escaping a tenth of a
//! full build's CPU; this is the escaper the renderer hands Tera, and the one headlines and
//! feeds use, so every page escapes alike.

use std::io::{self, Write};

/// The replacement of an HTML special byte, or `None` for a byte written as it is.
fn replacement(b: u8) -> Option<&'static str> {
    match b {
        b'&' => Some("&amp;"),
        b'<' => Some("&lt;"),
        b'>' => Some("&gt;"),
        b'"' => Some("&quot;"),
        b'\'' => Some("&#39;"),
        _ => None,
    }
}

/// Hands `put` the pieces of `text` escaped, in order: each run between special characters
/// as it is, each special character's replacement.
fn each_piece<E>(text: &str, mut put: impl FnMut(&str) -> Result<(), E>) -> Result<(), E> {
    let mut run = 0;
    for (i, b) in text.bytes().enumerate() {
        if let Some(r) = replacement(b) {
            // The special characters are ASCII, so every run is whole UTF-8.
            put(&text[run..i])?;
            put(r)?;
            run = i + 1;
        }
    }
    put(&text[run..])
}

/// Writes `text` to `out` escaped (Tera's `EscapeFn`).
pub fn write_html(text: &str, out: &mut dyn Write) -> io::Result<()> {
    each_piece(text, |piece| out.write_all(piece.as_bytes()))
}

/// `text` escaped, as a new string.
pub fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    push_html(&mut out, text);
    out
}

/// Appends `text` escaped to `out`.
pub fn push_html(out: &mut String, text: &str) {
    let pushed: Result<(), std::convert::Infallible> = each_piece(text, |piece| {
        out.push_str(piece);
        Ok(())
    });
    let Ok(()) = pushed;
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn by_tera(text: &str) -> String {
        let mut out = Vec::new();
        tera::escape_html(text, &mut out).expect("a Vec takes every write");
        String::from_utf8(out).expect("escaping keeps UTF-8")
    }

    fn written(text: &str) -> String {
        let mut out = Vec::new();
        write_html(text, &mut out).expect("a Vec takes every write");
        String::from_utf8(out).expect("escaping keeps UTF-8")
    }

    #[test]
    fn the_five_specials_are_replaced_and_everything_else_kept() {
        let text = "Tom & Jerry's <b>\"Café\"</b> — 5 > 3";
        let want = "Tom &amp; Jerry&#39;s &lt;b&gt;&quot;Café&quot;&lt;/b&gt; — 5 &gt; 3";
        assert_eq!(written(text), want);
        assert_eq!(html(text), want);
        assert_eq!(html(""), "");
        assert_eq!(html("&&"), "&amp;&amp;");
    }

    proptest! {
        #[test]
        fn escapes_exactly_as_tera_does(text in "(?s)[a-z&<>\"' é—\n]{0,40}|\\PC{0,40}") {
            let want = by_tera(&text);
            prop_assert_eq!(written(&text), want.clone());
            prop_assert_eq!(html(&text), want);
        }
    }
}
