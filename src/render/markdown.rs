//! Markdown to HTML with pulldown-cmark, and plain dump text to Markdown that shows literally.

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag};

/// Escapes plain text so that Markdown shows it literally: every ASCII punctuation character
/// gets a backslash (CommonMark allows that for all of them), so `*`, `_`, `#`, `<`, `[`,
/// backticks, `&` entities, list markers and setext underlines are all inert.
pub fn escape_plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for ch in text.trim().chars() {
        if ch.is_ascii_punctuation() {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

/// A dump's paragraphs as Markdown: escaped, one paragraph each.
pub fn plain_to_markdown(paragraphs: &[String]) -> String {
    let mut out = String::new();
    for p in paragraphs {
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(&escape_plain(p));
    }
    out.push('\n');
    out
}

/// URL schemes a link may use. Relative URLs (no scheme) are always allowed.
const SAFE_SCHEMES: &[&str] = &["http", "https", "mailto"];

/// Whether `url` may appear in an `href` or `src`: relative, or http(s)/mailto.
pub fn is_safe_url(url: &str) -> bool {
    // Browsers ignore control characters and white space inside a scheme ("java\tscript:").
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

/// Renders Markdown to HTML. Raw HTML in the source is shown as text, and links or images
/// with unsafe schemes lose their URL, so nothing in a file can inject markup or script.
pub fn to_html(md: &str) -> String {
    let opts = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES;
    let events = Parser::new_ext(md, opts).map(|ev| match ev {
        Event::Html(t) | Event::InlineHtml(t) => Event::Text(t),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: neutralise(dest_url),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Image {
            link_type,
            dest_url: neutralise(dest_url),
            title,
            id,
        }),
        other => other,
    });
    let mut html = String::with_capacity(md.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events);
    html
}

fn neutralise(url: CowStr<'_>) -> CowStr<'_> {
    if is_safe_url(&url) {
        url
    } else {
        CowStr::Borrowed("#")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain_html(p: &str) -> String {
        to_html(&plain_to_markdown(&[p.to_string()]))
    }

    #[test]
    fn plain_text_shows_literally() {
        assert_eq!(
            plain_html("<script>alert(1)</script>"),
            "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"
        );
        assert_eq!(plain_html("*x* and _y_"), "<p>*x* and _y_</p>\n");
        assert_eq!(plain_html("# not a heading"), "<p># not a heading</p>\n");
        assert_eq!(
            plain_html("[a](javascript:alert(1))"),
            "<p>[a](javascript:alert(1))</p>\n"
        );
        assert_eq!(
            plain_html("`code` &amp; 1. - +"),
            "<p>`code` &amp;amp; 1. - +</p>\n"
        );
        assert_eq!(plain_html("1. Not a list"), "<p>1. Not a list</p>\n");
        assert_eq!(
            plain_html("{{ x }} {% raw %}"),
            "<p>{{ x }} {% raw %}</p>\n"
        );
    }

    #[test]
    fn paragraphs_stay_paragraphs() {
        let md = plain_to_markdown(&["One.".into(), "Two.".into()]);
        assert_eq!(to_html(&md), "<p>One.</p>\n<p>Two.</p>\n");
    }

    #[test]
    fn markdown_raw_html_is_shown_not_run() {
        let html = to_html("Hi <img src=x onerror=alert(1)>\n\n<script>bad()</script>\n");
        assert!(
            !html.contains("<img") && !html.contains("<script"),
            "{html}"
        );
        assert!(html.contains("&lt;script&gt;"));
    }

    #[test]
    fn unsafe_links_lose_their_url() {
        let html = to_html(
            "[a](javascript:alert(1)) [b](https://ok.example/) [c](/rel) [d](data:text/html,x) [e](&#106;avascript:x)",
        );
        assert!(
            !html.contains("javascript:") && !html.contains("data:"),
            "{html}"
        );
        assert!(html.contains("href=\"https://ok.example/\""));
        assert!(html.contains("href=\"/rel\""));
    }

    #[test]
    fn url_safety() {
        assert!(is_safe_url("https://x.org"));
        assert!(is_safe_url("mailto:a@b.c"));
        assert!(is_safe_url("../x"));
        assert!(is_safe_url("/a:b"));
        assert!(!is_safe_url("JavaScript:x"));
        assert!(!is_safe_url("java\tscript:x"));
        assert!(!is_safe_url("data:text/html,x"));
        assert!(!is_safe_url("vbscript:x"));
    }
}
