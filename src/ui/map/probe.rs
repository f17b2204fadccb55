//! Why a tile server gives no tiles: one plain request made by hand, after walkers' own
//! downloads failed (walkers logs its errors and keeps none), so that the map's note can
//! say "the server tile.openstreetmap.org could not be found" instead of nothing.
//!
//! Runs on a background thread: a name lookup, a TCP connection and, for `http://`
//! servers, one GET whose status line is read. `https://` servers are only connected to
//! (no TLS here): when that works the reason is that no tile arrived in time.

use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

/// The parts of a URL the probe needs.
#[derive(Debug, PartialEq, Eq)]
struct Target {
    https: bool,
    host: String,
    port: u16,
    path: String,
}

fn parse(url: &str) -> Result<Target, String> {
    let (scheme, rest) = url
        .split_once("://")
        .ok_or_else(|| format!("“{url}” is not a web address"))?;
    let https = match scheme.to_ascii_lowercase().as_str() {
        "https" => true,
        "http" => false,
        other => return Err(format!("“{other}://” addresses are not supported")),
    };
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let authority = authority.rsplit('@').next().unwrap_or(authority);
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) if !h.is_empty() && !p.contains(']') => (
            h,
            p.parse::<u16>()
                .map_err(|_| format!("“{p}” is not a port number"))?,
        ),
        _ => (authority, if https { 443 } else { 80 }),
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if host.is_empty() {
        return Err(format!("“{url}” names no server"));
    }
    Ok(Target {
        https,
        host: host.to_string(),
        port,
        path: path.to_string(),
    })
}

/// Why `url` (one tile's address) gives no tile, in a few words for the map's note:
/// "the server tiles.example.org could not be found", "127.0.0.1:8080 refused the
/// connection", "the server answered 404 Not Found".
pub fn reason(url: &str, timeout: Duration) -> String {
    let t = match parse(url) {
        Ok(t) => t,
        Err(e) => return e,
    };
    let addrs: Vec<_> = match (t.host.as_str(), t.port).to_socket_addrs() {
        Ok(a) => a.collect(),
        Err(_) => return format!("the server {} could not be found", t.host),
    };
    let Some(addr) = addrs.first() else {
        return format!("the server {} could not be found", t.host);
    };
    let mut stream = match TcpStream::connect_timeout(addr, timeout) {
        Ok(s) => s,
        Err(e) => {
            use std::io::ErrorKind as K;
            return match e.kind() {
                K::ConnectionRefused => {
                    format!("{}:{} refused the connection", t.host, t.port)
                }
                K::TimedOut | K::WouldBlock => format!("no answer from {}", t.host),
                K::NetworkUnreachable | K::HostUnreachable => "no network".to_string(),
                _ => format!("cannot connect to {}: {e}", t.host),
            };
        }
    };
    if t.https {
        return format!("no tile arrived from {} in time", t.host);
    }
    let _ = stream.set_read_timeout(Some(timeout));
    let _ = stream.set_write_timeout(Some(timeout));
    let request = format!(
        "GET {} HTTP/1.1\r\nHost: {}\r\nUser-Agent: {}\r\nConnection: close\r\n\r\n",
        t.path,
        t.host,
        super::tiles::user_agent()
    );
    if stream.write_all(request.as_bytes()).is_err() {
        return format!("{} closed the connection", t.host);
    }
    let mut head = Vec::new();
    let mut buf = [0u8; 512];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 16 * 1024 {
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => head.extend_from_slice(buf.get(..n).unwrap_or_default()),
            Err(_) => return format!("no answer from {}", t.host),
        }
    }
    let head = String::from_utf8_lossy(&head);
    let mut lines = head.lines();
    let status = lines.next().unwrap_or_default();
    let mut parts = status.splitn(3, ' ');
    let (Some(_), Some(code)) = (parts.next(), parts.next()) else {
        return format!("{} sent no HTTP answer", t.host);
    };
    let text = parts.next().unwrap_or_default().trim();
    if !code.starts_with('2') {
        return format!("the server answered {code} {text}")
            .trim_end()
            .to_string();
    }
    let content_type = lines
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.trim().eq_ignore_ascii_case("content-type"))
        .map(|(_, v)| v.trim().to_string());
    match content_type {
        Some(ct) if !ct.starts_with("image/") => {
            format!("the server sent {ct}, not images")
        }
        _ => "the server's tiles could not be read as images".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;

    #[test]
    fn urls_split_into_host_port_and_path() {
        assert_eq!(
            parse("https://a.tile.example.org/3/1/2.png"),
            Ok(Target {
                https: true,
                host: "a.tile.example.org".into(),
                port: 443,
                path: "/3/1/2.png".into()
            })
        );
        let t = parse("http://127.0.0.1:8080/0/0/0.png").unwrap();
        assert_eq!(
            (t.host.as_str(), t.port, t.https),
            ("127.0.0.1", 8080, false)
        );
        assert!(parse("ftp://x/1").is_err());
        assert!(parse("not a url").is_err());
        assert!(parse("http://host:99999/").is_err());
    }

    #[test]
    fn a_closed_port_is_refused() -> Result<(), Box<dyn std::error::Error>> {
        let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
        let r = reason(
            &format!("http://127.0.0.1:{port}/0/0/0.png"),
            Duration::from_secs(2),
        );
        assert_eq!(r, format!("127.0.0.1:{port} refused the connection"));
        Ok(())
    }

    #[test]
    fn an_error_status_is_reported() -> Result<(), Box<dyn std::error::Error>> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let port = listener.local_addr()?.port();
        let server = std::thread::spawn(move || {
            if let Ok((mut s, _)) = listener.accept() {
                let mut buf = [0u8; 1024];
                let _ = s.read(&mut buf);
                let _ = s.write_all(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n");
            }
        });
        let r = reason(
            &format!("http://127.0.0.1:{port}/0/0/0.png"),
            Duration::from_secs(2),
        );
        let _ = server.join();
        assert_eq!(r, "the server answered 403 Forbidden");
        Ok(())
    }

    #[test]
    fn an_unknown_host_is_not_found() {
        // `.invalid` never resolves (RFC 2606).
        let r = reason(
            "https://tiles.example.invalid/0/0/0.png",
            Duration::from_secs(2),
        );
        assert_eq!(r, "the server tiles.example.invalid could not be found");
    }
}
