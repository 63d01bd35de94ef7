//! `fixbook serve`: the contributor's preview. It builds the guide in memory,
//! serves the last good build over HTTP (loopback by default), watches the
//! guide folder and rebuilds on every change, and tells open pages to reload
//! through Server-Sent Events. It writes nothing to disk.
//!
//! Shape: an accept thread gives each connection a short-lived thread (capped);
//! a rebuild thread turns debounced file events into a new `Snapshot`.
//! Requests take an `Arc` of the current snapshot, so a request during a
//! rebuild always gets a whole page, old or new, never a mix.
//!
//! Safety: a URL is never turned into a file-system path. `resolve_request_path`
//! maps it to a key of the in-memory site (rejecting `..`, encoded traversal,
//! absolute paths, NUL bytes), and only keys that the build produced, or
//! assets the loader listed, are ever served. Request heads are bounded
//! (`MAX_HEAD`), bodies are refused, and idle connections time out.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::io::{Read, Write};
use std::net::{IpAddr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock, mpsc};
use std::time::{Duration, Instant};

use notify_debouncer_full::notify::RecursiveMode;
use notify_debouncer_full::{DebounceEventResult, new_debouncer};
use percent_encoding::percent_decode_str;

use crate::diagnostics::{self, Diagnostic};
use crate::loader::{AssetFile, SourceFile};
use crate::model::{self, Guide, Section};
use crate::render::OutputFile;
use crate::theme::Theme;
use crate::{CompileOptions, Compiled};

/// The largest request head (request line and headers) read; larger → 431.
pub const MAX_HEAD: usize = 16 * 1024;
/// The longest request target accepted; longer → 414.
pub const MAX_URL: usize = 4096;
/// Connections served at once (and, separately, open event streams); more
/// are refused at once.
const MAX_CONNECTIONS: usize = 256;
/// How long an idle keep-alive connection or a slow request head may take.
const IDLE_TIMEOUT: Duration = Duration::from_secs(5);
/// File events closer together than this are one change (editors write a
/// file in several steps, or save to a temporary file and rename it).
pub const DEBOUNCE: Duration = Duration::from_millis(15);
/// How often open event streams get a comment, so dead ones are noticed.
const HEARTBEAT: Duration = Duration::from_secs(15);
/// An edit to at most this many section files is previewed page by page
/// before the whole site is re-rendered.
const QUICK_PREVIEW_MAX: usize = 16;
/// URLs under this prefix belong to the server, not to the guide.
const SERVER_PREFIX: &str = "/__fixbook/";

const LIVE_JS: &str = include_str!("serve_live.js");

/// What `fixbook serve` was asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub dir: PathBuf,
    pub bind: IpAddr,
    pub port: u16,
    pub open: bool,
    pub drafts: bool,
    /// Colour in terminal diagnostics.
    pub color: bool,
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

/// One published state of the site.
#[derive(Default)]
pub struct Snapshot {
    pub generation: u64,
    /// Generated files of the last good build, by key.
    pub files: Arc<HashMap<String, Arc<[u8]>>>,
    /// Guide files copied unchanged, by key; read when requested.
    pub assets: Arc<HashMap<String, AssetFile>>,
    /// The latest build's errors, rendered as `fixbook check` prints them;
    /// `None` when the latest build succeeded.
    pub errors: Option<Arc<str>>,
}

impl Snapshot {
    /// Identifies what a page shows: its bytes and the error overlay. A page
    /// reloads only when its token changes.
    pub fn page_token(&self, key: &str) -> String {
        let mut hasher = std::hash::DefaultHasher::new();
        self.files.get(key).map(|b| &b[..]).hash(&mut hasher);
        self.errors.as_deref().hash(&mut hasher);
        format!("{:016x}", hasher.finish())
    }
}

/// Incremental builds. Section files are parsed (and their code highlighted)
/// only when their text changed; an edited section's page is rendered on its
/// own first, so it can be shown before the whole site is re-rendered.
pub struct Builder {
    dir: PathBuf,
    options: CompileOptions,
    cache: HashMap<String, (Arc<str>, ParsedSection)>,
    /// The compiled theme and the overrides it was compiled from.
    theme: Option<(ThemeOverrides, Theme)>,
    /// The guide of the last build without errors: edits are previewed on it.
    last_good: Option<Guide>,
    /// The diagnostics last printed, so an unchanged list is not printed again.
    printed: Vec<Diagnostic>,
}

type ParsedSection = (Option<Section>, Vec<Diagnostic>);
type ThemeOverrides = Vec<(String, Vec<u8>)>;

/// What one check pass found.
pub struct Checked {
    /// Everything but the rendered files (`files` is `None`).
    pub compiled: Compiled,
    /// Section files parsed afresh; the rest came from the cache.
    pub reparsed: Vec<String>,
    pub elapsed: Duration,
}

impl Builder {
    pub fn new(dir: &Path, drafts: bool) -> Builder {
        Builder {
            dir: dir.to_path_buf(),
            options: CompileOptions { include_drafts: drafts, render: false, exclude: Vec::new() },
            cache: HashMap::new(),
            theme: None,
            last_good: None,
            printed: Vec::new(),
        }
    }

    /// Loads and checks the guide (all of `compile` but rendering).
    pub fn check(&mut self) -> std::io::Result<Checked> {
        let started = Instant::now();
        let old = &self.cache;
        let fresh: Mutex<Vec<(String, Arc<str>, ParsedSection)>> = Mutex::new(Vec::new());
        let parse = |file: &SourceFile| -> ParsedSection {
            if let Some((text, parsed)) = old.get(&file.path)
                && **text == *file.text
            {
                return parsed.clone();
            }
            let parsed = model::parse_section(file);
            fresh.lock().unwrap_or_else(|e| e.into_inner()).push((file.path.clone(), file.text.clone(), parsed.clone()));
            parsed
        };
        let compiled = crate::compile_with(&self.dir, &self.options, &parse)?;
        let mut fresh = fresh.into_inner().unwrap_or_else(|e| e.into_inner());
        fresh.sort_by(|a, b| a.0.cmp(&b.0));
        // Keep only entries for files that still exist with the same text.
        self.cache.retain(|path, (text, _)| compiled.sources.get(path) == Some(&**text));
        let reparsed = fresh.iter().map(|(path, _, _)| path.clone()).collect();
        for (path, text, parsed) in fresh {
            self.cache.insert(path, (text, parsed));
        }
        Ok(Checked { compiled, reparsed, elapsed: started.elapsed() })
    }

    /// The pages of edited sections, rendered at once against the last good
    /// guide with just those files re-read and re-parsed: what a contributor
    /// looks at, before the whole guide is checked and re-rendered. `None`
    /// when that is not possible or not safe (a new, removed or broken file,
    /// a draft), and the full rebuild alone decides.
    pub fn preview_edits(&mut self, edited: &[String]) -> Option<Vec<OutputFile>> {
        if edited.is_empty() || edited.len() > QUICK_PREVIEW_MAX {
            return None;
        }
        // Edited in place, not cloned: copying a large guide would cost more
        // than the rest of the preview. The full rebuild replaces it anyway.
        let mut guide = self.last_good.take()?;
        let pages = self.preview_in(&mut guide, edited);
        self.last_good = Some(guide);
        pages
    }

    fn preview_in(&mut self, guide: &mut Guide, edited: &[String]) -> Option<Vec<OutputFile>> {
        let mut parsed = Vec::with_capacity(edited.len());
        for rel in edited {
            let file = crate::loader::read_section(&self.dir, rel)?;
            let (section, problems) = model::parse_section(&file);
            if problems.iter().any(Diagnostic::is_error) {
                return None;
            }
            let section = section?;
            if section.draft && !self.options.include_drafts {
                return None;
            }
            parsed.push((file, section, problems));
        }
        // All or nothing: every edited file must be a published section.
        if !parsed.iter().all(|(_, section, _)| guide.sections.iter().any(|s| s.source == section.source)) {
            return None;
        }
        for (_, section, _) in &parsed {
            if let Some(slot) = guide.sections.iter_mut().find(|s| s.source == section.source) {
                *slot = section.clone();
            }
        }
        model::sort_sections(&mut guide.sections);
        let pages = self.render_sections(guide, edited)?;
        // The full check that follows reuses these parses.
        for (file, section, problems) in parsed {
            self.cache.insert(file.path, (file.text, (Some(section), problems)));
        }
        Some(pages)
    }

    /// Remembers the guide of a build without errors (`None` after a failed
    /// one), for `preview_edits`.
    pub fn set_last_good(&mut self, guide: Option<Guide>) {
        self.last_good = guide;
    }

    /// Renders only the pages of `sources` (a quick preview of an edit);
    /// `None` when any of them cannot be rendered this way.
    pub fn render_sections(&mut self, guide: &Guide, sources: &[String]) -> Option<Vec<OutputFile>> {
        if self.theme.as_ref().is_none_or(|(overrides, _)| *overrides != guide.theme) {
            let theme = crate::theme::load(&guide.theme).ok()?;
            self.theme = Some((guide.theme.clone(), theme));
        }
        let (_, theme) = self.theme.as_ref()?;
        let indexes = crate::indexes::build(guide);
        let site = crate::render::Site::new(guide, &indexes, theme);
        sources.iter().map(|source| crate::render::render_section_page(&site, source)?.ok()).collect()
    }
}

/// The next snapshot after a build: the new site when it has no errors,
/// otherwise the previous site with the errors to show over it.
pub fn next_snapshot(previous: &Snapshot, compiled: &Compiled) -> Snapshot {
    let generation = previous.generation + 1;
    match (&compiled.files, compiled.has_errors()) {
        (Some(files), false) => {
            let map = files.iter().map(|f| (f.path.clone(), Arc::from(f.bytes.as_slice()))).collect();
            let assets = compiled.guide.as_ref().map(|g| g.assets.iter().map(|a| (a.path.clone(), a.clone())).collect()).unwrap_or_default();
            Snapshot { generation, files: Arc::new(map), assets: Arc::new(assets), errors: None }
        }
        _ => {
            let mut shown: Vec<Diagnostic> = compiled.diagnostics.clone();
            if shown.is_empty() {
                shown.push(Diagnostic::error("build-failed", "", 0..0, "the build failed"));
            }
            let text = diagnostics::render_human(&shown, &compiled.sources, false);
            Snapshot { generation, files: previous.files.clone(), assets: previous.assets.clone(), errors: Some(Arc::from(text)) }
        }
    }
}

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
struct Client {
    page: String,
    token: String,
    stream: TcpStream,
}

/// What every connection thread shares.
struct Shared {
    snapshot: RwLock<Arc<Snapshot>>,
    clients: Mutex<Vec<Client>>,
    connections: AtomicUsize,
}

impl Shared {
    fn current(&self) -> Arc<Snapshot> {
        self.snapshot.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn publish(&self, snapshot: Snapshot) {
        *self.snapshot.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(snapshot);
    }

    /// Tells each open page to reload when what it shows changed (or always,
    /// when `everything` — a stylesheet, asset or theme file changed).
    /// Returns how many pages were told.
    fn notify(&self, everything: bool) -> usize {
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

    fn heartbeat(&self) {
        let mut clients = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        clients.retain_mut(|c| c.stream.write_all(b": ping\n\n").and_then(|_| c.stream.flush()).is_ok());
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

/// Runs the server until the process is stopped. Errors are set-up failures
/// (the guide folder cannot be read or watched, no port can be bound).
pub fn run(options: ServeOptions) -> Result<(), String> {
    let dir = options.dir.canonicalize().map_err(|e| format!("cannot read guide folder {}: {e}", options.dir.display()))?;
    let mut builder = Builder::new(&dir, options.drafts);
    let shared = Arc::new(Shared { snapshot: RwLock::new(Arc::new(Snapshot::default())), clients: Mutex::new(Vec::new()), connections: AtomicUsize::new(0) });
    // Watch before the first build, so an edit saved during it is not missed.
    let (tx, rx) = mpsc::channel::<DebounceEventResult>();
    let mut debouncer = new_debouncer(DEBOUNCE, None, tx).map_err(|e| format!("cannot watch {}: {e}", dir.display()))?;
    debouncer.watch(&dir, RecursiveMode::Recursive).map_err(|e| format!("cannot watch {}: {e}", dir.display()))?;

    rebuild(&mut builder, &shared, options.color, false, &[]);

    let (listener, busy) = bind(options.bind, options.port).map_err(|e| format!("cannot listen on {}:{}: {e}", options.bind, options.port))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let url = format!("http://{}/", if addr.is_ipv6() { format!("[{}]:{}", addr.ip(), addr.port()) } else { addr.to_string() });
    if let Some(busy) = busy {
        eprintln!("port {busy} is busy; using port {} instead", addr.port());
    }
    if !options.bind.is_loopback() {
        eprintln!("warning: serving on {} makes the preview reachable from other machines", options.bind);
    }
    // The URL goes to stdout (and is flushed) so scripts and tests can read it.
    println!("serving {} at {url} (Ctrl+C to stop)", options.dir.display());
    let _ = std::io::stdout().flush();

    {
        let shared = shared.clone();
        std::thread::Builder::new()
            .name("fixbook-heartbeat".into())
            .spawn(move || {
                loop {
                    std::thread::sleep(HEARTBEAT);
                    shared.heartbeat();
                }
            })
            .map_err(|e| e.to_string())?;
    }
    {
        let shared = shared.clone();
        std::thread::Builder::new().name("fixbook-accept".into()).spawn(move || accept_loop(listener, shared)).map_err(|e| e.to_string())?;
    }
    if options.open {
        open_browser(&url);
    }

    // The rebuild loop runs on this thread; the debouncer must stay alive.
    let color = options.color;
    while let Ok(first) = rx.recv() {
        let mut results = vec![first];
        results.extend(rx.try_iter());
        let mut relevant = false;
        let mut everything = false;
        let mut edited: Vec<String> = Vec::new();
        for result in results {
            match result {
                Ok(events) => {
                    for event in events {
                        if matches!(event.kind, notify_debouncer_full::notify::EventKind::Access(_)) {
                            continue;
                        }
                        for path in &event.paths {
                            match classify(&dir, path) {
                                Change::Ignored => {}
                                Change::Source(rel) => {
                                    relevant = true;
                                    if !edited.contains(&rel) {
                                        edited.push(rel);
                                    }
                                }
                                Change::Other => {
                                    relevant = true;
                                    everything = true;
                                }
                            }
                        }
                    }
                }
                Err(errors) => {
                    for e in errors {
                        eprintln!("warning: file watching: {e}");
                    }
                    relevant = true;
                }
            }
        }
        if relevant {
            edited.sort();
            rebuild(&mut builder, &shared, color, everything, &edited);
        }
    }
    drop(debouncer);
    Ok(())
}

enum Change {
    /// Hidden files, editor backups and swap files: not part of the guide.
    Ignored,
    /// Markdown, guide.toml, symptoms.yml (path relative to the guide): pages
    /// that change say so themselves.
    Source(String),
    /// Theme overrides and assets: any page may show them.
    Other,
}

fn classify(root: &Path, path: &Path) -> Change {
    let Ok(rel) = path.strip_prefix(root) else { return Change::Ignored };
    let parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    let Some(name) = parts.last() else { return Change::Source(String::new()) };
    if parts.iter().any(|p| p.starts_with('.')) || name.ends_with('~') || name == "4913" || name.ends_with(".swp") {
        return Change::Ignored;
    }
    let rel = parts.join("/");
    if rel.ends_with(".md") || rel == crate::config::FILE_NAME || rel == crate::symptoms::FILE_NAME { Change::Source(rel) } else { Change::Other }
}

/// Rebuilds, publishes the result and tells open pages; reports on stderr.
/// An edit to a few sections is published twice: first those sections' own
/// pages (`Builder::preview_edits`), then the whole checked and re-rendered
/// site (pages that list the section, search data, print page, or the error
/// overlay); each time only the open pages whose bytes changed reload.
fn rebuild(builder: &mut Builder, shared: &Shared, color: bool, everything: bool, edited: &[String]) {
    let started = Instant::now();
    let previous = shared.current();
    let first = previous.generation == 0;
    if !first
        && !everything
        && previous.errors.is_none()
        && let Some(pages) = builder.preview_edits(edited)
    {
        let mut files = (*previous.files).clone();
        for page in pages {
            files.insert(page.path, Arc::from(page.bytes));
        }
        shared.publish(Snapshot { generation: previous.generation + 1, files: Arc::new(files), assets: previous.assets.clone(), errors: None });
        let told = shared.notify(false);
        eprintln!("updated {} in {} ({told} open page(s) reloaded)", edited.join(", "), millis(started.elapsed()));
    }
    let checked = match builder.check() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot read guide folder: {e}");
            return;
        }
    };
    let mut compiled = checked.compiled;
    if !compiled.has_errors()
        && let Some(guide) = &compiled.guide
    {
        match crate::render_guide(guide) {
            Ok(files) => compiled.files = Some(files),
            Err(problems) => {
                compiled.diagnostics.extend(problems);
                diagnostics::sort(&mut compiled.diagnostics);
            }
        }
    }
    let next = next_snapshot(&shared.current(), &compiled);
    let failed = next.errors.is_some();
    shared.publish(next);
    let told = shared.notify(everything);
    let ms = millis(started.elapsed());
    builder.set_last_good(if failed { None } else { compiled.guide.take() });
    let warnings = compiled.diagnostics.iter().filter(|d| !d.is_error()).count();
    // The same warnings after every save would bury what changed.
    if compiled.diagnostics != builder.printed {
        if !compiled.diagnostics.is_empty() {
            eprint!("{}", diagnostics::render_human(&compiled.diagnostics, &compiled.sources, color));
        }
        builder.printed = compiled.diagnostics.clone();
    }
    if failed {
        let errors = compiled.diagnostics.len() - warnings;
        eprintln!(
            "build has {errors} error(s) and {warnings} warning(s) ({ms}); {}",
            if first { "nothing to serve until they are fixed" } else { "still serving the last good build" }
        );
    } else if first {
        let pages = compiled.files.as_ref().map_or(0, |f| f.iter().filter(|f| f.path.ends_with(".html")).count());
        eprintln!("built {pages} pages in {ms} ({warnings} warning(s))");
    } else {
        eprintln!("rebuilt in {ms}: {} file(s) re-parsed, {told} open page(s) reloaded ({warnings} warning(s))", checked.reparsed.len());
    }
}

fn millis(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}
fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    for stream in listener.incoming() {
        let Ok(mut stream) = stream else { continue };
        if shared.connections.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
            shared.connections.fetch_sub(1, Ordering::SeqCst);
            let _ = stream.set_write_timeout(Some(Duration::from_secs(1)));
            let _ = respond(&mut stream, &Head::simple(503, "text/plain; charset=utf-8", false), b"server busy\n", false);
            continue;
        }
        let shared2 = shared.clone();
        let spawned = std::thread::Builder::new().name("fixbook-conn".into()).spawn(move || {
            handle_connection(&shared2, stream);
            shared2.connections.fetch_sub(1, Ordering::SeqCst);
        });
        if spawned.is_err() {
            shared.connections.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

/// A response's status line and headers.
struct Head {
    status: u16,
    content_type: &'static str,
    keep_alive: bool,
    location: Option<String>,
}

impl Head {
    fn simple(status: u16, content_type: &'static str, keep_alive: bool) -> Head {
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
        413 => "Content Too Large",
        414 => "URI Too Long",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        503 => "Service Unavailable",
        _ => "",
    }
}

fn respond(stream: &mut TcpStream, head: &Head, body: &[u8], head_only: bool) -> std::io::Result<()> {
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
    stream.write_all(&bytes)?;
    stream.flush()
}

/// Serves requests on one connection until it closes, idles out, or turns
/// into an event stream.
fn handle_connection(shared: &Shared, mut stream: TcpStream) {
    let _ = stream.set_read_timeout(Some(IDLE_TIMEOUT));
    let _ = stream.set_write_timeout(Some(IDLE_TIMEOUT));
    let _ = stream.set_nodelay(true);
    let mut buf: Vec<u8> = Vec::with_capacity(2048);
    loop {
        let request = match read_head(&mut stream, &mut buf) {
            Ok(Some(r)) => r,
            Ok(None) => return,
            Err(status) => {
                let _ = respond(&mut stream, &Head::simple(status, "text/plain; charset=utf-8", false), reason(status).as_bytes(), false);
                return;
            }
        };
        let keep_alive = request.keep_alive;
        match answer(shared, &request) {
            Answer::Events { page, token } => {
                start_event_stream(shared, stream, page, token);
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
}

/// Reads one request head (at most `MAX_HEAD` bytes). `Ok(None)` when the
/// peer closed or idled out before sending anything; `Err(status)` to refuse.
fn read_head(stream: &mut TcpStream, buf: &mut Vec<u8>) -> Result<Option<Request>, u16> {
    let mut chunk = [0u8; 4096];
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
                    let has_body = header("transfer-encoding").is_some() || header("content-length").is_some_and(|v| v.parse::<u64>().map_or(true, |n| n > 0));
                    buf.drain(..len);
                    return Ok(Some(Request { head_only: method == "HEAD", method, target, keep_alive, has_body }));
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
        match stream.read(&mut chunk[..want]) {
            Ok(0) => return if buf.is_empty() { Ok(None) } else { Err(400) },
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(_) if buf.is_empty() => return Ok(None),
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
        return Answer::Response { head: Head::simple(200, "text/javascript; charset=utf-8", true), body: LIVE_JS.as_bytes().to_vec() };
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
        return match crate::loader::read_asset(asset) {
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
    let body = if content_type.starts_with("text/html") { inject(bytes, key, &snapshot.page_token(key), snapshot.errors.as_deref()) } else { bytes.to_vec() };
    Answer::Response { head: Head::simple(status, content_type, true), body }
}

fn not_found(snapshot: &Snapshot) -> Answer {
    match snapshot.files.get("404.html") {
        Some(bytes) => page_answer(snapshot, "404.html", bytes, 404),
        None => plain(404, "not found\n"),
    }
}

/// Answers `/__fixbook/events`: a Server-Sent Events stream that gets
/// `event: reload` when the page it names changes. A page that is already
/// out of date (it changed while loading, or the server restarted) is told
/// at once.
fn start_event_stream(shared: &Shared, mut stream: TcpStream, page: String, token: String) {
    let _ = stream.set_write_timeout(Some(Duration::from_secs(2)));
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: keep-alive\r\n\r\nretry: 1000\n\n";
    if stream.write_all(head.as_bytes()).is_err() {
        return;
    }
    // Register and compare under the clients lock, so a rebuild published
    // in between cannot be missed.
    let mut clients = shared.clients.lock().unwrap_or_else(|e| e.into_inner());
    if clients.len() >= MAX_CONNECTIONS {
        // Far more open pages than a person has: refuse, the page retries later.
        let _ = stream.write_all(b"event: busy\ndata: \n\n");
        return;
    }
    let snapshot = shared.current();
    let current = snapshot.page_token(&page);
    if current != token {
        let _ = write!(stream, "event: reload\ndata: {}\n\n", snapshot.generation);
        let _ = stream.flush();
        return;
    }
    if write!(stream, "event: ready\ndata: {}\n\n", snapshot.generation).and_then(|_| stream.flush()).is_ok() {
        clients.push(Client { page, token, stream });
    }
}

fn open_browser(url: &str) {
    let result = if cfg!(target_os = "macos") {
        std::process::Command::new("open").arg(url).spawn()
    } else if cfg!(windows) {
        std::process::Command::new("cmd").args(["/C", "start", "", url]).spawn()
    } else {
        std::process::Command::new("xdg-open").arg(url).spawn()
    };
    if let Err(e) = result {
        eprintln!("could not open a browser ({e}); open {url} yourself");
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

    #[test]
    fn tokens_change_with_the_page_or_the_errors() {
        let mut files = HashMap::new();
        files.insert("a.html".to_string(), Arc::from(&b"one"[..]));
        let s1 = Snapshot { generation: 1, files: Arc::new(files.clone()), ..Default::default() };
        files.insert("a.html".to_string(), Arc::from(&b"two"[..]));
        let s2 = Snapshot { generation: 2, files: Arc::new(files), ..Default::default() };
        let s3 = Snapshot { generation: 3, files: s2.files.clone(), errors: Some(Arc::from("e")), ..Default::default() };
        assert_ne!(s1.page_token("a.html"), s2.page_token("a.html"));
        assert_ne!(s2.page_token("a.html"), s3.page_token("a.html"));
        assert_eq!(s1.page_token("b.html"), s2.page_token("b.html"));
    }

    #[test]
    fn content_types_cover_the_site() {
        assert_eq!(content_type("a/b.HTML"), "text/html; charset=utf-8");
        assert_eq!(content_type("_fixbook/style.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("img/x.svg"), "image/svg+xml");
        assert_eq!(content_type("noext"), "application/octet-stream");
    }

    #[test]
    fn editor_droppings_are_ignored_and_theme_changes_reload_everything() {
        let root = Path::new("/g");
        assert!(matches!(classify(root, Path::new("/g/a/b.md")), Change::Source(p) if p == "a/b.md"));
        assert!(matches!(classify(root, Path::new("/g/.a.md.swp")), Change::Ignored));
        assert!(matches!(classify(root, Path::new("/g/.git/index")), Change::Ignored));
        assert!(matches!(classify(root, Path::new("/g/a.md~")), Change::Ignored));
        assert!(matches!(classify(root, Path::new("/g/theme/static/style.css")), Change::Other));
        assert!(matches!(classify(root, Path::new("/elsewhere/a.md")), Change::Ignored));
    }
}
