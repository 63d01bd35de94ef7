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
//! assets the loader listed, are ever served (opened without following a
//! link, and only while still where the loader found them). Request heads
//! are bounded (`MAX_HEAD`, `HEAD_DEADLINE`), bodies are refused, idle
//! connections time out, a full server makes room by closing the connection
//! that has waited longest for a request, and event streams are closed after
//! `live::STREAM_LIFETIME` (the page reconnects) or when they stop reading.
//!
//! Parts: `builder` (incremental builds through `pipeline`), `watch` (file
//! events → rebuild → publish), `snapshot` (a published build), `http` (the
//! server), `live` (reload events and the injected script), `open` (the
//! browser).

mod builder;
mod http;
mod live;
mod open;
mod snapshot;
mod watch;

use std::io::Write;
use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::atomic::AtomicUsize;
use std::sync::{Arc, Mutex, RwLock, mpsc};

use notify_debouncer_full::notify::RecursiveMode;
use notify_debouncer_full::{DebounceEventResult, new_debouncer};

use crate::pipeline;

pub use builder::{Builder, Checked};
pub use http::{MAX_HEAD, MAX_URL, bind, content_type, resolve_request_path};
pub use live::inject;
pub use snapshot::{Snapshot, next_snapshot};
pub use watch::DEBOUNCE;

/// Connections served at once (and, separately, open event streams); more
/// are refused at once.
const MAX_CONNECTIONS: usize = 256;

/// What `fixbook serve` was asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub dir: PathBuf,
    pub bind: IpAddr,
    pub port: u16,
    pub open: bool,
    pub drafts: bool,
    /// `--base-url`: replaces guide.toml's `base_url` (checked already).
    pub base_url: Option<String>,
    /// Colour in terminal diagnostics.
    pub color: bool,
}

/// What every connection thread shares.
pub(super) struct Shared {
    snapshot: RwLock<Arc<Snapshot>>,
    /// Open event streams (`live`).
    clients: Mutex<Vec<live::Client>>,
    /// Connections being served (`http`).
    connections: AtomicUsize,
    /// Connections waiting for a request head, oldest first to give way.
    waiting: Mutex<Vec<http::Waiting>>,
}

impl Shared {
    pub(super) fn current(&self) -> Arc<Snapshot> {
        self.snapshot.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub(super) fn publish(&self, snapshot: Snapshot) {
        *self.snapshot.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(snapshot);
    }
}

/// Runs the server until the process is stopped. Errors are set-up failures
/// (the guide folder cannot be read or watched, no port can be bound).
pub fn run(options: ServeOptions) -> Result<(), String> {
    let dir = options.dir.canonicalize().map_err(|e| format!("cannot read guide folder {}: {e}", options.dir.display()))?;
    let compile = pipeline::CompileOptions { include_drafts: options.drafts, base_url: options.base_url.clone(), ..pipeline::CompileOptions::default() };
    let mut builder = Builder::with_options(&dir, compile);
    let shared = Arc::new(Shared {
        snapshot: RwLock::new(Arc::new(Snapshot::default())),
        clients: Mutex::new(Vec::new()),
        connections: AtomicUsize::new(0),
        waiting: Mutex::new(Vec::new()),
    });
    // Watch before the first build, so an edit saved during it is not missed.
    let (tx, rx) = mpsc::channel::<DebounceEventResult>();
    let mut debouncer = new_debouncer(watch::DEBOUNCE, None, tx).map_err(|e| format!("cannot watch {}: {e}", dir.display()))?;
    debouncer.watch(&dir, RecursiveMode::Recursive).map_err(|e| format!("cannot watch {}: {e}", dir.display()))?;

    watch::rebuild(&mut builder, &shared, options.color, false, &[], &[]);

    let (listener, busy) = http::bind(options.bind, options.port).map_err(|e| format!("cannot listen on {}:{}: {e}", options.bind, options.port))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let url = format!("http://{}/", if addr.is_ipv6() { format!("[{}]:{}", addr.ip(), addr.port()) } else { addr.to_string() });
    if let Some(busy) = busy {
        eprintln!("port {busy} is busy; using port {} instead", addr.port());
    }
    if !options.bind.is_loopback() {
        eprintln!("warning: serving on {} makes the preview reachable from other machines", options.bind);
    }
    // The URL goes to stdout (and is flushed) so scripts and tests can read it.
    println!("serving {} at {url} (Ctrl+C to stop)", crate::escape::terminal(&options.dir.display().to_string(), ""));
    let _ = std::io::stdout().flush();

    {
        let shared = shared.clone();
        std::thread::Builder::new()
            .name("fixbook-heartbeat".into())
            .spawn(move || {
                loop {
                    std::thread::sleep(live::HEARTBEAT);
                    shared.heartbeat();
                }
            })
            .map_err(|e| e.to_string())?;
    }
    {
        let shared = shared.clone();
        std::thread::Builder::new().name("fixbook-accept".into()).spawn(move || http::accept_loop(listener, shared)).map_err(|e| e.to_string())?;
    }
    if options.open {
        open::open_browser(&url);
    }

    // The rebuild loop runs on this thread; the debouncer must stay alive.
    watch::rebuild_on_changes(&rx, &dir, &mut builder, &shared, options.color);
    drop(debouncer);
    Ok(())
}
