//! Any text as dump paragraphs and as a Markdown article: the plain rendering is exactly
//! pulldown-cmark's rendering of the escaped Markdown and holds no tag but <p>; the sanitised
//! Markdown holds no script, event handler or unsafe URL (attributes read with their quotes,
//! so text inside a quoted value is never taken for an attribute).
#![no_main]

use libfuzzer_sys::fuzz_target;
use newsdigest::render::markdown::{self, RawHtml};

/// Attributes whose value a browser reads as a URL.
const URL_ATTRS: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "poster",
    "background",
    "xlink:href",
    "srcset",
];

/// The `(name, value)` attributes of a tag's inside (`a href="x" title='y'`), quotes honoured.
fn attributes(inside: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    let rest = inside.trim_start();
    // Skip the tag name.
    let mut rest = rest.find(char::is_whitespace).map_or("", |i| &rest[i..]);
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            return out;
        }
        let name_end = rest
            .find(|c: char| c == '=' || c.is_whitespace())
            .unwrap_or(rest.len());
        let name = &rest[..name_end];
        rest = rest[name_end..].trim_start();
        let Some(after) = rest.strip_prefix('=') else {
            out.push((name, ""));
            continue;
        };
        let after = after.trim_start();
        let (value, next) = match after.chars().next() {
            Some(q @ ('"' | '\'')) => {
                let body = &after[1..];
                let end = body.find(q).unwrap_or(body.len());
                (&body[..end], body.get(end + 1..).unwrap_or(""))
            }
            _ => {
                let end = after.find(char::is_whitespace).unwrap_or(after.len());
                (&after[..end], &after[end..])
            }
        };
        out.push((name, value));
        rest = next;
    }
}

fuzz_target!(|text: &str| {
    let paras: Vec<String> = text.lines().map(str::to_string).collect();
    let fast = markdown::plain_to_html(&paras);
    let slow = markdown::markdown_to_html(&markdown::plain_to_markdown(&paras), RawHtml::Trust);
    assert_eq!(fast, slow);
    let bare = fast.replace("<p>", "").replace("</p>", "");
    assert!(!bare.contains('<'), "{fast}");

    let html = markdown::to_html(text);
    let lower = html.to_ascii_lowercase();
    for bad in ["<script", "<style", "<iframe"] {
        assert!(!lower.contains(bad), "{bad} in {html}");
    }
    for tag in lower.split('<').skip(1) {
        let inside = tag.split('>').next().unwrap_or("");
        for (name, value) in attributes(inside) {
            // An event handler, or a script or data URL where a URL is read. A class named
            // `language-data:x` or holding " on" runs nothing.
            assert!(!name.starts_with("on"), "event handler in {html}");
            if URL_ATTRS.contains(&name) {
                let v = value.trim_start();
                assert!(
                    !v.starts_with("javascript:") && !v.starts_with("data:"),
                    "unsafe URL in {html}"
                );
            }
        }
    }
});
