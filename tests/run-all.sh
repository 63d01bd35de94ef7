#!/usr/bin/env bash
# The whole fixbook test suite: system deps, node deps, Rust build + tests, browser tests.
# Works on a fresh Debian machine with only Rust (as root, no stdin). Idempotent.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$(pwd)"
export CI="${CI:-true}"
export DEBIAN_FRONTEND=noninteractive

log() { printf '\n==> %s\n' "$*"; }

# --- 1. System packages (only what is missing) -------------------------------
need=()
command -v chromium  >/dev/null 2>&1 || need+=(chromium)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
command -v pdfinfo   >/dev/null 2>&1 || { [[ " ${need[*]-} " == *" poppler-utils "* ]] || need+=(poppler-utils); }
command -v java      >/dev/null 2>&1 || need+=(default-jre-headless)
command -v node      >/dev/null 2>&1 || need+=(nodejs)
command -v npm       >/dev/null 2>&1 || need+=(npm)
# Shells and groff for tests/completions.rs (bash is always there).
command -v zsh       >/dev/null 2>&1 || need+=(zsh)
command -v fish      >/dev/null 2>&1 || need+=(fish)
command -v groff     >/dev/null 2>&1 || need+=(groff-base)
# Fonts for the multilingual fixture (Japanese, emoji) in screenshots and PDFs.
if ! command -v fc-list >/dev/null 2>&1 || [[ -z "$(fc-list :lang=ja 2>/dev/null)" ]]; then need+=(fonts-noto-cjk); fi
if ! command -v fc-list >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi 'emoji'; then need+=(fonts-noto-color-emoji); fi

if ((${#need[@]})); then
  log "installing system packages: ${need[*]}"
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then SUDO="sudo -n"; fi
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" </dev/null
else
  log "system packages present (chromium, poppler-utils, java, node, npm, fonts, zsh, fish, groff)"
fi

# --- 2. Node test dependencies -------------------------------------------------
# npm ci is skipped when node_modules already matches the committed lockfile.
log "node dependencies (tests/browser)"
lock_hash="$(sha256sum tests/browser/package-lock.json | cut -d' ' -f1)"
stamp="tests/browser/node_modules/.fixbook-lock-sha256"
if [[ -f "$stamp" && "$(cat "$stamp")" == "$lock_hash" ]]; then
  echo "node_modules up to date"
else
  (cd tests/browser && npm ci --ignore-scripts --no-audit --no-fund)
  echo "$lock_hash" > "$stamp"
fi

# --- 3. Rust ------------------------------------------------------------------
# Formatting and lints are part of the suite: a diff or a warning fails it.
for component in rustfmt clippy; do
  if ! cargo "${component/rustfmt/fmt}" --version >/dev/null 2>&1; then
    log "installing the $component component"
    rustup component add "$component"
  fi
done
log "cargo fmt --check"
cargo fmt --check
log "cargo clippy --all-targets -- -D warnings"
cargo clippy --all-targets -- -D warnings

log "cargo build"
cargo build

# The documented install (`cargo install --locked --path .`), checked on the
# debug build just made (`--debug --target-dir target` reuses it instead of a
# release build), then the installed binary builds the bundled guide.
log "cargo install --locked --path . (debug, into a temporary root)"
install_root="$(mktemp -d)"
cargo install --quiet --locked --debug --path . --root "$install_root" --target-dir target
"$install_root/bin/fixbook" --version
"$install_root/bin/fixbook" build guide -o "$install_root/site"
test -s "$install_root/site/index.html"
rm -rf "$install_root"

rust_rc=0
log "cargo test"
cargo test || rust_rc=$?

# --- 4. Browser tests -----------------------------------------------------------
log "browser tests (node --test tests/browser/)"
mkdir -p target
set +e
node --test --test-reporter=spec tests/browser/ 2>&1 | tee target/browser-tests.log
browser_rc=${PIPESTATUS[0]}
set -e

log "summary"
if ((rust_rc == 0)); then echo "cargo test: ok"; else echo "cargo test: FAILED (exit $rust_rc)"; fi
echo "browser tests (node --test): $( ((browser_rc == 0)) && echo ok || echo "FAILED (exit $browser_rc)")"
grep -E '^ℹ (tests|suites|pass|fail|cancelled|skipped|todo|duration_ms) ' target/browser-tests.log || true
echo "screenshots: target/screenshots/"
if ((rust_rc != 0 || browser_rc != 0)); then
  exit 1
fi
log "all tests passed"
