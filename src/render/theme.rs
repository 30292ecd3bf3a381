//! Loading a theme: the default theme compiled into the binary, overlaid by
//! `themes/<name>/` on disk, overlaid by the site's own `templates/`. A theme's `static/`
//! is published under `/static/`; the site's own `static/` is published at the output root,
//! as in Zola and Hugo, so `favicon.ico`, `CNAME`, `robots.txt` or a verification file can
//! be shipped (its `static/static/…` still overrides a theme asset).

use include_dir::{Dir, include_dir};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// Templates and static files, after overrides. Keys are names relative to `templates/` and
/// `static/`, with `/` separators.
#[derive(Debug, Clone, Default)]
pub struct ThemeFiles {
    pub templates: BTreeMap<String, String>,
    pub statics: BTreeMap<String, Vec<u8>>,
    /// The site's `static/` folder, published at the output root.
    pub root_files: BTreeMap<String, Vec<u8>>,
    /// Where each template came from (`templates/404.html`, `themes/night/templates/…`, or
    /// the built-in default theme), so an error can name the file to fix.
    pub origins: BTreeMap<String, String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ThemeError {
    #[error("theme {name:?} not found: no folder {path}")]
    NotFound { name: String, path: PathBuf },
    #[error("{path}: cannot read theme file: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: template is not valid UTF-8")]
    NotUtf8 { path: PathBuf },
}

/// Loads theme `name` for the site at `root`.
pub fn load(root: &Path, name: &str) -> Result<ThemeFiles, ThemeError> {
    let mut files = ThemeFiles::default();
    add_embedded(&DEFAULT_THEME, &mut files);
    let theme_dir = root.join("themes").join(name);
    if theme_dir.is_dir() {
        overlay(root, &theme_dir.join("templates"), &mut files)?;
        files.statics.extend(read_all(&theme_dir.join("static"))?);
    } else if name != "default" {
        return Err(ThemeError::NotFound {
            name: name.into(),
            path: theme_dir,
        });
    }
    overlay(root, &root.join("templates"), &mut files)?;
    files.root_files = read_all(&root.join("static"))?;
    Ok(files)
}

fn add_embedded(dir: &Dir<'static>, files: &mut ThemeFiles) {
    for entry in dir.entries() {
        if let Some(sub) = entry.as_dir() {
            add_embedded(sub, files);
        } else if let Some(f) = entry.as_file() {
            let path = f.path();
            if let Ok(rest) = path.strip_prefix("templates") {
                if let Some(text) = f.contents_utf8() {
                    files.templates.insert(slash(rest), text.to_string());
                    files.origins.insert(
                        slash(rest),
                        format!("built-in default theme, templates/{}", slash(rest)),
                    );
                }
            } else if let Ok(rest) = path.strip_prefix("static") {
                files.statics.insert(slash(rest), f.contents().to_vec());
            }
        }
    }
}

fn overlay(root: &Path, templates: &Path, files: &mut ThemeFiles) -> Result<(), ThemeError> {
    for (rel, path) in list(templates)? {
        if !rel.ends_with(".html") {
            continue;
        }
        let bytes = std::fs::read(&path).map_err(|source| ThemeError::Read {
            path: path.clone(),
            source,
        })?;
        let text =
            String::from_utf8(bytes).map_err(|_| ThemeError::NotUtf8 { path: path.clone() })?;
        let shown = path.strip_prefix(root).unwrap_or(&path);
        files.origins.insert(rel.clone(), slash(shown));
        files.templates.insert(rel, text);
    }
    Ok(())
}

/// Every file below `dir` (if it exists) with its bytes, by path relative to `dir`.
fn read_all(dir: &Path) -> Result<BTreeMap<String, Vec<u8>>, ThemeError> {
    let mut out = BTreeMap::new();
    for (rel, path) in list(dir)? {
        let bytes = std::fs::read(&path).map_err(|source| ThemeError::Read {
            path: path.clone(),
            source,
        })?;
        out.insert(rel, bytes);
    }
    Ok(out)
}

/// Files below `dir` (if it exists), hidden files and junk left out, sorted.
fn list(dir: &Path) -> Result<Vec<(String, PathBuf)>, ThemeError> {
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name().max_depth(8) {
        let entry = entry.map_err(|e| ThemeError::Read {
            path: e.path().unwrap_or(dir).to_path_buf(),
            source: std::io::Error::other(e.to_string()),
        })?;
        let name = entry.file_name().to_string_lossy();
        if !entry.file_type().is_file() || crate::ingest::name::junk_rule(&name).is_some() {
            continue;
        }
        let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        out.push((slash(rel), entry.path().to_path_buf()));
    }
    Ok(out)
}

fn slash(p: &Path) -> String {
    crate::ingest::slash_path(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_theme_is_embedded() {
        let dir = tempfile::tempdir().unwrap();
        let t = load(dir.path(), "default").unwrap();
        for name in [
            "base.html",
            "index.html",
            "day.html",
            "article.html",
            "archive.html",
            "headlines.html",
            "404.html",
        ] {
            assert!(t.templates.contains_key(name), "{name}");
        }
        assert!(t.statics.contains_key("style.css"));
    }

    #[test]
    fn site_templates_override_one_by_one() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("templates")).unwrap();
        std::fs::write(dir.path().join("templates/404.html"), "custom").unwrap();
        let t = load(dir.path(), "default").unwrap();
        assert_eq!(t.templates["404.html"], "custom");
        assert_eq!(t.origins["404.html"], "templates/404.html");
        assert!(t.origins["index.html"].contains("built-in"));
        assert!(t.templates["index.html"].contains("extends"));
    }

    #[test]
    fn site_static_is_for_the_root_and_theme_static_for_static() {
        let dir = tempfile::tempdir().unwrap();
        let theme = dir.path().join("themes/night/static");
        std::fs::create_dir_all(&theme).unwrap();
        std::fs::write(theme.join("style.css"), "night").unwrap();
        std::fs::create_dir_all(dir.path().join("static/static")).unwrap();
        std::fs::write(dir.path().join("static/CNAME"), "news.example.org").unwrap();
        std::fs::write(dir.path().join("static/static/search.js"), "mine").unwrap();
        let t = load(dir.path(), "night").unwrap();
        assert_eq!(t.statics["style.css"], b"night");
        assert!(t.statics.contains_key("favicon.svg"));
        assert!(!t.statics.contains_key("CNAME"));
        assert_eq!(t.root_files["CNAME"], b"news.example.org");
        assert_eq!(t.root_files["static/search.js"], b"mine");
    }

    #[test]
    fn missing_theme_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            load(dir.path(), "nope"),
            Err(ThemeError::NotFound { .. })
        ));
    }
}
