//! Headless Chromium for the ignored browser tests (`search_browser.rs`,
//! `accessibility_browser.rs`): a minimal static server for a built site and a DevTools
//! protocol client (a WebSocket; the `tungstenite` dev-dependency). Without Chromium a test
//! fails naming the install command.

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const INSTALL: &str = "sudo apt-get install -y chromium";
pub const TIMEOUT: Duration = Duration::from_secs(30);

pub fn find_chromium() -> PathBuf {
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
pub fn serve(root: PathBuf) -> u16 {
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
pub struct Browser {
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
    pub fn start() -> Browser {
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
    pub fn call(&mut self, method: &str, params: Value) -> Value {
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

    pub fn eval(&mut self, expression: &str) -> Value {
        let r = self.call(
            "Runtime.evaluate",
            json!({ "expression": expression, "returnByValue": true }),
        );
        r["result"]["value"].clone()
    }

    /// Polls `expression` until `done` accepts its value; fails after the timeout.
    pub fn wait_for(
        &mut self,
        what: &str,
        expression: &str,
        done: impl Fn(&Value) -> bool,
    ) -> Value {
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

    /// Types `text` into the focused element, one key at a time.
    pub fn type_text(&mut self, text: &str) {
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

    /// Opens `url` and waits until the page has loaded.
    pub fn open(&mut self, url: &str) {
        self.call("Page.navigate", json!({ "url": url }));
        self.wait_for(
            &format!("{url} to load"),
            "document.readyState === 'complete' && location.href",
            |v| {
                v.as_str()
                    .is_some_and(|h| h.starts_with(url.split('#').next().unwrap_or(url)))
            },
        );
    }

    /// Emulates a viewport `width` CSS pixels wide (and `height` tall) and the light or dark
    /// colour scheme, as a phone or desktop browser with that preference would show the page.
    pub fn emulate(&mut self, width: u32, height: u32, dark: bool) {
        self.call(
            "Emulation.setDeviceMetricsOverride",
            json!({ "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600 }),
        );
        self.call(
            "Emulation.setEmulatedMedia",
            json!({ "features": [{ "name": "prefers-color-scheme", "value": if dark { "dark" } else { "light" } }] }),
        );
    }

    /// PNGs of the whole page, as laid out now, top to bottom in slices at most `slice`
    /// CSS pixels tall (small enough to look at one by one).
    pub fn screenshots(&mut self, slice: u32) -> Vec<Vec<u8>> {
        let size = self
            .eval("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]");
        let dim = |i: usize| size[i].as_u64().unwrap_or(0) as u32;
        let (width, height) = (dim(0), dim(1));
        (0..height.div_ceil(slice.max(1)))
            .map(|i| {
                let y = i * slice;
                let clip = json!({ "x": 0, "y": y, "width": width, "height": slice.min(height - y), "scale": 1 });
                let r = self.call(
                    "Page.captureScreenshot",
                    json!({ "format": "png", "captureBeyondViewport": true, "clip": clip }),
                );
                base64_decode(r["data"].as_str().unwrap_or_default())
            })
            .collect()
    }

    /// Evaluates `expression`, which returns a promise, and returns what it resolves to.
    pub fn eval_async(&mut self, expression: &str) -> Value {
        let r = self.call(
            "Runtime.evaluate",
            json!({ "expression": expression, "returnByValue": true, "awaitPromise": true }),
        );
        assert!(r.get("exceptionDetails").is_none(), "{expression}: {r}");
        r["result"]["value"].clone()
    }
}

/// Standard base64 (what DevTools sends screenshots in).
fn base64_decode(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    };
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0);
    for v in text.bytes().filter_map(value) {
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}
