//! Any text through the front-matter splitter and YAML parser: no panic, errors point at a
//! line of the (decoded) text, and the body is a suffix of the text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use newsdigest::ingest::frontmatter;

fuzz_target!(|raw: &str| {
    // The pipeline only ever hands decoded text (LF line ends) to the parser.
    let text = &newsdigest::ingest::decode::normalise_lines(raw);
    match frontmatter::split(text) {
        Ok((_, body, line)) => {
            assert!(text.ends_with(body));
            assert!(line >= 1 && line <= text.lines().count() + 2);
        }
        Err(e) => {
            if let Some(l) = e.line {
                assert!(l >= 1 && l <= text.lines().count() + 1, "{l}");
            }
        }
    }
});
