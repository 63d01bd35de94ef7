#!/usr/bin/env python3
"""Collects the raw measurements of bench/run.sh into one JSON file with
machine info, and prints the comparison table (medians, peak RSS, ratios of
fixbook to each anchor and to the floors).

  report.py outputs OUT_DIR            -> JSON: files/bytes per tool output folder
  report.py collect RAW RESULTS [...]  -> RESULTS/<date>-<n>.json + table
  report.py show RESULT.json           -> the table again

Standard library only.
"""

import argparse
import datetime
import glob
import json
import os
import platform
import re
import statistics
import subprocess
import sys

TOOLS = ["fixbook", "fixbook-clean", "hugo", "zola", "mdbook"]
ANCHORS = ["hugo", "zola", "mdbook"]


def output_stats(folder):
    sizes, html = [], []
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in filenames:
            size = os.path.getsize(os.path.join(dirpath, name))
            sizes.append(size)
            if name.endswith(".html"):
                html.append(size)
    return {
        "files": len(sizes),
        "bytes": sum(sizes),
        "html_pages": len(html),
        "html_bytes": sum(html),
        "html_bytes_per_page_mean": round(sum(html) / len(html)) if html else 0,
        "html_bytes_per_page_median": round(statistics.median(html)) if html else 0,
        "largest_html_page": max(html) if html else 0,
    }


def cmd_outputs(args):
    # Merged into an earlier invocation's file (RAW_DIR): tmpfs outputs of
    # earlier tools are gone by now, their numbers are not.
    result = {}
    if args.merge and os.path.exists(args.merge):
        result = json.load(open(args.merge))
    for tool in TOOLS:
        folder = os.path.join(args.out_dir, tool)
        if os.path.isdir(folder):
            result[tool] = output_stats(folder)
    json.dump(result, sys.stdout, indent=1)


def parse_time_v(path):
    text = open(path).read()

    def field(label):
        m = re.search(re.escape(label) + r"\s*:\s*(.+)", text)
        return m.group(1).strip() if m else None

    wall = field("Elapsed (wall clock) time (h:mm:ss or m:ss)")
    seconds = None
    if wall:
        parts = [float(p) for p in wall.split(":")]
        seconds = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
    rss = field("Maximum resident set size (kbytes)")
    return {
        "wall_s": seconds,
        "user_s": float(field("User time (seconds)") or 0),
        "system_s": float(field("System time (seconds)") or 0),
        "peak_rss_bytes": int(rss) * 1024 if rss else None,
        "exit_status": int(field("Exit status") or -1),
    }


def run(cmd):
    try:
        return subprocess.run(cmd, capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        return ""


def machine_info(bench_dir):
    mem = {}
    for line in open("/proc/meminfo"):
        key, value = line.split(":", 1)
        mem[key] = value.strip()
    cpu = ""
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory_total": mem.get("MemTotal"),
        "kernel": platform.release(),
        "os": run(["sh", "-c", ". /etc/os-release && echo $PRETTY_NAME"]),
        "bench_dir_fs": run(["findmnt", "-no", "FSTYPE,OPTIONS", "-T", bench_dir]),
        "tmpfs_fs": run(["findmnt", "-no", "FSTYPE,OPTIONS", "-T", "/dev/shm"]),
        "hyperfine": run(["hyperfine", "--version"]),
        "python": platform.python_version(),
    }


def cmd_collect(args):
    raw = args.raw
    tools = json.load(open(os.path.join(raw, "tools.json")))
    measurements = {}

    def slot(size, medium):
        return measurements.setdefault(str(size), {}).setdefault(medium, {})

    for path in sorted(glob.glob(os.path.join(raw, "time-*.json"))):
        name, size, medium = re.match(r"time-(.+)-(\d+)-(disk|tmpfs)\.json", os.path.basename(path)).groups()
        r = json.load(open(path))["results"][0]
        slot(size, medium).setdefault(name, {})["time"] = {
            "runs": len(r["times"]),
            "median_s": r["median"],
            "mean_s": r["mean"],
            "stddev_s": r.get("stddev"),
            "min_s": r["min"],
            "max_s": r["max"],
            "user_s": r["user"],
            "system_s": r["system"],
            "times_s": r["times"],
            "command": r["command"],
        }
    for path in sorted(glob.glob(os.path.join(raw, "rss-*.txt"))):
        name, size, medium = re.match(r"rss-(.+)-(\d+)-(disk|tmpfs)\.txt", os.path.basename(path)).groups()
        entry = slot(size, medium).setdefault(name, {})
        entry["single_run"] = parse_time_v(path)
        if "time" not in entry:
            # Too slow for several runs (mdBook at 10,000): the one run is the time.
            s = entry["single_run"]
            entry["time"] = {"runs": 1, "median_s": s["wall_s"], "user_s": s["user_s"], "system_s": s["system_s"], "note": "one run, no warm-up"}
    for path in sorted(glob.glob(os.path.join(raw, "outputs-*.json"))):
        size, medium = re.match(r"outputs-(\d+)-(disk|tmpfs)\.json", os.path.basename(path)).groups()
        for name, stats in json.load(open(path)).items():
            slot(size, medium).setdefault(name, {})["output"] = stats
    incremental = {}
    for path in sorted(glob.glob(os.path.join(raw, "incremental-*.json"))):
        size = re.match(r"incremental-(\d+)\.json", os.path.basename(path)).group(1)
        incremental[size] = json.load(open(path))

    summary = summarize(measurements)
    result = {
        "started": args.started,
        "finished": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "settings": {"quick": args.quick == "1", "runs": int(args.runs), "warmup": int(args.warmup)},
        "machine": machine_info(args.bench_dir),
        "load_average": {"start": args.loadavg_start, "end": args.loadavg_end},
        "tools": tools,
        "measurements": measurements,
        "incremental": incremental,
        "summary": summary,
    }
    os.makedirs(args.results, exist_ok=True)
    day = args.started[:10]
    n = 1
    while os.path.exists(os.path.join(args.results, f"{day}-{n}.json")):
        n += 1
    path = os.path.join(args.results, f"{day}-{n}.json")
    with open(path, "w") as f:
        json.dump(result, f, indent=1)
        f.write("\n")
    print_table(result)
    print(f"\nresults: {path}")


def cmd_merge(args):
    """Joins raw folders of several invocations (say, anchors in one, fixbook
    in another) into one; a tool's numbers come from the folder that ran it."""
    import shutil
    os.makedirs(args.dest, exist_ok=True)
    tools, outputs, started = {}, {}, []
    for src in args.sources:
        for path in glob.glob(os.path.join(src, "*")):
            name = os.path.basename(path)
            if re.match(r"(time|rss|hyperfine|incremental|manifest)-", name):
                shutil.copy(path, os.path.join(args.dest, name))
        tools.update(json.load(open(os.path.join(src, "tools.json"))))
        if os.path.exists(os.path.join(src, "started")):
            started.append(open(os.path.join(src, "started")).read().strip())
        for path in glob.glob(os.path.join(src, "outputs-*.json")):
            size, medium = re.match(r"outputs-(\d+)-(disk|tmpfs)\.json", os.path.basename(path)).groups()
            try:
                data = json.load(open(path))
            except ValueError:
                continue
            for tool, stats in data.items():
                ran_here = glob.glob(os.path.join(src, f"time-{tool}-{size}-*.json")) + glob.glob(os.path.join(src, f"rss-{tool}-{size}-*.txt"))
                slot = outputs.setdefault((size, medium), {})
                if ran_here or tool not in slot:
                    slot[tool] = stats
    json.dump(tools, open(os.path.join(args.dest, "tools.json"), "w"), indent=1)
    for (size, medium), data in outputs.items():
        json.dump(data, open(os.path.join(args.dest, f"outputs-{size}-{medium}.json"), "w"), indent=1)
    if started:
        open(os.path.join(args.dest, "started"), "w").write(sorted(started)[0] + "\n")


def median(entry):
    return entry.get("time", {}).get("median_s") if entry else None


def summarize(measurements):
    summary = {}
    for size, media in measurements.items():
        for medium, tools in media.items():
            s = {}
            fb = median(tools.get("fixbook"))
            for anchor in ANCHORS:
                a = median(tools.get(anchor))
                if fb and a:
                    s[f"fixbook_over_{anchor}"] = round(fb / a, 4)
                    fbt, at = tools["fixbook"]["time"], tools[anchor]["time"]
                    # CPU time (user + system) is less disturbed by other load on the machine than wall time.
                    s[f"fixbook_cpu_over_{anchor}_cpu"] = round((fbt["user_s"] + fbt["system_s"]) / (at["user_s"] + at["system_s"]), 4)
            render, write = median(tools.get("floor-render")), median(tools.get("floor-write"))
            if render and write:
                s["floor_render_plus_write_s"] = round(render + write, 4)
                if fb:
                    s["fixbook_over_floor"] = round(fb / (render + write), 3)
                clean = median(tools.get("fixbook-clean"))
                if clean:
                    s["fixbook_clean_over_floor"] = round(clean / (render + write), 3)
            fb_rss = tools.get("fixbook", {}).get("single_run", {}).get("peak_rss_bytes")
            for anchor in ANCHORS:
                a_rss = tools.get(anchor, {}).get("single_run", {}).get("peak_rss_bytes")
                if fb_rss and a_rss:
                    s[f"fixbook_rss_over_{anchor}"] = round(fb_rss / a_rss, 4)
            summary.setdefault(size, {})[medium] = s
    sizes = sorted(measurements, key=int)
    if len(sizes) >= 2:
        lo, hi = sizes[0], sizes[-1]
        for medium in ("disk", "tmpfs"):
            a = median(measurements[lo].get(medium, {}).get("fixbook"))
            b = median(measurements[hi].get(medium, {}).get("fixbook"))
            if a and b:
                summary.setdefault("scaling", {})[medium] = {"from": int(lo), "to": int(hi), "time_ratio": round(b / a, 3), "size_ratio": int(hi) / int(lo)}
            oa = measurements[lo].get(medium, {}).get("fixbook", {}).get("output", {})
            ob = measurements[hi].get(medium, {}).get("fixbook", {}).get("output", {})
            if oa and ob:
                summary.setdefault("bytes_per_page", {})[medium] = {
                    lo: {"mean": oa["html_bytes_per_page_mean"], "median": oa["html_bytes_per_page_median"]},
                    hi: {"mean": ob["html_bytes_per_page_mean"], "median": ob["html_bytes_per_page_median"]},
                }
    return summary


def fmt_s(v):
    return "-" if v is None else f"{v:8.2f}s"


def fmt_b(v):
    return "-" if not v else f"{v / 2**20:7.0f} MiB"


def print_table(result):
    m = result["measurements"]
    print(f"\nmachine: {result['machine']['nproc']} cores, {result['machine']['memory_total']}, kernel {result['machine']['kernel']}; load average {result['load_average']['start']} -> {result['load_average']['end']}")
    for name, t in result["tools"].items():
        print(f"  {name}: {t['version'] if t['available'] else 'unavailable: ' + t['reason']}")
    for size in sorted(m, key=int):
        for medium in ("disk", "tmpfs"):
            tools = m[size].get(medium)
            if not tools:
                continue
            print(f"\nN = {size}, {medium}")
            print(f"  {'':14} {'median':>9} {'user':>8} {'sys':>8} {'peak RSS':>11} {'files':>7} {'MiB out':>8} {'B/page med':>10}  fixbook/this (wall, cpu)")
            fb = median(tools.get("fixbook"))
            for name in ["fixbook", "fixbook-clean", "hugo", "zola", "mdbook", "floor-render", "floor-write", "floor-copy"]:
                e = tools.get(name)
                if not e or "time" not in e:
                    continue
                t = e["time"]
                rss = e.get("single_run", {}).get("peak_rss_bytes")
                out = e.get("output", {})
                fbt = tools.get("fixbook", {}).get("time", {})
                ratio = f"{fb / t['median_s']:.3f}, {(fbt['user_s'] + fbt['system_s']) / (t['user_s'] + t['system_s']):.3f}" if fb and name in ANCHORS else ""
                note = f" ({t['note']})" if t.get("note") else f" ({t['runs']} runs)"
                print(f"  {name:14} {fmt_s(t['median_s'])} {t['user_s']:7.2f}s {t['system_s']:7.2f}s {fmt_b(rss):>11} {out.get('files', ''):>7} "
                      f"{(out.get('bytes', 0) / 2**20) if out else 0:8.1f} {out.get('html_bytes_per_page_median', ''):>10}  {ratio}{note}")
            s = result["summary"].get(size, {}).get(medium, {})
            if "floor_render_plus_write_s" in s:
                print(f"  floor (render + write) = {s['floor_render_plus_write_s']:.2f}s; fixbook / floor = {s.get('fixbook_over_floor')}; clean build / floor = {s.get('fixbook_clean_over_floor')}")
    if "scaling" in result["summary"]:
        for medium, sc in result["summary"]["scaling"].items():
            print(f"\nscaling ({medium}): N x{sc['size_ratio']:.0f} -> time x{sc['time_ratio']}")
    if "bytes_per_page" in result["summary"]:
        for medium, b in result["summary"]["bytes_per_page"].items():
            print(f"bytes per HTML page ({medium}): {b}")
    for size, inc in sorted(result.get("incremental", {}).items(), key=lambda kv: int(kv[0])):
        print(f"one-file edit, N = {size}: {inc}")


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("outputs")
    p.add_argument("out_dir")
    p.add_argument("--merge")
    p = sub.add_parser("collect")
    p.add_argument("raw")
    p.add_argument("results")
    p.add_argument("--started", required=True)
    p.add_argument("--loadavg-start", default="")
    p.add_argument("--loadavg-end", default="")
    p.add_argument("--bench-dir", default="/tmp")
    p.add_argument("--quick", default="0")
    p.add_argument("--runs", default="0")
    p.add_argument("--warmup", default="0")
    p = sub.add_parser("merge")
    p.add_argument("dest")
    p.add_argument("sources", nargs="+")
    p = sub.add_parser("show")
    p.add_argument("result")
    args = parser.parse_args()
    if args.cmd == "outputs":
        cmd_outputs(args)
    elif args.cmd == "merge":
        cmd_merge(args)
    elif args.cmd == "collect":
        cmd_collect(args)
    else:
        print_table(json.load(open(args.result)))


if __name__ == "__main__":
    main()
