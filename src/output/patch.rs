//! In-place updates of an output folder described by a trusted [`Manifest`]: a rebuild's cost
//! in the output is then the files that changed, not the site. Unchanged files are neither read
//! back nor touched (same inode, same modification time); no folder is made again.
//!
//! The update is journaled, so a build killed at any instant leaves either the previous output
//! or the new one once newsdigest runs again:
//!
//! 1. every new or changed file is written into the staging folder beside `output/` (as
//!    numbered blobs) — killed here, the staging folder is stale and the output untouched;
//! 2. the journal (every removal and every blob's destination, and the new manifest) is written
//!    there and renamed into place: this rename is the commit;
//! 3. removals, then one `rename` per blob into the output (each file replaced atomically);
//! 4. the new manifest is saved and the staging folder deleted.
//!
//! A build that finds a committed journal ([`replay`]) completes steps 3 and 4 before anything
//! else; every step can be done twice. Readers of the folder during step 3 (a web server) may
//! see some files new and some old for that moment, as with any in-place deploy; the staging
//! swap of a full build ([`super::Staged`]) is used when no manifest can be trusted.

use super::manifest::{self, Manifest, Print};
use super::{OutputError, Tally, WriteOptions, compress, io};
use crate::render::Rendered;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

const JOURNAL: &str = "journal";
const BLOBS: &str = "blobs";

/// One change to the output folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
enum Op {
    /// Blob number `blob` of the staging folder becomes the file `rel`.
    Put { rel: String, blob: u32 },
    /// The file `rel` is no longer produced.
    Remove { rel: String },
}

#[derive(Serialize, Deserialize)]
struct Journal {
    ops: Vec<Op>,
    manifest: Manifest,
}

/// An update being staged.
pub struct Patch {
    out: PathBuf,
    staging: PathBuf,
    old: Manifest,
    /// Which files of `old` (by their place in it) the new output has as they are. Their
    /// entries move into the new manifest at [`Patch::finish`]: a rebuild that keeps almost
    /// every file holds each path once, not in an old and a new manifest both.
    kept: Vec<bool>,
    /// The files this build writes (new or changed), with their prints.
    written: Vec<(String, Print)>,
    compress: bool,
    puts: Vec<Op>,
    next_blob: AtomicU32,
    tally: Tally,
}

/// One file's verdict: unchanged, or written into these blobs.
#[derive(Default)]
struct Placed {
    /// Files of the old manifest, by their place in it, that stay as they are.
    kept: Vec<usize>,
    /// Files written, with their prints.
    prints: Vec<(String, Print)>,
    puts: Vec<Op>,
    tally: Tally,
}

impl Patch {
    /// Starts an update of `out` (described by `old`) through `staging`, which must not exist.
    pub fn begin(
        out: &Path,
        staging: &Path,
        old: Manifest,
        opts: WriteOptions,
    ) -> Result<Patch, OutputError> {
        let blobs = staging.join(BLOBS);
        std::fs::create_dir_all(&blobs).map_err(io(&blobs, "create staging folder"))?;
        Ok(Patch {
            out: out.to_path_buf(),
            staging: staging.to_path_buf(),
            kept: vec![false; old.len()],
            old,
            written: Vec::new(),
            compress: opts.compress,
            puts: Vec::new(),
            next_blob: AtomicU32::new(0),
            tally: Tally::default(),
        })
    }

    /// Stages a batch: each file is compared with the manifest by its print, and only a new or
    /// changed one (with its compressed twins) is written.
    pub fn add(&mut self, files: &[Rendered]) -> Result<(), OutputError> {
        let placed: Vec<Placed> = files
            .par_iter()
            .map(|f| self.place(f))
            .collect::<Result<_, _>>()?;
        for p in placed {
            self.settle(p);
        }
        Ok(())
    }

    fn settle(&mut self, p: Placed) {
        for i in p.kept {
            if let Some(k) = self.kept.get_mut(i) {
                *k = true;
            }
        }
        self.written.extend(p.prints);
        self.puts.extend(p.puts);
        self.tally = std::mem::take(&mut self.tally).add(p.tally);
    }

    /// Whether the output holds `rel` with bytes of `print`.
    pub fn holds(&self, rel: &str, print: Print) -> bool {
        self.old.get(rel) == Some(print)
    }

    /// Stages files the output holds as they are ([`Patch::holds`]).
    pub fn keep(&mut self, files: &[super::Kept]) {
        for f in files {
            let p = self.unchanged(f.path(), f.print, f.size() as usize);
            self.settle(p);
        }
    }

    /// An unchanged file and its compressed twins, which were made from the same bytes by
    /// the same build: unchanged too.
    fn unchanged(&self, rel: &str, print: Print, len: usize) -> Placed {
        let mut placed = Placed::default();
        match self.old.position(rel) {
            Some(i) => placed.kept.push(i),
            // Not held after all (never so for a file [`Patch::holds`]): recorded as it is.
            None => placed.prints.push((rel.to_string(), print)),
        }
        placed.tally.unchanged += 1;
        if self.compress && compress::eligible(rel, len) {
            for enc in compress::Encoding::ALL {
                let twin = format!("{rel}{}", enc.suffix());
                if let Some(i) = self.old.position(&twin) {
                    placed.kept.push(i);
                    placed.tally.unchanged += 1;
                    placed.tally.compressed += 1;
                }
            }
        }
        placed
    }

    fn place(&self, f: &Rendered) -> Result<Placed, OutputError> {
        let print = Print::of(&f.bytes);
        if self.holds(&f.path, print) {
            return Ok(self.unchanged(&f.path, print, f.bytes.len()));
        }
        let mut placed = Placed {
            prints: vec![(f.path.clone(), print)],
            ..Placed::default()
        };
        let twins = self.compress && compress::eligible(&f.path, f.bytes.len());
        self.stage(&f.path, &f.bytes, &mut placed)?;
        if twins {
            for enc in compress::Encoding::ALL {
                let twin = format!("{}{}", f.path, enc.suffix());
                let z = enc
                    .compress(&f.bytes)
                    .map_err(io(&self.staging.join(&twin), "compress"))?;
                if z.len() < f.bytes.len() {
                    placed.prints.push((twin.clone(), Print::of(&z)));
                    self.stage(&twin, &z, &mut placed)?;
                    placed.tally.compressed += 1;
                }
            }
        }
        Ok(placed)
    }

    fn stage(&self, rel: &str, bytes: &[u8], placed: &mut Placed) -> Result<(), OutputError> {
        let blob = self.next_blob.fetch_add(1, Ordering::Relaxed);
        super::write_new(&blob_path(&self.staging, blob), bytes)?;
        placed.puts.push(Op::Put {
            rel: rel.to_string(),
            blob,
        });
        placed.tally.written += 1;
        placed.tally.bytes_written += bytes.len() as u64;
        placed.tally.changed.push(rel.to_string());
        Ok(())
    }

    /// Commits the journal and applies it. Returns the tally: files in the new output
    /// (`written + unchanged`), what was written, and every changed or removed path.
    pub(super) fn finish(self) -> Result<(Tally, usize), OutputError> {
        let kept = self.kept.iter().filter(|k| **k).count();
        let mut files = Vec::with_capacity(self.written.len() + kept);
        files.extend(self.written);
        let mut removed = Vec::new();
        for ((rel, print), kept) in self.old.into_files().into_iter().zip(self.kept) {
            if kept {
                files.push((rel, print));
            } else {
                removed.push(rel);
            }
        }
        // A path written this build that the old output also had is replaced, not removed.
        // (Sorted already: the old manifest is.)
        let manifest = Manifest::new(self.compress, files);
        removed.retain(|rel| manifest.position(rel).is_none());
        let mut ops: Vec<Op> = removed
            .iter()
            .map(|rel| Op::Remove { rel: rel.clone() })
            .collect();
        ops.extend(self.puts);
        let journal = Journal { ops, manifest };
        commit(&self.staging, &journal)?;
        apply(&self.out, &self.staging, &journal)?;
        let mut tally = self.tally;
        let n_removed = removed.len();
        tally.changed.extend(removed);
        Ok((tally, n_removed))
    }
}

fn blob_path(staging: &Path, blob: u32) -> PathBuf {
    staging.join(BLOBS).join(blob.to_string())
}

/// Writes the journal under a temporary name and renames it into place: the commit point.
fn commit(staging: &Path, journal: &Journal) -> Result<(), OutputError> {
    let path = staging.join(JOURNAL);
    let tmp = staging.join(format!("{JOURNAL}.tmp"));
    manifest::write_encoded(&tmp, journal).map_err(io(&tmp, "write"))?;
    std::fs::rename(&tmp, &path).map_err(io(&path, "commit"))
}

/// Completes an update that a killed build committed but did not finish. Returns whether there
/// was one. A staging folder without a complete journal is left for the caller to delete.
pub fn replay(out: &Path, staging: &Path) -> Result<bool, OutputError> {
    let Ok(bytes) = std::fs::read(staging.join(JOURNAL)) else {
        return Ok(false);
    };
    let Some(journal) = manifest::decode::<Journal>(&bytes) else {
        return Ok(false);
    };
    apply(out, staging, &journal)?;
    Ok(true)
}

/// Steps 3 and 4: removals first (a path that was a folder may now be a file), then the blobs.
/// A blob already moved (a replay) is skipped.
fn apply(out: &Path, staging: &Path, journal: &Journal) -> Result<(), OutputError> {
    journal.ops.par_iter().try_for_each(|op| match op {
        Op::Remove { rel } => remove(out, rel),
        Op::Put { .. } => Ok(()),
    })?;
    journal.ops.par_iter().try_for_each(|op| match op {
        Op::Put { rel, blob } => put(out, &blob_path(staging, *blob), rel),
        Op::Remove { .. } => Ok(()),
    })?;
    manifest::save(out, &journal.manifest).map_err(io(out, "save the manifest of"))?;
    super::remove_tree(staging).map_err(io(staging, "remove staging folder"))
}

fn remove(out: &Path, rel: &str) -> Result<(), OutputError> {
    let path = out.join(super::validate_rel(rel)?);
    match std::fs::remove_file(&path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(io(&path, "remove")(e)),
        _ => {}
    }
    // Folders left empty go too, as they would in a full build; a folder still holding
    // something refuses, which ends the climb.
    let mut dir = path.parent();
    while let Some(d) = dir.filter(|d| *d != out) {
        if std::fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
    Ok(())
}

fn put(out: &Path, blob: &Path, rel: &str) -> Result<(), OutputError> {
    let target = out.join(super::validate_rel(rel)?);
    if blob.symlink_metadata().is_err() {
        return Ok(());
    }
    if let Err(e) = std::fs::rename(blob, &target) {
        if e.kind() != std::io::ErrorKind::NotFound {
            return Err(io(&target, "replace")(e));
        }
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(io(parent, "create folder"))?;
        }
        std::fs::rename(blob, &target).map_err(io(&target, "replace"))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::tests::file;

    /// An output folder as a build leaves it: the marker, the files, the manifest.
    fn built(files: &[Rendered]) -> (tempfile::TempDir, PathBuf, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        std::fs::create_dir(&out).unwrap();
        std::fs::write(out.join(super::super::MARKER), "m").unwrap();
        let mut prints = Vec::new();
        for f in files {
            let p = out.join(&f.path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, &f.bytes).unwrap();
            prints.push((f.path.clone(), Print::of(&f.bytes)));
        }
        manifest::save(&out, &Manifest::new(false, prints)).unwrap();
        let (staging, _) = super::super::siblings(&out);
        (dir, out, staging)
    }

    /// A patch of `out` from its manifest, as a build with the cache on starts one.
    fn begin(out: &Path, staging: &Path) -> Patch {
        Patch::begin(
            out,
            staging,
            manifest::load(out).unwrap(),
            WriteOptions::default(),
        )
        .unwrap()
    }

    fn read(p: &Path) -> String {
        std::fs::read_to_string(p).unwrap()
    }

    #[test]
    fn only_changed_files_are_written_and_gone_ones_removed() {
        let (_d, out, staging) = built(&[
            file("a/index.html", "one"),
            file("b/index.html", "same"),
            file("c/deep/index.html", "gone"),
        ]);
        let before = std::fs::metadata(out.join("b/index.html")).unwrap();
        let mut p = begin(&out, &staging);
        p.add(&[
            file("a/index.html", "two"),
            file("b/index.html", "same"),
            file("d/index.html", "new"),
        ])
        .unwrap();
        let (tally, removed) = p.finish().unwrap();
        assert_eq!((tally.written, tally.unchanged, removed), (2, 1, 1));
        assert_eq!(read(&out.join("a/index.html")), "two");
        assert_eq!(read(&out.join("d/index.html")), "new");
        assert!(!out.join("c").exists(), "emptied folders go too");
        let after = std::fs::metadata(out.join("b/index.html")).unwrap();
        assert_eq!(before.modified().unwrap(), after.modified().unwrap());
        assert!(!staging.exists());
        let m = manifest::load(&out).unwrap();
        assert_eq!(m.len(), 3);
        assert_eq!(m.get("a/index.html"), Some(Print::of(b"two")));
        assert_eq!(m.get("b/index.html"), Some(Print::of(b"same")));
        assert_eq!(m.get("c/deep/index.html"), None);
    }

    #[test]
    fn a_committed_journal_is_completed_by_the_next_build() {
        let (_d, out, staging) = built(&[file("a.html", "one"), file("b.html", "old")]);
        let mut p = begin(&out, &staging);
        p.add(&[file("a.html", "two"), file("x/c.html", "new")])
            .unwrap();
        // Killed right after the commit: nothing applied yet.
        let journal = Journal {
            ops: [Op::Remove {
                rel: "b.html".into(),
            }]
            .into_iter()
            .chain(p.puts.clone())
            .collect(),
            manifest: Manifest::new(
                false,
                vec![
                    ("a.html".into(), Print::of(b"two")),
                    ("x/c.html".into(), Print::of(b"new")),
                ],
            ),
        };
        commit(&staging, &journal).unwrap();
        assert_eq!(read(&out.join("a.html")), "one");
        assert!(replay(&out, &staging).unwrap());
        assert_eq!(read(&out.join("a.html")), "two");
        assert_eq!(read(&out.join("x/c.html")), "new");
        assert!(!out.join("b.html").exists());
        assert_eq!(manifest::load(&out).unwrap(), journal.manifest);
        // Nothing left to replay; a second replay of the same journal changes nothing.
        assert!(!replay(&out, &staging).unwrap());
    }

    #[test]
    fn an_uncommitted_stage_is_not_replayed() {
        let (_d, out, staging) = built(&[file("a.html", "one")]);
        let mut p = begin(&out, &staging);
        p.add(&[file("a.html", "two")]).unwrap();
        drop(p);
        assert!(!replay(&out, &staging).unwrap());
        assert_eq!(read(&out.join("a.html")), "one");
    }

    #[test]
    fn a_file_may_become_a_folder_and_back() {
        let (_d, out, staging) = built(&[file("a", "file")]);
        let mut p = begin(&out, &staging);
        p.add(&[file("a/index.html", "page")]).unwrap();
        p.finish().unwrap();
        assert_eq!(read(&out.join("a/index.html")), "page");
        let mut p = begin(&out, &staging);
        p.add(&[file("a", "file again")]).unwrap();
        p.finish().unwrap();
        assert_eq!(read(&out.join("a")), "file again");
    }
}
