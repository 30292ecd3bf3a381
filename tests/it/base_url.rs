//! `--base-url` overrides `site.yaml`, and a site built for a sub-path is whole: `check` finds
//! nothing wrong under that base, every canonical URL is absolute under it, and every URL a
//! feed, sitemap or robots.txt publishes is absolute under it too (the feeds and sitemap come
//! with the Discovery work; this test holds them to it as soon as they exist).

use crate::common::*;

#[test]
fn a_sub_path_build_checks_clean_and_publishes_absolute_urls() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("output");
    let root = repo_root();
    let base = "https://example.org/digest/";
    build_sample(&out, &["--base-url", base, "--quiet"]);
    let check = newsdigest(
        &root,
        &[
            "check",
            "--root",
            root.to_str().unwrap(),
            "--output",
            out.to_str().unwrap(),
            "--base-url",
            base,
        ],
    );
    assert!(
        check.status.success(),
        "{}{}",
        String::from_utf8_lossy(&check.stdout),
        stderr(&check)
    );

    // Pages: canonical links absolute under the base, other links root-relative under it.
    let mut pages = 0;
    for f in files(&out).iter().filter(|f| f.ends_with(".html")) {
        let html = read(&out.join(f));
        let canonical = html
            .split("<link rel=\"canonical\" href=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .unwrap_or_else(|| panic!("{f}: no canonical"));
        assert!(canonical.starts_with(base), "{f}: {canonical}");
        for l in links(&html) {
            if !l.contains("://") && !l.starts_with('#') && !l.starts_with("mailto:") {
                assert!(l.starts_with("/digest/"), "{f}: {l}");
            }
        }
        pages += 1;
    }
    assert!(pages > 40);

    // Feeds, sitemaps, robots.txt: absolute URLs under the base, for whatever of them the
    // site produces.
    for (at, url) in published_urls(&out) {
        assert!(url.starts_with(base), "{at}: {url}");
    }

    // The same site checked against its site.yaml base URL is not clean: the override was
    // really used, and check notices a site built for another base URL.
    let wrong = newsdigest(
        &root,
        &[
            "check",
            "--root",
            root.to_str().unwrap(),
            "--output",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(wrong.status.code(), Some(1));
}
