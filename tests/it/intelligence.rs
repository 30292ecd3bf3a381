//! The digest's editorial layer end to end, through the real binary: titles recovered from
//! headline lists, headline links, duplicates merged and reported, front-matter overrides,
//! "Top stories", "New today", "Also received as" and "Related coverage" on the built pages.

use crate::common::*;
use std::path::Path;

const CRANE: &str = "A container crane collapsed at the Northgate harbour terminal on Tuesday morning, injuring two dock workers and halting all cargo operations at the port.\n\
The harbour authority said the 60-metre crane buckled while lifting a container from the freighter Ostrava shortly after 7 a.m. Both injured workers were taken to hospital with broken bones.\n\
Investigators from the labour inspectorate arrived at the terminal by midday, and the port's operator said cargo handling would not resume before Thursday.";

const LIBRARY: &str = "The city library on Queen's Square will open around the clock from January, the first public library in the country to do so, the culture department said on Tuesday.\n\
Visitors will use their library cards to enter between 10 p.m. and 7 a.m., when no staff will be on duty. Security cameras will be installed on every floor.\n\
The trial will run for a year and cost about 400,000 crowns.";

const FERRY: &str = "Ferry services to the island of Marra were suspended on Tuesday after the only vessel on the route failed a safety inspection, stranding hundreds of residents and visitors.\n\
The operator said inspectors had found corrosion in the ship's hull and that it hoped to charter a replacement within a week.";

const CRANE_FOLLOWUP: &str = "Investigators said on Wednesday that a broken cable caused the container crane collapse at the Northgate harbour terminal, which injured two dock workers.\n\
The labour inspectorate said the crane at Northgate had missed its annual inspection. Cargo handling at the harbour terminal is due to resume on Thursday.";

const TRAM: &str = "The council voted on Wednesday to buy 24 new trams for the city network, replacing vehicles that have been in service since 1986.\n\
The first trams will arrive in 2028. The order is worth 180 million crowns.";

const OTHERS: &[&str] = &[
    "Royal Orchestra Announces Next Season With Six Premieres",
    "Church Synod Elects First Female Bishop",
    "Pop Duo Tops Streaming Charts for Sixth Week",
];

fn list(extra: &[&str]) -> String {
    extra
        .iter()
        .chain(OTHERS)
        .copied()
        .collect::<Vec<_>>()
        .join("\n")
}

fn write(root: &Path, rel: &str, bytes: impl AsRef<[u8]>) {
    let p = root.join("content").join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, bytes).unwrap();
}

/// The fixture site: see each file's comment.
fn site(root: &Path) {
    // Readers see where a story came from only when the site asks for it.
    std::fs::write(root.join("site.yaml"), "show_provenance: true\n").unwrap();
    // Body-only: the title is recovered from the other dumps' lists.
    write(
        root,
        "2026-04-01/000_aaaaaaaaaaaaaaaa.txt",
        format!(
            "{CRANE}\n\n\n{}\n",
            list(&["City Library to Open Around the Clock From January"])
        ),
    );
    write(
        root,
        "2026-04-01/001_bbbbbbbbbbbbbbbb.txt",
        format!(
            "{LIBRARY}\n\n\n{}\n",
            list(&[
                "Crane Collapse Injures Two and Halts Northgate Harbour",
                "Ferry Route to Marra Suspended After Failed Inspection",
            ])
        ),
    );
    // Titled by its first line.
    write(
        root,
        "2026-04-01/002_cccccccccccccccc.txt",
        format!(
            "Council Orders 24 New Trams\n\n{TRAM}\n\n\n{}\n",
            list(&["Crane Collapse Injures Two and Halts Northgate Harbour"])
        ),
    );
    // The same text again a day later, with a BOM and CRLF line endings: an exact duplicate.
    let copy = format!(
        "\u{feff}{CRANE}\n\n\n{}\n",
        list(&["Council Orders 24 New Trams"])
    )
    .replace('\n', "\r\n");
    write(root, "2026-04-02/000_dddddddddddddddd.txt", copy);
    // Same text as the library story, but kept apart by `merge: false`.
    write(
        root,
        "2026-04-02/001_eeeeeeeeeeeeeeee.txt",
        format!("---\nmerge: false\n---\n{LIBRARY}\n"),
    );
    // A different text declared a copy of the tram story.
    write(
        root,
        "2026-04-02/002_ffffffffffffffff.txt",
        "---\nduplicate_of: 2026-04-01/002_cccccccccccccccc.txt\n---\nThe city is buying two dozen new trams, the council said.\n",
    );
    // Its headline is listed, but `recover_title: false` keeps the derived title.
    write(
        root,
        "2026-04-02/003_1111111111111111.txt",
        format!("---\nrecover_title: false\n---\n{FERRY}\n"),
    );
    // A Markdown article known in the lists by another name (`aliases`).
    write(
        root,
        "2026-04-02/analysis.md",
        "---\ntitle: \"Analysis: What the Crane Collapse Tells Us\"\naliases: [\"Why Northgate's Cranes Keep Failing\"]\n---\nA look at the *crane* inspection regime at Northgate harbour terminal.\n",
    );
    // A follow-up on the crane story: related coverage, not a duplicate.
    write(
        root,
        "2026-04-03/000_2222222222222222.txt",
        format!(
            "{CRANE_FOLLOWUP}\n\n\n{}\n",
            list(&[
                "Why Northgate's Cranes Keep Failing",
                "Crane Collapse Injures Two and Halts Northgate Harbour",
            ])
        ),
    );
    // `duplicate_of` naming nothing: a warning, and the file is built on its own.
    write(
        root,
        "2026-04-03/001_3333333333333333.txt",
        "---\nduplicate_of: 2026-01-01/nothing.txt\n---\nA short note about the weather on the coast this week, which stayed mild.\n",
    );
}

fn build(root: &Path) -> (serde_json::Value, String) {
    let report = root.join("report.json");
    let o = newsdigest(
        root,
        &["build", "--report", report.to_str().unwrap(), "--verbose"],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    (serde_json::from_str(&read(&report)).unwrap(), stderr(&o))
}

fn file<'a>(report: &'a serde_json::Value, path: &str) -> &'a serde_json::Value {
    report["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == path)
        .unwrap_or_else(|| panic!("{path} not in report"))
}

fn page(root: &Path, url: &serde_json::Value) -> String {
    let url = url.as_str().unwrap().trim_start_matches('/');
    read(&root.join("output").join(url).join("index.html"))
}

#[test]
fn titles_links_and_duplicates_are_reported_and_shown() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    site(root);
    let (report, err) = build(root);

    // Every file is accounted for; merged copies are built, pointing at their article.
    let t = &report["totals"];
    assert_eq!(t["walked"], 10);
    assert_eq!(t["built"], 10, "{report:#}");
    let crane = file(&report, "2026-04-01/000_aaaaaaaaaaaaaaaa.txt");
    assert_eq!(crane["title_source"], "headline-list");
    let crane_url = &crane["urls"][0];
    assert_eq!(
        file(&report, "2026-04-02/000_dddddddddddddddd.txt")["merged_into"],
        *crane_url
    );
    let tram = file(&report, "2026-04-01/002_cccccccccccccccc.txt");
    assert_eq!(tram["title_source"], "first-line");
    assert_eq!(
        file(&report, "2026-04-02/002_ffffffffffffffff.txt")["merged_into"],
        tram["urls"][0]
    );
    // `merge: false` kept the library copy apart.
    let library_copy = file(&report, "2026-04-02/001_eeeeeeeeeeeeeeee.txt");
    assert!(library_copy["merged_into"].is_null());
    assert_eq!(library_copy["urls"].as_array().unwrap().len(), 2);
    assert_eq!(
        file(&report, "2026-04-02/003_1111111111111111.txt")["title_source"],
        "derived"
    );
    assert_eq!(
        file(&report, "2026-04-02/analysis.md")["title_source"],
        "given"
    );
    let merges = report["merges"].as_array().unwrap();
    assert_eq!(merges.len(), 2, "{merges:#?}");
    assert_eq!(merges[0]["kept"], "2026-04-01/000_aaaaaaaaaaaaaaaa.txt");
    assert_eq!(merges[0]["copies"][0]["kind"], "exact");
    assert_eq!(merges[1]["copies"][0]["kind"], "forced");
    assert_eq!(
        report["titles"]["headline_list"], 2,
        "{:#}",
        report["titles"]
    );
    // Two texts claiming one headline: the first received takes it.
    assert_eq!(
        file(&report, "2026-04-01/001_bbbbbbbbbbbbbbbb.txt")["title_source"],
        "headline-list"
    );
    assert_eq!(library_copy["title_source"], "derived");
    assert!(
        err.contains("Duplicates: 2 files merged into 2 articles"),
        "{err}"
    );
    assert!(
        err.contains("2026-04-03/001_3333333333333333.txt: warning: front matter: `duplicate_of`"),
        "{err}"
    );

    // The recovered title is the page's headline; the copy is listed under "Also received as".
    let crane_page = page(root, crane_url);
    assert!(crane_page.contains("Crane Collapse Injures Two and Halts Northgate Harbour</h1>"));
    assert!(crane_page.contains("Also received as"));
    assert!(crane_page.contains("2026-04-02/000_dddddddddddddddd.txt"));
    assert!(crane_page.contains("identical text"));
    // Related coverage: the follow-up and the analysis, newest first.
    let related = &crane_page[pos(&crane_page, "Related coverage")..];
    let follow_up = file(&report, "2026-04-03/000_2222222222222222.txt")["urls"][0]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        related.contains(&format!("href=\"{follow_up}\"")),
        "{related}"
    );

    // Headlines in lists link to the article they name, by recovered title or alias; a
    // headline whose article refused recovery stays plain text.
    let library_page = page(
        root,
        &file(&report, "2026-04-01/001_bbbbbbbbbbbbbbbb.txt")["urls"][0],
    );
    let crane_href = format!("href=\"{}\"", crane_url.as_str().unwrap());
    assert!(library_page.contains(&format!(
        "<a {crane_href} dir=\"auto\">Crane Collapse Injures Two and Halts Northgate Harbour</a>"
    )));
    assert!(library_page.contains(
        "<span class=\"headline-plain\" dir=\"auto\">Ferry Route to Marra Suspended After Failed Inspection</span>"
    ));
    let follow_page = page(root, &serde_json::Value::String(follow_up.clone()));
    let analysis_url = file(&report, "2026-04-02/analysis.md")["urls"][0]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        follow_page.contains(&format!(
            "<a href=\"{analysis_url}\" dir=\"auto\">Why Northgate&#x27;s Cranes Keep Failing</a>"
        )) || follow_page.contains(&format!(
            "<a href=\"{analysis_url}\" dir=\"auto\">Why Northgate&#39;s Cranes Keep Failing</a>"
        )),
        "{follow_page}"
    );

    // The headline index (the page of its letter) links the same way and counts the dumps
    // that carried each headline.
    let index = read(&root.join("output/headlines/c/index.html"));
    assert!(index.contains(&format!(
        "<a {crane_href}>Crane Collapse Injures Two and Halts Northgate Harbour</a>"
    )));

    // Day pages and the front page open with "Top stories"; "New today" lists new headlines.
    let day = read(&root.join("output/2026/04/01/index.html"));
    assert!(day.contains("id=\"top-stories-heading\""));
    let front = read(&root.join("output/index.html"));
    assert!(front.contains("id=\"top-stories-heading\""));
    // First seen on the newest day, naming an article of an earlier day.
    let new_today = &front[pos(&front, "New today")..];
    assert!(
        new_today.contains(&format!("<a href=\"{analysis_url}\" dir=\"auto\">")),
        "{front}"
    );
    let day3 = read(&root.join("output/2026/04/03/index.html"));
    assert!(day3.contains("New this day"));

    let broken = broken_links(&root.join("output"), "/");
    assert!(broken.is_empty(), "{broken:#?}");
}

#[test]
fn top_stories_rank_by_lists_carrying_them_with_two_sentence_briefings() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    // Rank 0 is the library story; the crane story (rank 2) is carried by three lists.
    write(
        root,
        "2026-05-01/000_aaaaaaaaaaaaaaaa.txt",
        format!(
            "Library Goes 24 Hours\n\n{LIBRARY}\n\n\n{}\n",
            list(&["Harbour Crane Collapses"])
        ),
    );
    write(
        root,
        "2026-05-01/001_bbbbbbbbbbbbbbbb.txt",
        format!(
            "Trams Ordered\n\n{TRAM}\n\n\n{}\n",
            list(&["Harbour Crane Collapses"])
        ),
    );
    write(
        root,
        "2026-05-01/002_cccccccccccccccc.txt",
        format!("Harbour Crane Collapses\n\n{CRANE}\n"),
    );
    write(
        root,
        "2026-05-01/003_dddddddddddddddd.txt",
        format!(
            "Marra Ferry Halted\n\n{FERRY}\n\n\n{}\n",
            list(&["Harbour Crane Collapses"])
        ),
    );
    let (_, _) = build(root);
    let day = read(&root.join("output/2026/05/01/index.html"));
    let start = pos(&day, "id=\"top-stories-heading\"");
    let top = &day[start..start + day[start..].find("</section>").unwrap()];
    // 3 lists + 2 rank points beats 0 lists + 4 rank points.
    assert!(pos(top, "Harbour Crane Collapses") < pos(top, "Library Goes 24 Hours"));
    assert!(top.contains("on 3 front pages"), "{top}");
    // The briefing: the first sentence is long enough to stand alone, cut at no word.
    assert!(
        top.contains("injuring two dock workers and halting all cargo operations at the port.</p>")
    );
}
