"""Benchmark: the provider directory (find your provider).

Reports the shipped index's size, the time to load it (once per process), and search times for a set of
queries (organization names, cities, ZIP codes, one- to three-word prefixes as a person types them):
median and worst of 20 runs each.  Target: every search under 50 ms.

    python benchmarks/bench_portal_directory.py [--index PATH]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from medrecords_desktop.portals import directory  # noqa: E402

QUERIES = (
    "brooklyn hospital",
    "11201",
    "brooklyn",
    "mayo clinic",
    "st",
    "saint mary",
    "blue button",
    "new york",
    "90210",
    "children",
    "family medicine austin",
    "cleveland clinic",
    "kaiser",
    "md",
    "pediatrics 10016",
    "mass general",
    "b",
    "northwestern memorial",
)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--index", help="an index file (default: the one shipped in the package)")
    ap.add_argument("--runs", type=int, default=20)
    args = ap.parse_args()
    t = time.perf_counter()
    d = directory.load(args.index)
    load_ms = (time.perf_counter() - t) * 1000
    rows = {}
    worst = 0.0
    for q in QUERIES:
        times = []
        for _ in range(args.runs):
            t = time.perf_counter()
            hits = d.search(q)
            times.append((time.perf_counter() - t) * 1000)
        worst = max(worst, max(times))
        rows[q] = {
            "hits": len(hits),
            "median_ms": round(statistics.median(times), 2),
            "max_ms": round(max(times), 2),
            "first": hits[0].organization if hits else None,
        }
    report = {
        "index": str(args.index or directory.shipped_index_path().relative_to(ROOT)),
        "index_bytes": directory.index_bytes(args.index),
        "organizations": len(d),
        "load_ms": round(load_ms, 1),
        "worst_search_ms": round(worst, 2),
        "target_ms": 50,
        "queries": rows,
    }
    print(json.dumps(report, indent=2))
    return 0 if worst < 50 else 1


if __name__ == "__main__":
    raise SystemExit(main())
