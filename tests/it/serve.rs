//! `newsdigest serve` end to end: the real binary on a free loopback port, real HTTP, real
//! files written into a temp site while it runs, and the live-reload event stream. Every wait
//! polls with a timeout; nothing sleeps for a fixed time.

use crate::common;

use crate::common::server::*;
use std::path::Path;
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

/// Waits for the next event named `name` whose data satisfies `pred`.
fn next_event(
    rx: &Receiver<(String, serde_json::Value)>,
    name: &str,
    pred: impl Fn(&serde_json::Value) -> bool,
) -> serde_json::Value {
    let start = Instant::now();
    loop {
        let left = TIMEOUT.saturating_sub(start.elapsed());
        match rx.recv_timeout(left) {
            Ok((e, data)) if e == name && pred(&data) => return data,
            Ok(_) => {}
            Err(_) => panic!("no `{name}` event within {TIMEOUT:?}"),
        }
    }
}

fn files_of(change: &serde_json::Value) -> Vec<String> {
    change["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap().to_string())
        .collect()
}

fn stop_cleanly(server: Server) {
    let preview = server.preview_dir.clone();
    assert!(preview.exists());
    let status = server.stop();
    assert!(status.success(), "exit status after Ctrl-C: {status:?}");
    assert!(
        !preview.exists(),
        "preview folder {} left behind",
        preview.display()
    );
}

#[test]
fn serves_the_site_with_correct_http() {
    let site = sample_site();
    let server = Server::start(site.path(), &[]);

    // The front page: HTML, not cached, live-reload script added to the response only.
    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(home.header("cache-control"), Some("no-cache"));
    let html = home.text();
    let tag = "<script src=\"/__newsdigest/live.js\" data-file=\"index.html\" defer></script>";
    assert!(html.contains(&format!("{tag}</body>")), "{html}");
    let on_disk = common::read(&server.preview_dir.join("index.html"));
    assert!(!on_disk.contains("__newsdigest"), "script written to disk");
    assert_eq!(
        html.replacen(tag, "", 1),
        on_disk,
        "the page is the file plus the script"
    );
    assert!(
        !site.path().join("output").exists(),
        "serve must not write the published output folder"
    );
    // The base URL is the preview's, not the site's https://digest.example.org/.
    let article = common::links(&html)
        .into_iter()
        .find(|l| l.starts_with("/2026/") && l.matches('/').count() == 5)
        .expect("an article link on the front page");
    let page = server.get(&article);
    assert_eq!(page.status, 200, "{article}");
    assert!(
        page.text()
            .contains(&format!("http://127.0.0.1:{}{article}", server.port)),
        "permalink should use the preview address"
    );

    // Folders without the slash redirect; the Markdown source has a text type.
    let redirect = server.get(article.trim_end_matches('/'));
    assert_eq!(redirect.status, 307);
    assert_eq!(redirect.header("location"), Some(article.as_str()));
    let md = server.get(&format!("{article}index.md"));
    assert_eq!(md.status, 200);
    assert!(
        md.header("content-type")
            .unwrap()
            .starts_with("text/markdown"),
        "{:?}",
        md.header("content-type")
    );

    // Static files: MIME type, validators, 304s.
    let css = server.get("/static/style.css");
    assert_eq!(css.status, 200);
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    assert_eq!(css.header("cache-control"), Some("no-cache"));
    let etag = css.header("etag").expect("ETag").to_string();
    let modified = css
        .header("last-modified")
        .expect("Last-Modified")
        .to_string();
    let again = server.get_with("/static/style.css", &[("If-None-Match", &etag)]);
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
    let again = server.get_with("/static/style.css", &[("If-Modified-Since", &modified)]);
    assert_eq!(again.status, 304);
    let other = server.get_with("/static/style.css", &[("If-None-Match", "\"nope\"")]);
    assert_eq!(other.status, 200);

    // Pages revalidate too: the script is the same for the same file, so the file's ETag holds.
    let home_etag = home.header("etag").expect("page ETag").to_string();
    assert_eq!(
        server
            .get_with("/", &[("If-None-Match", &home_etag)])
            .status,
        304
    );

    // HEAD: the headers of a GET (length included), no body.
    let head = server.raw("HEAD / HTTP/1.1", &[]);
    assert_eq!(head.status, 200);
    assert_eq!(
        head.header("content-length"),
        Some(home.body.len().to_string().as_str())
    );
    assert!(head.body.is_empty());
    let head_css = server.raw("HEAD /static/style.css HTTP/1.1", &[]);
    assert_eq!(
        head_css.header("content-length"),
        Some(css.body.len().to_string().as_str())
    );
    assert!(head_css.body.is_empty());

    // Missing pages: the theme's 404 page with status 404 (and live reload).
    let missing = server.get("/2026/01/01/no-such-article/");
    assert_eq!(missing.status, 404);
    assert!(
        missing.text().contains("Page not found"),
        "{}",
        missing.text()
    );
    assert!(
        missing
            .text()
            .contains("data-file=\"2026/01/01/no-such-article/index.html 404.html\"")
    );
    let missing_head = server.raw("HEAD /nope.css HTTP/1.1", &[]);
    assert_eq!(missing_head.status, 404);
    assert!(missing_head.body.is_empty());

    // No directory listings: a folder without index.html is not found.
    let listing = server.get("/static/");
    assert_eq!(listing.status, 404);
    assert!(listing.text().contains("Page not found"));
    assert!(!listing.text().contains(">style.css<"));

    // Requests addressed to another host name (DNS rebinding) are refused.
    let rebound = server.raw("GET / HTTP/1.1", &["Host: evil.example"]);
    assert_eq!(rebound.status, 403);
    assert!(!rebound.text().contains("<html"));
    let events = server.raw(
        "GET /__newsdigest/status HTTP/1.1",
        &["Host: evil.example:80"],
    );
    assert_eq!(events.status, 403);
    let local = server.raw(
        "GET / HTTP/1.1",
        &[&format!("Host: localhost:{}", server.port)],
    );
    assert_eq!(local.status, 200);

    // Only GET and HEAD.
    let post = server.raw("POST / HTTP/1.1", &["Content-Length: 0"]);
    assert_eq!(post.status, 405);

    stop_cleanly(server);
}

#[test]
fn precompressed_files_are_served_when_accepted() {
    let site = small_site();
    let server = Server::start(site.path(), &[]);
    let dir = &server.preview_dir;
    // What the publishing build may write beside a file; the server only picks them.
    std::fs::write(dir.join("static/style.css.gz"), b"GZIP-BYTES").unwrap();
    std::fs::write(dir.join("static/style.css.br"), b"BROTLI-BYTES").unwrap();
    std::fs::write(dir.join("index.html.gz"), b"GZ-PAGE").unwrap();

    let br = server.raw(
        "GET /static/style.css HTTP/1.1",
        &["Accept-Encoding: gzip, br"],
    );
    assert_eq!(br.status, 200);
    assert_eq!(br.header("content-encoding"), Some("br"));
    assert_eq!(br.header("content-type"), Some("text/css; charset=utf-8"));
    assert_eq!(br.header("vary"), Some("accept-encoding"));
    assert_eq!(br.body, b"BROTLI-BYTES");
    let gz = server.raw("GET /static/style.css HTTP/1.1", &["Accept-Encoding: gzip"]);
    assert_eq!(gz.header("content-encoding"), Some("gzip"));
    assert_eq!(gz.body, b"GZIP-BYTES");
    let plain = server.raw("GET /static/style.css HTTP/1.1", &[]);
    assert_eq!(plain.header("content-encoding"), None);
    assert!(plain.text().contains('{'));
    // Pages carry the live-reload script, so they are always sent as the file plus script.
    let page = server.raw("GET / HTTP/1.1", &["Accept-Encoding: gzip"]);
    assert_eq!(page.header("content-encoding"), None);
    assert!(page.text().contains("/__newsdigest/live.js"));
    stop_cleanly(server);
}

#[test]
fn refuses_traversal_and_symlinks_that_leave_the_folder() {
    let site = small_site();
    let secret_dir = site.path().join("private");
    std::fs::create_dir_all(&secret_dir).unwrap();
    std::fs::write(secret_dir.join("secret.txt"), "TOP-SECRET").unwrap();
    let server = Server::start(site.path(), &[]);
    let preview = server.preview_dir.clone();
    // The preview folder sits in a temp folder; `../..` from it reaches `/`.
    let depth = preview.components().count();
    let up = "../".repeat(depth);
    let secret_rel = secret_dir.join("secret.txt");
    let secret_rel = secret_rel.to_str().unwrap().trim_start_matches('/');

    for target in [
        format!("/{up}{secret_rel}"),
        format!("/{}{secret_rel}", "%2e%2e/".repeat(depth)),
        format!("/{}{secret_rel}", "%2E%2E%2F".repeat(depth)),
        format!("/static/{}{secret_rel}", "..%2f".repeat(depth + 1)),
        format!("/static/{}{secret_rel}", "..%5c".repeat(depth + 1)),
        format!("/{}{secret_rel}", "..\\".repeat(depth)),
        format!("//{secret_rel}"),
        "/%2e%2e".to_string(),
        "/..".to_string(),
        "/static/%00.css".to_string(),
    ] {
        let r = server.raw(&format!("GET {target} HTTP/1.1"), &[]);
        assert!(
            r.status == 400 || r.status == 404,
            "{target}: status {}",
            r.status
        );
        assert!(!r.text().contains("TOP-SECRET"), "{target} leaked");
    }
    // Absolute-form request targets name the same paths as origin-form ones.
    let r = server.raw(
        &format!(
            "GET http://127.0.0.1:{}/{up}{secret_rel} HTTP/1.1",
            server.port
        ),
        &[],
    );
    assert!(
        r.status == 400 || r.status == 404,
        "absolute-form: {}",
        r.status
    );
    assert!(!r.text().contains("TOP-SECRET"));

    // Symlinks inside the served folder that point outside it are not followed.
    std::os::unix::fs::symlink(secret_dir.join("secret.txt"), preview.join("leak.txt")).unwrap();
    std::os::unix::fs::symlink(&secret_dir, preview.join("leakdir")).unwrap();
    std::os::unix::fs::symlink(preview.join("static/style.css"), preview.join("alias.css"))
        .unwrap();
    for path in ["/leak.txt", "/leakdir/secret.txt", "/leakdir/"] {
        let r = server.get(path);
        assert_eq!(r.status, 404, "{path}");
        assert!(!r.text().contains("TOP-SECRET"), "{path} leaked");
    }
    let r = server.raw("HEAD /leak.txt HTTP/1.1", &[]);
    assert_eq!(r.status, 404);
    // A symlink that stays inside is an ordinary file.
    assert_eq!(server.get("/alias.css").status, 200);
    stop_cleanly(server);
}

#[test]
fn a_new_dump_appears_on_the_front_page_and_tabs_are_told() {
    let site = small_site();
    let server = Server::start(site.path(), &[]);
    let events = server.events();
    let first = next_event(&events, "status", |_| true);
    assert!(first["errors"].as_array().unwrap().is_empty());
    let build = first["build"].as_u64().unwrap();

    let title = "Lighthouse Keepers Vote To Repaint The Northern Tower";
    let path = write_dump(site.path(), "2026-11-24", "000_abcdef0123456789.txt", title);
    let change = next_event(&events, "change", |_| true);
    let files = files_of(&change);
    assert!(files.contains(&"index.html".to_string()), "{files:?}");
    assert!(
        files.contains(
            &"2026/11/24/lighthouse-keepers-vote-to-repaint-the-northern-tower/index.html"
                .to_string()
        ),
        "{files:?}"
    );
    assert!(change["build"].as_u64().unwrap() > build);
    let home = server.get("/");
    assert!(
        home.text().contains(title),
        "new article not on the front page"
    );

    // Editing the article: its page is in the next change list; pages it does not touch are not.
    std::fs::write(
        &path,
        format!("{title}\n\nThe keepers changed their minds after a long debate.\n"),
    )
    .unwrap();
    let change = next_event(&events, "change", |_| true);
    let files = files_of(&change);
    assert!(
        files.contains(
            &"2026/11/24/lighthouse-keepers-vote-to-repaint-the-northern-tower/index.html"
                .to_string()
        ),
        "{files:?}"
    );
    assert!(
        !files.iter().any(|f| f.starts_with("2026/11/20/0")),
        "untouched articles changed: {files:?}"
    );
    let page = server.get("/2026/11/24/lighthouse-keepers-vote-to-repaint-the-northern-tower/");
    assert!(page.text().contains("changed their minds"));

    // Removing it takes it off again.
    std::fs::remove_file(&path).unwrap();
    next_event(&events, "change", |c| {
        files_of(c).contains(&"index.html".to_string())
    });
    assert!(!server.get("/").text().contains(title));
    stop_cleanly(server);
}

#[test]
fn broken_front_matter_shows_in_the_overlay_and_recovers() {
    let site = small_site();
    let server = Server::start(site.path(), &[]);
    let events = server.events();
    next_event(&events, "status", |_| true);

    let dir = site.path().join("content/2026-11-24");
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("000_badbadbadbad0001.txt");
    std::fs::write(
        &bad,
        "---\ntitle: Ferry Timetable Changes\nauthr: Desk\n---\nThe ferry leaves earlier.\n",
    )
    .unwrap();
    let status = next_event(&events, "status", |s| {
        !s["errors"].as_array().unwrap().is_empty()
    });
    let err = &status["errors"][0];
    assert_eq!(err["path"], "content/2026-11-24/000_badbadbadbad0001.txt");
    assert_eq!(err["line"], 3);
    assert!(err["message"].as_str().unwrap().contains("authr"), "{err}");
    assert!(status.get("fatal").is_none());
    // The rest of the site is still served and up to date.
    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert!(home.text().contains("/__newsdigest/live.js"));
    assert_eq!(server.status()["errors"].as_array().unwrap().len(), 1);

    // Fixing the file clears the overlay and builds the article.
    std::fs::write(
        &bad,
        "---\ntitle: Ferry Timetable Changes\nauthor: Desk\n---\nThe ferry leaves earlier.\n",
    )
    .unwrap();
    next_event(&events, "status", |s| {
        s["errors"].as_array().unwrap().is_empty()
    });
    next_event(&events, "change", |c| {
        files_of(c).contains(&"index.html".to_string())
    });
    assert!(server.get("/").text().contains("Ferry Timetable Changes"));
    stop_cleanly(server);
}

#[test]
fn a_broken_template_or_site_yaml_keeps_the_last_good_site() {
    let site = small_site();
    let server = Server::start(site.path(), &[]);
    let events = server.events();
    next_event(&events, "status", |_| true);
    let before = server.get("/").text();

    let templates = site.path().join("templates");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(
        templates.join("index.html"),
        "{% extends \"base.html\" %}{% block content %}{{ broken( }}{% endblock %}",
    )
    .unwrap();
    let status = next_event(&events, "status", |s| s.get("fatal").is_some());
    let msg = status["fatal"]["message"].as_str().unwrap();
    assert!(msg.contains("index.html"), "{msg}");
    let home = server.get("/");
    assert_eq!(home.status, 200, "the last good site is still served");
    assert_eq!(home.text(), before);

    std::fs::remove_file(templates.join("index.html")).unwrap();
    next_event(&events, "status", |s| s.get("fatal").is_none());

    let yaml = site.path().join("site.yaml");
    std::fs::write(&yaml, "title: Preview Test\nper_pagee: 3\n").unwrap();
    let status = next_event(&events, "status", |s| s.get("fatal").is_some());
    let fatal = &status["fatal"];
    assert!(
        fatal["path"].as_str().unwrap().ends_with("site.yaml"),
        "{fatal}"
    );
    assert_eq!(fatal["line"], 2);
    assert!(fatal["message"].as_str().unwrap().contains("per_pagee"));
    std::fs::write(&yaml, "title: Renamed Digest\n").unwrap();
    next_event(&events, "status", |s| s.get("fatal").is_none());
    wait_for("the new title", TIMEOUT, || {
        server
            .get("/")
            .text()
            .contains("Renamed Digest")
            .then_some(())
    });
    stop_cleanly(server);
}

#[test]
fn a_site_that_cannot_build_at_start_is_served_once_fixed() {
    let site = small_site();
    let yaml = site.path().join("site.yaml");
    std::fs::write(&yaml, "timezone: Mars/Olympus\n").unwrap();
    let server = Server::start(site.path(), &[]);
    let s = server.status();
    assert!(s["fatal"]["message"].as_str().unwrap().contains("timezone"));
    let page = server.get("/");
    assert_eq!(page.status, 503);
    assert!(page.text().contains("/__newsdigest/live.js"));
    assert!(page.text().contains("could not be built"));
    std::fs::write(&yaml, "title: Fixed\n").unwrap();
    wait_for("the site to build", TIMEOUT, || {
        let r = server.get("/");
        (r.status == 200).then_some(())
    });
    assert!(server.get("/").text().contains("Fixed"));
    stop_cleanly(server);
}

#[test]
fn a_replaced_content_folder_is_watched_again() {
    let site = small_site();
    let server = Server::start(site.path(), &[]);
    let content = site.path().join("content");
    std::fs::rename(&content, site.path().join("content-old")).unwrap();
    write_dump(
        site.path(),
        "2026-11-24",
        "000_0000000000000a01.txt",
        "Only Story In The New Folder",
    );
    wait_for("the new folder's article", TIMEOUT, || {
        let s = server.status();
        (s["articles"] == 1).then_some(())
    });
    // Files written into the new folder later are seen too.
    write_dump(
        site.path(),
        "2026-11-24",
        "001_0000000000000a02.txt",
        "Second Story Joins It",
    );
    wait_for("the second article", TIMEOUT, || {
        server
            .get("/")
            .text()
            .contains("Second Story Joins It")
            .then_some(())
    });
    stop_cleanly(server);
}

#[test]
fn a_stylesheet_change_is_announced_alone() {
    let site = small_site();
    let server = Server::start(site.path(), &[]);
    let events = server.events();
    next_event(&events, "status", |_| true);
    let theme_css = common::read(&common::repo_root().join("themes/default/static/style.css"));
    // A site's static/ is published at the root; static/static/ overrides the theme's assets.
    let static_dir = site.path().join("static/static");
    std::fs::create_dir_all(&static_dir).unwrap();
    std::fs::write(
        static_dir.join("style.css"),
        format!("{theme_css}\nbody {{ outline: 3px solid red; }}\n"),
    )
    .unwrap();
    let change = next_event(&events, "change", |_| true);
    assert_eq!(files_of(&change), vec!["static/style.css".to_string()]);
    assert!(
        server
            .get("/static/style.css")
            .text()
            .contains("outline: 3px")
    );
    stop_cleanly(server);
}

#[test]
fn a_burst_of_500_files_is_one_rebuild() {
    let site = small_site();
    // The default quiet window is 150 ms. This suite runs many servers at once on two cores,
    // where the writing thread or the watcher can be descheduled for longer than that; a wider
    // window keeps the test about gathering, not about the scheduler.
    let server = Server::start(site.path(), &["--debounce", "500"]);
    // The day folder first: a folder made while files pour into it is watched only from the
    // moment the watcher sees it (files written before that are found by the build's walk, but
    // send no event), so the count of changed paths below would depend on timing.
    let b = server.status()["build"].as_u64().unwrap();
    let day = site.path().join("content/2026-11-25");
    std::fs::create_dir_all(&day).unwrap();
    let before = server.wait_build_after(b);
    let b0 = before["build"].as_u64().unwrap();
    let articles0 = before["articles"].as_u64().unwrap();

    for i in 0..500 {
        std::fs::write(
            day.join(format!("{i:03}_{i:016x}.txt")),
            format!(
                "Burst Story Number {i} Lands\n\nParagraph for story {i}, written in a burst.\n"
            ),
        )
        .unwrap();
    }
    let after = wait_for("all 500 articles", TIMEOUT, || {
        let s = server.status();
        (s["articles"].as_u64().unwrap() == articles0 + 500).then_some(s)
    });
    assert_eq!(
        after["build"].as_u64().unwrap(),
        b0 + 1,
        "the burst took more than one rebuild:\n{}",
        server.log()
    );
    assert!(
        after["trigger_paths"].as_u64().unwrap() >= 500,
        "the build saw only part of the burst: {after}"
    );
    stop_cleanly(server);
}

#[test]
fn drafts_are_previewed_only_on_request() {
    let site = small_site();
    let dir = site.path().join("content/2026-11-24");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("draft.md"),
        "---\ntitle: Unfinished Harbour Story\ndraft: true\n---\nNot ready yet.\n",
    )
    .unwrap();
    let plain = Server::start(site.path(), &[]);
    assert!(!plain.get("/").text().contains("Unfinished Harbour Story"));
    stop_cleanly(plain);
    let drafts = Server::start(site.path(), &["--drafts"]);
    assert!(drafts.get("/").text().contains("Unfinished Harbour Story"));
    stop_cleanly(drafts);
}

#[test]
fn port_in_use_is_a_clear_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let site = small_site();
    let o = common::newsdigest(
        site.path(),
        &[
            "serve",
            "--root",
            site.path().to_str().unwrap(),
            "--port",
            &port,
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    let err = common::stderr(&o);
    assert!(
        err.contains(&format!("port {port} on 127.0.0.1 is already in use")),
        "{err}"
    );
    assert!(err.contains("--port"), "{err}");
}

#[test]
fn binding_beyond_loopback_warns() {
    let site = small_site();
    let server = Server::start(site.path(), &["--bind", "0.0.0.0"]);
    assert!(
        server.log().contains("warning: listening on 0.0.0.0:"),
        "{}",
        server.log()
    );
    assert_eq!(server.get("/").status, 200);
    stop_cleanly(server);
}

#[test]
fn a_missing_root_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = tmp.path().join("nope");
    let o = common::newsdigest(
        tmp.path(),
        &["serve", "--root", missing.to_str().unwrap(), "--port", "0"],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(common::stderr(&o).contains("not a folder"));
}

/// 50 connections for 3 seconds against loopback: every response must be complete and right.
/// Prints the figures (run with `--nocapture`); timing is not asserted.
#[test]
fn load_check_fifty_connections_without_errors() {
    let site = sample_site();
    let server = Server::start(site.path(), &[]);
    let home = server.get("/").body.len();
    let css = server.get("/static/style.css").body.len();
    let base = server.base.clone();
    let deadline = Instant::now() + Duration::from_secs(3);
    let started = Instant::now();
    let workers: Vec<_> = (0..50)
        .map(|i| {
            let base = base.clone();
            std::thread::spawn(move || {
                let agent: ureq::Agent = ureq::Agent::config_builder()
                    .http_status_as_error(false)
                    .timeout_global(Some(Duration::from_secs(30)))
                    .build()
                    .into();
                let (mut ok, mut errors) = (0u64, Vec::new());
                let paths = ["/", "/static/style.css", "/archive/", "/nope/"];
                let mut n = i;
                while Instant::now() < deadline {
                    let path = paths[n % paths.len()];
                    n += 1;
                    match agent.get(&format!("{base}{path}")).call() {
                        Ok(mut r) => {
                            let status = r.status().as_u16();
                            let len = r.body_mut().read_to_vec().map(|b| b.len());
                            let want = match path {
                                "/" => (200, Some(home)),
                                "/static/style.css" => (200, Some(css)),
                                "/nope/" => (404, None),
                                _ => (200, None),
                            };
                            match len {
                                Ok(l) if status == want.0 && want.1.is_none_or(|w| w == l) => {
                                    ok += 1
                                }
                                other => errors.push(format!("{path}: {status} {other:?}")),
                            }
                        }
                        Err(e) => errors.push(format!("{path}: {e}")),
                    }
                }
                (ok, errors)
            })
        })
        .collect();
    let mut total = 0;
    let mut errors = Vec::new();
    for w in workers {
        let (ok, errs) = w.join().unwrap();
        total += ok;
        errors.extend(errs);
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "load check: 50 connections, {secs:.1} s, {total} responses, {:.0} requests/s, {} errors",
        total as f64 / secs,
        errors.len()
    );
    assert!(
        errors.is_empty(),
        "{} errors, first: {:?}",
        errors.len(),
        &errors[..errors.len().min(5)]
    );
    assert!(total > 0);
    stop_cleanly(server);
}

#[test]
fn nothing_is_written_into_the_site_root() {
    let site = small_site();
    let before = common::files(site.path());
    let server = Server::start(site.path(), &[]);
    write_dump(
        site.path(),
        "2026-11-24",
        "000_1234123412341234.txt",
        "Tram Line Opens At Last",
    );
    wait_for("the new article", TIMEOUT, || {
        server
            .get("/")
            .text()
            .contains("Tram Line Opens At Last")
            .then_some(())
    });
    stop_cleanly(server);
    // The site's build cache (`.newsdigest-cache/`, git-ignored) is the one thing a build may
    // add at the root; nothing of the preview itself lands there.
    let after: std::collections::BTreeSet<_> = common::files(site.path())
        .into_iter()
        .filter(|f| !f.starts_with(".newsdigest-cache/"))
        .collect();
    let added: Vec<_> = after.difference(&before).collect();
    assert_eq!(added, vec!["content/2026-11-24/000_1234123412341234.txt"]);
    assert!(!Path::new(&site.path().join("output")).exists());
}
