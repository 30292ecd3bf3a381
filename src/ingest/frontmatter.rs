//! YAML front matter between `---` lines at the very top of a file.

use crate::model::Day;
use crate::yaml;
use chrono::{DateTime, NaiveDateTime, TimeZone};
use chrono_tz::Tz;
use serde::Deserialize;

/// The keys a front matter may have. Anything else is an error naming the key.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub title: Option<String>,
    pub date: Option<String>,
    pub source: Option<String>,
    pub url: Option<String>,
    pub author: Option<String>,
    /// The article's image: an http(s) URL, or a path relative to the file (copied).
    pub image: Option<String>,
    /// The image's text alternative.
    pub image_alt: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    pub summary: Option<String>,
    pub slug: Option<String>,
    pub rank: Option<u32>,
    #[serde(default)]
    pub draft: bool,
    /// Other headlines that name this article: list entries matching one link here.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// `false`: never take this article's title from the corpus's headline lists.
    pub recover_title: Option<bool>,
    /// The file (path under `content/`, or its HEXID) this one is a copy of: merged into it.
    pub duplicate_of: Option<String>,
    /// `false`: never merge this file as a duplicate (only `duplicate_of` still merges).
    pub merge: Option<bool>,
    /// `<slug>`: pin the article to that story; `none`: keep it out of story clustering.
    pub story: Option<String>,
}

impl FrontMatter {
    /// Replaces characters XML forbids in every text value (YAML escapes such as `"\x0c"`
    /// produce them after decoding has run) and strips bidirectional controls from the values
    /// that become titles, slugs or headline names. Returns how many forbidden characters
    /// there were.
    pub fn clean_text(&mut self) -> usize {
        let mut forbidden = 0;
        let mut fix = |s: &mut String, names: bool| {
            let (clean, n) = crate::safety::replace_xml_forbidden(s);
            forbidden += n;
            let clean = if names {
                crate::safety::strip_bidi_controls(&clean).into_owned()
            } else {
                clean.into_owned()
            };
            if *s != clean {
                *s = clean;
            }
        };
        for s in [
            &mut self.title,
            &mut self.slug,
            &mut self.duplicate_of,
            &mut self.story,
        ]
        .into_iter()
        .flatten()
        {
            fix(s, true);
        }
        for s in self.aliases.iter_mut() {
            fix(s, true);
        }
        for s in [
            &mut self.date,
            &mut self.source,
            &mut self.url,
            &mut self.author,
            &mut self.summary,
        ]
        .into_iter()
        .flatten()
        {
            fix(s, false);
        }
        // Tags name topics: titles of topic pages.
        for s in self.tags.iter_mut() {
            fix(s, true);
        }
        forbidden
    }
}

/// A front-matter problem with its 1-based line in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontMatterError {
    pub line: Option<usize>,
    pub message: String,
}

/// The longest front matter (the YAML between the fences) accepted. Real front matter is a
/// few hundred bytes; the limit keeps a hostile one from costing more than its file's size.
pub const MAX_FRONT_MATTER_BYTES: usize = 64 * 1024;

/// Splits `text` into its front matter (if it starts with a `---` line) and the rest.
/// Returns the parsed front matter, the body, and the 1-based line the body starts on.
pub fn split(text: &str) -> Result<(Option<FrontMatter>, &str, usize), FrontMatterError> {
    let Some(after_open) = text.strip_prefix("---\n") else {
        return Ok((None, text, 1));
    };
    let mut offset = 0;
    for (line_no, line) in (2..).zip(after_open.split_inclusive('\n')) {
        let bare = line.strip_suffix('\n').unwrap_or(line);
        if bare == "---" || bare == "..." {
            let yaml_text = &after_open[..offset];
            let body = &after_open[offset + line.len()..];
            if yaml_text.len() > MAX_FRONT_MATTER_BYTES {
                return Err(FrontMatterError {
                    line: Some(1),
                    message: format!(
                        "front matter is {} bytes, over the limit of {MAX_FRONT_MATTER_BYTES} \
                         bytes; the file is not built (long text belongs in the body, after \
                         the closing `---`)",
                        yaml_text.len()
                    ),
                });
            }
            let fm = parse(yaml_text)?;
            return Ok((Some(fm), body, line_no + 1));
        }
        offset += line.len();
    }
    Err(FrontMatterError {
        line: Some(1),
        message: "front matter opened with `---` is never closed".into(),
    })
}

/// Parses the YAML between the fences. Lines are reported as lines of the whole file.
fn parse(yaml_text: &str) -> Result<FrontMatter, FrontMatterError> {
    if yaml_text.trim().is_empty() {
        return Ok(FrontMatter::default());
    }
    yaml::from_str::<FrontMatter>(yaml_text).map_err(|e| FrontMatterError {
        // +1 for the opening `---` line.
        line: e.line.map(|l| l + 1),
        message: format!("front matter: {}", e.message),
    })
}

/// The 1-based file line of a top-level front-matter key, so errors can point at it.
pub fn key_line(text: &str, key: &str) -> Option<usize> {
    let prefix = format!("{key}:");
    text.lines()
        .enumerate()
        .skip(1)
        .take_while(|(_, l)| *l != "---" && *l != "...")
        .find(|(_, l)| l.starts_with(&prefix))
        .map(|(i, _)| i + 1)
}

/// Parses a front-matter `date`: `YYYY-MM-DD`, `YYYY-MM-DD HH:MM[:SS]` (site time zone), or
/// RFC 3339 with an offset (converted into the site time zone).
pub fn parse_date(s: &str, tz: Tz) -> Option<Day> {
    let s = s.trim();
    if let Some(d) = Day::parse_iso(s) {
        return Some(d);
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        return Some(Day::new(dt.with_timezone(&tz).date_naive()));
    }
    for fmt in [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(s, fmt) {
            let local = tz.from_local_datetime(&naive).earliest()?;
            return Some(Day::new(local.date_naive()));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_front_matter() {
        let (fm, body, line) = split("Hello\n").unwrap();
        assert!(fm.is_none());
        assert_eq!(body, "Hello\n");
        assert_eq!(line, 1);
    }

    #[test]
    fn front_matter_fields() {
        let text = "---\ntitle: \"A & B\"\ndate: 2026-02-05\ntags: [x, y]\ndraft: true\nrank: 2\n---\nBody\n";
        let (fm, body, line) = split(text).unwrap();
        let fm = fm.unwrap();
        assert_eq!(fm.title.as_deref(), Some("A & B"));
        assert_eq!(fm.date.as_deref(), Some("2026-02-05"));
        assert_eq!(fm.tags, vec!["x", "y"]);
        assert!(fm.draft);
        assert_eq!(fm.rank, Some(2));
        assert_eq!(body, "Body\n");
        assert_eq!(line, 8);
    }

    #[test]
    fn digest_override_fields() {
        let text = "---\naliases: [Old Name]\nrecover_title: false\nduplicate_of: 2026-02-05/000_ab.txt\nmerge: false\n---\nBody\n";
        let fm = split(text).unwrap().0.unwrap();
        assert_eq!(fm.aliases, ["Old Name"]);
        assert_eq!(fm.recover_title, Some(false));
        assert_eq!(fm.duplicate_of.as_deref(), Some("2026-02-05/000_ab.txt"));
        assert_eq!(fm.merge, Some(false));
    }

    #[test]
    fn unknown_key_names_key_and_line() {
        let e = split("---\ntitle: x\ncolour: red\n---\nBody").unwrap_err();
        assert!(e.message.contains("colour"), "{}", e.message);
        assert_eq!(e.line, Some(3));
    }

    #[test]
    fn malformed_yaml_and_unclosed_fence() {
        let e = split("---\ntitle: [unclosed\n---\nx").unwrap_err();
        assert!(e.line.is_some());
        let e = split("---\ntitle: x\nno closing fence\n").unwrap_err();
        assert!(e.message.contains("never closed"));
    }

    #[test]
    fn front_matter_size_and_alias_bombs_are_bounded() {
        let big = format!(
            "---\ntitle: \"{}\"\n---\nBody\n",
            "x".repeat(MAX_FRONT_MATTER_BYTES)
        );
        let e = split(&big).unwrap_err();
        assert_eq!(e.line, Some(1));
        assert!(
            e.message.contains("over the limit of 65536 bytes"),
            "{}",
            e.message
        );
        // Just under the size limit: 8,000 aliases of a 40 KB anchor (320 MB expanded).
        let bomb = format!(
            "---\nsummary: &a \"{}\"\ntags: [{}]\n---\nBody\n",
            "y".repeat(40_000),
            vec!["*a"; 8_000].join(",")
        );
        assert!(bomb.len() < MAX_FRONT_MATTER_BYTES + 20);
        let e = split(&bomb).unwrap_err();
        assert!(
            e.message.contains(": values add up to more than"),
            "{}",
            e.message
        );
        assert!(e.line.is_some());
    }

    #[test]
    fn dates_in_several_forms() {
        let tz: Tz = "America/New_York".parse().unwrap();
        assert_eq!(parse_date("2026-02-05", tz).unwrap().iso(), "2026-02-05");
        // 02:00 UTC is still the previous evening in New York.
        assert_eq!(
            parse_date("2026-02-05T02:00:00Z", tz).unwrap().iso(),
            "2026-02-04"
        );
        assert_eq!(
            parse_date("2026-02-05 23:30", tz).unwrap().iso(),
            "2026-02-05"
        );
        assert!(parse_date("2026-02-30", tz).is_none());
        assert!(parse_date("yesterday", tz).is_none());
    }

    #[test]
    fn unicode_line_separators_are_text_and_lines_stay_right() {
        // libyaml (YAML 1.1) breaks lines at NEL, LS and PS; a scraped title may hold them.
        let (fm, _, _) = split("---\ntitle: a\u{2028}b\u{85}c\u{2029}d\n---\nBody\n").unwrap();
        assert_eq!(fm.unwrap().title.as_deref(), Some("a b c d"));
        let e = split("---\ntitle: \"a\u{85}b\"\nbad: x\n---\n").unwrap_err();
        assert_eq!(e.line, Some(3));
    }

    #[test]
    fn key_line_finds_date() {
        assert_eq!(
            key_line("---\ntitle: x\ndate: 2026-02-30\n---\n", "date"),
            Some(3)
        );
    }
}
