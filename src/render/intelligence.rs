//! Template values for the digest's editorial layer: "Top stories" with their briefings and
//! coverage, the day's stories each shown once with "Also covered by", "New today", "Also
//! received as", a story's other coverage and "Related coverage" with the reason for each
//! link (documented in `docs/themes.md`). Built from the digest only; what they contain was
//! decided in `digest`.

use super::context::{ArticleCard, DayLink, Links};
use crate::digest::{Digest, Why};
use crate::i18n::Strings;
use serde::Serialize;

/// How many "New today" headlines a day page or the front page shows.
pub const NEW_TODAY_SHOWN: usize = 10;

#[derive(Debug, Clone, Serialize)]
pub struct TopStory {
    #[serde(flatten)]
    pub card: ArticleCard,
    /// One or two lead sentences (front-matter `summary` when given).
    pub briefing: String,
    /// How many dumps' headline lists carried the story.
    pub carried: usize,
    /// How many extra copies of it were received.
    pub copies: usize,
    #[serde(flatten)]
    pub coverage: StoryCoverage,
}

/// A story as a day shows it: the other articles that covered it, and its developing story.
#[derive(Debug, Clone, Serialize, Default)]
pub struct StoryCoverage {
    /// How many distinct sites covered the story.
    pub sites: usize,
    /// The story's other articles ("Also covered by"), lead first, then newest first.
    pub also_covered_by: Vec<CoverageLink>,
    /// The developing story's page, when the story goes on over several days.
    pub storyline: Option<StorylineLink>,
}

/// Another article of the same story, as a link: its title, site and day (no summary or
/// reading time, so editing one article re-renders no page that only links it).
#[derive(Debug, Clone, Serialize)]
pub struct CoverageLink {
    pub title: String,
    pub url: String,
    pub site: String,
    pub day: DayLink,
}

/// A developing story, as a link.
#[derive(Debug, Clone, Serialize)]
pub struct StorylineLink {
    pub title: String,
    pub url: String,
    pub feed_url: String,
    /// Its articles.
    pub count: usize,
}

/// A related article and why it is listed (`why`: the reader's words, `why_kind`: one of
/// `same-story`, `storyline`, `topic`, `text`).
#[derive(Debug, Clone, Serialize)]
pub struct RelatedCard {
    #[serde(flatten)]
    pub card: CoverageLink,
    pub why: String,
    pub why_kind: &'static str,
}

/// A story of "More stories": its card and its place in that list. Numbers run 1, 2, 3 …
/// over the day's stories that are not top stories, continuing across pages, so the list
/// has no gaps where stories were promoted to "Top stories".
#[derive(Debug, Clone, Serialize)]
pub struct ListedStory {
    #[serde(flatten)]
    pub card: ArticleCard,
    pub number: usize,
    #[serde(flatten)]
    pub coverage: StoryCoverage,
}

#[derive(Debug, Clone, Serialize)]
pub struct NewHeadline {
    pub text: String,
    /// Empty when the corpus has no article for it.
    pub url: String,
    /// How many dumps carried it.
    pub count: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReceivedCopy {
    /// Path of the file under `content/`.
    pub path: String,
    pub day: DayLink,
    /// `exact`, `near` or `forced`.
    pub kind: &'static str,
    /// Word-shingle similarity with the text shown, in percent.
    pub similarity: u32,
}

/// The values for a day (index into `Digest::days`): top stories, the first
/// [`NEW_TODAY_SHOWN`] new headlines and how many there are in all (those two on the first
/// page of the day's listing only), and the stories of this page (`on_page`: some of the
/// day's `stories`, by rank) that are not among the top stories.
pub struct DayBriefing {
    pub top_stories: Vec<TopStory>,
    pub new_headlines: Vec<NewHeadline>,
    pub new_headlines_total: usize,
    pub more_articles: Vec<ListedStory>,
}

pub fn day_briefing(
    links: &Links,
    d: &Digest,
    day: usize,
    on_page: &[usize],
    first_page: bool,
) -> DayBriefing {
    let g = &d.days[day];
    let more_articles = listed_stories(links, d, &g.stories, &g.top, on_page);
    if !first_page {
        return DayBriefing {
            more_articles,
            ..DayBriefing::empty()
        };
    }
    let top_stories = g
        .top
        .iter()
        .map(|&i| {
            let e = &d.articles[i];
            TopStory {
                card: links.card(i),
                briefing: e.briefing.clone(),
                carried: e.carried,
                copies: e.copies.len(),
                coverage: coverage(links, d, i),
            }
        })
        .collect();
    let new_headlines = g
        .new_headlines
        .iter()
        .take(NEW_TODAY_SHOWN)
        .map(|&h| {
            let h = &d.headlines[h];
            NewHeadline {
                text: h.text.clone(),
                url: h.article.map(|a| links.article_url(a)).unwrap_or_default(),
                count: h.count,
            }
        })
        .collect();
    DayBriefing {
        top_stories,
        new_headlines,
        new_headlines_total: g.new_headlines.len(),
        more_articles,
    }
}

/// The stories of `on_page` that are not in `top`, numbered by their place among all of the
/// day's (`day`, by rank) stories that are not in `top`.
fn listed_stories(
    links: &Links,
    d: &Digest,
    day: &[usize],
    top: &[usize],
    on_page: &[usize],
) -> Vec<ListedStory> {
    let numbers = numbered_outside(day, top);
    on_page
        .iter()
        .filter_map(|i| numbers.iter().find(|(j, _)| j == i))
        .map(|&(i, number)| ListedStory {
            card: links.card(i),
            number,
            coverage: coverage(links, d, i),
        })
        .collect()
}

/// The coverage of article `i`'s story beside it.
pub fn coverage(links: &Links, d: &Digest, i: usize) -> StoryCoverage {
    let story = &d.stories[d.articles[i].story.index()];
    StoryCoverage {
        sites: story.weight.sites,
        also_covered_by: story
            .members
            .iter()
            .filter(|&&m| m != i)
            .map(|&m| coverage_link(links, d, m))
            .collect(),
        storyline: story.storyline.map(|l| storyline_link(links, d, l)),
    }
}

/// Only what a link shows: a full card would copy the summary and byline of every article of
/// every story on every day page, to throw them away.
fn coverage_link(links: &Links, d: &Digest, i: usize) -> CoverageLink {
    let e = &d.articles[i];
    CoverageLink {
        title: e.title.clone(),
        url: links.article_url(i),
        site: e
            .site
            .map(|s| d.sites[s.index()].name.clone())
            .unwrap_or_default(),
        day: links.day(e.day),
    }
}

pub fn storyline_link(links: &Links, d: &Digest, l: usize) -> StorylineLink {
    let line = &d.storylines[l];
    StorylineLink {
        title: line.title.clone(),
        url: links.url(links.paths().storyline(l)),
        feed_url: links.url(links.paths().feed(crate::plan::FeedScope::Storyline(l))),
        count: line.articles.len(),
    }
}

/// `(article, number)` for each of `day` not in `top`, numbered from 1 in order.
fn numbered_outside(day: &[usize], top: &[usize]) -> Vec<(usize, usize)> {
    day.iter()
        .filter(|i| !top.contains(i))
        .enumerate()
        .map(|(n, &i)| (i, n + 1))
        .collect()
}

impl DayBriefing {
    /// For a site with no articles.
    pub fn empty() -> Self {
        DayBriefing {
            top_stories: Vec::new(),
            new_headlines: Vec::new(),
            new_headlines_total: 0,
            more_articles: Vec::new(),
        }
    }

    pub fn insert(self, ctx: &mut super::keyed::KeyedContext<'_>) {
        ctx.insert("top_stories", self.top_stories);
        ctx.insert("new_headlines", self.new_headlines);
        ctx.insert("new_headlines_total", self.new_headlines_total);
        ctx.insert("more_articles", self.more_articles);
    }
}

/// "Also received as", the story's coverage and "Related coverage" for article `i`.
pub fn insert_article(
    links: &Links,
    d: &Digest,
    strings: &Strings,
    i: usize,
    ctx: &mut super::keyed::KeyedContext<'_>,
) {
    let e = &d.articles[i];
    let copies: Vec<ReceivedCopy> = e
        .copies
        .iter()
        .map(|c| ReceivedCopy {
            path: crate::ingest::slash_path(&c.rel),
            day: links.day(c.day),
            kind: c.kind.as_str(),
            similarity: (c.similarity * 100.0).round() as u32,
        })
        .collect();
    let related: Vec<RelatedCard> = e
        .related
        .iter()
        .map(|r| {
            let (why, why_kind) = match r.why {
                Why::SameStory => (strings.why_same_story.clone(), "same-story"),
                Why::Storyline => (strings.why_storyline.clone(), "storyline"),
                Why::Topic(t) => (
                    strings.why_topic.replace("{topic}", &d.topics[t].name),
                    "topic",
                ),
                Why::Text => (strings.why_text.clone(), "text"),
            };
            RelatedCard {
                card: coverage_link(links, d, r.article),
                why,
                why_kind,
            }
        })
        .collect();
    ctx.insert("also_received_as", copies);
    ctx.insert("story", coverage(links, d, i));
    ctx.insert("related", related);
}

#[cfg(test)]
mod tests {
    use super::numbered_outside;

    #[test]
    fn more_stories_are_numbered_without_gaps() {
        // Stories 4 and 7 (ranks 5 and 8) were promoted to "Top stories".
        let day = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
        let numbers = numbered_outside(&day, &[0, 1, 2, 4, 7]);
        let shown: Vec<usize> = numbers.iter().map(|&(_, n)| n).collect();
        assert_eq!(shown, [1, 2, 3, 4, 5]);
        assert_eq!(numbers[0], (3, 1));
        assert_eq!(numbers[2], (6, 3));
    }
}
