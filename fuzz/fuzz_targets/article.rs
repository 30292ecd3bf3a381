//! Any bytes as a content file, through ingest, the digest and the body renderer: no panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use newsdigest::ingest::{self, Source, name::ContentKind};
use std::path::{Path, PathBuf};

fuzz_target!(|data: &[u8]| {
    let (kind, bytes) = match data.split_first() {
        Some((k, rest)) if k % 2 == 0 => (ContentKind::Markdown, rest),
        Some((_, rest)) => (ContentKind::Dump, rest),
        None => (ContentKind::Dump, data),
    };
    let src = Source {
        rel: PathBuf::from("2026-02-05/000_0123456789abcdef.txt"),
        kind,
        bytes: bytes.to_vec(),
        modified: None,
    };
    let p = ingest::parse(&src, chrono_tz::Tz::UTC, Path::new("content"));
    let orphans = p.orphan_headlines.into_iter().collect();
    let articles = p.result.into_iter().collect();
    let d = newsdigest::digest::assemble(articles, orphans, Default::default());
    for e in &d.articles {
        let _ = newsdigest::render::article_markdown(e);
        match &e.body {
            ingest::Body::Plain(p) => {
                let _ = newsdigest::render::markdown::plain_to_html(p);
            }
            ingest::Body::Markdown { source: m, .. } => {
                let _ = newsdigest::render::markdown::to_html(m);
            }
        }
    }
    let _ = newsdigest::plan::plan(&d, &newsdigest::plan::PlanOptions::default());
});
