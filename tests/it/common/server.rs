//! A running `newsdigest serve` for the tests: starts the real binary on a free loopback port,
//! reads its address and preview folder from stderr, talks to it over real HTTP (ureq, or raw
//! bytes on a socket where the exact request matters), listens to its live-reload events, and
//! stops it with SIGINT like Ctrl-C does.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Generous: CI runs debug builds on two shared cores.
pub const TIMEOUT: Duration = Duration::from_secs(60);

/// Polls `f` until it returns `Some`, panicking with `what` (and the server log) after `timeout`.
pub fn wait_for<T>(what: &str, timeout: Duration, mut f: impl FnMut() -> Option<T>) -> T {
    let start = Instant::now();
    loop {
        if let Some(v) = f() {
            return v;
        }
        if start.elapsed() > timeout {
            panic!("timed out after {timeout:?} waiting for {what}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

pub struct Server {
    child: Option<Child>,
    pub base: String,
    pub port: u16,
    pub preview_dir: PathBuf,
    log: Arc<Mutex<String>>,
    agent: ureq::Agent,
}

pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

impl Server {
    /// Starts `newsdigest serve --root ROOT --port 0 --verbose EXTRA…` and waits until it
    /// answers.
    pub fn start(root: &Path, extra: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_newsdigest"))
            .args(["serve", "--root"])
            .arg(root)
            .args(["--port", "0", "--verbose"])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start newsdigest serve");
        let stderr = child.stderr.take().unwrap();
        let log = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = channel();
        {
            let log = log.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                    log.lock().unwrap().push_str(&format!("{line}\n"));
                    let _ = tx.send(line);
                }
            });
        }
        let mut base = None;
        let mut preview = None;
        let start = Instant::now();
        while base.is_none() || preview.is_none() {
            let left = TIMEOUT.saturating_sub(start.elapsed());
            match rx.recv_timeout(left) {
                Ok(line) => {
                    if let Some(url) = line.strip_prefix("Serving ") {
                        base = Some(url.trim().trim_end_matches('/').to_string());
                    }
                    if let Some(rest) = line.strip_prefix("Preview folder: ") {
                        preview = rest.split(" (removed on exit)").next().map(PathBuf::from);
                    }
                }
                Err(_) => {
                    let _ = child.kill();
                    panic!("serve did not start:\n{}", log.lock().unwrap().as_str());
                }
            }
        }
        let base = base.unwrap();
        let port = base.rsplit(':').next().unwrap().parse().unwrap();
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_global(Some(Duration::from_secs(30)))
            .build()
            .into();
        Server {
            child: Some(child),
            base,
            port,
            preview_dir: preview.unwrap(),
            log,
            agent,
        }
    }

    pub fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn get(&self, path: &str) -> Reply {
        self.get_with(path, &[])
    }

    pub fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Reply {
        let mut req = self.agent.get(&self.url(path));
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let mut res = req.call().unwrap_or_else(|e| panic!("GET {path}: {e}"));
        let status = res.status().as_u16();
        let headers = res
            .headers()
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string()))
            .collect();
        let body = res.body_mut().read_to_vec().unwrap_or_default();
        Reply {
            status,
            headers,
            body,
        }
    }

    /// Sends `request_line` and `headers` verbatim on a fresh connection and reads the whole
    /// reply (the request asks the server to close). For paths a client library would clean.
    pub fn raw(&self, request_line: &str, headers: &[&str]) -> Reply {
        raw_request(self.port, request_line, headers)
    }

    /// The server's `/__newsdigest/status`.
    pub fn status(&self) -> serde_json::Value {
        let r = self.get("/__newsdigest/status");
        assert_eq!(r.status, 200);
        serde_json::from_slice(&r.body).unwrap()
    }

    /// Waits for a build after `after` (a build number) and returns its status.
    pub fn wait_build_after(&self, after: u64) -> serde_json::Value {
        wait_for("a rebuild", TIMEOUT, || {
            let s = self.status();
            (s["build"].as_u64().unwrap() > after).then_some(s)
        })
    }

    /// Subscribes to the live-reload events: `(event, data)` pairs, in order.
    pub fn events(&self) -> Receiver<(String, serde_json::Value)> {
        let (tx, rx) = channel();
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        let url = self.url("/__newsdigest/events");
        let res = agent.get(&url).call().expect("connect to events");
        assert_eq!(res.status().as_u16(), 200);
        assert!(
            res.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/event-stream")
        );
        let reader = BufReader::new(res.into_body().into_reader());
        std::thread::spawn(move || {
            let mut event = String::new();
            let mut data = String::new();
            for line in reader.lines().map_while(Result::ok) {
                if let Some(e) = line.strip_prefix("event:") {
                    event = e.trim().to_string();
                } else if let Some(d) = line.strip_prefix("data:") {
                    data.push_str(d.trim_start());
                } else if line.is_empty() && !data.is_empty() {
                    let v = serde_json::from_str(&data).unwrap_or(serde_json::Value::Null);
                    if tx.send((std::mem::take(&mut event), v)).is_err() {
                        return;
                    }
                    data.clear();
                }
            }
        });
        rx
    }

    /// Ctrl-C: sends SIGINT and waits for the process to exit.
    pub fn stop(mut self) -> ExitStatus {
        let mut child = self.child.take().unwrap();
        let ok = Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status()
            .unwrap()
            .success();
        assert!(ok, "kill -INT failed");
        wait_for("serve to exit after SIGINT", TIMEOUT, || {
            child.try_wait().unwrap()
        })
    }
}

impl Drop for Server {
    /// A test that failed half-way still stops its server the clean way (so the preview
    /// folder is removed), and kills it only if that does not work.
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = Command::new("kill")
                .args(["-INT", &c.id().to_string()])
                .status();
            let start = Instant::now();
            while start.elapsed() < Duration::from_secs(10) {
                if let Ok(Some(_)) = c.try_wait() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

/// One raw HTTP/1.1 exchange on 127.0.0.1:`port`.
pub fn raw_request(port: u16, request_line: &str, headers: &[&str]) -> Reply {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut req = format!("{request_line}\r\nConnection: close\r\n");
    if !headers
        .iter()
        .any(|h| h.to_ascii_lowercase().starts_with("host:"))
    {
        req.push_str(&format!("Host: 127.0.0.1:{port}\r\n"));
    }
    for h in headers {
        req.push_str(h);
        req.push_str("\r\n");
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).unwrap();
    let split = buf
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or_else(|| panic!("no header end in {:?}", String::from_utf8_lossy(&buf)));
    let head = String::from_utf8_lossy(&buf[..split]).into_owned();
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap();
    let status = status_line.split(' ').nth(1).unwrap().parse().unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    Reply {
        status,
        headers,
        body: buf[split + 4..].to_vec(),
    }
}

/// A small site in a temp folder: `site.yaml` and one day of the bundled sample dumps.
pub fn small_site() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    std::fs::write(root.join("site.yaml"), "title: Preview Test\n").unwrap();
    let day = root.join("content/2026-11-20");
    std::fs::create_dir_all(&day).unwrap();
    let src = super::repo_root().join("content/2026-11-20");
    for e in std::fs::read_dir(&src).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), day.join(e.file_name())).unwrap();
    }
    tmp
}

/// The bundled sample site (content/ and site.yaml) copied into a temp folder.
pub fn sample_site() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let root = super::repo_root();
    std::fs::copy(root.join("site.yaml"), tmp.path().join("site.yaml")).unwrap();
    copy_dir(&root.join("content"), &tmp.path().join("content"));
    tmp
}

pub fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from) {
        let e = e.unwrap();
        let target = to.join(e.path().strip_prefix(from).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

/// A dump with a title line, for a new article on `day`.
pub fn write_dump(root: &Path, day: &str, name: &str, title: &str) -> PathBuf {
    let dir = root.join("content").join(day);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(
        &path,
        // The body names the story, so that two test stories are never one duplicate story.
        format!(
            "{title}\n\nThe council met on Tuesday to discuss {title}, at length.\n\
             Residents were invited to comment on {title} before the end of the month.\n"
        ),
    )
    .unwrap();
    path
}
