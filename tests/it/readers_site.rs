//! Readers and publishers, on built sites: the headline index split by letter (with its
//! search entries), images in pages, previews and JSON-LD, a site's own root files, the
//! local `base_url` warning, full-content feeds and `config.extra` for themes.

use crate::common::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// A site folder with `site.yaml` and the given files (paths relative to the site root).
fn site_with(yaml: &str, files: &[(&str, &[u8])]) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    std::fs::create_dir_all(&site).unwrap();
    std::fs::write(site.join("site.yaml"), yaml).unwrap();
    for (path, bytes) in files {
        let p = site.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
    (tmp, site)
}

fn md(title: &str, front: &str, body: &str) -> Vec<u8> {
    format!("---\ntitle: {title:?}\n{front}---\n\n{body}\n").into_bytes()
}

fn check(site: &Path) -> std::process::Output {
    newsdigest(site, &["check"])
}

fn check_output(o: &std::process::Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), stderr(o))
}

/// The JSON-LD blocks of a page, parsed.
fn json_ld(html: &str) -> Vec<Value> {
    let open = "<script type=\"application/ld+json\">";
    html.match_indices(open)
        .map(|(i, _)| {
            let rest = &html[i + open.len()..];
            let end = rest.find("</script>").unwrap();
            serde_json::from_str(&rest[..end]).unwrap()
        })
        .collect()
}

/// `content` of the first `<meta property|name="key">`.
fn meta(html: &str, key: &str) -> Option<String> {
    tags(html).into_iter().find_map(|(name, attrs)| {
        let get = |n: &str| attrs.iter().find(|(a, _)| a == n).map(|(_, v)| v.clone());
        (name == "meta"
            && (get("property").as_deref() == Some(key) || get("name").as_deref() == Some(key)))
        .then(|| get("content"))
        .flatten()
    })
}

/// Text as Tera's auto-escaping writes it.
fn escaped(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#x27;")
        .replace('/', "&#x2F;")
}

#[test]
fn headline_index_is_split_by_letter_and_every_letter_links_to_every_other() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("output");
    build_sample(&out, &["--quiet"]);
    let landing = read(&out.join("headlines/index.html"));
    let letter_urls: Vec<String> = links(&landing)
        .into_iter()
        .filter(|l| {
            l.strip_prefix("/headlines/")
                .is_some_and(|rest| !rest.is_empty() && !rest.contains("page/"))
        })
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    assert!(letter_urls.len() >= 15, "{letter_urls:?}");
    let total = headline_total(&landing);
    // Every letter page carries the jump links to every letter, marks its own, and together
    // the letter pages list each headline once.
    let mut rows = Vec::new();
    for url in &letter_urls {
        let f = format!("{}index.html", url.trim_start_matches('/'));
        let html = read(&out.join(&f));
        let page_links = links(&html);
        for other in &letter_urls {
            assert!(page_links.contains(other), "{f} does not link to {other}");
        }
        assert!(
            html.contains(&format!("<a href=\"{url}\" aria-current=\"page\">")),
            "{f}"
        );
        for entry in html
            .split("<p class=\"headline-text\" dir=\"auto\">")
            .skip(1)
        {
            rows.push(entry.split("</p>").next().unwrap().to_string());
        }
    }
    assert_eq!(rows.len(), total);
    let distinct: std::collections::BTreeSet<_> = rows.iter().collect();
    assert_eq!(distinct.len(), total);
    // The search index names each headline that no article title covers, with the page that
    // lists it; that page really does.
    let index: Value = serde_json::from_str(&read(&out.join("search-index.json"))).unwrap();
    let extra = index["headlines"].as_array().unwrap();
    let mut pages_named = 0;
    for h in extra {
        let text = h[0].as_str().unwrap();
        match &h[1] {
            Value::String(p) => {
                let html = read(&out.join(p).join("index.html"));
                assert!(html.contains(&escaped(text)), "{p} lacks {text}");
                pages_named += 1;
            }
            Value::Number(n) => assert!(index["docs"][n.as_u64().unwrap() as usize].is_array()),
            other => panic!("bad target {other}"),
        }
    }
    assert!(pages_named > 10, "{pages_named}");
    // And the whole site is still sound: no orphan letter page, no broken jump link.
    let o = newsdigest(
        &repo_root(),
        &[
            "check",
            "--root",
            repo_root().to_str().unwrap(),
            "--output",
            out.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", check_output(&o));
}

const IMAGE_SITE: &str = "title: Port Times\n\
    base_url: https://example.org/news/\n\
    logo: /logo.png\n\
    image: assets/default.jpg\n\
    author: The Desk\n";

fn image_site() -> (tempfile::TempDir, PathBuf) {
    site_with(
        IMAGE_SITE,
        &[
            ("static/logo.png", b"logo"),
            ("assets/default.jpg", b"default"),
            (
                "content/2026-03-04/a.md",
                &md(
                    "Harbour Bridge Opens",
                    "rank: 0\nimage: photos/bridge.jpg\nimage_alt: The bridge at dawn\nauthor: Ann\n",
                    "The Harbour Bridge opened today, the council said.",
                ),
            ),
            ("content/2026-03-04/photos/bridge.jpg", b"bridge"),
            (
                "content/2026-03-04/b.md",
                &md(
                    "Ferry Returns",
                    "rank: 1\nimage: https://cdn.example.net/ferry.jpg\n",
                    "The ferry is back in service after a month.",
                ),
            ),
            (
                "content/2026-03-04/c.md",
                &md(
                    "Quiet Day",
                    "rank: 2\n",
                    "Nothing else happened in the port.",
                ),
            ),
        ],
    )
}

#[test]
fn images_reach_pages_previews_and_json_ld_and_local_ones_are_copied() {
    let (_tmp, site) = image_site();
    build_site(&site, &["--quiet"]);
    let out = site.join("output");
    let a_dir = "2026/03/04/harbour-bridge-opens/";
    assert_eq!(
        std::fs::read(out.join(a_dir).join("photos/bridge.jpg")).unwrap(),
        b"bridge"
    );
    assert_eq!(
        std::fs::read(out.join("assets/default.jpg")).unwrap(),
        b"default"
    );
    assert_eq!(std::fs::read(out.join("logo.png")).unwrap(), b"logo");

    let a = read(&out.join(a_dir).join("index.html"));
    assert!(
        a.contains(
            &format!("<img src=\"/news/{a_dir}photos/bridge.jpg\" alt=\"The bridge at dawn\"")
                .replace('/', "/")
        ),
        "{a}"
    );
    let own = format!("https://example.org/news/{a_dir}photos/bridge.jpg");
    assert_eq!(meta(&a, "og:image").as_deref(), Some(own.as_str()));
    assert_eq!(
        meta(&a, "og:image:alt").as_deref(),
        Some("The bridge at dawn")
    );
    assert_eq!(
        meta(&a, "twitter:card").as_deref(),
        Some("summary_large_image")
    );
    let ld = &json_ld(&a)[0];
    assert_eq!(ld["image"][0], own.as_str());
    assert_eq!(ld["author"][0]["name"], "Ann");
    assert_eq!(ld["publisher"]["name"], "Port Times");
    assert_eq!(
        ld["publisher"]["logo"]["url"],
        "https://example.org/news/logo.png"
    );

    // A remote image is linked, not copied; the site's default author fills in.
    let b = read(&out.join("2026/03/04/ferry-returns/index.html"));
    assert!(b.contains("<img src=\"https://cdn.example.net/ferry.jpg\""));
    assert_eq!(
        meta(&b, "og:image").as_deref(),
        Some("https://cdn.example.net/ferry.jpg")
    );
    let ld = &json_ld(&b)[0];
    assert_eq!(ld["author"][0]["name"], "The Desk");
    assert_eq!(ld["image"][0], "https://cdn.example.net/ferry.jpg");

    // No image of its own: no <img>, but the preview and JSON-LD use the site's default.
    let c = read(&out.join("2026/03/04/quiet-day/index.html"));
    assert!(!c.contains("class=\"article-image\""));
    let default = "https://example.org/news/assets/default.jpg";
    assert_eq!(meta(&c, "og:image").as_deref(), Some(default));
    assert_eq!(json_ld(&c)[0]["image"][0], default);
    let front = read(&out.join("index.html"));
    assert_eq!(meta(&front, "og:image").as_deref(), Some(default));

    let o = check(&site);
    assert!(o.status.success(), "{}", check_output(&o));
}

#[test]
fn a_missing_image_is_a_build_warning_and_a_check_failure() {
    let (_tmp, site) = image_site();
    std::fs::remove_file(site.join("content/2026-03-04/photos/bridge.jpg")).unwrap();
    let report = build_site(&site, &["--quiet"]);
    let warnings: Vec<String> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| format!("{} {}", d["path"], d["message"]))
        .collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("2026-03-04/a.md") && w.contains("photos/bridge.jpg")),
        "{warnings:?}"
    );
    // Nothing else is lost: every article was built.
    assert_eq!(count(&report, "articles"), 3);
    let o = check(&site);
    assert_eq!(o.status.code(), Some(1));
    let problems = check_output(&o);
    assert!(
        problems.contains("broken link") && problems.contains("photos/bridge.jpg"),
        "{problems}"
    );
    // A bad image reference in front matter is dropped with a warning naming its line.
    let (_tmp2, site2) = site_with(
        "base_url: https://example.org/\n",
        &[(
            "content/2026-03-04/a.md",
            &md(
                "Sneaky",
                "image: ../../secret.jpg\n",
                "Text of the sneaky story.",
            ),
        )],
    );
    let report = build_site(&site2, &["--quiet"]);
    let d = &report["diagnostics"][0];
    assert!(d["message"].as_str().unwrap().contains("`image`"), "{d}");
    assert_eq!(d["line"], 3);
    let html = read(&site2.join("output/2026/03/04/sneaky/index.html"));
    assert!(!html.contains("secret.jpg"));
}

#[test]
fn a_sites_static_folder_lands_at_the_root_and_its_robots_txt_replaces_ours() {
    let (_tmp, site) = site_with(
        "base_url: https://example.org/\n",
        &[
            ("static/CNAME", b"news.example.org\n"),
            ("static/favicon.ico", b"ico"),
            (
                "static/google1234.html",
                b"google-site-verification: google1234.html",
            ),
            ("static/robots.txt", b"User-agent: *\nDisallow: /search/\n"),
            ("static/static/style.css", b"body{color:red}"),
            (
                "content/2026-03-04/a.md",
                &md("Bridge Opens", "", "The bridge opened today."),
            ),
        ],
    );
    build_site(&site, &["--quiet"]);
    let out = site.join("output");
    assert_eq!(read(&out.join("CNAME")), "news.example.org\n");
    assert_eq!(read(&out.join("favicon.ico")), "ico");
    assert!(out.join("google1234.html").is_file());
    assert_eq!(
        read(&out.join("robots.txt")),
        "User-agent: *\nDisallow: /search/\n"
    );
    // static/static/… overrides a theme asset; the theme's others stay under /static/.
    assert_eq!(read(&out.join("static/style.css")), "body{color:red}");
    assert!(out.join("static/search.js").is_file());
    assert!(!out.join("static/CNAME").exists());
    let page = read(&out.join("index.html"));
    assert!(
        page.contains("<link rel=\"icon\" href=\"/favicon.ico\">"),
        "{page}"
    );

    // Without a favicon of its own, a site gets the theme's.
    let tmp = tempfile::tempdir().unwrap();
    let plain = tmp.path().join("output");
    build_sample(&plain, &["--quiet"]);
    assert!(
        read(&plain.join("index.html"))
            .contains("<link rel=\"icon\" href=\"/static/favicon.svg\">")
    );
    assert!(read(&plain.join("static/favicon.svg")).starts_with("<svg"));
    assert!(read(&plain.join("robots.txt")).contains("Sitemap: "));
}

#[test]
fn a_static_file_clashing_with_a_page_is_a_clear_error() {
    let (_tmp, site) = site_with(
        "base_url: https://example.org/\n",
        &[
            ("static/feed.xml", b"<rss/>"),
            (
                "content/2026-03-04/a.md",
                &md("Bridge Opens", "", "The bridge opened today."),
            ),
        ],
    );
    let o = newsdigest(&site, &["build", "--quiet"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("feed.xml (produced twice)"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn build_warns_about_a_local_base_url_and_check_reports_it() {
    let (_tmp, site) = site_with(
        "title: No Base\n",
        &[(
            "content/2026-03-04/a.md",
            &md("Bridge Opens", "", "The bridge opened today."),
        )],
    );
    let o = newsdigest(&site, &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("site.yaml") && err.contains("base_url is http://localhost:1111/"),
        "{err}"
    );
    let c = check(&site);
    assert_eq!(c.status.code(), Some(1));
    let problems = String::from_utf8_lossy(&c.stdout).into_owned();
    assert!(
        problems.contains("index.html: local base URL: base_url http://localhost:1111/"),
        "{problems}"
    );
    // Built for a real address: no warning, and check is clean.
    let o = newsdigest(&site, &["build", "--base-url", "https://example.org/"]);
    assert!(!stderr(&o).contains("local address"), "{}", stderr(&o));
    let c = newsdigest(&site, &["check", "--base-url", "https://example.org/"]);
    assert!(c.status.success(), "{}", check_output(&c));
}

#[test]
fn full_content_feeds_carry_the_whole_article() {
    let body = "The Harbour Bridge opened today, the council said.\n\n\
                A second paragraph with **bold** text & an ampersand.";
    let files: &[(&str, &[u8])] = &[(
        "content/2026-03-04/a.md",
        &md("Bridge Opens", "rank: 0\n", body),
    )];
    let (_tmp, site) = site_with(
        "base_url: https://example.org/\nfeeds:\n  full_content: true\n",
        files,
    );
    build_site(&site, &["--quiet"]);
    let out = site.join("output");
    let rss = rss::Channel::read_from(read(&out.join("feed.xml")).as_bytes()).unwrap();
    let content = rss.items[0].content.as_deref().unwrap();
    assert!(
        content.contains("<strong>bold</strong> text &amp; an ampersand"),
        "{content}"
    );
    assert!(
        content.contains("<p>The Harbour Bridge opened today"),
        "{content}"
    );
    let atom = atom_syndication::Feed::read_from(read(&out.join("atom.xml")).as_bytes()).unwrap();
    let c = atom.entries[0].content.as_ref().unwrap();
    assert_eq!(c.content_type.as_deref(), Some("html"));
    assert_eq!(c.value.as_deref().map(str::trim), Some(content.trim()));
    let json: Value = serde_json::from_str(&read(&out.join("feed.json"))).unwrap();
    assert_eq!(
        json["items"][0]["content_html"].as_str().map(str::trim),
        Some(content.trim())
    );
    // The day's feed too.
    assert!(read(&out.join("2026/03/04/feed.xml")).contains("content:encoded"));
    let o = check(&site);
    assert!(o.status.success(), "{}", check_output(&o));

    // Off by default: summaries only.
    let (_tmp, site) = site_with("base_url: https://example.org/\n", files);
    build_site(&site, &["--quiet"]);
    assert!(!read(&site.join("output/feed.xml")).contains("content:encoded"));
    assert!(!read(&site.join("output/feed.json")).contains("content_html"));
}

#[test]
fn extra_settings_reach_every_template_as_config_extra() {
    let (_tmp, site) = site_with(
        "base_url: https://example.org/\n\
         extra:\n  accent: \"#c00\"\n  social:\n    - name: Mastodon\n      url: https://social.example/@port\n",
        &[
            (
                "content/2026-03-04/a.md",
                &md("Bridge Opens", "", "The bridge opened today."),
            ),
            (
                "templates/partials/head-meta.html",
                b"<meta name=\"theme-color\" content=\"{{ config.extra.accent }}\">\
                  {% for s in config.extra.social %}<link rel=\"me\" href=\"{{ s.url }}\" title=\"{{ s.name }}\">{% endfor %}",
            ),
        ],
    );
    build_site(&site, &["--quiet"]);
    let out = site.join("output");
    let mut pages = 0;
    for f in files(&out).iter().filter(|f| f.ends_with(".html")) {
        let html = read(&out.join(f));
        assert!(
            html.contains("<meta name=\"theme-color\" content=\"#c00\">"),
            "{f}"
        );
        assert!(
            html.contains(
                "<link rel=\"me\" href=\"https://social.example/@port\" title=\"Mastodon\">"
            ) || html.contains("href=\"https:&#x2F;&#x2F;social.example&#x2F;@port\""),
            "{f}"
        );
        pages += 1;
    }
    assert!(pages >= 8, "{pages}");
    // A site without `extra:` still renders a theme that reads it, with empty values.
    let (_tmp, bare) = site_with(
        "base_url: https://example.org/\n",
        &[
            (
                "content/2026-03-04/a.md",
                &md("Bridge Opens", "", "The bridge opened."),
            ),
            (
                "templates/partials/head-meta.html",
                b"{% if config.extra.accent %}<meta name=\"theme-color\">{% endif %}",
            ),
        ],
    );
    build_site(&bare, &["--quiet"]);
    assert!(!read(&bare.join("output/index.html")).contains("theme-color"));
}
