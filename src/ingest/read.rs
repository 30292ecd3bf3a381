//! Reading one walked file so that what was checked is what is read. The walk decides from
//! paths; between its check and the read, anyone who can write to `content/` can swap a file
//! for a symlink to a secret elsewhere. So the read resolves the path once, opens every
//! component below the content folder without following links (`O_NOFOLLOW`, one `openat` per
//! folder, on Linux), and then asks the open file itself (`fstat`) whether it is a regular
//! file and how large it is. A swap at any moment makes the open fail; it can never make it
//! succeed on something outside.

use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// A file's bytes and its modification time, both taken from the one open file.
#[derive(Debug)]
pub struct FileBytes {
    pub bytes: Vec<u8>,
    pub modified: Option<SystemTime>,
}

/// Why a walked file was not read.
#[derive(Debug)]
pub enum ReadError {
    /// The path now resolves outside the content folder (a link swapped in after the walk).
    Outside,
    /// Some component became a symlink (or a folder a file) between resolving and opening.
    Changed,
    /// What was opened is not a regular file (a FIFO or device swapped in).
    NotRegular,
    /// More than the limit, seen either by `fstat` or while reading.
    TooLarge(u64),
    Io(io::Error),
}

/// The content folder, held open so that every read resolves below the very folder walked.
pub struct Root {
    /// Canonical path of the folder.
    path: PathBuf,
    #[cfg(target_os = "linux")]
    fd: std::os::fd::OwnedFd,
}

impl Root {
    /// Opens the (already canonical) content folder.
    pub fn open(path: &Path) -> io::Result<Root> {
        #[cfg(target_os = "linux")]
        {
            use rustix::fs::{Mode, OFlags};
            let fd = rustix::fs::open(
                path,
                OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
                Mode::empty(),
            )?;
            Ok(Root {
                path: path.to_path_buf(),
                fd,
            })
        }
        #[cfg(not(target_os = "linux"))]
        Ok(Root {
            path: path.to_path_buf(),
        })
    }
}

/// Reads the file the walk found at `path` (a path below `root`, possibly through symlinks
/// that stay inside it), at most `max` bytes.
pub fn read(root: &Root, path: &Path, max: u64) -> Result<FileBytes, ReadError> {
    let real = path.canonicalize().map_err(ReadError::Io)?;
    let rel = real
        .strip_prefix(&root.path)
        .map_err(|_| ReadError::Outside)?;
    let file = open_beneath(root, rel)?;
    let meta = file.metadata().map_err(ReadError::Io)?;
    if !meta.file_type().is_file() {
        return Err(ReadError::NotRegular);
    }
    if meta.len() > max {
        return Err(ReadError::TooLarge(meta.len()));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // `take`: a file that grows while it is read can never exceed the limit in memory.
    file.take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > max {
        return Err(ReadError::TooLarge(bytes.len() as u64));
    }
    Ok(FileBytes {
        bytes,
        modified: meta.modified().ok(),
    })
}

/// Opens `rel` (plain components, no `..`) below `root`, following no symlink on the way.
#[cfg(target_os = "linux")]
fn open_beneath(root: &Root, rel: &Path) -> Result<std::fs::File, ReadError> {
    use rustix::fs::{Mode, OFlags};
    use std::os::fd::{AsFd, OwnedFd};
    let changed = |e: rustix::io::Errno| match e {
        // O_NOFOLLOW met a symlink, or a folder on the way is no longer one.
        rustix::io::Errno::LOOP | rustix::io::Errno::NOTDIR => ReadError::Changed,
        e => ReadError::Io(e.into()),
    };
    let mut parts: Vec<_> = rel.components().collect();
    let Some(last) = parts.pop() else {
        return Err(ReadError::NotRegular);
    };
    let mut dir: Option<OwnedFd> = None;
    for part in parts {
        let at = dir.as_ref().map_or(root.fd.as_fd(), |d| d.as_fd());
        let next = rustix::fs::openat(
            at,
            part.as_os_str(),
            OFlags::RDONLY | OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::CLOEXEC,
            Mode::empty(),
        )
        .map_err(changed)?;
        dir = Some(next);
    }
    let at = dir.as_ref().map_or(root.fd.as_fd(), |d| d.as_fd());
    // O_NONBLOCK: a FIFO swapped in must not block the build until someone writes to it.
    let fd = rustix::fs::openat(
        at,
        last.as_os_str(),
        OFlags::RDONLY | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .map_err(changed)?;
    Ok(std::fs::File::from(fd))
}

/// Elsewhere the path is opened as resolved; the `fstat` check still refuses anything but a
/// regular file, but a link swapped in at the last moment is followed.
#[cfg(not(target_os = "linux"))]
fn open_beneath(root: &Root, rel: &Path) -> Result<std::fs::File, ReadError> {
    std::fs::File::open(root.path.join(rel)).map_err(ReadError::Io)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root(dir: &Path) -> Root {
        Root::open(&dir.canonicalize().unwrap()).unwrap()
    }

    #[test]
    fn reads_a_file_and_a_link_inside() {
        let tmp = tempfile::tempdir().unwrap();
        let d = tmp.path();
        std::fs::create_dir(d.join("day")).unwrap();
        std::fs::write(d.join("day/a.txt"), "hello").unwrap();
        let r = root(d);
        let got = read(&r, &d.join("day/a.txt"), 100).unwrap();
        assert_eq!(got.bytes, b"hello");
        assert!(got.modified.is_some());
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink("day/a.txt", d.join("link.txt")).unwrap();
            assert_eq!(read(&r, &d.join("link.txt"), 100).unwrap().bytes, b"hello");
        }
        assert!(matches!(
            read(&r, &d.join("day/a.txt"), 4),
            Err(ReadError::TooLarge(5))
        ));
    }

    #[cfg(unix)]
    #[test]
    fn a_link_outside_or_a_fifo_is_not_read() {
        let tmp = tempfile::tempdir().unwrap();
        let content = tmp.path().join("content");
        std::fs::create_dir(&content).unwrap();
        std::fs::write(tmp.path().join("secret"), "secret").unwrap();
        std::os::unix::fs::symlink(tmp.path().join("secret"), content.join("x.txt")).unwrap();
        let r = root(&content);
        assert!(matches!(
            read(&r, &content.join("x.txt"), 100),
            Err(ReadError::Outside)
        ));
        let fifo = content.join("fifo.txt");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if made.is_ok_and(|s| s.success()) {
            assert!(matches!(read(&r, &fifo, 100), Err(ReadError::NotRegular)));
        }
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_component_that_became_a_link_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let content = tmp.path().join("content");
        std::fs::create_dir_all(content.join("day")).unwrap();
        std::fs::write(tmp.path().join("secret"), "secret").unwrap();
        std::os::unix::fs::symlink(tmp.path().join("secret"), content.join("day/x.txt")).unwrap();
        let r = root(&content);
        // As if the path had resolved while `x.txt` was still a regular file.
        assert!(matches!(
            open_beneath(&r, Path::new("day/x.txt")),
            Err(ReadError::Changed)
        ));
        std::os::unix::fs::symlink(tmp.path(), content.join("dir")).unwrap();
        assert!(matches!(
            open_beneath(&r, Path::new("dir/secret")),
            Err(ReadError::Changed)
        ));
    }
}
