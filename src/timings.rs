//! Stage timings for performance work. With `FIXBOOK_TIMINGS=1` in the
//! environment each pipeline stage prints its wall-clock time to stderr
//! (`timing: render 412.3ms`), so a slow build can be attributed to a stage
//! without a profiler. Off by default; when off it costs one cached lookup.

use std::sync::OnceLock;
use std::time::Instant;

/// True when `FIXBOOK_TIMINGS` is set to anything but empty or `0`.
pub fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("FIXBOOK_TIMINGS").is_some_and(|v| !v.is_empty() && v != "0"))
}

/// Runs `f`, reporting how long it took under `stage` when timings are on.
pub fn time<T>(stage: &str, f: impl FnOnce() -> T) -> T {
    if !enabled() {
        return f();
    }
    let start = Instant::now();
    let value = f();
    eprintln!("timing: {stage} {:.1?} (peak RSS so far {})", start.elapsed(), peak_rss().unwrap_or_else(|| "unknown".into()));
    value
}

/// The process's peak resident set size, as Linux reports it (`VmHWM`).
fn peak_rss() -> Option<String> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    Some(line["VmHWM:".len()..].trim().to_string())
}

#[cfg(test)]
mod tests {
    #[test]
    fn returns_the_value_of_the_stage() {
        assert_eq!(super::time("test", || 6 * 7), 42);
    }
}
