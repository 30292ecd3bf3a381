//! Hostile input, second pass: a file swapped for a symlink while builds run, a YAML alias
//! bomb, characters XML forbids, a dump of a million headlines, an output file over its
//! budget, and bidirectional controls. Each builds a real site in a temp folder and asserts on
//! the files it publishes and the report.

use crate::common::*;
use serde_json::Value;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// A site at `root` with the given files under `content/` and `site_yaml` as `site.yaml`.
fn site(root: &Path, site_yaml: &str, files: &[(&str, &[u8])]) {
    std::fs::write(root.join("site.yaml"), site_yaml).unwrap();
    for (rel, bytes) in files {
        let p = root.join("content").join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
}

/// Runs `newsdigest build` in `root`; returns whether it succeeded, stderr and the report.
fn build(root: &Path, extra: &[&str]) -> (bool, String, Value) {
    let mut args = vec!["build", "--report", "report.json"];
    args.extend_from_slice(extra);
    let o = newsdigest(root, &args);
    let report = std::fs::read_to_string(root.join("report.json"))
        .map(|t| serde_json::from_str(&t).unwrap())
        .unwrap_or(Value::Null);
    (o.status.success(), stderr(&o), report)
}

fn diagnostics(report: &Value) -> Vec<&Value> {
    report["diagnostics"].as_array().unwrap().iter().collect()
}

/// The first diagnostic whose path ends with `path` and whose message holds `needle`.
fn diagnostic<'a>(report: &'a Value, path: &str, needle: &str) -> &'a Value {
    diagnostics(report)
        .into_iter()
        .find(|d| {
            d["path"].as_str().is_some_and(|p| p.ends_with(path))
                && d["message"].as_str().is_some_and(|m| m.contains(needle))
        })
        .unwrap_or_else(|| panic!("no diagnostic for {path} saying {needle:?}: {report:#}"))
}

fn status<'a>(report: &'a Value, path: &str) -> &'a str {
    report["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == path)
        .and_then(|f| f["status"].as_str())
        .unwrap_or_else(|| panic!("{path} not in the report"))
}

/// Total bytes of the files below `dir`.
fn tree_bytes(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.metadata().map(|m| m.len()).unwrap_or(0))
        .sum()
}

const STABLE: &str = "Harbour Bridge Reopens After Repairs\n\n\
    The harbour bridge reopened on Monday after two years of repairs, the council said.\n";

#[cfg(target_os = "linux")]
#[test]
fn a_file_swapped_for_a_symlink_during_builds_never_publishes_outside_bytes() {
    const SECRET: &str = "SECRET-7f3a9c2e-never-publish-this";
    const RACED: usize = 40;
    const MAX_BUILDS: usize = 12;
    const MAX_WALL: Duration = Duration::from_secs(120);
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    // The raced files sort first and 150 files follow them: the reads start only after the
    // walk has finished, which leaves a window between the walk's look and the read.
    let mut files: Vec<(String, String)> = (0..150)
        .map(|i| {
            (
                format!("2026-11-22/{i:03}_{:016x}.txt", 0xabc0_0000_u64 + i),
                format!("Story {i} Told\n\nThe story numbered {i} was told on Monday.\n"),
            )
        })
        .collect();
    files.push(("2026-11-22/000_aaaaaaaaaaaa0001.txt".into(), STABLE.into()));
    let raced: Vec<String> = (0..RACED)
        .map(|i| format!("2026-11-01/{i:03}_race.txt"))
        .collect();
    for (i, r) in raced.iter().enumerate() {
        files.push((
            r.clone(),
            format!("Council Approves Budget {i}\n\nThe council approved budget {i}.\n"),
        ));
    }
    let files: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_bytes()))
        .collect();
    site(root, "title: Race\n", &files);
    let secret = root.join("secret.txt");
    std::fs::write(
        &secret,
        format!("Secret Plans Revealed\n\n{SECRET} is what the secret file says.\n"),
    )
    .unwrap();
    // One `renameat2(RENAME_EXCHANGE)` swaps a walked name between its regular file and a link
    // to the secret: the name always exists, and it flips far faster than a build reads.
    let pairs: Vec<_> = raced
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let link = root.join(format!("link{i}"));
            std::os::unix::fs::symlink(&secret, &link).unwrap();
            (root.join("content").join(r), link)
        })
        .collect();
    let stop = Arc::new(AtomicBool::new(false));
    let swaps = Arc::new(AtomicUsize::new(0));
    let swapper = {
        let (stop, swaps) = (stop.clone(), swaps.clone());
        std::thread::spawn(move || {
            use rustix::fs::{CWD, RenameFlags, renameat_with};
            for (file, link) in pairs.iter().cycle().take(200_000_000) {
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                if renameat_with(CWD, file, CWD, link, RenameFlags::EXCHANGE).is_ok() {
                    swaps.fetch_add(1, Ordering::Relaxed);
                }
            }
        })
    };
    let started = Instant::now();
    let mut builds = 0;
    let mut leaks = Vec::new();
    while builds < MAX_BUILDS && started.elapsed() < MAX_WALL {
        let (ok, err, _) = build(root, &[]);
        builds += 1;
        assert!(ok, "build {builds}: {err}");
        let out = root.join("output");
        assert!(
            read(&out.join("2026/11/22/index.html"))
                .contains("Harbour Bridge Reopens After Repairs"),
            "build {builds} did not publish the stable article"
        );
        for dir in [out, root.join(".newsdigest-cache")] {
            for (f, bytes) in snapshot(&dir) {
                if bytes.windows(SECRET.len()).any(|w| w == SECRET.as_bytes()) {
                    leaks.push(format!("build {builds}: {f}"));
                }
            }
        }
    }
    stop.store(true, Ordering::Relaxed);
    swapper.join().unwrap();
    let swaps = swaps.load(Ordering::Relaxed);
    eprintln!("{builds} builds while {RACED} files were swapped {swaps} times");
    assert!(leaks.is_empty(), "outside bytes published: {leaks:#?}");
    assert!(builds >= 3, "only {builds} builds ran");
    assert!(swaps > 0, "no file was ever swapped");
}

/// Front matter 8,000 aliases of a 40 KB anchor: 320 MB once expanded, in 64 KB of YAML.
fn alias_bomb() -> String {
    format!(
        "---\nsummary: &a \"{}\"\ntags: [{}]\n---\nThe body of the bomb.\n",
        "y".repeat(40_000),
        vec!["*a"; 8_000].join(",")
    )
}

#[test]
fn a_yaml_alias_bomb_is_rejected_by_name_and_the_rest_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let bomb = alias_bomb();
    let big = format!("---\ntitle: \"{}\"\n---\nBody.\n", "z".repeat(70_000));
    site(
        root,
        "title: Bomb\n",
        &[
            ("2026-11-22/000_aaaaaaaaaaaa0001.txt", STABLE.as_bytes()),
            ("2026-11-22/001_bomb.txt", bomb.as_bytes()),
            ("2026-11-22/002_big.txt", big.as_bytes()),
        ],
    );
    // 500 MB of address space: a plain build needs under 300 MB, expanding the bomb over
    // 320 MB of strings (and the old build died of `memory allocation failed` under such a
    // limit). Two rayon threads keep the reservation the same on any machine.
    let report_path = root.join("report.json");
    let o = std::process::Command::new("sh")
        .arg("-c")
        .arg("ulimit -v 500000 && exec \"$0\" build --report \"$1\"")
        .env("RAYON_NUM_THREADS", "2")
        .arg(env!("CARGO_BIN_EXE_newsdigest"))
        .arg(&report_path)
        .current_dir(root)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let report: Value = serde_json::from_str(&read(&report_path)).unwrap();
    assert_eq!(status(&report, "2026-11-22/001_bomb.txt"), "failed");
    let d = diagnostic(&report, "2026-11-22/001_bomb.txt", "aliases");
    assert!(d["line"].as_u64().is_some(), "{d}");
    assert_eq!(status(&report, "2026-11-22/002_big.txt"), "failed");
    diagnostic(
        &report,
        "2026-11-22/002_big.txt",
        "over the limit of 65536 bytes",
    );
    assert!(stderr(&o).contains("001_bomb.txt"), "{}", stderr(&o));
    assert_eq!(
        status(&report, "2026-11-22/000_aaaaaaaaaaaa0001.txt"),
        "built"
    );
    assert!(read(&root.join("output/index.html")).contains("Harbour Bridge Reopens"));
    // Nothing the size of the expansion was kept anywhere.
    let cache = tree_bytes(&root.join(".newsdigest-cache"));
    assert!(cache < 1_000_000, "cache is {cache} bytes");
    assert!(tree_bytes(&root.join("output")) < 2_000_000);
}

#[test]
fn characters_xml_forbids_reach_no_output_format() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let dumps = write_forbidden_chars_site(root);
    let (ok, err, report) = build(root, &[]);
    assert!(ok, "{err}");
    for (path, offset) in &dumps {
        assert_eq!(status(&report, path), "built");
        let d = diagnostic(&report, path, "control character(s) that XML forbids");
        assert_eq!(d["byte"].as_u64(), Some(*offset as u64), "{d}");
        assert!(
            d["message"].as_str().unwrap().starts_with("5 control"),
            "{d}"
        );
    }
    diagnostic(
        &report,
        "900_markdown.md",
        "front matter: 7 control character(s) that XML forbids",
    );
    let out = root.join("output");
    let all = files(&out);
    for expected in [
        "feed.xml",
        "atom.xml",
        "feed.json",
        "sitemap.xml",
        "news-sitemap.xml",
        "2026/11/20/feed.xml",
        "topics/weather/feed.xml",
    ] {
        assert!(all.contains(expected), "{expected} not built: {all:?}");
    }
    let mut xml_files = 0;
    for f in &all {
        let bytes = std::fs::read(out.join(f)).unwrap();
        let Ok(text) = std::str::from_utf8(&bytes) else {
            continue;
        };
        let bad: Vec<_> = text
            .char_indices()
            .filter(|(_, c)| newsdigest::safety::is_xml_forbidden(*c))
            .collect();
        assert!(bad.is_empty(), "{f} holds {bad:?}");
        if f.ends_with(".xml") {
            // Strictly: roxmltree and quick-xml both refuse what XML 1.0 forbids.
            roxmltree::Document::parse(text).unwrap_or_else(|e| panic!("{f}: {e}"));
            let mut r = quick_xml::Reader::from_str(text);
            loop {
                match r.read_event() {
                    Ok(quick_xml::events::Event::Eof) => break,
                    Ok(_) => {}
                    Err(e) => panic!("{f}: {e}"),
                }
            }
            xml_files += 1;
        } else if f.ends_with(".json") {
            serde_json::from_str::<Value>(text).unwrap_or_else(|e| panic!("{f}: {e}"));
        }
    }
    assert!(xml_files >= 8);
    // The replaced text still reads: the titles are there, with U+FFFD where the character was.
    let feed = read(&out.join("feed.xml"));
    assert!(
        feed.contains("Storm Hits Coast Town\u{FFFD} Number 3"),
        "{feed}"
    );
    assert!(feed.contains("Markdown \u{FFFD} Title\u{FFFD}"), "{feed}");
    let news = read(&out.join("news-sitemap.xml"));
    assert!(news.contains("Storm Hits Coast Town\u{FFFD} Number 0"));
}

#[test]
fn a_million_headline_dump_gives_bounded_output_and_reports_the_rest() {
    const HEADLINES: usize = 1_000_000;
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let mut dump = String::from(
        "The council approved the budget on Monday after a long debate, officials said.\n\n",
    );
    for i in 0..HEADLINES {
        dump.push_str(&format!("Vote {i}\n"));
    }
    assert!(dump.len() > 10_000_000);
    site(
        root,
        "title: Amplified\n",
        &[
            ("2026-11-22/000_aaaaaaaaaaaa0001.txt", STABLE.as_bytes()),
            ("2026-11-22/001_aaaaaaaaaaaa0002.txt", dump.as_bytes()),
        ],
    );
    let (ok, err, report) = build(root, &[]);
    assert!(ok, "{err}");
    assert_eq!(
        status(&report, "2026-11-22/001_aaaaaaaaaaaa0002.txt"),
        "built"
    );
    diagnostic(
        &report,
        "2026-11-22/001_aaaaaaaaaaaa0002.txt",
        "headline list has 1000000 headlines; only the first 200 are used (the limit per dump), 999800 left out",
    );
    assert!(err.contains("999800 left out"), "{err}");
    let out = root.join("output");
    let largest = files(&out)
        .into_iter()
        .map(|f| (std::fs::metadata(out.join(&f)).unwrap().len(), f))
        .max()
        .unwrap();
    assert!(largest.0 < 300_000, "largest output file: {largest:?}");
    let total = tree_bytes(&out);
    assert!(total < 3_000_000, "output is {total} bytes");
    // The index files headlines by letter: every "Vote N" is under V.
    let index = read(&out.join("headlines/v/index.html"));
    assert!(index.contains("Vote 199<") && !index.contains("Vote 200<"));
    assert!(tree_bytes(&root.join(".newsdigest-cache")) < 2_000_000);
}

#[test]
fn an_output_file_over_its_budget_is_written_with_a_warning_naming_it() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let long: String = (0..2_000)
        .map(|i| format!("Paragraph {i} of the long report on the harbour works.\n"))
        .collect();
    site(
        root,
        "title: Budget\nlimits:\n  max_output_file_size: 64 KB\n",
        &[
            ("2026-11-22/000_aaaaaaaaaaaa0001.txt", STABLE.as_bytes()),
            (
                "2026-11-22/001_aaaaaaaaaaaa0002.txt",
                format!("Harbour Works Report Published\n\n{long}").as_bytes(),
            ),
        ],
    );
    let (ok, err, report) = build(root, &[]);
    assert!(ok, "{err}");
    let page = "output/2026/11/22/harbour-works-report-published/index.html";
    let d = diagnostic(&report, page, "over the budget of 64000 bytes");
    assert_eq!(d["severity"], "warning");
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .contains("limits.max_output_file_size")
    );
    assert!(root.join(page).is_file(), "the page is still written");
    assert!(
        err.contains("harbour-works-report-published/index.html"),
        "{err}"
    );
    // Only files over the budget are named.
    let over: Vec<_> = diagnostics(&report)
        .into_iter()
        .filter(|d| d["message"].as_str().unwrap().contains("over the budget"))
        .filter_map(|d| d["path"].as_str())
        .collect();
    for p in &over {
        let len = std::fs::metadata(root.join(p)).unwrap().len();
        assert!(len > 64_000, "{p} is {len} bytes");
    }
    assert!(!over.iter().any(|p| p.ends_with("output/index.html")));
}

/// The text of every element of `html` whose opening tag holds `marker`, up to its `</`.
fn texts_after<'a>(html: &'a str, marker: &str) -> Vec<&'a str> {
    html.match_indices(marker)
        .map(|(i, _)| {
            let rest = &html[i..];
            let start = rest.find('>').unwrap() + 1;
            let end = rest[start..].find("</").unwrap() + start;
            &rest[start..end]
        })
        .collect()
}

#[test]
fn bidi_controls_are_stripped_from_titles_and_dump_text_is_isolated() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    site(
        root,
        "title: Bidi\n",
        &[
            ("2026-11-22/000_aaaaaaaaaaaa0001.txt", STABLE.as_bytes()),
            (
                "2026-11-22/001_aaaaaaaaaaaa0002.txt",
                "Mayor \u{202E}Opens New Library\u{202C} Today\n\n\
                 The mayor opened the library \u{2067}on Monday\u{2069}, officials said.\n\n\
                 Council \u{202E}Approves Budget\nStorm \u{2066}Warning\u{2069} for Coast\n"
                    .as_bytes(),
            ),
        ],
    );
    let (ok, err, _) = build(root, &[]);
    assert!(ok, "{err}");
    let out = root.join("output");
    let page_dir = out.join("2026/11/22/mayor-opens-new-library-today");
    assert!(page_dir.is_dir(), "{:?}", files(&out));
    let is_bidi = |s: &str| s.chars().any(newsdigest::safety::is_bidi_control);
    let article = read(&page_dir.join("index.html"));
    let title = texts_after(&article, "<title>");
    assert_eq!(title, ["Mayor Opens New Library Today · Bidi"]);
    let h1 = texts_after(&article, "<h1 class=\"article-title\"");
    assert_eq!(h1, ["Mayor Opens New Library Today"]);
    assert!(article.contains("<h1 class=\"article-title\" dir=\"auto\">"));
    // The dump's headlines: stripped, each isolated from the page around it.
    let listed = texts_after(&article, "<span class=\"headline-plain\" dir=\"auto\">");
    assert!(listed.contains(&"Council Approves Budget"), "{listed:?}");
    assert!(listed.contains(&"Storm Warning for Coast"), "{listed:?}");
    let index = read(&out.join("headlines/c/index.html"));
    let entries = texts_after(&index, "<p class=\"headline-text\" dir=\"auto\">");
    assert!(entries.contains(&"Council Approves Budget"), "{entries:?}");
    assert!(!entries.iter().any(|e| is_bidi(e)));
    // The body keeps its text as written, inside an isolated block.
    let prose = &article[pos(&article, "<div class=\"prose\" dir=\"auto\">")..];
    assert!(prose.contains("\u{2067}on Monday\u{2069}"));
    // Titles on the front page, the day page and in every feed are free of them.
    for f in ["index.html", "2026/11/22/index.html"] {
        let html = read(&out.join(f));
        for t in texts_after(&html, "class=\"story-title\" dir=\"auto\"><a") {
            assert!(!is_bidi(t), "{f}: {t:?}");
        }
        assert!(html.contains("Mayor Opens New Library Today"), "{f}");
    }
    for f in ["feed.xml", "atom.xml", "feed.json", "news-sitemap.xml"] {
        let text = read(&out.join(f));
        assert!(text.contains("Mayor Opens New Library Today"), "{f}");
        assert!(!text.contains('\u{202E}'), "{f}");
    }
}
