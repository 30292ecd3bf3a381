//! Local preview (`newsdigest serve`): builds the site with the library's own build into a
//! serve-only folder (a temporary folder, removed on exit, so a published `output/` is never
//! touched), serves it over HTTP on loopback, watches the sources and rebuilds on change, and
//! tells open tabs to reload, swap stylesheets, or show what broke.
//!
//! - [`site`]: the preview's configuration and build, and which served files a build changed;
//! - [`watch`]: which paths matter, gathering a burst of changes into one rebuild;
//! - [`http`]: the file server, its guards, and the live-reload endpoints;
//! - [`live`]: the script added to pages and the events it receives;
//! - [`state`]: what the builder thread and the HTTP handlers share.

pub mod http;
pub mod live;
pub mod site;
pub mod state;
pub mod watch;

use crate::build::BuildOptions;
use crate::config::Overrides;
use site::{Outcome, Preview};
use state::Shared;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verbosity {
    Quiet,
    Normal,
    Verbose,
}

/// What `newsdigest serve` was asked for.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    /// `--content` and `--theme`; the output folder and base URL are the preview's own.
    pub overrides: Overrides,
    pub bind: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    pub open: bool,
    pub drafts: bool,
    pub verbosity: Verbosity,
    /// How long the sources must be quiet before a rebuild starts.
    pub debounce: Duration,
    /// How long a client may take to send a request's headers before the connection is
    /// closed (a half-sent request must not hold a connection open).
    pub header_timeout: Duration,
}

/// The default of [`ServeOptions::header_timeout`]: far beyond any real client on loopback.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(
        "port {} on {} is already in use (another preview?); try {}",
        addr.port(),
        addr.ip(),
        match free { Some(p) => format!("`--port {p}`, which is free"), None => "another `--port`, or `--port 0` for any free port".to_string() }
    )]
    PortInUse { addr: SocketAddr, free: Option<u16> },
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("{}: the site root is not a folder", .0.display())]
    NoRoot(PathBuf),
    #[error("cannot create the preview folder: {0}")]
    PreviewDir(std::io::Error),
    #[error("cannot start: {0}")]
    Runtime(std::io::Error),
    #[error("the server stopped: {0}")]
    Server(std::io::Error),
}

/// After Ctrl-C, connections get this long to finish before the server stops anyway.
const GRACE: Duration = Duration::from_secs(3);

/// Runs the preview until Ctrl-C (or SIGTERM). Returns once the server has stopped and the
/// preview folder is removed.
pub fn serve(opts: ServeOptions) -> Result<(), ServeError> {
    let root = opts
        .root
        .canonicalize()
        .ok()
        .filter(|r| r.is_dir())
        .ok_or_else(|| ServeError::NoRoot(opts.root.clone()))?;
    let listener = listen(SocketAddr::new(opts.bind, opts.port))?;
    let addr = listener.local_addr().map_err(ServeError::Runtime)?;
    if !opts.bind.is_loopback() {
        eprintln!(
            "warning: listening on {addr}: anyone who can reach this machine on the network can \
             read the preview. Leave out --bind to serve on 127.0.0.1 only."
        );
    }
    let url = format!("http://{}/", url_host(addr));

    let tmp = tempfile::Builder::new()
        .prefix("newsdigest-serve-")
        .tempdir()
        .map_err(ServeError::PreviewDir)?;
    let site_dir = tmp.path().join("site");
    let server_id = format!(
        "{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis())
            .unwrap_or_default()
    );
    let shared = Arc::new(Shared::new(site_dir.clone(), server_id));
    let preview = Preview {
        root,
        overrides: Overrides {
            output_dir: None,
            base_url: None,
            ..opts.overrides.clone()
        },
        site_dir: site_dir.clone(),
        base_url: url.clone(),
        // The site's build cache makes each rebuild incremental: only what a change touches is
        // parsed and rendered again.
        opts: BuildOptions {
            drafts: opts.drafts,
            no_cache: false,
            // A `newsdigest build` beside the preview delays a rebuild, never fails it.
            contention: crate::lock::Contention::Wait,
            ..Default::default()
        },
    };

    // The builder thread watches first, then builds, so nothing changed during the first build
    // is missed; the server starts answering once that first build is done.
    let (tx, rx) = std::sync::mpsc::channel();
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    let builder = {
        let shared = shared.clone();
        let tx = tx.clone();
        let verbosity = opts.verbosity;
        let debounce = opts.debounce;
        std::thread::Builder::new()
            .name("newsdigest-rebuild".into())
            .spawn(move || {
                let mut print = |o: &Outcome| print_outcome(o, verbosity);
                watch::run(preview, shared, tx, rx, debounce, ready_tx, &mut print);
            })
            .map_err(ServeError::Runtime)?
    };
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(ServeError::Runtime)?;
    let result = rt.block_on(async {
        // From here on Ctrl-C stops cleanly, even during the first build.
        let signalled = shared.clone();
        tokio::spawn(async move {
            stop_signal().await;
            signalled.shutdown();
        });
        // The thread sends once the first build is done (or drops the sender if it died).
        let first_build = tokio::task::spawn_blocking(move || ready_rx.recv().is_ok());
        let mut stop = shared.shutdown_signal();
        tokio::select! {
            _ = first_build => {}
            _ = stop.wait_for(|s| *s) => return Ok(()),
        }
        eprintln!("Serving {url}");
        if opts.verbosity != Verbosity::Quiet {
            eprintln!(
                "Preview folder: {} (removed on exit). Watching for changes; press Ctrl-C to \
                 stop.",
                site_dir.display()
            );
        }
        if opts.open
            && let Err(e) = opener::open_browser(&url)
        {
            eprintln!("warning: cannot open a browser: {e}; open {url} yourself");
        }
        run_server(
            listener,
            shared.clone(),
            opts.bind.is_loopback(),
            opts.header_timeout,
        )
        .await
    });
    rt.shutdown_timeout(GRACE);

    let _ = tx.send(watch::Msg::Stop);
    let _ = builder.join();
    if opts.verbosity != Verbosity::Quiet {
        eprintln!("Stopped.");
    }
    drop(tmp);
    result
}

/// Accepts connections until shutdown and serves each over HTTP/1.1 with hyper directly (not
/// `axum::serve`, which cannot be configured): with `TCP_NODELAY`, so a response larger than a
/// segment is not held back by Nagle's algorithm waiting for a delayed ACK (about 40 ms a
/// file), and with a header-read timeout, so a client that sends half a request is cut off.
async fn run_server(
    listener: TcpListener,
    shared: Arc<Shared>,
    loopback_only: bool,
    header_timeout: Duration,
) -> Result<(), ServeError> {
    let listener = tokio::net::TcpListener::from_std(listener).map_err(ServeError::Runtime)?;
    let app = http::router(shared.clone(), loopback_only);
    let mut stop = shared.shutdown_signal();
    // Each connection holds a receiver; once all are dropped, every connection has closed.
    let (open_tx, open_rx) = tokio::sync::watch::channel(());
    loop {
        let tcp = tokio::select! {
            r = listener.accept() => match r {
                Ok((tcp, _)) => tcp,
                // Out of file descriptors and the like: wait, rather than spin on the error.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = stopped(&mut stop) => break,
        };
        let _ = tcp.set_nodelay(true);
        tokio::spawn(serve_connection(
            tcp,
            app.clone(),
            shared.shutdown_signal(),
            open_rx.clone(),
            header_timeout,
        ));
    }
    drop(open_rx);
    tokio::select! {
        _ = open_tx.closed() => {}
        _ = tokio::time::sleep(GRACE) => {
            eprintln!("warning: some connections did not close in time; stopping anyway");
        }
    }
    Ok(())
}

/// One connection, until the client closes it or, after shutdown, its current request is done.
async fn serve_connection(
    tcp: tokio::net::TcpStream,
    app: axum::Router,
    mut stop: tokio::sync::watch::Receiver<bool>,
    open: tokio::sync::watch::Receiver<()>,
    header_timeout: Duration,
) {
    use hyper_util::rt::{TokioIo, TokioTimer};
    let service = hyper_util::service::TowerToHyperService::new(app);
    let conn = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(header_timeout)
        .serve_connection(TokioIo::new(tcp), service);
    let mut conn = std::pin::pin!(conn);
    let stopping = tokio::select! {
        _ = conn.as_mut() => false,
        () = stopped(&mut stop) => true,
    };
    if stopping {
        conn.as_mut().graceful_shutdown();
        let _ = conn.await;
    }
    drop(open);
}

/// Resolves once shutdown is signalled (holding no borrow of the flag across an await).
async fn stopped(stop: &mut tokio::sync::watch::Receiver<bool>) {
    let _ = stop.wait_for(|s| *s).await;
}

/// Ctrl-C, or SIGTERM on Unix.
async fn stop_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            // No signal handling: never stop on a signal rather than stop at once.
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    {
        let term = async {
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(mut s) => {
                    s.recv().await;
                }
                Err(_) => std::future::pending::<()>().await,
            }
        };
        tokio::select! {
            _ = ctrl_c => {},
            _ = term => {},
        }
    }
    #[cfg(not(unix))]
    ctrl_c.await;
}

/// Binds, turning "address in use" into an error that names a free port to use instead.
fn listen(addr: SocketAddr) -> Result<TcpListener, ServeError> {
    let l = TcpListener::bind(addr).map_err(|source| {
        if source.kind() == std::io::ErrorKind::AddrInUse {
            ServeError::PortInUse {
                addr,
                free: free_port_near(addr),
            }
        } else {
            ServeError::Listen { addr, source }
        }
    })?;
    l.set_nonblocking(true).map_err(ServeError::Runtime)?;
    Ok(l)
}

fn free_port_near(addr: SocketAddr) -> Option<u16> {
    (1..=20)
        .filter_map(|i| addr.port().checked_add(i))
        .find(|&p| TcpListener::bind(SocketAddr::new(addr.ip(), p)).is_ok())
}

/// The host for the preview's base URL: the bound address, or loopback when bound to all.
fn url_host(addr: SocketAddr) -> String {
    let ip = match addr.ip() {
        IpAddr::V4(v4) if v4.is_unspecified() => IpAddr::V4(std::net::Ipv4Addr::LOCALHOST),
        IpAddr::V6(v6) if v6.is_unspecified() => IpAddr::V6(std::net::Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    SocketAddr::new(ip, addr.port()).to_string()
}

fn print_outcome(o: &Outcome, verbosity: Verbosity) {
    let s = &o.status;
    let max = if verbosity == Verbosity::Verbose {
        usize::MAX
    } else {
        15
    };
    if let Some(fatal) = &s.fatal {
        let still = if s.has_site {
            "still serving the last good build"
        } else {
            "nothing to serve yet"
        };
        eprintln!("error: build {} failed: {fatal} ({still})", s.build);
        return;
    }
    match (&o.report, verbosity) {
        (Some(report), Verbosity::Quiet) => {
            for d in report
                .diagnostics
                .iter()
                .filter(|d| d.severity == crate::report::Severity::Error)
            {
                eprintln!("{d}");
            }
        }
        (Some(report), _) if s.build == 1 => eprint!("{}", report.summary(max)),
        (Some(_), _) => {
            eprintln!(
                "Rebuilt in {} ms (build {}): {} files changed; {} articles, {} warnings, {} errors.",
                s.duration_ms,
                s.build,
                o.changed.len(),
                s.articles,
                s.warnings,
                s.errors.len()
            );
            for p in s.errors.iter().take(max) {
                eprintln!("  {p}");
            }
            if verbosity == Verbosity::Verbose {
                for f in &o.changed {
                    eprintln!("  changed: {f}");
                }
            }
        }
        (None, _) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn port_in_use_names_a_free_port() {
        let taken = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = taken.local_addr().unwrap();
        let e = listen(addr).unwrap_err();
        let msg = e.to_string();
        assert!(msg.contains("already in use"), "{msg}");
        match e {
            ServeError::PortInUse { free: Some(p), .. } => {
                assert_ne!(p, addr.port());
                assert!(msg.contains(&format!("--port {p}")), "{msg}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn url_host_is_loopback_when_bound_to_all() {
        assert_eq!(url_host("0.0.0.0:1111".parse().unwrap()), "127.0.0.1:1111");
        assert_eq!(url_host("[::]:1111".parse().unwrap()), "[::1]:1111");
        assert_eq!(url_host("127.0.0.1:80".parse().unwrap()), "127.0.0.1:80");
    }
}
