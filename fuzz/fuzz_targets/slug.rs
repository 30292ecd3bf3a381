//! Any text through the slugger: the result is `^[a-z0-9]+(-[a-z0-9]+)*$`, at most 80 bytes
//! plus a reserved-name suffix, and never a Windows device name.
#![no_main]

use libfuzzer_sys::fuzz_target;
use newsdigest::model::Slug;

fuzz_target!(|text: &str| {
    if let Some(s) = Slug::from_text(text) {
        let s = s.as_str();
        assert!(!s.is_empty() && s.len() <= Slug::MAX_LEN + 2, "{s}");
        assert!(
            s.split('-').all(|run| !run.is_empty()
                && run
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())),
            "{s}"
        );
        assert!(!newsdigest::safety::is_reserved_name(s), "{s}");
    }
});
