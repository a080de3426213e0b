#!/usr/bin/env python3
"""Turns criterion's estimates (target/criterion, or $CARGO_TARGET_DIR/criterion) into the
BENCHMARKS.md tables: medians, MB/s (10^6 bytes written per second), and the ratios of the goals in
the same run. Usage: scripts/bench-report.py > /tmp/table.md"""
import json, os

target = os.environ.get("CARGO_TARGET_DIR") or os.path.join(os.path.dirname(__file__), "..", "target")
root = os.path.join(target, "criterion")

def median(n, case, kind):
    path = os.path.join(root, f"n{n}", case, kind, "new", "estimates.json")
    try:
        with open(path) as f:
            return json.load(f)["median"]["point_estimate"] / 1e6  # ns -> ms
    except FileNotFoundError:
        return None

def mbps(n, case, kind):
    """MB/s of a case: the bytes it writes per iteration (criterion's throughput) over its median."""
    path = os.path.join(root, f"n{n}", case, kind, "new", "benchmark.json")
    t = median(n, case, kind)
    try:
        with open(path) as f:
            size = json.load(f).get("throughput", {}).get("Bytes")
    except FileNotFoundError:
        return None
    return size / (t / 1e3) / 1e6 if size and t else None

sizes = sorted(int(d[1:]) for d in os.listdir(root) if d.startswith("n") and d[1:].isdigit())
cases = [f"{d}-{s}" for d in ("oas2", "oas3") for s in ("spec", "all")]

print("Into a reused sink (`prepare` + `write_to`; `to_writer_pretty`; `serde_yaml::to_writer`):")
print()
print("| N | document | JSON export | YAML export | floor (serde_json, Value) | peer (serde_yaml, Value) | JSON / floor | YAML / peer | YAML / JSON |")
print("|---:|---|---:|---:|---:|---:|---:|---:|---:|")
for n in sizes:
    for c in cases:
        j, y, fl, pe = (median(n, c, k) for k in ("json", "yaml", "floor", "peer"))
        if None in (j, y, fl, pe):
            continue
        print(f"| {n:,} | {c} | {j:.2f} ms | {y:.2f} ms | {fl:.2f} ms | {pe:.2f} ms | {j/fl:.2f} | {y/pe:.2f} | {y/j:.2f} |")
print()
print("Throughput (MB/s of output written) and the sinks: JSON into an unbuffered `File` and two JSON exports at once on two threads (MB/s of both):")
print()
print("| N | document | JSON | YAML | floor | JSON into `File` | `File` / `Vec` | two threads | two threads / one export |")
print("|---:|---|---:|---:|---:|---:|---:|---:|---:|")
for n in sizes:
    for c in cases:
        j, y, fl, fi, tw = (mbps(n, c, k) for k in ("json", "yaml", "floor", "json-file", "json-2threads"))
        jt, ft, tt = (median(n, c, k) for k in ("json", "json-file", "json-2threads"))
        if None in (j, y, fl, fi, tw, jt, ft, tt):
            continue
        print(f"| {n:,} | {c} | {j:.0f} | {y:.0f} | {fl:.0f} | {fi:.0f} | {ft/jt:.2f} | {tw:.0f} | {tt/jt:.2f} |")
print()
print("Owned results, fresh memory included (`export`; `serde_json::to_vec_pretty`):")
print()
print("| N | document | `export` (JSON) | `to_vec_pretty` | ratio |")
print("|---:|---|---:|---:|---:|")
for n in sizes:
    for c in cases:
        j, fl = median(n, c, "json-owned"), median(n, c, "floor-owned")
        if None in (j, fl):
            continue
        print(f"| {n:,} | {c} | {j:.2f} ms | {fl:.2f} ms | {j/fl:.2f} |")
print()
print("Cost per API (median / N), in µs, and its change from N = 1,000 to the largest N:")
print()
print("| document | case | " + " | ".join(f"N = {n:,}" for n in sizes) + " | change 1,000 → largest |")
print("|---|---|" + "---:|" * len(sizes) + "---:|")
for c in cases:
    for k in ("json", "yaml", "floor", "json-owned", "floor-owned"):
        per = [median(n, c, k) for n in sizes]
        cells = [f"{p / n * 1000:.2f}" if p else "-" for p, n in zip(per, sizes)]
        base = dict(zip(sizes, per)).get(1000)
        last = per[-1]
        change = f"{(last / sizes[-1]) / (base / 1000) * 100 - 100:+.0f} %" if base and last else "-"
        print(f"| {c} | {k} | " + " | ".join(cells) + f" | {change} |")
