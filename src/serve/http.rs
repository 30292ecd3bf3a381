//! The preview's HTTP side (axum on tokio). Files come from the served folder through
//! tower-http's `ServeDir` (MIME types, `index.html` for folders, `slug` → `slug/` redirects,
//! `HEAD`, `ETag`/`Last-Modified` with 304s, ranges, precompressed `.br`/`.gz` when the client
//! accepts them), behind two guards of ours: request paths that try to leave the folder are
//! refused before any file is touched, and a file whose real path (after symlinks) lies outside
//! the folder is treated as missing. Missing files get the site's `404.html` with status 404.
//! HTML responses get the live-reload script tag just before `</body>`: only in responses, never
//! in the folder. Everything is sent with `Cache-Control: no-cache`, so a reload always
//! revalidates. `/__newsdigest/` holds the live-reload script, the event stream and the status.

use super::live;
use super::state::{LiveEvent, Shared};
use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use http_body_util::BodyExt;
use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;
use tower::ServiceExt;
use tower_http::services::ServeDir;
use tower_http::services::fs::{Backend, TokioBackend, TokioFile};

/// The URL prefix of the preview's own endpoints. No site path can start with it: slugs are
/// lowercase letters, digits and `-`.
pub const PREFIX: &str = "/__newsdigest/";

#[derive(Clone)]
struct App {
    shared: Arc<Shared>,
    files: ServeDir<tower_http::services::fs::DefaultServeDirFallback, Confined>,
}

/// The router for a preview serving `shared.site_dir`. `loopback_only`: the server listens on
/// loopback, so only requests addressed to a loopback name are answered.
pub fn router(shared: Arc<Shared>, loopback_only: bool) -> Router {
    let root = super::watch::resolve(&shared.site_dir);
    let files = ServeDir::with_backend(
        &shared.site_dir,
        Confined {
            root: Arc::new(root),
        },
    )
    .precompressed_br()
    .precompressed_gzip();
    Router::new()
        .route("/__newsdigest/live.js", get(live_js))
        .route("/__newsdigest/events", get(events))
        .route("/__newsdigest/status", get(status))
        .fallback(serve_file)
        .with_state(App { shared, files })
        .layer(axum::middleware::from_fn(
            move |req: Request, next: Next| host_guard(loopback_only, req, next),
        ))
}

/// A page on another site can make a browser send requests to 127.0.0.1 under its own host
/// name (DNS rebinding) and read the answers, drafts included. A loopback server therefore
/// answers only requests addressed to a loopback name. A request with two `Host` headers, or
/// one that is not a plain `name[:port]`, is refused outright (RFC 9112 §3.2): with two, which
/// one a check reads and which one a proxy or a page uses may differ.
async fn host_guard(loopback_only: bool, req: Request, next: Next) -> Response {
    let mut hosts = req.headers().get_all(header::HOST).iter();
    let (first, second) = (hosts.next(), hosts.next());
    if second.is_some() {
        return plain(
            StatusCode::BAD_REQUEST,
            "A request may carry one Host header.\n",
        );
    }
    let host = match first {
        Some(h) => h.to_str().ok().and_then(host_name),
        None => req.uri().host().and_then(host_name),
    };
    let Some(host) = host else {
        return plain(
            StatusCode::BAD_REQUEST,
            "The Host header must be a host name or address, with an optional port.\n",
        );
    };
    if loopback_only && !is_loopback_host(&host) {
        return plain(
            StatusCode::FORBIDDEN,
            "This preview answers only to 127.0.0.1, localhost and [::1].\n",
        );
    }
    next.run(req).await
}

fn plain(code: StatusCode, text: &'static str) -> Response {
    let mut res = (
        code,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        text,
    )
        .into_response();
    preview_headers(res.headers_mut());
    res
}

/// The host name (or address, IPv6 without brackets) of a `Host` value that is exactly
/// `name[:port]` or `[v6][:port]`; `None` for anything else, such as `localhost:80@evil.com`
/// (user info has no place in `Host`, and a lax reading of it names `localhost`).
pub fn host_name(host: &str) -> Option<String> {
    let port_ok = |p: &str| p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit());
    if let Some(rest) = host.strip_prefix('[') {
        let (v6, after) = rest.split_once(']')?;
        if !(after.is_empty() || after.strip_prefix(':').is_some_and(port_ok)) {
            return None;
        }
        return v6
            .parse::<std::net::Ipv6Addr>()
            .ok()
            .map(|ip| ip.to_string());
    }
    let (name, port) = host.split_once(':').unwrap_or((host, ""));
    let plain_name = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'));
    (plain_name && port_ok(port)).then(|| name.trim_end_matches('.').to_ascii_lowercase())
}

/// `127.0.0.1`, `localhost`, `*.localhost`, `::1` (a name from [`host_name`]); any other
/// 127.x.y.z too.
pub fn is_loopback_host(name: &str) -> bool {
    name == "localhost"
        || name.ends_with(".localhost")
        || name
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

async fn live_js() -> Response {
    let mut res = (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        live::CLIENT_JS,
    )
        .into_response();
    preview_headers(res.headers_mut());
    res
}

async fn status(State(app): State<App>) -> Response {
    let json = serde_json::to_string(&*app.shared.status()).unwrap_or_default();
    let mut res = ([(header::CONTENT_TYPE, "application/json")], json).into_response();
    preview_headers(res.headers_mut());
    res
}

/// Server-Sent Events: the current status first (so a tab opened on a broken build shows the
/// overlay at once), then every status and change, until the server shuts down.
async fn events(State(app): State<App>) -> impl IntoResponse {
    let first = live::status_event(&app.shared.status());
    let rx = app.shared.subscribe();
    let stop = app.shared.shutdown_signal();
    let stream = futures_util::stream::unfold(
        (Some(first), rx, stop),
        |(first, mut rx, mut stop)| async move {
            if let Some(ev) = first {
                return Some((Ok::<Event, Infallible>(ev), (None, rx, stop)));
            }
            if *stop.borrow() {
                return None;
            }
            let ev = tokio::select! {
                msg = rx.recv() => match msg {
                    Ok(LiveEvent::Status(s)) => live::status_event(&s),
                    Ok(ev @ LiveEvent::Changed { .. }) => live::change_event(&ev),
                    // A tab that fell behind reloads: it missed which files changed.
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {
                        live::change_event(&LiveEvent::Changed {
                            build: 0,
                            files: Arc::new(Vec::new()),
                            all: true,
                        })
                    }
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
                },
                _ = stop.changed() => return None,
            };
            Some((Ok(ev), (None, rx, stop)))
        },
    );
    let mut res = Sse::new(stream)
        .keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
        .into_response();
    preview_headers(res.headers_mut());
    res
}

/// Why a request path is refused before the file system is asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    NotAbsolute,
    EncodedSeparator,
    BadEncoding,
    DotSegment,
    EmptySegment,
    BadCharacter,
}

/// Checks a raw (still percent-encoded) request path and returns it decoded. Refuses `..` and
/// `.` segments in any spelling (`%2e%2e`), encoded `/` and `\`, NUL, backslashes, `//` and
/// anything that is not UTF-8, so a path can only name something inside the folder.
pub fn check_path(raw: &str) -> Result<String, Refused> {
    if !raw.starts_with('/') {
        return Err(Refused::NotAbsolute);
    }
    let lower = raw.to_ascii_lowercase();
    if lower.contains("%2f") || lower.contains("%5c") {
        return Err(Refused::EncodedSeparator);
    }
    let decoded = percent_encoding::percent_decode_str(raw)
        .decode_utf8()
        .map_err(|_| Refused::BadEncoding)?;
    if decoded.contains(['\\', '\0']) || decoded.chars().any(char::is_control) {
        return Err(Refused::BadCharacter);
    }
    let segments: Vec<&str> = decoded[1..].split('/').collect();
    let last = segments.len() - 1;
    for (i, s) in segments.iter().enumerate() {
        if *s == "." || *s == ".." {
            return Err(Refused::DotSegment);
        }
        if s.is_empty() && i != last {
            return Err(Refused::EmptySegment);
        }
    }
    Ok(decoded.into_owned())
}

/// The file a page URL is served from (`/a/` → `a/index.html`), to tell the live-reload
/// client which file it shows.
pub fn file_of(decoded: &str) -> String {
    let p = decoded.trim_start_matches('/');
    if p.is_empty() || p.ends_with('/') {
        format!("{p}index.html")
    } else {
        p.to_string()
    }
}

/// Whether a path names an HTML page: a folder (`…/`) or an `.html` file.
fn looks_like_page(decoded: &str) -> bool {
    decoded.ends_with('/') || decoded.ends_with(".html") || decoded.ends_with(".htm")
}

/// The longest file name (in bytes) that Linux, macOS and Windows file systems allow.
const MAX_NAME_BYTES: usize = 255;

async fn serve_file(State(app): State<App>, req: Request) -> Response {
    let decoded = match check_path(req.uri().path()) {
        Ok(d) => d,
        Err(why) => {
            let mut res = (
                StatusCode::BAD_REQUEST,
                [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                format!("Bad request path ({why:?}): it must name a file inside the site.\n"),
            )
                .into_response();
            preview_headers(res.headers_mut());
            return res;
        }
    };
    let head = req.method() == Method::HEAD;
    // No file system has names that long: the open would fail with "name too long", which
    // is a missing page, not a server error.
    if decoded.split('/').any(|s| s.len() > MAX_NAME_BYTES) {
        let mut res = not_found(&app.shared, &decoded, head).await;
        preview_headers(res.headers_mut());
        return res;
    }
    let page = looks_like_page(&decoded);
    let mut req = req;
    if page {
        // The script is added to the page, so the bytes sent are not the file's: no ranges,
        // no precompressed variant (both would describe the file, not the response).
        let h = req.headers_mut();
        for name in [header::RANGE, header::IF_RANGE, header::ACCEPT_ENCODING] {
            h.remove(name);
        }
        if head {
            *req.method_mut() = Method::GET;
        }
    }

    // Held until the file is open (and for pages, read): a build waits for it, and the open
    // file stays readable even if the build then replaces the folder.
    let guard = app.shared.build_lock.read().await;
    let res = match app.files.clone().oneshot(req).await {
        Ok(r) => r,
        Err(never) => match never {},
    };
    let mut res = if res.status() == StatusCode::NOT_FOUND {
        not_found(&app.shared, &decoded, head).await
    } else if page && res.status() == StatusCode::OK && is_html(res.headers()) {
        let (mut parts, body) = res.into_parts();
        let bytes = match body.collect().await {
            Ok(b) => b.to_bytes(),
            Err(e) => {
                drop(guard);
                return internal_error(&e.to_string());
            }
        };
        drop(guard);
        let html = live::inject(&bytes, &file_of(&decoded));
        parts.headers.remove(header::CONTENT_LENGTH);
        parts.headers.remove(header::ACCEPT_RANGES);
        parts.headers.remove(header::VARY);
        parts.headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        let len = html.len();
        let mut res = Response::from_parts(parts, Body::from(if head { Vec::new() } else { html }));
        res.headers_mut()
            .insert(header::CONTENT_LENGTH, HeaderValue::from(len));
        res
    } else {
        drop(guard);
        let mut res = res.map(Body::new);
        add_charset(res.headers_mut());
        res
    };
    preview_headers(res.headers_mut());
    res
}

/// The site's `404.html` (with the live-reload script) and status 404. Before the first build
/// has produced a site there is no such page: a short page says so, and the overlay shows why.
async fn not_found(shared: &Shared, decoded: &str, head: bool) -> Response {
    let status = shared.status();
    let page = shared.site_dir.join("404.html");
    let (code, html) = match tokio::fs::read(&page).await {
        // The tab reloads when its URL comes into being, or when the 404 page changes.
        Ok(bytes) if status.has_site => (
            StatusCode::NOT_FOUND,
            live::inject(&bytes, &format!("{} 404.html", file_of(decoded))),
        ),
        _ => {
            let (code, text) = if status.fatal.is_some() {
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    "The site could not be built. The problem is shown below; the page reloads \
                     when it is fixed.",
                )
            } else {
                (StatusCode::NOT_FOUND, "Page not found.")
            };
            let doc = format!(
                "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
                 <title>newsdigest preview</title></head><body><p>{text}</p></body></html>"
            );
            (code, live::inject(doc.as_bytes(), &file_of(decoded)))
        }
    };
    let len = html.len();
    let mut res = Response::new(Body::from(if head { Vec::new() } else { html }));
    *res.status_mut() = code;
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(len));
    res
}

fn internal_error(msg: &str) -> Response {
    let mut res = (
        StatusCode::INTERNAL_SERVER_ERROR,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        format!("cannot read the file: {msg}\n"),
    )
        .into_response();
    preview_headers(res.headers_mut());
    res
}

fn is_html(h: &HeaderMap) -> bool {
    h.get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"))
}

/// Text files are UTF-8: say so, so a browser never guesses.
fn add_charset(h: &mut HeaderMap) {
    let Some(ct) = h.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return;
    };
    if ct.starts_with("text/")
        && !ct.contains("charset")
        && !ct.contains("xml")
        && let Ok(v) = HeaderValue::from_str(&format!("{ct}; charset=utf-8"))
    {
        h.insert(header::CONTENT_TYPE, v);
    }
}

fn preview_headers(h: &mut HeaderMap) {
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
}

/// `ServeDir`'s file access, confined to the served folder: a path whose real location
/// (after resolving symlinks) is outside it is reported as not found.
#[derive(Clone, Debug)]
struct Confined {
    root: Arc<PathBuf>,
}

type Fut<T> = Pin<Box<dyn Future<Output = io::Result<T>> + Send>>;

async fn confine(root: &Path, path: &Path) -> io::Result<PathBuf> {
    let real = tokio::fs::canonicalize(path).await?;
    if real.starts_with(root) {
        Ok(real)
    } else {
        Err(io::Error::new(
            io::ErrorKind::NotFound,
            "resolves outside the served folder",
        ))
    }
}

impl Backend for Confined {
    type File = TokioFile;
    type Metadata = std::fs::Metadata;
    type OpenFuture = Fut<TokioFile>;
    type MetadataFuture = Fut<std::fs::Metadata>;

    fn open(&self, path: PathBuf) -> Self::OpenFuture {
        let root = self.root.clone();
        Box::pin(async move {
            let real = confine(&root, &path).await?;
            TokioBackend.open(real).await
        })
    }

    fn metadata(&self, path: PathBuf) -> Self::MetadataFuture {
        let root = self.root.clone();
        Box::pin(async move {
            let real = confine(&root, &path).await?;
            TokioBackend.metadata(real).await
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_could_leave_the_folder_are_refused() {
        for (raw, why) in [
            ("/../etc/passwd", Refused::DotSegment),
            ("/a/../../etc/passwd", Refused::DotSegment),
            ("/%2e%2e/etc/passwd", Refused::DotSegment),
            ("/%2E%2e/%2e%2E/etc", Refused::DotSegment),
            ("/.%2e/x", Refused::DotSegment),
            ("/./index.html", Refused::DotSegment),
            ("/..", Refused::DotSegment),
            ("/a%2f..%2f..%2fetc", Refused::EncodedSeparator),
            ("/a%2F..", Refused::EncodedSeparator),
            ("/..%5c..%5cetc", Refused::EncodedSeparator),
            ("/a\\..\\b", Refused::BadCharacter),
            ("/a%00.html", Refused::BadCharacter),
            ("//etc/passwd", Refused::EmptySegment),
            ("/a//b", Refused::EmptySegment),
            ("/%ff%fe", Refused::BadEncoding),
            ("etc/passwd", Refused::NotAbsolute),
            ("*", Refused::NotAbsolute),
        ] {
            assert_eq!(check_path(raw), Err(why), "{raw}");
        }
    }

    #[test]
    fn ordinary_paths_pass_decoded() {
        assert_eq!(check_path("/").unwrap(), "/");
        assert_eq!(
            check_path("/2026/11/20/harbour-budget/").unwrap(),
            "/2026/11/20/harbour-budget/"
        );
        assert_eq!(check_path("/static/a%20b.css").unwrap(), "/static/a b.css");
        assert_eq!(check_path("/..foo/x..y").unwrap(), "/..foo/x..y");
    }

    #[test]
    fn page_files() {
        assert_eq!(file_of("/"), "index.html");
        assert_eq!(file_of("/2026/11/20/"), "2026/11/20/index.html");
        assert_eq!(file_of("/404.html"), "404.html");
        assert!(looks_like_page("/a/"));
        assert!(looks_like_page("/a.html"));
        assert!(!looks_like_page("/static/style.css"));
        assert!(!looks_like_page("/a"));
    }

    #[test]
    fn loopback_hosts() {
        let loopback = |h: &str| host_name(h).is_some_and(|n| is_loopback_host(&n));
        for yes in [
            "127.0.0.1:1111",
            "127.0.0.1",
            "localhost:1111",
            "LOCALHOST",
            "localhost.",
            "digest.localhost:80",
            "[::1]:1111",
            "[::1]",
            "127.1.2.3:8",
        ] {
            assert!(loopback(yes), "{yes}");
        }
        for no in [
            "evil.example:1111",
            "localhost.evil.example",
            "192.168.1.5:1111",
            "[::2]:1111",
            "",
            "127.0.0.1.evil.example",
        ] {
            assert!(!loopback(no), "{no}");
        }
    }

    #[test]
    fn host_values_that_are_not_a_plain_name_and_port_are_refused() {
        for bad in [
            "localhost:80@evil.com",
            "evil.com@localhost",
            "user@localhost:1111",
            "localhost:1111:1",
            "localhost:http",
            "localhost/x",
            "local host",
            "[::1]x",
            "[::1]:80@evil.com",
            "[evil.com]",
            "",
            ":80",
        ] {
            assert_eq!(host_name(bad), None, "{bad:?}");
        }
        assert_eq!(host_name("LocalHost:1111").as_deref(), Some("localhost"));
        assert_eq!(host_name("[::1]:1111").as_deref(), Some("::1"));
    }

    #[test]
    fn text_gets_a_charset() {
        let mut h = HeaderMap::new();
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/css"));
        add_charset(&mut h);
        assert_eq!(h[header::CONTENT_TYPE], "text/css; charset=utf-8");
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/xml"));
        add_charset(&mut h);
        assert_eq!(h[header::CONTENT_TYPE], "text/xml");
    }
}
