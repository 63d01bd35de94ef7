#!/usr/bin/env python3
"""Collects the measurements of bench/run.sh (bench/measure.py writes one
RAW/size-N-MEDIUM.json per corpus size and medium) into one JSON file with
machine info, and prints the tables: per size, every tool's medians; then the
scale table of issue 17 (fixbook against Hugo, the write floor, what a build
leaves beside OUT).

  report.py collect RAW RESULTS [...]  -> RESULTS/<date>-<n>.json + tables
  report.py show RESULT.json           -> the tables again

Standard library only. Result files from before schema 2 (the hyperfine-based
run.sh) are printed by that version's report.py (see git log bench/report.py).
"""

import argparse
import datetime
import glob
import json
import os
import platform
import re
import subprocess
import sys

SCHEMA = 2
PEERS = ["hugo", "zola", "mdbook"]
ROW_ORDER = ["fixbook", "fixbook-clean", "hugo", "zola", "mdbook", "floor-render", "floor-write"]


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
        "python": platform.python_version(),
    }


def ratio(a, b, digits=3):
    return round(a / b, digits) if a is not None and b else None


def tool_summary(measurement, name):
    return measurement.get("tools", {}).get(name, {}).get("summary", {}) if measurement else {}


def entry_bytes(output, *names):
    """Bytes of the first top-level entry of OUT that exists, as (name, bytes, files)."""
    entries = output.get("entries", {})
    for name in names:
        if name in entries:
            return {"entry": name, "bytes": entries[name]["bytes"], "files": entries[name]["files"]}
    return None


def summarize(measurements):
    """Per size: the numbers issue 17 asks for, and the ratios."""
    summary = {}
    for size in sorted(measurements, key=int):
        disk = measurements[size].get("disk")
        tmpfs = measurements[size].get("tmpfs")
        s = {}
        fb_d, fb_t = tool_summary(disk, "fixbook"), tool_summary(tmpfs, "fixbook")
        out = (disk or tmpfs or {}).get("outputs", {}).get("fixbook", {})
        base = disk or tmpfs or {}
        fb_entry = base.get("tools", {}).get("fixbook", {})
        s["fixbook"] = {
            "wall_disk_s": fb_d.get("wall_s"),
            "wall_tmpfs_s": fb_t.get("wall_s"),
            "cpu_disk_s": fb_d.get("cpu_s"),
            "peak_rss_bytes": fb_d.get("peak_rss_bytes") or fb_t.get("peak_rss_bytes"),
            "clean_wall_disk_s": tool_summary(disk, "fixbook-clean").get("wall_s"),
            "output_bytes": out.get("bytes"),
            "output_files": out.get("files"),
            "largest_file": out.get("largest_file"),
            "index_html": entry_bytes(out, "index.html"),
            "print_html": entry_bytes(out, "print.html"),
            "checklists": entry_bytes(out, "checklists/"),
            "fixbook_data": entry_bytes(out, "_fixbook/"),
            "symptoms": entry_bytes(out, "symptoms/"),
            "settings": entry_bytes(out, "settings/", "settings.html"),
            "lines_printed": fb_entry.get("lines_printed"),
            "beside_out_after_build_2": base.get("beside_out", {}).get("after_build_2"),
            "beside_out_after_last_build": base.get("beside_out", {}).get("after_last_build"),
            "rebuild_identical_to_clean_build": base.get("rebuild_identical_to_clean_build"),
        }
        for medium, m in (("disk", disk), ("tmpfs", tmpfs)):
            fb = tool_summary(m, "fixbook").get("wall_s")
            clean = tool_summary(m, "fixbook-clean").get("wall_s")
            write = tool_summary(m, "floor-write").get("wall_s")
            render = tool_summary(m, "floor-render").get("wall_s")
            if write:
                s.setdefault("floor", {})[medium] = {
                    "floor_write_s": write,
                    "floor_render_s": render,
                    "fixbook_over_floor_write": ratio(fb, write),
                    "fixbook_clean_over_floor_write": ratio(clean, write),
                    "fixbook_over_render_plus_write": ratio(fb, (render or 0) + write),
                }
        for peer in PEERS:
            p_d, p_t = tool_summary(disk, peer), tool_summary(tmpfs, peer)
            if not (p_d or p_t):
                continue
            p_out = (disk or tmpfs or {}).get("outputs", {}).get(peer, {})
            s[peer] = {
                "wall_disk_s": p_d.get("wall_s"),
                "wall_tmpfs_s": p_t.get("wall_s"),
                "cpu_disk_s": p_d.get("cpu_s"),
                "peak_rss_bytes": p_d.get("peak_rss_bytes") or p_t.get("peak_rss_bytes"),
                "output_bytes": p_out.get("bytes"),
                "output_files": p_out.get("files"),
                "largest_file": p_out.get("largest_file"),
            }
            f = s["fixbook"]
            s[f"fixbook_over_{peer}"] = {
                "wall_disk": ratio(f["wall_disk_s"], p_d.get("wall_s")),
                "wall_tmpfs": ratio(f["wall_tmpfs_s"], p_t.get("wall_s")),
                "cpu_disk": ratio(f["cpu_disk_s"], p_d.get("cpu_s")),
                "peak_rss": ratio(f["peak_rss_bytes"], s[peer]["peak_rss_bytes"]),
                "output_bytes": ratio(f["output_bytes"], p_out.get("bytes")),
                "output_files": ratio(f["output_files"], p_out.get("files")),
            }
        summary[size] = s
    sizes = sorted(summary, key=int)
    scaling = []
    for lo, hi in zip(sizes, sizes[1:]):
        a, b = summary[lo]["fixbook"]["wall_disk_s"], summary[hi]["fixbook"]["wall_disk_s"]
        ra, rb = summary[lo]["fixbook"]["peak_rss_bytes"], summary[hi]["fixbook"]["peak_rss_bytes"]
        scaling.append({"from": int(lo), "to": int(hi), "size_ratio": int(hi) / int(lo), "wall_disk_ratio": ratio(b, a), "peak_rss_ratio": ratio(rb, ra)})
    return {"sizes": summary, "scaling": scaling}


def cmd_collect(args):
    raw = args.raw
    tools = json.load(open(os.path.join(raw, "tools.json")))
    measurements = {}
    for path in sorted(glob.glob(os.path.join(raw, "size-*.json"))):
        size, medium = re.match(r"size-(\d+)-(disk|tmpfs)\.json", os.path.basename(path)).groups()
        measurements.setdefault(size, {})[medium] = json.load(open(path))
    incremental = {}
    for path in sorted(glob.glob(os.path.join(raw, "incremental-*.json"))):
        size = re.match(r"incremental-(\d+)\.json", os.path.basename(path)).group(1)
        incremental[size] = json.load(open(path))
    result = {
        "schema": SCHEMA,
        "started": args.started,
        "finished": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "command": args.command,
        "settings": {"runs": int(args.runs), "warmup": int(args.warmup)},
        "machine": machine_info(args.bench_dir),
        "load_average": {"start": args.loadavg_start, "end": args.loadavg_end},
        "tools": tools,
        "measurements": measurements,
        "incremental": incremental,
        "summary": summarize(measurements),
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
    print_tables(result)
    print(f"\nresults: {path}")


def mib(v):
    if v is None:
        return "-"
    return f"{v / 2**10:.0f} KiB" if v < 2**20 else f"{v / 2**20:.1f} MiB"


def size_of(e):
    return "-" if not e else mib(e["bytes"])


def sec(v):
    return "-" if v is None else f"{v:.2f}s"


def x(v):
    return "-" if v is None else f"{v:.2f}x"


def print_tables(result):
    if result.get("schema") != SCHEMA:
        print("this result was written by the hyperfine-based run.sh (schema 1); print it with that version's report.py")
        return
    m = result["measurements"]
    mach = result["machine"]
    print(f"\nmachine: {mach['nproc']} cores, {mach['memory_total']}, {mach['cpu']}, kernel {mach['kernel']}; "
          f"load average {result['load_average']['start']} -> {result['load_average']['end']} (shared machine)")
    if result.get("command"):
        print(f"command: {result['command']}")
    for name, t in result["tools"].items():
        print(f"  {name}: {t['version'] if t['available'] else 'unavailable: ' + t['reason']}")
    for size in sorted(m, key=int):
        for medium in ("disk", "tmpfs"):
            meas = m[size].get(medium)
            if not meas:
                continue
            print(f"\nN = {size}, {medium} ({meas['rounds']} alternating rounds after {meas['warmup_rounds']} warm-up; medians)")
            print(f"  {'':14} {'wall':>9} {'min':>8} {'max':>8} {'CPU':>8} {'peak RSS':>12} {'load':>5}")
            for name in ROW_ORDER:
                s = tool_summary(meas, name)
                if not s:
                    continue
                if s.get("failed"):
                    print(f"  {name:14} failed ({s['runs']} runs)")
                    continue
                print(f"  {name:14} {sec(s['wall_s']):>9} {sec(s['wall_min_s']):>8} {sec(s['wall_max_s']):>8} {sec(s['cpu_s']):>8} "
                      f"{mib(s['peak_rss_bytes']):>12} {s['loadavg_1m_median']:>5}  ({s['runs']} runs)")
                if s.get("note"):
                    print(f"  {'':14} note: {s['note']}")
            if meas.get("stage_timings"):
                st = meas["stage_timings"]["stages"]
                print("  stages (FIXBOOK_TIMINGS=1, one rebuild): " + ", ".join(f"{s['stage']} {s['seconds']:.2f}s" for s in st))

    summ = result["summary"]["sizes"]
    print("\nScale (issue 17): fixbook rebuild against Hugo on the same corpus; medians; ratios are fixbook / Hugo")
    rows = [
        ("wall, disk", lambda s: sec(s["fixbook"]["wall_disk_s"]), lambda s: sec(s.get("hugo", {}).get("wall_disk_s")), lambda s: x(s.get("fixbook_over_hugo", {}).get("wall_disk"))),
        ("wall, tmpfs", lambda s: sec(s["fixbook"]["wall_tmpfs_s"]), lambda s: sec(s.get("hugo", {}).get("wall_tmpfs_s")), lambda s: x(s.get("fixbook_over_hugo", {}).get("wall_tmpfs"))),
        ("CPU (user+sys), disk", lambda s: sec(s["fixbook"]["cpu_disk_s"]), lambda s: sec(s.get("hugo", {}).get("cpu_disk_s")), lambda s: x(s.get("fixbook_over_hugo", {}).get("cpu_disk"))),
        ("peak RSS", lambda s: mib(s["fixbook"]["peak_rss_bytes"]), lambda s: mib(s.get("hugo", {}).get("peak_rss_bytes")), lambda s: x(s.get("fixbook_over_hugo", {}).get("peak_rss"))),
        ("output bytes", lambda s: mib(s["fixbook"]["output_bytes"]), lambda s: mib(s.get("hugo", {}).get("output_bytes")), lambda s: x(s.get("fixbook_over_hugo", {}).get("output_bytes"))),
        ("output files", lambda s: str(s["fixbook"]["output_files"]), lambda s: str(s.get("hugo", {}).get("output_files", "-")), lambda s: x(s.get("fixbook_over_hugo", {}).get("output_files"))),
        ("largest file", lambda s: largest(s["fixbook"]["largest_file"]), lambda s: largest(s.get("hugo", {}).get("largest_file")), lambda s: ""),
        ("index.html", lambda s: size_of(s["fixbook"]["index_html"]), lambda s: "", lambda s: ""),
        ("print.html", lambda s: size_of(s["fixbook"]["print_html"]), lambda s: "", lambda s: ""),
        ("checklists/", lambda s: per_file(s["fixbook"]["checklists"]), lambda s: "", lambda s: ""),
        ("_fixbook/ data", lambda s: per_file(s["fixbook"]["fixbook_data"]), lambda s: "", lambda s: ""),
        ("symptoms/", lambda s: per_file(s["fixbook"]["symptoms"]), lambda s: "", lambda s: ""),
        ("settings map", lambda s: size_of(s["fixbook"]["settings"]), lambda s: "", lambda s: ""),
        ("lines printed by build", lambda s: str(s["fixbook"]["lines_printed"]), lambda s: "", lambda s: ""),
        ("fixbook / write floor, disk", lambda s: x(s.get("floor", {}).get("disk", {}).get("fixbook_over_floor_write")), lambda s: "", lambda s: ""),
        ("fixbook / write floor, tmpfs", lambda s: x(s.get("floor", {}).get("tmpfs", {}).get("fixbook_over_floor_write")), lambda s: "", lambda s: ""),
        ("clean build wall, disk", lambda s: sec(s["fixbook"]["clean_wall_disk_s"]), lambda s: "", lambda s: ""),
        ("beside OUT after build 2", lambda s: beside(s["fixbook"]["beside_out_after_build_2"]), lambda s: "", lambda s: ""),
        ("rebuild == clean build", lambda s: str(s["fixbook"]["rebuild_identical_to_clean_build"]), lambda s: "", lambda s: ""),
    ]
    for size in sorted(summ, key=int):
        s = summ[size]
        print(f"\n  N = {size}")
        print(f"  {'':30} {'fixbook':>34} {'Hugo':>26} {'ratio':>7}")
        for label, f, h, r in rows:
            print(f"  {label:30} {f(s):>34} {h(s):>26} {r(s):>7}")
    for sc in result["summary"]["scaling"]:
        print(f"\nscaling {sc['from']} -> {sc['to']} (x{sc['size_ratio']:.0f}): wall x{sc['wall_disk_ratio']}, peak RSS x{sc['peak_rss_ratio']}")
    for size, inc in sorted(result.get("incremental", {}).items(), key=lambda kv: int(kv[0])):
        print(f"one-file edit, N = {size}: {inc}")


def largest(e):
    return "-" if not e else f"{e['path']} {mib(e['bytes'])}"


def per_file(e):
    if not e:
        return "-"
    return f"{mib(e['bytes'])} / {e['files']} files ({e['bytes'] / e['files'] / 1024:.1f} KiB each)"


def beside(found):
    if found is None:
        return "-"
    if not found:
        return "nothing"
    return "; ".join(f"{f['name']} {mib(f['bytes'])}, {f['files']} files" for f in found)


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("collect")
    p.add_argument("raw")
    p.add_argument("results")
    p.add_argument("--started", required=True)
    p.add_argument("--command", default="")
    p.add_argument("--loadavg-start", default="")
    p.add_argument("--loadavg-end", default="")
    p.add_argument("--bench-dir", default="/tmp")
    p.add_argument("--runs", default="0")
    p.add_argument("--warmup", default="0")
    p = sub.add_parser("show")
    p.add_argument("result")
    args = parser.parse_args()
    if args.cmd == "collect":
        cmd_collect(args)
    else:
        print_tables(json.load(open(args.result)))


if __name__ == "__main__":
    main()
