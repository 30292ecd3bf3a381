//! Live reload: the script tag added to every HTML response, the browser script it loads
//! (`live.js`: listens on Server-Sent Events, reloads a tab whose page changed, swaps changed
//! stylesheets in place, shows and clears the error overlay) and the events it receives.
//!
//! Events on `/__newsdigest/events`:
//! - `status`: the [`Status`] of the latest build as JSON; the overlay lists its `fatal`
//!   problem and its `errors` (file, line, message) and disappears when both are empty.
//! - `change`: `{"build": N, "files": [...], "all": bool}`, the files of the site that the
//!   build added, changed or removed (`2026/11/20/index.html`, `static/style.css`).

use super::state::{LiveEvent, Status};
use axum::response::sse::Event;
use std::time::Duration;

pub const CLIENT_JS: &str = include_str!("live.js");

/// Adds the live-reload script to an HTML document, just before its last `</body>` (or at the
/// end when it has none). `file` is the site file the page was served from, so the script
/// knows when its own page changed.
pub fn inject(html: &[u8], file: &str) -> Vec<u8> {
    let tag = format!(
        "<script src=\"{}live.js\" data-file=\"{}\" defer></script>",
        super::http::PREFIX,
        escape_attr(file)
    );
    let at = find_last_ci(html, b"</body").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn find_last_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if hay.len() < needle.len() {
        return None;
    }
    (0..=hay.len() - needle.len())
        .rev()
        .find(|&i| hay[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

fn escape_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

pub fn status_event(s: &Status) -> Event {
    Event::default()
        .event("status")
        .retry(Duration::from_millis(1000))
        .data(serde_json::to_string(s).unwrap_or_default())
}

pub fn change_event(e: &LiveEvent) -> Event {
    let json = match e {
        LiveEvent::Changed { build, files, all } => serde_json::json!({
            "build": build,
            "files": **files,
            "all": all,
        }),
        LiveEvent::Status(s) => return status_event(s),
    };
    Event::default().event("change").data(json.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_goes_before_the_last_body_end() {
        let out = inject(b"<html><body><p>x</p></BODY></html>", "a/index.html");
        let s = String::from_utf8(out).unwrap();
        assert!(
            s.ends_with("data-file=\"a/index.html\" defer></script></BODY></html>"),
            "{s}"
        );
        let out = String::from_utf8(inject(b"<p>no body", "x\"<.html")).unwrap();
        assert!(out.starts_with("<p>no body<script"), "{out}");
        assert!(out.contains("data-file=\"x&quot;&lt;.html\""), "{out}");
    }

    #[test]
    fn injection_is_deterministic_so_file_etags_stay_valid() {
        assert_eq!(inject(b"<body></body>", "i"), inject(b"<body></body>", "i"));
    }
}
