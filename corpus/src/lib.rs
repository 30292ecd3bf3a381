//! Corpus generator: seeded, deterministic article dumps in the real format, for tests and
//! benchmarks at realistic sizes (`newsdigest generate`). A crate of its own beside the
//! newsdigest library, which never depends on it: only the `newsdigest` binary (for its
//! `generate` command), the tests, benches and examples do. It knows nothing of newsdigest
//! either: a day is a chrono [`NaiveDate`], written by [`calendar`]; the tests that read its
//! dumps with newsdigest's parser live on the newsdigest side (`tests/it/corpus.rs`).
//!
//! A corpus is a fictional country's news over a run of days, scraped from several fictional
//! sites ([`sites::SITES`]) that each dress their pages their own way, as real sites do: the
//! case of their headlines (sentence case for most, Title Case for one, capitals for one), a
//! label line above the list or none, datelines and agency prefixes opening the lede, bylines,
//! photo credits, and boilerplate lines (share prompts, "Advertisement", newsletter sign-ups,
//! "Read more: …", cookie notices) at each site's rates. Each article has a headline, a lead
//! that restates it, 5–8 paragraphs of 450–700 words with recurring people, places and
//! organisations (the fictional world is in `world.rs`), and a trailing list of up to 16
//! headlines of its site's *other* articles within ±3 days, like a site's "latest" box.
//! [`Style::Classic`] writes the old single-site shape instead: Title Case, clean ledes, lists
//! drawn from the whole corpus.
//!
//! Files are named `YYYY-MM-DD/NNN_HEXID.txt` (or `SITE/YYYY-MM-DD/NNN_HEXID.txt` with
//! [`Layout::BySite`]). The same [`Spec`] always gives the same bytes: the random generator is
//! ChaCha8 (value-stable across platforms) and nothing reads the clock.
//!
//! [`generate`] returns structured [`GenArticle`]s that keep the ground truth: each dump's true
//! title, site, body lines and the kind of every other line. [`Corpus::dump`] renders them as
//! dumps, [`Corpus::write_dumps`] writes them to a folder, [`truth`] writes the ground truth as
//! JSON for evaluations, and [`hugo`] writes the same articles as Hugo content (true title,
//! clean body) for the side-by-side benchmark (`newsdigest generate --hugo DIR`).

pub mod calendar;
pub mod hugo;
pub mod sites;
pub mod truth;
mod world;

use chrono::NaiveDate;
use rand::seq::IndexedRandom;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sites::{Byline, Place, Site};
use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};

/// Which kind of corpus to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Style {
    /// Several sites, each in its own house style (the default).
    #[default]
    Realistic,
    /// One site, Title Case headlines, clean ledes, no boilerplate: the generator's original
    /// output, for comparisons with older benchmarks.
    Classic,
}

impl std::str::FromStr for Style {
    type Err = String;
    fn from_str(s: &str) -> Result<Style, String> {
        match s {
            "realistic" => Ok(Style::Realistic),
            "classic" => Ok(Style::Classic),
            _ => Err(format!("{s:?} is not a style: realistic or classic")),
        }
    }
}

/// Where the dumps go below the content folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Layout {
    /// `YYYY-MM-DD/NNN_HEXID.txt`
    #[default]
    ByDay,
    /// `SITE/YYYY-MM-DD/NNN_HEXID.txt`
    BySite,
}

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spec {
    /// Number of articles.
    pub count: usize,
    /// Seed of the random generator; the same seed gives the same corpus.
    pub seed: u64,
    /// Number of days the articles are spread over (at least 1).
    pub days: usize,
    /// The first (oldest) day.
    pub start: NaiveDate,
    pub style: Style,
    pub layout: Layout,
}

impl Spec {
    /// `count` realistic articles over about one day per 40 articles, from 5 January 2026,
    /// seed 1, in day folders.
    pub fn new(count: usize) -> Spec {
        Spec {
            count,
            seed: 1,
            days: count.div_ceil(40).max(1),
            start: NaiveDate::from_ymd_opt(2026, 1, 5).unwrap_or_default(),
            style: Style::default(),
            layout: Layout::default(),
        }
    }
}

/// What a line of a dump is, as a perfect reader would see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LineKind {
    /// A paragraph of the article (the first one may open with a dateline).
    Body,
    /// "By Jane Doe", "Reporting by …; Editing by …".
    Byline,
    /// "Image copyright …", "Photo: …".
    PhotoCredit,
    /// A line from the page around the article: share prompts, adverts, sign-ups, notices,
    /// "Read more: …".
    Boilerplate,
    /// The label above the headline list ("More headlines").
    Label,
    /// A line of the trailing headline list: another article's title.
    Headline,
}

/// A line of a dump that is not a body paragraph, printed before paragraph `before`
/// (`before == paragraphs.len()`: after the last one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extra {
    pub before: usize,
    pub kind: LineKind,
    pub text: String,
}

/// One generated article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GenArticle {
    /// 16 lowercase hex digits, unique in the corpus.
    pub id: String,
    pub day: NaiveDate,
    /// 0 = the day's top story (over all sites), as in the file name.
    pub rank: u32,
    /// The site that published it.
    pub site: &'static Site,
    /// The article's true title, in its site's case (never written into its own dump, as in
    /// real dumps; its site's other dumps list it).
    pub headline: String,
    /// The topic the article was drawn from (`economy`, `transport`, …).
    pub topic: &'static str,
    /// The true body: paragraphs, one line each in the dump, exactly as printed (the first one
    /// opens with [`GenArticle::dateline`] when there is one).
    pub paragraphs: Vec<String>,
    /// The dateline or agency prefix that opens the first paragraph ("CORWEN (Coastline) - ",
    /// "(KBN)"), if any.
    pub dateline: Option<String>,
    /// The lead sentence, which follows the dateline in the first paragraph and restates the
    /// headline: what a cleaned lede reads.
    pub lead: String,
    /// The dump's other lines (bylines, photo credits, boilerplate), in print order.
    pub extras: Vec<Extra>,
    /// The recurring names (person, organisation, places) the story drew from its topic's
    /// world and mentions in its headline or text, in the order drawn: the names newsdigest
    /// extracts topics from, and what a hand-tagged site would tag the article with.
    pub names: Vec<&'static str>,
    /// Indices into [`Corpus::articles`] of the articles named in the headline list, in list
    /// order: its site's other articles within [`LIST_WINDOW_DAYS`] (any article of the
    /// corpus in the classic style).
    pub related: Vec<usize>,
}

impl GenArticle {
    /// `NNN_HEXID.txt`
    pub fn file_name(&self) -> String {
        format!("{:03}_{}.txt", self.rank, self.id)
    }

    /// `YYYY-MM-DD/NNN_HEXID.txt` or `SITE/YYYY-MM-DD/NNN_HEXID.txt`, relative to the content
    /// folder, with `/` between the parts on every platform.
    pub fn path(&self, layout: Layout) -> String {
        match layout {
            Layout::ByDay => format!("{}/{}", calendar::iso(self.day), self.file_name()),
            Layout::BySite => format!(
                "{}/{}/{}",
                self.site.slug,
                calendar::iso(self.day),
                self.file_name()
            ),
        }
    }

    pub fn word_count(&self) -> usize {
        self.paragraphs
            .iter()
            .map(|p| p.split_whitespace().count())
            .sum()
    }
}

/// A generated corpus: articles oldest day first, then by rank.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Corpus {
    pub articles: Vec<GenArticle>,
    pub layout: Layout,
}

/// Number of headlines in each dump's trailing list, as in real dumps (fewer when the site has
/// fewer other articles in the window).
pub const HEADLINES_PER_DUMP: usize = 16;

/// A realistic dump's list holds its site's articles at most this many days away.
pub const LIST_WINDOW_DAYS: i64 = 3;

impl Corpus {
    /// Article `i`'s dump path relative to the content folder.
    pub fn rel_path(&self, i: usize) -> PathBuf {
        PathBuf::from(self.articles[i].path(self.layout))
    }

    /// Every non-blank line of article `i`'s dump with its kind, in print order: the body
    /// (paragraphs and extras), then the list (label, headlines).
    pub fn lines(&self, i: usize) -> Vec<(LineKind, &str)> {
        let a = &self.articles[i];
        let mut out = Vec::with_capacity(a.paragraphs.len() + a.extras.len() + 17);
        let mut extras = a.extras.iter().peekable();
        for (k, p) in a.paragraphs.iter().enumerate() {
            while let Some(e) = extras.next_if(|e| e.before <= k) {
                out.push((e.kind, e.text.as_str()));
            }
            out.push((LineKind::Body, p.as_str()));
        }
        out.extend(extras.map(|e| (e.kind, e.text.as_str())));
        if !a.related.is_empty()
            && let Some(label) = a.site.label
        {
            out.push((LineKind::Label, label));
        }
        out.extend(
            a.related
                .iter()
                .map(|&r| (LineKind::Headline, self.articles[r].headline.as_str())),
        );
        out
    }

    /// The dump of article `i` in the real format: one line per body line, two blank lines,
    /// the list (label first, the last line with a trailing space), three trailing blank lines.
    pub fn dump(&self, i: usize) -> String {
        let lines = self.lines(i);
        let mut s = String::with_capacity(4096);
        let list = lines
            .iter()
            .position(|(k, _)| matches!(k, LineKind::Label | LineKind::Headline))
            .unwrap_or(lines.len());
        for (_, l) in &lines[..list] {
            s.push_str(l);
            s.push('\n');
        }
        s.push_str("\n\n");
        for (k, (_, l)) in lines[list..].iter().enumerate() {
            s.push_str(l);
            if list + k + 1 == lines.len() {
                s.push(' ');
            }
            s.push('\n');
        }
        s.push_str("\n\n\n");
        s
    }

    /// Writes every dump below `dir` (created if missing). Refuses a folder that already holds
    /// files, so a typo can never mix a generated corpus into real content. Returns the number
    /// of files written.
    pub fn write_dumps(&self, dir: &Path) -> Result<usize, GenerateError> {
        let io = |path: &Path, op: &'static str| {
            let path = path.to_path_buf();
            move |source| GenerateError::Io { path, op, source }
        };
        refuse_non_empty(dir)?;
        let folders: BTreeSet<PathBuf> = (0..self.articles.len())
            .filter_map(|i| self.rel_path(i).parent().map(Path::to_path_buf))
            .collect();
        for f in folders {
            let p = dir.join(f);
            std::fs::create_dir_all(&p).map_err(io(&p, "create folder"))?;
        }
        for i in 0..self.articles.len() {
            let p = dir.join(self.rel_path(i));
            std::fs::write(&p, self.dump(i)).map_err(io(&p, "write"))?;
        }
        Ok(self.articles.len())
    }

    /// The distinct sites of the corpus, in order of first appearance.
    pub fn sites(&self) -> Vec<&'static Site> {
        let mut seen = Vec::new();
        for a in &self.articles {
            if !seen.iter().any(|s: &&Site| s.slug == a.site.slug) {
                seen.push(a.site);
            }
        }
        seen
    }
}

/// Where `newsdigest generate` writes a corpus: the dumps, and optionally Hugo content and the
/// truth file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Destinations {
    pub dumps: PathBuf,
    /// A Hugo site root: pages go to [`hugo::pages_dir`].
    pub hugo: Option<PathBuf>,
    pub truth: Option<PathBuf>,
}

impl Destinations {
    /// Refuses any destination that already holds something, before anything is generated or
    /// written, so a refusal leaves no half corpus behind.
    pub fn check(&self) -> Result<(), GenerateError> {
        refuse_non_empty(&self.dumps)?;
        if let Some(site) = &self.hugo {
            refuse_non_empty(&hugo::pages_dir(site))?;
        }
        if let Some(file) = &self.truth {
            // Inside the content folder it would be read as content.
            if file.starts_with(&self.dumps) {
                return Err(GenerateError::TruthInContent(file.clone()));
            }
            truth::refuse_existing(file)?;
        }
        Ok(())
    }

    /// Writes `corpus` to every destination; returns the number of dumps.
    pub fn write(&self, corpus: &Corpus) -> Result<usize, GenerateError> {
        self.check()?;
        let n = corpus.write_dumps(&self.dumps)?;
        if let Some(site) = &self.hugo {
            corpus.write_hugo(site)?;
        }
        if let Some(file) = &self.truth {
            corpus.write_truth(file)?;
        }
        Ok(n)
    }
}

/// Refuses a folder that exists and holds anything: generated files never mix with others.
/// Writers check every destination with it before writing anything.
pub fn refuse_non_empty(dir: &Path) -> Result<(), GenerateError> {
    match holds_anything(dir) {
        Ok(false) => Ok(()),
        Ok(true) => Err(GenerateError::NotEmpty(dir.to_path_buf())),
        Err(source) => Err(GenerateError::Io {
            path: dir.to_path_buf(),
            op: "list",
            source,
        }),
    }
}

/// Whether `dir` exists and holds at least one entry (newsdigest's `init` asks the same).
fn holds_anything(dir: &Path) -> std::io::Result<bool> {
    if !dir.exists() {
        return Ok(false);
    }
    Ok(std::fs::read_dir(dir)?.next().is_some())
}

#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    #[error("{0} already exists and is not empty; choose a new folder")]
    NotEmpty(PathBuf),
    #[error("{0} already exists; choose a new file")]
    Exists(PathBuf),
    #[error("{0} is inside the folder the dumps go to; write the truth file elsewhere")]
    TruthInContent(PathBuf),
    #[error("{path}: cannot {op}: {source}")]
    Io {
        path: PathBuf,
        op: &'static str,
        source: std::io::Error,
    },
}

/// Generates the corpus `spec` describes. Pure and deterministic.
pub fn generate(spec: &Spec) -> Corpus {
    let mut rng = ChaCha8Rng::seed_from_u64(spec.seed);
    let days = spec.days.max(1);
    let per_day = day_sizes(spec.count, days, &mut rng);
    let sites: &'static [Site] = match spec.style {
        Style::Realistic => sites::SITES,
        Style::Classic => std::slice::from_ref(&sites::CLASSIC),
    };

    let mut ids = HashSet::new();
    let mut headlines = HashSet::new();
    let mut articles = Vec::with_capacity(spec.count);
    let mut day = spec.start;
    for n in per_day {
        for rank in 0..n {
            let id = loop {
                let id = format!("{:016x}", rng.random::<u64>());
                if ids.insert(id.clone()) {
                    break id;
                }
            };
            let site = pick_site(&mut rng, sites);
            let world::Story {
                topic,
                headline,
                mut paragraphs,
                lead,
                names,
                city,
            } = world::story(&mut rng, day, site.case, &mut headlines);
            let (dateline, extras) = dress(&mut rng, site, day, city, &mut paragraphs);
            articles.push(GenArticle {
                id,
                day,
                rank: rank as u32,
                site,
                headline,
                topic,
                paragraphs,
                dateline,
                lead,
                extras,
                names,
                related: Vec::new(),
            });
        }
        day = next_day(day);
    }

    let related = match spec.style {
        Style::Realistic => site_lists(&articles, &mut rng),
        Style::Classic => classic_lists(articles.len(), &mut rng),
    };
    for (a, r) in articles.iter_mut().zip(related) {
        a.related = r;
    }
    add_read_more(&mut articles, &mut rng);
    Corpus {
        articles,
        layout: spec.layout,
    }
}

/// A site drawn by the sites' weights.
fn pick_site(rng: &mut ChaCha8Rng, sites: &'static [Site]) -> &'static Site {
    if let [only] = sites {
        return only;
    }
    let total: u32 = sites.iter().map(|s| s.weight).sum();
    let mut r = rng.random_range(0..total.max(1));
    for s in sites {
        if r < s.weight {
            return s;
        }
        r -= s.weight;
    }
    &sites[0]
}

/// True `per_mille` times in a thousand.
fn chance(rng: &mut ChaCha8Rng, per_mille: u32) -> bool {
    per_mille > 0 && rng.random_range(0..1000) < per_mille
}

/// Dresses a story's body in its site's style: prefixes the first paragraph with a dateline
/// (returned) and draws the byline, photo credit and boilerplate lines (returned in print
/// order, see [`Extra`]).
fn dress(
    rng: &mut ChaCha8Rng,
    site: &Site,
    day: NaiveDate,
    city: &str,
    paragraphs: &mut [String],
) -> (Option<String>, Vec<Extra>) {
    let n = paragraphs.len();
    let mut extras = Vec::new();
    let mut add = |before: usize, kind: LineKind, text: String| {
        extras.push(Extra { before, kind, text });
    };
    if let Some((form, rate)) = site.byline
        && chance(rng, rate)
        && let Some(&reporter) = site.staff.choose(rng)
    {
        let editor = site
            .staff
            .iter()
            .copied()
            .find(|&s| s != reporter)
            .unwrap_or(reporter);
        let before = if form == Byline::Closing { n } else { 0 };
        add(before, LineKind::Byline, form.text(reporter, editor));
    }
    for b in site.boilerplate {
        if chance(rng, b.per_mille) {
            let before = match b.place {
                Place::Top => 0,
                Place::Middle => rng.random_range(1..n.max(2)).min(n),
                Place::End => n,
            };
            add(before, LineKind::Boilerplate, b.text.to_string());
        }
    }
    if chance(rng, site.credit_per_mille)
        && let Some(&credit) = site.credits.choose(rng)
    {
        add(
            rng.random_range(0..2).min(n),
            LineKind::PhotoCredit,
            credit.to_string(),
        );
    }
    // Stable: of the lines before one paragraph, the byline stays first.
    extras.sort_by_key(|e| e.before);
    let dateline = match site.dateline {
        Some((form, rate)) if chance(rng, rate) && n > 0 => {
            let d = form.text(city, day);
            paragraphs[0].insert_str(0, &d);
            Some(d)
        }
        _ => None,
    };
    (dateline, extras)
}

/// Each article's list, realistic style: up to 16 other articles of its own site at most
/// [`LIST_WINDOW_DAYS`] away, the nearest days first (ties drawn at random), printed newest
/// first as a "latest" box shows them.
fn site_lists(articles: &[GenArticle], rng: &mut ChaCha8Rng) -> Vec<Vec<usize>> {
    let mut by_site: Vec<(&str, Vec<usize>)> = Vec::new();
    for (i, a) in articles.iter().enumerate() {
        match by_site.iter_mut().find(|(s, _)| *s == a.site.slug) {
            Some((_, v)) => v.push(i),
            None => by_site.push((a.site.slug, vec![i])),
        }
    }
    let mut lists = vec![Vec::new(); articles.len()];
    for (_, members) in &by_site {
        // `members` is in day order, as `articles` is.
        for &i in members {
            let day = articles[i].day;
            let away = |j: usize| (articles[j].day - day).num_days();
            let lo = members.partition_point(|&j| away(j) < -LIST_WINDOW_DAYS);
            let hi = members.partition_point(|&j| away(j) <= LIST_WINDOW_DAYS);
            let mut near: Vec<(i64, u32, usize)> = members[lo..hi]
                .iter()
                .filter(|&&j| j != i)
                .map(|&j| (away(j).abs(), rng.random::<u32>(), j))
                .collect();
            near.sort_unstable();
            near.truncate(HEADLINES_PER_DUMP);
            let mut list: Vec<usize> = near.into_iter().map(|(_, _, j)| j).collect();
            list.sort_by_key(|&j| (std::cmp::Reverse(articles[j].day), articles[j].rank));
            lists[i] = list;
        }
    }
    lists
}

/// Each article's list, classic style: 16 articles drawn from the 60 before and after it in
/// the corpus, whatever their day (small corpora fill from anywhere).
fn classic_lists(total: usize, rng: &mut ChaCha8Rng) -> Vec<Vec<usize>> {
    let want = HEADLINES_PER_DUMP.min(total.saturating_sub(1));
    (0..total)
        .map(|i| {
            let lo = i.saturating_sub(60);
            let hi = (i + 60).min(total - 1);
            let pool: Vec<usize> = (lo..=hi).filter(|&j| j != i).collect();
            let mut related: Vec<usize> = pool.sample(rng, want.min(pool.len())).copied().collect();
            let mut j = 0;
            while related.len() < want {
                if j != i && !related.contains(&j) {
                    related.push(j);
                }
                j += 1;
            }
            related
        })
        .collect()
}

/// "Read more: <headline>" lines between paragraphs, for the sites that print them: the
/// headline is one of the article's listed ones, so it is a real title of the same site.
fn add_read_more(articles: &mut [GenArticle], rng: &mut ChaCha8Rng) {
    for i in 0..articles.len() {
        let a = &articles[i];
        let n = a.paragraphs.len();
        if n < 2 || a.related.is_empty() || !chance(rng, a.site.read_more_per_mille) {
            continue;
        }
        let r = a.related[rng.random_range(0..a.related.len())];
        let text = format!("Read more: {}", articles[r].headline);
        let before = rng.random_range(1..n);
        let a = &mut articles[i];
        a.extras.push(Extra {
            before,
            kind: LineKind::Boilerplate,
            text,
        });
        a.extras.sort_by_key(|e| e.before);
    }
}

fn next_day(d: NaiveDate) -> NaiveDate {
    d.succ_opt().unwrap_or(d)
}

/// How many articles each day gets: about equal, varying by up to ±25 %, summing to `count`.
fn day_sizes(count: usize, days: usize, rng: &mut ChaCha8Rng) -> Vec<usize> {
    let weights: Vec<f64> = (0..days).map(|_| rng.random_range(0.75..1.25)).collect();
    let sum: f64 = weights.iter().sum();
    let mut sizes: Vec<usize> = weights
        .iter()
        .map(|w| ((w / sum) * count as f64).floor() as usize)
        .collect();
    let mut left = count - sizes.iter().sum::<usize>();
    let mut k = 0;
    while left > 0 {
        sizes[k % days] += 1;
        left -= 1;
        k += 1;
    }
    sizes
}

#[cfg(test)]
mod tests {
    use super::sites::{Case, SITES, title_case};
    use super::*;
    use std::collections::HashMap;

    fn spec(count: usize) -> Spec {
        Spec {
            count,
            seed: 7,
            days: 5,
            start: NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
            style: Style::Realistic,
            layout: Layout::ByDay,
        }
    }

    fn classic(count: usize) -> Spec {
        Spec {
            style: Style::Classic,
            ..spec(count)
        }
    }

    /// 500 dumps over 12 days: every site gets enough dumps to show every style it has.
    fn corpus500() -> Corpus {
        generate(&Spec {
            days: 12,
            ..spec(500)
        })
    }

    #[test]
    fn same_spec_same_bytes_other_seed_other_corpus() {
        for s in [spec(150), classic(150)] {
            let a = generate(&s);
            let b = generate(&s);
            assert_eq!(a, b);
            for i in 0..a.articles.len() {
                assert_eq!(a.dump(i), b.dump(i));
            }
            assert_eq!(a.truth_json(), b.truth_json());
            let c = generate(&Spec { seed: 8, ..s });
            assert_ne!(a.articles[0].headline, c.articles[0].headline);
        }
    }

    #[test]
    fn spread_over_days_and_ranks() {
        let c = generate(&spec(200));
        assert_eq!(c.articles.len(), 200);
        let days: HashSet<_> = c.articles.iter().map(|a| a.day).collect();
        assert_eq!(days.len(), 5);
        for d in &days {
            let ranks: Vec<u32> = c
                .articles
                .iter()
                .filter(|a| a.day == *d)
                .map(|a| a.rank)
                .collect();
            assert!(ranks.len() >= 25, "{ranks:?}");
            assert_eq!(ranks, (0..ranks.len() as u32).collect::<Vec<_>>());
        }
        let ids: HashSet<_> = c.articles.iter().map(|a| &a.id).collect();
        assert_eq!(ids.len(), 200);
        let heads: HashSet<_> = c
            .articles
            .iter()
            .map(|a| a.headline.to_lowercase())
            .collect();
        assert_eq!(
            heads.len(),
            200,
            "headlines are unique, whatever their case"
        );
        assert!(
            c.rel_path(0)
                .to_string_lossy()
                .starts_with("2026-03-01/000_")
        );
    }

    /// The parser's view of the same dumps is tested on the newsdigest side
    /// (`tests/it/corpus.rs`).
    #[test]
    fn classic_dumps_are_single_site_title_case_and_clean() {
        let c = generate(&classic(300));
        assert_eq!(c.sites(), vec![&sites::CLASSIC]);
        for (i, a) in c.articles.iter().enumerate() {
            let text = c.dump(i);
            assert!(!text.contains('{'), "unfilled slot in {text}");
            assert_eq!(a.headline, title_case(&a.headline), "Title Case");
            assert!(a.dateline.is_none() && a.extras.is_empty());
            let (paras, words) = (a.paragraphs.len(), a.word_count());
            assert!(world::PARAGRAPHS.contains(&paras), "{paras} paragraphs");
            assert!(world::WORDS.contains(&words), "{words} words");
            assert_eq!(a.related.len(), HEADLINES_PER_DUMP);
            assert!(!a.related.contains(&i), "an article never lists itself");
            assert!(
                text.ends_with(" \n\n\n\n"),
                "trailing space and blank lines"
            );
        }
    }

    /// Every realistic dump is its lines in order: body lines, two blank lines, the list
    /// block (label, headlines; the last with a trailing space), three blank lines; the body
    /// lines are the true paragraphs, the first one opening with the dateline and the lead.
    #[test]
    fn realistic_dumps_are_their_true_lines() {
        let c = corpus500();
        for (i, a) in c.articles.iter().enumerate() {
            let text = c.dump(i);
            assert!(!text.contains('{'), "unfilled slot in {text}");
            assert!(world::PARAGRAPHS.contains(&a.paragraphs.len()));
            assert!(world::WORDS.contains(&a.word_count()), "{}", a.word_count());
            let opening = format!("{}{}", a.dateline.as_deref().unwrap_or(""), a.lead);
            assert!(a.paragraphs[0].starts_with(&opening), "{}", a.paragraphs[0]);
            assert!(text.ends_with(" \n\n\n\n") || a.related.is_empty());

            let (body, list) = text.split_once("\n\n\n").unwrap();
            let lines = c.lines(i);
            let n_body = lines
                .iter()
                .filter(|(k, _)| !matches!(k, LineKind::Label | LineKind::Headline))
                .count();
            let body_lines: Vec<&str> = body.lines().collect();
            assert_eq!(body_lines.len(), n_body);
            for (l, (_, want)) in body_lines.iter().zip(&lines) {
                assert_eq!(l, want);
            }
            let paras: Vec<&str> = lines
                .iter()
                .filter(|(k, _)| *k == LineKind::Body)
                .map(|(_, t)| *t)
                .collect();
            assert_eq!(paras, a.paragraphs);
            let list_lines: Vec<&str> = list.trim_end_matches('\n').lines().collect();
            assert_eq!(list_lines.len(), lines.len() - n_body);
            for (l, (_, want)) in list_lines.iter().zip(&lines[n_body..]) {
                assert_eq!(l.trim_end(), *want);
            }
            if let Some(label) = a.site.label
                && !a.related.is_empty()
            {
                assert_eq!(list_lines[0], label);
            }
        }
    }

    #[test]
    fn every_style_shows_in_a_500_dump_corpus() {
        let c = corpus500();
        let all_dumps: String = (0..c.articles.len()).map(|i| c.dump(i)).collect();
        let mut per_site: HashMap<&str, Vec<&GenArticle>> = HashMap::new();
        for a in &c.articles {
            per_site.entry(a.site.slug).or_default().push(a);
        }
        assert_eq!(per_site.len(), SITES.len(), "every site publishes");
        for site in SITES {
            let arts = &per_site[site.slug];
            assert!(arts.len() >= 25, "{}: {}", site.slug, arts.len());
            for a in arts {
                let sentence = a.headline.to_lowercase();
                match site.case {
                    Case::Upper => assert_eq!(a.headline, a.headline.to_uppercase()),
                    Case::Title => assert_eq!(a.headline, title_case(&a.headline)),
                    Case::Sentence => assert_ne!(a.headline, a.headline.to_uppercase()),
                }
                assert_ne!(a.headline, sentence, "proper nouns keep their capitals");
            }
            if site.case == Case::Sentence {
                // Mostly lower-case words after the first: not Title Case.
                let titled = arts
                    .iter()
                    .filter(|a| a.headline == title_case(&a.headline))
                    .count();
                assert!(titled * 5 < arts.len(), "{}: {titled}", site.slug);
            }
            let with = |f: &dyn Fn(&GenArticle) -> bool| arts.iter().filter(|a| f(a)).count();
            if let Some((form, rate)) = site.dateline {
                let n = with(&|a| a.dateline.is_some());
                assert!(n > 0, "{}", site.slug);
                assert!(rate == 1000 || n < arts.len(), "{}", site.slug);
                let d = form.text("Corwen", c.articles[0].day);
                let tail = d.trim_start_matches("CORWEN");
                let tail = tail.split("/").last().unwrap_or(tail);
                assert!(all_dumps.contains(tail), "{}: {tail:?}", site.slug);
            } else {
                assert_eq!(with(&|a| a.dateline.is_some()), 0);
            }
            let kinds = |k: LineKind| with(&|a: &GenArticle| a.extras.iter().any(|e| e.kind == k));
            assert_eq!(
                kinds(LineKind::Byline) > 0,
                site.byline.is_some(),
                "{}",
                site.slug
            );
            assert_eq!(
                kinds(LineKind::PhotoCredit) > 0,
                !site.credits.is_empty(),
                "{}",
                site.slug
            );
            // Each boilerplate line recurs across the site's dumps (that is how a reader can
            // find it) but not in every one, and never on another site.
            for b in site.boilerplate {
                let n = with(&|a| a.extras.iter().any(|e| e.text == b.text));
                assert!(
                    n >= 3 && n < arts.len(),
                    "{}: {:?} in {n}",
                    site.slug,
                    b.text
                );
                for other in c.articles.iter().filter(|a| a.site.slug != site.slug) {
                    assert!(other.extras.iter().all(|e| e.text != b.text));
                }
            }
            let read_more = with(&|a| a.extras.iter().any(|e| e.text.starts_with("Read more: ")));
            assert_eq!(read_more > 0, site.read_more_per_mille > 0, "{}", site.slug);
        }
        for form in ["/NNA/ - ", "(Coastline) - ", " — "] {
            assert!(all_dumps.contains(form), "{form}");
        }
        assert!(
            all_dumps
                .lines()
                .any(|l| l.starts_with("(KBN)") && l.len() > 100)
        );
        assert!(all_dumps.lines().any(|l| l.starts_with("By ")));
        assert!(all_dumps.lines().any(|l| l.starts_with("Reporting by ")));
        assert!(all_dumps.lines().any(|l| l.starts_with("Image copyright ")));
        for label in ["More headlines", "Latest", "Most popular", "Read more"] {
            assert!(all_dumps.contains(&format!("\n\n\n{label}\n")), "{label}");
        }
        // Headline shapes real sites mix.
        let heads: Vec<&str> = c.articles.iter().map(|a| a.headline.as_str()).collect();
        assert!(heads.iter().filter(|h| h.ends_with('?')).count() >= 5);
        assert!(heads.iter().filter(|h| h.contains(": ")).count() >= 10);
        assert!(heads.iter().filter(|h| h.contains('‘')).count() >= 3);
    }

    #[test]
    fn lists_name_the_sites_own_neighbours() {
        let c = corpus500();
        for (i, a) in c.articles.iter().enumerate() {
            let window = c
                .articles
                .iter()
                .enumerate()
                .filter(|(j, b)| {
                    *j != i
                        && b.site.slug == a.site.slug
                        && (b.day - a.day).num_days().abs() <= LIST_WINDOW_DAYS
                })
                .count();
            assert_eq!(a.related.len(), window.min(HEADLINES_PER_DUMP));
            let unique: HashSet<_> = a.related.iter().collect();
            assert_eq!(unique.len(), a.related.len());
            for &r in &a.related {
                let b = &c.articles[r];
                assert_ne!(r, i, "an article never lists itself");
                assert_eq!(b.site.slug, a.site.slug);
                assert!((b.day - a.day).num_days().abs() <= LIST_WINDOW_DAYS);
            }
            // The list lines in the dump are those articles' true titles.
            let text = c.dump(i);
            let listed: Vec<&str> = text
                .lines()
                .map(str::trim_end)
                .filter(|l| a.related.iter().any(|&r| c.articles[r].headline == *l))
                .collect();
            assert_eq!(listed.len(), a.related.len());
            assert!(!text.lines().any(|l| l.trim_end() == a.headline));
            // Newest first, as a "latest" box.
            let days: Vec<NaiveDate> = a.related.iter().map(|&r| c.articles[r].day).collect();
            assert!(days.windows(2).all(|w| w[0] >= w[1]), "{days:?}");
        }
        // Lists overlap within a site: most of an article's list recurs in a same-day
        // neighbour's list.
        let a = &c.articles[0];
        let b = c
            .articles
            .iter()
            .skip(1)
            .find(|b| b.site.slug == a.site.slug && b.day == a.day)
            .unwrap();
        let shared = a.related.iter().filter(|r| b.related.contains(r)).count();
        assert!(shared >= 8, "{shared}");
    }

    #[test]
    fn truth_file_says_what_each_dump_holds() {
        let c = corpus500();
        let truth: truth::Truth = serde_json::from_str(&c.truth_json()).unwrap();
        assert_eq!(truth.len(), c.articles.len());
        for (i, a) in c.articles.iter().enumerate() {
            let path = a.path(Layout::ByDay);
            let t = &truth[&path];
            assert_eq!(t.title, a.headline);
            assert_eq!(t.source, a.site.slug);
            assert_eq!(t.day, calendar::iso(a.day));
            assert_eq!(t.dateline, a.dateline);
            let text = c.dump(i);
            let file: Vec<&str> = text.lines().collect();
            let at = |n: usize| file[n - 1].trim_end();
            let l = &t.lines;
            let mut numbered: Vec<usize> = [
                &l.body,
                &l.byline,
                &l.photo_credit,
                &l.boilerplate,
                &l.label,
                &l.list,
            ]
            .iter()
            .flat_map(|v| v.iter().copied())
            .collect();
            numbered.sort_unstable();
            let non_blank: Vec<usize> = (1..=file.len()).filter(|&n| !at(n).is_empty()).collect();
            assert_eq!(
                numbered, non_blank,
                "{path}: every line in exactly one kind"
            );
            let body: Vec<&str> = l.body.iter().map(|&n| at(n)).collect();
            assert_eq!(body, a.paragraphs, "{path}");
            assert_eq!(l.list.len(), t.list.len());
            for (&n, p) in l.list.iter().zip(&t.list) {
                assert_eq!(at(n), truth[p].title, "{path}: line {n}");
                assert_eq!(truth[p].source, t.source);
            }
            for &n in &l.boilerplate {
                let s = at(n);
                assert!(
                    a.site.boilerplate.iter().any(|b| b.text == s) || s.starts_with("Read more: "),
                    "{s}"
                );
            }
            for &n in &l.byline {
                assert!(at(n).starts_with("By ") || at(n).starts_with("Reporting by "));
            }
            for &n in &l.label {
                assert_eq!(Some(at(n)), a.site.label);
            }
            if let Some(&first) = l.byline.first()
                && !at(first).starts_with("Reporting")
            {
                assert_eq!(first, 1, "{path}: a byline is the first line");
            }
        }
    }

    #[test]
    fn site_folders_put_each_site_in_its_own_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("content");
        let c = generate(&Spec {
            layout: Layout::BySite,
            ..spec(60)
        });
        assert_eq!(c.write_dumps(&out).unwrap(), 60);
        for (i, a) in c.articles.iter().enumerate() {
            let p = out
                .join(a.site.slug)
                .join(calendar::iso(a.day))
                .join(a.file_name());
            assert_eq!(std::fs::read_to_string(p).unwrap(), c.dump(i));
        }
        let sites: HashSet<String> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(sites.len(), c.sites().len());
        assert!(
            c.truth()
                .keys()
                .all(|k| sites.contains(k.split('/').next().unwrap()))
        );
    }

    #[test]
    fn proper_names_recur() {
        let c = generate(&spec(200));
        let all: String = c
            .articles
            .iter()
            .flat_map(|a| a.paragraphs.iter())
            .cloned()
            .collect();
        for name in ["Port Aldwick", "Kestria", "Velmora"] {
            assert!(all.matches(name).count() > 50, "{name}");
        }
        let topics: HashSet<_> = c.articles.iter().map(|a| a.topic).collect();
        assert!(topics.len() >= 8);
    }

    #[test]
    fn writes_into_a_new_folder_only() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("content");
        let c = generate(&spec(30));
        assert_eq!(c.write_dumps(&out).unwrap(), 30);
        let first = out.join(c.rel_path(0));
        assert_eq!(std::fs::read_to_string(first).unwrap(), c.dump(0));
        assert!(matches!(
            c.write_dumps(&out),
            Err(GenerateError::NotEmpty(_))
        ));
        let truth = dir.path().join("truth.json");
        c.write_truth(&truth).unwrap();
        assert!(matches!(
            c.write_truth(&truth),
            Err(GenerateError::Exists(_))
        ));
        let back: truth::Truth =
            serde_json::from_str(&std::fs::read_to_string(&truth).unwrap()).unwrap();
        assert_eq!(back, c.truth());
    }

    #[test]
    fn destinations_are_all_checked_before_anything_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let c = generate(&spec(12));
        let to = |dumps: &str, truth: &str| Destinations {
            dumps: dir.path().join(dumps),
            hugo: Some(dir.path().join("hugo")),
            truth: Some(dir.path().join(truth)),
        };
        let inside = to("content", "content/truth.json");
        assert!(matches!(
            inside.write(&c),
            Err(GenerateError::TruthInContent(_))
        ));
        assert!(!dir.path().join("content").exists());
        std::fs::write(dir.path().join("taken.json"), "{}").unwrap();
        assert!(matches!(
            to("content", "taken.json").write(&c),
            Err(GenerateError::Exists(_))
        ));
        assert!(!dir.path().join("content").exists() && !dir.path().join("hugo").exists());
        assert_eq!(to("content", "truth.json").write(&c).unwrap(), 12);
        assert_eq!(
            std::fs::read_to_string(dir.path().join("truth.json")).unwrap(),
            c.truth_json()
        );
        assert!(matches!(
            to("other", "truth2.json").write(&c),
            Err(GenerateError::NotEmpty(_))
        ));
        assert!(
            !dir.path().join("other").exists(),
            "hugo/ is taken: nothing written"
        );
    }

    #[test]
    fn truth_reader_reads_the_development_corpus_format() {
        let t: truth::Truth = serde_json::from_str(
            r#"{"2017-01-02/000_0a.txt": {"title": "T", "source": "rte.ie", "day": "2017-01-02"}}"#,
        )
        .unwrap();
        let e = &t["2017-01-02/000_0a.txt"];
        assert_eq!((e.title.as_str(), e.source.as_str()), ("T", "rte.ie"));
        assert!(e.lines.body.is_empty() && e.list.is_empty());
    }

    #[test]
    fn tiny_corpora_work() {
        for n in [0, 1, 2, 17] {
            let c = generate(&Spec {
                days: 3,
                ..classic(n)
            });
            assert_eq!(c.articles.len(), n);
            for a in &c.articles {
                assert_eq!(a.related.len(), HEADLINES_PER_DUMP.min(n.saturating_sub(1)));
            }
            let c = generate(&Spec { days: 3, ..spec(n) });
            assert_eq!(c.articles.len(), n);
            for i in 0..n {
                assert!(c.articles[i].related.len() < n.max(1));
                assert!(c.dump(i).contains(&c.articles[i].paragraphs[0]));
            }
        }
    }
}
