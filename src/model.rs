//! Small value types shared by every stage: a `Day`, a `Slug`, an `ArticleId`, a `Rank`.
//!
//! They exist so that a day is never confused with a slug, and so that the rules for what a
//! valid slug or day is live in exactly one place. Also the one rule for showing a path
//! relative to a folder of the site ([`relative_to`]).

use chrono::{Datelike, NaiveDate};
use std::fmt;
use std::path::{Path, PathBuf};

/// English day names, Monday first (chrono's `%A`).
pub const WEEKDAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
/// English month names (chrono's `%B`).
pub const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A calendar day in the site's time zone; the unit a digest is organised by.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct Day(NaiveDate);

impl Day {
    pub fn new(date: NaiveDate) -> Self {
        Day(date)
    }

    pub fn from_ymd(y: i32, m: u32, d: u32) -> Option<Self> {
        NaiveDate::from_ymd_opt(y, m, d).map(Day)
    }

    /// Parses exactly `YYYY-MM-DD`. `None` for anything else, including impossible dates
    /// such as `2026-02-30`.
    pub fn parse_iso(s: &str) -> Option<Self> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let digits = |r: std::ops::Range<usize>| -> Option<u32> {
            let part = &s[r];
            if part.bytes().all(|c| c.is_ascii_digit()) {
                part.parse().ok()
            } else {
                None
            }
        };
        Day::from_ymd(digits(0..4)? as i32, digits(5..7)?, digits(8..10)?)
    }

    pub fn date(&self) -> NaiveDate {
        self.0
    }

    /// Days since the start of the common era: the difference of two is the days between them.
    pub fn number(&self) -> i32 {
        self.0.num_days_from_ce()
    }

    /// `2026-02-05`
    pub fn iso(&self) -> String {
        self.numeric('-')
    }

    /// `2026/02/05`: the day's folder below the output root.
    pub fn path(&self) -> String {
        self.numeric('/')
    }

    /// Year, month and day joined by `sep`, as chrono's `%Y{sep}%m{sep}%d` writes them.
    /// Formatted directly: every page names dozens of days, and chrono's format strings are
    /// parsed anew on each call.
    fn numeric(&self, sep: char) -> String {
        let y = self.0.year();
        if !(0..=9999).contains(&y) {
            return self.0.format(&format!("%Y{sep}%m{sep}%d")).to_string();
        }
        format!("{y:04}{sep}{:02}{sep}{:02}", self.0.month(), self.0.day())
    }

    /// `Thursday 5 February 2026`
    pub fn human(&self) -> String {
        format!(
            "{} {} {} {}",
            WEEKDAYS[self.0.weekday().num_days_from_monday() as usize],
            self.0.day(),
            MONTHS[self.0.month0() as usize],
            self.0.year()
        )
    }

    /// `5 Feb 2026`
    pub fn short(&self) -> String {
        format!(
            "{} {} {}",
            self.0.day(),
            &MONTHS[self.0.month0() as usize][..3],
            self.0.year()
        )
    }

    /// `February 2026`
    pub fn month_label(&self) -> String {
        self.0.format("%B %Y").to_string()
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.iso())
    }
}

/// A URL path segment: ASCII lowercase letters and digits in runs joined by single `-`.
/// It can never contain `/`, `.` or anything else that could leave its folder, and is never a
/// name Windows reserves for a device (`con`, `nul`, `com1`…).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Slug(String);

impl Slug {
    /// The longest slug we produce, in bytes; longer ones are cut at a `-`.
    pub const MAX_LEN: usize = 80;

    /// Slugifies any text. Latin letters with accents lose them; anything that is not an
    /// ASCII letter or digit becomes a separator. A Windows device name gets a `-1` suffix
    /// (`CON` → `con-1`). `None` when nothing usable is left.
    pub fn from_text(text: &str) -> Option<Slug> {
        let mut out = String::with_capacity(text.len().min(Self::MAX_LEN));
        let mut pending_dash = false;
        let mut prev = '\0';
        let mut chars = text.chars().peekable();
        while let Some(ch) = chars.next() {
            // A bidirectional control is invisible: it neither separates nor joins.
            if crate::safety::is_bidi_control(ch) {
                continue;
            }
            let next = chars.peek().copied().unwrap_or('\0');
            // A dot between letters joins, so "U.S." slugs to "us" (but "4.1" to "4-1").
            let joining_dot = ch == '.' && prev.is_alphabetic() && next.is_alphabetic();
            prev = ch;
            if joining_dot {
                continue;
            }
            if ch.is_ascii_alphanumeric() {
                push_slug_char(&mut out, &mut pending_dash, ch);
            } else if let Some(folded) = fold_accent(ch) {
                folded
                    .chars()
                    .for_each(|c| push_slug_char(&mut out, &mut pending_dash, c));
            } else if !matches!(ch, '\'' | '\u{2019}') {
                // An apostrophe joins ("Trump's" -> "trumps"); everything else separates.
                pending_dash = true;
            }
            if out.len() >= Self::MAX_LEN + 20 {
                break;
            }
        }
        if out.len() > Self::MAX_LEN {
            let cut = out[..Self::MAX_LEN].rfind('-').unwrap_or(Self::MAX_LEN);
            out.truncate(cut);
        }
        if out.is_empty() {
            return None;
        }
        if crate::safety::is_reserved_name(&out) {
            out.push_str("-1");
        }
        Some(Slug(out))
    }

    /// This slug with a numeric suffix, used to keep slugs unique within a day.
    pub fn with_suffix(&self, n: usize) -> Slug {
        Slug(format!("{}-{}", self.0, n))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn push_slug_char(out: &mut String, pending_dash: &mut bool, c: char) {
    if *pending_dash && !out.is_empty() {
        out.push('-');
    }
    *pending_dash = false;
    out.push(c.to_ascii_lowercase());
}

/// Folds common accented Latin letters to ASCII so that "Zürich" slugs to "zurich".
fn fold_accent(c: char) -> Option<&'static str> {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ą' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => {
            Some("a")
        }
        'æ' | 'Æ' => Some("ae"),
        'ç' | 'ć' | 'č' | 'Ç' | 'Ć' | 'Č' => Some("c"),
        'ď' | 'đ' | 'Ď' | 'Đ' => Some("d"),
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' | 'È' | 'É' | 'Ê' | 'Ë' | 'Ě' => {
            Some("e")
        }
        'ğ' | 'Ğ' => Some("g"),
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'ı' | 'Ì' | 'Í' | 'Î' | 'Ï' | 'İ' => Some("i"),
        'ł' | 'ľ' | 'Ł' | 'Ľ' => Some("l"),
        'ñ' | 'ń' | 'ň' | 'Ñ' | 'Ń' | 'Ň' => Some("n"),
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' => {
            Some("o")
        }
        'œ' | 'Œ' => Some("oe"),
        'ř' | 'Ř' => Some("r"),
        'ś' | 'š' | 'ş' | 'Ś' | 'Š' | 'Ş' => Some("s"),
        'ß' => Some("ss"),
        'ť' | 'ţ' | 'Ť' | 'Ţ' => Some("t"),
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'Ù' | 'Ú' | 'Û' | 'Ü' | 'Ů' => Some("u"),
        'ý' | 'ÿ' | 'Ý' => Some("y"),
        'ź' | 'ż' | 'ž' | 'Ź' | 'Ż' | 'Ž' => Some("z"),
        'þ' | 'Þ' => Some("th"),
        _ => None,
    }
}

/// A stable article identity: the `HEXID` of an `NNN_HEXID.txt` name, or a hash of the
/// file's bytes for any other name.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct ArticleId(String);

impl ArticleId {
    pub fn new(hex: impl Into<String>) -> Self {
        ArticleId(hex.into())
    }

    /// A 64-bit FNV-1a hash of the bytes, as 16 hex digits: stable across runs and
    /// platforms, which std's hasher is not.
    pub fn from_bytes(bytes: &[u8]) -> Self {
        ArticleId(format!("{:016x}", fnv1a(bytes)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ArticleId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// FNV-1a, 64 bit. Used for ids and content hashes that must be stable forever.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(FNV1A_OFFSET, |h, &b| fnv1a_step(h, b))
}

/// The state [`fnv1a`] starts from.
pub const FNV1A_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// One byte of [`fnv1a`], for hashing text as it is produced.
#[inline]
pub fn fnv1a_step(h: u64, b: u8) -> u64 {
    (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
}

/// `path` relative to `base` when it is under it, else `path` as it is; either way without a
/// leading `./`. The one place a path is made relative to the site root, the content folder
/// or the output folder: for the report, diagnostics and the build's keys.
pub fn relative_to(base: &Path, path: &Path) -> PathBuf {
    let rel = path.strip_prefix(base).unwrap_or(path);
    rel.strip_prefix(".").unwrap_or(rel).to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_to_strips_the_base_and_a_leading_dot() {
        let rel = |b: &str, p: &str| relative_to(Path::new(b), Path::new(p));
        assert_eq!(
            rel("/site", "/site/content/a.txt"),
            Path::new("content/a.txt")
        );
        assert_eq!(
            rel("/site", "/elsewhere/content"),
            Path::new("/elsewhere/content")
        );
        assert_eq!(rel("/site", "./content"), Path::new("content"));
        assert_eq!(rel(".", "./content/a.txt"), Path::new("content/a.txt"));
        // Components, not text: a sibling that shares the base's name as a prefix stays whole.
        assert_eq!(rel("/site", "/site2/a.txt"), Path::new("/site2/a.txt"));
        assert_eq!(rel("/site", "/site"), Path::new(""));
        assert_eq!(rel("/site", "/site/.hidden"), Path::new(".hidden"));
    }

    #[test]
    fn day_parses_only_real_dates() {
        assert_eq!(
            Day::parse_iso("2026-02-05").map(|d| d.iso()),
            Some("2026-02-05".into())
        );
        assert!(Day::parse_iso("2026-02-30").is_none());
        assert!(Day::parse_iso("2026-2-5").is_none());
        assert!(Day::parse_iso("2026-02-05x").is_none());
        assert!(Day::parse_iso("20a6-02-05").is_none());
    }

    #[test]
    fn day_formats() {
        let d = Day::parse_iso("2026-02-05").unwrap();
        assert_eq!(d.path(), "2026/02/05");
        assert_eq!(d.human(), "Thursday 5 February 2026");
        assert_eq!(d.short(), "5 Feb 2026");
        assert_eq!(d.month_label(), "February 2026");
    }

    #[test]
    fn slug_basic() {
        let s = Slug::from_text("Trump’s Inflation Claims Clash With Voters’ Reality").unwrap();
        assert_eq!(
            s.as_str(),
            "trumps-inflation-claims-clash-with-voters-reality"
        );
        assert_eq!(
            Slug::from_text("Zürich: 25% Rise!").unwrap().as_str(),
            "zurich-25-rise"
        );
        assert_eq!(
            Slug::from_text("U.S. Rates Rise 4.1%").unwrap().as_str(),
            "us-rates-rise-4-1"
        );
        // Bidirectional controls are invisible in the title, so they leave no mark in the slug.
        assert_eq!(
            Slug::from_text("Mayor\u{202E} Opens\u{2066}Library\u{2069}")
                .unwrap()
                .as_str(),
            "mayor-openslibrary"
        );
    }

    #[test]
    fn slug_never_escapes() {
        for hostile in [
            "../../etc/passwd",
            "/abs/path",
            "a\\b\\..\\c",
            "%2e%2e/x",
            "a\0b",
            "CON",
        ] {
            let s = Slug::from_text(hostile).unwrap();
            assert!(
                !s.as_str().contains('/') && !s.as_str().contains(".."),
                "{s}"
            );
            assert!(
                s.as_str()
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            );
        }
        assert!(Slug::from_text("...///").is_none());
        for reserved in ["CON", "nul", "Com1", "lpt9", " Prn "] {
            let s = Slug::from_text(reserved).unwrap();
            assert!(!crate::safety::is_reserved_name(s.as_str()), "{s}");
            assert!(s.as_str().ends_with("-1"), "{s}");
        }
        assert!(Slug::from_text("日本語").is_none());
    }

    #[test]
    fn slug_is_bounded_and_cut_at_dash() {
        let long = "word ".repeat(100);
        let s = Slug::from_text(&long).unwrap();
        assert!(s.as_str().len() <= Slug::MAX_LEN);
        assert!(!s.as_str().ends_with('-'));
        assert_eq!(s.with_suffix(2).as_str(), format!("{}-2", s.as_str()));
    }

    #[test]
    fn ids_are_stable() {
        assert_eq!(ArticleId::from_bytes(b"hello").as_str(), "a430d84680aabd0b");
    }

    #[test]
    fn day_formats_match_chrono() {
        let mut d = NaiveDate::from_ymd_opt(2023, 12, 20).unwrap();
        for _ in 0..800 {
            let day = Day::new(d);
            assert_eq!(day.iso(), d.format("%Y-%m-%d").to_string());
            assert_eq!(day.path(), d.format("%Y/%m/%d").to_string());
            assert_eq!(day.human(), d.format("%A %-d %B %Y").to_string());
            assert_eq!(day.short(), d.format("%-d %b %Y").to_string());
            d = d.succ_opt().unwrap();
        }
        let far = Day::new(NaiveDate::from_ymd_opt(12026, 1, 2).unwrap());
        assert_eq!(far.iso(), "+12026-01-02");
    }
}

/// Where an image named in front matter (`image`) or `site.yaml` (`logo`, `image`) is. One
/// place holds the rules, so ingest, config and render agree on what is linked and what is
/// copied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageRef {
    /// An `http(s)://` URL: linked as it is, never fetched.
    Remote(String),
    /// `/logo.png`: a file of the site's `static/` folder, which is published at the root.
    Published(String),
    /// `photo.jpg`, `img/photo.jpg`: relative to the article's file (front matter) or the site
    /// root (`site.yaml`); copied into the site.
    Relative(String),
}

impl ImageRef {
    /// Reads an image reference; the error says what is wrong, for a diagnostic.
    pub fn parse(raw: &str) -> Result<ImageRef, String> {
        let s = raw.trim();
        if s.is_empty() {
            return Err("is empty".into());
        }
        if s.chars().any(|c| c.is_control() || c.is_whitespace()) {
            return Err("contains white space or control characters".into());
        }
        let lower = s.to_ascii_lowercase();
        if lower.starts_with("https://") || lower.starts_with("http://") {
            return if crate::safety::is_safe_url(s) && s.len() > "https://".len() {
                Ok(ImageRef::Remote(s.to_string()))
            } else {
                Err("is not a valid http(s) URL".into())
            };
        }
        if s.contains(['?', '#', '\\', ':']) || s.starts_with("//") {
            return Err("is neither an http(s) URL nor a plain relative path".into());
        }
        let (published, path) = match s.strip_prefix('/') {
            Some(p) => (true, p),
            None => (false, s.strip_prefix("./").unwrap_or(s)),
        };
        let segments: Vec<&str> = path.split('/').collect();
        if segments
            .iter()
            .any(|seg| seg.is_empty() || *seg == "." || *seg == ".." || seg.starts_with('.'))
        {
            return Err("is not a plain path (no `..`, hidden or empty segments)".into());
        }
        Ok(if published {
            ImageRef::Published(path.to_string())
        } else {
            ImageRef::Relative(path.to_string())
        })
    }
}

#[cfg(test)]
mod image_tests {
    use super::ImageRef;

    #[test]
    fn image_references() {
        assert_eq!(
            ImageRef::parse(" https://cdn.example.org/a.jpg "),
            Ok(ImageRef::Remote("https://cdn.example.org/a.jpg".into()))
        );
        assert_eq!(
            ImageRef::parse("/img/logo.png"),
            Ok(ImageRef::Published("img/logo.png".into()))
        );
        assert_eq!(
            ImageRef::parse("./photos/harbour.jpg"),
            Ok(ImageRef::Relative("photos/harbour.jpg".into()))
        );
        for bad in [
            "",
            "../secret.jpg",
            "a/../../b.jpg",
            "javascript:alert(1)",
            "data:image/png;base64,AAAA",
            "//evil.example/x.png",
            "C:\\x.png",
            "a b.jpg",
            ".hidden/x.png",
            "https://",
            "x.png?size=2",
        ] {
            assert!(ImageRef::parse(bad).is_err(), "{bad:?}");
        }
    }
}
