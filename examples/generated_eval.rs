//! How newsdigest reads a generated corpus, measured against the generator's ground truth, per
//! site: the figures issue 12 sets targets for on real news, on a corpus anyone can make.
//!
//! ```text
//! cargo run --release --example generated_eval -- [--count 1000] [--days 25] [--seed 1] [--style classic]
//! ```
//!
//! Generates the corpus into a temporary folder, reads it as `newsdigest build` does (the
//! digest stage, no rendering), and prints for each site, then for all:
//!
//! - `list out`: the share of articles whose body shows none of their dump's list lines;
//! - `boiler out`: the share whose body shows none of their boilerplate or label lines;
//! - `title ok`: the share whose title is their true title;
//! - `from lists`: titles taken from headline lists, and how many of those are right;
//! - `junk`: titles that open with the dump's dateline or byline, or have under 3 words;
//! - `merged`: articles merged into another (every generated article is distinct, so each one
//!   is a false merge).
//!
//! An example rather than a test: the figures describe detection quality, which another part
//! of the project sets targets for; this prints them, it does not judge them.

use newsdigest::ingest::{Body, TitleSource};
use newsdigest::{BuildOptions, Config, Overrides};
use newsdigest_corpus::{self as corpus, Corpus, LineKind, Spec, Style};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::process::ExitCode;

#[derive(Default)]
struct Tally {
    n: usize,
    list_out: usize,
    boiler_out: usize,
    title_ok: usize,
    from_lists: usize,
    from_lists_ok: usize,
    junk: usize,
    merged: usize,
}

impl Tally {
    fn add(&mut self, o: &Tally) {
        self.n += o.n;
        self.list_out += o.list_out;
        self.boiler_out += o.boiler_out;
        self.title_ok += o.title_ok;
        self.from_lists += o.from_lists;
        self.from_lists_ok += o.from_lists_ok;
        self.junk += o.junk;
        self.merged += o.merged;
    }

    fn row(&self, name: &str) -> String {
        let pct = |x: usize| 100.0 * x as f64 / self.n.max(1) as f64;
        format!(
            "{name:<16} {:>6} {:>8.1}% {:>9.1}% {:>8.1}% {:>6} ({:>5} ok) {:>6} {:>7}",
            self.n,
            pct(self.list_out),
            pct(self.boiler_out),
            pct(self.title_ok),
            self.from_lists,
            self.from_lists_ok,
            self.junk,
            self.merged
        )
    }
}

fn parse_args() -> Result<Spec, String> {
    let mut spec = Spec::new(1000);
    let mut days = None;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args.next().ok_or(format!("{flag} needs a value"))?;
        let number = || value.parse::<u64>().map_err(|e| format!("{flag}: {e}"));
        match flag.as_str() {
            "--count" => spec.count = number()? as usize,
            "--days" => days = Some(number()? as usize),
            "--seed" => spec.seed = number()?,
            "--style" => spec.style = value.parse::<Style>()?,
            _ => return Err(format!("unknown argument {flag}")),
        }
    }
    spec.days = days.unwrap_or(spec.count.div_ceil(40)).max(1);
    Ok(spec)
}

/// The tally of one generated article `i` read as `entry` (`None`: merged into another).
fn score(c: &Corpus, i: usize, entry: Option<&newsdigest::digest::Entry>) -> Tally {
    let a = &c.articles[i];
    let mut t = Tally {
        n: 1,
        ..Tally::default()
    };
    let Some(e) = entry else {
        t.merged = 1;
        return t;
    };
    let paras = match &e.body {
        Body::Plain(packed) => packed.unpack(),
        Body::Markdown { .. } => Vec::new(),
    };
    let shown: HashSet<&str> = paras.iter().map(|p| p.trim()).collect();
    let lines = c.lines(i);
    let none_shown = |kinds: &[LineKind]| {
        !lines
            .iter()
            .any(|(k, l)| kinds.contains(k) && shown.contains(l.trim()))
    };
    t.list_out = none_shown(&[LineKind::Headline]) as usize;
    t.boiler_out = none_shown(&[LineKind::Boilerplate, LineKind::Label]) as usize;
    t.title_ok = (e.title == a.headline) as usize;
    t.from_lists = (e.title_source == TitleSource::HeadlineList) as usize;
    t.from_lists_ok = t.from_lists * t.title_ok;
    let opens = |prefix: &str| {
        let p: String = prefix.trim().chars().take(12).collect();
        !p.is_empty() && e.title.starts_with(&p)
    };
    let byline = a
        .extras
        .iter()
        .any(|x| x.kind == LineKind::Byline && opens(&x.text));
    t.junk = (a.dateline.as_deref().is_some_and(opens)
        || byline
        || e.title.split_whitespace().count() < 3) as usize;
    t
}

fn main() -> ExitCode {
    let spec = match parse_args() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let corpus = corpus::generate(&spec);
    let run = || -> Result<newsdigest::digest::Digest, String> {
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        corpus
            .write_dumps(&dir.path().join("content"))
            .map_err(|e| e.to_string())?;
        let cfg = Config::load(dir.path(), &Overrides::default()).map_err(|e| e.to_string())?;
        let mut cache = newsdigest::cache::Cache::disabled();
        let (digest, _) = newsdigest::build::load(&cfg, &BuildOptions::default(), &mut cache)
            .map_err(|e| e.to_string())?;
        Ok(digest)
    };
    let digest = match run() {
        Ok(d) => d,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let by_path: HashMap<String, &newsdigest::digest::Entry> = digest
        .articles
        .iter()
        .map(|e| (e.rel.to_string_lossy().replace('\\', "/"), e))
        .collect();
    let mut per_site: BTreeMap<&str, Tally> = BTreeMap::new();
    for (i, a) in corpus.articles.iter().enumerate() {
        let t = score(&corpus, i, by_path.get(&a.path(corpus.layout)).copied());
        per_site.entry(a.site.slug).or_default().add(&t);
    }
    println!(
        "{} dumps, {:?} style, seed {}, {} days",
        spec.count, spec.style, spec.seed, spec.days
    );
    println!(
        "{:<16} {:>6} {:>9} {:>10} {:>9} {:>17} {:>6} {:>7}",
        "site", "dumps", "list out", "boiler out", "title ok", "from lists", "junk", "merged"
    );
    let mut all = Tally::default();
    for (site, t) in &per_site {
        println!("{}", t.row(site));
        all.add(t);
    }
    println!("{}", all.row("all"));
    ExitCode::SUCCESS
}
