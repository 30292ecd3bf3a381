//! Sites: which news site each dump came from. A dump's site is, first match wins:
//!
//! 1. front matter `source` (a name, or a URL whose host names it);
//! 2. a folder level of its path (`sources.folder` in `site.yaml`: `auto`, the default, takes
//!    the first folder that is not a date; a number picks that level; `none` skips the rule);
//! 3. inferred: a site's headline lists show its other articles, so dumps whose lists share
//!    at least [`SHARED_MIN`] lines (and a quarter of the shorter list) are one site, and so
//!    is everything connected to them that way. An inferred site takes the name of the
//!    explicit site most of its dumps carry, else "Source N" (N counts the unnamed sites
//!    from the one whose oldest dump is oldest, so adding newer days renumbers none). A name
//!    taken from the text was tried and dropped: on a one-site corpus every frequent name is
//!    "the site's own", so a place ("Port Aubrey") named it.
//! 4. pooled: the dumps still alone after rule 3 are one site when their lines are shared
//!    one at a time across that lone pool (see [`pool_joins`]), as lists sampling a big
//!    archive are. A pooled site takes no titles from its lists ([`Found::pooled`]).
//!
//! A dump with no list and no explicit site has no site.

use crate::ingest::Article;
use crate::model::Slug;
use rustc_hash::FxHashMap;
use std::path::Path;

/// Fewest headline lines two dumps' lists must share to be one site.
pub const SHARED_MIN: usize = 2;
/// Headline lines carried by more dumps than this are not used to join sites (a line every
/// list carries says nothing about which site a list is from, and its pairs are costly).
const MAX_CARRIERS: usize = 2000;

/// Which folder of a dump's path names its site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FolderLevel {
    /// The first folder that is not a date (`YYYY-MM-DD`, `YYYY`, `MM`, `DD`).
    #[default]
    Auto,
    /// This folder level (0 = the folder right below `content/`).
    Level(usize),
    /// Folders never name sites.
    None,
}

#[derive(Debug, Clone, Default)]
pub struct Settings {
    pub folder: FolderLevel,
}

/// How a site was known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SiteOrigin {
    FrontMatter,
    Folder,
    Inferred,
}

impl SiteOrigin {
    pub fn as_str(self) -> &'static str {
        match self {
            SiteOrigin::FrontMatter => "front-matter",
            SiteOrigin::Folder => "folder",
            SiteOrigin::Inferred => "inferred",
        }
    }
}

/// Index into [`super::Digest::sites`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SiteId(u32);

impl SiteId {
    pub fn new(i: usize) -> Self {
        SiteId(i as u32)
    }
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A source site.
#[derive(Debug, Clone)]
pub struct Site {
    pub name: String,
    /// Its URL segment below `sources/`; unique among sites.
    pub slug: Slug,
    pub origin: SiteOrigin,
    /// Indices into [`super::Digest::articles`], newest first.
    pub articles: Vec<usize>,
}

/// Sites as first found: a name (if known yet) and how it was known.
#[derive(Debug, Clone)]
pub struct Found {
    pub name: Option<String>,
    pub origin: SiteOrigin,
    /// Known only from the pool ([`pool_joins`]): its lists share one line at a time, too
    /// thin for them to name its articles, so no title is taken from them.
    pub pooled: bool,
}

/// The site of each article (an index into the returned list), and the sites.
pub fn assign(articles: &[Article], settings: &Settings) -> (Vec<Option<usize>>, Vec<Found>) {
    let mut sites: Vec<Found> = Vec::new();
    let mut by_name: FxHashMap<String, usize> = FxHashMap::default();
    let mut site_of: Vec<Option<usize>> = vec![None; articles.len()];
    let mut intern = |name: String, origin: SiteOrigin, sites: &mut Vec<Found>| -> usize {
        let key = name.to_lowercase();
        *by_name.entry(key).or_insert_with(|| {
            sites.push(Found {
                name: Some(name),
                origin,
                pooled: false,
            });
            sites.len() - 1
        })
    };
    for (a, slot) in articles.iter().zip(site_of.iter_mut()) {
        if let Some(name) = a.meta.source.as_deref().and_then(source_name) {
            *slot = Some(intern(name, SiteOrigin::FrontMatter, &mut sites));
        } else if let Some(name) = folder_site(&a.rel, settings.folder) {
            *slot = Some(intern(name, SiteOrigin::Folder, &mut sites));
        }
    }

    // Inferred: components of dumps whose lists overlap.
    let mut uf = UnionFind::new(articles.len());
    // Each article's distinct list lines, as hashes of their normal form, computed once.
    let mut memo = super::structure::KeyMemo::default();
    let keys_of: Vec<Vec<u64>> = articles
        .iter()
        .map(|a| {
            let mut keys: Vec<u64> = a
                .headlines
                .iter()
                .filter(|h| !h.trim().is_empty())
                .map(|h| memo.of(h))
                .collect();
            keys.sort_unstable();
            keys.dedup();
            keys
        })
        .collect();
    drop(memo);
    let mut carriers: FxHashMap<u64, Vec<u32>> = FxHashMap::default();
    for (i, keys) in keys_of.iter().enumerate() {
        for &k in keys {
            carriers.entry(k).or_default().push(i as u32);
        }
    }
    let lines = Lines {
        keys_of: &keys_of,
        carriers: &carriers,
    };
    strong_joins(&lines, &mut uf);
    let pooled = pool_joins(&lines, &mut uf);
    // A component takes the explicit site most of its dumps carry; otherwise it is a site of
    // its own, named later.
    let mut components: FxHashMap<usize, Vec<usize>> = FxHashMap::default();
    for i in 0..articles.len() {
        if !articles[i].headlines.is_empty() || site_of[i].is_none() {
            components.entry(uf.find(i)).or_default().push(i);
        }
    }
    let mut roots: Vec<(usize, Vec<usize>)> = components.into_iter().collect();
    // Oldest site first (by its oldest dump: articles come newest first), so the numbers of
    // unnamed sites ("Source N") stay put as newer days are added: a daily build that
    // renumbered every site would change every article page.
    roots.sort_by_key(|(_, members)| std::cmp::Reverse(members.last().copied()));
    for (_, members) in roots {
        let mut votes: FxHashMap<usize, usize> = FxHashMap::default();
        for &m in &members {
            if let Some(s) = site_of[m] {
                *votes.entry(s).or_default() += 1;
            }
        }
        let lone = members.len() == 1 && articles[members[0]].headlines.is_empty();
        if lone && site_of[members[0]].is_none() {
            continue;
        }
        let site = match votes
            .into_iter()
            .max_by_key(|&(s, n)| (n, std::cmp::Reverse(s)))
        {
            Some((s, _)) => s,
            None => {
                sites.push(Found {
                    name: None,
                    origin: SiteOrigin::Inferred,
                    pooled: pooled[members[0]],
                });
                sites.len() - 1
            }
        };
        for m in members {
            site_of[m].get_or_insert(site);
        }
    }
    (site_of, sites)
}

/// Each dump's distinct list lines (hashed) and, for each line, the dumps that carry it.
struct Lines<'a> {
    keys_of: &'a [Vec<u64>],
    carriers: &'a FxHashMap<u64, Vec<u32>>,
}

impl Lines<'_> {
    /// The dumps carrying line `k`, unless so many do that the line says nothing of a site.
    fn carriers_of(&self, k: u64) -> &[u32] {
        match self.carriers.get(&k) {
            Some(c) if c.len() <= MAX_CARRIERS => c,
            _ => &[],
        }
    }
}

/// Joins two dumps whose lists share at least [`SHARED_MIN`] lines and a quarter of the
/// shorter list: one site's lists, written a few hours apart, overlap that much.
fn strong_joins(lines: &Lines, uf: &mut UnionFind) {
    let mut shared: FxHashMap<u32, usize> = FxHashMap::default();
    for (i, keys) in lines.keys_of.iter().enumerate() {
        if keys.is_empty() {
            continue;
        }
        shared.clear();
        for &k in keys {
            for &j in lines.carriers_of(k) {
                if j as usize > i {
                    *shared.entry(j).or_default() += 1;
                }
            }
        }
        for (&j, &n) in &shared {
            let shorter = keys.len().min(lines.keys_of[j as usize].len());
            if n >= SHARED_MIN && n * 4 >= shorter {
                uf.union(i, j as usize);
            }
        }
    }
}

/// Joins the dumps the strong pass left alone when their lines are shared one at a time
/// across the untied pool: a site whose lists sample a big archive (16 of 10,000 headlines)
/// has no two lists sharing two lines, yet nearly every line of each list is carried by some
/// other lone dump. The evidence is summed over the pool, not pair by pair, with the strong
/// rule's thresholds: a dump is *pooled* when at least [`SHARED_MIN`] of its distinct lines,
/// and a quarter of them, are each carried by another lone dump; two pooled dumps carrying a
/// common line are one site. Only lone dumps count, so a dump sharing one wire headline with
/// an established site does not join it, and the quarter keeps two lone dumps of different
/// sites apart when a few wire lines are all they share. Decided on the lone set as the strong
/// pass left it, so the order of dumps does not matter. Returns which dumps were pooled.
fn pool_joins(lines: &Lines, uf: &mut UnionFind) -> Vec<bool> {
    let n = lines.keys_of.len();
    let mut size: FxHashMap<usize, usize> = FxHashMap::default();
    for i in 0..n {
        *size.entry(uf.find(i)).or_default() += 1;
    }
    let lone: Vec<bool> = (0..n)
        .map(|i| !lines.keys_of[i].is_empty() && size[&uf.find(i)] == 1)
        .collect();
    let carried_by_other_lone = |i: usize, k: u64| {
        lines
            .carriers_of(k)
            .iter()
            .any(|&j| j as usize != i && lone[j as usize])
    };
    let pooled: Vec<bool> = (0..n)
        .map(|i| {
            if !lone[i] {
                return false;
            }
            let keys = &lines.keys_of[i];
            let shared = keys
                .iter()
                .filter(|&&k| carried_by_other_lone(i, k))
                .count();
            shared >= SHARED_MIN && shared * 4 >= keys.len()
        })
        .collect();
    for i in (0..n).filter(|&i| pooled[i]) {
        for &k in &lines.keys_of[i] {
            for &j in lines.carriers_of(k) {
                if j as usize > i && pooled[j as usize] {
                    uf.union(i, j as usize);
                }
            }
        }
    }
    pooled
}

/// The sites as the digest shows them: named, with unique slugs and
/// their articles. `site_of[i]` is article `i`'s site (articles in digest order).
pub fn finish(found: Vec<Found>, site_of: &[Option<usize>]) -> Vec<Site> {
    let mut used: std::collections::HashSet<Slug> = std::collections::HashSet::new();
    // Unnamed sites are numbered among themselves: a named site that appears (a new
    // front-matter `source`) does not renumber them.
    let mut unnamed = 0;
    let mut out: Vec<Site> = found
        .into_iter()
        .enumerate()
        .map(|(i, f)| {
            let name = f.name.unwrap_or_else(|| {
                unnamed += 1;
                format!("Source {unnamed}")
            });
            let base = Slug::from_text(&name)
                .or_else(|| Slug::from_text(&format!("source-{}", i + 1)))
                .unwrap_or_else(|| Slug::from_text("source").expect("constant slug"));
            let mut slug = base.clone();
            let mut n = 2;
            while used.contains(&slug) || ["page", "feed", "index"].contains(&slug.as_str()) {
                slug = base.with_suffix(n);
                n += 1;
            }
            used.insert(slug.clone());
            Site {
                name,
                slug,
                origin: f.origin,
                articles: Vec::new(),
            }
        })
        .collect();
    for (i, s) in site_of.iter().enumerate() {
        if let Some(s) = *s {
            out[s].articles.push(i);
        }
    }
    out
}

/// The site a front-matter `source` names: the host of a URL (without `www.`), or the text.
fn source_name(source: &str) -> Option<String> {
    let s = source.trim();
    if s.is_empty() {
        return None;
    }
    if let Some(rest) = s.split_once("://").map(|(_, r)| r) {
        let host = rest.split(['/', '?', '#']).next().unwrap_or("");
        let host = host.rsplit('@').next().unwrap_or(host);
        let host = host.strip_prefix("www.").unwrap_or(host);
        return (!host.is_empty()).then(|| host.to_string());
    }
    Some(s.to_string())
}

fn is_date_folder(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    match b.len() {
        10 => digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10),
        4 | 2 => digits(0..b.len()),
        _ => false,
    }
}

/// The folder that names a dump's site, by the configured level.
fn folder_site(rel: &Path, level: FolderLevel) -> Option<String> {
    let folders: Vec<String> = rel
        .parent()?
        .iter()
        .map(|s| s.to_string_lossy().into_owned())
        .collect();
    match level {
        FolderLevel::None => None,
        FolderLevel::Level(n) => folders.get(n).cloned(),
        FolderLevel::Auto => folders.into_iter().find(|f| !is_date_folder(f)),
    }
}

struct UnionFind(Vec<usize>);

impl UnionFind {
    fn new(n: usize) -> Self {
        UnionFind((0..n).collect())
    }
    fn find(&mut self, mut i: usize) -> usize {
        while self.0[i] != i {
            self.0[i] = self.0[self.0[i]];
            i = self.0[i];
        }
        i
    }
    fn union(&mut self, a: usize, b: usize) {
        let (a, b) = (self.find(a), self.find(b));
        if a != b {
            self.0[a.max(b)] = a.min(b);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::{Body, Meta};
    use crate::model::{ArticleId, Day};

    fn art(rel: &str, list: &[&str], source: Option<&str>) -> Article {
        Article {
            id: ArticleId::from_bytes(rel.as_bytes()),
            rel: rel.into(),
            day: Day::parse_iso("2026-03-02").unwrap(),
            rank: None,
            title: None,
            body: Body::plain(&["Body."]),
            headlines: list.iter().map(|s| s.to_string()).collect(),
            list_label: None,
            meta: Meta {
                source: source.map(String::from),
                ..Meta::default()
            },
            draft: false,
        }
    }

    #[test]
    fn overlapping_lists_are_one_site_and_a_shared_wire_headline_is_not() {
        let a = ["One", "Two", "Three", "Four"];
        let b = ["Two", "Three", "Four", "Five"];
        let c = ["Four", "Five", "Six", "Seven"];
        // Another site carries one wire headline that the first also carries.
        let d = ["Seven", "Eight", "Nine", "Ten"];
        let arts = [
            art("2026-03-02/a.txt", &a, None),
            art("2026-03-02/b.txt", &b, None),
            art("2026-03-02/c.txt", &c, None),
            art("2026-03-02/d.txt", &d, None),
        ];
        let (of, sites) = assign(&arts, &Settings::default());
        assert_eq!(of[0], of[1]);
        assert_eq!(of[1], of[2]);
        assert_ne!(of[2], of[3]);
        assert_eq!(sites.len(), 2);
    }

    /// Dumps `0..n`, where dump `i` carries the line `"Line i-j"` for every other dump `j`:
    /// every two lists share exactly one line, as random samples of a big archive do.
    fn one_line_at_a_time(n: usize) -> Vec<Vec<String>> {
        (0..n)
            .map(|i| {
                (0..n)
                    .filter(|&j| j != i)
                    .map(|j| format!("Line {}-{}", i.min(j), i.max(j)))
                    .collect()
            })
            .collect()
    }

    /// One dump of one day per list, with no explicit site.
    fn dumps_of(lists: &[Vec<String>]) -> Vec<Article> {
        lists
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let l: Vec<&str> = l.iter().map(String::as_str).collect();
                art(&format!("2026-03-02/{i}.txt"), &l, None)
            })
            .collect()
    }

    #[test]
    fn a_pool_of_lists_sharing_one_line_at_a_time_is_one_site() {
        let lists = one_line_at_a_time(9);
        let arts = dumps_of(&lists);
        let (of, sites) = assign(&arts, &Settings::default());
        assert!(of.iter().all(|s| s.is_some() && *s == of[0]), "{of:?}");
        assert_eq!(sites.len(), 1);
        assert!(
            sites[0].pooled,
            "its lists are too thin to name its articles"
        );
    }

    #[test]
    fn a_lone_dump_sharing_one_wire_line_with_a_site_or_a_pool_stays_apart() {
        let mut lists = one_line_at_a_time(6);
        // An established site: two lists that overlap strongly.
        lists.push(vec!["S1".into(), "S2".into(), "S3".into(), "Wire A".into()]);
        lists.push(vec!["S1".into(), "S2".into(), "S4".into()]);
        // A lone dump carrying one wire line of the site and one of the pool, among its own.
        let mut lone: Vec<String> = (0..10).map(|n| format!("Own {n}")).collect();
        lone.push("Wire A".into());
        lone.push("Line 0-1".into());
        lists.push(lone);
        let arts = dumps_of(&lists);
        let (of, sites) = assign(&arts, &Settings::default());
        assert!(of[..6].iter().all(|s| *s == of[0]), "the pool is one site");
        assert_eq!(of[6], of[7]);
        assert_ne!(of[6], of[0]);
        assert_ne!(of[8], of[0], "one shared line is not a pool member");
        assert_ne!(of[8], of[6], "one wire line does not join a site");
        assert_eq!(sites.len(), 3);
        assert!(sites[of[0].unwrap()].pooled);
        assert!(!sites[of[6].unwrap()].pooled && !sites[of[8].unwrap()].pooled);
    }

    /// The names `finish` gives, by article, for articles in the digest's order (newest
    /// day first).
    fn names_of(arts: &[Article]) -> Vec<String> {
        let (of, found) = assign(arts, &Settings::default());
        let sites = finish(found, &of);
        of.iter()
            .map(|s| s.map_or(String::new(), |s| sites[s].name.clone()))
            .collect()
    }

    #[test]
    fn a_newer_day_renumbers_no_older_site() {
        let older = [
            art("2026-03-01/a.txt", &["One", "Two", "Three"], None),
            art("2026-03-01/b.txt", &["One", "Two", "Four"], None),
            art("2026-02-01/c.txt", &["Uno", "Dos", "Tres"], None),
            art("2026-02-01/d.txt", &["Uno", "Dos", "Cuatro"], None),
        ];
        let before = names_of(&older);
        assert_eq!(before, ["Source 2", "Source 2", "Source 1", "Source 1"]);
        // A new day, first in the digest's order, of a site not seen before, and a named one.
        let mut newer = vec![
            art("2026-03-02/e.txt", &["Eins", "Zwei", "Drei"], None),
            art("2026-03-02/f.txt", &["Eins", "Zwei", "Vier"], None),
            art("2026-03-02/g.txt", &[], Some("https://example.com/")),
        ];
        newer.extend(older.iter().cloned());
        let after = names_of(&newer);
        assert_eq!(after[..3], ["Source 3", "Source 3", "example.com"]);
        assert_eq!(after[3..], before[..], "the older sites keep their numbers");
    }

    #[test]
    fn front_matter_then_folder_then_inference() {
        let arts = [
            art("x.txt", &[], Some("https://www.example.com/a")),
            art("rte/2017-02-01/a.txt", &["One", "Two"], None),
            art("2017-02-01/b.txt", &["One", "Two"], None),
            art("2017-02-01/lone.txt", &[], None),
        ];
        let (of, sites) = assign(&arts, &Settings::default());
        assert_eq!(sites[of[0].unwrap()].name.as_deref(), Some("example.com"));
        assert_eq!(sites[of[1].unwrap()].name.as_deref(), Some("rte"));
        assert_eq!(of[2], of[1], "joins the folder site its list overlaps");
        assert_eq!(of[3], None);
        let (of, _) = assign(
            &arts,
            &Settings {
                folder: FolderLevel::None,
            },
        );
        assert_ne!(of[1], None);
        assert_eq!(of[1], of[2]);
    }
}
