//! Where a link in a built site points: a file of the site (and an anchor in it), an external
//! URL, or somewhere no deploy can serve, such as a root-relative path outside the base path.
//! Pure functions on strings; the file set is passed in.

use crate::config::BaseUrl;
use std::collections::HashSet;

/// What a link resolves to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A path of the site, relative to the output root, percent-decoded, with no leading `/`
    /// (`2026/02/05/slug/`, `static/style.css`, `` for the front page), and the decoded
    /// fragment if any.
    Internal {
        path: String,
        fragment: Option<String>,
    },
    /// An absolute `http(s)` URL elsewhere.
    External(String),
    /// A link that cannot work once deployed: the reason.
    Outside(String),
    /// Not a link to check (`mailto:`, `tel:`, `javascript:`, `data:` …).
    Skip,
}

/// The URL path a file is served at: `2026/02/05/x/index.html` → `/digest/2026/02/05/x/`.
pub fn page_url_path(file: &str, base: &BaseUrl) -> String {
    let clean = match file.strip_suffix("index.html") {
        Some(dir) if dir.is_empty() || dir.ends_with('/') => dir,
        _ => file,
    };
    format!("{}{}", base.path(), clean)
}

/// Resolves `link`, found on the page served at `page_path` (a URL path such as
/// `/digest/2026/02/05/`), against the site at `base`.
pub fn classify(link: &str, page_path: &str, base: &BaseUrl) -> Target {
    // HTML strips leading and trailing ASCII white space from URLs.
    let link = link.trim_matches(|c: char| c.is_ascii_whitespace());
    let (scheme, rest) = match split_scheme(link) {
        Some((s, r)) => (Some(s.to_ascii_lowercase()), r),
        None => (None, link),
    };
    let absolute_path = match scheme.as_deref() {
        Some("http" | "https") => {
            let url = link.to_string();
            let Some(own) = strip_base(link, base) else {
                return Target::External(url);
            };
            own
        }
        Some(_) => return Target::Skip,
        None if rest.starts_with("//") => {
            let scheme = base.absolute().split(':').next().unwrap_or("https");
            return classify(&format!("{scheme}:{rest}"), page_path, base);
        }
        None if rest.starts_with('/') => rest.to_string(),
        None => {
            // Relative: against the page's folder ("", "?q" and "#f" keep the page itself).
            let dir = if rest.is_empty() || rest.starts_with(['?', '#']) {
                page_path.to_string()
            } else {
                match page_path.rfind('/') {
                    Some(i) => page_path[..=i].to_string(),
                    None => "/".into(),
                }
            };
            format!("{dir}{rest}")
        }
    };
    let (path_query, fragment) = match absolute_path.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (absolute_path.as_str(), None),
    };
    let path = path_query.split('?').next().unwrap_or("");
    let path = remove_dot_segments(path);
    let Some(rel) = path.strip_prefix(base.path()).or_else(|| {
        // The base path without its slash is the front page too: `/digest`.
        (path == base.path().trim_end_matches('/')).then_some("")
    }) else {
        return Target::Outside(format!(
            "{link} is outside the site's base path {}",
            base.path()
        ));
    };
    Target::Internal {
        path: percent_decode(rel),
        fragment: fragment.filter(|f| !f.is_empty()).map(percent_decode),
    }
}

/// `("https", "//host/x")` for `https://host/x`; `None` when there is no scheme.
fn split_scheme(link: &str) -> Option<(&str, &str)> {
    let colon = link.find(':')?;
    let scheme = &link[..colon];
    let valid = scheme.chars().next()?.is_ascii_alphabetic()
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then(|| (scheme, &link[colon + 1..]))
}

/// The path (with query and fragment) of an absolute URL on the site's own origin and below its
/// base path; `None` for any other URL.
fn strip_base(url: &str, base: &BaseUrl) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let (bscheme, brest) = base.absolute().split_once("://")?;
    if !scheme.eq_ignore_ascii_case(bscheme) {
        return None;
    }
    let split = |s: &str| -> (String, String) {
        let end = s.find(['/', '?', '#']).unwrap_or(s.len());
        (s[..end].to_ascii_lowercase(), s[end..].to_string())
    };
    let (host, path) = split(rest);
    let (bhost, _) = split(brest);
    if host != bhost {
        return None;
    }
    let path = if path.is_empty() || path.starts_with(['?', '#']) {
        format!("/{path}")
    } else {
        path
    };
    let own = path.starts_with(base.path())
        || path.split(['?', '#']).next() == Some(base.path().trim_end_matches('/'));
    own.then_some(path)
}

/// RFC 3986 section 5.2.4, on an absolute path.
fn remove_dot_segments(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    let last = segments.len().saturating_sub(1);
    for (i, seg) in segments.iter().enumerate() {
        match *seg {
            "." => {
                if i == last {
                    out.push("");
                }
            }
            ".." => {
                out.pop();
                if i == last {
                    out.push("");
                }
            }
            s => out.push(s),
        }
    }
    format!("/{}", out.join("/"))
}

/// `%XX` escapes decoded as UTF-8 (lossily); anything else kept.
pub fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && let (Some(h), Some(l)) = (
                b.get(i + 1).and_then(|&c| hex(c)),
                b.get(i + 2).and_then(|&c| hex(c)),
            )
        {
            out.push(h * 16 + l);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(c: u8) -> Option<u8> {
    (c as char).to_digit(16).map(|d| d as u8)
}

/// The file a site path is served from: `x/` → `x/index.html`; `x` → `x`, or `x/index.html`
/// when `x` is a folder (servers redirect `x` to `x/`).
pub fn file_for(path: &str, files: &HashSet<String>) -> Option<String> {
    if path.is_empty() || path.ends_with('/') {
        let f = format!("{path}index.html");
        return files.contains(&f).then_some(f);
    }
    if files.contains(path) {
        return Some(path.to_string());
    }
    let f = format!("{path}/index.html");
    files.contains(&f).then_some(f)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> BaseUrl {
        BaseUrl::parse("https://example.org/digest/").unwrap()
    }

    fn internal(path: &str, fragment: Option<&str>) -> Target {
        Target::Internal {
            path: path.into(),
            fragment: fragment.map(String::from),
        }
    }

    #[test]
    fn page_paths() {
        let b = base();
        assert_eq!(page_url_path("index.html", &b), "/digest/");
        assert_eq!(
            page_url_path("2026/02/05/x/index.html", &b),
            "/digest/2026/02/05/x/"
        );
        assert_eq!(page_url_path("404.html", &b), "/digest/404.html");
        assert_eq!(
            page_url_path("a/notindex.html", &b),
            "/digest/a/notindex.html"
        );
    }

    #[test]
    fn resolves_every_kind_of_link() {
        let b = base();
        let page = "/digest/2026/02/05/x/";
        let c = |l: &str| classify(l, page, &b);
        assert_eq!(c("/digest/2026/02/05/"), internal("2026/02/05/", None));
        assert_eq!(c("/digest/"), internal("", None));
        assert_eq!(c("/digest"), internal("", None));
        assert_eq!(c("index.md"), internal("2026/02/05/x/index.md", None));
        assert_eq!(c("../y/#top"), internal("2026/02/05/y/", Some("top")));
        assert_eq!(c("#main"), internal("2026/02/05/x/", Some("main")));
        assert_eq!(c(""), internal("2026/02/05/x/", None));
        assert_eq!(c("?page=2"), internal("2026/02/05/x/", None));
        assert_eq!(
            c("https://EXAMPLE.org/digest/static/style.css?v=1"),
            internal("static/style.css", None)
        );
        assert_eq!(c("//example.org/digest/a"), internal("a", None));
        assert_eq!(
            c("/digest/caf%C3%A9/#x%20y"),
            internal("café/", Some("x y"))
        );
        assert_eq!(
            c("https://other.org/digest/"),
            Target::External("https://other.org/digest/".into())
        );
        assert_eq!(
            c("https://example.org/elsewhere"),
            Target::External("https://example.org/elsewhere".into())
        );
        assert!(matches!(c("/2026/02/05/"), Target::Outside(m) if m.contains("/digest/")));
        assert!(matches!(c("../../../../../etc"), Target::Outside(_)));
        for skip in ["mailto:a@b.c", "tel:123", "javascript:alert(1)", "data:,x"] {
            assert_eq!(c(skip), Target::Skip, "{skip}");
        }
    }

    #[test]
    fn files_for_paths() {
        let files: HashSet<String> = ["index.html", "a/index.html", "feed.xml"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(file_for("", &files).as_deref(), Some("index.html"));
        assert_eq!(file_for("a/", &files).as_deref(), Some("a/index.html"));
        assert_eq!(file_for("a", &files).as_deref(), Some("a/index.html"));
        assert_eq!(file_for("feed.xml", &files).as_deref(), Some("feed.xml"));
        assert_eq!(file_for("b/", &files), None);
    }

    #[test]
    fn dot_segments() {
        assert_eq!(remove_dot_segments("/a/b/../c/./d"), "/a/c/d");
        assert_eq!(remove_dot_segments("/a/b/.."), "/a/");
        assert_eq!(remove_dot_segments("/../../x"), "/x");
    }
}
