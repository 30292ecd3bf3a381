//! The rule the render stage's page keys keep (`render::inputs`): two builds that give a page
//! the same key from its inputs give it the same context. A rebuild trusts that key to keep a
//! page without building its context, so a key that misses an input would keep a stale page.
//! Held here over the edits a site sees day by day (a new day, a body edited, a headline list
//! reworded, a dump deleted, a setting changed) on a generated site, by comparing every page's
//! input key with its context's own fingerprint, before and after each edit.

use crate::common::*;
use newsdigest::build::load;
use newsdigest::cache::Cache;
use newsdigest::fingerprint::Key;
use newsdigest::plan::{self, PageKind};
use newsdigest::render::Renderer;
use newsdigest::render::inputs::PageInputs;
use newsdigest::{BuildOptions, Config, Overrides};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// A page's two prints: its key from its inputs (`None` for a kind keyed by its context) and
/// its context's fingerprint.
#[derive(Clone, Copy)]
struct Prints {
    inputs: Option<Key>,
    context: Key,
    article: bool,
    /// A page (HTML) rather than an article's Markdown source, which shows no setting.
    html: bool,
}

/// Every page of the site at `root`, by output file, with its prints.
fn prints(root: &Path) -> BTreeMap<String, Prints> {
    let cfg = Config::load(root, &Overrides::default()).unwrap();
    let (digest, report) = load(&cfg, &BuildOptions::default(), &mut Cache::disabled()).unwrap();
    assert_eq!(report.errors, 0, "{:?}", report.diagnostics);
    let renderer = Renderer::new(&cfg).unwrap();
    let opts = plan::PlanOptions {
        site_robots: renderer.has_root_file(plan::discovery::ROBOTS_FILE),
        ..plan::PlanOptions::from_config(&cfg)
    };
    let plan = plan::plan(&digest, &opts);
    let links = renderer.links(&cfg, &digest, &plan.paths);
    let inputs = PageInputs::new(&renderer, &links, &digest);
    plan.pages
        .iter()
        .map(|page| {
            let prepared = renderer
                .prepare(&links, &digest, &plan.pages, page, true)
                .unwrap();
            let prints = Prints {
                inputs: inputs.key(&renderer, &links, &digest, page),
                context: prepared.fingerprint,
                article: matches!(page.kind, PageKind::Article(_)),
                html: !matches!(page.kind, PageKind::ArticleSource(_)),
            };
            (page.file.clone(), prints)
        })
        .collect()
}

/// What one edit did to the pages both builds have: (HTML pages keyed by inputs whose key
/// held, article pages among them, article pages in both, pages whose context changed).
struct Moved {
    html_held: usize,
    articles_held: usize,
    articles: usize,
    changed: usize,
}

/// Checks the rule between two builds' prints and says what moved.
fn compare(
    step: &str,
    before: &BTreeMap<String, Prints>,
    after: &BTreeMap<String, Prints>,
) -> Moved {
    let mut moved = Moved {
        html_held: 0,
        articles_held: 0,
        articles: 0,
        changed: 0,
    };
    let mut stale = BTreeSet::new();
    for (file, a) in after {
        let Some(b) = before.get(file) else { continue };
        moved.articles += usize::from(a.article);
        moved.changed += usize::from(a.context != b.context);
        let (Some(ka), Some(kb)) = (a.inputs, b.inputs) else {
            continue;
        };
        if ka == kb {
            moved.html_held += usize::from(a.html);
            moved.articles_held += usize::from(a.article);
            if a.context != b.context {
                stale.insert(file.clone());
            }
        }
    }
    assert_eq!(
        stale,
        BTreeSet::new(),
        "{step}: these pages kept their input key while their context changed"
    );
    moved
}

/// The first dump (by name) of `day` in `content`.
fn first_dump(content: &Path, day: &str) -> std::path::PathBuf {
    let name = files(&content.join(day)).into_iter().next().unwrap();
    content.join(day).join(name)
}

#[test]
fn a_page_keyed_by_its_inputs_keeps_its_key_only_while_its_context_holds() {
    let tmp = tempfile::tempdir().unwrap();
    let pool = tmp.path().join("pool");
    generate(&pool, 160, 7);
    let days: Vec<String> = files(&pool)
        .into_iter()
        .filter_map(|f| f.split('/').next().map(str::to_string))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    assert!(days.len() >= 6, "{days:?}");
    let site = tmp.path().join("site");
    let content = site.join("content");
    for day in &days[..days.len() - 2] {
        copy_dir(&pool.join(day), &content.join(day));
    }
    let mut last = prints(&site);
    assert!(last.values().filter(|p| p.inputs.is_some()).count() > 100);
    let mut step = |name: &str, edit: &dyn Fn()| -> Moved {
        edit();
        let now = prints(&site);
        let moved = compare(name, &last, &now);
        assert!(moved.changed > 0, "{name}: the edit changed no page");
        last = now;
        moved
    };

    // A new day: every index into the digest moves. On a site this small a day is a fifth
    // of it, and most old pages do change (new related coverage, stories joined, headlines
    // now linked); those that do not must keep their key.
    let new_day = &days[days.len() - 2];
    let m = step("a day added", &|| {
        copy_dir(&pool.join(new_day), &content.join(new_day))
    });
    assert!(m.articles_held > 0, "{} of {}", m.articles_held, m.articles);

    // A body edited in an old day: its page changes, most others do not.
    let edited = first_dump(&content, &days[1]);
    let m = step("a body edited", &|| {
        let text = read(&edited).replacen('\n', " A sentence added later.\n", 1);
        std::fs::write(&edited, text).unwrap();
    });
    assert!(
        m.articles_held * 10 > m.articles * 8,
        "{} of {}",
        m.articles_held,
        m.articles
    );

    // A headline reworded in another dump's list: the title and links it gave can move.
    let lister = first_dump(&content, &days[2]);
    step("a headline reworded", &|| {
        let text = read(&lister);
        let last_line = text.trim_end().lines().last().unwrap().to_string();
        let reworded = format!("{last_line} as officials weigh the plan");
        std::fs::write(&lister, text.replacen(&last_line, &reworded, 1)).unwrap();
    });

    // A dump deleted: its page goes, and pages that showed it change.
    let victim = first_dump(&content, &days[3]);
    step("a dump deleted", &|| std::fs::remove_file(&victim).unwrap());

    // A setting every page shows: no HTML page may keep its key (an article's Markdown source
    // shows none, and keeps it).
    let m = step("the site's title changed", &|| {
        std::fs::write(site.join("site.yaml"), "title: Another digest\n").unwrap();
    });
    assert_eq!(m.html_held, 0);

    // The last day, on the new settings.
    let final_day = &days[days.len() - 1];
    let m = step("another day added", &|| {
        copy_dir(&pool.join(final_day), &content.join(final_day))
    });
    assert!(m.html_held > 0);
}
