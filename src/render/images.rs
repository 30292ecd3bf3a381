//! Images of articles and of the site: what URL each has, and which local files a build must
//! copy for them. Pure: the build reads and writes the files ([`copies`] says which), and
//! `check` proves that every image a page names exists.
//!
//! An article's front matter `image` falls back to the site's `image`; remote images are
//! linked as they are, `/x.png` names a file of the site's `static/` (published at the root),
//! and any other path is relative to the article's file (or, in `site.yaml`, to the site
//! root) and is copied beside the article's page (or to the same path in the output).

use crate::config::Config;
use crate::digest::{Digest, Entry};
use crate::model::ImageRef;
use crate::plan::Paths;
use serde::Serialize;
use std::path::PathBuf;

/// An image as templates see it (`article.image`, `site.logo`, `page.image`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImageCtx {
    /// For `src`: root-relative for the site's own files, else the remote URL.
    pub url: String,
    /// Absolute, for `og:image` and JSON-LD.
    pub absolute: String,
    /// The text alternative (empty when the front matter gives none).
    pub alt: String,
}

/// Where a site's own image is published: `(site path)`, or the remote URL.
enum Place {
    Site(String),
    Remote(String),
}

fn ctx(cfg: &Config, place: Place, alt: String) -> ImageCtx {
    match place {
        Place::Site(p) => ImageCtx {
            url: cfg.base_url.url(&p),
            absolute: cfg.base_url.permalink(&p),
            alt,
        },
        Place::Remote(u) => ImageCtx {
            url: u.clone(),
            absolute: u,
            alt,
        },
    }
}

/// Where an image of `site.yaml` (`logo`, `image`) is published.
fn site_place(raw: &str) -> Option<Place> {
    Some(match ImageRef::parse(raw).ok()? {
        ImageRef::Remote(u) => Place::Remote(u),
        ImageRef::Published(p) | ImageRef::Relative(p) => Place::Site(p),
    })
}

/// Where an article's own image is published; `page` is the article's page.
fn article_place(e: &Entry, page: &str) -> Option<Place> {
    Some(match ImageRef::parse(e.meta.image.as_deref()?).ok()? {
        ImageRef::Remote(u) => Place::Remote(u),
        ImageRef::Published(p) => Place::Site(p),
        ImageRef::Relative(p) => Place::Site(format!("{page}{p}")),
    })
}

/// The site's logo (`logo` in `site.yaml`).
pub fn site_logo(cfg: &Config) -> Option<ImageCtx> {
    let place = site_place(cfg.logo.as_deref()?)?;
    Some(ctx(cfg, place, cfg.title.clone()))
}

/// The image of pages that have none of their own (`image` in `site.yaml`).
pub fn site_image(cfg: &Config) -> Option<ImageCtx> {
    let place = site_place(cfg.image.as_deref()?)?;
    Some(ctx(cfg, place, String::new()))
}

/// An article's own image, if its front matter names one; `page` is the article's page.
pub fn article_image(cfg: &Config, e: &Entry, page: &str) -> Option<ImageCtx> {
    let place = article_place(e, page)?;
    let alt = e.meta.image_alt.clone().unwrap_or_default();
    Some(ctx(cfg, place, alt.trim().to_string()))
}

/// A local image file to copy into the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copy {
    /// The file to read.
    pub from: PathBuf,
    /// Where it goes, relative to the output root.
    pub to: String,
    /// The file that named it (`content/…` or `site.yaml`), for a diagnostic when it is missing.
    pub named_in: PathBuf,
}

/// Every local image the site's pages name that the build must copy (remote images and files
/// of `static/` need none), each once.
pub fn copies(cfg: &Config, d: &Digest, paths: &Paths) -> Vec<Copy> {
    let mut out: Vec<Copy> = Vec::new();
    for raw in [cfg.logo.as_deref(), cfg.image.as_deref()]
        .into_iter()
        .flatten()
    {
        if let Ok(ImageRef::Relative(p)) = ImageRef::parse(raw) {
            out.push(Copy {
                from: cfg.root.join(&p),
                to: p,
                named_in: crate::config::CONFIG_FILE.into(),
            });
        }
    }
    for (i, e) in d.articles.iter().enumerate() {
        if let Some(Ok(ImageRef::Relative(p))) = e.meta.image.as_deref().map(ImageRef::parse) {
            let dir = e.rel.parent().unwrap_or(std::path::Path::new(""));
            out.push(Copy {
                from: cfg.content_dir.join(dir).join(&p),
                to: format!("{}{p}", paths.article(i)),
                named_in: e.rel.clone(),
            });
        }
    }
    out.sort_by(|a, b| a.to.cmp(&b.to));
    out.dedup_by(|a, b| a.to == b.to);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Overrides, SiteFile};
    use crate::digest::{Options, assemble};
    use crate::ingest::{Article, Body, Meta, TitleSource};
    use crate::model::{ArticleId, Day};
    use std::path::Path;

    fn site(logo: &str, image: &str) -> Config {
        let f = SiteFile {
            base_url: "https://example.org/news/".into(),
            logo: logo.into(),
            image: image.into(),
            ..SiteFile::default()
        };
        Config::resolve(Path::new("/site"), f, &Overrides::default()).unwrap()
    }

    fn digest(image: Option<&str>) -> Digest {
        let a = Article {
            id: ArticleId::new("ab"),
            rel: "2026-02-05/000_ab.md".into(),
            day: Day::parse_iso("2026-02-05").unwrap(),
            rank: Some(0),
            title: Some(("Bridge Reopens".into(), TitleSource::Given)),
            body: Body::plain(&["x"]),
            headlines: vec![],
            list_label: None,
            meta: Meta {
                image: image.map(str::to_string),
                image_alt: Some(" The bridge ".into()),
                ..Meta::default()
            },
            draft: false,
        };
        assemble(vec![a], vec![], Options::default())
    }

    fn paths(d: &Digest) -> Paths {
        crate::plan::plan(d, &Default::default()).paths
    }

    #[test]
    fn local_images_are_copied_beside_their_article() {
        let cfg = site("assets/logo.png", "https://cdn.example.org/default.jpg");
        let d = digest(Some("photos/bridge.jpg"));
        let paths = paths(&d);
        let img = article_image(&cfg, &d.articles[0], paths.article(0)).unwrap();
        assert_eq!(img.url, "/news/2026/02/05/bridge-reopens/photos/bridge.jpg");
        assert_eq!(
            img.absolute,
            "https://example.org/news/2026/02/05/bridge-reopens/photos/bridge.jpg"
        );
        assert_eq!(img.alt, "The bridge");
        let logo = site_logo(&cfg).unwrap();
        assert_eq!(logo.absolute, "https://example.org/news/assets/logo.png");
        assert_eq!(
            site_image(&cfg).unwrap().url,
            "https://cdn.example.org/default.jpg"
        );
        assert_eq!(
            copies(&cfg, &d, &paths),
            [
                Copy {
                    from: "/site/content/2026-02-05/photos/bridge.jpg".into(),
                    to: "2026/02/05/bridge-reopens/photos/bridge.jpg".into(),
                    named_in: "2026-02-05/000_ab.md".into(),
                },
                Copy {
                    from: "/site/assets/logo.png".into(),
                    to: "assets/logo.png".into(),
                    named_in: "site.yaml".into(),
                },
            ]
        );
    }

    #[test]
    fn remote_and_static_images_are_not_copied() {
        let cfg = site("/logo.svg", "");
        let d = digest(Some("https://cdn.example.org/bridge.jpg"));
        let paths = paths(&d);
        assert_eq!(
            article_image(&cfg, &d.articles[0], paths.article(0))
                .unwrap()
                .url,
            "https://cdn.example.org/bridge.jpg"
        );
        assert_eq!(site_logo(&cfg).unwrap().url, "/news/logo.svg");
        assert_eq!(site_image(&cfg), None);
        assert!(copies(&cfg, &d, &paths).is_empty());
        assert_eq!(
            article_image(&cfg, &digest(None).articles[0], paths.article(0)),
            None
        );
    }
}
