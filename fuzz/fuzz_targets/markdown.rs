//! Any text as dump paragraphs and as a Markdown article: the plain rendering is exactly
//! pulldown-cmark's rendering of the escaped Markdown and holds no tag but <p>; the sanitised
//! Markdown holds no script, event handler or unsafe URL.
#![no_main]

use libfuzzer_sys::fuzz_target;
use newsdigest::render::markdown::{self, RawHtml};

/// Attributes whose value a browser reads as a URL.
const URL_ATTRS: &[&str] = &[" href=", " src=", " action=", " formaction=", " poster=", " background=", " xlink:href=", " srcset="];

fuzz_target!(|text: &str| {
    let paras: Vec<String> = text.lines().map(str::to_string).collect();
    let fast = markdown::plain_to_html(&paras);
    let slow = markdown::markdown_to_html(&markdown::plain_to_markdown(&paras), RawHtml::Trust);
    assert_eq!(fast, slow);
    let bare = fast.replace("<p>", "").replace("</p>", "");
    assert!(!bare.contains('<'), "{fast}");

    let html = markdown::to_html(text);
    let lower = html.to_ascii_lowercase();
    for bad in [
        "<script",
        "<style",
        "<iframe",
        "javascript:",
        " on",
        "data:",
    ] {
        if bad == " on" {
            // An event handler would be ` on…=` inside a tag.
            for tag in lower.split('<').skip(1) {
                let inside = tag.split('>').next().unwrap_or("");
                let attrs: Vec<&str> = inside.split_whitespace().skip(1).collect();
                assert!(
                    !attrs.iter().any(|a| a.starts_with("on")),
                    "event handler in {html}"
                );
            }
        } else if bad == "javascript:" || bad == "data:" {
            // Unsafe only where a URL is read: a class named `language-data:x` runs nothing.
            for tag in lower.split('<').skip(1) {
                let inside = tag.split('>').next().unwrap_or("");
                for attr in URL_ATTRS {
                    for (at, _) in inside.match_indices(attr) {
                        let value = inside[at + attr.len()..].trim_start_matches(['"', '\'', ' ']);
                        assert!(!value.starts_with(bad), "{bad} in {attr} of {html}");
                    }
                }
            }
        } else {
            assert!(!lower.contains(bad), "{bad} in {html}");
        }
    }
});
