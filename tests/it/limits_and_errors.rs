//! Limits from `site.yaml`, untrusted-HTML switches, and the errors a user sees when the
//! site itself is broken: each names the file, line, key or operation, with the exit codes
//! of DESIGN.md section 5 (0 built, 1 could not build or errors under --strict, 2 usage).

use crate::common::*;
use std::path::Path;

fn site(yaml: &str, files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("site.yaml"), yaml).unwrap();
    std::fs::create_dir(tmp.path().join("content")).unwrap();
    for (rel, bytes) in files {
        let p = tmp.path().join("content").join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
    tmp
}

fn build(dir: &Path, extra: &[&str]) -> (std::process::Output, serde_json::Value) {
    let mut args = vec!["build", "--report", "report.json"];
    args.extend_from_slice(extra);
    let o = newsdigest(dir, &args);
    let report = std::fs::read_to_string(dir.join("report.json"))
        .map(|t| serde_json::from_str(&t).unwrap())
        .unwrap_or(serde_json::Value::Null);
    (o, report)
}

fn status_of<'a>(report: &'a serde_json::Value, path: &str) -> &'a serde_json::Value {
    report["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == path)
        .unwrap_or_else(|| panic!("{path} not in the report"))
}

#[test]
fn a_ten_megabyte_dump_builds_with_the_default_limits() {
    let para = "The harbour authority said on Monday that traffic rose again. ";
    let mut text = String::new();
    let mut n = 0;
    while text.len() < 10 * 1024 * 1024 {
        text.push_str(&format!("{n}: {}\n", para.repeat(20)));
        n += 1;
    }
    text.push_str("LAST-PARAGRAPH here.\n");
    let tmp = site(
        "",
        &[("2026-01-02/000_00000000000000aa.txt", text.as_bytes())],
    );
    let (o, report) = build(tmp.path(), &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        status_of(&report, "2026-01-02/000_00000000000000aa.txt")["status"],
        "built"
    );
    let slug = &status_of(&report, "2026-01-02/000_00000000000000aa.txt")["urls"][0];
    let page = read(
        &tmp.path()
            .join("output")
            .join(slug.as_str().unwrap().trim_start_matches('/'))
            .join("index.html"),
    );
    assert!(page.contains("<p>LAST-PARAGRAPH here.</p>"));
    assert_eq!(page.matches("<p>").count(), n + 1);
}

#[test]
fn max_file_size_and_depth_come_from_site_yaml() {
    let big = vec![b'x'; 2000];
    let tmp = site(
        "limits:\n  max_file_size: 1 KB\n  max_depth: 2\n",
        &[
            ("2026-01-02/000_00000000000000aa.txt", big.as_slice()),
            ("2026-01-02/001_00000000000000bb.txt", b"Small enough.\n"),
            ("2026-01-02/a/too-deep.txt", b"Never read.\n"),
        ],
    );
    let (o, report) = build(tmp.path(), &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let big = status_of(&report, "2026-01-02/000_00000000000000aa.txt");
    assert_eq!(big["status"], "skipped");
    assert_eq!(
        big["reason"],
        "file is 2000 bytes, over the limit of 1000 bytes (limits.max_file_size); skipped"
    );
    assert_eq!(
        status_of(&report, "2026-01-02/001_00000000000000bb.txt")["status"],
        "built"
    );
    assert_eq!(status_of(&report, "2026-01-02/a")["status"], "skipped");
    assert!(
        stderr(&o)
            .contains("content/2026-01-02/000_00000000000000aa.txt: error: file is 2000 bytes")
    );
}

const RAW_HTML_MD: &[u8] =
    b"---\ntitle: Raw\n---\nHello <span onclick=\"x()\">span</span> <em>em</em>.\n\n<script>s()</script>\n";

#[test]
fn markdown_html_is_sanitised_unless_the_site_trusts_it() {
    let tmp = site("", &[("2026-01-02/raw.md", RAW_HTML_MD)]);
    let (o, _) = build(tmp.path(), &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let page = read(&tmp.path().join("output/2026/01/02/raw/index.html"));
    assert!(
        page.contains("Hello <span>span</span> <em>em</em>."),
        "{page}"
    );
    assert!(!page.contains("onclick") && !page.contains("s()"), "{page}");

    let tmp = site(
        "trusted_html: true\n",
        &[("2026-01-02/raw.md", RAW_HTML_MD)],
    );
    let (o, _) = build(tmp.path(), &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let page = read(&tmp.path().join("output/2026/01/02/raw/index.html"));
    assert!(page.contains("<span onclick=\"x()\">span</span>"), "{page}");
    assert!(page.contains("<script>s()</script>"), "{page}");
}

#[test]
fn front_matter_links_accept_only_safe_schemes() {
    let tmp = site(
        "",
        &[
            (
                "2026-01-02/a.txt",
                b"---\ntitle: A\nsource: Reuters\nurl: https://example.org/a\n---\nBody of A (distinct texts, or they merge as duplicates).\n",
            ),
            (
                "2026-01-02/b.txt",
                b"---\ntitle: B\nsource: https://example.org/feed\n---\nBody of B (distinct texts, or they merge as duplicates).\n",
            ),
            (
                "2026-01-02/c.txt",
                b"---\ntitle: C\nurl: \"  JaVa\\tScRiPt:alert(1)\"\n---\nBody of C (distinct texts, or they merge as duplicates).\n",
            ),
            (
                "2026-01-02/d.txt",
                b"---\ntitle: D\nurl: data:text/html;base64,PHNjcmlwdD4=\n---\nBody of D (distinct texts, or they merge as duplicates).\n",
            ),
            (
                "2026-01-02/e.txt",
                b"---\ntitle: E\nurl: /local/page/\n---\nBody of E (distinct texts, or they merge as duplicates).\n",
            ),
            (
                "2026-01-02/f.txt",
                b"---\ntitle: F\nurl: mailto:desk@example.org\n---\nBody of F (distinct texts, or they merge as duplicates).\n",
            ),
        ],
    );
    let (o, _) = build(tmp.path(), &[]);
    let err = stderr(&o);
    let out = tmp.path().join("output/2026/01/02");
    let hrefs = |slug: &str| -> Vec<String> {
        tags(&read(&out.join(slug).join("index.html")))
            .into_iter()
            .filter(|(n, _)| n == "a")
            .flat_map(|(_, a)| a.into_iter().filter(|(k, _)| k == "href").map(|(_, v)| v))
            .collect()
    };
    assert!(hrefs("a").contains(&"https://example.org/a".to_string()));
    assert!(hrefs("b").contains(&"https://example.org/feed".to_string()));
    assert!(hrefs("e").contains(&"/local/page/".to_string()));
    assert!(hrefs("f").contains(&"mailto:desk@example.org".to_string()));
    for slug in ["c", "d"] {
        assert!(
            hrefs(slug)
                .iter()
                .all(|h| newsdigest::safety::is_safe_url(h)),
            "{:?}",
            hrefs(slug)
        );
    }
    assert!(
        err.contains("content/2026-01-02/c.txt:3: warning: front matter: `url`"),
        "{err}"
    );
    assert!(err.contains("content/2026-01-02/d.txt:3: warning: front matter: `url` \"data:text/html;base64,PHNjcmlwdD4=\" is not an http, https, mailto or relative URL; dropped"), "{err}");
}

#[test]
fn template_errors_name_the_template_line_and_variable() {
    // An undefined variable in a site override.
    let tmp = site("", &[("2026-01-02/a.txt", b"Body.\n")]);
    std::fs::create_dir(tmp.path().join("templates")).unwrap();
    std::fs::write(
        tmp.path().join("templates/day.html"),
        "{% extends \"base.html\" %}\n{% block content %}\n<p>{{ day.human }}</p>\n<p>{{ nonexistent_thing }}</p>\n{% endblock content %}\n",
    )
    .unwrap();
    let (o, _) = build(tmp.path(), &[]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.starts_with("error: templates/day.html:4:7: template error in day.html: Variable `nonexistent_thing` is not defined"),
        "{err}"
    );
    assert!(
        err.contains("while rendering 2026/01/02/index.html"),
        "{err}"
    );
    assert!(
        !tmp.path().join("output").exists(),
        "a failed build writes nothing"
    );

    // A syntax error in a theme's template, found before any content is read.
    let tmp = site("theme: night\n", &[("2026-01-02/a.txt", b"Body.\n")]);
    let t = tmp.path().join("themes/night/templates");
    std::fs::create_dir_all(&t).unwrap();
    std::fs::write(t.join("404.html"), "{% extends \"base.html\" %}\n{% block content %}\n{{ page.title | no_such_filter }}\n{% endblock content %}\n").unwrap();
    let (o, _) = build(tmp.path(), &[]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.starts_with("error: themes/night/templates/404.html:3:"),
        "{err}"
    );
    assert!(err.contains("no_such_filter"), "{err}");

    // A broken block structure in an override of the built-in base template.
    let tmp = site("", &[("2026-01-02/a.txt", b"Body.\n")]);
    std::fs::create_dir(tmp.path().join("templates")).unwrap();
    std::fs::write(
        tmp.path().join("templates/base.html"),
        "<html>\n{% block content %}\n{% if x %}\n{% endblock content %}\n",
    )
    .unwrap();
    let (o, _) = build(tmp.path(), &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).starts_with("error: templates/base.html:"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn config_errors_name_the_key() {
    for (yaml, needle) in [
        (
            "title: t\nlimits:\n  max_depth: many\n",
            "site.yaml:3: limits.max_depth: invalid type",
        ),
        (
            "limits:\n  max_file_sise: 3\n",
            "site.yaml:2: limits: unknown field `max_file_sise`",
        ),
        (
            "limits:\n  max_file_size: 3 parsecs\n",
            "site.yaml:2: limits.max_file_size: unknown size unit",
        ),
        (
            "limits:\n  max_depth: 0\n",
            "site.yaml:2: key `limits.max_depth`: must be between 1 and 256",
        ),
        (
            "trusted_html: sometimes\n",
            "site.yaml:1: trusted_html: invalid type",
        ),
        (
            "theme: ../../etc\n",
            "key `theme`: \"../../etc\" is not a valid theme name",
        ),
        ("front: [[[[\n", "site.yaml:1:"),
    ] {
        let tmp = site(yaml, &[]);
        let (o, _) = build(tmp.path(), &[]);
        assert_eq!(o.status.code(), Some(1), "{yaml}");
        assert!(stderr(&o).contains(needle), "{yaml}: {}", stderr(&o));
    }
}

#[test]
fn theme_names_cannot_leave_the_themes_folder() {
    let tmp = site("", &[("2026-01-02/a.txt", b"Body.\n")]);
    for theme in [
        "../evil", "/etc", "%2e%2e", "a\\b", "..", "CON", "nul", "Night", "a/b",
    ] {
        let (o, _) = build(tmp.path(), &["--theme", theme]);
        assert_eq!(o.status.code(), Some(1), "{theme}");
        assert!(
            stderr(&o).contains("key `theme`"),
            "{theme}: {}",
            stderr(&o)
        );
    }
    assert!(!tmp.path().join("output").exists());
}

#[test]
fn output_folders_that_would_destroy_something_are_refused() {
    let tmp = site("", &[("2026-01-02/a.txt", b"Body.\n")]);
    for out in ["/", "content", "content/out", ".", ".."] {
        let (o, _) = build(tmp.path(), &["--output", out]);
        assert_eq!(o.status.code(), Some(1), "{out}");
        assert!(
            stderr(&o).contains("refusing to use"),
            "{out}: {}",
            stderr(&o)
        );
    }
    assert_eq!(
        std::fs::read_dir(tmp.path().join("content"))
            .unwrap()
            .count(),
        1
    );
}

#[test]
fn io_errors_name_the_path_and_the_operation() {
    let tmp = site("", &[("2026-01-02/a.txt", b"Body.\n")]);
    std::fs::create_dir(tmp.path().join("somedir")).unwrap();
    let o = newsdigest(tmp.path(), &["build", "--report", "somedir"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).starts_with("error: somedir: cannot write report:"),
        "{}",
        stderr(&o)
    );

    std::fs::write(tmp.path().join("not-a-folder"), "x").unwrap();
    let o = newsdigest(tmp.path(), &["build", "--content", "not-a-folder"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).starts_with("error: not-a-folder: the content folder is a file, not a folder"),
        "{}",
        stderr(&o)
    );

    let o = newsdigest(tmp.path(), &["build", "--output", "not-a-folder"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("not-a-folder as the output folder: it exists and is not a folder"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn exit_codes_follow_the_design() {
    let tmp = site(
        "",
        &[
            ("2026-01-02/a.txt", b"Body.\n"),
            ("2026-02-30/b.txt", b"Body.\n"),
        ],
    );
    assert_eq!(newsdigest(tmp.path(), &["build"]).status.code(), Some(0));
    assert_eq!(
        newsdigest(tmp.path(), &["build", "--strict"]).status.code(),
        Some(1)
    );
    for usage in [
        &["build", "--no-such-flag"][..],
        &[][..],
        &["frobnicate"][..],
        &["build", "--report"][..],
        &["build", "--quiet", "--verbose"][..],
    ] {
        let o = newsdigest(tmp.path(), usage);
        assert_eq!(o.status.code(), Some(2), "{usage:?}: {}", stderr(&o));
    }
}
