//! The search page in a real browser: builds a site, serves it over HTTP on 127.0.0.1,
//! starts headless Chromium and drives it over the DevTools protocol (a WebSocket; the
//! `tungstenite` dev-dependency), typing a query key by key and reading the results.
//!
//! Ignored by default so `cargo test` needs only Rust; `.ci/run` installs Chromium and runs
//! it with `cargo test -- --ignored`. Without Chromium it fails, naming the install command.

mod common;

use common::*;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const INSTALL: &str = "sudo apt-get install -y chromium";
const TIMEOUT: Duration = Duration::from_secs(30);

fn find_chromium() -> PathBuf {
    if let Some(p) = std::env::var_os("CHROMIUM") {
        return PathBuf::from(p);
    }
    for name in [
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ] {
        if let Some(dir) = std::env::var_os("PATH")
            .iter()
            .flat_map(std::env::split_paths)
            .find(|d| d.join(name).is_file())
        {
            return dir.join(name);
        }
    }
    panic!(
        "this test drives a real browser and Chromium was not found on PATH. \
         Install it with `{INSTALL}` (Debian/Ubuntu), or set CHROMIUM=/path/to/chrome."
    );
}

/// A minimal static file server for the built site: GET only, `dir/` serves
/// `dir/index.html`, anything outside the root is a 404.
fn serve(root: PathBuf) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let root = root.clone();
            std::thread::spawn(move || {
                let _ = respond(&root, stream);
            });
        }
    });
    port
}

fn respond(root: &Path, mut stream: TcpStream) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h)? == 0 || h.trim().is_empty() {
            break;
        }
    }
    let target = line.split_whitespace().nth(1).unwrap_or("/");
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let mut file = root.to_path_buf();
    let mut ok = true;
    for seg in path.split('/').filter(|s| !s.is_empty()) {
        ok &= seg != ".." && seg != ".";
        file.push(seg);
    }
    if path.ends_with('/') {
        file.push("index.html");
    }
    let (status, body, mime) = match std::fs::read(&file) {
        Ok(b) if ok => {
            let mime = match file.extension().and_then(|e| e.to_str()) {
                Some("html") => "text/html; charset=utf-8",
                Some("css") => "text/css",
                Some("js") => "text/javascript",
                Some("json") => "application/json",
                Some("xml") => "application/xml",
                _ => "application/octet-stream",
            };
            ("200 OK", b, mime)
        }
        _ => ("404 Not Found", b"not found".to_vec(), "text/plain"),
    };
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {mime}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    stream.write_all(&body)
}

/// Headless Chromium, killed when dropped.
struct Browser {
    child: Child,
    _profile: tempfile::TempDir,
    ws: tungstenite::WebSocket<TcpStream>,
    next_id: u64,
    session: String,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Browser {
    fn start() -> Browser {
        let exe = find_chromium();
        let profile = tempfile::tempdir().unwrap();
        let mut child = Command::new(&exe)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--disable-sync",
                "--remote-debugging-port=0",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "cannot start {}: {e}; install Chromium with `{INSTALL}`",
                    exe.display()
                )
            });
        // Chromium writes its DevTools port and browser path once it listens.
        let port_file = profile.path().join("DevToolsActivePort");
        let start = Instant::now();
        let (port, path) = loop {
            if let Ok(text) = std::fs::read_to_string(&port_file) {
                let mut lines = text.lines();
                if let (Some(p), Some(path)) = (lines.next(), lines.next()) {
                    break (p.trim().to_string(), path.trim().to_string());
                }
            }
            if let Ok(Some(status)) = child.try_wait() {
                panic!("Chromium exited early ({status}); is `{INSTALL}` complete?");
            }
            assert!(
                start.elapsed() < TIMEOUT,
                "Chromium did not open its DevTools port"
            );
            std::thread::sleep(Duration::from_millis(50));
        };
        let stream = TcpStream::connect(format!("127.0.0.1:{port}")).unwrap();
        stream.set_read_timeout(Some(TIMEOUT)).unwrap();
        let (ws, _) = tungstenite::client(format!("ws://127.0.0.1:{port}{path}"), stream)
            .unwrap_or_else(|e| panic!("DevTools handshake: {e}"));
        let mut b = Browser {
            child,
            _profile: profile,
            ws,
            next_id: 0,
            session: String::new(),
        };
        let target = b.call("Target.createTarget", json!({ "url": "about:blank" }));
        let target_id = target["targetId"].as_str().unwrap().to_string();
        let attached = b.call(
            "Target.attachToTarget",
            json!({ "targetId": target_id, "flatten": true }),
        );
        b.session = attached["sessionId"].as_str().unwrap().to_string();
        b
    }

    /// Sends a DevTools command (to the page once attached) and waits for its reply.
    fn call(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let mut msg = json!({ "id": id, "method": method, "params": params });
        if !self.session.is_empty() {
            msg["sessionId"] = json!(self.session);
        }
        self.ws
            .send(tungstenite::Message::text(msg.to_string()))
            .unwrap();
        loop {
            let reply = self.ws.read().unwrap_or_else(|e| panic!("{method}: {e}"));
            let Ok(text) = reply.to_text() else { continue };
            let v: Value = serde_json::from_str(text).unwrap_or(Value::Null);
            if v["id"] == json!(id) {
                assert!(v.get("error").is_none(), "{method}: {v}");
                return v["result"].clone();
            }
        }
    }

    fn eval(&mut self, expression: &str) -> Value {
        let r = self.call(
            "Runtime.evaluate",
            json!({ "expression": expression, "returnByValue": true }),
        );
        r["result"]["value"].clone()
    }

    /// Polls `expression` until `done` accepts its value; fails after the timeout.
    fn wait_for(&mut self, what: &str, expression: &str, done: impl Fn(&Value) -> bool) -> Value {
        let start = Instant::now();
        loop {
            let v = self.eval(expression);
            if done(&v) {
                return v;
            }
            assert!(
                start.elapsed() < TIMEOUT,
                "timed out waiting for {what}; last value {v}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn goto(&mut self, url: &str) {
        self.call("Page.navigate", json!({ "url": url }));
        self.wait_for(
            "the search index to load",
            "document.querySelector('[data-search]') && document.querySelector('[data-search]').getAttribute('data-ready')",
            |v| v == "true" || v == "error",
        );
        let ready = self.eval("document.querySelector('[data-search]').getAttribute('data-ready')");
        assert_eq!(ready, "true", "the search index failed to load");
    }

    /// Types `text` into the focused element, one key at a time.
    fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            let key = c.to_string();
            self.call(
                "Input.dispatchKeyEvent",
                json!({ "type": "keyDown", "key": key, "text": key, "unmodifiedText": key }),
            );
            self.call(
                "Input.dispatchKeyEvent",
                json!({ "type": "keyUp", "key": key }),
            );
        }
    }
}

const RESULTS: &str = "JSON.stringify({ q: document.getElementById('search-results').getAttribute('data-query'), \
     status: document.getElementById('search-status').textContent, \
     titles: [...document.querySelectorAll('#search-results .story-title')].map(e => e.textContent), \
     hrefs: [...document.querySelectorAll('#search-results .story-title a')].map(e => e.getAttribute('href')), \
     marks: document.querySelectorAll('#search-results mark').length, \
     url: location.search })";

fn results(b: &mut Browser, query: &str) -> Value {
    let v = b.wait_for("results for the query", RESULTS, |v| {
        v.as_str()
            .and_then(|s| serde_json::from_str::<Value>(s).ok())
            .is_some_and(|r| r["q"] == query)
    });
    serde_json::from_str(v.as_str().unwrap()).unwrap()
}

fn md(title: &str, tags: &str, body: &str) -> String {
    format!("---\ntitle: \"{title}\"\ntags: [{tags}]\n---\n\n{body}\n")
}

#[test]
#[ignore = "needs Chromium: run by .ci/run with `cargo test -- --ignored`"]
fn typing_a_query_shows_the_expected_result() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::write(
        root.join("site.yaml"),
        "base_url: https://example.org/digest/\n",
    )
    .unwrap();
    let articles = [
        (
            "2026-03-01/a.md",
            md(
                "Harbour Bridge Reopens After Repairs",
                "transport",
                "The old harbour bridge reopened to traffic on Sunday.",
            ),
        ),
        (
            "2026-03-02/b.md",
            md(
                "Council Debates the Budget",
                "politics",
                "The council argued over the harbour budget late into the night.",
            ),
        ),
        (
            "2026-03-03/c.md",
            md(
                "Floods Hit Lindmark Again",
                "weather",
                "Heavy rain flooded Lindmark, the second time this year.",
            ),
        ),
        (
            "2026-03-03/d.md",
            md(
                "Zoo Welcomes Two Lynx Cubs",
                "animals",
                "Keepers said the cubs were healthy.",
            ),
        ),
    ];
    for (path, text) in &articles {
        let p = root.join("content").join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    let o = newsdigest(root, &["build"]);
    assert!(o.status.success(), "{}", stderr(&o));
    // Serve the output under the base URL's sub-path, as a host would.
    let host = tempfile::tempdir().unwrap();
    std::fs::rename(root.join("output"), host.path().join("digest")).unwrap();
    let port = serve(host.path().to_path_buf());
    let base = format!("http://127.0.0.1:{port}/digest/");

    let mut b = Browser::start();
    b.goto(&format!("{base}search/"));
    b.eval("document.getElementById('search-input').focus()");
    // A partial word already finds it: results update as you type.
    b.type_text("harb");
    let r = results(&mut b, "harb");
    let titles = r["titles"].as_array().unwrap();
    assert_eq!(titles.len(), 2, "{r}");
    // A title match ranks above a summary match.
    assert_eq!(titles[0], "Harbour Bridge Reopens After Repairs", "{r}");
    assert_eq!(titles[1], "Council Debates the Budget", "{r}");
    b.type_text("our bridge");
    let r = results(&mut b, "harbour bridge");
    assert_eq!(
        r["titles"],
        json!(["Harbour Bridge Reopens After Repairs"]),
        "{r}"
    );
    assert_eq!(
        r["hrefs"][0],
        "/digest/2026/03/01/harbour-bridge-reopens-after-repairs/"
    );
    assert!(
        r["marks"].as_u64().unwrap() >= 2,
        "matches are highlighted: {r}"
    );
    assert_eq!(
        r["url"], "?q=harbour+bridge",
        "the query is kept in the URL: {r}"
    );
    assert!(
        r["status"]
            .as_str()
            .unwrap()
            .starts_with("1 article matches"),
        "{r}"
    );

    // A link with ?q= shows results straight away; topics are searched too.
    b.goto(&format!("{base}search/?q=weather"));
    let r = results(&mut b, "weather");
    assert_eq!(r["titles"], json!(["Floods Hit Lindmark Again"]), "{r}");
    b.goto(&format!("{base}search/?q=nothing%20like%20this"));
    let r = results(&mut b, "nothing like this");
    assert_eq!(r["titles"], json!([]), "{r}");
    assert!(
        r["status"]
            .as_str()
            .unwrap()
            .starts_with("No articles match"),
        "{r}"
    );
}
