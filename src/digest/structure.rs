//! The structure of dumps, read from the corpus rather than from typography. A file alone
//! shows only shape ([`crate::ingest::dump`]): a trailing block of short lines. The corpus
//! shows more, and this module uses it:
//!
//! - **Headline lists recur.** A site's lists show its other articles, so one list's lines
//!   turn up in the lists of its neighbours. A run of lines at the end of a dump's body that
//!   other dumps list as headlines is its headline list, even without a gap before it or
//!   with lines the shape rule rejects ([`LIST_MIN_KNOWN`]). Any other body line that one of
//!   the site's lists carries is a related-headline link the scraper kept: it is dropped.
//! - **Boilerplate recurs across one site**; news does not. A short line that recurs across
//!   many dumps of one site, in articles that are otherwise different ([`BOILERPLATE_MIN_DUMPS`],
//!   [`BOILERPLATE_MIN_SHARE`]), is the scraper's leftover ("Source: Al Jazeera", "View
//!   Comments", share prompts, sign-ups). So are photo credits, and "Read more:" lines, when
//!   the site repeats the form.
//!
//! What is dropped is counted per file, with the reason, for the build report. Markdown
//! articles are never touched.

use super::text;
use crate::ingest::{Article, Body, Packed, dump, lede};
use rustc_hash::{FxHashMap, FxHashSet};

/// Fewest lines of a body's tail that other dumps list as headlines for the tail to be a list.
pub const LIST_MIN_KNOWN: usize = 2;
/// A boilerplate line recurs in at least this many dumps of one site...
pub const BOILERPLATE_MIN_DUMPS: usize = 3;
/// ...and in at least this share of the site's dumps.
pub const BOILERPLATE_MIN_SHARE: f64 = 0.005;
/// Longest line, in words, that can be boilerplate: scrapers' leftovers are short, and a long
/// paragraph that recurs is a re-published article.
pub const BOILERPLATE_MAX_WORDS: usize = 40;
/// Line starts that scrapers leave before a link or a credit ("Read more: …").
const LINK_PREFIXES: &[&str] = &[
    "read more",
    "related",
    "see also",
    "also read",
    "watch",
    "listen",
    "more on this",
    "read also",
    "click here",
];

/// Why lines were dropped from a dump's body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DropReason {
    /// The label line before the headline list ("More headlines").
    ListLabel,
    /// Lines at the end of the body that the corpus's other lists carry: the headline list.
    HeadlineList,
    /// A single line that one of the site's lists carries (a related-headline link).
    ListedHeadline,
    /// A line that recurs across many of the site's dumps.
    Boilerplate,
    /// A photo credit or caption.
    PhotoCredit,
    /// A "Read more: …" style link line the site repeats.
    LinkLine,
}

impl DropReason {
    pub fn as_str(self) -> &'static str {
        match self {
            DropReason::ListLabel => "list label",
            DropReason::HeadlineList => "headline list",
            DropReason::ListedHeadline => "listed headline",
            DropReason::Boilerplate => "boilerplate",
            DropReason::PhotoCredit => "photo credit",
            DropReason::LinkLine => "link line",
        }
    }
}

/// Lines dropped from one dump for one reason.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Dropped {
    pub reason: DropReason,
    pub lines: usize,
}

/// Lines dropped from each article, by reason (empty for untouched articles).
pub type DropCounts = Vec<Vec<Dropped>>;

fn count(drops: &mut Vec<Dropped>, reason: DropReason, n: usize) {
    if n == 0 {
        return;
    }
    match drops.iter_mut().find(|d| d.reason == reason) {
        Some(d) => d.lines += n,
        None => drops.push(Dropped { reason, lines: n }),
    }
}

/// A line's key: the hash of its normal form (see [`text::normalised_hash`]).
fn key(line: &str) -> u64 {
    text::normalised_hash(line)
}

/// The hash of each distinct line's normal form, computed once: one site's headlines recur in
/// thousands of lists.
#[derive(Default)]
pub struct KeyMemo<'a>(FxHashMap<&'a str, u64>);

impl<'a> KeyMemo<'a> {
    pub fn of(&mut self, line: &'a str) -> u64 {
        *self.0.entry(line).or_insert_with(|| key(line))
    }
}

/// How many dumps' lists carry each normalised line (by its hash).
fn listed_lines(articles: &[Article]) -> FxHashMap<u64, u32> {
    let mut df: FxHashMap<u64, u32> = FxHashMap::default();
    let mut memo = KeyMemo::default();
    for a in articles {
        let mut seen = FxHashSet::default();
        for h in &a.headlines {
            let k = memo.of(h);
            if !h.trim().is_empty() && seen.insert(k) {
                *df.entry(k).or_default() += 1;
            }
        }
    }
    df
}

/// Where the headline list starts in `lines`, the body of a dump whose shape showed no list:
/// the longest tail of lines that other dumps list (tolerating one in three that they do
/// not, as long as it is headline-shaped), with at least [`LIST_MIN_KNOWN`] known lines.
fn known_tail(lines: &[String], listed: &FxHashMap<u64, u32>) -> Option<usize> {
    let mut start = lines.len();
    let mut known = 0;
    let mut odd = 0;
    for (i, l) in lines.iter().enumerate().rev() {
        if listed.contains_key(&key(l)) {
            known += 1;
            start = i;
        } else if dump::looks_like_headline(l) && odd < (known / 3).max(1) {
            odd += 1;
        } else {
            break;
        }
    }
    (known >= LIST_MIN_KNOWN && start < lines.len()).then_some(start)
}

/// Finds every dump's headline list with the corpus's help: moves list lines out of bodies
/// into `headlines` and drops label lines. Returns what was dropped from each article.
pub fn read_lists(articles: &mut [Article]) -> DropCounts {
    use rayon::prelude::*;
    let listed = listed_lines(articles);
    let mut drops: DropCounts = vec![Vec::new(); articles.len()];
    articles
        .par_iter_mut()
        .zip(drops.par_iter_mut())
        .for_each(|(a, d)| read_list(a, d, &listed));
    drops
}

/// Moves one dump's list, as the corpus knows it (`listed`), out of its body.
fn read_list(a: &mut Article, d: &mut Vec<Dropped>, listed: &FxHashMap<u64, u32>) {
    if a.list_label.is_some() {
        count(d, DropReason::ListLabel, 1);
    }
    let Body::Plain(packed) = &mut a.body else {
        return;
    };
    if !a.headlines.is_empty() {
        return;
    }
    let mut paragraphs = packed.unpack();
    let Some(start) = known_tail(&paragraphs, listed) else {
        return;
    };
    let mut tail = paragraphs.split_off(start);
    // Leading odd lines of the tail stay body unless the corpus knows them.
    while tail.first().is_some_and(|l| !listed.contains_key(&key(l))) {
        paragraphs.push(tail.remove(0));
    }
    count(d, DropReason::HeadlineList, tail.len());
    // The same bound as a list the shape found (the rest is counted, not kept).
    tail.truncate(crate::ingest::MAX_HEADLINES_PER_DUMP);
    a.headlines = tail;
    if paragraphs.last().is_some_and(|l| dump::is_list_label(l)) {
        a.list_label = paragraphs.pop();
        count(d, DropReason::ListLabel, 1);
    }
    *packed = Packed::new(&paragraphs);
}

/// What a line of a site's body may be, before the corpus confirms it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Form {
    /// The line itself, normalised.
    Line,
    /// A photo credit ("Image copyright …").
    Credit,
    /// A link line; the key is its prefix ("read more").
    Link,
}

fn hash(s: &str) -> u64 {
    crate::model::fnv1a(s.as_bytes())
}

/// The form of a body line whose [`key`] is `key`, as a key: its normalised text, or the
/// kind of credit or link.
fn form_of(line: &str, key: u64) -> (Form, u64) {
    if lede::is_credit(line) {
        return (Form::Credit, 0);
    }
    match link_prefix(line) {
        Some(p) => (Form::Link, hash(p)),
        None => (Form::Line, key),
    }
}

/// The [`LINK_PREFIXES`] entry that `line`, lowercased, starts with before a separator
/// ("Read more: …"). Lowercases only as far as it compares, not the whole paragraph: char by
/// char lowercasing differs from the string's only for a final sigma, which matches neither
/// a prefix nor a separator.
fn link_prefix(line: &str) -> Option<&'static str> {
    let line = line.trim();
    LINK_PREFIXES.iter().copied().find(|p| {
        let mut lower = line.chars().flat_map(char::to_lowercase);
        p.chars().all(|c| lower.next() == Some(c))
            && lower
                .find(|c| !c.is_whitespace())
                .is_some_and(|c| [':', '-', '–', '—', '|', '>'].contains(&c))
    })
}

/// One body line as boilerplate detection sees it, read once.
struct LineRead {
    /// The normalised text's hash (0 where nothing reads it, see [`read_lines`]).
    key: u64,
    /// Its form, when short enough to be boilerplate.
    form: Option<(Form, u64)>,
    headline_shaped: bool,
}

fn read_lines(lead: &[String]) -> Vec<LineRead> {
    lead.iter()
        .enumerate()
        .map(|(i, l)| {
            // `nth` stops counting past the limit: most body lines are long paragraphs.
            let short = l.split_whitespace().nth(BOILERPLATE_MAX_WORDS).is_none();
            let headline_shaped = dump::looks_like_headline(l);
            // The key is read for a short line's form, a headline-shaped line's listing and the
            // text's first lines (see `drop_boilerplate`): long paragraphs after them, most of
            // the corpus's text, are never hashed.
            let key = if short || headline_shaped || i < 2 {
                key(l)
            } else {
                0
            };
            LineRead {
                key,
                form: short.then(|| form_of(l, key)),
                headline_shaped,
            }
        })
        .collect()
}

/// Drops boilerplate from the bodies of dumps: lines that recur across one site's dumps (by
/// `site_of`, an opaque site number per article) in articles that are otherwise different,
/// photo credits and link lines of forms the site repeats, and single lines that the site's
/// lists carry. Adds to `drops` what went.
pub fn drop_boilerplate(articles: &mut [Article], site_of: &[usize], drops: &mut DropCounts) {
    use rayon::prelude::*;
    let sites = site_of.iter().copied().max().map_or(0, |m| m + 1);
    let mut site_size = vec![0usize; sites];
    let reads: Vec<Vec<LineRead>> = articles
        .par_iter()
        .map(|a| match &a.body {
            Body::Plain(packed) => read_lines(&packed.unpack()),
            Body::Markdown { .. } => Vec::new(),
        })
        .collect();
    // (site, form, key) -> the distinct first lines of the dumps that have it.
    let mut support: FxHashMap<(usize, Form, u64), FxHashSet<u64>> = FxHashMap::default();
    let mut listed: FxHashSet<(usize, u64)> = FxHashSet::default();
    let mut memo = KeyMemo::default();
    for ((a, &s), lines) in articles.iter().zip(site_of).zip(&reads) {
        site_size[s] += 1;
        for h in &a.headlines {
            listed.insert((s, memo.of(h)));
        }
        let mut seen = FxHashSet::default();
        for (i, l) in lines.iter().enumerate() {
            let Some(form) = l.form else { continue };
            if !seen.insert(form) {
                continue;
            }
            // The article's own text, told apart from re-published copies of it: its first
            // line that is not this one.
            let first = lines
                .iter()
                .enumerate()
                .find(|&(j, _)| j != i)
                .map_or(0, |(_, f)| f.key);
            support
                .entry((s, form.0, form.1))
                .or_default()
                .insert(first);
        }
    }
    drop(memo);
    let confirmed = |s: usize, form: (Form, u64)| -> bool {
        let need = BOILERPLATE_MIN_DUMPS
            .max((site_size[s] as f64 * BOILERPLATE_MIN_SHARE).ceil() as usize);
        support
            .get(&(s, form.0, form.1))
            .is_some_and(|firsts| firsts.len() >= need)
    };
    for (((a, &s), d), lines) in articles
        .iter_mut()
        .zip(site_of)
        .zip(drops.iter_mut())
        .zip(&reads)
    {
        let Body::Plain(packed) = &mut a.body else {
            continue;
        };
        let reasons: Vec<Option<DropReason>> = lines
            .iter()
            .map(|l| {
                if l.headline_shaped && listed.contains(&(s, l.key)) {
                    return Some(DropReason::ListedHeadline);
                }
                let form = l.form?;
                confirmed(s, form).then_some(match form.0 {
                    Form::Line => DropReason::Boilerplate,
                    Form::Credit => DropReason::PhotoCredit,
                    Form::Link => DropReason::LinkLine,
                })
            })
            .collect();
        // Boilerplate never takes the whole article: a dump made only of recurring lines is
        // a short notice, shown as written.
        if reasons.iter().all(Option::is_some) || reasons.iter().all(Option::is_none) {
            continue;
        }
        let mut reasons = reasons.into_iter();
        let mut paragraphs = packed.unpack();
        paragraphs.retain(|_| match reasons.next().flatten() {
            Some(r) => {
                count(d, r, 1);
                false
            }
            None => true,
        });
        *packed = Packed::new(&paragraphs);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::Meta;
    use crate::model::{ArticleId, Day};

    fn dump(rel: &str, body: &[&str], list: &[&str]) -> Article {
        let lead: Vec<String> = body.iter().map(|s| s.to_string()).collect();
        Article {
            id: ArticleId::from_bytes(rel.as_bytes()),
            rel: rel.into(),
            day: Day::parse_iso("2026-03-02").unwrap(),
            rank: None,
            title: None,
            body: Body::plain(&lead),
            headlines: list.iter().map(|s| s.to_string()).collect(),
            list_label: None,
            meta: Meta::default(),
            draft: false,
        }
    }

    const LIST: &[&str] = &[
        "Council approves harbour budget",
        "Storm closes coastal roads",
        "Ferry strike called off",
        "New tram line opens in spring",
    ];

    #[test]
    fn a_tail_the_corpus_lists_is_the_list_even_without_a_gap() {
        let mut arts = vec![
            dump("a.txt", &["Body of a."], LIST),
            dump(
                "b.txt",
                &[
                    "Body of b, one paragraph.",
                    "More headlines",
                    "Council approves harbour budget",
                    "Storm closes coastal roads",
                    "An odd one the corpus has not seen",
                    "Ferry strike called off",
                ],
                &[],
            ),
        ];
        let drops = read_lists(&mut arts);
        assert_eq!(*arts[1].lead(), ["Body of b, one paragraph."]);
        assert_eq!(arts[1].headlines.len(), 4);
        assert_eq!(arts[1].list_label.as_deref(), Some("More headlines"));
        assert_eq!(
            drops[1],
            [
                Dropped {
                    reason: DropReason::HeadlineList,
                    lines: 4
                },
                Dropped {
                    reason: DropReason::ListLabel,
                    lines: 1
                }
            ]
        );
    }

    #[test]
    fn a_body_the_corpus_does_not_list_stays_body() {
        let mut arts = vec![
            dump("a.txt", &["Body of a."], LIST),
            dump(
                "b.txt",
                &[
                    "First line",
                    "Second line",
                    "Council approves harbour budget",
                ],
                &[],
            ),
        ];
        read_lists(&mut arts);
        assert_eq!(arts[1].lead().len(), 3, "one known line is no list");
    }

    #[test]
    fn recurring_short_lines_of_one_site_are_boilerplate() {
        let mut arts: Vec<Article> = (0..4)
            .map(|i| {
                dump(
                    &format!("{i}.txt"),
                    &[
                        &format!("Story number {i} begins here with news."),
                        "Image copyright Getty Images",
                        &format!("Story {i} goes on."),
                        "Source: Al Jazeera and news agencies",
                    ],
                    &[],
                )
            })
            .collect();
        // Another site's dump with the same line keeps it: it recurs only once there.
        arts.push(dump(
            "other.txt",
            &["Other news.", "Source: Al Jazeera and news agencies"],
            &[],
        ));
        let mut drops = vec![Vec::new(); arts.len()];
        drop_boilerplate(&mut arts, &[0, 0, 0, 0, 1], &mut drops);
        assert_eq!(
            *arts[0].lead(),
            ["Story number 0 begins here with news.", "Story 0 goes on."]
        );
        assert_eq!(arts[4].lead().len(), 2);
        let mut reasons: Vec<_> = drops[0].iter().map(|d| (d.reason, d.lines)).collect();
        reasons.sort();
        assert_eq!(
            reasons,
            [(DropReason::Boilerplate, 1), (DropReason::PhotoCredit, 1)]
        );
    }

    #[test]
    fn republished_copies_keep_their_text() {
        // The same article three times: its lines recur, but in one text, not in three.
        let body = ["Same first line.", "Same short second line."];
        let mut arts: Vec<Article> = (0..3)
            .map(|i| dump(&format!("{i}.txt"), &body, &[]))
            .collect();
        let mut drops = vec![Vec::new(); 3];
        drop_boilerplate(&mut arts, &[0, 0, 0], &mut drops);
        assert!(arts.iter().all(|a| a.lead().len() == 2));
    }

    #[test]
    fn link_prefixes_as_the_whole_line_lowercased_reads_them() {
        // The rule as first written: lowercase the whole line, then compare.
        let whole = |line: &str| {
            let lower = line.trim().to_lowercase();
            LINK_PREFIXES.iter().copied().find(|p| {
                lower.strip_prefix(p).is_some_and(|rest| {
                    rest.trim_start()
                        .starts_with([':', '-', '–', '—', '|', '>'])
                })
            })
        };
        for line in [
            "Read more: Storm closes coastal roads",
            "  READ MORE — the ferry strike",
            "Related | Council budget",
            "Watch:",
            "Watching the storm: a diary",
            "watch   > video",
            "Read more",
            "Readers said the bridge was unsafe.",
            "ΣΕΕ more: no",
            "Click here   - to sign up",
            "İstanbul: watch",
            "Also read:",
            "",
            "Listen\u{00A0}: the podcast",
        ] {
            assert_eq!(link_prefix(line), whole(line), "{line:?}");
        }
    }

    #[test]
    fn a_related_headline_line_in_the_body_is_dropped() {
        let mut arts = vec![
            dump("a.txt", &["News of a."], LIST),
            dump(
                "b.txt",
                &["News of b.", "Ferry strike called off", "More of b."],
                &["Council approves harbour budget", "Ferry strike called off"],
            ),
        ];
        let mut drops = vec![Vec::new(); 2];
        drop_boilerplate(&mut arts, &[0, 0], &mut drops);
        assert_eq!(*arts[1].lead(), ["News of b.", "More of b."]);
    }
}
