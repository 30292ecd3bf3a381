//! The preview's build: loads `site.yaml` with the preview's overrides (a serve-only output
//! folder, a loopback base URL), runs the library's own build into that folder, and works out
//! which served files the build added, changed or removed, so open tabs reload only when their
//! page changed and stylesheets can be swapped in place.
//!
//! [`run_build`] is the one place serve calls the build.

use super::state::{Problem, Shared, Status};
use crate::build::{BuildError, BuildOptions};
use crate::config::{Config, Overrides};
use crate::report::BuildReport;
use std::collections::{BTreeMap, BTreeSet};
use std::hash::Hasher;
use std::path::{Path, PathBuf};
use std::time::{Instant, SystemTime};

/// The library build serve reuses. Everything else in serve is independent of how the build
/// gets its files into `cfg.output_dir`.
fn run_build(cfg: &Config, opts: &BuildOptions) -> Result<BuildReport, BuildError> {
    crate::build(cfg, opts)
}

/// How the preview differs from a published build.
#[derive(Debug, Clone)]
pub struct Preview {
    pub root: PathBuf,
    /// The user's overrides (`--content`, `--theme`); output folder and base URL are the
    /// preview's own.
    pub overrides: Overrides,
    pub site_dir: PathBuf,
    pub base_url: String,
    pub opts: BuildOptions,
}

/// What one build did, for the terminal.
#[derive(Debug)]
pub struct Outcome {
    pub status: std::sync::Arc<Status>,
    pub report: Option<BuildReport>,
    pub changed: Vec<String>,
}

impl Preview {
    /// The site's configuration as the preview builds it.
    pub fn config(&self) -> Result<Config, Problem> {
        let o = Overrides {
            output_dir: Some(self.site_dir.clone()),
            base_url: Some(self.base_url.clone()),
            ..self.overrides.clone()
        };
        Config::load(&self.root, &o).map_err(|e| Problem::from_config_error(&e))
    }

    /// Builds once and publishes the result to `shared`: the new status (overlay) and, when
    /// served files changed, the list of them. `before` is the folder as it was served; it is
    /// replaced by the folder as it is now. Holds the build lock while the folder changes.
    pub fn rebuild(&self, shared: &Shared, before: &mut Snapshot, trigger_paths: usize) -> Outcome {
        let started = Instant::now();
        let number = shared.status().build + 1;
        let guard = shared.build_lock.blocking_write();
        let result = self
            .config()
            .and_then(|cfg| run_build(&cfg, &self.opts).map_err(|e| Problem::from_build_error(&e)));
        let build_ms = started.elapsed().as_millis() as u64;
        let after = Snapshot::scan(&self.site_dir, before);
        drop(guard);
        let changed = before.diff(&after);
        *before = after;
        let (mut status, report) = match result {
            Ok(report) => (Status::built(&report), Some(report)),
            Err(fatal) => {
                let previous = shared.status();
                (
                    Status {
                        fatal: Some(fatal),
                        // The folder still holds the last good site; keep its figures.
                        errors: Vec::new(),
                        warnings: 0,
                        articles: previous.articles,
                        pages: previous.pages,
                        has_site: !before.is_empty(),
                        ..Status::default()
                    },
                    None,
                )
            }
        };
        status.build = number;
        status.trigger_paths = trigger_paths;
        status.changed_files = changed.len();
        status.build_ms = build_ms;
        status.duration_ms = started.elapsed().as_millis() as u64;
        let status = shared.set_status(status);
        if !changed.is_empty() {
            shared.send(super::state::LiveEvent::Changed {
                build: number,
                all: changed.len() > MAX_LISTED,
                files: std::sync::Arc::new(if changed.len() > MAX_LISTED {
                    Vec::new()
                } else {
                    changed.clone()
                }),
            });
        }
        Outcome {
            status,
            report,
            changed,
        }
    }
}

/// Above this many changed files the event says "everything" instead of listing them.
const MAX_LISTED: usize = 2000;

/// The served folder's files with a fingerprint each, to tell what a build changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Snapshot(BTreeMap<String, Sig>);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Sig {
    len: u64,
    modified: Option<SystemTime>,
    hash: u64,
}

impl Snapshot {
    /// Reads every file under `dir`. A file whose size and modification time are what they
    /// were in `previous` keeps its old hash without being read, so a build that rewrites only
    /// what changed costs only those reads.
    pub fn scan(dir: &Path, previous: &Snapshot) -> Snapshot {
        let mut files = BTreeMap::new();
        for entry in walkdir::WalkDir::new(dir)
            .follow_links(false)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file())
        {
            let Ok(rel) = entry.path().strip_prefix(dir) else {
                continue;
            };
            let rel = crate::ingest::slash_path(rel);
            if rel == crate::output::MARKER {
                continue;
            }
            let Ok(meta) = entry.metadata() else { continue };
            let len = meta.len();
            let modified = meta.modified().ok();
            let hash = match previous.0.get(&rel) {
                Some(old) if old.len == len && old.modified == modified && modified.is_some() => {
                    old.hash
                }
                _ => match std::fs::read(entry.path()) {
                    Ok(bytes) => {
                        let mut h = std::hash::DefaultHasher::new();
                        h.write(&bytes);
                        h.finish()
                    }
                    // Vanished between the walk and the read: a later build will see it.
                    Err(_) => continue,
                },
            };
            files.insert(
                rel,
                Sig {
                    len,
                    modified,
                    hash,
                },
            );
        }
        Snapshot(files)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Paths added, removed or changed in content between `self` and `after`, sorted.
    pub fn diff(&self, after: &Snapshot) -> Vec<String> {
        let mut out = BTreeSet::new();
        for (path, sig) in &after.0 {
            match self.0.get(path) {
                Some(old) if old.len == sig.len && old.hash == sig.hash => {}
                _ => {
                    out.insert(path.clone());
                }
            }
        }
        for path in self.0.keys() {
            if !after.0.contains_key(path) {
                out.insert(path.clone());
            }
        }
        out.into_iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_lists_added_changed_and_removed_but_not_rewritten_equal_files() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        std::fs::create_dir_all(d.join("a")).unwrap();
        std::fs::write(d.join("a/index.html"), "one").unwrap();
        std::fs::write(d.join("same.css"), "x").unwrap();
        std::fs::write(d.join("gone.txt"), "x").unwrap();
        std::fs::write(d.join(crate::output::MARKER), "m").unwrap();
        let before = Snapshot::scan(d, &Snapshot::default());
        assert_eq!(before.len(), 3, "the marker is not a served file");

        std::fs::write(d.join("a/index.html"), "two").unwrap();
        // Rewritten with equal bytes (as a full build does): not a change.
        std::fs::remove_file(d.join("same.css")).unwrap();
        std::fs::write(d.join("same.css"), "x").unwrap();
        std::fs::remove_file(d.join("gone.txt")).unwrap();
        std::fs::write(d.join("new.html"), "n").unwrap();
        let after = Snapshot::scan(d, &before);
        assert_eq!(
            before.diff(&after),
            vec!["a/index.html", "gone.txt", "new.html"]
        );
        assert!(after.diff(&after).is_empty());
    }

    #[test]
    fn preview_config_overrides_output_and_base_url_only() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("site.yaml"),
            "title: T\nbase_url: https://example.org/digest/\n",
        )
        .unwrap();
        let p = Preview {
            root: dir.path().to_path_buf(),
            overrides: Overrides {
                theme: Some("default".into()),
                ..Default::default()
            },
            site_dir: dir.path().join("preview"),
            base_url: "http://127.0.0.1:4321/".into(),
            opts: BuildOptions::default(),
        };
        let cfg = p.config().unwrap();
        assert_eq!(cfg.title, "T");
        assert_eq!(cfg.base_url.absolute(), "http://127.0.0.1:4321/");
        assert_eq!(cfg.base_url.path(), "/");
        assert_eq!(cfg.output_dir, dir.path().join("preview"));
        std::fs::write(dir.path().join("site.yaml"), "titel: T\n").unwrap();
        let e = p.config().unwrap_err();
        assert!(e.to_string().contains("site.yaml:1"), "{e}");
    }
}
