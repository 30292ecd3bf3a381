//! `check --external`: asks each external URL whether it still exists, politely. Off by
//! default and never used by the tests (they run without a network).
//!
//! Polite means: one request at a time per host with a pause between them, a few hosts at
//! once, `HEAD` first (falling back to `GET` only where a server refuses `HEAD`), a timeout,
//! a cap on the number of URLs, and a User-Agent that says who is asking.
//!
//! Links to the names reserved for examples and tests (RFC 2606 and RFC 6761: the `.example`,
//! `.test`, `.invalid` and `.localhost` top-level domains, `example.com`, `example.net` and
//! `example.org`) cannot point at a real page: they are reported as not checkable and never
//! looked up, so no DNS query leaves the machine for them.

use std::collections::{BTreeMap, VecDeque};
use std::sync::Mutex;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct ExternalOptions {
    /// At most this many distinct URLs are checked; the rest are reported as skipped.
    pub limit: usize,
    /// Per request, connection and body included.
    pub timeout: Duration,
    /// Pause between two requests to the same host.
    pub per_host_interval: Duration,
    /// Hosts checked at the same time.
    pub concurrency: usize,
}

impl Default for ExternalOptions {
    fn default() -> Self {
        ExternalOptions {
            limit: 500,
            timeout: Duration::from_secs(10),
            per_host_interval: Duration::from_millis(1000),
            concurrency: 4,
        }
    }
}

/// The answer for one URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Final status after redirects (2xx).
    Ok(u16),
    /// An HTTP error status (4xx, 5xx).
    Status(u16),
    /// No answer: DNS, TLS, timeout, too many redirects.
    Failed(String),
    /// Over the `limit`.
    Skipped,
    /// A reserved example or test domain: not checkable, and not asked.
    Reserved,
}

/// The host name of an absolute URL: lowercased, without user info, port, brackets or a
/// trailing dot, so `http://u@News.Example.:80/` gives `news.example`.
pub fn host_name(url: &str) -> String {
    let authority = host_of(url);
    let host = authority
        .rsplit_once('@')
        .map_or(authority.as_str(), |(_, h)| h);
    let host = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => host.split(':').next().unwrap_or_default(),
    };
    host.trim_end_matches('.').to_string()
}

/// Whether `host` is reserved for examples and tests (see the module documentation).
pub fn is_reserved(host: &str) -> bool {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let under = |domain: &str| host == domain || host.ends_with(&format!(".{domain}"));
    ["example", "test", "invalid", "localhost"]
        .iter()
        .chain(&["example.com", "example.net", "example.org"])
        .any(|d| under(d))
}

/// The host part of an absolute URL, lowercased, for grouping.
pub fn host_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    rest[..end].to_ascii_lowercase()
}

/// Groups URLs by host, keeping at most `limit` URLs overall (in sorted order, so the same
/// site always checks the same ones). Returns the groups and the URLs left out.
pub fn plan(urls: &[String], limit: usize) -> (Vec<(String, Vec<String>)>, Vec<String>) {
    let mut sorted: Vec<&String> = urls.iter().collect();
    sorted.sort();
    sorted.dedup();
    let (take, skip) = sorted.split_at(limit.min(sorted.len()));
    let mut by_host: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for u in take {
        by_host.entry(host_of(u)).or_default().push((*u).clone());
    }
    (
        by_host.into_iter().collect(),
        skip.iter().map(|s| (*s).clone()).collect(),
    )
}

/// Checks `urls` over the network. Returns one outcome per distinct URL.
pub fn check(urls: &[String], opts: &ExternalOptions) -> BTreeMap<String, Outcome> {
    let (reserved, checkable): (Vec<String>, Vec<String>) = urls
        .iter()
        .cloned()
        .partition(|u| is_reserved(&host_name(u)));
    let (groups, skipped) = plan(&checkable, opts.limit);
    let mut results: BTreeMap<String, Outcome> =
        skipped.into_iter().map(|u| (u, Outcome::Skipped)).collect();
    results.extend(reserved.into_iter().map(|u| (u, Outcome::Reserved)));
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(opts.timeout))
        .max_redirects(5)
        .http_status_as_error(false)
        .user_agent(concat!(
            "newsdigest-check/",
            env!("CARGO_PKG_VERSION"),
            " (link checker; one request per host at a time)"
        ))
        .build()
        .into();
    let queue = Mutex::new(VecDeque::from(groups));
    let out = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..opts.concurrency.max(1) {
            s.spawn(|| {
                loop {
                    let next = queue.lock().ok().and_then(|mut q| q.pop_front());
                    let Some((_, urls)) = next else { break };
                    for (i, url) in urls.iter().enumerate() {
                        if i > 0 {
                            std::thread::sleep(opts.per_host_interval);
                        }
                        let outcome = probe(&agent, url);
                        if let Ok(mut o) = out.lock() {
                            o.push((url.clone(), outcome));
                        }
                    }
                }
            });
        }
    });
    results.extend(out.into_inner().unwrap_or_default());
    results
}

fn probe(agent: &ureq::Agent, url: &str) -> Outcome {
    let status = |r: Result<ureq::http::Response<ureq::Body>, ureq::Error>| match r {
        Ok(resp) => Ok(resp.status().as_u16()),
        Err(e) => Err(e.to_string()),
    };
    let first = status(agent.head(url).call());
    // Some servers refuse HEAD (405, 501) or answer it wrongly (403/404 for HEAD only).
    let answer = match first {
        Ok(403 | 404 | 405 | 501) => status(agent.get(url).call()),
        other => other,
    };
    match answer {
        Ok(code) if code < 400 => Outcome::Ok(code),
        Ok(code) => Outcome::Status(code),
        Err(e) => Outcome::Failed(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_by_host_within_the_limit() {
        let urls: Vec<String> = [
            "https://b.org/2",
            "https://A.org/1",
            "https://b.org/1",
            "https://b.org/1",
            "https://c.org:8080/x",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let (groups, skipped) = plan(&urls, 3);
        assert_eq!(
            groups,
            [
                ("a.org".to_string(), vec!["https://A.org/1".to_string()]),
                (
                    "b.org".to_string(),
                    vec!["https://b.org/1".to_string(), "https://b.org/2".to_string()]
                ),
            ]
        );
        assert_eq!(skipped, ["https://c.org:8080/x"]);
        assert_eq!(host_of("https://x.org?q"), "x.org");
    }

    #[test]
    fn reserved_example_domains_are_not_checkable() {
        for host in [
            "news.example",
            "a.b.test",
            "x.invalid",
            "localhost",
            "app.localhost",
            "example.com",
            "www.example.net",
            "EXAMPLE.org.",
        ] {
            assert!(is_reserved(host), "{host}");
        }
        for host in [
            "example.co",
            "myexample.com",
            "test.com",
            "invalid.org",
            "examples",
        ] {
            assert!(!is_reserved(host), "{host}");
        }
        assert_eq!(host_name("http://u:p@News.Example.:80/a?b"), "news.example");
        assert_eq!(host_name("http://[::1]:8080/"), "::1");
    }

    #[test]
    fn reserved_domains_are_answered_without_any_request() {
        let urls: Vec<String> = [
            "https://news.example/a",
            "http://shop.test/",
            "https://x.invalid/",
            "http://app.localhost:8080/",
            "https://www.example.com/page",
            "https://example.org/",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        // Were any of these asked, the attempt (a DNS lookup or a connection) would end as
        // `Failed` (there is no network in the tests) or `Ok`: never `Reserved`. A zero limit
        // would skip any URL that reached the planner.
        let opts = ExternalOptions {
            limit: 0,
            timeout: Duration::from_millis(200),
            per_host_interval: Duration::ZERO,
            concurrency: 1,
        };
        let results = check(&urls, &opts);
        assert_eq!(results.len(), urls.len());
        for u in &urls {
            assert_eq!(results.get(u), Some(&Outcome::Reserved), "{u}");
        }
    }
}
