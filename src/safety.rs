//! The rules that keep untrusted text (dumps, front matter, file names) from becoming a live
//! link, a path outside `output/`, or a trick on the terminal. Every stage that lets such text
//! near an `href`, a file name or stderr asks here, so each rule lives in one place.

use std::borrow::Cow;

/// URL schemes a link may use. Relative URLs (no scheme) are always allowed.
pub const SAFE_SCHEMES: &[&str] = &["http", "https", "mailto"];

/// Whether `url` may appear in an `href` or `src`: relative, or `http`, `https` or `mailto`.
/// `javascript:`, `data:`, `vbscript:`, `file:` and every other scheme are refused.
pub fn is_safe_url(url: &str) -> bool {
    // Browsers drop tabs and newlines anywhere in a URL and control characters and spaces
    // around it ("java\tscript:"); look at the URL the way they will.
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_control() && !c.is_whitespace())
        .collect();
    match cleaned.find([':', '/', '?', '#']) {
        Some(i) if cleaned.as_bytes()[i] == b':' => {
            let scheme = cleaned[..i].to_ascii_lowercase();
            SAFE_SCHEMES.contains(&scheme.as_str())
        }
        _ => true,
    }
}

/// Whether `text` reads as a URL with a scheme (`https://x`, `javascript:x`) rather than a
/// relative URL or a name such as `Reuters: World` (white space after the colon).
pub fn has_scheme(text: &str) -> bool {
    let url = text.trim_start();
    match url.find(':') {
        Some(i) if i > 0 && !url[i + 1..].starts_with(char::is_whitespace) => {
            let s = &url[..i];
            s.starts_with(|c: char| c.is_ascii_alphabetic())
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        _ => false,
    }
}

/// Checks a link given in front matter (`url`): trimmed, non-empty, no white space inside,
/// and a safe scheme. The error says why, for a diagnostic.
pub fn link_url(raw: &str) -> Result<String, String> {
    let url = raw.trim();
    if url.is_empty() {
        return Err("is empty".into());
    }
    if url.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err("contains white space or control characters".into());
    }
    if !is_safe_url(url) {
        return Err("is not an http, https, mailto or relative URL".into());
    }
    Ok(url.to_string())
}

/// File and folder names Windows reserves for devices, with or without an extension. A slug
/// equal to one of them could not be written (or would open a device) on Windows.
const WINDOWS_RESERVED: &[&str] = &[
    "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8",
    "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// Whether `segment` is a name Windows reserves (`CON`, `nul.txt`, `Com1`…).
pub fn is_reserved_name(segment: &str) -> bool {
    let stem = segment.split('.').next().unwrap_or(segment);
    let stem = stem.trim_end_matches([' ', '.']);
    // Every reserved name has 3 or 4 letters; most slugs are rejected here (this runs for
    // every slug of every topic mention).
    (3..=4).contains(&stem.len())
        && WINDOWS_RESERVED
            .iter()
            .any(|r| r.eq_ignore_ascii_case(stem))
}

/// Whether a character could change how a terminal shows the text around it: control
/// characters (escape sequences, carriage returns) and Unicode bidirectional controls (which
/// can make `evil\u{202E}txt.exe` read as `eviltxt.exe` backwards).
fn is_deceptive(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        )
}

/// `s` with control and bidirectional-control characters shown as `\u{…}` escapes, for text
/// from files (paths, YAML keys) that is printed on a terminal. Other text, including
/// right-to-left scripts, is left as it is.
pub fn terminal_safe(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_deceptive) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_deceptive(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Whether XML 1.0 forbids `c` in a document even as a character reference: the C0 controls
/// other than tab, LF and CR, and the noncharacters U+FFFE and U+FFFF. One such character in a
/// title makes every feed and sitemap that carries it unreadable, so none may reach a page.
pub fn is_xml_forbidden(c: char) -> bool {
    matches!(
        c,
        '\u{1}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}'
    )
}

/// `s` with every [`is_xml_forbidden`] character replaced by U+FFFD, and how many there were.
pub fn replace_xml_forbidden(s: &str) -> (Cow<'_, str>, usize) {
    if !may_hold_xml_forbidden(s) {
        return (Cow::Borrowed(s), 0);
    }
    let n = s.chars().filter(|&c| is_xml_forbidden(c)).count();
    if n == 0 {
        return (Cow::Borrowed(s), 0);
    }
    let out = s
        .chars()
        .map(|c| if is_xml_forbidden(c) { '\u{FFFD}' } else { c })
        .collect();
    (Cow::Owned(out), n)
}

/// Whether `s` has a byte that can start an [`is_xml_forbidden`] character: a C0 control
/// other than tab, LF and CR, or `EF`, the lead byte of U+FFFE and U+FFFF. A byte scan the
/// compiler vectorises; every file and every paragraph of every page passes here, and almost
/// none holds such a character.
fn may_hold_xml_forbidden(s: &str) -> bool {
    let suspect = |b: u8| (b < 0x20 && !matches!(b, 0 | b'\t' | b'\n' | b'\r')) || b == 0xEF;
    // A whole chunk is folded without stopping early, so the loop runs on vectors.
    s.as_bytes()
        .chunks(64)
        .any(|c| c.iter().fold(false, |any, &b| any | suspect(b)))
}

/// Whether `c` is a bidirectional embedding, override or isolate control (U+202A–U+202E,
/// U+2066–U+2069). From an untrusted headline, U+202E makes a title read backwards and runs on
/// into the text after it; titles and slugs never need them (the browser finds the direction
/// of right-to-left scripts itself, and the theme isolates each title with `dir="auto"`).
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `s` without [`is_bidi_control`] characters.
pub fn strip_bidi_controls(s: &str) -> Cow<'_, str> {
    if s.chars().any(is_bidi_control) {
        Cow::Owned(s.chars().filter(|&c| !is_bidi_control(c)).collect())
    } else {
        Cow::Borrowed(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_forbidden_characters() {
        let forbidden: Vec<char> = (1u32..=0x1F)
            .filter(|c| ![9, 10, 13].contains(c))
            .chain([0xFFFE, 0xFFFF])
            .filter_map(char::from_u32)
            .collect();
        assert_eq!(forbidden.len(), 30);
        for c in forbidden {
            assert!(is_xml_forbidden(c), "{:x}", u32::from(c));
        }
        for c in [
            '\t',
            '\n',
            '\r',
            ' ',
            '\u{7F}',
            '\u{85}',
            '\u{FFFD}',
            '\u{10FFFF}',
            'é',
        ] {
            assert!(!is_xml_forbidden(c), "{:x}", u32::from(c));
        }
        assert_eq!(
            replace_xml_forbidden("a\u{C}b\u{FFFF}"),
            (Cow::Owned("a\u{FFFD}b\u{FFFD}".to_string()), 2)
        );
        assert!(matches!(
            replace_xml_forbidden("plain\ttext"),
            (Cow::Borrowed(_), 0)
        ));
        // The byte prefilter lets no forbidden character through, and a lead byte that
        // starts an allowed character ("\u{FFFD}") is still no replacement.
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            if is_xml_forbidden(c) {
                assert!(
                    may_hold_xml_forbidden(&format!("ab{c}cd")),
                    "{:x}",
                    u32::from(c)
                );
            }
        }
        assert!(matches!(
            replace_xml_forbidden("a\u{FFFD}b\u{FFEF}"),
            (Cow::Borrowed(_), 0)
        ));
    }

    #[test]
    fn bidi_controls_are_stripped() {
        assert_eq!(
            strip_bidi_controls(
                "\u{202A}a\u{202B}b\u{202C}c\u{202D}d\u{202E}e\u{2066}f\u{2067}g\u{2068}h\u{2069}"
            ),
            "abcdefgh"
        );
        // Right-to-left text and the implicit marks stay: only the overriding controls go.
        let arabic = "\u{645}\u{631}\u{62D}\u{628}\u{627} \u{200F}";
        assert!(matches!(strip_bidi_controls(arabic), Cow::Borrowed(s) if s == arabic));
    }

    #[test]
    fn url_safety() {
        assert!(is_safe_url("https://x.org"));
        assert!(is_safe_url("HTTP://x.org"));
        assert!(is_safe_url("mailto:a@b.c"));
        assert!(is_safe_url("../x"));
        assert!(is_safe_url("/a:b"));
        assert!(is_safe_url("x?a=b:c"));
        assert!(is_safe_url("#frag:x"));
        assert!(!is_safe_url("JavaScript:x"));
        assert!(!is_safe_url("java\tscript:x"));
        assert!(!is_safe_url(" \u{1}javascript:x"));
        assert!(!is_safe_url("data:text/html,x"));
        assert!(!is_safe_url("vbscript:x"));
        assert!(!is_safe_url("file:///etc/passwd"));
    }

    #[test]
    fn front_matter_links() {
        assert_eq!(link_url(" https://x.org/a ").unwrap(), "https://x.org/a");
        assert_eq!(link_url("/local/page/").unwrap(), "/local/page/");
        assert!(link_url("javascript:alert(1)").is_err());
        assert!(link_url("data:text/html;base64,PHNjcmlwdD4=").is_err());
        assert!(link_url("https://x.org/a b").is_err());
        assert!(link_url("").is_err());
    }

    #[test]
    fn schemes() {
        assert!(has_scheme("https://x"));
        assert!(has_scheme("javascript:x"));
        assert!(!has_scheme("Reuters"));
        assert!(!has_scheme("/a:b"));
        assert!(!has_scheme("Reuters: World"));
    }

    #[test]
    fn reserved_names() {
        for n in [
            "CON",
            "con",
            "nul.txt",
            "Com1",
            "LPT9",
            "aux.tar.gz",
            "prn ",
        ] {
            assert!(is_reserved_name(n), "{n}");
        }
        for n in ["console", "com10", "nullify", "a-con"] {
            assert!(!is_reserved_name(n), "{n}");
        }
    }

    #[test]
    fn terminal_escapes() {
        assert_eq!(terminal_safe("plain/مقال.txt"), "plain/مقال.txt");
        assert_eq!(terminal_safe("evil\u{202E}txt.exe"), "evil\\u{202e}txt.exe");
        assert_eq!(terminal_safe("a\x1b[31mred"), "a\\u{1b}[31mred");
    }
}
