//! Builds the hostile fixture (`tests/fixtures/hostile`) plus what git cannot hold or should
//! not carry (a symlink loop, a link out of `content/`, a dangling link, a FIFO, a 5 MB
//! single-line dump, a 20 MB file, a file name that is not UTF-8, a right-to-left-override
//! name, a file dated only by its modification time) and checks the exact report, that every
//! entry is accounted for, that nothing in any output file is live markup, and that nothing
//! is written outside `output/`.

use crate::common::*;
use serde_json::{Value, json};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;
use std::time::{Duration, SystemTime};

/// Repetitions of the giant line's sentence: 45 bytes each, about 5.4 MB in all.
const GIANT_REPEAT: usize = 120_000;
const GIANT_SENTENCE: &str = "Giant line with <b>tags</b> &amp; U.S. dots. ";

struct Built {
    _tmp: tempfile::TempDir,
    site: PathBuf,
    out: PathBuf,
    report: Value,
    stderr: String,
    status: Option<i32>,
}

/// Builds the hostile site once for every test in this file.
static BUILT: LazyLock<Built> = LazyLock::new(|| {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_dir(&repo_root().join("tests/fixtures/hostile"), &site);
    let c = site.join("content");
    let day = c.join("2026-03-01");
    std::os::unix::fs::symlink("..", day.join("loop")).unwrap();
    let secret = tmp.path().join("secret");
    std::fs::create_dir(&secret).unwrap();
    std::fs::write(
        secret.join("leak.txt"),
        "OUTSIDE-SECRET must never be built.\n",
    )
    .unwrap();
    std::os::unix::fs::symlink(&secret, day.join("outside")).unwrap();
    std::os::unix::fs::symlink("nowhere.txt", day.join("dangling.txt")).unwrap();
    let fifo = std::process::Command::new("mkfifo")
        .arg(day.join("pipe.txt"))
        .status()
        .expect("mkfifo (coreutils) is needed for this test");
    assert!(fifo.success());
    let giant = format!("{}END-OF-GIANT-LINE\n", GIANT_SENTENCE.repeat(GIANT_REPEAT));
    std::fs::write(day.join("018_aaaaaaaaaaaa0013.txt"), giant).unwrap();
    // Larger than the default limit; sparse, so it costs no disk and no time.
    std::fs::File::create(day.join("019_aaaaaaaaaaaa0014.txt"))
        .unwrap()
        .set_len(20_000_000)
        .unwrap();
    let other = c.join("2026-03-02");
    std::fs::write(
        other.join(std::ffi::OsStr::from_bytes(b"caf\xe9.txt")),
        "Latin-1 name, UTF-8 body.\n",
    )
    .unwrap();
    // A right-to-left override makes this read as "reportdm.txt"; its front matter has a
    // key with a terminal escape sequence in it.
    std::fs::write(
        other.join("report\u{202E}txt.md"),
        "---\n\"\\e[2Jcleared\": x\n---\nSpoofed name.\n",
    )
    .unwrap();
    std::fs::create_dir(c.join("misc")).unwrap();
    let undated = c.join("misc/undated.txt");
    std::fs::write(&undated, "An undated dump.\n").unwrap();
    // 2026-03-03T12:00:00Z
    let noon = SystemTime::UNIX_EPOCH + Duration::from_secs(1_772_539_200);
    std::fs::File::options()
        .write(true)
        .open(&undated)
        .unwrap()
        .set_modified(noon)
        .unwrap();

    let o = newsdigest(&site, &["build", "--verbose", "--report", "report.json"]);
    let report = serde_json::from_str(&read(&site.join("report.json"))).unwrap();
    Built {
        out: site.join("output"),
        site,
        report,
        stderr: stderr(&o),
        status: o.status.code(),
        _tmp: tmp,
    }
});

fn built(path: &str, slug: &str, day: &str) -> Value {
    json!({"path": path, "status": "built", "urls": [format!("/{day}/{slug}/"), format!("/{day}/{slug}/index.md")]})
}

fn ignored(path: &str, rule: &str) -> Value {
    json!({"path": path, "status": "ignored", "rule": rule})
}

fn not_built(
    status: &str,
    path: &str,
    reason: &str,
    line: Option<u64>,
    byte: Option<u64>,
) -> Value {
    let mut v = json!({"path": path, "status": status, "reason": reason});
    if let Some(l) = line {
        v["line"] = json!(l);
    }
    if let Some(b) = byte {
        v["byte"] = json!(b);
    }
    v
}

#[test]
fn the_report_is_exact() {
    let b = &*BUILT;
    assert_eq!(
        b.status,
        Some(0),
        "bad files never stop a build:\n{}",
        b.stderr
    );
    const D1: &str = "2026/03/01";
    const D2: &str = "2026/03/02";
    let impossible = "the folder names an impossible date";
    let expected = vec![
        ignored(".DS_Store", "operating-system metadata file"),
        ignored(".hidden", "hidden folder (not entered)"),
        not_built(
            "failed",
            "2026-02-29/000_aaaaaaaaaaaa0021.txt",
            impossible,
            None,
            None,
        ),
        not_built(
            "failed",
            "2026-02-30/000_aaaaaaaaaaaa0020.txt",
            impossible,
            None,
            None,
        ),
        ignored("2026-03-01/#scratch#", "editor lock or autosave file"),
        ignored(
            "2026-03-01/.000_aaaaaaaaaaaa0001.txt.swp",
            "editor backup or swap file",
        ),
        built(
            "2026-03-01/000_aaaaaaaaaaaa0001.txt",
            "council-approves-harbour-budget",
            D1,
        ),
        ignored(
            "2026-03-01/000_aaaaaaaaaaaa0001.txt~",
            "editor backup or swap file",
        ),
        built(
            "2026-03-01/001_aaaaaaaaaaaa0002.txt",
            "cafe-owners-say-trade-was-up-this-winter",
            D1,
        ),
        not_built(
            "skipped",
            "2026-03-01/002_aaaaaaaaaaaa0003.txt",
            "binary file (contains a NUL byte); skipped",
            None,
            Some(5),
        ),
        not_built(
            "skipped",
            "2026-03-01/003_aaaaaaaaaaaa0004.txt",
            "empty file; nothing to build",
            None,
            None,
        ),
        not_built(
            "skipped",
            "2026-03-01/004_aaaaaaaaaaaa0005.txt",
            "blank file (only white space); nothing to build",
            None,
            None,
        ),
        built(
            "2026-03-01/005_aaaaaaaaaaaa0006.txt",
            "script-alert-1-script-wins-img-src-x-onerror-alert-2-award",
            D1,
        ),
        built(
            "2026-03-01/006_aaaaaaaaaaaa0007.txt",
            "title-script-alert-fm-title-script-front-matter-title",
            D1,
        ),
        built("2026-03-01/007_aaaaaaaaaaaa0008.txt", "tmp-pwned", D1),
        built(
            "2026-03-01/008_aaaaaaaaaaaa0009.txt",
            "2e-2e-2f-2e-2e-2fetc",
            D1,
        ),
        built("2026-03-01/009_aaaaaaaaaaaa000a.txt", "con-1", D1),
        built(
            "2026-03-01/010_aaaaaaaaaaaa000b.txt",
            "c-windows-nul-txt",
            D1,
        ),
        not_built(
            "failed",
            "2026-03-01/011_aaaaaaaaaaaa000c.txt",
            "front matter opened with `---` is never closed",
            Some(1),
            None,
        ),
        not_built(
            "failed",
            "2026-03-01/012_aaaaaaaaaaaa000d.txt",
            "front matter: did not find expected ',' or ']'",
            Some(4),
            None,
        ),
        not_built(
            "failed",
            "2026-03-01/013_aaaaaaaaaaaa000e.txt",
            "front matter: unknown field `headline`, expected one of `title`, `date`, `source`, `url`, `author`, `image`, `image_alt`, `tags`, `summary`, `slug`, `rank`, `draft`, `aliases`, `recover_title`, `duplicate_of`, `merge`, `story`",
            Some(3),
            None,
        ),
        not_built(
            "failed",
            "2026-03-01/014_aaaaaaaaaaaa000f.txt",
            "front matter: `date` \"2026-02-30\" is not a valid date",
            Some(3),
            None,
        ),
        built(
            "2026-03-01/015_aaaaaaaaaaaa0010.txt",
            "mayor-opens-new-library",
            D1,
        ),
        built(
            "2026-03-01/016_aaaaaaaaaaaa0011.txt",
            "mayor-opens-new-library-2",
            D1,
        ),
        built(
            "2026-03-01/017_aaaaaaaaaaaa0012.txt",
            "template-syntax-stays-text",
            D1,
        ),
        built(
            "2026-03-01/018_aaaaaaaaaaaa0013.txt",
            "giant-line-with-b-tags-b-amp-us-dots",
            D1,
        ),
        not_built(
            "skipped",
            "2026-03-01/019_aaaaaaaaaaaa0014.txt",
            "file is 20000000 bytes, over the limit of 16777216 bytes (limits.max_file_size); skipped",
            None,
            None,
        ),
        not_built(
            "skipped",
            "2026-03-01/dangling.txt",
            "broken symlink: its target does not exist",
            None,
            None,
        ),
        not_built(
            "skipped",
            "2026-03-01/loop",
            "symlink loop: the link points back at a folder above it",
            None,
            None,
        ),
        not_built(
            "skipped",
            "2026-03-01/outside",
            "symlink points outside the content folder; not followed",
            None,
            None,
        ),
        ignored(
            "2026-03-01/pipe.txt",
            "not a regular file (a FIFO, socket or device)",
        ),
        built("2026-03-02/Zürich-日本語.txt", "zurich-hosts-summit", D2),
        built("2026-03-02/analysis.md", "markdown-with-raw-html", D2),
        built("2026-03-02/caf\u{FFFD}.txt", "latin-1-name-utf-8-body", D2),
        not_built(
            "failed",
            "2026-03-02/report\u{202E}txt.md",
            "front matter: unknown field `\u{1b}[2Jcleared`, expected one of `title`, `date`, `source`, `url`, `author`, `image`, `image_alt`, `tags`, `summary`, `slug`, `rank`, `draft`, `aliases`, `recover_title`, `duplicate_of`, `merge`, `story`",
            Some(2),
            None,
        ),
        built(
            "2026-03-02/مقال-عن-الاقتصاد.txt",
            "article-d09cac994446be05",
            D2,
        ),
        not_built(
            "failed",
            "2026/13/01/000_aaaaaaaaaaaa0022.txt",
            impossible,
            None,
            None,
        ),
        ignored("Thumbs.db", "operating-system metadata file"),
        not_built(
            "skipped",
            "deep/1/2/3/4/5",
            "folder is deeper than the walk limit (limits.max_depth = 6); its contents were not read",
            None,
            None,
        ),
        built("misc/undated.txt", "an-undated-dump", "2026/03/03"),
        ignored(
            "notes.docx",
            "not a content file (only .txt, .md and extension-less files are)",
        ),
    ];
    let got = b.report["files"].as_array().unwrap();
    for (g, e) in got.iter().zip(&expected) {
        // Where each built title came from is checked by its counts below.
        let mut g = g.clone();
        if let Some(o) = g.as_object_mut()
            && o["status"] == "built"
        {
            let src = o.remove("title_source");
            assert!(
                matches!(
                    src.as_ref().and_then(|s| s.as_str()),
                    Some("given" | "first-line" | "headline-list" | "derived")
                ),
                "{o:?}"
            );
            // Sites are found by the digest (front matter, folders, overlapping lists); here
            // the report must only name one it lists, and drops must say why and how many.
            if let Some(site) = o.remove("site") {
                assert!(
                    b.report["sites"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|s| s["name"] == site),
                    "{site} not in sites"
                );
            }
            if let Some(dropped) = o.remove("dropped") {
                let dropped = dropped.as_array().unwrap();
                assert!(!dropped.is_empty(), "{o:?}: empty dropped is left out");
                for d in dropped {
                    assert!(d["reason"].as_str().is_some_and(|r| !r.is_empty()), "{d}");
                    assert!(d["lines"].as_u64().is_some_and(|n| n > 0), "{d}");
                }
            }
        }
        assert_eq!(&g, e);
    }
    assert_eq!(
        b.report["titles"],
        json!({"given": 6, "first_line": 6, "headline_list": 0, "derived": 5})
    );
    assert_eq!(b.report["merges"], json!([]));
    assert_eq!(got.len(), expected.len());
    assert_eq!(
        b.report["totals"],
        json!({"walked": 41, "built": 17, "ignored": 8, "draft": 0, "skipped": 8, "failed": 8})
    );
    assert_eq!(b.report["articles"], 17);
    assert_eq!(b.report["days"], 3);

    // Diagnostics: where each problem is, as structured fields.
    let diags: Vec<(String, String, Option<u64>, Option<u64>)> = b.report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["severity"].as_str().unwrap().to_string(),
                d["path"].as_str().unwrap().to_string(),
                d["line"].as_u64(),
                d["byte"].as_u64(),
            )
        })
        .collect();
    let (e, w) = ("error", "warning");
    let c = |s: &str| format!("content/{s}");
    let expected_diags = vec![
        (e, c("2026-02-29/000_aaaaaaaaaaaa0021.txt"), None, None),
        (e, c("2026-02-30/000_aaaaaaaaaaaa0020.txt"), None, None),
        (w, c("2026-03-01/001_aaaaaaaaaaaa0002.txt"), None, Some(23)),
        (e, c("2026-03-01/002_aaaaaaaaaaaa0003.txt"), None, Some(5)),
        (w, c("2026-03-01/003_aaaaaaaaaaaa0004.txt"), None, None),
        (w, c("2026-03-01/004_aaaaaaaaaaaa0005.txt"), None, None),
        (w, c("2026-03-01/006_aaaaaaaaaaaa0007.txt"), Some(4), None),
        (w, c("2026-03-01/006_aaaaaaaaaaaa0007.txt"), Some(5), None),
        (w, c("2026-03-01/007_aaaaaaaaaaaa0008.txt"), Some(3), None),
        (w, c("2026-03-01/008_aaaaaaaaaaaa0009.txt"), Some(3), None),
        (w, c("2026-03-01/009_aaaaaaaaaaaa000a.txt"), Some(3), None),
        (w, c("2026-03-01/010_aaaaaaaaaaaa000b.txt"), Some(3), None),
        (e, c("2026-03-01/011_aaaaaaaaaaaa000c.txt"), Some(1), None),
        (e, c("2026-03-01/012_aaaaaaaaaaaa000d.txt"), Some(4), None),
        (e, c("2026-03-01/013_aaaaaaaaaaaa000e.txt"), Some(3), None),
        (e, c("2026-03-01/014_aaaaaaaaaaaa000f.txt"), Some(3), None),
        (e, c("2026-03-01/019_aaaaaaaaaaaa0014.txt"), None, None),
        (e, c("2026-03-01/dangling.txt"), None, None),
        (e, c("2026-03-01/loop"), None, None),
        (w, c("2026-03-01/outside"), None, None),
        (e, c("2026-03-02/report\u{202E}txt.md"), Some(2), None),
        (e, c("2026/13/01/000_aaaaaaaaaaaa0022.txt"), None, None),
        (w, c("deep/1/2/3/4/5"), None, None),
        (w, c("misc/undated.txt"), None, None),
    ];
    let expected_diags: Vec<_> = expected_diags
        .into_iter()
        .map(|(s, p, l, b)| (s.to_string(), p, l, b))
        .collect();
    assert_eq!(diags, expected_diags);
    assert_eq!(b.report["errors"], 12);
    assert_eq!(b.report["warnings"], 12);
}

/// Counts what is under `dir` the way the report promises to account for it: every entry
/// that is not a folder counts once (files, symlinks, FIFOs); a folder counts once when it
/// is not entered (hidden, or at the depth limit with something in it), and otherwise by
/// what it holds. Symlinks are never followed here.
fn count_entries(dir: &Path, depth: usize, max_depth: usize) -> usize {
    let mut n = 0;
    for e in std::fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        let ft = e.file_type().unwrap();
        if !ft.is_dir() || e.file_name().to_string_lossy().starts_with('.') {
            n += 1;
        } else if depth + 1 == max_depth {
            n += usize::from(std::fs::read_dir(e.path()).unwrap().next().is_some());
        } else {
            n += count_entries(&e.path(), depth + 1, max_depth);
        }
    }
    n
}

#[test]
fn totals_add_up_to_the_entries_walked() {
    let b = &*BUILT;
    let t = &b.report["totals"];
    let classes: u64 = ["built", "ignored", "draft", "skipped", "failed"]
        .iter()
        .map(|k| t[k].as_u64().unwrap())
        .sum();
    assert_eq!(classes, t["walked"].as_u64().unwrap());
    let on_disk = count_entries(&b.site.join("content"), 0, 6);
    assert_eq!(t["walked"].as_u64().unwrap() as usize, on_disk);
    assert_eq!(b.report["files"].as_array().unwrap().len(), on_disk);
    // Every path is listed once.
    let mut paths: Vec<_> = b.report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    paths.dedup();
    assert_eq!(paths.len(), on_disk);
}

#[test]
fn the_summary_says_the_same_in_one_screen_without_terminal_tricks() {
    let b = &*BUILT;
    let err = &b.stderr;
    // Cache counts depend on what an earlier build of the same site left; the rest does not.
    let head: Vec<&str> = err.lines().take(5).collect();
    // The sources index, and a page (one: none has more than per_page articles) and a feed
    // per site, come on top of the other pages, files, feeds and sitemap URLs.
    let sites = b.report["sites"].as_array().unwrap().len();
    // The headline index has a page per letter on top of its landing page.
    let letters = std::fs::read_dir(b.out.join("headlines")).unwrap().count() - 1;
    assert!(
        b.report["sites"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["articles"].as_u64().unwrap() <= 20)
    );
    assert!(
        head[0].starts_with(&format!(
            "Built 17 articles over 3 days: {} pages (",
            // The developing stories' index is one page more.
            59 + 1 + 1 + 2 * sites + letters
        )),
        "{err}"
    );
    assert!(
        // The theme's favicon.svg is one more file.
        head[1].starts_with(&format!(
            "Output: {} files: ",
            62 + 1 + 1 + 2 * sites + letters + 1
        )),
        "{err}"
    );
    assert!(
        head[2]
            .starts_with("Files: 41 walked, 17 built, 8 ignored, 0 drafts, 8 skipped, 8 failed;"),
        "{err}"
    );
    assert_eq!(head[3], "12 warnings, 12 errors.", "{err}");
    assert!(
        head[4].starts_with(&format!(
            "Discovery: 3 topics, {} feeds, {} URLs in the sitemap;",
            9 + sites,
            27 + 1 + 1 + sites + letters
        )),
        "{err}"
    );
    assert!(
        err.lines()
            .nth(5)
            .is_some_and(|l| l.starts_with(&format!("Sources: {sites} "))),
        "{err}"
    );
    // --verbose lists every problem, one per line, with path and line or byte.
    assert_eq!(err.lines().count(), 8 + 24, "{err}");
    for needle in [
        "content/2026-03-01/002_aaaaaaaaaaaa0003.txt: error: binary file (contains a NUL byte); skipped (at byte 5)",
        "content/2026-03-01/013_aaaaaaaaaaaa000e.txt:3: error: front matter: unknown field `headline`",
        "content/2026-03-01/006_aaaaaaaaaaaa0007.txt:5: warning: front matter: `url` \"javascript:alert('url')\" is not an http, https, mailto or relative URL; dropped",
        // The right-to-left override and the escape sequence are shown, not obeyed.
        "content/2026-03-02/report\\u{202e}txt.md:2: error: front matter: unknown field `\\u{1b}[2Jcleared`",
    ] {
        assert!(err.contains(needle), "summary lacks {needle:?}:\n{err}");
    }
    assert!(
        !err.contains('\u{202E}') && !err.contains('\u{1b}'),
        "{err:?}"
    );
    // Without --verbose the list stops at 15 problems and points at the report (8 summary lines).
    // Into another folder: the other tests are reading this build's output.
    let elsewhere = tempfile::tempdir().unwrap();
    let out2 = elsewhere.path().join("out");
    let quiet = newsdigest(&b.site, &["build", "--output", out2.to_str().unwrap()]);
    let q = stderr(&quiet);
    assert!(q.lines().count() <= 24, "{q}");
    assert!(q.contains("… and 9 more (see --report)"), "{q}");
}

/// Checks one HTML page: no tag outside the allowed set, no event handler, no unsafe URL,
/// and any `<script>` is either the theme's own file or JSON-LD that cannot end its element.
fn check_html(path: &str, html: &str) {
    for (name, attrs) in tags(html) {
        let attr = |n: &str| attrs.iter().find(|(a, _)| a == n).map(|(_, v)| v.as_str());
        if name == "script" {
            if attr("type") == Some("application/ld+json") {
                continue;
            }
            let src = attr("src").unwrap_or("");
            assert!(
                src.starts_with("/static/"),
                "{path}: a <script> that is neither JSON-LD nor a theme file"
            );
            continue;
        }
        assert!(
            theme_tags().contains(&name) || markdown_tags().contains(&name.as_str()),
            "{path}: unexpected <{name}>"
        );
        for (a, v) in &attrs {
            assert!(
                !a.starts_with("on"),
                "{path}: event handler {a} on <{name}>"
            );
            assert!(
                a != "style" || matches!(name.as_str(), "th" | "td"),
                "{path}: style on <{name}>"
            );
            if ["href", "src", "action", "formaction", "cite"].contains(&a.as_str()) {
                assert!(newsdigest::safety::is_safe_url(v), "{path}: {a}={v:?}");
            }
        }
    }
    // JSON-LD: valid JSON that cannot close its <script> early.
    let mut rest = html;
    while let Some(i) = rest.find("<script type=\"application/ld+json\">") {
        rest = &rest[i..];
        let start = rest.find('>').unwrap() + 1;
        let end = rest.find("</script>").unwrap();
        let body = &rest[start..end];
        assert!(
            !body.to_ascii_lowercase().contains("<!--"),
            "{path}: comment opener in JSON-LD"
        );
        serde_json::from_str::<Value>(body).unwrap_or_else(|e| panic!("{path}: JSON-LD: {e}"));
        rest = &rest[end..];
    }
}

/// The front-matter title of `006_aaaaaaaaaaaa0007.txt`, as it must read back from every
/// format once that format's own escaping is undone.
const HOSTILE_TITLE: &str = "</title><script>alert('fm-title')</script> Front Matter Title";

fn holds_string(v: &Value, s: &str) -> bool {
    match v {
        Value::String(x) => x == s,
        Value::Array(a) => a.iter().any(|x| holds_string(x, s)),
        Value::Object(o) => o.values().any(|x| holds_string(x, s)),
        _ => false,
    }
}

/// Parses an XML file with quick-xml: it must be well-formed, hold no element that is
/// markup from content (HTML element names), and RSS `description` (HTML by convention)
/// must hold no tag once decoded. Returns (element, decoded text) pairs.
fn check_xml(path: &str, xml: &str) -> Vec<(String, String)> {
    use quick_xml::events::Event;
    const HTML: &[&str] = &[
        "script", "img", "iframe", "svg", "b", "style", "a", "p", "object", "embed",
    ];
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut stack: Vec<String> = Vec::new();
    let mut texts: Vec<(String, String)> = Vec::new();
    let mut current = String::new();
    loop {
        let ev = reader
            .read_event()
            .unwrap_or_else(|e| panic!("{path}: not well-formed XML: {e}"));
        match ev {
            Event::Start(e) | Event::Empty(e)
                if {
                    let name =
                        String::from_utf8_lossy(e.local_name().as_ref()).to_ascii_lowercase();
                    assert!(
                        !HTML.contains(&name.as_str()),
                        "{path}: <{name}> element from content"
                    );
                    false
                } => {}
            Event::Start(e) => {
                stack.push(String::from_utf8_lossy(e.local_name().as_ref()).into_owned());
                current.clear();
            }
            Event::Text(t) => current.push_str(&t.decode().unwrap()),
            Event::CData(c) => current.push_str(&c.decode().unwrap()),
            Event::GeneralRef(r) => {
                if r.is_char_ref() {
                    current.extend(r.resolve_char_ref().unwrap());
                } else {
                    let name = r.decode().unwrap();
                    current.push(match name.as_ref() {
                        "lt" => '<',
                        "gt" => '>',
                        "amp" => '&',
                        "quot" => '"',
                        "apos" => '\'',
                        other => panic!("{path}: undefined entity &{other};"),
                    });
                }
            }
            Event::End(_) => {
                let name = stack.pop().unwrap_or_default();
                if name == "description" {
                    assert!(
                        tags(&current).is_empty(),
                        "{path}: markup in a description: {current}"
                    );
                }
                texts.push((name, std::mem::take(&mut current)));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert!(stack.is_empty(), "{path}: unclosed elements {stack:?}");
    texts
}

#[test]
fn every_output_file_is_escaped_for_its_context() {
    let b = &*BUILT;
    let mut kinds = std::collections::BTreeSet::new();
    for f in files(&b.out) {
        let ext = f.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
        kinds.insert(ext.to_string());
        let bytes = std::fs::read(b.out.join(&f)).unwrap();
        match ext {
            "html" => check_html(&f, &String::from_utf8(bytes).unwrap()),
            "md" => {
                // Front matter is YAML written by serde_yaml: it must read back.
                let text = String::from_utf8(bytes).unwrap();
                let fm = text
                    .strip_prefix("---\n")
                    .and_then(|r| r.split_once("\n---\n"));
                let (yaml, _) = fm.unwrap_or_else(|| panic!("{f}: no front matter"));
                serde_yaml::from_str::<serde_yaml::Value>(yaml)
                    .unwrap_or_else(|e| panic!("{f}: front matter does not parse: {e}"));
            }
            "json" => {
                let v = serde_json::from_slice::<Value>(&bytes)
                    .unwrap_or_else(|e| panic!("{f}: not JSON: {e}"));
                if f == "feed.json" || f == "search-index.json" {
                    assert!(
                        holds_string(&v, HOSTILE_TITLE),
                        "{f}: hostile title not kept as data"
                    );
                }
            }
            "xml" => {
                let texts = check_xml(&f, &String::from_utf8(bytes).unwrap());
                if f == "feed.xml" || f == "atom.xml" {
                    assert!(
                        texts
                            .iter()
                            .any(|(e, t)| e == "title" && t == HOSTILE_TITLE),
                        "{f}: hostile title not kept as text"
                    );
                }
            }
            // Theme files, copied as they are: nothing from content is in them.
            "css" | "js" | "svg" => assert!(f.starts_with("static/"), "{f}"),
            "txt" => assert_eq!(f, "robots.txt"),
            "newsdigest" => {}
            other => {
                panic!("{f}: no escaping check for .{other} output files; add one to this test")
            }
        }
    }
    for k in ["html", "md", "xml", "json"] {
        assert!(kinds.contains(k), "no .{k} output: {kinds:?}");
    }

    let out = &b.out;
    // Markup in a dump's body, title line and headlines is text.
    let page =
        read(&out.join(
            "2026/03/01/script-alert-1-script-wins-img-src-x-onerror-alert-2-award/index.html",
        ));
    for shown in [
        "Body with &lt;script&gt;alert(\"body\")&lt;/script&gt; and &lt;img src=x onerror=alert(3)&gt; inline.",
        "A link [click](javascript:alert(4)) and &lt;a href=\"javascript:alert(5)\"&gt;anchor&lt;/a&gt;",
        "Markdown *stars* _under_ `ticks` # hash &amp;amp; &amp;lt;b&amp;gt; stay literal.",
        "&lt;Script&gt;Alert(&quot;Headline&quot;)&lt;&#x2F;Script&gt; Returns",
        "&quot;&gt;&lt;Svg Onload=Alert(6)&gt; Headline Injection Works",
    ] {
        let alt = shown.replace("&#x2F;", "/");
        assert!(
            page.contains(shown) || page.contains(&alt),
            "{shown} not shown in\n{page}"
        );
    }
    // Front matter is data: escaped in text and attributes, unsafe links dropped.
    let fm = read(
        &out.join("2026/03/01/title-script-alert-fm-title-script-front-matter-title/index.html"),
    );
    assert!(
        fm.contains("&lt;img src=x onerror=alert(&#39;author&#39;)&gt;"),
        "{fm}"
    );
    assert!(
        fm.contains("javascript:alert(&#39;source&#39;)"),
        "source is shown as text"
    );
    assert!(!fm.contains("href=\"javascript"), "{fm}");
    // Tags are shown as text and become topics whose folders are plain slugs.
    for (slug, shown) in [
        ("b-bold-b", "&lt;b&gt;bold&lt;/b&gt;"),
        ("etc", "../../etc"),
        ("x", "{{ x }}"),
    ] {
        assert!(
            fm.contains(&format!("href=\"/topics/{slug}/\"><bdi>{shown}</bdi><")),
            "{slug}: {fm}"
        );
        assert!(
            out.join("topics").join(slug).join("index.html").is_file(),
            "{slug}"
        );
    }
    assert!(
        fm.contains("content=\"&quot;&gt;&lt;script&gt;alert(&#39;summary&#39;)"),
        "{fm}"
    );
    // Template syntax in a dump is shown, never evaluated.
    let tpl = read(&out.join("2026/03/01/template-syntax-stays-text/index.html"));
    assert!(
        tpl.contains("{{ site.title }} {% raw %}{{ x }}{% endraw %} {# comment #} {% include &quot;base.html&quot; %} {{ 7 * 7 }}")
            || tpl.contains("{{ site.title }} {% raw %}{{ x }}{% endraw %} {# comment #} {% include \"base.html\" %} {{ 7 * 7 }}"),
        "{tpl}"
    );
    // The site title from site.yaml is escaped too.
    assert!(
        tpl.contains("Hostile {{ site.title }} &lt;script&gt;alert(&#39;site&#39;)&lt;"),
        "{tpl}"
    );
    // Markdown keeps safe markup and loses what could run.
    let md = read(&out.join("2026/03/02/markdown-with-raw-html/index.html"));
    assert!(
        md.contains("Some <em>emphasis</em> and <strong>strength</strong> survive."),
        "{md}"
    );
    assert!(
        md.contains("<img src=\"https://example.org/x.png\" alt=\"x\">"),
        "{md}"
    );
    // The body, not the related-coverage links (whose slugs may spell "onerror").
    let body = &md[md.find("<div class=\"prose\" dir=\"auto\">").unwrap()..];
    let body = &body[..body.find("<footer").unwrap_or(body.len())];
    for gone in [
        "alert('md')",
        "alert(&#39;md",
        "<iframe",
        "<style",
        "onerror",
        "onclick",
        "onmouseover",
        "position:fixed",
    ] {
        assert!(!body.contains(gone), "{gone} in\n{md}");
    }
    for gone in [
        "<iframe",
        "<style",
        " onerror=",
        " onclick=",
        " onmouseover=",
    ] {
        assert!(!md.contains(gone), "{gone} in\n{md}");
    }
    // Unicode text survives, and the file outside content/ never got in.
    let zurich = read(&out.join("2026/03/02/zurich-hosts-summit/index.html"));
    assert!(zurich.contains("Delegates from 日本 met in Zürich on Tuesday."));
    let arabic = read(&out.join("2026/03/02/article-d09cac994446be05/index.html"));
    assert!(arabic.contains("قال الوزير إن الأسعار مستقرة."));
    for f in files(out) {
        let text = String::from_utf8_lossy(&std::fs::read(out.join(&f)).unwrap()).into_owned();
        assert!(
            !text.contains("OUTSIDE-SECRET") && !text.contains("A secret that must never"),
            "{f}"
        );
        assert!(!text.contains("Too deep to be read"), "{f}");
    }
}

#[test]
fn a_five_megabyte_single_line_dump_builds_whole() {
    let b = &*BUILT;
    let page = read(
        &b.out
            .join("2026/03/01/giant-line-with-b-tags-b-amp-us-dots/index.html"),
    );
    let escaped = "Giant line with &lt;b&gt;tags&lt;/b&gt; &amp;amp; U.S. dots. ";
    let prose = &page[pos(&page, "<div class=\"prose\" dir=\"auto\">")..];
    let prose = &prose[..pos(prose, "</div>")];
    assert_eq!(prose.matches(escaped).count(), GIANT_REPEAT);
    assert!(page.contains("U.S. dots. END-OF-GIANT-LINE</p>"));
    // The derived title and summary are cut at a word boundary, not the whole line.
    assert!(page.contains("<h1 class=\"article-title\" dir=\"auto\">Giant line with &lt;b&gt;tags&lt;&#x2F;b&gt; &amp;amp; U.S. dots</h1>")
        || page.contains("<h1 class=\"article-title\" dir=\"auto\">Giant line with &lt;b&gt;tags&lt;/b&gt; &amp;amp; U.S. dots</h1>"), "{}", &page[..page.len().min(3000)]);
    let source = read(
        &b.out
            .join("2026/03/01/giant-line-with-b-tags-b-amp-us-dots/index.md"),
    );
    assert!(source.trim_end().ends_with("END\\-OF\\-GIANT\\-LINE"));
}

#[test]
fn nothing_is_written_outside_the_output_folder() {
    let b = &*BUILT;
    let mut top: Vec<_> = std::fs::read_dir(&b.site)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    top.sort();
    // The build cache and the output's manifest are the only things besides output/ a build
    // may write.
    assert_eq!(
        top,
        [
            ".newsdigest-cache",
            ".output.newsdigest-manifest",
            "content",
            "output",
            "report.json",
            "site.yaml"
        ]
    );
    let parent: Vec<_> = std::fs::read_dir(b.site.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(parent.len(), 2, "{parent:?}");
    assert_eq!(
        std::fs::read_dir(b.site.parent().unwrap().join("secret"))
            .unwrap()
            .count(),
        1
    );
    for f in files(&b.out) {
        for seg in f.split('/') {
            assert!(
                !seg.is_empty()
                    && seg != ".."
                    && seg.bytes().all(|c| c.is_ascii_lowercase()
                        || c.is_ascii_digit()
                        || b"-._".contains(&c)),
                "{f}: segment {seg:?}"
            );
            assert!(
                !newsdigest::safety::is_reserved_name(seg),
                "{f}: reserved name {seg:?}"
            );
        }
    }
}
