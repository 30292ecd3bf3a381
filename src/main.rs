//! The `newsdigest` command line: parses arguments and calls the library.

use clap::{Args, Parser, Subcommand};
use newsdigest::{BuildOptions, Config, Overrides};
use std::path::PathBuf;
use std::process::ExitCode;

/// mimalloc instead of the system allocator: a build allocates millions of small strings
/// from two threads at once, where glibc's malloc spent a sixth of the build's time. Built
/// with `no_thp`: mimalloc asks for transparent huge pages, purges freed memory a second
/// later and faults it back in, and zeroing those 2 MiB pages was a sixth of a rebuild's time.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "newsdigest",
    version,
    about = "A static site generator for news digests"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into the output folder.
    Build(BuildArgs),
    /// Create a new digest project in DIR: site.yaml and a day of sample dumps.
    Init {
        /// The folder to create (must not exist or be empty).
        dir: PathBuf,
    },
    /// Preview the site: build it, serve it on 127.0.0.1, rebuild on change, reload the browser.
    Serve(ServeArgs),
    /// Generate a corpus of N realistic article dumps (for tests and benchmarks).
    Generate(GenerateArgs),
    /// Check the built site: links, anchors, titles, canonical URLs, orphans, feeds, sizes.
    Check(CheckArgs),
}

#[derive(Args)]
struct ServeArgs {
    /// The site root, holding site.yaml, content/ and themes/.
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// The content folder (default: content_dir from site.yaml, else content/).
    #[arg(long)]
    content: Option<PathBuf>,
    /// The theme under themes/ (default: theme from site.yaml, else the built-in default).
    #[arg(long)]
    theme: Option<String>,
    /// The port to listen on; 0 picks a free one.
    #[arg(short, long, default_value_t = 1111)]
    port: u16,
    /// The address to listen on. Anything but loopback exposes the preview to the network.
    #[arg(long, default_value = "127.0.0.1")]
    bind: std::net::IpAddr,
    /// Open the preview in the default browser.
    #[arg(long)]
    open: bool,
    /// Include articles marked `draft: true`.
    #[arg(long)]
    drafts: bool,
    /// How long (milliseconds) the sources must be quiet before a rebuild starts.
    #[arg(long, value_name = "MS", default_value_t = 150)]
    debounce: u64,
    /// How long (milliseconds) a client may take to send a request's headers before its
    /// connection is closed.
    #[arg(long, value_name = "MS", default_value_t = newsdigest::serve::HEADER_TIMEOUT.as_millis() as u64)]
    header_timeout: u64,
    /// Print only the address and errors.
    #[arg(short, long, conflicts_with = "verbose")]
    quiet: bool,
    /// Print every problem and every changed file.
    #[arg(short, long)]
    verbose: bool,
}

#[derive(Args)]
struct CheckArgs {
    /// The site root, holding site.yaml.
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// The built site to check (default: output_dir from site.yaml, else output/).
    #[arg(long)]
    output: Option<PathBuf>,
    /// The base URL the site was built for (default: base_url from site.yaml).
    #[arg(long)]
    base_url: Option<String>,
    /// No file may be larger than this many bytes (default: check.max_file_bytes).
    #[arg(long, value_name = "BYTES")]
    max_file_size: Option<u64>,
    /// Also check external links over the network (politely: one request per host at a time).
    #[arg(long)]
    external: bool,
    /// With --external: check at most this many distinct URLs.
    #[arg(long, default_value_t = 500, requires = "external")]
    external_limit: usize,
    /// With --external: seconds before a request gives up.
    #[arg(long, default_value_t = 10, requires = "external")]
    external_timeout: u64,
    /// Print only the problems, not the summary.
    #[arg(short, long)]
    quiet: bool,
}

#[derive(Args)]
struct GenerateArgs {
    /// Number of articles.
    #[arg(long)]
    count: usize,
    /// The folder to write into (must not exist or be empty).
    #[arg(long)]
    out: PathBuf,
    /// Seed of the random generator: the same seed gives the same files.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Number of days to spread the articles over (default: one per 40 articles).
    #[arg(long)]
    days: Option<usize>,
    /// The first day, YYYY-MM-DD.
    #[arg(long, default_value = "2026-01-05", value_parser = parse_day)]
    start: chrono::NaiveDate,
    /// Also write the same articles as Hugo content under DIR/content/articles/ (for the
    /// side-by-side benchmark in bench/).
    #[arg(long, value_name = "DIR")]
    hugo: Option<PathBuf>,
    /// realistic: several sites, each in its own style (headline case, datelines, bylines,
    /// boilerplate); classic: one site, Title Case, clean ledes (the original output).
    #[arg(long, default_value = "realistic")]
    style: newsdigest_corpus::Style,
    /// Write SITE/YYYY-MM-DD/NNN_HEXID.txt instead of YYYY-MM-DD/NNN_HEXID.txt.
    #[arg(long)]
    site_folders: bool,
    /// Also write the ground truth as JSON to FILE (must not exist; keep it outside --out):
    /// each dump's true title, site, day and the kind of each of its lines.
    #[arg(long, value_name = "FILE")]
    truth: Option<PathBuf>,
}

fn parse_day(s: &str) -> Result<chrono::NaiveDate, String> {
    newsdigest::model::Day::parse_iso(s)
        .map(|d| d.date())
        .ok_or_else(|| format!("{s:?} is not a date YYYY-MM-DD"))
}

#[derive(Args)]
struct BuildArgs {
    /// The site root, holding site.yaml, content/ and themes/.
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// The content folder (default: content_dir from site.yaml, else content/).
    #[arg(long)]
    content: Option<PathBuf>,
    /// The output folder (default: output_dir from site.yaml, else output/).
    #[arg(long)]
    output: Option<PathBuf>,
    /// The theme under themes/ (default: theme from site.yaml, else the built-in default).
    #[arg(long)]
    theme: Option<String>,
    /// The base URL, e.g. https://example.org/digest/ (overrides site.yaml).
    #[arg(long)]
    base_url: Option<String>,
    /// Include articles marked `draft: true`.
    #[arg(long)]
    drafts: bool,
    /// Exit with code 1 when any file had an error.
    #[arg(long)]
    strict: bool,
    /// Do not read or write the build cache (.newsdigest-cache/): parse and render everything.
    #[arg(long)]
    no_cache: bool,
    /// Write a JSON account of every file under content/ to this path.
    #[arg(long, value_name = "FILE")]
    report: Option<PathBuf>,
    /// After the build, print the wall time and item count of each stage.
    #[arg(long)]
    timings: bool,
    /// Print nothing but errors.
    #[arg(short, long, conflicts_with = "verbose")]
    quiet: bool,
    /// Print every problem, not only the first screenful.
    #[arg(short, long)]
    verbose: bool,
    /// If another build of this site is running, fail at once instead of waiting for it.
    #[arg(long)]
    no_wait: bool,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build(args) => build(args),
        Command::Init { dir } => match newsdigest::init::init(&dir) {
            Ok(files) => {
                eprintln!(
                    "Created {} with {} files. Next: cd {} && newsdigest build",
                    dir.display(),
                    files.len(),
                    dir.display()
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::FAILURE
            }
        },
        Command::Serve(args) => serve(args),
        Command::Generate(args) => generate(args),
        Command::Check(args) => check(args),
    }
}

fn serve(args: ServeArgs) -> ExitCode {
    use newsdigest::serve::{ServeOptions, Verbosity};
    let opts = ServeOptions {
        root: args.root,
        overrides: Overrides {
            content_dir: args.content,
            theme: args.theme,
            ..Default::default()
        },
        bind: args.bind,
        port: args.port,
        open: args.open,
        drafts: args.drafts,
        verbosity: match (args.quiet, args.verbose) {
            (true, _) => Verbosity::Quiet,
            (_, true) => Verbosity::Verbose,
            _ => Verbosity::Normal,
        },
        debounce: std::time::Duration::from_millis(args.debounce),
        header_timeout: std::time::Duration::from_millis(args.header_timeout.max(1)),
    };
    match newsdigest::serve::serve(opts) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn check(args: CheckArgs) -> ExitCode {
    use newsdigest::check;
    let overrides = Overrides {
        output_dir: args.output,
        base_url: args.base_url,
        ..Default::default()
    };
    let cfg = match Config::load(&args.root, &overrides) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let opts = check::CheckOptions {
        max_file_bytes: args.max_file_size.unwrap_or(cfg.check.max_file_bytes),
        external: args.external.then(|| check::external::ExternalOptions {
            limit: args.external_limit,
            timeout: std::time::Duration::from_secs(args.external_timeout),
            ..Default::default()
        }),
    };
    match check::check_site(&cfg.output_dir, &cfg.base_url, &opts) {
        Ok(report) => {
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            for p in &report.problems {
                // A closed pipe (`| head`) just ends the listing.
                if writeln!(out, "{p}").is_err() {
                    break;
                }
            }
            if !args.quiet {
                eprint!("{}", report.summary());
            }
            if report.problems.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn generate(args: GenerateArgs) -> ExitCode {
    use newsdigest_corpus as corpus;
    let mut spec = corpus::Spec::new(args.count);
    spec.seed = args.seed;
    spec.start = args.start;
    if let Some(d) = args.days {
        spec.days = d.max(1);
    }
    spec.style = args.style;
    if args.site_folders {
        spec.layout = corpus::Layout::BySite;
    }
    let to = corpus::Destinations {
        dumps: args.out.clone(),
        hugo: args.hugo.clone(),
        truth: args.truth.clone(),
    };
    if let Err(e) = to.check() {
        eprintln!("error: {e}");
        return ExitCode::FAILURE;
    }
    let corpus = corpus::generate(&spec);
    let written = to.write(&corpus);
    match written {
        Ok(n) => {
            let sites = corpus.sites().len();
            eprintln!(
                "Wrote {n} dumps from {sites} site{} over {} days into {}.",
                if sites == 1 { "" } else { "s" },
                spec.days.min(n.max(1)),
                args.out.display()
            );
            if let Some(file) = &args.truth {
                eprintln!("Wrote their ground truth to {}.", file.display());
            }
            if let Some(site) = &args.hugo {
                eprintln!(
                    "Wrote the same {n} articles as Hugo pages into {}.",
                    corpus::hugo::pages_dir(site).display()
                );
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn build(args: BuildArgs) -> ExitCode {
    let overrides = Overrides {
        content_dir: args.content,
        output_dir: args.output,
        theme: args.theme,
        base_url: args.base_url,
    };
    let cfg = match Config::load(&args.root, &overrides) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut opts = BuildOptions {
        drafts: args.drafts,
        no_cache: args.no_cache,
        progress: terminal_progress(args.quiet),
        // Asked first without waiting, so that a wait can be announced.
        contention: newsdigest::lock::Contention::Refuse,
        publishing: true,
    };
    let mut result = newsdigest::build(&cfg, &opts);
    if let Err(newsdigest::BuildError::Locked(newsdigest::lock::LockError::Busy { pid })) = &result
        && !args.no_wait
    {
        let pid = pid.map_or("pid unknown".to_string(), |p| format!("pid {p}"));
        eprintln!("Waiting for another build of this site ({pid}) to finish…");
        opts.contention = newsdigest::lock::Contention::Wait;
        result = newsdigest::build(&cfg, &opts);
    }
    let report = match result {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    if let Some(path) = &args.report {
        let json = serde_json::to_string_pretty(&report).unwrap_or_default();
        if let Err(e) = std::fs::write(path, json) {
            eprintln!("error: {}: cannot write report: {e}", path.display());
            return ExitCode::FAILURE;
        }
    }
    if !args.quiet {
        let max = if args.verbose { usize::MAX } else { 15 };
        eprint!("{}", report.summary(max));
    } else {
        for d in report
            .diagnostics
            .iter()
            .filter(|d| d.severity == newsdigest::report::Severity::Error)
        {
            eprintln!("{d}");
        }
    }
    if args.timings {
        eprint!("{}", report.timings.table());
    }
    if args.strict && report.errors > 0 {
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

/// A progress bar on stderr for parse and render, only when stderr is a terminal: piped and
/// CI output stays free of escape codes.
fn terminal_progress(quiet: bool) -> newsdigest::progress::ProgressHook {
    use std::io::IsTerminal;
    if quiet || !std::io::stderr().is_terminal() {
        return Default::default();
    }
    newsdigest::progress::ProgressHook::new(std::sync::Arc::new(Bar::default()))
}

#[derive(Default)]
struct Bar(std::sync::Mutex<Option<indicatif::ProgressBar>>);

impl Bar {
    fn current(&self) -> std::sync::MutexGuard<'_, Option<indicatif::ProgressBar>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl newsdigest::progress::Progress for Bar {
    fn start(&self, stage: &'static str, total: usize) {
        let style = indicatif::ProgressStyle::with_template(
            "{msg:>8} [{bar:40}] {human_pos}/{human_len} ({eta} left)",
        )
        .map(|s| s.progress_chars("=> "))
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
        let bar = indicatif::ProgressBar::with_draw_target(
            Some(total as u64),
            indicatif::ProgressDrawTarget::stderr(),
        )
        .with_style(style)
        .with_message(stage);
        if let Some(old) = self.current().replace(bar) {
            old.finish_and_clear();
        }
    }

    fn advance(&self, n: usize) {
        // Clone out of the lock: drawing happens outside it.
        let bar = self.current().clone();
        if let Some(bar) = bar {
            bar.inc(n as u64);
        }
    }

    fn finish(&self, _stage: &'static str) {
        if let Some(bar) = self.current().take() {
            bar.finish_and_clear();
        }
    }
}
