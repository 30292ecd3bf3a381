//! The report's account of what the digest found across articles: the source sites, the
//! stories of more than one article, the developing stories and each day's top stories.

use super::{BuildReport, DayTopRecord, SiteRecord, StoryRecord, StorylineRecord};
use crate::digest::Digest;
use crate::ingest::slash_path;
use std::collections::{BTreeSet, HashSet};

impl BuildReport {
    /// The digest's sites, stories of more than one article, developing stories and each
    /// day's top stories, in the digest's order.
    pub fn add_stories(&mut self, digest: &Digest) {
        self.sites = digest
            .sites
            .iter()
            .map(|s| SiteRecord {
                name: s.name.clone(),
                slug: s.slug.to_string(),
                origin: s.origin.as_str(),
                articles: s.articles.len(),
            })
            .collect();
        let path = |i: usize| slash_path(&digest.articles[i].rel);
        let site = |i: usize| {
            digest.articles[i]
                .site
                .map(|s| digest.sites[s.index()].name.clone())
                .unwrap_or_default()
        };
        let days_of = |members: &mut dyn Iterator<Item = usize>| {
            let days: BTreeSet<String> = members.map(|i| digest.articles[i].day.iso()).collect();
            days.into_iter().collect::<Vec<_>>()
        };
        self.stories = digest
            .stories
            .iter()
            .filter(|s| s.members.len() > 1)
            .map(|s| StoryRecord {
                lead: path(s.lead),
                members: s.members.iter().map(|&m| path(m)).collect(),
                copies: s
                    .members
                    .iter()
                    .flat_map(|&m| digest.articles[m].copies.iter())
                    .map(|c| slash_path(&c.rel))
                    .collect(),
                sites: s
                    .sites
                    .iter()
                    .map(|x| digest.sites[x.index()].name.clone())
                    .collect(),
                site_count: s.weight.sites,
                days: days_of(&mut s.members.iter().copied()),
                storyline: s.storyline.map(|l| digest.storylines[l].slug.to_string()),
            })
            .collect();
        self.storylines = digest
            .storylines
            .iter()
            .map(|l| StorylineRecord {
                slug: l.slug.to_string(),
                title: l.title.clone(),
                stories: l.stories.len(),
                articles: l.articles.len(),
                days: days_of(&mut l.articles.iter().copied()),
            })
            .collect();
        self.top_stories = digest
            .days
            .iter()
            .map(|g| DayTopRecord {
                day: g.day.iso(),
                top: g.top.iter().map(|&i| path(i)).collect(),
                top_sites: g.top.iter().map(|&i| site(i)).collect(),
                sites: g
                    .articles
                    .iter()
                    .map(|&i| digest.articles[i].site)
                    .collect::<HashSet<_>>()
                    .len(),
            })
            .collect();
    }
}
