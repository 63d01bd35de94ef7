#!/usr/bin/env python3
"""Measures one corpus size on one medium for bench/run.sh: fixbook and its
peers built in alternating rounds, every run under `/usr/bin/time -v`.

  measure.py --size N --medium disk|tmpfs --corpus DIR --work DIR --raw RAW
             --fixbook BIN --floor BIN [--hugo BIN] [--zola BIN] [--mdbook BIN]
             [--runs R] [--warmup W] [--no-clean] [--trash DIR]
             [--runs-for TOOL=R ...]

Writes RAW/size-N-MEDIUM.json. Standard library only.

What one round is: every tool once, in an order that is reversed on every
other round (fixbook, fixbook-clean, hugo, …, then …, hugo, fixbook-clean,
fixbook), so slow drift of the machine's load lands on both sides alike. Warm-up
rounds run first and are not counted. Each run records wall time (our own
clock), user and system CPU, peak RSS, exit status and the 1-minute load
average just before it; the summary is the median of each.

The tools:
  fixbook        `fixbook build GUIDE -o WORK/fixbook/site`, again and again: a
                 rebuild over the previous output, the everyday case. Its parent
                 folder holds nothing else, so whatever appears there beside
                 `site` (the `.site.fixbook-scratch` copy, `.site.fixbook-new-*`
                 staging folders) is what a build leaves beside OUT.
  fixbook-clean  a build with no previous output and no scratch folder (the
                 parent folder is moved aside before each run, never deleted
                 during the measurement: see `aside`).
  hugo, zola, mdbook   the same guide in their layouts (gen_corpus.py).
  floor-render   pulldown-cmark renders all Markdown on all cores, nothing else.
  floor-write    writes fixbook's output (same paths, same sizes) into a new
                 folder: the file-system cost of emitting the same bytes.
"""

import argparse
import hashlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time


def log(msg):
    print(f"[bench {time.strftime('%H:%M:%S', time.gmtime())}] {msg}", file=sys.stderr, flush=True)


def loadavg():
    return [float(x) for x in open("/proc/loadavg").read().split()[:3]]


def parse_time_v(path):
    fields = {}
    for line in open(path, errors="replace"):
        if ":" in line:
            key, _, value = line.strip().rpartition(": ")
            fields[key.strip()] = value.strip()
    def num(key, cast=float, default=None):
        try:
            return cast(fields[key])
        except (KeyError, ValueError):
            return default
    rss_kb = num("Maximum resident set size (kbytes)", int)
    return {
        "user_s": num("User time (seconds)", default=0.0),
        "system_s": num("System time (seconds)", default=0.0),
        "peak_rss_bytes": rss_kb * 1024 if rss_kb is not None else None,
        "exit_status": num("Exit status", int, -1),
    }


def tree_stats(folder, top=10):
    """Files, bytes, largest file and the bytes of each top-level entry."""
    files, total = 0, 0
    largest = ("", 0)
    entries = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        rel_dir = os.path.relpath(dirpath, folder)
        for name in filenames:
            path = os.path.join(dirpath, name)
            try:
                size = os.lstat(path).st_size
            except OSError:
                continue
            rel = name if rel_dir == "." else os.path.join(rel_dir, name)
            files += 1
            total += size
            if size > largest[1]:
                largest = (rel, size)
            head = rel.split(os.sep, 1)[0] + ("/" if os.sep in rel else "")
            e = entries.setdefault(head, {"files": 0, "bytes": 0})
            e["files"] += 1
            e["bytes"] += size
    ranked = sorted(entries.items(), key=lambda kv: -kv[1]["bytes"])
    return {
        "files": files,
        "bytes": total,
        "largest_file": {"path": largest[0], "bytes": largest[1]},
        "top_entries": [{"entry": k, **v} for k, v in ranked[:top]],
        "entries": fold_entries(entries),
    }


def fold_entries(entries, keep=20):
    """Every folder, the `keep` largest top-level files, and the other
    top-level files (section pages, one per section) as one entry: the
    result stays small at 100,000 sections."""
    folders = {k: v for k, v in entries.items() if k.endswith("/")}
    top_files = sorted(((k, v) for k, v in entries.items() if not k.endswith("/")), key=lambda kv: -kv[1]["bytes"])
    folded = dict(folders)
    folded.update(top_files[:keep])
    rest = top_files[keep:]
    if rest:
        folded["(other top-level files)"] = {"files": sum(v["files"] for _, v in rest), "bytes": sum(v["bytes"] for _, v in rest)}
    return folded


def tree_digest(folder):
    """sha256 over every (path, bytes) in the tree, in sorted order."""
    h = hashlib.sha256()
    paths = []
    for dirpath, _, filenames in os.walk(folder):
        for name in filenames:
            paths.append(os.path.relpath(os.path.join(dirpath, name), folder))
    for rel in sorted(paths):
        h.update(rel.encode("utf-8", "surrogateescape") + b"\0")
        with open(os.path.join(folder, rel), "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
        h.update(b"\0")
    return h.hexdigest()


def beside_out(parent, out_name):
    """Everything in OUT's parent folder other than OUT: name, files, bytes."""
    found = []
    if not os.path.isdir(parent):
        return found
    for name in sorted(os.listdir(parent)):
        if name == out_name:
            continue
        path = os.path.join(parent, name)
        if os.path.isdir(path) and not os.path.islink(path):
            s = tree_stats(path, top=0)
            found.append({"name": name, "files": s["files"], "bytes": s["bytes"]})
        else:
            found.append({"name": name, "files": 1, "bytes": os.lstat(path).st_size})
    return found


class Runner:
    def __init__(self, args):
        self.args = args
        self.raw = args.raw
        self.tag = f"{args.size}-{args.medium}"
        self.trash = args.trash or os.path.join(args.work, ".trash")
        os.makedirs(self.trash, exist_ok=True)
        self.counter = 0

    def aside(self, path):
        """Moves PATH out of the way without deleting it. On ext4 without a
        journal, deleting thousands of files makes creating files in the next
        30 s slow (freed inodes are skipped one by one), which would charge one
        tool's clean-up to the next tool's build. On tmpfs deleting is fine."""
        if not os.path.lexists(path):
            return
        if self.args.medium == "tmpfs":
            shutil.rmtree(path)
        else:
            self.counter += 1
            os.rename(path, os.path.join(self.trash, f"{time.time_ns()}-{self.counter}"))

    def run(self, name, cmd, log_path, env=None):
        tv = os.path.join(self.raw, f"timev-{name}-{self.tag}.txt")
        load = loadavg()
        start = time.monotonic()
        with open(log_path, "wb") as out:
            proc = subprocess.run(["/usr/bin/time", "-v", "-o", tv, *cmd], stdout=out, stderr=subprocess.STDOUT, env=env)
        wall = time.monotonic() - start
        r = parse_time_v(tv)
        r["wall_s"] = round(wall, 4)
        r["loadavg_1m_before"] = load[0]
        if proc.returncode != 0:
            r["exit_status"] = proc.returncode
            tail = open(log_path, errors="replace").read()[-2000:]
            log(f"  {name} exited {proc.returncode}; log tail:\n{tail}")
        return r


def parse_timings(path):
    """`timing: render+write 5.1s (peak RSS so far 1234567 kB)` lines -> stages."""
    units = {"ns": 1e-9, "µs": 1e-6, "us": 1e-6, "ms": 1e-3, "s": 1.0}
    stages = []
    for line in open(path, errors="replace"):
        m = re.match(r"timing: (.+?) ([0-9.]+)(ns|µs|us|ms|s) \(peak RSS so far ([0-9]+) kB\)", line.strip())
        if m:
            stages.append({"stage": m.group(1), "seconds": round(float(m.group(2)) * units[m.group(3)], 4), "peak_rss_so_far_bytes": int(m.group(4)) * 1024})
    return stages


def median_of(runs, key):
    values = [r[key] for r in runs if r.get(key) is not None]
    return round(statistics.median(values), 4) if values else None


def summarize_runs(runs):
    ok = [r for r in runs if r.get("exit_status") == 0]
    if not ok:
        return {"runs": len(runs), "failed": True}
    s = {
        "runs": len(ok),
        "wall_s": median_of(ok, "wall_s"),
        "user_s": median_of(ok, "user_s"),
        "system_s": median_of(ok, "system_s"),
        "peak_rss_bytes": median_of(ok, "peak_rss_bytes"),
        "wall_min_s": min(r["wall_s"] for r in ok),
        "wall_max_s": max(r["wall_s"] for r in ok),
        "loadavg_1m_median": median_of(ok, "loadavg_1m_before"),
    }
    cpu = sorted(r["user_s"] + r["system_s"] for r in ok)
    s["cpu_s"] = round(statistics.median(cpu), 4)
    s["peak_rss_bytes"] = int(s["peak_rss_bytes"]) if s["peak_rss_bytes"] else None
    if len(ok) < len(runs):
        s["failed_runs"] = len(runs) - len(ok)
    return s


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--size", type=int, required=True)
    p.add_argument("--medium", choices=["disk", "tmpfs"], required=True)
    p.add_argument("--corpus", required=True, help="gen_corpus.py output folder")
    p.add_argument("--work", required=True, help="outputs go here")
    p.add_argument("--raw", required=True)
    p.add_argument("--fixbook", required=True)
    p.add_argument("--floor", required=True)
    p.add_argument("--hugo")
    p.add_argument("--zola")
    p.add_argument("--mdbook")
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--warmup", type=int, default=1)
    p.add_argument("--runs-for", action="append", default=[], help="TOOL=R: fewer runs for a slow tool (no warm-up)")
    p.add_argument("--no-clean", action="store_true", help="skip fixbook-clean")
    p.add_argument("--no-floors", action="store_true")
    p.add_argument("--timings", action="store_true", help="one more fixbook rebuild with FIXBOOK_TIMINGS=1")
    p.add_argument("--trash")
    args = p.parse_args()

    c, w = args.corpus, args.work
    os.makedirs(w, exist_ok=True)
    os.makedirs(args.raw, exist_ok=True)
    runner = Runner(args)
    guide = os.path.join(c, "fixbook", "guide")
    fb_parent = os.path.join(w, "fixbook")
    fb_site = os.path.join(fb_parent, "site")
    clean_parent = os.path.join(w, "fixbook-clean")
    manifest = os.path.join(args.raw, f"manifest-{runner.tag}.tsv")
    # A fresh start: no output of an earlier invocation, so build 1 is a clean build.
    for d in (fb_parent, clean_parent, os.path.join(w, "hugo"), os.path.join(w, "zola"), os.path.join(w, "mdbook"), os.path.join(w, "floor-write")):
        runner.aside(d)
    os.makedirs(fb_parent)

    def log_file(name):
        return os.path.join(args.raw, f"log-{name}-{runner.tag}.txt")

    # name -> (prepare, command)
    tools = {}
    tools["fixbook"] = (None, [args.fixbook, "build", guide, "-o", fb_site])
    if not args.no_clean:
        tools["fixbook-clean"] = (lambda: (runner.aside(clean_parent), os.makedirs(clean_parent)),
                                  [args.fixbook, "build", guide, "-o", os.path.join(clean_parent, "site")])
    if args.hugo:
        tools["hugo"] = (None, [args.hugo, "--quiet", "-s", os.path.join(c, "hugo"), "-d", os.path.join(w, "hugo", "site")])
    if args.zola:
        tools["zola"] = (None, [args.zola, "--root", os.path.join(c, "zola"), "build", "--output-dir", os.path.join(w, "zola", "site"), "--force"])
    if args.mdbook:
        tools["mdbook"] = (None, [args.mdbook, "build", os.path.join(c, "mdbook"), "-d", os.path.join(w, "mdbook", "site")])
    if not args.no_floors:
        tools["floor-render"] = (None, [args.floor, "render", guide])
        tools["floor-write"] = (lambda: runner.aside(os.path.join(w, "floor-write")), [args.floor, "write", manifest, os.path.join(w, "floor-write")])

    runs_for = {}
    for item in args.runs_for:
        name, _, n = item.partition("=")
        runs_for[name] = int(n)

    results = {name: [] for name in tools}
    fixbook_builds = 0
    beside = {}
    lines_printed = []

    def after_fixbook():
        nonlocal fixbook_builds
        fixbook_builds += 1
        if fixbook_builds == 1:
            # floor-write needs the manifest of a real fixbook output.
            with open(manifest, "w") as f:
                for dirpath, _, filenames in os.walk(fb_site):
                    for name in sorted(filenames):
                        path = os.path.join(dirpath, name)
                        f.write(f"{os.lstat(path).st_size}\t{os.path.relpath(path, fb_site)}\n")
        if fixbook_builds == 2:
            beside["after_build_2"] = beside_out(fb_parent, "site")

    order = list(tools)
    total_rounds = args.warmup + args.runs
    for rnd in range(total_rounds):
        warm = rnd < args.warmup
        measured_round = rnd - args.warmup
        seq = order if rnd % 2 == 0 else list(reversed(order))
        # Round 0 starts with fixbook: floor-write needs the manifest of its first build.
        for name in seq:
            limit = runs_for.get(name)
            if limit is not None:
                # Slow tool: no warm-up, only its first `limit` measured rounds.
                if warm or measured_round >= limit:
                    continue
            prepare, cmd = tools[name]
            if prepare:
                prepare()
            label = "warm-up" if warm else f"run {measured_round + 1}/{limit or args.runs}"
            r = runner.run(name, cmd, log_file(name))
            log(f"{name} N={args.size} {args.medium} {label}: {r['wall_s']:.2f}s wall, {r['user_s'] + r['system_s']:.2f}s CPU, "
                f"{(r['peak_rss_bytes'] or 0) / 2**20:.0f} MiB, load {r['loadavg_1m_before']}")
            if name == "fixbook":
                after_fixbook()
                with open(log_file(name), "rb") as f:
                    lines_printed.append(f.read().count(b"\n"))
            if not warm:
                results[name].append(r)

    measurement = {"size": args.size, "medium": args.medium, "rounds": args.runs, "warmup_rounds": args.warmup, "tools": {}}
    for name, runs in results.items():
        entry = {"summary": summarize_runs(runs), "runs": runs, "command": " ".join(tools[name][1])}
        measurement["tools"][name] = entry
    measurement["tools"]["fixbook"]["lines_printed"] = lines_printed[-1] if lines_printed else None
    measurement["tools"]["fixbook"]["lines_printed_per_build"] = sorted(set(lines_printed))
    with open(log_file("fixbook"), errors="replace") as f:
        text = f.read()
    measurement["tools"]["fixbook"]["log_head"] = text.splitlines()[:5]
    measurement["tools"]["fixbook"]["log_tail"] = text.splitlines()[-3:]
    if args.timings:
        # One more rebuild with FIXBOOK_TIMINGS=1: wall time and peak RSS so far, per stage.
        r = runner.run("fixbook-timings", tools["fixbook"][1], log_file("fixbook-timings"), env={**os.environ, "FIXBOOK_TIMINGS": "1"})
        after_fixbook()
        measurement["stage_timings"] = {"run": r, "stages": parse_timings(log_file("fixbook-timings"))}
        log("stages: " + ", ".join(f"{s['stage']} {s['seconds']:.2f}s" for s in measurement["stage_timings"]["stages"]))
    measurement["fixbook_builds"] = fixbook_builds
    beside["after_last_build"] = beside_out(fb_parent, "site")
    measurement["beside_out"] = beside

    outputs = {}
    if os.path.isdir(fb_site):
        outputs["fixbook"] = tree_stats(fb_site)
    for name in ("hugo", "zola", "mdbook"):
        site = os.path.join(w, name, "site")
        if name in tools and os.path.isdir(site):
            outputs[name] = tree_stats(site)
    measurement["outputs"] = outputs
    clean_site = os.path.join(clean_parent, "site")
    if os.path.isdir(fb_site) and os.path.isdir(clean_site):
        log("comparing the rebuilt site with the clean build (sha256 of every file)")
        measurement["rebuild_identical_to_clean_build"] = tree_digest(fb_site) == tree_digest(clean_site)

    path = os.path.join(args.raw, f"size-{runner.tag}.json")
    with open(path, "w") as f:
        json.dump(measurement, f, indent=1)
        f.write("\n")
    log(f"wrote {path}")


if __name__ == "__main__":
    main()
