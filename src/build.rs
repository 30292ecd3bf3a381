//! The build pipeline, stage by stage, in one direction:
//! walk → parse (parallel) → assemble → plan → render (parallel) → write.
//! Each stage gets only the previous stage's value; this module threads them together, passes
//! each stage's diagnostics on into the report, and hands the stages' outcomes to
//! [`crate::report`], which builds the report's records from them (this module builds none).

use crate::cache::Cache;
use crate::config::Config;
use crate::digest::{self, Digest};
use crate::ingest;
use crate::lock::{Contention, LockError};
use crate::model::Day;
use crate::output::{self, OutputError};
use crate::plan::{self, PageKind};
use crate::progress::ProgressHook;
use crate::render::inputs::PageInputs;
use crate::render::{RenderError, Renderer};
use crate::report::{BuildReport, Diagnostic};
use crate::timings::{self, Timings};
use rayon::prelude::*;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub drafts: bool,
    /// Neither read nor write `.newsdigest-cache/`: parse and render everything.
    pub no_cache: bool,
    /// Told how parse and render advance (a terminal progress bar); the build never prints.
    pub progress: ProgressHook,
    /// What to do when another build of the site holds its lock ([`crate::lock`]).
    pub contention: Contention,
    /// The site is built to be published (`newsdigest build`), not previewed (`serve`): a
    /// local `base_url` is then worth a warning.
    pub publishing: bool,
}

/// Pages rendered and written together: enough to keep both cores busy in each, few enough
/// that a batch of pages (tens of kilobytes each) stays small next to the digest.
const BATCH_PAGES: usize = 2048;

/// Why a build produced no site at all. Problems with single files are not here: they are
/// in the report, and the build goes on without those files.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// Shown after the caller's own "error: ", so without the diagnostic's severity.
    #[error("{}", located(.0))]
    Content(Diagnostic),
    #[error(transparent)]
    Render(#[from] RenderError),
    #[error(transparent)]
    Output(#[from] OutputError),
    #[error(transparent)]
    Locked(#[from] LockError),
}

/// Builds the site described by `cfg` into `cfg.output_dir`, using and then updating the
/// site's build cache (unless `opts.no_cache`). Holds the site's build lock throughout, so
/// no other build touches the staging folder or the cache meanwhile.
pub fn build(cfg: &Config, opts: &BuildOptions) -> Result<BuildReport, BuildError> {
    let lock = crate::lock::acquire(&cfg.root, opts.contention)?;
    let mut cache = if opts.no_cache {
        Cache::disabled()
    } else {
        // Only the lock's holder may take temporary files for abandoned: no build is writing.
        if lock.is_held() {
            crate::cache::remove_leftovers(&cfg.root);
        }
        Cache::open_last_build(&cfg.root)
    };
    let started = Instant::now();
    // Nothing changed since the last build, and its output is as it left it: that build's
    // account is this one's, and there is nothing to do.
    let inputs = cache
        .is_enabled()
        .then(|| crate::inputs::fingerprint(cfg, opts.drafts, cache.key("inputs")));
    let replayed = match inputs.and_then(|k| cache.last_build(k)) {
        Some(record) => {
            // Refused as it would be by a build with work to do.
            output::check_output_dir(&cfg.output_dir, &cfg.content_dir)?;
            unchanged(cfg, record, started)
        }
        None => None,
    };
    let nothing_changed = replayed.is_some();
    let mut report = match replayed {
        Some(report) => report,
        None => {
            cache.load_tables();
            let report = build_with(cfg, opts, &mut cache)?;
            if let Some(record) = inputs.zip(last_build_record(cfg, &report)) {
                cache.set_last_build(record.0, record.1);
            }
            report
        }
    };
    report.diagnostics.extend(lock.warning());
    report.diagnostics.extend(cache.take_warnings());
    if let Some(w) = local_base_url_warning(cfg).filter(|_| opts.publishing) {
        report.diagnostics.push(w);
        report.finish();
    }
    // After a build that did nothing, the cache is as that build found it.
    if !nothing_changed && let Err(e) = report.timings.stage("cache", || cache.commit()) {
        report.diagnostics.push(e.to_diagnostic());
    }
    report.finish();
    drop(lock);
    Ok(report)
}

/// What a build records for the next one to find out that nothing changed: the identity of
/// the output's manifest as this build left it, and this build's account.
#[derive(serde::Serialize, serde::Deserialize)]
struct LastBuild {
    manifest: output::manifest::Stamp,
    report: BuildReport,
}

fn last_build_record(cfg: &Config, report: &BuildReport) -> Option<Vec<u8>> {
    let manifest = output::manifest::stamp(&cfg.output_dir)?;
    serde_json::to_vec(&LastBuild {
        manifest,
        report: report.clone(),
    })
    .ok()
}

/// The account of a build that found its inputs unchanged, if the output is still the one the
/// last build made (its manifest untouched since). Everything in it is from that build, but the
/// counts say that nothing was parsed, rendered or written, and the timings are this run's.
fn unchanged(cfg: &Config, record: &[u8], started: Instant) -> Option<BuildReport> {
    let last: LastBuild = serde_json::from_slice(record).ok()?;
    // A build that died leaves its staging folder: the full path recovers from it.
    let (staging, _) = output::siblings(&cfg.output_dir);
    if output::manifest::stamp(&cfg.output_dir) != Some(last.manifest)
        || staging.symlink_metadata().is_ok()
    {
        return None;
    }
    let mut r = last.report;
    r.sources_cached += std::mem::take(&mut r.sources_parsed);
    r.texts_cached += std::mem::take(&mut r.texts_read);
    r.pages_cached += std::mem::take(&mut r.pages_rendered);
    r.files_unchanged = r.output_files;
    r.files_written = 0;
    r.files_removed = 0;
    r.changed_files.clear();
    r.timings = Timings::default();
    r.timings.add("inputs", started.elapsed());
    r.timings.since(started);
    Some(r)
}

/// A published build whose `base_url` is this machine (the default when `site.yaml` sets
/// none) writes links to every reader's own computer into canonicals, feeds and sitemaps.
/// Said for publishing builds only: a preview server builds with a local base URL on purpose.
fn local_base_url_warning(cfg: &Config) -> Option<crate::report::Diagnostic> {
    if !cfg.base_url.is_local() {
        return None;
    }
    Some(crate::report::Diagnostic::warning(
        crate::config::CONFIG_FILE,
        format!(
            "base_url is {}, a local address (the default when site.yaml sets none): canonical \
             links, feeds and sitemaps point at the reader's own computer; set base_url in \
             site.yaml or pass --base-url for a site to publish",
            cfg.base_url.absolute()
        ),
    ))
}

/// One build with a cache whose tables the caller loaded ([`Cache::load_tables`]) and commits
/// after a successful build ([`Cache::commit`]); the parse table is saved, and let go of, as
/// soon as the files are parsed ([`Cache::save_parse`]), the reading tables as soon as the
/// digest is made ([`Cache::save_readings`]). Takes no lock: the
/// caller holds the site's ([`crate::lock::acquire`]) for as long as it builds and commits.
pub fn build_with(
    cfg: &Config,
    opts: &BuildOptions,
    cache: &mut Cache,
) -> Result<BuildReport, BuildError> {
    let started = Instant::now();
    // Load the theme first: a broken template should fail before any work is done.
    let renderer = Renderer::new(cfg)?.with_progress(opts.progress.clone());
    // Refuses an unsafe output folder before any work, and starts clearing old leftovers.
    let writer = output::Writer::begin_with(&cfg.output_dir, &cfg.content_dir, cache.is_enabled())?;
    let (digest, mut report) = load(cfg, opts, cache)?;
    report.timings.since(started);
    (report.texts_cached, report.texts_read) = cache.terms.counts();
    if let Err(e) = report.timings.stage("readings", || cache.save_readings()) {
        report.diagnostics.push(e.to_diagnostic());
    }
    let cache = &*cache;
    let t = &mut report.timings;
    let plan_opts = plan::PlanOptions {
        site_robots: renderer.has_root_file(plan::discovery::ROBOTS_FILE),
        ..plan::PlanOptions::from_config(cfg)
    };
    let plan::Plan { pages, paths } = t.stage("plan", || plan::plan(&digest, &plan_opts));
    // Rendered and written a batch at a time: the site's bytes are never all in memory.
    // Each stage's time is the sum over its batches.
    let links = renderer.links(cfg, &digest, &paths);
    let mut staged = writer.stage(output::WriteOptions::compressed(cfg.compress))?;
    let (mut render_time, mut write_time) = (Duration::ZERO, Duration::ZERO);
    let inputs_start = Instant::now();
    let site = Rendering {
        renderer: &renderer,
        links: &links,
        digest: &digest,
        pages: &pages,
        // Only a cache can find a page by its inputs; without one every page is rendered.
        inputs: cache
            .is_enabled()
            .then(|| PageInputs::new(&renderer, &links, &digest)),
    };
    render_time += inputs_start.elapsed();
    let mut search_index_bytes = 0;
    let mut over_budget = Vec::new();
    opts.progress.start("render", pages.len());
    for batch in pages.chunks(BATCH_PAGES) {
        let batch_start = Instant::now();
        let made = render_batch(&site, cache, &staged, batch)?;
        render_time += batch_start.elapsed();
        let sizes = || made.iter().map(|m| (m.path(), m.size()));
        if let Some((_, size)) = sizes().find(|(p, _)| *p == plan::discovery::SEARCH_INDEX_FILE) {
            search_index_bytes = size;
        }
        over_budget.extend(over_output_budget(sizes(), cfg));
        let (rendered, kept) = Made::split(made);
        let batch_start = Instant::now();
        staged.add(&rendered)?;
        staged.add_kept(&kept)?;
        write_time += batch_start.elapsed();
    }
    opts.progress.finish("render");
    t.add("render", render_time);
    over_budget.extend(over_output_budget(
        renderer
            .statics()
            .iter()
            .map(|r| (r.path.as_str(), r.bytes.len() as u64)),
        cfg,
    ));
    report.diagnostics.extend(over_budget);
    let (images, missing_images) = read_images(cfg, &digest, &paths);
    report.diagnostics.extend(missing_images);
    report.add_articles(&digest, &article_urls(cfg, &digest, &pages));
    report.discovery =
        crate::report::DiscoveryStats::of(digest.topics.len(), &pages, search_index_bytes);
    report.add_stories(&digest);
    report.articles = digest.articles.len();
    report.days = digest.days.len();
    report.pages = pages.len();
    // Everything left to do is the output's: the digest and the plan (most of the build's
    // memory) go before the new output's manifest is made and saved.
    drop(site);
    drop(links);
    drop((digest, pages, paths));
    let t = &mut report.timings;
    let stats = t.stage("write", || {
        staged.add(renderer.statics())?;
        staged.add(&images)?;
        staged.finish()
    })?;
    t.add_to("write", write_time);
    (report.pages_cached, report.pages_rendered) = cache.render.counts();
    report.output_files = stats.files;
    report.files_written = stats.written;
    report.files_unchanged = stats.unchanged;
    report.files_removed = stats.removed;
    report.files_compressed = stats.compressed;
    report.changed_files = stats.changed;
    report.finish();
    timings::count(&mut report);
    Ok(report)
}

/// What every page of a build is rendered from.
struct Rendering<'a> {
    renderer: &'a Renderer,
    links: &'a crate::render::context::Links<'a>,
    digest: &'a Digest,
    /// The whole plan.
    pages: &'a [plan::Page],
    /// The pages' keys from their inputs; `None` without a cache, which could not look them up.
    inputs: Option<PageInputs>,
}

/// Renders `batch` (a slice of the plan) in parallel. A page the cache knows, by the key of
/// its inputs (which needs no context built) or else by its context's fingerprint (its
/// template and everything it is made from), gets those bytes without being rendered; and
/// when the output already holds them (its manifest has their print), the page is kept as it
/// is, its bytes not even read. A build renders the plan a batch at a time and writes each
/// batch before the next, so memory holds one batch of pages, not the site.
fn render_batch(
    site: &Rendering,
    cache: &Cache,
    staged: &output::Staged,
    batch: &[plan::Page],
) -> Result<Vec<Made>, RenderError> {
    let Rendering {
        renderer,
        links,
        digest,
        pages,
        inputs,
    } = site;
    batch
        .par_iter()
        .map(|page| {
            let by_inputs = inputs
                .as_ref()
                .and_then(|i| i.key(renderer, links, digest, page))
                .map(|k| cache.key("page-inputs").part(k.as_bytes()).finish());
            if let Some(made) = by_inputs.and_then(|q| cached(cache, staged, &page.file, q)) {
                return Ok(made);
            }
            // The inputs moved (or the kind has no such key): the context may still be the same.
            let prepared = renderer.prepare(links, digest, pages, page, cache.is_enabled())?;
            let key = cache
                .key("page")
                .part(prepared.fingerprint.as_bytes())
                .finish();
            let made = match cached(cache, staged, &page.file, key) {
                Some(made) => made,
                None => {
                    let path = prepared.file.clone();
                    let (bytes, _) = cache
                        .render
                        .get_or_render(key, || renderer.finish(prepared))?;
                    Made::Rendered(crate::render::Rendered { path, bytes })
                }
            };
            if let Some(q) = by_inputs {
                cache.render.also(key, q);
            }
            Ok(made)
        })
        .inspect(|_| renderer.tick())
        .collect()
}

/// The page `file` from the cache under `key`: kept as the output holds it, or its bytes.
fn cached(
    cache: &Cache,
    staged: &output::Staged,
    file: &str,
    key: crate::cache::Key,
) -> Option<Made> {
    if let Some(k) = cache.render.keep_if(key, |print| staged.kept(file, print)) {
        return Some(Made::Kept(k));
    }
    let bytes = cache.render.get(key)?;
    let path = file.to_string();
    Some(Made::Rendered(crate::render::Rendered { path, bytes }))
}

/// A page of a batch: its bytes, or the output's file kept as it is.
enum Made {
    Rendered(crate::render::Rendered),
    Kept(output::Kept),
}

impl Made {
    fn path(&self) -> &str {
        match self {
            Made::Rendered(r) => &r.path,
            Made::Kept(k) => k.path(),
        }
    }

    fn size(&self) -> u64 {
        match self {
            Made::Rendered(r) => r.bytes.len() as u64,
            Made::Kept(k) => k.size(),
        }
    }

    /// The pages to write, and those kept as they are.
    fn split(made: Vec<Made>) -> (Vec<crate::render::Rendered>, Vec<output::Kept>) {
        let mut rendered = Vec::with_capacity(made.len());
        let mut kept = Vec::new();
        for m in made {
            match m {
                Made::Rendered(r) => rendered.push(r),
                Made::Kept(k) => kept.push(k),
            }
        }
        (rendered, kept)
    }
}

/// The URLs of each article's pages (`urls[i]` of `digest.articles[i]`), in the plan's order.
fn article_urls(cfg: &Config, digest: &Digest, pages: &[plan::Page]) -> Vec<Vec<String>> {
    let mut urls = vec![Vec::new(); digest.articles.len()];
    for p in pages {
        if let PageKind::Article(i) | PageKind::ArticleSource(i) = p.kind
            && let Some(u) = urls.get_mut(i)
        {
            u.push(cfg.base_url.url(&p.site_path));
        }
    }
    urls
}

/// A warning for each file larger than `limits.max_output_file_size`. The file is still
/// written (a site with one huge page beats no site); the warning names it so that the input
/// that blew it up can be found.
/// `files` are (path, length in bytes).
fn over_output_budget<'f>(
    files: impl Iterator<Item = (&'f str, u64)>,
    cfg: &Config,
) -> Vec<Diagnostic> {
    files
        .filter(|(_, size)| *size > cfg.max_output_file_bytes)
        .map(|(path, size)| {
            Diagnostic::warning(
                cfg.output_dir.join(path),
                format!(
                    "output file is {} bytes, over the budget of {} bytes \
                     (limits.max_output_file_size in site.yaml); written anyway: look at the \
                     content behind it, or raise the limit if the size is expected",
                    size, cfg.max_output_file_bytes
                ),
            )
        })
        .collect()
}

/// The local images the pages name (see `render::images`), read for copying. A missing or
/// unreadable one is a warning naming the file that names it; the page still links to it, so
/// `check` fails the site until it is there.
fn read_images(
    cfg: &Config,
    d: &Digest,
    paths: &plan::Paths,
) -> (Vec<crate::render::Rendered>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut diagnostics = Vec::new();
    for c in crate::render::images::copies(cfg, d, paths) {
        match std::fs::read(&c.from) {
            Ok(bytes) => files.push(crate::render::Rendered { path: c.to, bytes }),
            Err(e) => {
                let shown = crate::model::relative_to(&cfg.root, &c.from)
                    .display()
                    .to_string();
                let named_in = if c.named_in.as_os_str() == crate::config::CONFIG_FILE {
                    c.named_in.clone()
                } else {
                    shown_content_dir(cfg).join(&c.named_in)
                };
                diagnostics.push(Diagnostic::warning(
                    named_in,
                    format!(
                        "image {shown}: cannot read it ({e}); the page links to a missing file"
                    ),
                ));
            }
        }
    }
    (files, diagnostics)
}

/// The first three stages: walk, parse and assemble. Returns the digest and the account of
/// every file that did not become an article. A file whose parse inputs are unchanged since
/// the last build is not parsed again: its result comes from `cache`, whose parse table is
/// saved and let go of once every file is parsed (its counts are in the report by then).
pub fn load(
    cfg: &Config,
    opts: &BuildOptions,
    cache: &mut Cache,
) -> Result<(Digest, BuildReport), BuildError> {
    let display_root = shown_content_dir(cfg);
    if let Some(problem) = missing_content(&cfg.content_dir) {
        return Err(BuildError::Content(Diagnostic::error(
            &display_root,
            problem,
        )));
    }
    let mut timings = Timings::default();
    let walked = timings
        .stage("walk", || {
            ingest::walk(&cfg.content_dir, &display_root, &cfg.limits)
        })
        .map_err(BuildError::Content)?;
    let parse = timings.begin_with("parse", &opts.progress, walked.files.len());
    let mut report = BuildReport {
        diagnostics: walked.diagnostics,
        timings,
        ..Default::default()
    };
    report.add_set_aside(walked.set_aside);

    // Each file is read here, when it is parsed, and its bytes freed once it is: a build never
    // holds the bytes of the whole content folder.
    let reader = &walked.reader;
    let parsed: Vec<Result<ingest::Parsed, Box<ingest::Unread>>> = walked
        .files
        .into_par_iter()
        .map(|file| {
            let s = reader.read(file)?;
            // Every input of `ingest::parse` is in the key. The modification time matters only
            // as the day it falls on, and only for files dated by it.
            let mtime_day = s.modified.map(|t| {
                Day::new(
                    chrono::DateTime::<chrono::Utc>::from(t)
                        .with_timezone(&cfg.timezone)
                        .date_naive(),
                )
            });
            let key = cache
                .key("parse")
                .str(&ingest::slash_path(&s.rel))
                .str(&format!("{:?}", s.kind))
                .str(cfg.timezone.name())
                .str(&display_root.to_string_lossy())
                .str(&format!("{:?}", cfg.limits))
                .json(&mtime_day)
                .part(&s.bytes)
                .finish();
            Ok(cache
                .parse
                .get_or_insert_with(key, || ingest::parse(&s, cfg.timezone, &display_root)))
        })
        .inspect(|_| opts.progress.tick())
        .collect();
    (report.sources_cached, report.sources_parsed) = cache.parse.counts();
    if let Err(e) = cache.save_parse() {
        report.diagnostics.push(e.to_diagnostic());
    }
    report.timings.end(parse);
    // Files that could not be read first, as the walk's own findings.
    let (parsed, unread): (Vec<_>, Vec<_>) = parsed.into_iter().partition(Result::is_ok);
    for u in unread.into_iter().filter_map(Result::err) {
        let u = *u;
        report.diagnostics.extend(u.diagnostic);
        report.add_set_aside(vec![(u.rel, u.why)]);
    }
    let mut articles = Vec::with_capacity(parsed.len());
    let mut orphans = Vec::new();
    for p in parsed.into_iter().flatten() {
        report.diagnostics.extend(p.diagnostics);
        if let Some(o) = p.orphan_headlines {
            orphans.push(o);
        }
        match p.result {
            Ok(a) => articles.push(a),
            Err(rejection) => report.add_rejected(&p.rel, rejection),
        }
    }
    let assemble = report.timings.begin("assemble");
    let digest = digest::assemble_with(
        articles,
        orphans,
        digest::Options {
            drafts: opts.drafts,
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
        },
        &Remembered(&*cache),
    );
    report.timings.end(assemble);
    report.timings.set_phases(
        "assemble",
        digest.phases.iter().map(|p| crate::timings::Phase {
            name: p.name,
            duration: p.duration,
        }),
    );
    report.add_drafts(&digest.drafts);
    report
        .diagnostics
        .extend(digest.diagnostics.iter().map(|d| Diagnostic {
            path: display_root.join(&d.path),
            ..d.clone()
        }));
    Ok((digest, report))
}

/// The digest's readings of texts, remembered by the cache: a text read by an earlier build
/// (the same paragraphs, by this binary) is not read again.
struct Remembered<'a>(&'a Cache);

impl Remembered<'_> {
    /// The key of `lead` for the readings of `domain`. Without a cache it hashes nothing and
    /// the tables only count the texts read.
    fn key(&self, domain: &str, lead: &[String]) -> crate::cache::Key {
        let mut key = self.0.key(domain);
        for p in lead {
            key.str(p);
        }
        key.finish()
    }
}

impl digest::reading::Memo for Remembered<'_> {
    fn sketch(&self, lead: &[String]) -> Option<digest::dedupe::Sketch> {
        let key = self.key("sketch", lead);
        self.0
            .sketches
            .get_or_insert_with(key, || digest::reading::sketch(lead))
    }

    fn terms(&self, lead: &[String]) -> digest::terms::Analysis {
        let key = self.key("terms", lead);
        self.0
            .terms
            .get_or_insert_with(key, || digest::reading::terms(lead))
    }

    fn runs(&self, lead: &[String]) -> digest::topics::Runs {
        let key = self.key("runs", lead);
        self.0
            .runs
            .get_or_insert_with(key, || digest::reading::runs(lead))
    }
}

/// Why `content_dir` cannot be walked at all, said with what to do about it.
fn missing_content(content_dir: &std::path::Path) -> Option<&'static str> {
    match std::fs::metadata(content_dir) {
        Ok(m) if m.is_dir() => None,
        Ok(_) => Some(
            "the content folder is a file, not a folder; set content_dir in site.yaml (or pass \
             --content) to the folder holding the dumps",
        ),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Some(
            "the content folder does not exist; create it and put the dumps in it, set \
             content_dir in site.yaml (or pass --content), or run `newsdigest init DIR` to \
             create a site",
        ),
        // Unreadable and the like: the walk says exactly what went wrong.
        Err(_) => None,
    }
}

/// A diagnostic as `path[:line]: message (at byte N)`, for a message that gets its severity
/// from elsewhere.
fn located(d: &Diagnostic) -> String {
    let mut s = crate::safety::terminal_safe(&d.path.to_string_lossy()).into_owned();
    if let Some(line) = d.line {
        s.push_str(&format!(":{line}"));
    }
    s.push_str(": ");
    s.push_str(&crate::safety::terminal_safe(&d.message));
    if let Some(byte) = d.byte {
        s.push_str(&format!(" (at byte {byte})"));
    }
    s
}

/// The content folder as the user named it (relative to the site root when inside it), for
/// diagnostics that a user can click on.
fn shown_content_dir(cfg: &Config) -> std::path::PathBuf {
    crate::model::relative_to(&cfg.root, &cfg.content_dir)
}
