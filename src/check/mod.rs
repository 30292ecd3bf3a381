//! `newsdigest check`: proves a built site correct before it is published, without a network.
//! It reads the output folder and never changes it.
//!
//! Every internal link and asset of every page must resolve to a file, and every `#fragment`
//! to an id in the target page; root-relative links must stay inside the base path (the usual
//! way a site deployed at `https://example.org/digest/` breaks). Every page needs a `<title>`
//! and a canonical link that is absolute, under `base_url` and points at a page of the site
//! (which catches a build made with a preview base URL). No page may be orphaned from the front
//! page's link graph. Feeds and sitemaps must parse, publish absolute URLs only, and every URL
//! of the site they list must exist. Precompressed `.gz`/`.br` twins must decompress to their
//! originals. No file may exceed the size budget. A site built for a local `base_url`
//! (`localhost`, the default) is not fit to publish. With `--external`, external links are asked
//! too ([`external`]).

pub mod external;
pub mod feeds;
pub mod html;
pub mod urls;

use crate::config::BaseUrl;
use crate::output::compress::{self, Encoding};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::fmt;
use std::path::{Path, PathBuf};
use urls::Target;

/// What to check beyond the defaults.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// No file may be larger (`check.max_file_bytes` in `site.yaml`).
    pub max_file_bytes: u64,
    /// Also check external links over the network.
    pub external: Option<external::ExternalOptions>,
}

/// The kinds of problem, each with the label printed before its detail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    NoFrontPage,
    LocalBaseUrl,
    BrokenLink,
    BrokenAnchor,
    OutsideBase,
    MissingTitle,
    MissingCanonical,
    BadCanonical,
    DuplicateId,
    Orphan,
    MalformedXml,
    MalformedJson,
    FeedUrl,
    StaleCompressed,
    OverBudget,
    External,
}

impl Kind {
    pub fn label(self) -> &'static str {
        match self {
            Kind::NoFrontPage => "no front page",
            Kind::LocalBaseUrl => "local base URL",
            Kind::BrokenLink => "broken link",
            Kind::BrokenAnchor => "broken anchor",
            Kind::OutsideBase => "link outside the site",
            Kind::MissingTitle => "missing title",
            Kind::MissingCanonical => "missing canonical link",
            Kind::BadCanonical => "bad canonical link",
            Kind::DuplicateId => "duplicate id",
            Kind::Orphan => "orphan page",
            Kind::MalformedXml => "malformed XML",
            Kind::MalformedJson => "malformed JSON",
            Kind::FeedUrl => "bad URL in feed or sitemap",
            Kind::StaleCompressed => "stale precompressed file",
            Kind::OverBudget => "over size budget",
            Kind::External => "external link",
        }
    }
}

/// One problem: the file it is in, what kind, and the detail (the link and why).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Problem {
    pub file: String,
    pub kind: Kind,
    pub detail: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.file, self.kind.label(), self.detail)
    }
}

/// What was checked, and what is wrong.
#[derive(Debug, Clone, Default)]
pub struct CheckReport {
    pub files: usize,
    pub pages: usize,
    /// Internal links and assets followed (canonical links included).
    pub links: usize,
    /// Of those, links with a `#fragment` checked against the target's ids.
    pub anchors: usize,
    /// Feeds, sitemaps, JSON and robots.txt files read, with their entries.
    pub feeds: Vec<(String, &'static str, usize)>,
    pub external_links: usize,
    pub external_checked: usize,
    /// External links to reserved example domains: not checkable, never asked.
    pub external_reserved: usize,
    pub problems: Vec<Problem>,
    /// Files that links, feeds or sitemaps point at but the site lacks, most referenced first.
    pub missing_targets: Vec<(String, usize)>,
}

impl CheckReport {
    pub fn summary(&self) -> String {
        // Machine-read files by kind: "34 RSS feeds (205 entries), 2 sitemaps (92 entries)".
        let mut kinds: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
        for (_, kind, entries) in self.feeds.iter().filter(|f| f.1 != "JSON") {
            let k = kinds.entry(kind).or_default();
            k.0 += 1;
            k.1 += entries;
        }
        let feeds: Vec<String> = kinds
            .iter()
            .map(|(kind, (files, entries))| {
                format!(
                    "{files} {kind}{} ({entries} entries)",
                    if *files == 1 { "" } else { "s" }
                )
            })
            .collect();
        let external = if self.external_checked > 0 || self.external_reserved > 0 {
            let mut s = format!("{} external links checked", self.external_checked);
            if self.external_reserved > 0 {
                s.push_str(&format!(
                    ", {} to reserved example domains not checkable",
                    self.external_reserved
                ));
            }
            s
        } else {
            format!(
                "{} external links not checked (use --external)",
                self.external_links
            )
        };
        let missing: String = self
            .missing_targets
            .iter()
            .take(5)
            .map(|(f, n)| {
                format!(
                    "  missing {f}: {n} reference{}\n",
                    if *n == 1 { "" } else { "s" }
                )
            })
            .collect();
        format!(
            "Checked {} files: {} pages, {} internal links ({} with anchors), {}; {}.\n{missing}{} problem{}.\n",
            self.files,
            self.pages,
            self.links,
            self.anchors,
            if feeds.is_empty() {
                "no feeds or sitemaps".to_string()
            } else {
                feeds.join(", ")
            },
            external,
            self.problems.len(),
            if self.problems.len() == 1 { "" } else { "s" },
        )
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    #[error("{path}: cannot check: {message}")]
    Unreadable { path: PathBuf, message: String },
}

/// A file of the site: path relative to the output root with `/`, and its size.
struct SiteFile {
    rel: String,
    len: u64,
}

fn list(output: &Path) -> Result<Vec<SiteFile>, CheckError> {
    if !output.is_dir() {
        return Err(CheckError::Unreadable {
            path: output.to_path_buf(),
            message: "no such folder (build the site first)".into(),
        });
    }
    let mut files = Vec::new();
    for e in walkdir::WalkDir::new(output).sort_by_file_name() {
        let e = e.map_err(|e| CheckError::Unreadable {
            path: e.path().unwrap_or(output).to_path_buf(),
            message: e.to_string(),
        })?;
        if e.file_type().is_dir() {
            continue;
        }
        let rel = crate::model::relative_to(output, e.path());
        files.push(SiteFile {
            rel: crate::ingest::slash_path(&rel),
            len: e.metadata().map(|m| m.len()).unwrap_or(0),
        });
    }
    Ok(files)
}

/// Pages exempt from the orphan rule: reached by the server, not by links.
const NOT_LINKED_BY_DESIGN: &[&str] = &["404.html"];

/// Checks the site built into `output`, served at `base`.
pub fn check_site(
    output: &Path,
    base: &BaseUrl,
    opts: &CheckOptions,
) -> Result<CheckReport, CheckError> {
    let files = list(output)?;
    let names: HashSet<String> = files.iter().map(|f| f.rel.clone()).collect();
    let mut report = CheckReport {
        files: files.len(),
        ..Default::default()
    };
    let mut problems = Vec::new();
    let problem = |file: &str, kind, detail: String| Problem {
        file: file.to_string(),
        kind,
        detail,
    };

    if base.is_local() {
        problems.push(problem(
            "index.html",
            Kind::LocalBaseUrl,
            format!(
                "base_url {} is a local address: canonical links, feeds and sitemaps point at \
                 the reader's own computer (set base_url in site.yaml, or pass the --base-url \
                 the site was built with)",
                base.absolute()
            ),
        ));
    }

    for f in &files {
        if f.len > opts.max_file_bytes {
            problems.push(problem(
                &f.rel,
                Kind::OverBudget,
                format!(
                    "{} bytes, over the budget of {} bytes (check.max_file_bytes)",
                    f.len, opts.max_file_bytes
                ),
            ));
        }
    }

    // Pages, read in parallel.
    let html_files: Vec<&SiteFile> = files.iter().filter(|f| f.rel.ends_with(".html")).collect();
    let pages: Vec<(String, html::PageInfo)> = html_files
        .par_iter()
        .map(|f| {
            let bytes = std::fs::read(output.join(&f.rel)).unwrap_or_default();
            (f.rel.clone(), html::scan(&bytes))
        })
        .collect();
    report.pages = pages.len();
    let infos: HashMap<&str, &html::PageInfo> =
        pages.iter().map(|(f, i)| (f.as_str(), i)).collect();

    if !names.contains("index.html") {
        problems.push(problem(
            "index.html",
            Kind::NoFrontPage,
            "the site has no index.html".into(),
        ));
    }

    let mut edges: HashMap<&str, Vec<String>> = HashMap::new();
    // Missing files by how often something points at them: one deleted article is usually
    // dozens of broken links (day page, topics, feeds, sitemaps), fixed in one place.
    let mut missing: BTreeMap<String, usize> = BTreeMap::new();
    let mut external_urls: BTreeSet<String> = BTreeSet::new();
    for (file, info) in &pages {
        let page_path = urls::page_url_path(file, base);
        // A <base href> changes what relative links resolve against.
        let resolve_from = match info
            .base
            .as_deref()
            .map(|b| urls::classify(b, &page_path, base))
        {
            Some(Target::Internal { path, .. }) => format!("{}{path}", base.path()),
            _ => page_path.clone(),
        };
        match &info.title {
            None => problems.push(problem(
                file,
                Kind::MissingTitle,
                "no <title> element".into(),
            )),
            Some(t) if t.is_empty() => problems.push(problem(
                file,
                Kind::MissingTitle,
                "the <title> is empty".into(),
            )),
            Some(_) => {}
        }
        for id in &info.duplicate_ids {
            problems.push(problem(
                file,
                Kind::DuplicateId,
                format!("id=\"{id}\" appears more than once; #{id} is ambiguous"),
            ));
        }
        match info.canonicals.as_slice() {
            [] => problems.push(problem(
                file,
                Kind::MissingCanonical,
                "no <link rel=\"canonical\">".into(),
            )),
            [c, rest @ ..] => {
                if !rest.is_empty() {
                    problems.push(problem(
                        file,
                        Kind::BadCanonical,
                        format!("{} canonical links; there must be one", rest.len() + 1),
                    ));
                }
                report.links += 1;
                let absolute = c.starts_with("https://") || c.starts_with("http://");
                match urls::classify(c, &page_path, base) {
                    _ if !absolute => problems.push(problem(
                        file,
                        Kind::BadCanonical,
                        format!("{c} is not an absolute URL"),
                    )),
                    Target::Internal { path, .. } => {
                        if urls::file_for(&path, &names).is_none_or(|t| !t.ends_with(".html")) {
                            problems.push(problem(
                                file,
                                Kind::BadCanonical,
                                format!("{c} → no such page in the site"),
                            ));
                        }
                    }
                    _ => problems.push(problem(
                        file,
                        Kind::BadCanonical,
                        format!(
                            "{c} is not under base_url {} (built with another base URL?)",
                            base.absolute()
                        ),
                    )),
                }
            }
        }
        let out_edges = edges.entry(file.as_str()).or_default();
        for link in &info.links {
            match urls::classify(&link.url, &resolve_from, base) {
                Target::Skip => {}
                Target::External(u) => {
                    external_urls.insert(u);
                }
                Target::Outside(why) => problems.push(problem(
                    file,
                    Kind::OutsideBase,
                    format!("<{} {}>: {why}", link.element, link.attr),
                )),
                Target::Internal { path, fragment } => {
                    report.links += 1;
                    let Some(target) = urls::file_for(&path, &names) else {
                        let wanted = wanted_file(&path);
                        problems.push(problem(
                            file,
                            Kind::BrokenLink,
                            format!("{} → no file {wanted}", link.url),
                        ));
                        *missing.entry(wanted).or_default() += 1;
                        continue;
                    };
                    if let Some(frag) = fragment
                        && let Some(t) = infos.get(target.as_str())
                    {
                        report.anchors += 1;
                        if !t.ids.contains(&frag) && frag != "top" {
                            problems.push(problem(
                                file,
                                Kind::BrokenAnchor,
                                format!("{} → {target} has no id=\"{frag}\"", link.url),
                            ));
                        }
                    }
                    if target.ends_with(".html") {
                        out_edges.push(target);
                    }
                }
            }
        }
    }

    // Orphans: pages no chain of links from the front page reaches.
    if names.contains("index.html") {
        let mut seen: HashSet<&str> = HashSet::new();
        let mut todo: VecDeque<&str> = VecDeque::from(["index.html"]);
        while let Some(p) = todo.pop_front() {
            if !seen.insert(p) {
                continue;
            }
            for t in edges.get(p).into_iter().flatten() {
                if !seen.contains(t.as_str()) {
                    todo.push_back(t.as_str());
                }
            }
        }
        for (file, _) in &pages {
            if !seen.contains(file.as_str()) && !NOT_LINKED_BY_DESIGN.contains(&file.as_str()) {
                problems.push(problem(
                    file,
                    Kind::Orphan,
                    "no chain of links from the front page reaches it".into(),
                ));
            }
        }
    }

    // Feeds, sitemaps, JSON, robots.txt.
    for f in &files {
        let read = || std::fs::read(output.join(&f.rel)).unwrap_or_default();
        let published = if f.rel.ends_with(".xml") {
            match feeds::xml(&read()) {
                Ok(p) => p,
                Err(e) => {
                    problems.push(problem(&f.rel, Kind::MalformedXml, e));
                    continue;
                }
            }
        } else if f.rel.ends_with(".json") {
            match feeds::json(&read()) {
                Ok(p) => p,
                Err(e) => {
                    problems.push(problem(&f.rel, Kind::MalformedJson, e));
                    continue;
                }
            }
        } else if f.rel == "robots.txt" {
            feeds::robots(&read())
        } else {
            continue;
        };
        report
            .feeds
            .push((f.rel.clone(), published.kind, published.entries));
        for (at, u) in &published.urls {
            if !(u.starts_with("https://") || u.starts_with("http://")) {
                problems.push(problem(
                    &f.rel,
                    Kind::FeedUrl,
                    format!("{at} {u:?} is not an absolute URL"),
                ));
                continue;
            }
            match urls::classify(u, base.path(), base) {
                Target::Internal { path, .. } => {
                    report.links += 1;
                    if urls::file_for(&path, &names).is_none() {
                        problems.push(problem(
                            &f.rel,
                            Kind::FeedUrl,
                            format!("{at} {u} → no such file in the site"),
                        ));
                        *missing.entry(wanted_file(&path)).or_default() += 1;
                    }
                }
                Target::External(u) => {
                    external_urls.insert(u);
                }
                Target::Outside(why) => problems.push(problem(&f.rel, Kind::FeedUrl, why)),
                Target::Skip => {}
            }
        }
    }

    // Precompressed twins must hold exactly their original.
    let twins: Vec<(&SiteFile, Encoding, String)> = files
        .iter()
        .filter_map(|f| {
            Encoding::ALL.iter().find_map(|e| {
                f.rel
                    .strip_suffix(e.suffix())
                    .map(|orig| (f, *e, orig.to_string()))
            })
        })
        .collect();
    let twin_problems: Vec<Problem> = twins
        .par_iter()
        .filter_map(|(f, enc, orig)| {
            if !names.contains(orig) {
                return Some(problem(
                    &f.rel,
                    Kind::StaleCompressed,
                    format!("{orig} does not exist"),
                ));
            }
            let original = std::fs::read(output.join(orig)).unwrap_or_default();
            let z = std::fs::read(output.join(&f.rel)).unwrap_or_default();
            match compress::decompress(*enc, &z) {
                Ok(d) if d == original => None,
                Ok(_) => Some(problem(
                    &f.rel,
                    Kind::StaleCompressed,
                    format!("does not decompress to the current {orig}"),
                )),
                Err(e) => Some(problem(
                    &f.rel,
                    Kind::StaleCompressed,
                    format!("cannot be decompressed: {e}"),
                )),
            }
        })
        .collect();
    problems.extend(twin_problems);

    report.external_links = external_urls.len();
    if let Some(ext) = &opts.external {
        let urls: Vec<String> = external_urls.iter().cloned().collect();
        let results = external::check(&urls, ext);
        // Name the first page that has each link, so the report says where to fix it.
        let mut first_page: BTreeMap<&str, &str> = BTreeMap::new();
        for (file, info) in &pages {
            for l in &info.links {
                first_page.entry(l.url.as_str()).or_insert(file.as_str());
            }
        }
        for (url, outcome) in results {
            let file = first_page.get(url.as_str()).copied().unwrap_or("(feeds)");
            let detail = match outcome {
                external::Outcome::Ok(_) => {
                    report.external_checked += 1;
                    continue;
                }
                external::Outcome::Skipped => continue,
                external::Outcome::Reserved => {
                    report.external_reserved += 1;
                    continue;
                }
                external::Outcome::Status(code) => {
                    report.external_checked += 1;
                    format!("{url} → HTTP {code}")
                }
                external::Outcome::Failed(e) => {
                    report.external_checked += 1;
                    format!("{url} → {e}")
                }
            };
            problems.push(problem(file, Kind::External, detail));
        }
    }

    problems.sort();
    problems.dedup();
    report.problems = problems;
    let mut missing: Vec<(String, usize)> = missing.into_iter().collect();
    missing.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    report.missing_targets = missing;
    Ok(report)
}

/// The file a site path needs: `x/` → `x/index.html`.
fn wanted_file(path: &str) -> String {
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}
