//! The I/O floor of a build: how long this machine takes just to read every byte a build reads
//! and to write the files a build writes, with no parsing or rendering at all. A full build
//! cannot be faster than this; `bench/compare.sh` reports newsdigest's ratio to it.
//!
//! ```text
//! cargo run --release --example io_floor -- --content SITE/content --output SITE/output --scratch DIR
//! ```
//!
//! 1. **Read**: walks `--content` and reads every file in it, on as many threads as there are
//!    cores (rayon's default), as newsdigest's parse stage does.
//! 2. **Write**: takes the shape of the built `--output` folder (its folders, and the number
//!    and sizes of its files; this survey is not timed) and recreates it in the fresh folder
//!    `--scratch`: creates the folders, then writes files of the same sizes in parallel. Like
//!    newsdigest (`src/output.rs`) it never calls `fsync`: both leave flushing to the kernel.
//!    The folder is deleted afterwards (not timed) unless `--keep`.
//!
//! Prints `key=value` lines on stdout (seconds with millisecond precision) for scripts.
//!
//! An example rather than a `[[bench]]`: it needs arguments (folders made by the benchmark
//! script), and a `harness = false` bench would also run, argument-less, under every plain
//! `cargo bench`.

use rayon::prelude::*;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

struct Args {
    content: PathBuf,
    output: PathBuf,
    scratch: PathBuf,
    keep: bool,
}

const USAGE: &str = "usage: io_floor --content DIR --output DIR --scratch NEW_DIR [--keep]\n\
     Times reading every file under --content and writing a copy of --output's shape \
     (folders, file count and sizes) into the new folder --scratch.";

fn parse_args() -> Result<Args, String> {
    let mut content = None;
    let mut output = None;
    let mut scratch = None;
    let mut keep = false;
    let mut it = std::env::args_os().skip(1);
    while let Some(a) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .map(PathBuf::from)
                .ok_or_else(|| format!("{name} needs a folder\n{USAGE}"))
        };
        match a.to_str() {
            Some("--content") => content = Some(value("--content")?),
            Some("--output") => output = Some(value("--output")?),
            Some("--scratch") => scratch = Some(value("--scratch")?),
            Some("--keep") => keep = true,
            Some("-h" | "--help") => return Err(USAGE.into()),
            _ => return Err(format!("unknown argument {a:?}\n{USAGE}")),
        }
    }
    match (content, output, scratch) {
        (Some(content), Some(output), Some(scratch)) => Ok(Args {
            content,
            output,
            scratch,
            keep,
        }),
        _ => Err(USAGE.into()),
    }
}

fn io_err(path: &Path, op: &str) -> impl FnOnce(std::io::Error) -> String {
    let path = path.display().to_string();
    let op = op.to_string();
    move |e| format!("{path}: cannot {op}: {e}")
}

/// Every regular file below `dir` (symlinks not followed, as newsdigest follows none out of
/// the content folder).
fn regular_files(dir: &Path) -> Result<Vec<walkdir::DirEntry>, String> {
    let mut out = Vec::new();
    for e in walkdir::WalkDir::new(dir) {
        let e = e.map_err(|e| format!("{}: cannot walk: {e}", dir.display()))?;
        if e.file_type().is_file() {
            out.push(e);
        }
    }
    Ok(out)
}

struct ReadStats {
    files: usize,
    bytes: u64,
    seconds: f64,
}

/// Walks `content` and reads every file, in parallel. Timed from the start of the walk.
fn read_all(content: &Path) -> Result<ReadStats, String> {
    let start = Instant::now();
    let files = regular_files(content)?;
    let bytes = files
        .par_iter()
        .map(|e| {
            std::fs::read(e.path())
                .map(|b| b.len() as u64)
                .map_err(io_err(e.path(), "read"))
        })
        .try_reduce(|| 0, |a, b| Ok(a + b))?;
    Ok(ReadStats {
        files: files.len(),
        bytes,
        seconds: start.elapsed().as_secs_f64(),
    })
}

/// The shape of a built site: its folders and its files' sizes, relative to its root.
struct Shape {
    dirs: Vec<PathBuf>,
    files: Vec<(PathBuf, usize)>,
}

fn survey(output: &Path) -> Result<Shape, String> {
    let mut dirs = Vec::new();
    let mut files = Vec::new();
    for e in walkdir::WalkDir::new(output).min_depth(1) {
        let e = e.map_err(|e| format!("{}: cannot walk: {e}", output.display()))?;
        let rel = e
            .path()
            .strip_prefix(output)
            .map_err(|e| e.to_string())?
            .to_path_buf();
        if e.file_type().is_dir() {
            dirs.push(rel);
        } else if e.file_type().is_file() {
            let len = e.metadata().map_err(|e| e.to_string())?.len();
            files.push((rel, usize::try_from(len).map_err(|e| e.to_string())?));
        }
    }
    Ok(Shape { dirs, files })
}

struct WriteStats {
    files: usize,
    dirs: usize,
    bytes: u64,
    seconds: f64,
}

/// Recreates `shape` in the new folder `scratch`: folders first, then every file in parallel,
/// each created new and written in one call, as newsdigest's output stage does.
fn write_all(shape: &Shape, scratch: &Path) -> Result<WriteStats, String> {
    let largest = shape.files.iter().map(|f| f.1).max().unwrap_or(0);
    // Text-like bytes (not zeros), so no file system can store them as a hole.
    let filler: Vec<u8> = b"<p>the quick brown fox jumps over the lazy dog</p>\n"
        .iter()
        .copied()
        .cycle()
        .take(largest)
        .collect();
    let start = Instant::now();
    std::fs::create_dir(scratch).map_err(io_err(scratch, "create"))?;
    for d in &shape.dirs {
        let p = scratch.join(d);
        std::fs::create_dir_all(&p).map_err(io_err(&p, "create folder"))?;
    }
    let bytes = shape
        .files
        .par_iter()
        .map(|(rel, len)| -> Result<u64, String> {
            let p = scratch.join(rel);
            let mut f = std::fs::File::options()
                .write(true)
                .create_new(true)
                .open(&p)
                .map_err(io_err(&p, "create"))?;
            f.write_all(&filler[..*len]).map_err(io_err(&p, "write"))?;
            Ok(*len as u64)
        })
        .try_reduce(|| 0, |a, b| Ok(a + b))?;
    Ok(WriteStats {
        files: shape.files.len(),
        dirs: shape.dirs.len(),
        bytes,
        seconds: start.elapsed().as_secs_f64(),
    })
}

fn run(args: &Args) -> Result<(), String> {
    if args.scratch.exists() {
        return Err(format!(
            "{} already exists; the write side needs a fresh folder",
            args.scratch.display()
        ));
    }
    let shape = survey(&args.output)?;
    if shape.files.is_empty() {
        return Err(format!(
            "{} has no files: give a built site",
            args.output.display()
        ));
    }
    let read = read_all(&args.content)?;
    let written = write_all(&shape, &args.scratch);
    if !args.keep {
        // Also after a failed write: never leave a half copy of a site behind.
        let _ = std::fs::remove_dir_all(&args.scratch);
    }
    let written = written?;
    println!("threads={}", rayon::current_num_threads());
    println!("read_files={}", read.files);
    println!("read_bytes={}", read.bytes);
    println!("read_seconds={:.3}", read.seconds);
    println!("write_files={}", written.files);
    println!("write_dirs={}", written.dirs);
    println!("write_bytes={}", written.bytes);
    println!("write_seconds={:.3}", written.seconds);
    println!("floor_seconds={:.3}", read.seconds + written.seconds);
    Ok(())
}

fn main() -> ExitCode {
    match parse_args().and_then(|a| run(&a)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("io_floor: {e}");
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_the_shape_and_reads_every_byte() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        std::fs::create_dir_all(content.join("2026-01-05")).unwrap();
        std::fs::write(content.join("2026-01-05/000_a.txt"), "abc").unwrap();
        std::fs::write(content.join("top.txt"), "hello").unwrap();
        let out = dir.path().join("out");
        std::fs::create_dir_all(out.join("a/b")).unwrap();
        std::fs::create_dir_all(out.join("empty")).unwrap();
        std::fs::write(out.join("index.html"), vec![b'x'; 1000]).unwrap();
        std::fs::write(out.join("a/b/index.html"), "").unwrap();

        let read = read_all(&content).unwrap();
        assert_eq!((read.files, read.bytes), (2, 8));

        let shape = survey(&out).unwrap();
        let scratch = dir.path().join("scratch");
        let w = write_all(&shape, &scratch).unwrap();
        assert_eq!((w.files, w.dirs, w.bytes), (2, 3, 1000));
        assert_eq!(
            std::fs::metadata(scratch.join("index.html")).unwrap().len(),
            1000
        );
        assert_eq!(
            std::fs::metadata(scratch.join("a/b/index.html"))
                .unwrap()
                .len(),
            0
        );
        assert!(scratch.join("empty").is_dir());
        // A second run into the same folder is refused, never mixed.
        assert!(write_all(&shape, &scratch).is_err());
    }
}
