//! Ingest: walking `content/`, reading and decoding files, and parsing dumps and Markdown
//! articles with their front matter into [`Article`]s. Nothing here renders or decides pages.
//!
//! Every file walked ends in exactly one outcome: set aside here ([`SetAside`]: ignored by a
//! junk rule, skipped or failed with a diagnostic), rejected by its parse ([`Rejection`]), or
//! handed on as an `Article` for the later stages. The report's records of them are made by
//! [`crate::report`].

pub mod decode;
pub mod dump;
pub mod frontmatter;
pub mod lede;
pub mod name;
pub mod packed;
pub mod read;

use crate::model::{ArticleId, Day};
use crate::report::{Diagnostic, Reason};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use name::{ContentKind, DayFromPath};
pub use packed::Packed;

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// Limits that keep hostile input from exhausting the machine.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Larger files are skipped and reported.
    pub max_file_bytes: u64,
    /// How deep below `content/` the walk goes.
    pub max_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 16 * 1024 * 1024,
            max_depth: 16,
        }
    }
}

/// A file read from `content/`, not yet parsed.
#[derive(Debug, Clone)]
pub struct Source {
    /// Path relative to the content folder.
    pub rel: PathBuf,
    pub kind: ContentKind,
    pub bytes: Vec<u8>,
    pub modified: Option<SystemTime>,
}

/// A content file the walk found, to be read when it is parsed.
#[derive(Debug, Clone)]
pub struct Pending {
    /// Where the walk met it (below the content folder, maybe through links inside it).
    path: PathBuf,
    /// Path relative to the content folder.
    pub rel: PathBuf,
    kind: ContentKind,
}

/// What the walk found: files to read and parse, plus those it set aside (paths relative
/// to the content folder) and why. The walk reads no file: each is read by [`Reader::read`]
/// when it is parsed, so that a build never holds the bytes of the whole folder at once.
pub struct Walked {
    pub files: Vec<Pending>,
    pub reader: Reader,
    pub set_aside: Vec<(PathBuf, SetAside)>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Why the walk did not hand a file (or a folder it did not enter) on to be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SetAside {
    /// Not a content file, by the named rule (editor junk, hidden folder, other extension).
    Ignored(&'static str),
    /// Deliberately not read (too large, a symlink outside, too deep), or unreadable.
    Rejected(Rejection),
}

/// Where an article's title came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TitleSource {
    /// Front matter `title`.
    Given,
    /// A headline-like first line followed by a blank line.
    FirstLine,
    /// A headline from the corpus's headline lists that matches the lead.
    HeadlineList,
    /// Cut from the first sentence.
    Derived,
}

impl TitleSource {
    pub fn as_str(&self) -> &'static str {
        match self {
            TitleSource::Given => "given",
            TitleSource::FirstLine => "first-line",
            TitleSource::HeadlineList => "headline-list",
            TitleSource::Derived => "derived",
        }
    }
}

/// An article's body as written, and its plain text (the lead). A dump's text is held once,
/// packed ([`packed`]): its paragraphs are both what its page shows and what titles,
/// summaries and word counts read.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Body {
    /// Plain text from a dump, one paragraph per entry. Never interpreted as Markdown.
    Plain(Packed),
    /// Real Markdown from a `.md` file (`source`), and its plain-text paragraphs (`lead`):
    /// text events joined, headings and code left out.
    Markdown { source: String, lead: Vec<String> },
}

impl Body {
    /// A dump's body of `paragraphs`.
    pub fn plain<S: AsRef<str>>(paragraphs: &[S]) -> Body {
        Body::Plain(Packed::new(paragraphs))
    }

    /// Plain-text paragraphs of the body, for titles, summaries and word counts: a dump's
    /// unpacked, a Markdown file's borrowed.
    pub fn lead(&self) -> Cow<'_, [String]> {
        match self {
            Body::Plain(packed) => Cow::Owned(packed.unpack()),
            Body::Markdown { lead, .. } => Cow::Borrowed(lead),
        }
    }

    /// Hashes what the body is into `key`, for the prints of the pages that show it: a dump's
    /// packed bytes (the same paragraphs, the same bytes), a Markdown file's source.
    pub fn key_into(&self, key: &mut crate::fingerprint::KeyBuilder) {
        match self {
            Body::Plain(packed) => key.str("plain").part(packed.bytes()),
            Body::Markdown { source, .. } => key.str("markdown").str(source),
        };
    }
}

/// Metadata from front matter, all optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Meta {
    pub source: Option<String>,
    pub url: Option<String>,
    pub author: Option<String>,
    /// Front matter `image`, checked by [`crate::model::ImageRef::parse`].
    pub image: Option<String>,
    /// Front matter `image_alt`.
    pub image_alt: Option<String>,
    pub tags: Vec<String>,
    pub summary: Option<String>,
    pub slug: Option<String>,
    /// Front matter `aliases`: other headlines naming this article.
    pub aliases: Vec<String>,
    /// Front matter `recover_title`.
    pub recover_title: Option<bool>,
    /// Front matter `duplicate_of`.
    pub duplicate_of: Option<String>,
    /// Front matter `merge`.
    pub merge: Option<bool>,
    /// Front matter `story`: a story's slug, or `none`.
    pub story: Option<String>,
}

/// One parsed content file.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Article {
    pub id: ArticleId,
    /// Path relative to the content folder.
    pub rel: PathBuf,
    pub day: Day,
    /// Rank within the day from front matter or the `NNN_` file name; `None` sorts last.
    pub rank: Option<u32>,
    /// A title the file itself gives (front matter or title line).
    pub title: Option<(String, TitleSource)>,
    pub body: Body,
    /// The dump's trailing list of the site's other headlines, as its shape reads it
    /// ([`dump::split`]); the digest refines it with the corpus's evidence.
    pub headlines: Vec<String>,
    /// The label line that introduced the list ("More headlines"), if any.
    pub list_label: Option<String>,
    pub meta: Meta,
    pub draft: bool,
}

impl Article {
    /// Plain-text paragraphs of the body ([`Body::lead`]).
    pub fn lead(&self) -> Cow<'_, [String]> {
        self.body.lead()
    }
}

/// Why a file did not become an article.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Rejection {
    Skipped(Reason),
    Failed(Reason),
}

/// The result of parsing one source: an article or a rejection, plus warnings either way.
/// Serialisable so the build cache can keep it (see [`crate::cache`]).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Parsed {
    pub rel: PathBuf,
    pub result: Result<Article, Rejection>,
    /// Headlines found in a file that has no body: they still feed the headline index.
    pub orphan_headlines: Option<(Day, Vec<String>)>,
    pub diagnostics: Vec<Diagnostic>,
}

/// The message for a content folder that cannot be opened. A missing one is what a new user
/// meets first (a build in the wrong folder, or before `init`), so it names the fix.
fn content_folder_error(e: &std::io::Error) -> String {
    if e.kind() == std::io::ErrorKind::NotFound {
        "cannot open the content folder: it does not exist; run `newsdigest init DIR` to create \
         a site, or build in (or with --root) a site's folder"
            .to_string()
    } else {
        format!("cannot open the content folder: {e}")
    }
}

/// Walks `content_dir`: junk is ignored by rule, hidden folders are not entered, symlinks are
/// followed only inside `content_dir`, loops are reported, and nothing deeper than
/// `limits.max_depth` or larger than `limits.max_file_bytes` is read. Files are read in
/// parallel. `display_root` is how diagnostics name the content folder (as the user wrote it).
///
/// Every entry that is not a folder the walk enters gets exactly one record (or becomes a
/// [`Source`]): a folder that is not entered (hidden, too deep, a loop, a link outside)
/// counts as one entry, so nothing under `content/` goes unaccounted for.
pub fn walk(
    content_dir: &Path,
    display_root: &Path,
    limits: &Limits,
) -> Result<Walked, Diagnostic> {
    let root = content_dir
        .canonicalize()
        .map_err(|e| Diagnostic::error(display_root, content_folder_error(&e)))?;
    if !root.is_dir() {
        return Err(Diagnostic::error(
            display_root,
            "cannot open the content folder: it is a file, not a folder",
        ));
    }
    let root_dir = read::Root::open(&root).map_err(|e| {
        Diagnostic::error(display_root, format!("cannot open the content folder: {e}"))
    })?;
    let mut out = Walked {
        files: Vec::new(),
        reader: Reader {
            root: root_dir,
            display_root: display_root.to_path_buf(),
            max_file_bytes: limits.max_file_bytes,
        },
        set_aside: Vec::new(),
        diagnostics: Vec::new(),
    };
    let mut to_read: Vec<(PathBuf, PathBuf, ContentKind)> = Vec::new();
    let skip = |out: &mut Walked, rel: &Path, d: Diagnostic| {
        let why = SetAside::Rejected(Rejection::Skipped(Reason::from(&d)));
        out.set_aside.push((rel.to_path_buf(), why));
        out.diagnostics.push(d);
    };
    let ignore = |out: &mut Walked, rel: &Path, rule: &'static str| {
        out.set_aside
            .push((rel.to_path_buf(), SetAside::Ignored(rule)));
    };
    let mut walker = walkdir::WalkDir::new(&root)
        .follow_links(true)
        .max_depth(limits.max_depth)
        .sort_by_file_name()
        .into_iter();
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e
                    .path()
                    .map(|p| crate::model::relative_to(&root, p))
                    .unwrap_or_default();
                let is_link = e.path().is_some_and(|p| p.is_symlink());
                let reason = match e.io_error() {
                    _ if e.loop_ancestor().is_some() => {
                        "symlink loop: the link points back at a folder above it".to_string()
                    }
                    Some(io) if is_link && io.kind() == std::io::ErrorKind::NotFound => {
                        "broken symlink: its target does not exist".to_string()
                    }
                    Some(io) => format!("cannot read: {io}"),
                    None => format!("cannot read: {e}"),
                };
                skip(
                    &mut out,
                    &path,
                    Diagnostic::error(display_root.join(&path), reason),
                );
                continue;
            }
        };
        if entry.depth() == 0 {
            continue;
        }
        let rel = crate::model::relative_to(&root, entry.path());
        let is_dir = entry.file_type().is_dir();
        if entry.path_is_symlink() {
            let inside = entry
                .path()
                .canonicalize()
                .map(|t| t.starts_with(&root))
                .unwrap_or(false);
            if !inside {
                if is_dir {
                    walker.skip_current_dir();
                }
                let d = Diagnostic::warning(
                    display_root.join(&rel),
                    "symlink points outside the content folder; not followed",
                );
                skip(&mut out, &rel, d);
                continue;
            }
        }
        let file_name = entry.file_name().to_string_lossy();
        if is_dir {
            if file_name.starts_with('.') {
                walker.skip_current_dir();
                ignore(&mut out, &rel, "hidden folder (not entered)");
            } else if entry.depth() == limits.max_depth && has_entries(entry.path()) {
                let d = Diagnostic::warning(
                    display_root.join(&rel),
                    format!(
                        "folder is deeper than the walk limit (limits.max_depth = {}); \
                         its contents were not read",
                        limits.max_depth
                    ),
                );
                skip(&mut out, &rel, d);
            }
            continue;
        }
        if !entry.file_type().is_file() {
            // Reading a FIFO would block forever and a device could be endless.
            ignore(
                &mut out,
                &rel,
                "not a regular file (a FIFO, socket or device)",
            );
            continue;
        }
        if let Some(rule) = name::junk_rule(&file_name) {
            ignore(&mut out, &rel, rule);
            continue;
        }
        let Some(kind) = name::content_kind(&file_name) else {
            ignore(
                &mut out,
                &rel,
                "not a content file (only .txt, .md and extension-less files are)",
            );
            continue;
        };
        let len = entry.metadata().map(|m| m.len()).unwrap_or(0);
        if len > limits.max_file_bytes {
            let d = Diagnostic::error(
                display_root.join(&rel),
                too_large(len, limits.max_file_bytes),
            );
            skip(&mut out, &rel, d);
            continue;
        }
        to_read.push((entry.path().to_path_buf(), rel, kind));
    }

    out.files = to_read
        .into_iter()
        .map(|(path, rel, kind)| Pending { path, rel, kind })
        .collect();
    Ok(out)
}

/// Reads the files of one walk, each below the very folder walked.
pub struct Reader {
    root: read::Root,
    display_root: PathBuf,
    max_file_bytes: u64,
}

/// A file found by the walk but not read: set aside (paths relative to the content folder)
/// and why, with what to tell the user, if anything.
#[derive(Debug)]
pub struct Unread {
    pub rel: PathBuf,
    pub why: SetAside,
    pub diagnostic: Option<Diagnostic>,
}

impl Reader {
    /// Reads `file`: its bytes, or why it was not read (it grew past the limit, changed or
    /// became something else since the walk saw it, or could not be read).
    pub fn read(&self, file: Pending) -> Result<Source, Box<Unread>> {
        let Pending { path, rel, kind } = file;
        let shown = self.display_root.join(&rel);
        let unread = |why, diagnostic| {
            Err(Box::new(Unread {
                rel: rel.clone(),
                why,
                diagnostic,
            }))
        };
        let skipped = |d: Diagnostic| {
            unread(
                SetAside::Rejected(Rejection::Skipped(Reason::from(&d))),
                Some(d),
            )
        };
        let failed = |d: Diagnostic| {
            unread(
                SetAside::Rejected(Rejection::Failed(Reason::from(&d))),
                Some(d),
            )
        };
        match read::read(&self.root, &path, self.max_file_bytes) {
            Ok(f) => Ok(Source {
                rel,
                kind,
                bytes: f.bytes,
                modified: f.modified,
            }),
            // The file grew past the limit between the walk's look and the read.
            Err(read::ReadError::TooLarge(len)) => skipped(Diagnostic::error(
                shown,
                too_large(len, self.max_file_bytes),
            )),
            Err(read::ReadError::Outside) => skipped(Diagnostic::warning(
                shown,
                "symlink points outside the content folder (it was swapped in during the \
                 build); not followed",
            )),
            Err(read::ReadError::NotRegular) => unread(
                SetAside::Ignored("not a regular file (a FIFO, socket or device)"),
                None,
            ),
            Err(read::ReadError::Changed) => failed(Diagnostic::error(
                shown,
                "changed while being read (a symlink or folder was swapped in); not read, \
                 build again once the folder is stable",
            )),
            Err(read::ReadError::Io(e)) => {
                failed(Diagnostic::error(shown, format!("cannot read: {e}")))
            }
        }
    }
}

fn too_large(len: u64, max_file_bytes: u64) -> String {
    format!(
        "file is {len} bytes, over the limit of {max_file_bytes} bytes (limits.max_file_size); \
         skipped"
    )
}

fn has_entries(dir: &Path) -> bool {
    std::fs::read_dir(dir)
        .map(|mut r| r.next().is_some())
        .unwrap_or(true)
}

/// A relative path with `/` separators, as used in reports and URLs.
pub fn slash_path(p: &Path) -> String {
    p.iter()
        .map(|s| s.to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Parses one source. `display_root` prefixes paths in diagnostics (usually the content dir).
pub fn parse(src: &Source, tz: Tz, display_root: &Path) -> Parsed {
    let shown = display_root.join(&src.rel);
    let mut diagnostics = Vec::new();
    let fail = |d: Diagnostic, diagnostics: Vec<Diagnostic>, rej: fn(Reason) -> Rejection| {
        let reason = Reason::from(&d);
        let mut diagnostics = diagnostics;
        diagnostics.push(d);
        Parsed {
            rel: src.rel.clone(),
            result: Err(rej(reason)),
            orphan_headlines: None,
            diagnostics,
        }
    };

    let decoded = match decode::decode(&src.bytes) {
        Ok(d) => d,
        Err(decode::DecodeError::Binary { offset }) => {
            let d = Diagnostic::error(&shown, "binary file (contains a NUL byte); skipped")
                .at_byte(offset);
            return fail(d, diagnostics, Rejection::Skipped);
        }
    };
    if let Some(at) = decoded.invalid_utf8_at {
        diagnostics.push(
            Diagnostic::warning(
                &shown,
                format!(
                    "invalid UTF-8: {} sequence(s) replaced with U+FFFD",
                    decoded.invalid_sequences
                ),
            )
            .at_byte(at),
        );
    }
    if let Some(at) = decoded.forbidden_at {
        diagnostics.push(
            Diagnostic::warning(
                &shown,
                format!(
                    "{} control character(s) that XML forbids replaced with U+FFFD \
                     (U+0001-U+001F other than tab and line ends, U+FFFE, U+FFFF)",
                    decoded.forbidden_chars
                ),
            )
            .at_byte(at),
        );
    }
    let text = decoded.text;
    if text.trim().is_empty() {
        let what = if src.bytes.is_empty() {
            "empty file; nothing to build"
        } else {
            "blank file (only white space); nothing to build"
        };
        let d = Diagnostic::warning(&shown, what);
        return fail(d, diagnostics, Rejection::Skipped);
    }

    let (fm, body_text, body_line) = match frontmatter::split(&text) {
        Ok(x) => x,
        Err(e) => {
            let mut d = Diagnostic::error(&shown, e.message);
            d.line = e.line;
            return fail(d, diagnostics, Rejection::Failed);
        }
    };
    let mut fm = fm.unwrap_or_default();
    if let Some(story) = &fm.story
        && !story.trim().eq_ignore_ascii_case("none")
        && crate::model::Slug::from_text(story).is_none()
    {
        diagnostics.push(Diagnostic::warning(
            &shown,
            format!(
                "front matter: `story` {story:?} has no letter or digit to make a slug of; \
                 write a story's slug (`story: brexit-vote`) or `story: none`. Ignored"
            ),
        ));
        fm.story = None;
    }
    let escaped = fm.clean_text();
    if escaped > 0 {
        diagnostics.push(Diagnostic::warning(
            &shown,
            format!(
                "front matter: {escaped} control character(s) that XML forbids (written as \
                 YAML escapes such as `\\x01`) replaced with U+FFFD"
            ),
        ));
    }
    check_front_matter_links(&mut fm, &text, &shown, &mut diagnostics);
    let file_name = src
        .rel
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();

    // Day: front matter > folders > file-name prefix > modification time.
    let day = if let Some(date) = &fm.date {
        match frontmatter::parse_date(date, tz) {
            Some(d) => d,
            None => {
                let mut d = Diagnostic::error(
                    &shown,
                    format!("front matter: `date` {date:?} is not a valid date"),
                );
                d.line = frontmatter::key_line(&text, "date");
                return fail(d, diagnostics, Rejection::Failed);
            }
        }
    } else {
        match name::day_from_folders(&src.rel) {
            DayFromPath::Found(d) => d,
            DayFromPath::Impossible => {
                let d = Diagnostic::error(&shown, "the folder names an impossible date");
                return fail(d, diagnostics, Rejection::Failed);
            }
            DayFromPath::None => match name::day_from_file_name(&file_name) {
                DayFromPath::Found(d) => d,
                DayFromPath::Impossible => {
                    let d =
                        Diagnostic::error(&shown, "the file name starts with an impossible date");
                    return fail(d, diagnostics, Rejection::Failed);
                }
                DayFromPath::None => match src.modified {
                    Some(t) => {
                        diagnostics.push(Diagnostic::warning(
                            &shown,
                            "no date in front matter, folder or file name; using the file's modification time",
                        ));
                        Day::new(DateTime::<Utc>::from(t).with_timezone(&tz).date_naive())
                    }
                    None => {
                        let d =
                            Diagnostic::error(&shown, "no date anywhere and no modification time");
                        return fail(d, diagnostics, Rejection::Failed);
                    }
                },
            },
        }
    };

    let (rank_from_name, id) = match name::rank_and_id(&file_name) {
        Some((r, id)) => (Some(r), id),
        None => (None, ArticleId::from_bytes(&src.bytes)),
    };

    let given = fm
        .title
        .as_ref()
        .map(|t| t.trim())
        .filter(|t| !t.is_empty());
    let (title, body, headlines, list_label) = match src.kind {
        ContentKind::Dump => {
            let mut parts = dump::split(body_text);
            parts.title_line = parts
                .title_line
                .map(|t| crate::safety::strip_bidi_controls(&t).into_owned());
            keep_headlines(&mut parts.headlines, &shown, &mut diagnostics);
            let title = match (given, parts.title_line) {
                // The front matter names the article, so a title line is body text: it goes
                // back in front, never lost.
                (Some(t), line) => {
                    if let Some(line) = line {
                        parts.paragraphs.insert(0, line);
                    }
                    Some((t.to_string(), TitleSource::Given))
                }
                (None, Some(t)) => Some((t, TitleSource::FirstLine)),
                (None, None) => None,
            };
            (
                title,
                Body::plain(&parts.paragraphs),
                parts.headlines,
                parts.list_label,
            )
        }
        ContentKind::Markdown => {
            let lead = markdown_lead(body_text);
            let title = given.map(|t| (t.to_string(), TitleSource::Given));
            let body = Body::Markdown {
                source: body_text.to_string(),
                lead,
            };
            (title, body, Vec::new(), None)
        }
    };

    if body.lead().is_empty() {
        let orphan = if headlines.is_empty() {
            None
        } else {
            Some((day, headlines))
        };
        let reason = if orphan.is_some() {
            "no article body: only a headline list (its headlines are in the headline index)"
        } else {
            "no article body"
        };
        let mut d = Diagnostic::warning(&shown, reason);
        if body_line > 1 {
            d.line = Some(body_line);
        }
        let mut p = fail(d, diagnostics, Rejection::Skipped);
        p.orphan_headlines = orphan;
        return p;
    }

    let article = Article {
        id,
        rel: src.rel.clone(),
        day,
        rank: fm.rank.or(rank_from_name),
        title,
        body,
        headlines,
        list_label,
        meta: Meta {
            source: fm.source,
            url: fm.url,
            author: fm.author,
            image: fm.image,
            image_alt: fm.image_alt,
            tags: fm.tags,
            summary: fm.summary,
            slug: fm.slug,
            aliases: fm.aliases,
            recover_title: fm.recover_title,
            duplicate_of: fm.duplicate_of,
            merge: fm.merge,
            story: fm.story,
        },
        draft: fm.draft,
    };
    Parsed {
        rel: src.rel.clone(),
        result: Ok(article),
        orphan_headlines: None,
        diagnostics,
    }
}

/// The most headlines one dump's list may contribute. A real list holds 10 to 30; a hostile
/// one of a million would otherwise be stored, cached and rendered in full (a 354 MB headline
/// index page from one 12 MB dump).
pub const MAX_HEADLINES_PER_DUMP: usize = 200;

/// Keeps the first [`MAX_HEADLINES_PER_DUMP`] headlines of a dump's list, with bidirectional
/// controls stripped (a headline can become a title), and reports how many were left out.
fn keep_headlines(headlines: &mut Vec<String>, shown: &Path, diagnostics: &mut Vec<Diagnostic>) {
    if headlines.len() > MAX_HEADLINES_PER_DUMP {
        diagnostics.push(Diagnostic::warning(
            shown,
            format!(
                "headline list has {} headlines; only the first {MAX_HEADLINES_PER_DUMP} are \
                 used (the limit per dump), {} left out",
                headlines.len(),
                headlines.len() - MAX_HEADLINES_PER_DUMP
            ),
        ));
        headlines.truncate(MAX_HEADLINES_PER_DUMP);
        headlines.shrink_to_fit();
    }
    for h in headlines.iter_mut() {
        if let std::borrow::Cow::Owned(clean) = crate::safety::strip_bidi_controls(h) {
            *h = clean;
        }
    }
}

/// Front matter is untrusted: a `url` that is not http, https, mailto or relative is dropped,
/// a `source` that reads as such a URL is kept as text only, and a `slug` that is not already
/// plain is reported (the digest sanitises it). Each gets a warning naming its line.
fn check_front_matter_links(
    fm: &mut frontmatter::FrontMatter,
    text: &str,
    shown: &Path,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let warn = |key: &str, message: String| {
        let mut d = Diagnostic::warning(shown, format!("front matter: `{key}` {message}"));
        d.line = frontmatter::key_line(text, key);
        d
    };
    if let Some(url) = fm.url.take() {
        match crate::safety::link_url(&url) {
            Ok(u) => fm.url = Some(u),
            Err(why) => diagnostics.push(warn("url", format!("{url:?} {why}; dropped"))),
        }
    }
    if let Some(image) = fm.image.take() {
        match crate::model::ImageRef::parse(&image) {
            Ok(_) => fm.image = Some(image.trim().to_string()),
            Err(why) => diagnostics.push(warn("image", format!("{image:?} {why}; dropped"))),
        }
    }
    if let Some(source) = &fm.source
        && crate::safety::has_scheme(source)
        && !crate::safety::is_safe_url(source)
    {
        diagnostics.push(warn(
            "source",
            format!("{source:?} is not an http, https or mailto URL; shown as text, never linked"),
        ));
    }
    if let Some(slug) = &fm.slug {
        let clean = crate::model::Slug::from_text(slug);
        match clean {
            Some(c) if c.as_str() == slug => {}
            Some(c) => diagnostics.push(warn(
                "slug",
                format!("{slug:?} is not a plain slug; using {:?}", c.as_str()),
            )),
            None => diagnostics.push(warn(
                "slug",
                format!("{slug:?} has no letters or digits to use; the slug comes from the title"),
            )),
        }
    }
}

/// Plain-text paragraphs of a Markdown body, for titles and summaries: text events joined,
/// headings and code left out.
fn markdown_lead(md: &str) -> Vec<String> {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let mut out = Vec::new();
    let mut current = String::new();
    let mut skip = 0usize;
    // Text inside inline <script> or <style> is not prose: the sanitiser drops it from the
    // body, so the title and summary leave it out too.
    let mut in_script = false;
    for ev in Parser::new(md) {
        if let Event::InlineHtml(h) | Event::Html(h) = &ev {
            let tag = h.trim_start().to_ascii_lowercase();
            if tag.starts_with("<script") || tag.starts_with("<style") {
                in_script = !(tag.contains("</script") || tag.contains("</style"));
            } else if tag.starts_with("</script") || tag.starts_with("</style") {
                in_script = false;
            }
            continue;
        }
        if in_script {
            continue;
        }
        match ev {
            Event::Start(Tag::Heading { .. } | Tag::CodeBlock(_)) => skip += 1,
            Event::End(TagEnd::Heading(_) | TagEnd::CodeBlock) => skip = skip.saturating_sub(1),
            // An entity such as `&#12;` decodes to a character XML forbids.
            Event::Text(t) | Event::Code(t) if skip == 0 => {
                current.push_str(&crate::safety::replace_xml_forbidden(&t).0)
            }
            Event::SoftBreak | Event::HardBreak if skip == 0 => current.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Item) => {
                let p = current.split_whitespace().collect::<Vec<_>>().join(" ");
                if !p.is_empty() {
                    out.push(p);
                }
                current.clear();
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(rel: &str, text: &str) -> Source {
        Source {
            rel: rel.into(),
            kind: name::content_kind(rel).unwrap_or(ContentKind::Dump),
            bytes: text.as_bytes().to_vec(),
            modified: None,
        }
    }

    fn parse_ok(rel: &str, text: &str) -> Article {
        let p = parse(&src(rel, text), Tz::UTC, Path::new("content"));
        match p.result {
            Ok(a) => a,
            Err(e) => panic!("{e:?} {:?}", p.diagnostics),
        }
    }

    fn parse_err(rel: &str, text: &str) -> (Rejection, Vec<Diagnostic>) {
        let p = parse(&src(rel, text), Tz::UTC, Path::new("content"));
        (p.result.expect_err("should be rejected"), p.diagnostics)
    }

    #[test]
    fn rank_id_and_day_from_path() {
        let a = parse_ok("2026-02-05/003_abcdef0123456789.txt", "A body line.\n");
        assert_eq!(a.rank, Some(3));
        assert_eq!(a.id.as_str(), "abcdef0123456789");
        assert_eq!(a.day.iso(), "2026-02-05");
    }

    #[test]
    fn other_names_get_hash_id_and_no_rank() {
        let a = parse_ok("2026-02-05/story.txt", "A body line.\n");
        assert_eq!(a.rank, None);
        assert_eq!(a.id, ArticleId::from_bytes(b"A body line.\n"));
    }

    #[test]
    fn front_matter_date_beats_folder() {
        let a = parse_ok("2026-02-05/a.txt", "---\ndate: 2026-03-01\n---\nBody.\n");
        assert_eq!(a.day.iso(), "2026-03-01");
    }

    #[test]
    fn file_name_prefix_day() {
        assert_eq!(
            parse_ok("misc/2026-04-01-x.txt", "Body.\n").day.iso(),
            "2026-04-01"
        );
    }

    #[test]
    fn mtime_day_warns() {
        let mut s = src("misc/x.txt", "Body.\n");
        s.modified = Some(SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(86_400 * 365));
        let p = parse(&s, Tz::UTC, Path::new("content"));
        assert_eq!(p.result.unwrap().day.iso(), "1971-01-01");
        assert!(p.diagnostics[0].message.contains("modification time"));
    }

    #[test]
    fn impossible_dates_fail_with_reason() {
        let (r, d) = parse_err("2026-02-30/a.txt", "Body.\n");
        assert!(matches!(r, Rejection::Failed(ref m) if m.reason.contains("impossible")));
        assert_eq!(d.len(), 1);
        let (_, d) = parse_err(
            "2026-02-05/a.txt",
            "---\ntitle: x\ndate: 2026-02-30\n---\nBody.\n",
        );
        assert_eq!(d[0].line, Some(3));
    }

    #[test]
    fn unknown_front_matter_key_fails_naming_it() {
        let (r, d) = parse_err(
            "2026-02-05/a.txt",
            "---\ntitle: x\nheadline: y\n---\nBody.\n",
        );
        assert!(matches!(r, Rejection::Failed(_)));
        assert!(d[0].message.contains("headline"));
        assert_eq!(d[0].line, Some(3));
        assert!(d[0].to_string().starts_with("content/2026-02-05/a.txt:3:"));
    }

    #[test]
    fn binary_and_empty_are_skipped() {
        let (r, d) = parse_err("2026-02-05/a.txt", "abc\0def");
        assert!(matches!(r, Rejection::Skipped(_)));
        assert_eq!(d[0].byte, Some(3));
        assert!(matches!(
            parse_err("2026-02-05/b.txt", "").0,
            Rejection::Skipped(_)
        ));
        assert!(matches!(
            parse_err("2026-02-05/c.txt", " \n\n \n").0,
            Rejection::Skipped(_)
        ));
    }

    #[test]
    fn headline_only_dump_keeps_its_headlines() {
        let p = parse(
            &src(
                "2026-02-05/h.txt",
                "Mayor Opens New Library\nCouncil Approves Budget\nStorm Warning for Coast\n",
            ),
            Tz::UTC,
            Path::new("content"),
        );
        assert!(matches!(p.result, Err(Rejection::Skipped(_))));
        assert_eq!(p.orphan_headlines.unwrap().1.len(), 3);
    }

    #[test]
    fn titles_from_front_matter_and_first_line() {
        let a = parse_ok("2026-02-05/a.txt", "---\ntitle: Given Title\n---\nBody.\n");
        assert_eq!(a.title, Some(("Given Title".into(), TitleSource::Given)));
        // With a front-matter title, a title line is kept as the first paragraph.
        let a = parse_ok(
            "2026-02-05/a.txt",
            "---\ntitle: Given Title\n---\nBridge Reopens After Repairs\n\nThe bridge reopened.\n",
        );
        assert_eq!(
            a.lead(),
            vec!["Bridge Reopens After Repairs", "The bridge reopened."]
        );
        let a = parse_ok(
            "2026-02-05/b.txt",
            "Bridge Reopens After Repairs\n\nThe bridge reopened.\n",
        );
        assert_eq!(
            a.title,
            Some((
                "Bridge Reopens After Repairs".into(),
                TitleSource::FirstLine
            ))
        );
        assert_eq!(a.lead(), vec!["The bridge reopened."]);
    }

    #[test]
    fn markdown_article() {
        let a = parse_ok(
            "2026-02-05/a.md",
            "---\ntitle: T\ntags: [economy]\ndraft: true\n---\n# Heading\n\nSome *rich* text.\n",
        );
        assert!(a.draft);
        assert_eq!(a.meta.tags, vec!["economy"]);
        assert_eq!(a.lead(), vec!["Some rich text."]);
        assert!(matches!(a.body, Body::Markdown { .. }));
    }

    #[test]
    fn forbidden_characters_warn_with_offset_and_build() {
        let p = parse(
            &src(
                "2026-02-05/a.txt",
                "Title\u{C}Line Here\n\nBody \u{1B}[31m text.\n",
            ),
            Tz::UTC,
            Path::new("content"),
        );
        let a = p.result.expect("built");
        assert_eq!(
            a.lead().last().map(String::as_str),
            Some("Body \u{FFFD}[31m text.")
        );
        assert!(!a.lead().iter().any(|l| l.contains('\u{C}')));
        assert_eq!(p.diagnostics.len(), 1, "{:?}", p.diagnostics);
        assert_eq!(p.diagnostics[0].byte, Some(5));
        assert!(p.diagnostics[0].message.contains("2 control character(s)"));
        assert!(
            p.diagnostics[0]
                .to_string()
                .contains("content/2026-02-05/a.txt")
        );
        // From YAML escapes in front matter, and from entities in Markdown.
        let p = parse(
            &src(
                "2026-02-05/b.md",
                "---\ntitle: \"a\\fb\\x01\"\ntags: [\"t\\x1f\"]\n---\nx&#12;y\n",
            ),
            Tz::UTC,
            Path::new("content"),
        );
        assert!(
            p.diagnostics[0].message.contains("front matter: 3 control"),
            "{:?}",
            p.diagnostics
        );
        let a = p.result.expect("built");
        assert_eq!(a.title.as_ref().unwrap().0, "a\u{FFFD}b\u{FFFD}");
        assert_eq!(a.meta.tags, ["t\u{FFFD}"]);
        assert_eq!(*a.lead(), ["x\u{FFFD}y"]);
    }

    #[test]
    fn headline_lists_are_bounded_and_the_rest_reported() {
        let list: String = (0..MAX_HEADLINES_PER_DUMP + 50)
            .map(|i| format!("Council Approves Budget Number {i}\n"))
            .collect();
        let p = parse(
            &src("2026-02-05/a.txt", &format!("A body line.\n\n{list}")),
            Tz::UTC,
            Path::new("content"),
        );
        let a = p.result.expect("built");
        assert_eq!(a.headlines.len(), MAX_HEADLINES_PER_DUMP);
        assert_eq!(a.headlines[199], "Council Approves Budget Number 199");
        assert!(p.diagnostics[0].message.contains("has 250 headlines"));
        assert!(p.diagnostics[0].message.contains("50 left out"));
        // A file that is only a list is bounded too.
        let p = parse(
            &src("2026-02-05/b.txt", &list),
            Tz::UTC,
            Path::new("content"),
        );
        assert_eq!(p.orphan_headlines.unwrap().1.len(), MAX_HEADLINES_PER_DUMP);
        assert!(p.diagnostics[0].message.contains("50 left out"));
    }

    #[test]
    fn bidi_controls_leave_titles_and_headlines() {
        let a = parse_ok(
            "2026-02-05/a.txt",
            "Mayor \u{202E}Opens Library\n\nThe body.\n\nCouncil \u{2066}Approves\u{2069} Budget\n\
             Storm \u{202E}Warning for Coast\nHarbour Bridge Reopens After Repairs\n",
        );
        assert_eq!(a.title.unwrap().0, "Mayor Opens Library");
        assert_eq!(
            a.headlines,
            [
                "Council Approves Budget",
                "Storm Warning for Coast",
                "Harbour Bridge Reopens After Repairs"
            ]
        );
        let a = parse_ok(
            "2026-02-05/b.txt",
            "---\ntitle: \"\u{202D}Given\"\nslug: \"a\u{202E}b\"\naliases: [\"x\u{202B}y\"]\n---\nBody.\n",
        );
        assert_eq!(a.title.unwrap().0, "Given");
        assert_eq!(a.meta.slug.as_deref(), Some("ab"));
        assert_eq!(a.meta.aliases, ["xy"]);
    }

    #[test]
    fn invalid_utf8_warns_with_offset_and_builds() {
        let mut s = src("2026-02-05/a.txt", "");
        s.bytes = b"Caf\xE9 opens.\n".to_vec();
        let p = parse(&s, Tz::UTC, Path::new("content"));
        assert!(p.result.is_ok());
        assert_eq!(p.diagnostics[0].byte, Some(3));
    }

    #[test]
    fn missing_content_folder_names_the_fix_and_other_errors_keep_their_cause() {
        let missing = std::io::Error::from(std::io::ErrorKind::NotFound);
        assert!(content_folder_error(&missing).contains("run `newsdigest init DIR`"));
        let denied = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        let msg = content_folder_error(&denied);
        assert!(msg.starts_with("cannot open the content folder: "), "{msg}");
        assert!(!msg.contains("init"), "{msg}");
    }
}
