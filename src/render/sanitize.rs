//! Sanitising the HTML of Markdown articles with ammonia: the markup Markdown itself makes
//! (headings, tables with alignment, footnotes, code with a language) and safe raw HTML such
//! as `<em>` survive; script, style, event handlers, unknown attributes and links whose
//! scheme is not http, https or mailto do not.

use std::borrow::Cow;
use std::sync::LazyLock;

/// Prefix of footnote ids (`fn-<name>`); `markdown` gives every footnote this prefix, and only
/// ids with it survive sanitising, so raw HTML cannot take over the page's own ids.
pub const FOOTNOTE_ID_PREFIX: &str = "fn-";

static SANITISER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.url_schemes(crate::safety::SAFE_SCHEMES.iter().copied().collect())
        .add_tag_attributes("code", ["class"])
        .add_tag_attributes("div", ["class", "id"])
        .add_tag_attributes("sup", ["class"])
        .add_tag_attributes("th", ["style"])
        .add_tag_attributes("td", ["style"])
        .attribute_filter(keep_attribute);
    b
});

/// The attributes allowed above, narrowed to the values pulldown-cmark writes.
fn keep_attribute<'u>(element: &str, attribute: &str, value: &'u str) -> Option<Cow<'u, str>> {
    let keep = match (element, attribute) {
        ("code", "class") => value.strip_prefix("language-").is_some_and(|lang| {
            !lang.is_empty()
                && lang
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-_#.".contains(c))
        }),
        ("div", "class") => value == "footnote-definition",
        ("div", "id") => {
            value.len() > FOOTNOTE_ID_PREFIX.len() && value.starts_with(FOOTNOTE_ID_PREFIX)
        }
        ("sup", "class") => matches!(value, "footnote-reference" | "footnote-definition-label"),
        ("th" | "td", "style") => matches!(
            value,
            "text-align: left" | "text-align: center" | "text-align: right"
        ),
        _ => true,
    };
    keep.then_some(Cow::Borrowed(value))
}

/// Sanitises an HTML fragment.
pub fn clean(html: &str) -> String {
    SANITISER.clean(html).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_what_could_run() {
        let out = clean(
            "<p onclick=\"x()\">a<script>alert(1)</script><style>p{}</style>\
             <iframe src=\"https://x\"></iframe><a href=\"data:text/html,x\">d</a>\
             <a href=\"https://ok.example/\">ok</a><a href=\"/rel/\">rel</a>\
             <svg><animate onbegin=alert(1)></svg><math><mi xlink:href=\"javascript:x\">m</mi></math></p>",
        );
        for gone in [
            "onclick",
            "<script",
            "alert",
            "<style",
            "<iframe",
            "data:",
            "<svg",
            "onbegin",
            "javascript",
        ] {
            assert!(!out.contains(gone), "{gone} in {out}");
        }
        assert!(
            out.contains("<a href=\"https://ok.example/\" rel=\"noopener noreferrer\">ok</a>"),
            "{out}"
        );
        assert!(
            out.contains("<a href=\"/rel/\" rel=\"noopener noreferrer\">rel</a>"),
            "{out}"
        );
    }

    #[test]
    fn keeps_safe_markup() {
        assert_eq!(
            clean("<em>e</em> <strong>s</strong> <abbr title=\"t\">a</abbr>"),
            "<em>e</em> <strong>s</strong> <abbr title=\"t\">a</abbr>"
        );
    }
}
