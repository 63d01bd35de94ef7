#!/usr/bin/env bash
# Do two fixbook binaries make the same sites? Builds the bundled guide, every
# fixture in tests/fixtures/ and any extra guide folders given with both, and
# compares the outputs with `diff -r`; runs `check` (human and JSON) on every
# broken guide in tests/broken/ and on tests/corpora/ with both and compares
# what they print and their exit codes. For restructurings that must not
# change behaviour (issue 20): build the old commit in a worktree,
#
#   git worktree add /tmp/old <commit> && (cd /tmp/old && cargo build)
#   bash bench/same-output.sh /tmp/old/target/debug/fixbook target/debug/fixbook [GUIDE...]
#
# Large guides: python3 /work/shared/bench/gen_corpus.py --sections 1000 --out /tmp/c --layouts fixbook,
# then pass /tmp/c/fixbook/guide. Exit code 0 when everything is identical.
set -u
if (($# < 2)); then
  echo "usage: $0 OLD_FIXBOOK NEW_FIXBOOK [GUIDE_DIR...]" >&2
  exit 2
fi
OLD=$(realpath "$1")
NEW=$(realpath "$2")
shift 2
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK=$(mktemp -d /tmp/fixbook-same-output-XXXXXX)
same=0
differ=0

run() { # BIN DIR OUT LOG: build DIR into OUT (from inside DIR), summary line with the folder and time removed
  (cd "$2" && NO_COLOR=1 "$1" build . -o "$3" >"$4.raw" 2>&1; echo "exit $?" >>"$4.raw")
  sed -E "s# into $3:# into OUT:#; s# in [0-9.]+(ms|s)\$##" "$4.raw" >"$4"
}

guides=("$ROOT/guide" "$ROOT"/tests/fixtures/*/ "$@")
for g in "${guides[@]}"; do
  g=${g%/}
  [[ -f "$g/guide.toml" ]] || continue
  n=$(echo "${g#"$ROOT"/}" | tr '/ ' '__')
  run "$OLD" "$g" "$WORK/$n.old" "$WORK/$n.old.log"
  run "$NEW" "$g" "$WORK/$n.new" "$WORK/$n.new.log"
  if diff -r "$WORK/$n.old" "$WORK/$n.new" >"$WORK/$n.diff" 2>&1 && diff "$WORK/$n.old.log" "$WORK/$n.new.log" >>"$WORK/$n.diff"; then
    echo "identical  build $g: $(find "$WORK/$n.new" -type f | wc -l) files, $(du -sb "$WORK/$n.new" | cut -f1) bytes, $(tail -n 1 "$WORK/$n.new.log")"
    same=$((same + 1))
  else
    echo "DIFFERENT  build $g: $WORK/$n.diff"
    differ=$((differ + 1))
  fi
done
for g in "$ROOT"/tests/broken/*/ "$ROOT"/tests/corpora/*/; do
  g=${g%/}
  n=check-$(basename "$g")
  for format in human json; do
    for side in old new; do
      bin=$OLD
      [[ $side == new ]] && bin=$NEW
      (cd "$g" && NO_COLOR=1 FIXBOOK_TODAY=2026-12-01 "$bin" check . --format $format >"$WORK/$n.$format.$side" 2>&1; echo "exit $?" >>"$WORK/$n.$format.$side")
    done
    if cmp -s "$WORK/$n.$format.old" "$WORK/$n.$format.new"; then
      same=$((same + 1))
    else
      echo "DIFFERENT  check --format $format $g: diff $WORK/$n.$format.old $WORK/$n.$format.new"
      differ=$((differ + 1))
    fi
  done
done
echo "identical: $same, different: $differ (outputs in $WORK)"
((differ == 0))
