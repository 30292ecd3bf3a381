//! Stage timings: the wall time of each build stage and how many items went through it, so a
//! user can see where a build spends its time (`newsdigest build --timings`, the `timings`
//! object of `--report`). The build wraps each stage in [`Timings::stage`] (or
//! [`Timings::begin`] / [`Timings::end`] around a longer block); the counts come from the
//! finished report in [`count`], so they are the same numbers the summary shows. Each stage
//! also records the process's peak resident memory when it ended (Linux), so the stage that
//! raised the peak is the one whose data a memory bound has to shrink.

use crate::progress::ProgressHook;
use crate::report::BuildReport;
use serde::{Serialize, Serializer};
use std::fmt::Write as _;
use std::time::{Duration, Instant};

/// The timings of one build, stages in the order they ran.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Timings {
    /// Wall time from the start of the build to the end of its last stage: the stages plus
    /// what runs between them (loading the theme, the report's bookkeeping).
    #[serde(rename = "total_ms", serialize_with = "millis")]
    pub total: Duration,
    pub stages: Vec<StageTiming>,
    /// When the build started; without it, `total` is the sum of the stages.
    #[serde(skip)]
    origin: Option<Instant>,
}

/// One stage: its wall time and the items it handled.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StageTiming {
    pub name: &'static str,
    #[serde(rename = "ms", serialize_with = "millis")]
    pub duration: Duration,
    /// Items through the stage, in `unit`s (0 and "" when the stage is not counted).
    pub count: usize,
    pub unit: &'static str,
    /// How `count` splits, e.g. parsed / from cache.
    pub parts: Vec<Part>,
    /// The process's peak resident set when the stage ended, in KiB (`None` where the system
    /// does not say, or in a stage recorded by hand).
    #[serde(rename = "peak_rss_kib")]
    pub peak_kib: Option<u64>,
    /// The stage's own named phases, when it times them (the digest's), in the order they ran.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub phases: Vec<Phase>,
}

/// One named phase inside a stage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Phase {
    pub name: &'static str,
    #[serde(rename = "ms", serialize_with = "millis")]
    pub duration: Duration,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Part {
    pub label: &'static str,
    pub count: usize,
}

/// A stage that has begun; hand it back to [`Timings::end`].
#[must_use = "a begun stage is recorded only by Timings::end"]
pub struct Running {
    name: &'static str,
    start: Instant,
    progress: Option<ProgressHook>,
}

fn millis<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    // Microsecond resolution is plenty and keeps the JSON short.
    s.serialize_f64((d.as_secs_f64() * 1e6).round() / 1e3)
}

impl Timings {
    /// Runs `f` as the stage `name` and records its wall time.
    pub fn stage<T>(&mut self, name: &'static str, f: impl FnOnce() -> T) -> T {
        let running = self.begin(name);
        let value = f();
        self.end(running);
        value
    }

    /// Like [`Timings::stage`], and reports the stage's `total` items to `progress` (the
    /// stage itself ticks it).
    pub fn stage_with<T>(
        &mut self,
        name: &'static str,
        progress: &ProgressHook,
        total: usize,
        f: impl FnOnce() -> T,
    ) -> T {
        let running = self.begin_with(name, progress, total);
        let value = f();
        self.end(running);
        value
    }

    /// Starts the stage `name`; for a block too long to wrap in a closure.
    pub fn begin(&self, name: &'static str) -> Running {
        Running {
            name,
            start: Instant::now(),
            progress: None,
        }
    }

    /// Starts the stage `name` and tells `progress` it has `total` items.
    pub fn begin_with(&self, name: &'static str, progress: &ProgressHook, total: usize) -> Running {
        progress.start(name, total);
        Running {
            progress: Some(progress.clone()),
            ..self.begin(name)
        }
    }

    pub fn end(&mut self, running: Running) {
        let now = Instant::now();
        if let Some(p) = &running.progress {
            p.finish(running.name);
        }
        let duration = now - running.start;
        self.stages.push(StageTiming {
            name: running.name,
            duration,
            count: 0,
            unit: "",
            parts: Vec::new(),
            peak_kib: self.peak_so_far(),
            phases: Vec::new(),
        });
        self.total = match self.origin {
            Some(origin) => now - origin,
            None => self.total + duration,
        };
    }

    /// Records a stage the caller timed itself: one that runs in pieces, interleaved with
    /// another (render and write alternate a batch of pages at a time).
    pub fn add(&mut self, name: &'static str, duration: Duration) {
        self.stages.push(StageTiming {
            name,
            duration,
            count: 0,
            unit: "",
            parts: Vec::new(),
            peak_kib: self.peak_so_far(),
            phases: Vec::new(),
        });
        self.total = match self.origin {
            Some(origin) => origin.elapsed(),
            None => self.total + duration,
        };
    }

    /// Gives the recorded stage `name` its phases (no-op if there is none).
    pub fn set_phases(&mut self, name: &str, phases: impl IntoIterator<Item = Phase>) {
        if let Some(s) = self.stages.iter_mut().find(|s| s.name == name) {
            s.phases = phases.into_iter().collect();
        }
    }

    /// Adds `duration` to the recorded stage `name` (no-op if there is none).
    pub fn add_to(&mut self, name: &str, duration: Duration) {
        if let Some(s) = self.stages.iter_mut().find(|s| s.name == name) {
            s.duration += duration;
        }
    }

    /// Counts `total` from `start` (the start of the whole build) from now on.
    pub fn since(&mut self, start: Instant) {
        self.origin = Some(start);
        self.total = start.elapsed();
    }

    pub fn get(&self, name: &str) -> Option<&StageTiming> {
        self.stages.iter().find(|s| s.name == name)
    }

    fn set(
        &mut self,
        name: &str,
        count: usize,
        unit: &'static str,
        parts: &[(&'static str, usize)],
    ) {
        for s in self.stages.iter_mut().filter(|s| s.name == name) {
            s.count = count;
            s.unit = unit;
            s.parts = parts
                .iter()
                .map(|&(label, count)| Part { label, count })
                .collect();
        }
    }

    /// The process's peak resident set now, never below a stage recorded before: the kernel's
    /// `VmHWM` can read lower than an earlier reading (it takes the larger of a high-water mark
    /// updated only now and then and the current, batched count).
    fn peak_so_far(&self) -> Option<u64> {
        let before = self.stages.iter().filter_map(|s| s.peak_kib).max();
        match (peak_rss_kib(), before) {
            (Some(now), Some(b)) => Some(now.max(b)),
            (now, b) => now.or(b),
        }
    }

    /// Total minus the stages: work between them.
    pub fn other(&self) -> Duration {
        self.total
            .saturating_sub(self.stages.iter().map(|s| s.duration).sum())
    }

    /// The table `--timings` prints: one row per stage, then the rest and the total.
    pub fn table(&self) -> String {
        let total = self.total.as_secs_f64();
        let share = |d: Duration| {
            if total > 0.0 {
                format!("{:.1}%", d.as_secs_f64() / total * 100.0)
            } else {
                "-".into()
            }
        };
        let mut out = format!(
            "{:<10} {:>10} {:>7} {:>9}  items\n",
            "stage", "time", "share", "peak"
        );
        for s in &self.stages {
            let mut items = String::new();
            if !s.unit.is_empty() {
                items = format!("{} {}", thousands(s.count), s.unit);
                let parts: Vec<String> = s
                    .parts
                    .iter()
                    .map(|p| format!("{} {}", thousands(p.count), p.label))
                    .collect();
                if !parts.is_empty() {
                    let _ = write!(items, " ({})", parts.join(", "));
                }
            }
            let _ = writeln!(
                out,
                "{:<10} {:>10} {:>7} {:>9}  {items}",
                s.name,
                duration(s.duration),
                share(s.duration),
                s.peak_kib.map_or_else(|| "-".to_string(), mebibytes)
            );
            out.truncate(out.trim_end().len());
            out.push('\n');
            for p in &s.phases {
                let _ = writeln!(
                    out,
                    "  {:<10} {:>8} {:>7}",
                    p.name,
                    duration(p.duration),
                    share(p.duration)
                );
            }
        }
        let other = self.other();
        let _ = writeln!(
            out,
            "{:<10} {:>10} {:>7} {:>9}  theme, bookkeeping between stages",
            "other",
            duration(other),
            share(other),
            ""
        );
        let peak = self.stages.iter().filter_map(|s| s.peak_kib).max();
        let _ = writeln!(
            out,
            "{:<10} {:>10} {:>7} {:>9}",
            "total",
            duration(self.total),
            share(self.total),
            peak.map_or_else(String::new, mebibytes)
        );
        out.truncate(out.trim_end().len());
        out.push('\n');
        out
    }
}

/// Fills in each stage's items from the finished report (call after [`BuildReport::finish`]).
pub fn count(report: &mut BuildReport) {
    let mut t = std::mem::take(&mut report.timings);
    let r = &*report;
    t.set("walk", r.totals.walked, "files", &[]);
    t.set(
        "parse",
        r.sources_parsed + r.sources_cached,
        "files",
        &[
            ("parsed", r.sources_parsed),
            ("from cache", r.sources_cached),
        ],
    );
    t.set(
        "assemble",
        r.articles,
        "articles",
        &[
            ("days", r.days),
            ("topics", r.discovery.topics),
            ("texts read", r.texts_read),
            ("from cache", r.texts_cached),
        ],
    );
    t.set("plan", r.pages, "pages", &[]);
    t.set(
        "render",
        r.pages_rendered + r.pages_cached,
        "pages",
        &[
            ("rendered", r.pages_rendered),
            ("from cache", r.pages_cached),
        ],
    );
    t.set(
        "write",
        r.output_files,
        "files",
        &[
            ("written", r.files_written),
            ("unchanged", r.files_unchanged),
            ("removed", r.files_removed),
        ],
    );
    report.timings = t;
}

/// The process's peak resident set so far (`VmHWM` of `/proc/self/status`), in KiB.
fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    vm_hwm_kib(&status)
}

fn vm_hwm_kib(status: &str) -> Option<u64> {
    let line = status.lines().find_map(|l| l.strip_prefix("VmHWM:"))?;
    line.trim().strip_suffix("kB")?.trim().parse().ok()
}

/// `389 MiB`, `3.3 GiB`.
fn mebibytes(kib: u64) -> String {
    let mib = kib as f64 / 1024.0;
    if mib < 1024.0 {
        format!("{mib:.0} MiB")
    } else {
        format!("{:.1} GiB", mib / 1024.0)
    }
}

/// `0.42 ms`, `81.3 ms`, `1.25 s`.
pub fn duration(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms < 1.0 {
        format!("{ms:.2} ms")
    } else if ms < 1000.0 {
        format!("{ms:.1} ms")
    } else {
        format!("{:.2} s", ms / 1000.0)
    }
}

/// `10,000`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::tests::Recorder;
    use std::sync::Arc;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn stages_are_recorded_in_order_with_their_values() {
        let mut t = Timings::default();
        let v = t.stage("walk", || 7);
        assert_eq!(v, 7);
        let r = t.begin("parse");
        std::thread::sleep(ms(2));
        t.end(r);
        let names: Vec<_> = t.stages.iter().map(|s| s.name).collect();
        assert_eq!(names, ["walk", "parse"]);
        assert!(t.get("parse").unwrap().duration >= ms(2));
        // Without an origin the total is the stages' sum, and nothing is "other".
        assert_eq!(t.total, t.stages.iter().map(|s| s.duration).sum());
        assert_eq!(t.other(), Duration::ZERO);
    }

    #[test]
    fn total_runs_from_the_origin_and_other_is_the_gap() {
        let start = Instant::now();
        std::thread::sleep(ms(3));
        let mut t = Timings::default();
        t.since(start);
        t.stage("plan", || ());
        assert!(t.total >= ms(3));
        assert!(t.other() >= ms(3) - t.get("plan").unwrap().duration);
        assert!(t.total >= t.stages[0].duration);
    }

    #[test]
    fn a_stage_with_progress_starts_and_finishes_it_and_failures_still_record() {
        let rec = Arc::new(Recorder::default());
        let hook = ProgressHook::new(rec.clone());
        let mut t = Timings::default();
        let r: Result<(), &str> = t.stage_with("render", &hook, 4, || {
            (0..4).for_each(|_| hook.tick());
            Err("template broke")
        });
        assert!(r.is_err());
        assert_eq!(t.stages.len(), 1);
        assert_eq!(
            *rec.events.lock().unwrap(),
            vec![
                ("start".into(), "render", 4),
                ("finish".into(), "render", 0)
            ]
        );
        assert_eq!(rec.ticks.lock().unwrap()["render"], 4);
    }

    fn sample() -> Timings {
        let stage = |name, n| StageTiming {
            name,
            duration: ms(n),
            count: 0,
            unit: "",
            parts: vec![],
            peak_kib: Some(n * 1024),
            phases: vec![],
        };
        Timings {
            total: ms(2500),
            stages: vec![
                stage("walk", 25),
                stage("parse", 800),
                stage("render", 1200),
                StageTiming {
                    peak_kib: None,
                    ..stage("cache", 0)
                },
            ],
            origin: None,
        }
    }

    #[test]
    fn counts_come_from_the_report() {
        let mut r = BuildReport {
            timings: sample(),
            sources_parsed: 9_990,
            sources_cached: 10,
            pages_rendered: 30_000,
            pages_cached: 1_234,
            ..Default::default()
        };
        r.totals.walked = 10_003;
        count(&mut r);
        let t = &r.timings;
        assert_eq!(t.get("walk").unwrap().count, 10_003);
        let parse = t.get("parse").unwrap();
        assert_eq!((parse.count, parse.unit), (10_000, "files"));
        assert_eq!(
            parse.parts,
            vec![
                Part {
                    label: "parsed",
                    count: 9_990
                },
                Part {
                    label: "from cache",
                    count: 10
                }
            ]
        );
        assert_eq!(t.get("render").unwrap().count, 31_234);
        // A stage without a count stays uncounted.
        assert_eq!(t.get("cache").unwrap().unit, "");
    }

    #[test]
    fn a_stages_phases_follow_its_row_indented() {
        let mut t = sample();
        t.set_phases(
            "parse",
            [
                Phase {
                    name: "structure",
                    duration: ms(500),
                },
                Phase {
                    name: "days",
                    duration: ms(300),
                },
            ],
        );
        t.set_phases("no such stage", []);
        let table = t.table();
        let lines: Vec<&str> = table.lines().collect();
        assert!(lines[2].starts_with("parse "), "{table}");
        assert_eq!(lines[3], "  structure  500.0 ms   20.0%");
        assert_eq!(lines[4], "  days       300.0 ms   12.0%");
        assert!(lines[5].starts_with("render "), "{table}");
        let json = serde_json::to_value(&t).unwrap();
        assert_eq!(json["stages"][1]["phases"][1]["name"], "days");
        assert_eq!(json["stages"][1]["phases"][1]["ms"], 300.0);
        assert!(json["stages"][0].get("phases").is_none());
    }

    #[test]
    fn table_shows_time_share_and_items() {
        let mut r = BuildReport {
            timings: sample(),
            sources_parsed: 10_000,
            ..Default::default()
        };
        r.totals.walked = 10_000;
        count(&mut r);
        let table = r.timings.table();
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(lines[0], "stage            time   share      peak  items");
        assert_eq!(
            lines[1],
            "walk          25.0 ms    1.0%    25 MiB  10,000 files"
        );
        assert_eq!(
            lines[2],
            "parse        800.0 ms   32.0%   800 MiB  10,000 files (10,000 parsed, 0 from cache)"
        );
        assert_eq!(
            lines[3],
            "render         1.20 s   48.0%   1.2 GiB  0 pages (0 rendered, 0 from cache)"
        );
        assert_eq!(lines[4], "cache         0.00 ms    0.0%         -");
        assert_eq!(
            lines[5],
            "other        475.0 ms   19.0%            theme, bookkeeping between stages"
        );
        // The total's peak is the build's.
        assert_eq!(lines[6], "total          2.50 s  100.0%   1.2 GiB");
    }

    #[test]
    fn json_has_milliseconds_and_counts() {
        let mut r = BuildReport {
            timings: sample(),
            ..Default::default()
        };
        count(&mut r);
        let v = serde_json::to_value(&r.timings).unwrap();
        assert_eq!(v["total_ms"], 2500.0);
        assert_eq!(v["stages"][1]["name"], "parse");
        assert_eq!(v["stages"][1]["ms"], 800.0);
        assert_eq!(v["stages"][1]["unit"], "files");
        assert_eq!(v["stages"][1]["parts"][0]["label"], "parsed");
        assert!(v.get("origin").is_none());
    }

    #[test]
    fn a_stages_peak_is_never_below_an_earlier_one() {
        let mut t = Timings::default();
        t.stage("walk", || ());
        // As if the kernel's reading had been this high before.
        t.stages[0].peak_kib = Some(1 << 40);
        t.stage("parse", || ());
        t.add("render", ms(1));
        assert_eq!(t.stages[1].peak_kib, Some(1 << 40));
        assert_eq!(t.stages[2].peak_kib, Some(1 << 40));
    }

    #[test]
    fn peak_memory_is_read_from_the_status_file() {
        let status = "Name:\tnewsdigest\nVmPeak:\t  900 kB\nVmHWM:\t  398336 kB\nVmRSS:\t 1 kB\n";
        assert_eq!(vm_hwm_kib(status), Some(398_336));
        assert_eq!(vm_hwm_kib("Name:\tx\n"), None);
        assert_eq!(vm_hwm_kib("VmHWM:\t lots\n"), None);
        if cfg!(target_os = "linux") {
            assert!(peak_rss_kib().is_some_and(|k| k > 0));
        }
        assert_eq!(mebibytes(398_336), "389 MiB");
        assert_eq!(mebibytes(3_460_300), "3.3 GiB");
    }

    #[test]
    fn numbers_read_well() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(duration(Duration::from_micros(420)), "0.42 ms");
        assert_eq!(duration(ms(81)), "81.0 ms");
        assert_eq!(duration(ms(1250)), "1.25 s");
    }
}
