//! Measures the digest's reading of a corpus against hand-labelled ground truth:
//! title recovery and headline linking on `tests/fixtures/eval/stories.txt`, and duplicate
//! detection on copies of those stories and of the bundled `content/` (exact copies, encoding
//! and line-ending variants, lightly edited copies, and same-subject stories that must stay
//! apart). Prints precision and recall (`cargo test --test it intelligence_eval:: -- --nocapture`)
//! and asserts precision ≥ 0.95 and recall ≥ 0.85.

use crate::common;

use newsdigest::digest::Digest;
use newsdigest::ingest::TitleSource;
use newsdigest::{BuildOptions, Config, Overrides};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;

const PRECISION_FLOOR: f64 = 0.95;
const RECALL_FLOOR: f64 = 0.85;
const DAYS: usize = 6;
const LIST_LEN: usize = 16;

#[derive(Debug, Clone, Default)]
struct Story {
    headline: String,
    /// Appears in other dumps' lists.
    listed: bool,
    /// The dump gives its headline as its first line.
    title_line: bool,
    alt: Option<String>,
    near_misses: Vec<String>,
    paragraphs: Vec<String>,
}

fn parse_stories() -> (Vec<Story>, Vec<String>) {
    let text = common::read(&common::repo_root().join("tests/fixtures/eval/stories.txt"));
    let (stories_text, filler_text) = text.split_once("# filler").unwrap();
    let mut stories = Vec::new();
    for block in stories_text.split("\n\n") {
        let mut s = Story::default();
        for line in block.lines().map(str::trim).filter(|l| !l.is_empty()) {
            if let Some(h) = line.strip_prefix("^= ") {
                (s.headline, s.listed, s.title_line) = (h.into(), true, true);
            } else if let Some(h) = line.strip_prefix("= ") {
                (s.headline, s.listed) = (h.into(), true);
            } else if let Some(h) = line.strip_prefix("? ") {
                s.headline = h.into();
            } else if let Some(h) = line.strip_prefix("~ ") {
                s.alt = Some(h.into());
            } else if let Some(h) = line.strip_prefix("! ") {
                s.near_misses.push(h.into());
            } else {
                s.paragraphs.push(line.into());
            }
        }
        if !s.headline.is_empty() {
            stories.push(s);
        }
    }
    let fillers = filler_text
        .lines()
        .filter_map(|l| l.trim().strip_prefix("- "))
        .map(String::from)
        .collect();
    (stories, fillers)
}

fn day_dir(d: usize) -> String {
    format!("2026-03-{:02}", 2 + d)
}

fn fnv(s: &str) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for b in s.bytes() {
        h ^= b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}

/// Where story `i`'s dump goes: (day folder, file name).
fn dump_path(i: usize, s: &Story) -> String {
    format!(
        "{}/{:03}_{:016x}.txt",
        day_dir(i % DAYS),
        i / DAYS,
        fnv(&s.headline)
    )
}

/// The headline list of story `i`'s dump: other listed stories' headlines at fixed offsets
/// (every listed story thus appears in several lists, never its own), near misses and
/// fillers. Returns the list and, per entry, the story it names (None for near misses and
/// fillers).
fn headline_list(
    i: usize,
    stories: &[Story],
    near: &[String],
    fillers: &[String],
) -> Vec<(String, Option<usize>)> {
    let n = stories.len();
    let mut out: Vec<(String, Option<usize>)> = Vec::new();
    for (k, off) in [1usize, 2, 3, 5, 8, 13, 21, 34, 55].into_iter().enumerate() {
        let j = (i + off) % n;
        if j == i || !stories[j].listed {
            continue;
        }
        let text = match (&stories[j].alt, k % 2) {
            (Some(alt), 1) => alt.clone(),
            _ => stories[j].headline.clone(),
        };
        out.push((text, Some(j)));
    }
    for k in 0..3 {
        out.push((near[(i * 3 + k) % near.len()].clone(), None));
    }
    let mut f = 0;
    while out.len() < LIST_LEN {
        out.push((fillers[(i * 7 + f) % fillers.len()].clone(), None));
        f += 1;
    }
    // Shuffle deterministically so position says nothing.
    out.sort_by_key(|(t, _)| fnv(&format!("{i}{t}")));
    out
}

fn write(root: &Path, rel: &str, bytes: &[u8]) {
    let p = root.join("content").join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, bytes).unwrap();
}

fn dump_text(s: &Story, list: &[(String, Option<usize>)]) -> String {
    let mut t = String::new();
    if s.title_line {
        t.push_str(&s.headline);
        t.push_str("\n\n");
    }
    for p in &s.paragraphs {
        t.push_str(p);
        t.push('\n');
    }
    t.push_str("\n\n");
    for (h, _) in list {
        t.push_str(h);
        t.push('\n');
    }
    t.push_str("\n\n");
    t
}

fn load(root: &Path) -> Digest {
    let cfg = Config::load(root, &Overrides::default()).unwrap();
    let mut cache = newsdigest::cache::Cache::disabled();
    let (digest, report) =
        newsdigest::build::load(&cfg, &BuildOptions::default(), &mut cache).unwrap();
    assert_eq!(report.errors, 0, "{:?}", report.diagnostics);
    digest
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

#[test]
fn title_recovery_and_headline_linking_precision_and_recall() {
    let (stories, fillers) = parse_stories();
    let listed = stories.iter().filter(|s| s.listed && !s.title_line).count();
    assert!(
        listed >= 60,
        "the set needs 60 listed body-only stories, has {listed}"
    );
    assert!(
        stories
            .iter()
            .any(|s| !s.listed && !s.near_misses.is_empty())
    );
    let near: Vec<String> = stories
        .iter()
        .flat_map(|s| s.near_misses.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();

    let tmp = tempfile::tempdir().unwrap();
    let mut by_path: HashMap<String, usize> = HashMap::new();
    let mut expected_links: Vec<(String, String, Option<usize>)> = Vec::new();
    for (i, s) in stories.iter().enumerate() {
        let path = dump_path(i, s);
        let list = headline_list(i, &stories, &near, &fillers);
        write(tmp.path(), &path, dump_text(s, &list).as_bytes());
        for (h, target) in &list {
            expected_links.push((path.clone(), h.clone(), *target));
        }
        by_path.insert(path, i);
    }
    let d = load(tmp.path());
    assert_eq!(d.articles.len(), stories.len(), "no story may be merged");
    let story_of: Vec<usize> = d
        .articles
        .iter()
        .map(|e| by_path[&common::slash(&e.rel)])
        .collect();

    // Title recovery, over the stories that have no title line.
    let (mut recovered, mut correct, mut should) = (0, 0, 0);
    let mut wrong = Vec::new();
    for (e, &si) in d.articles.iter().zip(&story_of) {
        let s = &stories[si];
        if s.title_line {
            assert_eq!(e.title_source, TitleSource::FirstLine);
            continue;
        }
        if s.listed {
            should += 1;
        }
        if e.title_source == TitleSource::HeadlineList {
            recovered += 1;
            let right =
                s.listed && (e.title == s.headline || s.alt.as_deref() == Some(e.title.as_str()));
            if right {
                correct += 1;
            } else {
                wrong.push(format!("{:?} got {:?}", s.headline, e.title));
            }
        } else if s.listed {
            wrong.push(format!("{:?} not recovered ({:?})", s.headline, e.title));
        }
    }
    let (tp, tr) = (ratio(correct, recovered), ratio(correct, should));
    println!(
        "title recovery: {} stories ({} listed elsewhere, {} listed nowhere); recovered {}, correct {}: precision {:.3}, recall {:.3}",
        stories.iter().filter(|s| !s.title_line).count(),
        should,
        stories.iter().filter(|s| !s.listed).count(),
        recovered,
        correct,
        tp,
        tr
    );
    for w in &wrong {
        println!("  miss: {w}");
    }

    // Headline linking: every entry of every dump's list.
    let entry_of_story: HashMap<usize, usize> =
        story_of.iter().enumerate().map(|(e, &s)| (s, e)).collect();
    let mut actual: HashMap<(String, String), Option<usize>> = HashMap::new();
    for e in &d.articles {
        for h in &e.headlines {
            actual.insert((common::slash(&e.rel), h.text.to_string()), h.article);
        }
    }
    let (mut made, mut right, mut expected) = (0, 0, 0);
    let mut link_wrong = Vec::new();
    for (path, h, target) in &expected_links {
        let got = actual[&(path.clone(), h.clone())];
        let want = target.map(|s| entry_of_story[&s]);
        expected += want.is_some() as usize;
        if let Some(g) = got {
            made += 1;
            if Some(g) == want {
                right += 1;
            } else {
                link_wrong.push(format!("{h:?} linked to {:?}", d.articles[g].title));
            }
        }
    }
    // The headline index: each distinct headline once.
    let (mut idx_made, mut idx_right, mut idx_expected) = (0, 0, 0);
    let truth: HashMap<String, Option<usize>> = expected_links
        .iter()
        .map(|(_, h, t)| (h.clone(), *t))
        .collect();
    for h in &d.headlines {
        let Some(want) = truth.get(&h.text) else {
            continue; // a title of a dump, not a list entry
        };
        let want = want.map(|s| entry_of_story[&s]);
        idx_expected += want.is_some() as usize;
        if let Some(g) = h.article {
            idx_made += 1;
            idx_right += (Some(g) == want) as usize;
        }
    }
    let (lp, lr) = (ratio(right, made), ratio(right, expected));
    let (ip, ir) = (ratio(idx_right, idx_made), ratio(idx_right, idx_expected));
    println!(
        "headline links in lists: {} entries, {expected} name a corpus article; linked {made}, correct {right}: precision {lp:.3}, recall {lr:.3}",
        expected_links.len()
    );
    println!(
        "headline index: {} distinct list headlines, {idx_expected} name a corpus article; linked {idx_made}, correct {idx_right}: precision {ip:.3}, recall {ir:.3}",
        truth.len()
    );
    for w in link_wrong.iter().collect::<BTreeSet<_>>() {
        println!("  wrong link: {w}");
    }
    for (name, p, r) in [
        ("title precision", tp, tr),
        ("list link", lp, lr),
        ("index link", ip, ir),
    ] {
        assert!(p >= PRECISION_FLOOR, "{name}: precision {p:.3}");
        assert!(r >= RECALL_FLOOR, "{name}: recall {r:.3}");
    }
}

/// How a copy is made from its original's text.
#[derive(Debug, Clone, Copy)]
enum Variant {
    Exact,
    BomCrlf,
    CarriageReturns,
    DecomposedAccents,
    StraightQuotes,
    Windows1252,
    ExtraSpaces,
    ParagraphAdded,
    SentenceChanged,
    ParagraphRemoved,
}

const VARIANTS: &[Variant] = &[
    Variant::Exact,
    Variant::BomCrlf,
    Variant::CarriageReturns,
    Variant::DecomposedAccents,
    Variant::StraightQuotes,
    Variant::Windows1252,
    Variant::ExtraSpaces,
    Variant::ParagraphAdded,
    Variant::SentenceChanged,
    Variant::ParagraphRemoved,
];

fn make_variant(v: Variant, body: &[String], list: &str, seed: usize) -> Vec<u8> {
    let mut paras: Vec<String> = body.to_vec();
    match v {
        Variant::ParagraphAdded => paras.insert(
            paras.len().min(2),
            "Officials said a fuller statement would be published later in the week, once all the figures had been checked.".into(),
        ),
        Variant::SentenceChanged => {
            let k = seed % paras.len();
            let p = &paras[k];
            let first = p.find(". ").map(|i| &p[..=i]).unwrap_or(p.as_str());
            paras[k] = p.replacen(first, "A spokesperson declined to comment on the details when asked on the phone.", 1);
        }
        Variant::ParagraphRemoved if paras.len() >= 4 => {
            paras.remove(paras.len() - 1);
        }
        Variant::StraightQuotes => {
            for p in &mut paras {
                *p = p
                    .replace(['\u{201C}', '\u{201D}'], "\"")
                    .replace(['\u{2018}', '\u{2019}'], "'")
                    .replace('\u{2013}', "-");
            }
        }
        Variant::DecomposedAccents => {
            for p in &mut paras {
                *p = p
                    .replace('é', "e\u{301}")
                    .replace('á', "a\u{301}")
                    .replace('ö', "o\u{308}")
                    .replace('ü', "u\u{308}");
            }
        }
        Variant::ExtraSpaces => {
            for p in &mut paras {
                *p = format!("  {}   ", p.replace(". ", ".  "));
            }
        }
        _ => {}
    }
    let text = format!("{}\n\n\n{list}\n", paras.join("\n"));
    match v {
        Variant::BomCrlf => {
            let mut b = vec![0xEF, 0xBB, 0xBF];
            b.extend(text.replace('\n', "\r\n").into_bytes());
            b
        }
        Variant::CarriageReturns => text.replace('\n', "\r").into_bytes(),
        Variant::Windows1252 => text
            .chars()
            .map(|c| match c {
                '\u{2018}' => 0x91,
                '\u{2019}' => 0x92,
                '\u{201C}' => 0x93,
                '\u{201D}' => 0x94,
                '\u{2013}' => 0x96,
                '\u{2014}' => 0x97,
                c if (c as u32) < 0x100 => c as u32 as u8,
                _ => b'?',
            })
            .collect(),
        _ => text.into_bytes(),
    }
}

#[test]
fn duplicate_detection_precision_and_recall() {
    let (stories, _) = parse_stories();
    // Originals: the eval stories and every dump body of the bundled sample content.
    let mut originals: Vec<Vec<String>> = stories.iter().map(|s| s.paragraphs.clone()).collect();
    for f in common::files(&common::repo_root().join("content")) {
        if !f.ends_with(".txt") || f.starts_with("2026-11-22/008_") {
            continue; // that one is itself a copy
        }
        let text = common::read(&common::repo_root().join("content").join(&f));
        let text = text.replace("\r\n", "\n");
        let blocks: Vec<&str> = text
            .split("\n\n")
            .filter(|b| !b.trim().is_empty())
            .collect();
        // Body: the largest block (skips a title line and the headline list).
        let body = blocks.iter().max_by_key(|b| b.len()).unwrap();
        originals.push(body.lines().map(|l| l.trim().to_string()).collect());
    }
    // Same-subject stories that share a wire background paragraph verbatim must not merge.
    let background = "The dispute is the longest in the sector since 2009, when a six-week stoppage shut most of the country's factories and cost the economy an estimated €2 billion.";
    for i in [4usize, 5, 15, 16] {
        originals[i].push(background.into());
    }

    let tmp = tempfile::tempdir().unwrap();
    let list = "Royal Orchestra Announces Next Season With Six Premieres\nChurch Synod Elects First Female Bishop\nWeather Service Upgrades Storm Warning System\nPolice Appeal for Witnesses After Jewellery Raid";
    let mut group_of: HashMap<String, usize> = HashMap::new();
    for (i, body) in originals.iter().enumerate() {
        let path = format!("{}/{:03}_{:016x}.txt", day_dir(i % DAYS), i / DAYS, i);
        write(
            tmp.path(),
            &path,
            format!("{}\n\n\n{list}\n", body.join("\n")).as_bytes(),
        );
        group_of.insert(path, i);
    }
    let mut copies = 0;
    for (i, body) in originals.iter().enumerate().step_by(2) {
        let v = VARIANTS[(i / 2) % VARIANTS.len()];
        let path = format!("2026-03-20/{:03}_{:016x}.txt", copies, 0xC0_0000 + i);
        write(tmp.path(), &path, &make_variant(v, body, list, i));
        group_of.insert(path, i);
        copies += 1;
    }
    let d = load(tmp.path());

    let mut pred_group: HashMap<String, usize> = HashMap::new();
    for (k, e) in d.articles.iter().enumerate() {
        pred_group.insert(common::slash(&e.rel), k);
        for c in &e.copies {
            pred_group.insert(common::slash(&c.rel), k);
        }
    }
    assert_eq!(
        pred_group.len(),
        group_of.len(),
        "every file is accounted for"
    );
    let pairs = |g: &HashMap<String, usize>| -> HashSet<(String, String)> {
        let mut by: HashMap<usize, Vec<&String>> = HashMap::new();
        for (p, &k) in g {
            by.entry(k).or_default().push(p);
        }
        let mut out = HashSet::new();
        for mut v in by.into_values() {
            v.sort();
            for a in 0..v.len() {
                for b in a + 1..v.len() {
                    out.insert((v[a].clone(), v[b].clone()));
                }
            }
        }
        out
    };
    let truth = pairs(&group_of);
    let pred = pairs(&pred_group);
    let hit = truth.intersection(&pred).count();
    let (p, r) = (ratio(hit, pred.len()), ratio(hit, truth.len()));
    println!(
        "duplicates: {} originals (incl. same-subject series), {} copies ({} kinds of variant); merged pairs {}, correct {hit}: precision {p:.3}, recall {r:.3}",
        originals.len(),
        copies,
        VARIANTS.len(),
        pred.len(),
    );
    for (a, b) in truth.difference(&pred) {
        println!("  missed: {a} ~ {b}");
    }
    for (a, b) in pred.difference(&truth) {
        println!("  wrongly merged: {a} ~ {b}");
    }
    assert!(p >= PRECISION_FLOOR, "duplicate precision {p:.3}");
    assert!(r >= RECALL_FLOOR, "duplicate recall {r:.3}");
}
