#!/usr/bin/env bash
# Build-speed benchmark: fixbook against Hugo, Zola and mdBook on the same
# synthetic troubleshooting guide, plus the floors (copying the corpus,
# pulldown-cmark rendering all the Markdown, writing the same output bytes).
#
#   bash bench/run.sh                      # N = 1,000 and 10,000 (~30-40 min)
#   bash bench/run.sh --quick              # N = 1,000, fewer runs (< 5 min)
#   bash bench/run.sh --sizes 1000,5000 --runs 3 --tools fixbook,hugo
#
# Every tool runs twice per size: corpus and output on disk, and on tmpfs
# (/dev/shm), to separate CPU work from file-system cost. Times come from
# hyperfine (warm-ups, several runs, medians); peak RSS from one extra run
# under /usr/bin/time -v. Results (with machine info) go to
# bench/results/<date>-<n>.json and a table is printed at the end.
#
# Options:
#   --sizes LIST       section counts (default 1000,10000)
#   --quick            sizes 1000, 3 runs, 1 warm-up
#   --runs N           measured runs per tool (default 5)
#   --warmup N         warm-up runs per tool (default 1)
#   --tools LIST       any of fixbook,hugo,zola,mdbook (default: all)
#   --mdbook-full N    largest size at which mdBook gets warm-ups and several
#                      runs (default 1000); above it mdBook runs once, on disk
#                      only, because it takes ~9 minutes at 10,000 sections
#   --skip-mdbook-above N   do not run mdBook at all above N sections
#   --no-install       do not install missing anchors (apt, cargo install, build Zola)
#   --no-tmpfs         disk only
#   --only-tmpfs       tmpfs only (e.g. to redo those runs into the same RAW_DIR)
#
# Environment: RAW_DIR (see below); BENCH_DIR (default /tmp/fixbook-bench) holds corpora, outputs
# and binaries; SHM_DIR (default /dev/shm/fixbook-bench-<pid>) is the tmpfs copy;
# ZOLA_SRC is a Zola source checkout to build when `zola` is missing
# (default /work/.mirror/getzola+zola/repo); GEN_CORPUS is the corpus
# generator (default ../shared/bench/gen_corpus.py from the repository).
# FIXBOOK_BIN and FLOOR_BIN (both) skip building and use those binaries.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_DIR="${BENCH_DIR:-/tmp/fixbook-bench}"
# One tmpfs folder per invocation: two runs at once must not delete each other's.
SHM_DIR="${SHM_DIR:-/dev/shm/fixbook-bench-$$}"
ZOLA_SRC="${ZOLA_SRC:-/work/.mirror/getzola+zola/repo}"
GEN_CORPUS="${GEN_CORPUS:-$REPO/../shared/bench/gen_corpus.py}"
[ -f "$GEN_CORPUS" ] || GEN_CORPUS=/work/shared/bench/gen_corpus.py

SIZES=1000,10000
RUNS=5
WARMUP=1
TOOLS=fixbook,hugo,zola,mdbook
MDBOOK_FULL=1000
MDBOOK_SKIP_ABOVE=
INSTALL=1
TMPFS=1
QUICK=0
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) SIZES="$2"; shift 2 ;;
    --quick) QUICK=1; SIZES=1000; RUNS=3; WARMUP=1; shift ;;
    --runs) RUNS="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --tools) TOOLS="$2"; shift 2 ;;
    --mdbook-full) MDBOOK_FULL="$2"; shift 2 ;;
    --skip-mdbook-above) MDBOOK_SKIP_ABOVE="$2"; shift 2 ;;
    --no-install) INSTALL=0; shift ;;
    --no-tmpfs) TMPFS=0; shift ;;
    --only-tmpfs) TMPFS=only; shift ;;
    -h|--help) sed -n '2,36p' "$0"; exit 0 ;;
    *) echo "unknown option: $1 (see --help)" >&2; exit 2 ;;
  esac
done

log() { printf '[bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
has_tool() { case ",$TOOLS," in *",$1,"*) return 0 ;; *) return 1 ;; esac; }

for cmd in hyperfine /usr/bin/time python3; do
  if ! command -v "$cmd" >/dev/null; then
    if [ "$INSTALL" = 1 ] && [ "$(id -u)" = 0 ]; then
      log "installing hyperfine and time (apt)"
      apt-get install -y hyperfine time >/dev/null
    else
      echo "missing $cmd: apt-get install hyperfine time" >&2; exit 1
    fi
  fi
done

STARTED="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
# RAW_DIR lets two invocations (say, anchors first, fixbook later) share one
# result: the second adds its measurements to the first's.
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

# --- anchors
HUGO=""; ZOLA=""; MDBOOK=""
if has_tool hugo; then
  if ! command -v hugo >/dev/null && [ "$INSTALL" = 1 ] && [ "$(id -u)" = 0 ]; then
    log "installing hugo (apt)"; apt-get install -y hugo >/dev/null || true
  fi
  if command -v hugo >/dev/null; then
    HUGO="$(command -v hugo)"; record_tool hugo 1 "$(hugo version | awk '{print $2}')" "$HUGO" ""
  else
    record_tool hugo 0 "" "" "hugo not installed (apt-get install hugo)"
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

# --- corpora (deterministic; regenerated only when the generator or N changes)
corpus() {
  local n="$1" dir="$BENCH_DIR/corpus-$n"
  local stamp; stamp="$(sha256sum "$GEN_CORPUS" | cut -c1-16)-$n"
  if [ "$(cat "$dir/.stamp" 2>/dev/null)" != "$stamp" ]; then
    log "generating corpus N=$n"
    rm -rf "$dir"
    python3 "$GEN_CORPUS" --sections "$n" --out "$dir" >&2
    echo "$stamp" > "$dir/.stamp"
  fi
  # fixbook needs guide.toml; older generator versions did not write one.
  if [ ! -f "$dir/fixbook/guide/guide.toml" ]; then
    printf 'title = "Synthetic troubleshooting guide (%s sections)"\nlanguage = "en"\n' "$n" > "$dir/fixbook/guide/guide.toml"
  fi
}

# bench NAME SIZE MEDIUM RUNS WARMUP PREPARE CMD  -> $RAW/time-NAME-SIZE-MEDIUM.json
bench() {
  local name="$1" n="$2" medium="$3" runs="$4" warmup="$5" prepare="$6" cmd="$7"
  local out="$RAW/time-$name-$n-$medium.json"
  log "$name N=$n $medium: $runs runs, $warmup warm-up"
  local args=(--style basic --runs "$runs" --warmup "$warmup" --export-json "$out" -n "$name")
  [ -n "$prepare" ] && args+=(--prepare "$prepare")
  if ! hyperfine "${args[@]}" "$cmd" >"$RAW/hyperfine-$name-$n-$medium.log" 2>&1; then
    log "  FAILED (see $RAW/hyperfine-$name-$n-$medium.log)"; rm -f "$out"; return 0
  fi
  grep -E 'Time \(mean|Range' "$RAW/hyperfine-$name-$n-$medium.log" | sed 's/^/    /' >&2 || true
}

# rss NAME SIZE MEDIUM PREPARE CMD -> $RAW/rss-NAME-SIZE-MEDIUM.txt (one run under time -v)
rss() {
  local name="$1" n="$2" medium="$3" prepare="$4" cmd="$5"
  [ -n "$prepare" ] && bash -c "$prepare"
  /usr/bin/time -v -o "$RAW/rss-$name-$n-$medium.txt" bash -c "exec $cmd" >/dev/null 2>"$RAW/rss-$name-$n-$medium.stderr" || true
}

# aside DIR: moves DIR out of the way without deleting it. On ext4 without a
# journal, deleting thousands of files makes creating files in the next 30 s
# slow (freed inodes are skipped one by one), which would charge one tool's
# clean-up to the next tool's build.
aside() { echo "if [ -e '$1' ]; then mv '$1' '$TRASH/'\$(date +%s%N); fi"; }

IFS=, read -r -a SIZE_LIST <<< "$SIZES"
MEDIA=(disk); [ "$TMPFS" = 1 ] && MEDIA+=(tmpfs); [ "$TMPFS" = only ] && MEDIA=(tmpfs)
for n in "${SIZE_LIST[@]}"; do
  corpus "$n"
  for medium in "${MEDIA[@]}"; do
    if [ "$medium" = disk ]; then root="$BENCH_DIR"; else root="$SHM_DIR"; fi
    c="$root/corpus-$n"; o="$root/out-$n"
    if [ "$medium" = tmpfs ]; then
      rm -rf "$SHM_DIR"; mkdir -p "$SHM_DIR"; cp -r "$BENCH_DIR/corpus-$n" "$c"
    fi
    mkdir -p "$o"
    if [ "$medium" = disk ]; then clear_cmd() { aside "$1"; }; else clear_cmd() { echo "rm -rf '$1'"; }; fi

    if has_tool fixbook; then
      bench fixbook "$n" "$medium" "$RUNS" "$WARMUP" "" "$BIN/fixbook build $c/fixbook/guide -o $o/fixbook"
      [ "$medium" = disk ] && rss fixbook "$n" "$medium" "" "$BIN/fixbook build $c/fixbook/guide -o $o/fixbook"
      # Clean build: no previous output and no scratch folder to reuse.
      bench fixbook-clean "$n" "$medium" "$RUNS" 0 "$(clear_cmd "$o/fixbook-clean"); $(clear_cmd "$o/.fixbook-clean.fixbook-scratch")" \
        "$BIN/fixbook build $c/fixbook/guide -o $o/fixbook-clean"
      find "$o/fixbook" -type f -printf '%s\t%P\n' > "$RAW/manifest-$n.tsv"
      # Floors: what any generator must at least do.
      bench floor-render "$n" "$medium" "$RUNS" "$WARMUP" "" "$BIN/bench_floor render $c/fixbook/guide"
      bench floor-write "$n" "$medium" "$RUNS" 0 "$(clear_cmd "$o/floor-write")" "$BIN/bench_floor write $RAW/manifest-$n.tsv $o/floor-write"
      bench floor-copy "$n" "$medium" "$RUNS" 0 "$(clear_cmd "$o/floor-copy")" "cp -r $c/fixbook/guide $o/floor-copy"
    fi
    if [ -n "$HUGO" ]; then
      bench hugo "$n" "$medium" "$RUNS" "$WARMUP" "" "$HUGO --quiet -s $c/hugo -d $o/hugo"
      [ "$medium" = disk ] && rss hugo "$n" "$medium" "" "$HUGO --quiet -s $c/hugo -d $o/hugo"
    fi
    if [ -n "$ZOLA" ]; then
      bench zola "$n" "$medium" "$RUNS" "$WARMUP" "" "$ZOLA --root $c/zola build --output-dir $o/zola --force"
      [ "$medium" = disk ] && rss zola "$n" "$medium" "" "$ZOLA --root $c/zola build --output-dir $o/zola --force"
    fi
    if [ -n "$MDBOOK" ] && { [ -z "$MDBOOK_SKIP_ABOVE" ] || [ "$n" -le "$MDBOOK_SKIP_ABOVE" ]; }; then
      if [ "$n" -le "$MDBOOK_FULL" ]; then
        bench mdbook "$n" "$medium" "$RUNS" "$WARMUP" "" "$MDBOOK build $c/mdbook -d $o/mdbook"
        [ "$medium" = disk ] && rss mdbook "$n" "$medium" "" "$MDBOOK build $c/mdbook -d $o/mdbook"
      elif [ "$medium" = disk ]; then
        log "mdbook N=$n disk: one run, no warm-up (slow)"
        rss mdbook "$n" "$medium" "" "$MDBOOK build $c/mdbook -d $o/mdbook"
      fi
    fi
    # Output size per tool (from the last run of each).
    python3 "$REPO/bench/report.py" outputs "$o" --merge "$RAW/outputs-$n-$medium.json" > "$RAW/outputs.tmp"
    mv "$RAW/outputs.tmp" "$RAW/outputs-$n-$medium.json"
    if [ "$medium" = tmpfs ]; then rm -rf "$SHM_DIR"; fi
  done
done

# --- one-file edit, rebuilt by `fixbook serve` (see bench/incremental.py)
if has_tool fixbook; then
  for n in "${SIZE_LIST[@]}"; do
    [ -f "$RAW/incremental-$n.json" ] && continue
    log "one-file edit N=$n"
    python3 "$REPO/bench/incremental.py" "$BIN/fixbook" "$BENCH_DIR/corpus-$n/fixbook/guide" "$n" "$RAW/incremental-$n.json" >&2 || log "incremental N=$n failed"
  done
fi

LOADAVG_END="$(cut -d' ' -f1-3 /proc/loadavg)"
mkdir -p "$REPO/bench/results"
python3 "$REPO/bench/report.py" collect "$RAW" "$REPO/bench/results" \
  --started "$STARTED" --loadavg-start "$LOADAVG_START" --loadavg-end "$LOADAVG_END" \
  --bench-dir "$BENCH_DIR" --quick "$QUICK" --runs "$RUNS" --warmup "$WARMUP"
rm -rf "$TRASH"
log "raw measurements kept in $RAW"
