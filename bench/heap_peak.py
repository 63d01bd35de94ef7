#!/usr/bin/env python3
"""Where the heap is at its peak, from a heaptrack recording of a fixbook
build, grouped by what the bytes are for.

  heaptrack -o /tmp/fb target/release/fixbook build GUIDE -o OUT
  python3 bench/heap_peak.py /tmp/fb.zst            # or a .gz
  python3 bench/heap_peak.py /tmp/fb.zst --top 30 --json out.json

It asks `heaptrack_print --print-flamegraph … --flamegraph-cost-type peak` for
every call stack with the bytes it held at the moment the whole heap peaked,
then names each stack by the innermost fixbook function on it (the caller
that asked for the memory) and, coarser, by pipeline part (model, search
index, print.html, checklists, …; the rules are below). Frames the optimiser
inlined are attributed to the function they were inlined into. Standard
library only; needs Debian's `heaptrack` (heaptrack_print).

Check the recording is whole before trusting it: `heaptrack_print` reports
the total runtime and the number of allocation calls, which should match the
build (a 10k-section build makes about 73 million). On this project's shared
2-core machine under heavy load, heaptrack 1.4 twice stopped recording part
way (27 s of a 14-minute run); examples/alloc_profile.rs (part 3) gives the
per-file peaks without a profiler.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile

# (part, pattern) in order: the first pattern that matches a frame, scanning
# from the allocation outwards, names the part.
PARTS = [
    ("print.html", r"fixbook::site::print::|fixbook::site::rebase::|fixbook::render::render_print|rebase_for_print"),
    ("checklists", r"fixbook::site::checklists::|fixbook::site::data::checklist|fixbook::checklist::"),
    ("search index", r"fixbook::index::search::|fixbook::site::data::search_files|fixbook::search::"),
    ("filter data", r"fixbook::index::filter::|fixbook::site::data::filter_file|fixbook::filter::"),
    ("home page (index.html)", r"fixbook::site::pages::render_index|fixbook::render::render_index"),
    ("settings map", r"fixbook::site::pages::render_settings|fixbook::index::settings::|fixbook::render::render_settings|fixbook::settings::"),
    ("symptom pages", r"fixbook::site::pages::render_symptom|fixbook::render::render_symptom"),
    ("section pages", r"fixbook::site::pages::render_section|fixbook::render::render_section"),
    ("sitemap", r"fixbook::site::pages::sitemap|fixbook::render::render_sitemap"),
    ("writer", r"fixbook::output::|fixbook::writer::"),
    ("diagnostics", r"fixbook::diagnostics::|fixbook::checks::|fixbook::lint::|fixbook::check::|fixbook::next_steps::"),
    ("model: Markdown bodies", r"fixbook::content::markdown::|fixbook::content::highlight::|fixbook::markdown::|fixbook::highlight::"),
    ("model: front matter, symptoms", r"fixbook::source::frontmatter::|fixbook::source::symptoms::|fixbook::source::config::|fixbook::frontmatter::|fixbook::symptoms::|fixbook::config::"),
    ("model: other", r"fixbook::content::model::|fixbook::model::"),
    ("loaded sources", r"fixbook::source::loader::|fixbook::loader::"),
    ("indexes", r"fixbook::index::|fixbook::indexes::"),
    ("theme (templates)", r"fixbook::site::theme::|fixbook::theme::"),
    ("render: other", r"fixbook::site::|fixbook::render::"),
    ("other fixbook", r"fixbook::"),
]


def mib(n):
    return f"{n / 2**20:9.1f} MiB"


def fixbook_function(frame):
    m = re.search(r"(fixbook::[A-Za-z0-9_:]+)", frame)
    if not m:
        return None
    name = re.sub(r"::h[0-9a-f]{16}$", "", m.group(1))
    name = re.sub(r"::\{\{closure\}\}.*", "", name)
    return name


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("recording", help="heaptrack .zst/.gz file")
    p.add_argument("--top", type=int, default=20)
    p.add_argument("--json")
    args = p.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        stacks = os.path.join(tmp, "stacks.txt")
        summary = subprocess.run(["heaptrack_print", "-f", args.recording, "--print-flamegraph", stacks, "--flamegraph-cost-type", "peak",
                                  "--print-peaks", "0", "--print-allocators", "0", "--print-temporary", "0", "--print-leaks", "0"],
                                 capture_output=True, text=True, check=True).stdout
        lines = open(stacks, errors="replace").read().splitlines()

    by_function, by_part, total = {}, {}, 0
    for line in lines:
        stack, _, cost = line.rpartition(" ")
        try:
            cost = int(cost)
        except ValueError:
            continue
        if cost <= 0:
            continue
        total += cost
        frames = stack.split(";")  # outermost first
        inner = next((f for f in (fixbook_function(x) for x in reversed(frames)) if f), "(no fixbook frame)")
        by_function[inner] = by_function.get(inner, 0) + cost
        part = "(no fixbook frame)"
        for frame in reversed(frames):
            hit = next((name for name, pattern in PARTS if re.search(pattern, frame)), None)
            if hit:
                part = hit
                break
        by_part[part] = by_part.get(part, 0) + cost

    peak_line = next((l for l in summary.splitlines() if "peak heap memory consumption" in l), "")
    print(f"heap at its peak: {mib(total).strip()} in {len(lines)} call stacks ({peak_line.strip()})")
    print("\nby pipeline part (innermost matching frame):")
    for name, cost in sorted(by_part.items(), key=lambda kv: -kv[1]):
        print(f"  {mib(cost)} {100 * cost / total:5.1f}%  {name}")
    print(f"\nby innermost fixbook function (top {args.top}):")
    for name, cost in sorted(by_function.items(), key=lambda kv: -kv[1])[: args.top]:
        print(f"  {mib(cost)} {100 * cost / total:5.1f}%  {name}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"recording": os.path.basename(args.recording), "peak_bytes": total, "summary_line": peak_line.strip(),
                       "by_part": dict(sorted(by_part.items(), key=lambda kv: -kv[1])),
                       "by_function": dict(sorted(by_function.items(), key=lambda kv: -kv[1]))}, f, indent=1)
            f.write("\n")


if __name__ == "__main__":
    sys.exit(main())
