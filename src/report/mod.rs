//! Diagnostics and the build report: what went wrong where (path, line, byte offset), what
//! happened to every file under `content/`, and the one-screen summary printed at the end.
//!
//! Every stage returns its problems as values of this module ([`Diagnostic`]); only the
//! caller decides whether to print them, count them, or turn them into an exit code.
//!
//! The report's records are built here and nowhere else, from the stages' own outcomes:
//! the per-file account (files the walk set aside, drafts, parse rejections, built articles,
//! merged copies, merges, title counts) in `files`, the account across articles (sites,
//! stories, developing stories, top stories) in `stories`, and the discovery figures in
//! [`DiscoveryStats::of`].

mod files;
mod stories;

use serde::Serialize;
use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

/// One problem, tied to a file and, where known, a line or a byte offset in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub path: PathBuf,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub byte: Option<usize>,
    pub message: String,
}

impl Diagnostic {
    pub fn error(path: impl AsRef<Path>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: path.as_ref().to_path_buf(),
            line: None,
            byte: None,
            message: message.into(),
        }
    }

    pub fn warning(path: impl AsRef<Path>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(path, message)
        }
    }

    pub fn at_line(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }

    pub fn at_byte(mut self, byte: usize) -> Self {
        self.byte = Some(byte);
        self
    }
}

/// Shown on a terminal: path and message come from files, so control and bidirectional
/// characters in them are escaped (see [`crate::safety::terminal_safe`]).
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self.path.to_string_lossy();
        write!(f, "{}", crate::safety::terminal_safe(&path))?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        let kind = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        write!(
            f,
            ": {kind}: {}",
            crate::safety::terminal_safe(&self.message)
        )?;
        if let Some(byte) = self.byte {
            write!(f, " (at byte {byte})")?;
        }
        Ok(())
    }
}

/// Why a file was not built, and where in the file the problem is when that is known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Reason {
    pub reason: String,
    /// 1-based line in the file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// 0-based byte offset in the file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub byte: Option<usize>,
}

impl Reason {
    pub fn new(reason: impl Into<String>) -> Self {
        Reason {
            reason: reason.into(),
            line: None,
            byte: None,
        }
    }
}

impl From<&Diagnostic> for Reason {
    fn from(d: &Diagnostic) -> Self {
        Reason {
            reason: d.message.clone(),
            line: d.line,
            byte: d.byte,
        }
    }
}

/// What became of one file found under `content/`. Every walked file gets exactly one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(tag = "status", rename_all = "lowercase")]
pub enum FileOutcome {
    /// Rendered into these pages (root-relative URLs). A duplicate merged into another
    /// article has no pages of its own: `merged_into` is the URL of the article it shows on.
    Built {
        urls: Vec<String>,
        /// Where the article's title came from: `given`, `first-line`, `headline-list` or
        /// `derived` (absent for merged duplicates, which show under their article's title).
        #[serde(
            skip_serializing_if = "Option::is_none",
            default,
            deserialize_with = "known_name_opt"
        )]
        title_source: Option<Name>,
        #[serde(skip_serializing_if = "Option::is_none")]
        merged_into: Option<String>,
        /// The name of the source site the article came from (see `sites`); absent when no
        /// site is known, and for merged duplicates.
        #[serde(skip_serializing_if = "Option::is_none")]
        site: Option<String>,
        /// Lines left out of the body, by reason; absent when nothing was left out.
        #[serde(skip_serializing_if = "Vec::is_empty", default)]
        dropped: Vec<DroppedLines>,
    },
    /// Not a content file, by the named rule (editor junk, hidden file, other extension).
    Ignored { rule: String },
    /// `draft: true` and the build did not ask for drafts.
    Draft,
    /// Read but deliberately not built (e.g. too large, binary, empty); the reason says why.
    Skipped(Reason),
    /// Could not be built because of an error in the file.
    Failed(Reason),
}

impl FileOutcome {
    pub fn class(&self) -> &'static str {
        match self {
            FileOutcome::Built { .. } => "built",
            FileOutcome::Ignored { .. } => "ignored",
            FileOutcome::Draft => "draft",
            FileOutcome::Skipped(_) => "skipped",
            FileOutcome::Failed(_) => "failed",
        }
    }
}

/// One row of the per-file account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct FileRecord {
    /// Path relative to the content folder, with `/` separators.
    pub path: String,
    #[serde(flatten)]
    pub outcome: FileOutcome,
}

/// Lines dropped from one file's body for one reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct DroppedLines {
    /// `list-label`, `headline-list`, `listed-headline`, `boilerplate`, `photo-credit` or
    /// `link-line`.
    #[serde(deserialize_with = "known_name")]
    pub reason: Name,
    pub lines: usize,
}

/// A source site of the digest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct SiteRecord {
    pub name: String,
    /// Its page is `sources/<slug>/`.
    pub slug: String,
    /// How it was known: `front-matter`, `folder` or `inferred`.
    #[serde(deserialize_with = "known_name")]
    pub origin: Name,
    /// How many built articles it has.
    pub articles: usize,
}

/// A story covered by more than one article (see `digest::stories`).
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct StoryRecord {
    /// The lead article's file.
    pub lead: String,
    /// Every article's file, the lead first.
    pub members: Vec<String>,
    /// Files merged into those articles as copies.
    pub copies: Vec<String>,
    /// The known sites that covered it.
    pub sites: Vec<String>,
    /// How many distinct sites covered it (an article of no known site counts as one).
    pub site_count: usize,
    /// Its days, oldest first.
    pub days: Vec<String>,
    /// `stories/<slug>/` of its developing story, when it has one.
    pub storyline: Option<String>,
}

/// A developing story with a page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct StorylineRecord {
    pub slug: String,
    pub title: String,
    pub stories: usize,
    pub articles: usize,
    /// Its days, oldest first.
    pub days: Vec<String>,
}

/// A day's top stories, as its page shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct DayTopRecord {
    pub day: String,
    /// The file shown for each top story, most covered first.
    pub top: Vec<String>,
    /// The site of each of those files (empty when unknown).
    pub top_sites: Vec<String>,
    /// Distinct sites with articles that day.
    pub sites: usize,
}

/// Totals per outcome class; `walked` is their sum.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Totals {
    pub walked: usize,
    pub built: usize,
    pub ignored: usize,
    pub draft: usize,
    pub skipped: usize,
    pub failed: usize,
}

/// A story received as several files, merged into one article page.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct MergeRecord {
    /// The file that was kept (its article's page shows the others as "also received as").
    pub kept: String,
    pub url: String,
    pub copies: Vec<MergedCopy>,
}

#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct MergedCopy {
    pub path: String,
    /// `exact`, `near` or `forced` (front matter `duplicate_of`).
    #[serde(deserialize_with = "known_name")]
    pub kind: Name,
    /// Jaccard similarity of the word 5-shingles with the kept file, 0 to 1.
    pub similarity: f64,
}

/// How many built articles got their title from each source.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct TitleCounts {
    pub given: usize,
    pub first_line: usize,
    pub headline_list: usize,
    pub derived: usize,
}

/// Everything a build learned, for the summary on stderr and `--report`.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize)]
pub struct BuildReport {
    pub articles: usize,
    pub days: usize,
    pub pages: usize,
    /// Pages rendered by this build, and pages whose bytes came from the build cache because
    /// their template and context had not changed.
    pub pages_rendered: usize,
    pub pages_cached: usize,
    /// Content files parsed, and those whose parse came from the build cache.
    pub sources_parsed: usize,
    pub sources_cached: usize,
    /// Articles' texts the digest read (terms and names), and those whose reading came from
    /// the build cache because the same text was read before.
    #[serde(default)]
    pub texts_read: usize,
    #[serde(default)]
    pub texts_cached: usize,
    /// Files in the new output folder (precompressed twins and the marker included).
    pub output_files: usize,
    /// Files written because their bytes are new or changed.
    pub files_written: usize,
    /// Files left as they were (same bytes, same modification time).
    pub files_unchanged: usize,
    /// Files of the previous output that the site no longer produces.
    pub files_removed: usize,
    /// `.gz` and `.br` twins among `output_files`.
    pub files_compressed: usize,
    /// Output paths written or removed by this build (for preview servers and deploy tools;
    /// not in the JSON report, which would repeat every path of a full build).
    #[serde(skip)]
    pub changed_files: Vec<String>,
    pub warnings: usize,
    pub errors: usize,
    pub totals: Totals,
    pub discovery: DiscoveryStats,
    pub titles: TitleCounts,
    /// Every source site, in the digest's order; files name theirs in `site`.
    pub sites: Vec<SiteRecord>,
    /// Every story of more than one article, heaviest first.
    pub stories: Vec<StoryRecord>,
    /// Every developing story with a page.
    pub storylines: Vec<StorylineRecord>,
    /// Each day's top stories, newest day first.
    pub top_stories: Vec<DayTopRecord>,
    /// Wall time and items per stage (`--timings`): of this run, never of a stored report.
    #[serde(skip_deserializing)]
    pub timings: crate::timings::Timings,
    /// Duplicates merged: every file listed here is also in `files` as built with
    /// `merged_into`.
    pub merges: Vec<MergeRecord>,
    pub files: Vec<FileRecord>,
    pub diagnostics: Vec<Diagnostic>,
}

/// What the build wrote for readers and machines to find the articles by.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct DiscoveryStats {
    pub topics: usize,
    pub feeds: usize,
    pub sitemap_urls: usize,
    /// Size of `search-index.json`.
    pub search_index_bytes: u64,
}

impl DiscoveryStats {
    /// What the plan holds for discovery: the digest's topics, the feeds, the pages in the
    /// sitemap; and the size of the search index as rendered.
    pub fn of(topics: usize, pages: &[crate::plan::Page], search_index_bytes: u64) -> Self {
        use crate::plan::{PageKind, discovery};
        DiscoveryStats {
            topics,
            feeds: pages
                .iter()
                .filter(|p| matches!(p.kind, PageKind::Feed(..)))
                .count(),
            sitemap_urls: pages
                .iter()
                .filter(|p| discovery::in_sitemap(p.kind))
                .count(),
            search_index_bytes,
        }
    }

    /// The search index's size per article, rounded; 0 for an empty site.
    pub fn search_bytes_per_article(&self, articles: usize) -> u64 {
        if articles == 0 {
            0
        } else {
            (self.search_index_bytes as f64 / articles as f64).round() as u64
        }
    }
}

impl BuildReport {
    /// Recounts totals and warning/error counts from the records; call after the last change.
    pub fn finish(&mut self) {
        self.files.sort_by(|a, b| a.path.cmp(&b.path));
        self.merges.sort_by(|a, b| a.kept.cmp(&b.kept));
        // By path as text, like the file records, so both lists read in the same order.
        self.diagnostics.sort_by(|a, b| {
            (a.path.to_string_lossy(), a.line, a.byte, &a.message).cmp(&(
                b.path.to_string_lossy(),
                b.line,
                b.byte,
                &b.message,
            ))
        });
        let mut t = Totals::default();
        for f in &self.files {
            t.walked += 1;
            match f.outcome {
                FileOutcome::Built { .. } => t.built += 1,
                FileOutcome::Ignored { .. } => t.ignored += 1,
                FileOutcome::Draft => t.draft += 1,
                FileOutcome::Skipped(_) => t.skipped += 1,
                FileOutcome::Failed(_) => t.failed += 1,
            }
        }
        self.totals = t;
        self.warnings = self.count(Severity::Warning);
        self.errors = self.count(Severity::Error);
    }

    /// `Discovery: 29 topics, 35 feeds, 131 URLs in the sitemap; search index 10.9 KB (309 bytes per article).`
    fn discovery_line(&self) -> String {
        let d = &self.discovery;
        format!(
            "Discovery: {} topics, {} feeds, {} URLs in the sitemap; search index {} ({} bytes per article).\n",
            d.topics,
            d.feeds,
            d.sitemap_urls,
            human_bytes(d.search_index_bytes),
            d.search_bytes_per_article(self.articles)
        )
    }

    /// `Stories: 12 of more than one article (9 covered by several sites); 3 developing stories.`
    fn stories_line(&self) -> String {
        let multi = self.stories.iter().filter(|s| s.site_count > 1).count();
        format!(
            "Stories: {} of more than one article ({} covered by several sites); {} developing {}.\n",
            self.stories.len(),
            multi,
            self.storylines.len(),
            if self.storylines.len() == 1 {
                "story"
            } else {
                "stories"
            }
        )
    }

    /// `Sources: 3 sites (2 from front matter, 1 from folders, 0 inferred); 40 articles have none.`
    fn sites_line(&self) -> String {
        let by = |origin: &str| self.sites.iter().filter(|s| s.origin == origin).count();
        let with_site: usize = self.sites.iter().map(|s| s.articles).sum();
        format!(
            "Sources: {} {} ({} from front matter, {} from folders, {} inferred); {} {} none.\n",
            self.sites.len(),
            if self.sites.len() == 1 {
                "site"
            } else {
                "sites"
            },
            by("front-matter"),
            by("folder"),
            by("inferred"),
            self.articles.saturating_sub(with_site),
            if self.articles.saturating_sub(with_site) == 1 {
                "article has"
            } else {
                "articles have"
            },
        )
    }

    fn count(&self, s: Severity) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == s).count()
    }

    /// The human summary: one screen, problems listed with their paths.
    pub fn summary(&self, max_problems: usize) -> String {
        let t = &self.totals;
        let mut out = format!(
            "Built {} articles over {} days: {} pages ({} rendered, {} unchanged from cache).\n\
             Output: {} files: {} written, {} unchanged, {} removed.\n\
             Files: {} walked, {} built, {} ignored, {} drafts, {} skipped, {} failed; {} parsed, {} from cache.\n\
             {} warnings, {} errors.\n",
            self.articles,
            self.days,
            self.pages,
            self.pages_rendered,
            self.pages_cached,
            self.output_files,
            self.files_written,
            self.files_unchanged,
            self.files_removed,
            t.walked,
            t.built,
            t.ignored,
            t.draft,
            t.skipped,
            t.failed,
            self.sources_parsed,
            self.sources_cached,
            self.warnings,
            self.errors
        );
        out.push_str(&self.discovery_line());
        out.push_str(&self.sites_line());
        out.push_str(&self.stories_line());
        let merged: usize = self.merges.iter().map(|m| m.copies.len()).sum();
        let ti = &self.titles;
        out.push_str(&format!(
            "Titles: {} given, {} first line, {} from headline lists, {} derived. Duplicates: {} {} merged into {} {}.\n",
            ti.given,
            ti.first_line,
            ti.headline_list,
            ti.derived,
            merged,
            if merged == 1 { "file" } else { "files" },
            self.merges.len(),
            if self.merges.len() == 1 { "article" } else { "articles" },
        ));
        for d in self.diagnostics.iter().take(max_problems) {
            out.push_str(&format!("  {d}\n"));
        }
        if self.diagnostics.len() > max_problems {
            out.push_str(&format!(
                "  … and {} more (see --report)\n",
                self.diagnostics.len() - max_problems
            ));
        }
        out
    }
}

/// `812 B`, `10.9 KB`, `3.1 MB` (powers of 1024).
pub fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KB", "MB", "GB"];
    let mut v = n as f64;
    let mut unit = 0;
    while v >= 1024.0 && unit < UNITS.len() - 1 {
        v /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", UNITS[unit])
    }
}

/// A name out of a fixed set ([`KNOWN_NAMES`]). An alias, so that serde does not take the
/// field for text borrowed from its input.
pub type Name = &'static str;

/// Every name a report field of type [`Name`] takes (title sources, drop reasons, site
/// origins, duplicate kinds), so a stored report can be read back without leaking strings.
const KNOWN_NAMES: &[&str] = &[
    "given",
    "first-line",
    "headline-list",
    "derived",
    "list-label",
    "listed-headline",
    "boilerplate",
    "photo-credit",
    "link-line",
    "front-matter",
    "folder",
    "inferred",
    "exact",
    "near",
    "forced",
];

fn known_name<'de, D: serde::Deserializer<'de>>(d: D) -> Result<&'static str, D::Error> {
    let s = <String as serde::Deserialize>::deserialize(d)?;
    KNOWN_NAMES
        .iter()
        .find(|k| **k == s)
        .copied()
        .ok_or_else(|| serde::de::Error::custom(format!("unknown name {s:?}")))
}

fn known_name_opt<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<&'static str>, D::Error> {
    known_name(d).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stored report is read back only if every name in it is known: each enum's names.
    #[test]
    fn every_static_name_can_be_read_back() {
        use crate::digest::{dedupe::DuplicateKind, sites::SiteOrigin};
        use crate::ingest::TitleSource;
        let names = [
            TitleSource::Given.as_str(),
            TitleSource::FirstLine.as_str(),
            TitleSource::HeadlineList.as_str(),
            TitleSource::Derived.as_str(),
            SiteOrigin::FrontMatter.as_str(),
            SiteOrigin::Folder.as_str(),
            SiteOrigin::Inferred.as_str(),
            DuplicateKind::Exact.as_str(),
            DuplicateKind::Near.as_str(),
            DuplicateKind::Forced.as_str(),
        ];
        for n in names {
            let back: MergedCopy = serde_json::from_value(serde_json::json!({
                "path": "a", "kind": n, "similarity": 1.0
            }))
            .unwrap();
            assert_eq!(back.kind, n);
        }
        let bad = serde_json::json!({"path": "a", "kind": "nope", "similarity": 1.0});
        assert!(serde_json::from_value::<MergedCopy>(bad).is_err());
    }

    #[test]
    fn diagnostic_display_names_path_line_and_byte() {
        let d = Diagnostic::error("content/a.txt", "bad").at_line(3);
        assert_eq!(d.to_string(), "content/a.txt:3: error: bad");
        let d = Diagnostic::warning("a.txt", "lossy").at_byte(17);
        assert_eq!(d.to_string(), "a.txt: warning: lossy (at byte 17)");
    }

    #[test]
    fn totals_add_up() {
        let mut r = BuildReport::default();
        r.files.push(FileRecord {
            path: "b".into(),
            outcome: FileOutcome::Draft,
        });
        r.files.push(FileRecord {
            path: "a".into(),
            outcome: FileOutcome::Ignored {
                rule: "junk".into(),
            },
        });
        r.diagnostics.push(Diagnostic::error("a", "x"));
        r.finish();
        assert_eq!(r.totals.walked, 2);
        assert_eq!(r.totals.draft + r.totals.ignored, 2);
        assert_eq!(r.files[0].path, "a");
        assert_eq!(r.errors, 1);
        assert!(r.summary(10).contains("a: error: x"));
    }

    #[test]
    fn discovery_line_reports_index_size_per_article() {
        let mut r = BuildReport {
            articles: 4,
            ..Default::default()
        };
        r.discovery = DiscoveryStats {
            topics: 2,
            feeds: 5,
            sitemap_urls: 9,
            search_index_bytes: 1234,
        };
        assert!(r.summary(0).contains(
            "Discovery: 2 topics, 5 feeds, 9 URLs in the sitemap; search index 1.2 KB (309 bytes per article)."
        ));
        assert_eq!(human_bytes(812), "812 B");
        assert_eq!(human_bytes(3 * 1024 * 1024 + 200_000), "3.2 MB");
    }

    #[test]
    fn sites_line_counts_sites_by_origin_and_articles_without_one() {
        let site = |origin, articles| SiteRecord {
            name: "x".into(),
            slug: "x".into(),
            origin,
            articles,
        };
        let r = BuildReport {
            articles: 10,
            sites: vec![
                site("front-matter", 4),
                site("folder", 3),
                site("inferred", 2),
                site("front-matter", 0),
            ],
            ..Default::default()
        };
        assert!(r.summary(0).contains(
            "Sources: 4 sites (2 from front matter, 1 from folders, 1 inferred); 1 article has none."
        ));
        let empty = BuildReport::default();
        assert!(empty.summary(0).contains(
            "Sources: 0 sites (0 from front matter, 0 from folders, 0 inferred); 0 articles have none."
        ));
    }
}
