//! Byte-identical rebuilds: the same content, theme and config give the same bytes, whatever
//! order the file system lists the files in, whatever the site folder is called, with one
//! thread or two, from a warm cache or a cold one (both first builds run with an empty
//! cache); precompressed twins included.

use crate::common::*;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Copies every file of `from` into `to` in the given order of relative paths, creating
/// folders as they come: the file system then lists them in that (creation) order.
fn copy_in_order(from: &Path, to: &Path, order: &[String]) {
    for rel in order {
        let target = to.join(rel);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(from.join(rel), &target).unwrap();
    }
}

fn build_with_threads(site: &Path, threads: &str, extra: &[&str]) {
    let o = Command::new(env!("CARGO_BIN_EXE_newsdigest"))
        .current_dir(site)
        .env("RAYON_NUM_THREADS", threads)
        .arg("build")
        .arg("--quiet")
        .args(extra)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
}

/// A deterministic shuffle (no randomness in tests): interleaves from both ends.
fn shuffled(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    let mut out = Vec::with_capacity(v.len());
    let (mut i, mut j) = (0, v.len());
    while i < j {
        j -= 1;
        out.push(v[j].clone());
        if i < j {
            out.push(v[i].clone());
            i += 1;
        }
    }
    out
}

fn site(tmp: &Path, name: &str, src: &Path, order: &[String]) -> PathBuf {
    let site = tmp.join(name);
    copy_in_order(src, &site.join("content"), order);
    std::fs::write(
        site.join("site.yaml"),
        "title: Reproducible\nbase_url: https://example.org/digest/\ntimezone: Europe/Berlin\ncompress: true\n",
    )
    .unwrap();
    site
}

#[test]
fn same_input_same_bytes_whatever_the_order_threads_or_cache() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    generate(&src, 40, 3);
    // The bundled sample adds Markdown articles, front matter and other days.
    for f in files(&repo_root().join("content")) {
        let to = src.join(&f);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(repo_root().join("content").join(&f), to).unwrap();
    }
    let sorted: Vec<String> = files(&src).into_iter().collect();
    let mut reversed = sorted.clone();
    reversed.reverse();

    let a = site(tmp.path(), "site-a", &src, &sorted);
    let b = site(tmp.path(), "another-name-b", &src, &shuffled(reversed));
    build_with_threads(&a, "1", &[]);
    build_with_threads(&b, "2", &[]);
    let (out_a, out_b) = (a.join("output"), b.join("output"));
    let snap = snapshot(&out_a);
    assert!(snap.len() > 300, "{} files", snap.len());
    let diff = differing(&snap, &snapshot(&out_b));
    assert!(diff.is_empty(), "files differ: {diff:?}");

    // Precompressed twins exist and are part of what is identical.
    let twins = snap.keys().filter(|f| f.ends_with(".br")).count();
    assert!(twins > 80, "{twins} .br files");
    assert!(snap.contains_key("index.html.gz"));

    // From a warm cache (every page comes from it), into a fresh folder: the same bytes.
    std::fs::remove_dir_all(&out_b).unwrap();
    build_with_threads(&b, "2", &[]);
    assert!(differing(&snap, &snapshot(&out_b)).is_empty());

    // And the result checks clean: every twin decompresses to its original.
    let o = newsdigest(&a, &["check"]);
    assert!(
        o.status.success(),
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        stderr(&o)
    );
}
