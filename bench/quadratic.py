#!/usr/bin/env python3
"""Inputs that used to take quadratic time (issue 19, "Quadratic inputs"):
times `fixbook check` on guides that grow in one dimension only, and prints
the time per size and the growth from each size to the next. Linear work
doubles when the input doubles (growth x2, exponent 1.0); quadratic work
quadruples (x4, exponent 2.0).

  headings   one section file with N identical `## Same heading` headings
             (N = 5,000, 10,000, 20,000, 40,000): every heading after the
             first needs a unique id (`same-heading-1`, `-2`, ...).
  symptoms   symptoms.yml with N symptoms (N = 2,500, 5,000, 10,000, 20,000)
             and one section that uses the first; every entry's id and label
             get a span in symptoms.yml, and `check` prints N-1
             `unused-symptom` warnings with snippets.
  symptoms-used   the same symptoms.yml, every symptom fixed by one of N/20
             sections (20 symptoms each), so nothing is printed: the parse
             and the checks without the diagnostics.

  python3 bench/quadratic.py                      # all cases, 3 rounds
  python3 bench/quadratic.py --cases headings --runs 1
  python3 bench/quadratic.py --fixbook target/release/fixbook --timeout 300
  python3 bench/quadratic.py --scale 0.1 --runs 1 --no-save   # a quick look

Rounds run every size once, smallest first, and each size's time is the
median over rounds (wall clock of the whole `fixbook check` process, and its
user+system CPU from /usr/bin/time). A run over --timeout seconds is stopped
and recorded as such. The guides are generated under --work (default
/tmp/fixbook-quadratic) and kept. Results: bench/results/quadratic-<date>-<n>.json.
Standard library only.
"""

import argparse
import datetime
import json
import math
import os
import signal
import statistics
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CASES = {
    "headings": [5000, 10000, 20000, 40000],
    "symptoms": [2500, 5000, 10000, 20000],
    "symptoms-used": [2500, 5000, 10000, 20000],
}

GUIDE_TOML = 'title = "Quadratic input benchmark"\nlanguage = "en"\n'


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def headings_guide(root, n):
    write(os.path.join(root, "guide.toml"), GUIDE_TOML)
    write(os.path.join(root, "symptoms.yml"), 'symptoms:\n  - id: screen-stays-black\n    label: "Screen stays black"\n')
    body = "".join("## Same heading\n\nPress and hold the side button.\n\n" for _ in range(n))
    write(os.path.join(root, "same-headings.md"),
          '---\ntitle: "Many identical headings"\nsymptoms: ["screen-stays-black"]\n---\n\n' + body)


def symptoms_guide(root, n):
    write(os.path.join(root, "guide.toml"), GUIDE_TOML)
    lines = ["symptoms:\n"]
    for i in range(n):
        lines.append(f'  - id: symptom-{i:06d}\n    label: "Symptom number {i}"\n')
    write(os.path.join(root, "symptoms.yml"), "".join(lines))
    write(os.path.join(root, "first.md"),
          '---\ntitle: "Fixes the first symptom"\nsymptoms: ["symptom-000000"]\n---\n\n1. Restart the device.\n')


def symptoms_used_guide(root, n, per_section=20):
    symptoms_guide(root, n)
    os.remove(os.path.join(root, "first.md"))
    for start in range(0, n, per_section):
        ids = ", ".join(f'"symptom-{i:06d}"' for i in range(start, min(n, start + per_section)))
        write(os.path.join(root, f"fix-{start:06d}.md"),
              f'---\ntitle: "Fixes symptoms {start} to {start + per_section - 1}"\nsymptoms: [{ids}]\n---\n\n1. Restart the device.\n')


MAKERS = {"headings": headings_guide, "symptoms": symptoms_guide, "symptoms-used": symptoms_used_guide}


def parse_cpu(path):
    user = system = 0.0
    for line in open(path, errors="replace"):
        line = line.strip()
        if line.startswith("User time (seconds):"):
            user = float(line.split(":")[1])
        elif line.startswith("System time (seconds):"):
            system = float(line.split(":")[1])
    return round(user + system, 3)


def time_check(fixbook, guide, timeout, log_path):
    tv = log_path + ".timev"
    start = time.monotonic()
    with open(log_path, "wb") as out:
        proc = subprocess.Popen(["/usr/bin/time", "-v", "-o", tv, fixbook, "check", guide], stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            code = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            # The process group we started: /usr/bin/time and the fixbook under it.
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            return {"wall_s": None, "timeout": True}
    wall = time.monotonic() - start
    with open(log_path, "rb") as f:
        lines = f.read().count(b"\n")
    return {"wall_s": round(wall, 3), "cpu_s": parse_cpu(tv), "exit_status": code, "lines_printed": lines}


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--fixbook", default=os.path.join(REPO, "target", "release", "fixbook"))
    p.add_argument("--cases", default="headings,symptoms,symptoms-used")
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--timeout", type=float, default=600)
    p.add_argument("--work", default="/tmp/fixbook-quadratic")
    p.add_argument("--results", default=os.path.join(REPO, "bench", "results"))
    p.add_argument("--scale", type=float, default=1.0, help="multiply every size by this (e.g. 0.1 for a quick look)")
    p.add_argument("--no-save", action="store_true")
    args = p.parse_args()
    if not os.path.exists(args.fixbook):
        print(f"building {args.fixbook} (cargo build --release)", file=sys.stderr)
        subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "fixbook"], cwd=REPO, check=True)

    started = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    load_start = open("/proc/loadavg").read().split()[:3]
    version = subprocess.run([args.fixbook, "--version"], capture_output=True, text=True).stdout.strip()
    commit = subprocess.run(["git", "-C", REPO, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    result = {"started": started, "fixbook": f"{version} ({commit})", "runs": args.runs, "machine_nproc": os.cpu_count(),
              "load_average": {"start": " ".join(load_start)}, "cases": {}}
    for case in args.cases.split(","):
        sizes = [max(1, round(n * args.scale)) for n in CASES[case]]
        guides = {}
        for n in sizes:
            guides[n] = os.path.join(args.work, f"{case}-{n}")
            MAKERS[case](guides[n], n)
        runs = {n: [] for n in sizes}
        for rnd in range(args.runs):
            for n in sizes:
                if any(r.get("timeout") for r in runs[n]):
                    continue
                r = time_check(args.fixbook, guides[n], args.timeout, os.path.join(args.work, f"{case}-{n}.log"))
                r["loadavg_1m_before"] = float(open("/proc/loadavg").read().split()[0])
                runs[n].append(r)
                shown = "timeout" if r.get("timeout") else f"{r['wall_s']:.2f}s wall, {r['cpu_s']:.2f}s CPU, exit {r['exit_status']}, {r['lines_printed']} lines"
                print(f"[quadratic] {case} N={n} round {rnd + 1}: {shown}", file=sys.stderr, flush=True)
        rows = []
        prev = None
        for n in sizes:
            ok = [r for r in runs[n] if not r.get("timeout")]
            row = {"n": n, "runs": runs[n], "timeouts": len(runs[n]) - len(ok)}
            if ok:
                row["wall_s"] = round(statistics.median(r["wall_s"] for r in ok), 3)
                row["cpu_s"] = round(statistics.median(r["cpu_s"] for r in ok), 3)
                row["seconds_per_1000"] = round(row["wall_s"] / n * 1000, 4)
                if prev and prev.get("wall_s"):
                    growth = row["wall_s"] / prev["wall_s"]
                    row["growth_over_previous"] = round(growth, 3)
                    row["exponent"] = round(math.log(growth) / math.log(n / prev["n"]), 3)
                    if row["cpu_s"] > 0 and prev.get("cpu_s", 0) > 0:
                        # CPU time is less disturbed by other load on a shared machine.
                        row["cpu_exponent"] = round(math.log(row["cpu_s"] / prev["cpu_s"]) / math.log(n / prev["n"]), 3)
            rows.append(row)
            prev = row
        first, last = rows[0], rows[-1]
        overall = None
        if first.get("wall_s") and last.get("wall_s"):
            overall = round(math.log(last["wall_s"] / first["wall_s"]) / math.log(last["n"] / first["n"]), 3)
        result["cases"][case] = {"sizes": rows, "exponent_first_to_last": overall}

    result["load_average"]["end"] = " ".join(open("/proc/loadavg").read().split()[:3])
    print(f"\nfixbook check on growing inputs ({result['fixbook']}; {args.runs} rounds, medians; load {result['load_average']['start']} -> {result['load_average']['end']}, shared {os.cpu_count()}-core machine)")
    for case, data in result["cases"].items():
        print(f"\n  {case:14} {'N':>7} {'wall':>9} {'CPU':>9} {'s/1000':>8} {'growth':>7} {'exponent':>8} {'CPU exp.':>8}")
        for row in data["sizes"]:
            if "wall_s" not in row:
                print(f"  {'':14} {row['n']:>7} {'timeout':>9}")
                continue
            g = f"x{row['growth_over_previous']:.2f}" if "growth_over_previous" in row else ""
            e = f"{row['exponent']:.2f}" if "exponent" in row else ""
            ce = f"{row['cpu_exponent']:.2f}" if "cpu_exponent" in row else ""
            print(f"  {'':14} {row['n']:>7} {row['wall_s']:>8.2f}s {row['cpu_s']:>8.2f}s {row['seconds_per_1000']:>8.3f} {g:>7} {e:>8} {ce:>8}")
        if data["exponent_first_to_last"] is not None:
            print(f"  {'':14} time grows as N^{data['exponent_first_to_last']} (1.0 = linear, 2.0 = quadratic)")
    if not args.no_save:
        os.makedirs(args.results, exist_ok=True)
        day = started[:10]
        n = 1
        while os.path.exists(os.path.join(args.results, f"quadratic-{day}-{n}.json")):
            n += 1
        path = os.path.join(args.results, f"quadratic-{day}-{n}.json")
        with open(path, "w") as f:
            json.dump(result, f, indent=1)
            f.write("\n")
        print(f"\nresults: {path}")


if __name__ == "__main__":
    main()
