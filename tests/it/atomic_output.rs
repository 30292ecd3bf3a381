//! Atomic output on a generated corpus: a build killed with SIGKILL in the middle of writing
//! leaves the previous `output/` byte for byte as it was, the next build cleans up after it,
//! a failed build changes nothing, and nothing outside `output/` (and its three siblings and the
//! build cache) is ever touched.

use crate::common::*;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const STAGING: &str = ".output.newsdigest-staging";

/// Every entry below the site root except those a build may write, with size and mtime: what
/// a build must leave alone. (The root folder itself is left out: creating the staging folder
/// beside `output/` changes its modification time.)
fn untouchable(site: &Path) -> BTreeMap<String, (u64, std::time::SystemTime)> {
    walkdir::WalkDir::new(site)
        .min_depth(1)
        .into_iter()
        .filter_entry(|e| {
            let n = e.file_name().to_string_lossy();
            e.depth() != 1
                || !matches!(
                    n.as_ref(),
                    "output"
                        | STAGING
                        | ".output.newsdigest-old"
                        | ".output.newsdigest-manifest"
                        | ".newsdigest-cache"
                        | "report.json"
                )
        })
        .map(|e| e.unwrap())
        .map(|e| {
            let m = e.metadata().unwrap();
            (
                e.path().strip_prefix(site).unwrap().display().to_string(),
                (if m.is_dir() { 0 } else { m.len() }, m.modified().unwrap()),
            )
        })
        .collect()
}

#[test]
fn a_build_killed_mid_write_leaves_the_previous_output_intact() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    generate(&site.join("content"), 600, 15);
    build_site(&site, &["--quiet"]);
    let out = site.join("output");
    let before = snapshot(&out);
    let guarded = untouchable(&site);
    assert!(before.len() > 1200, "{} files", before.len());

    // A build that changes every page (another base URL), killed as soon as it has started
    // writing its staging folder. Polling is fine-grained, so the kill lands early in the
    // write; should a fast machine finish first, the attempt is repeated.
    let staging = site.join(STAGING);
    let mut landed = false;
    for attempt in 0..5 {
        let mut child = Command::new(env!("CARGO_BIN_EXE_newsdigest"))
            .current_dir(&site)
            .args(["build", "--quiet", "--no-cache"])
            .args([
                "--base-url",
                &format!("https://attempt{attempt}.example.org/"),
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(300);
        let mut killed = false;
        while Instant::now() < deadline {
            if staging.exists() {
                child.kill().unwrap(); // SIGKILL
                killed = true;
                break;
            }
            if child.try_wait().unwrap().is_some() {
                break;
            }
            std::thread::sleep(Duration::from_micros(200));
        }
        let status = child.wait().unwrap();
        let now = snapshot(&out);
        if killed && !status.success() && staging.exists() && now == before {
            // Proof the kill landed mid-write: a staging folder without its completion marker.
            assert!(!staging.join(".newsdigest").exists());
            landed = true;
            break;
        }
        // The build won the race: output/ must then be the whole new site, never a mix.
        assert!(
            status.success(),
            "attempt {attempt}: killed after the swap?"
        );
        assert!(
            now.keys().eq(before.keys()),
            "attempt {attempt}: same files"
        );
        assert!(
            read(&out.join("index.html")).contains(&format!("attempt{attempt}.example.org")),
            "attempt {attempt}: whole new site"
        );
        // Put the original back for the next attempt.
        build_site(&site, &["--quiet"]);
        assert_eq!(snapshot(&out), before);
    }
    assert!(landed, "no attempt was killed mid-write");
    assert_same(&untouchable(&site), &guarded);

    // The next build cleans up the stale staging folder and produces the site.
    let report = build_site(&site, &[]);
    assert!(!staging.exists(), "stale staging folder removed");
    assert_eq!(snapshot(&out), before, "same content, same site");
    assert_eq!(count(&report, "files_written"), 0, "nothing had changed");
    assert_same(&untouchable(&site), &guarded);
}

fn assert_same(
    now: &BTreeMap<String, (u64, std::time::SystemTime)>,
    before: &BTreeMap<String, (u64, std::time::SystemTime)>,
) {
    let changed: Vec<_> = now
        .keys()
        .chain(before.keys())
        .filter(|k| now.get(*k) != before.get(*k))
        .collect();
    assert!(changed.is_empty(), "touched outside output/: {changed:?}");
}

#[test]
fn a_failed_build_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    generate(&site.join("content"), 40, 2);
    build_site(&site, &["--quiet"]);
    let out = site.join("output");
    let before = snapshot(&out);
    // A template that does not compile: the build fails before writing anything.
    std::fs::create_dir_all(site.join("templates")).unwrap();
    std::fs::write(site.join("templates/day.html"), "{% if %}").unwrap();
    let o = newsdigest(&site, &["build"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("template"), "{}", stderr(&o));
    assert_eq!(snapshot(&out), before);
    assert!(!site.join(STAGING).exists());
    // A template that compiles but fails while rendering: same.
    std::fs::write(
        site.join("templates/day.html"),
        "{% extends \"base.html\" %}{% block content %}{{ no_such_variable.field }}{% endblock content %}",
    )
    .unwrap();
    let o = newsdigest(&site, &["build"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(snapshot(&out), before);
    assert!(!site.join(STAGING).exists());
}

#[test]
fn files_the_site_no_longer_produces_disappear() {
    let (_tmp, site, content) = generated_site(40, 2);
    let first = build_site(&site, &["--quiet"]);
    let out = site.join("output");
    let before = files(&out);
    let day = std::fs::read_dir(&content)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let victim = std::fs::read_dir(&day)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let rel = format!(
        "{}/{}",
        day.file_name().unwrap().to_string_lossy(),
        victim.file_name().unwrap().to_string_lossy()
    );
    let urls = first["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == rel.as_str())
        .unwrap()["urls"]
        .clone();
    std::fs::remove_file(&victim).unwrap();
    let report = build_site(&site, &[]);
    let after = files(&out);
    let gone: Vec<_> = before.difference(&after).cloned().collect();
    // The article page and its Markdown source, and nothing else but topic and source pages:
    // one article fewer can drop a topic below its threshold, and its old pages must go too.
    let listings = gone
        .iter()
        .filter(|f| f.starts_with("topics/") || f.starts_with("sources/"))
        .count();
    assert_eq!(
        gone.len() - listings,
        2,
        "the article page and its Markdown source: {gone:?}"
    );
    for u in urls.as_array().unwrap() {
        let u = u.as_str().unwrap().trim_start_matches('/');
        let f = if u.ends_with('/') {
            format!("{u}index.html")
        } else {
            u.to_string()
        };
        assert!(gone.contains(&f), "{f} still there");
    }
    assert_eq!(count(&report, "files_removed"), gone.len() as u64);
}
