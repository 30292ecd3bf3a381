//! Property tests: the parsers that read untrusted files are driven with arbitrary bytes, with
//! text built from the characters that matter to Markdown, HTML, YAML and Tera, and with
//! mutations of the real dumps in `tests/fixtures/examples` and `content/`. Invariants:
//! no panic; every non-empty body line of a dump appears in its rendered page; nothing from
//! the input reaches the HTML as markup; slugs match `^[a-z0-9]+(-[a-z0-9]+)*$`.
//!
//! Case counts are bounded so the whole file runs in seconds; the fuzz targets in `fuzz/`
//! run the same functions for as long as one likes.

use crate::common;

use newsdigest::config::{Config, Overrides, SiteFile};
use newsdigest::digest;
use newsdigest::ingest::{self, Body, Source, decode, dump, frontmatter, name::ContentKind};
use newsdigest::model::Slug;
use newsdigest::plan::{self, PageKind};
use newsdigest::render::Renderer;
use newsdigest::render::markdown::{self, RawHtml};
use proptest::prelude::*;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use crate::common::{markdown_tags, tags, theme_tags};

/// Fragments that mean something to one of the languages a dump passes through.
const TOKENS: &[&str] = &[
    "<",
    ">",
    "&",
    "\"",
    "'",
    "/",
    "\\",
    "*",
    "_",
    "`",
    "#",
    "[",
    "]",
    "(",
    ")",
    "!",
    "|",
    "~",
    "-",
    "+",
    "=",
    ":",
    ".",
    ". ",
    "?",
    " ",
    "  ",
    "\t",
    "\n",
    "\n\n",
    "\n\n\n",
    "\r",
    "\r\n",
    "---\n",
    "...\n",
    "1. ",
    "- ",
    "> ",
    "    ",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "javascript:",
    "data:text/html,<b>x</b>",
    "[a](javascript:alert(1))",
    "![i](data:x)",
    "&amp;",
    "&#60;",
    "&lt;",
    "{{ x }}",
    "{% raw %}",
    "{{",
    "}}",
    "{%",
    "%}",
    "{#",
    "#}",
    "U.S.",
    "Mr.",
    "2.5",
    "Title Case Headline Here",
    "The council said rates rose.",
    "é",
    "ß",
    "日本語",
    "مقال",
    "\u{202E}",
    "\u{200F}",
    "\u{FEFF}",
    "\u{FFFD}",
    "\u{00A0}",
    "\u{2028}",
    "\u{0B}",
    "\u{0C}",
    "\u{1F600}",
    "title: ",
    "tags: [",
    "slug: ../../x",
    "url: javascript:x",
    "date: 2026-02-30",
    "&a [*a, *a]",
    "CON",
    "%2e%2e/",
    "..\\..\\",
    "[^n]",
    "[^n]: note",
    "```",
    "<!--",
    "-->",
    "<![CDATA[",
    "]]>",
    "</p>",
    "<p>",
    "<style>",
    "<svg onload=x>",
    "\"><script>",
];

fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(TOKENS).prop_map(str::to_string),
        2 => "[A-Za-z]{1,8}",
        1 => any::<char>().prop_map(String::from),
    ]
}

/// Text made of tokens: far more likely than random Unicode to hit an edge of a parser.
fn tricky_text(max_tokens: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(token(), 0..max_tokens).prop_map(|t| t.concat())
}

/// Real dumps and Markdown articles from the repository.
static REAL: LazyLock<Vec<Vec<u8>>> = LazyLock::new(|| {
    let root = common::repo_root();
    let mut out = Vec::new();
    for dir in ["tests/fixtures/examples", "content"] {
        for e in walkdir::WalkDir::new(root.join(dir)).sort_by_file_name() {
            let e = e.unwrap();
            let name = e.file_name().to_string_lossy();
            if e.file_type().is_file() && (name.ends_with(".txt") || name.ends_with(".md")) {
                out.push(std::fs::read(e.path()).unwrap());
            }
        }
    }
    assert!(out.len() >= 10, "expected the bundled dumps");
    out
});

#[derive(Debug, Clone)]
enum Mutation {
    Insert(usize, Vec<u8>),
    Delete(usize, usize),
    Flip(usize, u8),
    DuplicateLine(usize),
    DropNewline(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        3 => (any::<usize>(), token().prop_map(String::into_bytes)).prop_map(|(p, b)| Mutation::Insert(p, b)),
        1 => (any::<usize>(), prop::collection::vec(any::<u8>(), 1..8)).prop_map(|(p, b)| Mutation::Insert(p, b)),
        2 => (any::<usize>(), 1..64usize).prop_map(|(p, n)| Mutation::Delete(p, n)),
        1 => (any::<usize>(), any::<u8>()).prop_map(|(p, b)| Mutation::Flip(p, b)),
        1 => any::<usize>().prop_map(Mutation::DuplicateLine),
        1 => any::<usize>().prop_map(Mutation::DropNewline),
    ]
}

fn apply(mut bytes: Vec<u8>, muts: &[Mutation]) -> Vec<u8> {
    for m in muts {
        let len = bytes.len().max(1);
        match m {
            Mutation::Insert(p, b) => {
                let at = p % (bytes.len() + 1);
                bytes.splice(at..at, b.iter().copied());
            }
            Mutation::Delete(p, n) => {
                let at = p % len;
                let end = (at + n).min(bytes.len());
                if at < end {
                    bytes.drain(at..end);
                }
            }
            Mutation::Flip(p, b) => {
                if !bytes.is_empty() {
                    let at = p % bytes.len();
                    bytes[at] ^= b | 1;
                }
            }
            Mutation::DuplicateLine(p) => {
                let lines: Vec<&[u8]> = bytes.split(|&b| b == b'\n').collect();
                let i = p % lines.len();
                let mut out = Vec::with_capacity(bytes.len() * 2);
                for (j, l) in lines.iter().enumerate() {
                    out.extend_from_slice(l);
                    out.push(b'\n');
                    if j == i {
                        out.extend_from_slice(l);
                        out.push(b'\n');
                    }
                }
                bytes = out;
            }
            Mutation::DropNewline(p) => {
                let nl: Vec<usize> = (0..bytes.len()).filter(|&i| bytes[i] == b'\n').collect();
                if !nl.is_empty() {
                    bytes.remove(nl[p % nl.len()]);
                }
            }
        }
    }
    bytes
}

/// A real file with mutations, or arbitrary bytes, or tricky text.
fn content_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        3 => (0..REAL.len(), prop::collection::vec(mutation(), 0..6))
            .prop_map(|(i, m)| apply(REAL[i].clone(), &m)),
        2 => tricky_text(80).prop_map(String::into_bytes),
        1 => prop::collection::vec(any::<u8>(), 0..400),
    ]
}

/// `s` as Tera's auto-escaping writes it.
fn tera_escaped(s: &str) -> String {
    let mut out = Vec::new();
    tera::escape_html(s, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

/// `s` as pulldown-cmark writes text.
fn cmark_escaped(s: &str) -> String {
    let mut out = String::new();
    pulldown_cmark_escape::escape_html_body_text(&mut out, s).unwrap();
    out
}

fn is_slug(s: &str) -> bool {
    s.split('-').all(|run| {
        !run.is_empty()
            && run
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    })
}

/// A site with the default theme and nothing on disk (the theme is compiled in).
static SITE: LazyLock<(Config, Renderer)> = LazyLock::new(|| {
    let cfg = Config::resolve(
        Path::new("/nonexistent-site-root"),
        SiteFile::default(),
        &Overrides::default(),
    )
    .unwrap();
    let r = Renderer::new(&cfg).unwrap();
    (cfg, r)
});

/// Parses `bytes` as one content file and renders the site around it. Returns the decoded
/// body text (after front matter), the parsed body, and the article page's HTML.
fn render_one(bytes: &[u8], kind: ContentKind) -> Option<(String, Body, String)> {
    let src = Source {
        rel: PathBuf::from(match kind {
            ContentKind::Dump => "2026-02-05/000_0123456789abcdef.txt",
            ContentKind::Markdown => "2026-02-05/000_0123456789abcdef.md",
        }),
        kind,
        bytes: bytes.to_vec(),
        modified: None,
    };
    let p = ingest::parse(&src, chrono_tz::Tz::UTC, Path::new("content"));
    let orphans: Vec<_> = p.orphan_headlines.into_iter().collect();
    let article = p.result.ok()?;
    let text = decode::decode(bytes).ok()?.text;
    let body_text = frontmatter::split(&text).ok()?.1.to_string();
    let body = article.body.clone();
    let (cfg, renderer) = &*SITE;
    let d = digest::assemble(
        vec![article],
        orphans,
        digest::Options {
            drafts: true,
            ..Default::default()
        },
    );
    let plan = plan::plan(&d, &plan::PlanOptions::from_config(cfg));
    let rendered = renderer.render_all(cfg, &d, &plan).unwrap();
    let page = plan
        .pages
        .iter()
        .zip(&rendered)
        .find(|(p, _)| matches!(p.kind, PageKind::Article(_)))?;
    Some((
        body_text,
        body,
        String::from_utf8(page.1.bytes.clone()).unwrap(),
    ))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn decoding_any_bytes(bytes in content_bytes()) {
        match decode::decode(&bytes) {
            Err(decode::DecodeError::Binary { offset }) => prop_assert_eq!(bytes[offset], 0),
            Ok(d) => {
                prop_assert!(!bytes.contains(&0));
                prop_assert!(!d.text.contains('\r'));
                prop_assert!(d.text.split('\n').all(|l| l.trim_end() == l));
                prop_assert_eq!(d.invalid_utf8_at.is_some(), std::str::from_utf8(&bytes).is_err());
            }
        }
    }

    #[test]
    fn dump_split_loses_nothing(bytes in content_bytes()) {
        let Ok(d) = decode::decode(&bytes) else { return Ok(()) };
        let parts = dump::split(&d.text);
        let expected: Vec<&str> = d.text.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
        let got: Vec<&str> = parts.title_line.iter().chain(&parts.paragraphs)
            .chain(&parts.list_label).chain(&parts.headlines)
            .map(String::as_str).collect();
        prop_assert_eq!(expected, got);
        prop_assert_eq!(parts.paragraphs.len(), parts.paragraph_lines.len());
    }

    #[test]
    fn front_matter_any_text(body in tricky_text(60), yaml in tricky_text(40)) {
        for text in [format!("---\n{yaml}\n---\n{body}"), format!("---\n{yaml}"), body.clone()] {
            // Front matter is split from decoded text, in which CR and CRLF are already LF.
            let text = text.replace("\r\n", "\n").replace('\r', "\n");
            match frontmatter::split(&text) {
                Ok((_, rest, line)) => {
                    prop_assert!(text.ends_with(rest));
                    prop_assert!(line >= 1 && line <= text.split('\n').count() + 1);
                }
                Err(e) => {
                    let lines = text.split('\n').count();
                    prop_assert!(e.line.is_none_or(|l| l >= 1 && l <= lines), "{:?} of {}", e.line, lines);
                    prop_assert!(!e.message.is_empty());
                }
            }
        }
    }

    #[test]
    fn slugs_are_plain_segments(text in prop_oneof![tricky_text(30), any::<String>()]) {
        if let Some(s) = Slug::from_text(&text) {
            let s = s.as_str();
            prop_assert!(is_slug(s), "{:?} -> {:?}", text, s);
            prop_assert!(s.len() <= Slug::MAX_LEN + 2);
            prop_assert!(!newsdigest::safety::is_reserved_name(s));
        }
    }

    #[test]
    fn plain_text_renders_literally(lines in prop::collection::vec(tricky_text(12), 0..8)) {
        let fast = markdown::plain_to_html(&lines);
        let via_markdown = markdown::markdown_to_html(&markdown::plain_to_markdown(&lines), RawHtml::Trust);
        prop_assert_eq!(&fast, &via_markdown);
        prop_assert!(!fast.replace("<p>", "").replace("</p>", "").contains('<'), "{}", fast);
        for l in lines.iter().map(|l| l.trim()).filter(|l| !l.is_empty()) {
            let one_line = l.replace(['\r', '\n'], " ");
            let one_line = newsdigest::safety::replace_xml_forbidden(&one_line).0;
            prop_assert!(fast.contains(&format!("<p>{}</p>", cmark_escaped(&one_line))), "{:?} not in {}", l, fast);
        }
    }

    #[test]
    fn markdown_html_is_sanitised(md in tricky_text(60)) {
        let html = markdown::to_html(&md);
        for (name, attrs) in tags(&html) {
            prop_assert!(!["script", "style", "iframe", "svg", "math", "object", "embed", "form", "input"].contains(&name.as_str()), "<{}> in {}", name, html);
            for (a, v) in attrs {
                prop_assert!(!a.starts_with("on"), "handler {} in {}", a, html);
                prop_assert!(a != "style" || name == "th" || name == "td", "{} in {}", a, html);
                if ["href", "src", "cite", "action", "xlink:href"].contains(&a.as_str()) {
                    prop_assert!(newsdigest::safety::is_safe_url(&v), "{}={:?} in {}", a, v, html);
                }
            }
        }
    }
}

proptest! {
    // Each case renders a whole site; fewer cases keep the suite fast.
    #![proptest_config(ProptestConfig { cases: 96, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn dump_page_shows_every_line_and_no_foreign_markup(bytes in content_bytes()) {
        let Some((body_text, body, html)) = render_one(&bytes, ContentKind::Dump) else { return Ok(()) };
        prop_assert!(matches!(body, Body::Plain(_)));
        let shown = without_nobr(&html);
        for line in body_text.lines().map(str::trim).filter(|l| !l.is_empty()) {
            // A line that became the title or a headline has lost its bidi controls.
            let bare = newsdigest::safety::strip_bidi_controls(line);
            prop_assert!(
                shown.contains(&cmark_escaped(line)) || shown.contains(&tera_escaped(line))
                    || shown.contains(&tera_escaped(bare.trim())),
                "line {:?} missing from the page", line
            );
        }
        let prose_start = html.find("<div class=\"prose\" dir=\"auto\">").unwrap() + "<div class=\"prose\" dir=\"auto\">".len();
        let prose = html[prose_start..].split("</div>").next().unwrap().trim();
        prop_assert!(!prose.replace("<p>", "").replace("</p>", "").contains('<'), "{}", prose);
        check_page(&html)?;
    }

    #[test]
    fn markdown_page_has_no_foreign_markup(bytes in content_bytes()) {
        let Some((_, _, html)) = render_one(&bytes, ContentKind::Markdown) else { return Ok(()) };
        check_page(&html)?;
    }
}

/// `html` without the `<span class="nobr">…</span>` that the `headline` filter puts around
/// hyphenated words, so a headline reads as its text again.
fn without_nobr(html: &str) -> String {
    const OPEN: &str = "<span class=\"nobr\">";
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find(OPEN) {
        out.push_str(&rest[..i]);
        rest = &rest[i + OPEN.len()..];
        let end = rest.find("</span>").unwrap_or(rest.len());
        out.push_str(&rest[..end]);
        rest = &rest[(end + "</span>".len()).min(rest.len())..];
    }
    out.push_str(rest);
    out
}

/// No tag outside the theme's and sanitised Markdown's, no event handler, no unsafe URL.
fn check_page(html: &str) -> Result<(), TestCaseError> {
    for (name, attrs) in tags(html) {
        prop_assert!(
            theme_tags().contains(&name) || markdown_tags().contains(&name.as_str()),
            "unexpected <{}> in page",
            name
        );
        for (a, v) in &attrs {
            prop_assert!(!a.starts_with("on"), "event handler {} in <{}>", a, name);
            if ["href", "src", "cite", "action"].contains(&a.as_str()) {
                prop_assert!(
                    newsdigest::safety::is_safe_url(v),
                    "unsafe link {}={:?}",
                    a,
                    v
                );
            }
        }
    }
    Ok(())
}
