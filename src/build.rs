//! The build pipeline, stage by stage, in one direction:
//! walk → parse (parallel) → assemble → plan → render (parallel) → write.
//! Each stage gets only the previous stage's value; this module threads them together and
//! keeps the per-file account for the report.

use crate::config::Config;
use crate::digest::{self, Digest};
use crate::ingest::{self, Rejection};
use crate::output::{self, OutputError};
use crate::plan::{self, PageKind};
use crate::render::{RenderError, Renderer};
use crate::report::{BuildReport, Diagnostic, FileOutcome, FileRecord};
use rayon::prelude::*;
use std::collections::HashMap;

#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub drafts: bool,
}

/// Why a build produced no site at all. Problems with single files are not here: they are
/// in the report, and the build goes on without those files.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error("{0}")]
    Content(Diagnostic),
    #[error(transparent)]
    Render(#[from] RenderError),
    #[error(transparent)]
    Output(#[from] OutputError),
}

/// Builds the site described by `cfg` into `cfg.output_dir`.
pub fn build(cfg: &Config, opts: &BuildOptions) -> Result<BuildReport, BuildError> {
    // Load the theme first: a broken template should fail before any work is done.
    let renderer = Renderer::new(cfg)?;
    let (digest, mut report) = load(cfg, opts)?;
    let pages = plan::plan(&digest, &plan::PlanOptions::from_config(cfg));
    let rendered = renderer.render_all(cfg, &digest, &pages)?;
    let stats = output::write_site(&cfg.output_dir, &cfg.content_dir, &rendered)?;

    let mut urls: HashMap<String, Vec<String>> = HashMap::new();
    for p in &pages {
        if let PageKind::Article(i) | PageKind::ArticleSource(i) = p.kind {
            let e = &digest.articles[i];
            urls.entry(ingest::slash_path(&e.rel))
                .or_default()
                .push(cfg.base_url.url(&p.site_path));
        }
    }
    for (path, urls) in urls {
        report.files.push(FileRecord {
            path,
            outcome: FileOutcome::Built { urls },
        });
    }
    report.discovery = crate::report::DiscoveryStats {
        topics: digest.topics.len(),
        feeds: pages
            .iter()
            .filter(|p| matches!(p.kind, PageKind::Feed(..)))
            .count(),
        sitemap_urls: pages
            .iter()
            .filter(|p| plan::discovery::in_sitemap(p.kind))
            .count(),
        search_index_bytes: rendered
            .iter()
            .find(|r| r.path == plan::discovery::SEARCH_INDEX_FILE)
            .map_or(0, |r| r.bytes.len() as u64),
    };
    report.articles = digest.articles.len();
    report.days = digest.days.len();
    report.pages = pages.len();
    report.files_written = stats.files;
    report.finish();
    Ok(report)
}

/// The first three stages: walk, parse and assemble. Returns the digest and the account of
/// every file that did not become an article.
pub fn load(cfg: &Config, opts: &BuildOptions) -> Result<(Digest, BuildReport), BuildError> {
    let display_root = shown_content_dir(cfg);
    let walked =
        ingest::walk(&cfg.content_dir, &display_root, &cfg.limits).map_err(BuildError::Content)?;
    let mut report = BuildReport {
        files: walked.records,
        diagnostics: walked.diagnostics,
        ..Default::default()
    };

    let parsed: Vec<_> = walked
        .sources
        .par_iter()
        .map(|s| ingest::parse(s, cfg.timezone, &display_root))
        .collect();
    let mut articles = Vec::with_capacity(parsed.len());
    let mut orphans = Vec::new();
    for p in parsed {
        report.diagnostics.extend(p.diagnostics);
        if let Some(o) = p.orphan_headlines {
            orphans.push(o);
        }
        let path = ingest::slash_path(&p.rel);
        match p.result {
            Ok(a) => articles.push(a),
            Err(Rejection::Skipped(reason)) => report.files.push(FileRecord {
                path,
                outcome: FileOutcome::Skipped(reason),
            }),
            Err(Rejection::Failed(reason)) => report.files.push(FileRecord {
                path,
                outcome: FileOutcome::Failed(reason),
            }),
        }
    }
    let digest = digest::assemble(
        articles,
        orphans,
        digest::Options {
            drafts: opts.drafts,
            topics: digest::topics::Settings {
                min_articles: cfg.topics.min_articles,
                extract: cfg.topics.extract,
                ignore: cfg.topics.ignore.clone(),
            },
        },
    );
    report.files.extend(digest.drafts.iter().cloned());
    Ok((digest, report))
}

/// The content folder as the user named it (relative to the site root when inside it), for
/// diagnostics that a user can click on.
fn shown_content_dir(cfg: &Config) -> std::path::PathBuf {
    let rel = cfg
        .content_dir
        .strip_prefix(&cfg.root)
        .unwrap_or(&cfg.content_dir);
    rel.strip_prefix(".").unwrap_or(rel).to_path_buf()
}
