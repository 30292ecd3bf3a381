//! `newsdigest build --timings` and the terminal progress bar, through the real binary: the
//! table on stderr, the same record in `--report`, counts that match the report's own, and no
//! progress escape codes when stderr is a pipe. The pseudo-terminal test (progress shown there,
//! and not under `--quiet`) needs `script` from util-linux and is `#[ignore]`d.

use crate::common;

use crate::common::{build_site, count, newsdigest, stderr};
use std::path::Path;
use std::process::Command;

const STAGES: [&str; 8] = [
    "walk", "parse", "assemble", "readings", "plan", "render", "write", "cache",
];
/// The digest's phases, as `--timings` lists them under assemble.
const PHASES: &[&str] = &[
    "structure",
    "duplicates",
    "lists",
    "ledes",
    "titles",
    "entries",
    "signatures",
    "topics",
    "links",
    "headlines",
    "stories",
    "related",
    "days",
];

fn site(dir: &Path, articles: usize) {
    std::fs::write(dir.join("site.yaml"), "title: Timed Digest\n").unwrap();
    common::generate(&dir.join("content"), articles, 3);
    // Not a content file: walked, but never parsed.
    std::fs::write(dir.join("content/notes.bak"), "scratch").unwrap();
}

fn stage<'a>(report: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    report["timings"]["stages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("no stage {name} in {}", report["timings"]))
}

#[test]
fn timings_table_on_stderr_and_in_the_report_with_the_reports_counts() {
    let dir = tempfile::tempdir().unwrap();
    site(dir.path(), 60);
    let report_path = dir.path().join("report.json");
    for round in ["full", "from cache"] {
        if round == "from cache" {
            // A change that is not to a dump: the build runs, every dump from the cache.
            std::fs::write(dir.path().join("content/notes.bak"), "scratch, edited").unwrap();
        }
        let o = newsdigest(
            dir.path(),
            &[
                "build",
                "--timings",
                "--report",
                report_path.to_str().unwrap(),
            ],
        );
        assert!(o.status.success(), "{}", stderr(&o));
        let err = stderr(&o);
        assert!(!err.contains('\u{1b}'), "escape codes on a pipe: {err:?}");
        let report: serde_json::Value = serde_json::from_str(&common::read(&report_path)).unwrap();

        let names: Vec<&str> = report["timings"]["stages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, STAGES, "{round}");
        let sum: f64 = report["timings"]["stages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["ms"].as_f64().unwrap())
            .sum();
        let total = report["timings"]["total_ms"].as_f64().unwrap();
        assert!(total + 0.01 >= sum, "total {total} < stages {sum}");
        // Peak memory as each stage ended: the process's high-water mark, so it never falls.
        if cfg!(target_os = "linux") {
            let peaks: Vec<u64> = report["timings"]["stages"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s["peak_rss_kib"].as_u64().expect("a peak on Linux"))
                .collect();
            assert!(peaks[0] > 0, "{peaks:?}");
            assert!(peaks.windows(2).all(|w| w[0] <= w[1]), "{peaks:?}");
        }

        assert_eq!(
            stage(&report, "walk")["count"].as_u64(),
            Some(count(&report["totals"], "walked"))
        );
        assert_eq!(count(&report["totals"], "walked"), 61);
        let parse = stage(&report, "parse");
        assert_eq!(parse["count"], 60);
        assert_eq!(parse["parts"][0]["label"], "parsed");
        assert_eq!(
            parse["parts"][0]["count"].as_u64(),
            Some(count(&report, "sources_parsed"))
        );
        assert_eq!(
            parse["parts"][1]["count"].as_u64(),
            Some(count(&report, "sources_cached"))
        );
        assert_eq!(
            stage(&report, "assemble")["count"].as_u64(),
            Some(count(&report, "articles"))
        );
        assert_eq!(
            stage(&report, "plan")["count"].as_u64(),
            Some(count(&report, "pages"))
        );
        let render = stage(&report, "render");
        assert_eq!(render["count"].as_u64(), Some(count(&report, "pages")));
        assert_eq!(
            render["parts"][1]["count"].as_u64(),
            Some(count(&report, "pages_cached"))
        );
        let write = stage(&report, "write");
        assert_eq!(
            write["count"].as_u64(),
            Some(count(&report, "output_files"))
        );
        assert_eq!(
            write["parts"][1]["count"].as_u64(),
            Some(count(&report, "files_unchanged"))
        );
        if round == "from cache" {
            assert_eq!(count(&report, "sources_cached"), 60);
            assert_eq!(count(&report, "pages_rendered"), 0);
        }

        // The digest's phases, in the order they ran, within the assemble stage's time.
        let assemble = stage(&report, "assemble");
        let phases = assemble["phases"].as_array().expect("assemble's phases");
        let phase_names: Vec<&str> = phases.iter().map(|p| p["name"].as_str().unwrap()).collect();
        assert_eq!(phase_names, PHASES, "{round}");
        let in_phases: f64 = phases.iter().map(|p| p["ms"].as_f64().unwrap()).sum();
        let assemble_ms = assemble["ms"].as_f64().unwrap();
        assert!(
            in_phases <= assemble_ms + 0.01,
            "phases {in_phases} > assemble {assemble_ms}"
        );
        assert!(stage(&report, "render").get("phases").is_none());

        // The table: a header, one row per stage with its items, then other and total; the
        // assemble row is followed by its phases, indented.
        let all_rows: Vec<&str> = err
            .lines()
            .skip_while(|l| !l.starts_with("stage "))
            .collect();
        let at = all_rows
            .iter()
            .position(|l| l.starts_with("assemble "))
            .unwrap();
        for (row, name) in all_rows[at + 1..].iter().zip(PHASES) {
            assert!(
                row.starts_with(&format!("  {name} ")),
                "{row:?} is not {name}"
            );
        }
        let table: Vec<&str> = all_rows
            .iter()
            .copied()
            .filter(|l| !l.starts_with("  "))
            .collect();
        assert!(table[0].ends_with("time   share      peak  items"), "{err}");
        for (row, name) in table[1..].iter().zip(STAGES) {
            assert!(row.starts_with(name), "{row:?} is not {name}");
        }
        let parse_row = table[2];
        assert!(
            parse_row.ends_with(&format!(
                "60 files ({} parsed, {} from cache)",
                count(&report, "sources_parsed"),
                count(&report, "sources_cached")
            )),
            "{parse_row}"
        );
        assert!(table[9].starts_with("other "), "{err}");
        if cfg!(target_os = "linux") {
            assert!(table[10].ends_with(" MiB"), "the build's peak: {err}");
        }
        assert!(
            table[10].starts_with("total ") && table[10].contains("100.0%"),
            "{err}"
        );
    }

    // Nothing changed: the one stage is telling so from the inputs' fingerprint.
    let o = newsdigest(
        dir.path(),
        &[
            "build",
            "--timings",
            "--report",
            report_path.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let report: serde_json::Value = serde_json::from_str(&common::read(&report_path)).unwrap();
    let names: Vec<&str> = report["timings"]["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["inputs"]);
    assert_eq!(count(&report, "pages_rendered"), 0);
    assert_eq!(count(&report, "files_written"), 0);
    assert!(
        stderr(&o).lines().any(|l| l.starts_with("inputs ")),
        "{}",
        stderr(&o)
    );
}

#[test]
fn without_timings_no_table_and_quiet_timings_prints_only_the_table() {
    let dir = tempfile::tempdir().unwrap();
    site(dir.path(), 12);
    build_site(dir.path(), &[]);
    let o = newsdigest(dir.path(), &["build"]);
    assert!(o.status.success());
    assert!(!stderr(&o).contains("stage "), "{}", stderr(&o));
    assert!(stderr(&o).contains("Built 12 articles"));

    let o = newsdigest(dir.path(), &["build", "--quiet", "--timings"]);
    assert!(o.status.success());
    let err = stderr(&o);
    assert!(err.starts_with("stage "), "{err}");
    assert!(!err.contains("Built "), "{err}");
    assert!(!err.contains('\u{1b}'), "{err:?}");
    assert!(o.stdout.is_empty());
}

const SCRIPT_INSTALL: &str = "apt-get update && apt-get install -y bsdutils";

/// Runs `newsdigest args` in `site` with a pseudo-terminal as stdin, stdout and stderr, and
/// returns everything it wrote there.
fn on_a_terminal(site: &Path, args: &str) -> String {
    let transcript = site.join("transcript");
    let cmd = format!("{} {args}", env!("CARGO_BIN_EXE_newsdigest"));
    let o = Command::new("script")
        .current_dir(site)
        .args(["--quiet", "--return", "--command", &cmd])
        .arg(&transcript)
        .output()
        .unwrap_or_else(|e| panic!("cannot run script ({e}); install it with: {SCRIPT_INSTALL}"));
    assert!(o.status.success(), "{}", stderr(&o));
    String::from_utf8_lossy(&std::fs::read(&transcript).unwrap()).into_owned()
}

#[test]
#[ignore = "needs script(1) from util-linux: run by .ci/run with --ignored"]
fn a_terminal_shows_progress_for_parse_and_render_and_clears_it() {
    let dir = tempfile::tempdir().unwrap();
    site(dir.path(), 40);
    let shown = on_a_terminal(dir.path(), "build --no-cache");
    assert!(shown.contains("parse ["), "{shown:?}");
    assert!(shown.contains("render ["), "{shown:?}");
    assert!(shown.contains("/40 "), "{shown:?}");
    // The bar is erased before the summary is printed.
    assert!(shown.contains("\u{1b}[2K"), "{shown:?}");
    assert!(shown.contains("Built 40 articles"), "{shown:?}");

    let quiet = on_a_terminal(dir.path(), "build --no-cache --quiet");
    assert!(!quiet.contains("parse ["), "{quiet:?}");
    assert!(!quiet.contains('\u{1b}'), "{quiet:?}");
}
