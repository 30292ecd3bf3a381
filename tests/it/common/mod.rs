//! Helpers shared by the integration tests: run the real binary, read the output, follow links.
#![allow(dead_code)]

pub mod browser;
pub mod server;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root, where the bundled `content/`, `themes/` and `site.yaml` live.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `newsdigest` with `args` in `cwd`.
pub fn newsdigest(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_newsdigest"))
        .current_dir(cwd)
        .args(args)
        .output()
        .expect("run newsdigest")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Every file below `dir`, as `/`-separated paths relative to it.
pub fn files(dir: &Path) -> BTreeSet<String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(dir)
                .unwrap()
                .iter()
                .map(|s| s.to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/")
        })
        .collect()
}

pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The values of every `href="…"` and `src="…"` attribute, entity-decoded for `&amp;`.
pub fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            // Only real attributes: preceded by white space.
            let before = rest[..i].chars().last();
            rest = &rest[i + attr.len()..];
            let end = rest.find('"').unwrap_or(rest.len());
            if before.is_some_and(char::is_whitespace) {
                out.push(rest[..end].replace("&amp;", "&"));
            }
            rest = &rest[end..];
        }
    }
    out
}

/// Checks that every internal link in every HTML file under `out` resolves to a file, given
/// the site's root-relative prefix (`/` or `/digest/`). Returns the broken ones.
pub fn broken_links(out: &Path, base_path: &str) -> Vec<String> {
    let mut broken = Vec::new();
    for f in files(out).iter().filter(|f| f.ends_with(".html")) {
        let html = read(&out.join(f));
        for link in links(&html) {
            if link.starts_with("http://")
                || link.starts_with("https://")
                || link.starts_with("mailto:")
            {
                continue;
            }
            if link.starts_with('#') {
                continue;
            }
            let Some(path) = link.strip_prefix(base_path) else {
                broken.push(format!("{f}: {link} (outside {base_path})"));
                continue;
            };
            let path = path.split(['#', '?']).next().unwrap_or("");
            let target = if path.is_empty() || path.ends_with('/') {
                out.join(path).join("index.html")
            } else {
                out.join(path)
            };
            if !target.is_file() {
                broken.push(format!("{f}: {link}"));
            }
        }
    }
    broken
}

/// The position of `needle` in `hay`, panicking with context when absent.
pub fn pos(hay: &str, needle: &str) -> usize {
    hay.find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not found"))
}

/// Tag names and attribute names of every opening tag in `html`, with attribute values (a small
/// scanner for the well-formed HTML our renderers write: good enough to catch markup that
/// should not be there, which is all it is for).
pub fn tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let mut chars = rest.char_indices().peekable();
        // Closing tags carry no attributes and repeat an opening tag's name: skip them.
        if let Some((_, '/')) = chars.peek() {
            continue;
        }
        let mut name = String::new();
        while let Some(&(_, c)) = chars.peek() {
            if c.is_ascii_alphanumeric() || c == '!' || c == '-' {
                name.push(c.to_ascii_lowercase());
                chars.next();
            } else {
                break;
            }
        }
        let mut attrs = Vec::new();
        let mut end = rest.len();
        loop {
            while chars
                .next_if(|(_, c)| c.is_whitespace() || *c == '/')
                .is_some()
            {}
            let Some(&(i, c)) = chars.peek() else { break };
            if c == '>' {
                end = i;
                break;
            }
            let mut attr = String::new();
            while let Some((_, c)) =
                chars.next_if(|(_, c)| !c.is_whitespace() && *c != '=' && *c != '>')
            {
                attr.push(c.to_ascii_lowercase());
            }
            let mut value = String::new();
            if chars.next_if(|(_, c)| *c == '=').is_some() {
                match chars.peek().map(|(_, c)| *c) {
                    Some(q @ ('"' | '\'')) => {
                        chars.next();
                        for (_, c) in chars.by_ref() {
                            if c == q {
                                break;
                            }
                            value.push(c);
                        }
                    }
                    _ => {
                        while let Some((_, c)) =
                            chars.next_if(|(_, c)| !c.is_whitespace() && *c != '>')
                        {
                            value.push(c);
                        }
                    }
                }
            }
            attrs.push((attr, value));
        }
        out.push((name, attrs));
        rest = &rest[end.min(rest.len())..];
    }
    out
}

/// Copies a folder tree (the committed fixtures) into a temp folder.
pub fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let target = to.join(e.path().strip_prefix(from).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

/// Every tag the default theme's templates use (including partials), plus the `<p>` of dump
/// bodies: the markup a page may hold besides sanitised Markdown.
pub fn theme_tags() -> &'static BTreeSet<String> {
    static SET: std::sync::OnceLock<BTreeSet<String>> = std::sync::OnceLock::new();
    SET.get_or_init(|| {
        let mut set: BTreeSet<String> = ["p", "!doctype"].iter().map(|s| s.to_string()).collect();
        let dir = repo_root().join("themes/default/templates");
        for e in walkdir::WalkDir::new(dir) {
            let e = e.unwrap();
            if e.file_type().is_file() {
                let text = std::fs::read_to_string(e.path()).unwrap();
                set.extend(tags(&text).into_iter().map(|(n, _)| n));
            }
        }
        set
    })
}

/// The tags ammonia's default allow-list keeps in sanitised Markdown.
pub fn markdown_tags() -> &'static [&'static str] {
    &[
        "a",
        "abbr",
        "acronym",
        "area",
        "article",
        "aside",
        "b",
        "bdi",
        "bdo",
        "blockquote",
        "br",
        "caption",
        "center",
        "cite",
        "code",
        "col",
        "colgroup",
        "data",
        "dd",
        "del",
        "details",
        "dfn",
        "div",
        "dl",
        "dt",
        "em",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hgroup",
        "hr",
        "i",
        "img",
        "ins",
        "kbd",
        "li",
        "map",
        "mark",
        "nav",
        "ol",
        "p",
        "pre",
        "q",
        "rp",
        "rt",
        "rtc",
        "ruby",
        "s",
        "samp",
        "small",
        "span",
        "strike",
        "strong",
        "sub",
        "summary",
        "sup",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "time",
        "tr",
        "tt",
        "u",
        "ul",
        "var",
        "wbr",
    ]
}

/// Generates `count` dumps with the real generator into `dir` (which must not exist yet).
pub fn generate(dir: &Path, count: usize, days: usize) {
    let o = newsdigest(
        &repo_root(),
        &[
            "generate",
            "--count",
            &count.to_string(),
            "--days",
            &days.to_string(),
            "--out",
            dir.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
}

/// A temporary site of `count` generated dumps over `days` days: the folder (removed when
/// dropped), the site root in it and the site's `content/`.
pub fn generated_site(
    count: usize,
    days: usize,
) -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let content = site.join("content");
    generate(&content, count, days);
    (tmp, site, content)
}

/// Every file below `dir` with its bytes.
pub fn snapshot(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    files(dir)
        .into_iter()
        .map(|f| {
            let bytes = std::fs::read(dir.join(&f)).unwrap();
            (f, bytes)
        })
        .collect()
}

/// Builds the bundled sample site (the repository's `content/`) into `out`, with `extra`
/// arguments; panics with stderr unless it succeeds.
pub fn build_sample(out: &Path, extra: &[&str]) {
    let root = repo_root();
    let mut args = vec![
        "build",
        "--root",
        root.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let o = newsdigest(&root, &args);
    assert!(o.status.success(), "{}", stderr(&o));
}

/// Runs `newsdigest build` in `site` with `args`; panics with stderr unless it succeeds.
/// Returns the JSON report.
pub fn build_site(site: &Path, args: &[&str]) -> serde_json::Value {
    let report = site.join("report.json");
    let mut all = vec!["build", "--report", report.to_str().unwrap()];
    all.extend_from_slice(args);
    let o = newsdigest(site, &all);
    assert!(o.status.success(), "{}", stderr(&o));
    serde_json::from_str(&read(&report)).unwrap()
}

/// The report's count `key` (e.g. `pages_rendered`).
pub fn count(report: &serde_json::Value, key: &str) -> u64 {
    report[key]
        .as_u64()
        .unwrap_or_else(|| panic!("no {key} in report"))
}

/// Files whose bytes differ between two snapshots, or that exist in only one.
pub fn differing(
    a: &std::collections::BTreeMap<String, Vec<u8>>,
    b: &std::collections::BTreeMap<String, Vec<u8>>,
) -> BTreeSet<String> {
    a.keys()
        .chain(b.keys())
        .filter(|k| a.get(*k) != b.get(*k))
        .cloned()
        .collect()
}

/// Every absolute URL a feed, sitemap or robots.txt under `out` publishes. The Discovery work
/// (feeds, sitemap) is held to "absolute URLs under base_url" by the tests using this.
pub fn published_urls(out: &Path) -> Vec<(String, String)> {
    let mut urls = Vec::new();
    for f in files(out) {
        let bytes = std::fs::read(out.join(&f)).unwrap();
        let p = if f.ends_with(".xml") {
            newsdigest::check::feeds::xml(&bytes).unwrap_or_else(|e| panic!("{f}: {e}"))
        } else if f.ends_with(".json") {
            newsdigest::check::feeds::json(&bytes).unwrap_or_else(|e| panic!("{f}: {e}"))
        } else if f == "robots.txt" {
            newsdigest::check::feeds::robots(&bytes)
        } else {
            continue;
        };
        urls.extend(p.urls.into_iter().map(|(at, u)| (format!("{f} {at}"), u)));
    }
    urls
}

/// A relative path with `/` separators, as the build report writes it.
pub fn slash(p: &Path) -> String {
    p.iter()
        .map(|s| s.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Every character XML 1.0 forbids that a text file can hold (NUL makes a file binary).
pub fn xml_forbidden_chars() -> Vec<char> {
    (1u32..0x20)
        .chain([0xFFFE, 0xFFFF])
        .filter_map(char::from_u32)
        .filter(|&c| newsdigest::safety::is_xml_forbidden(c))
        .collect()
}

/// A site at `root` (`site.yaml` and `content/`) whose every text carries characters XML
/// forbids: one dump per character (in its title line, body and headline list), all on one
/// day so that the news sitemap and the day feed carry them, and a Markdown article whose
/// front matter writes them as YAML escapes and whose body writes them as entities. The tag
/// `Weather` makes a topic, so topic feeds carry them too; `merge: false` keeps the near-equal
/// dumps apart. Returns the dumps' paths under
/// `content/`, with the byte offset of the first forbidden character in each.
pub fn write_forbidden_chars_site(root: &Path) -> Vec<(String, usize)> {
    let content = root.join("content/2026-11-20");
    std::fs::create_dir_all(&content).unwrap();
    std::fs::write(
        root.join("site.yaml"),
        "title: Forbidden\nbase_url: https://digest.example.org/\nfeed_items: 100\n",
    )
    .unwrap();
    let mut dumps = Vec::new();
    for (i, c) in xml_forbidden_chars().into_iter().enumerate() {
        let name = format!("{i:03}_{:016x}.txt", 0xc0de_0000 + i);
        let text = format!(
            "---\ntags: [Weather]\nmerge: false\n---\nStorm Hits Coast Town{c} Number {i}\n\n\
             The storm{c} hit the coast of Weather Bay on Monday, officials said.\n\
             More rain{c}{c} was expected on Tuesday across Weather Bay.\n\n\
             Mayor Opens{c} New Library {i}\nCouncil Approves Budget {i}\n"
        );
        let offset = text.find(c).unwrap();
        std::fs::write(content.join(&name), text).unwrap();
        dumps.push((format!("2026-11-20/{name}"), offset));
    }
    std::fs::write(
        content.join("900_markdown.md"),
        "---\ntitle: \"Markdown \\x01 Title\\f\"\nauthor: \"A\\x1fB\"\nsummary: \"S\\vT \\uFFFE\"\n\
         tags: [Weather, \"Rain\\x02\"]\nsource: \"Wire\\x1b\"\n---\n\
         Body &#12; text &#xFFFF; end &#x1F; of Weather Bay.\n",
    )
    .unwrap();
    dumps
}

/// Writes `text` to `content/<path>` under a site root, creating its folders.
pub fn write_content(root: &Path, path: &str, text: &str) {
    let p = root.join("content").join(path);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// A Markdown article: `title` (quoted for YAML), `extra` front-matter lines, then `body`.
pub fn md(title: &str, extra: &str, body: &str) -> String {
    let title = title.replace('\\', "\\\\").replace('"', "\\\"");
    format!("---\ntitle: \"{title}\"\n{extra}---\n\n{body}\n")
}

/// The number of headlines the headline index's landing page says it holds (its lede starts
/// with it).
pub fn headline_total(landing: &str) -> usize {
    landing
        .split("class=\"page-lede\">")
        .nth(1)
        .and_then(|s| s.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .expect("the landing page's lede starts with the headline count")
}
