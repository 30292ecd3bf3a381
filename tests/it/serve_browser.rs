//! Live reload in a real browser: headless Chromium keeps the preview's front page open (driven
//! over the DevTools protocol), the test changes files under the site, and the page changes by
//! itself. `#[ignore]`d because it needs Chromium; `.ci/run` installs it and runs it.

use crate::common;

use crate::common::server::*;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;
use tungstenite::stream::MaybeTlsStream;
use tungstenite::{Message, WebSocket};

const INSTALL: &str = "apt-get update && apt-get install -y chromium";

fn chromium() -> PathBuf {
    for c in ["chromium", "chromium-browser", "google-chrome"] {
        for dir in std::env::var("PATH").unwrap_or_default().split(':') {
            let p = PathBuf::from(dir).join(c);
            if p.is_file() {
                return p;
            }
        }
    }
    panic!("Chromium is not installed; install it with: {INSTALL}");
}

/// A headless Chromium showing `url`, and a DevTools connection to that page.
struct Browser {
    child: Child,
    page: WebSocket<MaybeTlsStream<TcpStream>>,
    next_id: u64,
    _profile: tempfile::TempDir,
}

impl Browser {
    fn open(url: &str) -> Browser {
        let profile = tempfile::tempdir().unwrap();
        let mut child = Command::new(chromium())
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
            .arg(url)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start Chromium ({e}); install it with: {INSTALL}"));
        let stderr = child.stderr.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(i) = line.find("ws://") {
                    let _ = tx.send(line[i..].trim().to_string());
                }
            }
        });
        let ws = rx
            .recv_timeout(TIMEOUT)
            .expect("Chromium did not print its DevTools address");
        // ws://127.0.0.1:PORT/devtools/browser/ID → http://127.0.0.1:PORT/json/list
        let host = ws["ws://".len()..].split('/').next().unwrap().to_string();
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_secs(10)))
            .build()
            .into();
        let page_ws = wait_for("the page target", TIMEOUT, || {
            let body = agent
                .get(&format!("http://{host}/json/list"))
                .call()
                .ok()?
                .body_mut()
                .read_to_string()
                .ok()?;
            let list: Value = serde_json::from_str(&body).ok()?;
            list.as_array()?
                .iter()
                .find(|t| {
                    t["type"] == "page" && t["url"].as_str().is_some_and(|u| u.starts_with(url))
                })
                .and_then(|t| t["webSocketDebuggerUrl"].as_str().map(String::from))
        });
        let (page, _) = tungstenite::connect(page_ws.as_str()).expect("connect to the page");
        if let MaybeTlsStream::Plain(s) = page.get_ref() {
            s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        }
        Browser {
            child,
            page,
            next_id: 1,
            _profile: profile,
        }
    }

    /// Evaluates `expr` in the page; `None` while the page is between documents.
    fn eval(&mut self, expr: &str) -> Option<Value> {
        let id = self.next_id;
        self.next_id += 1;
        let msg = json!({
            "id": id,
            "method": "Runtime.evaluate",
            "params": { "expression": expr, "returnByValue": true },
        });
        self.page.send(Message::text(msg.to_string())).ok()?;
        loop {
            let m = self.page.read().ok()?;
            let Message::Text(t) = m else { continue };
            let v: Value = serde_json::from_str(t.as_str()).ok()?;
            if v["id"] == id {
                if v["result"].get("exceptionDetails").is_some() {
                    return None;
                }
                return Some(v["result"]["result"]["value"].clone());
            }
        }
    }

    fn wait_true(&mut self, what: &str, expr: &str) {
        wait_for(what, TIMEOUT, || {
            (self.eval(expr) == Some(Value::Bool(true))).then_some(())
        });
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
#[ignore = "needs Chromium: run by .ci/run with --ignored"]
fn an_open_page_follows_the_files() {
    let site = small_site();
    let server = Server::start(site.path(), &[]);
    let mut browser = Browser::open(&server.url("/"));
    let connected = "document.readyState === 'complete' && !!window.__newsdigestLive \
                     && !!window.__newsdigestLive.status";
    browser.wait_true("the live-reload connection", connected);
    browser.eval("window.__kept = 1");

    // A new dump: the open front page reloads and shows it.
    let title = "Night Ferry Returns After Winter Pause";
    write_dump(site.path(), "2026-11-24", "000_feedfacefeedface.txt", title);
    browser.wait_true(
        "the new article on the open page",
        &format!("document.body.innerText.includes({title:?})"),
    );
    assert_eq!(
        browser.eval("window.__kept === undefined"),
        Some(Value::Bool(true)),
        "the page should have reloaded"
    );

    // A stylesheet change applies without a reload.
    browser.wait_true("the live-reload connection", connected);
    browser.eval("window.__kept = 2");
    let css = common::read(&common::repo_root().join("themes/default/static/style.css"));
    // static/static/ overrides the theme's assets (a site's static/ is published at the root).
    let static_dir = site.path().join("static/static");
    std::fs::create_dir_all(&static_dir).unwrap();
    std::fs::write(
        static_dir.join("style.css"),
        format!("{css}\nbody {{ background-color: rgb(1, 2, 3) !important; }}\n"),
    )
    .unwrap();
    browser.wait_true(
        "the new stylesheet",
        "getComputedStyle(document.body).backgroundColor === 'rgb(1, 2, 3)'",
    );
    assert_eq!(
        browser.eval("window.__kept"),
        Some(json!(2)),
        "a stylesheet change should not reload the page"
    );

    // A broken front matter: the overlay names the file; fixing it clears the overlay.
    let bad = site
        .path()
        .join("content/2026-11-24/001_badbadbadbadbad1.txt");
    std::fs::write(
        &bad,
        "---\ntitle: Harbour Fees\nsorce: x\n---\nFees rise.\n",
    )
    .unwrap();
    browser.wait_true(
        "the error overlay",
        "(document.getElementById('newsdigest-overlay') || {innerText: ''}).innerText \
         .includes('content/2026-11-24/001_badbadbadbadbad1.txt:3')",
    );
    std::fs::write(
        &bad,
        "---\ntitle: Harbour Fees\nsource: x\n---\nFees rise.\n",
    )
    .unwrap();
    browser.wait_true(
        "the overlay to clear and the article to show",
        "!document.getElementById('newsdigest-overlay') \
         && document.body.innerText.includes('Harbour Fees')",
    );
    drop(browser);
    assert!(server.stop().success());
}
