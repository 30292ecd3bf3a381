//! What `check` needs from an HTML page: its title, canonical link, the ids anchors can point
//! at, and every URL it refers to. Read with html5gum, a WHATWG-conformant tokenizer (the one
//! lychee uses), so entities in attributes are decoded and `<script>`/`<style>` contents are
//! not mistaken for markup.

use html5gum::{DefaultEmitter, Token, Tokenizer};
use std::collections::HashSet;

/// A URL found in a page, and where: `a[href]`, `img[src]`, ….
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub element: String,
    pub attr: &'static str,
    pub url: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageInfo {
    /// The text of the first `<title>`, trimmed; `None` when there is none.
    pub title: Option<String>,
    /// Every `<link rel="canonical">` href, in order.
    pub canonicals: Vec<String>,
    /// `<base href>`, if the page sets one.
    pub base: Option<String>,
    /// Every `id` (and `<a name>`) in the page.
    pub ids: HashSet<String>,
    /// Ids that appear more than once.
    pub duplicate_ids: Vec<String>,
    pub links: Vec<Link>,
}

/// Attributes holding one URL.
const URL_ATTRS: &[&str] = &["href", "src", "poster", "action", "data", "cite"];

pub fn scan(html: &[u8]) -> PageInfo {
    let mut emitter = DefaultEmitter::default();
    // Switches to raw text inside <script>, <style>, <title>, <textarea>…, as a browser would.
    emitter.naively_switch_states(true);
    let mut info = PageInfo::default();
    let mut in_title = false;
    let mut title = String::new();
    let mut seen_title = false;
    for token in Tokenizer::new_with_emitter(html, emitter) {
        let Ok(token) = token;
        match token {
            Token::StartTag(tag) => {
                let name = String::from_utf8_lossy(&tag.name).to_ascii_lowercase();
                let attr = |n: &str| {
                    tag.attributes
                        .get(n.as_bytes())
                        .map(|v| String::from_utf8_lossy(&v.value).into_owned())
                };
                if let Some(id) = attr("id").filter(|s| !s.is_empty())
                    && !info.ids.insert(id.clone())
                {
                    info.duplicate_ids.push(id);
                }
                if name == "a"
                    && let Some(n) = attr("name").filter(|s| !s.is_empty())
                {
                    info.ids.insert(n);
                }
                if name == "title" && !seen_title {
                    in_title = true;
                }
                let rel = attr("rel").unwrap_or_default().to_ascii_lowercase();
                let rels: Vec<&str> = rel.split_ascii_whitespace().collect();
                if name == "link" && rels.contains(&"canonical") {
                    if let Some(h) = attr("href") {
                        info.canonicals.push(h);
                    }
                    continue;
                }
                if name == "base" {
                    info.base = info.base.take().or_else(|| attr("href"));
                    continue;
                }
                // Origins to warm up, not documents.
                if name == "link"
                    && rels
                        .iter()
                        .any(|r| matches!(*r, "preconnect" | "dns-prefetch"))
                {
                    continue;
                }
                // Preview images are files of the site too, and a broken one shows in every
                // share of the page.
                if name == "meta"
                    && let Some(p) = attr("property").or_else(|| attr("name"))
                    && matches!(p.as_str(), "og:image" | "twitter:image")
                    && let Some(url) = attr("content")
                {
                    info.links.push(Link {
                        element: format!("meta {p}"),
                        attr: "content",
                        url,
                    });
                }
                for a in URL_ATTRS {
                    if let Some(url) = attr(a) {
                        info.links.push(Link {
                            element: name.clone(),
                            attr: a,
                            url,
                        });
                    }
                }
                for a in ["srcset", "imagesrcset"] {
                    if let Some(set) = attr(a) {
                        for candidate in set.split(',') {
                            if let Some(url) = candidate.split_ascii_whitespace().next() {
                                info.links.push(Link {
                                    element: name.clone(),
                                    attr: "srcset",
                                    url: url.to_string(),
                                });
                            }
                        }
                    }
                }
            }
            Token::EndTag(tag) if in_title && tag.name.eq_ignore_ascii_case(b"title") => {
                in_title = false;
                seen_title = true;
                info.title = Some(title.split_whitespace().collect::<Vec<_>>().join(" "));
            }
            Token::String(s) if in_title => title.push_str(&String::from_utf8_lossy(&s)),
            _ => {}
        }
    }
    if in_title {
        info.title = Some(title.split_whitespace().collect::<Vec<_>>().join(" "));
    }
    info
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_title_canonical_ids_and_links() {
        let html = br#"<!DOCTYPE html><html><head>
            <title> Bridge &amp; Tunnel
              News </title>
            <link rel="canonical" href="https://example.org/a/">
            <link rel="stylesheet" href="/static/style.css">
            <link rel="preconnect" href="https://fonts.example.com">
            <meta property="og:image" content="https://example.org/a/photo.jpg">
            <meta property="og:title" content="/not-a-link">
            <script>if (a < b) { document.write("<a href='/nope'>") }</script>
            </head><body>
            <a href="/x/?a=1&amp;b=2#sec" id="top">x</a><a name="old-anchor"></a>
            <h2 id="sec">S</h2><p id="sec">dup</p>
            <img src="/i.png" srcset="/i-2x.png 2x, /i-3x.png 3x">
            </body></html>"#;
        let p = scan(html);
        assert_eq!(p.title.as_deref(), Some("Bridge & Tunnel News"));
        assert_eq!(p.canonicals, ["https://example.org/a/"]);
        for id in ["top", "sec", "old-anchor"] {
            assert!(p.ids.contains(id), "{id}");
        }
        assert_eq!(p.duplicate_ids, ["sec"]);
        let urls: Vec<&str> = p.links.iter().map(|l| l.url.as_str()).collect();
        assert_eq!(
            urls,
            [
                "/static/style.css",
                "https://example.org/a/photo.jpg",
                "/x/?a=1&b=2#sec",
                "/i.png",
                "/i-2x.png",
                "/i-3x.png"
            ]
        );
    }

    #[test]
    fn missing_or_empty_title() {
        assert_eq!(scan(b"<p>no head</p>").title, None);
        assert_eq!(scan(b"<title>  </title>").title.as_deref(), Some(""));
    }
}
