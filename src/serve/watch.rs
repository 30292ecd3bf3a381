//! Watching the site's sources: `content/`, `themes/`, the site's `templates/` and `static/`,
//! and `site.yaml`. File events come from `notify` through `notify-debouncer-full` (which
//! merges the events of one file); on top of that, changes are gathered until the sources have
//! been quiet for a moment, so a burst of files copied in at once is one rebuild.
//!
//! Which paths matter ([`WatchSet`]) and how events are gathered ([`gather`]) are plain
//! functions; [`run`] wires them to the watcher and the build.

use super::site::{Preview, Snapshot};
use super::state::Shared;
use notify_debouncer_full::notify::RecursiveMode;
use notify_debouncer_full::notify::event::{EventKind, MetadataKind, ModifyKind};
use notify_debouncer_full::{DebounceEventResult, new_debouncer};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

/// How long one file's events are merged before the debouncer hands them on.
const FILE_DEBOUNCE: Duration = Duration::from_millis(50);

/// A continuous stream of changes still gets a rebuild this often.
const MAX_GATHER: Duration = Duration::from_secs(3);

/// What the builder thread is told.
#[derive(Debug)]
pub enum Msg {
    Changed(Vec<PathBuf>),
    /// The watcher reported an error (e.g. too many watches); shown on the terminal.
    WatchError(String),
    Stop,
}

/// The folders and files whose changes need a rebuild. Paths are absolute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WatchSet {
    pub root: PathBuf,
    pub site_yaml: PathBuf,
    /// Watched recursively when they exist: content, themes, templates, static.
    pub dirs: Vec<PathBuf>,
}

impl WatchSet {
    pub fn new(root: &Path, content_dir: &Path) -> WatchSet {
        let mut dirs = vec![content_dir.to_path_buf()];
        for d in ["themes", "templates", "static"] {
            dirs.push(root.join(d));
        }
        WatchSet {
            root: root.to_path_buf(),
            site_yaml: root.join(crate::config::CONFIG_FILE),
            dirs,
        }
    }

    /// Whether a change at `path` can change the site. Editor and OS junk (swap files,
    /// backups, hidden files and folders) never can: the build ignores it.
    pub fn relevant(&self, path: &Path) -> bool {
        if path == self.site_yaml {
            return true;
        }
        self.dirs.iter().any(|d| {
            path.strip_prefix(d).is_ok_and(|rest| {
                !rest.components().any(|c| {
                    let name = c.as_os_str().to_string_lossy();
                    crate::ingest::name::junk_rule(&name).is_some()
                })
            })
        })
    }
}

/// Whether an event can change what a build reads. Reading a file (as the build itself does)
/// or touching its access time cannot.
pub fn changes_content(kind: &EventKind) -> bool {
    !matches!(
        kind,
        EventKind::Access(_) | EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime))
    )
}

/// Collects the paths of `first` and of every message that follows within `quiet` of the
/// previous one (but for no longer than `max` in all). Returns the distinct paths, and
/// whether a stop was asked for on the way.
pub fn gather(
    first: Vec<PathBuf>,
    rx: &Receiver<Msg>,
    quiet: Duration,
    max: Duration,
    on_error: &mut dyn FnMut(String),
) -> (BTreeSet<PathBuf>, bool) {
    let started = Instant::now();
    let mut paths: BTreeSet<PathBuf> = first.into_iter().collect();
    loop {
        let left = max.saturating_sub(started.elapsed());
        if left.is_zero() {
            return (paths, false);
        }
        match rx.recv_timeout(quiet.min(left)) {
            Ok(Msg::Changed(more)) => paths.extend(more),
            Ok(Msg::WatchError(e)) => on_error(e),
            Ok(Msg::Stop) | Err(RecvTimeoutError::Disconnected) => return (paths, true),
            Err(RecvTimeoutError::Timeout) => return (paths, false),
        }
    }
}

/// Canonical form of a path that may not exist yet (its nearest existing ancestor is
/// resolved), so event paths and watched prefixes compare equal.
pub fn resolve(p: &Path) -> PathBuf {
    if let Ok(c) = p.canonicalize() {
        return c;
    }
    match (p.parent(), p.file_name()) {
        (Some(parent), Some(name)) if !parent.as_os_str().is_empty() => resolve(parent).join(name),
        _ => p.to_path_buf(),
    }
}

/// Starts watching, runs the first build (then signals `ready`), and rebuilds on every
/// relevant change until [`Msg::Stop`]. `report` prints each build.
pub fn run(
    preview: Preview,
    shared: std::sync::Arc<Shared>,
    tx: Sender<Msg>,
    rx: Receiver<Msg>,
    quiet: Duration,
    ready: Sender<()>,
    report: &mut dyn FnMut(&super::site::Outcome),
) {
    let mut served = Snapshot::default();
    let handler_tx = tx.clone();
    let debouncer = new_debouncer(FILE_DEBOUNCE, None, move |res: DebounceEventResult| {
        let msg = match res {
            Ok(events) => Msg::Changed(
                events
                    .into_iter()
                    .filter(|e| changes_content(&e.event.kind))
                    .flat_map(|e| e.event.paths.clone())
                    .collect(),
            ),
            Err(errors) => Msg::WatchError(
                errors
                    .iter()
                    .map(|e| e.to_string())
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
        };
        let _ = handler_tx.send(msg);
    });
    let mut debouncer = match debouncer {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: cannot watch for changes: {e}; the preview will not rebuild");
            report(&preview.rebuild(&shared, &mut served, 0));
            let _ = ready.send(());
            // Still serve what was built: wait for the stop.
            while !matches!(rx.recv(), Ok(Msg::Stop) | Err(_)) {}
            return;
        }
    };
    let mut watched: BTreeSet<(PathBuf, bool)> = BTreeSet::new();
    let mut set = current_set(&preview);
    arm(&mut debouncer, &set, &mut watched);
    report(&preview.rebuild(&shared, &mut served, 0));
    let _ = ready.send(());

    let mut on_error = |e: String| eprintln!("warning: file watcher: {e}");
    loop {
        let first = match rx.recv() {
            Ok(Msg::Changed(paths)) => paths,
            Ok(Msg::WatchError(e)) => {
                on_error(e);
                continue;
            }
            Ok(Msg::Stop) | Err(_) => break,
        };
        let (paths, stop) = gather(first, &rx, quiet, MAX_GATHER, &mut on_error);
        if stop {
            break;
        }
        let relevant = paths.iter().filter(|p| set.relevant(p)).count();
        if relevant == 0 {
            continue;
        }
        // A watched folder that was itself removed, replaced or created needs a fresh watch
        // (the old one died with the folder).
        for dir in paths.iter().filter(|p| set.dirs.contains(p)) {
            if watched.remove(&(dir.clone(), true)) {
                let _ = debouncer.unwatch(dir);
            }
        }
        // site.yaml may have moved the content folder, and a new templates/ or static/ may
        // have appeared: watch them before building, so nothing written during the build is
        // missed.
        set = current_set(&preview);
        arm(&mut debouncer, &set, &mut watched);
        let outcome = preview.rebuild(&shared, &mut served, relevant);
        report(&outcome);
    }
    debouncer.stop();
}

fn current_set(preview: &Preview) -> WatchSet {
    let root = resolve(&preview.root);
    // A broken site.yaml keeps the default content folder under watch, so fixing it is seen.
    let content = match preview.config() {
        Ok(cfg) => cfg.content_dir,
        Err(_) => preview.root.join("content"),
    };
    WatchSet::new(&root, &resolve(&content))
}

/// Watches what exists of `set` and stops watching what no longer belongs to it.
fn arm<W: notify_debouncer_full::notify::Watcher, C: notify_debouncer_full::FileIdCache>(
    debouncer: &mut notify_debouncer_full::Debouncer<W, C>,
    set: &WatchSet,
    watched: &mut BTreeSet<(PathBuf, bool)>,
) {
    let mut want: BTreeSet<(PathBuf, bool)> = BTreeSet::new();
    // The root itself, not recursively: it sees site.yaml and folders being created.
    want.insert((set.root.clone(), false));
    for d in &set.dirs {
        if d.is_dir() {
            want.insert((d.clone(), true));
        }
    }
    for gone in watched.difference(&want).cloned().collect::<Vec<_>>() {
        let _ = debouncer.unwatch(&gone.0);
        watched.remove(&gone);
    }
    for (path, recursive) in want {
        if watched.contains(&(path.clone(), recursive)) {
            continue;
        }
        let mode = if recursive {
            RecursiveMode::Recursive
        } else {
            RecursiveMode::NonRecursive
        };
        match debouncer.watch(&path, mode) {
            Ok(()) => {
                watched.insert((path, recursive));
            }
            Err(e) => eprintln!("warning: cannot watch {}: {e}", path.display()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relevant_paths() {
        let set = WatchSet::new(Path::new("/s"), Path::new("/s/content"));
        for yes in [
            "/s/site.yaml",
            "/s/content",
            "/s/content/2026-02-05/000_ab.txt",
            "/s/themes/night/static/style.css",
            "/s/templates/base.html",
            "/s/static/logo.png",
        ] {
            assert!(set.relevant(Path::new(yes)), "{yes}");
        }
        for no in [
            "/s/output/index.html",
            "/s/.output.newsdigest-staging/x",
            "/s/README.md",
            "/s/content/2026-02-05/.000_ab.txt.swp",
            "/s/content/2026-02-05/000_ab.txt~",
            "/s/content/.git/index",
            "/s/templates/#base.html#",
            "/s/site.yaml.bak/x",
        ] {
            assert!(!set.relevant(Path::new(no)), "{no}");
        }
        let outside = WatchSet::new(Path::new("/s"), Path::new("/data/dumps"));
        assert!(outside.relevant(Path::new("/data/dumps/a.txt")));
        assert!(!outside.relevant(Path::new("/s/content/a.txt")));
    }

    #[test]
    fn a_burst_is_gathered_into_one_batch_and_a_pause_ends_it() {
        let (tx, rx) = std::sync::mpsc::channel();
        let quiet = Duration::from_millis(200);
        let writer = std::thread::spawn(move || {
            for i in 0..50 {
                tx.send(Msg::Changed(vec![PathBuf::from(format!("/c/{i}"))]))
                    .unwrap();
            }
            tx
        });
        let tx = writer.join().unwrap();
        let mut errors = Vec::new();
        let (paths, stop) = gather(
            vec![PathBuf::from("/c/first")],
            &rx,
            quiet,
            Duration::from_secs(30),
            &mut |e| errors.push(e),
        );
        assert!(!stop);
        assert_eq!(paths.len(), 51);
        tx.send(Msg::Stop).unwrap();
        let (_, stop) = gather(vec![], &rx, quiet, Duration::from_secs(30), &mut |_| {});
        assert!(stop);
    }

    #[test]
    fn reads_are_not_changes() {
        use notify_debouncer_full::notify::event::{AccessKind, CreateKind, DataChange};
        assert!(!changes_content(&EventKind::Access(AccessKind::Any)));
        assert!(!changes_content(&EventKind::Modify(ModifyKind::Metadata(
            MetadataKind::AccessTime
        ))));
        assert!(changes_content(&EventKind::Create(CreateKind::File)));
        assert!(changes_content(&EventKind::Modify(ModifyKind::Data(
            DataChange::Content
        ))));
    }

    #[test]
    fn resolve_handles_missing_tails() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().canonicalize().unwrap();
        assert_eq!(resolve(&dir.path().join("a/b")), real.join("a/b"));
    }
}
