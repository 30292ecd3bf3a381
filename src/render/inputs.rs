//! What a page is made of, keyed without making it. [`Renderer::prepare`] builds a page's
//! whole template context to fingerprint it; on a rebuild most pages turn out unchanged, and
//! building their contexts (cards, links, bodies converted to HTML) was most of the render
//! stage. [`PageInputs`] fingerprints each part of the digest a page can show once per build
//! (an entry, its card as other pages show it, a topic's tag, a story's coverage, the values
//! every page shares), and [`PageInputs::key`] combines the parts one page reads into its key.
//!
//! The rule a key keeps: two builds that give a page the same key give it the same context.
//! Each kind's key below names what that kind's function in [`super::pages`] reads; the
//! integration test `render_inputs` holds the rule over edits, new days and deletions by
//! comparing these keys with the contexts' own fingerprints. Kinds without a key here (the
//! front page, days, indexes, feeds, sitemaps: a few hundred files) are fingerprinted by
//! their context.

use super::context::Links;
use super::{Renderer, discovery, intelligence, seo};
use crate::digest::{Digest, Entry, Why};
use crate::fingerprint::{Key, KeyBuilder};
use crate::plan::{Page, PageKind};
use rayon::prelude::*;

/// A part's fingerprint.
type Print = [u8; 32];

/// The fingerprints of the digest's parts that pages show, made once per build.
pub struct PageInputs {
    /// What every page's context holds: `site`, `strings`, `config`, and the site's settings
    /// (base URL, language, time zone, images) that links, dates and metadata are made with.
    shared: Print,
    /// Per entry: all of it but what points at other parts (those parts' prints stand for
    /// them), body included.
    entries: Vec<Print>,
    /// Per entry: its card, as lists and other articles' pages show it (a coverage link,
    /// a headline's link and a related card show part of it).
    cards: Vec<Print>,
    /// Per topic: its tag as article pages show it.
    tags: Vec<Print>,
    /// Per story: its coverage as its articles' pages show it (the page's own article is
    /// left out by the page, which its key names).
    stories: Vec<Print>,
    /// Per entry: the articles before and after it in its day's listing.
    neighbours: Vec<(Option<usize>, Option<usize>)>,
}

impl PageInputs {
    pub fn new(renderer: &Renderer, links: &Links, d: &Digest) -> PageInputs {
        let shared = {
            let mut k = KeyBuilder::new(true);
            k.json(links.site())
                .part(&renderer.strings_digest)
                .json(&renderer.config)
                .debug(&renderer.raw_html)
                .debug(links.cfg());
            *k.finish().as_bytes()
        };
        let (entries, cards): (Vec<Print>, Vec<Print>) = (0..d.articles.len())
            .into_par_iter()
            .map(|i| {
                let entry = entry_print(&d.articles[i]);
                let card = *KeyBuilder::new(true)
                    .json(&links.card(i))
                    .finish()
                    .as_bytes();
                (entry, card)
            })
            .unzip();
        let tags = (0..d.topics.len())
            .map(|t| {
                let mut k = KeyBuilder::new(true);
                k.json(&discovery::topic_tag(links, d, t));
                *k.finish().as_bytes()
            })
            .collect();
        let stories = d
            .stories
            .iter()
            .map(|s| {
                let mut k = KeyBuilder::new(true);
                k.part(&(s.weight.sites as u64).to_le_bytes());
                // A member's card names its URL, so it stands for the member: indices move
                // whenever a newer day comes in, and the page does not show them.
                for &m in &s.members {
                    k.part(&cards[m]);
                }
                k.json(
                    &s.storyline
                        .map(|l| intelligence::storyline_link(links, d, l)),
                );
                *k.finish().as_bytes()
            })
            .collect();
        PageInputs {
            shared,
            entries,
            cards,
            tags,
            stories,
            neighbours: neighbours(d),
        }
    }

    /// The key of `page` made from its inputs, or `None` for a kind keyed by its context.
    pub fn key(&self, renderer: &Renderer, links: &Links, d: &Digest, page: &Page) -> Option<Key> {
        if let PageKind::ArticleSource(i) = page.kind {
            // Its bytes are the entry's front matter and body, whatever the site around it.
            let mut k = KeyBuilder::new(true);
            k.str("page-inputs")
                .str("article-source")
                .str(&page.file)
                .part(&self.entries[i]);
            return Some(k.finish());
        }
        let (template, kind) = match page.kind {
            PageKind::Article(_) => ("article.html", "article"),
            PageKind::Topic(_) => ("topic.html", "topic"),
            PageKind::Source(_) => ("source.html", "source"),
            _ => return None,
        };
        let mut k = KeyBuilder::new(true);
        // The page's place, not its kind's index into the digest (which moves with every
        // new day while the page stays the same).
        k.str("page-inputs")
            .str(kind)
            .part(&self.shared)
            .str(&page.file)
            .str(&page.site_path)
            .debug(&page.pagination)
            .str(template)
            .part(renderer.template_hashes.get(template).unwrap_or(&[0; 32]));
        if let Some(p) = &page.pagination {
            k.json(&discovery::paginator(links, page.kind, p));
        }
        match page.kind {
            PageKind::Article(i) => self.article(&mut k, d, i),
            PageKind::Topic(t) => {
                k.json(&discovery::topic_link(links, d, t))
                    .json(&seo::page_meta(links, d, page));
                self.cards_of(&mut k, discovery::paged(&d.topics[t].articles, page));
            }
            PageKind::Source(s) => {
                k.json(&discovery::source_link(links, d, s))
                    .json(&seo::page_meta(links, d, page));
                self.cards_of(&mut k, discovery::paged(&d.sites[s].articles, page));
            }
            _ => return None,
        }
        Some(k.finish())
    }

    /// What [`super::pages::article`] reads: the entry, its own card (its URL, site and day
    /// link), the cards its headlines, related coverage and day neighbours link, its story's
    /// coverage and its topics' tags.
    fn article(&self, k: &mut KeyBuilder, d: &Digest, i: usize) {
        let e = &d.articles[i];
        k.part(&self.entries[i]).part(&self.cards[i]);
        let (prev, next) = self.neighbours[i];
        self.card_or_none(k, prev);
        self.card_or_none(k, next);
        for h in &e.headlines {
            self.card_or_none(k, h.article);
        }
        for r in &e.related {
            k.part(&self.cards[r.article]);
            if let Why::Topic(t) = r.why {
                k.part(&self.tags[t]);
            }
        }
        k.part(&self.stories[e.story.index()]);
        for &t in &e.topics {
            k.part(&self.tags[t]);
        }
    }

    fn card_or_none(&self, k: &mut KeyBuilder, i: Option<usize>) {
        match i {
            Some(i) => k.part(&self.cards[i]),
            None => k.part(&[]),
        };
    }

    fn cards_of(&self, k: &mut KeyBuilder, articles: &[usize]) {
        for &i in articles {
            k.part(&self.cards[i]);
        }
    }
}

/// An entry's print: every field (destructured without `..`, so a new field cannot be left
/// out unseen) except the indices into the digest, whose parts' own prints go into the keys
/// that show them.
fn entry_print(e: &Entry) -> Print {
    let Entry {
        id,
        rel,
        day,
        rank,
        title,
        title_source,
        slug,
        body,
        summary,
        word_count,
        reading_minutes,
        meta,
        site: _,
        dropped,
        headlines,
        topics: _,
        copies,
        carried,
        placement,
        story: _,
        briefing,
        related,
    } = e;
    let mut k = KeyBuilder::new(true);
    k.debug(&(id, rel, day, rank, title, title_source, slug, summary))
        .debug(&(word_count, reading_minutes, meta, dropped, copies, carried))
        .debug(&(placement, briefing));
    body.key_into(&mut k);
    for h in headlines {
        k.str(&h.text);
    }
    for r in related {
        k.str(match r.why {
            Why::SameStory => "same-story",
            Why::Storyline => "storyline",
            Why::Topic(_) => "topic",
            Why::Text => "text",
        });
    }
    *k.finish().as_bytes()
}

/// Each entry's neighbours in its day's listing, as an article page finds them: in the first
/// day group of its day.
fn neighbours(d: &Digest) -> Vec<(Option<usize>, Option<usize>)> {
    let mut out = vec![(None, None); d.articles.len()];
    let mut seen = std::collections::HashSet::new();
    for g in &d.days {
        if !seen.insert(g.day) {
            continue;
        }
        for (p, &i) in g.articles.iter().enumerate() {
            if let Some(slot) = out.get_mut(i)
                && d.articles[i].day == g.day
            {
                *slot = (
                    p.checked_sub(1).map(|q| g.articles[q]),
                    g.articles.get(p + 1).copied(),
                );
            }
        }
    }
    out
}
