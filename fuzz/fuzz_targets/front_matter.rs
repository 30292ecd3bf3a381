//! Any text through the front-matter splitter and YAML parser (with its size and alias
//! bounds): no panic, errors point at a line of the (decoded) text, the body is a suffix of the
//! text, and cleaned values are free of characters XML forbids.
#![no_main]

use libfuzzer_sys::fuzz_target;
use newsdigest::ingest::frontmatter;

fuzz_target!(|raw: &str| {
    // The pipeline only ever hands decoded text (LF line ends) to the parser.
    let text = &newsdigest::ingest::decode::normalise_lines(raw);
    match frontmatter::split(text) {
        Ok((fm, body, line)) => {
            assert!(text.ends_with(body));
            // Cleaned values hold neither characters XML forbids nor bidi controls in names.
            if let Some(mut fm) = fm {
                fm.clean_text();
                for t in fm.title.iter().chain(&fm.tags).chain(&fm.aliases) {
                    assert!(!t.chars().any(newsdigest::safety::is_xml_forbidden));
                    assert!(!t.chars().any(newsdigest::safety::is_bidi_control));
                }
            }
            assert!(line >= 1 && line <= text.lines().count() + 2);
        }
        Err(e) => {
            if let Some(l) = e.line {
                assert!(l >= 1 && l <= text.lines().count() + 1, "{l}");
            }
        }
    }
});
