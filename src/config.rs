//! Site configuration: `site.yaml` at the site root merged with command-line overrides.
//! Every field has a default, so a folder with no `site.yaml` is a valid site.

use crate::ingest::Limits;
use crate::yaml;
use chrono_tz::Tz;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The name of the configuration file at the site root.
pub const CONFIG_FILE: &str = "site.yaml";

/// The deepest `limits.max_depth` accepted; deeper trees are almost surely a mistake or a trap.
pub const MAX_WALK_DEPTH: usize = 256;

/// `site.yaml` as written by the user. Unknown keys are an error naming the key.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SiteFile {
    pub title: String,
    pub description: String,
    pub base_url: String,
    pub language: String,
    pub timezone: String,
    pub theme: String,
    pub per_page: usize,
    pub content_dir: PathBuf,
    pub output_dir: PathBuf,
    /// How many of the newest articles each feed carries.
    pub feed_items: usize,
    pub topics: TopicsConfig,
    /// `sources:`, how each dump's source site is found.
    pub sources: SourcesConfig,
    /// `titles:`, how titles are recovered from the sites' headline lists.
    pub titles: TitlesConfig,
    /// `stories:`, how articles of several sites are grouped into stories.
    pub stories: StoriesConfig,
    /// `limits:`, the bounds that keep hostile content from exhausting the machine.
    pub limits: LimitsFile,
    /// Pass raw HTML in Markdown articles through unsanitised (only for trusted content).
    pub trusted_html: bool,
    /// Write `.gz` and `.br` twins of text files (see `output::compress`).
    pub compress: bool,
    /// Settings of `newsdigest check`.
    pub check: CheckSettings,
    /// `strings:`, the site's own wording for any string of the theme (see `i18n::Strings`).
    pub strings: crate::i18n::StringOverrides,
    /// Show readers where an article's headline came from and which other files carried it.
    pub show_provenance: bool,
    /// Link each article's Markdown source from its page.
    pub show_markdown_source: bool,
    /// `feeds:`, what the RSS, Atom and JSON feeds carry.
    pub feeds: FeedsConfig,
    /// The site's logo (a URL, or a path relative to the site root), for the publisher in
    /// JSON-LD and the masthead.
    pub logo: String,
    /// The image of pages and articles that name none of their own (same forms as `logo`).
    pub image: String,
    /// The author of articles whose front matter names none.
    pub author: String,
    /// Settings of the theme's own, given to every template as `config.extra`.
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// The `feeds:` section of `site.yaml`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct FeedsConfig {
    /// Carry each article's whole text (RSS `content:encoded`, Atom `content`, JSON Feed
    /// `content_html`) as well as its summary.
    pub full_content: bool,
}

/// The `topics:` section of `site.yaml`: how topics are found (see docs/topics.md).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TopicsConfig {
    /// An extracted name becomes a topic once this many articles feature it. Front-matter
    /// tags are topics regardless.
    pub min_articles: usize,
    /// Extract topics from the text; `false` keeps only front-matter tags.
    pub extract: bool,
    /// Names never to make topics of, compared case-insensitively (e.g. `["U.S."]`).
    pub ignore: Vec<String>,
}

impl Default for TopicsConfig {
    fn default() -> Self {
        TopicsConfig {
            min_articles: 3,
            extract: true,
            ignore: Vec::new(),
        }
    }
}

/// The `sources:` section of `site.yaml` (see `docs/dump-format.md`, "Sites").
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SourcesConfig {
    /// Which folder of a dump's path names its site: `auto` (the first folder that is not a
    /// date), `none`, or a level (0 = the folder right below the content folder).
    pub folder: FolderSetting,
}

impl Default for SourcesConfig {
    fn default() -> Self {
        SourcesConfig {
            folder: FolderSetting::Word("auto".into()),
        }
    }
}

/// `sources.folder` as written: a word or a number.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum FolderSetting {
    Level(usize),
    Word(String),
}

impl FolderSetting {
    fn resolve(&self) -> Result<crate::digest::sites::FolderLevel, String> {
        use crate::digest::sites::FolderLevel;
        match self {
            FolderSetting::Level(n) => Ok(FolderLevel::Level(*n)),
            FolderSetting::Word(w) if w == "auto" => Ok(FolderLevel::Auto),
            FolderSetting::Word(w) if w == "none" => Ok(FolderLevel::None),
            FolderSetting::Word(w) => Err(format!(
                "key `sources.folder`: {w:?} is not `auto`, `none` or a folder level (0, 1, …)"
            )),
        }
    }
}

/// The `titles:` section of `site.yaml`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct TitlesConfig {
    /// How many days before or after an article's day its site's lists may name it.
    pub window_days: u32,
}

impl Default for TitlesConfig {
    fn default() -> Self {
        TitlesConfig { window_days: 3 }
    }
}

/// The `stories:` section of `site.yaml`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StoriesConfig {
    /// How many days apart the articles of one story may be.
    pub window_days: u32,
}

impl Default for StoriesConfig {
    fn default() -> Self {
        StoriesConfig { window_days: 2 }
    }
}

/// The `limits:` section of `site.yaml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct LimitsFile {
    /// Larger content files are skipped and reported.
    pub max_file_size: ByteSize,
    /// How many folders deep below the content folder the walk goes.
    pub max_depth: usize,
    /// An output file larger than this is written, with a warning naming it.
    pub max_output_file_size: ByteSize,
}

/// The default `limits.max_output_file_size`: far above any page of a real digest (tens of
/// kilobytes) and the search index of 10,000 articles, so a warning means something grew
/// out of hand.
pub const DEFAULT_MAX_OUTPUT_FILE_BYTES: u64 = 16 * 1024 * 1024;

impl Default for LimitsFile {
    fn default() -> Self {
        let d = Limits::default();
        LimitsFile {
            max_file_size: ByteSize(d.max_file_bytes),
            max_depth: d.max_depth,
            max_output_file_size: ByteSize(DEFAULT_MAX_OUTPUT_FILE_BYTES),
        }
    }
}

/// The `check:` section of `site.yaml`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct CheckSettings {
    /// No file in the built site may be larger than this many bytes.
    pub max_file_bytes: u64,
}

impl Default for CheckSettings {
    fn default() -> Self {
        CheckSettings {
            max_file_bytes: 4 * 1024 * 1024,
        }
    }
}

/// A size in bytes, written as a number of bytes (`16777216`) or with a unit (`10 MB`,
/// `16 MiB`, `512 KB`; KB/MB/GB are powers of 1000, KiB/MiB/GiB of 1024).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ByteSize(pub u64);

impl ByteSize {
    pub fn parse(s: &str) -> Result<ByteSize, String> {
        let s = s.trim();
        let split = s
            .find(|c: char| !c.is_ascii_digit() && c != '.')
            .unwrap_or(s.len());
        let (num, unit) = (s[..split].trim(), s[split..].trim());
        let factor: u64 = match unit.to_ascii_lowercase().as_str() {
            "" | "b" => 1,
            "kb" | "k" => 1000,
            "mb" | "m" => 1000 * 1000,
            "gb" | "g" => 1000 * 1000 * 1000,
            "kib" => 1 << 10,
            "mib" => 1 << 20,
            "gib" => 1 << 30,
            _ => return Err(format!("unknown size unit {unit:?} in {s:?}")),
        };
        let n: f64 = num.parse().map_err(|_| {
            format!("{s:?} is not a size such as 16777216, \"10 MB\" or \"16 MiB\"")
        })?;
        let bytes = n * factor as f64;
        if !(bytes.is_finite() && bytes >= 0.0 && bytes < u64::MAX as f64) {
            return Err(format!("{s:?} is out of range"));
        }
        Ok(ByteSize(bytes as u64))
    }
}

impl<'de> Deserialize<'de> for ByteSize {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = ByteSize;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a size such as 16777216, \"10 MB\" or \"16 MiB\"")
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<ByteSize, E> {
                Ok(ByteSize(v))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<ByteSize, E> {
                u64::try_from(v)
                    .map(ByteSize)
                    .map_err(|_| E::custom("a size cannot be negative"))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<ByteSize, E> {
                ByteSize::parse(v).map_err(E::custom)
            }
        }
        d.deserialize_any(V)
    }
}

impl Default for SiteFile {
    fn default() -> Self {
        SiteFile {
            title: "News Digest".into(),
            description: "A daily digest of the news.".into(),
            base_url: "http://localhost:1111/".into(),
            language: "en".into(),
            timezone: "UTC".into(),
            theme: "default".into(),
            per_page: 20,
            content_dir: "content".into(),
            output_dir: "output".into(),
            feed_items: 20,
            topics: TopicsConfig::default(),
            sources: SourcesConfig::default(),
            titles: TitlesConfig::default(),
            stories: StoriesConfig::default(),
            limits: LimitsFile::default(),
            trusted_html: false,
            compress: false,
            check: CheckSettings::default(),
            strings: Default::default(),
            show_provenance: false,
            show_markdown_source: false,
            feeds: FeedsConfig::default(),
            logo: String::new(),
            image: String::new(),
            author: String::new(),
            extra: serde_json::Map::new(),
        }
    }
}

/// Overrides from the command line; `None` keeps the value from `site.yaml`.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub content_dir: Option<PathBuf>,
    pub output_dir: Option<PathBuf>,
    pub theme: Option<String>,
    pub base_url: Option<String>,
}

/// The site's base URL, split into the absolute form (for feeds, canonical links) and the
/// path form (for root-relative links inside pages).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl {
    /// Always ends in `/`, e.g. `https://example.org/digest/`.
    absolute: String,
    /// Starts and ends in `/`, e.g. `/digest/`.
    path: String,
}

impl BaseUrl {
    /// Accepts `http(s)://host[:port][/path]`. The path may not contain `..`.
    pub fn parse(s: &str) -> Result<BaseUrl, String> {
        let s = s.trim();
        let rest = s
            .strip_prefix("https://")
            .or_else(|| s.strip_prefix("http://"))
            .ok_or_else(|| format!("base_url must start with http:// or https://, got {s:?}"))?;
        let (host, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, "/"),
        };
        if host.is_empty()
            || host
                .chars()
                .any(|c| c.is_whitespace() || c == '?' || c == '#')
        {
            return Err(format!("base_url has no valid host: {s:?}"));
        }
        if path.contains("..")
            || path.contains(['?', '#', '\\'])
            || path.contains(char::is_whitespace)
        {
            return Err(format!("base_url path must be a plain path: {s:?}"));
        }
        let mut path = path.to_string();
        if !path.ends_with('/') {
            path.push('/');
        }
        let scheme = if s.starts_with("https://") {
            "https://"
        } else {
            "http://"
        };
        Ok(BaseUrl {
            absolute: format!("{scheme}{host}{path}"),
            path,
        })
    }

    pub fn absolute(&self) -> &str {
        &self.absolute
    }

    pub fn path(&self) -> &str {
        &self.path
    }

    /// Whether the host is this machine (`localhost`, `127.x`, `[::1]`, `0.0.0.0`): fine for a
    /// preview, wrong for a published site, whose canonical links and feeds would point at
    /// every reader's own computer.
    pub fn is_local(&self) -> bool {
        let rest = self.absolute.split_once("://").map_or("", |(_, r)| r);
        let host_port = rest.split('/').next().unwrap_or_default();
        let host = if let Some(v6) = host_port.strip_prefix('[') {
            v6.split(']').next().unwrap_or_default()
        } else {
            host_port.split(':').next().unwrap_or_default()
        }
        .to_ascii_lowercase();
        host == "localhost"
            || host.ends_with(".localhost")
            || host == "::1"
            || host == "0.0.0.0"
            || host.starts_with("127.")
    }

    /// Root-relative URL for a site path like `2026/02/05/` (no leading slash).
    pub fn url(&self, site_path: &str) -> String {
        format!("{}{}", self.path, site_path)
    }

    /// Absolute URL for a site path like `2026/02/05/`.
    pub fn permalink(&self, site_path: &str) -> String {
        format!("{}{}", self.absolute, site_path)
    }
}

/// The resolved configuration every stage reads.
#[derive(Debug, Clone)]
pub struct Config {
    pub root: PathBuf,
    pub title: String,
    pub description: String,
    pub base_url: BaseUrl,
    pub language: String,
    pub timezone: Tz,
    pub theme: String,
    pub per_page: usize,
    pub content_dir: PathBuf,
    pub output_dir: PathBuf,
    pub feed_items: usize,
    pub topics: TopicsConfig,
    /// Which folder level names a dump's site.
    pub source_folder: crate::digest::sites::FolderLevel,
    pub titles: TitlesConfig,
    pub stories: StoriesConfig,
    pub limits: Limits,
    /// `limits.max_output_file_size`: larger output files are reported (see `build`).
    pub max_output_file_bytes: u64,
    /// Raw HTML in Markdown is passed through instead of sanitised.
    pub trusted_html: bool,
    pub compress: bool,
    pub check: CheckSettings,
    /// The strings and date names of `language`, with the site's `strings:` applied.
    pub locale: std::sync::Arc<crate::i18n::Locale>,
    pub show_provenance: bool,
    pub show_markdown_source: bool,
    pub feeds: FeedsConfig,
    /// `logo`, `image` and `author` of `site.yaml`; `None` when not set.
    pub logo: Option<String>,
    pub image: Option<String>,
    pub author: Option<String>,
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// A configuration problem, naming the file and the key or line.
#[derive(Debug, thiserror::Error)]
#[error("{path}{}: {message}", line.map(|l| format!(":{l}")).unwrap_or_default())]
pub struct ConfigError {
    pub path: PathBuf,
    pub line: Option<usize>,
    pub message: String,
}

impl Config {
    /// Reads `site.yaml` under `root` (if present) and applies the overrides.
    pub fn load(root: &Path, overrides: &Overrides) -> Result<Config, ConfigError> {
        let path = root.join(CONFIG_FILE);
        if !root.is_dir() {
            return Err(ConfigError {
                path: root.to_path_buf(),
                line: None,
                message: format!(
                    "the site root does not exist or is not a folder; run `newsdigest init {}` \
                     to create a site there, or pass the folder holding site.yaml as --root",
                    root.display()
                ),
            });
        }
        let mut text = String::new();
        let file = match std::fs::read_to_string(&path) {
            Ok(t) => {
                text = t;
                parse_site_file(&text).map_err(|e| ConfigError {
                    path: path.clone(),
                    line: e.line,
                    message: e.message,
                })?
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => SiteFile::default(),
            Err(e) => {
                return Err(ConfigError {
                    path,
                    line: None,
                    message: format!("cannot read: {e}"),
                });
            }
        };
        Config::resolve(root, file, overrides).map_err(|message| {
            // The line of the key at fault, unless its value came from the command line.
            let overridden = |k: &str| {
                (k == "theme" && overrides.theme.is_some())
                    || (k == "base_url" && overrides.base_url.is_some())
            };
            let line = key_of(&message)
                .filter(|k| !overridden(k))
                .and_then(|k| key_line(&text, k));
            ConfigError {
                path,
                line,
                message,
            }
        })
    }

    /// Validates a parsed `site.yaml` and merges the overrides. Pure: no I/O.
    pub fn resolve(root: &Path, file: SiteFile, o: &Overrides) -> Result<Config, String> {
        let base = o.base_url.as_deref().unwrap_or(&file.base_url);
        let base_url = BaseUrl::parse(base).map_err(|e| format!("key `base_url`: {e}"))?;
        let timezone: Tz = file
            .timezone
            .parse()
            .map_err(|_| format!("key `timezone`: unknown time zone {:?}", file.timezone))?;
        if file.per_page == 0 {
            return Err("key `per_page`: must be at least 1".into());
        }
        if file.feed_items == 0 {
            return Err("key `feed_items`: must be at least 1".into());
        }
        if file.topics.min_articles == 0 {
            return Err("key `topics.min_articles`: must be at least 1".into());
        }
        let source_folder = file.sources.folder.resolve()?;
        let theme = o.theme.clone().unwrap_or(file.theme);
        if crate::model::Slug::from_text(&theme).map(|s| s.as_str() == theme) != Some(true) {
            return Err(format!(
                "key `theme`: {theme:?} is not a valid theme name (lowercase letters, digits and '-')"
            ));
        }
        let limits = &file.limits;
        if limits.max_file_size.0 == 0 {
            return Err("key `limits.max_file_size`: must be at least 1 byte".into());
        }
        if !(1..=MAX_WALK_DEPTH).contains(&limits.max_depth) {
            return Err(format!(
                "key `limits.max_depth`: must be between 1 and {MAX_WALK_DEPTH}, got {}",
                limits.max_depth
            ));
        }
        if limits.max_output_file_size.0 == 0 {
            return Err("key `limits.max_output_file_size`: must be at least 1 byte".into());
        }
        for (key, value) in [("logo", &file.logo), ("image", &file.image)] {
            if !value.trim().is_empty() {
                crate::model::ImageRef::parse(value)
                    .map_err(|e| format!("key `{key}`: {value:?} {e}"))?;
            }
        }
        let under_root = |p: PathBuf| if p.is_absolute() { p } else { root.join(p) };
        let locale = crate::i18n::Locale::new(&file.language, &file.strings);
        Ok(Config {
            root: root.to_path_buf(),
            title: file.title,
            description: file.description,
            base_url,
            language: file.language,
            timezone,
            theme,
            per_page: file.per_page,
            content_dir: under_root(o.content_dir.clone().unwrap_or(file.content_dir)),
            output_dir: under_root(o.output_dir.clone().unwrap_or(file.output_dir)),
            feed_items: file.feed_items,
            topics: file.topics,
            source_folder,
            titles: file.titles,
            stories: file.stories,
            limits: Limits {
                max_file_bytes: file.limits.max_file_size.0,
                max_depth: file.limits.max_depth,
            },
            max_output_file_bytes: file.limits.max_output_file_size.0,
            trusted_html: file.trusted_html,
            compress: file.compress,
            check: file.check,
            locale: std::sync::Arc::new(locale),
            show_provenance: file.show_provenance,
            show_markdown_source: file.show_markdown_source,
            feeds: file.feeds,
            logo: non_empty(file.logo),
            image: non_empty(file.image),
            author: non_empty(file.author),
            extra: file.extra,
        })
    }
}

/// The key a [`Config::resolve`] message is about: its messages start "key `a.b`: ".
fn key_of(message: &str) -> Option<&str> {
    message
        .strip_prefix("key `")?
        .split_once('`')
        .map(|(k, _)| k)
}

/// The 1-based line of `site.yaml` where the (dotted) key `key` is set: a top-level key at the
/// start of a line, a nested one indented below its parent before the next top-level key.
fn key_line(text: &str, key: &str) -> Option<usize> {
    let (top, nested) = match key.split_once('.') {
        Some((t, n)) => (t, Some(n)),
        None => (key, None),
    };
    let starts_key = |l: &str, k: &str| {
        l.strip_prefix(k)
            .is_some_and(|rest| rest.trim_start().starts_with(':'))
    };
    let mut lines = text.lines().enumerate();
    let (top_at, _) = lines.find(|(_, l)| starts_key(l, top))?;
    let Some(nested) = nested else {
        return Some(top_at + 1);
    };
    for (i, l) in lines {
        if !l.starts_with([' ', '\t']) && !l.trim().is_empty() && !l.starts_with('#') {
            break;
        }
        if starts_key(l.trim_start(), nested) {
            return Some(i + 1);
        }
    }
    Some(top_at + 1)
}

fn non_empty(s: String) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

pub fn parse_site_file(text: &str) -> Result<SiteFile, yaml::YamlError> {
    if text.trim().is_empty() {
        return Ok(SiteFile::default());
    }
    yaml::from_str(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_with_sub_path() {
        let b = BaseUrl::parse("https://example.org/digest").unwrap();
        assert_eq!(b.absolute(), "https://example.org/digest/");
        assert_eq!(b.path(), "/digest/");
        assert_eq!(b.url("2026/02/05/"), "/digest/2026/02/05/");
        assert_eq!(
            b.permalink("feed.xml"),
            "https://example.org/digest/feed.xml"
        );
        let root = BaseUrl::parse("http://localhost:1111").unwrap();
        assert_eq!(root.path(), "/");
    }

    #[test]
    fn local_base_urls() {
        for local in [
            "http://localhost:1111/",
            "http://LOCALHOST/x/",
            "http://127.0.0.1:8080",
            "http://[::1]:1111/",
            "http://0.0.0.0/",
            "http://site.localhost/",
        ] {
            assert!(BaseUrl::parse(local).unwrap().is_local(), "{local}");
        }
        for public in [
            "https://example.org/",
            "https://localhost.example.org/",
            "https://127example.org/",
        ] {
            assert!(!BaseUrl::parse(public).unwrap().is_local(), "{public}");
        }
    }

    #[test]
    fn extra_images_and_feeds() {
        let f = parse_site_file(
            "logo: static/logo.png\nimage: ' '\nauthor: Desk\nfeeds:\n  full_content: true\nextra:\n  accent: '#c00'\n  links: [a, b]\n",
        )
        .unwrap();
        let c = Config::resolve(Path::new("."), f, &Overrides::default()).unwrap();
        assert_eq!(c.logo.as_deref(), Some("static/logo.png"));
        assert_eq!(c.image, None);
        assert_eq!(c.author.as_deref(), Some("Desk"));
        assert!(c.feeds.full_content);
        assert_eq!(c.extra["accent"], "#c00");
        assert_eq!(c.extra["links"][1], "b");
        let e = parse_site_file("feeds:\n  full_contnet: true\n").unwrap_err();
        assert!(e.message.contains("full_contnet"), "{}", e.message);
        assert!(parse_site_file("extra: [1, 2]\n").is_err());
        let f = parse_site_file("logo: ../outside.png\n").unwrap();
        let e = Config::resolve(Path::new("."), f, &Overrides::default()).unwrap_err();
        assert!(e.contains("key `logo`"), "{e}");
    }

    #[test]
    fn base_url_rejects_junk() {
        assert!(BaseUrl::parse("example.org").is_err());
        assert!(BaseUrl::parse("https://").is_err());
        assert!(BaseUrl::parse("https://x.org/../etc").is_err());
        assert!(BaseUrl::parse("javascript:alert(1)").is_err());
    }

    #[test]
    fn unknown_key_named() {
        let e = parse_site_file("title: x\nbase_ulr: y\n").unwrap_err();
        assert!(e.message.contains("base_ulr"));
        assert_eq!(e.line, Some(2));
    }

    #[test]
    fn defaults_and_overrides() {
        let file = parse_site_file("").unwrap();
        let o = Overrides {
            base_url: Some("https://example.org/sub/".into()),
            theme: Some("night".into()),
            ..Default::default()
        };
        let c = Config::resolve(Path::new("/site"), file, &o).unwrap();
        assert_eq!(c.base_url.path(), "/sub/");
        assert_eq!(c.theme, "night");
        assert_eq!(c.content_dir, Path::new("/site/content"));
    }

    #[test]
    fn discovery_keys() {
        let f = parse_site_file("feed_items: 5\ntopics:\n  min_articles: 2\n  ignore: [U.S.]\n")
            .unwrap();
        let c = Config::resolve(Path::new("."), f, &Overrides::default()).unwrap();
        assert_eq!(c.feed_items, 5);
        assert_eq!(c.topics.min_articles, 2);
        assert!(c.topics.extract);
        assert_eq!(c.topics.ignore, ["U.S."]);
        let f = parse_site_file(
            "sources:\n  folder: 1\ntitles:\n  window_days: 5\nstories:\n  window_days: 1\n",
        )
        .unwrap();
        let c = Config::resolve(Path::new("/site"), f, &Overrides::default()).unwrap();
        assert_eq!(c.source_folder, crate::digest::sites::FolderLevel::Level(1));
        assert_eq!(c.titles.window_days, 5);
        assert_eq!(c.stories.window_days, 1);
        assert_eq!(StoriesConfig::default().window_days, 2);
        let f = parse_site_file("sources:\n  folder: sideways\n").unwrap();
        let e = Config::resolve(Path::new("/site"), f, &Overrides::default()).unwrap_err();
        assert!(e.contains("sources.folder"), "{e}");
        let e = parse_site_file("topics:\n  min_artcles: 2\n").unwrap_err();
        assert!(e.message.contains("min_artcles"), "{}", e.message);
        assert_eq!(e.line, Some(2));
        let f = parse_site_file("feed_items: 0\n").unwrap();
        let e = Config::resolve(Path::new("."), f, &Overrides::default()).unwrap_err();
        assert!(e.contains("feed_items"));
    }

    #[test]
    fn compress_and_check_settings() {
        let f = parse_site_file("compress: true\ncheck:\n  max_file_bytes: 1000\n").unwrap();
        let c = Config::resolve(Path::new("."), f, &Overrides::default()).unwrap();
        assert!(c.compress);
        assert_eq!(c.check.max_file_bytes, 1000);
        let e = parse_site_file("check:\n  max_size: 1\n").unwrap_err();
        assert!(e.message.contains("max_size"), "{}", e.message);
        assert_eq!(e.line, Some(2));
    }

    #[test]
    fn value_errors_name_the_line_of_their_key() {
        let text = "title: t\nper_page: 0\ntopics:\n  ignore: []\n  min_articles: 0\n";
        assert_eq!(key_line(text, "per_page"), Some(2));
        assert_eq!(key_line(text, "topics.min_articles"), Some(5));
        assert_eq!(key_line(text, "feed_items"), None);
        assert_eq!(
            key_of("key `limits.max_depth`: must be"),
            Some("limits.max_depth")
        );
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(CONFIG_FILE), "title: t\nper_page: 0\n").unwrap();
        let e = Config::load(dir.path(), &Overrides::default()).unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(
            e.to_string()
                .ends_with("site.yaml:2: key `per_page`: must be at least 1"),
            "{e}"
        );
        std::fs::write(dir.path().join(CONFIG_FILE), "theme: Bad\n").unwrap();
        let o = Overrides {
            theme: Some("Worse".into()),
            ..Default::default()
        };
        assert_eq!(Config::load(dir.path(), &o).unwrap_err().line, None);
    }

    #[test]
    fn a_missing_root_is_named_with_what_to_do() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("nonexistent");
        let e = Config::load(&root, &Overrides::default()).unwrap_err();
        let msg = e.to_string();
        assert!(msg.starts_with(&format!("{}: ", root.display())), "{msg}");
        assert!(msg.contains("run `newsdigest init"), "{msg}");
        assert!(!msg.contains("content"), "{msg}");
    }

    #[test]
    fn bad_values_name_the_key() {
        let mut f = SiteFile {
            timezone: "Mars/Olympus".into(),
            ..Default::default()
        };
        let e = Config::resolve(Path::new("."), f.clone(), &Overrides::default()).unwrap_err();
        assert!(e.contains("timezone"));
        f.timezone = "Europe/Berlin".into();
        f.theme = "../evil".into();
        let e = Config::resolve(Path::new("."), f, &Overrides::default()).unwrap_err();
        assert!(e.contains("theme"));
    }

    #[test]
    fn limits_from_site_yaml() {
        let f = parse_site_file(
            "limits:\n  max_file_size: 10 MB\n  max_depth: 4\ntrusted_html: true\n",
        )
        .unwrap();
        let c = Config::resolve(Path::new("/s"), f, &Overrides::default()).unwrap();
        assert_eq!(c.limits.max_file_bytes, 10_000_000);
        assert_eq!(c.limits.max_depth, 4);
        assert_eq!(c.max_output_file_bytes, DEFAULT_MAX_OUTPUT_FILE_BYTES);
        assert!(c.trusted_html);
        let f = parse_site_file("limits:\n  max_output_file_size: 2 MB\n").unwrap();
        let c = Config::resolve(Path::new("/site"), f, &Overrides::default()).unwrap();
        assert_eq!(c.max_output_file_bytes, 2_000_000);
        let d =
            Config::resolve(Path::new("/s"), SiteFile::default(), &Overrides::default()).unwrap();
        // The default lets a 10 MB dump build.
        assert!(d.limits.max_file_bytes >= 10 * 1024 * 1024);
        assert!(!d.trusted_html);
    }

    #[test]
    fn language_and_strings() {
        let f = parse_site_file("language: de\nstrings:\n  top_stories: Heute\n").unwrap();
        let c = Config::resolve(Path::new("."), f, &Overrides::default()).unwrap();
        assert_eq!(c.locale.strings.top_stories, "Heute");
        assert_eq!(c.locale.strings.more_stories, "Weitere Meldungen");
        assert!(!c.show_provenance && !c.show_markdown_source);
        let e = parse_site_file("language: de\nstrings:\n  top_storys: Heute\n").unwrap_err();
        assert!(e.message.contains("top_storys"), "{}", e.message);
        assert_eq!(e.line, Some(3));
    }

    #[test]
    fn byte_sizes() {
        assert_eq!(ByteSize::parse("16777216"), Ok(ByteSize(16_777_216)));
        assert_eq!(ByteSize::parse("16 MiB"), Ok(ByteSize(16 << 20)));
        assert_eq!(ByteSize::parse("1.5MB"), Ok(ByteSize(1_500_000)));
        assert_eq!(ByteSize::parse("512 kb"), Ok(ByteSize(512_000)));
        assert!(ByteSize::parse("12 parsecs").is_err());
        assert!(ByteSize::parse("MB").is_err());
        assert!(ByteSize::parse("1e400 GB").is_err());
    }

    #[test]
    fn limit_errors_name_the_key_and_line() {
        for (yaml, key, line) in [
            ("limits:\n  max_depht: 3\n", "max_depht", 2),
            ("limits:\n  max_depth: many\n", "limits.max_depth", 2),
            (
                "title: t\nlimits:\n  max_file_size: 12 parsecs\n",
                "limits.max_file_size",
                3,
            ),
            ("limits:\n  max_file_size: -3\n", "limits.max_file_size", 2),
            ("trusted_html: maybe\n", "trusted_html", 1),
            ("per_page: x\n", "per_page", 1),
        ] {
            let e = parse_site_file(yaml).unwrap_err();
            assert!(e.message.contains(key), "{yaml:?}: {}", e.message);
            assert_eq!(e.line, Some(line), "{yaml:?}");
        }
        for (yaml, key) in [
            ("limits:\n  max_depth: 0\n", "limits.max_depth"),
            ("limits:\n  max_depth: 100000\n", "limits.max_depth"),
            ("limits:\n  max_file_size: 0\n", "limits.max_file_size"),
        ] {
            let f = parse_site_file(yaml).unwrap();
            let e = Config::resolve(Path::new("."), f, &Overrides::default()).unwrap_err();
            assert!(e.contains(key), "{e}");
        }
    }
}
