//! `fixbook serve` end to end: the real binary on a free loopback port, driven
//! over hand-written HTTP/1.1 with bounded timeouts. Edits reach the browser
//! (new content and a reload event), errors show as an escaped overlay over
//! the last good site and clear when fixed, and traversal gets 404.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const TIMEOUT: Duration = Duration::from_secs(15);

fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_fixbook"))
}

/// A starter guide made by `fixbook init` in a fresh temporary folder.
fn starter_guide() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let guide = tmp.path().join("guide");
    let status = Command::new(bin()).arg("init").arg(&guide).stderr(Stdio::null()).status().unwrap();
    assert!(status.success());
    (tmp, guide)
}

/// A running `fixbook serve`; killed when dropped.
struct Server {
    child: Child,
    addr: SocketAddr,
    stderr: mpsc::Receiver<String>,
    seen: std::cell::RefCell<String>,
    stdout_first: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn start(guide: &Path, port: u16) -> Server {
        Server::start_with(guide, port, &[])
    }

    fn start_with(guide: &Path, port: u16, args: &[&str]) -> Server {
        let mut child = Command::new(bin())
            .args(["serve", "--port", &port.to_string()])
            .args(args)
            .arg(guide)
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let stderr = child.stderr.take().unwrap();
        let (line_tx, line_rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut first = String::new();
            let mut reader = BufReader::new(stdout);
            let _ = reader.read_line(&mut first);
            let _ = line_tx.send(first);
            let _ = std::io::copy(&mut reader, &mut std::io::sink());
        });
        let (err_tx, err_rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if err_tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut server = Server { child, addr: "127.0.0.1:1".parse().unwrap(), stderr: err_rx, seen: Default::default(), stdout_first: String::new() };
        let first = line_rx.recv_timeout(TIMEOUT).expect("serve printed its address");
        // "serving DIR at http://127.0.0.1:PORT/ (Ctrl+C to stop)"
        let url = first.split("http://").nth(1).and_then(|rest| rest.split('/').next()).unwrap_or_else(|| panic!("no URL in {first:?}"));
        server.addr = url.parse().unwrap();
        assert!(server.addr.ip().is_loopback(), "{first}");
        server.stdout_first = first;
        server
    }

    fn get(&self, target: &str) -> Response {
        request(self.addr, &format!("GET {target} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"))
    }

    /// Everything the server printed on stderr so far.
    fn log(&self) -> String {
        let mut seen = self.seen.borrow_mut();
        for line in self.stderr.try_iter() {
            seen.push_str(&line);
            seen.push('\n');
        }
        seen.clone()
    }
}

struct Response {
    status: u16,
    headers: String,
    body: Vec<u8>,
}

impl Response {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends raw request bytes and reads the whole answer (the server closes).
fn request(addr: SocketAddr, raw: &str) -> Response {
    let mut stream = TcpStream::connect_timeout(&addr, TIMEOUT).unwrap();
    stream.set_read_timeout(Some(TIMEOUT)).unwrap();
    stream.set_write_timeout(Some(TIMEOUT)).unwrap();
    stream.write_all(raw.as_bytes()).unwrap();
    let mut bytes = Vec::new();
    let _ = stream.read_to_end(&mut bytes);
    parse_response(&bytes)
}

fn parse_response(bytes: &[u8]) -> Response {
    let split = bytes.windows(4).position(|w| w == b"\r\n\r\n").unwrap_or_else(|| panic!("no head in {:?}", String::from_utf8_lossy(bytes)));
    let headers = String::from_utf8_lossy(&bytes[..split]).into_owned();
    let status = headers.split(' ').nth(1).unwrap().parse().unwrap();
    Response { status, headers, body: bytes[split + 4..].to_vec() }
}

fn header<'a>(headers: &'a str, name: &str) -> Option<&'a str> {
    headers.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

fn token_of(html: &str) -> String {
    let start = html.find("data-token=\"").expect("live reload script injected") + "data-token=\"".len();
    html[start..start + html[start..].find('"').unwrap()].to_string()
}

/// An open `EventSource`-like connection.
struct Events {
    reader: BufReader<TcpStream>,
}

impl Events {
    fn open(addr: SocketAddr, page: &str, token: &str) -> Events {
        let mut stream = TcpStream::connect_timeout(&addr, TIMEOUT).unwrap();
        stream.set_read_timeout(Some(TIMEOUT)).unwrap();
        write!(stream, "GET /__fixbook/events?page={page}&token={token} HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n").unwrap();
        let mut events = Events { reader: BufReader::new(stream) };
        let head = events.read_until_blank();
        assert!(head.starts_with("HTTP/1.1 200"), "{head}");
        assert!(head.to_ascii_lowercase().contains("content-type: text/event-stream"), "{head}");
        events
    }

    /// Lines up to the next blank line, and whether the stream ended.
    fn read_block(&mut self) -> (String, bool) {
        let mut out = String::new();
        loop {
            let mut line = String::new();
            let n = self.reader.read_line(&mut line).expect("event stream read within the timeout");
            if n == 0 {
                return (out, true);
            }
            if line.trim_end_matches(['\r', '\n']).is_empty() {
                return (out, false);
            }
            out.push_str(&line);
        }
    }

    fn read_until_blank(&mut self) -> String {
        self.read_block().0
    }

    /// The name of the next event (comments and `retry:` skipped).
    fn next_event(&mut self) -> String {
        loop {
            let (block, ended) = self.read_block();
            if let Some(name) = block.lines().find_map(|l| l.strip_prefix("event: ")) {
                return name.to_string();
            }
            assert!(!ended, "event stream closed without an event");
        }
    }
}

/// Polls `f` until it returns `Some`, for at most `TIMEOUT`.
fn eventually<T>(what: &str, mut f: impl FnMut() -> Option<T>) -> T {
    let start = Instant::now();
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(start.elapsed() < TIMEOUT, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(25));
    }
}

fn title_of(html: &str) -> &str {
    let start = html.find("<title>").unwrap() + 7;
    &html[start..start + html[start..].find("</title>").unwrap()]
}

#[test]
fn an_edit_is_served_and_the_open_page_is_told_to_reload() {
    let (_tmp, guide) = starter_guide();
    let server = Server::start(&guide, 0);
    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(header(&home.headers, "content-type"), Some("text/html; charset=utf-8"));
    assert!(home.text().contains("<script src=\"/__fixbook/live.js\" data-page=\"index.html\""), "{}", home.text());

    let page = server.get("/restart-router.html");
    assert_eq!(page.status, 200);
    assert!(title_of(&page.text()).starts_with("Restart the router the right way"));
    let mut events = Events::open(server.addr, "restart-router.html", &token_of(&page.text()));
    assert_eq!(events.next_event(), "ready");

    let file = guide.join("restart-router.md");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("title: Restart the router the right way", "title: Power-cycle the router")).unwrap();

    assert_eq!(events.next_event(), "reload");
    let page = server.get("/restart-router.html");
    assert!(title_of(&page.text()).starts_with("Power-cycle the router"), "{}", title_of(&page.text()));
    // The script is not served stale: it is the one the binary embeds.
    let js = server.get("/__fixbook/live.js");
    assert_eq!(js.status, 200);
    assert!(js.text().contains("EventSource"));
    // The edited page was shown first on its own, then the whole site followed.
    let log = eventually("the full rebuild", || Some(server.log()).filter(|l| l.contains("rebuilt in")));
    assert!(log.contains("updated restart-router.md in"), "{log}");
    assert!(log.find("updated restart-router.md").unwrap() < log.find("rebuilt in").unwrap(), "{log}");
}

#[test]
fn a_page_that_did_not_change_is_not_reloaded() {
    let (_tmp, guide) = starter_guide();
    let server = Server::start(&guide, 0);
    let page = server.get("/wifi/interference.html");
    let mut events = Events::open(server.addr, "wifi/interference.html", &token_of(&page.text()));
    assert_eq!(events.next_event(), "ready");
    // Edit only the other section's body text; interference.html's own bytes stay the same.
    let file = guide.join("restart-router.md");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("clears its memory", "clears its working memory")).unwrap();
    eventually("the rebuild", || server.get("/restart-router.html").text().contains("working memory").then_some(()));
    let again = server.get("/wifi/interference.html");
    assert_eq!(again.text(), page.text(), "the edit was expected to leave this page as it was");
    // Nothing arrives on its stream: a short read times out.
    events.reader.get_ref().set_read_timeout(Some(Duration::from_millis(400))).unwrap();
    let mut line = String::new();
    let got = events.reader.read_line(&mut line);
    assert!(got.is_err() || line.starts_with(':'), "unexpected event for an unchanged page: {line:?}");
    // The page that did change was told.
    let other = server.get("/restart-router.html");
    assert!(other.text().contains("working memory"));
}

#[test]
fn errors_show_as_an_escaped_overlay_over_the_last_good_site_and_clear_when_fixed() {
    let (_tmp, guide) = starter_guide();
    let server = Server::start(&guide, 0);
    let page = server.get("/wifi/interference.html");
    assert!(!page.text().contains("fixbook-serve-overlay"));
    let mut events = Events::open(server.addr, "wifi/interference.html", &token_of(&page.text()));
    assert_eq!(events.next_event(), "ready");

    let file = guide.join("wifi/interference.md");
    let good = std::fs::read_to_string(&file).unwrap();
    let broken = good.replace("symptoms: [wifi-keeps-dropping]", "symptoms: [wifi-keeps-droping, \"<script>alert(1)</script>\"]");
    assert_ne!(good, broken);
    std::fs::write(&file, &broken).unwrap();
    assert_eq!(events.next_event(), "reload");

    let shown = eventually("the overlay", || {
        let text = server.get("/wifi/interference.html").text();
        text.contains("fixbook-serve-overlay").then_some(text)
    });
    // The same diagnostic `check` prints, escaped.
    assert!(shown.contains("error[unknown-symptom]: wifi/interference.md:5:12: unknown symptom `wifi-keeps-droping`"), "{shown}");
    assert!(shown.contains("help: did you mean `wifi-keeps-dropping`?"), "{shown}");
    assert!(shown.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "{shown}");
    assert!(!shown.contains("<script>alert(1)"), "{shown}");
    // The last good page is still served under the overlay.
    assert!(title_of(&shown).starts_with("Move the router away from interference"));
    // Every page shows it, not only the broken one.
    assert!(server.get("/").text().contains("fixbook-serve-overlay"));
    let check = Command::new(bin()).arg("check").arg(&guide).env("NO_COLOR", "1").output().unwrap();
    let check_out = String::from_utf8_lossy(&check.stderr);
    let first_line = check_out.lines().next().unwrap();
    assert!(shown.contains(first_line), "overlay differs from check: {first_line}");

    let mut events = Events::open(server.addr, "wifi/interference.html", &token_of(&shown));
    assert_eq!(events.next_event(), "ready");
    std::fs::write(&file, &good).unwrap();
    assert_eq!(events.next_event(), "reload");
    let fixed = server.get("/wifi/interference.html").text();
    assert!(!fixed.contains("fixbook-serve-overlay"), "{fixed}");
    assert!(server.log().contains("still serving the last good build"));
}

#[test]
fn a_guide_that_never_built_shows_its_errors_on_every_page() {
    let (_tmp, guide) = starter_guide();
    std::fs::write(guide.join("guide.toml"), "titel = \"x\"\n").unwrap();
    let server = Server::start(&guide, 0);
    let home = server.get("/");
    assert_eq!(home.status, 503);
    let text = home.text();
    assert!(text.contains("unknown key `titel` in guide.toml"), "{text}");
    assert!(text.contains("did you mean `title`?"), "{text}");
    let mut events = Events::open(server.addr, "index.html", &token_of(&text));
    assert_eq!(events.next_event(), "ready");
    std::fs::write(guide.join("guide.toml"), "title = \"Fixed\"\n").unwrap();
    assert_eq!(events.next_event(), "reload");
    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert!(!home.text().contains("fixbook-serve-overlay"));
}

#[test]
fn traversal_and_odd_requests_are_refused() {
    let (tmp, guide) = starter_guide();
    std::fs::write(tmp.path().join("secret.txt"), "TOP SECRET").unwrap();
    std::fs::write(guide.join("photo.png"), b"\x89PNG fake").unwrap();
    let server = Server::start(&guide, 0);
    for target in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E%2Fsecret.txt",
        "/..%2fsecret.txt",
        "/wifi/../../secret.txt",
        "/wifi/%2e%2e/%2e%2e/secret.txt",
        "//etc/passwd",
        "/%2Fetc%2Fpasswd",
        "/etc/passwd",
        "/..\\secret.txt",
        "/index.html%00.png",
        "/restart-router.md",
        "/guide.toml",
    ] {
        let r = server.get(target);
        assert_eq!(r.status, 404, "{target}");
        assert!(!r.text().contains("TOP SECRET") && !r.text().contains("root:"), "{target}");
    }
    for raw in [
        "GET http://localhost/../secret.txt HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
        "GET ../secret.txt HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
    ] {
        let r = request(server.addr, raw);
        assert_eq!(r.status, 404, "{raw}");
    }
    // An asset of the guide is served, with its type.
    let png = server.get("/photo.png");
    assert_eq!(png.status, 200);
    assert_eq!(header(&png.headers, "content-type"), Some("image/png"));
    assert_eq!(png.body, b"\x89PNG fake");
    // Methods, bodies and oversized heads.
    assert_eq!(request(server.addr, "POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").status, 405);
    assert_eq!(request(server.addr, "GET / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello").status, 413);
    let huge = format!("GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: {}\r\n\r\n", "a".repeat(64 * 1024));
    let mut stream = TcpStream::connect(server.addr).unwrap();
    stream.set_read_timeout(Some(TIMEOUT)).unwrap();
    let _ = stream.write_all(huge.as_bytes());
    let mut bytes = Vec::new();
    let _ = stream.read_to_end(&mut bytes);
    assert!(String::from_utf8_lossy(&bytes).starts_with("HTTP/1.1 431"), "{:?}", String::from_utf8_lossy(&bytes[..bytes.len().min(80)]));
    let long = format!("/{}", "a".repeat(5000));
    assert_eq!(server.get(&long).status, 414);
    // DNS rebinding: a page of another site that resolves its name to 127.0.0.1
    // sends its own Host. Only loopback names and the bound address are this preview.
    for host in ["evil.example", "evil.example:8080", "127.0.0.1.evil.example", "localhost.evil.example"] {
        let r = request(server.addr, &format!("GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"));
        assert_eq!(r.status, 421, "{host}");
    }
    let port = server.addr.port();
    for host in [
        "localhost".to_string(),
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        "LocalHost".to_string(),
        "app.localhost".to_string(),
        format!("[::1]:{port}"),
    ] {
        let r = request(server.addr, &format!("GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"));
        assert_eq!(r.status, 200, "{host}");
    }
    assert_eq!(request(server.addr, "GET / HTTP/1.1\r\nConnection: close\r\n\r\n").status, 400, "HTTP/1.1 needs a Host");
    assert_eq!(request(server.addr, "GET / HTTP/1.1\r\nHost: localhost\r\nHost: evil.example\r\nConnection: close\r\n\r\n").status, 400, "two Hosts");
    // Conflicting or malformed lengths are refused (RFC 9112, 6.3), and so is a length beside chunked.
    for lengths in ["Content-Length: 0\r\nContent-Length: 5", "Content-Length: 0, 5", "Content-Length: -1", "Content-Length: 0\r\nTransfer-Encoding: chunked"] {
        let r = request(server.addr, &format!("GET / HTTP/1.1\r\nHost: localhost\r\n{lengths}\r\nConnection: close\r\n\r\n"));
        assert_eq!(r.status, 400, "{lengths}");
    }
    // HEAD answers without a body; the server still works after all of the above.
    let head = request(server.addr, "HEAD / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert!(header(&head.headers, "content-length").unwrap().parse::<usize>().unwrap() > 0);
}

#[test]
fn a_busy_port_moves_to_the_next_free_one_and_says_so() {
    let (_tmp, guide) = starter_guide();
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let server = Server::start(&guide, port);
    assert_ne!(server.addr.port(), port, "{}", server.stdout_first);
    assert_eq!(server.get("/").status, 200);
    let log = eventually("the busy-port message", || {
        let log = server.log();
        log.contains("is busy").then_some(log)
    });
    assert!(log.contains(&format!("port {port} is busy; using port {} instead", server.addr.port())), "{log}");
}

#[test]
fn concurrent_requests_during_rebuilds_always_get_a_whole_page() {
    let (_tmp, guide) = starter_guide();
    let server = Server::start(&guide, 0);
    let addr = server.addr;
    let file = guide.join("restart-router.md");
    let original = std::fs::read_to_string(&file).unwrap();
    let writer = {
        let file = file.clone();
        std::thread::spawn(move || {
            for i in 0..20 {
                let text = original.replace("A router that has run", &format!("Edit {i}: a router that has run"));
                std::fs::write(&file, text).unwrap();
                std::thread::sleep(Duration::from_millis(30));
            }
        })
    };
    let readers: Vec<_> = (0..100)
        .map(|i| {
            std::thread::spawn(move || {
                std::thread::sleep(Duration::from_millis(i * 6));
                let r = request(addr, "GET /restart-router.html HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
                let declared: usize = header(&r.headers, "content-length").unwrap().parse().unwrap();
                (r.status, declared, r.body)
            })
        })
        .collect();
    for reader in readers {
        let (status, declared, body) = reader.join().unwrap();
        assert_eq!(status, 200);
        assert_eq!(declared, body.len());
        let text = String::from_utf8(body).unwrap();
        assert!(text.trim_end().ends_with("</html>"), "cut page: {}", &text[text.len().saturating_sub(200)..]);
        assert_eq!(text.matches("</html>").count(), 1);
    }
    writer.join().unwrap();
}

#[test]
fn build_output_has_no_live_reload_script() {
    let (tmp, guide) = starter_guide();
    let out = tmp.path().join("site");
    let status = Command::new(bin()).arg("build").arg(&guide).arg("-o").arg(&out).stderr(Stdio::null()).status().unwrap();
    assert!(status.success());
    for entry in walkdir::WalkDir::new(&out).into_iter().map(Result::unwrap).filter(|e| e.file_type().is_file()) {
        let bytes = std::fs::read(entry.path()).unwrap();
        assert!(!String::from_utf8_lossy(&bytes).contains("__fixbook"), "{}", entry.path().display());
    }
}

#[test]
fn a_theme_override_reloads_every_open_page_and_is_served() {
    let (_tmp, guide) = starter_guide();
    let server = Server::start(&guide, 0);
    let page = server.get("/wifi/interference.html");
    let mut events = Events::open(server.addr, "wifi/interference.html", &token_of(&page.text()));
    assert_eq!(events.next_event(), "ready");
    std::fs::create_dir_all(guide.join("theme/static")).unwrap();
    std::fs::write(guide.join("theme/static/style.css"), "body { color: rebeccapurple }\n").unwrap();
    // The page's HTML did not change, but its stylesheet did: it reloads too.
    assert_eq!(events.next_event(), "reload");
    // (The folder's creation may be a change of its own, before the file.)
    let css = eventually("the override", || Some(server.get("/_fixbook/style.css")).filter(|r| r.text() == "body { color: rebeccapurple }\n"));
    assert_eq!(css.status, 200);
    assert_eq!(header(&css.headers, "content-type"), Some("text/css; charset=utf-8"));
}

#[test]
fn base_url_flag_is_the_address_of_the_served_site() {
    let (_tmp, guide) = starter_guide();
    let server = Server::start_with(&guide, 0, &["--base-url", "https://preview.example.org/help"]);
    let sitemap = server.get("/sitemap.xml");
    assert_eq!(sitemap.status, 200, "the starter guide has no base_url; the flag gives it one");
    assert!(sitemap.text().contains("<loc>https://preview.example.org/help/restart-router.html</loc>"), "{}", sitemap.text());
    let page = server.get("/restart-router.html").text();
    assert!(page.contains("<link rel=\"canonical\" href=\"https://preview.example.org/help/restart-router.html\">"), "{page}");
}

/// The number before `what` in a log line ("3 of 25 page(s)" → 3 for "of").
fn number_before(line: &str, what: &str) -> usize {
    let head = &line[..line.find(what).unwrap_or_else(|| panic!("no {what:?} in {line}"))];
    head.trim_end().rsplit(' ').next().unwrap().parse().unwrap_or_else(|_| panic!("no number before {what:?} in {line}"))
}

#[test]
fn serve_prints_its_url_and_what_each_change_rebuilt_and_how_long_it_took() {
    let (_tmp, guide) = starter_guide();
    let server = Server::start(&guide, 0);
    assert!(server.stdout_first.starts_with("serving "), "{}", server.stdout_first);
    assert!(server.stdout_first.contains(&format!("at http://{}/ (Ctrl+C to stop)", server.addr)), "{}", server.stdout_first);
    let first = eventually("the first build", || server.log().lines().find(|l| l.starts_with("built ")).map(str::to_string));
    let total = number_before(&first, "pages in");
    assert!(total > 5 && first.contains(" ms ("), "{first}");

    // A section's body: that file is re-parsed, and some pages (its own, the
    // print page…) change but not all.
    let file = guide.join("restart-router.md");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("clears its memory", "clears its working memory")).unwrap();
    let line = eventually("the rebuild", || server.log().lines().find(|l| l.starts_with("rebuilt in ")).map(str::to_string));
    assert!(line.contains(" ms after restart-router.md changed: 1 file(s) re-parsed (restart-router.md), "), "{line}");
    let changed = number_before(&line, &format!("of {total} page(s) changed"));
    assert!(changed >= 1 && changed < total, "{line}");
    let ms: f64 = line["rebuilt in ".len()..line.find(" ms after").unwrap()].parse().unwrap();
    assert!(ms > 0.0, "{line}");

    // A new file copied as it is: nothing to re-parse, and no page's HTML changes.
    std::fs::write(guide.join("wifi/notes.txt"), "channel survey\n").unwrap();
    let line = eventually("the second rebuild", || server.log().lines().find(|l| l.starts_with("rebuilt in ") && l.contains("notes.txt")).map(str::to_string));
    assert!(line.contains("wifi/notes.txt") && line.contains(" changed: no file re-parsed, 0 of "), "{line}");
    assert_eq!(server.get("/wifi/notes.txt").text(), "channel survey\n");
}

/// Issue 19.1: an asset replaced by a link to a file outside the guide, or
/// whose folder is replaced by a link to a folder outside, is never served
/// from outside: not before the rebuild that notices it, and not while the
/// guide has an error and the last good build (with its list of assets)
/// stays in use. An asset the user edits in place is still served new.
#[cfg(unix)]
#[test]
fn an_asset_replaced_by_a_link_is_never_served_from_outside() {
    let (tmp, guide) = starter_guide();
    std::fs::create_dir_all(guide.join("files/docs")).unwrap();
    std::fs::write(guide.join("files/manual.txt"), "inside").unwrap();
    std::fs::write(guide.join("files/docs/spec.txt"), "inside too").unwrap();
    let outside = tmp.path().join("outside");
    std::fs::create_dir_all(outside.join("docs")).unwrap();
    std::fs::write(outside.join("manual.txt"), "SECRET").unwrap();
    std::fs::write(outside.join("docs/spec.txt"), "SECRET TOO").unwrap();
    let server = Server::start(&guide, 0);
    assert_eq!(server.get("/files/manual.txt").text(), "inside");
    assert_eq!(server.get("/files/docs/spec.txt").text(), "inside too");
    std::fs::write(guide.join("files/manual.txt"), "edited").unwrap();
    eventually("the edited asset", || (server.get("/files/manual.txt").text() == "edited").then_some(()));

    // An error keeps the last good build, and its assets, in use.
    std::fs::write(guide.join("guide.toml"), "titel = \"x\"\n").unwrap();
    eventually("the overlay", || server.get("/").text().contains("fixbook-serve-overlay").then_some(()));
    let failed = |log: &str| log.matches("still serving the last good build").count();
    let before = failed(&server.log());
    std::fs::remove_file(guide.join("files/manual.txt")).unwrap();
    std::os::unix::fs::symlink(outside.join("manual.txt"), guide.join("files/manual.txt")).unwrap();
    std::fs::remove_dir_all(guide.join("files/docs")).unwrap();
    std::os::unix::fs::symlink(outside.join("docs"), guide.join("files/docs")).unwrap();
    let check = |when: &str| {
        for target in ["/files/manual.txt", "/files/docs/spec.txt"] {
            let answer = server.get(target);
            assert!(!answer.text().contains("SECRET"), "{when}: {target} served the file outside the guide");
            assert_eq!(answer.status, 404, "{when}: {target}");
        }
    };
    check("before the rebuild");
    eventually("the rebuild after the swap", || (failed(&server.log()) > before).then_some(()));
    check("after the failed rebuild");
}

/// Issue 19.19: slow clients cannot lock the preview. With every connection
/// slot (256) held by clients that started a request head and trickle it, a
/// new visitor still gets the page (a waiting connection gives way); a head
/// that trickles in is cut off at its deadline with 408; and 256 event
/// streams that never read do not keep a newly opened page from its stream.
#[test]
fn slow_clients_cannot_lock_the_preview() {
    let (_tmp, guide) = starter_guide();
    let server = Server::start(&guide, 0);
    let page = server.get("/restart-router.html");
    assert_eq!(page.status, 200);
    let token = token_of(&page.text());

    let slow: Vec<TcpStream> = (0..300)
        .map(|_| {
            let mut s = TcpStream::connect_timeout(&server.addr, TIMEOUT).unwrap();
            let _ = s.write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\n");
            s
        })
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    let visitor = server.get("/restart-router.html");
    assert_eq!(visitor.status, 200, "{}", visitor.text());
    drop(slow);

    // One byte a second: each read is quick, the whole head is not.
    let mut trickle = TcpStream::connect_timeout(&server.addr, TIMEOUT).unwrap();
    trickle.set_read_timeout(Some(Duration::from_millis(900))).unwrap();
    let started = Instant::now();
    let mut answer = Vec::new();
    for byte in b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: ".iter().chain(std::iter::repeat(&b'a')) {
        if trickle.write_all(&[*byte]).is_err() || started.elapsed() > Duration::from_secs(30) {
            break;
        }
        let mut chunk = [0u8; 256];
        match trickle.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => answer.extend_from_slice(&chunk[..n]),
            Err(_) => {}
        }
        if answer.windows(4).any(|w| w == b"\r\n\r\n") {
            break;
        }
    }
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 408 "), "a trickled head after {:?}: {answer:?}", started.elapsed());
    assert!(started.elapsed() < Duration::from_secs(25), "{:?}", started.elapsed());

    // Event streams that never read, then one more page.
    let idle: Vec<Events> = (0..256).map(|_| Events::open(server.addr, "restart-router.html", &token)).collect();
    let mut fresh = Events::open(server.addr, "restart-router.html", &token);
    assert_eq!(fresh.next_event(), "ready");
    drop(idle);
}
