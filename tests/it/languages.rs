//! A site in another language: `language: de` turns the theme's strings and every date on the
//! built pages German, `strings:` in `site.yaml` overrides single strings, and the `date`
//! filter formats ISO dates in templates.

use crate::common;

use crate::common::{copy_dir, newsdigest, read, repo_root, stderr};
use std::path::Path;

fn german_site(root: &Path) {
    copy_dir(&repo_root().join("content"), &root.join("content"));
    std::fs::write(
        root.join("site.yaml"),
        "title: Kestria Nachrichten\nbase_url: https://digest.example.org/\nlanguage: de\n\
         timezone: Europe/Berlin\nstrings:\n  top_stories: Das Wichtigste\n",
    )
    .unwrap();
    // A theme template of the site using the date filter on ISO values.
    std::fs::create_dir_all(root.join("templates")).unwrap();
    std::fs::write(
        root.join("templates/404.html"),
        "{% extends \"base.html\" %}{% block content %}\
         <p id=long>{{ \"2026-11-23\" | date }}</p>\
         <p id=short>{{ \"2026-11-23T11:59:00+01:00\" | date(format=\"short\") }}</p>\
         <p id=own>{{ \"2026-11-23\" | date(format=\"{weekday}, {dd}.{mm}.\") }}</p>\
         <p id=month>{{ \"2026-11-23\" | date(format=\"month\") }}</p>\
         {% endblock content %}",
    )
    .unwrap();
    let o = newsdigest(root, &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
}

#[test]
fn a_german_site_speaks_german_on_every_page() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    german_site(root);
    let out = root.join("output");

    let front = read(&out.join("index.html"));
    assert!(front.contains("<html lang=\"de\">"));
    for german in [
        "Zum Inhalt springen",
        ">Titelseite</a>",
        ">Archiv</a>",
        ">Schlagzeilen</a>",
        ">Themen</a>",
        ">Suche</a>",
        // The site's own string replaces the built-in "Top-Meldungen".
        ">Das Wichtigste</h2>",
        ">Weitere Meldungen</h2>",
        "Min. Lesezeit",
        "Titelseiten",
        "Frühere Ausgaben",
        "Montag, 23. November 2026",
        "10 Meldungen",
    ] {
        assert!(front.contains(german), "front page lacks {german:?}");
    }
    for english in [
        "Top stories",
        "Top-Meldungen",
        "More stories",
        "min read",
        "Monday 23 November",
        "Front page",
        "front pages",
        "Skip to main content",
    ] {
        assert!(
            !front.contains(english),
            "front page still says {english:?}"
        );
    }

    let day = read(&out.join("2026/11/22/index.html"));
    assert!(day.contains("<title>Sonntag, 22. November 2026 · Kestria Nachrichten</title>"));
    assert!(day.contains("Tagesausgabe"));
    assert!(day.contains("Weitere Meldungen dieses Tages"));
    assert!(day.contains("Älter"), "older-day link in German");
    assert!(!day.contains("Sunday 22 November"));

    let article = common::files(&out)
        .into_iter()
        .find(|f| f.starts_with("2026/11/23/") && f.ends_with("/index.html") && f.len() > 25)
        .expect("an article of 23 November");
    let article = read(&out.join(article));
    assert!(article.contains("Ausgabe vom"), "kicker in German");
    assert!(article.contains("Nr. 1 von 10") || article.contains(" von 10</span>"));
    assert!(article.contains("23. Nov 2026"), "short date in German");
    assert!(article.contains("Wörter"));
    assert!(!article.contains(" words<") && !article.contains("min read"));

    let archive = read(&out.join("archive/index.html"));
    assert!(archive.contains("<title>Archiv · Kestria Nachrichten</title>"));
    assert!(archive.contains("Alle Ausgaben"));
    assert!(archive.contains("Tagesausgaben"), "{archive}");
    assert!(archive.contains("Sonntag, 22. November 2026"));

    let search = read(&out.join("search/index.html"));
    assert!(search.contains("Die Ausgaben durchsuchen"));
    assert!(search.contains("data-text-none=\"Keine Artikel zu „{q}“.\""));

    // Day feeds name their day in the site's language too.
    let feed = read(&out.join("2026/11/22/feed.xml"));
    assert!(feed.contains("Kestria Nachrichten: Sonntag, 22. November 2026"));

    let not_found = read(&out.join("404.html"));
    assert!(not_found.contains("<p id=long>Montag, 23. November 2026</p>"));
    assert!(not_found.contains("<p id=short>23. Nov 2026</p>"));
    assert!(not_found.contains("<p id=own>Montag, 23.11.</p>"));
    assert!(not_found.contains("<p id=month>November 2026</p>"));
}

#[test]
fn an_unknown_string_key_is_an_error_naming_it() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::create_dir(root.join("content")).unwrap();
    std::fs::write(
        root.join("site.yaml"),
        "language: fr\nstrings:\n  top_storys: À la une\n",
    )
    .unwrap();
    let o = newsdigest(root, &["build"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("site.yaml:3"), "{err}");
    assert!(err.contains("top_storys"), "{err}");
    assert!(!root.join("output").exists());
}

#[test]
fn a_bad_value_for_the_date_filter_names_the_template() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    copy_dir(&repo_root().join("content"), &root.join("content"));
    std::fs::create_dir_all(root.join("templates")).unwrap();
    std::fs::write(
        root.join("templates/404.html"),
        "{% extends \"base.html\" %}{% block content %}{{ \"23 Nov\" | date }}{% endblock content %}",
    )
    .unwrap();
    let o = newsdigest(root, &["build"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("templates/404.html"), "{err}");
    assert!(err.contains("date filter"), "{err}");
    assert!(!root.join("output").exists());
}

#[test]
fn changing_a_string_or_the_language_rebuilds_the_pages_showing_it() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    copy_dir(&repo_root().join("content"), &root.join("content"));
    let build = |yaml: &str| {
        std::fs::write(root.join("site.yaml"), yaml).unwrap();
        let o = newsdigest(root, &["build"]);
        assert!(o.status.success(), "{}", stderr(&o));
        read(&root.join("output/index.html"))
    };
    assert!(build("language: en\n").contains(">Top stories</h2>"));
    // Both rebuilds use the build cache of the one before.
    let front = build("language: en\nstrings:\n  top_stories: Leading\n");
    assert!(
        front.contains(">Leading</h2>"),
        "an overridden string shows"
    );
    let front = build("language: fr\n");
    assert!(front.contains(">À la une</h2>"), "a new language shows");
    assert!(front.contains("lundi 23 novembre 2026"), "with its dates");
}
