//! The preview server's edges, over a real socket: names too long for any file system, `Host`
//! headers that are doubled or carry user info, and a client that sends half a request.

use crate::common::server::*;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

#[test]
fn a_path_segment_longer_than_any_file_name_is_not_found() {
    let site = small_site();
    let server = Server::start(site.path(), &[]);
    let long = "a".repeat(300);
    for path in [
        format!("/{long}"),
        format!("/{long}/"),
        format!("/static/{long}.css"),
        // 300 bytes once decoded: the limit is on the name, not on its spelling.
        format!("/{}", "%C3%A9".repeat(150)),
    ] {
        let r = server.raw(&format!("GET {path} HTTP/1.1"), &[]);
        assert_eq!(r.status, 404, "{path}: {}", r.text());
        assert!(r.text().contains("</html>"), "{path}: the 404 page");
    }
    // 255 bytes is still a name: an ordinary miss.
    let r = server.raw(&format!("GET /{} HTTP/1.1", "b".repeat(255)), &[]);
    assert_eq!(r.status, 404);
}

#[test]
fn doubled_or_disguised_host_headers_are_bad_requests() {
    let site = small_site();
    let server = Server::start(site.path(), &[]);
    for hosts in [
        &["Host: localhost", "Host: evil.com"][..],
        &["Host: evil.com", "Host: localhost"],
        &["Host: localhost", "Host: localhost"],
        &["Host: localhost:80@evil.com"],
        &["Host: evil.com@localhost"],
        &["Host: localhost:1111:2222"],
    ] {
        let r = server.raw("GET / HTTP/1.1", hosts);
        assert_eq!(r.status, 400, "{hosts:?}: {}", r.text());
        assert!(!r.text().contains("Preview Test"), "{hosts:?}: no page");
    }
    let ok = server.raw("GET / HTTP/1.1", &["Host: localhost"]);
    assert_eq!(ok.status, 200);
}

#[test]
fn a_half_sent_request_is_closed_after_the_header_timeout() {
    let site = small_site();
    let server = Server::start(site.path(), &["--header-timeout", "300"]);
    let mut s = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    // Far longer than the server's timeout: a server without one leaves this read hanging
    // until it fails with a timeout error instead of ending.
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    s.write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: te")
        .unwrap();
    let mut buf = Vec::new();
    let end = s.read_to_end(&mut buf);
    assert!(
        end.is_ok()
            || end
                .as_ref()
                .is_err_and(|e| e.kind() == std::io::ErrorKind::ConnectionReset),
        "the server kept the half-sent request open: {end:?}"
    );
    assert!(
        !String::from_utf8_lossy(&buf).contains("Preview Test"),
        "no page for half a request"
    );
    // Whole requests are served as before.
    assert_eq!(server.get("/").status, 200);
}
