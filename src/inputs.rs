//! A build's inputs, told apart cheaply: one fingerprint of everything a build reads, taken
//! from file metadata (path, type, size, modification time, inode), never from contents, so
//! that deciding "nothing changed" costs a walk of the folders, not a read of the files.
//!
//! What a build reads, and so what is in the fingerprint:
//! - the resolved configuration (`site.yaml` with the command line's overrides, the language's
//!   strings): its `Debug` form, which names every setting;
//! - every entry under the content folder (symbolic links followed, as the walk does);
//! - the theme (`themes/<name>/`), the site's `templates/` and `static/`;
//! - the build's options that change its output (drafts);
//! - the running binary (the salt of every cache key).
//!
//! An editor that rewrites a file in place with the same size and time stamp defeats it, as it
//! defeats `make`; `--no-cache` builds everything regardless.

use crate::cache::{Key, KeyBuilder};
use crate::config::Config;
use crate::fingerprint::FileStamp;
use std::path::Path;

/// The fingerprint of the inputs of building `cfg` (with drafts when `drafts`), hashed into
/// `key` (a salted key builder of the build cache).
pub fn fingerprint(cfg: &Config, drafts: bool, mut key: KeyBuilder) -> Key {
    key.str(&format!("{cfg:?}")).json(&drafts);
    let theme = cfg.root.join("themes").join(&cfg.theme);
    for (name, dir) in [
        ("content", cfg.content_dir.as_path()),
        ("theme", theme.as_path()),
        ("templates", &cfg.root.join("templates")),
        ("static", &cfg.root.join("static")),
    ] {
        key.str(name);
        listing(dir, &mut key);
    }
    key.finish()
}

/// What the fingerprint holds of one entry of a walk.
enum Seen {
    /// Its path (relative to the walked folder) and its metadata.
    Stamped(String, [u8; 41]),
    /// Its path, and why its metadata could not be read.
    Unstatted(String, String),
    /// Why the walk could not reach it (an unreadable entry, or a missing folder): part of
    /// what the build sees too.
    Unwalkable(String),
}

impl Seen {
    /// What orders the entries: their paths (or, unreached, what the walk said of them),
    /// then their kind, so that no two differing entries compare equal.
    fn order(&self) -> (&str, u8) {
        match self {
            Seen::Stamped(rel, _) => (rel, 0),
            Seen::Unstatted(rel, _) => (rel, 1),
            Seen::Unwalkable(err) => (err, 2),
        }
    }
}

/// Every entry under `dir`, by its path and metadata. The folders are read as they come, the
/// entries' metadata in parallel (a stat each: most of a no-op rebuild's time), and the whole
/// sorted by path before it is hashed. (Sorting each folder in the walk compared entries by
/// `Path::file_name`, which parses the path at every comparison: a fifth of a no-op rebuild.)
fn listing(dir: &Path, key: &mut KeyBuilder) {
    use rayon::prelude::*;
    let walked: Vec<walkdir::Result<walkdir::DirEntry>> = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .into_iter()
        .collect();
    let mut seen: Vec<Seen> = walked
        .par_iter()
        .map(|entry| match entry {
            Ok(e) => {
                let rel = crate::model::relative_to(dir, e.path())
                    .to_string_lossy()
                    .into_owned();
                match e.metadata() {
                    Ok(m) => Seen::Stamped(rel, FileStamp::of(&m).to_bytes()),
                    Err(err) => Seen::Unstatted(rel, err.to_string()),
                }
            }
            Err(err) => Seen::Unwalkable(err.to_string()),
        })
        .collect();
    seen.par_sort_unstable_by(|a, b| a.order().cmp(&b.order()));
    for s in &seen {
        match s {
            Seen::Stamped(rel, stamp) => key.str(rel).part(stamp),
            Seen::Unstatted(rel, err) => key.str(rel).str(err),
            Seen::Unwalkable(err) => key.str(err),
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cache::Cache;

    fn site() -> (tempfile::TempDir, Config) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content")).unwrap();
        std::fs::write(dir.path().join("content/a.txt"), "one\n").unwrap();
        let cfg = Config::load(dir.path(), &Default::default()).unwrap();
        (dir, cfg)
    }

    #[test]
    fn any_change_to_an_input_changes_the_fingerprint() {
        let (dir, cfg) = site();
        let cache = Cache::open(dir.path());
        let print = |cfg: &Config, drafts| fingerprint(cfg, drafts, cache.key("inputs"));
        let first = print(&cfg, false);
        assert_eq!(first, print(&cfg, false), "stable");
        assert_ne!(first, print(&cfg, true), "drafts");

        std::fs::write(dir.path().join("content/a.txt"), "one, edited\n").unwrap();
        let edited = print(&cfg, false);
        assert_ne!(first, edited, "a content file's size and time");

        std::fs::write(dir.path().join("content/b.txt"), "two\n").unwrap();
        let added = print(&cfg, false);
        assert_ne!(edited, added, "a new file");

        std::fs::create_dir_all(dir.path().join("templates")).unwrap();
        std::fs::write(dir.path().join("templates/404.html"), "lost").unwrap();
        let themed = print(&cfg, false);
        assert_ne!(added, themed, "a site template");

        let mut other = cfg.clone();
        other.title = "Another title".into();
        assert_ne!(themed, print(&other, false), "a setting");

        std::fs::remove_file(dir.path().join("content/b.txt")).unwrap();
        assert_ne!(themed, print(&cfg, false), "a removed file");
    }

    #[test]
    fn a_disabled_cache_fingerprints_nothing() {
        let (_dir, cfg) = site();
        let off = Cache::disabled();
        // Keys of a disabled cache are all the same: it never compares them.
        assert_eq!(
            fingerprint(&cfg, false, off.key("inputs")),
            fingerprint(&cfg, true, off.key("inputs"))
        );
    }
}
