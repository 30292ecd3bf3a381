//! Hugo content for the side-by-side benchmark: the same generated articles newsdigest reads
//! as dumps, written as Markdown pages with YAML front matter, so Hugo and newsdigest build
//! the same stories (`newsdigest generate --hugo DIR`; the Hugo site's config and layouts are
//! in `bench/hugo-site/`).
//!
//! A dump has no title and no metadata: newsdigest recovers them. Hugo cannot, so each page
//! carries what a perfect reader of the dump knows: `title` (the true headline), `date` and
//! `days` (the day, a taxonomy so Hugo has day pages), `weight` (rank + 1, as Hugo sorts
//! weight 0 last), `tags` (the recurring names the article mentions, so Hugo's tag pages stand
//! in for newsdigest's topics), `summary` (the clean lead sentence) and `headlines` (the dump's
//! listed headlines). The body is the dump's true paragraphs (the dateline stays in the first,
//! as on the site; bylines, photo credits and boilerplate are left out), escaped so that
//! Markdown shows them as plain text, as newsdigest does.

use super::{Corpus, GenArticle, GenerateError, calendar};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// The front matter of one page, in the order it is written.
#[derive(Debug, Serialize)]
struct FrontMatter<'a> {
    title: &'a str,
    date: String,
    weight: u32,
    days: [String; 1],
    tags: &'a [&'static str],
    summary: &'a str,
    headlines: Vec<&'a str>,
}

/// Where the pages go in the Hugo site `site`.
pub fn pages_dir(site: &Path) -> PathBuf {
    site.join("content").join("articles")
}

/// `content/articles/YYYY-MM-DD-HEXID.md`, relative to the Hugo site's root.
pub fn rel_path(a: &GenArticle) -> PathBuf {
    Path::new("content")
        .join("articles")
        .join(format!("{}-{}.md", calendar::iso(a.day), a.id))
}

impl Corpus {
    /// Article `i` as a Hugo page: YAML front matter between `---` lines, then the paragraphs
    /// as Markdown paragraphs.
    pub fn hugo_page(&self, i: usize) -> String {
        let a = &self.articles[i];
        let fm = FrontMatter {
            title: &a.headline,
            date: calendar::iso(a.day),
            weight: a.rank + 1,
            days: [calendar::iso(a.day)],
            tags: &a.names,
            summary: &a.lead,
            headlines: a
                .related
                .iter()
                .map(|&r| self.articles[r].headline.as_str())
                .collect(),
        };
        // Serialising plain strings and numbers cannot fail; an empty front matter would
        // still be a valid page.
        let yaml = serde_yaml::to_string(&fm).unwrap_or_default();
        let mut s = String::with_capacity(yaml.len() + 4096);
        s.push_str("---\n");
        s.push_str(&yaml);
        s.push_str("---\n");
        for p in &a.paragraphs {
            s.push('\n');
            push_plain(&mut s, p);
            s.push('\n');
        }
        s
    }

    /// Writes every article as a Hugo page below `site/content/articles/` (created if
    /// missing). Like [`Corpus::write_dumps`], refuses a folder that already holds pages.
    /// Returns the number of pages written.
    pub fn write_hugo(&self, site: &Path) -> Result<usize, GenerateError> {
        let dir = pages_dir(site);
        super::refuse_non_empty(&dir)?;
        std::fs::create_dir_all(&dir).map_err(|source| GenerateError::Io {
            path: dir.clone(),
            op: "create folder",
            source,
        })?;
        for (i, a) in self.articles.iter().enumerate() {
            let p = site.join(rel_path(a));
            std::fs::write(&p, self.hugo_page(i)).map_err(|source| GenerateError::Io {
                path: p.clone(),
                op: "write",
                source,
            })?;
        }
        Ok(self.articles.len())
    }
}

/// Appends `text` escaped so that CommonMark renders it as the same plain text: every ASCII
/// punctuation character that can start or end markup is backslash-escaped (CommonMark allows
/// a backslash before any ASCII punctuation), and so is what would open a list: a leading `-`
/// or `+`, or the `.` or `)` after a leading run of digits.
fn push_plain(out: &mut String, text: &str) {
    let digits = text.len() - text.trim_start_matches(|d: char| d.is_ascii_digit()).len();
    for (k, c) in text.char_indices() {
        let opens_list = (k == 0 && matches!(c, '-' | '+'))
            || (digits > 0 && k == digits && matches!(c, '.' | ')'));
        let markup = matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '!' | '&' | '|' | '~'
        );
        if opens_list || markup {
            out.push('\\');
        }
        out.push(c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{HEADLINES_PER_DUMP, Spec, generate};
    use chrono::NaiveDate;
    use serde::Deserialize;

    /// What a reader of the front matter sees; unknown keys are an error, so nothing extra
    /// slips in unnoticed.
    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Parsed {
        title: String,
        date: String,
        weight: u32,
        days: Vec<String>,
        tags: Vec<String>,
        summary: String,
        headlines: Vec<String>,
    }

    fn corpus(count: usize) -> Corpus {
        generate(&Spec {
            seed: 11,
            days: 4,
            start: NaiveDate::from_ymd_opt(2026, 2, 27).unwrap(),
            ..Spec::new(count)
        })
    }

    /// Splits a page into its front matter and body.
    fn split(page: &str) -> (&str, &str) {
        let rest = page.strip_prefix("---\n").expect("opens with ---");
        let end = rest.find("\n---\n").expect("front matter closes");
        (&rest[..end + 1], &rest[end + 5..])
    }

    #[test]
    fn front_matter_parses_and_says_what_the_dump_says() {
        let c = corpus(160);
        for (i, a) in c.articles.iter().enumerate() {
            let page = c.hugo_page(i);
            let (yaml, body) = split(&page);
            let fm: Parsed = serde_yaml::from_str(yaml).unwrap_or_else(|e| panic!("{e}\n{yaml}"));
            assert_eq!(fm.title, a.headline);
            assert_eq!(fm.date, calendar::iso(a.day));
            assert_eq!(fm.days, vec![calendar::iso(a.day)]);
            assert_eq!(fm.weight, a.rank + 1);
            assert_eq!(fm.summary, a.lead);
            let dateline = a.dateline.as_deref().unwrap_or("");
            assert!(a.paragraphs[0].starts_with(&format!("{dateline}{}", fm.summary)));
            assert_eq!(fm.headlines.len(), a.related.len());
            assert!(fm.headlines.len() <= HEADLINES_PER_DUMP);
            // The clean body: none of the dump's bylines, credits or boilerplate.
            for e in &a.extras {
                assert!(!body.contains(&e.text), "{:?} in the page", e.text);
            }
            for (h, &r) in fm.headlines.iter().zip(&a.related) {
                assert_eq!(h, &c.articles[r].headline);
            }
            assert!(
                !fm.tags.is_empty(),
                "every story names someone or somewhere"
            );
            for t in &fm.tags {
                assert!(page.contains(t.as_str()), "tag {t} is mentioned");
            }
            // One Markdown paragraph per dump paragraph, same words.
            let paras: Vec<&str> = body.split("\n\n").map(str::trim).collect();
            assert_eq!(paras.len(), a.paragraphs.len());
            for (md, p) in paras.iter().zip(&a.paragraphs) {
                assert_eq!(md.replace('\\', ""), p.replace('\\', ""));
            }
        }
    }

    #[test]
    fn tags_recur_so_tag_pages_form() {
        let c = corpus(200);
        let mut counts = std::collections::HashMap::<&str, usize>::new();
        for a in &c.articles {
            for t in &a.names {
                *counts.entry(t).or_default() += 1;
            }
        }
        let recurring = counts.values().filter(|&&n| n >= 3).count();
        assert!(recurring >= 20, "{counts:?}");
        assert!(counts["Port Aldwick"] >= 10, "{counts:?}");
    }

    #[test]
    fn markdown_specials_stay_plain_text() {
        let mut s = String::new();
        push_plain(
            &mut s,
            "1. *Not* a list <b> #tag [x](y) a_b `c` \\ & ok 3.5% - fine",
        );
        assert_eq!(
            s,
            "1\\. \\*Not\\* a list \\<b\\> \\#tag \\[x\\](y) a\\_b \\`c\\` \\\\ \\& ok 3.5% - fine"
        );
        let mut s = String::new();
        push_plain(&mut s, "- dash");
        assert_eq!(s, "\\- dash");
        let mut s = String::new();
        push_plain(&mut s, "240 councillors met.");
        assert_eq!(s, "240 councillors met.");
    }

    #[test]
    fn writes_every_article_once_into_a_new_folder_only() {
        let dir = tempfile::tempdir().unwrap();
        let c = corpus(45);
        assert_eq!(c.write_hugo(dir.path()).unwrap(), 45);
        let pages: Vec<_> = std::fs::read_dir(dir.path().join("content/articles"))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(pages.len(), 45);
        for (i, a) in c.articles.iter().enumerate() {
            let text = std::fs::read_to_string(dir.path().join(rel_path(a))).unwrap();
            assert_eq!(text, c.hugo_page(i));
        }
        assert!(matches!(
            c.write_hugo(dir.path()),
            Err(GenerateError::NotEmpty(_))
        ));
    }
}
