//! `newsdigest init DIR`: a new digest project with a `site.yaml` and a day of sample dumps.

use include_dir::{Dir, include_dir};
use std::path::{Path, PathBuf};

/// One day of the bundled sample content, compiled in so `init` works anywhere.
static SAMPLE_DAY: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/content/2026-11-22");
const SAMPLE_DAY_NAME: &str = "2026-11-22";

const SITE_YAML: &str = "\
# newsdigest site configuration. Every key is optional; these are the defaults
# except title and description.
title: My News Digest
description: The day's news, digested.
base_url: http://localhost:1111/
language: en
timezone: UTC
theme: default
per_page: 20
content_dir: content
output_dir: output
compress: false
";

#[derive(Debug, thiserror::Error)]
pub enum InitError {
    #[error("{0} already exists and is not empty; choose a new folder")]
    NotEmpty(PathBuf),
    #[error("{path}: cannot {op}: {source}")]
    Io {
        path: PathBuf,
        op: &'static str,
        source: std::io::Error,
    },
}

/// Whether `dir` exists and holds anything: `init` writes only into a folder that does not, so
/// it never mixes its files with someone's (`generate` keeps the same rule in its own crate).
pub fn holds_anything(dir: &Path) -> std::io::Result<bool> {
    if !dir.exists() {
        return Ok(false);
    }
    Ok(std::fs::read_dir(dir)?.next().is_some())
}

/// Creates the project in `dir`, which must not exist or be empty.
pub fn init(dir: &Path) -> Result<Vec<PathBuf>, InitError> {
    let non_empty = holds_anything(dir).map_err(|source| InitError::Io {
        path: dir.into(),
        op: "list",
        source,
    })?;
    if non_empty {
        return Err(InitError::NotEmpty(dir.into()));
    }
    let mut written = Vec::new();
    let write = |rel: PathBuf, bytes: &[u8], written: &mut Vec<PathBuf>| -> Result<(), InitError> {
        let path = dir.join(&rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|source| InitError::Io {
                path: parent.into(),
                op: "create folder",
                source,
            })?;
        }
        std::fs::write(&path, bytes).map_err(|source| InitError::Io {
            path: path.clone(),
            op: "write",
            source,
        })?;
        written.push(rel);
        Ok(())
    };
    write("site.yaml".into(), SITE_YAML.as_bytes(), &mut written)?;
    write(
        ".gitignore".into(),
        b"/output/\n/.output.newsdigest-staging/\n/.output.newsdigest-old/\n/.newsdigest-cache/\n",
        &mut written,
    )?;
    for f in SAMPLE_DAY.files() {
        write(
            Path::new("content").join(SAMPLE_DAY_NAME).join(f.path()),
            f.contents(),
            &mut written,
        )?;
    }
    Ok(written)
}
