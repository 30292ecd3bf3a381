//! What a second hardening pass found: a tampered build cache, two builds of one site at once,
//! leftovers of killed builds, a read-only output folder (as an unprivileged user, since root
//! ignores permissions), and the messages a user sees when the site itself is wrong.

use crate::common::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A site made by `newsdigest init` in a temp folder: (the temp folder, the site).
fn init_site() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    let o = newsdigest(tmp.path(), &["init", "site"]);
    assert!(o.status.success(), "{}", stderr(&o));
    (tmp, site)
}

/// Every file under `dir` with its bytes, the marker left out.
fn contents(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    files(dir)
        .into_iter()
        .filter(|f| f != ".newsdigest")
        .map(|f| {
            let bytes = std::fs::read(dir.join(&f)).unwrap();
            (f, bytes)
        })
        .collect()
}

fn assert_built(o: &Output) {
    assert!(o.status.success(), "build failed: {}", stderr(o));
}

fn cache_dir(site: &Path) -> PathBuf {
    site.join(".newsdigest-cache/v1")
}

#[test]
fn a_tampered_cache_record_is_recomputed_with_a_warning() {
    let (_tmp, site) = init_site();
    assert_built(&newsdigest(&site, &["build"]));
    let table = cache_dir(&site).join("parse.bin");
    let mut bytes = std::fs::read(&table).unwrap();
    // A decodable edit: the same length, a word's case flipped wherever it is (20 at most).
    let mut flipped = 0;
    let mut i = 0;
    while let Some(at) = bytes[i..].windows(8).position(|w| w == b"Meridian") {
        bytes[i + at..i + at + 8].copy_from_slice(b"MERIDIAN");
        i += at + 8;
        flipped += 1;
        if flipped == 20 {
            break;
        }
    }
    assert!(flipped > 0, "the sample site mentions Meridian");
    std::fs::write(&table, &bytes).unwrap();

    let o = newsdigest(&site, &["build"]);
    assert_built(&o);
    let err = stderr(&o);
    let line = err
        .lines()
        .find(|l| l.contains("checksum"))
        .unwrap_or_else(|| panic!("no checksum warning: {err}"));
    assert!(line.contains("warning"), "{line}");
    assert_eq!(line.matches("parse.bin").count(), 1, "{line}");
    let reference = newsdigest(&site, &["build", "--no-cache", "--output", "fresh"]);
    assert_built(&reference);
    let (built, fresh) = (
        contents(&site.join("output")),
        contents(&site.join("fresh")),
    );
    assert_eq!(
        built.keys().collect::<Vec<_>>(),
        fresh.keys().collect::<Vec<_>>()
    );
    let differ: Vec<&String> = built.keys().filter(|k| built[*k] != fresh[*k]).collect();
    assert!(
        differ.is_empty(),
        "differ from a --no-cache build: {differ:?}"
    );
    assert!(!String::from_utf8_lossy(&built["index.html"]).contains("MERIDIAN"));

    // The cache was saved sound again: the next build warns no more.
    let o = newsdigest(&site, &["build"]);
    assert!(!stderr(&o).contains("checksum"), "{}", stderr(&o));
}

/// Takes the site's build lock the way a build does (an advisory lock on the lock file,
/// holding this process's pid).
fn hold_lock(site: &Path) -> std::fs::File {
    use std::io::Write;
    let path = site.join(".newsdigest-cache/lock");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let mut f = std::fs::File::options()
        .read(true)
        .write(true)
        .create(true)
        .truncate(true)
        .open(&path)
        .unwrap();
    f.try_lock().unwrap();
    write!(f, "{}", std::process::id()).unwrap();
    f
}

#[test]
fn a_build_waits_while_another_holds_the_site_or_refuses_with_no_wait() {
    use std::io::BufRead;
    let (_tmp, site) = init_site();
    let lock = hold_lock(&site);
    let o = newsdigest(&site, &["build", "--no-wait"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        format!(
            "error: another build of this site is running (pid {}); wait for it to finish, or \
             stop it\n",
            std::process::id()
        )
    );
    assert!(!site.join("output").exists(), "nothing written");

    let mut child = Command::new(env!("CARGO_BIN_EXE_newsdigest"))
        .current_dir(&site)
        .arg("build")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut err = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut first = String::new();
    err.read_line(&mut first).unwrap();
    assert_eq!(
        first,
        format!(
            "Waiting for another build of this site (pid {}) to finish…\n",
            std::process::id()
        )
    );
    assert!(
        !site.join("output").exists(),
        "nothing written while waiting"
    );
    drop(lock);
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut err, &mut rest).unwrap();
    assert!(child.wait().unwrap().success(), "{rest}");
    assert!(site.join("output/index.html").is_file());
}

#[test]
fn two_builds_at_once_never_trip_over_each_other() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    std::fs::create_dir(&site).unwrap();
    std::fs::write(site.join("site.yaml"), "title: Race\n").unwrap();
    // Large enough that two builds started together overlap.
    let o = newsdigest(&site, &["generate", "--count", "150", "--out", "content"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_built(&newsdigest(
        &site,
        &["build", "--no-cache", "--output", "reference"],
    ));
    let reference = contents(&site.join("reference"));
    let spawn = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_newsdigest"))
            .current_dir(&site)
            .arg("build")
            .args(args)
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    // Waiting (the default): both build, one after the other.
    for round in 0..2 {
        let (a, b) = (spawn(&["--quiet"]), spawn(&["--quiet"]));
        for o in [a.wait_with_output().unwrap(), b.wait_with_output().unwrap()] {
            let err = stderr(&o);
            assert!(o.status.success(), "round {round}: {err}");
            assert!(
                err.is_empty() || err.starts_with("Waiting for another build of this site (pid "),
                "round {round}: {err}"
            );
        }
        assert_eq!(contents(&site.join("output")), reference, "round {round}");
        assert!(!site.join(".output.newsdigest-staging").exists());
    }
    // Refusing: one may be turned away, naming the other; neither fails any other way.
    let mut refused = 0;
    for round in 0..3 {
        let (a, b) = (
            spawn(&["--quiet", "--no-wait"]),
            spawn(&["--quiet", "--no-wait"]),
        );
        let pids = [a.id(), b.id()];
        let outs = [a.wait_with_output().unwrap(), b.wait_with_output().unwrap()];
        let mut built = 0;
        for (i, o) in outs.iter().enumerate() {
            if o.status.success() {
                built += 1;
                continue;
            }
            let other = pids[1 - i];
            assert_eq!(
                stderr(o),
                format!(
                    "error: another build of this site is running (pid {other}); wait for it to \
                     finish, or stop it\n"
                ),
                "round {round}"
            );
            refused += 1;
        }
        assert!(built >= 1, "round {round}: neither built");
        assert_eq!(contents(&site.join("output")), reference, "round {round}");
    }
    eprintln!("{refused} of 6 --no-wait builds were refused because the other held the lock");
}

#[test]
fn leftover_temp_files_in_the_cache_are_removed_by_the_next_build() {
    let (_tmp, site) = init_site();
    assert_built(&newsdigest(&site, &["build"]));
    let v1 = cache_dir(&site);
    let leftovers = [v1.join("parse.tmp424242"), v1.join("render.tmp7")];
    for l in &leftovers {
        std::fs::write(l, b"half a table").unwrap();
    }
    // A build that does not get the lock leaves them: they may be another build's.
    let lock = hold_lock(&site);
    assert!(!newsdigest(&site, &["build", "--no-wait"]).status.success());
    assert!(leftovers.iter().all(|l| l.exists()));
    drop(lock);
    assert_built(&newsdigest(&site, &["build"]));
    for l in &leftovers {
        assert!(!l.exists(), "{} is still there", l.display());
    }
    assert!(v1.join("parse.bin").is_file() && v1.join("render.bin").is_file());
}

/// How to run the binary as an unprivileged user: nothing to add when this is not root, else
/// `setpriv` to `nobody`. `None` (and a printed reason) when root has no way to drop.
fn unprivileged() -> Option<Vec<String>> {
    let uid = Command::new("id").arg("-u").output().ok()?;
    if String::from_utf8_lossy(&uid.stdout).trim() != "0" {
        return Some(Vec::new());
    }
    let prefix: Vec<String> = [
        "setpriv",
        "--reuid=65534",
        "--regid=65534",
        "--clear-groups",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let works = Command::new(&prefix[0])
        .args(&prefix[1..])
        .arg("true")
        .status()
        .is_ok_and(|s| s.success());
    if !works {
        eprintln!(
            "SKIPPED: running as root and `setpriv` cannot drop to uid 65534, so permissions \
             cannot be tested"
        );
        return None;
    }
    Some(prefix)
}

fn run_as(prefix: &[String], cwd: &Path, args: &[&str]) -> Output {
    let mut cmd = match prefix.split_first() {
        Some((tool, rest)) => {
            let mut c = Command::new(tool);
            c.args(rest).arg(env!("CARGO_BIN_EXE_newsdigest"));
            c
        }
        None => Command::new(env!("CARGO_BIN_EXE_newsdigest")),
    };
    cmd.current_dir(cwd).args(args).output().unwrap()
}

fn chmod(p: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// A site the unprivileged user owns, in a folder it can reach.
fn site_for(prefix: &[String]) -> (tempfile::TempDir, PathBuf) {
    let (tmp, site) = init_site();
    if !prefix.is_empty() {
        chmod(tmp.path(), 0o755);
        let o = Command::new("chown")
            .args(["-R", "65534:65534"])
            .arg(&site)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    (tmp, site)
}

#[test]
fn a_read_only_output_folder_is_refused_up_front_and_nothing_is_left_behind() {
    let Some(prefix) = unprivileged() else { return };
    let (_tmp, site) = site_for(&prefix);
    assert_built(&run_as(&prefix, &site, &["build"]));
    let out = site.join("output");
    let before = contents(&out);
    chmod(&out, 0o555);
    let o = run_as(&prefix, &site, &["build"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.starts_with("error: refusing to use "), "{err}");
    assert!(
        err.contains("read-only") && err.contains("chmod -R u+w"),
        "{err}"
    );
    assert_eq!(contents(&out), before, "the output is as it was");
    assert!(
        !site.join(".output.newsdigest-staging").exists(),
        "no staging folder"
    );
    // Once writable again, builds go on as before.
    chmod(&out, 0o755);
    assert_built(&run_as(&prefix, &site, &["build"]));
    assert_built(&run_as(&prefix, &site, &["build"]));
}

#[test]
fn read_only_folders_in_leftovers_are_still_deleted() {
    let Some(prefix) = unprivileged() else { return };
    let (_tmp, site) = site_for(&prefix);
    // A staging folder left by a build that died, holding the old output with a folder made
    // read-only (what an earlier version left after swapping out a read-only output).
    assert_built(&run_as(&prefix, &site, &["build"]));
    let staging = site.join(".output.newsdigest-staging");
    let o = run_as(
        &prefix,
        &site,
        &["build", "--output", ".output.newsdigest-staging"],
    );
    assert_built(&o);
    let stale_static = staging.join("static");
    chmod(&stale_static, 0o555);
    chmod(&staging, 0o555);
    let o = run_as(&prefix, &site, &["build"]);
    assert_built(&o);
    assert!(!staging.exists(), "the stale staging folder is gone");
    // A subfolder of the output made read-only: the swapped-out copy is deleted all the same,
    // so retired copies never pile up.
    chmod(&site.join("output/static"), 0o555);
    for _ in 0..4 {
        assert_built(&run_as(&prefix, &site, &["build"]));
    }
    let old = site.join(".output.newsdigest-old");
    let retired = std::fs::read_dir(&old).map(|d| d.count()).unwrap_or(0);
    assert!(retired <= 2, "{retired} retired outputs kept");
}

#[test]
fn messages_name_the_file_once_and_say_what_to_do() {
    let (tmp, site) = init_site();
    // A missing content folder: "error:" once, the folder named, what to do.
    let o = newsdigest(&site, &["build", "--content", "nope"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        "error: nope: the content folder does not exist; create it and put the dumps in it, \
         set content_dir in site.yaml (or pass --content), or run `newsdigest init DIR` to \
         create a site\n"
    );
    // A missing root is named as the root, and not created.
    let missing = tmp.path().join("no-such-site");
    let o = newsdigest(tmp.path(), &["build", "--root", "no-such-site"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        "error: no-such-site: the site root does not exist or is not a folder; run `newsdigest \
         init no-such-site` to create a site there, or pass the folder holding site.yaml as \
         --root\n"
    );
    assert!(!missing.exists());
    // A value that is out of range names its line.
    let yaml = std::fs::read_to_string(site.join("site.yaml")).unwrap();
    let line = yaml
        .lines()
        .position(|l| l.starts_with("per_page:"))
        .unwrap()
        + 1;
    std::fs::write(
        site.join("site.yaml"),
        yaml.replace("per_page: 20", "per_page: 0"),
    )
    .unwrap();
    let o = newsdigest(&site, &["build"]);
    assert_eq!(
        stderr(&o),
        format!("error: ./site.yaml:{line}: key `per_page`: must be at least 1\n")
    );
    std::fs::write(site.join("site.yaml"), &yaml).unwrap();
    // A cache that cannot be saved: its path once, and what to do.
    std::fs::create_dir_all(site.join(".newsdigest-cache")).unwrap();
    std::fs::write(site.join(".newsdigest-cache/v1"), b"not a folder").unwrap();
    let o = newsdigest(&site, &["build"]);
    assert_built(&o);
    let err = stderr(&o);
    let line = err
        .lines()
        .find(|l| l.contains("build cache"))
        .unwrap_or_else(|| panic!("no cache warning: {err}"));
    assert_eq!(line.matches(".newsdigest-cache/v1").count(), 1, "{line}");
    assert!(
        line.contains("warning: cannot create the build cache"),
        "{line}"
    );
    std::fs::remove_file(site.join(".newsdigest-cache/v1")).unwrap();
    // A template that includes itself names its file.
    let t = site.join("templates");
    std::fs::create_dir_all(&t).unwrap();
    std::fs::write(t.join("loop.html"), "{% include \"loop.html\" %}\n").unwrap();
    let o = newsdigest(&site, &["build"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.starts_with(
            "error: templates/loop.html: template error in loop.html: includes itself through \
             loop.html -> loop.html"
        ),
        "{err}"
    );
    assert_eq!(err.matches("error").count(), 2, "{err}");
}
