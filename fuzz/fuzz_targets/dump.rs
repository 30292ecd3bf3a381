//! Any bytes through decoding and the dump splitter: no panic, no character XML forbids left,
//! nothing lost (every non-empty line ends up as the title line, a paragraph, the list's label
//! line or a headline, in file order).
#![no_main]

use libfuzzer_sys::fuzz_target;
use newsdigest::ingest::{decode, dump};

fuzz_target!(|data: &[u8]| {
    let Ok(d) = decode::decode(data) else {
        assert!(data.contains(&0));
        return;
    };
    assert!(!d.text.contains('\r'));
    // No character XML forbids survives decoding, and one is reported when there was one.
    assert!(!d.text.chars().any(newsdigest::safety::is_xml_forbidden));
    assert_eq!(d.forbidden_at.is_some(), d.forbidden_chars > 0);
    let parts = dump::split(&d.text);
    let expected: Vec<&str> = d
        .text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let got: Vec<&str> = parts
        .title_line
        .iter()
        .chain(&parts.paragraphs)
        .chain(&parts.list_label)
        .chain(&parts.headlines)
        .map(String::as_str)
        .collect();
    assert_eq!(expected, got);
    assert_eq!(parts.paragraphs.len(), parts.paragraph_lines.len());
});
