//! The HTTP/1.1 server of the preview, over `httparse`: bounded request
//! heads, no bodies, idle timeouts, a deadline for each request head and
//! each response, a capped number of connections where a new one displaces
//! the connection that has waited longest for a request (so slow or idle
//! clients cannot lock the preview), and `resolve_request_path`, which never
//! turns a URL into a file-system path.

use std::io::{Read, Write};
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use percent_encoding::percent_decode_str;

use super::{MAX_CONNECTIONS, Shared, Snapshot, live};

/// The largest request head (request line and headers) read; larger → 431.
pub const MAX_HEAD: usize = 16 * 1024;
/// The longest request target accepted; longer → 414.
pub const MAX_URL: usize = 4096;
/// How long a connection may stay silent: before a request starts (idle
/// keep-alive), and between two reads of a head or two writes of a response.
const IDLE_TIMEOUT: Duration = Duration::from_secs(5);
/// How long a whole request head may take from its first byte (a client
/// trickling a byte now and then is cut off: 408).
pub const HEAD_DEADLINE: Duration = Duration::from_secs(10);
/// How long writing one response may take in all.
const RESPONSE_DEADLINE: Duration = Duration::from_secs(60);

/// A connection of the preview that is waiting for a request head: it may
/// be displaced when all `MAX_CONNECTIONS` are taken.
pub(super) struct Waiting {
    id: u64,
    since: Instant,
    stream: TcpStream,
}

impl Shared {
    /// Marks connection `id` as waiting for a request (`stream` is a handle
    /// to shut it down with).
    fn waiting(&self, id: u64, stream: &TcpStream) {
        if let Ok(handle) = stream.try_clone() {
            self.waiting.lock().unwrap_or_else(|e| e.into_inner()).push(Waiting { id, since: Instant::now(), stream: handle });
        }
    }

    /// Connection `id` is serving a request, or closed.
    fn not_waiting(&self, id: u64) {
        self.waiting.lock().unwrap_or_else(|e| e.into_inner()).retain(|w| w.id != id);
    }

    /// Shuts down the connection that has waited longest for a request, to
    /// make room for a new one. False when every connection is busy
    /// answering a request.
    fn displace_oldest_waiting(&self) -> bool {
        let mut waiting = self.waiting.lock().unwrap_or_else(|e| e.into_inner());
        let Some(oldest) = waiting.iter().enumerate().min_by_key(|(_, w)| w.since).map(|(i, _)| i) else { return false };
        let w = waiting.swap_remove(oldest);
        let _ = w.stream.shutdown(std::net::Shutdown::Both);
        true
    }
}

/// Maps a request target to a key of the built site (`index.html`,
/// `router/reset.html`, `_fixbook/style.css`), or `None` when it must be
/// answered 404: not an origin-form path, invalid percent-encoding or UTF-8,
/// `.`/`..` segments (also encoded: `%2e%2e`, `..%2f`), empty segments,
/// absolute or drive paths, backslashes, NUL or other control characters.
/// Query and fragment are ignored; a path ending in `/` means its `index.html`.
pub fn resolve_request_path(url: &str) -> Option<String> {
    if url.len() > MAX_URL {
        return None;
    }
    let path = url.split(['?', '#']).next().unwrap_or("");
    // Only origin-form targets (`/a/b`); absolute-form (`http://h/a`),
    // authority-form and `*` are not for a static preview.
    if !path.starts_with('/') {
        return None;
    }
    let decoded = percent_decode_str(path).decode_utf8().ok()?;
    let rel = decoded.strip_prefix('/')?;
    if rel.starts_with('/') || decoded.chars().any(|c| c.is_control() || c == '\\') {
        return None;
    }
    let wants_index = rel.is_empty() || rel.ends_with('/');
    let trimmed = rel.strip_suffix('/').unwrap_or(rel);
    let mut segments = Vec::new();
    if !trimmed.is_empty() {
        for (i, segment) in trimmed.split('/').enumerate() {
            let drive = i == 0 && segment.len() == 2 && segment.as_bytes()[0].is_ascii_alphabetic() && segment.ends_with(':');
            if segment.is_empty() || segment == "." || segment == ".." || drive {
                return None;
            }
            segments.push(segment);
        }
    }
    if wants_index {
        segments.push("index.html");
    }
    Some(segments.join("/"))
}

/// Content type for a served key, by extension. Text types say UTF-8.
pub fn content_type(key: &str) -> &'static str {
    let ext = key.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "xml" => "application/xml",
        "txt" | "md" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        "wasm" => "application/wasm",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

/// Binds `bind:port`, or the next free port after it when it is busy
/// (port 0 lets the system choose). Returns the listener and, when the
/// asked-for port was busy, that port.
pub fn bind(bind: IpAddr, port: u16) -> std::io::Result<(TcpListener, Option<u16>)> {
    let mut last_err = None;
    for offset in 0..50u16 {
        let Some(p) = port.checked_add(offset) else { break };
        match TcpListener::bind(SocketAddr::new(bind, p)) {
            Ok(listener) => return Ok((listener, (offset > 0).then_some(port))),
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse && port != 0 => last_err = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last_err.unwrap_or_else(|| std::io::Error::new(std::io::ErrorKind::AddrInUse, "no free port")))
}

pub(super) fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    let bound = listener.local_addr().map_or(IpAddr::from([127, 0, 0, 1]), |a| a.ip());
    let mut next_id = 0u64;
    for stream in listener.incoming() {
        let Ok(mut stream) = stream else { continue };
        // At the cap, a connection that only waits (idle, or a head trickling
        // in) gives way: slow clients cannot lock out the person previewing.
        if shared.connections.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS && !shared.displace_oldest_waiting() {
            shared.connections.fetch_sub(1, Ordering::SeqCst);
            let _ = stream.set_write_timeout(Some(Duration::from_secs(1)));
            let _ = respond(&mut stream, &Head::simple(503, "text/plain; charset=utf-8", false), b"server busy\n", false);
            continue;
        }
        next_id += 1;
        let id = next_id;
        let shared2 = shared.clone();
        let spawned = std::thread::Builder::new().name("fixbook-conn".into()).spawn(move || {
            handle_connection(&shared2, stream, bound, id);
            shared2.not_waiting(id);
            shared2.connections.fetch_sub(1, Ordering::SeqCst);
        });
        if spawned.is_err() {
            shared.connections.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

/// A response's status line and headers.
pub(super) struct Head {
    status: u16,
    content_type: &'static str,
    keep_alive: bool,
    location: Option<String>,
}

impl Head {
    pub(super) fn simple(status: u16, content_type: &'static str, keep_alive: bool) -> Head {
        Head { status, content_type, keep_alive, location: None }
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        413 => "Content Too Large",
        414 => "URI Too Long",
        421 => "Misdirected Request",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "",
    }
}

pub(super) fn respond(stream: &mut TcpStream, head: &Head, body: &[u8], head_only: bool) -> std::io::Result<()> {
    let mut out = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: {}\r\n",
        head.status,
        reason(head.status),
        head.content_type,
        body.len(),
        if head.keep_alive { "keep-alive" } else { "close" }
    );
    if head.status == 405 {
        out.push_str("Allow: GET, HEAD\r\n");
    }
    if let Some(location) = &head.location {
        out.push_str(&format!("Location: {location}\r\n"));
    }
    out.push_str("\r\n");
    let mut bytes = out.into_bytes();
    if !head_only {
        bytes.extend_from_slice(body);
    }
    write_all_by(stream, &bytes, Instant::now() + RESPONSE_DEADLINE)
}

/// `write_all` that gives up at `deadline` (a client reading a byte now and
/// then cannot hold a connection for ever), and after `IDLE_TIMEOUT` without
/// progress.
fn write_all_by(stream: &mut TcpStream, mut bytes: &[u8], deadline: Instant) -> std::io::Result<()> {
    while !bytes.is_empty() {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(std::io::ErrorKind::TimedOut.into());
        }
        stream.set_write_timeout(Some(left.min(IDLE_TIMEOUT)))?;
        match stream.write(bytes) {
            Ok(0) => return Err(std::io::ErrorKind::WriteZero.into()),
            Ok(n) => bytes = &bytes[n..],
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    stream.flush()
}

/// Serves requests on one connection until it closes, idles out, or turns
/// into an event stream.
fn handle_connection(shared: &Shared, mut stream: TcpStream, bound: IpAddr, id: u64) {
    let _ = stream.set_read_timeout(Some(IDLE_TIMEOUT));
    let _ = stream.set_write_timeout(Some(IDLE_TIMEOUT));
    let _ = stream.set_nodelay(true);
    let mut buf: Vec<u8> = Vec::with_capacity(2048);
    loop {
        shared.waiting(id, &stream);
        let head = read_head(&mut stream, &mut buf);
        shared.not_waiting(id);
        let request = match head {
            Ok(Some(r)) => r,
            Ok(None) => return,
            Err(status) => {
                let _ = respond(&mut stream, &Head::simple(status, "text/plain; charset=utf-8", false), reason(status).as_bytes(), false);
                return;
            }
        };
        let keep_alive = request.keep_alive;
        if let Some(host) = &request.host
            && !host_allowed(host, bound)
        {
            let body = "this preview answers to localhost only (start it with --bind to serve other names)\n";
            let _ = respond(&mut stream, &Head::simple(421, "text/plain; charset=utf-8", false), body.as_bytes(), false);
            return;
        }
        match answer(shared, &request) {
            Answer::Events { page, token } => {
                live::start_event_stream(shared, stream, page, token);
                return;
            }
            Answer::Response { mut head, body } => {
                head.keep_alive = keep_alive && head.status < 400;
                if respond(&mut stream, &head, &body, request.head_only).is_err() || !head.keep_alive {
                    return;
                }
            }
        }
    }
}

/// A parsed request: only what a static preview needs.
struct Request {
    method: String,
    target: String,
    head_only: bool,
    keep_alive: bool,
    has_body: bool,
    /// The `Host` header, as sent.
    host: Option<String>,
}

/// Is `host` (a `Host` header: name or address, optional port) this
/// preview? On a loopback bind only loopback names are (`localhost`,
/// `*.localhost`, `127.0.0.0/8`, `[::1]`): a page of another site whose name
/// was rebound to 127.0.0.1 sends its own name and is refused. A bind to
/// another address (`--bind`) was asked for, and any name may lead there.
pub fn host_allowed(host: &str, bound: IpAddr) -> bool {
    if !bound.is_loopback() {
        return true;
    }
    let host = host.trim().to_ascii_lowercase();
    let name = if let Some(rest) = host.strip_prefix('[') {
        match rest.split_once(']') {
            Some((v6, port)) if port.is_empty() || port.strip_prefix(':').is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())) => {
                return v6.parse::<std::net::Ipv6Addr>().is_ok_and(|ip| ip.is_loopback());
            }
            _ => return false,
        }
    } else {
        match host.rsplit_once(':') {
            Some((name, port)) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => name.to_string(),
            Some(_) => return false,
            None => host,
        }
    };
    let name = name.strip_suffix('.').unwrap_or(&name);
    name == "localhost"
        || name.ends_with(".localhost")
        || name.parse::<std::net::Ipv4Addr>().is_ok_and(|ip| ip.is_loopback())
        || name.parse::<IpAddr>().is_ok_and(|ip| ip == bound)
}

/// Reads one request head (at most `MAX_HEAD` bytes, within `HEAD_DEADLINE`
/// of its first byte). `Ok(None)` when the peer closed or idled out before
/// sending anything; `Err(status)` to refuse.
fn read_head(stream: &mut TcpStream, buf: &mut Vec<u8>) -> Result<Option<Request>, u16> {
    let mut chunk = [0u8; 4096];
    // Bytes of the next request may have come with the previous one.
    let mut deadline = (!buf.is_empty()).then(|| Instant::now() + HEAD_DEADLINE);
    loop {
        if !buf.is_empty() {
            let mut headers = [httparse::EMPTY_HEADER; 64];
            let mut parsed = httparse::Request::new(&mut headers);
            match parsed.parse(buf) {
                Ok(httparse::Status::Complete(len)) => {
                    let method = parsed.method.unwrap_or("").to_string();
                    let target = parsed.path.unwrap_or("").to_string();
                    let version = parsed.version.unwrap_or(0);
                    let header = |name: &str| {
                        parsed.headers.iter().find(|h| h.name.eq_ignore_ascii_case(name)).map(|h| String::from_utf8_lossy(h.value).trim().to_ascii_lowercase())
                    };
                    let connection = header("connection").unwrap_or_default();
                    let keep_alive = if version == 0 { connection == "keep-alive" } else { connection != "close" };
                    let all = |name: &str| -> Vec<String> {
                        parsed
                            .headers
                            .iter()
                            .filter(|h| h.name.eq_ignore_ascii_case(name))
                            .map(|h| String::from_utf8_lossy(h.value).trim().to_string())
                            .collect()
                    };
                    // RFC 9112, 6.3: lengths that disagree or are not numbers, or a
                    // length beside Transfer-Encoding, make the message length unknowable.
                    let lengths: Vec<String> =
                        all("content-length").into_iter().flat_map(|v| v.split(',').map(|p| p.trim().to_string()).collect::<Vec<_>>()).collect();
                    let chunked = header("transfer-encoding").is_some();
                    if lengths.iter().any(|l| l.is_empty() || !l.bytes().all(|b| b.is_ascii_digit()))
                        || lengths.windows(2).any(|w| w[0] != w[1])
                        || (chunked && !lengths.is_empty())
                    {
                        return Err(400);
                    }
                    // RFC 9112, 3.2: exactly one Host in HTTP/1.1 (none is fine in 1.0).
                    let hosts = all("host");
                    if hosts.len() > 1 || (version == 1 && hosts.is_empty()) {
                        return Err(400);
                    }
                    let has_body = chunked || lengths.first().is_some_and(|l| !l.trim_start_matches('0').is_empty());
                    buf.drain(..len);
                    let host = hosts.into_iter().next();
                    return Ok(Some(Request { head_only: method == "HEAD", method, target, keep_alive, has_body, host }));
                }
                Ok(httparse::Status::Partial) => {}
                Err(httparse::Error::TooManyHeaders) => return Err(431),
                Err(_) => return Err(400),
            }
        }
        if buf.len() >= MAX_HEAD {
            return Err(431);
        }
        let want = chunk.len().min(MAX_HEAD - buf.len());
        let timeout = match deadline {
            None => IDLE_TIMEOUT,
            Some(deadline) => match deadline.saturating_duration_since(Instant::now()) {
                left if left.is_zero() => return Err(408),
                left => left.min(IDLE_TIMEOUT),
            },
        };
        let _ = stream.set_read_timeout(Some(timeout));
        match stream.read(&mut chunk[..want]) {
            Ok(0) => return if buf.is_empty() { Ok(None) } else { Err(400) },
            Ok(n) => {
                buf.extend_from_slice(&chunk[..n]);
                deadline.get_or_insert_with(|| Instant::now() + HEAD_DEADLINE);
            }
            Err(_) if buf.is_empty() => return Ok(None),
            Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => return Err(408),
            Err(_) => return Err(400),
        }
    }
}

enum Answer {
    Response { head: Head, body: Vec<u8> },
    Events { page: String, token: String },
}

fn plain(status: u16, text: &str) -> Answer {
    Answer::Response { head: Head::simple(status, "text/plain; charset=utf-8", true), body: text.as_bytes().to_vec() }
}

/// Decides the answer to one request. Pure apart from reading an asset file.
fn answer(shared: &Shared, request: &Request) -> Answer {
    if request.method != "GET" && request.method != "HEAD" {
        return plain(405, "only GET and HEAD\n");
    }
    if request.has_body {
        return plain(413, "requests with a body are not accepted\n");
    }
    if request.target.len() > MAX_URL {
        return plain(414, "URL too long\n");
    }
    let path = request.target.split(['?', '#']).next().unwrap_or("");
    if path == "/__fixbook/live.js" {
        return Answer::Response { head: Head::simple(200, "text/javascript; charset=utf-8", true), body: live::LIVE_JS.as_bytes().to_vec() };
    }
    if path == "/__fixbook/events" {
        let query = request.target.split_once('?').map_or("", |(_, q)| q);
        let param = |name: &str| {
            query
                .split('&')
                .filter_map(|kv| kv.split_once('='))
                .find(|(k, _)| *k == name)
                .and_then(|(_, v)| percent_decode_str(&v.replace('+', " ")).decode_utf8().ok().map(|s| s.into_owned()))
                .unwrap_or_default()
        };
        return Answer::Events { page: param("page"), token: param("token") };
    }
    let snapshot = shared.current();
    let Some(key) = resolve_request_path(&request.target) else {
        return not_found(&snapshot);
    };
    if let Some(bytes) = snapshot.files.get(&key) {
        return page_answer(&snapshot, &key, bytes, 200);
    }
    if let Some(asset) = snapshot.assets.get(&key) {
        return match crate::source::loader::read_asset(asset) {
            Ok(bytes) => Answer::Response { head: Head::simple(200, content_type(&key), true), body: bytes },
            Err(_) => not_found(&snapshot),
        };
    }
    // `/router` is the folder `router/`: redirect so relative links resolve.
    let index = format!("{key}/index.html");
    if !key.ends_with("index.html") && snapshot.files.contains_key(&index) {
        let location = format!("{path}/");
        return Answer::Response {
            head: Head { status: 301, content_type: "text/plain; charset=utf-8", keep_alive: true, location: Some(location) },
            body: Vec::new(),
        };
    }
    if snapshot.files.is_empty() && key.ends_with(".html") {
        // Nothing was ever built: show the errors on any page asked for.
        let page = b"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>fixbook: the guide has errors</title></head><body></body></html>";
        return page_answer(&snapshot, &key, page, 503);
    }
    not_found(&snapshot)
}

fn page_answer(snapshot: &Snapshot, key: &str, bytes: &[u8], status: u16) -> Answer {
    let content_type = content_type(key);
    let body =
        if content_type.starts_with("text/html") { live::inject(bytes, key, &snapshot.page_token(key), snapshot.errors.as_deref()) } else { bytes.to_vec() };
    Answer::Response { head: Head::simple(status, content_type, true), body }
}

fn not_found(snapshot: &Snapshot) -> Answer {
    match snapshot.files.get("404.html") {
        Some(bytes) => page_answer(snapshot, "404.html", bytes, 404),
        None => plain(404, "not found\n"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_paths_map_to_keys() {
        assert_eq!(resolve_request_path("/").as_deref(), Some("index.html"));
        assert_eq!(resolve_request_path("/router/").as_deref(), Some("router/index.html"));
        assert_eq!(resolve_request_path("/router/reset.html?x=1#y").as_deref(), Some("router/reset.html"));
        assert_eq!(resolve_request_path("/caf%C3%A9%20au%20lait.html").as_deref(), Some("café au lait.html"));
        assert_eq!(resolve_request_path("/a%2Fb.html").as_deref(), Some("a/b.html"));
    }

    #[test]
    fn traversal_and_absolute_paths_are_refused() {
        for url in [
            "/../etc/passwd",
            "/a/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2E%2E/%2E%2E/etc/passwd",
            "/..%2fetc/passwd",
            "/..%2Fetc%2Fpasswd",
            "/a/%2e%2e%2f%2e%2e%2fetc",
            "/./index.html",
            "//etc/passwd",
            "/%2f%2fetc/passwd",
            "/%2Fetc/passwd",
            "http://example.com/index.html",
            "etc/passwd",
            "/C:/Windows/win.ini",
            "/c:%5cwindows",
            "/..\\..\\etc",
            "/a%5c..%5cb",
            "/index.html%00.css",
            "/a\0b",
            "/a//b.html",
            "/%ff%fe.html",
            "/%0d%0aSet-Cookie:x",
            "*",
            "",
        ] {
            assert_eq!(resolve_request_path(url), None, "{url:?}");
        }
        assert_eq!(resolve_request_path(&format!("/{}", "a".repeat(MAX_URL))), None);
    }

    #[test]
    fn double_encoding_stays_a_literal_name() {
        // `%252e%252e` decodes once to the literal text `%2e%2e`: a name, not `..`.
        assert_eq!(resolve_request_path("/%252e%252e/x").as_deref(), Some("%2e%2e/x"));
    }

    #[test]
    fn only_loopback_names_reach_a_loopback_preview() {
        let lo = IpAddr::from([127, 0, 0, 1]);
        for ok in ["localhost", "localhost:8000", "LOCALHOST.", "docs.localhost:1", "127.0.0.1:8000", "127.1.2.3", "[::1]:8000", "[::1]"] {
            assert!(host_allowed(ok, lo), "{ok}");
        }
        for bad in ["evil.example", "localhost.evil.example", "127.0.0.1.nip.io", "[::2]:80", "localhost:", "localhost:80x", "[::1", "10.0.0.5", ""] {
            assert!(!host_allowed(bad, lo), "{bad}");
        }
        // `--bind 0.0.0.0` (or a LAN address) asks for other names.
        assert!(host_allowed("my-laptop.lan:8000", IpAddr::from([0, 0, 0, 0])));
    }

    #[test]
    fn content_types_cover_the_site() {
        assert_eq!(content_type("a/b.HTML"), "text/html; charset=utf-8");
        assert_eq!(content_type("_fixbook/style.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("img/x.svg"), "image/svg+xml");
        assert_eq!(content_type("noext"), "application/octet-stream");
    }
}
