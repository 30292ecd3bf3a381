//! Second opinions from tools outside Rust: Python `feedparser` reads the RSS and Atom feeds,
//! and `xmllint` validates `sitemap.xml` against `sitemap.xsd` from the npm package `sitemap`
//! (the Google News schema is not in that package and cannot be fetched here, so
//! `news-sitemap.xml` is checked by `tests/it/discovery.rs` only).
//! `xmllint` also reads every XML file of a site whose texts are full of characters XML 1.0
//! forbids (`common::write_forbidden_chars_site`), as a second opinion beside the strict
//! parsers of `tests/it/hardening.rs`.
//! Ignored by default; `.ci/run` installs the tools and runs them with `--ignored`. A missing
//! tool fails the test with the command that installs it.

use crate::common::*;
use std::path::PathBuf;
use std::process::Command;

#[test]
#[ignore = "needs Python feedparser: run by .ci/run with `cargo test -- --ignored`"]
fn python_feedparser_reads_rss_and_atom_without_errors() {
    let probe = Command::new("python3")
        .args(["-c", "import feedparser"])
        .output();
    assert!(
        probe.is_ok_and(|o| o.status.success()),
        "Python feedparser is missing: install it with `python3 -m pip install feedparser`"
    );
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("output");
    build_sample(&out, &[]);
    let script = r#"
import sys, feedparser
for path, version in zip(sys.argv[1::2], sys.argv[2::2]):
    d = feedparser.parse(path)
    assert not d.bozo, (path, d.get("bozo_exception"))
    assert d.version == version, (path, d.version)
    assert len(d.entries) == 20, (path, len(d.entries))
    for e in d.entries:
        assert e.title and e.link.startswith("https://digest.example.org/"), (path, e)
        assert e.published_parsed is not None, (path, e.title)
    print(path, d.version, len(d.entries))
"#;
    let mut args = vec!["-c".to_string(), script.to_string()];
    for (f, v) in [("feed.xml", "rss20"), ("atom.xml", "atom10")] {
        args.push(out.join(f).to_string_lossy().into_owned());
        args.push(v.into());
    }
    let day_feed = files(&out)
        .into_iter()
        .find(|f| f.len() == "2026/11/20/feed.xml".len() && f.ends_with("/feed.xml"))
        .unwrap();
    let o = Command::new("python3").args(&args).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = Command::new("python3")
        .args([
            "-c",
            "import sys, feedparser; d = feedparser.parse(sys.argv[1]); assert not d.bozo and d.entries, d.get('bozo_exception')",
        ])
        .arg(out.join(day_feed))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// `sitemap.xsd` from the npm package `sitemap`: `$SITEMAP_XSD`, or where `.ci/run` puts it.
fn sitemap_xsd() -> PathBuf {
    let p = std::env::var_os("SITEMAP_XSD")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            repo_root().join("target/ci-tools/node_modules/sitemap/schema/sitemap.xsd")
        });
    assert!(
        p.is_file(),
        "sitemap.xsd not found at {}: install it with \
         `npm install --prefix target/ci-tools sitemap` (or set SITEMAP_XSD)",
        p.display()
    );
    p
}

/// A site built with `feeds.full_content: true`: feedparser reads the whole article from RSS
/// `content:encoded` and Atom `content` without a parse error. feedparser 6.0 reads no JSON
/// Feed from a file, so the JSON Feed's `content_html` is read back with feed-rs instead.
#[test]
#[ignore = "needs Python feedparser: run by .ci/run with `cargo test -- --ignored`"]
fn python_feedparser_reads_full_content_feeds() {
    let probe = Command::new("python3")
        .args(["-c", "import feedparser"])
        .output();
    assert!(
        probe.is_ok_and(|o| o.status.success()),
        "Python feedparser is missing: install it with `python3 -m pip install feedparser`"
    );
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    copy_dir(&repo_root().join("content"), &site.join("content"));
    let yaml = read(&repo_root().join("site.yaml"));
    std::fs::write(
        site.join("site.yaml"),
        format!("{yaml}\nfeeds:\n  full_content: true\n"),
    )
    .unwrap();
    build_site(&site, &["--quiet"]);
    let out = site.join("output");
    let script = r#"
import sys, feedparser
for path in sys.argv[1:]:
    d = feedparser.parse(path)
    assert not d.bozo, (path, d.get("bozo_exception"))
    assert len(d.entries) == 20, (path, len(d.entries))
    for e in d.entries:
        html = e.content[0].value
        assert e.content[0].type == "text/html", (path, e.content[0].type)
        # The whole article: several paragraphs, longer than its summary.
        assert html.count("<p>") >= 2 and len(html) > len(e.summary), (path, e.title)
    print(path, d.version, len(d.entries))
"#;
    let o = Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(["feed.xml", "atom.xml"].map(|f| out.join(f)))
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    let json = feed_rs::parser::parse(read(&out.join("feed.json")).as_bytes()).unwrap();
    assert_eq!(json.entries.len(), 20);
    for e in &json.entries {
        let html = e.content.as_ref().and_then(|c| c.body.as_deref()).unwrap();
        assert!(html.matches("<p>").count() >= 2, "{html}");
    }
}

#[test]
#[ignore = "needs xmllint and sitemap.xsd: run by .ci/run with `cargo test -- --ignored`"]
fn xmllint_validates_the_sitemap_against_the_schema() {
    let xsd = sitemap_xsd();
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("output");
    build_sample(&out, &[]);
    let o = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(&xsd)
        .arg(out.join("sitemap.xml"))
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "xmllint is missing ({e}): install it with `sudo apt-get install -y libxml2-utils`"
            )
        });
    let report = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "sitemap.xml: {report}");
    assert!(report.contains("validates"), "{report}");
}

#[test]
#[ignore = "needs xmllint: run by .ci/run with `cargo test -- --ignored`"]
fn xmllint_reads_every_xml_file_of_a_site_full_of_forbidden_characters() {
    let tmp = tempfile::tempdir().unwrap();
    write_forbidden_chars_site(tmp.path());
    let o = newsdigest(tmp.path(), &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = tmp.path().join("output");
    let xml: Vec<PathBuf> = files(&out)
        .into_iter()
        .filter(|f| f.ends_with(".xml"))
        .map(|f| out.join(f))
        .collect();
    // Feeds (site, day and topic), sitemap and news sitemap.
    assert!(xml.len() >= 8, "{xml:?}");
    let o = Command::new("xmllint")
        .arg("--noout")
        .args(&xml)
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "xmllint is missing ({e}): install it with `sudo apt-get install -y libxml2-utils`"
            )
        });
    let report = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success() && report.is_empty(), "{report}");
}
