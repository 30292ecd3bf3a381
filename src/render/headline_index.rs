//! The headline index's template values: the landing page's A–Z overview, and one page of a
//! letter's section with the jump links every section page carries. Which pages exist is
//! the plan's business (`plan::HEADLINES_PER_PAGE`); this module only fills them.

use super::context::{DayLink, Links};
use super::discovery::paged;
use crate::digest::Digest;
use crate::digest::headlines::{Initial, Section, sections};
use crate::plan::Page;
use serde::Serialize;

/// At most this many day links per headline row; the rest are counted. A headline carried
/// every day for years would otherwise make one row as large as a page.
pub const MAX_DAYS_SHOWN: usize = 8;

/// One entry of the A–Z jump links.
#[derive(Debug, Clone, Serialize)]
pub struct LetterLink {
    /// `A`…`Z` or `#`.
    pub label: String,
    /// Empty when no headline starts with this letter (shown, but not a link).
    pub url: String,
    pub count: usize,
    /// The section being shown.
    pub current: bool,
}

/// One headline row.
#[derive(Debug, Clone, Serialize)]
pub struct HeadlineRow {
    pub text: String,
    /// Its article, or empty.
    pub url: String,
    pub count: usize,
    /// The first [`MAX_DAYS_SHOWN`] days it was seen on, oldest first.
    pub days: Vec<DayLink>,
    /// How many more days it was seen on.
    pub more_days: usize,
}

/// The A–Z jump links, one per initial whether or not it has headlines, so the bar has the
/// same shape on every page.
pub fn letters(links: &Links, all: &[Section], current: Option<Initial>) -> Vec<LetterLink> {
    Initial::all()
        .map(|initial| {
            let at = all.iter().position(|s| s.initial == initial);
            LetterLink {
                label: initial.label(),
                url: at
                    .map(|s| links.url(links.paths().headline_section(s)))
                    .unwrap_or_default(),
                count: at.map_or(0, |s| all[s].items.len()),
                current: current == Some(initial),
            }
        })
        .collect()
}

/// The rows of page `page` of section `s`.
pub fn rows(links: &Links, d: &Digest, section: &Section, page: &Page) -> Vec<HeadlineRow> {
    paged(&d.headlines[section.items.clone()], page)
        .iter()
        .map(|h| HeadlineRow {
            text: h.text.clone(),
            url: h.article.map(|t| links.article_url(t)).unwrap_or_default(),
            count: h.count,
            days: h
                .days
                .iter()
                .take(MAX_DAYS_SHOWN)
                .map(|&day| links.day(day))
                .collect(),
            more_days: h.days.len().saturating_sub(MAX_DAYS_SHOWN),
        })
        .collect()
}

/// Totals over the whole index, shown on every page of it.
#[derive(Debug, Clone, Serialize)]
pub struct IndexTotals {
    pub headlines: usize,
    /// Of those, headlines naming an article of the site.
    pub linked: usize,
}

pub fn totals(d: &Digest) -> IndexTotals {
    IndexTotals {
        headlines: d.headlines.len(),
        linked: d.headlines.iter().filter(|h| h.article.is_some()).count(),
    }
}

/// The sections of the digest's index (cheap: binary searches).
pub fn all_sections(d: &Digest) -> Vec<Section> {
    sections(&d.headlines)
}
