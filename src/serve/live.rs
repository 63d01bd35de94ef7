//! Live reload: the script `serve` adds to every page it serves (never to
//! `fixbook build` output), the error overlay, and the Server-Sent Events
//! stream that tells a page to reload when what it shows changed.

use std::io::Write;
use std::net::TcpStream;
use std::time::{Duration, Instant};

use super::{MAX_CONNECTIONS, Shared};

/// How often open event streams get a comment, so dead ones are noticed.
pub(super) const HEARTBEAT: Duration = Duration::from_secs(15);
/// How long an event stream is kept open; then it is closed and the page's
/// `EventSource` reconnects (with the same token: it reloads only if its
/// page changed). A peer that went away without a word is gone by then.
pub const STREAM_LIFETIME: Duration = Duration::from_secs(10 * 60);
/// URLs under this prefix belong to the server, not to the guide.
const SERVER_PREFIX: &str = "/__fixbook/";

pub(super) const LIVE_JS: &str = include_str!("live.js");

/// Adds the live-reload script (and the error overlay, when the latest build
/// failed) before `</body>` of a served HTML page. Only `serve` does this;
/// `fixbook build` output never contains it.
pub fn inject(html: &[u8], key: &str, token: &str, errors: Option<&str>) -> Vec<u8> {
    let mut snippet = String::new();
    if let Some(errors) = errors {
        snippet.push_str(
            "<div id=\"fixbook-serve-overlay\" role=\"alert\"><p><strong>fixbook: the guide has errors</strong> \
             (this is the last good build; fix the file and this page reloads)</p><pre>",
        );
        snippet.push_str(&crate::escape::html(errors));
        snippet.push_str("</pre></div>");
    }
    snippet.push_str(&format!(
        "<script src=\"{SERVER_PREFIX}live.js\" data-page=\"{}\" data-token=\"{}\"></script>",
        crate::escape::html(key),
        crate::escape::html(token)
    ));
    let at = find_ascii_ci_last(html, b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + snippet.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(snippet.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn find_ascii_ci_last(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if haystack.len() < needle.len() {
        return None;
    }
    (0..=haystack.len() - needle.len()).rev().find(|&i| haystack[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

/// An open `EventSource` and the page (and version of it) it watches.
pub(super) struct Client {
    page: String,
    token: String,
    /// Non-blocking: a peer that stopped reading fills its buffer, a write
    /// would block, and the stream is dropped instead of stalling the others.
    stream: TcpStream,
    opened: Instant,
}

impl Shared {
    /// Tells each open page to reload when what it shows changed (or always,
    /// when `everything` — a stylesheet, asset or theme file changed).
    /// Returns how many pages were told.
    pub(super) fn notify(&self, everything: bool) -> usize {
        let snapshot = self.current();
        let mut clients = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        let mut told = 0;
        clients.retain_mut(|client| {
            let token = snapshot.page_token(&client.page);
            if !everything && token == client.token {
                return true;
            }
            told += 1;
            // The page reconnects after reloading; this stream is done.
            let _ = write!(client.stream, "event: reload\ndata: {}\n\n", snapshot.generation).and_then(|_| client.stream.flush());
            false
        });
        told
    }

    /// Pings every stream; drops those that stopped reading or are older
    /// than `STREAM_LIFETIME`.
    pub(super) fn heartbeat(&self) {
        let mut clients = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        clients.retain_mut(|c| c.opened.elapsed() < STREAM_LIFETIME && c.stream.write_all(b": ping\n\n").and_then(|_| c.stream.flush()).is_ok());
    }
}

/// Answers `/__fixbook/events`: a Server-Sent Events stream that gets
/// `event: reload` when the page it names changes. A page that is already
/// out of date (it changed while loading, or the server restarted) is told
/// at once.
pub(super) fn start_event_stream(shared: &Shared, mut stream: TcpStream, page: String, token: String) {
    let _ = stream.set_write_timeout(Some(Duration::from_secs(2)));
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: keep-alive\r\n\r\nretry: 1000\n\n";
    if stream.write_all(head.as_bytes()).is_err() {
        return;
    }
    // Register and compare under the clients lock, so a rebuild published
    // in between cannot be missed.
    let mut clients = shared.clients.lock().unwrap_or_else(|e| e.into_inner());
    if clients.len() >= MAX_CONNECTIONS {
        // Far more open pages than a person has: the oldest stream gives way
        // (its page reconnects), so streams that never read cannot lock out
        // the page just opened.
        let oldest = clients.iter().enumerate().min_by_key(|(_, c)| c.opened).map(|(i, _)| i);
        if let Some(oldest) = oldest {
            clients.swap_remove(oldest);
        }
    }
    let snapshot = shared.current();
    let current = snapshot.page_token(&page);
    if current != token {
        let _ = write!(stream, "event: reload\ndata: {}\n\n", snapshot.generation);
        let _ = stream.flush();
        return;
    }
    if write!(stream, "event: ready\ndata: {}\n\n", snapshot.generation).and_then(|_| stream.flush()).is_ok() && stream.set_nonblocking(true).is_ok() {
        clients.push(Client { page, token, stream, opened: Instant::now() });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_goes_before_the_last_body_close_tag() {
        let out = inject(b"<html><body><p>x</p></BODY></html>", "a.html", "t1", None);
        let out = String::from_utf8(out).unwrap();
        assert!(out.starts_with("<html><body><p>x</p><script src=\"/__fixbook/live.js\" data-page=\"a.html\" data-token=\"t1\"></script></BODY>"), "{out}");
        let bare = String::from_utf8(inject(b"plain", "k", "t", None)).unwrap();
        assert!(bare.starts_with("plain<script"), "{bare}");
    }

    #[test]
    fn overlay_text_and_page_key_are_escaped() {
        let out = inject(b"<body></body>", "a\"b<.html", "t", Some("bad <script>alert(1)</script> & \"q\""));
        let out = String::from_utf8(out).unwrap();
        assert!(out.contains("bad &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;q&quot;"), "{out}");
        assert!(out.contains("data-page=\"a&quot;b&lt;.html\""), "{out}");
        assert!(!out.contains("<script>alert"), "{out}");
    }
}
