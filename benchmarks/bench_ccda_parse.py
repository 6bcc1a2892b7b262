"""Time the C-CDA parser over the vendor corpus: per-file median, 95th percentile and total.

Usage: ``python benchmarks/bench_ccda_parse.py [corpus/ccda dir] [--repeat N]``.  Each file is parsed
N times (default 5) and its best time kept, so that another process on a shared machine does not
decide the figure.  The peer to beat is Medplum's @medplum/ccda at about 6 ms a file (DESIGN.md).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from medrecords_desktop.importers.ccda import parse_ccda  # noqa: E402


def main() -> int:
    default = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "ccda"
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="?", type=Path, default=default)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--peer-times", type=Path, help="JSON from medplum_peer/bench.js: compare on its files")
    args = ap.parse_args()
    files = sorted(args.corpus.glob("*.xml"))
    if not files:
        print(f"no C-CDA files under {args.corpus}", file=sys.stderr)
        return 2
    best: list[float] = []
    kinds: Counter[str] = Counter()
    size = 0
    for f in files:
        data = f.read_bytes()
        size += len(data)
        times = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            pf = parse_ccda(data, f.name)
            times.append(time.perf_counter() - t0)
        best.append(min(times))
        kinds.update(pf.counts())
    best_ms = sorted(t * 1000 for t in best)
    p95 = best_ms[int(0.95 * (len(best_ms) - 1))]
    print(f"files: {len(files)}  ({size / 1e6:.1f} MB)  best of {args.repeat} per file")
    print(
        f"median {statistics.median(best_ms):.2f} ms/file   mean {statistics.fmean(best_ms):.2f}   "
        f"p95 {p95:.2f}   max {best_ms[-1]:.2f}   total {sum(best_ms) / 1000:.3f} s"
    )
    print(
        f"throughput {size / 1e6 / (sum(best_ms) / 1000):.1f} MB/s, "
        f"{sum(kinds.values()) / (sum(best_ms) / 1000):,.0f} items/s"
    )
    print("items per kind:", dict(sorted(kinds.items())))
    if args.peer_times:
        peer = json.loads(args.peer_times.read_text())
        mine = {f.name: t * 1000 for f, t in zip(files, best, strict=True)}
        both = [n for n in peer["times"] if n in mine]
        if both:
            print(
                f"on the {len(both)} files the peer parsed (it rejected {len(peer['errors'])}): "
                f"peer median {statistics.median(peer['times'][n] for n in both):.2f} ms, "
                f"ours {statistics.median(mine[n] for n in both):.2f} ms"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
