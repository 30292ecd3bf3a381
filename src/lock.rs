//! The build lock: one build of a site at a time. Two builds of one site would share its
//! staging folder and its build cache and trip over each other's files, so a build first takes
//! an advisory lock (`flock`) on `.newsdigest-cache/lock` at the site root. The kernel releases
//! it when the holder exits, however it exits, so a killed build never leaves a stale lock.
//! The file holds the holder's process id, to tell the user which process to wait for; the
//! holder erases it before letting go, so a build that finds the lock taken by the next
//! holder, before that one has written its own, never names a process that has finished.
//!
//! The lock file lives beside the cache's versioned folder, not in it: a cache that is
//! cleared (another binary's) or deleted by hand never takes a held lock with it.

use std::fs::File;
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

/// The lock file's name inside the cache folder.
pub const FILE_NAME: &str = "lock";

/// What to do when another process holds the lock.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Contention {
    /// Fail at once with [`LockError::Busy`] (`newsdigest build --no-wait`; and the first
    /// attempt of `newsdigest build`, which then says that it waits).
    #[default]
    Refuse,
    /// Wait until the other build is done: `newsdigest build`, and the preview's rebuilds,
    /// which are triggered by edits and must not fail because a build runs beside them.
    Wait,
}

/// The lock, held until dropped.
#[derive(Debug)]
pub enum SiteLock {
    /// This process holds the site's lock: nothing else is building it.
    Held(File),
    /// The lock file could not be created (a read-only site root, say); the build goes on
    /// without a lock, which is the most that is possible there, and says so.
    Unavailable { path: PathBuf, reason: String },
}

#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error(
        "another build of this site is running ({}); wait for it to finish, or stop it",
        match pid { Some(p) => format!("pid {p}"), None => "pid unknown".to_string() }
    )]
    Busy { pid: Option<u32> },
    #[error("{}: cannot take the build lock: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// The lock file of the site at `root`.
pub fn path(root: &Path) -> PathBuf {
    root.join(crate::cache::DIR_NAME).join(FILE_NAME)
}

/// Takes the lock of the site at `root`.
pub fn acquire(root: &Path, contention: Contention) -> Result<SiteLock, LockError> {
    let path = path(root);
    let file = match open(&path) {
        Ok(f) => f,
        Err(e) if unwritable(&e) => {
            return Ok(SiteLock::Unavailable {
                reason: e.to_string(),
                path,
            });
        }
        Err(source) => return Err(LockError::Io { path, source }),
    };
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => match contention {
            Contention::Refuse => match holder(&file) {
                Some(pid) => return Err(LockError::Busy { pid: Some(pid) }),
                // No pid while we looked: the holder may have finished (it erases its pid
                // before letting go), as a build with nothing to do does in milliseconds.
                // Refused only if the lock is still taken.
                None => match file.try_lock() {
                    Ok(()) => {}
                    Err(std::fs::TryLockError::WouldBlock) => {
                        return Err(LockError::Busy { pid: None });
                    }
                    Err(std::fs::TryLockError::Error(source)) => {
                        return Err(LockError::Io { path, source });
                    }
                },
            },
            Contention::Wait => file.lock().map_err(|source| LockError::Io {
                path: path.clone(),
                source,
            })?,
        },
        Err(std::fs::TryLockError::Error(source)) => return Err(LockError::Io { path, source }),
    }
    let mut file = file;
    // Best effort: the pid only helps the message of a build that finds the lock taken.
    let _ = file
        .set_len(0)
        .and_then(|()| file.rewind())
        .and_then(|()| writeln!(file, "{}", std::process::id()))
        .and_then(|()| file.flush());
    Ok(SiteLock::Held(file))
}

impl SiteLock {
    /// Whether this process holds the lock (and may treat what other builds leave behind as
    /// abandoned).
    pub fn is_held(&self) -> bool {
        matches!(self, SiteLock::Held(_))
    }

    /// The warning a build without the lock reports.
    pub fn warning(&self) -> Option<crate::report::Diagnostic> {
        match self {
            SiteLock::Held(_) => None,
            SiteLock::Unavailable { path, reason } => Some(crate::report::Diagnostic::warning(
                path,
                format!(
                    "cannot create the build lock ({reason}), so nothing stops another build of \
                     this site from running at the same time; make the site folder writable"
                ),
            )),
        }
    }
}

impl Drop for SiteLock {
    fn drop(&mut self) {
        // Still holding the lock: the next holder cannot have written its pid yet. Best
        // effort, as the writing was; a build killed before this leaves its pid, which the
        // next holder overwrites.
        if let SiteLock::Held(file) = self {
            let _ = file.set_len(0);
        }
    }
}

fn open(path: &Path) -> std::io::Result<File> {
    // The cache folder only, never the site root: a mistyped root must not be created.
    if let Some(dir) = path.parent() {
        match std::fs::create_dir(dir) {
            Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => return Err(e),
            _ => {}
        }
    }
    // Not truncated on open: until it holds the lock, a build must not erase the holder's pid.
    File::options()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
}

fn unwritable(e: &std::io::Error) -> bool {
    matches!(
        e.kind(),
        std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem
    )
}

/// The pid the holder wrote. A holder writes it just after taking the lock, so a build that
/// started at the same moment may look in between: it looks again a few times.
fn holder(file: &File) -> Option<u32> {
    let read = || {
        let mut text = String::new();
        let mut f = file;
        f.rewind().ok()?;
        f.take(32).read_to_string(&mut text).ok()?;
        text.trim().parse().ok()
    };
    (0..20).find_map(|i| {
        if i > 0 {
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        read()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_taker_is_refused_with_the_holders_pid_until_the_first_lets_go() {
        let dir = tempfile::tempdir().unwrap();
        let first = acquire(dir.path(), Contention::Refuse).unwrap();
        assert!(first.is_held());
        // A lock is per open file, so a second open in this process contends like another
        // process would.
        match acquire(dir.path(), Contention::Refuse) {
            Err(e @ LockError::Busy { pid }) => {
                assert_eq!(pid, Some(std::process::id()));
                assert!(
                    e.to_string().contains(&format!(
                        "another build of this site is running (pid {})",
                        std::process::id()
                    )),
                    "{e}"
                );
            }
            other => panic!("{other:?}"),
        }
        drop(first);
        assert!(acquire(dir.path(), Contention::Refuse).unwrap().is_held());
    }

    #[test]
    fn a_build_refused_while_the_holder_finishes_takes_the_lock_instead() {
        let dir = tempfile::tempdir().unwrap();
        // A holder that never writes its pid, and lets go while the other looks for it.
        let file = open(&path(dir.path())).unwrap();
        file.lock().unwrap();
        let holder = std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(40));
            drop(file);
        });
        let taken = acquire(dir.path(), Contention::Refuse).unwrap();
        assert!(taken.is_held());
        holder.join().unwrap();
        // Still taken and still nameless: refused, with no pid named.
        let other = open(&path(dir.path())).unwrap();
        drop(taken);
        other.lock().unwrap();
        other.set_len(0).unwrap();
        match acquire(dir.path(), Contention::Refuse) {
            Err(LockError::Busy { pid: None }) => {}
            got => panic!("{got:?}"),
        }
    }

    #[test]
    fn a_holder_erases_its_pid_before_it_lets_go() {
        // Two builds started together: the loser may read the file after the winner took the
        // lock but before it wrote its pid. The pid of the build before must not be there.
        let dir = tempfile::tempdir().unwrap();
        let first = acquire(dir.path(), Contention::Refuse).unwrap();
        let written = std::fs::read_to_string(path(dir.path())).unwrap();
        assert_eq!(written.trim(), std::process::id().to_string());
        drop(first);
        assert_eq!(std::fs::read_to_string(path(dir.path())).unwrap(), "");
    }

    #[test]
    fn a_waiting_taker_gets_the_lock_only_once_it_is_released() {
        use std::sync::atomic::{AtomicBool, Ordering};
        let dir = tempfile::tempdir().unwrap();
        let first = acquire(dir.path(), Contention::Refuse).unwrap();
        let released = std::sync::Arc::new(AtomicBool::new(false));
        let root = dir.path().to_path_buf();
        let seen = released.clone();
        let waiter = std::thread::spawn(move || {
            let l = acquire(&root, Contention::Wait).unwrap();
            (l.is_held(), seen.load(Ordering::SeqCst))
        });
        // Gives a waiter that does not wait the time to get there first; no timing is asserted.
        std::thread::sleep(std::time::Duration::from_millis(200));
        released.store(true, Ordering::SeqCst);
        drop(first);
        assert_eq!(waiter.join().unwrap(), (true, true));
    }
}
