//! What a file's path says: rank and id from `NNN_HEXID.txt`, the day from its folders or a
//! `YYYY-MM-DD` name prefix, and whether it is editor or OS junk.

use crate::model::{ArticleId, Day};
use std::path::Path;

/// Rank and id from a name like `003_6692dc3ab9125327.txt`. `None` for any other name.
pub fn rank_and_id(file_name: &str) -> Option<(u32, ArticleId)> {
    let stem = file_name
        .strip_suffix(".txt")
        .or_else(|| file_name.strip_suffix(".md"))?;
    let (rank, hex) = stem.split_once('_')?;
    if rank.is_empty() || rank.len() > 6 || !rank.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if hex.is_empty() || hex.len() > 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    Some((rank.parse().ok()?, ArticleId::new(hex.to_ascii_lowercase())))
}

/// Where a day came from, in order of precedence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayFromPath {
    Found(Day),
    /// The path has a date-shaped part that is not a real date (e.g. `2026-02-30/`).
    Impossible,
    None,
}

/// The day named by the folders of a path relative to `content/`: the innermost
/// `YYYY-MM-DD` folder, or a `YYYY/MM/DD` run of folders.
pub fn day_from_folders(rel: &Path) -> DayFromPath {
    let parts: Vec<&str> = rel
        .parent()
        .map(|p| p.iter().filter_map(|s| s.to_str()).collect())
        .unwrap_or_default();
    for i in (0..parts.len()).rev() {
        if looks_like_iso_date(parts[i]) {
            return match Day::parse_iso(parts[i]) {
                Some(d) => DayFromPath::Found(d),
                None => DayFromPath::Impossible,
            };
        }
        if i >= 2
            && is_digits(parts[i - 2], 4)
            && is_digits(parts[i - 1], 2)
            && is_digits(parts[i], 2)
        {
            let iso = format!("{}-{}-{}", parts[i - 2], parts[i - 1], parts[i]);
            return match Day::parse_iso(&iso) {
                Some(d) => DayFromPath::Found(d),
                None => DayFromPath::Impossible,
            };
        }
    }
    DayFromPath::None
}

/// The day from a `YYYY-MM-DD` prefix of the file name (`2026-02-05-story.txt`).
pub fn day_from_file_name(file_name: &str) -> DayFromPath {
    match file_name.get(..10) {
        Some(prefix) if looks_like_iso_date(prefix) => match Day::parse_iso(prefix) {
            Some(d) => DayFromPath::Found(d),
            None => DayFromPath::Impossible,
        },
        _ => DayFromPath::None,
    }
}

fn is_digits(s: &str, n: usize) -> bool {
    s.len() == n && s.bytes().all(|b| b.is_ascii_digit())
}

fn looks_like_iso_date(s: &str) -> bool {
    s.len() == 10
        && is_digits(&s[..4], 4)
        && s.as_bytes()[4] == b'-'
        && is_digits(&s[5..7], 2)
        && s.as_bytes()[7] == b'-'
        && is_digits(&s[8..], 2)
}

/// The rule that makes a file name editor or OS junk, if one does.
pub fn junk_rule(file_name: &str) -> Option<&'static str> {
    if file_name == ".DS_Store" || file_name == "Thumbs.db" || file_name == "desktop.ini" {
        return Some("operating-system metadata file");
    }
    if file_name.starts_with(".#") || (file_name.starts_with('#') && file_name.ends_with('#')) {
        return Some("editor lock or autosave file");
    }
    if file_name.ends_with('~') || file_name.ends_with(".swp") || file_name.ends_with(".swo") {
        return Some("editor backup or swap file");
    }
    if file_name.starts_with('.') {
        return Some("hidden file");
    }
    None
}

/// The kind of content a file holds, by extension. `None`: not a content file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContentKind {
    Dump,
    Markdown,
}

pub fn content_kind(file_name: &str) -> Option<ContentKind> {
    let lower = file_name.to_ascii_lowercase();
    if lower.ends_with(".md") || lower.ends_with(".markdown") {
        Some(ContentKind::Markdown)
    } else if lower.ends_with(".txt") || !file_name.contains('.') {
        Some(ContentKind::Dump)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rank_and_id_from_dump_name() {
        let (rank, id) = rank_and_id("003_6692DC3AB9125327.txt").unwrap();
        assert_eq!(rank, 3);
        assert_eq!(id.as_str(), "6692dc3ab9125327");
        assert!(rank_and_id("story.txt").is_none());
        assert!(rank_and_id("abc_123.txt").is_none());
        assert!(rank_and_id("001_xyz.txt").is_none());
    }

    #[test]
    fn day_from_dash_folder_and_nested_folders() {
        let d = |p: &str| day_from_folders(Path::new(p));
        assert_eq!(
            d("2026-02-05/000_a.txt"),
            DayFromPath::Found(Day::parse_iso("2026-02-05").unwrap())
        );
        assert_eq!(
            d("2026/02/05/000_a.txt"),
            DayFromPath::Found(Day::parse_iso("2026-02-05").unwrap())
        );
        assert_eq!(
            d("x/2026-02-05/y/a.txt"),
            DayFromPath::Found(Day::parse_iso("2026-02-05").unwrap())
        );
        assert_eq!(d("2026-02-30/a.txt"), DayFromPath::Impossible);
        assert_eq!(d("2026/13/01/a.txt"), DayFromPath::Impossible);
        assert_eq!(d("misc/a.txt"), DayFromPath::None);
    }

    #[test]
    fn day_from_name_prefix() {
        assert_eq!(
            day_from_file_name("2026-02-05-story.txt"),
            DayFromPath::Found(Day::parse_iso("2026-02-05").unwrap())
        );
        assert_eq!(
            day_from_file_name("2026-02-31.txt"),
            DayFromPath::Impossible
        );
        assert_eq!(day_from_file_name("story.txt"), DayFromPath::None);
    }

    #[test]
    fn junk_names() {
        for j in [
            ".DS_Store",
            "a.txt~",
            ".a.txt.swp",
            "Thumbs.db",
            ".#a.txt",
            "#a.txt#",
            ".hidden",
        ] {
            assert!(junk_rule(j).is_some(), "{j}");
        }
        assert!(junk_rule("000_abc.txt").is_none());
    }

    #[test]
    fn kinds() {
        assert_eq!(content_kind("a.txt"), Some(ContentKind::Dump));
        assert_eq!(content_kind("README"), Some(ContentKind::Dump));
        assert_eq!(content_kind("a.md"), Some(ContentKind::Markdown));
        assert_eq!(content_kind("a.png"), None);
    }
}
