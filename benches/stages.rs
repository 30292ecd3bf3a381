//! The in-process build stages, one by one, on a generated corpus (criterion).
//!
//! Generates `ARTICLES` dumps with `newsdigest_corpus` into a temporary site, then measures
//! each stage on its own with the library's own functions, the build cache disabled:
//! `walk` (read the content folder), `parse` (every source, in parallel), `assemble` (the
//! digest: days, titles, duplicates, topics, headline index), `load` (the three together, as
//! `build::load`), `plan`, `render_all`, and the whole `build` into a fresh output folder,
//! plus a rebuild with the cache when nothing changed. Samples are few (each whole build is a
//! second or more), so the run takes a few minutes on two cores.
//!
//! Run: `cargo bench --bench stages` (`NEWSDIGEST_BENCH_ARTICLES=10000` for a larger corpus;
//! a filter such as `cargo bench --bench stages -- render` runs one stage).

use criterion::{BatchSize, Criterion, SamplingMode, criterion_group, criterion_main};
use newsdigest::build::{self, BuildOptions};
use newsdigest::cache::Cache;
use newsdigest::config::{Config, Overrides};
use newsdigest::render::Renderer;
use newsdigest::{digest, ingest, plan};
use newsdigest_corpus as corpus;
use rayon::prelude::*;
use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

const ARTICLES: usize = 1_000;

fn articles() -> usize {
    std::env::var("NEWSDIGEST_BENCH_ARTICLES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(ARTICLES)
}

/// A site with `n` generated dumps under `content/`.
fn site(root: &Path, n: usize) -> Config {
    std::fs::write(root.join("site.yaml"), "title: Bench Digest\n").unwrap();
    corpus::generate(&corpus::Spec::new(n))
        .write_dumps(&root.join("content"))
        .unwrap();
    let overrides = Overrides {
        output_dir: Some(root.join("output")),
        ..Default::default()
    };
    Config::load(root, &overrides).unwrap()
}

/// Mirrors `build::load`: the digest options `site.yaml` gives.
fn digest_options(cfg: &Config) -> digest::Options {
    digest::Options {
        drafts: false,
        topics: digest::topics::Settings {
            min_articles: cfg.topics.min_articles,
            extract: cfg.topics.extract,
            ignore: cfg.topics.ignore.clone(),
        },
        sites: digest::sites::Settings {
            folder: cfg.source_folder,
        },
        title_window: digest::matching::Window(cfg.titles.window_days),
        story_window: digest::stories::Window(cfg.stories.window_days),
    }
}

fn stages(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let n = articles();
    let cfg = site(dir.path(), n);
    let mut off = Cache::disabled();
    let no_cache = BuildOptions {
        no_cache: true,
        ..Default::default()
    };
    let shown = Path::new("content");

    // Each stage's input, made once by the stages before it.
    let walked = ingest::walk(&cfg.content_dir, shown, &cfg.limits).unwrap();
    let sources: Vec<ingest::Source> = walked
        .files
        .par_iter()
        .map(|f| walked.reader.read(f.clone()).unwrap())
        .collect();
    let parsed: Vec<ingest::Parsed> = sources
        .par_iter()
        .map(|s| ingest::parse(s, cfg.timezone, shown))
        .collect();
    let mut articles = Vec::new();
    let mut orphans = Vec::new();
    for p in parsed {
        orphans.extend(p.orphan_headlines);
        articles.extend(p.result.ok());
    }
    assert_eq!(articles.len(), n, "every generated dump parses");
    let (digest, _) = build::load(&cfg, &no_cache, &mut off).unwrap();
    let plan_opts = plan::PlanOptions::from_config(&cfg);
    let plan = plan::plan(&digest, &plan_opts);
    let renderer = Renderer::new(&cfg).unwrap();

    let mut g = c.benchmark_group(format!("stages/{n}"));
    // Flat: every sample runs the stage the same number of times (once, for the slow stages),
    // instead of 1, 2, … 10 times, which would take minutes per whole build.
    g.sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));

    g.bench_function("walk", |b| {
        b.iter(|| ingest::walk(&cfg.content_dir, shown, &cfg.limits).unwrap())
    });
    g.bench_function("parse", |b| {
        b.iter(|| {
            sources
                .par_iter()
                .map(|s| ingest::parse(s, cfg.timezone, shown))
                .collect::<Vec<_>>()
        })
    });
    g.bench_function("assemble", |b| {
        b.iter_batched(
            || (articles.clone(), orphans.clone()),
            |(a, o)| digest::assemble(a, o, digest_options(&cfg)),
            BatchSize::LargeInput,
        )
    });
    g.bench_function("load (walk+parse+assemble)", |b| {
        b.iter(|| build::load(&cfg, &no_cache, &mut off).unwrap())
    });
    g.bench_function("plan", |b| {
        b.iter(|| plan::plan(black_box(&digest), &plan_opts))
    });
    g.bench_function("render_all", |b| {
        b.iter(|| renderer.render_all(&cfg, &digest, &plan).unwrap())
    });
    // A fresh output folder each time; the folder is removed after the measurement.
    g.bench_function("build (fresh output)", |b| {
        b.iter_batched(
            || {
                let out = tempfile::tempdir().unwrap();
                let cfg = Config {
                    output_dir: out.path().join("site"),
                    ..cfg.clone()
                };
                (out, cfg)
            },
            |(out, cfg)| (out, build::build(&cfg, &no_cache).unwrap()),
            BatchSize::PerIteration,
        )
    });
    // Nothing changed since the last build: every parse and page comes from the cache and
    // no file is written.
    build::build(&cfg, &BuildOptions::default()).unwrap();
    g.bench_function("build (unchanged, cached)", |b| {
        b.iter(|| {
            let r = build::build(&cfg, &BuildOptions::default()).unwrap();
            assert_eq!(r.files_written, 0);
            r
        })
    });
    g.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
