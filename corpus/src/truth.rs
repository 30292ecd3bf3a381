//! The ground truth of a generated corpus as JSON (`newsdigest generate --truth FILE`): for
//! each dump, by its path relative to the content folder, its true title, site and day, and
//! which of its lines are body, byline, photo credit, boilerplate, list label and list
//! headlines, so an evaluation can score structure detection, titles and sites against it.
//!
//! The format extends the truth file of the real-news development corpus (`title`, `source`,
//! `day` per path): everything else is optional when reading, so one [`Truth`] reader serves
//! both.

use super::{Corpus, GenerateError, LineKind, calendar};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// Dump path (`/`-separated, relative to the content folder) → its truth. Sorted by path, so
/// the file's bytes are as deterministic as the corpus.
pub type Truth = BTreeMap<String, DumpTruth>;

/// What a perfect reader knows about one dump.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DumpTruth {
    /// The article's true title (absent from its own dump).
    pub title: String,
    /// The site's short name (`harbour-courier`), as the development corpus names its sources.
    pub source: String,
    /// `YYYY-MM-DD`
    pub day: String,
    /// The site's display name.
    #[serde(default)]
    pub site_name: Option<String>,
    #[serde(default)]
    pub rank: Option<u32>,
    #[serde(default)]
    pub topic: Option<String>,
    /// The dateline or agency prefix opening the first body line, if any.
    #[serde(default)]
    pub dateline: Option<String>,
    /// The clean lead sentence (the first body line without its dateline starts with it).
    #[serde(default)]
    pub lead: Option<String>,
    #[serde(default)]
    pub lines: Lines,
    /// The paths of the articles the dump's list names, in list order.
    #[serde(default)]
    pub list: Vec<String>,
}

/// 1-based line numbers in the dump file, by kind. Blank lines are in none of them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Lines {
    pub body: Vec<usize>,
    pub byline: Vec<usize>,
    pub photo_credit: Vec<usize>,
    pub boilerplate: Vec<usize>,
    pub label: Vec<usize>,
    pub list: Vec<usize>,
}

impl Lines {
    fn of(&mut self, kind: LineKind) -> &mut Vec<usize> {
        match kind {
            LineKind::Body => &mut self.body,
            LineKind::Byline => &mut self.byline,
            LineKind::PhotoCredit => &mut self.photo_credit,
            LineKind::Boilerplate => &mut self.boilerplate,
            LineKind::Label => &mut self.label,
            LineKind::Headline => &mut self.list,
        }
    }
}

impl Corpus {
    /// The truth of every dump, keyed as [`Corpus::write_dumps`] names the files.
    pub fn truth(&self) -> Truth {
        let mut out = Truth::new();
        for (i, a) in self.articles.iter().enumerate() {
            let mut lines = Lines::default();
            // The dump: body lines, two blank lines, then the list block.
            let mut n = 0;
            let mut in_list = false;
            for (kind, _) in self.lines(i) {
                if !in_list && matches!(kind, LineKind::Label | LineKind::Headline) {
                    in_list = true;
                    n += 2;
                }
                n += 1;
                lines.of(kind).push(n);
            }
            out.insert(
                a.path(self.layout),
                DumpTruth {
                    title: a.headline.clone(),
                    source: a.site.slug.to_string(),
                    day: calendar::iso(a.day),
                    site_name: Some(a.site.name.to_string()),
                    rank: Some(a.rank),
                    topic: Some(a.topic.to_string()),
                    dateline: a.dateline.clone(),
                    lead: Some(a.lead.clone()),
                    lines,
                    list: a
                        .related
                        .iter()
                        .map(|&r| self.articles[r].path(self.layout))
                        .collect(),
                },
            );
        }
        out
    }

    /// The truth as pretty-printed JSON.
    pub fn truth_json(&self) -> String {
        // Strings, numbers and lists only: serialising cannot fail.
        serde_json::to_string_pretty(&self.truth()).unwrap_or_default() + "\n"
    }

    /// Writes [`Corpus::truth_json`] to `path`, which must not exist yet (see
    /// [`refuse_existing`]).
    pub fn write_truth(&self, path: &Path) -> Result<(), GenerateError> {
        refuse_existing(path)?;
        std::fs::write(path, self.truth_json()).map_err(|source| GenerateError::Io {
            path: path.to_path_buf(),
            op: "write",
            source,
        })
    }
}

/// Refuses a truth file that already exists: a generated file never replaces another.
pub fn refuse_existing(path: &Path) -> Result<(), GenerateError> {
    match std::fs::symlink_metadata(path) {
        Ok(_) => Err(GenerateError::Exists(path.to_path_buf())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(source) => Err(GenerateError::Io {
            path: path.to_path_buf(),
            op: "inspect",
            source,
        }),
    }
}
