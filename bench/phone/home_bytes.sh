#!/usr/bin/env bash
# Home-page size at scale (issue 14): builds the same synthetic guide with
# each fixbook binary given (a peer in the same run, e.g. main before the
# change and this branch) and prints the bytes of index.html, of the filter
# data the home page loads at once (data/filter.js) and of the result cards it
# loads on the first tick (data/filter-cards.js), and the largest folder or
# all-fixes page.
#
#   bash bench/phone/home_bytes.sh [-n SECTIONS] LABEL=BIN [LABEL=BIN...]
# e.g. bash bench/phone/home_bytes.sh -n 10000 before=/tmp/fixbook-main after=target/debug/fixbook
set -euo pipefail
N=10000
if [ "${1:-}" = "-n" ]; then N=$2; shift 2; fi
[ $# -ge 1 ] || { sed -n 2,10p "$0"; exit 2; }
REPO=$(cd "$(dirname "$0")/../.." && pwd)
GEN="${GEN_CORPUS:-$REPO/../shared/bench/gen_corpus.py}"
[ -f "$GEN" ] || GEN=/work/shared/bench/gen_corpus.py
WORK="${WORK:-/tmp/fixbook-home-bytes}"
mkdir -p "$WORK"
GUIDE="$WORK/corpus-$N/fixbook/guide"
[ -f "$GUIDE/symptoms.yml" ] || python3 "$GEN" --sections "$N" --out "$WORK/corpus-$N" --layouts fixbook >/dev/null
size() { if [ -f "$1" ]; then stat -c %s "$1"; else echo -; fi; }
printf '%-10s %12s %14s %20s %22s\n' label index.html data/filter.js data/filter-cards.js largest-listing-page
for pair in "$@"; do
  label=${pair%%=*}; bin=${pair#*=}
  out="$WORK/site-$label-$N"
  rm -rf "$out"
  nice "$bin" build "$GUIDE" -o "$out" >/dev/null 2>&1
  largest=$(find "$out" \( -path "$out/all-fixes/*" -o -name index.html \) -not -path "$out/index.html" -printf '%s %P\n' 2>/dev/null | sort -n | tail -1)
  printf '%-10s %12s %14s %20s %22s\n' "$label" "$(size "$out/index.html")" "$(size "$out/_fixbook/data/filter.js")" "$(size "$out/_fixbook/data/filter-cards.js")" "${largest:--}"
done
