//! Markdown to HTML with pulldown-cmark, and plain dump text to Markdown (and HTML) that
//! shows literally.

pub use crate::safety::is_safe_url;
use pulldown_cmark::{CowStr, Event, Options, Parser, Tag};

/// Escapes plain text so that Markdown shows it literally: every ASCII punctuation character
/// gets a backslash (CommonMark allows that for all of them), so `*`, `_`, `#`, `<`, `[`,
/// backticks, `&` entities, list markers and setext underlines are all inert.
pub fn escape_plain(text: &str) -> String {
    let text = text.trim();
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    // Written a run at a time: the special characters are all ASCII, so every run between
    // them is whole UTF-8.
    let mut run = 0;
    for (i, b) in text.bytes().enumerate() {
        if b.is_ascii_punctuation() {
            out.push_str(&text[run..i]);
            out.push('\\');
            run = i;
        } else if matches!(b, b'\r' | b'\n') {
            // A paragraph is one line; a stray line break would end it or start a new block.
            out.push_str(&text[run..i]);
            out.push(' ');
            run = i + 1;
        }
    }
    out.push_str(&text[run..]);
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

/// A dump's paragraphs as HTML: exactly what pulldown-cmark makes of
/// [`plain_to_markdown`] (a property test holds the two equal), written directly because
/// running millions of backslash escapes through the Markdown parser is the slowest part of
/// a build with a giant single-line dump.
pub fn plain_to_html(paragraphs: &[String]) -> String {
    let total: usize = paragraphs.iter().map(|p| p.len() + 9).sum();
    let mut out = String::with_capacity(total + total / 8);
    for p in paragraphs {
        let p = p.trim();
        if p.is_empty() {
            continue;
        }
        out.push_str("<p>");
        let text: std::borrow::Cow<str> = if p.contains(['\r', '\n']) {
            p.replace(['\r', '\n'], " ").into()
        } else {
            p.into()
        };
        // Decoding already replaced the characters XML forbids; this keeps the two renderings
        // equal for any text (`markdown_to_html` replaces them in every text event).
        let (text, _) = crate::safety::replace_xml_forbidden(&text);
        // Writing to a String cannot fail.
        let _ = pulldown_cmark_escape::escape_html_body_text(&mut out, &text);
        out.push_str("</p>\n");
    }
    out
}

/// What happens to raw HTML inside a Markdown article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RawHtml {
    /// Sanitised with ammonia: safe markup such as `<em>` stays, script, event handlers,
    /// styles and unsafe URLs go. The default.
    #[default]
    Sanitise,
    /// Passed through as written (`trusted_html: true` in `site.yaml`).
    Trust,
}

/// Renders Markdown to HTML with raw HTML sanitised: the safe default for any caller.
pub fn to_html(md: &str) -> String {
    markdown_to_html(md, RawHtml::Sanitise)
}

/// Renders Markdown to HTML. Links and images whose URL is not http, https, mailto or
/// relative lose their URL whatever the policy; raw HTML is handled as `raw` says.
pub fn markdown_to_html(md: &str, raw: RawHtml) -> String {
    let opts = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_FOOTNOTES;
    let mut has_raw_html = false;
    let events = Parser::new_ext(md, opts).map(|ev| match ev {
        Event::Html(_) | Event::InlineHtml(_) => {
            has_raw_html = true;
            ev
        }
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
        // Footnote ids get a prefix the sanitiser recognises, so raw HTML cannot claim
        // arbitrary ids on the page.
        Event::FootnoteReference(name) => Event::FootnoteReference(footnote_id(&name)),
        Event::Start(Tag::FootnoteDefinition(name)) => {
            Event::Start(Tag::FootnoteDefinition(footnote_id(&name)))
        }
        // An entity such as `&#12;` decodes to a character XML forbids (decoding replaced the
        // raw ones): the page must not carry what no feed may.
        Event::Text(t) => Event::Text(no_forbidden(t)),
        Event::Code(t) => Event::Code(no_forbidden(t)),
        other => other,
    });
    let mut html = String::with_capacity(md.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events);
    match raw {
        // Without raw HTML, everything is pulldown-cmark's own escaped output with checked
        // URLs: sanitising it would change nothing and cost a full HTML parse.
        RawHtml::Sanitise if has_raw_html => super::sanitize::clean(&html),
        RawHtml::Sanitise => html,
        RawHtml::Trust => html,
    }
}

fn no_forbidden(t: CowStr<'_>) -> CowStr<'_> {
    match crate::safety::replace_xml_forbidden(&t) {
        (_, 0) => t,
        (clean, _) => CowStr::from(clean.into_owned()),
    }
}

fn footnote_id(name: &str) -> CowStr<'static> {
    CowStr::from(format!("{}{name}", super::sanitize::FOOTNOTE_ID_PREFIX))
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
        let via_markdown = markdown_to_html(&plain_to_markdown(&[p.to_string()]), RawHtml::Trust);
        assert_eq!(plain_to_html(&[p.to_string()]), via_markdown);
        via_markdown
    }

    /// What [`escape_plain`] does, a character at a time.
    fn escape_plain_by_definition(text: &str) -> String {
        let mut out = String::new();
        for ch in text.trim().chars() {
            if ch.is_ascii_punctuation() {
                out.push('\\');
            }
            out.push(if matches!(ch, '\r' | '\n') { ' ' } else { ch });
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn escape_plain_is_its_definition(text in "(?s)[a-z*_#<\\[`&.\r\n é—]{0,40}|\\PC{0,40}") {
            proptest::prop_assert_eq!(escape_plain(&text), escape_plain_by_definition(&text));
        }
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
        // Found by fuzzing: a line break inside a paragraph stays inside it.
        assert_eq!(plain_html("a\rb\n# c"), "<p>a b # c</p>\n");
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
    fn markdown_raw_html_is_sanitised() {
        let html = to_html(
            "Hi <em>there</em> <img src=x onerror=alert(1)> <a href=\"javascript:x\" onclick=\"y()\">l</a>\n\n<script>bad()</script>\n\n<div style=\"position:fixed\" id=\"main\">d</div>\n",
        );
        assert!(html.contains("<em>there</em>"), "{html}");
        assert!(html.contains("<img src=\"x\">"), "{html}");
        assert!(
            !html.contains("<script") && !html.contains("bad()"),
            "{html}"
        );
        for gone in ["onerror", "onclick", "javascript:", "style=", "id=\"main\""] {
            assert!(!html.contains(gone), "{gone} in {html}");
        }
    }

    #[test]
    fn markdown_without_raw_html_is_safe_unsanitised() {
        let html = to_html(
            "```x\" onclick=\"y\n```\n\n[^a\" onmouseover=\"z]\n\n[^a\" onmouseover=\"z]: n\n\n![i](javascript:q)\n",
        );
        assert!(
            !html.contains("\" onclick") && !html.contains("\" onmouseover"),
            "{html}"
        );
        assert!(!html.contains("javascript:"), "{html}");
    }

    #[test]
    fn trusted_markdown_html_passes_through() {
        let html = markdown_to_html("Hi <span onclick=\"x()\">s</span>\n", RawHtml::Trust);
        assert!(html.contains("<span onclick=\"x()\">s</span>"), "{html}");
        // Markdown links are still checked.
        let html = markdown_to_html("[a](javascript:alert(1))", RawHtml::Trust);
        assert!(!html.contains("javascript:"), "{html}");
    }

    #[test]
    fn markdown_structure_survives_sanitising() {
        let md = "# H\n\n| a | b |\n|:-|-:|\n| 1 | 2 |\n\nText[^n] ~~gone~~\n\n[^n]: Note.\n\n```rust\nlet x = 1;\n```\n";
        let html = to_html(md);
        for kept in [
            "<h1>H</h1>",
            "<th style=\"text-align: left\">a</th>",
            "<td style=\"text-align: right\">2</td>",
            "<del>gone</del>",
            "<sup class=\"footnote-reference\"><a href=\"#fn-n\"",
            "<div class=\"footnote-definition\" id=\"fn-n\">",
            "<code class=\"language-rust\">",
        ] {
            assert!(html.contains(kept), "{kept} missing from {html}");
        }
        let html = to_html(
            "<code class=\"x language-a\">c</code> <div class=\"evil\">d</div> <th style=\"color:red\">t</th>",
        );
        assert!(
            !html.contains("class=\"x") && !html.contains("evil") && !html.contains("color"),
            "{html}"
        );
    }

    #[test]
    fn entities_xml_forbids_are_replaced() {
        let html = markdown_to_html("a&#12;b `c&#1;` &#xFFFF;\n", RawHtml::Sanitise);
        assert!(
            !html.chars().any(crate::safety::is_xml_forbidden),
            "{html:?}"
        );
        assert!(html.contains("a\u{FFFD}b"), "{html:?}");
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
}
