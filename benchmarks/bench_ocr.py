"""Benchmark: text recognition time per page, and how many printed lab results the review proposes right.

Generates a fresh set of paper lab reports (tests/ocr_testset.py: table, dot-leader, monospaced hospital
print-out, a phone photo of a table and a harder one: further away, blurrier, tilted), recognises each
page once on this computer, proposes lab results from the recognised rows and scores them: a printed
result counts as read when a proposed row has its LOINC code, value and unit.  Reports seconds per page
(median and worst) and the accuracy.

    python benchmarks/bench_ocr.py [--pages 10] [--seed 777] [--verbose]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from medrecords_desktop.ocr.engine import engine, recognise  # noqa: E402
from medrecords_desktop.services.labreport import propose_results  # noqa: E402
from tests.ocr_testset import HARD_LAYOUTS, LAYOUTS, generate, score  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=10)
    # Seeds from 700 on were never looked at while the reader was tuned (it was tuned on 5-205).
    ap.add_argument("--seed", type=int, default=777)
    ap.add_argument("--verbose", action="store_true", help="list the results that were not read right")
    args = ap.parse_args()

    t0 = time.perf_counter()
    engine()
    load = time.perf_counter() - t0
    layouts = LAYOUTS + HARD_LAYOUTS
    pages = []
    seed = args.seed
    while len(pages) < args.pages:
        pages.extend(generate(seed, layouts)[: args.pages - len(pages)])
        seed += 1
    times: list[float] = []
    proposals = []
    false_rows = 0
    for p in pages:
        page = recognise(p.image)
        times.append(page.seconds)
        rows = propose_results([page])
        proposals.append(rows)
        printed = {e.loinc for e in p.expected}
        false_rows += sum(1 for r in rows if r.loinc not in printed)
        print(f"  {p.layout:9} {len(p.expected):3} results  {len(page.lines):3} text lines  "
              f"{page.seconds:5.2f} s  mean confidence {page.mean_confidence():.3f}")
    right, total, misses = score(pages, proposals)
    print(f"engine load: {load:.2f} s")
    print(f"recognition: {len(pages)} pages ({', '.join(layouts)}), "
          f"median {statistics.median(times):.2f} s/page, worst {max(times):.2f} s, total {sum(times):.1f} s")
    print(f"proposal accuracy (LOINC + value + unit): {right}/{total} = {right / total:.1%}; "
          f"rows proposed that were not printed results: {false_rows}")
    if args.verbose:
        for m in misses:
            print("  missed:", m)
    return 0


if __name__ == "__main__":
    sys.exit(main())
