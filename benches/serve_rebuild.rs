//! How fast the preview follows an edit, against a full build of the same site in the same run.
//!
//! Makes a site of a thousand dumps (the bundled samples, repeated over 40 days), starts
//! `newsdigest serve` on it, edits one dump at a time and times (a) the rebuild the server
//! reports and (b) the wall time from the write to the live-reload event naming the edited
//! page (debounce included). The baseline, `newsdigest build` run again into an existing
//! output folder, runs before each edit.
//! Run: `cargo bench --bench serve_rebuild`.

#[path = "../tests/it/common/mod.rs"]
mod common;

use common::server::{Server, TIMEOUT};
use std::path::Path;
use std::time::{Duration, Instant};

const DAYS: usize = 40;
const PER_DAY: usize = 25;
const EDITS: usize = 7;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The sample dumps' bodies, each given a unique title line, spread over `DAYS` days.
fn make_site(root: &Path) -> Vec<(std::path::PathBuf, String)> {
    std::fs::write(root.join("site.yaml"), "title: Bench Digest\n").unwrap();
    let samples: Vec<String> = common::files(&common::repo_root().join("content"))
        .into_iter()
        .filter(|f| f.ends_with(".txt"))
        .map(|f| common::read(&common::repo_root().join("content").join(f)))
        .collect();
    let mut made = Vec::new();
    for d in 0..DAYS {
        let day = (chrono::NaiveDate::from_ymd_opt(2026, 9, 1).unwrap()
            + chrono::Days::new(d as u64))
        .format("%Y-%m-%d")
        .to_string();
        let dir = root.join("content").join(&day);
        std::fs::create_dir_all(&dir).unwrap();
        for a in 0..PER_DAY {
            let title = format!("Bench Story {d} {a} Makes The Headlines");
            let body = &samples[(d * PER_DAY + a) % samples.len()];
            let path = dir.join(format!("{a:03}_{:016x}.txt", d * 1000 + a));
            std::fs::write(&path, format!("{title}\n\n{body}")).unwrap();
            made.push((path, format!("{day}/{}", slug(&title))));
        }
    }
    made
}

fn slug(title: &str) -> String {
    title.to_lowercase().replace(' ', "-")
}

fn main() {
    let site = tempfile::tempdir().unwrap();
    let dumps = make_site(site.path());
    println!("site: {} dumps over {DAYS} days", dumps.len());

    // Baseline: `newsdigest build` again into the same output folder (what re-running a build
    // by hand costs), outside the site. Run between the edits, so that the load of a shared
    // machine weighs on both sides alike.
    let outs = tempfile::tempdir().unwrap();
    let out = outs.path().join("out");
    let full_build = || {
        let start = Instant::now();
        let o = common::newsdigest(
            site.path(),
            &[
                "build",
                "--root",
                site.path().to_str().unwrap(),
                "--output",
                out.to_str().unwrap(),
                "--quiet",
            ],
        );
        let took = start.elapsed();
        assert!(o.status.success(), "{}", common::stderr(&o));
        took
    };
    full_build();
    let mut full = Vec::new();

    let server = Server::start(site.path(), &[]);
    let events = server.events();
    let mut rebuild = Vec::new();
    let mut total = Vec::new();
    let mut latency = Vec::new();
    for (i, (path, page)) in dumps.iter().step_by(97).take(EDITS).enumerate() {
        full.push(full_build());
        // Drain what came before this edit.
        while events.try_recv().is_ok() {}
        let before = server.status()["build"].as_u64().unwrap();
        let mut text = std::fs::read_to_string(path).unwrap();
        text.push_str(&format!("An added sentence for edit number {i}.\n"));
        let start = Instant::now();
        std::fs::write(path, text).unwrap();
        loop {
            let (name, data) = events
                .recv_timeout(TIMEOUT)
                .expect("no live-reload event after an edit");
            let names_page = |f: &serde_json::Value| {
                f.as_str()
                    .is_some_and(|f| f.contains(&format!("/{}/", slug_of(page))))
            };
            if name == "change"
                && data["files"]
                    .as_array()
                    .is_some_and(|f| f.iter().any(names_page))
            {
                break;
            }
        }
        latency.push(start.elapsed());
        let s = server.wait_build_after(before);
        rebuild.push(Duration::from_millis(s["build_ms"].as_u64().unwrap()));
        total.push(Duration::from_millis(s["duration_ms"].as_u64().unwrap()));
    }
    let full = median(full);
    let rebuild = median(rebuild);
    let total = median(total);
    let latency = median(latency);
    assert!(server.stop().success());

    println!(
        "full build (median of {EDITS}):            {:8.1} ms",
        ms(full)
    );
    println!(
        "serve rebuild after one edit (median of {EDITS}): {:8.1} ms  (full build / rebuild = {:.2})",
        ms(rebuild),
        full.as_secs_f64() / rebuild.as_secs_f64().max(1e-6)
    );
    println!(
        "  plus finding the changed files:   {:8.1} ms",
        ms(total.saturating_sub(rebuild))
    );
    println!(
        "edit -> reload event (median of {EDITS}):  {:8.1} ms  (includes the 150 ms debounce)",
        ms(latency)
    );
}

/// The slug part of `day/slug`.
fn slug_of(page: &str) -> String {
    page.rsplit('/').next().unwrap_or(page).to_string()
}
