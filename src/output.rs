//! Output: writes rendered files into a staging folder beside `output/` and swaps it in only
//! when everything was written, so `output/` is never half-built. Refuses output folders that
//! would destroy something else (the content, `/`, the home folder, a folder we did not make).

use crate::render::Rendered;
use rayon::prelude::*;
use std::path::{Component, Path, PathBuf};

/// Marks a folder as made by newsdigest, so a later build may replace it.
pub const MARKER: &str = ".newsdigest";

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("refusing to use {path} as the output folder: {reason}")]
    Refused { path: PathBuf, reason: String },
    #[error("{path}: cannot {op}: {source}")]
    Io {
        path: PathBuf,
        op: &'static str,
        source: std::io::Error,
    },
    #[error("refusing to write {path:?}: not a plain relative path inside the output folder")]
    BadPath { path: String },
}

fn io<'a>(path: &'a Path, op: &'static str) -> impl FnOnce(std::io::Error) -> OutputError + 'a {
    move |source| OutputError::Io {
        path: path.to_path_buf(),
        op,
        source,
    }
}

/// What a write did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteStats {
    pub files: usize,
    pub bytes: u64,
}

/// Checks that `output` may be (re)placed: not `/`, not the home folder, not the content
/// folder or a folder that contains it or lies inside it, and either absent, empty, or
/// carrying our marker.
pub fn check_output_dir(output: &Path, content: &Path) -> Result<(), OutputError> {
    let refuse = |reason: &str| OutputError::Refused {
        path: output.to_path_buf(),
        reason: reason.into(),
    };
    let out_abs = absolute(output);
    let content_abs = absolute(content);
    if out_abs.parent().is_none() {
        return Err(refuse("it is the file-system root"));
    }
    if let Some(home) = std::env::var_os("HOME").map(PathBuf::from)
        && absolute(&home) == out_abs
    {
        return Err(refuse("it is the home folder"));
    }
    if content_abs.starts_with(&out_abs) {
        return Err(refuse("it is or contains the content folder"));
    }
    if out_abs.starts_with(&content_abs) {
        return Err(refuse("it is inside the content folder"));
    }
    if out_abs.is_dir() && !out_abs.join(MARKER).exists() {
        let empty = std::fs::read_dir(&out_abs)
            .map_err(io(&out_abs, "list"))?
            .next()
            .is_none();
        if !empty {
            return Err(refuse(&format!(
                "it is a non-empty folder that newsdigest did not create (no {MARKER} marker); \
                 empty it or choose another --output"
            )));
        }
    } else if out_abs.exists() && !out_abs.is_dir() {
        return Err(refuse("it exists and is not a folder"));
    }
    Ok(())
}

/// Canonical where the path exists; otherwise the canonical parent joined with the name, so
/// that `output` and `./output` compare equal before the folder is made.
fn absolute(p: &Path) -> PathBuf {
    if let Ok(c) = p.canonicalize() {
        return c;
    }
    let abs = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    };
    match (abs.parent(), abs.file_name()) {
        (Some(parent), Some(name)) => absolute(parent).join(name),
        _ => abs,
    }
}

/// A rendered path is written only if it is relative and plain: no `..`, no root, no
/// backslash or NUL, no empty segment.
pub fn validate_rel(path: &str) -> Result<&Path, OutputError> {
    let p = Path::new(path);
    let plain = !path.is_empty()
        && !path.contains(['\\', '\0'])
        && !path
            .split('/')
            .any(|s| s.is_empty() || s == "." || s == "..")
        && p.components().all(|c| matches!(c, Component::Normal(_)));
    if plain {
        Ok(p)
    } else {
        Err(OutputError::BadPath { path: path.into() })
    }
}

/// Writes `files` as the new content of `output`, atomically replacing what was there.
pub fn write_site(
    output: &Path,
    content: &Path,
    files: &[Rendered],
) -> Result<WriteStats, OutputError> {
    check_output_dir(output, content)?;
    for f in files {
        validate_rel(&f.path)?;
    }
    let out_abs = absolute(output);
    let parent = out_abs.parent().map(Path::to_path_buf).unwrap_or_default();
    let name = out_abs
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    std::fs::create_dir_all(&parent).map_err(io(&parent, "create folder"))?;
    let staging = parent.join(format!(".{name}.newsdigest-staging"));
    let old = parent.join(format!(".{name}.newsdigest-old"));
    for stale in [&staging, &old] {
        if stale.exists() {
            std::fs::remove_dir_all(stale).map_err(io(stale, "remove stale folder"))?;
        }
    }
    std::fs::create_dir_all(&staging).map_err(io(&staging, "create staging folder"))?;

    let result = write_all(&staging, files);
    let stats = match result {
        Ok(s) => s,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(e);
        }
    };
    std::fs::write(
        staging.join(MARKER),
        b"made by newsdigest; safe to delete with this folder\n",
    )
    .map_err(io(&staging, "write marker"))?;

    if out_abs.exists() {
        std::fs::rename(&out_abs, &old).map_err(io(&out_abs, "move aside"))?;
    }
    std::fs::rename(&staging, &out_abs).map_err(io(&out_abs, "swap in"))?;
    if old.exists() {
        std::fs::remove_dir_all(&old).map_err(io(&old, "remove previous output"))?;
    }
    Ok(stats)
}

fn write_all(root: &Path, files: &[Rendered]) -> Result<WriteStats, OutputError> {
    let mut dirs: Vec<PathBuf> = files
        .iter()
        .filter_map(|f| Path::new(&f.path).parent().map(|p| root.join(p)))
        .collect();
    dirs.sort();
    dirs.dedup();
    for d in &dirs {
        std::fs::create_dir_all(d).map_err(io(d, "create folder"))?;
    }
    files.par_iter().try_for_each(|f| {
        let path = root.join(&f.path);
        std::fs::write(&path, &f.bytes).map_err(io(&path, "write"))
    })?;
    Ok(WriteStats {
        files: files.len(),
        bytes: files.iter().map(|f| f.bytes.len() as u64).sum(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, s: &str) -> Rendered {
        Rendered {
            path: path.into(),
            bytes: s.as_bytes().to_vec(),
        }
    }

    #[test]
    fn rejects_paths_that_leave_the_folder() {
        for bad in [
            "../x",
            "/etc/passwd",
            "a/../../b",
            "a\\..\\b",
            "a\0b",
            "",
            "a//b",
            "./a",
        ] {
            assert!(validate_rel(bad).is_err(), "{bad:?}");
        }
        assert!(validate_rel("2026/02/05/slug/index.html").is_ok());
    }

    #[test]
    fn writes_and_replaces_atomically() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        std::fs::create_dir(&content).unwrap();
        let out = dir.path().join("output");
        write_site(
            &out,
            &content,
            &[file("a/index.html", "one"), file("gone.html", "x")],
        )
        .unwrap();
        assert!(out.join(MARKER).exists());
        write_site(&out, &content, &[file("a/index.html", "two")]).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "two"
        );
        assert!(!out.join("gone.html").exists());
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers.len(), 2, "{leftovers:?}");
    }

    #[test]
    fn refuses_dangerous_output_folders() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        std::fs::create_dir(&content).unwrap();
        assert!(check_output_dir(&content, &content).is_err());
        assert!(check_output_dir(dir.path(), &content).is_err());
        assert!(check_output_dir(&content.join("out"), &content).is_err());
        assert!(check_output_dir(Path::new("/"), &content).is_err());
        let foreign = dir.path().join("docs");
        std::fs::create_dir(&foreign).unwrap();
        std::fs::write(foreign.join("keep.txt"), "mine").unwrap();
        let e = write_site(&foreign, &content, &[file("index.html", "x")]).unwrap_err();
        assert!(e.to_string().contains("did not create"));
        assert_eq!(
            std::fs::read_to_string(foreign.join("keep.txt")).unwrap(),
            "mine"
        );
    }

    #[test]
    fn bad_path_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        std::fs::create_dir(&content).unwrap();
        let out = dir.path().join("output");
        assert!(write_site(&out, &content, &[file("../evil", "x")]).is_err());
        assert!(!dir.path().join("evil").exists());
        assert!(!out.exists());
    }
}
