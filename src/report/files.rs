//! The per-file account, built from the stages' own values: the files the walk set aside,
//! the drafts the digest left out, the files parsing rejected, and every built article with its pages, title source, site
//! and dropped lines, its merged copies, and the merges themselves.

use super::{BuildReport, DroppedLines, FileOutcome, FileRecord, MergeRecord, MergedCopy};
use crate::digest::Digest;
use crate::digest::structure::DropReason;
use crate::ingest::{Rejection, SetAside, TitleSource, slash_path};
use std::path::{Path, PathBuf};

impl BuildReport {
    /// The files the walk set aside (paths relative to the content folder), and why.
    pub fn add_set_aside(&mut self, set_aside: Vec<(PathBuf, SetAside)>) {
        for (rel, why) in set_aside {
            match why {
                SetAside::Ignored(rule) => self.files.push(FileRecord {
                    path: slash_path(&rel),
                    outcome: FileOutcome::Ignored { rule: rule.into() },
                }),
                SetAside::Rejected(rejection) => self.add_rejected(&rel, rejection),
            }
        }
    }

    /// The drafts the digest left out (paths relative to the content folder).
    pub fn add_drafts(&mut self, drafts: &[PathBuf]) {
        self.files.extend(drafts.iter().map(|rel| FileRecord {
            path: slash_path(rel),
            outcome: FileOutcome::Draft,
        }));
    }

    /// A file that parsing set aside, and why.
    pub fn add_rejected(&mut self, rel: &Path, rejection: Rejection) {
        let outcome = match rejection {
            Rejection::Skipped(reason) => FileOutcome::Skipped(reason),
            Rejection::Failed(reason) => FileOutcome::Failed(reason),
        };
        self.files.push(FileRecord {
            path: slash_path(rel),
            outcome,
        });
    }

    /// Every article of the digest and every copy merged into one, with the merges and the
    /// count of title sources. `urls[i]` are the URLs of the pages of `digest.articles[i]`,
    /// its article page first.
    pub fn add_articles(&mut self, digest: &Digest, urls: &[Vec<String>]) {
        for (i, e) in digest.articles.iter().enumerate() {
            let path = slash_path(&e.rel);
            let urls = urls.get(i).cloned().unwrap_or_default();
            let kept_url = urls.first().cloned().unwrap_or_default();
            match e.title_source {
                TitleSource::Given => self.titles.given += 1,
                TitleSource::FirstLine => self.titles.first_line += 1,
                TitleSource::HeadlineList => self.titles.headline_list += 1,
                TitleSource::Derived => self.titles.derived += 1,
            }
            self.files.push(FileRecord {
                path: path.clone(),
                outcome: FileOutcome::Built {
                    urls,
                    title_source: Some(e.title_source.as_str()),
                    merged_into: None,
                    site: e.site.map(|s| digest.sites[s.index()].name.clone()),
                    dropped: e
                        .dropped
                        .iter()
                        .map(|d| DroppedLines {
                            reason: drop_reason_key(d.reason),
                            lines: d.lines,
                        })
                        .collect(),
                },
            });
            if e.copies.is_empty() {
                continue;
            }
            for c in &e.copies {
                self.files.push(FileRecord {
                    path: slash_path(&c.rel),
                    outcome: FileOutcome::Built {
                        urls: Vec::new(),
                        title_source: None,
                        merged_into: Some(kept_url.clone()),
                        site: None,
                        dropped: Vec::new(),
                    },
                });
            }
            self.merges.push(MergeRecord {
                kept: path,
                url: kept_url,
                copies: e
                    .copies
                    .iter()
                    .map(|c| MergedCopy {
                        path: slash_path(&c.rel),
                        kind: c.kind.as_str(),
                        similarity: (c.similarity * 1000.0).round() / 1000.0,
                    })
                    .collect(),
            });
        }
    }
}

/// The report's name for a drop reason: the same kebab-case words as the other report keys
/// (`title_source`, `origin`). Matched in full so a new reason cannot go unnamed.
fn drop_reason_key(r: DropReason) -> &'static str {
    match r {
        DropReason::ListLabel => "list-label",
        DropReason::HeadlineList => "headline-list",
        DropReason::ListedHeadline => "listed-headline",
        DropReason::Boilerplate => "boilerplate",
        DropReason::PhotoCredit => "photo-credit",
        DropReason::LinkLine => "link-line",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Reason;

    #[test]
    fn drop_reason_keys_are_the_digests_own_names() {
        for r in [
            DropReason::ListLabel,
            DropReason::HeadlineList,
            DropReason::ListedHeadline,
            DropReason::Boilerplate,
            DropReason::PhotoCredit,
            DropReason::LinkLine,
        ] {
            let serde_name = serde_json::to_value(r).unwrap();
            assert_eq!(serde_name, drop_reason_key(r), "{r:?}");
        }
    }

    #[test]
    fn drafts_and_rejections_become_records_with_slash_paths() {
        let mut r = BuildReport::default();
        r.add_drafts(&[PathBuf::from("a").join("draft.md")]);
        r.add_set_aside(vec![(
            PathBuf::from(".git"),
            SetAside::Ignored("hidden folder"),
        )]);
        r.add_rejected(Path::new("b.txt"), Rejection::Skipped(Reason::new("empty")));
        r.add_rejected(Path::new("c.txt"), Rejection::Failed(Reason::new("bad")));
        r.finish();
        let got: Vec<_> = r
            .files
            .iter()
            .map(|f| (f.path.as_str(), f.outcome.class()))
            .collect();
        assert_eq!(
            got,
            [
                (".git", "ignored"),
                ("a/draft.md", "draft"),
                ("b.txt", "skipped"),
                ("c.txt", "failed")
            ]
        );
        assert_eq!(
            (r.totals.draft, r.totals.skipped, r.totals.failed),
            (1, 1, 1)
        );
    }
}
