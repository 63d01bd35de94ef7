#!/usr/bin/env python3
"""One-file edit, rebuilt: starts `fixbook serve` on a copy of a benchmark
guide, appends a sentence to one section several times, and records for
each edit
  - serve's own times: "updated <file> in X ms" (the edited page re-rendered
    and published) and "rebuilt in Y ms" (the whole site re-rendered),
  - end to end: from the file write until an HTTP request for the page
    returns the new sentence (includes the file watcher's debounce).
When the binary has no `serve`, it times `fixbook build` after the edit
instead (an upper bound) and says so.

  incremental.py FIXBOOK_BIN GUIDE_DIR N OUT_JSON [--edits K]

Standard library only; the serve process is ended by its own pid.
"""

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import tempfile
import threading
import time
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pick_section(guide):
    names = sorted(n for n in os.listdir(guide) if n.endswith(".md") and n != "index.md")
    return names[len(names) // 2]


def median(values):
    return round(statistics.median(values), 1) if values else None


def with_serve(binary, guide, edits, result):
    port = free_port()
    proc = subprocess.Popen([binary, "serve", guide, "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines = []
    cond = threading.Condition()

    def reader(stream):
        for line in stream:
            with cond:
                lines.append(line.rstrip("\n"))
                cond.notify_all()

    for stream in (proc.stdout, proc.stderr):
        threading.Thread(target=reader, args=(stream,), daemon=True).start()

    def wait_for(pattern, start_index, timeout):
        deadline = time.monotonic() + timeout
        with cond:
            while True:
                for i in range(start_index, len(lines)):
                    m = re.search(pattern, lines[i])
                    if m:
                        return m, i
                left = deadline - time.monotonic()
                if left <= 0 or proc.poll() is not None:
                    return None, len(lines)
                cond.wait(left)

    try:
        t0 = time.monotonic()
        m, _ = wait_for(r"^built (\d+) pages in ([\d.]+) ms", 0, 900)
        if not m:
            result["error"] = "serve did not finish its first build: " + " | ".join(lines[-5:])
            return
        result["first_build_ms"] = float(m.group(2))
        result["first_build_wall_ms"] = round((time.monotonic() - t0) * 1000, 1)
        section = pick_section(guide)
        page = section[:-3] + ".html"
        result["edited_file"] = section
        updated, rebuilt, end_to_end = [], [], []
        for k in range(1, edits + 1):
            time.sleep(1.5)  # let the watcher settle between edits
            token = f"Benchmark edit {k} {time.time_ns()}"
            with cond:
                mark = len(lines)
            start = time.monotonic()
            with open(os.path.join(guide, section), "a", encoding="utf-8") as f:
                f.write(f"\n\n{token}.\n")
            seen = None
            while time.monotonic() - start < 120:
                try:
                    body = urllib.request.urlopen(f"http://127.0.0.1:{port}/{page}", timeout=10).read().decode("utf-8", "replace")
                except OSError:
                    body = ""
                if token in body:
                    seen = time.monotonic()
                    break
                time.sleep(0.002)
            if seen:
                end_to_end.append(round((seen - start) * 1000, 1))
            m, i = wait_for(r"^updated .* in ([\d.]+) ms", mark, 120)
            if m:
                updated.append(float(m.group(1)))
            m, _ = wait_for(r"^rebuilt in ([\d.]+) ms", mark, 300)
            if m:
                rebuilt.append(float(m.group(1)))
        result.update({
            "method": "fixbook serve",
            "serve_updated_ms": updated,
            "serve_rebuilt_ms": rebuilt,
            "end_to_end_ms": end_to_end,
            "median_serve_updated_ms": median(updated),
            "median_serve_rebuilt_ms": median(rebuilt),
            "median_end_to_end_ms": median(end_to_end),
        })
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def with_build(binary, guide, edits, result):
    section = pick_section(guide)
    out = guide + "-out"
    subprocess.run([binary, "build", guide, "-o", out], capture_output=True, check=True)
    times = []
    for k in range(1, edits + 1):
        with open(os.path.join(guide, section), "a", encoding="utf-8") as f:
            f.write(f"\n\nBenchmark edit {k}.\n")
        start = time.monotonic()
        subprocess.run([binary, "build", guide, "-o", out], capture_output=True, check=True)
        times.append(round((time.monotonic() - start) * 1000, 1))
    result.update({"method": "fixbook build (upper bound: no serve in this binary)", "build_ms": times, "median_build_ms": median(times), "edited_file": section})


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("guide")
    parser.add_argument("n", type=int)
    parser.add_argument("out_json")
    parser.add_argument("--edits", type=int, default=5)
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix=f"fixbook-incremental-{args.n}-")
    guide = os.path.join(work, "guide")
    shutil.copytree(args.guide, guide)
    result = {"sections": args.n}
    has_serve = subprocess.run([args.binary, "serve", "--help"], capture_output=True).returncode == 0
    try:
        (with_serve if has_serve else with_build)(args.binary, guide, args.edits, result)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    with open(args.out_json, "w") as f:
        json.dump(result, f, indent=1)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
