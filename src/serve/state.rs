//! What the preview server knows between builds: the status of the last build (for the error
//! overlay and `/__newsdigest/status`), the channel that carries live-reload events to open
//! tabs, the lock that keeps requests from seeing a half-swapped folder, and the shutdown flag.
//!
//! The builder thread writes here; HTTP handlers only read. Nothing in this module builds or
//! serves.

use crate::build::BuildError;
use crate::config::ConfigError;
use crate::report::{BuildReport, Diagnostic, Severity};
use serde::Serialize;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use tokio::sync::{broadcast, watch};

/// One problem shown in the browser overlay: the file (when known), the line, the message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    pub message: String,
}

impl Problem {
    pub fn from_diagnostic(d: &Diagnostic) -> Problem {
        let mut message = d.message.clone();
        if let Some(b) = d.byte {
            message.push_str(&format!(" (at byte {b})"));
        }
        Problem {
            path: Some(d.path.display().to_string()),
            line: d.line,
            message,
        }
    }

    /// A build that produced no site: a bad `site.yaml`, a broken template, a missing content
    /// folder. The message already names the file where the library knows it.
    pub fn from_build_error(e: &BuildError) -> Problem {
        match e {
            BuildError::Content(d) => Problem::from_diagnostic(d),
            other => Problem {
                path: None,
                line: None,
                message: other.to_string(),
            },
        }
    }

    pub fn from_config_error(e: &ConfigError) -> Problem {
        Problem {
            path: Some(e.path.display().to_string()),
            line: e.line,
            message: e.message.clone(),
        }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(p) = &self.path {
            write!(f, "{p}")?;
            if let Some(l) = self.line {
                write!(f, ":{l}")?;
            }
            write!(f, ": ")?;
        }
        write!(f, "{}", self.message)
    }
}

/// The state of the preview after the latest build, as the overlay and the tests see it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Status {
    /// Changes on every server start, so an open tab reloads when the server is restarted.
    pub server: String,
    /// How many builds have run (the first build is 1).
    pub build: u64,
    /// The build did not produce a site: the folder still holds the previous one (if any).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fatal: Option<Problem>,
    /// Files that could not be built; the rest of the site is up to date.
    pub errors: Vec<Problem>,
    pub warnings: usize,
    pub articles: usize,
    pub pages: usize,
    /// How many changed source paths (content, theme, templates, site.yaml) this build took in.
    pub trigger_paths: usize,
    /// How many files of the served folder this build added, changed or removed.
    pub changed_files: usize,
    /// The library build alone (configuration and build).
    pub build_ms: u64,
    /// The whole rebuild: the build, then finding which served files changed.
    pub duration_ms: u64,
    /// Whether the folder holds a site at all (false until a first build succeeds).
    pub has_site: bool,
}

impl Status {
    /// The status after a build that wrote a site.
    pub fn built(report: &BuildReport) -> Status {
        Status {
            errors: report
                .diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .map(Problem::from_diagnostic)
                .collect(),
            warnings: report.warnings,
            articles: report.articles,
            pages: report.pages,
            has_site: true,
            ..Status::default()
        }
    }
}

/// An event for the open tabs.
#[derive(Debug, Clone)]
pub enum LiveEvent {
    /// The latest status: shows or clears the overlay.
    Status(Arc<Status>),
    /// These files of the site changed (paths relative to the site root, `/`-separated);
    /// `all` when the list was too long to send.
    Changed {
        build: u64,
        files: Arc<Vec<String>>,
        all: bool,
    },
}

/// Shared between the builder thread and the HTTP handlers.
pub struct Shared {
    /// The folder the site is built into and served from.
    pub site_dir: PathBuf,
    /// Requests hold it for reading while they open a file; a build holds it for writing, so
    /// no request sees the folder between the two renames of the staging swap.
    pub build_lock: tokio::sync::RwLock<()>,
    status: RwLock<Arc<Status>>,
    events: broadcast::Sender<LiveEvent>,
    shutdown: watch::Sender<bool>,
}

impl Shared {
    pub fn new(site_dir: PathBuf, server: String) -> Shared {
        let (events, _) = broadcast::channel(64);
        let (shutdown, _) = watch::channel(false);
        Shared {
            site_dir,
            build_lock: tokio::sync::RwLock::new(()),
            status: RwLock::new(Arc::new(Status {
                server,
                ..Status::default()
            })),
            events,
            shutdown,
        }
    }

    pub fn status(&self) -> Arc<Status> {
        match self.status.read() {
            Ok(s) => s.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Records a new status (keeping the server id) and tells the open tabs.
    pub fn set_status(&self, mut status: Status) -> Arc<Status> {
        let mut slot = match self.status.write() {
            Ok(s) => s,
            Err(poisoned) => poisoned.into_inner(),
        };
        status.server = slot.server.clone();
        let status = Arc::new(status);
        *slot = status.clone();
        drop(slot);
        // No receiver (no open tab) is not an error.
        let _ = self.events.send(LiveEvent::Status(status.clone()));
        status
    }

    pub fn send(&self, event: LiveEvent) {
        let _ = self.events.send(event);
    }

    pub fn subscribe(&self) -> broadcast::Receiver<LiveEvent> {
        self.events.subscribe()
    }

    pub fn shutdown(&self) {
        self.shutdown.send_replace(true);
    }

    pub fn shutdown_signal(&self) -> watch::Receiver<bool> {
        self.shutdown.subscribe()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problem_names_file_and_line() {
        let d = Diagnostic::error("content/a.txt", "unknown key `titel`").at_line(3);
        let p = Problem::from_diagnostic(&d);
        assert_eq!(p.to_string(), "content/a.txt:3: unknown key `titel`");
        let d = Diagnostic::warning("b.txt", "lossy").at_byte(9);
        assert_eq!(
            Problem::from_diagnostic(&d).to_string(),
            "b.txt: lossy (at byte 9)"
        );
    }

    #[test]
    fn status_keeps_server_id_and_reaches_subscribers() {
        let shared = Shared::new("site".into(), "abc".into());
        let mut rx = shared.subscribe();
        let s = shared.set_status(Status {
            build: 2,
            ..Status::default()
        });
        assert_eq!(s.server, "abc");
        match rx.try_recv().unwrap() {
            LiveEvent::Status(s) => assert_eq!(s.build, 2),
            other => panic!("{other:?}"),
        }
        assert_eq!(shared.status().build, 2);
    }
}
